"""Completion of actions (in `Action`/`NotAction`) and condition keys (in a `Condition` block),
and the entry point of every completion.

Every item replaces the whole string content, so clients that split words at `:` or `-`
still insert the right text; `sort_text` keeps the Connect services on top when the client
re-filters. Every list is matched to what is typed and ranked here (completion_match), and
completes a string left without its closing quote.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from functools import cache, lru_cache
from typing import Protocol

from ..catalog.global_keys import GLOBAL_CONDITION_KEYS
from ..catalog.services import CONNECT_FAMILY, Action, ServiceCatalog, default_catalog
from ..catalog.suggest import words
from ..document.location import CursorLocation, locate, next_significant, previous_significant
from ..document.policy import ACTION_ELEMENTS, PolicyType, strings_in
from ..document.syntax import JsonArray, JsonObject, JsonValue, ParseResult, parse
from ..document.text import Span
from .completion_arns import arn_part_items
from .completion_condition_values import condition_value_items
from .completion_elements import complete_structure
from .completion_items import CompletionItem, CompletionList, ItemKind
from .completion_match import order_key, rank_items
from .completion_principals import principal_candidates
from .completion_values import arn_items, operator_items, variable_items, variable_span

SERVICE_REFERENCE = "https://docs.aws.amazon.com/service-authorization/latest/reference/"


def complete(text: str, offset: int, catalog: ServiceCatalog | None = None,
             parsed: ParseResult | None = None, locale: str | None = None,
             policy_type: PolicyType | None = None) -> CompletionList | None:
    """Completions at `offset`, or None when the cursor is somewhere we have nothing for.
    `parsed` (the parse of `text`) saves a parse when the statement's actions matter.
    `policy_type`: the type the user's settings give the file (None: from its content).
    The items match what is typed before the cursor, best first (see completion_match)."""
    if parsed is not None and parsed.skipped and parsed.text == text:
        return None  # a document too large to analyse: no scan of megabytes per keystroke
    catalog = catalog or default_catalog()
    # An identity policy or an SCP has no principal; the other types put one first.
    principals = None if policy_type is None else policy_type not in (
        PolicyType.IDENTITY, PolicyType.SERVICE_CONTROL)
    return complete_json(text, offset, locate(text, offset), catalog, parsed, locale,
                         principals)


def complete_json(text: str, offset: int, location: CursorLocation, catalog: ServiceCatalog,
                  parsed: ParseResult | None, locale: str | None,
                  principals: bool | None = None, sub: bool = False) -> CompletionList | None:
    """Completions in JSON text at `location` (of a policy file, or of a policy in a JSON
    template: then `parsed` holds that policy's tree, `principals` whether its type
    takes a `Principal` and `sub` whether the cursor is in a `Fn::Sub` string)."""
    result = candidates(text, offset, location, catalog, parsed, locale, principals=principals,
                        sub=sub)
    if result is None:
        return None
    typed = text[result.span.start:offset] if result.span.start < offset else ""
    items, incomplete = rank_items(result.items, typed)
    closing = _closing(text, location, result.span)
    if closing:
        items = [replace(item, new_text=item.new_text + closing)
                 if item.span is None and not item.retrigger else item for item in items]
    return CompletionList(result.span, items, incomplete)


def candidates(text: str, offset: int, location: CursorLocation, catalog: ServiceCatalog,
               parsed: ParseResult | None, locale: str | None,
               host: HostStructure | None = None, principals: bool | None = None,
               sub: bool = False) -> CompletionList | None:
    """Every item that fits the cursor's place, before matching what is typed. The same for
    JSON and host files; `host` writes the structural items (operators with their blocks,
    element names with their values) in the host's syntax instead of JSON's. `sub`: the
    cursor is in a CloudFormation `Fn::Sub` string, where `${…}` is the template's (see
    `in_sub`)."""
    result = _candidates(text, offset, location, catalog, parsed, locale, host, principals,
                         sub)
    return in_sub(result) if sub and result is not None else result


def in_sub(result: CompletionList) -> CompletionList:
    """The items as text of a `Fn::Sub` string: a policy variable is written `${!aws:…}`
    (`${aws:…}` would be a reference to the template's names); the pseudo parameters
    (`${AWS::Region}`) stay references."""
    items = []
    for item in result.items:
        if item.kind is ItemKind.VARIABLE:
            literal = "\\${" if item.snippet else "${"  # a snippet's `${1:…}` are tab stops
            item = replace(item, new_text=item.new_text.replace(literal, literal + "!"),
                           filter_text=item.filter_text.replace("${", "${!"))
        items.append(item)
    return replace(result, items=items)


def _candidates(text: str, offset: int, location: CursorLocation, catalog: ServiceCatalog,
                parsed: ParseResult | None, locale: str | None,
                host: HostStructure | None, principals: bool | None, sub: bool
                ) -> CompletionList | None:
    path = location.path
    element = _element(location)
    in_value = location.in_string and not location.is_key
    if in_value and (element in _RESOURCE_ELEMENTS or "Condition" in path):
        span = variable_span(text, location)
        if span is not None:
            return variable_items(span, sub)
        if location.prefix.startswith("arn:"):
            tree = _parsed(text, parsed)
            pieces = arn_part_items(text, location, tree.root, _statement_actions(tree, path),
                                    catalog, sub)
            if pieces is not None:
                return pieces
    if "Condition" in path and not location.is_key and not location.prefix.startswith("arn:"):
        values = condition_value_items(text, offset, location, _parsed(text, parsed).root,
                                       catalog, locale, host is not None)
        if values is not None:
            return values
    if in_value and element in ACTION_ELEMENTS:
        return CompletionList(location.content, list(action_items(location.prefix, catalog)))
    if location.is_key and path and path[-1] == "Condition":
        if host is not None:
            return host.operators(catalog)
        return operator_items(text, offset, location, catalog)
    if location.is_key and location.in_string and len(path) >= 2 and path[-2] == "Condition":
        keys = condition_key_items(_statement_actions(_parsed(text, parsed), path), catalog)
        return CompletionList(location.content, keys)
    if element in _RESOURCE_ELEMENTS and path[-1] != "Condition" and not location.is_key:
        actions = _statement_actions(_parsed(text, parsed), path)
        if location.in_string:
            return arn_items(location.content, actions, catalog, "")
        if host is None and previous_significant(text, offset) in (":", "[", ","):
            return arn_items(Span(offset, offset), actions, catalog, '"')
        return None
    principal = principal_candidates(text, offset, location, catalog, locale, host is not None,
                                     sub)
    if principal is not None:
        return principal
    if host is not None:
        return host.structure(locale)
    return complete_structure(text, offset, location, locale, principals)


class HostStructure(Protocol):
    """The structural items of a host syntax (see completion_host)."""

    def operators(self, catalog: ServiceCatalog) -> CompletionList | None: ...

    def structure(self, locale: str | None) -> CompletionList | None: ...


def _closing(text: str, location: CursorLocation, span: Span) -> str:
    """What an item must add after itself when it completes a string that has no closing
    quote yet (typing at the end of a line): the quote, and a comma when another value
    follows. Only for lists that replace the string's content up to its end."""
    content = location.content
    if not location.in_string or span.end != content.end or text[content.end:content.end + 1] \
            == '"':
        return ""
    follows = next_significant(text, content.end)
    return '",' if not location.is_key and follows in ('"', "{", "[") else '"'


_RESOURCE_ELEMENTS = ("Resource", "NotResource")
_INNER_ELEMENTS = frozenset({"Condition", "Resource", "NotResource", "Action", "NotAction"})


def _parsed(text: str, parsed: ParseResult | None) -> ParseResult:
    return parsed if parsed is not None and parsed.text == text else parse(text)


def _element(location: CursorLocation) -> str | None:
    """The policy element the cursor's value belongs to (`Action` for `Action[3]`)."""
    for step in reversed(location.path):
        if isinstance(step, str):
            return step
    return None


def action_items(prefix: str, catalog: ServiceCatalog) -> tuple[CompletionItem, ...]:
    """Every service prefix before the `:`, every action and wildcard group of the service
    after it (matched to what is typed by `complete`)."""
    service_part, colon, _ = prefix.partition(":")
    if not colon:
        return _service_items(catalog)
    service = catalog.service(service_part)
    if service is None:
        return ()
    return _service_action_items(catalog, service.prefix)


@lru_cache(maxsize=64)
def _service_action_items(catalog: ServiceCatalog, prefix: str) -> tuple[CompletionItem, ...]:
    """A service's actions and wildcard groups, in the order clients sort them; built once
    per service, not on every keystroke."""
    service = catalog.service(prefix)
    if service is None:
        return ()
    actions = list(service.actions.values())
    items = [_action_item(action, service.name) for action in actions]
    items += _wildcard_items(service.prefix, service.name, actions)
    return tuple(sorted(items, key=order_key))


def item_documentation(kind: ItemKind, label: str, catalog: ServiceCatalog | None = None
                       ) -> str:
    """The documentation of a service, action or wildcard item, recomputed from its label;
    front ends send it on `completionItem/resolve` rather than with hundreds of items."""
    catalog = catalog or default_catalog()
    service_part, _, name = label.partition(":")
    service = catalog.service(service_part)
    if kind is ItemKind.SERVICE:
        return f"**{catalog.service_name(label)}** (`{label}:`)"
    if service is None:
        return ""
    if kind is ItemKind.ACTION:
        action = service.action(name)
        return _action_item(action, service.name).documentation if action else ""
    if kind is ItemKind.WILDCARD:
        for item in _wildcard_items(service.prefix, service.name,
                                    list(service.actions.values())):
            if item.label.lower() == label.lower():
                return item.documentation
    return ""


@cache
def _service_items(catalog: ServiceCatalog) -> tuple[CompletionItem, ...]:
    """Every service prefix, the Connect family first; the same for every request."""
    items = []
    for rank, prefix in enumerate(CONNECT_FAMILY):
        name = catalog.service_name(prefix)
        items.append(CompletionItem(prefix, ItemKind.SERVICE, f"{prefix}:", name,
                                    f"**{name}** (`{prefix}:`)", f"0{rank}_{prefix}",
                                    f"{prefix}:", retrigger=True))
    for prefix in catalog.prefixes:
        if prefix in CONNECT_FAMILY:
            continue
        name = catalog.service_name(prefix)
        # No sort text: clients sort by label when there is none, and every label sorts
        # after the Connect family's "0…" keys.
        items.append(CompletionItem(prefix, ItemKind.SERVICE, f"{prefix}:", name,
                                    f"**{name}** (`{prefix}:`)", "", f"{prefix}:",
                                    retrigger=True))
    return tuple(sorted(items, key=order_key))


def _action_item(action: Action, service_name: str) -> CompletionItem:
    qualified = action.qualified_name
    doc = (f"**{qualified}** ({action.access_level})\n\n{action.description}\n\n"
           f"{service_name}")
    return CompletionItem(qualified, ItemKind.ACTION, qualified, action.access_level, doc,
                          f"1_{action.name.lower()}", qualified)


def _wildcard_items(prefix: str, service_name: str, actions: list[Action]
                    ) -> list[CompletionItem]:
    """`connect:Describe*`-style groups by leading verb, and `connect:*`."""
    verbs = Counter(words(a.name)[0] for a in actions)
    items = [CompletionItem(f"{prefix}:*", ItemKind.WILDCARD, f"{prefix}:*",
                            f"all {len(actions)} actions",
                            f"Every action of {service_name}: prefer naming the actions a job "
                            "needs (least privilege).", "2_*", f"{prefix}:*")]
    for verb, count in sorted(verbs.items()):
        if count < 2:
            continue
        stem = next(a.name for a in actions if words(a.name)[0] == verb)[: len(verb)]
        pattern = f"{prefix}:{stem}*"
        covered = [a.name for a in actions if a.name.lower().startswith(verb)]
        shown = ", ".join(f"`{n}`" for n in sorted(covered)[:12])
        more = f" and {len(covered) - 12} more" if len(covered) > 12 else ""
        # Sorted after the actions it grants (`~` sorts after letters): the first item of
        # `connect:Desc` is an action, not a grant of 36 (Neovim inserts the first item).
        items.append(CompletionItem(pattern, ItemKind.WILDCARD, pattern,
                                    f"{len(covered)} actions", f"Grants {shown}{more}.",
                                    f"1_{stem.lower()}~", pattern))
    return items


def condition_key_items(actions: list[Action], catalog: ServiceCatalog
                        ) -> list[CompletionItem]:
    """The keys the statement's actions support first, then every global key."""
    items: list[CompletionItem] = []
    seen: set[str] = set()
    for action in actions:
        service = catalog.service(action.service)
        if service is None:
            continue
        for key in catalog.condition_keys_of(action):
            if key.lower() in seen:
                continue
            seen.add(key.lower())
            info = service.condition_keys.get(key.lower())
            kind = info.type if info else _global_type(key)
            description = info.description if info else _global_description(key)
            items.append(_key_item(key, kind, description, f"0_{key.lower()}",
                                   f"Supported by `{action.qualified_name}`"))
    for global_key in GLOBAL_CONDITION_KEYS:
        if global_key.name.lower() in seen:
            continue
        kind = global_key.type + (" (multivalued)" if global_key.multivalued else "")
        items.append(_key_item(global_key.name, kind, global_key.description,
                               f"1_{global_key.name.lower()}", "AWS global condition key"))
    return items


def _key_item(key: str, kind: str, description: str, sort: str, origin: str
              ) -> CompletionItem:
    snippet = "${" in key
    new_text = key.replace("${TagKey}", "${1:TagKey}") if snippet else key
    if snippet:
        new_text = _escape_snippet(new_text)
    return CompletionItem(key, ItemKind.CONDITION_KEY, new_text, kind,
                          f"**{key}** ({kind})\n\n{description}\n\n{origin}", sort, key,
                          snippet=snippet)


def _escape_snippet(text: str) -> str:
    """Escape `$` except in the placeholder we wrote."""
    return text.replace("${1:TagKey}", "\0").replace("$", "\\$").replace("\0", "${1:TagKey}")


def _global_type(key: str) -> str:
    from ..catalog.global_keys import find_global_key

    found = find_global_key(key.replace("${TagKey}", "x"))
    return found.type if found else "String"


def _global_description(key: str) -> str:
    from ..catalog.global_keys import find_global_key

    found = find_global_key(key.replace("${TagKey}", "x"))
    return found.description if found else ""


def _statement_actions(parsed: ParseResult, path: tuple[str | int, ...]) -> list[Action]:
    """The catalog actions the statement around the cursor names (wildcards expanded)."""
    statement = _statement_at(parsed.root, path)
    if statement is None:
        return []
    return default_catalog().named_actions(
        node.value for node, _ in strings_in(statement.value_of("Action")))


def _statement_at(root: JsonValue | None, path: tuple[str | int, ...]) -> JsonObject | None:
    """The statement object on the cursor's path (the path up to the statement element the
    cursor is in: `Condition`, `Resource`, …)."""
    node: JsonValue | None = root
    cut = next((i for i, step in enumerate(path) if step in _INNER_ELEMENTS), len(path))
    steps = path[:cut]
    for step in steps:
        if isinstance(step, str) and isinstance(node, JsonObject):
            node = node.value_of(step)
        elif isinstance(step, int) and isinstance(node, JsonArray) and step < len(node.items):
            node = node.items[step]
        else:
            return None
    return node if isinstance(node, JsonObject) else None

"""Completion inside the policies of a host file: a CloudFormation/SAM template (YAML or
JSON), a YAML policy file, Terraform.

The cursor's place comes from `formats.host_location` (the same `CursorLocation` a JSON
policy gives), and the items from the same candidate builders as in JSON
(`completion.candidates`). In a JSON template that is all: the text is JSON. Elsewhere the
items are written in the host's syntax: in YAML a value that would not read back as the
same string in a plain scalar is double-quoted (`"*"`), element names come with their value
in block style (`Action:⏎  - `), operators with their block, job statements as `- ` items;
inside a quoted string only the content is replaced, and no closing quote or comma is
added as in JSON. In a policy written as a JSON string of a template, values and names are
completed in place (no members or statements), in text that needs no escape there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..analysis import Analysis
from ..catalog.services import ServiceCatalog, default_catalog
from ..document.policy import PolicyType
from ..document.syntax import JsonArray, JsonObject, JsonString, JsonValue, ParseResult
from ..document.text import indent_unit, line_indent
from ..formats.embedded import EmbeddedPolicy, JsonText
from ..formats.hcl_location import open_string_closers
from ..formats.hcl_principals import PrincipalsPlace, principals_place
from ..formats.host import HostKind
from ..formats.host_location import HostLocation, locate
from ..formats.yaml_text import plain_is_string
from .completion import candidates, complete_json
from .completion_elements import element_item, is_value_position, missing_elements, value_items
from .completion_items import CompletionItem, CompletionList, ItemKind, language
from .completion_match import rank_items
from .completion_principals import principal_type_items, principal_values
from .completion_values import operator_list
from .snippets import JOB_SNIPPETS

# Items whose text is one scalar's: written in the scalar's style.
_SCALAR_KINDS = frozenset({ItemKind.SERVICE, ItemKind.ACTION, ItemKind.WILDCARD,
                           ItemKind.CONDITION_KEY, ItemKind.VALUE, ItemKind.ARN,
                           ItemKind.OPERATOR, ItemKind.ELEMENT})


def complete_in_host(analysis: Analysis, offset: int, catalog: ServiceCatalog | None = None,
                     locale: str | None = None) -> CompletionList | None:
    """Completions at `offset` of a host file's analysis; None outside its policies or
    where nothing fits."""
    kind = analysis.host
    if kind is None or any(f.code == "FILE_ERROR" for f in analysis.findings):
        return None  # not a host file, or one too large to analyse: no parse per keystroke
    catalog = catalog or default_catalog()
    text = analysis.text
    policies = analysis.policies_at(offset)
    if kind is HostKind.TERRAFORM and _maybe_principals_block(text, offset, policies):
        place = principals_place(text, offset)
        if place is not None:
            return _principals_block_items(place, text, offset, catalog, locale)
    found = locate(policies, text, offset, kind)
    if found is None:
        return None
    parsed = ParseResult(text, found.policy.root, [], [])
    principals = _takes_principal(found)
    in_string = found.policy.json_text is not None
    if kind is HostKind.JSON and not in_string:
        return complete_json(text, offset, found.location, catalog, parsed, locale, principals,
                             found.sub)
    structure = _YamlStructure(text, found, principals) if (
        kind is HostKind.YAML and not in_string) else _NamesOnly(found, principals)
    result = candidates(text, offset, found.location, catalog, parsed, locale, structure,
                        sub=found.sub)
    if result is None:
        return None
    typed = text[result.span.start:offset] if result.span.start < offset else ""
    items, incomplete = rank_items(result.items, typed)
    written = [w for item in items if (w := _in_scalar(item, found)) is not None]
    if kind is HostKind.TERRAFORM:
        written = _escaped_for_hcl(written, text, result.span.start)
    if found.closing and result.span.end == found.location.content.end:
        # A string left open (no auto-closing quote): the item closes it.
        written = [replace(item, new_text=item.new_text + found.closing)
                   if item.span is None and not item.retrigger else item for item in written]
    return CompletionList(result.span, written, incomplete or len(written) < len(items))


def _maybe_principals_block(text: str, offset: int, policies: list[EmbeddedPolicy]) -> bool:
    """Whether the cursor may be in a string of a `principals` block, before parsing to
    know: in a string on its line, and in a policy document's data block or in no policy
    (its text may be unreadable as typed)."""
    line_start = text.rfind("\n", 0, offset) + 1
    block = text.rfind("principals", 0, offset)
    # Blocks end on a line of their own: one since the last `principals` closed it.
    return block >= 0 and _BLOCK_END.search(text, block, line_start) is None and \
        open_string_closers(text[line_start:offset]) is not None and (
            not policies or any(text.startswith("data", p.root.start) for p in policies))


_BLOCK_END = re.compile(r"^[ \t]*\}", re.MULTILINE)


def _principals_block_items(place: PrincipalsPlace, text: str, offset: int,
                            catalog: ServiceCatalog, locale: str | None
                            ) -> CompletionList | None:
    """The `type` values of a Terraform principals block, or its `identifiers` by type."""
    lang = language(locale)
    if place.attribute == "type":
        result: CompletionList | None = principal_type_items(place.content, lang)
    elif place.kind:
        result = principal_values(place.content, place.kind, catalog, lang)
    else:
        result = None  # no type yet, or one known only at plan time
    if result is None:
        return None
    typed = text[place.content.start:offset]
    items, incomplete = rank_items(result.items, typed)
    written = [item for item in items if '"' not in item.plain_text
               and "\\" not in item.plain_text]
    written = _escaped_for_hcl(written, text, place.content.start)
    if place.closing:
        written = [replace(item, new_text=item.new_text + place.closing)
                   if not item.retrigger else item for item in written]
    return CompletionList(place.content, written, incomplete or len(written) < len(items))


def _escaped_for_hcl(items: list[CompletionItem], text: str, start: int) -> list[CompletionItem]:
    """In a Terraform string `${` starts an interpolation: a policy variable is written
    `$${aws:username}`. When the `$` before the span is typed already (`$${aws:u`), the
    span starts at the second `$` and the item needs nothing more."""
    if start > 0 and text[start - 1] == "$":
        return items
    return [replace(item, new_text="\\$" + item.new_text) if item.kind is ItemKind.VARIABLE
            and item.snippet else item for item in items]


def _in_scalar(item: CompletionItem, found: HostLocation) -> CompletionItem | None:
    """The item as text of the scalar it replaces; None when it cannot be written there."""
    written = found.policy.json_text
    if written is not None:
        return _in_json_text(item, written)
    if item.kind not in _SCALAR_KINDS or item.span is not None or (
            item.snippet and item.kind in (ItemKind.OPERATOR, ItemKind.ELEMENT)):
        return item  # a whole member or statement, written in the host's syntax already
    plain = item.plain_text
    if found.quote == '"':
        return None if '"' in plain or "\\" in plain else item
    if found.quote == "'":
        return None if "'" in plain else item
    # A service prefix (`connect:`) is typed on at once: it stays plain meanwhile.
    if item.retrigger or plain_is_string(plain, found.flow):
        return item
    if '"' in plain or "\\" in plain:
        return None
    return replace(item, new_text=f'"{item.new_text}"')


def _in_json_text(item: CompletionItem, written: JsonText) -> CompletionItem | None:
    """The item inside a JSON string of a template's string: text that needs no escape
    there (none does but quotes and backslashes; in `Fn::Sub`, `completion.in_sub` wrote
    the variables as `${!…}`)."""
    plain = item.plain_text
    if '"' in plain or "\\" in plain or (written.style == "'" and "'" in plain):
        return None
    return item


def _takes_principal(found: HostLocation) -> bool:
    """Whether `Principal` belongs in the policy: by its place in the template, else (a
    policy file of its own) when one of its statements names one."""
    policy_type = found.policy.policy_type
    if policy_type is not None:
        # An SCP, like an identity policy, has no principal (an RCP's is always `*`).
        return policy_type not in (PolicyType.IDENTITY, PolicyType.SERVICE_CONTROL)
    root = found.policy.root
    statements: JsonValue | None = root.value_of("Statement") if isinstance(
        root, JsonObject) else root
    items = statements.items if isinstance(statements, JsonArray) else [statements]
    return any(isinstance(s, JsonObject) and (s.get("Principal") or s.get("NotPrincipal"))
               for s in items)


@dataclass(frozen=True, slots=True)
class _NamesOnly:
    """A host syntax we write no members in (Terraform): names alone, values in place."""

    found: HostLocation
    principals: bool

    def operators(self, catalog: ServiceCatalog) -> CompletionList | None:
        found = self.found
        return CompletionList(found.location.content,
                              operator_list(found.value_keys, catalog, None))

    def structure(self, locale: str | None) -> CompletionList | None:
        location = self.found.location
        if location.is_key:
            missing = missing_elements(location.path, self.found.siblings,
                                       lambda: self.principals)
            if missing is None:
                return None
            return CompletionList(location.content, [element_item(n, n, rank, locale, False)
                                                     for rank, n in enumerate(missing)])
        if location.in_string and is_value_position(location.path):
            return value_items(location.content, str(location.path[-1]))
        return None


@dataclass(frozen=True, slots=True)
class _YamlStructure:
    """Members, operators and statements written as YAML block text."""

    text: str
    found: HostLocation
    principals: bool

    @property
    def unit(self) -> str:
        unit = indent_unit(self.text, default="  ")
        return unit if unit.strip() == "" and "\t" not in unit else "  "

    def operators(self, catalog: ServiceCatalog) -> CompletionList | None:
        found = self.found
        if found.name_only or found.quote or found.flow:
            return _NamesOnly(found, self.principals).operators(catalog)
        inner = found.indent + self.unit
        return CompletionList(found.location.content, operator_list(
            (), catalog, lambda spelling: f"{spelling}:\n{inner}$1: $2"))

    def structure(self, locale: str | None) -> CompletionList | None:
        found = self.found
        location = found.location
        if not location.is_key or found.name_only or found.quote or found.flow:
            # A value, or a name alone (it has its value, is typed in quotes or in `{…}`).
            return _NamesOnly(found, self.principals).structure(locale)
        missing = missing_elements(location.path, found.siblings, lambda: self.principals)
        if missing is None:
            return None
        items = [element_item(n, self._member(n), rank, locale, True)
                 for rank, n in enumerate(missing)]
        if _is_statement_item(location.path) and not found.siblings and not location.prefix:
            items += self._job_items(locale)
        return CompletionList(location.content, items)

    def _member(self, name: str) -> str:
        """`Name: value` as a snippet, the value in its shape, block style."""
        inner = self.found.indent + self.unit
        if name == "Version":
            return 'Version: "2012-10-17"'
        if name == "Effect":
            return "Effect: ${1|Allow,Deny|}"
        if name in ("Action", "NotAction", "Resource", "NotResource"):
            return f"{name}:\n{inner}- $1"
        if name in ("Principal", "NotPrincipal"):
            return f"{name}:\n{inner}${{1|AWS,Service,Federated,CanonicalUser|}}: $2"
        if name == "Condition":
            return f"Condition:\n{inner}${{1:StringEquals}}:\n{inner}{self.unit}$2: $3"
        if name == "Statement":
            keys = inner + "  "
            return (f"Statement:\n{inner}- Effect: ${{1|Allow,Deny|}}\n{keys}Action:\n"
                    f"{keys}{self.unit}- $2\n{keys}Resource: \"${{3:*}}\"")
        return f"{name}: $1"  # Sid, Id, a principal's kind

    def _job_items(self, locale: str | None) -> list[CompletionItem]:
        """Whole statements for a job, in an empty `- ` item of the `Statement` list."""
        found = self.found
        dash_indent = line_indent(self.text, found.location.content.start)
        taken = frozenset(_sids(found.policy.root))
        korean = bool(locale and locale.lower().startswith("ko"))
        items = []
        for rank, job in enumerate(JOB_SNIPPETS):
            body = job.render_yaml(self.unit, dash_indent, True, taken)
            preview = "- " + job.render_yaml("  ", "", False, taken)
            description = job.description_ko if korean else job.description
            items.append(CompletionItem(
                job.name, ItemKind.SNIPPET, body, "statement",
                f"{description}\n\n```yaml\n{preview}\n```", f"1{rank:02d}", job.name,
                snippet=True))
        return items


def _is_statement_item(path: tuple[str | int, ...]) -> bool:
    return len(path) == 2 and path[0] == "Statement" and isinstance(path[1], int)


def _sids(root: JsonValue) -> list[str]:
    statements = root.value_of("Statement") if isinstance(root, JsonObject) else None
    if not isinstance(statements, JsonArray):
        return []
    found = []
    for statement in statements.items:
        sid = statement.value_of("Sid") if isinstance(statement, JsonObject) else None
        if isinstance(sid, JsonString):
            found.append(sid.value)
    return found


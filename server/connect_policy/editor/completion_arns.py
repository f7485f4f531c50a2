"""Piecewise completion of an ARN, segment by segment, where the cursor is.

`arn:` then the partition, the service, the Region, the account and the resource part: each
list replaces only the segment the cursor is in (from the colon before it to the next one),
and an item typed at the end of the text adds the colon and asks for the next list. The data:
partitions and Regions from the Region table (catalog/regions.py, built from botocore's
endpoint data), services from the ARN formats of the catalog's resource types, resource parts
from the resource types of the statement's actions (every resource type of the service when
they name none there). In a `Resource` value, and in the value of an ARN-typed condition key
(`aws:SourceArn`), where the resource part comes from the service's resource types.

In a CloudFormation `Fn::Sub` string (`sub`) the partition, Region and account lists start
with the pseudo parameter that stands for the stack's (`${AWS::Partition}`, `${AWS::Region}`,
`${AWS::AccountId}`); elsewhere such text would stay literal, so they are not offered.

Before the first colon (`arn`, or nothing typed) the whole ARNs of completion_values apply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

from ..catalog.global_keys import find_global_key
from ..catalog.regions import region_table
from ..catalog.services import CONNECT_FAMILY, Action, ServiceCatalog
from ..checks.arns import (
    ArnFormat,
    action_formats,
    namespace_formats,
    namespace_types,
    split_arn,
)
from ..checks.conditions import KeyInfo, resolve_key
from ..document.location import CursorLocation
from ..document.syntax import JsonValue, string_values
from ..document.text import Span
from .completion_items import CompletionItem, CompletionList, ItemKind, snippet_escape
from .completion_values import parameter_item

# The partitions offered after `arn:` (the others are closed to most accounts).
OFFERED_PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
_ACCOUNT_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")
_PARTITION, _SERVICE, _REGION, _ACCOUNT, _RESOURCE = 1, 2, 3, 4, 5


def arn_part_items(text: str, location: CursorLocation, root: JsonValue | None,
                   actions: Sequence[Action], catalog: ServiceCatalog, sub: bool = False
                   ) -> CompletionList | None:
    """The items of the ARN segment at the cursor, or None when the cursor is not past
    `arn:` in a resource value or an ARN-typed condition value. `sub`: the string is a
    `Fn::Sub` template (its pseudo parameters are offered)."""
    prefix = location.prefix
    if not prefix.startswith("arn:") or not location.in_string or location.is_key:
        return None
    if "Condition" in location.path:
        key = next((s for s in reversed(location.path) if isinstance(s, str)), "")
        info = resolve_key(catalog, key)
        if not isinstance(info, KeyInfo) or info.type != "ARN":
            return None
        actions = ()  # the ARN names another resource than the statement's
    fields = split_arn(prefix)
    index = len(fields.fields) - 1
    start = location.content.start + fields.starts[index]
    cursor = location.content.start + len(prefix)
    end = location.content.end
    colon_follows = False
    if index < _RESOURCE:
        colon = text.find(":", cursor, end)
        if colon >= 0:
            end, colon_follows = colon, True
    span = Span(start, end)
    partition = fields.field(_PARTITION)
    namespace = fields.field(_SERVICE).lower()
    if index == _PARTITION:
        return CompletionList(span, _with_parameter(
            "AWS::Partition", sub, colon_follows, _partition_items(colon_follows)))
    if index == _SERVICE:
        return CompletionList(span, _service_items(catalog, actions, colon_follows))
    formats = _formats(catalog, namespace, actions)
    if index == _REGION:
        regions = _region_items(partition, namespace, formats, colon_follows)
        return CompletionList(span, _with_parameter(
            "AWS::Region", sub and regions[0].label != "(no Region)", colon_follows, regions))
    if index == _ACCOUNT:
        accounts = _account_items(root, formats, colon_follows)
        return CompletionList(span, _with_parameter(
            "AWS::AccountId", sub and accounts[0].label != "(no account)", colon_follows,
            accounts))
    return CompletionList(span, _resource_items(formats, actions, catalog))


def _with_parameter(name: str, offered: bool, colon_follows: bool,
                    items: list[CompletionItem]) -> list[CompletionItem]:
    """`items`, after the pseudo parameter `name` when it is `offered` (in `Fn::Sub`)."""
    if not offered:
        return items
    return [parameter_item(name, "!", "" if colon_follows else ":", not colon_follows),
            *items]


def _part(label: str, new_text: str, detail: str, documentation: str, sort: str,
          colon_follows: bool, kind: ItemKind = ItemKind.ARN_PART, snippet: bool = False
          ) -> CompletionItem:
    """A segment's item; at the end of the text it adds the colon and asks for the next list."""
    if colon_follows:
        return CompletionItem(label, kind, new_text, detail, documentation, sort, label,
                              snippet=snippet)
    return CompletionItem(label, kind, new_text + ":", detail, documentation, sort, label,
                          snippet=snippet, retrigger=True)


# --- Partition -------------------------------------------------------------------------------

def _partition_items(colon_follows: bool) -> list[CompletionItem]:
    table = region_table()
    items = []
    for rank, code in enumerate(OFFERED_PARTITIONS):
        partition = table.partitions.get(code)
        name = partition.name if partition else code
        count = len(partition.regions) if partition else 0
        items.append(_part(code, code, name, f"Partition **{code}** ({name}): {count} Regions.",
                           f"{rank}", colon_follows))
    return items


# --- Service ---------------------------------------------------------------------------------

@cache
def _namespaces(catalog: ServiceCatalog) -> tuple[str, ...]:
    return tuple(sorted(catalog.arn_namespaces()))


def _action_namespaces(actions: Iterable[Action], catalog: ServiceCatalog) -> list[str]:
    """The ARN namespaces of the statement's actions' resource types, in order."""
    return list(dict.fromkeys(fmt.namespace for _, _, fmt in action_formats(actions, catalog)
                              if fmt.namespace))


def _service_items(catalog: ServiceCatalog, actions: Sequence[Action], colon_follows: bool
                   ) -> list[CompletionItem]:
    """The statement's services first, then the Connect services, then every other one."""
    statement = tuple(_action_namespaces(actions, catalog))
    return list(_ranked_services(catalog, statement, colon_follows))


@lru_cache(maxsize=256)
def _ranked_services(catalog: ServiceCatalog, statement_namespaces: tuple[str, ...],
                     colon_follows: bool) -> tuple[CompletionItem, ...]:
    """Built once per set of statement services: some 370 items."""
    namespaces = _namespaces(catalog)
    statement = [n for n in statement_namespaces if n in namespaces]
    family = [n for n in CONNECT_FAMILY if n in namespaces and n not in statement]
    ranked = {n: f"0{i:03d}" for i, n in enumerate(statement)}
    ranked.update({n: f"1{i}" for i, n in enumerate(family)})
    items = []
    for namespace in namespaces:
        name = catalog.service_name(namespace)
        note = " Named by the statement's actions." if namespace in statement else ""
        items.append(_part(namespace, namespace, name, f"**{name}** (`arn:…:{namespace}:`).{note}",
                           ranked.get(namespace, "2_" + namespace), colon_follows))
    return tuple(items)


# --- Region ----------------------------------------------------------------------------------

def _region_items(partition: str, namespace: str, formats: Sequence[ArnFormat],
                  colon_follows: bool) -> list[CompletionItem]:
    """The partition's Regions (where a Connect service is available first), `*` and the
    requested Region's variable; only the empty Region when the service's ARNs have none."""
    no_region = bool(formats) and not any(fmt.region for fmt in formats)
    return list(_regions(partition, namespace, no_region, colon_follows))


@lru_cache(maxsize=256)
def _regions(partition: str, namespace: str, no_region: bool, colon_follows: bool
             ) -> tuple[CompletionItem, ...]:
    if no_region:
        return (_part("(no Region)", "", "empty",
                      "The ARNs of this service have no Region: leave the field empty.",
                      "0", colon_follows),)
    table = region_table()
    known = table.partitions.get(partition) or table.partitions["aws"]
    available = table.available(namespace, known.code)
    items = []
    for code, name in known.regions.items():
        where = "0" if code in available else "1"
        doc = f"**{code}**: {name} ({known.name})."
        if code in available:
            doc += f" `{namespace}` has endpoints here ({table.source})."
        items.append(_part(code, code, name, doc, f"{where}_{code}", colon_follows))
    items.append(_part("*", "*", "any Region", "Every Region.", "2", colon_follows))
    items += _variable_items("aws:RequestedRegion", "3", colon_follows)
    return tuple(items)


def _variable_items(key: str, sort: str, colon_follows: bool) -> list[CompletionItem]:
    """`${key}` when IAM substitutes the key in a policy (a single-valued request key)."""
    found = find_global_key(key)
    if found is None or found.multivalued or found.deprecated:
        return []
    label = "${" + found.name + "}"
    return [_part(label, snippet_escape(label), found.type,
                  f"Replaced by the request's `{found.name}` when the policy is evaluated."
                  f"\n\n{found.description}", sort, colon_follows, ItemKind.VARIABLE,
                  snippet=True)]


# --- Account ---------------------------------------------------------------------------------

def _account_items(root: JsonValue | None, formats: Sequence[ArnFormat], colon_follows: bool
                   ) -> list[CompletionItem]:
    """The account IDs the policy uses already, a tab stop for another, `*` and the
    principal's account variable; only the empty account when the service's ARNs have none."""
    if formats and not any(fmt.account for fmt in formats):
        return [_part("(no account)", "", "empty",
                      "The ARNs of this service have no account: leave the field empty.",
                      "0", colon_follows)]
    used = dict.fromkeys(_ACCOUNT_ID.findall(" ".join(string_values(root))))
    items = [_part(account, account, "used in this policy",
                   f"Account **{account}**, named elsewhere in this policy.", f"0_{account}",
                   colon_follows) for account in used]
    items.append(_part("{Account}", "${1:Account}", "your account ID (fill in)",
                       "The 12-digit ID of the account that owns the resource.", "1",
                       colon_follows, snippet=True))
    items.append(_part("*", "*", "any account", "Every account.", "2", colon_follows))
    items += _variable_items("aws:PrincipalAccount", "3", colon_follows)
    return items


# --- Resource --------------------------------------------------------------------------------

def _formats(catalog: ServiceCatalog, namespace: str, actions: Sequence[Action]
             ) -> list[ArnFormat]:
    """The ARN formats of `namespace` the statement's actions take, else all of them."""
    taken = [fmt for fmt, _ in _action_formats(catalog, namespace, actions)]
    return taken or list(namespace_formats(catalog, namespace))


def _action_formats(catalog: ServiceCatalog, namespace: str, actions: Iterable[Action]
                    ) -> list[tuple[ArnFormat, tuple[str, str, int, int]]]:
    """Each format of `namespace` the actions take, with its resource type, an action that
    takes it, how many do and how many require it; most required and used first."""
    counts: dict[ArnFormat, tuple[str, str, int, int]] = {}
    for action, resource, fmt in action_formats(actions, catalog):
        if fmt.namespace == namespace:
            _, example, uses, required = counts.get(
                fmt, (resource.name, action.qualified_name, 0, 0))
            counts[fmt] = (resource.name, example, uses + 1, required + resource.required)
    return sorted(counts.items(), key=lambda kv: (-kv[1][3], -kv[1][2], kv[0].arn))


def _resource_items(formats: Sequence[ArnFormat], actions: Sequence[Action],
                    catalog: ServiceCatalog) -> list[CompletionItem]:
    """`*`, then each format's resource part with every ID as `*`, and as a snippet with a
    tab stop for each ID."""
    namespace = formats[0].namespace if formats else ""
    facts = dict(_action_formats(catalog, namespace, actions))
    names = {fmt.arn: name for fmt, name in namespace_types(catalog, namespace)}
    # `*` after the named resource types: a client that inserts the first item (Neovim's
    # omnifunc) then writes the least privilege, not every resource.
    items = [CompletionItem("*", ItemKind.ARN_PART, "*", "every resource",
                            "Every resource of this service in this Region and account. Name "
                            "resources instead when the job allows it (least privilege).",
                            "2" if formats else "0", "*")]
    for rank, fmt in enumerate(formats):
        type_name = facts[fmt][0] if fmt in facts else names.get(fmt.arn, "")
        doc = f"Resource type **{type_name}**"
        if fmt in facts:
            _, example, uses, _ = facts[fmt]
            doc += f", used by `{example}`" + (f" and {uses - 1} more" if uses > 1 else "")
        doc += f".\n\n`{fmt.arn}`"
        any_id = _PLACEHOLDER.sub("*", fmt.resource)
        items.append(CompletionItem(any_id, ItemKind.ARN_PART, any_id, f"{type_name} (any)", doc,
                                    f"1_{rank:03d}a", any_id))
        if "${" not in fmt.resource:
            continue
        stops: dict[str, int] = {}
        pieces = []
        for i, piece in enumerate(_PLACEHOLDER.split(fmt.resource)):  # odd: placeholders
            if i % 2 == 0:
                pieces.append(snippet_escape(piece))
            else:
                number = stops.setdefault(piece, len(stops) + 1)
                pieces.append("${" + f"{number}:{snippet_escape(piece)}" + "}")
        label = _PLACEHOLDER.sub(lambda m: "{" + m.group(1) + "}", fmt.resource)
        items.append(CompletionItem(label, ItemKind.ARN_PART, "".join(pieces),
                                    f"{type_name} (fill in)", doc, f"1_{rank:03d}b", any_id,
                                    snippet=True))
    return items

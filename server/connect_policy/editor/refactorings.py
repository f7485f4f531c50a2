"""Refactorings of a statement's actions (code actions of kind `refactor.rewrite`).

Unlike quick fixes they do not depend on findings: they rewrite a policy into one that IAM
reads the same way today.

- Expand a wildcard action (`connect:Describe*`) into the sorted list of the actions it grants
  today. Offered only where that is least privilege: in the `Action` of an `Allow` statement
  and in the `NotAction` of a `Deny` statement (actions AWS adds later are then no longer
  granted). Elsewhere expanding would quietly widen the policy, so it is not offered. Not
  offered for a service wildcard (`*`, `conn*:List*`), for a pattern that matches nothing, for
  more than `MAX_EXPANSION` actions, or when the result would exceed IAM's size quota for an
  identity policy (`connect:*`, 387 actions, alone takes 12,700 characters).
- Collapse: when an `Action` or `NotAction` array lists every action that a wildcard grants
  today (a `connect:Describe*`-style group by leading verb, or `connect:*`), replace exactly
  those entries (and any other entry the wildcard covers, which would be redundant) with the
  wildcard. Only when the listed actions equal the wildcard's expansion, so that the policy
  grants the same today; the wildcard will also grant actions AWS adds later. On an entry,
  the groups of that entry; on the element itself, each group (when there are few) and one
  action that collapses every complete group.
- Sort the entries of an `Action` or `NotAction` array and drop exact duplicates (compared
  case-insensitively, as IAM compares actions). Entries covered by a wildcard are left alone:
  REDUNDANT_ACTION reports them and carries the fix.

Edits keep the document's layout, JSON or YAML (`refactor_layout`). In a template or YAML
policy file they apply to the policy at the cursor; a YAML element whose value is an alias
is left alone (its entries are the anchor's, used elsewhere too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..analysis import Analysis
from ..catalog.services import Action, Service, ServiceCatalog, default_catalog
from ..catalog.suggest import words
from ..checks.redundancy import covers
from ..checks.size import IDENTITY_POLICY_QUOTA, policy_size
from ..document.policy import ACTION_ELEMENTS, Statement
from ..document.syntax import JsonArray, JsonMember, JsonString, to_python
from ..document.text import Span
from ..findings import TextEdit
from ..formats.host import HostKind, embedded_policy
from .refactor_layout import Layout, array_edit, quoted, rewritable, rewrite, separator

REWRITE = "refactor.rewrite"

# Beyond this many actions an explicit list stops being readable or reviewable (and soon
# exceeds the policy size quota anyway): such wildcards are not offered for expansion.
MAX_EXPANSION = 200

# With the cursor on the element rather than on an entry, at most this many collapses are
# listed one by one (plus one that collapses them all); beyond it only the latter.
MAX_LISTED_GROUPS = 5


@dataclass(frozen=True, slots=True)
class Refactoring:
    """A rewrite the editor can apply: a title and the edits, in document offsets."""

    title: str
    edits: tuple[TextEdit, ...]
    kind: str = REWRITE


def refactorings(analysis: Analysis, span: Span, catalog: ServiceCatalog | None = None
                 ) -> list[Refactoring]:
    """The refactorings for the `Action`/`NotAction` elements that `span` touches (in a
    template or YAML file, those of the policy at `span`)."""
    catalog = catalog or default_catalog()
    text = analysis.text
    layout = Layout(text, analysis.host is HostKind.YAML)
    statements = analysis.policy.statements
    counted = text
    if analysis.host is not None:
        embedded = analysis.policy_at(span.start)
        if embedded is None or embedded.json_text is not None:
            return []  # JSON text in a template's string: not rewritten (yet)
        policy = embedded_policy(embedded, text)
        if not policy.is_policy:
            return []
        statements = policy.statements
        # What IAM receives is the policy's JSON, not the host's text.
        counted = json.dumps(to_python(embedded.root), separators=(",", ":"),
                             ensure_ascii=False)
    found: list[Refactoring] = []
    size: int | None = None  # the document's size, counted once (it was once per statement)
    for statement in statements:
        for element in ACTION_ELEMENTS:
            member = statement.member(element)
            if member is None or member.value is None:
                continue
            if layout.yaml and member.value.start < member.key.end:
                continue  # an alias: its entries are the anchor's, used elsewhere too
            if not _touches(Span(member.key.start, member.end), span):
                continue
            if _expansion_narrows(statement, element):
                size = policy_size(counted) if size is None else size
                found += _expansions(layout, statement, member, span, catalog, size)
            value = member.value
            if isinstance(value, JsonArray) and rewritable(value, layout):
                found += _collapses(layout, value, span, catalog)
                sort = _sort(layout, element, value)
                if sort is not None:
                    found.append(sort)
    return found


def _touches(node: Span, span: Span) -> bool:
    return node.end >= span.start and node.start <= span.end


def _expansion_narrows(statement: Statement, element: str) -> bool:
    effect = statement.value("Effect")
    deny = isinstance(effect, JsonString) and effect.value.lower() == "deny"
    return deny == (element == "NotAction")


# -- expand ----------------------------------------------------------------------------------

def _split(value: str, catalog: ServiceCatalog) -> tuple[Service, str] | None:
    prefix, colon, name = value.partition(":")
    if not colon or not name or "*" in prefix or "?" in prefix:
        return None
    service = catalog.service(prefix)
    return (service, name) if service is not None else None


def _expansions(layout: Layout, statement: Statement, member: JsonMember, span: Span,
                catalog: ServiceCatalog, size: int) -> list[Refactoring]:
    text = layout.text
    value = member.value
    found: list[Refactoring] = []
    if isinstance(value, JsonString):
        entries: list[JsonString] = [value]
    elif isinstance(value, JsonArray):
        entries = [item for item in value.items if isinstance(item, JsonString)]
    else:
        return found
    if size > IDENTITY_POLICY_QUOTA:
        return found  # already too large for IAM: an expansion would only make it worse
    for node in entries:
        pattern = node.value
        if not node.terminated or ("*" not in pattern and "?" not in pattern):
            continue
        if isinstance(value, JsonArray) and not _touches(node.span, span):
            continue
        split = _split(pattern, catalog)
        if split is None:
            continue
        service, name = split
        matched = sorted(service.match(name), key=lambda a: a.name.lower())
        if not matched or len(matched) > MAX_EXPANSION:
            continue
        # Entries that can grant one of these actions: same service, or a wildcard service.
        head = f"{service.prefix.lower()}:"
        others = [item.value for item in entries if item is not node and (
            item.value.lower().startswith(head) or "*" in item.value.partition(":")[0]
            or "?" in item.value.partition(":")[0])]
        new = [a for a in matched if not any(covers(o, a.qualified_name, True) for o in others)]
        if not new:
            continue  # everything it grants is listed already: REDUNDANT_ACTION's business
        names = [quoted(a.qualified_name, layout) for a in new]
        if isinstance(value, JsonArray):
            if layout.yaml and not rewritable(value, layout):
                continue
            edit = TextEdit(node.span, separator(layout, value).join(names))
        elif len(names) == 1:
            edit = TextEdit(node.span, names[0])
        else:
            edit = array_edit(layout, statement, member, names)
        if layout.yaml:  # counted as the JSON that IAM receives
            grown = size + policy_size(",".join(json.dumps(a.qualified_name) for a in new)
                                       ) - len(json.dumps(pattern))
        else:
            grown = size + policy_size(edit.new_text) - policy_size(text[node.start:node.end])
        if grown > IDENTITY_POLICY_QUOTA:
            continue
        found.append(Refactoring(_expand_title(pattern, matched, len(matched) - len(new)),
                                 (edit,)))
    return found


def _expand_title(pattern: str, matched: list[Action], listed: int) -> str:
    if len(matched) == 1:
        title = f'Expand "{pattern}" into "{matched[0].qualified_name}"'
    else:
        title = f'Expand "{pattern}" into its {len(matched)} actions'
    if listed:
        title += f" ({listed} already listed)"
    return title


# -- collapse --------------------------------------------------------------------------------

def _collapses(layout: Layout, array: JsonArray, span: Span, catalog: ServiceCatalog
               ) -> list[Refactoring]:
    items: list[JsonString] = [item for item in array.items if isinstance(item, JsonString)]
    lowered = [item.value.lower() for item in items]
    present = set(lowered)
    touched = [lowered[i] for i, item in enumerate(items) if _touches(item.span, span)]
    # Explicit catalog actions by service: lower-case name -> indices of its entries. With
    # the cursor on some entries, only their services can offer a group.
    wanted = {value.partition(":")[0] for value in touched}
    services: dict[str, tuple[Service, dict[str, list[int]]]] = {}
    for i, item in enumerate(items):
        if "*" in item.value or "?" in item.value:
            continue
        if touched and lowered[i].partition(":")[0] not in wanted:
            continue
        split = _split(item.value, catalog)
        if split is None or split[0].action(split[1]) is None:
            continue
        service, name = split
        services.setdefault(service.prefix.lower(), (service, {}))[1].setdefault(
            name.lower(), []).append(i)
    groups: list[tuple[str, list[int]]] = []  # (wildcard, indices of the entries it covers)
    for service, names in services.values():
        for pattern in _complete_groups(service, names):
            qualified = f"{service.prefix}:{pattern}"
            if qualified.lower() in present:
                continue
            # The group's entries, and any other entry the wildcard covers (a narrower
            # wildcard, an action the catalog no longer lists): kept, they would be redundant.
            head = qualified[:-1].lower()  # what every entry it covers starts with
            if touched and not any(value.startswith(head) and covers(qualified, value, True)
                                   for value in touched):
                continue
            groups.append((qualified, [i for i, value in enumerate(lowered)
                                       if value.startswith(head)
                                       and covers(qualified, value, True)]))
    # On an entry: its groups. Elsewhere in the element: each group when there are few, and
    # one action for all of them when there are several.
    found: list[Refactoring] = []
    if touched or len(groups) <= MAX_LISTED_GROUPS:
        for qualified, indices in groups:
            count = len({lowered[i] for i in indices})
            found.append(Refactoring(f'Collapse {count} actions into "{qualified}"',
                                     (_collapse(layout, array, [(qualified, indices)]),)))
    if not touched and len(groups) > 1:
        # A wildcard that another one covers (`List*` and `Listen*`) is left out.
        kept = [(q, i) for q, i in groups
                if not any(o != q and covers(o, q, True) for o, _ in groups)]
        found.append(Refactoring(f"Collapse {len(kept)} complete groups into their wildcards",
                                 (_collapse(layout, array, kept),)))
    return found


def _collapse(layout: Layout, array: JsonArray, groups: list[tuple[str, list[int]]]
              ) -> TextEdit:
    """Each group's wildcard in place of its first entry, and its other entries removed."""
    replace: dict[int, str] = {}
    drop: set[int] = set()
    for qualified, indices in groups:
        if indices[0] in drop or indices[0] in replace:
            continue
        replace[indices[0]] = quoted(qualified, layout)
        drop.update(indices[1:])
    text = layout.text
    entries = [replace.get(i, text[item.start:item.end])
               for i, item in enumerate(array.items) if i not in drop]
    return rewrite(layout, array, entries)


def _complete_groups(service: Service, names: dict[str, list[int]]) -> list[str]:
    """The wildcards (`*`, or `Verb*`) whose every action is among `names`; `*` alone when
    the whole service is listed."""
    if len(service.actions) >= 2 and all(name in names for name in service.actions):
        return ["*"]
    groups: list[str] = []
    stems: set[str] = set()
    for low in names:
        action = service.actions[low]
        stem = action.name[:len(words(action.name)[0])]
        if not stem or stem.lower() in stems:
            continue
        stems.add(stem.lower())
        matched = service.match(stem + "*")
        if len(matched) >= 2 and all(a.name.lower() in names for a in matched):
            groups.append(stem + "*")
    groups.sort(key=str.lower)
    return groups


# -- sort and de-duplicate -------------------------------------------------------------------

def _sort(layout: Layout, element: str, array: JsonArray) -> Refactoring | None:
    text = layout.text
    items: list[JsonString] = [item for item in array.items if isinstance(item, JsonString)]
    unique: dict[str, JsonString] = {}
    for item in items:
        unique.setdefault(item.value.lower(), item)
    ordered = sorted(unique.values(), key=lambda item: (item.value.lower(), item.value))
    if ordered == items:
        return None
    duplicates = len(items) - len(unique)
    noun = "actions" if element == "Action" else '"NotAction" entries'
    copies = f"{duplicates} duplicate{'s' if duplicates > 1 else ''}"
    if ordered == list(unique.values()):
        title = f"Remove {copies} from the {noun}"
    elif duplicates:
        title = f"Sort the {noun} and remove {copies}"
    else:
        title = f"Sort the {noun}"
    return Refactoring(title, (rewrite(layout, array,
                                        [text[i.start:i.end] for i in ordered]),))

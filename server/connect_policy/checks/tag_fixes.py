"""The quick fix for ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE: move the actions a
tag condition cannot restrict to a statement of their own, without the tag condition.

The new statement is a copy of the original, placed right after it, so it keeps the author's
key order, indentation and line breaks and every element the fix has no reason to touch
(Effect, Resource or NotResource, ...). In the copy:
- `Action` lists only the moved actions, in the original array's layout;
- a `Sid` becomes a derived one (`<Sid>NoTagCondition`, numbered when taken), so Sids stay unique;
- the condition keeps what still applies to the moved actions: tag keys go (`aws:ResourceTag/`,
  `aws:RequestTag/`, `aws:TagKeys`: these actions never carry them, so keeping any would make
  the statement grant nothing again); other global keys (`aws:SourceIp`,
  `aws:RequestedRegion`, `aws:PrincipalTag/…`) are in every request and stay, so the fix does
  not widen the grant beyond dropping the tag restriction; a service key stays when a moved
  action is of its service or lists it, else it goes (such a key is never in these requests).
  Operator blocks and a `Condition` left empty go too.
When every action of the statement would move, the statement itself becomes that copy: the
tag condition keys are removed in place.

Only Allow statements get the fix. In a Deny, the condition is what limits the Deny to tagged
resources; moving actions out of it would make the Deny apply to them on every resource,
a broader Deny than the author wrote, which is a decision a quick fix must not make.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..catalog.services import ServiceCatalog
from ..document.json_edits import apply_edits, remove_entries, separator
from ..document.policy import Policy, Statement, strings_in
from ..document.syntax import JsonArray, JsonObject, JsonString
from ..document.text import Span
from ..findings import Fix, TextEdit

_TAG_NAMES = ("resourcetag/", "requesttag/", "tagkeys")
_SID_SUFFIX = "NoTagCondition"


def _is_tag_key(key: str) -> bool:
    prefix, _, name = key.lower().partition(":")
    return prefix == "aws" and name.startswith(_TAG_NAMES)


def _keeps(key: str, actions: Sequence[str], catalog: ServiceCatalog) -> bool:
    """Whether a condition key still applies to the moved actions."""
    if _is_tag_key(key):
        return False
    low = key.lower()
    prefix = low.partition(":")[0]
    if prefix == "aws" or ":" not in low:
        return True
    if any(a.lower().partition(":")[0] == prefix for a in actions):
        return True
    for qualified in actions:
        service_prefix, _, name = qualified.partition(":")
        service = catalog.service(service_prefix)
        action = service.action(name) if service is not None else None
        if action is not None and low in {k.lower() for k in catalog.condition_keys_of(action)}:
            return True
    return False


def _condition_edits(statement: Statement, actions: Sequence[str], catalog: ServiceCatalog
                     ) -> list[TextEdit] | None:
    """Edits (document offsets) that drop the condition keys which no longer apply; None when
    the condition's shape does not allow a clean edit."""
    member = statement.member("Condition")
    condition = member.value if member is not None else None
    if not isinstance(condition, JsonObject) or not condition.closed:
        return None
    edits: list[TextEdit] = []
    dropped_blocks: list[int] = []
    for index, block in enumerate(condition.members):
        value = block.value
        if not isinstance(value, JsonObject):
            continue
        if not value.closed:
            return None
        gone = [i for i, m in enumerate(value.members)
                if not _keeps(m.key.value, actions, catalog)]
        if gone and len(gone) == len(value.members):
            dropped_blocks.append(index)
        elif gone:
            edits.extend(remove_entries(value, gone))
    if dropped_blocks and len(dropped_blocks) == len(condition.members):
        statement_index = next(i for i, m in enumerate(statement.node.members) if m is member)
        return remove_entries(statement.node, [statement_index])
    if dropped_blocks:
        edits.extend(remove_entries(condition, dropped_blocks))
    return edits


def _title(shown: Sequence[str], in_place: bool) -> str:
    listed = ", ".join(f'"{a}"' for a in shown[:3])
    if len(shown) > 3:
        listed += f" and {len(shown) - 3} more"
    if in_place:
        return f"Remove the tag condition, which {listed} cannot honour"
    return f"Move {listed} to {'its' if len(shown) == 1 else 'their'} own statement"


def _new_sid(policy: Policy, sid: str) -> str:
    taken = {s.value.lower() for st in policy.statements
             if isinstance(s := st.value("Sid"), JsonString)}
    base = sid + _SID_SUFFIX
    candidate, number = base, 2
    while candidate.lower() in taken:
        candidate, number = f"{base}{number}", number + 1
    return candidate


def move_to_own_statement(text: str, policy: Policy, statement: Statement,
                          moved: Sequence[JsonString], actions: Sequence[str],
                          catalog: ServiceCatalog) -> Fix | None:
    """The fix that moves the `moved` entries of the statement's `Action` (naming the catalog
    `actions`) to a new statement after it; None when it cannot be done cleanly."""
    if not moved or not statement.node.closed:
        return None
    condition_edits = _condition_edits(statement, actions, catalog)
    if condition_edits is None:
        return None
    value = statement.value("Action")
    entries = list(strings_in(value))
    moved_ids = {id(node) for node in moved}
    indices = [i for node, i in entries if id(node) in moved_ids]
    shown = [node.value for node in moved]
    if len(indices) != len(moved):
        return None
    if len(moved) == len(entries) or not isinstance(value, JsonArray):
        # Every action would move (`Action` as a string is one action): the statement
        # without the tag condition is the statement itself.
        if len(moved) != len(entries):
            return None
        return Fix(_title(shown, True), tuple(condition_edits), True)
    if not value.closed or len(value.items) != len(entries) or any(
            i is None for i in indices):
        return None
    # The copy: the same statement with the moved actions only, a derived Sid and the
    # condition edits, in the statement's own layout.
    node = statement.node
    items = value.items
    copy_edits = list(condition_edits)
    kept_text = separator(text, value).join(text[n.start:n.end] for n in moved)
    copy_edits.append(TextEdit(Span(items[0].start, items[-1].end), kept_text))
    sid = statement.value("Sid")
    if isinstance(sid, JsonString) and sid.terminated:
        new_sid = json.dumps(_new_sid(policy, sid.value), ensure_ascii=False)
        copy_edits.append(TextEdit(sid.span, new_sid))
    copy = apply_edits(text[node.start:node.end], copy_edits, node.start)
    edits = remove_entries(value, [i for i in indices if i is not None])
    root = policy.root
    container = root.value_of("Statement") if root is not None else None
    if statement.path[:1] != ("Statement",) or root is None:
        return None  # a lone statement or one pasted after the policy: no array to add to
    if isinstance(container, JsonArray) and len(statement.path) == 2:
        if not container.closed:
            return None
        edits.append(TextEdit(Span(node.end, node.end), separator(text, container) + copy))
    elif container is node:
        edits.append(TextEdit(Span(node.start, node.start), "["))
        edits.append(TextEdit(Span(node.end, node.end), ", " + copy + "]"))
    else:
        return None
    return Fix(_title(shown, False), tuple(edits), True)


__all__ = ["move_to_own_statement"]

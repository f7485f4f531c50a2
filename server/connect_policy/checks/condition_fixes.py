"""Quick fixes that rename a `Condition` operator, move keys between operator blocks, or add
a `Null` check that requires a key.

Renaming a block's operator is the minimal fix when the block holds just the key the finding
is about. When the new operator is already a block of the same `Condition`, a rename would
write that key twice (JSON keeps only the last, IAM rejects it): the keys are merged into the
existing block instead, which keeps the meaning, since the blocks of a condition and the keys
of a block all have to match. A block that holds other keys too keeps them: only the key in
question moves, to a new block after it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from ..catalog.operators import IF_EXISTS_SUFFIX, ConditionOperator, ParsedOperator
from ..document.json_edits import (
    append_entry,
    insert_first_member,
    member_span,
    remove_entries,
    separator,
)
from ..document.policy import Statement
from ..document.syntax import JsonMember, JsonObject, JsonString
from ..document.text import Span
from ..findings import Fix, TextEdit

_BLANK = re.compile(r"[ \t\r\n]*")
_COLON = re.compile(r"[ \t\r\n]*:[ \t\r\n]*")


def preferred_qualifier(effect: str | None, operator: ConditionOperator) -> str:
    """The set qualifier that most likely says what an unqualified condition meant.

    With a positive operator (`StringEquals`, `ArnLike`, ...) the author meant "the request
    carries one of these values": `ForAnyValue:`, in an Allow (which then, like the
    unqualified operator, never matches a request without the key; `ForAllValues:` would also
    grant those) and in a Deny (which then denies as soon as one listed value appears;
    `ForAllValues:` would let a request through that adds one unlisted value).
    With a negated operator (`StringNotEquals`, ...) an Allow means "none of the request's
    values is one of these": `ForAllValues:` (`ForAnyValue:` would grant a request with one
    listed and one other value). A Deny with a negated operator is the allow-list idiom, "deny
    when a value is not one of these": `ForAnyValue:` again (`ForAllValues:` would let a
    listed value smuggle in an unlisted one).
    """
    if operator.negated and effect != "Deny":
        return "ForAllValues"
    return "ForAnyValue"


def _escaped(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def rename_operator(block: JsonMember, condition: JsonObject, new: str,
                    preferred: bool = True) -> tuple[Fix, ...]:
    """Renaming a block's operator is only safe when the block holds this one key and the
    new name is not already an operator of the condition."""
    if (not isinstance(block.value, JsonObject) or len(block.value.members) != 1
            or condition.get(new) is not None):
        return ()
    return (Fix(f'Change the operator to "{new}"',
                (TextEdit(block.key.content_span(), _escaped(new)[1:-1]),), preferred),)


class ConditionEditor:
    """Operator renames and key moves inside one statement's `Condition`."""

    def __init__(self, text: str, statement: Statement, condition: JsonObject) -> None:
        self.text = text
        self.condition = condition
        effect = statement.value("Effect")
        self.effect = effect.value if isinstance(effect, JsonString) else None

    # --- MISSING_QUALIFIER ------------------------------------------------------------------

    def qualifier_fixes(self, block: JsonMember, member: JsonMember,
                        parsed: ParsedOperator) -> tuple[Fix, ...]:
        """`Add ForAnyValue:` and `Add ForAllValues:`, the likely intent first and preferred
        (see `preferred_qualifier`); either is left out when it cannot be written safely."""
        first = preferred_qualifier(self.effect, parsed.operator)
        fixes = []
        for qualifier in (first, *(q for q in ("ForAnyValue", "ForAllValues") if q != first)):
            fix = self._qualify(block, member, parsed, qualifier, qualifier == first)
            if fix is not None:
                fixes.append(fix)
        return tuple(fixes)

    def _qualify(self, block: JsonMember, member: JsonMember, parsed: ParsedOperator,
                 qualifier: str, preferred: bool) -> Fix | None:
        new = f"{qualifier}:{parsed.canonical}"
        title = f'Add "{qualifier}:"'
        key = block.key
        if self.condition.get(new) is None and self._members(block) == [member]:
            if key.verbatim and key.value == parsed.canonical:
                at = key.content_start  # insert before the operator name, inside the quotes
                return Fix(title, (TextEdit(Span(at, at), f"{qualifier}:"),), preferred)
            return Fix(title, (TextEdit(key.content_span(), _escaped(new)[1:-1]),), preferred)
        edits = self.move(block, [member], new)
        return Fix(title, edits, preferred) if edits else None

    # --- NULL_WITH_IF_EXISTS ----------------------------------------------------------------

    def remove_if_exists(self, block: JsonMember) -> tuple[Fix, ...]:
        """`NullIfExists` -> `Null` (any set qualifier goes too: it does nothing on `Null`);
        the keys join an existing `Null` block rather than repeating it."""
        key = block.key
        target = self.condition.get("Null")
        if target is not None and target is not block:
            members = self._members(block)
            if members is None:
                return ()
            # An empty `NullIfExists: {}` only has to go.
            edits = self.move(block, members, "Null") if members else self._remove_block(block)
            if not edits:
                return ()
            return (Fix('Remove "IfExists" (merging the keys into the existing "Null")',
                        edits, True),)
        if target is block:  # cannot happen for `…IfExists`, kept for safety
            return ()
        if key.verbatim and key.value == "Null" + IF_EXISTS_SUFFIX:
            suffix = key.content_span(len(key.value) - len(IF_EXISTS_SUFFIX), len(key.value))
            return (Fix('Remove "IfExists"', (TextEdit(suffix, ""),), True),)
        return (Fix('Change to "Null"', (TextEdit(key.content_span(), "Null"),), True),)

    # --- ALLOW_WITH_FORALLVALUES -------------------------------------------------------------

    def require_key(self, key: str) -> tuple[Fix, ...]:
        """`"Null": {key: "false"}`: the key joins the condition's `Null` block, or a new
        `Null` block opens the condition (at its start, where a YAML host cannot mistake it
        for a member of the block before it). Not when `Null` already tests the key (with
        another value: the author meant something else) or the objects are not closed."""
        condition = self.condition
        member = f'{_escaped(key)}: "false"'
        title = f'Add a "Null" check that requires {_escaped(key)}'
        existing = condition.get("Null")
        if existing is not None:
            block = existing.value
            if (not isinstance(block, JsonObject) or not block.closed
                    or any(m.key.value.lower() == key.lower() for m in block.members)):
                return ()
            return (Fix(title, (append_entry(self.text, block, member),)),)
        if not condition.closed or not condition.members:
            return ()
        return (Fix(title, (insert_first_member(self.text, condition, "Null",
                                                f'{{{member}}}'),)),)

    # --- Moving keys ------------------------------------------------------------------------

    def _members(self, block: JsonMember) -> list[JsonMember] | None:
        """The block's keys when the block is a closed object, else None."""
        value = block.value
        if not isinstance(value, JsonObject) or not value.closed:
            return None
        return list(value.members)

    def _remove_block(self, block: JsonMember) -> tuple[TextEdit, ...]:
        index = next(i for i, m in enumerate(self.condition.members) if m is block)
        if len(self.condition.members) < 2 or not self.condition.closed:
            return ()
        return tuple(remove_entries(self.condition, [index]))

    def move(self, block: JsonMember, members: Sequence[JsonMember], new: str
             ) -> tuple[TextEdit, ...]:
        """Edits that put `members` (keys of `block`) under the operator `new`: into the
        block of that name when there is one (not when it already has one of these keys),
        else into a new block after `block`. () when it cannot be done cleanly."""
        text, condition = self.text, self.condition
        source = block.value
        own = self._members(block)
        if (not isinstance(source, JsonObject) or own is None or not condition.closed
                or not members or any(m.value is None for m in members)):
            return ()
        moved = [text[member_span(m).start:member_span(m).end] for m in members]
        indices = [i for i, m in enumerate(own) if any(m is x for x in members)]
        if len(indices) != len(members):
            return ()
        edits: list[TextEdit] = []
        target = condition.get(new)
        if target is not None:
            value = target.value
            if target is block or not isinstance(value, JsonObject) or not value.closed:
                return ()
            existing = {m.key.value.lower() for m in value.members}
            if any(m.key.value.lower() in existing for m in members):
                return ()  # the key is in both blocks: merging would write it twice
            if len(indices) == len(own):
                edits.extend(self._remove_block(block))
                if not edits:
                    return ()
            else:
                edits.extend(remove_entries(source, indices))
            edits.append(append_entry(text, value, separator(text, value).join(moved)))
            return tuple(edits)
        if len(indices) == len(own):
            return ()  # the whole block: the caller renames it instead
        edits.extend(remove_entries(source, indices))
        lead = text[source.start + 1:own[0].key.start]
        trail = text[own[-1].end:source.end - 1]
        if not (_BLANK.fullmatch(lead) and _BLANK.fullmatch(trail)):
            lead, trail = "", ""
        inner = separator(text, source).join(moved)
        colon = text[block.key.end:source.start]
        if not _COLON.fullmatch(colon):
            colon = ": "
        created = f"{_escaped(new)}{colon}{{{lead}{inner}{trail}}}"
        edits.append(TextEdit(Span(block.end, block.end), separator(text, condition) + created))
        return tuple(edits)


__all__ = ["ConditionEditor", "preferred_qualifier", "rename_operator"]

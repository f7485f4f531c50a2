"""Which of a finding's fixes (JSON text) are also right in a YAML host.

Only the fixes that replace part of one scalar's content are kept (a did-you-mean for an
action, a service prefix, an operator…), and only when the new text means the same inside
that scalar: a double-quoted YAML scalar takes JSON's escapes as they are; a single-quoted
one takes text without backslashes or quotes; a plain one, text that stays one plain string
(no quotes, no characters that start or end YAML syntax, not read as a boolean or number).
Every other fix (inserting a member, wrapping, removing an item) is dropped; the finding
stays.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import replace

from ..document.syntax import JsonArray, JsonObject, JsonString, JsonUnknown, JsonValue
from ..findings import Finding, Fix, TextEdit

# A plain scalar that stays a plain string: starts with a letter or digit, holds no
# `#`, `,`, brackets, braces, quotes or spaces, and does not end with `:`.
_SAFE_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/*?@+=$-]*(?<!:)")
_NOT_A_STRING = re.compile(r"(?i)(?:true|false|yes|no|on|off|null|y|n|~|[-+]?[0-9][0-9_.eE+-]*)")


class ScalarIndex:
    """The policy's strings, by start offset: to find the scalar an edit falls in."""

    def __init__(self, root: JsonValue) -> None:
        strings = sorted(_strings(root), key=lambda s: s.start)
        self._starts = [s.start for s in strings]
        self._strings = strings

    def containing(self, start: int, end: int) -> JsonString | None:
        i = bisect_right(self._starts, start) - 1
        while i >= 0:
            node = self._strings[i]
            content = node.content_span()
            if content.start <= start and end <= content.end and node.terminated:
                return node
            if node.end < start:
                return None
            i -= 1
        return None


def _strings(node: JsonValue | None) -> Iterator[JsonString]:
    if isinstance(node, JsonString):
        yield node
    elif isinstance(node, JsonObject):
        for member in node.members:
            yield from _strings(member.value)
    elif isinstance(node, JsonArray):
        for item in node.items:
            yield from _strings(item)
    elif isinstance(node, JsonUnknown):
        for alternative in node.alternatives:
            yield from _strings(alternative)


def yaml_fixes(finding: Finding, scalars: ScalarIndex, text: str) -> Finding:
    kept = tuple(fix for fix in finding.fixes if _valid_in_yaml(fix, scalars, text))
    return finding if kept == finding.fixes else replace(finding, fixes=kept)


def _valid_in_yaml(fix: Fix, scalars: ScalarIndex, text: str) -> bool:
    return bool(fix.edits) and all(_edit_ok(edit, scalars, text) for edit in fix.edits)


def _edit_ok(edit: TextEdit, scalars: ScalarIndex, text: str) -> bool:
    node = scalars.containing(edit.span.start, edit.span.end)
    if node is None or not node.verbatim:
        return False
    opening = text[node.start] if node.quote_len else ""
    if opening == '"':
        return True  # JSON's escapes are YAML's too
    if "\\" in edit.new_text or "'" in edit.new_text or '"' in edit.new_text:
        return False
    if opening == "'":
        return True
    content = node.content_span()
    result = (text[content.start:edit.span.start] + edit.new_text
              + text[edit.span.end:content.end])
    return _SAFE_PLAIN.fullmatch(result) is not None and _NOT_A_STRING.fullmatch(
        result) is None

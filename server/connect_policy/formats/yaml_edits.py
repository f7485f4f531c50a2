"""YAML text for the structural part of a fix: removing the entries of a collection, inserting
members or items, and a scalar written in a given style.

A flow collection (`[a, b]`, `{K: v}`) takes JSON text as it is, so its edits are the JSON
ones (an entry and one comma). A block collection is lines: an entry goes with its whole lines
(comments on them included) and new entries are new lines at the indentation of the entries
beside them, their nested values in block style one level (two spaces) further in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..document.syntax import JsonArray, JsonObject
from ..document.text import Span
from ..findings import TextEdit

# A plain scalar that stays a plain string: starts with a letter or digit, holds no
# `#`, `,`, brackets, braces, quotes or spaces, and does not end with `:`.
_SAFE_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/*?@+=$-]*(?<!:)")
# What YAML 1.1 or 1.2 reads as something other than a string.
_NOT_A_STRING = re.compile(r"(?i)(?:true|false|yes|no|on|off|null|y|n|~|[-+]?[0-9][0-9_.eE+-]*)")
# The rest of an entry's last line: blanks and a comment, up to and including the line break.
_LINE_REST = re.compile(r"[ \t]*(?:#[^\r\n]*)?(?:\r\n|\n|\r|\Z)")
_UNIT = "  "


def is_not_a_string(text: str) -> bool:
    """Whether YAML 1.1 or 1.2 reads this plain scalar as a boolean, null or number."""
    return _NOT_A_STRING.fullmatch(text) is not None


def render_scalar(value: object, style: str = "") -> str:
    """`value` (a JSON scalar) as a YAML scalar: a string plain when `style` is plain and it
    stays a plain string, single-quoted when `style` is `'` and it holds no line break or
    control character, else double-quoted with JSON's escapes; `true`, `12`, `null` as is."""
    if not isinstance(value, str):
        return json.dumps(value)
    if style == "" and _SAFE_PLAIN.fullmatch(value) and not _NOT_A_STRING.fullmatch(value):
        return value
    if style == "'" and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Source:
    """An existing member's source text, where a fix copies it from."""

    text: str
    container: Container
    index: int


@dataclass(frozen=True, slots=True)
class Container:
    node: JsonObject | JsonArray
    text: str
    flow: bool
    spans: tuple[Span, ...]

    @staticmethod
    def of(node: JsonObject | JsonArray, text: str) -> Container | None:
        """The collection, when its entries lie inside it in order (an alias's entries lie
        elsewhere: such a collection is not edited)."""
        if not node.closed or node.start >= len(text):
            return None
        if isinstance(node, JsonObject) and any(m.key.start == m.key.end for m in node.members):
            return None  # made up around statements (`cloudformation._wrapped`): not text
        if isinstance(node, JsonObject):
            spans = tuple(Span(m.key.start, m.end) for m in node.members)
        else:
            spans = tuple(item.span for item in node.items)
        position = node.start
        for span in spans:
            if span.start < position or span.end > node.end:
                return None
            position = span.end
        return Container(node, text, text[node.start] in "[{", spans)

    # -- reading edits back ------------------------------------------------------------------

    def removed_run(self, span: Span) -> tuple[int, int] | None:
        """The entries `first..last` that a JSON removal of `span` deletes."""
        starts = [s.start for s in self.spans]
        ends = [s.end for s in self.spans]
        if span.start in starts and span.end in starts:
            first, after = starts.index(span.start), starts.index(span.end)
            return (first, after - 1) if after > first else None
        if span.start in ends and span.end == ends[-1]:
            before = ends.index(span.start)
            return (before + 1, len(ends) - 1) if before + 1 < len(ends) else None
        return None

    def entry_ending_at(self, at: int) -> int | None:
        return next((i for i, s in enumerate(self.spans) if s.end == at), None)

    def entry_starting_at(self, at: int) -> int | None:
        return next((i for i, s in enumerate(self.spans) if s.start == at), None)

    def member_sources(self) -> list[Source]:
        if not isinstance(self.node, JsonObject):
            return []
        return [Source(self.text[s.start:s.end], self, i) for i, s in enumerate(self.spans)]

    # -- block geometry ----------------------------------------------------------------------

    def _marker(self, i: int) -> int:
        """Where entry `i` begins on its line: its `-` in a block sequence, else its key."""
        start = self.spans[i].start
        if isinstance(self.node, JsonArray) and not self.flow:
            at = start
            while at > 0 and self.text[at - 1] in " \t":
                at -= 1
            if at > 0 and self.text[at - 1] == "-":
                return at - 1
        return start

    def _line_start(self, offset: int) -> int:
        return max(self.text.rfind("\n", 0, offset), self.text.rfind("\r", 0, offset)) + 1

    def _lead(self, i: int) -> int | None:
        """The start of entry `i`'s first line, when nothing else is on it before the entry."""
        marker = self._marker(i)
        line = self._line_start(marker)
        return line if not self.text[line:marker].strip(" ") else None

    def _tail(self, i: int) -> int | None:
        """The start of the line after entry `i`, when only a comment follows it on its line."""
        match = _LINE_REST.match(self.text, self.spans[i].end)
        return match.end() if match is not None else None

    def _indent(self, i: int) -> str:
        return " " * (self._marker(i) - self._line_start(self._marker(i)))

    # -- edits -------------------------------------------------------------------------------

    def remove(self, first: int, last: int) -> TextEdit | None:
        """Delete entries `first..last` (not all of them)."""
        if first == 0 and last == len(self.spans) - 1:
            return None
        if not self.flow:
            lead, tail = self._lead(first), self._tail(last)
            if lead is not None and tail is not None:
                return TextEdit(Span(lead, tail), "")
        if last + 1 < len(self.spans):  # up to the next entry, which takes their place
            # (in a block mapping after `- `: the next key moves up to the same column)
            if self.flow or (isinstance(self.node, JsonObject)
                             and self._lead(last + 1) is not None):
                return TextEdit(Span(self.spans[first].start, self.spans[last + 1].start), "")
            return None
        if not self.flow:
            return None
        return TextEdit(Span(self.spans[first - 1].end, self.spans[last].end), "")

    def replace_with_scalar(self, scalar: str) -> TextEdit | None:
        """The whole collection replaced by a scalar: a flow one in place; a block one from
        the colon of its key, so the scalar sits on the key's line."""
        if self.flow:
            return TextEdit(self.node.span, scalar)
        at = self.node.start
        if isinstance(self.node, JsonArray):
            at = self._marker(0)
        while at > 0 and self.text[at - 1] in " \t\r\n":
            at -= 1
        if at == 0 or self.text[at - 1] != ":":
            return None
        return TextEdit(Span(at, self.node.end), " " + scalar)

    def insert_items(self, after: int, values: list[object]) -> TextEdit | None:
        if self.flow:
            body = ", ".join(json.dumps(v, ensure_ascii=False) for v in values)
            return self._flow_insert(after, body)
        return self._block_insert(after, [line for v in values for line in _item_lines(
            v, self._indent(max(after, 0)))])

    def insert_members(self, after: int, pairs: list[tuple[str, object]]) -> TextEdit | None:
        if self.flow:
            body = ", ".join(f"{json.dumps(k, ensure_ascii=False)}: "
                             f"{json.dumps(v, ensure_ascii=False)}" for k, v in pairs)
            return self._flow_insert(after, body)
        return self._block_insert(after, [line for k, v in pairs for line in _member_lines(
            k, v, self._indent(max(after, 0)))])

    def insert_moved(self, after: int, sources: list[Source]) -> TextEdit | None:
        """Existing members' source copied in as entries of this mapping."""
        if self.flow:
            if not all(s.container.flow for s in sources):
                return None
            return self._flow_insert(after, ", ".join(s.text for s in sources))
        indent = self._indent(max(after, 0))
        lines: list[str] = []
        for source in sources:
            moved = source.container.lines_of(source.index, indent)
            if moved is None:
                return None
            lines.extend(moved)
        return self._block_insert(after, lines)

    def lines_of(self, i: int, indent: str) -> list[str] | None:
        """Entry `i`'s lines, moved to `indent`; None when it shares a line with another."""
        if self.flow:
            source = self.text[self.spans[i].start:self.spans[i].end]
            return None if "\n" in source or "\r" in source else [indent + source]
        lead, tail = self._lead(i), self._tail(i)
        if lead is None or tail is None:
            return None
        old = self._indent(i)
        lines = self.text[lead:tail].rstrip("\r\n").replace("\r\n", "\n").split("\n")
        moved = []
        for line in lines:
            if line.strip() and not line.startswith(old):
                return None
            moved.append(indent + line[len(old):] if line.strip() else "")
        return moved

    def _flow_insert(self, after: int, body: str) -> TextEdit:
        if not self.spans:
            return TextEdit(Span(self.node.start + 1, self.node.start + 1), body)
        if after < 0:
            at = self.spans[0].start
            return TextEdit(Span(at, at), body + ", ")
        at = self.spans[after].end
        return TextEdit(Span(at, at), ", " + body)

    def _block_insert(self, after: int, lines: list[str]) -> TextEdit | None:
        if not self.spans or not lines:
            return None
        newline = "\r\n" if "\r\n" in self.text else "\n"
        if after >= 0:
            tail = self._tail(after)
            if tail is None:
                return None
            lead_break = "" if tail > 0 and self.text[tail - 1] in "\r\n" else newline
            return TextEdit(Span(tail, tail), lead_break + "".join(
                line + newline for line in lines))
        lead = self._lead(0)
        if lead is not None:
            return TextEdit(Span(lead, lead), "".join(line + newline for line in lines))
        # The first entry follows a `- ` on its line: the new ones take its place there.
        at = self._marker(0)
        indent = self._indent(0)
        first, *rest = lines
        text = first[len(indent):] + newline + "".join(line + newline for line in rest)
        return TextEdit(Span(at, at), text + indent)


def _inline(value: object) -> str | None:
    """A value written on its key's line: a scalar or an empty collection."""
    if isinstance(value, dict | list):
        return None if value else json.dumps(value)
    return render_scalar(value)


def _member_lines(key: str, value: object, indent: str) -> list[str]:
    inline = _inline(value)
    head = f"{indent}{render_scalar(key)}:"
    if inline is not None:
        return [f"{head} {inline}"]
    return [head, *_nested_lines(value, indent + _UNIT)]


def _item_lines(value: object, indent: str) -> list[str]:
    inline = _inline(value)
    if inline is not None:
        return [f"{indent}- {inline}"]
    lines = _nested_lines(value, indent + _UNIT)
    lines[0] = f"{indent}- {lines[0][len(indent) + len(_UNIT):]}"
    return lines


def _nested_lines(value: object, indent: str) -> list[str]:
    if isinstance(value, dict):
        return [line for k, v in value.items() for line in _member_lines(k, v, indent)]
    assert isinstance(value, list)
    return [line for v in value for line in _item_lines(v, indent)]

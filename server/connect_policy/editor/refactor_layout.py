"""How the refactorings write lists: in the document's own layout, JSON or YAML.

JSON: new entries reuse the separator already between entries (one per line in a multi-line
array), and an `Action` string turned into an array is laid out like its statement. YAML:
names are plain scalars where YAML reads them as the same string (else double-quoted), a
block list gets one `- ` line per entry at its entries' indentation, a flow list stays
`[a, b]`, and an `Action` string becomes a block list under its key (`[a, b]` in a flow
mapping). A YAML list with comments between its entries or tags on its entries is not
rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from ..document.policy import Statement
from ..document.syntax import JsonArray, JsonMember, JsonString
from ..document.text import Span, line_indent, newline_of
from ..findings import TextEdit
from ..formats.yaml_edits import render_scalar


@dataclass(frozen=True, slots=True)
class Layout:
    """The document's text and whether it is YAML (else JSON)."""

    text: str
    yaml: bool = False


def rewritable(array: JsonArray, layout: Layout) -> bool:
    """Every entry a complete string, so entries can move without breaking the JSON; in
    YAML, each entry right after its `-`, `[` or comma, with no comment between entries."""
    if not array.items or not all(
            isinstance(item, JsonString) and item.terminated for item in array.items):
        return False
    if not layout.yaml:
        return True
    text = layout.text
    position = array.start
    for item in array.items:
        before = text[position:item.start].rstrip(" \t\r\n")
        if (item.start < position or "#" in text[position:item.start]
                or not before.endswith(("-", ",", "["))):
            return False
        position = item.end
    return True


def quoted(name: str, layout: Layout) -> str:
    if layout.yaml:
        return render_scalar(name)
    return f'"{name}"'  # action names never need escapes


def is_flow(layout: Layout, start: int) -> bool:
    return layout.text[start:start + 1] in ("[", "{")


def separator(layout: Layout, array: JsonArray) -> str:
    """What goes between two entries of `array`: the separator it already uses, else one
    entry per line when the array is multi-line, else `, `; in a YAML block list, a line
    break and `- ` at the entries' indentation."""
    text = layout.text
    items = array.items
    if layout.yaml and not is_flow(layout, array.start):
        return newline_of(text) + line_indent(text, array.start) + "- "
    for left, right in pairwise(items):
        gap = text[left.end:right.start]
        if gap.strip() == ",":
            return gap
    opening = text[array.start + 1:items[0].start] if items else ""
    if "\n" in opening or "\r" in opening:
        indent = opening.replace("\r", "\n").rsplit("\n", 1)[1]
        if not indent.strip():
            return "," + newline_of(text) + indent
    return ", "


def rewrite(layout: Layout, array: JsonArray, entries: list[str]) -> TextEdit:
    """One edit that makes `array` hold `entries` (source texts), keeping the gaps between
    entries as they are and using the array's separator for any extra ones."""
    text = layout.text
    items = array.items
    gaps = [text[a.end:b.start] for a, b in pairwise(items)]
    between = separator(layout, array)
    parts: list[str] = []
    for k, entry in enumerate(entries):
        if k:
            parts.append(gaps[k - 1] if k - 1 < len(gaps) else between)
        parts.append(entry)
    return TextEdit(Span(items[0].start, items[-1].end), "".join(parts))


def array_edit(layout: Layout, statement: Statement, member: JsonMember,
                entries: list[str]) -> TextEdit:
    """The element's single string made an array of `entries`: in YAML a block list under
    the key (from its colon on), or `[a, b]` in a flow mapping; in JSON laid out like the
    statement."""
    value = member.value
    assert value is not None
    if not layout.yaml:
        return TextEdit(value.span, array_text(layout.text, statement, member, entries))
    if is_flow(layout, statement.node.start) or member.colon is None:
        return TextEdit(value.span, "[" + ", ".join(entries) + "]")
    text = layout.text
    column = member.key.start - (max(text.rfind("\n", 0, member.key.start),
                                     text.rfind("\r", 0, member.key.start)) + 1)
    lines = "".join(f"{newline_of(text)}{' ' * (column + 2)}- {entry}" for entry in entries)
    return TextEdit(Span(member.colon + 1, value.end), lines)


def array_text(text: str, statement: Statement, member: JsonMember, entries: list[str]) -> str:
    """A new array for an element that held a single string, laid out like its statement."""
    node = statement.node
    body = text[node.start:node.end]
    if "\n" not in body and "\r" not in body:
        return "[" + ", ".join(entries) + "]"
    newline = newline_of(text)
    indent = line_indent(text, member.key.start)
    outer = line_indent(text, node.start)
    if indent.startswith(outer) and len(indent) > len(outer):
        unit = indent[len(outer):]
    else:
        unit = "\t" if indent.startswith("\t") else "  "
    inner = newline + indent + unit
    return "[" + inner + ("," + inner).join(entries) + newline + indent + "]"

"""Layout-keeping edits of JSON containers, for quick fixes that move or drop entries.

An entry is an array item or an object member (from its key to the end of its value). Edits
copy the separators the document already uses between entries (`, ` on one line, `,\\n    `
when entries sit on lines of their own), so a fix keeps the author's indentation style.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

from ..findings import TextEdit
from .syntax import JsonArray, JsonMember, JsonObject
from .text import Span, indent_unit, line_indent

_SEPARATOR = re.compile(r"[ \t]*,[ \t\r\n]*")
_INLINE_SEPARATOR = re.compile(r"[ \t]*,[ \t]*")
_LEADING = re.compile(r"[ \t\r\n]*")
_COLON = re.compile(r"[ \t]*:[ \t]*")


def entry_spans(container: JsonObject | JsonArray) -> list[Span]:
    """The spans of a container's entries, in order."""
    if isinstance(container, JsonObject):
        return [member_span(m) for m in container.members]
    return [item.span for item in container.items]


def member_span(member: JsonMember) -> Span:
    return Span(member.key.start, member.end)


def separator(text: str, container: JsonObject | JsonArray) -> str:
    """What the container puts between two entries: the text between its first two entries
    when that is a comma and white space, else a comma and the white space before its first
    entry when that holds a line break, else `,` in a compact (minified) object, else `, `."""
    spans = entry_spans(container)
    if len(spans) >= 2:
        between = text[spans[0].end:spans[1].start]
        if _SEPARATOR.fullmatch(between):
            return between
    if spans:
        leading = text[container.start + 1:spans[0].start]
        if "\n" in leading and _LEADING.fullmatch(leading):
            return "," + leading
        if _compact(text, container):
            return ","
    return ", "


def _colon(text: str, member: JsonMember) -> str:
    """What the member writes between its key and its value, when that is a colon and
    spaces or tabs, else `: `."""
    if member.colon is not None and member.value is not None:
        written = text[member.key.end:member.value.start]
        if _COLON.fullmatch(written):
            return written
    return ": "


def _compact(text: str, container: JsonObject | JsonArray) -> bool:
    """Whether an object is written without spaces (`{"Version":"2012-10-17"`), as minified
    documents are: its first member right after the brace, with a bare colon."""
    return (isinstance(container, JsonObject) and bool(container.members)
            and container.members[0].key.start == container.start + 1
            and _colon(text, container.members[0]) == ":")


def append_entry(text: str, container: JsonObject | JsonArray, entry: str) -> TextEdit:
    """Insert `entry` (JSON source) after the container's last entry."""
    spans = entry_spans(container)
    if not spans:
        return TextEdit(Span(container.start + 1, container.start + 1), entry)
    end = spans[-1].end
    return TextEdit(Span(end, end), separator(text, container) + entry)


def insert_first_member(text: str, obj: JsonObject, key: str, value: str) -> TextEdit:
    """Insert the member `"key": value` (`value` in JSON source) before the object's first
    member, in the object's layout: on a line of its own at the first member's indentation
    (with the document's line break) when members sit on lines of their own, else inline
    with the spacing the object uses (`{"Version":"2012-10-17","Statement":` in a minified
    document, `{ "Version": "2012-10-17", "Statement":` in a spaced one-line object)."""
    quoted = json.dumps(key, ensure_ascii=False)
    if not obj.members:
        return _insert_into_empty(text, obj, f"{quoted}: {value}")
    first = obj.members[0]
    at = first.key.start
    member = f"{quoted}{_colon(text, first)}{value}"
    line_start = max(text.rfind("\n", obj.start, at), text.rfind("\r", obj.start, at)) + 1
    if line_start > 0 and not text[line_start:at].strip(" \t"):
        # The first member opens its line: the new one takes that line, the first moves down.
        newline = "\r\n" if text.startswith("\r\n", line_start - 2) else text[line_start - 1]
        return TextEdit(Span(at, at), f"{member},{newline}{text[line_start:at]}")
    comma = separator(text, obj)
    if not _INLINE_SEPARATOR.fullmatch(comma):  # the later members are on lines of their own
        comma = "," if _compact(text, obj) else ", "
    return TextEdit(Span(at, at), member + comma)


def _insert_into_empty(text: str, obj: JsonObject, member: str) -> TextEdit:
    """`{}` gets the member between its braces; `{ }` keeps its spaces around it; an empty
    object spread over lines gets it on a line of its own, one level in."""
    after = obj.start + 1
    inner_end = obj.end - 1 if obj.closed else obj.end
    inner = text[after:inner_end]
    if inner and not inner.strip(" \t\r\n") and ("\n" in inner or "\r" in inner):
        newline = "\r\n" if "\r\n" in inner else "\n" if "\n" in inner else "\r"
        indent = line_indent(text, obj.start) + indent_unit(text)
        return TextEdit(Span(after, after), f"{newline}{indent}{member}")
    if inner and not inner.strip(" \t"):
        return TextEdit(Span(after, after), " " + member)
    return TextEdit(Span(after, after), member)


def remove_entries(container: JsonObject | JsonArray, indices: Iterable[int]
                   ) -> list[TextEdit]:
    """Edits that delete the entries at `indices` with their commas; at least one entry must
    stay (the caller removes a container that would become empty). Each run of neighbouring
    entries is one deletion, so the edits never overlap."""
    spans = entry_spans(container)
    gone = sorted({i for i in indices if 0 <= i < len(spans)})
    if not gone:
        return []
    if len(gone) >= len(spans):
        raise ValueError("remove_entries would empty the container")
    runs: list[list[int]] = []
    for index in gone:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    edits = []
    for run in runs:
        first, last = run[0], run[-1]
        if last + 1 < len(spans):  # up to the next entry, which then takes this place
            span = Span(spans[first].start, spans[last + 1].start)
        else:  # the last entries: from the end of the entry before them
            span = Span(spans[first - 1].end, spans[last].end)
        edits.append(TextEdit(span, ""))
    return edits


def apply_edits(text: str, edits: Sequence[TextEdit], base: int = 0) -> str:
    """`text` (which starts at document offset `base`) with non-overlapping edits applied."""
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end), reverse=True):
        start, end = edit.span.start - base, edit.span.end - base
        text = text[:start] + edit.new_text + text[end:]
    return text

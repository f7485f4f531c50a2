"""Layout-keeping edits of JSON containers, for quick fixes that move or drop entries.

An entry is an array item or an object member (from its key to the end of its value). Edits
copy the separators the document already uses between entries (`, ` on one line, `,\\n    `
when entries sit on lines of their own), so a fix keeps the author's indentation style.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .findings import TextEdit
from .syntax import JsonArray, JsonMember, JsonObject
from .text import Span

_SEPARATOR = re.compile(r"[ \t]*,[ \t\r\n]*")
_LEADING = re.compile(r"[ \t\r\n]*")


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
    entry when that holds a line break, else `, `."""
    spans = entry_spans(container)
    if len(spans) >= 2:
        between = text[spans[0].end:spans[1].start]
        if _SEPARATOR.fullmatch(between):
            return between
    if spans:
        leading = text[container.start + 1:spans[0].start]
        if "\n" in leading and _LEADING.fullmatch(leading):
            return "," + leading
    return ", "


def append_entry(text: str, container: JsonObject | JsonArray, entry: str) -> TextEdit:
    """Insert `entry` (JSON source) after the container's last entry."""
    spans = entry_spans(container)
    if not spans:
        return TextEdit(Span(container.start + 1, container.start + 1), entry)
    end = spans[-1].end
    return TextEdit(Span(end, end), separator(text, container) + entry)


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

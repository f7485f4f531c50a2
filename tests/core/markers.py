"""Marker style for core tests: `«…»` marks an expected range, `|` the cursor.

`marked('{"Action": "«conect»:X"}')` returns the text without markers and the spans.
"""

from __future__ import annotations

from connect_policy.document.text import Span


def marked(source: str) -> tuple[str, list[Span]]:
    """Strip `«` and `»`; return the text and the marked spans in order of their start."""
    text: list[str] = []
    spans: list[Span] = []
    opened: list[int] = []
    length = 0
    for ch in source:
        if ch == "«":
            opened.append(length)
        elif ch == "»":
            spans.append(Span(opened.pop(), length))
        else:
            text.append(ch)
            length += 1
    assert not opened, "unbalanced « in test source"
    return "".join(text), sorted(spans, key=lambda s: (s.start, s.end))


def cursor(source: str) -> tuple[str, int]:
    """Strip the single `|`; return the text and the cursor offset."""
    offset = source.index("|")
    return source[:offset] + source[offset + 1 :], offset

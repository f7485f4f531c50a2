"""Line index over a text: code-point offsets <-> (line, column) in several units.

The core works in code-point offsets (Python string indices). Editors count columns in
UTF-16 code units (the LSP default) or UTF-8 bytes; the CLI prints code points. Only
positions are converted here; nothing else in the core knows about encodings.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal

Encoding = Literal["utf-8", "utf-16", "utf-32"]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of code-point offsets, `start <= end`."""

    start: int
    end: int

    def contains(self, offset: int) -> bool:
        return self.start <= offset <= self.end

    def moved(self, shift: int) -> Span:
        """The same range `shift` characters later (earlier when negative)."""
        return Span(self.start + shift, self.end + shift)


def _units(text: str, encoding: Encoding) -> int:
    if encoding == "utf-32" or text.isascii():
        return len(text)
    if encoding == "utf-16":
        return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
    return len(text.encode("utf-8", "surrogatepass"))


class LineIndex:
    """Maps offsets to lines. Lines end at `\\n`, `\\r\\n` or a lone `\\r`, as in LSP."""

    def __init__(self, text: str) -> None:
        self.text = text
        # One pass: scanning for `\r` from every line start instead made a 10 MB document
        # without `\r` quadratic. Lines' lengths summed up is the fastest way in CPython.
        if "\r" not in text:
            starts = [0]
            starts.extend(accumulate(len(line) + 1 for line in text.split("\n")))
            starts.pop()  # the end of the last line starts no line
        else:
            starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
        self.line_starts = starts
        # Columns in an ASCII text are offsets in every encoding: no slicing of long lines.
        self._ascii = text.isascii()

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_of(self, offset: int) -> int:
        """0-based line of an offset (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        return bisect.bisect_right(self.line_starts, offset) - 1

    def line_text(self, line: int) -> str:
        """The text of a 0-based line, without its line break."""
        start = self.line_starts[line]
        end = self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def _line_length(self, line: int) -> int:
        """Length of a 0-based line without its line break, without copying it."""
        start = self.line_starts[line]
        if line + 1 >= len(self.line_starts):
            return len(self.text) - start
        end = self.line_starts[line + 1]
        if self.text.startswith("\r\n", end - 2) and end - 2 >= start:
            return end - 2 - start
        return end - 1 - start

    def position(self, offset: int, encoding: Encoding = "utf-32") -> tuple[int, int]:
        """(line, column), both 0-based; the column counted in `encoding` units."""
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        start = self.line_starts[line]
        if self._ascii or encoding == "utf-32":
            return line, offset - start
        return line, _units(self.text[start:offset], encoding)

    def offset(self, line: int, column: int, encoding: Encoding = "utf-32") -> int:
        """Offset of a 0-based (line, column); out-of-range positions clamp, as LSP asks."""
        if line < 0:
            return 0
        if line >= len(self.line_starts):
            return len(self.text)
        start = self.line_starts[line]
        if self._ascii or encoding == "utf-32":
            return start + max(0, min(column, self._line_length(line)))
        line_str = self.line_text(line)
        if line_str.isascii():
            return start + max(0, min(column, len(line_str)))
        units = 0
        for i, ch in enumerate(line_str):
            if units >= column:
                return start + i
            units += _units(ch, encoding)
        return start + len(line_str)


_LINE_BREAK = re.compile(r"\r\n?|\n")


_INDENTED_LINE = re.compile(r"^([ \t]+)\S", re.MULTILINE)


def indent_unit(text: str, default: str = "  ") -> str:
    """The document's indentation step: a tab, or the spaces of its first indented line."""
    match = _INDENTED_LINE.search(text, 0, min(len(text), 20_000))
    if match is None:
        return default
    found = match.group(1)
    return "\t" if found.startswith("\t") else " " * min(len(found), 8)


def line_indent(text: str, offset: int) -> str:
    """The leading whitespace of the line `offset` is on."""
    start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    end = start
    while end < offset and text[end] in " \t":
        end += 1
    return text[start:end]


def newline_of(text: str) -> str:
    """The document's line break (`\\r\\n` when it uses them, else `\\n`)."""
    return "\r\n" if "\r\n" in text else "\n"

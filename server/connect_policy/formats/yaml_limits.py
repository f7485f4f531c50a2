"""What tree-sitter-yaml 0.7.2 must not be given, found before parsing.

- More lines than it counts (16 bits; it counts a CRLF line break as two): the whole stream
  would be one unreadable block.
- More than 253 open levels of block indentation: it saves each level (4 bytes) in
  tree-sitter's 1,024-byte state buffer without checking that it fits, writes past it and
  the process dies (tree-sitter-yaml issue 48). While it recovers from a syntax error, any
  `- `, `? ` or `: ` opens a level, on the same line too (`x: "a"? ? ? …`): `block_depth`
  counts every place that may open one, so it never counts fewer than the parser opens.
- NUL, which ends its input (the rest of the file would be lost without a word), and lone
  UTF-16 surrogates, which are no UTF-8 (the whole file would be unreadable): reported, and
  read as a character as long in UTF-8 (`readable`), so the offsets hold.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from ..document.syntax import SyntaxProblem, unchanged_ends
from ..document.text import Span

# tree-sitter-yaml 0.7.2 keeps line numbers in 16 bits: longer streams are not parsed.
MAX_LINES = 32_000
# Levels `block_depth` may count: it counts at least the levels the parser opens (a
# `key: value` line twice), and the parser fails past 253.
MAX_BLOCK_DEPTH = 200
# Characters reported per file.
MAX_CHARACTERS = 20

LINE_BREAK = re.compile(r"\r\n?|\n")
# What may open a level: an indicator before a blank or the line's end, or a block scalar's
# header; and what hides them: a quote or `#` that starts a token (a quoted scalar, a comment).
_TOKEN = re.compile(r"[-?:](?=[ \t]|$)|[|>][-+0-9]*(?=[ \t]*(?:#|$))"
                    r"""|(?:(?<=[ \t\[{,])|^)["'#]""")
# `_surely_shallow`'s bounds: 2 × (40 + 1) + 50 + 2 levels, well under `MAX_BLOCK_DEPTH`.
_SHALLOW = 40
_FEW = 50
_DEEP_INDENT = re.compile(rf"\n[ \t]{{{_SHALLOW + 1}}}")  # in text with "\n" breaks only
_TAB_INDENT = re.compile(r"\n *\t")
_CLOSING = {'"': re.compile(r'(?:[^"\\]|\\.)*"'), "'": re.compile(r"(?:[^']|'')*'")}
_UNREADABLE = re.compile("[\x00\ud800-\udfff]")


def beyond_the_parser(text: str, counter: DepthCounter | None = None) -> SyntaxProblem | None:
    """Why `text` cannot be given to tree-sitter-yaml (too many lines, too deep), or None.
    `counter`: the document's `DepthCounter`, which counts again only what an edit changed."""
    rows = text.count("\n") + text.count("\r") + 1
    if rows > MAX_LINES:
        lines = len(LINE_BREAK.findall(text)) + 1
        counted = f" ({rows:,} as the YAML parser counts them)" if rows != lines else ""
        return SyntaxProblem(
            f"YAML file too long to read: {lines:,} lines{counted}, over the {MAX_LINES:,} "
            "the YAML parser handles (a CloudFormation template is at most 1 MB)", Span(0, 0),
            message_ko=f"YAML 파일이 너무 길어 읽지 않았습니다. {lines:,}줄로"
                       f"{f'(YAML 파서 기준 {rows:,}줄)' if counted else ''} YAML 파서가 다룰 수 "
                       f"있는 {MAX_LINES:,}줄을 넘습니다(CloudFormation 템플릿은 최대 1MB입니다).")
    if counter is not None and counter.depth(text) <= MAX_BLOCK_DEPTH:
        return None  # what `block_depth` would count, counted from the edit on
    depth, deepest = block_depth(text)
    if depth > MAX_BLOCK_DEPTH:
        line = len(LINE_BREAK.findall(text, 0, deepest)) + 1
        return SyntaxProblem(
            f"YAML nested too deeply to read: line {line} opens more than {MAX_BLOCK_DEPTH} "
            "levels of indentation (counting each \"- \", \"? \" and \": \"), more than the "
            "YAML parser handles", Span(deepest, deepest + 1),
            message_ko=f"YAML이 너무 깊이 중첩되어 읽지 않았습니다. {line}번째 줄에서 들여쓰기가 "
                       f"{MAX_BLOCK_DEPTH}단계(\"- \", \"? \", \": \"를 각각 셈)를 넘어 YAML "
                       "파서가 다룰 수 없습니다.")
    return None


def block_depth(text: str) -> tuple[int, int]:
    """The most levels of block indentation that may be open at once (0 when surely few),
    and the offset of the place that opens the level past `MAX_BLOCK_DEPTH` (else 0)."""
    if _surely_shallow(text):
        return 0, 0
    return _counted_depth(text)


def _surely_shallow(text: str) -> bool:
    """True when no line is indented more than `_SHALLOW` columns or with a tab, none holds
    more than `_FEW` places that open a level, and no quoted scalar spans lines (an odd
    number of quotes on a line): then every line closes the levels right of its start, so
    at most two a column stay open (2 × 41), and a line opens at most 52."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    if _DEEP_INDENT.search(lines) or _TAB_INDENT.search(lines) or lines.startswith(
            (" " * _SHALLOW, "\t")) or lines.lstrip(" ").startswith("\t"):
        return False
    for line in lines.split("\n"):
        if len(line) > 2 * _FEW - 2 and len(_TOKEN.findall(line)) > _FEW:
            return False
        if '"' in line and (line.count('"') - line.count('\\"')) % 2:
            return False
        if "'" in line and line.count("'") % 2:
            return False
    return True


def _counted_depth(text: str) -> tuple[int, int]:
    """`block_depth`, counted line by line (`_Lines.step`), and where the level past
    `MAX_BLOCK_DEPTH` opens."""
    lines = _Lines([], "")
    deepest, where = 0, 0
    for line_start, line in _split(text, 0):
        lines.step(line)
        if len(lines.levels) > deepest:
            if len(lines.levels) > MAX_BLOCK_DEPTH >= deepest:
                where = line_start + lines.levels[MAX_BLOCK_DEPTH]  # opened by this line
            deepest = len(lines.levels)
    return deepest, where


def _split(text: str, start: int) -> Iterator[tuple[int, str]]:
    """Each line from `start` (a line's start) on: where it starts, and its text."""
    for line_break in LINE_BREAK.finditer(text, start):
        yield start, text[start:line_break.start()]
        start = line_break.end()
    yield start, text[start:]


@dataclass(slots=True)
class _Lines:
    """The levels open after the lines counted so far (their columns), and the quote of a
    quoted scalar still open at the end of the last one.

    A line's content and each indicator or block scalar header on it (outside quoted
    scalars and comments) opens a level at its column, and so does the key before its first
    `: ` (the parser opens a level for one implicit key a line, at the key); a line that
    starts at a column closes the levels right of it (one indented with a tab closes none:
    the parser does not either). At most two levels stay open at one column (a mapping and
    the sequence of one of its values)."""

    levels: list[int]
    quote: str

    def step(self, line: str) -> None:
        levels = self.levels
        if self.quote:  # inside a quoted scalar: nothing opens or closes until it ends
            closing = _CLOSING[self.quote].match(line)
            if closing is None:
                return
            self.quote, at, opened = "", closing.end(), []
        else:
            at = len(line) - len(line.lstrip(" \t"))
            if at == len(line) or line[at] == "#":
                return  # a blank line or a comment
            if "\t" not in line[:at]:
                while levels and levels[-1] > at:
                    levels.pop()
            opened = [at]
        key = at  # where the key of the line's first `: ` may start
        keyed = False
        for token in _TOKEN.finditer(line, at):
            column = token.start()
            if column < at:
                continue  # inside a quoted scalar that ended on this line
            first = token.group()[0]
            if first == "#":
                break
            if first in "\"'":
                closing = _CLOSING[first].match(line, token.end())
                if closing is None:
                    self.quote = first
                    break
                at = closing.end()
                continue
            if first == ":" and not keyed:
                opened.append(key)  # an implicit key: its level opens where the key starts
                keyed = True
            opened.append(column)
            key = column + 1
        for column in opened:
            if levels[-2:] != [column, column]:
                levels.append(column)


# Lines between two of `DepthCounter`'s checkpoints.
_CHECKPOINT_LINES = 64


@dataclass(frozen=True, slots=True)
class _Checkpoint:
    offset: int  # where its first line starts
    levels: tuple[int, ...]  # open before that line
    quote: str
    deepest: int  # the most levels open after any line up to the next checkpoint


class DepthCounter:
    """`block_depth` (the count, not `_surely_shallow`'s bound) of the successive texts of one
    document. It keeps the count's state every `_CHECKPOINT_LINES` lines; after an edit it
    counts again from the checkpoint before the edit, and stops at the first checkpoint after
    it whose state is the last text's: from there on, the lines and so the counts are the
    same. Typing in a quote left open, the next line is that checkpoint, not the file's end."""

    def __init__(self) -> None:
        self._text = ""
        self._checkpoints: list[_Checkpoint] = []

    def depth(self, text: str) -> int:
        before, old = self._text, self._checkpoints
        if old and text != before:
            prefix, suffix = unchanged_ends(before, text)
            shift, edit_end = len(text) - len(before), len(text) - suffix
            kept = bisect_right([c.offset for c in old], prefix) - 1
            resume = old[max(kept, 0)]
            checkpoints = self._count(text, resume, old, shift, edit_end, max(kept, 0))
        elif old:
            checkpoints = old
        else:
            checkpoints = self._count(text, _Checkpoint(0, (), "", 0), [], 0, 0, 0)
        self._text, self._checkpoints = text, checkpoints
        return max(c.deepest for c in checkpoints)

    @staticmethod
    def _count(text: str, resume: _Checkpoint, old: list[_Checkpoint], shift: int,
               edit_end: int, kept: int) -> list[_Checkpoint]:
        """The checkpoints of `text`: `old`'s before `resume`, counted from there, and the
        rest of `old` (moved by `shift`) from the first of them after `edit_end` whose state
        the count reaches."""
        checkpoints = old[:kept]
        old_at = {c.offset + shift: i for i, c in enumerate(old) if c.offset + shift >= edit_end}
        lines = _Lines(list(resume.levels), resume.quote)
        start, levels, quote = resume.offset, resume.levels, resume.quote
        deepest = counted = 0
        for line_start, line in _split(text, resume.offset):
            if line_start != start:
                same = old_at.get(line_start)
                if same is not None and old[same].quote == lines.quote \
                        and old[same].levels == tuple(lines.levels):
                    checkpoints.append(_Checkpoint(start, levels, quote, deepest))
                    return checkpoints + [_Checkpoint(c.offset + shift, c.levels, c.quote,
                                                      c.deepest) for c in old[same:]]
                if counted == _CHECKPOINT_LINES:
                    checkpoints.append(_Checkpoint(start, levels, quote, deepest))
                    start, levels, quote = line_start, tuple(lines.levels), lines.quote
                    deepest = counted = 0
            lines.step(line)
            deepest = max(deepest, len(lines.levels))
            counted += 1
        checkpoints.append(_Checkpoint(start, levels, quote, deepest))
        return checkpoints


def unreadable_characters(text: str) -> list[SyntaxProblem]:
    """Each NUL and lone surrogate (the first `MAX_CHARACTERS`), named where it is."""
    problems: list[SyntaxProblem] = []
    if text.isascii() and "\x00" not in text:
        return problems  # neither can be there (searched in C, at once)
    for character in islice(_UNREADABLE.finditer(text), MAX_CHARACTERS):
        at = character.start()
        line = len(LINE_BREAK.findall(text, 0, at)) + 1
        code = f"U+{ord(text[at]):04X}"
        if text[at] == "\x00":
            what, what_ko = (f"a NUL character ({code}), which YAML does not allow",
                             f"YAML에서 쓸 수 없는 NUL 문자({code})가 있습니다")
        else:
            what, what_ko = (f"a lone UTF-16 surrogate ({code}), which no UTF-8 file can hold",
                             f"UTF-8 파일에 담을 수 없는 짝 없는 UTF-16 서로게이트({code})가 "
                             "있습니다")
        problems.append(SyntaxProblem(f"YAML syntax error on line {line}: {what}",
                                      Span(at, at + 1),
                                      message_ko=f"{line}번째 줄 YAML 구문 오류: {what_ko}."))
    return problems


def readable(text: str) -> bytes:
    """`text` in UTF-8 as the parser can read it: a NUL as a space, a lone surrogate as
    U+FFFD (as long in UTF-8 as either is in the text's bytes)."""
    if _UNREADABLE.search(text) is None:
        return text.encode()
    return _UNREADABLE.sub(lambda m: " " if m.group() == "\x00" else "\ufffd", text).encode()

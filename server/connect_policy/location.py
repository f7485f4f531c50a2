"""Where the cursor is, in JSON terms: the path to it and whether it sits in a key or value.

Works on the text before the cursor only, with no parse tree, so it gives the right answer
in the states typing leaves behind (an unterminated string, an unclosed array), where the
tolerant parser's recovery is a guess. The same approach as jsonc-parser's getLocation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import Span

_TOKEN = re.compile(r'"(?:[^"\\\n\r]|\\[^\n\r])*"?|//[^\n\r]*|/\*[\s\S]*?(?:\*/|\Z)|[{}\[\]:,]')


@dataclass(slots=True)
class _Frame:
    kind: str  # "{" or "["
    key: str | None = None
    after_colon: bool = False
    index: int = 0


@dataclass(frozen=True, slots=True)
class CursorLocation:
    # Path from the document's top to the value or key at the cursor, e.g.
    # ("Statement", 0, "Action", 2); for a key, the path of its object.
    path: tuple[str | int, ...]
    in_string: bool
    is_key: bool
    # When in a string: the content typed before the cursor, and the span of the whole
    # content (to the closing quote, or to the end of the word when unterminated).
    prefix: str = ""
    content: Span = field(default_factory=lambda: Span(0, 0))


def locate(text: str, offset: int) -> CursorLocation:
    """The cursor location at `offset` (clamped)."""
    offset = max(0, min(offset, len(text)))
    before = text[:offset]
    tokens = list(_TOKEN.finditer(before))
    stack: list[_Frame] = []
    if len(tokens) >= 2 and tokens[0].group().startswith('"') and tokens[1].group() == ":":
        stack.append(_Frame("{"))  # a fragment with no opening brace: an implicit object
    last_string: re.Match[str] | None = None
    for i, match in enumerate(tokens):
        tok = match.group()
        last_string = None
        if tok.startswith(("//", "/*")):
            continue
        frame = stack[-1] if stack else None
        if tok in ("{", "["):
            stack.append(_Frame(tok))
        elif tok in ("}", "]"):
            if stack:
                stack.pop()
        elif tok == ":":
            if frame is not None and frame.kind == "{":
                frame.after_colon = True
        elif tok == ",":
            if frame is not None and frame.kind == "{":
                frame.key, frame.after_colon = None, False
            elif frame is not None:
                frame.index += 1
        else:
            last_string = match if i == len(tokens) - 1 else None
            if frame is not None and frame.kind == "{" and not frame.after_colon:
                frame.key = _unquote(tok)
    path: list[str | int] = []
    for frame in stack:
        if frame.kind == "{":
            if frame.after_colon and frame.key is not None:
                path.append(frame.key)
        else:
            path.append(frame.index)
    top = stack[-1] if stack else None
    in_string = (last_string is not None and last_string.end() == offset
                 and not _closed(last_string.group()))
    is_key = top is not None and top.kind == "{" and not top.after_colon
    if is_key and in_string and top is not None:
        top.key = None
    if not in_string or last_string is None:
        return CursorLocation(tuple(path), False, is_key)
    start = last_string.start() + 1
    return CursorLocation(tuple(path), True, is_key, text[start:offset],
                          Span(start, _content_end(text, offset)))


def _unquote(tok: str) -> str:
    body = tok[1:-1] if _closed(tok) else tok[1:]
    return body.replace('\\"', '"').replace("\\\\", "\\")


def _closed(tok: str) -> bool:
    if len(tok) < 2 or not tok.endswith('"'):
        return False
    backslashes = len(tok) - 1 - len(tok[:-1].rstrip("\\"))
    return backslashes % 2 == 0


def _content_end(text: str, offset: int) -> int:
    """End of the string content the cursor is in: before the closing quote on this line,
    or, when the string is unterminated, at the end of the action-like word."""
    i = offset
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == '"':
            return i
        if ch in "\r\n":
            break
        i += 1
    j = offset
    while j < n and (text[j].isalnum() or text[j] in ":*?-_/.${}"):
        j += 1
    return j


def enclosing_object_keys(text: str, offset: int) -> tuple[str, ...] | None:
    """The member names of the innermost object around `offset` (before and after the
    cursor, at that object's own depth); None when the cursor is not inside an object."""
    offset = max(0, min(offset, len(text)))
    opens: list[tuple[str, int]] = []
    for match in _TOKEN.finditer(text, 0, offset):
        tok = match.group()
        if tok in ("{", "["):
            opens.append((tok, match.start()))
        elif tok in ("}", "]") and opens:
            opens.pop()
    if not opens or opens[-1][0] != "{":
        return None
    keys: list[str] = []
    depth = 0
    previous: str | None = None
    pending: str | None = None
    for match in _TOKEN.finditer(text, opens[-1][1] + 1):
        tok = match.group()
        if tok.startswith(("//", "/*")):
            continue
        if tok in ("{", "["):
            depth += 1
        elif tok in ("}", "]"):
            if depth == 0:
                break
            depth -= 1
        elif tok == ":" and depth == 0 and pending is not None:
            keys.append(pending)
        pending = _unquote(tok) if depth == 0 and tok.startswith('"') and previous in (
            None, "{", ",") else None
        previous = tok if depth == 0 else previous
    return tuple(keys)


def previous_significant(text: str, offset: int) -> str:
    """The first character before `offset` that is not whitespace ("" at the start)."""
    i = offset - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return text[i] if i >= 0 else ""


def next_significant(text: str, offset: int) -> str:
    """The first character from `offset` on that is not whitespace ("" at the end)."""
    i = offset
    while i < len(text) and text[i].isspace():
        i += 1
    return text[i] if i < len(text) else ""

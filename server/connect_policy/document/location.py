"""Where the cursor is, in JSON terms: the path to it and whether it sits in a key or value.

Works on the text before the cursor only, with no parse tree, so it gives the right answer
in the states typing leaves behind (an unterminated string, an unclosed array), where the
tolerant parser's recovery is a guess. The same approach as jsonc-parser's getLocation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import Span

# A string's body as runs of plain characters between escapes (the "unrolled loop": much
# faster in `re` than an alternation per character).
_STRING_BODY = r'[^"\\\n\r]*(?:\\[^\n\r][^"\\\n\r]*)*'
_STRING = f'"{_STRING_BODY}"'
_TOKEN = re.compile(f'{_STRING}?' + r'|//[^\n\r]*|/\*[\s\S]*?(?:\*/|\Z)|[{}\[\]:,]')
# The same, plus closed arrays of strings (an action list) and closed objects of strings and
# such arrays (most statements) as one token each: nothing in them can change the path, and
# one regex match costs far less than a loop turn per token. Unambiguous (whitespace only
# after a string, a colon or a comma), so a failed match costs one scan.
_STRINGS = rf'\[\s*(?:{_STRING}\s*(?:,\s*)?)*\]'
_FLAT_OBJECT = rf'\{{\s*(?:{_STRING}\s*:\s*(?:{_STRING}|{_STRINGS})\s*(?:,\s*)?)*\}}'
_PATH_TOKEN = re.compile(f"{_FLAT_OBJECT}|{_STRINGS}|{_TOKEN.pattern}")


@dataclass(slots=True)
class _Frame:
    kind: str  # "{" or "["
    key: str | None = None  # the last key token, still quoted
    after_colon: bool = False
    # A value followed the key's colon: a string after it starts the next member, whose comma
    # is not typed yet (a line added between members, as Neovim's `o` leaves it).
    has_value: bool = False
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
    stack: list[_Frame] = []
    first = _PATH_TOKEN.search(before)
    if first is not None and first.group().startswith('"'):
        second = _PATH_TOKEN.search(before, first.end())
        if second is not None and second.group() == ":":
            stack.append(_Frame("{"))  # a fragment with no opening brace: an implicit object
    # One pass over every token before the cursor, dispatched on its first character (this
    # runs on each completion request, over the whole text before the cursor). Keys are kept
    # quoted and unquoted only for the frames still open at the cursor.
    last: re.Match[str] | None = None
    for match in _PATH_TOKEN.finditer(before):
        last = match
        tok = match.group()
        head = tok[0]
        if head == '"':
            if stack:
                frame = stack[-1]
                if frame.kind == "{":
                    if not frame.after_colon:
                        frame.key = tok
                    elif frame.has_value:
                        frame.key, frame.after_colon, frame.has_value = tok, False, False
                    else:
                        frame.has_value = True
        elif head == ",":
            if stack:
                frame = stack[-1]
                if frame.kind == "{":
                    frame.key, frame.after_colon, frame.has_value = None, False, False
                else:
                    frame.index += 1
        elif head == ":":
            if stack and stack[-1].kind == "{":
                stack[-1].after_colon = True
        elif tok == "{" or tok == "[":
            stack.append(_Frame(tok))
        elif (tok == "}" or tok == "]") and stack:
            stack.pop()
            if stack and stack[-1].after_colon:
                stack[-1].has_value = True
        elif (head == "{" or head == "[") and stack and stack[-1].after_colon:
            stack[-1].has_value = True  # a closed array or object as one token
        # else a comment, or a closed array or object in an array (no effect on the path)
    last_string = last if last is not None and last.group().startswith('"') else None
    path: list[str | int] = []
    for frame in stack:
        if frame.kind == "{":
            if frame.after_colon and frame.key is not None:
                path.append(_unquote(frame.key))
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

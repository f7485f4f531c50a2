"""CloudFormation policies written as a string holding JSON, where a property of type Json
takes a mapping or such a string: `PolicyDocument: |` with JSON below it, `!Sub '{…}'`,
`"PolicyDocument": "{\\"Version\\": …}"` in a JSON template.

`json_policy(node, text, known)` reads the string's value piece by piece from the host text
(`embedded_json.HostString`: an escape, a folded line break or a `''` maps as a whole, the
rest character by character), so the JSON parsed from it has every span at its place in the
template. Inside `Fn::Sub`, a `${Name}` is a hole (known only at deployment, never an
error), `${!Name}` is the literal `${Name}` (an IAM policy variable), and a parameter with a
single allowed value is that value (`substituted`: fixed at the parameter). Only a string
whose first non-blank character is `{` is read: a managed policy's name or ARN is none.

Which styles: a YAML double-quoted scalar and a JSON template's string (the same escapes,
YAML's being a superset), single-quoted (`''`), literal (`|`: its host text as it is, which
is the same JSON) and folded (`>`: line breaks read as YAML folds them) block scalars. A plain
scalar cannot start with `{` (that is a flow mapping). `Fn::Join` is left unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..document.syntax import JsonArray, JsonObject, JsonString, JsonValue
from ..document.text import Span
from .embedded import JsonText
from .embedded_json import HostString, parse_in_string
from .intrinsics import function_name

# A double-quoted scalar's escapes (a surrogate pair as one), its escaped line breaks, and
# its line breaks with the blanks around them (folded).
_DOUBLE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
                     r"|\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|\r?\n[ \t]*|.)"
                     r"|[ \t]*(?:\r?\n[ \t]*)+", re.DOTALL)
_SINGLE = re.compile(r"''|[ \t]*(?:\r?\n[ \t]*)+")
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
            "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
            "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}
# A `Fn::Sub` reference `${Name}`, or a literal `${!Name}`.
_SUB = re.compile(r"\$\{(!?)([^}]*)\}")
_Segment = tuple[str, int, int]  # value, host start, host end


@dataclass(frozen=True, slots=True)
class JsonPolicy:
    root: JsonObject
    text: JsonText
    # Where a parameter's single allowed value stands in for a `${Name}`.
    substituted: tuple[Span, ...]


def json_policy(node: JsonValue, text: str, known: Mapping[str, str]) -> JsonPolicy | None:
    """The JSON document written in `node` (a string, or `Fn::Sub` of one); None when it is
    no string, is written in a style we do not map, or does not start with `{`."""
    sub = function_name(node) == "Fn::Sub"
    written: JsonValue | None = node
    if sub:
        assert isinstance(node, JsonObject)
        argument = node.members[0].value
        written = argument
        if isinstance(argument, JsonArray) and argument.items:
            written = argument.items[0]
            known = {}  # its own variables may shadow the parameters
    if not isinstance(written, JsonString) or not written.terminated:
        return None
    if not written.value.lstrip(" \t\r\n").startswith("{"):
        return None
    found = _segments(written, text)
    if found is None:
        return None
    style, segments, indent = found
    substituted: list[Span] = []
    string = _host_string(segments, sub, known, substituted)
    start = string.start_of(0)
    line = text.count("\n", 0, start)
    parsed = parse_in_string(string, line, start - text.rfind("\n", 0, start) - 1)
    if not isinstance(parsed.root, JsonObject):
        return None
    return JsonPolicy(parsed.root, JsonText(string, style, tuple(parsed.errors), sub, indent),
                      tuple(substituted))


def _segments(node: JsonString, text: str) -> tuple[str, list[_Segment], int] | None:
    """How the string is written, its value as (value, host start, host end) pieces, and a
    block scalar's indentation."""
    style = text[node.start:node.start + 1]
    if style == '"' and node.quote_len == 1:
        return style, _quoted(text, node.start + 1, node.end - 1, _DOUBLE, _double), 0
    if style == "'" and node.quote_len == 1:
        return style, _quoted(text, node.start + 1, node.end - 1, _SINGLE, _single), 0
    if style in ("|", ">") and node.quote_len == 0:
        return _block(text, node.start, node.end, style)
    return None


def _quoted(text: str, start: int, end: int, pattern: re.Pattern[str],
            decode: Callable[[str], str]) -> list[_Segment]:
    """A quoted scalar's content: the runs written as they are, and each escape, `''` or
    line break with the value it stands for."""
    segments: list[_Segment] = []
    at = start
    for match in pattern.finditer(text, start, end):
        if match.start() > at:
            segments.append((text[at:match.start()], at, match.start()))
        segments.append((decode(match.group()), match.start(), match.end()))
        at = match.end()
    if end > at:
        segments.append((text[at:end], at, end))
    return segments


def _double(written: str) -> str:
    if written[0] != "\\":
        return _folded(written)
    code = written[1:]
    if code[:1] in ("\r", "\n"):
        return ""  # an escaped line break joins the lines
    if code[0] in "xuU" and len(code) > 1:
        if len(code) == 11:  # a surrogate pair
            high, low = int(code[1:5], 16), int(code[7:], 16)
            return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        point = int(code[1:], 16)
        return chr(point) if point <= 0x10FFFF else written
    return _ESCAPES.get(code, written)


def _single(written: str) -> str:
    return "'" if written == "''" else _folded(written)


def _folded(written: str) -> str:
    """A line break in a quoted scalar is a space; with empty lines after it, a line break
    for each of them."""
    breaks = written.count("\n")
    return " " if breaks == 1 else "\n" * (breaks - 1)


def _block(text: str, start: int, end: int, style: str) -> tuple[str, list[_Segment], int]:
    """A block scalar's lines. A literal one maps as its host text (its indentation is
    blanks around JSON's tokens, and a JSON string cannot hold a line break); a folded one
    reads each line break as YAML folds it."""
    body = text.find("\n", start, end) + 1
    if body == 0:
        return style, [], 0
    lines: list[tuple[int, int]] = []  # each line's start and end in the host
    at = body
    while at < end:
        line_end = text.find("\n", at, end)
        line_end = end if line_end < 0 else line_end
        lines.append((at, line_end))
        at = line_end + 1
    filled = [(s, e) for s, e in lines if text[s:e].strip(" \t\r")]
    indent = min((len(text[s:e]) - len(text[s:e].lstrip(" ")) for s, e in filled), default=0)
    if not filled:
        return style, [], indent
    if style == "|":
        return style, [(text[body:filled[-1][1]], body, filled[-1][1])], indent
    segments: list[_Segment] = []
    previous: tuple[int, int] | None = None
    for line_start, line_end in filled:
        content = line_start + indent
        if previous is not None:
            empty = text.count("\n", previous[1], line_start) - 1
            more = text[content:content + 1] in (" ", "\t") or text[
                previous[0] + indent:previous[0] + indent + 1] in (" ", "\t")
            fold = "\n" * (empty + 1) if more else ("\n" * empty or " ")
            segments.append((fold, previous[1], content))
        segments.append((text[content:line_end].rstrip("\r"), content,
                         content + len(text[content:line_end].rstrip("\r"))))
        previous = (line_start, line_end)
    return style, segments, indent


def _host_string(segments: list[_Segment], sub: bool, known: Mapping[str, str],
                 substituted: list[Span]) -> HostString:
    """The string from its pieces; in `Fn::Sub`, its references as holes (or as a known
    parameter's value) and `${!` as the `${` it writes."""
    written = HostString()
    for value, host_start, host_end in segments:
        written.add(value, host_start, host_end)
    if not sub or "${" not in (value := written.value):
        return written
    string = HostString()
    at = 0
    for match in _SUB.finditer(value):
        written.copy_to(string, at, match.start())
        host_start, host_end = written.start_of(match.start()), written.end_of(match.end())
        literal, name = match.group(1), match.group(2)
        if literal:
            string.add("${", host_start, written.end_of(match.start() + 3))
            written.copy_to(string, match.start() + 3, match.end())
        elif name in known:
            string.add(known[name], host_start, host_end)
            substituted.append(Span(host_start, host_end))
        else:
            string.add_hole(match.group(), host_start, host_end)
        at = match.end()
    written.copy_to(string, at, len(value))
    return string

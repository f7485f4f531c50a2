"""JSON written inside a host file's string: a Terraform heredoc or quoted string, a
CloudFormation string property (`cfn_strings`), parsed by the JSON parser with every span
in HOST offsets.

The caller describes the string as a `HostString`: its value piece by piece, each piece with
where it is written in the host (a piece written with escapes, `\\"` or `$${`, maps as a
whole), and its unknown parts (`${var.x}` interpolations, `%{…}` directives) as holes.
Before parsing, each hole is replaced by text of the same length that cannot break JSON: a
filler character inside a JSON string, a `0` where it stands for a whole value, blanks for a
directive. After parsing:
- a string that held a hole becomes `JsonUnknown(template=…, template_span=…)`, as a `!Sub`
  string does (`formats.intrinsics`), so the action check still reads its fixed parts;
- a hole that stands for a whole value (`"Resource": ${jsonencode(var.arns)}`) becomes a
  plain `JsonUnknown`;
- a member whose key holds a hole is left out (its name is unknown), and an object whose
  every key does is unknown;
- syntax errors at a hole, or anywhere when a directive sits outside the JSON strings (the
  JSON is then generated), are dropped: the text IAM receives is not the text written.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..document.syntax import (
    JsonArray,
    JsonInvalid,
    JsonLiteral,
    JsonMember,
    JsonNumber,
    JsonObject,
    JsonString,
    JsonUnknown,
    JsonValue,
    SyntaxProblem,
    parse,
)
from ..document.text import Span

# Stands for a hole's characters inside a JSON string: a private-use character, valid in a
# JSON string and never written in a policy.
_FILLER = "\ue000"
_FILLED = re.compile(f"{_FILLER}+")


@dataclass(slots=True)
class _Piece:
    value_start: int
    host_start: int
    host_end: int
    length: int

    @property
    def exact(self) -> bool:
        return self.host_end - self.host_start == self.length


class HostString:
    """A string's value and where each part of it is written in the host text."""

    __slots__ = ("_host_starts", "_parts", "_pieces", "_starts", "holes", "length")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pieces: list[_Piece] = []
        self._starts: list[int] = []  # value offset where each piece starts
        self._host_starts: list[int] = []  # host offset where each piece starts
        # Value offsets (start, end) of the unknown parts, in order.
        self.holes: list[tuple[int, int]] = []
        self.length = 0

    def add(self, value: str, host_start: int, host_end: int | None = None) -> None:
        """Append `value`, written at `host[host_start:host_end]` (`host_end` defaults to
        `host_start + len(value)`: written as it is)."""
        if not value:
            return
        end = host_start + len(value) if host_end is None else host_end
        self._pieces.append(_Piece(self.length, host_start, end, len(value)))
        self._starts.append(self.length)
        self._host_starts.append(host_start)
        self._parts.append(value)
        self.length += len(value)

    def add_hole(self, source: str, host_start: int, host_end: int | None = None) -> None:
        """Append an unknown part, written as `source` at `host_start` (to `host_end` when
        written otherwise)."""
        start = self.length
        self.add(source, host_start, host_end)
        self.holes.append((start, self.length))

    def moved(self, shift: int) -> HostString:
        """The same string `shift` characters later in the host text."""
        if not shift:
            return self
        moved = HostString()
        moved._parts, moved.holes, moved.length = self._parts, self.holes, self.length
        moved._starts = self._starts
        moved._pieces = [_Piece(p.value_start, p.host_start + shift, p.host_end + shift,
                                p.length) for p in self._pieces]
        moved._host_starts = [start + shift for start in self._host_starts]
        return moved

    def copy_to(self, target: HostString, start: int, end: int) -> None:
        """Appends `value[start:end]` to `target`, each piece where it is written (a piece
        written otherwise, an escape, is kept whole)."""
        i = max(0, bisect_right(self._starts, start) - 1)
        while i < len(self._pieces) and self._pieces[i].value_start < end:
            piece, part = self._pieces[i], self._parts[i]
            low = max(start, piece.value_start) - piece.value_start
            high = min(end, piece.value_start + piece.length) - piece.value_start
            if piece.exact:
                target.add(part[low:high], piece.host_start + low, piece.host_start + high)
            else:
                target.add(part[low:high], piece.host_start, piece.host_end)
            i += 1

    def value_offset(self, host: int) -> int | None:
        """The value offset written at host offset `host`: inside a piece written as it is,
        or at a piece's edge; None inside an escape or outside the string."""
        i = bisect_right(self._host_starts, host) - 1
        if i < 0:
            return None
        piece = self._pieces[i]
        if piece.exact and host <= piece.host_end:
            return piece.value_start + host - piece.host_start
        if host == piece.host_start:
            return piece.value_start
        if host == piece.host_end:
            return piece.value_start + piece.length
        return None

    @property
    def value(self) -> str:
        return "".join(self._parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HostString) and (self._pieces, self._parts, self.holes) == (
            other._pieces, other._parts, other.holes)

    def _piece(self, offset: int) -> _Piece:
        return self._pieces[max(0, bisect_right(self._starts, offset) - 1)]

    def start_of(self, offset: int) -> int:
        """Host offset where the value's character at `offset` begins (its end for
        `offset == length`)."""
        if not self._pieces:
            return 0
        if offset >= self.length:
            return self._pieces[-1].host_end
        piece = self._piece(offset)
        return piece.host_start + (offset - piece.value_start if piece.exact else 0)

    def end_of(self, offset: int) -> int:
        """Host offset where the value's character before `offset` ends."""
        if not self._pieces:
            return 0
        if offset <= 0:
            return self._pieces[0].host_start
        piece = self._piece(offset - 1)
        if piece.exact:
            return piece.host_start + (offset - piece.value_start)
        return piece.host_end

    def maps_exactly(self, start: int, end: int) -> bool:
        """True when `value[start:end]` is written in the host as it is, without escapes."""
        if not self._pieces or start >= end:
            return True
        return self.end_of(end) - self.start_of(start) == end - start and all(
            self._piece(i).exact for i in {start, max(start, end - 1)})


def host_text(text: str, start: int, end: int,
              holes: list[tuple[int, int]] | None = None) -> HostString:
    """A host string written as it is between `start` and `end` (a heredoc's body), with
    unknown parts at the host spans `holes`."""
    string = HostString()
    at = start
    for hole_start, hole_end in holes or []:
        string.add(text[at:hole_start], at)
        string.add_hole(text[hole_start:hole_end], hole_start)
        at = hole_end
    string.add(text[at:end], at)
    return string


@dataclass(slots=True)
class EmbeddedJson:
    root: JsonValue | None
    errors: list[SyntaxProblem]


def parse_in_string(string: HostString, line: int = 0, column: int = 0) -> EmbeddedJson:
    """The JSON document in `string`, every span a host offset. `line` and `column` (0-based)
    say where the string starts in the host, so that messages name host lines."""
    value = string.value
    masked, inside, directive_outside = _masked(value, string.holes)
    prefix = "\n" * line + " " * column
    parsed = parse(prefix + masked)
    mapper = _Mapper(string, value, len(prefix), inside)
    root = mapper.value(parsed.root) if parsed.root is not None else None
    errors = [] if directive_outside else [
        mapper.problem(problem) for problem in parsed.errors
        if not mapper.near_hole(problem.span.start - len(prefix))]
    return EmbeddedJson(root, errors)


def _masked(value: str, holes: list[tuple[int, int]]) -> tuple[str, list[bool], bool]:
    """The value with each hole masked; for each hole, whether it is inside a JSON string;
    and whether a directive (`%{…}`) stands outside the strings."""
    chars = list(value)
    inside: list[bool] = []
    directive_outside = False
    in_string = escaped = False
    at = 0
    for start, end in holes:
        for ch in value[at:start]:
            if escaped:
                escaped = False
            elif ch == "\\" and in_string:
                escaped = True
            elif ch == '"':
                in_string = not in_string
            elif ch in "\r\n":
                in_string = False  # JSON strings end at a line break (an error anyway)
        inside.append(in_string)
        directive = value.startswith("%{", start)
        if in_string:
            filler = _FILLER * (end - start)
        elif directive:
            directive_outside = True
            filler = " " * (end - start)
        else:
            filler = "0" + " " * (end - start - 1)
        chars[start:end] = filler
        at = end
    return "".join(chars), inside, directive_outside


class _Mapper:
    """Copies the parsed tree into host coordinates, unknowns where the holes are."""

    def __init__(self, string: HostString, value: str, shift: int, inside: list[bool]) -> None:
        self.string = string
        self.value_text = value
        self.shift = shift
        self.holes = string.holes
        self.hole_starts = {hole[0]: i for i, hole in enumerate(self.holes)}
        self.hole_starts_sorted = [hole[0] for hole in self.holes]
        self.value_holes = {hole[0] for hole, is_in in zip(self.holes, inside, strict=True)
                            if not is_in}

    def span(self, start: int, end: int) -> tuple[int, int]:
        start, end = start - self.shift, end - self.shift
        host_start = self.string.start_of(start)
        return host_start, max(host_start, self.string.end_of(end))

    def near_hole(self, offset: int) -> bool:
        """True at a hole, or in the blanks right after one (where a missing comma is put)."""
        i = bisect_right(self.hole_starts_sorted, offset) - 1
        if i < 0:
            return False
        end = self.holes[i][1]
        return offset <= end or (offset - end <= 200
                                 and not self.value_text[end:offset].strip())

    def problem(self, problem: SyntaxProblem) -> SyntaxProblem:
        start, end = self.span(problem.span.start, problem.span.end)
        return SyntaxProblem(problem.message, Span(start, end), None, "", problem.message_ko)

    def holes_in(self, start: int, end: int) -> list[tuple[int, int]]:
        return [hole for hole in self.holes if hole[0] < end and hole[1] > start]

    def value(self, node: JsonValue) -> JsonValue:
        start, end = self.span(node.start, node.end)
        if isinstance(node, JsonString):
            return self.string_node(node, start, end)
        if isinstance(node, JsonObject):
            result = JsonObject(start, end, closed=node.closed)
            for member in node.members:
                key = self.string_node(member.key, *self.span(member.key.start, member.key.end))
                if not isinstance(key, JsonString):
                    continue  # a key known only at deployment: the member's name is unknown
                colon = None if member.colon is None else self.span(
                    member.colon, member.colon + 1)[0]
                result.members.append(JsonMember(
                    key, None if member.value is None else self.value(member.value), colon))
            if node.members and not result.members:
                # Every name is unknown: so is the object (it is not empty).
                local_start, local_end = node.start - self.shift, node.end - self.shift
                return JsonUnknown(start, end, self.value_text[local_start:local_end])
            return result
        if isinstance(node, JsonArray):
            return JsonArray(start, end, [self.value(item) for item in node.items], node.closed)
        local = node.start - self.shift
        if local in self.value_holes:
            hole_start, hole_end = self.holes[self.hole_starts[local]]
            host_start, host_end = self.span(hole_start + self.shift, hole_end + self.shift)
            return JsonUnknown(host_start, host_end, self.value_text[hole_start:hole_end])
        if isinstance(node, JsonNumber):
            return JsonNumber(start, end, node.text, node.value)
        if isinstance(node, JsonLiteral):
            return JsonLiteral(start, end, node.value)
        assert isinstance(node, JsonInvalid)
        return JsonInvalid(start, end, node.text)

    def string_node(self, node: JsonString, start: int, end: int) -> JsonValue:
        local_start, local_end = node.start - self.shift, node.end - self.shift
        content_start = local_start + 1
        content_end = local_end - 1 if node.terminated and local_end - local_start >= 2 else (
            local_end)
        opening = self.string.start_of(content_start) - start if content_start <= local_end \
            else 1
        exact = self.string.maps_exactly(content_start, content_end)
        holes = self.holes_in(content_start, content_end)
        if holes:
            written = self.value_text[local_start:local_end]
            if node.verbatim:
                template = self.value_text[content_start:content_end]
            else:
                sources = iter(self.value_text[s:e] for s, e in holes)
                template = _FILLED.sub(lambda _: next(sources, ""), node.value)
            content = Span(self.string.start_of(content_start),
                           self.string.end_of(content_end))
            return JsonUnknown(start, end, written, template=template, template_span=content)
        return JsonString(start, end, node.value, node.verbatim and exact, node.terminated,
                          max(0, opening))

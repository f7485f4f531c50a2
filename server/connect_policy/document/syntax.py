"""Tolerant JSON parser: a recovered tree with offsets, and every syntax error.

Written by hand in the style of Microsoft's jsonc-parser rather than on top of a generic
grammar, because the point is the messages: a missing comma is reported at the gap where
the comma belongs, a trailing comma on the comma itself, an unclosed bracket at the end
with the line where it opened. Parsing never stops at an error, so the checks see every
action even in a damaged document. No input makes it raise.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .text import LineIndex, Span

# Deeper than any real policy; guards the recursion in the parser.
MAX_DEPTH = 200
# Syntax errors reported per document; beyond this the text is not a policy being edited
# but junk, and a million diagnostics help nobody (nor the editor showing them).
MAX_ERRORS = 1000


@dataclass(eq=False, slots=True)
class JsonNode:
    start: int
    end: int

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(eq=False, slots=True)
class JsonString(JsonNode):
    value: str
    # True when the source text between the quotes equals `value` (no escapes), so that
    # offsets inside the value map one-to-one onto the document.
    verbatim: bool = True
    terminated: bool = True
    # Characters of quote around the content: 1 in JSON, 0 for a plain YAML scalar.
    quote_len: int = 1

    @property
    def content_start(self) -> int:
        return self.start + self.quote_len

    def content_span(self, begin: int = 0, end: int | None = None) -> Span:
        """Document span of `value[begin:end]`; the whole content when escapes prevent mapping."""
        opening = self.start + self.quote_len
        close = self.end - self.quote_len if self.terminated else self.end
        if not self.verbatim:
            return Span(opening, max(opening, close))
        stop = len(self.value) if end is None else end
        return Span(opening + begin, opening + stop)


@dataclass(eq=False, slots=True)
class JsonNumber(JsonNode):
    text: str
    value: int | float | None  # None when the literal is not a valid JSON number


@dataclass(eq=False, slots=True)
class JsonLiteral(JsonNode):
    """`true`, `false` or `null`."""

    value: bool | None


@dataclass(eq=False, slots=True)
class JsonInvalid(JsonNode):
    """A token that is no JSON value (`True`, `undefined`); kept so ranges stay right."""

    text: str


@dataclass(eq=False, slots=True)
class JsonUnknown(JsonInvalid):
    """A value known only when the policy is deployed: a CloudFormation intrinsic function
    (`!Ref`, `!GetAtt`, `!Sub "…${X}…"`). A kind of `JsonInvalid` on purpose: every check
    already leaves invalid values alone (no type, emptiness or value errors), which is what
    an unknown value needs; the few checks that can still say something read the fields.
    `text` is the host text of the whole function."""

    # Values it may take that are known (the branches of `Fn::If`); each is checked.
    alternatives: tuple[JsonValue, ...] = ()
    # A string with unknown parts (`Fn::Sub`, `Fn::Join`): its text with `${…}` left in.
    template: str | None = None
    # Where the template's text sits in the document (its content, without quotes).
    template_span: Span | None = None


@dataclass(eq=False, slots=True)
class JsonMember:
    key: JsonString
    value: JsonValue | None
    colon: int | None = None
    # Where the member's text ends when its value is written elsewhere (a YAML alias: the
    # value is its anchor's, before the key); None: where the value ends.
    written_end: int | None = None

    @property
    def end(self) -> int:
        if self.written_end is not None:
            return self.written_end
        if self.value is not None:
            return self.value.end
        return self.colon + 1 if self.colon is not None else self.key.end


@dataclass(eq=False, slots=True)
class JsonObject(JsonNode):
    members: list[JsonMember] = field(default_factory=list)
    closed: bool = True
    # Members by name, built on the first lookup: the checks look names up thousands of
    # times per document. Rebuilt when members were added since.
    _by_name: dict[str, JsonMember] | None = field(default=None, repr=False)
    _indexed: int = field(default=0, repr=False)

    def get(self, key: str) -> JsonMember | None:
        """The last member named `key` (IAM, like most JSON readers, keeps the last)."""
        by_name = self._by_name
        if by_name is None or self._indexed != len(self.members):
            by_name = {member.key.value: member for member in self.members}
            self._by_name, self._indexed = by_name, len(self.members)
        return by_name.get(key)

    def value_of(self, key: str) -> JsonValue | None:
        member = self.get(key)
        return member.value if member else None


@dataclass(eq=False, slots=True)
class JsonArray(JsonNode):
    items: list[JsonValue] = field(default_factory=list)
    closed: bool = True


JsonValue = JsonObject | JsonArray | JsonString | JsonNumber | JsonLiteral | JsonInvalid


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    message: str
    span: Span
    # A repair, when one is certain: replace `span` with `replacement`, titled `fix_title`.
    replacement: str | None = None
    fix_title: str = ""
    # The message in Korean (the language server shows it to `ko` clients); "" if none.
    message_ko: str = ""


@dataclass(slots=True)
class ParseResult:
    text: str
    # The document's value; None for an empty document.
    root: JsonValue | None
    # Values found after the end of the document (pasted statements, for instance);
    # reported as errors but kept so that their content is still checked.
    extra_roots: list[JsonValue]
    errors: list[SyntaxProblem]
    # True when the document began with `"key": value` and no `{` (a pasted fragment).
    implicit_object: bool = False
    _lines: LineIndex | None = None
    # True when the text was not parsed at all (too large to analyse): `root` is None.
    skipped: bool = False

    @property
    def lines(self) -> LineIndex:
        """The line index, built on first use (most documents never need it)."""
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines


_TOKEN = re.compile(
    r"""
    [ \t\n\r]*+          # whitespace before a token is skipped in the same match
    (?:(?P<string>"[^"\\\n\r]*+(?:\\[^\n\r][^"\\\n\r]*+)*+(?:"|\\?(?=[\n\r]|\Z)))
  | (?P<number>[-+]?\.?\d(?:[\w.]|(?<=[eE])[-+])*|-)
  | (?P<line_comment>//[^\n\r]*)
  | (?P<block_comment>/\*(?:.|\n|\r)*?(?:\*/|\Z))
  | (?P<punct>[{}\[\]:,])
  | (?P<bom>\ufeff)      # a byte order mark: IAM rejects it, reported and skipped
  | (?P<word>[^\s{}\[\]:,"'/0-9.+\-\x00-\x1f\ufeff][^\s{}\[\]:,"'\x00-\x1f\ufeff]*)
  | (?P<squote>'(?:[^'\\\n\r]|\\[^\n\r])*'?)
  | (?P<other>[^ \t\n\r])
  | (?P<end>\Z))         # trailing whitespace: matched once, not retried at each offset
    """,
    re.VERBOSE,
)
_VALID_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?\Z")
_ESCAPE = re.compile(r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"
                     r"|\\(u[0-9a-fA-F]{4}|[\"\\/bfnrt])|\\(u[0-9a-fA-F]{0,3}|.|\Z)|([\x00-\x1f])")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r",
                   "t": "\t"}
_LITERALS: dict[str, bool | None] = {"true": True, "false": False, "null": None}
_LITERAL_HINTS = {"none": "null", "nil": "null", "undefined": "null", "yes": "true",
                  "no": "false"}


@dataclass(slots=True)  # not frozen: a frozen dataclass is several times slower to create
class _Token:
    kind: str  # one of the group names above, or the punctuation character itself
    start: int
    end: int


def _describe(text: str, limit: int = 60) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f'"{text}"'


@dataclass(slots=True)
class ParseMemory:
    """What a parse keeps so that the next parse of the same document, after an edit, can
    reuse what the edit cannot have changed (see `parse_again`)."""

    text: str
    tokens: list[_Token]
    # Tokenising reported nothing (no comment, no BOM), so every token's end is where the
    # regular expression's next match began: a rescan may rejoin the old tokens there.
    tokens_clean: bool
    # Objects whose parse reported no error, by start offset: (node, depth of containers
    # around it, number of tokens from its `{` to its `}`).
    objects: dict[int, tuple[JsonObject, int, int]]


class _Parser:
    def __init__(self, text: str, previous: ParseMemory | None = None,
                 remember: bool = False, within: tuple[int, int, str] | None = None) -> None:
        self.text = text
        self._lines: LineIndex | None = None
        self.errors: list[SyntaxProblem] = []
        self.tokens: list[_Token] = []
        self.pos = 0
        self.stack: list[str] = []  # open containers: "{" or "["
        self._overflowed = False
        self._emitted = 0  # errors reported, counted past MAX_ERRORS too
        # Reuse: the previous parse, and the region of the new text that differs from it.
        self._previous = previous
        self._unchanged_prefix = self._unchanged_suffix = self._shift = 0
        self._objects: dict[int, tuple[JsonObject, int, int]] | None = {} if remember else None
        if within is not None:  # one value of the text, inside these open containers
            start, end, enclosing = within
            self.stack.extend(enclosing)
            if not text.isascii():
                self._surrogates(start, end)
            self._tokenize(start, end=end)
            self.tokens_clean = False
            return
        if not text.isascii():
            self._surrogates()
        before = self._emitted
        if previous is not None and previous.text != text:
            self._unchanged_prefix, self._unchanged_suffix = unchanged_ends(previous.text, text)
            self._shift = len(text) - len(previous.text)
        elif previous is not None:
            self._unchanged_prefix = len(text)
        if previous is not None and previous.tokens_clean:
            self._tokenize_again(previous)
        else:
            self._tokenize()
        self.tokens_clean = self._emitted == before and (previous is None or (
            previous.tokens_clean))

    def memory(self) -> ParseMemory:
        """What the next parse of this document may reuse (after `parse`, with `remember`)."""
        return ParseMemory(self.text, self.tokens, self.tokens_clean, self._objects or {})

    def _surrogates(self, start: int = 0, end: int | None = None) -> None:
        """Lone UTF-16 surrogates in the text itself (a client may send them): no character."""
        for m in _SURROGATE.finditer(self.text, start, len(self.text) if end is None else end):
            if self._overflowed:
                return
            code = f"U+{ord(m.group()):04X}"
            self._error(f"Invalid character {code}: a lone UTF-16 surrogate is not a character "
                        "(the text is not valid Unicode, and IAM rejects it); remove it",
                        m.start(), m.end(), "", "Remove the invalid character",
                        ko=f"잘못된 문자 {code}입니다. 짝이 없는 UTF-16 서로게이트는 문자가 "
                           "아닙니다(올바른 유니코드가 아니며 IAM이 거부합니다). 지우세요.")

    def _bom(self, start: int) -> None:
        if start == 0:
            message = ("The document starts with a byte order mark (U+FEFF): IAM rejects it "
                       "(a policy is JSON text with no BOM); remove it, or save the file as "
                       "UTF-8 without BOM")
            ko = ("문서가 바이트 순서 표시(BOM, U+FEFF)로 시작합니다. IAM은 BOM이 있는 정책을 "
                  "거부합니다. BOM을 지우거나 파일을 BOM 없는 UTF-8로 저장하세요.")
        else:
            message = ("Unexpected U+FEFF (a byte order mark, invisible) in the middle of the "
                       "document: IAM rejects it; remove it")
            ko = ("문서 중간에 보이지 않는 U+FEFF(바이트 순서 표시)가 있습니다. IAM이 "
                  "거부하니 지우세요.")
        self._error(message, start, start + 1, "", "Remove the byte order mark", ko=ko)
    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    # -- tokens ----------------------------------------------------------------------------
    def _tokenize(self, start: int = 0, rejoin: list[_Token] | None = None,
                  rejoin_from: int = 0, end: int | None = None) -> None:
        """Tokens from `start` on. With `rejoin` (the previous parse's tokens): once a match
        ends in the unchanged tail where one of those tokens ended, the rest are those
        tokens, shifted; matching from there would find them again (it depends only on the
        text from there on)."""
        append = self.tokens.append
        tail_start = len(self.text) - self._unchanged_suffix
        shift = self._shift
        for m in _TOKEN.finditer(self.text, start, len(self.text) if end is None else end):
            kind = m.lastgroup or "other"
            if kind == "end":
                break
            if rejoin is not None and m.end() >= tail_start and kind not in (
                    "line_comment", "block_comment", "bom"):
                old_end = m.end() - shift
                j = bisect_left(rejoin, old_end, rejoin_from, key=_token_end)
                if j < len(rejoin) and rejoin[j].end == old_end:
                    self._append_token(m, kind)
                    rest = rejoin[j + 1:]
                    self.tokens.extend(rest if not shift else [
                        _Token(t.kind, t.start + shift, t.end + shift) for t in rest])
                    return
            start, end = m.start(kind), m.end()
            if kind in ("line_comment", "block_comment"):
                unterminated = kind == "block_comment" and not self.text.endswith(
                    "*/", start, end)
                if unterminated or (kind == "block_comment" and end - start < 4):
                    self._error('Unterminated comment: add "*/", or better, remove the '
                                "comment (IAM rejects comments in policies)", start, end,
                                ko='주석이 닫히지 않았습니다. "*/"를 추가하거나, 되도록 주석을 '
                                   "지우세요(IAM은 주석이 있는 정책을 거부합니다).")
                else:
                    self._error("Comments are not allowed: IAM rejects a policy that contains "
                                "one; remove it", start, end, "", "Remove the comment",
                                ko="주석은 쓸 수 없습니다. IAM은 주석이 있는 정책을 거부하니 "
                                   "지우세요.")
                continue
            if kind == "bom":
                self._bom(start)
                continue
            if kind == "punct":
                kind = self.text[start]
            append(_Token(kind, start, end))

    def _append_token(self, m: re.Match[str], kind: str) -> None:
        start = m.start(kind)
        self.tokens.append(_Token(self.text[start] if kind == "punct" else kind, start,
                                  m.end()))

    def _tokenize_again(self, previous: ParseMemory) -> None:
        """The tokens of an edited text: the old ones before the edit, a rescan from the
        last of them, and the old ones again (shifted) once the rescan rejoins them."""
        old = previous.tokens
        # Tokens ending before the edit (strictly: a match looks one character past its
        # end to know that a word or number stops there) are the same in the new text.
        kept = bisect_left(old, self._unchanged_prefix, key=_token_end)
        self.tokens.extend(old[:kept])
        self._tokenize(old[kept - 1].end if kept else 0, old, kept)

    def _peek(self, ahead: int = 0) -> _Token | None:
        i = self.pos + ahead
        return self.tokens[i] if i < len(self.tokens) else None

    def _tok_text(self, tok: _Token) -> str:
        return self.text[tok.start : tok.end]

    def _where(self, offset: int) -> str:
        line, col = self.lines.position(offset)
        return f"line {line + 1}, column {col + 1}"

    def _where_ko(self, offset: int) -> str:
        line, col = self.lines.position(offset)
        return f"{line + 1}번째 줄 {col + 1}번째 열"

    def _error(self, message: str, start: int, end: int | None = None,
               replacement: str | None = None, fix_title: str = "", *, ko: str = "") -> None:
        self._emitted += 1
        span = Span(start, start if end is None else end)
        if len(self.errors) >= MAX_ERRORS:
            if not self._overflowed:  # one last error says that the rest are not shown
                self._overflowed = True
                self.errors.append(SyntaxProblem(
                    f"Too many syntax errors: only the first {MAX_ERRORS:,} are reported, "
                    "and this is where the next one is; this text does not look like a policy",
                    span, message_ko=f"구문 오류가 너무 많아 처음 {MAX_ERRORS:,}개만 "
                    "보고합니다. 다음 오류는 이 위치에 있습니다. 이 텍스트는 정책으로 "
                    "보이지 않습니다."))
            return
        self.errors.append(SyntaxProblem(message, span, replacement, fix_title, ko))

    # -- document --------------------------------------------------------------------------
    def parse(self) -> ParseResult:
        root: JsonValue | None = None
        extra: list[JsonValue] = []
        implicit = False
        first, second = self._peek(), self._peek(1)
        if first is None:
            self._error("The document is empty: a policy is a JSON object such as "
                        '{"Version": "2012-10-17", "Statement": [...]}', 0, 0,
                        ko="문서가 비어 있습니다. 정책은 "
                           '{"Version": "2012-10-17", "Statement": [...]} 같은 JSON 객체입니다.')
        elif first.kind == "string" and second is not None and second.kind == ":":
            implicit = True
            self._error('Missing "{" at the start: the document begins with a property, so it '
                        'looks like part of a policy; wrap it in "{ … }"', first.start, first.end,
                        ko='시작 부분에 "{"가 없습니다. 문서가 속성으로 시작하므로 정책의 일부로 '
                           '보입니다. "{ … }"로 감싸세요.')
            root = self._parse_object(None)
        else:
            root = self._parse_value()
        reported = False
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            if not reported:
                reported = True
                end_line = self.lines.position(root.end if root else 0)[0] + 1
                shown = _describe(self._tok_text(tok))
                self._error(f"Unexpected {shown} after the end of the "
                            f"JSON document (it ended on line {end_line}); a policy is a single "
                            'JSON object, and statements belong in its "Statement" array',
                            tok.start, tok.end,
                            ko=f"JSON 문서는 {end_line}번째 줄에서 끝났는데 그 뒤에 {shown}이(가) "
                               '있습니다. 정책은 JSON 객체 하나이며, 문은 그 안의 "Statement" '
                               "배열에 넣어야 합니다.")
            before = self.pos
            if tok.kind in ("{", "[", "string", "number", "word", "squote"):
                value = self._parse_value()
                if value is not None:
                    extra.append(value)
            if self.pos == before:
                self.pos += 1
        return ParseResult(self.text, root, extra, self.errors, implicit, self._lines)

    # -- values ----------------------------------------------------------------------------
    def _parse_value(self) -> JsonValue | None:
        tok = self._peek()
        if tok is None:
            end = self._last_end()
            self._error("Missing a value at the end of the document", end, end,
                        ko="문서 끝에 값이 없습니다.")
            return None
        kind = tok.kind
        if kind == "{":
            depth = len(self.stack)
            if depth >= MAX_DEPTH:
                return self._skip_too_deep(tok)
            first, emitted = self.pos, self._emitted
            obj = self._reused_object(tok, depth) if self._previous is not None else None
            if obj is None:
                self.pos += 1
                obj = self._parse_object(tok)
            if self._objects is not None and self._emitted == emitted and obj.closed:
                self._objects[obj.start] = (obj, depth, self.pos - first)
            return obj
        if kind == "[":
            if len(self.stack) >= MAX_DEPTH:
                return self._skip_too_deep(tok)
            self.pos += 1
            return self._parse_array(tok)
        if kind in ("string", "squote"):
            self.pos += 1
            return self._string(tok)
        if kind == "number":
            self.pos += 1
            return self._number(tok)
        if kind == "word":
            self.pos += 1
            return self._word(tok)
        if kind == "other":
            self.pos += 1
            char = self._tok_text(tok)
            self._error(f"Unexpected character {_char_name(char)}: expected a "
                        "JSON value", tok.start, tok.end,
                        ko=f"예상치 못한 문자 {_char_name(char, ko=True)}입니다. 여기에는 JSON "
                           "값이 와야 합니다.")
            return JsonInvalid(tok.start, tok.end, self._tok_text(tok))
        # A structural token where a value belongs: report, consume nothing.
        shown = _describe(self._tok_text(tok))
        self._error(f"Expected a value before {shown}", tok.start, tok.start,
                    ko=f"{shown} 앞에 값이 있어야 합니다.")
        return None

    def _reused_object(self, tok: _Token, depth: int) -> JsonObject | None:
        """The previous parse's object at this `{`, moved to where it is now, when the edit
        left its text alone and parsing it reported nothing: parsing it again here, at the
        same depth, would give the same tree and report nothing either (the checks that
        depend on the containers around, like a `]` closing an outer array, all report)."""
        assert self._previous is not None
        start = tok.start
        if start < self._unchanged_prefix:
            old_start = start
        elif start >= len(self.text) - self._unchanged_suffix:
            old_start = start - self._shift
        else:
            return None
        found = self._previous.objects.get(old_start)
        if found is None:
            return None
        obj, old_depth, count = found
        in_prefix = obj.end <= self._unchanged_prefix and start == old_start
        in_suffix = old_start >= len(self._previous.text) - self._unchanged_suffix
        if old_depth != depth or not (in_prefix or in_suffix):
            return None
        shift = start - old_start
        last = self.pos + count - 1
        # The tokens are the same as before (same text from a token boundary); checked.
        if last >= len(self.tokens) or self.tokens[last].end != obj.end + shift:
            return None
        self.pos = last + 1
        return obj if not shift else shifted(obj, shift)

    def _skip_too_deep(self, tok: _Token) -> JsonInvalid:
        self._error(f"Nesting deeper than {MAX_DEPTH} levels: this is not a policy", tok.start,
                    tok.end, ko=f"중첩이 {MAX_DEPTH}단계보다 깊습니다. 이런 문서는 정책이 "
                                "아닙니다.")
        depth = 0
        while self.pos < len(self.tokens):
            kind = self.tokens[self.pos].kind
            self.pos += 1
            if kind in ("{", "["):
                depth += 1
            elif kind in ("}", "]"):
                depth -= 1
                if depth == 0:
                    break
        return JsonInvalid(tok.start, self._last_end(), "")

    def _last_end(self) -> int:
        if self.pos > 0 and self.tokens:
            return self.tokens[min(self.pos, len(self.tokens)) - 1].end
        return len(self.text.rstrip())

    def _string(self, tok: _Token) -> JsonString:
        raw = self._tok_text(tok)
        quote = raw[0]
        terminated = len(raw) >= 2 and raw[-1] == quote and (
            raw[-2] != "\\" or not _escaped_end(raw))
        body = raw[1:-1] if terminated else raw[1:]
        verbatim = _NEEDS_DECODING.search(body) is None
        value = body if verbatim else self._decode(body, tok.start + 1)
        if quote == "'":
            fix = json.dumps(value, ensure_ascii=False) if terminated else None
            self._error("Strings must use double quotes, not single quotes",
                        tok.start, tok.end, fix, "Use double quotes" if fix else "",
                        ko="문자열은 작은따옴표가 아니라 큰따옴표로 감싸야 합니다.")
        if not terminated:
            line = self.lines.position(tok.start)[0] + 1
            self._error("Unterminated string: add the closing quote (the string opened on "
                        f"line {line} and JSON strings cannot span lines)", tok.end, tok.end,
                        quote, "Insert the closing quote",
                        ko="문자열이 닫히지 않았습니다. 닫는 따옴표를 추가하세요(문자열은 "
                           f"{line}번째 줄에서 시작했고, JSON 문자열은 여러 줄에 걸칠 수 "
                           "없습니다).")
        return JsonString(tok.start, tok.end, value, verbatim, terminated)

    def _decode(self, body: str, base: int) -> str:
        out: list[str] = []
        last = 0
        for m in _ESCAPE.finditer(body):
            out.append(body[last : m.start()])
            last = m.end()
            high, low, good, bad, control = m.groups()
            if high is not None:  # a surrogate pair: one character
                out.append(chr(0x10000 + ((int(high, 16) - 0xD800) << 10)
                               + int(low, 16) - 0xDC00))
            elif good is not None and good[0] == "u" and 0xD800 <= int(good[1:], 16) <= 0xDFFF:
                self._error(f"Invalid escape {_describe(m.group())}: a lone UTF-16 surrogate is "
                            "not a character (IAM rejects it); write a whole pair such as "
                            '"\\ud83d\\ude00", or the character itself',
                            base + m.start(), base + m.end(),
                            ko=f"잘못된 이스케이프 {_describe(m.group())}입니다. 짝이 없는 UTF-16 "
                               "서로게이트는 문자가 아닙니다(IAM이 거부합니다). "
                               '"\\ud83d\\ude00"처럼 한 쌍으로 쓰거나 문자 자체를 쓰세요.')
                out.append("\ufffd")  # keeps the value valid Unicode for every consumer
            elif good is not None:
                out.append(chr(int(good[1:], 16)) if good[0] == "u" else _SIMPLE_ESCAPES[good])
            elif control is not None:
                name = "a tab" if control == "\t" else f"control character U+{ord(control):04X}"
                name_ko = "탭을" if control == "\t" else f"제어 문자 U+{ord(control):04X}을(를)"
                escape = '"\\t"' if control == "\t" else f'"\\u{ord(control):04x}"'
                self._error(f"Strings cannot contain {name}: write it as {escape}",
                            base + m.start(), base + m.end(),
                            ko=f"문자열 안에 {name_ko} 그대로 쓸 수 없습니다. {escape}로 "
                               "쓰세요.")
                out.append(control)
            else:
                shown = m.group() or "\\"
                self._error(f"Invalid escape {_describe(shown)} in string: JSON allows "
                            '\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX',
                            base + m.start(), base + m.end(),
                            ko=f"문자열에 잘못된 이스케이프 {_describe(shown)}이(가) 있습니다. "
                               "JSON에서 쓸 수 있는 이스케이프는 "
                               '\\" \\\\ \\/ \\b \\f \\n \\r \\t, \\uXXXX뿐입니다.')
                out.append(bad)
        out.append(body[last:])
        return "".join(out)

    def _number(self, tok: _Token) -> JsonNumber:
        raw = self._tok_text(tok)
        if _VALID_NUMBER.match(raw):
            try:
                value: int | float | None = json.loads(raw)
            except ValueError:  # pragma: no cover - the pattern admits only valid numbers
                value = None
            return JsonNumber(tok.start, tok.end, raw, value)
        if raw == "-":
            self._error('Unexpected "-": expected a number', tok.start, tok.end,
                        ko='예상치 못한 "-"입니다. 여기에는 숫자가 와야 합니다.')
        else:
            self._error(f"{_describe(raw)} is not a valid JSON number (JSON numbers have no "
                        'leading zeros, "+" sign, hex digits or bare "."; IAM values are '
                        "usually strings)", tok.start, tok.end,
                        ko=f"{_describe(raw)}은(는) 올바른 JSON 숫자가 아닙니다(JSON 숫자에는 "
                           '앞자리 0, "+" 부호, 16진수, 단독 "."을 쓸 수 없습니다. IAM 값은 '
                           "대개 문자열입니다).")
        return JsonNumber(tok.start, tok.end, raw, None)

    def _word(self, tok: _Token) -> JsonLiteral | JsonInvalid:
        raw = self._tok_text(tok)
        if raw in _LITERALS:
            return JsonLiteral(tok.start, tok.end, _LITERALS[raw])
        lower = raw.lower()
        if lower in _LITERALS:
            self._error(f'{_describe(raw)} is not a JSON value: write "{lower}" in lower case',
                        tok.start, tok.end, lower, f'Change to "{lower}"',
                        ko=f'{_describe(raw)}은(는) JSON 값이 아닙니다. 소문자 "{lower}"로 '
                           "쓰세요.")
            return JsonInvalid(tok.start, tok.end, raw)
        elif lower in _LITERAL_HINTS:
            hint = f'JSON spells it "{_LITERAL_HINTS[lower]}"'
            hint_ko = f'JSON에서는 "{_LITERAL_HINTS[lower]}"로 씁니다.'
        else:
            hint = f'if it is text, quote it: "{raw}"'
            hint_ko = f'텍스트라면 "{raw}"처럼 따옴표로 감싸세요.'
        self._error(f"{_describe(raw)} is not a JSON value: {hint}", tok.start, tok.end,
                    ko=f"{_describe(raw)}은(는) JSON 값이 아닙니다. {hint_ko}")
        return JsonInvalid(tok.start, tok.end, raw)

    # -- containers ------------------------------------------------------------------------
    def _unclosed(self, closer: str, what: str, open_at: int, at: int) -> None:
        what_ko = _CONTAINER_SUBJECT_KO.get(what, what)
        self._error(f'Missing "{closer}": the {what} opened at {self._where(open_at)} is '
                    "never closed", at, at, closer, f'Insert the missing "{closer}"',
                    ko=f'"{closer}"가 없습니다. {self._where_ko(open_at)}에서 시작한 {what_ko} '
                       "닫히지 않았습니다.")

    def _parse_object(self, open_tok: _Token | None) -> JsonObject:
        start = open_tok.start if open_tok else (self._peek() or _Token("", 0, 0)).start
        obj = JsonObject(start, start)
        self.stack.append("{")
        last_end = open_tok.end if open_tok else start
        pending_comma: _Token | None = None
        expect_member = True
        try:
            while True:
                tok = self._peek()
                if tok is None:
                    obj.closed = False
                    obj.end = last_end
                    if open_tok is not None:
                        self._unclosed("}", "object", start, last_end)
                    return obj
                kind = tok.kind
                if kind == "}":
                    if pending_comma is not None and obj.members:
                        self._error('Trailing comma: remove it (JSON allows no comma before "}")',
                                    pending_comma.start, pending_comma.end, "",
                                    "Remove the trailing comma",
                                    ko="불필요한 후행 쉼표입니다. 지우세요(JSON에서는 "
                                       '"}" 바로 앞에 쉼표를 쓸 수 없습니다).')
                    self.pos += 1
                    obj.end = tok.end
                    return obj
                if kind == "]":
                    if "[" in self.stack:
                        obj.closed = False
                        obj.end = last_end
                        if open_tok is not None:
                            self._error(f'Missing "}}" before "]": the object opened at '
                                        f"{self._where(start)} is not closed",
                                        last_end, last_end,
                                        ko=f'"]" 앞에 "}}"가 없습니다. {self._where_ko(start)}에서 '
                                           "시작한 객체가 닫히지 않았습니다.")
                        else:
                            self._error('Unexpected "]": no array is open here', tok.start,
                                        tok.end, ko='예상치 못한 "]"입니다. 여기에는 열린 배열이 '
                                                    "없습니다.")
                        return obj
                    self._error('Unexpected "]" inside an object', tok.start, tok.end,
                                ko='객체 안에 예상치 못한 "]"가 있습니다.')
                    self.pos += 1
                    continue
                if kind == ",":
                    if expect_member:
                        self._error("Unexpected comma: remove it", tok.start, tok.end, "",
                                    "Remove the comma", ko="예상치 못한 쉼표입니다. 지우세요.")
                    else:
                        expect_member = True
                        pending_comma = tok
                    self.pos += 1
                    continue
                if kind == "other":  # a stray character (NUL, say): report and skip it
                    self.pos += 1
                    char = self._tok_text(tok)
                    self._error(f"Unexpected character {_char_name(char)} in an object: "
                                "remove it", tok.start, tok.end, "", "Remove the character",
                                ko=f"객체 안에 예상치 못한 문자 {_char_name(char, ko=True)}이(가) "
                                   "있습니다. 지우세요.")
                    continue
                if not expect_member:
                    previous = obj.members[-1] if obj.members else None
                    after = f' after "{previous.key.value}"' if previous else ""
                    where_ko = (f'속성 "{previous.key.value}" 뒤에' if previous
                                else "속성 사이에")
                    self._error(f'Missing comma between properties{after}: add "," here',
                                last_end, last_end, ",", "Insert the missing comma",
                                ko=f'{where_ko} 쉼표가 없습니다. 여기에 ","를 추가하세요.')
                pending_comma = None
                expect_member = False
                member = self._parse_member(tok)
                if member is not None:
                    obj.members.append(member)
                    last_end = member.end
                else:
                    last_end = max(last_end, self._last_end())
                obj.end = last_end
        finally:
            self.stack.pop()

    def _parse_member(self, tok: _Token) -> JsonMember | None:
        kind = tok.kind
        if kind in ("string", "squote"):
            self.pos += 1
            key = self._string(tok)
        elif kind in ("word", "number"):
            self.pos += 1
            raw = self._tok_text(tok)
            self._error(f'Property names must be double-quoted: write "{raw}"',
                        tok.start, tok.end,
                        ko=f'속성 이름은 큰따옴표로 감싸야 합니다. "{raw}"로 쓰세요.')
            key = JsonString(tok.start, tok.end, raw, False)
        elif kind == ":":
            self._error('Missing property name before ":"', tok.start, tok.start,
                        ko='":" 앞에 속성 이름이 없습니다.')
            key = JsonString(tok.start, tok.start, "", False)
        else:
            # `{`, `[` or junk where a property name belongs: parse it to skip it whole.
            self._error("Expected a property name (a double-quoted string)", tok.start, tok.end,
                        ko="여기에는 속성 이름(큰따옴표로 감싼 문자열)이 와야 합니다.")
            before = self.pos
            self._parse_value()
            if self.pos == before:
                self.pos += 1
            return None
        colon_tok = self._peek()
        colon: int | None = None
        if colon_tok is not None and colon_tok.kind == ":":
            colon = colon_tok.start
            self.pos += 1
        else:
            nxt = colon_tok
            after = self._peek(1)
            starts_value = nxt is not None and nxt.kind in (
                "{", "[", "string", "number", "word", "squote")
            next_is_key = (nxt is not None and nxt.kind == "string" and after is not None
                           and after.kind == ":")
            if not starts_value or next_is_key:
                self._error(f'Property {_describe(key.value)} has no value: add ": value"',
                            key.end, key.end,
                            ko=f'속성 {_describe(key.value)}에 값이 없습니다. ": value"를 '
                               "추가하세요.")
                return JsonMember(key, None, None)
            self._error(f'Missing ":" after property name {_describe(key.value)}',
                        key.end, key.end,
                        ko=f'속성 이름 {_describe(key.value)} 뒤에 ":"이 없습니다.')
        nxt = self._peek()
        if nxt is None or nxt.kind in (",", "}", "]"):
            at = (colon + 1) if colon is not None else key.end
            self._error(f"Missing value for property {_describe(key.value)}", at, at,
                        ko=f"속성 {_describe(key.value)}의 값이 빠져 있습니다.")
            return JsonMember(key, None, colon)
        return JsonMember(key, self._parse_value(), colon)

    def _parse_array(self, open_tok: _Token) -> JsonArray:
        arr = JsonArray(open_tok.start, open_tok.end)
        self.stack.append("[")
        last_end = open_tok.end
        pending_comma: _Token | None = None
        expect_item = True
        try:
            while True:
                tok = self._peek()
                if tok is None:
                    arr.closed = False
                    arr.end = last_end
                    self._unclosed("]", "array", open_tok.start, last_end)
                    return arr
                kind = tok.kind
                if kind == "]":
                    if pending_comma is not None and arr.items:
                        self._error('Trailing comma: remove it (JSON allows no comma before "]")',
                                    pending_comma.start, pending_comma.end, "",
                                    "Remove the trailing comma",
                                    ko="불필요한 후행 쉼표입니다. 지우세요(JSON에서는 "
                                       '"]" 바로 앞에 쉼표를 쓸 수 없습니다).')
                    self.pos += 1
                    arr.end = tok.end
                    return arr
                if kind == "}":
                    if "{" in self.stack:
                        arr.closed = False
                        arr.end = last_end
                        self._error(f'Missing "]" before "}}": the array opened at '
                                    f"{self._where(open_tok.start)} is not closed",
                                    last_end, last_end,
                                    ko=f'"}}" 앞에 "]"가 없습니다. '
                                       f"{self._where_ko(open_tok.start)}에서 시작한 배열이 "
                                       "닫히지 않았습니다.")
                        return arr
                    self._error('Unexpected "}" inside an array', tok.start, tok.end,
                                ko='배열 안에 예상치 못한 "}"가 있습니다.')
                    self.pos += 1
                    continue
                if kind == ",":
                    if expect_item:
                        self._error("Unexpected comma: remove it (or add the missing value)",
                                    tok.start, tok.end,
                                    ko="예상치 못한 쉼표입니다. 지우세요(또는 빠진 값을 "
                                       "추가하세요).")
                    else:
                        expect_item = True
                        pending_comma = tok
                    self.pos += 1
                    continue
                if kind == ":":
                    self._error('Unexpected ":" in an array: arrays hold values, not '
                                '"name: value" pairs', tok.start, tok.end,
                                ko='배열 안에 예상치 못한 ":"이 있습니다. 배열에는 '
                                   '"name: value" 쌍이 아니라 값만 들어갑니다.')
                    self.pos += 1
                    continue
                if not expect_item:
                    previous = arr.items[-1] if arr.items else None
                    shown = ""
                    if previous is not None and previous.end - previous.start <= 80:
                        source = self.text[previous.start:previous.end]
                        # A string shows in its own quotes; other values get quotes.
                        shown = (source if isinstance(previous, JsonString)
                                 and previous.terminated else _describe(source))
                    after = f" after {shown}" if shown else ""
                    where_ko = f"배열 요소 {shown} 뒤에" if shown else "배열 요소 사이에"
                    self._error(f'Missing comma between array elements{after}: add "," here',
                                last_end, last_end, ",", "Insert the missing comma",
                                ko=f'{where_ko} 쉼표가 없습니다. 여기에 ","를 추가하세요.')
                pending_comma = None
                expect_item = False
                before = self.pos
                value = self._parse_value()
                if value is not None:
                    arr.items.append(value)
                    last_end = value.end
                if self.pos == before:
                    self.pos += 1
                arr.end = last_end
        finally:
            self.stack.pop()


def _escaped_end(raw: str) -> bool:
    """True when the final quote of `raw` is escaped (`"abc\\"`), i.e. not a closing quote."""
    backslashes = len(raw) - 1 - len(raw[:-1].rstrip("\\"))
    return len(raw) >= 2 and backslashes % 2 == 1


# A string body is its own value unless it has an escape or a control character.
_NEEDS_DECODING = re.compile(r"[\\\x00-\x1f]")


_CONTAINER_SUBJECT_KO = {"object": "객체가", "array": "배열이"}


def _char_name(ch: str, ko: bool = False) -> str:
    if ch == "\n":
        return "줄바꿈" if ko else "line break"
    if ch.isprintable() and not ch.isspace():
        return f'"{ch}"'
    return f"U+{ord(ch):04X}"


def parse(text: str) -> ParseResult:
    """Parse `text` tolerantly. Never raises on any input string."""
    return _Parser(text).parse()


def parse_within(text: str, start: int, end: int, enclosing: str) -> ParseResult:
    """`text[start:end]` parsed as one value where it stands in `text` (offsets and the lines
    messages name are the text's), inside the open containers `enclosing` ("{{": a member
    of an object in the root object), so that nesting limits and error recovery decide as in
    `parse(text)`. A value that ends at `end`, closed, with nothing after it, is the value
    `parse(text)` gives there, with the same errors."""
    return _Parser(text, within=(start, end, enclosing)).parse()


def parse_again(text: str, previous: ParseMemory | None) -> tuple[ParseResult, ParseMemory]:
    """`parse(text)`, reusing the parse of the document before an edit (`previous`, None at
    first): the tokens and the error-free objects outside the edited region. The result is
    the same as `parse(text)`; also returns what the next call may reuse."""
    parser = _Parser(text, previous, remember=True)
    return parser.parse(), parser.memory()


def _token_end(token: _Token) -> int:
    return token.end


def unchanged_ends(old: str, new: str) -> tuple[int, int]:
    """Lengths of the longest common prefix and, in what is left, the longest common
    suffix of two texts (by bisection: slices compare in C)."""
    limit = min(len(old), len(new))
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if old[low:middle] == new[low:middle]:
            low = middle
        else:
            high = middle - 1
    prefix = low
    low, high = 0, limit - prefix
    while low < high:
        middle = (low + high + 1) // 2
        if old[len(old) - middle:len(old) - low] == new[len(new) - middle:len(new) - low]:
            low = middle
        else:
            high = middle - 1
    return prefix, low


def shifted(node: JsonValue, shift: int) -> Any:
    """A copy of a subtree with every offset moved by `shift` (a host's unknown values, YAML
    scalars' quotes and all)."""
    kind = type(node)
    if kind is JsonString:
        assert isinstance(node, JsonString)
        return JsonString(node.start + shift, node.end + shift, node.value, node.verbatim,
                          node.terminated, node.quote_len)
    if kind is JsonObject:
        assert isinstance(node, JsonObject)
        return JsonObject(node.start + shift, node.end + shift, [JsonMember(
            shifted(m.key, shift), None if m.value is None else shifted(m.value, shift),
            None if m.colon is None else m.colon + shift) for m in node.members], node.closed)
    if kind is JsonArray:
        assert isinstance(node, JsonArray)
        return JsonArray(node.start + shift, node.end + shift,
                         [shifted(item, shift) for item in node.items], node.closed)
    if kind is JsonNumber:
        assert isinstance(node, JsonNumber)
        return JsonNumber(node.start + shift, node.end + shift, node.text, node.value)
    if kind is JsonLiteral:
        assert isinstance(node, JsonLiteral)
        return JsonLiteral(node.start + shift, node.end + shift, node.value)
    if kind is JsonUnknown:
        assert isinstance(node, JsonUnknown)
        span = node.template_span
        return JsonUnknown(node.start + shift, node.end + shift, node.text,
                           tuple(shifted(branch, shift) for branch in node.alternatives),
                           node.template, None if span is None else span.moved(shift))
    assert isinstance(node, JsonInvalid)
    return JsonInvalid(node.start + shift, node.end + shift, node.text)


def string_values(node: JsonValue | None) -> Iterator[str]:
    """Every string value in a tree (member names aside), those a value known only at deploy
    time may take included."""
    if isinstance(node, JsonString):
        yield node.value
    elif isinstance(node, JsonObject):
        for member in node.members:
            yield from string_values(member.value)
    elif isinstance(node, JsonArray):
        for item in node.items:
            yield from string_values(item)
    elif isinstance(node, JsonUnknown):
        for alternative in node.alternatives:
            yield from string_values(alternative)


def to_python(node: JsonValue | None) -> Any:
    """The plain Python value of a recovered node (invalid pieces become None; a string known
    only in part, its text with the unknown parts as `${…}`)."""
    if isinstance(node, JsonUnknown) and node.template is not None:
        return node.template
    if node is None or isinstance(node, JsonInvalid):
        return None
    if isinstance(node, JsonObject):
        result: dict[str, Any] = {}
        for member in node.members:
            result[member.key.value] = to_python(member.value)
        return result
    if isinstance(node, JsonArray):
        return [to_python(item) for item in node.items]
    if isinstance(node, JsonNumber):
        return node.value
    return node.value

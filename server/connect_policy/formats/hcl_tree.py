"""HCL (Terraform) text -> tree-sitter-hcl's tree, and its expressions -> the JSON node model.

Offsets are the host text's code points (tree-sitter counts UTF-8 bytes: `ByteOffsets`).
String content is always taken from the text between the quotes, never from the
`template_literal` nodes (they leave out leading and trailing spaces). What HCL means and JSON
has no word for is unknown (`JsonUnknown`): references (`var.x`, `aws_s3_bucket.b.arn`),
function calls, `for` expressions, operators; a conditional is unknown with both branches as
alternatives (each one checked); a quoted template with interpolations is unknown with its
text as `template`, as a CloudFormation `!Sub` is. Syntax errors are collected, never raised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import tree_sitter
import tree_sitter_hcl

from ..document.syntax import (
    MAX_DEPTH,
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
)
from ..document.text import LineIndex, Span
from .embedded_json import HostString
from .offsets import ByteOffsets

# Syntax errors reported per file: the first few say where the damage is.
MAX_ERRORS = 20

_TEMPLATES = ("quoted_template", "heredoc_template", "string_lit")
_HOLES = ("template_interpolation", "template_directive")
_HCL_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
# What a quoted string's literal text decodes: backslash escapes, `$${` and `%%{`.
_QUOTED_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{", re.DOTALL)
_HEREDOC_ESCAPE = re.compile(r"\$\$\{|%%\{")
_MISSING_NAMES = {"heredoc_identifier": "the heredoc's closing marker",
                  "quoted_template_end": 'the closing quote (")'}


@lru_cache(maxsize=1)
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))


@dataclass(slots=True)
class HclDocument:
    text: str
    data: bytes
    root: tree_sitter.Node
    at: ByteOffsets

    def span(self, node: tree_sitter.Node) -> Span:
        return Span(self.at.at(node.start_byte), self.at.at(node.end_byte))

    def source(self, node: tree_sitter.Node) -> str:
        span = self.span(node)
        return self.text[span.start:span.end]


def parse_hcl(text: str) -> HclDocument:
    data = text.encode("utf-8", "surrogatepass")
    tree = _parser().parse(data)
    return HclDocument(text, data, tree.root_node, ByteOffsets(text))


def named(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    return [child for child in node.named_children if child.type != "comment"]


def unwrap(node: tree_sitter.Node) -> tree_sitter.Node:
    """The expression inside `expression` wrappers and parentheses (a postfix chain such as
    `var.x` or `a[0]` stays an `expression`)."""
    while node.type == "expression":
        children = named(node)
        if len(children) != 1:
            return node
        node = children[0]
    if node.type in ("literal_value", "template_expr", "collection_value"):
        children = named(node)
        if len(children) == 1:
            return children[0]
    return node


def block_header(document: HclDocument,
                  block: tree_sitter.Node) -> tuple[str, list[str]]:
    """A block's type (`resource`) and labels (`["aws_iam_role", "agent"]`)."""
    kind = ""
    labels: list[str] = []
    for child in block.children:
        if child.type == "identifier" and not kind:
            kind = document.source(child)
        elif child.type in ("string_lit", "identifier"):
            source = document.source(child)
            labels.append(source[1:-1] if child.type == "string_lit" else source)
        elif child.type in ("block_start", "body"):
            break
    return kind, labels


def block_body(block: tree_sitter.Node) -> tree_sitter.Node | None:
    return next((c for c in block.children if c.type == "body"), None)


def identifier_chain(document: HclDocument, node: tree_sitter.Node) -> list[str] | None:
    """`["data", "aws_iam_policy_document", "x", "json"]` for the reference
    `data.aws_iam_policy_document.x.json`; None for any other expression."""
    node = unwrap(node)
    if node.type == "variable_expr":
        return [document.source(node)]
    if node.type != "expression":
        return None
    names: list[str] = []
    for child in named(node):
        if child.type == "variable_expr" and not names:
            names.append(document.source(child))
        elif child.type == "get_attr" and names:
            identifier = next((c for c in child.named_children if c.type == "identifier"), None)
            if identifier is None:
                return None
            names.append(document.source(identifier))
        else:
            return None
    return names or None


def host_string(document: HclDocument, node: tree_sitter.Node) -> HostString | None:
    """A quoted string's or heredoc's value, piece by piece at its host offsets, with its
    interpolations and directives as holes; None for another node."""
    node = unwrap(node)
    if node.type not in _TEMPLATES:
        return None
    text = document.text
    if node.type == "heredoc_template":
        markers = [c for c in node.children if c.type == "heredoc_identifier"]
        opening = document.span(markers[0]).end if markers else document.span(node).start
        line_end = text.find("\n", opening)
        start = line_end + 1 if line_end >= 0 else len(text)
        closing = markers[1] if len(markers) > 1 and not markers[1].is_missing else None
        end = document.span(closing).start if closing is not None else document.span(node).end
        escape = _HEREDOC_ESCAPE
    else:
        span = document.span(node)
        start = span.start + 1
        last = node.children[-1] if node.children else None
        closed = last is not None and last.type == "quoted_template_end" and not last.is_missing
        end = max(start, span.end - 1 if closed else span.end)
        escape = _QUOTED_ESCAPE
    end = max(start, end)
    string = HostString()
    at = start
    for child in node.children:
        if child.type not in _HOLES:
            continue
        hole = document.span(child)
        if hole.start < at or hole.end > end:
            continue
        _add_literal(string, text, at, hole.start, escape)
        string.add_hole(text[hole.start:hole.end], hole.start)
        at = hole.end
    _add_literal(string, text, at, end, escape)
    return string


def _add_literal(string: HostString, text: str, start: int, end: int,
                 escape: re.Pattern[str]) -> None:
    at = start
    for match in escape.finditer(text, start, end):
        string.add(text[at:match.start()], at)
        string.add(_decoded(match.group()), match.start(), match.end())
        at = match.end()
    string.add(text[at:end], at)


def _decoded(escape: str) -> str:
    if escape in ("$${", "%%{"):
        return escape[1:]
    code = escape[1:]
    if code[0] in "uU" and len(code) > 1:
        try:
            return chr(int(code[1:], 16))
        except (ValueError, OverflowError):
            return escape
    return _HCL_ESCAPES.get(code, escape)


class ValueConverter:
    """HCL expressions -> the JSON model (what `jsonencode` makes of them). `ampersand`:
    read `&{` as `${` in strings (`aws_iam_policy_document` does)."""

    def __init__(self, document: HclDocument, ampersand: bool = False) -> None:
        self.document = document
        self.ampersand = ampersand

    def unknown(self, node: tree_sitter.Node, **known: object) -> JsonUnknown:
        span = self.document.span(node)
        return JsonUnknown(span.start, span.end, self.document.source(node),
                           **known)  # type: ignore[arg-type]

    def value(self, node: tree_sitter.Node, depth: int = 0) -> JsonValue:
        node = unwrap(node)
        span = self.document.span(node)
        if depth > MAX_DEPTH:
            return JsonInvalid(span.start, span.end, "")
        kind = node.type
        if kind in _TEMPLATES:
            return self.string(node)
        if kind == "numeric_lit":
            raw = self.document.source(node)
            try:
                number: int | float | None = int(raw)
            except ValueError:
                try:
                    number = float(raw)
                except ValueError:
                    number = None
            return JsonNumber(span.start, span.end, raw, number)
        if kind == "bool_lit":
            return JsonLiteral(span.start, span.end, self.document.source(node) == "true")
        if kind == "null_lit":
            return JsonLiteral(span.start, span.end, None)
        if kind == "object":
            return self.object(node, depth)
        if kind == "tuple":
            items = [self.value(child, depth + 1) for child in named(node)
                     if child.type not in ("tuple_start", "tuple_end", "ERROR")]
            return JsonArray(span.start, span.end, items, _closed(node, "tuple_end"))
        if kind == "conditional":
            parts = [c for c in named(node) if c.type == "expression"]
            alternatives = tuple(self.value(part, depth + 1) for part in parts[1:3])
            return self.unknown(node, alternatives=alternatives)
        return self.unknown(node)

    def object(self, node: tree_sitter.Node, depth: int) -> JsonObject:
        span = self.document.span(node)
        result = JsonObject(span.start, span.end, closed=_closed(node, "object_end"))
        for element in named(node):
            if element.type != "object_elem":
                continue
            parts = [c for c in named(element) if c.type == "expression"]
            if len(parts) != 2:
                continue
            key = self.key(parts[0])
            if key is None:
                continue  # a key computed at plan time: its name is unknown
            separator = next((c for c in element.children if c.type in ("=", ":")), None)
            colon = self.document.span(separator).start if separator is not None else None
            result.members.append(JsonMember(key, self.value(parts[1], depth + 1), colon))
        return result

    def key(self, node: tree_sitter.Node) -> JsonString | None:
        inner = unwrap(node)
        span = self.document.span(inner)
        if inner.type == "variable_expr":
            return JsonString(span.start, span.end, self.document.source(inner), quote_len=0)
        value = self.string(inner) if inner.type in _TEMPLATES else None
        return value if isinstance(value, JsonString) else None

    def string(self, node: tree_sitter.Node) -> JsonValue:
        span = self.document.span(node)
        string = host_string(self.document, node)
        assert string is not None
        text = string.value
        if self.ampersand:
            text = text.replace("&{", "${")
        heredoc = node.type == "heredoc_template"
        quote = 0 if heredoc else 1
        content = Span(span.start + quote, span.end - quote) if not heredoc else span
        terminated = heredoc or _closed(node, "quoted_template_end")
        if not terminated:
            content = Span(span.start + 1, span.end)
        if string.holes:  # the value keeps each hole's text: the template
            return self.unknown(node, template=text, template_span=content)
        verbatim = not heredoc and string.maps_exactly(0, string.length) and (
            string.length == content.end - content.start)
        return JsonString(span.start, span.end, text, verbatim, terminated, quote)


def _closed(node: tree_sitter.Node, closer: str) -> bool:
    last = node.children[-1] if node.children else None
    return last is not None and last.type == closer and not last.is_missing


def syntax_errors(document: HclDocument, within: list[Span] | None = None) -> list[SyntaxProblem]:
    """The file's syntax errors (ERROR and MISSING nodes), the first `MAX_ERRORS`; with
    `within`, only those that touch one of these spans."""
    errors: list[SyntaxProblem] = []
    root = document.root
    if not root.has_error:
        return errors
    lines = LineIndex(document.text)
    stack = [root]
    while stack and len(errors) < MAX_ERRORS:
        node = stack.pop()
        if node.is_error or node.is_missing:
            span = document.span(node)
            line_end = document.text.find("\n", span.start)
            end = max(span.start, min(span.end, line_end if line_end >= 0 else len(
                document.text)))
            problem_span = Span(span.start, end)
            if within is not None and not any(
                    s.start <= problem_span.start <= s.end for s in within):
                continue
            line = lines.line_of(span.start) + 1
            if node.is_missing:
                what = "missing " + _MISSING_NAMES.get(node.type, f'"{node.type}"')
            else:
                what = "this part cannot be read (check the quotes, brackets and braces)"
            errors.append(SyntaxProblem(f"HCL syntax error on line {line}: {what}",
                                        problem_span))
            continue
        if node.has_error:
            stack.extend(reversed(node.children))
    errors.sort(key=lambda e: e.span.start)
    return errors

"""YAML text -> the JSON node model the checks read, through tree-sitter-yaml's tree.

Offsets are the host text's code points (tree-sitter counts UTF-8 bytes: converted once,
with a fast path for ASCII). Scalars are typed by tree-sitter-yaml's YAML 1.2 core schema,
which agrees with CloudFormation on what matters in a policy: a quoted scalar is a string,
`2012-10-17` is a string, `true`/`false`/`null`/numbers are not. (CloudFormation's loader
also reads YAML 1.1's `yes`/`no` as booleans; no policy element takes a boolean, so the
difference cannot change a finding.) A short tag `!Sub x` becomes the long form
`{"Fn::Sub": x}` spanning tag and value (`!Ref`/`!Condition` keep their names, and a scalar
`!GetAtt A.B` is split at its first dot), so one walker reads YAML and JSON templates. An
alias is its anchor's value, shared, not copied (or unknown when it refers to itself, or
past `MAX_ALIASED`). Every document of a multi-document stream is converted; syntax errors
are collected, never raised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import tree_sitter
import tree_sitter_yaml

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
from .offsets import ByteOffsets
from .yaml_limits import beyond_the_parser, readable, unreadable_characters

# Syntax errors reported per file: the first few say where the damage is.
MAX_ERRORS = 20
# Values that aliases may repeat in one file, counted as if written out. An alias shares its
# anchor's nodes, but whatever walks the policy walks them once per alias: ten levels of ten
# aliases of aliases ("billion laughs") are 10^10 values. Beyond this, an alias is unknown.
MAX_ALIASED = 100_000

_CONTENT_HOLDERS = ("block_node", "flow_node")
_SCALARS = ("plain_scalar", "double_quote_scalar", "single_quote_scalar", "block_scalar")
_YAML_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
                 "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
                 "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
_FOLD = re.compile(r"[ \t]*\r?\n[ \t]*")


@lru_cache(maxsize=1)
def yaml_parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_yaml.language()))


@dataclass(slots=True)
class YamlDocuments:
    text: str
    # The value of each document of the stream (None for an empty one).
    roots: list[JsonValue | None] = field(default_factory=list)
    errors: list[SyntaxProblem] = field(default_factory=list)


def parse_yaml(text: str) -> YamlDocuments:
    """Every document of `text` as JSON model values, and the syntax errors met."""
    result = YamlDocuments(text)
    unreadable = beyond_the_parser(text)
    if unreadable is not None:
        result.errors.append(unreadable)
        return result
    result.errors.extend(unreadable_characters(text))
    data = text.encode("utf-8", "surrogatepass")
    tree = yaml_parser().parse(readable(text))  # `data`, but what the parser cannot read
    converter = Converter(text, data)
    for node in tree.root_node.children:
        if node.type == "document":
            result.roots.append(converter.document(node))
        elif node.type == "ERROR":
            result.roots.append(converter.value(node, 0))
    result.errors.extend(syntax_errors(tree, converter))
    return result


def syntax_errors(tree: tree_sitter.Tree, converter: Converter) -> list[SyntaxProblem]:
    """The tree's syntax errors (the first `MAX_ERRORS`), a tab in the indentation first;
    aliases that repeat too much (`MAX_ALIASED`), once the tree is converted."""
    errors: list[SyntaxProblem] = []
    converter.collect_errors(tree.root_node, errors)
    if converter.too_many is not None:
        errors.append(_too_many_aliases(converter.text, converter.too_many))
        errors.sort(key=lambda e: e.span.start)
    if errors:
        # tree-sitter often reports a tab's damage far from it (at the start of the
        # document): name the tab itself, the usual cause.
        text = converter.text
        tab = _TAB_INDENT.search(text)
        if tab is not None:
            at = tab.end() - 1
            line = text.count("\n", 0, at) + 1
            errors.insert(0, SyntaxProblem(
                f"YAML syntax error on line {line}: a tab in the indentation; YAML indents "
                "with spaces only", Span(at, at + 1)))
    return errors


class Converter:
    """tree-sitter-yaml nodes -> JSON model values, in the text's code-point offsets."""

    def __init__(self, text: str, data: bytes) -> None:
        self.text = text
        self.data = data
        self.anchors: dict[str, JsonValue | None] = {}
        self.at = ByteOffsets(text).at
        # Values converted so far, an alias's counted as if written out; what each anchor's
        # value counts; what aliases have added; the first alias past `MAX_ALIASED`.
        self.counted = 0
        self.sizes: dict[str, int] = {}
        self.aliased = 0
        self.too_many: Span | None = None

    def end_of(self, node: tree_sitter.Node) -> int:
        """Where a collection ends: a block one at its last character (tree-sitter counts the
        line break after a block collection that ends the document), so a fix that deletes or
        replaces it leaves the line structure alone."""
        start, end = self.at(node.start_byte), self.at(node.end_byte)
        while end > start and self.text[end - 1] in " \t\r\n":
            end -= 1
        return end

    def source(self, node: tree_sitter.Node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "surrogatepass")

    def document(self, node: tree_sitter.Node) -> JsonValue | None:
        for child in node.named_children:
            if child.type in _CONTENT_HOLDERS or child.type == "ERROR":
                return self.value(child, 0)
        return None

    def value(self, node: tree_sitter.Node, depth: int) -> JsonValue | None:
        start, end = self.at(node.start_byte), self.at(node.end_byte)
        self.counted += 1
        if depth > MAX_DEPTH:
            return JsonInvalid(start, end, "")
        kind = node.type
        if kind in _CONTENT_HOLDERS:
            return self.holder(node, depth)
        if kind in ("block_mapping", "flow_mapping"):
            return self.mapping(node, depth)
        if kind in ("block_sequence", "flow_sequence"):
            return self.sequence(node, depth)
        if kind in _SCALARS:
            return self.scalar(node)
        if kind == "alias":
            return self.alias(node, start, end)
        if kind == "ERROR":
            # Tolerance: the pairs tree-sitter could still read are kept.
            if any(c.type in ("block_mapping_pair", "flow_pair") for c in node.named_children):
                mapping = self.mapping(node, depth)
                mapping.closed = False
                return mapping
            return JsonInvalid(start, end, self.source(node))
        return JsonInvalid(start, end, self.source(node))

    def alias(self, node: tree_sitter.Node, start: int, end: int) -> JsonValue:
        """The anchor's value; unknown for an anchor not (yet) defined, one that refers to
        itself, or when the aliases so far have repeated `MAX_ALIASED` values."""
        name = self.source(node)[1:]
        anchored = self.anchors.get(name)
        if anchored is not None:
            size = self.sizes.get(name, 1)
            if self.aliased + size <= MAX_ALIASED:
                self.aliased += size
                self.counted += size
                return anchored
            if self.too_many is None:
                self.too_many = Span(start, end)
        return JsonUnknown(start, end, self.source(node))

    def holder(self, node: tree_sitter.Node, depth: int) -> JsonValue | None:
        """A block_node/flow_node: optional anchor and tag, then the content."""
        counted = self.counted
        anchor: str | None = None
        tag: tree_sitter.Node | None = None
        content: tree_sitter.Node | None = None
        for child in node.named_children:
            if child.type == "anchor":
                anchor = self.source(child)[1:]
                self.anchors[anchor] = None  # a reference to itself stays unknown
            elif child.type == "tag":
                tag = child
            elif child.type != "comment" and content is None:
                content = child
        value: JsonValue | None
        if content is None:
            at = self.at(node.end_byte)
            value = JsonLiteral(at, at, None) if tag is not None else None
        else:
            value = self.value(content, depth + 1)
        if tag is not None:
            value = self.tagged(tag, content, value)
        if anchor is not None:
            self.anchors[anchor] = value
            self.sizes[anchor] = self.counted - counted
        return value

    def tagged(self, tag: tree_sitter.Node, content: tree_sitter.Node | None,
               value: JsonValue | None) -> JsonValue | None:
        name = self.source(tag)
        if name.startswith("!!") or not name.startswith("!") or len(name) < 2:
            return value  # a standard tag (`!!str`) or a local one we know nothing of
        short = name[1:]
        key = short if short in ("Ref", "Condition") else f"Fn::{short}"
        if short == "GetAtt" and isinstance(value, JsonString) and "." in value.value:
            resource, _, attribute = value.value.partition(".")
            value = JsonArray(value.start, value.end, [
                JsonString(value.start, value.end, resource, False, quote_len=0),
                JsonString(value.start, value.end, attribute, False, quote_len=0)])
        start = self.at(tag.start_byte)
        end = value.end if value is not None else self.at(tag.end_byte)
        key_node = JsonString(start, self.at(tag.end_byte), key, False, quote_len=0)
        return JsonObject(start, end, [JsonMember(key_node, value)])

    def mapping(self, node: tree_sitter.Node, depth: int) -> JsonObject:
        result = JsonObject(self.at(node.start_byte), self.end_of(node))
        for child in node.named_children:
            if child.type in ("block_mapping_pair", "flow_pair"):
                member = self.pair(child, depth)
                if member is not None:
                    result.members.append(member)
            elif child.type == "flow_node":  # `{a}`: a key whose value is null
                key = self.key(child, depth + 1)
                result.members.append(JsonMember(key, JsonLiteral(key.end, key.end, None)))
        if node.type == "flow_mapping":
            result.closed = node.children[-1].type == "}" and not node.children[-1].is_missing
        return result

    def pair(self, node: tree_sitter.Node, depth: int) -> JsonMember | None:
        """A mapping's pair (its mapping at `depth`) as a member; None without a key."""
        key_node = node.child_by_field_name("key")
        value_node = node.child_by_field_name("value")
        if key_node is None:
            return None
        key = self.key(key_node, depth + 1)
        value = self.value(value_node, depth + 1) if value_node is not None else None
        colon = next((self.at(c.start_byte) for c in node.children if c.type == ":"), None)
        if value is None and colon is not None:
            value = JsonLiteral(colon + 1, colon + 1, None)  # `Key:` is null
        written_end = None
        if value is not None and value_node is not None and value.start < key.end:
            written_end = self.end_of(value_node)  # an alias to an earlier anchor
        return JsonMember(key, value, colon, written_end)

    def key(self, node: tree_sitter.Node, depth: int = 0) -> JsonString:
        # Shallow (a key is a scalar), but deep enough to read its scalar: a quoted key's
        # name is its content (`"Effect":` is `Effect`). Never shallower than its place: a
        # key that is a mapping whose key is a mapping… (`{{{{`) ends at the depth limit.
        value = self.value(node, max(depth, MAX_DEPTH - 1))
        if isinstance(value, JsonString):
            return value
        start, end = self.at(node.start_byte), self.at(node.end_byte)
        return JsonString(start, end, self.source(node), quote_len=0)

    def sequence(self, node: tree_sitter.Node, depth: int) -> JsonArray:
        result = JsonArray(self.at(node.start_byte), self.end_of(node))
        for child in node.named_children:
            if child.type == "block_sequence_item":
                item = next((c for c in child.named_children if c.type != "comment"), None)
                if item is None:
                    at = self.at(child.end_byte)
                    result.items.append(JsonLiteral(at, at, None))
                else:
                    converted = self.value(item, depth + 1)
                    if converted is not None:
                        result.items.append(converted)
            elif child.type == "flow_pair":  # `[a: b]`: a one-pair mapping
                wrapper = JsonObject(self.at(child.start_byte), self.at(child.end_byte))
                key_node = child.child_by_field_name("key")
                value_node = child.child_by_field_name("value")
                if key_node is not None:
                    wrapper.members.append(JsonMember(self.key(key_node, depth + 1), self.value(
                        value_node, depth + 1) if value_node is not None else None))
                result.items.append(wrapper)
            elif child.type != "comment":
                converted = self.value(child, depth + 1)
                if converted is not None:
                    result.items.append(converted)
        if node.type == "flow_sequence":
            result.closed = node.children[-1].type == "]" and not node.children[-1].is_missing
        return result

    def scalar(self, node: tree_sitter.Node) -> JsonValue:
        start, end = self.at(node.start_byte), self.at(node.end_byte)
        raw = self.text[start:end]
        kind = node.type
        if kind == "plain_scalar":
            typed = node.named_children[0].type if node.named_children else "string_scalar"
            if typed == "boolean_scalar":
                return JsonLiteral(start, end, raw.lower() == "true")
            if typed == "null_scalar":
                return JsonLiteral(start, end, None)
            if typed in ("integer_scalar", "float_scalar"):
                number = _number(raw)
                if number is not None:
                    return JsonNumber(start, end, raw, number)
            value = _FOLD.sub(" ", raw)
            return JsonString(start, end, value, value == raw, quote_len=0)
        if kind == "single_quote_scalar":
            body = raw[1:-1] if len(raw) >= 2 and raw.endswith("'") else raw[1:]
            value = _FOLD.sub(" ", body).replace("''", "'")
            return JsonString(start, end, value, value == body, raw.endswith("'") and len(
                raw) >= 2)
        if kind == "double_quote_scalar":
            body = raw[1:-1] if len(raw) >= 2 and raw.endswith('"') else raw[1:]
            value = _decode_double(body)
            return JsonString(start, end, value, value == body, raw.endswith('"') and len(
                raw) >= 2)
        return JsonString(start, end, _block_scalar(raw), False, quote_len=0)

    def collect_errors(self, root: tree_sitter.Node, errors: list[SyntaxProblem]) -> None:
        if not root.has_error:
            return
        lines = LineIndex(self.text)
        stack = [root]
        while stack and len(errors) < MAX_ERRORS:
            node = stack.pop()
            if node.is_error or node.is_missing:
                start = self.at(node.start_byte)
                line_end = self.text.find("\n", start)
                end = max(start, min(self.at(node.end_byte), line_end if line_end >= 0 else len(
                    self.text)))
                what = (f'missing "{node.type}"' if node.is_missing else
                        "this part cannot be read (check the indentation, quotes and brackets)")
                line = lines.line_of(start) + 1
                errors.append(SyntaxProblem(f"YAML syntax error on line {line}: {what}",
                                            Span(start, end)))
                continue
            if node.has_error:
                stack.extend(reversed(node.children))
        errors.sort(key=lambda e: e.span.start)


def _too_many_aliases(text: str, alias: Span) -> SyntaxProblem:
    line = text.count("\n", 0, alias.start) + 1
    return SyntaxProblem(
        f"YAML aliases repeat too much to read: with the alias on line {line}, aliases "
        f"(of aliases) would repeat more than {MAX_ALIASED:,} values; it and the aliases "
        "after it are not read", alias,
        message_ko=f"YAML 별칭이 너무 많이 반복되어 읽지 않았습니다. {line}번째 줄의 별칭부터 "
                   f"별칭(의 별칭)이 {MAX_ALIASED:,}개가 넘는 값을 반복하므로, 이 별칭과 그 "
                   "뒤의 별칭은 읽지 않습니다.")


def _number(raw: str) -> int | float | None:
    text = raw.replace("_", "")
    try:
        if re.fullmatch(r"[-+]?\d+", text):
            return int(text)
        if re.fullmatch(r"0[xX][0-9a-fA-F]+", text):
            return int(text, 16)
        if re.fullmatch(r"0[oO][0-7]+", text):
            return int(text[2:], 8)
        value = float(text)
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def _decode_double(body: str) -> str:
    if "\\" not in body and "\n" not in body:
        return body
    # A line break in a double-quoted scalar folds to a space unless escaped.
    body = re.sub(r"\\\r?\n[ \t]*", "", body)
    body = _FOLD.sub(" ", body)

    def unescape(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "xuU" and len(code) > 1:
            try:
                return chr(int(code[1:], 16))
            except ValueError:
                return match.group(0)
        return _YAML_ESCAPES.get(code, match.group(0))

    return _ESCAPE.sub(unescape, body)


def _block_scalar(raw: str) -> str:
    """A `|` or `>` scalar's value: the lines after the header, de-indented; `>` folds
    lines into spaces; `-` strips the final line break, `+` keeps them all."""
    header, _, body = raw.partition("\n")
    lines = body.split("\n")
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    indent = min(indents) if indents else 0
    lines = [line[indent:] for line in lines]
    while lines and not lines[-1].strip():
        lines.pop()
    joined = (" " if header.lstrip().startswith(">") else "\n").join(lines)
    if "-" in header:
        return joined
    return joined + "\n" if joined else ""

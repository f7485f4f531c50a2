"""Where the cursor is in a `principals` or `not_principals` block of a Terraform
`data "aws_iam_policy_document"`: in the string of its `type`, or in one of its
`identifiers`, and the block's type.

The policy model has no place for these until the block is whole (a block without its
`type` or its `identifiers` is unknown to `iam_policy_document`), so they are read from the
HCL tree: the block's attributes as written. Only the top-level block around the cursor
is parsed (from its `data` line to the next line that starts another top-level item). A
string left open at the cursor (no auto-closing quote) is closed first, as `hcl_location`
does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter

from ..document.text import Span
from .hcl_location import open_string_closers
from .hcl_tree import HclDocument, block_body, block_header, named, parse_hcl, unwrap
from .terraform import POLICY_DOCUMENT

_ELEMENTS = {"principals": "Principal", "not_principals": "NotPrincipal"}
# A policy document's first line, and a line that starts a top-level item (not its `}`).
_DOCUMENT = re.compile(rf'^data[ \t]+"{POLICY_DOCUMENT}"', re.MULTILINE)
_TOP_LEVEL = re.compile(r"^[A-Za-z]", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class PrincipalsPlace:
    element: str  # "Principal" or "NotPrincipal"
    attribute: str  # "type" or "identifiers"
    # The block's `type` when it is a plain string ("" when it is another expression,
    # None when the block has none).
    kind: str | None
    # The string's content at the cursor, and the quote a completed item must add (the
    # string was left open).
    content: Span
    closing: str = ""


def principals_place(text: str, offset: int) -> PrincipalsPlace | None:
    """The place at `offset`, or None when the cursor is in no string of a principals
    block's `type` or `identifiers`."""
    starts = [m.start() for m in _DOCUMENT.finditer(text, 0, offset)]
    if not starts or "principals" not in text[starts[-1]:offset]:
        return None
    start = starts[-1]
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end < 0 else line_end
    after = _TOP_LEVEL.search(text, min(len(text), line_end + 1))
    block = text[start:after.start() if after else len(text)]
    found = _place(parse_hcl(block), offset - start)
    if found is None:
        line_start = text.rfind("\n", 0, offset) + 1
        closers = open_string_closers(text[line_start:offset])
        if closers is None or '"' in text[offset:line_end]:
            return None
        end = offset
        while end < line_end and text[end] not in ' \t,]})"=':
            end += 1
        patched = text[start:end] + '"' + closers + block[line_end - start:]
        found = _place(parse_hcl(patched), offset - start)
        if found is None:
            return None
        found = PrincipalsPlace(found.element, found.attribute, found.kind,
                                Span(found.content.start, end - start), '"')
    return PrincipalsPlace(found.element, found.attribute, found.kind,
                           found.content.moved(start), found.closing)


def _place(document: HclDocument, offset: int) -> PrincipalsPlace | None:
    byte = len(document.text[:offset].encode("utf-8", "surrogatepass"))
    node: tree_sitter.Node | None = document.root.descendant_for_byte_range(byte, byte)
    string = _up_to(node, "string_lit", 3)
    if string is None:
        return None
    span = document.span(string)
    last = string.children[-1] if string.children else None
    closed = last is not None and last.type == "quoted_template_end" and not last.is_missing
    content = Span(span.start + 1, span.end - 1 if closed else span.end)
    if not content.start <= offset <= content.end:
        return None
    attribute = _up_to(string.parent, "attribute", 6)
    if attribute is None:
        return None
    parts = named(attribute)
    name = document.source(parts[0]) if parts and parts[0].type == "identifier" else ""
    if name not in ("type", "identifiers") or not _in_value(document, parts, string, name):
        return None
    block = _block_of(attribute)
    if block is None:
        return None
    kind_name, _ = block_header(document, block)
    statement = _block_of(block)
    data = _block_of(statement) if statement is not None else None
    if kind_name not in _ELEMENTS or statement is None or data is None or \
            block_header(document, statement)[0] != "statement":
        return None
    data_kind, labels = block_header(document, data)
    if data_kind != "data" or labels[:1] != [POLICY_DOCUMENT]:
        return None
    return PrincipalsPlace(_ELEMENTS[kind_name], name, _block_type(document, block), content)


def _up_to(node: tree_sitter.Node | None, kind: str, steps: int) -> tree_sitter.Node | None:
    while node is not None and steps >= 0:
        if node.type == kind:
            return node
        node = node.parent
        steps -= 1
    return None


def _in_value(document: HclDocument, parts: list[tree_sitter.Node],
              string: tree_sitter.Node, name: str) -> bool:
    """The string is the attribute's value (`type`), or an item of its list
    (`identifiers`)."""
    if len(parts) != 2:
        return False
    value = unwrap(parts[1])
    if name == "type":
        return value.id == string.id
    return value.type == "tuple" and any(unwrap(item).id == string.id
                                         for item in named(value))


def _block_of(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The block whose body holds `node`."""
    body = node.parent
    if body is None or body.type != "body" or body.parent is None or \
            body.parent.type != "block":
        return None
    return body.parent


def _block_type(document: HclDocument, block: tree_sitter.Node) -> str | None:
    body = block_body(block)
    for child in named(body) if body is not None else []:
        parts = named(child)
        if child.type == "attribute" and len(parts) == 2 and \
                document.source(parts[0]) == "type":
            value = unwrap(parts[1])
            written = document.source(value)
            if value.type == "string_lit" and len(written) >= 2 and "${" not in written:
                return written[1:-1]
            return ""
    return None

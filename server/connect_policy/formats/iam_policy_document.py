"""A `data "aws_iam_policy_document"` block -> the policy the AWS provider renders from it,
as the JSON model, with every key on the user's text for it.

`statement` blocks become statements whose keys (`Action` for `actions`, `NotResource` for
`not_resources`…) sit on the attribute names (so findings point at what the user wrote);
`principals`/`not_principals` blocks become `Principal`/`NotPrincipal` (blocks of the same
type merge; type `"*"` with identifiers `["*"]` is `"Principal": "*"`); `condition` blocks
become `Condition` (blocks with the same test merge into one operator, and the same variable
merges its values, as the provider does since its PR #33093); strings read `&{` as `${`; an
absent `effect` or `version` is the provider's default; a `dynamic` block is unknown.
"""

from __future__ import annotations

import tree_sitter

from ..document.syntax import (
    JsonArray,
    JsonMember,
    JsonObject,
    JsonString,
    JsonUnknown,
    JsonValue,
)
from ..document.text import Span
from .hcl_tree import HclDocument, ValueConverter, block_body, block_header, named

_STATEMENT_KEYS = {"sid": "Sid", "effect": "Effect", "actions": "Action",
                   "not_actions": "NotAction", "resources": "Resource",
                   "not_resources": "NotResource"}
# Documents merged into this one: its statements then come (also) from elsewhere.
_MERGED_SOURCES = ("source_policy_documents", "override_policy_documents", "source_json",
                   "override_json")


class PolicyDocument:
    """An aws_iam_policy_document block -> the policy the provider renders, as the model."""

    def __init__(self, document: HclDocument) -> None:
        self.document = document
        self.values = ValueConverter(document, ampersand=True)

    def key(self, node: tree_sitter.Node, name: str) -> JsonString:
        """A synthesised key (`Action`) on the user's name for it (`actions`)."""
        span = self.document.span(node)
        return JsonString(span.start, span.end, name, verbatim=False, quote_len=0)

    def default(self, at: tree_sitter.Node, name: str, value: str) -> JsonMember:
        """An element the provider writes when the block leaves it out."""
        span = self.document.span(at)
        key = JsonString(span.start, span.end, name, verbatim=False, quote_len=0)
        return JsonMember(key, JsonString(span.start, span.end, value, verbatim=False,
                                          quote_len=0))

    def attributes(self, body: tree_sitter.Node) -> dict[str, tuple[tree_sitter.Node,
                                                                     tree_sitter.Node]]:
        result = {}
        for child in named(body):
            if child.type == "attribute":
                parts = named(child)
                if len(parts) == 2 and parts[0].type == "identifier":
                    result[self.document.source(parts[0])] = (parts[0], parts[1])
        return result

    def blocks(self, body: tree_sitter.Node) -> list[tuple[str, bool, tree_sitter.Node]]:
        """Nested blocks: (name, dynamic, block); `dynamic "statement"` is ("statement",
        True, …)."""
        result = []
        for child in named(body):
            if child.type != "block":
                continue
            kind, labels = block_header(self.document, child)
            if kind == "dynamic" and labels:
                result.append((labels[0], True, child))
            else:
                result.append((kind, False, child))
        return result

    def policy(self, block: tree_sitter.Node) -> JsonObject:
        span = self.document.span(block)
        root = JsonObject(span.start, span.end)
        body = block_body(block)
        header = block.children[0]
        if body is None:
            return root
        attributes = self.attributes(body)
        if "version" in attributes:
            name, value = attributes["version"]
            root.members.append(JsonMember(self.key(name, "Version"), self.values.value(value)))
        else:
            root.members.append(self.default(header, "Version", "2012-10-17"))
        if "policy_id" in attributes:
            name, value = attributes["policy_id"]
            root.members.append(JsonMember(self.key(name, "Id"), self.values.value(value)))
        statements: list[JsonValue] = []
        first: tree_sitter.Node | None = None
        for kind, dynamic, nested in self.blocks(body):
            if kind != "statement":
                continue
            first = first or nested
            nested_span = self.document.span(nested)
            statements.append(JsonUnknown(nested_span.start, nested_span.end,
                                          self.document.source(nested)) if dynamic
                              else self.statement(nested))
        merged = next((attributes[name] for name in _MERGED_SOURCES if name in attributes), None)
        if first is not None:
            array = JsonArray(statements[0].start, statements[-1].end, statements)
            root.members.append(JsonMember(self.key(first.children[0], "Statement"), array))
        elif merged is not None:  # the statements come from other documents
            name, value = merged
            unknown = self.values.unknown(value)
            root.members.append(JsonMember(self.key(name, "Statement"), unknown))
        return root

    def statement(self, block: tree_sitter.Node) -> JsonObject:
        span = self.document.span(block)
        result = JsonObject(span.start, span.end)
        body = block_body(block)
        if body is None:
            return result
        attributes = self.attributes(body)
        for attribute, element in _STATEMENT_KEYS.items():
            if attribute in attributes:
                name, value = attributes[attribute]
                result.members.append(JsonMember(self.key(name, element),
                                                 self.values.value(value)))
        if "effect" not in attributes:
            result.members.append(self.default(block.children[0], "Effect", "Allow"))
        nested = self.blocks(body)
        for kind, element in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            blocks = [(dynamic, b) for k, dynamic, b in nested if k == kind]
            if blocks:
                result.members.append(JsonMember(self.key(blocks[0][1].children[0], element),
                                                 self.principals(blocks)))
        conditions = [(dynamic, b) for k, dynamic, b in nested if k == "condition"]
        if conditions:
            result.members.append(JsonMember(self.key(conditions[0][1].children[0],
                                                      "Condition"), self.conditions(conditions)))
        return result

    def _span_of(self, blocks: list[tuple[bool, tree_sitter.Node]]) -> Span:
        return Span(self.document.span(blocks[0][1]).start,
                    self.document.span(blocks[-1][1]).end)

    def principals(self, blocks: list[tuple[bool, tree_sitter.Node]]) -> JsonValue:
        span = self._span_of(blocks)
        result = JsonObject(span.start, span.end)
        unknown = False
        for dynamic, block in blocks:
            body = block_body(block)
            attributes = self.attributes(body) if body is not None and not dynamic else {}
            if "type" not in attributes or "identifiers" not in attributes:
                unknown = True
                continue
            kind = self.values.value(attributes["type"][1])
            identifiers = self.values.value(attributes["identifiers"][1])
            if not isinstance(kind, JsonString):
                unknown = True
                continue
            if kind.value == "*" and len(blocks) == 1:
                # type "*" with identifiers ["*"] renders "Principal": "*".
                if isinstance(identifiers, JsonArray) and len(identifiers.items) == 1:
                    return identifiers.items[0]
                return identifiers
            _merge(result, kind, identifiers)
        if not result.members:
            return self.values.unknown(blocks[0][1]) if unknown else result
        return result

    def conditions(self, blocks: list[tuple[bool, tree_sitter.Node]]) -> JsonValue:
        span = self._span_of(blocks)
        result = JsonObject(span.start, span.end)
        unknown = False
        for dynamic, block in blocks:
            body = block_body(block)
            attributes = self.attributes(body) if body is not None and not dynamic else {}
            if not {"test", "variable", "values"} <= attributes.keys():
                unknown = True
                continue
            test = self.values.value(attributes["test"][1])
            variable = self.values.value(attributes["variable"][1])
            values = self.values.value(attributes["values"][1])
            if not isinstance(test, JsonString) or not isinstance(variable, JsonString):
                unknown = True
                continue
            member = result.get(test.value)
            if member is None or not isinstance(member.value, JsonObject):
                block_span = self.document.span(block)
                operator = JsonObject(block_span.start, block_span.end)
                result.members.append(JsonMember(test, operator))
            else:
                operator = member.value
                operator.end = max(operator.end, self.document.span(block).end)
            _merge(operator, variable, values)
        if not result.members:
            return self.values.unknown(blocks[0][1]) if unknown else result
        return result


def _merge(target: JsonObject, key: JsonString, values: JsonValue) -> None:
    """Add `key: values` to `target`; values of a key already there are appended to its
    (the provider merges blocks with the same type, or the same test and variable)."""
    member = target.get(key.value)
    if member is None:
        target.members.append(JsonMember(key, values))
        return
    before = member.value
    items = (before.items if isinstance(before, JsonArray) else [before] if before else [])
    added = values.items if isinstance(values, JsonArray) else [values]
    start = before.start if before is not None else values.start
    member.value = JsonArray(start, max(start, values.end), [*items, *added])

"""Where the cursor is in a host file (a template, a YAML policy, Terraform): the policy it
is in and the same `CursorLocation` a JSON policy gives (the path from that policy's root,
key or value, the string's typed prefix and content span, in host offsets), so completion
and hover run on it unchanged.

Read from the node tree (`EmbeddedPolicy.root`, spans in host offsets) for every host
syntax; a JSON template's policy is read as JSON text (`document.location`), which also
answers in the states typing leaves JSON in. Where a YAML tree has nothing at the cursor
(the text there cannot be parsed yet), `yaml_location` re-parses the line completed; in
Terraform, `hcl_location` does so for a string left open at the cursor.

A value typed in a CloudFormation `Fn::Sub` string (`!Sub "arn:${AWS::Partition}:…"`, the
long form, the list form's template, a JSON policy written in one) is marked `sub`: there
`${Name}` is the template's reference, which completion writes accordingly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..document.location import CursorLocation
from ..document.location import locate as locate_in_json
from ..document.syntax import (
    JsonArray,
    JsonLiteral,
    JsonMember,
    JsonNode,
    JsonNumber,
    JsonObject,
    JsonString,
    JsonUnknown,
    JsonValue,
)
from ..document.text import Span
from .embedded import EmbeddedPolicy
from .host import HostKind

# Where the policy grammar has an object: a plain scalar there is a member name being typed
# (YAML reads `Principal:⏎  AW` and `- Eff` as strings until the `:` comes).
_OBJECT_ELEMENTS = ("Condition", "Principal", "NotPrincipal")


@dataclass(frozen=True, slots=True)
class HostLocation:
    # The policy the cursor is in (from the tree the location was read on).
    policy: EmbeddedPolicy
    location: CursorLocation
    # The string's opening quote: "" for a plain scalar, an unquoted key or nothing typed.
    quote: str = ""
    # Inside a flow collection (`[…]`, `{…}`), where a plain scalar may not hold `,[]{}`.
    flow: bool = False
    # A key that already has its `:` (and value): complete the name alone.
    name_only: bool = False
    # For a key: the other member names of its object; and those of its value, when that
    # is an object (an operator's condition keys).
    siblings: tuple[str, ...] = ()
    value_keys: tuple[str, ...] = ()
    # The indentation of the key's column, for the lines of a multi-line insertion.
    indent: str = ""
    # What a completed value must add after itself: the quote of a string left open.
    closing: str = ""
    # In a CloudFormation `Fn::Sub` string: `${…}` is a reference to the template's names.
    sub: bool = False


def locate(policies: Sequence[EmbeddedPolicy], text: str, offset: int,
           kind: HostKind | None) -> HostLocation | None:
    """The location at `offset` in a host file whose policies are `policies` (in file
    order, trees in `text`'s offsets); None outside every policy or where nothing can be
    read. `kind` picks how the host's own syntax is read where the tree has no answer (in a
    policy written as a JSON string, the tree alone answers)."""
    offset = max(0, min(offset, len(text)))
    embedded = policy_at(policies, offset)
    if embedded is not None and embedded.json_text is not None:
        # JSON text in a template's string: its tree is all there is to read.
        found = locate_in_tree(embedded, text, offset)
        return replace(found, sub=True) if found is not None and embedded.json_text.sub \
            else found
    if kind is HostKind.JSON:
        return _json_location(embedded, text, offset) if embedded is not None else None
    found = locate_in_tree(embedded, text, offset) if embedded is not None else None
    if found is None and kind is HostKind.YAML:
        from .yaml_location import locate_completed  # the YAML front-end's fallback

        found = locate_completed(text, offset)
    elif found is None and kind is HostKind.TERRAFORM:
        from .hcl_location import locate_completed as locate_in_open_string

        found = locate_in_open_string(text, offset)
    return found


def policy_at(policies: Sequence[EmbeddedPolicy], offset: int) -> EmbeddedPolicy | None:
    """The policy whose tree spans `offset`, ends included (the innermost when they nest)."""
    found = None
    for embedded in policies:
        if embedded.root.start <= offset <= embedded.root.end and (
                found is None or embedded.root.start >= found.root.start):
            found = embedded
    return found


def locate_in_tree(embedded: EmbeddedPolicy, text: str, offset: int) -> HostLocation | None:
    """The location from the policy's node tree alone: in a string (key or value), or at a
    value not typed yet (`Action: ` with nothing after it, an empty `- ` item). None when
    the cursor is in no node the tree has (a gap, or text the parser could not read)."""
    return _Walker(embedded, text, offset).walk(embedded.root, (), None)


class _Walker:
    def __init__(self, embedded: EmbeddedPolicy, text: str, offset: int) -> None:
        self.embedded = embedded
        self.text = text
        self.offset = offset

    def walk(self, node: JsonValue | None, path: tuple[str | int, ...],
             parent: JsonObject | JsonArray | None) -> HostLocation | None:
        offset = self.offset
        if node is None or not node.start <= offset <= node.end:
            return None
        if isinstance(node, JsonObject):
            return self.in_object(node, path)
        if isinstance(node, JsonArray):
            for i, item in enumerate(node.items):
                found = self.walk(item, (*path, i), node)
                if found is not None:
                    return found
            return None
        if isinstance(node, JsonUnknown):
            # A deploy-time value: the branches of `Fn::If` are real text at their own spans.
            for alternative in node.alternatives:
                found = self.walk(alternative, path, parent)
                if found is not None:
                    return found
            return self.in_template(node, path, parent)
        if isinstance(node, JsonString):
            return self.in_string(node, path, parent)
        if _is_empty(node):
            # Nothing typed yet in a list item (`- ` with nothing after it); a member's
            # empty value is its object's to judge (`in_object`).
            if isinstance(parent, JsonArray) and self._blank_before(node.start):
                return self.empty_value(path, parent)
            return None
        if isinstance(node, (JsonNumber, JsonLiteral)) and self.text[node.start:node.start + 1] \
                not in ('"', "'"):
            # An unquoted value that reads as a number or boolean (`Version: 2012`).
            content = Span(node.start, node.end)
            return self.value_location(path, parent, "", content)
        return None

    def in_object(self, node: JsonObject, path: tuple[str | int, ...]) -> HostLocation | None:
        offset = self.offset
        for member in node.members:
            key = member.key
            if _content_contains(key, offset):
                return self.key_location(node, member, path)
            found = self.walk(member.value, (*path, key.value), node)
            if found is not None:
                return found
            value = member.value
            if member.colon is not None and member.colon < offset and (
                    value is None or _is_empty(value)) and self._after_colon(member.colon):
                return self.empty_value((*path, key.value), node)
        return None

    def key_location(self, node: JsonObject, member: JsonMember, path: tuple[str | int, ...]
                     ) -> HostLocation:
        key = member.key
        content = key.content_span()
        value = member.value
        location = CursorLocation(path, True, True, self.text[content.start:self.offset],
                                  content)
        return HostLocation(
            self.embedded, location, self._quote(key), self._is_flow(node),
            name_only=member.colon is not None,
            siblings=tuple(m.key.value for m in node.members if m is not member),
            value_keys=tuple(m.key.value for m in value.members)
            if isinstance(value, JsonObject) else (),
            indent=self._column(key.start))

    def in_string(self, node: JsonString, path: tuple[str | int, ...],
                  parent: JsonObject | JsonArray | None) -> HostLocation | None:
        if not _content_contains(node, self.offset):
            return None
        content = node.content_span()
        if node.quote_len == 0 and _expects_object(path) and self._starts_own_line(node):
            # `Principal:⏎  AW`, `- Eff`: a member name being typed, not a value.
            location = CursorLocation(path, True, True,
                                      self.text[content.start:self.offset], content)
            return HostLocation(self.embedded, location, "", False,
                                indent=self._column(node.start))
        found = self.value_location(path, parent, self._quote(node), content)
        return replace(found, sub=True) if _in_sub(self.text, node.start) else found

    def in_template(self, node: JsonUnknown, path: tuple[str | int, ...],
                    parent: JsonObject | JsonArray | None) -> HostLocation | None:
        """In a string with references (`!Sub "arn:${AWS::Partition}:…"`, a Terraform
        string with an interpolation), written as its text reads (no escapes in it)."""
        span = node.template_span
        if span is None or not span.start <= self.offset <= span.end or \
                self.text[span.start:span.end] != node.template:
            return None
        quote = self.text[span.start - 1:span.start] if span.start else ""
        quote = quote if quote in ('"', "'") else ""
        found = self.value_location(path, parent, quote, span)
        return replace(found, sub=True) if _in_sub(self.text, span.start - len(quote)) \
            else found

    def value_location(self, path: tuple[str | int, ...],
                       parent: JsonObject | JsonArray | None, quote: str, content: Span
                       ) -> HostLocation:
        location = CursorLocation(path, True, False, self.text[content.start:self.offset],
                                  content)
        return HostLocation(self.embedded, location, quote, self._is_flow(parent),
                            indent=self._column(content.start))

    def empty_value(self, path: tuple[str | int, ...], parent: JsonObject | JsonArray | None
                    ) -> HostLocation:
        """An empty plain scalar at the cursor: what is typed there becomes the value (in
        an empty `- ` item where an object goes, its first member's name)."""
        empty = Span(self.offset, self.offset)
        if isinstance(parent, JsonArray) and _expects_object(path):
            return HostLocation(self.embedded, CursorLocation(path, True, True, "", empty),
                                indent=self._column(self.offset))
        return self.value_location(path, parent, "", empty)

    def _after_colon(self, colon: int) -> bool:
        """At least one blank after `Key:` and nothing else, on the colon's line."""
        between = self.text[colon + 1:self.offset]
        return bool(between) and between.strip(" \t") == ""

    def _blank_before(self, at: int) -> bool:
        between = self.text[at:self.offset]
        return between.strip(" \t") == "" and at <= self.offset

    def _quote(self, node: JsonString) -> str:
        return self.text[node.start] if node.quote_len and node.start < len(self.text) else ""

    def _is_flow(self, container: JsonNode | None) -> bool:
        return container is not None and self.text[container.start:container.start + 1] in (
            "[", "{")

    def _starts_own_line(self, node: JsonString) -> bool:
        """Nothing but blanks and `- ` between the line's start and the node."""
        line_start = self.text.rfind("\n", 0, node.start) + 1
        return self.text[line_start:node.start].replace("-", " ").strip() == ""

    def _column(self, at: int) -> str:
        line_start = self.text.rfind("\n", 0, at) + 1
        return " " * (at - line_start)


# What precedes a `Fn::Sub` template string: the tag or the long form's key (YAML, or a
# JSON-like flow mapping), and for the list form the opening `[` or `- ` of its first item.
_SUB_BEFORE = re.compile(r"""(?:!Sub|["']?Fn::Sub["']?[ \t]*:)\s*(?:\[\s*|-[ \t]+)?$""")


def _in_sub(text: str, start: int) -> bool:
    """Whether the scalar starting at `start` is the template of a `Fn::Sub`."""
    return _SUB_BEFORE.search(text, max(0, start - 80), start) is not None


def _content_contains(node: JsonString, offset: int) -> bool:
    content = node.content_span()
    return content.start <= offset <= content.end


def _is_empty(value: JsonValue) -> bool:
    """A value the YAML front-end stands in for nothing (`Key:`, `- `)."""
    return isinstance(value, JsonLiteral) and value.value is None and value.start == value.end


def _expects_object(path: tuple[str | int, ...]) -> bool:
    """Whether the policy grammar has an object at `path` (the root, a statement, a
    `Condition` and its operator blocks, a `Principal`)."""
    if not path or path == ("Statement",):
        return True
    if len(path) == 2 and path[0] == "Statement" and isinstance(path[1], int):
        return True
    last = path[-1]
    return last in _OBJECT_ELEMENTS or (len(path) >= 2 and path[-2] == "Condition")


def _json_location(embedded: EmbeddedPolicy, text: str, offset: int) -> HostLocation | None:
    """A JSON template's policy read as JSON text from its opening brace, as a JSON policy
    file is: the path comes out relative to the policy."""
    root = embedded.root
    if not isinstance(root, JsonObject):
        return None
    start = root.start
    found = locate_in_json(text[start:], offset - start)
    path, sub = _outside_sub(found.path)
    if path is None:
        return None
    location = replace(found, path=path, content=Span(found.content.start + start,
                                                       found.content.end + start))
    return HostLocation(embedded, location, '"' if found.in_string else "", sub=sub)


def _outside_sub(path: tuple[str | int, ...]) -> tuple[tuple[str | int, ...] | None, bool]:
    """The path of the value a `{"Fn::Sub": …}` stands for when the cursor is in its
    template string (and whether it is), the path itself elsewhere; None in its variables."""
    if "Fn::Sub" not in path:
        return path, False
    at = len(path) - 1 - path[::-1].index("Fn::Sub")
    rest = path[at + 1:]
    return (path[:at], True) if rest in ((), (0,)) else (None, False)

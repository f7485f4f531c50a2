"""A finding's fixes (JSON text edits, as the checks write them) rewritten in YAML syntax.

The checks describe a fix by JSON text edits over the host offsets. Each edit is read back as
what it does to the policy's nodes, then written again for the YAML node it touches:
- part of a scalar's content replaced (a did-you-mean, `IfExists` removed from an operator):
  kept as is when the text means the same in the scalar's style, else the whole scalar is
  written again with the new value: plain when it stays a plain string, single-quoted as it
  was, else double-quoted with JSON's escapes (which are YAML's too);
- a whole value or key replaced by a JSON value (`"2012-10-17"`, `"Allow"`, `"false"`):
  written as a YAML scalar the same way;
- a whole scalar value replaced by a JSON list of strings (an action made a list of actions):
  written as that JSON text, a YAML flow sequence, which stands wherever the scalar did;
- entries removed (`REDUNDANT_ACTION`, an operator block): in a flow collection the JSON edit
  is already right (the entry and one comma); in a block collection the entries' whole
  lines go (`yaml_edits`);
- members or items inserted (`MISSING_VERSION`, the keys moved into an existing `Null`
  block): JSON text is valid in a flow collection; a block collection gets new lines at its
  entries' indentation (`yaml_edits`).
Anything else is dropped, and the finding stays: wrapping a lone statement, copying a
statement (the tag fix's "move to a statement of its own") into a block list, a new operator
block made of keys moved out of another one, edits in a scalar whose text has escapes or
folded lines, in a block scalar (`|`, `>`), or of a `!Sub` with variables, and edits
around an alias (its node is the anchor's, written elsewhere). Fixes that change
the structure are offered only while the file has no YAML syntax error. Each rendering keeps
the YAML valid by construction (whole lines at the siblings' indentation, JSON text in flow
collections): the tests re-parse every fix; re-parsing here would cost a parse per fix.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise

from ..document.syntax import (
    JsonArray,
    JsonLiteral,
    JsonNumber,
    JsonObject,
    JsonString,
    JsonUnknown,
    JsonValue,
)
from ..document.text import Span
from ..findings import Finding, Fix, TextEdit
from . import yaml_edits
from .intrinsics import function_name
from .yaml_edits import Container, is_not_a_string, render_scalar

_Scalar = JsonString | JsonNumber | JsonLiteral
_LEADING_COMMA = re.compile(r"[ \t\r\n]*,[ \t\r\n]*")
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9_.:/*?@+=$-]*")


class YamlNodes:
    """The policy's scalars (values and keys) and collections, by offset: to read a JSON
    edit back as the node change it makes."""

    def __init__(self, root: JsonValue, text: str, clean: bool = True) -> None:
        self.text = text
        # Whether the host text has no syntax error: where it has, the tree around an entry
        # may be a guess, and only fixes inside one scalar are offered.
        self.clean = clean
        scalars: list[_Scalar] = []
        self.containers: list[Container] = []
        self._walk(root, scalars)
        scalars.sort(key=lambda s: s.start)
        self._starts = [s.start for s in scalars]
        self._scalars = scalars
        self._by_span: dict[tuple[int, int], _Scalar] = {}
        for scalar in scalars:
            self._by_span.setdefault((scalar.start, scalar.end), scalar)
        # Smallest first: an insert at an offset two collections share goes to the inner one.
        self.containers.sort(key=lambda c: c.node.end - c.node.start)

    def _walk(self, node: JsonValue | None, scalars: list[_Scalar]) -> None:
        if isinstance(node, JsonString | JsonNumber | JsonLiteral):
            scalars.append(node)
        elif isinstance(node, JsonObject):
            if function_name(node) is not None:  # its arguments may hold entries, not itself
                self._walk(node.members[0].value, scalars)
                return
            container = Container.of(node, self.text)
            if container is not None:
                self.containers.append(container)
            for member in node.members:
                if member.key.start < member.key.end:  # not a made-up key
                    scalars.append(member.key)
                self._walk(member.value, scalars)
        elif isinstance(node, JsonArray):
            container = Container.of(node, self.text)
            if container is not None:
                self.containers.append(container)
            for item in node.items:
                self._walk(item, scalars)
        elif isinstance(node, JsonUnknown):
            for alternative in node.alternatives:
                self._walk(alternative, scalars)

    def containing(self, start: int, end: int) -> JsonString | None:
        """The string whose content holds `start..end`."""
        i = bisect_right(self._starts, start) - 1
        while i >= 0:
            node = self._scalars[i]
            if isinstance(node, JsonString):
                content = node.content_span()
                if content.start <= start and end <= content.end and node.terminated:
                    return node
            if node.end < start:
                return None
            i -= 1
        return None

    def scalar_at(self, span: Span) -> _Scalar | None:
        return self._by_span.get((span.start, span.end))

    def container_at(self, span: Span) -> Container | None:
        return next((c for c in self.containers
                     if c.node.start == span.start and c.node.end == span.end), None)


def yaml_fixes(finding: Finding, nodes: YamlNodes, text: str) -> Finding:
    """The finding with its fixes written in YAML; those that cannot be are dropped."""
    kept = tuple(fix for fix in (_render(fix, nodes, text) for fix in finding.fixes)
                 if fix is not None)
    return finding if kept == finding.fixes else replace(finding, fixes=kept)


def _render(fix: Fix, nodes: YamlNodes, text: str) -> Fix | None:
    if not fix.edits or any(edit.span.start > edit.span.end for edit in fix.edits):
        return None  # (an edit that ends before it starts: an entry that is an alias)
    edits: list[TextEdit] = []
    structural = False
    for edit in fix.edits:
        rendered = _render_edit(edit, nodes, text)
        if rendered is None:
            return None
        new_edits, changes_structure = rendered
        edits.extend(new_edits)
        structural = structural or changes_structure
    edits.sort(key=lambda e: (e.span.start, e.span.end))
    if any(a.span.end > b.span.start for a, b in pairwise(edits)):
        return None
    if structural and not nodes.clean:
        return None
    rendered_fix = Fix(fix.title, tuple(edits), fix.preferred)
    return fix if rendered_fix.edits == fix.edits else rendered_fix


def _render_edit(edit: TextEdit, nodes: YamlNodes, text: str
                 ) -> tuple[list[TextEdit], bool] | None:
    """The edit in YAML, and whether it changes the structure; None when it cannot be
    written safely."""
    span = edit.span
    if span.start == span.end and (_LEADING_COMMA.match(edit.new_text)
                                   or edit.new_text.rstrip(" \t\r\n").endswith(",")):
        return _insertion(span.start, edit.new_text, nodes)  # new entries, not scalar text
    scalar = nodes.scalar_at(span)
    if scalar is not None and span.start < span.end and edit.new_text.startswith('"'):
        value = _json_value(edit.new_text)
        if isinstance(value, str):
            return _replace_scalar(scalar, value, text)
    if scalar is not None and span.start < span.end and edit.new_text.startswith("["):
        value = _json_value(edit.new_text)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return _replace_with_sequence(scalar, value, text)
    content_of = nodes.containing(span.start, span.end)
    if content_of is not None:
        return _content_edit(content_of, edit, text)
    container = nodes.container_at(span)
    if container is not None:
        value = _json_value(edit.new_text)
        if value is not _INVALID and not isinstance(value, dict | list):
            replaced = container.replace_with_scalar(render_scalar(value))
            return ([replaced], True) if replaced is not None else None
    if not edit.new_text:
        return _removal(span, nodes)
    return None


def _json_value(source: str) -> object:
    try:
        return json.loads(source)
    except ValueError:
        return _INVALID


_INVALID = object()


def _style(node: JsonString, text: str) -> str:
    return text[node.start] if node.quote_len else ""


def _replace_scalar(node: _Scalar, value: str, text: str) -> tuple[list[TextEdit], bool] | None:
    if isinstance(node, JsonString) and not node.quote_len and text[node.start] in "|>":
        return None  # a block scalar: its lines are left to a person
    style = _style(node, text) if isinstance(node, JsonString) else ""
    return [TextEdit(node.span, render_scalar(value, style))], False


def _replace_with_sequence(node: _Scalar, value: list[str], text: str
                           ) -> tuple[list[TextEdit], bool] | None:
    if isinstance(node, JsonString) and not node.quote_len and text[node.start] in "|>":
        return None  # a block scalar: its lines are left to a person
    before = text[text.rfind("\n", 0, node.start) + 1:node.start].rstrip(" \t")
    if before.split(" ")[-1].startswith("!"):
        return None  # a tag written for the scalar would apply to the list
    return [TextEdit(node.span, json.dumps(value, ensure_ascii=False))], True


def _content_edit(node: JsonString, edit: TextEdit, text: str
                  ) -> tuple[list[TextEdit], bool] | None:
    if not node.verbatim:
        return None  # escapes or folded lines: offsets inside the value do not map
    new_part = _json_value(f'"{edit.new_text}"')
    if not isinstance(new_part, str):
        return None
    content = node.content_span()
    style = _style(node, text)
    result = (text[content.start:edit.span.start] + new_part + text[edit.span.end:content.end])
    if _fits(style, edit.new_text, new_part, result):
        return [edit], False
    return [TextEdit(node.span, render_scalar(result, style))], False


def _fits(style: str, written: str, value: str, result: str) -> bool:
    """Whether the JSON-escaped text `written` means `value` inside a scalar of this style
    and the scalar then holds `result`."""
    if style == '"':
        return True  # JSON's escapes are YAML's
    if written != value or '"' in value or "'" in value:
        return False
    if style == "'":
        return True
    # Plain: the rest of the scalar was valid where it stands; new text of characters that
    # never start YAML syntax keeps it so, unless it makes `: ` or ` #` or a non-string.
    return (_PLAIN_TEXT.fullmatch(value) is not None and result[:1].isalnum()
            and ": " not in result and " #" not in result and not result.endswith(":")
            and not is_not_a_string(result))


def _removal(span: Span, nodes: YamlNodes) -> tuple[list[TextEdit], bool] | None:
    for container in nodes.containers:
        run = container.removed_run(span)
        if run is not None:
            edit = container.remove(*run)
            return ([edit], True) if edit is not None else None
    return None


def _insertion(at: int, new_text: str, nodes: YamlNodes) -> tuple[list[TextEdit], bool] | None:
    for container in nodes.containers:
        after = container.entry_ending_at(at)
        if after is not None:
            lead = _LEADING_COMMA.match(new_text)
            if lead is None:
                continue
            edit = _insert(container, after, new_text[lead.end():], nodes)
            if edit is not None:
                return [edit], True
        elif container.entry_starting_at(at) == 0:
            payload = new_text.rstrip(" \t\r\n")
            if not payload.endswith(","):
                continue
            edit = _insert(container, -1, payload[:-1], nodes)
            if edit is not None:
                return [edit], True
    return None


def _insert(container: Container, after: int, payload: str, nodes: YamlNodes
            ) -> TextEdit | None:
    """`payload` (the inserted entries, JSON text or the source of existing members) as
    entries of `container` after entry `after` (-1: before the first)."""
    is_object = isinstance(container.node, JsonObject)
    parsed = _json_value(f"{{{payload}}}" if is_object else f"[{payload}]")
    if parsed is _INVALID:
        moved = list(_member_sources(payload, nodes)) if is_object else None
        if not moved:
            return None
        return container.insert_moved(after, moved)
    if is_object:
        assert isinstance(parsed, dict)
        return container.insert_members(after, list(parsed.items()))
    assert isinstance(parsed, list)
    return container.insert_items(after, parsed)


def _member_sources(payload: str, nodes: YamlNodes) -> Iterator[yaml_edits.Source]:
    """The existing members whose source texts, joined by commas, make up `payload` (a fix
    that moves keys between operator blocks copies their text); nothing when it is not."""
    found: list[yaml_edits.Source] = []
    at = 0
    while at < len(payload):
        source = next((s for c in nodes.containers for s in c.member_sources()
                       if payload.startswith(s.text, at)), None)
        if source is None:
            return
        found.append(source)
        at += len(source.text)
        comma = _LEADING_COMMA.match(payload, at)
        if comma is None and at < len(payload):
            return
        at = comma.end() if comma is not None else at
    yield from found

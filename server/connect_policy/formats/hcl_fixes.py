"""Which of a finding's fixes (JSON text) are right in a Terraform file, rewritten for it.

- In HCL (`jsonencode({…})`, `aws_iam_policy_document`): only fixes that replace part of one
  string's content. In a quoted HCL string the new text is written with HCL's escapes (`"`,
  `\\`, and `${`/`%{` as `$${`/`%%{`, so no interpolation appears); an object key written as
  a bare name stays a valid name. The provider's synthesised names (`Action` on `actions`)
  take no edit.
- In JSON held in a heredoc: any JSON edit inside the heredoc's body, unless it adds an
  interpolation (`${`, `%{`) or the body is written with escapes (`$${`).
- In JSON held in a quoted HCL string: replacements inside one JSON string, escaped for HCL.
Every other fix is dropped; the finding stays.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import replace

from ..document.syntax import JsonArray, JsonObject, JsonString, JsonUnknown, JsonValue
from ..findings import Finding, Fix, TextEdit
from .terraform import PolicyForm, TerraformPolicy

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# In HCL string text: an escaped `$${`/`%%{` (literal) or an interpolation/directive start.
_TEMPLATE_START = re.compile(r"\$\$\{|%%\{|\$\{|%\{")
_HCL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


class StringIndex:
    """A policy's strings (keys included), by start offset: the one an edit falls in."""

    def __init__(self, root: JsonValue) -> None:
        strings = sorted(_strings(root), key=lambda s: s.start)
        self._starts = [s.start for s in strings]
        self._strings = strings

    def containing(self, start: int, end: int) -> JsonString | None:
        i = bisect_right(self._starts, start) - 1
        while i >= 0:
            node = self._strings[i]
            content = node.content_span()
            if content.start <= start and end <= content.end and node.terminated:
                return node
            if node.end < start:
                return None  # strings do not nest: none further back can hold the edit
            i -= 1
        return None


def _strings(node: JsonValue | None) -> Iterator[JsonString]:
    if isinstance(node, JsonString):
        yield node
    elif isinstance(node, JsonObject):
        for member in node.members:
            yield member.key
            yield from _strings(member.value)
    elif isinstance(node, JsonArray):
        for item in node.items:
            yield from _strings(item)
    elif isinstance(node, JsonUnknown):
        for alternative in node.alternatives:
            yield from _strings(alternative)


def terraform_fixes(finding: Finding, policy: TerraformPolicy, strings: StringIndex,
                    text: str) -> Finding:
    """`finding` with only the fixes that stay right in the Terraform file, rewritten."""
    kept: list[Fix] = []
    for fix in finding.fixes:
        edits = _rendered(fix, policy, strings, text)
        if edits is not None:
            kept.append(Fix(fix.title, edits, fix.preferred))
    result = tuple(kept)
    return finding if result == finding.fixes else replace(finding, fixes=result)


def _rendered(fix: Fix, policy: TerraformPolicy, strings: StringIndex,
              text: str) -> tuple[TextEdit, ...] | None:
    if not fix.edits:
        return None
    if policy.form is PolicyForm.HEREDOC_JSON:
        return fix.edits if _heredoc_ok(fix, policy, text) else None
    edits = []
    for edit in fix.edits:
        node = strings.containing(edit.span.start, edit.span.end)
        if node is None or not node.verbatim:
            return None
        if policy.form is PolicyForm.QUOTED_JSON:
            new_text = _hcl_escaped(edit.new_text)
        elif node.quote_len == 0:  # a bare name: must stay one
            new_text = edit.new_text
            content = node.content_span()
            name = text[content.start:edit.span.start] + new_text + text[
                edit.span.end:content.end]
            if _IDENTIFIER.fullmatch(name) is None:
                return None
        else:
            try:
                value = json.loads(f'"{edit.new_text}"')
            except ValueError:
                return None
            new_text = _hcl_escaped(value)
        content = node.content_span()
        result = text[content.start:edit.span.start] + new_text + text[edit.span.end:content.end]
        if _has_template(result):
            return None
        edits.append(TextEdit(edit.span, new_text))
    return tuple(edits)


def _heredoc_ok(fix: Fix, policy: TerraformPolicy, text: str) -> bool:
    body, string = policy.body, policy.string
    if body is None or string is None or not string.maps_exactly(0, string.length):
        return False
    if not all(body.start <= e.span.start <= e.span.end <= body.end for e in fix.edits):
        return False
    before = text[body.start:body.end]
    after = before
    for edit in sorted(fix.edits, key=lambda e: e.span.start, reverse=True):
        start, end = edit.span.start - body.start, edit.span.end - body.start
        after = after[:start] + edit.new_text + after[end:]
    return _templates(after) == _templates(before)


def _hcl_escaped(value: str) -> str:
    escaped = "".join(_HCL_ESCAPES.get(ch, ch) for ch in value)
    return escaped.replace("${", "$${").replace("%{", "%%{")


def _templates(text: str) -> list[str]:
    return [m.group() for m in _TEMPLATE_START.finditer(text) if len(m.group()) == 2]


def _has_template(text: str) -> bool:
    return bool(_templates(text))

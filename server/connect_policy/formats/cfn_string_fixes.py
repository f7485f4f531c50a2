"""Which fixes (JSON text edits) stay right in a policy written as a string of the template
(`cfn_strings`), rewritten for that string.

An edit is kept when both of its ends fall where the string's value maps onto the host text
(in a run written as it is, or at an escape's edge: an escape is removed or kept whole,
never cut) and it cuts no `${…}` of a `Fn::Sub` in two. Its new text is written for the
string: in a `Fn::Sub`, `${` as `${!` (an IAM variable, not a reference); in a quoted scalar
or a JSON template's string on one line, with `\\` and `"` escaped (double quotes) or `'`
doubled (single quotes); in a literal block scalar, as it is when each new line keeps the
block's indentation. A fix with any other edit is dropped; the finding stays.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..findings import Finding, Fix, TextEdit
from .embedded import JsonText

_LINE_BREAK = re.compile(r"[ \t]*\r?\n[ \t]*")
_DOUBLE_QUOTED = {"\\": "\\\\", '"': '\\"', "\t": "\\t"}


def json_text_fixes(finding: Finding, written: JsonText) -> Finding:
    """`finding` with only the fixes that stay right in the string, rewritten for it."""
    kept = []
    for fix in finding.fixes:
        edits = [_edit(edit, written) for edit in fix.edits]
        if fix.edits and all(edit is not None for edit in edits):
            kept.append(Fix(fix.title, tuple(e for e in edits if e is not None), fix.preferred))
    result = tuple(kept)
    return finding if result == finding.fixes else replace(finding, fixes=result)


def _edit(edit: TextEdit, written: JsonText) -> TextEdit | None:
    string = written.string
    start, end = string.value_offset(edit.span.start), string.value_offset(edit.span.end)
    if start is None or end is None or end < start:
        return None
    for hole_start, hole_end in string.holes:
        if hole_start < end and start < hole_end and not (
                start <= hole_start and hole_end <= end):
            return None  # it would cut a reference in two
        if start == end and hole_start < start < hole_end:
            return None
    new_text = _rendered(edit.new_text, written)
    return None if new_text is None else TextEdit(edit.span, new_text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _rendered(new_text: str, written: JsonText) -> str | None:
    """The edit's JSON text as it is written in the string; None when it cannot be."""
    if written.sub:
        new_text = new_text.replace("${", "${!")
    style = written.style
    if style == "|":
        # Each new line keeps the indentation; the last one goes on with the line's text.
        *lines, last = new_text.split("\n")[1:] or [""]
        kept = all(not line.strip() or _indent(line) >= written.indent for line in lines)
        return new_text if kept and (
            "\n" not in new_text or _indent(last) >= written.indent) else None
    # JSON does not mind which blanks separate its tokens: one line stays one line.
    new_text = _LINE_BREAK.sub(" ", new_text)
    if style == '"':
        return "".join(_DOUBLE_QUOTED.get(ch, ch) for ch in new_text)
    if style == "'":
        return new_text.replace("'", "''")
    return new_text

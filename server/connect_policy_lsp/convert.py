"""The one place where core types become lsprotocol types (and positions change units)."""

from __future__ import annotations

from typing import Any

from lsprotocol import types as lsp

from connect_policy.findings import Finding, Severity
from connect_policy.text import Encoding, LineIndex, Span

SOURCE = "connect-policy"

_SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFORMATION: lsp.DiagnosticSeverity.Information,
    Severity.HINT: lsp.DiagnosticSeverity.Hint,
}


def encoding_of(kind: lsp.PositionEncodingKind | str | None) -> Encoding:
    value = kind.value if isinstance(kind, lsp.PositionEncodingKind) else kind
    if value == "utf-8":
        return "utf-8"
    if value == "utf-32":
        return "utf-32"
    return "utf-16"


def to_position(lines: LineIndex, offset: int, encoding: Encoding) -> lsp.Position:
    line, character = lines.position(offset, encoding)
    return lsp.Position(line=line, character=character)


def to_range(lines: LineIndex, span: Span, encoding: Encoding) -> lsp.Range:
    return lsp.Range(start=to_position(lines, span.start, encoding),
                     end=to_position(lines, span.end, encoding))


def to_offset(lines: LineIndex, position: lsp.Position, encoding: Encoding) -> int:
    return lines.offset(position.line, position.character, encoding)


def to_diagnostic(finding: Finding, lines: LineIndex, encoding: Encoding) -> lsp.Diagnostic:
    data: dict[str, Any] = dict(finding.data)
    data["fixes"] = [
        {"title": fix.title, "preferred": fix.preferred,
         "edits": [{"start": e.span.start, "end": e.span.end, "newText": e.new_text}
                   for e in fix.edits]}
        for fix in finding.fixes
    ]
    return lsp.Diagnostic(
        range=to_range(lines, finding.span, encoding),
        message=finding.message,
        severity=_SEVERITY[finding.severity],
        code=finding.code,
        code_description=lsp.CodeDescription(href=finding.link),
        source=SOURCE,
        data=data,
    )

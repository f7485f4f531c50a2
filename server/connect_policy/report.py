"""Renderers of the `check` command's results: text and JSON (stable, read by other tools)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .findings import Finding
from .text import LineIndex


@dataclass(slots=True)
class FileReport:
    path: str  # as given on the command line
    text: str
    findings: list[Finding] = field(default_factory=list)
    is_policy: bool = True
    lines: LineIndex = field(init=False)

    def __post_init__(self) -> None:
        self.lines = LineIndex(self.text)

    def point(self, offset: int) -> dict[str, int]:
        line, column = self.lines.position(offset)
        return {"line": line + 1, "column": column + 1}

    def positions(self, finding: Finding) -> tuple[tuple[int, int], tuple[int, int]]:
        """1-based (line, column) of start and end, columns in code points, end exclusive."""
        start, end = self.point(finding.span.start), self.point(finding.span.end)
        return (start["line"], start["column"]), (end["line"], end["column"])


def render_text(reports: list[FileReport]) -> str:
    """`path:line:col: severity[CODE] message`, one line each, then a summary line."""
    out: list[str] = []
    counts = {"error": 0, "warning": 0, "information": 0, "hint": 0}
    for report in reports:
        for finding in report.findings:
            (line, col), _ = report.positions(finding)
            severity = finding.severity.value
            counts[severity] += 1
            out.append(f"{report.path}:{line}:{col}: {severity}[{finding.code}] "
                       f"{finding.message}")
    total = sum(counts.values())
    files = len(reports)
    if total:
        parts = [f"{n} {name}{'s' if n != 1 else ''}" for name, n in (
            ("error", counts["error"]), ("warning", counts["warning"]),
            ("suggestion", counts["information"] + counts["hint"])) if n]
        out.append(f"Found {', '.join(parts)} in {files} file{'s' if files != 1 else ''}.")
    else:
        out.append(f"No problems in {files} file{'s' if files != 1 else ''}.")
    return "\n".join(out) + "\n"


def render_json(reports: list[FileReport]) -> str:
    files = []
    for report in reports:
        diagnostics = []
        for finding in report.findings:
            diagnostics.append({
                "code": finding.code,
                "severity": finding.severity.value,
                "message": finding.message,
                "range": _range(report, finding.span.start, finding.span.end),
                "link": finding.link,
                "fixes": [{"title": fix.title, "edits": [
                    {"range": _range(report, e.span.start, e.span.end), "newText": e.new_text}
                    for e in fix.edits]} for fix in finding.fixes],
            })
        files.append({"path": report.path, "policy": report.is_policy,
                      "diagnostics": diagnostics})
    return json.dumps({"files": files}, ensure_ascii=False, indent=2) + "\n"


def _range(report: FileReport, start: int, end: int) -> dict[str, dict[str, int]]:
    return {"start": report.point(start), "end": report.point(end)}

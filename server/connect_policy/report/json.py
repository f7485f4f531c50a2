"""The `check` command's JSON output (stable, read by other tools)."""

from __future__ import annotations

import json

from . import FileReport


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

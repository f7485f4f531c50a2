"""The `check` command's text output: one line per finding, with the source line on a
terminal, then a summary."""

from __future__ import annotations

import unicodedata

from ..findings import Finding
from . import FileReport

_COLORS = {"error": "31", "warning": "33", "information": "36", "hint": "36"}
# Long lines (one-line policies are common) are shown as a window around the finding.
_SNIPPET_BEFORE, _SNIPPET_WIDTH = 40, 100


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _cells(text: str) -> int:
    """The terminal columns `text` takes: East Asian Wide and Fullwidth characters take two,
    combining marks and format characters (zero-width joiner, variation selectors) none."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _snippet(report: FileReport, finding: Finding, color: bool) -> list[str]:
    """The source line and a caret line under the finding's range (its first line)."""
    line, column = report.lines.position(finding.span.start)
    text = report.lines.line_text(line)
    end_line, end_column = report.lines.position(finding.span.end)
    end = end_column if end_line == line else len(text)
    start = max(0, column - _SNIPPET_BEFORE) if len(text) > _SNIPPET_WIDTH else 0
    stop = min(len(text), max(end, start + _SNIPPET_WIDTH)) if len(text) > _SNIPPET_WIDTH \
        else len(text)
    shown = ("…" if start else "") + text[start:stop].expandtabs(1) + (
        "…" if stop < len(text) else "")
    # Terminals give wide characters (Hangul, CJK, most emoji) two cells and combining marks
    # none: the caret is placed and sized in cells, not code points.
    offset = _cells(text[start:column].expandtabs(1)) + (1 if start else 0)
    marks = "^" * max(1, _cells(text[column:min(end, stop)].expandtabs(1)))
    gutter = f"{line + 1} | "
    pad = " " * (len(gutter) - 2) + "| "
    return [f"{gutter}{shown}",
            pad + " " * offset + _paint(marks, _COLORS[finding.severity.value], color)]


def render_text(reports: list[FileReport], *, color: bool = False, snippets: bool = False,
                summary: bool = True, elapsed: float | None = None) -> str:
    """`path:line:col: severity[CODE] message`, one line each; on a terminal (`snippets`)
    with the source line and a caret under the range; then a summary line."""
    out: list[str] = []
    counts = {"error": 0, "warning": 0, "information": 0, "hint": 0}
    for report in reports:
        for finding in report.findings:
            (line, col), _ = report.positions(finding)
            severity = finding.severity.value
            counts[severity] += 1
            label = _paint(f"{severity}[{finding.code}]", "1;" + _COLORS[severity], color)
            where = _paint(f"{report.path}:{line}:{col}:", "1", color)
            out.append(f"{where} {label} {finding.message}")
            if snippets and report.text:
                out.extend(_snippet(report, finding, color))
                out.append("")
    if summary:
        files = len(reports)
        parts = [f"{n} {name}{'s' if n != 1 else ''}" for name, n in (
            ("error", counts["error"]), ("warning", counts["warning"]),
            ("suggestion", counts["information"] + counts["hint"])) if n]
        took = f" in {elapsed:.2f} s" if elapsed is not None else ""
        checked = f"Checked {files} file{'s' if files != 1 else ''}{took}"
        out.append(f"{checked}: {', '.join(parts)}." if parts else f"{checked}: no problems.")
    return "\n".join(out) + "\n" if out else ""

"""GitHub Actions output of the `check` command: one workflow command (annotation) a finding.

`::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=CODE::message`, with `::warning`
for warnings and `::notice` for information and hints; lines and columns 1-based, columns in
code points, the end exclusive. GitHub takes columns only for a single-line range, so a finding
spanning lines gives its lines alone.
"""

from __future__ import annotations

from ..findings import Severity
from . import FileReport

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning",
             Severity.INFORMATION: "notice", Severity.HINT: "notice"}


def render_github(reports: list[FileReport]) -> str:
    """The annotations of every finding, one line each, and nothing else."""
    out: list[str] = []
    for report in reports:
        for finding in report.findings:
            (line, col), (end_line, end_col) = report.positions(finding)
            one_line = line == end_line
            properties = {"file": report.path, "line": str(line),
                          "col": str(col) if one_line else None, "endLine": str(end_line),
                          "endColumn": str(end_col) if one_line else None,
                          "title": finding.code}
            props = ",".join(f"{name}={escape_property(value)}"
                             for name, value in properties.items() if value is not None)
            out.append(f"::{_COMMANDS[finding.severity]} {props}::"
                       f"{escape_data(finding.message)}")
    return "".join(line + "\n" for line in out)


def escape_data(text: str) -> str:
    """A command's message: `%`, CR and LF would end or corrupt the command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: as data, and `:` and `,`, which delimit the properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")

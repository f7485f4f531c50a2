"""The `check` command's output formats: text, JSON, SARIF and GitHub workflow commands.

FileReport, here, is one checked file's text and findings: what every format renders.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..document.text import LineIndex
from ..findings import Finding


@dataclass(slots=True)
class FileReport:
    path: str  # as given on the command line
    text: str
    findings: list[Finding] = field(default_factory=list)
    is_policy: bool = True
    _lines: LineIndex | None = field(default=None, init=False, repr=False)

    @property
    def lines(self) -> LineIndex:
        """Built on first use: most files have no findings to place."""
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    def point(self, offset: int) -> dict[str, int]:
        line, column = self.lines.position(offset)
        return {"line": line + 1, "column": column + 1}

    def positions(self, finding: Finding) -> tuple[tuple[int, int], tuple[int, int]]:
        """1-based (line, column) of start and end, columns in code points, end exclusive."""
        start, end = self.point(finding.span.start), self.point(finding.span.end)
        return (start["line"], start["column"]), (end["line"], end["column"])

"""Quick fixes: the repairs findings carry, for the findings at a range of the document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..analysis import Analysis
from ..document.text import Span
from ..findings import Finding, Fix


@dataclass(frozen=True, slots=True)
class QuickFix:
    finding: Finding
    fix: Fix


def quick_fixes(analysis: Analysis, span: Span, codes: set[str] | None = None,
                diagnosed: Sequence[Span] = ()) -> list[QuickFix]:
    """The fixes of the findings whose range touches `span` or is one of `diagnosed` (the
    ranges of the diagnostics the client asks about, which may lie beside the cursor: Neovim
    sends the whole line's), and, when given, whose code is one of `codes`; preferred fixes
    first, in document order."""
    found: list[QuickFix] = []
    for finding in analysis.findings:
        if codes is not None and finding.code not in codes:
            continue
        touches = not (finding.span.end < span.start or finding.span.start > span.end)
        if not touches and finding.span not in diagnosed:
            continue
        found.extend(QuickFix(finding, fix) for fix in finding.fixes)
    found.sort(key=lambda q: (not q.fix.preferred, q.finding.span.start))
    return found

"""The checks, one module per family; each exposes `check(context) -> Iterator[Finding]`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace

from ..findings import Finding
from . import (
    actions,
    arns,
    conditions,
    document,
    json_syntax,
    principals,
    redundancy,
    resources,
    sensitive_actions,
    size,
    statements,
    structure,
    tags,
)
from .context import CheckContext

Check = Callable[[CheckContext], Iterator[Finding]]

CHECKS: tuple[Check, ...] = (
    json_syntax.check,
    document.check,
    structure.check,
    statements.check,
    actions.check,
    resources.check,
    arns.check,
    redundancy.check,
    sensitive_actions.check,
    size.check,
    tags.check,
    principals.check,
    conditions.check,
)


def run_checks(context: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    for check in CHECKS:
        findings.extend(check(context))
    findings = [_shorten(f) if len(f.message) > _LONG_MESSAGE else f for f in findings]
    findings.sort(key=lambda f: (f.span.start, f.span.end, f.code))
    return findings


# Messages quote the offending text; a 1 MB action name must not make a 1 MB message.
_LONG_MESSAGE = 2_000
# Quotes pair up left to right, so the prose between two quoted values is never taken for one.
_QUOTED = re.compile(r'"([^"]*)"')


def _shorten(finding: Finding) -> Finding:
    def cut(match: re.Match[str]) -> str:
        quoted = match.group(1)
        if len(quoted) < 120:
            return match.group(0)
        return f'"{quoted[:80]}…" ({len(quoted):,} characters)'

    return replace(finding, message=_QUOTED.sub(cut, finding.message), translations={
        lang: _QUOTED.sub(cut, text) for lang, text in finding.translations.items()})


__all__ = ["CHECKS", "CheckContext", "run_checks"]

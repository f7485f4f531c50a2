"""The checks, one module per family; each exposes `check(context) -> Iterator[Finding]`."""

from __future__ import annotations

from collections.abc import Callable, Iterator

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
    findings.sort(key=lambda f: (f.span.start, f.span.end, f.code))
    return findings


__all__ = ["CHECKS", "CheckContext", "run_checks"]

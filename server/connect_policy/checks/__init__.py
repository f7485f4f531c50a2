"""The checks, one module per family; each exposes `check(context) -> Iterator[Finding]`.

The families whose findings for a statement depend on nothing but the statement's text also
expose `check_statement(context, statement)`: `run_checks` given a `StatementMemo` reuses
their findings for statements an edit left alone (see `StatementMemo`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from ..catalog.services import ServiceCatalog
from ..document.policy import Statement
from ..document.text import Span
from ..findings import Finding, Fix, TextEdit
from . import (
    actions,
    arns,
    conditions,
    dependent_actions,
    document,
    federation,
    json_syntax,
    oidc_conditions,
    organization_policies,
    principal_structure,
    principal_values,
    principals,
    redundancy,
    resources,
    roles_anywhere,
    sensitive_actions,
    service_principals,
    size,
    statements,
    structure,
    tags,
    trust_policies,
)
from .context import CheckContext

Check = Callable[[CheckContext], Iterator[Finding]]
StatementCheck = Callable[[CheckContext, Statement], Iterator[Finding]]


def _always(context: CheckContext) -> Hashable | None:
    return True


@dataclass(frozen=True, slots=True)
class PerStatement:
    """A check family that runs statement by statement, each statement on its own."""

    name: str
    check_statement: StatementCheck
    # What the findings depend on outside the statement, as a key; None when that cannot
    # be captured in a key (the findings are then computed afresh).
    outside: Callable[[CheckContext], Hashable | None] = _always

    def __call__(self, context: CheckContext) -> Iterator[Finding]:
        for statement in context.policy.statements:
            yield from self.check_statement(context, statement)


CHECKS: tuple[Check, ...] = (
    json_syntax.check,
    document.check,
    structure.check,
    statements.check,
    PerStatement("actions", actions.check_statement),
    PerStatement("resources", resources.check_statement),
    PerStatement("arns", arns.check_statement),
    PerStatement("redundancy", redundancy.check_statement),
    sensitive_actions.check,
    dependent_actions.check,
    size.check,
    tags.check,
    PerStatement("principals", principals.check_statement),
    PerStatement("principal_structure", principal_structure.check_statement,
                 principal_structure.policy_type_of),
    PerStatement("trust_policies", trust_policies.check_statement,
                 principal_structure.policy_type_of),
    PerStatement("principal_values", principal_values.check_statement,
                 principal_structure.policy_type_of),
    PerStatement("federation", federation.check_statement, principal_structure.policy_type_of),
    roles_anywhere.check,
    PerStatement("oidc_conditions", oidc_conditions.check_statement,
                 principal_structure.policy_type_of),
    PerStatement("service_principals", service_principals.check_statement,
                 principal_structure.policy_type_of),
    PerStatement("conditions", conditions.check_statement, conditions.statement_context),
    PerStatement("organization_policies", organization_policies.check_statement,
                 principal_structure.policy_type_of),
    organization_policies.check_document,
)


class StatementMemo:
    """The findings of the per-statement checks on one document's statements, from its
    previous analysis, keyed by the statement's source text (and its depth, and what the
    check depends on outside it). An edit inside one statement leaves the others' text as
    it was, so their findings are reused, moved to where the statement now starts.

    Bounded: after each run it holds the entries of the current statements only."""

    def __init__(self) -> None:
        self._entries: dict[Hashable, tuple[int, list[Finding]]] = {}
        self._catalog: ServiceCatalog | None = None

    def __len__(self) -> int:
        return len(self._entries)

    def run(self, check: PerStatement, context: CheckContext, kept: dict[Hashable, tuple[
            int, list[Finding]]]) -> Iterator[Finding]:
        outside = check.outside(context)
        text = context.text
        for statement in context.policy.statements:
            node = statement.node
            if outside is None:
                yield from check.check_statement(context, statement)
                continue
            key = (check.name, outside, len(statement.path), text[node.start:node.end])
            entry = kept.get(key) or self._entries.get(key)
            if entry is None:
                entry = (node.start, list(check.check_statement(context, statement)))
            kept[key] = entry
            start, found = entry
            yield from found if start == node.start else (
                _moved(finding, node.start - start) for finding in found)

    def findings(self, context: CheckContext) -> list[Finding]:
        if self._catalog is not context.catalog:
            self._entries.clear()
            self._catalog = context.catalog
        kept: dict[Hashable, tuple[int, list[Finding]]] = {}
        findings: list[Finding] = []
        for check in CHECKS:
            if isinstance(check, PerStatement):
                findings.extend(self.run(check, context, kept))
            else:
                findings.extend(check(context))
        self._entries = kept
        return findings


def _moved_span(span: Span, shift: int) -> Span:
    return Span(span.start + shift, span.end + shift)


def _moved_data(value: Any, shift: int) -> Any:
    if isinstance(value, Span):
        return _moved_span(value, shift)
    if isinstance(value, (list, tuple)):
        return type(value)(_moved_data(item, shift) for item in value)
    if isinstance(value, dict):
        return {key: _moved_data(item, shift) for key, item in value.items()}
    return value


def _moved(finding: Finding, shift: int) -> Finding:
    """A statement's finding for the statement moved by `shift` characters: its span, its
    fixes' edits and the spans in its data (a covering entry's, say)."""
    return replace(finding, span=_moved_span(finding.span, shift), fixes=tuple(
        Fix(fix.title, tuple(TextEdit(_moved_span(edit.span, shift), edit.new_text)
                             for edit in fix.edits), fix.preferred) for fix in finding.fixes),
        data=_moved_data(finding.data, shift))


def run_checks(context: CheckContext, memo: StatementMemo | None = None) -> list[Finding]:
    """Every check's findings, in document order. With `memo` (one per document), the
    per-statement checks reuse their findings on statements the last edit left alone."""
    findings: list[Finding] = []
    if memo is not None:
        findings = memo.findings(context)
    else:
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


__all__ = ["CHECKS", "CheckContext", "PerStatement", "StatementMemo", "run_checks"]

"""Shared helpers for core check tests."""

from __future__ import annotations

from markers import marked

from connect_policy.analysis import analyze
from connect_policy.findings import Finding


def findings(text: str, code: str | None = None) -> list[Finding]:
    result = analyze(text).findings
    return [f for f in result if code is None or f.code == code]


def assert_findings(source: str, code: str, *fragments: str) -> list[Finding]:
    """Findings of `code` sit exactly on the marked ranges and carry these message parts."""
    text, spans = marked(source)
    got = findings(text, code)
    assert [f.span for f in got] == spans, [(f.span, f.message) for f in got]
    for finding, fragment in zip(got, fragments, strict=False):
        assert fragment in finding.message, finding.message
    return got


def policy(actions: str, extra: str = "") -> str:
    """A minimal valid policy around an Action value (written as JSON source)."""
    return ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
            f'"Action": {actions}, "Resource": "*"{extra}}}]}}')

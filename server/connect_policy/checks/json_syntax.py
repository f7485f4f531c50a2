"""JSON_SYNTAX_ERROR: every syntax error the tolerant parser met, with its repair if certain."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding, Fix, replace_fix
from .context import CheckContext


def check(context: CheckContext) -> Iterator[Finding]:
    for problem in context.policy.parse.errors:
        fixes: tuple[Fix, ...] = ()
        if problem.replacement is not None:
            fixes = (replace_fix(problem.fix_title, problem.span, problem.replacement),)
        translations = {"ko": problem.message_ko} if problem.message_ko else {}
        yield Finding("JSON_SYNTAX_ERROR", problem.message, problem.span, fixes,
                      translations=translations)

"""MISSING_VERSION: a policy without `Version`, including a lone statement with no wrapper.

Without `Version`, IAM falls back to the 2008-10-17 language, in which policy variables
such as `${aws:username}` are plain text; that is why Access Analyzer warns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..findings import Finding, Fix, TextEdit, replace_fix
from ..policy import DocumentKind
from ..syntax import JsonArray
from ..text import Span, indent_unit, newline_of
from .context import CheckContext

CURRENT_VERSION = "2012-10-17"


def check(context: CheckContext) -> Iterator[Finding]:
    policy = context.policy
    root = policy.root
    if policy.array is not None:
        yield _bare_array(context, policy.array)
    if root is None:
        return
    if policy.kind is DocumentKind.STATEMENT:
        anchor = _anchor(context, root.start)
        fixes: tuple[Fix, ...] = ()
        if root.closed and not policy.parse.implicit_object and not policy.parse.extra_roots:
            fixes = (Fix("Wrap the statement in a policy with Version 2012-10-17",
                         (TextEdit(root.span, _wrapped(context.text, root.span, True)),),
                         True),)
        yield Finding(
            "MISSING_VERSION",
            "This is a lone statement, not a policy: it has no `Version` and needs the "
            f'wrapper `{{"Version": "{CURRENT_VERSION}", "Statement": [ … ]}}` around it',
            anchor, fixes,
            translations={"ko": "정책이 아니라 단독 문입니다. `Version`이 없으니 "
                                f'`{{"Version": "{CURRENT_VERSION}", "Statement": [ … ]}}`로 '
                                "감싸야 합니다."})
        return
    if policy.kind is DocumentKind.POLICY and root.get("Version") is None:
        anchor = Span(root.start, root.start + 1)
        insert = Span(root.start + 1, root.start + 1)
        yield Finding(
            "MISSING_VERSION",
            f'The policy has no `Version`: add `"Version": "{CURRENT_VERSION}"` (without it, '
            "IAM uses the 2008-10-17 language, where policy variables are not substituted)",
            anchor,
            (replace_fix(f'Add "Version": "{CURRENT_VERSION}"', insert,
                         f' "Version": "{CURRENT_VERSION}",'),),
            translations={"ko": f'정책에 `Version`이 없습니다. `"Version": "{CURRENT_VERSION}"`을 '
                                "추가하세요(없으면 IAM은 정책 변수를 치환하지 않는 2008-10-17 "
                                "언어를 씁니다)."})


def _bare_array(context: CheckContext, array: JsonArray) -> Finding:
    fixes: tuple[Fix, ...] = ()
    if array.closed and not context.policy.parse.extra_roots:
        fixes = (Fix("Wrap the statements in a policy with Version 2012-10-17",
                     (TextEdit(array.span, _wrapped(context.text, array.span, False)),), True),)
    return Finding(
        "MISSING_VERSION",
        "This is an array of statements, not a policy: it has no `Version` and needs the "
        f'wrapper `{{"Version": "{CURRENT_VERSION}", "Statement": [ … ]}}` around it',
        Span(array.start, array.start + 1), fixes,
        translations={"ko": "정책이 아니라 문의 배열입니다. `Version`이 없으니 "
                            f'`{{"Version": "{CURRENT_VERSION}", "Statement": [ … ]}}`로 '
                            "감싸야 합니다."})


def _wrapped(text: str, span: Span, lone: bool) -> str:
    """The statement (or array of statements) at `span` inside a policy, in the document's
    indentation and line breaks, its own lines moved in by the levels added."""
    unit, newline = indent_unit(text), newline_of(text)
    original = text[span.start:span.end]
    depth = unit * (2 if lone else 1)
    moved = re.sub(r"(\r\n|\n|\r)", lambda m: m.group(1) + depth, original)
    value = (f"[{newline}{depth}{moved}{newline}{unit}]" if lone else moved)
    return (f'{{{newline}{unit}"Version": "{CURRENT_VERSION}",{newline}'
            f'{unit}"Statement": {value}{newline}}}')


def _anchor(context: CheckContext, start: int) -> Span:
    """The first character of the document, widened to its first token for visibility."""
    text = context.text
    end = start + 1
    if text.startswith('"', start):
        close = text.find('"', start + 1)
        end = close + 1 if close > 0 else end
    return Span(start, min(end, len(text)))

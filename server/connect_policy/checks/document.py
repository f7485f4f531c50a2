"""MISSING_VERSION: a policy without `Version`, including a lone statement with no wrapper.

Without `Version`, IAM falls back to the 2008-10-17 language, in which policy variables
such as `${aws:username}` are plain text; that is why Access Analyzer warns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document.json_edits import insert_first_member
from ..document.policy import DocumentKind
from ..document.syntax import JsonArray, JsonObject
from ..document.text import Span, indent_unit, newline_of
from ..findings import Finding, Fix, TextEdit
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
        fixes: tuple[Fix, ...] = ()
        if root.closed and not policy.parse.implicit_object and not policy.parse.extra_roots:
            fixes = (Fix("Wrap the statement in a policy with Version 2012-10-17",
                         (TextEdit(root.span, _wrapped(context.text, root.span, True)),),
                         True),)
        yield Finding(
            "MISSING_VERSION",
            'This is a lone statement, not a policy: it has no "Version" and needs the '
            f'wrapper {{"Version": "{CURRENT_VERSION}", "Statement": [ … ]}} around it',
            _opening(root), fixes,
            translations={"ko": '정책이 아니라 단독 문입니다. "Version"이 없으니 '
                                f'{{"Version": "{CURRENT_VERSION}", "Statement": [ … ]}}로 '
                                "감싸야 합니다."})
        return
    if policy.kind is DocumentKind.POLICY and root.get("Version") is None:
        insert = insert_first_member(context.text, root, "Version", f'"{CURRENT_VERSION}"')
        yield Finding(
            "MISSING_VERSION",
            f'The policy has no "Version": add "Version": "{CURRENT_VERSION}" (without it, '
            "IAM uses the 2008-10-17 language, where policy variables are not substituted)",
            _opening(root),
            (Fix(f'Add "Version": "{CURRENT_VERSION}"', (insert,), True),),
            translations={"ko": f'정책에 "Version"이 없습니다. "Version": "{CURRENT_VERSION}"을 '
                                "추가하세요(없으면 IAM은 정책 변수를 치환하지 않는 2008-10-17 "
                                "언어를 씁니다)."})


def _bare_array(context: CheckContext, array: JsonArray) -> Finding:
    fixes: tuple[Fix, ...] = ()
    if array.closed and not context.policy.parse.extra_roots:
        fixes = (Fix("Wrap the statements in a policy with Version 2012-10-17",
                     (TextEdit(array.span, _wrapped(context.text, array.span, False)),), True),)
    return Finding(
        "MISSING_VERSION",
        'This is an array of statements, not a policy: it has no "Version" and needs the '
        f'wrapper {{"Version": "{CURRENT_VERSION}", "Statement": [ … ]}} around it',
        _opening(array), fixes,
        translations={"ko": '정책이 아니라 문의 배열입니다. "Version"이 없으니 '
                            f'{{"Version": "{CURRENT_VERSION}", "Statement": [ … ]}}로 '
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


def _opening(node: JsonObject | JsonArray) -> Span:
    """Where a missing `Version` is reported: the document's opening bracket through its
    first property name (`{"Statement"`, or `{` and the key on the next line), so the
    squiggle is visible and stays at the top; just the bracket when there is no property."""
    first: JsonObject | JsonArray | None = node
    while isinstance(first, JsonArray):
        first = first.items[0] if first.items and isinstance(
            first.items[0], JsonObject | JsonArray) else None
    if isinstance(first, JsonObject) and first.members:
        return Span(node.start, first.members[0].key.end)
    if isinstance(first, JsonObject) and first.closed and first is node:
        return Span(node.start, node.end)  # `{}`
    return Span(node.start, node.start + 1)

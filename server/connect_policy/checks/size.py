"""POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA and POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA:
an identity policy, or a role's trust policy, longer than IAM accepts.

IAM counts a policy's characters without whitespace. IAM Access Analyzer warns above 10,240
such characters ("the character maximum for inline and managed policies"); its findings on the
AWS managed policies are reproduced exactly by counting every character of the document except
spaces, tabs and line breaks (pretty-printing does not change the count). The warning sits on
the opening brace of the document.

A role's trust policy is limited to 2,048 such characters by default (IAM's quotas page,
"Role trust policy length"; a quota the account can have raised). Resource policies' quotas
differ by service and are not checked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..document.policy import PolicyType
from ..document.syntax import to_python
from ..document.text import Span
from ..findings import Finding
from .context import CheckContext

IDENTITY_POLICY_QUOTA = 10_240
ROLE_TRUST_POLICY_QUOTA = 2_048
MANAGED_POLICY_QUOTA = 6_144
_WHITESPACE = (" ", "\t", "\n", "\r")


def policy_size(text: str) -> int:
    """Characters IAM counts against the quota: all but whitespace."""
    return len(text) - sum(text.count(ch) for ch in _WHITESPACE)


def check(context: CheckContext) -> Iterator[Finding]:
    root = context.policy.root
    if root is None or not (context.is_identity or context.policy_type is PolicyType.TRUST):
        return
    if not context.in_host:
        size = policy_size(context.text)
    else:
        # In a template the text around the policy is not the policy, and YAML is not what
        # IAM receives: count the JSON that CloudFormation sends.
        size = policy_size(json.dumps(to_python(root), separators=(",", ":"),
                                      ensure_ascii=False))
    if context.policy_type is PolicyType.TRUST:
        yield from _trust_policy(size, Span(root.start, root.start + 1))
        return
    if size <= IDENTITY_POLICY_QUOTA:
        return
    over = size - IDENTITY_POLICY_QUOTA
    yield Finding(
        "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
        f"This policy has {size:,} characters without whitespace, {over:,} over the "
        f"{IDENTITY_POLICY_QUOTA:,} allowed for an identity policy (IAM caps a role's inline "
        f"policies at {IDENTITY_POLICY_QUOTA:,} in total and a customer managed policy at "
        f"{MANAGED_POLICY_QUOTA:,}): split it into several smaller policies, or shorten it "
        'with wildcards such as "connect:Describe*"',
        Span(root.start, root.start + 1), (),
        {"size": size, "quota": IDENTITY_POLICY_QUOTA},
        translations={"ko": (
            f"이 정책은 공백을 제외하고 {size:,}자로, ID 기반 정책에 허용되는 "
            f"{IDENTITY_POLICY_QUOTA:,}자를 {over:,}자 넘습니다(IAM은 역할의 인라인 정책을 합계 "
            f"{IDENTITY_POLICY_QUOTA:,}자, 고객 관리형 정책을 {MANAGED_POLICY_QUOTA:,}자로 "
            '제한합니다). 여러 개의 작은 정책으로 나누거나 "connect:Describe*" 같은 '
            "와일드카드로 줄이세요")})


def _trust_policy(size: int, span: Span) -> Iterator[Finding]:
    if size <= ROLE_TRUST_POLICY_QUOTA:
        return
    over = size - ROLE_TRUST_POLICY_QUOTA
    yield Finding(
        "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
        f"This trust policy has {size:,} characters without whitespace, {over:,} over the "
        f"{ROLE_TRUST_POLICY_QUOTA:,} IAM allows by default for a role's trust policy: "
        "shorten it (one statement per kind of principal, lists instead of repeated "
        "statements), or have the account's quota raised", span, (),
        {"size": size, "quota": ROLE_TRUST_POLICY_QUOTA},
        translations={"ko": (
            f"이 신뢰 정책은 공백을 제외하고 {size:,}자로, IAM이 역할 신뢰 정책에 기본으로 "
            f"허용하는 {ROLE_TRUST_POLICY_QUOTA:,}자를 {over:,}자 넘습니다. 정책을 줄이거나"
            "(보안 주체 종류마다 문 하나, 반복되는 문 대신 목록) 계정의 할당량을 늘리세요.")})

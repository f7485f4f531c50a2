"""What a role's trust policy cannot hold, as IAM Access Analyzer checks it:
ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL, ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE (the role
is the resource) and ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL (`"Principal": "*"`).
The trust policy's size quota is checked with the other quotas (`size`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..document.json_edits import remove_entries
from ..document.policy import PolicyType, Statement
from ..document.syntax import JsonString
from ..findings import Finding, Fix
from .context import CheckContext


def check(context: CheckContext) -> Iterator[Finding]:
    for statement in context.policy.statements:
        yield from check_statement(context, statement)


def check_statement(context: CheckContext, statement: Statement) -> Iterator[Finding]:
    if context.policy_type is not PolicyType.TRUST:
        return
    not_principal = statement.member("NotPrincipal")
    if not_principal is not None:
        yield Finding(
            "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
            'A role\'s trust policy cannot use "NotPrincipal": name who may assume the role in '
            '"Principal"', not_principal.key.span,
            translations={"ko": '역할 신뢰 정책에는 "NotPrincipal"을 쓸 수 없습니다. 역할을 맡을 '
                                '수 있는 보안 주체를 "Principal"에 쓰세요.'})
    members = statement.node.members
    for index, member in enumerate(members):
        name = member.key.value
        if name not in ("Resource", "NotResource"):
            continue
        fixes = (Fix(f'Remove "{name}"', tuple(remove_entries(statement.node, [index])),
                     True),) if len(members) > 1 else ()
        yield Finding(
            "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
            f'A role\'s trust policy cannot contain "{name}": the role it is attached to is '
            f'the resource. Remove "{name}"', member.key.span, fixes,
            translations={"ko": f'역할 신뢰 정책에는 "{name}"을(를) 쓸 수 없습니다. 정책이 '
                                f'연결된 역할이 곧 리소스입니다. "{name}"을(를) 지우세요.'})
    principal = statement.value("Principal")
    if isinstance(principal, JsonString) and principal.value == "*":
        yield Finding(
            "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
            '"Principal": "*" is not supported in a role\'s trust policy: name the accounts, '
            'roles, services or identity providers that may assume the role (for example '
            '{"AWS": "arn:aws:iam::111122223333:root"})', principal.span,
            translations={"ko": '역할 신뢰 정책에서는 "Principal": "*"을 쓸 수 없습니다. 역할을 '
                                "맡을 수 있는 계정, 역할, 서비스 또는 자격 증명 공급자를 "
                                '지정하세요(예: {"AWS": "arn:aws:iam::111122223333:root"}).'})

"""Whether a statement may, or must, name a principal, by the policy's type (as IAM Access
Analyzer checks it): MISSING_PRINCIPAL (a resource or trust policy's statement names none;
and a resource control policy's, which must say "Principal": "*"),
UNSUPPORTED_PRINCIPAL (an identity policy names one: the identity it is attached to is the
principal) and ALLOW_WITH_NOTPRINCIPAL (a resource policy that allows everyone but a list).

The principal's keys (INVALID_PRINCIPAL_KEY) are checked with the document's shape
(`structure`), empty principals with the other empty elements (`statements`), and what only
a role's trust policy forbids in `trust_policies`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from ..document.json_edits import insert_first_member
from ..document.policy import PolicyType, Statement
from ..document.syntax import JsonString
from ..document.text import Span
from ..findings import Finding, Fix
from .context import CheckContext

_NEEDS_PRINCIPAL = (PolicyType.RESOURCE, PolicyType.TRUST, PolicyType.RESOURCE_CONTROL)
_PRINCIPAL_ELEMENTS = ("Principal", "NotPrincipal")


def policy_type_of(context: CheckContext) -> Hashable:
    """What these findings depend on outside the statement (`PerStatement.outside`)."""
    return context.policy_type


def check(context: CheckContext) -> Iterator[Finding]:
    for statement in context.policy.statements:
        yield from check_statement(context, statement)


def check_statement(context: CheckContext, statement: Statement) -> Iterator[Finding]:
    policy_type = context.policy_type
    members = [m for name in _PRINCIPAL_ELEMENTS if (m := statement.member(name)) is not None]
    if policy_type is PolicyType.RESOURCE_CONTROL and not members:
        # "*" is the only principal an RCP takes: the fix is certain.
        yield Finding(
            "MISSING_PRINCIPAL",
            'The statement has no "Principal": in a resource control policy each statement '
            'must have "Principal": "*" (narrow it with conditions such as '
            '"aws:PrincipalOrgID")', Span(statement.node.start, statement.node.start + 1),
            (Fix('Add "Principal": "*"', (insert_first_member(
                context.text, statement.node, "Principal", '"*"'),), True),),
            translations={"ko": '문에 "Principal"이 없습니다. 리소스 제어 정책(RCP)에서는 문마다 '
                                '"Principal": "*"이 있어야 합니다("aws:PrincipalOrgID" 같은 '
                                "조건으로 범위를 좁히세요)."})
    elif policy_type in _NEEDS_PRINCIPAL and not members:
        what = "a role's trust policy" if policy_type is PolicyType.TRUST else \
            "a resource-based policy"
        what_ko = "역할 신뢰 정책" if policy_type is PolicyType.TRUST else "리소스 기반 정책"
        yield Finding(
            "MISSING_PRINCIPAL",
            f'The statement has no "Principal": in {what} each statement must say whom it '
            'applies to (for example "Principal": {"Service": "connect.amazonaws.com"})',
            Span(statement.node.start, statement.node.start + 1),
            translations={"ko": f'문에 "Principal"이 없습니다. {what_ko}에서는 문마다 누구에게 '
                                '적용되는지 지정해야 합니다(예: "Principal": {"Service": '
                                '"connect.amazonaws.com"}).'})
    if policy_type is PolicyType.IDENTITY:
        for member in members:
            name = member.key.value
            yield Finding(
                "UNSUPPORTED_PRINCIPAL",
                f'An identity-based policy cannot contain "{name}": it applies to the user, '
                f'group or role it is attached to. Remove "{name}", or, if this is a resource '
                'or trust policy, say so with the "policy-type" setting',
                member.key.span,
                translations={"ko": f'자격 증명 기반 정책에는 "{name}"을(를) 쓸 수 없습니다. '
                                    "정책은 연결된 사용자, 그룹 또는 역할에 적용됩니다. "
                                    f'"{name}"을(를) 지우거나, 리소스 정책 또는 신뢰 정책이라면 '
                                    '"policy-type" 설정으로 지정하세요.'})
    if policy_type is PolicyType.RESOURCE:
        not_principal = statement.member("NotPrincipal")
        effect = statement.value("Effect")
        if not_principal is not None and isinstance(effect, JsonString) and (
                effect.value == "Allow"):
            yield Finding(
                "ALLOW_WITH_NOTPRINCIPAL",
                '"Allow" with "NotPrincipal" grants access to every principal not listed, '
                'anonymous users included: name the principals in "Principal" instead',
                not_principal.key.span,
                translations={"ko": '"Allow"와 "NotPrincipal"을 함께 쓰면 나열하지 않은 모든 '
                                    "보안 주체(익명 사용자 포함)에게 액세스를 허용합니다. "
                                    '허용할 보안 주체를 "Principal"에 쓰세요.'})

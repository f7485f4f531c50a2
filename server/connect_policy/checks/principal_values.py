"""The values of a resource or trust policy's principals, as IAM Access Analyzer checks them:
INVALID_PRINCIPAL_FORMAT (an "AWS" principal that is no account, ARN or unique ID),
UNSUPPORTED_WILDCARD_IN_PRINCIPAL (a wildcard inside a principal, or "*" under any key but
"AWS": only "AWS": "*" means everyone, "Service": "*" names no service),
FEDERATED_PRINCIPAL_NOT_SUPPORTED (an identity provider outside a role's trust policy) and
REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY (a role's session next to the role).

Values known only at deployment are never errors: a CloudFormation function (`JsonUnknown`)
is left alone, and a `${…}` placeholder (Terraform's interpolation) counts as a valid part.
Service principals' format is checked in `principals`, federated ones' actions in
`federation`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document.json_edits import remove_entries
from ..document.policy import PolicyType, Statement, strings_in
from ..document.syntax import JsonArray, JsonMember, JsonObject, JsonString
from ..document.text import Span
from ..findings import Finding, Fix
from .context import CheckContext

_PRINCIPAL_ELEMENTS = ("Principal", "NotPrincipal")
_WITH_PRINCIPALS = (PolicyType.RESOURCE, PolicyType.TRUST)
# A deploy-time placeholder inside a string: Terraform's `${var.x}`.
PLACEHOLDER = re.compile(r"\$\{[^}]*\}")
_ACCOUNT = re.compile(r"\d{12}")
# IAM's unique IDs (AIDA… for a user, AROA… for a role): what IAM shows in a policy in place
# of the ARN of a user or role that was deleted.
_UNIQUE_ID = re.compile(r"A[A-Z]{3}[A-Z0-9]{12,124}")
# An IAM or STS ARN: six fields, the account may be a name ("cloudfront" for an origin
# access identity), the resource is anything after the fifth colon.
_PRINCIPAL_ARN = re.compile(r"arn:[^:]+:(?:iam|sts)::[^:]*:.+")
_ROLE = re.compile(r"arn:([^:]+):iam::([^:]+):role/(?:.*/)?([^/]+)")
_ASSUMED_ROLE = re.compile(r"arn:([^:]+):sts::([^:]+):assumed-role/([^/]+)/[^/]+")


def principal_members(statement: Statement) -> Iterator[tuple[str, JsonMember]]:
    """The members ("AWS": …, "Service": …) of the statement's principal objects, with the
    element ("Principal" or "NotPrincipal") they are in."""
    for element in _PRINCIPAL_ELEMENTS:
        principal = statement.value(element)
        if isinstance(principal, JsonObject):
            for member in principal.members:
                yield element, member


def value_span(node: JsonString) -> Span:
    """Where a value's finding goes: its text, or the quotes of an empty string."""
    return node.content_span() if node.value else node.span


def check(context: CheckContext) -> Iterator[Finding]:
    for statement in context.policy.statements:
        yield from check_statement(context, statement)


def check_statement(context: CheckContext, statement: Statement) -> Iterator[Finding]:
    policy_type = context.policy_type
    if policy_type not in _WITH_PRINCIPALS:
        return
    for _element, member in principal_members(statement):
        key = member.key.value
        if key == "Federated" and policy_type is PolicyType.RESOURCE:
            yield _federated_not_supported(member)
        for node, _ in strings_in(member.value):
            known = PLACEHOLDER.sub("", node.value)
            # "*" alone means everyone only as "AWS" (or a bare "Principal": "*"):
            # "Service": "*" is no service, and IAM takes no wildcard in other keys.
            if any(ch in known for ch in "*?") and (node.value != "*" or key != "AWS"):
                yield _wildcard(key, node)
            elif key == "AWS" and "${" not in node.value and not _valid_aws(node.value):
                yield _invalid_format(node)
    if policy_type is PolicyType.TRUST:
        yield from _redundant_sessions(statement)


def _valid_aws(value: str) -> bool:
    return value == "*" or any(pattern.fullmatch(value) for pattern in (
        _ACCOUNT, _UNIQUE_ID, _PRINCIPAL_ARN))


def _invalid_format(node: JsonString) -> Finding:
    value = node.value
    return Finding(
        "INVALID_PRINCIPAL_FORMAT",
        f'"{value}" is not an AWS principal: write "*", a 12-digit account ID '
        '("111122223333") or the ARN of an account, user or role '
        '("arn:aws:iam::111122223333:role/name")', value_span(node),
        translations={"ko": f'"{value}"은(는) AWS 보안 주체 형식이 아닙니다. "*", 12자리 계정 ID'
                            '("111122223333") 또는 계정, 사용자, 역할의 ARN'
                            '("arn:aws:iam::111122223333:role/name")을 쓰세요.'})


def _wildcard(key: str, node: JsonString) -> Finding:
    value = node.value
    return Finding(
        "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
        f'"{value}": a "{key}" principal cannot contain wildcards (* or ?), not even in part '
        'of a name or an ARN. Name the principals one by one; for everyone, write '
        '{"AWS": "*"} and narrow it with conditions such as "aws:PrincipalOrgID"',
        node.content_span(),
        translations={"ko": f'"{value}": "{key}" 보안 주체에는 이름이나 ARN의 일부에도 '
                            "와일드카드(* 또는 ?)를 쓸 수 없습니다. 보안 주체를 하나씩 "
                            '지정하세요. 모두를 뜻한다면 {"AWS": "*"}로 쓰고 '
                            '"aws:PrincipalOrgID" 같은 조건으로 좁히세요.'})


def _federated_not_supported(member: JsonMember) -> Finding:
    return Finding(
        "FEDERATED_PRINCIPAL_NOT_SUPPORTED",
        'A resource-based policy cannot name a "Federated" principal: identity providers '
        "are trusted only by a role's trust policy. Name an account, role or service "
        'instead, or, if this is a trust policy, say so with the "policy-type" setting',
        member.key.span,
        translations={"ko": '리소스 기반 정책에는 "Federated" 보안 주체를 쓸 수 없습니다. '
                            "자격 증명 공급자는 역할 신뢰 정책에서만 신뢰할 수 있습니다. 계정, "
                            "역할 또는 서비스를 지정하거나, 신뢰 정책이라면 "
                            '"policy-type" 설정으로 지정하세요.'})


def _redundant_sessions(statement: Statement) -> Iterator[Finding]:
    principal = statement.value("Principal")
    if not isinstance(principal, JsonObject):
        return
    aws = principal.value_of("AWS")
    values = list(strings_in(aws))
    roles = {(m.group(1), m.group(2), m.group(3)): node.value for node, _ in values
             if (m := _ROLE.fullmatch(node.value))}
    for node, index in values:
        session = _ASSUMED_ROLE.fullmatch(node.value)
        role = session and roles.get((session.group(1), session.group(2), session.group(3)))
        if not role:
            continue
        fixes = (Fix(f'Remove "{node.value}"', tuple(remove_entries(aws, [index])), True),) \
            if isinstance(aws, JsonArray) and index is not None else ()
        yield Finding(
            "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY",
            f'"{node.value}" is a session of the role "{role}", which the statement already '
            "trusts: the session adds nothing. Remove it", node.content_span(), fixes,
            translations={"ko": f'"{node.value}"은(는) 문이 이미 신뢰하는 역할 "{role}"의 '
                                "세션이므로 아무것도 더하지 않습니다. 지우세요."})

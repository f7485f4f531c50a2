"""What AWS Organizations' authorization policies cannot hold: service control policies
(SCPs) and resource control policies (RCPs).

SCPs, as IAM Access Analyzer checks them: SCP_SYNTAX_ERROR_PRINCIPAL (SCPs take no
`Principal` or `NotPrincipal`: they apply to every IAM user and role of the accounts they are
attached to) and POLICY_SIZE_EXCEEDS_SCP_QUOTA. Access Analyzer's other SCP codes
(SCP_SYNTAX_ERROR_ACTION_WILDCARD, _ALLOW_CONDITION, _ALLOW_NOTACTION, _ALLOW_RESOURCE,
_NOTRESOURCE) are not raised: since September 2025 SCPs take the full IAM policy language
(conditions, resource ARNs and `NotAction` with Allow, `NotResource`, wildcards anywhere in an
action), as the SCP syntax page of the AWS Organizations User Guide now lists.

RCPs (our codes; Access Analyzer has none), from the RCP syntax page: "Version": "2012-10-17",
`"Effect": "Allow"` only in the AWS managed RCPFullAWSAccess policy, `"Principal": "*"` only
(MISSING_PRINCIPAL, in `principal_structure`, when it is absent), no `NotPrincipal`, no
`NotAction`, and actions of the services RCPs apply to (a warning: an action of another
service is never restricted).

Both quotas count every character, whitespace included (the syntax pages: "All characters in
your SCP count against its maximum size"; the console strips whitespace outside strings when
it saves, the CLI and SDKs send the text as it is).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..document.json_edits import remove_entries
from ..document.policy import DocumentKind, PolicyType, Statement, strings_in
from ..document.syntax import (
    JsonArray,
    JsonObject,
    JsonString,
    JsonUnknown,
    JsonValue,
    to_python,
)
from ..document.text import Span
from ..findings import Finding, Fix, TextEdit, replace_fix
from .context import CheckContext

SCP_QUOTA = 5_120
RCP_QUOTA = 5_120
SCP_SYNTAX = ("https://docs.aws.amazon.com/organizations/latest/userguide/"
              "orgs_manage_policies_scps_syntax.html")
RCP_SYNTAX = ("https://docs.aws.amazon.com/organizations/latest/userguide/"
              "orgs_manage_policies_rcps_syntax.html")
# The services whose resources RCPs apply to, by action prefix: the five of the launch
# (November 2024), Amazon ECR and OpenSearch Serverless (June 2025), Amazon Cognito, CloudWatch
# Logs and DynamoDB, and AWS Sign-In. AWS adds services over time, so an action of another
# service is a warning, not an error.
RCP_SERVICES = frozenset({
    "s3", "sts", "kms", "sqs", "secretsmanager", "ecr", "aoss", "cognito-idp",
    "cognito-identity", "logs", "dynamodb", "signin"})


def check_statement(context: CheckContext, statement: Statement) -> Iterator[Finding]:
    if context.policy_type is PolicyType.SERVICE_CONTROL:
        yield from _scp_statement(statement)
    elif context.policy_type is PolicyType.RESOURCE_CONTROL:
        yield from _rcp_statement(context, statement)


def check(context: CheckContext) -> Iterator[Finding]:
    """The statements' findings and the size quotas (all of it, for callers that run one
    module on its own)."""
    for statement in context.policy.statements:
        yield from check_statement(context, statement)
    yield from check_document(context)


# --- Service control policies ----------------------------------------------------------------


def _scp_statement(statement: Statement) -> Iterator[Finding]:
    members = statement.node.members
    for index, member in enumerate(members):
        name = member.key.value
        if name not in ("Principal", "NotPrincipal"):
            continue
        fixes = (Fix(f'Remove "{name}"', tuple(remove_entries(statement.node, [index])),
                     True),) if len(members) > 1 else ()
        yield Finding(
            "SCP_SYNTAX_ERROR_PRINCIPAL",
            f'A service control policy cannot contain "{name}": it applies to every IAM user '
            "and role of the accounts it is attached to. Remove it, and narrow the statement "
            'with a condition instead (for example "ArnNotLike": {"aws:PrincipalArn": '
            '"arn:aws:iam::*:role/Admin"})', member.key.span, fixes,
            translations={"ko": f'서비스 제어 정책(SCP)에는 "{name}"을(를) 쓸 수 없습니다. SCP는 '
                                "연결된 계정의 모든 IAM 사용자와 역할에 적용됩니다. 이 요소를 "
                                '지우고 조건으로 범위를 좁히세요(예: "ArnNotLike": '
                                '{"aws:PrincipalArn": "arn:aws:iam::*:role/Admin"}).'})


# --- Resource control policies ---------------------------------------------------------------


def _rcp_statement(context: CheckContext, statement: Statement) -> Iterator[Finding]:
    effect = statement.value("Effect")
    if isinstance(effect, JsonString) and effect.value == "Allow" and not _is_full_access(
            statement):
        yield Finding(
            "RCP_SYNTAX_ERROR_ALLOW",
            '"Effect": "Allow" is supported only in RCPFullAWSAccess, the resource control '
            "policy AWS attaches everywhere: an RCP you write can only deny. Use \"Deny\" "
            "with the conditions under which access must be refused", effect.span,
            translations={"ko": '"Effect": "Allow"는 AWS가 모든 곳에 연결하는 리소스 제어 정책 '
                                "RCPFullAWSAccess에서만 지원됩니다. 직접 작성하는 RCP는 거부만 "
                                '할 수 있습니다. "Deny"와 함께 액세스를 거부할 조건을 쓰세요.'})
    principal = statement.value("Principal")
    if principal is not None and _is_concrete(principal) and not (
            isinstance(principal, JsonString) and principal.value == "*"):
        yield _rcp_principal(principal)
    for name, code in (("NotPrincipal", "RCP_SYNTAX_ERROR_NOTPRINCIPAL"),
                       ("NotAction", "RCP_SYNTAX_ERROR_NOTACTION")):
        member = statement.member(name)
        if member is not None:
            yield _rcp_unsupported_element(code, name, member.key.span)
    yield from _rcp_services(context, statement)


def _is_concrete(value: JsonValue) -> bool:
    """A value written in the policy, not one known only at deployment (a CloudFormation
    function), whose strings have no `${…}` placeholder."""
    if isinstance(value, JsonString):
        return "${" not in value.value
    if isinstance(value, (JsonObject, JsonArray)):
        children = [m.value for m in value.members] if isinstance(value, JsonObject) \
            else list(value.items)
        return all(child is not None and _is_concrete(child) for child in children)
    return not isinstance(value, JsonUnknown)


def _is_star(value: JsonValue | None) -> bool:
    strings = list(strings_in(value))
    return bool(strings) and all(node.value == "*" for node, _ in strings) and (
        not isinstance(value, JsonArray) or len(value.items) == len(strings))


def _is_full_access(statement: Statement) -> bool:
    """Whether the statement is RCPFullAWSAccess's: everyone, every action, every resource,
    nothing else."""
    names = {m.key.value for m in statement.node.members} - {"Sid"}
    principal = statement.value("Principal")
    return names == {"Effect", "Principal", "Action", "Resource"} and isinstance(
        principal, JsonString) and principal.value == "*" and _is_star(
        statement.value("Action")) and _is_star(statement.value("Resource"))


def _rcp_principal(principal: JsonValue) -> Finding:
    fixes: tuple[Fix, ...] = ()
    # {"AWS": "*"} means "*" too: that one is rewritten; any other principal needs a condition.
    if isinstance(principal, JsonObject) and len(principal.members) == 1 and (
            principal.members[0].key.value == "AWS") and _is_star(principal.members[0].value):
        fixes = (Fix('Write "Principal": "*"', (TextEdit(Span(principal.start, principal.end),
                                                         '"*"'),), True),)
    return Finding(
        "RCP_SYNTAX_ERROR_PRINCIPAL",
        'A resource control policy takes only "Principal": "*": to exempt or target some '
        'principals, use a condition such as "StringNotEqualsIfExists": '
        '{"aws:PrincipalOrgID": "o-a1b2c3d4e5"} or "ArnNotLike": {"aws:PrincipalArn": …}',
        Span(principal.start, principal.end), fixes,
        translations={"ko": '리소스 제어 정책(RCP)에는 "Principal": "*"만 쓸 수 있습니다. 일부 '
                            '보안 주체를 제외하거나 지정하려면 "StringNotEqualsIfExists": '
                            '{"aws:PrincipalOrgID": "o-a1b2c3d4e5"} 또는 "ArnNotLike": '
                            '{"aws:PrincipalArn": …} 같은 조건을 쓰세요.'})


_UNSUPPORTED_HOW = {
    "NotPrincipal": ('write "Principal": "*" and exempt principals with a condition on '
                     '"aws:PrincipalArn" or "aws:PrincipalOrgID"',
                     '"Principal": "*"을 쓰고 "aws:PrincipalArn"이나 "aws:PrincipalOrgID" '
                     "조건으로 보안 주체를 제외하세요"),
    "NotAction": ('list the actions to deny in "Action"',
                  '거부할 작업을 "Action"에 나열하세요'),
}


def _rcp_unsupported_element(code: str, name: str, span: Span) -> Finding:
    how, how_ko = _UNSUPPORTED_HOW[name]
    return Finding(
        code, f'Resource control policies do not support "{name}": {how}', span,
        translations={"ko": f'리소스 제어 정책(RCP)은 "{name}"을(를) 지원하지 않습니다. '
                            f"{how_ko}."})


def _rcp_services(context: CheckContext, statement: Statement) -> Iterator[Finding]:
    catalog = context.catalog
    for node, _ in strings_in(statement.value("Action")):
        service, colon, _name = node.value.partition(":")
        low = service.lower()
        # A wildcard or placeholder in the service, or a service no catalog knows (that is
        # INVALID_SERVICE_IN_ACTION's), says nothing about RCPs.
        if not colon or any(ch in low for ch in "*?$") or low in RCP_SERVICES or (
                not catalog.has_service(low)):
            continue
        name = catalog.service_name(low)
        yield Finding(
            "RCP_UNSUPPORTED_SERVICE",
            f'Resource control policies do not apply to {name} ("{service}"): this action is '
            "never restricted by the RCP. RCPs apply to Amazon S3, AWS STS, AWS KMS, Amazon "
            "SQS, AWS Secrets Manager, Amazon ECR, OpenSearch Serverless, Amazon Cognito, "
            "CloudWatch Logs, DynamoDB and AWS Sign-In; restrict other services with an SCP",
            node.content_span() if node.value else node.span, (),
            {"service": low},
            translations={"ko": f'리소스 제어 정책(RCP)은 {name}("{service}")에 적용되지 '
                                "않으므로 이 작업은 RCP로 제한되지 않습니다. RCP는 Amazon S3, "
                                "AWS STS, AWS KMS, Amazon SQS, AWS Secrets Manager, Amazon "
                                "ECR, OpenSearch Serverless, Amazon Cognito, CloudWatch Logs, "
                                "DynamoDB, AWS Sign-In에 적용됩니다. 다른 서비스는 SCP로 "
                                "제한하세요."})


# --- The document: version and size quotas ---------------------------------------------------


def check_document(context: CheckContext) -> Iterator[Finding]:
    root = context.policy.root
    kind = context.policy_type
    if root is None or kind not in (PolicyType.SERVICE_CONTROL, PolicyType.RESOURCE_CONTROL):
        return
    version = root.value_of("Version") if context.policy.kind is DocumentKind.POLICY else None
    if kind is PolicyType.RESOURCE_CONTROL and isinstance(version, JsonString) and (
            version.value == "2008-10-17"):
        # "Every RCP must include a Version element with the value "2012-10-17"" (a missing
        # one is MISSING_VERSION's, any other value INVALID_VERSION's).
        yield Finding(
            "RCP_SYNTAX_ERROR_VERSION",
            'A resource control policy must use "Version": "2012-10-17"', version.span,
            (replace_fix('Change to "2012-10-17"', version.span, '"2012-10-17"'),),
            translations={"ko": '리소스 제어 정책(RCP)은 "Version": "2012-10-17"을 써야 '
                                "합니다."})
    yield from _size(context, root, kind)


def _size(context: CheckContext, root: JsonObject, kind: PolicyType) -> Iterator[Finding]:
    compact = json.dumps(to_python(root), separators=(",", ":"), ensure_ascii=False)
    # In a template the policy is sent as the JSON CloudFormation writes: the compact form.
    size = len(compact) if context.in_host else root.end - root.start
    scp = kind is PolicyType.SERVICE_CONTROL
    quota = SCP_QUOTA if scp else RCP_QUOTA
    if size <= quota:
        return
    over = size - quota
    what, what_ko, short = (("service control policy", "서비스 제어 정책", "SCP") if scp else
                            ("resource control policy", "리소스 제어 정책", "RCP"))
    stripped = len(compact)
    if stripped < size and stripped <= quota:
        spaces = (f"; without the whitespace outside strings it has {stripped:,}, which fits: "
                  "the Organizations console removes that whitespace when it saves, the CLI, "
                  "SDKs and CloudFormation send the text as it is, so minify it or save it in "
                  "the console")
        spaces_ko = (f". 문자열 밖의 공백을 빼면 {stripped:,}자로 한도 안에 듭니다. Organizations "
                     "콘솔은 저장할 때 그 공백을 지우지만 CLI, SDK, CloudFormation은 텍스트를 "
                     "그대로 보내므로, 정책을 축소(minify)하거나 콘솔에서 저장하세요")
    else:
        spaces = (f": split it into several smaller {short}s, or shorten it (one statement "
                  "per effect and condition, wildcards such as \"connect:Describe*\")")
        spaces_ko = (f". 여러 개의 작은 {short}로 나누거나, 정책을 줄이세요(효과와 조건마다 문 "
                     '하나, "connect:Describe*" 같은 와일드카드)')
    code = "POLICY_SIZE_EXCEEDS_SCP_QUOTA" if scp else "RCP_POLICY_SIZE_EXCEEDS_QUOTA"
    yield Finding(
        code,
        f"This {what} has {size:,} characters, {over:,} over the {quota:,} AWS Organizations "
        f"allows for an {short}; every character counts, whitespace included{spaces}",
        Span(root.start, root.start + 1), (), {"size": size, "quota": quota},
        translations={"ko": (
            f"이 {what_ko}({short})은 {size:,}자로, AWS Organizations가 {short}에 허용하는 "
            f"{quota:,}자를 {over:,}자 넘습니다. 공백을 포함한 모든 문자가 계산됩니다"
            f"{spaces_ko}.")})

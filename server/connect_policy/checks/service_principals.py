"""Access Analyzer's checks of the conditions that go with a service principal
(`"Principal": {"Service": "connect.amazonaws.com"}`):

* RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL: a resource policy allows a service with no condition
  on the source the service acts for, so any customer's resource could make it act on this
  one (the cross-service confused deputy problem);
* RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL: the service is narrowed with a key that
  says where a request comes from on the network or in a browser (`aws:SourceIp`,
  `aws:Referer`, ...) instead of on whose behalf the service acts;
* UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL: a statement whose principals are all
  services tests a key that a service principal's request never carries
  (`aws:PrincipalOrgID`, `aws:PrincipalTag/...`), so the condition is constant.

Sources. The policy check reference (access-analyzer-reference-policy-checks) names
`aws:SourceArn` and `aws:SourceAccount`; "AWS global condition context keys"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
gives `aws:SourceOrgID` and `aws:SourceOrgPaths` the same role ("a uniform mechanism for
enforcing cross-service confused deputy control"), and the services' own confused deputy
pages recommend all four, so any of them restricts the source here.

Only resource policies get the first two checks. The reference speaks of "the Principal
element of a resource-based policy", and a role's trust policy for `lambda.amazonaws.com` or
`ec2.amazonaws.com` (the IAM console's own, which the console validates with Access Analyzer)
carries no source condition: nothing published shows Access Analyzer warning there, and many
services do not send `aws:SourceArn` when they assume a role, so a trust policy is not warned.
The third check holds for both: a key missing from the request is missing whatever the policy.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..catalog.operators import parse_operator
from ..document.policy import PolicyType, Statement, is_role_assumption, strings_in
from ..document.syntax import JsonArray, JsonMember, JsonObject, JsonString, JsonUnknown, JsonValue
from ..document.text import Span
from ..findings import Finding, replace_fix
from .context import CheckContext
from .principal_values import value_span

# The keys that name the source a service acts for (see the module's sources).
SOURCE_KEYS = ("aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths")
_SOURCE = frozenset(key.lower() for key in SOURCE_KEYS)

# Keys that narrow where a request comes from, not on whose behalf a service acts: the
# network properties and the browser's headers of the global condition keys page. A service's
# request comes from AWS's network (the page: in service-to-service calls "certain
# network-specific authorization context is redacted"), and `aws:Referer` is "not included
# for programmatic requests".
_OTHER_SOURCE_KEYS = {key.lower(): key for key in (
    "aws:Referer", "aws:UserAgent", "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce",
    "aws:SourceVpcArn", "aws:VpcSourceIp", "aws:VpceAccount", "aws:VpceOrgID",
    "aws:VpceOrgPaths")}

# Keys a service principal's own request never carries, from each key's "Availability" on
# the global condition keys page (reference_policies_condition-keys):
# - aws:PrincipalOrgID, aws:PrincipalOrgPaths: "only if the principal is a member of an
#   organization" (the page: a PrincipalOrgID condition shuts out services such as
#   CloudTrail; the policy check reference's own example is aws:PrincipalOrgID with
#   cloudfront.amazonaws.com);
# - aws:PrincipalTag/...: for an IAM user or role with tags, or session tags;
# - aws:username: "always included in the request context for IAM users" only;
# - the properties of a role session, which "are only available when a request is made by a
#   principal with role session or federated user principal credentials";
# - aws:CalledVia, aws:CalledViaFirst, aws:CalledViaLast, aws:CalledViaAWSMCP: present only
#   when a service uses an IAM principal's credentials, "not present when the principal
#   makes the call directly".
# Not here, since the page has them present for every signed request (or every request):
# aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid,
# aws:PrincipalIsAWSService, aws:ViaAWSService.
_ABSENT_FOR_SERVICES = {key.lower(): key for key in (
    "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:username",
    # Properties of a role session.
    "aws:AssumedRoot", "aws:FederatedProvider", "aws:TokenIssueTime", "aws:SignInSessionArn",
    "aws:MultiFactorAuthAge", "aws:MultiFactorAuthPresent", "aws:ChatbotSourceArn",
    "aws:Ec2InstanceSourceVpc", "aws:Ec2InstanceSourcePrivateIPv4", "aws:SourceIdentity",
    "ec2:RoleDelivery", "ec2:SourceInstanceArn", "glue:RoleAssumedBy",
    "glue:CredentialIssuingService", "codebuild:BuildArn", "codebuild:ProjectArn",
    "lambda:SourceFunctionArn", "ssm:SourceInstanceArn", "identitystore:UserId",
    # Forward access sessions.
    "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:CalledViaAWSMCP")}
_PRINCIPAL_TAG = "aws:principaltag/"
# The key of a service's request that says what an absent principal key meant.
_SOURCE_FOR = {"aws:principalorgid": "aws:SourceOrgID",
               "aws:principalorgpaths": "aws:SourceOrgPaths"}


@dataclass(frozen=True, slots=True)
class _Test:
    """One key a statement's condition tests, with how."""

    member: JsonMember
    # What the block's operator is; all False for an operator that is not valid (reported
    # by `conditions`), which is then taken for a plain positive test.
    null: bool
    if_exists: bool
    negated: bool

    @property
    def key(self) -> str:
        return self.member.key.value.lower()


def check(context: CheckContext) -> Iterator[Finding]:
    for statement in context.policy.statements:
        yield from check_statement(context, statement)


def check_statement(context: CheckContext, statement: Statement) -> Iterator[Finding]:
    policy_type = context.policy_type
    if policy_type not in (PolicyType.RESOURCE, PolicyType.TRUST):
        return
    principal = statement.value("Principal")
    if not isinstance(principal, JsonObject):
        return
    services = [member for member in principal.members if member.key.value == "Service"]
    if not services:
        return
    tests = _condition_tests(statement)
    if tests is None:
        return  # a condition known only at deployment, or malformed: not ours to judge
    if len(services) == len(principal.members):
        yield from _unsupported_keys(tests)
    effect = statement.value("Effect")
    if policy_type is not PolicyType.RESOURCE or not (
            isinstance(effect, JsonString) and effect.value == "Allow") or _assumes_a_role(
            statement):
        return
    if any(test.key in _SOURCE and not test.null and not test.negated for test in tests):
        return
    others = [test for test in tests if test.key in _OTHER_SOURCE_KEYS and not test.null]
    if others:
        names = _service_names(services)
        for test in others:
            yield _recommended_key(test.member, names)
        return
    for member in services:
        yield from _unrestricted(member)


def _assumes_a_role(statement: Statement) -> bool:
    """A statement that only grants `sts:AssumeRole`-style actions is a role's trust
    statement, checked as a trust policy's (above), even in a policy said to be a resource
    policy."""
    actions = list(strings_in(statement.value("Action")))
    return bool(actions) and all(is_role_assumption(node.value) for node, _ in actions)


def _condition_tests(statement: Statement) -> list[_Test] | None:
    """The keys the statement's condition tests; None when the condition is not known."""
    condition = statement.value("Condition")
    if condition is None:
        return []
    if not isinstance(condition, JsonObject):
        return None
    tests: list[_Test] = []
    for block in condition.members:
        if not isinstance(block.value, JsonObject):
            return None
        parsed = parse_operator(block.key.value)
        null = parsed is not None and parsed.operator.type == "Null"
        if_exists = parsed is not None and parsed.if_exists
        negated = parsed is not None and parsed.operator.negated
        tests.extend(_Test(member, null, if_exists, negated) for member in block.value.members)
    return tests


def _service_names(services: list[JsonMember]) -> list[str]:
    return [node.value for member in services for node, _ in strings_in(member.value)]


def _quoted(names: list[str], unknown: str) -> str:
    return ", ".join(f'"{name}"' for name in names) or unknown


def _unrestricted(member: JsonMember) -> Iterator[Finding]:
    named = list(strings_in(member.value))
    values = [(node.value, value_span(node)) for node, _ in named
              if not any(ch in node.value for ch in "*?")]
    if not named and _holds_unknown(member.value):
        # Known only at deployment (`!Ref`): still a service, shown by its key.
        values = [("", member.key.content_span())]
    for name, span in values:
        yield _restrict_access(name, span)


def _holds_unknown(value: JsonValue | None) -> bool:
    items = value.items if isinstance(value, JsonArray) else [value]
    return any(isinstance(item, JsonUnknown) for item in items)


def _restrict_access(name: str, span: Span) -> Finding:
    who = f'"{name}"' if name else "The service principal"
    who_ko = f'"{name}"' if name else "서비스 보안 주체"
    return Finding(
        "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL",
        f"{who} is granted access with no condition on the source it acts for: the service "
        "could be made to use this access on behalf of another customer's resource (the "
        'confused deputy problem). Add a condition on "aws:SourceArn" (the resource the '
        'service acts for) or "aws:SourceAccount" (its account); "aws:SourceOrgID" and '
        '"aws:SourceOrgPaths" also work', span,
        translations={"ko": f"{who_ko}에 출처 조건 없이 액세스 권한을 부여합니다. 서비스가 다른 "
                            "고객의 리소스를 대신해 이 권한을 쓰게 될 수 있습니다(혼동된 대리자 "
                            '문제). "aws:SourceArn"(서비스가 대신하는 리소스) 또는 '
                            '"aws:SourceAccount"(그 계정) 조건을 추가하세요. '
                            '"aws:SourceOrgID"와 "aws:SourceOrgPaths"도 됩니다.'})


def _recommended_key(member: JsonMember, names: list[str]) -> Finding:
    key = _OTHER_SOURCE_KEYS[member.key.value.lower()]
    services = _quoted(names, "the service")
    services_ko = _quoted(names, "서비스")
    return Finding(
        "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
        f'"{key}" does not say on whose behalf {services} acts: a service\'s request comes '
        "from AWS, not from your network or browser. To let the service act only for your "
        'resources, use "aws:SourceArn" or "aws:SourceAccount" instead',
        member.key.content_span(),
        translations={"ko": f'"{key}"은(는) {services_ko}이(가) 누구를 대신해 동작하는지 말해 주지 '
                            "않습니다. 서비스의 요청은 사용자의 네트워크나 브라우저가 아니라 "
                            "AWS에서 옵니다. 서비스가 사용자의 리소스를 위해서만 동작하게 "
                            '하려면 대신 "aws:SourceArn" 또는 "aws:SourceAccount"를 쓰세요.'})


def _unsupported_keys(tests: list[_Test]) -> Iterator[Finding]:
    for test in tests:
        # `Null` and `...IfExists` are how a policy says "when the key is absent": meant.
        if test.null or test.if_exists:
            continue
        key = _ABSENT_FOR_SERVICES.get(test.key)
        if key is None and test.key.startswith(_PRINCIPAL_TAG):
            key = test.member.key.value
        if key is None:
            continue
        written = test.member.key.value
        source = _SOURCE_FOR.get(test.key)
        span = test.member.key.content_span()
        fixes = (replace_fix(f'Change to "{source}"', span, source, preferred=False),) \
            if source else ()
        instead = f' (for the organization of the resource the service acts for, use "{source}")' \
            if source else ""
        instead_ko = f' (서비스가 대신하는 리소스의 조직이라면 "{source}"을(를) 쓰세요)' \
            if source else ""
        yield Finding(
            "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
            f'"{written}" is never in the request of a service principal, the only principal '
            "of this statement: the condition can never test it. Remove it" + instead, span,
            fixes, translations={"ko": f'"{written}"은(는) 이 문의 유일한 보안 주체인 서비스 '
                                       "보안 주체의 요청에 절대 들어 있지 않아 조건이 이를 검사할 "
                                       "수 없습니다. 지우세요" + instead_ko + "."})


__all__ = ["SOURCE_KEYS", "check", "check_statement"]

"""Actions that need care: `iam:PassRole` and `iam:CreateServiceLinkedRole` on every resource
(the PASS_ROLE_* and CREATE_SLR_* families). Dependent actions a policy does not grant
(MISSING_DEPENDENT_ACTION) are checked in `dependent_actions`.

PASS_ROLE_* / CREATE_SLR_*: an Allow statement that grants the action (by name, by a wildcard,
or through `NotAction`) on `"Resource": "*"` or through `NotResource`. The code says which of
the six shapes it is, as IAM Access Analyzer does. A condition that pins the services the role
goes to (`iam:PassedToService`, `iam:AssociatedResourceArn`; `iam:AWSServiceName` for
service-linked roles) with `StringEquals`/`StringLike`/`ArnLike`... silences it; `…IfExists`,
`ForAllValues:` and values that start with a wildcard do not pin anything. Measured on the AWS
managed policies: all 19 of Access Analyzer's findings are reproduced.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..catalog.services import wildcard_regex
from ..document.policy import Statement, strings_in
from ..document.syntax import JsonObject, JsonString
from ..findings import Finding
from .context import CheckContext

_RESTRICTING_OPERATORS = frozenset({"stringequals", "stringequalsignorecase", "stringlike",
                                    "arnequals", "arnlike"})


@dataclass(frozen=True, slots=True)
class _Family:
    action: str
    code: str  # code prefix
    keys: tuple[str, ...]  # condition keys that pin it down, lower case
    risk: str
    risk_ko: str
    remedy: str
    remedy_ko: str


PASS_ROLE = _Family(
    "iam:PassRole", "PASS_ROLE", ("iam:passedtoservice", "iam:associatedresourcearn"),
    "lets the principal hand any role in the account to an AWS service, and so gain that "
    "role's permissions",
    "계정의 모든 역할을 AWS 서비스에 넘겨 그 역할의 권한을 얻을 수 있게 합니다",
    'list the role ARNs it may pass (e.g. "arn:aws:iam::123456789012:role/ConnectRole"), or add '
    'a condition such as "StringEquals": {"iam:PassedToService": "connect.amazonaws.com"}',
    '넘길 수 있는 역할 ARN(예: "arn:aws:iam::123456789012:role/ConnectRole")을 나열하거나 '
    '"StringEquals": {"iam:PassedToService": "connect.amazonaws.com"} 같은 조건을 추가하세요')
CREATE_SLR = _Family(
    "iam:CreateServiceLinkedRole", "CREATE_SLR", ("iam:awsservicename",),
    "allows creating the service-linked role of any AWS service",
    "모든 AWS 서비스의 서비스 연결 역할을 만들 수 있게 합니다",
    "list the roles it may create (e.g. "
    '"arn:aws:iam::*:role/aws-service-role/connect.amazonaws.com/*"), or add a condition such '
    'as "StringEquals": {"iam:AWSServiceName": "connect.amazonaws.com"}',
    '만들 수 있는 역할(예: "arn:aws:iam::*:role/aws-service-role/connect.amazonaws.com/*")을 '
    '나열하거나 "StringEquals": {"iam:AWSServiceName": "connect.amazonaws.com"} 같은 조건을 '
    "추가하세요")
FAMILIES = (PASS_ROLE, CREATE_SLR)


def check(context: CheckContext) -> Iterator[Finding]:
    if context.is_organization_policy:  # an SCP's or RCP's Allow grants nothing
        return
    allows = [s for s in context.policy.statements if effect_of(s) == "Allow"]
    for statement in allows:
        star = next((node for node, _ in strings_in(statement.value("Resource"))
                     if node.value == "*"), None)
        if star is None and statement.member("NotResource") is None:
            continue
        for family in FAMILIES:
            finding = _wide_grant(statement, family, star)
            if finding is not None:
                yield finding


def effect_of(statement: Statement) -> str | None:
    effect = statement.value("Effect")
    return effect.value if isinstance(effect, JsonString) else None


@lru_cache(maxsize=65536)
def action_matches(pattern: str, action: str) -> bool:
    if "*" not in pattern and "?" not in pattern:
        return pattern.lower() == action.lower()
    return wildcard_regex(pattern).fullmatch(action) is not None


def is_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


# --- PASS_ROLE_* and CREATE_SLR_* -----------------------------------------------------------


def _condition_pins(statement: Statement, family: _Family) -> tuple[bool, list[str]]:
    """Whether a condition pins the family's keys; and the operators that name a key without
    pinning it (`StringEqualsIfExists`), for the message."""
    condition = statement.value("Condition")
    loose: list[str] = []
    if not isinstance(condition, JsonObject):
        return False, loose
    for member in condition.members:
        operator = member.key.value
        if not isinstance(member.value, JsonObject):
            continue
        for entry in member.value.members:
            if entry.key.value.lower() not in family.keys:
                continue
            base = operator.lower()
            qualified = base.startswith("forallvalues:")
            base = base.removeprefix("forallvalues:").removeprefix("foranyvalue:")
            if_exists = base.endswith("ifexists")
            base = base.removesuffix("ifexists")
            values = [node.value for node, _ in strings_in(entry.value)]
            if (base in _RESTRICTING_OPERATORS and not qualified and not if_exists and values
                    and not any(v.startswith(("*", "?")) for v in values)):
                return True, loose
            loose.append(f"{operator}: {entry.key.value}")
    return False, loose


def _wide_grant(statement: Statement, family: _Family,
                star: JsonString | None) -> Finding | None:
    not_resource = statement.member("NotResource")
    if star is None and not_resource is None:
        return None
    action_member = statement.member("Action")
    not_action_member = statement.member("NotAction")
    if action_member is not None:
        granted = [node for node, _ in strings_in(action_member.value)
                   if node.value[:1] in "iI*?" and action_matches(node.value, family.action)]
        if not granted:
            return None
        exact = [node for node in granted if not is_wildcard(node.value)]
        star_in_action = not exact
        where = (exact or granted)[0]
        span = where.content_span()
        if star is not None:
            shape = "STAR_IN_ACTION_AND_RESOURCE" if star_in_action else "STAR_IN_RESOURCE"
        else:
            shape = "STAR_IN_ACTION_AND_NOTRESOURCE" if star_in_action else "NOTRESOURCE"
        how = (f'"{where.value}" grants "{family.action}"' if star_in_action
               else f'"{family.action}"')
        how_ko = (f'"{where.value}"("{family.action}" 포함)을(를)' if star_in_action
                  else f'"{family.action}"을(를)')
    elif not_action_member is not None:
        if any(action_matches(node.value, family.action)
               for node, _ in strings_in(not_action_member.value)):
            return None
        if star is not None:
            shape, span = "STAR_IN_RESOURCE_AND_NOTACTION", star.content_span()
        else:
            assert not_resource is not None
            shape, span = "NOTACTION_AND_NOTRESOURCE", not_resource.key.content_span()
        how = f'"NotAction" grants "{family.action}" (it does not exclude it)'
        how_ko = f'"NotAction"이 제외하지 않는 "{family.action}"을(를)'
    else:
        return None
    pinned, loose = _condition_pins(statement, family)
    if pinned:
        return None
    if star is not None:
        scope, scope_ko = 'on "Resource": "*"', '"Resource": "*"에 대해'
    else:
        scope, scope_ko = ('through "NotResource" (every resource not listed)',
                           '"NotResource"로(나열되지 않은 모든 리소스에 대해)')
    note = note_ko = ""
    if loose:
        note = (f' ("{loose[0]}" does not count: a condition that may be absent or that '
                "starts with a wildcard pins nothing)")
        note_ko = (f' ("{loose[0]}"은(는) 해당하지 않습니다. 없을 수도 있거나 와일드카드로 '
                   "시작하는 조건은 아무것도 제한하지 않습니다)")
    message = f"{how} {scope}, which {family.risk}{note}: {family.remedy}"
    ko = f"{how_ko} {scope_ko} 허용하면 {family.risk_ko}{note_ko}. {family.remedy_ko}"
    data: dict[str, object] = {"action": family.action}
    if star is not None:
        data["resource_span"] = star.span
    return Finding(f"{family.code}_WITH_{shape}", message, span, (), data,
                   translations={"ko": ko})

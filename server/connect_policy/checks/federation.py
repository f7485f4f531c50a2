"""Who may use which role-assumption action in a role's trust policy, as IAM Access Analyzer
checks it: MISMATCHED_ACTION_FOR_PRINCIPAL (a SAML provider assumes a role with
`sts:AssumeRoleWithSAML`, an OIDC provider with `sts:AssumeRoleWithWebIdentity`, accounts,
roles and services with `sts:AssumeRole`), MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL (an
OIDC provider trusted with no condition on its own keys, `accounts.google.com:aud` say: any
token the provider issues, for anyone's app, could assume the role) and, for GitHub's
provider conditioned on other keys only, MISSING_GITHUB_REPO_CONDITION_KEY (no
`token.actions.githubusercontent.com:sub`: any repository's workflows could).

An action is reported only when none of the statement's principals can use it, so that a
statement that mixes principals is never an error. A value known only at deployment is never
taken for wrong: one not known at all (`!Ref`) leaves the statement alone, while a provider's
ARN with deploy-time parts (`!Sub "arn:aws:iam::${AWS::AccountId}:oidc-provider/…"`,
Terraform's `${…}`) still says which provider it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..document.policy import PolicyType, Statement, strings_in
from ..document.syntax import JsonArray, JsonObject, JsonString, JsonUnknown, JsonValue
from ..document.text import Span
from ..findings import Finding, Fix, replace_fix
from .context import CheckContext
from .principal_values import PLACEHOLDER, value_span

# A part of a value known only at deployment.
HOLE = "\x00"
GITHUB = "token.actions.githubusercontent.com"

_SAML_PROVIDER = re.compile(r"arn:[^:]+:iam::[^:]*:saml-provider/.+")
_OIDC_PROVIDER = re.compile(r"arn:[^:]+:iam::[^:]*:oidc-provider/(.+)")
# A web identity provider named by its domain ("cognito-identity.amazonaws.com",
# "accounts.google.com", "graph.facebook.com", "www.amazon.com").
_DOMAIN = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.IGNORECASE)

ASSUME_ROLE = "sts:AssumeRole"
WITH_SAML = "sts:AssumeRoleWithSAML"
WITH_WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"
_ACTIONS = {name.lower(): name for name in (ASSUME_ROLE, WITH_SAML, WITH_WEB_IDENTITY)}
# The kinds of principal each action is for.
_USED_BY = {ASSUME_ROLE: {"AWS", "Service"}, WITH_SAML: {"SAML"},
            WITH_WEB_IDENTITY: {"OIDC"}}


def check(context: CheckContext) -> Iterator[Finding]:
    for statement in context.policy.statements:
        yield from check_statement(context, statement)


def check_statement(context: CheckContext, statement: Statement) -> Iterator[Finding]:
    if context.policy_type is not PolicyType.TRUST:
        return
    principal = statement.value("Principal")
    if not isinstance(principal, JsonObject):
        return
    yield from _invalid_federated(principal)
    kinds = _principal_kinds(principal)
    if kinds is not None:
        yield from _mismatched_actions(statement, kinds)
    effect = statement.value("Effect")
    if isinstance(effect, JsonString) and effect.value == "Allow":
        yield from _unconditioned_oidc(statement, principal)


def oidc_provider(value: str) -> str | None:
    """The provider a federated principal names, as its condition keys begin ("accounts.google.com",
    "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"); None when it is no OIDC provider. Parts
    known only at deployment are `HOLE`s."""
    if (arn := _OIDC_PROVIDER.fullmatch(value)) is not None:
        return arn.group(1)
    if not value.startswith("arn:") and _DOMAIN.fullmatch(value):
        return value
    return None


@dataclass(frozen=True, slots=True)
class _Value:
    """A principal's value as far as it is known: its text with each part known only at
    deployment (`${…}` of Terraform or of a `!Sub`) as a `HOLE`, where it is, and as written."""

    text: str
    span: Span
    shown: str


def _values(value: JsonValue | None) -> list[_Value] | None:
    """The values of a principal's key; None when one is known not even in part (`!Ref`)."""
    values: list[_Value] = []
    items = value.items if isinstance(value, JsonArray) else [value]
    for item in items:
        if isinstance(item, JsonString):
            values.append(_Value(PLACEHOLDER.sub(HOLE, item.value), value_span(item), item.value))
        elif isinstance(item, JsonUnknown) and item.alternatives:
            for alternative in item.alternatives:
                known = _values(alternative)
                if known is None:
                    return None
                values.extend(known)
        elif isinstance(item, JsonUnknown) and item.template is not None:
            values.append(_Value(PLACEHOLDER.sub(HOLE, item.template),
                                 item.template_span or item.span, item.template))
        else:
            return None
    return values


def _principal_kinds(principal: JsonObject) -> dict[str, list[str]] | None:
    """The principals as written, by kind ("AWS", "Service", "SAML", "OIDC": the key, and for
    a federated principal the form of its value, which deploy-time parts leave known); None
    when one is not known at all (`!Ref`), has a wildcard, is a federated value of no known
    form or is a canonical user (no role-assumption action is for it): then no rule is
    certain."""
    kinds: dict[str, list[str]] = {}
    for member in principal.members:
        key = member.key.value
        if key not in ("AWS", "Service", "Federated", "CanonicalUser"):
            continue
        values = _values(member.value)
        if key == "CanonicalUser" or values is None:
            return None
        for value in values:
            text = value.text
            if "*" in text or "?" in text:
                return None
            kind = key
            if key == "Federated":
                if _SAML_PROVIDER.fullmatch(text):
                    kind = "SAML"
                elif oidc_provider(text) is not None:
                    kind = "OIDC"
                else:
                    return None
            kinds.setdefault(kind, []).append(value.shown)
    return kinds


def _mismatched_actions(statement: Statement, kinds: dict[str, list[str]]
                        ) -> Iterator[Finding]:
    if not kinds:
        return
    named = {action.value.lower() for action, _ in strings_in(statement.value("Action"))}
    for node, _ in strings_in(statement.value("Action")):
        action = _ACTIONS.get(node.value.lower())
        if action is None or _USED_BY[action] & kinds.keys():
            continue
        principals = ", ".join(f'"{value}"' for values in kinds.values() for value in values)
        # The action the principals need, when they all need the same one and the statement
        # does not already name it.
        needed = {other for other, users in _USED_BY.items() if users & kinds.keys()}
        fixes: tuple[Fix, ...] = ()
        if len(needed) == 1 and kinds.keys() <= {"SAML", "OIDC"}:
            (right,) = needed
            if right.lower() not in named:
                fixes = (replace_fix(f'Change to "{right}"', node.content_span(), right),)
        yield Finding(
            "MISMATCHED_ACTION_FOR_PRINCIPAL",
            f'"{node.value}" cannot be used by {principals}: a SAML provider assumes a role '
            f'with "{WITH_SAML}" and an OIDC provider with "{WITH_WEB_IDENTITY}" (both as '
            f'"Federated" principals); accounts, roles and services use "{ASSUME_ROLE}"',
            node.content_span(), fixes,
            translations={"ko": f'{principals}은(는) "{node.value}"을(를) 쓸 수 없습니다. '
                                f'SAML 공급자는 "{WITH_SAML}", OIDC 공급자는 '
                                f'"{WITH_WEB_IDENTITY}"로 역할을 맡으며(둘 다 "Federated" '
                                '보안 주체), 계정, 역할, 서비스는 '
                                f'"{ASSUME_ROLE}"을(를) 씁니다.'})


def _unconditioned_oidc(statement: Statement, principal: JsonObject) -> Iterator[Finding]:
    condition = statement.value("Condition")
    keys: list[str] = []
    if condition is not None:
        if not isinstance(condition, JsonObject):
            return
        for block in condition.members:
            if not isinstance(block.value, JsonObject):
                return  # unknown or malformed: not ours to judge
            keys.extend(member.key.value.lower() for member in block.value.members)
    for value in _values(principal.value_of("Federated")) or ():
        provider = oidc_provider(value.text)
        if provider is None or HOLE in provider or "*" in provider:
            continue
        if any(key.startswith(provider.lower() + ":") for key in keys):
            if provider.lower() == GITHUB and f"{GITHUB}:sub" not in keys:
                yield _missing_github_repository(value)
            continue
        yield Finding(
            "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL",
            f'The statement trusts the OIDC provider "{provider}" with no condition on its '
            f'keys: any token it issues could assume the role. Add a condition on "{provider}'
            ':aud" or ":sub" (for GitHub, the repository and branch in '
            '"token.actions.githubusercontent.com:sub")', value.span,
            translations={"ko": f'문이 OIDC 공급자 "{provider}"을(를) 그 키에 대한 조건 없이 '
                                "신뢰합니다. 공급자가 발급한 어떤 토큰으로도 역할을 맡을 수 "
                                f'있습니다. "{provider}:aud" 또는 ":sub" 조건을 추가하세요'
                                '(GitHub라면 "token.actions.githubusercontent.com:sub"에 '
                                "저장소와 브랜치를 지정)."})


def _missing_github_repository(value: _Value) -> Finding:
    key = f"{GITHUB}:sub"
    return Finding(
        "MISSING_GITHUB_REPO_CONDITION_KEY",
        f'The statement trusts GitHub\'s OIDC provider without a condition on "{key}": '
        "workflows of any GitHub repository, outside your organization too, could assume the "
        f'role. Add "{key}" with the repository and branch (for example '
        '"repo:example-org/example-repo:ref:refs/heads/main")', value.span,
        translations={"ko": f'문이 GitHub OIDC 공급자를 "{key}" 조건 없이 신뢰합니다. 조직 '
                            "밖을 포함한 모든 GitHub 저장소의 워크플로가 역할을 맡을 수 "
                            f'있습니다. "{key}"에 저장소와 브랜치를 지정하세요(예: '
                            '"repo:example-org/example-repo:ref:refs/heads/main").'})


def _invalid_federated(principal: JsonObject) -> Iterator[Finding]:
    federated = principal.value_of("Federated")
    items = federated.items if isinstance(federated, JsonArray) else [federated]
    # Each item on its own: one known not even in part (`!Ref`) leaves the others judged.
    values = [value for item in items for value in _values(item) or ()]
    for value in values:
        text = value.text
        if "*" in text or "?" in text or HOLE in text:
            # A wildcard, `"*"` too, is UNSUPPORTED_WILDCARD_IN_PRINCIPAL; a deploy-time part
            # may be anything.
            continue
        if _SAML_PROVIDER.fullmatch(text) or oidc_provider(text) is not None:
            continue
        yield Finding(
            "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY",
            f'"{value.shown}" is not a federated principal: write the domain name of a web '
            'identity provider ("accounts.google.com", "cognito-identity.amazonaws.com") or '
            "the ARN of an IAM identity provider "
            '("arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com", '
            '"arn:aws:iam::111122223333:saml-provider/ExampleIdP")', value.span,
            translations={"ko": f'"{value.shown}"은(는) 페더레이션 보안 주체 형식이 아닙니다. '
                                "웹 자격 증명 공급자의 도메인 이름"
                                '("accounts.google.com", "cognito-identity.amazonaws.com") '
                                "또는 IAM 자격 증명 공급자의 ARN"
                                '("arn:aws:iam::111122223333:oidc-provider/token.actions.'
                                'githubusercontent.com", '
                                '"arn:aws:iam::111122223333:saml-provider/ExampleIdP")을 '
                                "쓰세요."})

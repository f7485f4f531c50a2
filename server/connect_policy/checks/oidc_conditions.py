"""How a role's trust policy conditions an OIDC provider's tokens, as IAM Access Analyzer
checks it:
- SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED: an Allow statement that matches GitHub's
  `token.actions.githubusercontent.com:sub` with a wildcard in place of the repository
  (`repo:example-org/*`, `repo:*`, `*`): workflows of repositories outside the one meant, of
  other organizations too for `repo:*`, could assume the role. A wildcard after the
  repository (`repo:example-org/app:*`, any branch, tag or environment of one repository, as
  GitHub's own example writes it) is left alone, as is a subject of a customized format (one
  that does not start with `repo:`, unless the wildcard stands for that prefix itself).
- CONFIRM_AUDIENCE_CLAIM_TYPE: a provider's audience key (`accounts.google.com:aud`) under a
  set qualifier (`ForAnyValue:`, `ForAllValues:`). A qualifier is right only for a
  multivalued claim, and the audience of the common providers (GitHub, Cognito, Google) is a
  single value: the user should confirm which their provider issues.
Only a string operator that takes wildcards matches them (`StringLike`); `StringEquals` reads
`*` as itself, and a negated operator narrows what it matches.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog.operators import parse_operator
from ..document.policy import PolicyType, Statement, strings_in
from ..document.syntax import JsonMember, JsonObject, JsonString
from ..findings import Finding
from .context import CheckContext
from .federation import GITHUB

_GITHUB_SUBJECT = f"{GITHUB}:sub"
_REPOSITORY_PREFIX = "repo:"


def check(context: CheckContext) -> Iterator[Finding]:
    for statement in context.policy.statements:
        yield from check_statement(context, statement)


def check_statement(context: CheckContext, statement: Statement) -> Iterator[Finding]:
    if context.policy_type is not PolicyType.TRUST:
        return
    condition = statement.value("Condition")
    if not isinstance(condition, JsonObject):
        return
    effect = statement.value("Effect")
    allows = isinstance(effect, JsonString) and effect.value == "Allow"
    for block in condition.members:
        parsed = parse_operator(block.key.value)
        if parsed is None or not isinstance(block.value, JsonObject):
            continue
        matches_wildcards = (parsed.operator.type == "String"
                             and parsed.operator.supports_wildcards
                             and not parsed.operator.negated)
        for member in block.value.members:
            key = member.key.value.lower()
            if key == _GITHUB_SUBJECT and allows and matches_wildcards:
                yield from _broad_subjects(member)
            if parsed.qualifier is not None and _is_audience_key(key):
                yield _audience(member, parsed.qualifier)


def _is_audience_key(key: str) -> bool:
    """An OIDC provider's `aud` key: the provider is a domain (with a path, for some)."""
    provider, _, claim = key.rpartition(":")
    return claim == "aud" and "." in provider.split("/")[0] and ":" not in provider


def covers_other_repositories(subject: str) -> bool:
    """Whether a `sub` pattern has a wildcard where the repository is named."""
    wildcard = min((i for i in (subject.find("*"), subject.find("?")) if i >= 0), default=-1)
    if wildcard < 0:
        return False
    if subject.startswith(_REPOSITORY_PREFIX):
        # `repo:OWNER/NAME:…`: the repository runs to the next colon.
        end = subject.find(":", len(_REPOSITORY_PREFIX))
        return end < 0 or wildcard < end
    # The wildcard stands for (part of) the `repo:` prefix itself: any repository.
    return _REPOSITORY_PREFIX.startswith(subject[:wildcard])


def _broad_subjects(member: JsonMember) -> Iterator[Finding]:
    for node, _ in strings_in(member.value):
        if not covers_other_repositories(node.value):
            continue
        yield Finding(
            "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED",
            f'"{node.value}": the wildcard in "{_GITHUB_SUBJECT}" stands for the repository, '
            "so workflows of other repositories, maybe outside your control, could assume the "
            "role. Name the repository and branch (for example "
            '"repo:example-org/example-repo:ref:refs/heads/main")', node.content_span(),
            translations={"ko": f'"{node.value}": "{_GITHUB_SUBJECT}"의 와일드카드가 저장소 '
                                "자리에 있어, 통제 밖의 다른 저장소 워크플로도 역할을 맡을 수 "
                                "있습니다. 저장소와 브랜치를 지정하세요(예: "
                                '"repo:example-org/example-repo:ref:refs/heads/main").'})


def _audience(member: JsonMember, qualifier: str) -> Finding:
    key = member.key.value
    return Finding(
        "CONFIRM_AUDIENCE_CLAIM_TYPE",
        f'"{key}" is tested with "{qualifier}:", which is for a multivalued claim. Confirm '
        "that your provider issues several audiences in a token; if it issues one (as GitHub, "
        f'Cognito and Google do), remove "{qualifier}:"', member.key.content_span(),
        translations={"ko": f'"{key}"을(를) 다중 값 클레임용인 "{qualifier}:"로 검사합니다. '
                            "공급자가 토큰에 여러 대상(audience)을 넣는지 확인하세요. 하나만 "
                            "넣는다면(GitHub, Cognito, Google처럼) "
                            f'"{qualifier}:"을(를) 지우세요.'})

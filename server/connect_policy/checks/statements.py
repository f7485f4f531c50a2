"""Statement-level structure the schema cannot say well: MISSING_ACTION, MISSING_RESOURCE,
UNSUPPORTED_ELEMENT_COMBINATION, UNIQUE_SIDS_RECOMMENDED, the EMPTY_* suggestions, and keys
written twice in one object (DUPLICATE_KEYS_WITH_DIFFERENT_CASE, DUPLICATE_KEY).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..document.policy import PolicyType, Statement
from ..document.syntax import JsonArray, JsonMember, JsonObject, JsonString, JsonValue
from ..document.text import Span
from ..findings import Finding
from .context import CheckContext

_PAIRS = (("Action", "NotAction"), ("Resource", "NotResource"), ("Principal", "NotPrincipal"))
_EMPTY_ARRAY_CODES = {"Action": "EMPTY_ARRAY_ACTION", "NotAction": "EMPTY_ARRAY_ACTION",
                      "Resource": "EMPTY_ARRAY_RESOURCE", "NotResource": "EMPTY_ARRAY_RESOURCE"}


def check(context: CheckContext) -> Iterator[Finding]:
    policy = context.policy
    sids: dict[str, JsonString] = {}
    for statement in policy.statements:
        yield from _required(statement, context.policy_type)
        yield from _combinations(statement)
        yield from _empties(statement)
        sid = statement.value("Sid")
        if isinstance(sid, JsonString) and sid.value:
            first = sids.get(sid.value)
            if first is None:
                sids[sid.value] = sid
            else:
                line = policy.parse.lines.line_of(first.start) + 1
                yield Finding(
                    "UNIQUE_SIDS_RECOMMENDED",
                    f'"Sid" "{sid.value}" is already used by the statement on line {line}: give '
                    "each statement its own ID", sid.span,
                    translations={"ko": f'"Sid" "{sid.value}"은(는) {line}번째 줄의 문에서 이미 '
                                        "쓰고 있습니다. 문마다 다른 ID를 쓰세요."})
    top = policy.root if policy.root is not None else policy.array
    if top is not None:
        yield from _duplicate_keys(top)
        for extra in policy.parse.extra_roots:
            yield from _duplicate_keys(extra)


def _opening(statement: Statement) -> Span:
    return Span(statement.node.start, statement.node.start + 1)


# Only an identity policy must name its resources (as Access Analyzer checks it): a role's
# trust policy names none (the role is the resource; `trust_policies` forbids one), some
# resource policies name none (an ECR repository's applies to the repository).
_NO_RESOURCE_NEEDED = (PolicyType.RESOURCE, PolicyType.TRUST, PolicyType.SERVICE_CONTROL,
                       PolicyType.RESOURCE_CONTROL, PolicyType.UNKNOWN)


def _required(statement: Statement, policy_type: PolicyType | None) -> Iterator[Finding]:
    if statement.member("Action") is None and statement.member("NotAction") is None:
        yield Finding("MISSING_ACTION", 'The statement has no "Action" (or "NotAction"): say '
                      "which actions it allows or denies", _opening(statement),
                      translations={"ko": '문에 "Action"(또는 "NotAction")이 없습니다. 허용하거나 '
                                          "거부할 작업을 지정하세요."})
    # A policy of unknown use (Terraform) may be a trust policy. Whether an SCP or RCP
    # statement needs one is left to Organizations, which validates it.
    if policy_type not in _NO_RESOURCE_NEEDED and statement.member(
            "Resource") is None and statement.member("NotResource") is None:
        yield Finding("MISSING_RESOURCE", 'The statement has no "Resource" (or "NotResource"): '
                      'an identity-based policy must name its resources ("Resource": "*" for '
                      "all)", _opening(statement),
                      translations={"ko": '문에 "Resource"(또는 "NotResource")가 없습니다. '
                                          "자격 증명 기반 정책은 리소스를 지정해야 합니다"
                                          '(모두라면 "Resource": "*").'})


def _combinations(statement: Statement) -> Iterator[Finding]:
    for first, second in _PAIRS:
        one, other = statement.member(first), statement.member(second)
        if one is not None and other is not None:
            later = other if other.key.start > one.key.start else one
            yield Finding(
                "UNSUPPORTED_ELEMENT_COMBINATION",
                f'A statement cannot have both "{first}" and "{second}": keep one',
                later.key.span,
                translations={"ko": f'한 문에 "{first}"와 "{second}"를 함께 쓸 수 없습니다. '
                                    "하나만 남기세요."})


def _empties(statement: Statement) -> Iterator[Finding]:
    for name, code in _EMPTY_ARRAY_CODES.items():
        value = statement.value(name)
        if isinstance(value, JsonArray) and not value.items and value.closed:
            yield Finding(code, f'"{name}" is an empty array, so this statement applies to '
                          "nothing: list what it is for, or remove the statement", value.span,
                          translations={"ko": f'"{name}"이(가) 빈 배열이라 이 문은 아무것에도 '
                                              "적용되지 않습니다. 대상을 쓰거나 문을 지우세요."})
    for name in ("Principal", "NotPrincipal"):
        value = statement.value(name)
        if isinstance(value, JsonObject) and not value.members and value.closed:
            yield Finding("EMPTY_OBJECT_PRINCIPAL", f'"{name}" is an empty object: name a '
                          "principal or remove the element", value.span,
                          translations={"ko": f'"{name}"이(가) 빈 객체입니다. 보안 주체를 쓰거나 '
                                              "요소를 지우세요."})
        elif isinstance(value, JsonObject):
            for member in value.members:
                if isinstance(member.value, JsonArray) and not member.value.items:
                    yield Finding("EMPTY_ARRAY_PRINCIPAL", f'"{member.key.value}" in "{name}" '
                                  "is an empty array: name a principal or remove it",
                                  member.value.span,
                                  translations={"ko": f'"{name}"의 "{member.key.value}"이(가) '
                                                      "빈 배열입니다."})
    sid = statement.value("Sid")
    if isinstance(sid, JsonString) and sid.value == "" and sid.terminated:
        yield Finding("EMPTY_SID_VALUE", '"Sid" is empty: give the statement an ID or remove '
                      "the element", sid.span,
                      translations={"ko": '"Sid"가 비어 있습니다. ID를 쓰거나 요소를 지우세요.'})


def _duplicate_keys(node: JsonValue | None) -> Iterator[Finding]:
    """Keys written twice in one object, anywhere in the document."""
    if isinstance(node, JsonObject):
        seen: dict[str, JsonMember] = {}
        for member in node.members:
            key = member.key.value
            first = seen.get(key.lower())
            if first is None:
                seen[key.lower()] = member
            elif first.key.value == key:
                yield Finding("DUPLICATE_KEY", f'"{key}" appears twice in this object; only the '
                              "last one counts: merge them into one", member.key.span,
                              translations={"ko": f'"{key}"이(가) 한 객체에 두 번 있습니다. 마지막 '
                                                  "것만 적용되니 하나로 합치세요."})
            else:
                yield Finding("DUPLICATE_KEYS_WITH_DIFFERENT_CASE",
                              f'"{key}" and "{first.key.value}" differ only in case; IAM keys '
                              "must be unique: merge them into one", member.key.span,
                              translations={"ko": f'"{key}"와 "{first.key.value}"는 대소문자만 '
                                                  "다릅니다. 하나로 합치세요."})
            yield from _duplicate_keys(member.value)
    elif isinstance(node, JsonArray):
        for item in node.items:
            yield from _duplicate_keys(item)

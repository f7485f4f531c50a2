"""Hover on the values and names hover.py leaves out: `Effect`, `Version` and `Sid` values,
condition operators (with the pitfalls of `ForAllValues:`/`ForAnyValue:` and `IfExists`), and
resource ARNs (the catalog resource type an ARN names, and which of the statement's actions
take it). English and Korean.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..catalog.operators import ParsedOperator, parse_operator
from ..catalog.services import Action, ServiceCatalog
from ..checks.arns import (
    ArnFields,
    ArnFormat,
    arn_matches_format,
    has_wildcard,
    namespace_types,
    parse_formats,
    split_arn,
)
from ..checks.conditions import KeyInfo, resolve_key
from ..document.policy import strings_in
from ..document.syntax import JsonArray, JsonObject, JsonString, JsonValue, string_values
from ..document.text import Span


@dataclass(frozen=True, slots=True)
class ElementHover:
    markdown: str
    span: Span


def element_hover(node: JsonString, path: tuple[str | int, ...], is_key: bool,
                  statement: JsonObject | None, root: JsonValue | None, lang: str,
                  catalog: ServiceCatalog) -> ElementHover | None:
    """Hover on `node` (a value, or a key when `is_key`) at `path`, or None."""
    strings = [s for s in path if isinstance(s, str)]
    element = strings[-1] if strings else ""
    ko = lang == "ko"
    markdown: str | None = None
    if is_key and len(strings) >= 2 and strings[-2] == "Condition":
        markdown = _operator(node.value, statement, ko, catalog)
    elif is_key or "Condition" in strings or "Principal" in strings:
        return None
    elif element == "Effect":
        markdown = _effect(node.value, ko)
    elif path == ("Version",):
        markdown = _version(node.value, root, ko)
    elif element == "Sid":
        markdown = _sid(node.value, root, ko)
    elif element in ("Resource", "NotResource"):
        markdown = _resource(node.value, element, statement, ko, catalog)
    return ElementHover(markdown, node.content_span()) if markdown else None


# --- Effect ----------------------------------------------------------------------------------

def _effect(value: str, ko: bool) -> str:
    if value == "Allow":
        return ("**Allow**: 이 문의 작업을 리소스에 대해 허용합니다(조건이 있으면 조건이 참일 때). "
                "요청은 어떤 문이 허용하고 어떤 문도 거부하지 않을 때만 허용됩니다. 이 정책이나 "
                "다른 정책(SCP, 권한 경계, 리소스 정책)의 명시적 Deny가 항상 이깁니다."
                if ko else
                "**Allow**: grants the statement's actions on its resources (when its "
                "conditions hold). A request is allowed only when some statement allows it and "
                "none denies it: an explicit Deny always wins, in this policy or in any other "
                "that applies (SCPs, permissions boundaries, resource policies).")
    if value == "Deny":
        return ("**Deny**: 이 문의 작업을 리소스에 대해 명시적으로 거부합니다. 명시적 Deny는 "
                "어느 정책의 Allow보다도 우선하므로(Deny 우선), 다른 곳에서 허용해도 막을 수 "
                "있는 가드레일로 씁니다. 요청은 기본적으로 거부되므로 Deny가 권한을 주지는 "
                "않습니다."
                if ko else
                "**Deny**: explicitly refuses the statement's actions on its resources. An "
                "explicit Deny overrides every Allow of any policy (Deny wins), so it works as a "
                "guardrail whatever else allows; it grants nothing, since requests are denied "
                "by default.")
    return (f"**{value}**은(는) Effect 값이 아닙니다: 대소문자까지 정확히 `Allow` 또는 `Deny`로 "
            "쓰세요." if ko else
            f"**{value}** is not an Effect: write exactly `Allow` or `Deny` (case matters).")


# --- Version ---------------------------------------------------------------------------------

def _version(value: str, root: JsonValue | None, ko: bool) -> str:
    variables = sum(s.count("${") for s in string_values(root))
    if value == "2012-10-17":
        return ("**2012-10-17**: 현재 정책 언어 버전입니다. `${aws:username}` 같은 정책 변수가 "
                "요청 값으로 치환됩니다." if ko else
                "**2012-10-17**: the current policy language version. Policy variables such as "
                "`${aws:username}` are replaced by the request's values.")
    if value == "2008-10-17":
        text = ("**2008-10-17**: 예전 정책 언어 버전입니다. 정책 변수(`${…}`)를 지원하지 않아 "
                "글자 그대로 비교됩니다. `2012-10-17`을 쓰세요." if ko else
                "**2008-10-17**: the old policy language version. It does not support policy "
                "variables: `${…}` is compared as literal text. Use `2012-10-17`.")
        if variables:
            text += (f"\n\n⚠ 이 정책에는 정책 변수가 {variables}개 있으며 치환되지 않습니다."
                     if ko else
                     f"\n\n⚠ This policy has {variables} policy variables, which stay literal.")
        return text
    return (f"**{value}**은(는) 정책 언어 버전이 아닙니다: `2012-10-17`(현재) 또는 "
            "`2008-10-17`(예전)만 있습니다." if ko else
            f"**{value}** is not a policy language version: there are only `2012-10-17` "
            "(current) and `2008-10-17` (old).")


# --- Sid -------------------------------------------------------------------------------------

def _sid(value: str, root: JsonValue | None, ko: bool) -> str:
    lines = [("**Sid** (문 ID): 문을 구분하는 선택적 이름입니다. 정책 안에서 고유해야 하며, IAM "
              "정책에서는 ASCII 영문자(A-Z, a-z)와 숫자(0-9)만 쓸 수 있습니다. 권한에는 영향이 "
              "없습니다." if ko else
              "**Sid** (statement ID): an optional label for the statement. It must be unique "
              "within the policy, and IAM policies accept only ASCII letters (A-Z, a-z) and "
              "digits (0-9) in it. It does not change what the statement grants.")]
    same = sum(1 for sid in _sids(root) if sid == value)
    if same > 1:
        lines.append(f"⚠ 이 정책에서 `{value}`가 {same}번 쓰였습니다: Sid는 고유해야 합니다."
                     if ko else
                     f"⚠ `{value}` is used {same} times in this policy: a Sid must be unique.")
    if value and not (value.isascii() and value.isalnum()):
        lines.append("⚠ ASCII 영문자와 숫자가 아닌 문자가 있습니다(IAM은 거부합니다)." if ko else
                     "⚠ It has characters other than ASCII letters and digits (IAM rejects "
                     "them).")
    return "\n\n".join(lines)


def _sids(root: JsonValue | None) -> Iterator[str]:
    statements = root.value_of("Statement") if isinstance(root, JsonObject) else None
    items = statements.items if isinstance(statements, JsonArray) else [statements]
    for statement in items:
        if isinstance(statement, JsonObject):
            sid = statement.value_of("Sid")
            if isinstance(sid, JsonString):
                yield sid.value


# --- Condition operators ---------------------------------------------------------------------

_OPERATORS_KO = {
    "StringEquals": "키 값이 주어진 문자열 중 하나와 정확히 같으면 참입니다. 대소문자를 "
                    "구분합니다.",
    "StringNotEquals": "키 값이 주어진 문자열 중 어느 것과도 같지 않으면 참입니다(대소문자 구분).",
    "StringEqualsIgnoreCase": "StringEquals와 같지만 대소문자를 구분하지 않습니다.",
    "StringNotEqualsIgnoreCase": "대소문자를 무시하고 주어진 문자열 중 어느 것과도 같지 않으면 "
                                 "참입니다.",
    "StringLike": "대소문자를 구분하는 패턴 비교입니다. `*`는 임의의 문자열, `?`는 한 글자이며 "
                  "값 어디에나 쓸 수 있습니다.",
    "StringNotLike": "키 값이 주어진 `*`/`?` 패턴 중 어느 것과도 맞지 않으면 참입니다(대소문자 "
                     "구분).",
    "NumericEquals": "숫자가 주어진 값 중 하나와 같으면 참입니다.",
    "NumericNotEquals": "숫자가 주어진 값 중 어느 것과도 같지 않으면 참입니다.",
    "NumericLessThan": "숫자가 주어진 값보다 작으면 참입니다.",
    "NumericLessThanEquals": "숫자가 주어진 값보다 작거나 같으면 참입니다.",
    "NumericGreaterThan": "숫자가 주어진 값보다 크면 참입니다.",
    "NumericGreaterThanEquals": "숫자가 주어진 값보다 크거나 같으면 참입니다.",
    "DateEquals": "날짜/시간이 주어진 ISO 8601 또는 epoch 값과 같으면 참입니다.",
    "DateNotEquals": "날짜/시간이 주어진 모든 값과 다르면 참입니다.",
    "DateLessThan": "날짜/시간이 주어진 시각보다 앞이면 참입니다.",
    "DateLessThanEquals": "날짜/시간이 주어진 시각과 같거나 앞이면 참입니다.",
    "DateGreaterThan": "날짜/시간이 주어진 시각보다 뒤면 참입니다.",
    "DateGreaterThanEquals": "날짜/시간이 주어진 시각과 같거나 뒤면 참입니다.",
    "Bool": "키를 `true` 또는 `false`와 비교합니다.",
    "BinaryEquals": "키를 base64로 인코딩된 바이너리 값과 바이트 단위로 비교합니다.",
    "IpAddress": "주소가 주어진 IPv4/IPv6 CIDR 범위 중 하나에 들어 있으면 참입니다(주소만 쓰면 "
                 "/32).",
    "NotIpAddress": "주소가 주어진 모든 CIDR 범위 밖에 있으면 참입니다.",
    "ArnEquals": "ARN을 여섯 부분별로 대소문자를 구분해 비교하며 각 부분에 `*`와 `?`를 쓸 수 "
                 "있습니다. ArnLike와 똑같이 동작합니다.",
    "ArnLike": "ARN을 부분별로 `*`와 `?` 와일드카드로 대소문자를 구분해 비교합니다. ArnEquals와 "
               "똑같이 동작합니다.",
    "ArnNotEquals": "ARN이 주어진 ARN 패턴 중 어느 것과도 맞지 않으면 참입니다. ArnNotLike와 "
                    "똑같이 동작합니다.",
    "ArnNotLike": "ARN이 주어진 ARN 패턴(`*`, `?` 허용) 중 어느 것과도 맞지 않으면 참입니다. "
                  "ArnNotEquals와 똑같이 동작합니다.",
    "Null": "키가 없는지 확인합니다: `true`는 키가 없어야(null) 하고, `false`는 값과 함께 있어야 "
            "함을 뜻합니다.",
}


def _operator(spelling: str, statement: JsonObject | None, ko: bool,
              catalog: ServiceCatalog) -> str | None:
    parsed = parse_operator(spelling)
    if parsed is None:
        return None
    op = parsed.operator
    description = _OPERATORS_KO.get(op.name, op.description) if ko else op.description
    lines = [f"**{parsed.canonical}** ({op.type})", "", description]
    if parsed.if_exists:
        lines += ["", "`IfExists`: 요청에 이 키가 없어도 참입니다. 키가 있으면 보통처럼 비교합니다."
                  if ko else
                  "`IfExists`: also true when the request has no such key; when it has one, "
                  "the comparison is made as usual."]
    keys = _block_keys(statement, spelling)
    infos = {key: info for key in keys
             if isinstance(info := resolve_key(catalog, key), KeyInfo)}
    if parsed.qualifier is not None:
        lines += ["", *_qualifier_notes(parsed, statement, ko)]
        single = [key for key, info in infos.items() if not info.multivalued]
        if single:
            names = ", ".join(f"`{k}`" for k in single)
            lines += ["", f"⚠ {names}: 단일 값 키입니다. 집합 연산자가 필요 없으니"
                      "(`ForAnyValue`는 불필요하고 `ForAllValues`는 키가 없을 때도 참이 됩니다) "
                      "한정자 없는 연산자를 쓰세요." if ko else
                      f"⚠ {names}: single-valued. A set operator is not for such keys "
                      "(`ForAnyValue` is unnecessary, `ForAllValues` is also true when the key "
                      "is missing): use the operator without it."]
    else:
        multi = [key for key, info in infos.items() if info.multivalued]
        if multi and op.type != "Null":
            names = ", ".join(f"`{k}`" for k in multi)
            lines += ["", f"⚠ {names}: 다중 값 키입니다. `ForAnyValue:` 또는 `ForAllValues:`로 "
                      "어떻게 비교할지 정하세요." if ko else
                      f"⚠ {names}: multivalued. Say how the set is compared with "
                      "`ForAnyValue:` or `ForAllValues:`."]
    return "\n".join(lines)


def _qualifier_notes(parsed: ParsedOperator, statement: JsonObject | None, ko: bool
                     ) -> list[str]:
    effect = statement.value_of("Effect") if statement is not None else None
    allow = isinstance(effect, JsonString) and effect.value == "Allow"
    if parsed.qualifier == "ForAnyValue":
        return ["`ForAnyValue:` 요청의 값 중 하나라도 조건 값과 맞으면 참입니다. 키가 없으면 "
                "거짓입니다. 다중 값 키(예: `aws:TagKeys`)용입니다." if ko else
                "`ForAnyValue:` true when at least one of the request's values matches; false "
                "when the key is missing. Meant for multivalued keys (such as `aws:TagKeys`)."]
    notes = ["`ForAllValues:` 요청의 모든 값이 조건 값 중 하나와 맞으면 참이며, 키가 없거나 값이 "
             "비어 있어도 참입니다. 키가 있어야 한다면 `Null` 조건(`\"키\": \"false\"`)을 "
             "함께 쓰세요." if ko else
             "`ForAllValues:` true when every value of the request matches one of the "
             "condition's values, and also when the key is missing or empty. Pair it with a "
             "`Null` condition (`\"key\": \"false\"`) when the key must be present."]
    if allow:
        notes += ["", "⚠ 이 문은 Allow입니다: 요청에 키가 없어도 조건이 참이 되어 허용됩니다."
                  if ko else
                  "⚠ This statement is an Allow: it also allows requests that do not have the "
                  "key at all."]
    return notes


def _block_keys(statement: JsonObject | None, spelling: str) -> list[str]:
    condition = statement.value_of("Condition") if statement is not None else None
    block = condition.value_of(spelling) if isinstance(condition, JsonObject) else None
    return [m.key.value for m in block.members] if isinstance(block, JsonObject) else []


# --- Resource ARNs ---------------------------------------------------------------------------

_SHOWN = 10
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")


def _resource(value: str, element: str, statement: JsonObject | None, ko: bool,
              catalog: ServiceCatalog) -> str | None:
    actions = _statement_actions(statement, catalog)
    if value == "*":
        text = ("**\\***: 이 문의 작업이 적용되는 모든 리소스입니다. 가능하면 ARN을 지정하세요"
                "(최소 권한)." if ko else
                "**\\***: every resource the statement's actions apply to. Name ARNs when the "
                "job allows it (least privilege).")
        if element == "NotResource":
            text = ("**NotResource: \\***: 어떤 리소스도 남지 않아 이 문은 아무 것에도 적용되지 "
                    "않습니다." if ko else
                    "**NotResource: \\***: leaves no resource, so the statement applies to "
                    "nothing.")
        return text
    if not value.startswith("arn:"):
        return None
    arn = split_arn(value)
    if not arn.complete:
        return None
    namespace = arn.field(2).lower()
    candidates = namespace_types(catalog, namespace)
    # Without wildcards, an ID names one path segment: `instance/a/queue/b` is a queue, not
    # an instance (whose `${InstanceId}` the catalog's looser matching lets run past `/`).
    strict = not has_wildcard(arn.field(5)) and [
        (fmt, name) for fmt, name in candidates if _names(arn, fmt)]
    matching = strict or [(fmt, name) for fmt, name in candidates
                          if arn_matches_format(arn, fmt)]
    # The types the statement's actions take first: with wildcards an ARN covers dozens.
    taken = {r.name.lower() for action in actions for r in action.resource_types}
    matched = sorted(((fmt.arn, name) for fmt, name in matching),
                     key=lambda pair: pair[1].lower() not in taken)
    title = f"`{value}`"
    lines = [title, ""]
    if element == "NotResource":
        lines += ["NotResource: 이 문은 이 ARN과 일치하는 리소스를 뺀 모든 리소스에 적용됩니다."
                  if ko else "NotResource: the statement applies to every resource except "
                  "those this ARN matches.", ""]
    if has_wildcard(arn.field(2)):
        lines.append("서비스 부분이 와일드카드라 어느 서비스의 리소스든 가리킬 수 있습니다." if ko
                     else "Its service part is a wildcard: it may name resources of any "
                     "service.")
    elif matched:
        lines.append("일치하는 리소스 유형:" if ko else "Resource types it matches:")
        lines += [f"- **{name}** — `{fmt}`" for fmt, name in matched[:_SHOWN]]
        if len(matched) > _SHOWN:
            lines.append(f"- … (+{len(matched) - _SHOWN})")
    else:
        lines.append(f"`{namespace}`의 어떤 리소스 유형과도 일치하지 않습니다." if ko else
                     f"It matches no resource type of `{namespace}` in the catalog.")
    if actions:
        takes, others, unscoped = _split_actions(
            arn, actions, catalog, [fmt for fmt, _ in strict] if strict else None)
        lines += ["", *_listing("이 리소스 유형을 받는 작업" if ko else
                                "The statement's actions that take it", takes)]
        lines += ["", *_listing("다른 리소스 유형만 받는 작업" if ko else
                                "Actions that take other resource types only", others)]
        if unscoped:
            lines += ["", *_listing("리소스 수준 권한이 없는 작업(`\"Resource\": \"*\"` 필요)"
                                    if ko else "Actions without resource-level permissions "
                                    "(they need `\"Resource\": \"*\"`)", unscoped)]
    return "\n".join(lines)


def _listing(title: str, names: Sequence[str]) -> list[str]:
    shown = ", ".join(f"`{n}`" for n in names[:_SHOWN])
    more = f" … (+{len(names) - _SHOWN})" if len(names) > _SHOWN else ""
    return [f"{title}: {shown}{more}" if names else f"{title}: —"]


def _statement_actions(statement: JsonObject | None, catalog: ServiceCatalog) -> list[Action]:
    if statement is None:
        return []
    return catalog.named_actions(node.value for node, _ in strings_in(statement.value_of("Action")))


def _names(arn: ArnFields, fmt: ArnFormat) -> bool:
    """Whether an ARN without wildcards in its resource part names a resource of `fmt`, each
    ID within one path segment."""
    return (fmt.namespace == arn.field(2).lower() and arn_matches_format(arn, fmt)
            and _segment_regex(fmt.resource).fullmatch(arn.field(5)) is not None)


@lru_cache(maxsize=4096)
def _segment_regex(resource: str) -> re.Pattern[str]:
    pieces = _PLACEHOLDER.split(resource)  # odd pieces are placeholders
    body = "".join(re.escape(p) if i % 2 == 0 else "[^/]+" for i, p in enumerate(pieces))
    return re.compile(body, re.IGNORECASE)


def _split_actions(arn: ArnFields, actions: Sequence[Action], catalog: ServiceCatalog,
                   named: list[ArnFormat] | None) -> tuple[list[str], list[str], list[str]]:
    """The actions that take a resource type the ARN matches (one of `named` when given),
    those that take other types only, and those that take no resource type."""
    takes: list[str] = []
    others: list[str] = []
    unscoped: list[str] = []
    for action in actions:
        service = catalog.service(action.service)
        if not action.resource_types or service is None:
            unscoped.append(action.qualified_name)
            continue
        formats = [fmt for resource in action.resource_types
                   if (rt := service.resource_types.get(resource.name.lower())) is not None
                   for fmt in parse_formats(rt.arn)]
        if any(fmt in named if named is not None else arn_matches_format(arn, fmt)
               for fmt in formats):
            takes.append(action.qualified_name)
        else:
            others.append(action.qualified_name)
    return takes, others, unscoped

"""Condition values and policy variables, as IAM Access Analyzer checks them.

Values: EMPTY_ARRAY_CONDITION (and its _FORALLVALUES, _FORANYVALUE and _IFEXISTS variants),
INVALID_CONDITION_MULTIPLE_BOOLEAN, TYPE_MISMATCH_BOOLEAN / _DATE / _IP_RANGE / _NUMBER /
_STRING (a value the operator cannot read), INVALID_DATE_VALUE, EQUIVALENT_TO_NULL_FALSE,
PRIVATE_IP_ADDRESS and PRIVATE_NOTIPADDRESS (with their _SUBSET suggestions).
Variables, in condition values and in `Resource`/`NotResource`: MISSING_BRACE_IN_VARIABLE,
EMPTY_VARIABLE, UNSUPPORTED_SPACE_IN_VARIABLE, MISSING_QUOTE_IN_VARIABLE,
INVALID_VARIABLE_FOR_OPERATOR and VARIABLE_UNSUPPORTED_IN_VERSION.

EQUIVALENT_TO_NULL_FALSE follows Access Analyzer on AWS managed policies: `StringLike` whose
only value is `*` (a string or a one-element array) matches whenever the key is present.
Policy variables: IAM substitutes them only under Version 2012-10-17; without a Version IAM uses
2008-10-17, where `${…}` is plain text. The operators that take variables are those the IAM
condition operators page marks (string, ARN and Bool).
"""

from __future__ import annotations

import calendar
import ipaddress
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..catalog.operators import ParsedOperator
from ..document.policy import DocumentKind, Policy
from ..document.syntax import JsonArray, JsonLiteral, JsonMember, JsonNumber, JsonObject, JsonString
from ..document.text import Span
from ..findings import Finding, Fix, TextEdit, replace_fix

if TYPE_CHECKING:
    from .conditions import KeyInfo

CURRENT_VERSION = "2012-10-17"
VALUE_CODES = frozenset({
    "EMPTY_ARRAY_CONDITION", "EMPTY_ARRAY_CONDITION_FORALLVALUES",
    "EMPTY_ARRAY_CONDITION_FORANYVALUE", "EMPTY_ARRAY_CONDITION_IFEXISTS",
    "INVALID_CONDITION_MULTIPLE_BOOLEAN", "TYPE_MISMATCH_BOOLEAN", "TYPE_MISMATCH_DATE",
    "TYPE_MISMATCH_IP_RANGE", "TYPE_MISMATCH_NUMBER", "TYPE_MISMATCH_STRING",
    "INVALID_DATE_VALUE", "EQUIVALENT_TO_NULL_FALSE", "PRIVATE_IP_ADDRESS",
    "PRIVATE_NOTIPADDRESS", "PRIVATE_IP_ADDRESS_SUBSET", "PRIVATE_NOTIPADDRESS_SUBSET",
    "MISSING_BRACE_IN_VARIABLE", "EMPTY_VARIABLE", "UNSUPPORTED_SPACE_IN_VARIABLE",
    "MISSING_QUOTE_IN_VARIABLE", "INVALID_VARIABLE_FOR_OPERATOR",
    "VARIABLE_UNSUPPORTED_IN_VERSION",
})
_Scalar = JsonString | JsonNumber | JsonLiteral


def _f(code: str, en: str, ko: str, span: Span, fixes: tuple[Fix, ...] = (),
       data: Mapping[str, object] | None = None) -> Finding:
    return Finding(code, en, span, fixes, dict(data or {}), translations={"ko": ko})


def _span(node: _Scalar) -> Span:
    return node.content_span() if isinstance(node, JsonString) and node.value else node.span


def _shown(node: _Scalar) -> str:
    if isinstance(node, JsonString):
        return node.value
    if isinstance(node, JsonNumber):
        return node.text
    return {True: "true", False: "false", None: "null"}[node.value]


# --- Policy variables ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VersionState:
    """Whether IAM substitutes policy variables in this document, and why not."""

    supported: bool
    version: JsonString | None = None  # the `Version` value, when it is 2008-10-17


def variables_supported(policy: Policy) -> VersionState:
    if policy.kind is not DocumentKind.POLICY or policy.root is None:
        return VersionState(True)  # a lone statement: MISSING_VERSION covers the wrapper
    member = policy.root.get("Version")
    if member is None:
        return VersionState(False)
    value = member.value
    if isinstance(value, JsonString) and value.value == "2008-10-17":
        return VersionState(False, value)
    return VersionState(True)  # 2012-10-17, or an invalid version reported elsewhere


def check_variables(node: JsonString, operator: ParsedOperator | None,
                    version: VersionState) -> Iterator[Finding]:
    """The `${…}` variables of one string: their syntax, the operator, the policy version."""
    text = node.value
    if "${" not in text:
        return
    good: list[tuple[int, int]] = []
    i = 0
    while (start := text.find("${", i)) != -1:
        close = text.find("}", start + 2)
        nested = text.find("${", start + 2)
        if close == -1 or (nested != -1 and nested < close):
            end = len(text) if close == -1 or nested == -1 else nested
            yield _f("MISSING_BRACE_IN_VARIABLE", f'The policy variable "{text[start:end]}" has '
                     'no closing "}": end it with "}"', f'정책 변수 "{text[start:end]}"에 닫는 '
                     '"}"가 없습니다. "}"로 끝내세요.', node.content_span(start, end))
            if close == -1:
                return
            i = nested
            continue
        i = close + 1
        whole = text[start:close + 1]
        inner = text[start + 2:close]
        span = node.content_span(start, close + 1)
        name, comma, default = inner.partition(",")
        if not inner.strip():
            yield _f("EMPTY_VARIABLE", f'"{whole}" is an empty policy variable: name a key, for '
                     'example "${aws:username}"', f'"{whole}"은(는) 빈 정책 변수입니다. '
                     '"${aws:username}"처럼 키 이름을 쓰세요.', span)
        elif any(ch.isspace() for ch in name):
            fixed = "${" + "".join(name.split()) + comma + default + "}"
            yield _f("UNSUPPORTED_SPACE_IN_VARIABLE", f'"{whole}" has a space in the variable '
                     f'name, which IAM does not allow: write "{fixed}"', f'"{whole}"의 변수 이름에 '
                     f'공백이 있습니다. IAM은 공백을 허용하지 않으므로 "{fixed}"(으)로 쓰세요.',
                     span, _fixes_in(node, start, close + 1, fixed))
        elif comma and not _quoted(default.strip()):
            bare = default.strip().strip("'")
            fixed = "${" + name + ", '" + bare + "'}"
            yield _f("MISSING_QUOTE_IN_VARIABLE", f'The default value in "{whole}" must be in '
                     f'single quotes: write "{fixed}"', f'"{whole}"의 기본값은 작은따옴표로 '
                     f'감싸야 합니다. "{fixed}"(으)로 쓰세요.', span,
                     _fixes_in(node, start, close + 1, fixed) if bare else ())
        else:
            good.append((start, close + 1))
    for start, end in good:
        whole = text[start:end]
        span = node.content_span(start, end)
        if operator is not None and not operator.operator.supports_policy_variables:
            yield _f("INVALID_VARIABLE_FOR_OPERATOR", f'"{operator.canonical}" does not take '
                     f'policy variables, so "{whole}" is compared as plain text: use a string, '
                     "ARN or Bool operator, or a literal value",
                     f'"{operator.canonical}"은(는) 정책 변수를 지원하지 않으므로 "{whole}"이(가) '
                     "그대로 문자열로 비교됩니다. 문자열·ARN·Bool 연산자를 쓰거나 값을 직접 "
                     "쓰세요.", span, (), {"operator": operator.canonical})
        if not version.supported:
            why = ("the policy's \"Version\" is 2008-10-17" if version.version is not None
                   else 'the policy has no "Version" (IAM then uses 2008-10-17)')
            why_ko = ('정책의 "Version"이 2008-10-17이라' if version.version is not None
                      else '정책에 "Version"이 없어(IAM은 2008-10-17로 처리)')
            fixes: tuple[Fix, ...] = ()
            if version.version is not None:
                fixes = (replace_fix(f'Change the Version to "{CURRENT_VERSION}"',
                                     version.version.span, f'"{CURRENT_VERSION}"'),)
            yield _f("VARIABLE_UNSUPPORTED_IN_VERSION", f'"{whole}" is not substituted because '
                     f"{why}: set \"Version\": \"{CURRENT_VERSION}\"",
                     f'{why_ko} "{whole}"이(가) 치환되지 않습니다. '
                     f"\"Version\": \"{CURRENT_VERSION}\"을(를) 쓰세요.", span, fixes)


def _quoted(text: str) -> bool:
    return len(text) >= 2 and text[0] == "'" and text[-1] == "'"


def _fixes_in(node: JsonString, start: int, end: int, new: str) -> tuple[Fix, ...]:
    if not node.verbatim:
        return ()
    escaped = json.dumps(new, ensure_ascii=False)[1:-1]
    return (replace_fix(f'Change to "{new}"', node.content_span(start, end), escaped),)


def has_variable(text: str) -> bool:
    start = text.find("${")
    return start != -1 and text.find("}", start) != -1


# --- Values ----------------------------------------------------------------------------------


def _scalars(value: object) -> list[_Scalar]:
    if isinstance(value, JsonString | JsonNumber | JsonLiteral):
        return [value]
    if isinstance(value, JsonArray):
        return [v for v in value.items if isinstance(v, JsonString | JsonNumber | JsonLiteral)]
    return []


def check_values(member: JsonMember, block: JsonMember, parsed: ParsedOperator,
                 info: KeyInfo | None, condition: JsonObject,
                 version: VersionState) -> Iterator[Finding]:
    value = member.value
    key = member.key.value
    op = parsed.operator
    if isinstance(value, JsonArray) and not value.items and value.closed:
        yield _empty_array(key, parsed, value.span)
        return
    scalars = _scalars(value)
    if (op.type == "Bool" and parsed.qualifier is None and isinstance(value, JsonArray)
            and len(scalars) > 1):
        yield _f("INVALID_CONDITION_MULTIPLE_BOOLEAN", f'"{key}" is given several Boolean '
                 'values, but a Boolean key has one: keep a single "true" or "false"',
                 f'"{key}"에 부울 값이 여러 개 있지만 부울 키의 값은 하나입니다. "true" 또는 '
                 '"false" 하나만 남기세요.', value.span, (), {"key": key})
    for node in scalars:
        if isinstance(node, JsonString) and "${" in node.value:
            yield from check_variables(node, parsed, version)
            if has_variable(node.value):
                continue  # its value is known only at evaluation time
        finding = _type_check(node, parsed, key)
        if finding is not None:
            yield finding
    yield from _null_false(member, block, parsed, scalars, condition)
    if op.type == "IPAddress" and parsed.qualifier is None and key.lower() == "aws:sourceip":
        yield from _private_ips(member, parsed, scalars)


_EMPTY_ARRAY = {
    "ForAllValues": ("EMPTY_ARRAY_CONDITION_FORALLVALUES", 'with "ForAllValues:" an empty list '
                     "matches only requests that carry no value for the key",
                     '"ForAllValues:"에서 빈 배열은 키 값이 없는 요청만 일치시킵니다'),
    "ForAnyValue": ("EMPTY_ARRAY_CONDITION_FORANYVALUE", 'with "ForAnyValue:" an empty list '
                    "never matches", '"ForAnyValue:"에서 빈 배열은 어떤 요청과도 일치하지 '
                    "않습니다"),
    "IfExists": ("EMPTY_ARRAY_CONDITION_IFEXISTS", 'with "…IfExists" an empty list matches '
                 "only requests without the key", '"…IfExists"에서 빈 배열은 키가 없는 요청만 '
                 "일치시킵니다"),
    "": ("EMPTY_ARRAY_CONDITION", "an empty list never matches",
         "빈 배열은 어떤 요청과도 일치하지 않습니다"),
}


def _empty_array(key: str, parsed: ParsedOperator, span: Span) -> Finding:
    which = parsed.qualifier or ("IfExists" if parsed.if_exists else "")
    code, why, why_ko = _EMPTY_ARRAY[which]
    return _f(code, f'"{key}" has no values: {why}; add the values to compare with, or remove '
              "the key", f'"{key}"에 값이 없습니다. {why_ko}. 비교할 값을 추가하거나 키를 '
              "지우세요.", span, (), {"key": key, "operator": parsed.canonical})


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\Z")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                   r"(?:Z|[+-]\d{2}(?::?\d{2})?)?)?\Z")
_DATE_BASIC = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(?:(\d{2})(?:\.\d+)?)?"
                         r"(?:Z|[+-]\d{2}(?:\d{2})?)?\Z")
_EPOCH = re.compile(r"\d+\Z")
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?\Z")


def _type_check(node: _Scalar, parsed: ParsedOperator, key: str) -> Finding | None:
    kind = parsed.operator.type
    name = parsed.canonical
    shown = _shown(node)
    text = node.value if isinstance(node, JsonString) else None
    data = {"key": key, "operator": name, "value": shown}
    if kind in ("Bool", "Null"):
        ok = (isinstance(node, JsonLiteral) and node.value is not None) or (
            text is not None and text.lower() in ("true", "false"))
        if not ok:
            return _f("TYPE_MISMATCH_BOOLEAN", f'"{shown}" is not a Boolean: "{name}" takes '
                      '"true" or "false"', f'"{shown}"은(는) 부울 값이 아닙니다. "{name}"에는 '
                      '"true" 또는 "false"를 쓰세요.', _span(node), (), data)
    elif kind == "Numeric":
        ok = (isinstance(node, JsonNumber) and node.value is not None) or (
            text is not None and bool(_NUMBER.match(text)))
        if not ok:
            return _f("TYPE_MISMATCH_NUMBER", f'"{shown}" is not a number, which "{name}" '
                      "needs", f'"{shown}"은(는) 숫자가 아닙니다. "{name}"에는 숫자를 쓰세요.',
                      _span(node), (), data)
    elif kind == "Date":
        return _date_check(node, text, name, data)
    elif kind == "IPAddress":
        if text is None or _network(text) is None:
            return _f("TYPE_MISMATCH_IP_RANGE", f'"{shown}" is not an IP address or CIDR range '
                      'such as "203.0.113.0/24" or "2001:db8::/32"',
                      f'"{shown}"은(는) IP 주소나 CIDR 범위가 아닙니다. "203.0.113.0/24"나 '
                      '"2001:db8::/32"처럼 쓰세요.', _span(node), (), data)
    elif kind == "Binary" and (text is None or not _BASE64.match(text)):
        return _f("TYPE_MISMATCH_STRING", f'"{shown}" is not base64: "{name}" compares '
                  "base64-encoded binary values", f'"{shown}"은(는) base64 값이 아닙니다. '
                  f'"{name}"은(는) base64로 인코딩한 이진 값을 비교합니다.', _span(node), (), data)
    return None


def _date_check(node: _Scalar, text: str | None, name: str,
                data: Mapping[str, object]) -> Finding | None:
    if isinstance(node, JsonNumber) and node.value is not None:
        return None
    shown = _shown(node)
    match = (_DATE.match(text) or _DATE_BASIC.match(text)) if text is not None else None
    if text is not None and match is None and _EPOCH.match(text):
        return None
    if match is None:
        return _f("TYPE_MISMATCH_DATE", f'"{shown}" is not a date: "{name}" takes an ISO 8601 '
                  'date-time such as "2026-01-31T23:59:59Z", or seconds since the epoch',
                  f'"{shown}"은(는) 날짜가 아닙니다. "{name}"에는 "2026-01-31T23:59:59Z" 같은 '
                  "ISO 8601 날짜-시간이나 epoch 초를 쓰세요.", _span(node), (), data)
    year, month, day = (int(g) for g in match.groups()[:3])
    hour, minute, second = (int(g) if g else 0 for g in match.groups()[3:6])
    valid = (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
             and hour < 24 and minute < 60 and second < 61)
    if valid:
        return None
    return _f("INVALID_DATE_VALUE", f'"{shown}" is not a real date or time: check the month, '
              "day and time", f'"{shown}"은(는) 존재하지 않는 날짜나 시간입니다. 월, 일, 시간을 '
              "확인하세요.", _span(node), (), data)


def _null_false(member: JsonMember, block: JsonMember, parsed: ParsedOperator,
                scalars: list[_Scalar], condition: JsonObject) -> Iterator[Finding]:
    """`StringLike` with `*` as its only value: true exactly when the key is present."""
    if (parsed.operator.name != "StringLike" or parsed.if_exists
            or parsed.qualifier not in (None, "ForAnyValue") or not scalars
            or not all(isinstance(n, JsonString) and n.value == "*" for n in scalars)):
        return
    key = member.key.value
    fixes: tuple[Fix, ...] = ()
    if (isinstance(block.value, JsonObject) and len(block.value.members) == 1
            and condition.get("Null") is None and member.value is not None):
        fixes = (Fix(f'Use "Null": {{"{key}": "false"}}',
                     (TextEdit(block.key.content_span(), "Null"),
                      TextEdit(member.value.span, '"false"')), True),)
    for i, node in enumerate(scalars):
        yield _f("EQUIVALENT_TO_NULL_FALSE", f'"{parsed.canonical}" with only "*" matches any '
                 f'value, so it just requires "{key}" to be present: say so with '
                 f'"Null": {{"{key}": "false"}}', f'"*"만 있는 "{parsed.canonical}"은(는) '
                 f'모든 값과 일치하므로 "{key}"이(가) 있는지만 확인합니다. '
                 f'"Null": {{"{key}": "false"}}로 쓰세요.', _span(node),
                 fixes if i == 0 else (), {"key": key, "operator": parsed.canonical})


_PRIVATE = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    if not text or text != text.strip():
        return None
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def _is_private(net: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    return any(net.version == p.version and net.subnet_of(p) for p in _PRIVATE)  # type: ignore[arg-type]


def _private_ips(member: JsonMember, parsed: ParsedOperator,
                 scalars: list[_Scalar]) -> Iterator[Finding]:
    nets = [(n, _network(n.value)) for n in scalars if isinstance(n, JsonString)]
    valid = [(n, net) for n, net in nets if net is not None]
    private = [n for n, net in valid if _is_private(net)]
    if not private:
        return
    negated = parsed.operator.negated
    key = member.key.value
    if len(private) == len(valid):
        code = "PRIVATE_NOTIPADDRESS" if negated else "PRIVATE_IP_ADDRESS"
        effect = ("is true for every request that has it" if negated
                  else "never matches")
        effect_ko = ("키가 있는 모든 요청에서 참이 됩니다" if negated
                     else "어떤 요청과도 일치하지 않습니다")
        yield _f(code, f'"{key}" only ever holds public addresses (requests through a VPC '
                 f'endpoint carry "aws:VpcSourceIp" instead), and every range here is private, so '
                 f'"{parsed.canonical}" {effect}', f'"{key}"에는 공인 IP 주소만 들어가는데(VPC '
                 '엔드포인트를 거친 요청은 "aws:VpcSourceIp"를 씁니다) 여기의 범위가 모두 사설 '
                 f'주소이므로 "{parsed.canonical}"은(는) {effect_ko}.',
                 member.key.content_span(), (), {"key": key})
        return
    code = "PRIVATE_NOTIPADDRESS_SUBSET" if negated else "PRIVATE_IP_ADDRESS_SUBSET"
    for node in private:
        yield _f(code, f'"{node.value}" is a private range, which "{key}" never holds (it only '
                 'carries public addresses): remove it, or use "aws:VpcSourceIp" for requests '
                 "through a VPC endpoint", f'"{node.value}"은(는) 사설 주소 범위인데 "{key}"에는 '
                 "공인 주소만 들어갑니다. 지우거나, VPC 엔드포인트를 거친 요청에는 "
                 '"aws:VpcSourceIp"를 쓰세요.', _span(node), (), {"key": key})


__all__ = ["VALUE_CODES", "VersionState", "check_values", "check_variables", "has_variable",
           "variables_supported"]

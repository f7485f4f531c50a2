"""Completion and hover of condition values, by what the key holds.

Only values a user can really write: `true`/`false` for Bool keys, the Regions of the Region
table for `aws:RequestedRegion` (where the Connect services have endpoints first), the account
IDs the policy names already and a tab stop for another one for account keys, the service
principal table for keys that hold service principals, the principal types the IAM User
Guide ("AWS global condition context keys") lists for `aws:PrincipalType`, the `arn:` start
for ARN keys (completion_arns takes over after it), and a tab stop of the right shape for
date and IP address keys. Other keys get nothing here (policy variables after `${` stay).
"""

from __future__ import annotations

import re
from functools import cache

from ..catalog.global_keys import find_global_key
from ..catalog.regions import region_table
from ..catalog.service_principals import service_principals
from ..catalog.services import ServiceCatalog
from ..checks.conditions import KeyInfo, resolve_key
from ..document.location import CursorLocation
from ..document.syntax import JsonValue, string_values
from .completion_arns import OFFERED_PARTITIONS
from .completion_items import (
    CompletionItem,
    CompletionList,
    ItemKind,
    language,
    snippet_escape,
    value_place,
)

_ACCOUNT_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")
_REGION_KEYS = frozenset({"aws:requestedregion"})
_ACCOUNT_KEYS = ("aws:PrincipalAccount", "aws:ResourceAccount", "aws:SourceAccount")
_SERVICE_PRINCIPAL_KEYS = frozenset({
    "aws:calledvia", "aws:calledviafirst", "aws:calledvialast", "aws:principalservicename",
    "aws:principalservicenameslist", "iam:passedtoservice", "iam:awsservicename"})
# The IAM User Guide, "AWS global condition context keys", aws:PrincipalType.
_PRINCIPAL_TYPES = {
    "Account": ("the account's root user", "계정의 루트 사용자"),
    "User": ("an IAM user", "IAM 사용자"),
    "FederatedUser": ("a federated user session (sts:GetFederationToken)",
                      "페더레이션 사용자 세션(sts:GetFederationToken)"),
    "AssumedRole": ("a role session (sts:AssumeRole and the like)",
                    "역할 세션(sts:AssumeRole 등)"),
    "Anonymous": ("an anonymous (unsigned) request", "익명(서명 없는) 요청"),
}
# What `true` and `false` mean for the Bool global keys a user meets most (en, ko); other
# keys get a plain note.
_BOOL_MEANINGS: dict[str, dict[str, tuple[str, str]]] = {
    "aws:securetransport": {
        "true": ("the request was sent over TLS (HTTPS)", "요청이 TLS(HTTPS)로 전송됨"),
        "false": ("the request was sent without TLS (plain HTTP)", "요청이 TLS 없이(HTTP) 전송됨")},
    "aws:multifactorauthpresent": {
        "true": ("the temporary credentials were issued with MFA",
                 "임시 자격 증명이 MFA로 발급됨"),
        "false": ("the temporary credentials were issued without MFA",
                  "임시 자격 증명이 MFA 없이 발급됨")},
    "aws:viaawsservice": {
        "true": ("an AWS service made the request for the principal (forward access session)",
                 "AWS 서비스가 보안 주체를 대신해 요청함(전달 액세스 세션)"),
        "false": ("the principal made the request itself", "보안 주체가 직접 요청함")},
    "aws:principalisawsservice": {
        "true": ("an AWS service principal calls directly", "AWS 서비스 보안 주체가 직접 호출함"),
        "false": ("an IAM principal calls (or a service with a principal's credentials or a "
                  "service role)", "IAM 보안 주체가 호출함(또는 보안 주체의 자격 증명이나 서비스 "
                  "역할을 쓰는 서비스)")},
}


def condition_member_at(path: tuple[str | int, ...]) -> tuple[str, str] | None:
    """(operator, key) when `path` is a condition value (`Condition` → operator → key →
    value, or an item of its array), else None."""
    if "Condition" not in path:
        return None
    rest = path[len(path) - path[::-1].index("Condition"):]
    if len(rest) == 2 or (len(rest) == 3 and isinstance(rest[2], int)):
        operator, key = rest[0], rest[1]
        if isinstance(operator, str) and isinstance(key, str):
            return operator, key
    return None


def condition_value_items(text: str, offset: int, location: CursorLocation,
                          root: JsonValue | None, catalog: ServiceCatalog,
                          locale: str | None, in_host: bool) -> CompletionList | None:
    """The values that fit the condition key at `location`, before matching what is typed;
    None when the key has none to offer. Outside a string (JSON only) they bring quotes."""
    member = None if location.is_key else condition_member_at(location.path)
    if member is None:
        return None
    operator, key = member
    info = resolve_key(catalog, key)
    if not isinstance(info, KeyInfo):
        return None
    place = value_place(text, offset, location, in_host)
    if place is None:
        return None
    span, quote = place
    lang = language(locale)
    null = operator.lower() == "null"
    items = list(_null_items(lang)) if null else _items(info, root, catalog, lang)
    if not items:
        return None
    if quote:
        items = [_quoted(item, quote) for item in items]
    return CompletionList(span, items)


def _quoted(item: CompletionItem, quote: str) -> CompletionItem:
    if item.retrigger:  # `arn:aws:` asks for the next segment: its string stays open
        return CompletionItem(item.label, item.kind, quote + item.new_text, item.detail,
                              item.documentation, item.sort_text, item.filter_text,
                              item.snippet, True)
    return CompletionItem(item.label, item.kind, f"{quote}{item.new_text}{quote}", item.detail,
                          item.documentation, item.sort_text, item.filter_text, item.snippet)


def _items(info: KeyInfo, root: JsonValue | None, catalog: ServiceCatalog, lang: str
           ) -> list[CompletionItem]:
    low = info.name.lower()
    if info.type == "Bool":
        return list(_bool_items(info.name, lang))
    if low in _REGION_KEYS:
        return list(_region_items(lang))
    if low in {k.lower() for k in _ACCOUNT_KEYS}:
        return _account_items(info.name, root, lang)
    if low in _SERVICE_PRINCIPAL_KEYS:
        return list(_service_principal_items(catalog, lang, low.startswith("aws:calledvia")))
    if low == "aws:principaltype":
        return list(_principal_type_items(lang))
    if info.type == "ARN":
        return list(_arn_start_items(lang))
    if info.type == "Date":
        return [_date_item(lang)]
    if info.type == "IPAddress":
        return [_cidr_item(lang)]
    return []


# --- Bool ------------------------------------------------------------------------------------

def bool_value_note(key: str, value: str, lang: str) -> str | None:
    """What `true`/`false` means as the value of the Bool key `key`, or None."""
    low = value.lower()
    if low not in ("true", "false"):
        return None
    meaning = _BOOL_MEANINGS.get(key.lower(), {}).get(low)
    if meaning is not None:
        what = meaning[1] if lang == "ko" else meaning[0]
        note = f"`{key}` 값이 `{low}`: {what}." if lang == "ko" else f"`{key}` is `{low}`: {what}."
    else:
        note = (f"요청의 `{key}` 값이 `{low}`일 때 일치합니다." if lang == "ko" else
                f"Matches when the request's `{key}` is `{low}`.")
    if low == "false":
        note += (" 키가 없는 요청에서는 `Bool`이 일치하지 않습니다(`BoolIfExists`는 일치합니다)."
                 if lang == "ko" else
                 " A request without the key does not match `Bool` (it matches `BoolIfExists`).")
    return note


def null_value_note(value: str, lang: str) -> str | None:
    """What `true`/`false` means under the `Null` operator."""
    low = value.lower()
    if low == "true":
        return ("`Null`에 `true`: 요청에 이 키가 없을 때 일치합니다." if lang == "ko" else
                "`Null` with `true`: matches when the request has no such key.")
    if low == "false":
        if lang == "ko":
            return "`Null`에 `false`: 요청에 이 키가 있을 때(값이 무엇이든) 일치합니다."
        return "`Null` with `false`: matches when the request has the key, whatever its value."
    return None


@cache
def _null_items(lang: str) -> tuple[CompletionItem, ...]:
    return tuple(CompletionItem(value, ItemKind.VALUE, value, "Null",
                                null_value_note(value, lang) or "", f"0{rank}", value)
                 for rank, value in enumerate(("true", "false")))


@cache
def _bool_items(key: str, lang: str) -> tuple[CompletionItem, ...]:
    return tuple(CompletionItem(value, ItemKind.VALUE, value, "Bool",
                                bool_value_note(key, value, lang) or "", f"0{rank}", value)
                 for rank, value in enumerate(("true", "false")))


# --- Regions ---------------------------------------------------------------------------------

def region_value_note(code: str, lang: str) -> str | None:
    """`us-east-1`: its name and partition, or None when the table has no such Region."""
    table = region_table()
    for partition in table.partitions.values():
        name = partition.regions.get(code)
        if name is not None:
            connect = code in table.available("connect", partition.code)
            where = ((" Amazon Connect가 이 리전에 엔드포인트가 있습니다." if lang == "ko" else
                      " Amazon Connect has endpoints here.") if connect else "")
            return f"**{code}**: {name} ({partition.name}).{where}"
    return None


@cache
def _region_items(lang: str) -> tuple[CompletionItem, ...]:
    """The offered partitions' Regions: where Amazon Connect has endpoints first, each group
    the commercial partition's first."""
    table = region_table()
    items = []
    for rank, code in enumerate(OFFERED_PARTITIONS):
        partition = table.partitions.get(code)
        if partition is None:
            continue
        available = table.available("connect", code)
        for region, name in partition.regions.items():
            group = f"{0 if region in available else 1}{rank}"
            items.append(CompletionItem(region, ItemKind.VALUE, region, name,
                                        region_value_note(region, lang) or "",
                                        f"{group}_{region}", region))
    return tuple(items)


# --- Accounts --------------------------------------------------------------------------------

def _account_items(key: str, root: JsonValue | None, lang: str) -> list[CompletionItem]:
    """The account IDs the policy names already, a tab stop for another, and the other
    account keys as policy variables (IAM substitutes them in a condition value)."""
    used = dict.fromkeys(_ACCOUNT_ID.findall(" ".join(string_values(root))))
    items = [CompletionItem(account, ItemKind.VALUE, account,
                            "이 정책에 쓰인 계정" if lang == "ko" else "used in this policy",
                            f"계정 **{account}**, 이 정책의 다른 곳에 쓰였습니다." if lang == "ko"
                            else f"Account **{account}**, named elsewhere in this policy.",
                            f"0_{account}", account) for account in used]
    items.append(CompletionItem("{Account}", ItemKind.VALUE, "${1:Account}",
                                "계정 ID(12자리, 채우기)" if lang == "ko"
                                else "account ID (12 digits, fill in)",
                                "12자리 AWS 계정 ID." if lang == "ko"
                                else "A 12-digit AWS account ID.", "1", "", snippet=True))
    for rank, other in enumerate(k for k in _ACCOUNT_KEYS if k.lower() != key.lower()):
        found = find_global_key(other)
        if found is None:
            continue
        label = "${" + found.name + "}"
        items.append(CompletionItem(
            label, ItemKind.VARIABLE, snippet_escape(label), found.type,
            (f"정책을 평가할 때 요청의 `{found.name}` 값으로 바뀝니다." if lang == "ko" else
             f"Replaced by the request's `{found.name}` when the policy is evaluated.")
            + f"\n\n{found.description}", f"2{rank}", label, snippet=True))
    return items


# --- Service principals, principal types ------------------------------------------------------

@cache
def _service_principal_items(catalog: ServiceCatalog, lang: str, called_via: bool
                             ) -> tuple[CompletionItem, ...]:
    """Every known service principal, the Connect-centred services' first. The
    `aws:CalledVia` keys only ever hold the services that call others with the principal's
    credentials (the IAM User Guide lists them): their items say so."""
    caveat = ""
    if called_via:
        caveat = ("\n\n보안 주체의 자격 증명으로 다른 서비스를 호출하는 서비스(전달 액세스 "
                  "세션)만 이 키에 나타납니다. IAM 사용 설명서의 aws:CalledVia 목록을 "
                  "확인하세요."
                  if lang == "ko" else
                  "\n\nOnly services that call others with the principal's credentials "
                  "(forward access sessions) appear in this key: see the IAM User Guide's list "
                  "for aws:CalledVia.")
    items = []
    for rank, principal in enumerate(service_principals()):
        connect = principal.connect_rank is not None
        sort = f"0{rank:02d}" if connect else f"1_{principal.name}"
        name = catalog.service_name(principal.service) if principal.service else None
        detail = name or ("서비스 보안 주체" if lang == "ko" else "service principal")
        doc = (f"**{principal.name}**: {name}의 서비스 보안 주체." if lang == "ko" and name else
               f"**{principal.name}**: the service principal of {name}." if name else
               f"**{principal.name}**")
        items.append(CompletionItem(principal.name, ItemKind.VALUE, principal.name, detail,
                                    doc + caveat, sort, principal.name))
    return tuple(items)


@cache
def _principal_type_items(lang: str) -> tuple[CompletionItem, ...]:
    return tuple(CompletionItem(name, ItemKind.VALUE, name, "aws:PrincipalType",
                                principal_type_note(name, lang) or "", f"0{rank}", name)
                 for rank, name in enumerate(_PRINCIPAL_TYPES))


def principal_type_note(value: str, lang: str) -> str | None:
    meaning = _PRINCIPAL_TYPES.get(value)
    if meaning is None:
        return None
    what = meaning[1] if lang == "ko" else meaning[0]
    return (f"**{value}**: 요청한 보안 주체가 {what}입니다." if lang == "ko" else
            f"**{value}**: the request comes from {what}.")


# --- ARN, date, IP address -------------------------------------------------------------------

@cache
def _arn_start_items(lang: str) -> tuple[CompletionItem, ...]:
    """`arn:aws:` and the other offered partitions: typed on at once, segment by segment."""
    table = region_table()
    items = []
    for rank, code in enumerate(OFFERED_PARTITIONS):
        partition = table.partitions.get(code)
        name = partition.name if partition else code
        start = f"arn:{code}:"
        doc = (f"파티션 **{code}**({name})의 ARN. 다음 부분을 이어서 완성합니다." if lang == "ko"
               else f"An ARN of partition **{code}** ({name}), completed segment by segment.")
        items.append(CompletionItem(start, ItemKind.ARN_PART, start, name, doc, f"{rank}",
                                    start, retrigger=True))
    return tuple(items)


def _date_item(lang: str) -> CompletionItem:
    korean = lang == "ko"
    detail = "ISO 8601 날짜·시간(UTC)" if korean else "ISO 8601 date and time (UTC)"
    doc = ("날짜 연산자(DateLessThan 등)와 비교할 ISO 8601 날짜·시간." if korean else
           "An ISO 8601 date and time (UTC) for the date operators (DateLessThan, …).")
    return CompletionItem("{YYYY-MM-DDThh:mm:ssZ}", ItemKind.VALUE,
                          "${1:2026-01-01}T${2:00:00:00}Z", detail, doc, "0", "", snippet=True)


def _cidr_item(lang: str) -> CompletionItem:
    return CompletionItem("{IPv4 CIDR}", ItemKind.VALUE, "${1:203.0.113.0}/${2:24}",
                          "IP 주소 범위(CIDR)" if lang == "ko" else "IP address range (CIDR)",
                          "CIDR 표기의 IPv4 또는 IPv6 범위(203.0.113.0/24, 2001:DB8::/32)."
                          if lang == "ko" else "An IPv4 or IPv6 range in CIDR notation "
                          "(203.0.113.0/24, 2001:DB8::/32).", "0", "", snippet=True)


# --- Hover -----------------------------------------------------------------------------------

def condition_value_hover(value: str, path: tuple[str | int, ...], lang: str,
                          catalog: ServiceCatalog) -> str | None:
    """Markdown about the condition value at `path` where it says more than the value: a
    Region's name, what `true`/`false` means for a Bool key or `Null`, what a principal
    type is."""
    member = condition_member_at(path)
    if member is None:
        return None
    operator, key = member
    if operator.lower() == "null":
        return null_value_note(value, lang)
    info = resolve_key(catalog, key)
    if not isinstance(info, KeyInfo):
        return None
    if info.type == "Bool":
        return bool_value_note(info.name, value, lang)
    low = info.name.lower()
    if low in _REGION_KEYS:
        return region_value_note(value, lang)
    if low == "aws:principaltype":
        return principal_type_note(value, lang)
    return None

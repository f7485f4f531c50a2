"""The grammar of resource ARNs in `Resource`/`NotResource`, field by field.

INVALID_ARN_PREFIX, MISSING_ARN_FIELD, INVALID_PARTITION, INVALID_ARN_SERVICE_CASE,
INVALID_ARN_REGION, INVALID_ARN_ACCOUNT, MISSING_ARN_REGION and INVALID_ARN_RESOURCE, each on
the field that is wrong. IAM's wildcards (`*`, `?`) and policy variables (`${aws:username}`,
which may hold a colon) are allowed in any field: a field that has one is not judged. Values
copied from an example (`region`, `account-id`, `instance-id`) are named as placeholders.

Also the ARN tools the other resource checks share: splitting an ARN into its six fields and
deciding whether a policy ARN can name a resource of a catalog ARN format
(`arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}`).

Access Analyzer accepted every AWS managed policy's ARNs, so the rules are measured against
them: `*` partitions, empty regions and accounts (AWS-owned SSM documents, public snapshots,
`arn:aws:logs:::log-group:…`, `arn:aws:organizations::*:`) and the `aws` account all pass.
MISSING_ARN_REGION and INVALID_ARN_RESOURCE are kept to the Connect services (connect,
app-integrations, wisdom, connect-campaigns), whose every ARN format has a Region and a
resource; elsewhere Access Analyzer accepts ARNs that the catalog's formats do not describe.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..catalog.services import CONNECT_FAMILY, Action, ActionResource, ServiceCatalog
from ..catalog.suggest import best_matches
from ..document.policy import Statement, strings_in
from ..document.syntax import JsonString
from ..document.text import Span
from ..findings import Finding, Fix, replace_fix
from .context import CheckContext

RESOURCE_ELEMENTS = ("Resource", "NotResource")
ARN_SHAPE = "arn:partition:service:region:account-id:resource"

PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f",
              "aws-eusc")
# A Region code: area, optional qualifier, direction, number (`us-east-1`, `us-gov-west-1`,
# `eu-isoe-west-1`, `eusc-de-east-1`). New Regions follow the same shape, so the shape decides;
# the list is for suggestions only.
_REGION = re.compile(r"[a-z]{2,4}(?:-[a-z]{2,4})?-(?:north|south|east|west|central|northeast|"
                     r"northwest|southeast|southwest)-\d{1,2}")
REGIONS = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-east-2",
    "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
    "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
    "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2",
    "eu-north-1", "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
    "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1", "us-iso-east-1",
    "us-iso-west-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "us-isof-east-1",
    "eusc-de-east-1",
)
_ACCOUNT = re.compile(r"\d{12}")
# Accounts that are not an account ID yet valid: AWS-owned resources (`arn:aws:iam::aws:policy/…`).
_NAMED_ACCOUNTS = ("aws",)
# A value copied from an example or a template instead of a real one.
_PLACEHOLDER = re.compile(
    r"<[^<>]*>|\{[^{}$]*\}|\[[^\[\]]*\]"  # <instance-id>, {InstanceId}, [region]
    r"|(?i:(?:your|my|example)[-_]?)?(?i:region|region[-_]?(?:code|name)|account|"
    r"account[-_]?(?:id|number)|aws[-_]?account[-_]?id|account-id-without-hyphens)"
    r"|(?i:[a-z]+(?:[-_][a-z]+)*[-_]?id)")  # instance-id, contactFlowId, queue_id
# `<queue-id>`, `{InstanceId}`; or a word naming an ID (`instance-id`, `contactFlowId`,
# `your_queue_id`), whose noun must be one of the resource words (`order-id` may be a name).
_BRACKETED = re.compile(r"<[^<>]*>|\{[^{}$]*\}")
_ID_WORD = re.compile(
    r"(?i:(?:your|my|example)[-_]?)?([A-Za-z]+(?:[-_][A-Za-z]+)*?)[-_]?(?i:id)")
_ID_NOUNS = frozenset({"resource", "user", "agent", "flow", "contactflow", "account",
                       "arn", "resourceid"})


def has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text or "${" in text


@dataclass(frozen=True, slots=True)
class ArnFields:
    """An ARN split at the colons outside `${…}`: up to six fields, the last keeps its colons."""

    text: str
    fields: tuple[str, ...]
    starts: tuple[int, ...]  # offset of each field in `text`

    def field(self, index: int) -> str:
        return self.fields[index] if index < len(self.fields) else ""

    def span_of(self, node: JsonString, index: int) -> Span:
        start = self.starts[index]
        return node.content_span(start, start + len(self.fields[index]))

    @property
    def complete(self) -> bool:
        return len(self.fields) == 6


@lru_cache(maxsize=65536)
def split_arn(text: str) -> ArnFields:
    if "${" not in text:
        fields = text.split(":", 5)
        starts = [0]
        for value in fields[:-1]:
            starts.append(starts[-1] + len(value) + 1)
        return ArnFields(text, tuple(fields), tuple(starts))
    found: list[str] = []
    offsets = [0]
    depth = 0
    current = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "$" and text.startswith("${", i):
            depth += 1
            i += 2
            continue
        if ch == "}" and depth:
            depth -= 1
        elif ch == ":" and not depth and len(offsets) < 6:
            found.append(text[current:i])
            current = i + 1
            offsets.append(current)
        i += 1
    found.append(text[current:])
    return ArnFields(text, tuple(found), tuple(offsets))


# --- Checks ---------------------------------------------------------------------------------


def check(context: CheckContext) -> Iterator[Finding]:
    for statement in context.policy.statements:
        yield from check_statement(context, statement)


def check_statement(context: CheckContext, statement: Statement) -> Iterator[Finding]:
    for element in RESOURCE_ELEMENTS:
        for node, _ in strings_in(statement.value(element)):
            yield from check_arn(node, context.catalog)


def check_arn(node: JsonString, catalog: ServiceCatalog) -> Iterator[Finding]:
    text = node.value
    if text == "*":
        return
    if not text.startswith("arn:"):
        finding = _prefix_finding(node, catalog)
        if finding is not None:
            yield finding
        return
    arn = split_arn(text)
    if not arn.complete:
        yield _missing_field(node, arn, catalog)
        return
    service = arn.fields[2]
    yield from _check_partition(node, arn)
    yield from _check_service_case(node, arn, catalog)
    yield from _check_region(node, arn, service)
    yield from _check_account(node, arn, catalog)
    yield from _check_resource(node, arn, catalog)


def _ko(finding: Finding, ko: str) -> Finding:
    finding.translations["ko"] = ko
    return finding


def _content_fix(node: JsonString, corrected: str, title: str | None = None) -> Fix:
    escaped = json.dumps(corrected, ensure_ascii=False)[1:-1]
    return replace_fix(title or f'Change to "{corrected}"', node.content_span(), escaped)


def _prefix_finding(node: JsonString, catalog: ServiceCatalog) -> Finding | None:
    text = node.value
    if not text:
        return _ko(Finding("INVALID_ARN_PREFIX", 'Empty resource: write "*" or an ARN that '
                           f'starts with "arn:" ({ARN_SHAPE})', node.span),
                   f'리소스가 비어 있습니다. "*" 또는 "arn:"으로 시작하는 ARN({ARN_SHAPE})을 '
                   "쓰세요")
    head = text.split(":", 1)[0]
    if text[:4].lower() == "arn:":
        corrected = "arn" + text[3:]
        return _ko(Finding(
            "INVALID_ARN_PREFIX", f'"{text[:3]}" must be written "arn", in lower case',
            node.content_span(0, 3), (replace_fix('Change to "arn"', node.content_span(0, 3),
                                                  "arn"),) if node.verbatim else (),
            {"suggestions": [corrected]}),
            f'"{text[:3]}"은(는) 소문자 "arn"으로 써야 합니다')
    if has_wildcard(text[:4]):
        return None  # `*:…`, `${…}`: a pattern or a variable, not judged
    arn = split_arn(text)
    if head in PARTITIONS and len(arn.fields) >= 5:
        corrected = "arn:" + text
        return _ko(Finding(
            "INVALID_ARN_PREFIX", f'"{_short(text)}" lacks the "arn:" prefix: did you mean '
            f'"{_short(corrected)}"?', node.content_span(0, len(head)),
            (_content_fix(node, corrected, 'Add "arn:"'),), {"suggestions": [corrected]}),
            f'"{_short(text)}"에 "arn:" 접두사가 없습니다. "{_short(corrected)}"을(를) '
            "의도하셨나요?")
    if len(arn.fields) == 6 and (arn.fields[1] in PARTITIONS
                                 or catalog.has_arn_service(arn.fields[2])):
        corrected = "arn" + text[len(head):]
        return _ko(Finding(
            "INVALID_ARN_PREFIX", f'An ARN starts with "arn", not "{head}": did you mean '
            f'"{_short(corrected)}"?', node.content_span(0, len(head)),
            (replace_fix('Change to "arn"', node.content_span(0, len(head)), "arn"),)
            if node.verbatim else (), {"suggestions": [corrected]}),
            f'ARN은 "{head}"이(가) 아니라 "arn"으로 시작합니다. "{_short(corrected)}"을(를) '
            "의도하셨나요?")
    return _ko(Finding(
        "INVALID_ARN_PREFIX", f'"{_short(text)}" is not an ARN: a resource is "*" or an ARN '
        f'that starts with "arn:" ({ARN_SHAPE})', node.content_span()),
        f'"{_short(text)}"은(는) ARN이 아닙니다. 리소스는 "*" 또는 "arn:"으로 시작하는 '
        f"ARN({ARN_SHAPE})입니다")


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _missing_field(node: JsonString, arn: ArnFields, catalog: ServiceCatalog) -> Finding:
    text = arn.text
    count = len(arn.fields)
    corrected = _complete_fields(arn, catalog)
    hint = f': did you mean "{_short(corrected)}"?' if corrected else ""
    hint_ko = f' "{_short(corrected)}"을(를) 의도하셨나요?' if corrected else ""
    fixes = (_content_fix(node, corrected),) if corrected else ()
    return _ko(Finding(
        "MISSING_ARN_FIELD", f'"{_short(text)}" has {count} of the 6 fields of an ARN '
        f"({ARN_SHAPE}); a field may be empty, but its colon is required{hint}",
        node.content_span(), fixes, {"suggestions": [corrected] if corrected else []}),
        f'"{_short(text)}"에는 ARN의 필드 6개({ARN_SHAPE}) 중 {count}개만 있습니다. 필드는 '
        f"비워 둘 수 있지만 콜론은 있어야 합니다.{hint_ko}")


def _complete_fields(arn: ArnFields, catalog: ServiceCatalog) -> str | None:
    """`arn:aws:s3:bucket` -> `arn:aws:s3:::bucket` when the service has ARNs without Region and
    account; `arn:aws:iam:123456789012:role/x` -> `arn:aws:iam::123456789012:role/x` when it
    has ARNs without Region."""
    fields = arn.fields
    if len(fields) < 4 or has_wildcard(fields[2]):
        return None
    formats = namespace_formats(catalog, fields[2].lower())
    if len(fields) == 4 and any(f.region == "" and f.account == "" for f in formats):
        return ":".join((*fields[:3], "", "", fields[3]))
    if len(fields) == 5 and any(f.region == "" and f.account != "" for f in formats) and (
            _ACCOUNT.fullmatch(fields[3]) or fields[3] in _NAMED_ACCOUNTS or fields[3] == "*"):
        return ":".join((*fields[:3], "", *fields[3:]))
    return None


def _check_partition(node: JsonString, arn: ArnFields) -> Iterator[Finding]:
    partition = arn.fields[1]
    if has_wildcard(partition) or partition in PARTITIONS:
        return
    span = arn.span_of(node, 1) if partition else node.content_span(3, 5)  # `::` when empty
    suggestions = ([partition.lower()] if partition.lower() in PARTITIONS
                   else best_matches(partition, PARTITIONS, limit=1))
    hint = f': did you mean "{suggestions[0]}"?' if suggestions else ""
    hint_ko = f' "{suggestions[0]}"을(를) 의도하셨나요?' if suggestions else ""
    shown = f'"{partition}"' if partition else "An empty partition"
    shown_ko = f'"{partition}"은(는)' if partition else "빈 파티션은"
    placeholder = partition and _PLACEHOLDER.fullmatch(partition)
    extra = (" (it looks like a placeholder from an example: replace it)" if placeholder
             else "")
    extra_ko = " (예시의 자리 표시자로 보입니다. 실제 값으로 바꾸세요)" if placeholder else ""
    others = ", ".join(f'"{p}"' for p in PARTITIONS[1:])
    yield _ko(Finding(
        "INVALID_PARTITION", f'{shown} is not an AWS partition{extra}; use "aws" (or '
        f"{others}){hint}", span,
        tuple(replace_fix(f'Change to "{s}"', span, s) for s in suggestions)
        if node.verbatim else (), {"partition": partition, "suggestions": suggestions}),
        f'{shown_ko} AWS 파티션이 아닙니다{extra_ko}. "aws"(또는 '
        f"{others})를 쓰세요.{hint_ko}")


def _check_service_case(node: JsonString, arn: ArnFields,
                        catalog: ServiceCatalog) -> Iterator[Finding]:
    service = arn.fields[2]
    if has_wildcard(service) or service == service.lower():
        return
    if not catalog.has_arn_service(service):
        return  # INVALID_SERVICE (resources.py) speaks for unknown services
    span = arn.span_of(node, 2)
    low = service.lower()
    yield _ko(Finding(
        "INVALID_ARN_SERVICE_CASE", f"The service in an ARN is written in lower case: "
        f'"{low}", not "{service}"', span,
        (replace_fix(f'Change to "{low}"', span, low),) if node.verbatim else (),
        {"service": service, "suggestions": [low]}),
        f'ARN의 서비스는 소문자로 씁니다. "{service}"이(가) 아니라 "{low}"입니다')


def _check_region(node: JsonString, arn: ArnFields, service: str) -> Iterator[Finding]:
    region = arn.fields[3]
    if has_wildcard(region):
        return
    span = arn.span_of(node, 3)
    if not region:
        if service.lower() in CONNECT_FAMILY:
            at = arn.starts[3]
            gap = node.content_span(at - 1, at + 1)  # the two colons around the empty field
            yield _ko(Finding(
                "MISSING_ARN_REGION", f'"{_short(arn.text)}" has no Region: every '
                f'"{service}" resource ARN names one, e.g. "us-east-1" (or "*" for any)',
                gap, (), {"service": service}),
                f'"{_short(arn.text)}"에 리전이 없습니다. 모든 "{service}" 리소스 ARN에는 '
                '"us-east-1" 같은 리전(또는 모든 리전을 뜻하는 "*")이 있어야 합니다')
        return
    if _REGION.fullmatch(region):
        return
    suggestions = _region_suggestions(region)
    hint = f': did you mean "{suggestions[0]}"?' if suggestions else ""
    hint_ko = f' "{suggestions[0]}"을(를) 의도하셨나요?' if suggestions else ""
    if _PLACEHOLDER.fullmatch(region):
        message = (f'"{region}" is not a Region code: it looks like a placeholder from an '
                   'example; replace it with the Region of your resources (e.g. "us-east-1"), '
                   'or "*" for any Region')
        ko = (f'"{region}"은(는) 리전 코드가 아니라 예시의 자리 표시자로 보입니다. 리소스의 '
              '리전(예: "us-east-1")이나 모든 리전을 뜻하는 "*"로 바꾸세요')
    else:
        message = f'"{region}" is not a Region code such as "us-east-1"{hint}'
        ko = f'"{region}"은(는) "us-east-1" 같은 리전 코드가 아닙니다.{hint_ko}'
    yield _ko(Finding("INVALID_ARN_REGION", message, span,
                      tuple(replace_fix(f'Change to "{s}"', span, s) for s in suggestions)
                      if node.verbatim else (), {"region": region, "suggestions": suggestions}),
              ko)


def _region_suggestions(region: str) -> list[str]:
    low = region.lower().strip()
    if low in REGIONS:
        return [low]
    zone = re.fullmatch(r"([a-z]{2,4}(?:-[a-z]+){1,3}-\d{1,2})[a-z]", low)
    if zone:
        return [zone.group(1)]  # an Availability Zone (`us-east-1a`) instead of its Region
    if _PLACEHOLDER.fullmatch(region):
        return []
    return best_matches(low, REGIONS, limit=1)


def _check_account(node: JsonString, arn: ArnFields,
                   catalog: ServiceCatalog) -> Iterator[Finding]:
    account = arn.fields[4]
    if (has_wildcard(account) or not account or _ACCOUNT.fullmatch(account)
            or account in _NAMED_ACCOUNTS):
        return
    service = arn.fields[2]
    if not has_wildcard(service) and any(
            f.account == account for f in namespace_formats(catalog, service.lower())):
        return  # a fixed word the service's ARNs have there (`mediaconnect:…:offering:…`)
    span = arn.span_of(node, 4)
    digits = re.sub(r"[-\s]", "", account)
    suggestions = [digits] if digits != account and _ACCOUNT.fullmatch(digits) else []
    if suggestions:
        message = (f'"{account}" is an account ID written with separators: write the 12 '
                   f'digits alone, "{digits}"')
        ko = f'"{account}"은(는) 구분 기호가 들어간 계정 ID입니다. 12자리 숫자 "{digits}"만 쓰세요'
    elif _PLACEHOLDER.fullmatch(account):
        message = (f'"{account}" is not an account ID: it looks like a placeholder from an '
                   'example; replace it with your 12-digit AWS account ID, or "*" for any '
                   "account")
        ko = (f'"{account}"은(는) 계정 ID가 아니라 예시의 자리 표시자로 보입니다. 12자리 AWS '
              '계정 ID나 모든 계정을 뜻하는 "*"로 바꾸세요')
    else:
        message = (f'"{account}" is not an account ID: the account field holds 12 digits '
                   '(e.g. "123456789012"), "*", or nothing')
        ko = (f'"{account}"은(는) 계정 ID가 아닙니다. 계정 필드에는 12자리 숫자'
              '(예: "123456789012"), "*"를 쓰거나 비워 둡니다')
    yield _ko(Finding("INVALID_ARN_ACCOUNT", message, span,
                      tuple(replace_fix(f'Change to "{s}"', span, s) for s in suggestions)
                      if node.verbatim else (), {"account": account, "suggestions": suggestions}),
              ko)


def _check_resource(node: JsonString, arn: ArnFields,
                    catalog: ServiceCatalog) -> Iterator[Finding]:
    resource = arn.fields[5]
    service = arn.fields[2].lower()
    if service not in CONNECT_FAMILY:
        return  # Access Analyzer accepts `arn:aws:organizations::*:`: judge only Connect ARNs
    if not resource:
        at = arn.starts[5]
        yield _ko(Finding(
            "INVALID_ARN_RESOURCE", f'"{_short(arn.text)}" names no resource after the account '
            'field: add the resource (e.g. "instance/…"), or "*" for all', node.content_span(
                at - 1, at)),
            f'"{_short(arn.text)}"에는 계정 필드 뒤에 리소스가 없습니다. 리소스(예: '
            '"instance/…")나 모든 리소스를 뜻하는 "*"를 추가하세요')
        return
    # Segments copied from an example: `instance/instance-id`, `queue/<queue-id>`.
    offset = arn.starts[5]
    for match in re.finditer(r"[^/:]+", resource):
        segment = match.group()
        if has_wildcard(segment) or not _is_id_placeholder(segment, catalog, service):
            continue
        span = node.content_span(offset + match.start(), offset + match.end())
        yield _ko(Finding(
            "INVALID_ARN_RESOURCE", f'"{segment}" looks like a placeholder from an example, '
            "not an ID: replace it with the real ID (Amazon Connect IDs look like "
            '"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"), or "*" for any', span, (),
            {"placeholder": segment}),
            f'"{segment}"은(는) ID가 아니라 예시의 자리 표시자로 보입니다. 실제 ID(Amazon '
            'Connect ID는 "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111" 형태)나 "*"로 바꾸세요')
        return
    formats = namespace_formats(catalog, service)
    if not formats or any(arn_matches_format(arn, f) for f in formats):
        return
    span = arn.span_of(node, 5)
    kinds = sorted({f.resource_head for f in formats if f.resource_head})
    head = re.split(r"[/:]", resource, maxsplit=1)[0]
    suggestions = best_matches(head, kinds, limit=1) if not has_wildcard(head) else []
    hint = f': did you mean "{suggestions[0]}"?' if suggestions else ""
    hint_ko = f' "{suggestions[0]}"을(를) 의도하셨나요?' if suggestions else ""
    yield _ko(Finding(
        "INVALID_ARN_RESOURCE", f'"{_short(resource)}" matches no "{service}" resource type; '
        f"their ARNs end in {_listing(f.resource for f in formats)}{hint}", span, (),
        {"service": service, "suggestions": suggestions}),
        f'"{_short(resource)}"은(는) 어떤 "{service}" 리소스 유형과도 맞지 않습니다. 리소스 '
        f"ARN의 끝은 {_listing(f.resource for f in formats)} 형태입니다.{hint_ko}")


def _is_id_placeholder(segment: str, catalog: ServiceCatalog, namespace: str) -> bool:
    if _BRACKETED.fullmatch(segment):
        return True
    match = _ID_WORD.fullmatch(segment)
    if match is None:
        return False
    noun = re.sub(r"[-_]", "", match.group(1)).lower()
    words = _literal_segments(catalog, namespace)
    return segment.lower() not in words and (
        noun in _ID_NOUNS or noun in {re.sub(r"[-_]", "", w) for w in words})


@lru_cache(maxsize=64)
def _literal_segments(catalog: ServiceCatalog, namespace: str) -> frozenset[str]:
    """Fixed words of the namespace's resource ARNs (`instance`, `agent-state`): never taken
    for placeholders."""
    words: set[str] = set()
    for fmt in namespace_formats(catalog, namespace):
        for segment in re.split(r"[/:]", re.sub(r"\$\{[^}]*\}", "", fmt.resource)):
            if segment:
                words.add(segment.lower())
    return frozenset(words)


def _listing(items: Iterable[str], limit: int = 6) -> str:
    unique = sorted(set(items))
    shown = ", ".join(f'"{i}"' for i in unique[:limit])
    return shown + (f" and {len(unique) - limit} more" if len(unique) > limit else "")


# --- ARN formats of the catalog -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArnFormat:
    """A catalog ARN format, split: `${…}` placeholders match anything."""

    arn: str
    namespace: str  # lower case; "" when the format's service is a placeholder
    region: str
    account: str
    resource: str

    @property
    def resource_head(self) -> str:
        return re.split(r"[/:$]", self.resource, maxsplit=1)[0]


@lru_cache(maxsize=8192)
def parse_formats(arns: str) -> tuple[ArnFormat, ...]:
    """A catalog resource type's ARN formats (some list several, separated by commas)."""
    found = []
    for arn in arns.split(","):
        fields = split_arn(arn.strip()).fields
        if len(fields) == 6 and fields[0] == "arn":
            namespace = "" if "${" in fields[2] else fields[2].lower()
            found.append(ArnFormat(arn.strip(), namespace, fields[3], fields[4], fields[5]))
    return tuple(found)


@lru_cache(maxsize=1024)
def namespace_types(catalog: ServiceCatalog, namespace: str
                    ) -> tuple[tuple[ArnFormat, str], ...]:
    """Every ARN format with this namespace and the name of its resource type: of that
    service, and for the Connect services of each other (they list each other's types)."""
    prefixes = CONNECT_FAMILY if namespace in CONNECT_FAMILY else (namespace,)
    found: dict[str, tuple[ArnFormat, str]] = {}
    for prefix in prefixes:
        service = catalog.service(prefix)
        if service is None:
            continue
        for resource_type in service.resource_types.values():
            for parsed in parse_formats(resource_type.arn):
                if parsed.namespace == namespace:
                    found.setdefault(parsed.arn, (parsed, resource_type.name))
    return tuple(found.values())


@lru_cache(maxsize=1024)
def namespace_formats(catalog: ServiceCatalog, namespace: str) -> tuple[ArnFormat, ...]:
    """The formats of `namespace_types`."""
    return tuple(fmt for fmt, _ in namespace_types(catalog, namespace))


def action_formats(actions: Iterable[Action], catalog: ServiceCatalog
                   ) -> Iterator[tuple[Action, ActionResource, ArnFormat]]:
    """Each ARN format the actions take: the action, its resource type entry (required or
    not), and the format."""
    for action in actions:
        service = catalog.service(action.service)
        if service is None:
            continue
        for resource in action.resource_types:
            resource_type = service.resource_types.get(resource.name.lower())
            if resource_type is not None:
                for fmt in parse_formats(resource_type.arn):
                    yield action, resource, fmt


_STAR = "\x00"  # any run of characters
_ANY = "\x01"  # one character


@lru_cache(maxsize=65536)
def _pattern(text: str, lower: bool = True) -> str:
    """IAM pattern or catalog format as a string over literal characters, _STAR and _ANY."""
    text = re.sub(r"\$\{[^}]*\}", _STAR, text)
    text = text.replace("*", _STAR).replace("?", _ANY)
    return text.lower() if lower else text


def _compatible(a: str, b: str) -> bool:
    """Equal-length literal runs that can match the same text (`?` matches anything)."""
    return all(x in (y, _ANY) or y == _ANY for x, y in zip(a, b, strict=True))


@lru_cache(maxsize=65536)
def patterns_overlap(a: str, b: str) -> bool:
    """Whether some text matches both patterns (built by `_pattern`).

    With a star in each, they overlap exactly when their literal heads agree as far as the
    shorter goes and so do their literal tails: a text made of the longer head, everything in
    between and the longer tail matches both. With no star in one, it is a plain match."""
    a_star, b_star = _STAR in a, _STAR in b
    if a_star and b_star:
        ah, bh = a.split(_STAR, 1)[0], b.split(_STAR, 1)[0]
        at, bt = a.rsplit(_STAR, 1)[1], b.rsplit(_STAR, 1)[1]
        n, m = min(len(ah), len(bh)), min(len(at), len(bt))
        return (_compatible(ah[:n], bh[:n])
                and _compatible(at[len(at) - m:], bt[len(bt) - m:]))
    if a_star:
        a, b = b, a
    if _STAR not in b:
        return len(a) == len(b) and _compatible(a, b)
    # `a` has a fixed length, `b` has stars: match b against a.
    return glob_match(b, a, _STAR, _ANY)


def glob_match(pattern: str, text: str, star: str, one: str) -> bool:
    """Whether `pattern` matches all of `text`: `star` is any run, `one` any one character,
    other characters match themselves or a `one` in the text. Two pointers with a return to the
    last star: time O(len(pattern) * len(text)) at worst, never exponential like a regex of
    many `.*` can be on a text that does not match."""
    if one not in pattern and one not in text:
        return _star_match(pattern, text, star)
    p = t = 0
    last_star, resume = -1, 0
    while t < len(text):
        if p < len(pattern) and pattern[p] == star:
            last_star, resume = p, t
            p += 1
        elif p < len(pattern) and (pattern[p] == one or pattern[p] == text[t]
                                   or text[t] == one):
            p += 1
            t += 1
        elif last_star >= 0:
            p = last_star + 1
            resume += 1
            t = resume
        else:
            return False
    while p < len(pattern) and pattern[p] == star:
        p += 1
    return p == len(pattern)


def _star_match(pattern: str, text: str, star: str) -> bool:
    """`glob_match` when only stars are wild: the first piece starts the text, the last ends
    it, the others are found left to right (leftmost is exact for stars), with `str.find`; a
    300,000-character ARN took half a second a format in the loop above."""
    if star not in pattern:
        return pattern == text
    head, *middle, tail = pattern.split(star)
    stop = len(text) - len(tail)
    if stop < len(head) or not text.startswith(head) or not text.endswith(tail):
        return False
    at = len(head)
    for piece in middle:
        found = text.find(piece, at, stop)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def _field_overlap(policy_value: str, format_value: str) -> bool:
    if "${" in format_value or not policy_value:
        # A placeholder takes any value; an empty field in the policy is an AWS-owned resource
        # (`arn:aws:ssm:*::document/AWS-*`) or a service that leaves it out.
        return True
    return patterns_overlap(_pattern(policy_value), _pattern(format_value))


@lru_cache(maxsize=65536)
def arn_matches_format(arn: ArnFields, fmt: ArnFormat) -> bool:
    """Whether the policy ARN may name a resource of this format. Conservative: when in doubt,
    it matches. Wildcards in the policy ARN and the format's placeholders match any text,
    case-insensitively; a `*` that ends the Region or account field may run past colons (as IAM
    allows), so then the ARN's resource may also match what follows a colon in the format's."""
    if not arn.complete:
        return True
    if fmt.namespace and not has_wildcard(arn.fields[2]) and (
            arn.fields[2].lower() != fmt.namespace):
        return False
    if not (_field_overlap(arn.fields[3], fmt.region)
            and _field_overlap(arn.fields[4], fmt.account)):
        return False
    resource = _pattern(arn.fields[5])
    if patterns_overlap(resource, _pattern(fmt.resource)):
        return True
    if arn.fields[3].endswith("*") or arn.fields[4].endswith("*"):
        tail = fmt.resource
        while ":" in tail:
            tail = tail.split(":", 1)[1]
            if patterns_overlap(resource, _pattern(tail)):
                return True
    return False

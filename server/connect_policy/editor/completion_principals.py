"""Completion of principals: the whole value of `Principal`/`NotPrincipal` (`"*"`, or an object
of one type), and the values of each type: service principals for `Service` (the Amazon
Connect family first, from the generated table), account, role and user ARNs for `AWS`, web
identity providers and SAML/OIDC provider ARNs for `Federated`, a tab stop for the 64-hex ID
of `CanonicalUser`.

ARNs are snippets with a tab stop for each value that is the user's (account, role name, ...),
written as the resource ARN completion writes them: the partition as `aws`, each placeholder's
default its name, so clients without snippets insert a readable template. In a CloudFormation
`Fn::Sub` string the same ARNs come also with the stack's partition and account
(`arn:${AWS::Partition}:iam::${AWS::AccountId}:root`).
"""

from __future__ import annotations

import re
from functools import cache

from ..catalog.service_principals import service_principals
from ..catalog.services import ServiceCatalog
from ..document.location import CursorLocation, previous_significant
from ..document.text import Span
from .completion_items import (
    CompletionItem,
    CompletionList,
    ItemKind,
    language,
    snippet_escape,
    value_place,
)
from .completion_values import parameter_item
from .principal_notes import (
    FEDERATED_PROVIDERS,
    PRINCIPAL_ELEMENTS,
    PRINCIPAL_TYPES,
    anyone_note,
    aws_note,
    federated_note,
    pick,
    service_note,
    type_note,
)


def principal_place(path: tuple[str | int, ...]) -> tuple[str, str | None] | None:
    """(element, type) when `path` is a value inside `Principal`/`NotPrincipal`: the type is
    None for the element's own value, else the principal type whose value it is."""
    for i in range(len(path) - 1, -1, -1):
        if path[i] in PRINCIPAL_ELEMENTS and is_statement_path(path[:i]):
            rest = path[i + 1:]
            if not rest:
                return str(path[i]), None
            kind = rest[0]
            if isinstance(kind, str) and (len(rest) == 1 or (len(rest) == 2 and isinstance(
                    rest[1], int))):
                return str(path[i]), kind
            return None
    return None


def is_statement_path(path: tuple[str | int, ...]) -> bool:
    """A statement's path: a lone statement, `Statement` as an object, an item of the
    `Statement` array or of a bare array of statements."""
    return path in ((), ("Statement",)) or (len(path) == 1 and isinstance(path[0], int)) or (
        len(path) == 2 and path[0] == "Statement" and isinstance(path[1], int))


def principal_candidates(text: str, offset: int, location: CursorLocation,
                         catalog: ServiceCatalog, locale: str | None, in_host: bool,
                         sub: bool = False) -> CompletionList | None:
    """Items for a principal value at `location`, before matching what is typed; None when
    the cursor is not at one. Outside a string (JSON only) the items bring their quotes.
    `sub`: in a `Fn::Sub` string, where the stack's partition and account can be named."""
    if location.is_key:
        return None
    place = principal_place(location.path)
    if place is None:
        return None
    _, kind = place
    lang = language(locale)
    insertion = value_place(text, offset, location, in_host)
    if insertion is None:
        return None
    span, quote = insertion
    if kind is None:
        items = [_anyone_item(quote, lang)]
        if quote and previous_significant(text, offset) == ":":
            items += [_object_item(name, rank, lang) for rank, name in enumerate(PRINCIPAL_TYPES)]
        return CompletionList(span, items)
    return principal_values(span, kind, catalog, lang, quote, sub)


def principal_values(span: Span, kind: str, catalog: ServiceCatalog, lang: str,
                     quote: str = "", sub: bool = False) -> CompletionList | None:
    """The values of a principal of type `kind` (`*` for Terraform's type `"*"`); None for
    a type we know nothing of."""
    if kind == "AWS":
        return CompletionList(span, _aws_items(lang, quote) + ([
            *_in_stack(_AWS_FORMS[:4], _AWS_DETAILS[lang][:4], lang, quote),
            parameter_item("AWS::AccountId", "1!9")] if sub else []))
    if kind == "Federated":
        return CompletionList(span, _federated_items(lang, quote) + (
            _in_stack(tuple((label, body) for label, body, _ in _FEDERATED_ARNS),
                      ("SAML provider", "OIDC provider"), lang, quote) if sub else []))
    if kind == "CanonicalUser":
        return CompletionList(span, [_canonical_user_item(lang, quote)])
    if kind == "Service":
        return CompletionList(span, list(_service_items(catalog, lang, quote)))
    if kind == "*":
        return CompletionList(span, [_anyone_item(quote, lang)])
    return None


def principal_type_items(span: Span, lang: str) -> CompletionList:
    """The `type` of a Terraform `principals` block: the four types, and `*` (which, with
    identifiers `["*"]`, the provider renders as `"Principal": "*"`)."""
    items = [CompletionItem(name, ItemKind.VALUE, name, _TYPE_DETAIL[lang],
                            type_note(name, lang) or "", f"0{rank}", name)
             for rank, name in enumerate(PRINCIPAL_TYPES)]
    items.append(CompletionItem("*", ItemKind.VALUE, "*", _TYPE_DETAIL[lang],
                                _STAR_TYPE[lang] + "\n\n" + anyone_note(None, lang), "1", "*"))
    return CompletionList(span, items)


_TYPE_DETAIL = {"en": "principal type", "ko": "보안 주체 유형"}
_STAR_TYPE = {"en": 'With `identifiers = ["*"]` the provider writes `"Principal": "*"`.',
              "ko": '`identifiers = ["*"]`와 함께 쓰면 공급자가 `"Principal": "*"`로 씁니다.'}


def _anyone_item(quote: str, lang: str, sort: str = "0") -> CompletionItem:
    detail = "모든 보안 주체" if lang == "ko" else "anyone"
    return CompletionItem("*", ItemKind.VALUE, f"{quote}*{quote}", detail,
                          anyone_note(None, lang), sort, "*")


def _object_item(name: str, rank: int, lang: str) -> CompletionItem:
    """`{"Service": "…"}`: a principal object of one type, which asks for its value."""
    return CompletionItem(f'{{"{name}": …}}', ItemKind.VALUE, f'{{"{name}": "$1"}}',
                          "principal type", type_note(name, lang) or "", f"1{rank}",
                          f'{{"{name}"', snippet=True, retrigger=True)


@cache
def _service_items(catalog: ServiceCatalog, lang: str, quote: str
                   ) -> tuple[CompletionItem, ...]:
    """Every known service principal, the Connect-centred services' first."""
    items = []
    for rank, principal in enumerate(service_principals()):
        name = catalog.service_name(principal.service) if principal.service else None
        connect = principal.connect_rank is not None
        # The Connect-centred principals keep their table order; the rest sort by name.
        sort = f"0{rank:02d}" if connect else f"1_{principal.name}"
        items.append(CompletionItem(
            principal.name, ItemKind.VALUE, f"{quote}{principal.name}{quote}",
            name or ("서비스 보안 주체" if lang == "ko" else "service principal"),
            service_note(principal.name, name, True, lang), sort, principal.name))
    return tuple(items)


# (label, snippet body) of the `AWS` principal forms; `{…}` in a label is a tab stop.
_AWS_FORMS = (
    ("arn:aws:iam::{Account}:root", "arn:aws:iam::${1:Account}:root"),
    ("arn:aws:iam::{Account}:role/{RoleName}", "arn:aws:iam::${1:Account}:role/${2:RoleName}"),
    ("arn:aws:iam::{Account}:user/{UserName}", "arn:aws:iam::${1:Account}:user/${2:UserName}"),
    ("arn:aws:sts::{Account}:assumed-role/{RoleName}/{SessionName}",
     "arn:aws:sts::${1:Account}:assumed-role/${2:RoleName}/${3:SessionName}"),
    ("{Account}", "${1:123456789012}"),
)
_AWS_EXAMPLES = ("arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/RoleName",
                 "arn:aws:iam::111122223333:user/UserName",
                 "arn:aws:sts::111122223333:assumed-role/RoleName/SessionName", "111122223333")
_AWS_DETAILS = {
    "en": ("account (all its principals)", "IAM role", "IAM user", "role session",
           "account ID (12 digits)"),
    "ko": ("계정(계정의 모든 보안 주체)", "IAM 역할", "IAM 사용자", "역할 세션",
           "계정 ID(12자리)"),
}


def _aws_items(lang: str, quote: str) -> list[CompletionItem]:
    items = [_anyone_item(quote, lang, "2")]
    for rank, ((label, body), example, detail) in enumerate(
            zip(_AWS_FORMS, _AWS_EXAMPLES, _AWS_DETAILS[lang], strict=True)):
        note = aws_note(example, lang) or ""
        items.append(CompletionItem(label, ItemKind.ARN, f"{quote}{body}{quote}", detail,
                                    note, f"1{rank}", label.partition("{")[0] or label,
                                    snippet=True))
    return items


_FEDERATED_ARNS = (
    ("arn:aws:iam::{Account}:saml-provider/{ProviderName}",
     "arn:aws:iam::${1:Account}:saml-provider/${2:ProviderName}",
     "arn:aws:iam::111122223333:saml-provider/ProviderName"),
    ("arn:aws:iam::{Account}:oidc-provider/{ProviderUrl}",
     "arn:aws:iam::${1:Account}:oidc-provider/${2:token.actions.githubusercontent.com}",
     "arn:aws:iam::111122223333:oidc-provider/ProviderUrl"),
)


def _federated_items(lang: str, quote: str) -> list[CompletionItem]:
    items = []
    for rank, (name, note) in enumerate(FEDERATED_PROVIDERS.items()):
        items.append(CompletionItem(name, ItemKind.VALUE, f"{quote}{name}{quote}",
                                    "web identity provider" if lang == "en" else
                                    "웹 자격 증명 공급자",
                                    f"**{name}**: {pick(note, lang)}", f"0{rank}", name))
    for rank, (label, body, example) in enumerate(_FEDERATED_ARNS):
        items.append(CompletionItem(label, ItemKind.ARN, f"{quote}{body}{quote}",
                                    "SAML provider" if "saml" in label else "OIDC provider",
                                    federated_note(example, lang) or "", f"1{rank}",
                                    label.partition("{")[0], snippet=True))
    return items


def _in_stack(forms: tuple[tuple[str, str], ...], details: tuple[str, ...], lang: str,
              quote: str) -> list[CompletionItem]:
    """The ARN `forms` in the stack's own partition and account, for a `Fn::Sub` string:
    `arn:${AWS::Partition}:iam::${AWS::AccountId}:role/{RoleName}`."""
    partition, account = "${AWS::Partition}", "${AWS::AccountId}"
    suffix = " (이 스택의 계정)" if lang == "ko" else " (the stack's account)"
    items = []
    for rank, ((label, body), detail) in enumerate(zip(forms, details, strict=True)):
        label = label.replace("arn:aws:", f"arn:{partition}:", 1).replace("{Account}", account)
        # The tab stops after the account keep their numbers, one down.
        rest = body.partition("${1:Account}")[2]
        for number in range(2, 5):
            rest = rest.replace("${" + f"{number}:", "${" + f"{number - 1}:")
        prefix = body.partition("${1:Account}")[0].replace("arn:aws:", "arn:", 1)
        text = (snippet_escape(f"arn:{partition}:") + prefix.removeprefix("arn:")
                + snippet_escape(account) + rest)
        stop = _TAB_STOP.search(label)
        items.append(CompletionItem(label, ItemKind.ARN, f"{quote}{text}{quote}",
                                    detail + suffix, _STACK_NOTE[lang], f"1!{rank}",
                                    label[:stop.start()] if stop else label, snippet=True))
    return items


# A tab stop's `{Name}` in a label, not a pseudo parameter's `${AWS::…}`.
_TAB_STOP = re.compile(r"(?<!\$)\{")


_STACK_NOTE = {
    "en": "In `Fn::Sub`, CloudFormation writes the partition and the ID of the account the "
          "stack is deployed in for `${AWS::Partition}` and `${AWS::AccountId}`.",
    "ko": "`Fn::Sub` 안에서 CloudFormation은 `${AWS::Partition}`과 `${AWS::AccountId}` 자리에 "
          "스택을 배포한 파티션과 계정 ID를 씁니다.",
}


def _canonical_user_item(lang: str, quote: str) -> CompletionItem:
    """A tab stop for the ID: there is no value to offer but the user's own."""
    detail = ("정식 사용자 ID(16진수 64자)" if lang == "ko" else
              "canonical user ID (64 hexadecimal characters)")
    return CompletionItem("{CanonicalUserId}", ItemKind.VALUE,
                          f"{quote}${{1:CanonicalUserId}}{quote}", detail,
                          (type_note("CanonicalUser", lang) or "") + "\n\n" + _CANONICAL_HOW[lang],
                          "0", "", snippet=True)


_CANONICAL_HOW = {
    "en": "The account's ID is the `Owner.ID` of `aws s3api list-buckets`; a CloudFront origin "
          "access identity's is its `S3CanonicalUserId` (`!GetAtt Identity.S3CanonicalUserId` in "
          "CloudFormation, `s3_canonical_user_id` in Terraform).",
    "ko": "계정의 ID는 `aws s3api list-buckets` 결과의 `Owner.ID`이고, CloudFront 원본 액세스 "
          "ID의 것은 `S3CanonicalUserId`입니다(CloudFormation의 "
          "`!GetAtt Identity.S3CanonicalUserId`, Terraform의 `s3_canonical_user_id`).",
}

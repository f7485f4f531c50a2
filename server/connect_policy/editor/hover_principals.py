"""Hover on principals: a principal type key (`AWS`, `Service`, ...), a service principal
(which service; for the Amazon Connect services what they need it for), an `AWS` principal
(account, role, user, session; `:root` is the account), a `Federated` provider and `*`.
Markdown in English or Korean; `hover.py` places it.
"""

from __future__ import annotations

import re

from ..catalog.service_principals import (
    find_service_principal,
    is_service_principal_form,
    service_principals,
)
from ..catalog.services import ServiceCatalog
from ..catalog.suggest import best_matches
from ..document.syntax import JsonObject, JsonString
from .completion_principals import is_statement_path, principal_place
from .principal_notes import (
    PRINCIPAL_ELEMENTS,
    PRINCIPAL_TYPES,
    anyone_note,
    aws_note,
    federated_note,
    service_note,
    type_note,
)

_TYPE_TITLE = {"en": "principal type", "ko": "보안 주체 유형"}
_NOT_ANYONE = {"en": "\n\nIn `NotPrincipal`, `*` leaves no one the statement applies to.",
               "ko": "\n\n`NotPrincipal`에 `*`를 쓰면 아무에게도 적용되지 않습니다."}
_DID_YOU_MEAN = {"en": "\n\nDid you mean: ", "ko": "\n\n비슷한 서비스 보안 주체: "}


def principal_markdown(node: JsonString, path: tuple[str | int, ...], is_key: bool,
                       statement: JsonObject | None, lang: str, catalog: ServiceCatalog
                       ) -> str | None:
    """The hover text for a principal at `path` (of the value, or of the member for a key);
    None when `path` is no principal's."""
    if is_key:
        if len(path) >= 2 and path[-2] in PRINCIPAL_ELEMENTS and path[-1] in PRINCIPAL_TYPES \
                and is_statement_path(path[:-2]):
            name = str(path[-1])
            return f"**{name}** — {_TYPE_TITLE[lang]}\n\n{type_note(name, lang)}"
        return None
    place = principal_place(path)
    if place is None:
        return None
    element, kind = place
    value = node.value
    if value == "*" and kind in (None, "AWS"):
        anyone = anyone_note(_effect(statement), lang)
        return anyone + _NOT_ANYONE[lang] if element == "NotPrincipal" else anyone
    if kind == "AWS":
        return aws_note(value, lang)
    if kind == "Service" and is_service_principal_form(value):
        known = find_service_principal(value)
        prefix = known.service if known is not None else value.partition(".")[0].lower()
        service = catalog.service_name(prefix) if prefix and catalog.has_service(prefix) \
            else None
        note = service_note(value, service, known is not None, lang)
        if known is None:
            guesses = best_matches(value.lower(), (p.name for p in service_principals()))
            if guesses:
                note += _DID_YOU_MEAN[lang] + ", ".join(f"`{g}`" for g in guesses[:3])
        return note
    if kind == "Federated":
        return federated_note(value, lang)
    if kind == "CanonicalUser":
        note = f"**{value}**\n\n{type_note('CanonicalUser', lang)}"
        if _CANONICAL_ID.fullmatch(value) is None and "${" not in value:
            note += _NOT_CANONICAL[lang]
        return note
    return None


# The form in which AWS shows a canonical user ID. IAM's own rule for the value is not
# documented, so a value of another form gets a word here and no diagnostic.
_CANONICAL_ID = re.compile(r"[0-9a-f]{64}")
_NOT_CANONICAL = {
    "en": "\n\n⚠ Not 64 lowercase hexadecimal characters, the form in which AWS shows canonical "
          "user IDs: check the value.",
    "ko": "\n\n⚠ AWS가 보여 주는 정식 사용자 ID의 형태(16진수 소문자 64자)가 아닙니다. 값을 "
          "확인하세요.",
}


def _effect(statement: JsonObject | None) -> str | None:
    effect = statement.value_of("Effect") if statement is not None else None
    return effect.value if isinstance(effect, JsonString) else None

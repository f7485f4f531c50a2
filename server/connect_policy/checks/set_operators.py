"""The set qualifiers `ForAllValues:` and `ForAnyValue:` against what the key can hold.

A set qualifier compares every value of a multivalued key; without values (the key missing
from the request) `ForAllValues:` is true and `ForAnyValue:` false. Hence:

- FORALLVALUES_WITH_SINGLE_VALUED_KEY (Access Analyzer's, a security warning): `ForAllValues:`
  on a global or tag key, which holds one value, matches requests without it.
- SET_OPERATOR_WITH_SINGLE_VALUED_KEY (ours, a suggestion): the cases Access Analyzer leaves
  alone. `ForAnyValue:` on any single-valued key, and `ForAllValues:` on a service key the
  Service Authorization Reference lists as single-valued (Access Analyzer accepts it: AWS's
  own examples use `ForAllValues:` on `codestar-connections:ProviderAction`, which the
  reference types as a plain string, so the message says where the fact comes from). The fix
  drops the qualifier, preferred where that keeps the meaning (`…IfExists`, `ForAnyValue:`
  with a positive operator, `ForAllValues:` with a negated one); none where it would make the
  condition true for requests without the key (`ForAnyValue:` with a negated operator).
- ALLOW_WITH_FORALLVALUES (ours, a security warning): an Allow with `ForAllValues:` and a
  positive operator on a multivalued key also grants every request that lacks the key. Not
  reported when the statement makes the key present (`"Null": {key: "false"}`, a
  `ForAnyValue:` test of it, or for `…:TagKeys` a test of an `…:RequestTag/…` key), nor for
  the documented tag idiom, `…:TagKeys` with actions that take tags (which restricts the tag
  keys a caller may set, untagged requests included on purpose). On the live AWS managed
  policies that leaves 37 findings in 31 policies (15 of them `kms:GrantOperations`, which
  `kms:CreateGrant` always sends: the `Null` check costs nothing there); the tag idiom alone
  would have added 86.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..catalog.operators import ParsedOperator, parse_operator
from ..document.policy import strings_in
from ..document.syntax import JsonMember, JsonObject
from ..document.text import Span
from ..findings import Finding, Fix
from .condition_fixes import ConditionEditor, rename_operator

if TYPE_CHECKING:
    from .conditions import KeyInfo

CODES = frozenset({"FORALLVALUES_WITH_SINGLE_VALUED_KEY", "SET_OPERATOR_WITH_SINGLE_VALUED_KEY",
                   "ALLOW_WITH_FORALLVALUES"})


def check(member: JsonMember, info: KeyInfo, parsed: ParsedOperator, block: JsonMember,
          condition: JsonObject, editor: ConditionEditor,
          unsupported: Callable[[str], list[str]]) -> Iterator[Finding]:
    """The findings on one key's set qualifier; `unsupported(key)` names the statement's
    actions when none of them supports the key (else [])."""
    if parsed.qualifier is None:
        return
    if not info.multivalued:
        yield _single_valued(member, info, parsed, block, condition)
    elif (parsed.qualifier == "ForAllValues" and editor.effect == "Allow"
          and not parsed.operator.negated and not _key_present(member.key.value, condition)
          and not (_is_tag_keys(info.name) and not unsupported(info.name))):
        yield _allow_with_for_all_values(member, parsed, block, editor)


def _finding(code: str, en: str, ko: str, span: Span, fixes: tuple[Fix, ...],
             data: dict[str, object]) -> Finding:
    return Finding(code, en, span, fixes, data, translations={"ko": ko})


def _single_valued(member: JsonMember, info: KeyInfo, parsed: ParsedOperator,
                   block: JsonMember, condition: JsonObject) -> Finding:
    key = member.key.value
    qualifier = parsed.qualifier
    plain = parsed.canonical.partition(":")[2]
    data: dict[str, object] = {"key": key, "operator": block.key.value}
    if qualifier == "ForAllValues" and (info.is_global or info.tag):
        span = member.key.content_span() if key else member.key.span
        return _finding(
            "FORALLVALUES_WITH_SINGLE_VALUED_KEY", f'"{key}" has at most one value, and '
            '"ForAllValues:" also matches when the key is missing from the request, which '
            f'can allow too much: use "{plain}" without the qualifier',
            f'"{key}"은(는) 값이 하나뿐인 키이고, "ForAllValues:"는 요청에 키가 없을 때도 '
            f'일치하므로 너무 많이 허용할 수 있습니다. 한정자 없이 "{plain}"을(를) 쓰세요.',
            span, rename_operator(block, condition, plain), data)
    negated = parsed.operator.negated
    # Without values, ForAllValues is true and ForAnyValue false; the plain operator is false
    # (true when negated, or with IfExists). Dropping the qualifier keeps the meaning when
    # the two agree on a request without the key.
    same = parsed.if_exists or negated == (qualifier == "ForAllValues")
    source = "" if info.is_global or info.tag else (
        " (the Service Authorization Reference lists it as single-valued)")
    source_ko = "" if info.is_global or info.tag else "(서비스 권한 부여 참조 기준)"
    head = f'"{key}" has at most one value in a request{source}'
    head_ko = f'"{key}"은(는) 요청에 값이 하나뿐인 키이므로{source_ko}'
    if same:
        en = f'{head}, so "{qualifier}:" changes nothing here: use "{plain}"'
        ko = f'{head_ko} 여기서 "{qualifier}:"는 아무 효과가 없습니다. "{plain}"을(를) 쓰세요.'
        fixes = rename_operator(block, condition, plain)
    elif qualifier == "ForAllValues":
        en = (f'{head}, and "ForAllValues:" also matches when the key is missing from the '
              f'request, which can allow too much: use "{plain}"')
        ko = (f'{head_ko} "ForAllValues:"는 요청에 키가 없을 때도 일치해 너무 많이 허용할 수 '
              f'있습니다. "{plain}"을(를) 쓰세요.')
        fixes = rename_operator(block, condition, plain, preferred=False)
    else:
        en = (f'{head}, so "ForAnyValue:" only makes "{parsed.canonical}" false when the key '
              f'is missing, where "{plain}" would be true: say that with "{plain}" and a '
              f'"Null" check of "{key}" ("false"), which reads as meant')
        ko = (f'{head_ko} "ForAnyValue:"는 키가 없을 때 "{parsed.canonical}"을(를) 거짓으로 '
              f'만들 뿐입니다("{plain}"이면 참). "{plain}"과 "{key}"의 "Null" 검사("false")로 '
              "뜻을 드러내세요.")
        fixes = ()
    return _finding("SET_OPERATOR_WITH_SINGLE_VALUED_KEY", en, ko, block.key.content_span(),
                    fixes, data)


def _allow_with_for_all_values(member: JsonMember, parsed: ParsedOperator, block: JsonMember,
                               editor: ConditionEditor) -> Finding:
    key = member.key.value
    return _finding(
        "ALLOW_WITH_FORALLVALUES",
        f'"{parsed.canonical}" is also true when the request has no "{key}" at all, so this '
        f'Allow also grants every request without it: add "Null": {{"{key}": "false"}} to '
        "require the key",
        f'"{parsed.canonical}"은(는) 요청에 "{key}"이(가) 전혀 없을 때도 참이므로, 이 Allow는 '
        f'키가 없는 모든 요청도 허용합니다. 키를 요구하려면 "Null": {{"{key}": "false"}} '
        "조건을 추가하세요.",
        block.key.content_span(), editor.require_key(key),
        {"key": key, "operator": block.key.value})


def _is_tag_keys(name: str) -> bool:
    return name.lower().partition(":")[2] == "tagkeys"


def _positive_test(parsed: ParsedOperator | None) -> bool:
    """Whether an operator is true only for requests that have the key: a positive operator
    without `IfExists` (with or without `ForAnyValue:`), not `Null`."""
    return (parsed is not None and parsed.qualifier != "ForAllValues" and not parsed.if_exists
            and not parsed.operator.negated and parsed.operator.type != "Null")


def _key_present(key: str, condition: JsonObject) -> bool:
    """Whether the statement's other conditions make the key present in every request they
    allow: a `Null` test of it with "false", a `ForAnyValue:` test of it, or for `…:TagKeys`
    any such test of an `…:RequestTag/…` key (a request tag brings its key along)."""
    low = key.lower()
    prefix = low.partition(":")[0]
    tag_keys = _is_tag_keys(low)
    for block in condition.members:
        if not isinstance(block.value, JsonObject):
            continue
        operator = parse_operator(block.key.value)
        is_null = operator is not None and operator.operator.type == "Null"
        for entry in block.value.members:
            name = entry.key.value.lower()
            same = name == low
            request_tag = tag_keys and name.startswith(f"{prefix}:requesttag/")
            if not (same or request_tag):
                continue
            if is_null:
                values = [node.value.lower() for node, _ in strings_in(entry.value)]
                if values == ["false"]:
                    return True
            elif _positive_test(operator) and (
                    request_tag or (operator is not None and operator.qualifier == "ForAnyValue")):
                return True
    return False


__all__ = ["CODES", "check"]

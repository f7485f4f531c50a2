"""The `Condition` element: operators and condition keys, as IAM Access Analyzer checks them.

Operators: INVALID_CONDITION_OPERATOR (IAM matches operator names case-sensitively, so
`stringEquals` is as wrong as `StringEqual`), NULL_WITH_IF_EXISTS, NULL_WITH_QUALIFIER.
Keys: INVALID_CONDITION_KEY_FORMAT, INVALID_GLOBAL_CONDITION_KEY, INVALID_SERVICE_CONDITION_KEY,
MISSING_TAG_KEY_IN_CONDITION, UNSUPPORTED_ACTION_FOR_CONDITION_KEY, MISSING_QUALIFIER,
TYPE_MISMATCH and STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS. The values are checked in
`condition_values`, which also checks the policy variables of `Resource` and `NotResource`;
set qualifiers against the key's cardinality (FORALLVALUES_WITH_SINGLE_VALUED_KEY and ours) in
`set_operators`.

Key names are case-insensitive in IAM. Types come from the global keys table and the service
catalog ("ArrayOf…" marks a multivalued key). Calibrated on AWS managed policies against
Access Analyzer's findings: string operators on ARN keys and ARN operators on string keys are
accepted (only StringLike/StringNotLike on an ARN key is reported); keys of providers that are
not service prefixes (`accounts.google.com:aud`, `saml:aud`) are left alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from ..catalog import services as services_module
from ..catalog.global_keys import GLOBAL_CONDITION_KEYS, find_global_key
from ..catalog.operators import (
    CONDITION_OPERATORS,
    IF_EXISTS_SUFFIX,
    SET_OPERATORS,
    ParsedOperator,
    find_operator,
    parse_operator,
)
from ..catalog.services import ServiceCatalog
from ..catalog.suggest import best_matches
from ..document.policy import Statement, strings_in
from ..document.syntax import JsonMember, JsonObject, JsonString
from ..document.text import Span
from ..findings import Finding, Fix, replace_fix
from . import condition_values, set_operators
from .condition_fixes import ConditionEditor, rename_operator
from .context import CheckContext

# Every code this module and `condition_values` report.
CODES = frozenset({
    "INVALID_CONDITION_OPERATOR", "NULL_WITH_IF_EXISTS", "NULL_WITH_QUALIFIER",
    "EMPTY_OBJECT_CONDITION", "INVALID_CONDITION_KEY_FORMAT", "INVALID_GLOBAL_CONDITION_KEY",
    "INVALID_SERVICE_CONDITION_KEY", "MISSING_TAG_KEY_IN_CONDITION",
    "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", "MISSING_QUALIFIER",
    "TYPE_MISMATCH", "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS",
}) | condition_values.VALUE_CODES | set_operators.CODES

# Global keys Access Analyzer accepts that the global keys page no longer lists (AWS managed
# policies use them and Access Analyzer raised nothing): name -> type.
_LEGACY_GLOBAL_KEYS = {"aws:principalorgmasteraccountid": "String", "aws:sourceowner": "String"}
_TAG_TEMPLATES = ("/${tagkey}",)
_OPERATOR_TYPE_WORDS = {"String": "string", "ARN": "ARN", "Bool": "Boolean", "Numeric": "numeric",
                        "Date": "date", "IPAddress": "IP address", "Binary": "binary"}
_TYPE_WORDS_KO = {"String": "문자열", "ARN": "ARN", "Bool": "부울", "Numeric": "숫자",
                  "Date": "날짜", "IPAddress": "IP 주소", "Binary": "이진"}
_EXAMPLE_OPERATOR = {"String": "StringEquals", "ARN": "ArnLike", "Bool": "Bool",
                     "Numeric": "NumericEquals", "Date": "DateGreaterThan",
                     "IPAddress": "IpAddress", "Binary": "BinaryEquals"}


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """What the catalogs say about a condition key used in a policy."""

    name: str  # catalog spelling, e.g. `ec2:ResourceTag/${TagKey}`
    type: str  # base type: String, ARN, Bool, Numeric, Date, IPAddress
    multivalued: bool
    accepted: tuple[str, ...]  # operator families that fit, the key's own type first
    is_global: bool
    tag: bool  # a `…Tag/<tag-key>` key (always single-valued)


@dataclass(frozen=True, slots=True)
class KeyProblem:
    code: str
    message: str
    ko: str
    start: int  # range inside the key text
    end: int
    suggestions: tuple[str, ...] = ()  # whole keys to write instead


def _f(code: str, en: str, ko: str, span: Span, fixes: tuple[Fix, ...] = (),
       data: Mapping[str, object] | None = None) -> Finding:
    return Finding(code, en, span, fixes, dict(data or {}), translations={"ko": ko})


def _content_fix(node: JsonString, text: str, title: str, preferred: bool = True) -> Fix:
    escaped = json.dumps(text, ensure_ascii=False)[1:-1]
    return replace_fix(title, node.content_span(), escaped, preferred)


def _key_span(node: JsonString) -> Span:
    return node.content_span() if node.value else node.span


# --- The check -------------------------------------------------------------------------------


def check(context: CheckContext) -> Iterator[Finding]:
    for statement in context.policy.statements:
        yield from check_statement(context, statement)


def check_statement(context: CheckContext, statement: Statement) -> Iterator[Finding]:
    version_ok = condition_values.variables_supported(context.policy)
    condition = statement.value("Condition")
    if isinstance(condition, JsonObject):
        editor = ConditionEditor(context.text, statement, condition)
        yield from _check_condition(statement, condition, context.catalog, version_ok,
                                    editor)
    for element in ("Resource", "NotResource"):
        for node, _ in strings_in(statement.value(element)):
            yield from condition_values.check_variables(node, None, version_ok)


def statement_context(context: CheckContext) -> object | None:
    """What a statement's findings depend on outside it: whether the policy's `Version`
    allows variables. None (do not reuse them) when it does not: a finding then points at
    the `Version`, outside the statement."""
    return True if condition_values.variables_supported(context.policy).supported else None


def _check_condition(statement: Statement, condition: JsonObject, catalog: ServiceCatalog,
                     version_ok: condition_values.VersionState, editor: ConditionEditor
                     ) -> Iterator[Finding]:
    if not condition.members and condition.closed:
        yield _f("EMPTY_OBJECT_CONDITION", '"Condition" is an empty object: add condition '
                 "operators or remove the element", '"Condition"이(가) 빈 객체입니다. 조건 '
                 "연산자를 추가하거나 요소를 지우세요.", condition.span)
    actions = _StatementActions(statement, catalog)
    operator_names = {m.key.value for m in condition.members}
    for block in condition.members:
        parsed, findings = _check_operator(block, operator_names, editor)
        yield from findings
        if not isinstance(block.value, JsonObject):
            continue
        if not block.value.members and block.value.closed:
            yield _f("EMPTY_OBJECT_CONDITION", f'"{block.key.value}" has no condition keys: '
                     "add a key and its values, or remove the operator",
                     f'"{block.key.value}"에 조건 키가 없습니다. 키와 값을 추가하거나 연산자를 '
                     "지우세요.", block.value.span)
        for member in block.value.members:
            yield from _check_key(member, block, parsed, condition, catalog, actions,
                                  version_ok, editor)


# --- Operators -------------------------------------------------------------------------------


def _spell(qualifier: str | None, name: str, if_exists: bool) -> str:
    return f"{qualifier + ':' if qualifier else ''}{name}{IF_EXISTS_SUFFIX if if_exists else ''}"


@lru_cache(maxsize=1)
def _all_spellings() -> tuple[str, ...]:
    found = []
    for qualifier in (None, *SET_OPERATORS):
        for op in CONDITION_OPERATORS:
            if op.type == "Null" and qualifier:
                continue
            for if_exists in (False, True) if op.supports_if_exists else (False,):
                found.append(_spell(qualifier, op.name, if_exists))
    return tuple(found)


def _unqualified(text: str) -> ParsedOperator | None:
    """`text` as an operator without a set qualifier, if it is one."""
    parsed = parse_operator(text)
    return parsed if parsed is not None and parsed.qualifier is None else None


@lru_cache(maxsize=1024)
def _operator_suggestions(text: str) -> tuple[str, ...]:
    head, colon, tail = text.partition(":")
    base = _unqualified(tail) if colon else None
    if base is not None:
        qualifiers = best_matches(head, SET_OPERATORS, limit=1, threshold=0.5) or list(
            SET_OPERATORS)
        return tuple(f"{q}:{base.canonical}" for q in qualifiers)
    return tuple(best_matches(text, _all_spellings(), limit=3, threshold=0.4))


def _check_operator(block: JsonMember, names: set[str], editor: ConditionEditor
                    ) -> tuple[ParsedOperator | None, list[Finding]]:
    """The operator a block uses (None when unknown) and the findings on its spelling."""
    key = block.key
    text = key.value
    parsed = parse_operator(text)
    span = _key_span(key)
    if parsed is not None:
        if parsed.canonical == text:
            return parsed, []
        fix = _content_fix(key, parsed.canonical, f'Change to "{parsed.canonical}"')
        return parsed, [_f(
            "INVALID_CONDITION_OPERATOR", f'"{text}" is not a condition operator: operator names '
            f'are case-sensitive, write "{parsed.canonical}"',
            f'"{text}"은(는) 조건 연산자가 아닙니다. 연산자 이름은 대소문자를 구분하므로 '
            f'"{parsed.canonical}"(으)로 쓰세요.', span, (fix,),
            {"suggestions": [parsed.canonical]})]
    low = text.lower()
    head, colon, tail = text.partition(":")
    null = find_operator("Null")
    assert null is not None
    if low.rpartition(":")[2] == "nullifexists":
        corrected = "Null"  # which also drops a set qualifier: it has no effect on Null
        fixes = editor.remove_if_exists(block)
        return ParsedOperator(text, None, null, False), [_f(
            "NULL_WITH_IF_EXISTS", f'"{text}": the "Null" operator takes no "IfExists" suffix '
            f'(it already tests whether the key exists); use "{corrected}"',
            f'"{text}": "Null" 연산자에는 "IfExists" 접미사를 붙일 수 없습니다(이미 키의 존재 '
            f'여부를 검사합니다). "{corrected}"을(를) 쓰세요.',
            key.content_span(len(text) - len(IF_EXISTS_SUFFIX), len(text)), fixes)]
    if colon and head in SET_OPERATORS and tail == "Null":
        fixes = () if "Null" in names else (_content_fix(key, "Null", 'Change to "Null"'),)
        return ParsedOperator(text, None, null, False), [_f(
            "NULL_WITH_QUALIFIER", f'"{head}:" has no effect on "Null", which only tests whether '
            'the key is present: use "Null" alone',
            f'"{head}:"은(는) 키가 있는지만 검사하는 "Null"에 아무 효과가 없습니다. "Null"만 '
            "쓰세요.", key.content_span(0, len(head) + 1), fixes)]
    suggestions = list(_operator_suggestions(text))
    if colon and _unqualified(tail) is not None:
        en = (f'"{head}" is not a set operator: use "ForAllValues" or "ForAnyValue"'
              + (f': did you mean "{suggestions[0]}"?' if len(suggestions) == 1 else ""))
        ko = (f'"{head}"은(는) 집합 연산자가 아닙니다. "ForAllValues" 또는 "ForAnyValue"를 '
              "쓰세요.")
        span = key.content_span(0, len(head))
    elif not text.strip():
        en, ko = ('The condition operator is empty: write one such as "StringEquals"',
                  '조건 연산자가 비어 있습니다. "StringEquals" 같은 연산자를 쓰세요.')
    else:
        hint = f': did you mean "{suggestions[0]}"?' if suggestions else ""
        en = f'"{text}" is not a condition operator{hint}'
        ko = f'"{text}"은(는) 조건 연산자가 아닙니다' + (
            f'. "{suggestions[0]}"을(를) 쓰려던 것인가요?' if suggestions else ".")
    changes = tuple(_content_fix(key, s, f'Change to "{s}"', i == 0)
                    for i, s in enumerate(suggestions))
    return None, [_f("INVALID_CONDITION_OPERATOR", en, ko, span, changes,
                     {"suggestions": suggestions})]


# --- Keys: what the catalogs say -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ServiceKeys:
    exact: dict[str, tuple[str, str]]  # lower name -> (name, type)
    templates: tuple[tuple[re.Pattern[str], str, str, str], ...]  # regex, literal head, name, type
    names: tuple[str, ...]  # names without placeholders, for suggestions


_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|<[^>]*>")


@lru_cache(maxsize=512)
def _service_keys(catalog: ServiceCatalog, prefix: str) -> _ServiceKeys | None:
    service = catalog.service(prefix)
    if service is None:
        return None
    own = prefix.lower() + ":"
    exact: dict[str, tuple[str, str]] = {}
    templates: list[tuple[re.Pattern[str], str, str, str]] = []
    for low, key in service.condition_keys.items():
        if not low.startswith(own):
            continue
        if _PLACEHOLDER.search(key.name):
            parts = _PLACEHOLDER.split(low)
            regex = re.compile(".+".join(re.escape(p) for p in parts), re.DOTALL)
            templates.append((regex, parts[0], key.name, key.type))
        else:
            exact[low] = (key.name, key.type)
    templates.sort(key=lambda t: -len(t[1]))
    return _ServiceKeys(exact, tuple(templates), tuple(n for n, _ in exact.values()))


def _info(name: str, type_: str, is_global: bool, alternates: tuple[str, ...] = ()) -> KeyInfo:
    multivalued = type_.startswith("ArrayOf")
    base = type_.removeprefix("ArrayOf")
    accepted = (base, *alternates)
    if base == "ARN" and "String" not in accepted:
        accepted += ("String",)
    if base == "String" and "ARN" not in accepted:
        accepted += ("ARN",)
    tag = name.lower().endswith(_TAG_TEMPLATES)
    return KeyInfo(name, base, multivalued, accepted, is_global, tag)


@lru_cache(maxsize=1)
def _global_names() -> tuple[str, ...]:
    return tuple(k.name for k in GLOBAL_CONDITION_KEYS if not k.is_template)


@lru_cache(maxsize=1)
def _global_templates() -> tuple[str, ...]:
    return tuple(k.template_prefix or "" for k in GLOBAL_CONDITION_KEYS if k.is_template)


@lru_cache(maxsize=1)
def _unassociated_prefixes() -> frozenset[str]:
    try:
        data = services_module._load("unassociatedConditions.json")
    except (OSError, ValueError):
        return frozenset()
    return frozenset(str(name).lower() for name in data)


@lru_cache(maxsize=8192)
def resolve_key(catalog: ServiceCatalog, key: str) -> KeyInfo | KeyProblem | None:
    """The key's facts, what is wrong with its name, or None when it cannot be judged."""
    stripped = key.strip()
    if not stripped:
        return KeyProblem("INVALID_CONDITION_KEY_FORMAT", "The condition key is empty: write "
                          '"service:key-name", for example "aws:SourceIp"',
                          '조건 키가 비어 있습니다. "aws:SourceIp"처럼 "서비스:키-이름" 형식으로 '
                          "쓰세요.", 0, len(key))
    if stripped != key:
        return KeyProblem("INVALID_CONDITION_KEY_FORMAT", f'"{key}" has whitespace around the '
                          f'key name: write "{stripped}"', f'"{key}"의 앞뒤에 공백이 있습니다. '
                          f'"{stripped}"(으)로 쓰세요.', 0, len(key), (stripped,))
    prefix, colon, name = key.partition(":")
    if not colon or not prefix or not name or any(ch.isspace() for ch in prefix):
        what = ('has no "service:" prefix' if not colon else "has an empty service prefix"
                if not prefix else "has no key name after the colon" if not name
                else "has whitespace in its service prefix")
        what_ko = ('"서비스:" 접두사가 없습니다' if not colon else "서비스 접두사가 비어 있습니다"
                   if not prefix else "콜론 뒤에 키 이름이 없습니다" if not name
                   else "서비스 접두사에 공백이 있습니다")
        suggestions = tuple(best_matches(key, _global_names(), limit=1)) if not colon else ()
        return KeyProblem("INVALID_CONDITION_KEY_FORMAT", f'"{key}" {what}: a condition key is '
                          'written "service:key-name", for example "aws:SourceIp"'
                          + (f'; did you mean "{suggestions[0]}"?' if suggestions else ""),
                          f'"{key}"에 {what_ko}. 조건 키는 "aws:SourceIp"처럼 "서비스:키-이름" '
                          "형식으로 씁니다.", 0, len(key), suggestions)
    low = key.lower()
    tag_problem = _missing_tag_key(key)
    if tag_problem is not None:
        return tag_problem
    found = find_global_key(key)
    if found is not None:
        return _info(found.name, ("ArrayOf" if found.multivalued else "") + found.type, True,
                     found.alternate_types)
    if low in _LEGACY_GLOBAL_KEYS:
        return _info(key, _LEGACY_GLOBAL_KEYS[low], True)
    if prefix.lower() == "aws":
        suggestions = _global_suggestions(key)
        hint = f': did you mean "{suggestions[0]}"?' if suggestions else ""
        return KeyProblem("INVALID_GLOBAL_CONDITION_KEY", f'"{key}" is not a global condition '
                          f"key{hint}", f'"{key}"은(는) 전역 조건 키가 아닙니다'
                          + (f'. "{suggestions[0]}"을(를) 쓰려던 것인가요?' if suggestions
                             else "."), len(prefix) + 1, len(key), suggestions)
    keys = _service_keys(catalog, prefix)
    if keys is None:
        return _unknown_prefix(catalog, key, prefix, name)
    hit = _lookup(keys, low)
    if hit is not None:
        return _info(hit[0], hit[1], False)
    service_name = catalog.service_name(prefix)
    suggestions = _service_suggestions(keys, key, prefix, name)
    hint = f': did you mean "{suggestions[0]}"?' if suggestions else ""
    return KeyProblem("INVALID_SERVICE_CONDITION_KEY", f'"{key}" is not a condition key of '
                      f"{service_name}{hint}", f'"{key}"은(는) {service_name}의 조건 키가 '
                      "아닙니다" + (f'. "{suggestions[0]}"을(를) 쓰려던 것인가요?' if suggestions
                                   else "."), len(prefix) + 1, len(key), suggestions)


def _lookup(keys: _ServiceKeys, low: str) -> tuple[str, str] | None:
    hit = keys.exact.get(low)
    if hit is not None:
        return hit
    for regex, _head, name, type_ in keys.templates:
        if regex.fullmatch(low):
            return name, type_
    return None


def _missing_tag_key(key: str) -> KeyProblem | None:
    """`aws:ResourceTag` or `ec2:ResourceTag/` without the tag key."""
    low = key.lower()
    name = low.partition(":")[2]
    for tag in ("resourcetag", "requesttag", "principaltag"):
        if name == tag or name == tag + "/":
            written = key.rstrip("/")
            return KeyProblem("MISSING_TAG_KEY_IN_CONDITION", f'"{key}" names no tag: write '
                              f'"{written}/<tag-key>", for example "{written}/Department"',
                              f'"{key}"에 태그 키가 없습니다. "{written}/Department"처럼 '
                              f'"{written}/<태그-키>" 형식으로 쓰세요.', 0, len(key))
    return None


def _global_suggestions(key: str) -> tuple[str, ...]:
    head, slash, rest = key.partition("/")
    if slash and rest:
        close = best_matches(head + "/", _global_templates(), limit=1)
        if close:
            return (close[0] + rest,)
    return tuple(best_matches(key, _global_names(), limit=3))


def _service_suggestions(keys: _ServiceKeys, key: str, prefix: str, name: str
                         ) -> tuple[str, ...]:
    as_global = find_global_key("aws:" + name)
    if as_global is not None:  # `s3:SourceIp`, `connect:ResourceTag/x`: the global key
        return (as_global.name if not as_global.is_template else "aws:" + name,)
    head, slash, rest = key.partition("/")
    if slash and rest:
        heads = [t[2][: len(t[1])] for t in keys.templates]
        close = best_matches(head + "/", heads, limit=1)
        if close:
            return (close[0] + rest,)
    return tuple(best_matches(key, keys.names, limit=3))


def _unknown_prefix(catalog: ServiceCatalog, key: str, prefix: str, name: str
                    ) -> KeyProblem | None:
    """A prefix that is no service: OIDC and SAML providers are fine; a near-miss of a
    service whose key then exists is reported."""
    low = prefix.lower()
    if (any(ch in prefix for ch in "./${}") or low in _unassociated_prefixes()
            or catalog.has_service(low) or catalog.retired_service(low) is not None
            or catalog.recognised_retired_service(low) is not None):
        return None
    candidates = [p for p in best_matches(low, catalog.prefixes, limit=3)]
    if best_matches(low, ["aws"], limit=1):
        candidates.insert(0, "aws")
    for candidate in candidates:
        corrected = f"{candidate}:{name}"
        found = resolve_key(catalog, corrected)
        if isinstance(found, KeyInfo):
            shown = found.name if not _PLACEHOLDER.search(found.name) else corrected
            return KeyProblem("INVALID_SERVICE_CONDITION_KEY", f'"{prefix}" is not a service '
                              f'prefix: did you mean "{shown}"?', f'"{prefix}"은(는) 서비스 '
                              f'접두사가 아닙니다. "{shown}"을(를) 쓰려던 것인가요?',
                              0, len(prefix), (corrected,))
    return None


# --- Keys: the checks ------------------------------------------------------------------------


def _check_key(member: JsonMember, block: JsonMember, parsed: ParsedOperator | None,
               condition: JsonObject, catalog: ServiceCatalog, actions: _StatementActions,
               version_ok: condition_values.VersionState, editor: ConditionEditor
               ) -> Iterator[Finding]:
    node = member.key
    resolved = resolve_key(catalog, node.value)
    info = resolved if isinstance(resolved, KeyInfo) else None
    if isinstance(resolved, KeyProblem):
        yield _problem_finding(node, resolved)
    if parsed is not None:
        yield from condition_values.check_values(member, block, parsed, info, condition,
                                                 version_ok)
    if info is None:
        return
    if not info.is_global and not info.tag:
        unsupported = actions.unsupported(info.name)
        if unsupported:
            yield _unsupported_action(node, info, unsupported, catalog)
    if parsed is None or parsed.operator.type == "Null":
        return
    yield from _check_operator_for_key(member, info, parsed, block, condition, editor,
                                       actions.unsupported)


def _problem_finding(node: JsonString, problem: KeyProblem) -> Finding:
    fixes: tuple[Fix, ...] = ()
    if problem.suggestions:
        fixes = tuple(_content_fix(node, s, f'Change to "{s}"', i == 0)
                      for i, s in enumerate(problem.suggestions) if "${" not in s)
    span = (node.content_span(problem.start, problem.end) if node.value else node.span)
    return _f(problem.code, problem.message, problem.ko, span, fixes,
              {"key": node.value, "suggestions": list(problem.suggestions)})


def _a(word: str) -> str:
    """`word` with its indefinite article ("an ARN", "an IP address", "a string")."""
    vowel = word[:1].lower() in "aeiou" or word.startswith(("ARN", "IP"))
    return f"{'an' if vowel else 'a'} {word}"


def _check_operator_for_key(member: JsonMember, info: KeyInfo, parsed: ParsedOperator,
                            block: JsonMember, condition: JsonObject, editor: ConditionEditor,
                            unsupported: Callable[[str], list[str]]) -> Iterator[Finding]:
    node = member.key
    key, op = node.value, parsed.operator
    span = _key_span(node)
    data: dict[str, object] = {"key": key, "operator": block.key.value}
    if info.multivalued and parsed.qualifier is None:
        yield _f("MISSING_QUALIFIER", f'"{key}" can have several values in a request: write '
                 f'"ForAnyValue:{parsed.canonical}" (any value matches) or '
                 f'"ForAllValues:{parsed.canonical}" (every value matches)',
                 f'"{key}"은(는) 요청에 여러 값이 들어갈 수 있는 키입니다. '
                 f'"ForAnyValue:{parsed.canonical}"(값 중 하나라도 일치) 또는 '
                 f'"ForAllValues:{parsed.canonical}"(모든 값이 일치)를 쓰세요.', span,
                 editor.qualifier_fixes(block, member, parsed), data)
    yield from set_operators.check(member, info, parsed, block, condition, editor, unsupported)
    if op.type == "Binary" or op.type in info.accepted:
        if op.type == "String" and "ARN" in info.accepted and info.type == "ARN" and (
                op.name in ("StringLike", "StringNotLike")):
            arn_op = "ArnLike" if op.name == "StringLike" else "ArnNotLike"
            new = _spell(parsed.qualifier, arn_op, parsed.if_exists)
            yield _f("STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS",
                     f'"{key}" holds an ARN: match it with an ARN operator ("{new}") rather than '
                     f'"{parsed.canonical}", whose "*" also spans the ":" between ARN parts',
                     f'"{key}"은(는) ARN 값을 가집니다. '
                     f'"{parsed.canonical}" 대신 ARN 연산자("{new}")를 쓰세요. 문자열 연산자의 '
                     '"*"는 ARN 구성 요소 사이의 ":"까지 일치합니다.', span,
                     rename_operator(block, condition, new), data)
        return
    wanted = " or ".join(f"{_OPERATOR_TYPE_WORDS.get(t, t)}" for t in info.accepted
                         if not (t == "String" and info.type == "ARN")
                         and not (t == "ARN" and info.type == "String"))
    wanted_ko = " 또는 ".join(_TYPE_WORDS_KO.get(t, t) for t in info.accepted
                              if not (t == "String" and info.type == "ARN")
                              and not (t == "ARN" and info.type == "String"))
    example = _EXAMPLE_OPERATOR.get(info.type, info.type)
    yield _f("TYPE_MISMATCH", f'"{key}" is {_a(_OPERATOR_TYPE_WORDS.get(info.type, info.type))} '
             f'key, but "{parsed.canonical}" is {_a(_OPERATOR_TYPE_WORDS.get(op.type, op.type))} '
             f'operator: use {_a(wanted)} operator such as "{example}"',
             f'"{key}"은(는) {_TYPE_WORDS_KO.get(info.type, info.type)} 키인데 '
             f'"{parsed.canonical}"은(는) {_TYPE_WORDS_KO.get(op.type, op.type)} 연산자입니다. '
             f'"{example}" 같은 {wanted_ko} 연산자를 쓰세요.', span, (),
             {**data, "expected": list(info.accepted)})


# --- Keys the statement's actions do not support ----------------------------------------------


@lru_cache(maxsize=65536)
def _action_keys(catalog: ServiceCatalog, prefix: str, action: str) -> frozenset[str]:
    service = catalog.service(prefix)
    found = service.action(action) if service is not None else None
    if service is None or found is None:
        return frozenset()
    return frozenset(k.lower() for k in catalog.condition_keys_of(found))


@lru_cache(maxsize=8192)
def _expand(catalog: ServiceCatalog, pattern: str) -> tuple[tuple[str, str], ...] | None:
    """(prefix, action) pairs an Action string names; None when it cannot be resolved."""
    prefix, colon, name = pattern.partition(":")
    service = catalog.service(prefix) if colon and name else None
    if service is None:
        return None
    matched = service.match(name)
    return tuple((service.prefix, a.name) for a in matched) or None


class _StatementActions:
    """The statement's actions, expanded once, asked which of them support a key."""

    def __init__(self, statement: Statement, catalog: ServiceCatalog) -> None:
        self._statement = statement
        self._catalog = catalog
        self._actions: list[tuple[str, str]] | None = None
        self._resolved = False

    def _load(self) -> list[tuple[str, str]] | None:
        if not self._resolved:
            self._resolved = True
            if self._statement.member("NotAction") is not None:
                return None
            value = self._statement.value("Action")
            names: list[tuple[str, str]] = []
            for node, _ in strings_in(value):
                expanded = _expand(self._catalog, node.value)
                if expanded is None:  # `*`, an unknown service or action: cannot judge
                    return None
                names.extend(expanded)
            self._actions = names or None
        return self._actions

    def unsupported(self, key_name: str) -> list[str]:
        """The statement's actions, when the key belongs to another service and none of them
        supports it; [] otherwise.

        Within one service the catalog's per-action key lists are incomplete (AWS managed
        policies use `aws-marketplace:ProductId` with `aws-marketplace:Subscribe`, and Access
        Analyzer accepts it), so only a key of a service the statement has no action of is
        judged.
        """
        actions = self._load()
        if not actions:
            return []
        low = key_name.lower()
        service = low.partition(":")[0]
        if any(prefix.lower() == service for prefix, _ in actions):
            return []
        for prefix, action in actions:
            if low in _action_keys(self._catalog, prefix, action):
                return []
        return [f"{prefix}:{action}" for prefix, action in dict.fromkeys(actions)]


def _unsupported_action(node: JsonString, info: KeyInfo, actions: list[str],
                        catalog: ServiceCatalog) -> Finding:
    shown = ", ".join(f'"{a}"' for a in actions[:3])
    more = f" and {len(actions) - 3} more" if len(actions) > 3 else ""
    more_ko = f" 외 {len(actions) - 3}개" if len(actions) > 3 else ""
    key = node.value
    service = catalog.service_name(key.partition(":")[0])
    return _f("UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
              f'"{key}" is a condition key of {service}, and no action of this statement '
              f"({shown}{more}) supports it: the key is never in these requests, so the "
              "condition cannot work as intended. Use a key these actions support, or move the "
              "condition to a statement with the actions it belongs to",
              f'"{key}"은(는) {service}의 조건 키인데 이 문의 작업({shown}{more_ko}) 중 이 키를 '
              "지원하는 작업이 없습니다. 요청에 키가 들어가지 않으므로 조건이 의도대로 동작하지 "
              "않습니다. 이 작업들이 지원하는 키를 쓰거나, 해당 작업이 있는 문으로 조건을 "
              "옮기세요.", _key_span(node), (),
              {"key": key, "catalog_key": info.name, "actions": actions})


__all__ = ["CODES", "KeyInfo", "KeyProblem", "check", "resolve_key"]

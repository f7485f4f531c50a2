"""Structure from the JSON Schema: INVALID_VERSION, INVALID_EFFECT, MISSING_STATEMENT,
MISSING_EFFECT, INVALID_POLICY_ELEMENT and INVALID_PRINCIPAL_KEY, each at the range of the
offending element.

The schema (`schemas/iam-policy.schema.json`) is the single statement of the document's
shape; this module only turns its validation errors into findings a person can act on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only explaining an invalid document needs jsonschema
    from jsonschema import Draft202012Validator, ValidationError

from ..catalog.suggest import best_matches
from ..document.policy import STATEMENT_ELEMENTS, DocumentKind, node_at
from ..document.syntax import (
    JsonInvalid,
    JsonMember,
    JsonNumber,
    JsonObject,
    JsonString,
    JsonValue,
    to_python,
)
from ..document.text import Span
from ..findings import Finding, Fix, replace_fix
from .context import CheckContext
from .schema import (
    policy_is_valid,
    policy_validator,
    statement_is_valid,
    statement_validator,
)

VERSIONS = ("2012-10-17", "2008-10-17")
TOP_LEVEL_ELEMENTS = ("Version", "Id", "Statement")
_TYPE_WORDS = {"string": "a string", "array": "an array", "object": "an object",
               "number": "a number", "boolean": "true or false", "integer": "a whole number",
               "null": "null"}
_TYPE_WORDS_KO = {"string": "문자열", "array": "배열", "object": "객체", "number": "숫자",
                  "boolean": '부울 값("true" 또는 "false")', "integer": "정수", "null": '"null"'}
# Where an unknown element was found: the container, and "is not <what>" with its particle.
_CONTAINERS_KO = {"statement": "문", "principal": "보안 주체", "policy": "정책"}
_NOT_WHAT_KO = {"statement": "문 요소가", "principal": "보안 주체 유형이", "policy": "정책 요소가"}


def check(context: CheckContext) -> Iterator[Finding]:
    policy = context.policy
    if policy.root is None and policy.kind is not DocumentKind.STATEMENTS:
        return
    if policy.kind is DocumentKind.POLICY and policy.root is not None:
        yield from _check_against(policy.root, policy_is_valid(), policy_validator)
    elif policy.kind is DocumentKind.STATEMENT and policy.root is not None:
        yield from _check_against(policy.root, statement_is_valid(), statement_validator)
    for statement in policy.statements:
        # Lone statements: pasted after the document, or the items of a bare array.
        if statement.node is not policy.root and (
                not statement.path or policy.kind is DocumentKind.STATEMENTS):
            yield from _check_against(statement.node, statement_is_valid(),
                                      statement_validator)


def _check_against(root: JsonObject, is_valid: Callable[[Any], bool],
                   validator: Callable[[], Draft202012Validator]) -> Iterator[Finding]:
    instance = to_python(root)
    if not is_valid(instance):  # the fast answer; jsonschema explains the failures
        yield from _validate(root, validator().iter_errors(instance))


def _validate(root: JsonObject, errors: Iterator[ValidationError]) -> Iterator[Finding]:
    seen: set[tuple[str, int, int]] = set()
    for error in errors:
        for finding in _findings(root, error):
            key = (finding.code, finding.span.start, finding.span.end)
            if key not in seen:
                seen.add(key)
                yield finding


def _damaged(node: JsonValue | JsonMember | None) -> bool:
    """Values the parser could not read: the syntax error already covers them."""
    if isinstance(node, JsonMember):
        node = node.value
    return node is None or isinstance(node, JsonInvalid) or (
        isinstance(node, JsonNumber) and node.value is None)


def _value_span(node: JsonValue | JsonMember) -> Span:
    if isinstance(node, JsonMember):
        return node.value.span if node.value is not None else node.key.span
    return node.span


def _opening(node: JsonValue | JsonMember | None) -> Span:
    if isinstance(node, JsonMember):
        return node.key.span
    if node is None:
        return Span(0, 0)
    return Span(node.start, node.start + 1)


def _findings(root: JsonObject, error: ValidationError) -> list[Finding]:
    path: list[str | int] = list(error.absolute_path)
    node = node_at(root, path)
    if isinstance(node, JsonMember) and isinstance(node.value, JsonObject) and (
            error.validator == "additionalProperties"):
        node = node.value
    if error.validator == "additionalProperties":
        return _unknown_elements(node, error) if isinstance(node, JsonObject) else []
    finding = _finding(node, path, error)
    return [finding] if finding else []


def _finding(node: JsonValue | JsonMember | None, path: list[str | int],
             error: ValidationError) -> Finding | None:
    element = next((step for step in reversed(path) if isinstance(step, str)), "")
    validator = error.validator

    if validator == "required":
        missing = _missing_name(error)
        if missing == "Statement":
            return Finding("MISSING_STATEMENT", 'The policy has no "Statement": add '
                           '"Statement": [ … ] with at least one statement',
                           _opening(node),
                           translations={"ko": '정책에 "Statement"가 없습니다. 문이 하나 이상 든 '
                                               '"Statement": [ … ]를 추가하세요.'})
        if missing == "Effect":
            return Finding("MISSING_EFFECT", 'The statement has no "Effect": add '
                           '"Effect": "Allow" or "Effect": "Deny"', _opening(node),
                           translations={"ko": '문에 "Effect"가 없습니다. '
                                               '"Effect": "Allow" 또는 "Effect": "Deny"를 '
                                               "추가하세요."})
        return Finding("INVALID_POLICY_ELEMENT", f'Missing required element "{missing}"',
                       _opening(node),
                       translations={"ko": f'필수 요소 "{missing}"이(가) 없습니다.'})

    if node is None or _damaged(node):
        return None
    span = _value_span(node)
    value_node = node.value if isinstance(node, JsonMember) else node

    if path and path[-1] == "Version":
        shown = _shown(value_node)
        fix = replace_fix('Use "2012-10-17"', span, '"2012-10-17"')
        return Finding("INVALID_VERSION", f"{shown} is not a policy language version: use "
                       '"2012-10-17" (current) or "2008-10-17"', span, (fix,),
                       translations={"ko": f"{_shown_ko(value_node)} 정책 언어 버전이 아닙니다. "
                                           '"2012-10-17"(현재 버전) 또는 "2008-10-17"을 '
                                           "쓰세요."})
    if path and path[-1] == "Effect":
        shown = _shown(value_node)
        fixes: tuple[Fix, ...] = ()
        if isinstance(value_node, JsonString):
            for valid in ("Allow", "Deny"):
                if value_node.value.strip().lower() == valid.lower():
                    fixes = (replace_fix(f'Change to "{valid}"', span, f'"{valid}"'),)
        return Finding("INVALID_EFFECT", f'{shown} is not a valid "Effect": use "Allow" or '
                       '"Deny" (case-sensitive)', span, fixes,
                       translations={"ko": f'{_shown_ko(value_node)} 올바른 "Effect"가 아닙니다. '
                                           '"Allow" 또는 "Deny"를 쓰세요(대소문자를 '
                                           "구분합니다)."})
    if path and path[-1] == "Sid" and validator == "pattern":
        shown = _shown(value_node)
        cleaned = "".join(ch for ch in (value_node.value if isinstance(value_node, JsonString)
                                        else "") if ch.isascii() and ch.isalnum())
        fixes = (replace_fix(f'Change to "{cleaned}"', span, f'"{cleaned}"'),) if cleaned else ()
        return Finding("UNSUPPORTED_SID", f'{shown} is not a valid "Sid": IAM accepts only '
                       "letters A-Z and a-z and digits in a statement ID", span, fixes,
                       translations={"ko": f'{shown}은(는) 올바른 "Sid"가 아닙니다. 문 ID에는 '
                                           "영문자(A-Z, a-z)와 숫자만 쓸 수 있습니다."})
    expected = _expected(error.schema)
    expected_ko = _expected_ko(error.schema)
    where = f'"{element}"' if element else "The document"
    where_ko = f'"{element}"' if element else "문서"
    if path and isinstance(path[-1], int) and element:
        where = f'Each entry of "{element}"'
        where_ko = f'"{element}"의 각 항목'
    # A value of the wrong JSON type is Access Analyzer's DATA_TYPE_MISMATCH.
    code = "DATA_TYPE_MISMATCH" if validator == "type" else "INVALID_POLICY_ELEMENT"
    ko = f"{where_ko}의 값이 올바르지 않습니다({error.message})."
    if expected:
        if expected_ko:
            ko = f"{where_ko}에는 {expected_ko}만 쓸 수 있습니다."
        return Finding(code, f"{where} must be {expected}", span, translations={"ko": ko})
    return Finding(code, f"{where}: {error.message}", span, translations={"ko": ko})


def _unknown_elements(node: JsonObject, error: ValidationError) -> list[Finding]:
    allowed = list((error.schema.get("properties") or {}).keys())
    instance = error.instance if isinstance(error.instance, dict) else {}
    found = []
    for name in instance:
        member = node.get(name)
        if name not in allowed and member is not None:
            found.append(_unknown_element(name, member, allowed))
    return found


def _unknown_element(name: str, member: JsonMember, allowed: list[str]) -> Finding:
    where = ("statement" if "Effect" in allowed else "principal" if "AWS" in allowed
             else "policy")
    suggestion = next((a for a in allowed if a.lower() == name.strip().lower()), None)
    if suggestion is None:
        matches = best_matches(name, allowed, limit=1, threshold=0.4)
        suggestion = matches[0] if matches else None
    names = {"statement": STATEMENT_ELEMENTS, "policy": TOP_LEVEL_ELEMENTS}.get(where, allowed)
    known = ", ".join(f'"{a}"' for a in names)
    what = "a principal type" if where == "principal" else f"a {where} element"
    not_ko = f'"{name}"은(는) {_NOT_WHAT_KO[where]} 아닙니다.'
    fixes: tuple[Fix, ...] = ()
    if suggestion:
        message = f'"{name}" is not {what}: did you mean "{suggestion}"?'
        ko = f'{not_ko} "{suggestion}"을(를) 쓰려던 것인가요?'
        fixes = (replace_fix(f'Change to "{suggestion}"', member.key.span, f'"{suggestion}"'),)
    else:
        message = f'"{name}" is not {what}; a {where} may contain {known}'
        ko = f"{not_ko} {_CONTAINERS_KO[where]}에는 {known}만 쓸 수 있습니다."
    # An unknown key of a principal is Access Analyzer's INVALID_PRINCIPAL_KEY.
    code = "INVALID_PRINCIPAL_KEY" if where == "principal" else "INVALID_POLICY_ELEMENT"
    return Finding(code, message, member.key.span, fixes,
                   {"element": name, "suggestion": suggestion}, translations={"ko": ko})


def _missing_name(error: ValidationError) -> str:
    message = error.message
    return str(message.split("'")[1]) if message.count("'") >= 2 else str(message)


def _shown(node: JsonValue | None) -> str:
    if isinstance(node, JsonString):
        return f'"{node.value}"'
    if isinstance(node, JsonObject):
        return "An object"
    return "This value"


def _shown_ko(node: JsonValue | None) -> str:
    """The offending value as the topic of a Korean sentence ("`x`은(는)")."""
    if isinstance(node, JsonString):
        return f'"{node.value}"은(는)'
    if isinstance(node, JsonObject):
        return "객체는"
    return "이 값은"


def _expected(schema: Any) -> str:
    """'a string or an array of strings' for the schema the value failed."""
    if not isinstance(schema, dict):
        return ""
    if "$ref" in schema and len(schema) <= 3:
        ref = str(schema["$ref"]).rsplit("/", 1)[-1]
        defs = {"stringOrStringArray": "a string or an array of strings",
                "principal": '"*" or an object such as {"AWS": "arn:…"}',
                "condition": "an object of condition operators, each mapping condition keys "
                             "to values",
                "statement": "a statement object"}
        return str(defs.get(ref, ""))
    branches: Sequence[Any] = schema.get("anyOf") or schema.get("oneOf") or ()
    if branches:
        parts = [_expected(b) for b in branches]
        return " or ".join(p for p in parts if p)
    kind = schema.get("type")
    if isinstance(kind, str):
        if kind == "array":
            item = _expected(schema.get("items"))
            return f"an array of {item[2:] if item.startswith('a ') else item}s" if item \
                else "an array"
        if "enum" in schema:
            return "one of " + ", ".join(f'"{v}"' for v in schema["enum"])
        return str(_TYPE_WORDS.get(kind, kind))
    if isinstance(kind, list):
        words = []
        for k in kind:
            if k == "array" and "items" in schema:
                words.append(_expected({"type": "array", "items": schema["items"]}))
            else:
                words.append(_TYPE_WORDS.get(str(k), str(k)))
        return " or ".join(words)
    if "enum" in schema:
        return "one of " + ", ".join(f'"{v}"' for v in schema["enum"])
    return ""


def _expected_ko(schema: Any) -> str:
    """'문자열 또는 문자열 배열': `_expected` in Korean, as a noun phrase."""
    if not isinstance(schema, dict):
        return ""
    if "$ref" in schema and len(schema) <= 3:
        ref = str(schema["$ref"]).rsplit("/", 1)[-1]
        defs = {"stringOrStringArray": "문자열 또는 문자열 배열",
                "principal": '"*" 또는 {"AWS": "arn:…"} 같은 객체',
                "condition": "조건 연산자마다 조건 키와 값을 매핑한 객체",
                "statement": "문 객체"}
        return str(defs.get(ref, ""))
    branches: Sequence[Any] = schema.get("anyOf") or schema.get("oneOf") or ()
    if branches:
        return _or_ko([_expected_ko(b) for b in branches])
    kind = schema.get("type")
    if isinstance(kind, str):
        if kind == "array":
            return _array_of_ko(_expected_ko(schema.get("items")))
        if "enum" in schema:
            return _one_of_ko(schema["enum"])
        return str(_TYPE_WORDS_KO.get(kind, kind))
    if isinstance(kind, list):
        words = []
        for k in kind:
            if k == "array" and "items" in schema:
                words.append(_array_of_ko(_expected_ko(schema["items"])))
            else:
                words.append(_TYPE_WORDS_KO.get(str(k), str(k)))
        return _or_ko(words)
    if "enum" in schema:
        return _one_of_ko(schema["enum"])
    return ""


def _or_ko(parts: Sequence[str]) -> str:
    """'A 또는 B', 'A, B 또는 C'."""
    parts = [p for p in parts if p]
    if len(parts) <= 2:
        return " 또는 ".join(parts)
    return ", ".join(parts[:-1]) + " 또는 " + parts[-1]


def _array_of_ko(item: str) -> str:
    if not item:
        return "배열"
    if " 또는 " in item or ", " in item:
        return f"배열(항목은 {item})"
    return f"{item} 배열"


def _one_of_ko(values: Sequence[Any]) -> str:
    shown = ", ".join(f'"{v}"' for v in values)
    return shown if len(values) == 1 else f"{shown} 중 하나"

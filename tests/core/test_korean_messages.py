"""Korean translations of the syntax and structure messages (`Finding.translations["ko"]`).

Every message family of the tolerant parser and of the schema-driven structure check is
triggered once; each of their findings must carry Korean with the same quoted facts
(offending text, identifiers, JSON punctuation) as the English, and `message_for` must pick
it for Korean clients only.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import policy
from jsonschema import ValidationError

from connect_policy.analysis import analyze
from connect_policy.checks import structure
from connect_policy.document.syntax import SyntaxProblem, parse
from connect_policy.document.text import Span
from connect_policy.findings import Finding

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "source-material"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Quotes pair up left to right: `"Version": "2012-10-17"` quotes two facts, not three.
QUOTED = re.compile(r'"([^"]*)"')

# The codes whose messages the parser and checks/json_syntax.py, checks/structure.py build.
OWN_CODES = frozenset({
    "JSON_SYNTAX_ERROR", "MISSING_STATEMENT", "MISSING_EFFECT", "INVALID_VERSION",
    "INVALID_EFFECT", "UNSUPPORTED_SID", "DATA_TYPE_MISMATCH", "INVALID_POLICY_ELEMENT",
    "INVALID_PRINCIPAL_KEY",
})

V = '"Version": "2012-10-17"'


def wrap(*statements: str) -> str:
    return "{" + V + ', "Statement": [' + ", ".join(statements) + "]}"


def value(text: str) -> str:
    """A valid policy whose `Action` value is `text` (JSON source)."""
    return policy(text)


# (family, document, code, a fragment of the English message the family produces)
FAMILIES: list[tuple[str, str, str, str]] = [
    # -- syntax ------------------------------------------------------------------------------
    ("empty document", "", "JSON_SYNTAX_ERROR", "The document is empty"),
    ("missing { at start", '"Effect": "Allow", "Action": "connect:ListUsers", '
     '"Resource": "*"}', "JSON_SYNTAX_ERROR", 'Missing "{" at the start'),
    ("text after the document", wrap('{"Effect": "Allow", "Action": "a:b", "Resource": "*"}')
     + ' x', "JSON_SYNTAX_ERROR", "after the end of the JSON document"),
    ("unexpected character", value("/"), "JSON_SYNTAX_ERROR", 'Unexpected character "/"'),
    ("expected a value", value(': "a:b"'), "JSON_SYNTAX_ERROR", "Expected a value before"),
    ("nesting too deep", value("[" * 205 + "]" * 205), "JSON_SYNTAX_ERROR",
     "Nesting deeper than"),
    ("single quotes", value("'connect:ListUsers'"), "JSON_SYNTAX_ERROR",
     "Strings must use double quotes"),
    ("unterminated string", value('"connect:ListUsers\n'), "JSON_SYNTAX_ERROR",
     "Unterminated string"),
    ("invalid escape", value(r'"connect:\qListUsers"'), "JSON_SYNTAX_ERROR",
     'Invalid escape "\\q"'),
    ("tab in string", value('"connect:\tListUsers"'), "JSON_SYNTAX_ERROR",
     "Strings cannot contain a tab"),
    ("control character", value('"connect:\x01ListUsers"'), "JSON_SYNTAX_ERROR",
     "control character U+0001"),
    ("invalid number", value("0x1F"), "JSON_SYNTAX_ERROR", "is not a valid JSON number"),
    ("lone minus", value("-"), "JSON_SYNTAX_ERROR", 'Unexpected "-"'),
    ("True", value("True"), "JSON_SYNTAX_ERROR", 'write "true" in lower case'),
    ("None", value("None"), "JSON_SYNTAX_ERROR", 'JSON spells it "null"'),
    ("undefined", value("undefined"), "JSON_SYNTAX_ERROR", 'JSON spells it "null"'),
    ("bare word", value("connect"), "JSON_SYNTAX_ERROR", 'quote it: "connect"'),
    ("unclosed object", '{' + V + ', "Statement": {"Effect": "Allow"', "JSON_SYNTAX_ERROR",
     'Missing "}": the object opened at line 1, column'),
    ("unclosed array", '{' + V + ',\n "Statement": [{"Effect": "Allow"}', "JSON_SYNTAX_ERROR",
     'Missing "]": the array opened at line 2, column 15'),
    ("missing } before ]", wrap('{"Effect": "Allow", "Action": "a:b"'), "JSON_SYNTAX_ERROR",
     'Missing "}" before "]"'),
    ("missing ] before }", '{' + V + ', "Statement": [{"Effect": "Allow"}}',
     "JSON_SYNTAX_ERROR", 'Missing "]" before "}"'),
    ("unexpected ] in object", "{" + V + ' ], "Statement": []}', "JSON_SYNTAX_ERROR",
     'Unexpected "]" inside an object'),
    ("unexpected } in array", value('"a:b"') + " [}]", "JSON_SYNTAX_ERROR",
     'Unexpected "}" inside an array'),
    ("trailing comma in object", wrap('{"Effect": "Allow", "Action": "a:b",}'),
     "JSON_SYNTAX_ERROR", "Trailing comma"),
    ("trailing comma in array", value('["a:b",]'), "JSON_SYNTAX_ERROR", "Trailing comma"),
    ("unexpected comma in object", wrap('{, "Effect": "Allow", "Action": "a:b"}'),
     "JSON_SYNTAX_ERROR", "Unexpected comma: remove it"),
    ("unexpected comma in array", value('[, "a:b"]'), "JSON_SYNTAX_ERROR",
     "Unexpected comma: remove it (or add"),
    ("unexpected : in array", value('["a:b": "c:d"]'), "JSON_SYNTAX_ERROR",
     'Unexpected ":" in an array'),
    ("missing comma between properties", wrap('{"Effect": "Allow"\n "Action": "a:b"}'),
     "JSON_SYNTAX_ERROR", 'Missing comma between properties after "Effect"'),
    ("missing comma between array elements", value('["connect:ListUsers" "a:b"]'),
     "JSON_SYNTAX_ERROR", 'array elements after "connect:ListUsers"'),
    ("unquoted property name", wrap('{Effect: "Allow", "Action": "a:b"}'),
     "JSON_SYNTAX_ERROR", 'Property names must be double-quoted: write "Effect"'),
    ("missing property name", wrap('{"Effect": "Allow", : "a:b"}'), "JSON_SYNTAX_ERROR",
     'Missing property name before ":"'),
    ("expected a property name", wrap('{"Effect": "Allow", ["a:b"]}'), "JSON_SYNTAX_ERROR",
     "Expected a property name"),
    ("property without value", wrap('{"Effect": "Allow", "Action"\n "Resource": "*"}'),
     "JSON_SYNTAX_ERROR", 'Property "Action" has no value'),
    ("missing colon", wrap('{"Effect": "Allow", "Action" "a:b"}'), "JSON_SYNTAX_ERROR",
     'Missing ":" after property name "Action"'),
    ("missing value for property", wrap('{"Effect": "Allow", "Action": }'),
     "JSON_SYNTAX_ERROR", 'Missing value for property "Action"'),
    ("line comment", "// read-only\n" + value('"a:b"'), "JSON_SYNTAX_ERROR",
     "Comments are not allowed"),
    ("unterminated comment", value('"a:b"') + " /* end", "JSON_SYNTAX_ERROR",
     "Unterminated comment"),
    # -- structure ---------------------------------------------------------------------------
    ("missing Statement", "{" + V + "}", "MISSING_STATEMENT", 'no "Statement"'),
    ("missing Effect", wrap('{"Action": "connect:ListUsers", "Resource": "*"}'),
     "MISSING_EFFECT", 'no "Effect"'),
    ("invalid version", '{"Version": "2012-10-18", "Statement": []}', "INVALID_VERSION",
     '"2012-10-18" is not a policy language version'),
    ("version object", '{"Version": {}, "Statement": []}', "INVALID_VERSION",
     "An object is not a policy language version"),
    ("invalid effect", wrap('{"Effect": "allow", "Action": "a:b", "Resource": "*"}'),
     "INVALID_EFFECT", '"allow" is not a valid "Effect"'),
    ("effect number", wrap('{"Effect": 1, "Action": "a:b", "Resource": "*"}'),
     "INVALID_EFFECT", 'This value is not a valid "Effect"'),
    ("invalid sid", wrap('{"Sid": "read users", "Effect": "Allow", "Action": "a:b", '
                         '"Resource": "*"}'), "UNSUPPORTED_SID", '"read users" is not'),
    ("string or array of strings", value("5"), "DATA_TYPE_MISMATCH",
     '"Action" must be a string or an array of strings'),
    ("entry of an array", value("[5]"), "DATA_TYPE_MISMATCH",
     'Each entry of "Action" must be a string'),
    ("statement type", "{" + V + ', "Statement": 5}', "DATA_TYPE_MISMATCH",
     '"Statement" must be an object or an array of statement objects'),
    ("condition type", policy('"a:b"', ', "Condition": 5'), "DATA_TYPE_MISMATCH",
     '"Condition" must be an object'),
    ("condition value type", policy('"a:b"', ', "Condition": {"StringEquals": '
                                    '{"aws:username": {}}}'), "DATA_TYPE_MISMATCH",
     '"aws:username" must be a string or a number'),
    ("principal string", policy('"a:b"', ', "Principal": "everyone"'),
     "INVALID_POLICY_ELEMENT", '"Principal" must be one of "*"'),
    ("principal type", policy('"a:b"', ', "Principal": 5'), "DATA_TYPE_MISMATCH",
     '"Principal" must be a string or an object'),
    ("unknown statement element, did you mean", policy('"a:b"', ', "Conditon": {}'),
     "INVALID_POLICY_ELEMENT", '"Conditon" is not a statement element: did you mean '
     '"Condition"?'),
    ("unknown statement element", policy('"a:b"', ', "Xyzzy": 1'), "INVALID_POLICY_ELEMENT",
     '"Xyzzy" is not a statement element; a statement may contain "Sid"'),
    ("unknown policy element, did you mean", "{" + V + ', "Statment": [], "Statement": []}',
     "INVALID_POLICY_ELEMENT", '"Statment" is not a policy element: did you mean'),
    ("unknown policy element", "{" + V + ', "Qwerty": 1, "Statement": []}',
     "INVALID_POLICY_ELEMENT", 'a policy may contain "Version", "Id", "Statement"'),
    ("unknown principal type, did you mean", policy('"a:b"', ', "Principal": {"AWZ": "*"}'),
     "INVALID_PRINCIPAL_KEY", '"AWZ" is not a principal type: did you mean "AWS"?'),
    ("unknown principal type", policy('"a:b"', ', "Principal": {"Qqqqqqq": "*"}'),
     "INVALID_PRINCIPAL_KEY", 'a principal may contain "AWS"'),
    ("schema fallback", policy('"a:b"', ', "Condition": {"": {"aws:username": "x"}}'),
     "INVALID_POLICY_ELEMENT", '"Condition": '),
]


def assert_korean(finding: Finding) -> None:
    """Korean that carries the English message's quoted facts, chosen for `ko` only."""
    ko = finding.translations.get("ko", "")
    assert ko, (finding.code, finding.message)
    assert HANGUL.search(ko), ko
    assert "`" not in finding.message + ko, (finding.message, ko)  # plain text, not Markdown
    for fact in QUOTED.findall(finding.message):
        assert f'"{fact}"' in ko, (fact, finding.message, ko)
    assert finding.message_for("ko-KR") == ko
    assert finding.message_for("ko") == ko
    assert finding.message_for("ko_KR") == ko
    assert finding.message_for("en") == finding.message
    assert finding.message_for("en-US") == finding.message
    assert finding.message_for(None) == finding.message


@pytest.mark.parametrize(("family", "text", "code", "fragment"), FAMILIES,
                         ids=[f[0] for f in FAMILIES])
def test_every_message_family_has_korean(family: str, text: str, code: str,
                                         fragment: str) -> None:
    result = analyze(text).findings
    assert any(f.code == code and fragment in f.message for f in result), (
        family, [(f.code, f.message) for f in result])
    own = [f for f in result if f.code in OWN_CODES]
    assert own
    for finding in own:
        assert_korean(finding)


def test_every_syntax_problem_has_korean() -> None:
    for _family, text, code, _fragment in FAMILIES:
        if code == "JSON_SYNTAX_ERROR":
            for problem in parse(text).errors:
                assert HANGUL.search(problem.message_ko), problem.message


@pytest.mark.parametrize(("text", "where"), [
    ('{"a": 1,\n  "b": [1, 2', "2번째 줄 8번째 열"),
    ('{\n\n   "a": {"b": 1', "3번째 줄 9번째 열"),
])
def test_positions_are_written_the_korean_way(text: str, where: str) -> None:
    messages = [e.message_ko for e in parse(text).errors]
    assert any(where in m for m in messages), messages


def test_korean_wording_of_key_messages() -> None:
    def ko(text: str, code: str, fragment: str) -> str:
        return next(f.translations["ko"] for f in analyze(text).findings
                    if f.code == code and fragment in f.message)

    assert ko(value('"a:b"') + ",", "JSON_SYNTAX_ERROR", "after the end").startswith(
        "JSON 문서는 1번째 줄에서 끝났는데")
    assert "쉼표가 없습니다" in ko(value('["a:b" "c:d"]'), "JSON_SYNTAX_ERROR", "Missing comma")
    assert "문자열 또는 문자열 배열" in ko(value("5"), "DATA_TYPE_MISMATCH", "")
    assert '"Action"의 각 항목에는 문자열만' in ko(value("[5]"), "DATA_TYPE_MISMATCH", "")
    assert "객체 또는 문 객체 배열" in ko("{" + V + ', "Statement": 5}', "DATA_TYPE_MISMATCH",
                                       "")
    unknown = ko(policy('"a:b"', ', "Conditon": {}'), "INVALID_POLICY_ELEMENT", "")
    assert unknown == '"Conditon"은(는) 문 요소가 아닙니다. "Condition"을(를) 쓰려던 것인가요?'


def test_syntax_problem_positional_construction_still_works() -> None:
    problem = SyntaxProblem("message", Span(0, 1), ",", "Insert")
    assert problem.message_ko == ""
    assert SyntaxProblem("m", Span(0, 0), None, "", "한국어").message_ko == "한국어"


def test_a_problem_without_korean_gives_no_translation() -> None:
    from connect_policy.checks import json_syntax

    problem = SyntaxProblem("message", Span(0, 1))
    context = SimpleNamespace(policy=SimpleNamespace(parse=SimpleNamespace(errors=[problem])))
    (finding,) = json_syntax.check(context)  # type: ignore[arg-type]
    assert finding.translations == {}
    assert finding.message_for("ko") == "message"


def test_generic_missing_element_has_korean() -> None:
    root = parse('{"Statement": []}').root
    error = ValidationError("'Foo' is a required property", validator="required")
    finding = structure._finding(root, [], error)
    assert finding is not None
    assert finding.message == 'Missing required element "Foo"'
    assert_korean(finding)


def test_expected_phrases_in_korean() -> None:
    assert structure._expected_ko({"$ref": "#/$defs/stringOrStringArray"}) == (
        "문자열 또는 문자열 배열")
    assert structure._expected_ko({"type": "array", "items": {"type": "string"}}) == (
        "문자열 배열")
    assert structure._expected_ko({"type": ["string", "number", "boolean"]}) == (
        '문자열, 숫자 또는 부울 값("true" 또는 "false")')
    assert structure._expected_ko({"enum": ["Allow", "Deny"]}) == '"Allow", "Deny" 중 하나'
    assert structure._expected_ko({"type": "integer"}) == "정수"
    assert structure._expected_ko({"anyOf": [{"type": "string"}, {"type": "null"}]}) == (
        '문자열 또는 "null"')
    assert structure._expected_ko({"pattern": "x"}) == ""


# Codes of checks owned elsewhere whose messages have no Korean yet; none so far.
WITHOUT_KOREAN: frozenset[str] = frozenset()


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_every_finding_on_the_source_examples_has_korean(path: Path) -> None:
    for finding in analyze(path.read_text(encoding="utf-8")).findings:
        if finding.code in WITHOUT_KOREAN:
            continue
        ko = finding.translations.get("ko", "")
        assert HANGUL.search(ko), (path.name, finding.code, finding.message)
        assert finding.message_for("ko-KR") == ko
        assert finding.message_for("en") == finding.message
        assert finding.message_for(None) == finding.message


def test_messages_are_plain_text() -> None:
    """LSP clients show diagnostic messages as plain text (no Markdown), so names are quoted
    with double quotes, never backticks, in every language."""
    texts = [text for _, text, _, _ in FAMILIES]
    texts += [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.json"))]
    seen = 0
    for text in texts:
        for finding in analyze(text).findings:
            seen += 1
            for message in (finding.message, *finding.translations.values()):
                assert "`" not in message, (finding.code, message)
    assert seen > len(texts)

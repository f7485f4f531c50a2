"""MISSING_VERSION, the structural findings from the schema, and non-policy silence."""

from __future__ import annotations

import pytest
from helpers import assert_findings, findings, policy

from connect_policy.analysis import Settings, analyze
from connect_policy.document.json_edits import apply_edits
from connect_policy.document.policy import DocumentKind
from connect_policy.document.text import Span
from connect_policy.findings import Severity


def test_missing_version_covers_the_opening_through_the_first_key_with_fix() -> None:
    (finding,) = assert_findings(
        '«{"Statement"»: [{"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}]}',
        "MISSING_VERSION", 'The policy has no "Version"')
    assert finding.severity is Severity.WARNING
    assert finding.fixes[0].title == 'Add "Version": "2012-10-17"'


STATEMENT = '{"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}'


def _fixed_policy(text: str, settings: Settings | None = None) -> str:
    """The text after the MISSING_VERSION fix, checked to leave no finding at all."""
    (finding,) = [f for f in analyze(text, settings or Settings()).findings
                  if f.code == "MISSING_VERSION"]
    fixed = apply_edits(text, finding.fixes[0].edits)
    assert analyze(fixed, settings or Settings()).findings == []
    return fixed


@pytest.mark.parametrize(("text", "expected"), [
    # Two spaces, four spaces, a tab: the new member takes the first member's line and indent.
    ('{\n  "Statement": [\n    ' + STATEMENT + '\n  ]\n}\n',
     '{\n  "Version": "2012-10-17",\n  "Statement": [\n    ' + STATEMENT + '\n  ]\n}\n'),
    ('{\n    "Statement": [' + STATEMENT + ']\n}',
     '{\n    "Version": "2012-10-17",\n    "Statement": [' + STATEMENT + ']\n}'),
    ('{\n\t"Statement": [\n\t\t' + STATEMENT + '\n\t]\n}',
     '{\n\t"Version": "2012-10-17",\n\t"Statement": [\n\t\t' + STATEMENT + '\n\t]\n}'),
    # CRLF line breaks stay CRLF.
    ('{\r\n  "Statement": [' + STATEMENT + ']\r\n}\r\n',
     '{\r\n  "Version": "2012-10-17",\r\n  "Statement": [' + STATEMENT + ']\r\n}\r\n'),
    # Minified: inline, no spaces, like the rest of the document.
    ('{"Statement":[{"Effect":"Allow","Action":"connect:ListUsers","Resource":"*"}]}',
     '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"connect:ListUsers",'
     '"Resource":"*"}]}'),
    # One line with spaces: inline, spaced.
    ('{ "Statement": [' + STATEMENT + '] }',
     '{ "Version": "2012-10-17", "Statement": [' + STATEMENT + '] }'),
    ('{"Statement": [' + STATEMENT + ']}',
     '{"Version": "2012-10-17", "Statement": [' + STATEMENT + ']}'),
    # The first member shares the brace's line while the rest is spread out: inline.
    ('{ "Statement": [\n    ' + STATEMENT + '\n  ]\n}',
     '{ "Version": "2012-10-17", "Statement": [\n    ' + STATEMENT + '\n  ]\n}'),
    # Deeper first-line indentation than the document's unit is kept as written.
    ('{\n      "Statement": [' + STATEMENT + ']\n}',
     '{\n      "Version": "2012-10-17",\n      "Statement": [' + STATEMENT + ']\n}'),
], ids=["2-spaces", "4-spaces", "tab", "crlf", "minified", "one-line-spaced", "one-line",
        "first-on-brace-line", "deep-indent"])
def test_the_add_version_fix_keeps_the_layout(text: str, expected: str) -> None:
    assert _fixed_policy(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("{}", '{"Version": "2012-10-17"}'),
    ("{ }", '{ "Version": "2012-10-17" }'),
    ("{\n}\n", '{\n  "Version": "2012-10-17"\n}\n'),
    ("{\r\n}", '{\r\n  "Version": "2012-10-17"\r\n}'),
])
def test_the_add_version_fix_in_an_empty_object(text: str, expected: str) -> None:
    # An empty object is a policy only when the user's settings say so; then Statement is
    # missing too, and only MISSING_VERSION is fixed here.
    settings = Settings(assume_policy=True)
    (finding,) = [f for f in analyze(text, settings).findings if f.code == "MISSING_VERSION"]
    assert finding.span == Span(0, len(text.rstrip()))
    fixed = apply_edits(text, finding.fixes[0].edits)
    assert fixed == expected
    assert [f.code for f in analyze(fixed, settings).findings] == ["MISSING_STATEMENT"]


@pytest.mark.parametrize(("text", "covered"), [
    ('{\n  "Statement": []\n}', '{\n  "Statement"'),
    ('{"Sid": "A", "Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}',
     '{"Sid"'),
    ('[\n  {"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}\n]',
     '[\n  {"Effect"'),
])
def test_missing_version_covers_the_opening_through_the_first_key(text: str,
                                                                   covered: str) -> None:
    (finding,) = findings(text, "MISSING_VERSION")
    assert text[finding.span.start:finding.span.end] == covered


def test_lone_statement_needs_the_wrapper() -> None:
    text = '{"Sid": "A", "Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}'
    (finding,) = findings(text, "MISSING_VERSION")
    assert "lone statement" in finding.message
    assert '{"Version": "2012-10-17", "Statement": [ … ]}' in finding.message
    edit = finding.fixes[0].edits[0]
    import json

    wrapped = json.loads(edit.new_text)
    assert wrapped["Version"] == "2012-10-17" and wrapped["Statement"][0]["Sid"] == "A"


@pytest.mark.parametrize("version", ["2012-10-18", "2012-10-17 ", "latest"])
def test_invalid_version(version: str) -> None:
    (finding,) = assert_findings(
        f'{{"Version": «"{version}"», "Statement": []}}', "INVALID_VERSION",
        f'"{version}" is not a policy language version')
    assert finding.fixes[0].edits[0].new_text == '"2012-10-17"'


def test_old_version_is_accepted() -> None:
    assert findings('{"Version": "2008-10-17", "Statement": []}') == []


def test_unknown_element_suggests_the_right_name() -> None:
    assert_findings(policy('"connect:ListUsers"', ', «"Conditions"»: {}'),
                    "INVALID_POLICY_ELEMENT", 'did you mean "Condition"?')


def test_invalid_effect_and_missing_effect() -> None:
    assert_findings('{"Version": "2012-10-17", "Statement": [{"Effect": «"allow"», '
                    '"Action": "connect:ListUsers", "Resource": "*"}]}', "INVALID_EFFECT",
                    '"allow" is not a valid "Effect"')
    assert_findings('{"Version": "2012-10-17", "Statement": [«{»"Action": "connect:ListUsers", '
                    '"Resource": "*"}]}', "MISSING_EFFECT", 'has no "Effect"')


def test_wrong_type_of_action() -> None:
    assert_findings(policy("«5»"), "DATA_TYPE_MISMATCH",
                    '"Action" must be a string or an array of strings')


def test_damaged_values_are_not_reported_twice() -> None:
    codes = [f.code for f in findings('{"Version": "2012-10-17", "Statement": [{"Effect": '
                                      'True, "Action": "connect:ListUsers", "Resource": "*"}]}')]
    assert codes == ["JSON_SYNTAX_ERROR"]


@pytest.mark.parametrize("text", [
    '{"name": "my-app", "version": "1.0.0", "dependencies": {"a": "^1"}}',
    '{"compilerOptions": {"strict": true,}, }',
    '[1, 2, 3]',
    '"just a string"',
])
def test_non_policy_json_gets_no_findings(text: str) -> None:
    result = analyze(text)
    assert not result.is_policy and result.findings == []


def test_non_policy_json_is_checked_when_the_user_says_it_is_a_policy() -> None:
    result = analyze('{"name": "x"}', Settings(assume_policy=True))
    assert result.findings  # no Statement: reported once forced


def test_empty_document_is_reported() -> None:
    result = analyze("")
    assert result.policy.kind is DocumentKind.EMPTY
    assert [f.code for f in result.findings] == ["JSON_SYNTAX_ERROR"]


def _fixed(text: str, finding_code: str) -> str:
    (finding,) = findings(text, finding_code)
    edit = finding.fixes[0].edits[0]
    return text[:edit.span.start] + edit.new_text + text[edit.span.end:]


def test_a_bare_array_of_statements_needs_the_wrapper() -> None:
    text = ('[\n\t{\n\t\t"Effect": "Allow",\n\t\t"Action": "connect:ListUsrs",\n'
            '\t\t"Resource": "*"\n\t}\n]\n')
    result = analyze(text)
    assert result.policy.kind is DocumentKind.STATEMENTS
    # The statements are checked as they are.
    assert sorted(f.code for f in result.findings) == ["INVALID_ACTION", "MISSING_VERSION"]
    (finding,) = findings(text, "MISSING_VERSION")
    assert "array of statements" in finding.message
    # The wrapper keeps the tabs and moves the statements one level in.
    assert _fixed(text, "MISSING_VERSION") == (
        '{\n\t"Version": "2012-10-17",\n\t"Statement": [\n\t\t{\n\t\t\t"Effect": "Allow",\n'
        '\t\t\t"Action": "connect:ListUsrs",\n\t\t\t"Resource": "*"\n\t\t}\n\t]\n}\n')


def test_the_lone_statement_wrapper_keeps_the_indentation_and_line_breaks() -> None:
    text = ('{\r\n    "Effect": "Allow",\r\n    "Action": "connect:ListUsers",\r\n'
            '    "Resource": "*"\r\n}')
    fixed = _fixed(text, "MISSING_VERSION")
    assert fixed == ('{\r\n    "Version": "2012-10-17",\r\n    "Statement": [\r\n        {\r\n'
                     '            "Effect": "Allow",\r\n            "Action": "connect:ListUsers",'
                     '\r\n            "Resource": "*"\r\n        }\r\n    ]\r\n}')
    assert analyze(fixed).findings == []


@pytest.mark.parametrize("text", ['[{"name": "x"}]', '[{"Effect": "Allow"}, 1]', "[]"])
def test_arrays_that_are_not_statements_are_left_alone(text: str) -> None:
    assert not analyze(text).is_policy

"""The tolerant parser: every syntax error at the exact place, and recovery around it."""

from __future__ import annotations

import pytest
from markers import marked

from connect_policy.document.syntax import (
    JsonArray,
    JsonObject,
    JsonString,
    parse,
    to_python,
)


def errors_of(source: str) -> list[tuple[tuple[int, int], str]]:
    text, _ = marked(source)
    result = parse(text)
    return [((e.span.start, e.span.end), e.message) for e in result.errors]


def assert_errors(source: str, *fragments: str) -> None:
    """The marked ranges are exactly the errors' ranges, in order, with these messages."""
    text, spans = marked(source)
    result = parse(text)
    got = sorted(result.errors, key=lambda e: (e.span.start, e.span.end))
    assert [(e.span.start, e.span.end) for e in got] == [(s.start, s.end) for s in spans], (
        [e.message for e in got])
    for error, fragment in zip(got, fragments, strict=True):
        assert fragment in error.message


def test_valid_document_has_no_errors_and_round_trips() -> None:
    text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["a:b"], ' \
           '"Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": true}}, "N": -1.5e3}]}'
    result = parse(text)
    assert result.errors == []
    import json

    assert to_python(result.root) == json.loads(text)


def test_missing_comma_in_array_is_reported_at_the_gap_and_later_items_survive() -> None:
    text, spans = marked('["connect:A"«» "connect:B", "connect:C"]')
    result = parse(text)
    assert [e.span for e in result.errors] == spans
    assert "Missing comma" in result.errors[0].message
    assert '"connect:A"' in result.errors[0].message
    assert isinstance(result.root, JsonArray)
    assert [i.value for i in result.root.items if isinstance(i, JsonString)] == [
        "connect:A", "connect:B", "connect:C"]
    assert result.errors[0].replacement == ","


def test_missing_comma_between_properties() -> None:
    assert_errors('{"a": 1«»\n "b": 2}', "Missing comma between properties after \"a\"")


def test_trailing_commas_are_reported_on_the_comma() -> None:
    assert_errors('{"a": [1, 2«,»], "b": 3«,»}', "Trailing comma", "Trailing comma")


def test_unclosed_object_reported_at_end_naming_where_it_opened() -> None:
    text = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow"}]'
    result = parse(text)
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error.span.start == error.span.end == len(text)
    assert 'Missing "}"' in error.message and "line 1, column 1" in error.message
    assert isinstance(result.root, JsonObject) and not result.root.closed
    assert result.root.get("Statement") is not None


def test_unclosed_array_and_object_inside_each_other() -> None:
    text = '{"Statement": [\n  {"Effect": "Allow"'
    messages = [e.message for e in parse(text).errors]
    assert any('Missing "}"' in m and "line 2" in m for m in messages)
    assert any('Missing "]"' in m and "line 1, column 15" in m for m in messages)


def test_object_closed_by_bracket_of_enclosing_array() -> None:
    assert_errors('[{"a": 1«»]', 'Missing "}" before "]"')


def test_unterminated_string_names_its_line_and_parsing_continues() -> None:
    text = '{"Action": ["wisdom:GetAss\n  ], "Resource": "*"}'
    result = parse(text)
    messages = [e.message for e in result.errors]
    assert any("Unterminated string" in m and "line 1" in m for m in messages)
    assert isinstance(result.root, JsonObject)
    assert result.root.get("Resource") is not None
    action = result.root.value_of("Action")
    assert isinstance(action, JsonArray)
    first = action.items[0]
    assert isinstance(first, JsonString) and first.value == "wisdom:GetAss"
    assert not first.terminated


def test_comments_are_errors_with_a_removal_fix() -> None:
    assert_errors('{«// note»\n"a": «/* x */»1}', "Comments are not allowed",
                  "Comments are not allowed")
    result = parse('{"a": 1 /* open')
    assert any("Unterminated comment" in e.message for e in result.errors)


@pytest.mark.parametrize(("literal", "hint"), [
    ("True", 'write "true" in lower case'),
    ("None", '"null"'),
    ("undefined", '"null"'),
    ("NaN", "not a JSON value"),
])
def test_bad_literals(literal: str, hint: str) -> None:
    assert_errors(f'{{"a": «{literal}»}}', hint)


@pytest.mark.parametrize("number", ["012", "+1", ".5", "1.", "0x1F"])
def test_bad_numbers(number: str) -> None:
    assert_errors(f'[«{number}»]', "not a valid JSON number")


def test_single_quotes_become_a_string_with_a_fix() -> None:
    text, spans = marked("[«'connect:ListUsers'»]")
    result = parse(text)
    assert [e.span for e in result.errors] == spans
    assert result.errors[0].replacement == '"connect:ListUsers"'
    assert isinstance(result.root, JsonArray)
    item = result.root.items[0]
    assert isinstance(item, JsonString) and item.value == "connect:ListUsers"


def test_text_after_the_document_is_reported_once_and_still_parsed() -> None:
    text, spans = marked('{"Effect": "Allow"}«,» {"Effect": "Deny"}, {"Effect": "Allow"}')
    result = parse(text)
    assert [e.span for e in result.errors] == spans
    assert "after the end of the JSON document" in result.errors[0].message
    assert len(result.extra_roots) == 2


def test_empty_document() -> None:
    for text in ("", "   \n\t"):
        result = parse(text)
        assert result.root is None
        assert [e.message.split(":")[0] for e in result.errors] == ["The document is empty"]


def test_fragment_without_opening_brace_is_parsed_as_an_object() -> None:
    text = '"Sid": "A", "Effect": "Allow", "Action": ["connect:ListUsers"] }, {"Sid": "B"}'
    result = parse(text)
    assert result.implicit_object
    assert isinstance(result.root, JsonObject)
    assert [m.key.value for m in result.root.members] == ["Sid", "Effect", "Action"]
    assert 'Missing "{" at the start' in result.errors[0].message
    assert len(result.extra_roots) == 1


def test_escapes_decode_and_invalid_escapes_are_reported() -> None:
    result = parse(r'["a\u0041\n", "bad \q"]')
    assert isinstance(result.root, JsonArray)
    first = result.root.items[0]
    assert isinstance(first, JsonString) and first.value == "aA\n" and not first.verbatim
    assert [e.message.split(" in")[0] for e in result.errors] == ['Invalid escape "\\q"']


def test_raw_tab_in_string_is_an_error() -> None:
    assert_errors('["a«\t»b"]', "Strings cannot contain a tab")


def test_unquoted_property_name() -> None:
    assert_errors('{«Effect»: "Allow"}', 'Property names must be double-quoted')


def test_missing_value_and_missing_colon() -> None:
    assert_errors('{"a":«» , "b"«» 1}', 'Missing value for property "a"',
                  'Missing ":" after property name "b"')


def test_content_span_maps_offsets_inside_strings() -> None:
    result = parse('["connect:DescribeUser"]')
    assert isinstance(result.root, JsonArray)
    item = result.root.items[0]
    assert isinstance(item, JsonString)
    span = item.content_span(0, 7)
    assert result.text[span.start:span.end] == "connect"


@pytest.mark.parametrize("text", [
    "[" * 5000, "{" * 5000, '{"a":' * 3000, "]]]}}}", "\x00\x01\x02", '"\\', "'", "/*",
    '{"a" "b" "c"}', "{:::}", ",,,", '{"a": [}, "b": {]}', "\ufeff{}", "\u00a0{}",
])
def test_no_input_makes_the_parser_raise(text: str) -> None:
    result = parse(text)
    assert result.errors or text.strip("\ufeff") == "{}"

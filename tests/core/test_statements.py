"""Statement structure, duplicate keys and Sids."""

from __future__ import annotations

from helpers import assert_findings, findings

ALLOW = '"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"'


def wrap(*statements: str) -> str:
    return '{"Version": "2012-10-17", "Statement": [' + ", ".join(statements) + "]}"


def test_missing_action_and_resource() -> None:
    assert_findings(wrap('«{»"Effect": "Allow", "Resource": "*"}'), "MISSING_ACTION",
                    'no "Action"')
    assert_findings(wrap('«{»"Effect": "Allow", "Action": "connect:ListUsers"}'),
                    "MISSING_RESOURCE", 'no "Resource"')
    assert findings(wrap("{" + ALLOW + "}"), "MISSING_ACTION") == []
    assert findings(wrap('{"Effect": "Deny", "NotAction": "s3:*", "NotResource": "x"}'),
                    "MISSING_RESOURCE") == []


def test_unsupported_element_combination() -> None:
    (finding,) = assert_findings(
        wrap('{"Effect": "Allow", "Action": "connect:ListUsers", «"NotAction"»: "s3:*", '
             '"Resource": "*"}'), "UNSUPPORTED_ELEMENT_COMBINATION",
        'both "Action" and "NotAction"')
    assert "ko" in finding.translations
    assert findings(wrap("{" + ALLOW + "}"), "UNSUPPORTED_ELEMENT_COMBINATION") == []


def test_unique_sids() -> None:
    assert_findings(wrap('{"Sid": "A", ' + ALLOW + '}', '{"Sid": «"A"», ' + ALLOW + "}"),
                    "UNIQUE_SIDS_RECOMMENDED", "already used by the statement on line 1")
    assert findings(wrap('{"Sid": "A", ' + ALLOW + '}', '{"Sid": "B", ' + ALLOW + "}"),
                    "UNIQUE_SIDS_RECOMMENDED") == []


def test_unsupported_and_empty_sid() -> None:
    (finding,) = assert_findings(wrap('{"Sid": «"Allow-all users"», ' + ALLOW + "}"),
                                 "UNSUPPORTED_SID", "only letters")
    assert finding.fixes[0].edits[0].new_text == '"Allowallusers"'
    assert_findings(wrap('{"Sid": «""», ' + ALLOW + "}"), "EMPTY_SID_VALUE", "empty")
    assert findings(wrap('{"Sid": "Ok1", ' + ALLOW + "}"), "UNSUPPORTED_SID") == []


def test_empty_arrays() -> None:
    assert_findings(wrap('{"Effect": "Allow", "Action": «[]», "Resource": "*"}'),
                    "EMPTY_ARRAY_ACTION", "empty array")
    assert_findings(wrap('{"Effect": "Allow", "Action": "s3:*", "Resource": «[]»}'),
                    "EMPTY_ARRAY_RESOURCE", "empty array")
    assert_findings(wrap('{' + ALLOW + ', "Principal": «{}»}'), "EMPTY_OBJECT_PRINCIPAL",
                    "empty object")


def test_duplicate_keys() -> None:
    assert_findings(wrap('{' + ALLOW + ', «"action"»: "s3:GetObject"}'),
                    "DUPLICATE_KEYS_WITH_DIFFERENT_CASE", "differ only in case")
    assert_findings(wrap('{' + ALLOW + ', «"Action"»: "s3:GetObject"}'), "DUPLICATE_KEY",
                    "only the last one counts")
    assert findings(wrap("{" + ALLOW + "}"), "DUPLICATE_KEY") == []


def test_data_type_mismatch() -> None:
    assert_findings(wrap('{"Effect": "Allow", "Action": «true», "Resource": "*"}'),
                    "DATA_TYPE_MISMATCH", "must be a string or an array of strings")

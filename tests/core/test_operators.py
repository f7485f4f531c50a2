"""Tests for the condition operator catalog and operator parsing."""

from __future__ import annotations

import pytest

from connect_policy.catalog.operators import (
    CONDITION_OPERATORS,
    SET_OPERATORS,
    ConditionOperator,
    find_operator,
    operators_matching_prefix,
    parse_operator,
)

VALID_TYPES = {"String", "Numeric", "Date", "Bool", "Binary", "IPAddress", "ARN", "Null"}


def _op(name: str) -> ConditionOperator:
    op = find_operator(name)
    assert op is not None, name
    return op


# --- the table itself -----------------------------------------------------------------


def test_no_duplicate_names_ignoring_case() -> None:
    names = [op.name.lower() for op in CONDITION_OPERATORS]
    assert len(names) == len(set(names))


def test_every_entry_is_well_formed() -> None:
    for op in CONDITION_OPERATORS:
        assert op.description.strip(), op.name
        assert op.type in VALID_TYPES, op.name
        assert not op.name.endswith("IfExists"), op.name
        assert ":" not in op.name


def test_documented_operator_set() -> None:
    assert [op.name for op in CONDITION_OPERATORS] == [
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
        "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
        "NumericGreaterThan", "NumericGreaterThanEquals",
        "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
        "DateGreaterThan", "DateGreaterThanEquals",
        "Bool",
        "BinaryEquals",
        "IpAddress", "NotIpAddress",
        "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike",
        "Null",
    ]  # fmt: skip


def test_types_follow_the_operator_family() -> None:
    assert _op("StringEqualsIgnoreCase").type == "String"
    assert _op("NumericGreaterThanEquals").type == "Numeric"
    assert _op("DateLessThan").type == "Date"
    assert _op("Bool").type == "Bool"
    assert _op("BinaryEquals").type == "Binary"
    assert _op("NotIpAddress").type == "IPAddress"
    assert _op("ArnNotLike").type == "ARN"
    assert _op("Null").type == "Null"


def test_negated_operators() -> None:
    negated = {op.name for op in CONDITION_OPERATORS if op.negated}
    assert negated == {
        "StringNotEquals",
        "StringNotEqualsIgnoreCase",
        "StringNotLike",
        "NumericNotEquals",
        "DateNotEquals",
        "NotIpAddress",
        "ArnNotEquals",
        "ArnNotLike",
    }


def test_wildcard_operators() -> None:
    wildcards = {op.name for op in CONDITION_OPERATORS if op.supports_wildcards}
    assert wildcards == {
        "StringLike",
        "StringNotLike",
        "ArnEquals",
        "ArnLike",
        "ArnNotEquals",
        "ArnNotLike",
    }


def test_policy_variable_support_by_family() -> None:
    for op in CONDITION_OPERATORS:
        expected = op.type in {"String", "ARN", "Bool"}
        assert op.supports_policy_variables is expected, op.name


def test_if_exists_support() -> None:
    assert not _op("Null").supports_if_exists
    assert all(op.supports_if_exists for op in CONDITION_OPERATORS if op.name != "Null")


def test_find_operator_ignores_case_and_rejects_decorated_names() -> None:
    assert _op("stringequals").name == "StringEquals"
    assert _op("IPADDRESS").name == "IpAddress"
    assert find_operator("StringEqualsIfExists") is None
    assert find_operator("ForAnyValue:StringLike") is None
    assert find_operator("") is None


# --- parsing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "qualifier", "base", "if_exists"),
    [
        ("StringEquals", None, "StringEquals", False),
        ("StringLikeIfExists", None, "StringLike", True),
        ("ForAnyValue:StringLike", "ForAnyValue", "StringLike", False),
        ("ForAllValues:StringEqualsIfExists", "ForAllValues", "StringEquals", True),
        ("ForAllValues:StringNotLikeIfExists", "ForAllValues", "StringNotLike", True),
        ("ForAnyValue:ArnLike", "ForAnyValue", "ArnLike", False),
        ("ForAllValues:Bool", "ForAllValues", "Bool", False),
        ("BoolIfExists", None, "Bool", True),
        ("IpAddressIfExists", None, "IpAddress", True),
        ("NotIpAddressIfExists", None, "NotIpAddress", True),
        ("BinaryEqualsIfExists", None, "BinaryEquals", True),
        ("DateGreaterThanIfExists", None, "DateGreaterThan", True),
        ("Null", None, "Null", False),
        ("ForAnyValue:NumericLessThan", "ForAnyValue", "NumericLessThan", False),
    ],
)
def test_parse_valid_spellings(
    text: str, qualifier: str | None, base: str, if_exists: bool
) -> None:
    parsed = parse_operator(text)
    assert parsed is not None
    assert parsed.text == text
    assert parsed.qualifier == qualifier
    assert parsed.operator.name == base
    assert parsed.if_exists is if_exists
    assert parsed.canonical == text


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("stringequals", "StringEquals"),
        ("STRINGLIKEIFEXISTS", "StringLikeIfExists"),
        ("forallvalues:stringequals", "ForAllValues:StringEquals"),
        ("FORANYVALUE:arnlikeifexists", "ForAnyValue:ArnLikeIfExists"),
        ("null", "Null"),
    ],
)
def test_parse_ignores_case_and_reports_canonical_parts(text: str, canonical: str) -> None:
    parsed = parse_operator(text)
    assert parsed is not None
    assert parsed.text == text
    assert parsed.canonical == canonical
    assert parsed.qualifier in (None, *SET_OPERATORS)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "StringEquals ",
        " StringEquals",
        "StringEqual",
        "StringContains",
        "NumericLessThanOrEquals",
        "IPAddressRange",
        "ForSomeValues:StringEquals",
        "ForAllValue:StringEquals",
        "ForAnyValues:StringEquals",
        "ForAllValues:",
        "ForAllValues",
        ":StringEquals",
        "ForAllValues:ForAnyValue:StringEquals",
        "ForAllValues:StringEquals:",
        "ForAllValues StringEquals",
        "ForAllValues::StringEquals",
        "NullIfExists",
        "ForAllValues:Null",
        "ForAnyValue:NullIfExists",
        "StringEqualsIfExistsIfExists",
        "IfExists",
        "StringIfExists",
        "IfExistsStringEquals",
    ],
)
def test_parse_rejects_invalid_spellings(text: str) -> None:
    assert parse_operator(text) is None


def test_every_documented_combination_parses() -> None:
    for op in CONDITION_OPERATORS:
        for qualifier in (None, *SET_OPERATORS):
            for if_exists in (False, True):
                text = (f"{qualifier}:" if qualifier else "") + op.name
                text += "IfExists" if if_exists else ""
                parsed = parse_operator(text)
                if op.name == "Null" and (qualifier or if_exists):
                    assert parsed is None, text
                    continue
                assert parsed is not None, text
                assert parsed.operator is op
                assert parsed.qualifier == qualifier
                assert parsed.if_exists is if_exists


# --- completion ---------------------------------------------------------------------------


def test_completion_of_a_base_prefix() -> None:
    assert operators_matching_prefix("StringLike") == ["StringLike", "StringLikeIfExists"]
    assert operators_matching_prefix("nu")[:2] == ["NumericEquals", "NumericEqualsIfExists"]


def test_completion_never_offers_null_if_exists() -> None:
    assert operators_matching_prefix("Null") == ["Null"]
    assert not [s for s in operators_matching_prefix("") if "null" in s.lower() and s != "Null"]


def test_completion_of_qualified_forms() -> None:
    assert operators_matching_prefix("ForAnyValue:StringLike") == [
        "ForAnyValue:StringLike",
        "ForAnyValue:StringLikeIfExists",
    ]
    qualified = operators_matching_prefix("forallvalues:")
    assert "ForAllValues:StringEquals" in qualified
    assert "ForAllValues:ArnLikeIfExists" in qualified
    assert "ForAllValues:Bool" in qualified
    # Set operators are only offered with the families the documentation pairs them with.
    assert not [s for s in qualified if "Numeric" in s or "Date" in s or "Ip" in s]
    assert all(s.startswith("ForAllValues:") for s in qualified)


def test_completion_results_all_parse_and_are_unique() -> None:
    everything = operators_matching_prefix("")
    assert len(everything) == len(set(everything))
    for spelling in everything:
        parsed = parse_operator(spelling)
        assert parsed is not None, spelling
        assert parsed.canonical == spelling
    # 26 operators x {plain, IfExists} + Null, then 2 qualifiers x 11 documented
    # operators (6 String, Bool, 4 ARN) x {plain, IfExists}.
    assert len(everything) == 26 * 2 + 1 + 2 * 11 * 2


def test_completion_unknown_prefix_is_empty() -> None:
    assert operators_matching_prefix("Foo") == []
    assert operators_matching_prefix("ForSomeValues:") == []

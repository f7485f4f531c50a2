"""The compiled schema check (fastjsonschema) must agree with jsonschema on validity."""

from __future__ import annotations

from typing import Any

import pytest

from connect_policy.checks.schema import (
    policy_is_valid,
    policy_validator,
    statement_is_valid,
    statement_validator,
)

STATEMENT: dict[str, Any] = {"Effect": "Allow", "Action": ["connect:ListUsers"], "Resource": "*"}

POLICIES: list[Any] = [
    {"Version": "2012-10-17", "Statement": [STATEMENT]},
    {"Version": "2012-10-17", "Statement": STATEMENT},
    {"Version": "2012-10-18", "Statement": [STATEMENT]},
    {"Version": 2012, "Statement": []},
    {"Statement": [{**STATEMENT, "Effect": "allow"}]},
    {"Statement": [{**STATEMENT, "Actions": "x"}]},
    {"Statement": [{"Action": "x"}]},
    {"Statement": [{**STATEMENT, "Action": 5}]},
    {"Statement": [{**STATEMENT, "Action": [5]}]},
    {"Statement": [{**STATEMENT, "Principal": {"Aws": "x"}}]},
    {"Statement": [{**STATEMENT, "Principal": "x"}]},
    {"Statement": [{**STATEMENT, "Principal": "*"}]},
    {"Statement": [{**STATEMENT, "Condition": {"StringEquals": {"aws:x": ["a", 1, True]}}}]},
    {"Statement": [{**STATEMENT, "Condition": {"": {}}}]},
    {"Statement": [{**STATEMENT, "Condition": []}]},
    {"Statement": [], "Extra": 1},
    {"Version": "2012-10-17"},
    [],
    "text",
    {"Statement": [None]},
]


@pytest.mark.parametrize("policy", POLICIES)
def test_policy_gate_agrees_with_jsonschema(policy: Any) -> None:
    assert policy_is_valid()(policy) == policy_validator().is_valid(policy)


@pytest.mark.parametrize("statement", [STATEMENT, {"Action": "x"}, {**STATEMENT, "Sid": 1},
                                       {**STATEMENT, "NotAction": []}, {}])
def test_statement_gate_agrees_with_jsonschema(statement: Any) -> None:
    assert statement_is_valid()(statement) == statement_validator().is_valid(statement)

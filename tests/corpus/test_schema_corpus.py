"""Check schemas/iam-policy.schema.json against real AWS managed policies.

Every policy in the AWS managed policies corpus is accepted by AWS, so the schema must accept all of
them. A few hand-written documents that IAM rejects must fail.

The corpus ships with the project (``tests/corpus/aws-managed-policies``);
``CONNECT_POLICY_CORPUS`` may name another snapshot.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "iam-policy.schema.json"
MIN_CORPUS_POLICIES = 1500

LONE_STATEMENT: dict[str, Any] = {
    "Sid": "x",
    "Effect": "Allow",
    "Action": ["connect:ListUsers"],
    "Resource": "*",
}


def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def statement_validator(schema: dict[str, Any]) -> Draft202012Validator:
    """Validate a lone statement object against ``#/$defs/statement``.

    The full schema is registered under its ``$id``, and a one-line wrapper schema refers to the
    statement definition by absolute URI. The ``$ref``s inside the statement definition then resolve
    against the full schema, so the definition can be used on its own.
    """
    registry: Registry[Any] = Registry().with_resource(
        schema["$id"], Resource.from_contents(schema)
    )
    return Draft202012Validator({"$ref": f"{schema['$id']}#/$defs/statement"}, registry=registry)


def embedded_statement_validator(schema: dict[str, Any]) -> Draft202012Validator:
    """Same as `statement_validator`, by copying ``$defs`` into a wrapper schema (no registry)."""
    return Draft202012Validator({"$ref": "#/$defs/statement", "$defs": schema["$defs"]})


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return load_schema()


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema)


@pytest.fixture(scope="module")
def corpus_files(corpus_root: Path) -> list[Path]:
    return sorted((corpus_root / "policies").glob("*.json"))


def test_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_corpus_is_not_trivially_small(corpus_root: Path, corpus_files: list[Path]) -> None:
    assert len(corpus_files) >= MIN_CORPUS_POLICIES, (
        f"expected at least {MIN_CORPUS_POLICIES} policies in {corpus_root / 'policies'}, "
        f"found {len(corpus_files)}"
    )


def test_every_corpus_policy_validates(
    corpus_files: list[Path], validator: Draft202012Validator
) -> None:
    failures: list[str] = []
    for path in corpus_files:
        document = json.loads(path.read_text(encoding="utf-8"))
        error = best_match(validator.iter_errors(document))
        if error is not None:
            location = "/".join(str(part) for part in error.absolute_path) or "<root>"
            failures.append(f"{path.stem}: at {location}: {error.message}")
    assert failures == [], f"{len(failures)} corpus policies rejected:\n" + "\n".join(failures)


NEGATIVE_CASES: dict[str, dict[str, Any]] = {
    "unknown-version": {
        "Version": "2012-10-18",
        "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}],
    },
    "effect-wrong-case-and-space": {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "allow ", "Action": "s3:ListAllMyBuckets", "Resource": "*"}],
    },
    "unknown-statement-key": {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Actions": ["s3:ListAllMyBuckets"], "Resource": "*"}],
    },
    "unknown-key-in-single-statement-object": {
        "Version": "2012-10-17",
        "Statement": {"Effect": "Allow", "Actions": "s3:ListAllMyBuckets", "Resource": "*"},
    },
    "statement-missing": {"Version": "2012-10-17"},
    "action-is-a-number": {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": 42, "Resource": "*"}],
    },
    "unknown-top-level-key": {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}],
        "Statements": [],
    },
}


@pytest.mark.parametrize("document", NEGATIVE_CASES.values(), ids=NEGATIVE_CASES.keys())
def test_invalid_documents_are_rejected(
    validator: Draft202012Validator, document: dict[str, Any]
) -> None:
    assert list(validator.iter_errors(document)) != []


def test_permissive_shapes_are_accepted(validator: Draft202012Validator) -> None:
    document: dict[str, Any] = {
        "Version": "2012-10-17",
        "Statement": {
            "Effect": "Deny",
            "Action": [],
            "Resource": [],
            "Condition": {
                "Bool": {"aws:SecureTransport": False},
                "NumericLessThan": {"s3:max-keys": [10, "20"]},
                "NotARealOperator": {"aws:RequestedRegion": []},
            },
        },
    }
    assert [error.message for error in validator.iter_errors(document)] == []


@pytest.mark.parametrize(
    "make_validator",
    [statement_validator, embedded_statement_validator],
    ids=["registry", "embedded-defs"],
)
def test_statement_definition_works_on_its_own(
    schema: dict[str, Any],
    make_validator: Callable[[dict[str, Any]], Draft202012Validator],
) -> None:
    lone = make_validator(schema)
    assert [error.message for error in lone.iter_errors(LONE_STATEMENT)] == []
    assert list(lone.iter_errors({**LONE_STATEMENT, "Actions": ["connect:ListUsers"]})) != []
    assert list(lone.iter_errors({**LONE_STATEMENT, "Effect": "Permit"})) != []
    assert list(lone.iter_errors("not a statement")) != []

"""The JSON Schema of an identity-based policy document (`schemas/iam-policy.schema.json`).

The same file is shipped to VS Code; the core validates recovered documents with it. In a
wheel it sits inside the package; in a source checkout it is read from `schemas/`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_FILE = "iam-policy.schema.json"


def schema_path() -> Path:
    packaged = Path(__file__).parent / "schemas" / SCHEMA_FILE
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "schemas" / SCHEMA_FILE


@cache
def policy_schema() -> dict[str, Any]:
    with schema_path().open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@cache
def policy_validator() -> Draft202012Validator:
    return Draft202012Validator(policy_schema())


@cache
def statement_validator() -> Draft202012Validator:
    """Validates a lone statement object against `#/$defs/statement`."""
    schema = policy_schema()
    return Draft202012Validator({"$ref": "#/$defs/statement", "$defs": schema["$defs"]})

"""The JSON Schema of an identity-based policy document (`schemas/iam-policy.schema.json`).

The same file is shipped to VS Code; the core validates recovered documents with it. In a
wheel it sits inside the package; in a source checkout it is read from `schemas/`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

if TYPE_CHECKING:  # jsonschema is imported when a document is invalid, not at start-up
    from jsonschema import Draft202012Validator

SCHEMA_FILE = "iam-policy.schema.json"


def schema_path() -> Path:
    # connect_policy/schemas/ in a wheel; the checkout's schemas/ three levels above.
    packaged = Path(__file__).parents[1] / "schemas" / SCHEMA_FILE
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "schemas" / SCHEMA_FILE


@cache
def policy_schema() -> dict[str, Any]:
    with schema_path().open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@cache
def policy_validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(policy_schema())


@cache
def statement_validator() -> Draft202012Validator:
    """Validates a lone statement object against `#/$defs/statement`."""
    from jsonschema import Draft202012Validator

    schema = policy_schema()
    return Draft202012Validator({"$ref": "#/$defs/statement", "$defs": schema["$defs"]})


# jsonschema explains every error but takes about a millisecond per policy; fastjsonschema
# compiles the schema to Python and answers "valid?" some twenty times faster. Most documents
# are valid, so it decides first and jsonschema runs only to explain a failure. The keywords
# the schema uses mean the same in draft-07 (which fastjsonschema implements) and 2020-12.
def _compile(schema: dict[str, Any]) -> Callable[[Any], bool]:
    # Without `$id`, `#/$defs/…` resolves inside this document; the handlers make sure no
    # reference is ever fetched from the network.
    draft7 = {key: value for key, value in schema.items() if key != "$id"}
    draft7["$schema"] = "http://json-schema.org/draft-07/schema#"
    validate = fastjsonschema.compile(draft7, handlers={"http": _no_fetch, "https": _no_fetch})

    def is_valid(instance: Any) -> bool:
        try:
            validate(instance)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return is_valid


def _no_fetch(uri: str) -> Any:
    raise ValueError(f"the policy schema refers to {uri}; remote references are not fetched")


@cache
def policy_is_valid() -> Callable[[Any], bool]:
    return _compile(policy_schema())


@cache
def statement_is_valid() -> Callable[[Any], bool]:
    schema = policy_schema()
    return _compile({"$ref": "#/$defs/statement", "$defs": schema["$defs"]})

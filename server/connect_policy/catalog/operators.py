"""IAM condition operators, as data, and a parser for operator spellings.

Source: the AWS IAM User Guide page "IAM JSON policy elements: Condition operators"
(reference_policies_elements_condition_operators). For each operator family that page
states whether policy variables and wildcards are supported; the per-operator flags below
follow it (within the string family only StringLike/StringNotLike interpret wildcards,
while all four ARN operators do: ArnEquals behaves exactly like ArnLike). Descriptions
are summaries, not quotations.

Spellings: a base operator, optionally prefixed by a set operator (`ForAllValues:` or
`ForAnyValue:`) and optionally suffixed by `IfExists`. The page allows `IfExists` on every
operator except `Null`. The documentation does not say whether operator names are
case-sensitive, so they are matched ignoring case and reported in canonical spelling.

The page documents set operators with the String, Bool and ARN families
(`SET_OPERATOR_DOCUMENTED_TYPES`); `parse_operator` still accepts them on the other
families (except `Null`) because IAM's grammar does not forbid them, and completion offers
only the documented combinations.
"""

from __future__ import annotations

from dataclasses import dataclass

SET_OPERATORS: tuple[str, ...] = ("ForAllValues", "ForAnyValue")
"""The two set-operator qualifiers, canonical spelling."""

IF_EXISTS_SUFFIX = "IfExists"

SET_OPERATOR_DOCUMENTED_TYPES: frozenset[str] = frozenset({"String", "Bool", "ARN"})
"""Operator families the documentation shows with ForAllValues/ForAnyValue."""


@dataclass(frozen=True, slots=True)
class ConditionOperator:
    """One base condition operator (no set qualifier, no IfExists suffix)."""

    name: str
    type: str
    """"String", "Numeric", "Date", "Bool", "Binary", "IPAddress", "ARN" or "Null"."""
    description: str
    negated: bool
    supports_wildcards: bool
    supports_policy_variables: bool

    @property
    def supports_if_exists(self) -> bool:
        """Every operator but Null takes the IfExists suffix."""
        return self.type != "Null"


def _op(
    name: str,
    type_: str,
    description: str,
    *,
    negated: bool = False,
    wildcards: bool = False,
    variables: bool = False,
) -> ConditionOperator:
    return ConditionOperator(
        name=name,
        type=type_,
        description=description,
        negated=negated,
        supports_wildcards=wildcards,
        supports_policy_variables=variables,
    )


CONDITION_OPERATORS: tuple[ConditionOperator, ...] = (
    # String: policy variables supported; wildcards only in the *Like operators.
    _op(
        "StringEquals",
        "String",
        "True when the key's value is exactly one of the given strings; case matters.",
        variables=True,
    ),
    _op(
        "StringNotEquals",
        "String",
        "True when the key's value is none of the given strings (case-sensitive comparison).",
        negated=True,
        variables=True,
    ),
    _op(
        "StringEqualsIgnoreCase",
        "String",
        "Like StringEquals, but upper and lower case are treated as the same.",
        variables=True,
    ),
    _op(
        "StringNotEqualsIgnoreCase",
        "String",
        "True when the key's value equals none of the given strings, ignoring case.",
        negated=True,
        variables=True,
    ),
    _op(
        "StringLike",
        "String",
        "Case-sensitive pattern match: `*` stands for any run of characters and `?` for one "
        "character, anywhere in the value.",
        wildcards=True,
        variables=True,
    ),
    _op(
        "StringNotLike",
        "String",
        "True when the key's value matches none of the given `*`/`?` patterns (case-sensitive).",
        negated=True,
        wildcards=True,
        variables=True,
    ),
    # Numeric: no policy variables, no wildcards.
    _op("NumericEquals", "Numeric", "True when the number equals one of the given values."),
    _op(
        "NumericNotEquals",
        "Numeric",
        "True when the number equals none of the given values.",
        negated=True,
    ),
    _op("NumericLessThan", "Numeric", "True when the number is smaller than the given value."),
    _op(
        "NumericLessThanEquals",
        "Numeric",
        "True when the number is smaller than or equal to the given value.",
    ),
    _op(
        "NumericGreaterThan",
        "Numeric",
        "True when the number is larger than the given value.",
    ),
    _op(
        "NumericGreaterThanEquals",
        "Numeric",
        "True when the number is larger than or equal to the given value.",
    ),
    # Date: no policy variables, no wildcards. Values are ISO 8601 or epoch seconds.
    _op(
        "DateEquals",
        "Date",
        "True when the date/time equals the given ISO 8601 or epoch value.",
    ),
    _op(
        "DateNotEquals",
        "Date",
        "True when the date/time differs from every given value.",
        negated=True,
    ),
    _op("DateLessThan", "Date", "True when the date/time is before the given moment."),
    _op(
        "DateLessThanEquals",
        "Date",
        "True when the date/time is at or before the given moment.",
    ),
    _op("DateGreaterThan", "Date", "True when the date/time is after the given moment."),
    _op(
        "DateGreaterThanEquals",
        "Date",
        "True when the date/time is at or after the given moment.",
    ),
    # Bool: the operators page lists policy variables as supported, wildcards not.
    _op(
        "Bool",
        "Bool",
        "Compares the key with `true` or `false`.",
        variables=True,
    ),
    # Binary: no policy variables, no wildcards.
    _op(
        "BinaryEquals",
        "Binary",
        "Byte-for-byte comparison of the key with a base64-encoded binary value.",
    ),
    # IP address: no policy variables, no wildcards. Values are CIDR blocks.
    _op(
        "IpAddress",
        "IPAddress",
        "True when the address lies in one of the given IPv4/IPv6 CIDR ranges (a bare "
        "address means /32).",
    ),
    _op(
        "NotIpAddress",
        "IPAddress",
        "True when the address lies outside every given CIDR range.",
        negated=True,
    ),
    # ARN: policy variables and wildcards supported; *Equals and *Like behave alike.
    _op(
        "ArnEquals",
        "ARN",
        "Case-sensitive ARN match, checked component by component; each of the six "
        "colon-separated parts may use `*` and `?`. Identical in behaviour to ArnLike.",
        wildcards=True,
        variables=True,
    ),
    _op(
        "ArnLike",
        "ARN",
        "Case-sensitive ARN match, checked component by component with `*` and `?` "
        "wildcards. Identical in behaviour to ArnEquals.",
        wildcards=True,
        variables=True,
    ),
    _op(
        "ArnNotEquals",
        "ARN",
        "True when the ARN matches none of the given ARN patterns. Identical in behaviour "
        "to ArnNotLike.",
        negated=True,
        wildcards=True,
        variables=True,
    ),
    _op(
        "ArnNotLike",
        "ARN",
        "True when the ARN matches none of the given ARN patterns (`*` and `?` allowed). "
        "Identical in behaviour to ArnNotEquals.",
        negated=True,
        wildcards=True,
        variables=True,
    ),
    # Null: existence check; no policy variables, no IfExists.
    _op(
        "Null",
        "Null",
        "Checks whether the key is absent: `true` means it must be missing (null), `false` "
        "means it must be present with a value.",
    ),
)


@dataclass(frozen=True, slots=True)
class ParsedOperator:
    """An operator spelling split into its parts."""

    text: str
    """The spelling as written."""
    qualifier: str | None
    """"ForAllValues", "ForAnyValue" (canonical case) or None."""
    operator: ConditionOperator
    if_exists: bool

    @property
    def canonical(self) -> str:
        """The spelling with canonical case, e.g. `ForAnyValue:StringLikeIfExists`."""
        return _spell(self.qualifier, self.operator, self.if_exists)


def _spell(qualifier: str | None, operator: ConditionOperator, if_exists: bool) -> str:
    head = f"{qualifier}:" if qualifier else ""
    tail = IF_EXISTS_SUFFIX if if_exists else ""
    return f"{head}{operator.name}{tail}"


_Parts = tuple[str | None, ConditionOperator, bool]


def _build_tables() -> tuple[dict[str, _Parts], tuple[str, ...]]:
    """Every accepted spelling (lowercased -> parts) and the completion list, in order."""
    accepted: dict[str, _Parts] = {}
    completions: list[str] = []
    for qualifier in (None, *SET_OPERATORS):
        for op in CONDITION_OPERATORS:
            if qualifier is not None and op.type == "Null":
                continue
            suffixes = (False, True) if op.supports_if_exists else (False,)
            for if_exists in suffixes:
                spelling = _spell(qualifier, op, if_exists)
                accepted[spelling.lower()] = (qualifier, op, if_exists)
                if qualifier is None or op.type in SET_OPERATOR_DOCUMENTED_TYPES:
                    completions.append(spelling)
    return accepted, tuple(completions)


_ACCEPTED, _COMPLETIONS = _build_tables()
_BY_NAME: dict[str, ConditionOperator] = {op.name.lower(): op for op in CONDITION_OPERATORS}


def find_operator(name: str) -> ConditionOperator | None:
    """The base operator called `name` (no qualifier, no IfExists), ignoring case."""
    return _BY_NAME.get(name.lower())


def parse_operator(text: str) -> ParsedOperator | None:
    """Split `text` into set qualifier, base operator and IfExists; None if it is not valid.

    Accepts e.g. `StringEquals`, `StringLikeIfExists`, `ForAnyValue:StringLike`,
    `ForAllValues:StringEqualsIfExists` (ignoring case). Rejects unknown operators,
    unknown qualifiers, `NullIfExists`, qualified `Null`, surrounding whitespace and "".
    """
    parts = _ACCEPTED.get(text.lower())
    if parts is None:
        return None
    qualifier, operator, if_exists = parts
    return ParsedOperator(text=text, qualifier=qualifier, operator=operator, if_exists=if_exists)


def operators_matching_prefix(prefix: str) -> list[str]:
    """Full operator spellings starting with `prefix` (ignoring case), for completion.

    Base operators and their IfExists forms come first, then `ForAllValues:` and
    `ForAnyValue:` forms for the families the documentation pairs with set operators.
    """
    lowered = prefix.lower()
    return [spelling for spelling in _COMPLETIONS if spelling.lower().startswith(lowered)]

"""INVALID_SERVICE_PRINCIPAL_FORMAT: service principals written the way IAM does not accept.

A service principal is `name.amazonaws.com` (or ends in `.amazon.com` or `.amazonaws.com.cn`),
in lower case, with a single name before the suffix in the values of the keys that hold
service principals (`aws:CalledVia`, ...), one or more in the `Service` of a `Principal`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..catalog.operators import parse_operator
from ..document.policy import Statement, strings_in
from ..document.syntax import JsonObject, JsonString
from ..findings import Finding
from .context import CheckContext

SERVICE_PRINCIPAL_KEYS = frozenset({"aws:calledvia", "aws:calledviafirst", "aws:calledvialast",
                                    "aws:principalservicename",
                                    "aws:principalservicenameslist"})
_VALID = re.compile(r"[a-z0-9-]+\.(?:amazonaws\.com|amazon\.com|amazonaws\.com\.cn)")
# In a `Principal`, a service may also have a name of several parts: AWS's own bucket policies
# grant "logging.s3.amazonaws.com" (S3 server access logs) and "delivery.logs.amazonaws.com"
# (vended logs). Access Analyzer's rule is about condition values ("The value in the
# condition key-value pair must match a defined service principal format"), where it calls
# such names invalid (tests/corpus).
_VALID_IN_PRINCIPAL = re.compile(
    r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:amazonaws\.com|amazon\.com|amazonaws\.com\.cn)")


def check(context: CheckContext) -> Iterator[Finding]:
    for statement in context.policy.statements:
        yield from check_statement(context, statement)


def check_statement(context: CheckContext, statement: Statement) -> Iterator[Finding]:
    for element in ("Principal", "NotPrincipal"):
        principal = statement.value(element)
        if isinstance(principal, JsonObject):
            for node, _ in strings_in(principal.value_of("Service")):
                yield from _check_value(node, _VALID_IN_PRINCIPAL)
    condition = statement.value("Condition")
    if not isinstance(condition, JsonObject):
        return
    for block in condition.members:
        parsed = parse_operator(block.key.value)
        if parsed is None or parsed.operator.type != "String" or not isinstance(
                block.value, JsonObject):
            continue
        for member in block.value.members:
            if member.key.value.lower() in SERVICE_PRINCIPAL_KEYS:
                for node, _ in strings_in(member.value):
                    yield from _check_value(node, _VALID)


def _check_value(node: JsonString, valid: re.Pattern[str]) -> Iterator[Finding]:
    value = node.value
    if not value or any(ch in value for ch in "*?$") or valid.fullmatch(value):
        return
    yield Finding(
        "INVALID_SERVICE_PRINCIPAL_FORMAT",
        f'"{value}" is not a service principal: write it as "service.amazonaws.com" (one name, '
        'lower case; ".amazon.com" and ".amazonaws.com.cn" are also valid endings)',
        node.content_span(),
        translations={"ko": f'"{value}"은(는) 서비스 보안 주체 형식이 아닙니다. '
                            '"service.amazonaws.com"처럼 소문자 이름 하나로 쓰세요'
                            '(".amazon.com", ".amazonaws.com.cn"으로 끝나도 됩니다).'})

"""POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA: more than 10,240 characters without whitespace."""

from __future__ import annotations

import json
import re

from helpers import assert_findings, findings

from connect_policy.checks.size import IDENTITY_POLICY_QUOTA, policy_size
from connect_policy.findings import Severity

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def sized(size: int, indent: int | None = None) -> str:
    """A valid policy of exactly `size` characters without whitespace."""
    def build(sid: str) -> str:
        document = {"Version": "2012-10-17", "Statement": [
            {"Sid": sid, "Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}]}
        return json.dumps(document, indent=indent, separators=None if indent else (",", ":"))
    base = policy_size(build(""))
    return build("S" * (size - base))


def test_size_counts_everything_but_whitespace() -> None:
    assert policy_size('{ "a" :\n\t"b c" }\r\n') == len('{"a":"bc"}')
    assert policy_size(sized(5000)) == policy_size(sized(5000, indent=4)) == 5000


def test_policy_over_the_quota() -> None:
    size = IDENTITY_POLICY_QUOTA + 1
    (finding,) = assert_findings("«{»" + sized(size, indent=2)[1:],
                                 "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
                                 "10,241 characters without whitespace, 1 over the 10,240")
    assert finding.severity is Severity.WARNING
    assert finding.data == {"size": size, "quota": IDENTITY_POLICY_QUOTA}
    assert _HANGUL.search(finding.translations["ko"])


def test_policy_at_the_quota_passes_however_it_is_indented() -> None:
    for indent in (None, 2, 8):
        text = sized(IDENTITY_POLICY_QUOTA, indent=indent)
        assert findings(text, "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA") == []


def test_range_is_the_opening_brace_after_leading_whitespace() -> None:
    assert_findings("\n\n  «{»" + sized(IDENTITY_POLICY_QUOTA + 500)[1:],
                    "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA")

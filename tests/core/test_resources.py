"""INVALID_SERVICE: the service part of resource ARNs."""

from __future__ import annotations

import pytest
from helpers import assert_findings, findings


def policy_with_resource(resource: str) -> str:
    return ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
            f'"Action": "connect:DescribeUser", "Resource": {resource}}}]}}')


@pytest.mark.parametrize("arn", [
    "arn:aws:connect:us-east-1:123456789012:instance/abc/agent/*",
    "arn:aws:elastic-inference:*:*:elastic-inference-accelerator/*",
    "arn:aws:*:*:*:*", "arn:${Partition}:s3:::bucket", "*", "not-an-arn",
    "arn:aws:deepracer:*:*:model/*",
])
def test_known_services_and_non_arns_pass(arn: str) -> None:
    assert findings(policy_with_resource(f'["{arn}"]'), "INVALID_SERVICE") == []


def test_unknown_service_in_an_arn_is_reported_on_the_service() -> None:
    (finding,) = assert_findings(
        policy_with_resource('["arn:aws:«conect»:us-east-1:123456789012:instance/x"]'),
        "INVALID_SERVICE", '"conect" in this ARN is not an AWS service: did you mean '
        '"connect"?')
    assert finding.fixes[0].edits[0].new_text == "connect"


def test_retired_service_in_an_arn() -> None:
    (finding,) = findings(policy_with_resource('"arn:aws:evidently:*:*:project/*"'),
                          "INVALID_SERVICE")
    assert "removed it from the catalog" in finding.message

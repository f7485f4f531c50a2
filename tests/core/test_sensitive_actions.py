"""PASS_ROLE_* and CREATE_SLR_* (iam:PassRole / iam:CreateServiceLinkedRole on every
resource); MISSING_DEPENDENT_ACTION is in test_dependent_actions.py."""

from __future__ import annotations

import re

import pytest
from helpers import assert_findings, findings

from connect_policy.findings import FindingType, Severity

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def stmt(body: str, effect: str = "Allow") -> str:
    return ('{"Version": "2012-10-17", "Statement": [{"Effect": "' + effect + '", '
            + body + "}]}")


def codes(source: str, prefix: str) -> list[str]:
    return [f.code for f in findings(source) if f.code.startswith(prefix)]


# --- PASS_ROLE_* ----------------------------------------------------------------------------


def test_pass_role_on_every_resource() -> None:
    (finding,) = assert_findings(
        stmt('"Action": ["connect:CreateInstance", "«iam:PassRole»"], "Resource": "*"'),
        "PASS_ROLE_WITH_STAR_IN_RESOURCE", '"iam:PassRole" on "Resource": "*"',
        "iam:PassedToService")
    assert finding.severity is Severity.WARNING
    assert finding.finding_type is FindingType.SECURITY_WARNING
    assert _HANGUL.search(finding.translations["ko"])
    assert '"iam:PassRole"' in finding.translations["ko"]


def test_pass_role_through_a_wildcard_action() -> None:
    assert_findings(stmt('"Action": ["«iam:*»"], "Resource": "*"'),
                    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", '"iam:*" grants "iam:PassRole"')
    assert_findings(stmt('"Action": "«*»", "Resource": ["arn:aws:s3:::b", "*"]'),
                    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE")


def test_named_action_wins_over_a_wildcard_in_the_same_statement() -> None:
    assert codes(stmt('"Action": ["iam:Pass*", "iam:PassRole"], "Resource": "*"'),
                 "PASS_ROLE") == ["PASS_ROLE_WITH_STAR_IN_RESOURCE"]


@pytest.mark.parametrize("condition", [
    '{"StringEquals": {"iam:PassedToService": "connect.amazonaws.com"}}',
    '{"StringLike": {"iam:passedToService": ["ec2.amazonaws.com*"]}}',
    '{"ArnLike": {"iam:AssociatedResourceArn": "arn:aws:connect:*:*:instance/*"}}',
    '{"ForAnyValue:StringEquals": {"iam:PassedToService": "connect.amazonaws.com"}}',
])
def test_a_condition_that_pins_the_service_silences_it(condition: str) -> None:
    assert codes(stmt(f'"Action": "iam:PassRole", "Resource": "*", "Condition": {condition}'),
                 "PASS_ROLE") == []


@pytest.mark.parametrize("condition", [
    '{"StringEqualsIfExists": {"iam:PassedToService": "codebuild.amazonaws.com"}}',
    '{"StringNotEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}',
    '{"ForAnyValue:StringEquals": {"aws:CalledVia": "cloudformation.amazonaws.com"}}',
    '{"StringLike": {"iam:PassedToService": "*"}}',
])
def test_conditions_that_pin_nothing(condition: str) -> None:
    source = stmt(f'"Action": "iam:PassRole", "Resource": "*", "Condition": {condition}')
    assert codes(source, "PASS_ROLE") == ["PASS_ROLE_WITH_STAR_IN_RESOURCE"]


def test_if_exists_is_explained() -> None:
    (finding,) = findings(stmt(
        '"Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEqualsIfExists": '
        '{"iam:PassedToService": "codebuild.amazonaws.com"}}'), "PASS_ROLE_WITH_STAR_IN_RESOURCE")
    assert "StringEqualsIfExists" in finding.message


def test_pass_role_on_named_roles_or_denied_is_fine() -> None:
    named = '"Resource": "arn:aws:iam::123456789012:role/ConnectRole"'
    assert codes(stmt(f'"Action": "iam:PassRole", {named}'), "PASS_ROLE") == []
    assert codes(stmt('"Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/*"'),
                 "PASS_ROLE") == []
    assert codes(stmt('"Action": "iam:PassRole", "Resource": "*"', effect="Deny"),
                 "PASS_ROLE") == []
    assert codes(stmt('"Action": "iam:GetRole", "Resource": "*"'), "PASS_ROLE") == []


def test_pass_role_with_not_resource() -> None:
    assert_findings(stmt('"Action": "«iam:PassRole»", "NotResource": "arn:aws:iam::*:role/Admin"'),
                    "PASS_ROLE_WITH_NOTRESOURCE", 'through "NotResource"')
    assert_findings(stmt('"Action": "«iam:Pass*»", "NotResource": "arn:aws:iam::*:role/Admin"'),
                    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE")


def test_pass_role_through_not_action() -> None:
    assert_findings(stmt('"NotAction": "s3:*", "Resource": "«*»"'),
                    "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION", '"NotAction" grants')
    assert_findings(stmt('"NotAction": "s3:*", "«NotResource»": "arn:aws:s3:::b"'),
                    "PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE")
    assert codes(stmt('"NotAction": "iam:*", "Resource": "*"'), "PASS_ROLE") == []


# --- CREATE_SLR_* ---------------------------------------------------------------------------


def test_create_service_linked_role_on_every_resource() -> None:
    (finding,) = assert_findings(
        stmt('"Action": "«iam:CreateServiceLinkedRole»", "Resource": "*"'),
        "CREATE_SLR_WITH_STAR_IN_RESOURCE", "service-linked role of any AWS service",
        "iam:AWSServiceName")
    assert finding.severity is Severity.WARNING
    assert _HANGUL.search(finding.translations["ko"])


def test_create_slr_shapes() -> None:
    assert codes(stmt('"Action": "iam:*", "Resource": "*"'), "CREATE_SLR") == [
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE"]
    assert codes(stmt('"Action": "iam:CreateServiceLinkedRole", "NotResource": "x"'),
                 "CREATE_SLR") == ["CREATE_SLR_WITH_NOTRESOURCE"]
    assert codes(stmt('"Action": "iam:Create*", "NotResource": "x"'), "CREATE_SLR") == [
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOTRESOURCE"]
    assert codes(stmt('"NotAction": "s3:*", "Resource": "*"'), "CREATE_SLR") == [
        "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOTACTION"]
    assert codes(stmt('"NotAction": "s3:*", "NotResource": "x"'), "CREATE_SLR") == [
        "CREATE_SLR_WITH_NOTACTION_AND_NOTRESOURCE"]


def test_create_slr_pinned_to_a_service() -> None:
    source = stmt('"Action": "iam:CreateServiceLinkedRole", "Resource": "*", "Condition": '
                  '{"StringEquals": {"iam:AWSServiceName": "connect.amazonaws.com"}}')
    assert codes(source, "CREATE_SLR") == []
    # A leading wildcard pins nothing (Access Analyzer reports AlexaForBusinessFullAccess).
    source = stmt('"Action": "iam:CreateServiceLinkedRole", "Resource": "*", "Condition": '
                  '{"StringLike": {"iam:AWSServiceName": ["*a4b.amazonaws.com"]}}')
    assert codes(source, "CREATE_SLR") == ["CREATE_SLR_WITH_STAR_IN_RESOURCE"]

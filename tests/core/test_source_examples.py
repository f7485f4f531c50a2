"""The source material's 12 example policies, mistakes included, with expected findings.

Each expectation is (code, the text the finding's range covers, a part of its message).
Zero-width findings cover "" (a missing comma or brace is reported where it belongs).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from connect_policy.analysis import analyze

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "source-material"
LONE = "lone statement"
PLACEHOLDER = "placeholder from an example"
DEPENDENT = "dependent action"

EXPECTED: dict[str, list[tuple[str, str, str]]] = {
    "01-view-own-user-info.json": [],
    "02-view-connect-users.json": [],
    "03-app-integrations-all-actions.json": [
        ("MISSING_DEPENDENT_ACTION", "app-integrations:CreateEventIntegration",
         '"iam:AttachRolePolicy", "iam:CreateServiceLinkedRole", "iam:PutRolePolicy"'),
        ("INVALID_SERVICE_IN_ACTION", "app-integartions", 'did you mean "app-integrations"?'),
        ("MISSING_DEPENDENT_ACTION", "app-integrations:CreateDataIntegration", DEPENDENT),
        ("INVALID_SERVICE_IN_ACTION", "app-integartions", 'did you mean "app-integrations"?'),
    ],
    "04-describe-update-users-by-tag.json": [],
    "05-create-users-by-request-tag.json": [],
    "06-app-integrations-create-and-view.json": [
        ("MISSING_DEPENDENT_ACTION", "app-integrations:CreateEventIntegration", DEPENDENT),
        ("INVALID_ACTION", ":", 'did you mean "app-integrations:ListEventIntegrations"?'),
        ("JSON_SYNTAX_ERROR", ",", "Trailing comma"),
    ],
    "07-q-in-connect-assistants.json": [],
    "08-campaigns-onboarding.json": [
        ("JSON_SYNTAX_ERROR", '"Sid"', 'Missing "{" at the start'),
        ("MISSING_VERSION", '"Sid"', LONE),
        ("INVALID_ARN_REGION", "region", PLACEHOLDER),
        ("INVALID_ARN_ACCOUNT", "account-id", PLACEHOLDER),
        ("JSON_SYNTAX_ERROR", ",", "after the end of the JSON document"),
        ("INVALID_ARN_REGION", "region", PLACEHOLDER),
        ("INVALID_ARN_ACCOUNT", "account-id", PLACEHOLDER),
        ("INVALID_ARN_RESOURCE", "instance-id", PLACEHOLDER),
        ("CREATE_SLR_WITH_STAR_IN_RESOURCE", "iam:CreateServiceLinkedRole", '"Resource": "*"'),
        ("MISSING_DEPENDENT_ACTION", "connect:UpdateInstanceAttribute",
         '"logs:CreateLogGroup" (its dependent action'),
    ],
    "09-campaigns-disable.json": [
        ("INVALID_ARN_REGION", "region", PLACEHOLDER),
        ("INVALID_ARN_ACCOUNT", "account-id", PLACEHOLDER),
        ("JSON_SYNTAX_ERROR", "", 'Missing "}": the object opened at line 1, column 1'),
    ],
    "10-campaigns-manage.json": [
        ("MISSING_VERSION", '{ "Sid"', LONE),
        ("JSON_SYNTAX_ERROR", "", 'Missing comma between array elements after '
                                  '"connect-campaigns:GetCampaignState"'),
        ("INVALID_ACTION", "UpdateOutboundCallConfig",
         'did you mean "connect-campaigns:UpdateCampaignOutboundCallConfig"?'),
        ("INVALID_ACTION", "UpdateDialerConfig",
         'did you mean "connect-campaigns:UpdateCampaignDialerConfig"?'),
    ],
    "11-campaigns-read-only.json": [
        ("MISSING_VERSION", '{ "Sid"', LONE),
        ("JSON_SYNTAX_ERROR", ",", "Trailing comma"),
    ],
    "12-campaigns-tag-based.json": [
        ("MISSING_VERSION", '{ "Sid"', LONE),
    ],
}


def test_all_twelve_examples_are_covered() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_findings(name: str) -> None:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    result = analyze(text)
    assert result.is_policy
    got = [(f.code, text[f.span.start:f.span.end], f.message) for f in result.findings]
    assert [(code, covered) for code, covered, _ in got] == [
        (code, covered) for code, covered, _ in EXPECTED[name]], got
    for (_, _, message), (_, _, fragment) in zip(got, EXPECTED[name], strict=True):
        assert fragment in message


def test_onboarding_fragment_statements_after_the_first_are_still_checked() -> None:
    text = (EXAMPLES / "08-campaigns-onboarding.json").read_text(encoding="utf-8")
    text = text.replace("connect-campaigns:StartInstanceOnboardingJob",
                        "connect-campaigns:StartInstanceOnboardingJb")
    codes = [f.code for f in analyze(text).findings]
    assert "INVALID_ACTION" in codes

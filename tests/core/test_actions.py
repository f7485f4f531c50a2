"""INVALID_SERVICE_IN_ACTION and INVALID_ACTION, at the exact part that is wrong."""

from __future__ import annotations

import pytest
from helpers import assert_findings, findings, policy
from markers import marked

from connect_policy.findings import Severity


@pytest.mark.parametrize("action", [
    "connect:DescribeUser", "CONNECT:describeuser", "connect:UpdateUser*", "connect:*",
    "wisdom:Get?ssistant", "*", "app-integrations:ListEventIntegrations",
    "connect-campaigns:GetCampaignStateBatch", "iam:GetUser", "kms:CreateGrant",
    "events:PutRule", "ds:DescribeDirectories", "s3:Get*", "conn*:*", "zocalo:*",
])
def test_valid_actions_have_no_findings(action: str) -> None:
    text = policy(f'["{action}"]')
    # Only the validity of the name here: `*` on `*` also has security findings.
    assert findings(text, "INVALID_ACTION") == findings(text, "INVALID_SERVICE_IN_ACTION") == []


def test_misspelled_service_prefix_suggests_the_right_one_with_a_fix() -> None:
    (finding,) = assert_findings(policy('["«app-integartions»:DeleteEventIntegration"]'),
                                 "INVALID_SERVICE_IN_ACTION",
                                 '"app-integartions" is not an AWS service prefix: did you '
                                 'mean "app-integrations"?')
    assert finding.severity is Severity.ERROR
    fix = finding.fixes[0]
    assert fix.preferred
    assert fix.edits[0].new_text == "app-integrations:DeleteEventIntegration"


def test_unknown_action_suggests_by_words() -> None:
    (finding,) = assert_findings(
        policy('["connect-campaigns:«UpdateDialerConfig»"]'), "INVALID_ACTION",
        '"connect-campaigns:UpdateDialerConfig" is not an action of Amazon Connect Outbound '
        'Campaigns: did you mean "connect-campaigns:UpdateCampaignDialerConfig"?')
    assert finding.data["suggestions"][0] == "connect-campaigns:UpdateCampaignDialerConfig"


def test_unknown_action_suggests_by_characters() -> None:
    assert_findings(policy('["connect:«DescribeUsr»"]'), "INVALID_ACTION",
                    'did you mean "connect:DescribeUser"?')


def test_action_of_a_sibling_connect_service_is_suggested() -> None:
    assert_findings(policy('["connect:«PauseCampaign»"]'), "INVALID_ACTION",
                    'did you mean "connect-campaigns:PauseCampaign"?')


def test_double_colon_is_reported_on_the_extra_colon() -> None:
    (finding,) = assert_findings(policy('["app-integrations:«:»ListEventIntegrations"]'),
                                 "INVALID_ACTION", "2 colons in a row")
    assert finding.fixes[0].edits[0].new_text == "app-integrations:ListEventIntegrations"


def test_action_without_colon_suggests_the_qualified_name() -> None:
    (finding,) = assert_findings(policy('["«DescribeUser»"]'), "INVALID_ACTION",
                                 '"DescribeUser" has no service prefix')
    assert "connect:DescribeUser" in finding.message


def test_whitespace_in_action() -> None:
    (finding,) = assert_findings(policy('["«connect: DescribeUser»"]'), "INVALID_ACTION",
                                 "contains whitespace")
    assert finding.fixes[0].edits[0].new_text == "connect:DescribeUser"


def test_wildcard_that_matches_nothing() -> None:
    assert_findings(policy('["connect:«Frobnicate*»"]'), "INVALID_ACTION",
                    '"connect:Frobnicate*" matches no action of Amazon Connect')


def test_wildcard_service_that_matches_nothing() -> None:
    assert_findings(policy('["«zz*»:List*"]'), "INVALID_SERVICE_IN_ACTION", "matches no AWS")


def test_empty_action_and_missing_name() -> None:
    text, _ = marked(policy('["", "connect:"]'))
    messages = [f.message for f in findings(text, "INVALID_ACTION")]
    assert messages[0].startswith("Empty action")
    assert "has no action name after the colon" in messages[1]


def test_not_action_and_single_string_are_checked() -> None:
    text = ('{"Version": "2012-10-17", "Statement": {"Effect": "Deny", '
            '"NotAction": "conect:ListUsers", "Resource": "*"}}')
    (finding,) = findings(text, "INVALID_SERVICE_IN_ACTION")
    assert 'did you mean "connect"?' in finding.message


def test_retired_service_is_named_as_retired() -> None:
    (finding,) = findings(policy('["evidently:GetProject"]'), "INVALID_SERVICE_IN_ACTION")
    assert "Evidently" in finding.message and "removed it from the catalog" in finding.message
    assert finding.data["retired"] is True


def test_escaped_action_string_still_checked_and_fix_replaces_whole_content() -> None:
    (finding,) = findings(policy('["connect:Describe\\u0055sr"]'), "INVALID_ACTION")
    assert '"connect:DescribeUsr"' in finding.message
    assert finding.fixes[0].edits[0].new_text == "connect:DescribeUser"


def test_actions_after_a_syntax_error_are_still_checked() -> None:
    text = policy('["connect:DescribeUser" "conect:ListUsers"]')
    codes = [f.code for f in findings(text)]
    assert codes == ["JSON_SYNTAX_ERROR", "INVALID_SERVICE_IN_ACTION"]

"""Tag conditions that some of the statement's actions cannot honour."""

from __future__ import annotations

import json

from helpers import assert_findings, findings

from connect_policy.document.json_edits import apply_edits
from connect_policy.findings import Fix, Severity

CODE_ALLOW = "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"
CODE_DENY = "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"


def statement(effect: str, actions: str, operator: str = "StringEquals") -> str:
    return ('{"Version": "2012-10-17", "Statement": [{"Effect": "' + effect + '", '
            f'"Action": [{actions}], "Resource": "*", "Condition": {{"{operator}": '
            '{"«aws:ResourceTag/owner»": "team"}}}]}')


def test_source_material_caveat_is_reported_on_the_action_and_the_key() -> None:
    text = statement("Allow", '"connect-campaigns:DescribeCampaign", '
                              '"«connect-campaigns:ListCampaigns»", '
                              '"«connect-campaigns:GetCampaignStateBatch»"')
    found = assert_findings(text, CODE_ALLOW)
    assert "Amazon Connect's documentation says it cannot be restricted by tags" in (
        found[0].message)
    assert "never allows it" in found[0].message
    assert "ListCampaigns" in found[2].message and "GetCampaignStateBatch" in found[2].message
    assert "별도의 문으로 옮기세요" in found[0].translations["ko"]


def test_action_without_tag_support_per_catalog() -> None:
    text = statement("Allow", '"wisdom:GetAssistant", "«wisdom:ListAIAgents»"')
    assert_findings(text, CODE_ALLOW, "supports no tag condition keys")


def test_deny_variant_is_a_security_warning() -> None:
    text = statement("Deny", '"«wisdom:ListAIAgents»"')
    (action, _key) = assert_findings(text, CODE_DENY, "this Deny never applies to it")
    assert action.severity.value == "warning"


def test_supported_actions_and_if_exists_are_fine() -> None:
    text = statement("Allow", '"wisdom:GetAssistant", "connect:DescribeUser"')
    assert findings(text.replace("«", "").replace("»", ""), CODE_ALLOW) == []
    relaxed = statement("Allow", '"wisdom:ListAIAgents"', "StringEqualsIfExists")
    assert findings(relaxed.replace("«", "").replace("»", ""), CODE_ALLOW) == []


# --- The fix: move the actions to their own statement -----------------------------------------


def fixed(text: str, fix: Fix) -> str:
    """`text` with the fix applied: it parses, has lost every finding of CODE_ALLOW and has
    gained no error or warning."""
    after = apply_edits(text, fix.edits)
    json.loads(after)
    assert findings(after, CODE_ALLOW) == [], after
    before = {f.code for f in findings(text)}
    serious = {Severity.ERROR, Severity.WARNING}
    assert [f.code for f in findings(after)
            if f.code not in before and f.severity in serious] == [], after
    return after


def test_fix_moves_the_actions_to_a_new_statement_after_it() -> None:
    text = ('{"Version": "2012-10-17", "Statement": [{"Sid": "Campaigns", "Effect": "Allow", '
            '"Action": ["connect-campaigns:DescribeCampaign", "connect-campaigns:ListCampaigns", '
            '"connect-campaigns:GetCampaignStateBatch"], "Resource": "*", "Condition": '
            '{"StringEquals": {"aws:ResourceTag/owner": "team", '
            '"aws:RequestedRegion": "eu-west-2"}}}]}')
    got = findings(text, CODE_ALLOW)
    assert len(got) == 3 and all(len(f.fixes) == 1 for f in got)
    fix = got[0].fixes[0]
    assert fix.preferred
    assert fix.title == ('Move "connect-campaigns:ListCampaigns", '
                         '"connect-campaigns:GetCampaignStateBatch" to their own statement')
    policy = json.loads(fixed(text, fix))
    original, moved = policy["Statement"]
    assert original["Action"] == ["connect-campaigns:DescribeCampaign"]
    assert original["Condition"] == {"StringEquals": {"aws:ResourceTag/owner": "team",
                                                      "aws:RequestedRegion": "eu-west-2"}}
    # Same Effect and Resource, a Sid of its own, and the condition without the tag key
    # (the global key still applies to every request, so it stays).
    assert moved == {"Sid": "CampaignsNoTagCondition", "Effect": "Allow",
                     "Action": ["connect-campaigns:ListCampaigns",
                                "connect-campaigns:GetCampaignStateBatch"],
                     "Resource": "*",
                     "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-2"}}}


def test_fix_keeps_the_documents_indentation_and_unique_sids() -> None:
    text = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Wisdom",
      "Effect": "Allow",
      "Action": [
        "wisdom:ListAIAgents",
        "wisdom:GetAssistant"
      ],
      "Resource": "*",
      "Condition": {
        "StringEquals": {
          "aws:ResourceTag/owner": "team"
        },
        "Bool": {
          "aws:SecureTransport": "true"
        }
      }
    },
    {
      "Sid": "WisdomNoTagCondition",
      "Effect": "Allow",
      "Action": "connect:ListUsers",
      "Resource": "*"
    }
  ]
}"""
    (fix,) = findings(text, CODE_ALLOW)[0].fixes
    assert fixed(text, fix) == """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Wisdom",
      "Effect": "Allow",
      "Action": [
        "wisdom:GetAssistant"
      ],
      "Resource": "*",
      "Condition": {
        "StringEquals": {
          "aws:ResourceTag/owner": "team"
        },
        "Bool": {
          "aws:SecureTransport": "true"
        }
      }
    },
    {
      "Sid": "WisdomNoTagCondition2",
      "Effect": "Allow",
      "Action": [
        "wisdom:ListAIAgents"
      ],
      "Resource": "*",
      "Condition": {
        "Bool": {
          "aws:SecureTransport": "true"
        }
      }
    },
    {
      "Sid": "WisdomNoTagCondition",
      "Effect": "Allow",
      "Action": "connect:ListUsers",
      "Resource": "*"
    }
  ]
}"""


def test_fix_with_a_string_action_removes_the_tag_condition_in_place() -> None:
    text = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": '
            '"connect-campaigns:ListCampaigns", "Resource": "*", "Condition": {"StringEquals": '
            '{"aws:ResourceTag/owner": "team"}, "ForAllValues:StringEquals": '
            '{"aws:TagKeys": ["a"]}}}]}')
    (fix,) = findings(text, CODE_ALLOW)[0].fixes
    assert fix.title.startswith("Remove the tag condition")
    assert json.loads(fixed(text, fix))["Statement"] == [
        {"Effect": "Allow", "Action": "connect-campaigns:ListCampaigns", "Resource": "*"}]


def test_fix_turns_a_lone_statement_object_into_an_array() -> None:
    text = ('{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": '
            '["wisdom:GetAssistant", "wisdom:ListAIAgents"], "Resource": "*", "Condition": '
            '{"StringEquals": {"aws:ResourceTag/owner": "team"}}}}')
    (fix,) = findings(text, CODE_ALLOW)[0].fixes
    statements = json.loads(fixed(text, fix))["Statement"]
    assert [s["Action"] for s in statements] == [["wisdom:GetAssistant"],
                                                 ["wisdom:ListAIAgents"]]
    assert "Condition" not in statements[1]


def test_no_fix_for_a_wildcard_that_also_names_taggable_actions() -> None:
    # Moving `wisdom:*` would drop the tag condition for GetAssistant too.
    text = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": '
            '["wisdom:*"], "Resource": "*", "Condition": '
            '{"StringEquals": {"aws:ResourceTag/owner": "team"}}}]}')
    got = findings(text, CODE_ALLOW)
    assert got and all(f.fixes == () for f in got)


def test_no_fix_for_deny() -> None:
    # Moving actions out of a Deny's condition would deny them on every resource.
    text = statement("Deny", '"wisdom:GetAssistant", "wisdom:ListAIAgents"')
    got = findings(text.replace("«", "").replace("»", ""), CODE_DENY)
    assert got and all(f.fixes == () for f in got)

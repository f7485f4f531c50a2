"""Tag conditions that some of the statement's actions cannot honour."""

from __future__ import annotations

from helpers import assert_findings, findings

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
    assert "Amazon Connect policy examples note" in found[0].message
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

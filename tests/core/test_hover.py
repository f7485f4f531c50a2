"""Hover on actions, wildcards, condition keys and elements, in English and Korean."""

from __future__ import annotations

from markers import cursor

from connect_policy.hover import Hover, hover

STATEMENT = ('{"Version": "2012-10-17", "Statement": [{"Sid": "S", "Effect": "Allow", '
             '"Action": [%s], "Resource": "*"%s}]}')


def hover_at(source: str, locale: str | None = None) -> Hover:
    text, offset = cursor(source)
    result = hover(text, offset, locale)
    assert result is not None, "expected a hover"
    return result


def test_action_hover_has_catalog_facts_notes_and_link() -> None:
    result = hover_at(STATEMENT % ('"wisdom:Get|Assistant"', ""))
    md = result.markdown
    assert md.startswith("**wisdom:GetAssistant** — Amazon Q in Connect")
    assert "Access level: **Read**" in md
    assert "`Assistant` (required) — `arn:${Partition}:wisdom:" in md
    assert "In the Amazon Connect policy examples" in md
    assert "list_amazonqinconnect.html" in md


def test_action_hover_range_is_the_string_content() -> None:
    source = STATEMENT % ('"connect:Describe|User"', "")
    text, offset = cursor(source)
    result = hover(text, offset)
    assert result is not None
    assert text[result.span.start:result.span.end] == "connect:DescribeUser"


def test_korean_locale_translates_labels_and_notes() -> None:
    md = hover_at(STATEMENT % ('"connect-campaigns:List|Campaigns"', ""), "ko-KR").markdown
    assert "액세스 수준: **List**" in md
    assert "태그로 제한할 수 없습니다" in md


def test_wildcard_hover_counts_and_groups_by_access_level() -> None:
    md = hover_at(STATEMENT % ('"connect-campaigns:Delete|*"', "")).markdown
    assert "Grants 8 actions" in md
    assert "- **Write** (8): `DeleteCampaign`" in md


def test_condition_key_hover_lists_the_actions_it_applies_to() -> None:
    condition = ', "Condition": {"StringEquals": {"aws:Resource|Tag/owner": "x"}}'
    md = hover_at(STATEMENT % ('"connect-campaigns:DescribeCampaign", '
                               '"connect-campaigns:GetCampaignStateBatch"', condition)).markdown
    assert "Type: String, single-valued" in md
    assert "Applies to this statement's: `connect-campaigns:DescribeCampaign`" in md
    assert "GetCampaignStateBatch`" in md.split("Applies to")[0]  # named as not restrictable
    assert "Tags cannot restrict `connect-campaigns:GetCampaignStateBatch`" in md


def test_multivalued_key() -> None:
    condition = ', "Condition": {"ForAllValues:StringEquals": {"aws:Tag|Keys": ["a"]}}'
    md = hover_at(STATEMENT % ('"connect:TagResource"', condition)).markdown
    assert "multivalued" in md


def test_element_hover_with_best_practices() -> None:
    source = (STATEMENT % ('"connect:ListUsers"', "")).replace('"Resource"', '"Reso|urce"')
    md = hover_at(source).markdown
    assert md.startswith("**Resource**")
    assert "Best practices" in md


def test_no_hover_on_plain_values() -> None:
    text, offset = cursor('{"Version": "2012-10-17", "Statement": [{"Sid": "Hel|lo"}]}')
    assert hover(text, offset) is None

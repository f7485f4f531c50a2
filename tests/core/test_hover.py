"""Hover on actions, wildcards, condition keys and elements, in English and Korean."""

from __future__ import annotations

import re

import pytest
from markers import cursor

from connect_policy.catalog import source_notes
from connect_policy.catalog.services import CONNECT_FAMILY, default_catalog
from connect_policy.editor.hover import Hover, hover

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
    assert "**Amazon Connect notes**" in md
    assert "AmazonConnectEnabled=True" in md
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
    assert md.endswith(
        "Source: AWS documentation, [Amazon Connect identity-based policy examples]"
        "(https://docs.aws.amazon.com/connect/latest/adminguide/"
        "security_iam_id-based-policy-examples.html)")
    # Sid's note is general IAM advice, with no best practices and so no link.
    sid = hover_at(source.replace('"Reso|urce"', '"Resource"').replace('"Sid"', '"S|id"'))
    assert "Best practices" not in sid.markdown and "amazon.com" not in sid.markdown


def test_no_hover_on_plain_values() -> None:
    # A policy's Id is a free label (a Sid value has a hover: see test_hover_elements).
    text, offset = cursor('{"Version": "2012-10-17", "Id": "Hel|lo", "Statement": []}')
    assert hover(text, offset) is None


EN_URL = ("https://docs.aws.amazon.com/connect/latest/adminguide/"
          "security_iam_id-based-policy-examples.html")
KO_URL = ("https://docs.aws.amazon.com/ko_kr/connect/latest/adminguide/"
          "security_iam_id-based-policy-examples.html")
# What a user who never saw AWS's page cannot follow: its example numbers, "as printed".
PAGE_COMMENTARY = re.compile(r"\bexamples?\s*\(?\d|\bas printed\b|예제\s*\d|원문|"
                             r"\bexample 0|\bthe page\b", re.IGNORECASE)


def action_hover(action: str, locale: str | None = None, condition: str = "") -> str:
    """The hover on `action` (cursor after its colon) in a statement of its own."""
    marked = action.replace(":", ":|", 1)
    return hover_at(STATEMENT % (f'"{marked}"', condition), locale).markdown


def test_list_campaigns_says_what_to_do_in_the_users_terms() -> None:
    md = action_hover("connect-campaigns:ListCampaigns")
    assert ("- Typically granted for *managing campaigns*, together with "
            "`connect-campaigns:CreateCampaign`") in md
    assert "and 5 more." in md  # the job has 12 actions: six shown, the rest counted
    assert ("- Typically granted for *viewing campaigns (read-only)*, together with "
            "`connect-campaigns:DescribeCampaign`, `connect-campaigns:GetCampaignState`, "
            "`connect-campaigns:GetCampaignStateBatch`.") in md
    assert ('Cannot be restricted by tags: it acts on no single campaign and returns campaigns '
            'whatever their tags. Give it `Resource: "*"` in a separate statement') in md
    assert PAGE_COMMENTARY.search(md) is None
    assert md.count(EN_URL) == 1 and KO_URL not in md


def test_list_campaigns_in_korean() -> None:
    md = action_hover("connect-campaigns:ListCampaigns", "ko-KR")
    assert "**Amazon Connect 참고 사항**" in md
    assert "- 계정의 캠페인 목록과 요약 정보를 조회합니다." in md
    assert "주로 *캠페인 읽기 전용 조회* 업무에 부여합니다. 함께 부여하는 작업: " in md
    assert "외 5개." in md
    assert "태그로 제한할 수 없습니다." in md and '`Resource: "*"`로 허용' in md
    assert md.count(KO_URL) == 1 and EN_URL not in md
    assert "출처: AWS 문서 [Amazon Connect 자격 증명 기반 정책 예제]" in md


def test_list_users_names_its_job_once_without_repeating_it() -> None:
    md = action_hover("connect:ListUsers")
    assert "- Typically granted for *viewing users*, together with `connect:DescribeUser`." in md
    assert "a tag condition is checked against the instance's tags, not the users'" in md
    assert md.count("viewing users") == 1
    assert "Read-only access" not in md


def test_an_action_granted_through_a_wildcard_names_the_wildcard() -> None:
    md = action_hover("connect:UpdateUserPhoneConfig")
    assert ("- Typically granted for *viewing and updating users by tag* through the wildcard "
            "`connect:UpdateUser*`, together with `connect:DescribeUser`.") in md
    ko = action_hover("connect:UpdateUserPhoneConfig", "ko")
    assert ("주로 *태그 기준 사용자 조회·수정* 업무에 부여합니다(와일드카드 "
            "`connect:UpdateUser*`에 포함). 함께 부여하는 작업: `connect:DescribeUser`.") in ko


def test_a_summary_that_restates_the_catalog_is_shown_in_korean_only() -> None:
    en = action_hover("connect-campaigns:StopCampaign")
    assert "Grants permission to stop a campaign" in en
    assert "- Stops a campaign" not in en
    assert "**Amazon Connect notes**\n- Typically granted for *managing campaigns*" in en
    ko = action_hover("connect-campaigns:StopCampaign", "ko")
    assert "**Amazon Connect 참고 사항**\n- 캠페인을 중지합니다.\n- 주로 *캠페인 관리*" in ko


def test_the_real_action_warns_about_the_name_that_does_not_exist() -> None:
    md = action_hover("connect-campaigns:UpdateCampaignDialerConfig")
    assert ("`connect-campaigns:UpdateDialerConfig`, a name found in some AWS documentation, "
            "does not exist and grants nothing; this is the real action.") in md
    assert PAGE_COMMENTARY.search(md) is None


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_a_name_that_does_not_exist_is_called_so_plainly(locale: str) -> None:
    md = action_hover("connect-campaigns:UpdateOutboundCallConfig", locale)
    assert "`connect-campaigns:UpdateCampaignOutboundCallConfig`" in md
    assert ("no such action exists" in md) if locale == "en" else ("존재하지 않는 작업" in md)
    assert md.count(EN_URL if locale == "en" else KO_URL) == 1
    assert PAGE_COMMENTARY.search(md) is None


def test_sid_and_version_notes_speak_of_the_users_policy() -> None:
    sid = hover_at(STATEMENT.replace('"Sid"', '"S|id"') % ('"connect:ListUsers"', "")).markdown
    assert "console-generated names such as `VisualEditor0` say nothing" in sid
    version = hover_at(STATEMENT.replace('"Version"', '"Ver|sion"')
                       % ('"connect:ListUsers"', ""), "ko").markdown
    assert "Statement 하나만 복사해 왔다면" in version
    for md in (sid, version):
        assert PAGE_COMMENTARY.search(md) is None


def test_resource_tag_key_notes_name_typical_uses_not_example_numbers() -> None:
    condition = ', "Condition": {"StringEquals": {"aws:Resource|Tag/owner": "x"}}'
    md = hover_at(STATEMENT % ('"connect-campaigns:ListCampaigns"', condition)).markdown
    assert "Typical uses with Amazon Connect: users tagged `Department=Test`" in md
    assert PAGE_COMMENTARY.search(md) is None
    assert md.count(EN_URL) == 1


def _every_connect_hover(locale: str) -> list[tuple[str, str]]:
    """(what, markdown) for every Connect-family action, every policy element, the condition
    keys with notes and the names from AWS's page that do not exist."""
    found: list[tuple[str, str]] = []
    catalog = default_catalog()
    for prefix in CONNECT_FAMILY:
        service = catalog.service(prefix)
        assert service is not None
        for action in service.actions.values():
            found.append((action.qualified_name, action_hover(action.qualified_name, locale)))
    for wrong in source_notes.source_mistakes():
        if ":" in wrong:
            found.append((wrong, action_hover(wrong, locale)))
    for element in ("Version", "Id", "Statement"):
        text = f'{{"{element[:1]}|{element[1:]}": 1, "Statement": []}}'
        found.append((element, hover_at(text, locale).markdown))
    for element in ("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
                    "Resource", "NotResource", "Condition"):
        text = f'{{"Statement": [{{"{element[:1]}|{element[1:]}": 1, "Effect": "Allow"}}]}}'
        found.append((element, hover_at(text, locale).markdown))
    for key in ("aws:Resource|Tag/Department", "aws:Request|Tag/Owner"):
        condition = f', "Condition": {{"StringEquals": {{"{key}": "x"}}}}'
        found.append((key, hover_at(STATEMENT % ('"connect:CreateUser"', condition),
                                    locale).markdown))
    return found


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
def test_no_connect_hover_talks_about_example_numbers(locale: str) -> None:
    found = _every_connect_hover(locale)
    assert len(found) > 500
    noted = 0
    for what, md in found:
        assert PAGE_COMMENTARY.search(md) is None, (what, PAGE_COMMENTARY.search(md))
        assert md.count(EN_URL) + md.count(KO_URL) <= 1, what
        noted += EN_URL in md or KO_URL in md
    # The link comes with the notes on the 60-odd noted actions, the 2 missing names, the 4
    # elements with best practices and the 2 condition keys.
    assert noted >= 60 + 2 + 4 + 2

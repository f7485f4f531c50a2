"""Whole statements for the jobs the source material shows, as completion snippets.

Written in our own words from the source material's examples, with its mistakes corrected
(misspelt prefixes, actions that do not exist, a missing comma) and scoped where our own
checks would otherwise warn (the service-linked role of outbound campaigns). A test inserts
every one into a policy and asserts our checks find no error or warning in it.

Values are written with tab stops as `⟦1:default⟧`: a snippet gets `${1:default}`, plain
text gets `default`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ..formats.yaml_text import block_lines, double_quoted, plain_is_string

_STOP = re.compile(r"⟦(\d+):([^⟧]*)⟧")

Statement = dict[str, Any]


@dataclass(frozen=True, slots=True)
class JobSnippet:
    name: str  # the label, e.g. "Amazon Connect: view users"
    description: str  # Markdown: what the statements allow, and the caveats
    description_ko: str
    statements: tuple[Statement, ...]

    def render(self, indent_unit: str, base_indent: str, snippet: bool,
               taken_sids: frozenset[str] = frozenset()) -> str:
        """The statements as the text of array elements (`{…},\n{…}`), each line after the
        first indented by `base_indent`; Sids the document already uses get a number."""
        parts = [json.dumps(_unique_sid(s, taken_sids), indent=indent_unit, ensure_ascii=False)
                 for s in self.statements]
        return _with_stops((",\n").join(parts).replace("\n", "\n" + base_indent), snippet)

    def render_yaml(self, indent_unit: str, base_indent: str, snippet: bool,
                    taken_sids: frozenset[str] = frozenset()) -> str:
        """The statements as YAML block sequence items, the first after its `- ` (at the
        cursor), the others' `- ` at `base_indent`; strings plain where YAML reads them
        back as the same string, else double-quoted."""
        statements = [_unique_sid(s, taken_sids) for s in self.statements]
        first, *rest = block_lines(statements, indent_unit, _yaml_scalar)
        text = first.removeprefix("- ") + "".join(f"\n{base_indent}{line}" for line in rest)
        return _with_stops(text, snippet)


def _with_stops(text: str, snippet: bool) -> str:
    """The text with its `⟦n:default⟧` stops as snippet tab stops, or as their defaults."""
    if not snippet:
        return _STOP.sub(lambda m: m.group(2), text)
    escaped = text.replace("\\", "\\\\").replace("$", "\\$")
    return _STOP.sub(lambda m: "${" + m.group(1) + ":" + _escape_default(m.group(2)) + "}",
                     escaped)


def _yaml_scalar(text: str) -> str:
    plain = _STOP.sub(lambda m: m.group(2), text)
    return text if plain_is_string(plain, flow=False) else double_quoted(text)


def _escape_default(text: str) -> str:
    return text.replace("}", "\\}")


def _unique_sid(statement: Statement, taken: frozenset[str]) -> Statement:
    sid = statement.get("Sid")
    if not isinstance(sid, str) or sid not in taken:
        return statement
    number = 2
    while f"{sid}{number}" in taken:
        number += 1
    return {**statement, "Sid": f"{sid}{number}"}


_REGION = "⟦1:us-east-1⟧"
_ACCOUNT = "⟦2:111122223333⟧"
# IDs in the shape of real ones: our checks flag `key-id` or `instance-id` as left-over
# placeholders.
_KEY_ID = "⟦3:1234abcd-12ab-34cd-56ef-1234567890ab⟧"
_INSTANCE_ID = "⟦4:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee⟧"

JOB_SNIPPETS: tuple[JobSnippet, ...] = (
    JobSnippet(
        "Amazon Connect: view users",
        "Lets the identity list the users of Amazon Connect instances and read their "
        "details. `Resource` is `*` because neither action is scoped to a user here; "
        "name the instance's ARNs to narrow it.",
        "Amazon Connect 인스턴스의 사용자를 나열하고 세부 정보를 읽을 수 있게 합니다. 사용자 "
        "ARN을 지정하지 않으므로 `Resource`는 `*`입니다. 인스턴스 ARN으로 좁힐 수 있습니다.",
        ({"Sid": "ViewConnectUsers", "Effect": "Allow",
          "Action": ["connect:DescribeUser", "connect:ListUsers"], "Resource": "*"},),
    ),
    JobSnippet(
        "Amazon Connect: describe and update users by tag",
        "Lets the identity read and update only the Amazon Connect users that carry a tag "
        "(for example `Department: Test`).",
        "태그(예: `Department: Test`)가 붙은 Amazon Connect 사용자만 읽고 업데이트할 수 있게 "
        "합니다.",
        ({"Sid": "ManageTaggedConnectUsers", "Effect": "Allow",
          "Action": ["connect:DescribeUser", "connect:UpdateUserHierarchy",
                     "connect:UpdateUserIdentityInfo", "connect:UpdateUserPhoneConfig",
                     "connect:UpdateUserRoutingProfile", "connect:UpdateUserSecurityProfiles"],
          "Resource": "*",
          "Condition": {"StringEquals": {"aws:ResourceTag/⟦1:Department⟧": "⟦2:Test⟧"}}},),
    ),
    JobSnippet(
        "Amazon Connect: create users with a required tag",
        "Lets the identity create Amazon Connect users only when the request tags them "
        "(for example `Owner: TeamA`).",
        "요청에 태그(예: `Owner: TeamA`)가 있을 때만 Amazon Connect 사용자를 만들 수 있게 "
        "합니다.",
        ({"Sid": "CreateTaggedConnectUsers", "Effect": "Allow",
          "Action": ["connect:CreateUser", "connect:TagResource"], "Resource": "*",
          "Condition": {"StringEquals": {"aws:RequestTag/⟦1:Owner⟧": "⟦2:TeamA⟧"}}},),
    ),
    JobSnippet(
        "Amazon AppIntegrations: create and view event integrations",
        "Lets the identity create event integrations and list and read them.",
        "이벤트 통합을 만들고 나열하고 읽을 수 있게 합니다.",
        ({"Sid": "CreateAndViewEventIntegrations", "Effect": "Allow",
          "Action": ["app-integrations:CreateEventIntegration",
                     "app-integrations:GetEventIntegration",
                     "app-integrations:ListEventIntegrations"],
          "Resource": "*"},),
    ),
    JobSnippet(
        "Amazon AppIntegrations: manage event and data integrations",
        "Lets the identity list, create, read, update and delete event and data "
        "integrations, so that Amazon Connect can work with external applications.",
        "이벤트 통합과 데이터 통합을 나열, 생성, 조회, 업데이트, 삭제할 수 있게 하여 Amazon "
        "Connect가 외부 애플리케이션과 통합되도록 합니다.",
        ({"Sid": "ManageAppIntegrations", "Effect": "Allow",
          "Action": [f"app-integrations:{verb}{kind}Integration{plural}"
                     for kind in ("Event", "Data")
                     for verb, plural in (("List", "s"), ("Create", ""), ("Get", ""),
                                          ("Update", ""), ("Delete", ""))],
          "Resource": "*"},),
    ),
    JobSnippet(
        "Amazon Q in Connect: create and use assistants",
        "Lets the identity work with the Amazon Q in Connect assistants, knowledge bases, "
        "content and sessions tagged `AmazonConnectEnabled: True`, and list assistants and "
        "knowledge bases (listing cannot be limited by tag, so it has its own statement).",
        "`AmazonConnectEnabled: True` 태그가 붙은 Amazon Q in Connect 어시스턴트, 지식 베이스, "
        "콘텐츠, 세션을 사용하고, 어시스턴트와 지식 베이스를 나열할 수 있게 합니다(나열은 태그로 "
        "제한할 수 없어 별도 문에 있습니다).",
        ({"Sid": "UseTaggedQInConnectResources", "Effect": "Allow",
          "Action": ["wisdom:CreateContent", "wisdom:DeleteContent",
                     "wisdom:GetAssistant", "wisdom:GetContent", "wisdom:GetKnowledgeBase",
                     "wisdom:GetRecommendations", "wisdom:GetSession",
                     "wisdom:NotifyRecommendationsReceived", "wisdom:QueryAssistant",
                     "wisdom:StartContentUpload", "wisdom:UpdateContent",
                     "wisdom:CreateSession"],
          "Resource": "*",
          "Condition": {"StringEquals": {"aws:ResourceTag/AmazonConnectEnabled": "True"}}},
         {"Sid": "ListQInConnectResources", "Effect": "Allow",
          "Action": ["wisdom:ListAssistants", "wisdom:ListKnowledgeBases"],
          "Resource": "*"}),
    ),
    JobSnippet(
        "Outbound campaigns: onboard an Amazon Connect instance",
        "Lets the identity turn on outbound campaigns for an Amazon Connect instance: use "
        "the instance's KMS key, read the instance, create the campaigns service-linked "
        "role and run the onboarding job.",
        "Amazon Connect 인스턴스에서 아웃바운드 캠페인을 켤 수 있게 합니다. 인스턴스의 KMS "
        "키 사용, 인스턴스 조회, 캠페인 서비스 연결 역할 생성, 온보딩 작업 실행을 포함합니다.",
        ({"Sid": "UseCampaignsKey", "Effect": "Allow",
          "Action": ["kms:DescribeKey", "kms:CreateGrant"],
          "Resource": f"arn:aws:kms:{_REGION}:{_ACCOUNT}:key/{_KEY_ID}"},
         {"Sid": "ReadConnectInstance", "Effect": "Allow",
          "Action": "connect:DescribeInstance",
          "Resource": f"arn:aws:connect:{_REGION}:{_ACCOUNT}:instance/{_INSTANCE_ID}"},
         {"Sid": "CreateCampaignsServiceLinkedRole", "Effect": "Allow",
          "Action": ["iam:CreateServiceLinkedRole", "iam:AttachRolePolicy",
                     "iam:PutRolePolicy"],
          "Resource": f"arn:aws:iam::{_ACCOUNT}:role/aws-service-role/"
                      "connect-campaigns.amazonaws.com/AWSServiceRoleForConnectCampaigns"},
         {"Sid": "OnboardCampaigns", "Effect": "Allow",
          "Action": ["events:PutTargets", "events:PutRule", "ds:DescribeDirectories",
                     "connect-campaigns:StartInstanceOnboardingJob",
                     "connect-campaigns:GetConnectInstanceConfig",
                     "connect-campaigns:GetInstanceOnboardingJobStatus",
                     "connect-campaigns:DeleteInstanceOnboardingJob",
                     "connect:DescribeInstanceAttribute", "connect:UpdateInstanceAttribute",
                     "connect:ListInstances", "kms:ListAliases"],
          "Resource": "*"}),
    ),
    JobSnippet(
        "Outbound campaigns: turn off for an instance",
        "Lets the identity turn outbound campaigns off again: retire the KMS grant, remove "
        "the event rules and the service-linked role, and delete the instance's campaigns "
        "configuration.",
        "아웃바운드 캠페인을 다시 끌 수 있게 합니다. KMS 권한 부여 해제, 이벤트 규칙과 서비스 "
        "연결 역할 제거, 인스턴스의 캠페인 구성 삭제를 포함합니다.",
        ({"Sid": "RetireCampaignsKeyGrant", "Effect": "Allow",
          "Action": ["kms:DescribeKey", "kms:RetireGrant"],
          "Resource": f"arn:aws:kms:{_REGION}:{_ACCOUNT}:key/{_KEY_ID}"},
         {"Sid": "RemoveCampaignsServiceLinkedRole", "Effect": "Allow",
          "Action": ["iam:DeleteRolePolicy", "iam:DeleteServiceLinkedRole"],
          "Resource": f"arn:aws:iam::{_ACCOUNT}:role/aws-service-role/"
                      "connect-campaigns.amazonaws.com/AWSServiceRoleForConnectCampaigns"},
         {"Sid": "OffboardCampaigns", "Effect": "Allow",
          "Action": ["events:DeleteRule", "events:RemoveTargets", "events:DescribeRule",
                     "events:ListTargetsByRule",
                     "connect-campaigns:DeleteConnectInstanceConfig"],
          "Resource": "*"}),
    ),
    JobSnippet(
        "Outbound campaigns: administer campaigns",
        "Lets the identity create, read, change, run and delete outbound campaigns.",
        "아웃바운드 캠페인을 만들고, 읽고, 변경하고, 실행하고, 삭제할 수 있게 합니다.",
        ({"Sid": "AdministerCampaigns", "Effect": "Allow",
          "Action": ["connect-campaigns:CreateCampaign", "connect-campaigns:DeleteCampaign",
                     "connect-campaigns:DescribeCampaign",
                     "connect-campaigns:UpdateCampaignName",
                     "connect-campaigns:GetCampaignState",
                     "connect-campaigns:UpdateCampaignOutboundCallConfig",
                     "connect-campaigns:UpdateCampaignDialerConfig",
                     "connect-campaigns:StartCampaign", "connect-campaigns:PauseCampaign",
                     "connect-campaigns:ResumeCampaign", "connect-campaigns:StopCampaign",
                     "connect-campaigns:GetCampaignStateBatch",
                     "connect-campaigns:ListCampaigns"],
          "Resource": "*"},),
    ),
    JobSnippet(
        "Outbound campaigns: read-only",
        "Lets the identity list outbound campaigns and read their details and state.",
        "아웃바운드 캠페인을 나열하고 세부 정보와 상태를 읽을 수 있게 합니다.",
        ({"Sid": "ReadCampaigns", "Effect": "Allow",
          "Action": ["connect-campaigns:DescribeCampaign",
                     "connect-campaigns:GetCampaignState",
                     "connect-campaigns:GetCampaignStateBatch",
                     "connect-campaigns:ListCampaigns"],
          "Resource": "*"},),
    ),
    JobSnippet(
        "Outbound campaigns: read campaigns of one instance (by tag)",
        "Lets the identity read the campaigns tagged with an Amazon Connect instance's ARN. "
        "`ListCampaigns` and `GetCampaignStateBatch` cannot be limited by tag, so they are "
        "in a statement of their own.",
        "Amazon Connect 인스턴스 ARN으로 태그된 캠페인을 읽을 수 있게 합니다. `ListCampaigns`와 "
        "`GetCampaignStateBatch`는 태그로 제한할 수 없어 별도 문에 있습니다.",
        ({"Sid": "ReadCampaignsOfInstance", "Effect": "Allow",
          "Action": ["connect-campaigns:DescribeCampaign",
                     "connect-campaigns:GetCampaignState"],
          "Resource": "*",
          "Condition": {"StringEquals": {
              "aws:ResourceTag/⟦3:owner⟧":
                  f"arn:aws:connect:{_REGION}:{_ACCOUNT}:instance/{_INSTANCE_ID}"}}},
         {"Sid": "ListCampaigns", "Effect": "Allow",
          "Action": ["connect-campaigns:ListCampaigns",
                     "connect-campaigns:GetCampaignStateBatch"],
          "Resource": "*"}),
    ),
)

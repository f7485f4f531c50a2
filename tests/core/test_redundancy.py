"""REDUNDANT_ACTION and REDUNDANT_RESOURCE: entries another entry of the array covers."""

from __future__ import annotations

import json
import re

from helpers import assert_findings, findings
from markers import marked

from connect_policy.findings import Finding, Severity

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def statement(actions: str, resources: str = '"*"') -> str:
    return ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
            f'"Action": {actions}, "Resource": {resources}}}]}}')


def apply_fix(source: str, finding: Finding) -> str:
    text, _ = marked(source)
    (edit,) = finding.fixes[0].edits
    return text[:edit.span.start] + edit.new_text + text[edit.span.end:]


def test_duplicate_action_reports_the_later_copy() -> None:
    source = statement('["connect:ListUsers", «"connect:ListUsers"»]')
    (finding,) = assert_findings(source, "REDUNDANT_ACTION", "is listed twice",
                                 "also at index 0")
    assert finding.severity is Severity.INFORMATION
    after = json.loads(apply_fix(source, finding))
    assert after["Statement"][0]["Action"] == ["connect:ListUsers"]
    assert _HANGUL.search(finding.translations["ko"])


def test_duplicates_differing_in_case_are_the_same_action() -> None:
    assert_findings(statement('["connect:ListUsers", «"CONNECT:listusers"»]'),
                    "REDUNDANT_ACTION", '(as "connect:ListUsers")')


def test_action_covered_by_a_later_wildcard() -> None:
    source = statement('[«"connect:DescribeUser"», "connect:ListUsers", "connect:Describe*"]')
    (finding,) = assert_findings(source, "REDUNDANT_ACTION",
                                 '"connect:DescribeUser" is already covered by '
                                 '"connect:Describe*" (index 2)')
    after = json.loads(apply_fix(source, finding))
    assert after["Statement"][0]["Action"] == ["connect:ListUsers", "connect:Describe*"]
    assert finding.data["covered_by"] == "connect:Describe*"


def test_star_covers_everything_and_question_mark_one_character() -> None:
    assert_findings(statement('["*", «"connect:ListUsers"»]'), "REDUNDANT_ACTION")
    assert findings(statement('["wisdom:GetAssistant", "wisdom:GetAssistant?"]'),
                    "REDUNDANT_ACTION") == []
    # `?` is exactly one character: `GetAssistan?` covers `GetAssistant`, not the reverse.
    assert_findings(statement('[«"wisdom:GetAssistant"», "wisdom:GetAssistan?"]'),
                    "REDUNDANT_ACTION")
    assert findings(statement('["wisdom:GetAssistan?", "wisdom:GetAssistant*"]'),
                    "REDUNDANT_ACTION") == []


def test_different_actions_are_not_redundant() -> None:
    assert findings(statement('["connect:ListUsers", "connect:ListQueues", "connect:List*s?"]'),
                    "REDUNDANT_ACTION") == []
    assert findings(statement('"connect:ListUsers"'), "REDUNDANT_ACTION") == []


def test_last_entry_is_removed_with_the_comma_before_it() -> None:
    source = ('{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Allow",\n'
              '    "Action": [\n      "connect:List*",\n      «"connect:ListUsers"»\n    ],\n'
              '    "Resource": "*"\n  }]\n}')
    (finding,) = assert_findings(source, "REDUNDANT_ACTION")
    assert '"Action": [\n      "connect:List*"\n    ]' in apply_fix(source, finding)


def test_bucket_pattern_covers_its_objects() -> None:
    source = statement('"s3:GetObject"',
                       '["arn:aws:s3:::elasticbeanstalk-*", «"arn:aws:s3:::elasticbeanstalk-*/*"»]')
    (finding,) = assert_findings(source, "REDUNDANT_RESOURCE", "already covered by "
                                 '"arn:aws:s3:::elasticbeanstalk-*" (index 0)',
                                 'also matches "/" and ":"')
    after = json.loads(apply_fix(source, finding))
    assert after["Statement"][0]["Resource"] == ["arn:aws:s3:::elasticbeanstalk-*"]


def test_a_star_may_cover_a_field_boundary() -> None:
    # Access Analyzer's AmazonSecurityLakeMetastoreManager finding: the account's `*` also
    # matches `123456789012:log-group`.
    assert_findings(statement('"logs:CreateLogStream"',
                              '[«"arn:aws:logs:*:*:log-group:/aws/lambda/Lake*"», '
                              '"arn:aws:logs:*:*:/aws/lambda/Lake*"]'),
                    "REDUNDANT_RESOURCE")


def test_resources_compare_case_sensitively() -> None:
    assert findings(statement('"s3:GetObject"',
                              '["arn:aws:s3:::*DeepRacer*", "arn:aws:s3:::*deepracer*/*"]'),
                    "REDUNDANT_RESOURCE") == []


def test_duplicate_resource() -> None:
    assert_findings(statement('"connect:DescribeUser"',
                              '["arn:aws:connect:*:*:instance/*/agent/*", '
                              '«"arn:aws:connect:*:*:instance/*/agent/*"»]'),
                    "REDUNDANT_RESOURCE", "is listed twice")


def test_patterns_that_cover_each_other_keep_the_first() -> None:
    assert_findings(statement('"s3:GetObject"', '["arn:aws:s3:::b/*", «"arn:aws:s3:::b/**"»]'),
                    "REDUNDANT_RESOURCE")


def test_not_action_and_not_resource_are_left_alone() -> None:
    source = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", '
              '"NotAction": ["s3:*", "s3:Get*"], "NotResource": ["arn:aws:s3:::b", '
              '"arn:aws:s3:::b"]}]}')
    assert [f for f in findings(source) if f.code.startswith("REDUNDANT")] == []

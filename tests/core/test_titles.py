"""Every code action title our fixes and refactorings produce has a Korean form."""

from __future__ import annotations

from pathlib import Path

from helpers import policy

from connect_policy.analysis import Settings, analyze
from connect_policy.document.text import Span
from connect_policy.editor.refactorings import refactorings
from connect_policy.editor.titles import title_for

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").rglob("*.json"))
ALLOW = '"Effect": "Allow", "Resource": "*", '
# Documents whose findings carry every kind of fix, and lists every refactoring applies to.
DOCUMENTS = [
    '{"Statement": [{' + ALLOW + '"Action": ["connect:List*", "connect:ListUsers", '
    '"connect:ListUsers", "wisdom:GetAssistant", "connect:DescribeUsr"]}]}',
    '{"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}',
    '[{"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}]',
    '{"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Acton": "s3:GetObject", '
    '"Resource": "arn:aws:S3:::b/*", /* c */ "Condition": {"StringEqual": {"aws:TagKeys": '
    '"a"}, "NullIfExists": {"aws:SourceIp": "true"}}},]}',
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:PassRole"] '
    '"Resource": "*"}, {"Effect": "Allow", "NotAction": ["s3:b", "s3:a", "s3:a"], '
    '"Resource": "*"}, {"Effect": "Allow", "Action": ["connect-campaigns:ListCampaigns", '
    '"connect-campaigns:DescribeCampaign"], "Resource": "*", "Condition": {"StringEquals": '
    '{"aws:ResourceTag/owner": "x"}}}, {"Effect": "Allow", "Action": "connect:List?sers", '
    '"Resource": "*"}, {"Effect": "Allow", "Action": "wisdom:Get*", "Resource": "*"}]}',
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "connect:*", '
    '"Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/x": "y"}, '
    '"ForAnyValue:StringEquals": {"aws:TagKeys": "b"}, "StringLike": {"aws:TagKeys": "c"}}}',
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": '
    '["connect:CreatePrompt"], "Resource": "*", "Condition": {"ForAllValues:StringEquals": '
    '{"aws:CalledVia": "a"}, "ForAnyValue:StringEquals": {"aws:username": "b"}}}]}',
    policy('["connect:ListUsers" "connect:ListQueues"'),
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "connect:ListUsers'
    '", "Resource": "*"',
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "connect:ListUsers,'
    '\n "Resource": "*"}]}',
    # A trust policy: a federated principal's action, a role's session beside the role.
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": '
    '"cognito-identity.amazonaws.com", "AWS": ["arn:aws:iam::111122223333:role/r", '
    '"arn:aws:sts::111122223333:assumed-role/r/s"]}, "Action": "sts:AssumeRoleWithSAML"}]}',
]


def titles() -> set[str]:
    found: set[str] = set()
    texts = DOCUMENTS + [p.read_text(encoding="utf-8") for p in EXAMPLES]
    for text in texts:
        analysis = analyze(text, Settings())
        found.update(fix.title for f in analysis.findings for fix in f.fixes)
        for offset in range(0, len(text), 7):
            found.update(r.title for r in refactorings(analysis, Span(offset, offset)))
    return found


def test_every_title_has_a_korean_form() -> None:
    seen = titles()
    assert len(seen) >= 20, sorted(seen)  # the documents above do reach many kinds
    untranslated = sorted(t for t in seen if title_for(t, "ko-KR") == t)
    assert untranslated == []


def test_english_stays_english() -> None:
    assert title_for('Change to "connect:ListUsers"', "en") == 'Change to "connect:ListUsers"'
    assert title_for('Change to "connect:ListUsers"', None) == 'Change to "connect:ListUsers"'
    assert title_for('Change to "connect:ListUsers"', "ko") == '"connect:ListUsers"(으)로 바꾸기'
    assert title_for("Something new", "ko") == "Something new"


def test_titles_are_plain_text() -> None:
    # Code action menus show titles as they are: no Markdown backticks.
    assert [t for t in titles() if "`" in t] == []

"""Piecewise ARN completion: each segment completed where the cursor is, replacing only that
segment; the `|` marks the cursor, `«…»` the span an item replaces."""

from __future__ import annotations

import pytest
from markers import marked

from connect_policy.analysis import Settings, analyze
from connect_policy.catalog.regions import region_table
from connect_policy.editor.completion import complete
from connect_policy.editor.completion_items import CompletionItem, CompletionList, ItemKind
from connect_policy.findings import Severity

POLICY = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [%s], '
          '"Resource": "%s"}]}')
QUEUE_AND_USER = '"connect:DescribeQueue", "connect:DescribeUser"'


def complete_marked(source: str) -> tuple[str, CompletionList]:
    """Completion at `|`; asserts the list replaces the span marked `«…»`."""
    with_cursor, spans = marked(source)
    offset = with_cursor.index("|")
    text = with_cursor.replace("|", "", 1)
    result = complete(text, offset)
    assert result is not None
    (expected,) = spans
    # The cursor lies inside the marked span, so its end moves back by one.
    end = expected.end - 1 if expected.end > offset else expected.end
    start = expected.start - 1 if expected.start > offset else expected.start
    assert (result.span.start, result.span.end) == (start, end), text[result.span.start:
                                                                      result.span.end]
    return text, result


def labels(result: CompletionList) -> list[str]:
    return [i.label for i in result.items]


def item(result: CompletionList, label: str) -> CompletionItem:
    return next(i for i in result.items if i.label == label)


def apply(text: str, result: CompletionList, label: str) -> str:
    return text[:result.span.start] + item(result, label).plain_text + text[result.span.end:]


def test_partitions_after_arn() -> None:
    text, result = complete_marked(POLICY % (QUEUE_AND_USER, "arn:«|»"))
    assert labels(result) == ["aws", "aws-cn", "aws-us-gov"]
    aws = item(result, "aws")
    assert (aws.kind, aws.new_text, aws.retrigger) == (ItemKind.ARN_PART, "aws:", True)
    assert aws.detail == "AWS Standard"
    assert '"Resource": "arn:aws:"' in apply(text, result, "aws")


def test_a_segment_between_colons_is_replaced_alone() -> None:
    text, result = complete_marked(POLICY % (QUEUE_AND_USER, "arn:«a|ws»:connect:*:*:*"))
    assert labels(result) == ["aws", "aws-cn", "aws-us-gov"]
    cn = item(result, "aws-cn")
    assert (cn.new_text, cn.retrigger) == ("aws-cn", False)  # the colon is there already
    assert '"arn:aws-cn:connect:*:*:*"' in apply(text, result, "aws-cn")


def test_services_rank_the_statements_then_the_connect_family() -> None:
    _, result = complete_marked(POLICY % ('"s3:GetObject", "connect:DescribeQueue"',
                                          "arn:aws:«|»"))
    assert labels(result)[:6] == ["s3", "connect", "app-integrations", "wisdom",
                                  "connect-campaigns", "a4b"]
    assert item(result, "s3").new_text == "s3:"
    _, typed = complete_marked(POLICY % (QUEUE_AND_USER, "arn:aws:«conn|»"))
    assert labels(typed)[:2] == ["connect", "connect-campaigns"]


def test_regions_where_the_service_has_endpoints_first() -> None:
    _, result = complete_marked(POLICY % (QUEUE_AND_USER, "arn:aws:connect:«|»"))
    table = region_table()
    available = list(table.available("connect", "aws"))
    others = [r for r in table.partitions["aws"].regions if r not in available]
    assert labels(result) == [*available, *others, "*", "${aws:RequestedRegion}"]
    assert "us-east-1" in available and "eu-north-1" in others
    assert item(result, "us-east-1").detail == "US East (N. Virginia)"
    variable = item(result, "${aws:RequestedRegion}")
    assert (variable.kind, variable.new_text) == (ItemKind.VARIABLE,
                                                  "\\${aws:RequestedRegion\\}:")


def test_regions_of_the_typed_partition() -> None:
    _, result = complete_marked(POLICY % (QUEUE_AND_USER, "arn:aws-us-gov:connect:«|»"))
    assert labels(result) == ["us-gov-west-1", "us-gov-east-1", "*", "${aws:RequestedRegion}"]


def test_a_service_whose_arns_have_no_region() -> None:
    text, result = complete_marked(POLICY % ('"iam:GetRole"', "arn:aws:iam:«|»"))
    assert labels(result) == ["(no Region)"]
    assert '"arn:aws:iam::"' in apply(text, result, "(no Region)")


def test_accounts_used_in_the_policy_then_a_placeholder() -> None:
    source = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": '
              '"connect:DescribeQueue", "Resource": ["arn:aws:connect:us-east-1:111122223333:'
              'instance/a", "arn:aws:connect:us-east-1:«|»"]}]}')
    text, result = complete_marked(source)
    assert labels(result) == ["111122223333", "{Account}", "*", "${aws:PrincipalAccount}"]
    placeholder = item(result, "{Account}")
    assert (placeholder.new_text, placeholder.snippet) == ("${1:Account}:", True)
    assert "arn:aws:connect:us-east-1:111122223333:\"" in apply(text, result, "111122223333")


def test_resource_parts_of_the_statements_actions() -> None:
    text, result = complete_marked(POLICY % (QUEUE_AND_USER, "arn:aws:connect:us-east-1:*:«|»"))
    # Named resource types first, `*` (every resource) last: least privilege is the default.
    assert labels(result) == ["instance/*/agent/*", "instance/{InstanceId}/agent/{UserId}",
                              "instance/*/queue/*", "instance/{InstanceId}/queue/{QueueId}", "*"]
    snippet = item(result, "instance/{InstanceId}/queue/{QueueId}")
    assert snippet.snippet and snippet.new_text == "instance/${1:InstanceId}/queue/${2:QueueId}"
    assert snippet.plain_text == "instance/InstanceId/queue/QueueId"
    plain = item(result, "instance/*/queue/*")
    assert (plain.snippet, plain.retrigger) == (False, False)
    assert "Resource type **queue**, used by `connect:DescribeQueue`" in plain.documentation
    assert '"arn:aws:connect:us-east-1:*:instance/*/queue/*"' in apply(
        text, result, "instance/*/queue/*")


def test_the_resource_part_is_replaced_to_the_end_and_matched() -> None:
    _, result = complete_marked(POLICY % (QUEUE_AND_USER,
                                          "arn:aws:connect:*:*:«instance/*/q|ueue/abc»"))
    assert labels(result) == ["instance/*/queue/*", "instance/{InstanceId}/queue/{QueueId}"]


def test_every_resource_type_of_the_service_without_statement_actions() -> None:
    _, result = complete_marked(POLICY % ('"s3:GetObject"', "arn:aws:wisdom:*:*:«assis|»"))
    assert labels(result) == ["assistant/*", "assistant/{AssistantId}"]


def test_whole_arns_before_the_first_colon() -> None:
    _, result = complete_marked(POLICY % ('"connect-campaigns:DescribeCampaign"', "«ar|»"))
    assert labels(result) == ["arn:aws:connect-campaigns:*:*:campaign/*",
                              "arn:aws:connect-campaigns:{Region}:{Account}:campaign/{CampaignId}"]
    assert all(i.kind is ItemKind.ARN for i in result.items)


def test_an_arn_typed_key_of_a_condition() -> None:
    source = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": '
              '"s3:PutObject", "Resource": "*", "Condition": {"ArnLike": {"aws:SourceArn": '
              '"arn:aws:connect:*:*:«|»"}}}]}')
    _, result = complete_marked(source)
    assert "instance/*" in labels(result) and "instance/*/queue/*" in labels(result)
    plain_key = source.replace('"ArnLike": {"aws:SourceArn"', '"StringEquals": {"aws:username"')
    with_cursor, _ = marked(plain_key)
    got = complete(with_cursor.replace("|", ""), with_cursor.index("|"))
    assert got is None or not [i for i in got.items if i.kind is ItemKind.ARN_PART]


@pytest.mark.parametrize("steps", [
    ("aws", "connect", "us-east-1", "{Account}", "instance/*/queue/*"),
    ("aws-us-gov", "connect", "us-gov-west-1", "*", "instance/{InstanceId}/agent/{UserId}"),
])
def test_an_arn_typed_piece_by_piece_passes_our_checks(steps: tuple[str, ...]) -> None:
    text = POLICY % (QUEUE_AND_USER, "arn:")
    for label in steps:
        offset = text.index('arn:') + text[text.index("arn:"):].index('"')
        result = complete(text, offset)
        assert result is not None
        chosen = item(result, label)
        assert chosen.retrigger == (label != steps[-1])
        text = text[:result.span.start] + chosen.plain_text + text[result.span.end:]
    if "{Account}" in steps:
        text = text.replace(":Account:", ":111122223333:")
    if "{InstanceId}" in steps[-1]:
        text = text.replace("InstanceId", "a1b2").replace("UserId", "c3d4")
    findings = analyze(text, Settings()).findings
    assert [f.code for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)] == []

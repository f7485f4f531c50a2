"""Piecewise ARN completion (each segment, its items and the range they replace) and hover on
Effect, Version and Sid values, condition operators and resource ARNs, through the real
server, in English and Korean."""

from __future__ import annotations

import pytest
from lsp_support import (
    EMACS,
    NEOVIM,
    VSCODE,
    VSCODE_KO,
    PolicyClient,
    apply_item,
    completion_at,
    ids,
    position_of,
    rng,
    uri_for,
    within,
)
from lsprotocol import types as lsp

from connect_policy.catalog.regions import region_table

CLIENTS = (VSCODE, NEOVIM)
POLICY = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": '
          '["connect:DescribeQueue", "connect:DescribeUser"], "Resource": "%s"}]}')
RESOURCE_AT = POLICY.index("%s")  # the column where the ARN starts (one line)


def client_order(result: lsp.CompletionList) -> list[lsp.CompletionItem]:
    return sorted(result.items, key=lambda i: i.sort_text or i.label)


def labels(result: lsp.CompletionList) -> list[str]:
    return [i.label for i in client_order(result)]


def by_label(result: lsp.CompletionList, label: str) -> lsp.CompletionItem:
    return next(i for i in result.items if i.label == label)


def edit_range(result: lsp.CompletionList, item: lsp.CompletionItem) -> lsp.Range:
    if isinstance(item.text_edit, lsp.TextEdit):
        return item.text_edit.range
    assert result.item_defaults is not None
    default = result.item_defaults.edit_range
    assert isinstance(default, lsp.Range)
    return default


def segment(start: int, end: int) -> lsp.Range:
    """The range of columns `start`..`end` of the ARN (on the policy's one line)."""
    return rng(0, RESOURCE_AT + start, 0, RESOURCE_AT + end)


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_each_segment_of_an_arn(client: PolicyClient) -> None:
    # Partition: after `arn:`, the item adds its colon and asks for the next list.
    _, text, result = await completion_at(client, POLICY % "arn:|")
    assert labels(result) == ["aws", "aws-cn", "aws-us-gov"]
    aws = by_label(result, "aws")
    assert edit_range(result, aws) == segment(4, 4)
    assert aws.command is not None and aws.command.command == "editor.action.triggerSuggest"
    assert '"Resource": "arn:aws:"' in apply_item(text, result, aws)
    # Service: the statement's first (connect), then the rest of the Connect family.
    _, text, result = await completion_at(client, POLICY % "arn:aws:con|")
    assert labels(result)[:2] == ["connect", "connect-campaigns"]
    assert edit_range(result, by_label(result, "connect")) == segment(8, 11)
    assert '"arn:aws:connect:"' in apply_item(text, result, by_label(result, "connect"))
    # Region: where Amazon Connect has endpoints first.
    _, text, result = await completion_at(client, POLICY % "arn:aws:connect:|")
    available = list(region_table().available("connect", "aws"))
    assert labels(result)[:len(available)] == available
    assert labels(result)[-2:] == ["*", "${aws:RequestedRegion}"]
    assert edit_range(result, by_label(result, "us-east-1")) == segment(16, 16)
    assert by_label(result, "us-east-1").detail == "US East (N. Virginia)"
    # Account: a tab stop for the ID, `*`, the principal's account.
    _, text, result = await completion_at(client, POLICY % "arn:aws:connect:us-east-1:|")
    assert labels(result) == ["{Account}", "*", "${aws:PrincipalAccount}"]
    account = by_label(result, "{Account}")
    assert account.insert_text_format == lsp.InsertTextFormat.Snippet
    assert edit_range(result, account) == segment(26, 26)
    # Resource: the resource types of the statement's actions, to the end of the string.
    _, text, result = await completion_at(
        client, POLICY % "arn:aws:connect:us-east-1:111122223333:inst|ance/x")
    assert labels(result) == ["instance/*/agent/*", "instance/{InstanceId}/agent/{UserId}",
                              "instance/*/queue/*", "instance/{InstanceId}/queue/{QueueId}"]
    queue = by_label(result, "instance/{InstanceId}/queue/{QueueId}")
    assert edit_range(result, queue) == segment(39, 49)
    assert queue.insert_text_format == lsp.InsertTextFormat.Snippet
    assert ('"arn:aws:connect:us-east-1:111122223333:instance/${1:InstanceId}/queue/'
            '${2:QueueId}"') in apply_item(text, result, queue)


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_a_segment_in_the_middle_is_replaced_alone(client: PolicyClient) -> None:
    _, text, result = await completion_at(
        client, POLICY % "arn:aws:connect:eu-|west-2:*:instance/*")
    chosen = by_label(result, "eu-central-1")
    assert edit_range(result, chosen) == segment(16, 25)
    assert chosen.command is None  # the colon is there already
    assert '"arn:aws:connect:eu-central-1:*:instance/*"' in apply_item(text, result, chosen)


@pytest.mark.parametrize("client", [EMACS], ids=ids([EMACS]), indirect=True)
async def test_plain_resource_parts_for_clients_without_snippets(client: PolicyClient) -> None:
    _, text, result = await completion_at(client, POLICY % "arn:aws:connect:*:*:|")
    queue = by_label(result, "instance/*/queue/*")
    assert queue.insert_text_format in (None, lsp.InsertTextFormat.PlainText)
    assert '"arn:aws:connect:*:*:instance/*/queue/*"' in apply_item(text, result, queue)


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_whole_arns_before_the_first_colon(client: PolicyClient) -> None:
    _, _, result = await completion_at(client, POLICY % "|")
    assert "arn:aws:connect:*:*:instance/*/queue/*" in labels(result)
    assert edit_range(result, by_label(result, "*")) == segment(0, 0)


HOVER_POLICY = (
    '{"Version": "2008-10-17", "Statement": [{"Sid": "ReadQueues", "Effect": "Allow", '
    '"Action": ["connect:DescribeQueue", "connect:DescribeUser"], '
    '"Resource": "arn:aws:connect:us-east-1:111122223333:instance/a1/queue/q1", '
    '"Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}}]}')


async def hover_at(client: PolicyClient, needle: str, name: str) -> str:
    """The hover's Markdown on `needle`, whose range it must be."""
    uri = uri_for(name)
    at = HOVER_POLICY.index(needle) + 1
    text, position = position_of(HOVER_POLICY[:at] + "|" + HOVER_POLICY[at:])
    client.open(uri, text)
    result = await within(client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)), "hover")
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    start = HOVER_POLICY.index(needle)
    assert result.range == rng(0, start, 0, start + len(needle))
    return result.contents.value


@pytest.mark.parametrize("client", [VSCODE], ids=ids([VSCODE]), indirect=True)
async def test_hover_on_each_element_kind(client: PolicyClient) -> None:
    expected = {
        "Allow": "**Allow**: grants the statement's actions",
        "2008-10-17": "**2008-10-17**: the old policy language version.",
        "ReadQueues": "**Sid** (statement ID)",
        "ForAllValues:StringEquals": "**ForAllValues:StringEquals** (String)",
        "arn:aws:connect:us-east-1:111122223333:instance/a1/queue/q1":
            "`arn:aws:connect:us-east-1:111122223333:instance/a1/queue/q1`\n\n"
            "Resource types it matches:\n- **queue**",
    }
    for i, (needle, starts) in enumerate(expected.items()):
        markdown = await hover_at(client, needle, f"hover-{i}.json")
        assert markdown.startswith(starts), (needle, markdown[:120])
    operator = await hover_at(client, "ForAllValues:StringEquals", "operator.json")
    assert "⚠ This statement is an Allow" in operator
    value = await hover_at(
        client, "arn:aws:connect:us-east-1:111122223333:instance/a1/queue/q1", "arn.json")
    assert "The statement's actions that take it: `connect:DescribeQueue`" in value
    assert "Actions that take other resource types only: `connect:DescribeUser`" in value


@pytest.mark.parametrize("client", [VSCODE_KO], ids=ids([VSCODE_KO]), indirect=True)
async def test_hover_on_each_element_kind_in_korean(client: PolicyClient) -> None:
    expected = {
        "Allow": "**Allow**: 이 문의 작업을",
        "2008-10-17": "**2008-10-17**: 예전 정책 언어 버전입니다.",
        "ReadQueues": "**Sid** (문 ID)",
        "ForAllValues:StringEquals": "**ForAllValues:StringEquals** (String)\n\n키 값이",
        "arn:aws:connect:us-east-1:111122223333:instance/a1/queue/q1":
            "`arn:aws:connect:us-east-1:111122223333:instance/a1/queue/q1`\n\n"
            "일치하는 리소스 유형:\n- **queue**",
    }
    for i, (needle, starts) in enumerate(expected.items()):
        markdown = await hover_at(client, needle, f"hover-ko-{i}.json")
        assert markdown.startswith(starts), (needle, markdown[:120])

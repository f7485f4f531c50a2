"""Condition values through the real server: Bool values, Regions, accounts, service
principals, principal types, the `arn:` start, date and IP address placeholders, in a JSON
policy, a YAML template and Terraform; hover on values in English and Korean."""

from __future__ import annotations

import json

import pytest
from lsp_support import (
    NEOVIM,
    VSCODE,
    VSCODE_KO,
    PolicyClient,
    apply_item,
    completion_at,
    ids,
    position_of,
    uri_for,
    within,
)
from lsprotocol import types as lsp

CLIENTS = (VSCODE, NEOVIM)
POLICY = ('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n'
          '      "Action": "s3:GetObject",\n'
          '      "Resource": "arn:aws:kms:us-east-1:111122223333:key/k",\n'
          '      "Condition": {%s}\n    }\n  ]\n}\n')


def labels(result: lsp.CompletionList) -> list[str]:
    return [i.label for i in sorted(result.items, key=lambda i: i.sort_text or i.label)]


def by_label(result: lsp.CompletionList, label: str) -> lsp.CompletionItem:
    return next(i for i in result.items if i.label == label)


def condition(filled: str) -> object:
    return json.loads(filled)["Statement"][0]["Condition"]


def inserted(item: lsp.CompletionItem) -> str:
    edit = item.text_edit
    return edit.new_text if isinstance(edit, lsp.TextEdit) else item.text_edit_text or ""


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_bool_values(client: PolicyClient) -> None:
    _, text, result = await completion_at(client, POLICY % '"Bool": {"aws:SecureTransport": "|"}')
    assert labels(result) == ["true", "false"]
    filled = apply_item(text, result, by_label(result, "false"))
    assert condition(filled) == {"Bool": {"aws:SecureTransport": "false"}}
    # Before the quotes: the item brings them.
    _, text, result = await completion_at(
        client, POLICY % '"Bool": {"aws:MultiFactorAuthPresent": |}')
    filled = apply_item(text, result, by_label(result, "true"))
    assert condition(filled) == {"Bool": {"aws:MultiFactorAuthPresent": "true"}}


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_requested_regions_with_their_names(client: PolicyClient) -> None:
    _, text, result = await completion_at(
        client, POLICY % '"StringEquals": {"aws:RequestedRegion": ["ap-nor|"]}')
    assert labels(result) == ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3"]
    seoul = by_label(result, "ap-northeast-2")
    assert seoul.detail == "Asia Pacific (Seoul)"
    filled = apply_item(text, result, seoul)
    assert condition(filled) == {"StringEquals": {"aws:RequestedRegion": ["ap-northeast-2"]}}


@pytest.mark.parametrize("client", [VSCODE], ids=ids([VSCODE]), indirect=True)
async def test_account_values(client: PolicyClient) -> None:
    _, text, result = await completion_at(
        client, POLICY % '"StringEquals": {"aws:SourceAccount": "|"}')
    assert labels(result) == ["111122223333", "{Account}", "${aws:PrincipalAccount}",
                              "${aws:ResourceAccount}"]
    placeholder = by_label(result, "{Account}")
    assert inserted(placeholder) == "${1:Account}"
    assert placeholder.insert_text_format == lsp.InsertTextFormat.Snippet
    filled = apply_item(text, result, by_label(result, "111122223333"))
    assert condition(filled) == {"StringEquals": {"aws:SourceAccount": "111122223333"}}


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_service_principal_values(client: PolicyClient) -> None:
    _, text, result = await completion_at(
        client, POLICY % '"StringEquals": {"iam:PassedToService": "conn|"}')
    assert labels(result)[0] == "connect.amazonaws.com"
    item = by_label(result, "connect.amazonaws.com")
    assert item.detail == "Amazon Connect"
    filled = apply_item(text, result, item)
    assert condition(filled) == {"StringEquals": {"iam:PassedToService": "connect.amazonaws.com"}}


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_principal_type_values(client: PolicyClient) -> None:
    _, text, result = await completion_at(
        client, POLICY % '"StringEquals": {"aws:PrincipalType": "|"}')
    assert labels(result) == ["Account", "User", "FederatedUser", "AssumedRole", "Anonymous"]
    filled = apply_item(text, result, by_label(result, "AssumedRole"))
    assert condition(filled) == {"StringEquals": {"aws:PrincipalType": "AssumedRole"}}


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_arn_key_starts_an_arn_and_asks_again(client: PolicyClient) -> None:
    _, text, result = await completion_at(client, POLICY % '"ArnLike": {"aws:SourceArn": "|"}')
    assert labels(result) == ["arn:aws:", "arn:aws-cn:", "arn:aws-us-gov:"]
    start = by_label(result, "arn:aws:")
    assert start.command is not None and start.command.command == \
        "editor.action.triggerSuggest"
    filled = apply_item(text, result, start)
    assert condition(filled) == {"ArnLike": {"aws:SourceArn": "arn:aws:"}}


@pytest.mark.parametrize("client", [VSCODE], ids=ids([VSCODE]), indirect=True)
async def test_date_and_ip_placeholders(client: PolicyClient) -> None:
    _, _, result = await completion_at(
        client, POLICY % '"DateLessThan": {"aws:CurrentTime": "|"}')
    assert [inserted(i) for i in result.items] == ["${1:2026-01-01}T${2:00:00:00}Z"]
    _, _, result = await completion_at(client, POLICY % '"IpAddress": {"aws:SourceIp": "|"}')
    assert [inserted(i) for i in result.items] == ["${1:203.0.113.0}/${2:24}"]


async def hover_markdown(client: PolicyClient, source: str, name: str = "hover.json",
                         language: str = "json") -> tuple[str, str]:
    uri = uri_for(name)
    text, position = position_of(source)
    client.open(uri, text, language_id=language)
    result = await within(client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)), "hover")
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    assert result.range is not None
    line = text.splitlines()[result.range.start.line]
    return result.contents.value, line[result.range.start.character:result.range.end.character]


@pytest.mark.parametrize("client", [VSCODE, VSCODE_KO], ids=ids([VSCODE, VSCODE_KO]),
                         indirect=True)
async def test_hover_on_values(client: PolicyClient) -> None:
    korean = client.profile is not None and client.profile.locale == "ko-KR"
    markdown, covered = await hover_markdown(
        client, POLICY % '"StringEquals": {"aws:RequestedRegion": "eu-we|st-2"}')
    assert covered == "eu-west-2"
    assert markdown == ("**eu-west-2**: Europe (London) (AWS Standard). " + (
        "Amazon Connect가 이 리전에 엔드포인트가 있습니다." if korean else
        "Amazon Connect has endpoints here."))
    markdown, covered = await hover_markdown(
        client, POLICY % '"Bool": {"aws:SecureTransport": "tr|ue"}')
    assert covered == "true"
    assert markdown == ("`aws:SecureTransport` 값이 `true`: 요청이 TLS(HTTPS)로 전송됨."
                        if korean else
                        "`aws:SecureTransport` is `true`: the request was sent over TLS (HTTPS).")


YAML = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  RecordingsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: recordings
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource: arn:aws:s3:::recordings/*
            Condition:
              Bool:
                aws:SecureTransport: %s
"""

TERRAFORM = '''data "aws_iam_policy_document" "agents" {
  statement {
    actions   = ["connect:DescribeUser"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = ["%s"]
    }
  }
}
'''


async def host_completion(client: PolicyClient, source: str, name: str, language: str
                          ) -> tuple[str, lsp.CompletionList]:
    uri = uri_for(name)
    text, position = position_of(source)
    client.open(uri, text, language_id=language)
    result = await within(client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)), "completion")
    assert isinstance(result, lsp.CompletionList)
    return text, result


@pytest.mark.parametrize("client", [VSCODE], ids=ids([VSCODE]), indirect=True)
async def test_bool_values_in_a_yaml_template_are_quoted(client: PolicyClient) -> None:
    # A plain `false` would be a YAML boolean, not the string IAM compares.
    text, result = await host_completion(client, YAML % "f|", "template.yaml", "yaml")
    assert labels(result) == ["false"]
    filled = apply_item(text, result, by_label(result, "false"))
    assert filled.endswith('                aws:SecureTransport: "false"\n')


@pytest.mark.parametrize("client", [VSCODE], ids=ids([VSCODE]), indirect=True)
async def test_regions_in_terraform_values(client: PolicyClient) -> None:
    text, result = await host_completion(client, TERRAFORM % "eu-|", "main.tf", "terraform")
    assert "eu-west-2" in labels(result)
    filled = apply_item(text, result, by_label(result, "eu-west-2"))
    assert '      values   = ["eu-west-2"]\n' in filled

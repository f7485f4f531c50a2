"""Principals through the real server: completion of principal types, service principals by
prefix, AWS and federated ARNs, `Principal` as a statement key, and hover on each kind of
principal, in English and Korean."""

from __future__ import annotations

import json

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
    uri_for,
    within,
)
from lsprotocol import types as lsp

CLIENTS = (VSCODE, NEOVIM)
TRUST = ('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n'
         '      "Principal": %s,\n      "Action": "sts:AssumeRole"\n    }\n  ]\n}\n')
BUCKET = ('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Sid": "Recordings",\n'
          '      "Effect": "Allow",\n      "Principal": {"Service": "connect.amazonaws.com"},\n'
          '      "Action": ["s3:PutObject"],\n'
          '      "Resource": "arn:aws:s3:::amzn-connect-recordings/*"\n    },\n'
          '    {\n      "Effect": "Deny",\n      |\n    }\n  ]\n}\n')


def labels(result: lsp.CompletionList) -> list[str]:
    return [i.label for i in sorted(result.items, key=lambda i: i.sort_text or i.label)]


def by_label(result: lsp.CompletionList, label: str) -> lsp.CompletionItem:
    return next(i for i in result.items if i.label == label)


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_service_principals_by_prefix(client: PolicyClient) -> None:
    _, text, result = await completion_at(client, TRUST % '{"Service": "conn|"}')
    assert labels(result) == ["connect.amazonaws.com", "connect-campaigns.amazonaws.com",
                              "eks-connector.amazonaws.com"]
    first = by_label(result, "connect.amazonaws.com")
    assert first.kind == lsp.CompletionItemKind.EnumMember
    assert first.detail == "Amazon Connect"
    filled = apply_item(text, result, first)
    assert json.loads(filled)["Statement"][0]["Principal"] == {"Service": "connect.amazonaws.com"}


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_service_principals_unterminated_string_gets_its_quote(
        client: PolicyClient) -> None:
    # Typing at the end of a line, the string not closed yet.
    _, text, result = await completion_at(
        client, TRUST % '{\n        "Service": "lamb|\n      }')
    assert labels(result)[0] == "lambda.amazonaws.com"
    filled = apply_item(text, result, by_label(result, "lambda.amazonaws.com"))
    assert json.loads(filled)["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_principal_types_with_their_documentation(client: PolicyClient) -> None:
    _, text, result = await completion_at(client, TRUST % '{"|"}')
    assert labels(result) == ["AWS", "Service", "Federated", "CanonicalUser"]
    service = by_label(result, "Service")
    assert service.kind == lsp.CompletionItemKind.Field
    assert service.insert_text_format == lsp.InsertTextFormat.Snippet
    assert service.command is not None
    assert isinstance(service.documentation, lsp.MarkupContent)
    assert service.documentation.value.startswith("AWS services acting on your behalf")
    filled = apply_item(text, result, service).replace("$1", "")
    assert json.loads(filled)["Statement"][0]["Principal"] == {"Service": ""}


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_aws_principal_arns_as_snippets(client: PolicyClient) -> None:
    _, text, result = await completion_at(client, TRUST % '{"AWS": "arn:aws:iam::|"}')
    assert labels(result)[:3] == ["arn:aws:iam::{Account}:root",
                                  "arn:aws:iam::{Account}:role/{RoleName}",
                                  "arn:aws:iam::{Account}:user/{UserName}"]
    role = by_label(result, "arn:aws:iam::{Account}:role/{RoleName}")
    assert role.kind == lsp.CompletionItemKind.Reference
    assert role.insert_text_format == lsp.InsertTextFormat.Snippet
    assert json.loads(apply_item(text, result, role))["Statement"][0]["Principal"] == {
        "AWS": "arn:aws:iam::${1:Account}:role/${2:RoleName}"}


@pytest.mark.parametrize("client", [EMACS], ids=ids([EMACS]), indirect=True)
async def test_aws_principal_arns_in_plain_text_without_snippets(client: PolicyClient) -> None:
    _, text, result = await completion_at(client, TRUST % '{"AWS": "|"}')
    root = by_label(result, "arn:aws:iam::{Account}:root")
    assert root.insert_text_format in (None, lsp.InsertTextFormat.PlainText)
    assert json.loads(apply_item(text, result, root))["Statement"][0]["Principal"] == {
        "AWS": "arn:aws:iam::Account:root"}


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_federated_and_anyone(client: PolicyClient) -> None:
    _, _, federated = await completion_at(client, TRUST % '{"Federated": "|"}')
    assert labels(federated) == [
        "cognito-identity.amazonaws.com", "www.amazon.com", "accounts.google.com",
        "graph.facebook.com", "arn:aws:iam::{Account}:saml-provider/{ProviderName}",
        "arn:aws:iam::{Account}:oidc-provider/{ProviderUrl}"]
    _, text, whole = await completion_at(client, TRUST % '|')
    assert labels(whole)[0] == "*"
    assert json.loads(apply_item(text, whole, by_label(whole, "*")))["Statement"][0][
        "Principal"] == "*"


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_principal_is_a_statement_key_in_a_resource_policy(client: PolicyClient) -> None:
    _, text, result = await completion_at(client, BUCKET, "bucket-policy.json")
    names = labels(result)
    assert names[:3] == ["Principal", "Action", "Resource"] and names[-1] == "NotPrincipal"
    principal = by_label(result, "Principal")
    assert principal.detail == "policy element"
    filled = apply_item(text, result, principal)
    assert '"Principal": {"${1|AWS,Service,Federated,CanonicalUser|}": "$2"}' in filled


async def hover_markdown(client: PolicyClient, source: str, name: str,
                         language: str = "json") -> tuple[str, str]:
    """The hover's Markdown and the text of its range."""
    uri = uri_for(name)
    text, position = position_of(source)
    client.open(uri, text, language_id=language)
    result = await within(client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)), "hover")
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    assert result.range is not None
    line = text.splitlines()[result.range.start.line]
    return result.contents.value, line[result.range.start.character:result.range.end.character]


HOVERS = {
    # (principal value, hover file): (English start, Korean start, range text)
    '{"Ser|vice": "connect.amazonaws.com"}': (
        "**Service** — principal type", "**Service** — 보안 주체 유형", '"Service"'),
    '{"Service": "connect-camp|aigns.amazonaws.com"}': (
        "**connect-campaigns.amazonaws.com**: the service principal of Amazon Connect "
        "Outbound Campaigns.",
        "**connect-campaigns.amazonaws.com**: Amazon Connect Outbound Campaigns의 서비스 "
        "보안 주체입니다.", "connect-campaigns.amazonaws.com"),
    '{"AWS": "arn:aws:iam::111122223333:ro|ot"}': (
        "**AWS account** `111122223333`: the account, not its root user.",
        "**AWS 계정** `111122223333`: 이 계정 전체입니다.", "arn:aws:iam::111122223333:root"),
    '{"AWS": "arn:aws:iam::111122223333:role/Conn|ectOps"}': (
        "**IAM role** `ConnectOps` in account `111122223333`",
        "**IAM 역할** `ConnectOps`(계정 `111122223333`)",
        "arn:aws:iam::111122223333:role/ConnectOps"),
    '"|*"': ("**Anyone**", "**누구나**", "*"),
    '{"Federated": "graph.face|book.com"}': (
        "**graph.facebook.com**: Facebook users", "**graph.facebook.com**: Facebook 사용자",
        "graph.facebook.com"),
    '{"CanonicalUser": "79a59df900b949e55d96a1e698fbaced|fd6e09d98eacf8f8d5218e7cd47ef2be"}': (
        "**79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be**\n\nAn Amazon S3 "
        "canonical user ID", "**79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
        "**\n\nAmazon S3 정식 사용자 ID",
        "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"),
}


@pytest.mark.parametrize("client", [VSCODE, VSCODE_KO], ids=ids([VSCODE, VSCODE_KO]),
                         indirect=True)
async def test_hover_on_each_kind_of_principal(client: PolicyClient) -> None:
    korean = client.profile.locale == "ko-KR"
    for i, (principal, (english, in_korean, span_text)) in enumerate(HOVERS.items()):
        markdown, covered = await hover_markdown(client, TRUST % principal, f"hover-{i}.json")
        assert markdown.startswith(in_korean if korean else english), (principal, markdown)
        assert covered == span_text, principal


YAML_TRUST = ("Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n"
              "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n"
              "        Statement:\n          - Effect: Allow\n            Principal:\n"
              "              Service: %s\n            Action: sts:AssumeRole\n")


@pytest.mark.parametrize("client", [VSCODE], ids=ids([VSCODE]), indirect=True)
async def test_service_principals_in_a_yaml_trust_policy(client: PolicyClient) -> None:
    markdown, covered = await hover_markdown(client, YAML_TRUST % "connect.amaz|onaws.com",
                                             "template.yaml", "yaml")
    assert markdown.startswith("**connect.amazonaws.com**: the service principal of Amazon "
                               "Connect.")
    assert covered == "connect.amazonaws.com"
    uri = uri_for("typing.yaml")
    text, position = position_of(YAML_TRUST % "wis|")
    client.open(uri, text, language_id="yaml")
    result = await within(client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)), "completion")
    assert isinstance(result, lsp.CompletionList)
    assert labels(result)[0] == "wisdom.amazonaws.com"
    filled = apply_item(text, result, by_label(result, "wisdom.amazonaws.com"))
    assert "              Service: wisdom.amazonaws.com\n" in filled

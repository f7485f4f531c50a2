"""Outline, folding, inlay hints and links through the real server."""

from __future__ import annotations

import pytest
from lsp_support import NEOVIM, VSCODE, VSCODE_KO, PolicyClient, Profile, ids, uri_for, within
from lsprotocol import types as lsp

POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadCampaigns",
      "Effect": "Allow",
      "Action": ["connect-campaigns:DescribeCampaign", "connect-campaigns:Delete*"],
      "Resource": "*",
      "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-2"}}
    }
  ]
}
"""
WHOLE = lsp.Range(start=lsp.Position(line=0, character=0),
                  end=lsp.Position(line=12, character=0))
NO_HINTS = Profile("vscode-no-hints", "visual-studio-code@1.65.2",
                   options='{"connectPolicy": {"inlayHints": false}}')


async def hints(client: PolicyClient, uri: str) -> list[lsp.InlayHint]:
    result = await within(client.text_document_inlay_hint_async(lsp.InlayHintParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=WHOLE)), "inlay hints")
    return list(result or [])


@pytest.mark.parametrize("client", [VSCODE, NEOVIM], ids=ids([VSCODE, NEOVIM]), indirect=True)
async def test_outline_folding_hints_and_links(client: PolicyClient) -> None:
    uri = uri_for("insight.json")
    client.open(uri, POLICY)
    document = lsp.TextDocumentIdentifier(uri=uri)
    symbols = await within(client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=document)), "symbols")
    assert symbols is not None
    (policy,) = symbols
    assert isinstance(policy, lsp.DocumentSymbol)
    assert policy.name == "Policy" and policy.detail == "identity policy · 2012-10-17"
    assert policy.children is not None
    (statement,) = policy.children
    assert statement.name == "ReadCampaigns" and statement.detail == "Allow"
    assert [c.name for c in statement.children or []] == [
        "Sid", "Effect", "Action", "Resource", "Condition"]
    folds = await within(client.text_document_folding_range_async(
        lsp.FoldingRangeParams(text_document=document)), "folding")
    assert {(f.start_line, f.end_line) for f in folds or []} >= {(0, 11), (2, 10), (3, 9)}
    found = await hints(client, uri)
    labels = [h.label for h in found]
    assert labels == ["Read", "8 actions"]
    line = POLICY.splitlines()[6]
    assert found[0].position.line == 6
    links = await within(client.text_document_document_link_async(
        lsp.DocumentLinkParams(text_document=document)), "links")
    targets = sorted({link.target or "" for link in links or []})
    assert targets == [
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
        "https://docs.aws.amazon.com/service-authorization/latest/reference/"
        "list_amazonconnectoutboundcampaigns.html"]
    assert '"connect-campaigns:DescribeCampaign"' in line


@pytest.mark.parametrize("client", [VSCODE_KO], ids=ids([VSCODE_KO]), indirect=True)
async def test_hints_in_korean(client: PolicyClient) -> None:
    uri = uri_for("insight-ko.json")
    client.open(uri, POLICY)
    assert [h.label for h in await hints(client, uri)] == ["읽기", "8개 작업"]


@pytest.mark.parametrize("client", [NO_HINTS], ids=ids([NO_HINTS]), indirect=True)
async def test_hints_can_be_switched_off(client: PolicyClient) -> None:
    uri = uri_for("insight-off.json")
    client.open(uri, POLICY)
    assert await hints(client, uri) == []

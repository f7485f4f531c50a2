"""Completion and hover through the real server, as VS Code and Neovim ask for them."""

from __future__ import annotations

import pytest
from lsp_support import (
    NEOVIM,
    VSCODE,
    VSCODE_KO,
    PolicyClient,
    edit,
    ids,
    rng,
    uri_for,
    within,
)
from lsprotocol import types as lsp

CLIENTS = (VSCODE, NEOVIM)

POLICY = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ManageCampaigns",
      "Effect": "Allow",
      "Action": [
        "connect-campaigns:ListCampaigns",
        "connect-campaigns:Delete*"
      ],
      "Resource": "*",
      "Condition": {
        "StringEquals": {
          "aws:ResourceTag/owner": "team-a"
        }
      }
    }
  ]
}
"""


async def complete(client: PolicyClient, uri: str, line: int, character: int
                   ) -> lsp.CompletionList:
    result = await within(client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=lsp.Position(line=line, character=character))), "completion")
    assert isinstance(result, lsp.CompletionList)
    return result


async def hover_at(client: PolicyClient, uri: str, line: int, character: int) -> lsp.Hover:
    result = await within(client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=lsp.Position(line=line, character=character))), "hover")
    assert result is not None
    assert isinstance(result.contents, lsp.MarkupContent)
    return result


def effective_edit(result: lsp.CompletionList, item: lsp.CompletionItem
                   ) -> tuple[lsp.Range, str]:
    """The range and text the client applies: the item's own textEdit, or, for clients that
    take `itemDefaults` (Neovim 0.11), the list's default range with `textEditText`."""
    if item.text_edit is not None:
        assert isinstance(item.text_edit, lsp.TextEdit)
        return item.text_edit.range, item.text_edit.new_text
    assert result.item_defaults is not None
    assert isinstance(result.item_defaults.edit_range, lsp.Range)
    assert item.text_edit_text is not None
    return result.item_defaults.edit_range, item.text_edit_text


async def resolve(client: PolicyClient, item: lsp.CompletionItem) -> lsp.CompletionItem:
    return await within(client.completion_item_resolve_async(item), "completionItem/resolve")


def by_label(result: lsp.CompletionList) -> dict[str, lsp.CompletionItem]:
    return {item.label: item for item in result.items}


def ranked(result: lsp.CompletionList) -> list[str]:
    return [i.label for i in sorted(result.items, key=lambda i: i.sort_text or i.label)]


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_typing_an_action_in_an_unterminated_array(client: PolicyClient) -> None:
    uri = uri_for("typing.json")
    text = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": ["'
    client.open(uri, text)
    # Just after the opening quote: service prefixes, the Connect family first.
    line, character = 2, len(text.splitlines()[2])
    result = await complete(client, uri, line, character)
    assert ranked(result)[:4] == ["connect", "app-integrations", "wisdom", "connect-campaigns"]
    wisdom = by_label(result)["wisdom"]
    assert wisdom.detail == "Amazon Q in Connect"
    # Then type `wisdom:GetAss` (still no closing quote, bracket or brace).
    client.change(uri, 2, edit(rng(line, character, line, character), "wisdom:GetAss"))
    result = await complete(client, uri, line, character + len("wisdom:GetAss"))
    item = by_label(result)["wisdom:GetAssistant"]
    assert item.detail == "Read"
    # The client filters on the label, which is the whole `service:Action`.
    assert item.filter_text in (None, "wisdom:GetAssistant")
    # The edit replaces the whole content, so a client splitting words at `:` still works,
    # and closes the string that has no closing quote yet.
    assert effective_edit(result, item) == (rng(line, character, line, character + 13),
                                            'wisdom:GetAssistant"')
    # Documentation comes on resolve, to keep hundreds of items light.
    assert item.documentation is None
    resolved = await resolve(client, item)
    assert isinstance(resolved.documentation, lsp.MarkupContent)
    assert "Grants permission" in resolved.documentation.value


@pytest.mark.parametrize("client", [VSCODE], ids=ids([VSCODE]), indirect=True)
async def test_wildcard_groups_and_retrigger_after_a_service(client: PolicyClient) -> None:
    uri = uri_for("wildcards.json")
    client.open(uri, POLICY)
    # Inside "connect-campaigns:Delete*" on line 8, right after the colon.
    result = await complete(client, uri, 8, 27)
    groups = {i.label: i for i in result.items if i.kind == lsp.CompletionItemKind.Constant}
    delete = groups["connect-campaigns:Delete*"]
    assert delete.detail == "8 actions"
    assert delete.text_edit is not None  # VS Code 1.65 takes no itemDefaults
    assert effective_edit(result, delete) == (rng(8, 9, 8, 34), "connect-campaigns:Delete*")
    resolved = await resolve(client, delete)
    assert isinstance(resolved.documentation, lsp.MarkupContent)
    assert "`DeleteCampaign`" in resolved.documentation.value
    # A service item asks the client to suggest again, for the actions.
    prefixes = await complete(client, uri, 8, 9)
    service = by_label(prefixes)["connect-campaigns"]
    assert service.command is not None and service.command.command == \
        "editor.action.triggerSuggest"


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_condition_keys_with_snippet_placeholder(client: PolicyClient) -> None:
    uri = uri_for("keys.json")
    client.open(uri, POLICY)
    # In the key "aws:ResourceTag/owner" on line 13, after `aws:Res`.
    result = await complete(client, uri, 13, 17)
    items = by_label(result)
    # The statement's actions' keys rank before the global keys.
    tag = items["aws:ResourceTag/${TagKey}"]
    assert "aws:SourceIp" not in items  # filtered by what is typed: `aws:Res`
    global_key = items["aws:ResourceAccount"]
    assert tag.sort_text is not None and global_key.sort_text is not None
    assert tag.sort_text < global_key.sort_text
    assert tag.insert_text_format == lsp.InsertTextFormat.Snippet
    assert effective_edit(result, tag) == (rng(13, 11, 13, 32), "aws:ResourceTag/${1:TagKey}")
    assert tag.detail == "String"
    assert isinstance(tag.documentation, lsp.MarkupContent)


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_hover_on_action_wildcard_key_and_element(client: PolicyClient) -> None:
    uri = uri_for("hover.json")
    client.open(uri, POLICY)
    action = await hover_at(client, uri, 7, 20)
    assert isinstance(action.contents, lsp.MarkupContent)
    assert action.contents.kind == lsp.MarkupKind.Markdown
    assert action.contents.value.startswith(
        "**connect-campaigns:ListCampaigns** — Amazon Connect Outbound Campaigns")
    assert "Cannot be restricted by tags" in action.contents.value
    assert action.range == rng(7, 9, 7, 40)
    wildcard = await hover_at(client, uri, 8, 30)
    assert isinstance(wildcard.contents, lsp.MarkupContent)
    assert "Grants 8 actions" in wildcard.contents.value
    key = await hover_at(client, uri, 13, 14)
    assert isinstance(key.contents, lsp.MarkupContent)
    assert "Applies to this statement's: `connect-campaigns:Delete" in key.contents.value
    element = await hover_at(client, uri, 11, 9)
    assert isinstance(element.contents, lsp.MarkupContent)
    assert element.contents.value.startswith("**Condition**")


@pytest.mark.parametrize("client", [VSCODE_KO], ids=ids([VSCODE_KO]), indirect=True)
async def test_korean_client_gets_korean_notes(client: PolicyClient) -> None:
    uri = uri_for("ko.json")
    client.open(uri, POLICY)
    action = await hover_at(client, uri, 7, 20)
    assert isinstance(action.contents, lsp.MarkupContent)
    assert "액세스 수준: **List**" in action.contents.value
    assert "태그로 제한할 수 없습니다" in action.contents.value
    element = await hover_at(client, uri, 1, 5)
    assert isinstance(element.contents, lsp.MarkupContent)
    assert element.contents.value.startswith("**Version**\n\n정책 언어 버전")


@pytest.mark.parametrize("client", [VSCODE], ids=ids([VSCODE]), indirect=True)
async def test_hover_tells_the_truth_about_the_source_materials_slip(
        client: PolicyClient) -> None:
    uri = uri_for("slip.json")
    client.open(uri, POLICY.replace("connect-campaigns:ListCampaigns",
                                    "connect-campaigns:UpdateDialerConfig"))
    result = await hover_at(client, uri, 7, 25)
    assert isinstance(result.contents, lsp.MarkupContent)
    assert "is not an action of Amazon Connect Outbound Campaigns" in result.contents.value
    assert "`connect-campaigns:UpdateCampaignDialerConfig`" in result.contents.value


@pytest.mark.parametrize("client", [VSCODE], ids=ids([VSCODE]), indirect=True)
async def test_nothing_for_other_json(client: PolicyClient) -> None:
    uri = uri_for("package.json")
    client.open(uri, '{"name": "x", "Action": ["connect:"], "scripts": {}}')
    result = await within(client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=lsp.Position(line=0, character=34))), "completion")
    assert result is None
    hovered = await within(client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=lsp.Position(line=0, character=30))), "hover")
    assert hovered is None

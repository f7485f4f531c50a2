"""The server filters and ranks completions by what is typed, through the real server, for a
client that takes `itemDefaults.editRange` and leaves filtering to the server (Neovim 0.11)
and one that gets a text edit per item (VS Code 1.65)."""

from __future__ import annotations

import json

import pytest
from lsp_support import NEOVIM, VSCODE, PolicyClient, apply_item, completion_at, ids, within
from lsprotocol import types as lsp

CLIENTS = (VSCODE, NEOVIM)
POLICY = ('{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Allow",\n'
          '    "Action": [%s],\n    "Resource": "*"\n  }]\n}\n')


def client_order(result: lsp.CompletionList) -> list[lsp.CompletionItem]:
    """As Neovim sorts the items it keeps: by sort text, else by label."""
    return sorted(result.items, key=lambda i: i.sort_text or i.label)


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_the_first_item_is_what_was_typed(client: PolicyClient) -> None:
    _, text, result = await completion_at(client, POLICY % '"connect:DescribeU|"')
    first = client_order(result)[0]
    assert first.label == "connect:DescribeUser"
    assert json.loads(apply_item(text, result, first))["Statement"][0]["Action"] == [
        "connect:DescribeUser"]
    assert all(i.label.startswith("connect:DescribeU") for i in result.items)
    assert result.is_incomplete  # the client asks again as the user types
    if client.profile is NEOVIM:
        assert result.item_defaults is not None and result.items[0].text_edit is None


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_a_short_prefix_no_longer_gives_the_services_first_action(
        client: PolicyClient) -> None:
    _, _, result = await completion_at(client, POLICY % '"connect:Desc|"')
    labels = [i.label for i in client_order(result)]
    assert "connect:ActivateEvaluationForm" not in labels
    assert labels[0].startswith("connect:Describe")
    # Every action that starts so, then those whose words start so (`De…S…C…`).
    prefixed = [label for label in labels if label.startswith("connect:Desc")]
    assert len(prefixed) > 30 and labels[:len(prefixed)] == prefixed


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_word_starts_rank_after_prefixes(client: PolicyClient) -> None:
    _, _, result = await completion_at(client, POLICY % '"connect:Tag|"')
    assert [i.label for i in client_order(result)] == [
        "connect:TagContact", "connect:TagResource", "connect:Tag*",
        "connect:ListTagsForResource", "connect:SearchResourceTags"]
    _, _, result = await completion_at(client, POLICY % '"connect:DescU|"')
    assert client_order(result)[0].label == "connect:DescribeUser"


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_long_lists_are_cut_and_incomplete(client: PolicyClient) -> None:
    _, _, result = await completion_at(client, POLICY % '"connect:|"')
    assert 50 <= len(result.items) < 200 and result.is_incomplete
    _, _, result = await completion_at(client, '{"Statement": [{"Effect": "|"}]}')
    assert [i.label for i in client_order(result)] == ["Allow", "Deny"]
    assert not result.is_incomplete


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_an_unclosed_string_is_closed(client: PolicyClient) -> None:
    # The last element of the array, the closing quote still to type.
    _, text, result = await completion_at(
        client, '{\n  "Statement": [{\n    "Action": ["connect:DescribeU|\n')
    first = client_order(result)[0]
    assert apply_item(text, result, first).endswith('"Action": ["connect:DescribeUser"\n')
    # Another element follows on the next line: the quote and a comma.
    _, text, result = await completion_at(
        client, POLICY % '\n      "connect:DescribeU|\n      "connect:ListUsers"\n    ')
    first = client_order(result)[0]
    policy = json.loads(apply_item(text, result, first))
    assert policy["Statement"][0]["Action"] == ["connect:DescribeUser", "connect:ListUsers"]


@pytest.mark.parametrize("client", [NEOVIM], ids=ids([NEOVIM]), indirect=True)
async def test_resolve_documents_a_filtered_action(client: PolicyClient) -> None:
    _, _, result = await completion_at(client, POLICY % '"connect:DescribeUse|"')
    item = client_order(result)[0]
    assert item.documentation is None
    resolved = await within(client.completion_item_resolve_async(item), "resolve")
    assert isinstance(resolved.documentation, lsp.MarkupContent)
    assert "**connect:DescribeUser**" in resolved.documentation.value

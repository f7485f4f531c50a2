"""Completion beyond actions and keys, selection ranges and settings pulled from the client,
through the real server."""

from __future__ import annotations

import json

import pytest
from lsp_support import (
    EMACS,
    NEOVIM,
    VSCODE,
    PolicyClient,
    apply_item,
    completion_at,
    ids,
    position_of,
    uri_for,
    within,
)
from lsprotocol import types as lsp

from connect_policy.analysis import Settings, analyze
from connect_policy.document.text import LineIndex
from connect_policy.findings import Severity

CLIENTS = (VSCODE, NEOVIM)


def by_label(result: lsp.CompletionList, label: str) -> lsp.CompletionItem:
    return next(i for i in result.items if i.label == label)


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_statement_element_snippets(client: PolicyClient) -> None:
    _, _, result = await completion_at(
        client, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "|"}]}')
    action = by_label(result, "Action")
    assert action.kind == lsp.CompletionItemKind.Field
    assert action.insert_text_format == lsp.InsertTextFormat.Snippet
    assert action.command is not None and action.command.command == "editor.action.triggerSuggest"
    assert "Effect" not in {i.label for i in result.items}


@pytest.mark.parametrize("client", [EMACS], ids=ids([EMACS]), indirect=True)
async def test_plain_text_for_clients_without_snippets(client: PolicyClient) -> None:
    _, text, result = await completion_at(
        client, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "|"}]}')
    action = by_label(result, "Action")
    assert action.insert_text_format in (None, lsp.InsertTextFormat.PlainText)
    assert apply_item(text, result, action).endswith('"Action": [""]}]}')


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_a_job_statement_is_inserted_as_is_and_passes_our_checks(
        client: PolicyClient) -> None:
    source = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    |\n  ]\n}\n'
    _, text, result = await completion_at(client, source)
    item = by_label(result, "Amazon Q in Connect: create and use assistants")
    assert item.kind == lsp.CompletionItemKind.Snippet
    assert item.insert_text_mode == lsp.InsertTextMode.AsIs
    assert isinstance(item.documentation, lsp.MarkupContent)
    assert "```json" in item.documentation.value
    filled = apply_item(text, result, item)
    # Tab stops here have no placeholders to strip: the snippet text is valid as it is.
    statements = json.loads(filled)["Statement"]
    assert [s["Sid"] for s in statements] == ["UseTaggedQInConnectResources",
                                              "ListQInConnectResources"]
    findings = analyze(filled, Settings()).findings
    assert [f.code for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)] == []


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_operators_arns_and_variables(client: PolicyClient) -> None:
    _, _, operators = await completion_at(
        client, '{"Version": "2012-10-17", "Statement": [{"Condition": {"|": '
                '{"aws:SourceIp": "203.0.113.0/24"}}}]}', "operators.json")
    labels = {i.label for i in operators.items}
    assert "IpAddress" in labels and "StringEquals" not in labels
    assert by_label(operators, "IpAddress").kind == lsp.CompletionItemKind.Operator
    _, _, arns = await completion_at(
        client, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": '
                '"connect-campaigns:DescribeCampaign", "Resource": "|"}]}', "arns.json")
    assert "arn:aws:connect-campaigns:*:*:campaign/*" in {i.label for i in arns.items}
    _, text, variables = await completion_at(
        client, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": '
                '"iam:GetUser", "Resource": "arn:aws:iam::*:user/${|"}]}', "variables.json")
    username = by_label(variables, "${aws:username}")
    assert username.kind == lsp.CompletionItemKind.Variable
    inserted = apply_item(text, variables, username)
    assert '"arn:aws:iam::*:user/\\${aws:username\\}"' in inserted  # snippet escapes


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_selection_ranges_follow_the_json(client: PolicyClient) -> None:
    uri = uri_for("select.json")
    text, position = position_of('{"Version": "2012-10-17", "Statement": [{"Action": '
                                 '["connect:List|Users"]}]}')
    client.open(uri, text)
    result = await within(client.text_document_selection_range_async(
        lsp.SelectionRangeParams(text_document=lsp.TextDocumentIdentifier(uri=uri),
                                 positions=[position])), "selection ranges")
    assert result is not None and len(result) == 1
    lines = LineIndex(text)
    chain: list[str] = []
    selection: lsp.SelectionRange | None = result[0]
    while selection is not None:
        start = lines.offset(selection.range.start.line, selection.range.start.character,
                             "utf-16")
        end = lines.offset(selection.range.end.line, selection.range.end.character, "utf-16")
        chain.append(text[start:end])
        selection = selection.parent
    assert chain[:4] == ["connect:ListUsers", '"connect:ListUsers"', '["connect:ListUsers"]',
                         '"Action": ["connect:ListUsers"]']
    assert chain[-1] == text


async def test_settings_pulled_from_the_client_apply_without_restart(
        client: PolicyClient) -> None:
    uri = uri_for("pulled.json")
    mark = client.open(uri, '{"Statement": [{"Effect": "allow", "Action": "connect:ListUsers", '
                            '"Resource": "*"}]}')
    before = await client.diagnostics_of(uri, 1, mark)
    assert {d.code for d in before} == {"MISSING_VERSION", "INVALID_EFFECT"}
    # pytest-lsp answers `workspace/configuration` from what is set here.
    client.set_configuration({"locale": "ko", "rules": {"ignore": ["MISSING_VERSION"]}},
                             section="connectPolicy")
    since = len(client.published)
    # A client that is asked sends no settings with the notification.
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings=None))
    after = await client.wait_for_publish(uri, version=1, since=since)
    assert {d.code for d in after.diagnostics} == {"INVALID_EFFECT"}
    (effect,) = after.diagnostics
    assert any("\uac00" <= ch <= "\ud7a3" for ch in effect.message), effect.message


@pytest.mark.parametrize("client", [NEOVIM], ids=ids([NEOVIM]), indirect=True)
async def test_a_line_added_without_its_comma_still_completes(client: PolicyClient) -> None:
    # Neovim's `o` after `"Effect": "Allow",` and a new line typed before its comma: the
    # previous member lacks the comma, and completion reads the element being typed.
    source = ('{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Allow"\n'
              '    "Action": ["connect:DescribeU|"]\n  }]\n}\n')
    _, text, result = await completion_at(client, source)
    item = by_label(result, "connect:DescribeUser")
    assert '"Action": ["connect:DescribeUser"]' in apply_item(text, result, item)

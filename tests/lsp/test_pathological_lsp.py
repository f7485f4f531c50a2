"""Pathological documents through the real server (issue 8): a 10 MB policy and 100,000
brackets get their diagnostics within the suite's timeout, requests on them answer, and the
server still serves a small document afterwards."""

from __future__ import annotations

import json

import pytest
from lsp_support import (
    VSCODE,
    PolicyClient,
    assert_well_formed,
    ids,
    rng,
    summary,
    uri_for,
    within,
)
from lsprotocol import types as lsp
from test_robustness import GOOD, GOOD_FINDING

STATEMENT = {"Effect": "Allow", "Action": ["connect:DescribeUser", "connect:List*"],
             "Resource": "*"}
TEN_MB = json.dumps({"Version": "2012-10-17", "Statement": [STATEMENT] * 80_000}, indent=2)
BRACKETS = '{"Version": "2012-10-17", "Statement": ' + "[" * 100_000


async def ask_everything(client: PolicyClient, uri: str, line: int, character: int) -> None:
    document = lsp.TextDocumentIdentifier(uri=uri)
    position = lsp.Position(line=line, character=character)
    await within(client.text_document_hover_async(
        lsp.HoverParams(text_document=document, position=position)), "hover")
    await within(client.text_document_completion_async(
        lsp.CompletionParams(text_document=document, position=position)), "completion")
    await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=document, range=rng(0, 0, line, character),
        context=lsp.CodeActionContext(diagnostics=[]))), "codeAction")
    await within(client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=document)), "documentSymbol")


@pytest.mark.parametrize("client", [VSCODE], ids=ids([VSCODE]), indirect=True)
async def test_pathological_documents_are_answered(client: PolicyClient) -> None:
    assert len(TEN_MB) > 10_000_000
    uri = uri_for("ten-mb.json")
    mark = client.open(uri, TEN_MB)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    assert summary(diagnostics) == [("FILE_ERROR", (0, 0, 0, 0))]
    too_large = diagnostics[0]
    assert too_large.message.startswith("Document too large to check")
    assert too_large.severity == lsp.DiagnosticSeverity.Error
    assert too_large.code_description is not None  # our own code: not Access Analyzer's page
    await ask_everything(client, uri, 40_000, 10)

    uri = uri_for("brackets.json")
    mark = client.open(uri, BRACKETS)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    deep = [d for d in diagnostics if d.message.startswith("Nesting deeper than 200")]
    assert [(d.range.start.line, d.range.start.character) for d in deep] == [(0, 238)]
    for diagnostic in diagnostics:
        assert_well_formed(diagnostic)
    await ask_everything(client, uri, 0, 50_000)

    uri = uri_for("surrogate.json")  # a lone surrogate as the client sends it (UTF-16)
    mark = client.open(uri, GOOD.replace("DescribeUsr", "Describe\ud800Usr"))
    codes = [code for code, _ in summary(await client.diagnostics_of(uri, 1, mark))]
    assert "JSON_SYNTAX_ERROR" in codes

    uri = uri_for("after.json")
    mark = client.open(uri, GOOD)
    assert summary(await client.diagnostics_of(uri, 1, mark)) == [GOOD_FINDING]
    await client.roundtrip()

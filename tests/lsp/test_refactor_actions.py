"""Refactorings (`textDocument/codeAction` of kind `refactor.rewrite`) through the real
server: advertised, filtered by `context.only`, offered without diagnostics, and their edits,
applied in the client's position units, leave a clean policy."""

from __future__ import annotations

import pytest
from lsp_support import (
    NEOVIM,
    VSCODE,
    PolicyClient,
    apply_edits,
    edits_of,
    ids,
    uri_for,
    whole,
    within,
)
from lsprotocol import types as lsp

from connect_policy.analysis import analyze
from connect_policy.document.text import LineIndex

CLIENTS = (VSCODE, NEOVIM)

# Korean text and an emoji before the actions on their lines, so that UTF-8, UTF-16 and
# code-point columns all differ.
TEXT = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "상담원 태그 🏷️",
      "Effect": "Allow",
      "Action": "connect:Tag*",
      "Resource": "*"
    },
    {
      "Sid": "목록", "Effect": "Allow", "Action": ["wisdom:GetAssistant", "connect:ListUsers"],
      "Resource": "*"
    }
  ]
}
"""


def position(text: str, needle: str, encoding: str) -> lsp.Position:
    """The position just inside the first `needle`, in the client's units."""
    lines = LineIndex(text)
    line, character = lines.position(text.index(needle) + 1, encoding)  # type: ignore[arg-type]
    return lsp.Position(line=line, character=character)


async def actions_at(client: PolicyClient, uri: str, text: str, needle: str,
                     only: list[lsp.CodeActionKind | str] | None,
                     diagnostics: list[lsp.Diagnostic] | None = None) -> list[lsp.CodeAction]:
    """The actions with the cursor just inside `needle`, or on the diagnostics' range."""
    if diagnostics:
        range_ = diagnostics[0].range
    else:
        at = position(text, needle, client.position_encoding or "utf-16")
        range_ = lsp.Range(start=at, end=at)
    result = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=range_,
        context=lsp.CodeActionContext(diagnostics=diagnostics or [], only=only))),
        "code actions")
    actions = [a for a in result or [] if isinstance(a, lsp.CodeAction)]
    assert len(actions) == len(result or [])
    return actions


def clean(text: str) -> None:
    codes = {f.code for f in analyze(text).findings}
    assert not codes & {"JSON_SYNTAX_ERROR", "INVALID_ACTION", "REDUNDANT_ACTION"}, (codes, text)


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_refactor_rewrite_is_advertised(client: PolicyClient) -> None:
    assert client.initialize_result is not None
    provider = client.initialize_result.capabilities.code_action_provider
    assert isinstance(provider, lsp.CodeActionOptions)
    assert provider.code_action_kinds is not None
    kinds = {k.value if isinstance(k, lsp.CodeActionKind) else k
             for k in provider.code_action_kinds}
    assert {"quickfix", "refactor.rewrite"} <= kinds


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_expand_then_collapse_round_trip(client: PolicyClient) -> None:
    uri = uri_for("refactor.json")
    encoding = client.position_encoding or "utf-16"
    client.open(uri, TEXT)
    actions = await actions_at(client, uri, TEXT, "connect:Tag*", [lsp.CodeActionKind.Refactor])
    assert [a.title for a in actions] == ['Expand "connect:Tag*" into its 2 actions']
    (expand,) = actions
    assert expand.kind == lsp.CodeActionKind.RefactorRewrite
    assert not expand.diagnostics and not expand.is_preferred
    expanded = apply_edits(TEXT, edits_of(expand, uri, 1), encoding)
    assert ('      "Action": [\n        "connect:TagContact",\n        "connect:TagResource"\n'
            '      ],\n') in expanded
    clean(expanded)

    client.change(uri, 2, whole(expanded))
    actions = await actions_at(client, uri, expanded, "connect:TagResource",
                               ["refactor.rewrite"])
    collapse = [a for a in actions if a.title.startswith("Collapse")]
    assert [a.title for a in collapse] == ['Collapse 2 actions into "connect:Tag*"']
    collapsed = apply_edits(expanded, edits_of(collapse[0], uri, 2), encoding)
    assert collapsed == TEXT.replace('"connect:Tag*"', '[\n        "connect:Tag*"\n      ]')
    clean(collapsed)


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_sort_after_multi_byte_text(client: PolicyClient) -> None:
    uri = uri_for("sort.json")
    client.open(uri, TEXT)
    actions = await actions_at(client, uri, TEXT, "connect:ListUsers", None)
    assert [a.title for a in actions] == ["Sort the actions"]
    encoding = client.position_encoding or "utf-16"
    sorted_text = apply_edits(TEXT, edits_of(actions[0], uri, 1), encoding)
    assert sorted_text == TEXT.replace('["wisdom:GetAssistant", "connect:ListUsers"]',
                                       '["connect:ListUsers", "wisdom:GetAssistant"]')
    clean(sorted_text)


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_only_separates_quick_fixes_from_refactorings(client: PolicyClient) -> None:
    uri = uri_for("only.json")
    text = TEXT.replace('"connect:Tag*"', '["connect:Tag*", "connect:Tag*"]')
    mark = client.open(uri, text)
    diagnostics = [d for d in await client.diagnostics_of(uri, 1, mark)
                   if d.code == "REDUNDANT_ACTION"]
    assert diagnostics
    everything = await actions_at(client, uri, text, "connect:Tag*", None, diagnostics)
    kinds = [a.kind for a in everything]
    assert lsp.CodeActionKind.QuickFix in kinds and lsp.CodeActionKind.RefactorRewrite in kinds
    # Quick fixes come first, so a client's "apply the first fix" still gets one.
    assert kinds[0] == lsp.CodeActionKind.QuickFix

    fixes = await actions_at(client, uri, text, "connect:Tag*", [lsp.CodeActionKind.QuickFix],
                             diagnostics)
    assert fixes and {a.kind for a in fixes} == {lsp.CodeActionKind.QuickFix}
    refactors = await actions_at(client, uri, text, "connect:Tag*", ["refactor"], diagnostics)
    assert refactors and {a.kind for a in refactors} == {lsp.CodeActionKind.RefactorRewrite}
    # The first copy grants all the second would expand to: no expansion of the second.
    assert [a.title for a in refactors] == ["Remove 1 duplicate from the actions"]
    assert await actions_at(client, uri, text, "connect:Tag*", ["refactor.extract"]) == []
    assert await actions_at(client, uri, text, "connect:Tag*", ["source"]) == []

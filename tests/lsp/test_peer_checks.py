"""The checks beyond Access Analyzer's through the real server: MISSING_DEPENDENT_ACTION,
ALLOW_WITH_FORALLVALUES and SET_OPERATOR_WITH_SINGLE_VALUED_KEY, each at its range, with
its severity and link, and its quick fix, applied as an editor would, clearing it."""

from __future__ import annotations

import pytest
from lsp_support import (
    NEOVIM,
    VSCODE,
    PolicyClient,
    apply_edits,
    edits_of,
    ids,
    only,
    uri_for,
    whole,
    within,
)
from lsprotocol import types as lsp

CLIENTS = (VSCODE, NEOVIM)
SINGLE_VS_MULTI = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/"
                   "reference_policies_condition-single-vs-multi-valued-context-keys.html")


def statement(body: str) -> str:
    return ('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n'
            f'{body}\n      "Resource": "*"\n    }}\n  ]\n}}\n')


async def check_and_fix(client: PolicyClient, name: str, text: str, code: str, covered: str,
                        title: str) -> lsp.Diagnostic:
    """The one `code` diagnostic sits on the first `covered` text (on one line); the code
    action titled `title` removes it through the server."""
    uri = uri_for(name)
    mark = client.open(uri, text)
    diagnostic = only(await client.diagnostics_of(uri, 1, mark), code)
    line = text[:text.index(covered)].count("\n")
    start = text.splitlines()[line].index(covered)
    assert (diagnostic.range.start.line, diagnostic.range.start.character,
            diagnostic.range.end.line, diagnostic.range.end.character) == (
        line, start, line, start + len(covered))
    actions = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=lsp.CodeActionContext(diagnostics=[diagnostic]))), "code actions")
    chosen = [a for a in actions or [] if isinstance(a, lsp.CodeAction) and a.title == title]
    assert chosen, [a.title for a in actions or []]
    fixed = apply_edits(text, edits_of(chosen[0], uri), client.position_encoding or "utf-16")
    mark = client.change(uri, 2, whole(fixed))
    assert [d for d in await client.diagnostics_of(uri, 2, mark) if d.code == code] == []
    return diagnostic


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_missing_dependent_action(client: PolicyClient) -> None:
    text = statement('      "Action": [\n        "connect:ListUsers",\n'
                     '        "connect:AssociateLambdaFunction"\n      ],')
    diagnostic = await check_and_fix(client, "dependent.json", text, "MISSING_DEPENDENT_ACTION",
                                     "connect:AssociateLambdaFunction",
                                     'Add "lambda:AddPermission"')
    assert diagnostic.severity == lsp.DiagnosticSeverity.Information
    assert '"lambda:AddPermission"' in diagnostic.message


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_allow_with_for_all_values(client: PolicyClient) -> None:
    text = statement('      "Action": "kms:Decrypt",\n      "Condition": {\n'
                     '        "ForAllValues:StringEquals": {"aws:TagKeys": ["department"]}\n'
                     "      },")
    diagnostic = await check_and_fix(client, "forallvalues.json", text,
                                     "ALLOW_WITH_FORALLVALUES", "ForAllValues:StringEquals",
                                     'Add a "Null" check that requires "aws:TagKeys"')
    assert diagnostic.severity == lsp.DiagnosticSeverity.Warning
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href == SINGLE_VS_MULTI


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_set_operator_with_single_valued_key(client: PolicyClient) -> None:
    text = statement('      "Action": "s3:GetObject",\n      "Condition": {\n'
                     '        "ForAnyValue:StringEquals": {"aws:PrincipalTag/department": '
                     '"eng"}\n      },')
    diagnostic = await check_and_fix(client, "foranyvalue.json", text,
                                     "SET_OPERATOR_WITH_SINGLE_VALUED_KEY",
                                     "ForAnyValue:StringEquals",
                                     'Change the operator to "StringEquals"')
    assert diagnostic.severity == lsp.DiagnosticSeverity.Information
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href == SINGLE_VS_MULTI

"""Terraform files in the editor: the diagnostics `check` gives, in the client's units, for a
document whose language id is `terraform` or `hcl` or whose name ends in `.tf`; quick fixes
that leave valid HCL; a .tf file about something else left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_support import (
    NEOVIM,
    VSCODE,
    PolicyClient,
    apply_edits,
    edits_of,
    ids,
    only,
    rng,
    summary,
    uri_for,
    within,
)
from lsprotocol import types as lsp
from test_templates_lsp import checked

from connect_policy.formats.hcl_tree import parse_hcl
from connect_policy.formats.host import HostKind, analyze_host

MODULE = (Path(__file__).parent.parent / "core" / "formats" / "data" / "contact_center.tf"
          ).read_text()
# Where `check` places them (1-based line and column), from tests/core/formats/test_terraform.
STARTS = [("INVALID_ACTION", 38, 32), ("INVALID_SERVICE_IN_ACTION", 38, 47),
          ("INVALID_CONDITION_OPERATOR", 65, 19), ("INVALID_ACTION", 94, 52),
          ("INVALID_ACTION", 149, 63)]
BUCKET = 'resource "aws_s3_bucket" "logs" {\n  bucket = "connect-logs\n}\n'


@pytest.mark.parametrize("client", [VSCODE, NEOVIM], ids=ids([VSCODE, NEOVIM]), indirect=True)
@pytest.mark.parametrize(("name", "language"), [
    ("contact-center.tf", "terraform"), ("module", "hcl"), ("contact-center.tf", "plaintext"),
], ids=["terraform", "hcl", "tf-name"])
async def test_terraform_diagnostics_are_those_of_check(client: PolicyClient, name: str,
                                                        language: str) -> None:
    uri = uri_for(name)
    mark = client.open(uri, MODULE, language_id=language)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    encoding = client.position_encoding or "utf-16"
    assert summary(diagnostics) == checked("contact-center.tf", MODULE, encoding)
    assert [(code, line + 1, column + 1) for code, (line, column, *_) in summary(
        diagnostics)] == STARTS
    assert diagnostics[0].message.startswith(
        'aws_iam_role.connect_lambda.inline_policy[0].policy: "connect:DescribeUsr"')


async def test_quick_fix_leaves_valid_hcl_without_the_finding(client: PolicyClient) -> None:
    uri = uri_for("contact-center.tf")
    mark = client.open(uri, MODULE, language_id="terraform")
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    typo = only(diagnostics, "INVALID_CONDITION_OPERATOR")
    actions = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=typo.range,
        context=lsp.CodeActionContext(diagnostics=[typo],
                                      only=[lsp.CodeActionKind.QuickFix]))))
    assert actions, "no quick fix for the operator typo"
    action = actions[0]
    assert isinstance(action, lsp.CodeAction)
    assert action.title == 'Change to "StringEquals"'
    fixed = apply_edits(MODULE, edits_of(action, uri), client.position_encoding or "utf-16")
    assert 'test     = "StringEquals"' in fixed
    assert not parse_hcl(fixed).root.has_error
    codes = [f.code for f in analyze_host(fixed, HostKind.TERRAFORM).findings]
    assert "INVALID_CONDITION_OPERATOR" not in codes and len(codes) == len(diagnostics) - 1
    mark = client.change(uri, 2, lsp.TextDocumentContentChangeWholeDocument(text=fixed))
    assert "INVALID_CONDITION_OPERATOR" not in [c for c, _ in summary(
        await client.diagnostics_of(uri, 2, mark))]


async def test_a_tf_file_without_iam_content_gets_nothing(client: PolicyClient) -> None:
    uri = uri_for("bucket.tf")
    mark = client.open(uri, BUCKET, language_id="terraform")
    assert await client.diagnostics_of(uri, 1, mark) == []
    actions = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=rng(0, 0, 3, 0),
        context=lsp.CodeActionContext(diagnostics=[]))))
    assert not actions
    # Hover reads JSON policies only: in a Terraform file it answers nothing, without error.
    assert await within(client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=lsp.Position(line=1, character=4)))) is None

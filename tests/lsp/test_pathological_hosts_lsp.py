"""Pathological templates and Terraform files through the real server (issue 13): opened
and edited, each gets its diagnostics, hover, completion, code actions and the outline
answer, and the server still serves a small document afterwards. Among them the inputs
that stopped the core: YAML that would overflow tree-sitter-yaml's state buffer (the
process died), an alias bomb (the checks ran for ever), a mapping as the key of a mapping
300 deep (RecursionError)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_support import VSCODE, VSCODE_PULL, PolicyClient, edit, ids, rng, summary, uri_for
from test_pathological_lsp import ask_everything
from test_robustness import GOOD, GOOD_FINDING

MANAGED = (Path(__file__).parent.parent / "core" / "formats" / "data" / "managed_policy.yaml"
           ).read_text()
BOMB = "Metadata:\n  a0: &a0 [connect:Lxt]\n" + "".join(
    f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 10))
HEREDOC = ('resource "aws_iam_policy" "p" {\n  policy = <<EOF\n'
           '  {"Statement": [{"Effect": "Allow", "Action": "connect:Lst", "Resource": "*"}]}\n')
ROLE_POLICY = ('resource "aws_iam_role_policy" "agent" {\n  role = "agent"\n'
               '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = '
               '"Allow", Action = "connect:Lst", Resource = "*" }] })\n}\n')
TEN_MB_TF = ROLE_POLICY + "".join(f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "b{i}"\n}}\n'
                                  for i in range(300_000))

CLIENTS = [VSCODE, VSCODE_PULL]


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_pathological_yaml_is_answered(client: PolicyClient) -> None:
    uri = uri_for("deep.yaml")
    deep = MANAGED + "Outputs:\n  Deep:\n    " + "- " * 10_000 + "x\n"
    mark = client.open(uri, deep, language_id="cloudformation")
    (too_deep,) = await client.diagnostics_of(uri, 1, mark)
    assert too_deep.message.startswith("YAML nested too deeply to read: line 13 opens more")
    await ask_everything(client, uri, 12, 100)
    # Edited into what made tree-sitter-yaml write past its buffer: the server lives on.
    mark = client.change(uri, 2, edit(rng(12, 0, 13, 0), 'x: "a"' + "? " * 300 + "\n"))
    assert [code for code, _ in summary(await client.diagnostics_of(uri, 2, mark))] == [
        "YAML_SYNTAX_ERROR"]
    await ask_everything(client, uri, 8, 30)

    uri = uri_for("bomb.yaml")
    mark = client.open(uri, BOMB + MANAGED.replace("Action: connect:Lst", "Action: *a9"),
                       language_id="yaml")
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    assert summary(diagnostics) == [("YAML_SYNTAX_ERROR", (6, 11, 6, 14))]  # a5's first *a4
    assert diagnostics[0].message.startswith("YAML aliases repeat too much to read")
    await ask_everything(client, uri, 18, 22)

    uri = uri_for("keys.yaml")
    keys = "Resources:\n  Deep: {" + "{" * 300 + "}" * 300 + "}\n" + MANAGED[11:]
    mark = client.open(uri, keys, language_id="yaml")
    assert summary(await client.diagnostics_of(uri, 1, mark)) == [
        ("INVALID_ACTION", (9, 28, 9, 31))]
    await ask_everything(client, uri, 1, 200)

    uri = uri_for("nul.yaml")
    mark = client.open(uri, MANAGED.replace("connect:Lst", "connect:L\x00st"),
                       language_id="yaml")
    assert summary(await client.diagnostics_of(uri, 1, mark)) == [
        ("INVALID_ACTION", (8, 28, 8, 32)), ("YAML_SYNTAX_ERROR", (8, 29, 8, 30))]

    uri = uri_for("after.json")
    mark = client.open(uri, GOOD)
    assert summary(await client.diagnostics_of(uri, 1, mark)) == [GOOD_FINDING]


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_pathological_terraform_is_answered(client: PolicyClient) -> None:
    uri = uri_for("heredoc.tf")
    mark = client.open(uri, HEREDOC, language_id="terraform")
    assert summary(await client.diagnostics_of(uri, 1, mark)) == [
        ("MISSING_VERSION", (2, 2, 2, 14)), ("INVALID_ACTION", (2, 56, 2, 59)),
        ("HCL_SYNTAX_ERROR", (3, 0, 3, 0)), ("HCL_SYNTAX_ERROR", (3, 0, 3, 0))]
    await ask_everything(client, uri, 2, 57)
    mark = client.change(uri, 2, edit(rng(3, 0, 3, 0), "EOF\n}\n"))  # closed
    assert summary(await client.diagnostics_of(uri, 2, mark)) == [
        ("MISSING_VERSION", (2, 2, 2, 14)), ("INVALID_ACTION", (2, 56, 2, 59))]

    uri = uri_for("open.tf")
    mark = client.open(uri, ROLE_POLICY[:ROLE_POLICY.index("Statement")], language_id="hcl")
    assert {code for code, _ in summary(await client.diagnostics_of(uri, 1, mark))} == {
        "HCL_SYNTAX_ERROR"}
    await ask_everything(client, uri, 2, 40)

    uri = uri_for("ten-mb.tf")
    assert len(TEN_MB_TF) > 10_000_000
    mark = client.open(uri, TEN_MB_TF, language_id="terraform")
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    assert summary(diagnostics) == [("FILE_ERROR", (0, 0, 0, 0))]
    assert diagnostics[0].message.startswith("Document too large to check")
    await ask_everything(client, uri, 3, 20)

    uri = uri_for("after.json")
    mark = client.open(uri, GOOD)
    assert summary(await client.diagnostics_of(uri, 1, mark)) == [GOOD_FINDING]

"""Policy types through the real server: a trust policy without identity-only findings, a
resource policy's MISSING_PRINCIPAL at its range, the type in the outline, the settings
(`connectPolicy.policyType`, the project's `policy-type`) changing the type, and the service
and resource control policies' own checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_support import (
    NEOVIM,
    VSCODE,
    PolicyClient,
    Profile,
    apply_edits,
    edits_of,
    ids,
    rng,
    summary,
    uri_for,
    within,
)
from lsprotocol import types as lsp

CLIENTS = (VSCODE, NEOVIM)
POLICIES = Path(__file__).resolve().parents[1] / "core" / "policy_types"
TRUST = (POLICIES / "trust-policy-connect.json").read_text(encoding="utf-8")
BUCKET = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "connect.amazonaws.com"},
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::amzn-connect-recordings/*",
      "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}
    },
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-connect-recordings/*"
    }
  ]
}
"""
BARE = """{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]
}
"""


async def outline_detail(client: PolicyClient, uri: str) -> str | None:
    symbols = await within(client.text_document_document_symbol_async(lsp.DocumentSymbolParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri))), "symbols")
    assert symbols is not None
    (policy,) = symbols
    assert isinstance(policy, lsp.DocumentSymbol)
    return policy.detail


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_a_trust_policy_gets_no_identity_only_finding(client: PolicyClient) -> None:
    uri = uri_for("connect-trust.json")
    mark = client.open(uri, TRUST)
    assert await client.diagnostics_of(uri, 1, mark) == []
    assert await outline_detail(client, uri) == "trust policy · 2012-10-17"
    # A Resource is what a trust policy cannot have, at its key.
    text = TRUST.replace('"Action": "sts:AssumeRole",', '"Action": "sts:AssumeRole",\n'
                         '      "Resource": "*",')
    mark = client.open(uri_for("connect-trust-2.json"), text)
    diagnostics = await client.diagnostics_of(uri_for("connect-trust-2.json"), 1, mark)
    assert summary(diagnostics) == [
        ("ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE", (9, 6, 9, 16))]


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_a_resource_policy_statement_without_principal(client: PolicyClient) -> None:
    uri = uri_for("bucket.json")
    mark = client.open(uri, BUCKET)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    (missing,) = diagnostics
    assert missing.code == "MISSING_PRINCIPAL"
    assert missing.range == rng(10, 4, 10, 5)
    assert missing.severity == lsp.DiagnosticSeverity.Error
    assert missing.message.startswith('The statement has no "Principal": in a resource-based')
    assert await outline_detail(client, uri) == "resource policy · 2012-10-17"


IDENTITY_SETTING = Profile("vscode-identity-type", "visual-studio-code@1.65.2",
                           options='{"connectPolicy": {"policyType": "identity"}}')


@pytest.mark.parametrize("client", [IDENTITY_SETTING], ids=ids([IDENTITY_SETTING]),
                         indirect=True)
async def test_the_policy_type_setting_changes_the_checks(client: PolicyClient) -> None:
    uri = uri_for("typed-trust.json")
    mark = client.open(uri, TRUST)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    assert summary(diagnostics) == [("MISSING_RESOURCE", (3, 4, 3, 5)),
                                    ("UNSUPPORTED_PRINCIPAL", (5, 6, 5, 17))]
    assert await outline_detail(client, uri) == "identity policy · 2012-10-17"
    # Changed to trust: checked again, clean.
    mark = len(client.published)
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"connectPolicy": {"policyType": "trust"}}))
    published = await client.wait_for_publish(uri, version=1, since=mark)
    assert list(published.diagnostics) == []
    # Cleared: read from the content again (a trust policy's statement needs a principal;
    # an identity policy's, a resource).
    bare = uri_for("bare.json")
    mark = client.open(bare, BARE)
    assert summary(await client.diagnostics_of(bare, 1, mark)) == [
        ("MISSING_PRINCIPAL", (2, 16, 2, 17))]
    mark = len(client.published)
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"connectPolicy": {"policyType": ""}}))
    published = await client.wait_for_publish(bare, version=1, since=mark)
    assert summary(published.diagnostics) == [("MISSING_RESOURCE", (2, 16, 2, 17))]


BAD_TYPE = Profile("vscode-bad-type", "visual-studio-code@1.65.2",
                   options='{"connectPolicy": {"policyType": "bucket"}}')


@pytest.mark.parametrize("client", [BAD_TYPE], ids=ids([BAD_TYPE]), indirect=True)
async def test_a_bad_policy_type_setting_is_shown(client: PolicyClient) -> None:
    uri = uri_for("bad-type.json")
    mark = client.open(uri, TRUST)
    assert await client.diagnostics_of(uri, 1, mark) == []  # read from the content
    assert any("connectPolicy.policyType: 'bucket' is not a policy type" in m.message
               for m in client.messages), [m.message for m in client.messages]


@pytest.mark.parametrize("client", [VSCODE], ids=ids([VSCODE]), indirect=True)
async def test_the_project_settings_file_types_files_by_glob(client: PolicyClient,
                                                             tmp_path: Path) -> None:
    (tmp_path / ".connect-policy.toml").write_text('[policy-type]\n"buckets/**" = "resource"\n')
    (tmp_path / "buckets").mkdir()
    uri = (tmp_path / "buckets" / "recordings.json").as_uri()
    mark = client.open(uri, BARE)
    assert summary(await client.diagnostics_of(uri, 1, mark)) == [
        ("MISSING_PRINCIPAL", (2, 16, 2, 17))]
    other = (tmp_path / "identity.json").as_uri()
    mark = client.open(other, BARE)
    assert summary(await client.diagnostics_of(other, 1, mark)) == [
        ("MISSING_RESOURCE", (2, 16, 2, 17))]


SCP_WITH_PRINCIPAL = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ProtectConnectInstances",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "connect:DeleteInstance",
      "Resource": "*"
    }
  ]
}
"""


@pytest.mark.parametrize("client", [VSCODE], ids=ids([VSCODE]), indirect=True)
async def test_service_and_resource_control_policies_by_glob(client: PolicyClient,
                                                             tmp_path: Path) -> None:
    (tmp_path / ".connect-policy.toml").write_text(
        '[policy-type]\n"scps/**" = "scp"\n"rcps/**" = "rcp"\n')
    (tmp_path / "scps").mkdir()
    (tmp_path / "rcps").mkdir()
    # An SCP takes no Principal: the error at its key, and the fix removes it.
    uri = (tmp_path / "scps" / "protect-connect.json").as_uri()
    mark = client.open(uri, SCP_WITH_PRINCIPAL)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    assert summary(diagnostics) == [("SCP_SYNTAX_ERROR_PRINCIPAL", (6, 6, 6, 17))]
    (principal,) = diagnostics
    assert principal.severity == lsp.DiagnosticSeverity.Error
    assert principal.message.startswith('A service control policy cannot contain "Principal"')
    actions = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=principal.range,
        context=lsp.CodeActionContext(diagnostics=[principal]))), "code actions")
    assert actions
    action = actions[0]
    assert isinstance(action, lsp.CodeAction)
    assert action.title == 'Remove "Principal"' and action.is_preferred
    fixed = apply_edits(SCP_WITH_PRINCIPAL, edits_of(action, uri),
                        client.position_encoding or "utf-16")
    assert '"Principal"' not in fixed and '"Effect": "Deny",\n      "Action"' in fixed
    # Over the SCP quota: 5,120 characters, whitespace included (the JSON text counts).
    padded = SCP_WITH_PRINCIPAL.replace('"Principal": "*",\n', "").replace(
        '"ProtectConnectInstances"', '"' + "P" * 5_000 + '"')
    big = (tmp_path / "scps" / "big.json").as_uri()
    mark = client.open(big, padded)
    size = len(padded.rstrip("\n"))
    assert size > 5_120
    (quota,) = await client.diagnostics_of(big, 1, mark)
    assert summary([quota]) == [("POLICY_SIZE_EXCEEDS_SCP_QUOTA", (0, 0, 0, 1))]
    assert quota.message.startswith(f"This service control policy has {size:,} characters")
    # The same text in an identity policy is far below IAM's quota: nothing.
    identity = (tmp_path / "identity-big.json").as_uri()
    mark = client.open(identity, padded)
    assert await client.diagnostics_of(identity, 1, mark) == []
    # An RCP cannot use NotAction.
    rcp = (tmp_path / "rcps" / "perimeter.json").as_uri()
    text = RCP_NOT_ACTION
    mark = client.open(rcp, text)
    assert summary(await client.diagnostics_of(rcp, 1, mark)) == [
        ("RCP_SYNTAX_ERROR_NOTACTION", (6, 6, 6, 17))]


RCP_NOT_ACTION = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Principal": "*",
      "NotAction": "s3:GetObject",
      "Resource": "*",
      "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}
    }
  ]
}
"""

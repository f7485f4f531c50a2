"""The server applies the project's settings file, as `check` does, so editor and CI agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_support import NEOVIM, VSCODE, VSCODE_PULL, PolicyClient, Profile, ids, uri_for, within
from lsprotocol import types as lsp

CLIENTS = (VSCODE, NEOVIM)
POLICY = """{
  "Statement": [{"Effect": "Allow", "Action": ["conect:ListUsers", "connect:DescribeUsr"],
                 "Resource": "*"}]
}
"""


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_settings_file_filters_and_overrides(client: PolicyClient, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.connect-policy]\nignore = ["INVALID_ACTION"]\n'
        '[tool.connect-policy.severity]\nMISSING_VERSION = "error"\n')
    (tmp_path / "iam").mkdir()
    uri = (tmp_path / "iam" / "role.json").as_uri()
    mark = client.open(uri, POLICY)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    found = sorted((d.code, d.severity) for d in diagnostics)
    assert found == [("INVALID_SERVICE_IN_ACTION", lsp.DiagnosticSeverity.Error),
                     ("MISSING_VERSION", lsp.DiagnosticSeverity.Error)]


@pytest.mark.parametrize("client", [VSCODE], ids=ids([VSCODE]), indirect=True)
async def test_policy_globs_and_a_saved_settings_change(client: PolicyClient,
                                                        tmp_path: Path) -> None:
    settings = tmp_path / ".connect-policy.toml"
    settings.write_text('policy-globs = ["*.iam.json"]\n')
    uri = (tmp_path / "app.iam.json").as_uri()
    mark = client.open(uri, '{"name": "not yet a policy"}')
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    assert "MISSING_STATEMENT" in [d.code for d in diagnostics]
    # Edit and save the settings: the server reads them again and re-checks open files.
    settings.write_text('policy-globs = ["*.iam.json"]\nignore = ["MISSING_STATEMENT"]\n')
    mark = len(client.published)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(
        text_document=lsp.TextDocumentIdentifier(uri=settings.as_uri())))
    published = await client.wait_for_publish(uri, version=1, since=mark)
    assert "MISSING_STATEMENT" not in [d.code for d in published.diagnostics]


@pytest.mark.parametrize("client", [VSCODE], ids=ids([VSCODE]), indirect=True)
async def test_a_broken_settings_file_is_shown_and_defaults_apply(
        client: PolicyClient, tmp_path: Path) -> None:
    (tmp_path / ".connect-policy.toml").write_text("ignore = [oops\n")
    uri = (tmp_path / "p.json").as_uri()
    mark = client.open(uri, POLICY)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    assert "INVALID_ACTION" in [d.code for d in diagnostics]
    shown = [m.message for m in client.messages]
    assert any("is not valid TOML" in m for m in shown), shown


RULES = Profile("vscode-rules", "visual-studio-code@1.65.2", options=(
    '{"connectPolicy": {"locale": "ko", "files": ["*.iam"], '
    '"rules": {"ignore": ["MISSING_VERSION"], "severity": {"INVALID_ACTION": "warning"}}}}'))
BAD_RULES = Profile("vscode-bad-rules", "visual-studio-code@1.65.2",
                    options='{"connectPolicy": {"rules": {"select": ["NOT_A_CODE"]}}}')


@pytest.mark.parametrize("client", [RULES], ids=ids([RULES]), indirect=True)
async def test_client_rules_locale_and_files(client: PolicyClient) -> None:
    uri = uri_for("rules.json")
    mark = client.open(uri, POLICY)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    found = {d.code: d for d in diagnostics}
    assert set(found) == {"INVALID_SERVICE_IN_ACTION", "INVALID_ACTION"}
    assert found["INVALID_ACTION"].severity == lsp.DiagnosticSeverity.Warning
    # Korean messages (`locale` from the settings).
    assert "AWS 서비스 접두사가 아닙니다" in found["INVALID_SERVICE_IN_ACTION"].message
    other = uri_for("role.iam")
    mark = client.open(other, '{"name": "x"}', language_id="json")
    assert "MISSING_STATEMENT" in [d.code for d in await client.diagnostics_of(other, 1, mark)]


@pytest.mark.parametrize("client", [BAD_RULES], ids=ids([BAD_RULES]), indirect=True)
async def test_bad_client_rules_are_shown(client: PolicyClient) -> None:
    uri = uri_for("bad-rules.json")
    mark = client.open(uri, POLICY)
    await client.diagnostics_of(uri, 1, mark)
    assert any("unknown code NOT_A_CODE" in m.message for m in client.messages)


# Neovim 0.11 pulls; this variant also announces that it accepts diagnostic refreshes.
NEOVIM_REFRESH = Profile("neovim-0.11.0-refresh", "neovim@0.11.0", refresh=True)


@pytest.mark.parametrize("client", [NEOVIM_REFRESH], ids=ids([NEOVIM_REFRESH]), indirect=True)
async def test_pulling_clients_are_asked_to_refresh_after_a_settings_change(
        client: PolicyClient, tmp_path: Path) -> None:
    settings = tmp_path / ".connect-policy.toml"
    settings.write_text("ignore = []\n")
    uri = (tmp_path / "p.json").as_uri()
    mark = client.open(uri, POLICY)
    await client.diagnostics_of(uri, 1, mark)
    before = client.diagnostic_refresh_count
    settings.write_text('ignore = ["INVALID_ACTION"]\n')
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(
        text_document=lsp.TextDocumentIdentifier(uri=settings.as_uri())))
    # A request/response round trip: the refresh request was sent before its answer.
    await client.diagnostics_of(uri, 1, len(client.published))
    assert client.diagnostic_refresh_count == before + 1
    assert "INVALID_ACTION" not in [d.code for d in await client.diagnostics_of(uri, 1, 0)]


RELATIVE = Profile("vscode-relative-glob", "visual-studio-code@1.65.2",
                   options='{"connectPolicy": {"policyGlobs": ["iam/*.json"]}}')


@pytest.mark.parametrize("client", [RELATIVE], ids=ids([RELATIVE]), indirect=True)
async def test_client_globs_relative_to_the_workspace_folder(client: PolicyClient) -> None:
    inside = uri_for("iam/role.json")  # the fixture's workspace folder is file:///workspace
    mark = client.open(inside, '{"name": "x"}')
    assert "MISSING_STATEMENT" in [d.code for d in await client.diagnostics_of(inside, 1, mark)]
    outside = uri_for("other/role.json")
    mark = client.open(outside, '{"name": "x"}')
    assert await client.diagnostics_of(outside, 1, mark) == []


@pytest.mark.parametrize("client", [VSCODE_PULL], ids=ids([VSCODE_PULL]), indirect=True)
async def test_a_settings_change_changes_the_pull_result_id(client: PolicyClient) -> None:
    uri = uri_for("result-id.json")
    client.open(uri, POLICY)
    first = await within(client.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri))), "a pull")
    assert isinstance(first, lsp.RelatedFullDocumentDiagnosticReport)
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"connectPolicy": {"rules": {"ignore": ["INVALID_ACTION"]}}}))
    again = await within(client.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        previous_result_id=first.result_id)), "a pull with the old id")
    assert isinstance(again, lsp.RelatedFullDocumentDiagnosticReport)
    assert "INVALID_ACTION" not in [d.code for d in again.items]
    assert "INVALID_ACTION" in [d.code for d in first.items]

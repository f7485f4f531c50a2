"""The server applies the project's settings file, as `check` does, so editor and CI agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_support import NEOVIM, VSCODE, PolicyClient, ids
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

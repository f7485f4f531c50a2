"""The extension and the server in a real VS Code (code-server 4.139.1, VS Code 1.139).

scripts/vscode-e2e.sh does the work: it installs code-server (and Node 24, Chromium) into a
cache, builds and installs the extension with a test-only probe extension, opens a workspace
with a broken policy in headless Chromium, and the probe writes what VS Code got from the
server (diagnostics, a hover, a completion) as JSON. This test runs the script and reads that
JSON. It takes minutes the first time (installs), about 20 s after, so it runs only when
CONNECT_POLICY_VSCODE_E2E=1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "vscode-e2e.sh"
TIMEOUT_S = 900

sys.path.insert(0, str(Path(__file__).parent))

from check_result import problems  # noqa: E402

enabled = pytest.mark.skipif(
    os.environ.get("CONNECT_POLICY_VSCODE_E2E") != "1",
    reason="the real VS Code test runs only with CONNECT_POLICY_VSCODE_E2E=1 "
           "(it installs code-server and Chromium and takes minutes the first time)")


def test_the_script_is_there_and_executable() -> None:
    assert SCRIPT.is_file()
    assert os.access(SCRIPT, os.X_OK), f"{SCRIPT} is not executable"
    assert SCRIPT.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")
    probe = ROOT / "tests" / "vscode" / "probe-extension" / "package.json"
    manifest = json.loads(probe.read_text(encoding="utf-8"))
    assert manifest["extensionDependencies"] == ["connect-policy-lsp.connect-policy"]


def test_the_checker_rejects_an_empty_result() -> None:
    assert len(problems({"diagnostics": [], "hover": [], "completions": []})) == 5
    assert problems({"error": "boom"})[0] == "the probe reported no error"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("vscode-e2e") / "result.json"
    env = {**os.environ, "CONNECT_POLICY_E2E_OUT": str(out)}
    env.setdefault("CONNECT_POLICY_SERVER", str(ROOT / ".venv" / "bin" / "connect-policy-lsp"))
    try:
        run = subprocess.run([str(SCRIPT)], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"{SCRIPT.name} did not finish within {TIMEOUT_S} s:\n{error.stdout!r}")
    output = run.stdout
    print(output)  # shown by pytest when a test fails
    assert run.returncode == 0, f"{SCRIPT.name} exited {run.returncode}:\n{output[-6000:]}"
    assert out.is_file(), f"{SCRIPT.name} passed but wrote no {out}"
    loaded: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return loaded


@enabled
def test_the_probe_saw_no_error(result: dict[str, Any]) -> None:
    assert not result.get("error"), result.get("error")
    assert result["extension"]["id"] == "connect-policy-lsp.connect-policy"
    assert result["extension"]["active"] is True


@enabled
def test_diagnostics_of_the_broken_policy(result: dict[str, Any]) -> None:
    def found(code: str, subject: str) -> bool:
        return any(d["code"] == code and subject in d["message"] for d in result["diagnostics"])

    assert found("JSON_SYNTAX_ERROR", '"connect-campaigns:GetCampaignState"')
    assert found("INVALID_ACTION", "connect-campaigns:UpdateOutboundCallConfig")
    assert found("INVALID_ACTION", "connect-campaigns:UpdateDialerConfig")
    syntax = next(d for d in result["diagnostics"] if d["code"] == "JSON_SYNTAX_ERROR")
    # The missing comma is right after "connect-campaigns:GetCampaignState" (one line file).
    policy = (ROOT / "examples/source-material/10-campaigns-manage.json").read_text("utf-8")
    after = policy.index('"connect-campaigns:GetCampaignState"') + \
        len('"connect-campaigns:GetCampaignState"')
    assert syntax["range"]["start"] == {"line": 0, "character": after}


@enabled
def test_hover_on_an_action(result: dict[str, Any]) -> None:
    hover = "\n".join(result["hover"])
    assert "connect:DescribeUser" in hover
    assert "Access level" in hover


@enabled
def test_completion_of_an_action_being_typed(result: dict[str, Any]) -> None:
    assert "connect:DescribeUser" in result["completions"]


@enabled
def test_all_checks_of_the_script_pass(result: dict[str, Any]) -> None:
    assert problems(result) == []

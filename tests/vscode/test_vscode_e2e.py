"""The extension and the server in a real VS Code (code-server 4.139.1, VS Code 1.139).

scripts/vscode-e2e.sh does the work: it installs code-server (and Node 24, Chromium) into a
cache, builds and installs the extension with a test-only probe extension, opens a workspace
with a broken policy in headless Chromium, and the probe writes what VS Code got from the
server (diagnostics, a hover, a completion, the document and its diagnostics after quick fixes
it applied, a YAML CloudFormation template's diagnostics) as JSON. A second run (scenario
no-server) has no server anywhere: nothing may show until a policy is opened, then one
notification names the PATH searched and opens the setting. This test runs the script and
reads that JSON. It takes minutes the first time (installs), about 40 s per scenario after,
so it runs only when CONNECT_POLICY_VSCODE_E2E=1.
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

from check_result import (  # noqa: E402
    FIX_CORRECTED,
    FIX_TYPO,
    NOT_FOUND_BUTTONS,
    NOT_FOUND_TEXT,
    SYNTAX_CODE,
    corrected_text,
    fixture_text,
    problems,
    quick_fix_checks,
    syntax_reports,
)

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
    # syntax.json has 9 checks; "no JSON_SYNTAX_ERROR beside VS Code's" holds for nothing.
    assert len(problems({"diagnostics": [], "hover": [], "completions": []})) == 5 + 8 + 8
    assert problems({"error": "boom"})[0] == "the probe reported no error"
    assert len(problems({"scenario": "no-server"})) == 9  # all but "no error"


def test_the_checker_rejects_a_syntax_error_reported_twice() -> None:
    """VS Code's report and ours side by side: the duplicate is what must not be."""
    syntax = {
        "diagnostics": [
            {"source": "json", "code": "514", "message": "Expected comma"},
            {"source": "connect-policy", "code": SYNTAX_CODE, "message": "Missing comma"},
            {"source": "json", "code": "519", "message": "Trailing comma"},
            {"source": "connect-policy", "code": "INVALID_ACTION", "message": "x"}],
        "fixes": [{"message": "Expected comma", "offered": ["Insert the missing comma"]},
                  {"message": "Trailing comma", "offered": ["Remove the trailing comma"]}],
        "applied": True, "text": '"connect:DescribeUser",',
        "quickFixMenu": "Quick Fix\nInsert the missing comma",
        "diagnosticsAfter": [{"source": "json", "message": "Trailing comma"}],
    }
    failed = [p for p in problems({"syntax": syntax}) if p.startswith("syntax.json")]
    assert failed == [
        "syntax.json: 2 syntax errors reported, once each (got ['Expected comma', "
        "'Missing comma', 'Trailing comma'])",
        f"syntax.json: no {SYNTAX_CODE} beside VS Code's report"]
    once = {**syntax, "diagnostics": [d for d in syntax["diagnostics"]
                                      if d["code"] != SYNTAX_CODE]}
    assert [p for p in problems({"syntax": once}) if p.startswith("syntax.json")] == []


def test_the_checker_rejects_a_quick_fix_that_did_not_fix() -> None:
    """What the probe writes when the edit went in but the finding stayed, or the text is
    wrong: the checks name exactly that."""
    fixed = corrected_text()
    good = {
        "offered": [{"title": "Change", "kind": "quickfix", "isPreferred": True,
                     "hasEdit": True}],
        "diagnosticsBefore": [{"code": "INVALID_ACTION",
                               "message": '"connect-campaigns:UpdateDialerConfig" is not'}],
        "applied": True, "text": fixed, "isDirty": True, "textOnDisk": fixture_text(),
        "diagnosticsChanged": True, "diagnostics": [{"code": "UNSUPPORTED_SID", "message": ""}],
    }
    assert [what for what, ok in quick_fix_checks(good) if not ok] == []
    stale = {**good, "diagnostics": good["diagnosticsBefore"]}
    assert [what for what, ok in quick_fix_checks(stale) if not ok] == [
        "the INVALID_ACTION finding about connect-campaigns:UpdateDialerConfig is gone",
        "the UNSUPPORTED_SID finding remains"]
    wrong = {**good, "text": fixed.replace("UpdateCampaignDialerConfig", "UpdateCampaign")}
    assert [what for what, ok in quick_fix_checks(wrong) if not ok] == [
        "the document now holds the corrected text "
        '("connect-campaigns:UpdateCampaignDialerConfig")']
    saved = {**good, "textOnDisk": fixed}
    assert [what for what, ok in quick_fix_checks(saved) if not ok] == [
        "the edit is unsaved: the file on disk is unchanged"]


def run_script(tmp_path_factory: pytest.TempPathFactory, scenario: str) -> dict[str, Any]:
    out = tmp_path_factory.mktemp(f"vscode-e2e-{scenario}") / "result.json"
    env = {**os.environ, "CONNECT_POLICY_E2E_OUT": str(out),
           "CONNECT_POLICY_E2E_SCENARIO": scenario}
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


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_script(tmp_path_factory, "main")


@pytest.fixture(scope="module")
def no_server(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_script(tmp_path_factory, "no-server")


@enabled
def test_the_probe_saw_no_error(result: dict[str, Any]) -> None:
    assert not result.get("error"), result.get("error")
    assert result["extension"]["id"] == "connect-policy-lsp.connect-policy"
    assert result["extension"]["active"] is True


@enabled
def test_diagnostics_of_the_broken_policy(result: dict[str, Any]) -> None:
    def found(code: str, subject: str) -> bool:
        return any(d["code"] == code and subject in d["message"] for d in result["diagnostics"])

    assert found("INVALID_ACTION", "connect-campaigns:UpdateOutboundCallConfig")
    assert found("INVALID_ACTION", "connect-campaigns:UpdateDialerConfig")
    # The missing comma after "connect-campaigns:GetCampaignState" (a one-line file): reported
    # once, by VS Code's JSON service, at the string that follows; ours is withheld.
    syntax = syntax_reports(result["allDiagnostics"])
    assert [(d["source"], d["message"]) for d in syntax] == [("json", "Expected comma")]
    policy = (ROOT / "examples/source-material/10-campaigns-manage.json").read_text("utf-8")
    after = policy.index('"connect-campaigns:GetCampaignState"') + \
        len('"connect-campaigns:GetCampaignState"')
    assert policy[after:syntax[0]["range"]["start"]["character"]].strip() == ""


@enabled
def test_syntax_errors_are_reported_once_with_our_quick_fix(result: dict[str, Any]) -> None:
    """syntax.json: a missing and a trailing comma; VS Code's JSON service reports each, the
    server's JSON_SYNTAX_ERROR is withheld, and its fixes are offered on VS Code's reports."""
    syntax = result["syntax"]
    reports = syntax_reports(syntax["diagnostics"])
    assert sorted(d["message"] for d in reports) == ["Expected comma", "Trailing comma"]
    assert {d["source"] for d in reports} == {"json"}
    fixes = {f["message"]: f["offered"] for f in syntax["fixes"]}
    assert "Insert the missing comma" in fixes["Expected comma"]
    assert "Remove the trailing comma" in fixes["Trailing comma"]
    assert syntax["applied"] is True
    assert '"connect:DescribeUser",' in syntax["text"]
    assert [d["message"] for d in syntax_reports(syntax["diagnosticsAfter"])] == [
        "Trailing comma"]


@enabled
def test_a_yaml_template_gets_its_diagnostic(result: dict[str, Any]) -> None:
    """template.yaml, a CloudFormation template, shows the unknown action where `check` puts
    it (line 22, column 29: 0-based 21, 28) and nothing else."""
    template = result["template"]
    assert template["languageId"] == "yaml"
    assert [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"])
            for d in template["diagnostics"]] == [("INVALID_ACTION", 21, 28)]
    assert "connect:ListUsrs" in template["diagnostics"][0]["message"]


@enabled
def test_hover_and_completion_in_a_yaml_template(result: dict[str, Any]) -> None:
    """In template.yaml, hover on connect:DescribeUser explains it, and completion where
    `connect:List` is typed offers connect:ListUsers."""
    template = result["template"]
    assert any("DescribeUser" in text for text in template["hover"]), template["hover"]
    assert "connect:ListUsers" in template["completions"], template["completions"][:10]


@enabled
def test_a_terraform_file_gets_diagnostics_hover_and_completion(result: dict[str, Any]) -> None:
    """main.tf: the unknown action in a jsonencode policy is in the Problems panel at its
    place (line 20, column 52: 0-based 19, 51), the interpolated ARN is silent, and hover and
    completion work in the policy."""
    terraform = result["terraform"]
    assert terraform["languageId"] == "terraform"
    assert [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"])
            for d in terraform["diagnostics"]] == [("INVALID_ACTION", 19, 51)]
    assert "connect:ListUsrs" in terraform["diagnostics"][0]["message"]
    assert any("DescribeUser" in text for text in terraform["hover"]), terraform["hover"]
    assert "connect:ListUsers" in terraform["completions"], terraform["completions"][:10]


@enabled
def test_nothing_shows_until_a_policy_is_opened(no_server: dict[str, Any]) -> None:
    assert not no_server.get("error"), no_server.get("error")
    assert no_server["notificationsAtStart"] == []
    assert no_server["notificationsWithOtherJson"] == []


@enabled
def test_server_not_found_names_the_path_and_opens_the_setting(
        no_server: dict[str, Any]) -> None:
    [shown] = no_server["notificationsWithPolicy"]
    assert NOT_FOUND_TEXT in shown["message"]
    assert no_server["firstPathFolder"] in shown["message"]
    assert tuple(shown["buttons"]) == NOT_FOUND_BUTTONS
    assert no_server["clicked"] is True
    assert no_server["activeTabAfterClick"] == "Settings"
    assert "Connect Policy" in no_server["settingsText"]


@enabled
def test_setting_the_server_path_restarts_the_server(no_server: dict[str, Any]) -> None:
    """No prompt: the new connectPolicy.server.path is used at once."""
    codes = {d["code"] for d in no_server["diagnosticsAfterSetting"]}
    assert "INVALID_ACTION" in codes


@enabled
def test_hover_on_an_action(result: dict[str, Any]) -> None:
    hover = "\n".join(result["hover"])
    assert "connect:DescribeUser" in hover
    assert "Access level" in hover


@enabled
def test_completion_of_an_action_being_typed(result: dict[str, Any]) -> None:
    assert "connect:DescribeUser" in result["completions"]


@enabled
def test_quick_fix_corrects_the_document(result: dict[str, Any]) -> None:
    """The preferred quick fix for `connect-campaigns:UpdateDialerConfig` (after a Sid with an
    emoji, so the edit's utf-16 columns matter), applied with workspace.applyEdit, leaves the
    corrected text in the (unsaved) document, and the diagnostics VS Code then shows no longer
    hold the finding."""
    fix = result["quickFix"]
    assert fix is not None and "problem" not in fix, fix
    preferred = [a for a in fix["offered"] if a["isPreferred"]]
    assert len(preferred) == 1, fix["offered"]
    assert preferred[0]["kind"] == "quickfix"
    assert FIX_CORRECTED.strip('"') in preferred[0]["title"]
    assert preferred[0]["hasEdit"] is True
    assert fix["applied"] is True
    assert fix["versionAfter"] > fix["versionBefore"]

    assert FIX_TYPO in fixture_text()
    assert fix["text"] == corrected_text()
    # Not saved (the script turns off code-server's web default files.autoSave=afterDelay),
    # and the file in the temporary workspace is a copy of the fixture.
    assert fix["isDirty"] is True and fix["textOnDisk"] == fixture_text()

    subject = FIX_TYPO.strip('"')
    assert [d for d in fix["diagnosticsBefore"] if subject in d["message"]]
    assert fix["diagnosticsChanged"] is True
    assert not [d for d in fix["diagnostics"] if subject in d["message"]], fix["diagnostics"]
    assert [d["code"] for d in fix["diagnostics"]] == ["UNSUPPORTED_SID"], fix["diagnostics"]


@enabled
def test_all_checks_of_the_script_pass(result: dict[str, Any], no_server: dict[str, Any]
                                       ) -> None:
    assert problems(result) == []
    assert problems(no_server) == []

"""`check` options, settings files, inputs and bad input, through the real command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from connect_policy import checker
from connect_policy.config import Config

BAD = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
       '"Action": ["conect:ListUsers", "connect:DescribeUsr"], "Resource": "*"}]}')
LONE = '{"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}'
CLEAN = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
         '"Action": "connect:ListUsers", "Resource": "*"}]}')


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "connect_policy_lsp", *args], cwd=cwd,
                          input=stdin, capture_output=True, text=True, timeout=120, env=env,
                          stdin=None if stdin is not None else subprocess.DEVNULL)


def codes(result: subprocess.CompletedProcess[str]) -> dict[str, list[str]]:
    data = json.loads(result.stdout)
    return {Path(f["path"]).name: [d["code"] for d in f["diagnostics"]] for f in data["files"]}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "bad.json").write_text(BAD)
    (tmp_path / "policies" / "lone.json").write_text(LONE)
    (tmp_path / "policies" / "clean.json").write_text(CLEAN)
    return tmp_path


def test_default_path_is_the_current_folder(project: Path) -> None:
    result = run("check", "--format", "json", cwd=project)
    assert codes(result) == {"bad.json": ["INVALID_SERVICE_IN_ACTION", "INVALID_ACTION"],
                             "clean.json": [], "lone.json": ["MISSING_VERSION"]}
    assert result.returncode == 1


def test_stdin_with_a_filename(project: Path) -> None:
    result = run("check", "--format", "json", "--stdin-filename", "iam/role.json", "-",
                 cwd=project, stdin=BAD)
    data = json.loads(result.stdout)
    assert [f["path"] for f in data["files"]] == ["iam/role.json"]
    assert result.returncode == 1


def test_glob_patterns(project: Path) -> None:
    result = run("check", "--format", "json", "policies/l*.json", cwd=project)
    assert codes(result) == {"lone.json": ["MISSING_VERSION"]}
    assert result.returncode == 0
    assert run("check", "nothing/*.json", cwd=project).returncode == 2


@pytest.mark.parametrize(("fail_on", "status"), [("error", 0), ("warning", 1)])
def test_fail_on(project: Path, fail_on: str, status: int) -> None:
    result = run("check", "--fail-on", fail_on, "policies/lone.json", cwd=project)
    assert result.returncode == status


def test_select_and_ignore(project: Path) -> None:
    selected = run("check", "--format", "json", "--select", "INVALID_ACTION", cwd=project)
    assert codes(selected)["bad.json"] == ["INVALID_ACTION"]
    assert codes(selected)["lone.json"] == []
    ignored = run("check", "--format", "json", "--ignore",
                  "INVALID_ACTION,INVALID_SERVICE_IN_ACTION", cwd=project)
    assert codes(ignored)["bad.json"] == []
    assert ignored.returncode == 0
    unknown = run("check", "--select", "NOT_A_CODE", cwd=project)
    assert unknown.returncode == 2 and "unknown code NOT_A_CODE" in unknown.stderr


def test_settings_from_pyproject(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.connect-policy]\nignore = ["INVALID_ACTION"]\nexclude = ["policies/clean.json"]\n'
        '[tool.connect-policy.severity]\nMISSING_VERSION = "error"\n')
    result = run("check", "--format", "json", cwd=project)
    assert codes(result) == {"bad.json": ["INVALID_SERVICE_IN_ACTION"],
                             "lone.json": ["MISSING_VERSION"]}
    data = json.loads(result.stdout)
    lone = next(f for f in data["files"] if f["path"].endswith("lone.json"))
    assert lone["diagnostics"][0]["severity"] == "error"


def test_settings_file_policy_globs_and_errors(project: Path) -> None:
    (project / "policies" / "odd.json").write_text('{"name": "not a policy yet"}')
    (project / ".connect-policy.toml").write_text('policy-globs = ["policies/odd.json"]\n')
    assert "odd.json" in codes(run("check", "--format", "json", cwd=project))
    (project / ".connect-policy.toml").write_text('selekt = ["INVALID_ACTION"]\n')
    result = run("check", cwd=project)
    assert result.returncode == 2 and "unknown setting selekt" in result.stderr
    (project / ".connect-policy.toml").write_text('ignore = "x"\n[oops\n')
    result = run("check", cwd=project)
    assert result.returncode == 2 and "is not valid TOML" in result.stderr


def test_quiet_prints_findings_only(project: Path) -> None:
    result = run("check", "--quiet", cwd=project)
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all("[" in line for line in lines)


def test_bad_input_is_reported_per_file_and_the_run_goes_on(project: Path) -> None:
    folder = project / "policies"
    (folder / "binary.json").write_bytes(b'{"Statement": []}\x00\x01')
    (folder / "latin1.json").write_bytes(b'{"Statement": [], "Id": "caf\xe9"}')
    (folder / "bom.json").write_bytes(b"\xef\xbb\xbf" + CLEAN.encode())
    (folder / "dangling.json").symlink_to(folder / "missing-target.json")
    (folder / "loop").symlink_to(folder)
    (folder / "big.json").write_text(CLEAN + " " * 2000)
    (project / ".connect-policy.toml").write_text("max-file-size = 1000\n")
    result = run("check", "--format", "json", "policies", cwd=project)
    found = codes(result)
    messages = {Path(f["path"]).name: [d["message"] for d in f["diagnostics"]]
                for f in json.loads(result.stdout)["files"]}
    assert found["binary.json"] == ["FILE_ERROR"]
    assert "The file is binary" in messages["binary.json"][0]
    assert "not valid UTF-8" in messages["latin1.json"][0]
    assert found["bom.json"] == ["JSON_SYNTAX_ERROR"]  # IAM rejects a BOM; the fix removes it
    assert "byte order mark" in messages["bom.json"][0]
    assert "Cannot read the file" in messages["dangling.json"][0]
    assert "too large" in messages["big.json"][0]
    assert any("Folder loop" in m[0] for m in messages.values())
    assert found["bad.json"] == ["INVALID_SERVICE_IN_ACTION", "INVALID_ACTION"]  # still checked
    assert result.returncode == 2


def test_an_internal_error_is_reported_for_that_file_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.json").write_text(CLEAN)
    (tmp_path / "b.json").write_text(BAD)
    real_analyze = checker.analyze

    def broken(text: str, *args: Any, **kwargs: Any) -> Any:
        if "conect" in text:
            raise RuntimeError("boom")
        return real_analyze(text, *args, **kwargs)

    monkeypatch.setattr(checker, "analyze", broken)
    found = checker.discover([str(tmp_path)], Config())
    reports = checker.check(found.targets, Config(), jobs=1)
    by_name = {Path(r.path).name: r for r in reports}
    assert by_name["a.json"].findings == []
    (finding,) = by_name["b.json"].findings
    assert finding.code == "INTERNAL_ERROR" and "RuntimeError: boom" in finding.message


def test_parallel_and_serial_runs_agree(tmp_path: Path) -> None:
    for i in range(checker.PARALLEL_THRESHOLD + 10):
        (tmp_path / f"p{i:03}.json").write_text(BAD if i % 3 == 0 else CLEAN)
    serial = run("check", "--format", "json", "--jobs", "1", str(tmp_path), cwd=tmp_path)
    parallel = run("check", "--format", "json", "--jobs", "2", str(tmp_path), cwd=tmp_path)
    assert serial.stdout == parallel.stdout
    assert len(json.loads(serial.stdout)["files"]) == checker.PARALLEL_THRESHOLD + 10


def test_github_and_sarif_formats_from_the_command(project: Path) -> None:
    github = run("check", "--format", "github", "policies/bad.json", cwd=project)
    assert github.stdout.startswith("::error file=policies/bad.json,line=1,col=")
    assert "title=INVALID_SERVICE_IN_ACTION::" in github.stdout
    sarif = json.loads(run("check", "--format", "sarif", "policies/bad.json",
                           cwd=project).stdout)
    assert sarif["version"] == "2.1.0"
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {
        "INVALID_SERVICE_IN_ACTION", "INVALID_ACTION"}

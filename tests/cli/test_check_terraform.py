"""`check` on Terraform files, end to end through the command: *.tf files found in folders,
those without IAM content (or broken ones about something else) left out, a named file
always checked, reports that name the policy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_check_options import run

DATA = Path(__file__).parent.parent / "core" / "formats" / "data"
STARTS = [("INVALID_ACTION", 38, 32), ("INVALID_SERVICE_IN_ACTION", 38, 47),
          ("INVALID_CONDITION_OPERATOR", 65, 19), ("INVALID_ACTION", 94, 52),
          ("INVALID_ACTION", 149, 63)]
BUCKET = 'resource "aws_s3_bucket" "logs" {\n  bucket = "connect-logs"\n}\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "modules" / "connect").mkdir(parents=True)
    shutil.copy(DATA / "contact_center.tf", tmp_path / "modules" / "connect" / "main.tf")
    (tmp_path / "storage.tf").write_text(BUCKET)
    (tmp_path / "broken.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "x\n')
    (tmp_path / "terraform.tfvars").write_text('policy = "{}"\n')
    (tmp_path / ".terraform").mkdir()
    (tmp_path / ".terraform" / "vendored.tf").write_text(
        (DATA / "contact_center.tf").read_text())
    return tmp_path


def test_folder_search_finds_terraform_files_with_policies(project: Path) -> None:
    result = run("check", "--format", "json", ".", cwd=project)
    assert result.returncode == 1, result.stderr
    (file,) = json.loads(result.stdout)["files"]
    assert file["path"] == "modules/connect/main.tf" and file["policy"]
    assert [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["column"])
            for d in file["diagnostics"]] == STARTS
    operator = file["diagnostics"][2]
    assert operator["fixes"][0] == {"title": 'Change to "StringEquals"', "edits": [{
        "range": {"start": {"line": 65, "column": 19}, "end": {"line": 65, "column": 30}},
        "newText": "StringEquals"}]}


def test_text_output_names_the_policy(project: Path) -> None:
    result = run("check", "modules/connect/main.tf", cwd=project)
    first = result.stdout.splitlines()[0]
    assert first == ('modules/connect/main.tf:38:32: error[INVALID_ACTION] '
                     'aws_iam_role.connect_lambda.inline_policy[0].policy: "connect:DescribeUsr" '
                     'is not an action of Amazon Connect: did you mean "connect:DescribeUser"?')


def test_a_named_terraform_file_without_policies_is_checked_and_clean(project: Path) -> None:
    result = run("check", "--format", "json", "storage.tf", "broken.tf", cwd=project)
    assert result.returncode == 0, result.stdout
    assert [(f["path"], f["policy"], f["diagnostics"]) for f in json.loads(
        result.stdout)["files"]] == [("storage.tf", False, []), ("broken.tf", False, [])]


def test_a_broken_terraform_file_with_iam_content_gets_hcl_syntax_errors(
        project: Path) -> None:
    (project / "iam.tf").write_text(
        'resource "aws_iam_policy" "p" {\n  policy = <<EOF\n{"Version": "2012-10-17"}\n')
    result = run("check", "--format", "json", "iam.tf", cwd=project)
    assert result.returncode == 1
    (file,) = json.loads(result.stdout)["files"]
    # The unterminated heredoc, and what the policy read up to the end of the file lacks.
    assert [(d["code"], d["message"]) for d in file["diagnostics"]] == [
        ("MISSING_STATEMENT", 'aws_iam_policy.p.policy: The policy has no "Statement": add '
                              '"Statement": [ … ] with at least one statement'),
        ("HCL_SYNTAX_ERROR", "HCL syntax error on line 4: missing the heredoc's closing marker"),
        ("HCL_SYNTAX_ERROR", 'HCL syntax error on line 4: missing "}"')]

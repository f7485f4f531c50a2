"""`check --policy-type`, the settings file's `policy-type`, and types read from the content,
through the real command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from test_check_options import codes, run

POLICIES = Path(__file__).resolve().parents[1] / "core" / "policy_types"
# A trust policy for Amazon Connect, and a statement with neither Principal nor Resource.
TRUST = (POLICIES / "trust-policy-connect.json").read_text(encoding="utf-8")
BARE = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject"}]}, indent=2)
TRUST_IN_YAML = """Version: "2012-10-17"
Statement:
  - Effect: Allow
    Principal:
      Service: lambda.amazonaws.com
    Action: sts:AssumeRole
"""


def _project(tmp_path: Path) -> Path:
    for name in ("s3-bucket-policy-call-recordings.json", "kms-key-policy-connect.json",
                 "trust-policy-connect.json", "trust-policy-lambda.json"):
        shutil.copy(POLICIES / name, tmp_path / name)
    return tmp_path


def test_real_shaped_resource_and_trust_policies_are_clean(tmp_path: Path) -> None:
    result = run("check", "--format", "json", ".", cwd=_project(tmp_path))
    assert codes(result) == {"s3-bucket-policy-call-recordings.json": [],
                             "kms-key-policy-connect.json": [],
                             "trust-policy-connect.json": [],
                             "trust-policy-lambda.json": []}
    assert result.returncode == 0


def test_policy_type_flag(tmp_path: Path) -> None:
    (tmp_path / "trust.json").write_text(TRUST)
    (tmp_path / "bare.json").write_text(BARE)
    (tmp_path / "role.yaml").write_text(TRUST_IN_YAML)
    # From the content: the trust policy is clean; the bare statement is an identity policy.
    result = run("check", "--format", "json", ".", cwd=tmp_path)
    assert codes(result) == {"trust.json": [], "bare.json": ["MISSING_RESOURCE"],
                             "role.yaml": []}
    result = run("check", "--format", "json", "--policy-type", "identity", ".", cwd=tmp_path)
    assert codes(result) == {"trust.json": ["MISSING_RESOURCE", "UNSUPPORTED_PRINCIPAL"],
                             "bare.json": ["MISSING_RESOURCE"],
                             "role.yaml": ["MISSING_RESOURCE", "UNSUPPORTED_PRINCIPAL"]}
    result = run("check", "--format", "json", "--policy-type", "resource", ".", cwd=tmp_path)
    assert codes(result) == {"trust.json": [], "bare.json": ["MISSING_PRINCIPAL"],
                             "role.yaml": []}
    assert result.returncode == 1
    text = run("check", "--policy-type", "trust", "bare.json", cwd=tmp_path).stdout
    assert text.startswith('bare.json:4:5: error[MISSING_PRINCIPAL] The statement has no '
                           '"Principal": in a role\'s trust policy')


def test_a_bad_policy_type_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "trust.json").write_text(TRUST)
    result = run("check", "--policy-type", "bucket", "trust.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "'bucket' is not a policy type (one of identity, resource, trust, " \
           "service-control, resource-control)" in result.stderr


def test_settings_file_policy_type_by_glob_and_the_flag_over_it(tmp_path: Path) -> None:
    (tmp_path / "buckets").mkdir()
    (tmp_path / "buckets" / "bare.json").write_text(BARE)
    (tmp_path / "iam").mkdir()
    (tmp_path / "iam" / "bare.json").write_text(BARE.replace("s3:GetObject", "s3:ListBucket"))
    (tmp_path / ".connect-policy.toml").write_text(
        '[policy-type]\n"buckets/**" = "resource"\n')
    result = run("check", "--format", "json", ".", cwd=tmp_path)
    data = json.loads(result.stdout)
    assert {f["path"]: [d["code"] for d in f["diagnostics"]] for f in data["files"]} == {
        "buckets/bare.json": ["MISSING_PRINCIPAL"], "iam/bare.json": ["MISSING_RESOURCE"]}
    # The command line replaces the file's types.
    result = run("check", "--format", "json", "--policy-type", "trust", ".", cwd=tmp_path)
    data = json.loads(result.stdout)
    assert {f["path"]: [d["code"] for d in f["diagnostics"]] for f in data["files"]} == {
        "buckets/bare.json": ["MISSING_PRINCIPAL"], "iam/bare.json": ["MISSING_PRINCIPAL"]}


def test_a_bad_policy_type_in_the_settings_file(tmp_path: Path) -> None:
    (tmp_path / "trust.json").write_text(TRUST)
    (tmp_path / ".connect-policy.toml").write_text('policy-type = "bucket"\n')
    result = run("check", "trust.json", cwd=tmp_path)
    assert result.returncode == 2
    assert '"policy-type": \'bucket\' is not a policy type' in result.stderr


def test_templates_keep_the_types_of_their_places(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text("""Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: connect.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: connect:ListUsers
                Resource: "*"
""")
    result = run("check", "--format", "json", "--policy-type", "resource", ".", cwd=tmp_path)
    assert codes(result) == {"template.yaml": []}

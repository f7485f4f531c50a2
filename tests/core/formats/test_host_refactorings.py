"""Refactorings (expand, collapse, sort) on the policy at the cursor in a template: in YAML the
lists keep their style (a block list one `- ` line per entry at its indentation, a flow list
`[a, b]`), in JSON templates the JSON layout; every result parses and checks clean."""

from __future__ import annotations

import json

from connect_policy.analysis import Analysis, analyze_in_host
from connect_policy.document.json_edits import apply_edits
from connect_policy.document.text import Span
from connect_policy.editor.refactorings import Refactoring, refactorings
from connect_policy.formats.host import HostKind, analyze_host
from connect_policy.formats.yaml_tree import parse_yaml

TEMPLATE = """Resources:
  Agents:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action:
              - wisdom:GetAssistant
              - connect:TagContact
              - connect:TagResource
            Resource: "*"
          - Action: connect:Untag*
            Effect: Allow
            Resource: "*"
          - {Effect: Allow, Action: [connect:ListUsers, connect:Tag*], Resource: "*"}
"""


def _analysis(text: str, kind: HostKind = HostKind.YAML) -> Analysis:
    analysis = analyze_in_host(text, kind)
    assert analysis is not None
    return analysis


def _at(text: str, needle: str, kind: HostKind = HostKind.YAML) -> list[Refactoring]:
    at = text.index(needle) + 1
    return refactorings(_analysis(text, kind), Span(at, at))


def _applied(text: str, refactoring: Refactoring) -> str:
    result = apply_edits(text, refactoring.edits)
    assert not parse_yaml(result).errors, result
    assert analyze_host(result, HostKind.YAML).findings == [], result
    return result


def test_a_block_list_is_sorted_and_collapsed_line_by_line() -> None:
    found = {r.title: r for r in _at(TEMPLATE, "connect:TagContact")}
    assert list(found) == ['Collapse 2 actions into "connect:Tag*"', "Sort the actions"]
    assert """            Action:
              - wisdom:GetAssistant
              - connect:Tag*
            Resource""" in _applied(TEMPLATE, found['Collapse 2 actions into "connect:Tag*"'])
    assert """            Action:
              - connect:TagContact
              - connect:TagResource
              - wisdom:GetAssistant
            Resource""" in _applied(TEMPLATE, found["Sort the actions"])


def test_a_string_becomes_a_block_list_under_its_key() -> None:
    (expand,) = _at(TEMPLATE, "connect:Untag*")
    assert expand.title == 'Expand "connect:Untag*" into its 2 actions'
    assert """          - Action:
              - connect:UntagContact
              - connect:UntagResource
            Effect: Allow""" in _applied(TEMPLATE, expand)


def test_a_flow_list_stays_a_flow_list() -> None:
    expand = next(r for r in _at(TEMPLATE, "connect:Tag*]") if r.title.startswith("Expand"))
    assert ("{Effect: Allow, Action: [connect:ListUsers, connect:TagContact, "
            "connect:TagResource], Resource") in _applied(TEMPLATE, expand)


def test_nothing_outside_a_policy_nor_on_lists_yaml_cannot_rewrite_safely() -> None:
    assert refactorings(_analysis(TEMPLATE), Span(0, 0)) == []
    commented = TEMPLATE.replace("- connect:TagContact", "- connect:TagContact  # agents")
    assert [r.title for r in _at(commented, "connect:TagContact")] == []
    aliased = TEMPLATE.replace("            Action:\n              - wisdom",
                               "            Action: &shared\n              - wisdom").replace(
        "Action: [connect:ListUsers, connect:Tag*]", "Action: *shared")
    assert [r.title for r in _at(aliased, "*shared")] == []


def test_json_templates_get_the_json_layout() -> None:
    template = {"Resources": {"Agents": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
        "PolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "connect:Untag*", "Resource": "*"}]}}}}}
    text = json.dumps(template, indent=2)
    (expand,) = _at(text, "connect:Untag*", HostKind.JSON)
    result = apply_edits(text, expand.edits)
    assert json.loads(result)["Resources"]["Agents"]["Properties"]["PolicyDocument"][
        "Statement"][0]["Action"] == ["connect:UntagContact", "connect:UntagResource"]
    assert analyze_host(result, HostKind.JSON).findings == []

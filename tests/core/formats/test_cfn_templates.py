"""Policies in CloudFormation/SAM templates (YAML and JSON) and plain YAML policy files:
the exact findings at the exact places, and none on intrinsic functions or on trust and
resource policies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connect_policy.document.policy import PolicyType
from connect_policy.document.syntax import JsonObject, JsonString
from connect_policy.document.text import LineIndex, Span
from connect_policy.findings import Finding, Fix, TextEdit
from connect_policy.formats.host import HostAnalysis, HostKind, analyze_host
from connect_policy.formats.yaml_fixes import YamlNodes, yaml_fixes
from connect_policy.formats.yaml_tree import parse_yaml

DATA = Path(__file__).parent / "data"
YAML_STACK = (DATA / "contact_center.yaml").read_text()
JSON_STACK = (DATA / "contact_center.template.json").read_text()


def placed(text: str, findings: list[Finding]) -> list[tuple[str, int, int]]:
    """(code, line, column), 1-based, as `check` prints them."""
    lines = LineIndex(text)
    result = []
    for finding in findings:
        line, column = lines.position(finding.span.start)
        result.append((finding.code, line + 1, column + 1))
    return result


def yaml(text: str) -> HostAnalysis:
    return analyze_host(text, HostKind.YAML)


def test_yaml_stack_finds_every_policy_with_its_type() -> None:
    result = yaml(YAML_STACK)
    assert [(p.label, p.policy_type) for p in result.policies] == [
        ("RecordingsKey.KeyPolicy", PolicyType.RESOURCE),
        ("RecordingsBucketPolicy.PolicyDocument", PolicyType.RESOURCE),
        ("AgentRole.Policies[0]", PolicyType.IDENTITY),
        ("AgentRole.Policies[1]", PolicyType.IDENTITY),
        ("AgentRole.AssumeRolePolicyDocument", PolicyType.TRUST),
        ("SupervisorPolicy.PolicyDocument", PolicyType.IDENTITY),
        # The managed policy name and the SAM policy template are not documents.
        ("RoutingFunction.Policies[2]", PolicyType.IDENTITY),
    ]


def test_yaml_stack_exact_findings_and_nothing_else() -> None:
    result = yaml(YAML_STACK)
    assert placed(YAML_STACK, result.findings) == [
        ("INVALID_ACTION", 93, 29),  # connect:ListUsrs, a plain scalar
        ("INVALID_SERVICE_IN_ACTION", 101, 31),  # !Sub "conect:${ConnectAction}"
        ("MISSING_VERSION", 114, 9),  # the managed policy's document
        ("INVALID_EFFECT", 120, 21),  # Effect: Allowed
    ]
    by_code = {f.code: f for f in result.findings}
    assert by_code["INVALID_ACTION"].message.startswith(
        'AgentRole.Policies[0]: "connect:ListUsrs" is not an action')
    assert by_code["INVALID_SERVICE_IN_ACTION"].message.startswith(
        'AgentRole.Policies[1]: "conect" is not an AWS service prefix')
    assert by_code["INVALID_EFFECT"].data["policy"] == "SupervisorPolicy.PolicyDocument"
    # Fixes in YAML syntax: the did-you-mean on a plain scalar and the new "Version" line;
    # nothing for the "!Sub" with a variable.
    assert {f.code: len(f.fixes) for f in result.findings} == {
        "INVALID_ACTION": 2, "INVALID_SERVICE_IN_ACTION": 0, "MISSING_VERSION": 1,
        "INVALID_EFFECT": 0}


def test_yaml_finding_ranges_cover_the_offending_text() -> None:
    result = yaml(YAML_STACK)
    texts = {f.code: YAML_STACK[f.span.start:f.span.end] for f in result.findings}
    assert texts["INVALID_ACTION"] == "ListUsrs"
    assert texts["INVALID_SERVICE_IN_ACTION"].startswith("conect")
    assert texts["INVALID_EFFECT"] == "Allowed"


def test_json_stack_has_the_same_findings_at_its_own_places() -> None:
    result = analyze_host(JSON_STACK, HostKind.JSON)
    assert [p.label for p in result.policies] == [p.label for p in yaml(YAML_STACK).policies]
    assert placed(JSON_STACK, result.findings) == [
        ("INVALID_ACTION", 165, 30),
        ("INVALID_SERVICE_IN_ACTION", 191, 33),
        ("MISSING_VERSION", 241, 27),
        ("INVALID_EFFECT", 254, 25),
    ]


def _apply(text: str, finding: Finding) -> str:
    for edit in sorted(finding.fixes[0].edits, key=lambda e: e.span.start, reverse=True):
        text = text[:edit.span.start] + edit.new_text + text[edit.span.end:]
    return text


@pytest.mark.parametrize("code", ["INVALID_ACTION", "MISSING_VERSION"])
def test_json_template_fixes_edit_the_template(code: str) -> None:
    finding = next(f for f in analyze_host(JSON_STACK, HostKind.JSON).findings
                   if f.code == code)
    fixed = _apply(JSON_STACK, finding)
    json.loads(fixed)  # still valid JSON
    after = analyze_host(fixed, HostKind.JSON)
    assert code not in [f.code for f in after.findings]
    assert len(after.findings) == 3


def test_sub_without_variables_is_fully_known() -> None:
    template = """Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action:
              - !Sub "conect:DescribeUser"
              - !Sub "connect:DescribeUsr${!Literal}"
              - !Sub "${Service}:DescribeUser"
              - !Sub "connect:Describe${Thing}"
              - !Sub "connect:DescribeUsr${Thing}Extra"
            Resource: "*"
"""
    result = yaml(template)
    assert placed(template, result.findings) == [
        ("INVALID_SERVICE_IN_ACTION", 10, 23),  # no variable: the string is known
        ("INVALID_ACTION", 11, 23),  # ${!Literal} is literal text: checked as written
        # "${Service}:…" and "connect:Describe${Thing}" may be right: silent.
        ("INVALID_ACTION", 14, 23),  # no Amazon Connect action starts with DescribeUsr
    ]
    messages = [f.message for f in result.findings]
    assert '"connect:DescribeUsr${Literal}" is not an action' in messages[1]
    assert '"connect:DescribeUsr${Thing}Extra" matches no action' in messages[2]


def test_if_branches_are_each_checked_at_their_place() -> None:
    template = """Resources:
  P:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: p
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: !If [Prod, Allow, !Ref AWS::NoValue]
            Action: !If [Prod, "connect:ListUsers", "connect:ListUsrs"]
            Resource: !If [Prod, "*", !Ref AWS::NoValue]
          - !If
            - Prod
            - Effect: Alow
              Action: connect:ListQueus
              Resource: !GetAtt Queue.Arn
            - !Ref AWS::NoValue
"""
    result = yaml(template)
    assert placed(template, result.findings) == [
        ("INVALID_ACTION", 10, 62), ("INVALID_EFFECT", 14, 23), ("INVALID_ACTION", 15, 31)]


def test_intrinsics_in_every_element_are_never_errors() -> None:
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "PolicyDocument": {
                "Version": {"Ref": "PolicyVersion"},
                "Statement": [{
                    "Sid": {"Fn::Sub": "${Env}Read"},
                    "Effect": {"Fn::FindInMap": ["Effects", {"Ref": "Env"}, "Value"]},
                    "Action": [{"Fn::ImportValue": "shared-action"},
                               {"Fn::Select": [0, ["connect:ListUsers"]]}],
                    "Resource": [{"Fn::GetAtt": ["Queue", "Arn"]},
                                 {"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"},
                                                     "connect", "", "", "*"]]}],
                    "Condition": {"StringEquals": {"aws:ResourceTag/team": {"Ref": "Team"},
                                                   "aws:PrincipalAccount": [
                                                       {"Ref": "AWS::AccountId"}]}},
                }, {"Fn::If": ["Prod", {"Effect": "Allow", "Action": "s3:GetObject",
                                        "Resource": "*"}, {"Ref": "AWS::NoValue"}]}],
            }}}},
    }
    text = json.dumps(template, indent=2)
    result = analyze_host(text, HostKind.JSON)
    assert len(result.policies) == 1
    assert result.findings == []


def test_trust_policy_needs_no_resource_but_identity_policy_does() -> None:
    template = """Resources:
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
"""
    result = yaml(template)
    assert [(f.code, f.data["policy"]) for f in result.findings] == [
        ("MISSING_RESOURCE", "Role.Policies[0]")]


def test_plain_yaml_policy_is_checked_like_a_json_one() -> None:
    text = """# agents' access
Version: 2012-10-17
Statement:
  - Sid: Agents
    Effect: Allow
    Action:
      - connect:DescribeUser
      - "connect:ListUsrs"
    Resource: '*'
  - Effect: Alow
    Action: [connect:ListQueues, 'conect:ListPhoneNumbers']
    Resource: "*"
"""
    result = yaml(text)
    assert result.is_host and [p.label for p in result.policies] == [""]
    assert placed(text, result.findings) == [
        ("INVALID_ACTION", 8, 18), ("INVALID_EFFECT", 10, 13),
        ("INVALID_SERVICE_IN_ACTION", 11, 35)]


def test_a_lone_yaml_statement_is_a_policy_and_other_yaml_is_not() -> None:
    assert yaml("Effect: Allow\nAction: connect:ListUsrs\nResource: '*'\n").is_host
    for other in ("name: ci\non: [push]\njobs: {}\n", "", "- a\n- b\n", "just text\n",
                  "key: [unclosed\n"):
        result = yaml(other)
        assert not result.is_host and result.findings == []


def test_a_json_file_without_resources_is_not_a_template() -> None:
    assert not analyze_host('{"Version": "2012-10-17", "Statement": []}',
                            HostKind.JSON).is_host


def test_code_points_not_bytes_after_non_ascii_text() -> None:
    text = """Description: "Centre d'appels — ñandú 日本 🎧"
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Description: é🎧
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: "connect:ListUsrs", Resource: "*"}
"""
    (finding,) = yaml(text).findings
    assert text[finding.span.start:finding.span.end] == "ListUsrs"


def test_resource_policies_and_sam_entries_of_every_form() -> None:
    statement = ("{Effect: Allow, Principal: {Service: sns.amazonaws.com}, Action: %s, "
                 "Resource: '*', Condition: {ArnLike: {'aws:SourceArn': !Ref Topic}}}")
    template = f"""Transform: AWS::Serverless-2016-10-31
Resources:
  QueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Queue]
      PolicyDocument: {{Version: "2012-10-17", Statement: [{statement % "sqs:SendMessage"}]}}
  TopicPolicy:
    Type: AWS::SNS::TopicPolicy
    Properties:
      PolicyDocument: {{Version: "2012-10-17", Statement: [{statement % "sns:Publsh"}]}}
  Secret:
    Type: AWS::SecretsManager::ResourcePolicy
    Properties:
      ResourcePolicy:
        Version: "2012-10-17"
        Statement: [{statement % "secretsmanager:GetSecretValue"}]
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Policies:
        Version: "2012-10-17"
        Statement: [{{Effect: Allow, Action: connect:StartChatContact, Resource: "*"}}]
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - !If
          - Prod
          - Statement: [{{Effect: Allow, Action: connect:GetMetricData, Resource: "*"}}]
          - !Ref AWS::NoValue
        - !Ref SharedPolicyArn
        - SQSPollerPolicy: {{QueueName: !GetAtt Queue.QueueName}}
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: !If [Prod, {{Statement: []}}, !Ref AWS::NoValue]
"""
    result = yaml(template)
    assert [(p.label, p.policy_type.value) for p in result.policies] == [
        ("QueuePolicy.PolicyDocument", "resource"), ("TopicPolicy.PolicyDocument", "resource"),
        ("Secret.ResourcePolicy", "resource"), ("Flow.Policies", "identity"),
        ("Fn.Policies[0]", "identity"), ("Managed.PolicyDocument", "identity")]
    # A SAM document may leave out Version (then IAM reads it as 2008-10-17): a warning.
    assert [(f.code, f.data["policy"]) for f in result.findings] == [
        ("INVALID_ACTION", "TopicPolicy.PolicyDocument"),
        ("MISSING_VERSION", "Fn.Policies[0]"),
        ("MISSING_VERSION", "Managed.PolicyDocument")]


def _fixed_yaml(text: str, finding: Finding) -> str:
    fixed = _apply(text, finding)
    assert not parse_yaml(fixed).errors
    return fixed


def test_yaml_fixes_leave_valid_yaml_and_remove_the_finding() -> None:
    finding = next(f for f in yaml(YAML_STACK).findings if f.code == "INVALID_ACTION")
    fixed = _fixed_yaml(YAML_STACK, finding)
    assert "                  - connect:ListUsers\n" in fixed
    assert [f.code for f in yaml(fixed).findings] == [
        "INVALID_SERVICE_IN_ACTION", "MISSING_VERSION", "INVALID_EFFECT"]


def test_yaml_fixes_in_quoted_scalars() -> None:
    text = """Version: "2012-10-17"
Statement:
  - Effect: Allow
    Action: ["connect:ListUsrs", 'conect:ListQueues', connect:DescribeUsr]
    Resource: "*"
"""
    findings = yaml(text).findings
    assert [f.code for f in findings] == [
        "INVALID_ACTION", "INVALID_SERVICE_IN_ACTION", "INVALID_ACTION"]
    assert all(f.fixes for f in findings)
    for finding in findings:
        fixed = _fixed_yaml(text, finding)
        assert finding.code not in [f.code for f in yaml(fixed).findings if
                                    f.span.start == finding.span.start]
    assert "'connect:ListQueues'" in _fixed_yaml(text, findings[1])


@pytest.mark.parametrize(("scalar", "new_text", "written"), [
    ("connect:ListUsrs", "ListUsers", "connect:ListUsers"),
    # Text that a plain scalar cannot hold as it is: the scalar is double-quoted.
    ("connect:ListUsrs", "List Users", '"connect:List Users"'),
    ("connect:ListUsrs", "List#Users", '"connect:List#Users"'),
    ("abc", "yes", '"yes"'),  # a plain `yes` is a boolean in YAML 1.1
    ("abc", "12", '"12"'),
    ("abc", "a:", '"a:"'),
    ("abc", "Null", '"Null"'),
    ("'abc'", "it's", "'it''s'"),  # single-quoted stays so, its quote doubled
    ("'abc'", "ok", "'ok'"),
    ('"abc"', 'say \\"hi\\"', '"say \\"hi\\""'),  # JSON escapes are YAML's too
    ("'abc'", "a\\nb", '"a\\nb"'),  # a line break needs double quotes
])
def test_replacements_in_each_scalar_style(scalar: str, new_text: str, written: str) -> None:
    text = f"Action: {scalar}\n"
    (root,) = parse_yaml(text).roots
    assert root is not None
    node = root.members[0].value if isinstance(root, JsonObject) else None
    assert isinstance(node, JsonString)
    content = node.content_span()
    start = content.start + (len("connect:") if scalar.startswith("connect:") else 0)
    fix = Fix("t", (TextEdit(Span(start, content.end), new_text),))
    finding = Finding("INVALID_ACTION", "m", content, (fix,))
    (rendered,) = yaml_fixes(finding, YamlNodes(root, text), text).fixes
    assert _apply_fix(text, rendered) == f"Action: {written}\n"
    assert not parse_yaml(_apply_fix(text, rendered)).errors


def _apply_fix(text: str, fix: Fix) -> str:
    for edit in sorted(fix.edits, key=lambda e: e.span.start, reverse=True):
        text = text[:edit.span.start] + edit.new_text + text[edit.span.end:]
    return text

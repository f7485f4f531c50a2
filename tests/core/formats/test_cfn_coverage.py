"""Where templates hold policies (every resource type and property of the A1 table, SAM APIs,
the one statement of an EventBridge bus policy, Organizations' SCPs and RCPs), template
parameters with one allowed value, and SAM policy templates."""

from __future__ import annotations

import json

import pytest

from connect_policy.document.json_edits import apply_edits
from connect_policy.document.policy import PolicyType
from connect_policy.findings import CODES, Finding, code_link
from connect_policy.formats.cloudformation import LOCATIONS, STATEMENT_LOCATIONS
from connect_policy.formats.host import HostAnalysis, HostKind, analyze_host
from connect_policy.formats.sam_templates import policy_templates
from connect_policy.formats.yaml_tree import parse_yaml

STATEMENT = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
             "Action": "s3:GetObjet", "Resource": "*"}


def _nested(path: tuple[str, ...], value: object) -> object:
    for step in reversed(path):
        value = [value] if step == "*" else {step: value}
    return value


def _json_template(resources: dict[str, object], **top: object) -> str:
    return json.dumps({"AWSTemplateFormatVersion": "2010-09-09", **top,
                       "Resources": resources}, indent=2)


def yaml(text: str) -> HostAnalysis:
    return analyze_host(text, HostKind.YAML)


LOCATED = [(kind, path, policy_type) for kind, locations in sorted(LOCATIONS.items())
           for path, policy_type in locations]


@pytest.mark.parametrize(("kind", "path", "policy_type"), LOCATED,
                         ids=[f"{k}:{'.'.join(p)}" for k, p, _ in LOCATED])
def test_every_location_is_read_with_its_policy_type(kind: str, path: tuple[str, ...],
                                                     policy_type: PolicyType) -> None:
    # A statement right for the type but for its action's typo: an identity policy names no
    # principal, a role's trust policy no resource.
    statement = {key: value for key, value in STATEMENT.items() if not (
        (key == "Principal" and policy_type is PolicyType.IDENTITY) or
        (key == "Resource" and policy_type is PolicyType.TRUST))}
    document = {"Version": "2012-10-17", "Statement": [statement]}
    properties = _nested(path, document)
    text = _json_template({"Res": {"Type": kind, "Properties": properties}})
    result = analyze_host(text, HostKind.JSON)
    assert [p.policy_type for p in result.policies] == [policy_type]
    assert [f.code for f in result.findings] == ["INVALID_ACTION"]
    assert result.findings[0].data["policy"].startswith("Res")


def test_an_eventbridge_bus_policy_statement_is_checked_alone_and_never_wrapped() -> None:
    text = """Resources:
  BusPolicy:
    Type: AWS::Events::EventBusPolicy
    Properties:
      StatementId: partner
      Statement:
        Effect: Allow
        Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::123456789012:root"}
        Action: events:PutEvent
        Resource: !GetAtt Bus.Arn
"""
    result = yaml(text)
    assert [(p.label, p.policy_type) for p in result.policies] == [
        ("BusPolicy.Statement", STATEMENT_LOCATIONS["AWS::Events::EventBusPolicy"][1])]
    (finding,) = result.findings
    assert finding.code == "INVALID_ACTION"  # no MISSING_VERSION: it is a statement
    fixed = apply_edits(text, finding.fixes[0].edits)
    assert "Action: events:PutEvents\n" in fixed and yaml(fixed).findings == []


def test_sam_api_resource_policies_and_the_execute_api_shorthand() -> None:
    text = """Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ResourcePolicy:
          CustomStatements:
            - Effect: Allow
              Principal: "*"
              Action: execute-api:Invok
              Resource: execute-api:/*
            - {Effect: Deny, Principal: "*", Action: execute-api:Invoke,
               Resource: ["execute-api:/*/POST/admin", "arn:aws:execute-api:us-east-1:1:x/*"]}
  Rest:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Policy:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: "execute-api:/*"}
"""
    result = yaml(text)
    assert [p.label for p in result.policies] == ["Api.Auth.ResourcePolicy.CustomStatements",
                                                  "Rest.Policy"]
    # The shorthand API Gateway completes is no ARN error; a real ARN is still checked.
    assert [(f.code, text[f.span.start:f.span.end]) for f in result.findings] == [
        ("INVALID_ACTION", "Invok"), ("INVALID_ARN_ACCOUNT", "1")]


@pytest.mark.parametrize(("organizations_type", "policies", "codes"), [
    ("SERVICE_CONTROL_POLICY", [PolicyType.SERVICE_CONTROL], ["INVALID_ACTION"]),
    # An RCP's statement needs "Principal": "*", and RCPs do not apply to Amazon Connect.
    ("RESOURCE_CONTROL_POLICY", [PolicyType.RESOURCE_CONTROL],
     ["MISSING_PRINCIPAL", "RCP_UNSUPPORTED_SERVICE", "INVALID_ACTION"]),
    ("TAG_POLICY", [], []), ("BACKUP_POLICY", [], []),
])
def test_organizations_policies_of_iam_types_only(organizations_type: str,
                                                  policies: list[PolicyType],
                                                  codes: list[str]) -> None:
    text = f"""Resources:
  Guardrail:
    Type: AWS::Organizations::Policy
    Properties:
      Name: guardrail
      Type: {organizations_type}
      Content:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Action: connect:DeleteInstnce
"""
    result = yaml(text)
    assert [p.policy_type for p in result.policies] == policies
    # No "Resource" in an SCP or RCP statement is for Organizations to judge: not reported.
    assert [f.code for f in result.findings] == codes


PARAMETERS = """Parameters:
  ConnectAction:
    Type: String
    AllowedValues: [ListUsrs]
  Verb:
    Type: String
    AllowedValues: [List, Describe]
  Effect:
    Type: String
    Default: Alow
"""


def test_a_parameter_with_one_allowed_value_is_known_and_a_default_never() -> None:
    text = PARAMETERS + """Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: !Ref Effect
            Action:
              - !Sub "connect:${ConnectAction}"
              - !Ref ConnectAction
              - !Sub "connect:${Verb}Users"
            Resource: "*"
"""
    result = yaml(text)
    assert [(f.code, text[f.span.start:f.span.end]) for f in result.findings] == [
        ("INVALID_ACTION", "connect:${ConnectAction}"),
        ("INVALID_ACTION", "!Ref ConnectAction")]
    assert '"connect:ListUsrs" is not an action' in result.findings[0].message
    # The value is the parameter's: fixed there, not by rewriting the reference.
    assert all(f.fixes == () for f in result.findings)


def test_a_known_parameter_in_a_json_template_gets_no_fix_either() -> None:
    text = _json_template(
        {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Resource": "*",
                "Action": {"Fn::Sub": "connect:${ConnectAction}"}}]}}}},
        Parameters={"ConnectAction": {"Type": "String", "AllowedValues": ["ListUsrs"]}})
    (finding,) = analyze_host(text, HostKind.JSON).findings
    assert finding.code == "INVALID_ACTION" and finding.fixes == ()


SAM = """Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Policies:
        - AWSLambdaBasicExecutionRole
        - S3ReadPolicy: {BucketName: !Ref Bucket}
        - S3ReadPolicey:
            BucketName: recordings
        - DynamoDBCrudPolicy: {TableNam: contacts}
        - AMIDescribePolicy: {}
        - CloudWatchPutMetricPolicy:
        - !If [Prod, {SQSPollerPolicy: {QueueName: q}}, {SQSPolerPolicy: {QueueName: q}}]
        - Statement: [{Effect: Allow, Action: connect:ListUsers, Resource: "*"}]
"""


def _sam(text: str) -> list[tuple[str, str, str]]:
    return [(f.code, text[f.span.start:f.span.end], f.data["policy"])
            for f in yaml(text).findings]


def test_sam_policy_templates_names_and_parameters() -> None:
    assert _sam(SAM) == [
        ("UNKNOWN_SAM_POLICY_TEMPLATE", "S3ReadPolicey", "Fn.Policies[2]"),
        ("MISSING_SAM_POLICY_TEMPLATE_PARAMETER", "DynamoDBCrudPolicy", "Fn.Policies[3]"),
        ("UNKNOWN_SAM_POLICY_TEMPLATE_PARAMETER", "TableNam", "Fn.Policies[3]"),
        ("MISSING_SAM_POLICY_TEMPLATE_PARAMETER", "CloudWatchPutMetricPolicy", "Fn.Policies[5]"),
        ("UNKNOWN_SAM_POLICY_TEMPLATE", "SQSPolerPolicy", "Fn.Policies[7]"),
        ("MISSING_VERSION", "Statement", "Fn.Policies[8]"),
    ]
    by_text = {text: f for f in yaml(SAM).findings
               for text in [SAM[f.span.start:f.span.end]]}
    assert 'did you mean "S3ReadPolicy"?' in by_text["S3ReadPolicey"].message
    assert '"DynamoDBCrudPolicy" needs a value for "TableName"' in by_text[
        "DynamoDBCrudPolicy"].message


@pytest.mark.parametrize(("wrong", "right"), [("S3ReadPolicey", "S3ReadPolicy"),
                                              ("TableNam", "TableName"),
                                              ("SQSPolerPolicy", "SQSPollerPolicy")])
def test_sam_did_you_mean_fixes_rename_the_key(wrong: str, right: str) -> None:
    finding = next(f for f in yaml(SAM).findings if SAM[f.span.start:f.span.end] == wrong)
    fixed = apply_edits(SAM, finding.fixes[0].edits)
    assert not parse_yaml(fixed).errors
    assert f"{right}:" in fixed
    assert wrong not in [fixed[f.span.start:f.span.end] for f in yaml(fixed).findings]


def test_sam_templates_in_a_json_template() -> None:
    text = _json_template({"Fn": {"Type": "AWS::Serverless::Function", "Properties": {
        "Policies": [{"S3ReadPolicey": {"BucketName": "b"}}, {"S3CrudPolicy": {}}]}}},
        Transform="AWS::Serverless-2016-10-31")
    findings: list[Finding] = analyze_host(text, HostKind.JSON).findings
    assert [f.code for f in findings] == ["UNKNOWN_SAM_POLICY_TEMPLATE",
                                          "MISSING_SAM_POLICY_TEMPLATE_PARAMETER"]
    fixed = apply_edits(text, findings[0].fixes[0].edits)
    assert json.loads(fixed)["Resources"]["Fn"]["Properties"]["Policies"][0] == {
        "S3ReadPolicy": {"BucketName": "b"}}


def test_the_sam_data_and_the_new_codes() -> None:
    templates = policy_templates()
    assert len(templates) >= 80
    assert templates["S3ReadPolicy"] == ("BucketName",)
    assert templates["AMIDescribePolicy"] == ()
    for code in ("UNKNOWN_SAM_POLICY_TEMPLATE", "MISSING_SAM_POLICY_TEMPLATE_PARAMETER",
                 "UNKNOWN_SAM_POLICY_TEMPLATE_PARAMETER"):
        assert code in CODES and "serverless-policy-template-list" in code_link(code)

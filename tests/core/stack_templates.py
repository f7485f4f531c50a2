"""A large, real-shaped CloudFormation stack for the template benchmark and the typing tests:
an Amazon Connect contact center with `policies` IAM policies (roles with inline policies,
managed policies, a KMS key policy, bucket policies) among many other resources, written
as YAML (short intrinsic tags) or JSON (long form). About 3,000 lines for 40 policies.

`stack_template("yaml", policies=40)` -> the text. Each policy has an action list with a
`connect:DescribeQueue` item: the typing tests and the benchmark edit there.
"""

from __future__ import annotations

import json
from typing import Any

# A marker for an intrinsic function: written `!Sub x` in YAML and {"Fn::Sub": x} in JSON.
Intrinsic = tuple[str, Any]

_ACTIONS = ["connect:DescribeQueue", "connect:ListQueues", "connect:DescribeUser",
            "connect:ListUsers", "connect:GetCurrentMetricData",
            "connect:StartOutboundVoiceContact",
            "wisdom:GetKnowledgeBase", "app-integrations:GetEventIntegration",
            "connect-campaigns:DescribeCampaign", "connect:ListContactFlows"]
_INSTANCE = ("Sub", "arn:${AWS::Partition}:connect:${AWS::Region}:${AWS::AccountId}"
                    ":instance/${InstanceId}")


def _statement(i: int) -> dict[str, Any]:
    actions = [_ACTIONS[(i + k) % len(_ACTIONS)] for k in range(4)]
    if "connect:DescribeQueue" not in actions:
        actions[0] = "connect:DescribeQueue"
    return {"Sid": f"Directory{i}", "Effect": "Allow", "Action": actions,
            "Resource": [("Sub", _INSTANCE[1] + "/*"), _INSTANCE]}


# What AWS recommends for a service principal in a resource policy (the confused deputy):
# the service acts only for resources of this account.
_FROM_THIS_ACCOUNT = {"StringEquals": {"aws:SourceAccount": ("Ref", "AWS::AccountId")}}


def _identity_document(i: int) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [
        _statement(i),
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
         "Resource": ("Sub", "arn:${AWS::Partition}:s3:::${RecordingsBucket}/agent-" + str(i)
                      + "/*")},
        {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": ("GetAtt", "RecordingsKey.Arn"),
         "Condition": {"StringEquals": {"kms:ViaService": ("Sub", "s3.${AWS::Region}"
                                                                  ".amazonaws.com")}}},
    ]}


def _filler(i: int) -> dict[str, Any]:
    """Resources without policies: queues, topics, functions, log groups."""
    kinds = [
        {"Type": "AWS::SQS::Queue", "Properties": {
            "QueueName": ("Sub", "${EnvName}-contacts-" + str(i)), "VisibilityTimeout": 60,
            "MessageRetentionPeriod": 345600, "Tags": [{"Key": "team", "Value": "contact"}]}},
        {"Type": "AWS::SNS::Topic", "Properties": {
            "TopicName": ("Sub", "${EnvName}-alerts-" + str(i)), "DisplayName": f"Alerts {i}"}},
        {"Type": "AWS::Logs::LogGroup", "Properties": {
            "LogGroupName": ("Sub", "/connect/${EnvName}/flow-" + str(i)),
            "RetentionInDays": 30}},
        {"Type": "AWS::Lambda::Function", "Properties": {
            "FunctionName": ("Sub", "${EnvName}-router-" + str(i)), "Runtime": "python3.12",
            "Handler": "app.handler", "Role": ("GetAtt", f"Role{i % 7}.Arn"),
            "Timeout": 8, "MemorySize": 256,
            "Environment": {"Variables": {"INSTANCE_ID": ("Ref", "InstanceId"),
                                          "TABLE": f"routing-{i}"}},
            "Code": {"ZipFile": "def handler(event, context):\n    return event\n"}}},
    ]
    return kinds[i % len(kinds)]


def stack(policies: int = 40, fillers: int = 360) -> dict[str, Any]:
    """The template as nested dicts and lists, intrinsics as (name, argument) tuples."""
    resources: dict[str, Any] = {
        "RecordingsKey": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {
            "Version": "2012-10-17", "Statement": [
                {"Sid": "AccountAdmin", "Effect": "Allow",
                 "Principal": {"AWS": ("Sub", "arn:${AWS::Partition}:iam::${AWS::AccountId}"
                                              ":root")},
                 "Action": "kms:*", "Resource": "*"},
                {"Sid": "ConnectUse", "Effect": "Allow",
                 "Principal": {"Service": "connect.amazonaws.com"},
                 "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey",
                            "connect:DescribeQueue"],
                 "Resource": "*", "Condition": _FROM_THIS_ACCOUNT}]}}},
        "RecordingsBucket": {"Type": "AWS::S3::Bucket", "Properties": {
            "BucketName": ("Sub", "${EnvName}-recordings-${AWS::AccountId}")}},
    }
    made = 1
    i = 0
    while made < policies:
        if i % 3 == 0:
            resources[f"Role{i}"] = {"Type": "AWS::IAM::Role", "Properties": {
                "RoleName": ("Sub", "${EnvName}-agent-" + str(i)),
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                     "Action": "sts:AssumeRole"}]},
                "Policies": [{"PolicyName": f"directory-{i}",
                              "PolicyDocument": _identity_document(i)}]}}
            made += 2
        elif i % 3 == 1:
            resources[f"Managed{i}"] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
                "ManagedPolicyName": ("Sub", "${EnvName}-supervisor-" + str(i)),
                "PolicyDocument": _identity_document(i)}}
            made += 1
        else:
            resources[f"BucketPolicy{i}"] = {"Type": "AWS::S3::BucketPolicy", "Properties": {
                "Bucket": ("Ref", "RecordingsBucket"), "PolicyDocument": {
                    "Version": "2012-10-17", "Statement": [
                        {"Sid": "ConnectWrites", "Effect": "Allow",
                         "Principal": {"Service": "connect.amazonaws.com"},
                         "Action": ["s3:PutObject", "connect:DescribeQueue"],
                         "Resource": ("Sub", "${RecordingsBucket.Arn}/" + str(i) + "/*"),
                         "Condition": _FROM_THIS_ACCOUNT},
                        {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*",
                         "Action": "s3:*",
                         "Resource": [("GetAtt", "RecordingsBucket.Arn"),
                                      ("Sub", "${RecordingsBucket.Arn}/*")],
                         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}}
            made += 1
        for k in range(fillers // policies + 1):
            resources[f"Filler{i}x{k}"] = _filler(i * 10 + k)
        i += 1
    return {"AWSTemplateFormatVersion": "2010-09-09",
            "Description": "Amazon Connect contact center (benchmark stack)",
            "Parameters": {"InstanceId": {"Type": "String"},
                           "EnvName": {"Type": "String", "AllowedValues": ["dev", "prod"]}},
            "Resources": resources,
            "Outputs": {"KeyArn": {"Value": ("GetAtt", "RecordingsKey.Arn")}}}


def stack_template(form: str, policies: int = 40, fillers: int = 360) -> str:
    """The stack as YAML (`form="yaml"`) or JSON (`"json"`) text."""
    template = stack(policies, fillers)
    return json_text(template) if form == "json" else yaml_text(template)


def yaml_text(value: Any) -> str:
    """Nested dicts and lists (intrinsics as (name, argument) tuples) as block-style YAML."""
    return "".join(_yaml_lines(value, 0))


def json_text(value: Any, indent: int | str | None = 2) -> str:
    """The same as JSON, intrinsics in the long form."""
    return json.dumps(_long_form(value), indent=indent) + "\n"


def _long_form(value: Any) -> Any:
    if isinstance(value, tuple):
        name, argument = value
        if name == "GetAtt":
            return {"Fn::GetAtt": argument.split(".", 1)}
        return {"Ref" if name == "Ref" else f"Fn::{name}": _long_form(argument)}
    if isinstance(value, dict):
        return {key: _long_form(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_long_form(item) for item in value]
    return value


def _scalar(value: Any) -> str:
    if isinstance(value, tuple):
        return f"!{value[0]} {_scalar(value[1])}"
    if isinstance(value, str):
        if "\n" in value:
            return json.dumps(value)
        plain = value and value[0] not in "*&!{[\"'#|>%@`-" and ": " not in value \
            and " #" not in value and value not in ("true", "false", "null") \
            and not value.replace(".", "").replace("-", "").isdigit()
        return value if plain else json.dumps(value)
    return json.dumps(value)


def _yaml_lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:\n")
                lines.extend(_yaml_lines(item, indent + 2))
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}\n")
    else:
        for item in value:
            if isinstance(item, dict) and item:
                inner = _yaml_lines(item, indent + 2)
                lines.append(f"{pad}- {inner[0][indent + 2:]}")
                lines.extend(inner[1:])
            elif isinstance(item, list) and item:
                lines.append(f"{pad}-\n")
                lines.extend(_yaml_lines(item, indent + 2))
            else:
                lines.append(f"{pad}- {_scalar(item)}\n")
    return lines

"""POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA: a resource policy longer than the service that
receives it accepts, checked where the host names that service (a template's resource type,
a Terraform resource), counted the service's way (bytes or characters, with or without
whitespace) over the compact JSON the host sends. The sizes are computed here independently:
PyYAML reads the template, `json.dumps` writes the compact JSON."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from test_korean_messages import assert_korean

from connect_policy.analysis import Settings, analyze, analyze_in_host
from connect_policy.checks.size import RESOURCE_POLICY_QUOTAS
from connect_policy.document.policy import PolicyType
from connect_policy.findings import Finding, FindingType
from connect_policy.formats.cloudformation import LOCATIONS
from connect_policy.formats.host import HostKind
from connect_policy.formats.terraform import POLICY_ARGUMENTS

CODE = "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA"
STATEMENT = """          - Sid: Reader{i}
            Effect: Allow
            Principal:
              AWS: arn:aws:iam::111122223333:role/recordings-reader-{i}
            Action: [s3:GetObject, s3:GetObjectVersion]
            Resource: arn:aws:s3:::amzn-connect-recordings/reader-{i}/*
"""


def bucket_template(statements: int, padding: str = "") -> str:
    """An S3 bucket policy of `statements` statements, the first Sid lengthened by `padding`."""
    body = "".join(STATEMENT.format(i=i) for i in range(statements))
    body = body.replace("Sid: Reader0\n", f"Sid: Reader0{padding}\n", 1)
    return ("Resources:\n  RecordingsBucketPolicy:\n    Type: AWS::S3::BucketPolicy\n"
            "    Properties:\n      Bucket: amzn-connect-recordings\n      PolicyDocument:\n"
            '        Version: "2012-10-17"\n        Statement:\n' + body)


def compact_document(text: str, logical_id: str, *path: str) -> str:
    node = yaml.safe_load(text)["Resources"][logical_id]["Properties"]
    for step in path:
        node = node[step]
    return json.dumps(node, separators=(",", ":"), ensure_ascii=False)


def without_whitespace(text: str) -> int:
    return len(re.sub(r"[ \t\r\n]", "", text))


def findings(text: str, kind: HostKind = HostKind.YAML) -> list[Finding]:
    analysis = analyze_in_host(text, kind)
    assert analysis is not None
    return [f for f in analysis.findings if f.code == CODE]


def test_an_s3_bucket_policy_over_its_20_kb() -> None:
    text = bucket_template(120)
    size = without_whitespace(compact_document(text, "RecordingsBucketPolicy",
                                               "PolicyDocument"))
    assert size > 20_480
    (finding,) = findings(text)
    assert finding.finding_type is FindingType.WARNING
    # At the document's first character, as the identity policy's quota warning.
    assert finding.span.start == text.index('Version: "2012-10-17"')
    assert finding.span.end == finding.span.start + 1
    assert finding.message == (
        f"RecordingsBucketPolicy.PolicyDocument: This policy has {size:,} characters without "
        f"whitespace, {size - 20_480:,} over the 20,480 allowed for an S3 bucket policy: "
        "shorten it (merge statements that repeat a principal or an action, use lists and "
        "wildcards) or grant part of the access through identity policies")
    assert finding.data == {"size": size, "quota": 20_480, "counting": "NON_WHITESPACE",
                            "policy": "RecordingsBucketPolicy.PolicyDocument"}
    assert_korean(finding)


def test_an_s3_bucket_policy_at_its_quota_passes() -> None:
    short = bucket_template(80)
    size = without_whitespace(compact_document(short, "RecordingsBucketPolicy",
                                               "PolicyDocument"))
    at_quota = bucket_template(80, "x" * (20_480 - size))
    assert without_whitespace(compact_document(at_quota, "RecordingsBucketPolicy",
                                               "PolicyDocument")) == 20_480
    assert findings(at_quota) == []
    assert len(findings(bucket_template(80, "x" * (20_481 - size)))) == 1


def test_a_kms_key_policy_counts_bytes() -> None:
    # 32,768 bytes: each "é" is two. The same number of characters is under the quota.
    sid = "é" * 16_500
    document = {"Version": "2012-10-17", "Statement": [{
        "Sid": sid, "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "kms:*", "Resource": "*"}]}
    text = json.dumps({"Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": {
        "KeyPolicy": document}}}}, indent=2, ensure_ascii=False)
    compact = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    assert len(compact) < 32_768 < len(compact.encode("utf-8"))
    (finding,) = findings(text, HostKind.JSON)
    assert finding.message.startswith(
        f"Key.KeyPolicy: This policy has {len(compact.encode('utf-8')):,} bytes, ")
    assert "allowed for a KMS key policy" in finding.message
    ascii_text = text.replace(sid, "e" * 16_500)
    assert findings(ascii_text, HostKind.JSON) == []


def test_a_dynamodb_table_policy_counts_whitespace_inside_values() -> None:
    # DynamoDB counts whitespace: the spaces of a Sid count, the template's indentation not.
    template = """Resources:
  Calls:
    Type: AWS::DynamoDB::Table
    Properties:
      ResourcePolicy:
        PolicyDocument:
          Version: "2012-10-17"
          Statement:
            - Sid: "SID"
              Effect: Allow
              Principal: {AWS: arn:aws:iam::111122223333:role/reader}
              Action: dynamodb:GetItem
              Resource: "*"
"""
    base = len(compact_document(template.replace("SID", ""), "Calls", "ResourcePolicy",
                                "PolicyDocument").encode("utf-8"))
    over = template.replace("SID", " " * (20_481 - base))
    (finding,) = findings(over)
    assert (finding.data["size"], finding.data["quota"], finding.data["counting"]) == (
        20_481, 20_480, "BYTES")
    assert findings(template.replace("SID", " " * (20_480 - base))) == []


def test_an_sqs_queue_policy_in_terraform() -> None:
    statement = (
        '{Sid = "SendN", Effect = "Allow", Principal = {Service = "events.amazonaws.com"}, '
        'Action = "sqs:SendMessage", Resource = "arn:aws:sqs:us-east-1:111122223333:'
        'contact-events", Condition = {ArnEquals = {"aws:SourceArn" = "arn:aws:events:'
        'us-east-1:111122223333:rule/contact-rule-N"}}}')
    statements = ", ".join(statement.replace("N", str(i)) for i in range(40))
    text = ('resource "aws_sqs_queue_policy" "events" {\n  queue_url = aws_sqs_queue.events.id\n'
            '  policy = jsonencode({Version = "2012-10-17", Statement = [' + statements
            + "]})\n}\n")
    (finding,) = findings(text, HostKind.TERRAFORM)
    assert text[finding.span.start:finding.span.end] == "{"
    assert finding.span.start == text.index("jsonencode(") + len("jsonencode(")
    assert "allowed for an SQS queue policy" in finding.message
    assert finding.data["quota"] == 8_192 and finding.data["size"] > 8_192


def test_no_quota_without_the_service() -> None:
    # A resource policy file of its own says nothing about its service: no size warning.
    text = bucket_template(150)
    document = compact_document(text, "RecordingsBucketPolicy", "PolicyDocument")
    analysis = analyze(json.dumps(json.loads(document), indent=2),
                       Settings(policy_type=PolicyType.RESOURCE))
    assert analysis.policy_type is PolicyType.RESOURCE
    assert CODE not in {f.code for f in analysis.findings}
    # Nor a service whose quota is not documented here (CloudWatch Logs).
    logs = text.replace("AWS::S3::BucketPolicy", "AWS::Logs::ResourcePolicy")
    assert findings(logs) == []


@pytest.mark.parametrize("resource_type", sorted(RESOURCE_POLICY_QUOTAS))
def test_every_quota_is_for_a_place_that_holds_a_resource_policy(resource_type: str) -> None:
    # A typo in a type name would leave its quota unused.
    places = [policy_type for _path, policy_type in LOCATIONS.get(resource_type, ())] + list(
        POLICY_ARGUMENTS.get(resource_type, {}).values())
    assert PolicyType.RESOURCE in places


def test_a_policy_document_consumed_by_one_bucket_policy() -> None:
    statements = "".join(f"""
  statement {{
    sid       = "Reader{i}"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["arn:aws:s3:::amzn-connect-recordings/reader-{i}/*"]
    principals {{
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/recordings-reader-{i}"]
    }}
  }}""" for i in range(130))
    text = (f'data "aws_iam_policy_document" "recordings" {{{statements}\n}}\n\n'
            'resource "aws_s3_bucket_policy" "recordings" {\n'
            "  bucket = aws_s3_bucket.recordings.id\n"
            "  policy = data.aws_iam_policy_document.recordings.json\n}\n")
    (finding,) = findings(text, HostKind.TERRAFORM)
    # At the start of the data block, which stands for the document.
    assert (finding.span.start, finding.span.end) == (0, 1)
    assert finding.message.startswith("data.aws_iam_policy_document.recordings: This policy "
                                      "has ")
    assert "allowed for an S3 bucket policy" in finding.message
    # Also consumed by an SQS queue policy: which service's quota applies is not known.
    shared = text + ('resource "aws_sqs_queue_policy" "events" {\n  queue_url = "q"\n'
                     "  policy = data.aws_iam_policy_document.recordings.json\n}\n")
    assert findings(shared, HostKind.TERRAFORM) == []

"""The policy size quotas: POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA,
POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA and POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA: a
policy longer than the service that receives it accepts.

IAM counts a policy's characters without whitespace. IAM Access Analyzer warns above 10,240
such characters ("the character maximum for inline and managed policies"); its findings on the
AWS managed policies are reproduced exactly by counting every character of the document except
spaces, tabs and line breaks (pretty-printing does not change the count). The warning sits on
the opening brace of the document.

A role's trust policy is limited to 2,048 such characters by default (IAM's quotas page,
"Role trust policy length"; a quota the account can have raised).

A resource policy's quota is the receiving service's (`RESOURCE_POLICY_QUOTAS`, each with the
page that states it), so it is checked only where the host names the resource the policy
belongs to (a template's `AWS::S3::BucketPolicy`, Terraform's `aws_kms_key`): a policy file of
its own says nothing about its service. Each service counts its own way: bytes or characters,
whitespace included, as its documentation says; where it does not say, as IAM counts. The text
counted is the compact JSON the host sends (CloudFormation converts YAML to JSON, Terraform's
`jsonencode` writes it compact): the smallest form the service can receive, so a warning is
never a matter of layout.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from ..document.policy import PolicyType
from ..document.syntax import JsonValue, to_python
from ..document.text import Span
from ..findings import Finding
from .context import CheckContext

IDENTITY_POLICY_QUOTA = 10_240
ROLE_TRUST_POLICY_QUOTA = 2_048
MANAGED_POLICY_QUOTA = 6_144
_WHITESPACE = (" ", "\t", "\n", "\r")


def policy_size(text: str) -> int:
    """Characters IAM counts against the quota: all but whitespace."""
    return len(text) - sum(text.count(ch) for ch in _WHITESPACE)


class Counting(Enum):
    """How a service measures a policy against its quota."""

    NON_WHITESPACE = "characters without whitespace"  # IAM's way
    CHARACTERS = "characters"
    BYTES = "bytes"  # of the UTF-8 text


@dataclass(frozen=True, slots=True)
class ResourceQuota:
    what: str  # the policy, as the message names it
    what_ko: str
    limit: int
    counting: Counting


_S3 = ResourceQuota("an S3 bucket policy", "S3 버킷 정책", 20_480, Counting.NON_WHITESPACE)
_KMS = ResourceQuota("a KMS key policy", "KMS 키 정책", 32_768, Counting.BYTES)
_SQS = ResourceQuota("an SQS queue policy", "SQS 대기열 정책", 8_192, Counting.BYTES)
_SNS = ResourceQuota("an SNS topic policy", "SNS 주제 정책", 30_720, Counting.BYTES)
_DYNAMODB = ResourceQuota("a DynamoDB resource-based policy", "DynamoDB 리소스 기반 정책",
                          20_480, Counting.BYTES)
_ECR = ResourceQuota("an ECR repository policy", "ECR 리포지토리 정책", 10_240,
                     Counting.CHARACTERS)

# The quotas by the host's resource type (CloudFormation's and Terraform's), only those a
# service's documentation states:
RESOURCE_POLICY_QUOTAS: dict[str, ResourceQuota] = {
    # "Bucket policies are limited to 20 KB in size"; how S3 counts is not said: as IAM.
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html
    "AWS::S3::BucketPolicy": _S3,
    "aws_s3_bucket_policy": _S3,
    # A key policy document: "Up to 32 kilobytes (32,768 bytes)".
    # https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
    "AWS::KMS::Key": _KMS,
    "AWS::KMS::ReplicaKey": _KMS,
    "aws_kms_key": _KMS,
    "aws_kms_key_policy": _KMS,
    # Amazon SQS policy quotas: "Bytes 8,192".
    # https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-policies.html
    "AWS::SQS::QueuePolicy": _SQS,
    "AWS::SQS::QueueInlinePolicy": _SQS,
    "aws_sqs_queue": _SQS,
    "aws_sqs_queue_policy": _SQS,
    # Amazon SNS policy quotas: "Bytes 30 kb".
    # https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-language-api-permissions-reference.html
    "AWS::SNS::TopicPolicy": _SNS,
    "AWS::SNS::TopicInlinePolicy": _SNS,
    "aws_sns_topic_policy": _SNS,
    # "The maximum size supported for a resource-based policy document is 20 KB. DynamoDB
    # counts whitespaces when calculating the size of a policy against this limit."
    # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-considerations.html
    "AWS::DynamoDB::Table": _DYNAMODB,
    # SetRepositoryPolicy's policyText: "Maximum length of 10240".
    # https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_SetRepositoryPolicy.html
    "AWS::ECR::Repository": _ECR,
}


def resource_policy_size(compact: str, counting: Counting) -> int:
    """The size of the compact JSON text `compact`, as a service counts it."""
    if counting is Counting.BYTES:
        # (A lone surrogate, which JSON's escapes can write, counts as its three bytes.)
        return len(compact.encode("utf-8", "surrogatepass"))
    if counting is Counting.CHARACTERS:
        return len(compact)
    return policy_size(compact)


def check(context: CheckContext) -> Iterator[Finding]:
    root = context.policy.root
    if root is None:
        return
    if context.policy_type is PolicyType.RESOURCE:
        yield from _resource_policy(context, root)
        return
    if not (context.is_identity or context.policy_type is PolicyType.TRUST):
        return
    if not context.in_host:
        size = policy_size(context.text)
    else:
        # In a template the text around the policy is not the policy, and YAML is not what
        # IAM receives: count the JSON that CloudFormation sends.
        size = policy_size(json.dumps(to_python(root), separators=(",", ":"),
                                      ensure_ascii=False))
    if context.policy_type is PolicyType.TRUST:
        yield from _trust_policy(size, Span(root.start, root.start + 1))
        return
    if size <= IDENTITY_POLICY_QUOTA:
        return
    over = size - IDENTITY_POLICY_QUOTA
    yield Finding(
        "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
        f"This policy has {size:,} characters without whitespace, {over:,} over the "
        f"{IDENTITY_POLICY_QUOTA:,} allowed for an identity policy (IAM caps a role's inline "
        f"policies at {IDENTITY_POLICY_QUOTA:,} in total and a customer managed policy at "
        f"{MANAGED_POLICY_QUOTA:,}): split it into several smaller policies, or shorten it "
        'with wildcards such as "connect:Describe*"',
        Span(root.start, root.start + 1), (),
        {"size": size, "quota": IDENTITY_POLICY_QUOTA},
        translations={"ko": (
            f"이 정책은 공백을 제외하고 {size:,}자로, ID 기반 정책에 허용되는 "
            f"{IDENTITY_POLICY_QUOTA:,}자를 {over:,}자 넘습니다(IAM은 역할의 인라인 정책을 합계 "
            f"{IDENTITY_POLICY_QUOTA:,}자, 고객 관리형 정책을 {MANAGED_POLICY_QUOTA:,}자로 "
            '제한합니다). 여러 개의 작은 정책으로 나누거나 "connect:Describe*" 같은 '
            "와일드카드로 줄이세요")})


def _trust_policy(size: int, span: Span) -> Iterator[Finding]:
    if size <= ROLE_TRUST_POLICY_QUOTA:
        return
    over = size - ROLE_TRUST_POLICY_QUOTA
    yield Finding(
        "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
        f"This trust policy has {size:,} characters without whitespace, {over:,} over the "
        f"{ROLE_TRUST_POLICY_QUOTA:,} IAM allows by default for a role's trust policy: "
        "shorten it (one statement per kind of principal, lists instead of repeated "
        "statements), or have the account's quota raised", span, (),
        {"size": size, "quota": ROLE_TRUST_POLICY_QUOTA},
        translations={"ko": (
            f"이 신뢰 정책은 공백을 제외하고 {size:,}자로, IAM이 역할 신뢰 정책에 기본으로 "
            f"허용하는 {ROLE_TRUST_POLICY_QUOTA:,}자를 {over:,}자 넘습니다. 정책을 줄이거나"
            "(보안 주체 종류마다 문 하나, 반복되는 문 대신 목록) 계정의 할당량을 늘리세요.")})


def _resource_policy(context: CheckContext, root: JsonValue) -> Iterator[Finding]:
    quota = RESOURCE_POLICY_QUOTAS.get(context.resource_type or "")
    if quota is None or not context.in_host:
        return
    compact = json.dumps(to_python(root), separators=(",", ":"), ensure_ascii=False)
    size = resource_policy_size(compact, quota.counting)
    if size <= quota.limit:
        return
    over, unit = size - quota.limit, quota.counting.value
    unit_ko = {Counting.NON_WHITESPACE: "자(공백 제외)", Counting.CHARACTERS: "자",
               Counting.BYTES: "바이트"}[quota.counting]
    yield Finding(
        "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA",
        f"This policy has {size:,} {unit}, {over:,} over the {quota.limit:,} allowed for "
        f"{quota.what}: shorten it (merge statements that repeat a principal or an action, "
        "use lists and wildcards) or grant part of the access through identity policies",
        Span(root.start, root.start + 1), (),
        {"size": size, "quota": quota.limit, "counting": quota.counting.name},
        translations={"ko": (
            f"이 정책은 {size:,}{unit_ko}로, {quota.what_ko}에 허용되는 {quota.limit:,}"
            f"{unit_ko}를 {over:,}만큼 넘습니다. 정책을 줄이거나(같은 보안 주체나 작업을 "
            "반복하는 문을 합치고 목록과 와일드카드 사용) 액세스 일부를 ID 기반 정책으로 "
            "부여하세요.")})

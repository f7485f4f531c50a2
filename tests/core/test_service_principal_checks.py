"""Access Analyzer's checks of the conditions that go with a service principal:
RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL, RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL and
UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL (exact ranges, which keys and operators count,
the policy types and effects they apply to, Korean, the fix), and `"Service": "*"`."""

from __future__ import annotations

import json

import pytest
from markers import marked
from test_korean_messages import assert_korean

from connect_policy.analysis import Settings, analyze, analyze_in_host
from connect_policy.document.json_edits import apply_edits
from connect_policy.document.policy import PolicyType
from connect_policy.findings import Finding, FindingType
from connect_policy.formats.host import HostKind

IDENTITY, RESOURCE, TRUST = PolicyType.IDENTITY, PolicyType.RESOURCE, PolicyType.TRUST
RESTRICT = "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL"
RECOMMENDED = "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL"
UNSUPPORTED = "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL"
OURS = (RESTRICT, RECOMMENDED, UNSUPPORTED)
CONNECT = '"Principal": {"Service": "«connect.amazonaws.com»"}'
BUCKET = '"Action": "s3:PutObject", "Resource": "arn:aws:s3:::amzn-connect-recordings/*"'


def wrap(*statements: str) -> str:
    return '{"Version": "2012-10-17", "Statement": [' + ", ".join(statements) + "]}"


def allow(principal: str, condition: str = "", effect: str = "Allow",
          action: str = BUCKET) -> str:
    tail = f', "Condition": {condition}' if condition else ""
    return f'{{"Effect": "{effect}", {principal}, {action}{tail}}}'


def found(source: str, code: str, policy_type: PolicyType | None = RESOURCE) -> list[Finding]:
    """The findings of `code`, which must sit exactly on the «marked» ranges."""
    text, spans = marked(source)
    result = [f for f in analyze(text, Settings(policy_type=policy_type)).findings
              if f.code == code]
    assert [f.span for f in result] == spans, [(f.span, f.message) for f in result]
    return result


def ours(source: str, policy_type: PolicyType | None = RESOURCE) -> list[tuple[str, str]]:
    """Our three codes' findings, with the text each one is on."""
    text, _ = marked(source)
    return [(f.code, text[f.span.start:f.span.end])
            for f in analyze(text, Settings(policy_type=policy_type)).findings
            if f.code in OURS]


# --- RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL ------------------------------------------------------


def test_a_service_allowed_with_no_condition() -> None:
    (finding,) = found(wrap(allow(CONNECT)), RESTRICT)
    assert finding.finding_type is FindingType.SECURITY_WARNING
    assert finding.message.startswith(
        '"connect.amazonaws.com" is granted access with no condition on the source it acts '
        "for")
    assert '"aws:SourceArn"' in finding.message and '"aws:SourceAccount"' in finding.message
    assert finding.link.endswith("#access-analyzer-reference-policy-checks-security-warning-"
                                 "restrict-access-to-service-principal")
    # No fix: the account or resource to allow is the user's to say.
    assert finding.fixes == ()
    assert_korean(finding)


def test_each_service_of_the_statement_is_reported() -> None:
    source = wrap(allow('"Principal": {"Service": ["«connect.amazonaws.com»", '
                        '"«delivery.logs.amazonaws.com»"]}',
                        '{"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}'))
    first, second = found(source, RESTRICT)
    assert first.message.startswith('"connect.amazonaws.com"')
    assert second.message.startswith('"delivery.logs.amazonaws.com"')
    # A service with several names before ".amazonaws.com" is no format error in a Principal.
    text, _ = marked(source)
    assert "INVALID_SERVICE_PRINCIPAL_FORMAT" not in {
        f.code for f in analyze(text, Settings(policy_type=RESOURCE)).findings}


@pytest.mark.parametrize("condition", [
    '{"ArnLike": {"aws:SourceArn": "arn:aws:connect:us-east-1:111122223333:instance/*"}}',
    '{"StringEquals": {"aws:SourceAccount": "111122223333"}}',
    '{"ForAnyValue:StringEquals": {"aws:SourceAccount": ["111122223333"]}}',
    '{"StringEqualsIfExists": {"AWS:SOURCEACCOUNT": "111122223333"}}',
    '{"StringEquals": {"aws:SourceOrgID": "o-a1b2c3d4e5"}}',
    '{"ForAnyValue:StringLike": {"aws:SourceOrgPaths": ["o-a1b2c3d4e5/r-ab12/*"]}}',
    '{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}, '
    '"StringEquals": {"aws:SourceAccount": "111122223333"}}',
])
def test_a_condition_on_the_source_restricts_the_service(condition: str) -> None:
    assert ours(wrap(allow(CONNECT, condition))) == []


@pytest.mark.parametrize("condition", [
    # Requires the key, allows any value.
    '{"Null": {"aws:SourceAccount": "false"}}',
    # Every source but one.
    '{"StringNotEquals": {"aws:SourceAccount": "999988887777"}}',
    # A condition, but not on the source.
    '{"Bool": {"aws:SecureTransport": "true"}}',
])
def test_a_condition_that_names_no_source_does_not_restrict(condition: str) -> None:
    found(wrap(allow(CONNECT, condition)), RESTRICT)


def test_a_service_beside_an_account_is_still_reported() -> None:
    source = wrap(allow('"Principal": {"AWS": "arn:aws:iam::111122223333:root", '
                        '"Service": "«connect.amazonaws.com»"}'))
    (finding,) = found(source, RESTRICT)
    assert "connect.amazonaws.com" in finding.message


def test_deny_and_other_policy_types_are_not_reported() -> None:
    assert ours(wrap(allow(CONNECT, effect="Deny"))) == []
    # A role's trust policy: the IAM console's own trust policy for Lambda has no condition.
    lambda_trust = wrap(allow('"Principal": {"Service": "lambda.amazonaws.com"}',
                              action='"Action": "sts:AssumeRole"'))
    assert ours(lambda_trust, TRUST) == []
    # Said to be a resource policy, a statement that only lets a service assume the role is
    # still a trust statement.
    assert ours(lambda_trust, RESOURCE) == []
    assert ours(wrap(allow(CONNECT)), IDENTITY) == []
    assert ours(wrap(allow(CONNECT)), PolicyType.UNKNOWN) == []


def test_a_service_known_only_at_deployment_is_reported_at_its_key() -> None:
    text = """Resources:
  RecordingsBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref RecordingsBucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: !Ref WriterService
            Action: s3:PutObject
            Resource: !Sub "${RecordingsBucket.Arn}/*"
"""
    analyses = analyze_in_host(text, HostKind.YAML)
    assert analyses is not None
    assert [(f.code, text[f.span.start:f.span.end]) for f in analyses.findings] == [
        (RESTRICT, "Service")]
    assert analyses.findings[0].message.startswith(
        "RecordingsBucketPolicy.PolicyDocument: The service principal is granted access")
    conditioned = text + ("            Condition:\n              StringEquals:\n"
                          "                aws:SourceAccount: !Ref AWS::AccountId\n")
    analyses = analyze_in_host(conditioned, HostKind.YAML)
    assert analyses is not None and analyses.findings == []


# --- RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL -------------------------------------------


def test_a_service_narrowed_by_its_network_gets_the_source_keys_recommended() -> None:
    source = wrap(allow('"Principal": {"Service": "connect.amazonaws.com"}',
                        '{"IpAddress": {"«aws:SourceIp»": "203.0.113.0/24"}}'))
    (finding,) = found(source, RECOMMENDED)
    assert finding.finding_type is FindingType.SUGGESTION
    assert finding.message.startswith('"aws:SourceIp" does not say on whose behalf '
                                      '"connect.amazonaws.com" acts')
    assert finding.message.endswith('use "aws:SourceArn" or "aws:SourceAccount" instead')
    assert_korean(finding)
    # Instead of, not besides, the warning.
    text, _ = marked(source)
    assert ours(text) == [(RECOMMENDED, "aws:SourceIp")]


def test_every_such_key_is_recommended_against_in_its_own_spelling() -> None:
    source = wrap(allow('"Principal": {"Service": "cloudfront.amazonaws.com"}',
                        '{"StringLike": {"«AWS:Referer»": "https://www.example.com/*"}, '
                        '"StringEquals": {"«aws:sourcevpce»": "vpce-1a2b3c4d"}, '
                        '"Null": {"aws:SourceVpc": "false"}}'))
    referer, vpce = found(source, RECOMMENDED)
    # Named as the global keys page writes them.
    assert referer.message.startswith('"aws:Referer" does not say')
    assert vpce.message.startswith('"aws:SourceVpce" does not say')


def test_no_recommendation_where_the_source_is_named_or_nothing_is_granted() -> None:
    ip = '{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}'
    assert ours(wrap(allow(CONNECT.replace("«", "").replace("»", ""),
                           ip + ', "ArnLike": {"aws:SourceArn": "arn:aws:s3:::b"}}'))) == []
    assert ours(wrap(allow(CONNECT, ip + "}", effect="Deny"))) == []
    assert ours(wrap(allow(CONNECT, ip + "}")), TRUST) == []


# --- UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL -------------------------------------------


def test_the_organization_of_a_service_principal() -> None:
    # The policy check reference's own example: aws:PrincipalOrgID with CloudFront.
    source = wrap(allow('"Principal": {"Service": "cloudfront.amazonaws.com"}',
                        '{"StringEquals": {"«aws:PrincipalOrgID»": "o-a1b2c3d4e5"}}',
                        action='"Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"'))
    (finding,) = found(source, UNSUPPORTED)
    assert finding.finding_type is FindingType.ERROR
    assert finding.message.startswith('"aws:PrincipalOrgID" is never in the request of a '
                                      "service principal")
    assert '"aws:SourceOrgID"' in finding.message
    assert_korean(finding)
    # The key tests nothing, so the service is not restricted either.
    text, _ = marked(source)
    assert [code for code, _ in ours(text)] == [RESTRICT, UNSUPPORTED]
    # The fix names the organization of the resource the service acts for; offered, not
    # preferred, since that is a different question.
    (fix,) = finding.fixes
    assert fix.title == 'Change to "aws:SourceOrgID"' and not fix.preferred
    fixed = apply_edits(text, fix.edits)
    assert json.loads(fixed)["Statement"][0]["Condition"] == {
        "StringEquals": {"aws:SourceOrgID": "o-a1b2c3d4e5"}}
    assert ours(fixed) == []


@pytest.mark.parametrize(("condition", "fix"), [
    ('{"ForAnyValue:StringLike": {"«aws:PrincipalOrgPaths»": ["o-a1b2c3d4e5/*"]}}',
     "aws:SourceOrgPaths"),
    ('{"StringEquals": {"«aws:PrincipalTag/team»": "contact-center"}}', None),
    ('{"Bool": {"«aws:MultiFactorAuthPresent»": "true"}}', None),
    ('{"ForAnyValue:StringEquals": {"«aws:CalledVia»": ["cloudformation.amazonaws.com"]}}',
     None),
    ('{"StringEquals": {"«aws:username»": "admin"}}', None),
])
def test_keys_a_service_principal_never_carries(condition: str, fix: str | None) -> None:
    (finding,) = found(wrap(allow(CONNECT.replace("«", "").replace("»", ""), condition)),
                       UNSUPPORTED)
    assert [f.title for f in finding.fixes] == ([f'Change to "{fix}"'] if fix else [])


@pytest.mark.parametrize("condition", [
    # Absence is what these test: meant.
    '{"Null": {"aws:PrincipalOrgID": "true"}}',
    '{"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}',
    # Present in every signed request, services' too.
    '{"StringEquals": {"aws:PrincipalAccount": "111122223333"}}',
    '{"StringEquals": {"aws:PrincipalServiceName": "connect.amazonaws.com"}}',
])
def test_keys_that_are_fine_with_a_service_principal(condition: str) -> None:
    source = wrap(allow('"Principal": {"Service": "connect.amazonaws.com"}', condition))
    found(source, UNSUPPORTED)


def test_a_statement_with_other_principals_too_is_not_reported() -> None:
    source = wrap(allow('"Principal": {"AWS": "arn:aws:iam::111122223333:root", '
                        '"Service": "connect.amazonaws.com"}',
                        '{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}'))
    found(source, UNSUPPORTED)


def test_a_deny_and_a_trust_policy_are_reported_too() -> None:
    # A Deny whose condition can never hold for its only principal denies nothing.
    found(wrap(allow('"Principal": {"Service": "connect.amazonaws.com"}',
                     '{"StringNotEquals": {"«aws:PrincipalOrgID»": "o-a1b2c3d4e5"}}',
                     effect="Deny")), UNSUPPORTED)
    # A role Lambda assumes: the condition shuts Lambda out.
    found(wrap(allow('"Principal": {"Service": "lambda.amazonaws.com"}',
                     '{"StringEquals": {"«aws:PrincipalOrgID»": "o-a1b2c3d4e5"}}',
                     action='"Action": "sts:AssumeRole"')), UNSUPPORTED, TRUST)
    found(wrap(allow('"Principal": {"Service": "connect.amazonaws.com"}',
                     '{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}')),
          UNSUPPORTED, IDENTITY)


# --- "Service": "*" -----------------------------------------------------------------------------


@pytest.mark.parametrize("policy_type", [RESOURCE, TRUST])
def test_a_service_wildcard_is_unsupported(policy_type: PolicyType) -> None:
    source = wrap(allow('"Principal": {"Service": "«*»"}'),
                  allow('"Principal": {"Service": ["connect.amazonaws.com", "«*»"]}',
                        '{"StringEquals": {"aws:SourceAccount": "111122223333"}}'))
    for finding in found(source, "UNSUPPORTED_WILDCARD_IN_PRINCIPAL", policy_type):
        assert finding.message.startswith('"*": a "Service" principal cannot contain wildcards')
    # Not a service to warn about, nor a malformed one.
    text, _ = marked(source)
    codes = {f.code for f in analyze(text, Settings(policy_type=policy_type)).findings}
    assert not codes & {RESTRICT, "INVALID_SERVICE_PRINCIPAL_FORMAT"}
    # "AWS": "*" is everyone, as before.
    assert found(wrap(allow('"Principal": {"AWS": "*"}')),
                 "UNSUPPORTED_WILDCARD_IN_PRINCIPAL") == []

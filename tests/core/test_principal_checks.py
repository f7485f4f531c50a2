"""Access Analyzer's checks of principals in resource and role trust policies:
MISMATCHED_ACTION_FOR_PRINCIPAL, MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL,
MISSING_GITHUB_REPO_CONDITION_KEY, UNSUPPORTED_WILDCARD_IN_PRINCIPAL,
INVALID_PRINCIPAL_FORMAT, FEDERATED_PRINCIPAL_NOT_SUPPORTED and
REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY: exact ranges, the policy types they apply to,
deploy-time values, Korean, fixes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markers import marked
from test_korean_messages import assert_korean

from connect_policy.analysis import Settings, analyze, analyze_in_host
from connect_policy.document.json_edits import apply_edits
from connect_policy.document.policy import PolicyType
from connect_policy.findings import CODES, Finding, FindingType, code_link
from connect_policy.formats.host import HostKind

POLICIES = Path(__file__).resolve().parent / "policy_types"
IDENTITY, RESOURCE, TRUST = PolicyType.IDENTITY, PolicyType.RESOURCE, PolicyType.TRUST
NEW_CODES = ("MISMATCHED_ACTION_FOR_PRINCIPAL", "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL",
             "UNSUPPORTED_WILDCARD_IN_PRINCIPAL", "INVALID_PRINCIPAL_FORMAT",
             "FEDERATED_PRINCIPAL_NOT_SUPPORTED", "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY",
             "MISSING_GITHUB_REPO_CONDITION_KEY")
GITHUB = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
SAML = "arn:aws:iam::111122223333:saml-provider/ExampleIdP"
BUCKET = '"Resource": "arn:aws:s3:::amzn-connect-recordings/*"'


def wrap(*statements: str) -> str:
    """The policy of `statements`, with <saml>, <github> and <bucket> written out."""
    text = '{"Version": "2012-10-17", "Statement": [' + ", ".join(statements) + "]}"
    return text.replace("<saml>", SAML).replace("<github>", GITHUB).replace("<bucket>", BUCKET)


def found(source: str, code: str, policy_type: PolicyType | None = None) -> list[Finding]:
    """The findings of `code`, which must sit exactly on the «marked» ranges."""
    text, spans = marked(source)
    result = [f for f in analyze(text, Settings(policy_type=policy_type)).findings
              if f.code == code]
    assert [f.span for f in result] == spans, [(f.span, f.message) for f in result]
    return result


def codes(text: str, policy_type: PolicyType | None = None) -> list[str]:
    return [f.code for f in analyze(text, Settings(policy_type=policy_type)).findings]


# --- MISMATCHED_ACTION_FOR_PRINCIPAL ---------------------------------------------------------


def test_assume_role_with_a_web_identity_provider() -> None:
    # Access Analyzer's own example: Cognito trusted with sts:AssumeRole.
    source = wrap('{"Effect": "Allow", "Principal": {"Federated": '
                  '"cognito-identity.amazonaws.com"}, "Action": ["«sts:AssumeRole»", '
                  '"sts:TagSession"], "Condition": {"StringEquals": '
                  '{"cognito-identity.amazonaws.com:aud": "us-west-2_EXAMPLE"}}}')
    (finding,) = found(source, "MISMATCHED_ACTION_FOR_PRINCIPAL")
    assert finding.finding_type is FindingType.ERROR
    assert finding.message.startswith('"sts:AssumeRole" cannot be used by '
                                      '"cognito-identity.amazonaws.com": a SAML provider')
    (fix,) = finding.fixes
    assert fix.title == 'Change to "sts:AssumeRoleWithWebIdentity"' and fix.preferred
    text, _ = marked(source)
    fixed = apply_edits(text, fix.edits)
    assert json.loads(fixed)["Statement"][0]["Action"] == [
        "sts:AssumeRoleWithWebIdentity", "sts:TagSession"]
    assert codes(fixed) == []


def test_web_identity_action_with_a_saml_provider() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"Federated": "<saml>"}, '
                  '"Action": "«sts:AssumeRoleWithWebIdentity»", "Condition": {"StringEquals": '
                  '{"SAML:aud": "https://signin.aws.amazon.com/saml"}}}')
    (finding,) = found(source, "MISMATCHED_ACTION_FOR_PRINCIPAL")
    assert f'cannot be used by "{SAML}"' in finding.message
    assert [fix.title for fix in finding.fixes] == ['Change to "sts:AssumeRoleWithSAML"']


def test_saml_action_with_an_account_has_no_fix() -> None:
    # Which principal was meant is not known: no fix.
    source = wrap('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, '
                  '"Action": ["sts:AssumeRole", "«STS:AssumeRoleWithSAML»"]}')
    (finding,) = found(source, "MISMATCHED_ACTION_FOR_PRINCIPAL")
    assert finding.message.startswith('"STS:AssumeRoleWithSAML" cannot be used by '
                                      '"arn:aws:iam::111122223333:root"')
    assert finding.fixes == ()


def test_no_fix_when_the_right_action_is_already_there() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"Federated": "<github>"}, "Action": '
                  '["«sts:AssumeRole»", "sts:AssumeRoleWithWebIdentity"], "Condition": '
                  '{"StringEquals": {"token.actions.githubusercontent.com:sub": '
                  '"repo:example/app:ref:refs/heads/main"}}}')
    (finding,) = found(source, "MISMATCHED_ACTION_FOR_PRINCIPAL")
    assert finding.fixes == ()


@pytest.mark.parametrize("statement", [
    # Each action has a principal that can use it.
    '{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root", '
    '"Federated": "<saml>"}, "Action": ["sts:AssumeRole", "sts:AssumeRoleWithSAML"]}',
    '{"Effect": "Allow", "Principal": {"Service": "connect.amazonaws.com"}, '
    '"Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]}',
    # Wildcard actions, unknown principals, canonical users: nothing certain.
    '{"Effect": "Allow", "Principal": {"Federated": "<saml>"}, "Action": "sts:AssumeRole*"}',
    '{"Effect": "Allow", "Principal": {"Federated": "not an arn"}, "Action": "sts:AssumeRole"}',
    '{"Effect": "Allow", "Principal": {"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e'
    '09d98eacf8f8d5218e7cd47ef2be"}, "Action": "sts:AssumeRole"}',
])
def test_no_mismatch(statement: str) -> None:
    assert "MISMATCHED_ACTION_FOR_PRINCIPAL" not in codes(wrap(statement), TRUST)


def test_a_provider_with_deploy_time_parts_is_still_known() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::${var.account}:'
                  'saml-provider/${var.idp}"}, "Action": "«sts:AssumeRole»"}')
    (finding,) = found(source, "MISMATCHED_ACTION_FOR_PRINCIPAL")
    assert 'cannot be used by "arn:aws:iam::${var.account}:saml-provider/${var.idp}"' in (
        finding.message)


def test_mismatch_only_in_trust_policies() -> None:
    text = wrap('{"Effect": "Allow", "Principal": {"Federated": "<saml>"}, '
                '"Action": "sts:AssumeRole"}')
    assert codes(text) == ["MISMATCHED_ACTION_FOR_PRINCIPAL"]
    assert "MISMATCHED_ACTION_FOR_PRINCIPAL" not in codes(text, RESOURCE)
    assert "MISMATCHED_ACTION_FOR_PRINCIPAL" not in codes(text, IDENTITY)


# --- MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL ------------------------------------------------


def test_oidc_provider_without_its_condition_keys() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"Federated": "«<github>»"}, "Action": '
                  '"sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": '
                  '{"aws:SourceAccount": "111122223333"}}}')
    (finding,) = found(source, "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL")
    assert finding.finding_type is FindingType.SECURITY_WARNING
    assert finding.message.startswith('The statement trusts the OIDC provider '
                                      '"token.actions.githubusercontent.com" with no condition')
    assert '"token.actions.githubusercontent.com:aud"' in finding.message


@pytest.mark.parametrize(("federated", "condition"), [
    (GITHUB, '{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}'
             ', "StringLike": {"token.actions.githubusercontent.com:sub": "repo:example/app:*"}}'),
    # Keys are matched without regard to case, under any operator.
    (GITHUB, '{"StringLike": {"Token.Actions.GitHubUserContent.com:sub": "repo:example/app:*"}}'),
    ("arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4",
     '{"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4:sub": '
     '"system:serviceaccount:default:app"}}'),
    ("accounts.google.com", '{"StringEquals": {"accounts.google.com:aud": "example.apps"}}'),
])
def test_oidc_provider_with_its_condition_keys(federated: str, condition: str) -> None:
    text = wrap('{"Effect": "Allow", "Principal": {"Federated": "' + federated + '"}, '
                '"Action": "sts:AssumeRoleWithWebIdentity", "Condition": ' + condition + "}")
    assert codes(text) == []


def test_github_without_the_repository_key() -> None:
    # Conditioned on its audience only: any repository's workflows could assume the role.
    source = wrap('{"Effect": "Allow", "Principal": {"Federated": "«<github>»"}, "Action": '
                  '"sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": '
                  '{"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}')
    (finding,) = found(source, "MISSING_GITHUB_REPO_CONDITION_KEY")
    assert finding.finding_type is FindingType.SECURITY_WARNING
    assert finding.message.startswith("The statement trusts GitHub's OIDC provider without a "
                                      'condition on "token.actions.githubusercontent.com:sub"')
    # One finding for one problem: not also the general one.
    text, _ = marked(source)
    assert codes(text) == ["MISSING_GITHUB_REPO_CONDITION_KEY"]
    # With no condition at all, the general one only.
    assert codes(text[:text.index(', "Condition"')] + "}]}") == [
        "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL"]


def test_each_unconditioned_provider_and_only_in_allow() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"Federated": ["«graph.facebook.com»", '
                  '"www.amazon.com", "<saml>"]}, "Action": "sts:AssumeRoleWithWebIdentity", '
                  '"Condition": {"StringEquals": {"www.amazon.com:app_id": "amzn1.app"}}}',
                  '{"Effect": "Deny", "Principal": {"Federated": "<github>"}, '
                  '"Action": "sts:AssumeRoleWithWebIdentity"}')
    (finding,) = found(source, "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL")
    assert '"graph.facebook.com:aud"' in finding.message


def test_deploy_time_values_in_a_template() -> None:
    text = """Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Federated: !Sub "arn:aws:iam::${AWS::AccountId}:oidc-provider/%s"
            Action: sts:AssumeRoleWithWebIdentity
          - Effect: Allow
            Principal:
              Federated: arn:aws:iam::111122223333:oidc-provider/%s
            Action: sts:AssumeRoleWithWebIdentity
            Condition: !If [Strict, {StringEquals: {"%s:sub": "repo:a/b:ref:refs/heads/main"}},
                            !Ref AWS::NoValue]
""".replace("%s", "token.actions.githubusercontent.com")
    # The provider of a "!Sub" is known whatever the account: reported, at the string. A
    # condition known only at deployment ("!If") is not judged.
    sub = "arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com"
    analyses = analyze_in_host(text, HostKind.YAML)
    assert analyses is not None
    assert [(f.code, text[f.span.start:f.span.end]) for f in analyses.findings] == [
        ("MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", sub)]
    # Without its condition, the second statement's provider is reported too, at its value.
    unconditioned = text[:text.index("            Condition: !If")]
    analyses = analyze_in_host(unconditioned, HostKind.YAML)
    assert analyses is not None
    assert [(f.code, unconditioned[f.span.start:f.span.end]) for f in analyses.findings] == [
        ("MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", sub),
        ("MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", GITHUB)]


TERRAFORM_GITHUB = """
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:PROVIDER"]
    }
    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:example/app:*"]
    }
  }
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [var.trusted_arn, "arn:aws:iam::${var.account}:root", "ci-role"]
    }
  }
}

resource "aws_iam_role" "ci" {
  name               = "ci"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
""".replace("PROVIDER", "oidc-provider/token.actions.githubusercontent.com")


def test_a_terraform_trust_policy() -> None:
    analyses = analyze_in_host(TERRAFORM_GITHUB, HostKind.TERRAFORM)
    assert analyses is not None
    text = TERRAFORM_GITHUB
    assert [(f.code, text[f.span.start:f.span.end]) for f in analyses.findings] == [
        ("INVALID_PRINCIPAL_FORMAT", "ci-role")]
    # Without the condition block, the provider is reported, whatever the account.
    start = text.index("    condition {")
    unconditioned = text[:start] + text[text.index("  }\n  statement {"):]
    analyses = analyze_in_host(unconditioned, HostKind.TERRAFORM)
    assert analyses is not None
    assert [(f.code, unconditioned[f.span.start:f.span.end]) for f in analyses.findings] == [
        ("MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", "arn:aws:iam::${data.aws_caller_identity."
         "current.account_id}:oidc-provider/token.actions.githubusercontent.com"),
        ("INVALID_PRINCIPAL_FORMAT", "ci-role")]


# --- UNSUPPORTED_WILDCARD_IN_PRINCIPAL -------------------------------------------------------


def test_wildcards_inside_principals() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"AWS": ["*", "«arn:aws:iam::*:role/x»", '
                  '"«11112222333?»"], "Service": "«*.amazonaws.com»"}, "Action": "s3:GetObject", '
                  f"{BUCKET}}}",
                  '{"Effect": "Deny", "NotPrincipal": {"AWS": "«arn:aws:iam::111122223333:'
                  'user/ops-*»"}, "Action": "s3:DeleteObject", ' f"{BUCKET}}}")
    first, second, service, not_principal = found(source, "UNSUPPORTED_WILDCARD_IN_PRINCIPAL")
    assert first.message.startswith('"arn:aws:iam::*:role/x": a "AWS" principal cannot contain '
                                    "wildcards")
    assert 'a "Service" principal' in service.message
    for finding in (first, second, service, not_principal):
        assert finding.finding_type is FindingType.ERROR
    # Not reported again as a malformed principal.
    text, _ = marked(source)
    assert "INVALID_PRINCIPAL_FORMAT" not in codes(text)
    assert "INVALID_SERVICE_PRINCIPAL_FORMAT" not in codes(text)


def test_wildcards_in_a_trust_policy_principal() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"AWS": "«arn:aws:iam::111122223333:'
                  'role/deploy-*»"}, "Action": "sts:AssumeRole"}')
    found(source, "UNSUPPORTED_WILDCARD_IN_PRINCIPAL", TRUST)
    assert found(source.replace("«", "").replace("»", ""), "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
                 IDENTITY) == []


def test_a_placeholder_is_no_wildcard_but_a_wildcard_beside_it_is() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::${var.account}:root",'
                  ' "«arn:aws:iam::${var.account}:role/ci-*»"]}, "Action": "s3:GetObject", '
                  f"{BUCKET}}}")
    found(source, "UNSUPPORTED_WILDCARD_IN_PRINCIPAL")


# --- INVALID_PRINCIPAL_FORMAT ----------------------------------------------------------------


def test_invalid_aws_principal_formats() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"AWS": ["«connect-admin»", "«1111222233»", '
                  '«""», "«arn:aws:iam:111122223333:root»", "«arn:aws:s3:::bucket»"]}, '
                  f'"Action": "s3:GetObject", {BUCKET}}}')
    name, *_others = found(source, "INVALID_PRINCIPAL_FORMAT")
    assert name.message == ('"connect-admin" is not an AWS principal: write "*", a 12-digit '
                            'account ID ("111122223333") or the ARN of an account, user or role '
                            '("arn:aws:iam::111122223333:role/name")')
    assert name.finding_type is FindingType.ERROR


@pytest.mark.parametrize("value", [
    "*", "111122223333", "arn:aws:iam::111122223333:root",
    "arn:aws:iam::111122223333:role/service-role/ConnectRole",
    "arn:aws:iam::111122223333:user/division/alice",
    "arn:aws:sts::111122223333:assumed-role/ConnectRole/session",
    "arn:aws:sts::111122223333:federated-user/alice",
    "arn:aws-cn:iam::111122223333:root",
    # A CloudFront origin access identity, and the unique ID IAM shows for a deleted role.
    "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHEXAMPLE",
    "AROA3XFRBF535PLBIFPI4",
    # Deploy-time values.
    "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root", "${var.principal}",
])
def test_valid_aws_principals(value: str) -> None:
    text = wrap('{"Effect": "Allow", "Principal": {"AWS": "' + value + '"}, '
                '"Action": "s3:GetObject", <bucket>}')
    assert codes(text) == []


def test_a_cloudformation_function_is_never_an_error() -> None:
    text = """Resources:
  Bucket:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: amzn-connect-recordings
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS:
                - !Ref ReaderAccount
                - !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*"
                - !GetAtt Reader.Arn
            Action: s3:GetObject
            Resource: arn:aws:s3:::amzn-connect-recordings/*
"""
    analyses = analyze_in_host(text, HostKind.YAML)
    assert analyses is not None
    assert [f.code for f in analyses.findings] == []
    # A known value beside them is checked.
    known = text.replace("- !GetAtt Reader.Arn", "- reader-account")
    analyses = analyze_in_host(known, HostKind.YAML)
    assert analyses is not None
    assert [(f.code, known[f.span.start:f.span.end]) for f in analyses.findings] == [
        ("INVALID_PRINCIPAL_FORMAT", "reader-account")]


# --- FEDERATED_PRINCIPAL_NOT_SUPPORTED -------------------------------------------------------


def test_federated_principal_in_a_resource_policy() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {«"Federated"»: "<saml>"}, '
                  '"Action": "s3:GetObject", <bucket>}')
    (finding,) = found(source, "FEDERATED_PRINCIPAL_NOT_SUPPORTED")
    assert finding.finding_type is FindingType.ERROR
    assert finding.message.startswith('A resource-based policy cannot name a "Federated" '
                                      "principal")
    text, _ = marked(source)
    # The same statement in a trust policy is not this error.
    assert "FEDERATED_PRINCIPAL_NOT_SUPPORTED" not in codes(text, TRUST)


# --- REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY ------------------------------------------------


def test_a_role_session_next_to_its_role() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"AWS": ['
                  '"arn:aws:iam::111122223333:role/ops/Deployer", '
                  '"«arn:aws:sts::111122223333:assumed-role/Deployer/ci»", '
                  '"arn:aws:sts::444455556666:assumed-role/Deployer/ci", '
                  '"arn:aws:sts::111122223333:assumed-role/Auditor/ci"]}, '
                  '"Action": "sts:AssumeRole"}')
    (finding,) = found(source, "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY")
    assert finding.finding_type is FindingType.SUGGESTION
    assert finding.message == (
        '"arn:aws:sts::111122223333:assumed-role/Deployer/ci" is a session of the role '
        '"arn:aws:iam::111122223333:role/ops/Deployer", which the statement already trusts: '
        "the session adds nothing. Remove it")
    (fix,) = finding.fixes
    assert fix.title == 'Remove "arn:aws:sts::111122223333:assumed-role/Deployer/ci"'
    assert fix.preferred
    text, _ = marked(source)
    fixed = apply_edits(text, fix.edits)
    assert json.loads(fixed)["Statement"][0]["Principal"]["AWS"] == [
        "arn:aws:iam::111122223333:role/ops/Deployer",
        "arn:aws:sts::444455556666:assumed-role/Deployer/ci",
        "arn:aws:sts::111122223333:assumed-role/Auditor/ci"]
    assert codes(fixed) == []
    # Only in a role's trust policy.
    assert "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY" not in codes(text, RESOURCE)


# --- Every new code -----------------------------------------------------------------------


def test_registered_with_access_analyzers_finding_types_and_links() -> None:
    assert CODES["MISMATCHED_ACTION_FOR_PRINCIPAL"] is FindingType.ERROR
    assert CODES["MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL"] is FindingType.SECURITY_WARNING
    assert CODES["UNSUPPORTED_WILDCARD_IN_PRINCIPAL"] is FindingType.ERROR
    assert CODES["INVALID_PRINCIPAL_FORMAT"] is FindingType.ERROR
    assert CODES["FEDERATED_PRINCIPAL_NOT_SUPPORTED"] is FindingType.ERROR
    assert CODES["REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY"] is FindingType.SUGGESTION
    assert CODES["MISSING_GITHUB_REPO_CONDITION_KEY"] is FindingType.SECURITY_WARNING
    assert code_link("MISMATCHED_ACTION_FOR_PRINCIPAL") == (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-"
        "checks.html#access-analyzer-reference-policy-checks-error-mismatched-action-for-"
        "principal")
    assert code_link("MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL").endswith(
        "#access-analyzer-reference-policy-checks-security-warning-missing-condition-key-for-"
        "oidc-principal")
    assert code_link("REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY").endswith(
        "#access-analyzer-reference-policy-checks-suggestion-redundant-principal-in-role-"
        "trust-policy")


def test_every_message_has_korean_with_the_same_facts() -> None:
    texts = [
        (wrap('{"Effect": "Allow", "Principal": {"Federated": ["<github>", '
              '"accounts.google.com"]}, "Action": "sts:AssumeRole"}'), TRUST),
        (wrap('{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::1:role/r", '
              '"arn:aws:sts::1:assumed-role/r/s", "bob", "arn:aws:iam::*:root"]}, '
              '"Action": "sts:AssumeRole"}'), TRUST),
        (wrap('{"Effect": "Allow", "Principal": {"Federated": "<saml>"}, '
              '"Action": "s3:GetObject", <bucket>}'), RESOURCE),
        (wrap('{"Effect": "Allow", "Principal": {"Federated": "<github>"}, "Action": '
              '"sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": '
              '{"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}'), TRUST),
    ]
    seen = set()
    for text, policy_type in texts:
        for finding in analyze(text, Settings(policy_type=policy_type)).findings:
            seen.add(finding.code)
            assert_korean(finding)
    assert seen >= set(NEW_CODES)


@pytest.mark.parametrize("name", sorted(p.name for p in POLICIES.glob("*.json")))
def test_real_shaped_policies_get_none_of_these(name: str) -> None:
    analysis = analyze((POLICIES / name).read_text(encoding="utf-8"))
    assert not {f.code for f in analysis.findings} & set(NEW_CODES)


def test_a_github_actions_trust_policy_as_documented_is_clean() -> None:
    text = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Federated": GITHUB},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
            "StringLike": {"token.actions.githubusercontent.com:sub":
                           "repo:example-org/connect-flows:ref:refs/heads/main"}}}]}, indent=2)
    analysis = analyze(text)
    assert analysis.policy_type is TRUST
    assert analysis.findings == []

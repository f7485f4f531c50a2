"""Access Analyzer's remaining checks of role trust policies:
INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY,
MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY (and its fix),
SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED and CONFIRM_AUDIENCE_CLAIM_TYPE: exact ranges,
the policy types they apply to, deploy-time values, one finding per mistake, Korean."""

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
RESOURCE, TRUST = PolicyType.RESOURCE, PolicyType.TRUST
NEW_CODES = ("INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY",
             "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
             "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED", "CONFIRM_AUDIENCE_CLAIM_TYPE")
GITHUB = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
SUB = "token.actions.githubusercontent.com:sub"
ANCHOR = ('"Condition": {"ArnEquals": {"aws:SourceArn": '
          '"arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/a1b2"}}')


def wrap(*statements: str) -> str:
    text = '{"Version": "2012-10-17", "Statement": [' + ", ".join(statements) + "]}"
    return text.replace("<github>", GITHUB).replace("<anchor>", ANCHOR)


def found(source: str, code: str, policy_type: PolicyType | None = TRUST) -> list[Finding]:
    """The findings of `code`, which must sit exactly on the «marked» ranges."""
    text, spans = marked(source)
    result = [f for f in analyze(text, Settings(policy_type=policy_type)).findings
              if f.code == code]
    assert [f.span for f in result] == spans, [(f.span, f.message) for f in result]
    return result


def codes(text: str, policy_type: PolicyType | None = TRUST) -> list[str]:
    return [f.code for f in analyze(text, Settings(policy_type=policy_type)).findings]


# --- INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY ---------------------------------


def test_federated_values_of_no_known_form() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"Federated": ["«https://accounts.google.com»",'
                  ' "«arn:aws:iam::111122223333:role/Idp»", "«GitHub»", "*"]}, '
                  '"Action": "sts:AssumeRoleWithWebIdentity"}')
    code = "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY"
    scheme, role, name = found(source, code)
    assert scheme.finding_type is FindingType.ERROR
    assert scheme.message.startswith('"https://accounts.google.com" is not a federated '
                                     "principal: write the domain name of a web identity "
                                     "provider")
    assert '"arn:aws:iam::111122223333:saml-provider/ExampleIdP"' in role.message
    assert name.fixes == ()
    # One finding per mistake: no action is judged against a principal of no known form, and
    # `"*"` is a wildcard where none is allowed.
    text, _ = marked(source)
    assert sorted(codes(text)) == [code] * 3 + ["UNSUPPORTED_WILDCARD_IN_PRINCIPAL"]


@pytest.mark.parametrize("value", [
    "accounts.google.com", "cognito-identity.amazonaws.com", "www.amazon.com",
    "graph.facebook.com", GITHUB, "arn:aws:iam::111122223333:saml-provider/ExampleIdP",
    "arn:aws-cn:iam::111122223333:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/AB12",
    # Deploy-time parts: the form is known, or the value may be anything.
    "arn:aws:iam::${var.account}:saml-provider/${var.idp}", "${var.provider_arn}",
])
def test_valid_federated_values(value: str) -> None:
    text = wrap('{"Effect": "Allow", "Principal": {"Federated": "' + value + '"}, '
                '"Action": "sts:AssumeRoleWithWebIdentity"}')
    assert "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY" not in codes(text)


def test_a_wildcard_in_a_federated_value_is_reported_once() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"Federated": "«arn:aws:iam::111122223333:'
                  'saml-provider/*»"}, "Action": "sts:AssumeRoleWithSAML"}')
    found(source, "UNSUPPORTED_WILDCARD_IN_PRINCIPAL")
    text, _ = marked(source)
    assert codes(text) == ["UNSUPPORTED_WILDCARD_IN_PRINCIPAL"]


def test_invalid_federated_syntax_only_in_trust_policies() -> None:
    text = wrap('{"Effect": "Allow", "Principal": {"Federated": "GitHub"}, '
                '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-connect-recordings/*"}')
    # A resource policy cannot name a federated principal at all: that error alone.
    assert codes(text, RESOURCE) == ["FEDERATED_PRINCIPAL_NOT_SUPPORTED"]


def test_invalid_federated_value_in_a_template() -> None:
    text = """Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Federated:
                - !Ref IdentityProvider
                - !Sub "arn:aws:iam::${AWS::AccountId}:oidc-provider/accounts.google.com"
                - !Sub "https://${Domain}"
                - token-issuer
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
                accounts.google.com:aud: example.apps.googleusercontent.com
"""
    analysis = analyze_in_host(text, HostKind.YAML)
    assert analysis is not None
    assert [(f.code, text[f.span.start:f.span.end]) for f in analysis.findings] == [
        ("INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY", "token-issuer")]


# --- MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY ------------------------------------------


def test_roles_anywhere_without_all_three_actions() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"Service": "«rolesanywhere.amazonaws.com»"}, '
                  '"Action": ["sts:AssumeRole", "sts:TagSession"], <anchor>}')
    (finding,) = found(source, "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY")
    assert finding.finding_type is FindingType.ERROR
    assert finding.message == (
        'IAM Roles Anywhere ("rolesanywhere.amazonaws.com") needs "sts:AssumeRole", '
        '"sts:SetSourceIdentity" and "sts:TagSession" to assume the role and deliver its '
        'credentials; the policy does not allow "sts:SetSourceIdentity". Add it to "Action"')
    (fix,) = finding.fixes
    assert fix.title == 'Add "sts:SetSourceIdentity"' and fix.preferred
    text, _ = marked(source)
    fixed = apply_edits(text, fix.edits)
    assert json.loads(fixed)["Statement"][0]["Action"] == [
        "sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
    assert codes(fixed) == []


def test_a_single_action_becomes_the_list_of_three() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", '
                  '"«rolesanywhere.amazonaws.com»"]}, "Action": "sts:AssumeRole", <anchor>}')
    (finding,) = found(source, "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY")
    assert 'does not allow "sts:SetSourceIdentity" and "sts:TagSession". Add them' in (
        finding.message)
    assert finding.data == {"missing": ["sts:SetSourceIdentity", "sts:TagSession"]}
    text, _ = marked(source)
    fixed = apply_edits(text, finding.fixes[0].edits)
    assert '"Action": ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]' in fixed
    assert codes(fixed) == []


def test_an_empty_action_list_gets_all_three() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"Service": "«rolesanywhere.amazonaws.com»"}, '
                  '"Action": [], <anchor>}')
    (finding,) = found(source, "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY")
    text, _ = marked(source)
    fixed = apply_edits(text, finding.fixes[0].edits)
    assert json.loads(fixed)["Statement"][0]["Action"] == [
        "sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]


@pytest.mark.parametrize("statements", [
    # Wildcards grant them.
    ['{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, '
     '"Action": "sts:*", <anchor>}'],
    ['{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, '
     '"Action": ["sts:AssumeRole", "sts:SetSourceIdentity", "STS:TagSess*"], <anchor>}'],
    # Together, over two statements.
    ['{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, '
     '"Action": ["sts:AssumeRole", "sts:TagSession"], <anchor>}',
     '{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, '
     '"Action": "sts:SetSourceIdentity", <anchor>}'],
    # Another service's statement, and a Deny, are not Roles Anywhere's grant.
    ['{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, '
     '"Action": "sts:AssumeRole"}'],
    ['{"Effect": "Deny", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, '
     '"Action": "sts:TagSession"}',
     '{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, '
     '"Action": "sts:AssumeRole"}'],
])
def test_roles_anywhere_with_what_it_needs(statements: list[str]) -> None:
    assert "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY" not in codes(wrap(*statements))


def test_roles_anywhere_in_other_policy_types_is_not_judged() -> None:
    text = wrap('{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, '
                '"Action": "sts:AssumeRole", <anchor>}')
    assert "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY" in codes(text)
    assert "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY" not in codes(text, RESOURCE)


def test_roles_anywhere_with_actions_known_at_deployment() -> None:
    text = """Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: rolesanywhere.amazonaws.com
            Action: !If [Tagged, [sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity],
                         sts:AssumeRole]
"""
    analysis = analyze_in_host(text, HostKind.YAML)
    assert analysis is not None
    assert analysis.findings == []
    # Known actions in the same template are judged, and the fix writes YAML.
    known = text.replace("""!If [Tagged, [sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity],
                         sts:AssumeRole]""", "sts:AssumeRole")
    analysis = analyze_in_host(known, HostKind.YAML)
    assert analysis is not None
    (finding,) = analysis.findings
    assert known[finding.span.start:finding.span.end] == "rolesanywhere.amazonaws.com"
    fixed = apply_edits(known, finding.fixes[0].edits)
    assert 'Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]\n' in fixed
    again = analyze_in_host(fixed, HostKind.YAML)
    assert again is not None and again.findings == []


def test_the_documented_roles_anywhere_trust_policy_is_clean() -> None:
    # IAM Roles Anywhere's trust model page, with a trust anchor condition.
    text = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
        "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:rolesanywhere:us-east-1:"
                                                     "111122223333:trust-anchor/a1b2"}}}]},
        indent=2)
    analysis = analyze(text)
    assert analysis.policy_type is TRUST
    assert analysis.findings == []


# --- SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED ---------------------------------------------


def test_a_wildcard_for_the_repository() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"Federated": "<github>"}, "Action": '
                  '"sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": '
                  '{"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, '
                  '"StringLike": {"token.actions.githubusercontent.com:sub": ['
                  '"«repo:example-org/*»", "repo:example-org/app:*", "«repo:*»", '
                  '"«repo:example-org/app-?:ref:refs/heads/main»"]}}}')
    org, anything, similar = found(source, "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED")
    assert org.finding_type is FindingType.WARNING
    assert org.message == (
        '"repo:example-org/*": the wildcard in "token.actions.githubusercontent.com:sub" stands '
        "for the repository, so workflows of other repositories, maybe outside your control, "
        'could assume the role. Name the repository and branch (for example '
        '"repo:example-org/example-repo:ref:refs/heads/main")')
    assert anything.message.startswith('"repo:*"') and similar.fixes == ()
    text, _ = marked(source)
    assert set(codes(text)) == {"SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED"}


@pytest.mark.parametrize(("operator", "value"), [
    ("StringLike", "*"), ("ForAnyValue:StringLike", "re*"), ("StringLikeIfExists", "repo:*/app"),
])
def test_a_wildcard_for_the_whole_subject(operator: str, value: str) -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"Federated": "<github>"}, "Action": '
                  '"sts:AssumeRoleWithWebIdentity", "Condition": {"' + operator + '": '
                  '{"Token.Actions.GitHubUserContent.com:sub": "«' + value + '»"}}}')
    found(source, "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED")


@pytest.mark.parametrize(("effect", "operator", "value"), [
    # One repository, any branch, tag or environment: GitHub's own example.
    ("Allow", "StringLike", "repo:example-org/app:*"),
    ("Allow", "StringLike", "repo:example-org/app:ref:refs/heads/release-*"),
    # A customized subject format is not judged.
    ("Allow", "StringLike", "repository_owner_id:1234:repository_id:*"),
    # StringEquals reads "*" as itself; a negated operator narrows; a Deny denies.
    ("Allow", "StringEquals", "repo:example-org/*"),
    ("Allow", "StringNotLike", "repo:other-org/*"),
    ("Deny", "StringLike", "repo:*"),
])
def test_no_broad_repository(effect: str, operator: str, value: str) -> None:
    text = wrap('{"Effect": "' + effect + '", "Principal": {"Federated": "<github>"}, "Action": '
                '"sts:AssumeRoleWithWebIdentity", "Condition": {"' + operator + '": '
                '{"' + SUB + '": "' + value + '"}}}')
    assert "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED" not in codes(text)


# --- CONFIRM_AUDIENCE_CLAIM_TYPE -------------------------------------------------------------


def test_an_audience_under_a_set_qualifier() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {"Federated": "<github>"}, "Action": '
                  '"sts:AssumeRoleWithWebIdentity", "Condition": {"ForAllValues:StringEquals": '
                  '{"«token.actions.githubusercontent.com:aud»": "sts.amazonaws.com"}, '
                  '"StringEquals": {"' + SUB + '": "repo:example-org/app:ref:refs/heads/main"}}}',
                  '{"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, '
                  '"Action": "sts:AssumeRoleWithWebIdentity", "Condition": {'
                  '"ForAnyValue:StringLike": {"«accounts.google.com:aud»": "*.apps.example"}}}')
    github, google = found(source, "CONFIRM_AUDIENCE_CLAIM_TYPE")
    assert github.finding_type is FindingType.SUGGESTION
    assert github.message.startswith('"token.actions.githubusercontent.com:aud" is tested with '
                                     '"ForAllValues:", which is for a multivalued claim')
    assert google.message.endswith('remove "ForAnyValue:"')


@pytest.mark.parametrize("condition", [
    '{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}',
    # Not an OIDC audience: the SAML recipient, Cognito's authentication methods.
    '{"ForAnyValue:StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}',
    '{"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}',
])
def test_no_audience_to_confirm(condition: str) -> None:
    text = wrap('{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, '
                '"Action": "sts:AssumeRoleWithWebIdentity", "Condition": ' + condition + "}")
    assert "CONFIRM_AUDIENCE_CLAIM_TYPE" not in codes(text)


# --- Every new code ------------------------------------------------------------------------


def test_registered_with_access_analyzers_finding_types_and_links() -> None:
    assert CODES["INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY"] is FindingType.ERROR
    assert CODES["MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY"] is FindingType.ERROR
    assert CODES["SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED"] is FindingType.WARNING
    assert CODES["CONFIRM_AUDIENCE_CLAIM_TYPE"] is FindingType.SUGGESTION
    assert code_link("MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY").endswith(
        "#access-analyzer-reference-policy-checks-error-missing-action-for-roles-anywhere-"
        "trust-policy")
    assert code_link("SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED").endswith(
        "#access-analyzer-reference-policy-checks-general-warning-specific-github-repo-and-"
        "branch-recommended")


def test_every_message_has_korean_with_the_same_facts() -> None:
    text = wrap('{"Effect": "Allow", "Principal": {"Federated": ["<github>", "GitHub"]}, '
                '"Action": "sts:AssumeRoleWithWebIdentity", "Condition": {'
                '"ForAnyValue:StringEquals": {"token.actions.githubusercontent.com:aud": "sts"}, '
                '"StringLike": {"' + SUB + '": "repo:example-org/*"}}}',
                '{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, '
                '"Action": "sts:AssumeRole", <anchor>}')
    findings = analyze(text, Settings(policy_type=TRUST)).findings
    assert {f.code for f in findings} == set(NEW_CODES)
    for finding in findings:
        assert_korean(finding)


@pytest.mark.parametrize("name", sorted(p.name for p in POLICIES.glob("*.json")))
def test_real_shaped_policies_get_none_of_these(name: str) -> None:
    analysis = analyze((POLICIES / name).read_text(encoding="utf-8"))
    assert not {f.code for f in analysis.findings} & set(NEW_CODES)

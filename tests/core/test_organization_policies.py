"""AWS Organizations' service control policies (SCPs) and resource control policies (RCPs):
what their syntax pages rule out, their size quotas, and that the rules AWS lifted for SCPs
in September 2025 (and the checks of what an Allow grants) are not reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markers import marked
from test_korean_messages import assert_korean

from connect_policy.analysis import Settings, analyze
from connect_policy.checks.organization_policies import RCP_QUOTA, SCP_QUOTA
from connect_policy.document.json_edits import apply_edits
from connect_policy.document.policy import PolicyType
from connect_policy.findings import CODES, Finding, FindingType
from connect_policy.formats.host import HostKind, analyze_host

POLICIES = Path(__file__).resolve().parent / "policy_types"
SCP, RCP = PolicyType.SERVICE_CONTROL, PolicyType.RESOURCE_CONTROL
RCP_SYNTAX = ("https://docs.aws.amazon.com/organizations/latest/userguide/"
              "orgs_manage_policies_rcps_syntax.html")


def wrap(*statements: str) -> str:
    return '{"Version": "2012-10-17", "Statement": [' + ", ".join(statements) + "]}"


def findings(text: str, policy_type: PolicyType | None) -> list[Finding]:
    return analyze(text, Settings(policy_type=policy_type)).findings


def found(source: str, code: str, policy_type: PolicyType | None) -> list[Finding]:
    """The findings of `code`, which must sit exactly on the «marked» ranges."""
    text, spans = marked(source)
    result = [f for f in findings(text, policy_type) if f.code == code]
    assert [f.span for f in result] == spans, [(f.span, f.message) for f in result]
    return result


# --- Service control policies ----------------------------------------------------------------


def test_principal_and_notprincipal_in_an_scp() -> None:
    source = wrap('{"Effect": "Deny", «"Principal"»: {"AWS": "arn:aws:iam::111122223333:root"}, '
                  '"Action": "s3:DeleteBucket", "Resource": "*"}',
                  '{"Effect": "Deny", «"NotPrincipal"»: {"AWS": "111122223333"}, '
                  '"Action": "connect:DeleteInstance", "Resource": "*"}')
    first, second = found(source, "SCP_SYNTAX_ERROR_PRINCIPAL", SCP)
    assert first.message.startswith('A service control policy cannot contain "Principal"')
    assert '"NotPrincipal"' in second.message
    assert first.finding_type is FindingType.ERROR
    assert first.link.endswith("#access-analyzer-reference-policy-checks-error-"
                               "scp-syntax-error-principal")
    # Not the identity or resource policies' principal codes.
    text = marked(source)[0]
    assert {f.code for f in findings(text, SCP)} == {"SCP_SYNTAX_ERROR_PRINCIPAL"}
    # Other policy types never get it.
    for policy_type in (None, PolicyType.IDENTITY, PolicyType.RESOURCE, RCP):
        assert found(text, "SCP_SYNTAX_ERROR_PRINCIPAL", policy_type) == []


def test_the_principal_of_an_scp_is_removed_by_its_fix() -> None:
    text = wrap('{"Effect": "Deny", "Principal": "*", "Action": "organizations:LeaveOrganization", '
                '"Resource": "*"}')
    (finding,) = [f for f in findings(text, SCP) if f.code == "SCP_SYNTAX_ERROR_PRINCIPAL"]
    (fix,) = finding.fixes
    assert fix.title == 'Remove "Principal"' and fix.preferred
    fixed = apply_edits(text, fix.edits)
    assert json.loads(fixed)["Statement"][0] == {
        "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}
    assert findings(fixed, SCP) == []


def test_a_statement_that_is_only_a_principal_gets_no_fix() -> None:
    (finding,) = found(wrap('{«"Principal"»: "*"}'), "SCP_SYNTAX_ERROR_PRINCIPAL", SCP)
    assert finding.fixes == ()


# What AWS lifted in September 2025: each of these was an SCP error before, and is valid now.
LIFTED = [
    # SCP_SYNTAX_ERROR_ALLOW_CONDITION
    '{"Effect": "Allow", "Action": "connect:*", "Resource": "*", "Condition": '
    '{"StringEquals": {"aws:RequestedRegion": "ap-northeast-2"}}}',
    # SCP_SYNTAX_ERROR_ALLOW_RESOURCE
    '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::recordings/*"}',
    # SCP_SYNTAX_ERROR_ALLOW_NOTACTION
    '{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}',
    # SCP_SYNTAX_ERROR_NOTRESOURCE
    '{"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::recordings/*"}',
    # SCP_SYNTAX_ERROR_ACTION_WILDCARD
    '{"Effect": "Deny", "Action": ["connect:*Instance", "ec2:*Vpc*"], "Resource": "*"}',
]


@pytest.mark.parametrize("statement", LIFTED)
def test_what_aws_lifted_for_scps_is_not_reported(statement: str) -> None:
    assert [(f.code, f.message) for f in findings(wrap(statement), SCP)] == []


def test_the_lifted_codes_stay_registered() -> None:
    # Registered (a user may select or ignore them), never raised.
    for code in ("SCP_SYNTAX_ERROR_ACTION_WILDCARD", "SCP_SYNTAX_ERROR_ALLOW_CONDITION",
                 "SCP_SYNTAX_ERROR_ALLOW_NOTACTION", "SCP_SYNTAX_ERROR_ALLOW_RESOURCE",
                 "SCP_SYNTAX_ERROR_NOTRESOURCE"):
        assert CODES[code] is FindingType.ERROR


def test_what_an_allow_grants_is_not_checked_in_an_scp_or_rcp() -> None:
    # FullAWSAccess, the SCP AWS attaches everywhere: an SCP's Allow grants nothing, so
    # PASS_ROLE_* and CREATE_SLR_* (and MISSING_DEPENDENT_ACTION) do not apply.
    text = wrap('{"Effect": "Allow", "Action": "*", "Resource": "*"}')
    assert {f.code for f in findings(text, PolicyType.IDENTITY)} == {
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE"}
    assert findings(text, SCP) == []
    connect = wrap('{"Effect": "Allow", "Action": "connect:CreateInstance", "Resource": "*"}')
    assert "MISSING_DEPENDENT_ACTION" in {f.code for f in findings(connect, None)}
    assert findings(connect, SCP) == []


def _policy_of_length(length: int, principal: bool = False) -> str:
    """A policy document of exactly `length` characters, spaces included."""
    statement = {"Sid": "", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}
    if principal:
        statement = {"Sid": "", "Effect": "Deny", "Principal": "*",
                     "Action": "s3:DeleteBucket", "Resource": "*"}
    base = json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=4)
    text = base.replace('"Sid": ""', f'"Sid": "{"S" * (length - len(base))}"')
    assert len(text) == length
    return text


def test_scp_size_quota_counts_every_character() -> None:
    assert SCP_QUOTA == 5_120
    assert found(_policy_of_length(SCP_QUOTA), "POLICY_SIZE_EXCEEDS_SCP_QUOTA", SCP) == []
    over = _policy_of_length(SCP_QUOTA + 7)
    (finding,) = found("«{»" + over[1:], "POLICY_SIZE_EXCEEDS_SCP_QUOTA", SCP)
    assert finding.data == {"size": SCP_QUOTA + 7, "quota": SCP_QUOTA}
    assert finding.finding_type is FindingType.ERROR
    assert finding.message.startswith(
        "This service control policy has 5,127 characters, 7 over the 5,120 AWS "
        "Organizations allows for an SCP; every character counts, whitespace included")
    # The whitespace is what puts it over: minified, it fits, and the message says so.
    assert "without the whitespace outside strings it has" in finding.message
    assert finding.link.endswith("error-policy-size-exceeds-scp-quota")
    # Only SCPs have this quota (an identity policy counts no whitespace and allows 10,240).
    assert found(over, "POLICY_SIZE_EXCEEDS_SCP_QUOTA", PolicyType.IDENTITY) == []
    assert found(over, "POLICY_SIZE_EXCEEDS_SCP_QUOTA", RCP) == []


def test_scp_size_quota_without_whitespace_asks_to_split() -> None:
    text = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "S" * SCP_QUOTA, "Effect": "Deny", "Action": "s3:*", "Resource": "*"}]},
        separators=(",", ":"))
    (finding,) = found("«{»" + text[1:], "POLICY_SIZE_EXCEEDS_SCP_QUOTA", SCP)
    assert "split it into several smaller SCPs" in finding.message
    assert "without the whitespace" not in finding.message


def test_scp_in_a_template_counts_the_json_cloudformation_sends() -> None:
    # Indentation in YAML is not what Organizations receives: the compact JSON is.
    statement = {"Sid": "", "Effect": "Deny", "Principal": "*",
                 "Action": "organizations:LeaveOrganization", "Resource": "*"}
    compact = json.dumps({"Version": "2012-10-17", "Statement": [statement]},
                         separators=(",", ":"))
    sid = "S" * (SCP_QUOTA - len(compact))  # exactly at the quota once sent
    template = f"""Resources:
  Guardrail:
    Type: AWS::Organizations::Policy
    Properties:
      Name: guardrail
      Type: SERVICE_CONTROL_POLICY
      Content:
        Version: "2012-10-17"
        Statement:
          - Sid: {sid}
            Effect: Deny
            Principal: "*"
            Action: organizations:LeaveOrganization
            Resource: "*"
"""
    codes = [f.code for f in analyze_host(template, HostKind.YAML).findings]
    assert codes == ["SCP_SYNTAX_ERROR_PRINCIPAL"]
    longer = analyze_host(template.replace(sid, sid + "S" * 200), HostKind.YAML).findings
    assert [f.code for f in longer] == ["POLICY_SIZE_EXCEEDS_SCP_QUOTA",
                                        "SCP_SYNTAX_ERROR_PRINCIPAL"]
    assert "5,320 characters, 200 over" in longer[0].message


# --- Resource control policies ---------------------------------------------------------------


def test_allow_only_in_rcp_full_aws_access() -> None:
    source = wrap('{"Effect": «"Allow"», "Principal": "*", "Action": "s3:GetObject", '
                  '"Resource": "*"}',
                  # RCPFullAWSAccess's own statement, with or without a Sid, in lists or not.
                  '{"Sid": "Full", "Effect": "Allow", "Principal": "*", "Action": ["*"], '
                  '"Resource": "*"}',
                  '{"Effect": «"Allow"», "Principal": "*", "Action": "*", "Resource": "*", '
                  '"Condition": {"Bool": {"aws:SecureTransport": "true"}}}')
    first, _conditioned = found(source, "RCP_SYNTAX_ERROR_ALLOW", RCP)
    assert first.message.startswith('"Effect": "Allow" is supported only in RCPFullAWSAccess')
    assert first.finding_type is FindingType.ERROR and first.link == RCP_SYNTAX
    assert found(marked(source)[0], "RCP_SYNTAX_ERROR_ALLOW", SCP) == []


def test_an_rcp_principal_must_be_star() -> None:
    source = wrap('{"Effect": "Deny", "Principal": «{"AWS": "arn:aws:iam::111122223333:root"}», '
                  '"Action": "s3:*", "Resource": "*"}',
                  '{"Effect": "Deny", "Principal": «{"AWS": "*"}», "Action": "sqs:*", '
                  '"Resource": "*"}',
                  '{"Effect": "Deny", "Principal": «["*"]», "Action": "kms:*", "Resource": "*"}',
                  '{"Effect": "Deny", "Principal": "*", "Action": "sts:*", "Resource": "*"}')
    account, aws_star, array = found(source, "RCP_SYNTAX_ERROR_PRINCIPAL", RCP)
    assert account.message.startswith('A resource control policy takes only "Principal": "*"')
    assert account.fixes == () and array.fixes == ()
    # {"AWS": "*"} is everyone too: the fix writes it as "*".
    (fix,) = aws_star.fixes
    fixed = apply_edits(marked(source)[0], fix.edits)
    assert json.loads(fixed)["Statement"][1]["Principal"] == "*"
    assert account.link == RCP_SYNTAX
    # A resource policy's principals are not held to that.
    assert found(marked(source)[0], "RCP_SYNTAX_ERROR_PRINCIPAL", PolicyType.RESOURCE) == []


def test_an_rcp_principal_known_only_at_deployment_is_not_judged() -> None:
    template = """Resources:
  Perimeter:
    Type: AWS::Organizations::Policy
    Properties:
      Name: perimeter
      Type: RESOURCE_CONTROL_POLICY
      Content:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Principal: !Ref PrincipalParameter
            Action: s3:*
            Resource: "*"
"""
    assert [f.code for f in analyze_host(template, HostKind.YAML).findings] == []


def test_an_rcp_statement_needs_a_principal_and_the_fix_adds_star() -> None:
    source = wrap('«{»"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": '
                  '{"BoolIfExists": {"aws:SecureTransport": "false"}}}')
    (finding,) = found(source, "MISSING_PRINCIPAL", RCP)
    assert 'in a resource control policy each statement must have "Principal": "*"' in (
        finding.message)
    (fix,) = finding.fixes
    fixed = apply_edits(marked(source)[0], fix.edits)
    assert json.loads(fixed)["Statement"][0]["Principal"] == "*"
    assert findings(fixed, RCP) == []
    # An SCP takes no principal: nothing missing there.
    assert found(marked(source)[0], "MISSING_PRINCIPAL", SCP) == []


def test_notprincipal_and_notaction_in_an_rcp() -> None:
    source = wrap('{"Effect": "Deny", <np>"NotPrincipal"</np>: {"AWS": "111122223333"}, '
                  '"Action": "s3:*", "Resource": "*"}',
                  '{"Effect": "Deny", "Principal": "*", <na>"NotAction"</na>: "s3:GetObject", '
                  '"Resource": "*"}')

    def marking(tag: str) -> str:
        other = "na" if tag == "np" else "np"
        return source.replace(f"<{tag}>", "«").replace(f"</{tag}>", "»").replace(
            f"<{other}>", "").replace(f"</{other}>", "")

    (not_principal,) = found(marking("np"), "RCP_SYNTAX_ERROR_NOTPRINCIPAL", RCP)
    (not_action,) = found(marking("na"), "RCP_SYNTAX_ERROR_NOTACTION", RCP)
    assert 'do not support "NotPrincipal"' in not_principal.message
    assert 'do not support "NotAction"' in not_action.message
    text = marked(marking("np"))[0]
    # The statement with NotPrincipal names a principal element: not MISSING_PRINCIPAL.
    assert {f.code for f in findings(text, RCP)} == {"RCP_SYNTAX_ERROR_NOTPRINCIPAL",
                                                     "RCP_SYNTAX_ERROR_NOTACTION"}
    assert found(text, "RCP_SYNTAX_ERROR_NOTACTION", SCP) == []


def test_actions_of_services_rcps_do_not_apply_to() -> None:
    source = wrap('{"Effect": "Deny", "Principal": "*", "Action": ["s3:PutObject", '
                  '"«ec2»:RunInstances", "«connect»:DeleteInstance", "kms:*", "*", "s3*:Get*", '
                  '"dynamodb:DeleteTable", "logs:DeleteLogGroup", "ecr:DeleteRepository"], '
                  '"Resource": "*"}')
    text, spans = marked(source)
    result = [f for f in findings(text, RCP) if f.code == "RCP_UNSUPPORTED_SERVICE"]
    # The finding covers the whole action string; the marks show which ones.
    assert [text[f.span.start:f.span.end] for f in result] == [
        "ec2:RunInstances", "connect:DeleteInstance"]
    assert [f.span.start for f in result] == [s.start for s in spans]
    ec2 = result[0]
    assert ec2.finding_type is FindingType.SUGGESTION
    assert ec2.message.startswith('Resource control policies do not apply to Amazon EC2 ("ec2")')
    # A misspelt service is INVALID_SERVICE_IN_ACTION's, not this.
    typo = wrap('{"Effect": "Deny", "Principal": "*", "Action": "s33:GetObject", '
                '"Resource": "*"}')
    assert [f.code for f in findings(typo, RCP)] == ["INVALID_SERVICE_IN_ACTION"]


def test_an_rcp_must_use_the_2012_version() -> None:
    source = ('{"Version": «"2008-10-17"», "Statement": [{"Effect": "Deny", "Principal": "*", '
              '"Action": "s3:*", "Resource": "*"}]}')
    (finding,) = found(source, "RCP_SYNTAX_ERROR_VERSION", RCP)
    assert finding.message == 'A resource control policy must use "Version": "2012-10-17"'
    (fix,) = finding.fixes
    fixed = apply_edits(marked(source)[0], fix.edits)
    assert json.loads(fixed)["Version"] == "2012-10-17" and findings(fixed, RCP) == []
    # Other policy types keep 2008-10-17 (it only leaves policy variables as text).
    for policy_type in (SCP, PolicyType.RESOURCE, None):
        assert found(marked(source)[0], "RCP_SYNTAX_ERROR_VERSION", policy_type) == []


def test_rcp_size_quota() -> None:
    assert RCP_QUOTA == 5_120
    at_quota = _policy_of_length(RCP_QUOTA, principal=True)
    assert found(at_quota, "RCP_POLICY_SIZE_EXCEEDS_QUOTA", RCP) == []
    over = _policy_of_length(RCP_QUOTA + 1, principal=True)
    (finding,) = found("«{»" + over[1:], "RCP_POLICY_SIZE_EXCEEDS_QUOTA", RCP)
    assert finding.message.startswith(
        "This resource control policy has 5,121 characters, 1 over the 5,120 AWS "
        "Organizations allows for an RCP")
    assert finding.finding_type is FindingType.ERROR
    assert finding.link.endswith("orgs_reference_limits.html")


# --- Registration and messages ---------------------------------------------------------------


OWN_RCP_CODES = {
    "RCP_SYNTAX_ERROR_VERSION": FindingType.ERROR,
    "RCP_SYNTAX_ERROR_ALLOW": FindingType.ERROR,
    "RCP_SYNTAX_ERROR_PRINCIPAL": FindingType.ERROR,
    "RCP_SYNTAX_ERROR_NOTPRINCIPAL": FindingType.ERROR,
    "RCP_SYNTAX_ERROR_NOTACTION": FindingType.ERROR,
    "RCP_POLICY_SIZE_EXCEEDS_QUOTA": FindingType.ERROR,
    "RCP_UNSUPPORTED_SERVICE": FindingType.SUGGESTION,
}


def test_own_rcp_codes_are_registered_with_a_link_to_the_organizations_guide() -> None:
    for code, finding_type in OWN_RCP_CODES.items():
        assert CODES[code] is finding_type
        link = Finding(code, "", marked("«x»")[1][0]).link
        assert link.startswith("https://docs.aws.amazon.com/organizations/latest/userguide/")


def test_every_message_has_korean_with_the_same_facts() -> None:
    rcp = wrap('{"Effect": "Allow", "NotPrincipal": {"AWS": "1"}, "NotAction": "ec2:Run*", '
               '"Action": "ec2:RunInstances", "Resource": "*"}',
               '{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*"}',
               '{"Effect": "Deny", "Action": "s3:*"}')
    scp = wrap('{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}')
    old = rcp.replace("2012-10-17", "2008-10-17")
    cases = [(rcp, RCP), (old, RCP), (scp, SCP), (_policy_of_length(SCP_QUOTA + 1), SCP),
             (_policy_of_length(RCP_QUOTA + 1, principal=True), RCP),
             (json.dumps({"Statement": [{"Sid": "S" * SCP_QUOTA, "Effect": "Deny",
                                         "Action": "s3:*"}]}, separators=(",", ":")), SCP)]
    codes = set()
    for text, policy_type in cases:
        for finding in findings(text, policy_type):
            codes.add(finding.code)
            if finding.code in OWN_RCP_CODES or finding.code.startswith(("SCP_", "POLICY_SIZE",
                                                                          "MISSING_PRINCIPAL")):
                assert_korean(finding)
    assert codes >= set(OWN_RCP_CODES) | {"SCP_SYNTAX_ERROR_PRINCIPAL",
                                          "POLICY_SIZE_EXCEEDS_SCP_QUOTA", "MISSING_PRINCIPAL"}


# --- Real-shaped policies: no false errors ----------------------------------------------------


@pytest.mark.parametrize(("name", "policy_type"), [
    ("scp-deny-regions-except-approved.json", SCP),
    ("scp-deny-leaving-organization.json", SCP),
    ("scp-protect-connect-instances.json", SCP),
    ("rcp-enforce-secure-transport.json", RCP),
    ("rcp-full-aws-access.json", RCP),
])
def test_real_shaped_organization_policies_are_clean(name: str,
                                                     policy_type: PolicyType) -> None:
    analysis = analyze((POLICIES / name).read_text(encoding="utf-8"),
                       Settings(policy_type=policy_type))
    assert analysis.policy_type is policy_type
    assert [(f.code, f.message) for f in analysis.findings] == []

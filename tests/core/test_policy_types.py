"""Policy types: where a policy's type comes from (settings, the host, the content), and the
checks that follow it: MISSING_PRINCIPAL, UNSUPPORTED_PRINCIPAL, INVALID_PRINCIPAL_KEY,
ALLOW_WITH_NOTPRINCIPAL, the role trust policy checks and the trust policy's size quota,
and no identity-only finding on resource and trust policies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markers import marked
from test_korean_messages import assert_korean

from connect_policy.analysis import Settings, analyze, analyze_in_host
from connect_policy.checks.size import ROLE_TRUST_POLICY_QUOTA, policy_size
from connect_policy.config import ConfigError, parse_config
from connect_policy.document.json_edits import apply_edits
from connect_policy.document.policy import (
    PolicyType,
    build_policy,
    infer_policy_type,
    parse_policy_type,
)
from connect_policy.document.syntax import parse
from connect_policy.editor.symbols import document_symbols
from connect_policy.findings import CODES, Finding, FindingType
from connect_policy.formats.host import HostKind

POLICIES = Path(__file__).resolve().parent / "policy_types"
IDENTITY, RESOURCE, TRUST = PolicyType.IDENTITY, PolicyType.RESOURCE, PolicyType.TRUST
# Codes that only an identity policy can get.
IDENTITY_ONLY = {"MISSING_RESOURCE", "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
                 "UNSUPPORTED_PRINCIPAL"}


def wrap(*statements: str) -> str:
    return '{"Version": "2012-10-17", "Statement": [' + ", ".join(statements) + "]}"


def found(source: str, code: str, policy_type: PolicyType | None = None) -> list[Finding]:
    """The findings of `code`, which must sit exactly on the «marked» ranges."""
    text, spans = marked(source)
    result = [f for f in analyze(text, Settings(policy_type=policy_type)).findings
              if f.code == code]
    assert [f.span for f in result] == spans, [(f.span, f.message) for f in result]
    return result


def type_of(text: str) -> PolicyType:
    return infer_policy_type(build_policy(parse(text)))


# --- Where the type comes from -------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    (wrap('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}'), IDENTITY),
    (wrap('{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}'),
     RESOURCE),
    (wrap('{"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:*", '
          '"Resource": "*"}'), RESOURCE),
    (wrap('{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, '
          '"Action": "sts:AssumeRole"}'), TRUST),
    # Role assumption in every spelling, several statements, actions in any case.
    (wrap('{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:'
          'oidc-provider/token.actions.githubusercontent.com"}, "Action": '
          '"sts:AssumeRoleWithWebIdentity"}',
          '{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, '
          '"Action": ["STS:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity", '
          '"sts:SetContext", "sts:AssumeRole*"]}'), TRUST),
    # Any other action makes it a resource policy, as does NotAction.
    (wrap('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, '
          '"Action": ["sts:AssumeRole", "s3:GetObject"]}'), RESOURCE),
    (wrap('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, '
          '"NotAction": "sts:AssumeRole"}'), RESOURCE),
    # A lone statement is read the same way.
    ('{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, '
     '"Action": "sts:AssumeRole"}', TRUST),
])
def test_a_policy_file_type_is_read_from_its_content(text: str, expected: PolicyType) -> None:
    assert type_of(text) is expected
    assert analyze(text).policy_type is expected


def test_a_setting_decides_over_the_content() -> None:
    text = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})
    assert analyze(text).policy_type is IDENTITY
    assert analyze(text, Settings(policy_type=RESOURCE)).policy_type is RESOURCE
    assert [f.code for f in analyze(text, Settings(policy_type=RESOURCE)).findings] == [
        "MISSING_PRINCIPAL"]


@pytest.mark.parametrize(("name", "expected"), [
    ("identity", IDENTITY), ("resource", RESOURCE), ("trust", TRUST),
    ("service-control", PolicyType.SERVICE_CONTROL),
    ("resource-control", PolicyType.RESOURCE_CONTROL),
    ("RESOURCE_POLICY", RESOURCE), ("IDENTITY_POLICY", IDENTITY),
    ("SERVICE_CONTROL_POLICY", PolicyType.SERVICE_CONTROL), (" Trust ", TRUST),
    ("scp", PolicyType.SERVICE_CONTROL),
    ("unknown", None), ("bucket", None), ("", None),
])
def test_policy_type_names(name: str, expected: PolicyType | None) -> None:
    assert parse_policy_type(name) is expected


def test_settings_file_policy_type_by_glob(tmp_path: Path) -> None:
    config = parse_config({"policy-type": {"trust/**": "trust", "buckets/*.json": "resource",
                                           "**/*.json": "identity"}}, tmp_path)
    assert config.policy_type_for(tmp_path / "trust" / "connect.json") is TRUST
    assert config.policy_type_for(tmp_path / "buckets" / "recordings.json") is RESOURCE
    # The first glob that matches decides.
    assert config.policy_type_for(tmp_path / "iam" / "agents.json") is IDENTITY
    assert parse_config({}, tmp_path).policy_type_for(tmp_path / "a.json") is None
    # One type for every file.
    every = parse_config({"policy-type": "resource"}, tmp_path)
    assert every.policy_type_for(tmp_path / "x" / "y.json") is RESOURCE
    assert every.with_policy_type(TRUST).policy_type_for(tmp_path / "y.json") is TRUST


@pytest.mark.parametrize(("value", "message"), [
    ({"trust/**": "bucket"}, "'bucket' is not a policy type (one of identity, resource, trust"),
    ({"trust/**": 3}, "3 is not a policy type"),
    (["trust"], '"policy-type" must be a type or a table'),
])
def test_settings_file_policy_type_errors(value: object, message: str) -> None:
    with pytest.raises(ConfigError, match=None) as error:
        parse_config({"policy-type": value})
    assert message in str(error.value)


def test_a_yaml_policy_file_takes_the_setting_and_else_its_content() -> None:
    text = """Version: "2012-10-17"
Statement:
  - Effect: Allow
    Principal:
      Service: connect.amazonaws.com
    Action: sts:AssumeRole
"""
    inferred = analyze_in_host(text, HostKind.YAML)
    assert inferred is not None and inferred.findings == []
    as_identity = analyze_in_host(text, HostKind.YAML, Settings(policy_type=IDENTITY))
    assert as_identity is not None
    assert [(f.code, text[f.span.start:f.span.end]) for f in as_identity.findings] == [
        ("MISSING_RESOURCE", "E"), ("UNSUPPORTED_PRINCIPAL", "Principal")]


def test_the_outline_shows_the_type() -> None:
    text = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "connect.amazonaws.com"},
         "Action": "sts:AssumeRole"}]})
    analysis = analyze(text)
    (policy,) = document_symbols(analysis.policy, analysis.policy_type)
    assert (policy.name, policy.detail) == ("Policy", "trust policy · 2012-10-17")
    (unversioned,) = document_symbols(build_policy(parse('{"Statement": []}')), IDENTITY)
    assert unversioned.detail == "identity policy"


# --- The checks ------------------------------------------------------------------------------


def test_missing_principal_in_a_resource_policy() -> None:
    (finding,) = found(wrap(
        '{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", '
        '"Resource": "arn:aws:s3:::b/*"}',
        '«{»"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}'),
        "MISSING_PRINCIPAL")
    assert finding.finding_type is FindingType.ERROR
    assert 'The statement has no "Principal": in a resource-based policy' in finding.message
    assert "리소스 기반 정책" in finding.translations["ko"]


def test_missing_principal_in_a_trust_policy_by_setting() -> None:
    (finding,) = found(wrap('«{»"Effect": "Allow", "Action": "sts:AssumeRole"}'),
                       "MISSING_PRINCIPAL", TRUST)
    assert "a role's trust policy" in finding.message


def test_no_missing_principal_in_identity_and_service_control_policies() -> None:
    # A resource control policy needs "Principal": "*" (test_organization_policies).
    text = wrap('{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}')
    for policy_type in (None, IDENTITY, PolicyType.SERVICE_CONTROL, PolicyType.UNKNOWN):
        assert found(text, "MISSING_PRINCIPAL", policy_type) == []


def test_unsupported_principal_in_an_identity_policy() -> None:
    source = wrap('{"Effect": "Allow", «"Principal"»: {"AWS": "111122223333"}, '
                  '"Action": "s3:GetObject", "Resource": "*"}',
                  '{"Effect": "Deny", «"NotPrincipal"»: {"AWS": "111122223333"}, '
                  '"Action": "s3:GetObject", "Resource": "*"}')
    first, second = found(source, "UNSUPPORTED_PRINCIPAL", IDENTITY)
    assert 'An identity-based policy cannot contain "Principal"' in first.message
    assert '"NotPrincipal"' in second.message
    # Without the setting, a Principal makes the file a resource policy: nothing to report.
    assert found(source.replace("«", "").replace("»", ""), "UNSUPPORTED_PRINCIPAL") == []


def test_invalid_principal_key_with_did_you_mean() -> None:
    source = wrap('{"Effect": "Allow", "Principal": {«"aws"»: "111122223333", '
                  '«"Services"»: "s3.amazonaws.com", «"Users"»: "x"}, "Action": "s3:GetObject", '
                  '"Resource": "*"}')
    lower, plural, unknown = found(source, "INVALID_PRINCIPAL_KEY")
    assert lower.message == '"aws" is not a principal type: did you mean "AWS"?'
    assert [fix.title for fix in lower.fixes] == ['Change to "AWS"']
    assert plural.message == '"Services" is not a principal type: did you mean "Service"?'
    assert unknown.message.startswith('"Users" is not a principal type; a principal may '
                                      'contain "AWS", "Service", "Federated", "CanonicalUser"')
    assert unknown.fixes == ()
    assert lower.finding_type is FindingType.ERROR


def test_allow_with_notprincipal_in_a_resource_policy() -> None:
    source = wrap('{"Effect": "Allow", «"NotPrincipal"»: {"AWS": "arn:aws:iam::111122223333:'
                  'root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}',
                  '{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}'
                  ', "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::b/*"}')
    (finding,) = found(source, "ALLOW_WITH_NOTPRINCIPAL")
    assert finding.finding_type is FindingType.SECURITY_WARNING
    assert "anonymous users included" in finding.message


TRUST_ERRORS = wrap(
    '{"Effect": "Allow", <np>"NotPrincipal"</np>: {"AWS": "arn:aws:iam::111122223333:root"}, '
    '"Action": "sts:AssumeRole", <r>"Resource"</r>: "*"}',
    '{"Effect": "Allow", "Principal": <w>"*"</w>, "Action": "sts:AssumeRole", '
    '<r>"NotResource"</r>: "arn:aws:iam::111122223333:role/x"}')


def marking(tag: str) -> str:
    """`TRUST_ERRORS` with the ranges tagged `tag` marked, the other tags dropped."""
    source = TRUST_ERRORS.replace(f"<{tag}>", "«").replace(f"</{tag}>", "»")
    for other in ("np", "r", "w"):
        source = source.replace(f"<{other}>", "").replace(f"</{other}>", "")
    return source


def test_trust_policy_syntax_errors() -> None:
    (not_principal,) = found(marking("np"), "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL")
    assert 'cannot use "NotPrincipal"' in not_principal.message
    # NotPrincipal in a trust policy is its own error, not ALLOW_WITH_NOTPRINCIPAL.
    assert found(marking(""), "ALLOW_WITH_NOTPRINCIPAL") == []
    resource, not_resource = found(marking("r"), "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE")
    assert '"Resource"' in resource.message and '"NotResource"' in not_resource.message
    (wildcard,) = found(marking("w"), "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL")
    assert wildcard.message.startswith('"Principal": "*" is not supported')
    for finding in (not_principal, resource, not_resource, wildcard):
        assert finding.finding_type is FindingType.ERROR
        assert finding.translations["ko"]
    # None of these in a resource policy.
    text = marking("")
    assert {f.code for f in analyze(text, Settings(policy_type=RESOURCE)).findings} == {
        "ALLOW_WITH_NOTPRINCIPAL"}


def test_the_resource_of_a_trust_policy_is_removed_by_its_fix() -> None:
    text = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": '
            '{"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}]}')
    (finding,) = [f for f in analyze(text).findings
                  if f.code == "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE"]
    (fix,) = finding.fixes
    assert fix.title == 'Remove "Resource"' and fix.preferred
    fixed = apply_edits(text, fix.edits)
    assert json.loads(fixed)["Statement"][0] == {
        "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
        "Action": "sts:AssumeRole"}
    assert analyze(fixed).findings == []


def test_a_wildcard_in_a_principal_object_is_not_this_error() -> None:
    text = wrap('{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", '
                '"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}')
    assert found(text, "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL") == []


def _trust_policy_of_size(size: int) -> str:
    base = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
         "Action": "sts:AssumeRole"}]}, indent=2)
    padding = size - policy_size(base)
    return base.replace('"Sid": ""', f'"Sid": "{"S" * padding}"')


def test_role_trust_policy_quota() -> None:
    at_quota = _trust_policy_of_size(ROLE_TRUST_POLICY_QUOTA)
    assert policy_size(at_quota) == ROLE_TRUST_POLICY_QUOTA
    assert found(at_quota, "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA") == []
    over = _trust_policy_of_size(ROLE_TRUST_POLICY_QUOTA + 10)
    (finding,) = found("«{»" + over[1:], "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA")
    assert finding.data == {"size": ROLE_TRUST_POLICY_QUOTA + 10,
                            "quota": ROLE_TRUST_POLICY_QUOTA}
    assert "2,058 characters without whitespace, 10 over the 2,048" in finding.message
    assert finding.finding_type is FindingType.WARNING
    # The same text as an identity policy is far below the identity quota.
    assert [f.code for f in analyze(over, Settings(policy_type=IDENTITY)).findings
            if f.code.startswith("POLICY_SIZE")] == []


def test_no_identity_quota_on_resource_policies() -> None:
    statement = ('{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, '
                 '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/%s"}')
    text = wrap(*(statement % ("k" * 100 + str(i)) for i in range(120)))
    assert policy_size(text) > 10_240
    assert [f.code for f in analyze(text).findings] == []
    assert "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA" in {
        f.code for f in analyze(text, Settings(policy_type=IDENTITY)).findings}


def test_every_new_message_has_korean_with_the_same_facts() -> None:
    texts = [(marking(""), None), (marking(""), RESOURCE), (marking(""), IDENTITY),
             (wrap('{"Effect": "Allow", "Action": "sts:AssumeRole"}'), TRUST),
             (wrap('{"Effect": "Allow", "Principal": {"Qqq": "x"}, "Action": "s3:GetObject"}'),
              None), (_trust_policy_of_size(ROLE_TRUST_POLICY_QUOTA + 1), None)]
    codes = set()
    for text, policy_type in texts:
        for finding in analyze(text, Settings(policy_type=policy_type)).findings:
            codes.add(finding.code)
            assert_korean(finding)
    assert codes >= {"MISSING_PRINCIPAL", "UNSUPPORTED_PRINCIPAL", "INVALID_PRINCIPAL_KEY",
                     "ALLOW_WITH_NOTPRINCIPAL", "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
                     "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
                     "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
                     "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA"}


def test_every_new_code_is_registered_with_access_analyzers_finding_type() -> None:
    assert CODES["MISSING_PRINCIPAL"] is FindingType.ERROR
    assert CODES["UNSUPPORTED_PRINCIPAL"] is FindingType.ERROR
    assert CODES["INVALID_PRINCIPAL_KEY"] is FindingType.ERROR
    assert CODES["ALLOW_WITH_NOTPRINCIPAL"] is FindingType.SECURITY_WARNING
    assert CODES["POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA"] is FindingType.WARNING


# --- Real-shaped policies: no false errors ----------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("s3-bucket-policy-call-recordings.json", RESOURCE),
    ("kms-key-policy-connect.json", RESOURCE),
    ("trust-policy-connect.json", TRUST),
    ("trust-policy-lambda.json", TRUST),
])
def test_real_shaped_resource_and_trust_policies_are_clean(name: str,
                                                           expected: PolicyType) -> None:
    analysis = analyze((POLICIES / name).read_text(encoding="utf-8"))
    assert analysis.policy_type is expected
    assert [(f.code, f.message) for f in analysis.findings] == []


@pytest.mark.parametrize("name", ["trust-policy-connect.json", "trust-policy-lambda.json"])
def test_a_trust_policy_gets_no_identity_only_finding(name: str) -> None:
    text = (POLICIES / name).read_text(encoding="utf-8")
    assert not {f.code for f in analyze(text).findings} & IDENTITY_ONLY
    # The same file checked as an identity policy gets exactly those.
    as_identity = {f.code for f in analyze(text, Settings(policy_type=IDENTITY)).findings}
    assert as_identity == {"MISSING_RESOURCE", "UNSUPPORTED_PRINCIPAL"}


def test_a_resource_policy_gets_no_missing_resource() -> None:
    # An ECR repository policy names no resource: the repository is the resource.
    text = wrap('{"Sid": "Pull", "Effect": "Allow", "Principal": {"AWS": '
                '"arn:aws:iam::111122223333:root"}, "Action": ["ecr:BatchGetImage", '
                '"ecr:GetDownloadUrlForLayer"]}')
    assert analyze(text).findings == []


def test_an_edit_that_changes_the_type_checks_the_other_statements_again() -> None:
    from connect_policy.analysis import DocumentAnalyzer

    first = ('{"Effect": "Allow", "Action": "s3:GetObject", '
             '"Resource": "arn:aws:s3:::b/*"}')
    second = '{"Effect": "Allow", %s"Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}'
    analyzer = DocumentAnalyzer()
    before = analyzer.analyze(wrap(first, second % ""))
    assert before.policy_type is IDENTITY and before.findings == []
    # A principal in the second statement makes it a resource policy: the first statement,
    # unchanged, now lacks one (its memoised findings are not reused).
    text = wrap(first, second % '"Principal": {"AWS": "111122223333"}, ')
    after = analyzer.analyze(text)
    assert after.policy_type is RESOURCE
    assert [(f.code, f.span.start) for f in after.findings] == [
        ("MISSING_PRINCIPAL", text.index("{", 1 + text.index("[")))]
    assert after.findings == analyze(text).findings


def test_completion_offers_principal_by_the_settings_type() -> None:
    from markers import cursor

    from connect_policy.editor.completion import complete

    text, offset = cursor('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "|"}]}')

    def names(policy_type: PolicyType | None) -> list[str]:
        result = complete(text, offset, policy_type=policy_type)
        assert result is not None
        return [item.label for item in result.items]

    # Right after the effect in a trust or resource policy; never in an identity policy or an
    # SCP; from the content (offered last, none named yet) without a setting.
    assert names(TRUST)[:1] == ["Principal"] and names(RESOURCE)[:1] == ["Principal"]
    assert "Principal" not in names(IDENTITY)
    assert "Principal" not in names(PolicyType.SERVICE_CONTROL)
    assert names(None)[-2:] == ["Principal", "NotPrincipal"]


def test_the_outline_of_a_yaml_policy_file_shows_the_type() -> None:
    from connect_policy.editor.symbols import host_document_symbols

    text = 'Version: "2012-10-17"\nStatement:\n  - Effect: Allow\n    Action: s3:GetObject\n'
    for settings, expected in ((Settings(), "identity policy · 2012-10-17"),
                               (Settings(policy_type=RESOURCE), "resource policy · 2012-10-17")):
        analysis = analyze_in_host(text, HostKind.YAML, settings)
        assert analysis is not None
        (policy,) = host_document_symbols(analysis)
        assert (policy.name, policy.detail) == ("Policy", expected)

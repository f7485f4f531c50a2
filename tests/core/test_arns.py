"""The grammar of resource ARNs (arns.py) and RESOURCE_MATCHES_NO_ACTION (resources.py)."""

from __future__ import annotations

import re

import pytest
from helpers import assert_findings, findings
from markers import marked

from connect_policy.analysis import analyze
from connect_policy.checks.arns import patterns_overlap, split_arn
from connect_policy.findings import Finding, Severity

ARN_CODES = ("INVALID_ARN_PREFIX", "MISSING_ARN_FIELD", "INVALID_PARTITION",
             "INVALID_ARN_SERVICE_CASE", "INVALID_ARN_REGION", "INVALID_ARN_ACCOUNT",
             "MISSING_ARN_REGION", "INVALID_ARN_RESOURCE", "INVALID_SERVICE")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def with_resource(resource: str, action: str = '"connect:DescribeUser"',
                  effect: str = "Allow", element: str = "Resource") -> str:
    return ('{"Version": "2012-10-17", "Statement": [{"Effect": "' + effect + '", '
            f'"Action": {action}, "{element}": {resource}}}]}}')


def arn_findings(text: str) -> list[Finding]:
    return [f for f in findings(text) if f.code in ARN_CODES]


def fixed(source: str, finding: Finding) -> str:
    """The document after applying the finding's first fix."""
    text, _ = marked(source)
    (edit,) = finding.fixes[0].edits
    return text[:edit.span.start] + edit.new_text + text[edit.span.end:]


def korean(finding: Finding) -> None:
    assert _HANGUL.search(finding.translations["ko"]), finding.translations
    for identifier in re.findall(r"`[^`]+`", finding.message)[:1]:
        assert identifier in finding.translations["ko"]


# --- ARNs that are fine ---------------------------------------------------------------------


@pytest.mark.parametrize("arn", [
    "*",
    "arn:aws:connect:us-east-1:123456789012:instance/a1b2c3d4/agent/*",
    "arn:aws:connect:*:*:instance/*",
    "arn:aws-cn:connect:cn-north-1:123456789012:instance/*",
    "arn:aws-us-gov:connect:us-gov-west-1:123456789012:instance/*",
    "arn:*:s3:::bucket/*",  # a wildcard partition (AWS managed policies use it)
    "arn:aws:s3:::my-bucket",
    "arn:aws:iam::aws:policy/AdministratorAccess",  # the AWS-owned account
    "arn:aws:ssm:*::document/AWS-*",  # no account: an AWS-owned document
    "arn:aws:logs:::log-group:ApplicationWizard*",
    "arn:aws:organizations::*:",  # Access Analyzer accepts an empty resource here
    "arn:${aws:partition}:s3:::b",
    "arn:aws:s3:::${aws:username}/*",
    "arn:aws:connect:${aws:RequestedRegion}:${aws:PrincipalAccount}:instance/*",
    "arn:aws:connect:us-*:*:instance/${aws:PrincipalTag/InstanceId}/queue/*",
    "arn:aws:connect:eu-west-?:*:instance/*",
    "arn:aws:wisdom:ap-northeast-2:123456789012:assistant/*",
    "arn:aws:connect-campaigns:eusc-de-east-1:123456789012:campaign/*",
])
def test_valid_arns_pass(arn: str) -> None:
    assert arn_findings(with_resource(f'["{arn}"]')) == []


def test_split_keeps_colons_of_variables_and_of_the_resource() -> None:
    arn = split_arn("arn:aws:s3:::${aws:username}:x/y:z")
    assert arn.fields == ("arn", "aws", "s3", "", "", "${aws:username}:x/y:z")
    arn = split_arn("arn:${aws:partition}:s3:::b")
    assert arn.fields[1] == "${aws:partition}"
    assert arn.starts[2] == len("arn:${aws:partition}:")


# --- INVALID_ARN_PREFIX ---------------------------------------------------------------------


def test_arn_without_prefix_gets_it_added() -> None:
    source = with_resource('"«aws»:s3:::my-bucket"')
    (finding,) = assert_findings(source, "INVALID_ARN_PREFIX", 'lacks the "arn:" prefix',
                                 'did you mean "arn:aws:s3:::my-bucket"?')
    assert finding.severity is Severity.ERROR
    assert '"arn:aws:s3:::my-bucket"' in fixed(source, finding)
    korean(finding)


def test_upper_case_prefix() -> None:
    source = with_resource('"«ARN»:aws:s3:::b"')
    (finding,) = assert_findings(source, "INVALID_ARN_PREFIX", 'must be written "arn"')
    assert '"arn:aws:s3:::b"' in fixed(source, finding)


def test_misspelled_prefix() -> None:
    source = with_resource('"«arm»:aws:connect:us-east-1:123456789012:instance/*"')
    (finding,) = assert_findings(source, "INVALID_ARN_PREFIX", 'not "arm"')
    assert '"arn:aws:connect:' in fixed(source, finding)


def test_plain_name_and_empty_resource() -> None:
    assert_findings(with_resource('["«my-bucket»"]'), "INVALID_ARN_PREFIX",
                    '"my-bucket" is not an ARN')
    assert_findings(with_resource('[«""»]'), "INVALID_ARN_PREFIX", "Empty resource")


def test_wildcards_and_variables_at_the_start_are_not_judged() -> None:
    for value in ("*:*", "${aws:username}", "a*"):
        assert findings(with_resource(f'"{value}"'), "INVALID_ARN_PREFIX") == []


def test_not_resource_is_checked_too() -> None:
    assert_findings(with_resource('"«my-bucket»"', element="NotResource"),
                    "INVALID_ARN_PREFIX")


# --- MISSING_ARN_FIELD ----------------------------------------------------------------------


def test_bucket_arn_with_missing_colons_gets_them_back() -> None:
    source = with_resource('"«arn:aws:s3:my-bucket»"')
    (finding,) = assert_findings(source, "MISSING_ARN_FIELD", "has 4 of the 6 fields",
                                 'did you mean "arn:aws:s3:::my-bucket"?')
    assert '"arn:aws:s3:::my-bucket"' in fixed(source, finding)
    korean(finding)


def test_iam_arn_without_its_empty_region() -> None:
    source = with_resource('"«arn:aws:iam:123456789012:role/ConnectRole»"')
    (finding,) = assert_findings(source, "MISSING_ARN_FIELD")
    assert '"arn:aws:iam::123456789012:role/ConnectRole"' in fixed(source, finding)


def test_missing_field_without_a_sure_repair() -> None:
    (finding,) = assert_findings(with_resource('"«arn:aws:connect:us-east-1:instance/x»"'),
                                 "MISSING_ARN_FIELD", "has 5 of the 6 fields")
    assert finding.fixes == ()


# --- INVALID_PARTITION and INVALID_ARN_SERVICE_CASE ------------------------------------------


def test_unknown_partition() -> None:
    (finding,) = assert_findings(with_resource('"arn:«amazon»:s3:::b"'), "INVALID_PARTITION",
                                 '"amazon" is not an AWS partition')
    korean(finding)


def test_partition_in_upper_case_is_fixed() -> None:
    source = with_resource('"arn:«AWS»:s3:::b"')
    (finding,) = assert_findings(source, "INVALID_PARTITION", 'did you mean "aws"?')
    assert '"arn:aws:s3:::b"' in fixed(source, finding)


def test_service_in_upper_case() -> None:
    source = with_resource('"arn:aws:«Connect»:us-east-1:123456789012:instance/*"')
    (finding,) = assert_findings(source, "INVALID_ARN_SERVICE_CASE", '"connect", not "Connect"')
    assert '"arn:aws:connect:' in fixed(source, finding)
    assert findings(with_resource('"arn:aws:Connect:us-east-1:1:x"'), "INVALID_SERVICE") == []
    korean(finding)


# --- INVALID_ARN_REGION and MISSING_ARN_REGION -----------------------------------------------


def test_region_placeholder_from_an_example() -> None:
    (finding,) = assert_findings(
        with_resource('"arn:aws:connect:«region»:123456789012:instance/*"'),
        "INVALID_ARN_REGION", '"region" is not a Region code', "placeholder from an example")
    assert finding.fixes == ()
    korean(finding)


@pytest.mark.parametrize(("region", "suggestion"), [
    ("us-east-1a", "us-east-1"), ("us-est-1", "us-east-1"), ("US-EAST-1", "us-east-1"),
    ("ap-northeast2", "ap-northeast-2"),
])
def test_region_typos_suggest_the_region(region: str, suggestion: str) -> None:
    source = with_resource(f'"arn:aws:connect:«{region}»:123456789012:instance/*"')
    (finding,) = assert_findings(source, "INVALID_ARN_REGION", f'did you mean "{suggestion}"?')
    assert f"connect:{suggestion}:" in fixed(source, finding)


def test_connect_arn_without_region() -> None:
    (finding,) = assert_findings(
        with_resource('"arn:aws:connect«::»123456789012:instance/*"'), "MISSING_ARN_REGION",
        'every "connect" resource ARN names one')
    korean(finding)


def test_empty_region_is_fine_where_arns_have_none() -> None:
    assert findings(with_resource('"arn:aws:iam::123456789012:role/x"', '"iam:PassRole"'),
                    "MISSING_ARN_REGION") == []


# --- INVALID_ARN_ACCOUNT --------------------------------------------------------------------


def test_account_placeholder_from_an_example() -> None:
    (finding,) = assert_findings(
        with_resource('"arn:aws:connect:us-east-1:«account-id»:instance/*"'),
        "INVALID_ARN_ACCOUNT", '"account-id" is not an account ID', "placeholder")
    korean(finding)


def test_account_with_hyphens_is_fixed() -> None:
    source = with_resource('"arn:aws:connect:us-east-1:«1234-5678-9012»:instance/*"')
    (finding,) = assert_findings(source, "INVALID_ARN_ACCOUNT", '"123456789012"')
    assert ":123456789012:instance" in fixed(source, finding)


def test_short_account() -> None:
    (finding,) = assert_findings(
        with_resource('"arn:aws:connect:us-east-1:«12345»:instance/*"'), "INVALID_ARN_ACCOUNT",
        "12 digits")
    assert finding.fixes == ()


# --- INVALID_ARN_RESOURCE -------------------------------------------------------------------


def test_instance_id_placeholder_from_an_example() -> None:
    (finding,) = assert_findings(
        with_resource('"arn:aws:connect:us-east-1:123456789012:instance/«instance-id»"'),
        "INVALID_ARN_RESOURCE", '"instance-id" looks like a placeholder from an example')
    korean(finding)


def test_the_source_materials_placeholders_are_all_named() -> None:
    text = with_resource('"arn:aws:connect:region:account-id:instance/instance-id"',
                         '"connect:DescribeInstance"')
    got = [(f.code, text[f.span.start:f.span.end]) for f in arn_findings(text)]
    assert got == [("INVALID_ARN_REGION", "region"), ("INVALID_ARN_ACCOUNT", "account-id"),
                   ("INVALID_ARN_RESOURCE", "instance-id")]
    assert all("placeholder" in f.message for f in arn_findings(text))


def test_unknown_connect_resource_type_suggests_the_right_one() -> None:
    (finding,) = assert_findings(
        with_resource('"arn:aws:connect:us-east-1:123456789012:«instances/a1b2c3d4»"'),
        "INVALID_ARN_RESOURCE", 'matches no "connect" resource type', 'did you mean "instance"?')
    korean(finding)


def test_connect_arn_without_resource() -> None:
    assert_findings(with_resource('"arn:aws:connect:us-east-1:123456789012«:»"'),
                    "INVALID_ARN_RESOURCE", "names no resource")


def test_real_connect_ids_are_not_placeholders() -> None:
    arn = ("arn:aws:connect:us-east-1:123456789012:instance/"
           "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111/contact-flow/*")
    assert arn_findings(with_resource(f'"{arn}"')) == []


# --- RESOURCE_MATCHES_NO_ACTION -------------------------------------------------------------


def test_instance_arn_for_a_user_action() -> None:
    (finding,) = assert_findings(
        with_resource('"«arn:aws:connect:us-east-1:123456789012:instance/a1b2c3d4»"'),
        "RESOURCE_MATCHES_NO_ACTION", '"connect:DescribeUser" take "user" ARNs')
    assert finding.severity is Severity.WARNING
    korean(finding)


def test_user_arn_for_a_user_action_passes() -> None:
    for arn in ("arn:aws:connect:us-east-1:123456789012:instance/a1b2c3d4/agent/*",
                "arn:aws:connect:*:*:instance/*", "arn:aws:connect:*:*:*"):
        assert findings(with_resource(f'"{arn}"'), "RESOURCE_MATCHES_NO_ACTION") == []


def test_arn_of_another_service() -> None:
    assert_findings(with_resource('["arn:aws:connect:*:*:instance/*/agent/*", '
                                  '"«arn:aws:s3:::recordings/*»"]',
                                  '["connect:DescribeUser", "connect:ListUsers"]'),
                    "RESOURCE_MATCHES_NO_ACTION", "is of no resource type")


def test_bucket_arn_for_object_actions() -> None:
    assert_findings(with_resource('["«arn:aws:s3:::recordings»", "arn:aws:s3:::recordings/*"]',
                                  '["s3:GetObject", "s3:PutObject"]'),
                    "RESOURCE_MATCHES_NO_ACTION", '"object"')


def test_only_allow_statements_with_known_actions_are_judged() -> None:
    arn = '"arn:aws:s3:::recordings"'
    for source in (with_resource(arn, effect="Deny"),
                   with_resource(arn, '"connect:DescribeUsr"'),
                   with_resource(arn, '"*"'), with_resource(arn, '"c*:*"'),
                   '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
                   f'"NotAction": "connect:*", "Resource": {arn}}}]}}'):
        assert findings(source, "RESOURCE_MATCHES_NO_ACTION") == [], source


def test_a_star_ending_a_field_may_run_past_colons() -> None:
    # `*` at the end of the account field also matches `123456789012:log-group`.
    source = with_resource('"arn:aws:logs:*:*:/aws/connect/*"', '"logs:CreateLogStream"')
    assert findings(source, "RESOURCE_MATCHES_NO_ACTION") == []


def test_actions_without_resource_types_need_star() -> None:
    assert_findings(with_resource('"«arn:aws:connect:*:*:instance/*»"', '"s3:ListAllMyBuckets"'),
                    "RESOURCE_MATCHES_NO_ACTION", 'need "Resource": "*"')
    # The catalog is not complete: an ARN of the same service is given the benefit of doubt.
    assert findings(with_resource('"arn:aws:s3:::*"', '"s3:ListAllMyBuckets"'),
                    "RESOURCE_MATCHES_NO_ACTION") == []


def test_patterns_overlap() -> None:
    assert patterns_overlap("instance/\x00", "instance/\x00/agent/\x00")
    assert not patterns_overlap("instance/abc", "instance/\x00/agent/\x00")
    assert patterns_overlap("a\x01c", "abc")
    assert not patterns_overlap("volume/\x00", "instance/\x00")


def test_every_arn_finding_is_translated() -> None:
    text = with_resource('["aws:s3:::b", "arn:aws:s3:b", "arn:AWS:S3:::b", '
                         '"arn:aws:connect:region:account-id:instance/instance-id", '
                         '"arn:aws:connect::1:instances/x"]')
    got = analyze(text).findings
    assert {f.code for f in got} >= {"INVALID_ARN_PREFIX", "MISSING_ARN_FIELD",
                                     "INVALID_PARTITION", "INVALID_ARN_SERVICE_CASE",
                                     "INVALID_ARN_REGION", "INVALID_ARN_ACCOUNT",
                                     "INVALID_ARN_RESOURCE", "MISSING_ARN_REGION"}
    for finding in got:
        if finding.code in ARN_CODES:
            korean(finding)

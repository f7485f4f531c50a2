"""The `Condition` element: operators, keys, values and policy variables."""

from __future__ import annotations

import json
import re

import pytest
from helpers import assert_findings, findings
from markers import marked

from connect_policy.analysis import analyze
from connect_policy.checks.conditions import CODES
from connect_policy.document.json_edits import apply_edits
from connect_policy.findings import Finding, Fix, Severity

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def mine(source: str) -> list[Finding]:
    """The condition checks' findings, so passing cases ignore what other checks say."""
    return [f for f in findings(source) if f.code in CODES]


def cond(condition: str, action: str = '"connect:DescribeUser"',
         version: str | None = "2012-10-17", resource: str = '"*"') -> str:
    """A one-statement policy around a Condition value (written as JSON source)."""
    head = f'"Version": "{version}", ' if version else ""
    return (f'{{{head}"Statement": [{{"Effect": "Allow", "Action": {action}, '
            f'"Resource": {resource}, "Condition": {condition}}}]}}')


def korean(finding: Finding) -> str:
    text = finding.translations.get("ko", "")
    assert _HANGUL.search(text), finding.translations
    return text


def only(code: str, source: str, *fragments: str) -> Finding:
    (finding,) = assert_findings(source, code, *fragments)
    korean(finding)
    return finding


def new_texts(finding: Finding) -> list[str]:
    return [edit.new_text for fix in finding.fixes for edit in fix.edits]


# --- Operators -------------------------------------------------------------------------------


@pytest.mark.parametrize("operator", [
    "StringEquals", "StringNotEqualsIgnoreCase", "StringLikeIfExists", "ArnLike", "Bool",
    "ForAnyValue:StringEquals", "ForAllValues:StringLikeIfExists", "NumericLessThanEquals",
    "DateGreaterThan", "IpAddress", "NotIpAddress", "BinaryEquals", "Null",
])
def test_valid_operators_pass(operator: str) -> None:
    got = findings(cond(f'{{"{operator}": {{"aws:TagKeys": "x"}}}}'),
                   "INVALID_CONDITION_OPERATOR")
    assert got == []


def test_misspelled_operator_suggests_the_right_one() -> None:
    finding = only("INVALID_CONDITION_OPERATOR", cond('{"«StringEqual»": {"aws:username": "a"}}'),
                   '"StringEqual" is not a condition operator: did you mean "StringEquals"?')
    assert finding.severity is Severity.ERROR
    assert new_texts(finding)[0] == "StringEquals"
    assert finding.fixes[0].preferred


def test_operator_names_are_case_sensitive() -> None:
    finding = only("INVALID_CONDITION_OPERATOR",
                   cond('{"«stringequals»": {"aws:username": "a"}}'), "case-sensitive",
                   'write "StringEquals"')
    assert new_texts(finding) == ["StringEquals"]


def test_unknown_set_qualifier_is_reported_on_the_qualifier() -> None:
    finding = only("INVALID_CONDITION_OPERATOR",
                   cond('{"«ForSomeValues»:StringEquals": {"aws:TagKeys": "a"}}'),
                   '"ForSomeValues" is not a set operator')
    assert "ForAllValues:StringEquals" in new_texts(finding)


def test_keys_under_a_miscased_operator_are_still_checked() -> None:
    source = cond('{"stringequals": {"aws:ViaAWSService": "true"}}')
    assert [f.code for f in findings(source)] == ["INVALID_CONDITION_OPERATOR", "TYPE_MISMATCH"]


def test_null_with_if_exists() -> None:
    finding = only("NULL_WITH_IF_EXISTS", cond('{"Null«IfExists»": {"aws:TagKeys": "true"}}'),
                   '"Null" operator takes no "IfExists" suffix')
    assert finding.severity is Severity.ERROR
    assert new_texts(finding) == [""]  # the suffix is deleted
    assert findings(cond('{"NullIfExists": {"aws:TagKeys": "true"}}'),
                    "INVALID_CONDITION_OPERATOR") == []


def test_null_with_if_exists_passes_for_plain_null() -> None:
    assert mine(cond('{"Null": {"aws:TagKeys": "true"}}')) == []


def test_null_with_qualifier_is_a_suggestion() -> None:
    finding = only("NULL_WITH_QUALIFIER", cond('{"«ForAnyValue:»Null": {"aws:TagKeys": "true"}}'),
                   'has no effect on "Null"')
    assert finding.severity is Severity.INFORMATION
    assert new_texts(finding) == ["Null"]


# --- Key names -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [
    "aws:SourceIp", "AWS:sourceip", "aws:PrincipalTag/team", "aws:ResourceTag/Cost Center",
    "connect:InstanceId", "connect:StorageResourceType", "CONNECT:instanceid",
    "connect:SearchTag/Department", "ec2:ResourceTag/Name", "kms:EncryptionContext:aws:s3:arn",
    "token.actions.githubusercontent.com:sub", "accounts.google.com:aud", "saml:aud",
    "aws:PrincipalOrgMasterAccountId", "glue:RoleAssumedBy", "deepracer:UserToken",
])
def test_known_keys_pass(key: str) -> None:
    source = cond(f'{{"Null": {{"{key}": "false"}}}}', action='"*"')
    assert mine(source) == [], [f.message for f in mine(source)]


def test_key_without_prefix() -> None:
    finding = only("INVALID_CONDITION_KEY_FORMAT", cond('{"StringEquals": {"«SourceIp»": "x"}}'),
                   '"SourceIp" has no "service:" prefix', 'did you mean "aws:SourceIp"?')
    assert new_texts(finding) == ["aws:SourceIp"]


def test_empty_key_and_whitespace_around_a_key() -> None:
    only("INVALID_CONDITION_KEY_FORMAT", cond('{"StringEquals": {«""»: "x"}}'),
         "The condition key is empty")
    finding = only("INVALID_CONDITION_KEY_FORMAT",
                   cond('{"StringEquals": {"«aws:userid »": "x"}}'), "whitespace")
    assert new_texts(finding) == ["aws:userid"]


def test_unknown_global_key_suggests_a_close_one() -> None:
    finding = only("INVALID_GLOBAL_CONDITION_KEY",
                   cond('{"IpAddress": {"aws:«SourceIpp»": "203.0.113.0/24"}}'),
                   '"aws:SourceIpp" is not a global condition key: did you mean "aws:SourceIp"?')
    assert finding.severity is Severity.ERROR
    assert new_texts(finding)[0] == "aws:SourceIp"


def test_misspelled_global_tag_key_keeps_the_tag() -> None:
    finding = only("INVALID_GLOBAL_CONDITION_KEY",
                   cond('{"StringEquals": {"aws:«ResourceTags/team»": "x"}}'),
                   'did you mean "aws:ResourceTag/team"?')
    assert new_texts(finding) == ["aws:ResourceTag/team"]


def test_tag_key_without_a_tag() -> None:
    only("MISSING_TAG_KEY_IN_CONDITION", cond('{"StringEquals": {"«aws:ResourceTag»": "x"}}'),
         '"aws:ResourceTag" names no tag', '"aws:ResourceTag/<tag-key>"')
    only("MISSING_TAG_KEY_IN_CONDITION",
         cond('{"StringEquals": {"«ec2:ResourceTag/»": "x"}}', action='"ec2:*"'), "names no tag")


def test_unknown_service_key_suggests_a_close_one() -> None:
    finding = only("INVALID_SERVICE_CONDITION_KEY",
                   cond('{"StringEquals": {"connect:«InstanceIdd»": "x"}}'),
                   '"connect:InstanceIdd" is not a condition key of Amazon Connect: did you '
                   'mean "connect:InstanceId"?')
    assert new_texts(finding) == ["connect:InstanceId"]


def test_service_version_of_a_global_key_suggests_the_global_key() -> None:
    finding = only("INVALID_SERVICE_CONDITION_KEY",
                   cond('{"StringEquals": {"connect:«ResourceTag/team»": "x"}}'),
                   'did you mean "aws:ResourceTag/team"?')
    assert new_texts(finding) == ["aws:ResourceTag/team"]


def test_key_access_analyzer_reports_from_the_corpus() -> None:
    only("INVALID_SERVICE_CONDITION_KEY", cond('{"Null": {"lakeformation:«GlueARN»": "true"}}',
                                               action='"lakeformation:GetDataAccess"'),
         '"lakeformation:GlueARN" is not a condition key of AWS Lake Formation')


def test_misspelled_service_prefix_is_reported_when_the_key_then_exists() -> None:
    finding = only("INVALID_SERVICE_CONDITION_KEY",
                   cond('{"StringEquals": {"«conect»:InstanceId": "x"}}'),
                   '"conect" is not a service prefix: did you mean "connect:InstanceId"?')
    assert new_texts(finding) == ["connect:InstanceId"]
    assert mine(cond('{"StringEquals": {"mycorp:Thing": "x"}}')) == []


# --- Keys and the statement's actions --------------------------------------------------------


def test_key_of_a_service_the_statement_has_no_action_of() -> None:
    finding = only("UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
                   cond('{"StringEquals": {"«kms:ViaService»": "s3.us-east-1.amazonaws.com"}}',
                        action='["connect:DescribeUser", "connect:ListUsers"]'),
                   '"kms:ViaService" is a condition key of AWS Key Management Service',
                   '"connect:DescribeUser", "connect:ListUsers"')
    assert finding.data["actions"] == ["connect:DescribeUser", "connect:ListUsers"]


@pytest.mark.parametrize(("action", "key"), [
    ('"kms:Decrypt"', "kms:ViaService"),
    ('["connect:DescribeUser", "kms:Decrypt"]', "kms:ViaService"),
    ('"*"', "kms:ViaService"),
    ('"kms:*"', "kms:ViaService"),
    ('"aws-marketplace:Subscribe"', "aws-marketplace:ProductId"),  # same service: accepted
    ('"connect:DescribeUser"', "aws:SourceIp"),
    ('"connect:DescribeUser"', "ec2:ResourceTag/Name"),
    ('"connect:NoSuchAction"', "kms:ViaService"),
])
def test_supported_or_undecidable_keys_pass(action: str, key: str) -> None:
    source = cond(f'{{"StringEquals": {{"{key}": "x"}}}}', action=action)
    assert findings(source, "UNSUPPORTED_ACTION_FOR_CONDITION_KEY") == []


def test_not_action_statements_are_not_judged() -> None:
    source = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": '
              '"connect:DescribeUser", "Resource": "*", "Condition": {"StringEquals": '
              '{"kms:ViaService": "x"}}}]}')
    assert findings(source, "UNSUPPORTED_ACTION_FOR_CONDITION_KEY") == []


# --- Operators and keys ----------------------------------------------------------------------


def test_multivalued_key_needs_a_qualifier() -> None:
    finding = only("MISSING_QUALIFIER",
                   cond('{"StringEquals": {"«events:detail-type»": "Tag Change on Resource"}}',
                        action='"events:PutRule"'),
                   '"events:detail-type" can have several values',
                   '"ForAnyValue:StringEquals"')
    assert finding.severity is Severity.ERROR
    only("MISSING_QUALIFIER", cond('{"StringLike": {"«aws:TagKeys»": "x*"}}'), "aws:TagKeys")


@pytest.mark.parametrize("condition", [
    '{"ForAnyValue:StringEquals": {"aws:TagKeys": "x"}}',
    '{"ForAllValues:StringLike": {"aws:TagKeys": "x*"}}',
    '{"Null": {"aws:TagKeys": "false"}}',
])
def test_multivalued_key_with_a_qualifier_passes(condition: str) -> None:
    # An action that takes tags: "only these tag keys" is the documented idiom.
    assert mine(cond(condition, action='"connect:TagResource"')) == []


def test_for_all_values_with_a_single_valued_key() -> None:
    finding = only("FORALLVALUES_WITH_SINGLE_VALUED_KEY",
                   cond('{"ForAllValues:StringEquals": {"«aws:username»": "bob"}}'),
                   '"aws:username" has at most one value', 'use "StringEquals"')
    assert finding.severity is Severity.WARNING
    assert new_texts(finding) == ["StringEquals"]


def test_for_all_values_on_service_keys_is_ours() -> None:
    assert mine(cond('{"ForAllValues:StringEquals": {"aws:TagKeys": "a"}}',
                     action='"connect:TagResource"')) == []
    # The catalog calls this key single-valued and Access Analyzer accepts ForAllValues on it
    # (AWS's own examples use it): our suggestion, not Access Analyzer's code.
    source = cond('{"ForAllValues:StringEquals": {"codestar-connections:ProviderAction": "x"}}',
                  action='"codestar-connections:UseConnection"')
    assert [f.code for f in mine(source)] == ["SET_OPERATOR_WITH_SINGLE_VALUED_KEY"]


def test_string_operator_on_a_boolean_key() -> None:
    finding = only("TYPE_MISMATCH",
                   cond('{"StringEquals": {"«aws:ViaAWSService»": "true"}}'),
                   '"aws:ViaAWSService" is a Boolean key, but "StringEquals" is a string '
                   'operator: use a Boolean operator such as "Bool"')
    assert finding.severity is Severity.WARNING


def test_numeric_operator_on_a_string_key() -> None:
    only("TYPE_MISMATCH", cond('{"NumericEquals": {"«aws:username»": "1"}}'),
         '"aws:username" is a string key')


@pytest.mark.parametrize("condition", [
    '{"StringEquals": {"connect:UserArn": "arn:aws:connect:us-east-1:1:instance/x/agent/y"}}',
    '{"ArnLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::b/*"}}',
    '{"NumericLessThan": {"aws:EpochTime": "1700000000"}}',
    '{"DateLessThan": {"aws:EpochTime": "1700000000"}}',
    '{"StringLike": {"aws:PrincipalTag/team": "a*"}}',
    '{"BinaryEquals": {"aws:username": "QUJD"}}',
])
def test_operators_that_fit_their_keys_pass(condition: str) -> None:
    assert findings(cond(condition, action='"*"'), "TYPE_MISMATCH") == []


def test_string_like_on_an_arn_key() -> None:
    finding = only("STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS",
                   cond('{"StringLike": {"«iam:AssociatedResourceARN»": "arn:aws:s3:::b*"}}',
                        action='"iam:PassRole"'),
                   '"iam:AssociatedResourceARN" holds an ARN', '("ArnLike")')
    assert finding.severity is Severity.WARNING
    assert new_texts(finding) == ["ArnLike"]
    only("STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS",
         cond('{"StringNotLikeIfExists": {"«aws:PrincipalArn»": "arn:aws:iam::*:root"}}'),
         '"ArnNotLikeIfExists"')


def test_arn_operators_and_string_equals_on_arn_keys_pass() -> None:
    for operator in ("ArnLike", "StringEquals", "ArnNotEquals"):
        source = cond(f'{{"{operator}": {{"aws:PrincipalArn": "arn:aws:iam::1:root"}}}}')
        assert mine(source) == []


# --- Values ----------------------------------------------------------------------------------


def test_boolean_operator_with_a_non_boolean() -> None:
    finding = only("TYPE_MISMATCH_BOOLEAN",
                   cond('{"Bool": {"aws:SecureTransport": "«yes»"}}'),
                   '"yes" is not a Boolean: "Bool" takes "true" or "false"')
    assert finding.severity is Severity.WARNING
    only("TYPE_MISMATCH_BOOLEAN", cond('{"Null": {"aws:TagKeys": «1»}}'), '"1" is not a Boolean')


@pytest.mark.parametrize("value", ['"true"', '"False"', "true", '["false"]'])
def test_boolean_values_pass(value: str) -> None:
    assert mine(cond(f'{{"Bool": {{"aws:SecureTransport": {value}}}}}')) == []


def test_several_boolean_values() -> None:
    only("INVALID_CONDITION_MULTIPLE_BOOLEAN",
         cond('{"Bool": {"aws:SecureTransport": «["true", "false"]»}}'),
         '"aws:SecureTransport" is given several Boolean values')


def test_date_operator_with_a_non_date() -> None:
    only("TYPE_MISMATCH_DATE", cond('{"DateLessThan": {"aws:CurrentTime": "«tomorrow»"}}'),
         '"tomorrow" is not a date')


@pytest.mark.parametrize("value", [
    '"2026-01-31"', '"2026-01-31T23:59:59Z"', '"2026-01-31T23:59:59.5+01:00"', '"1700000000"',
    "1700000000", '"20260131T235959Z"',
])
def test_dates_pass(value: str) -> None:
    assert mine(cond(f'{{"DateGreaterThan": {{"aws:CurrentTime": {value}}}}}')) == []


def test_impossible_date() -> None:
    finding = only("INVALID_DATE_VALUE",
                   cond('{"DateLessThan": {"aws:CurrentTime": "«2026-02-30T00:00:00Z»"}}'),
                   "is not a real date")
    assert finding.severity is Severity.WARNING


def test_ip_operator_with_a_bad_range() -> None:
    only("TYPE_MISMATCH_IP_RANGE",
         cond('{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "«203.0.113.0/33»"]}}'),
         '"203.0.113.0/33" is not an IP address or CIDR range')


@pytest.mark.parametrize("value", ['"203.0.113.7"', '"2001:db8::/32"', '"198.51.100.0/24"'])
def test_ip_ranges_pass(value: str) -> None:
    assert mine(cond(f'{{"IpAddress": {{"aws:SourceIp": {value}}}}}')) == []


def test_numeric_operator_with_a_non_number() -> None:
    only("TYPE_MISMATCH_NUMBER",
         cond('{"NumericLessThan": {"aws:MultiFactorAuthAge": "«an hour»"}}'),
         '"an hour" is not a number')
    for value in ('"3600"', "3600", '"1.5"'):
        assert findings(cond(f'{{"NumericLessThan": {{"aws:MultiFactorAuthAge": {value}}}}}')) \
            == []


def test_binary_operator_with_a_non_base64_value() -> None:
    only("TYPE_MISMATCH_STRING", cond('{"BinaryEquals": {"aws:username": "«not base64!»"}}'),
         '"not base64!" is not base64')
    assert mine(cond('{"BinaryEquals": {"aws:username": "QmluYXJ5"}}')) == []


def test_string_like_star_is_equivalent_to_null_false() -> None:
    finding = only("EQUIVALENT_TO_NULL_FALSE",
                   cond('{"StringLike": {"aws:ResourceTag/team": "«*»"}}'),
                   '"StringLike" with only "*" matches any value',
                   '"Null": {"aws:ResourceTag/team": "false"}')
    assert finding.severity is Severity.INFORMATION
    fixed = analyze(cond('{"StringLike": {"aws:ResourceTag/team": "*"}}'))
    text = apply_edits(fixed.text, finding.fixes[0].edits)
    assert '"Condition": {"Null": {"aws:ResourceTag/team": "false"}}' in text


def test_equivalent_to_null_false_in_an_array_sits_on_the_item() -> None:
    finding = only("EQUIVALENT_TO_NULL_FALSE",
                   cond('{"StringLike": {"aws:ResourceTag/a": ["«*»"], "aws:username": "b"}}'),
                   '"StringLike" with only "*"')
    assert finding.fixes == ()  # the block holds another key: no safe rewrite


@pytest.mark.parametrize("condition", [
    '{"StringLike": {"aws:ResourceTag/a": "a*"}}',
    '{"StringLikeIfExists": {"aws:ResourceTag/a": "*"}}',
    '{"StringLike": {"aws:ResourceTag/a": ["*", "b"]}}',
    '{"StringEquals": {"aws:ResourceTag/a": "*"}}',
])
def test_other_star_values_pass(condition: str) -> None:
    assert findings(cond(condition), "EQUIVALENT_TO_NULL_FALSE") == []


@pytest.mark.parametrize(("operator", "code", "fragment"), [
    ("StringEquals", "EMPTY_ARRAY_CONDITION", "an empty list never matches"),
    ("ForAllValues:StringEquals", "EMPTY_ARRAY_CONDITION_FORALLVALUES", '"ForAllValues:"'),
    ("ForAnyValue:StringEquals", "EMPTY_ARRAY_CONDITION_FORANYVALUE", '"ForAnyValue:"'),
    ("StringEqualsIfExists", "EMPTY_ARRAY_CONDITION_IFEXISTS", '"…IfExists"'),
])
def test_empty_value_arrays(operator: str, code: str, fragment: str) -> None:
    finding = only(code, cond(f'{{"{operator}": {{"aws:PrincipalTag/team": «[]»}}}}'),
                   '"aws:PrincipalTag/team" has no values', fragment)
    assert finding.severity is Severity.INFORMATION


def test_empty_condition_objects() -> None:
    only("EMPTY_OBJECT_CONDITION", cond("«{}»"), '"Condition" is an empty object')
    only("EMPTY_OBJECT_CONDITION", cond('{"StringEquals": «{}»}'),
         '"StringEquals" has no condition keys')
    assert mine(cond('{"StringEquals": {"aws:username": ["a"]}}')) == []


def test_private_ranges_for_source_ip() -> None:
    finding = only("PRIVATE_IP_ADDRESS",
                   cond('{"IpAddress": {"«aws:SourceIp»": ["10.0.0.0/8", "192.168.0.0/16"]}}'),
                   "every range here is private", "never matches")
    assert finding.severity is Severity.ERROR
    only("PRIVATE_NOTIPADDRESS", cond('{"NotIpAddress": {"«aws:SourceIp»": "172.16.0.0/12"}}'),
         "is true for every request")


def test_some_private_ranges_for_source_ip() -> None:
    only("PRIVATE_IP_ADDRESS_SUBSET",
         cond('{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "«10.1.0.0/16»"]}}'),
         '"10.1.0.0/16" is a private range')
    only("PRIVATE_NOTIPADDRESS_SUBSET",
         cond('{"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "«fd00::/8»"]}}'),
         '"fd00::/8" is a private range')
    assert mine(cond('{"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}}')) == []


# --- Policy variables ------------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    "${aws:username}", "home/${aws:username}/*", "${aws:PrincipalTag/team, 'none'}", "${*}",
    "${aws:username}-${aws:userid}",
])
def test_well_formed_variables_pass(value: str) -> None:
    assert findings(cond(f'{{"StringLike": {{"s3:prefix": "{value}"}}}}',
                         action='"s3:ListBucket"')) == []


def test_variable_without_closing_brace() -> None:
    finding = only("MISSING_BRACE_IN_VARIABLE",
                   cond('{"StringEquals": {"aws:PrincipalTag/a": "x-«${aws:username»"}}'),
                   '"${aws:username" has no closing "}"')
    assert finding.severity is Severity.ERROR


def test_empty_variable() -> None:
    only("EMPTY_VARIABLE", cond('{"StringEquals": {"aws:PrincipalTag/a": "«${}»"}}'),
         '"${}" is an empty policy variable')


def test_space_in_variable() -> None:
    finding = only("UNSUPPORTED_SPACE_IN_VARIABLE",
                   cond('{"StringEquals": {"aws:PrincipalTag/a": "«${aws: username}»"}}'),
                   'write "${aws:username}"')
    assert new_texts(finding) == ["${aws:username}"]


def test_default_value_without_quotes() -> None:
    finding = only("MISSING_QUOTE_IN_VARIABLE",
                   cond('{"StringEquals": {"aws:PrincipalTag/a": "«${aws:username, nobody}»"}}'),
                   "must be in single quotes")
    assert new_texts(finding) == ["${aws:username, 'nobody'}"]


def test_variable_with_an_operator_that_takes_none() -> None:
    finding = only("INVALID_VARIABLE_FOR_OPERATOR",
                   cond('{"NumericLessThan": {"aws:MultiFactorAuthAge": "«${aws:userid}»"}}'),
                   '"NumericLessThan" does not take policy variables')
    assert finding.severity is Severity.ERROR
    assert findings(cond('{"NumericLessThan": {"aws:MultiFactorAuthAge": "${aws:userid}"}}'),
                    "TYPE_MISMATCH_NUMBER") == []
    assert mine(cond('{"Bool": {"aws:SecureTransport": "${aws:ViaAWSService}"}}')) == []


def test_variables_need_version_2012() -> None:
    finding = only("VARIABLE_UNSUPPORTED_IN_VERSION",
                   cond('{"StringEquals": {"aws:PrincipalTag/a": "«${aws:username}»"}}',
                        version="2008-10-17"), "the policy's \"Version\" is 2008-10-17")
    assert new_texts(finding) == ['"2012-10-17"']
    only("VARIABLE_UNSUPPORTED_IN_VERSION",
         cond('{"StringEquals": {"aws:PrincipalTag/a": "«${aws:username}»"}}', version=None),
         'the policy has no "Version"')


def test_variables_in_resources_are_checked() -> None:
    source = cond('{"Bool": {"aws:SecureTransport": "true"}}',
                  resource='["arn:aws:s3:::b/«${aws:username/*»", "arn:aws:s3:::b/«${}»"]')
    text, spans = marked(source)
    got = [f for f in findings(text) if f.code in ("MISSING_BRACE_IN_VARIABLE",
                                                     "EMPTY_VARIABLE")]
    assert [f.span for f in got] == spans
    only("VARIABLE_UNSUPPORTED_IN_VERSION",
         cond('{"Bool": {"aws:SecureTransport": "true"}}', version="2008-10-17",
              resource='"arn:aws:s3:::b/«${aws:username}»/*"'), "is not substituted")


# --- Quick fixes: set qualifiers and IfExists ------------------------------------------------


def fixed(text: str, fix: Fix) -> str:
    """`text` with the fix applied; it must parse, with no key written twice."""
    after = apply_edits(text, fix.edits)
    json.loads(after, object_pairs_hook=_no_repeats)
    return after


def _no_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), keys
    return dict(pairs)


def assert_fixed(text: str, fix: Fix, code: str) -> str:
    """The fix removes the finding and adds no error or warning."""
    after = fixed(text, fix)
    assert findings(after, code) == [], after
    serious = {Severity.ERROR, Severity.WARNING}
    before = {f.code for f in findings(text)}
    added = [f.code for f in findings(after) if f.code not in before and f.severity in serious]
    assert added == [], after
    return after


def statement_with(effect: str, condition: str) -> str:
    return ('{"Version": "2012-10-17", "Statement": [{"Effect": "' + effect + '", "Action": '
            '"connect:TagResource", "Resource": "*", "Condition": ' + condition + "}]}")


def test_missing_qualifier_fixes_insert_the_qualifier_before_the_operator() -> None:
    text = statement_with("Allow", '{"StringEquals": {"aws:TagKeys": ["a", "b"]}}')
    (finding,) = findings(text, "MISSING_QUALIFIER")
    first, second = finding.fixes
    assert (first.title, first.preferred) == ('Add "ForAnyValue:"', True)
    assert (second.title, second.preferred) == ('Add "ForAllValues:"', False)
    (edit,) = first.edits
    assert edit.span.start == edit.span.end == text.index("StringEquals")
    assert '"ForAnyValue:StringEquals": {"aws:TagKeys"' in assert_fixed(
        text, first, "MISSING_QUALIFIER")
    assert '"ForAllValues:StringEquals": {"aws:TagKeys"' in assert_fixed(
        text, second, "MISSING_QUALIFIER")


@pytest.mark.parametrize(("effect", "operator", "preferred"), [
    ("Allow", "StringEquals", "ForAnyValue"),  # one of the request's values is listed
    ("Allow", "StringLike", "ForAnyValue"),
    ("Allow", "StringNotEquals", "ForAllValues"),  # none of them is listed
    ("Deny", "StringEquals", "ForAnyValue"),  # deny as soon as one is listed
    ("Deny", "StringNotEquals", "ForAnyValue"),  # deny as soon as one is not on the list
])
def test_missing_qualifier_prefers_the_likely_intent(effect: str, operator: str,
                                                     preferred: str) -> None:
    text = statement_with(effect, f'{{"{operator}": {{"aws:TagKeys": ["a"]}}}}')
    (finding,) = findings(text, "MISSING_QUALIFIER")
    assert [f.title for f in finding.fixes if f.preferred] == [f'Add "{preferred}:"']
    assert len(finding.fixes) == 2


def test_missing_qualifier_merges_into_an_existing_qualified_block() -> None:
    text = statement_with("Allow", '{"StringEquals": {"aws:TagKeys": ["a"]}, '
                                   '"ForAnyValue:StringEquals": {"aws:CalledVia": "x"}}')
    (finding,) = findings(text, "MISSING_QUALIFIER")
    after = assert_fixed(text, finding.fixes[0], "MISSING_QUALIFIER")
    assert ('"Condition": {"ForAnyValue:StringEquals": {"aws:CalledVia": "x", '
            '"aws:TagKeys": ["a"]}}') in after
    # ForAllValues: has no block yet: a plain rename
    assert '"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}, "ForAnyValue' in assert_fixed(
        text, finding.fixes[1], "MISSING_QUALIFIER")


def test_missing_qualifier_is_not_merged_onto_the_same_key() -> None:
    text = statement_with("Allow", '{"StringEquals": {"aws:TagKeys": ["a"]}, '
                                   '"ForAnyValue:StringEquals": {"aws:tagkeys": "x"}}')
    (finding,) = findings(text, "MISSING_QUALIFIER")
    # `ForAnyValue:` would write the key twice in one block: only the other one is offered,
    # and it stays not preferred.
    (fix,) = finding.fixes
    assert (fix.title, fix.preferred) == ('Add "ForAllValues:"', False)
    assert_fixed(text, fix, "MISSING_QUALIFIER")


def test_missing_qualifier_moves_only_its_key_in_the_documents_layout() -> None:
    text = ('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n'
            '      "Action": "connect:TagResource",\n      "Resource": "*",\n'
            '      "Condition": {\n        "StringEquals": {\n'
            '          "aws:TagKeys": ["a"],\n          "aws:RequestedRegion": "eu-west-2"\n'
            '        }\n      }\n    }\n  ]\n}')
    (finding,) = findings(text, "MISSING_QUALIFIER")
    after = assert_fixed(text, finding.fixes[0], "MISSING_QUALIFIER")
    assert ('      "Condition": {\n        "StringEquals": {\n'
            '          "aws:RequestedRegion": "eu-west-2"\n        },\n'
            '        "ForAnyValue:StringEquals": {\n          "aws:TagKeys": ["a"]\n'
            '        }\n      }\n') in after


@pytest.mark.parametrize(("indent", "newline"), [("\t", "\n"), ("    ", "\r\n")],
                         ids=["tab", "crlf-4-spaces"])
def test_missing_qualifier_new_block_takes_its_own_line(indent: str, newline: str) -> None:
    def lines(*rows: tuple[int, str]) -> str:
        return newline.join(indent * depth + row for depth, row in rows)

    head = ((0, "{"), (1, '"Version": "2012-10-17",'), (1, '"Statement": ['), (2, "{"),
            (3, '"Effect": "Allow",'), (3, '"Action": "connect:TagResource",'),
            (3, '"Resource": "*",'), (3, '"Condition": {'), (4, '"StringEquals": {'))
    tail = ((3, "}"), (2, "}"), (1, "]"), (0, "}"))
    text = lines(*head, (5, '"aws:TagKeys": ["a"],'), (5, '"aws:RequestedRegion": "eu-west-2"'),
                 (4, "}"), *tail)
    (finding,) = findings(text, "MISSING_QUALIFIER")
    assert assert_fixed(text, finding.fixes[0], "MISSING_QUALIFIER") == lines(
        *head, (5, '"aws:RequestedRegion": "eu-west-2"'), (4, "},"),
        (4, '"ForAnyValue:StringEquals": {'), (5, '"aws:TagKeys": ["a"]'), (4, "}"), *tail)


def test_missing_qualifier_new_block_in_a_minified_document() -> None:
    text = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
            '"Action":"connect:TagResource","Resource":"*","Condition":{"StringEquals":'
            '{"aws:TagKeys":["a"],"aws:RequestedRegion":"eu-west-2"}}}]}')
    (finding,) = findings(text, "MISSING_QUALIFIER")
    assert assert_fixed(text, finding.fixes[0], "MISSING_QUALIFIER") == text.replace(
        '{"aws:TagKeys":["a"],"aws:RequestedRegion":"eu-west-2"}}',
        '{"aws:RequestedRegion":"eu-west-2"},"ForAnyValue:StringEquals":{"aws:TagKeys":["a"]}}')


def test_remove_if_exists_deletes_the_suffix() -> None:
    text = statement_with("Allow", '{"NullIfExists": {"aws:TagKeys": "true"}}')
    (finding,) = findings(text, "NULL_WITH_IF_EXISTS")
    (fix,) = finding.fixes
    assert (fix.title, fix.preferred) == ('Remove "IfExists"', True)
    assert '{"Null": {"aws:TagKeys": "true"}}' in assert_fixed(text, fix, "NULL_WITH_IF_EXISTS")
    qualified = statement_with("Allow", '{"ForAnyValue:NullIfExists": {"aws:TagKeys": "true"}}')
    (finding,) = findings(qualified, "NULL_WITH_IF_EXISTS")
    after = assert_fixed(qualified, finding.fixes[0], "NULL_WITH_IF_EXISTS")
    assert findings(after, "NULL_WITH_QUALIFIER") == []


def test_remove_if_exists_merges_into_an_existing_null_block() -> None:
    text = statement_with("Allow", '{"Null": {"aws:RequestedRegion": "false"}, '
                                   '"NullIfExists": {"aws:TagKeys": "true"}}')
    (finding,) = findings(text, "NULL_WITH_IF_EXISTS")
    (fix,) = finding.fixes
    assert fix.preferred and "merging" in fix.title
    after = assert_fixed(text, fix, "NULL_WITH_IF_EXISTS")
    assert '"Condition": {"Null": {"aws:RequestedRegion": "false", "aws:TagKeys": "true"}}' in after
    clash = statement_with("Allow", '{"Null": {"aws:TagKeys": "false"}, '
                                    '"NullIfExists": {"aws:TagKeys": "true"}}')
    (finding,) = findings(clash, "NULL_WITH_IF_EXISTS")
    assert finding.fixes == ()  # the same key, with opposite values: no safe merge


# --- Every message has a Korean translation --------------------------------------------------


def test_every_condition_finding_is_translated() -> None:
    source = cond('{"StringEqual": {"aws:SourceIpp": "x"}, "NullIfExists": {"x": "y"}, '
                  '"Bool": {"aws:SecureTransport": ["maybe", "true"]}, '
                  '"StringLike": {"aws:TagKeys": [], "aws:ResourceTag/a": "*"}}',
                  version="2008-10-17")
    got = findings(source)
    assert len(got) >= 6
    for finding in got:
        korean(finding)

"""Set qualifiers against the key's cardinality: ALLOW_WITH_FORALLVALUES and
SET_OPERATOR_WITH_SINGLE_VALUED_KEY (ours), next to Access Analyzer's
FORALLVALUES_WITH_SINGLE_VALUED_KEY."""

from __future__ import annotations

import json
import re

import pytest
from helpers import assert_findings, findings

from connect_policy.checks.conditions import CODES
from connect_policy.document.json_edits import apply_edits
from connect_policy.findings import Finding, FindingType, Fix, Severity
from connect_policy.formats.host import analyze_host, host_kind

ALLOW_ALL = "ALLOW_WITH_FORALLVALUES"
SINGLE = "SET_OPERATOR_WITH_SINGLE_VALUED_KEY"
SINGLE_VS_MULTI = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/"
                   "reference_policies_condition-single-vs-multi-valued-context-keys.html")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def cond(condition: str, action: str = '"kms:Decrypt"', effect: str = "Allow") -> str:
    return ('{"Version": "2012-10-17", "Statement": [{"Effect": "' + effect + '", "Action": '
            + action + ', "Resource": "*", "Condition": ' + condition + "}]}")


def mine(text: str) -> list[Finding]:
    return [f for f in findings(text) if f.code in CODES]


def applied(text: str, fix: Fix) -> str:
    return apply_edits(text, fix.edits)


# --- ALLOW_WITH_FORALLVALUES ----------------------------------------------------------------


def test_for_all_values_in_an_allow_also_grants_requests_without_the_key() -> None:
    (finding,) = assert_findings(
        cond('{"«ForAllValues:StringEquals»": {"aws:TagKeys": ["department"]}}'), ALLOW_ALL,
        '"ForAllValues:StringEquals" is also true when the request has no "aws:TagKeys"')
    assert finding.finding_type is FindingType.SECURITY_WARNING
    assert finding.severity is Severity.WARNING
    assert _HANGUL.search(finding.translations["ko"])
    assert finding.link == SINGLE_VS_MULTI


def test_the_fix_requires_the_key_with_a_null_check() -> None:
    text = cond('{"ForAllValues:StringLike": {"kms:EncryptionContextKeys": "app-*"}}')
    (finding,) = findings(text, ALLOW_ALL)
    (fix,) = finding.fixes
    assert fix.title == 'Add a "Null" check that requires "kms:EncryptionContextKeys"'
    fixed = applied(text, fix)
    assert json.loads(fixed)["Statement"][0]["Condition"]["Null"] == {
        "kms:EncryptionContextKeys": "false"}
    assert mine(fixed) == []


def test_the_key_joins_an_existing_null_block() -> None:
    text = cond('{"ForAllValues:StringEquals": {"aws:CalledVia": "athena.amazonaws.com"}, '
                '"Null": {"aws:SourceVpc": "false"}}')
    (fix,) = findings(text, ALLOW_ALL)[0].fixes
    fixed = applied(text, fix)
    assert json.loads(fixed)["Statement"][0]["Condition"]["Null"] == {
        "aws:SourceVpc": "false", "aws:CalledVia": "false"}
    assert mine(fixed) == []


def test_a_null_check_that_says_otherwise_gets_no_fix() -> None:
    text = cond('{"ForAllValues:StringEquals": {"aws:CalledVia": "athena.amazonaws.com"}, '
                '"Null": {"aws:CalledVia": "true"}}')
    assert [f.fixes for f in findings(text, ALLOW_ALL)] == [()]


@pytest.mark.parametrize("guard", [
    '"Null": {"aws:CalledVia": "false"}',
    '"Null": {"aws:CalledVia": ["false"]}',
    '"ForAnyValue:StringEquals": {"aws:CalledVia": "athena.amazonaws.com"}',
])
def test_a_condition_that_makes_the_key_present_silences_it(guard: str) -> None:
    text = cond('{"ForAllValues:StringEquals": {"aws:CalledVia": "athena.amazonaws.com"}, '
                + guard + "}")
    assert findings(text, ALLOW_ALL) == []


def test_a_request_tag_brings_its_tag_key() -> None:
    tag_keys = '"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}'
    assert findings(cond("{" + tag_keys + ', "StringEquals": {"aws:RequestTag/team": "a"}}'),
                    ALLOW_ALL) == []
    # …IfExists does not: the request may carry no tag at all.
    assert len(findings(cond("{" + tag_keys + ', "StringEqualsIfExists": '
                             '{"aws:RequestTag/team": "a"}}'), ALLOW_ALL)) == 1


@pytest.mark.parametrize(("condition", "action", "effect"), [
    # Deny: matching more means denying more.
    ('{"ForAllValues:StringEquals": {"aws:CalledVia": "a"}}', '"kms:Decrypt"', "Deny"),
    # Negated: "none of the values is listed" holds, as meant, for a request without any.
    ('{"ForAllValues:StringNotEquals": {"aws:CalledVia": "a"}}', '"kms:Decrypt"', "Allow"),
    ('{"ForAnyValue:StringEquals": {"aws:CalledVia": "a"}}', '"kms:Decrypt"', "Allow"),
    # The documented idiom: the tag keys a caller may set, with actions that take tags.
    ('{"ForAllValues:StringEquals": {"aws:TagKeys": "team"}}', '"connect:TagResource"',
     "Allow"),
    ('{"ForAllValues:StringEquals": {"aws:TagKeys": "team"}}',
     '["connect:CreateUser", "connect:DescribeUser"]', "Allow"),
])
def test_no_finding(condition: str, action: str, effect: str) -> None:
    assert findings(cond(condition, action, effect), ALLOW_ALL) == []


def test_if_exists_does_not_help() -> None:
    assert_findings(cond('{"«ForAllValues:StringLikeIfExists»": {"aws:CalledVia": "a*"}}'),
                    ALLOW_ALL)


# --- SET_OPERATOR_WITH_SINGLE_VALUED_KEY ----------------------------------------------------


def test_for_any_value_on_a_single_valued_key_changes_nothing() -> None:
    text = cond('{"«ForAnyValue:StringEquals»": {"aws:PrincipalTag/department": ["eng"]}}')
    (finding,) = assert_findings(text, SINGLE, '"aws:PrincipalTag/department" has at most one '
                                 'value in a request, so "ForAnyValue:" changes nothing here')
    assert finding.severity is Severity.INFORMATION
    assert _HANGUL.search(finding.translations["ko"])
    assert finding.link == SINGLE_VS_MULTI
    (fix,) = finding.fixes
    assert fix.preferred and fix.title == 'Change the operator to "StringEquals"'
    fixed = applied(text.replace("«", "").replace("»", ""), fix)
    assert '"StringEquals": {"aws:PrincipalTag/department"' in fixed
    assert mine(fixed) == []


def test_for_any_value_with_a_negated_operator_has_no_fix() -> None:
    (finding,) = assert_findings(
        cond('{"«ForAnyValue:StringNotEquals»": {"aws:username": "bob"}}'), SINGLE,
        '"ForAnyValue:" only makes "ForAnyValue:StringNotEquals" false when the key is missing')
    assert finding.fixes == ()


def test_for_all_values_on_a_single_valued_service_key() -> None:
    text = cond('{"«ForAllValues:StringEquals»": {"kms:RequestAlias": "alias/example"}}')
    (finding,) = assert_findings(text, SINGLE, "the Service Authorization Reference lists it "
                                 'as single-valued), and "ForAllValues:" also matches when the '
                                 "key is missing")
    (fix,) = finding.fixes
    assert not fix.preferred  # stricter for requests without the key
    assert mine(applied(text.replace("«", "").replace("»", ""), fix)) == []


@pytest.mark.parametrize("operator", ["ForAllValues:StringNotEquals",
                                      "ForAnyValue:StringEqualsIfExists"])
def test_dropping_the_qualifier_keeps_the_meaning(operator: str) -> None:
    (finding,) = findings(cond(f'{{"{operator}": {{"kms:RequestAlias": "alias/x"}}}}'), SINGLE)
    assert "changes nothing here" in finding.message
    assert [fix.preferred for fix in finding.fixes] == [True]


def test_access_analyzers_code_keeps_global_keys() -> None:
    text = cond('{"ForAllValues:StringEquals": {"«aws:username»": "bob"}}')
    assert_findings(text, "FORALLVALUES_WITH_SINGLE_VALUED_KEY")
    assert findings(text, SINGLE) == []


def test_two_keys_in_the_block_get_no_rename() -> None:
    text = cond('{"ForAnyValue:StringEquals": {"aws:username": "bob", "aws:TagKeys": "x"}}')
    (finding,) = findings(text, SINGLE)
    assert finding.data["key"] == "aws:username" and finding.fixes == ()


def test_the_null_fix_in_a_yaml_template_goes_into_the_condition() -> None:
    """The new block opens the `Condition` mapping: appended after a block mapping, YAML
    could not tell it from a member of that block."""
    text = ("Resources:\n  Policy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
            "      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
            "          - Effect: Allow\n            Action: kms:Decrypt\n"
            "            Resource: '*'\n            Condition:\n"
            "              ForAllValues:StringEquals:\n                aws:CalledVia: a\n")
    kind = host_kind("template.yaml", text)
    assert kind is not None
    (finding,) = [f for f in analyze_host(text, kind).findings if f.code == ALLOW_ALL]
    fixed = applied(text, finding.fixes[0])
    assert fixed.endswith("            Condition:\n              \"Null\":\n"
                          "                aws:CalledVia: \"false\"\n"
                          "              ForAllValues:StringEquals:\n"
                          "                aws:CalledVia: a\n"), fixed
    assert [f for f in analyze_host(fixed, kind).findings if f.code in CODES] == []

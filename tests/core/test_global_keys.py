"""Tests for the global condition context key catalog."""

from __future__ import annotations

import pytest

from connect_policy.catalog.global_keys import (
    GLOBAL_CONDITION_KEYS,
    GlobalConditionKey,
    find_global_key,
    global_keys_matching_prefix,
)

VALID_TYPES = {"String", "ARN", "Bool", "Date", "IPAddress", "Numeric"}


def _key(name: str) -> GlobalConditionKey:
    key = find_global_key(name)
    assert key is not None, name
    return key


# --- the table itself -----------------------------------------------------------------


def test_no_duplicate_names_ignoring_case() -> None:
    names = [key.name.lower() for key in GLOBAL_CONDITION_KEYS]
    assert len(names) == len(set(names))


def test_every_entry_is_well_formed() -> None:
    for key in GLOBAL_CONDITION_KEYS:
        assert key.description.strip(), key.name
        assert key.type in VALID_TYPES, key.name
        assert set(key.alternate_types) <= VALID_TYPES, key.name
        assert key.type not in key.alternate_types, key.name
        assert key.name == key.name.strip() and " " not in key.name
        assert ":" in key.name
        if key.replacement is not None:
            assert key.deprecated
            assert find_global_key(key.replacement) is not None


def test_documented_key_set_is_covered() -> None:
    expected = {
        # principal
        "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgPaths",
        "aws:PrincipalOrgID", "aws:PrincipalTag/${TagKey}", "aws:PrincipalIsAWSService",
        "aws:PrincipalServiceName", "aws:PrincipalServiceNamesList", "aws:PrincipalType",
        "aws:userid", "aws:username",
        # role session
        "aws:AssumedRoot", "aws:FederatedProvider", "aws:TokenIssueTime",
        "aws:SignInSessionArn", "aws:MultiFactorAuthAge", "aws:MultiFactorAuthPresent",
        "aws:ChatbotSourceArn", "aws:Ec2InstanceSourceVpc", "aws:Ec2InstanceSourcePrivateIPv4",
        "aws:SourceIdentity", "ec2:RoleDelivery", "ec2:SourceInstanceArn", "glue:RoleAssumedBy",
        "glue:CredentialIssuingService", "codebuild:BuildArn", "codebuild:ProjectArn",
        "lambda:SourceFunctionArn", "ssm:SourceInstanceArn", "identitystore:UserId",
        # network
        "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpcArn", "aws:SourceVpce",
        "aws:VpceAccount", "aws:VpceOrgID", "aws:VpceOrgPaths", "aws:VpcSourceIp",
        # resource
        "aws:ResourceAccount", "aws:ResourceOrgID", "aws:ResourceOrgPaths",
        "aws:ResourceTag/${TagKey}",
        # request
        "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:CalledViaAWSMCP",
        "aws:ViaAWSService", "aws:ViaAWSMCPService", "aws:CurrentTime", "aws:EpochTime",
        "aws:referer", "aws:RequestedRegion", "aws:RequestTag/${TagKey}", "aws:TagKeys",
        "aws:SecureTransport", "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID",
        "aws:SourceOrgPaths", "aws:UserAgent", "aws:IsMcpServiceAction",
    }  # fmt: skip
    assert {key.name for key in GLOBAL_CONDITION_KEYS} == expected
    assert len(GLOBAL_CONDITION_KEYS) == 61


def test_no_key_is_documented_as_deprecated() -> None:
    assert not [key.name for key in GLOBAL_CONDITION_KEYS if key.deprecated]


# --- types and value types --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected_type"),
    [
        ("aws:SourceIp", "IPAddress"),
        ("aws:VpcSourceIp", "IPAddress"),
        ("aws:Ec2InstanceSourcePrivateIPv4", "IPAddress"),
        ("aws:CurrentTime", "Date"),
        ("aws:TokenIssueTime", "Date"),
        ("aws:EpochTime", "Date"),
        ("aws:MultiFactorAuthAge", "Numeric"),
        ("ec2:RoleDelivery", "Numeric"),
        ("aws:SecureTransport", "Bool"),
        ("aws:MultiFactorAuthPresent", "Bool"),
        ("aws:PrincipalIsAWSService", "Bool"),
        ("aws:ViaAWSService", "Bool"),
        ("aws:IsMcpServiceAction", "Bool"),
        ("aws:AssumedRoot", "Bool"),
        ("aws:PrincipalArn", "ARN"),
        ("aws:SourceArn", "ARN"),
        ("aws:SourceVpcArn", "ARN"),
        ("lambda:SourceFunctionArn", "ARN"),
        ("ec2:SourceInstanceArn", "ARN"),
        ("aws:TagKeys", "String"),
        ("aws:PrincipalOrgID", "String"),
        ("aws:RequestedRegion", "String"),
        ("aws:ResourceTag/${TagKey}", "String"),
    ],
)
def test_documented_types(name: str, expected_type: str) -> None:
    assert _key(name).type == expected_type


def test_epoch_time_also_accepts_numeric() -> None:
    key = _key("aws:EpochTime")
    assert key.accepted_types == ("Date", "Numeric")


def test_arn_keys_that_docs_say_work_with_string_operators() -> None:
    for name in ("aws:PrincipalArn", "aws:SourceArn", "aws:SourceVpcArn"):
        assert "String" in _key(name).accepted_types


def test_federated_provider_is_string_or_arn() -> None:
    assert _key("aws:FederatedProvider").accepted_types == ("String", "ARN")


def test_multivalued_keys_are_exactly_the_documented_ones() -> None:
    multivalued = {key.name for key in GLOBAL_CONDITION_KEYS if key.multivalued}
    assert multivalued == {
        "aws:PrincipalOrgPaths",
        "aws:PrincipalServiceNamesList",
        "aws:VpceOrgPaths",
        "aws:ResourceOrgPaths",
        "aws:CalledVia",
        "aws:TagKeys",
        "aws:SourceOrgPaths",
    }


@pytest.mark.parametrize(
    "name",
    ["aws:RequestTag/Env", "aws:ResourceTag/Env", "aws:PrincipalTag/Env", "aws:CalledViaFirst"],
)
def test_tag_and_chain_endpoint_keys_are_single_valued(name: str) -> None:
    assert _key(name).multivalued is False


def test_sensitive_keys_match_the_documented_list() -> None:
    sensitive = {key.name for key in GLOBAL_CONDITION_KEYS if key.sensitive}
    assert sensitive == {
        "aws:PrincipalAccount",
        "aws:PrincipalOrgID",
        "aws:ResourceAccount",
        "aws:ResourceOrgID",
        "aws:SourceAccount",
        "aws:SourceOrgID",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:VpceAccount",
        "aws:VpceOrgID",
    }


# --- lookup -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("aws:SourceIp", "aws:SourceIp"),
        ("aws:sourceip", "aws:SourceIp"),
        ("AWS:SOURCEIP", "aws:SourceIp"),
        ("aws:SourceIP", "aws:SourceIp"),
        ("aws:UserName", "aws:username"),
        ("Aws:Referer", "aws:referer"),
        ("EC2:roledelivery", "ec2:RoleDelivery"),
        ("aws:principalorgid", "aws:PrincipalOrgID"),
    ],
)
def test_lookup_ignores_case(written: str, canonical: str) -> None:
    assert _key(written).name == canonical


@pytest.mark.parametrize(
    ("written", "template"),
    [
        ("aws:ResourceTag/Department", "aws:ResourceTag/${TagKey}"),
        ("aws:resourcetag/department", "aws:ResourceTag/${TagKey}"),
        ("aws:RequestTag/cost-center", "aws:RequestTag/${TagKey}"),
        ("AWS:PRINCIPALTAG/team", "aws:PrincipalTag/${TagKey}"),
        ("aws:PrincipalTag/a/b", "aws:PrincipalTag/${TagKey}"),
        ("aws:PrincipalTag/${aws:username}", "aws:PrincipalTag/${TagKey}"),
        ("aws:ResourceTag/${TagKey}", "aws:ResourceTag/${TagKey}"),
    ],
)
def test_template_keys_match_any_tag(written: str, template: str) -> None:
    key = _key(written)
    assert key.name == template
    assert key.is_template


@pytest.mark.parametrize(
    "name",
    [
        "",
        "aws:",
        "aws:ResourceTag/",
        "aws:ResourceTag",
        "aws:PrincipalTag",
        "aws:RequestTag/",
        "aws:SourceIpAddress",
        "aws:SourceIp ",
        " aws:SourceIp",
        "aws:ARN",
        "aws:TagKeys/Env",
        "s3:prefix",
        "ec2:InstanceType",
        "iam:ResourceTag/Env",
        "SourceIp",
    ],
)
def test_unknown_names_are_not_found(name: str) -> None:
    assert find_global_key(name) is None


def test_template_helpers() -> None:
    assert _key("aws:TagKeys").template_prefix is None
    assert not _key("aws:TagKeys").is_template
    assert _key("aws:RequestTag/x").template_prefix == "aws:RequestTag/"


def test_every_entry_finds_itself() -> None:
    for key in GLOBAL_CONDITION_KEYS:
        assert find_global_key(key.name) is key
        assert find_global_key(key.name.upper()) is key


# --- completion ---------------------------------------------------------------------------


def test_prefix_matching_ignores_case_and_keeps_catalog_order() -> None:
    names = [key.name for key in global_keys_matching_prefix("aws:sourcev")]
    assert names == ["aws:SourceVpc", "aws:SourceVpcArn", "aws:SourceVpce"]


def test_prefix_matching_cross_service_keys() -> None:
    assert [key.name for key in global_keys_matching_prefix("GLUE:")] == [
        "glue:RoleAssumedBy",
        "glue:CredentialIssuingService",
    ]


def test_prefix_matching_includes_templates() -> None:
    names = [key.name for key in global_keys_matching_prefix("aws:principalt")]
    assert names == ["aws:PrincipalTag/${TagKey}", "aws:PrincipalType"]


def test_empty_prefix_returns_everything_and_unknown_prefix_nothing() -> None:
    assert global_keys_matching_prefix("") == list(GLOBAL_CONDITION_KEYS)
    assert global_keys_matching_prefix("s3:") == []
    assert global_keys_matching_prefix("aws:SourceIpX") == []

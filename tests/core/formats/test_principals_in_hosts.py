"""Principal and ARN completion in host files: the principals blocks of Terraform policy
documents, and CloudFormation's pseudo parameters inside `Fn::Sub` strings (and only
there), in YAML and JSON templates. The cursor is marked `|`."""

from __future__ import annotations

import pytest

from connect_policy.analysis import analyze_in_host
from connect_policy.editor.completion_host import complete_in_host
from connect_policy.editor.completion_items import CompletionList, ItemKind
from connect_policy.formats.hcl_principals import principals_place
from connect_policy.formats.hcl_tree import parse_hcl
from connect_policy.formats.host import HostKind, analyze_host
from connect_policy.formats.host_location import _outside_sub

DOCUMENT = ('data "aws_iam_policy_document" "trust" {\n  statement {\n'
            '    actions = ["sts:AssumeRole"]\n    %s {\n%s    }\n  }\n}\n')
TYPES = ["AWS", "Service", "Federated", "CanonicalUser", "*"]


def _complete(source: str, kind: HostKind) -> tuple[str, CompletionList | None]:
    offset = source.index("|")
    analysis = analyze_in_host(source.replace("|", "", 1), kind)
    assert analysis is not None
    return analysis.text, complete_in_host(analysis, offset)


def _applied(text: str, result: CompletionList, label: str) -> str:
    (item,) = [i for i in result.items if i.label == label]
    span = item.span or result.span
    return text[:span.start] + item.plain_text + text[span.end:]


def _block(body: str, block: str = "principals") -> str:
    return DOCUMENT % (block, body)


# --- Terraform principals blocks ---------------------------------------------------------

@pytest.mark.parametrize("body", [
    '      type = "|"\n',  # no identifiers yet: the block is unknown to the policy model
    '      type        = "|"\n      identifiers = ["lambda.amazonaws.com"]\n',
    '      identifiers = ["*"]\n      type = "|"\n',
], ids=["type-alone", "with-identifiers", "identifiers-first"])
@pytest.mark.parametrize("block", ["principals", "not_principals"])
def test_terraform_principal_types(body: str, block: str) -> None:
    text, result = _complete(_block(body, block), HostKind.TERRAFORM)
    assert result is not None
    assert [(i.label, i.new_text, i.kind, i.detail) for i in result.items] == [
        (name, name, ItemKind.VALUE, "principal type") for name in TYPES]
    assert result.items[1].documentation.startswith("AWS services acting on your behalf")
    assert result.items[4].documentation.startswith(
        'With `identifiers = ["*"]` the provider writes `"Principal": "*"`.')
    filled = _applied(text, result, "Service")
    assert 'type = "Service"' in filled or 'type        = "Service"' in filled
    assert not parse_hcl(filled).root.has_error


def test_terraform_principal_type_typed_and_left_open() -> None:
    _, typed = _complete(_block('      type = "Fed|"\n'), HostKind.TERRAFORM)
    assert typed is not None and [i.label for i in typed.items] == ["Federated"]
    # No auto-closing quote (Neovim): the item closes the string.
    text, open_ = _complete(_block('      type = "Se|\n      identifiers = ["x"]\n'),
                            HostKind.TERRAFORM)
    assert open_ is not None and [(i.label, i.new_text) for i in open_.items] == [
        ("Service", 'Service"')]
    filled = _applied(text, open_, "Service")
    assert '      type = "Service"\n      identifiers = ["x"]\n' in filled


@pytest.mark.parametrize(("kind", "typed", "labels"), [
    ("AWS", "", ["arn:aws:iam::{Account}:root", "arn:aws:iam::{Account}:role/{RoleName}",
                 "arn:aws:iam::{Account}:user/{UserName}",
                 "arn:aws:sts::{Account}:assumed-role/{RoleName}/{SessionName}", "{Account}",
                 "*"]),
    ("Service", "conn", ["connect.amazonaws.com", "connect-campaigns.amazonaws.com",
                         "eks-connector.amazonaws.com"]),
    ("Federated", "", ["cognito-identity.amazonaws.com", "www.amazon.com",
                       "accounts.google.com", "graph.facebook.com",
                       "arn:aws:iam::{Account}:saml-provider/{ProviderName}",
                       "arn:aws:iam::{Account}:oidc-provider/{ProviderUrl}"]),
    ("CanonicalUser", "", ["{CanonicalUserId}"]),
    ("*", "", ["*"]),
])
def test_terraform_identifiers_by_the_block_type(kind: str, typed: str,
                                                 labels: list[str]) -> None:
    for body in (f'      type        = "{kind}"\n      identifiers = ["{typed}|"]\n',
                 f'      identifiers = ["x", "{typed}|"]\n      type = "{kind}"\n'):
        _, result = _complete(_block(body, "not_principals"), HostKind.TERRAFORM)
        assert result is not None and [i.label for i in result.items] == labels


def test_terraform_identifiers_are_valid_hcl_and_checked_as_written() -> None:
    source = _block('      type        = "AWS"\n      identifiers = ["arn:aws:iam::|"]\n')
    text, result = _complete(source, HostKind.TERRAFORM)
    assert result is not None
    role = next(i for i in result.items if i.label == "arn:aws:iam::{Account}:role/{RoleName}")
    assert role.new_text == "arn:aws:iam::${1:Account}:role/${2:RoleName}" and role.snippet
    filled = _applied(text, result, "arn:aws:iam::{Account}:root").replace(
        "Account", "111122223333")
    assert 'identifiers = ["arn:aws:iam::111122223333:root"]' in filled
    assert [f.code for f in analyze_host(filled, HostKind.TERRAFORM).findings
            if f.code.startswith("HCL")] == []
    # A list left open on its line: the item brings the closing quote.
    _, open_ = _complete(_block('      type        = "Service"\n'
                                '      identifiers = ["lambda.amazon|\n'), HostKind.TERRAFORM)
    assert open_ is not None and open_.items[0].new_text == 'lambda.amazonaws.com"'


def test_terraform_identifiers_without_a_known_type_get_nothing() -> None:
    for body in ('      identifiers = ["|"]\n', '      type = var.kind\n'
                 '      identifiers = ["|"]\n'):
        assert _complete(_block(body), HostKind.TERRAFORM)[1] is None


def test_principals_place_is_read_from_the_hcl_tree() -> None:
    source = _block('      type        = "AWS"\n      identifiers = ["a", "b|"]\n',
                    "not_principals")
    offset = source.index("|")
    place = principals_place(source.replace("|", ""), offset)
    assert place is not None
    assert (place.element, place.attribute, place.kind, place.closing) == (
        "NotPrincipal", "identifiers", "AWS", "")
    assert (place.content.start, place.content.end) == (offset - 1, offset)
    # Another block's `type`, and a statement's `effect`, are no principal's.
    other = source.replace("not_principals", "condition").replace("|", "")
    assert principals_place(other, offset) is None
    resource = source.replace('data "aws_iam_policy_document"', 'resource "aws_x"')
    assert principals_place(resource.replace("|", ""), offset) is None


def test_jsonencode_principals_in_terraform() -> None:
    encoded = ('resource "aws_s3_bucket_policy" "p" {\n  bucket = "b"\n'
               '  policy = jsonencode({\n    Statement = [{\n      Effect = "Allow"\n'
               '      Principal = { %s }\n      Action = "s3:GetObject"\n'
               '      Resource = "arn:aws:s3:::b/*"\n    }]\n  })\n}\n')
    for principal, labels in (('CanonicalUser = "|"', ["{CanonicalUserId}"]),
                              ('AWS = ["arn:aws:iam::|"]', [
                                  "arn:aws:iam::{Account}:root",
                                  "arn:aws:iam::{Account}:role/{RoleName}",
                                  "arn:aws:iam::{Account}:user/{UserName}"])):
        _, result = _complete(encoded % principal, HostKind.TERRAFORM)
        assert result is not None and [i.label for i in result.items] == labels


# --- CloudFormation Fn::Sub ----------------------------------------------------------------

ROLE = ("Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n"
        "          - Effect: Allow\n"
        "            Principal:\n              AWS: {principal}\n"
        "            Action: sts:AssumeRole\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        "            Version: \"2012-10-17\"\n            Statement:\n"
        "              - Effect: Allow\n"
        "                Action: logs:PutLogEvents\n                Resource: {resource}\n")


def _yaml(resource: str = '"*"', principal: str = '"*"') -> str:
    return ROLE.replace("{resource}", resource).replace("{principal}", principal)


@pytest.mark.parametrize(("resource", "parameter"), [
    ('!Sub "arn:|"', "${AWS::Partition}"),
    ("!Sub arn:|", "${AWS::Partition}"),
    ('!Sub "arn:aws:logs:|"', "${AWS::Region}"),
    ('!Sub "arn:${AWS::Partition}:logs:|"', "${AWS::Region}"),
    ("\n                  Fn::Sub: arn:aws:logs:us-east-1:|", "${AWS::AccountId}"),
    ('!Sub "arn:${AWS::Partition}:logs:${AWS::Region}:|"', "${AWS::AccountId}"),
    ("!Sub\n                  - arn:aws:logs:${AWS::Region}:|\n                  - {}",
     "${AWS::AccountId}"),
], ids=["partition", "partition-plain", "region", "region-after-parameter", "account-long-form",
        "account-after-parameters", "account-list-form"])
def test_pseudo_parameters_first_in_sub_segments(resource: str, parameter: str) -> None:
    _, result = _complete(_yaml(resource), HostKind.YAML)
    assert result is not None
    first = result.items[0]
    assert (first.label, first.kind, first.snippet, first.retrigger) == (
        parameter, ItemKind.PARAMETER, True, True)
    assert first.new_text == parameter.replace("$", "\\$").replace("}", "\\}") + ":"
    literal = [i.label for i in result.items[1:]]
    assert parameter not in literal and literal  # the literal values follow
    assert first.plain_text == parameter + ":"


@pytest.mark.parametrize("resource", ['"arn:|"', 'arn:aws:logs:|', '"arn:aws:logs:us-east-1:|"'])
def test_no_pseudo_parameter_outside_sub(resource: str) -> None:
    _, result = _complete(_yaml(resource), HostKind.YAML)
    assert result is not None
    assert [i for i in result.items if i.kind is ItemKind.PARAMETER] == []


def test_policy_variables_in_sub_are_written_with_the_literal_escape() -> None:
    text, result = _complete(_yaml('!Sub "arn:aws:logs:us-east-1:|"'), HostKind.YAML)
    assert result is not None
    variable = next(i for i in result.items if i.label == "${aws:PrincipalAccount}")
    assert variable.new_text == "\\${!aws:PrincipalAccount\\}:"
    _, plain = _complete(_yaml('"arn:aws:logs:us-east-1:|"'), HostKind.YAML)
    assert plain is not None and next(
        i for i in plain.items if i.label == "${aws:PrincipalAccount}"
    ).new_text == "\\${aws:PrincipalAccount\\}:"
    # `${` typed in a Sub string: the pseudo parameters, then the variables as `${!…}`.
    text, typed = _complete(_yaml('!Sub "arn:aws:s3:::b/${|"'), HostKind.YAML)
    assert typed is not None
    assert [i.label for i in typed.items[:4]] == [
        "${AWS::Partition}", "${AWS::Region}", "${AWS::AccountId}", "${aws:username}"]
    assert typed.items[3].new_text == "\\${!aws:username\\}"
    filled = _applied(text, typed, "${aws:username}")
    assert 'Resource: !Sub "arn:aws:s3:::b/${!aws:username}"' in filled


def test_principal_arns_in_sub_name_the_stacks_partition_and_account() -> None:
    text, result = _complete(_yaml(principal='!Sub "arn:|"'), HostKind.YAML)
    assert result is not None
    assert [i.label for i in result.items][:5] == [
        "arn:${AWS::Partition}:iam::${AWS::AccountId}:root",
        "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/{RoleName}",
        "arn:${AWS::Partition}:iam::${AWS::AccountId}:user/{UserName}",
        "arn:${AWS::Partition}:sts::${AWS::AccountId}:assumed-role/{RoleName}/{SessionName}",
        "arn:aws:iam::{Account}:root"]
    role = result.items[1]
    assert role.new_text == (
        "arn:\\${AWS::Partition\\}:iam::\\${AWS::AccountId\\}:role/${1:RoleName}")
    assert role.detail == "IAM role (the stack's account)"
    filled = _applied(text, result, "arn:${AWS::Partition}:iam::${AWS::AccountId}:root")
    assert 'AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"' in filled
    assert [f.code for f in analyze_host(filled, HostKind.YAML).findings] == []
    # Typed past the partition parameter: the stack's forms still match.
    _, typed = _complete(_yaml(principal='!Sub "arn:${AWS::Partition}:iam::|"'), HostKind.YAML)
    assert typed is not None and [i.label for i in typed.items] == [
        "arn:${AWS::Partition}:iam::${AWS::AccountId}:root",
        "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/{RoleName}",
        "arn:${AWS::Partition}:iam::${AWS::AccountId}:user/{UserName}"]
    # Outside Sub only the literal forms.
    _, plain = _complete(_yaml(principal='"arn:|"'), HostKind.YAML)
    assert plain is not None and all("${AWS::" not in i.label for i in plain.items)


JSON_ROLE = ('{"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {\n'
             '  "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow",\n'
             '    "Principal": {"AWS": %s}, "Action": "sts:AssumeRole"}]},\n'
             '  "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [{\n'
             '    "Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": %s}]}}]}}}}\n')


@pytest.mark.parametrize(("resource", "first"), [
    ('{"Fn::Sub": "arn:|"}', "${AWS::Partition}"),
    ('{"Fn::Sub": "arn:${AWS::Partition}:logs:|"}', "${AWS::Region}"),
    ('{"Fn::Sub": ["arn:aws:logs:us-east-1:|", {}]}', "${AWS::AccountId}"),
    ('"arn:|"', "aws"),
    ('"arn:aws:logs:|"', "af-south-1"),
])
def test_pseudo_parameters_in_json_templates(resource: str, first: str) -> None:
    _, result = _complete(JSON_ROLE % ('"x"', resource), HostKind.JSON)
    assert result is not None and result.items[0].label == first
    assert ("Fn::Sub" in resource) == any(i.kind is ItemKind.PARAMETER for i in result.items)


def test_json_template_principal_in_sub_and_its_variables_get_nothing() -> None:
    text, result = _complete(JSON_ROLE % ('{"Fn::Sub": "arn:${AWS::Partition}:iam::|"}', '"x"'),
                             HostKind.JSON)
    assert result is not None and result.items[0].label == (
        "arn:${AWS::Partition}:iam::${AWS::AccountId}:root")
    filled = _applied(text, result, result.items[0].label)
    assert '{"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}' in filled
    # In the variables of the list form: no principal there.
    _, inside = _complete(JSON_ROLE % ('{"Fn::Sub": ["${A}", {"A": "|"}]}', '"x"'),
                          HostKind.JSON)
    assert inside is None


def test_outside_sub_maps_the_template_string_to_its_value() -> None:
    assert _outside_sub(("Statement", 0, "Resource", "Fn::Sub")) == (
        ("Statement", 0, "Resource"), True)
    assert _outside_sub(("Statement", 0, "Resource", 1, "Fn::Sub", 0)) == (
        ("Statement", 0, "Resource", 1), True)
    assert _outside_sub(("Statement", 0, "Resource", "Fn::Sub", 1, "A")) == (None, False)
    assert _outside_sub(("Statement", 0, "Resource")) == (("Statement", 0, "Resource"), False)


@pytest.mark.parametrize(("style", "in_sub"), [("!Sub |", True), ("|", False)])
def test_a_json_policy_in_a_block_scalar(style: str, in_sub: bool) -> None:
    """A policy written as JSON in a template's string: inside `!Sub` the whole policy is
    the template, references and all."""
    source = ("Resources:\n  R:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
              f"      PolicyDocument: {style}\n"
              '        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",\n'
              '         "Action": "logs:PutLogEvents", "Resource": "%s"}]}\n')
    offset_of = source.index("%s")
    for typed, parameter in (("arn:${AWS::Partition}:logs:${AWS::Region}:", "${AWS::AccountId}"),
                             ("arn:", "${AWS::Partition}")):
        text = source % typed
        analysis = analyze_in_host(text, HostKind.YAML)
        assert analysis is not None
        result = complete_in_host(analysis, offset_of + len(typed))
        assert result is not None
        assert [i.label for i in result.items if i.kind is ItemKind.PARAMETER] == (
            [parameter] if in_sub else [])
        variables = [i.new_text for i in result.items if i.kind is ItemKind.VARIABLE]
        assert all(("${!" in v) is in_sub for v in variables)

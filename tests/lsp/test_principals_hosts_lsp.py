"""Principals and ARNs in every host through the real server: the `CanonicalUser` tab stop
(JSON, YAML and JSON templates, Terraform), the `type` and `identifiers` of Terraform
principals blocks, and CloudFormation's pseudo parameters in `Fn::Sub` strings (and not
outside them), with the exact items and the text each one leaves."""

from __future__ import annotations

import json

import pytest
from lsp_support import (
    NEOVIM,
    VSCODE,
    PolicyClient,
    apply_item,
    ids,
    position_of,
    uri_for,
    within,
)
from lsprotocol import types as lsp

from connect_policy.editor.completion_items import snippet_to_plain
from connect_policy.formats.hcl_tree import parse_hcl
from connect_policy.formats.host import HostKind, analyze_host

CLIENTS = (VSCODE, NEOVIM)
BUCKET = ('{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Allow",\n'
          '    "Principal": %s,\n    "Action": "s3:GetObject",\n'
          '    "Resource": "arn:aws:s3:::amzn-connect-recordings/*"\n  }]\n}\n')
YAML_ROLE = ("Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n"
             "      AssumeRolePolicyDocument:\n        Version: \"2012-10-17\"\n"
             "        Statement:\n          - Effect: Allow\n            Principal:\n"
             "              {principal}\n            Action: sts:AssumeRole\n"
             "      Policies:\n        - PolicyName: logs\n          PolicyDocument:\n"
             "            Version: \"2012-10-17\"\n            Statement:\n"
             "              - Effect: Allow\n                Action: logs:PutLogEvents\n"
             "                Resource: {resource}\n")
JSON_ROLE = ('{"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {\n'
             '  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{\n'
             '    "Effect": "Allow", "Principal": {principal}, "Action": "sts:AssumeRole"}]},\n'
             '  "Policies": [{"PolicyName": "logs", "PolicyDocument": {"Version": "2012-10-17",\n'
             '    "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents",\n'
             '      "Resource": {resource}}]}}]}}}}\n')
TERRAFORM = ('data "aws_iam_policy_document" "trust" {\n  statement {\n'
             '    actions = ["sts:AssumeRole"]\n    principals {\n%s    }\n  }\n}\n')


def _yaml(principal: str = 'AWS: "*"', resource: str = '"*"') -> str:
    return YAML_ROLE.replace("{principal}", principal).replace("{resource}", resource)


def _json(principal: str = '"*"', resource: str = '"*"') -> str:
    return JSON_ROLE.replace("{principal}", principal).replace("{resource}", resource)


async def _complete(client: PolicyClient, source: str, name: str, language: str
                    ) -> tuple[str, lsp.CompletionList]:
    uri = uri_for(name)
    text, position = position_of(source)
    client.open(uri, text, language_id=language)
    result = await within(client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)), "completion")
    assert isinstance(result, lsp.CompletionList)
    return text, result


def _labels(result: lsp.CompletionList) -> list[str]:
    return [i.label for i in sorted(result.items, key=lambda i: i.sort_text or i.label)]


def _item(result: lsp.CompletionList, label: str) -> lsp.CompletionItem:
    return next(i for i in result.items if i.label == label)


def _new_text(result: lsp.CompletionList, item: lsp.CompletionItem) -> str:
    if isinstance(item.text_edit, lsp.TextEdit):
        return item.text_edit.new_text
    assert item.text_edit_text is not None
    return item.text_edit_text


# --- CanonicalUser ---------------------------------------------------------------------------

CANONICAL = [
    ("policy.json", "json", BUCKET % '{"CanonicalUser": "|"}',
     '"Principal": {"CanonicalUser": "${1:CanonicalUserId}"}'),
    ("template.yaml", "yaml", _yaml("CanonicalUser: |"),
     "              CanonicalUser: ${1:CanonicalUserId}\n"),
    ("template.json", "json", _json('{"CanonicalUser": "|"}'),
     '"Principal": {"CanonicalUser": "${1:CanonicalUserId}"}'),
    ("trust.tf", "terraform", TERRAFORM % ('      type        = "CanonicalUser"\n'
                                           '      identifiers = ["|"]\n'),
     'identifiers = ["${1:CanonicalUserId}"]'),
]


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
@pytest.mark.parametrize(("name", "language", "source", "expected"), CANONICAL,
                         ids=["json", "yaml-template", "json-template", "terraform"])
async def test_canonical_user_is_a_tab_stop_in_every_host(
        client: PolicyClient, name: str, language: str, source: str, expected: str) -> None:
    text, result = await _complete(client, source, name, language)
    assert _labels(result) == ["{CanonicalUserId}"]
    (item,) = result.items
    assert item.detail == "canonical user ID (64 hexadecimal characters)"
    assert item.insert_text_format == lsp.InsertTextFormat.Snippet
    assert item.kind == lsp.CompletionItemKind.EnumMember
    assert expected in apply_item(text, result, item)


async def test_hover_on_a_canonical_user_that_is_not_of_the_form(client: PolicyClient) -> None:
    uri = uri_for("bucket.json")
    text, position = position_of(BUCKET % '{"CanonicalUser": "not-an-i|d"}')
    client.open(uri, text)
    hover = await within(client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)))
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert hover.contents.value.startswith("**not-an-id**\n\nAn Amazon S3 canonical user ID")
    assert hover.contents.value.endswith("AWS shows canonical user IDs: check the value.")


# --- Terraform principals blocks -------------------------------------------------------------

@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_terraform_principal_types(client: PolicyClient) -> None:
    # `type` typed before `identifiers` is: the block is not a principal yet for the model.
    text, result = await _complete(client, TERRAFORM % '      type = "|"\n', "trust.tf",
                                   "terraform")
    assert _labels(result) == ["AWS", "Service", "Federated", "CanonicalUser", "*"]
    service = _item(result, "Service")
    assert service.detail == "principal type"
    assert service.kind == lsp.CompletionItemKind.EnumMember
    filled = apply_item(text, result, service)
    assert '      type = "Service"\n' in filled and not parse_hcl(filled).root.has_error


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
@pytest.mark.parametrize(("kind", "typed", "labels", "chosen", "written"), [
    ("Service", "wisd", ["wisdom.amazonaws.com"], "wisdom.amazonaws.com",
     '"wisdom.amazonaws.com"'),
    ("AWS", "arn:aws:iam::", ["arn:aws:iam::{Account}:root",
                              "arn:aws:iam::{Account}:role/{RoleName}",
                              "arn:aws:iam::{Account}:user/{UserName}"],
     "arn:aws:iam::{Account}:role/{RoleName}",
     '"arn:aws:iam::${1:Account}:role/${2:RoleName}"'),
    ("Federated", "acc", ["accounts.google.com"], "accounts.google.com",
     '"accounts.google.com"'),
    ("*", "", ["*"], "*", '"*"'),
], ids=["Service", "AWS", "Federated", "star"])
async def test_terraform_identifiers_by_type(client: PolicyClient, kind: str, typed: str,
                                             labels: list[str], chosen: str,
                                             written: str) -> None:
    source = TERRAFORM % (f'      type        = "{kind}"\n'
                          f'      identifiers = ["{typed}|"]\n')
    text, result = await _complete(client, source, "trust.tf", "terraform")
    assert _labels(result) == labels
    item = _item(result, chosen)
    filled = apply_item(text, result, item)
    assert f"      identifiers = [{written}]\n" in filled
    # What the client leaves once the tab stops keep their defaults is valid HCL.
    snippet_text = _new_text(result, item)
    expanded = filled.replace(snippet_text, snippet_to_plain(snippet_text))
    assert not parse_hcl(expanded).root.has_error


async def test_terraform_not_principals_and_a_string_left_open(client: PolicyClient) -> None:
    source = ('data "aws_iam_policy_document" "p" {\n  statement {\n'
              '    actions   = ["s3:GetObject"]\n    resources = ["*"]\n'
              '    not_principals {\n      type        = "AWS"\n'
              '      identifiers = ["arn:aws:iam::111122223333:root", "arn:aws:sts|\n'
              '    }\n  }\n}\n')
    _, result = await _complete(client, source, "bucket.tf", "terraform")
    assert _labels(result) == ["arn:aws:sts::{Account}:assumed-role/{RoleName}/{SessionName}"]
    (item,) = result.items
    # The string was left open: the item closes it.
    assert _new_text(result, item) == (
        'arn:aws:sts::${1:Account}:assumed-role/${2:RoleName}/${3:SessionName}"')


async def test_terraform_jsonencode_principal(client: PolicyClient) -> None:
    source = ('resource "aws_iam_role" "r" {\n  name = "r"\n'
              '  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n'
              '    Statement = [{\n      Effect = "Allow"\n'
              '      Principal = { Federated = "cognito|" }\n'
              '      Action = "sts:AssumeRoleWithWebIdentity"\n    }]\n  })\n}\n')
    text, result = await _complete(client, source, "role.tf", "terraform")
    assert _labels(result) == ["cognito-identity.amazonaws.com"]
    filled = apply_item(text, result, result.items[0])
    assert 'Principal = { Federated = "cognito-identity.amazonaws.com" }' in filled
    assert [f.code for f in analyze_host(filled, HostKind.TERRAFORM).findings
            if f.code.startswith("HCL")] == []


# --- CloudFormation pseudo parameters in Fn::Sub ---------------------------------------------

SUB_CASES = [
    ("template.yaml", "yaml", _yaml(resource='!Sub "arn:|"'), "${AWS::Partition}",
     'Resource: !Sub "arn:${AWS::Partition}:"'),
    ("template.yaml", "yaml", _yaml(resource='!Sub "arn:${AWS::Partition}:logs:|"'),
     "${AWS::Region}", 'Resource: !Sub "arn:${AWS::Partition}:logs:${AWS::Region}:"'),
    ("template.yaml", "yaml",
     _yaml(resource='!Sub "arn:${AWS::Partition}:logs:${AWS::Region}:|:log-group:*"'),
     "${AWS::AccountId}",
     'Resource: !Sub "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*"'),
    ("template.json", "json", _json(resource='{"Fn::Sub": "arn:|"}'), "${AWS::Partition}",
     '"Resource": {"Fn::Sub": "arn:${AWS::Partition}:"}'),
    ("template.json", "json", _json(resource='{"Fn::Sub": "arn:aws:logs:|"}'),
     "${AWS::Region}", '"Resource": {"Fn::Sub": "arn:aws:logs:${AWS::Region}:"}'),
    ("template.json", "json", _json(resource='{"Fn::Sub": "arn:aws:logs:us-east-1:|"}'),
     "${AWS::AccountId}", '"Resource": {"Fn::Sub": "arn:aws:logs:us-east-1:${AWS::AccountId}:"}'),
]


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
@pytest.mark.parametrize(("name", "language", "source", "label", "expected"), SUB_CASES,
                         ids=["yaml-partition", "yaml-region", "yaml-account", "json-partition",
                              "json-region", "json-account"])
async def test_pseudo_parameters_in_sub(client: PolicyClient, name: str, language: str,
                                        source: str, label: str, expected: str) -> None:
    text, result = await _complete(client, source, name, language)
    labels = _labels(result)
    assert labels[0] == label and labels.count(label) == 1
    assert [lb for lb in labels if lb.startswith("${AWS::")] == [label]
    item = _item(result, label)
    assert item.kind == lsp.CompletionItemKind.Variable
    assert item.insert_text_format == lsp.InsertTextFormat.Snippet
    snippet_text = _new_text(result, item)
    plain = snippet_text.replace("\\$", "$").replace("\\}", "}")
    filled = apply_item(text, result, item).replace(snippet_text, plain)
    assert expected in filled


@pytest.mark.parametrize(("name", "language", "source"), [
    ("template.yaml", "yaml", _yaml(resource='"arn:|"')),
    ("template.yaml", "yaml", _yaml(resource='"arn:aws:logs:us-east-1:|"')),
    ("template.json", "json", _json(resource='"arn:aws:logs:|"')),
    ("policy.json", "json", BUCKET.replace('"arn:aws:s3:::amzn-connect-recordings/*"',
                                          '"arn:|"')),
], ids=["yaml-partition", "yaml-account", "json-template-region", "json-policy"])
async def test_no_pseudo_parameters_outside_sub(client: PolicyClient, name: str, language: str,
                                                source: str) -> None:
    _, result = await _complete(client, source, name, language)
    assert result.items and not [i for i in result.items if "AWS::" in i.label]


async def test_principal_arns_in_sub(client: PolicyClient) -> None:
    text, result = await _complete(client, _yaml('AWS: !Sub "arn:${AWS::Partition}:iam::|"'),
                                   "template.yaml", "yaml")
    assert _labels(result) == ["arn:${AWS::Partition}:iam::${AWS::AccountId}:root",
                               "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/{RoleName}",
                               "arn:${AWS::Partition}:iam::${AWS::AccountId}:user/{UserName}"]
    root = result.items[0]
    assert _new_text(result, root) == "arn:\\${AWS::Partition\\}:iam::\\${AWS::AccountId\\}:root"
    text, plain = await _complete(client, _json('{"AWS": {"Fn::Sub": "|"}}'), "template.json",
                                  "json")
    assert "${AWS::AccountId}" in _labels(plain)
    text, outside = await _complete(client, _json('{"AWS": "|"}'), "template.json", "json")
    assert [lb for lb in _labels(outside) if "AWS::" in lb] == []
    json.loads(text)  # the template itself is JSON

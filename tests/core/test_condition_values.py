"""Completion and hover of condition values by the key's type and meaning, cursor `|`."""

from __future__ import annotations

import json

from markers import cursor

from connect_policy.analysis import analyze_in_host
from connect_policy.catalog.regions import region_table
from connect_policy.catalog.service_principals import service_principals
from connect_policy.editor.completion import CompletionList, ItemKind, complete
from connect_policy.editor.completion_host import complete_in_host
from connect_policy.editor.hover import hover, hover_in_host
from connect_policy.formats.host import HostKind

POLICY = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
          '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*", '
          '"Condition": {%s}}]}')


def complete_at(source: str, locale: str | None = None) -> tuple[str, CompletionList]:
    text, offset = cursor(source)
    result = complete(text, offset, locale=locale)
    assert result is not None, f"expected completions in {source!r}"
    return text, result


def applied(text: str, result: CompletionList, label: str) -> str:
    chosen = next(i for i in result.items if i.label == label)
    return text[:result.span.start] + chosen.plain_text + text[result.span.end:]


def condition(filled: str) -> dict[str, object]:
    parsed: dict[str, object] = json.loads(filled)["Statement"][0]["Condition"]
    return parsed


def test_bool_key_offers_true_and_false() -> None:
    text, result = complete_at(POLICY % '"Bool": {"aws:SecureTransport": "|"}')
    assert [i.label for i in result.items] == ["true", "false"]
    assert all(i.kind is ItemKind.VALUE for i in result.items)
    assert condition(applied(text, result, "false")) == {
        "Bool": {"aws:SecureTransport": "false"}}


def test_bool_value_typed_in_an_unclosed_string_gets_its_quote() -> None:
    text, offset = cursor(POLICY.replace("}}]}", "") % '"Bool": {"aws:MultiFactorAuthPresent": "t|')
    result = complete(text, offset)
    assert result is not None
    assert [(i.label, i.new_text) for i in result.items] == [("true", 'true"')]


def test_bool_value_before_its_quote_brings_the_quotes() -> None:
    text, result = complete_at(POLICY % '"Bool": {"aws:ViaAWSService": |}')
    assert [i.new_text for i in result.items] == ['"true"', '"false"']
    assert condition(applied(text, result, "true")) == {"Bool": {"aws:ViaAWSService": "true"}}


def test_requested_region_connect_regions_first_with_names() -> None:
    text, result = complete_at(POLICY % '"StringEquals": {"aws:RequestedRegion": ["|"]}')
    connect = region_table().available("connect", "aws")
    ranked = [i.label for i in sorted(result.items, key=lambda i: i.sort_text)]
    assert ranked[:len(connect)] == sorted(connect)
    seoul = next(i for i in result.items if i.label == "ap-northeast-2")
    assert seoul.detail == "Asia Pacific (Seoul)"
    assert condition(applied(text, result, "eu-west-2")) == {
        "StringEquals": {"aws:RequestedRegion": ["eu-west-2"]}}


def test_requested_region_matches_what_is_typed() -> None:
    _, result = complete_at(POLICY % '"StringEquals": {"aws:RequestedRegion": "ap-northeast|"}')
    assert [i.label for i in result.items] == ["ap-northeast-1", "ap-northeast-2",
                                               "ap-northeast-3"]


def test_account_keys_offer_the_policys_accounts_a_tab_stop_and_variables() -> None:
    source = POLICY.replace('"Resource": "arn:aws:s3:::bucket/*"',
                            '"Resource": "arn:aws:kms:us-east-1:111122223333:key/k"') % (
        '"StringEquals": {"aws:SourceAccount": "|"}')
    text, result = complete_at(source)
    assert [i.label for i in result.items] == [
        "111122223333", "{Account}", "${aws:PrincipalAccount}", "${aws:ResourceAccount}"]
    placeholder = next(i for i in result.items if i.label == "{Account}")
    assert placeholder.snippet and placeholder.new_text == "${1:Account}"
    assert condition(applied(text, result, "${aws:ResourceAccount}")) == {
        "StringEquals": {"aws:SourceAccount": "${aws:ResourceAccount}"}}


def test_service_principal_keys_offer_the_principal_table_connect_first() -> None:
    for key in ("aws:CalledViaFirst", "aws:PrincipalServiceName", "iam:PassedToService",
                "iam:AWSServiceName"):
        _, result = complete_at(POLICY % f'"StringEquals": {{"{key}": "|"}}')
        ranked = [i.label for i in sorted(result.items, key=lambda i: i.sort_text)]
        assert ranked[0] == "connect.amazonaws.com", key
        assert set(ranked) <= {p.name for p in service_principals()}
    _, result = complete_at(POLICY % '"ForAnyValue:StringEquals": {"aws:CalledVia": ["lamb|"]}')
    assert [i.label for i in result.items] == ["lambda.amazonaws.com"]
    assert result.items[0].detail == "AWS Lambda"
    assert result.items[0].documentation.endswith("see the IAM User Guide's list for "
                                                  "aws:CalledVia.")
    _, result = complete_at(POLICY % '"StringEquals": {"iam:PassedToService": "lamb|"}')
    assert result.items[0].documentation == (
        "**lambda.amazonaws.com**: the service principal of AWS Lambda.")


def test_principal_type_values() -> None:
    text, result = complete_at(POLICY % '"StringEquals": {"aws:PrincipalType": "|"}')
    assert [i.label for i in result.items] == ["Account", "User", "FederatedUser",
                                               "AssumedRole", "Anonymous"]
    assert condition(applied(text, result, "AssumedRole")) == {
        "StringEquals": {"aws:PrincipalType": "AssumedRole"}}


def test_arn_key_starts_an_arn_and_the_segments_follow() -> None:
    _, result = complete_at(POLICY % '"ArnLike": {"aws:SourceArn": "|"}')
    assert [i.label for i in result.items] == ["arn:aws:", "arn:aws-cn:", "arn:aws-us-gov:"]
    assert all(i.retrigger for i in result.items)
    _, after = complete_at(POLICY % '"ArnLike": {"aws:SourceArn": "arn:aws:|"}')
    assert after.items[0].label == "connect"


def test_date_and_ip_keys_offer_a_placeholder_of_the_right_shape() -> None:
    text, result = complete_at(POLICY % '"DateLessThan": {"aws:CurrentTime": "|"}')
    assert [i.plain_text for i in result.items] == ["2026-01-01T00:00:00Z"]
    text, result = complete_at(POLICY % '"IpAddress": {"aws:SourceIp": "|"}')
    assert [i.new_text for i in result.items] == ["${1:203.0.113.0}/${2:24}"]
    assert condition(applied(text, result, "{IPv4 CIDR}")) == {
        "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}


def test_a_free_string_key_gets_nothing_made_up_but_variables_stay() -> None:
    text, offset = cursor(POLICY % '"StringEquals": {"aws:username": "|"}')
    assert complete(text, offset) is None
    _, result = complete_at(POLICY % '"StringEquals": {"aws:username": "${|"}')
    assert result.items[0].label == "${aws:username}"


def test_korean_details() -> None:
    _, result = complete_at(POLICY % '"StringEquals": {"aws:SourceAccount": "|"}', "ko")
    assert result.items[0].detail == "계정 ID(12자리, 채우기)"


def test_hover_on_a_region_a_bool_value_and_a_principal_type() -> None:
    text, offset = cursor(POLICY % '"StringEquals": {"aws:RequestedRegion": "ap-north|east-2"}')
    found = hover(text, offset)
    assert found is not None
    assert found.markdown == ("**ap-northeast-2**: Asia Pacific (Seoul) (AWS Standard). "
                              "Amazon Connect has endpoints here.")
    assert text[found.span.start:found.span.end] == "ap-northeast-2"
    text, offset = cursor(POLICY % '"Bool": {"aws:SecureTransport": "fal|se"}')
    found = hover(text, offset, "ko")
    assert found is not None and found.markdown.startswith(
        "`aws:SecureTransport` 값이 `false`: 요청이 TLS 없이(HTTP) 전송됨.")
    text, offset = cursor(POLICY % '"StringEquals": {"aws:PrincipalType": "Us|er"}')
    found = hover(text, offset)
    assert found is not None and found.markdown == "**User**: the request comes from an IAM user."


YAML = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: b
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource: arn:aws:s3:::b/*
            Condition:
              Bool:
                aws:SecureTransport: %s
"""

TERRAFORM = '''data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "%s"
      values   = ["%s"]
    }
  }
}
'''


def host_completion(source: str, kind: HostKind) -> tuple[str, CompletionList]:
    text, offset = cursor(source)
    analysis = analyze_in_host(text, kind)
    assert analysis is not None
    result = complete_in_host(analysis, offset)
    assert result is not None
    return text, result


def test_yaml_plain_value_quotes_true_and_false() -> None:
    # An unquoted `true` would be a YAML boolean, not the string IAM compares.
    text, result = host_completion(YAML % "|", HostKind.YAML)
    assert [i.new_text for i in result.items] == ['"true"', '"false"']
    assert applied(text, result, "false").endswith('aws:SecureTransport: "false"\n')
    text, result = host_completion(YAML % '"|"', HostKind.YAML)
    assert [i.new_text for i in result.items] == ["true", "false"]
    assert applied(text, result, "true").endswith('aws:SecureTransport: "true"\n')


def test_terraform_values_and_escaped_variables() -> None:
    text, result = host_completion(TERRAFORM % ("aws:RequestedRegion", "eu-|"),
                                   HostKind.TERRAFORM)
    assert 'values   = ["eu-west-2"]' in applied(text, result, "eu-west-2")
    text, result = host_completion(TERRAFORM % ("aws:SourceAccount", "|"), HostKind.TERRAFORM)
    assert 'values   = ["$${aws:PrincipalAccount}"]' in applied(
        text, result, "${aws:PrincipalAccount}")


def test_null_operator_takes_true_or_false_for_any_key() -> None:
    text, result = complete_at(POLICY % '"Null": {"aws:ResourceTag/Team": "|"}')
    assert [i.label for i in result.items] == ["true", "false"]
    assert result.items[0].documentation == (
        "`Null` with `true`: matches when the request has no such key.")
    assert condition(applied(text, result, "false")) == {
        "Null": {"aws:ResourceTag/Team": "false"}}
    text, offset = cursor(POLICY % '"Null": {"aws:ResourceTag/Team": "tr|ue"}')
    found = hover(text, offset, "ko")
    assert found is not None
    assert found.markdown == "`Null`에 `true`: 요청에 이 키가 없을 때 일치합니다."


def test_hover_on_a_terraform_region_value() -> None:
    text = TERRAFORM % ("aws:RequestedRegion", "ap-northeast-2")
    analysis = analyze_in_host(text, HostKind.TERRAFORM)
    assert analysis is not None
    found = hover_in_host(analysis, text.index("northeast"), "ko")
    assert found is not None
    assert found.markdown == ("**ap-northeast-2**: Asia Pacific (Seoul) (AWS Standard). "
                              "Amazon Connect가 이 리전에 엔드포인트가 있습니다.")
    assert text[found.span.start:found.span.end] == "ap-northeast-2"

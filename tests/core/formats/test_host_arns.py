"""Piecewise ARN completion and the element hovers inside a YAML template: the same engine
as in JSON, with text that stays valid YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from connect_policy.analysis import analyze_in_host
from connect_policy.document.syntax import JsonObject, JsonString
from connect_policy.editor.completion_host import complete_in_host
from connect_policy.editor.completion_items import CompletionList
from connect_policy.editor.hover import hover_in_host
from connect_policy.formats.host import HostKind, analyze_host
from connect_policy.formats.yaml_tree import parse_yaml

DATA = Path(__file__).parent / "data"
YAML_TEMPLATE = (DATA / "contact_center.yaml").read_text()
ROLE = ("Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n"
        "        - PolicyName: p\n          PolicyDocument:\n            Version: \"2012-10-17\"\n"
        "            Statement:\n              - Effect: Allow\n"
        "                Action: connect:DescribeQueue\n")


def _complete(source: str) -> tuple[str, CompletionList]:
    offset = source.index("|")
    analysis = analyze_in_host(source.replace("|", "", 1), HostKind.YAML)
    assert analysis is not None
    result = complete_in_host(analysis, offset)
    assert result is not None
    return analysis.text, result


def _resource(text: str) -> str:
    (policy,) = analyze_host(text, HostKind.YAML).policies
    statement = policy.root.value_of("Statement")
    assert statement is not None
    first = statement.items[0]  # type: ignore[union-attr]
    assert isinstance(first, JsonObject)
    resource = first.value_of("Resource")
    assert isinstance(resource, JsonString)
    return resource.value


@pytest.mark.parametrize(("typed", "label", "segment", "completed"), [
    ("arn:|", "aws", "", "arn:aws:"),
    ("arn:aws:co|", "connect", "co", "arn:aws:connect:"),
    ("arn:aws:connect:|", "us-east-1", "", "arn:aws:connect:us-east-1:"),
    ("arn:aws:connect:us-east-1:|", "*", "", "arn:aws:connect:us-east-1:*:"),
    ("arn:aws:connect:us-east-1:*:|", "instance/*/queue/*", "",
     "arn:aws:connect:us-east-1:*:instance/*/queue/*"),
    ('"arn:aws:connect:|"', "*", "", "arn:aws:connect:*:"),
    ("arn:aws:connect:e|u-west-2:*:instance/*", "eu-central-1", "eu-west-2",
     "arn:aws:connect:eu-central-1:*:instance/*"),
])
def test_piecewise_arns_in_a_yaml_template(typed: str, label: str, segment: str,
                                           completed: str) -> None:
    text, result = _complete(ROLE + f"                Resource: {typed}\n")
    assert text[result.span.start:result.span.end] == segment
    (item,) = [i for i in result.items if i.label == label]
    applied = text[:result.span.start] + item.plain_text + text[result.span.end:]
    assert f"                Resource: {typed.replace('|', '')}\n" in text
    if completed.endswith(":"):
        # Half-typed (a plain scalar cannot end with a colon yet): the next list follows.
        assert item.retrigger
        quote = '"' if typed.startswith('"') else ""
        assert f"                Resource: {quote}{completed}{quote}\n" in applied
        return
    assert parse_yaml(applied).errors == []
    assert _resource(applied) == completed


@pytest.mark.parametrize(("needle", "starts"), [
    ("Deny\n", "**Deny**: explicitly refuses"),
    ("Bool:", "**Bool** (Bool)\n\nCompares the key with `true` or `false`."),
    ("ReadDirectory", "**Sid** (statement ID)"),
    ('"2012-10-17"', "**2012-10-17**: the current policy language version."),
])
def test_element_hovers_in_a_yaml_template(needle: str, starts: str) -> None:
    analysis = analyze_in_host(YAML_TEMPLATE, HostKind.YAML)
    assert analysis is not None
    found = hover_in_host(analysis, YAML_TEMPLATE.index(needle) + 2)
    assert found is not None and found.markdown.startswith(starts)
    assert YAML_TEMPLATE[found.span.start:found.span.end] == needle.strip('":\n')


TF_POLICY = ('resource "aws_iam_policy" "p" {\n  policy = jsonencode({\n'
             '    Version = "2012-10-17"\n    Statement = [{\n      Effect = "Allow"\n'
             '      Action = "connect:DescribeQueue"\n      Resource = "{typed}"\n'
             '    }]\n  })\n}\n')


@pytest.mark.parametrize(("label", "written"), [
    ("us-east-1", "arn:aws:connect:us-east-1:"),
    ("${aws:RequestedRegion}", "arn:aws:connect:$${aws:RequestedRegion}:"),  # HCL's escape
])
def test_arn_segments_in_terraform(label: str, written: str) -> None:
    source = TF_POLICY.replace("{typed}", "arn:aws:connect:|")
    offset = source.index("|")
    analysis = analyze_in_host(source.replace("|", "", 1), HostKind.TERRAFORM)
    assert analysis is not None
    result = complete_in_host(analysis, offset)
    assert result is not None
    (item,) = [i for i in result.items if i.label == label]
    text = analysis.text
    completed = text[:result.span.start] + item.plain_text + text[result.span.end:]
    assert f'Resource = "{written}"' in completed

"""CloudFormation/SAM policies written as a string holding JSON (`formats.cfn_strings`):
every scalar style of YAML and a JSON template's escaped string, `!Sub` with its holes, at
every kind of policy place; findings and JSON syntax errors at their exact host ranges,
fixes that leave the template valid and the finding gone, nothing on strings that are no
JSON, and the editor's features inside such a string."""

from __future__ import annotations

import json

import pytest

from connect_policy.analysis import analyze_in_host
from connect_policy.document.policy import PolicyType
from connect_policy.document.text import LineIndex, Span
from connect_policy.editor.completion_host import complete_in_host
from connect_policy.editor.hover import hover_in_host
from connect_policy.editor.refactorings import refactorings
from connect_policy.findings import Finding, Fix, TextEdit
from connect_policy.formats.cfn_string_fixes import json_text_fixes
from connect_policy.formats.embedded import JsonText
from connect_policy.formats.host import HostKind, analyze_host
from connect_policy.formats.incremental import HostAnalyzer
from connect_policy.formats.yaml_tree import parse_yaml


def placed(text: str, finding: Finding) -> tuple[int, int]:
    """(line, column), 1-based, as `check` prints them."""
    line, column = LineIndex(text).position(finding.span.start)
    return line + 1, column + 1


def resource(name: str, kind: str, properties: str) -> str:
    return f"  {name}:\n    Type: {kind}\n    Properties:\n{properties}"


YAML = "Parameters:\n  Stage:\n    Type: String\n    AllowedValues: [prod]\n" \
    "  InstanceId:\n    Type: String\nResources:\n" + "".join([
        resource("Literal", "AWS::IAM::ManagedPolicy", (
            "      PolicyDocument: |\n"
            '        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",\n'
            '          "Action": ["connect:ListUsers", "connect:ListUsers", '
            '"connect:DescribeUsr"],\n'
            '          "Resource": "*"}]}\n')),
        resource("Substituted", "AWS::IAM::ManagedPolicy", (
            "      PolicyDocument: !Sub |\n"
            '        { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", '
            '"Action": "connect:ListQueus",\n'
            '          "Resource": "arn:${AWS::Partition}:connect:${AWS::Region}:'
            '${AWS::AccountId}:instance/${InstanceId}/*",\n'
            '          "Condition": {"StringEquals": {"aws:PrincipalTag/team": '
            '"${!aws:username}-${Stage}"}} } ] }\n')),
        resource("SingleQuoted", "AWS::IAM::Role", (
            "      AssumeRolePolicyDocument: '{\"Version\": \"2012-10-17\", \"Statement\": "
            "{\"Effect\": \"Alow\", \"Principal\": {\"Service\": \"lambda.amazonaws.com\"}, "
            "\"Action\": \"sts:AssumeRole\", \"Sid\": \"it''s\"}}'\n")),
        resource("DoubleQuoted", "AWS::SQS::QueuePolicy", (
            "      PolicyDocument: \"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": "
            "{\\\"Effect\\\": \\\"Allow\\\", \\\"Principal\\\": \\\"*\\\", "
            "\\\"Action\\\": \\\"sqs:SendMesage\\\", \\\"Resource\\\": \\\"*\\\"}}\"\n")),
        resource("Folded", "AWS::Events::EventBusPolicy", (
            "      StatementId: s\n      Statement: >\n"
            '        {"Effect": "Allow", "Principal": "*",\n'
            '        "Action": "events:PutEvent", "Resource": "*"}\n')),
        resource("Control", "AWS::Organizations::Policy", (
            "      Type: SERVICE_CONTROL_POLICY\n"
            "      Content: '{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": "
            "\"Deny\", \"Action\": \"connect:DeleteInstanse\", \"Resource\": \"*\"}}'\n")),
        resource("Broken", "AWS::IAM::ManagedPolicy", (
            "      PolicyDocument: |\n"
            '        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow"\n'
            '          "Action": "connect:ListUsers", "Resource": "*"}]}\n')),
        resource("Managed", "AWS::IAM::Role", (
            "      AssumeRolePolicyDocument: arn:aws:iam::aws:policy/ReadOnlyAccess\n"
            "      ManagedPolicyArns: ['{\"not\": \"a policy place\"}']\n"
            "      Policies:\n        - PolicyName: p\n"
            "          PolicyDocument: \"not JSON: {connect:ListUsrs}\"\n")),
        resource("Function", "AWS::Serverless::Function", (
            "      Policies:\n        - AmazonS3ReadOnlyAccess\n"
            "        - '{\"Statement\": {\"Effect\": \"Alow\"}}'\n")),
    ])



def _policy(kind: str, key: str, value: object) -> dict[str, object]:
    return {"Type": kind, "Properties": {key: value}}


# The same kinds of strings in a JSON template: escaped, and `Fn::Sub` of one.
JSON = json.dumps({"Resources": {
    "Escaped": _policy("AWS::IAM::ManagedPolicy", "PolicyDocument", json.dumps({
        "Statement": [{"Effect": "Allow", "Action": [
            "connect:ListUsers", "connect:ListUsers", "connect:DescribeUsr"],
            "Resource": "*", "Sid": "caf\u00e9"}]})),
    "Substituted": _policy("AWS::KMS::Key", "KeyPolicy", {"Fn::Sub": json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:${AWS::Partition}:iam::"
                                                    "${AWS::AccountId}:root"},
            "Action": "kms:Encrypt", "Resource": "*", "Condition": {"StringLike": {
                "kms:ViaService": "${!aws:username}"}}},
            {"Sid": "정책", "Effect": "Allow", "Principal": "*", "Action": "kms:Decript",
             "Resource": "*"}]},
        ensure_ascii=False)}),
    "Name": _policy("AWS::IAM::ManagedPolicy", "PolicyDocument", "arn:aws:iam::aws:policy/x"),
}}, indent=2, ensure_ascii=False)


def _found(text: str, kind: HostKind) -> list[tuple[str, int, int, str]]:
    return [(f.code, *placed(text, f), text[f.span.start:f.span.end])
            for f in analyze_host(text, kind).findings]


def test_every_yaml_style_at_every_kind_of_place() -> None:
    result = analyze_host(YAML, HostKind.YAML)
    assert [(p.label, p.policy_type, p.json_text and p.json_text.style)
            for p in result.policies] == [
        ("Literal.PolicyDocument", PolicyType.IDENTITY, "|"),
        ("Substituted.PolicyDocument", PolicyType.IDENTITY, "|"),
        ("SingleQuoted.AssumeRolePolicyDocument", PolicyType.TRUST, "'"),
        ("DoubleQuoted.PolicyDocument", PolicyType.RESOURCE, '"'),
        ("Folded.Statement", PolicyType.RESOURCE, ">"),
        ("Control.Content", PolicyType.SERVICE_CONTROL, "'"),
        ("Broken.PolicyDocument", PolicyType.IDENTITY, "|"),
        # A managed policy's ARN, a string that is no JSON, a string outside a policy
        # place and SAM's `Policies` entries (names or ARNs to SAM) are not policies.
    ]
    assert _found(YAML, HostKind.YAML) == [
        ("REDUNDANT_ACTION", 13, 43, '"connect:ListUsers"'),
        ("INVALID_ACTION", 13, 73, "DescribeUsr"),
        # `${AWS::…}`, `${InstanceId}` are holes, `${!aws:username}` a policy variable and
        # `${Stage}` its single allowed value: none of them an error.
        ("INVALID_ACTION", 19, 91, "ListQueus"),
        ("INVALID_EFFECT", 25, 84, '"Alow"'),
        ("UNSUPPORTED_SID", 25, 177, "\"it''s\""),
        ("INVALID_ACTION", 29, 133, "SendMesage"),  # after escaped quotes
        ("INVALID_ACTION", 36, 27, "PutEvent"),  # on the second line of a folded scalar
        ("INVALID_ACTION", 41, 94, "DeleteInstanse"),
        ("JSON_SYNTAX_ERROR", 46, 67, ""),  # the comma missing after "Allow"
    ]
    by_code = {f.code: f for f in result.findings}
    assert by_code["JSON_SYNTAX_ERROR"].message.startswith("Broken.PolicyDocument: ")
    assert by_code["UNSUPPORTED_SID"].data["policy"] == "SingleQuoted.AssumeRolePolicyDocument"


def test_json_template_strings_escaped_and_substituted() -> None:
    result = analyze_host(JSON, HostKind.JSON)
    assert [(p.label, p.policy_type) for p in result.policies] == [
        ("Escaped.PolicyDocument", PolicyType.IDENTITY),
        ("Substituted.KeyPolicy", PolicyType.RESOURCE)]
    assert _found(JSON, HostKind.JSON) == [
        ("MISSING_VERSION", 6, 28, '{\\"Statement\\"'),
        ("REDUNDANT_ACTION", 6, 105, '\\"connect:ListUsers\\"'),
        ("INVALID_ACTION", 6, 138, "DescribeUsr"),
        ("UNSUPPORTED_SID", 6, 184, '\\"caf\\\\u00e9\\"'),
        ("UNSUPPORTED_SID", 13, 312, '\\"정책\\"'),
        ("INVALID_ACTION", 13, 383, "Decript"),  # columns in code points after Hangul
    ]


def _apply(text: str, fix: Fix) -> str:
    for edit in sorted(fix.edits, key=lambda e: e.span.start, reverse=True):
        text = text[:edit.span.start] + edit.new_text + text[edit.span.end:]
    return text


def _fixable(text: str, kind: HostKind) -> list[tuple[int, Finding]]:
    return [(i, f) for i, f in enumerate(analyze_host(text, kind).findings) if f.fixes]


@pytest.mark.parametrize(("kind", "index"), [
    *((HostKind.YAML, i) for i, _ in _fixable(YAML, HostKind.YAML)),
    *((HostKind.JSON, i) for i, _ in _fixable(JSON, HostKind.JSON))])
def test_each_fix_leaves_a_valid_template_without_the_finding(kind: HostKind,
                                                              index: int) -> None:
    text = YAML if kind is HostKind.YAML else JSON
    before = analyze_host(text, kind)
    finding = before.findings[index]
    fixed = _apply(text, finding.fixes[0])
    if kind is HostKind.YAML:
        assert parse_yaml(fixed).errors == []
    else:
        json.loads(fixed)
    after = analyze_host(fixed, kind)
    assert len(after.policies) == len(before.policies)
    assert [(f.code, f.message) for f in after.findings] == [
        (f.code, f.message) for f in before.findings if f is not finding]


def test_fixes_are_written_for_the_string() -> None:
    yaml = {f.code: f for f in analyze_host(YAML, HostKind.YAML).findings}
    # A single-quoted scalar doubles its quote; the removal takes the entry and its comma.
    (sid_fix,) = yaml["UNSUPPORTED_SID"].fixes
    assert [e.new_text for e in sid_fix.edits] == ['"its"']
    assert [YAML[e.span.start:e.span.end] for e in yaml["REDUNDANT_ACTION"].fixes[0].edits] \
        == ['"connect:ListUsers", ']
    found = {f.code: f for f in analyze_host(JSON, HostKind.JSON).findings}
    # A JSON template's string: the new member with escaped quotes, the escapes removed
    # whole with the entry.
    assert [e.new_text for e in found["MISSING_VERSION"].fixes[0].edits] == [
        '\\"Version\\": \\"2012-10-17\\", ']
    assert [JSON[e.span.start:e.span.end] for e in found["REDUNDANT_ACTION"].fixes[0].edits] \
        == ['\\"connect:ListUsers\\", ']


def _string_policy(source: str) -> tuple[str, Finding, JsonText]:
    text = "Resources:\n" + resource("P", "AWS::IAM::ManagedPolicy", source)
    result = analyze_host(text, HostKind.YAML)
    (policy,) = result.policies
    assert policy.json_text is not None
    return text, result.findings[0], policy.json_text


def test_edits_that_cut_an_escape_or_a_reference_or_the_indentation_are_dropped() -> None:
    text, finding, written = _string_policy(
        "      PolicyDocument: !Sub \"{\\\"Statement\\\": {\\\"Effect\\\": \\\"Allow\\\", "
        "\\\"Action\\\": \\\"connect:Lis${X}\\\", \\\"Resource\\\": \\\"*\\\"}}\"\n")
    assert finding.code == "MISSING_VERSION"
    escape = text.index('\\"Effect')
    hole = text.index("${X}")

    def kept(*edits: TextEdit) -> list[list[str]]:
        fixed = json_text_fixes(Finding("X", "m", finding.span, (Fix("f", edits),)),
                                written)
        return [[e.new_text for e in fix.edits] for fix in fixed.fixes]

    assert kept(TextEdit(Span(escape + 1, escape + 3), "E")) == []  # from inside `\"`
    assert kept(TextEdit(Span(escape, escape + 3), '"E')) == [['\\"E']]
    assert kept(TextEdit(Span(hole + 1, hole + 6), "")) == []  # half of `${X}`
    assert kept(TextEdit(Span(hole, hole + 4), "${aws:username}")) == [["${!aws:username}"]]
    text, finding, written = _string_policy(
        "      PolicyDocument: |\n        {\"Statement\": {\"Effect\": \"Allow\",\n"
        "          \"Action\": \"connect:ListUsers\", \"Resource\": \"*\"}}\n")
    at = text.index('"Effect"')
    assert kept(TextEdit(Span(at, at), '"Sid": "a",\n        ')) == [['"Sid": "a",\n        ']]
    assert kept(TextEdit(Span(at, at), '"Sid": "a",\n  ')) == []  # out of the block


def test_sub_references_are_never_errors_and_fixed_parts_are_checked() -> None:
    text = "Resources:\n" + resource("P", "AWS::IAM::ManagedPolicy", (
        "      PolicyDocument: !Sub\n        - |\n"
        '          {"Version": "2012-10-17", "Statement": [{"Effect": "${Effect}",\n'
        '            "Action": ["${Service}:ListUsers", "conect:${Action}"],\n'
        '            "Resource": ${Arns}, "Condition": {"${Operator}": {"aws:SourceIp": '
        '"${Ip}"}}}]}\n'
        "        - Effect: !Ref E\n"))
    # The fixed service prefix is still read; an operator known at deployment leaves its
    # block unknown, not empty.
    assert _found(text, HostKind.YAML) == [
        ("INVALID_SERVICE_IN_ACTION", 8, 49, "conect:${Action}")]


def test_strings_under_if_and_in_nested_places() -> None:
    text = "Conditions:\n  C: !Equals [a, b]\nResources:\n" + resource(
        "Table", "AWS::DynamoDB::Table", (
            "      ResourcePolicy:\n        PolicyDocument: !If\n          - C\n"
            "          - '{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", "
            "\"Principal\": \"*\", \"Action\": \"dynamodb:GetItm\", \"Resource\": \"*\"}}'\n"
            "          - !Ref AWS::NoValue\n"))
    assert _found(text, HostKind.YAML) == [("INVALID_ACTION", 10, 111, "GetItm")]


def test_typing_in_a_string_policy_gives_the_full_analysis() -> None:
    analyzer = HostAnalyzer()
    analyzer.analyze(YAML, HostKind.YAML)
    at = YAML.index("connect:DescribeUsr") + len("connect:Describe")
    for version in [YAML[:at] + "X" * n + YAML[at:] for n in (1, 2, 1, 0)] + [
            YAML[:at] + '"' + YAML[at:]]:  # a quote: the JSON inside breaks
        result = analyzer.analyze(version, HostKind.YAML)
        full = analyze_host(version, HostKind.YAML)
        assert analyzer.analysed == 1
        assert [(f.code, f.span, f.message, f.fixes) for f in result.findings] == [
            (f.code, f.span, f.message, f.fixes) for f in full.findings]
        assert [p.json_text for p in result.policies] == [p.json_text for p in full.policies]


# -- the editor inside such strings ---------------------------------------------------------

CURSOR = "\u2038"  # ‸: a character no template here holds


def _completed(text: str, kind: HostKind, label: str) -> tuple[str, str]:
    """The text with the item `label` applied at the cursor, and the item's own text."""
    offset = text.index(CURSOR)
    source = text.replace(CURSOR, "", 1)
    analysis = analyze_in_host(source, kind)
    assert analysis is not None
    result = complete_in_host(analysis, offset)
    assert result is not None
    (item,) = [i for i in result.items if i.label == label]
    span = item.span or result.span
    return source[:span.start] + item.plain_text + source[span.end:], item.new_text


def test_hover_inside_a_string_policy() -> None:
    for text, kind, needle in ((YAML, HostKind.YAML, "connect:ListQueus"),
                               (JSON, HostKind.JSON, "kms:Encrypt")):
        analysis = analyze_in_host(text, kind)
        assert analysis is not None
        at = text.index(needle) + 2
        hover = hover_in_host(analysis, at)
        assert hover is not None
        assert text[hover.span.start:hover.span.end] == needle
        assert needle.split(":")[0] in hover.markdown.lower()


def test_completion_inside_a_string_policy() -> None:
    # An action in a literal block scalar, in place.
    text = YAML.replace("connect:ListQueus", f"connect:ListQue{CURSOR}us")
    completed, _ = _completed(text, HostKind.YAML, "connect:ListQueues")
    assert completed == YAML.replace("connect:ListQueus", "connect:ListQueues")
    # In a JSON template's escaped string.
    text = JSON.replace("kms:Decript", f"kms:Dec{CURSOR}ript")
    completed, _ = _completed(text, HostKind.JSON, "kms:Decrypt")
    assert completed == JSON.replace("kms:Decript", "kms:Decrypt")
    # In `!Sub`, a policy variable is written `${!…}` (`${` alone starts a reference).
    for typed in ("$", "${!aws:u"):
        text = YAML.replace("${!aws:username}-${Stage}", typed + CURSOR)
        completed, new_text = _completed(text, HostKind.YAML, "${aws:username}")
        assert new_text == "\\${!aws:username\\}"
        assert completed == YAML.replace("${!aws:username}-${Stage}", "${!aws:username}")


def test_no_refactoring_rewrites_a_string_policy() -> None:
    analysis = analyze_in_host(YAML, HostKind.YAML)
    assert analysis is not None
    at = YAML.index('"connect:ListUsers"')
    assert refactorings(analysis, Span(at, at)) == []


def test_json_syntax_errors_inside_an_escaped_string() -> None:
    text = json.dumps({"Resources": {"P": _policy(
        "AWS::IAM::ManagedPolicy", "PolicyDocument",
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": '
        '"connect:ListUsers" "Resource": "*",}]}')}})
    found = analyze_host(text, HostKind.JSON).findings
    assert [(f.code, text[f.span.start:f.span.end]) for f in found] == [
        ("JSON_SYNTAX_ERROR", ""), ("JSON_SYNTAX_ERROR", ",")]
    # The missing comma right after the value's escaped closing quote.
    assert text[:found[0].span.start].endswith('\\"connect:ListUsers\\"')
    assert all(f.message.startswith("P.PolicyDocument: ") for f in found)

"""The editor features inside host files: the cursor's location at each half-typed YAML
state, completion whose text stays valid YAML, hover by node lookup, the outline."""

from __future__ import annotations

from pathlib import Path

import pytest

from connect_policy.analysis import Analysis, analyze_in_host
from connect_policy.document.syntax import JsonArray, JsonObject
from connect_policy.document.text import Span
from connect_policy.editor.completion_host import complete_in_host
from connect_policy.editor.completion_items import CompletionList, ItemKind
from connect_policy.editor.hover import hover_in_host
from connect_policy.editor.symbols import host_document_links, host_document_symbols
from connect_policy.formats.embedded import EmbeddedPolicy
from connect_policy.formats.host import HostKind, analyze_host
from connect_policy.formats.host_location import HostLocation, locate, locate_in_tree
from connect_policy.formats.yaml_text import block_lines, plain_is_string
from connect_policy.formats.yaml_tree import parse_yaml

DATA = Path(__file__).parent / "data"
YAML_TEMPLATE = (DATA / "contact_center.yaml").read_text()
JSON_TEMPLATE = (DATA / "contact_center.template.json").read_text()
HEAD = 'Version: "2012-10-17"\nStatement:\n  - Effect: Allow\n'
TAIL = '\n    Resource: "*"\n'
# A role in a template: the same states inside a CloudFormation document.
ROLE = ("Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n"
        "        - PolicyName: p\n          PolicyDocument:\n            Statement:\n"
        "              - Effect: Allow\n")


def _analysis(source: str, kind: HostKind = HostKind.YAML) -> tuple[Analysis, int]:
    offset = source.index("|")
    analysis = analyze_in_host(source.replace("|", "", 1), kind)
    assert analysis is not None
    return analysis, offset


def _locate(source: str, kind: HostKind = HostKind.YAML) -> HostLocation | None:
    analysis, offset = _analysis(source, kind)
    return locate(analysis.embedded, analysis.text, offset, kind)


def _complete(source: str, kind: HostKind = HostKind.YAML) -> tuple[str, CompletionList]:
    analysis, offset = _analysis(source, kind)
    result = complete_in_host(analysis, offset)
    assert result is not None
    return analysis.text, result


def _apply(text: str, result: CompletionList, label: str) -> str:
    (item,) = [i for i in result.items if i.label == label]
    span = item.span or result.span
    return text[:span.start] + item.plain_text + text[span.end:]


# (text with the cursor, path, is_key, prefix, the content span's text, quote, flow)
STATES = [
    ("    Action: connect:Desc|", ("Statement", 0, "Action"), False, "connect:Desc",
     "connect:Desc", "", False),
    ("    Action: [connect:Desc|", ("Statement", 0, "Action", 0), False, "connect:Desc",
     "connect:Desc", "", True),
    ("    Action: [s3:GetObject, connect:Desc|]", ("Statement", 0, "Action", 1), False,
     "connect:Desc", "connect:Desc", "", True),
    ('    Action: "connect:Desc|', ("Statement", 0, "Action"), False, "connect:Desc",
     "connect:Desc", '"', False),
    ("    Action: 'connect:Desc|", ("Statement", 0, "Action"), False, "connect:Desc",
     "connect:Desc", "'", False),
    ("    Acti|", ("Statement", 0), True, "Acti", "Acti", "", False),
    ("    Action:\n      - |", ("Statement", 0, "Action", 0), False, "", "", "", False),
    ("    Action: |", ("Statement", 0, "Action"), False, "", "", "", False),
    ("    Action:\n      - conn|", ("Statement", 0, "Action", 0), False, "conn", "conn", "",
     False),
    ("    Action:\n      - connect:|", ("Statement", 0, "Action", 0), False, "connect:",
     "connect:", "", False),
    ("    Action: connect:|", ("Statement", 0, "Action"), False, "connect:", "connect:", "",
     False),
    ("    Action: connect:Desc|ribeUser", ("Statement", 0, "Action"), False, "connect:Desc",
     "connect:DescribeUser", "", False),
    ("    Condition:\n      StringEquals:\n        aws:Sou|",
     ("Statement", 0, "Condition", "StringEquals"), True, "aws:Sou", "aws:Sou", "", False),
    ("    Condition:\n      StringEquals:\n        aws:SourceIp: x\n        aws:Sou|",
     ("Statement", 0, "Condition", "StringEquals"), True, "aws:Sou", "aws:Sou", "", False),
    ("    Condition:\n      StringEq|", ("Statement", 0, "Condition"), True, "StringEq",
     "StringEq", "", False),
    ("    |", ("Statement", 0), True, "", "", "", False),
    ("  - Eff|", ("Statement", 1), True, "Eff", "Eff", "", False),
    ("  - |", ("Statement", 1), True, "", "", "", False),
    ("    Effect: Al|", ("Statement", 0, "Effect"), False, "Al", "Al", "", False),
]


@pytest.mark.parametrize("host", ["policy", "template"])
@pytest.mark.parametrize(("line", "path", "is_key", "prefix", "content", "quote", "flow"),
                         STATES, ids=[s[0].strip() for s in STATES])
@pytest.mark.parametrize("after", [TAIL, "\n"], ids=["siblings-after", "at-the-end"])
def test_locations_at_half_typed_yaml(host: str, line: str, path: tuple[str | int, ...],
                                      is_key: bool, prefix: str, content: str, quote: str,
                                      flow: bool, after: str) -> None:
    if line.startswith("  - ") and after == TAIL:
        after = "\n  - Effect: Deny" + TAIL  # a new item between two statements
    head = HEAD
    if host == "template":
        indent = " " * 12
        head = ROLE
        line = "\n".join(indent + part for part in line.split("\n"))
        after = "\n".join(indent + part if part else part for part in after.split("\n"))
    found = _locate(head + line + after)
    assert found is not None
    location = found.location
    assert (location.path, location.is_key, location.in_string, location.prefix) == (
        path, is_key, True, prefix)
    text = (head + line + after).replace("|", "", 1)
    assert text[location.content.start:location.content.end] == content
    assert (found.quote, found.flow) == (quote, flow)
    assert found.policy.label == ("Role.Policies[0]" if host == "template" else "")


def test_a_key_with_its_colon_completes_the_name_alone() -> None:
    found = _locate(HEAD + "    Condition:\n      StringEq|: {aws:SourceIp: x}" + TAIL)
    assert found is not None and found.name_only and found.value_keys == ("aws:SourceIp",)
    found = _locate(HEAD + "    Acti|" + TAIL)
    assert found is not None and not found.name_only
    assert found.siblings == ("Effect", "Resource")


def test_nothing_outside_the_policies_and_in_comments() -> None:
    assert _locate("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n"
                   "      Name: q|\n") is None
    assert _locate(HEAD + "    # connect:Desc|" + TAIL) is None
    assert _locate("services:\n  web:\n    image: ngi|\n") is None
    assert _locate("jobs:\n  test:\n    runs-on: |\n") is None


def test_the_tree_alone_answers_in_strings_and_nothing_in_gaps() -> None:
    text = HEAD + "    Action: connect:DescribeUser" + TAIL
    (policy,) = analyze_host(text, HostKind.YAML).policies
    inside = locate_in_tree(policy, text, text.index("DescribeUser"))
    assert inside is not None and inside.location.prefix == "connect:"
    assert locate_in_tree(policy, text, text.index("Effect") - 2) is None


def test_a_json_template_is_located_as_json_text() -> None:
    source = JSON_TEMPLATE.replace('"connect:DescribeUser"', '"connect:Desc|', 1)
    found = _locate(source, HostKind.JSON)
    assert found is not None
    assert found.location.path == ("Statement", 0, "Action", 0)
    assert found.location.prefix == "connect:Desc" and found.quote == '"'
    assert found.policy.label == "AgentRole.Policies[0]"


def test_terraform_like_trees_need_no_yaml() -> None:
    """A tree whose keys have no quotes (Terraform's data source) and no host kind: the node
    walk alone."""
    text = HEAD + "    Action: [\"connect:Desc\"]" + TAIL
    (policy,) = analyze_host(text, HostKind.YAML).policies
    assert isinstance(policy.root, JsonObject)
    found = locate([EmbeddedPolicy(policy.root, None, "")], text,
                   text.index("connect:Desc") + len("connect:Desc"), None)
    assert found is not None and found.quote == '"' and found.location.prefix == "connect:Desc"


# --- completion ----------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "label", "expected"), [
    ("    Action:\n      - connect:Desc|", "connect:DescribeUser",
     "    Action:\n      - connect:DescribeUser"),
    ("    Action: [s3:GetObject, connect:Desc|]", "connect:DescribeUser",
     "    Action: [s3:GetObject, connect:DescribeUser]"),
    ('    Action: "connect:Desc|"', "connect:DescribeUser", '    Action: "connect:DescribeUser"'),
    ("    Action:\n      - connect:Desc|", "connect:Describe*",
     "    Action:\n      - connect:Describe*"),
    ("    Action:\n      - |", "connect", "    Action:\n      - connect:"),
    ("    Action: s3:GetObject\n    Resource: |", "*",
     '    Action: s3:GetObject\n    Resource: "*"'),
    ("    Action: s3:GetObject\n    Resource: ar|", "arn:aws:s3:::*/*",
     "    Action: s3:GetObject\n    Resource: arn:aws:s3:::*/*"),
    ("    Action: s3:GetObject\n    Resource: [ar|]", "arn:aws:s3:::*/*",
     "    Action: s3:GetObject\n    Resource: [arn:aws:s3:::*/*]"),
    ("    Action: s3:GetObject\n    Resource: '|'", "*",
     "    Action: s3:GetObject\n    Resource: '*'"),
    ("    Action: s3:GetObject\n    Resource: arn:aws:s3:::b/${aws:userna|",
     "${aws:username}", "    Action: s3:GetObject\n    Resource: arn:aws:s3:::b/${aws:username}"),
    ("    Effect: |", "Deny", "    Effect: Deny"),
    ("    Action: s3:GetObject\n    Condition:\n      StringEquals:\n        aws:SourceAcc|",
     "aws:SourceAccount",
     "    Action: s3:GetObject\n    Condition:\n      StringEquals:\n        aws:SourceAccount"),
])
def test_completed_text_is_valid_yaml(line: str, label: str, expected: str) -> None:
    text, result = _complete(HEAD + line + "\n")
    applied = _apply(text, result, label)
    assert applied == HEAD + expected + "\n"
    if not expected.endswith(":"):
        assert parse_yaml(applied).errors == []


@pytest.mark.parametrize("line", ["      - connect:Desc|", "      - connect:|",
                                  "    Action: [connect:Desc|"])
def test_offsets_after_wide_characters(line: str) -> None:
    """Code points, not UTF-8 bytes: a comment in Korean and an emoji before the policy."""
    head = "# 상담원 역할 😀\n" + HEAD + ("    Action:\n" if line.startswith("      ") else "")
    text, result = _complete(head + line + TAIL)
    typed = line.strip().removeprefix("- ").removeprefix("Action: [").rstrip("|")
    assert text[result.span.start:result.span.end] == typed
    assert result.items and all(i.label.startswith(typed) for i in result.items[:10])


def test_a_version_that_reads_as_a_date_is_quoted() -> None:
    _, result = _complete("Version: 2012|\nStatement: []\n")
    assert [i.new_text for i in result.items] == ['"2012-10-17"']
    assert plain_is_string("connect:*", flow=True)
    for needs_quotes in ("*", "*:x", "&a", "!x", "{a", "[a", "%a", "@a", "'a", '"a', "a: b",
                         "a #b", "a:", "yes", "12", "2012-10-17", "null"):
        assert not plain_is_string(needs_quotes, flow=False), needs_quotes
    assert not plain_is_string("a,b", flow=True)


def test_element_names_are_yaml_members_with_their_value() -> None:
    text, result = _complete(HEAD + "    Acti|" + TAIL)
    assert [(i.label, i.new_text) for i in result.items] == [
        ("Action", "Action:\n      - $1"), ("NotAction", "NotAction:\n      - $1")]
    applied = _apply(text, result, "Action").replace("    Action:\n      - \n",
                                                     "    Action:\n      - s3:GetObject\n")
    assert parse_yaml(applied).errors == []
    assert [f.code for f in analyze_host(applied, HostKind.YAML).findings] == []
    # An identity policy in a template gets no Principal; a trust policy does.
    _, names = _complete(ROLE + "              |\n")
    assert "Principal" not in [i.label for i in names.items]
    trust = ROLE.replace("      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
                         "            Statement:\n              - Effect: Allow\n",
                         "      AssumeRolePolicyDocument:\n        Statement:\n"
                         "          - Effect: Allow\n")
    _, names = _complete(trust + "            |\n")
    assert "Principal" in [i.label for i in names.items]


def test_quoted_keys_are_read_by_their_name() -> None:
    text = ("Version: '2012-10-17'\nStatement:\n  - \"Effect\": Allow\n"
            "    'Action': s3:GetObject\n    \"Resource\": \"*\"\n")
    (policy,) = analyze_host(text, HostKind.YAML).policies
    assert analyze_host(text, HostKind.YAML).findings == []
    assert isinstance(policy.root, JsonObject)
    statements = policy.root.value_of("Statement")
    assert isinstance(statements, JsonArray) and isinstance(statements.items[0], JsonObject)
    assert [m.key.value for m in statements.items[0].members] == ["Effect", "Action",
                                                                  "Resource"]


@pytest.mark.parametrize("line", ['    "Acti|' + TAIL, "  - {Effect: Allow, Acti|}\n"],
                         ids=["quoted", "flow-mapping"])
def test_a_key_typed_in_quotes_or_braces_gets_names_alone(line: str) -> None:
    _, result = _complete(HEAD + line)
    assert [(i.label, i.new_text) for i in result.items] == [("Action", "Action"),
                                                             ("NotAction", "NotAction")]


def test_a_template_over_the_size_limit_gets_no_completion() -> None:
    from connect_policy.analysis import Settings

    source = HEAD + "    Action: connect:Desc|" + TAIL
    analysis = analyze_in_host(source.replace("|", ""), HostKind.YAML, Settings(max_size=20))
    assert analysis is not None and [f.code for f in analysis.findings] == ["FILE_ERROR"]
    assert complete_in_host(analysis, source.index("|")) is None


def test_operators_come_with_their_block() -> None:
    text, result = _complete(HEAD + "    Action: s3:GetObject\n    Condition:\n      StringEq|\n")
    item = next(i for i in result.items if i.label == "StringEquals")
    assert item.new_text == "StringEquals:\n        $1: $2" and item.retrigger
    filled = _apply(text, result, "StringEquals").replace(
        "        : \n", "        aws:SourceAccount: '111122223333'\n")
    assert parse_yaml(filled).errors == []


def test_job_statements_in_an_empty_statement_item() -> None:
    text, result = _complete(HEAD + "    Action: s3:GetObject\n    Resource: '*'\n  - |\n")
    jobs = [i for i in result.items if i.kind is ItemKind.SNIPPET]
    assert jobs
    for job in jobs:
        applied = text[:result.span.start] + job.plain_text + text[result.span.end:]
        assert parse_yaml(applied).errors == [], job.label
        codes = {f.code for f in analyze_host(applied, HostKind.YAML).findings}
        assert not codes & {"INVALID_ACTION", "MISSING_RESOURCE", "MISSING_EFFECT"}, job.label


def test_block_lines_indent_list_item_mappings_under_their_first_key() -> None:
    assert block_lines([{"A": "x", "B": ["y", "z"]}], "    ", str) == [
        "- A: x", "  B:", "      - y", "      - z"]


def test_completion_in_a_json_template_is_that_of_json() -> None:
    text, result = _complete(JSON_TEMPLATE.replace('"connect:DescribeUser"',
                                                   '"connect:DescribeUs|"', 1), HostKind.JSON)
    assert _apply(text, result, "connect:DescribeUser") == JSON_TEMPLATE


def test_every_offset_of_the_templates_answers_without_error() -> None:
    for text, kind in ((YAML_TEMPLATE, HostKind.YAML), (JSON_TEMPLATE, HostKind.JSON)):
        analysis = analyze_in_host(text, kind)
        assert analysis is not None
        for offset in range(0, len(text), 7):
            complete_in_host(analysis, offset)
            hover_in_host(analysis, offset)


# --- hover, outline, links -------------------------------------------------------------------


@pytest.mark.parametrize(("needle", "starts"), [
    ("connect:DescribeUser", "**connect:DescribeUser** — Amazon Connect"),
    ("kms:*", "**kms:*** — AWS Key Management Service"),
    ("aws:SourceAccount", "**aws:SourceAccount**"),
    ('"s3:ListBucket"', "**s3:ListBucket** — Amazon S3"),  # a branch of `!If`
])
def test_hover_in_a_yaml_template(needle: str, starts: str) -> None:
    analysis = analyze_in_host(YAML_TEMPLATE, HostKind.YAML)
    assert analysis is not None
    at = YAML_TEMPLATE.index(needle) + 2
    found = hover_in_host(analysis, at)
    assert found is not None and found.markdown.startswith(starts)
    assert YAML_TEMPLATE[found.span.start:found.span.end] == needle.strip('"')


def test_outline_and_links_of_a_template() -> None:
    analysis = analyze_in_host(YAML_TEMPLATE, HostKind.YAML)
    assert analysis is not None
    symbols = host_document_symbols(analysis)
    assert [(s.name, s.detail) for s in symbols] == [
        ("RecordingsKey.KeyPolicy", "resource policy"),
        ("RecordingsBucketPolicy.PolicyDocument", "resource policy"),
        ("AgentRole.Policies[0]", "identity policy"),
        ("AgentRole.Policies[1]", "identity policy"),
        ("AgentRole.AssumeRolePolicyDocument", "trust policy"),
        ("SupervisorPolicy.PolicyDocument", "identity policy"),
        ("RoutingFunction.Policies[2]", "identity policy")]
    first = symbols[0]
    assert [c.name for c in first.children] == ["AccountAdmin", "ConnectUse"]
    assert first.span.start <= first.selection.start <= first.selection.end <= first.span.end
    links = {YAML_TEMPLATE[link.span.start:link.span.end] for link in
             host_document_links(analysis)}
    assert {"connect:DescribeUser", "kms:Encrypt", "aws:SourceAccount"} <= links
    assert Span(0, 0) not in [s.span for s in symbols]


TF_POLICY = ('resource "aws_iam_policy" "p" {\n  policy = jsonencode({\n'
             '    Version = "2012-10-17"\n    Statement = [{\n      Effect = "Allow"\n'
             '      Action = "s3:GetObject"\n      Resource = "arn:aws:s3:::b/{typed}"\n'
             '    }]\n  })\n}\n')


@pytest.mark.parametrize("typed", ["$|", "$${aws:u|"])
def test_a_policy_variable_in_terraform_is_written_with_hcl_escape(typed: str) -> None:
    """`${` starts an interpolation in a Terraform string: the variable must be `$${…}`,
    whether the user typed one `$` or the escaped `$${` already."""
    text, result = _complete(TF_POLICY.replace("{typed}", typed), HostKind.TERRAFORM)
    completed = _apply(text, result, "${aws:username}")
    assert 'Resource = "arn:aws:s3:::b/$${aws:username}"' in completed
    assert not [f for f in analyze_host(completed, HostKind.TERRAFORM).findings
                if f.code.startswith("HCL")]


TF_MODULE = (DATA / "contact_center.tf").read_text()


@pytest.mark.parametrize(("before", "after", "label", "expected"), [
    # Typed before the list's `]`, no closing quote yet (Neovim has no auto-pairs).
    ('"conect:ListQueues"]', '"connect:ListQ|]', "connect:ListQueues",
     '"connect:ListQueues"]'),
    # The list not closed either: the line ends at the cursor.
    ('["connect:DescribeUsr", "conect:ListQueues"]', '["connect:DescribeU|',
     "connect:DescribeUser", '["connect:DescribeUser"'),
    # A closed string gets no extra quote.
    ('"conect:ListQueues"]', '"connect:ListQ|"]', "connect:ListQueues",
     '"connect:ListQueues"]'),
])
def test_completion_in_a_terraform_string_left_open(before: str, after: str, label: str,
                                                     expected: str) -> None:
    """An unterminated HCL string swallows the rest of the file in tree-sitter's reading;
    the string is closed at the cursor to locate it, and the item brings the quote."""
    assert before in TF_MODULE
    text, result = _complete(TF_MODULE.replace(before, after, 1), HostKind.TERRAFORM)
    completed = _apply(text, result, label)
    assert completed == TF_MODULE.replace(before, expected, 1)


@pytest.mark.parametrize(("typed", "expected"), [
    ('- "connect:DescribeU|', '- "connect:DescribeUser"'),
    ("- 'connect:DescribeU|", "- 'connect:DescribeUser'"),
    ('Action: ["connect:DescribeU|', 'Action: ["connect:DescribeUser"'),
    # A quote closed after the cursor, or no quote at all: nothing added.
    ('- "connect:DescribeU|"', '- "connect:DescribeUser"'),
    ("- connect:DescribeU|", "- connect:DescribeUser"),
])
def test_completion_in_a_yaml_quote_left_open_brings_the_quote(typed: str,
                                                               expected: str) -> None:
    """Neovim does not close quotes as you type: the YAML line cannot be read, the location
    comes from the line completed, and the accepted item closes the quote."""
    line = "                  - connect:DescribeUser\n"
    indent = "                  " if typed.startswith("-") else "                "
    source = YAML_TEMPLATE.replace("                Action:\n" + line, (
        "                Action:\n" if typed.startswith("-") else "") + indent + typed + "\n", 1)
    text, result = _complete(source)
    completed = _apply(text, result, "connect:DescribeUser")
    assert indent + expected + "\n" in completed
    assert completed.replace(indent + expected + "\n", "", 1) == source.replace(
        "|", "", 1).replace(indent + typed.replace("|", "") + "\n", "", 1)


def test_service_principals_in_a_yaml_trust_policy() -> None:
    trust = ("Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n"
             "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n"
             "        Statement:\n          - Effect: Allow\n            Principal:\n"
             "              Service: conn|\n            Action: sts:AssumeRole\n")
    text, result = _complete(trust)
    assert [i.label for i in result.items] == [
        "connect.amazonaws.com", "connect-campaigns.amazonaws.com",
        "eks-connector.amazonaws.com"]
    assert text[result.span.start:result.span.end] == "conn"
    applied = _apply(text, result, "connect.amazonaws.com")
    assert "              Service: connect.amazonaws.com\n" in applied
    assert [f.code for f in analyze_host(applied, HostKind.YAML).findings] == []
    # In a list, and the whole value of `Principal`: `*` must be quoted in YAML.
    _, listed = _complete(trust.replace("Service: conn|", "Service:\n                - lam|"))
    assert listed.items[0].label == "lambda.amazonaws.com"
    _, anyone = _complete(trust.replace("Principal:\n              Service: conn|",
                                        "Principal: |"))
    assert [(i.label, i.new_text) for i in anyone.items] == [("*", '"*"')]


def test_hover_on_a_service_principal_in_a_yaml_trust_policy() -> None:
    analysis, offset = _analysis(
        "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n"
        "            Principal:\n              Service: wis|dom.amazonaws.com\n"
        "            Action: sts:AssumeRole\n")
    result = hover_in_host(analysis, offset)
    assert result is not None
    assert analysis.text[result.span.start:result.span.end] == "wisdom.amazonaws.com"
    assert result.markdown.startswith(
        "**wisdom.amazonaws.com**: the service principal of Amazon Q in Connect.")


def test_service_principals_in_terraform_policy_documents() -> None:
    document = ('data "aws_iam_policy_document" "trust" {\n  statement {\n'
                '    actions = ["sts:AssumeRole"]\n    principals {\n'
                '      type        = "Service"\n      identifiers = ["%s"]\n    }\n  }\n}\n')
    _, result = _complete(document % "conn|", HostKind.TERRAFORM)
    assert result.items[0].label == "connect.amazonaws.com"
    analysis, offset = _analysis(document % "profile.amazon|aws.com", HostKind.TERRAFORM)
    found = hover_in_host(analysis, offset)
    assert found is not None and found.markdown.startswith(
        "**profile.amazonaws.com**: the service principal of Amazon Connect Customer Profiles.")
    encoded = ('resource "aws_iam_role" "r" {\n  assume_role_policy = jsonencode({\n'
               '    Statement = [{\n      Effect = "Allow"\n'
               '      Principal = { Service = "lamb|" }\n      Action = "sts:AssumeRole"\n'
               '    }]\n  })\n}\n')
    _, result = _complete(encoded, HostKind.TERRAFORM)
    assert result.items[0].label == "lambda.amazonaws.com"


@pytest.mark.parametrize(("organizations_type", "offered"), [
    ("SERVICE_CONTROL_POLICY", False), ("RESOURCE_CONTROL_POLICY", True)])
def test_principal_in_organizations_policies(organizations_type: str, offered: bool) -> None:
    _, names = _complete("Resources:\n  Guardrail:\n    Type: AWS::Organizations::Policy\n"
                         f"    Properties:\n      Type: {organizations_type}\n      Content:\n"
                         "        Statement:\n          - Effect: Deny\n            |\n")
    assert ("Principal" in [i.label for i in names.items]) is offered


def test_a_json_template_completes_after_a_member_whose_comma_is_not_typed_yet() -> None:
    source = JSON_TEMPLATE.replace('"Sid": "ReadDirectory",\n                  "Effect": "Allow",',
                                   '"Sid": "ReadDirectory",\n                  "Effect": "Allow"\n'
                                   '                  "Resource": "arn:|",', 1)
    _, result = _complete(source, HostKind.JSON)
    assert [i.label for i in result.items][:3] == ["aws", "aws-cn", "aws-us-gov"]

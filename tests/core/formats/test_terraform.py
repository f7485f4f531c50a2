"""Policies in Terraform files: where they are found and with which type, the exact findings
at the exact places, none on interpolations or references, fixes that leave valid HCL, and
no input that breaks the front-end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from connect_policy.document.policy import PolicyType
from connect_policy.document.syntax import JsonString, JsonUnknown, to_python
from connect_policy.document.text import LineIndex
from connect_policy.findings import Finding
from connect_policy.formats.embedded_json import HostString, host_text, parse_in_string
from connect_policy.formats.hcl_tree import parse_hcl
from connect_policy.formats.host import HostAnalysis, HostKind, analyze_host, host_kind
from connect_policy.formats.terraform import find_policies

MODULE = (Path(__file__).parent / "data" / "contact_center.tf").read_text()


def terraform(text: str) -> HostAnalysis:
    return analyze_host(text, HostKind.TERRAFORM)


def placed(text: str, findings: list[Finding]) -> list[tuple[str, int, int, str]]:
    """(code, line, column, the text under the range), 1-based as `check` prints them."""
    lines = LineIndex(text)
    result = []
    for finding in findings:
        line, column = lines.position(finding.span.start)
        result.append((finding.code, line + 1, column + 1,
                       text[finding.span.start:finding.span.end]))
    return result


def _apply(text: str, finding: Finding, index: int) -> str:
    for edit in sorted(finding.fixes[index].edits, key=lambda e: e.span.start, reverse=True):
        text = text[:edit.span.start] + edit.new_text + text[edit.span.end:]
    return text


def test_every_policy_is_found_with_its_type_and_label() -> None:
    result = terraform(MODULE)
    assert result.is_host
    assert [(p.label, p.policy_type) for p in result.policies] == [
        ("aws_iam_role.connect_lambda.assume_role_policy", PolicyType.TRUST),
        ("aws_iam_role.connect_lambda.inline_policy[0].policy", PolicyType.IDENTITY),
        # Its type is that of the argument that consumes it: assume_role_policy.
        ("data.aws_iam_policy_document.connect_trust", PolicyType.TRUST),
        ("aws_iam_role_policy.agent_queues.policy", PolicyType.IDENTITY),
        ("aws_iam_policy.supervisor.policy", PolicyType.IDENTITY),
        ("data.aws_iam_policy_document.recordings", PolicyType.IDENTITY),
        ("aws_kms_key.recordings.policy", PolicyType.RESOURCE),
        # file(...) and var.policy are known at plan time only: not policies here.
    ]


def test_exact_findings_and_nothing_else() -> None:
    result = terraform(MODULE)
    assert placed(MODULE, result.findings) == [
        ("INVALID_ACTION", 38, 32, "DescribeUsr"),  # jsonencode, inline_policy block
        ("INVALID_SERVICE_IN_ACTION", 38, 47, "conect"),
        ("INVALID_CONDITION_OPERATOR", 65, 19, "StringEqual"),  # data source condition
        ("INVALID_ACTION", 94, 52, "DescribeRoutingProfil"),  # heredoc
        ("INVALID_ACTION", 149, 63, "Encrypts"),  # the KMS key policy
    ]
    messages = [f.message for f in result.findings]
    assert messages[0].startswith('aws_iam_role.connect_lambda.inline_policy[0].policy: '
                                  '"connect:DescribeUsr" is not an action')
    assert messages[2].startswith('data.aws_iam_policy_document.connect_trust: "StringEqual" '
                                  "is not a condition operator")
    assert all(f.data["policy"] for f in result.findings)


def test_no_finding_on_an_interpolation_or_reference() -> None:
    unknown = [m.span() for m in re.finditer(
        r"\$\{[^}]*\}|&\{[^}]*\}|\b(?:var|local|data|statement)\.[\w.]+|file\([^)]*\)",
        MODULE)]
    assert len(unknown) > 10
    for finding in terraform(MODULE).findings:
        for start, end in unknown:
            assert finding.span.end <= start or finding.span.start >= end, finding


def test_every_kept_fix_leaves_valid_hcl_and_removes_its_finding() -> None:
    findings = terraform(MODULE).findings
    assert {placed(MODULE, [f])[0][3]: len(f.fixes) for f in findings} == {
        "DescribeUsr": 3, "conect": 1, "StringEqual": 2, "DescribeRoutingProfil": 3,
        "Encrypts": 1}
    for finding in findings:
        for index in range(len(finding.fixes)):
            fixed = _apply(MODULE, finding, index)
            assert not parse_hcl(fixed).root.has_error
            after = terraform(fixed).findings
            assert (finding.code, finding.span.start) not in [
                (f.code, f.span.start) for f in after]
            assert len(after) == len(findings) - 1


def test_fixes_in_hcl_strings_are_escaped_for_hcl() -> None:
    text = '''resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "connect:ListUsrs", Resource = "*" }]
  })
}
'''
    (finding,) = terraform(text).findings
    fixed = _apply(text, finding, 0)
    assert 'Action = "connect:ListUsers"' in fixed
    # A replacement that would write a quote or an interpolation is escaped for HCL.
    from connect_policy.findings import Fix, TextEdit
    from connect_policy.formats.hcl_fixes import StringIndex, terraform_fixes
    found = find_policies(text)
    policy = found.policies[0]
    span = finding.span
    tricky = Finding(finding.code, "m", span, (
        Fix("quote", (TextEdit(span, 'a\\"b'),)), Fix("hole", (TextEdit(span, "${x}"),))))
    kept = terraform_fixes(tricky, policy, StringIndex(policy.embedded.root), text)
    assert [e.new_text for f in kept.fixes for e in f.edits] == ['a\\"b', "$${x}"]


def test_a_data_source_no_argument_consumes_runs_type_independent_checks_only() -> None:
    text = '''data "aws_iam_policy_document" "shared" {
  statement {
    actions = ["connect:ListUsrs", "sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["connect.amazonaws.com"]
    }
  }
}
'''
    result = terraform(text)
    assert [p.policy_type for p in result.policies] == [PolicyType.UNKNOWN]
    # No MISSING_RESOURCE (it may be a trust policy in another file), no MISSING_EFFECT or
    # MISSING_VERSION (the provider writes the defaults): only the typo.
    assert [f.code for f in result.findings] == ["INVALID_ACTION"]


def test_a_data_source_used_as_identity_policy_needs_resources() -> None:
    text = '''data "aws_iam_policy_document" "p" {
  statement {
    actions = ["connect:ListUsers"]
  }
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.p.json
}
'''
    assert [f.code for f in terraform(text).findings] == ["MISSING_RESOURCE"]


def test_data_source_is_synthesised_as_the_provider_renders_it() -> None:
    text = '''data "aws_iam_policy_document" "d" {
  policy_id = "key-policy"
  statement {
    sid     = "Use"
    effect  = "Deny"
    not_actions = ["kms:Decrypt"]
    resources = ["arn:aws:s3:::b/&{aws:username}"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalTag/team"
      values   = ["a"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalTag/team"
      values   = ["b"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
  statement {
    actions = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
'''
    (policy,) = find_policies(text).policies
    assert to_python(policy.embedded.root) == {
        "Version": "2012-10-17", "Id": "key-policy",
        "Statement": [
            {"Sid": "Use", "Effect": "Deny", "NotAction": ["kms:Decrypt"],
             "Resource": ["arn:aws:s3:::b/${aws:username}"],
             "Principal": {"AWS": ["arn:aws:iam::111122223333:root",
                                   "arn:aws:iam::444455556666:root"]},
             "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["a", "b"]},
                           "Bool": {"aws:SecureTransport": ["false"]}}},
            {"Action": ["s3:GetObject"], "Resource": ["*"], "Effect": "Allow",
             "Principal": "*"}]}
    # The synthesised keys sit on the user's names for them.
    statement = policy.embedded.root.value_of("Statement")
    key = statement.items[0].members[2].key  # type: ignore[union-attr]
    assert (key.value, text[key.start:key.end]) == ("NotAction", "not_actions")


def test_dynamic_blocks_and_merged_documents_are_unknown_never_errors() -> None:
    text = '''data "aws_iam_policy_document" "d" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
}
data "aws_iam_policy_document" "e" {
  dynamic "statement" {
    for_each = var.s
    content {
      actions = statement.value
    }
  }
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    dynamic "condition" {
      for_each = var.c
      content {
        test     = condition.value.test
        variable = condition.value.variable
        values   = condition.value.values
      }
    }
  }
}
'''
    result = terraform(text)
    assert len(result.policies) == 2 and result.findings == []


def test_heredoc_holes_policy_variables_and_whole_value_interpolations() -> None:
    text = '''resource "aws_iam_policy" "p" {
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Action": ["conect:${var.action}", "${var.service}:ListUsers", "connect:ListUsrs"],
  "Resource": ["arn:aws:s3:::b/$${aws:username}", ${jsonencode(var.more)}],
  "Condition": ${jsonencode(var.conditions)}}]}
EOF
}
'''
    result = terraform(text)
    assert placed(text, result.findings) == [
        ("INVALID_SERVICE_IN_ACTION", 4, 15, "conect:${var.action}"),
        ("INVALID_ACTION", 4, 75, "ListUsrs")]
    root = result.policies[0].root
    statement = to_python(root)["Statement"][0]
    # `$${` writes a literal `${`: a policy variable, not an interpolation.
    assert statement["Resource"][0] == "arn:aws:s3:::b/${aws:username}"
    assert statement["Condition"] is None  # an interpolation that stands for a value


def test_json_in_a_quoted_hcl_string_maps_through_escapes() -> None:
    text = ('resource "aws_iam_policy" "p" {\n  policy = "{\\"Version\\": \\"2012-10-17\\", '
            '\\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"connect:ListUsrs\\",'
            ' \\"Resource\\": \\"arn:${var.partition}:s3:::b/*\\"}]}"\n}\n')
    result = terraform(text)
    (finding,) = result.findings
    assert text[finding.span.start:finding.span.end] == "ListUsrs"
    fixed = _apply(text, finding, 0)
    assert '\\"connect:ListUsers\\"' in fixed and not parse_hcl(fixed).root.has_error
    assert terraform(fixed).findings == []


def test_json_syntax_errors_in_a_heredoc_are_reported_at_their_place() -> None:
    text = '''resource "aws_iam_policy" "p" {
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow" "Action": "s3:GetObject",
  "Resource": ${var.arn}}]}
EOF
}
'''
    result = terraform(text)
    assert [(code, line, column) for code, line, column, _ in placed(text, result.findings)] \
        == [("JSON_SYNTAX_ERROR", 3, 59)]
    assert "comma" in result.findings[0].message


def test_code_points_not_bytes_after_non_ascii_text() -> None:
    one_line = ('  policy = jsonencode({ Version = "2012-10-17", Statement = [{ /* ñ日🎧 */ '
                'Effect = "Allow", Action = "connect:ListUsrs", Resource = "*" }] })\n')
    heredoc_line = ('{"Version": "2012-10-17", "Statement": [{"Condition": {"StringEquals": '
                    '{"aws:PrincipalTag/team": "日本🎧"}}, "Effect": "Allow", "Action": '
                    '"connect:ListQueus", "Resource": "*"}]}\n')
    text = ("# Centre d'appels — ñandú 日本 🎧\n"
            'resource "aws_iam_policy" "p" {\n  description = "ñ日本🎧"\n' + one_line
            + '}\nresource "aws_iam_policy" "q" {\n  policy = <<EOF\n' + heredoc_line
            + "EOF\n}\n")
    result = terraform(text)
    assert [text[f.span.start:f.span.end] for f in result.findings] == ["ListUsrs", "ListQueus"]
    assert [(line, column) for _, line, column, _ in placed(text, result.findings)] == [
        (4, 110), (8, 145)]


def test_hcl_syntax_errors_only_in_files_with_iam_content() -> None:
    broken_other = 'resource "aws_s3_bucket" "b" {\n  bucket = "x\n}\n'
    result = terraform(broken_other)
    assert not result.is_host and result.findings == []
    broken_iam = ('resource "aws_iam_policy" "p" {\n  name = "x\n  policy = var.p\n}\n'
                  'resource "aws_s3_bucket" "b" {}\n')
    result = terraform(broken_iam)
    assert result.is_host and {f.code for f in result.findings} == {"HCL_SYNTAX_ERROR"}
    assert result.findings[0].message.startswith("HCL syntax error on line ")


@pytest.mark.parametrize("text", [
    'resource "aws_iam_policy" "p" {\n  policy = <<EOF\n{"Version": "2012-10-17",\n',
    'resource "aws_iam_policy" "p" {\n  policy = jsonencode({ Action = "connect:Li\n}\n',
    'resource "aws_iam_policy" "p" {\n  policy = "{\\"Version\\": \\"2012\n}\n',
    'data "aws_iam_policy_document" "d" {\n  statement {\n    actions = ["connect:Desc\n',
    'data "aws_iam_policy_document" "d" {\n  statement {\n    principals {\n',
])
def test_unterminated_heredocs_and_strings_are_syntax_errors_never_exceptions(
        text: str) -> None:
    result = terraform(text)
    assert result.is_host
    assert "HCL_SYNTAX_ERROR" in [f.code for f in result.findings]


def test_no_truncation_of_the_module_raises() -> None:
    for end in range(0, len(MODULE), 37):
        terraform(MODULE[:end])
        terraform(MODULE[end:])


def test_embedded_json_api_maps_pieces_and_holes() -> None:
    # A value written with an escape (`\\"` for `"`) and a hole, at host offset 100.
    string = HostString()
    string.add('{"a": ', 100)
    string.add('"', 106, 108)
    string.add("x", 108)
    string.add_hole("${v}", 109)
    string.add('"', 113, 115)
    string.add("}", 115)
    parsed = parse_in_string(string)
    member = parsed.root.members[0]  # type: ignore[union-attr]
    assert isinstance(member.value, JsonUnknown)
    assert (member.value.start, member.value.end, member.value.template) == (106, 115, "x${v}")
    assert parsed.errors == []
    # A host slice written as it is: offsets map one to one.
    text = 'xx{"Action": "s3:Get"}yy'
    value = parse_in_string(host_text(text, 2, 22)).root.members[0].value  # type: ignore
    assert isinstance(value, JsonString) and text[value.start:value.end] == '"s3:Get"'


@pytest.mark.parametrize(("name", "language", "kind"), [
    ("main.tf", None, HostKind.TERRAFORM),
    ("main.tf", "terraform", HostKind.TERRAFORM),
    ("untitled", "hcl", HostKind.TERRAFORM),
    ("terraform.tfvars", None, None),
])
def test_host_kind_of_terraform_files(name: str, language: str | None,
                                      kind: HostKind | None) -> None:
    assert host_kind(name, "", language) is kind


def test_structural_fixes_are_kept_in_heredoc_json_and_dropped_in_hcl() -> None:
    heredoc = '''resource "aws_iam_policy" "p" {
  policy = <<-EOF
    {
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
    }
  EOF
}
'''
    (finding,) = terraform(heredoc).findings
    assert finding.code == "MISSING_VERSION" and finding.fixes
    fixed = _apply(heredoc, finding, 0)
    assert not parse_hcl(fixed).root.has_error and terraform(fixed).findings == []
    hcl = '''resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  })
}
'''
    (finding,) = terraform(hcl).findings
    assert finding.code == "MISSING_VERSION" and finding.fixes == ()


def test_both_branches_of_a_conditional_are_checked() -> None:
    text = '''resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = var.strict ? "Deny" : "Allow"
      Action   = var.admin ? "connect:*" : "connect:ListUsrs"
      Resource = var.arns
    }]
  })
}
'''
    assert [(code, line, column) for code, line, column, _ in placed(
        text, terraform(text).findings)] == [("INVALID_ACTION", 6, 53)]


def test_empty_strings_and_odd_values_in_jsonencode() -> None:
    text = '''resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Sid = "", Effect = "Allow", Action = [], Resource = null, Extra = 1.5e3 }]
  })
}
'''
    codes = [f.code for f in terraform(text).findings]
    assert "EMPTY_SID_VALUE" in codes and "EMPTY_ARRAY_ACTION" in codes


ORGANIZATIONS = '''resource "aws_organizations_policy" "deny_leaving" {
  name    = "deny-leaving"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "organizations:LeaveOrganization"
      Resource  = "*"
    }]
  })
}

resource "aws_organizations_policy" "secure_transport" {
  name    = "secure-transport"
  type    = "RESOURCE_CONTROL_POLICY"
  content = data.aws_iam_policy_document.secure_transport.json
}

data "aws_iam_policy_document" "secure_transport" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["111122223333"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_organizations_policy" "tags" {
  name    = "tags"
  type    = "TAG_POLICY"
  content = jsonencode({ tags = { CostCenter = { tag_key = { "@@assign" = "CostCenter" } } } })
}

resource "aws_organizations_policy" "chosen_later" {
  name    = "chosen-later"
  type    = var.policy_type
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "s3:*", Resource = "*" }]
  })
}
'''


def test_organizations_policies_take_their_type_from_the_resource() -> None:
    result = terraform(ORGANIZATIONS)
    assert [(p.label, p.policy_type) for p in result.policies] == [
        # No `type`: the provider's default, an SCP.
        ("aws_organizations_policy.deny_leaving.content", PolicyType.SERVICE_CONTROL),
        ("data.aws_iam_policy_document.secure_transport", PolicyType.RESOURCE_CONTROL),
        # A tag policy is not an IAM policy: not read. A type in a variable: unknown.
        ("aws_organizations_policy.chosen_later.content", PolicyType.UNKNOWN),
    ]
    # In the data source, the principal is its `principals` block.
    assert [(code, line, text.splitlines()[0])
            for code, line, _, text in placed(ORGANIZATIONS, result.findings)] == [
        ("SCP_SYNTAX_ERROR_PRINCIPAL", 7, "Principal"),
        ("RCP_SYNTAX_ERROR_PRINCIPAL", 25, "principals {")]

"""Every fix the checks produce, in a YAML template: rendered in YAML syntax, applied, the
result re-parsed by tree-sitter (no error) and re-analysed (the finding is gone and nothing
new is wrong); or, where YAML cannot take it safely, dropped with the finding kept."""

from __future__ import annotations

from dataclasses import replace

import pytest

from connect_policy.document.json_edits import apply_edits
from connect_policy.document.syntax import JsonObject
from connect_policy.document.text import Span
from connect_policy.findings import Finding, Fix, Severity, TextEdit
from connect_policy.formats.host import HostKind, analyze_host
from connect_policy.formats.yaml_fixes import YamlNodes, yaml_fixes
from connect_policy.formats.yaml_tree import parse_yaml

HEAD = """Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
"""


TRUST_HEAD = """Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
"""
ROLES_ANYWHERE = """
- Effect: Allow
  Principal:
    Service: rolesanywhere.amazonaws.com
  Action: ACTION
  Condition:
    ArnEquals:
      aws:SourceArn: arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/a
"""


def template(statements: str, head: str = HEAD) -> str:
    """`statements` (YAML at column 0) as the `Statement` list of a managed policy."""
    return head + "".join(f"          {line}\n" if line else "\n"
                          for line in statements.strip("\n").split("\n"))


def _findings(text: str, code: str) -> list[Finding]:
    return [f for f in analyze_host(text, HostKind.YAML).findings if f.code == code]


def _applied(text: str, fix: Fix) -> str:
    fixed = apply_edits(text, fix.edits)
    tree_errors = parse_yaml(fixed).errors
    assert not tree_errors, (fixed, tree_errors)
    return fixed


def _assert_fixes(text: str, code: str, fix: Fix) -> str:
    """Apply `fix`: valid YAML, one finding of `code` fewer, and no new error or warning."""
    before = analyze_host(text, HostKind.YAML).findings
    fixed = _applied(text, fix)
    after = analyze_host(fixed, HostKind.YAML).findings
    assert sum(f.code == code for f in after) < sum(f.code == code for f in before), fixed
    serious = {Severity.ERROR, Severity.WARNING}
    old = {f.code for f in before if f.severity in serious}
    assert {f.code for f in after if f.severity in serious} <= old, fixed
    return fixed


# (case, template, code, the text the first fix writes, or None: the fix is dropped)
CASES = [
    ("action plain", template("""
- Effect: Allow
  Action:
    - connect:ListUsrs
  Resource: "*"
"""), "INVALID_ACTION", "    - connect:ListUsers\n"),
    ("service prefix single-quoted", template("""
- Effect: Allow
  Action: 'conect:ListUsers'
  Resource: "*"
"""), "INVALID_SERVICE_IN_ACTION", "Action: 'connect:ListUsers'\n"),
    ("action in an !If branch", template("""
- Effect: Allow
  Action: !If [Prod, connect:ListUsers, connect:ListUsrs]
  Resource: "*"
"""), "INVALID_ACTION", "!If [Prod, connect:ListUsers, connect:ListUsers]"),
    ("a !Sub with a variable is not rewritten", template("""
- Effect: Allow
  Action: !Sub "conect:${Name}"
  Resource: "*"
"""), "INVALID_SERVICE_IN_ACTION", None),
    ("a !Sub without variables is a string", template("""
- Effect: Allow
  Action: !Sub "conect:ListUsers"
  Resource: "*"
"""), "INVALID_SERVICE_IN_ACTION", '!Sub "connect:ListUsers"'),
    ("arn prefix", template("""
- Effect: Allow
  Action: s3:GetObject
  Resource: arm:aws:s3:::bucket/*
"""), "INVALID_ARN_PREFIX", "Resource: arn:aws:s3:::bucket/*\n"),
    ("arn service case", template("""
- Effect: Allow
  Action: s3:GetObject
  Resource: [arn:aws:S3:::bucket/*]
"""), "INVALID_ARN_SERVICE_CASE", "Resource: [arn:aws:s3:::bucket/*]\n"),
    ("arn service case beside a policy variable: stays plain", template("""
- Effect: Allow
  Action: s3:GetObject
  Resource: arn:aws:S3:::bucket/${aws:username}/*
"""), "INVALID_ARN_SERVICE_CASE", "Resource: arn:aws:s3:::bucket/${aws:username}/*\n"),
    ("arn partition", template("""
- Effect: Allow
  Action: s3:GetObject
  Resource: "arn:aws-us:s3:::bucket/*"
"""), "INVALID_PARTITION", 'Resource: "arn:aws-'),
    ("arn region", template("""
- Effect: Allow
  Action: connect:DescribeUser
  Resource: arn:aws:connect:us-eats-1:123456789012:instance/*
"""), "INVALID_ARN_REGION", "Resource: arn:aws:connect:us-east-1:123456789012:instance/*\n"),
    ("arn service", template("""
- Effect: Allow
  Action: connect:DescribeUser
  Resource: ['arn:aws:conect:us-east-1:123456789012:instance/*']
"""), "INVALID_SERVICE", "Resource: ['arn:aws:connect:us-east-1:123456789012:instance/*']\n"),
    ("global condition key", template("""
- Effect: Allow
  Action: connect:DescribeUser
  Resource: "*"
  Condition:
    IpAddress:
      aws:SourceIpp: 203.0.113.0/24
"""), "INVALID_GLOBAL_CONDITION_KEY", "      aws:SourceIp: 203.0.113.0/24\n"),
    ("service condition key", template("""
- Effect: Allow
  Action: connect:DescribeUser
  Resource: "*"
  Condition: {StringLike: {"connect:InstanceIdd": x}}
"""), "INVALID_SERVICE_CONDITION_KEY", 'Condition: {StringLike: {"connect:InstanceId": x}}'),
    ("variable with a space: re-quoted", template("""
- Effect: Allow
  Action: s3:GetObject
  Resource: arn:aws:s3:::bucket/${aws:user name}
"""), "UNSUPPORTED_SPACE_IN_VARIABLE", 'Resource: "arn:aws:s3:::bucket/${aws:username}"\n'),
    ("variable default without quotes", template("""
- Effect: Allow
  Action: s3:GetObject
  Resource: "arn:aws:s3:::bucket/${aws:username, x}"
"""), "MISSING_QUOTE_IN_VARIABLE", """Resource: "arn:aws:s3:::bucket/${aws:username, 'x'}"\n"""),
    ("version too old for a variable", template("""
- Effect: Allow
  Action: s3:GetObject
  Resource: arn:aws:s3:::bucket/${aws:username}
""", HEAD.replace('"2012-10-17"', "2008-10-17")), "VARIABLE_UNSUPPORTED_IN_VERSION",
     'Version: "2012-10-17"\n'),
    ("invalid version", template("""
- Effect: Allow
  Action: s3:GetObject
  Resource: "*"
""", HEAD.replace('"2012-10-17"', "2012-10-18")), "INVALID_VERSION", 'Version: "2012-10-17"\n'),
    ("effect case", template("""
- Effect: allow
  Action: s3:GetObject
  Resource: "*"
"""), "INVALID_EFFECT", "- Effect: Allow\n"),
    ("sid", template("""
- Sid: read-objects
  Effect: Allow
  Action: s3:GetObject
  Resource: "*"
"""), "UNSUPPORTED_SID", "- Sid: readobjects\n"),
    ("element name", template("""
- Effect: Allow
  Actions: s3:GetObject
  Resource: "*"
"""), "INVALID_POLICY_ELEMENT", "  Action: s3:GetObject\n"),
    ("operator", template("""
- Effect: Allow
  Action: s3:GetObject
  Resource: "*"
  Condition: {StringEqual: {aws:PrincipalAccount: "123456789012"}}
"""), "INVALID_CONDITION_OPERATOR", "Condition: {StringEquals: {"),
    ("StringLike on an ARN key", template("""
- Effect: Allow
  Action: s3:GetObject
  Resource: "*"
  Condition:
    StringLike:
      aws:SourceArn: arn:aws:s3:::bucket
"""), "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", "    ArnLike:\n"),
    ("qualifier added in the key", template("""
- Effect: Allow
  Action: connect:TagResource
  Resource: "*"
  Condition:
    StringEquals:
      aws:TagKeys: [team]
"""), "MISSING_QUALIFIER", "    ForAnyValue:StringEquals:\n"),
    ("qualifier: a new block of keys moved out of a block mapping", template("""
- Effect: Allow
  Action: connect:TagResource
  Resource: "*"
  Condition:
    StringEquals:
      aws:TagKeys: [team]
      aws:PrincipalAccount: "123456789012"
"""), "MISSING_QUALIFIER", None),
    ("Null with a qualifier: Null is re-quoted", template("""
- Effect: Allow
  Action: connect:TagResource
  Resource: "*"
  Condition:
    ForAnyValue:Null: {aws:TagKeys: "false"}
"""), "NULL_WITH_QUALIFIER", '    "Null": {aws:TagKeys: "false"}\n'),
    ("IfExists removed from Null", template("""
- Effect: Allow
  Action: connect:TagResource
  Resource: "*"
  Condition:
    NullIfExists:
      aws:TagKeys: "false"
"""), "NULL_WITH_IF_EXISTS", '    "Null":\n      aws:TagKeys: "false"\n'),
    ("IfExists removed, keys merged into the existing Null block", template("""
- Effect: Allow
  Action: connect:TagResource
  Resource: "*"
  Condition:
    "Null":
      aws:TagKeys: "false"
    NullIfExists:
      aws:ResourceTag/team: "false"  # must be tagged
      aws:RequestTag/team: "false"
"""), "NULL_WITH_IF_EXISTS", """    "Null":
      aws:TagKeys: "false"
      aws:ResourceTag/team: "false"  # must be tagged
      aws:RequestTag/team: "false"
"""),
    ("StringLike * as Null false, a block list value", template("""
- Effect: Allow
  Action: connect:DescribeUser
  Resource: "*"
  Condition:
    StringLike:
      aws:ResourceTag/team:
        - "*"
"""), "EQUIVALENT_TO_NULL_FALSE", '    "Null":\n      aws:ResourceTag/team: "false"\n'),
    ("StringLike * as Null false, flow", template("""
- Effect: Allow
  Action: connect:DescribeUser
  Resource: "*"
  Condition: {StringLike: {aws:ResourceTag/team: "*"}}
"""), "EQUIVALENT_TO_NULL_FALSE", 'Condition: {"Null": {aws:ResourceTag/team: "false"}}'),
    ("redundant action, block, middle", template("""
- Effect: Allow
  Action:
    - connect:List*
    - connect:ListUsers  # covered
    - connect:DescribeUser
  Resource: "*"
"""), "REDUNDANT_ACTION", "    - connect:List*\n    - connect:DescribeUser\n"),
    ("redundant action, block, last", template("""
- Effect: Allow
  Resource: "*"
  Action:
    - connect:List*
    - connect:ListUsers
"""), "REDUNDANT_ACTION", "    - connect:List*\n"),
    ("redundant action, flow", template("""
- Effect: Allow
  Action: [connect:ListUsers, connect:List*]
  Resource: "*"
"""), "REDUNDANT_ACTION", "Action: [connect:List*]\n"),
    ("redundant action in an !If branch", template("""
- !If
  - Prod
  - Effect: Allow
    Action:
      - s3:GetObject
      - s3:Get*
    Resource: "*"
  - !Ref AWS::NoValue
"""), "REDUNDANT_ACTION", "    Action:\n      - s3:Get*\n    Resource"),
    ("redundant resource", template("""
- Effect: Allow
  Action: s3:GetObject
  Resource:
    - arn:aws:s3:::bucket/*
    - "arn:aws:s3:::bucket/reports/*"
"""), "REDUNDANT_RESOURCE", "    - arn:aws:s3:::bucket/*\n"),
    ("tag condition removed in place", template("""
- Effect: Allow
  Action: connect-campaigns:ListCampaigns
  Resource: "*"
  Condition:
    StringEquals:
      aws:ResourceTag/team: blue
"""), "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
     '  Action: connect-campaigns:ListCampaigns\n  Resource: "*"\n'),
    ("tag: actions copied to a statement of their own", template("""
- Effect: Allow
  Action:
    - connect-campaigns:ListCampaigns
    - connect-campaigns:DescribeCampaign
  Resource: "*"
  Condition:
    StringEquals:
      aws:ResourceTag/team: blue
"""), "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", None),
    # A scalar action becomes a flow list; a list gets the missing actions at its style.
    ("roles anywhere: scalar action made a list",
     template(ROLES_ANYWHERE.replace("ACTION", "sts:AssumeRole"), TRUST_HEAD),
     "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
     '  Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]\n'),
    ("roles anywhere: quoted scalar action made a list",
     template(ROLES_ANYWHERE.replace("ACTION", "'sts:TagSession'"), TRUST_HEAD),
     "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
     '  Action: ["sts:TagSession", "sts:AssumeRole", "sts:SetSourceIdentity"]\n'),
    ("roles anywhere: block list appended",
     template(ROLES_ANYWHERE.replace("ACTION", "\n    - sts:AssumeRole\n    - sts:TagSession"),
              TRUST_HEAD), "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
     "    - sts:TagSession\n    - sts:SetSourceIdentity\n"),
    ("roles anywhere: flow list appended",
     template(ROLES_ANYWHERE.replace("ACTION", "[sts:AssumeRole]"), TRUST_HEAD),
     "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
     '  Action: [sts:AssumeRole, "sts:SetSourceIdentity", "sts:TagSession"]\n'),
    ("roles anywhere: a tagged scalar is left to a person",
     template(ROLES_ANYWHERE.replace("ACTION", "!!str sts:AssumeRole"), TRUST_HEAD),
     "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY", None),
]


@pytest.mark.parametrize(("text", "code", "written"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_each_fix_in_yaml(text: str, code: str, written: str | None) -> None:
    assert not parse_yaml(text).errors
    found = _findings(text, code)
    assert found, f"no {code} in the case"
    finding = found[0]
    if written is None:
        assert finding.fixes == ()
        return
    assert finding.fixes
    fixed = _assert_fixes(text, code, finding.fixes[0])
    # Lines after the first are written at the statement's column, as in `template`.
    assert written.replace("\n", "\n          ").rstrip(" ") in fixed, fixed
    for other in finding.fixes[1:]:
        _applied(text, other)


MISSING_VERSION_CASES = [
    ("block mapping", """Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: s3:GetObject, Resource: "*"}
""", """      PolicyDocument:
        Version: "2012-10-17"
        Statement:
"""),
    ("a SAM document after a dash", """Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - Statement:
            - {Effect: Allow, Action: s3:GetObject, Resource: "*"}
""", """        - Version: "2012-10-17"
          Statement:
"""),
    ("flow mapping", """Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}
""", """- {"Version": "2012-10-17", Statement: ["""),
    ("a YAML policy file", """Statement:
  - Effect: Allow
    Action: s3:GetObject
    Resource: "*"
""", 'Version: "2012-10-17"\nStatement:\n'),
]


@pytest.mark.parametrize(("text", "written"), [c[1:] for c in MISSING_VERSION_CASES],
                         ids=[c[0] for c in MISSING_VERSION_CASES])
def test_missing_version_inserts_a_version_line(text: str, written: str) -> None:
    (finding,) = _findings(text, "MISSING_VERSION")
    (fix,) = finding.fixes
    assert written in _assert_fixes(text, "MISSING_VERSION", fix)


def test_a_lone_statement_is_not_wrapped_in_yaml() -> None:
    text = "Effect: Allow\nAction: s3:GetObject\nResource: '*'\n"
    (finding,) = _findings(text, "MISSING_VERSION")
    assert finding.fixes == ()


def test_structural_fixes_are_dropped_while_the_yaml_has_errors() -> None:
    text = template("""
- Effect: Allow
  Action:
    - connect:List*
    - connect:ListUsrs
  Resource: "*"
""")
    (finding,) = _findings(text, "INVALID_ACTION")
    previous_end = text.index("connect:List*") + len("connect:List*")
    remove = Fix("Remove", (TextEdit(Span(previous_end, finding.span.end), ""),))
    finding = replace(finding, fixes=(*finding.fixes, remove))
    root = parse_yaml(text).roots[0]
    assert isinstance(root, JsonObject)
    # A replacement inside a scalar does not depend on the rest of the file; a removal is
    # offered only while the file has no syntax error (the tree around it may be a guess).
    kept = yaml_fixes(finding, YamlNodes(root, text, clean=False), text).fixes
    assert [fix.title for fix in kept] == [fix.title for fix in finding.fixes[:-1]]
    assert [fix.title for fix in yaml_fixes(finding, YamlNodes(root, text), text).fixes] == [
        fix.title for fix in finding.fixes]


def test_crlf_line_breaks_are_kept() -> None:
    text = template("""
- Effect: Allow
  Action:
    - connect:List*
    - connect:ListUsers
  Resource: "*"
""").replace("\n", "\r\n")
    (finding,) = _findings(text, "REDUNDANT_ACTION")
    fixed = _assert_fixes(text, "REDUNDANT_ACTION", finding.fixes[0])
    assert "- connect:List*\r\n            Resource" in fixed


APPENDABLE = template("""
- Effect: Allow
  Action:
    - connect:DescribeUser
    - connect:ListUsers
  Resource: [arn:aws:connect:*:*:instance/*]
  Condition:
    StringEquals: {aws:PrincipalAccount: "123456789012"}
""")


@pytest.mark.parametrize(("after", "inserted", "written"), [
    # MISSING_DEPENDENT_ACTION's "add actions" (dormant with today's catalog): new items.
    ("connect:DescribeUser", ', "iam:PassRole", "connect:ListQueues"',
     "    - connect:DescribeUser\n    - iam:PassRole\n    - connect:ListQueues\n"
     "    - connect:ListUsers\n"),
    ("instance/*", ', "arn:aws:connect:*:*:instance/*/queue/*"',
     "Resource: [arn:aws:connect:*:*:instance/*, \"arn:aws:connect:*:*:instance/*/queue/*\"]"),
    # A member with a nested value, after a member of a block mapping and of a flow one.
    ('"123456789012"', ', "Bool": {"aws:SecureTransport": "true"}',
     'StringEquals: {aws:PrincipalAccount: "123456789012", "Bool": {"aws:SecureTransport": '
     '"true"}}'),
    ('"123456789012"}', None, "")
])
def test_appended_entries_take_the_collection_style(after: str, inserted: str | None,
                                                    written: str) -> None:
    text = APPENDABLE
    (root,) = parse_yaml(text).roots
    assert isinstance(root, JsonObject)
    at = text.index(after) + len(after)
    if inserted is None:  # a member appended to the block mapping `Condition`
        at = text.index('"123456789012"}') + len('"123456789012"}')
        inserted = ', "Null": {"aws:TagKeys": ["false"], "aws:ResourceTag/team": "false"}'
        written = ('    StringEquals: {aws:PrincipalAccount: "123456789012"}\n'
                   '    "Null":\n      aws:TagKeys:\n        - "false"\n'
                   '      aws:ResourceTag/team: "false"\n')
    finding = Finding("MISSING_DEPENDENT_ACTION", "m", Span(at, at),
                      (Fix("Add", (TextEdit(Span(at, at), inserted),)),))
    (fix,) = yaml_fixes(finding, YamlNodes(root, text), text).fixes
    fixed = _applied(text, fix)
    assert written.replace("\n", "\n          ").rstrip(" ") in fixed, fixed

"""The YAML front-end: the JSON model it builds (types, tags, anchors, documents, offsets),
and what no YAML input may break (damaged, truncated, huge)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from connect_policy.document.syntax import JsonObject, JsonString, JsonUnknown, to_python
from connect_policy.formats.host import HostKind, analyze_host
from connect_policy.formats.intrinsics import evaluate
from connect_policy.formats.yaml_limits import MAX_LINES
from connect_policy.formats.yaml_tree import parse_yaml

STACK = (Path(__file__).parent / "data" / "contact_center.yaml").read_text()


def test_scalars_are_typed_as_cloudformation_reads_them() -> None:
    (root,) = parse_yaml("""a: 2012-10-17
b: "2012-10-17"
c: 12
d: 1.5
e: true
f: null
g: ~
h: 'it''s'
i: "tab\\tand \\u00e9"
j: |
  line one
  line two
k: >-
  folded
  text
l:
m: plain
  continued
""").roots
    assert to_python(root) == {"a": "2012-10-17", "b": "2012-10-17", "c": 12, "d": 1.5,
                               "e": True, "f": None, "g": None, "h": "it's",
                               "i": "tab\tand \u00e9", "j": "line one\nline two\n",
                               "k": "folded text", "l": None, "m": "plain continued"}


def test_short_tags_become_the_long_form() -> None:
    (root,) = parse_yaml("""a: !Ref Queue
b: !GetAtt Queue.Arn
c: !Sub "x-${AWS::Region}"
d: !Join ["", [a, !Ref b]]
e: !Condition IsProd
f: !If [C, x, !Ref AWS::NoValue]
g: !!str 12
""").roots
    assert to_python(root) == {
        "a": {"Ref": "Queue"}, "b": {"Fn::GetAtt": ["Queue", "Arn"]},
        "c": {"Fn::Sub": "x-${AWS::Region}"}, "d": {"Fn::Join": ["", ["a", {"Ref": "b"}]]},
        "e": {"Condition": "IsProd"}, "f": {"Fn::If": ["C", "x", {"Ref": "AWS::NoValue"}]},
        "g": 12}


def test_plain_and_quoted_strings_map_their_content_to_the_text() -> None:
    text = "a: plain value\nb: 'single'\nc: \"double\"\n"
    (root,) = parse_yaml(text).roots
    assert isinstance(root, JsonObject)
    spans = {m.key.value: m.value.content_span() for m in root.members
             if isinstance(m.value, JsonString)}
    assert {k: text[s.start:s.end] for k, s in spans.items()} == {
        "a": "plain value", "b": "single", "c": "double"}


def test_intrinsics_evaluate_to_known_strings_or_unknowns() -> None:
    text = 'a: !Sub "connect:${X}"\nb: !Sub "connect:ListUsers"\nc: !GetAtt Q.Arn\n'
    (root,) = parse_yaml(text).roots
    evaluated = evaluate(root, text)
    assert isinstance(evaluated, JsonObject)
    a, b, c = (evaluated.value_of(k) for k in "abc")
    assert isinstance(a, JsonUnknown) and a.template == "connect:${X}"
    assert a.template_span is not None
    assert text[a.template_span.start:a.template_span.end] == "connect:${X}"
    assert isinstance(b, JsonString) and b.value == "connect:ListUsers"
    assert text[b.content_span().start:b.content_span().end] == "connect:ListUsers"
    assert isinstance(c, JsonUnknown) and c.text == "!GetAtt Q.Arn"


def test_aliases_resolve_to_their_anchor() -> None:
    text = """Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - &trust
            Effect: Allow
            Principal: {Service: connect.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - &read {Effect: Allow, Action: connect:ListUsrs, Resource: "*"}
  Other:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement: [*read, *missing]
  Loop: &loop [*loop]
"""
    result = analyze_host(text, HostKind.YAML)
    # The anchored statement is checked in both policies, at the anchor's text.
    assert [(f.code, f.data["policy"]) for f in result.findings] == [
        ("INVALID_ACTION", "Role.Policies[0]"), ("INVALID_ACTION", "Other.PolicyDocument")]
    assert {text[f.span.start:f.span.end] for f in result.findings} == {"ListUsrs"}


def test_multi_document_streams() -> None:
    text = "name: first\n---\nVersion: '2012-10-17'\nStatement:\n  Effect: Allow\n" \
           "  Action: conect:ListUsers\n  Resource: '*'\n---\nother: 1\n"
    assert len(parse_yaml(text).roots) == 3
    result = analyze_host(text, HostKind.YAML)
    assert [f.code for f in result.findings] == ["INVALID_SERVICE_IN_ACTION"]


def test_a_tab_in_the_indentation_is_named() -> None:
    text = STACK.replace("      Policies:\n        - PolicyName: agent-directory",
                         "      Policies:\n\t- PolicyName: agent-directory")
    result = analyze_host(text, HostKind.YAML)
    assert result.is_host
    tab = [f for f in result.findings if "a tab in the indentation" in f.message]
    assert len(tab) == 1 and tab[0].code == "YAML_SYNTAX_ERROR"
    assert text[tab[0].span.start:tab[0].span.end] == "\t"


def test_an_unterminated_quote_is_a_syntax_error_and_the_rest_is_checked() -> None:
    text = STACK.replace('"conect:${ConnectAction}"', '"conect:${ConnectAction}')
    codes = [f.code for f in analyze_host(text, HostKind.YAML).findings]
    assert "YAML_SYNTAX_ERROR" in codes
    assert {"INVALID_ACTION", "MISSING_VERSION", "INVALID_EFFECT"} <= set(codes)


def _assert_sound(text: str) -> None:
    result = analyze_host(text, HostKind.YAML)
    for finding in result.findings:
        assert 0 <= finding.span.start <= finding.span.end <= len(text)
        assert finding.message
    for policy in result.policies:
        assert 0 <= policy.root.start <= policy.root.end <= len(text)


def test_every_truncation_of_the_stack() -> None:
    for end in range(0, len(STACK), 7):
        _assert_sound(STACK[:end])


def test_random_damage_never_breaks_the_front_end() -> None:
    rng = random.Random(13)
    pieces = ["\t", "  ", "- ", ": ", "!Sub ", "&a ", "*a", "'", '"', "{", "}", "[", "]",
              "\n", "---\n", "|\n", "? ", "#", "é", "🎧", "${X}", "!If [", "%"]
    lines = STACK.splitlines(keepends=True)
    for _ in range(300):
        damaged = list(lines)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(damaged))
            cut = rng.randrange(len(damaged[i]) + 1)
            damaged[i] = damaged[i][:cut] + rng.choice(pieces) + damaged[i][cut:]
        _assert_sound("".join(damaged))


def test_deep_nesting_and_alias_chains_are_bounded() -> None:
    _assert_sound("Resources:\n  a: " + "[" * 5000 + "]" * 5000 + "\n")
    _assert_sound("Resources:\n" + "".join(f"  k{i}: &a{i} *a{i - 1}\n" for i in range(1, 500)))


def test_too_many_lines_is_one_clear_error() -> None:
    text = "Resources:\n" + "  # padding\n" * (MAX_LINES + 1)
    result = analyze_host(text, HostKind.YAML)
    assert [f.code for f in result.findings] == ["YAML_SYNTAX_ERROR"]
    assert "too long" in result.findings[0].message


@pytest.mark.parametrize("unicode", [False, True])
def test_a_ten_megabyte_template(unicode: bool) -> None:
    filler = ("Centre d'appels — 日本 🎧 " if unicode else "contact center ") * 400
    count = 10 * 1024 * 1024 // len(filler.encode()) + 1
    lines = [f"      Note{i}: {filler}\n" for i in range(count)]
    text = ("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n"
            + "".join(lines)
            + "  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
            "      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
            "          - {Effect: Allow, Action: connect:ListUsrs, Resource: '*'}\n")
    assert len(text.encode()) > 10 * 1024 * 1024
    (finding,) = analyze_host(text, HostKind.YAML).findings
    assert text[finding.span.start:finding.span.end] == "ListUsrs"


def test_every_truncation_of_the_json_template() -> None:
    text = (Path(__file__).parent / "data" / "contact_center.template.json").read_text()
    for end in range(0, len(text), 11):
        result = analyze_host(text[:end], HostKind.JSON)
        for finding in result.findings:
            assert 0 <= finding.span.start <= finding.span.end <= end
            for fix in finding.fixes:
                assert all(0 <= e.span.start <= e.span.end <= end for e in fix.edits)

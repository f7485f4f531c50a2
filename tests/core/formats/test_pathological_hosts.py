"""Pathological host files are answered in bounded time, without raising, with a clear
diagnostic where one is needed (issue 13): truncated, badly indented or tab-indented YAML,
anchors and aliases (an alias bomb among them), multi-document streams, unterminated HCL
heredocs and `jsonencode({`, 10 MB templates and .tf files, 30,000+ lines, 10,000 levels of
nesting, very long lines, NUL, lone surrogates, a BOM, CRLF and CR line breaks.

Every case runs every feature the server offers in a host file (`answered`:
fuzzing.check_host_document at a few offsets, fixes not applied) and asserts what it
reports. The time bound is a hang guard only (tests/core/test_pathological.py's), far above
what any case takes; the 10 MB cases are not skipped anywhere: the issue requires them.
"""

from __future__ import annotations

import re
import time
import tracemalloc
from pathlib import Path

import pytest
from fuzzing import Probe, check_host_document
from stack_templates import stack_template
from test_pathological import HANG_S

import connect_policy.formats.yaml_tree as yaml_tree
from connect_policy.analysis import Analysis, Settings, analyze, analyze_in_host
from connect_policy.config import DEFAULT_MAX_FILE_SIZE
from connect_policy.document.text import LineIndex, Span
from connect_policy.editor.symbols import host_document_symbols
from connect_policy.findings import Finding
from connect_policy.formats.host import HostKind
from connect_policy.formats.yaml_limits import MAX_BLOCK_DEPTH, MAX_LINES
from connect_policy.formats.yaml_tree import MAX_ALIASED

YAML, JSON, TERRAFORM = HostKind.YAML, HostKind.JSON, HostKind.TERRAFORM
MB = 1_000_000
DATA = Path(__file__).parent / "data"
TEMPLATE = (DATA / "contact_center.yaml").read_text()
JSON_TEMPLATE = (DATA / "contact_center.template.json").read_text()
MODULE = (DATA / "contact_center.tf").read_text()

# One managed policy, one finding: "connect:Lst" is no action.
MANAGED = (DATA / "managed_policy.yaml").read_text()
ROLE_POLICY = """resource "aws_iam_role_policy" "agent" {
  name = "agent"
  role = "agent"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "connect:Lst", Resource = "*" }]
  })
}
"""
SYNTAX = {"YAML_SYNTAX_ERROR", "HCL_SYNTAX_ERROR", "JSON_SYNTAX_ERROR"}


def answered(text: str, kind: HostKind, max_size: int = DEFAULT_MAX_FILE_SIZE) -> Analysis:
    """The analysis of `text` read as `kind`, after every feature ran on it within the hang
    guard (a JSON file that is no template is analysed as a policy, as the server does)."""
    started = time.perf_counter()
    analysis = analyze_in_host(text, kind, Settings(max_size=max_size))
    n = len(text)
    offsets = tuple(sorted({0, min(1, n), n // 3, n // 2, max(n - 1, 0), n}))
    check_host_document(text, kind, Probe(offsets, max_fixes=0, max_size=max_size), analysis)
    seconds = time.perf_counter() - started
    assert seconds < HANG_S, f"took {seconds:.1f} s: a hang (guard {HANG_S} s)"
    return analysis if analysis is not None else analyze(text, Settings(max_size=max_size))


def placed(analysis: Analysis) -> list[tuple[str, str]]:
    """(code, the text under its range) of each finding."""
    return [(f.code, analysis.text[f.span.start:f.span.end]) for f in analysis.findings]


def at(text: str, piece: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(piece, start + 1)
    return Span(start, start + len(piece))


def of_policies(findings: list[Finding], labels: set[str]) -> list[tuple[str, Span, str]]:
    return [(f.code, f.span, f.message) for f in findings if f.data.get("policy") in labels]


# -- truncation --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "kind"), [(TEMPLATE, YAML), (JSON_TEMPLATE, JSON),
                                            (MODULE, TERRAFORM)], ids=["yaml", "json", "tf"])
def test_a_host_file_cut_at_each_line_end_keeps_the_policies_before_it(
        text: str, kind: HostKind) -> None:
    """Every policy that ends before the cut is found, with the findings it has in the
    whole file (same codes, ranges and messages); in Terraform, but for those of the block
    left open by the cut (tree-sitter-hcl drops a block it cannot close)."""
    whole = analyze_in_host(text, kind)
    assert whole is not None and len(whole.embedded) == 7
    for line_end in re.finditer("\n", text):
        cut = line_end.end()
        before = {e.label for e in whole.embedded if e.root.end < cut}
        analysis = analyze_in_host(text[:cut], kind)
        if analysis is None:  # JSON cut before "Resources": no template yet
            assert not before
            continue
        found = {e.label for e in analysis.embedded}
        if kind is TERRAFORM:
            opened = re.findall(r'^resource "(\w+)" "(\w+)" \{$|^\}$', text[:cut], re.MULTILINE)
            block = ".".join(opened[-1]) + "." if opened and opened[-1][0] else None
            assert all(block and label.startswith(block) for label in before - found), cut
            before &= found
        assert before <= found, cut
        assert of_policies(analysis.findings, before) == of_policies(whole.findings, before)


@pytest.mark.parametrize(("text", "kind"), [(TEMPLATE, YAML), (JSON_TEMPLATE, JSON),
                                            (MODULE, TERRAFORM)], ids=["yaml", "json", "tf"])
def test_a_host_file_cut_anywhere_is_answered(text: str, kind: HostKind) -> None:
    """Cut inside a line, tree-sitter may lose the list the cut is in (YAML: one cut in four
    loses an earlier policy of the same list); the policies still found before the cut's
    line keep their findings."""
    whole = analyze_in_host(text, kind)
    assert whole is not None
    for cut in range(0, len(text), 29):
        analysis = answered(text[:cut], kind)
        line_start = text.rfind("\n", 0, cut) + 1
        kept = {e.label for e in analysis.embedded} & {
            e.label for e in whole.embedded if e.root.end < line_start}
        assert of_policies(analysis.findings, kept) == of_policies(whole.findings, kept)


# -- indentation -------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "damaged"), [
    ("            Action: connect:Lst", "           Action: connect:Lst"),
    ("            Action: connect:Lst", "             Action: connect:Lst"),
    ("        Statement:", "       Statement:"),
    ("          - Effect: Allow", "           - Effect: Allow"),
], ids=["dedented", "indented", "dedented-key", "indented-dash"])
def test_a_line_out_of_its_indentation_is_a_syntax_error(line: str, damaged: str) -> None:
    text = MANAGED.replace(line, damaged)
    analysis = answered(text, YAML)
    (error,) = analysis.findings
    assert error.code == "YAML_SYNTAX_ERROR" and "cannot be read" in error.message
    # tree-sitter reports the damage where the structure it breaks starts: at the latest there
    assert error.span.start <= text.index(damaged)


@pytest.mark.parametrize(("line", "damaged"), [
    ("            Action", "\t    Action"),
    ("            Resource", "          \tResource"),
], ids=["tab-first", "tab-after-spaces"])
def test_a_tab_in_the_indentation_is_named(line: str, damaged: str) -> None:
    text = MANAGED.replace(line, damaged)
    analysis = answered(text, YAML)
    (tab,) = [f for f in analysis.findings if "tab" in f.message]
    assert tab.span == at(text, "\t")
    number = text.count("\n", 0, tab.span.start) + 1
    assert tab.message == (f"YAML syntax error on line {number}: a tab in the indentation; "
                           "YAML indents with spaces only")
    assert {f.code for f in analysis.findings} == {"YAML_SYNTAX_ERROR"}


# -- anchors and aliases -----------------------------------------------------------------

def test_an_alias_to_a_statement_is_checked_where_its_anchor_is() -> None:
    text = MANAGED.replace("Resources:\n", "Metadata:\n  Shared: &statement {Effect: Allow, "
                           "Action: 'connect:Lxt', Resource: '*'}\nResources:\n").replace(
        "          - Effect: Allow", "          - *statement\n          - Effect: Allow")
    analysis = answered(text, YAML)
    assert placed(analysis) == [("INVALID_ACTION", "Lxt"), ("INVALID_ACTION", "Lst")]
    assert analysis.findings[0].message == (
        'P.PolicyDocument: "connect:Lxt" is not an action of Amazon Connect')


@pytest.mark.parametrize(("original", "damaged"), [
    ("Action: connect:Lst", "Action: &a [connect:Lst, *a]"),
    ("- Effect: Allow", "- &s\n            Effect: Allow\n            Sid: *s"),
], ids=["list", "mapping"])
def test_an_alias_inside_its_own_anchor_is_unknown(original: str, damaged: str) -> None:
    """No finding on the alias (its value is not known), the rest still checked."""
    analysis = answered(MANAGED.replace(original, damaged), YAML)
    assert placed(analysis) == [("INVALID_ACTION", "Lst")]


ALIASED = """Version: "2012-10-17"
Statement:
  - Effect: Allow
    Action:
      - &a connect:DescribeUser
      - connect:ListUsers
      - *a
    Resource: "*"
  - Effect: Deny
    Action: &list [connect:DeleteUser]
    Resource: "*"
  - Effect: Deny
    Action: *list
    Resource: "*"
"""


def test_a_member_whose_value_is_an_alias_ends_at_the_alias() -> None:
    """Its value is the anchor's node, written before the key: the member's range ran
    backwards (an outline symbol from "Action" back to the anchor, which clients reject)."""
    analysis = answered(ALIASED, YAML)
    (policy,) = host_document_symbols(analysis)
    third = policy.children[2].children
    assert [(e.name, ALIASED[e.span.start:e.span.end]) for e in third] == [
        ("Effect", "Effect: Deny"), ("Action", "Action: *list"), ("Resource", 'Resource: "*"')]


def test_a_sid_that_is_an_alias_selects_its_statement() -> None:
    """The Sid's node is the anchor's, in another statement: the statement's selection was
    there, outside the statement (editors reject such a symbol)."""
    text = ('Version: "2012-10-17"\nStatement:\n  - Sid: &sid Agents\n    Effect: Allow\n'
            '    Action: connect:ListUsers\n    Resource: "*"\n  - Sid: *sid\n    Effect: Deny\n'
            '    Action: connect:DeleteUser\n    Resource: "*"\n')
    (policy,) = host_document_symbols(answered(text, YAML))
    first, second = policy.children
    assert (first.name, first.selection) == ("Agents", at(text, "Agents"))
    start = text.index("Sid: *sid")
    assert (second.name, second.span.start, second.selection) == (
        "Agents", start, Span(start, start + 1))


def test_no_fix_removes_an_alias_entry() -> None:
    """The duplicate is an alias of the first entry: removing it ran from the entry before
    it back to the anchor (an edit that ends before it starts). It is reported, unfixed."""
    (duplicate,) = answered(ALIASED, YAML).findings
    assert duplicate.code == "REDUNDANT_ACTION" and duplicate.fixes == ()
    assert duplicate.span == at(ALIASED, "connect:DescribeUser")


def _alias_bomb(levels: int = 10, width: int = 10) -> str:
    """Ten levels of ten aliases each: 10^10 values if written out ("billion laughs")."""
    lines = ['  a0: &a0 ["connect:Lxt"]']
    for level in range(1, levels):
        lines.append(f"  a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "Metadata:\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize("host", ["template", "policy file"])
def test_an_alias_bomb_is_cut_short(host: str) -> None:
    bomb = _alias_bomb()
    if host == "template":
        text = bomb + MANAGED.replace("Action: connect:Lst", f"Action: *a{9}")
    else:
        text = bomb + ("Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n"
                       "    Action: *a9\n    Resource: '*'\n")
    tracemalloc.start()
    try:
        analysis = answered(text, YAML)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20, f"{peak:,} bytes at the peak"
    (bomb_error,) = [f for f in analysis.findings if f.code == "YAML_SYNTAX_ERROR"]
    # Written out, a0 is 3 values (a sequence, its item, the string), a1 51, a2 531, a3 5,331
    # and a4 53,311: the aliases up to a4's line repeat 59,160 values, and the first alias of
    # a4 (on a5's line, the seventh) would pass 100,000.
    assert bomb_error.span == at(text, "*a4")
    assert bomb_error.message == (
        "YAML aliases repeat too much to read: with the alias on line 7, aliases (of aliases) "
        f"would repeat more than {MAX_ALIASED:,} values; it and the aliases after it are not "
        "read")
    assert bomb_error.translations["ko"].startswith("YAML 별칭이 너무 많이 반복되어")
    # *a9 is not read: no finding on "connect:Lxt" through it, none on its shape either. A
    # policy file is an identity policy, and the aliases read before the cut (59,160 values,
    # in its `Metadata`) are part of the document IAM would receive: over the quota.
    size = ["POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"] if host == "policy file" else []
    assert [c for c, _ in placed(analysis) if c != "INVALID_POLICY_ELEMENT"] == [
        *size, "YAML_SYNTAX_ERROR"]


def test_aliases_are_read_until_they_repeat_too_much(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each alias of a three-value anchor (a flow sequence, its item and the string) repeats
    three values: with room for five, the first alias is read, the next ones are not."""
    monkeypatch.setattr(yaml_tree, "MAX_ALIASED", 5)
    text = MANAGED.replace("Resources:\n", "Metadata:\n  Shared: &actions [connect:Lxt]\n"
                           "Resources:\n").replace(
        "          - Effect: Allow\n            Action: connect:Lst\n            Resource: "
        '"*"\n', "".join(f"          - Sid: S{i}\n            Effect: Allow\n            Action:"
                         ' *actions\n            Resource: "*"\n' for i in range(3)))
    analysis = answered(text, YAML)
    assert placed(analysis) == [("INVALID_ACTION", "Lxt"), ("YAML_SYNTAX_ERROR", "*actions")]
    assert analysis.findings[-1].span == at(text, "*actions", 1)


# -- documents ---------------------------------------------------------------------------

def test_a_stream_of_documents_is_read_by_its_first_template_or_policy() -> None:
    compose = "services:\n  web:\n    image: nginx\n"
    policy = "Version: '2012-10-17'\nStatement:\n  - {Effect: Allow, Action: 'connect:Lzt', " \
             "Resource: '*'}\n"
    after = answered(MANAGED + "---\n" + MANAGED.replace("Lst", "Lxt"), YAML)
    assert placed(after) == [("INVALID_ACTION", "Lst")]
    text = compose + "---\n" + MANAGED
    skipped = answered(text, YAML)
    assert [f.span for f in skipped.findings] == [at(text, "Lst")]
    assert placed(answered(policy + "---\n" + MANAGED, YAML)) == [("INVALID_ACTION", "Lzt")]
    ended = answered(MANAGED + "...\n" + "garbage: [\n", YAML)
    assert placed(ended)[-1] == ("INVALID_ACTION", "Lst")
    assert {c for c, _ in placed(ended)} == {"INVALID_ACTION", "YAML_SYNTAX_ERROR"}
    assert answered(compose + "---\n" + compose + "---\n", YAML).findings == []


# -- Terraform ---------------------------------------------------------------------------

@pytest.mark.parametrize("marker", ["<<EOF", "<<-EOT"])
def test_an_unterminated_heredoc(marker: str) -> None:
    text = ('resource "aws_iam_policy" "p" {\n  policy = ' + marker + "\n"
            '  {"Statement": [{"Effect": "Allow", "Action": "connect:Lst", "Resource": "*"}]}\n')
    analysis = answered(text, TERRAFORM)
    assert placed(analysis) == [("MISSING_VERSION", '{"Statement"'), ("INVALID_ACTION", "Lst"),
                                ("HCL_SYNTAX_ERROR", ""), ("HCL_SYNTAX_ERROR", "")]
    assert [f.message for f in analysis.findings[2:]] == [
        "HCL syntax error on line 4: missing the heredoc's closing marker",
        'HCL syntax error on line 4: missing "}"']
    assert analysis.findings[2].span == Span(len(text), len(text))


@pytest.mark.parametrize("cut", ["jsonencode({", 'Action = "connect:Lst"', "}]"])
def test_an_unterminated_jsonencode(cut: str) -> None:
    """The call's object never closes: the policy is not read, the syntax error says so."""
    text = ROLE_POLICY[:ROLE_POLICY.index(cut) + len(cut)] + "\n"
    analysis = answered(text, TERRAFORM)
    assert {f.code for f in analysis.findings} == {"HCL_SYNTAX_ERROR"}
    assert analysis.embedded == []


@pytest.mark.parametrize("nested", [
    "jsonencode(" + "{a = " * 10_000 + "1" + "}" * 10_000 + ")",
    "jsonencode(" + "[" * 10_000 + "]" * 10_000 + ")",
    '"' + '${"' * 10_000,
    "".join(f"<<E{i}\n${{" for i in range(300)),
    "<<EOF\n" * 10_000,
], ids=["objects", "tuples", "interpolations", "heredocs-in-heredocs", "heredoc-openers"])
def test_10000_levels_of_hcl_nesting(nested: str) -> None:
    text = 'resource "aws_iam_policy" "p" {\n  policy = ' + nested + "\n}\n"
    analysis = answered(text, TERRAFORM)
    codes = {f.code for f in analysis.findings}
    if nested.startswith("jsonencode({"):
        # Read down to the model's depth limit: a policy of one unknown element.
        assert codes == {"MISSING_STATEMENT", "MISSING_VERSION", "INVALID_POLICY_ELEMENT"}
    elif nested.startswith("jsonencode(["):
        assert codes == set()  # a list is no policy document
    else:
        assert codes == {"HCL_SYNTAX_ERROR"}


# -- size --------------------------------------------------------------------------------

def _ten_mb_yaml_template() -> str:
    filler = "".join(f"  Queue{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n"
                     f"      QueueName: contact-center-queue-{i}\n" for i in range(120_000))
    text = MANAGED + filler
    assert len(text) > 10 * MB
    return text


def test_a_10mb_yaml_template_gets_one_file_error() -> None:
    text = _ten_mb_yaml_template()
    analysis = answered(text, YAML)
    (finding,) = analysis.findings
    assert finding.code == "FILE_ERROR" and finding.span == Span(0, 0)
    assert finding.message.startswith(f"Document too large to check: {len(text):,} bytes")
    assert finding.message.endswith("so it was not analysed")


def test_10mb_of_yaml_that_is_no_template_is_silent() -> None:
    text = "services:\n" + "".join(f"  web{i}:\n    image: nginx\n" for i in range(400_000))
    assert len(text) > 10 * MB
    assert answered(text, YAML).findings == []


@pytest.mark.parametrize("iam", [True, False])
def test_a_10mb_terraform_file(iam: bool) -> None:
    """With IAM content near its start it says it was not analysed; without, it is silent."""
    filler = "".join(f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "contact-center-{i}"\n}}\n'
                     for i in range(200_000))
    text = (ROLE_POLICY if iam else "") + filler
    assert len(text) > 10 * MB
    analysis = answered(text, TERRAFORM)
    if iam:
        (finding,) = analysis.findings
        assert finding.code == "FILE_ERROR" and finding.span == Span(0, 0)
        assert finding.message.endswith("so it was not analysed")
    else:
        assert analysis.findings == []


def test_a_10mb_json_template_gets_one_file_error() -> None:
    text = stack_template("json", policies=40, fillers=40_000)
    assert len(text) > 10 * MB
    analysis = answered(text, JSON)  # over the limit: read as a JSON file, as the server does
    assert [f.code for f in analysis.findings] == ["FILE_ERROR"]


def test_a_large_host_file_is_analysed_up_to_max_file_size() -> None:
    size = len(MANAGED)
    assert placed(answered(MANAGED, YAML, max_size=size)) == [("INVALID_ACTION", "Lst")]
    assert placed(answered(MANAGED, YAML, max_size=size - 1)) == [("FILE_ERROR", "")]
    size = len(ROLE_POLICY)
    assert placed(answered(ROLE_POLICY, TERRAFORM, max_size=size)) == [
        ("INVALID_ACTION", "Lst")]
    assert placed(answered(ROLE_POLICY, TERRAFORM, max_size=size - 1)) == [("FILE_ERROR", "")]


def _statements(count: int) -> str:
    return "".join("          - Effect: Allow\n            Action: connect:Lst\n"
                   "            Resource: '*'\n" for _ in range(count))


def test_30000_lines_are_read() -> None:
    text = MANAGED.split("          - Effect")[0] + _statements(10_300)
    assert 30_000 < text.count("\n") < MAX_LINES and len(text) < DEFAULT_MAX_FILE_SIZE
    analysis = answered(text, YAML)
    codes = [f.code for f in analysis.findings]
    assert codes.count("INVALID_ACTION") == 10_300
    assert set(codes) == {"INVALID_ACTION", "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"}


@pytest.mark.parametrize(("line_break", "statements", "lines", "counted"), [
    ("\n", 11_000, "33,008 lines", ""),
    ("\r\n", 6_600, "19,808 lines", " (39,615 as the YAML parser counts them)"),
    ("\r", 11_000, "33,008 lines", ""),
], ids=["lf", "crlf", "cr"])
def test_more_lines_than_the_yaml_parser_counts_are_one_clear_error(
        line_break: str, statements: int, lines: str, counted: str) -> None:
    """tree-sitter-yaml 0.7.2 counts lines in 16 bits, and a CRLF line break as two: a longer
    stream would be one unreadable block."""
    text = (MANAGED.split("          - Effect")[0] + _statements(statements)).replace(
        "\n", line_break)
    analysis = answered(text, YAML)
    (error,) = analysis.findings
    assert error.code == "YAML_SYNTAX_ERROR" and error.span == Span(0, 0)
    assert error.message == (f"YAML file too long to read: {lines}{counted}, over the "
                             f"{MAX_LINES:,} the YAML parser handles (a CloudFormation template "
                             "is at most 1 MB)")
    assert "ko" in error.translations


# -- nesting -----------------------------------------------------------------------------

# Block nesting, `levels` deep (indented one space a level: 10,000 levels of indentation
# would make a 50 MB file).
DEEP_YAML = {
    "10000-dashes": lambda: "\n    " + "- " * 10_000 + "x",
    "indented-dashes": lambda: "".join("\n    " + " " * i + "-" for i in range(1_000)) + " x",
    "mappings": lambda: "".join("\n    " + " " * i + f"k{i}:" for i in range(1_000)) + " x",
    "mappings-in-sequences": lambda: "".join(
        "\n    " + "  " * i + f"- k{i}:" for i in range(300)) + " x",
}


@pytest.mark.parametrize("shape", DEEP_YAML)
def test_deep_block_nesting_is_one_clear_error(shape: str) -> None:
    """tree-sitter-yaml 0.7.2 writes past its state buffer from 254 open levels and the
    process dies (a mapping in a sequence opens two levels a line: 130 lines are enough):
    such a stream is refused before it reaches the parser."""
    text = MANAGED + "Outputs:\n  Deep:" + DEEP_YAML[shape]() + "\n"
    analysis = answered(text, YAML)
    (error,) = analysis.findings
    assert error.code == "YAML_SYNTAX_ERROR"
    assert error.message.startswith("YAML nested too deeply to read: line ")
    assert f"opens more than {MAX_BLOCK_DEPTH} levels of indentation" in error.message
    lines = LineIndex(text)
    assert f"line {lines.line_of(error.span.start) + 1} opens " in error.message
    # the node that opens the level past the limit
    assert error.span.end == error.span.start + 1 and text[error.span.start] in "-kx:"


@pytest.mark.parametrize("dashes", [MAX_BLOCK_DEPTH - 1, MAX_BLOCK_DEPTH])
def test_block_nesting_is_read_up_to_the_limit(dashes: int) -> None:
    """The line's content and each dash count a level: 199 dashes are read, 200 are not (the
    parser fails past 253 levels, one a dash)."""
    text = "- " * dashes + "x\n"
    document = yaml_tree.parse_yaml(text)
    assert (document.errors == []) is (dashes < MAX_BLOCK_DEPTH)
    if document.errors:
        (error,) = document.errors
        assert error.message.startswith(f"YAML nested too deeply to read: line 1 opens more "
                                        f"than {MAX_BLOCK_DEPTH} levels")
        assert error.span.start == 2 * (MAX_BLOCK_DEPTH - 1)  # the dash of the 201st level


@pytest.mark.parametrize("opener", ["{", "[", "{a: "])
def test_10000_open_flow_collections(opener: str) -> None:
    text = MANAGED.replace('Resource: "*"', "Resource: " + opener * 10_000)
    analysis = answered(text, YAML)
    assert {f.code for f in analysis.findings} == {"YAML_SYNTAX_ERROR"}


def test_10000_balanced_flow_collections_in_a_policy() -> None:
    text = MANAGED.replace('Resource: "*"', "Resource: " + "[" * 10_000 + "]" * 10_000)
    analysis = answered(text, YAML)
    first = text.index("[[")
    assert [(f.code, f.span) for f in analysis.findings] == [
        ("INVALID_ACTION", at(text, "Lst")),
        ("DATA_TYPE_MISMATCH", Span(first + 1, first + 2 * 10_000 - 1))]  # the entry in it


@pytest.mark.parametrize("opener", ["{", "[", "{a: ", "{["])
def test_300_balanced_flow_collections_as_keys(opener: str) -> None:
    """A mapping whose key is a mapping whose key is… (`{{{…}}}`): each key was read from the
    depth limit again, so 300 of them raised RecursionError and the file was not analysed
    (keys that are lists, and values, were bounded already)."""
    closer = opener.replace("{", "}").replace("[", "]").replace("a: ", "")[::-1]
    count = 90 if ":" in opener else 300  # each ": " counts a level (see above)
    text = "Resources:\n  Deep: {" + opener * count + closer * count + "}\n" + MANAGED[11:]
    analysis = answered(text, YAML)
    assert placed(analysis) == [("INVALID_ACTION", "Lst")]


# -- long lines --------------------------------------------------------------------------

def test_a_500kb_action_is_reported_with_a_short_message() -> None:
    name = "connect:" + "L" * 500_000
    text = MANAGED.replace("connect:Lst", name)
    analysis = answered(text, YAML)
    (invalid,) = [f for f in analysis.findings if f.code == "INVALID_ACTION"]
    assert invalid.span == Span(text.index(name) + len("connect:"), text.index(name) + len(name))
    assert len(invalid.message) < 300 and "(500,008 characters)" in invalid.message


@pytest.mark.parametrize("statements", [60, 10_000])
def test_a_template_on_one_line(statements: int) -> None:
    """Read while its ": " count fewer than 200 levels: on one line, where no indentation
    closes them, each may open one while the parser recovers from a syntax error. Past that
    it is not read, and unread, nothing says it is a template (no "Resources:" starts a
    line): it is left alone."""
    statement = '{Effect: Allow, Action: "connect:Lst", Resource: "*"}'
    text = ('{Resources: {P: {Type: "AWS::IAM::ManagedPolicy", Properties: {PolicyDocument: '
            '{Version: "2012-10-17", Statement: [' + ", ".join([statement] * statements)
            + "]}}}}}")
    assert "\n" not in text
    analysis = answered(text, YAML)
    codes = [f.code for f in analysis.findings]
    if statements == 60:
        assert codes == ["INVALID_ACTION"] * 60
    else:
        assert len(text) > 500_000 and codes == []
        (error,) = yaml_tree.parse_yaml(text).errors
        assert error.message.startswith("YAML nested too deeply to read: line 1 opens more")


# -- characters --------------------------------------------------------------------------

@pytest.mark.parametrize(("character", "what"), [
    ("\x00", "a NUL character (U+0000), which YAML does not allow"),
    ("\ud800", "a lone UTF-16 surrogate (U+D800), which no UTF-8 file can hold"),
], ids=["nul", "surrogate"])
def test_a_character_yaml_cannot_hold_is_named_and_the_rest_is_read(
        character: str, what: str) -> None:
    """The parser stopped at a NUL without a word (a "Resource" after it was reported
    missing) and read nothing of a file with a lone surrogate."""
    text = MANAGED.replace("connect:Lst", f"connect:L{character}st")
    analysis = answered(text, YAML)
    assert placed(analysis) == [("INVALID_ACTION", f"L{character}st"),
                                ("YAML_SYNTAX_ERROR", character)]
    assert analysis.findings[1].message == f"YAML syntax error on line 9: {what}"
    assert analysis.findings[1].translations["ko"].startswith("9번째 줄 YAML 구문 오류")
    if character == "\x00":  # read as a space: in the indentation, the line keeps its place
        text = MANAGED.replace("            Resource", f"{character}           Resource")
        assert placed(answered(text, YAML)) == [("INVALID_ACTION", "Lst"),
                                                ("YAML_SYNTAX_ERROR", character)]


def test_nul_and_lone_surrogate_in_terraform() -> None:
    text = ROLE_POLICY.replace("connect:Lst", "connect:L\ud800st")
    assert placed(answered(text, TERRAFORM)) == [("INVALID_ACTION", "L\ud800st")]
    text = ROLE_POLICY.replace('"2012-10-17"', '"2012-10-17"\x00')
    assert {f.code for f in answered(text, TERRAFORM).findings} == {"HCL_SYNTAX_ERROR"}


@pytest.mark.parametrize(("text", "kind"), [(MANAGED, YAML), (ROLE_POLICY, TERRAFORM)],
                         ids=["yaml", "tf"])
def test_a_bom_is_read_past(text: str, kind: HostKind) -> None:
    plain = answered(text, kind)
    with_bom = answered("\ufeff" + text, kind)
    assert [(f.code, f.span.start + 1, f.span.end + 1, f.message) for f in plain.findings] == [
        (f.code, f.span.start, f.span.end, f.message) for f in with_bom.findings]


def test_a_bom_in_a_json_template_is_reported_with_a_fix() -> None:
    text = "\ufeff" + JSON_TEMPLATE
    analysis = answered(text, JSON)
    bom = analysis.findings[0]
    assert bom.code == "JSON_SYNTAX_ERROR" and bom.span == Span(0, 1)
    assert bom.message.startswith("The document starts with a byte order mark (U+FEFF)")
    plain = answered(JSON_TEMPLATE, JSON)
    assert [(f.code, f.span.start + 1) for f in plain.findings] == [
        (f.code, f.span.start) for f in analysis.findings[1:]]


@pytest.mark.parametrize(("text", "kind", "line_break"), [
    (TEMPLATE, YAML, "\r\n"), (TEMPLATE, YAML, "\r"), (JSON_TEMPLATE, JSON, "\r\n"),
    (JSON_TEMPLATE, JSON, "\r"), (MODULE, TERRAFORM, "\r\n")],
    ids=["yaml-crlf", "yaml-cr", "json-crlf", "json-cr", "tf-crlf"])
def test_other_line_breaks_give_the_same_findings_at_the_same_places(
        text: str, kind: HostKind, line_break: str) -> None:
    plain = answered(text, kind)
    other = answered(text.replace("\n", line_break), kind)
    assert plain.findings

    def positions(analysis: Analysis) -> list[tuple[str, tuple[int, int], str]]:
        lines = LineIndex(analysis.text)
        return [(f.code, lines.position(f.span.start), f.message) for f in analysis.findings]

    assert positions(other) == positions(plain)


def test_terraform_with_cr_line_breaks_is_one_comment() -> None:
    """HCL breaks lines at LF and CRLF only: the module's first comment runs to its end, as
    Terraform reads it."""
    assert MODULE.startswith("# ")
    assert answered(MODULE.replace("\n", "\r"), TERRAFORM).findings == []

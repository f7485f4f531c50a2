"""formats.incremental.HostAnalyzer: after every edit, the same analysis `analyze_host` gives
(policies with every offset, findings with their fixes), and only the edited resource
analysed again when the edit stays inside one resource of a clean template."""

from __future__ import annotations

import random
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import pytest
from stack_templates import stack_template

from connect_policy.formats.host import HostAnalysis, HostKind, analyze_host
from connect_policy.formats.incremental import HostAnalyzer

DATA = Path(__file__).parent / "data"
YAML_TEMPLATE = (DATA / "contact_center.yaml").read_text()
JSON_TEMPLATE = (DATA / "contact_center.template.json").read_text()
KINDS = {"yaml": HostKind.YAML, "json": HostKind.JSON}


def dumped(value: Any) -> Any:
    """Every field of a result, nested, offsets included (the model's nodes compare by
    identity)."""
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(dumped(getattr(value, f.name)) for f in fields(value)
                                        if not f.name.startswith("_")))
    if isinstance(value, list | tuple):
        return tuple(dumped(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, dumped(item)) for key, item in value.items()))
    return value


def assert_same(result: HostAnalysis, text: str, kind: HostKind) -> None:
    full = analyze_host(text, kind)
    assert result.is_host == full.is_host
    assert dumped(result.findings) == dumped(full.findings)
    assert dumped(result.policies) == dumped(full.policies)


def typed(text: str, at: int, word: str) -> list[str]:
    """The texts while `word` is typed at `at` one character at a time, then deleted."""
    versions = [text[:at] + word[:i] + text[at:] for i in range(1, len(word) + 1)]
    return versions + versions[-2::-1] + [text]


@pytest.mark.parametrize("form", ["yaml", "json"])
def test_typing_in_a_large_template_reanalyses_one_resource(form: str) -> None:
    text = stack_template(form)
    kind = KINDS[form]
    analyzer = HostAnalyzer()
    assert_same(analyzer.analyze(text, kind), text, kind)
    at = text.index("connect:DescribeQueue", len(text) // 2) + len("connect:Describe")
    codes = []
    for version in typed(text, at, "Usr"):
        result = analyzer.analyze(version, kind)
        assert analyzer.analysed == 1
        assert_same(result, version, kind)
        codes.append([f.code for f in result.findings])
    assert codes[:3] == [["INVALID_ACTION"]] * 3
    assert codes[-1] == []


def test_typing_a_new_json_string_reanalyses_one_resource_through_its_errors() -> None:
    """`"connect:DescribeUser", ` typed into an Action array: the half-typed string is a
    syntax error inside one resource, which is still re-parsed alone."""
    text = stack_template("json")
    analyzer = HostAnalyzer()
    analyzer.analyze(text, HostKind.JSON)
    at = text.index('"connect:DescribeQueue"', len(text) // 2)
    seen = set()
    for version in typed(text, at, '"connect:DescribeUser", '):
        result = analyzer.analyze(version, HostKind.JSON)
        assert analyzer.analysed == 1
        assert_same(result, version, HostKind.JSON)
        seen.update(f.code for f in result.findings)
    assert "JSON_SYNTAX_ERROR" in seen


@pytest.mark.parametrize("opening", ['"', "'", "["])
def test_typing_through_a_yaml_syntax_error_in_one_resource(opening: str) -> None:
    """A quoted or flow entry typed without its closing character (Neovim has no auto-pairs):
    a syntax error inside one resource, which is read again alone; the other resources keep
    their analyses (and their YAML fixes: their trees are as written)."""
    text = stack_template("yaml", policies=12, fillers=30)
    analyzer = HostAnalyzer()
    analyzer.analyze(text, HostKind.YAML)
    middle = text.index("- connect:DescribeQueue", len(text) // 2)
    line_end = text.index("\n", middle)
    indent = " " * (middle - text.rindex("\n", 0, middle) - 1)
    closing = {'"': '"', "'": "'", "[": "]"}[opening]
    entry = f"\n{indent}- {opening}connect:DescribeUser{closing}"
    errors = 0
    for i in range(1, len(entry) + 1):
        version = text[:line_end] + entry[:i] + text[line_end:]
        result = analyzer.analyze(version, HostKind.YAML)
        assert analyzer.analysed == 1
        assert_same(result, version, HostKind.YAML)
        errors += any(f.code == "YAML_SYNTAX_ERROR" for f in result.findings)
    assert errors >= len("connect:DescribeUser")
    # With the error left in, an edit in an earlier resource moves the damaged one.
    damaged = text[:line_end] + entry[:-1] + text[line_end:]
    analyzer.analyze(damaged, HostKind.YAML)
    at = damaged.index("kms:Encrypt") + len("kms:")
    for version in typed(damaged, at, "Xy"):
        result = analyzer.analyze(version, HostKind.YAML)
        assert analyzer.analysed == 1
        assert_same(result, version, HostKind.YAML)


@pytest.mark.parametrize("form", ["yaml", "json"])
def test_an_outline_reads_the_policies_and_analyze_then_only_checks(form: str) -> None:
    """What completion gets right after a keystroke: the policies of the new text, without
    their checks; the analysis of that text that follows reads nothing again."""
    text = stack_template(form, policies=12, fillers=30)
    kind = KINDS[form]
    analyzer = HostAnalyzer()
    analyzer.analyze(text, kind)
    at = text.index("connect:DescribeQueue", len(text) // 2) + len("connect:")
    typing = '"connect:Lis", ' if form == "json" else "Lis"
    if form == "json":
        at -= len('"connect:')
    for version in typed(text, at, typing):
        outline = analyzer.outline(version, kind)
        assert outline is not None
        assert analyzer.analysed == 1
        assert dumped(outline.policies) == dumped(analyze_host(version, kind).policies)
        assert_same(analyzer.analyze(version, kind), version, kind)
        assert analyzer.analysed == 0


def test_an_outline_of_a_damaged_template_is_left_to_the_full_analysis() -> None:
    analyzer = HostAnalyzer()
    analyzer.analyze(YAML_TEMPLATE, HostKind.YAML)
    damaged = YAML_TEMPLATE.replace("Resources:\n", "Resources:\n\tBad: [\n", 1)
    assert analyzer.outline(damaged, HostKind.YAML) is None
    assert_same(analyzer.analyze(damaged, HostKind.YAML), damaged, HostKind.YAML)
    assert analyzer.outline(JSON_TEMPLATE, HostKind.JSON) is None  # a new kind: read in full


@pytest.mark.parametrize("form", ["yaml", "json"])
def test_typing_before_every_policy_moves_the_findings_and_trees(form: str) -> None:
    text = stack_template(form, policies=12, fillers=30)
    kind = KINDS[form]
    analyzer = HostAnalyzer()
    analyzer.analyze(text, kind)
    # In the first policy of the template: every later resource moves by one character.
    at = text.index("kms:Encrypt") + len("kms:")
    for version in typed(text, at, "X"):
        assert_same(analyzer.analyze(version, kind), version, kind)


@pytest.mark.parametrize("form", ["yaml", "json"])
def test_random_edits_give_the_full_analysis_every_time(form: str) -> None:
    """Seeded edits on the contact-center template: mostly a letter typed or deleted next to
    a letter (the template stays clean: the incremental path), sometimes a structural piece
    (the full path, until the template is clean again). Each version is analysed as
    `analyze_host` would."""
    base = YAML_TEMPLATE if form == "yaml" else JSON_TEMPLATE
    kind = KINDS[form]
    pieces = (["\n", " ", "  ", "-", ":", "!Sub ", "&a ", "*a", "---\n", "\t", "connect:",
               "Ref", "정책", "\"", "'", "[", "]"] if form == "yaml" else
              ["\n", " ", ",", ":", "{", "}", "[", "]", "\"", "\"connect:x\"", "정책"])
    rng = random.Random(13 if form == "yaml" else 14)
    analyzer = HostAnalyzer()
    text = base
    incremental = 0
    for step in range(240):
        if step % 30 == 0:
            text = base  # start again from the clean template now and then
        at = rng.randrange(1, len(text))
        if rng.random() < 0.1:
            text = text[:at] + rng.choice(pieces) + text[at:]
        else:
            while at < len(text) - 1 and not text[at].isalnum():
                at += 1
            if rng.random() < 0.6:
                text = text[:at] + rng.choice("aQz7정") + text[at:]
            elif text[at].isalnum() and text[at - 1].isalnum():
                text = text[:at] + text[at + 1:]
        assert_same(analyzer.analyze(text, kind), text, kind)
        incremental += analyzer.analysed >= 0
    assert incremental > 60  # the incremental path was taken, and agreed


@pytest.mark.parametrize("seed", [3, 17, 38])
@pytest.mark.parametrize("form", ["yaml", "json"])
def test_damaging_edits_give_the_full_analysis_every_time(form: str, seed: int) -> None:
    """Structural damage that accumulates (brackets, quotes, line breaks, tabs): syntax
    errors inside resources that move when an earlier resource is edited, and their
    messages' line numbers with them (seed 38 once found a stale one)."""
    text = YAML_TEMPLATE if form == "yaml" else JSON_TEMPLATE
    kind = KINDS[form]
    pieces = ["\n", " ", "  ", "-", ":", "!Sub ", "*a", "---\n", "\t", "connect:", '"', "'",
              "[", "]", "{", "}", ",", "#"]
    rng = random.Random(seed)
    analyzer = HostAnalyzer()
    for _ in range(60):
        at = rng.randrange(1, len(text))
        roll = rng.random()
        if roll < 0.4:
            text = text[:at] + rng.choice(pieces) + text[at:]
        elif roll < 0.7:
            text = text[:at] + text[at + rng.randrange(1, 3):]
        else:
            text = text[:at] + rng.choice("aQz") + text[at:]
        assert_same(analyzer.analyze(text, kind), text, kind)


def test_a_change_of_a_single_allowed_value_reanalyses_what_depends_on_it() -> None:
    analyzer = HostAnalyzer()
    text = YAML_TEMPLATE
    analyzer.analyze(text, HostKind.YAML)
    # `EnvName` gets one allowed value: `!Sub "${EnvName}…"` becomes known everywhere.
    narrowed = text.replace("AllowedValues: [dev, prod]", "AllowedValues: [prod]")
    assert_same(analyzer.analyze(narrowed, HostKind.YAML), narrowed, HostKind.YAML)
    assert analyzer.analysed > 1
    assert_same(analyzer.analyze(text, HostKind.YAML), text, HostKind.YAML)


def test_non_ascii_text_before_and_inside_the_edited_resource() -> None:
    text = YAML_TEMPLATE.replace("Description: Amazon Connect contact center",
                                 "Description: 고객 센터 😀 contact center")
    analyzer = HostAnalyzer()
    analyzer.analyze(text, HostKind.YAML)
    at = text.index("connect:ListUsrs") + len("connect:List")
    for version in typed(text, at, "정책Q"):
        result = analyzer.analyze(version, HostKind.YAML)
        assert analyzer.analysed == 1
        assert_same(result, version, HostKind.YAML)


@pytest.mark.parametrize(("kind", "change"), [
    (HostKind.YAML, lambda t: t + "---\nVersion: '2012-10-17'\n"),  # a second document
    (HostKind.YAML, lambda t: t.replace("  RoutingTable:", "  RoutingTable: &table", 1)),
    (HostKind.YAML, lambda t: t.replace("Resources:\n", "Resources:\n\tBad: 1\n", 1)),
    (HostKind.YAML, lambda t: t.replace("AWSTemplateFormatVersion", "Version", 1)
     .replace("Resources:", "Statement:", 1)),
    (HostKind.JSON, lambda t: t.replace('"Resources": {', '"Resources": {,', 1)),
    (HostKind.JSON, lambda t: t.replace('"Parameters": {', '"Parameters": {"P": {},', 1)),
], ids=["second-document", "anchor", "tab", "not-a-template", "json-error", "json-parameters"])
def test_edits_that_take_the_full_path_give_the_full_analysis(kind: HostKind,
                                                             change: Any) -> None:
    text = YAML_TEMPLATE if kind is HostKind.YAML else JSON_TEMPLATE
    analyzer = HostAnalyzer()
    analyzer.analyze(text, kind)
    changed = change(text)
    assert changed != text
    assert_same(analyzer.analyze(changed, kind), changed, kind)
    assert analyzer.analysed == -1  # read in full
    # And back: the clean template again, every resource as before.
    assert_same(analyzer.analyze(text, kind), text, kind)


def test_the_same_text_again_is_the_last_result() -> None:
    analyzer = HostAnalyzer()
    first = analyzer.analyze(YAML_TEMPLATE, HostKind.YAML)
    assert analyzer.analyze(YAML_TEMPLATE, HostKind.YAML) is first
    assert analyzer.analysed == 0


def test_a_new_kind_of_document_starts_afresh() -> None:
    analyzer = HostAnalyzer()
    analyzer.analyze(YAML_TEMPLATE, HostKind.YAML)
    assert_same(analyzer.analyze(JSON_TEMPLATE, HostKind.JSON), JSON_TEMPLATE, HostKind.JSON)
    terraform = (DATA / "contact_center.tf").read_text()
    assert_same(analyzer.analyze(terraform, HostKind.TERRAFORM), terraform,
                HostKind.TERRAFORM)
    assert_same(analyzer.analyze(YAML_TEMPLATE, HostKind.YAML), YAML_TEMPLATE, HostKind.YAML)

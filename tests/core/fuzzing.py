"""What no input may break, and inputs to try it on: shared by tests/core/test_properties.py
(hypothesis, a fast slice) and tests/bench/fuzz.py (a seeded run over 100,000 documents).
Host documents (templates, YAML policy files, Terraform) are made by fuzzing_hosts.py.

`check_document` runs every core feature on one text (`check_host_document` every feature
the server offers in a host file) and asserts the properties:
- nothing raises;
- every returned span or offset lies within `0..len(text)`; completion spans contain the
  cursor; the selection chain nests and ends with the whole document; a symbol's selection
  lies inside its span;
- a fix's or refactoring's edits do not overlap, and the text they give analyzes again;
- findings' messages (and their translations) are not empty.

The generators here are seeded `random.Random` ones (fast, for the fuzz script and the
seeded tests); test_properties.py builds hypothesis strategies from the same vocabularies.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from corpus_location import locate_corpus

from connect_policy.analysis import (
    Analysis,
    DocumentAnalyzer,
    Settings,
    analyze,
    analyze_in_host,
)
from connect_policy.config import DEFAULT_MAX_FILE_SIZE
from connect_policy.document.text import LineIndex, Span
from connect_policy.editor.completion import complete
from connect_policy.editor.completion_host import complete_in_host
from connect_policy.editor.completion_items import CompletionList
from connect_policy.editor.fixes import quick_fixes
from connect_policy.editor.hover import Hover, hover, hover_in_host
from connect_policy.editor.refactorings import refactorings
from connect_policy.editor.symbols import (
    DocumentLink,
    InlayHint,
    Symbol,
    document_links,
    document_symbols,
    folding_spans,
    host_document_links,
    host_document_symbols,
    host_inlay_hints,
    inlay_hints,
    selection_spans,
)
from connect_policy.findings import TextEdit
from connect_policy.formats.host import HostKind

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = ROOT / "examples"

# Characters that matter to JSON and IAM, and some that are hard on positions and encodings:
# a lone surrogate, a character outside the BMP (two UTF-16 units), Korean, U+2028 (a line
# break to some editors, not to JSON), NUL, a BOM.
ALPHABET = (*'{}[]:,"\\\'/*?$ \n\t\r', "\u2028", "\x00", "\ud800", "\udfff", "😀", "정",
            "\ufeff", "a", "Z", "1", "-", ".", "e", "u", "$", "{", "}")
# Fragments that steer a mutation towards the parser's and the checks' interesting states.
FRAGMENTS = ('"', '":', '",', "\\u", "\\ud800", "\\", "${", "${aws:username}", "}", "*",
             ":", "::", "connect:", "connect:*", "Describe*", '"Action": ', '"Condition": {',
             '"StringLike": {', '"aws:RequestTag/', "arn:aws:connect:", "/*", "[]", "{}",
             "null", "true", "1e999", "-0", "//", "/*", "\r\n", "\u2028", "\ud83d", "😀",
             "정책", '"Effect": "Allow"', '"Statement": [', "]", ",", ",,", "\x00")

LOCALES = (None, "ko", "en", "ko-KR", "KO_kr", "", "zz")

POLICY_KEYS = ("Version", "Statement", "Sid", "Effect", "Action", "NotAction", "Resource",
               "NotResource", "Principal", "NotPrincipal", "Condition", "Id")
CONDITION_OPERATORS = ("StringEquals", "StringLike", "StringNotEquals", "ArnLike", "ArnEquals",
                       "ForAnyValue:StringEquals", "ForAllValues:StringLike", "Null", "Bool",
                       "IpAddress", "NumericLessThan", "DateGreaterThan", "StringEqualsIfExists",
                       "Stringequals", "ForAnyValue:", "")
CONDITION_KEYS = ("aws:RequestTag/${aws:username}", "aws:ResourceTag/dept", "aws:TagKeys",
                  "aws:SourceIp", "aws:username", "connect:InstanceId", "connect:UserArn",
                  "connect:SearchTag/dept", "aws:PrincipalTag/", "kms:ViaService",
                  "aws:CalledVia", "s3:prefix", "wisdom:", "aws:", ":", "")
STRINGS = ("2012-10-17", "2008-10-17", "2012-10-18", "Allow", "Deny", "allow", "*", "",
           "connect:*", "connect:Describe*", "connect:ListUsers", "connect:list*",
           "connect:?escribeUser", "conect:ListUsers", "connect::ListUsers", "connect:",
           "app-integrations:*", "app-integrations:CreateEventIntegration", "wisdom:Get*",
           "connect-campaigns:*", "connect-campaigns:StartCampaign", "iam:PassRole",
           "kms:Decrypt", "s3:GetObject", "ds:DescribeDirectories", "events:PutRule",
           "*:*", "*:List*", "conn*:List*", "arn:aws:connect:us-east-1:123456789012:instance/*",
           "arn:aws:connect:*:*:instance/${aws:username}/agent/*", "arn:aws:s3:::bucket/*",
           "arn:aws:iam::123456789012:role/x", "arn:aws", "arn:", "${aws:username}",
           "${aws:", "${", "$", "true", "false", "10.0.0.0/8", "정책", "😀", "\u2028", "\ud800",
           "\x00", "a\\b", "\"quoted\"", "connect.amazonaws.com", "x" * 300)


def example_texts() -> list[tuple[str, str]]:
    """(name, text) of every policy in examples/."""
    return [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8"))
            for p in sorted(EXAMPLES_DIR.rglob("*.json"))]


def corpus_texts(every: int = 1) -> list[tuple[str, str]]:
    """(name, text) of the corpus policies (every `every`-th one); it ships with the project."""
    folder = locate_corpus() / "policies"
    if not folder.is_dir():
        raise FileNotFoundError(f"AWS managed policies corpus not found at {folder}")
    return [(p.name, p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*.json"))[::every]]


# ---------------------------------------------------------------------------------------------
# Seeded generators.

def random_string(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return rng.choice(STRINGS)
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 8)))


def random_scalar(rng: random.Random) -> object:
    roll = rng.random()
    if roll < 0.55:
        return random_string(rng)
    if roll < 0.65:
        return rng.choice((None, True, False))
    if roll < 0.8:
        return rng.choice((0, -1, 1, 2**70, -(2**64), 3))
    return rng.choice((0.5, -0.0, 1e300, float("inf"), float("nan"), 1e-320))


def random_value(rng: random.Random, depth: int = 0) -> object:
    roll = rng.random()
    if depth > 4 or roll < 0.4:
        return random_scalar(rng)
    if roll < 0.65:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    keys = (POLICY_KEYS, CONDITION_OPERATORS, CONDITION_KEYS)
    obj = {}
    for _ in range(rng.randint(0, 5)):
        vocabulary = keys[min(depth // 2, 2)] if rng.random() < 0.8 else (random_string(rng),)
        obj[rng.choice(vocabulary)] = random_value(rng, depth + 1)
    return obj


def random_statement(rng: random.Random) -> dict[str, object]:
    statement: dict[str, object] = {}
    for key in rng.sample(POLICY_KEYS[2:], rng.randint(1, 6)):
        if key == "Condition":
            statement[key] = {
                rng.choice(CONDITION_OPERATORS): {
                    rng.choice(CONDITION_KEYS): rng.choice(
                        (random_string(rng), [random_string(rng) for _ in range(2)]))
                    for _ in range(rng.randint(0, 3))}
                for _ in range(rng.randint(0, 2))}
        elif key in ("Action", "NotAction", "Resource", "NotResource") and rng.random() < 0.6:
            statement[key] = [random_string(rng) for _ in range(rng.randint(0, 5))]
        elif key in ("Principal", "NotPrincipal") and rng.random() < 0.5:
            statement[key] = {rng.choice(("AWS", "Service", "Federated")): random_string(rng)}
        elif rng.random() < 0.85:
            statement[key] = random_string(rng)
        else:
            statement[key] = random_value(rng, 3)
    return statement


def random_policy(rng: random.Random) -> object:
    """A policy-shaped value (most of the time) or any JSON value."""
    roll = rng.random()
    if roll < 0.15:
        return random_value(rng)
    if roll < 0.25:
        return [random_statement(rng) for _ in range(rng.randint(0, 3))]
    if roll < 0.35:
        return random_statement(rng)
    policy: dict[str, object] = {}
    if rng.random() < 0.8:
        policy["Version"] = rng.choice(STRINGS[:3]) if rng.random() < 0.9 else random_scalar(rng)
    statements = [random_statement(rng) for _ in range(rng.randint(0, 4))]
    policy["Statement"] = (statements[0] if len(statements) == 1 and rng.random() < 0.5
                           else statements)
    if rng.random() < 0.1:
        policy["Id"] = random_string(rng)
    return policy


def serialize(value: object, rng: random.Random) -> str:
    indent = rng.choice((None, None, 2, 4, "\t", 0))
    return json.dumps(value, ensure_ascii=rng.random() < 0.3, indent=indent)


def mutate(text: str, rng: random.Random, edits: int | None = None,
           fragments: Sequence[str] = FRAGMENTS) -> str:
    """`text` with a few random insertions (characters of `ALPHABET`, `fragments`),
    deletions, duplicated or moved runs, or cut short."""
    chars = list(text)
    for _ in range(edits if edits is not None else rng.randint(1, 8)):
        where = rng.randrange(len(chars) + 1)
        roll = rng.random()
        if roll < 0.25 and chars:
            del chars[min(where, len(chars) - 1)]
        elif roll < 0.35 and chars:
            del chars[where:where + rng.randint(1, 30)]
        elif roll < 0.6:
            chars.insert(where, rng.choice(ALPHABET))
        elif roll < 0.75:
            chars[where:where] = list(rng.choice(fragments))
        elif roll < 0.85 and chars:
            start = rng.randrange(len(chars))
            chars[where:where] = chars[start:start + rng.randint(1, 40)]  # a copied run
        elif roll < 0.9 and chars:
            start = rng.randrange(len(chars))
            chars[start:start + 1] = [rng.choice(ALPHABET)]  # a replaced character
        elif roll < 0.95:
            del chars[where:]  # truncated
        else:
            # "\r\n" and lone "\r" line ends
            chars = list("".join(chars).replace("\n", rng.choice(("\r\n", "\r", "\u2028"))))
    return "".join(chars)


def random_json_text(rng: random.Random) -> str:
    """A random (mostly policy-shaped) JSON value serialised, then sometimes damaged."""
    text = serialize(random_policy(rng), rng)
    return mutate(text, rng, rng.choice((0, 0, 1, 2, 4, 8)))


@dataclass(frozen=True, slots=True)
class Probe:
    """Where to ask: cursor offsets and ranges (in the text's code points), a locale."""

    offsets: tuple[int, ...] = ()
    spans: tuple[Span, ...] = ()
    locale: str | None = None
    assume_policy: bool = False
    max_fixes: int | None = None  # applied and re-analyzed; None: every one
    max_size: int = DEFAULT_MAX_FILE_SIZE  # `max-file-size`, in UTF-8 bytes


def random_probe(text: str, rng: random.Random, offsets: int = 5, spans: int = 3,
                 max_fixes: int | None = None) -> Probe:
    n = len(text)
    at = [rng.randint(0, n) for _ in range(offsets)]
    if n:
        at += [0, n]
    ranges = []
    for _ in range(spans):
        a, b = sorted((rng.randint(0, n), rng.randint(0, n)))
        ranges.append(Span(a, b))
    return Probe(tuple(at), tuple(ranges), rng.choice(LOCALES), rng.random() < 0.3, max_fixes)


# ---------------------------------------------------------------------------------------------
# The properties.

def _within(span: Span, n: int, what: object) -> None:
    assert 0 <= span.start <= span.end <= n, (what, span, n)


def apply_edits(text: str, edits: Sequence[TextEdit]) -> str:
    """Apply non-overlapping edits given in document offsets (in any order; insertions at
    the same offset keep their order)."""
    ordered = sorted(enumerate(edits), key=lambda pair: (pair[1].span.start, pair[0]))
    for (_, before), (_, after) in pairwise(ordered):
        assert before.span.end <= after.span.start, ("overlapping edits", edits)
    for _, edit in reversed(ordered):
        text = text[:edit.span.start] + edit.new_text + text[edit.span.end:]
    return text


def _check_symbols(symbols: Iterable[Symbol], n: int) -> None:
    for symbol in symbols:
        _within(symbol.span, n, symbol)
        _within(symbol.selection, n, symbol)
        assert symbol.span.start <= symbol.selection.start <= symbol.selection.end \
            <= symbol.span.end, ("selection outside the symbol", symbol)
        assert symbol.name, symbol
        _check_symbols(symbol.children, n)


@dataclass(slots=True)
class Outcome:
    """What one document exercised (for the fuzz script's figures)."""

    findings: int = 0
    fixes_applied: int = 0
    completions: int = 0
    codes: set[str] = field(default_factory=set)


def check_document(text: str, probe: Probe, analysis: Analysis | None = None) -> Outcome:
    """Run every feature on `text`, asserting the properties; raises on a violation.
    `analysis`: the analysis of `text` with the probe's settings, when the caller has it."""
    n = len(text)
    settings = Settings(assume_policy=probe.assume_policy, max_size=probe.max_size)
    analysis = analysis if analysis is not None else analyze(text, settings)
    edits_to_try = _check_findings_and_actions(analysis, probe)
    policy = analysis.policy
    _check_insight(document_symbols(policy), document_links(policy),
                   [hint for span in (Span(0, n), *probe.spans)
                    for hint in inlay_hints(policy, span, probe.locale)], n)
    for span in folding_spans(policy):
        _within(span, n, "folding")
    index = LineIndex(text)
    completed = 0
    for offset in probe.offsets:
        completed += _check_completions(complete(text, offset, locale=probe.locale,
                                                 parsed=policy.parse), offset, n)
        _check_hover(hover(text, offset, probe.locale, parsed=policy.parse), n)
        chain = selection_spans(policy, offset)
        assert chain and chain[-1] == Span(0, n), chain
        for inner, outer in pairwise(chain):
            assert outer.start <= inner.start <= offset <= inner.end <= outer.end, chain
        _check_position(index, offset, n)
    outcome = Outcome(findings=len(analysis.findings), completions=completed,
                      codes={finding.code for finding in analysis.findings})
    outcome.fixes_applied = _apply_each(text, edits_to_try, probe.max_fixes,
                                        lambda fixed: analyze(fixed, settings))
    return outcome



def check_host_document(text: str, kind: HostKind, probe: Probe,
                        analysis: Analysis | None = None, before: str | None = None) -> Outcome:
    """`check_document` for a template, YAML policy file or Terraform file read as `kind`:
    every feature the server offers there (analysis, completion and hover, the outline,
    links and hints, quick fixes and refactorings, each applied and analysed again), with
    the same properties. JSON that is no template is a policy file: `check_document`.
    `analysis`: `analyze_in_host`'s of `text` with the probe's settings, when the caller
    has it. `before`: a text the editor had before `text` (the server analyses `text`
    incrementally from it): the incremental analysis must find what the full one finds."""
    n = len(text)
    settings = Settings(assume_policy=probe.assume_policy, max_size=probe.max_size)
    analysis = analysis if analysis is not None else analyze_in_host(text, kind, settings)
    if before is not None:
        _check_incremental(before, text, kind, settings, analysis)
    if analysis is None:
        return check_document(text, probe)
    assert analysis.host is kind, analysis
    for embedded in analysis.embedded:
        _within(embedded.root.span, n, embedded.label)
    edits_to_try = _check_findings_and_actions(analysis, probe)
    _check_insight(host_document_symbols(analysis), host_document_links(analysis),
                   [hint for span in (Span(0, n), *probe.spans)
                    for hint in host_inlay_hints(analysis, span, probe.locale)], n)
    index = LineIndex(text)
    completed = 0
    for offset in probe.offsets:
        completed += _check_completions(complete_in_host(analysis, offset, locale=probe.locale),
                                        offset, n)
        _check_hover(hover_in_host(analysis, offset, probe.locale), n)
        _check_position(index, offset, n)
    outcome = Outcome(findings=len(analysis.findings), completions=completed,
                      codes={finding.code for finding in analysis.findings})
    outcome.fixes_applied = _apply_each(text, edits_to_try, probe.max_fixes,
                                        lambda fixed: analyze_in_host(fixed, kind, settings))
    return outcome


def _check_incremental(before: str, text: str, kind: HostKind, settings: Settings,
                       analysis: Analysis | None) -> None:
    """What the server does on an edit from `before` to `text`: the outline first (for a
    completion right after it), then the analysis, both from what it kept of `before`."""
    analyzer = DocumentAnalyzer()
    analyzer.analyze_in_host(before, kind, settings)
    outline = analyzer.outline_in_host(text, kind, settings)
    for embedded in outline.embedded if outline is not None else ():
        _within(embedded.root.span, len(text), embedded.label)
    again = analyzer.analyze_in_host(text, kind, settings)
    found = None if again is None else [(f.code, f.span, f.message) for f in again.findings]
    expected = None if analysis is None else [
        (f.code, f.span, f.message) for f in analysis.findings]
    assert found == expected, ("incremental analysis", found, expected)


_Edits = list[tuple[object, tuple[TextEdit, ...]]]


def _check_findings_and_actions(analysis: Analysis, probe: Probe) -> _Edits:
    """Findings, quick fixes and refactorings (over the whole text and the probe's ranges)
    checked; the edits of every fix and refactoring, to apply."""
    n = len(analysis.text)
    edits_to_try: _Edits = []
    for finding in analysis.findings:
        assert finding.message.strip(), finding
        assert all(m.strip() for m in finding.translations.values()), finding
        assert finding.message_for(probe.locale).strip(), finding
        _within(finding.span, n, finding)
        for fix in finding.fixes:
            assert fix.title.strip(), fix
            for edit in fix.edits:
                _within(edit.span, n, fix)
            edits_to_try.append((fix, fix.edits))
    for span in (Span(0, n), *probe.spans):
        for quick in quick_fixes(analysis, span):
            assert quick.fix in quick.finding.fixes
        for refactoring in refactorings(analysis, span):
            assert refactoring.title.strip(), refactoring
            for edit in refactoring.edits:
                _within(edit.span, n, refactoring)
            edits_to_try.append((refactoring, refactoring.edits))
    return edits_to_try


def _check_insight(symbols: Iterable[Symbol], links: Iterable[DocumentLink],
                   hints: Iterable[InlayHint], n: int) -> None:
    _check_symbols(symbols, n)
    for hint in hints:
        assert 0 <= hint.offset <= n and hint.label, hint
    for link in links:
        _within(link.span, n, link)
        assert link.target.startswith("https://"), link


def _check_completions(completions: CompletionList | None, offset: int, n: int) -> int:
    """Checks a completion list; 1 if it has items (to count), else 0."""
    if completions is None:
        return 0
    spans = [completions.span, *(i.span for i in completions.items if i.span)]
    for span in spans:
        assert 0 <= span.start <= offset <= span.end <= n, ("completion", offset, span)
    for item in completions.items:
        assert item.label, item
        item.plain_text  # noqa: B018 - a snippet that cannot be made plain raises
    return 1 if completions.items else 0


def _check_hover(found: Hover | None, n: int) -> None:
    if found is not None:
        _within(found.span, n, found)
        assert found.markdown.strip(), found


def _check_position(index: LineIndex, offset: int, n: int) -> None:
    for encoding in ("utf-16", "utf-8"):
        line, column = index.position(offset, encoding)
        back = index.offset(line, column, encoding)
        assert 0 <= back <= n, (offset, line, column, back)


def _apply_each(text: str, edits_to_try: _Edits, most: int | None,
                analyze_again: Callable[[str], object]) -> int:
    """Applies each fix's or refactoring's edits (the first `most`) and analyzes the result
    again; how many were applied."""
    tried = edits_to_try if most is None else edits_to_try[:most]
    for what, edits in tried:
        try:
            fixed = apply_edits(text, edits)
        except AssertionError as error:
            raise AssertionError(("bad edits", what)) from error
        analyze_again(fixed)
    return len(tried)

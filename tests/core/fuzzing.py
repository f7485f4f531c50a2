"""What no input may break, and inputs to try it on: shared by tests/core/test_properties.py
(hypothesis, a fast slice) and tests/bench/fuzz.py (a seeded run over 100,000 documents).

`check_document` runs every core feature on one text and asserts the properties:
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from corpus_location import locate_corpus

from connect_policy.analysis import Analysis, Settings, analyze
from connect_policy.document.text import LineIndex, Span
from connect_policy.editor.completion import complete
from connect_policy.editor.fixes import quick_fixes
from connect_policy.editor.hover import hover
from connect_policy.editor.refactorings import refactorings
from connect_policy.editor.symbols import (
    Symbol,
    document_links,
    document_symbols,
    folding_spans,
    inlay_hints,
    selection_spans,
)
from connect_policy.findings import TextEdit

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


def mutate(text: str, rng: random.Random, edits: int | None = None) -> str:
    """`text` with a few random insertions, deletions, duplicated or moved runs, or cut short."""
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
            chars[where:where] = list(rng.choice(FRAGMENTS))
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
    settings = Settings(assume_policy=probe.assume_policy)
    analysis = analysis if analysis is not None else analyze(text, settings)
    outcome = Outcome(findings=len(analysis.findings))
    whole = Span(0, n)
    edits_to_try: list[tuple[object, tuple[TextEdit, ...]]] = []
    for finding in analysis.findings:
        outcome.codes.add(finding.code)
        assert finding.message.strip(), finding
        assert all(m.strip() for m in finding.translations.values()), finding
        assert finding.message_for(probe.locale).strip(), finding
        _within(finding.span, n, finding)
        for fix in finding.fixes:
            assert fix.title.strip(), fix
            for edit in fix.edits:
                _within(edit.span, n, fix)
            edits_to_try.append((fix, fix.edits))
    for span in (whole, *probe.spans):
        for quick in quick_fixes(analysis, span):
            assert quick.fix in quick.finding.fixes
        for refactoring in refactorings(analysis, span):
            assert refactoring.title.strip(), refactoring
            for edit in refactoring.edits:
                _within(edit.span, n, refactoring)
            edits_to_try.append((refactoring, refactoring.edits))
    _check_symbols(document_symbols(analysis.policy), n)
    for span in folding_spans(analysis.policy):
        _within(span, n, "folding")
    for span in (whole, *probe.spans):
        for hint in inlay_hints(analysis.policy, span, probe.locale):
            assert 0 <= hint.offset <= n and hint.label, hint
    for link in document_links(analysis.policy):
        _within(link.span, n, link)
        assert link.target.startswith("https://"), link
    index = LineIndex(text)
    for offset in probe.offsets:
        _check_offset(text, analysis, offset, probe.locale, index)
    tried = edits_to_try if probe.max_fixes is None else edits_to_try[:probe.max_fixes]
    for what, edits in tried:
        try:
            fixed = apply_edits(text, edits)
        except AssertionError as error:
            raise AssertionError(("bad edits", what)) from error
        analyze(fixed, settings)
        outcome.fixes_applied += 1
    return outcome


def _check_offset(text: str, analysis: Analysis, offset: int, locale: str | None,
                  index: LineIndex) -> None:
    n = len(text)
    completions = complete(text, offset, locale=locale, parsed=analysis.policy.parse)
    if completions is not None:
        spans = [completions.span, *(i.span for i in completions.items if i.span)]
        for span in spans:
            assert 0 <= span.start <= offset <= span.end <= n, ("completion", offset, span)
        for item in completions.items:
            assert item.label, item
            item.plain_text  # noqa: B018 - a snippet that cannot be made plain raises
    found = hover(text, offset, locale, parsed=analysis.policy.parse)
    if found is not None:
        _within(found.span, n, found)
        assert found.markdown.strip(), found
    chain = selection_spans(analysis.policy, offset)
    assert chain and chain[-1] == Span(0, n), chain
    for inner, outer in pairwise(chain):
        assert outer.start <= inner.start <= offset <= inner.end <= outer.end, chain
    for encoding in ("utf-16", "utf-8"):
        line, column = index.position(offset, encoding)
        back = index.offset(line, column, encoding)
        assert 0 <= back <= n, (offset, line, column, back)

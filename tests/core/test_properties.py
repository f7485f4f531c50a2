"""No input makes the core raise, hang or answer outside the document (issue 8).

Property-based (hypothesis, derandomized so CI reproduces) over four kinds of input: random
JSON values serialised and mixed with hard characters, the example and corpus policies
damaged at random, templates, YAML policy files and Terraform files damaged at random
(`check_host_document`; tests/core/formats/test_host_fuzzing.py has the seeded host cases),
and random cursor offsets and ranges in each. The properties themselves
(spans in the text, completion spans around the cursor, nested selections, fixes that apply
and re-analyze, non-empty messages) are `fuzzing.check_document`, which tests/bench/fuzz.py
runs on 100,000 documents. The seeded cases keep the original damage test; the regression
cases are inputs the fuzzer found.
"""

from __future__ import annotations

import json
import random
import time

import pytest
from fuzzing import (
    ALPHABET,
    CONDITION_KEYS,
    CONDITION_OPERATORS,
    FRAGMENTS,
    LOCALES,
    POLICY_KEYS,
    STRINGS,
    Probe,
    apply_edits,
    check_document,
    check_host_document,
    corpus_texts,
    example_texts,
    mutate,
    random_json_text,
    random_probe,
)
from fuzzing_hosts import HOST_FRAGMENTS, host_texts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connect_policy.analysis import Settings, analyze
from connect_policy.checks.arns import glob_match
from connect_policy.document.text import Span
from connect_policy.editor.symbols import document_symbols
from connect_policy.findings import TextEdit
from connect_policy.formats.host import HostKind

EXAMPLES = [text for _, text in example_texts()]
# A slice of the corpus keeps this file fast; tests/bench/fuzz.py uses all of it.
CORPUS = [text for _, text in corpus_texts(every=7) if len(text) < 8_000]

FAST = settings(deadline=None, derandomize=True, database=None, max_examples=120,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])

# --- strategies ----------------------------------------------------------------------------

hard_text = st.text(st.sampled_from(ALPHABET), max_size=8)
strings = st.sampled_from(STRINGS) | hard_text
scalars = (st.none() | st.booleans() | st.integers(-(2**70), 2**70)
           | st.floats(allow_nan=True, allow_infinity=True) | strings)
keys = st.sampled_from(POLICY_KEYS + CONDITION_OPERATORS + CONDITION_KEYS) | hard_text
any_json = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(keys, inner, max_size=5), max_leaves=20)
string_or_list = strings | st.lists(strings, max_size=5)
statement = st.fixed_dictionaries({}, optional={
    "Sid": strings,
    "Effect": st.sampled_from(("Allow", "Deny", "allow")) | scalars,
    "Action": string_or_list, "NotAction": string_or_list,
    "Resource": string_or_list, "NotResource": string_or_list,
    "Principal": strings | st.dictionaries(st.sampled_from(("AWS", "Service")), string_or_list,
                                           max_size=2),
    "Condition": st.dictionaries(st.sampled_from(CONDITION_OPERATORS),
                                 st.dictionaries(st.sampled_from(CONDITION_KEYS),
                                                 string_or_list, max_size=3)
                                 | scalars, max_size=2),
    "Extra": any_json,
})
policy = st.fixed_dictionaries(
    {"Statement": st.lists(statement, max_size=4) | statement},
    optional={"Version": st.sampled_from(("2012-10-17", "2008-10-17")) | scalars,
              "Id": strings})
json_values = policy | statement | st.lists(statement, max_size=3) | any_json
serialised = st.builds(lambda value, ascii_only, indent: json.dumps(
    value, ensure_ascii=ascii_only, indent=indent),
    json_values, st.booleans(), st.sampled_from((None, 2, "\t")))

# A damage: (where, what, piece, length); `where` is taken modulo the text's length.
def damages(pieces: tuple[str, ...]) -> st.SearchStrategy[list[tuple[int, str, str, int]]]:
    return st.lists(st.tuples(
        st.integers(0, 10**6),
        st.sampled_from(("insert", "delete", "copy", "truncate", "line-ends")),
        st.sampled_from(pieces),
        st.integers(1, 40)), max_size=8)


damage_ops = damages(ALPHABET + FRAGMENTS)


def damage(text: str, ops: list[tuple[int, str, str, int]]) -> str:
    for where, what, piece, length in ops:
        at = where % (len(text) + 1)
        if what == "insert":
            text = text[:at] + piece + text[at:]
        elif what == "delete":
            text = text[:at] + text[at + length:]
        elif what == "copy":
            source = (where // 7) % (len(text) + 1)
            text = text[:at] + text[source:source + length] + text[at:]
        elif what == "truncate":
            text = text[:at]
        else:
            text = text.replace("\n", ("\r\n", "\r", "\u2028")[length % 3])
    return text


@st.composite
def probes(draw: st.DrawFn, text: str) -> Probe:
    n = len(text)
    offsets = draw(st.lists(st.integers(0, n), min_size=1, max_size=6))
    spans = [Span(*sorted(pair)) for pair in draw(
        st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=3))]
    return Probe((*offsets, 0, n), tuple(spans), draw(st.sampled_from(LOCALES)),
                 draw(st.booleans()))


@st.composite
def documents(draw: st.DrawFn, texts: st.SearchStrategy[str]) -> tuple[str, Probe]:
    text = damage(draw(texts), draw(damage_ops))
    return text, draw(probes(text))


@st.composite
def host_documents(draw: st.DrawFn) -> tuple[str, HostKind, Probe]:
    """A real template, YAML policy file or Terraform file (fuzzing_hosts.host_texts),
    damaged with YAML, CloudFormation and HCL pieces too."""
    _, kind, text = draw(st.sampled_from(host_texts()))
    text = damage(text, draw(damages(ALPHABET + HOST_FRAGMENTS)))
    return text, kind, draw(probes(text))


# --- properties ----------------------------------------------------------------------------

@FAST
@given(documents(serialised))
def test_random_json_never_breaks_the_core(document: tuple[str, Probe]) -> None:
    check_document(*document)


@FAST
@given(documents(st.text(st.sampled_from(ALPHABET) | st.characters(), max_size=80)
                 | st.lists(st.sampled_from(FRAGMENTS), max_size=20).map("".join)))
def test_random_characters_never_break_the_core(document: tuple[str, Probe]) -> None:
    check_document(*document)


@FAST
@given(documents(st.sampled_from(EXAMPLES)))
def test_damaged_examples_never_break_the_core(document: tuple[str, Probe]) -> None:
    check_document(*document)


@settings(FAST, max_examples=60)
@given(documents(st.sampled_from(CORPUS)))
def test_damaged_corpus_policies_never_break_the_core(document: tuple[str, Probe]) -> None:
    check_document(*document)


@FAST
@given(host_documents())
def test_damaged_host_documents_never_break_the_core(
        document: tuple[str, HostKind, Probe]) -> None:
    check_host_document(*document)


@pytest.mark.parametrize("seed", range(12))
def test_seeded_damage_never_breaks_the_core(seed: int) -> None:
    """The fuzz script's generators, seeded: every example damaged, and random JSON."""
    rng = random.Random(seed)
    for text in EXAMPLES:
        damaged = mutate(text, rng)
        check_document(damaged, random_probe(damaged, rng))
    for _ in range(10):
        text = random_json_text(rng)
        check_document(text, random_probe(text, rng))


# --- the helpers themselves ----------------------------------------------------------------

def test_apply_edits_in_any_order_and_rejects_overlaps() -> None:
    edits = [TextEdit(Span(4, 5), "X"), TextEdit(Span(0, 1), "ab"), TextEdit(Span(2, 2), "-")]
    assert apply_edits("01234", edits) == "ab1-23X"
    with pytest.raises(AssertionError):
        apply_edits("01234", [TextEdit(Span(0, 3), ""), TextEdit(Span(2, 4), "")])


# --- regressions: inputs the fuzzer found --------------------------------------------------

@pytest.mark.parametrize("text", [
    # A member whose key is missing or blank: editors reject a symbol with an empty name.
    '{"Statement": {"Effect": "Allow", "": "x", " ": 1}}',
    '{"Statement": [{"Sid": " ", "Effect": "Allow", "Action": "connect:*" ], "Resou }rce"}]}',
])
def test_outline_names_are_never_blank(text: str) -> None:
    def names(symbols: list) -> list[str]:  # type: ignore[type-arg]
        return [n for s in symbols for n in (s.name, *names(s.children))]

    got = names(document_symbols(analyze(text).policy))
    assert got and all(name.strip() for name in got), got
    check_document(text, Probe((0, len(text) // 2, len(text))))


def test_trailing_whitespace_is_linear() -> None:
    """The tokenizer retried its whitespace at every offset of trailing blanks: 300,000
    spaces after a policy took minutes."""
    text = '{"Statement": []}' + " \n" * 150_000
    began = time.perf_counter()
    analysis = analyze(text, Settings(assume_policy=True))
    assert time.perf_counter() - began < 5
    assert not [f for f in analysis.findings if f.code == "JSON_SYNTAX_ERROR"]


def test_a_huge_arn_matches_formats_quickly() -> None:
    """Matching a policy ARN against the resource formats walked it character by character:
    half a second a format for a 300,000-character ARN."""
    text = "instance/" + "i" * 3_000_000
    began = time.perf_counter()
    assert not glob_match("instance/\x00/agent/\x00", text, "\x00", "\x01")
    assert glob_match("instance/\x00i", text, "\x00", "\x01")
    assert time.perf_counter() - began < 2
    arn = "arn:aws:connect:*:*:instance/" + "i" * 300_000
    check_document(f'{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": '
                   f'"connect:DescribeUser", "Resource": "{arn}"}}]}}',
                   Probe((0, 100, 200_000), assume_policy=True, max_fixes=3))

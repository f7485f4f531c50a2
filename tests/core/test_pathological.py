"""Pathological input is answered in bounded time, without raising, with a clear diagnostic
where one is needed (issue 8): 10 MB documents, 100,000 brackets, 1 MB strings, thousands of
statements, NUL, lone surrogates, every kind of line break, a BOM, very long lines, deep
condition values.

Every case runs the whole core: analyze, completion and hover at a few offsets, quick fixes,
refactorings and the symbol features. Speed is the benchmarks' business (tests/bench/):
the one time bound here is a hang guard, far above what any case takes (the comments give
the measured times), there to catch a return of the quadratic or unbounded behaviour fixed
for the issue (a 10 MB document once took minutes).
The 10 MB cases are deliberately not skipped anywhere: the issue requires them in CI.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fuzzing import Probe, check_document

from connect_policy.analysis import Analysis, Settings, analyze
from connect_policy.config import DEFAULT_MAX_FILE_SIZE
from connect_policy.document.syntax import MAX_DEPTH, MAX_ERRORS, JsonArray, JsonString, parse
from connect_policy.document.text import LineIndex, Span
from connect_policy.findings import Finding

MB = 1_000_000


def _statement(i: int) -> dict[str, object]:
    return {"Sid": f"S{i}", "Effect": "Allow",
            "Action": ["connect:DescribeUser", "connect:List*"], "Resource": "*"}


def policy(statements: int, indent: int | None = 2) -> str:
    return json.dumps({"Version": "2012-10-17",
                       "Statement": [_statement(i) for i in range(statements)]}, indent=indent)


def one(statement: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def junk(size: int) -> str:
    generator = random.Random(8)
    return "".join(generator.choices('{}[]:,"\\ab1 \n\t-', k=size))


def ten_mb_policy() -> str:
    per_statement = len(policy(2)) - len(policy(1))
    return policy(10 * MB // per_statement)


def mixed_line_breaks(text: str) -> str:
    return "".join(line + ("\n", "\r\n", "\r")[i % 3]
                   for i, line in enumerate(text.split("\n")))


@dataclass(frozen=True, slots=True)
class Run:
    analysis: Analysis
    seconds: float

    def codes(self) -> list[str]:
        return [f.code for f in self.analysis.findings]

    def syntax(self, starting: str) -> list[Finding]:
        return [f for f in self.analysis.findings
                if f.code == "JSON_SYNTAX_ERROR" and f.message.startswith(starting)]


def exercise(text: str, assume_policy: bool = True) -> Run:
    """Everything an editor asks of the core on `text` (the fuzz tests' properties: every
    range inside the text, selection chains nested, …) at a few offsets, fixes not applied."""
    started = time.perf_counter()
    n = len(text)
    analysis = analyze(text, Settings(assume_policy=assume_policy))
    offsets = tuple(sorted({0, 1, n // 3, n // 2, max(n - 1, 0), n}))
    check_document(text, Probe(offsets, assume_policy=assume_policy, max_fixes=0), analysis)
    return Run(analysis, time.perf_counter() - started)


# Not a speed target: the slowest case takes a few seconds; this catches hangs.
HANG_S = 120.0


def bounded(make: Callable[[], str], assume_policy: bool = True) -> Run:
    run = exercise(make(), assume_policy)
    assert run.seconds < HANG_S, f"took {run.seconds:.1f} s: a hang (guard {HANG_S} s)"
    return run


# -- size --------------------------------------------------------------------------------

def test_10mb_policy_gets_one_file_error_and_no_analysis() -> None:
    run = bounded(ten_mb_policy)  # measured 0.3 s (before the fix: analyze alone 12 s)
    (finding,) = run.analysis.findings
    assert finding.code == "FILE_ERROR" and finding.span == Span(0, 0)
    assert finding.message.startswith("Document too large to check: 10,")
    assert f'over the limit of {DEFAULT_MAX_FILE_SIZE:,} ("max-file-size")' in finding.message
    assert "ko" in finding.translations
    # Recognised as a policy without parsing (its elements are near the start).
    assert exercise(ten_mb_policy(), assume_policy=False).codes() == ["FILE_ERROR"]


def test_10mb_of_junk_is_silent_unless_it_is_declared_a_policy() -> None:
    assert bounded(lambda: junk(10 * MB), assume_policy=False).codes() == []
    assert bounded(lambda: junk(10 * MB)).codes() == ["FILE_ERROR"]  # measured 0.2 s


def test_the_size_limit_is_a_setting_in_utf8_bytes() -> None:
    text = one(_statement(1)).replace("S1", "S" + "정" * 400)  # 3 bytes each in UTF-8
    assert len(text) < 1000 < len(text.encode())
    assert analyze(text, Settings(max_size=1000)).findings[0].code == "FILE_ERROR"
    assert "FILE_ERROR" not in [f.code for f in analyze(text, Settings(max_size=2000)).findings]
    assert analyze(text).findings != []  # the Sid is not alphanumeric: analysed


def test_1mb_of_junk_reports_the_first_errors_and_says_there_are_more() -> None:
    run = bounded(lambda: junk(MB))  # measured 3.5 s
    errors = [f for f in run.analysis.findings if f.code == "JSON_SYNTAX_ERROR"]
    assert len(errors) == MAX_ERRORS + 1
    (last,) = run.syntax("Too many syntax errors: only the first 1,000 are reported")
    assert last.span.start >= max(e.span.start for e in errors if e is not last)


def test_5000_statements() -> None:
    run = bounded(lambda: policy(5000))  # measured 2.2 s (before: 40 s)
    assert len(run.analysis.policy.statements) == 5000
    assert run.codes() == ["POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"]


def test_very_long_line() -> None:
    run = bounded(lambda: policy(3000, indent=None))  # measured 3 s (before: 16 s)
    assert run.codes() == ["POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"]
    lines = run.analysis.policy.parse.lines
    assert lines.line_count == 1
    end = len(run.analysis.text)
    assert lines.position(end, "utf-16") == (0, end)


# -- nesting -----------------------------------------------------------------------------

@pytest.mark.parametrize("opener", ["[", "{", '{"a":'])
def test_100000_open_brackets(opener: str) -> None:
    run = bounded(lambda: opener * 100_000)  # measured 0.5 to 2.3 s
    (deep,) = run.syntax(f"Nesting deeper than {MAX_DEPTH} levels")
    assert deep.span == Span(MAX_DEPTH * len(opener), MAX_DEPTH * len(opener) + 1)


def test_100000_balanced_brackets_in_a_policy() -> None:
    prefix = '{"Version": "2012-10-17", "Statement": '
    run = bounded(lambda: prefix + "[" * 100_000 + "]" * 100_000 + "}")  # measured 1.3 s
    (deep,) = run.syntax(f"Nesting deeper than {MAX_DEPTH} levels")
    assert deep.span.start == len(prefix) + MAX_DEPTH - 1  # the policy object is a level
    assert not run.syntax("Missing")  # balanced: the skipped part closes where it should


def test_deep_but_legal_condition_values() -> None:
    value = "[" * 190 + '"a"' + "]" * 190
    text = one({"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*",
                "Condition": {"StringEquals": {"aws:ResourceTag/x": "VALUE"}}}
               ).replace('"VALUE"', value)
    run = bounded(lambda: text)  # measured 0.01 s
    assert "JSON_SYNTAX_ERROR" not in run.codes()
    (mismatch,) = [f for f in run.analysis.findings if f.code == "DATA_TYPE_MISMATCH"]
    start = text.index("[[")  # the entry of the outer array that is no string
    assert mismatch.span == Span(start + 1, start + len(value) - 1)


# -- long strings ------------------------------------------------------------------------

def test_1mb_action_is_reported_with_a_short_message() -> None:
    name = "connect:" + "A" * MB
    text = one({"Effect": "Allow", "Action": name, "Resource": "*"})
    run = bounded(lambda: text)  # measured 0.8 s
    (invalid,) = [f for f in run.analysis.findings if f.code == "INVALID_ACTION"]
    start = text.index(name)  # the action name after `connect:`
    assert invalid.span == Span(start + len("connect:"), start + len(name))
    assert len(invalid.message) < 300 and "(1,000,008 characters)" in invalid.message
    assert all(len(m) < 300 for m in invalid.translations.values())


def test_1mb_sid() -> None:
    text = one({"Sid": "S" * MB, "Effect": "Allow", "Action": "connect:ListUsers",
                "Resource": "*"})
    run = bounded(lambda: text)  # measured 0.7 s
    assert run.codes() == ["POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"]


# -- characters --------------------------------------------------------------------------

def test_nul_in_a_string_and_between_properties() -> None:
    text = '{\x00"Version": "2012-10-17", "Statement": [{"Effect": "Allow", ' \
           '"Action": "connect:List\x00Users", "Resource": "*"}]}'
    run = bounded(lambda: text)
    (stray,) = run.syntax("Unexpected character U+0000 in an object")
    assert stray.span == Span(1, 2) and stray.fixes[0].edits[0].new_text == ""
    (inside,) = run.syntax("Strings cannot contain control character U+0000")
    assert inside.span == Span(text.index("\x00U"), text.index("\x00U") + 1)
    assert '"\\u0000"' in inside.message
    assert not run.syntax("Missing comma")  # the stray NUL does not derail the object


def test_lone_surrogate_escape() -> None:
    text = one({"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}
               ).replace("ListUsers", "List\\ud800Users")
    run = bounded(lambda: text)
    (lone,) = run.syntax('Invalid escape "\\ud800": a lone UTF-16 surrogate')
    start = text.index("\\ud800")
    assert lone.span == Span(start, start + 6)
    # The decoded value stays valid Unicode, so every consumer can encode it.
    values = [f.message for f in run.analysis.findings if f.code == "INVALID_ACTION"]
    assert values and all(m.encode("utf-8") for m in values)


def test_surrogate_pair_escape_is_one_character() -> None:
    result = parse('["\\ud83d\\ude00"]')
    assert result.errors == []
    assert isinstance(result.root, JsonArray) and isinstance(result.root.items[0], JsonString)
    assert result.root.items[0].value == "😀"


def test_raw_lone_surrogate_in_the_text() -> None:
    """LSP clients count in UTF-16, so a lone surrogate can reach the server as a character."""
    text = one({"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}
               ).replace("ListUsers", "List\ud800Users")
    run = bounded(lambda: text)
    (lone,) = run.syntax("Invalid character U+D800: a lone UTF-16 surrogate")
    start = text.index("\ud800")
    assert lone.span == Span(start, start + 1)
    (fix,) = lone.fixes
    assert fix.edits[0].new_text == ""
    lines = run.analysis.policy.parse.lines
    assert lines.position(len(text), "utf-8")[1] > lines.position(len(text), "utf-32")[1]


@pytest.mark.parametrize("breaks", ["\r\n", "\r", "mixed"])
def test_line_breaks(breaks: str) -> None:
    base = policy(40)
    text = mixed_line_breaks(base) if breaks == "mixed" else base.replace("\n", breaks)
    run = bounded(lambda: text)
    assert run.codes() == []
    lines = LineIndex(text)
    assert lines.line_count == base.count("\n") + 1 + (breaks == "mixed")  # mixed ends with one
    last = lines.line_starts[-1]
    assert lines.position(len(text)) == (lines.line_count - 1, len(text) - last)
    assert lines.offset(lines.line_count - 1, 10**6) == len(text)


def test_bom_at_the_start_is_an_error_with_a_fix() -> None:
    text = "\ufeff" + policy(1)
    run = bounded(lambda: text)
    (bom,) = run.syntax("The document starts with a byte order mark (U+FEFF): IAM rejects it")
    assert bom.span == Span(0, 1)
    (fix,) = bom.fixes
    assert fix.title == "Remove the byte order mark" and fix.edits[0].new_text == ""
    assert run.codes() == ["JSON_SYNTAX_ERROR"]
    assert parse(text[1:]).errors == []


def test_bom_in_the_middle_is_an_error_too() -> None:
    text = policy(1).replace('"Version"', '\ufeff"Version"')
    (bom,) = bounded(lambda: text).syntax("Unexpected U+FEFF")
    assert bom.span == Span(text.index("\ufeff"), text.index("\ufeff") + 1)

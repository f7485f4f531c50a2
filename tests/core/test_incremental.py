"""The language server's incremental analysis (`DocumentAnalyzer`) gives exactly what a full
`analyze` gives, after any sequence of edits (issue 12).

It reuses the previous version's tokens and error-free objects outside the edited region and
the per-statement checks' findings on unchanged statements, moved to where each statement
now starts. Compared here after every edit: every finding (code, severity, message and its
translations, span, fixes, data), the syntax errors and the whole recovered tree. Edits:
scripted ones on every corpus policy (a letter changed and restored, a statement added in
front, the last statement moved to the front, the JSON broken and repaired), and random
seeded ones (hypothesis) on the examples and a slice of the corpus.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from fuzzing import ALPHABET, FRAGMENTS, corpus_texts, example_texts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connect_policy.analysis import Analysis, DocumentAnalyzer, Settings, analyze
from connect_policy.document.syntax import JsonArray, JsonMember, JsonObject, JsonValue

CORPUS = corpus_texts()
EXAMPLES = [text for _, text in example_texts()]
SAMPLES = EXAMPLES + [text for _, text in CORPUS[::25] if len(text) < 12_000]
NEW_STATEMENT = '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, '


def _tree(node: JsonValue | JsonMember | None) -> Any:
    if node is None:
        return None
    if isinstance(node, JsonMember):
        return ("member", _tree(node.key), _tree(node.value), node.colon)
    if isinstance(node, JsonObject):
        return ("object", node.start, node.end, node.closed,
                [_tree(member) for member in node.members])
    if isinstance(node, JsonArray):
        return ("array", node.start, node.end, node.closed, [_tree(i) for i in node.items])
    return (type(node).__name__, node.start, node.end,
            *(getattr(node, name) for name in type(node).__slots__))


def _summary(analysis: Analysis) -> Any:
    parse = analysis.policy.parse
    return {
        "kind": analysis.policy.kind,
        "statements": [(s.path, s.node.start, s.node.end) for s in analysis.policy.statements],
        "root": _tree(parse.root),
        "extra": [_tree(extra) for extra in parse.extra_roots],
        "errors": parse.errors,
        "implicit": parse.implicit_object,
        "findings": [(f.code, f.severity, f.message, f.translations, f.span, f.fixes, f.data)
                     for f in analysis.findings],
    }


def _assert_same_as_full(analyzer: DocumentAnalyzer, text: str,
                         options: Settings | None = None) -> None:
    incremental = _summary(analyzer.analyze(text, options))
    full = _summary(analyze(text, options))
    assert incremental == full


def _statement_spans(text: str) -> list[tuple[int, int]]:
    policy = analyze(text).policy
    return [(s.node.start, s.node.end) for s in policy.statements if s.path[:1] == (
        "Statement",) and len(s.path) == 2]


def _scripted_edits(text: str, rng: random.Random) -> list[str]:
    """Versions of `text` an editing session goes through, each from the one before."""
    versions = [text]
    at = rng.randrange(len(text)) if text else 0
    letter = "Q" if text[at:at + 1] != "Q" else "Z"
    versions.append(text[:at] + letter + text[at + 1:])  # a letter changed (maybe breaking)
    versions.append(text)  # and restored
    spans = _statement_spans(text)
    if spans:
        first, last = spans[0], spans[-1]
        # A new statement in front: every statement moves.
        versions.append(text[:first[0]] + NEW_STATEMENT + text[first[0]:])
        versions.append(text)
        if len(spans) > 1:  # the last statement moved to the front: same texts, new places
            moved = text[last[0]:last[1]]
            without = text[:spans[-2][1]] + text[last[1]:]
            versions.append(without[:first[0]] + moved + ", " + without[first[0]:])
    quote = text.find('"')
    if quote >= 0:  # the JSON broken (a quote deleted), then repaired
        versions.append(versions[-1][:quote] + versions[-1][quote + 1:])
        versions.append(text)
    return versions


@pytest.mark.parametrize("chunk", range(8))
def test_corpus_edits_match_full_analysis(chunk: int) -> None:
    for name, text in CORPUS[chunk::8]:
        rng = random.Random(name)
        analyzer = DocumentAnalyzer()
        for version in _scripted_edits(text, rng):
            _assert_same_as_full(analyzer, version)


def test_typing_an_action_character_by_character() -> None:
    """The benchmark's edits: an action typed into an Action array and deleted again."""
    name = "AmazonConnectServiceLinkedRolePolicy.json"
    text = next(t for n, t in CORPUS if n == name)
    action = analyze(text).policy.statements[0].value("Action")
    assert action is not None and text[action.start] == "["
    at = action.start + 1
    entry = '"connect:DescribeQueue", '
    analyzer = DocumentAnalyzer()
    _assert_same_as_full(analyzer, text)
    for typed in [*range(1, len(entry) + 1), *range(len(entry) - 1, -1, -1)]:
        _assert_same_as_full(analyzer, text[:at] + entry[:typed] + text[at:])


def test_settings_and_kinds_change_between_versions() -> None:
    analyzer = DocumentAnalyzer()
    statement = '{"Effect": "Allow", "Action": "conect:ListUsers", "Resource": "*"}'
    for text, options in [
        (f'{{"Version": "2012-10-17", "Statement": [{statement}]}}', None),
        (f"[{statement}]", None),
        (statement, None),
        (statement, Settings(assume_policy=True)),
        (f'{{"Version": "2008-10-17", "Statement": [{statement}]}}', None),
        (f'{{"Version": "2008-10-17", "Statement": [{statement}]}}', Settings(max_size=10)),
        (f'{{"Version": "2012-10-17", "Statement": [{statement}]}}', None),
        (f'{{"Version": "2012-10-17", "Statement": {statement}}}', None),
        (f'{{"Version": "2012-10-17", "Statement": [{statement}]}} {statement}', None),
    ]:
        _assert_same_as_full(analyzer, text, options)


_insertion = st.sampled_from(FRAGMENTS) | st.text(st.sampled_from(ALPHABET), max_size=3)
_edit = st.tuples(st.sampled_from(("insert", "delete", "replace", "move")),
                  st.floats(0, 1), st.integers(0, 12), _insertion, st.floats(0, 1))


def _apply(text: str, edit: tuple[str, float, int, str, float]) -> str:
    kind, where, length, inserted, target = edit
    at = int(where * len(text))
    end = min(len(text), at + length)
    if kind == "insert":
        return text[:at] + inserted + text[at:]
    if kind == "delete":
        return text[:at] + text[end:]
    if kind == "replace":
        return text[:at] + inserted + text[end:]
    # move: cut a piece and paste it elsewhere (a statement dragged, in a large piece)
    piece, rest = text[at:at + length * 20], text[:at] + text[at + length * 20:]
    to = int(target * len(rest))
    return rest[:to] + piece + rest[to:]


@settings(deadline=None, derandomize=True, database=None, max_examples=150,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(SAMPLES), st.lists(_edit, min_size=1, max_size=12))
def test_random_edits_match_full_analysis(text: str, edits: list[Any]) -> None:
    analyzer = DocumentAnalyzer()
    _assert_same_as_full(analyzer, text)
    original = text
    for edit in edits:
        text = _apply(text, edit)
        _assert_same_as_full(analyzer, text)
    _assert_same_as_full(analyzer, original)  # and back to where the session began


def test_state_is_bounded_by_the_current_version() -> None:
    """What the analyzer keeps is about the current version only: it does not grow with
    the number of edits (an object reused whole keeps no entries for the objects inside)."""
    text = next(t for n, t in CORPUS if n == "AmazonConnectServiceLinkedRolePolicy.json")
    analyzer = DocumentAnalyzer()
    analyzer.analyze(text)
    kept = analyzer.state_size()
    for i in range(50):
        analyzer.analyze(text.replace("connect:*", f"connect:Describe{i}*"))
    analyzer.analyze(text)
    assert all(now <= before for now, before in zip(analyzer.state_size(), kept, strict=True))

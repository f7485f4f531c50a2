"""No input makes the core raise: the source material's policies, damaged at random (seeded,
so a failure reproduces), through analyze, completion, hover, quick fixes and the outline."""

from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path

import pytest

from connect_policy.analysis import Settings, analyze
from connect_policy.completion import complete
from connect_policy.fixes import quick_fixes
from connect_policy.hover import hover
from connect_policy.symbols import (
    document_links,
    document_symbols,
    folding_spans,
    inlay_hints,
    selection_spans,
)
from connect_policy.text import Span

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").rglob("*.json"))
# Characters that matter to JSON and IAM, and some that are hard on positions.
ALPHABET = [*'{}[]:,"\\\'/*?$ \n\t\r', "\u2028", "😀", "정", "\x00", "a", "1", "-"]


def damaged(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 8)):
        where = rng.randrange(len(chars) + 1)
        what = rng.random()
        if what < 0.4 and chars:
            del chars[min(where, len(chars) - 1)]
        elif what < 0.8:
            chars.insert(where, rng.choice(ALPHABET))
        elif chars:
            start = rng.randrange(len(chars))
            chars[start:start] = chars[start:start + rng.randint(1, 40)]  # a duplicated run
    return "".join(chars)


@pytest.mark.parametrize("seed", range(60))
def test_damaged_policies_never_raise(seed: int) -> None:
    rng = random.Random(seed)
    for path in EXAMPLES:
        text = damaged(path.read_text(encoding="utf-8"), rng)
        analysis = analyze(text, Settings(assume_policy=rng.random() < 0.3))
        whole = Span(0, len(text))
        quick_fixes(analysis, whole)
        document_symbols(analysis.policy)
        folding_spans(analysis.policy)
        inlay_hints(analysis.policy, whole, "ko" if seed % 2 else None)
        document_links(analysis.policy)
        for _ in range(5):
            offset = rng.randrange(len(text) + 1)
            completions = complete(text, offset, locale="ko" if seed % 2 else None)
            if completions is not None:
                for span in (completions.span, *(i.span for i in completions.items if i.span)):
                    assert 0 <= span.start <= offset <= span.end <= len(text), span
            hover(text, offset, "ko" if seed % 2 else None)
            chain = selection_spans(analysis.policy, offset)
            assert chain and chain[-1] == whole
            for inner, outer in pairwise(chain):
                assert outer.start <= inner.start <= offset <= inner.end <= outer.end
        for finding in analysis.findings:
            assert 0 <= finding.span.start <= finding.span.end <= len(text), finding
            for fix in finding.fixes:
                for edit in fix.edits:
                    assert 0 <= edit.span.start <= edit.span.end <= len(text), fix

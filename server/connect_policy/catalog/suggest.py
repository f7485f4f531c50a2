"""Ranking of "did you mean" suggestions.

Two distances, whichever is kinder: the edit distance between whole names (catches typos
such as `app-integartions`) and the edit distance between their word sequences (catches a
missing or extra word, such as `UpdateDialerConfig` for `UpdateCampaignDialerConfig`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


@lru_cache(maxsize=65536)
def words(name: str) -> tuple[str, ...]:
    """`UpdateCampaignDialerConfig` -> update, campaign, dialer, config; also splits on `-`."""
    return tuple(w.lower() for w in _WORD.findall(name)) or (name.lower(),)


@lru_cache(maxsize=65536)
def _letters(name: str) -> Counter[str]:
    return Counter(name.lower())


def _bag_distance(a: str, b: str) -> int:
    """A cheap lower bound of the edit distance: letters one has and the other lacks
    (a swap changes no counts, an edit changes them by one at most on each side)."""
    ca, cb = _letters(a), _letters(b)
    return max((ca - cb).total(), (cb - ca).total())


def edit_distance(a: Sequence[object], b: Sequence[object], limit: int | None = None) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, swaps."""
    if a == b:
        return 0
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, prev2[j - 2] + 1)
            cur[j] = value
        # Distances never shrink down the rows: once a whole row exceeds the limit, stop.
        if limit is not None and min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[len(b)]


def closeness(wrong: str, candidate: str, threshold: float = 0.5) -> float:
    """0 for equal (case-insensitively), growing with the difference; below ~0.34 is close.
    Scores above `threshold` are only known to be above it (the distance stops early)."""
    wa, wb = words(wrong), words(candidate)
    word_score = edit_distance(wa, wb) / max(len(wa), len(wb))
    # A word-level match counts only when most words are shared.
    if len(wa) < 2 and len(wb) < 2:
        word_score = 1.0
    a, b = wrong.lower(), candidate.lower()
    longest = max(len(a), len(b), 1)
    limit = int(min(word_score, threshold) * longest)
    chars = edit_distance(a, b, limit) / longest
    return min(chars, word_score)


def best_matches(wrong: str, candidates: Iterable[str], limit: int = 3,
                 threshold: float = 0.34) -> list[str]:
    """Up to `limit` candidates close to `wrong`, best first."""
    scored = []
    low = wrong.lower()
    for candidate in candidates:
        if candidate.lower() == low:
            return [candidate]
        # Cheap length filter before the quadratic distance.
        if abs(len(candidate) - len(wrong)) > max(len(wrong), len(candidate)) * 0.6:
            continue
        longest = max(len(wrong), len(candidate), 1)
        wa, wb = words(wrong), words(candidate)
        if (_bag_distance(wrong, candidate) / longest > threshold
                and (len(wa) < 2 or edit_distance(wa, wb) / max(len(wa), len(wb)) > threshold)):
            continue  # neither the letters nor the words can be close enough
        score = closeness(wrong, candidate, threshold)
        if score <= threshold:
            scored.append((score, len(candidate), candidate))
    scored.sort()
    return [c for _, _, c in scored[:limit]]

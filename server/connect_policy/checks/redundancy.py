"""REDUNDANT_ACTION and REDUNDANT_RESOURCE: an entry that another entry of the same `Action`
or `Resource` array already covers.

An entry is redundant when it is listed twice (the later copy is reported) or when a wildcard
entry matches everything it matches: `ecs:Describe*` covers `ecs:DescribeClusters`,
`arn:aws:s3:::bucket-*` covers `arn:aws:s3:::bucket-*/*` (IAM's `*` runs past `/` and `:`).
Actions compare case-insensitively, ARNs case-sensitively, as IAM does. This reproduces IAM
Access Analyzer's findings on the AWS managed policies; Access Analyzer reports each group of
overlapping entries once with every entry as a location, we report each entry that can go,
on the entry, with a fix that removes it from the array.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..document.policy import Statement
from ..document.syntax import JsonArray, JsonString
from ..document.text import Span
from ..findings import Finding, Fix, TextEdit
from .context import CheckContext

# element, issue code, whether entries compare case-insensitively
ELEMENTS = (("Action", "REDUNDANT_ACTION", True), ("Resource", "REDUNDANT_RESOURCE", False))


@dataclass(frozen=True, slots=True)
class _Entry:
    index: int
    node: JsonString
    key: str  # the text as compared (lower case for actions)

    @property
    def wildcard(self) -> bool:
        return "*" in self.key or "?" in self.key


def check(context: CheckContext) -> Iterator[Finding]:
    for statement in context.policy.statements:
        yield from check_statement(context, statement)


def check_statement(context: CheckContext, statement: Statement) -> Iterator[Finding]:
    for element, code, fold in ELEMENTS:
        array = statement.value(element)
        if not isinstance(array, JsonArray) or len(array.items) < 2:
            continue
        for entry, cover in redundant_entries(array, fold):
            yield _finding(code, element, array, entry, cover)


def redundant_entries(array: JsonArray, fold: bool) -> Iterator[tuple[_Entry, _Entry]]:
    """Each redundant entry with the entry that covers it, in array order."""
    entries = [_Entry(i, item, item.value.lower() if fold else item.value)
               for i, item in enumerate(array.items) if isinstance(item, JsonString)]
    first: dict[str, _Entry] = {}
    # Wildcard entries by their literal head (the text before the first wildcard): an entry
    # can only cover texts that start with its head.
    by_head: dict[str, list[_Entry]] = {}
    for entry in entries:
        first.setdefault(entry.key, entry)
        if entry.wildcard:
            head = re.split(r"[*?]", entry.key, maxsplit=1)[0]
            by_head.setdefault(head, []).append(entry)
    if not by_head and len(first) == len(entries):
        return  # no wildcard and no repeat: nothing to cover
    lengths = sorted({len(head) for head in by_head})
    for entry in entries:
        earlier = first[entry.key]
        if earlier is not entry:
            yield entry, earlier
            continue
        cover = _covering(entry, by_head, lengths, fold)
        if cover is not None:
            yield entry, cover


def _covering(entry: _Entry, by_head: dict[str, list[_Entry]], lengths: list[int],
              fold: bool) -> _Entry | None:
    key = entry.key
    for length in lengths:
        if length > len(key):
            break
        for other in by_head.get(key[:length], ()):
            if other.key == key or not covers(other.key, key, fold):
                continue
            # Two different patterns that cover each other (`a*` and `a**`): keep the first.
            if other.index > entry.index and entry.wildcard and covers(key, other.key, fold):
                continue
            return other
    return None


@lru_cache(maxsize=65536)
def covers(pattern: str, other: str, fold: bool) -> bool:
    """Whether every text that `other` matches, `pattern` matches too: `pattern`'s `*` takes
    any run of `other` (its wildcards included), its `?` one character that is not a `*`."""
    if fold:
        pattern, other = pattern.lower(), other.lower()
    p = t = 0
    last_star, resume = -1, 0
    while t < len(other):
        if p < len(pattern) and pattern[p] == "*":
            last_star, resume = p, t
            p += 1
        elif p < len(pattern) and (pattern[p] == other[t]
                                   or (pattern[p] == "?" and other[t] != "*")):
            p += 1
            t += 1
        elif last_star >= 0:
            p = last_star + 1
            resume += 1
            t = resume
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)


def remove_item_fix(array: JsonArray, index: int, title: str) -> Fix | None:
    """Remove one entry with its comma, keeping the array's layout; None for a lone entry."""
    items = array.items
    if len(items) < 2 or not 0 <= index < len(items):
        return None
    if index + 1 < len(items):
        span = Span(items[index].start, items[index + 1].start)
    else:
        span = Span(items[index - 1].end, items[index].end)
    return Fix(title, (TextEdit(span, ""),), preferred=True)


def _finding(code: str, element: str, array: JsonArray, entry: _Entry,
             cover: _Entry) -> Finding:
    text, other = entry.node.value, cover.node.value
    shown, other_shown = _short(text), _short(other)
    fix = remove_item_fix(array, entry.index, f'Remove "{shown}"')
    noun, noun_ko = ("action", "작업") if element == "Action" else ("resource", "리소스")
    if entry.key == cover.key:
        same = "" if text == other else f' (as "{other_shown}")'
        message = (f'"{shown}" is listed twice in this "{element}"{same}, also at index '
                   f"{cover.index}: remove this copy")
        ko = (f'"{shown}"이(가) 이 "{element}"에 두 번 나옵니다(인덱스 {cover.index}에도 '
              "있음). 이 사본을 제거하세요")
    else:
        extra = ""
        extra_ko = ""
        if element == "Resource":
            extra = """ (IAM's "*" also matches "/" and ":")"""
            extra_ko = ' (IAM의 "*"는 "/"와 ":"도 포함합니다)'
        message = (f'The {noun} "{shown}" is already covered by "{other_shown}" (index '
                   f'{cover.index}) in this "{element}"{extra}: remove it')
        ko = (f'{noun_ko} "{shown}"은(는) 이 "{element}"의 "{other_shown}"(인덱스 '
              f"{cover.index})에 이미 포함됩니다{extra_ko}. 제거하세요")
    return Finding(code, message, entry.node.span, (fix,) if fix else (),
                   {"covered_by": other, "covered_by_index": cover.index,
                    "covered_by_span": cover.node.span},
                   translations={"ko": ko})


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

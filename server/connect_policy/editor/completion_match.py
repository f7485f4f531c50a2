"""Filtering and ranking of completion items by what the user has typed.

The server filters because clients that get an edit range (`textEdit`, or LSP 3.17's
`itemDefaults.editRange`) may leave it to the server: Neovim 0.11 keeps every such item and,
with its default `completeopt`, inserts the first one. The typed text is what lies between the
start of the list's edit range and the cursor, and it is matched against each item's filter
text (the label when there is none), case-insensitively:

1. prefix matches: the item's text starts with the typed text (`connect:DescribeU` finds
   `connect:DescribeUser`);
2. word matches, ranked after every prefix match: the typed letters and digits, cut into
   pieces that each begin a word of the item, in order (`connect:DescU` and `connect:user`
   find `connect:DescribeUser`; words split at camel case, digits and punctuation), so that
   what a fuzzy-filtering client such as VS Code shows is still among the results.

Within each class the items keep the order clients give them (by sort text, else by label).
An item of the second class gets a sort text that sorts after every item of the first, so
clients that sort by it show the server's ranking. Lists are cut to `ITEM_LIMIT` items; a list
that lost items (to the filter or to the limit) is marked incomplete, so that clients ask again
as the user types instead of filtering the shorter list themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from ..catalog.suggest import words
from .completion_items import CompletionItem

# Enough to fill any menu; a client shows the rest after one more keystroke.
ITEM_LIMIT = 100

# Sorts after digits and letters (every sort text and label the items use starts with one,
# or with `$`, `*` or `{`, which sort earlier still).
_AFTER_PREFIX_MATCHES = "~"
# Typed text longer than this is matched by prefix only (the word match backtracks).
_LONGEST_WORD_QUERY = 64
# Text an edit range may start with before what the user typed: the opening quote of a
# member name, and the braces and blank lines of an empty statement.
_LEADING_PUNCTUATION = " \t\r\n\"{"

_SEPARATOR = "\x1f"  # between the words of an item (no item text contains it)


def order_key(item: CompletionItem) -> str:
    """What clients sort by."""
    return item.sort_text or item.label


def typed_query(typed: str) -> str:
    return typed.lstrip(_LEADING_PUNCTUATION)


def rank_items(items: Iterable[CompletionItem], typed: str, limit: int = ITEM_LIMIT
         ) -> tuple[list[CompletionItem], bool]:
    """The items that match `typed` (the text from the edit range's start to the cursor),
    best first, at most `limit`; and whether any item was left out."""
    ordered = sorted(items, key=order_key)
    query = typed_query(typed).lower()
    if not query:
        return ordered[:limit], len(ordered) > limit
    prefixed: list[CompletionItem] = []
    others: list[CompletionItem] = []
    for item in ordered:
        text = _match_text(item)
        (prefixed if text.lower().startswith(query) else others).append(item)
    matches = prefixed
    if len(prefixed) < limit and others:
        pattern = _word_pattern(query)
        if pattern is not None:
            for item in others:
                if pattern.search(_word_form(_match_text(item))):
                    matches.append(replace(
                        item, sort_text=_AFTER_PREFIX_MATCHES + order_key(item)))
                    if len(matches) > limit:
                        break
    return matches[:limit], len(matches) < len(ordered) or len(matches) > limit


def _match_text(item: CompletionItem) -> str:
    return (item.filter_text or item.label).lstrip("{")


@lru_cache(maxsize=65536)
def _word_form(text: str) -> str:
    """`connect:DescribeUser` -> "\\x1fconnect\\x1fdescribe\\x1fuser": each word (as
    did-you-mean suggestions split names) after a separator, lowercase."""
    return "".join(_SEPARATOR + word for word in words(text))


@lru_cache(maxsize=256)
def _word_pattern(query: str) -> re.Pattern[str] | None:
    """A pattern that matches the word form of an item whose words the query's letters and
    digits begin, in pieces, in order; None when the query has none or is too long."""
    characters = [c for c in query if c.isalnum()]
    if not characters or len(characters) > _LONGEST_WORD_QUERY:
        return None
    # Each next character either continues the current piece or starts a later word.
    later_word = f"(?:.*{_SEPARATOR})?"
    body = later_word.join(re.escape(c) for c in characters)
    return re.compile(f"{_SEPARATOR}{body}", re.DOTALL)

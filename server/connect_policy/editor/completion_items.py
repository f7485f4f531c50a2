"""What completion returns: items in core terms, one replacement span per list."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from ..document.location import CursorLocation, previous_significant
from ..document.text import Span


class ItemKind(Enum):
    SERVICE = "service"
    ACTION = "action"
    WILDCARD = "wildcard"
    CONDITION_KEY = "condition_key"
    ELEMENT = "element"  # a policy or statement element name (`"Action": […]`)
    VALUE = "value"  # a fixed value (`Allow`, `2012-10-17`)
    OPERATOR = "operator"  # a condition operator
    ARN = "arn"  # a resource ARN
    VARIABLE = "variable"  # a policy variable (`${aws:username}`)
    SNIPPET = "snippet"  # whole statements for a job
    ARN_PART = "arn_part"  # one segment of an ARN (`aws`, `connect`, `us-east-1`, …)
    # A CloudFormation pseudo parameter in a `Fn::Sub` string (`${AWS::Region}`).
    PARAMETER = "parameter"


@dataclass(frozen=True, slots=True)
class CompletionItem:
    label: str
    kind: ItemKind
    new_text: str  # replaces `CompletionList.span`; a snippet when `snippet` is set
    detail: str = ""
    documentation: str = ""  # Markdown
    sort_text: str = ""
    filter_text: str = ""
    snippet: bool = False
    # Ask the client to complete again after inserting (after `connect:`, the actions).
    retrigger: bool = False
    # What this item replaces when not the list's span (a statement snippet replaces the
    # empty `{}` it is typed in, while the element names insert at the cursor).
    span: Span | None = None

    @property
    def plain_text(self) -> str:
        """`new_text` for clients without snippets: each tab stop's default, no escapes."""
        return snippet_to_plain(self.new_text) if self.snippet else self.new_text


@dataclass(frozen=True, slots=True)
class CompletionList:
    span: Span
    items: list[CompletionItem]
    # Items were left out (by what is typed, or past the limit): ask again as typing goes on.
    incomplete: bool = False


_SNIPPET_PART = re.compile(r"\\(.)|\$\{\d+:((?:[^}\\]|\\.)*)\}|\$\{\d+\|([^,|]*)[^}]*\}|\$\d+")


def snippet_to_plain(text: str) -> str:
    """The text a snippet inserts when every tab stop keeps its default (choices: the first)."""
    def plain(match: re.Match[str]) -> str:
        escaped, default, choice = match.groups()
        if escaped is not None:
            return escaped
        if default is not None:
            return re.sub(r"\\(.)", r"\1", default)
        return choice or ""
    return _SNIPPET_PART.sub(plain, text)


def snippet_escape(text: str) -> str:
    """Literal text inside a snippet."""
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")


def language(locale: str | None) -> str:
    """The language of the notes and labels for a client's locale: "ko" or "en"."""
    return "ko" if locale and locale.lower().startswith("ko") else "en"


def value_place(text: str, offset: int, location: CursorLocation, in_host: bool
                ) -> tuple[Span, str] | None:
    """Where a string value's item goes and the quote it brings: the string's content when
    the cursor is in one; in JSON, the cursor itself after `:`, `[` or `,` (the item brings
    its quotes); None elsewhere (hosts write the quotes themselves)."""
    if location.in_string:
        return location.content, ""
    if not in_host and previous_significant(text, offset) in (":", "[", ","):
        return Span(offset, offset), '"'
    return None

"""The cursor's location in a Terraform string that is still being typed.

Editors without auto-closing quotes (Neovim's default) send `Action = ["connect:Desc` with
no closing quote; tree-sitter-hcl then reads the string on over the following lines and the
policy is lost. So the string is closed at the cursor (with the brackets the line opened),
the text parsed again, and the location read from that tree by
`host_location.locate_in_tree`: every offset before the cursor is the same in both texts.
The location says which quote the completed item must bring (`closing`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..document.text import Span
from .host_location import HostLocation, locate_in_tree, policy_at
from .terraform import find_policies

# Where a word being typed ends, after the cursor.
_WORD_END = re.compile(r"""[\s,\[\]{}()"=]|$""")
_CLOSING = {"[": "]", "{": "}", "(": ")"}


def locate_completed(text: str, offset: int) -> HostLocation | None:
    """The location at `offset` when the cursor is in a string left open on its line;
    None otherwise (the tree had its chance first)."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    if line_end < 0:
        line_end = len(text)
    closers = open_string_closers(text[line_start:offset])
    if closers is None or '"' in text[offset:line_end]:
        return None  # not in a string, or one that is closed later on the line
    end = _WORD_END.search(text, offset, line_end)
    content_end = end.start() if end is not None else line_end
    patched = text[:content_end] + '"' + closers + text[line_end:]
    embedded = policy_at([p.embedded for p in find_policies(patched).policies], offset)
    if embedded is None:
        return None
    found = locate_in_tree(embedded, patched, offset)
    if found is None or not found.location.in_string:
        return None
    location = found.location
    content = Span(location.content.start, max(offset, content_end))
    return replace(found, location=replace(location, content=content), closing='"')


def open_string_closers(before: str) -> str | None:
    """When `before` (a line up to the cursor) ends inside a quoted string: what closes the
    brackets opened on the line before it; None when the cursor is outside a string."""
    stack: list[str] = []
    in_string = False
    depth = 0  # `${ … }` inside a string
    i = 0
    while i < len(before):
        ch = before[i]
        if in_string:
            if ch == "\\":
                i += 1
            elif depth == 0 and ch == '"':
                in_string = False
            elif before.startswith("${", i) and not before.startswith("$${", i - 1):
                depth += 1
                i += 1
            elif ch == "}" and depth:
                depth -= 1
        elif ch == '"':
            in_string = True
        elif ch == "#" or before.startswith("//", i):
            return None  # a comment
        elif ch in _CLOSING:
            stack.append(_CLOSING[ch])
        elif ch in ")]}" and stack and stack[-1] == ch:
            stack.pop()
        i += 1
    if not in_string or depth:
        return None
    return "".join(reversed(stack))

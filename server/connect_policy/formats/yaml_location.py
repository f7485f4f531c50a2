"""The cursor's location in YAML the parser cannot read yet.

While a line is being typed it is often no YAML: a key without its colon (`Acti`), an
unclosed flow list (`Action: [connect:Desc`), an unterminated quote, a value ending in a
colon (`connect:`). tree-sitter then drops that text, or the whole document. So the line is
completed up to the cursor (the rest of the line left out, a placeholder character typed
at the cursor, the open quotes and brackets closed, a colon after a bare key), the text
re-parsed, and the location read from that tree by `host_location.locate_in_tree`: every
offset before the cursor is the same in both texts. Only what the tree cannot say is read
from the line here.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..document.text import Span
from .host import yaml_policies
from .host_location import HostLocation, locate_in_tree, policy_at

# Typed at the cursor so that the text there is a scalar (a plain letter: never YAML syntax).
_PLACEHOLDER = "x"
# The line's indentation and list markers, then what is typed.
_LINE = re.compile(r"^([ ]*(?:-[ ]+)*)(.*)$")
# `Key: value…` (the key plain or quoted, no `#` or `: ` inside it).
_PAIR = re.compile(r"""^((?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'#\[\]{},][^#]*?))"""
                   r":([ \t]+)(.*)$")
# Where a scalar being typed ends, after the cursor.
_SCALAR_END = re.compile(r"""[\s,\[\]{}"'#]|$""")

def locate_completed(text: str, offset: int) -> HostLocation | None:
    """The location at `offset` read from the text with the cursor's line completed; None
    at once in YAML that names no template or policy element at its top (a workflow)."""
    if _HOST_HINT.search(text) is None:
        return None
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    if line_end < 0:
        line_end = len(text)
    before = text[line_start:offset]
    completed, is_new_key = _completed_line(before)
    if completed is None:
        return None
    # A quote left open with nothing closing it on the line (no auto-closing quote, as in
    # Neovim by default): the completed value brings it (a key's name comes alone).
    added = completed[len(before) + len(_PLACEHOLDER):]
    quote = added[0] if added[:1] in ("'", '"') else ""
    closing = quote if quote and not is_new_key and quote not in text[offset:line_end] else ""
    patched = _around(text[:line_start] + completed + text[line_end:], line_start)
    embedded = policy_at(yaml_policies(patched), offset)
    if embedded is None:
        return None
    found = locate_in_tree(embedded, patched, offset)
    if found is None or not found.location.in_string:
        return None
    # The content as typed: from its start to the end of the scalar in the real text.
    location = found.location
    end = _SCALAR_END.search(text, offset, line_end)
    content_end = end.start() if end is not None else line_end
    content = Span(location.content.start, max(offset, content_end))
    # A key given its `:` here has none in the text: its whole member is to be written.
    return replace(found, location=replace(location, content=content),
                   name_only=found.name_only and not is_new_key, closing=closing)


# What a template or YAML policy has at its top.
_HOST_HINT = re.compile(r"^(?:Resources|AWSTemplateFormatVersion|Statement|Version|Effect)"
                        r"[ \t]*:", re.MULTILINE)
# A template's `Resources:` line, and a line that starts an entry at some indentation.
_RESOURCES = re.compile(r"^Resources[ \t]*:[ \t]*(?:#.*)?$", re.MULTILINE)
_ENTRY = re.compile(r"^( *)[^ \n#]", re.MULTILINE)


def _around(text: str, line_start: int) -> str:
    """In a template, only the `Resources:` line and the resource the cursor's line is in,
    at their offsets (the rest blanked before, cut after): what the location needs, parsed
    in a fraction of the time a large template takes."""
    resources = _RESOURCES.search(text, 0, line_start)
    if resources is None:
        return text
    first = _ENTRY.search(text, resources.end())
    if first is None or first.start() >= line_start or not first.group(1):
        return text
    depth = len(first.group(1))
    entry = re.compile(rf"^ {{0,{depth}}}[^ \n#]", re.MULTILINE)
    # The last entry of `Resources` that starts at or before the cursor's line.
    start = first.start()
    for match in entry.finditer(text, first.start(), line_start + 1):
        start = match.start()
    if text[start:start + depth + 1].strip() == "" or text[start] != " ":
        return text  # the cursor is not inside a resource
    end_match = entry.search(text, text.find("\n", max(start, line_start)) + 1)
    end = end_match.start() if end_match is not None and end_match.start() > line_start \
        else len(text)
    head = text[:resources.end()]
    return head + _blanked(text[resources.end():start]) + text[start:end]


# Every byte but the line break as a space (bytes.translate runs in C).
_SPACES = bytes(10 if byte == 10 else 32 for byte in range(256))


def _blanked(region: str) -> str:
    """`region` with its lines blanked as comments (`#` at their start, after the first
    line's break) rather than spaces: a long line of spaces is deep indentation to the YAML
    limits' count, which would then count every line. Offsets stay where they were."""
    if region.isascii():
        return region.encode("ascii").translate(_SPACES).decode("ascii").replace("\n ", "\n#")
    first, *lines = region.split("\n")
    return "\n".join([" " * len(first), *("#" + " " * (len(line) - 1) if line else ""
                                            for line in lines)])


def _completed_line(before: str) -> tuple[str | None, bool]:
    """The line up to the cursor made readable, and whether a `:` was added after a bare
    key; None when the cursor is in a comment."""
    match = _LINE.match(before)
    if match is None:
        return None, False
    lead, typed = match.groups()
    if "#" in typed and _outside_quotes(typed, typed.index("#")):
        return None, False
    pair = _PAIR.match(typed)
    if pair is not None:
        value = pair.group(3)
        return before + _PLACEHOLDER + _closers(value), False
    if lead.strip() or typed.startswith(("[", "{")):
        # A list item (`- conn`, `- `) or a flow collection: a scalar in it.
        return before + _PLACEHOLDER + _closers(typed), False
    # A word on its own line in a mapping (plain or quoted): a key being typed.
    if typed.endswith(":"):
        return None, False
    return before + _PLACEHOLDER + _closers(typed) + ":", True


def _outside_quotes(typed: str, at: int) -> bool:
    return typed.count('"', 0, at) % 2 == 0 and typed.count("'", 0, at) % 2 == 0 and (
        at == 0 or typed[at - 1] in " \t")


def _closers(value: str) -> str:
    """What closes the quotes and flow brackets left open in `value`."""
    stack: list[str] = []
    quote = ""
    i = 0
    while i < len(value):
        ch = value[i]
        if quote == '"':
            if ch == "\\":
                i += 1
            elif ch == '"':
                quote = ""
        elif quote == "'":
            if ch == "'":
                if value[i + 1:i + 2] == "'":
                    i += 1
                else:
                    quote = ""
        elif ch in "\"'" and (i == 0 or value[i - 1] in " \t[{,:"):
            quote = ch
        elif ch in "[{":
            stack.append("]" if ch == "[" else "}")
        elif ch in "]}" and stack:
            stack.pop()
        i += 1
    return quote + "".join(reversed(stack))


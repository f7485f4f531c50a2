"""Completion of the policy's structure: element names (only the missing ones, each with a
snippet of its value's shape), the values of `Effect` and `Version`, `Principal` keys, and
whole statements for the source material's jobs inside the `Statement` array.

Multi-line insertions are indented here, in the document's own style (tab or N spaces, and
the current line's indentation), so clients insert them as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..catalog.source_notes import element_note
from ..document.location import (
    CursorLocation,
    enclosing_object_keys,
    next_significant,
    previous_significant,
)
from ..document.text import Span, indent_unit, line_indent
from .completion_items import CompletionItem, CompletionList, ItemKind
from .principal_notes import type_note
from .snippets import JOB_SNIPPETS

_POLICY_ELEMENTS = ("Version", "Statement", "Id")
_STATEMENT_ELEMENTS = ("Effect", "Action", "Resource", "Condition", "Sid", "NotAction",
                       "NotResource", "Principal", "NotPrincipal")
_EXCLUSIVE = {"Action": "NotAction", "NotAction": "Action", "Resource": "NotResource",
              "NotResource": "Resource", "Principal": "NotPrincipal",
              "NotPrincipal": "Principal"}
_PRINCIPAL_KEYS = ("AWS", "Service", "Federated", "CanonicalUser")
# Elements that only resource-based and trust policies have: offered when the document
# already names a principal somewhere (an identity policy must not have one).
_PRINCIPAL_ELEMENTS = frozenset({"Principal", "NotPrincipal"})
_HAS_PRINCIPAL = re.compile(r'"(?:Not)?Principal"\s*:')
_VALUES = {
    "Effect": (("Allow", "Grants the actions on the resources."),
               ("Deny", "Refuses the actions on the resources, whatever else allows them.")),
    "Version": (("2012-10-17", "The current version of the policy language. Use it: policy "
                 "variables are substituted only in this version."),
                ("2008-10-17", "An older version, without policy variables. Prefer "
                 "`2012-10-17`.")),
}


@dataclass(frozen=True, slots=True)
class IndentStyle:
    unit: str  # one level of indentation
    base: str  # the indentation of the line the insertion starts on

    def lines(self, *lines: tuple[int, str]) -> str:
        """Joins (depth, text) lines; the first is at the cursor, the rest indented."""
        first, *rest = lines
        return first[1] + "".join(f"\n{self.base}{self.unit * depth}{line}"
                                  for depth, line in rest)


def complete_structure(text: str, offset: int, location: CursorLocation,
                       locale: str | None = None, principals: bool | None = None
                       ) -> CompletionList | None:
    """Element names, Effect/Version values and job statements, when the cursor is at one.
    `principals` says whether `Principal` is offered (by default: when the text has one)."""
    path = location.path
    if location.is_key:
        names = _element_names(text, offset, location, locale, principals)
        if names is not None and _is_statement_array_item(path) and not location.in_string \
                and _in_empty_object(text, offset):
            # In the `{}` an editor closes on its own: the names, or a whole job's statements.
            jobs = _job_snippets(text, offset, _empty_object_span(text, offset), locale)
            names.items.extend(replace(item, span=jobs.span, filter_text="{" + item.label)
                               for item in jobs.items)
        return names
    if is_value_position(path):
        return _values(text, offset, location, str(path[-1]))
    if (not location.in_string and _is_statement_array_item(path)
            and previous_significant(text, offset) in ("[", ",")):
        return _job_snippets(text, offset, Span(offset, offset), locale)
    return None


def _is_statement_array_item(path: tuple[str | int, ...]) -> bool:
    """In the `Statement` array, or in a bare array of statements."""
    return (len(path) == 2 and path[0] == "Statement" and isinstance(path[1], int)) or (
        len(path) == 1 and isinstance(path[0], int))


def is_value_position(path: tuple[str | int, ...]) -> bool:
    """At the value of `Effect` or `Version`."""
    if not path or path[-1] not in _VALUES:
        return False
    if path == ("Version",):
        return True
    return path[-1] == "Effect" and (len(path) == 1 or _is_statement_array_item(path[:-1])
                                     or path[:-1] == ("Statement",))


# --- Element names ---------------------------------------------------------------------------


def _element_names(text: str, offset: int, location: CursorLocation, locale: str | None,
                   principals: bool | None) -> CompletionList | None:
    keys = enclosing_object_keys(text, offset) or ()
    missing = missing_elements(location.path, keys, lambda: principals is not False)
    if missing is None:
        return None
    # A JSON file has no policy type: once it names a principal it is a resource or trust
    # policy and `Principal` ranks with the rest. Before that it is still offered, since the
    # first statement of a new trust or bucket policy has none yet, but after the elements
    # of an identity policy (where it is not allowed), and marked as for those types.
    later: frozenset[str] = frozenset()
    if principals is None and _PRINCIPAL_ELEMENTS.intersection(missing) and not \
            _HAS_PRINCIPAL.search(text):
        later = _PRINCIPAL_ELEMENTS
        missing = [n for n in missing if n not in later] + [n for n in missing if n in later]
    span, name_only = key_span(text, offset, location)
    if name_only:
        # The value is already there: complete the name alone.
        return CompletionList(span, [_for_types(element_item(n, n, rank, locale, False),
                                                later, locale)
                                     for rank, n in enumerate(missing)])
    style = member_style(text, span.start)
    comma = "," if next_significant(text, span.end) in ('"', "{") else ""
    return CompletionList(span, [
        _for_types(element_item(n, _member(n, style) + comma, rank, locale, True), later, locale)
        for rank, n in enumerate(missing)])


def _for_types(item: CompletionItem, later: frozenset[str], locale: str | None
               ) -> CompletionItem:
    if item.label not in later:
        return item
    korean = bool(locale and locale.lower().startswith("ko"))
    return replace(item, detail="리소스·신뢰 정책 요소" if korean else
                   "resource and trust policy element")


def missing_elements(path: tuple[str | int, ...], keys: Sequence[str],
                     principals: Callable[[], bool]) -> list[str] | None:
    """The element names an object at `path` lacks, given the names it has (`Principal`
    only when `principals()` says the policy takes one); None where the path holds no
    policy object."""
    present = {k.lower() for k in keys}
    if path and path[-1] in ("Principal", "NotPrincipal"):
        names: tuple[str, ...] = _PRINCIPAL_KEYS
    elif path == ():
        statement_like = present & {e.lower() for e in _STATEMENT_ELEMENTS} and not (
            present & {e.lower() for e in _POLICY_ELEMENTS})
        names = _STATEMENT_ELEMENTS if statement_like else _POLICY_ELEMENTS
    elif path == ("Statement",) or _is_statement_array_item(path):
        names = _STATEMENT_ELEMENTS
    else:
        return None
    if _PRINCIPAL_ELEMENTS.intersection(names):
        if not principals():
            names = tuple(n for n in names if n not in _PRINCIPAL_ELEMENTS)
        else:
            # Who the statement is for comes right after its effect in these policies.
            rest = tuple(n for n in names if n != "Principal")
            names = (*rest[:1], "Principal", *rest[1:]) if rest[:1] == ("Effect",) else (
                "Principal", *rest)
    return [n for n in names if n.lower() not in present
            and _EXCLUSIVE.get(n, "").lower() not in present]


def key_span(text: str, offset: int, location: CursorLocation) -> tuple[Span, bool]:
    """What an element name replaces, and whether only the name (the value follows)."""
    if location.in_string:
        content = location.content
        end = content.end + 1 if text[content.end:content.end + 1] == '"' else content.end
        if next_significant(text, end) == ":":
            return content, True
        return Span(content.start - 1, end), False
    start = offset
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    return Span(start, offset), False


def _member(name: str, style: IndentStyle) -> str:
    """`"Name": value` as a snippet, the value in its right shape."""
    quoted = f'"{name}": '
    if name == "Version":
        return quoted + '"2012-10-17"'
    if name in ("Id", "Sid"):
        return quoted + '"$1"'
    if name == "Effect":
        return quoted + '"${1|Allow,Deny|}"'
    if name in ("Action", "NotAction", "Resource", "NotResource"):
        return quoted + '["$1"]'
    if name in ("Principal", "NotPrincipal"):
        return quoted + '{"${1|AWS,Service,Federated,CanonicalUser|}": "$2"}'
    if name in _PRINCIPAL_KEYS:
        return quoted + '"$1"'
    if name == "Condition":
        return style.lines((0, quoted + "{"), (1, '"$1": {'), (2, '"$2": "$3"'), (1, "}"),
                           (0, "}"))
    # Statement: one statement to fill in.
    return style.lines((0, quoted + "["), (1, "{"), (2, '"Effect": "${1|Allow,Deny|}",'),
                       (2, '"Action": ["$2"],'), (2, '"Resource": ["${3:*}"]'), (1, "}"),
                       (0, "]"))


def element_item(name: str, new_text: str, rank: int, locale: str | None, snippet: bool
                  ) -> CompletionItem:
    retrigger = name in ("Action", "NotAction", "Resource", "NotResource", "Condition", "AWS",
                         "Service", "Federated")
    korean = bool(locale and locale.lower().startswith("ko"))
    note = element_note(name, locale) or type_note(name, "ko" if korean else "en") or ""
    return CompletionItem(name, ItemKind.ELEMENT, new_text, "policy element", note,
                          f"0{rank}_{name}", name,
                          snippet=snippet, retrigger=retrigger and snippet)


# --- Values ----------------------------------------------------------------------------------


def _values(text: str, offset: int, location: CursorLocation, element: str
            ) -> CompletionList | None:
    if location.in_string:
        span, quote = location.content, ""
    else:
        # An unquoted value being typed (`"Effect": Al`): what it replaces starts after `:`.
        start = offset
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-"):
            start -= 1
        if previous_significant(text, start) != ":":
            return None
        span, quote = Span(start, offset), '"'
    return value_items(span, element, quote)


def value_items(span: Span, element: str, quote: str = "") -> CompletionList:
    """The values of `Effect` or `Version`, each in `quote`."""
    return CompletionList(span, [
        CompletionItem(value, ItemKind.VALUE, f"{quote}{value}{quote}", element, note,
                       f"{rank}", value)
        for rank, (value, note) in enumerate(_VALUES[element])])


# --- Job statements --------------------------------------------------------------------------


def _in_empty_object(text: str, offset: int) -> bool:
    return (previous_significant(text, offset) == "{"
            and next_significant(text, offset) == "}")


def _empty_object_span(text: str, offset: int) -> Span:
    start = text.rindex("{", 0, offset)
    end = text.index("}", offset) + 1
    return Span(start, end)


_SID = re.compile(r'"Sid"\s*:\s*"((?:[^"\\]|\\.)*)"')


def _job_snippets(text: str, offset: int, span: Span, locale: str | None) -> CompletionList:
    style = member_style(text, span.start)
    taken = frozenset(_SID.findall(text))
    comma = "," if next_significant(text, span.end) == "{" else ""
    korean = bool(locale and locale.lower().startswith("ko"))
    items = []
    for rank, job in enumerate(JOB_SNIPPETS):
        body = job.render(style.unit, style.base, True, taken) + comma
        preview = job.render(style.unit, "", False, taken)
        description = job.description_ko if korean else job.description
        items.append(CompletionItem(
            job.name, ItemKind.SNIPPET, body, "statement",
            f"{description}\n\n```json\n{preview}\n```", f"{rank:02d}", job.name,
            snippet=True))
    return CompletionList(span, items)


# --- Style -----------------------------------------------------------------------------------


def member_style(text: str, at: int) -> IndentStyle:
    """The document's indentation unit, and the indentation of the line `at` is on."""
    return IndentStyle(indent_unit(text, default="    "), line_indent(text, at))

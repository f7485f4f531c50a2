"""Completion of condition operators, resource ARNs and policy variables.

Operators fit the keys already in their block (type, single- or multivalued), ARNs come from
the resource types of the statement's actions, and variables are the single-valued request
keys IAM substitutes (`${aws:username}`), offered inside `Resource` and condition values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ..catalog.global_keys import GLOBAL_CONDITION_KEYS
from ..catalog.operators import (
    CONDITION_OPERATORS,
    IF_EXISTS_SUFFIX,
    operators_matching_prefix,
    parse_operator,
)
from ..catalog.services import Action, ServiceCatalog
from ..checks.arns import action_formats
from ..checks.conditions import KeyInfo, resolve_key
from ..document.location import CursorLocation, enclosing_object_keys, next_significant
from ..document.text import Span
from .completion_elements import key_span, member_style
from .completion_items import CompletionItem, CompletionList, ItemKind, snippet_escape

# --- Operators -------------------------------------------------------------------------------

_OPERATOR_DOCS = {op.name: op for op in CONDITION_OPERATORS}


def operator_items(text: str, offset: int, location: CursorLocation, catalog: ServiceCatalog
                   ) -> CompletionList:
    """Operators for the key of a `Condition` member; when the block already names keys,
    only the operators that fit all of them."""
    span, name_only = key_span(text, offset, location)
    keys = _block_keys(text, span, name_only)
    if name_only:
        return CompletionList(span, operator_list(keys, catalog, None))
    style = member_style(text, span.start)
    comma = "," if next_significant(text, span.end) == '"' else ""
    body = ": " + style.lines((0, "{"), (1, '"$1": "$2"'), (0, "}")) + comma
    return CompletionList(span, operator_list(keys, catalog, lambda s: f'"{s}"{body}'))


def operator_list(keys: Iterable[str], catalog: ServiceCatalog,
                  member: Callable[[str], str] | None) -> list[CompletionItem]:
    """Every operator that fits the block's `keys`: the name alone, or with `member` the
    snippet of a whole member (`"StringEquals": {…}`) that asks for completion again."""
    infos = [info for key in keys if isinstance(info := resolve_key(catalog, key), KeyInfo)]
    spellings = [s for s in operators_matching_prefix("") if _fits(s, infos)]
    items = []
    for rank, spelling in enumerate(spellings):
        parsed = parse_operator(spelling)
        assert parsed is not None  # every listed spelling parses
        op = parsed.operator
        notes = [op.description]
        if parsed.if_exists:
            notes.append(f"`{IF_EXISTS_SUFFIX}`: also true when the request has no such key.")
        if parsed.qualifier == "ForAnyValue":
            notes.append("`ForAnyValue:` true when at least one of the request's values "
                         "matches (false when the key is missing).")
        elif parsed.qualifier == "ForAllValues":
            notes.append("`ForAllValues:` true when every value of the request matches — "
                         "and when the key is missing, so pair it with a `Null` check.")
        new_text = spelling if member is None else member(spelling)
        items.append(CompletionItem(spelling, ItemKind.OPERATOR, new_text,
                                    f"{op.type} operator", "\n\n".join(notes), f"{rank:03d}",
                                    spelling, snippet=member is not None,
                                    retrigger=member is not None))
    return items


def _block_keys(text: str, span: Span, name_only: bool) -> tuple[str, ...]:
    """The keys of the block whose operator is being written (`"Op": {"key": …}`)."""
    if not name_only:
        return ()
    colon = text.find(":", span.end)
    if colon < 0 or next_significant(text, colon + 1) != "{":
        return ()
    brace = text.index("{", colon)
    return enclosing_object_keys(text, brace + 1) or ()


def _fits(spelling: str, infos: list[KeyInfo]) -> bool:
    parsed = parse_operator(spelling)
    if parsed is None:
        return False
    op = parsed.operator
    for info in infos:
        if op.type == "Null":
            continue
        if not (op.type == "Binary" or op.type in info.accepted):
            return False
        if info.type == "ARN" and op.name in ("StringLike", "StringNotLike"):
            return False  # an ARN operator is the right one for ARN keys
        if info.multivalued != (parsed.qualifier is not None):
            return False
    return True


# --- Resource ARNs ---------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")


def arn_items(span: Span, actions: Iterable[Action], catalog: ServiceCatalog, quote: str
              ) -> CompletionList:
    """`*`, then for each resource type of the statement's actions its ARN with every ID as
    `*`, and as a snippet with a tab stop for the Region, the account and each ID."""
    counts: dict[str, tuple[int, int, str, str]] = {}  # arn -> (required, uses, type, prefix)
    for action, resource, fmt in action_formats(actions, catalog):
        required, uses, _, _ = counts.get(fmt.arn, (0, 0, "", ""))
        counts[fmt.arn] = (required + resource.required, uses + 1, resource.name,
                           action.qualified_name)
    items = [CompletionItem("*", ItemKind.ARN, f"{quote}*{quote}", "every resource",
                            "Every resource of the statement's actions. Name ARNs instead "
                            "when the job allows it (least privilege).", "0", "*")]
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
    for rank, (arn, (_, uses, type_name, example)) in enumerate(ranked):
        used_by = f"`{example}`" + (f" and {uses - 1} more" if uses > 1 else "")
        doc = f"Resource type **{type_name}**, used by {used_by}.\n\n`{arn}`"
        any_id = _PLACEHOLDER.sub(lambda m: "aws" if m.group(1) == "Partition" else "*", arn)
        items.append(CompletionItem(any_id, ItemKind.ARN, f"{quote}{any_id}{quote}",
                                    f"{type_name} (any)", doc, f"1_{rank:03d}a", any_id))
        stops: dict[str, int] = {}
        pieces = []
        for i, piece in enumerate(_PLACEHOLDER.split(arn)):  # odd pieces are placeholders
            if i % 2 == 0:
                pieces.append(snippet_escape(piece))
            elif piece == "Partition":
                pieces.append("aws")
            else:
                number = stops.setdefault(piece, len(stops) + 1)
                pieces.append("${" + f"{number}:{snippet_escape(piece)}" + "}")
        body = "".join(pieces)
        label = _PLACEHOLDER.sub(lambda m: "aws" if m.group(1) == "Partition"
                                 else "{" + m.group(1) + "}", arn)
        items.append(CompletionItem(label, ItemKind.ARN, f"{quote}{body}{quote}",
                                    f"{type_name} (fill in)", doc, f"1_{rank:03d}b", any_id,
                                    snippet=True))
    return CompletionList(span, items)


# --- CloudFormation pseudo parameters --------------------------------------------------------

# The pseudo parameters an ARN is written with in a `Fn::Sub` string: (detail, what
# CloudFormation puts in their place).
PSEUDO_PARAMETERS = {
    "AWS::Partition": ("CloudFormation: the stack's partition",
                       "Replaced by the partition of the stack's Region when the stack is "
                       "deployed (`aws`, `aws-cn`, `aws-us-gov`): the ARN fits every partition."),
    "AWS::Region": ("CloudFormation: the stack's Region",
                    "Replaced by the Region the stack is deployed in (`us-east-1`, ...)."),
    "AWS::AccountId": ("CloudFormation: the stack's account",
                       "Replaced by the ID of the account the stack is deployed in."),
}


def parameter_item(name: str, sort: str, after: str = "", retrigger: bool = False
                   ) -> CompletionItem:
    """`${AWS::Region}` in a `Fn::Sub` string (a snippet: its `$` escaped), then `after`."""
    label = "${" + name + "}"
    detail, doc = PSEUDO_PARAMETERS[name]
    return CompletionItem(label, ItemKind.PARAMETER, snippet_escape(label) + after, detail,
                          f"`{label}`: {doc} Only inside `Fn::Sub` (`!Sub`).", sort, label,
                          snippet=True, retrigger=retrigger)


# --- Policy variables ------------------------------------------------------------------------

_FIRST = ("aws:username", "aws:userid", "aws:PrincipalTag/${TagKey}", "aws:PrincipalAccount")
_VARIABLE_START = re.compile(r"\$(?:\{[^}\"]*)?$")


def variable_span(text: str, location: CursorLocation) -> Span | None:
    """The span of a `${…` being typed at the cursor inside a string, or None."""
    match = _VARIABLE_START.search(location.prefix)
    if match is None:
        return None
    start = location.content.start + match.start()
    end = location.content.start + len(location.prefix)
    close = text.find("}", end, location.content.end)
    if close >= 0 and "${" not in text[end:close]:
        end = close + 1
    return Span(start, end)


def variable_items(span: Span, sub: bool = False) -> CompletionList:
    """The policy variables; in a `Fn::Sub` string also the pseudo parameters (the
    variables' `${!` is written by `completion.in_sub`)."""
    keys = [k for k in GLOBAL_CONDITION_KEYS if not k.multivalued and not k.deprecated]
    keys.sort(key=lambda k: (_FIRST.index(k.name) if k.name in _FIRST else len(_FIRST),
                             k.name.lower()))
    items = []
    for rank, key in enumerate(keys):
        if key.is_template:
            head = snippet_escape(key.template_prefix or "")
            new_text = "\\${" + head + "${1:tag-key}\\}"
        else:
            new_text = "\\${" + snippet_escape(key.name) + "\\}"
        label = "${" + key.name + "}"
        items.append(CompletionItem(label, ItemKind.VARIABLE, new_text, key.type,
                                    f"Replaced by the request's `{key.name}` when the policy "
                                    f"is evaluated.\n\n{key.description}", f"{rank:03d}",
                                    label, snippet=True))
    for rank, (char, meaning) in enumerate((("*", "a literal `*`"), ("?", "a literal `?`"),
                                            ("$", "a literal `$`"))):
        label = "${" + char + "}"
        items.append(CompletionItem(label, ItemKind.VARIABLE, snippet_escape(label),
                                    "special character",
                                    f"Stands for {meaning} where it would otherwise be special.",
                                    f"9{rank}", label, snippet=True))
    if sub:
        items += [parameter_item(name, f"!{rank}") for rank, name in enumerate(PSEUDO_PARAMETERS)]
    return CompletionList(span, items)

"""Tag conditions that some of a statement's actions cannot honour.

With `aws:ResourceTag/…` in a statement's condition, an action that supports no tag key at all
(neither `aws:ResourceTag`, `aws:RequestTag` nor `aws:TagKeys`, on itself or its resource
types) never matches the condition: an Allow never grants it
(ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE) and a Deny never denies it
(DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE), which is how Access Analyzer decides it.
The source material adds actions the catalog gets wrong (`connect-campaigns:ListCampaigns`
and `GetCampaignStateBatch` cannot be restricted by tags). Findings sit on each such action and
on the condition key, and say to move the actions to a statement of their own; for an Allow
they carry the fix that does it (`tag_fixes`, which also says why a Deny gets none).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..catalog import source_notes
from ..catalog.operators import parse_operator
from ..catalog.services import Action, ServiceCatalog
from ..document.policy import Statement, strings_in
from ..document.syntax import JsonObject, JsonString
from ..findings import Finding, Fix
from .context import CheckContext
from .tag_fixes import move_to_own_statement

_TAG_KEY_PREFIXES = ("aws:resourcetag/", "aws:requesttag/", "aws:tagkeys")
_CODES = {"Allow": "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
          "Deny": "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"}


@dataclass(frozen=True, slots=True)
class _Escape:
    node: JsonString  # the action string in the policy
    actions: tuple[str, ...]  # the catalog actions it names that ignore the key
    from_source: bool  # known from the source material, not the catalog
    whole: bool  # every action the entry names ignores the key (always so without wildcards)


def check(context: CheckContext) -> Iterator[Finding]:
    for statement in context.policy.statements:
        effect = statement.value("Effect")
        if not isinstance(effect, JsonString) or effect.value not in _CODES:
            continue
        condition = statement.value("Condition")
        if not isinstance(condition, JsonObject):
            continue
        fix: Fix | None = None
        for key in _resource_tag_keys(condition):
            escapes = list(_escapes(statement, context.catalog))
            if escapes:
                if fix is None and effect.value == "Allow":
                    fix = _move_fix(context, statement, escapes)
                yield from _findings(effect.value, key, escapes, fix)


def _move_fix(context: CheckContext, statement: Statement, escapes: list[_Escape]
              ) -> Fix | None:
    """Move the entries that only name actions the tag condition cannot restrict (a wildcard
    that also names actions it does restrict stays: moving it would drop the condition for
    those too). Only for Allow: see `tag_fixes` for why a Deny gets no such fix."""
    moved = [e for e in escapes if e.whole]
    return move_to_own_statement(context.text, context.policy, statement, [e.node for e in moved],
                                 [a for e in moved for a in e.actions], context.catalog)


def _resource_tag_keys(condition: JsonObject) -> Iterator[JsonString]:
    """`aws:ResourceTag/…` keys under operators that fail when the key is absent (not Null,
    not …IfExists, which let such requests through on purpose)."""
    for block in condition.members:
        parsed = parse_operator(block.key.value)
        if parsed is None or parsed.if_exists or parsed.operator.name == "Null":
            continue
        if isinstance(block.value, JsonObject):
            for member in block.value.members:
                if member.key.value.lower().startswith("aws:resourcetag/"):
                    yield member.key


def _escapes(statement: Statement, catalog: ServiceCatalog) -> Iterator[_Escape]:
    for node, _ in strings_in(statement.value("Action")):
        facts = _escape_facts(catalog, node.value)
        if facts is not None:
            yield _Escape(node, *facts)


@lru_cache(maxsize=16_384)
def _escape_facts(catalog: ServiceCatalog, text: str) -> tuple[tuple[str, ...], bool, bool] | None:
    """For an Action entry: the actions it names that a tag condition cannot restrict, whether
    only the source material says so, and whether that is every action it names; None when
    the condition restricts them all. Depends on the text alone, so it is computed once."""
    prefix, colon, name = text.partition(":")
    service = catalog.service(prefix) if colon else None
    if service is None or not name:
        return None
    not_restrictable = source_notes.not_tag_restrictable()
    matched = service.match(name)
    ignoring = [a for a in matched if not _supports_tags(a, catalog)]
    from_source = [a for a in matched if a.qualified_name.lower() in not_restrictable
                   and a not in ignoring]
    if not (ignoring or from_source):
        return None
    # For a wildcard, the actions it names that escape (as Access Analyzer does).
    names = tuple(a.qualified_name for a in ignoring + from_source)
    return names, bool(from_source) and not ignoring, len(names) == len(matched)


def _supports_tags(action: Action, catalog: ServiceCatalog) -> bool:
    return any(k.lower().startswith(_TAG_KEY_PREFIXES) for k in catalog.condition_keys_of(action))


def _findings(effect: str, key: JsonString, escapes: list[_Escape], fix: Fix | None
              ) -> Iterator[Finding]:
    """The findings on each escaping action and on the key; the fix goes on the entries it
    moves, and on the key when it moves every entry that escapes."""
    code = _CODES[effect]
    tag = key.value
    outcome = ("this statement never allows it" if effect == "Allow"
               else "this Deny never applies to it")
    outcome_ko = ("이 문은 이 작업을 허용하지 않습니다" if effect == "Allow"
                  else "이 Deny는 이 작업에 적용되지 않습니다")
    for escape in escapes:
        why = ("Amazon Connect's documentation says it cannot be restricted by tags"
               if escape.from_source else "it supports no tag condition keys")
        why_ko = ("Amazon Connect 문서에 따르면 태그로 제한할 수 없습니다"
                  if escape.from_source else "태그 조건 키를 지원하지 않습니다")
        shown = escape.node.value
        if "*" in shown or "?" in shown:
            listed = ", ".join(f'"{a}"' for a in escape.actions[:5])
            more = f" and {len(escape.actions) - 5} more" if len(escape.actions) > 5 else ""
            shown_en = f'"{shown}" covers {listed}{more}, which'
        else:
            shown_en = f'"{shown}"'
        yield Finding(
            code,
            f'{shown_en} ignores "{tag}" ({why}), so {outcome}: move it to a statement '
            "without this condition", escape.node.content_span(),
            (fix,) if fix is not None and escape.whole else (),
            data={"actions": list(escape.actions), "key": tag},
            translations={"ko": f'"{shown}"은(는) "{tag}"을(를) 무시하므로({why_ko}) '
                                f"{outcome_ko}. 이 조건이 없는 별도의 문으로 옮기세요."})
    names = ", ".join(f'"{e.node.value}"' for e in escapes[:8])
    more = f" and {len(escapes) - 8} more" if len(escapes) > 8 else ""
    yield Finding(
        code,
        f'"{tag}" does not apply to {names}{more}: '
        + ("they are never allowed by this statement" if effect == "Allow"
           else "this Deny does not stop them")
        + "; move them to a statement without this condition", key.content_span(),
        (fix,) if fix is not None and all(e.whole for e in escapes) else (),
        data={"actions": [a for e in escapes for a in e.actions], "key": tag},
        translations={"ko": f'"{tag}"은(는) {names}{more}에 적용되지 않습니다. 이 조건이 없는 '
                            "별도의 문으로 옮기세요."})

"""MISSING_DEPENDENT_ACTION (ours, a suggestion): an Allow statement names an action of the
four Amazon Connect services whose dependent actions (the Service Authorization Reference's
"Dependent actions" column, `catalog/dependent_actions.json`) the policy grants nowhere.

What counts as granted: any Allow statement's `Action` that matches the dependent action
(`iam:*`, `ds:Describe*`, `*` included), or an Allow `NotAction` that does not exclude it,
whatever its resources and conditions. A dependent action that an unconditional Deny names
(or does not exclude from its `NotAction`) is withheld on purpose: it is not suggested, and
an action the policy denies that way gets no finding. Only actions named in full are looked
at: a wildcard or `NotAction` names no one action to point at.

Why only the Connect family: the column lists what some uses of an action need (an Amazon
Connect instance's directory, storage or integration type), and the AWS managed policies,
which work, leave much of it out. Over the 1,523 of them, every service's actions would give
1,172 suggestions on 356 policies (mostly `kms:Decrypt`, `ec2:CreateTags`,
`ssm:GetParameters`, `iam:PassRole`); the Connect family's give 4.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from ..catalog.services import CONNECT_FAMILY, Action, ServiceCatalog
from ..document.json_edits import separator
from ..document.policy import Statement, strings_in
from ..document.syntax import JsonArray, JsonString, JsonValue
from ..document.text import Span
from ..findings import Finding, Fix, TextEdit
from .context import CheckContext
from .sensitive_actions import action_matches, effect_of, is_wildcard


@dataclass(frozen=True, slots=True)
class _Patterns:
    """What a set of statements covers: their `Action` patterns, and each `NotAction` list
    (a statement with `NotAction` covers every action that list does not match)."""

    actions: tuple[str, ...]
    not_actions: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, statements: list[Statement]) -> _Patterns:
        return cls(
            tuple(node.value for s in statements for node, _ in strings_in(s.value("Action"))),
            tuple(tuple(node.value for node, _ in strings_in(s.value("NotAction")))
                  for s in statements if s.member("NotAction") is not None))

    def cover(self, action: str) -> bool:
        if any(action_matches(p, action) for p in self.actions):
            return True
        return any(not any(action_matches(p, action) for p in excluded)
                   for excluded in self.not_actions)


def check(context: CheckContext) -> Iterator[Finding]:
    if context.is_organization_policy:  # an SCP's or RCP's Allow grants nothing
        return
    statements = context.policy.statements
    allows = [s for s in statements if effect_of(s) == "Allow"]
    candidates = list(_candidates(allows, context.catalog))
    if not candidates:
        return
    granted = _Patterns.of(allows)
    # A Deny with a condition withholds the action only sometimes: it still counts as missing.
    withheld = _Patterns.of([s for s in statements
                             if effect_of(s) == "Deny" and s.member("Condition") is None])
    for node, value, index, action in candidates:
        if withheld.cover(action.qualified_name):
            continue
        missing = [d for d in action.dependent_actions
                   if not granted.cover(d) and not withheld.cover(d)]
        if missing:
            yield _finding(context.text, node, value, index, action.qualified_name, missing)


def _candidates(allows: list[Statement], catalog: ServiceCatalog
                ) -> Iterator[tuple[JsonString, JsonValue | None, int | None, Action]]:
    """The Connect family actions named in full in Allow statements that have dependents."""
    for statement in allows:
        value = statement.value("Action")
        for node, index in strings_in(value):
            prefix, colon, name = node.value.partition(":")
            if not colon or prefix.lower() not in CONNECT_FAMILY or is_wildcard(node.value):
                continue
            service = catalog.service(prefix)
            action = service.action(name) if service is not None else None
            if action is not None and action.dependent_actions:
                yield node, value, index, action


def _fixes(text: str, node: JsonString, value: JsonValue | None, index: int | None,
           missing: list[str]) -> tuple[Fix, ...]:
    """Adding the missing actions right after the action, in the same `Action` list (a lone
    string becomes a list): all of them, then each one, since a use may need only some.
    None is preferred: granting more is the author's call."""
    def edit(added: list[str]) -> TextEdit | None:
        quoted = [json.dumps(d) for d in added]
        if isinstance(value, JsonArray) and index is not None and value.closed:
            comma = separator(text, value)
            return TextEdit(Span(node.end, node.end),
                            "".join(comma + q for q in quoted))
        if value is node and node.terminated:
            written = json.dumps(node.value, ensure_ascii=False)
            return TextEdit(node.span, "[" + ", ".join([written, *quoted]) + "]")
        return None

    fixes: list[Fix] = []
    if len(missing) > 1:
        every = edit(missing)
        if every is not None:
            fixes.append(Fix(f"Add the {len(missing)} dependent actions", (every,)))
    for dependent in missing:
        one = edit([dependent])
        if one is not None:
            fixes.append(Fix(f'Add "{dependent}"', (one,)))
    return tuple(fixes)


def _finding(text: str, node: JsonString, value: JsonValue | None, index: int | None,
             qualified: str, missing: list[str]) -> Finding:
    listed = ", ".join(f'"{d}"' for d in missing)
    them = "it" if len(missing) == 1 else "them"
    return Finding(
        "MISSING_DEPENDENT_ACTION",
        f'"{node.value}" can also need {listed} (its dependent '
        f'action{"" if len(missing) == 1 else "s"} in the Service Authorization Reference), '
        f"which this policy does not allow: a call that needs {them} fails with an access "
        "error. Add what your use needs, or ignore this if it needs none",
        node.content_span(), _fixes(text, node, value, index, missing),
        {"action": qualified, "missing": missing},
        translations={"ko": (
            f'"{node.value}"에는 {listed}도 필요할 수 있지만(서비스 권한 부여 참조의 종속 '
            "작업) 이 정책은 허용하지 않습니다. 이 작업이 필요한 호출은 액세스 오류로 "
            "실패합니다. 사용 방식에 필요한 작업을 추가하거나, 필요 없다면 무시하세요.")})

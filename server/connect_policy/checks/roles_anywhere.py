"""MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY: a role's trust policy that lets IAM Roles
Anywhere (`rolesanywhere.amazonaws.com`) assume the role without all three actions the service
uses: it assumes the role with `sts:AssumeRole`, sets the source identity from the
certificate with `sts:SetSourceIdentity` and tags the session with the certificate's
attributes with `sts:TagSession` (IAM Roles Anywhere's trust model,
https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html).

What the policy's Allow statements naming the service grant together counts, wildcards
included (`sts:*`): a statement that grants one action beside another that grants the others
is complete. A statement whose actions are known only at deployment, or that uses
`NotAction`, leaves the policy unjudged. The quick fix adds the missing actions to the
statement's `Action`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..document.json_edits import append_entry, separator
from ..document.policy import PolicyType, Statement, strings_in
from ..document.syntax import JsonArray, JsonObject, JsonString
from ..findings import Finding, Fix, TextEdit
from .context import CheckContext
from .sensitive_actions import action_matches

ROLES_ANYWHERE = "rolesanywhere.amazonaws.com"
REQUIRED_ACTIONS = ("sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession")


def check(context: CheckContext) -> Iterator[Finding]:
    if context.policy_type is not PolicyType.TRUST or ROLES_ANYWHERE not in context.text:
        return
    trusting: list[tuple[Statement, JsonString]] = []
    granted: set[str] = set()
    for statement in context.policy.statements:
        effect = statement.value("Effect")
        principal = statement.value("Principal")
        if not (isinstance(effect, JsonString) and effect.value == "Allow"
                and isinstance(principal, JsonObject)):
            continue
        service = next((node for node, _ in strings_in(principal.value_of("Service"))
                        if node.value == ROLES_ANYWHERE), None)
        if service is None:
            continue
        actions = _actions(statement)
        if actions is None:
            return  # not known: nothing certain
        granted.update(required for required in REQUIRED_ACTIONS
                       if any(action_matches(action, required) for action in actions))
        trusting.append((statement, service))
    missing = [action for action in REQUIRED_ACTIONS if action not in granted]
    if not missing:
        return
    for statement, service in trusting:
        yield _finding(context.text, statement, service, missing)


def _actions(statement: Statement) -> list[str] | None:
    """The statement's actions, when its `Action` is a string or a list of strings."""
    action = statement.value("Action")
    if isinstance(action, JsonString):
        return [action.value]
    if isinstance(action, JsonArray) and all(isinstance(i, JsonString) for i in action.items):
        return [item.value for item in action.items if isinstance(item, JsonString)]
    return None


def _finding(text: str, statement: Statement, service: JsonString,
             missing: list[str]) -> Finding:
    listed = _listed(missing, "and")
    listed_ko = ", ".join(f'"{name}"' for name in missing)
    fix = _add_actions(text, statement, missing)
    return Finding(
        "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
        f'IAM Roles Anywhere ("{ROLES_ANYWHERE}") needs "sts:AssumeRole", '
        '"sts:SetSourceIdentity" and "sts:TagSession" to assume the role and deliver its '
        f"credentials; the policy does not allow {listed}. Add "
        f'{"it" if len(missing) == 1 else "them"} to "Action"', service.content_span(),
        (fix,) if fix is not None else (), {"missing": missing},
        translations={"ko": f'IAM Roles Anywhere("{ROLES_ANYWHERE}")가 역할을 맡고 자격 '
                            '증명을 전달하려면 "sts:AssumeRole", "sts:SetSourceIdentity", '
                            f'"sts:TagSession"이 모두 필요한데, 정책이 {listed_ko}을(를) '
                            '허용하지 않습니다. "Action"에 추가하세요.'})


def _listed(names: list[str], conjunction: str) -> str:
    quoted = [f'"{name}"' for name in names]
    return quoted[0] if len(quoted) == 1 else (
        ", ".join(quoted[:-1]) + f" {conjunction} {quoted[-1]}")


def _add_actions(text: str, statement: Statement, missing: list[str]) -> Fix | None:
    action = statement.value("Action")
    title = f"Add {_listed(missing, 'and')}"
    if isinstance(action, JsonString):
        new = json.dumps([action.value, *missing], ensure_ascii=False)
        return Fix(title, (TextEdit(action.span, new),), True)
    if isinstance(action, JsonArray):
        entries = separator(text, action).join(json.dumps(name) for name in missing) if (
            action.items) else ", ".join(json.dumps(name) for name in missing)
        return Fix(title, (append_entry(text, action, entries),), True)
    return None

"""INVALID_SERVICE and RESOURCE_MATCHES_NO_ACTION: the services and resource types of ARNs in
`Resource`/`NotResource`.

INVALID_SERVICE: the service part of an ARN names no AWS service. ARNs with wildcards or
policy variables in the service part are left alone; the rest of the ARN's grammar is for the
ARN checks (arns.py).

RESOURCE_MATCHES_NO_ACTION (ours, a warning): in an Allow statement with `Action`, an ARN that
none of the statement's actions can use, because it is of none of the resource types those
actions take (`arn:aws:s3:::bucket` with only `connect:*` actions). Such an ARN grants
nothing; usually it belongs in another statement, or an action is missing. Conservative: a
statement with an action the catalog does not know (or `*`) is skipped, and an ARN whose
wildcards could reach a resource type counts as matching.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from ..catalog.services import Action, ServiceCatalog
from ..catalog.suggest import best_matches
from ..document.policy import Statement, strings_in
from ..document.syntax import JsonString
from ..findings import Finding, replace_fix
from .arns import ArnFormat, arn_matches_format, has_wildcard, parse_formats, split_arn
from .context import CheckContext

RESOURCE_ELEMENTS = ("Resource", "NotResource")


def check(context: CheckContext) -> Iterator[Finding]:
    for statement in context.policy.statements:
        yield from check_statement(context, statement)


def check_statement(context: CheckContext, statement: Statement) -> Iterator[Finding]:
    catalog = context.catalog
    for element in RESOURCE_ELEMENTS:
        for node, _ in strings_in(statement.value(element)):
            finding = _invalid_service(node, catalog)
            if finding is not None:
                yield finding
    yield from _matches_no_action(statement, catalog)


def _invalid_service(node: JsonString, catalog: ServiceCatalog) -> Finding | None:
    arn = split_arn(node.value)  # colons inside `${…}` do not separate fields
    if len(arn.fields) < 4 or arn.fields[0] != "arn":
        return None
    service = arn.fields[2]
    if not service or any(ch in service for ch in "*?$"):
        return None
    if catalog.has_arn_service(service):
        return None
    span = arn.span_of(node, 2)
    suggestions = best_matches(service, catalog.prefixes, limit=1)
    retired = catalog.retired_service(service)
    if retired is not None:
        message = (f'"{service}" ({retired.service_name}) is no longer an AWS '
                   f"service: AWS removed it from the catalog after "
                   f"{retired.last_listed}, so this ARN matches nothing")
        ko = (f'"{service}"({retired.service_name})은(는) 더 이상 AWS 서비스가 아닙니다. '
              f"AWS가 {retired.last_listed} 이후 카탈로그에서 제거했으므로 이 ARN은 아무것도 "
              "가리키지 않습니다")
    else:
        hint = f': did you mean "{suggestions[0]}"?' if suggestions else ""
        hint_ko = f' "{suggestions[0]}"을(를) 의도하셨나요?' if suggestions else ""
        message = f'"{service}" in this ARN is not an AWS service{hint}'
        ko = f'이 ARN의 "{service}"은(는) AWS 서비스가 아닙니다.{hint_ko}'
    fixes = tuple(replace_fix(f'Change to "{s}"', span, s) for s in suggestions
                  if retired is None)
    return Finding("INVALID_SERVICE", message, span, fixes,
                   {"service": service, "suggestions": suggestions}, translations={"ko": ko})


# --- RESOURCE_MATCHES_NO_ACTION -------------------------------------------------------------


def _statement_actions(texts: tuple[str, ...], catalog: ServiceCatalog
                       ) -> tuple[Action, ...] | None:
    """Every action these `Action` strings grant; None when any is unknown or too broad."""
    actions: dict[str, Action] = {}
    for text in texts:
        prefix, colon, name = text.partition(":")
        if not colon or not name or has_wildcard(prefix) or "$" in name:
            return None
        service = catalog.service(prefix)
        if service is None:
            return None
        matched = service.match(name)
        if not matched:
            return None
        for action in matched:
            actions[action.qualified_name.lower()] = action
    return tuple(actions.values())


# Actions whose catalog entry lists fewer resource types than IAM accepts: API Gateway's REST
# and HTTP/WebSocket APIs share the prefix and the verb actions, and the catalog lists only the
# REST API's types for them (`arn:aws:apigateway:*::/apis` is an HTTP API).
_INCOMPLETE_ACTIONS = frozenset({"apigateway:get", "apigateway:post", "apigateway:put",
                                 "apigateway:patch", "apigateway:delete"})
# ARN namespaces that name the same resources under another name.
_ALIASES = {"codestar-connections": "codeconnections", "codeconnections": "codestar-connections"}


def _related(namespace: str, others: set[str]) -> bool:
    """Whether an ARN namespace may belong to one of these services: the same name, an alias,
    or one name extending the other (`ssm`/`ssmmessages`, `waf`/`waf-regional`)."""
    alias = _ALIASES.get(namespace)
    return any(namespace.startswith(o) or o.startswith(namespace) or o == alias
               for o in others if o)


@dataclass(eq=False, slots=True)
class _Accepted:
    """The ARN formats a statement's actions take, by ARN namespace ("" for a placeholder)."""

    by_namespace: dict[str, list[tuple[Action, str, ArnFormat]]] = field(default_factory=dict)
    # Services of actions the catalog gives no resource type: Resource "*" in theory, but the
    # catalog is not complete, so any ARN of the service counts as theirs.
    open_services: set[str] = field(default_factory=set)
    services: set[str] = field(default_factory=set)


@lru_cache(maxsize=4096)
def _profile(texts: tuple[str, ...], catalog: ServiceCatalog
             ) -> tuple[tuple[Action, ...], _Accepted] | None:
    """The statement's actions and the ARN formats they take (the same lists of actions recur
    across statements and files)."""
    actions = _statement_actions(texts, catalog)
    if not actions:
        return None
    accepted = _accepted(actions, catalog)
    return None if accepted is None else (actions, accepted)


def _accepted(actions: tuple[Action, ...], catalog: ServiceCatalog) -> _Accepted | None:
    accepted = _Accepted()
    for action in actions:
        service = catalog.service(action.service)
        if service is None:
            return None
        prefix = action.service.lower()
        accepted.services.add(prefix)
        if not action.resource_types or action.qualified_name.lower() in _INCOMPLETE_ACTIONS:
            accepted.open_services.add(prefix)
        for entry in action.resource_types:
            resource_type = service.resource_types.get(entry.name.lower())
            if resource_type is None:
                return None  # the catalog names a type it does not define: do not guess
            formats = parse_formats(resource_type.arn)
            if not formats:
                return None
            for fmt in formats:
                accepted.by_namespace.setdefault(fmt.namespace, []).append(
                    (action, resource_type.name, fmt))
    return accepted


def _matches_no_action(statement: Statement, catalog: ServiceCatalog) -> Iterator[Finding]:
    effect = statement.value("Effect")
    if not (isinstance(effect, JsonString) and effect.value == "Allow"):
        return
    if statement.member("NotAction") is not None or statement.member("Action") is None:
        return
    arns = [node for node, _ in strings_in(statement.value("Resource"))
            if node.value.startswith("arn:")]
    if not arns:
        return
    profile = _profile(tuple(node.value for node, _ in strings_in(statement.value("Action"))),
                       catalog)
    if profile is None:
        return
    actions, accepted = profile
    for node in arns:
        arn = split_arn(node.value)
        if not arn.complete or has_wildcard(arn.fields[2]):
            continue
        namespace = arn.fields[2].lower()
        if not catalog.has_arn_service(namespace):
            continue  # INVALID_SERVICE
        if _related(namespace, accepted.open_services):
            continue
        candidates = accepted.by_namespace.get(namespace)
        if candidates is None and _related(namespace,
                                           accepted.services | set(accepted.by_namespace)):
            continue  # another name of the same service, or a sibling: do not guess
        candidates = (candidates or []) + accepted.by_namespace.get("", [])
        if any(arn_matches_format(arn, fmt) for _, _, fmt in candidates):
            continue
        yield _no_action_finding(node, actions, accepted.by_namespace)


def _no_action_finding(node: JsonString, actions: tuple[Action, ...],
                       by_namespace: dict[str, list[tuple[Action, str, ArnFormat]]]
                       ) -> Finding:
    text = node.value
    shown = text if len(text) <= 80 else text[:79] + "…"
    names = sorted(a.qualified_name for a in actions)
    listed = _listing(names, 3)
    types = sorted({name for entries in by_namespace.values() for _, name, _ in entries})
    if types:
        message = (f"\"{shown}\" is of no resource type that this statement's actions use: "
                   f"{listed} take {_listing(types, 6)} ARNs. It grants nothing here; move it "
                   "to a statement with actions on this resource, or check for a typo")
        ko = (f'"{shown}"은(는) 이 문의 작업이 사용하는 리소스 유형이 아닙니다. {listed}은(는) '
              f"{_listing(types, 6)} ARN을 받습니다. 여기서는 아무 권한도 주지 않으므로, 이 "
              "리소스에 대한 작업이 있는 문으로 옮기거나 오타가 없는지 확인하세요")
    else:
        message = (f"\"{shown}\" grants nothing here: this statement's actions ({listed}) take no "
                   'resource ARN and need "Resource": "*"')
        ko = (f'"{shown}"은(는) 여기서 아무 권한도 주지 않습니다. 이 문의 작업({listed})은 '
              '리소스 ARN을 받지 않으며 "Resource": "*"가 필요합니다')
    return Finding("RESOURCE_MATCHES_NO_ACTION", message, node.content_span(), (),
                   {"actions": names[:20], "resource_types": types},
                   translations={"ko": ko})


def _listing(items: list[str], limit: int) -> str:
    shown = ", ".join(f'"{i}"' for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")

"""INVALID_SERVICE_IN_ACTION and INVALID_ACTION, for every service in `Action`/`NotAction`.

Names match case-insensitively and `*`/`?` are wildcards, as in IAM. Each finding sits on
the exact part that is wrong (the prefix, the action name, the extra colon) and carries
the best suggestions as fixes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache

from ..catalog.services import CONNECT_FAMILY, ServiceCatalog, wildcard_regex
from ..catalog.suggest import best_matches
from ..document.policy import ACTION_ELEMENTS, Statement, strings_in
from ..document.syntax import JsonArray, JsonString, JsonUnknown, JsonValue
from ..findings import Finding, Fix, replace_fix
from .context import CheckContext

_SPACE = re.compile(r"\s")


def check(context: CheckContext) -> Iterator[Finding]:
    for statement in context.policy.statements:
        yield from check_statement(context, statement)


def check_statement(context: CheckContext, statement: Statement) -> Iterator[Finding]:
    clean = _clean_actions(context.catalog)
    if len(clean) > _MAX_CLEAN:
        clean.clear()
    for element in ACTION_ELEMENTS:
        for node, _index in strings_in(statement.value(element)):
            # Most actions are valid, and stay valid from one keystroke to the next.
            if node.value in clean:
                continue
            found = list(check_action(node, context.catalog))
            if not found:
                clean.add(node.value)
            yield from found
        for unknown in _templates_in(statement.value(element)):
            yield from _check_template(unknown, context.catalog)


def _templates_in(value: JsonValue | None) -> Iterator[JsonUnknown]:
    items = value.items if isinstance(value, JsonArray) else [value]
    for item in items:
        if isinstance(item, JsonUnknown) and item.template is not None:
            yield item


_HOLE = re.compile(r"\$\{[^}]*\}?")


def _check_template(unknown: JsonUnknown, catalog: ServiceCatalog) -> Iterator[Finding]:
    """An action known only in part (`!Sub "connect:${Name}"`): each unknown part may be
    anything, so it is checked as a `*` wildcard would be, when its service prefix is
    fixed. What is reported is certain: no action starts with the fixed text. No fixes (the
    text is not the value), and the messages quote the template as written."""
    template, span = unknown.template, unknown.template_span
    assert template is not None
    service, colon, _ = template.partition(":")
    if span is None or not colon or not service or "$" in service:
        return
    value = _HOLE.sub("*", template)
    probe = JsonString(span.start, span.end, value, verbatim=False, quote_len=0)
    for finding in check_action(probe, catalog):
        if finding.code in ("INVALID_SERVICE_IN_ACTION", "INVALID_ACTION"):
            yield Finding(finding.code, finding.message.replace(f'"{value}"', f'"{template}"'),
                          span, data=finding.data, translations={
                              lang: text.replace(f'"{value}"', f'"{template}"')
                              for lang, text in finding.translations.items()})


# Actions with no finding depend on nothing but their text and the catalog.
_MAX_CLEAN = 100_000


@lru_cache(maxsize=4)
def _clean_actions(catalog: ServiceCatalog) -> set[str]:
    """Action texts `check_action` found nothing wrong with, per catalog."""
    return set()


def _content_fix(node: JsonString, corrected: str, preferred: bool = True) -> Fix:
    """Replace the whole string content; correct even when the string has escapes."""
    escaped = json.dumps(corrected, ensure_ascii=False)[1:-1]
    return replace_fix(f'Change to "{corrected}"', node.content_span(), escaped, preferred)


def _did_you_mean(suggestions: list[str]) -> str:
    return f': did you mean "{suggestions[0]}"?' if suggestions else ""


def _ko(message: str, suggestions: list[str] | None = None) -> dict[str, str]:
    """The Korean message, with the same suggestion."""
    hint = f' "{suggestions[0]}"을(를) 쓰려던 것인가요?' if suggestions else ""
    return {"ko": message + hint}


def check_action(node: JsonString, catalog: ServiceCatalog) -> Iterator[Finding]:
    text = node.value
    if text == "*":
        return
    if not text:
        yield Finding("INVALID_ACTION", 'Empty action: write "service:Action", for example '
                      '"connect:DescribeUser"', node.span,
                      translations=_ko('작업이 비어 있습니다. "connect:DescribeUser"처럼 '
                                       '"service:Action" 형식으로 쓰세요.'))
        return
    if _SPACE.search(text):
        cleaned = _SPACE.sub("", text)
        yield Finding("INVALID_ACTION", f'"{text}" contains whitespace; action names have none'
                      f"{_did_you_mean([cleaned])}", node.content_span(),
                      (_content_fix(node, cleaned),), {"suggestions": [cleaned]},
                      translations=_ko(f'"{text}"에 공백이 있습니다. 작업 이름에는 공백이 '
                                       "없습니다.", [cleaned]))
        return
    service_part, colon, rest = text.partition(":")
    if not colon:
        suggestions = _qualified_suggestions(text, catalog)
        yield Finding("INVALID_ACTION", f'"{text}" has no service prefix: an action is written '
                      f'"service:Action"{_did_you_mean(suggestions)}', node.content_span(),
                      tuple(_content_fix(node, s, i == 0) for i, s in enumerate(suggestions)),
                      {"suggestions": suggestions},
                      translations=_ko(f'"{text}"에 서비스 접두사가 없습니다. 작업은 '
                                       '"service:Action" 형식으로 씁니다.', suggestions))
        return
    if not service_part:
        yield Finding("INVALID_ACTION", f'"{text}" has no service prefix before the colon',
                      node.content_span(0, 1))
        return
    extra_colons = len(rest) - len(rest.lstrip(":"))
    if extra_colons:
        corrected = f"{service_part}:{rest.lstrip(':')}"
        span = node.content_span(len(service_part) + 1, len(service_part) + 1 + extra_colons)
        yield Finding("INVALID_ACTION", f'"{text}" has {extra_colons + 1} colons in a row; '
                      f"service and action are separated by one{_did_you_mean([corrected])}",
                      span, (_content_fix(node, corrected),), {"suggestions": [corrected]},
                      translations=_ko(f'"{text}"에 콜론이 {extra_colons + 1}개 연달아 있습니다. '
                                       "서비스와 작업은 콜론 하나로 구분합니다.", [corrected]))
        rest = rest.lstrip(":")
    if ":" in rest:
        second = len(service_part) + 1 + extra_colons + rest.index(":")
        yield Finding("INVALID_ACTION", f'"{text}" has more than one colon; an action is '
                      'written "service:Action"', node.content_span(second, second + 1))
        return
    yield from _check_service_and_name(node, service_part, rest, len(text) - len(rest),
                                       catalog)


def _check_service_and_name(node: JsonString, service_part: str, name: str, name_at: int,
                            catalog: ServiceCatalog) -> Iterator[Finding]:
    prefix_span = node.content_span(0, len(service_part))
    if "*" in service_part or "?" in service_part:
        regex = wildcard_regex(service_part)
        if not any(regex.fullmatch(p) for p in catalog.prefixes):
            yield Finding("INVALID_SERVICE_IN_ACTION", f'"{service_part}" matches no AWS '
                          "service prefix", prefix_span)
        return
    if not catalog.has_service(service_part):
        recognised = catalog.recognised_retired_service(service_part)
        if recognised is not None:
            yield Finding(
                "RETIRED_SERVICE_IN_ACTION",
                f'"{service_part}" ({recognised.service_name}) belongs to a retired service: '
                f"AWS removed it from its service catalog after {recognised.last_listed}. IAM "
                "still accepts the prefix, so the policy is valid, but check whether you still "
                "need this permission",
                prefix_span, (), {"service": service_part, "retired": True})
            return
        retired = catalog.retired_service(service_part)
        if retired is not None:
            yield Finding(
                "INVALID_SERVICE_IN_ACTION",
                f'"{service_part}" ({retired.service_name}) is no longer an AWS service prefix: '
                f"AWS removed it from the catalog after {retired.last_listed}, so this action "
                "grants nothing", prefix_span, (), {"service": service_part, "retired": True},
                translations=_ko(f'"{service_part}"({retired.service_name})은(는) 더 이상 AWS '
                                 f"서비스 접두사가 아닙니다. {retired.last_listed} 이후 "
                                 "카탈로그에서 빠졌으므로 이 작업은 아무것도 허용하지 않습니다."))
            return
        suggestions = list(_close_prefixes(catalog, service_part.lower()))
        yield Finding(
            "INVALID_SERVICE_IN_ACTION",
            f'"{service_part}" is not an AWS service prefix{_did_you_mean(suggestions)}',
            prefix_span,
            tuple(_content_fix(node, f"{s}:{name}", i == 0) for i, s in enumerate(suggestions)),
            {"suggestions": suggestions, "service": service_part},
            translations=_ko(f'"{service_part}"은(는) AWS 서비스 접두사가 아닙니다.',
                             suggestions))
        return
    service = catalog.service(service_part)
    if service is None:
        return
    name_span = node.content_span(name_at, name_at + len(name))
    qualified = f"{service_part}:{name}"
    if not name:
        end = node.content_span(name_at, name_at)
        yield Finding("INVALID_ACTION", f'"{qualified}" has no action name after the colon',
                      end)
        return
    if "*" in name or "?" in name:
        if not service.match(name):
            yield Finding("INVALID_ACTION", f'"{qualified}" matches no action of '
                          f"{service.name}", name_span,
                          translations=_ko(f'"{qualified}"와 일치하는 {service.name} 작업이 '
                                           "없습니다."))
        return
    if service.action(name) is not None:
        return
    retired = catalog.retired_action(service.prefix, name)
    if retired is not None:
        suggestions = [f"{service_part}:{n}" for n in _close_actions(catalog, service.prefix,
                                                                      name)]
        yield Finding(
            "INVALID_ACTION",
            f'"{qualified}" is no longer an action of {service.name}: AWS removed it from the '
            f"catalog after {retired.last_listed}{_did_you_mean(suggestions)}", name_span,
            tuple(_content_fix(node, s, i == 0) for i, s in enumerate(suggestions)),
            {"service": service.prefix, "action": name, "retired": True,
             "suggestions": suggestions})
        return
    suggestions = [f"{service_part}:{n}" for n in _close_actions(catalog, service.prefix, name)]
    if not suggestions:
        suggestions = _family_suggestions(name, service.prefix, catalog)
    yield Finding(
        "INVALID_ACTION",
        f'"{qualified}" is not an action of {service.name}{_did_you_mean(suggestions)}',
        name_span,
        tuple(_content_fix(node, s, i == 0) for i, s in enumerate(suggestions)),
        {"suggestions": suggestions, "service": service.prefix, "action": name},
        translations=_ko(f'"{qualified}"은(는) {service.name}의 작업이 아닙니다.', suggestions))


# The same wrong names recur (in a file, across a repository): rank each one once.
@lru_cache(maxsize=4096)
def _close_actions(catalog: ServiceCatalog, prefix: str, name: str) -> tuple[str, ...]:
    service = catalog.service(prefix)
    if service is None:
        return ()
    return tuple(best_matches(name, (a.name for a in service.actions.values())))


@lru_cache(maxsize=4096)
def _close_prefixes(catalog: ServiceCatalog, prefix: str) -> tuple[str, ...]:
    return tuple(best_matches(prefix, catalog.prefixes))


def _family_suggestions(name: str, current: str, catalog: ServiceCatalog) -> list[str]:
    """The same action in a sibling Connect service (`connect:ListCampaigns` ->
    `connect-campaigns:ListCampaigns`)."""
    if current.lower() not in CONNECT_FAMILY:
        return []
    found = []
    for prefix in CONNECT_FAMILY:
        service = catalog.service(prefix)
        if prefix != current.lower() and service and (action := service.action(name)):
            found.append(action.qualified_name)
    return found


def _qualified_suggestions(name: str, catalog: ServiceCatalog) -> list[str]:
    """For a bare action name: the Connect-family actions of that name, or close to it."""
    exact: list[str] = []
    close: list[str] = []
    for prefix in CONNECT_FAMILY:
        service = catalog.service(prefix)
        if service is None:
            continue
        action = service.action(name)
        if action is not None:
            exact.append(action.qualified_name)
        else:
            close += [f"{prefix}:{n}" for n in best_matches(
                name, (a.name for a in service.actions.values()), limit=1)]
    return exact or close[:3]

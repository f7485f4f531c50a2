"""Hover documentation: actions, wildcards, condition keys and policy elements.

Catalog facts come from the Service Authorization Reference (English); for the four Connect
services, notes on the action (the jobs it is granted for, with the actions that go with it,
and what to watch for) are added in the client's language (English or Korean), with a link to
the AWS page they are written from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..analysis import Analysis
from ..catalog import source_notes
from ..catalog.global_keys import find_global_key
from ..catalog.services import Action, ServiceCatalog, default_catalog
from ..catalog.suggest import best_matches
from ..document.policy import ACTION_ELEMENTS, STATEMENT_ELEMENTS, strings_in
from ..document.syntax import (
    JsonArray,
    JsonObject,
    JsonString,
    JsonUnknown,
    JsonValue,
    ParseResult,
    parse,
)
from ..document.text import Span
from .completion_condition_values import condition_value_hover
from .completion_items import language
from .hover_elements import element_hover
from .hover_principals import principal_markdown

TOP_LEVEL = ("Version", "Id", "Statement")
_LABELS = {
    "en": {"access": "Access level", "resources": "Resource types", "keys": "Condition keys",
           "dependent": "Dependent actions", "reference": "Service Authorization Reference",
           "notes": "Amazon Connect notes", "grants": "grants",
           "actions": "actions", "type": "Type", "multi": "multivalued", "single":
           "single-valued", "applies": "Applies to this statement's", "none": "none",
           "not_applies": "None of this statement's actions supports it.",
           "practices": "Best practices", "required": "required",
           "ignored": "⚠ Tags cannot restrict "},
    "ko": {"access": "액세스 수준", "resources": "리소스 유형", "keys": "조건 키",
           "dependent": "종속 작업", "reference": "서비스 권한 부여 참조",
           "notes": "Amazon Connect 참고 사항", "grants": "허용하는 작업",
           "actions": "개", "type": "유형", "multi": "다중 값", "single": "단일 값",
           "applies": "이 문의 작업 중 적용 대상", "none": "없음",
           "not_applies": "이 문의 어떤 작업도 이 키를 지원하지 않습니다.",
           "practices": "모범 사례", "required": "필수",
           "ignored": "⚠ 태그로 제한할 수 없는 작업: "},
}


@dataclass(frozen=True, slots=True)
class Hover:
    markdown: str
    span: Span


def hover(text: str, offset: int, locale: str | None = None,
          catalog: ServiceCatalog | None = None, parsed: ParseResult | None = None
          ) -> Hover | None:
    """Hover at `offset`; pass `parsed` (the parse of `text`) when the caller has it."""
    catalog = catalog or default_catalog()
    parsed = parsed if parsed is not None and parsed.text == text else parse(text)
    for root in [parsed.root, *parsed.extra_roots]:
        found = _walk(root, offset, ())
        if found is not None:
            return _describe(found, root, offset, locale, catalog)
    return None


def hover_in_host(analysis: Analysis, offset: int, locale: str | None = None,
                  catalog: ServiceCatalog | None = None) -> Hover | None:
    """Hover at `offset` of a template or YAML policy file (`analysis.host` set)."""
    embedded = analysis.policy_at(offset)
    return hover_in_tree(embedded.root, offset, locale, catalog) if embedded else None


def hover_in_tree(root: JsonValue, offset: int, locale: str | None = None,
                  catalog: ServiceCatalog | None = None) -> Hover | None:
    """Hover at `offset` in one policy's tree (a policy of a template or YAML file, its
    spans in the host's offsets): by node lookup, whatever the host's syntax."""
    found = _walk(root, offset, ())
    if found is None:
        return None
    return _describe(found, root, offset, locale, catalog or default_catalog())


@dataclass(frozen=True, slots=True)
class _Hit:
    node: JsonString
    path: tuple[str | int, ...]  # path of the value, or of the member for a key
    is_key: bool
    statement: JsonObject | None


def _walk(node: JsonValue | None, offset: int, path: tuple[str | int, ...],
          statement: JsonObject | None = None) -> _Hit | None:
    if node is None or not node.start <= offset <= node.end:
        return None
    if isinstance(node, JsonObject):
        if _is_statement_path(path) or (not path and _looks_statement(node)):
            statement = node
        for member in node.members:
            if member.key.start <= offset <= member.key.end:
                return _Hit(member.key, (*path, member.key.value), True, statement)
            found = _walk(member.value, offset, (*path, member.key.value), statement)
            if found is not None:
                return found
        return None
    if isinstance(node, JsonArray):
        for i, item in enumerate(node.items):
            found = _walk(item, offset, (*path, i), statement)
            if found is not None:
                return found
        return None
    if isinstance(node, JsonString):
        return _Hit(node, path, False, statement)
    if isinstance(node, JsonUnknown):
        # A deploy-time value (a template's `Fn::If`): its branches are text of their own.
        for alternative in node.alternatives:
            found = _walk(alternative, offset, path, statement)
            if found is not None:
                return found
    return None


def _is_statement_path(path: tuple[str | int, ...]) -> bool:
    return path in (("Statement",),) or (len(path) == 2 and path[0] == "Statement"
                                         and isinstance(path[1], int))


def _looks_statement(node: JsonObject) -> bool:
    return node.get("Effect") is not None or node.get("Action") is not None


def _describe(hit: _Hit, root: JsonValue | None, offset: int, locale: str | None,
              catalog: ServiceCatalog) -> Hover | None:
    lang = language(locale)
    path = hit.path
    strings = [s for s in path if isinstance(s, str)]
    element = strings[-1] if strings else ""
    if not hit.is_key and element in ACTION_ELEMENTS:
        return _action_hover(hit.node, lang, catalog)
    principal = principal_markdown(hit.node, path, hit.is_key, hit.statement, lang, catalog)
    if principal is not None:
        return Hover(principal, hit.node.span if hit.is_key else hit.node.content_span())
    if hit.is_key and len(strings) >= 3 and strings[-3] == "Condition":
        return _condition_key_hover(hit.node, hit.statement, lang, catalog)
    if hit.is_key and (element in STATEMENT_ELEMENTS or element in TOP_LEVEL):
        note = source_notes.element_note(element, locale)
        if note is None:
            return None
        body = f"**{element}**\n\n{note}"
        if element in ("Statement", "Action", "Resource", "Condition"):
            practices = source_notes.best_practices(locale)
            if practices:
                # The best practices are the AWS page's: name it, once.
                body += (f"\n\n**{_LABELS[lang]['practices']}**\n\n"
                         + "\n".join(f"- {p}" for p in practices)
                         + f"\n\n{_source_line(lang)}")
        return Hover(body, hit.node.span)
    value_note = None if hit.is_key else condition_value_hover(hit.node.value, path, lang,
                                                               catalog)
    if value_note is not None:
        return Hover(value_note, hit.node.content_span())
    found = element_hover(hit.node, path, hit.is_key, hit.statement, root, lang, catalog)
    return Hover(found.markdown, found.span) if found else None


def _action_hover(node: JsonString, lang: str, catalog: ServiceCatalog) -> Hover | None:
    text = node.value
    service_part, colon, name = text.partition(":")
    service = catalog.service(service_part) if colon else None
    if service is None or not name:
        return None
    labels = _LABELS[lang]
    if "*" in name or "?" in name:
        matched = service.match(name)
        by_level: dict[str, list[str]] = defaultdict(list)
        for each in matched:
            by_level[each.access_level or "?"].append(each.name)
        lines = [f"**{text}** — {service.name}", "",
                 f"{labels['grants']}: {len(matched)}{labels['actions']}"
                 if lang == "ko" else f"Grants {len(matched)} actions"]
        for level in sorted(by_level):
            names = sorted(by_level[level])
            shown = ", ".join(f"`{n}`" for n in names[:15])
            more = f" … (+{len(names) - 15})" if len(names) > 15 else ""
            lines.append(f"- **{level}** ({len(names)}): {shown}{more}")
        return Hover("\n".join(lines), node.content_span())
    action = service.action(name)
    if action is None:
        return Hover(_unknown_action_markdown(text, service.prefix, service.name, name, lang,
                                              catalog), node.content_span())
    return Hover(_action_markdown(action, service.name, lang, catalog), node.content_span())


def _unknown_action_markdown(text: str, prefix: str, service_name: str, name: str, lang: str,
                             catalog: ServiceCatalog) -> str:
    """The truth about a name that is no action, including names AWS's own page prints."""
    service = catalog.service(prefix)
    names = best_matches(name, (a.name for a in service.actions.values())) if service else []
    if lang == "ko":
        lines = [f"**{text}**: {service_name}에 이런 작업은 없습니다."]
    else:
        lines = [f"**{text}** is not an action of {service_name}."]
    intended = {k.lower(): v for k, v in source_notes.source_mistakes().items()}.get(
        text.lower())
    if intended:
        # A name AWS's own page prints: say plainly that it does not exist, and where a user
        # may have copied it from.
        lines.append("")
        lines.append(f"AWS 문서 {_source_link(lang)}에 나오는 이름이지만 존재하지 않는 "
                     f"작업이라 아무 권한도 주지 않습니다. 실제 작업은 `{intended}`입니다."
                     if lang == "ko" else
                     f"This name appears in AWS's {_source_link(lang)}, but no such action "
                     f"exists and it grants nothing; the real action is `{intended}`.")
    elif names:
        lines += ["", ("비슷한 작업: " if lang == "ko" else "Did you mean: ")
                  + ", ".join(f"`{prefix}:{n}`" for n in names)]
    return "\n".join(lines)


def _action_markdown(action: Action, service_name: str, lang: str,
                     catalog: ServiceCatalog) -> str:
    labels = _LABELS[lang]
    service = catalog.service(action.service)
    lines = [f"**{action.qualified_name}** — {service_name}", "", action.description, "",
             f"{labels['access']}: **{action.access_level}**"]
    if action.resource_types:
        lines += ["", f"{labels['resources']}:"]
        for resource in action.resource_types:
            arn = ""
            if service is not None and (rt := service.resource_types.get(resource.name.lower())):
                arn = f" — `{rt.arn}`"
            required = f" ({labels['required']})" if resource.required else ""
            lines.append(f"- `{resource.name}`{required}{arn}")
    keys = list(action.condition_keys)
    if keys:
        lines += ["", f"{labels['keys']}: " + ", ".join(f"`{k}`" for k in keys)]
    if action.dependent_actions:
        lines += ["", f"{labels['dependent']}: "
                  + ", ".join(f"`{d}`" for d in action.dependent_actions)]
    note = source_notes.action_note(action.qualified_name)
    if note is not None:
        lines += ["", f"**{labels['notes']}**"]
        summary = source_notes.pick(note.summary, lang)
        if summary:
            lines.append(f"- {summary}")
        lines += [f"- {_job_line(job, action, lang, catalog)}" for job in note.jobs]
        lines += [f"- {source_notes.pick(text, lang)}" for text in note.notes]
        lines += ["", _source_line(lang)]
    lines += ["", f"[{labels['reference']}]({catalog.reference_url(action.service)})"]
    return "\n".join(lines)


# Jobs grant up to 17 actions; a hover lists this many of the others and counts the rest.
_MAX_COMPANIONS = 6


def _job_line(job: source_notes.Job, action: Action, lang: str,
              catalog: ServiceCatalog) -> str:
    """"Typically granted for *viewing users*, together with `connect:ListUsers`.": the job,
    the wildcard that grants the action there if any, and the job's other actions."""
    through: list[str] = []
    others: list[str] = []
    for granted in job.actions:
        if granted.lower() == action.qualified_name.lower():
            continue
        prefix, _, name = granted.partition(":")
        service = catalog.service(prefix) if ("*" in name or "?" in name) else None
        if service is not None and any(
                each.qualified_name == action.qualified_name for each in service.match(name)):
            through.append(granted)
        else:
            others.append(granted)
    shown = ", ".join(f"`{a}`" for a in others[:_MAX_COMPANIONS])
    more = len(others) - _MAX_COMPANIONS
    title = source_notes.pick(job.title, lang)
    wildcard = ", ".join(f"`{a}`" for a in through)
    if lang == "ko":
        line = f"주로 *{title}* 업무에 부여합니다"
        if wildcard:
            line += f"(와일드카드 {wildcard}에 포함)"
        if shown:
            line += f". 함께 부여하는 작업: {shown}" + (f" 외 {more}개" if more > 0 else "")
        return line + "."
    line = f"Typically granted for *{title}*"
    if wildcard:
        line += f" through the wildcard {wildcard}"
    if shown:
        line += f", together with {shown}" + (f" and {more} more" if more > 0 else "")
    return line + "."


def _source_link(lang: str) -> str:
    page = source_notes.source()
    return f"[{source_notes.pick(page.title, lang)}]({source_notes.pick(page.url, lang)})"


def _source_line(lang: str) -> str:
    """The one mention of the AWS page a hover's notes are written from."""
    if lang == "ko":
        return f"출처: AWS 문서 {_source_link(lang)}"
    return f"Source: AWS documentation, {_source_link(lang)}"


def _condition_key_hover(node: JsonString, statement: JsonObject | None, lang: str,
                         catalog: ServiceCatalog) -> Hover | None:
    key = node.value
    labels = _LABELS[lang]
    kind, description, multivalued = _key_facts(key, catalog)
    if kind is None:
        return None
    lines = [f"**{key}**", "", description, "",
             f"{labels['type']}: {kind}, {labels['multi'] if multivalued else labels['single']}"]
    if statement is not None:
        actions = catalog.named_actions(
            node.value for node, _ in strings_in(statement.value_of("Action")))
        applies = [a.qualified_name for a in actions if _key_applies(key, a, catalog)]
        ignored = [a.qualified_name for a in actions
                   if a.qualified_name.lower() in source_notes.not_tag_restrictable()]
        if ignored and key.lower().startswith("aws:resourcetag/"):
            lines += ["", labels["ignored"] + ", ".join(f"`{a}`" for a in ignored)]
        if applies:
            shown = ", ".join(f"`{a}`" for a in applies[:20])
            more = f" … (+{len(applies) - 20})" if len(applies) > 20 else ""
            lines += ["", f"{labels['applies']}: {shown}{more}"]
        elif not key.lower().startswith("aws:") or key.lower().startswith(
                ("aws:resourcetag/", "aws:requesttag/", "aws:tagkeys")):
            lines += ["", labels["not_applies"]]
    note = source_notes.condition_key_note(key)
    if note is not None:
        lines += ["", f"**{labels['notes']}**"]
        lines += [f"- {source_notes.pick(text, lang)}" for text in note.notes]
        lines += ["", _source_line(lang)]
    return Hover("\n".join(lines), node.content_span())


def _key_facts(key: str, catalog: ServiceCatalog) -> tuple[str | None, str, bool]:
    global_key = find_global_key(key)
    if global_key is not None:
        return global_key.type, global_key.description, global_key.multivalued
    prefix = key.partition(":")[0]
    service = catalog.service(prefix)
    if service is None:
        return None, "", False
    info = service.condition_keys.get(key.lower())
    if info is None:
        for name, candidate in service.condition_keys.items():
            if "${" in name and key.lower().startswith(name.split("${")[0]):
                info = candidate
                break
    if info is None:
        return None, "", False
    return info.type, info.description, info.type.lower().startswith("arrayof")


def _key_applies(key: str, action: Action, catalog: ServiceCatalog) -> bool:
    low = key.lower()
    # AWS's policy examples page: some actions ignore tag conditions although the catalog's
    # resource type lists `aws:ResourceTag`.
    if low.startswith("aws:resourcetag/") and (
            action.qualified_name.lower() in source_notes.not_tag_restrictable()):
        return False
    for candidate in catalog.condition_keys_of(action):
        c = candidate.lower()
        if c == low or ("${" in c and low.startswith(c.split("${")[0]) and len(low) > len(
                c.split("${")[0])):
            return True
    return False

"""SAM policy templates in a function's or state machine's `Policies`: `S3ReadPolicy:
{BucketName: !Ref Bucket}` names one of SAM's templates and gives its parameters.

SAM expands the template into statements when it transforms the template; a name it does not
know, or a parameter without a value, fails the transform (`UNKNOWN_SAM_POLICY_TEMPLATE`,
`MISSING_SAM_POLICY_TEMPLATE_PARAMETER`). A parameter the template does not take is ignored
by SAM, but is most likely a misspelt one (`UNKNOWN_SAM_POLICY_TEMPLATE_PARAMETER`, a
warning). The names and parameters are SAM's own (`sam_policy_templates.json`, built by
`scripts/build_sam_policy_templates.py`); an entry with `Statement` is a policy document and
is checked as one, names and ARNs of managed policies and intrinsic functions are left alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from ..catalog.suggest import best_matches
from ..document.syntax import JsonMember, JsonObject, JsonString
from ..findings import Finding, Fix, replace_fix
from .cloudformation import SAM_POLICIES, resource_members, resource_parts, sam_policy_entries
from .intrinsics import function_name

_DATA = Path(__file__).with_name("sam_policy_templates.json")


@lru_cache(maxsize=1)
def policy_templates() -> dict[str, tuple[str, ...]]:
    """SAM's policy template names, each with its parameters' names."""
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return {name: tuple(parameters) for name, parameters in data["templates"].items()}


def template_findings(template: JsonObject) -> list[Finding]:
    """The findings on the SAM policy templates of every function and state machine."""
    return [finding for member in resource_members(template)
            for finding in resource_findings(member)]


def resource_findings(member: JsonMember) -> list[Finding]:
    """The findings on one resource's SAM policy templates (none unless it is a function or
    a state machine)."""
    parts = resource_parts(member)
    if parts is None or parts[1] not in SAM_POLICIES:
        return []
    logical_id, _, properties = parts
    return [_labelled(finding, label)
            for label, entry in sam_policy_entries(properties.value_of("Policies"), logical_id)
            for finding in _entry(entry)]


def _entry(entry: object) -> Iterator[Finding]:
    if (not isinstance(entry, JsonObject) or function_name(entry) is not None
            or len(entry.members) != 1 or entry.get("Statement") is not None):
        return
    member = entry.members[0]
    name = member.key.value
    templates = policy_templates()
    if name not in templates:
        yield _unknown_template(member.key, templates)
        return
    expected = templates[name]
    parameters = member.value
    if function_name(parameters) is not None:
        return  # known at deployment only
    given = parameters.members if isinstance(parameters, JsonObject) else []
    names = {m.key.value for m in given}
    for parameter in given:
        if parameter.key.value not in expected:
            yield _unknown_parameter(name, parameter.key, [p for p in expected
                                                           if p not in names])
    missing = [p for p in expected if p not in names]
    if missing or not isinstance(parameters, JsonObject):  # SAM takes a mapping, even `{}`
        yield _missing(name, member.key, missing, isinstance(parameters, JsonObject))


def _unknown_template(key: JsonString, templates: dict[str, tuple[str, ...]]) -> Finding:
    suggestions = best_matches(key.value, templates)
    hint = f': did you mean "{suggestions[0]}"?' if suggestions else ""
    hint_ko = f' "{suggestions[0]}"을(를) 쓰려던 것인가요?' if suggestions else ""
    return Finding(
        "UNKNOWN_SAM_POLICY_TEMPLATE",
        f'"{key.value}" is not an AWS SAM policy template{hint} (SAM fails to transform the '
        "template; a policy document needs \"Statement\")", key.span,
        _renames(key, suggestions), {"suggestions": suggestions},
        translations={"ko": f'"{key.value}"은(는) AWS SAM 정책 템플릿이 아닙니다.{hint_ko} '
                            '(SAM 변환이 실패합니다. 정책 문서라면 "Statement"가 필요합니다)'})


def _unknown_parameter(template: str, key: JsonString, open_names: list[str]) -> Finding:
    suggestions = best_matches(key.value, open_names, limit=1)
    hint = f': did you mean "{suggestions[0]}"?' if suggestions else ""
    hint_ko = f' "{suggestions[0]}"을(를) 쓰려던 것인가요?' if suggestions else ""
    return Finding(
        "UNKNOWN_SAM_POLICY_TEMPLATE_PARAMETER",
        f'"{template}" takes no parameter "{key.value}"{hint} (SAM ignores it)', key.span,
        _renames(key, suggestions), {"template": template, "suggestions": suggestions},
        translations={"ko": f'"{template}"에는 "{key.value}" 매개변수가 없습니다.{hint_ko} '
                            "(SAM은 이 값을 무시합니다)"})


def _missing(template: str, key: JsonString, missing: list[str], mapping: bool) -> Finding:
    listed = ", ".join(f'"{p}"' for p in missing)
    if missing:
        message = (f'"{template}" needs a value for {listed}: SAM fails to transform the '
                   "template without it")
        ko = f'"{template}"에는 {listed} 값이 필요합니다. 없으면 SAM 변환이 실패합니다.'
    else:
        message = (f'"{template}" takes a mapping of its parameters, "{{}}" when it has none')
        ko = f'"{template}"에는 매개변수 매핑을 써야 합니다(매개변수가 없으면 "{{}}").'
    return Finding("MISSING_SAM_POLICY_TEMPLATE_PARAMETER", message, key.span, (),
                   {"template": template, "missing": missing, "mapping": mapping},
                   translations={"ko": ko})


def _renames(key: JsonString, suggestions: list[str]) -> tuple[Fix, ...]:
    if not key.verbatim:
        return ()
    return tuple(replace_fix(f'Change to "{s}"', key.content_span(), s, i == 0)
                 for i, s in enumerate(suggestions))


def _labelled(finding: Finding, label: str) -> Finding:
    finding.data["policy"] = label
    return Finding(finding.code, f"{label}: {finding.message}", finding.span, finding.fixes,
                   finding.data, translations={lang: f"{label}: {text}" for lang, text in
                                               finding.translations.items()})


__all__ = ["policy_templates", "resource_findings", "template_findings"]

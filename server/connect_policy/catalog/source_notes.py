"""Notes on Amazon Connect actions, condition keys and policy elements, in English and Korean.

The data (`source_notes.json`, next to this module) is written in our own words from AWS's
"Amazon Connect identity-based policy examples" page (`source`), for someone who never saw
that page: which jobs an action is granted for (`jobs`, each with the actions that go with
it), what to watch for (tag conditions, `Resource: "*"`, actions that tags cannot restrict),
notes on each policy element and the page's best practices. The page's own mistakes are
documented in `examples/README.md`, not here. `facts` keeps what checks and hover need in
machine-readable form. The file is read once; everything returned is shared, read-only data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 2
_DATA_PATH = Path(__file__).with_name("source_notes.json")


@dataclass(frozen=True, slots=True)
class Job:
    """A job a policy grants access for ("viewing users"), with the actions it grants as a
    policy writes them (wildcards such as `connect:UpdateUser*` included)."""

    id: str
    title: dict[str, str]
    actions: tuple[str, ...]
    file: str  # the page's policy for this job, as printed, relative to the project root


@dataclass(frozen=True, slots=True)
class ActionNote:
    """Notes on an action or a condition key; `action` is the name as the data spells it."""

    action: str
    jobs: tuple[Job, ...]
    # What the action does: always in Korean (the catalog's descriptions are English), in
    # English only where it says more than the catalog's description (else "").
    summary: dict[str, str]
    notes: tuple[dict[str, str], ...]


@dataclass(frozen=True, slots=True)
class Source:
    """The AWS page the notes are written from: its title and address in each language."""

    title: dict[str, str]
    url: dict[str, str]


def pick(text: dict[str, str], locale: str | None) -> str:
    """The Korean text for a `ko*` locale (any case), otherwise English; English as fallback."""
    lang = "ko" if locale and locale.strip().lower().startswith("ko") else "en"
    return text.get(lang) or text.get("en", "")


@cache
def _data() -> dict[str, Any]:
    with _DATA_PATH.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    if data.get("schemaVersion") != SCHEMA_VERSION:
        raise ValueError(f"{_DATA_PATH.name}: unsupported schemaVersion "
                         f"{data.get('schemaVersion')!r} (expected {SCHEMA_VERSION})")
    return data


def _text(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {str(lang): str(value) for lang, value in raw.items()}


@cache
def _jobs() -> dict[str, Job]:
    return {
        job_id: Job(job_id, _text(entry.get("title")),
                    tuple(str(a) for a in entry.get("actions", ())), str(entry.get("file", "")))
        for job_id, entry in _data().get("jobs", {}).items()
    }


def _note(name: str, entry: dict[str, Any]) -> ActionNote:
    jobs = _jobs()
    refs = tuple(jobs[i] for i in entry.get("jobs", ()) if i in jobs)
    return ActionNote(name, refs, _text(entry.get("summary")),
                      tuple(_text(n) for n in entry.get("notes", ())))


@cache
def source() -> Source:
    raw = _data().get("source", {})
    return Source(_text(raw.get("title")), _text(raw.get("url")))


@cache
def _action_notes() -> dict[str, ActionNote]:
    return {name.lower(): _note(name, entry)
            for name, entry in _data().get("actions", {}).items()}


def _template_regex(template: str) -> re.Pattern[str]:
    """`aws:ResourceTag/${TagKey}` -> a pattern where `${...}` stands for any non-empty text."""
    parts = re.split(r"\$\{[^}]*\}", template)
    return re.compile(".+".join(re.escape(p) for p in parts), re.IGNORECASE | re.DOTALL)


@cache
def _condition_key_notes() -> tuple[dict[str, ActionNote],
                                    tuple[tuple[re.Pattern[str], ActionNote], ...]]:
    exact: dict[str, ActionNote] = {}
    templates: list[tuple[re.Pattern[str], ActionNote]] = []
    for name, entry in _data().get("conditionKeys", {}).items():
        note = _note(name, entry)
        exact[name.lower()] = note
        if "${" in name:
            templates.append((_template_regex(name), note))
    return exact, tuple(templates)


def action_note(qualified_action: str) -> ActionNote | None:
    """Notes for `service:Action`, matched case-insensitively; None for other actions."""
    return _action_notes().get(qualified_action.strip().lower())


def condition_key_note(key: str) -> ActionNote | None:
    """Notes for a condition key, case-insensitively; `aws:ResourceTag/Department` finds the
    `aws:ResourceTag/${TagKey}` entry."""
    exact, templates = _condition_key_notes()
    key = key.strip()
    found = exact.get(key.lower())
    if found is not None:
        return found
    for pattern, note in templates:
        if pattern.fullmatch(key):
            return note
    return None


def element_note(element: str, locale: str | None) -> str | None:
    """Notes on a policy element (`Version`, `Statement`, `Effect`, ...), spelled exactly as
    IAM spells it."""
    raw = _data().get("elements", {}).get(element)
    return pick(_text(raw), locale) if raw is not None else None


def best_practices(locale: str | None) -> list[str]:
    return [pick(_text(item), locale) for item in _data().get("bestPractices", ())]


@cache
def not_tag_restrictable() -> frozenset[str]:
    """Actions that tag conditions cannot restrict, per the source page, whatever the catalog
    says (lower case)."""
    facts = _data().get("facts", {})
    return frozenset(str(name).lower() for name in facts.get("notTagRestrictable", ()))


def source_mistakes() -> dict[str, str]:
    """Names printed on the source page that do not exist -> the real name: whole actions or
    service prefixes."""
    facts = _data().get("facts", {})
    return {str(k): str(v) for k, v in facts.get("sourceMistakes", {}).items()}

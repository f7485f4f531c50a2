"""The headless checker: find the files to check, read them safely, analyse them (in
parallel when there are many) and return one report per file.

Bad input never stops a run: an unreadable, binary, non-UTF-8 or oversized file, or a folder
loop, becomes one FILE_ERROR for that file; a check that fails on a file becomes an
INTERNAL_ERROR for it, and the other files are still checked.
"""

from __future__ import annotations

import glob
import multiprocessing
import os
import re
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .analysis import Settings, analyze
from .catalog.services import default_catalog
from .config import Config
from .document.text import Span
from .findings import Finding
from .formats.host import HostKind, analyze_host, host_kind
from .report import FileReport

# Folders that hold tools' files, never policies; skipped when searching folders.
SKIPPED_FOLDERS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules",
                             "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache",
                             ".tox", ".terraform", "cdk.out"})
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 48
_GLOB_CHARACTERS = frozenset("*?[")
# Files searched for in folders: JSON policies and templates, YAML templates and policies,
# Terraform files.
SEARCHED_SUFFIXES = (".json", ".yaml", ".yml", ".template", ".tf")


@dataclass(frozen=True, slots=True)
class Target:
    shown: str  # the path as the user gave it, or as found under a folder they gave
    path: Path | None  # None for standard input
    explicit: bool  # named by the user (always checked) or found in a folder
    data: bytes | None = None  # standard input's bytes


@dataclass(frozen=True, slots=True)
class Discovery:
    targets: list[Target]
    problems: list[FileReport]  # folder loops and the like, one report each
    missing: list[str]  # paths that name nothing: a usage error


def discover(paths: Sequence[str], config: Config, stdin_data: bytes | None = None,
             stdin_filename: str = "-") -> Discovery:
    """The files `paths` name: files, folders (searched for *.json), glob patterns, `-`."""
    targets: list[Target] = []
    problems: list[FileReport] = []
    missing: list[str] = []
    seen: set[Path] = set()

    def add(target: Target) -> None:
        key = target.path.resolve() if target.path else Path(target.shown)
        if key not in seen:
            seen.add(key)
            targets.append(target)

    for given in paths:
        if given == "-":
            add(Target(stdin_filename, None, True, stdin_data or b""))
            continue
        path = Path(given)
        if path.is_dir():
            for found in _search(path, config, problems):
                add(Target(str(found), found, False))
        elif path.exists():
            add(Target(given, path, True))
        elif _GLOB_CHARACTERS & set(given):
            matches = sorted(glob.glob(given, recursive=True))
            files = [Path(m) for m in matches if Path(m).is_file()]
            if not files:
                missing.append(given)
            for found in files:
                add(Target(str(found), found, True))
        else:
            missing.append(given)
    return Discovery(targets, problems, missing)


def _search(top: Path, config: Config, problems: list[FileReport]) -> Iterator[Path]:
    """Policy and template files under `top` (`SEARCHED_SUFFIXES`), following links but
    never around a loop."""
    visited: set[tuple[int, int]] = set()
    for folder, subfolders, files in os.walk(top, followlinks=True, onerror=None):
        here = Path(folder)
        try:
            stat = here.stat()
        except OSError:
            continue
        identity = (stat.st_dev, stat.st_ino)
        if identity in visited:
            problems.append(_problem(str(here), f"Folder loop: {here} leads back to a folder "
                                     "already searched; not followed again"))
            subfolders[:] = []
            continue
        visited.add(identity)
        subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED_FOLDERS
                               and not config.is_excluded(here / d))
        for name in sorted(files):
            candidate = here / name
            if name.lower().endswith(SEARCHED_SUFFIXES) and not config.is_excluded(candidate):
                yield candidate


def _problem(shown: str, message: str) -> FileReport:
    return FileReport(shown, "", [Finding("FILE_ERROR", message, Span(0, 0))])


def check(targets: Sequence[Target], config: Config, jobs: int = 0,
          policies_only: bool = False) -> list[FileReport]:
    """One report per checked file, in the order of `targets`; files found in folders
    that are not policies (and not matched by the policy globs) are left out."""
    jobs = jobs if jobs > 0 else (os.cpu_count() or 1)
    work = [(_read(target, config), target, config, policies_only) for target in targets]
    if jobs > 1 and len(work) >= PARALLEL_THRESHOLD and "fork" in (
            multiprocessing.get_all_start_methods()):
        # Workers are forked after the files are read and the catalog is warmed for the
        # services they name, so each inherits both instead of loading them again; only
        # indices go out and findings come back.
        _warm_catalog(text for text, *_ in work if isinstance(text, str))
        global _WORK
        _WORK = work
        chunk = max(1, len(work) // (jobs * 4))
        try:
            with ProcessPoolExecutor(max_workers=jobs,
                                     mp_context=multiprocessing.get_context("fork")) as pool:
                results = [None if result is None else (
                    result[0], text if isinstance(text, str) else "", result[2], result[3])
                    for result, (text, *_) in zip(
                        pool.map(_check_index, range(len(work)), chunksize=chunk), work,
                        strict=True)]
        finally:
            _WORK = []
    else:
        results = [_check_one(*item) for item in work]
    return [FileReport(*result) for result in results if result is not None]


_Work = tuple["str | Finding", Target, Config, bool]
_WORK: list[_Work] = []
_PREFIX = re.compile(r'"([A-Za-z0-9-]+):')


def _warm_catalog(texts: Iterator[str]) -> None:
    """Load the services the files name (`"prefix:` anywhere), once, in this process."""
    catalog = default_catalog()
    prefixes = {match.lower() for text in texts for match in _PREFIX.findall(text)}
    for prefix in prefixes:
        if catalog.has_service(prefix):
            catalog.service(prefix)


def _check_index(index: int) -> _Result | None:
    text, target, config, policies_only = _WORK[index]
    result = _check_one(text, target, config, policies_only)
    # The parent has the text already: send back everything else.
    return None if result is None else (result[0], "", result[2], result[3])


_Result = tuple[str, str, list[Finding], bool]


def _read(target: Target, config: Config) -> str | Finding:
    if target.data is not None:  # standard input: judged as a file's bytes are
        return decode_policy(target.data, config.max_file_size, "Standard input")
    assert target.path is not None
    return read_policy(target.path, config.max_file_size)


def _check_one(text: str | Finding, target: Target, config: Config,
               policies_only: bool) -> _Result | None:
    if isinstance(text, Finding):
        return target.shown, "", [text], True
    forced = target.path is not None and config.is_policy_path(target.path)
    assume = forced or (target.explicit and not policies_only)
    settings = Settings(assume_policy=assume, max_size=config.max_file_size,
                        policy_type=config.policy_type_for(
                            target.path if target.path is not None else Path(target.shown)))
    try:
        kind = _host_kind(target, text)
        if kind is not None:
            host = analyze_host(text, kind, policy_type=settings.policy_type)
            if host.is_host:
                return target.shown, text, config.apply(host.findings), True
            if kind is not HostKind.JSON:  # YAML or HCL with no policy: never JSON errors
                return (target.shown, text, [], False) if target.explicit else None
        analysis = analyze(text, settings)
    except Exception as error:  # a bug in a check: report it for this file, go on
        traceback.print_exc()
        return target.shown, text, [Finding(
            "INTERNAL_ERROR", f"Internal error while checking this file ({type(error).__name__}:"
            f" {error}); the other files were checked. Please report this with the file.",
            Span(0, 0))], True
    if not analysis.is_policy and not assume:
        return None
    return target.shown, text, config.apply(analysis.findings), analysis.is_policy


def _host_kind(target: Target, text: str) -> HostKind | None:
    name = target.path.name if target.path is not None else target.shown
    return host_kind(name, text)


def read_policy(path: Path, max_size: int) -> str | Finding:
    """The file's text, or the FILE_ERROR saying why not. A UTF-8 BOM is kept in the text:
    IAM rejects it, so the parser reports it with a fix (as the server does for a document
    that starts with one)."""
    try:
        size = path.stat().st_size
        if size > max_size:
            return Finding("FILE_ERROR", f"File too large to check: {size:,} bytes, over the "
                           f'limit of {max_size:,} ("max-file-size"); IAM policies are at most '
                           "a few KB", Span(0, 0))
        data = path.read_bytes()
    except OSError as error:
        return Finding("FILE_ERROR", f"Cannot read the file: {error.strerror or error}",
                       Span(0, 0))
    return decode_policy(data, max_size, "File")


def decode_policy(data: bytes, max_size: int, what: str = "Input") -> str | Finding:
    """A file's (or standard input's) bytes as text, or the FILE_ERROR saying why not."""
    if len(data) > max_size:
        return Finding("FILE_ERROR", f"{what} too large to check: {len(data):,} bytes, over the "
                       f'limit of {max_size:,} ("max-file-size"); IAM policies are at most '
                       "a few KB", Span(0, 0))
    subject = "The file" if what == "File" else what
    if b"\0" in data:
        return Finding("FILE_ERROR", f"{subject} is binary (it contains NUL bytes): not a "
                       "policy", Span(0, 0))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        return Finding("FILE_ERROR", f"{subject} is not valid UTF-8 (byte {error.start}): IAM "
                       "policies are UTF-8 text; re-save it as UTF-8", Span(0, 0))

"""Cached bytecode for the code that libraries generate while the server starts.

Python caches the bytecode of modules (`.pyc`), but not of source that libraries write and
compile at run time: attrs writes `__init__`, `__eq__`, ... for each of lsprotocol's ~560
classes, dataclasses does the same for ours, cattrs writes a converter function per message
type, fastjsonschema turns the policy schema into a 170 KB validator. Compiling that source
was about a third of the server's start-up (some 110 ms of 300-400). This module keeps the
code objects, keyed by the exact source, file name, mode and compiler flags, in one marshal
file beside our own `.pyc` files, under the same rules: `sys.pycache_prefix`
(PYTHONPYCACHEPREFIX) moves it, and `sys.dont_write_bytecode` (PYTHONDONTWRITEBYTECODE, `-B`)
means it is read but never written.

A code object compiled from the same source with the same flags is the one `compile()` would
return, so the libraries behave exactly as without the cache; a missing, stale or damaged
file only means compiling as usual. The libraries call `compile` and `exec` through their
module globals, which is where the cached versions are installed; a library version that
does otherwise is simply not sped up.
"""

from __future__ import annotations
import __future__

import atexit
import builtins
import logging
import marshal
import os
import sys
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

logger = logging.getLogger(__name__)

_Key = tuple[str, str, str, int]  # source, file name, mode, compiler flags
_FILE_STEM = "generated-code"


def cache_file() -> Path:
    """Where the cache lives: our package's `__pycache__` (or its mirror under
    `sys.pycache_prefix`), named for this Python's bytecode version."""
    import importlib.util

    # cache_from_source applies pycache_prefix and the interpreter's tag (cpython-311).
    pyc = Path(importlib.util.cache_from_source(str(Path(__file__).with_name(
        f"{_FILE_STEM}.py"))))
    return pyc.with_suffix(".marshal")


class CodeCache:
    """Code objects by source: what earlier runs compiled is what the next run finds."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stored: dict[_Key, CodeType] = {}
        self._used: dict[_Key, CodeType] = {}
        self.hits = 0
        self.misses = 0
        try:
            data = path.read_bytes()
            import importlib.util

            magic = importlib.util.MAGIC_NUMBER
            if data.startswith(magic):
                stored = marshal.loads(data[len(magic):])
                if isinstance(stored, dict):
                    self._stored = stored
        except (OSError, ValueError, EOFError, TypeError):
            pass  # absent or damaged: compile as usual, and write a new one

    def compile(self, source: str, filename: str, mode: str, flags: int) -> CodeType:
        key = (source, filename, mode, flags)
        code = self._stored.get(key)
        if code is None:
            code = builtins.compile(source, filename, mode, flags, dont_inherit=True)
            self.misses += 1
        else:
            self.hits += 1
        self._used[key] = code
        return code

    def save(self) -> None:
        """Write the cache when this run had to compile something; never when Python
        writes no bytecode. It keeps what earlier runs stored (a session that hovered
        compiled other converters than one that completed), unless that adds more than a
        quarter to what this run used: then only that is kept, since reading the file
        costs time at every start. (Entries do go stale: after a library upgrade, and
        each run, for attrs's frozen classes, whose `__hash__` source holds a random salt.)
        """
        if not self.misses or sys.dont_write_bytecode:
            return
        import importlib.util

        unused = self._stored.keys() - self._used.keys()
        entries = self._used if len(unused) * 4 > len(self._used) else {**self._stored,
                                                                        **self._used}
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(importlib.util.MAGIC_NUMBER + marshal.dumps(entries))
            os.replace(temporary, self.path)  # whole or not at all, even with two servers
            self.misses = 0
        except (OSError, ValueError) as error:  # read-only install, full disk: no cache
            logger.debug("code cache not written to %s: %s", self.path, error)
            temporary.unlink(missing_ok=True)


def _future_flags(module: ModuleType) -> int:
    """The compiler flags of the module's `from __future__` imports, which `compile()` and
    `exec()` pass on to the code they compile for it."""
    flags = 0
    for value in vars(module).values():
        if isinstance(value, __future__._Feature):
            flags |= value.compiler_flag
    return flags


def _cached_compile(cache: CodeCache, module: ModuleType) -> Any:
    inherited = _future_flags(module)

    def compile(source: Any, filename: Any, mode: str, flags: int = 0,
                dont_inherit: bool = False, optimize: int = -1, **options: Any) -> Any:
        flags |= 0 if dont_inherit else inherited
        if isinstance(source, str) and isinstance(filename, str) and optimize == -1 and (
                not options):
            return cache.compile(source, filename, mode, flags)
        return builtins.compile(source, filename, mode, flags, True, optimize, **options)
    return compile


def _cached_exec(cache: CodeCache, module: ModuleType) -> Any:
    inherited = _future_flags(module)

    def exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:
        if isinstance(source, str):
            source = cache.compile(source, "<string>", "exec", inherited)
        builtins.exec(source, globals, locals)
    return exec


def install() -> CodeCache:
    """Serve attrs's, cattrs's, dataclasses's and fastjsonschema's generated code from the
    cache, before lsprotocol, pygls and our modules are imported (they all load these
    libraries anyway); the cache is saved when Python exits."""
    import dataclasses

    import attr._make
    import cattrs.gen
    import cattrs.gen.typeddicts
    import fastjsonschema

    cache = CodeCache(cache_file())
    for module in (attr._make, cattrs.gen, cattrs.gen.typeddicts):
        module.compile = _cached_compile(cache, module)  # type: ignore[attr-defined]
    for module in (dataclasses, fastjsonschema):
        module.exec = _cached_exec(cache, module)  # type: ignore[attr-defined]
    atexit.register(cache.save)
    return cache

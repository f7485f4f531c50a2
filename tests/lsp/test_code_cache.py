"""The cache of generated code (codecache.py): written where Python caches bytecode, used by
the next server, harmless when damaged, never written when Python writes no bytecode; and a
cached compile is the same as `compile()`, `from __future__` flags included."""

from __future__ import annotations

import asyncio
import os
import types
from pathlib import Path
from typing import Any

import pytest
from lsp_support import start_session, uri_for, within
from lsprotocol import types as lsp

from connect_policy_lsp import codecache

POLICY = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["connect:DescribeUsr", "connect:ListUsers"],
     "Resource": "arn:aws:connect:us-east-1:123456789012:instance/*"}
  ]
}
"""


def _env(prefix: Path, write_bytecode: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(prefix)
    if not write_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _cache_files(prefix: Path) -> list[Path]:
    return sorted(prefix.rglob("generated-code.*.marshal"))


async def _session(env: dict[str, str]) -> tuple[list[Any], Any, list[str]]:
    """Diagnostics and hover of POLICY, and the server's debug lines about the cache."""
    client = await start_session(("--log-level", "DEBUG"), env=env)
    try:
        uri = uri_for("cached.json")
        mark = client.open(uri, POLICY)
        diagnostics = await client.diagnostics_of(uri, 1, mark)
        hover = await within(client.text_document_hover_async(lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=lsp.Position(line=3, character=45))), "hover")
        await within(client.shutdown_session(), "shutdown and exit")
        assert client.stderr_recorder is not None
        await within(asyncio.shield(client.stderr_recorder), "the end of stderr")
    finally:
        await client.stop()
    lines = [line for line in client.stderr_lines if "generated code:" in line]
    return [(d.code, d.range, d.message) for d in diagnostics], hover, lines


async def test_the_next_server_uses_the_cache(tmp_path: Path) -> None:
    env = _env(tmp_path)
    first_diagnostics, first_hover, first_log = await _session(env)
    files = _cache_files(tmp_path)
    assert len(files) == 1, files
    assert "0 from" in first_log[0]  # nothing cached yet
    second_diagnostics, second_hover, second_log = await _session(env)
    assert " 0 compiled" in second_log[0], second_log
    assert "0 from" not in second_log[0]
    assert (second_diagnostics, second_hover) == (first_diagnostics, first_hover)
    assert first_diagnostics  # the policy has findings: the comparison means something


async def test_a_damaged_cache_is_replaced(tmp_path: Path) -> None:
    env = _env(tmp_path)
    expected = (await _session(env))[:2]
    [path] = _cache_files(tmp_path)
    path.write_bytes(path.read_bytes()[:1000])  # cut short, as by a full disk
    assert (await _session(env))[:2] == expected
    assert path.stat().st_size > 1000  # written whole again
    path.write_bytes(b"not a cache")
    assert (await _session(env))[:2] == expected


async def test_no_cache_written_without_bytecode(tmp_path: Path) -> None:
    await _session(_env(tmp_path, write_bytecode=False))
    assert _cache_files(tmp_path) == []


def _module(source: str) -> types.ModuleType:
    module = types.ModuleType("compiler_test")
    exec(compile(source, "<compiler_test>", "exec", dont_inherit=True), vars(module))
    return module


@pytest.mark.parametrize("future", ["", "from __future__ import annotations\n"])
def test_cached_compile_is_compile(tmp_path: Path, future: str,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """What a library module compiles through the cache, first and again from the saved
    file, behaves as its own `compile()` would: its `from __future__` imports apply."""
    monkeypatch.setattr("sys.dont_write_bytecode", False)
    library = _module(future + "def generated(source):\n"
                               "    return compile(source, '<gen>', 'exec')\n")
    source = "def f(x: int) -> int:\n    return x + 1\n"
    expected = library.generated(source)
    for _ in range(2):  # compiled, then read from the file the first cache saved
        cache = codecache.CodeCache(tmp_path / "cache.marshal")
        library.compile = codecache._cached_compile(cache, library)
        code = library.generated(source)
        cache.save()
        assert code == expected
        namespace: dict[str, Any] = {}
        exec(code, namespace)
        assert namespace["f"](1) == 2
        assert namespace["f"].__annotations__ == (
            {"x": "int", "return": "int"} if future else {"x": int, "return": int})
    assert cache.hits == 1


@pytest.mark.parametrize("future", ["", "from __future__ import annotations\n"])
def test_cached_exec_is_exec(tmp_path: Path, future: str,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The same for a library that runs generated source with `exec` (dataclasses,
    fastjsonschema)."""
    monkeypatch.setattr("sys.dont_write_bytecode", False)
    library = _module(future + "def generated(source, namespace):\n"
                               "    exec(source, namespace)\n")
    source = "def f(x: int) -> int:\n    return x + 1\n"
    for _ in range(2):
        cache = codecache.CodeCache(tmp_path / "cache.marshal")
        library.exec = codecache._cached_exec(cache, library)
        namespace: dict[str, Any] = {}
        library.generated(source, namespace)
        cache.save()
        assert namespace["f"](1) == 2
        assert namespace["f"].__annotations__ == (
            {"x": "int", "return": "int"} if future else {"x": int, "return": int})
    assert (cache.hits, cache.misses) == (1, 0)


def test_saved_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run keeps what earlier runs stored, unless that is much more than it used."""
    monkeypatch.setattr("sys.dont_write_bytecode", False)
    path = tmp_path / "cache.marshal"

    def run(*sources: str) -> tuple[int, int]:
        cache = codecache.CodeCache(path)
        for source in sources:
            cache.compile(source, "<gen>", "exec", 0)
        counts = cache.hits, cache.misses
        cache.save()
        return counts

    first = [f"{name} = 1" for name in "abcde"]
    assert run(*first) == (0, 5)
    assert run(*first[:4], "f = 1") == (4, 1)
    assert run(*first, "f = 1") == (6, 0)  # e kept though the last run did not use it
    assert run("g = 1") == (0, 1)  # what this run used is far less: only g is kept
    assert run("a = 1", "g = 1") == (1, 1)

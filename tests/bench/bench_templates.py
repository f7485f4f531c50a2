"""Typing in a large CloudFormation template: keystroke -> diagnostics, and completion right
after a keystroke, through the real server; and the same analysis in-process.

A script, not a test: `python tests/bench/bench_templates.py [--edits N]`. The template is
tests/core/stack_templates.py's Connect stack: about 3,400 lines of YAML (6,400 of JSON)
with 40 policies among 240 other resources. In the middle policy's action list:
- YAML: a new list item `- connect:DescribeUser` typed one character at a time after an
  existing item (the line break and indentation as one edit, as an editor's Enter gives them),
  then deleted again; the same as `- "connect:DescribeUser"` typed without an auto-closed
  quote (as in Neovim by default: a syntax error in that resource until the quote closes);
- JSON: `"connect:DescribeUser", ` typed into the Action array (its half-typed string is a
  syntax error until the quote closes), then deleted.
Each didChange is timed until the publishDiagnostics of its version (push diagnostics, the
client's positions in UTF-16). Completion: after each typed character of the action name, a
completion request at the cursor is sent right after the didChange and timed to its answer
(the keystroke's analysis included, as a user typing sees it). In-process: the same texts
through `HostAnalyzer` (what the server runs) against `analyze_host` (every resource again).
Figures are p50 / p95 / max in ms, each next to the goal of issue 13 (keystroke -> diagnostics
p95 <= 15 ms, completion p95 <= 5 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))

from bench_lsp import percentile, start_server
from stack_templates import stack_template

from connect_policy.document.text import LineIndex
from connect_policy.formats.host import HostKind, analyze_host
from connect_policy.formats.incremental import HostAnalyzer

GOAL_KEYSTROKE = (0.95, 15.0)
GOAL_COMPLETION = (0.95, 5.0)
ACTION = "connect:DescribeUser"


def typing(form: str, text: str) -> list[tuple[str, int, int, bool]]:
    """Each edit: (inserted text, or "" for a deletion of one character before `at`; `at`;
    the cursor after the edit; whether a completion there makes sense)."""
    middle = text.index("connect:DescribeQueue", len(text) // 2)
    if form.startswith("yaml"):
        line_end = text.index("\n", middle)
        line_start = text.rindex("\n", 0, middle) + 1
        indent = text[line_start:text.index("-", line_start)]
        quote = '"' if form == "yaml-quoted" else ""
        prefix, at = f"\n{indent}- {quote}", line_end
    else:
        prefix, at = '"', middle - 1  # before the existing entry's quote
    steps: list[tuple[str, int, int, bool]] = [(prefix, at, at + len(prefix), False)]
    cursor = at + len(prefix)
    typed = ACTION + {"json": '", ', "yaml-quoted": '"'}.get(form, "")
    for i, character in enumerate(typed):
        steps.append((character, cursor, cursor + 1, i < len(ACTION)))
        cursor += 1
    for _ in range(len(typed) + len(prefix)):
        steps.append(("", cursor, cursor - 1, False))
        cursor -= 1
    return steps


def versions(text: str, steps: list[tuple[str, int, int, bool]]) -> list[str]:
    result = []
    for inserted, at, _, _ in steps:
        text = text[:at] + inserted + text[at:] if inserted else text[:at - 1] + text[at:]
        result.append(text)
    return result


def in_process(form: str, text: str, rounds: int) -> tuple[list[float], list[float]]:
    kind = HostKind.JSON if form == "json" else HostKind.YAML
    texts = versions(text, typing(form, text))
    analyzer = HostAnalyzer()
    analyzer.analyze(text, kind)
    incremental: list[float] = []
    full: list[float] = []
    gc.disable()
    try:
        for _ in range(rounds):
            for version in texts:
                began = time.perf_counter_ns()
                analyzer.analyze(version, kind)
                incremental.append((time.perf_counter_ns() - began) / 1e6)
        for version in texts[:: max(1, len(texts) // 12)]:
            began = time.perf_counter_ns()
            analyze_host(version, kind)
            full.append((time.perf_counter_ns() - began) / 1e6)
    finally:
        gc.enable()
    return incremental, full


# A client that pulls diagnostics (VS Code does): the server analyses when asked.
PULLING: dict[str, Any] = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {"synchronization": {}, "diagnostic": {"dynamicRegistration": False}},
}


async def through_server(form: str, text: str, edits: int, pull: bool = False
                         ) -> tuple[list[float], list[float]]:
    """Keystroke -> diagnostics latencies, and completion latencies right after keystrokes.
    `pull`: the client pulls diagnostics after the completion answer (and the keystroke's
    latency is to that pull's answer)."""
    steps = typing(form, text)
    uri = Path(f"/tmp/bench-stack.{'template.json' if form == 'json' else 'yaml'}").as_uri()
    client, _, _ = await start_server(capabilities=PULLING if pull else None)
    keystrokes: list[float] = []
    completions: list[float] = []
    try:
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": form.split("-")[0], "version": 0, "text": text}})
        if pull:
            await client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        else:
            await client.diagnostics(uri, 0)
        version = 0
        current = text
        while version < edits:
            for inserted, offset, cursor, complete in steps:
                version += 1
                lines = LineIndex(current)
                if inserted:
                    start = end = lines.position(offset, "utf-16")
                    current = current[:offset] + inserted + current[offset:]
                else:
                    start = lines.position(offset - 1, "utf-16")
                    end = lines.position(offset, "utf-16")
                    current = current[:offset - 1] + current[offset:]
                began = time.perf_counter()
                client.change(uri, version, start, end, inserted)
                request_id = None
                if complete:
                    line, character = LineIndex(current).position(cursor, "utf-16")
                    client.next_id += 1
                    request_id = client.next_id
                    client.send({"id": request_id, "method": "textDocument/completion",
                                 "params": {"textDocument": {"uri": uri}, "position": {
                                     "line": line, "character": character}}})
                if pull and request_id is None:
                    await client.request("textDocument/diagnostic",
                                         {"textDocument": {"uri": uri}})
                    keystrokes.append((time.perf_counter() - began) * 1000)
                    continue
                published = False
                while not published or request_id is not None:
                    message = await asyncio.wait_for(client.read(), 30)
                    elapsed = (time.perf_counter() - began) * 1000
                    params = message.get("params") or {}
                    if message.get("id") == request_id and "method" not in message:
                        items = (message.get("result") or {}).get("items")
                        assert items, f"no completion at version {version}: {message}"
                        completions.append(elapsed)
                        request_id = None
                        if pull:
                            await client.request("textDocument/diagnostic",
                                                 {"textDocument": {"uri": uri}})
                            keystrokes.append((time.perf_counter() - began) * 1000)
                            published = True
                    elif (message.get("method") == "textDocument/publishDiagnostics"
                          and params.get("uri") == uri and params.get("version") == version):
                        keystrokes.append(elapsed)
                        published = True
    finally:
        await client.stop()
    return keystrokes, completions


def row(name: str, samples: list[float], goal: tuple[float, float] | None = None) -> None:
    figures = (f"{percentile(samples, 0.5):8.2f} {percentile(samples, 0.95):8.2f} "
               f"{max(samples):8.2f}")
    verdict = ""
    if goal is not None:
        fraction, limit = goal
        met = percentile(samples, fraction) <= limit
        verdict = f"  goal p{int(fraction * 100)} <= {limit:g} ms: {'ok' if met else 'MISSED'}"
    print(f"  {name:<58} {figures}{verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--edits", type=int, default=300, help="edits through the server")
    parser.add_argument("--rounds", type=int, default=5, help="in-process repetitions")
    args = parser.parse_args()
    print(f"{'(ms)':60} {'p50':>8} {'p95':>8} {'max':>8}")
    for form in ("yaml", "yaml-quoted", "json"):
        text = stack_template(form.split("-")[0])
        kind = HostKind.JSON if form == "json" else HostKind.YAML
        print(f"{form.upper()} template: {text.count(chr(10)):,} lines, "
              f"{len(analyze_host(text, kind).policies)} policies"
              + (" (a quoted entry typed without its closing quote: a syntax error until the"
                 " end)" if form == "yaml-quoted" else ""))
        incremental, full = in_process(form, text, args.rounds)
        row("in-process: HostAnalyzer after each edit", incremental)
        row("in-process: analyze_host (the whole template)", full)
        keystrokes, completions = asyncio.run(through_server(form, text, args.edits))
        row("server, push: keystroke -> diagnostics", keystrokes, GOAL_KEYSTROKE)
        row("server, push: completion right after a keystroke", completions, GOAL_COMPLETION)
        keystrokes, completions = asyncio.run(through_server(form, text, args.edits, True))
        row("server, pull: keystroke -> pulled diagnostics", keystrokes, GOAL_KEYSTROKE)
        row("server, pull: completion right after a keystroke", completions, GOAL_COMPLETION)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

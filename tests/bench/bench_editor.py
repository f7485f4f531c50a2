"""Completion and hover latency through the real server, on a real Connect policy.

A script, not a test: `python tests/bench/bench_editor.py [--rounds N]`. Opens
AmazonConnectServiceLinkedRolePolicy.json from the corpus and, for every action string in
it, asks for completion right after the `service:` part (the service's actions and wildcard
groups), at the start of the string (every service prefix) and for hover on the action; in
every condition-key position, completion of keys and hover; and completion of operators,
resource ARNs, element names, Effect values and whole job statements where they go; the
segments of each resource ARN (partition, service, Region, account, resource part: at the
start of each, the rest of the ARN after the cursor), and hover on Effect values, resource
ARNs and condition operators.
Each request is timed from writing it to the server's stdin until its response is read
and decoded with `json.loads`, as an editor would (a raw JSON-RPC client: turning the
response into lsprotocol objects with cattrs, as pygls's own client does, costs more than
the server and is not what editors do). The table shows median, p95 and max in ms, and the
same requests answered in-process (the core's answer, converted to LSP and serialised to
JSON as the server does: everything but the transport), for comparison on a loaded machine.
Each completion figure is printed next to its goal (p95 of action completion ≤ 1.5 ms, of
every other completion ≤ 5 ms) and whether it is met.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))

from bench_lsp import (
    SMALL_POLICY,
    RawClient,
    machine,
    percentile,
    table,
)
from corpus_location import locate_corpus
from pygls.protocol import default_converter

from connect_policy import __version__
from connect_policy.analysis import analyze
from connect_policy.checks.arns import split_arn
from connect_policy.document.policy import ACTION_ELEMENTS, strings_in
from connect_policy.document.syntax import JsonObject
from connect_policy.editor.completion import complete
from connect_policy.editor.hover import hover
from connect_policy_lsp.convert import to_completion_list

# p95 goals in ms (issue 12): the list after `service:` is the one typed most.
GOAL_P95_MS = {"actions": 1.5}
OTHER_COMPLETION_GOAL_P95_MS = 5.0


def positions(text: str) -> dict[str, list[int]]:
    """Offsets to ask at, by kind of request."""
    analysis = analyze(text)
    found: dict[str, list[int]] = {"actions": [], "services": [], "hover actions": [],
                                   "keys": [], "hover keys": [], "operators": [],
                                   "resources": [], "elements": [], "effect": [],
                                   "statements": [], "arn parts": [], "condition values": [],
                                   "hover elements": []}
    root = analysis.policy.root
    statements = root.value_of("Statement") if isinstance(root, JsonObject) else None
    if statements is not None:
        found["statements"].append(statements.start + 1)  # just after `[`
    for statement in analysis.policy.statements:
        found["elements"].append(statement.node.start + 1)  # just after `{`
        effect = statement.value("Effect")
        if effect is not None:
            found["effect"].append(effect.start + 1)
            found["hover elements"].append(effect.start + 2)
        for node, _ in strings_in(statement.value("Resource")):
            found["resources"].append(node.start + 1)
            found["hover elements"].append(node.start + 2)
            if node.value.startswith("arn:"):
                fields = split_arn(node.value)
                found["arn parts"] += [node.start + 1 + start for start in fields.starts[1:]]
        for element in ACTION_ELEMENTS:
            for node, _ in strings_in(statement.value(element)):
                colon = node.value.find(":")
                if colon > 0:
                    found["actions"].append(node.start + 1 + colon + 1)
                    found["services"].append(node.start + 1)
                    found["hover actions"].append(node.start + 1 + colon + 2)
        condition = statement.value("Condition")
        if isinstance(condition, JsonObject):
            for block in condition.members:
                found["operators"].append(block.key.start + 2)
                found["hover elements"].append(block.key.start + 2)
                if isinstance(block.value, JsonObject):
                    for key in block.value.members:
                        found["keys"].append(key.key.start + 5)
                        found["hover keys"].append(key.key.start + 5)
                        # At the start of each value of a key that has values to offer.
                        found["condition values"] += [
                            node.start + 1 for node, _ in strings_in(key.value)
                            if complete(text, node.start + 1, parsed=analysis.policy.parse)]
    return found


def stats(samples: list[float]) -> list[str]:
    return [f"{percentile(samples, 0.5):.2f}", f"{percentile(samples, 0.95):.2f}",
            f"{max(samples):.2f}", str(len(samples))]


async def timed(request: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    result = await request()
    elapsed = (time.perf_counter() - started) * 1000
    if not result:  # every position asked at has an answer
        raise SystemExit("a request at a benchmark position returned nothing")
    return elapsed


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5, help="passes over the positions (5)")
    parser.add_argument("--no-item-defaults", action="store_true",
                        help="act as a client without `completionList.itemDefaults` (every "
                             "item then carries its own edit range)")
    args = parser.parse_args()
    path = locate_corpus() / "policies" / SMALL_POLICY
    if not path.is_file():
        print(f"{path} not found (set CONNECT_POLICY_CORPUS)", file=sys.stderr)
        return 2
    text = path.read_text(encoding="utf-8")
    wanted = positions(text)
    analysis = analyze(text)
    lines = analysis.policy.parse.lines

    defaults = not args.no_item_defaults
    client = await RawClient.start()
    # As VS Code and Neovim 0.11 announce: snippets, and `itemDefaults.editRange`.
    capabilities = {"textDocument": {
        "completion": {"completionItem": {"snippetSupport": True},
                       "completionList": {"itemDefaults": ["editRange"] if defaults else []}},
        "hover": {"contentFormat": ["markdown"]}}}
    await client.request("initialize", {"processId": None, "rootUri": None,
                                        "capabilities": capabilities})
    client.notify("initialized", {})
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "json", "version": 1, "text": text}})
    document = {"uri": uri}

    def at(offset: int) -> dict[str, int]:
        line, character = lines.position(offset, "utf-16")
        return {"line": line, "character": character}

    converter = default_converter()  # pygls's, as the server serialises its answers
    served: dict[str, list[float]] = {kind: [] for kind in wanted}
    in_process: dict[str, list[float]] = {kind: [] for kind in wanted}
    for _ in range(args.rounds):
        for kind, offsets in wanted.items():
            for offset in offsets:
                position = at(offset)
                params = {"textDocument": document, "position": position}
                if kind.startswith("hover"):
                    served[kind].append(await timed(
                        partial(client.request, "textDocument/hover", params)))
                    started = time.perf_counter()
                    hover(text, offset, parsed=analysis.policy.parse)
                else:
                    served[kind].append(await timed(
                        partial(client.request, "textDocument/completion", params)))
                    started = time.perf_counter()
                    result = complete(text, offset, parsed=analysis.policy.parse)
                    assert result is not None
                    converted = to_completion_list(result, lines, "utf-16", True, defaults)
                    json.dumps(converter.unstructure(converted))
                in_process[kind].append((time.perf_counter() - started) * 1000)
    await client.stop()

    print(f"connect-policy-lsp {__version__}")
    print(f"Machine: {machine()}")
    print(f"Policy: {SMALL_POLICY} ({len(text.encode()) / 1024:.1f} KB), {args.rounds} rounds; "
          f"client {'with' if defaults else 'without'} completionList.itemDefaults")
    print()
    header = ["median", "p95", "max", "n", "goal p95", "met"]
    rows = [("request (ms), through the server", header)]
    rows += [(f"  {label(kind)}", stats(samples) + goal(kind, samples))
             for kind, samples in served.items() if samples]
    rows += [("same, in-process (core + conversion)", header)]
    rows += [(f"  {label(kind)}", stats(samples) + goal(kind, samples))
             for kind, samples in in_process.items() if samples]
    print(table(rows))
    return 0


def goal(kind: str, samples: list[float]) -> list[str]:
    """The p95 goal of a completion row and whether the samples meet it; hover has none."""
    if kind.startswith("hover"):
        return ["", ""]
    limit = GOAL_P95_MS.get(kind, OTHER_COMPLETION_GOAL_P95_MS)
    return [f"≤ {limit:g}", "yes" if percentile(samples, 0.95) <= limit else "NO"]


def label(kind: str) -> str:
    return {"actions": "completion: actions after `service:`",
            "services": "completion: service prefixes",
            "hover actions": "hover: action",
            "keys": "completion: condition keys",
            "hover keys": "hover: condition key",
            "operators": "completion: condition operators",
            "resources": "completion: resource ARNs",
            "elements": "completion: statement element names",
            "effect": "completion: Effect values",
            "statements": "completion: job statements",
            "arn parts": "completion: ARN segments",
            "condition values": "completion: condition values",
            "hover elements": "hover: Effect, ARN, operator"}[kind]


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

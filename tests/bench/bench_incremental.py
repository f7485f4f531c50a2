"""In-process cost of analysing each keystroke: full `analyze` against the language server's
incremental `DocumentAnalyzer`, on the typing edits of bench_lsp.py (an action name typed
into the first Action array of AmazonConnectServiceLinkedRolePolicy.json one character at a
time, then deleted). No server process: the figures are the analysis alone, p50 / p95 of
`time.perf_counter_ns` over `--edits` edits repeated `--rounds` times.

A script, not a test: `python tests/bench/bench_incremental.py [--edits N] [--rounds N]`.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))

from corpus_location import locate_corpus

from connect_policy.analysis import DocumentAnalyzer, analyze

POLICY = "AmazonConnectServiceLinkedRolePolicy.json"


def typing_versions(text: str, edits: int, typed: str = "connect:DescribeQueue") -> list[str]:
    """The document after each of bench_lsp.py's typing edits."""
    action = next(s.value("Action") for s in analyze(text).policy.statements
                  if (v := s.value("Action")) is not None and text[v.start] == "[")
    assert action is not None
    at, entry = action.start + 1, f'"{typed}", '
    versions: list[str] = []
    typed_so_far, deleting = 0, False
    while len(versions) < edits or typed_so_far:
        typed_so_far += -1 if deleting else 1
        deleting = typed_so_far == len(entry) if not deleting else typed_so_far > 0
        versions.append(text[:at] + entry[:typed_so_far] + text[at:])
    return versions


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--edits", type=int, default=200, help="typing edits (200)")
    parser.add_argument("--rounds", type=int, default=3, help="repetitions (3)")
    args = parser.parse_args()
    text = (locate_corpus() / "policies" / POLICY).read_text(encoding="utf-8")
    versions = typing_versions(text, args.edits)
    analyze(text)  # the catalog's services loaded before timing
    full: list[float] = []
    incremental: list[float] = []
    for _ in range(args.rounds):
        analyzer = DocumentAnalyzer()
        analyzer.analyze(text)
        for version in versions:
            began = time.perf_counter_ns()
            analyze(version)
            middle = time.perf_counter_ns()
            analyzer.analyze(version)
            incremental.append((time.perf_counter_ns() - middle) / 1e6)
            full.append((middle - began) / 1e6)
    print(f"Analysing each keystroke on {POLICY} ({len(full)} edits), ms: p50 / p95")
    for label, samples in (("full analyze", full), ("incremental", incremental)):
        print(f"  {label:<14}{percentile(samples, 0.5):8.2f}{percentile(samples, 0.95):8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

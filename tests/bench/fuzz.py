"""Fuzz the core: every editor feature on many generated and damaged documents.

A script, not a test: `python tests/bench/fuzz.py [--count 100000] [--seed 0] [--jobs 2]
[--kinds all|json|hosts]`. Document `i` of seed `s` is built from `random.Random(f"{s}:{i}")`
alone, so any document reproduces on its own (`--only I`, with the same `--kinds`, reruns one
and prints its traceback). Documents come in turn from five sources (`--kinds json`: the
first three, `hosts`: the last two): a random JSON value (mostly policy-shaped) serialised
and sometimes damaged; a policy from examples/ damaged (insertions, deletions, copied runs,
line ends, truncation); a policy from the AWS managed policies corpus damaged the same way
(examples/ again when the corpus is absent; see tests/corpus/conftest.py for where it is
looked up); a random policy in a random host file (a YAML or JSON template, a YAML policy
file, a Terraform file), sometimes damaged; a real host file (tests/core/fuzzing_hosts.py's
`host_texts`) damaged the ways YAML and HCL break (`mutate_host`), analysed also as the
server does after the edit (incrementally, from the original: it must find the same).

On each one, tests/core/fuzzing.py's `check_document` (in a host file
`check_host_document`) runs analyze, completion, hover,
quick fixes, refactorings and the outline features at random offsets and ranges, asserts
that spans stay in the text, that selection chains nest, that fixes' edits apply and the
result analyzes again, that messages are not empty. A property that fails or an exception
is a crash; a document taking more than `--slow` seconds is reported as slow, and one
still running after `--hang` seconds is stopped (SIGALRM) and reported as a hang, with
where it was. Failing documents are written to `--out` as JSON for replay. Exit status 1
when anything crashed or hung.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "server"))

import fuzzing
import fuzzing_hosts

from connect_policy.catalog.services import default_catalog
from connect_policy.formats.host import HostKind

SOURCES = ("random JSON", "mutated examples", "mutated corpus", "random host files",
           "mutated host files")
KINDS = {"all": (0, 1, 2, 3, 4), "json": (0, 1, 2), "hosts": (3, 4)}
CHUNK = 100

_examples: list[tuple[str, str]] = []
_corpus: list[tuple[str, str]] = []


class Hang(BaseException):  # not an Exception: the code under test must not catch it
    """Raised by SIGALRM in a document that runs past --hang seconds."""


def _on_alarm(_signum: int, _frame: FrameType | None) -> None:
    raise Hang


def _load() -> None:
    global _examples, _corpus
    if not _examples:
        _examples = fuzzing.example_texts()
        _corpus = fuzzing.corpus_texts()
        fuzzing_hosts.host_texts()  # built once, before forking
        default_catalog().service("connect")  # warm the catalog before timing
    signal.signal(signal.SIGALRM, _on_alarm)


@dataclass(frozen=True, slots=True)
class Document:
    source: int
    origin: str
    text: str
    probe: fuzzing.Probe
    kind: HostKind | None = None  # how a host file is read; None for a JSON policy file
    before: str | None = None  # the text before an edit that made this one (host files)


def document(seed: int, index: int, kinds: str = "all") -> Document:
    """Document `index` of the sources `kinds` selects."""
    rng = random.Random(f"{seed}:{index}")
    sources = KINDS[kinds]
    source = sources[index % len(sources)]
    if source == 3:
        kind = rng.choice(fuzzing_hosts.KINDS)
        text = fuzzing_hosts.random_host_text(rng, kind)
        return Document(source, f"random {kind.value}", text,
                        fuzzing_hosts.host_probe(text, rng, 4, 2, 6), kind)
    if source == 4:
        origin, kind, original = rng.choice(fuzzing_hosts.host_texts())
        text = fuzzing_hosts.mutate_host(original, rng)
        return Document(source, f"{origin} (as {kind.value})", text,
                        fuzzing_hosts.host_probe(text, rng, 4, 2, 6), kind, original)
    if source == 0:
        origin, text = "random", fuzzing.random_json_text(rng)
    else:
        pool = _corpus if source == 2 else _examples
        origin, original = rng.choice(pool)
        text = fuzzing.mutate(original, rng)
    return Document(source, origin, text, fuzzing.random_probe(text, rng, offsets=4, spans=2,
                                                               max_fixes=6))


def check(document: Document) -> fuzzing.Outcome:
    if document.kind is None:
        return fuzzing.check_document(document.text, document.probe)
    return fuzzing.check_host_document(document.text, document.kind, document.probe,
                                       before=document.before)


@dataclass(slots=True)
class Problem:
    kind: str  # crash, hang, slow
    index: int
    source: int
    origin: str
    seconds: float
    text: str
    error: str = ""
    where: str = ""
    trace: str = ""


@dataclass(slots=True)
class Tally:
    by_source: Counter[int] = field(default_factory=Counter)
    findings: int = 0
    fixes_applied: int = 0
    completions: int = 0
    codes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)


def _where(error: BaseException) -> str:
    """The innermost frame in the server's code (else the innermost)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/server/connect_policy" in f.filename] or frames
    frame = ours[-1] if ours else None
    return f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}" if frame else "?"


def run_chunk(args: tuple[int, int, int, float, float, str]) -> Tally:
    seed, start, stop, slow, hang, kinds = args
    _load()
    tally = Tally()
    for index in range(start, stop):
        generated = document(seed, index, kinds)
        source, origin, text = generated.source, generated.origin, generated.text
        tally.by_source[source] += 1
        began = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, hang)
        try:
            outcome = check(generated)
            signal.setitimer(signal.ITIMER_REAL, 0)
        except Hang as error:
            took = time.perf_counter() - began
            tally.problems.append(Problem("hang", index, source, origin, took, text,
                                          f"still running after {hang:g} s", _where(error),
                                          traceback.format_exc()))
            continue
        except Exception as error:
            signal.setitimer(signal.ITIMER_REAL, 0)
            took = time.perf_counter() - began
            tally.problems.append(Problem("crash", index, source, origin, took, text,
                                          f"{type(error).__name__}: {error}"[:500],
                                          _where(error), traceback.format_exc()))
            continue
        took = time.perf_counter() - began
        tally.seconds += took
        tally.findings += outcome.findings
        tally.fixes_applied += outcome.fixes_applied
        tally.completions += outcome.completions
        tally.codes.update(outcome.codes)
        if took > slow:
            tally.problems.append(Problem("slow", index, source, origin, took, text))
    return tally


def _chunks(seed: int, count: int, slow: float, hang: float, kinds: str
            ) -> Iterator[tuple[int, int, int, float, float, str]]:
    for start in range(0, count, CHUNK):
        yield seed, start, min(count, start + CHUNK), slow, hang, kinds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="documents (100000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", "-j", type=int, default=1, help="processes (1)")
    parser.add_argument("--slow", type=float, default=2.0,
                        help="seconds after which a document is reported as slow (2)")
    parser.add_argument("--hang", type=float, default=60.0,
                        help="seconds after which a document is stopped as a hang (60)")
    parser.add_argument("--out", type=Path,
                        default=Path(tempfile.gettempdir()) / "connect-policy-fuzz",
                        help="folder for the failing documents (a temporary folder)")
    parser.add_argument("--kinds", choices=sorted(KINDS), default="all",
                        help="JSON policy files, host files (templates, YAML, Terraform) or "
                             "both, in turn (all)")
    parser.add_argument("--only", type=int, metavar="I",
                        help="run document I alone and print what happens")
    args = parser.parse_args()
    if args.only is not None:
        _load()
        generated = document(args.seed, args.only, args.kinds)
        kind = f", read as {generated.kind.value}" if generated.kind else ""
        print(f"document {args.only} ({SOURCES[generated.source]}, from {generated.origin}"
              f"{kind}): {generated.text!r}\n{generated.probe}")
        began = time.perf_counter()
        check(generated)
        print(f"ok in {time.perf_counter() - began:.3f} s")
        return 0

    started = time.perf_counter()
    total = Tally()
    done = 0
    chunks = _chunks(args.seed, args.count, args.slow, args.hang, args.kinds)
    if args.jobs > 1:
        _load()  # read the files and warm the catalog once, before forking
        pool = multiprocessing.get_context("fork").Pool(args.jobs)
        results: Iterator[Tally] = pool.imap_unordered(run_chunk, chunks)
    else:
        pool = None
        results = map(run_chunk, chunks)
    try:
        for tally in results:
            total.by_source.update(tally.by_source)
            total.findings += tally.findings
            total.fixes_applied += tally.fixes_applied
            total.completions += tally.completions
            total.codes.update(tally.codes)
            total.seconds += tally.seconds
            for problem in tally.problems:
                total.problems.append(problem)
                if problem.kind != "slow":
                    print(f"{problem.kind.upper()} #{problem.index} ({SOURCES[problem.source]}, "
                          f"{problem.origin}): {problem.error} at {problem.where}", flush=True)
            done += sum(tally.by_source.values())
            if done % 10_000 < CHUNK:
                rate = done / (time.perf_counter() - started)
                print(f"... {done} documents, {rate:.0f}/s", file=sys.stderr, flush=True)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    elapsed = time.perf_counter() - started
    return report(args, total, done, elapsed)


def report(args: argparse.Namespace, total: Tally, done: int, elapsed: float) -> int:
    problems = sorted(total.problems, key=lambda p: p.index)
    crashes = [p for p in problems if p.kind == "crash"]
    hangs = [p for p in problems if p.kind == "hang"]
    slow = [p for p in problems if p.kind == "slow"]
    if crashes or hangs or slow:
        args.out.mkdir(parents=True, exist_ok=True)
        for problem in problems:
            path = args.out / f"{problem.kind}-{args.seed}-{problem.index}.json"
            path.write_text(json.dumps({
                "kind": problem.kind, "seed": args.seed, "index": problem.index,
                "source": SOURCES[problem.source], "origin": problem.origin,
                "seconds": round(problem.seconds, 3), "error": problem.error,
                "where": problem.where, "trace": problem.trace, "text": problem.text},
                indent=2), encoding="utf-8")
    by_cause: dict[tuple[str, str], list[Problem]] = {}
    for problem in crashes + hangs:
        by_cause.setdefault((problem.error.split(":")[0], problem.where), []).append(problem)
    print()
    for (kind, where), group in by_cause.items():
        smallest = min(group, key=lambda p: len(p.text))
        print(f"== {len(group)} x {kind} at {where}; smallest: document {smallest.index} "
              f"({len(smallest.text)} chars)\n{smallest.error}\n{smallest.text[:400]!r}\n"
              f"{smallest.trace}")
    for problem in slow:
        print(f"slow: document {problem.index} ({SOURCES[problem.source]}, {problem.origin}, "
              f"{len(problem.text)} chars) took {problem.seconds:.2f} s")
    print(f"Seed {args.seed}, {args.jobs} job(s), kinds: {args.kinds}")
    print(f"Documents:        {done}")
    for number in KINDS[args.kinds]:
        print(f"  {SOURCES[number] + ':':<30}{total.by_source[number]}")
    print(f"Findings:         {total.findings} ({len(total.codes)} codes)")
    print(f"Fixes applied:    {total.fixes_applied}")
    print(f"Completion lists: {total.completions} (with items)")
    print(f"Crashes:          {len(crashes)} ({len(_keys(crashes))} distinct)")
    print(f"Hangs (>{args.hang:g} s): {len(hangs)}")
    print(f"Slow (>{args.slow:g} s):   {len(slow)}")
    print(f"Total time:       {elapsed:.1f} s ({total.seconds:.1f} s in documents)")
    print(f"Documents/s:      {done / elapsed:.1f}")
    if problems:
        print(f"Failing documents written to {args.out}/")
    return 1 if crashes or hangs else 0


def _keys(problems: list[Problem]) -> set[tuple[str, str]]:
    return {(p.error.split(":")[0], p.where) for p in problems}


if __name__ == "__main__":
    sys.exit(main())

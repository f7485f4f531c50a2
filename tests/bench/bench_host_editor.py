"""Completion and hover latency inside templates, in-process (the core's answer).

A script, not a test: `python tests/bench/bench_host_editor.py [--rounds N]`. On the test
data's Connect template (YAML, 140 lines) and on the same grown to about 3,000 lines (700
more resources before the policies), times `complete_in_host` after `connect:Desc` in an
action list item (read from the analysis's tree), after `connect:` (a line YAML cannot read
yet: the resource around it is re-parsed with the line completed), in an unclosed flow list,
and `hover_in_host` on an action; in the test data's Terraform module with a trust policy
document added (and grown with 60 more documents), completion in the `type` and
`identifiers` of its `principals` block (the HCL re-parsed) and in its `actions`. Prints
median, p95 and max in ms (`time.perf_counter_ns`,
garbage collector off while timing), next to the goal of JSON policies' action completion
(p95 ≤ 1.5 ms) for the figures read from the tree.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from connect_policy.analysis import Analysis, analyze_in_host
from connect_policy.editor.completion_host import complete_in_host
from connect_policy.editor.hover import hover_in_host
from connect_policy.formats.host import HostKind

TEMPLATE = (Path(__file__).resolve().parents[1] / "core" / "formats" / "data"
            / "contact_center.yaml").read_text()
ITEM = "                  - connect:DescribeUser\n"
MODULE = (Path(__file__).resolve().parents[1] / "core" / "formats" / "data"
          / "contact_center.tf").read_text()
TRUST = ('data "aws_iam_policy_document" "trust%d" {\n  statement {\n'
         '    actions = ["sts:AssumeRole"]\n    principals {\n'
         '      type        = "Service"\n      identifiers = ["lambda.amazonaws.com"]\n'
         '    }\n  }\n}\n')
FILLER = "".join(f"  Filler{i}:\n    Type: AWS::SNS::Topic\n    Properties:\n"
                 f"      TopicName: topic-{i}\n" for i in range(700))


def cases(text: str) -> list[tuple[str, str, int, Callable[[Analysis, int], object]]]:
    """(name, text, offset, request) for one template."""
    found = []
    at = text.index(ITEM) + len(ITEM) - len("ribeUser\n")
    found.append(("completion after `- connect:Desc` (tree)", text, at, complete_in_host))
    typed = text.replace(ITEM, "                  - connect:\n", 1)
    found.append(("completion after `- connect:` (line re-parsed)", typed,
                  typed.index("- connect:\n") + len("- connect:"), complete_in_host))
    flow = text.replace("                Action:\n" + ITEM,
                        "                Action: [connect:Desc\n                Other:\n", 1)
    found.append(("completion in `[connect:Desc` (line re-parsed)", flow,
                  flow.index("[connect:Desc") + len("[connect:Desc"), complete_in_host))
    found.append(("hover on an action", text, at, hover_in_host))
    return found


def terraform_cases(text: str) -> list[tuple[str, int]]:
    """(name, offset) in the last trust document of a Terraform module."""
    return [("completion in a principals `type`", text.rindex('"Service"') + len('"Serv')),
            ("completion in `identifiers`", text.rindex('"lambda.') + len('"lambda.')),
            ("completion in `actions`", text.rindex('"sts:Assume') + len('"sts:Assume'))]


def timed(analysis: Analysis, offset: int, request: Callable[[Analysis, int], object],
          rounds: int) -> list[float]:
    request(analysis, offset)  # warm the catalog's caches
    samples = []
    gc.disable()
    try:
        for _ in range(rounds):
            started = time.perf_counter_ns()
            request(analysis, offset)
            samples.append((time.perf_counter_ns() - started) / 1e6)
    finally:
        gc.enable()
    return sorted(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    large = TEMPLATE.replace("Resources:\n", "Resources:\n" + FILLER, 1)
    print(f"{'in-process (ms)':62} {'median':>8} {'p95':>8} {'max':>8}")
    for label, text in (("template, 140 lines", TEMPLATE),
                        (f"template, {large.count(chr(10)):,} lines", large)):
        for name, source, offset, request in cases(text):
            analysis = analyze_in_host(source, HostKind.YAML)
            assert analysis is not None and request(analysis, offset) is not None, name
            samples = timed(analysis, offset, request, args.rounds)
            p95 = samples[int(len(samples) * 0.95)]
            print(f"  {label}: {name:<48} {statistics.median(samples):8.3f} {p95:8.3f} "
                  f"{samples[-1]:8.3f}")
    for copies in (1, 61):
        module = MODULE + "".join(TRUST % i for i in range(copies))
        label = f"Terraform, {module.count(chr(10)):,} lines"
        analysis = analyze_in_host(module, HostKind.TERRAFORM)
        assert analysis is not None
        for name, offset in terraform_cases(module):
            assert complete_in_host(analysis, offset) is not None, name
            samples = timed(analysis, offset, complete_in_host, args.rounds)
            p95 = samples[int(len(samples) * 0.95)]
            print(f"  {label}: {name:<47} {statistics.median(samples):8.3f} {p95:8.3f} "
                  f"{samples[-1]:8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

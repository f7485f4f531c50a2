"""Partitions and Regions, from the table scripts/build_regions.py builds out of botocore's
endpoint data (regions.json, committed; tests/core/test_regions.py keeps it current)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Partition:
    code: str  # `aws`, `aws-cn`, …
    name: str  # `AWS Standard`
    regions: dict[str, str]  # Region code -> its name (`us-east-1` -> `US East (N. Virginia)`)


@dataclass(frozen=True, slots=True)
class RegionTable:
    source: str  # the botocore release the table was built from
    partitions: dict[str, Partition]
    # Per Connect service, per partition, the Regions where it has endpoints.
    service_regions: dict[str, dict[str, tuple[str, ...]]]

    def available(self, service: str, partition: str) -> tuple[str, ...]:
        return self.service_regions.get(service.lower(), {}).get(partition, ())


@cache
def region_table() -> RegionTable:
    raw = json.loads(Path(__file__).with_name("regions.json").read_text(encoding="utf-8"))
    partitions = {code: Partition(code, entry["name"], dict(entry["regions"]))
                  for code, entry in raw["partitions"].items()}
    services = {name: {partition: tuple(regions) for partition, regions in by.items()}
                for name, by in raw["services"].items()}
    return RegionTable(raw["source"], partitions, services)

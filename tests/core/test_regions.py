"""The Region table (catalog/regions.json) is what scripts/build_regions.py builds from the
pinned botocore's endpoint data, and every Region in it is one the ARN checks accept."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import botocore

from connect_policy.catalog.regions import region_table
from connect_policy.checks.arns import _REGION
from connect_policy.editor.completion_arns import OFFERED_PARTITIONS

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_regions",
                                                  ROOT / "scripts" / "build_regions.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_table_is_current_for_the_pinned_botocore() -> None:
    script = _script()
    endpoints, source = script.installed_endpoints()
    committed = json.loads((ROOT / "server/connect_policy/catalog/regions.json").read_text())
    assert source == f"botocore {botocore.__version__}"
    assert committed == script.build(endpoints, source), (
        "regions.json is stale: run `python scripts/build_regions.py`")


def test_offered_partitions_and_connect_regions_are_in_the_table() -> None:
    table = region_table()
    for code in OFFERED_PARTITIONS:
        assert table.partitions[code].regions, code
    assert "us-east-1" in table.available("connect", "aws")
    assert "us-gov-west-1" in table.available("connect", "aws-us-gov")
    for partition in table.partitions.values():
        for service in ("connect", "app-integrations", "wisdom", "connect-campaigns"):
            assert set(table.available(service, partition.code)) <= set(partition.regions)


def test_every_region_of_the_table_has_the_shape_the_arn_check_accepts() -> None:
    codes = [code for p in region_table().partitions.values() for code in p.regions]
    assert len(codes) > 40
    assert [code for code in codes if not _REGION.fullmatch(code)] == []

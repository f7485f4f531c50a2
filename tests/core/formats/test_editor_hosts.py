"""How the editor reads a document (`host_kind` from its language id, name and text) and
`analyze_in_host`'s answer, including the file size limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from connect_policy.analysis import Settings, analyze_in_host
from connect_policy.formats.host import HostKind, host_kind

DATA = Path(__file__).parent / "data"
YAML_TEMPLATE = (DATA / "contact_center.yaml").read_text()
JSON_TEMPLATE = (DATA / "contact_center.template.json").read_text()
COMPOSE = "services:\n  web:\n    image: nginx\n"


@pytest.mark.parametrize(("name", "text", "language", "kind"), [
    ("x.yaml", COMPOSE, "yaml", HostKind.YAML),
    ("template", YAML_TEMPLATE, "cloudformation", HostKind.YAML),
    ("x.yml", COMPOSE, None, HostKind.YAML),
    ("x.template", YAML_TEMPLATE, "plaintext", HostKind.YAML),
    ("x.template", JSON_TEMPLATE, None, HostKind.JSON),
    ("x.json", JSON_TEMPLATE, "json", HostKind.JSON),
    ("x.yaml", JSON_TEMPLATE, "jsonc", HostKind.JSON),  # the language id wins over the name
    ("x.json", '{"Version": "2012-10-17", "Statement": []}', "json", None),
])
def test_host_kind(name: str, text: str, language: str | None, kind: HostKind | None) -> None:
    assert host_kind(name, text, language) is kind


def test_a_template_over_the_size_limit_gets_one_file_error() -> None:
    analysis = analyze_in_host(YAML_TEMPLATE, HostKind.YAML, Settings(max_size=1000))
    assert analysis is not None and analysis.host is HostKind.YAML
    assert [f.code for f in analysis.findings] == ["FILE_ERROR"]


def test_other_yaml_over_the_limit_and_json_that_is_no_template_are_left_alone() -> None:
    analysis = analyze_in_host(COMPOSE * 100, HostKind.YAML, Settings(max_size=1000))
    assert analysis is not None and analysis.findings == []
    assert analyze_in_host('{"Statement": {"Condition": {"Resources": 1}}}',
                           HostKind.JSON) is None
    assert analyze_in_host(JSON_TEMPLATE, HostKind.JSON, Settings(max_size=1000)) is None


def test_a_template_within_the_limit_has_the_findings_of_check() -> None:
    analysis = analyze_in_host(YAML_TEMPLATE, HostKind.YAML)
    assert analysis is not None and not analysis.is_policy
    assert [f.code for f in analysis.findings] == [
        "INVALID_ACTION", "INVALID_SERVICE_IN_ACTION", "MISSING_VERSION", "INVALID_EFFECT"]

"""The source-material notes: real actions, real examples, both languages, full coverage."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connect_policy.catalog import source_notes
from connect_policy.catalog.services import CONNECT_FAMILY, default_catalog

ROOT = Path(__file__).resolve().parents[2]
DATA_PATH = ROOT / "server" / "connect_policy" / "catalog" / "source_notes.json"
EXAMPLES = ROOT / "examples" / "source-material"
ELEMENTS = ("Version", "Statement", "Sid", "Effect", "Action", "NotAction", "Resource",
            "NotResource", "Condition", "Principal", "NotPrincipal", "Id")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Any quoted "prefix:Name" (a doubled colon, as on the page, is tolerated); prefixes that are
# not Connect services after mapping the page's mistakes (iam, kms, arn, aws...) are skipped.
ACTION_IN_EXAMPLE = re.compile(r'"([A-Za-z0-9-]+)::?([A-Za-z*?]+)"')


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    return data


def _split(qualified: str) -> tuple[str, str]:
    prefix, _, name = qualified.partition(":")
    return prefix, name


def _example_actions() -> Iterator[tuple[str, str]]:
    """(example id, canonical Connect-family action) for every action the examples name."""
    mistakes = _raw()["facts"]["sourceMistakes"]
    catalog = default_catalog()
    for path in sorted(EXAMPLES.glob("*.json")):
        for match in ACTION_IN_EXAMPLE.finditer(path.read_text(encoding="utf-8")):
            prefix, name = match.groups()
            qualified = mistakes.get(f"{prefix}:{name}", f"{prefix}:{name}")
            prefix, name = _split(qualified)
            prefix = mistakes.get(prefix, prefix)
            if prefix not in CONNECT_FAMILY:
                continue
            service = catalog.service(prefix)
            assert service is not None
            matched = service.match(name)
            assert matched, f"{path.name}: {prefix}:{name} matches no action"
            for action in matched:
                yield path.stem, action.qualified_name


def test_schema_shape() -> None:
    data = _raw()
    assert data["schemaVersion"] == 1
    assert set(data) == {"schemaVersion", "source", "examples", "actions", "conditionKeys",
                         "elements", "bestPractices", "facts"}
    assert set(data["facts"]) == {"notTagRestrictable", "sourceMistakes"}
    assert set(data["elements"]) == set(ELEMENTS)


def test_every_action_key_is_a_real_action_spelled_as_the_catalog_spells_it() -> None:
    catalog = default_catalog()
    for qualified in _raw()["actions"]:
        prefix, name = _split(qualified)
        assert prefix in CONNECT_FAMILY, qualified
        service = catalog.service(prefix)
        assert service is not None, qualified
        action = service.action(name)
        assert action is not None, f"{qualified} is not in the catalog"
        assert action.qualified_name == qualified


def test_examples_exist_and_every_reference_resolves() -> None:
    data = _raw()
    assert sorted(data["examples"]) == sorted(p.stem for p in EXAMPLES.glob("*.json"))
    for example_id, entry in data["examples"].items():
        assert Path(entry["file"]).stem == example_id
        assert (ROOT / entry["file"]).is_file(), entry["file"]
    for table in ("actions", "conditionKeys"):
        for name, entry in data[table].items():
            assert entry["examples"], name
            for example_id in entry["examples"]:
                assert example_id in data["examples"], f"{name}: unknown example {example_id}"


def _text_objects(node: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        if "en" in node or "ko" in node:
            yield where, node
            return
        for key, value in node.items():
            yield from _text_objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _text_objects(value, f"{where}/{i}")


def test_every_text_has_english_and_korean() -> None:
    data = _raw()
    found = list(_text_objects(data))
    # Every place the loader reads text from is a text object.
    expected = (2 * len(data["examples"]) + len(data["elements"]) + len(data["bestPractices"])
                + sum(len(e["notes"]) for t in ("actions", "conditionKeys")
                      for e in data[t].values()))
    assert len(found) == expected
    for where, text in found:
        assert set(text) == {"en", "ko"}, where
        assert text["en"].strip() and text["ko"].strip(), where
        assert not HANGUL.search(text["en"]), where
        assert HANGUL.search(text["ko"]), where
    for entry in data["actions"].values():
        assert entry["notes"]


def test_every_connect_action_in_the_examples_has_a_note_naming_that_example() -> None:
    pairs = list(_example_actions())
    assert len({a for _, a in pairs}) >= 50
    for example_id, qualified in pairs:
        note = source_notes.action_note(qualified)
        assert note is not None, f"{qualified} ({example_id}) has no note"
        assert example_id in {ref.id for ref in note.examples}, (qualified, example_id)


def test_notes_claim_only_examples_that_use_the_action() -> None:
    used = set(_example_actions())
    for qualified, entry in _raw()["actions"].items():
        for example_id in entry["examples"]:
            assert (example_id, qualified) in used, (qualified, example_id)


def test_the_page_mistakes_map_to_real_names_and_are_not_notes() -> None:
    catalog = default_catalog()
    mistakes = source_notes.source_mistakes()
    assert mistakes == _raw()["facts"]["sourceMistakes"]
    for wrong, right in mistakes.items():
        if ":" in wrong:
            prefix, name = _split(right)
            service = catalog.service(prefix)
            assert service is not None and service.action(name) is not None, right
            wrong_prefix, wrong_name = _split(wrong)
            wrong_service = catalog.service(wrong_prefix)
            assert wrong_service is None or wrong_service.action(wrong_name) is None, wrong
            assert source_notes.action_note(wrong) is None
            note = source_notes.action_note(right)
            assert note is not None
            assert any(wrong in text["en"] and wrong in text["ko"] for text in note.notes)
        else:
            assert catalog.has_service(right) and not catalog.has_service(wrong)


def test_not_tag_restrictable_campaign_actions() -> None:
    facts = source_notes.not_tag_restrictable()
    assert {"connect-campaigns:listcampaigns", "connect-campaigns:getcampaignstatebatch"} <= facts
    assert all(name == name.lower() for name in facts)
    for name in facts:
        assert source_notes.action_note(name) is not None


@pytest.mark.parametrize("locale", ["ko", "ko-KR", "KO", "ko_kr"])
def test_pick_korean(locale: str) -> None:
    assert source_notes.pick({"en": "hello", "ko": "안녕"}, locale) == "안녕"


@pytest.mark.parametrize("locale", ["en-US", None, "fr", "", "en-KO"])
def test_pick_english(locale: str | None) -> None:
    assert source_notes.pick({"en": "hello", "ko": "안녕"}, locale) == "hello"


def test_pick_falls_back_to_english() -> None:
    assert source_notes.pick({"en": "hello"}, "ko") == "hello"
    assert source_notes.pick({"en": "hello", "ko": ""}, "ko-KR") == "hello"


def test_action_note_is_case_insensitive() -> None:
    note = source_notes.action_note("CONNECT:describeuser")
    assert note is not None
    assert note.action == "connect:DescribeUser"
    assert [ref.id for ref in note.examples] == ["02-view-connect-users",
                                                 "04-describe-update-users-by-tag"]
    assert note.examples[0].file == "examples/source-material/02-view-connect-users.json"
    assert source_notes.action_note("connect:DescribeQueue") is None
    assert source_notes.action_note("connect:UpdateUser*") is None
    assert source_notes.action_note("iam:GetUser") is None


def test_condition_key_templates_match_concrete_tag_keys() -> None:
    for key, template in [("aws:ResourceTag/Department", "aws:ResourceTag/${TagKey}"),
                          ("AWS:resourcetag/AmazonConnectEnabled", "aws:ResourceTag/${TagKey}"),
                          ("aws:ResourceTag/${TagKey}", "aws:ResourceTag/${TagKey}"),
                          ("aws:RequestTag/Owner", "aws:RequestTag/${TagKey}")]:
        note = source_notes.condition_key_note(key)
        assert note is not None and note.action == template, key
    assert source_notes.condition_key_note("aws:ResourceTag/") is None
    assert source_notes.condition_key_note("aws:TagKeys") is None
    assert source_notes.condition_key_note("aws:SourceIp") is None
    request = source_notes.condition_key_note("aws:RequestTag/Owner")
    assert request is not None
    assert [ref.id for ref in request.examples] == ["05-create-users-by-request-tag"]


def test_elements_and_best_practices_in_both_languages() -> None:
    for element in ELEMENTS:
        en = source_notes.element_note(element, "en-US")
        ko = source_notes.element_note(element, "ko-KR")
        assert en and ko and en != ko
        assert HANGUL.search(ko) and not HANGUL.search(en)
    assert source_notes.element_note("Banana", None) is None
    en_practices = source_notes.best_practices(None)
    ko_practices = source_notes.best_practices("ko")
    assert len(en_practices) == len(ko_practices) == 5
    assert all(HANGUL.search(p) for p in ko_practices)


def test_the_page_caveats_are_in_the_notes() -> None:
    def english(qualified: str) -> str:
        note = source_notes.action_note(qualified)
        assert note is not None
        return " ".join(text["en"] for text in note.notes)

    for qualified in ("connect:DescribeUser", "connect:ListUsers"):
        assert "`*`" in english(qualified) or '"*"' in english(qualified)
    for qualified in ("connect-campaigns:ListCampaigns",
                      "connect-campaigns:GetCampaignStateBatch"):
        assert "cannot be restricted by tags" in english(qualified).lower()
    for qualified in ("wisdom:ListAssistants", "wisdom:ListKnowledgeBases"):
        assert "without the tag condition" in english(qualified)
    assert "AmazonConnectEnabled" in english("wisdom:GetAssistant")
    assert "aws:RequestTag/Owner" in english("connect:CreateUser")
    assert "Department=Test" in english("connect:UpdateUserPhoneConfig")

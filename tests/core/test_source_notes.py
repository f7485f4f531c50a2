"""The notes on Connect actions: real actions, real jobs, both languages, full coverage, and
written for the user's file, not as commentary on the AWS page they come from."""

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
# Any quoted "prefix:Name" (a doubled colon, as on the page, is tolerated).
ACTION_IN_EXAMPLE = re.compile(r'"([A-Za-z0-9-]+)::?([A-Za-z*?]+)"')
EN_URL = ("https://docs.aws.amazon.com/connect/latest/adminguide/"
          "security_iam_id-based-policy-examples.html")
KO_URL = ("https://docs.aws.amazon.com/ko_kr/connect/latest/adminguide/"
          "security_iam_id-based-policy-examples.html")
# Commentary on the page rather than on the user's policy: example numbers, "as printed",
# "the page", "원문" (the original text), "예제" (example) at all in Korean.
PAGE_COMMENTARY = re.compile(
    r"\bexamples?\s*\(?\d|\bas printed\b|\bthe page\b|\bthe source\b|예제|원문|"
    r"\b0[1-9]\b|\(1[0-2]\)", re.IGNORECASE)


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    return data


def _split(qualified: str) -> tuple[str, str]:
    prefix, _, name = qualified.partition(":")
    return prefix, name


def _corrected(prefix: str, name: str) -> str:
    """The name the page meant, for a name as printed (prefix or whole action mistaken)."""
    mistakes = _raw()["facts"]["sourceMistakes"]
    qualified = mistakes.get(f"{prefix}:{name}", f"{prefix}:{name}")
    prefix, name = _split(qualified)
    return f"{mistakes.get(prefix, prefix)}:{name}"


def _printed_actions(path: Path) -> list[str]:
    """Every action a policy file names, corrected, in order, wildcards as written."""
    return [_corrected(*m.groups())
            for m in ACTION_IN_EXAMPLE.finditer(path.read_text(encoding="utf-8"))]


def _example_actions() -> Iterator[tuple[str, str]]:
    """(job id, canonical Connect-family action) for every action the examples grant."""
    catalog = default_catalog()
    for path in sorted(EXAMPLES.glob("*.json")):
        for qualified in _printed_actions(path):
            prefix, name = _split(qualified)
            if prefix not in CONNECT_FAMILY:
                continue
            service = catalog.service(prefix)
            assert service is not None
            matched = service.match(name)
            assert matched, f"{path.name}: {qualified} matches no action"
            for action in matched:
                yield path.stem, action.qualified_name


def _text_objects(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    if isinstance(node, dict):
        if "en" in node or "ko" in node:
            yield where, node
            return
        for key, value in node.items():
            yield from _text_objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _text_objects(value, f"{where}/{i}")


def _user_facing_texts() -> Iterator[tuple[str, dict[str, str]]]:
    """Every text the server shows: not the page's title and address (`source`)."""
    data = _raw()
    for table in ("jobs", "actions", "conditionKeys", "elements", "bestPractices"):
        yield from _text_objects(data[table], f"/{table}")


def test_schema_shape() -> None:
    data = _raw()
    assert data["schemaVersion"] == source_notes.SCHEMA_VERSION == 2
    assert set(data) == {"schemaVersion", "source", "jobs", "actions", "conditionKeys",
                         "elements", "bestPractices", "facts"}
    assert set(data["facts"]) == {"notTagRestrictable", "sourceMistakes"}
    assert set(data["elements"]) == set(ELEMENTS)
    for entry in data["actions"].values():
        assert set(entry) == {"jobs", "summary", "notes"}
    for entry in data["conditionKeys"].values():
        assert set(entry) == {"notes"}


def test_the_source_is_named_with_its_address_in_each_language() -> None:
    page = source_notes.source()
    assert page.url == {"en": EN_URL, "ko": KO_URL}
    assert page.title["en"] == "Amazon Connect identity-based policy examples"
    assert HANGUL.search(page.title["ko"])


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


def test_each_job_grants_exactly_what_its_policy_grants() -> None:
    """The actions a hover says "go with" an action are those of a real policy, corrected."""
    data = _raw()
    assert sorted(data["jobs"]) == sorted(p.stem for p in EXAMPLES.glob("*.json"))
    catalog = default_catalog()
    for job_id, entry in data["jobs"].items():
        path = ROOT / entry["file"]
        assert path.is_file() and path.stem == job_id, entry["file"]
        assert entry["actions"] == _printed_actions(path), job_id
        for qualified in entry["actions"]:
            prefix, name = _split(qualified)
            service = catalog.service(prefix)
            assert service is not None and service.match(name), qualified
    for name, entry in data["actions"].items():
        assert entry["jobs"], name
        for job_id in entry["jobs"]:
            assert job_id in data["jobs"], f"{name}: unknown job {job_id}"


def test_every_text_has_english_and_korean() -> None:
    data = _raw()
    found = list(_user_facing_texts())
    # Every place the loader reads text from is a text object.
    expected = (len(data["jobs"]) + len(data["elements"]) + len(data["bestPractices"])
                + len(data["actions"])  # summaries
                + sum(len(e["notes"]) for t in ("actions", "conditionKeys")
                      for e in data[t].values()))
    assert len(found) == expected
    for where, text in found:
        assert set(text) == {"en", "ko"}, where
        assert text["ko"].strip() and HANGUL.search(text["ko"]), where
        assert not HANGUL.search(text["en"]), where
        # Only a summary may be empty in English: the catalog's description says it all.
        assert text["en"].strip() or where.endswith("/summary"), where


def test_no_text_is_commentary_on_the_aws_page() -> None:
    for where, text in _user_facing_texts():
        for lang in ("en", "ko"):
            found = PAGE_COMMENTARY.search(text[lang])
            assert found is None, f"{where} ({lang}): {found.group(0)!r} in {text[lang]!r}"


def test_no_note_repeats_another_within_an_action() -> None:
    for name, entry in _raw()["actions"].items():
        for lang in ("en", "ko"):
            texts = [entry["summary"][lang], *(n[lang] for n in entry["notes"])]
            sentences = [s.strip() for t in texts if t for s in re.split(r"(?<=[.:;])\s", t)]
            repeated = {s for s in sentences if sentences.count(s) > 1 and len(s) > 20}
            assert not repeated, (name, lang, repeated)


def test_english_summaries_do_not_restate_the_catalog_description() -> None:
    """A summary that only says what the catalog's description says is left out in English."""
    catalog = default_catalog()
    for name, entry in _raw()["actions"].items():
        summary = entry["summary"]["en"]
        if not summary:
            continue
        prefix, action_name = _split(name)
        service = catalog.service(prefix)
        assert service is not None
        action = service.action(action_name)
        assert action is not None
        described = set(re.findall(r"[a-z]+", action.description.lower()))
        said = set(re.findall(r"[a-z]+", summary.lower())) - {"a", "an", "the", "s", "of"}
        assert len(said - described) >= 3, (name, summary)


def test_every_connect_action_in_the_examples_has_a_note_naming_its_job() -> None:
    pairs = list(_example_actions())
    assert len({a for _, a in pairs}) >= 50
    for job_id, qualified in pairs:
        note = source_notes.action_note(qualified)
        assert note is not None, f"{qualified} ({job_id}) has no note"
        assert job_id in {job.id for job in note.jobs}, (qualified, job_id)


def test_notes_claim_only_jobs_that_grant_the_action() -> None:
    used = set(_example_actions())
    for qualified, entry in _raw()["actions"].items():
        for job_id in entry["jobs"]:
            assert (job_id, qualified) in used, (qualified, job_id)


def test_names_that_do_not_exist_map_to_real_names() -> None:
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
            # The real action's hover warns about the name a user may have copied, plainly.
            note = source_notes.action_note(right)
            assert note is not None
            warning = [t for t in note.notes if wrong in t["en"]]
            assert len(warning) == 1 and wrong in warning[0]["ko"]
            assert "does not exist" in warning[0]["en"]
            assert "존재하지 않는" in warning[0]["ko"]
        else:
            assert catalog.has_service(right) and not catalog.has_service(wrong)


def test_not_tag_restrictable_campaign_actions() -> None:
    facts = source_notes.not_tag_restrictable()
    assert facts == {"connect-campaigns:listcampaigns", "connect-campaigns:getcampaignstatebatch"}
    for name in facts:
        note = source_notes.action_note(name)
        assert note is not None
        assert any("Cannot be restricted by tags" in t["en"] and '`Resource: "*"`' in t["en"]
                   and "separate statement" in t["en"] for t in note.notes), name
        assert any("태그로 제한할 수 없" in t["ko"] and "별도 Statement" in t["ko"]
                   for t in note.notes), name


@pytest.mark.parametrize("locale", ["ko", "ko-KR", "KO", "ko_kr"])
def test_pick_korean(locale: str) -> None:
    assert source_notes.pick({"en": "hello", "ko": "안녕"}, locale) == "안녕"


@pytest.mark.parametrize("locale", ["en-US", None, "fr", "", "en-KO"])
def test_pick_english(locale: str | None) -> None:
    assert source_notes.pick({"en": "hello", "ko": "안녕"}, locale) == "hello"


def test_pick_falls_back_to_english() -> None:
    assert source_notes.pick({"en": "hello"}, "ko") == "hello"
    assert source_notes.pick({"en": "hello", "ko": ""}, "ko-KR") == "hello"


def test_an_english_summary_left_out_stays_out() -> None:
    note = source_notes.action_note("connect-campaigns:StopCampaign")
    assert note is not None
    assert source_notes.pick(note.summary, "en") == ""
    assert source_notes.pick(note.summary, "ko") == "캠페인을 중지합니다."


def test_action_note_is_case_insensitive() -> None:
    note = source_notes.action_note("CONNECT:describeuser")
    assert note is not None
    assert note.action == "connect:DescribeUser"
    assert [job.id for job in note.jobs] == ["02-view-connect-users",
                                             "04-describe-update-users-by-tag"]
    assert note.jobs[0].title == {"en": "viewing users", "ko": "사용자 조회"}
    assert note.jobs[0].actions == ("connect:DescribeUser", "connect:ListUsers")
    assert note.jobs[1].actions == ("connect:DescribeUser", "connect:UpdateUser*")
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
        assert note.jobs == () and note.summary == {}
    assert source_notes.condition_key_note("aws:ResourceTag/") is None
    assert source_notes.condition_key_note("aws:TagKeys") is None
    assert source_notes.condition_key_note("aws:SourceIp") is None


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


def test_the_caveats_are_in_the_notes() -> None:
    def english(qualified: str) -> str:
        note = source_notes.action_note(qualified)
        assert note is not None
        return " ".join([note.summary["en"], *(text["en"] for text in note.notes)])

    for qualified in ("connect:DescribeUser", "connect:ListUsers"):
        assert '`Resource: "*"`' in english(qualified)
    assert "instance's tags, not the users'" in english("connect:ListUsers")
    for qualified in ("wisdom:ListAssistants", "wisdom:ListKnowledgeBases"):
        assert "without the tag condition" in english(qualified)
    assert "AmazonConnectEnabled=True" in english("wisdom:GetAssistant")
    assert "aws:RequestTag/Owner" in english("connect:CreateUser")
    assert "Department=Test" in english("connect:UpdateUserPhoneConfig")
    assert "connect-campaigns:StartCampaign" in english("connect-campaigns:ResumeCampaign")
    assert "UpdateUserHierarchyStructure, which change" in english(
        "connect:UpdateUserHierarchyStructure")

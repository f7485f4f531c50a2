"""Hover notes on Connect actions and policy elements through the real server, in English and
Korean: written for the user's policy, never as commentary on the AWS page they come from."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lsp_support import VSCODE, VSCODE_KO, PolicyClient, ids, uri_for, within
from lsprotocol import types as lsp

NOTES = (Path(__file__).resolve().parents[2] / "server" / "connect_policy" / "catalog"
         / "source_notes.json")
NOTED_ACTIONS = sorted(json.loads(NOTES.read_text(encoding="utf-8"))["actions"])
ELEMENTS = ("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource",
            "NotResource", "Condition")
PRACTICES = ("Statement", "Action", "Resource", "Condition")  # hovers with best practices
EN_URL = ("https://docs.aws.amazon.com/connect/latest/adminguide/"
          "security_iam_id-based-policy-examples.html")
KO_URL = ("https://docs.aws.amazon.com/ko_kr/connect/latest/adminguide/"
          "security_iam_id-based-policy-examples.html")
PAGE_COMMENTARY = re.compile(r"\bexamples?\s*\(?\d|\bas printed\b|예제\s*\d|원문|\bthe page\b",
                             re.IGNORECASE)


def policy() -> tuple[str, dict[str, tuple[int, int]]]:
    """A policy naming every noted action (one a line) and every element, with where to hover
    on each: {name: (line, character)}."""
    lines = ["{", '  "Version": "2012-10-17",', '  "Id": "notes",', '  "Statement": [', "    {"]
    where: dict[str, tuple[int, int]] = {"Version": (1, 4), "Id": (2, 4), "Statement": (3, 4)}
    for element in ELEMENTS:
        if element in ("Action", "Condition"):
            continue
        where[element] = (len(lines), 7)
        lines.append(f'      "{element}": "*",')
    where["Condition"] = (len(lines), 7)
    lines.append('      "Condition": {"StringEquals": {"aws:ResourceTag/owner": "x"}},')
    where["Action"] = (len(lines), 7)
    lines.append('      "Action": [')
    for i, action in enumerate(NOTED_ACTIONS):
        where[action] = (len(lines), 9 + len(action) // 2)
        comma = "," if i < len(NOTED_ACTIONS) - 1 else ""
        lines.append(f'        "{action}"{comma}')
    lines += ["      ]", "    }", "  ]", "}", ""]
    return "\n".join(lines), where


async def hover_text(client: PolicyClient, uri: str, line: int, character: int) -> str:
    result = await within(client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=lsp.Position(line=line, character=character))), "hover")
    assert result is not None, (line, character)
    assert isinstance(result.contents, lsp.MarkupContent)
    return result.contents.value


@pytest.mark.parametrize("client", [VSCODE, VSCODE_KO], ids=ids([VSCODE, VSCODE_KO]),
                         indirect=True)
async def test_no_note_refers_to_example_numbers(client: PolicyClient) -> None:
    korean = client.profile.locale == "ko-KR"
    text, where = policy()
    uri = uri_for("every-note.json")
    client.open(uri, text)
    assert len(where) == len(NOTED_ACTIONS) + 12
    for name, (line, character) in where.items():
        md = await hover_text(client, uri, line, character)
        assert md.startswith(f"**{name}**"), (name, md[:80])
        found = PAGE_COMMENTARY.search(md)
        assert found is None, (name, found.group(0))
        # The AWS page is named once, in the client's language, where its notes or best
        # practices are shown.
        from_the_page = name in NOTED_ACTIONS or name in PRACTICES
        assert md.count(KO_URL if korean else EN_URL) == int(from_the_page), name
        assert (EN_URL if korean else KO_URL) not in md, name
        if name in NOTED_ACTIONS:
            assert ("**Amazon Connect 참고 사항**" if korean
                    else "**Amazon Connect notes**") in md, name


@pytest.mark.parametrize("client", [VSCODE], ids=ids([VSCODE]), indirect=True)
async def test_english_notes_say_what_to_do(client: PolicyClient) -> None:
    text, where = policy()
    uri = uri_for("notes-en.json")
    client.open(uri, text)
    campaigns = await hover_text(client, uri, *where["connect-campaigns:ListCampaigns"])
    assert "Typically granted for *viewing campaigns (read-only)*" in campaigns
    assert ('Cannot be restricted by tags: it acts on no single campaign and returns campaigns '
            'whatever their tags. Give it `Resource: "*"` in a separate statement without tag '
            "conditions") in campaigns
    users = await hover_text(client, uri, *where["connect:ListUsers"])
    assert "- Typically granted for *viewing users*, together with `connect:DescribeUser`." in users
    assert users.count("viewing users") == 1
    sid = await hover_text(client, uri, *where["Sid"])
    assert "`VisualEditor0` say nothing" in sid


@pytest.mark.parametrize("client", [VSCODE_KO], ids=ids([VSCODE_KO]), indirect=True)
async def test_korean_notes_say_what_to_do(client: PolicyClient) -> None:
    text, where = policy()
    uri = uri_for("notes-ko.json")
    client.open(uri, text)
    batch = await hover_text(client, uri, *where["connect-campaigns:GetCampaignStateBatch"])
    assert "- 여러 캠페인의 상태를 한 번에 확인합니다." in batch
    assert "태그로 제한할 수 없습니다" in batch
    assert '별도 Statement에서 `Resource: "*"`로 허용' in batch
    assert "출처: AWS 문서 [Amazon Connect 자격 증명 기반 정책 예제]" in batch
    dialer = await hover_text(client, uri, *where["connect-campaigns:UpdateCampaignDialerConfig"])
    assert ("일부 AWS 문서에 나오는 `connect-campaigns:UpdateDialerConfig`는 존재하지 않는 "
            "작업이라 아무 권한도 주지 않습니다.") in dialer

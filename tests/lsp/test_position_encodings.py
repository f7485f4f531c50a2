"""Position encodings: the server negotiates from `general.positionEncodings`, reports
columns in the negotiated units, and applies incremental edits given in them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from lsp_support import (
    EMACS,
    NEOVIM,
    NEOVIM_010,
    VSCODE,
    VSCODE_UTF8_FIRST,
    VSCODE_UTF16_ONLY,
    PolicyClient,
    Profile,
    assert_well_formed,
    edit,
    rng,
    summary,
    uri_for,
)

# Line 3 holds Korean text and an emoji before the invalid action.
DOCUMENT = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "정책😀테스트", "Effect": "Allow", "Action": "connect:DescribeUsr", "Resource": "*"}
  ]
}
"""
LINE = 3
# Line 3, counted in code points: `    {"Sid": "` is 13, so 정 is at 13, 책 at 14, 😀 at 15,
# 테스트 at 16..19, the closing `"` at 19; `", "Effect": "Allow", "Action": "` is 33, so the
# action's content starts at 13 + 6 + 33 = 52 and its name `DescribeUsr` (after the
# 8 characters of `connect:`) spans 60..71.
#
# In UTF-16 the emoji is 2 code units (a surrogate pair): everything after it is +1.
# In UTF-8 each Korean syllable is 3 bytes and the emoji 4: before the action that is
# 5 * 3 + 4 = 19 bytes for 6 code points, so everything after it is +13.


@dataclass(frozen=True, slots=True)
class Units:
    encoding: str
    after_emoji: int  # column just after 😀 (where 테 starts)
    shift: int  # how much a column after the emoji exceeds its code-point count


UTF16 = Units("utf-16", after_emoji=13 + 2 + 2, shift=1)
UTF8 = Units("utf-8", after_emoji=13 + 2 * 3 + 4, shift=13)
UTF32 = Units("utf-32", after_emoji=13 + 3, shift=0)

NAME_START, NAME_END = 60, 71  # code points, see above
# The Sid string, quotes included (12..20 in code points), is itself a finding: a Sid may hold
# only ASCII letters and digits. Its end column shows the encoding too.
SID_START, SID_END = 12, 20


def sid(units: Units, grown: int = 0) -> tuple[str, tuple[int, int, int, int]]:
    return ("UNSUPPORTED_SID", (LINE, SID_START, LINE, SID_END + grown + units.shift))

CASES: list[tuple[Profile, Units]] = [
    (VSCODE, UTF16),  # push, offers nothing: the default
    (VSCODE_UTF16_ONLY, UTF16),  # push, offers ["utf-16"]
    (VSCODE_UTF8_FIRST, UTF8),  # push, offers ["utf-8", "utf-16"]
    (NEOVIM_010, UTF16),  # pull, recorded ["utf-16"]
    (NEOVIM, UTF8),  # pull, recorded ["utf-8", "utf-16", "utf-32"]
    (EMACS, UTF32),  # push, recorded ["utf-32", "utf-8", "utf-16"]
]


PARAMS = [pytest.param(p, u, id=f"{p.id}-{u.encoding}") for p, u in CASES]


@pytest.mark.parametrize(("client", "units"), PARAMS, indirect=["client"])
async def test_negotiated_encoding_and_columns(client: PolicyClient, units: Units) -> None:
    assert client.position_encoding == units.encoding
    uri = uri_for("encoding.json")
    mark = client.open(uri, DOCUMENT)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    assert summary(diagnostics) == [
        sid(units),
        ("INVALID_ACTION", (LINE, NAME_START + units.shift, LINE, NAME_END + units.shift))]
    assert_well_formed(diagnostics[1])
    assert '"connect:DescribeUsr" is not an action of Amazon Connect' in diagnostics[1].message


def test_expected_columns_match_the_encodings() -> None:
    """The hand-counted columns above, checked against Python's codecs."""
    line = DOCUMENT.splitlines()[LINE]
    name_at = line.index("DescribeUsr")
    assert (name_at, name_at + len("DescribeUsr")) == (NAME_START, NAME_END)
    before = line[:name_at]
    assert len(before.encode("utf-16-le")) // 2 - len(before) == UTF16.shift
    assert len(before.encode("utf-8")) - len(before) == UTF8.shift
    emoji_end = line.index("😀") + 1
    assert len(line[:emoji_end].encode("utf-16-le")) // 2 == UTF16.after_emoji
    assert len(line[:emoji_end].encode("utf-8")) == UTF8.after_emoji
    assert emoji_end == UTF32.after_emoji


@pytest.mark.parametrize(("client", "units"), PARAMS, indirect=["client"])
async def test_incremental_edits_after_the_emoji(client: PolicyClient, units: Units) -> None:
    uri = uri_for("encoding-edit.json")
    mark = client.open(uri, DOCUMENT)
    await client.diagnostics_of(uri, 1, mark)

    # 1. Insert `\x` right after the emoji: an invalid escape, reported exactly there.
    at = units.after_emoji
    # 2. Then (positions after edit 1) replace `Usr` with `Userr`: `Usr` is the last three
    #    characters of the name, which edit 1 moved right by 2.
    usr_start = NAME_END - 3 + 2 + units.shift
    mark = client.change(uri, 2, edit(rng(LINE, at, LINE, at), "\\x"),
                         edit(rng(LINE, usr_start, LINE, usr_start + 3), "Userr"))
    diagnostics = await client.diagnostics_of(uri, 2, mark)
    name_start = NAME_START + 2 + units.shift
    assert summary(diagnostics) == [
        sid(units, grown=2),
        ("JSON_SYNTAX_ERROR", (LINE, at, LINE, at + 2)),
        ("INVALID_ACTION", (LINE, name_start, LINE, name_start + len("DescribeUserr"))),
    ]
    assert diagnostics[1].message.startswith('Invalid escape "\\x" in string')
    assert '"connect:DescribeUserr" is not an action' in diagnostics[2].message

    # 3. Delete the `\x` again, and fix the name by deleting one `r`.
    mark = client.change(uri, 3, edit(rng(LINE, at, LINE, at + 2), ""),
                         edit(rng(LINE, usr_start + 2, LINE, usr_start + 3), ""))
    assert summary(await client.diagnostics_of(uri, 3, mark)) == [sid(units)]


@pytest.mark.parametrize(("client", "units"), PARAMS, indirect=["client"])
async def test_edit_inside_the_emoji_line_keeps_the_text_intact(
        client: PolicyClient, units: Units) -> None:
    """Replace the whole Sid value (정책😀테스트, between its quotes) using the
    client's units for its end: the rest of the line must be untouched."""
    uri = uri_for("encoding-sid.json")
    mark = client.open(uri, DOCUMENT)
    await client.diagnostics_of(uri, 1, mark)
    sid_end = 19 + units.shift  # the closing quote of the Sid
    mark = client.change(uri, 2, edit(rng(LINE, 13, LINE, sid_end), "Plain"))
    diagnostics = await client.diagnostics_of(uri, 2, mark)
    # Now all ASCII: `Plain` is 5 characters where the Sid was 6 code points.
    assert summary(diagnostics) == [("INVALID_ACTION", (LINE, NAME_START - 1, LINE,
                                                         NAME_END - 1))]

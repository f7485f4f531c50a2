"""Diagnostics end to end: pull for clients that pull, push for the others; incremental
and full document sync; didClose."""

from __future__ import annotations

import pytest
from lsp_support import (
    NEOVIM,
    PULL_PROFILES,
    PUSH_PROFILES,
    REFERENCE,
    VSCODE,
    PolicyClient,
    apply_fix,
    assert_well_formed,
    edit,
    ids,
    only,
    rng,
    summary,
    uri_for,
    whole,
)
from lsprotocol import types as lsp

# Line numbers (0-based) are in the comments; every line is ASCII, so columns are the same
# in UTF-8, UTF-16 and UTF-32.
POLICY = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "app-integartions:DeleteEventIntegration",
        "connect:ListUsers",
        "connect:DescribeUsr"
      ],
      "Resource": "*"
    }
  ]
}
"""
# Line 6: 8 spaces, `"` at 8, the prefix `app-integartions` (16 characters) at 9..25.
TYPO = ("INVALID_SERVICE_IN_ACTION", (6, 9, 6, 25))
# Line 8: `"` at 8, `connect:` at 9..17, the name `DescribeUsr` (11 characters) at 17..28.
BAD_NAME = ("INVALID_ACTION", (8, 17, 8, 28))


def _check_typo(diagnostic: lsp.Diagnostic, text: str) -> None:
    assert_well_formed(diagnostic)
    assert diagnostic.severity == lsp.DiagnosticSeverity.Error
    assert '"app-integartions" is not an AWS service prefix' in diagnostic.message
    assert 'did you mean "app-integrations"' in diagnostic.message
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href == (
        REFERENCE + "error-invalid-service-in-action")
    assert isinstance(diagnostic.data, dict)
    assert diagnostic.data["suggestions"][0] == "app-integrations"
    fix = diagnostic.data["fixes"][0]
    assert fix["preferred"] is True
    assert fix["title"] == 'Change to "app-integrations:DeleteEventIntegration"'
    assert apply_fix(text, fix) == text.replace("app-integartions", "app-integrations")


def _check_bad_name(diagnostic: lsp.Diagnostic) -> None:
    assert_well_formed(diagnostic)
    assert diagnostic.severity == lsp.DiagnosticSeverity.Error
    assert '"connect:DescribeUsr" is not an action of Amazon Connect' in diagnostic.message
    assert 'did you mean "connect:DescribeUser"' in diagnostic.message


# -- pull ----------------------------------------------------------------------------------

def test_recorded_capabilities_decide_pull_or_push() -> None:
    """The premise of the parametrization below, from pytest-lsp's recorded files: VS Code
    1.65.2 (the only VS Code recording) does not pull; Neovim 0.11.0 does."""
    vscode, neovim = VSCODE.capabilities(), NEOVIM.capabilities()
    assert vscode.text_document is not None and vscode.text_document.diagnostic is None
    assert neovim.text_document is not None and neovim.text_document.diagnostic is not None
    for profile in PULL_PROFILES:
        text_document = profile.capabilities().text_document
        assert text_document is not None and text_document.diagnostic is not None, profile
    for profile in PUSH_PROFILES:
        text_document = profile.capabilities().text_document
        assert text_document is not None and text_document.diagnostic is None, profile


@pytest.mark.parametrize("client", PULL_PROFILES, ids=ids(PULL_PROFILES), indirect=True)
async def test_pull_reports_findings_and_pushes_nothing(client: PolicyClient) -> None:
    assert client.pulls
    uri = uri_for("pull.json")
    client.open(uri, POLICY)
    report = await client.pull(uri)
    assert isinstance(report, lsp.RelatedFullDocumentDiagnosticReport)
    assert report.kind == "full"
    assert report.result_id
    assert summary(report.items) == [TYPO, BAD_NAME]
    _check_typo(report.items[0], POLICY)
    _check_bad_name(report.items[1])

    await client.roundtrip()
    assert client.published == [], "a pull client must not get publishDiagnostics"
    assert uri not in client.diagnostics


@pytest.mark.parametrize("client", PULL_PROFILES, ids=ids(PULL_PROFILES), indirect=True)
async def test_pull_unchanged_then_changed(client: PolicyClient) -> None:
    uri = uri_for("pull-unchanged.json")
    client.open(uri, POLICY)
    first = await client.pull(uri)
    assert isinstance(first, lsp.RelatedFullDocumentDiagnosticReport)
    assert first.result_id is not None

    again = await client.pull(uri, previous_result_id=first.result_id)
    assert isinstance(again, lsp.RelatedUnchangedDocumentDiagnosticReport)
    assert again.kind == "unchanged"
    assert again.result_id == first.result_id

    # An incremental edit fixing the typo: `ar` -> `ra` in `integartions` (line 6, 18..20).
    client.change(uri, 2, edit(rng(6, 18, 6, 20), "ra"))
    changed = await client.pull(uri, previous_result_id=first.result_id)
    assert isinstance(changed, lsp.RelatedFullDocumentDiagnosticReport)
    assert changed.result_id != first.result_id
    assert summary(changed.items) == [BAD_NAME]

    # An id the server never issued gets a full report.
    stale = await client.pull(uri, previous_result_id="1:not-a-result-id")
    assert isinstance(stale, lsp.RelatedFullDocumentDiagnosticReport)
    assert summary(stale.items) == [BAD_NAME]
    await client.roundtrip()
    assert client.published == []


@pytest.mark.parametrize("client", [NEOVIM], ids=ids([NEOVIM]), indirect=True)
async def test_pull_sees_missing_comma_and_checks_on(client: PolicyClient) -> None:
    uri = uri_for("pull-comma.json")
    client.open(uri, POLICY)
    # Delete the comma after `"connect:ListUsers"` (line 7: `"` 8..26, `,` at 27).
    client.change(uri, 2, edit(rng(7, 27, 7, 28), ""))
    items = await client.pull_items(uri)
    assert summary(items) == [TYPO, ("JSON_SYNTAX_ERROR", (7, 27, 7, 27)), BAD_NAME]
    syntax = only(items, "JSON_SYNTAX_ERROR")
    assert_well_formed(syntax)
    assert syntax.message.startswith("Missing comma between array elements")


# -- push ----------------------------------------------------------------------------------

@pytest.mark.parametrize("client", PUSH_PROFILES, ids=ids(PUSH_PROFILES), indirect=True)
async def test_push_open_incremental_changes_and_close(client: PolicyClient) -> None:
    assert not client.pulls
    uri = uri_for("push.json")

    # didOpen -> the findings, for version 1.
    mark = client.open(uri, POLICY, version=1)
    opened = await client.wait_for_publish(uri, version=1, since=mark)
    assert summary(opened.diagnostics) == [TYPO, BAD_NAME]
    _check_typo(opened.diagnostics[0], POLICY)
    _check_bad_name(opened.diagnostics[1])

    # An incremental edit that fixes the typo: `ar` -> `ra` in `integartions` (6, 18..20).
    mark = client.change(uri, 2, edit(rng(6, 18, 6, 20), "ra"))
    fixed = await client.wait_for_publish(uri, version=2, since=mark)
    assert fixed.version == 2
    assert summary(fixed.diagnostics) == [BAD_NAME]
    assert client.diagnostics[uri] == fixed.diagnostics

    # Delete the comma after `"app-integrations:DeleteEventIntegration"` (line 6: content
    # 9..48, closing `"` at 48, `,` at 49): a zero-width error at the gap, and the bad
    # action two lines below is still checked.
    mark = client.change(uri, 3, edit(rng(6, 49, 6, 50), ""))
    broken = await client.wait_for_publish(uri, version=3, since=mark)
    assert summary(broken.diagnostics) == [("JSON_SYNTAX_ERROR", (6, 49, 6, 49)), BAD_NAME]
    syntax = only(broken.diagnostics, "JSON_SYNTAX_ERROR")
    assert_well_formed(syntax)
    assert syntax.severity == lsp.DiagnosticSeverity.Error
    assert syntax.message.startswith(
        'Missing comma between array elements after "app-integrations:')
    assert syntax.message.endswith(': add "," here')
    assert syntax.data is not None
    assert syntax.data["fixes"][0]["edits"][0]["newText"] == ","
    _check_bad_name(broken.diagnostics[1])

    # Two edits in one didChange, applied in order: restore the comma, then fix the name
    # (`Usr` at 8, 25..28 -> `User`). The policy is now clean.
    mark = client.change(uri, 4, edit(rng(6, 49, 6, 49), ","),
                         edit(rng(8, 25, 8, 28), "User"))
    clean = await client.wait_for_publish(uri, version=4, since=mark)
    assert list(clean.diagnostics) == []

    # didClose -> an empty publish, and nothing for the document after it.
    mark = client.close(uri)
    await client.roundtrip()
    after_close = client.published_for(uri, since=mark)
    assert [list(p.diagnostics) for p in after_close] == [[]]
    assert list(client.diagnostics[uri]) == []


@pytest.mark.parametrize("client", PUSH_PROFILES, ids=ids(PUSH_PROFILES), indirect=True)
async def test_push_close_clears_findings(client: PolicyClient) -> None:
    uri = uri_for("close.json")
    mark = client.open(uri, POLICY)
    opened = await client.wait_for_publish(uri, version=1, since=mark)
    assert len(opened.diagnostics) == 2
    mark = client.close(uri)
    cleared = await client.wait_for_publish(uri, version=None, since=mark)
    assert list(cleared.diagnostics) == []
    await client.roundtrip()
    assert [list(p.diagnostics) for p in client.published_for(uri, since=mark)] == [[]]


@pytest.mark.parametrize("client", PUSH_PROFILES, ids=ids(PUSH_PROFILES), indirect=True)
async def test_push_latest_version_wins_when_changes_arrive_together(
        client: PolicyClient) -> None:
    """Open and three edits sent back to back: the last publish is for version 4 and
    describes version 4's text, whatever intermediate publishes were made."""
    uri = uri_for("burst.json")
    mark = client.open(uri, POLICY, version=1)
    client.change(uri, 2, edit(rng(6, 18, 6, 20), "ra"))  # fixes the prefix
    client.change(uri, 3, edit(rng(8, 25, 8, 28), "User"))  # fixes the name
    client.change(uri, 4, edit(rng(7, 17, 7, 26), "ListUserz"))  # breaks ListUsers
    latest = await client.wait_for_publish(uri, version=4, since=mark)
    assert summary(latest.diagnostics) == [("INVALID_ACTION", (7, 17, 7, 26))]
    assert '"connect:ListUserz"' in latest.diagnostics[0].message
    await client.roundtrip()
    publishes = client.published_for(uri, since=mark)
    assert publishes[-1] is latest
    versions = [p.version for p in publishes]
    assert None not in versions
    assert versions == sorted(v for v in versions if v is not None), \
        f"publishes went back in time: {versions}"


@pytest.mark.parametrize("client", PUSH_PROFILES, ids=ids(PUSH_PROFILES), indirect=True)
async def test_push_version_after_a_change_that_restores_the_text(client: PolicyClient) -> None:
    """Type `x` and delete it, sent as one didChange (clients batch changes): the text is
    that of version 1 again, but the document is at version 2, and the publish says so.
    (Regression: the cached analysis of version 1 used to be published as version 1.)"""
    uri = uri_for("type-and-undo.json")
    mark = client.open(uri, POLICY, version=1)
    await client.wait_for_publish(uri, version=1, since=mark)
    mark = client.change(uri, 2, edit(rng(7, 26, 7, 26), "x"), edit(rng(7, 26, 7, 27), ""))
    await client.roundtrip()
    publishes = client.published_for(uri, since=mark)
    assert publishes, "no publish after the change"
    assert summary(publishes[-1].diagnostics) == [TYPO, BAD_NAME]
    assert [p.version for p in publishes] == [2]


# -- full sync -----------------------------------------------------------------------------

NO_VERSION = """\
{
  "Statement": [{"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}]
}
"""
BAD_VERSION = """\
{
  "Version": "2012-10-18",
  "Statement": [{"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}]
}
"""
CLEAN = NO_VERSION.replace("{\n", '{\n  "Version": "2012-10-17",\n', 1)


@pytest.mark.parametrize("client", [VSCODE, NEOVIM], ids=ids([VSCODE, NEOVIM]),
                         indirect=True)
async def test_full_sync_changes(client: PolicyClient) -> None:
    uri = uri_for("full.json")
    mark = client.open(uri, CLEAN, version=1)
    assert await client.diagnostics_of(uri, 1, mark) == []

    mark = client.change(uri, 2, whole(NO_VERSION))
    diagnostics = await client.diagnostics_of(uri, 2, mark)
    assert summary(diagnostics) == [("MISSING_VERSION", (0, 0, 1, 13))]
    missing = diagnostics[0]
    assert_well_formed(missing)
    assert missing.severity == lsp.DiagnosticSeverity.Warning
    assert 'no "Version"' in missing.message
    assert missing.data is not None
    assert apply_fix(NO_VERSION, missing.data["fixes"][0]).startswith(
        '{\n  "Version": "2012-10-17",\n  "Statement"')

    # `"2012-10-18"` on line 1: the value, quotes included, at 13..25.
    mark = client.change(uri, 3, whole(BAD_VERSION))
    diagnostics = await client.diagnostics_of(uri, 3, mark)
    assert summary(diagnostics) == [("INVALID_VERSION", (1, 13, 1, 25))]
    assert diagnostics[0].message.startswith('"2012-10-18" is not a policy language version')

    # A full change, then an incremental one on top of it, in the same notification.
    mark = client.change(uri, 4, whole(POLICY), edit(rng(6, 18, 6, 20), "ra"))
    diagnostics = await client.diagnostics_of(uri, 4, mark)
    assert summary(diagnostics) == [BAD_NAME]

    mark = client.change(uri, 5, whole(""))
    diagnostics = await client.diagnostics_of(uri, 5, mark)
    assert summary(diagnostics) == [("JSON_SYNTAX_ERROR", (0, 0, 0, 0))]
    assert diagnostics[0].message.startswith("The document is empty")


# -- regressions: LSP line breaks are only \n, \r\n and \r --------------------------------

# U+2028 (LINE SEPARATOR) is allowed raw in JSON strings and is not a line break in LSP
# (only \n, \r\n and \r are), so this document has 14 lines, the same as POLICY. It sits in
# a condition value, where any text is valid.
WITH_LINE_SEPARATOR = POLICY.replace(
    '"Effect": "Allow",',
    '"Effect": "Allow", "Condition": {"StringEquals": {"aws:PrincipalTag/t": "a\u2028b"}},')


@pytest.mark.parametrize("client", [VSCODE], ids=ids([VSCODE]), indirect=True)
async def test_incremental_edit_below_a_line_separator(client: PolicyClient) -> None:
    uri = uri_for("line-separator.json")
    mark = client.open(uri, WITH_LINE_SEPARATOR, version=1)
    opened = await client.wait_for_publish(uri, version=1, since=mark)
    # The server's own positions follow LSP: the same lines as in POLICY.
    assert summary(opened.diagnostics) == [TYPO, BAD_NAME]
    # Fix the name (`Usr` at 8, 25..28 -> `User`) and the prefix (6, 18..20).
    mark = client.change(uri, 2, edit(rng(8, 25, 8, 28), "User"),
                         edit(rng(6, 18, 6, 20), "ra"))
    fixed = await client.wait_for_publish(uri, version=2, since=mark)
    assert summary(fixed.diagnostics) == []

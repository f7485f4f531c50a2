"""The Access-Analyzer-grade findings through the real server: codes, ranges, severities,
tags and Korean messages."""

from __future__ import annotations

import pytest
from lsp_support import NEOVIM, VSCODE, VSCODE_KO, PolicyClient, ids, uri_for
from lsprotocol import types as lsp

CLIENTS = (VSCODE, NEOVIM)
# Line 5: a redundant action; line 9: a condition operator typo; line 13: a tag condition
# that connect-campaigns:ListCampaigns cannot honour (the source material's caveat).
POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Resource": "*",
     "Action": ["connect:Describe*", "connect:DescribeUser"]},
    {"Effect": "Allow", "Resource": "*",
     "Action": "connect:ListUsers",
     "Condition": {
       "StringEqual": {"aws:RequestedRegion": "eu-west-2"}}},
    {"Effect": "Allow", "Resource": "*",
     "Action": ["connect-campaigns:ListCampaigns"],
     "Condition": {"StringEquals": {
       "aws:ResourceTag/owner": "team"}}}
  ]
}
"""


def by_code(diagnostics: list[lsp.Diagnostic]) -> dict[str, lsp.Diagnostic]:
    return {str(d.code): d for d in diagnostics}


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_findings_arrive_with_ranges_severities_and_tags(client: PolicyClient) -> None:
    uri = uri_for("checks.json")
    mark = client.open(uri, POLICY)
    found = by_code(await client.diagnostics_of(uri, 1, mark))
    redundant = found["REDUNDANT_ACTION"]
    line = POLICY.splitlines()[4]
    start = line.index('"connect:DescribeUser"')
    assert (redundant.range.start.line, redundant.range.start.character) == (4, start)
    assert redundant.severity == lsp.DiagnosticSeverity.Information
    assert list(redundant.tags or ()) == [lsp.DiagnosticTag.Unnecessary]
    operator = found["INVALID_CONDITION_OPERATOR"]
    assert operator.range.start.line == 8
    assert operator.severity == lsp.DiagnosticSeverity.Error
    assert "StringEquals" in operator.message
    tag = found["ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"]
    assert tag.severity == lsp.DiagnosticSeverity.Information
    assert tag.code_description is not None
    assert tag.code_description.href.endswith(
        "suggestion-allow-with-unsupported-tag-condition-key-for-service")


@pytest.mark.parametrize("client", [VSCODE_KO], ids=ids([VSCODE_KO]), indirect=True)
async def test_findings_in_korean(client: PolicyClient) -> None:
    uri = uri_for("checks-ko.json")
    mark = client.open(uri, POLICY)
    found = by_code(await client.diagnostics_of(uri, 1, mark))
    assert all(any("\uac00" <= ch <= "\ud7a3" for ch in d.message) for d in found.values())

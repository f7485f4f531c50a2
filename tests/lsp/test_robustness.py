"""The handshake, silence on JSON that is not a policy, and survival of garbage input."""

from __future__ import annotations

import random

import pytest
from lsp_support import (
    NEOVIM,
    VSCODE,
    PolicyClient,
    assert_well_formed,
    edit,
    ids,
    rng,
    summary,
    uri_for,
    whole,
)
from lsprotocol import types as lsp

from connect_policy import __version__

BOTH = [VSCODE, NEOVIM]  # one push client, one pull client
BOTH_IDS = ids(BOTH)


# -- initialize ----------------------------------------------------------------------------

@pytest.mark.parametrize("client", BOTH, ids=BOTH_IDS, indirect=True)
async def test_initialize_result(client: PolicyClient) -> None:
    result = client.initialize_result
    assert result is not None
    assert result.server_info is not None
    assert result.server_info.name == "connect-policy-lsp"
    assert result.server_info.version == __version__

    sync = result.capabilities.text_document_sync
    assert isinstance(sync, lsp.TextDocumentSyncOptions)
    assert sync.open_close is True
    assert sync.change == lsp.TextDocumentSyncKind.Incremental

    provider = result.capabilities.diagnostic_provider
    assert isinstance(provider, lsp.DiagnosticOptions)
    assert provider.identifier == "connect-policy"
    assert provider.inter_file_dependencies is False
    assert provider.workspace_diagnostics is False


# -- JSON that is not a policy -------------------------------------------------------------

PACKAGE_JSON = """\
{
  "name": "demo",
  "version": "1.0.0"
  "scripts": {"test": "jest",},
  "dependencies": {
}
"""  # a missing comma, a trailing comma, an unclosed object
TSCONFIG = """\
{
  // TypeScript settings
  "compilerOptions": {
    "strict": true,
    "target": "es2022",
  },
  "include": ["src"
}
"""  # a comment, a trailing comma, an unclosed array
ARRAY = """\
[
  {"Effect": "Allow", "Action": "connect:DescribeUsr"},
  1, 2,,
"""  # statement-like items, a double comma, unclosed
NOT_POLICIES = {"package.json": PACKAGE_JSON, "tsconfig.json": TSCONFIG,
                "array.json": ARRAY}


@pytest.mark.parametrize("client", BOTH, ids=BOTH_IDS, indirect=True)
@pytest.mark.parametrize("name", list(NOT_POLICIES))
async def test_silent_on_json_that_is_not_a_policy(client: PolicyClient, name: str) -> None:
    uri = uri_for(name)
    mark = client.open(uri, NOT_POLICIES[name])
    assert await client.diagnostics_of(uri, 1, mark) == []
    # Still silent after an incremental edit that breaks it further.
    mark = client.change(uri, 2, edit(rng(1, 0, 1, 0), "}}} ,,"))
    assert await client.diagnostics_of(uri, 2, mark) == []


@pytest.mark.parametrize("client", BOTH, ids=BOTH_IDS, indirect=True)
async def test_becomes_a_policy_when_it_gets_a_version(client: PolicyClient) -> None:
    """Silence depends on the content, not on the file: adding `Version` turns it on."""
    uri = uri_for("becomes.json")
    text = '{\n  "Statement": 1\n}\n'
    mark = client.open(uri, '{\n  "name": "x"\n}\n')
    assert await client.diagnostics_of(uri, 1, mark) == []
    mark = client.change(uri, 2, whole(text))
    diagnostics = await client.diagnostics_of(uri, 2, mark)
    codes = [code for code, _ in summary(diagnostics)]
    assert "MISSING_VERSION" in codes
    for diagnostic in diagnostics:
        assert_well_formed(diagnostic)


# -- garbage -------------------------------------------------------------------------------

def _random_bytes_text(seed: int, size: int) -> str:
    """Random bytes shown as text (Latin-1): NULs, control characters, stray quotes."""
    generator = random.Random(seed)
    return bytes(generator.randrange(256) for _ in range(size)).decode("latin-1")


GOOD = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", ' \
       '"Action": "connect:DescribeUsr", "Resource": "*"}]\n}\n'
# Line 2: `  "Statement": [{"Effect": "Allow", "Action": "` is 47 characters; `connect:` 8.
GOOD_FINDING = ("INVALID_ACTION", (2, 55, 2, 66))


@pytest.mark.parametrize("client", BOTH, ids=BOTH_IDS, indirect=True)
async def test_survives_garbage(client: PolicyClient) -> None:
    documents = {
        "random.json": _random_bytes_text(20240601, 8192),
        "deep-arrays.json": "[" * 5000,
        "deep-objects.json": "{" * 5000,
        "deep-policy.json": '{"Version": "2012-10-17", "Statement": ' + "[" * 5000,
        "deep-mixed.json": '{"a":' * 3000 + "[" * 3000,
    }
    for name, text in documents.items():
        uri = uri_for(name)
        mark = client.open(uri, text)
        diagnostics = await client.diagnostics_of(uri, 1, mark)
        for diagnostic in diagnostics:
            assert_well_formed(diagnostic)
        if name == "deep-policy.json":
            nesting = [d for d in diagnostics if d.code == "JSON_SYNTAX_ERROR"
                       and d.message.startswith("Nesting deeper than")]
            assert len(nesting) == 1
        if name in ("deep-arrays.json", "deep-objects.json"):
            assert diagnostics == []  # not a policy
        # Typing into garbage is survivable too.
        mark = client.change(uri, 2, edit(rng(0, 1, 0, 3), '"\\u12'))
        for diagnostic in await client.diagnostics_of(uri, 2, mark):
            assert_well_formed(diagnostic)

    # The empty document is the one garbage case with a finding.
    uri = uri_for("empty.json")
    mark = client.open(uri, "")
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    assert summary(diagnostics) == [("JSON_SYNTAX_ERROR", (0, 0, 0, 0))]
    assert diagnostics[0].message.startswith("The document is empty")
    assert_well_formed(diagnostics[0])

    # And the server still answers, correctly.
    uri = uri_for("after-garbage.json")
    mark = client.open(uri, GOOD)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    assert summary(diagnostics) == [GOOD_FINDING]
    await client.roundtrip()


# A package.json whose opening `{` was just deleted (an everyday editing state).
PACKAGE_JSON_WITHOUT_BRACE = """\
  "name": "demo",
  "version": "1.0.0",
  "scripts": {"test": "jest"}
}
"""


@pytest.mark.parametrize("client", BOTH, ids=BOTH_IDS, indirect=True)
async def test_silent_on_package_json_missing_its_opening_brace(client: PolicyClient) -> None:
    uri = uri_for("package-no-brace.json")
    mark = client.open(uri, PACKAGE_JSON_WITHOUT_BRACE)
    assert summary(await client.diagnostics_of(uri, 1, mark)) == []

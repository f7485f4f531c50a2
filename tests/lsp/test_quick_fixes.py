"""Quick fixes (`textDocument/codeAction`): each returned edit, applied to the document,
removes its finding and leaves a document that parses."""

from __future__ import annotations

import pytest
from lsp_support import (
    NEOVIM,
    VSCODE,
    VSCODE_KO,
    PolicyClient,
    apply_edits,
    edits_of,
    ids,
    uri_for,
    within,
)
from lsprotocol import types as lsp

from connect_policy.analysis import analyze

CLIENTS = (VSCODE, NEOVIM)
V = '"Version": "2012-10-17", '
ALLOW = '"Effect": "Allow", "Resource": "*", '



def policy(statement: str, close: str = "}]}") -> str:
    return "{" + V + '"Statement": [{' + statement + close


CASES = [
    ("INVALID_SERVICE_IN_ACTION",
     policy(ALLOW + '"Action": "app-integartions:ListEventIntegrations"')),
    ("INVALID_ACTION", policy(ALLOW + '"Action": "connect-campaigns:UpdateDialerConfig"')),
    ("INVALID_ACTION", policy(ALLOW + '"Action": "app-integrations::ListEventIntegrations"')),
    ("INVALID_EFFECT",
     policy('"Effect": "allow", "Resource": "*", "Action": "connect:ListUsers"')),
    ("INVALID_POLICY_ELEMENT", policy(ALLOW + '"Acton": "connect:ListUsers"')),
    ("MISSING_VERSION", '{"Statement": [{' + ALLOW + '"Action": "connect:ListUsers"}]}'),
    ("MISSING_VERSION", "{" + ALLOW + '"Action": "connect:ListUsers"}'),
    ("MISSING_VERSION", "[{" + ALLOW + '"Action": "connect:ListUsers"}]'),
    ("JSON_SYNTAX_ERROR", policy(ALLOW + '"Action": ["connect:ListUsers",]')),
    ("JSON_SYNTAX_ERROR",
     policy(ALLOW + '"Action": ["connect:ListUsers" "connect:DescribeUser"]')),
    ("JSON_SYNTAX_ERROR", policy(ALLOW + '"Action": ["connect:ListUsers"]', close="}]")),
    ("REDUNDANT_ACTION", policy(ALLOW + '"Action": ["connect:List*", "connect:ListUsers"]')),
    ("INVALID_CONDITION_OPERATOR",
     policy(ALLOW + '"Action": "connect:ListUsers", '
            '"Condition": {"StringEqual": {"aws:RequestedRegion": "eu-west-2"}}')),
    ("MISSING_QUALIFIER",
     policy(ALLOW + '"Action": "connect:TagResource", '
            '"Condition": {"StringEquals": {"aws:TagKeys": ["team", "project"]}}')),
    # The qualified block exists: the key is merged into it rather than written twice.
    ("MISSING_QUALIFIER",
     policy(ALLOW + '"Action": "connect:TagResource", '
            '"Condition": {"StringEquals": {"aws:TagKeys": ["team"]}, '
            '"ForAnyValue:StringEquals": {"aws:CalledVia": "cloudformation.amazonaws.com"}}')),
    ("NULL_WITH_IF_EXISTS",
     policy(ALLOW + '"Action": "connect:TagResource", '
            '"Condition": {"NullIfExists": {"aws:TagKeys": "false"}}')),
    ("NULL_WITH_IF_EXISTS",
     policy(ALLOW + '"Action": "connect:TagResource", '
            '"Condition": {"Null": {"aws:RequestTag/team": "false"}, '
            '"NullIfExists": {"aws:TagKeys": "false"}}')),
    ("ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
     policy('"Sid": "Campaigns", ' + ALLOW
            + '"Action": ["connect-campaigns:DescribeCampaign", '
            '"connect-campaigns:ListCampaigns"], '
            '"Condition": {"StringEquals": {"aws:ResourceTag/owner": "team"}}')),
    ("ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
     policy(ALLOW + '"Action": "connect-campaigns:ListCampaigns", '
            '"Condition": {"StringEquals": {"aws:ResourceTag/owner": "team"}}')),
]


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
@pytest.mark.parametrize(("code", "text"), CASES, ids=[f"{c}-{i}" for i, (c, _) in
                                                      enumerate(CASES)])
async def test_the_fix_removes_its_finding(client: PolicyClient, code: str, text: str) -> None:
    uri = uri_for("fix.json")
    mark = client.open(uri, text)
    diagnostics = [d for d in await client.diagnostics_of(uri, 1, mark) if d.code == code]
    assert diagnostics, f"expected {code}"
    diagnostic = diagnostics[0]
    actions = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=lsp.CodeActionContext(diagnostics=[diagnostic]))), "code actions")
    assert actions, "no quick fix offered"
    action = actions[0]
    assert isinstance(action, lsp.CodeAction)
    assert action.kind == lsp.CodeActionKind.QuickFix and action.is_preferred
    assert action.diagnostics and action.diagnostics[0].code == code
    fixed = apply_edits(text, edits_of(action, uri), client.position_encoding or "utf-16")
    after = analyze(fixed)
    assert not [f for f in after.findings if f.code == "JSON_SYNTAX_ERROR"], fixed
    remaining = [f for f in after.findings if f.code == code]
    assert len(remaining) < len([f for f in analyze(text).findings if f.code == code]), fixed


@pytest.mark.parametrize("client", [VSCODE_KO], ids=ids([VSCODE_KO]), indirect=True)
async def test_titles_follow_the_clients_language(client: PolicyClient) -> None:
    uri = uri_for("korean-fix.json")
    mark = client.open(uri, policy(ALLOW + '"Action": "connect:DescribeUsr"'))
    (diagnostic,) = await client.diagnostics_of(uri, 1, mark)
    actions = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=lsp.CodeActionContext(diagnostics=[diagnostic]))), "code actions")
    assert actions is not None
    titles = [a.title for a in actions if isinstance(a, lsp.CodeAction)]
    assert titles[0] == '"connect:DescribeUser"(으)로 바꾸기'


LAYOUTS = {
    "2 spaces": ('{\n  "Statement": [\n    {"Effect": "Allow", "Action": "connect:ListUsers", '
                 '"Resource": "*"}\n  ]\n}\n',
                 '{\n  "Version": "2012-10-17",\n  "Statement": [\n'),
    "4 spaces": ('{\n    "Statement": [\n        {"Effect": "Allow", "Action": '
                 '"connect:ListUsers", "Resource": "*"}\n    ]\n}\n',
                 '{\n    "Version": "2012-10-17",\n    "Statement": [\n'),
    "tab": ('{\n\t"Statement": [\n\t\t{"Effect": "Allow", "Action": "connect:ListUsers", '
            '"Resource": "*"}\n\t]\n}\n',
            '{\n\t"Version": "2012-10-17",\n\t"Statement": [\n'),
    "minified": ('{"Statement":[{"Effect":"Allow","Action":"connect:ListUsers","Resource":"*"}]}',
                 '{"Version":"2012-10-17","Statement":[{'),
}


@pytest.mark.parametrize("client", [NEOVIM], ids=ids([NEOVIM]), indirect=True)
@pytest.mark.parametrize("layout", list(LAYOUTS))
async def test_the_version_fix_keeps_the_layout(client: PolicyClient, layout: str) -> None:
    """Through the server: "Add Version" puts the member on its own line in the document's
    indentation (inline in a minified document), and the document is then clean."""
    text, expected_start = LAYOUTS[layout]
    uri = uri_for(f"version-{layout.replace(' ', '-')}.json")
    mark = client.open(uri, text)
    (diagnostic,) = await client.diagnostics_of(uri, 1, mark)
    assert diagnostic.code == "MISSING_VERSION"
    actions = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=lsp.CodeActionContext(diagnostics=[diagnostic]))), "code actions")
    assert actions and isinstance(actions[0], lsp.CodeAction)
    fixed = apply_edits(text, edits_of(actions[0], uri), client.position_encoding or "utf-16")
    assert fixed.startswith(expected_start), fixed
    assert analyze(fixed).findings == []


@pytest.mark.parametrize("client", [NEOVIM, VSCODE_KO], ids=ids([NEOVIM, VSCODE_KO]),
                         indirect=True)
async def test_messages_and_titles_are_plain_text(client: PolicyClient) -> None:
    """Diagnostic messages and code action titles are shown as plain text by every client:
    names are quoted, never wrapped in Markdown backticks."""
    uri = uri_for("plain-text.json")
    text = ('{"Statement": [{"Effect": "Allow", "Action": ["connect:DescribeUsr", '
            '"app-integartions:ListEventIntegrations", "connect:List*", "connect:ListUsers"], '
            '"Resource": "*", "Condition": {"StringEqual": {"aws:RequestedRegion": "x"}}}]}')
    mark = client.open(uri, text)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    assert len(diagnostics) >= 5
    actions = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        range=lsp.Range(start=lsp.Position(line=0, character=0),
                        end=lsp.Position(line=0, character=len(text))),
        context=lsp.CodeActionContext(diagnostics=diagnostics))), "code actions")
    titles = [a.title for a in actions or [] if isinstance(a, lsp.CodeAction)]
    assert len(titles) >= 4
    for shown in [d.message for d in diagnostics] + titles:
        assert "`" not in shown, shown
    assert any('"connect:DescribeUser"' in shown for shown in titles)


@pytest.mark.parametrize("client", [NEOVIM], ids=ids([NEOVIM]), indirect=True)
@pytest.mark.parametrize(("name", "text", "line"), [
    ("line.json", '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow",\n'
                  '    "Action": "connect:DescribeUsr", "Resource": "*"}]\n}\n', 3),
    ("line.yaml", 'Version: "2012-10-17"\nStatement:\n  - Effect: Allow\n'
                  '    Action: connect:DescribeUsr\n    Resource: "*"\n', 3),
])
async def test_the_lines_diagnostics_get_their_fix_wherever_the_cursor_is(
        client: PolicyClient, name: str, text: str, line: int) -> None:
    """Neovim asks with the cursor's position as the range and the whole line's diagnostics
    as context: the fix of a finding beside the cursor is offered (it answered none)."""
    uri = uri_for(name)
    mark = client.open(uri, text, language_id=name.rpartition(".")[2])
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    on_line = [d for d in diagnostics if d.range.start.line == line]
    assert [d.code for d in on_line] == ["INVALID_ACTION"]
    cursor = lsp.Position(line=line, character=0)
    actions = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=lsp.Range(start=cursor,
                                                                           end=cursor),
        context=lsp.CodeActionContext(diagnostics=on_line))), "code actions")
    titles = [a.title for a in actions or [] if isinstance(a, lsp.CodeAction)]
    assert titles and titles[0] == 'Change to "connect:DescribeUser"'

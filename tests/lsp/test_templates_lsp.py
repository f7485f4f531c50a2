"""CloudFormation/SAM templates (YAML and JSON) and YAML files in the editor: diagnostics as
`check` gives them, in the client's units, updated as the user types; quick fixes that leave
valid YAML; non-policy YAML left alone; every other request answers without error."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_support import (
    NEOVIM,
    VSCODE,
    PolicyClient,
    apply_edits,
    edit,
    edits_of,
    ids,
    only,
    rng,
    summary,
    uri_for,
    within,
)
from lsprotocol import types as lsp

from connect_policy.checker import Target, check
from connect_policy.config import Config
from connect_policy.document.text import LineIndex
from connect_policy.formats.host import HostKind, analyze_host
from connect_policy.formats.yaml_tree import parse_yaml

DATA = Path(__file__).parent.parent / "core" / "formats" / "data"
YAML_TEMPLATE = (DATA / "contact_center.yaml").read_text()
JSON_TEMPLATE = (DATA / "contact_center.template.json").read_text()
# Where `check` places them (1-based line and column), from tests/cli/test_check_templates.py.
YAML_STARTS = [("INVALID_ACTION", 93, 29), ("INVALID_SERVICE_IN_ACTION", 101, 31),
               ("MISSING_VERSION", 114, 9), ("INVALID_EFFECT", 120, 21)]
JSON_STARTS = [("INVALID_ACTION", 165, 30), ("INVALID_SERVICE_IN_ACTION", 191, 33),
               ("MISSING_VERSION", 241, 27), ("INVALID_EFFECT", 254, 25)]
COMPOSE = "services:\n  web:\n    image: nginx\n    ports: ['80:80']\n  bad: [\n"
WORKFLOW = "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"


def checked(name: str, text: str, encoding: str) -> list[tuple[str, tuple[int, int, int, int]]]:
    """What `check` reports for the file, as (code, LSP range) in `encoding`."""
    (report,) = check([Target(name, None, True, text.encode())], Config())
    lines = LineIndex(text)
    return [(f.code, (*lines.position(f.span.start, encoding),  # type: ignore[arg-type]
                      *lines.position(f.span.end, encoding)))  # type: ignore[arg-type]
            for f in report.findings]


@pytest.mark.parametrize("client", [VSCODE, NEOVIM], ids=ids([VSCODE, NEOVIM]), indirect=True)
@pytest.mark.parametrize(("name", "language", "text", "starts"), [
    ("contact-center.yaml", "yaml", YAML_TEMPLATE, YAML_STARTS),
    ("contact-center.template.json", "json", JSON_TEMPLATE, JSON_STARTS),
], ids=["yaml", "json"])
async def test_template_diagnostics_are_those_of_check(
        client: PolicyClient, name: str, language: str, text: str,
        starts: list[tuple[str, int, int]]) -> None:
    uri = uri_for(name)
    mark = client.open(uri, text, language_id=language)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    encoding = client.position_encoding or "utf-16"
    assert summary(diagnostics) == checked(name, text, encoding)
    assert [(code, line + 1, column + 1) for code, (line, column, *_) in summary(
        diagnostics)] == starts
    assert all(d.source == "connect-policy" for d in diagnostics)


async def test_fixing_a_typo_clears_its_diagnostic(client: PolicyClient) -> None:
    uri = uri_for("contact-center.yaml")
    mark = client.open(uri, YAML_TEMPLATE, language_id="yaml")
    typo = only(await client.diagnostics_of(uri, 1, mark), "INVALID_ACTION")
    assert YAML_TEMPLATE.splitlines()[typo.range.start.line][
        typo.range.start.character:typo.range.end.character] == "ListUsrs"
    mark = client.change(uri, 2, edit(typo.range, "ListUsers"))
    after = await client.diagnostics_of(uri, 2, mark)
    assert [code for code, _ in summary(after)] == [
        "INVALID_SERVICE_IN_ACTION", "MISSING_VERSION", "INVALID_EFFECT"]


@pytest.mark.parametrize(("code", "title"), [
    ("INVALID_ACTION", 'Change to "connect:ListUsers"'),
    # A new line in YAML, at the indentation of the document's keys.
    ("MISSING_VERSION", 'Add "Version": "2012-10-17"'),
])
async def test_quick_fix_leaves_valid_yaml_without_the_finding(client: PolicyClient, code: str,
                                                               title: str) -> None:
    uri = uri_for("contact-center.yaml")
    mark = client.open(uri, YAML_TEMPLATE, language_id="yaml")
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    typo = only(diagnostics, code)
    actions = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=typo.range,
        context=lsp.CodeActionContext(diagnostics=[typo],
                                      only=[lsp.CodeActionKind.QuickFix]))))
    assert actions, "no quick fix for the action typo"
    action = actions[0]
    assert isinstance(action, lsp.CodeAction)
    assert action.title == title
    fixed = apply_edits(YAML_TEMPLATE, edits_of(action, uri), client.position_encoding
                        or "utf-16")
    assert parse_yaml(fixed).errors == []
    codes = [f.code for f in analyze_host(fixed, HostKind.YAML).findings]
    assert code not in codes and len(codes) == len(diagnostics) - 1
    # Through the server too: the fixed text has no diagnostic there any more.
    mark = client.change(uri, 2, lsp.TextDocumentContentChangeWholeDocument(text=fixed))
    assert code not in [c for c, _ in summary(await client.diagnostics_of(uri, 2, mark))]


@pytest.mark.parametrize(("name", "text"), [("docker-compose.yml", COMPOSE),
                                           ("ci.yml", WORKFLOW)], ids=["compose", "workflow"])
async def test_yaml_that_is_no_policy_gets_no_diagnostics(client: PolicyClient, name: str,
                                                          text: str) -> None:
    uri = uri_for(name)
    mark = client.open(uri, text, language_id="yaml")
    assert await client.diagnostics_of(uri, 1, mark) == []
    document = lsp.TextDocumentIdentifier(uri=uri)
    assert await within(client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=document))) is None
    assert await within(client.text_document_completion_async(lsp.CompletionParams(
        text_document=document, position=lsp.Position(line=2, character=8)))) is None
    actions = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=rng(0, 0, 4, 0),
        context=lsp.CodeActionContext(diagnostics=[]))))
    assert not actions


async def test_a_yaml_policy_file_is_checked(client: PolicyClient) -> None:
    uri = uri_for("policy.yaml")
    text = "Version: '2012-10-17'\nStatement:\n  - Effect: Alow\n    Action: s3:GetObject\n" \
           "    Resource: '*'\n"
    mark = client.open(uri, text, language_id="yaml")
    assert summary(await client.diagnostics_of(uri, 1, mark)) == [
        ("INVALID_EFFECT", (2, 12, 2, 16))]


@pytest.mark.parametrize(("name", "language", "text"), [
    ("contact-center.yaml", "yaml", YAML_TEMPLATE),
    ("contact-center.yaml", "cloudformation", YAML_TEMPLATE),
    ("contact-center.template.json", "json", JSON_TEMPLATE),
], ids=["yaml", "cloudformation", "json"])
async def test_folding_selection_and_refactorings_are_left_to_the_client(
        client: PolicyClient, name: str, language: str, text: str) -> None:
    """Folding and selection ranges follow the host's own syntax (the client's YAML or JSON
    support gives them) and refactorings write JSON only: in a template they answer
    nothing rather than something wrong, and never fail. Hover, completion, the outline,
    hints and links answer (test_template_editor_lsp.py)."""
    uri = uri_for(name)
    document = lsp.TextDocumentIdentifier(uri=uri)
    mark = client.open(uri, text, language_id=language)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    assert diagnostics  # analysed as a template, whatever the language id calls it
    at = diagnostics[0].range.start
    whole_range = rng(0, 0, len(text.splitlines()), 0)
    assert not await within(client.text_document_folding_range_async(
        lsp.FoldingRangeParams(text_document=document)))
    assert not await within(client.text_document_selection_range_async(
        lsp.SelectionRangeParams(text_document=document, positions=[at])))
    refactorings = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=document, range=whole_range,
        context=lsp.CodeActionContext(diagnostics=[],
                                      only=[lsp.CodeActionKind.RefactorRewrite]))))
    assert not refactorings
    assert await within(client.text_document_hover_async(
        lsp.HoverParams(text_document=document, position=at))) is not None
    pulled = await client.pull_items(uri)
    assert summary(pulled) == summary(diagnostics)


SORTABLE = """Resources:
  Agents:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action:
              - wisdom:GetAssistant
              - connect:Untag*
            Resource: "*"
"""


@pytest.mark.parametrize("client", [VSCODE, NEOVIM], ids=ids([VSCODE, NEOVIM]), indirect=True)
async def test_refactorings_rewrite_a_yaml_list_in_its_style(client: PolicyClient) -> None:
    uri = uri_for("agents.yaml")
    mark = client.open(uri, SORTABLE, language_id="yaml")
    assert await client.diagnostics_of(uri, 1, mark) == []
    line = SORTABLE.splitlines().index("              - connect:Untag*")
    actions = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=rng(line, 20, line, 20),
        context=lsp.CodeActionContext(diagnostics=[],
                                      only=[lsp.CodeActionKind.RefactorRewrite]))))
    found = {a.title: a for a in actions or [] if isinstance(a, lsp.CodeAction)}
    assert list(found) == ['Expand "connect:Untag*" into its 2 actions', "Sort the actions"]
    encoding = client.position_encoding or "utf-16"
    expanded = apply_edits(SORTABLE, edits_of(found['Expand "connect:Untag*" into its 2 actions'],
                                              uri), encoding)
    assert expanded == SORTABLE.replace(
        "              - connect:Untag*\n",
        "              - connect:UntagContact\n              - connect:UntagResource\n")
    sorted_text = apply_edits(SORTABLE, edits_of(found["Sort the actions"], uri), encoding)
    assert sorted_text == SORTABLE.replace(
        "- wisdom:GetAssistant\n              - connect:Untag*",
        "- connect:Untag*\n              - wisdom:GetAssistant")
    for result in (expanded, sorted_text):
        assert not parse_yaml(result).errors
        assert analyze_host(result, HostKind.YAML).findings == []


# A policy written as a JSON string (`!Sub` with a block scalar), with Hangul before the typo
# on its line (UTF-16 and UTF-8 columns differ from code points there).
STRING_TEMPLATE = (
    "Resources:\n  AgentPolicy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
    "      PolicyDocument: !Sub |\n"
    '        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",\n'
    '          "Condition": {"StringEquals": {"aws:PrincipalTag/team": "상담"}}, '
    '"Action": "connect:ListUsrs",\n'
    '          "Resource": "arn:${AWS::Partition}:connect:${AWS::Region}:${AWS::AccountId}:'
    'instance/*"}]}\n')


async def test_a_policy_written_as_a_json_string(client: PolicyClient) -> None:
    uri = uri_for("string-policy.yaml")
    mark = client.open(uri, STRING_TEMPLATE, language_id="yaml")
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    encoding = client.position_encoding or "utf-16"
    assert summary(diagnostics) == checked("string-policy.yaml", STRING_TEMPLATE, encoding)
    typo = only(diagnostics, "INVALID_ACTION")
    line = STRING_TEMPLATE.splitlines()[6]
    assert typo.range.start.line == 6 and apply_edits(
        line, [lsp.TextEdit(rng(0, typo.range.start.character, 0, typo.range.end.character),
                            "<>")], encoding) == line.replace("ListUsrs", "<>")
    document = lsp.TextDocumentIdentifier(uri=uri)
    hover = await within(client.text_document_hover_async(lsp.HoverParams(
        text_document=document, position=typo.range.start)))
    assert hover is not None and "ListUsrs" in str(hover.contents)
    actions = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=document, range=typo.range, context=lsp.CodeActionContext(
            diagnostics=[typo], only=[lsp.CodeActionKind.QuickFix]))))
    assert actions
    action = actions[0]
    assert isinstance(action, lsp.CodeAction) and action.title == 'Change to "connect:ListUsers"'
    fixed = apply_edits(STRING_TEMPLATE, edits_of(action, uri), encoding)
    assert fixed == STRING_TEMPLATE.replace("ListUsrs", "ListUsers")
    mark = client.change(uri, 2, lsp.TextDocumentContentChangeWholeDocument(text=fixed))
    assert summary(await client.diagnostics_of(uri, 2, mark)) == []

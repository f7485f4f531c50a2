"""Hover, completion, the outline, inlay hints and links inside the policies of templates
(YAML and JSON) and YAML policy files, through the real server: what a JSON policy gets,
with text that stays valid in the host."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_support import (
    NEOVIM,
    VSCODE,
    PolicyClient,
    apply_item,
    ids,
    position_of,
    rng,
    uri_for,
    within,
)
from lsprotocol import types as lsp

from connect_policy.document.syntax import JsonObject, JsonString
from connect_policy.formats.host import HostKind, analyze_host, yaml_policies
from connect_policy.formats.yaml_tree import parse_yaml

DATA = Path(__file__).parent.parent / "core" / "formats" / "data"
YAML_TEMPLATE = (DATA / "contact_center.yaml").read_text()
JSON_TEMPLATE = (DATA / "contact_center.template.json").read_text()
# The action list of AgentRole.Policies[0] in the YAML template.
YAML_ACTIONS = "                  - connect:DescribeUser\n                  - connect:ListUsrs\n"


def _with(marked_line: str) -> str:
    """The YAML template with its first action line replaced by `marked_line` (holding the
    cursor `|`)."""
    assert YAML_ACTIONS in YAML_TEMPLATE
    return YAML_TEMPLATE.replace(YAML_ACTIONS, marked_line + "\n" + YAML_ACTIONS.split(
        "\n")[1] + "\n", 1)


async def _complete(client: PolicyClient, source: str, name: str = "contact-center.yaml",
                    language: str = "yaml") -> tuple[str, lsp.CompletionList]:
    uri = uri_for(name)
    text, position = position_of(source)
    client.open(uri, text, language_id=language)
    result = await within(client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)), "completion")
    assert isinstance(result, lsp.CompletionList)
    return text, result


def _item(result: lsp.CompletionList, label: str) -> lsp.CompletionItem:
    found = [item for item in result.items if item.label == label]
    assert found, f"{label} not in {[i.label for i in result.items][:20]}"
    return found[0]


def _actions_of(text: str, label: str) -> list[str]:
    """The action strings of the template policy named `label`, as `check` reads them."""
    (policy,) = [p for p in yaml_policies(text) if p.label == label]
    assert isinstance(policy.root, JsonObject)
    statements = policy.root.value_of("Statement")
    values: list[str] = []
    for statement in getattr(statements, "items", []):
        action = statement.value_of("Action")
        for node in getattr(action, "items", [action]):
            if isinstance(node, JsonString):
                values.append(node.value)
    return values


# AgentRole.Policies[0]'s `Action` as a flow list.
FLOW_ACTIONS = YAML_TEMPLATE.replace(
    "                Action:\n" + YAML_ACTIONS + "                  - !Sub",
    "                Action: [connect:ListUsers, connect:Desc|]\n                Other:\n"
    "                  - !Sub", 1)


@pytest.mark.parametrize("client", [VSCODE, NEOVIM], ids=ids([VSCODE, NEOVIM]), indirect=True)
@pytest.mark.parametrize("source", [_with("                  - connect:Desc|"), FLOW_ACTIONS],
                         ids=["block-item", "flow-list"])
async def test_actions_in_a_yaml_template(client: PolicyClient, source: str) -> None:
    assert "connect:Desc|" in source
    text, result = await _complete(client, source)
    labels = [item.label for item in result.items]
    assert "connect:DescribeUser" in labels and "connect:Describe*" in labels
    # What starts with the typed text first (then what matches its words).
    assert all(label.lower().startswith("connect:desc") for label in labels[:20])
    applied = apply_item(text, result, _item(result, "connect:DescribeUser"))
    assert parse_yaml(applied).errors == []
    actions = _actions_of(applied, "AgentRole.Policies[0]")
    assert "connect:DescribeUser" in actions and "connect:Desc" not in actions


async def test_actions_in_an_unclosed_flow_list(client: PolicyClient) -> None:
    source = YAML_TEMPLATE.replace(YAML_ACTIONS, "", 1).replace(
        "                Action:\n                  - !Sub \"connect:${ConnectAction}\"",
        "                Action: [connect:ListUsers, connect:Desc|", 1)
    assert "[connect:ListUsers, connect:Desc|" in source
    text, result = await _complete(client, source)
    item = _item(result, "connect:DescribeUser")
    applied = apply_item(text, result, item)
    assert "Action: [connect:ListUsers, connect:DescribeUser\n" in applied
    # Closed by the user, it is valid YAML with the action in the policy.
    closed = applied.replace("connect:DescribeUser\n", "connect:DescribeUser]\n", 1)
    assert parse_yaml(closed).errors == []
    assert "connect:DescribeUser" in _actions_of(closed, "AgentRole.Policies[0]")


async def test_a_wildcard_resource_is_quoted_in_yaml(client: PolicyClient) -> None:
    source = YAML_TEMPLATE.replace(
        '                Resource: !Sub "arn:${AWS::Partition}:connect:${AWS::Region}:'
        '${AWS::AccountId}:instance/${InstanceId}/*"', "                Resource: |", 1)
    assert "Resource: |" in source
    text, result = await _complete(client, source)
    applied = apply_item(text, result, _item(result, "*"))
    assert '                Resource: "*"\n' in applied
    assert parse_yaml(applied).errors == []
    labels = [item.label for item in result.items]
    assert any(label.startswith("arn:aws:connect:") for label in labels)


async def test_condition_keys_in_a_yaml_template(client: PolicyClient) -> None:
    source = YAML_TEMPLATE.replace("                aws:SourceAccount: !Ref AWS::AccountId",
                                   "                aws:SourceAccount: !Ref AWS::AccountId\n"
                                   "                kms:Via|", 1)
    text, result = await _complete(client, source)
    labels = [item.label for item in result.items]
    assert labels[0] == "kms:ViaService"
    applied = apply_item(text, result, _item(result, "kms:ViaService"))
    assert "                kms:ViaService\n" in applied


async def test_element_names_in_a_yaml_statement(client: PolicyClient) -> None:
    source = YAML_TEMPLATE.replace(
        "                Resource: !Sub \"arn:${AWS::Partition}:connect:${AWS::Region}:"
        "${AWS::AccountId}:instance/${InstanceId}/*\"\n",
        "                Resource: !Sub \"arn:${AWS::Partition}:connect:${AWS::Region}:"
        "${AWS::AccountId}:instance/${InstanceId}/*\"\n                Cond|\n", 1)
    text, result = await _complete(client, source)
    assert [item.label for item in result.items] == ["Condition"]
    item = result.items[0]
    assert item.insert_text_format == lsp.InsertTextFormat.Snippet
    applied = apply_item(text, result, item)
    inserted = applied.replace("${1:StringEquals}", "StringEquals").replace(
        "$2", "aws:PrincipalTag/team").replace("$3", "agents")
    assert parse_yaml(inserted).errors == []
    assert [f.code for f in analyze_host(inserted, HostKind.YAML).findings] == [
        f.code for f in analyze_host(YAML_TEMPLATE, HostKind.YAML).findings]


@pytest.mark.parametrize(("name", "language", "text"), [
    ("contact-center.yaml", "yaml", YAML_TEMPLATE),
    ("contact-center.template.json", "json", JSON_TEMPLATE),
], ids=["yaml", "json"])
async def test_hover_on_an_action_in_a_template(client: PolicyClient, name: str,
                                                language: str, text: str) -> None:
    uri = uri_for(name)
    client.open(uri, text, language_id=language)
    offset = text.index("connect:DescribeUser") + len("connect:Desc")
    line = text.count("\n", 0, offset)
    character = offset - (text.rfind("\n", 0, offset) + 1)
    hover = await within(client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=lsp.Position(line=line, character=character))))
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert hover.contents.value.startswith("**connect:DescribeUser** — Amazon Connect")
    assert hover.range is not None
    start = hover.range.start
    assert (start.line, start.character) == (line, text.index(
        "connect:DescribeUser") - (text.rfind("\n", 0, offset) + 1))


async def test_completion_in_a_json_template(client: PolicyClient) -> None:
    source = JSON_TEMPLATE.replace('"connect:DescribeUser"', '"connect:DescribeUs|"', 1)
    text, result = await _complete(client, source, "contact-center.template.json", "json")
    applied = apply_item(text, result, _item(result, "connect:DescribeUser"))
    assert applied == JSON_TEMPLATE


@pytest.mark.parametrize(("name", "language", "text"), [
    ("contact-center.yaml", "yaml", YAML_TEMPLATE),
    ("contact-center.template.json", "json", JSON_TEMPLATE),
], ids=["yaml", "json"])
async def test_outline_hints_and_links_of_a_template(client: PolicyClient, name: str,
                                                     language: str, text: str) -> None:
    uri = uri_for(name)
    document = lsp.TextDocumentIdentifier(uri=uri)
    client.open(uri, text, language_id=language)
    symbols = await within(client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=document)))
    assert symbols is not None
    outline = [(s.name, s.detail, [c.name for c in s.children or []]) for s in symbols
               if isinstance(s, lsp.DocumentSymbol)]
    assert outline[:3] == [
        ("RecordingsKey.KeyPolicy", "resource policy", ["AccountAdmin", "ConnectUse"]),
        ("RecordingsBucketPolicy.PolicyDocument", "resource policy",
         ["ConnectWritesRecordings", "TlsOnly"]),
        ("AgentRole.Policies[0]", "identity policy", ["ReadDirectory"])]
    assert ("AgentRole.AssumeRolePolicyDocument", "trust policy", ["Statement 1"]) in outline
    whole = rng(0, 0, len(text.splitlines()), 0)
    hints = await within(client.text_document_inlay_hint_async(
        lsp.InlayHintParams(text_document=document, range=whole)))
    assert hints is not None
    lines = text.splitlines()
    describe_user = [h for h in hints if lines[h.position.line][:h.position.character]
                     .rstrip('"').endswith("connect:DescribeUser")]
    assert [h.label for h in describe_user] == ["Read"]
    links = await within(client.text_document_document_link_async(
        lsp.DocumentLinkParams(text_document=document)))
    assert links is not None
    linked = {lines[link.range.start.line][link.range.start.character:link.range.end.character]
              for link in links}
    assert {"connect:DescribeUser", "kms:Encrypt", "aws:SourceAccount"} <= linked


async def test_a_yaml_policy_file_gets_completion_and_an_outline(client: PolicyClient) -> None:
    source = "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action:\n" \
             "      - s3:GetObj|\n    Resource: '*'\n"
    text, result = await _complete(client, source, "policy.yaml")
    labels = [item.label for item in result.items]
    assert labels[0] == "s3:GetObject" and len(labels) > 5
    assert all(label.startswith("s3:GetObj") for label in labels[:5])
    assert apply_item(text, result, result.items[0]) == text.replace("s3:GetObj\n",
                                                                    "s3:GetObject\n")
    symbols = await within(client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=lsp.TextDocumentIdentifier(
            uri=uri_for("policy.yaml")))))
    assert symbols is not None
    assert [s.name for s in symbols if isinstance(s, lsp.DocumentSymbol)] == ["Policy"]

"""Typing in a large template through the real server: each keystroke is a small didChange
(the server re-reads only the edited resource), completion is asked right after it as an
editor asks while the user types, and the diagnostics of every version are those `check`
gives for that text, at the same places."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from lsp_support import PolicyClient, edit, rng, summary, uri_for, within
from lsprotocol import types as lsp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))

from stack_templates import stack_template

from connect_policy.checker import Target, check
from connect_policy.config import Config
from connect_policy.document.text import LineIndex

ACTION = "connect:DescribeUser"


def checked(name: str, text: str) -> list[tuple[str, tuple[int, int, int, int]]]:
    (report,) = check([Target(name, None, True, text.encode())], Config())
    lines = LineIndex(text)
    return [(f.code, (*lines.position(f.span.start, "utf-16"),
                      *lines.position(f.span.end, "utf-16"))) for f in report.findings]


@pytest.mark.parametrize("form", ["yaml", "json"])
async def test_typing_an_action_in_a_large_template(client: PolicyClient, form: str) -> None:
    name = "stack.yaml" if form == "yaml" else "stack.template.json"
    text = stack_template(form)
    uri = uri_for(name)
    mark = client.open(uri, text, language_id=form)
    assert await client.diagnostics_of(uri, 1, mark) == []
    # A new entry in the action list of a policy in the middle of the template.
    middle = text.index("connect:DescribeQueue", len(text) // 2)
    if form == "yaml":
        at = text.index("\n", middle)
        indent = text[text.rindex("\n", 0, middle) + 1:text.index("-", text.rindex(
            "\n", 0, middle))]
        prefix = f"\n{indent}- "
    else:
        at, prefix = middle - 1, '"'
    version, current = 1, text
    closing = [] if form == "yaml" else ['"', ",", " "]
    for piece in [prefix, *ACTION, *closing]:
        version += 1
        line, character = LineIndex(current).position(at, "utf-16")
        current = current[:at] + piece + current[at:]
        at += len(piece)
        mark = client.change(uri, version, edit(rng(line, character, line, character), piece))
        cursor = lsp.Position(*LineIndex(current).position(at, "utf-16"))
        result = await within(client.text_document_completion_async(lsp.CompletionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=cursor)),
            "completion")
        typed = current[current.rindex(prefix[-1], 0, at) + 1:at]
        if piece not in closing:  # inside the action's name: actions are offered
            assert isinstance(result, lsp.CompletionList), typed
        if typed.startswith("connect:Desc") and piece not in closing:
            assert isinstance(result, lsp.CompletionList)
            labels = [item.label for item in result.items]
            assert ACTION in labels, (typed, labels[:5])
        diagnostics = await client.diagnostics_of(uri, version, mark)
        assert summary(diagnostics) == checked(name, current), typed
    assert diagnostics == []  # typed out, the new entry is fine
    # One letter less: an invalid action, at the exact place of its name.
    at -= len(closing)
    start = at - len(ACTION)
    typo_text = current[:start] + "connect:DescribeUsr" + current[at:]
    line, character = LineIndex(current).position(start + len("connect:DescribeUs"), "utf-16")
    mark = client.change(uri, version + 1, edit(rng(line, character, line, character + 1), ""))
    diagnostics = await client.diagnostics_of(uri, version + 1, mark)
    assert summary(diagnostics) == checked(name, typo_text)
    name_line, name_column = LineIndex(typo_text).position(start + len("connect:"), "utf-16")
    assert ("INVALID_ACTION", (name_line, name_column, name_line,
                               name_column + len("DescribeUsr"))) in summary(diagnostics)

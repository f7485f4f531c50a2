"""Where the server's log goes: information to the client (`window/logMessage`, once it is
initialized), only warnings and errors to stderr, which editors log as errors (Neovim marks
every stderr line `[ERROR]` in `lsp.log`); `--log-level` asks for more on stderr."""

from __future__ import annotations

import asyncio

from lsp_support import PolicyClient, start_session, uri_for, within
from lsprotocol import types as lsp

from connect_policy import __version__

POLICY = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["connect:DescribeUsr", "connect:ListUsers"],
     "Resource": "*"}
  ]
}
"""
CLIENT_NAME = "pytest-lsp logging"


async def _session(*options: str) -> PolicyClient:
    return await start_session(options, client_name=CLIENT_NAME)


async def _normal_session(client: PolicyClient) -> None:
    """Open a policy with findings, get its diagnostics, hover and complete, and end the
    session; then every line the server wrote to stderr has been recorded."""
    uri = uri_for("logging.json")
    mark = client.open(uri, POLICY)
    assert await client.diagnostics_of(uri, 1, mark)
    position = lsp.Position(line=3, character=40)
    await within(client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)), "hover")
    await within(client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)), "completion")
    await within(client.shutdown_session(), "shutdown and exit")
    assert client.stderr_recorder is not None
    await within(asyncio.shield(client.stderr_recorder), "the end of the server's stderr")


def _startup_line(message: str) -> bool:
    return (f"connect-policy-lsp {__version__}" in message and CLIENT_NAME in message
            and "position encoding" in message)


async def test_startup_line_is_a_log_message_and_stderr_stays_empty() -> None:
    client = await _session()
    try:
        await _normal_session(client)
    finally:
        await client.stop()
    startup = [m for m in client.log_messages if _startup_line(m.message)]
    assert len(startup) == 1, client.log_messages
    assert startup[0].type == lsp.MessageType.Info
    assert startup[0].message.startswith("connect-policy: ")
    # Nothing at all on stderr in a normal session: no INFO line for lsp.log to call an error.
    assert client.stderr_lines == []


async def test_log_level_info_also_writes_information_to_stderr() -> None:
    client = await _session("--log-level", "INFO")
    try:
        await _normal_session(client)
    finally:
        await client.stop()
    lines = [line for line in client.stderr_lines if " INFO " in line]
    assert any(_startup_line(line) for line in lines), client.stderr_lines
    # The client still gets it too.
    assert any(_startup_line(m.message) for m in client.log_messages)


async def test_log_level_error_keeps_warnings_off_stderr() -> None:
    """A warning (didChange for a document that is not open) reaches stderr by default and
    not with `--log-level ERROR`; it is never sent to the client as information."""
    for options, expected in (((), True), (("--log-level", "ERROR"), False)):
        client = await _session(*options)
        try:
            client.change(uri_for("never-opened.json"), 2,
                          lsp.TextDocumentContentChangeWholeDocument(text="{}"))
            await _normal_session(client)
        finally:
            await client.stop()
        warned = [line for line in client.stderr_lines
                  if " WARNING " in line and "never-opened.json" in line]
        assert bool(warned) == expected, (options, client.stderr_lines)
        assert not any("never-opened.json" in m.message for m in client.log_messages)

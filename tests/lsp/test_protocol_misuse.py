"""Protocol misuse: requests for documents that are not open, positions out of range, edits
out of order, cancellations, requests after `shutdown`, `exit` codes, a client that stops
reading, and a failing handler. The server answers sensibly and keeps serving.

Most cases go through pytest-lsp; the ones about the process itself (exit codes, a client
that never reads, stderr) speak JSON-RPC to `python -m connect_policy_lsp serve` directly.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import pytest_lsp
from lsp_support import (
    SERVER_COMMAND,
    TIMEOUT,
    VSCODE,
    VSCODE_PULL,
    VSCODE_UTF8_FIRST,
    PolicyClient,
    edit,
    ids,
    make_policy_client,
    rng,
    summary,
    uri_for,
    whole,
    within,
)
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig

BOTH = [VSCODE, VSCODE_PULL]  # push and pull
BOTH_IDS = ids(BOTH)

# `connect:DescribeUsr` is INVALID_ACTION at line 2, characters 55..66 (see test_robustness).
POLICY = ('{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", '
          '"Action": "connect:DescribeUsr", "Resource": "*"}]\n}\n')
FINDING = ("INVALID_ACTION", (2, 55, 2, 66))
# Line 1 has an emoji (a UTF-16 surrogate pair, 4 UTF-8 bytes) in the Sid at code points
# 10..11; `"Sid": "` starts at 3.
EMOJI_POLICY = ('{\n  "Sid": "a😀b",\n  "Version": "2012-10-17",\n  "Statement": '
                '[{"Effect": "Allow", "Action": "connect:DescribeUser", "Resource": "*"}]\n}\n')
HUGE = 2**31 - 1  # the largest `uinteger` an LSP position may hold


def _pos(line: int, character: int) -> lsp.Position:
    return lsp.Position(line=line, character=character)


def _id(uri: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri)


def _no_errors_shown(client: PolicyClient) -> None:
    problems = [m.message for m in client.messages if m.type == lsp.MessageType.Error]
    problems += [m.message for m in client.log_messages if m.type == lsp.MessageType.Error]
    assert problems == []


async def _every_request(client: PolicyClient, uri: str, start: lsp.Position,
                         end: lsp.Position) -> dict[str, Any]:
    """Every document request the server serves, at the given position or range."""
    doc = _id(uri)
    range_ = lsp.Range(start=start, end=end)
    requests: dict[str, Any] = {
        "completion": client.text_document_completion_async(
            lsp.CompletionParams(text_document=doc, position=start)),
        "hover": client.text_document_hover_async(
            lsp.HoverParams(text_document=doc, position=start)),
        "codeAction": client.text_document_code_action_async(lsp.CodeActionParams(
            text_document=doc, range=range_, context=lsp.CodeActionContext(diagnostics=[]))),
        "documentSymbol": client.text_document_document_symbol_async(
            lsp.DocumentSymbolParams(text_document=doc)),
        "foldingRange": client.text_document_folding_range_async(
            lsp.FoldingRangeParams(text_document=doc)),
        "selectionRange": client.text_document_selection_range_async(
            lsp.SelectionRangeParams(text_document=doc, positions=[start, end])),
        "inlayHint": client.text_document_inlay_hint_async(
            lsp.InlayHintParams(text_document=doc, range=range_)),
        "documentLink": client.text_document_document_link_async(
            lsp.DocumentLinkParams(text_document=doc)),
        "diagnostic": client.text_document_diagnostic_async(
            lsp.DocumentDiagnosticParams(text_document=doc)),
    }
    results = {}
    for name, request in requests.items():
        results[name] = await within(request, f"{name} for {uri}")
    return results


def _assert_nothing(results: dict[str, Any]) -> None:
    """What a document that is not open gets: null, and an empty diagnostic report."""
    report = results.pop("diagnostic")
    assert isinstance(report, lsp.RelatedFullDocumentDiagnosticReport)
    assert list(report.items) == []
    assert results == dict.fromkeys(results)  # every other result is null


# -- documents that are not open -----------------------------------------------------------

@pytest.mark.parametrize("client", BOTH, ids=BOTH_IDS, indirect=True)
async def test_requests_for_documents_never_opened_or_closed(client: PolicyClient) -> None:
    never = uri_for("never-opened.json")
    _assert_nothing(await _every_request(client, never, _pos(2, 55), _pos(2, 60)))

    uri = uri_for("closed.json")
    mark = client.open(uri, POLICY)
    assert summary(await client.diagnostics_of(uri, 1, mark)) == [FINDING]
    client.close(uri)
    _assert_nothing(await _every_request(client, uri, _pos(2, 55), _pos(2, 60)))
    # Positions that would be out of range do not matter either.
    _assert_nothing(await _every_request(client, uri, _pos(HUGE, HUGE), _pos(HUGE, HUGE)))
    _no_errors_shown(client)


# -- positions out of range ----------------------------------------------------------------

@pytest.mark.parametrize("client", [VSCODE, VSCODE_UTF8_FIRST], ids=["utf-16", "utf-8"],
                         indirect=True)
async def test_positions_out_of_range_are_clamped(client: PolicyClient) -> None:
    encoding = client.position_encoding
    assert encoding in ("utf-16", "utf-8")
    uri = uri_for("positions.json")
    mark = client.open(uri, EMOJI_POLICY)
    await client.diagnostics_of(uri, 1, mark)
    # Inside the emoji: one unit into the surrogate pair (UTF-16) or 1..3 bytes into it (UTF-8).
    inside = [_pos(1, 11)] if encoding == "utf-16" else [_pos(1, 11), _pos(1, 12), _pos(1, 13)]
    positions = [
        _pos(0, 500),  # past the end of a line
        _pos(1, 10_000),
        _pos(6, 0),  # the empty last line, then past the end of the document
        _pos(7, 3),
        _pos(10_000, 0),
        _pos(HUGE, HUGE),
        _pos(0, HUGE),
        *inside,
    ]
    for position in positions:
        results = await _every_request(client, uri, position, position)
        report = results["diagnostic"]
        assert isinstance(report, lsp.RelatedFullDocumentDiagnosticReport)
        # A range from the start to far past the end covers the whole document.
    results = await _every_request(client, uri, _pos(0, 0), _pos(HUGE, HUGE))
    symbols = results["documentSymbol"]
    assert symbols, "the outline does not depend on positions"
    # Selection ranges clamp to the document: the outermost one is the whole text.
    outer = results["selectionRange"][1]
    while outer.parent is not None:
        outer = outer.parent
    end = outer.range.end
    assert (end.line, end.character) <= (6, 0)

    # A hover inside the emoji is the hover of the Sid string (the position rounds to a
    # character boundary), never an error.
    for position in inside:
        hover = await within(client.text_document_hover_async(
            lsp.HoverParams(text_document=_id(uri), position=position)))
        assert hover is None or isinstance(hover, lsp.Hover)
    _no_errors_shown(client)


async def test_edits_inside_the_surrogate_pair_and_past_the_end(client: PolicyClient) -> None:
    """UTF-16: an edit whose range starts or ends inside the emoji keeps the text valid, and
    one past the end of the document appends at the end."""
    uri = uri_for("edit-positions.json")
    mark = client.open(uri, EMOJI_POLICY)
    await client.diagnostics_of(uri, 1, mark)
    # `a😀b` is at UTF-16 columns 10..14; column 12 is inside the pair. Replacing 12..13 (the
    # low surrogate and `b`) rounds to a character boundary: the text stays valid Unicode.
    mark = client.change(uri, 2, edit(rng(1, 12, 1, 13), "c"))
    diagnostics = await client.diagnostics_of(uri, 2, mark)
    for diagnostic in diagnostics:
        assert diagnostic.message.encode("utf-8")  # no lone surrogates anywhere
    # Past the end of the document: appended at the end (clamped), not an error.
    mark = client.change(uri, 3, edit(rng(HUGE, HUGE, HUGE, HUGE), "\n"))
    await client.diagnostics_of(uri, 3, mark)
    mark = client.change(uri, 4, edit(rng(100, 0, 200, 5), ""))
    await client.diagnostics_of(uri, 4, mark)
    # Start after end: the range is taken in order.
    mark = client.change(uri, 5, whole(POLICY), edit(rng(2, 66, 2, 55), "DescribeUser"))
    assert summary(await client.diagnostics_of(uri, 5, mark)) == []
    _no_errors_shown(client)


# -- document sync out of order ------------------------------------------------------------

@pytest.mark.parametrize("client", BOTH, ids=BOTH_IDS, indirect=True)
async def test_sync_out_of_order(client: PolicyClient) -> None:
    uri = uri_for("sync.json")
    mark = client.open(uri, POLICY, version=5)
    assert summary(await client.diagnostics_of(uri, 5, mark)) == [FINDING]

    # Stale and out-of-order versions: the edits apply in the order they arrive, the
    # diagnostics carry the version the client gave.
    mark = client.change(uri, 3, edit(rng(2, 55, 2, 66), "DescribeUser"))
    assert summary(await client.diagnostics_of(uri, 3, mark)) == []
    mark = client.change(uri, 3, edit(rng(2, 55, 2, 67), "DescribeUsr"))
    assert summary(await client.diagnostics_of(uri, 3, mark)) == [FINDING]

    # didOpen twice: the second open's text and version win.
    mark = client.open(uri, POLICY.replace("DescribeUsr", "DescribeUser"), version=9)
    assert summary(await client.diagnostics_of(uri, 9, mark)) == []

    # didChange and didClose of documents that are not open are ignored, quietly.
    other = uri_for("not-open.json")
    client.change(other, 2, edit(rng(0, 0, 0, 0), "{"), whole(POLICY))
    client.close(other)
    client.close(other)
    await client.roundtrip()
    assert client.published_for(other) == []  # not even an empty set: it was never open
    _assert_nothing(await _every_request(client, other, _pos(0, 0), _pos(0, 0)))

    # Closed, then changed: still not open; opened again: fresh.
    client.close(uri)
    client.change(uri, 10, whole("{"))
    _assert_nothing(await _every_request(client, uri, _pos(0, 0), _pos(0, 0)))
    mark = client.open(uri, POLICY, version=1)
    assert summary(await client.diagnostics_of(uri, 1, mark)) == [FINDING]
    _no_errors_shown(client)


# -- cancellation ----------------------------------------------------------------------------

def _big_policy(statements: int) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": f"S{i}", "Effect": "Allow",
         "Action": ["connect:DescribeUsr", "connect:Describe*", "wisdom:GetAssistant"],
         "Resource": "*"} for i in range(statements)]}, indent=2)


@pytest.mark.parametrize("client", [VSCODE_PULL], ids=ids([VSCODE_PULL]), indirect=True)
async def test_cancel_requests(client: PolicyClient) -> None:
    """pygls can cancel a request only before its handler starts; ours run at once on the
    event loop, so a cancellation finds the request answered (or answers it `RequestCancelled`).
    Either way, nothing breaks and later requests are answered."""
    uri = uri_for("big.json")
    text = _big_policy(4000)  # about 0.8 MB, 8,000 findings
    assert len(text) > 750_000
    client.open(uri, text)
    protocol = client.protocol
    whole_document = rng(0, 0, HUGE, 0)
    requests = {
        900_001: (lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionParams(
            text_document=_id(uri), range=whole_document,
            context=lsp.CodeActionContext(diagnostics=[]))),
        900_002: (lsp.TEXT_DOCUMENT_DIAGNOSTIC, lsp.DocumentDiagnosticParams(
            text_document=_id(uri))),
        "cancel-me": (lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionParams(
            text_document=_id(uri), position=_pos(40, 10))),
    }
    futures = {msg_id: protocol.send_request_async(method, params, msg_id=msg_id)
               for msg_id, (method, params) in requests.items()}
    for msg_id in futures:
        protocol.notify(lsp.CANCEL_REQUEST, lsp.CancelParams(id=msg_id))
    # Ids nobody sent, and one sent twice.
    for msg_id in (123_456_789, "no-such-request", 900_001):
        protocol.notify(lsp.CANCEL_REQUEST, lsp.CancelParams(id=msg_id))
    for msg_id, future in futures.items():
        try:
            await within(future, f"request {msg_id}")
        except JsonRpcException as error:
            assert error.code == lsp.LSPErrorCodes.RequestCancelled, error

    # Still serving, correctly.
    small = uri_for("after-cancel.json")
    client.open(small, POLICY)
    assert summary(await client.pull_items(small)) == [FINDING]
    hover = await within(client.text_document_hover_async(
        lsp.HoverParams(text_document=_id(small), position=_pos(2, 58))))
    assert hover is not None
    _no_errors_shown(client)


# -- a failing handler (test hook) ---------------------------------------------------------

FAILING = "hover,textDocument/didSave"
FAILING_CONFIG = ClientServerConfig(
    server_command=SERVER_COMMAND, client_factory=make_policy_client,
    server_env={**os.environ, "CONNECT_POLICY_TEST_FAIL": FAILING})


@pytest_lsp.fixture(config=FAILING_CONFIG)  # type: ignore[untyped-decorator]
async def failing(lsp_client: PolicyClient) -> AsyncIterator[PolicyClient]:
    lsp_client.profile = VSCODE_PULL
    await within(lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=VSCODE_PULL.capabilities(), process_id=os.getpid())))
    yield lsp_client
    await within(lsp_client.shutdown_session(), "shutdown and exit")


async def test_a_failing_handler_takes_nothing_else_down(failing: PolicyClient) -> None:
    client = failing
    uri = uri_for("failing.json")
    client.open(uri, POLICY)
    with pytest.raises(JsonRpcException) as raised:
        await within(client.text_document_hover_async(
            lsp.HoverParams(text_document=_id(uri), position=_pos(2, 58))))
    error = raised.value
    assert error.code == lsp.ErrorCodes.InternalError
    assert "textDocument/hover failed" in error.message
    assert "CONNECT_POLICY_TEST_FAIL" in error.message
    logged = [m for m in client.log_messages if m.type == lsp.MessageType.Error]
    assert len(logged) == 1 and "textDocument/hover failed" in logged[0].message

    # Everything else still works, and the hover fails the same way each time.
    assert summary(await client.pull_items(uri)) == [FINDING]
    completion = await within(client.text_document_completion_async(
        lsp.CompletionParams(text_document=_id(uri), position=_pos(2, 58))))
    assert completion is not None
    with pytest.raises(JsonRpcException):
        await within(client.text_document_hover_async(
            lsp.HoverParams(text_document=_id(uri), position=_pos(2, 58))))

    # A failing notification has no response to carry the error: it is logged and shown.
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=_id(uri)))
    await client.roundtrip()
    logged = [m.message for m in client.log_messages if m.type == lsp.MessageType.Error]
    assert any("textDocument/didSave failed" in m for m in logged), logged
    shown = [m.message for m in client.messages if m.type == lsp.MessageType.Error]
    assert any("textDocument/didSave failed" in m for m in shown), shown
    assert summary(await client.pull_items(uri)) == [FINDING]


# -- the process itself: raw JSON-RPC over pipes ---------------------------------------------

class RawServer:
    """The server as a subprocess, spoken to with Content-Length framing. Its stderr goes to
    a file, so a test can read what it logged."""

    def __init__(self, process: asyncio.subprocess.Process, stderr: Any) -> None:
        self.process = process
        self._stderr = stderr
        self._next_id = 0

    @classmethod
    async def start(cls, env: dict[str, str] | None = None) -> RawServer:
        stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the `raw` fixture)
        process = await asyncio.create_subprocess_exec(
            *SERVER_COMMAND, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=stderr, env={**os.environ, **(env or {})})
        return cls(process, stderr)

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))

    def request(self, method: str, params: Any = None) -> int:
        self._next_id += 1
        self.send({"id": self._next_id, "method": method, "params": params})
        return self._next_id

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"method": method} if params is None else {"method": method,
                                                              "params": params})

    async def read(self) -> dict[str, Any]:
        stdout = self.process.stdout
        assert stdout is not None
        length = None
        while (line := await stdout.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        assert length is not None, "the server closed its output"
        message = json.loads(await stdout.readexactly(length))
        assert isinstance(message, dict)
        return message

    async def response(self, msg_id: int,
                       seen: Callable[[dict[str, Any]], None] | None = None
                       ) -> dict[str, Any]:
        async def wait() -> dict[str, Any]:
            while True:
                message = await self.read()
                if message.get("id") == msg_id and "method" not in message:
                    return message
                if seen is not None:
                    seen(message)
        return await within(wait(), f"the response to request {msg_id}")

    async def initialize(self) -> None:
        msg_id = self.request("initialize", {"processId": os.getpid(), "rootUri": None,
                                             "capabilities": {}})
        assert "result" in await self.response(msg_id)
        self.notify("initialized", {})

    async def exit_code(self, timeout: float = TIMEOUT) -> int:
        """The server's exit code, once it has exited by itself. (Polled: asyncio's `wait()`
        also waits for the pipes to close, which a client that stopped reading holds up.)"""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (code := self.process.returncode) is None:
            if loop.time() > deadline:
                self.kill()
                raise AssertionError(f"the server did not exit within {timeout:g} s")
            await asyncio.sleep(0.05)
        return code

    def stderr(self) -> str:
        self._stderr.seek(0)
        return str(self._stderr.read().decode("utf-8", "replace"))

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()

    def close(self) -> None:
        self._stderr.close()


@pytest.fixture
async def raw() -> AsyncIterator[Callable[..., Any]]:
    started: list[RawServer] = []

    async def start(env: dict[str, str] | None = None) -> RawServer:
        server = await RawServer.start(env)
        started.append(server)
        await server.initialize()
        return server

    yield start
    for server in started:
        server.kill()
        if server.process.stdout is not None:
            await server.process.stdout.read()  # what a test left unread
        await server.process.wait()
        server.close()


async def test_exit_without_shutdown_exits_1(raw: Callable[..., Any]) -> None:
    server = await raw()
    server.notify("exit")
    assert await server.exit_code() == 1


async def test_requests_after_shutdown_get_invalid_request(raw: Callable[..., Any]) -> None:
    server = await raw()
    uri = "file:///workspace/after-shutdown.json"
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "json", "version": 1, "text": POLICY}})
    response = await server.response(server.request("shutdown"))
    assert response.get("result", "missing") is None
    hover = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": 2, "character": 58}})
    answer = await server.response(hover)
    assert answer["error"]["code"] == lsp.ErrorCodes.InvalidRequest
    assert "shut" in answer["error"]["message"]
    again = await server.response(server.request("shutdown"))
    assert again["error"]["code"] == lsp.ErrorCodes.InvalidRequest
    # Notifications other than `exit` are ignored; `exit` ends the process with 0 even with
    # stdin still open.
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": "{"}]})
    server.notify("exit")
    assert await server.exit_code() == 0


async def test_malformed_request_gets_an_error_response(raw: Callable[..., Any]) -> None:
    """Params that do not fit the method (a negative position, which `uinteger` forbids, or
    a number beyond it) get InvalidParams instead of silence; the server goes on."""
    server = await raw()
    uri = "file:///workspace/malformed.json"
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "json", "version": 1, "text": POLICY}})
    for position in ({"line": -1, "character": 0}, {"line": 0, "character": -5},
                     {"line": 2**40, "character": 0}, {"line": "two", "character": 0}):
        msg_id = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                       "position": position})
        answer = await server.response(msg_id)
        assert answer["error"]["code"] == lsp.ErrorCodes.InvalidParams, answer
    msg_id = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                   "position": {"line": 2, "character": 58}})
    assert (await server.response(msg_id))["result"] is not None
    await server.response(server.request("shutdown"))
    server.notify("exit")
    assert await server.exit_code() == 0


async def test_failing_handler_logs_its_traceback(raw: Callable[..., Any]) -> None:
    server = await raw({"CONNECT_POLICY_TEST_FAIL": "completion"})
    uri = "file:///workspace/traceback.json"
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "json", "version": 1, "text": POLICY}})
    logged: list[dict[str, Any]] = []

    def seen(message: dict[str, Any]) -> None:
        if message.get("method") == "window/logMessage":
            logged.append(message["params"])

    msg_id = server.request("textDocument/completion", {
        "textDocument": {"uri": uri}, "position": {"line": 2, "character": 58}})
    answer = await server.response(msg_id, seen)
    assert answer["error"]["code"] == lsp.ErrorCodes.InternalError
    assert "textDocument/completion failed" in answer["error"]["message"]
    hover = server.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": {"line": 2, "character": 58}})
    assert (await server.response(hover, seen))["result"] is not None
    # (Besides the start-up line, an Info message.)
    assert [m["type"] for m in logged if m["type"] != lsp.MessageType.Info] == [
        lsp.MessageType.Error]
    await server.response(server.request("shutdown"))
    server.notify("exit")
    assert await server.exit_code() == 0
    stderr = server.stderr()
    assert "Traceback (most recent call last)" in stderr
    assert "textDocument/completion failed" in stderr


async def test_client_that_never_reads(raw: Callable[..., Any]) -> None:
    """Hundreds of documents with findings and a client that reads nothing: the server's
    output waits in memory, it goes on reading, and `shutdown`/`exit` still end it with 0."""
    server = await raw()
    stdin = server.process.stdin
    assert stdin is not None
    for n in range(400):
        server.notify("textDocument/didOpen", {"textDocument": {
            "uri": f"file:///workspace/unread-{n}.json", "languageId": "json",
            "version": 1, "text": POLICY * 3}})
    # Our writes complete only if the server keeps reading: the pipe holds ~64 KiB and this
    # is several times more. The diagnostics (hundreds of KiB) are never read.
    await within(stdin.drain(), "the server to read our didOpen notifications")
    server.request("shutdown")
    server.notify("exit")
    await within(stdin.drain(), "the server to read shutdown and exit")
    assert await server.exit_code() == 0
    assert "Traceback" not in server.stderr()


async def test_client_that_never_reads_then_goes_away(raw: Callable[..., Any]) -> None:
    """The same client, gone without a word (its ends of the pipes closed): the server ends
    on its own, without a storm of tracebacks."""
    server = await raw()
    stdin = server.process.stdin
    assert stdin is not None
    for n in range(400):
        server.notify("textDocument/didOpen", {"textDocument": {
            "uri": f"file:///workspace/gone-{n}.json", "languageId": "json",
            "version": 1, "text": POLICY * 3}})
    await within(stdin.drain(), "the server to read our didOpen notifications")
    stdin.close()
    transport = server.process._transport  # type: ignore[attr-defined]
    pipe = transport.get_pipe_transport(1)
    if pipe is not None:
        pipe.close()  # our end of the server's stdout: its writes now fail with EPIPE
    await server.exit_code()
    assert server.stderr().count("Traceback") <= 1

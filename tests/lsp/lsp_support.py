"""Shared pieces of the end-to-end tests: client profiles, the recording client, helpers.

Every wait on the server goes through `within()`, so a broken or silent server fails the
test after `TIMEOUT` seconds instead of hanging CI.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from connect_policy.document.text import LineIndex

TIMEOUT = 20.0
SERVER_COMMAND = [sys.executable, "-m", "connect_policy_lsp", "serve"]
SOURCE = "connect-policy"
REFERENCE = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/"
             "access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-")

T = TypeVar("T")


async def within(awaitable: Awaitable[T], what: str = "the server") -> T:
    """Await with the suite's timeout; a timeout names what we were waiting for."""
    try:
        return await asyncio.wait_for(awaitable, timeout=TIMEOUT)
    except TimeoutError as error:
        raise AssertionError(f"timed out after {TIMEOUT:g} s waiting for {what}") from error


# -- client profiles -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Profile:
    """Capabilities of a recorded client (pytest-lsp's capability files), optionally edited.

    `pull`: None keeps the recorded `textDocument.diagnostic`; False removes it (a push
    client); True adds it (a pull client). `encodings`: replaces
    `general.positionEncodings` when given.
    """

    id: str
    spec: str
    pull: bool | None = None
    encodings: tuple[str, ...] | None = None
    locale: str | None = None  # sent as InitializeParams.locale
    options: str | None = None  # InitializationOptions, as JSON text (the class is frozen)
    refresh: bool = False  # announce workspace.diagnostics.refreshSupport

    def capabilities(self) -> lsp.ClientCapabilities:
        capabilities = client_capabilities(self.spec)
        if self.pull is not None:
            if capabilities.text_document is None:
                capabilities.text_document = lsp.TextDocumentClientCapabilities()
            capabilities.text_document.diagnostic = (
                lsp.DiagnosticClientCapabilities(dynamic_registration=False)
                if self.pull else None)
        if self.refresh:
            if capabilities.workspace is None:
                capabilities.workspace = lsp.WorkspaceClientCapabilities()
            capabilities.workspace.diagnostics = lsp.DiagnosticWorkspaceClientCapabilities(
                refresh_support=True)
        if self.encodings is not None:
            if capabilities.general is None:
                capabilities.general = lsp.GeneralClientCapabilities()
            capabilities.general.position_encodings = list(self.encodings)
        return capabilities


# Recorded as is. VS Code 1.65.2 predates pull diagnostics: it has no
# `textDocument.diagnostic` (and no `general.positionEncodings`, so UTF-16).
VSCODE = Profile("vscode-1.65.2", "visual-studio-code@1.65.2")
# The same, with a Korean user interface.
VSCODE_KO = Profile("vscode-1.65.2-ko", "visual-studio-code@1.65.2", locale="ko-KR")
# Neovim 0.11.0 offers `textDocument.diagnostic` (pull) and encodings utf-8, utf-16, utf-32.
NEOVIM = Profile("neovim-0.11.0", "neovim@0.11.0")
# Neovim 0.10.0 offers `textDocument.diagnostic` (pull) and only utf-16.
NEOVIM_010 = Profile("neovim-0.10.0", "neovim@0.10.0")
# Emacs 29.1 (eglot): no `textDocument.diagnostic` (push), encodings utf-32 first.
EMACS = Profile("emacs-29.1", "emacs@29.1")
# Neovim 0.11.0 without `textDocument.diagnostic`: the push path with Neovim's capabilities.
NEOVIM_PUSH = Profile("neovim-0.11.0-push", "neovim@0.11.0", pull=False)
# VS Code 1.65.2 offering explicit encodings, to test both units on the push path.
VSCODE_UTF16_ONLY = Profile("vscode-utf-16-only", "visual-studio-code@1.65.2",
                            encodings=("utf-16",))
# VS Code 1.65.2 plus `textDocument.diagnostic` (extensions on vscode-languageclient 8+ offer it).
VSCODE_PULL = Profile("vscode-1.65.2-pull", "visual-studio-code@1.65.2", pull=True)
VSCODE_UTF8_FIRST = Profile("vscode-utf-8-first", "visual-studio-code@1.65.2",
                            encodings=("utf-8", "utf-16"))

PUSH_PROFILES = (VSCODE, NEOVIM_PUSH)
PULL_PROFILES = (NEOVIM, NEOVIM_010, VSCODE_PULL)


def ids(profiles: Sequence[Profile]) -> list[str]:
    return [p.id for p in profiles]


# -- the client ----------------------------------------------------------------------------

class PolicyClient(LanguageClient):
    """pytest-lsp's client, plus a history of every publishDiagnostics in arrival order,
    and of the lines the server wrote to stderr (still forwarded to the test's stderr).

    `wait_for_notification` keeps only one waiter per method, so a publish that arrives
    while the test is not waiting is lost to it; the history loses nothing.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.published: list[lsp.PublishDiagnosticsParams] = []
        self._published_event = asyncio.Event()
        self.profile: Profile | None = None
        self.initialize_result: lsp.InitializeResult | None = None
        self.stderr_lines: list[str] = []
        self.stderr_recorder: asyncio.Task[None] | None = None

    async def start_io(self, cmd: str, *args: Any, **kwargs: Any) -> None:
        await super().start_io(cmd, *args, **kwargs)
        # In place of pytest-lsp's forwarder (not started yet: no await since it was made).
        if self._stderr_forwarder is not None:
            self._stderr_forwarder.cancel()
            self._stderr_forwarder = None
            self.stderr_recorder = asyncio.create_task(self._record_stderr())

    async def stop(self) -> Any:
        if self.stderr_recorder is not None:
            self.stderr_recorder.cancel()
        return await super().stop()

    async def _record_stderr(self) -> None:
        """Until the server closes stderr (it exits): each line recorded and forwarded."""
        stream = self._server.stderr if self._server else None
        if stream is None:
            return
        while line := await stream.readline():
            self.stderr_lines.append(line.decode("utf-8", "replace"))
            sys.stderr.buffer.write(line)

    @property
    def pulls(self) -> bool:
        capabilities = self.capabilities
        return (capabilities is not None and capabilities.text_document is not None
                and capabilities.text_document.diagnostic is not None)

    @property
    def position_encoding(self) -> str | None:
        """The encoding the server chose, from its initialize result."""
        result = self.initialize_result
        encoding = result.capabilities.position_encoding if result else None
        if isinstance(encoding, lsp.PositionEncodingKind):
            return encoding.value
        return encoding

    def record(self, params: lsp.PublishDiagnosticsParams) -> None:
        self.published.append(params)
        self.diagnostics[params.uri] = params.diagnostics
        self._published_event.set()

    def published_for(self, uri: str, since: int = 0) -> list[lsp.PublishDiagnosticsParams]:
        return [p for p in self.published[since:] if p.uri == uri]

    async def _next_publish(self, accept: Callable[[lsp.PublishDiagnosticsParams], bool],
                            since: int) -> lsp.PublishDiagnosticsParams:
        index = since
        while True:
            while index < len(self.published):
                params = self.published[index]
                index += 1
                if accept(params):
                    return params
            # Nothing can be recorded between the scan and clear(): no await in between.
            self._published_event.clear()
            await self._published_event.wait()

    async def wait_for_publish(self, uri: str, *, version: int | None, since: int = 0,
                               ) -> lsp.PublishDiagnosticsParams:
        """The first publish for `uri` and document `version` recorded at or after `since`.

        Publishes for earlier versions (a race the server is allowed) are skipped.
        """
        return await within(
            self._next_publish(lambda p: p.uri == uri and p.version == version, since),
            f"publishDiagnostics for {uri} version {version}")

    # -- document sync ---------------------------------------------------------------------
    def open(self, uri: str, text: str, version: int = 1, language_id: str = "json") -> int:
        """didOpen; returns the history mark to wait from."""
        mark = len(self.published)
        self.text_document_did_open(lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id=language_id,
                                               version=version, text=text)))
        return mark

    def change(self, uri: str, version: int,
               *changes: lsp.TextDocumentContentChangeEvent) -> int:
        """didChange with the given content changes; returns the history mark."""
        mark = len(self.published)
        self.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=list(changes)))
        return mark

    def close(self, uri: str) -> int:
        mark = len(self.published)
        self.text_document_did_close(lsp.DidCloseTextDocumentParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri)))
        return mark

    async def pull(self, uri: str, previous_result_id: str | None = None,
                   ) -> lsp.DocumentDiagnosticReport:
        return await within(self.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), identifier=SOURCE,
            previous_result_id=previous_result_id)), f"textDocument/diagnostic for {uri}")

    async def pull_items(self, uri: str) -> list[lsp.Diagnostic]:
        report = await self.pull(uri)
        assert isinstance(report, lsp.RelatedFullDocumentDiagnosticReport), report
        assert report.kind == "full"
        return list(report.items)

    async def roundtrip(self) -> None:
        """Two request/response exchanges. The server has then run everything it scheduled
        for the messages sent before: its reader waited for our second request."""
        for _ in range(2):
            await self.pull("file:///__roundtrip_probe__.json")

    async def diagnostics_of(self, uri: str, version: int, since: int) -> list[lsp.Diagnostic]:
        """The diagnostics of `uri` at `version`: pulled, or the publish for that version."""
        if self.pulls:
            return await self.pull_items(uri)
        params = await self.wait_for_publish(uri, version=version, since=since)
        return list(params.diagnostics)


def _record_publish(client: PolicyClient, params: lsp.PublishDiagnosticsParams) -> None:
    client.record(params)


def make_policy_client() -> PolicyClient:
    client = PolicyClient(converter_factory=default_converter)
    features: dict[str, Any] = dict(DEFAULT_CLIENT_FEATURES)
    features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _record_publish
    register_lsp_features(client, features)
    return client


CONFIG = ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_policy_client)


async def start_session(options: Sequence[str] = (), env: dict[str, str] | None = None,
                        client_name: str = "pytest-lsp", profile: Profile = VSCODE
                        ) -> PolicyClient:
    """A server of its own (for tests that need other options or environment than the
    `client` fixture's), initialized; the caller ends it with `shutdown_session()` and
    `stop()`."""
    config = ClientServerConfig(server_command=[*SERVER_COMMAND, *options],
                                client_factory=make_policy_client, server_env=env)
    client = await config.start()
    assert isinstance(client, PolicyClient)
    try:
        client.initialize_result = await within(client.initialize_session(
            lsp.InitializeParams(capabilities=profile.capabilities(), process_id=os.getpid(),
                                 client_info=lsp.ClientInfo(name=client_name))),
            "the initialize response")
    except BaseException:
        await client.stop()
        raise
    return client


# -- documents and assertions --------------------------------------------------------------

def uri_for(name: str) -> str:
    return f"file:///workspace/{name}"


def rng(start_line: int, start_char: int, end_line: int, end_char: int) -> lsp.Range:
    return lsp.Range(start=lsp.Position(line=start_line, character=start_char),
                     end=lsp.Position(line=end_line, character=end_char))


def edit(range_: lsp.Range, text: str) -> lsp.TextDocumentContentChangePartial:
    """An incremental (range) change."""
    return lsp.TextDocumentContentChangePartial(range=range_, text=text)


def whole(text: str) -> lsp.TextDocumentContentChangeWholeDocument:
    """A full-sync change: the whole new text."""
    return lsp.TextDocumentContentChangeWholeDocument(text=text)


Where = tuple[int, int, int, int]


def where(diagnostic: lsp.Diagnostic) -> Where:
    r = diagnostic.range
    return r.start.line, r.start.character, r.end.line, r.end.character


def summary(diagnostics: Sequence[lsp.Diagnostic]) -> list[tuple[str, Where]]:
    """(code, (line, char, end line, end char)) of each diagnostic, in order."""
    return [(str(d.code), where(d)) for d in diagnostics]


def only(diagnostics: Sequence[lsp.Diagnostic], code: str) -> lsp.Diagnostic:
    found = [d for d in diagnostics if d.code == code]
    assert len(found) == 1, f"expected one {code}, got {summary(diagnostics)}"
    return found[0]


def assert_well_formed(diagnostic: lsp.Diagnostic) -> None:
    """What every diagnostic of this server carries, whatever its code."""
    assert diagnostic.source == SOURCE
    assert isinstance(diagnostic.code, str)
    assert diagnostic.code_description is not None
    slug = diagnostic.code.lower().replace("_", "-")
    assert diagnostic.code_description.href.startswith(REFERENCE)
    assert diagnostic.code_description.href.endswith(f"-{slug}")
    assert isinstance(diagnostic.data, dict)
    assert isinstance(diagnostic.data.get("fixes"), list)
    r = diagnostic.range
    assert (r.start.line, r.start.character) <= (r.end.line, r.end.character)


def apply_fix(text: str, fix: dict[str, Any]) -> str:
    """Apply a fix from `data.fixes` (its edits are in code-point offsets of the text)."""
    for e in sorted(fix["edits"], key=lambda e: e["start"], reverse=True):
        text = text[: e["start"]] + e["newText"] + text[e["end"]:]
    return text


# -- code actions --------------------------------------------------------------------------

def apply_edits(text: str, edits: list[lsp.TextEdit], encoding: str) -> str:
    """The text with `edits` applied, their positions read in the client's units."""
    lines = LineIndex(text)
    spans = sorted(((lines.offset(e.range.start.line, e.range.start.character, encoding),  # type: ignore[arg-type]
                     lines.offset(e.range.end.line, e.range.end.character, encoding),  # type: ignore[arg-type]
                     e.new_text) for e in edits), reverse=True)
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


def edits_of(action: lsp.CodeAction, uri: str, version: int = 1) -> list[lsp.TextEdit]:
    """The edits of a code action on `uri`, checking a versioned edit names `version`."""
    assert action.edit is not None
    if action.edit.document_changes:
        (change,) = action.edit.document_changes
        assert isinstance(change, lsp.TextDocumentEdit)
        assert change.text_document.uri == uri and change.text_document.version == version
        return [e for e in change.edits if isinstance(e, lsp.TextEdit)]
    assert action.edit.changes is not None
    return list(action.edit.changes[uri])


# -- completion ----------------------------------------------------------------------------

def position_of(text: str, marker: str = "|") -> tuple[str, lsp.Position]:
    offset = text.index(marker)
    text = text.replace(marker, "", 1)
    line, character = LineIndex(text).position(offset, "utf-16")
    return text, lsp.Position(line=line, character=character)


async def completion_at(client: PolicyClient, source: str, name: str = "complete.json"
                        ) -> tuple[str, str, lsp.CompletionList]:
    uri = uri_for(name)
    text, position = position_of(source)
    client.open(uri, text)
    result = await within(client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)), "completion")
    assert isinstance(result, lsp.CompletionList)
    return uri, text, result


def apply_item(text: str, result: lsp.CompletionList, item: lsp.CompletionItem) -> str:
    """Inserts the item as a client does (its text edit, or the list's default range)."""
    if isinstance(item.text_edit, lsp.TextEdit):
        edit_range, new_text = item.text_edit.range, item.text_edit.new_text
    else:
        assert result.item_defaults is not None
        default = result.item_defaults.edit_range
        assert isinstance(default, lsp.Range) and item.text_edit_text is not None
        edit_range, new_text = default, item.text_edit_text
    lines = LineIndex(text)
    start = lines.offset(edit_range.start.line, edit_range.start.character, "utf-16")
    end = lines.offset(edit_range.end.line, edit_range.end.character, "utf-16")
    return text[:start] + new_text + text[end:]

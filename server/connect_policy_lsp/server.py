"""pygls wiring: handlers call the core and convert. No policy logic lives here."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import re
import sys
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar, cast
from urllib.parse import unquote, urlparse

from cattrs import Converter
from lsprotocol import types as lsp
from pygls.exceptions import FeatureRequestError, JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, default_converter
from pygls.protocol.json_rpc import RPCRequest
from pygls.protocol.language_server import lsp_method

from connect_policy import __version__
from connect_policy.analysis import Analysis, Settings
from connect_policy.config import CONFIG_FILE, Config, ConfigError, discover_config
from connect_policy.document.policy import Policy
from connect_policy.document.syntax import ParseResult
from connect_policy.document.text import Encoding, LineIndex
from connect_policy.editor.completion import complete
from connect_policy.editor.completion_host import complete_in_host
from connect_policy.editor.fixes import quick_fixes
from connect_policy.editor.hover import hover, hover_in_host
from connect_policy.editor.refactorings import refactorings
from connect_policy.editor.symbols import (
    document_links,
    document_symbols,
    folding_spans,
    host_document_links,
    host_document_symbols,
    host_inlay_hints,
    inlay_hints,
    selection_spans,
)
from connect_policy.formats.host import host_kind

from .config import ServerSettings
from .convert import (
    SOURCE,
    Serialized,
    encoding_of,
    resolved,
    to_code_action,
    to_completion_list,
    to_diagnostic,
    to_document_link,
    to_document_symbol,
    to_folding_range,
    to_hover,
    to_inlay_hint,
    to_offset,
    to_refactor_action,
    to_selection_range,
    to_span,
)
from .documents import DocumentStore
from .guard import HandlerError, guarded, report
from .logs import ClientLogHandler
from .stdio import QueuedOutput

logger = logging.getLogger(__name__)
_F = TypeVar("_F", bound=Callable[..., Any])
# Returned by `structure_message` for a request it has already answered with an error.
_ANSWERED = object()
# How long to wait for the client's answer to `workspace/configuration`.
_SETTINGS_TIMEOUT_S = 5.0


@dataclass(slots=True)
class _Cached:
    version: int | None
    text: str
    analysis: Analysis


class _PolicyProtocol(LanguageServerProtocol):
    """Keeps open documents in our store only. pygls's workspace would keep a second copy and
    rewrite change ranges with its own line splitting, which differs from LSP's (see
    documents.py): its document handlers are replaced by ones that only call ours."""

    @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: lsp.DidOpenTextDocumentParams
                                    ) -> Generator[Any, Any, None]:
        yield from self._user_handler(lsp.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: lsp.DidChangeTextDocumentParams
                                      ) -> Generator[Any, Any, None]:
        server = self._server
        if isinstance(server, PolicyLanguageServer):
            document = params.text_document
            if document.uri not in server.documents:
                logger.warning("didChange for %s, which is not open: ignored", document.uri)
                return
            # The last analysis's line index, when it is of the current text.
            cached, current = server.cached(document.uri), server.documents.get(document.uri)
            lines = cached.analysis.policy.parse.lines if (
                cached is not None and current is not None and cached.text is current.text
            ) else None
            server.documents.change(document.uri, document.version,
                                    list(params.content_changes),
                                    encoding_of(self.workspace.position_encoding), lines)
        yield from self._user_handler(lsp.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: lsp.DidCloseTextDocumentParams
                                     ) -> Generator[Any, Any, None]:
        yield from self._user_handler(lsp.TEXT_DOCUMENT_DID_CLOSE, params)

    def _user_handler(self, method: str, params: Any) -> Generator[Any, Any, None]:
        """What pygls's own document handlers end with: the server's feature handler."""
        handler = self.fm.features.get(method)
        if handler is not None:
            yield handler, (params,), None

    @lsp_method(lsp.EXIT)
    def lsp_exit(self, *args: Any) -> Generator[Any, Any, None]:
        # pygls ends the loop with SystemExit(0 after shutdown, else 1), but its start_io
        # swallows that: keep the code for serve() to return.
        if isinstance(self._server, PolicyLanguageServer):
            self._server.exit_code = 0 if self._shutdown else 1
        yield from super().lsp_exit(*args)

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            # pygls logs a request whose params do not fit its method and drops it, leaving
            # the client waiting: answer it with the error (InvalidParams) instead.
            msg_id = data.get("id")
            if "method" not in data or not isinstance(msg_id, (int, str)):
                raise
            response = error.to_response_error()
            response.message = f"{data['method']}: {response.message}"
            self._send_response(msg_id, error=response)
            return _ANSWERED

    def handle_message(self, message: Any) -> None:
        if message is _ANSWERED:
            return
        if (self._shutdown and isinstance(message, RPCRequest)
                and message.method != lsp.EXIT):
            # LSP: requests after `shutdown` fail with InvalidRequest (pygls drops them).
            self._send_response(message.id, error=lsp.ResponseError(
                code=lsp.ErrorCodes.InvalidRequest,
                message=f"{message.method} after shutdown: the server is shutting down"))
            return
        super().handle_message(message)


def _converter() -> Converter:
    """pygls's converter, passing results that convert.py already serialised through."""
    converter: Converter = default_converter()  # type: ignore[no-untyped-call]
    converter.register_unstructure_hook(Serialized, lambda serialized: serialized)
    return converter


class PolicyLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("connect-policy-lsp", __version__, protocol_cls=_PolicyProtocol,
                         converter_factory=_converter)
        self.settings = ServerSettings()
        self.locale: str | None = None
        self.documents = DocumentStore()
        self._configs: dict[Path, Config] = {}
        self.settings_generation = 0
        self._cache: dict[str, _Cached] = {}
        self._pending: set[str] = set()
        self.exit_code = 0  # 1 after `exit` without `shutdown` (LSP)
        # Sends our informational log to the client once it is initialized (see logs.py).
        self.client_log: ClientLogHandler | None = None

    def feature(self, feature_name: str, options: Any | None = None) -> Callable[[_F], _F]:
        """pygls's `feature`, registering the handler guarded (see guard.py)."""
        register = super().feature(feature_name, options)

        def decorator(handler: _F) -> _F:
            register(guarded(feature_name, handler))
            return handler
        return decorator

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Failures pygls catches outside our handlers (a message it cannot read, a built-in
        handler): logged to stderr and the client, shown unless a response carries them."""
        if isinstance(error, HandlerError):  # a handler's, already reported by guard.py
            return
        report(self, f"connect-policy: {error}", error,
               show=source is not FeatureRequestError)

    @property
    def pulls_diagnostics(self) -> bool:
        """Clients that pull (`textDocument/diagnostic`) get no pushed diagnostics."""
        text_document = self.client_capabilities.text_document
        return text_document is not None and text_document.diagnostic is not None

    def analysis(self, uri: str) -> _Cached | None:
        """The analysis of the document's current text, computed once per version."""
        document = self.documents.get(uri)
        if document is None:  # not open: nothing to analyse
            return None
        text = document.text
        cached = self._cache.get(uri)
        if cached is not None and cached.text == text:
            if cached.version != document.version:  # an edit that restored the same text
                cached = _Cached(document.version, text, cached.analysis)
                self._cache[uri] = cached
            return cached
        settings = self.settings_for(uri)
        # Templates and YAML files are read as `check` reads them; JSON policies as before.
        kind = host_kind(_name_of(uri), text, document.language_id)
        analysis = (document.analyzer.analyze_in_host(text, kind, settings)
                    if kind is not None else None)
        if analysis is None:
            analysis = document.analyzer.analyze(text, settings)
        cached = _Cached(document.version, text, analysis)
        self._cache[uri] = cached
        return cached

    def settings_for(self, uri: str) -> Settings:
        """How the document at `uri` is analysed: as a policy whatever it looks like (the
        user said so), up to the project's size limit, as the type the project's
        `policy-type` globs or else the `policyType` setting give (else its content)."""
        config = self.project_config(uri)
        path = _path_of(uri)
        policy_type = config.policy_type_for(path) if path is not None else None
        return Settings(assume_policy=self.forces_policy(uri), max_size=config.max_file_size,
                        policy_type=policy_type or self.settings.policy_type)

    @property
    def effective_locale(self) -> str | None:
        """The language of messages and hover: the `locale` setting, else the client's."""
        return self.settings.locale or self.locale

    def cached(self, uri: str) -> _Cached | None:
        return self._cache.get(uri)

    def diagnostics(self, uri: str) -> tuple[int | None, list[lsp.Diagnostic]]:
        cached = self.analysis(uri)
        if cached is None:
            return None, []
        encoding = encoding_of(self.workspace.position_encoding)
        lines = cached.analysis.policy.parse.lines
        findings = self.settings.apply_rules(
            self.project_config(uri).apply(cached.analysis.findings))
        locale = self.effective_locale
        return cached.version, [to_diagnostic(f, lines, encoding, locale) for f in findings]

    def project_config(self, uri: str) -> Config:
        """The project settings file that applies to a document (as `check` finds it), read
        once per folder; a broken file is reported once and the defaults apply."""
        path = _path_of(uri)
        if path is None:
            return Config()
        folder = path.parent
        config = self._configs.get(folder)
        if config is None:
            try:
                config = discover_config(folder)
            except ConfigError as error:
                config = Config()
                self.window_show_message(lsp.ShowMessageParams(
                    type=lsp.MessageType.Warning,
                    message=f"connect-policy: {error}; using the default settings"))
            self._configs[folder] = config
        return config

    def forces_policy(self, uri: str) -> bool:
        """Checked as a policy whatever its content: the client's or the project's globs."""
        path = _path_of(uri)
        if self.settings.forces_policy(uri):
            return True
        if path is None:
            return False
        # The client's globs may also be relative to a workspace folder (`iam/*.json`).
        for folder in self.workspace.folders.values():
            root = _path_of(folder.uri)
            if root is not None and path.is_relative_to(root) and self.settings.forces_policy(
                    path.relative_to(root).as_posix()):
                return True
        return self.project_config(uri).is_policy_path(path)

    def report_settings_problems(self) -> None:
        for problem in self.settings.problems:
            self.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Warning,
                                                         message=problem))
            self.window_show_message(lsp.ShowMessageParams(
                type=lsp.MessageType.Warning, message=f"connect-policy: {problem}"))

    @property
    def asks_for_settings(self) -> bool:
        workspace = self.client_capabilities.workspace
        return bool(workspace and workspace.configuration)

    async def pull_settings(self) -> None:
        """Ask the client for the `connectPolicy` section (`workspace/configuration`); an
        answer of null keeps the settings we have (from `initializationOptions`)."""
        if not self.asks_for_settings:
            return
        request = self.workspace_configuration_async(lsp.ConfigurationParams(
            items=[lsp.ConfigurationItem(section="connectPolicy")]))
        try:
            # Shielded: a timeout must not cancel pygls's future, or the late answer (we
            # were busy, say, analysing a large document) fails in pygls with
            # InvalidStateError, shown to the user as a server error.
            answer = await asyncio.wait_for(asyncio.shield(request), _SETTINGS_TIMEOUT_S)
        except Exception as error:  # a client that fails or never answers keeps its settings
            logger.warning("workspace/configuration failed: %r", error)
            return
        if answer and isinstance(answer[0], dict):
            self.apply_settings(answer[0])

    def apply_settings(self, raw: dict[str, Any]) -> None:
        """New settings from the client, applied to open documents without a restart."""
        settings = ServerSettings.from_client(raw)
        if settings == self.settings:
            return
        hints_changed = settings.inlay_hints != self.settings.inlay_hints or (
            settings.locale != self.settings.locale)
        self.settings = settings
        self.report_settings_problems()
        self.settings_changed()
        workspace = self.client_capabilities.workspace
        if hints_changed and workspace and workspace.inlay_hint and (
                workspace.inlay_hint.refresh_support):
            self.workspace_inlay_hint_refresh(None)

    def settings_changed(self) -> None:
        """Settings were edited: forget what depended on them and check again."""
        self._configs.clear()
        self._cache.clear()
        self.settings_generation += 1
        if self.pulls_diagnostics:
            # Pulling clients ask again only when told to.
            workspace = self.client_capabilities.workspace
            diagnostics = workspace.diagnostics if workspace else None
            if diagnostics is not None and diagnostics.refresh_support:
                self.workspace_diagnostic_refresh(None)
            return
        for uri in self.documents.uris():
            self.schedule_publish(uri)

    def schedule_publish(self, uri: str) -> None:
        """Publish soon; edits that arrive together are analysed once."""
        if self.pulls_diagnostics or uri in self._pending:
            return
        self._pending.add(uri)
        asyncio.get_running_loop().call_soon(self._publish, uri)

    def _publish(self, uri: str) -> None:
        self._pending.discard(uri)
        if uri not in self.documents:
            return
        try:
            version, diagnostics = self.diagnostics(uri)
        except Exception as error:
            report(self, f"connect-policy: analysis of {uri} failed: "
                         f"{type(error).__name__}: {error}", error)
            version, diagnostics = None, []
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def forget(self, uri: str) -> None:
        self._cache.pop(uri, None)
        if not self.pulls_diagnostics:
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


server = PolicyLanguageServer()


@server.feature(lsp.INITIALIZE)
def on_initialize(ls: PolicyLanguageServer, params: lsp.InitializeParams) -> None:
    ls.settings = ServerSettings.from_client(params.initialization_options)
    ls.locale = params.locale
    ls.report_settings_problems()
    # The start-up line: sent to the client's log once it is initialized (logs.py).
    logger.info("%s %s; client %s, position encoding %s, %s diagnostics",
                ls.name, ls.version,
                params.client_info.name if params.client_info else "unknown",
                ls.workspace.position_encoding, "pull" if ls.pulls_diagnostics else "push")


@server.feature(lsp.INITIALIZED)
async def on_initialized(ls: PolicyLanguageServer, params: lsp.InitializedParams) -> None:
    if ls.client_log is not None:
        ls.client_log.connect(ls)
    await ls.pull_settings()


@server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def on_configuration(ls: PolicyLanguageServer, params: lsp.DidChangeConfigurationParams
                           ) -> None:
    # Clients that push send the settings along; clients that are asked send null (or
    # another section) and answer `workspace/configuration`.
    if isinstance(params.settings, dict) and params.settings:
        ls.apply_settings(params.settings)
    else:
        await ls.pull_settings()


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def on_save(ls: PolicyLanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
    path = _path_of(params.text_document.uri)
    if path is not None and path.name in (CONFIG_FILE, "pyproject.toml"):
        ls.settings_changed()


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def on_open(ls: PolicyLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
    document = params.text_document
    ls.documents.open(document.uri, document.text, document.version, document.language_id)
    ls.schedule_publish(document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def on_change(ls: PolicyLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
    # The edit is already in `ls.documents` (applied by _PolicyProtocol).
    ls.schedule_publish(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def on_close(ls: PolicyLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
    if params.text_document.uri not in ls.documents:
        return  # never opened (or closed twice): nothing to clear
    ls.documents.close(params.text_document.uri)
    ls.forget(params.text_document.uri)


@server.feature(
    lsp.TEXT_DOCUMENT_DIAGNOSTIC,
    lsp.DiagnosticOptions(identifier="connect-policy", inter_file_dependencies=False,
                          workspace_diagnostics=False),
)
def on_diagnostic(ls: PolicyLanguageServer, params: lsp.DocumentDiagnosticParams
                  ) -> lsp.DocumentDiagnosticReport:
    uri = params.text_document.uri
    cached = ls.analysis(uri)
    # The settings' generation is part of the id: after a settings change the same text has
    # other diagnostics, and a client re-asking with the old id must get them.
    generation = ls.settings_generation
    result_id = (f"{cached.version}:{hash(cached.text)}:{generation}" if cached
                 else f"none:{generation}")
    if params.previous_result_id is not None and params.previous_result_id == result_id:
        return lsp.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    _, diagnostics = ls.diagnostics(uri)
    return lsp.RelatedFullDocumentDiagnosticReport(items=diagnostics, result_id=result_id)


def _name_of(uri: str) -> str:
    """The file name a URI ends with (also for untitled: and other schemes)."""
    return unquote(urlparse(uri).path).rsplit("/", 1)[-1]


def _path_of(uri: str) -> Path | None:
    """The file system path of a `file:` URI; None for other schemes (untitled:, …)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    if os.name == "nt":  # drive letters and backslashes; it also decodes `%xx`
        from nturl2path import url2pathname  # (urllib.request would cost 20 ms at start)

        return Path(url2pathname(parsed.path))
    return Path(unquote(parsed.path))


_POLICY_HINT = re.compile(r'"(?:Statement|Version|Effect)"\s*:')


@dataclass(frozen=True, slots=True)
class _Snapshot:
    text: str
    lines: LineIndex
    parsed: ParseResult | None  # the parse, when an analysis of this exact text exists
    # A template's or YAML policy file's analysis of this text: its policies' trees.
    host: Analysis | None = None


def _snapshot(ls: PolicyLanguageServer, uri: str) -> _Snapshot | None:
    """The open document's text for a request, reusing the last analysis when it is current
    (a request right after a keystroke must not wait for the full analysis). A template or
    YAML file is analysed now if need be: its policies are found by the analysis."""
    document = ls.documents.get(uri)
    if document is None:
        return None
    cached = ls.cached(uri)
    current = cached if cached is not None and cached.text == document.text else None
    kind = host_kind(_name_of(uri), document.text, document.language_id) if (
        current is None) else None
    if kind is not None:
        # A template just edited: its policies read again without the checks, which the
        # diagnostics published next run (on what this read).
        outline = document.analyzer.outline_in_host(document.text, kind, ls.settings_for(uri))
        if outline is not None:
            return _Snapshot(document.text, outline.policy.parse.lines, None, outline)
        current = ls.analysis(uri)
    if current is not None and current.analysis.host is not None:
        analysis = current.analysis
        return _Snapshot(document.text, analysis.policy.parse.lines, None, analysis)
    if current is not None:
        # Other JSON (package.json, ...) gets nothing from us, as with diagnostics.
        if not (current.analysis.is_policy or ls.forces_policy(uri)):
            return None
        parsed = current.analysis.policy.parse
        return _Snapshot(document.text, parsed.lines, parsed)
    # No analysis of this text yet (an edit just arrived): a cheap look for policy elements
    # stands in for the policy test.
    if not (_POLICY_HINT.search(document.text) or ls.forces_policy(uri)):
        return None
    return _Snapshot(document.text, LineIndex(document.text), None)


@server.feature(
    lsp.TEXT_DOCUMENT_COMPLETION,
    # `"` and `:` start names and values, `$` and `{` policy variables (and `{` a statement).
    lsp.CompletionOptions(trigger_characters=['"', ":", "$", "{"], resolve_provider=True),
)
def on_completion(ls: PolicyLanguageServer, params: lsp.CompletionParams
                  ) -> Serialized | None:
    snapshot = _snapshot(ls, params.text_document.uri)
    if snapshot is None:
        return None
    encoding = encoding_of(ls.workspace.position_encoding)
    offset = to_offset(snapshot.lines, params.position, encoding)
    if snapshot.host is not None:
        result = complete_in_host(snapshot.host, offset, locale=ls.effective_locale)
    else:
        result = complete(snapshot.text, offset, parsed=snapshot.parsed,
                          locale=ls.effective_locale,
                          policy_type=ls.settings_for(params.text_document.uri).policy_type)
    if result is None:
        return None
    return to_completion_list(result, snapshot.lines, encoding, _snippet_support(ls),
                              _default_range_support(ls), _completion_markdown(ls))


@server.feature(lsp.COMPLETION_ITEM_RESOLVE)
def on_completion_resolve(ls: PolicyLanguageServer, item: lsp.CompletionItem
                          ) -> lsp.CompletionItem:
    return resolved(item, _completion_markdown(ls))


def _default_range_support(ls: PolicyLanguageServer) -> bool:
    text_document = ls.client_capabilities.text_document
    completion = text_document.completion if text_document else None
    completion_list = completion.completion_list if completion else None
    defaults = completion_list.item_defaults if completion_list else None
    return bool(defaults and "editRange" in defaults)


def _completion_markdown(ls: PolicyLanguageServer) -> bool:
    """Markdown documentation when the client lists it (LSP: plain text otherwise)."""
    text_document = ls.client_capabilities.text_document
    completion = text_document.completion if text_document else None
    item = completion.completion_item if completion else None
    formats = item.documentation_format if item else None
    return formats is not None and lsp.MarkupKind.Markdown in formats


def _hover_markdown(ls: PolicyLanguageServer) -> bool:
    text_document = ls.client_capabilities.text_document
    formats = text_document.hover.content_format if text_document and text_document.hover \
        else None
    return formats is not None and lsp.MarkupKind.Markdown in formats


def _snippet_support(ls: PolicyLanguageServer) -> bool:
    text_document = ls.client_capabilities.text_document
    completion = text_document.completion if text_document else None
    item = completion.completion_item if completion else None
    return bool(item and item.snippet_support)


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def on_hover(ls: PolicyLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
    snapshot = _snapshot(ls, params.text_document.uri)
    if snapshot is None:
        return None
    encoding = encoding_of(ls.workspace.position_encoding)
    offset = to_offset(snapshot.lines, params.position, encoding)
    if snapshot.host is not None:
        result = hover_in_host(snapshot.host, offset, ls.effective_locale)
    else:
        result = hover(snapshot.text, offset, ls.effective_locale, parsed=snapshot.parsed)
    return to_hover(result, snapshot.lines, encoding, _hover_markdown(ls)) if result else None


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix,
                                             lsp.CodeActionKind.RefactorRewrite]),
)
def on_code_action(ls: PolicyLanguageServer, params: lsp.CodeActionParams
                   ) -> list[lsp.CodeAction] | None:
    uri = params.text_document.uri
    cached = _policy_of(ls, uri)
    if cached is None:
        return None
    only = params.context.only
    encoding = encoding_of(ls.workspace.position_encoding)
    lines = cached.analysis.policy.parse.lines
    span = to_span(lines, params.range, encoding)
    document_changes = _document_changes_support(ls)
    actions: list[lsp.CodeAction] = []
    if _wanted(only, lsp.CodeActionKind.QuickFix):
        # Fixes are computed from the current text, so they are never stale; the client's
        # diagnostics only narrow which codes it asks about.
        ours = [d for d in params.context.diagnostics if d.source == SOURCE]
        codes = {str(d.code) for d in ours} or None
        diagnosed = [to_span(lines, d.range, encoding) for d in ours]
        actions += [to_code_action(q, uri, cached.version, lines, encoding,
                                   ls.effective_locale, document_changes)
                    for q in quick_fixes(cached.analysis, span, codes, diagnosed)]
    if _wanted(only, lsp.CodeActionKind.RefactorRewrite):
        # Refactorings do not depend on diagnostics: they are offered wherever they apply
        # (in a template, on the policy at the range).
        actions += [to_refactor_action(r, uri, cached.version, lines, encoding,
                                       ls.effective_locale, document_changes)
                    for r in refactorings(cached.analysis, span)]
    return actions


def _wanted(only: Sequence[lsp.CodeActionKind | str] | None, kind: lsp.CodeActionKind
            ) -> bool:
    """Whether a request's `context.only` asks for `kind`: kinds are hierarchical, so
    `refactor` asks for `refactor.rewrite` too."""
    if only is None:
        return True
    value = kind.value
    for requested in only:
        name = requested.value if isinstance(requested, lsp.CodeActionKind) else str(requested)
        if not name or value == name or value.startswith(name + "."):
            return True
    return False


def _policy_of(ls: PolicyLanguageServer, uri: str) -> _Cached | None:
    """The analysis of an open policy, template or YAML policy file (None for other files)."""
    cached = ls.analysis(uri)
    if cached is None or not (cached.analysis.is_policy or cached.analysis.host is not None
                              or ls.forces_policy(uri)):
        return None
    return cached


@dataclass(frozen=True, slots=True)
class _View:
    """A request's view of an open policy: its analysis, lines and the client's units."""

    analysis: Analysis
    lines: LineIndex
    encoding: Encoding

    @property
    def policy(self) -> Policy:
        return self.analysis.policy

    @property
    def in_host(self) -> bool:
        """A template or YAML policy file: its policies are `analysis.embedded`."""
        return self.analysis.host is not None


def _view(ls: PolicyLanguageServer, uri: str) -> _View | None:
    cached = _policy_of(ls, uri)
    if cached is None:
        return None
    analysis = cached.analysis
    if analysis.host is not None and not analysis.embedded:
        return None  # YAML that holds no policy (a workflow): nothing of ours
    return _View(analysis, analysis.policy.parse.lines,
                 encoding_of(ls.workspace.position_encoding))


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def on_document_symbol(ls: PolicyLanguageServer, params: lsp.DocumentSymbolParams
                       ) -> list[lsp.DocumentSymbol] | None:
    view = _view(ls, params.text_document.uri)
    if view is None:
        return None
    symbols = (host_document_symbols(view.analysis) if view.in_host
               else document_symbols(view.policy, view.analysis.policy_type))
    return [to_document_symbol(s, view.lines, view.encoding) for s in symbols]


@server.feature(lsp.TEXT_DOCUMENT_FOLDING_RANGE)
def on_folding_range(ls: PolicyLanguageServer, params: lsp.FoldingRangeParams
                     ) -> list[lsp.FoldingRange] | None:
    view = _view(ls, params.text_document.uri)
    if view is None or view.in_host:
        return None  # in templates, the client's YAML or JSON support folds
    ranges = (to_folding_range(s, view.lines) for s in folding_spans(view.policy))
    return [r for r in ranges if r is not None]


@server.feature(lsp.TEXT_DOCUMENT_SELECTION_RANGE)
def on_selection_range(ls: PolicyLanguageServer, params: lsp.SelectionRangeParams
                       ) -> list[lsp.SelectionRange] | None:
    view = _view(ls, params.text_document.uri)
    if view is None or view.in_host:
        return None  # in templates, the client's YAML or JSON support selects
    return [to_selection_range(selection_spans(view.policy, to_offset(view.lines, position,
                                                                      view.encoding)),
                               view.lines, view.encoding)
            for position in params.positions]


@server.feature(lsp.TEXT_DOCUMENT_INLAY_HINT)
def on_inlay_hint(ls: PolicyLanguageServer, params: lsp.InlayHintParams
                  ) -> list[lsp.InlayHint] | None:
    view = _view(ls, params.text_document.uri)
    if view is None or not ls.settings.inlay_hints:
        return None
    span = to_span(view.lines, params.range, view.encoding)
    hints = (host_inlay_hints(view.analysis, span, ls.effective_locale) if view.in_host
             else inlay_hints(view.policy, span, ls.effective_locale))
    return [to_inlay_hint(h, view.lines, view.encoding) for h in hints]


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_LINK)
def on_document_link(ls: PolicyLanguageServer, params: lsp.DocumentLinkParams
                     ) -> list[lsp.DocumentLink] | None:
    view = _view(ls, params.text_document.uri)
    if view is None:
        return None
    links = host_document_links(view.analysis) if view.in_host else document_links(
        view.policy)
    return [to_document_link(link, view.lines, view.encoding) for link in links]


def _document_changes_support(ls: PolicyLanguageServer) -> bool:
    workspace = ls.client_capabilities.workspace
    edit = workspace.workspace_edit if workspace else None
    return bool(edit and edit.document_changes)


def serve(tcp: tuple[str, int] | None = None, ws: tuple[str, int] | None = None,
          client_log: ClientLogHandler | None = None) -> int:
    """Serve until the client says `exit` (or goes away); the process's exit code.
    `client_log` (logs.configure's) starts sending the log to the client on `initialized`."""
    server.client_log = client_log
    # Everything imported so far lives as long as the process: keep it out of the cyclic
    # garbage collector's full passes, which otherwise add tens of ms to some requests.
    gc.freeze()
    # An analysis allocates tens of thousands of objects that reference counting frees (the
    # syntax tree has no cycles); the default threshold (700) runs the collector dozens of
    # times per keystroke for nothing. Measured: p95 of typing-to-diagnostics 1-2 ms lower.
    gc.set_threshold(50_000, 20, 100)
    gc.enable()  # off while the modules loaded (__main__)
    if tcp is not None:
        server.start_tcp(*tcp)
    elif ws is not None:
        server.start_ws(*ws)
    else:
        # Output through a writer thread: a client that stops reading must not stop us
        # reading its `exit` (see stdio.py).
        server.start_io(stdout=cast(BinaryIO, QueuedOutput(sys.stdout.fileno())))
    return server.exit_code

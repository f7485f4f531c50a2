"""Where the server's log goes: warnings and errors to stderr, information to the client.

Editors treat a server's stderr as trouble: Neovim copies every line into `lsp.log` marked
`[ERROR]`. So by default stderr gets only warnings, errors and tracebacks, and the
informational records of our own loggers (`connect_policy*`) go to the client as
`window/logMessage` (Info, or Log for debug records), which editors show in the server's
output panel or log at their own level. LSP lets a server send them only once the client is
initialized: records from before (the start-up line, written while answering `initialize`)
wait until `initialized` arrives. `--log-level` lowers stderr's threshold for those who want
the whole log there (DEBUG also shows pygls's own records).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections import deque
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

if TYPE_CHECKING:
    import asyncio

    from pygls.lsp.server import LanguageServer

# The loggers whose information reaches the client. Never pygls's: sending a logMessage
# makes pygls log, which would send another.
CLIENT_LOGGERS = ("connect_policy", "connect_policy_lsp")
STDERR_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Records kept while the client is not yet initialized (only a handful are ever written).
_PENDING_LIMIT = 100


class ClientLogHandler(logging.Handler):
    """Sends records below WARNING to the client as `window/logMessage` once `connect()`
    was called (on `initialized`); earlier ones wait. Warnings and worse stay on stderr
    (failures reach the client through guard.report, with their own message)."""

    def __init__(self, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.addFilter(lambda record: record.levelno < logging.WARNING)
        self._server: LanguageServer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._pending: deque[logging.LogRecord] = deque(maxlen=_PENDING_LIMIT)
        self._sending = False

    def connect(self, server: LanguageServer) -> None:
        """The client is initialized: send what waited, and every record from now on."""
        import asyncio

        self._server = server
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        while self._pending:
            self._send(self._pending.popleft())

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._server is None:
                self._pending.append(record)
            elif threading.get_ident() == self._loop_thread:
                self._send(record)
            elif self._loop is not None:  # pygls's transports belong to the loop's thread
                self._loop.call_soon_threadsafe(self._send, record)
        except Exception:  # a closed loop, at exit: logging must not raise
            self.handleError(record)

    def _send(self, record: logging.LogRecord) -> None:
        if self._server is None or self._sending:
            return
        self._sending = True
        try:
            kind = (lsp.MessageType.Info if record.levelno >= logging.INFO
                    else lsp.MessageType.Log)
            self._server.window_log_message(lsp.LogMessageParams(
                type=kind, message=f"connect-policy: {self.format(record)}"))
        except Exception:
            self.handleError(record)
        finally:
            self._sending = False


def configure(stderr_level: str) -> ClientLogHandler:
    """Log warnings and worse (or `stderr_level`, if lower) to stderr and our information
    to the client; returns the client handler, to `connect()` on `initialized`."""
    level = logging.getLevelName(stderr_level)
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(level)
    stderr.setFormatter(logging.Formatter(STDERR_FORMAT))
    root = logging.getLogger()
    root.addHandler(stderr)
    root.setLevel(level)
    client = ClientLogHandler(logging.DEBUG if level <= logging.DEBUG else logging.INFO)
    for name in CLIENT_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(min(level, logging.INFO))
        logger.addHandler(client)
    # pygls logs every message at INFO; keep that for --log-level DEBUG.
    if level > logging.DEBUG:
        logging.getLogger("pygls").setLevel(logging.WARNING)
        # "Cancel notification for unknown message id" comes dozens of times a minute
        # while typing (the request was answered before its cancellation arrived).
        logging.getLogger("pygls.protocol.json_rpc").setLevel(logging.ERROR)
    return client

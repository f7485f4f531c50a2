"""A failing handler, reported the same way for every LSP method, and never fatal.

A request that fails gets an InternalError response naming the method and the error; a
notification that fails (no response can carry the error) is shown to the user. Both are
logged to the client (`window/logMessage`) and, with the traceback, to stderr. The other
handlers, and later calls of the same one, go on working.

Test-only hook: `CONNECT_POLICY_TEST_FAIL=hover,textDocument/didSave` (LSP method names, or
their last part) makes those handlers raise, so the end-to-end tests can check the above
across processes. Never set it otherwise.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Callable
from typing import Any

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInternalError
from pygls.lsp.server import LanguageServer

logger = logging.getLogger(__name__)

TEST_FAIL_ENV = "CONNECT_POLICY_TEST_FAIL"
_FAILING = frozenset(name.strip() for name in os.environ.get(TEST_FAIL_ENV, "").split(",")
                     if name.strip())


class HandlerError(JsonRpcInternalError):
    """A handler's failure, already logged and reported to the client."""


def report(ls: LanguageServer, message: str, error: BaseException | None = None,
           show: bool = False) -> None:
    """Log a failure to stderr (with the traceback of `error`) and to the client."""
    logger.error("%s", message, exc_info=error)
    try:
        ls.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Error,
                                                   message=message))
        if show:
            ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error,
                                                         message=message))
    except Exception:  # reporting a failure must not be one
        logger.warning("could not report the failure to the client", exc_info=True)


def guarded(method: str, handler: Callable[..., Any]) -> Callable[..., Any]:
    """`handler` (an `ls`-first pygls feature handler), failing as described above."""
    is_request = lsp.METHOD_TO_TYPES.get(method, (None, None))[1] is not None
    fails = method in _FAILING or method.rsplit("/", 1)[-1] in _FAILING

    def failed(ls: LanguageServer, error: Exception) -> None:
        if isinstance(error, JsonRpcException):  # an answer the handler chose
            raise error
        message = f"connect-policy: {method} failed: {type(error).__name__}: {error}"
        report(ls, message, error, show=not is_request)
        if is_request:
            raise HandlerError(message=message) from None

    def test_failure() -> None:
        if fails:
            raise RuntimeError(f"{TEST_FAIL_ENV} asks {method} to fail")

    if asyncio.iscoroutinefunction(handler):
        @functools.wraps(handler)
        async def guarded_async(ls: LanguageServer, *args: Any) -> Any:
            try:
                test_failure()
                return await handler(ls, *args)
            except Exception as error:
                failed(ls, error)
                return None
        return guarded_async

    @functools.wraps(handler)
    def guarded_sync(ls: LanguageServer, *args: Any) -> Any:
        try:
            test_failure()
            return handler(ls, *args)
        except Exception as error:
            failed(ls, error)
            return None
    return guarded_sync

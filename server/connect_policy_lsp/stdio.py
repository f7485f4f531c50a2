"""The language server's standard output, written by a thread of its own.

pygls writes each message to stdout and flushes it on the event loop's thread. When the
client stops reading (a hung editor), the pipe fills (64 KiB on Linux), that write blocks, and
the loop stops reading stdin; the client, blocked writing to us, can then never send `exit`:
both sides wait forever. Here the loop only queues the bytes and a writer thread does the
blocking write, so the server goes on reading (and `exit` still ends it). What the client
does not read waits in memory, as it does with pygls's TCP and WebSocket transports.
"""

from __future__ import annotations

import logging
import os
import queue
import threading

logger = logging.getLogger(__name__)
# How long `close()` (on `exit`) waits for queued output to reach a client that reads slowly.
_CLOSE_TIMEOUT_S = 2.0


class QueuedOutput:
    """A binary stream for pygls's `start_io(stdout=...)`: `write()` never blocks."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._broken = False
        # A daemon: a writer stuck on a client that never reads must not keep us alive.
        self._thread = threading.Thread(target=self._run, name="stdout-writer", daemon=True)
        self._thread.start()

    def write(self, data: bytes) -> int:
        if not self._broken:
            self._queue.put(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to do: the writer thread writes each message as soon as it can."""

    def close(self) -> None:
        """Called by pygls on `exit`: give what is queued a moment to reach the client."""
        self._queue.put(None)
        self._thread.join(_CLOSE_TIMEOUT_S)

    def _run(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._broken:
                continue  # drop: nobody reads any more
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(self._fd, view):]
            except OSError as error:  # EPIPE: the client closed its end
                self._broken = True
                logger.warning("cannot write to the client (%s); dropping further output",
                               error)

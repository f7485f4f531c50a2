"""`serve --tcp` and `serve --ws` answer `initialize` like stdio does."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"processId": None, "rootUri": None, "capabilities": {}}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "connect_policy_lsp", "serve", f"--{request.param}",
         f"127.0.0.1:{port}"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)
    try:
        # No probing: the server serves one client and ends with it, so the test's own
        # connection retries until the server listens.
        yield port
    finally:
        process.kill()
        process.wait(timeout=10)


@pytest.mark.parametrize("server", ["tcp"], indirect=True)
def test_tcp(server: int) -> None:
    body = json.dumps(INITIALIZE).encode()
    deadline = time.monotonic() + 20
    while True:  # until the server listens
        try:
            sock = socket.create_connection(("127.0.0.1", server), timeout=20)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    with sock:
        sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        data = b""
        while b"serverInfo" not in data or not data.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            assert chunk, "the server closed the connection"
            data += chunk
    reply = json.loads(data.split(b"\r\n\r\n", 1)[1])
    assert reply["result"]["serverInfo"]["name"] == "connect-policy-lsp"


@pytest.mark.parametrize("server", ["ws"], indirect=True)
async def test_websocket(server: int) -> None:
    from websockets.asyncio.client import connect

    deadline = time.monotonic() + 20
    while True:  # until the server listens
        try:
            websocket = await connect(f"ws://127.0.0.1:{server}")
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)
    async with websocket:
        await websocket.send(json.dumps(INITIALIZE))
        reply = json.loads(await asyncio.wait_for(websocket.recv(), 20))
    assert reply["result"]["capabilities"]["diagnosticProvider"]["identifier"] == \
        "connect-policy"

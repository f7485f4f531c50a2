"""The `client` fixture: the real server (`python -m connect_policy_lsp serve`) on stdio,
driven by pytest-lsp with the capabilities of a recorded client.

Choose the client with indirect parametrization:

    @pytest.mark.parametrize("client", [VSCODE, NEOVIM], ids=ids([...]), indirect=True)

Without it the client is VS Code 1.65.2.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp

sys.path.insert(0, str(Path(__file__).parent))

from lsp_support import CONFIG, VSCODE, PolicyClient, Profile, within


@pytest_lsp.fixture(config=CONFIG)  # type: ignore[untyped-decorator]
async def client(lsp_client: PolicyClient, request: pytest.FixtureRequest,
                 ) -> AsyncIterator[None]:
    profile = getattr(request, "param", VSCODE)
    assert isinstance(profile, Profile)
    lsp_client.profile = profile
    try:
        lsp_client.initialize_result = await within(lsp_client.initialize_session(
            lsp.InitializeParams(
                capabilities=profile.capabilities(),
                client_info=lsp.ClientInfo(name=f"pytest-lsp as {profile.id}"),
                process_id=os.getpid(),
                locale=profile.locale,
                initialization_options=json.loads(profile.options) if profile.options
                else None,
                root_uri="file:///workspace",
                workspace_folders=[lsp.WorkspaceFolder(uri="file:///workspace",
                                                       name="workspace")],
            )), "the initialize response")
    except BaseException:
        _kill_server(lsp_client)
        raise
    yield
    try:
        await within(lsp_client.shutdown_session(), "shutdown and exit")
    except BaseException:
        _kill_server(lsp_client)
        raise


def _kill_server(lsp_client: PolicyClient) -> None:
    """End the server process this fixture started. When the fixture fails, pytest-lsp
    skips `client.stop()` (which, without a timeout, would wait for a hung server anyway),
    so without this a broken server would outlive its test."""
    process = lsp_client._server
    if process is not None and process.returncode is None:
        process.kill()

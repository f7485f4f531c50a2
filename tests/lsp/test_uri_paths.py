"""File URIs become paths once decoded: `%25` is a literal `%` in the file name."""

from __future__ import annotations

from pathlib import Path

from connect_policy_lsp.server import _path_of


def test_file_uris_are_decoded_once() -> None:
    assert _path_of("file:///tmp/a%2541%20b.json") == Path("/tmp/a%41 b.json")
    assert _path_of("file:///tmp/%ED%95%9C.json") == Path("/tmp/한.json")
    assert _path_of("untitled:Untitled-1") is None

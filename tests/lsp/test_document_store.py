"""The server's document store keeps the incremental analysis state of the documents being
worked on only, and the analysis stays the same when the state was dropped."""

from __future__ import annotations

from lsprotocol import types as lsp

from connect_policy.analysis import analyze
from connect_policy_lsp.documents import KEPT_STATES, DocumentStore

POLICY = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
          '"Action": "connect:DescribeUsr", "Resource": "*"}]}')


def _edit(store: DocumentStore, uri: str, version: int, at: int, text: str) -> None:
    position = lsp.Position(line=0, character=at)
    store.change(uri, version, [lsp.TextDocumentContentChangePartial(
        range=lsp.Range(start=position, end=position), text=text)], "utf-16")


def _keeps_state(store: DocumentStore, uri: str) -> bool:
    document = store.get(uri)
    assert document is not None
    return document.analyzer.state_size() != (0, 0, 0)


def test_only_the_recent_documents_keep_their_state() -> None:
    store = DocumentStore()
    uris = [f"file:///p{number}.json" for number in range(KEPT_STATES + 4)]
    for uri in uris:
        store.open(uri, POLICY, 1)
        document = store.get(uri)
        assert document is not None
        document.analyzer.analyze(document.text)
    assert [uri for uri in uris if _keeps_state(store, uri)] == uris[-KEPT_STATES:]

    # Editing an old document makes it recent again; it is analysed in full, then kept.
    first = uris[0]
    _edit(store, first, 2, POLICY.index("Usr") + 3, "e")
    document = store.get(first)
    assert document is not None
    assert document.analyzer.analyze(document.text).findings == analyze(document.text).findings
    assert _keeps_state(store, first)
    # ... and the least recent of the others (the fifth opened) lost its state for it.
    assert [uri for uri in uris if _keeps_state(store, uri)] == [first, *uris[5:]]


def test_closing_forgets_the_document() -> None:
    store = DocumentStore()
    store.open("file:///a.json", POLICY, 1)
    store.close("file:///a.json")
    assert store.get("file:///a.json") is None
    assert "file:///a.json" not in store

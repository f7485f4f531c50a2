"""The open documents' text, kept with LSP's own line rules.

pygls's TextDocument splits lines with `str.splitlines()`, which also breaks at U+2028,
U+0085, form feeds and others; LSP breaks only at `\\n`, `\\r\\n` and `\\r`. With such a
character in a document, pygls applies an incremental edit to the wrong line. This store
applies edits with the core's LineIndex, the same index every position we send is computed
with, so what we analyse and what we report agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lsprotocol import types as lsp

from connect_policy.analysis import DocumentAnalyzer
from connect_policy.document.text import Encoding, LineIndex


@dataclass(slots=True)
class OpenDocument:
    version: int | None
    text: str
    # The client's language id ("json", "yaml", …): how the text is read.
    language_id: str = ""
    # Analyses this document's texts, reusing the last one's work after an edit; its state
    # goes when the document is closed.
    analyzer: DocumentAnalyzer = field(default_factory=DocumentAnalyzer)


# Documents whose incremental state (tokens, statement findings) is kept: the ones opened or
# edited last. The state is about as large as the document's syntax tree again, so a
# workspace with a thousand policies open keeps it only for those being worked on.
KEPT_STATES = 16


class DocumentStore:
    def __init__(self) -> None:
        self._documents: dict[str, OpenDocument] = {}
        self._recent: dict[str, None] = {}  # least recently opened or edited first

    def open(self, uri: str, text: str, version: int | None, language_id: str = "") -> None:
        self._documents[uri] = OpenDocument(version, text, language_id)
        self._touch(uri)

    def close(self, uri: str) -> None:
        self._documents.pop(uri, None)
        self._recent.pop(uri, None)

    def _touch(self, uri: str) -> None:
        self._recent.pop(uri, None)
        self._recent[uri] = None
        while len(self._recent) > KEPT_STATES:
            oldest = next(iter(self._recent))
            del self._recent[oldest]
            document = self._documents.get(oldest)
            if document is not None:
                document.analyzer.forget()

    def get(self, uri: str) -> OpenDocument | None:
        return self._documents.get(uri)

    def __contains__(self, uri: str) -> bool:
        return uri in self._documents

    def uris(self) -> list[str]:
        return list(self._documents)

    def change(self, uri: str, version: int | None,
               changes: list[lsp.TextDocumentContentChangeEvent], encoding: Encoding,
               current_lines: LineIndex | None = None) -> None:
        """Applies the changes in order. `current_lines`: the line index of the document's
        current text, when the caller has one (it saves building it again)."""
        document = self._documents.get(uri)
        if document is None:
            return
        self._touch(uri)
        text = document.text
        for change in changes:
            if isinstance(change, lsp.TextDocumentContentChangePartial):
                lines = current_lines if current_lines is not None and (
                    current_lines.text is text) else LineIndex(text)
                start = lines.offset(change.range.start.line, change.range.start.character,
                                     encoding)
                end = lines.offset(change.range.end.line, change.range.end.character, encoding)
                start, end = min(start, end), max(start, end)
                text = text[:start] + change.text + text[end:]
            else:
                text = change.text
        document.text = text
        document.version = version

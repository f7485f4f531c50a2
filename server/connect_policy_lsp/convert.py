"""The one place where core types become lsprotocol types (and positions change units)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from lsprotocol import types as lsp
from lsprotocol.converters import get_converter

from connect_policy.document.text import Encoding, LineIndex, Span
from connect_policy.editor.completion import item_documentation
from connect_policy.editor.completion_items import CompletionItem, CompletionList, ItemKind
from connect_policy.editor.fixes import QuickFix
from connect_policy.editor.hover import Hover
from connect_policy.editor.refactorings import Refactoring
from connect_policy.editor.symbols import DocumentLink, InlayHint, Symbol, SymbolKind
from connect_policy.editor.titles import title_for
from connect_policy.findings import Finding, Severity, TextEdit

SOURCE = "connect-policy"

_SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFORMATION: lsp.DiagnosticSeverity.Information,
    Severity.HINT: lsp.DiagnosticSeverity.Hint,
}


def encoding_of(kind: lsp.PositionEncodingKind | str | None) -> Encoding:
    value = kind.value if isinstance(kind, lsp.PositionEncodingKind) else kind
    if value == "utf-8":
        return "utf-8"
    if value == "utf-32":
        return "utf-32"
    return "utf-16"


def to_position(lines: LineIndex, offset: int, encoding: Encoding) -> lsp.Position:
    line, character = lines.position(offset, encoding)
    return lsp.Position(line=line, character=character)


def to_range(lines: LineIndex, span: Span, encoding: Encoding) -> lsp.Range:
    return lsp.Range(start=to_position(lines, span.start, encoding),
                     end=to_position(lines, span.end, encoding))


def to_offset(lines: LineIndex, position: lsp.Position, encoding: Encoding) -> int:
    return lines.offset(position.line, position.character, encoding)


def to_span(lines: LineIndex, range_: lsp.Range, encoding: Encoding) -> Span:
    return Span(to_offset(lines, range_.start, encoding), to_offset(lines, range_.end, encoding))


# Findings about text that does nothing (faded by editors) or names something retired.
_UNNECESSARY = frozenset({"REDUNDANT_ACTION", "REDUNDANT_RESOURCE", "REDUNDANT_STATEMENT",
                          "REDUNDANT_CONDITION_VALUE_NUM"})
_DEPRECATED = frozenset({"RETIRED_SERVICE_IN_ACTION"})


def _tags(code: str) -> list[lsp.DiagnosticTag] | None:
    if code in _UNNECESSARY:
        return [lsp.DiagnosticTag.Unnecessary]
    if code in _DEPRECATED:
        return [lsp.DiagnosticTag.Deprecated]
    return None


def to_diagnostic(finding: Finding, lines: LineIndex, encoding: Encoding,
                  locale: str | None = None) -> lsp.Diagnostic:
    data: dict[str, Any] = dict(finding.data)
    data["fixes"] = [
        {"title": fix.title, "preferred": fix.preferred,
         "edits": [{"start": e.span.start, "end": e.span.end, "newText": e.new_text}
                   for e in fix.edits]}
        for fix in finding.fixes
    ]
    return lsp.Diagnostic(
        range=to_range(lines, finding.span, encoding),
        message=finding.message_for(locale),
        severity=_SEVERITY[finding.severity],
        code=finding.code,
        code_description=lsp.CodeDescription(href=finding.link),
        source=SOURCE,
        tags=_tags(finding.code),
        data=data,
    )


_ITEM_KIND = {
    ItemKind.SERVICE: lsp.CompletionItemKind.Module,
    ItemKind.ACTION: lsp.CompletionItemKind.Function,
    ItemKind.WILDCARD: lsp.CompletionItemKind.Constant,
    ItemKind.CONDITION_KEY: lsp.CompletionItemKind.Property,
    ItemKind.ELEMENT: lsp.CompletionItemKind.Field,
    ItemKind.VALUE: lsp.CompletionItemKind.EnumMember,
    ItemKind.OPERATOR: lsp.CompletionItemKind.Operator,
    ItemKind.ARN: lsp.CompletionItemKind.Reference,
    ItemKind.VARIABLE: lsp.CompletionItemKind.Variable,
    ItemKind.ARN_PART: lsp.CompletionItemKind.Reference,
    ItemKind.SNIPPET: lsp.CompletionItemKind.Snippet,
    ItemKind.PARAMETER: lsp.CompletionItemKind.Variable,
}


class Serialized(dict[str, Any]):
    """A result already in the protocol's JSON shape. The server's converter passes it through
    as it is (see `server.py`), so `json.dumps` encodes it in C instead of cattrs walking
    every field of every item on each keystroke."""


# lsprotocol's own converter, as pygls's is made: the shapes it writes are the protocol's.
_CONVERTER = get_converter()


def to_completion_list(result: CompletionList, lines: LineIndex, encoding: Encoding,
                       snippets: bool, default_range: bool = False, markdown: bool = True
                       ) -> Serialized:
    """The completion list in the protocol's JSON shape. `default_range`: the client takes
    `itemDefaults.editRange` (LSP 3.17), so the range every item replaces is sent once
    instead of once per item. `markdown`: the client renders Markdown documentation (else it
    gets the same text as plain text)."""
    edit_range = to_range(lines, result.span, encoding)
    items = [_serialized_item_without_range(item, snippets, markdown)
             if item.span is None and default_range
             else _CONVERTER.unstructure(_to_item(
                 item, edit_range if item.span is None else to_range(lines, item.span, encoding),
                 snippets, markdown), lsp.CompletionItem)
             for item in result.items]
    serialized = Serialized(isIncomplete=result.incomplete, items=items)
    if default_range:
        serialized["itemDefaults"] = {"editRange": _CONVERTER.unstructure(edit_range)}
    return serialized


@lru_cache(maxsize=8192)
def _serialized_item_without_range(item: CompletionItem, snippets: bool, markdown: bool
                                   ) -> dict[str, Any]:
    """Items that leave the range to `itemDefaults` do not depend on the cursor, so the
    same lists (every service, a service's actions) are converted and serialised once.
    Shared: never mutated."""
    serialized: dict[str, Any] = _CONVERTER.unstructure(_to_item(item, None, snippets, markdown),
                                                        lsp.CompletionItem)
    return serialized


# Kinds whose lists run to hundreds of items: their documentation comes on resolve.
DEFERRED_DOCUMENTATION = (ItemKind.ACTION, ItemKind.WILDCARD)


def _to_item(item: CompletionItem, edit_range: lsp.Range | None, snippets: bool,
             markdown: bool = True) -> lsp.CompletionItem:
    deferred = item.kind in DEFERRED_DOCUMENTATION
    # A service's documentation would only repeat its name, which `detail` shows.
    documented = bool(item.documentation) and not deferred and item.kind is not ItemKind.SERVICE
    snippet = item.snippet and snippets
    new_text = item.new_text if snippet else item.plain_text
    return lsp.CompletionItem(
        label=item.label,
        kind=_ITEM_KIND[item.kind],
        detail=item.detail or None,
        documentation=_documentation(item.documentation, markdown) if documented else None,
        sort_text=item.sort_text or None,
        # Clients filter on the label when there is no filterText; a service's `prefix:`
        # filter adds nothing (after the colon the list is the service's actions).
        filter_text=item.filter_text if item.filter_text not in ("", item.label) and
        item.kind is not ItemKind.SERVICE else None,
        # The kind alone (a string costs less to serialise than an object, on every item).
        data=item.kind.value if deferred else None,
        text_edit=lsp.TextEdit(range=edit_range, new_text=new_text) if edit_range else None,
        text_edit_text=None if edit_range else new_text,
        # Plain text is the default; leaving it out keeps long lists small on the wire.
        insert_text_format=lsp.InsertTextFormat.Snippet if snippet else None,
        command=lsp.Command(title="Suggest", command="editor.action.triggerSuggest")
        if item.retrigger else None,
        # Multi-line text comes indented in the document's style: clients must not indent
        # it again.
        insert_text_mode=lsp.InsertTextMode.AsIs if "\n" in new_text else None,
    )


def _markup(value: str, markdown: bool) -> lsp.MarkupContent:
    kind = lsp.MarkupKind.Markdown if markdown else lsp.MarkupKind.PlainText
    return lsp.MarkupContent(kind=kind, value=value)


def _documentation(value: str, markdown: bool) -> lsp.MarkupContent | str:
    """Markdown for clients that render it; a plain string (which every client takes)
    for the others."""
    return _markup(value, True) if markdown else value


def resolved(item: lsp.CompletionItem, markdown: bool = True) -> lsp.CompletionItem:
    """The item with its deferred documentation filled in (`completionItem/resolve`)."""
    try:
        kind = ItemKind(item.data)
    except ValueError:
        return item
    if item.documentation is None and kind in DEFERRED_DOCUMENTATION:
        documentation = item_documentation(kind, item.label)
        if documentation:
            item.documentation = _documentation(documentation, markdown)
    return item


def to_hover(result: Hover, lines: LineIndex, encoding: Encoding, markdown: bool = True
             ) -> lsp.Hover:
    return lsp.Hover(contents=_markup(result.markdown, markdown),
                     range=to_range(lines, result.span, encoding))


def to_code_action(quick: QuickFix, uri: str, version: int | None, lines: LineIndex,
                   encoding: Encoding, locale: str | None,
                   document_changes: bool) -> lsp.CodeAction:
    """A quick fix as a minimal edit of the document version it was computed for."""
    return lsp.CodeAction(
        title=title_for(quick.fix.title, locale),
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[to_diagnostic(quick.finding, lines, encoding, locale)],
        is_preferred=quick.fix.preferred or None,
        edit=_workspace_edit(quick.fix.edits, uri, version, lines, encoding, document_changes),
    )


def to_refactor_action(refactoring: Refactoring, uri: str, version: int | None,
                       lines: LineIndex, encoding: Encoding, locale: str | None,
                       document_changes: bool) -> lsp.CodeAction:
    """A refactoring (`refactor.rewrite`) as an edit of the version it was computed for."""
    return lsp.CodeAction(
        title=title_for(refactoring.title, locale),
        kind=lsp.CodeActionKind(refactoring.kind),
        edit=_workspace_edit(refactoring.edits, uri, version, lines, encoding,
                             document_changes),
    )


def _workspace_edit(edits: tuple[TextEdit, ...], uri: str, version: int | None,
                    lines: LineIndex, encoding: Encoding,
                    document_changes: bool) -> lsp.WorkspaceEdit:
    """Core edits of one document: a versioned `TextDocumentEdit` when the client takes
    `documentChanges`, else `changes`."""
    converted = [lsp.TextEdit(range=to_range(lines, e.span, encoding), new_text=e.new_text)
                 for e in edits]
    if document_changes:
        return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
            text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
            edits=list(converted))])
    return lsp.WorkspaceEdit(changes={uri: converted})


_SYMBOL_KIND = {SymbolKind.POLICY: lsp.SymbolKind.File, SymbolKind.STATEMENT: lsp.SymbolKind.Object,
                SymbolKind.ELEMENT: lsp.SymbolKind.Property}


def to_document_symbol(symbol: Symbol, lines: LineIndex, encoding: Encoding
                       ) -> lsp.DocumentSymbol:
    return lsp.DocumentSymbol(
        name=symbol.name, kind=_SYMBOL_KIND[symbol.kind], detail=symbol.detail or None,
        range=to_range(lines, symbol.span, encoding),
        selection_range=to_range(lines, symbol.selection, encoding),
        children=[to_document_symbol(c, lines, encoding) for c in symbol.children] or None)


def to_selection_range(chain: list[Span], lines: LineIndex, encoding: Encoding
                       ) -> lsp.SelectionRange:
    """Spans innermost first, as the nested ranges LSP wants (outermost has no parent)."""
    selection: lsp.SelectionRange | None = None
    for span in reversed(chain):
        selection = lsp.SelectionRange(range=to_range(lines, span, encoding), parent=selection)
    assert selection is not None, "the chain always ends with the whole document"
    return selection


def to_folding_range(span: Span, lines: LineIndex) -> lsp.FoldingRange | None:
    start, end = lines.line_of(span.start), lines.line_of(span.end)
    return lsp.FoldingRange(start_line=start, end_line=end) if end > start else None


def to_inlay_hint(hint: InlayHint, lines: LineIndex, encoding: Encoding) -> lsp.InlayHint:
    return lsp.InlayHint(position=to_position(lines, hint.offset, encoding),
                         label=hint.label, kind=lsp.InlayHintKind.Type,
                         tooltip=hint.tooltip or None, padding_left=True)


def to_document_link(link: DocumentLink, lines: LineIndex, encoding: Encoding
                     ) -> lsp.DocumentLink:
    return lsp.DocumentLink(range=to_range(lines, link.span, encoding), target=link.target)

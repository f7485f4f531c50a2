"""The one place where core types become lsprotocol types (and positions change units)."""

from __future__ import annotations

from typing import Any

from lsprotocol import types as lsp

from connect_policy.completion import CompletionItem, CompletionList, ItemKind
from connect_policy.findings import Finding, Severity
from connect_policy.hover import Hover
from connect_policy.text import Encoding, LineIndex, Span

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


def to_diagnostic(finding: Finding, lines: LineIndex, encoding: Encoding) -> lsp.Diagnostic:
    data: dict[str, Any] = dict(finding.data)
    data["fixes"] = [
        {"title": fix.title, "preferred": fix.preferred,
         "edits": [{"start": e.span.start, "end": e.span.end, "newText": e.new_text}
                   for e in fix.edits]}
        for fix in finding.fixes
    ]
    return lsp.Diagnostic(
        range=to_range(lines, finding.span, encoding),
        message=finding.message,
        severity=_SEVERITY[finding.severity],
        code=finding.code,
        code_description=lsp.CodeDescription(href=finding.link),
        source=SOURCE,
        data=data,
    )


_ITEM_KIND = {
    ItemKind.SERVICE: lsp.CompletionItemKind.Module,
    ItemKind.ACTION: lsp.CompletionItemKind.Function,
    ItemKind.WILDCARD: lsp.CompletionItemKind.Constant,
    ItemKind.CONDITION_KEY: lsp.CompletionItemKind.Property,
}


def to_completion_list(result: CompletionList, lines: LineIndex, encoding: Encoding,
                       snippets: bool) -> lsp.CompletionList:
    edit_range = to_range(lines, result.span, encoding)
    items = []
    for item in result.items:
        items.append(_to_item(item, edit_range, snippets))
    return lsp.CompletionList(is_incomplete=False, items=items)


def _to_item(item: CompletionItem, edit_range: lsp.Range, snippets: bool) -> lsp.CompletionItem:
    new_text = item.new_text
    snippet = item.snippet and snippets
    if item.snippet and not snippets:
        new_text = item.label  # plain text: the template as written
    return lsp.CompletionItem(
        label=item.label,
        kind=_ITEM_KIND[item.kind],
        detail=item.detail or None,
        documentation=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=item.documentation)
        if item.documentation else None,
        sort_text=item.sort_text or None,
        filter_text=item.filter_text or None,
        text_edit=lsp.TextEdit(range=edit_range, new_text=new_text),
        insert_text_format=lsp.InsertTextFormat.Snippet if snippet
        else lsp.InsertTextFormat.PlainText,
        command=lsp.Command(title="Suggest", command="editor.action.triggerSuggest")
        if item.retrigger else None,
    )


def to_hover(result: Hover, lines: LineIndex, encoding: Encoding) -> lsp.Hover:
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown,
                                                value=result.markdown),
                     range=to_range(lines, result.span, encoding))

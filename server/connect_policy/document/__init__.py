"""The document model: the line index (`text`), the tolerant JSON parser (`syntax`), the
policy model over its tree (`policy`), where the cursor is (`location`) and edits that keep
the document's layout (`json_edits`)."""

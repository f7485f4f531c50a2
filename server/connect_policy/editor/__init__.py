"""The editor features, one module each and pure functions over an Analysis: completion,
snippets, hover, quick fixes, document symbols, refactorings and titles."""

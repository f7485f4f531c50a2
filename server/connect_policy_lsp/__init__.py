"""The language server and command line of connect-policy-lsp (pygls wiring over the core)."""

"""The `check` command's output formats: text, JSON, SARIF and GitHub workflow commands."""

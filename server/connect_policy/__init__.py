"""The core of the Connect Policy Language Server: parsing, the IAM catalog and the checks.

Pure Python; never imports pygls or lsprotocol (a test asserts it), so the checker, the
language server and any other front end share one engine. Its parts, by role:

- `analysis` (one document: `analyze`) and `checker` (files: `check`): the entry points.
- `editor/` (completion, hover, fixes, refactorings, ...) and `report/` (`check`'s output
  formats): pure functions over an analysis or its findings.
- `checks/`: one module per family of checks, each yielding findings.
- `document/`: text, the tolerant JSON parser, the policy model, edits.
- `catalog/` (what IAM knows), `findings` (Finding and the issue codes) and `config`
  (project settings): the shared ground.
"""

from __future__ import annotations

__version__ = "0.1.0"

"""The core of the Connect Policy Language Server: parsing, the IAM catalog and the checks.

Pure Python; never imports pygls or lsprotocol (a test asserts it), so the checker, the
language server and any other front end share one engine.
"""

from __future__ import annotations

__version__ = "0.1.0"

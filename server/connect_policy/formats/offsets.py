"""UTF-8 byte offsets (what tree-sitter counts) -> code-point offsets (what the core counts).

Built once per text: identity for ASCII text, else a table of where each non-ASCII character
starts (in bytes) and how many extra bytes lie before the next one, searched by bisection.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class ByteOffsets:
    def __init__(self, text: str) -> None:
        # Byte offsets where a non-ASCII character starts, and the extra bytes up to its end.
        self._wide: list[int] = []
        self._extra: list[int] = []
        if not text.isascii():
            extra = 0
            for match in _NON_ASCII.finditer(text):
                self._wide.append(match.start() + extra)
                extra += len(match.group().encode("utf-8", "surrogatepass")) - 1
                self._extra.append(extra)

    def at(self, byte: int) -> int:
        """The code-point offset of a byte offset."""
        if not self._wide:
            return byte
        i = bisect_right(self._wide, byte - 1)
        return byte - (self._extra[i - 1] if i else 0)

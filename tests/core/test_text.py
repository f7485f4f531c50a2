"""Offsets <-> positions in code points, UTF-16 code units and UTF-8 bytes."""

from __future__ import annotations

import pytest

from connect_policy.document.text import LineIndex


def test_lines_end_at_lf_crlf_and_cr() -> None:
    index = LineIndex("a\nb\r\nc\rd")
    assert index.line_count == 4
    assert [index.line_text(i) for i in range(4)] == ["a", "b", "c", "d"]
    assert index.position(5) == (2, 0)


@pytest.mark.parametrize(("encoding", "column"), [("utf-32", 4), ("utf-16", 5), ("utf-8", 11)])
def test_columns_after_korean_and_emoji(encoding: str, column: int) -> None:
    text = '정책😀"x'  # 2 Hangul (3 bytes each), 1 emoji (2 UTF-16 units, 4 bytes)
    index = LineIndex("{\n" + text)
    offset = 2 + text.index("x")
    assert index.position(offset, encoding) == (1, column)  # type: ignore[arg-type]
    assert index.offset(1, column, encoding) == offset  # type: ignore[arg-type]


def test_out_of_range_positions_clamp() -> None:
    index = LineIndex("ab\ncd")
    assert index.offset(0, 99) == 2
    assert index.offset(9, 0) == 5
    assert index.position(99) == (1, 2)

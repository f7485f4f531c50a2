"""yaml_limits.DepthCounter: after every edit, the count `block_depth` gives when it counts
(the count that keeps tree-sitter-yaml from streams too deep), from the lines the edit
changed on."""

from __future__ import annotations

import random

from stack_templates import stack_template

from connect_policy.formats.yaml_limits import DepthCounter, _counted_depth


def test_typing_a_quote_left_open_counts_again_from_the_edited_lines() -> None:
    text = stack_template("yaml", policies=12, fillers=60)
    counter = DepthCounter()
    assert counter.depth(text) == _counted_depth(text)[0]
    middle = text.index("- connect:DescribeQueue", len(text) // 2)
    line_end = text.index("\n", middle)
    entry = '\n                  - "connect:DescribeUser'
    for i in range(1, len(entry) + 1):
        version = text[:line_end] + entry[:i] + text[line_end:]
        assert counter.depth(version) == _counted_depth(version)[0]
    # Unchanged text: the same count.
    assert counter.depth(version) == _counted_depth(version)[0]


def test_random_edits_and_deep_nesting() -> None:
    """Lines inserted and removed (the checkpoints' lines move), quotes opened and closed,
    nesting deepened far and flattened again."""
    text = stack_template("yaml", policies=6, fillers=30)
    rng = random.Random(5)
    counter = DepthCounter()
    pieces = ['"', "'", "\n", "- ", "? ", ": ", "\n  ", "#", "|\n", "\t", "x", "\r\n"]
    for step in range(400):
        at = rng.randrange(len(text) + 1)
        roll = rng.random()
        if roll < 0.5:
            text = text[:at] + rng.choice(pieces) + text[at:]
        elif roll < 0.9:
            text = text[:at] + text[at + rng.randrange(1, 6):]
        else:  # a block of deepening lines
            text = text[:at] + "".join("\n" + " " * k + "- a:" for k in range(0, 120, 2)) \
                + text[at:]
        assert counter.depth(text) == _counted_depth(text)[0], step

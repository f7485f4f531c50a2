"""For every test: the corpus's location module (tests/corpus/corpus_location.py) is
importable as `corpus_location`, whichever test folder is collected first."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "corpus"))

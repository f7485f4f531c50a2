from __future__ import annotations

import sys
from pathlib import Path

# Lets test modules import the marker helpers as `markers`, and the corpus's location.
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))

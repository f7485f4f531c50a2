from __future__ import annotations

import sys
from pathlib import Path

# Lets test modules import the marker helpers as `markers`.
sys.path.insert(0, str(Path(__file__).parent))

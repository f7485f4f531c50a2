"""The AWS managed policies corpus for the corpus tests.

The corpus ships with the project (``tests/corpus/aws-managed-policies``), so these tests
always run; a missing folder (a ``CONNECT_POLICY_CORPUS`` that names nothing) fails them
instead of skipping them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_location import CORPUS_ENV_VAR, locate_corpus


@pytest.fixture(scope="session")
def corpus_root() -> Path:
    root = locate_corpus()
    if not (root / "policies").is_dir():
        pytest.fail(
            f"AWS managed policies corpus not found at {root} "
            f"({CORPUS_ENV_VAR} must name a folder that contains policies/)"
        )
    return root

"""Where the AWS managed policies corpus is: one answer for the corpus tests, the fuzz
tests and the benchmarks.

The project carries its own copy in ``tests/corpus/aws-managed-policies`` (see its README for
the source and date). ``CONNECT_POLICY_CORPUS`` may name another folder holding ``policies/``,
to try a newer snapshot.
"""

from __future__ import annotations

import os
from pathlib import Path

CORPUS_ENV_VAR = "CONNECT_POLICY_CORPUS"
BUNDLED_CORPUS_ROOT = Path(__file__).resolve().parent / "aws-managed-policies"


def locate_corpus() -> Path:
    """The corpus folder (the one holding ``policies/``): the override, else the bundled copy."""
    override = os.environ.get(CORPUS_ENV_VAR)
    return Path(override) if override else BUNDLED_CORPUS_ROOT

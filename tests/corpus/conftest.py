"""Locating the AWS managed policies corpus, shared by the corpus tests.

The corpus lives outside the repository. By default it is looked up at
``<workspace>/shared/corpus/aws-managed-policies``; set ``CONNECT_POLICY_CORPUS`` to the folder
that contains ``policies/`` to use another copy. Tests that ask for ``corpus_root`` are skipped,
with the path that was tried, when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CORPUS_ENV_VAR = "CONNECT_POLICY_CORPUS"
DEFAULT_CORPUS_ROOT = (
    Path(__file__).resolve().parents[3] / "shared" / "corpus" / "aws-managed-policies"
)


def locate_corpus() -> Path:
    """The corpus folder (the one holding ``policies/``): the override, else the default."""
    override = os.environ.get(CORPUS_ENV_VAR)
    return Path(override) if override else DEFAULT_CORPUS_ROOT


@pytest.fixture(scope="session")
def corpus_root() -> Path:
    root = locate_corpus()
    if not (root / "policies").is_dir():
        pytest.skip(
            f"AWS managed policies corpus not found at {root} "
            f"(set {CORPUS_ENV_VAR} to the folder that contains policies/)"
        )
    return root

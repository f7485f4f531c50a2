"""analyze(text) -> Analysis: the syntax tree, the policy model and every finding.

The one entry point the language server and the CLI share, so both report the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog.services import ServiceCatalog, default_catalog
from .checks import CheckContext, run_checks
from .findings import Finding
from .policy import Policy, build_policy
from .syntax import parse


@dataclass(frozen=True, slots=True)
class Settings:
    # Analyze even when the document does not look like a policy (the user said it is one).
    assume_policy: bool = False


@dataclass(slots=True)
class Analysis:
    text: str
    policy: Policy
    findings: list[Finding] = field(default_factory=list)

    @property
    def is_policy(self) -> bool:
        return self.policy.is_policy


def analyze(text: str, settings: Settings | None = None,
            catalog: ServiceCatalog | None = None) -> Analysis:
    """Parse and check `text`. Never raises on any input string; silent on non-policy JSON."""
    settings = settings or Settings()
    policy = build_policy(parse(text), settings.assume_policy)
    if not policy.is_policy and not settings.assume_policy:
        return Analysis(text, policy)
    context = CheckContext(policy, catalog or default_catalog())
    return Analysis(text, policy, run_checks(context))

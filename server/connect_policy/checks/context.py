"""What every check receives."""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog.services import ServiceCatalog
from ..document.policy import Policy, PolicyType


@dataclass(frozen=True, slots=True)
class CheckContext:
    policy: Policy
    catalog: ServiceCatalog
    # Set for a policy found in a template (its type follows from where it sits); None for
    # a policy file on its own, checked as an identity policy that may hold any element.
    policy_type: PolicyType | None = None

    @property
    def text(self) -> str:
        return self.policy.parse.text

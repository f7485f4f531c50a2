"""What every check receives."""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog.services import ServiceCatalog
from ..document.policy import Policy


@dataclass(frozen=True, slots=True)
class CheckContext:
    policy: Policy
    catalog: ServiceCatalog

    @property
    def text(self) -> str:
        return self.policy.parse.text

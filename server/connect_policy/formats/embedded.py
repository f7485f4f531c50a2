"""A policy found inside a host file, and where it sits."""

from __future__ import annotations

from dataclasses import dataclass

from ..document.policy import PolicyType
from ..document.syntax import JsonValue, shifted
from ..document.text import Span


@dataclass(frozen=True, slots=True)
class EmbeddedPolicy:
    # The document, with intrinsic functions already evaluated (formats.intrinsics).
    root: JsonValue
    # Its type where it sits in a template; None for a policy file of its own, which is
    # checked as a JSON policy file is (and needs no type to be a policy).
    policy_type: PolicyType | None
    # Where it sits, for people: "AgentRole.Policies[0]", "RecordingsBucketPolicy".
    label: str
    # Where a template parameter's single allowed value stands in for `!Ref`/`${…}`
    # (`intrinsics`): findings there are reported without fixes (the fix is the parameter's).
    substituted: tuple[Span, ...] = ()

    def moved(self, shift: int) -> EmbeddedPolicy:
        """The same policy `shift` characters later in the host text (its tree copied)."""
        if not shift:
            return self
        return EmbeddedPolicy(shifted(self.root, shift), self.policy_type, self.label,
                              tuple(span.moved(shift) for span in self.substituted))

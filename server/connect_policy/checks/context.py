"""What every check receives."""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog.services import ServiceCatalog
from ..document.policy import Policy, PolicyType


@dataclass(frozen=True, slots=True)
class CheckContext:
    policy: Policy
    catalog: ServiceCatalog
    # What the policy is: from where it sits in a template, from the user's settings, or
    # read from its content (`document.policy.infer_policy_type`). None only where nothing
    # decided it: checked as an identity policy.
    policy_type: PolicyType | None = None
    # The policy sits in a host file (a template, a YAML or Terraform file): its text is
    # not the JSON IAM receives.
    in_host: bool = False
    # The host's resource type of a resource policy ("AWS::S3::BucketPolicy", "aws_sqs_queue"):
    # which service receives it. None for a policy file of its own.
    resource_type: str | None = None

    @property
    def text(self) -> str:
        return self.policy.parse.text

    @property
    def is_identity(self) -> bool:
        return self.policy_type is None or self.policy_type is PolicyType.IDENTITY

    @property
    def is_organization_policy(self) -> bool:
        """An SCP or RCP: it grants nothing, it only sets the most that other policies can
        grant, so the checks on what an Allow grants do not apply."""
        return self.policy_type in (PolicyType.SERVICE_CONTROL, PolicyType.RESOURCE_CONTROL)

"""A policy found inside a host file, and where it sits."""

from __future__ import annotations

from dataclasses import dataclass

from ..document.policy import PolicyType
from ..document.syntax import JsonValue, SyntaxProblem, shifted
from ..document.text import Span
from .embedded_json import HostString


@dataclass(frozen=True, slots=True)
class JsonText:
    """A policy written as JSON text inside one of the host's strings (`cfn_strings`)."""

    # The string's value and where each character of it is written.
    string: HostString
    # How the string is written: '"' double-quoted (YAML, or a JSON template's string, with
    # escapes), "'" single-quoted, "|" a literal and ">" a folded block scalar.
    style: str
    # JSON syntax errors inside the string, in host offsets.
    errors: tuple[SyntaxProblem, ...] = ()
    # Inside `Fn::Sub`: `${` starts a variable, `${!` writes `${`.
    sub: bool = False
    # A block scalar's indentation: every line of it keeps at least that much.
    indent: int = 0

    def moved(self, shift: int) -> JsonText:
        return JsonText(self.string.moved(shift), self.style, tuple(
            SyntaxProblem(p.message, p.span.moved(shift), None, "", p.message_ko)
            for p in self.errors), self.sub, self.indent)


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
    # Set when the policy is JSON text written in a string of the host.
    json_text: JsonText | None = None
    # The host's resource type whose policy this is ("AWS::S3::BucketPolicy",
    # "aws_kms_key"): which service's quotas apply. None where the host does not say.
    resource_type: str | None = None

    def moved(self, shift: int) -> EmbeddedPolicy:
        """The same policy `shift` characters later in the host text (its tree copied)."""
        if not shift:
            return self
        return EmbeddedPolicy(shifted(self.root, shift), self.policy_type, self.label,
                              tuple(span.moved(shift) for span in self.substituted),
                              None if self.json_text is None else self.json_text.moved(shift),
                              self.resource_type)

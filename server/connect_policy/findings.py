"""Findings (the core's diagnostics) and the registry of issue codes.

Codes are IAM Access Analyzer's issue codes, so users can look them up and tools can compare
our results with Access Analyzer's. Severity follows Access Analyzer's finding type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .text import Span


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"


class FindingType(Enum):
    """Access Analyzer's finding types; each maps onto one severity."""

    ERROR = ("ERROR", Severity.ERROR, "error")
    SECURITY_WARNING = ("SECURITY_WARNING", Severity.WARNING, "security-warning")
    WARNING = ("WARNING", Severity.WARNING, "general-warning")
    SUGGESTION = ("SUGGESTION", Severity.INFORMATION, "suggestion")

    @property
    def severity(self) -> Severity:
        return self.value[1]

    @property
    def anchor(self) -> str:
        return self.value[2]


_REFERENCE = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/"
              "access-analyzer-reference-policy-checks.html")

# The codes this version reports. Later checks add theirs here.
CODES: dict[str, FindingType] = {
    "JSON_SYNTAX_ERROR": FindingType.ERROR,
    "MISSING_VERSION": FindingType.WARNING,
    "INVALID_VERSION": FindingType.ERROR,
    "MISSING_STATEMENT": FindingType.ERROR,
    "MISSING_EFFECT": FindingType.ERROR,
    "INVALID_EFFECT": FindingType.ERROR,
    "INVALID_POLICY_ELEMENT": FindingType.ERROR,
    "INVALID_ACTION": FindingType.ERROR,
    "INVALID_SERVICE_IN_ACTION": FindingType.ERROR,
    "INVALID_SERVICE": FindingType.ERROR,
    # Ours (Access Analyzer has no such check): a prefix of a retired service that IAM still
    # accepts. A warning, since the policy is valid.
    "RETIRED_SERVICE_IN_ACTION": FindingType.WARNING,
    # Ours, for the checker: a file that could not be checked (unreadable, binary, not UTF-8,
    # too large, a folder loop), and a check that failed on a file (a bug to report).
    "FILE_ERROR": FindingType.ERROR,
    "INTERNAL_ERROR": FindingType.ERROR,
}

# Our own codes have no entry in the IAM User Guide; they link to the catalog instead.
_OWN_CODE_LINKS = {
    # A policy is UTF-8 JSON text in IAM's grammar: the page that says what a file must be.
    "FILE_ERROR": "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
                  "reference_policies_grammar.html",
    "INTERNAL_ERROR": "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
                      "reference_policies_grammar.html",
    "RETIRED_SERVICE_IN_ACTION": "https://docs.aws.amazon.com/service-authorization/latest/"
                                 "reference/reference_policies_actions-resources-contextkeys.html",
}


def code_link(code: str) -> str:
    """The IAM User Guide's entry for an issue code."""
    if code in _OWN_CODE_LINKS:
        return _OWN_CODE_LINKS[code]
    finding_type = CODES.get(code, FindingType.ERROR)
    slug = code.lower().replace("_", "-")
    return f"{_REFERENCE}#access-analyzer-reference-policy-checks-{finding_type.anchor}-{slug}"


@dataclass(frozen=True, slots=True)
class TextEdit:
    span: Span
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A repair the editor can apply: a title and the edits, in document offsets."""

    title: str
    edits: tuple[TextEdit, ...]
    preferred: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    message: str
    span: Span
    fixes: tuple[Fix, ...] = ()
    # Extra facts for front ends (the suggestion, the offending text, ...).
    data: dict[str, Any] = field(default_factory=dict)
    # A severity the user's settings chose for this code, instead of the default.
    override: Severity | None = None

    @property
    def finding_type(self) -> FindingType:
        return CODES[self.code]

    @property
    def severity(self) -> Severity:
        return self.override or self.finding_type.severity

    @property
    def link(self) -> str:
        return code_link(self.code)


def replace_fix(title: str, span: Span, new_text: str, preferred: bool = True) -> Fix:
    return Fix(title, (TextEdit(span, new_text),), preferred)

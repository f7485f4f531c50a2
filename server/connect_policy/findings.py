"""Findings (the core's diagnostics) and the registry of issue codes.

Codes are IAM Access Analyzer's issue codes, so users can look them up and tools can compare
our results with Access Analyzer's. Severity follows Access Analyzer's finding type.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from .document.text import Span


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

# Every issue code of IAM Access Analyzer's policy checks (the IAM User Guide's policy check
# reference, `_REFERENCE`), with its finding type; then our own codes.
CODES: dict[str, FindingType] = {
    "ARN_ACCOUNT_NOT_ALLOWED": FindingType.ERROR,
    "ARN_REGION_NOT_ALLOWED": FindingType.ERROR,
    "DATA_TYPE_MISMATCH": FindingType.ERROR,
    "DUPLICATE_KEYS_WITH_DIFFERENT_CASE": FindingType.ERROR,
    "INVALID_ACTION": FindingType.ERROR,
    "INVALID_ARN_ACCOUNT": FindingType.ERROR,
    "INVALID_ARN_PREFIX": FindingType.ERROR,
    "INVALID_ARN_REGION": FindingType.ERROR,
    "INVALID_ARN_RESOURCE": FindingType.ERROR,
    "INVALID_ARN_SERVICE_CASE": FindingType.ERROR,
    "INVALID_CONDITION_DATA_TYPE": FindingType.ERROR,
    "INVALID_CONDITION_KEY_FORMAT": FindingType.ERROR,
    "INVALID_CONDITION_MULTIPLE_BOOLEAN": FindingType.ERROR,
    "INVALID_CONDITION_OPERATOR": FindingType.ERROR,
    "INVALID_EFFECT": FindingType.ERROR,
    "INVALID_GLOBAL_CONDITION_KEY": FindingType.ERROR,
    "INVALID_PARTITION": FindingType.ERROR,
    "INVALID_POLICY_ELEMENT": FindingType.ERROR,
    "INVALID_PRINCIPAL_FORMAT": FindingType.ERROR,
    "INVALID_PRINCIPAL_KEY": FindingType.ERROR,
    "INVALID_REGION": FindingType.ERROR,
    "INVALID_SERVICE": FindingType.ERROR,
    "INVALID_SERVICE_CONDITION_KEY": FindingType.ERROR,
    "INVALID_SERVICE_IN_ACTION": FindingType.ERROR,
    "INVALID_VARIABLE_FOR_OPERATOR": FindingType.ERROR,
    "INVALID_VERSION": FindingType.ERROR,
    "JSON_SYNTAX_ERROR": FindingType.ERROR,
    "MISSING_ACTION": FindingType.ERROR,
    "MISSING_ARN_FIELD": FindingType.ERROR,
    "MISSING_ARN_REGION": FindingType.ERROR,
    "MISSING_EFFECT": FindingType.ERROR,
    "MISSING_PRINCIPAL": FindingType.ERROR,
    "MISSING_QUALIFIER": FindingType.ERROR,
    "MISSING_RESOURCE": FindingType.ERROR,
    "MISSING_STATEMENT": FindingType.ERROR,
    "NULL_WITH_IF_EXISTS": FindingType.ERROR,
    "SCP_SYNTAX_ERROR_ACTION_WILDCARD": FindingType.ERROR,
    "SCP_SYNTAX_ERROR_ALLOW_CONDITION": FindingType.ERROR,
    "SCP_SYNTAX_ERROR_ALLOW_NOTACTION": FindingType.ERROR,
    "SCP_SYNTAX_ERROR_ALLOW_RESOURCE": FindingType.ERROR,
    "SCP_SYNTAX_ERROR_NOTRESOURCE": FindingType.ERROR,
    "SCP_SYNTAX_ERROR_PRINCIPAL": FindingType.ERROR,
    "UNIQUE_SIDS_REQUIRED": FindingType.ERROR,
    "UNSUPPORTED_ACTION_IN_POLICY": FindingType.ERROR,
    "UNSUPPORTED_ELEMENT_COMBINATION": FindingType.ERROR,
    "UNSUPPORTED_GLOBAL_CONDITION_KEY": FindingType.ERROR,
    "UNSUPPORTED_PRINCIPAL": FindingType.ERROR,
    "UNSUPPORTED_RESOURCE_ARN_IN_POLICY": FindingType.ERROR,
    "UNSUPPORTED_SID": FindingType.ERROR,
    "UNSUPPORTED_WILDCARD_IN_PRINCIPAL": FindingType.ERROR,
    "MISSING_BRACE_IN_VARIABLE": FindingType.ERROR,
    "MISSING_QUOTE_IN_VARIABLE": FindingType.ERROR,
    "UNSUPPORTED_SPACE_IN_VARIABLE": FindingType.ERROR,
    "EMPTY_VARIABLE": FindingType.ERROR,
    "VARIABLE_UNSUPPORTED_IN_ELEMENT": FindingType.ERROR,
    "VARIABLE_UNSUPPORTED_IN_VERSION": FindingType.ERROR,
    "PRIVATE_IP_ADDRESS": FindingType.ERROR,
    "PRIVATE_NOTIPADDRESS": FindingType.ERROR,
    "POLICY_SIZE_EXCEEDS_SCP_QUOTA": FindingType.ERROR,
    "INVALID_SERVICE_PRINCIPAL_FORMAT": FindingType.ERROR,
    "MISSING_TAG_KEY_IN_CONDITION": FindingType.ERROR,
    "INVALID_VPC_FORMAT": FindingType.ERROR,
    "INVALID_VPCE_FORMAT": FindingType.ERROR,
    "FEDERATED_PRINCIPAL_NOT_SUPPORTED": FindingType.ERROR,
    "UNSUPPORTED_ACTION_FOR_CONDITION_KEY": FindingType.ERROR,
    "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL": FindingType.ERROR,
    "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL": FindingType.ERROR,
    "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL": FindingType.ERROR,
    "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE": FindingType.ERROR,
    "MISSING_ACTION_FOR_CONDITION_KEY": FindingType.ERROR,
    "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY": FindingType.ERROR,
    "MISMATCHED_ACTION_FOR_PRINCIPAL": FindingType.ERROR,
    "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY": FindingType.ERROR,
    "CREATE_SLR_WITH_NOTRESOURCE": FindingType.WARNING,
    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOTRESOURCE": FindingType.WARNING,
    "CREATE_SLR_WITH_NOTACTION_AND_NOTRESOURCE": FindingType.WARNING,
    "CREATE_SLR_WITH_STAR_IN_RESOURCE": FindingType.WARNING,
    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE": FindingType.WARNING,
    "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOTACTION": FindingType.WARNING,
    "DEPRECATED_GLOBAL_CONDITION_KEY": FindingType.WARNING,
    "INVALID_DATE_VALUE": FindingType.WARNING,
    "INVALID_ROLE_REFERENCE": FindingType.WARNING,
    "INVALID_USER_REFERENCE": FindingType.WARNING,
    "MISSING_VERSION": FindingType.WARNING,
    "UNIQUE_SIDS_RECOMMENDED": FindingType.WARNING,
    "WILDCARD_WITHOUT_LIKE_OPERATOR": FindingType.WARNING,
    "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA": FindingType.WARNING,
    "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA": FindingType.WARNING,
    "TYPE_MISMATCH": FindingType.WARNING,
    "TYPE_MISMATCH_BOOLEAN": FindingType.WARNING,
    "TYPE_MISMATCH_DATE": FindingType.WARNING,
    "TYPE_MISMATCH_IP_RANGE": FindingType.WARNING,
    "TYPE_MISMATCH_NUMBER": FindingType.WARNING,
    "TYPE_MISMATCH_STRING": FindingType.WARNING,
    "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED": FindingType.WARNING,
    "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA": FindingType.WARNING,
    "ALLOW_WITH_NOTPRINCIPAL": FindingType.SECURITY_WARNING,
    "FORALLVALUES_WITH_SINGLE_VALUED_KEY": FindingType.SECURITY_WARNING,
    "PASS_ROLE_WITH_NOTRESOURCE": FindingType.SECURITY_WARNING,
    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE": FindingType.SECURITY_WARNING,
    "PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE": FindingType.SECURITY_WARNING,
    "PASS_ROLE_WITH_STAR_IN_RESOURCE": FindingType.SECURITY_WARNING,
    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE": FindingType.SECURITY_WARNING,
    "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION": FindingType.SECURITY_WARNING,
    "MISSING_PAIRED_CONDITION_KEYS": FindingType.SECURITY_WARNING,
    "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE": FindingType.SECURITY_WARNING,
    "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE": FindingType.SECURITY_WARNING,
    "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL": FindingType.SECURITY_WARNING,
    "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL": FindingType.SECURITY_WARNING,
    "MISSING_GITHUB_REPO_CONDITION_KEY": FindingType.SECURITY_WARNING,
    "EMPTY_ARRAY_ACTION": FindingType.SUGGESTION,
    "EMPTY_ARRAY_CONDITION": FindingType.SUGGESTION,
    "EMPTY_ARRAY_CONDITION_FORALLVALUES": FindingType.SUGGESTION,
    "EMPTY_ARRAY_CONDITION_FORANYVALUE": FindingType.SUGGESTION,
    "EMPTY_ARRAY_CONDITION_IFEXISTS": FindingType.SUGGESTION,
    "EMPTY_ARRAY_PRINCIPAL": FindingType.SUGGESTION,
    "EMPTY_ARRAY_RESOURCE": FindingType.SUGGESTION,
    "EMPTY_OBJECT_CONDITION": FindingType.SUGGESTION,
    "EMPTY_OBJECT_PRINCIPAL": FindingType.SUGGESTION,
    "EMPTY_SID_VALUE": FindingType.SUGGESTION,
    "IMPROVE_IP_RANGE": FindingType.SUGGESTION,
    "NULL_WITH_QUALIFIER": FindingType.SUGGESTION,
    "PRIVATE_IP_ADDRESS_SUBSET": FindingType.SUGGESTION,
    "PRIVATE_NOTIPADDRESS_SUBSET": FindingType.SUGGESTION,
    "REDUNDANT_ACTION": FindingType.SUGGESTION,
    "REDUNDANT_CONDITION_VALUE_NUM": FindingType.SUGGESTION,
    "REDUNDANT_RESOURCE": FindingType.SUGGESTION,
    "REDUNDANT_STATEMENT": FindingType.SUGGESTION,
    "WILDCARD_IN_SERVICE_NAME": FindingType.SUGGESTION,
    "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE": FindingType.SUGGESTION,
    "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE": FindingType.SUGGESTION,
    "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL": FindingType.SUGGESTION,
    "IRRELEVANT_CONDITION_KEY_IN_POLICY": FindingType.SUGGESTION,
    "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY": FindingType.SUGGESTION,
    "CONFIRM_AUDIENCE_CLAIM_TYPE": FindingType.SUGGESTION,
    "EQUIVALENT_TO_NULL_FALSE": FindingType.SUGGESTION,
    "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS": FindingType.SECURITY_WARNING,
    # Ours (Access Analyzer has no such check): a prefix of a retired service that IAM still
    # accepts. A warning, since the policy is valid.
    "RETIRED_SERVICE_IN_ACTION": FindingType.WARNING,
    # Ours, where Access Analyzer has no check: an action whose dependent actions the policy
    # does not grant, a resource ARN that none of the statement's actions uses, and a key
    # written twice in one object (only the last one counts).
    "MISSING_DEPENDENT_ACTION": FindingType.SUGGESTION,
    # Ours, from the set qualifiers' semantics (Access Analyzer only has
    # FORALLVALUES_WITH_SINGLE_VALUED_KEY): an Allow whose `ForAllValues:` test of a
    # multivalued key also matches requests without the key, and a set qualifier on a
    # single-valued key that Access Analyzer's code does not cover.
    "ALLOW_WITH_FORALLVALUES": FindingType.SECURITY_WARNING,
    "SET_OPERATOR_WITH_SINGLE_VALUED_KEY": FindingType.SUGGESTION,
    "DUPLICATE_KEY": FindingType.WARNING,
    "RESOURCE_MATCHES_NO_ACTION": FindingType.WARNING,
    # Ours, for the checker: a file that could not be checked (unreadable, binary, not UTF-8,
    # too large, a folder loop), and a check that failed on a file (a bug to report).
    "FILE_ERROR": FindingType.ERROR,
    "INTERNAL_ERROR": FindingType.ERROR,
    # Ours: a YAML template or policy that cannot be read as YAML (where it goes wrong).
    "YAML_SYNTAX_ERROR": FindingType.ERROR,
    # Ours: a Terraform file with IAM content that cannot be read as HCL.
    "HCL_SYNTAX_ERROR": FindingType.ERROR,
    # Ours: a SAM policy template (`S3ReadPolicy: {BucketName: …}`) that SAM does not know or
    # that lacks a parameter (the transform fails), or a parameter it does not take (ignored).
    "UNKNOWN_SAM_POLICY_TEMPLATE": FindingType.ERROR,
    "MISSING_SAM_POLICY_TEMPLATE_PARAMETER": FindingType.ERROR,
    "UNKNOWN_SAM_POLICY_TEMPLATE_PARAMETER": FindingType.WARNING,
    # Ours, for AWS Organizations' resource control policies (Access Analyzer has no RCP
    # checks): what the RCP syntax page rules out, and the RCP size quota. An action of a
    # service RCPs do not apply to is a warning: the policy is accepted, the action unaffected.
    "RCP_SYNTAX_ERROR_VERSION": FindingType.ERROR,
    "RCP_SYNTAX_ERROR_ALLOW": FindingType.ERROR,
    "RCP_SYNTAX_ERROR_PRINCIPAL": FindingType.ERROR,
    "RCP_SYNTAX_ERROR_NOTPRINCIPAL": FindingType.ERROR,
    "RCP_SYNTAX_ERROR_NOTACTION": FindingType.ERROR,
    "RCP_POLICY_SIZE_EXCEEDS_QUOTA": FindingType.ERROR,
    "RCP_UNSUPPORTED_SERVICE": FindingType.SUGGESTION,
}

# Our own codes have no entry in the IAM User Guide; they link to the catalog instead.
_SERVICE_REFERENCE = ("https://docs.aws.amazon.com/service-authorization/latest/reference/"
                      "reference_policies_actions-resources-contextkeys.html")
_OWN_CODE_LINKS = {
    "DUPLICATE_KEY": "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
                     "reference_policies_grammar.html",
    "MISSING_DEPENDENT_ACTION": _SERVICE_REFERENCE,
    **dict.fromkeys(("ALLOW_WITH_FORALLVALUES", "SET_OPERATOR_WITH_SINGLE_VALUED_KEY"),
                    "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
                    "reference_policies_condition-single-vs-multi-valued-context-keys.html"),
    "RESOURCE_MATCHES_NO_ACTION": _SERVICE_REFERENCE,
    # A policy is UTF-8 JSON text in IAM's grammar: the page that says what a file must be.
    "FILE_ERROR": "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
                  "reference_policies_grammar.html",
    "INTERNAL_ERROR": "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
                      "reference_policies_grammar.html",
    "YAML_SYNTAX_ERROR": "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
                         "template-formats.html",
    "HCL_SYNTAX_ERROR": "https://developer.hashicorp.com/terraform/language/syntax/"
                        "configuration",
    **dict.fromkeys(("UNKNOWN_SAM_POLICY_TEMPLATE", "MISSING_SAM_POLICY_TEMPLATE_PARAMETER",
                     "UNKNOWN_SAM_POLICY_TEMPLATE_PARAMETER"),
                    "https://docs.aws.amazon.com/serverless-application-model/latest/"
                    "developerguide/serverless-policy-template-list.html"),
    "RETIRED_SERVICE_IN_ACTION": "https://docs.aws.amazon.com/service-authorization/latest/"
                                 "reference/reference_policies_actions-resources-contextkeys.html",
    **dict.fromkeys(("RCP_SYNTAX_ERROR_VERSION", "RCP_SYNTAX_ERROR_ALLOW",
                     "RCP_SYNTAX_ERROR_PRINCIPAL",
                     "RCP_SYNTAX_ERROR_NOTPRINCIPAL", "RCP_SYNTAX_ERROR_NOTACTION",
                     "RCP_UNSUPPORTED_SERVICE"),
                    "https://docs.aws.amazon.com/organizations/latest/userguide/"
                    "orgs_manage_policies_rcps_syntax.html"),
    "RCP_POLICY_SIZE_EXCEEDS_QUOTA": "https://docs.aws.amazon.com/organizations/latest/"
                                     "userguide/orgs_reference_limits.html",
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
    # The message in other languages, by language code ("ko"); English is `message`.
    translations: dict[str, str] = field(default_factory=dict)

    def moved(self, shift: int) -> Finding:
        """The same finding for the same text `shift` characters later in the document."""
        if not shift:
            return self
        return replace(self, span=self.span.moved(shift), fixes=tuple(
            Fix(fix.title, tuple(TextEdit(edit.span.moved(shift), edit.new_text)
                                 for edit in fix.edits), fix.preferred) for fix in self.fixes),
            data={key: value.moved(shift) if isinstance(value, Span) else value
                  for key, value in self.data.items()})

    def message_for(self, locale: str | None) -> str:
        """The message in the client's language when we have it, else English."""
        language = (locale or "en").split("-")[0].split("_")[0].lower()
        return self.translations.get(language, self.message)

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

"""analyze_host(text, kind) -> HostAnalysis: the findings of every policy in a template, a
YAML policy file or a Terraform file, in the host file's coordinates.

Each policy is checked on its own (as the same `Policy` model a JSON file gives, over the
host text, so every span is already a host offset), with the policy type its place implies.
Findings name the policy they belong to ("AgentRole.Policies[0]: …"). Fixes are JSON text:
kept in JSON templates, rewritten in YAML syntax in YAML files (`yaml_fixes`); in
Terraform those `hcl_fixes` keeps, rewritten for HCL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum

from ..catalog.services import ServiceCatalog, default_catalog
from ..checks import CheckContext, run_checks
from ..document.policy import (
    DocumentKind,
    Policy,
    PolicyType,
    Statement,
    build_policy,
    infer_policy_type,
)
from ..document.syntax import (
    JsonArray,
    JsonMember,
    JsonObject,
    JsonUnknown,
    JsonValue,
    ParseResult,
    SyntaxProblem,
    parse,
)
from ..document.text import Span
from ..findings import Finding
from .cfn_string_fixes import json_text_fixes
from .cloudformation import find_policies, is_template, resource_members, resource_policies
from .embedded import EmbeddedPolicy
from .hcl_fixes import StringIndex, terraform_fixes
from .intrinsics import single_values
from .sam_templates import resource_findings
from .terraform import find_policies as find_terraform_policies
from .yaml_fixes import YamlNodes, yaml_fixes
from .yaml_tree import parse_yaml

# A line that starts a template's top-level keys.
_TEMPLATE_HINT = re.compile(r"^(?:Resources|AWSTemplateFormatVersion)[ \t]*:", re.MULTILINE)
# A JSON template names these at its top; sniffed before the file is parsed twice.
_JSON_TEMPLATE_HINT = re.compile(r'"(?:Resources|AWSTemplateFormatVersion)"\s*:')
_SNIFFED = 65_536
# Language ids editors give YAML (some CloudFormation extensions use their own) and JSON.
YAML_LANGUAGES = frozenset({"yaml", "cloudformation"})
JSON_LANGUAGES = frozenset({"json", "jsonc"})
TERRAFORM_LANGUAGES = frozenset({"terraform", "hcl"})


class HostKind(Enum):
    JSON = "json"  # a .json file: a template when it looks like one
    YAML = "yaml"  # a .yaml/.yml file: a template or a policy
    TERRAFORM = "terraform"  # a .tf file: the policies of its resources and data sources


def host_kind(name: str, text: str, language_id: str | None = None) -> HostKind | None:
    """How to read a file: as YAML (a template or a policy), as JSON that may be a template,
    or (None) as a JSON policy file. From the editor's language id when it names YAML or JSON,
    else from the file name, then the text."""
    if language_id in YAML_LANGUAGES:
        return HostKind.YAML
    name = name.lower()
    if language_id in TERRAFORM_LANGUAGES or (
            language_id not in JSON_LANGUAGES and name.endswith(".tf")):
        return HostKind.TERRAFORM
    if language_id not in JSON_LANGUAGES:
        if name.endswith((".yaml", ".yml")):
            return HostKind.YAML
        if name.endswith(".template"):
            return HostKind.JSON if text.lstrip(" \t\r\n\ufeff").startswith("{") \
                else HostKind.YAML
    if _JSON_TEMPLATE_HINT.search(text, 0, _SNIFFED) is not None:
        return HostKind.JSON
    return None


@dataclass(slots=True)
class HostAnalysis:
    text: str
    # False when the file holds no template and no policy: it gets no findings.
    is_host: bool
    findings: list[Finding] = field(default_factory=list)
    # What each resource (or the policy file, or the Terraform file) holds, in file order.
    parts: list[ResourceAnalysis] = field(default_factory=list)
    _policies: list[EmbeddedPolicy] | None = None

    @property
    def policies(self) -> list[EmbeddedPolicy]:
        """Every policy, in file order (built on first use: diagnostics do not need them)."""
        if self._policies is None:
            self._policies = [policy for part in self.parts for policy in part.policies]
        return self._policies

    def policies_at(self, offset: int) -> list[EmbeddedPolicy]:
        """The policies whose trees span `offset` (ends included), in file order; only
        those are moved into place when an edit moved them (`ResourceAnalysis`)."""
        return [policy for part in self.parts if part.covers(offset)
                for policy in part.policies
                if policy.root.start <= offset <= policy.root.end]

    def add(self, part: ResourceAnalysis) -> None:
        self.parts.append(part)
        self.findings.extend(part.findings)
        self._policies = None

    def sort(self) -> HostAnalysis:
        self.findings.sort(key=lambda f: (f.span.start, f.span.end, f.code))
        return self


class ResourceAnalysis:
    """What one resource of a template holds: its policies and their findings (labelled,
    fixes written in the host's syntax), its SAM policy templates' findings. Moved to a new
    place, its findings move at once and its policies' trees when first read."""

    __slots__ = ("_policies", "_shift", "_span", "findings")

    def __init__(self, policies: list[EmbeddedPolicy], findings: list[Finding],
                 shift: int = 0) -> None:
        self._policies = policies
        self._shift = shift  # still to apply to `_policies`
        self.findings = findings
        # Where its policies lie before the shift: (first start, last end).
        self._span = (min(p.root.start for p in policies), max(p.root.end for p in policies)
                      ) if policies else None

    def covers(self, offset: int) -> bool:
        """Whether one of its policies may span `offset` (without moving them to see)."""
        if self._span is None:
            return False
        start, end = self._span
        return start + self._shift <= offset <= end + self._shift

    @property
    def policies(self) -> list[EmbeddedPolicy]:
        if self._shift:
            self._policies = [policy.moved(self._shift) for policy in self._policies]
            self._shift = 0
        return self._policies

    def moved(self, shift: int) -> ResourceAnalysis:
        """The same for the same resource text `shift` characters later in the file."""
        if not shift or not (self._policies or self.findings):
            return self
        return ResourceAnalysis(self._policies, [f.moved(shift) for f in self.findings],
                                self._shift + shift)


def analyze_host(text: str, kind: HostKind, catalog: ServiceCatalog | None = None,
                 policy_type: PolicyType | None = None) -> HostAnalysis:
    """The file's policies and findings. The caller has applied `max-file-size`.
    `policy_type`: the user's setting for a YAML policy file (a template's policies have
    the types their places give them)."""
    catalog = catalog or default_catalog()
    if kind is HostKind.TERRAFORM:
        return _terraform_host(text, catalog)
    if kind is HostKind.JSON:
        return json_template(parse(text), catalog)
    documents = parse_yaml(text)
    root, template = _yaml_document(documents.roots, text)
    if root is None and documents.errors and _TEMPLATE_HINT.search(text) is not None:
        template = True  # a template too damaged to read: its syntax errors say why
    if root is None and not template:
        return HostAnalysis(text, False)
    result = HostAnalysis(text, True)
    result.findings.extend(syntax_findings(documents.errors, "YAML_SYNTAX_ERROR"))
    clean = not documents.errors
    if isinstance(root, JsonObject) and template:
        known = single_values(root)
        members = resource_members(root)
        damaged = damaged_resource(members, documents.errors)
        for i, member in enumerate(members):
            result.add(analyze_resource(member, text, known, catalog, yaml=True,
                                        clean=clean or (damaged is not None and i != damaged)))
    elif root is not None:
        policy = EmbeddedPolicy(root, None, "")
        result.add(ResourceAnalysis([policy], policy_findings(policy, text, catalog, True,
                                                              clean, policy_type)))
    return result.sort()


def json_template(parsed: ParseResult, catalog: ServiceCatalog) -> HostAnalysis:
    """A parsed JSON file's analysis as a template, one part per member of `Resources`;
    not a host when it is no template."""
    if not is_template(parsed.root):
        return HostAnalysis(parsed.text, False)
    assert isinstance(parsed.root, JsonObject)
    result = HostAnalysis(parsed.text, True)
    result.findings.extend(syntax_findings(parsed.errors, "JSON_SYNTAX_ERROR"))
    known = single_values(parsed.root)
    for member in resource_members(parsed.root):
        result.add(analyze_resource(member, parsed.text, known, catalog))
    return result.sort()


def damaged_resource(members: list[JsonMember], errors: list[SyntaxProblem]) -> int | None:
    """The one resource every syntax error lies in, when there is one: the others' trees
    are then as written, and their YAML fixes need not be limited to one scalar."""
    found: int | None = None
    for error in errors:
        inside = next((i for i, member in enumerate(members)
                       if member.key.start <= error.span.start and error.span.end <= member.end),
                      None)
        if inside is None or (found is not None and inside != found):
            return None
        found = inside
    return found


def analyze_resource(member: JsonMember, text: str, known: Mapping[str, str],
                     catalog: ServiceCatalog, yaml: bool = False, clean: bool = True,
                     policies: list[EmbeddedPolicy] | None = None) -> ResourceAnalysis:
    """One member of a template's `Resources`: its policies and every finding on it. `yaml`:
    fixes are rewritten in YAML (`clean`: the file has no syntax error). `policies`: its
    `resource_policies`, when they were read already."""
    if policies is None:
        policies = resource_policies(member, text, known)
    findings = [finding for embedded in policies
                for finding in policy_findings(embedded, text, catalog, yaml, clean)]
    sam = resource_findings(member)
    if yaml and member.value is not None and any(finding.fixes for finding in sam):
        nodes = YamlNodes(member.value, text, clean)
        sam = [yaml_fixes(finding, nodes, text) if finding.fixes else finding
               for finding in sam]
    findings.extend(sam)
    return ResourceAnalysis(policies, findings)


def policy_findings(embedded: EmbeddedPolicy, text: str, catalog: ServiceCatalog,
                    yaml: bool = False, clean: bool = True,
                    policy_type: PolicyType | None = None) -> list[Finding]:
    """The findings on one policy of a template or YAML file, labelled with its place (for a
    policy written as a JSON string, its syntax errors first). `policy_type`: the user's
    setting for a policy file of its own."""
    written = embedded.json_text
    findings = [] if written is None else [
        _labelled(finding, embedded.label)
        for finding in syntax_findings(list(written.errors), "JSON_SYNTAX_ERROR")]
    nodes: YamlNodes | None = None  # built for the first fix to write in YAML
    for finding in _check_policy(embedded, text, catalog, policy_type):
        if finding.fixes and any(_overlaps(edit.span, embedded.substituted)
                                 for fix in finding.fixes for edit in fix.edits):
            finding = replace(finding, fixes=())  # a parameter's value: fixed there
        if written is not None and finding.fixes:
            finding = json_text_fixes(finding, written)
        elif yaml and finding.fixes:
            nodes = nodes or YamlNodes(embedded.root, text, clean)
            finding = yaml_fixes(finding, nodes, text)
        findings.append(_labelled(finding, embedded.label))
    return findings


def _terraform_host(text: str, catalog: ServiceCatalog) -> HostAnalysis:
    """A Terraform file's policies and findings; HCL syntax errors only in a file that holds
    IAM content (a broken .tf file about something else gets nothing)."""
    found = find_terraform_policies(text)
    if not found.is_host:
        return HostAnalysis(text, False)
    result = HostAnalysis(text, True)
    result.parts.append(ResourceAnalysis([p.embedded for p in found.policies], []))
    result.findings.extend(syntax_findings(found.hcl_errors, "HCL_SYNTAX_ERROR"))
    for label, problem in found.json_errors:
        result.findings.append(_labelled(Finding("JSON_SYNTAX_ERROR", problem.message,
                                                 problem.span), label))
    for policy in found.policies:
        strings = StringIndex(policy.embedded.root)
        for finding in _check_policy(policy.embedded, text, catalog):
            if finding.fixes:
                finding = terraform_fixes(finding, policy, strings, text)
            result.findings.append(_labelled(finding, policy.embedded.label))
    result.findings.sort(key=lambda f: (f.span.start, f.span.end, f.code))
    return result


def _yaml_document(roots: list[JsonValue | None], text: str) -> tuple[JsonValue | None, bool]:
    """The first document that is a template or a policy (None if none is), and whether it
    is a template."""
    for root in roots:
        if isinstance(root, JsonObject) and is_template(root):
            return root, True
        if root is not None:
            policy = build_policy(ParseResult(text, root, [], []))
            if policy.kind in (DocumentKind.POLICY, DocumentKind.STATEMENT,
                               DocumentKind.STATEMENTS):
                return root, False
    return None, False


def yaml_policies(text: str) -> list[EmbeddedPolicy]:
    """The policies of a YAML text, as `analyze_host` finds them (none when it holds none)."""
    root, template = _yaml_document(parse_yaml(text).roots, text)
    if isinstance(root, JsonObject) and template:
        return find_policies(root, text)
    return [EmbeddedPolicy(root, None, "")] if root is not None else []


def embedded_policy(embedded: EmbeddedPolicy, text: str) -> Policy:
    """The policy model of a host policy, its statements under `Fn::If` included."""
    # A document found at a policy's place in a template is a policy, whatever it holds.
    in_template = embedded.policy_type is not None
    policy = build_policy(ParseResult(text, embedded.root, [], []), assume_policy=in_template)
    # A statement under `Fn::If`: each branch that is a statement is checked on its own.
    statements = policy.root.value_of("Statement") if policy.root is not None else None
    if policy.is_policy and isinstance(statements, JsonArray):
        for item in statements.items:
            if isinstance(item, JsonUnknown):
                policy.statements.extend(Statement(branch, ()) for branch in item.alternatives
                                         if isinstance(branch, JsonObject))
    return policy


def _check_policy(embedded: EmbeddedPolicy, text: str, catalog: ServiceCatalog,
                  setting: PolicyType | None = None) -> list[Finding]:
    policy = embedded_policy(embedded, text)
    if not policy.is_policy:
        return []
    # Where it sits decides; a policy file of its own: the user's setting, else its content.
    policy_type = embedded.policy_type or setting or infer_policy_type(policy)
    return run_checks(CheckContext(policy, catalog, policy_type, in_host=True,
                                  resource_type=embedded.resource_type))


def _overlaps(span: Span, spans: tuple[Span, ...]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in spans)


def syntax_findings(errors: list[SyntaxProblem], code: str) -> list[Finding]:
    return [Finding(code, problem.message, problem.span, translations={
        "ko": problem.message_ko} if problem.message_ko else {}) for problem in errors]


def _labelled(finding: Finding, label: str) -> Finding:
    if not label:
        return finding
    return replace(finding, message=f"{label}: {finding.message}",
                   data={**finding.data, "policy": label},
        translations={lang: f"{label}: {message}"
                      for lang, message in finding.translations.items()})

"""Where a Terraform file's IAM policies are, each as the JSON model the checks read.

`find_policies(text)` walks the top-level `resource` and `data` blocks:
- the policy arguments of the resources in `POLICY_ARGUMENTS` (and `inline_policy { policy }`
  blocks of `aws_iam_role`), written as `jsonencode({…})` (the HCL object converted,
  `hcl_tree`), as a heredoc or a quoted string holding JSON (`embedded_json`, interpolations
  as holes), or as `data.aws_iam_policy_document.NAME.json`; anything else (`file(…)`,
  `var.policy`, `local.x`, `templatefile(…)`) is known only at plan time and skipped;
- every `data "aws_iam_policy_document"` block, synthesised into the policy the provider
  renders (`iam_policy_document`). Its type is that of the arguments that consume it in the
  file; when
  none does (or they disagree, or it is used some other way) it is `PolicyType.UNKNOWN`, so
  that only the checks that hold for every type run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

import tree_sitter

from ..document.policy import PolicyType
from ..document.syntax import JsonArray, JsonObject, SyntaxProblem
from ..document.text import LineIndex, Span
from .embedded import EmbeddedPolicy
from .embedded_json import HostString, parse_in_string
from .hcl_tree import (
    HclDocument,
    ValueConverter,
    block_body,
    block_header,
    host_string,
    identifier_chain,
    named,
    parse_hcl,
    syntax_errors,
    unwrap,
)
from .iam_policy_document import PolicyDocument

_I, _R, _T = PolicyType.IDENTITY, PolicyType.RESOURCE, PolicyType.TRUST
# The arguments that hold a policy, by resource type (checked against the AWS provider's
# documentation; docs/host-formats.md A4 lists the ones not yet checked, left out here).
POLICY_ARGUMENTS: dict[str, dict[str, PolicyType]] = {
    "aws_iam_policy": {"policy": _I},
    "aws_iam_role_policy": {"policy": _I},
    "aws_iam_user_policy": {"policy": _I},
    "aws_iam_group_policy": {"policy": _I},
    "aws_iam_role": {"assume_role_policy": _T},
    "aws_ssoadmin_permission_set_inline_policy": {"inline_policy": _I},
    "aws_s3_bucket_policy": {"policy": _R},
    "aws_sqs_queue": {"policy": _R},
    "aws_sqs_queue_policy": {"policy": _R},
    "aws_sns_topic_policy": {"policy": _R},
    "aws_kms_key": {"policy": _R},
    "aws_kms_key_policy": {"policy": _R},
    "aws_cloudwatch_log_resource_policy": {"policy_document": _R},
    "aws_s3tables_table_bucket_policy": {"resource_policy": _R},
}
POLICY_DOCUMENT = "aws_iam_policy_document"
# AWS Organizations policies: `content` holds the policy, `type` says which (the AWS
# provider's default is an SCP). Tag, backup and other policy types are not IAM policies.
ORGANIZATIONS_POLICY = "aws_organizations_policy"
ORGANIZATIONS_POLICY_TYPES = {"SERVICE_CONTROL_POLICY": PolicyType.SERVICE_CONTROL,
                              "RESOURCE_CONTROL_POLICY": PolicyType.RESOURCE_CONTROL}
# A file that names one of these holds IAM content: its syntax errors are worth reporting.
_IAM_NAMES = "|".join(re.escape(name) for name in (*POLICY_ARGUMENTS, POLICY_DOCUMENT,
                                                      ORGANIZATIONS_POLICY))
IAM_CONTENT = re.compile(rf'\b(?:resource|data)\s+"?(?:{_IAM_NAMES})"?')
_DOCUMENT_REFERENCE = re.compile(r"\bdata\.aws_iam_policy_document\.([A-Za-z_][\w-]*)")
_DOCUMENT_ATTRIBUTES = ("json", "minified_json")


class PolicyForm(Enum):
    HCL = "hcl"  # jsonencode({…}) or an aws_iam_policy_document: HCL strings and names
    HEREDOC_JSON = "heredoc"  # JSON text in a heredoc
    QUOTED_JSON = "quoted"  # JSON text in a quoted HCL string (`"{\"Version\"…}"`)


@dataclass(frozen=True, slots=True)
class TerraformPolicy:
    embedded: EmbeddedPolicy
    form: PolicyForm
    # For JSON text: the string that holds it (where each character is written).
    string: HostString | None = None
    # For JSON text: the host span of the string's content.
    body: Span | None = None


@dataclass(slots=True)
class TerraformPolicies:
    policies: list[TerraformPolicy] = field(default_factory=list)
    # JSON syntax errors inside policy strings, with the label of their policy.
    json_errors: list[tuple[str, SyntaxProblem]] = field(default_factory=list)
    # HCL syntax errors; reported only when the file holds IAM content (`is_host`).
    hcl_errors: list[SyntaxProblem] = field(default_factory=list)
    # True when the file holds a policy or names a policy-bearing resource or data source.
    is_host: bool = False


def find_policies(text: str, document: HclDocument | None = None) -> TerraformPolicies:
    """The policies of a Terraform file, in file order (see the module's docstring)."""
    document = document or parse_hcl(text)
    finder = _Finder(document)
    for block in _top_blocks(document.root):
        finder.block(block)
    result = finder.result
    result.policies.extend(finder.documents())
    result.policies.sort(key=lambda p: p.embedded.root.start)
    result.is_host = bool(result.policies) or IAM_CONTENT.search(text) is not None
    if result.is_host:
        result.hcl_errors = syntax_errors(document)
    return result


def _top_blocks(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    """The top-level blocks, also those tree-sitter kept inside an ERROR node."""
    for child in node.children:
        if child.type == "block":
            yield child
        elif child.type in ("body", "ERROR", "config_file"):
            yield from _top_blocks(child)


class _Finder:
    def __init__(self, document: HclDocument) -> None:
        self.document = document
        self.result = TerraformPolicies()
        self.lines: LineIndex | None = None
        # aws_iam_policy_document blocks by name, and the policy types of the arguments that
        # consume each one (data.aws_iam_policy_document.NAME.json), with their resource's
        # type for a resource policy.
        self.data_blocks: list[tuple[str, tree_sitter.Node]] = []
        self.consumers: dict[str, list[tuple[PolicyType, str | None]]] = {}

    def block(self, block: tree_sitter.Node) -> None:
        kind, labels = block_header(self.document, block)
        if len(labels) != 2:
            return
        body = block_body(block)
        if body is None:
            return
        if kind == "data" and labels[0] == POLICY_DOCUMENT:
            self.data_blocks.append((labels[1], block))
            return
        if kind == "resource" and labels[0] == ORGANIZATIONS_POLICY:
            self.organizations_policy(body, f"{labels[0]}.{labels[1]}")
            return
        arguments = POLICY_ARGUMENTS.get(labels[0]) if kind == "resource" else None
        if arguments is None:
            return
        prefix = f"{labels[0]}.{labels[1]}"
        for name, value in _attributes(self.document, body):
            if name in arguments:
                self.argument(value, f"{prefix}.{name}", arguments[name], labels[0])
        if labels[0] == "aws_iam_role":
            inline = [b for b in named(body) if b.type == "block"
                      and block_header(self.document, b)[0] == "inline_policy"]
            for index, inline_block in enumerate(inline):
                inner = block_body(inline_block)
                for name, value in _attributes(self.document, inner) if inner else []:
                    if name == "policy":
                        self.argument(value, f"{prefix}.inline_policy[{index}].policy", _I,
                                      labels[0])

    def organizations_policy(self, body: tree_sitter.Node, prefix: str) -> None:
        attributes = dict(_attributes(self.document, body))
        content = attributes.get("content")
        if content is None:
            return
        policy_type: PolicyType | None = PolicyType.SERVICE_CONTROL
        if "type" in attributes:
            written = host_string(self.document, attributes["type"])
            if written is None or written.holes:
                policy_type = PolicyType.UNKNOWN  # a variable: known at plan time only
            else:
                policy_type = ORGANIZATIONS_POLICY_TYPES.get(written.value)
        if policy_type is not None:
            self.argument(content, f"{prefix}.content", policy_type, ORGANIZATIONS_POLICY)

    def argument(self, value: tree_sitter.Node, label: str, policy_type: PolicyType,
                 resource_type: str) -> None:
        """A policy argument of a `resource_type` resource (its type labels a resource
        policy with the service that receives it)."""
        owner = resource_type if policy_type is _R else None
        node = unwrap(value)
        chain = identifier_chain(self.document, node)
        if chain is not None:
            if len(chain) == 4 and chain[:2] == ["data", POLICY_DOCUMENT] and (
                    chain[3] in _DOCUMENT_ATTRIBUTES):
                self.consumers.setdefault(chain[2], []).append((policy_type, owner))
            return
        if node.type == "function_call":
            self.jsonencode(node, label, policy_type, owner)
            return
        string = host_string(self.document, node)
        if string is None:
            return
        span = self.document.span(node)
        lines = self.lines = self.lines or LineIndex(self.document.text)
        line, column = lines.position(string.start_of(0) if string.length else span.start)
        parsed = parse_in_string(string, line, column)
        if not isinstance(parsed.root, (JsonObject, JsonArray)):
            return  # not JSON (an ARN, an interpolation alone): known at plan time only
        form = PolicyForm.HEREDOC_JSON if node.type == "heredoc_template" else (
            PolicyForm.QUOTED_JSON)
        body = Span(string.start_of(0), string.end_of(string.length))
        self.result.policies.append(TerraformPolicy(
            EmbeddedPolicy(parsed.root, policy_type, label, resource_type=owner), form, string,
            body))
        self.result.json_errors.extend((label, problem) for problem in parsed.errors)

    def jsonencode(self, call: tree_sitter.Node, label: str, policy_type: PolicyType,
                   resource_type: str | None) -> None:
        name = next((c for c in call.children if c.type == "identifier"), None)
        arguments = next((c for c in call.children if c.type == "function_arguments"), None)
        if name is None or arguments is None or self.document.source(name) != "jsonencode":
            return
        values = [c for c in named(arguments) if c.type == "expression"]
        if len(values) != 1 or unwrap(values[0]).type != "object":
            return  # jsonencode(local.policy): known at plan time only
        root = ValueConverter(self.document).value(values[0])
        self.result.policies.append(TerraformPolicy(
            EmbeddedPolicy(root, policy_type, label, resource_type=resource_type),
            PolicyForm.HCL))

    def documents(self) -> Iterator[TerraformPolicy]:
        """Each aws_iam_policy_document, with the type its consumers give it."""
        references: dict[str, int] = {}
        for match in _DOCUMENT_REFERENCE.finditer(self.document.text):
            references[match.group(1)] = references.get(match.group(1), 0) + 1
        for name, block in self.data_blocks:
            consumers = self.consumers.get(name, [])
            types = {policy_type for policy_type, _ in consumers}
            consumed_only_so = references.get(name, 0) == len(consumers)
            policy_type = types.pop() if len(types) == 1 and consumed_only_so else (
                PolicyType.UNKNOWN)
            # The service, when every consumer is a resource of one type.
            owners = {owner for _, owner in consumers}
            owner = owners.pop() if len(owners) == 1 and policy_type is _R else None
            root = PolicyDocument(self.document).policy(block)
            yield TerraformPolicy(EmbeddedPolicy(root, policy_type,
                                                 f"data.{POLICY_DOCUMENT}.{name}",
                                                 resource_type=owner),
                                  PolicyForm.HCL)


def _attributes(document: HclDocument,
                body: tree_sitter.Node) -> Iterator[tuple[str, tree_sitter.Node]]:
    for child in named(body):
        if child.type != "attribute":
            continue
        parts = named(child)
        if len(parts) == 2 and parts[0].type == "identifier" and parts[1].type == "expression":
            yield document.source(parts[0]), parts[1]

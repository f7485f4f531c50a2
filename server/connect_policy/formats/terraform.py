"""Where a Terraform file's IAM policies are, each as the JSON model the checks read.

`find_policies(text)` walks the top-level `resource` and `data` blocks:
- the policy arguments of the resources in `POLICY_ARGUMENTS` (and `inline_policy { policy }`
  blocks of `aws_iam_role`), written as `jsonencode({…})` (the HCL object converted,
  `hcl_tree`), as a heredoc or a quoted string holding JSON (`embedded_json`, interpolations
  as holes), or as `data.aws_iam_policy_document.NAME.json`; anything else (`file(…)`,
  `var.policy`, `local.x`, `templatefile(…)`) is known only at plan time and skipped;
- every `data "aws_iam_policy_document"` block, synthesised into the policy the provider
  renders: `statement` blocks become statements whose keys (`Action` for `actions`…) sit on
  the attribute names, `principals`/`condition` blocks merge as the provider merges them, `&{`
  reads as `${`, an absent `effect`/`version` is the provider's default, a `dynamic` block is
  an unknown statement. Its type is that of the arguments that consume it in the file; when
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
from ..document.syntax import (
    JsonArray,
    JsonMember,
    JsonObject,
    JsonString,
    JsonUnknown,
    JsonValue,
    SyntaxProblem,
)
from ..document.text import LineIndex, Span
from .embedded import EmbeddedPolicy
from .embedded_json import HostString, parse_in_string
from .hcl_tree import (
    HclDocument,
    ValueConverter,
    host_string,
    identifier_chain,
    named,
    parse_hcl,
    syntax_errors,
    unwrap,
)

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
# A file that names one of these holds IAM content: its syntax errors are worth reporting.
_IAM_NAMES = "|".join(re.escape(name) for name in (*POLICY_ARGUMENTS, POLICY_DOCUMENT))
_IAM_CONTENT = re.compile(rf'\b(?:resource|data)\s+"?(?:{_IAM_NAMES})"?')
_DOCUMENT_REFERENCE = re.compile(r"\bdata\.aws_iam_policy_document\.([A-Za-z_][\w-]*)")
_DOCUMENT_ATTRIBUTES = ("json", "minified_json")
_STATEMENT_KEYS = {"sid": "Sid", "effect": "Effect", "actions": "Action",
                   "not_actions": "NotAction", "resources": "Resource",
                   "not_resources": "NotResource"}
_MERGED_SOURCES = ("source_policy_documents", "override_policy_documents", "source_json",
                   "override_json")


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
    result.is_host = bool(result.policies) or _IAM_CONTENT.search(text) is not None
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
        # aws_iam_policy_document blocks by name, and the types of the arguments that
        # consume each one (data.aws_iam_policy_document.NAME.json).
        self.data_blocks: list[tuple[str, tree_sitter.Node]] = []
        self.consumers: dict[str, list[PolicyType]] = {}

    def block(self, block: tree_sitter.Node) -> None:
        kind, labels = _block_header(self.document, block)
        if len(labels) != 2:
            return
        body = _body(block)
        if body is None:
            return
        if kind == "data" and labels[0] == POLICY_DOCUMENT:
            self.data_blocks.append((labels[1], block))
            return
        arguments = POLICY_ARGUMENTS.get(labels[0]) if kind == "resource" else None
        if arguments is None:
            return
        prefix = f"{labels[0]}.{labels[1]}"
        for name, value in _attributes(self.document, body):
            if name in arguments:
                self.argument(value, f"{prefix}.{name}", arguments[name])
        if labels[0] == "aws_iam_role":
            inline = [b for b in named(body) if b.type == "block"
                      and _block_header(self.document, b)[0] == "inline_policy"]
            for index, inline_block in enumerate(inline):
                inner = _body(inline_block)
                for name, value in _attributes(self.document, inner) if inner else []:
                    if name == "policy":
                        self.argument(value, f"{prefix}.inline_policy[{index}].policy", _I)

    def argument(self, value: tree_sitter.Node, label: str, policy_type: PolicyType) -> None:
        node = unwrap(value)
        chain = identifier_chain(self.document, node)
        if chain is not None:
            if len(chain) == 4 and chain[:2] == ["data", POLICY_DOCUMENT] and (
                    chain[3] in _DOCUMENT_ATTRIBUTES):
                self.consumers.setdefault(chain[2], []).append(policy_type)
            return
        if node.type == "function_call":
            self.jsonencode(node, label, policy_type)
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
            EmbeddedPolicy(parsed.root, policy_type, label), form, string, body))
        self.result.json_errors.extend((label, problem) for problem in parsed.errors)

    def jsonencode(self, call: tree_sitter.Node, label: str, policy_type: PolicyType) -> None:
        name = next((c for c in call.children if c.type == "identifier"), None)
        arguments = next((c for c in call.children if c.type == "function_arguments"), None)
        if name is None or arguments is None or self.document.source(name) != "jsonencode":
            return
        values = [c for c in named(arguments) if c.type == "expression"]
        if len(values) != 1 or unwrap(values[0]).type != "object":
            return  # jsonencode(local.policy): known at plan time only
        root = ValueConverter(self.document).value(values[0])
        self.result.policies.append(TerraformPolicy(
            EmbeddedPolicy(root, policy_type, label), PolicyForm.HCL))

    def documents(self) -> Iterator[TerraformPolicy]:
        """Each aws_iam_policy_document, with the type its consumers give it."""
        references: dict[str, int] = {}
        for match in _DOCUMENT_REFERENCE.finditer(self.document.text):
            references[match.group(1)] = references.get(match.group(1), 0) + 1
        for name, block in self.data_blocks:
            types = set(self.consumers.get(name, []))
            consumed_only_so = references.get(name, 0) == len(self.consumers.get(name, []))
            policy_type = types.pop() if len(types) == 1 and consumed_only_so else (
                PolicyType.UNKNOWN)
            root = _PolicyDocument(self.document).policy(block)
            yield TerraformPolicy(EmbeddedPolicy(root, policy_type,
                                                 f"data.{POLICY_DOCUMENT}.{name}"),
                                  PolicyForm.HCL)


def _block_header(document: HclDocument,
                  block: tree_sitter.Node) -> tuple[str, list[str]]:
    """A block's type (`resource`) and labels (`["aws_iam_role", "agent"]`)."""
    kind = ""
    labels: list[str] = []
    for child in block.children:
        if child.type == "identifier" and not kind:
            kind = document.source(child)
        elif child.type in ("string_lit", "identifier"):
            source = document.source(child)
            labels.append(source[1:-1] if child.type == "string_lit" else source)
        elif child.type in ("block_start", "body"):
            break
    return kind, labels


def _body(block: tree_sitter.Node) -> tree_sitter.Node | None:
    return next((c for c in block.children if c.type == "body"), None)


def _attributes(document: HclDocument,
                body: tree_sitter.Node) -> Iterator[tuple[str, tree_sitter.Node]]:
    for child in named(body):
        if child.type != "attribute":
            continue
        parts = named(child)
        if len(parts) == 2 and parts[0].type == "identifier" and parts[1].type == "expression":
            yield document.source(parts[0]), parts[1]


class _PolicyDocument:
    """An aws_iam_policy_document block -> the policy the provider renders, as the model."""

    def __init__(self, document: HclDocument) -> None:
        self.document = document
        self.values = ValueConverter(document, ampersand=True)

    def key(self, node: tree_sitter.Node, name: str) -> JsonString:
        """A synthesised key (`Action`) on the user's name for it (`actions`)."""
        span = self.document.span(node)
        return JsonString(span.start, span.end, name, verbatim=False, quote_len=0)

    def default(self, at: tree_sitter.Node, name: str, value: str) -> JsonMember:
        """An element the provider writes when the block leaves it out."""
        span = self.document.span(at)
        key = JsonString(span.start, span.end, name, verbatim=False, quote_len=0)
        return JsonMember(key, JsonString(span.start, span.end, value, verbatim=False,
                                          quote_len=0))

    def attributes(self, body: tree_sitter.Node) -> dict[str, tuple[tree_sitter.Node,
                                                                     tree_sitter.Node]]:
        result = {}
        for child in named(body):
            if child.type == "attribute":
                parts = named(child)
                if len(parts) == 2 and parts[0].type == "identifier":
                    result[self.document.source(parts[0])] = (parts[0], parts[1])
        return result

    def blocks(self, body: tree_sitter.Node) -> list[tuple[str, bool, tree_sitter.Node]]:
        """Nested blocks: (name, dynamic, block); `dynamic "statement"` is ("statement",
        True, …)."""
        result = []
        for child in named(body):
            if child.type != "block":
                continue
            kind, labels = _block_header(self.document, child)
            if kind == "dynamic" and labels:
                result.append((labels[0], True, child))
            else:
                result.append((kind, False, child))
        return result

    def policy(self, block: tree_sitter.Node) -> JsonObject:
        span = self.document.span(block)
        root = JsonObject(span.start, span.end)
        body = _body(block)
        header = block.children[0]
        if body is None:
            return root
        attributes = self.attributes(body)
        if "version" in attributes:
            name, value = attributes["version"]
            root.members.append(JsonMember(self.key(name, "Version"), self.values.value(value)))
        else:
            root.members.append(self.default(header, "Version", "2012-10-17"))
        if "policy_id" in attributes:
            name, value = attributes["policy_id"]
            root.members.append(JsonMember(self.key(name, "Id"), self.values.value(value)))
        statements: list[JsonValue] = []
        first: tree_sitter.Node | None = None
        for kind, dynamic, nested in self.blocks(body):
            if kind != "statement":
                continue
            first = first or nested
            nested_span = self.document.span(nested)
            statements.append(JsonUnknown(nested_span.start, nested_span.end,
                                          self.document.source(nested)) if dynamic
                              else self.statement(nested))
        merged = next((attributes[name] for name in _MERGED_SOURCES if name in attributes), None)
        if first is not None:
            array = JsonArray(statements[0].start, statements[-1].end, statements)
            root.members.append(JsonMember(self.key(first.children[0], "Statement"), array))
        elif merged is not None:  # the statements come from other documents
            name, value = merged
            unknown = self.values.unknown(value)
            root.members.append(JsonMember(self.key(name, "Statement"), unknown))
        return root

    def statement(self, block: tree_sitter.Node) -> JsonObject:
        span = self.document.span(block)
        result = JsonObject(span.start, span.end)
        body = _body(block)
        if body is None:
            return result
        attributes = self.attributes(body)
        for attribute, element in _STATEMENT_KEYS.items():
            if attribute in attributes:
                name, value = attributes[attribute]
                result.members.append(JsonMember(self.key(name, element),
                                                 self.values.value(value)))
        if "effect" not in attributes:
            result.members.append(self.default(block.children[0], "Effect", "Allow"))
        nested = self.blocks(body)
        for kind, element in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            blocks = [(dynamic, b) for k, dynamic, b in nested if k == kind]
            if blocks:
                result.members.append(JsonMember(self.key(blocks[0][1].children[0], element),
                                                 self.principals(blocks)))
        conditions = [(dynamic, b) for k, dynamic, b in nested if k == "condition"]
        if conditions:
            result.members.append(JsonMember(self.key(conditions[0][1].children[0],
                                                      "Condition"), self.conditions(conditions)))
        return result

    def _span_of(self, blocks: list[tuple[bool, tree_sitter.Node]]) -> Span:
        return Span(self.document.span(blocks[0][1]).start,
                    self.document.span(blocks[-1][1]).end)

    def principals(self, blocks: list[tuple[bool, tree_sitter.Node]]) -> JsonValue:
        span = self._span_of(blocks)
        result = JsonObject(span.start, span.end)
        unknown = False
        for dynamic, block in blocks:
            body = _body(block)
            attributes = self.attributes(body) if body is not None and not dynamic else {}
            if "type" not in attributes or "identifiers" not in attributes:
                unknown = True
                continue
            kind = self.values.value(attributes["type"][1])
            identifiers = self.values.value(attributes["identifiers"][1])
            if not isinstance(kind, JsonString):
                unknown = True
                continue
            if kind.value == "*" and len(blocks) == 1:
                # type "*" with identifiers ["*"] renders "Principal": "*".
                if isinstance(identifiers, JsonArray) and len(identifiers.items) == 1:
                    return identifiers.items[0]
                return identifiers
            _merge(result, kind, identifiers)
        if not result.members:
            return self.values.unknown(blocks[0][1]) if unknown else result
        return result

    def conditions(self, blocks: list[tuple[bool, tree_sitter.Node]]) -> JsonValue:
        span = self._span_of(blocks)
        result = JsonObject(span.start, span.end)
        unknown = False
        for dynamic, block in blocks:
            body = _body(block)
            attributes = self.attributes(body) if body is not None and not dynamic else {}
            if not {"test", "variable", "values"} <= attributes.keys():
                unknown = True
                continue
            test = self.values.value(attributes["test"][1])
            variable = self.values.value(attributes["variable"][1])
            values = self.values.value(attributes["values"][1])
            if not isinstance(test, JsonString) or not isinstance(variable, JsonString):
                unknown = True
                continue
            member = result.get(test.value)
            if member is None or not isinstance(member.value, JsonObject):
                block_span = self.document.span(block)
                operator = JsonObject(block_span.start, block_span.end)
                result.members.append(JsonMember(test, operator))
            else:
                operator = member.value
                operator.end = max(operator.end, self.document.span(block).end)
            _merge(operator, variable, values)
        if not result.members:
            return self.values.unknown(blocks[0][1]) if unknown else result
        return result


def _merge(target: JsonObject, key: JsonString, values: JsonValue) -> None:
    """Add `key: values` to `target`; values of a key already there are appended to its
    (the provider merges blocks with the same type, or the same test and variable)."""
    member = target.get(key.value)
    if member is None:
        target.members.append(JsonMember(key, values))
        return
    before = member.value
    items = (before.items if isinstance(before, JsonArray) else [before] if before else [])
    added = values.items if isinstance(values, JsonArray) else [values]
    start = before.start if before is not None else values.start
    member.value = JsonArray(start, max(start, values.end), [*items, *added])

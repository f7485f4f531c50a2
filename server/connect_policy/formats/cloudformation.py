"""The policies of a CloudFormation or SAM template, YAML or JSON (both read as the JSON node
model), at the property paths of docs/host-formats.md's A1 and A2 tables.

A document written as a mapping is checked, and so is one written as a string holding JSON
(`cfn_strings`: YAML's quoted and block scalars, a JSON template's string, `Fn::Sub` of one);
a managed policy's name or ARN is not (SAM reads every string in `Policies` as one). SAM's
policy templates (`S3ReadPolicy: {…}`) are not documents: `sam_templates` checks their names
and parameters. An `Fn::If` around a document or a list entry is unfolded into both
branches. `AWS::Events::EventBusPolicy.Statement` is one statement and a SAM API's
`CustomStatements` a list of them: each is checked inside a policy made up around it
(`Version` 2012-10-17, as the service writes it), never told to wrap itself.
`AWS::Organizations::Policy.Content` is a policy only for the service and resource control
policy types (the others are not IAM's language).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace

from ..document.policy import PolicyType
from ..document.syntax import (
    JsonArray,
    JsonMember,
    JsonObject,
    JsonString,
    JsonUnknown,
    JsonValue,
)
from ..document.text import Span
from .cfn_strings import json_policy
from .embedded import EmbeddedPolicy
from .intrinsics import evaluate, function_name, is_no_value, single_values

_IDENTITY, _RESOURCE, _TRUST = PolicyType.IDENTITY, PolicyType.RESOURCE, PolicyType.TRUST
_Locations = tuple[tuple[tuple[str, ...], PolicyType], ...]


def _resource(*paths: str) -> _Locations:
    """Resource policies at these properties (a dotted path goes into nested properties)."""
    return tuple((tuple(path.split(".")), _RESOURCE) for path in paths)


# Resource type -> property paths ("*": each item of a list) and the policy type there.
LOCATIONS: dict[str, _Locations] = {
    **{f"AWS::IAM::{kind}": ((("PolicyDocument",), _IDENTITY),)
       for kind in ("Policy", "ManagedPolicy", "RolePolicy", "UserPolicy", "GroupPolicy")},
    "AWS::IAM::Role": ((("Policies", "*", "PolicyDocument"), _IDENTITY),
                       (("AssumeRolePolicyDocument",), _TRUST)),
    "AWS::IAM::User": ((("Policies", "*", "PolicyDocument"), _IDENTITY),),
    "AWS::IAM::Group": ((("Policies", "*", "PolicyDocument"), _IDENTITY),),
    "AWS::SSO::PermissionSet": ((("InlinePolicy",), _IDENTITY),),
    "AWS::Serverless::Function": ((("AssumeRolePolicyDocument",), _TRUST),),
    "AWS::Serverless::Api": _resource("Policy"),
    **{kind: _resource("PolicyDocument") for kind in (
        "AWS::S3::BucketPolicy", "AWS::S3Express::BucketPolicy", "AWS::S3Outposts::BucketPolicy",
        "AWS::S3ObjectLambda::AccessPointPolicy", "AWS::SQS::QueuePolicy",
        "AWS::SQS::QueueInlinePolicy", "AWS::SNS::TopicPolicy", "AWS::SNS::TopicInlinePolicy",
        "AWS::Logs::ResourcePolicy", "AWS::EC2::VPCEndpoint", "AWS::Lambda::ResourcePolicy")},
    **{kind: _resource("Policy") for kind in (
        "AWS::S3::AccessPoint", "AWS::S3::MultiRegionAccessPointPolicy",
        "AWS::S3Express::AccessPoint", "AWS::ApiGateway::RestApi", "AWS::ApiGateway::DomainNameV2",
        "AWS::Events::EventBus", "AWS::SSM::ResourcePolicy", "AWS::VpcLattice::ResourcePolicy",
        "AWS::VpcLattice::AuthPolicy", "AWS::MSK::ClusterPolicy", "AWS::Oam::Sink",
        "AWS::EventSchemas::RegistryPolicy")},
    **{kind: _resource("ResourcePolicy") for kind in (
        "AWS::SecretsManager::ResourcePolicy", "AWS::S3Tables::TableBucketPolicy",
        "AWS::CloudTrail::ResourcePolicy", "AWS::Kinesis::ResourcePolicy")},
    **{kind: _resource("AccessPolicies") for kind in (
        "AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain")},
    **{kind: _resource("AccessPolicy") for kind in (
        "AWS::Backup::BackupVault", "AWS::Backup::LogicallyAirGappedBackupVault")},
    **{kind: _resource("PermissionsPolicyDocument") for kind in (
        "AWS::CodeArtifact::Domain", "AWS::CodeArtifact::Repository")},
    "AWS::KMS::Key": _resource("KeyPolicy"),
    "AWS::KMS::ReplicaKey": _resource("KeyPolicy"),
    "AWS::ECR::Repository": _resource("RepositoryPolicyText"),
    "AWS::ECR::PublicRepository": _resource("RepositoryPolicyText"),
    "AWS::ECR::RegistryPolicy": _resource("PolicyText"),
    "AWS::EFS::FileSystem": _resource("FileSystemPolicy"),
    "AWS::DynamoDB::Table": _resource("ResourcePolicy.PolicyDocument",
                                      "StreamSpecification.ResourcePolicy.PolicyDocument"),
    "AWS::Organizations::ResourcePolicy": _resource("Content"),
}
# Properties that hold statements rather than a document: one statement, or a list of them.
STATEMENT_LOCATIONS: dict[str, tuple[tuple[str, ...], PolicyType]] = {
    "AWS::Events::EventBusPolicy": (("Statement",), _RESOURCE),
    "AWS::Serverless::Api": (("Auth", "ResourcePolicy", "CustomStatements"), _RESOURCE),
}
# `AWS::Organizations::Policy`'s `Type` values whose `Content` is in IAM's policy language.
ORGANIZATIONS_POLICY_TYPES = {"SERVICE_CONTROL_POLICY": PolicyType.SERVICE_CONTROL,
                              "RESOURCE_CONTROL_POLICY": PolicyType.RESOURCE_CONTROL}
# API Gateway resource policies may name resources as `execute-api:/stage/METHOD/path`, which
# API Gateway completes into the API's ARN: such a resource is known only when deployed.
EXECUTE_API_SHORTHAND = frozenset({"AWS::ApiGateway::RestApi", "AWS::ApiGateway::DomainNameV2",
                                   "AWS::Serverless::Api"})
# SAM resources whose `Policies` take managed policy names, templates or documents.
SAM_POLICIES = frozenset({"AWS::Serverless::Function", "AWS::Serverless::StateMachine"})
TEMPLATE_KEYS = ("Resources", "AWSTemplateFormatVersion")
# The language version a service writes around the statements it is given.
_VERSION = "2012-10-17"


def is_template(root: JsonValue | None) -> bool:
    """A template has `Resources` or `AWSTemplateFormatVersion` at the top."""
    return isinstance(root, JsonObject) and any(root.get(key) is not None
                                                for key in TEMPLATE_KEYS)


def find_policies(root: JsonObject, text: str) -> list[EmbeddedPolicy]:
    """Every policy document of the template, in template order."""
    known = single_values(root)
    return [policy for member in resource_members(root)
            for policy in resource_policies(member, text, known)]


def resource_members(root: JsonObject) -> list[JsonMember]:
    """The members of the template's `Resources` (none when it is no mapping)."""
    section = root.value_of("Resources")
    return section.members if isinstance(section, JsonObject) else []


def resource_parts(member: JsonMember) -> tuple[str, str, JsonObject] | None:
    """A resource's logical id, type and properties; None without a literal `Type` and
    `Properties` mapping."""
    resource = member.value
    if not isinstance(resource, JsonObject):
        return None
    kind = resource.value_of("Type")
    properties = resource.value_of("Properties")
    if isinstance(kind, JsonString) and isinstance(properties, JsonObject):
        return member.key.value, kind.value, properties
    return None


def resource_policies(member: JsonMember, text: str,
                      known: Mapping[str, str]) -> list[EmbeddedPolicy]:
    """The policy documents of one resource (a member of `Resources`), in template order;
    `known`: the template's parameters with a single allowed value (`single_values`)."""
    parts = resource_parts(member)
    if parts is None:
        return []
    logical_id, type_name, properties = parts
    found: list[EmbeddedPolicy] = []
    for path, policy_type in LOCATIONS.get(type_name, ()):
        for label, node in _at_path(properties, path, logical_id):
            found.extend(replace(policy, resource_type=type_name) if policy_type is _RESOURCE
                         else policy for policy in _documents(node, text, policy_type, label,
                                                               known))
    if type_name in STATEMENT_LOCATIONS:
        path, policy_type = STATEMENT_LOCATIONS[type_name]
        for label, node in _at_path(properties, path, logical_id):
            found.extend(_statements(node, text, policy_type, label, known))
    if type_name == "AWS::Organizations::Policy":
        kind = properties.value_of("Type")
        control = ORGANIZATIONS_POLICY_TYPES.get(
            kind.value if isinstance(kind, JsonString) else "")
        if control is not None:
            for label, node in _at_path(properties, ("Content",), logical_id):
                found.extend(_documents(node, text, control, label, known))
    if type_name in SAM_POLICIES:
        found.extend(_sam_policies(properties.value_of("Policies"), text, logical_id, known))
    if type_name in EXECUTE_API_SHORTHAND:
        for embedded in found:
            _unknown_api_resources(embedded.root, text)
    return found


def _at_path(node: JsonValue | None, path: tuple[str, ...],
             label: str) -> Iterator[tuple[str, JsonValue]]:
    if not path:
        if node is not None:
            yield label, node
        return
    step, rest = path[0], path[1:]
    if step == "*":
        for i, item in enumerate(_entries(node)):
            yield from _at_path(item, rest, f"{label}[{i}]")
    elif isinstance(node, JsonObject) and function_name(node) is None:
        # The label names the entry (`Role.Policies[0]`), not the property inside it.
        yield from _at_path(node.value_of(step), rest,
                            label if label.endswith("]") else f"{label}.{step}")


def _entries(node: JsonValue | None) -> list[JsonValue]:
    """The items of a list, with an `Fn::If` item unfolded into its branches."""
    if not isinstance(node, JsonArray):
        return []
    items: list[JsonValue] = []
    for item in node.items:
        items.extend(_branches(item))
    return items


def _branches(node: JsonValue) -> list[JsonValue]:
    arguments = node.members[0].value if isinstance(node, JsonObject) and function_name(
        node) == "Fn::If" else None
    if isinstance(arguments, JsonArray) and len(arguments.items) == 3:
        return [branch for item in arguments.items[1:] if not is_no_value(item)
                for branch in _branches(item)]
    return [node]


def _documents(node: JsonValue, text: str, policy_type: PolicyType, label: str,
               known: Mapping[str, str]) -> Iterator[EmbeddedPolicy]:
    for document in _branches(node):
        if isinstance(document, JsonObject) and function_name(document) is None:
            substituted: list[Span] = []
            evaluated = evaluate(document, text, known, substituted)
            assert evaluated is not None
            yield EmbeddedPolicy(evaluated, policy_type, label, tuple(substituted))
        elif (written := json_policy(document, text, known)) is not None:
            yield EmbeddedPolicy(written.root, policy_type, label, written.substituted,
                                 written.text)


def _statements(node: JsonValue, text: str, policy_type: PolicyType, label: str,
                known: Mapping[str, str]) -> Iterator[EmbeddedPolicy]:
    """One statement (a mapping) or a list of them, inside a policy made up around it."""
    for value in _branches(node):
        if (written := json_policy(value, text, known)) is not None:
            yield EmbeddedPolicy(_wrapped(written.root), policy_type, label,
                                 written.substituted, written.text)
            continue
        if function_name(value) is not None or not isinstance(value, JsonObject | JsonArray):
            continue
        substituted: list[Span] = []
        evaluated = evaluate(value, text, known, substituted)
        assert evaluated is not None
        yield EmbeddedPolicy(_wrapped(evaluated), policy_type, label, tuple(substituted))


def _wrapped(statements: JsonValue) -> JsonObject:
    """`{"Version": "2012-10-17", "Statement": statements}` over the statements' span; the
    added keys and value take no room in the text (nothing can be reported or fixed there)."""
    at = statements.start

    def empty(value: str) -> JsonString:
        return JsonString(at, at, value, verbatim=False, quote_len=0)

    return JsonObject(at, statements.end, [JsonMember(empty("Version"), empty(_VERSION)),
                                           JsonMember(empty("Statement"), statements)])


def _unknown_api_resources(root: JsonValue, text: str) -> None:
    """`execute-api:/…` resources of the policy's statements made unknown, in place (the
    evaluated policy is a copy of the template's nodes)."""
    statements = root.value_of("Statement") if isinstance(root, JsonObject) else None
    for statement in statements.items if isinstance(statements, JsonArray) else [statements]:
        if not isinstance(statement, JsonObject):
            continue
        for member in statement.members:
            if member.key.value not in ("Resource", "NotResource"):
                continue
            if isinstance(member.value, JsonArray):
                member.value.items = [_shorthand(item, text) for item in member.value.items]
            elif member.value is not None:
                member.value = _shorthand(member.value, text)


def _shorthand(node: JsonValue, text: str) -> JsonValue:
    if isinstance(node, JsonString) and node.value.startswith("execute-api:/"):
        return JsonUnknown(node.start, node.end, text[node.start:node.end])
    return node


def _sam_policies(node: JsonValue | None, text: str, logical_id: str,
                  known: Mapping[str, str]) -> Iterator[EmbeddedPolicy]:
    """SAM's `Policies`: one entry or a list; only the entries that are documents (a
    mapping with `Statement`) are policies; names, ARNs and policy templates are not."""
    for label, entry in sam_policy_entries(node, logical_id):
        if isinstance(entry, JsonObject) and entry.get("Statement") is not None:
            yield from _documents(entry, text, PolicyType.IDENTITY, label, known)


def sam_policy_entries(node: JsonValue | None, logical_id: str
                       ) -> Iterator[tuple[str, JsonValue]]:
    """The entries of SAM's `Policies` (one entry or a list, `Fn::If` unfolded), labelled."""
    if node is None:
        return
    entries = _entries(node) if isinstance(node, JsonArray) else _branches(node)
    for i, entry in enumerate(entries):
        yield (f"{logical_id}.Policies[{i}]" if isinstance(node, JsonArray)
               else f"{logical_id}.Policies"), entry

"""The policies of a CloudFormation or SAM template, YAML or JSON (both read as the JSON node
model), at the property paths of docs/host-formats.md's A1 and A2 tables.

A document written as a mapping is checked; one written as a string holding JSON, a
managed policy's name or ARN, and SAM's policy templates (`S3ReadPolicy: {…}`) are not (yet).
An `Fn::If` around a document or a list entry is unfolded into both branches.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..document.policy import PolicyType
from ..document.syntax import JsonArray, JsonObject, JsonValue
from .embedded import EmbeddedPolicy
from .intrinsics import evaluate, function_name, is_no_value

_IDENTITY, _RESOURCE, _TRUST = PolicyType.IDENTITY, PolicyType.RESOURCE, PolicyType.TRUST
# Resource type -> property paths ("*": each item of a list) and the policy type there.
LOCATIONS: dict[str, tuple[tuple[tuple[str, ...], PolicyType], ...]] = {
    **{f"AWS::IAM::{kind}": ((("PolicyDocument",), _IDENTITY),)
       for kind in ("Policy", "ManagedPolicy", "RolePolicy", "UserPolicy", "GroupPolicy")},
    "AWS::IAM::Role": ((("Policies", "*", "PolicyDocument"), _IDENTITY),
                       (("AssumeRolePolicyDocument",), _TRUST)),
    "AWS::IAM::User": ((("Policies", "*", "PolicyDocument"), _IDENTITY),),
    "AWS::IAM::Group": ((("Policies", "*", "PolicyDocument"), _IDENTITY),),
    "AWS::SSO::PermissionSet": ((("InlinePolicy",), _IDENTITY),),
    "AWS::S3::BucketPolicy": ((("PolicyDocument",), _RESOURCE),),
    "AWS::SQS::QueuePolicy": ((("PolicyDocument",), _RESOURCE),),
    "AWS::SNS::TopicPolicy": ((("PolicyDocument",), _RESOURCE),),
    "AWS::KMS::Key": ((("KeyPolicy",), _RESOURCE),),
    "AWS::KMS::ReplicaKey": ((("KeyPolicy",), _RESOURCE),),
    "AWS::SecretsManager::ResourcePolicy": ((("ResourcePolicy",), _RESOURCE),),
    "AWS::ECR::Repository": ((("RepositoryPolicyText",), _RESOURCE),),
    "AWS::Serverless::Function": ((("AssumeRolePolicyDocument",), _TRUST),),
}
# SAM resources whose `Policies` take managed policy names, templates or documents.
SAM_POLICIES = frozenset({"AWS::Serverless::Function", "AWS::Serverless::StateMachine"})
TEMPLATE_KEYS = ("Resources", "AWSTemplateFormatVersion")


def is_template(root: JsonValue | None) -> bool:
    """A template has `Resources` or `AWSTemplateFormatVersion` at the top."""
    return isinstance(root, JsonObject) and any(root.get(key) is not None
                                                for key in TEMPLATE_KEYS)


def find_policies(root: JsonObject, text: str) -> list[EmbeddedPolicy]:
    """Every policy document of the template, in template order."""
    resources = root.value_of("Resources")
    if not isinstance(resources, JsonObject):
        return []
    found: list[EmbeddedPolicy] = []
    for member in resources.members:
        resource = member.value
        if not isinstance(resource, JsonObject):
            continue
        kind = resource.value_of("Type")
        properties = resource.value_of("Properties")
        if function_name(kind) is not None or not isinstance(properties, JsonObject):
            continue
        type_name = getattr(kind, "value", None)
        logical_id = member.key.value
        for path, policy_type in LOCATIONS.get(type_name, ()) if isinstance(
                type_name, str) else ():
            for label, node in _at_path(properties, path, logical_id):
                found.extend(_documents(node, text, policy_type, label))
        if type_name in SAM_POLICIES:
            found.extend(_sam_policies(properties.value_of("Policies"), text, logical_id))
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


def _documents(node: JsonValue, text: str, policy_type: PolicyType,
               label: str) -> Iterator[EmbeddedPolicy]:
    for document in _branches(node):
        if isinstance(document, JsonObject) and function_name(document) is None:
            evaluated = evaluate(document, text)
            assert evaluated is not None
            yield EmbeddedPolicy(evaluated, policy_type, label)


def _sam_policies(node: JsonValue | None, text: str, logical_id: str) -> Iterator[EmbeddedPolicy]:
    """SAM's `Policies`: one entry or a list; only the entries that are documents (a
    mapping with `Statement`) are policies; names, ARNs and policy templates are not."""
    if node is None:
        return
    entries = _entries(node) if isinstance(node, JsonArray) else _branches(node)
    for i, entry in enumerate(entries):
        if isinstance(entry, JsonObject) and entry.get("Statement") is not None:
            label = f"{logical_id}.Policies[{i}]" if isinstance(node, JsonArray) else (
                f"{logical_id}.Policies")
            yield from _documents(entry, text, PolicyType.IDENTITY, label)

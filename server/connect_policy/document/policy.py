"""The policy model over the recovered syntax tree: document, statements, elements.

Also decides whether a JSON document is a policy at all: the server stays silent on other
JSON (package.json, tsconfig.json) unless told otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

from .syntax import (
    JsonArray,
    JsonMember,
    JsonObject,
    JsonString,
    JsonUnknown,
    JsonValue,
    ParseResult,
)

STATEMENT_ELEMENTS = ("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
                      "Resource", "NotResource", "Condition")
ACTION_ELEMENTS = ("Action", "NotAction")


class PolicyType(Enum):
    """What a policy is, from where it sits in a template (Access Analyzer's policy types; a
    role's trust policy is a resource policy with rules of its own)."""

    IDENTITY = "identity"
    RESOURCE = "resource"
    TRUST = "trust"
    # A policy whose use is not known where it is written (a Terraform
    # `aws_iam_policy_document` that no argument of its file consumes): only the checks that
    # hold for every type run (no `MISSING_RESOURCE`, no identity size quota).
    UNKNOWN = "unknown"
    # AWS Organizations' service and resource control policies (`AWS::Organizations::Policy`
    # of those types): only the checks that hold for every policy type apply to them.
    SERVICE_CONTROL = "service-control"
    RESOURCE_CONTROL = "resource-control"

    @property
    def label(self) -> str:
        """How the outline and messages name it: "trust policy"."""
        return f"{self.value} policy"


# The names users give a type: ours ("trust"), and Access Analyzer's `--policy-type` values
# ("RESOURCE_POLICY"; Access Analyzer checks a trust policy as a resource policy of type
# "AWS::IAM::AssumeRolePolicyDocument", which has no name of its own there).
POLICY_TYPE_NAMES = ("identity", "resource", "trust", "service-control", "resource-control")
_TYPE_ALIASES = {
    **{kind.value: kind for kind in PolicyType if kind is not PolicyType.UNKNOWN},
    "identity-policy": PolicyType.IDENTITY, "resource-policy": PolicyType.RESOURCE,
    "trust-policy": PolicyType.TRUST, "role-trust": PolicyType.TRUST,
    "role-trust-policy": PolicyType.TRUST, "scp": PolicyType.SERVICE_CONTROL,
    "service-control-policy": PolicyType.SERVICE_CONTROL, "rcp": PolicyType.RESOURCE_CONTROL,
    "resource-control-policy": PolicyType.RESOURCE_CONTROL,
}


def parse_policy_type(name: str) -> PolicyType | None:
    """The type a setting names ("trust", "RESOURCE_POLICY", "service-control"); None when
    it names none."""
    return _TYPE_ALIASES.get(name.strip().lower().replace("_", "-").replace(" ", "-"))


class DocumentKind(Enum):
    POLICY = "policy"  # an object with Statement or Version
    STATEMENT = "statement"  # a lone statement object, without the policy wrapper
    STATEMENTS = "statements"  # a bare array of statements, without the policy wrapper
    EMPTY = "empty"  # nothing but whitespace (or comments)
    OTHER = "other"  # JSON that is not a policy


@dataclass(eq=False, slots=True)
class Statement:
    node: JsonObject
    # JSON path of the statement, e.g. ("Statement", 2); () for a lone statement.
    path: tuple[str | int, ...]

    def member(self, name: str) -> JsonMember | None:
        return self.node.get(name)

    def value(self, name: str) -> JsonValue | None:
        return self.node.value_of(name)


@dataclass(eq=False, slots=True)
class Policy:
    parse: ParseResult
    kind: DocumentKind
    root: JsonObject | None
    statements: list[Statement] = field(default_factory=list)
    # The array of a STATEMENTS document (`root` is then None).
    array: JsonArray | None = None

    @property
    def is_policy(self) -> bool:
        return self.kind is not DocumentKind.OTHER


def _looks_like_statement(node: JsonObject) -> bool:
    keys = {m.key.value for m in node.members}
    return ("Effect" in keys and bool(keys & {"Action", "NotAction"})) or (
        "Sid" in keys and bool(keys & {"Effect", "Action", "NotAction", "Resource"}))


def build_policy(parse: ParseResult, assume_policy: bool = False) -> Policy:
    """The policy model; `assume_policy` treats any top-level object as a policy."""
    root = parse.root
    if root is None:
        return Policy(parse, DocumentKind.EMPTY, None)
    if isinstance(root, JsonArray):
        return _statement_array(parse, root, assume_policy)
    if not isinstance(root, JsonObject):
        return Policy(parse, DocumentKind.OTHER, None)
    keys = {m.key.value for m in root.members}
    if "Statement" in keys or "Version" in keys or (assume_policy and not _looks_like_statement(
            root)):
        policy = Policy(parse, DocumentKind.POLICY, root)
        statements = root.value_of("Statement")
        if isinstance(statements, JsonObject):
            policy.statements.append(Statement(statements, ("Statement",)))
        elif isinstance(statements, JsonArray):
            for i, item in enumerate(statements.items):
                if isinstance(item, JsonObject):
                    policy.statements.append(Statement(item, ("Statement", i)))
    elif _looks_like_statement(root):
        policy = Policy(parse, DocumentKind.STATEMENT, root)
        policy.statements.append(Statement(root, ()))
    else:
        return Policy(parse, DocumentKind.OTHER, root)
    # Objects pasted after the document are usually more statements: check them too.
    for extra in parse.extra_roots:
        if isinstance(extra, JsonObject) and _looks_like_statement(extra):
            policy.statements.append(Statement(extra, ()))
    return policy


def _statement_array(parse: ParseResult, array: JsonArray, assume_policy: bool) -> Policy:
    """A bare array of statements (what goes in `Statement`), pasted on its own: every item
    an object, and one of them recognisably a statement (or any objects, when the file is
    a policy by the user's settings)."""
    objects = [item for item in array.items if isinstance(item, JsonObject)]
    if not objects or len(objects) != len(array.items) or not (
            assume_policy or any(_looks_like_statement(o) for o in objects)):
        return Policy(parse, DocumentKind.OTHER, None)
    policy = Policy(parse, DocumentKind.STATEMENTS, None, array=array)
    policy.statements.extend(Statement(o, (i,)) for i, o in enumerate(objects))
    return policy


# Actions that let a principal assume a role (or pass what goes with the session): a policy
# whose statements grant only these to a `Principal` is a role's trust policy.
_ROLE_ASSUMPTION_ACTIONS = frozenset({
    "sts:assumerole", "sts:assumerole*", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
    "sts:tagsession", "sts:setsourceidentity", "sts:setcontext"})
_PRINCIPAL_ELEMENTS = ("Principal", "NotPrincipal")


def is_role_assumption(action: str) -> bool:
    """Whether an action (as written, any case) is one that only a role's trust policy grants."""
    return action.lower() in _ROLE_ASSUMPTION_ACTIONS


def infer_policy_type(policy: Policy) -> PolicyType:
    """A policy file's type from its content: a `Principal` (or `NotPrincipal`) in some
    statement makes it a resource policy, and a role's trust policy when every action its
    statements name is a role-assumption action (`sts:AssumeRole*`, `sts:TagSession`,
    `sts:SetSourceIdentity`, `sts:SetContext`); otherwise it is an identity policy."""
    statements = policy.statements
    if not any(s.member(name) is not None for s in statements for name in _PRINCIPAL_ELEMENTS):
        return PolicyType.IDENTITY
    actions = [node.value.lower() for s in statements for node, _ in strings_in(
        s.value("Action"))]
    if actions and all(a in _ROLE_ASSUMPTION_ACTIONS for a in actions) and not any(
            s.member("NotAction") is not None for s in statements):
        return PolicyType.TRUST
    return PolicyType.RESOURCE


def strings_in(value: JsonValue | None) -> Iterator[tuple[JsonString, int | None]]:
    """The strings of an element that holds a string or an array of strings, with indices.
    A value known only at deploy time (`JsonUnknown`) yields the strings of the values it
    may take (both branches of an `Fn::If`), with no index: they are not items of `value`."""
    if isinstance(value, JsonString):
        yield value, None
    elif isinstance(value, JsonArray):
        for i, item in enumerate(value.items):
            if isinstance(item, JsonString):
                yield item, i
            elif isinstance(item, JsonUnknown):
                yield from _alternative_strings(item)
    elif isinstance(value, JsonUnknown):
        yield from _alternative_strings(value)


def _alternative_strings(unknown: JsonUnknown) -> Iterator[tuple[JsonString, int | None]]:
    for alternative in unknown.alternatives:
        for node, _ in strings_in(alternative):
            yield node, None


def node_at(root: JsonValue | None, path: tuple[str | int, ...] | list[str | int]
            ) -> JsonValue | JsonMember | None:
    """The node a JSON path leads to; for a final key, the member (so its key can be shown)."""
    node: JsonValue | JsonMember | None = root
    for step in path:
        if isinstance(node, JsonMember):
            node = node.value
        if isinstance(step, str) and isinstance(node, JsonObject):
            node = node.get(step)
        elif isinstance(step, int) and isinstance(node, JsonArray) and 0 <= step < len(
                node.items):
            node = node.items[step]
        else:
            return None
    return node

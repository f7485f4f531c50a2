"""AWS global condition context keys, as data.

Source: the AWS IAM User Guide page "AWS global condition context keys"
(reference_policies_condition-keys), including the cross-service keys it lists
(ec2:, glue:, codebuild:, lambda:, ssm:, identitystore:). For every key the page
gives a data type and a value type (single-valued or multivalued); `type` and
`multivalued` below carry those. Descriptions are summaries, not quotations.

Keys the page writes as `aws:PrincipalTag/tag-key` are stored as templates
(`aws:PrincipalTag/${TagKey}`); `find_global_key` matches any concrete tag key
against them. Context key names are not case-sensitive in IAM ("IAM JSON policy
elements: Condition"), so every lookup here ignores case.

Extensions to the bare schema, all taken from the same page:

* `alternate_types` - other operator families the page says the key works with
  (aws:EpochTime is "Date, Numeric"; for ARN keys the page says string operators
  also work but ARN operators are recommended; aws:FederatedProvider is a string
  for AWS built-in IdPs and an ARN otherwise).
* `sensitive` - the page's "Sensitive condition keys" list: keys for which a
  wildcard in the value has no valid use.

No key on the page is marked deprecated, so every entry has `deprecated=False`.
"""

from __future__ import annotations

from dataclasses import dataclass

TAG_KEY_PLACEHOLDER = "${TagKey}"
"""Placeholder that marks a template key such as `aws:ResourceTag/${TagKey}`."""


@dataclass(frozen=True, slots=True)
class GlobalConditionKey:
    """One global (or cross-service) condition context key."""

    name: str
    """Canonical spelling, e.g. `aws:SourceIp`; tag keys as `aws:PrincipalTag/${TagKey}`."""
    type: str
    """IAM data type: "String", "ARN", "Bool", "Date", "IPAddress" or "Numeric"."""
    multivalued: bool
    """True when the request context can hold several values (needs ForAllValues/ForAnyValue)."""
    description: str
    deprecated: bool = False
    replacement: str | None = None
    """For a deprecated key, the key to use instead."""
    alternate_types: tuple[str, ...] = ()
    """Other operator families the documentation says this key also works with."""
    sensitive: bool = False
    """Listed by AWS as sensitive: wildcards in its values have no valid use."""

    @property
    def is_template(self) -> bool:
        """True for keys whose last segment is a tag key, e.g. `aws:RequestTag/${TagKey}`."""
        return self.name.endswith("/" + TAG_KEY_PLACEHOLDER)

    @property
    def template_prefix(self) -> str | None:
        """For a template key, the text before the tag key (`aws:RequestTag/`); else None."""
        if not self.is_template:
            return None
        return self.name[: -len(TAG_KEY_PLACEHOLDER)]

    @property
    def accepted_types(self) -> tuple[str, ...]:
        """`type` followed by `alternate_types`."""
        return (self.type, *self.alternate_types)


def _k(
    name: str,
    type_: str,
    description: str,
    *,
    multivalued: bool = False,
    alternate_types: tuple[str, ...] = (),
    sensitive: bool = False,
) -> GlobalConditionKey:
    return GlobalConditionKey(
        name=name,
        type=type_,
        multivalued=multivalued,
        description=description,
        alternate_types=alternate_types,
        sensitive=sensitive,
    )


# Order follows the page: principal, role session, network, resource, request.
GLOBAL_CONDITION_KEYS: tuple[GlobalConditionKey, ...] = (
    # --- Properties of the principal ---------------------------------------------------
    _k(
        "aws:PrincipalArn",
        "ARN",
        "ARN of the principal that sent the request. For a role session it is the role's ARN, "
        "not the assumed-role session ARN.",
        alternate_types=("String",),
    ),
    _k(
        "aws:PrincipalAccount",
        "String",
        "Account ID that the requesting principal belongs to; anonymous requests carry the "
        "value `anonymous`.",
        sensitive=True,
    ),
    _k(
        "aws:PrincipalOrgPaths",
        "String",
        "AWS Organizations paths (organization, root and OUs) of the requesting principal's "
        "account. Only present when that account is in an organization.",
        multivalued=True,
    ),
    _k(
        "aws:PrincipalOrgID",
        "String",
        "ID of the AWS Organizations organization that the requesting principal's account "
        "is a member of.",
        sensitive=True,
    ),
    _k(
        "aws:PrincipalTag/${TagKey}",
        "String",
        "Value of the named tag attached to the requesting IAM user or role, or passed as a "
        "session tag. One context key exists per tag on the principal.",
    ),
    _k(
        "aws:PrincipalIsAWSService",
        "Bool",
        "True when an AWS service principal (for example cloudtrail.amazonaws.com) calls your "
        "resource directly; false for IAM principals and for services acting with a "
        "principal's credentials or a service role.",
    ),
    _k(
        "aws:PrincipalServiceName",
        "String",
        "Name of the AWS service principal making a direct call to your resource. Absent for "
        "every other kind of caller.",
    ),
    _k(
        "aws:PrincipalServiceNamesList",
        "String",
        "Unordered list of all service principal names of the (possibly Regional) service "
        "calling your resource directly. Use it with ForAnyValue or ForAllValues.",
        multivalued=True,
    ),
    _k(
        "aws:PrincipalType",
        "String",
        "Kind of principal behind the request, such as Account, User, FederatedUser, "
        "AssumedRole or Anonymous.",
    ),
    _k(
        "aws:userid",
        "String",
        "Unique identifier of the requester. Its shape depends on the principal type, e.g. "
        "the user ID for an IAM user or role-id:session-name for a role session.",
    ),
    _k(
        "aws:username",
        "String",
        "Friendly name of the requesting IAM user. Not present for roles, the root user, "
        "IAM Identity Center users or anonymous callers.",
    ),
    # --- Properties of a role session --------------------------------------------------
    _k(
        "aws:AssumedRoot",
        "Bool",
        "Marks requests signed with credentials from sts:AssumeRoot, i.e. a privileged root "
        "session on an organization member account.",
    ),
    _k(
        "aws:FederatedProvider",
        "String",
        "Identity provider that authenticated the federated identity behind a role assumed "
        "with AssumeRoleWithWebIdentity. A plain name for AWS built-in IdPs such as Cognito, "
        "the OIDC provider's ARN otherwise.",
        alternate_types=("ARN",),
    ),
    _k(
        "aws:TokenIssueTime",
        "Date",
        "When the temporary security credentials that signed the request were issued. "
        "Only present for temporary credentials.",
    ),
    _k(
        "aws:SignInSessionArn",
        "ARN",
        "ARN of the AWS Sign-In OAuth session (e.g. `aws login` or the AWS MCP Server) the "
        "credentials came from. Not present for console sessions.",
        alternate_types=("String",),
    ),
    _k(
        "aws:MultiFactorAuthAge",
        "Numeric",
        "Number of seconds since the requester authenticated with MFA. Only present for "
        "temporary credentials obtained with MFA.",
    ),
    _k(
        "aws:MultiFactorAuthPresent",
        "Bool",
        "Whether MFA was used to obtain the temporary credentials that signed the request. "
        "Missing for long-term access keys, so AWS suggests the ...IfExists operators.",
    ),
    _k(
        "aws:ChatbotSourceArn",
        "ARN",
        "ARN of the chat channel configuration from which Amazon Q Developer in chat "
        "applications started the role session.",
    ),
    _k(
        "aws:Ec2InstanceSourceVpc",
        "String",
        "ID of the VPC into which Amazon EC2 instance role credentials were delivered; most "
        "useful compared against aws:SourceVpc.",
    ),
    _k(
        "aws:Ec2InstanceSourcePrivateIPv4",
        "IPAddress",
        "Private IPv4 address of the primary network interface of the EC2 instance that "
        "received the role credentials. Always pair it with aws:Ec2InstanceSourceVpc.",
    ),
    _k(
        "aws:SourceIdentity",
        "String",
        "Source identity set when the role was assumed. It cannot be changed later and "
        "carries over through role chaining.",
    ),
    _k(
        "ec2:RoleDelivery",
        "Numeric",
        "Version of the Instance Metadata Service (1.0 or 2.0) that delivered the EC2 "
        "instance's role credentials.",
    ),
    _k(
        "ec2:SourceInstanceArn",
        "ARN",
        "ARN of the EC2 instance from which the role session was created.",
    ),
    _k(
        "glue:RoleAssumedBy",
        "String",
        "Set to glue.amazonaws.com when the AWS Glue service itself calls AWS with a service "
        "role on your behalf.",
    ),
    _k(
        "glue:CredentialIssuingService",
        "String",
        "Set to glue.amazonaws.com on requests made with a service role from an AWS Glue job "
        "or development endpoint.",
    ),
    _k(
        "codebuild:BuildArn",
        "ARN",
        "ARN of the CodeBuild build that received the role credentials. The build ID part is "
        "generated at run time, so it is usually matched with a wildcard.",
    ),
    _k(
        "codebuild:ProjectArn",
        "ARN",
        "ARN of the CodeBuild project whose build received the role credentials.",
    ),
    _k(
        "lambda:SourceFunctionArn",
        "ARN",
        "ARN of the Lambda function whose execution environment received the role credentials.",
    ),
    _k(
        "ssm:SourceInstanceArn",
        "ARN",
        "ARN of the AWS Systems Manager managed instance that received role credentials. "
        "Absent when the credentials come from an EC2 instance profile.",
    ),
    _k(
        "identitystore:UserId",
        "String",
        "IAM Identity Center (Identity Store) user ID of the workforce user making the request.",
    ),
    # --- Properties of the network -----------------------------------------------------
    _k(
        "aws:SourceIp",
        "IPAddress",
        "Public IPv4 or IPv6 address the request came from. Not present when the request "
        "goes through a VPC endpoint.",
    ),
    _k(
        "aws:SourceVpc",
        "String",
        "ID of the VPC whose VPC endpoint the request travelled through. Only present for "
        "requests made through a VPC endpoint.",
        sensitive=True,
    ),
    _k(
        "aws:SourceVpcArn",
        "ARN",
        "ARN of the VPC whose VPC endpoint the request travelled through; available for a "
        "listed set of services.",
        alternate_types=("String",),
    ),
    _k(
        "aws:SourceVpce",
        "String",
        "ID of the VPC endpoint through which the request was made.",
        sensitive=True,
    ),
    _k(
        "aws:VpceAccount",
        "String",
        "Account ID that owns the VPC endpoint the request came through; supported by a "
        "subset of services.",
        sensitive=True,
    ),
    _k(
        "aws:VpceOrgID",
        "String",
        "Organization ID of the account that owns the VPC endpoint the request came through.",
        sensitive=True,
    ),
    _k(
        "aws:VpceOrgPaths",
        "String",
        "AWS Organizations paths of the account that owns the VPC endpoint the request came "
        "through.",
        multivalued=True,
    ),
    _k(
        "aws:VpcSourceIp",
        "IPAddress",
        "Requester's IP address as seen through a VPC endpoint. Combine it with "
        "aws:SourceVpc, aws:SourceVpce or aws:SourceVpcArn, since private ranges overlap.",
    ),
    # --- Properties of the resource ----------------------------------------------------
    _k(
        "aws:ResourceAccount",
        "String",
        "Account ID that owns the resource being accessed.",
        sensitive=True,
    ),
    _k(
        "aws:ResourceOrgID",
        "String",
        "Organization ID of the account that owns the resource being accessed.",
        sensitive=True,
    ),
    _k(
        "aws:ResourceOrgPaths",
        "String",
        "AWS Organizations paths of the account that owns the resource being accessed.",
        multivalued=True,
    ),
    _k(
        "aws:ResourceTag/${TagKey}",
        "String",
        "Value of the named tag on the resource being accessed, or on the resource being "
        "created with that tag. Tag-key matching ignores case; the value does not.",
    ),
    # --- Properties of the request -----------------------------------------------------
    _k(
        "aws:CalledVia",
        "String",
        "Ordered list of the service principals that made requests on the principal's "
        "behalf with forward access sessions; the order cannot be enforced in a condition.",
        multivalued=True,
    ),
    _k(
        "aws:CalledViaFirst",
        "String",
        "Service principal of the first service in the chain of forward-access-session "
        "requests made with the principal's credentials.",
    ),
    _k(
        "aws:CalledViaLast",
        "String",
        "Service principal of the last service in the chain of forward-access-session "
        "requests made with the principal's credentials.",
    ),
    _k(
        "aws:CalledViaAWSMCP",
        "String",
        "Service principal of the AWS MCP service that issued the request with the "
        "principal's credentials.",
    ),
    _k(
        "aws:ViaAWSService",
        "Bool",
        "True when an AWS service makes the request on the principal's behalf using forward "
        "access sessions; false when the principal calls directly.",
    ),
    _k(
        "aws:ViaAWSMCPService",
        "Bool",
        "True when an AWS MCP service forwards the request to another AWS service on the "
        "principal's behalf; false for direct calls.",
    ),
    _k(
        "aws:CurrentTime",
        "Date",
        "Date and time at which the request is made. Always present.",
    ),
    _k(
        "aws:EpochTime",
        "Date",
        "Time of the request as seconds since the Unix epoch. Works with both date and "
        "numeric operators. Always present.",
        alternate_types=("Numeric",),
    ),
    _k(
        "aws:referer",
        "String",
        "HTTP Referer header sent by the caller's browser. Caller-controlled, so it must not "
        "be relied on to keep unauthorized parties out.",
    ),
    _k(
        "aws:RequestedRegion",
        "String",
        "AWS Region the request is sent to. Global services such as IAM always report us-east-1.",
    ),
    _k(
        "aws:RequestTag/${TagKey}",
        "String",
        "Value of the named tag passed in the request. There is one context key per tag in "
        "the request; each is single-valued.",
    ),
    _k(
        "aws:TagKeys",
        "String",
        "List of the tag keys passed in the request, without their values. Use it with "
        "ForAllValues or ForAnyValue.",
        multivalued=True,
    ),
    _k(
        "aws:SecureTransport",
        "Bool",
        "Whether the request was sent over TLS. Always present.",
    ),
    _k(
        "aws:SourceAccount",
        "String",
        "Account ID of the resource on whose behalf an AWS service principal makes a "
        "service-to-service request; used against confused-deputy problems.",
        sensitive=True,
    ),
    _k(
        "aws:SourceArn",
        "ARN",
        "ARN of the resource on whose behalf an AWS service principal makes a "
        "service-to-service request. Not the principal's ARN (that is aws:PrincipalArn).",
        alternate_types=("String",),
    ),
    _k(
        "aws:SourceOrgID",
        "String",
        "Organization ID of the account owning the resource on whose behalf an AWS service "
        "principal makes a service-to-service request.",
        sensitive=True,
    ),
    _k(
        "aws:SourceOrgPaths",
        "String",
        "AWS Organizations paths of the account owning the resource on whose behalf an AWS "
        "service principal makes a service-to-service request.",
        multivalued=True,
    ),
    _k(
        "aws:UserAgent",
        "String",
        "Client application string from the caller's HTTP User-Agent header. "
        "Caller-controlled, so unsuitable as a security boundary.",
    ),
    _k(
        "aws:IsMcpServiceAction",
        "Bool",
        "True when the action being authorized is itself an MCP service action; it says "
        "nothing about calls the MCP service makes to other services.",
    ),
)


_Template = tuple[str, GlobalConditionKey]
"""A lowercased template prefix (`aws:resourcetag/`) and its key."""


def _build_index() -> tuple[dict[str, GlobalConditionKey], tuple[_Template, ...]]:
    """Lowercased exact names -> key, and the template prefixes, built once at import."""
    exact: dict[str, GlobalConditionKey] = {}
    templates: list[_Template] = []
    for key in GLOBAL_CONDITION_KEYS:
        exact[key.name.lower()] = key
        prefix = key.template_prefix
        if prefix is not None:
            templates.append((prefix.lower(), key))
    return exact, tuple(templates)


_EXACT, _TEMPLATES = _build_index()


def find_global_key(name: str) -> GlobalConditionKey | None:
    """The global key `name` refers to, ignoring case; None if it is not a global key.

    A template such as `aws:ResourceTag/${TagKey}` matches `aws:ResourceTag/<tag>` for any
    non-empty tag (`aws:ResourceTag/` alone matches nothing).
    """
    lowered = name.lower()
    found = _EXACT.get(lowered)
    if found is not None:
        return found
    for prefix, key in _TEMPLATES:
        if len(lowered) > len(prefix) and lowered.startswith(prefix):
            return key
    return None


def global_keys_matching_prefix(prefix: str) -> list[GlobalConditionKey]:
    """Keys whose canonical name starts with `prefix`, ignoring case, in catalog order."""
    lowered = prefix.lower()
    return [key for key in GLOBAL_CONDITION_KEYS if key.name.lower().startswith(lowered)]

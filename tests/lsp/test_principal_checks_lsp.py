"""Access Analyzer's principal checks through the real server: a role trust policy with a
federated principal's wrong action (and its quick fix), an OIDC provider without its
condition keys and a role's session beside the role; a bucket policy with a wildcard in a
principal, a malformed account and a federated principal; a trust policy that lets IAM Roles
Anywhere assume the role without "sts:SetSourceIdentity" (and the quick fix that adds it); a
bucket policy that grants services with no source condition, with a key no service's request
carries (and its fix) and with a network key instead of the source. Each at its range, with
its severity and link."""

from __future__ import annotations

import pytest
from lsp_support import (
    NEOVIM,
    VSCODE,
    PolicyClient,
    apply_edits,
    assert_well_formed,
    edits_of,
    ids,
    summary,
    uri_for,
    within,
)
from lsprotocol import types as lsp

from connect_policy.analysis import analyze

CLIENTS = (VSCODE, NEOVIM)
GITHUB = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
TRUST = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Federated": "cognito-identity.amazonaws.com"},
      "Action": ["sts:AssumeRole", "sts:TagSession"],
      "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:pool"}}
    },
    {
      "Effect": "Allow",
      "Principal": {"Federated": "GITHUB"},
      "Action": "sts:AssumeRoleWithWebIdentity"
    },
    {
      "Effect": "Allow",
      "Principal": {"AWS": [
        "arn:aws:iam::111122223333:role/Deployer",
        "arn:aws:sts::111122223333:assumed-role/Deployer/ci"
      ]},
      "Action": "sts:AssumeRole"
    }
  ]
}
""".replace("GITHUB", GITHUB)
BUCKET = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": ["arn:aws:iam::*:role/reader", "11112222333"]},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-connect-recordings/*"
    },
    {
      "Effect": "Allow",
      "Principal": {"Federated": "accounts.google.com"},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-connect-recordings/*"
    }
  ]
}
"""


def at(text: str, needle: str, context: str = "") -> tuple[int, int, int, int]:
    """The range of `needle` (on one line) in the one occurrence of `context` (or of itself)."""
    context = context or needle
    assert text.count(context) == 1, context
    offset = text.index(context) + context.index(needle)
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1)
    return line, column, line, column + len(needle)


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_trust_policy_principal_checks(client: PolicyClient) -> None:
    uri = uri_for("federated-trust.json")
    mark = client.open(uri, TRUST)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    assert summary(diagnostics) == [
        ("MISMATCHED_ACTION_FOR_PRINCIPAL",
         at(TRUST, "sts:AssumeRole", '["sts:AssumeRole", "sts:TagSession"]')),
        ("MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", at(TRUST, GITHUB)),
        ("REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY",
         at(TRUST, "arn:aws:sts::111122223333:assumed-role/Deployer/ci")),
    ]
    mismatch, oidc, redundant = diagnostics
    for diagnostic in diagnostics:
        assert_well_formed(diagnostic)
    assert mismatch.severity == lsp.DiagnosticSeverity.Error
    assert mismatch.message.startswith('"sts:AssumeRole" cannot be used by '
                                       '"cognito-identity.amazonaws.com"')
    assert oidc.severity == lsp.DiagnosticSeverity.Warning
    assert redundant.severity == lsp.DiagnosticSeverity.Information
    # The quick fix writes the action a web identity provider uses.
    actions = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=mismatch.range,
        context=lsp.CodeActionContext(diagnostics=[mismatch]))), "code actions")
    assert actions
    action = actions[0]
    assert isinstance(action, lsp.CodeAction)
    assert action.title == 'Change to "sts:AssumeRoleWithWebIdentity"' and action.is_preferred
    fixed = apply_edits(TRUST, edits_of(action, uri), client.position_encoding or "utf-16")
    assert '"Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]' in fixed
    assert "MISMATCHED_ACTION_FOR_PRINCIPAL" not in {f.code for f in analyze(fixed).findings}


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_resource_policy_principal_checks(client: PolicyClient) -> None:
    uri = uri_for("bucket-principals.json")
    mark = client.open(uri, BUCKET)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    assert summary(diagnostics) == [
        ("UNSUPPORTED_WILDCARD_IN_PRINCIPAL", at(BUCKET, "arn:aws:iam::*:role/reader")),
        ("INVALID_PRINCIPAL_FORMAT", at(BUCKET, "11112222333")),
        ("FEDERATED_PRINCIPAL_NOT_SUPPORTED", at(BUCKET, '"Federated"')),
    ]
    for diagnostic in diagnostics:
        assert_well_formed(diagnostic)
        assert diagnostic.severity == lsp.DiagnosticSeverity.Error
    assert diagnostics[2].code_description is not None
    assert diagnostics[2].code_description.href.endswith(
        "#access-analyzer-reference-policy-checks-error-federated-principal-not-supported")


ROLES_ANYWHERE = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "rolesanywhere.amazonaws.com"},
      "Action": [
        "sts:AssumeRole",
        "sts:TagSession"
      ],
      "Condition": {
        "ArnEquals": {
          "aws:SourceArn": "arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/a1b2"
        }
      }
    }
  ]
}
"""


SERVICES = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ConnectWritesRecordings",
      "Effect": "Allow",
      "Principal": {"Service": "connect.amazonaws.com"},
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::amzn-connect-recordings/*",
      "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    },
    {
      "Sid": "LogsFromOurNetwork",
      "Effect": "Allow",
      "Principal": {"Service": "delivery.logs.amazonaws.com"},
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::amzn-connect-recordings/logs/*",
      "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}
    }
  ]
}
"""


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_roles_anywhere_trust_policy_and_its_quick_fix(client: PolicyClient) -> None:
    uri = uri_for("roles-anywhere-trust.json")
    mark = client.open(uri, ROLES_ANYWHERE)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    assert summary(diagnostics) == [
        ("MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
         at(ROLES_ANYWHERE, "rolesanywhere.amazonaws.com", '"rolesanywhere.amazonaws.com"}')),
    ]
    (missing,) = diagnostics
    assert_well_formed(missing)
    assert missing.severity == lsp.DiagnosticSeverity.Error
    assert 'the policy does not allow "sts:SetSourceIdentity"' in missing.message
    assert missing.code_description is not None
    assert missing.code_description.href.endswith(
        "#access-analyzer-reference-policy-checks-error-missing-action-for-roles-anywhere-"
        "trust-policy")
    actions = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=missing.range,
        context=lsp.CodeActionContext(diagnostics=[missing]))), "code actions")
    assert actions
    action = actions[0]
    assert isinstance(action, lsp.CodeAction)
    assert action.title == 'Add "sts:SetSourceIdentity"' and action.is_preferred
    fixed = apply_edits(ROLES_ANYWHERE, edits_of(action, uri),
                        client.position_encoding or "utf-16")
    assert ('      "Action": [\n        "sts:AssumeRole",\n        "sts:TagSession",\n'
            '        "sts:SetSourceIdentity"\n      ],') in fixed
    assert analyze(fixed).findings == []


@pytest.mark.parametrize("client", CLIENTS, ids=ids(CLIENTS), indirect=True)
async def test_service_principal_checks(client: PolicyClient) -> None:
    uri = uri_for("bucket-services.json")
    mark = client.open(uri, SERVICES)
    diagnostics = await client.diagnostics_of(uri, 1, mark)
    assert summary(diagnostics) == [
        ("RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", at(SERVICES, "connect.amazonaws.com")),
        ("UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", at(SERVICES, "aws:PrincipalOrgID")),
        ("RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", at(SERVICES, "aws:SourceIp")),
    ]
    restrict, unsupported, recommended = diagnostics
    for diagnostic in diagnostics:
        assert_well_formed(diagnostic)
    assert restrict.severity == lsp.DiagnosticSeverity.Warning
    assert unsupported.severity == lsp.DiagnosticSeverity.Error
    assert recommended.severity == lsp.DiagnosticSeverity.Information
    assert recommended.code_description is not None
    assert recommended.code_description.href.endswith(
        "#access-analyzer-reference-policy-checks-suggestion-recommended-condition-key-for-"
        "service-principal")
    # The key a service's request does carry for its source's organization: offered, not
    # preferred; applied, it also restricts the service to that source.
    actions = await within(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=unsupported.range,
        context=lsp.CodeActionContext(diagnostics=[unsupported]))), "code actions")
    fixes = [a for a in actions or [] if isinstance(a, lsp.CodeAction)
             and a.title == 'Change to "aws:SourceOrgID"']
    assert len(fixes) == 1 and not fixes[0].is_preferred
    fixed = apply_edits(SERVICES, edits_of(fixes[0], uri), client.position_encoding or "utf-16")
    assert '{"StringEquals": {"aws:SourceOrgID": "o-a1b2c3d4e5"}}' in fixed
    assert [f.code for f in analyze(fixed).findings] == [
        "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL"]

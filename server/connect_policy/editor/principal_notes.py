"""What principals mean, in English and Korean: the kinds of a `Principal` object, the forms
of an `AWS` principal, the identity providers of `Federated`, and `*`. Completion shows these
as item documentation and hover as its body (Markdown).
"""

from __future__ import annotations

import re

PRINCIPAL_ELEMENTS = ("Principal", "NotPrincipal")
PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")

_TYPE_NOTES: dict[str, tuple[str, str]] = {
    "AWS": ("AWS accounts, IAM roles, IAM users and assumed-role sessions, by ARN or by "
            "12-digit account ID (`*` for every AWS principal).",
            "AWS 계정, IAM 역할, IAM 사용자, 역할 세션을 ARN이나 12자리 계정 ID로 지정합니다"
            "(`*`는 모든 AWS 보안 주체)."),
    "Service": ("AWS services acting on your behalf, by service principal "
                "(`connect.amazonaws.com`): a service that assumes a role or uses a resource.",
                "사용자를 대신해 동작하는 AWS 서비스를 서비스 보안 주체"
                "(`connect.amazonaws.com`)로 지정합니다. "
                "역할을 맡거나 리소스를 쓰는 서비스입니다."),
    "Federated": ("Users of an external identity provider: a web identity provider "
                  "(`cognito-identity.amazonaws.com`, `accounts.google.com`, ...) or the ARN of "
                  "a SAML or OIDC provider created in IAM. Used in role trust policies with "
                  "`sts:AssumeRoleWithWebIdentity` or `sts:AssumeRoleWithSAML`.",
                  "외부 자격 증명 공급자의 사용자입니다. 웹 자격 증명 공급자"
                  "(`cognito-identity.amazonaws.com`, `accounts.google.com` 등)나 IAM에 만든 "
                  "SAML·OIDC 공급자의 ARN을 씁니다. 역할 신뢰 정책에서 "
                  "`sts:AssumeRoleWithWebIdentity`나 `sts:AssumeRoleWithSAML`과 함께 씁니다."),
    "CanonicalUser": ("An Amazon S3 canonical user ID (64 hexadecimal characters): an "
                      "obfuscated account ID, used in S3 bucket policies, for instance for a "
                      "CloudFront origin access identity.",
                      "Amazon S3 정식 사용자 ID(16진수 64자)로, 계정 ID를 가린 형태입니다. "
                      "S3 버킷 정책에서 씁니다(예: CloudFront 원본 액세스 ID)."),
}

# Web identity providers a role's trust policy names in `Federated` (IAM User Guide,
# "AWS JSON policy elements: Principal", federated web identity principals).
FEDERATED_PROVIDERS: dict[str, tuple[str, str]] = {
    "cognito-identity.amazonaws.com": (
        "Amazon Cognito identity pools: users who got credentials from an identity pool. "
        "Narrow it with the `cognito-identity.amazonaws.com:aud` condition (the pool ID).",
        "Amazon Cognito 자격 증명 풀에서 자격 증명을 받은 사용자입니다. "
        "`cognito-identity.amazonaws.com:aud` 조건(풀 ID)으로 좁히세요."),
    "www.amazon.com": ("Login with Amazon users (web identity federation).",
                       "Login with Amazon 사용자(웹 자격 증명 연동)입니다."),
    "accounts.google.com": ("Google users (web identity federation). Narrow it with the "
                            "`accounts.google.com:aud` condition (your app's client ID).",
                            "Google 사용자(웹 자격 증명 연동)입니다. `accounts.google.com:aud` "
                            "조건(앱의 클라이언트 ID)으로 좁히세요."),
    "graph.facebook.com": ("Facebook users (web identity federation). Narrow it with the "
                           "`graph.facebook.com:app_id` condition.",
                           "Facebook 사용자(웹 자격 증명 연동)입니다. `graph.facebook.com:app_id` "
                           "조건으로 좁히세요."),
}

_ANYONE = (
    "**Anyone**: every principal, anonymous callers included (`\"Principal\": \"*\"` and "
    "`{\"AWS\": \"*\"}` mean the same).",
    "**누구나**: 익명 호출자를 포함한 모든 보안 주체입니다(`\"Principal\": \"*\"`와 "
    "`{\"AWS\": \"*\"}`는 같은 뜻입니다).")
_PUBLIC = ("With `Allow` in a resource policy this makes the resource public, unless a "
           "`Condition` narrows it (`aws:PrincipalOrgID`, `aws:SourceAccount`, "
           "`aws:SourceArn`, ...).",
           "리소스 정책에서 `Allow`와 함께 쓰면 `Condition`으로 좁히지 않는 한 리소스가 "
           "공개됩니다(`aws:PrincipalOrgID`, `aws:SourceAccount`, `aws:SourceArn` 등).")
_DENY_ALL = ("With `Deny` it applies to every caller: a common guard, for instance with "
             "`aws:SecureTransport` or `aws:PrincipalOrgID` conditions.",
             "`Deny`와 함께 쓰면 모든 호출자에게 적용됩니다. `aws:SecureTransport`나 "
             "`aws:PrincipalOrgID` 조건과 함께 자주 쓰는 보호 장치입니다.")

_ACCOUNT_ID = re.compile(r"\d{12}")
_IAM_ARN = re.compile(r"arn:[a-z-]+:(iam|sts)::([^:]*):([a-z-]+)(?:/(.*))?")


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "ko" else pair[0]


def type_note(name: str, lang: str) -> str | None:
    """One line on a principal type (`AWS`, `Service`, ...)."""
    pair = _TYPE_NOTES.get(name)
    return pick(pair, lang) if pair else None


def anyone_note(effect: str | None, lang: str) -> str:
    """`*` as a principal, with what it does under the statement's `Effect`."""
    lines = [pick(_ANYONE, lang)]
    if effect == "Allow":
        lines.append(pick(_PUBLIC, lang))
    elif effect == "Deny":
        lines.append(pick(_DENY_ALL, lang))
    return "\n\n".join(lines)


def federated_note(value: str, lang: str) -> str | None:
    pair = FEDERATED_PROVIDERS.get(value.lower())
    if pair is not None:
        return f"**{value}**: {pick(pair, lang)}"
    match = _IAM_ARN.fullmatch(value)
    if match and match.group(3) in ("saml-provider", "oidc-provider"):
        name = match.group(4) or "…"
        if match.group(3) == "saml-provider":
            return (f"**SAML 공급자** `{name}`(계정 `{match.group(2)}`): 이 SAML 2.0 IdP로 "
                    "로그인한 사용자입니다. 신뢰 정책에서 `sts:AssumeRoleWithSAML`과 함께 쓰고 "
                    "`SAML:aud` 조건을 확인하세요." if lang == "ko" else
                    f"**SAML provider** `{name}` (account `{match.group(2)}`): users signed in "
                    "through this SAML 2.0 identity provider. Used with "
                    "`sts:AssumeRoleWithSAML`; check the `SAML:aud` condition.")
        return (f"**OIDC 공급자** `{name}`(계정 `{match.group(2)}`): 이 OpenID Connect IdP의 "
                "토큰을 가진 사용자입니다(예: GitHub Actions, Amazon EKS). "
                "`sts:AssumeRoleWithWebIdentity`와 함께 쓰고, `aud`와 `sub` 조건으로 "
                "좁히세요." if lang == "ko" else
                f"**OIDC provider** `{name}` (account `{match.group(2)}`): holders of tokens "
                "from this OpenID Connect identity provider (GitHub Actions, Amazon EKS, ...). "
                "Used with `sts:AssumeRoleWithWebIdentity`; narrow it with its `aud` and `sub` "
                "conditions.")
    return None


def aws_note(value: str, lang: str) -> str | None:
    """An `AWS` principal: an account (ID or `:root`), a role, a user, a role session."""
    ko = lang == "ko"
    if _ACCOUNT_ID.fullmatch(value):
        return _account_note(value, ko)
    match = _IAM_ARN.fullmatch(value)
    if match is None:
        return None
    service, account, kind, rest = match.groups()
    if service == "iam" and kind == "root" and rest is None:
        return _account_note(account, ko)
    if service == "iam" and kind == "role":
        return (f"**IAM 역할** `{rest}`(계정 `{account}`): 이 역할을 맡은 세션입니다. 역할이 "
                "삭제되었다 다시 만들어지면 정책은 새 역할을 가리키지 않습니다(내부 ID로 "
                "저장됨)." if ko else
                f"**IAM role** `{rest}` in account `{account}`: sessions of this role. If the "
                "role is deleted and created again, the policy does not trust the new one (IAM "
                "stores the role's unique ID).")
    if service == "iam" and kind == "user":
        return (f"**IAM 사용자** `{rest}`(계정 `{account}`)." if ko else
                f"**IAM user** `{rest}` in account `{account}`.")
    if service == "sts" and kind == "assumed-role":
        return (f"**역할 세션** `{rest}`(계정 `{account}`): 이 이름의 세션 하나입니다." if ko
                else f"**Assumed-role session** `{rest}` in account `{account}`: one named "
                     "session of the role.")
    if service == "sts" and kind == "federated-user":
        return (f"**페더레이션 사용자** `{rest}`(계정 `{account}`, `sts:GetFederationToken`)."
                if ko else f"**Federated user** `{rest}` in account `{account}` "
                           "(`sts:GetFederationToken`).")
    return None


def _account_note(account: str, ko: bool) -> str:
    if ko:
        return (f"**AWS 계정** `{account}`: 이 계정 전체입니다. 루트 사용자만이 아니라, 이 "
                "계정의 자격 증명 기반 정책이 허용한 모든 역할과 사용자가 해당합니다. 계정 ID와 "
                "`arn:aws:iam::" + account + ":root`는 같은 뜻입니다.")
    return (f"**AWS account** `{account}`: the account, not its root user. Every role and user "
            "of that account whose identity-based policies allow it gets access (the account "
            "delegates). The account ID and `arn:aws:iam::" + account + ":root` mean the same.")


# What each Amazon Connect service uses its principal for (written for this tool).
_CONNECT_USES: dict[str, tuple[str, str]] = {
    "connect.amazonaws.com": (
        "Amazon Connect needs it in the policies of what an instance works with: the S3 "
        "buckets and KMS keys of call recordings, chat transcripts and reports, and the Lambda "
        "functions its flows invoke (their resource policies name it, with the instance's ARN "
        "as `aws:SourceArn`).",
        "Amazon Connect 인스턴스가 쓰는 리소스의 정책에 필요합니다. 통화 녹음·채팅 기록·"
        "보고서를 저장하는 S3 버킷과 KMS 키, 흐름이 호출하는 Lambda 함수의 리소스 정책에 이 "
        "보안 주체를 쓰고, 인스턴스 ARN을 `aws:SourceArn`으로 지정합니다."),
    "app-integrations.amazonaws.com": (
        "Amazon AppIntegrations needs it in the key policy of a customer managed KMS key that "
        "encrypts a data integration or an event integration's data.",
        "Amazon AppIntegrations의 데이터 통합이나 이벤트 통합 데이터를 암호화하는 고객 관리형 "
        "KMS 키의 키 정책에 필요합니다."),
    "wisdom.amazonaws.com": (
        "Amazon Q in Connect needs it in the key policy of a customer managed KMS key that "
        "encrypts an assistant or a knowledge base.",
        "Amazon Q in Connect의 어시스턴트나 지식 기반을 암호화하는 고객 관리형 KMS 키의 키 "
        "정책에 필요합니다."),
    "connect-campaigns.amazonaws.com": (
        "Amazon Connect Outbound Campaigns acts through its service-linked role and needs it "
        "in the key policy of a customer managed KMS key that encrypts campaign data.",
        "Amazon Connect Outbound Campaigns는 서비스 연결 역할로 동작하며, 캠페인 데이터를 "
        "암호화하는 고객 관리형 KMS 키의 키 정책에 이 보안 주체가 필요합니다."),
}


def service_note(value: str, service_name: str | None, known: bool, lang: str) -> str:
    """A service principal: which service, what a service principal is, the
    confused-deputy guard to pair it with and, for the Connect services, what for."""
    ko = lang == "ko"
    uses = _CONNECT_USES.get(value.lower())
    if ko:
        head = (f"**{value}**: {service_name}의 서비스 보안 주체입니다." if service_name else
                f"**{value}**: AWS 서비스 보안 주체입니다.")
        lines = [head, "서비스 보안 주체는 사용자를 대신해 동작하는 AWS 서비스입니다. 역할 신뢰 "
                 "정책에서는 그 서비스가 역할을 맡을 수 있게 하고, 리소스 정책에서는 리소스를 "
                 "쓸 수 있게 합니다. 리소스 정책에서는 `aws:SourceAccount`나 `aws:SourceArn` "
                 "조건으로 혼동된 대리인 문제를 막으세요."]
        if uses:
            lines.append(pick(uses, lang))
        if not known:
            lines.append("⚠ 알려진 서비스 보안 주체 목록(AWS 관리형 정책 기준)에 없습니다. "
                         "철자를 확인하세요.")
        return "\n\n".join(lines)
    head = (f"**{value}**: the service principal of {service_name}." if service_name else
            f"**{value}**: an AWS service principal.")
    lines = [head, "A service principal is an AWS service acting on your behalf: in a role's "
             "trust policy it lets the service assume the role, in a resource policy it lets "
             "the service use the resource. In a resource policy, guard against the confused "
             "deputy with `aws:SourceAccount` or `aws:SourceArn` conditions."]
    if uses:
        lines.append(pick(uses, lang))
    if not known:
        lines.append("⚠ Not among the known service principals (those AWS's managed policies "
                     "name): check the spelling.")
    return "\n\n".join(lines)

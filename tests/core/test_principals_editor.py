"""Completion and hover on principals, with the cursor marked `|`."""

from __future__ import annotations

import json

from markers import cursor

from connect_policy.analysis import Settings, analyze
from connect_policy.editor.completion import CompletionList, ItemKind, complete
from connect_policy.editor.hover import Hover, hover
from connect_policy.findings import Severity

TRUST = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": %s, '
         '"Action": "sts:AssumeRole"}]}')


def complete_at(source: str, locale: str | None = None) -> tuple[str, CompletionList]:
    text, offset = cursor(source)
    result = complete(text, offset, locale=locale)
    assert result is not None, f"expected completions in {source!r}"
    return text, result


def applied(text: str, result: CompletionList, label: str) -> str:
    chosen = next(i for i in result.items if i.label == label)
    span = chosen.span or result.span
    return text[:span.start] + chosen.plain_text + text[span.end:]


def hover_at(source: str, locale: str | None = None) -> Hover:
    text, offset = cursor(source)
    result = hover(text, offset, locale)
    assert result is not None, f"expected a hover in {source!r}"
    return result


def test_service_principals_by_prefix_connect_first() -> None:
    text, result = complete_at(TRUST % '{"Service": "conn|"}')
    assert [i.label for i in result.items] == [
        "connect.amazonaws.com", "connect-campaigns.amazonaws.com",
        "eks-connector.amazonaws.com"]
    assert text[result.span.start:result.span.end] == "conn"
    first = result.items[0]
    assert first.kind is ItemKind.VALUE and first.detail == "Amazon Connect"
    assert "service principal of Amazon Connect" in first.documentation
    filled = applied(text, result, "connect.amazonaws.com")
    assert json.loads(filled)["Statement"][0]["Principal"] == {"Service": "connect.amazonaws.com"}
    # A trust policy by its content: no resource needed, and the principal is fine.
    assert [f.code for f in analyze(filled, Settings()).findings
            if f.severity is Severity.ERROR] == []


def test_every_service_principal_when_nothing_is_typed_connect_family_on_top() -> None:
    _, result = complete_at(TRUST % '{"Service": ["lambda.amazonaws.com", "|"]}')
    assert [i.label for i in result.items[:4]] == [
        "connect.amazonaws.com", "app-integrations.amazonaws.com", "wisdom.amazonaws.com",
        "connect-campaigns.amazonaws.com"]
    # 264 principals: cut to the limit, marked incomplete so the client asks again.
    assert len(result.items) == 100 and result.incomplete
    _, result = complete_at(TRUST % '{"Service": "lamb|"}')
    assert result.items[0].label == "lambda.amazonaws.com"


def test_service_principal_before_its_quote_brings_the_quotes() -> None:
    text, result = complete_at(TRUST % '{"Service": |}')
    assert text[result.span.start:result.span.end] == ""
    filled = applied(text, result, "connect.amazonaws.com")
    assert json.loads(filled)["Statement"][0]["Principal"]["Service"] == "connect.amazonaws.com"


def test_aws_principals_are_arn_snippets_with_placeholders() -> None:
    _, result = complete_at(TRUST % '{"AWS": "|"}')
    by_label = {i.label: i for i in result.items}
    root = by_label["arn:aws:iam::{Account}:root"]
    assert root.snippet and root.new_text == "arn:aws:iam::${1:Account}:root"
    assert "not its root user" in root.documentation
    role = by_label["arn:aws:iam::{Account}:role/{RoleName}"]
    assert role.new_text == "arn:aws:iam::${1:Account}:role/${2:RoleName}"
    assert by_label["arn:aws:iam::{Account}:user/{UserName}"].detail == "IAM user"
    assert by_label["{Account}"].new_text == "${1:123456789012}"
    assert "*" in by_label
    assert result.items[0].label == "arn:aws:iam::{Account}:root"
    _, typed = complete_at(TRUST % '{"AWS": "arn:aws:iam::|"}')
    assert [i.label for i in typed.items][:3] == [
        "arn:aws:iam::{Account}:root", "arn:aws:iam::{Account}:role/{RoleName}",
        "arn:aws:iam::{Account}:user/{UserName}"]


def test_federated_providers() -> None:
    _, result = complete_at(TRUST % '{"Federated": "|"}')
    assert [i.label for i in result.items] == [
        "cognito-identity.amazonaws.com", "www.amazon.com", "accounts.google.com",
        "graph.facebook.com", "arn:aws:iam::{Account}:saml-provider/{ProviderName}",
        "arn:aws:iam::{Account}:oidc-provider/{ProviderUrl}"]
    saml = result.items[4]
    assert saml.snippet and saml.new_text == \
        "arn:aws:iam::${1:Account}:saml-provider/${2:ProviderName}"


def test_whole_principal_value_anyone_or_an_object_of_one_type() -> None:
    _, result = complete_at(TRUST % '"|"')
    assert [i.label for i in result.items] == ["*"]
    text, result = complete_at(TRUST % '|')
    assert [i.label for i in result.items] == [
        "*", '{"AWS": …}', '{"Service": …}', '{"Federated": …}', '{"CanonicalUser": …}']
    service = result.items[2]
    assert service.new_text == '{"Service": "$1"}' and service.retrigger
    assert json.loads(applied(text, result, "*"))["Statement"][0]["Principal"] == "*"


def test_principal_types_as_keys_with_a_line_each() -> None:
    _, result = complete_at(TRUST % '{"|"}')
    assert [i.label for i in result.items] == ["AWS", "Service", "Federated", "CanonicalUser"]
    docs = {i.label: i.documentation for i in result.items}
    assert docs["Service"].startswith("AWS services acting on your behalf")
    assert "canonical user ID" in docs["CanonicalUser"]
    assert all(i.retrigger for i in result.items[:3])
    _, korean = complete_at(TRUST % '{"|"}', locale="ko")
    assert "서비스 보안 주체" in korean.items[1].documentation


def test_principal_keys_in_a_resource_policy_and_a_new_file() -> None:
    _, result = complete_at('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
                            '"Principal": "*", "Action": "s3:GetObject", "Resource": "*"}, '
                            '{"Effect": "Deny", "|"}]}')
    names = [i.label for i in sorted(result.items, key=lambda i: i.sort_text)]
    assert names[0] == "Principal" and names[-1] == "NotPrincipal"


def test_hover_on_principal_types() -> None:
    result = hover_at(TRUST % '{"Fed|erated": "accounts.google.com"}')
    assert result.markdown.startswith("**Federated** — principal type\n\nUsers of an external")
    korean = hover_at(TRUST % '{"Fed|erated": "accounts.google.com"}', "ko")
    assert korean.markdown.startswith("**Federated** — 보안 주체 유형")


def test_hover_on_service_principals() -> None:
    source = TRUST % '{"Service": "app-inte|grations.amazonaws.com"}'
    text, offset = cursor(source)
    result = hover(text, offset)
    assert result is not None
    assert text[result.span.start:result.span.end] == "app-integrations.amazonaws.com"
    assert result.markdown.startswith(
        "**app-integrations.amazonaws.com**: the service principal of Amazon AppIntegrations.")
    assert "data integration" in result.markdown
    plain = hover_at(TRUST % '{"Service": "ecs-ta|sks.amazonaws.com"}').markdown
    assert "Amazon Elastic Container Service" in plain and "Amazon Connect" not in plain
    typo = hover_at(TRUST % '{"Service": "conect.amazon|aws.com"}').markdown
    assert "Not among the known service principals" in typo
    assert "Did you mean: `connect.amazonaws.com`" in typo
    korean = hover_at(TRUST % '{"Service": "conn|ect.amazonaws.com"}', "ko").markdown
    assert korean.startswith("**connect.amazonaws.com**: Amazon Connect의 서비스 보안 주체입니다.")


def test_hover_on_aws_principals() -> None:
    root = hover_at(TRUST % '{"AWS": "arn:aws:iam::111122223333:r|oot"}').markdown
    assert root.startswith("**AWS account** `111122223333`: the account, not its root user.")
    account = hover_at(TRUST % '{"AWS": "1111222|23333"}').markdown
    assert account.startswith("**AWS account** `111122223333`")
    role = hover_at(TRUST % '{"AWS": ["arn:aws:iam::111122223333:role/Ops|Admin"]}').markdown
    assert role.startswith("**IAM role** `OpsAdmin` in account `111122223333`")
    user = hover_at(TRUST % '{"AWS": "arn:aws:iam::111122223333:us|er/ana"}', "ko").markdown
    assert user == "**IAM 사용자** `ana`(계정 `111122223333`)."


def test_hover_on_anyone_depends_on_the_effect() -> None:
    allowed = hover_at(TRUST % '"|*"').markdown
    assert allowed.startswith("**Anyone**") and "makes the resource public" in allowed
    denied = hover_at(TRUST.replace("Allow", "Deny") % '{"AWS": "|*"}').markdown
    assert "public" not in denied and "every caller" in denied


def test_hover_on_federated_values() -> None:
    cognito = hover_at(TRUST % '{"Federated": "cognito-ident|ity.amazonaws.com"}').markdown
    assert "identity pool" in cognito and "cognito-identity.amazonaws.com:aud" in cognito
    saml = hover_at(TRUST % '{"Federated": "arn:aws:iam::111122223333:saml-provider/Ok|ta"}')
    assert saml.markdown.startswith("**SAML provider** `Okta` (account `111122223333`)")
    oidc = hover_at(TRUST % '{"Federated": "arn:aws:iam::111122223333:oidc-provider/'
                    'token.actions.github|usercontent.com"}', "ko").markdown
    assert oidc.startswith("**OIDC 공급자** `token.actions.githubusercontent.com`")


def test_a_condition_key_named_like_an_element_is_no_principal() -> None:
    text, offset = cursor('{"Statement": [{"Effect": "Allow", "Condition": {"StringEquals": '
                          '{"Principal": "|"}}}]}')
    result = complete(text, offset)
    assert result is None or "*" not in [i.label for i in result.items]
    assert hover(text.replace('"Principal": ""', '"Principal": "*"'), offset + 1) is None


def test_canonical_user_is_a_tab_stop_for_the_id() -> None:
    """No value to offer but the user's own ID: one snippet, its detail saying what goes
    there, in a string and before the quote."""
    text, result = complete_at(TRUST % '{"CanonicalUser": "|"}')
    (item,) = result.items
    assert (item.label, item.new_text, item.detail, item.snippet) == (
        "{CanonicalUserId}", "${1:CanonicalUserId}",
        "canonical user ID (64 hexadecimal characters)", True)
    assert "`aws s3api list-buckets`" in item.documentation
    assert json.loads(applied(text, result, "{CanonicalUserId}"))["Statement"][0][
        "Principal"] == {"CanonicalUser": "CanonicalUserId"}
    _, bare = complete_at(TRUST % '{"CanonicalUser": |}')
    assert [i.new_text for i in bare.items] == ['"${1:CanonicalUserId}"']
    _, korean = complete_at(TRUST % '{"CanonicalUser": ["|"]}', "ko")
    assert [i.detail for i in korean.items] == ["정식 사용자 ID(16진수 64자)"]


def test_hover_on_a_canonical_user_id_says_when_it_is_not_of_the_form() -> None:
    # The example ID of the AWS documentation: 64 lowercase hexadecimal characters.
    documented = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
    good = hover_at(TRUST % '{"CanonicalUser": "%s|"}' % documented).markdown
    assert good.startswith(f"**{documented}**\n\nAn Amazon S3 canonical user ID")
    assert "⚠" not in good
    for value in ("abc", documented.upper()):
        bad = hover_at(TRUST % '{"CanonicalUser": "%s|"}' % value).markdown
        assert bad.endswith("\n\n⚠ Not 64 lowercase hexadecimal characters, the form in which "
                            "AWS shows canonical user IDs: check the value.")
    assert hover_at(TRUST % '{"CanonicalUser": "ab|c"}', "ko").markdown.endswith(
        "정식 사용자 ID의 형태(16진수 소문자 64자)가 아닙니다. 값을 확인하세요.")
    # No diagnostic: IAM documents no rule for the value's form.
    text, _ = cursor(TRUST % '{"CanonicalUser": "abc|"}')
    assert analyze(text, Settings()).findings == []

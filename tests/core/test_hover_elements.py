"""Hover on Effect, Version and Sid values, condition operators and resource ARNs, in
English and Korean; the `|` marks the cursor, `«…»` the hover's range."""

from __future__ import annotations

from markers import marked

from connect_policy.editor.hover import Hover, hover


def hover_marked(source: str, locale: str | None = None) -> Hover:
    with_cursor, spans = marked(source)
    offset = with_cursor.index("|")
    text = with_cursor.replace("|", "", 1)
    result = hover(text, offset, locale)
    assert result is not None
    (expected,) = spans
    assert (result.span.start, result.span.end) == (expected.start,
                                                    expected.end - 1)  # minus the `|`
    return result


def statement(body: str, version: str = "2012-10-17") -> str:
    return ('{"Version": "' + version + '", "Statement": [{"Sid": "Read", "Effect": "Allow", '
            + body + "}]}")


def test_effect_values() -> None:
    allow = hover_marked(statement('"Action": "s3:GetObject", "Resource": "*"')
                         .replace('"Allow"', '"«Al|low»"')).markdown
    assert allow.startswith("**Allow**: grants")
    assert "an explicit Deny always wins" in allow
    deny = hover_marked('{"Statement": [{"Effect": "«De|ny»"}]}').markdown
    assert deny.startswith("**Deny**") and "Deny wins" in deny
    korean = hover_marked('{"Statement": [{"Effect": "«De|ny»"}]}', "ko").markdown
    assert "명시적 Deny는" in korean and "Deny 우선" in korean
    wrong = hover_marked('{"Statement": [{"Effect": "«al|low»"}]}').markdown
    assert wrong == "**allow** is not an Effect: write exactly `Allow` or `Deny` (case matters)."


def test_version_values() -> None:
    current = hover_marked('{"Version": "«2012|-10-17»", "Statement": []}').markdown
    assert current.startswith("**2012-10-17**: the current policy language version.")
    old = hover_marked('{"Version": "«2008|-10-17»", "Statement": [{"Effect": "Allow", '
                       '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*'
                       '"}]}').markdown
    assert "does not support policy variables" in old
    assert old.endswith("⚠ This policy has 1 policy variables, which stay literal.")
    korean = hover_marked('{"Version": "«2008|-10-17»"}', "ko").markdown
    assert "정책 변수(`${…}`)를 지원하지 않아" in korean


def test_sid_values_and_uniqueness() -> None:
    source = ('{"Version": "2012-10-17", "Statement": [{"Sid": "«Re|ad»", "Effect": "Allow"}, '
              '{"Sid": "Read", "Effect": "Deny"}, {"Sid": "Other"}]}')
    markdown = hover_marked(source).markdown
    assert markdown.startswith("**Sid** (statement ID)")
    assert "must be unique within the policy" in markdown
    assert markdown.endswith("⚠ `Read` is used 2 times in this policy: a Sid must be unique.")
    spaced = hover_marked('{"Statement": [{"Sid": "«Read| all»"}]}').markdown
    assert spaced.endswith("other than ASCII letters and digits (IAM rejects them).")
    assert "⚠" not in hover_marked('{"Statement": [{"Sid": "«Oth|er»"}]}').markdown
    assert "고유해야" in hover_marked('{"Statement": [{"Sid": "«Oth|er»"}]}', "ko").markdown


def test_operators_with_their_pitfalls() -> None:
    source = statement('"Action": "ec2:CreateTags", "Resource": "*", "Condition": '
                       '{"«ForAllValues:String|Equals»": {"aws:TagKeys": ["team"]}}')
    markdown = hover_marked(source).markdown
    assert markdown.startswith("**ForAllValues:StringEquals** (String)\n\nTrue when the key's")
    assert "also when the key is missing or empty" in markdown
    assert "⚠ This statement is an Allow: it also allows requests" in markdown
    deny = hover_marked(source.replace('"Allow"', '"Deny"')).markdown
    assert "This statement is an Allow" not in deny
    single = hover_marked(statement('"Action": "s3:GetObject", "Resource": "*", "Condition": '
                                    '{"«ForAnyValue:String|Like»": {"aws:username": "a*"}}'))
    assert "⚠ `aws:username`: single-valued." in single.markdown
    assert "false when the key is missing" in single.markdown
    multi = hover_marked(statement('"Action": "ec2:CreateTags", "Resource": "*", "Condition": '
                                   '{"«String|Like»": {"aws:TagKeys": "a*"}}')).markdown
    assert "⚠ `aws:TagKeys`: multivalued." in multi
    assert "`*` stands for any run of characters" in multi


def test_if_exists_null_and_korean_operators() -> None:
    if_exists = hover_marked('{"Statement": [{"Condition": {"«StringEqualsIf|Exists»": '
                             '{"aws:RequestedRegion": "eu-west-1"}}}]}').markdown
    assert "`IfExists`: also true when the request has no such key" in if_exists
    null = hover_marked('{"Statement": [{"Condition": {"«Nu|ll»": {"aws:TokenIssueTime": '
                        '"true"}}}]}').markdown
    assert null.startswith("**Null** (Null)\n\nChecks whether the key is absent")
    ip = hover_marked('{"Statement": [{"Condition": {"«IpAdd|ress»": {"aws:SourceIp": '
                      '"203.0.113.0/24"}}}]}', "ko").markdown
    assert ip.startswith("**IpAddress** (IPAddress)\n\n주소가 주어진 IPv4/IPv6 CIDR")
    arn = hover_marked('{"Statement": [{"Condition": {"«Arn|Like»": {}}}]}', "ko").markdown
    assert "ArnEquals와 똑같이 동작합니다" in arn


def test_a_resource_arn_names_its_type_and_the_actions_that_take_it() -> None:
    source = statement('"Action": ["connect:DescribeQueue", "connect:DescribeUser", '
                       '"connect:ListInstances"], "Resource": "«arn:aws:connect:us-east-1:'
                       '111122223333:instance/a1/queue/|q1»"')
    markdown = hover_marked(source).markdown
    assert markdown.splitlines()[2:4] == [
        "Resource types it matches:",
        "- **queue** — `arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}"
        "/queue/${QueueId}`"]
    assert "The statement's actions that take it: `connect:DescribeQueue`" in markdown
    assert "Actions that take other resource types only: `connect:DescribeUser`" in markdown
    assert ("Actions without resource-level permissions (they need `\"Resource\": \"*\"`): "
            "`connect:ListInstances`") in markdown
    korean = hover_marked(source, "ko").markdown
    assert "이 리소스 유형을 받는 작업: `connect:DescribeQueue`" in korean


def test_a_wildcard_arn_covers_every_type_under_it() -> None:
    source = statement('"Action": ["connect:DescribeQueue", "connect:DescribeInstance"], '
                       '"Resource": "«arn:aws:connect:*:*:inst|ance/*»"')
    markdown = hover_marked(source).markdown
    assert "- **instance** — " in markdown and "- **queue** — " in markdown
    assert ("The statement's actions that take it: `connect:DescribeQueue`, "
            "`connect:DescribeInstance`") in markdown
    unknown = hover_marked(statement('"Action": "connect:DescribeQueue", "Resource": '
                                     '"«arn:aws:connect:us-east-1:111122223333:nothing|/x»"')).markdown
    assert "It matches no resource type of `connect` in the catalog." in unknown
    assert "Actions that take other resource types only: `connect:DescribeQueue`" in unknown


def test_every_resource() -> None:
    star = hover_marked(statement('"Action": "s3:GetObject", "Resource": "«|*»"')).markdown
    assert star.startswith("**\\***: every resource the statement's actions apply to.")


def test_not_resource_and_a_wildcard_service() -> None:
    source = statement('"Action": "connect:DescribeQueue", "NotResource": '
                       '"«arn:aws:connect:*:*:instance/a1/queue/|q1»"')
    markdown = hover_marked(source).markdown
    assert markdown.splitlines()[2] == ("NotResource: the statement applies to every resource "
                                        "except those this ARN matches.")
    assert "- **queue** — " in markdown
    any_service = hover_marked(statement('"Action": "connect:DescribeQueue", "Resource": '
                                         '"«arn:aws:*:*:*:instance/|*»"')).markdown
    assert "Its service part is a wildcard: it may name resources of any service." in any_service
    assert "The statement's actions that take it: `connect:DescribeQueue`" in any_service

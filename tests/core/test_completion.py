"""Completion of actions and condition keys, with the cursor marked `|`."""

from __future__ import annotations

from markers import cursor

from connect_policy.editor.completion import CompletionList, ItemKind, complete
from connect_policy.editor.completion_match import ITEM_LIMIT


def complete_at(source: str) -> CompletionList:
    text, offset = cursor(source)
    result = complete(text, offset)
    assert result is not None, "expected completions"
    return result


def ranked(result: CompletionList) -> list[str]:
    # As clients do: the sort text, or the label when there is none.
    return [i.label for i in sorted(result.items, key=lambda i: i.sort_text or i.label)]


def test_service_prefixes_with_connect_family_first() -> None:
    result = complete_at('{"Version": "2012-10-17", "Statement": [{"Action": ["|')
    labels = ranked(result)
    assert labels[:4] == ["connect", "app-integrations", "wisdom", "connect-campaigns"]
    # Some 450 services: the first ones (in the order clients sort them), and the client
    # asks again when the user types.
    assert len(labels) == ITEM_LIMIT and result.incomplete
    first = next(i for i in result.items if i.label == "wisdom")
    assert first.detail == "Amazon Q in Connect"
    assert first.new_text == "wisdom:" and first.retrigger


def test_actions_after_prefix_in_an_unterminated_string_and_array() -> None:
    text, offset = cursor('{"Statement": [{"Effect": "Allow", "Action": ["wisdom:GetAss|\n')
    result = complete(text, offset)
    assert result is not None
    # The edit replaces the whole content typed so far, not just the word after `:`.
    assert text[result.span.start:result.span.end] == "wisdom:GetAss"
    item = next(i for i in result.items if i.label == "wisdom:GetAssistant")
    assert item.kind is ItemKind.ACTION
    # The string has no closing quote: the item brings it (nothing follows, so no comma).
    assert item.new_text == 'wisdom:GetAssistant"'
    assert item.detail == "Read"
    assert "Grants permission" in item.documentation
    assert item.filter_text == "wisdom:GetAssistant"


def test_edit_range_covers_the_rest_of_a_terminated_string() -> None:
    text, offset = cursor('{"Statement": {"Action": "connect:Desc|ribeUser", "Effect": "Allow"}}')
    result = complete(text, offset)
    assert result is not None
    assert text[result.span.start:result.span.end] == "connect:DescribeUser"


def test_wildcard_groups_count_their_actions() -> None:
    result = complete_at('{"Statement": [{"Action": ["connect-campaigns:|"]}]}')
    groups = {i.label: i for i in result.items if i.kind is ItemKind.WILDCARD}
    assert groups["connect-campaigns:Delete*"].detail == "8 actions"
    assert groups["connect-campaigns:*"].detail.startswith("all ")


def test_lone_statement_fragment_gets_completions() -> None:
    result = complete_at('"Sid": "x", "Effect": "Allow", "Action": ["connect:List|')
    assert any(i.label == "connect:ListUsers" for i in result.items)


def test_condition_keys_of_the_statement_actions_come_first() -> None:
    result = complete_at(
        '{"Statement": [{"Effect": "Allow", "Action": ["connect-campaigns:CreateCampaign"], '
        '"Condition": {"StringEquals": {"|"}}}]}')
    labels = ranked(result)
    # The action's own keys and its resource type's (`campaign` takes aws:ResourceTag).
    assert set(labels[:3]) == {"aws:RequestTag/${TagKey}", "aws:TagKeys",
                               "aws:ResourceTag/${TagKey}"}
    tag = next(i for i in result.items if i.label == "aws:RequestTag/${TagKey}")
    assert tag.snippet and tag.new_text == "aws:RequestTag/${1:TagKey}"
    assert "aws:SourceIp" in labels  # then every global key


def test_resource_type_keys_count_for_the_action() -> None:
    result = complete_at('{"Statement": [{"Action": "wisdom:GetAssistant", '
                         '"Condition": {"StringEquals": {"aws:Res|"}}}]}')
    assert ranked(result)[0] == "aws:ResourceTag/${TagKey}"


def test_nothing_where_any_text_goes() -> None:
    for source in ('{"Statement": [{"Sid": "Read|"}]}', '{"Id": "my|"}',
                   '{"Statement": [{"Condition": {"StringEquals": {"aws:username": "a|"}}}]}'):
        text, offset = cursor(source)
        assert complete(text, offset) is None, source


# A line typed between two members has no comma after it yet (Neovim's `o` on a member's line
# leaves exactly that); completion reads the element being typed, not the previous one.
MISSING_COMMA = '''{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Resource": "*"
    "Action": ["connect:DescribeU|"]
  }]
}'''


def test_actions_after_a_member_whose_comma_is_not_typed_yet() -> None:
    result = complete_at(MISSING_COMMA)
    assert ranked(result)[0] == "connect:DescribeUser"


def test_statement_keys_after_a_member_whose_comma_is_not_typed_yet() -> None:
    result = complete_at('{"Statement": [{"Effect": "Allow"\n  "Act|"}]}')
    assert "Action" in ranked(result)


def test_closed_containers_count_as_values_when_the_comma_is_missing() -> None:
    # After a closed action list and after a condition block, the next string is a key.
    after_list = complete_at(
        '{"Statement": [{"Action": ["connect:ListUsers"]\n  "Resource": "arn:|"}]}')
    assert "aws" in ranked(after_list)
    after_object = complete_at(
        '{"Statement": [{"Condition": {"Bool": {"aws:SecureTransport": "true"}}\n'
        '  "Action": ["wisdom:GetAss|"]}]}')
    assert ranked(after_object)[0].startswith("wisdom:GetAssistant")


def test_principal_arn_after_a_principal_whose_comma_is_not_typed_yet() -> None:
    result = complete_at('{"Statement": [{"Principal": {"Service": "connect.amazonaws.com"\n'
                         '  "AWS": "arn:|"}, "Action": "sts:AssumeRole"}]}')
    assert ranked(result)[0].startswith("arn:aws:iam::")

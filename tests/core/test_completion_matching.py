"""What is typed filters and ranks every kind of completion, and a string left without its
closing quote gets it from the item; the cursor is marked `|`."""

from __future__ import annotations

import json

import pytest
from markers import cursor

from connect_policy.editor.completion import CompletionList, complete
from connect_policy.editor.completion_items import CompletionItem, ItemKind
from connect_policy.editor.completion_match import ITEM_LIMIT, rank_items

STATEMENT = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '


def complete_at(source: str) -> tuple[str, CompletionList]:
    text, offset = cursor(source)
    result = complete(text, offset)
    assert result is not None, f"expected completions in {source!r}"
    return text, result


def client_order(result: CompletionList) -> list[str]:
    """The labels as clients sort them: by sort text, else by label."""
    return [i.label for i in sorted(result.items, key=lambda i: i.sort_text or i.label)]


def labels(result: CompletionList) -> list[str]:
    return [i.label for i in result.items]


def inserted(text: str, result: CompletionList, label: str) -> str:
    chosen = next(i for i in result.items if i.label == label)
    span = chosen.span or result.span
    return text[:span.start] + chosen.plain_text + text[span.end:]


# --- Filtering and ranking -------------------------------------------------------------------


def test_only_actions_that_start_with_the_typed_text() -> None:
    _, result = complete_at(STATEMENT + '"Action": ["connect:DescribeU|"]}]}')
    assert labels(result) == ["connect:DescribeUser", "connect:DescribeUserHierarchyGroup",
                              "connect:DescribeUserHierarchyStructure"]
    assert result.incomplete  # the other actions were left out: ask again when typing


def test_case_does_not_matter() -> None:
    _, result = complete_at(STATEMENT + '"Action": ["CONNECT:describeu|"]}]}')
    assert labels(result)[0] == "connect:DescribeUser"


@pytest.mark.parametrize("typed", ["connect:DescU", "connect:user", "connect:DUser"])
def test_word_starts_match_after_prefixes(typed: str) -> None:
    _, result = complete_at(STATEMENT + f'"Action": ["{typed}|"]}}]}}')
    assert "connect:DescribeUser" in labels(result)
    assert "connect:ActivateEvaluationForm" not in labels(result)
    assert client_order(result) == labels(result)


def test_prefix_matches_rank_above_word_matches() -> None:
    _, result = complete_at(STATEMENT + '"Action": ["connect:Tag|"]}]}')
    # A wildcard group after the actions it grants: the first item names one action.
    assert labels(result) == ["connect:TagContact", "connect:TagResource", "connect:Tag*",
                              "connect:ListTagsForResource", "connect:SearchResourceTags"]
    # The sort texts give the same order, so clients that sort keep the server's ranking.
    assert client_order(result) == labels(result)


def test_letters_inside_a_word_do_not_match() -> None:
    _, result = complete_at(STATEMENT + '"Action": ["connect:escribe|"]}]}')
    assert labels(result) == []


def test_a_long_list_is_cut_and_marked_incomplete() -> None:
    _, result = complete_at(STATEMENT + '"Action": ["connect:|"]}]}')
    assert len(result.items) == ITEM_LIMIT and result.incomplete
    assert client_order(result) == labels(result)
    assert all(label.startswith("connect:") for label in labels(result))
    # The first ones in the order clients sort them, wildcard groups after their actions.
    assert labels(result)[0] == "connect:ActivateEvaluationForm"
    group = labels(result).index("connect:Associate*")
    assert labels(result)[group - 1].startswith("connect:Associate")
    assert not labels(result)[group + 1].startswith("connect:Associate")


def test_a_complete_list_is_not_marked_incomplete() -> None:
    _, result = complete_at(STATEMENT + '"Action": ["wisdom:GetAssistant|"]}]}')
    assert labels(result) == ["wisdom:GetAssistant", "wisdom:GetAssistantAssociation"]
    assert result.incomplete  # other wisdom actions were filtered out
    _, result = complete_at('{"Statement": [{"Effect": "|"}]}')
    assert labels(result) == ["Allow", "Deny"] and not result.incomplete


def test_an_empty_prefix_keeps_connect_services_first() -> None:
    _, result = complete_at(STATEMENT + '"Action": ["|"]}]}')
    assert labels(result)[:4] == ["connect", "app-integrations", "wisdom", "connect-campaigns"]
    assert client_order(result) == labels(result)


def test_services_match_the_typed_prefix() -> None:
    _, result = complete_at(STATEMENT + '"Action": ["conn|"]}]}')
    assert labels(result)[:2] == ["connect", "connect-campaigns"]
    prefixed = [i.label for i in result.items if not i.sort_text.startswith("~")]
    assert prefixed and all(label.startswith("conn") for label in prefixed)
    assert labels(result)[:len(prefixed)] == prefixed  # word matches come after


def test_condition_keys_match_the_typed_text() -> None:
    _, result = complete_at(STATEMENT + '"Action": "connect:ListUsers", '
                            '"Condition": {"StringEquals": {"aws:res|"}}}]}')
    assert labels(result)[0] == "aws:ResourceTag/${TagKey}"
    assert all(label.lower().startswith("aws:res") for label in labels(result))
    _, result = complete_at(STATEMENT + '"Action": "connect:ListUsers", '
                            '"Condition": {"StringEquals": {"aws:tag|"}}}]}')
    assert "aws:ResourceTag/${TagKey}" in labels(result)  # the start of a later word
    assert labels(result)[0] == "aws:TagKeys"  # a prefix match first


def test_operators_match_the_typed_text() -> None:
    _, result = complete_at(STATEMENT + '"Condition": {"ForAnyValue:StringEq|"}}]}')
    assert labels(result)[0] == "ForAnyValue:StringEquals"
    assert "ForAnyValue:StringNotEquals" in labels(result)  # `Eq` starts a later word
    assert not [label for label in labels(result) if not label.startswith("ForAnyValue:")]
    _, result = complete_at(STATEMENT + '"Condition": {"IpAddr|"}}]}')
    assert "NotIpAddress" in labels(result)  # `Ip` starts a word of it
    assert labels(result)[0] == "IpAddress"


def test_arns_match_the_typed_text() -> None:
    _, result = complete_at(STATEMENT + '"Action": "connect:DescribeUser", '
                            '"Resource": "arn:aws:connect:*:*:instance/*/ag|"}]}')
    # Past the account, the resource part alone is completed (completion_arns).
    assert labels(result) == ["instance/*/agent/*", "instance/{InstanceId}/agent/{UserId}"]


def test_element_names_and_values_match_the_typed_text() -> None:
    _, result = complete_at(STATEMENT + '"Ac|"}]}')
    assert labels(result) == ["Action", "NotAction"]
    _, result = complete_at('{"Statement": [{"Effect": "D|"}]}')
    assert labels(result) == ["Deny"]
    text, result = complete_at('{"Version": 2008|}')
    assert labels(result) == ["2008-10-17"]
    assert inserted(text, result, "2008-10-17") == '{"Version": "2008-10-17"}'


def test_policy_variables_match_the_typed_text() -> None:
    _, result = complete_at(STATEMENT + '"Resource": "arn:aws:s3:::bucket/${aws:user|"}]}')
    assert labels(result)[:2] == ["${aws:username}", "${aws:userid}"]
    assert all(label.lower().startswith("${aws:user") for label in labels(result))


def test_job_statements_are_all_offered_before_anything_is_typed() -> None:
    _, result = complete_at('{"Version": "2012-10-17", "Statement": [|]}')
    assert {i.kind for i in result.items} == {ItemKind.SNIPPET}
    assert len(result.items) > 5 and not result.incomplete


def test_rank_items_keeps_client_order_within_each_class() -> None:
    items = [CompletionItem(label, ItemKind.VALUE, label, sort_text=sort)
             for label, sort in (("TagUser", "b"), ("UntagUser", "a"), ("ListUserTags", "c"),
                                 ("TagRole", "d"), ("Describe", "e"))]
    ranked, incomplete = rank_items(items, "tag")
    assert [i.label for i in ranked] == ["TagUser", "TagRole", "ListUserTags"]
    assert [i.sort_text for i in ranked] == ["b", "d", "~c"]
    assert incomplete
    ranked, incomplete = rank_items(items, "", limit=2)
    assert [i.label for i in ranked] == ["UntagUser", "TagUser"] and incomplete


# --- A string without its closing quote --------------------------------------------------------


def test_the_last_action_of_an_array_gets_its_closing_quote() -> None:
    text, result = complete_at('{\n  "Statement": [{\n    "Effect": "Allow",\n'
                               '    "Action": ["connect:DescribeU|\n')
    assert inserted(text, result, "connect:DescribeUser").endswith(
        '"Action": ["connect:DescribeUser"\n')


def test_an_action_followed_by_another_gets_the_quote_and_a_comma() -> None:
    source = ('{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Allow",\n'
              '    "Action": [\n      "connect:DescribeU|\n      "connect:ListUsers"\n'
              '    ],\n    "Resource": "*"\n  }]\n}\n')
    text, result = complete_at(source)
    after = inserted(text, result, "connect:DescribeUser")
    assert json.loads(after)["Statement"][0]["Action"] == ["connect:DescribeUser",
                                                           "connect:ListUsers"]


def test_a_value_followed_by_a_member_gets_the_quote_and_a_comma() -> None:
    source = '{\n  "Statement": [{\n    "Effect": "Al|\n    "Action": "connect:ListUsers"\n  }]\n}'
    text, result = complete_at(source)
    after = inserted(text, result, "Allow")
    assert json.loads(after)["Statement"][0] == {"Effect": "Allow",
                                                 "Action": "connect:ListUsers"}


def test_a_condition_key_gets_only_its_quote() -> None:
    text, result = complete_at(STATEMENT + '"Action": "connect:ListUsers", '
                               '"Condition": {"StringEquals": {"aws:SourceI|\n')
    assert inserted(text, result, "aws:SourceIp").endswith('{"aws:SourceIp"\n')


def test_a_terminated_string_gets_nothing_more() -> None:
    text, result = complete_at(
        STATEMENT + '"Action": ["connect:DescribeU|", "connect:ListUsers"]}]}')
    assert inserted(text, result, "connect:DescribeUser").endswith(
        '"Action": ["connect:DescribeUser", "connect:ListUsers"]}]}')


def test_a_service_prefix_leaves_the_string_open_for_its_actions() -> None:
    text, result = complete_at(STATEMENT + '"Action": ["conn|\n')
    assert inserted(text, result, "connect").endswith('"Action": ["connect:\n')

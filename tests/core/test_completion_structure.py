"""Completion of element names, values, operators, ARNs, policy variables and job
statements, with the cursor marked `|`. Items are applied as a client without snippets
would (each tab stop's default) and the result is checked by our own checks."""

from __future__ import annotations

import json

import pytest
from markers import cursor

from connect_policy.analysis import Settings, analyze
from connect_policy.editor.completion import CompletionItem, CompletionList, ItemKind, complete
from connect_policy.editor.completion_items import snippet_to_plain
from connect_policy.editor.snippets import JOB_SNIPPETS
from connect_policy.findings import Severity

V = '"Version": "2012-10-17", '


def complete_at(source: str, locale: str | None = None) -> tuple[str, CompletionList]:
    text, offset = cursor(source)
    result = complete(text, offset, locale=locale)
    assert result is not None, f"expected completions in {source!r}"
    return text, result


def labels(result: CompletionList) -> list[str]:
    return [i.label for i in sorted(result.items, key=lambda i: i.sort_text or i.label)]


def item(result: CompletionList, label: str) -> CompletionItem:
    return next(i for i in result.items if i.label == label)


def apply(text: str, result: CompletionList, chosen: CompletionItem) -> str:
    span = chosen.span or result.span
    return text[:span.start] + chosen.plain_text + text[span.end:]


def problems(text: str) -> list[str]:
    """Errors and warnings of our own checks."""
    return [f"{f.code}: {f.message}" for f in analyze(text, Settings()).findings
            if f.severity in (Severity.ERROR, Severity.WARNING)]


# --- Element names ---------------------------------------------------------------------------


def test_only_missing_statement_elements_are_offered() -> None:
    _, result = complete_at('{' + V + '"Statement": [{"Effect": "Allow", "|"}]}')
    names = labels(result)
    assert names[:3] == ["Action", "Resource", "Condition"]
    assert "Effect" not in names
    # A file of no known type that names no principal yet: `Principal` comes after every
    # identity policy element, marked as a resource and trust policy element.
    assert names[-2:] == ["Principal", "NotPrincipal"]
    assert item(result, "Principal").detail == "resource and trust policy element"
    _, result = complete_at('{' + V + '"Statement": [{"NotAction": "s3:*", "|"}]}')
    assert "Action" not in labels(result) and "NotAction" not in labels(result)


def test_principal_is_offered_once_the_policy_has_principals() -> None:
    _, result = complete_at('{' + V + '"Statement": [{"Principal": {"AWS": "*"}}, {"|"}]}')
    names = labels(result)
    # A resource or trust policy: `Principal` comes right after `Effect`, a plain element;
    # `NotPrincipal` (best avoided) last.
    assert names[:2] == ["Effect", "Principal"] and names[-1] == "NotPrincipal"
    assert item(result, "Principal").detail == "policy element"


def test_element_snippet_has_the_value_shape_and_replaces_the_quotes() -> None:
    text, result = complete_at('{' + V + '"Statement": [{"Effect": "Allow", "Ac|"}]}')
    action = item(result, "Action")
    assert action.snippet and action.new_text == '"Action": ["$1"]' and action.retrigger
    assert text[result.span.start:result.span.end] == '"Ac"'
    assert apply(text, result, action).endswith('"Effect": "Allow", "Action": [""]}]}')
    effect = complete_at('{' + V + '"Statement": [{"|"}]}')[1]
    assert item(effect, "Effect").new_text == '"Effect": "${1|Allow,Deny|}"'


def test_only_the_name_when_the_value_is_already_there() -> None:
    text, result = complete_at('{' + V + '"Statement": [{"Effect": "Allow", "Act|": "s3:*"}]}')
    action = item(result, "Action")
    assert action.new_text == "Action" and not action.snippet
    assert text[result.span.start:result.span.end] == "Act"


def test_a_comma_is_added_when_a_member_follows() -> None:
    text, result = complete_at('{' + V + '"Statement": [{"|" "Effect": "Allow"}]}')
    chosen = item(result, "Action")
    assert apply(text, result, chosen) == ('{' + V + '"Statement": [{"Action": [""], '
                                           '"Effect": "Allow"}]}')


def test_policy_elements_at_the_top() -> None:
    text, result = complete_at('{\n  "|"\n}')
    assert labels(result) == ["Version", "Statement", "Id"]
    statement = item(result, "Statement")
    filled = apply(text, result, statement)
    assert filled == ('{\n  "Statement": [\n    {\n      "Effect": "Allow",\n'
                      '      "Action": [""],\n      "Resource": ["*"]\n    }\n  ]\n}')
    json.loads(filled)


def test_tab_indented_documents_get_tabs() -> None:
    _, result = complete_at('{\n\t"Version": "2012-10-17",\n\t"|"\n}')
    assert labels(result) == ["Statement", "Id"]
    assert "\n\t\t{\n\t\t\t\"Effect\"" in item(result, "Statement").plain_text


def test_a_lone_statement_gets_statement_elements() -> None:
    _, result = complete_at('{"Effect": "Allow", "|"}')
    assert "Action" in labels(result) and "Version" not in labels(result)


def test_element_names_without_a_quote_yet() -> None:
    text, result = complete_at('{' + V + '"Statement": [{"Effect": "Allow", Ac|}]}')
    assert text[result.span.start:result.span.end] == "Ac"
    assert apply(text, result, item(result, "Action")).endswith('"Action": [""]}]}')


def test_element_documentation_in_korean() -> None:
    _, english = complete_at('{' + V + '"Statement": [{"|"}]}')
    _, korean = complete_at('{' + V + '"Statement": [{"|"}]}', locale="ko")
    assert item(english, "Effect").documentation != item(korean, "Effect").documentation
    assert item(korean, "Effect").documentation


# --- Values ----------------------------------------------------------------------------------


def test_effect_and_version_values() -> None:
    text, result = complete_at('{' + V + '"Statement": [{"Effect": "|"}]}')
    assert labels(result) == ["Allow", "Deny"] and not result.incomplete
    text, result = complete_at('{' + V + '"Statement": [{"Effect": "al|"}]}')
    assert labels(result) == ["Allow"] and result.incomplete  # what is typed filters
    assert text[result.span.start:result.span.end] == "al"
    text, result = complete_at('{"Version": |}')
    assert labels(result) == ["2012-10-17", "2008-10-17"]
    assert apply(text, result, item(result, "2012-10-17")) == '{"Version": "2012-10-17"}'
    _, result = complete_at('{"Version": "2012|"}')
    assert labels(result)[0] == "2012-10-17"


def test_no_value_after_a_complete_value() -> None:
    text, offset = cursor('{"Version": "2012-10-17" |}')
    assert complete(text, offset) is None


# --- Condition operators ---------------------------------------------------------------------


def test_operators_with_if_exists_and_set_qualifiers() -> None:
    text, result = complete_at('{' + V + '"Statement": [{"Condition": {"|"}}]}')
    names = labels(result)
    assert names[0] == "StringEquals"
    assert {"StringEqualsIfExists", "ForAnyValue:StringLike", "ForAllValues:StringEquals",
            "Null", "IpAddress", "DateGreaterThan", "Bool", "ArnLike"} <= set(names)
    chosen = item(result, "StringEquals")
    assert chosen.snippet and chosen.retrigger
    filled = apply(text, result, chosen)
    assert filled.endswith('"Condition": {"StringEquals": {\n    "": ""\n}}}]}')


def test_operators_fit_the_keys_of_their_block() -> None:
    _, result = complete_at('{' + V + '"Statement": [{"Condition": {"|": '
                            '{"aws:SourceIp": "10.0.0.0/8"}}}]}')
    names = set(labels(result))
    assert {"IpAddress", "NotIpAddress", "IpAddressIfExists", "Null"} <= names
    assert "StringEquals" not in names and "ForAnyValue:IpAddress" not in names
    # The value is there: the name alone.
    assert item(result, "IpAddress").new_text == "IpAddress"
    _, result = complete_at('{' + V + '"Statement": [{"Condition": {"Str|": '
                            '{"aws:TagKeys": ["a"]}}}]}')
    names = set(labels(result))
    assert "ForAnyValue:StringEquals" in names and "StringEquals" not in names
    _, result = complete_at('{' + V + '"Statement": [{"Condition": {"|": '
                            '{"aws:SourceArn": "arn:aws:s3:::b"}}}]}')
    names = set(labels(result))
    assert "ArnLike" in names and "StringEquals" in names and "StringLike" not in names


# --- Resource ARNs ---------------------------------------------------------------------------


def test_arns_from_the_statements_actions() -> None:
    text, result = complete_at('{' + V + '"Statement": [{"Effect": "Allow", '
                               '"Action": "connect:DescribeUser", "Resource": "|"}]}')
    names = labels(result)
    assert names[0] == "*"
    assert "arn:aws:connect:*:*:instance/*/agent/*" in names
    snippet = item(result, "arn:aws:connect:{Region}:{Account}:instance/{InstanceId}/agent/"
                           "{UserId}")
    assert snippet.new_text == ("arn:aws:connect:${1:Region}:${2:Account}:instance/"
                                "${3:InstanceId}/agent/${4:UserId}")
    any_user = item(result, "arn:aws:connect:*:*:instance/*/agent/*")
    assert problems(apply(text, result, any_user)) == []


def test_arns_outside_a_string_are_quoted() -> None:
    text, result = complete_at('{' + V + '"Statement": [{"Effect": "Allow", '
                               '"Action": "wisdom:GetAssistant", "Resource": [|]}]}')
    chosen = item(result, "arn:aws:wisdom:*:*:assistant/*")
    assert chosen.new_text == '"arn:aws:wisdom:*:*:assistant/*"'
    assert problems(apply(text, result, chosen)) == []


def test_only_star_without_known_actions() -> None:
    _, result = complete_at('{' + V + '"Statement": [{"Resource": "|"}]}')
    assert labels(result) == ["*"]


# --- Policy variables ------------------------------------------------------------------------


def test_policy_variables_in_resources_and_condition_values() -> None:
    text, result = complete_at('{' + V + '"Statement": [{"Effect": "Allow", '
                               '"Action": "iam:GetUser", '
                               '"Resource": "arn:aws:iam::*:user/${|"}]}')
    names = labels(result)
    assert names[:2] == ["${aws:username}", "${aws:userid}"]
    assert "${aws:TagKeys}" not in names  # multivalued keys are not substituted
    chosen = item(result, "${aws:username}")
    assert chosen.new_text == "\\${aws:username\\}"
    filled = apply(text, result, chosen)
    assert '"arn:aws:iam::*:user/${aws:username}"' in filled
    assert problems(filled) == []
    tag = item(result, "${aws:PrincipalTag/${TagKey}}")
    assert tag.new_text == "\\${aws:PrincipalTag/${1:tag-key}\\}"
    _, result = complete_at('{' + V + '"Statement": [{"Condition": {"StringEquals": '
                            '{"aws:ResourceTag/Owner": "${aws:Pri|}"}}}]}')
    assert "${aws:PrincipalAccount}" in labels(result)


def test_variable_span_includes_a_closing_brace() -> None:
    text, result = complete_at('{"Statement": [{"Resource": "arn:aws:s3:::b/${aws:us|}/x"}]}')
    assert text[result.span.start:result.span.end] == "${aws:us}"


def test_no_variables_in_actions() -> None:
    _, result = complete_at('{"Statement": [{"Action": "connect:${|"}]}')
    assert all(i.kind is not ItemKind.VARIABLE for i in result.items)


# --- Job statements --------------------------------------------------------------------------


@pytest.mark.parametrize("job", JOB_SNIPPETS, ids=[j.name for j in JOB_SNIPPETS])
def test_every_job_snippet_passes_our_checks(job: object) -> None:
    source = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    |\n  ]\n}\n'
    text, result = complete_at(source)
    chosen = item(result, job.name)  # type: ignore[attr-defined]
    assert chosen.kind is ItemKind.SNIPPET and chosen.snippet
    filled = apply(text, result, chosen)
    json.loads(filled)
    assert problems(filled) == []
    # Indented in the document's style, one level below the array.
    assert '\n      "Effect": "Allow",' in filled


def test_job_snippets_next_to_other_statements() -> None:
    source = ('{"Version": "2012-10-17", "Statement": [|{"Sid": "ViewConnectUsers", '
              '"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}]}')
    text, result = complete_at(source)
    filled = apply(text, result, item(result, "Amazon Connect: view users"))
    statements = json.loads(filled)["Statement"]
    assert [s["Sid"] for s in statements] == ["ViewConnectUsers2", "ViewConnectUsers"]
    assert problems(filled) == []


def test_job_snippets_replace_an_empty_statement() -> None:
    text, result = complete_at('{"Version": "2012-10-17", "Statement": [{|}]}')
    chosen = item(result, "Outbound campaigns: read-only")
    assert chosen.span is not None and text[chosen.span.start:chosen.span.end] == "{}"
    assert "Effect" in labels(result)  # the element names are still there
    filled = apply(text, result, chosen)
    assert json.loads(filled)["Statement"][0]["Sid"] == "ReadCampaigns"
    assert problems(filled) == []


def test_snippets_escape_dollars() -> None:
    assert snippet_to_plain(r"\${aws:username\} ${1:a} ${2|x,y|} $0") == "${aws:username} a x "

"""Refactorings of a statement's actions: expand a wildcard, collapse a complete group into
its wildcard, sort and de-duplicate. Each applied edit leaves a policy that parses, names
only real actions and repeats none."""

from __future__ import annotations

import pytest

from connect_policy.analysis import analyze
from connect_policy.catalog.services import default_catalog
from connect_policy.document.json_edits import apply_edits
from connect_policy.document.text import Span
from connect_policy.editor.refactorings import MAX_EXPANSION, REWRITE, Refactoring, refactorings

BAD = {"JSON_SYNTAX_ERROR", "INVALID_ACTION", "INVALID_SERVICE_IN_ACTION", "REDUNDANT_ACTION"}


def names(pattern: str) -> list[str]:
    prefix, _, name = pattern.partition(":")
    service = default_catalog().service(prefix)
    assert service is not None
    return sorted((a.qualified_name for a in service.match(name)), key=str.lower)


def offered(text: str, at: str | None = None, nth: int = 0) -> list[Refactoring]:
    """The refactorings with the cursor just inside the `nth` occurrence of `at` (the whole
    document when None)."""
    if at is None:
        return refactorings(analyze(text), Span(0, len(text)))
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(at, offset + 1)
    return refactorings(analyze(text), Span(offset + 1, offset + 1))


def titled(text: str, at: str | None, start: str, nth: int = 0) -> Refactoring:
    found = [r for r in offered(text, at, nth) if r.title.startswith(start)]
    assert len(found) == 1, [r.title for r in offered(text, at, nth)]
    return found[0]


def apply(text: str, refactoring: Refactoring) -> str:
    text = apply_edits(text, refactoring.edits)
    after = analyze(text)
    bad = [(f.code, f.message) for f in after.findings if f.code in BAD]
    assert not bad, (text, bad)
    return text


def compact(action: str, effect: str = "Allow", element: str = "Action") -> str:
    return ('{"Version": "2012-10-17", "Statement": [{"Effect": "' + effect + '", "'
            + element + '": ' + action + ', "Resource": "*"}]}')


PRETTY = """{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ACTION,
            "Resource": "*"
        }
    ]
}
"""


def pretty(action: str) -> str:
    return PRETTY.replace("ACTION", action)


def quoted(items: list[str]) -> list[str]:
    return [f'"{n}"' for n in items]


# -- expand ----------------------------------------------------------------------------------

def test_expand_a_string_in_a_pretty_document_makes_a_multi_line_array() -> None:
    text = pretty('"connect:DescribeUser*"')
    refactoring = titled(text, "connect:DescribeUser*", "Expand")
    assert refactoring.title == 'Expand "connect:DescribeUser*" into its 3 actions'
    assert refactoring.kind == REWRITE
    expected = ('[\n                "connect:DescribeUser",\n'
                '                "connect:DescribeUserHierarchyGroup",\n'
                '                "connect:DescribeUserHierarchyStructure"\n'
                "            ]")
    assert apply(text, refactoring) == pretty(expected)


def test_expand_a_string_in_a_one_line_document_stays_on_one_line() -> None:
    text = compact('"connect:Describe*"')
    refactoring = titled(text, "connect:Describe*", "Expand")
    expected = names("connect:Describe*")
    assert refactoring.title == f'Expand "connect:Describe*" into its {len(expected)} actions'
    assert len(expected) > 20
    assert apply(text, refactoring) == compact("[" + ", ".join(quoted(expected)) + "]")


def test_expand_inside_a_multi_line_array_puts_one_action_per_line() -> None:
    text = pretty('[\n                "connect:ListUsers",\n'
                  '                "connect:GetMetric*"\n            ]')
    fixed = apply(text, titled(text, "connect:GetMetric*", "Expand"))
    assert fixed == pretty('[\n                "connect:ListUsers",\n'
                           '                "connect:GetMetricData",\n'
                           '                "connect:GetMetricDataV2"\n            ]')


def test_expand_inside_a_one_line_array_keeps_its_separator() -> None:
    text = compact('["connect:Tag*","connect:ListUsers"]')
    fixed = apply(text, titled(text, "connect:Tag*", "Expand"))
    assert fixed == compact('["connect:TagContact","connect:TagResource","connect:ListUsers"]')


def test_expand_keeps_tabs_and_crlf() -> None:
    text = ('{\r\n\t"Version": "2012-10-17",\r\n\t"Statement": {\r\n\t\t"Effect": "Allow",\r\n'
            '\t\t"Action": "connect:Untag*",\r\n\t\t"Resource": "*"\r\n\t}\r\n}\r\n')
    fixed = apply(text, titled(text, "connect:Untag*", "Expand"))
    assert '"Action": [\r\n\t\t\t"connect:UntagContact",\r\n\t\t\t"connect:UntagResource"\r\n' \
           '\t\t],\r\n' in fixed


def test_a_pattern_with_one_action_becomes_that_action() -> None:
    text = compact('"connect:List?sers"')
    refactoring = titled(text, "connect:List?sers", "Expand")
    assert refactoring.title == 'Expand "connect:List?sers" into "connect:ListUsers"'
    assert apply(text, refactoring) == compact('"connect:ListUsers"')


def test_expand_is_not_offered_when_the_array_already_grants_everything() -> None:
    text = compact('["connect:DescribeUser*", "connect:DescribeUser", '
                   '"connect:DescribeUserHierarchy*"]')
    assert not [r for r in offered(text, "connect:DescribeUser*")
                if r.title.startswith("Expand")]


def test_expand_leaves_out_what_other_entries_grant() -> None:
    text = compact('["connect:DescribeUser*", "connect:DescribeUserHierarchyGroup"]')
    refactoring = titled(text, "connect:DescribeUser*", "Expand")
    assert refactoring.title.endswith("(1 already listed)")
    assert apply(text, refactoring) == compact(
        '["connect:DescribeUser", "connect:DescribeUserHierarchyStructure", '
        '"connect:DescribeUserHierarchyGroup"]')


def test_expand_in_a_deny_not_action_narrows_too() -> None:
    text = compact('"connect:Tag*"', effect="Deny", element="NotAction")
    apply(text, titled(text, "connect:Tag*", "Expand"))


@pytest.mark.parametrize("text", [
    compact('"*"'),
    compact('"connect:NoSuchThing*"'),
    compact('"conn*:List*"'),
    compact('"nosuchservice:List*"'),
    compact('"connect:ListUsers"'),
    # More than MAX_EXPANSION actions (and more than the size quota allows).
    compact('"connect:*"'),
    # Expanding would widen these: actions added later would no longer be denied (Deny) or
    # would be granted (Allow with NotAction).
    compact('"connect:Tag*"', effect="Deny"),
    compact('"connect:Tag*"', element="NotAction"),
], ids=["star", "no-match", "service-wildcard", "unknown-service", "no-wildcard",
        "too-many", "deny", "allow-not-action"])
def test_expand_is_not_offered_where_it_makes_no_sense(text: str) -> None:
    assert not [r for r in offered(text) if r.title.startswith("Expand")]


def test_the_cap_is_below_connects_wildcard() -> None:
    assert len(names("connect:*")) > MAX_EXPANSION >= len(names("wisdom:*"))
    text = compact('"wisdom:*"')
    refactoring = titled(text, None, "Expand")
    assert refactoring.title == f"Expand \"wisdom:*\" into its {len(names('wisdom:*'))} actions"
    apply(text, refactoring)


def test_expand_is_offered_only_for_the_entry_under_the_cursor() -> None:
    text = compact('["connect:Tag*", "connect:Untag*"]')
    assert [r.title for r in offered(text, "connect:Untag*") if r.title.startswith("Expand")] \
        == ['Expand "connect:Untag*" into its 2 actions']
    assert not offered(text, '"Resource"')


# -- collapse --------------------------------------------------------------------------------

def test_collapse_a_complete_group_into_its_wildcard() -> None:
    describe = names("connect:Describe*")
    items = ["connect:ListUsers", *describe]
    text = compact("[" + ", ".join(quoted(items)) + "]")
    refactoring = titled(text, "connect:DescribeQueue", "Collapse")
    assert refactoring.title == f'Collapse {len(describe)} actions into "connect:Describe*"'
    assert apply(text, refactoring) == compact('["connect:ListUsers", "connect:Describe*"]')


def test_collapse_keeps_a_multi_line_layout_and_the_other_entries_in_place() -> None:
    indent = "\n                "
    text = pretty("[" + indent + '"connect:TagResource",' + indent + '"connect:ListUsers",'
                  + indent + '"connect:TagContact"\n            ]')
    fixed = apply(text, titled(text, "connect:TagContact", "Collapse"))
    assert fixed == pretty("[" + indent + '"connect:Tag*",' + indent + '"connect:ListUsers"'
                           "\n            ]")


def test_collapse_is_the_inverse_of_expand() -> None:
    text = pretty('"connect:DescribeUser*"')
    expanded = apply(text, titled(text, "connect:DescribeUser*", "Expand"))
    # `DescribeUser*` is no verb group; `Describe*` is not complete: nothing to collapse.
    assert not [r for r in offered(expanded) if r.title.startswith("Collapse")]
    text = compact('["connect:Tag*"]')
    expanded = apply(text, titled(text, "connect:Tag*", "Expand"))
    assert apply(expanded, titled(expanded, None, "Collapse")) == text


def test_collapse_is_offered_only_when_the_group_is_complete() -> None:
    describe = names("connect:Describe*")
    text = compact("[" + ", ".join(quoted(describe[1:])) + "]")
    assert not [r for r in offered(text) if r.title.startswith("Collapse")]


def test_collapse_of_a_whole_service_offers_the_service_wildcard_alone() -> None:
    every = names("connect-campaigns:*")
    text = compact("[" + ", ".join(quoted(every)) + "]")
    titles = [r.title for r in offered(text) if r.title.startswith("Collapse")]
    assert titles == [f'Collapse {len(every)} actions into "connect-campaigns:*"']
    assert apply(text, titled(text, None, "Collapse")) == compact('["connect-campaigns:*"]')


def test_collapse_ignores_case_and_removes_repeats_of_the_group() -> None:
    text = compact('["connect:tagcontact", "connect:TagResource", "connect:TagContact"]')
    fixed = apply(text, titled(text, None, 'Collapse 2 actions into "connect:Tag*"'))
    assert fixed == compact('["connect:Tag*"]')


def test_collapse_also_replaces_entries_the_wildcard_covers() -> None:
    # A narrower wildcard and an action the catalog does not know would be redundant next
    # to `connect:Tag*`: they go too.
    text = compact('["connect:TagContact", "connect:TagRes*", "connect:TagResource", '
                   '"connect:TagNothing", "connect:ListUsers"]')
    refactoring = titled(text, None, "Collapse")
    assert refactoring.title == 'Collapse 4 actions into "connect:Tag*"'
    assert apply(text, refactoring) == compact('["connect:Tag*", "connect:ListUsers"]')


def test_collapse_is_not_offered_for_a_group_of_one_or_a_listed_wildcard() -> None:
    assert not [r for r in offered(compact('["connect:ListUsers"]'))
                if r.title.startswith("Collapse")]
    text = compact('["connect:Tag*", "connect:TagContact", "connect:TagResource"]')
    assert not [r for r in offered(text) if r.title.startswith("Collapse")]


def test_collapse_follows_the_cursor() -> None:
    text = compact('["connect:TagContact", "connect:TagResource", "connect:UntagContact", '
                   '"connect:UntagResource"]')
    assert [r.title for r in offered(text, "connect:UntagContact")
            if r.title.startswith("Collapse")] == ['Collapse 2 actions into "connect:Untag*"']
    # On the element's name: every group of the array, and all of them at once.
    assert [r.title for r in offered(text, '"Action"') if r.title.startswith("Collapse")] == [
        'Collapse 2 actions into "connect:Tag*"', 'Collapse 2 actions into "connect:Untag*"',
        "Collapse 2 complete groups into their wildcards"]
    fixed = apply(text, titled(text, '"Action"', "Collapse 2 complete"))
    assert fixed == compact('["connect:Tag*", "connect:Untag*"]')


def test_many_groups_collapse_in_one_action() -> None:
    # Every Outbound Campaigns action but CreateCampaign: six complete verb groups
    # (Delete*, Get*, List*, Put*, Start*, Update*) and six single actions.
    every = [n for n in names("connect-campaigns:*") if n != "connect-campaigns:CreateCampaign"]
    text = compact("[" + ", ".join(quoted(every)) + "]")
    titles = [r.title for r in offered(text, '"Action"') if r.title.startswith("Collapse")]
    assert titles == ["Collapse 6 complete groups into their wildcards"]
    fixed = apply(text, titled(text, '"Action"', "Collapse"))
    wildcards = [f'"connect-campaigns:{v}*"' for v in
                 ("Delete", "Get", "List", "Put", "Start", "Update")]
    assert all(w in fixed for w in wildcards)
    assert len(analyze(fixed).policy.statements[0].value("Action").items) == 6 + 6  # type: ignore[union-attr]
    # On one entry, only the group of that entry.
    assert [r.title for r in offered(text, "connect-campaigns:StartCampaign")
            if r.title.startswith("Collapse")] == [
        'Collapse 2 actions into "connect-campaigns:Start*"']


# -- sort and de-duplicate -------------------------------------------------------------------

def test_sort_the_actions_keeping_the_layout() -> None:
    indent = "\n                "
    text = pretty("[" + indent + '"wisdom:GetAssistant",' + indent + '"connect:ListUsers",'
                  + indent + '"connect:Describe*"\n            ]')
    refactoring = titled(text, "wisdom:GetAssistant", "Sort")
    assert refactoring.title == "Sort the actions"
    assert apply(text, refactoring) == pretty(
        "[" + indent + '"connect:Describe*",' + indent + '"connect:ListUsers",' + indent
        + '"wisdom:GetAssistant"\n            ]')


def test_sort_removes_duplicates_ignoring_case() -> None:
    text = compact('["connect:ListUsers", "connect:DescribeUser", "connect:listusers"]')
    refactoring = titled(text, None, "Sort")
    assert refactoring.title == "Sort the actions and remove 1 duplicate"
    assert apply(text, refactoring) == compact('["connect:DescribeUser", "connect:ListUsers"]')


def test_only_duplicates_in_a_sorted_list() -> None:
    text = compact('["connect:DescribeUser", "connect:DescribeUser", "connect:ListUsers", '
                   '"connect:ListUsers"]')
    refactoring = titled(text, None, "Remove")
    assert refactoring.title == "Remove 2 duplicates from the actions"
    assert apply(text, refactoring) == compact('["connect:DescribeUser", "connect:ListUsers"]')


def test_sort_applies_to_not_action() -> None:
    text = compact('["connect:ListUsers", "connect:DescribeUser"]', element="NotAction")
    refactoring = titled(text, None, "Sort")
    assert refactoring.title == 'Sort the "NotAction" entries'


@pytest.mark.parametrize("text", [
    compact('["connect:DescribeUser", "connect:ListUsers"]'),
    compact('"connect:ListUsers"'),
    compact('["connect:ListUsers"]'),
    # Covered by a wildcard is not a duplicate (REDUNDANT_ACTION has the fix for that).
    compact('["connect:Describe*", "connect:DescribeUser"]'),
    # A broken entry: moving it around would move the damage.
    compact('["connect:ListUsers", 42, "connect:DescribeUser"]'),
])
def test_sort_is_not_offered_for_a_sorted_list(text: str) -> None:
    assert not [r for r in offered(text) if r.title.startswith(("Sort", "Remove"))]


# -- scope -----------------------------------------------------------------------------------

def test_nothing_outside_the_action_elements() -> None:
    text = compact('["connect:Tag*", "connect:ListUsers", "connect:DescribeUser"]')
    assert offered(text, "Allow") == []
    assert offered(text, '"Version"') == []
    assert {r.title.split()[0] for r in offered(text, "connect:ListUsers")} == {"Sort"}


def test_nothing_for_json_that_is_not_a_policy() -> None:
    assert offered('{"name": "x", "Action": ["connect:Tag*", "b"]}') == []


def test_only_the_statements_under_the_range() -> None:
    text = ('{"Version": "2012-10-17", "Statement": ['
            '{"Effect": "Allow", "Action": "connect:Tag*", "Resource": "*"}, '
            '{"Effect": "Allow", "Action": "connect:Untag*", "Resource": "*"}]}')
    assert [r.title for r in offered(text, "connect:Untag*")] == [
        'Expand "connect:Untag*" into its 2 actions']
    assert len(offered(text)) == 2

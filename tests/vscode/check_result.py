"""Checks the result that the probe extension wrote in a real VS Code (code-server).

    python3 check_result.py RESULT.json

Prints one line per check and exits 0 when all pass, 1 otherwise. scripts/vscode-e2e.sh runs
it; tests/vscode/test_vscode_e2e.py asks the same questions through `problems`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# The mistakes in examples/source-material/10-campaigns-manage.json (copied as policy.json).
# Its syntax error (a missing comma) is reported by VS Code's JSON service, not again by us.
EXPECTED_DIAGNOSTICS = (
    ("INVALID_ACTION", "connect-campaigns:UpdateOutboundCallConfig"),
    ("INVALID_ACTION", "connect-campaigns:UpdateDialerConfig"),
)
SYNTAX_CODE = "JSON_SYNTAX_ERROR"
JSON_SOURCE = "json"  # VS Code's JSON service
# workspace/syntax.json: a missing comma and a trailing comma, each reported once (by VS Code's
# JSON service), with the server's fix offered on VS Code's diagnostic.
SYNTAX_FIXTURE = Path(__file__).resolve().parent / "workspace" / "syntax.json"
SYNTAX_ERRORS = (("Expected comma", "Insert the missing comma"),
                 ("Trailing comma", "Remove the trailing comma"))
SYNTAX_FIXED = '"connect:DescribeUser",'
MISSING_FIX = SYNTAX_ERRORS[0][1]
# The no-server scenario: the notification and its buttons.
NOT_FOUND_TEXT = "not found in the PATH of VS Code's extension host ("
NOT_FOUND_BUTTONS = ("Set Server Path", "Install Instructions", "Show Output")
SERVER_PATH_DESCRIPTION = "Command that starts the language server"
HOVER_TEXT = "Access level"
COMPLETION_LABEL = "connect:DescribeUser"
# The quick fix: workspace/quickfix.json (copied into the temporary workspace) has an unknown
# action after a Sid with Hangul and an emoji (so utf-16 columns matter); the preferred fix
# replaces it with the did-you-mean suggestion, and only that.
FIX_FIXTURE = Path(__file__).resolve().parent / "workspace" / "quickfix.json"
FIX_CODE = "INVALID_ACTION"
FIX_TYPO = '"connect-campaigns:UpdateDialerConfig"'
FIX_CORRECTED = '"connect-campaigns:UpdateCampaignDialerConfig"'
FIX_REMAINING = "UNSUPPORTED_SID"  # the Sid's finding, still there after the fix


def fixture_text() -> str:
    return FIX_FIXTURE.read_text(encoding="utf-8")


def corrected_text() -> str:
    """The fixture with the typo replaced: what the document must hold after the quick fix."""
    text = fixture_text()
    assert text.count(FIX_TYPO) == 1, f"{FIX_FIXTURE} must hold {FIX_TYPO} once"
    return text.replace(FIX_TYPO, FIX_CORRECTED)


def quick_fix_checks(quick_fix: dict[str, Any]) -> list[tuple[str, bool]]:
    offered = quick_fix.get("offered") or []
    preferred = [a for a in offered if a.get("isPreferred")]
    before = quick_fix.get("diagnosticsBefore") or []
    after = quick_fix.get("diagnostics") or []
    subject = FIX_TYPO.strip('"')

    def about_typo(d: dict[str, Any]) -> bool:
        return d.get("code") == FIX_CODE and subject in (d.get("message") or "")

    return [
        (f"a {FIX_CODE} diagnostic about {subject} before the quick fix",
         any(about_typo(d) for d in before)),
        ("exactly one preferred quick fix offered, of kind quickfix, with an edit",
         len(preferred) == 1 and preferred[0].get("kind") == "quickfix"
         and preferred[0].get("hasEdit") is True),
        ("workspace.applyEdit applied the preferred quick fix", quick_fix.get("applied") is True),
        (f"the document now holds the corrected text ({FIX_CORRECTED})",
         quick_fix.get("text") == corrected_text()),
        ("the edit is unsaved: the file on disk is unchanged",
         quick_fix.get("isDirty") is True and quick_fix.get("textOnDisk") == fixture_text()),
        ("the diagnostics changed after the edit", quick_fix.get("diagnosticsChanged") is True),
        (f"the {FIX_CODE} finding about {subject} is gone",
         bool(quick_fix.get("diagnosticsChanged")) and not any(about_typo(d) for d in after)),
        (f"the {FIX_REMAINING} finding remains",
         any(d.get("code") == FIX_REMAINING for d in after)),
    ]


def syntax_reports(diagnostics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The syntax errors among `diagnostics`: VS Code's JSON service's and ours."""
    return [d for d in diagnostics
            if d.get("source") == JSON_SOURCE or d.get("code") == SYNTAX_CODE]


def syntax_checks(syntax: dict[str, Any]) -> list[tuple[str, bool]]:
    reports = syntax_reports(syntax.get("diagnostics") or [])
    messages = [d.get("message") or "" for d in reports]
    fixes = syntax.get("fixes") or []
    found: list[tuple[str, bool]] = [
        (f"{len(SYNTAX_ERRORS)} syntax errors reported, once each (got {messages})",
         len(reports) == len(SYNTAX_ERRORS)
         and all(sum(m.startswith(expected) for m in messages) == 1
                 for expected, _ in SYNTAX_ERRORS)),
        (f"no {SYNTAX_CODE} beside VS Code's report",
         not any(d.get("code") == SYNTAX_CODE for d in reports)),
        ("the other finding (INVALID_ACTION connect:ListUserz) is there",
         any(d.get("code") == "INVALID_ACTION" for d in syntax.get("diagnostics") or [])),
    ]
    for message, title in SYNTAX_ERRORS:
        found.append((f"quick fix {title!r} offered on VS Code's {message!r}",
                      any((f.get("message") or "").startswith(message)
                          and title in (f.get("offered") or []) for f in fixes)))
    found.append((f"the light bulb's menu on VS Code's 'Expected comma' shows {MISSING_FIX!r}",
                  MISSING_FIX in (syntax.get("quickFixMenu") or "")))
    after = syntax_reports(syntax.get("diagnosticsAfter") or [])
    found += [
        ("the missing comma's fix applied", syntax.get("applied") is True),
        (f"the document then holds {SYNTAX_FIXED}", SYNTAX_FIXED in (syntax.get("text") or "")),
        ("then one syntax error is left (the trailing comma)",
         [d.get("message", "")[:14] for d in after] == ["Trailing comma"]),
    ]
    return found


def no_server_checks(result: dict[str, Any]) -> list[tuple[str, bool]]:
    """Nothing shows until a policy is open; then one notification naming the PATH searched,
    with a button that opens the Settings UI at connectPolicy.server.path."""
    shown = result.get("notificationsWithPolicy") or []
    message = shown[0].get("message", "") if shown else ""
    buttons = shown[0].get("buttons", []) if shown else []
    first_folder = str(result.get("firstPathFolder") or "\0")
    return [
        ("the probe reported no error", not result.get("error")),
        ("the browser answered (notifications could be read)",
         result.get("notificationsAtStart") is not None),
        ("no Connect Policy notification with no document open",
         result.get("notificationsAtStart") == []),
        ("no Connect Policy notification with a JSON file that is no policy open",
         result.get("notificationsWithOtherJson") == []),
        ("one Connect Policy notification once a policy is open", len(shown) == 1),
        ("it says the server is not on the PATH searched, and lists it",
         NOT_FOUND_TEXT in message and first_folder in message),
        (f"its buttons are {list(NOT_FOUND_BUTTONS)}", tuple(buttons) == NOT_FOUND_BUTTONS),
        ("its Set Server Path button was clicked", result.get("clicked") is True),
        ("the Settings UI then shows connectPolicy.server.path",
         result.get("activeTabAfterClick") == "Settings"
         and SERVER_PATH_DESCRIPTION in (result.get("settingsText") or "")),
        ("setting connectPolicy.server.path then starts the server: the policy's findings show",
         any(d.get("code") == "INVALID_ACTION"
             for d in result.get("diagnosticsAfterSetting") or [])),
    ]


def checks(result: dict[str, Any]) -> list[tuple[str, bool]]:
    """Each check's description and whether it passed."""
    if result.get("scenario") == "no-server":
        return no_server_checks(result)
    diagnostics = result.get("diagnostics") or []
    found: list[tuple[str, bool]] = [("the probe reported no error", not result.get("error"))]
    for code, subject in EXPECTED_DIAGNOSTICS:
        found.append((f"a {code} diagnostic about {subject}",
                      any(d.get("code") == code and subject in (d.get("message") or "")
                          for d in diagnostics)))
    every = result.get("allDiagnostics") or []
    found.append(("policy.json's missing comma is reported once, by VS Code's JSON service",
                  [d.get("message") for d in syntax_reports(every)] == ["Expected comma"]))
    found.append((f"the hover on connect:DescribeUser says {HOVER_TEXT!r}",
                  any(HOVER_TEXT in text for text in result.get("hover") or [])))
    found.append((f'completion after "connect:Desc offers {COMPLETION_LABEL}',
                  COMPLETION_LABEL in (result.get("completions") or [])))
    found.extend((f"quick fix: {what}", ok)
                 for what, ok in quick_fix_checks(result.get("quickFix") or {}))
    found.extend((f"syntax.json: {what}", ok)
                 for what, ok in syntax_checks(result.get("syntax") or {}))
    return found


def problems(result: dict[str, Any]) -> list[str]:
    return [what for what, ok in checks(result) if not ok]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: check_result.py RESULT.json", file=sys.stderr)
        return 2
    result = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    if result.get("error"):
        print(f"probe error: {result['error']}")
    for line in result.get("log") or []:
        print(f"probe: {line}")
    diagnostics = result.get("diagnostics") or []
    print(f"diagnostics ({len(diagnostics)}): " +
          ", ".join(str(d.get("code")) for d in diagnostics))
    completions = result.get("completions") or []
    print(f"completions ({len(completions)}): {', '.join(completions[:8])}"
          f"{', …' if len(completions) > 8 else ''}")
    if result.get("scenario") == "no-server":
        print(f"notifications with a policy open: {result.get('notificationsWithPolicy')}")
        print(f"documents open at start: {result.get('documentsAtStart')}")
    quick_fix = result.get("quickFix") or {}
    if quick_fix.get("problem"):
        print(f"quick fix problem: {quick_fix['problem']}")
    print("quick fixes offered: " + "; ".join(
        f"{a.get('title')}{' (preferred)' if a.get('isPreferred') else ''}"
        for a in quick_fix.get("offered") or []))
    print("diagnostics after the quick fix: " +
          ", ".join(str(d.get("code")) for d in quick_fix.get("diagnostics") or []))
    failed = 0
    for what, ok in checks(result):
        print(f"{'ok  ' if ok else 'FAIL'} {what}")
        failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

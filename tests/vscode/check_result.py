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
EXPECTED_DIAGNOSTICS = (
    ("JSON_SYNTAX_ERROR", "connect-campaigns:GetCampaignState"),
    ("INVALID_ACTION", "connect-campaigns:UpdateOutboundCallConfig"),
    ("INVALID_ACTION", "connect-campaigns:UpdateDialerConfig"),
)
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


def checks(result: dict[str, Any]) -> list[tuple[str, bool]]:
    """Each check's description and whether it passed."""
    diagnostics = result.get("diagnostics") or []
    found: list[tuple[str, bool]] = [("the probe reported no error", not result.get("error"))]
    for code, subject in EXPECTED_DIAGNOSTICS:
        found.append((f"a {code} diagnostic about {subject}",
                      any(d.get("code") == code and subject in (d.get("message") or "")
                          for d in diagnostics)))
    found.append((f"the hover on connect:DescribeUser says {HOVER_TEXT!r}",
                  any(HOVER_TEXT in text for text in result.get("hover") or [])))
    found.append((f'completion after "connect:Desc offers {COMPLETION_LABEL}',
                  COMPLETION_LABEL in (result.get("completions") or [])))
    found.extend((f"quick fix: {what}", ok)
                 for what, ok in quick_fix_checks(result.get("quickFix") or {}))
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

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
    failed = 0
    for what, ok in checks(result):
        print(f"{'ok  ' if ok else 'FAIL'} {what}")
        failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

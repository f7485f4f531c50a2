"""The core never loads pygls or lsprotocol (design.md's one-way dependency arrow)."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_core_loads_no_lsp_library() -> None:
    code = (
        "import sys\n"
        "import connect_policy, connect_policy.analysis\n"
        "import connect_policy.report.json, connect_policy.report.text\n"
        "from connect_policy.analysis import analyze\n"
        "analyze('{\"Version\": \"2012-10-17\", \"Statement\": []}')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""

"""`check` on pathological files (issue 8): bounded time, a sensible exit code, FILE_ERROR
for files over `max-file-size`, and the same diagnostics as the server for the rest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

STATEMENT = {"Effect": "Allow", "Action": ["connect:DescribeUser", "connect:List*"],
             "Resource": "*"}
CLEAN = json.dumps({"Version": "2012-10-17", "Statement": [STATEMENT]}, indent=2)


def check(folder: Path, *args: str, stdin: bytes | None = None
          ) -> tuple[subprocess.CompletedProcess[bytes], dict[str, list[dict[str, object]]]]:
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "connect_policy_lsp", "check", "--format",
                             "json", *args], cwd=folder, input=stdin, capture_output=True,
                            timeout=120, env=env)
    files = json.loads(result.stdout)["files"]
    return result, {Path(f["path"]).name: f["diagnostics"] for f in files}


def test_pathological_files(tmp_path: Path) -> None:
    files = {
        "ten-mb.json": json.dumps({"Version": "2012-10-17",
                                   "Statement": [STATEMENT] * 80_000}).encode(),
        "brackets.json": b'{"Version": "2012-10-17", "Statement": ' + b"[" * 100_000,
        "bom.json": b"\xef\xbb\xbf" + CLEAN.encode(),
        "crlf.json": CLEAN.replace("\n", "\r\n").encode(),
        "nul.json": CLEAN.replace("List*", "List\0").encode(),
        "clean.json": CLEAN.encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    started = time.perf_counter()
    result, found = check(tmp_path, *files)
    assert time.perf_counter() - started < 60  # measured about 2 s: not a benchmark
    assert result.returncode == 2  # files that could not be checked
    (too_large,) = found["ten-mb.json"]
    assert too_large["code"] == "FILE_ERROR"
    assert "File too large to check" in str(too_large["message"])
    assert '"max-file-size"' in str(too_large["message"])
    nesting = [d for d in found["brackets.json"]
               if str(d["message"]).startswith("Nesting deeper than 200 levels")]
    assert len(nesting) == 1
    (bom,) = found["bom.json"]
    assert bom["code"] == "JSON_SYNTAX_ERROR" and "byte order mark" in str(bom["message"])
    assert found["crlf.json"] == [] and found["clean.json"] == []
    (nul,) = found["nul.json"]
    assert nul["code"] == "FILE_ERROR" and "is binary" in str(nul["message"])


def test_the_limit_applies_to_standard_input_too(tmp_path: Path) -> None:
    (tmp_path / ".connect-policy.toml").write_text("max-file-size = 100\n")
    result, found = check(tmp_path, "-", stdin=("\ufeff" + CLEAN).encode())
    (too_large,) = found["-"]
    assert too_large["code"] == "FILE_ERROR"
    assert "Standard input too large to check" in str(too_large["message"])
    assert result.returncode == 2  # not checked, as for an oversized file
    (tmp_path / ".connect-policy.toml").unlink()
    result, found = check(tmp_path, "-", stdin=("\ufeff" + CLEAN).encode())
    assert [d["code"] for d in found["-"]] == ["JSON_SYNTAX_ERROR"]  # the BOM, as from a file

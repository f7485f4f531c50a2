"""SARIF 2.1.0 output of the `check` command, in the subset GitHub code scanning reads.

One run; one rule per issue code that was reported; one result per finding, with its fixes.
Columns count UTF-16 code units (`run.columnKind`), as SARIF's default does; the core's
offsets are code points, so they are converted here.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from ..findings import CODES, Finding, FindingType, Severity, TextEdit, code_link
from . import FileReport

SCHEMA_URI = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
              "sarif-schema-2.1.0.json")
TOOL_NAME = "connect-policy-lsp"
SRCROOT = "%SRCROOT%"
# Key of our own partial fingerprint; GitHub computes `primaryLocationLineHash` itself.
FINGERPRINT_KEY = "connectPolicyFinding/v1"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning",
           Severity.INFORMATION: "note", Severity.HINT: "note"}
_ACRONYMS = {"JSON", "IAM", "ARN"}

Json = dict[str, Any]


def render_sarif(reports: list[FileReport], tool_version: str, catalog_version: str) -> str:
    """The SARIF log of `reports`: every checked file is an artifact, every finding a result."""
    artifacts: list[Json] = []
    artifact_index: dict[str, int] = {}
    for report in reports:
        uri = artifact_uri(report.path)
        if uri not in artifact_index:  # run.artifacts must hold unique items
            artifact_index[uri] = len(artifacts)
            artifacts.append({"location": _location(report.path), "roles": ["analysisTarget"]})
    codes = sorted({f.code for report in reports for f in report.findings})
    rule_index = {code: i for i, code in enumerate(codes)}
    results: list[Json] = []
    seen: dict[str, int] = {}
    for report in reports:
        index = artifact_index[artifact_uri(report.path)]
        for finding in report.findings:
            results.append(_result(report, finding, rule_index[finding.code], index, seen))
    run: Json = {
        "tool": {"driver": {
            "name": TOOL_NAME,
            "version": tool_version,
            "rules": [_rule(code) for code in codes],
            "properties": {"iamCatalogVersion": catalog_version},
        }},
        "artifacts": artifacts,
        "results": results,
        "columnKind": "utf16CodeUnits",
        # LineIndex also ends a line at a lone CR, as LSP does.
        "newlineSequences": ["\r\n", "\n", "\r"],
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def level(severity: Severity) -> str:
    """SARIF's level for a severity: information and hints are notes."""
    return _LEVELS[severity]


def rule_name(code: str) -> str:
    """`INVALID_SERVICE_IN_ACTION` -> `InvalidServiceInAction`."""
    return "".join(word.capitalize() for word in code.split("_"))


def artifact_uri(path: str) -> str:
    """A URI reference for a path as given: relative stays relative, `/`-separated, encoded."""
    pure = PurePath(path)
    if pure.is_absolute():
        return pure.as_uri()
    # Encode all but unreserved characters, sub-delims and "@"; ":" too, so that a first
    # segment such as "a:b.json" cannot be read as a URI scheme.
    # A name that is not UTF-8 (surrogate-escaped by the OS layer) is encoded as its bytes.
    return quote(posixpath.normpath(pure.as_posix()), safe="/!$&'()*+,;=@",
                 errors="surrogateescape")


def _location(path: str) -> Json:
    if PurePath(path).is_absolute():
        return {"uri": artifact_uri(path)}
    return {"uri": artifact_uri(path), "uriBaseId": SRCROOT}


def _rule(code: str) -> Json:
    finding_type = CODES.get(code, FindingType.ERROR)
    link = code_link(code)
    tags = ["iam", "security"] if finding_type is FindingType.SECURITY_WARNING else ["iam"]
    return {
        "id": code,
        "name": rule_name(code),
        "shortDescription": {"text": _sentence(code)},
        "helpUri": link,
        "help": {"text": f"{code}: {link}", "markdown": f"[{code}]({link})"},
        "defaultConfiguration": {"level": level(finding_type.severity)},
        "properties": {"tags": tags, "accessAnalyzerFindingType": finding_type.value[0]},
    }


def _sentence(code: str) -> str:
    words = [w if w in _ACRONYMS else w.lower() for w in code.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _result(report: FileReport, finding: Finding, rule_index: int, artifact_index: int,
            seen: dict[str, int]) -> Json:
    location = {**_location(report.path), "index": artifact_index}
    result: Json = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": location,
            "region": _region(report, finding.span.start, finding.span.end),
        }}],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(report, finding, seen)},
    }
    if finding.fixes:
        result["fixes"] = [{
            "description": {"text": fix.title},
            "artifactChanges": [{"artifactLocation": location,
                                 "replacements": [_replacement(report, e) for e in fix.edits]}],
        } for fix in finding.fixes]
    return result


def _region(report: FileReport, start: int, end: int) -> Json:
    """1-based lines and UTF-16 columns; end exclusive, so an insertion point has equal ends."""
    start_line, start_col = report.lines.position(start, "utf-16")
    end_line, end_col = report.lines.position(end, "utf-16")
    return {"startLine": start_line + 1, "startColumn": start_col + 1,
            "endLine": end_line + 1, "endColumn": end_col + 1}


def _replacement(report: FileReport, edit: TextEdit) -> Json:
    replacement: Json = {"deletedRegion": _region(report, edit.span.start, edit.span.end)}
    if edit.new_text:  # no insertedContent: a pure deletion
        replacement["insertedContent"] = {"text": edit.new_text}
    return replacement


def _fingerprint(report: FileReport, finding: Finding, seen: dict[str, int]) -> str:
    """Hash of code, path and offending text (whitespace-normalised), so it survives edits
    elsewhere in the file; `:n` numbers identical findings in one file."""
    offending = report.text[finding.span.start:finding.span.end]
    if not offending.strip():  # an insertion point: its line stands for it
        offending = report.lines.line_text(report.lines.line_of(finding.span.start))
    key = "\0".join((finding.code, artifact_uri(report.path), " ".join(offending.split())))
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    seen[digest] = seen.get(digest, 0) + 1
    return f"{digest}:{seen[digest]}"

"""analyze(text) -> Analysis: the syntax tree, the policy model and every finding.

The one entry point the language server and the CLI share, so both report the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .catalog.services import ServiceCatalog, default_catalog
from .checks import CheckContext, StatementMemo, run_checks
from .config import DEFAULT_MAX_FILE_SIZE
from .document.policy import DocumentKind, Policy, PolicyType, build_policy, infer_policy_type
from .document.syntax import ParseMemory, ParseResult, parse, parse_again
from .document.text import LineIndex, Span
from .findings import Finding
from .formats.embedded import EmbeddedPolicy
from .formats.host import HostAnalysis, HostKind, analyze_host
from .formats.incremental import HostAnalyzer
from .formats.terraform import IAM_CONTENT


@dataclass(frozen=True, slots=True)
class Settings:
    # Analyze even when the document does not look like a policy (the user said it is one).
    assume_policy: bool = False
    # Documents larger than this many bytes (UTF-8) are not analysed (`max-file-size`): IAM
    # policies are a few KB, and analysing megabytes on every keystroke stalls the editor.
    max_size: int = DEFAULT_MAX_FILE_SIZE
    # The policy's type, as the user's settings give it (`policy-type`, the editor's
    # `policyType`, `check --policy-type`); None: read from the content (a `Principal` makes
    # it a resource policy, or a trust policy when it grants only role assumption).
    policy_type: PolicyType | None = None


@dataclass(slots=True)
class Analysis:
    text: str
    policy: Policy
    findings: list[Finding] = field(default_factory=list)
    # Set for a template or YAML file (`analyze_in_host`): only `findings` (with their fixes)
    # apply; `policy` is an unparsed stand-in, so the JSON editor features do not.
    host: HostKind | None = None
    # In a host file: what its analysis found (`embedded` reads the policies from it).
    hosted: HostAnalysis | None = None
    # A JSON policy file's type, as it was checked (from the settings or its content); in a
    # host file, the settings' type for a YAML policy file (None: from its content).
    policy_type: PolicyType | None = None

    @property
    def embedded(self) -> list[EmbeddedPolicy]:
        """A host file's policies (their trees in the host's coordinates), in file order."""
        return self.hosted.policies if self.hosted is not None else []

    @property
    def is_policy(self) -> bool:
        return self.policy.is_policy

    def policies_at(self, offset: int) -> list[EmbeddedPolicy]:
        """The host policies whose trees span `offset` (ends included: a cursor after the
        last character still belongs to it), in file order."""
        return self.hosted.policies_at(offset) if self.hosted is not None else []

    def policy_at(self, offset: int) -> EmbeddedPolicy | None:
        """The first host policy whose tree spans `offset`; None outside every policy."""
        found = self.policies_at(offset)
        return found[0] if found else None


# A template or YAML policy near the start of a large file: too large is then worth saying
# (in a Terraform file: a policy-bearing resource or data source, `terraform.IAM_CONTENT`).
_HOST_HINT = re.compile(r'^(?:Resources|AWSTemplateFormatVersion|Statement)[ \t]*:'
                        r'|"(?:Resources|AWSTemplateFormatVersion)"\s*:', re.MULTILINE)


def analyze_in_host(text: str, kind: HostKind, settings: Settings | None = None,
                    catalog: ServiceCatalog | None = None) -> Analysis | None:
    """A template's or YAML file's findings (`formats.host.analyze_host`, as `check` gives
    them); None for JSON that is no template (analyse it as a policy). YAML that holds no
    template and no policy gets no findings, never syntax errors."""
    settings = settings or Settings()
    return _in_host(text, kind, settings, lambda host_text, host_kind: analyze_host(
        host_text, host_kind, catalog, settings.policy_type))


def _in_host(text: str, kind: HostKind, settings: Settings,
             analyze_text: Callable[[str, HostKind], HostAnalysis],
             lines: LineIndex | None = None) -> Analysis | None:
    skipped = ParseResult(text, None, [], [], _lines=lines, skipped=True)
    size = utf8_size(text)
    if size > settings.max_size:
        if kind is HostKind.JSON:
            return None  # as a JSON document: a policy or not, `analyze` says
        hint = IAM_CONTENT if kind is HostKind.TERRAFORM else _HOST_HINT
        too_large = hint.search(text, 0, _SNIFFED) is not None or settings.assume_policy
        findings = _too_large(text, size, Settings(True, settings.max_size)).findings
        return Analysis(text, Policy(skipped, DocumentKind.OTHER, None),
                        findings if too_large else [], kind)
    host = analyze_text(text, kind)
    if not host.is_host and kind is HostKind.JSON:
        return None
    return Analysis(text, Policy(skipped, DocumentKind.OTHER, None), host.findings, kind, host,
                    settings.policy_type)


def analyze(text: str, settings: Settings | None = None,
            catalog: ServiceCatalog | None = None) -> Analysis:
    """Parse and check `text`. Never raises on any input string; silent on non-policy JSON."""
    settings = settings or Settings()
    size = utf8_size(text)
    if size > settings.max_size:
        return _too_large(text, size, settings)
    return _checked(text, parse(text), settings, catalog)


def _checked(text: str, parsed: ParseResult, settings: Settings,
             catalog: ServiceCatalog | None, memo: StatementMemo | None = None) -> Analysis:
    """The policy model over `parsed` and its findings (none for JSON that is no policy)."""
    policy = build_policy(parsed, settings.assume_policy)
    if not policy.is_policy and not settings.assume_policy:
        return Analysis(text, policy)
    policy_type = settings.policy_type or infer_policy_type(policy)
    context = CheckContext(policy, catalog or default_catalog(), policy_type)
    return Analysis(text, policy, run_checks(context, memo), policy_type=policy_type)


class DocumentAnalyzer:
    """Analyses the successive texts of one open document, each as `analyze` would, but
    reusing what the last edit cannot have changed: the tokens and error-free objects
    outside the edited region (`syntax.parse_again`) and the findings of the per-statement
    checks on statements whose text is unchanged (`checks.StatementMemo`); in a template,
    every resource but the edited one (`formats.incremental`). Holds the last version's
    tokens, objects and findings only: one per document, dropped with it."""

    def __init__(self, catalog: ServiceCatalog | None = None) -> None:
        self._catalog = catalog
        self._parse: ParseMemory | None = None
        self._memo = StatementMemo()
        self._host = HostAnalyzer(catalog)
        self._lines: LineIndex | None = None

    def analyze(self, text: str, settings: Settings | None = None) -> Analysis:
        """`analyze(text, settings, catalog)`, the same result, sooner after a small edit."""
        settings = settings or Settings()
        size = utf8_size(text)
        if size > settings.max_size:
            self._parse = None
            return _too_large(text, size, settings)
        parsed, self._parse = parse_again(text, self._parse)
        return _checked(text, parsed, settings, self._catalog, self._memo)

    def analyze_in_host(self, text: str, kind: HostKind,
                        settings: Settings | None = None) -> Analysis | None:
        """`analyze_in_host(text, kind, settings, catalog)`, the same result, sooner after a
        small edit (`formats.incremental`: only the template's edited resource again)."""
        settings = settings or Settings()
        return _in_host(text, kind, settings, lambda host_text, host_kind: self._host.analyze(
            host_text, host_kind, settings.policy_type), self._line_index(text))

    def outline_in_host(self, text: str, kind: HostKind,
                        settings: Settings | None = None) -> Analysis | None:
        """A template's or YAML file's policies, read without checking them (completion and
        hover right after an edit need the trees, not the findings: `findings` is empty);
        None when only `analyze_in_host` can tell (a damaged or large file, JSON that may be
        no template), which then reuses what this read."""
        settings = settings or Settings()
        if utf8_size(text) > settings.max_size:
            return None
        host = self._host.outline(text, kind)
        if host is None or not host.is_host:
            return None
        skipped = ParseResult(text, None, [], [], _lines=self._line_index(text), skipped=True)
        return Analysis(text, Policy(skipped, DocumentKind.OTHER, None), [], kind, host,
                        settings.policy_type)

    def _line_index(self, text: str) -> LineIndex:
        """The line index of `text`, built once for the outline and the analysis of it."""
        if self._lines is None or self._lines.text != text:
            self._lines = LineIndex(text)
        return self._lines

    def forget(self) -> None:
        """Drops what it keeps; the next text is analysed in full (and kept again)."""
        self._parse = None
        self._memo = StatementMemo()
        self._host.forget()
        self._lines = None

    def state_size(self) -> tuple[int, int, int]:
        """How much it keeps: tokens, reusable objects, memoised statement results."""
        memory = self._parse
        return (len(memory.tokens) if memory else 0, len(memory.objects) if memory else 0,
                len(self._memo))


def utf8_size(text: str) -> int:
    """Bytes of `text` in UTF-8 (lone surrogates count as the 3 bytes an editor would write)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


# Policy elements near the start of a document: a large file that has them is a policy.
_POLICY_HINT = re.compile(r'"(?:Version|Statement|Effect)"\s*:')
_SNIFFED = 65_536


def _too_large(text: str, size: int, settings: Settings) -> Analysis:
    """Not parsed: one FILE_ERROR at the start, or silence for JSON that is no policy (a
    large package-lock.json opened in the editor)."""
    skipped = ParseResult(text, None, [], [], skipped=True)
    if not settings.assume_policy and _POLICY_HINT.search(text, 0, _SNIFFED) is None:
        return Analysis(text, Policy(skipped, DocumentKind.OTHER, None))
    limit = settings.max_size
    finding = Finding(
        "FILE_ERROR", f"Document too large to check: {size:,} bytes, over the limit of "
        f'{limit:,} ("max-file-size"); IAM policies are at most a few KB, so it was not '
        "analysed", Span(0, 0), data={"size": size, "limit": limit},
        translations={"ko": f"문서가 너무 커서 검사하지 않았습니다. {size:,}바이트로 한도 "
                            f'{limit:,}바이트("max-file-size")를 넘습니다. IAM 정책은 길어야 '
                            "수 KB입니다."})
    return Analysis(text, Policy(skipped, DocumentKind.POLICY, None), [finding])

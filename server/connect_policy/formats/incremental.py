"""HostAnalyzer: one open template analysed again after each edit, re-analysing only the
resource the edit touched; the result is always the one `analyze_host` gives.

A keystroke in a 3,000-line template changes one resource of hundreds. YAML: tree-sitter
re-parses incrementally (the last tree, told of the edit), the template's top-level pairs and
its resources are walked, and each resource's text is looked up among the last version's
(the same text at the same column has the same policies and findings, moved to where it now
starts): only a resource with new text is converted and checked. JSON: an edit inside one
resource's braces re-parses that resource's text alone (a half-typed string in it too); the
other resources' results are moved. Anything else is analysed in full (`analyze_host`):
YAML syntax errors, anchors (a resource's value may then come from elsewhere), several
documents, a policy file rather than a template, an edit outside one resource, a JSON file
with errors outside the edited resource. A change of the parameters that stand in for `!Ref`
(`single_values`) drops what was kept.

`outline` reads the policies of a new text without checking them: completion and hover
right after a keystroke need the trees, not the findings, and `analyze` of the same text
then only checks what `outline` read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tree_sitter

from ..catalog.services import ServiceCatalog, default_catalog
from ..document.policy import PolicyType
from ..document.syntax import (
    JsonMember,
    JsonObject,
    JsonString,
    SyntaxProblem,
    parse,
    parse_within,
    shifted,
    unchanged_ends,
)
from ..findings import Finding
from .cloudformation import TEMPLATE_KEYS, resource_members, resource_policies
from .embedded import EmbeddedPolicy
from .host import (
    HostAnalysis,
    HostKind,
    ResourceAnalysis,
    analyze_host,
    analyze_resource,
    json_template,
    syntax_findings,
)
from .intrinsics import single_values
from .yaml_limits import DepthCounter, beyond_the_parser, unreadable_characters
from .yaml_tree import Converter, syntax_errors, yaml_parser

# An anchor (`&name`) where YAML may read one: a resource could then take its value from
# elsewhere (an alias with no anchor is unknown, read alone or not). Over-matching only
# costs a full analysis.
_ANCHOR = re.compile(r"&[^\s\[\]{},]")
_SEPARATORS = frozenset(" \t\r\n[]{},")
# The depth `yaml_tree.Converter` gives the template's mapping and its `Resources` mapping.
_TOP_DEPTH, _RESOURCES_DEPTH = 1, 3
# Syntax errors in one JSON resource beyond which the file is parsed whole (the whole file's
# parse stops listing errors at `syntax.MAX_ERRORS`).
_MAX_RESOURCE_ERRORS = 50


@dataclass(slots=True)
class _Resource:
    """A resource of a recent version: where its text starts; once read, its member and
    policies (and syntax errors); once checked, its analysis."""

    start: int
    member: JsonMember | None = None
    policies: list[EmbeddedPolicy] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    analysis: ResourceAnalysis | None = None
    # False for the YAML resource that holds the file's syntax errors (`host.analyze_host`).
    clean: bool = True

    def checked(self, text: str, known: dict[str, str], catalog: ServiceCatalog,
                yaml: bool) -> ResourceAnalysis:
        if self.analysis is None:
            analysis = (ResourceAnalysis([], []) if self.member is None else analyze_resource(
                self.member, text, known, catalog, yaml=yaml, clean=self.clean,
                policies=self.policies))
            analysis.findings.extend(self.errors)
            self.analysis, self.member, self.policies = analysis, None, []
        return self.analysis

    def outline(self) -> ResourceAnalysis:
        return self.analysis or ResourceAnalysis(self.policies, [])

    def moved(self, start: int) -> _Resource | None:
        """The same text now at `start`; None when it was only read, or holds syntax errors
        (their messages name lines and columns): read it again there."""
        if start == self.start:
            return self
        if self.analysis is None or self.errors:
            return None
        return _Resource(start, analysis=self.analysis.moved(start - self.start))


@dataclass(slots=True)
class _YamlVersion:
    """What reading one YAML text gave: its syntax errors, its resources in order, and the
    parameters' single values they were read with."""

    text: str
    errors: list[Finding]
    resources: list[_Resource]
    known: dict[str, str]


@dataclass(slots=True)
class _JsonResource:
    """A resource of a JSON version: its key, where its value's braces are, and what is known
    of it (None: to read again, from its braces)."""

    key: JsonString
    colon: int | None
    value_start: int
    value_end: int
    resource: _Resource | None

    def moved(self, shift: int) -> _JsonResource:
        if not shift:
            return self
        key: JsonString = shifted(self.key, shift)
        start = self.value_start + shift
        return _JsonResource(key, None if self.colon is None else self.colon + shift, start,
                             self.value_end + shift,
                             self.resource.moved(start) if self.resource else None)


class HostAnalyzer:
    """The successive texts of one open template or YAML/JSON host file. Keeps the last
    texts, the YAML tree and each resource's policies and analysis: one per document,
    dropped with it."""

    def __init__(self, catalog: ServiceCatalog | None = None) -> None:
        self._catalog = catalog
        self._kind: HostKind | None = None
        # The setting's type for a YAML policy file, that `_last` was analysed with.
        self._policy_type: PolicyType | None = None
        self._last_text = ""
        self._last: HostAnalysis | None = None
        self._tree_text = ""
        self._tree: tree_sitter.Tree | None = None
        self._data = b""
        # How deep the YAML may nest (tree-sitter-yaml must not be given a stream too deep).
        self._depth = DepthCounter()
        # The last YAML text read, for `analyze` after `outline` of the same text.
        self._version: _YamlVersion | None = None
        self._known: dict[str, str] | None = None
        # YAML: each resource of the last version read, by (column, text, clean).
        self._yaml_resources: dict[tuple[int, str, bool], _Resource] = {}
        # JSON: the resources of `_json_text` in order (empty after a full analysis that
        # found errors or no template).
        self._json_text = ""
        self._json_resources: list[_JsonResource] = []
        # Resources read again by the last call; -1 when it read the whole file.
        self.analysed = 0

    def analyze(self, text: str, kind: HostKind,
                policy_type: PolicyType | None = None) -> HostAnalysis:
        """`analyze_host(text, kind, catalog, policy_type)`, sooner after a small edit."""
        catalog = self._catalog or default_catalog()
        self._start(kind)
        if policy_type is not self._policy_type:  # a YAML policy file's type was changed
            self._last, self._policy_type = None, policy_type
        if self._last is not None and text == self._last_text:
            self.analysed = 0
            return self._last
        result = None
        if kind is HostKind.YAML:
            result = self._yaml(text, catalog, check=True)
        elif kind is HostKind.JSON:
            result = self._json(text, catalog, check=True)
        if result is None:
            self.analysed = -1
            result = analyze_host(text, kind, catalog, policy_type)
        self._last_text, self._last = text, result
        return result

    def outline(self, text: str, kind: HostKind) -> HostAnalysis | None:
        """The policies of `text` (its findings are not all there: use `analyze` for them),
        read without checking them; None when that takes reading the whole file (then
        `analyze` is no slower)."""
        catalog = self._catalog or default_catalog()
        self._start(kind)
        if self._last is not None and text == self._last_text:
            return self._last
        if kind is HostKind.YAML:
            return self._yaml(text, catalog, check=False)
        if kind is HostKind.JSON:
            return self._json(text, catalog, check=False)
        return None

    def forget(self) -> None:
        """Drops what it keeps; the next text is analysed in full."""
        self._kind, self._last_text, self._last = None, "", None
        self._tree_text, self._tree, self._data = "", None, b""
        self._version = None
        self._depth = DepthCounter()
        self._known = None
        self._yaml_resources = {}
        self._json_text, self._json_resources = "", []

    def _start(self, kind: HostKind) -> None:
        if kind is not self._kind:
            self.forget()
            self._kind = kind

    # YAML

    def _yaml(self, text: str, catalog: ServiceCatalog, check: bool) -> HostAnalysis | None:
        """The template's analysis (or outline), resource by resource; None when the file
        is read in full."""
        version = self._version
        if version is not None and version.text == text:
            self.analysed = 0  # read by `outline` already: only the checks are left
        else:
            version = self._version = self._read_yaml(text)
            if version is None:
                return None
        result = HostAnalysis(text, True)
        result.findings.extend(version.errors)
        for resource in version.resources:
            result.add(resource.checked(text, version.known, catalog, yaml=True) if check
                       else resource.outline())
        return result.sort()

    def _read_yaml(self, text: str) -> _YamlVersion | None:
        """The text's resources, read again where their text is new; None when the file is
        to be read in full."""
        if beyond_the_parser(text, self._depth) is not None or unreadable_characters(text):
            # tree-sitter-yaml cannot be given it, or not as it is: analyze_host says why
            self._tree_text, self._tree, self._data = "", None, b""
            return None
        data = text.encode("utf-8", "surrogatepass")
        tree = self._parse_yaml(text, data)
        self._tree_text, self._tree, self._data = text, tree, data
        found = _template_pairs(tree, text, data)
        if found is None:
            self._yaml_resources, self._known = {}, None
            return None
        converter, parameters, pairs = found
        errors = syntax_errors(tree, converter) if tree.root_node.has_error else []
        damaged = _damaged_pair(converter, pairs, errors) if errors else None
        if errors and damaged is None:
            return None  # damage outside one resource: its neighbours' trees may be guesses
        known = _known_values(converter, parameters)
        if known != self._known:
            self._yaml_resources, self._known = {}, known
        # The errors' lines are named in their messages: found again for every version.
        version = _YamlVersion(text, syntax_findings(errors, "YAML_SYNTAX_ERROR"), [], known)
        kept: dict[tuple[int, str, bool], _Resource] = {}
        self.analysed = 0
        for pair in pairs:
            start, end = converter.at(pair.start_byte), converter.at(pair.end_byte)
            clean = damaged is None or pair.start_byte != damaged[0].start_byte
            key = (start - text.rfind("\n", 0, start) - 1, text[start:end], clean)
            resource = kept.get(key) or self._yaml_resources.get(key)
            if resource is not None:
                resource = resource.moved(start)
            if resource is None:
                member = (damaged[1] if damaged is not None and not clean else
                          converter.pair(pair, _RESOURCES_DEPTH))
                resource = _Resource(start, member, [] if member is None else
                                     resource_policies(member, text, known), clean=clean)
                self.analysed += 1
            kept[key] = resource
            version.resources.append(resource)
        self._yaml_resources = kept
        return version

    def _parse_yaml(self, text: str, data: bytes) -> tree_sitter.Tree:
        """The new text's tree, from the last one told of the edit when there is one."""
        old = self._tree
        if old is None:
            return yaml_parser().parse(data)
        before = self._tree_text
        if text == before:
            return old
        prefix, suffix = unchanged_ends(before, text)
        start = _Point.of(before, prefix)
        old_end = _Point.of(before, len(before) - suffix)
        new_end = _Point.of(text, len(text) - suffix)
        old.edit(start.byte, old_end.byte, new_end.byte, start.point, old_end.point,
                 new_end.point)
        return yaml_parser().parse(data, old)

    # JSON

    def _json(self, text: str, catalog: ServiceCatalog, check: bool) -> HostAnalysis | None:
        if self._json_resources:
            result = self._json_edit(text, catalog, check)
            if result is not None:
                return result
        self._json_text, self._json_resources = "", []
        if not check:
            return None
        self.analysed = -1
        parsed = parse(text)
        result = json_template(parsed, catalog)
        if not result.is_host or parsed.errors:
            return result  # re-reading one resource needs a clean file
        assert isinstance(parsed.root, JsonObject)
        members = resource_members(parsed.root)
        if all(isinstance(member.value, JsonObject) for member in members):
            self._known = single_values(parsed.root)
            self._json_text = text
            self._json_resources = [  # the parts are the members', in order
                _JsonResource(member.key, member.colon, member.value.start, member.value.end,
                              _Resource(member.value.start, analysis=part))
                for member, part in zip(members, result.parts, strict=True)
                if isinstance(member.value, JsonObject)]
        return result

    def _json_edit(self, text: str, catalog: ServiceCatalog,
                   check: bool) -> HostAnalysis | None:
        """After an edit between one resource's braces (or none): that resource alone read
        again; None for any other edit."""
        before, resources = self._json_text, self._json_resources
        if text != before:
            prefix, suffix = unchanged_ends(before, text)
            old_end, shift = len(before) - suffix, len(text) - len(before)
            edited = next((i for i, r in enumerate(resources)
                           if r.value_start < prefix and old_end < r.value_end), None)
            if edited is None:
                return None
            slot = resources[edited]
            resources = [*resources[:edited],
                         _JsonResource(slot.key, slot.colon, slot.value_start,
                                       slot.value_end + shift, None),
                         *(r.moved(shift) for r in resources[edited + 1:])]
        known = self._known or {}
        self.analysed = 0
        for i, slot in enumerate(resources):
            if slot.resource is None:
                resource = _read_json_resource(slot, text, known)
                if resource is None:
                    return None
                resources[i] = _JsonResource(slot.key, slot.colon, slot.value_start,
                                             slot.value_end, resource)
                self.analysed += 1
        self._json_text, self._json_resources = text, resources
        result = HostAnalysis(text, True)
        for slot in resources:
            assert slot.resource is not None
            result.add(slot.resource.checked(text, known, catalog, yaml=False) if check
                       else slot.resource.outline())
        return result.sort()


def _read_json_resource(slot: _JsonResource, text: str,
                        known: dict[str, str]) -> _Resource | None:
    """One resource's value parsed where it stands, inside the template's object and
    `Resources`: closed at the same `}`, it is what the whole file's parse gives there
    (errors included, as a half-typed string makes them). None when it is not."""
    start, end = slot.value_start, slot.value_end
    parsed = parse_within(text, start, end, "{{")
    value = parsed.root
    if (parsed.extra_roots or not isinstance(value, JsonObject) or not value.closed
            or value.start != start or value.end != end
            or len(parsed.errors) > _MAX_RESOURCE_ERRORS):
        return None
    member = JsonMember(slot.key, value, slot.colon)
    return _Resource(start, member, resource_policies(member, text, known),
                     syntax_findings(parsed.errors, "JSON_SYNTAX_ERROR"))


@dataclass(frozen=True, slots=True)
class _Point:
    """An offset as tree-sitter counts it: a UTF-8 byte, and a row and byte column."""

    byte: int
    point: tuple[int, int]

    @staticmethod
    def of(text: str, offset: int) -> _Point:
        line_start = text.rfind("\n", 0, offset) + 1
        row = text.count("\n", 0, offset)
        if text.isascii():
            return _Point(offset, (row, offset - line_start))
        column = len(text[line_start:offset].encode("utf-8", "surrogatepass"))
        return _Point(len(text[:offset].encode("utf-8", "surrogatepass")), (row, column))


def _template_pairs(tree: tree_sitter.Tree, text: str, data: bytes
                    ) -> tuple[Converter, tree_sitter.Node | None,
                               list[tree_sitter.Node]] | None:
    """The template's `Parameters` pair and its resources' pairs, for a file that is one
    clean YAML document holding a template in block style without anchors
    (None for anything else: `analyze_host` reads it in full)."""
    root = tree.root_node
    if _has_anchor(text):
        return None
    documents = [child for child in root.children if child.type != "comment"]
    if len(documents) != 1 or documents[0].type != "document":
        return None
    top = _block_mapping(next((child for child in documents[0].named_children
                               if child.type != "comment"), None))
    if top is None:
        return None
    converter = Converter(text, data)
    named: dict[str, tree_sitter.Node] = {}
    for pair in top.named_children:
        if pair.type != "block_mapping_pair":
            continue
        key = pair.child_by_field_name("key")
        if key is not None:
            named[converter.key(key).value] = pair  # the last of a name, as the model keeps
    if not any(name in named for name in TEMPLATE_KEYS):
        return None
    resources: list[tree_sitter.Node] = []
    if "Resources" in named:
        value = named["Resources"].child_by_field_name("value")
        section = _block_mapping(value)
        if section is None:
            return None  # `Resources: {…}`, a tag, null: rare, read in full
        resources = [pair for pair in section.named_children
                     if pair.type == "block_mapping_pair"]
    return converter, named.get("Parameters"), resources


def _damaged_pair(converter: Converter, pairs: list[tree_sitter.Node],
                  errors: list[SyntaxProblem]) -> tuple[tree_sitter.Node, JsonMember] | None:
    """The resource every syntax error lies in (as `host.damaged_resource` decides it), and
    its member; None when there is none."""
    first = errors[0].span.start
    pair = next((p for p in pairs
                 if converter.at(p.start_byte) <= first < converter.at(p.end_byte)), None)
    member = converter.pair(pair, _RESOURCES_DEPTH) if pair is not None else None
    if pair is None or member is None or not all(
            member.key.start <= error.span.start and error.span.end <= member.end
            for error in errors):
        return None
    return pair, member


def _has_anchor(text: str) -> bool:
    if "&" not in text:
        return False
    return any(match.start() == 0 or text[match.start() - 1] in _SEPARATORS
               for match in _ANCHOR.finditer(text))


def _block_mapping(node: tree_sitter.Node | None) -> tree_sitter.Node | None:
    """The block mapping a block node holds, when it holds only that (no tag, no anchor)."""
    if node is None or node.type != "block_node":
        return None
    content = [child for child in node.named_children if child.type != "comment"]
    if len(content) != 1 or content[0].type != "block_mapping":
        return None
    return content[0]


def _known_values(converter: Converter, parameters: tree_sitter.Node | None
                  ) -> dict[str, str]:
    if parameters is None:
        return {}
    member = converter.pair(parameters, _TOP_DEPTH)
    if member is None:
        return {}
    return single_values(JsonObject(member.key.start, member.end, [member]))

"""Editor insight that follows the policy's structure: the outline (document symbols),
folding ranges, inlay hints after actions, and links from actions and condition keys to
the Service Authorization Reference."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum

from ..analysis import Analysis
from ..catalog.global_keys import find_global_key
from ..catalog.services import ServiceCatalog, default_catalog
from ..document.policy import (
    ACTION_ELEMENTS,
    Policy,
    PolicyType,
    build_policy,
    infer_policy_type,
    strings_in,
)
from ..document.syntax import JsonArray, JsonObject, JsonString, JsonValue, ParseResult
from ..document.text import Span

GLOBAL_KEYS_PAGE = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/"
                    "reference_policies_condition-keys.html")
_ACCESS_LEVEL_KO = {"List": "목록", "Read": "읽기", "Write": "쓰기",
                    "Permissions management": "권한 관리", "Tagging": "태깅"}


class SymbolKind(Enum):
    POLICY = "policy"
    STATEMENT = "statement"
    ELEMENT = "element"


@dataclass(slots=True)
class Symbol:
    name: str
    kind: SymbolKind
    span: Span  # the whole construct
    selection: Span  # what to highlight: the key or the statement's Sid
    detail: str = ""
    children: list[Symbol] = field(default_factory=list)


def document_symbols(policy: Policy, policy_type: PolicyType | None = None) -> list[Symbol]:
    """The outline: the policy (its detail: its type, when known, and its version), its
    statements (by Sid, else by number), their elements."""
    root = policy.root
    if root is None and policy.array is None:
        return []
    statements = []
    for number, statement in enumerate(policy.statements, start=1):
        sid = statement.value("Sid")
        sid = sid if isinstance(sid, JsonString) and sid.value.strip() else None
        name = sid.value if sid is not None else f"Statement {number}"
        effect = statement.value("Effect")
        detail = effect.value if isinstance(effect, JsonString) else ""
        node = statement.node
        elements = [Symbol(_symbol_name(m.key.value), SymbolKind.ELEMENT,
                           Span(m.key.start, m.end), m.key.span, _element_detail(m.value))
                    for m in node.members]
        # The Sid, when written inside the statement (a YAML alias's is its anchor's, elsewhere:
        # editors reject a selection outside the symbol).
        inside = sid is not None and node.start <= sid.start <= sid.end <= node.end
        statements.append(Symbol(name, SymbolKind.STATEMENT, node.span,
                                 sid.span if sid is not None and inside
                                 else Span(node.start, node.start + 1), detail, elements))
    if root is None:  # a bare array of statements: they are the outline
        return statements
    version = root.value_of("Version")
    detail = version.value if isinstance(version, JsonString) else ""
    if policy_type is not None:
        detail = f"{policy_type.label} · {detail}" if detail else policy_type.label
    return [Symbol("Policy", SymbolKind.POLICY, root.span, Span(root.start, root.start + 1),
                   detail, statements)]


def _symbol_name(key: str) -> str:
    """Editors reject a symbol with a blank name (VS Code drops the whole outline): a blank
    or missing key is shown quoted."""
    return key if key.strip() else json.dumps(key)


def _element_detail(value: JsonValue | None) -> str:
    if isinstance(value, JsonArray):
        return f"{len(value.items)} item{'s' if len(value.items) != 1 else ''}"
    if isinstance(value, JsonString):
        text = value.value
        return text if len(text) <= 40 else text[:39] + "…"
    return ""


def folding_spans(policy: Policy) -> list[Span]:
    """Every object and array of the document (the client keeps those spanning lines)."""
    found: list[Span] = []

    def walk(node: JsonValue | None) -> None:
        if isinstance(node, JsonObject):
            found.append(node.span)
            for member in node.members:
                walk(member.value)
        elif isinstance(node, JsonArray):
            found.append(node.span)
            for item in node.items:
                walk(item)

    walk(policy.parse.root)
    for extra in policy.parse.extra_roots:
        walk(extra)
    return found


def selection_spans(policy: Policy, offset: int) -> list[Span]:
    """Expanding selection at `offset`, innermost first, following the JSON structure: a
    string's content, the string, its `"key": value` member, the object or array around it,
    and so on up to the whole document."""
    chain: list[Span] = []

    def add(span: Span) -> None:
        if span.start <= offset <= span.end and (not chain or chain[-1] != span):
            chain.append(span)

    def walk(node: JsonValue | None) -> None:
        if node is None or not node.start <= offset <= node.end:
            return
        if isinstance(node, JsonObject):
            for member in node.members:
                if member.key.start <= offset <= member.end:
                    if member.key.start <= offset <= member.key.end:
                        walk(member.key)
                    else:
                        walk(member.value)
                    add(Span(member.key.start, member.end))
                    break
        elif isinstance(node, JsonArray):
            for item in node.items:
                if item.start <= offset <= item.end:
                    walk(item)
                    break
        elif isinstance(node, JsonString) and node.value:
            add(node.content_span())
        add(node.span)

    for root in (policy.parse.root, *policy.parse.extra_roots):
        if root is not None and root.start <= offset <= root.end:
            walk(root)  # only one: two roots that touch at `offset` do not nest
            break
    add(Span(0, len(policy.parse.text)))
    return chain


@dataclass(frozen=True, slots=True)
class InlayHint:
    offset: int  # where the hint goes: just after the action string
    label: str
    tooltip: str


def inlay_hints(policy: Policy, span: Span, locale: str | None = None,
                catalog: ServiceCatalog | None = None) -> list[InlayHint]:
    """After each action its access level; after each wildcard how many actions it grants."""
    catalog = catalog or default_catalog()
    korean = bool(locale and locale.lower().startswith("ko"))
    hints = []
    for statement in policy.statements:
        for element in ACTION_ELEMENTS:
            for node, _ in strings_in(statement.value(element)):
                if node.end < span.start or node.start > span.end:
                    continue
                prefix, colon, name = node.value.partition(":")
                service = catalog.service(prefix) if colon and name else None
                if service is None:
                    continue
                if "*" in name or "?" in name:
                    matched = service.match(name)
                    if matched:
                        count = len(matched)
                        label = (f"{count}개 작업" if korean
                                 else f"{count} action{'s' if count != 1 else ''}")
                        hints.append(InlayHint(node.end, label, ", ".join(
                            a.name for a in matched[:30]) + (" …" if count > 30 else "")))
                    continue
                action = service.action(name)
                if action is not None and action.access_level:
                    level = action.access_level
                    label = _ACCESS_LEVEL_KO.get(level, level) if korean else level
                    hints.append(InlayHint(node.end, label, action.description))
    return hints


@dataclass(frozen=True, slots=True)
class DocumentLink:
    span: Span
    target: str


def document_links(policy: Policy, catalog: ServiceCatalog | None = None
                   ) -> list[DocumentLink]:
    """Actions and condition keys link to their service's page in the reference."""
    catalog = catalog or default_catalog()
    links = []
    for statement in policy.statements:
        for element in ACTION_ELEMENTS:
            for node, _ in strings_in(statement.value(element)):
                prefix, colon, _name = node.value.partition(":")
                if colon and catalog.has_service(prefix):
                    links.append(DocumentLink(node.content_span(),
                                              catalog.reference_url(prefix)))
        condition = statement.value("Condition")
        if not isinstance(condition, JsonObject):
            continue
        for block in condition.members:
            if not isinstance(block.value, JsonObject):
                continue
            for member in block.value.members:
                key = member.key.value
                prefix = key.partition(":")[0]
                if find_global_key(key) is not None or prefix.lower() == "aws":
                    links.append(DocumentLink(member.key.content_span(), GLOBAL_KEYS_PAGE))
                elif catalog.has_service(prefix):
                    links.append(DocumentLink(member.key.content_span(),
                                              catalog.reference_url(prefix)))
    return links


# --- Host files: the same, policy by policy ----------------------------------------------------


def host_policies(analysis: Analysis) -> list[tuple[str, Policy]]:
    """The policy model of each policy of a template or YAML policy file, with its label
    ("" for a policy file of its own); its spans are the host's offsets."""
    models = []
    for embedded in analysis.embedded:
        parse = ParseResult(analysis.text, embedded.root, [], [])
        # A document at a policy's place in a template is a policy, whatever it holds.
        policy = build_policy(parse, assume_policy=embedded.policy_type is not None)
        if policy.is_policy:
            models.append((embedded.label, policy))
    return models


def host_document_symbols(analysis: Analysis) -> list[Symbol]:
    """A template's outline: each policy by its place (`AgentRole.Policies[0]`), then its
    statements and their elements as in a policy file; a YAML policy file's, as a JSON
    policy's."""
    symbols: list[Symbol] = []
    types = {id(e.root): e.policy_type for e in analysis.embedded}
    for label, policy in host_policies(analysis):
        if not label:  # a YAML policy file: its type as a JSON file's
            symbols.extend(document_symbols(policy, analysis.policy_type or infer_policy_type(
                policy)))
            continue
        outline = document_symbols(policy)
        root = policy.root if policy.root is not None else policy.array
        if root is None:
            continue
        policy_type = types.get(id(root))
        kind = f"{policy_type.value} policy" if policy_type is not None else "policy"
        statements = outline[0].children if policy.root is not None and outline else outline
        symbols.append(Symbol(label, SymbolKind.POLICY, root.span,
                              Span(root.start, min(root.end, root.start + 1)), kind,
                              statements))
    return symbols


def host_inlay_hints(analysis: Analysis, span: Span, locale: str | None = None,
                     catalog: ServiceCatalog | None = None) -> list[InlayHint]:
    return [hint for _, policy in host_policies(analysis)
            for hint in inlay_hints(policy, span, locale, catalog)]


def host_document_links(analysis: Analysis, catalog: ServiceCatalog | None = None
                        ) -> list[DocumentLink]:
    return [link for _, policy in host_policies(analysis)
            for link in document_links(policy, catalog)]

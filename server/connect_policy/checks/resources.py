"""INVALID_SERVICE: a resource ARN in `Resource`/`NotResource` whose service does not exist.

Only the service part is checked here; the rest of the ARN's grammar is for the ARN checks.
ARNs with wildcards or policy variables in the service part are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding, replace_fix
from ..policy import strings_in
from ..suggest import best_matches
from .context import CheckContext

RESOURCE_ELEMENTS = ("Resource", "NotResource")


def check(context: CheckContext) -> Iterator[Finding]:
    catalog = context.catalog
    for statement in context.policy.statements:
        for element in RESOURCE_ELEMENTS:
            for node, _ in strings_in(statement.value(element)):
                parts = node.value.split(":", 3)
                if len(parts) < 4 or parts[0] != "arn":
                    continue
                service = parts[2]
                if not service or any(ch in service for ch in "*?$"):
                    continue
                if catalog.has_arn_service(service):
                    continue
                start = len(parts[0]) + len(parts[1]) + 2
                span = node.content_span(start, start + len(service))
                suggestions = best_matches(service, catalog.prefixes, limit=1)
                retired = catalog.retired_service(service)
                if retired is not None:
                    message = (f"`{service}` ({retired.service_name}) is no longer an AWS "
                               f"service: AWS removed it from the catalog after "
                               f"{retired.last_listed}, so this ARN matches nothing")
                else:
                    hint = f": did you mean `{suggestions[0]}`?" if suggestions else ""
                    message = f"`{service}` in this ARN is not an AWS service{hint}"
                fixes = tuple(replace_fix(f"Change to `{s}`", span, s) for s in suggestions
                              if retired is None)
                yield Finding("INVALID_SERVICE", message, span, fixes,
                              {"service": service, "suggestions": suggestions})

"""YAML text for what the editor inserts: scalars that read back as the same string, and
values written in block style (the statements of a completion snippet)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# A plain scalar that stays one string, in block and in flow context: starts with a letter,
# digit or `$` and holds none of YAML's indicators where they would be read as such.
_SAFE_PLAIN_BLOCK = re.compile(r"[A-Za-z0-9$][A-Za-z0-9_.:/*?@+=${}()<>~^|!-]*")
_SAFE_PLAIN_FLOW = re.compile(r"[A-Za-z0-9$][A-Za-z0-9_.:/*?@+=$()<>~^|!-]*")
# Read as a boolean, null, number or date by YAML 1.1 or 1.2 loaders (CloudFormation's is
# 1.1-like): such text must be quoted to stay a string.
_NOT_A_STRING = re.compile(
    r"(?i)(?:true|false|yes|no|on|off|null|y|n|~|[-+]?[0-9][0-9_.:eE+-]*|\.inf|\.nan)")


def plain_is_string(text: str, flow: bool) -> bool:
    """Whether `text`, written as a plain scalar, is read back as that string."""
    safe = _SAFE_PLAIN_FLOW if flow else _SAFE_PLAIN_BLOCK
    return (safe.fullmatch(text) is not None and not text.endswith(":")
            and ": " not in text and " #" not in text and _NOT_A_STRING.fullmatch(text) is None)


def double_quoted(text: str) -> str:
    """`text` as a double-quoted scalar (JSON's escapes are YAML's)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'



def block_lines(value: dict[str, Any] | list[Any], unit: str,
                scalar: Callable[[str], str]) -> list[str]:
    """`value` in block style, one string per line, indented from the first line's column
    (each nested mapping by `unit`; a list item's mapping starts on its `- ` line, its
    other keys under the first). `scalar` writes each string."""
    return _emit(value, "", unit, scalar)


def _emit(value: Any, indent: str, unit: str, scalar: Callable[[str], str]) -> list[str]:
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{indent}{scalar(str(key))}:")
                lines.extend(_emit(item, indent + unit, unit, scalar))
            else:
                lines.append(f"{indent}{scalar(str(key))}: {_flow(item, scalar)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)) and item:
                nested = _emit(item, indent + "  ", unit, scalar)
                lines.append(f"{indent}- {nested[0][len(indent) + 2:]}")
                lines.extend(nested[1:])
            else:
                lines.append(f"{indent}- {_flow(item, scalar)}")
    return lines


def _flow(value: Any, scalar: Callable[[str], str]) -> str:
    if isinstance(value, str):
        return scalar(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (dict, list)):
        return "{}" if isinstance(value, dict) else "[]"
    return str(value)

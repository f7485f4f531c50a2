"""CloudFormation intrinsic functions inside a policy: what is known before deployment.

`evaluate(node, text)` returns a copy of a policy document's model in which every function
object (`{"Ref": …}`, `{"Fn::…": …}`, and so the YAML short forms, which the YAML front-end
writes in the long form) is replaced by what can be said of its value before deployment:
- `Fn::Sub` of a string without `${…}`: that string (fully known, checked like any other);
- `Fn::Sub` with variables, `Fn::Join`: a `JsonUnknown` whose `template` is the text with
  the unknown parts as `${…}` (the action check still reads a fixed service prefix);
- `Fn::If`: a `JsonUnknown` whose alternatives are both branches (each one checked);
- anything else (`Ref`, `Fn::GetAtt`, `Fn::ImportValue`, `Fn::FindInMap`, `Fn::Select`, …):
  a `JsonUnknown`, never an error.

A template parameter is known only when its `AllowedValues` lists exactly one value: then
`!Ref Param` and `${Param}` in a `Fn::Sub` are that value, for certain (CloudFormation rejects
any other). Its `Default` is never used: the stack may be deployed with another value. A
value known this way is checked, but not fixed in place (`EmbeddedPolicy.substituted`): the
fix belongs to the parameter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..document.syntax import (
    JsonArray,
    JsonMember,
    JsonObject,
    JsonString,
    JsonUnknown,
    JsonValue,
)
from ..document.text import Span

# `${Name}` is a reference; `${!Name}` writes `${Name}` literally.
_REFERENCE = re.compile(r"\$\{(?!!)[^}]*\}")
_LITERAL = re.compile(r"\$\{!")


def function_name(node: JsonValue | None) -> str | None:
    """`Ref`, `Fn::Sub`… when `node` is a function object, else None."""
    if isinstance(node, JsonObject) and len(node.members) == 1:
        key = node.members[0].key.value
        if key == "Ref" or key.startswith("Fn::"):
            return key
    return None


def single_values(template: JsonObject) -> dict[str, str]:
    """The template's parameters whose `AllowedValues` holds exactly one string."""
    parameters = template.value_of("Parameters")
    known: dict[str, str] = {}
    if not isinstance(parameters, JsonObject):
        return known
    for member in parameters.members:
        declared = member.value
        allowed = declared.value_of("AllowedValues") if isinstance(declared, JsonObject) else None
        if (isinstance(allowed, JsonArray) and len(allowed.items) == 1
                and isinstance(allowed.items[0], JsonString)):
            known[member.key.value] = allowed.items[0].value
    return known


def evaluate(node: JsonValue | None, text: str, known: Mapping[str, str] | None = None,
             substituted: list[Span] | None = None) -> JsonValue | None:
    """`node` with its functions replaced (see the module's docstring); `node` itself is
    left as it was (an alias may share it with other places of the template). `known`: the
    parameters with a single allowed value (`single_values`); the spans of the values they
    give are added to `substituted`."""
    return _Evaluator(text, known or {}, substituted if substituted is not None else []
                      ).evaluate(node)


class _Evaluator:
    def __init__(self, text: str, known: Mapping[str, str], substituted: list[Span]) -> None:
        self.text = text
        self.known = known
        self.substituted = substituted

    def evaluate(self, node: JsonValue | None) -> JsonValue | None:
        if node is None:
            return None
        name = function_name(node)
        if name is not None:
            assert isinstance(node, JsonObject)
            return self.function(node, name, node.members[0].value)
        if isinstance(node, JsonObject):
            copy = JsonObject(node.start, node.end, closed=node.closed)
            copy.members = [JsonMember(m.key, self.evaluate(m.value), m.colon, m.written_end)
                            for m in node.members]
            return copy
        if isinstance(node, JsonArray):
            items = [self.evaluate(item) for item in node.items]
            return JsonArray(node.start, node.end, [i for i in items if i is not None],
                             node.closed)
        return node

    def function(self, node: JsonObject, name: str, argument: JsonValue | None) -> JsonValue:
        if name == "Ref" and isinstance(argument, JsonString) and argument.value in self.known:
            self.substituted.append(node.span)
            return JsonString(node.start, node.end, self.known[argument.value], False,
                              quote_len=0)
        if name == "Fn::Sub":
            template = argument.items[0] if isinstance(argument, JsonArray) and (
                argument.items) else argument
            if isinstance(template, JsonString) and self.known and not isinstance(
                    argument, JsonArray):
                template = self.known_parts(node, template)
            if isinstance(template, JsonString):
                return _sub(node, template, self.text[node.start:node.end])
        if name == "Fn::If" and isinstance(argument, JsonArray) and len(argument.items) == 3:
            branches = tuple(self.evaluate(branch) for branch in argument.items[1:]
                             if not is_no_value(branch))
            return JsonUnknown(node.start, node.end, self.text[node.start:node.end],
                               alternatives=tuple(b for b in branches if b is not None))
        return _function(node, name, argument, self.text)

    def known_parts(self, node: JsonObject, template: JsonString) -> JsonString:
        """The `Fn::Sub` string with the known parameters' `${Name}` written out."""
        value = _REFERENCE.sub(lambda m: self.known.get(m.group()[2:-1], m.group()),
                               template.value)
        if value == template.value:
            return template
        self.substituted.append(node.span)
        return JsonString(template.start, template.end, value, False, template.terminated,
                          template.quote_len)


def is_no_value(node: JsonValue | None) -> bool:
    """`!Ref AWS::NoValue`: the branch of an `Fn::If` that removes the element."""
    return (function_name(node) == "Ref" and isinstance(node, JsonObject)
            and isinstance(arg := node.members[0].value, JsonString)
            and arg.value == "AWS::NoValue")


def _function(node: JsonObject, name: str, argument: JsonValue | None,
              text: str) -> JsonValue:
    origin = text[node.start:node.end]
    if name == "Fn::Join" and isinstance(argument, JsonArray) and len(argument.items) == 2:
        delimiter, parts = argument.items
        if isinstance(delimiter, JsonString) and isinstance(parts, JsonArray):
            pieces = [p.value if isinstance(p, JsonString) else "${?}" for p in parts.items]
            return JsonUnknown(node.start, node.end, origin,
                               template=delimiter.value.join(pieces))
    return JsonUnknown(node.start, node.end, origin)


def _sub(node: JsonObject, template: JsonString, origin: str) -> JsonValue:
    value = template.value
    if _REFERENCE.search(value) is None:
        literal = _LITERAL.sub("${", value)
        return JsonString(template.start, template.end, literal,
                          template.verbatim and literal == value, template.terminated,
                          template.quote_len)
    span: Span | None = template.content_span() if template.verbatim else None
    return JsonUnknown(node.start, node.end, origin, template=value, template_span=span)

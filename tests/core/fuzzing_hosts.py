"""Host documents to fuzz: CloudFormation/SAM templates (YAML and JSON), YAML policy files and
Terraform files, real ones damaged and random ones built around `fuzzing.random_policy`.

`host_texts()` lists the real documents: the test data of tests/core/formats/data, the
benchmark stack (tests/core/stack_templates.py, small), the example policies as YAML policy
files and as Terraform. `random_host_text` puts a random policy where a template or a .tf
file holds one. `mutate_host` damages a text the ways YAML and HCL break: cut at any point,
lines deleted, duplicated, indented, dedented or indented with a tab, anchors and aliases,
extra `---` documents, unterminated quotes, flow collections and heredocs, and fragments of
CloudFormation and Terraform syntax. `fuzzing.check_host_document` checks the result.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from fuzzing import Probe, example_texts, mutate, random_policy, random_probe, random_statement
from stack_templates import json_text, stack_template, yaml_text

from connect_policy.formats.cloudformation import LOCATIONS, STATEMENT_LOCATIONS
from connect_policy.formats.host import HostKind
from connect_policy.formats.terraform import POLICY_ARGUMENTS

DATA = Path(__file__).resolve().parent / "formats" / "data"
KINDS = (HostKind.YAML, HostKind.JSON, HostKind.TERRAFORM)
ANCHORS = ("a", "s", "p")

# Pieces of YAML, CloudFormation and HCL syntax that steer a mutation towards the front-ends'
# interesting states (inserted at random, like fuzzing.FRAGMENTS in JSON).
HOST_FRAGMENTS = (
    "!Sub ", "!Sub '", "!Ref ", "!GetAtt ", "!If [", "!Join ['', [", "!Equals", "!!str ",
    "${", "${AWS::Region}", "${!Literal}", "Fn::If", "Fn::Sub", '{"Fn::If": [', "Ref: ",
    "AWS::NoValue", "&a ", "*a", "<<: *a", "&s ", "*s", "---\n", "...\n", "%YAML 1.2\n",
    "? ", ": ", "- ", "-", "#", "|", ">-", "|+", "\t", "  ", "\n", "'", '"', "[", "]", "{", "}",
    ",", "\\", "jsonencode({", "jsonencode(", "<<EOF\n", "<<-EOT\n", "EOF", "EOT", "= ",
    "${var.x}", "$${aws:username}", "%{ if x }", "&{aws:username}", "data.", "statement {",
    "condition {", "data.aws_iam_policy_document.x.json", 'resource "aws_iam_policy" "p" {',
    "Statement:", "Action:", "Effect: Allow", "Resource: '*'", "connect:", "connect:*",
    "\x00", "\ud800", "\ufeff", "\r\n", "\u2028", "정책", "😀")


# --- the real documents ----------------------------------------------------------------------

@lru_cache(maxsize=1)
def host_texts() -> tuple[tuple[str, HostKind, str], ...]:
    """(name, kind, text) of the real host documents to start from."""
    found = [("contact_center.yaml", HostKind.YAML,
              (DATA / "contact_center.yaml").read_text(encoding="utf-8")),
             ("contact_center.template.json", HostKind.JSON,
              (DATA / "contact_center.template.json").read_text(encoding="utf-8")),
             ("contact_center.tf", HostKind.TERRAFORM,
              (DATA / "contact_center.tf").read_text(encoding="utf-8")),
             ("stack (yaml)", HostKind.YAML, stack_template("yaml", policies=5, fillers=6)),
             ("stack (json)", HostKind.JSON, stack_template("json", policies=5, fillers=6))]
    for name, text in example_texts():
        try:
            policy = json.loads(text)
        except ValueError:
            continue  # the source material's own syntax mistakes: the JSON fuzzing has them
        found.append((name.replace(".json", ".yaml"), HostKind.YAML, _yaml(policy)))
        found.append((name.replace(".json", ".tf"), HostKind.TERRAFORM,
                      terraform_text([policy], random.Random(name))))
    return tuple(found)


# --- random documents --------------------------------------------------------------------------

def random_host_text(rng: random.Random, kind: HostKind) -> str:
    """A random policy (or a few) in a file of `kind`: a YAML template or YAML policy file, a
    JSON template, a Terraform file; sometimes damaged."""
    policies = [random_policy(rng) for _ in range(rng.randint(1, 3))]
    if kind is HostKind.TERRAFORM:
        text = terraform_text(policies, rng)
    elif kind is HostKind.YAML and rng.random() < 0.4:
        text = _yaml(_with_intrinsics(policies[0], rng, 0.05))
    else:
        template = template_around(policies, rng)
        text = yaml_text(template) if kind is HostKind.YAML else json_text(
            template, rng.choice((None, 2, 4, "\t")))
    return mutate_host(text, rng, rng.choice((0, 0, 1, 2, 4, 8)))


def template_around(policies: list[Any], rng: random.Random,
                    intrinsics: float = 0.1) -> dict[str, Any]:
    """A template with each policy at a place a template holds one (`LOCATIONS`), the
    statements of one sometimes where statements go, that share of strings intrinsics."""
    resources: dict[str, Any] = {}
    for number, policy in enumerate(policies):
        if isinstance(policy, dict) and rng.random() < 0.15:
            type_name, (path, _) = rng.choice(sorted(STATEMENT_LOCATIONS.items()))
            value: Any = policy.get("Statement", policy)
        else:
            type_name, locations = rng.choice(sorted(LOCATIONS.items()))
            path, _ = rng.choice(locations)
            value = policy
        value = _with_intrinsics(value, rng, intrinsics)
        for step in reversed(path):
            value = [value] if step == "*" else {step: value}
        resources[f"Resource{number}"] = {"Type": type_name, "Properties": value}
    return {"AWSTemplateFormatVersion": "2010-09-09",
            "Parameters": {"Env": {"Type": "String", "AllowedValues": ["prod"]},
                           "Name": {"Type": "String"}},
            "Conditions": {"IsProd": ("Equals", [{"Ref": "Env"}, "prod"])},
            "Resources": resources}


def _with_intrinsics(value: Any, rng: random.Random, share: float) -> Any:
    """`value` with some strings replaced by `!Sub`, `!Ref`, `!GetAtt` or `!If`."""
    if isinstance(value, dict):
        return {key: _with_intrinsics(item, rng, share) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_intrinsics(item, rng, share) for item in value]
    if not isinstance(value, str) or rng.random() >= share:
        return value
    return rng.choice((("Sub", value + "${Name}"), ("Sub", "${Env}:" + value), ("Ref", "Name"),
                       ("Ref", "Env"), ("GetAtt", "Resource0.Arn"),
                       ("If", ["IsProd", value, {"Ref": "AWS::NoValue"}])))


def _yaml(policy: Any) -> str:
    if isinstance(policy, dict | list) and policy:
        return yaml_text(policy)
    return json.dumps(policy) + "\n"  # a scalar or an empty collection: a flow scalar


def terraform_text(policies: list[Any], rng: random.Random) -> str:
    """Each policy as the argument of a policy-bearing resource, written as `jsonencode`, a
    heredoc or a quoted string of JSON, or its statements as an aws_iam_policy_document."""
    blocks = []
    for number, policy in enumerate(policies):
        statements = policy.get("Statement") if isinstance(policy, dict) else None
        if isinstance(statements, list) and rng.random() < 0.25:
            blocks.append(_policy_document(number, statements, rng))
            continue
        kind = rng.choice(sorted(POLICY_ARGUMENTS))
        argument = rng.choice(sorted(POLICY_ARGUMENTS[kind]))
        form = rng.random()
        if form < 0.5:
            value = f"jsonencode({hcl(policy, '  ')})"
        elif form < 0.8:
            marker = rng.choice(("EOF", "POLICY"))
            dash = rng.choice(("", "-"))
            value = f"<<{dash}{marker}\n{json.dumps(policy, indent=2)}\n{marker}"
        else:
            value = _hcl_string(json.dumps(policy))
        blocks.append(f'resource "{kind}" "r{number}" {{\n  name = "r{number}"\n'
                      f"  {argument} = {value}\n}}\n")
    return "\n".join(blocks)


def _policy_document(number: int, statements: list[Any], rng: random.Random) -> str:
    """A data "aws_iam_policy_document" block of the statements (as far as they translate)."""
    names = {"Sid": "sid", "Effect": "effect", "Action": "actions", "NotAction": "not_actions",
             "Resource": "resources", "NotResource": "not_resources"}
    lines = [f'data "aws_iam_policy_document" "d{number}" {{']
    for statement in statements if rng.random() < 0.9 else [random_statement(rng)]:
        lines.append("  statement {")
        for key, item in statement.items() if isinstance(statement, dict) else ():
            if key in names:
                value = item if key in ("Sid", "Effect") or isinstance(item, list) else [item]
                lines.append(f"    {names[key]} = {hcl(value, '    ')}")
            elif key == "Condition" and isinstance(item, dict):
                for test, keys in item.items():
                    for variable, values in keys.items() if isinstance(keys, dict) else ():
                        fields = [f"      test = {hcl(test, '')}",
                                  f"      variable = {hcl(variable, '')}",
                                  f"      values = {hcl(values, '      ')}"]
                        rng.shuffle(fields)  # in any order: the model's spans follow the text
                        lines += ["    condition {", *fields, "    }"]
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + (
        f'\nresource "aws_iam_policy" "d{number}" {{\n  name = "d{number}"\n'
        f"  policy = data.aws_iam_policy_document.d{number}.json\n}}\n")


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def hcl(value: Any, indent: str) -> str:
    """`value` as an HCL expression (what `jsonencode` turns back into that JSON)."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        members = [f"{inner}{key if _IDENTIFIER.fullmatch(key) else _hcl_string(key)} = "
                   f"{hcl(item, inner)}" for key, item in value.items()]
        return "{\n" + "\n".join(members) + f"\n{indent}}}"
    if isinstance(value, list):
        return "[" + ", ".join(hcl(item, inner) for item in value) + "]"
    if isinstance(value, str):
        return _hcl_string(value)
    return json.dumps(value)


def _hcl_string(value: str) -> str:
    """A quoted HCL string: JSON's escapes, and `${` and `%{` written so they stay text."""
    return json.dumps(value).replace("${", "$${").replace("%{", "%%{")


# --- where to ask ------------------------------------------------------------------------------

# Where completion and hover have something to say: after a key's colon or a dash, inside a
# quoted string, after a service prefix.
_TELLING = re.compile(r"""(?:: |- |\[|"|'|connect:|= )[\w:*-]{0,6}""")


def host_probe(text: str, rng: random.Random, offsets: int = 4, spans: int = 2,
               max_fixes: int | None = None) -> Probe:
    """`fuzzing.random_probe`, plus offsets where completion and hover answer (after `: `,
    `- `, a quote, `connect:`), and now and then a `max-file-size` the text exceeds."""
    probe = random_probe(text, rng, offsets, spans, max_fixes)
    telling = [m.end() for m in _TELLING.finditer(text, 0, 200_000)]
    chosen = rng.sample(telling, min(len(telling), offsets))
    max_size = probe.max_size if rng.random() < 0.95 else rng.randint(0, max(0, len(text) - 1))
    return replace(probe, offsets=(*probe.offsets, *chosen), max_size=max_size)


# --- damage ------------------------------------------------------------------------------------

def mutate_host(text: str, rng: random.Random, edits: int | None = None) -> str:
    """`text` damaged by `edits` (else 1 to 6) line-level or character-level mutations."""
    for _ in range(edits if edits is not None else rng.randint(1, 6)):
        if rng.random() < 0.3:
            text = mutate(text, rng, 1, HOST_FRAGMENTS)
        else:
            text = _mutate_lines(text, rng)
    return text


def _anchored(line: str, name: str) -> str:
    """An anchor after the line's key or dash (else at its end)."""
    if re.search(r"(:|^\s*-)(\s|$)", line):
        return re.sub(r"(:|^\s*-)(\s|$)", rf"\1 &{name}\2", line, count=1)
    return f"{line} &{name}"


def _aliased(line: str, name: str, rng: random.Random) -> str:
    """The line's value replaced by an alias, or an alias as an item after it."""
    if ": " in line and rng.random() < 0.6:
        return line[:line.index(": ") + 2] + f"*{name}"
    indent = len(line) - len(line.lstrip(" "))
    return f"{line}\n{' ' * indent}- *{name}"


def _mutate_lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    at = rng.randrange(len(lines))
    line = lines[at]
    indent = len(line) - len(line.lstrip(" "))
    roll = rng.random()
    if roll < 0.1:
        return text[:rng.randint(0, len(text))]  # cut anywhere
    if roll < 0.18:
        del lines[at]
    elif roll < 0.26:
        lines.insert(at, line)
    elif roll < 0.34:
        lines[at] = " " * rng.randint(1, 4) + line
    elif roll < 0.42:
        lines[at] = line[min(indent, rng.randint(1, 4)):]
    elif roll < 0.5:
        lines[at] = "\t" * rng.randint(1, 2) + line[rng.choice((0, indent)):]
    elif roll < 0.6:  # an anchor, and sometimes an alias to it further down
        name = rng.choice(ANCHORS)
        lines[at] = _anchored(line, name)
        if rng.random() < 0.6:
            later = rng.randrange(at, len(lines))
            lines[later] = _aliased(lines[later], name, rng)
    elif roll < 0.66:  # an alias alone
        lines[at] = _aliased(line, rng.choice(ANCHORS), rng)
    elif roll < 0.7:  # deep: one piece many times, or lines indented one step more each
        if rng.random() < 0.5:
            piece = rng.choice(("{", "[", "- ", "{a: ", "? ", "${", '"${', "(", "!Sub "))
            count = rng.randint(50, 400)
            closer = {"{": "}", "[": "]", "{a: ": "}"}.get(piece, "") * count
            lines[at] = line + piece * count + (closer if rng.random() < 0.5 else "")
        else:
            lines[at + 1:at + 1] = [" " * (indent + step) + rng.choice(("- ", "k: ", "k:", "-"))
                                    for step in range(1, rng.randint(50, 300))]
    elif roll < 0.78:  # another document
        lines.insert(at, rng.choice(("---", "--- ", "...", "---\n" + "\n".join(lines[:at]))))
    elif roll < 0.9:  # left open: a quote, a flow collection, a heredoc, a call
        opener = rng.choice(('"', "'", "[", "{", "(", "<<EOF", "<<-EOT", "jsonencode({",
                             "!Sub '", "${"))
        cut = rng.randint(0, len(line))
        lines[at] = line[:cut] + opener + (line[cut:] if rng.random() < 0.5 else "")
        if rng.random() < 0.5:
            del lines[at + 1:]  # and never closed: the file ends there
    else:
        cut = rng.randint(0, len(line))
        lines[at] = line[:cut] + rng.choice(HOST_FRAGMENTS) + line[cut:]
    return "\n".join(lines)

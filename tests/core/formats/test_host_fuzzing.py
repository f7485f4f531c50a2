"""Seeded fuzzing of the host formats (issue 13): templates (YAML and JSON), YAML policy files
and Terraform files, real ones damaged (fuzzing_hosts.mutate_host: cut anywhere, lines
deleted, duplicated, indented, dedented or tab-indented, anchors and aliases, extra `---`
documents, quotes, flow collections and heredocs left open, CloudFormation and HCL
fragments) and random ones, through every feature the server offers in them
(fuzzing.check_host_document: the properties of the JSON fuzzing). tests/bench/fuzz.py runs
the same generators on many more documents."""

from __future__ import annotations

import random

import pytest
from fuzzing import check_host_document
from fuzzing_hosts import (
    KINDS,
    hcl,
    host_probe,
    host_texts,
    mutate_host,
    random_host_text,
    template_around,
)
from stack_templates import json_text, yaml_text

from connect_policy.analysis import analyze_in_host
from connect_policy.document.syntax import to_python
from connect_policy.formats.host import HostKind

SEEDS = range(12)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kind", KINDS, ids=[kind.value for kind in KINDS])
def test_damaged_host_documents_never_break_the_core(kind: HostKind, seed: int) -> None:
    """Each real document of `kind` damaged (analysed incrementally after the original, as
    the server does on the edit, or the other way round), and random documents."""
    rng = random.Random(f"{kind.value}:{seed}")
    for _, document_kind, text in host_texts():
        if document_kind is kind:
            damaged = mutate_host(text, rng)
            before, after = (text, damaged) if rng.random() < 0.5 else (damaged, text)
            check_host_document(after, kind, host_probe(after, rng, max_fixes=4),
                                before=before)
    for _ in range(8):
        text = random_host_text(rng, kind)
        check_host_document(text, kind, host_probe(text, rng, max_fixes=4))


@pytest.mark.parametrize("seed", SEEDS)
def test_documents_read_as_another_kind_never_break_the_core(seed: int) -> None:
    """A template opened as Terraform, a .tf file as YAML (a wrong language id)."""
    rng = random.Random(f"other:{seed}")
    for _ in range(6):
        _, kind, text = rng.choice(host_texts())
        other = rng.choice([k for k in KINDS if k is not kind])
        damaged = mutate_host(text, rng, rng.choice((0, 1, 3)))
        check_host_document(damaged, other, host_probe(damaged, rng, max_fixes=4))


def test_the_real_documents_are_sound_hosts() -> None:
    """The fuzzing starts from documents that are read as hosts, with their policies and no
    syntax error: damage to them is then the only damage."""
    for name, kind, text in host_texts():
        analysis = analyze_in_host(text, kind)
        assert analysis is not None and analysis.embedded, name
        codes = {f.code for f in analysis.findings}
        assert not codes & {"YAML_SYNTAX_ERROR", "HCL_SYNTAX_ERROR", "JSON_SYNTAX_ERROR"}, (
            name, codes)


def test_generated_policies_read_back_as_written() -> None:
    """What `template_around` and `hcl` write is the policy they were given, in every kind."""
    policy = {"Version": "2012-10-17", "Statement": [
        {"Sid": "A", "Effect": "Allow", "Action": ["connect:ListUsers", "s3:*"],
         "Resource": "arn:aws:s3:::bucket/${aws:username}/*",
         "Condition": {"StringEquals": {"aws:ResourceTag/team": ["a", "b"]}}}]}
    terraform = f'resource "aws_iam_policy" "p" {{\n  policy = jsonencode({hcl(policy, "  ")})\n}}'
    places = set()
    for seed in range(40):
        template = template_around([policy], random.Random(seed), intrinsics=0)
        (resource,) = template["Resources"].values()
        places.add(resource["Type"])
        for text, kind in ((yaml_text(template), HostKind.YAML),
                           (json_text(template), HostKind.JSON), (terraform, HostKind.TERRAFORM)):
            analysis = analyze_in_host(text, kind)
            assert analysis is not None, text
            (embedded,) = analysis.embedded
            assert to_python(embedded.root) == policy, (resource["Type"], kind)
    assert len(places) > 20  # of the 50 or so resource types that hold policies


def test_mutations_are_reproducible_and_change_the_text() -> None:
    _, _, text = host_texts()[0]
    first = [mutate_host(text, random.Random(seed)) for seed in range(30)]
    assert first == [mutate_host(text, random.Random(seed)) for seed in range(30)]
    assert sum(damaged != text for damaged in first) >= 25  # a mutation may undo another

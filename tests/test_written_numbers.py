"""A number is read as written: one with more digits than a float keeps (cpus: 1.000000000000000001, read as 1.0) is
refused with the number it would be read as, not taken as another."""

from __future__ import annotations

import pytest

from pic.yamlsrc import parse_yaml


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("limits: {cpus: 1.000000000000000001}\n", "1.0"),
        ("limits:\n  cpus: 0.30000000000000000001\n", "0.3"),
        ("config:\n  pic:limits: {memory_mb: 256, cpus: 2.0000000000000000001}\n", "2.0"),
        ("limits: {cpus: 1e-400}\n", "0.0"),
    ],
)
def test_a_number_with_more_digits_than_are_kept_is_refused(text: str, read: str) -> None:
    doc, problems = parse_yaml(text, "f.yaml")
    assert doc is None
    [problem] = problems
    written = text.split("cpus: ", 1)[1].split("}", maxsplit=1)[0].strip()
    assert f"{written} " in problem.message, problem.message
    assert f"write {read}" in problem.message, problem.message
    assert problem.path.endswith("cpus"), problem


@pytest.mark.parametrize("number", ["0.1", "1.0", "2.56e2", "1e3", "0.333333333", "1.5", "7e0", "-0.25", ".inf"])
def test_a_number_a_float_keeps_passes(number: str) -> None:
    doc, problems = parse_yaml(f"limits: {{cpus: {number}}}\n", "f.yaml")
    assert problems == [], problems
    assert doc is not None

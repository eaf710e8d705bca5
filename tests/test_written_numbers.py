"""A number is read as written: one with more digits than a float keeps (cpus: 1.000000000000000001, read as 1.0) is
refused with the number it would be read as, not taken as another."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pic.errors import PicError
from pic.registry import load_registry
from pic.settings import load_settings
from pic.yamlsrc import parse_yaml
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("text", "read", "offered"),
    [
        ("limits: {cpus: 1.000000000000000001}\n", "1.0", "1"),
        ("limits:\n  cpus: 0.30000000000000000001\n", "0.3", "0.3"),
        ("config:\n  pic:limits: {memory_mb: 256, cpus: 2.0000000000000000001}\n", "2.0", "2"),
        ("limits: {cpus: 1e-400}\n", "0.0", "0"),
    ],
)
def test_a_number_with_more_digits_than_are_kept_is_refused(text: str, read: str, offered: str) -> None:
    """With no field to hold it to, a whole reading is offered whole (2 for 2.0: a field of whole numbers takes
    it, as one of decimals does)."""
    doc, problems = parse_yaml(text, "f.yaml")
    assert doc is None
    [problem] = problems
    written = text.split("cpus: ", 1)[1].split("}", maxsplit=1)[0].strip()
    assert f"{written} " in problem.message, problem.message
    assert f"would be read as {read}; write {offered}," in problem.message, problem.message
    assert problem.path.endswith("cpus"), problem


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("memory_mb: 512", "memory_mb: 512.00000000000000001", "it would be read as 512.0; write 512, or fewer"),
        ("memory_mb: 512", "memory_mb: 1e-400", "it would be read as 0.0, which is out of range too (must be at"),
        ("memory_mb: 512", "memory_mb: 256.50000000000000001", "it would be read as 256.5, which is not a whole"),
        ("cpus: 1.5", "cpus: 1e-400", "it would be read as 0.0, which is out of range too"),
        ("cpus: 1.5", "cpus: 2.0000000000000000001", "it would be read as 2.0; write 2, or fewer digits"),
    ],
)
def test_a_member_s_number_of_more_digits_is_offered_only_as_its_field_takes_it(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    """``memory_mb: 512.00000000000000001`` (read as 512.0) was told to write 512.0, which a field of whole numbers
    refuses, and ``cpus: 1e-400`` to write 0.0, out of range: the number offered is one the field takes."""
    settings = load_settings(ROOT, "prod")
    members = tmp_path / "members"
    members.mkdir()
    text = (ROOT / "members" / "velo-cite.yaml").read_text(encoding="utf-8")
    assert old in text
    (members / "velo-cite.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PicError) as refused:
        load_registry(members, settings)
    told = str(refused.value)
    assert said in told, told
    offered = re.search(r"; write ([^,]+), or fewer digits", told)
    if offered is not None:
        key = old.split(":", maxsplit=1)[0]
        (members / "velo-cite.yaml").write_text(text.replace(old, f"{key}: {offered[1]}", 1), encoding="utf-8")
        load_registry(members, settings)  # what is offered is taken


@pytest.mark.parametrize("number", ["0.1", "1.0", "2.56e2", "1e3", "0.333333333", "1.5", "7e0", "-0.25", ".inf"])
def test_a_number_a_float_keeps_passes(number: str) -> None:
    doc, problems = parse_yaml(f"limits: {{cpus: {number}}}\n", "f.yaml")
    assert problems == [], problems
    assert doc is not None

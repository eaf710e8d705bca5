"""A corpus of malformed member files, one defect each: `pic check` rejects each with exit 1 and a
message naming the file and the field.

Each case in tests/corpus/ starts with ``# expect: A|B|...`` (A must stand on the line that names
the file; every part must appear) and optionally ``# as: NAME.yaml`` (the member file name to use,
for bad slugs and name collisions). Each is checked next to a valid member (corpus/_base.yaml).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pic.cli import main
from tests.conftest import ROOT

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p for p in CORPUS.glob("*.yaml") if not p.name.startswith("_"))
ON = "2026-11-28"


def _header(case: Path) -> tuple[list[str], str]:
    expect: list[str] = []
    name = "case-member.yaml"
    for line in case.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect: "):
            expect = line.removeprefix("# expect: ").split("|")
        elif line.startswith("# as: "):
            name = line.removeprefix("# as: ").strip()
    assert expect, f"{case.name} has no '# expect:' line"
    return expect, name


def _registry(tmp_path: Path, case: Path) -> tuple[Path, str]:
    members = tmp_path / "members"
    members.mkdir()
    shutil.copy(CORPUS / "_base.yaml", members / "base-member.yaml")
    _, name = _header(case)
    shutil.copy(case, members / name)
    return members, name


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30


def test_base_member_alone_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    members = tmp_path / "members"
    members.mkdir()
    shutil.copy(CORPUS / "_base.yaml", members / "base-member.yaml")
    assert main(["check", "--project", str(ROOT), "--members", str(members), "--on", ON]) == 0, capsys.readouterr()


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case_is_rejected_with_file_and_field(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    members, name = _registry(tmp_path, case)
    expect, _ = _header(case)
    rc = main(["check", "--project", str(ROOT), "--members", str(members), "--on", ON])
    out = capsys.readouterr()
    text = out.out + out.err
    assert rc == 1, f"{case.name}: exit {rc}\n{text}"
    assert "Traceback" not in text
    naming = [line for line in text.splitlines() if name in line and expect[0] in line]
    assert naming, f"{case.name}: no line names {name} with {expect[0]!r}:\n{text}"
    for part in expect[1:]:
        assert part in text, f"{case.name}: {part!r} missing from:\n{text}"
    base = f"{members}/base-member.yaml"
    assert not [line for line in text.splitlines() if line.startswith((base, f"warning: {base}"))], (
        f"{case.name}: the valid member was blamed:\n{text}"
    )
    # a collision names the other member's field with its line, as the blamed file's
    assert text.count(base) == len(re.findall(rf"{re.escape(base)}:\d+", text)), f"{case.name}: no line:\n{text}"


@pytest.mark.parametrize("case", ["yaml-syntax", "php-unknown-runtime", "slug-uppercase"])
def test_console_command_exit_status(case: str, tmp_path: Path) -> None:
    """The installed entry point, as an admin runs it: exit 1, message on stderr, no traceback."""
    members, name = _registry(tmp_path, CORPUS / f"{case}.yaml")
    proc = subprocess.run(
        [sys.executable, "-m", "pic", "check", "--members", str(members), "--on", ON],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc
    assert name in proc.stderr
    assert "Traceback" not in proc.stderr

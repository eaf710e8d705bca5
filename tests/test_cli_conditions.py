"""The pic command under conditions of its environment: an output encoding without accents, directories that
cannot be read, names holding a newline, two runs at once, a stop by a signal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _pic(*argv: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pic", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def _project(tmp_path: Path, name: str = "project") -> Path:
    """A copy of the project's program, stack files and members, outside git."""
    project = tmp_path / name
    project.mkdir(parents=True)
    for item in ("__main__.py", "Pulumi.yaml", "Pulumi.prod.yaml", "members", "components", "pic"):
        source = ROOT / item
        if source.is_dir():
            shutil.copytree(source, project / item, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, project / item)
    return project


# --- JSON outputs through an encoding without the members' letters --------------------------------------------


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"PYTHONUTF8": "0", "LC_ALL": "C", "LANG": "C"}])
def test_a_json_output_stays_json_where_the_output_s_encoding_lacks_a_letter(env: dict[str, str]) -> None:
    """README (Output): a character the output's encoding lacks is written as an escape, ``\\xe9``, but in a JSON
    output as JSON's own escape. pic report --format json wrote "Jardins Partag\\xe9s" there, which no JSON reader
    reads (python -m json.tool: 'Invalid \\escape'): written \\u00e9, read back as é."""
    done = _pic("report", "--format", "json", "--on", "2026-11-28", env=env)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done
    assert done.stdout.isascii(), done.stdout
    assert "Jardins Partagés de la Croix-Rousse" in json.dumps(json.loads(done.stdout), ensure_ascii=False)
    schema = _pic("schema", env=env)
    assert schema.returncode == 0 and json.loads(schema.stdout), schema.stderr

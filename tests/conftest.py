"""Shared fixtures: a fresh Pulumi mock monitor per test, paths of the example project."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pulumi
import pytest
from hypothesis import settings as hypothesis_settings
from pulumi.runtime import settings as pulumi_settings

from tests.pulumi_mocks import Mocks, RecordingMonitor

ROOT = Path(__file__).resolve().parent.parent
MEMBERS = ROOT / "members"
IN_CI = os.environ.get("CI") == "true"

# Under CI the property tests draw the same examples at every run (Hypothesis's ``derandomize``, its advice for CI):
# a change is judged on what it changed, not on a new example drawn that day; a run elsewhere draws anew, and an
# example it finds failing is kept in the test (``@example``)
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if IN_CI:
    hypothesis_settings.load_profile("ci")


@pytest.fixture
def project_root() -> Path:
    return ROOT


@pytest.fixture
def pulumi_env() -> Iterator[RecordingMonitor]:
    """A fresh mock engine for stack prod; yields the monitor that recorded every registration."""
    pulumi_settings.set_root_resource(None)  # type: ignore[arg-type]
    mocks = Mocks()
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project="pic", stack="prod", preview=False, monitor=monitor)
    pulumi.runtime.set_all_config({"pic:dbAdminPassword": "mock-admin-password"}, ["pic:dbAdminPassword"])
    yield monitor
    pulumi.runtime.set_all_config({}, [])
    pulumi_settings.set_root_resource(None)  # type: ignore[arg-type]


def require_program(name: str) -> str:
    """The path of a program from Debian packages; skip (fail in CI) when it is missing."""
    found = shutil.which(name) or next(
        (str(p) for d in ("/usr/sbin", "/usr/lib/postgresql") for p in [Path(d) / name] if p.exists()), None
    )
    if found is None:
        message = f"{name} is not installed (Debian package needed; .ci/run installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


def require_root(reason: str) -> None:
    """Skip a test that needs root (fail in CI, which runs as root)."""
    if os.geteuid() != 0:
        message = f"needs root: {reason}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def real_repo(tmp_path: Path) -> Path:
    """A git repository holding this project's program, components, pic package, stack files and members.

    One commit ("start"); the tests commit their changes and run ``pic plan --against HEAD~1`` in it.
    """
    from tests.test_plan import git

    require_program("git")
    work = tmp_path / "real"
    work.mkdir()
    for name in ("__main__.py", "Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.dev.yaml", "pyproject.toml"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, work / name)
    for name in ("members", "components", "pic", "schema"):
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "start")
    return work

"""pic new reads the history of the member files the same whatever git's configuration says.

An admin's ~/.gitconfig may set options that change what ``git log`` prints: paths relative to the
current directory (``diff.relative``: pic new runs git from inside members/, where git then printed
``ancienne.yaml`` for ``members/ancienne.yaml``, and a removed member's uid was handed out again),
quoted or prefixed paths, signatures, colours, the merges' diffs, the root commit hidden, another
encoding. Each test runs under a HOME whose .gitconfig sets
them all (pic plan --against under it: tests/test_plan_changes.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pic import newmember
from tests.conftest import ROOT, require_program
from tests.helpers import member, write_members
from tests.test_plan import git

# Every setting that changed, or could change, the output pic parses, set to what a user may like.
HOSTILE_GITCONFIG = """\
[diff]
    relative = true
    noprefix = true
    mnemonicPrefix = true
    renames = false
    renameLimit = 1
    external = /bin/false
[core]
    quotePath = true
    abbrev = 7
[log]
    showSignature = true
    follow = true
    showRoot = false
    diffMerges = first-parent
    decorate = full
    abbrevCommit = true
[color]
    ui = always
    diff = always
[format]
    pretty = fuller
[i18n]
    logOutputEncoding = ISO-8859-1
"""


def hostile_git_config(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """HOME (and GIT_CONFIG_GLOBAL) at ``home``, whose .gitconfig is :data:`HOSTILE_GITCONFIG`, for this
    process and the processes it starts."""
    home.mkdir(parents=True, exist_ok=True)
    (home / ".gitconfig").write_text(HOSTILE_GITCONFIG, encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))


def _repository(repo: Path) -> Path:
    """restante (10100) stays; ancienne (10800) was removed; voisine, moved into members/ from registre/
    with its uid changed to 10900 in the same commit (found as a rename only), was removed too."""
    notes = "Association de quartier, fondée en 1998, qui anime le jardin partagé. " * 4
    members = write_members(repo / "members", {"restante": member(uid=10100), "ancienne": member(uid=10800)})
    write_members(repo / "registre", {"voisine": member(uid=10050, notes=notes)})
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "three members")
    (repo / "registre" / "voisine.yaml").unlink()
    write_members(members, {"voisine": member(uid=10900, notes=notes)})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "voisine moves into members/")
    (members / "ancienne.yaml").unlink()
    (members / "voisine.yaml").unlink()
    git(repo, "commit", "-qam", "ancienne and voisine leave")
    return members


def test_new_reads_the_history_whatever_the_git_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_program("git")
    members = _repository(tmp_path / "repo")
    hostile_git_config(tmp_path / "home", monkeypatch)
    args = ["new", "nouvelle", "--name", "Nouvelle", "--email", "n@example.org", "--project", str(ROOT)]
    proc = subprocess.run(  # from inside members/, as the admin who saw the uid handed out again
        [sys.executable, "-m", "pic", *args, "--members", "."],
        cwd=members,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load((members / "nouvelle.yaml").read_text())["uid"] == 10901


def test_the_history_read_is_the_same_whatever_the_git_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_program("git")
    members = _repository(tmp_path / "repo")
    plain = newmember.read_history(members)
    hostile_git_config(tmp_path / "home", monkeypatch)
    monkeypatch.chdir(members)
    history = newmember.read_history(Path("."))
    assert history.uids == plain.uids == {10050, 10100, 10800, 10900}
    assert history.members == plain.members
    removed = history.members["ancienne"]
    assert (removed.path, removed.removed, removed.uids) == ("members/ancienne.yaml", True, frozenset({10800}))
    assert removed.commit == git(members, "rev-parse", "HEAD").strip()
    label = newmember.commit_label(history, removed.commit)
    assert label == f'{removed.commit[:10]} ({label[12:22]}, "ancienne and voisine leave")', label


@pytest.mark.parametrize(
    "variables",
    [
        {"GIT_WORK_TREE": "{tmp}"},  # members/ outside the work tree: the history was not read
        {"GIT_DIR": "{repo}/.git"},  # members/ became the top: Pulumi*.yaml were read as member files
        {"GIT_DIR": "{other}/.git"},  # another repository's history
        {"GIT_DIR": "{other}/.git", "GIT_WORK_TREE": "{other}"},
        {"GIT_COMMON_DIR": "{other}/.git"},
        {"GIT_OBJECT_DIRECTORY": "{other}/.git/objects"},
        {"GIT_INDEX_FILE": "{tmp}/index"},
        {"GIT_NAMESPACE": "ailleurs"},  # --all then lists only refs/namespaces/ailleurs/
    ],
    ids="+".join,
)
def test_new_reads_its_own_repository_whatever_the_environment_names(tmp_path: Path, variables: dict[str, str]) -> None:
    """Variables that name a repository, its work tree, index, objects or refs are not passed to pic's git
    commands (git rev-parse --local-env-vars, as git does for a submodule's): pic new reads the history of the
    repository holding --members, run from the project's top."""
    require_program("git")
    repo = tmp_path / "repo"
    members = _repository(repo)
    other = tmp_path / "other"
    write_members(other / "members", {"autre": member(uid=10200)})
    git(other, "init", "-q")
    git(other, "add", "-A")
    git(other, "commit", "-qm", "another repository")
    values = {k: v.format(tmp=tmp_path, repo=repo, other=other) for k, v in variables.items()}
    env = {**os.environ, "PYTHONPATH": str(ROOT), **values}

    def new(slug: str) -> subprocess.CompletedProcess[str]:
        args = ["new", slug, "--name", "Nouvelle", "--email", "n@example.org", "--project", str(ROOT)]
        return subprocess.run(
            [sys.executable, "-m", "pic", *args, "--members", str(members)],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )

    refused = new("ancienne")
    assert refused.returncode == 1 and "'ancienne' is the slug of a member removed by commit" in refused.stderr, (
        refused.stderr
    )
    if set(values) <= {"GIT_DIR", "GIT_WORK_TREE"}:
        # The restore command given, run in the same environment from elsewhere, writes into this repository.
        command = refused.stderr.split("which keeps its uid: ", 1)[1].splitlines()[0]
        (tmp_path / "elsewhere").mkdir()
        ran = subprocess.run(
            ["sh", "-c", command], cwd=tmp_path / "elsewhere", env=env, capture_output=True, text=True, check=False
        )
        assert ran.returncode == 0, (command, ran.stderr)
        assert (members / "ancienne.yaml").is_file() and not (other / "members" / "ancienne.yaml").exists()
        (members / "ancienne.yaml").unlink()
    proc = new("nouvelle")
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load((members / "nouvelle.yaml").read_text())["uid"] == 10901

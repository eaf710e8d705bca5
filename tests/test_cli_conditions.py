"""The pic command under conditions of its environment: an output encoding without accents, directories that
cannot be read, names holding a newline, two runs at once, a stop by a signal."""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, require_program, require_root


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


# --- directories that cannot be read, names with a newline ---------------------------------------------------


def _unprivileged(argv: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``python -m pic argv`` without root's right to read and search any directory (as an admin's account)."""
    setpriv = shutil.which("setpriv")
    assert setpriv is not None, "setpriv (util-linux) is needed: root reads any directory otherwise"
    drop = [setpriv, "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    return subprocess.run(
        [*drop, sys.executable, "-m", "pic", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.parametrize("locked", ["project", "project/backups"])
def test_pic_plan_in_a_project_holding_a_directory_it_cannot_read_names_it_not_a_traceback(
    tmp_path: Path, locked: str
) -> None:
    """pic plan looked for links in the project's program (its packages, each directory holding __init__.py)
    before anything else: a directory of the project it cannot search (backups/ of mode 0, another admin's), or
    the project itself, stopped it with PermissionError's traceback. Such a directory holds no package the
    program can import; the project itself is named as pic check names it."""
    project = _project(tmp_path)
    (project / "backups").mkdir()
    (tmp_path / locked).chmod(0)
    try:
        done = _unprivileged(["plan", "--project", str(project), "--on", "2026-11-28"])
    finally:
        (tmp_path / locked).chmod(0o755)
    assert "Traceback" not in done.stderr, done.stderr
    if locked == "project":
        assert done.returncode == 1 and "Pulumi.prod.yaml cannot be read: Permission denied" in done.stderr, done
    else:
        assert done.returncode == 0 and done.stdout.startswith("pic plan: stack prod"), done


def test_pic_plan_s_warnings_show_a_file_name_s_newline_escaped(tmp_path: Path) -> None:
    """README (Output): a file name's newline is written \\x0a, so that a message stays on its line, as pic
    check writes its warnings. pic plan printed the same warnings with the newline itself, each cut in two."""
    project = _project(tmp_path, "new\nline")
    check = _pic("check", "--project", str(project), "--on", "2026-11-28")
    plan = _pic("plan", "--project", str(project), "--on", "2026-11-28")
    assert check.returncode == 0 and plan.returncode == 0, (check, plan)
    assert all(line.startswith("warning: ") for line in plan.stderr.splitlines()), plan.stderr
    assert plan.stderr == check.stderr, (plan.stderr, check.stderr)


# --- two runs at once --------------------------------------------------------------------------------------


def test_two_pic_new_at_once_give_two_uids(tmp_path: Path) -> None:
    """Two admins running pic new at the same moment for two slugs: each read the members, took the next uid,
    and both wrote it (uid 10008 twice), both said 'wrote', exit 0, and every pic check and pic new after
    refused the second file. The runs on one directory of member files take turns: the second reads the first's
    file, and its uid is the next."""
    members = tmp_path / "members"
    shutil.copytree(ROOT / "members", members)
    common = [sys.executable, "-m", "pic", "new", "--project", str(ROOT), "--members", str(members)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for n in range(3):
        runs = [
            subprocess.Popen(
                [*common, f"assoc-{n}-{side}", "--name", f"Assoc {n} {side}", "--email", f"a@assoc-{n}-{side}.org"],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for side in ("a", "b")
        ]
        for run in runs:
            out, err = run.communicate(timeout=120)
            assert run.returncode == 0 and out.startswith("wrote "), (out, err)
    uids = [line for f in sorted(members.glob("assoc-*.yaml")) for line in f.read_text().splitlines() if "uid:" in line]
    assert len(uids) == 6 and len(set(uids)) == 6, uids


_NEW = [sys.executable, "-m", "pic", "new", "velo-lyon", "--name", "Vélo Lyon", "--email", "c@velo-lyon.org"]


def test_pic_new_waiting_for_another_run_says_so(tmp_path: Path) -> None:
    """A run of pic new waiting for another (or for flock(1) members/ ..., an admin's script) said nothing, which
    reads as a hang: one line says what it waits for, then it writes its file once the other is done."""
    import fcntl

    members = tmp_path / "members"
    shutil.copytree(ROOT / "members", members)
    fd = os.open(members, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        run = subprocess.Popen(
            [*_NEW, "--project", str(ROOT), "--members", str(members)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert run.stderr is not None
        ready, _, _ = select.select([run.stderr], [], [], 60)  # nothing said: the run waits in silence
        waiting = run.stderr.readline() if ready else ""
        assert not (members / "velo-lyon.yaml").exists()
    finally:
        os.close(fd)
    out, err = run.communicate(timeout=120)
    assert waiting == f"pic new: waiting for another run writing in {members} (it holds the directory's lock)\n"
    assert run.returncode == 0 and out.startswith(f"wrote {members}/velo-lyon.yaml"), (out, err)


@pytest.mark.parametrize(
    ("code", "words"), [("ENOLCK", "No locks available"), ("EOPNOTSUPP", "Operation not supported")]
)
def test_pic_new_where_the_members_cannot_be_locked_says_so_and_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], code: str, words: str
) -> None:
    """A directory of member files on NFS without its lock manager (flock(2): ENOLCK), or on a file system that
    takes no lock (EOPNOTSUPP), ended pic new in OSError's traceback: flock(1) says the same of it ('flock: members:
    No locks available'). The run is told in one warning that runs at once there are not kept apart, naming the
    directory and the system's words, and writes its file as before the lock was taken."""
    import errno
    import fcntl

    from pic.cli import main

    def refused(fd: int, operation: int) -> None:
        raise OSError(getattr(errno, code), os.strerror(getattr(errno, code)))

    members = tmp_path / "members"
    shutil.copytree(ROOT / "members", members)
    monkeypatch.setattr(fcntl, "flock", refused)  # pic.newmember's fcntl
    argv = ["new", "velo-lyon", "--name", "Vélo Lyon", "--email", "c@velo-lyon.org"]
    rc = main([*argv, "--project", str(ROOT), "--members", str(members)])
    out, err = capsys.readouterr()
    assert rc == 0 and out.startswith(f"wrote {members}/velo-lyon.yaml"), (out, err)
    assert (
        f"warning: {members}: its lock cannot be taken ({words}): a pic new run at the same time in it would not wait "
        "for this one" in err
    ), err


# --- a stop by a signal -------------------------------------------------------------------------------------


@contextlib.contextmanager
def _as_a_terminal_s_shell_starts_it() -> Iterator[None]:
    """SIGTERM and SIGHUP at their default in the processes started inside: the test run itself may have one
    ignored (under nohup), which a child inherits through exec and pic leaves ignored, as nohup asks."""
    ignored = [s for s in (signal.SIGTERM, signal.SIGHUP) if signal.getsignal(s) == signal.SIG_IGN]
    for signum in ignored:
        signal.signal(signum, signal.SIG_DFL)
    try:
        yield
    finally:
        for signum in ignored:
            signal.signal(signum, signal.SIG_IGN)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_pic_plan_stopped_by_sigterm_or_sighup_leaves_no_copy_of_the_revision_nor_its_program(
    tmp_path: Path, signum: signal.Signals
) -> None:
    """pic plan --against REV stopped by SIGTERM (kill, a timer's stop) or SIGHUP (its terminal closed) died at
    once: the copy of the revision's tree in TMPDIR (pic-plan-rev-*) was left behind, one more at each stop, and
    the revision's program ran on alone. As Ctrl-C does: what the run made is taken away, and it ends with one
    line and the status of a command killed by that signal in a shell (128 + its number: 143, 129)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    with _as_a_terminal_s_shell_starts_it():
        run = subprocess.Popen(
            [sys.executable, "-m", "pic", "plan", "--against", "HEAD~1", "--on", "2026-11-28"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp)},
        )
    try:
        deadline = time.monotonic() + 60
        while not any(tmp.glob("pic-plan-rev-*/*")) and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.02)
        assert run.poll() is None, "pic plan ended before its revision was copied"
        time.sleep(0.3)  # the revision's program started meanwhile
        run.send_signal(signum)
        _, err = run.communicate(timeout=60)
        time.sleep(0.3)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, 0)
            pytest.fail("a process of pic plan runs on after it ended")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)
    assert "Traceback" not in err, err
    assert (run.returncode, err.splitlines()[-1]) == (128 + signum, f"pic: stopped by {signum.name}"), err
    assert list(tmp.iterdir()) == []


# --- a read-only file system --------------------------------------------------------------------------------

_READ_ONLY_MOUNT = """
set -e
mount -t tmpfs -o size=4m tmpfs "$1"
cp -r "$2"/members "$2"/Pulumi.prod.yaml "$1"/
printf 'sent: []\\n' > "$1"/notices.yaml
mount -o remount,ro "$1"
cd "$1"
shift 2
exec "$@"
"""


def _on_a_read_only_file_system(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """``python -m pic argv`` in a copy of the project on a tmpfs mounted read-only (in a mount namespace of its
    own: nothing of the machine's mounts changes)."""
    require_root("mounting a read-only tmpfs")
    unshare = require_program("unshare")
    where = tmp_path / "ro"
    where.mkdir(exist_ok=True)
    return subprocess.run(
        [
            unshare,
            "-m",
            "--propagation",
            "private",
            "sh",
            "-c",
            _READ_ONLY_MOUNT,
            "sh",
            str(where),
            str(ROOT),
            sys.executable,
            "-m",
            "pic",
            *argv,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.parametrize("record", ["notices.yaml", "new.yaml"])
def test_a_record_on_a_read_only_file_system_is_said_to_be_there(tmp_path: Path, record: str) -> None:
    """pic notify --record on a read-only mount (a backup's, a live system's) was told 'its directory is not
    readable and writable', of a directory of mode 0755 the admin can read: what stops the write is its file
    system, said so, as pic new says it ('cannot be written: Read-only file system')."""
    new = ["--new-record"] if record == "new.yaml" else []
    done = _on_a_read_only_file_system(tmp_path, "notify", "--dry-run", "--on", "2026-11-28", "--record", record, *new)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done
    said = f"warning: {record} cannot be written: its directory is on a read-only file system"
    assert said in done.stderr, done.stderr
    made = _on_a_read_only_file_system(
        tmp_path, "new", "velo-lyon", "--name", "Vélo Lyon", "--email", "c@velo-lyon.org"
    )
    assert made.returncode == 1 and "members/velo-lyon.yaml cannot be written: Read-only file system" in made.stderr


def test_pic_new_in_a_locale_without_utf_8_takes_a_name_written_in_utf_8(tmp_path: Path) -> None:
    """LC_ALL=C with PYTHONUTF8=0 (a cron job's, a minimal container's environment, Python's locale coercion off):
    pic new --name 'Vélo Lyon', typed in UTF-8, was refused as '"V\\xc3\\xa9lo Lyon" holds a byte that is not
    UTF-8 (\\xc3, ...)', the two bytes of é, which are UTF-8: the arguments are read as the UTF-8 they are, as
    pic new reads them in a UTF-8 locale; a byte that is not UTF-8 (Latin-1's \\xe9) is still refused."""
    members = tmp_path / "members"
    shutil.copytree(ROOT / "members", members)
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    done = _pic(*_NEW[3:], "--domain", "vélo-lyon.fr", "--project", str(ROOT), "--members", str(members), env=env)
    assert done.returncode == 1 and '--domain: "v\\xe9lo-lyon.fr" has non-ASCII letters' in done.stderr, done
    assert "xn--vlo-lyon-b1a.fr" in done.stderr, done  # the punycode of vélo-lyon.fr, not of two bytes
    done = _pic(*_NEW[3:], "--project", str(ROOT), "--members", str(members), env=env)
    assert done.returncode == 0, done
    assert 'name: "Vélo Lyon"' in (members / "velo-lyon.yaml").read_text(encoding="utf-8")
    latin1 = subprocess.run(
        [*_NEW[:6], b"V\xe9lo Lyon", "--email", "c@velo-lyon.org", "--project", str(ROOT), "--members", str(members)],
        cwd=ROOT,
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )
    assert latin1.returncode == 1 and b"holds a byte that is not UTF-8 (\\xe9" in latin1.stderr, latin1

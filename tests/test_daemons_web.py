"""The web host's daemons for real, on 127.0.0.1, with the rendered files.

- The member space script (as root) creates three real unix accounts and
  their directories under a test root in /srv (sshd's chroot wants every
  component of the path owned by root and writable by nobody else).
- sshd with the rendered sshd_config: sftp by key, chrooted, no shell unless
  ``ssh: true``, no password, suspended members refused.
- Caddy with the rendered Caddyfile, loading one certificate per member (all
  its domains) signed by a test CA as the internal mode does, in front of a
  real Apache + mod_php running the rendered member vhost as member A, and of
  a Caddy serving member B's static site with the rendered static Caddyfile
  as B; ACME HTTP-01 challenges answered over http from the webroot.
- logrotate with the rendered rules, as the member.

Needs root (CI runs as root); skipped otherwise, outside CI.
"""

from __future__ import annotations

import datetime as dt
import grp
import os
import pwd
import secrets
import shlex
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from pic.check import check
from pic.registry import UID_BELOW_DYNAMIC, Member, MemberSpec
from pic.render import web
from pic.settings import Settings
from tests.conftest import IN_CI, MEMBERS, ROOT, require_program, require_root
from tests.helpers import free_port
from tests.tlsutil import dns_names, make_ca, write_member_cert

pytestmark = pytest.mark.daemon
ON = dt.date(2026, 11, 28)
KEY_TYPES = "ed25519"


def need_root() -> None:
    require_root("creates unix accounts and runs sshd")


def wait_for_port(port: int, proc: subprocess.Popen[Any], what: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{what} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{what} does not listen on {port}")


def stop(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def free_uids(count: int) -> list[int]:
    """``count`` uids no account or group of this machine has, from a random start in the upper part of
    the uids pic new gives (up to UID_BELOW_DYNAMIC), at least 500 below its top."""
    used = {p.pw_uid for p in pwd.getpwall()} | {g.gr_gid for g in grp.getgrall()}
    start = 30000 + secrets.randbelow(UID_BELOW_DYNAMIC - 30000 - 500)
    free = [u for u in range(start, UID_BELOW_DYNAMIC + 1) if u not in used][:count]
    assert len(free) == count, f"no {count} free uids from {start} to {UID_BELOW_DYNAMIC}"
    return free


@dataclass
class Space:
    root: Path  # test root, in /srv
    settings: Settings
    a: Member  # active, sftp only, PHP site
    b: Member  # active, ssh: true, static site
    c: Member  # suspended
    keys: dict[str, Path]  # slug -> private key file

    def home(self, m: Member) -> Path:
        return Path(web.member_path(self.settings, m.slug))


def make_member(slug: str, uid: int, status: str, php: str, *, ssh: bool, key: str) -> Member:
    spec = MemberSpec.model_validate(
        {
            "name": f"Test {slug}",
            "contact": {"name": "Test", "email": "test@example.org"},
            "uid": uid,
            "status": status,
            "site": {"domains": [f"{slug}.test", f"www.{slug}.test"], "php": php},
            "access": {"sftp_keys": [key], "ssh": ssh},
        }
    )
    return Member(slug, f"members/{slug}.yaml", spec, "web1")


@pytest.fixture(scope="module")
def space() -> Iterator[Space]:
    """Three members made by the rendered member space script, removed afterwards."""
    need_root()
    for prog in ("useradd", "ssh-keygen"):
        require_program(prog)
    token = secrets.token_hex(3)
    root = Path(f"/srv/pic-test-{token}")
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)
    created_groups = [g for g in (web.GROUP_SFTP, web.GROUP_SSH, web.GROUP_LOCKED) if not _group_exists(g)]
    slugs = [f"pict-{token}-{x}" for x in "abc"]
    try:
        keys: dict[str, Path] = {}
        pubs: dict[str, str] = {}
        for slug in slugs:
            key = root / f"client-{slug}"
            subprocess.run(["ssh-keygen", "-q", "-t", KEY_TYPES, "-N", "", "-f", str(key)], check=True)
            keys[slug] = key
            pubs[slug] = Path(f"{key}.pub").read_text().strip()
        base = check(ROOT, "prod", MEMBERS, ON).settings
        settings = base.model_copy(
            update={
                "members_root": str(root / "members"),
                "tls": base.tls.model_copy(update={"ca": "internal"}),
            }
        )
        uids = free_uids(3)
        a = make_member(slugs[0], uids[0], "active", "8.2", ssh=False, key=pubs[slugs[0]])
        b = make_member(slugs[1], uids[1], "active", "none", ssh=True, key=pubs[slugs[1]])
        c = make_member(slugs[2], uids[2], "suspended", "8.2", ssh=False, key=pubs[slugs[2]])
        for m in (a, b, c):
            apply_space(m, settings)
        apply_space(a, settings)  # twice: the script is idempotent and must not fail on existing accounts
        yield Space(root, settings, a, b, c, keys)
    finally:
        for slug in slugs:
            subprocess.run(["userdel", slug], capture_output=True, check=False)
            subprocess.run(["groupdel", slug], capture_output=True, check=False)
        for g in created_groups:
            subprocess.run(["groupdel", g], capture_output=True, check=False)
        if not os.environ.get("PIC_KEEP_TEST_ROOT"):
            shutil.rmtree(root, ignore_errors=True)


def _group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def test_space_owners_and_modes(space: Space) -> None:
    members_root = Path(space.settings.members_root)
    assert (members_root.stat().st_uid, members_root.stat().st_mode & 0o777) == (0, 0o711)
    for m in (space.a, space.b, space.c):
        home = space.home(m)
        st = home.stat()
        assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (0, m.uid, 0o750), m.slug
        for sub, mode in (("www", 0o750), ("priv", 0o700), ("db", 0o700), ("log", 0o750)):
            st = (home / sub).stat()
            assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (m.uid, m.uid, mode), f"{m.slug} {sub}"
        assert pwd.getpwnam(m.slug).pw_uid == m.uid
    assert web.GROUP_SFTP in _groups_of(space.a.slug)
    assert web.GROUP_SSH in _groups_of(space.b.slug)
    assert web.GROUP_LOCKED in _groups_of(space.c.slug)
    assert pwd.getpwnam(space.b.slug).pw_shell == "/bin/bash"
    assert pwd.getpwnam(space.a.slug).pw_shell == "/usr/sbin/nologin"


def _groups_of(user: str) -> list[str]:
    return [g.gr_name for g in grp.getgrall() if user in g.gr_mem]


# --- sshd ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sshd_files(space: Space) -> tuple[str, Path]:
    """The host key and the directory of authorized keys every sshd of these tests uses."""
    require_program("sshd")
    Path("/run/sshd").mkdir(exist_ok=True)
    host_key = space.root / "ssh_host_ed25519_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(host_key)], check=True)
    keys_dir = space.root / "authorized_keys"
    keys_dir.mkdir(mode=0o755)
    for m in (space.a, space.b):
        (keys_dir / m.slug).write_text(web.render_authorized_keys(m))
    # The suspended member's file holds a real key here, to show that the
    # account itself is refused, not just left without keys.
    (keys_dir / space.c.slug).write_text(Path(f"{space.keys[space.c.slug]}.pub").read_text())
    for f in keys_dir.iterdir():
        f.chmod(0o644)
    return str(host_key), keys_dir


@contextmanager
def running_sshd(space: Space, files: tuple[str, Path], name: str, edit: Callable[[str], str] = str) -> Iterator[int]:
    """sshd on a free port of 127.0.0.1 with the rendered sshd_config, passed through ``edit``."""
    exe = require_program("sshd")
    host_key, keys_dir = files
    port = free_port()  # never 22: the port reaches sshd through pic:hosts.web1.ssh_port, as on a host
    hosts = {**space.settings.hosts, "web1": space.settings.hosts["web1"].model_copy(update={"ssh_port": port})}
    settings = space.settings.model_copy(update={"hosts": hosts})
    firewall = web.render_web_host_setup(settings, "web1")
    assert f"tcp dport {{ {port}, 80, 443 }} accept" in firewall, "the firewall opens another port than sshd's"
    config = web.render_sshd_config(
        settings,
        "web1",
        listen=["127.0.0.1"],
        host_keys=[host_key],
        pid_file=str(space.root / f"{name}.pid"),
        keys_dir=str(keys_dir),
    )
    conf = space.root / f"{name}_config"
    conf.write_text(edit(config))
    subprocess.run([exe, "-t", "-f", str(conf)], check=True)
    log = space.root / f"{name}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [exe, "-D", "-e", "-f", str(conf)], stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_for_port(port, proc, name)
        yield port
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def sshd(space: Space, sshd_files: tuple[str, Path]) -> Iterator[int]:
    with running_sshd(space, sshd_files, "sshd") as port:
        yield port


def ssh_options(port: int) -> list[str]:
    return [
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "BatchMode=yes",
        "-o",
        "ConnectTimeout=10",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "LogLevel=ERROR",
    ]


def sftp(space: Space, port: int, m: Member, batch: str) -> subprocess.CompletedProcess[str]:
    exe = require_program("sftp")
    script = space.root / f"batch-{m.slug}"
    script.write_text(batch)
    cmd = [exe, *ssh_options(port), "-P", str(port), "-i", str(space.keys[m.slug]), "-b", str(script)]
    return subprocess.run([*cmd, f"{m.slug}@127.0.0.1"], capture_output=True, text=True, timeout=60, check=False)


def ssh(
    space: Space, port: int, m: Member, *command: str, extra: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    exe = require_program("ssh")
    cmd = [exe, *ssh_options(port), "-p", str(port), "-i", str(space.keys[m.slug]), *(extra or [])]
    return subprocess.run(
        [*cmd, f"{m.slug}@127.0.0.1", *command], capture_output=True, text=True, timeout=60, check=False
    )


def test_sftp_member_sees_only_its_own_space(space: Space, sshd: int) -> None:
    a, b = space.a, space.b
    secret_b = space.home(b) / "priv" / "config.php"
    secret_b.write_text("<?php $password = 'secret-of-b';\n")
    os.chown(secret_b, b.uid, b.uid)
    upload = space.root / "upload.html"
    upload.write_text("<p>uploaded by a</p>\n")
    proc = sftp(space, sshd, a, f"pwd\nls -1 /\nput {upload} /www/index.html\nls -1 /www\n")
    assert proc.returncode == 0, proc.stderr
    assert "Remote working directory: /www" in proc.stdout
    listing = proc.stdout.split("sftp> ls -1 /\n", 1)[1].split("sftp>", 1)[0].split()
    assert sorted(p.strip("/") for p in listing) == ["db", "log", "priv", "www"]
    written = space.home(a) / "www" / "index.html"
    assert written.read_text() == "<p>uploaded by a</p>\n"
    assert written.stat().st_uid == a.uid, "files uploaded by sftp belong to the member"
    # B's files are not even in A's world: the chroot hides every other space.
    for path in (f"{space.home(b)}/priv/config.php", f"/../{b.slug}/priv/config.php", "/../../etc/passwd"):
        proc = sftp(space, sshd, a, f"get {path} {space.root}/stolen\n")
        assert proc.returncode != 0, f"{a.slug} could fetch {path}"
        assert not (space.root / "stolen").exists()


def test_no_shell_without_ssh_true(space: Space, sshd: int) -> None:
    proc = ssh(space, sshd, space.a, "id")
    assert "uid=" not in proc.stdout, f"{space.a.slug} (ssh: false) got a shell: {proc.stdout}"
    proc = ssh(space, sshd, space.a, extra=["-tt"])
    assert "uid=" not in proc.stdout
    assert "$ " not in proc.stdout


def test_shell_with_ssh_true_cannot_read_other_members(space: Space, sshd: int) -> None:
    b, a = space.b, space.a
    proc = ssh(space, sshd, b, "id", "-u")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(b.uid)
    (space.home(a) / "priv" / "db.php").write_text("<?php $db = 'secret-of-a';\n")
    proc = ssh(space, sshd, b, "cat", f"{space.home(a)}/priv/db.php")
    assert proc.returncode != 0
    assert "secret-of-a" not in proc.stdout
    assert "Permission denied" in proc.stderr
    proc = ssh(space, sshd, b, "ls", str(space.home(a)))
    assert proc.returncode != 0
    assert "Permission denied" in proc.stderr


def test_password_login_is_refused(space: Space, sshd: int) -> None:
    extra = ["-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password,keyboard-interactive"]
    proc = ssh(space, sshd, space.b, "id", extra=extra)
    assert proc.returncode == 255
    assert "uid=" not in proc.stdout
    # The server offers no other method than keys.
    assert "Permission denied (publickey)" in proc.stderr, proc.stderr


def password_login(space: Space, port: int, m: Member, password: str) -> subprocess.CompletedProcess[str]:
    """``ssh m@127.0.0.1 id -u`` offering only a password, typed by an askpass program (no key, no tty)."""
    exe = require_program("ssh")
    askpass = space.root / f"askpass-{m.slug}"
    askpass.write_text(f"#!/bin/sh\nprintf '%s\\n' {shlex.quote(password)}\n")
    askpass.chmod(0o700)
    options = ["PubkeyAuthentication=no", "PreferredAuthentications=password", "NumberOfPasswordPrompts=1"]
    cmd = [exe, *["BatchMode=no" if o == "BatchMode=yes" else o for o in ssh_options(port)], "-p", str(port)]
    cmd += [x for o in options for x in ("-o", o)]
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env |= {"SSH_ASKPASS": str(askpass), "SSH_ASKPASS_REQUIRE": "force"}
    return subprocess.run(
        [*cmd, f"{m.slug}@127.0.0.1", "id", "-u"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )


def test_a_right_password_is_refused_by_the_password_setting_itself(
    space: Space, sshd_files: tuple[str, Path], sshd: int
) -> None:
    """The member has a password and sends it. ``AuthenticationMethods publickey`` alone would refuse it;
    without that line, ``PasswordAuthentication no`` must still refuse it. The same config with
    passwords allowed lets the same login in, so the refusals are the settings' doing."""
    b = space.b
    password = secrets.token_urlsafe(18)
    subprocess.run(["chpasswd"], input=f"{b.slug}:{password}\n", text=True, check=True)
    try:
        methods = "AuthenticationMethods publickey\n"

        def unforced(config: str) -> str:
            assert methods in config
            return config.replace(methods, "")

        def allowed(config: str) -> str:
            # sshd keeps the first value it reads of a keyword
            return "PasswordAuthentication yes\n" + unforced(config)

        with running_sshd(space, sshd_files, "sshd-passwords-allowed", allowed) as port:
            control = password_login(space, port, b, password)
        assert control.returncode == 0, f"the login with the right password failed: {control.stderr}"
        assert control.stdout.strip() == str(b.uid)
        with running_sshd(space, sshd_files, "sshd-unforced", unforced) as port:
            refused = {"without AuthenticationMethods": password_login(space, port, b, password)}
        refused["as rendered"] = password_login(space, sshd, b, password)
        for name, proc in refused.items():
            assert proc.returncode == 255, f"{name}: {proc.stdout} {proc.stderr}"
            assert "uid=" not in proc.stdout and str(b.uid) not in proc.stdout, name
            assert "Permission denied" in proc.stderr, f"{name}: {proc.stderr}"
    finally:
        subprocess.run(["passwd", "-l", b.slug], capture_output=True, check=False)


def test_suspended_member_cannot_log_in(space: Space, sshd: int) -> None:
    proc = sftp(space, sshd, space.c, "pwd\n")
    assert proc.returncode != 0
    assert "Remote working directory" not in proc.stdout
    assert "Permission denied" in proc.stderr or "Connection closed" in proc.stderr, proc.stderr


def apply_space(member: Member, settings: Settings) -> None:
    """Run the member's space script here, as its command runs it on a web host."""
    script = web.render_member_space_script(member, settings)
    proc = subprocess.run(["sh", "-eu", "-s"], input=script, text=True, capture_output=True, check=False)
    assert proc.returncode == 0, f"member space script of {member.slug}: {proc.stderr}"


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@pytest.mark.parametrize("status", ["suspended", "archived"])
def test_a_member_no_longer_active_keeps_no_process_on_the_host(space: Space, sshd: int, status: str) -> None:
    """What a member started in its shell (a job left running after logging out, an open session) ends
    when it is suspended or archived: the expired account only refuses new logins."""
    b = space.b
    proc = ssh(space, sshd, b, "setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $!")
    assert proc.returncode == 0, proc.stderr
    pid = int(proc.stdout.split()[-1])
    try:
        assert _running(pid), f"{b.slug}'s background job did not start"
        stopped = Member(b.slug, b.file, b.spec.model_copy(update={"status": status}), b.host)
        apply_space(stopped, space.settings)
        deadline = time.monotonic() + 5
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(pid), f"{b.slug} is {status}, and the job it started in its shell still runs"
    finally:
        if _running(pid):
            os.kill(pid, 9)
        apply_space(b, space.settings)
    assert ssh(space, sshd, b, "id", "-u").stdout.strip() == str(b.uid), "active again, the member logs in"


def with_access(m: Member, keys: list[str], *, ssh: bool) -> Member:
    access = m.spec.access.model_copy(update={"sftp_keys": keys, "ssh": ssh})
    return Member(m.slug, m.file, m.spec.model_copy(update={"access": access}), m.host)


def apply_space_and_keys(member: Member, space: Space, keys_dir: Path) -> subprocess.CompletedProcess[str]:
    """The whole script of the member's space command, as components.member_space composes it (hostcmd.place_files:
    the space script, then its keys file written, then the end of its sessions), with the keys in ``keys_dir``."""
    from components.hostcmd import render_files_script

    keys = str(keys_dir / member.slug)
    script = (
        web.render_member_space_script(
            member, space.settings, keys_dir=str(keys_dir), former_keys_dir=str(space.root / "former_keys")
        )
        + render_files_script([(keys, web.render_authorized_keys(member), "0644", "root", None)], [])
        + web.render_member_sessions_end(member)
    )
    return subprocess.run(["sh", "-eu", "-s"], input=script, text=True, capture_output=True, check=False)


def _host_processes(uid: int) -> list[int]:
    """The live processes of ``uid`` in this PID namespace (the host's in these tests): no zombie of a session
    that ended before."""
    out = subprocess.run(
        ["pgrep", "--ns", str(os.getpid()), "--nslist", "pid", "-u", str(uid)],
        capture_output=True,
        text=True,
        check=False,
    )
    return [int(p) for p in out.stdout.split() if _running(int(p))]


def _processes_of(uid: int) -> list[int]:
    """The live processes of ``uid`` in every PID namespace."""
    out = subprocess.run(["pgrep", "-u", str(uid)], capture_output=True, text=True, check=False)
    return [int(p) for p in out.stdout.split() if _running(int(p))]


def _gone(pids: list[int], timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while any(_running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(_running(p) for p in pids)


@contextmanager
def in_another_pid_namespace(uid: int) -> Iterator[int]:
    """A process of ``uid`` in a PID namespace of its own, as the member's site container runs: its host pid."""
    exe = require_program("unshare")
    proc = subprocess.Popen(
        [
            exe,
            "--pid",
            "--fork",
            "--kill-child",
            "setpriv",
            f"--reuid={uid}",
            f"--regid={uid}",
            "--clear-groups",
            "sleep",
            "600",
        ],
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        children: list[str] = []
        while not children and time.monotonic() < deadline:
            found = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True, check=False)
            children = found.stdout.split()
            time.sleep(0.05)
        assert children, "unshare started no process"
        child = int(children[0])
        assert os.readlink(f"/proc/{child}/ns/pid") != os.readlink("/proc/self/ns/pid")
        assert os.stat(f"/proc/{child}").st_uid == uid
        yield child
    finally:
        stop(proc)


# Changes of a member's access, and whether they take some away.
ACCESS_CHANGES = {
    "the key removed, another given": True,
    "every key removed": True,
    "ssh: true removed": True,
    "a key added": False,
    "the key's comment changed": False,
    "nothing": False,
}


@pytest.mark.parametrize("change", list(ACCESS_CHANGES))
def test_access_taken_away_ends_the_shell_sessions_and_nothing_else(
    space: Space, sshd: int, sshd_files: tuple[str, Path], tmp_path: Path, change: str
) -> None:
    """A shell left open, and a job started from it, end when the key that opened it is removed (a stolen laptop)
    or the shell is: sshd checks keys and groups at login only. A process of the member's uid in another PID
    namespace (its site's container) runs on; access added or a comment changed ends nothing."""
    b, keys_dir, ends = space.b, sshd_files[1], ACCESS_CHANGES[change]
    key = b.access.sftp_keys[0]
    other = tmp_path / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", KEY_TYPES, "-N", "", "-f", str(other)], check=True)
    other_pub = Path(f"{other}.pub").read_text().strip()
    after = {
        "the key removed, another given": with_access(b, [other_pub], ssh=True),
        "every key removed": with_access(b, [], ssh=True),
        "ssh: true removed": with_access(b, [key], ssh=False),
        "a key added": with_access(b, [key, other_pub], ssh=True),
        "the key's comment changed": with_access(b, [" ".join(key.split(" ")[:2]) + " marie@new-laptop"], ssh=True),
        "nothing": b,
    }[change]
    job = ssh(space, sshd, b, "setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $!")
    assert job.returncode == 0, job.stderr
    job_pid = int(job.stdout.split()[-1])
    exe = require_program("ssh")
    login = [exe, *ssh_options(sshd), "-p", str(sshd), "-i", str(space.keys[b.slug]), f"{b.slug}@127.0.0.1"]
    session = subprocess.Popen([*login, "echo open; exec sleep 600"], stdout=subprocess.PIPE, text=True)
    try:
        assert session.stdout is not None and session.stdout.readline() == "open\n", f"{b.slug}: no shell opened"
        opened = _host_processes(b.uid)
        assert job_pid in opened and len(opened) >= 3, f"{b.slug}: {opened}"  # sshd's side, the shell's sleep, the job
        with in_another_pid_namespace(b.uid) as site:
            applied = apply_space_and_keys(after, space, keys_dir)
            assert applied.returncode == 0, applied.stderr
            if ends:
                assert _gone(opened), f"{b.slug}, {change}: {[p for p in opened if _running(p)]} still run"
                assert session.wait(timeout=10) != 0, "the client saw its session closed"
                assert "its ssh and sftp sessions on this host are ended" in applied.stderr, applied.stderr
            else:
                time.sleep(0.5)
                assert all(_running(p) for p in opened), f"{b.slug}, {change}: a process was ended"
                assert session.poll() is None, "the session is still open"
                assert applied.stderr == "", applied.stderr
            assert _running(site), f"{b.slug}, {change}: the process in another PID namespace was ended"
    finally:
        session.kill()
        session.wait()
        for p in _host_processes(b.uid):
            os.kill(p, 9)
        restored = apply_space_and_keys(b, space, keys_dir)
        assert restored.returncode == 0, restored.stderr
    assert ssh(space, sshd, b, "id", "-u").stdout.strip() == str(b.uid), "its key given back, the member logs in"


def _outside_our_user_namespace(pids: list[int]) -> list[int]:
    ours = os.readlink("/proc/self/ns/user")
    return [p for p in pids if os.readlink(f"/proc/{p}/ns/user") != ours]


def test_a_job_in_namespaces_of_its_own_ends_too(space: Space, sshd: int, sshd_files: tuple[str, Path]) -> None:
    """A shell makes a PID namespace without privilege, inside a user namespace of its own (unshare -Urpf): a job
    left there ends with the member's other sessions when its key is removed; the site's container, in a PID
    namespace of its own but in the host's user namespace, runs on."""
    b, keys_dir = space.b, sshd_files[1]
    job = ssh(space, sshd, b, "unshare -Urpf sleep 600 </dev/null >/dev/null 2>&1 & sleep 1; echo started")
    assert job.returncode == 0, job.stderr
    escaped = _outside_our_user_namespace(_processes_of(b.uid))
    if not escaped:
        why = "unprivileged user namespaces are off on this machine: a member cannot make one"
        if IN_CI:
            pytest.fail(f"{why} (the CI machine must allow them: kernel.unprivileged_userns_clone)")
        pytest.skip(why)
    try:
        with in_another_pid_namespace(b.uid) as site:
            applied = apply_space_and_keys(with_access(b, [], ssh=True), space, keys_dir)
            assert applied.returncode == 0, applied.stderr
            assert _gone(escaped), f"{b.slug}: {escaped} in a user namespace of its own still run"
            assert _running(site), f"{b.slug}: the process in the site's PID namespace was ended"
    finally:
        for p in _processes_of(b.uid):
            os.kill(p, 9)
        restored = apply_space_and_keys(b, space, keys_dir)
        assert restored.returncode == 0, restored.stderr


def test_a_key_removed_from_the_former_keys_directory_counts(space: Space, tmp_path: Path) -> None:
    """A stack from the layout before web.KEYS_DIR: sshd reads the member's keys from web.FORMER_KEYS_DIR too, and
    the run that moves them there may also remove a key: the keys read there count as the keys sshd takes now."""
    a = space.a
    keys_dir, former = tmp_path / "keys", space.root / "former_keys"
    keys_dir.mkdir()
    former.mkdir(exist_ok=True)
    (former / a.slug).write_text(web.render_authorized_keys(a))
    job = subprocess.Popen(
        ["setpriv", f"--reuid={a.uid}", f"--regid={a.uid}", "--clear-groups", "sleep", "600"], start_new_session=True
    )
    try:
        kept = apply_space_and_keys(a, space, keys_dir)
        assert (kept.returncode, kept.stderr) == (0, ""), kept.stderr
        assert _running(job.pid), "the same keys: nothing ends"
        (keys_dir / a.slug).unlink()  # as before that run: the keys only in the former directory
        applied = apply_space_and_keys(with_access(a, [], ssh=False), space, keys_dir)
        assert applied.returncode == 0, applied.stderr
        assert _gone([job.pid]), f"{a.slug}: its key, read from the former directory, was removed and its job runs on"
    finally:
        stop(job)
        (former / a.slug).unlink()
        restored = apply_space_and_keys(a, space, keys_dir)
        assert restored.returncode == 0, restored.stderr


def test_a_removed_key_ends_an_open_sftp_session(space: Space, sshd: int, sshd_files: tuple[str, Path]) -> None:
    """An sftp session (chrooted, sftp only) ends when the member's key is removed from access.sftp_keys."""
    a, keys_dir = space.a, sshd_files[1]
    exe = require_program("sftp")
    cmd = [exe, *ssh_options(sshd), "-P", str(sshd), "-i", str(space.keys[a.slug]), "-b", "-", f"{a.slug}@127.0.0.1"]
    session = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert session.stdin is not None and session.stdout is not None
        session.stdin.write("pwd\n")
        session.stdin.flush()
        while "Remote working directory" not in (line := session.stdout.readline()):
            assert line, f"{a.slug}: no sftp session opened"
        opened = _host_processes(a.uid)
        assert opened, f"{a.slug}: no process of its sftp session on the host"
        applied = apply_space_and_keys(with_access(a, [], ssh=False), space, keys_dir)
        assert applied.returncode == 0, applied.stderr
        assert f"{a.slug}: a key removed from access.sftp_keys: its ssh and sftp sessions" in applied.stderr
        assert _gone(opened), f"{a.slug}: {[p for p in opened if _running(p)]} still run"
        session.stdin.write("ls -1 /\n")  # a request to the server, which is gone (pwd is answered by the client)
        session.stdin.close()
        assert session.wait(timeout=10) != 0
        assert "priv" not in session.stdout.read(), "the session answered after the key was removed"
    finally:
        session.kill()
        session.wait()
        restored = apply_space_and_keys(a, space, keys_dir)
        assert restored.returncode == 0, restored.stderr
    assert sftp(space, sshd, a, "pwd\n").returncode == 0, "its key given back, the member logs in"


# --- logrotate ----------------------------------------------------------------------------------


def test_logrotate_rotates_as_the_member(space: Space) -> None:
    exe = require_program("logrotate")
    a = space.a
    log = space.home(a) / "log" / "access.log"
    log.write_text("127.0.0.1 - - request\n")
    os.chown(log, a.uid, a.uid)
    conf = space.root / "logrotate.conf"
    conf.write_text(web.render_member_logrotate(a, space.settings))
    proc = subprocess.run(
        [exe, "-f", "-s", str(space.root / "logrotate.state"), str(conf)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    rotated = space.home(a) / "log" / "access.log.1"
    assert rotated.read_text() == "127.0.0.1 - - request\n"
    assert rotated.stat().st_uid == a.uid
    assert log.stat().st_size == 0  # copytruncate: Apache keeps writing to the same file


# --- front proxy, Apache + PHP, static site -----------------------------------------------------


@dataclass
class Web:
    http: int
    https: int
    ca: Path  # the CA that signed the members' certificates
    certs: dict[str, bytes]  # slug -> DER of the member's one certificate, as placed
    webroot: Path  # the ACME HTTP-01 webroot


def _apache_config(space: Space, port: int, vhost: Path) -> Path:
    mods = "/usr/lib/apache2/modules"
    php_so = sorted(Path(mods).glob("libphp*.so"))
    if not php_so:
        message = "libapache2-mod-php is not installed"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    run = space.root / "apache"
    run.mkdir(exist_ok=True)
    lines = [f"LoadModule {m}_module {mods}/mod_{m}.so" for m in ("mpm_prefork", "authz_core", "dir", "mime")]
    lines += [f"LoadModule {m}_module {mods}/mod_{m}.so" for m in ("remoteip", "setenvif", "rewrite", "headers")]
    lines += [
        f"LoadModule php_module {php_so[-1]}",
        f"ServerRoot {run}",
        "ServerName localhost",
        f"PidFile {run}/apache.pid",
        f"Mutex file:{run}",
        f"ErrorLog {run}/error.log",
        f"Listen 127.0.0.1:{port}",
        "TypesConfig /etc/mime.types",
        "DirectoryIndex index.php index.html",
        "<FilesMatch \\.php$>\n\tSetHandler application/x-httpd-php\n</FilesMatch>",
        # As in the site container: the server runs as the member.
        f"User {space.a.slug}",
        f"Group {space.a.slug}",
        f"Include {vhost}",
    ]
    conf = run / "apache2.conf"
    conf.write_text("\n".join(lines) + "\n")
    return conf


@pytest.fixture(scope="module")
def front(space: Space) -> Iterator[Web]:
    caddy, apache = require_program("caddy"), require_program("apache2")
    a, b, c = space.a, space.b, space.c
    home_a, home_b = space.home(a), space.home(b)
    files = {
        home_a / "www" / "index.php": "<?php echo 'hello from a, PHP ' . PHP_MAJOR_VERSION . \"\\n\";\n",
        home_a / "www" / "readpriv.php": (
            "<?php echo trim(file_get_contents(__DIR__ . '/../priv/settings.ini')), \"\\n\";\n"
            'echo @file_get_contents(\'/etc/hostname\') === false ? "confined\\n" : "escaped\\n";\n'
        ),
        home_a / "priv" / "settings.ini": "db_password=secret-of-a\n",
        home_a / "db" / "dump.sql": "-- secret dump of a\n",
        home_a / "log" / "old.log": "secret log of a\n",
        home_b / "www" / "index.html": "<h1>static site of b</h1>\n",
        home_b / "priv" / "notes.txt": "secret of b\n",
        # PHP files left from before the site went static (php: none): never served as text
        home_b / "www" / "wp-config.php": "<?php define('AUTH_KEY', 'secret of b');\n",
        home_b / "www" / "lib" / "Config.PHP": "<?php $password = 'secret of b';\n",
        home_b / "www" / "config.inc": "<?php $db = 'secret of b';\n",
        home_b / "www" / "wp-config.php.bak": "<?php define('AUTH_KEY', 'secret of b');\n",
        home_b / "www" / "wp-config.php~": "<?php define('AUTH_KEY', 'secret of b');\n",
        home_b / "www" / ".htpasswd": "admin:secret of b\n",
        home_b / "www" / ".env": "DB_PASSWORD=secret of b\n",
        home_b / "www" / ".git" / "config": "[remote] url = https://u:secret of b@example.org\n",
        home_b / "www" / ".well-known" / "security.txt": "Contact: mailto:b@example.org\n",
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        uid = a.uid if home_a in path.parents else b.uid
        os.chown(path, uid, uid)

    apache_port, static_port, http, https = free_port(), free_port(), free_port(), free_port()
    vhost = space.root / "vhost-a.conf"
    vhost.write_text(web.render_member_vhost(a, root=str(home_a), port=apache_port, trusted_proxy="127.0.0.1"))
    apache_conf = _apache_config(space, apache_port, vhost)
    subprocess.run([apache, "-t", "-f", str(apache_conf)], check=True, capture_output=True)
    procs: list[subprocess.Popen[Any]] = []
    try:
        # Its own session: on shutdown Apache signals its whole process group.
        procs.append(subprocess.Popen([apache, "-f", str(apache_conf), "-DFOREGROUND"], start_new_session=True))
        wait_for_port(apache_port, procs[-1], "apache2")

        # Member B's static site, served as B by the rendered static Caddyfile.
        static_home = space.root / "caddy-b"
        static_home.mkdir()
        os.chown(static_home, b.uid, b.uid)
        static_conf = static_home / "Caddyfile"
        static_conf.write_text(web.render_static_caddyfile(root=str(home_b), port=static_port, bind="127.0.0.1"))
        env_b = {"HOME": str(static_home), "XDG_DATA_HOME": str(static_home), "XDG_CONFIG_HOME": str(static_home)}
        procs.append(
            subprocess.Popen(
                [caddy, "run", "--config", str(static_conf), "--adapter", "caddyfile"],
                env=env_b,
                user=b.uid,
                group=b.uid,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        wait_for_port(static_port, procs[-1], "static caddy of b")

        storage = space.root / "caddy-data"
        # One certificate per https member, all its domains, where the Caddyfile loads it.
        ca = make_ca("pic daemon test CA")
        ca_file = space.root / "ca.pem"
        ca_file.write_bytes(ca.pem)
        certs_dir, webroot = space.root / "certs", space.root / "acme"
        certs = {}
        for m in (a, b, c):
            assert m.site is not None
            cert = write_member_cert(ca, certs_dir, m.slug, list(m.site.domains))
            certs[m.slug] = cert.public_bytes(serialization.Encoding.DER)
        (webroot / ".well-known" / "acme-challenge").mkdir(parents=True)
        # An archived member: no account needed, it must get no block at all.
        archived = make_member(f"{a.slug}-old", a.uid, "archived", "8.2", ssh=False, key=_pub(space, a))
        text = web.render_caddyfile(
            space.settings,
            [a, b, c, archived],
            on=ON,
            http_port=http,
            https_port=https,
            admin="off",
            storage=str(storage),
            bind="127.0.0.1",
            upstreams={a.slug: f"127.0.0.1:{apache_port}", b.slug: f"127.0.0.1:{static_port}"},
            certs_dir=str(certs_dir),
            acme_webroot=str(webroot),
        )
        conf = space.root / "Caddyfile"
        conf.write_text(text)
        env = {"HOME": str(space.root), "XDG_DATA_HOME": str(space.root), "XDG_CONFIG_HOME": str(space.root)}
        log = (space.root / "caddy.log").open("w")
        procs.append(
            subprocess.Popen(
                [caddy, "run", "--config", str(conf), "--adapter", "caddyfile"],
                env=env,
                stderr=log,
                stdout=log,
                start_new_session=True,
            )
        )
        wait_for_port(https, procs[-1], "front caddy")
        yield Web(http, https, ca_file, certs, webroot)
    finally:
        for proc in reversed(procs):
            stop(proc)


def _pub(space: Space, m: Member) -> str:
    return Path(f"{space.keys[m.slug]}.pub").read_text().strip()


def fetch(front: Web, domain: str, path: str = "/", *, https: bool = True) -> tuple[int, dict[str, str], str]:
    """curl through the front proxy as a browser would for ``domain``; retries while certificates are issued."""
    exe = require_program("curl")
    port = front.https if https else front.http
    scheme = "https" if https else "http"
    cmd = [exe, "-sS", "--path-as-is", "-D", "-", "--max-time", "10", "--resolve", f"{domain}:{port}:127.0.0.1"]
    cmd += ["--cacert", str(front.ca), f"{scheme}://{domain}:{port}{path}"]
    deadline = time.monotonic() + 30
    while True:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert proc.returncode == 0, f"curl {domain}{path}: {proc.stderr}"
    head, _, body = proc.stdout.partition("\n\n")  # text mode: \r\n read as \n
    status = int(head.split()[1])
    headers = {}
    for line in head.splitlines()[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def peer_certificate(front: Web, domain: str) -> tuple[list[str], bytes]:
    """The certificate the proxy presents for SNI ``domain``, verified against the test CA: (DNS names, DER)."""
    ctx = ssl.create_default_context(cafile=str(front.ca))
    with (
        socket.create_connection(("127.0.0.1", front.https), timeout=10) as raw,
        ctx.wrap_socket(raw, server_hostname=domain) as tls,
    ):
        der = tls.getpeercert(binary_form=True)
    assert der is not None
    return dns_names(x509.load_der_x509_certificate(der)), der


def test_php_page_served_through_the_proxy(space: Space, front: Web) -> None:
    status, headers, body = fetch(front, f"{space.a.slug}.test", "/")
    assert status == 200, body
    assert body.strip() == "hello from a, PHP 8"
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("strict-transport-security", "").startswith("max-age=")
    assert "server" not in headers
    assert headers.get("x-pic-php") == "8.2", "the runtime the site answers with, for pic status"
    access = _logged(space.home(space.a) / "log" / "access.log", "GET / HTTP/1.1")
    assert f"{space.a.slug}.test" in access


def _logged(log: Path, text: str, timeout: float = 20) -> str:
    """The log once it holds ``text``: Apache writes a request's line after the response has gone."""
    deadline = time.monotonic() + timeout
    content = ""
    while time.monotonic() < deadline:
        content = log.read_text() if log.exists() else ""
        if text in content:
            return content
        time.sleep(0.05)
    raise AssertionError(f"{log} has no {text!r} {timeout:.0f} s after the response: {content!r}")


def test_php_reads_priv_but_nothing_outside_its_space(space: Space, front: Web) -> None:
    status, _, body = fetch(front, f"www.{space.a.slug}.test", "/readpriv.php")
    assert status == 200
    assert body.split() == ["db_password=secret-of-a", "confined"]


def test_static_site_served(space: Space, front: Web) -> None:
    status, headers, body = fetch(front, f"{space.b.slug}.test", "/")
    assert status == 200
    assert body == "<h1>static site of b</h1>\n"
    assert headers.get("x-frame-options") == "SAMEORIGIN"
    assert headers.get("x-pic-php") == "none"


@pytest.mark.parametrize("who", ["a", "b"])
def test_priv_db_log_never_served(space: Space, front: Web, who: str) -> None:
    m = space.a if who == "a" else space.b
    paths = [
        "/priv/settings.ini",
        "/../priv/settings.ini",
        "/%2e%2e/priv/settings.ini",
        "/..%2fpriv/settings.ini",
        "/db/dump.sql",
        "/../db/dump.sql",
        "/log/old.log",
        "/../log/old.log",
        "/../priv/notes.txt",
    ]
    for path in paths:
        status, _, body = fetch(front, f"{m.slug}.test", path)
        assert status in (400, 403, 404), f"{m.slug}{path}: {status}"
        assert "secret" not in body, f"{m.slug}{path} leaked: {body[:200]}"


def test_a_static_site_never_serves_php_source(space: Space, front: Web) -> None:
    """A site switched to php: none keeps its .php files, their copies and its hidden files: the static server
    answers 404, never their text."""
    for path in (
        "/wp-config.php",
        "/lib/Config.PHP",
        "/config.inc",
        "/wp-config.php/",
        "/WP-CONFIG.php",
        "/wp-config.php.bak",
        "/wp-config.php~",
        "/.htpasswd",
        "/.env",
        "/.git/config",
    ):
        status, _, body = fetch(front, f"{space.b.slug}.test", path)
        assert status == 404, f"{path}: {status}"
        assert "secret" not in body, f"{path} leaked: {body[:200]}"
    status, _, body = fetch(front, f"{space.b.slug}.test", "/.well-known/security.txt")
    assert (status, body) == (200, "Contact: mailto:b@example.org\n")


@pytest.mark.parametrize("who", ["a", "b", "c"])
def test_one_certificate_per_member_with_all_its_domains(space: Space, front: Web, who: str) -> None:
    """Whatever name of a member is asked for (SNI), the proxy presents the member's ONE certificate, naming
    exactly the member's domains: all of them, and nobody else's."""
    m = {"a": space.a, "b": space.b, "c": space.c}[who]  # c is suspended: 503, but over https
    assert m.site is not None
    domains = list(m.site.domains)
    assert len(domains) == 2
    fetch(front, domains[0])  # the proxy is up and serving
    for domain in domains:
        names, der = peer_certificate(front, domain)
        assert sorted(names) == sorted(domains), f"{m.slug}: the certificate for {domain} names {names}"
        assert der == front.certs[m.slug], f"{m.slug}: {domain} is not served with the member's own certificate"
    others = {s: der for s, der in front.certs.items() if s != m.slug}
    assert front.certs[m.slug] not in others.values(), "two members share a certificate"


def test_acme_challenge_served_over_http_from_the_webroot(space: Space, front: Web) -> None:
    """HTTP-01: each https domain answers /.well-known/acme-challenge/<token> from the webroot, on http."""
    token = secrets.token_urlsafe(24)
    (front.webroot / ".well-known" / "acme-challenge" / token).write_text(f"{token}.key-authorization")
    for m in (space.a, space.b, space.c):
        assert m.site is not None
        for domain in m.site.domains:
            status, headers, body = fetch(front, domain, f"/.well-known/acme-challenge/{token}", https=False)
            assert status == 200, f"{domain}: {status} {headers}"
            assert body == f"{token}.key-authorization", domain
    status, _, _ = fetch(front, f"{space.a.slug}.test", "/.well-known/acme-challenge/no-such-token", https=False)
    assert status == 404


def test_http_redirects_to_https(space: Space, front: Web) -> None:
    for m in (space.a, space.b):
        assert m.site is not None
        for domain in m.site.domains:
            status, headers, _ = fetch(front, domain, "/some/page?x=1", https=False)
            assert status == 308, f"{domain}: {status}"
            # The proxy's https port (443 on a host) is named when it is not the default.
            assert headers["location"] == f"https://{domain}:{front.https}/some/page?x=1", domain


def test_suspended_member_answers_503(space: Space, front: Web) -> None:
    status, _, body = fetch(front, f"{space.c.slug}.test", "/")
    assert status == 503
    assert "suspended" in body


def test_archived_member_gets_nothing(space: Space, front: Web) -> None:
    fetch(front, f"{space.a.slug}.test")  # the proxy is up and serving
    ctx = ssl.create_default_context(cafile=str(front.ca))
    with socket.create_connection(("127.0.0.1", front.https), timeout=10) as raw, pytest.raises(ssl.SSLError):
        ctx.wrap_socket(raw, server_hostname=f"{space.a.slug}-old.test")

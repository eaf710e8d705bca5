"""The host setup and the path of members_root, with a real sshd: a group-writable parent is fixed, sftp works.

sshd refuses every ChrootDirectory under a directory writable by group or
others (sshd_config(5)): one ``chmod g+w /srv`` and no member can use sftp. The
check the host setup runs first (``_members-root-check.j2``) fixes such a
directory when root owns it, refuses one that another user owns, and sftp
works afterwards. Needs root (CI runs as root).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pic.check import check
from pic.registry import Member
from pic.render import web
from pic.settings import Settings
from tests.conftest import MEMBERS, ROOT, require_program, require_root
from tests.helpers import free_port
from tests.test_daemons_web import ON, free_uids, make_member, ssh_options, stop, wait_for_port

pytestmark = pytest.mark.daemon


@dataclass
class Host:
    root: Path
    parent: Path  # the directory above members_root
    settings: Settings
    member: Member
    key: Path
    port: int


def _run(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sh", "-eu", "-s"], input=script, text=True, capture_output=True, check=False)


@pytest.fixture(scope="module")
def host() -> Iterator[Host]:
    require_root("creates a unix account, changes owners and runs sshd")
    exe = require_program("sshd")
    for prog in ("useradd", "ssh-keygen", "sftp"):
        require_program(prog)
    token = secrets.token_hex(3)
    root = Path(f"/srv/pic-test-root-{token}")
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)
    parent = root / "shared"
    slug = f"picr-{token}"
    proc: subprocess.Popen[bytes] | None = None
    try:
        key = root / "client-key"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        base = check(ROOT, "prod", MEMBERS, ON).settings
        port = free_port()
        hosts = {**base.hosts, "web1": base.hosts["web1"].model_copy(update={"ssh_port": port})}
        settings = base.model_copy(update={"members_root": str(parent / "members"), "hosts": hosts})
        m = make_member(slug, free_uids(1)[0], "active", "none", ssh=False, key=Path(f"{key}.pub").read_text().strip())
        made = _run(web.render_member_space_script(m, settings))
        assert made.returncode == 0, made.stderr
        keys_dir = root / "authorized_keys"
        keys_dir.mkdir(mode=0o755)
        (root / "former_keys").mkdir(mode=0o755)
        (keys_dir / slug).write_text(web.render_authorized_keys(m))
        (keys_dir / slug).chmod(0o644)
        host_key = root / "ssh_host_ed25519_key"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(host_key)], check=True)
        conf = root / "sshd_config"
        conf.write_text(
            web.render_sshd_config(
                settings,
                "web1",
                listen=["127.0.0.1"],
                host_keys=[str(host_key)],
                pid_file=str(root / "sshd.pid"),
                keys_dir=str(keys_dir),
                former_keys_dir=str(root / "former_keys"),
            )
        )
        subprocess.run([exe, "-t", "-f", str(conf)], check=True)
        Path("/run/sshd").mkdir(exist_ok=True)
        with (root / "sshd.log").open("w") as log:
            proc = subprocess.Popen(
                [exe, "-D", "-e", "-f", str(conf)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_for_port(port, proc, "sshd")
        yield Host(root, parent, settings, m, key, port)
    finally:
        if proc is not None:
            stop(proc)
        subprocess.run(["userdel", slug], capture_output=True, check=False)
        subprocess.run(["groupdel", slug], capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


def sftp(host: Host, batch: str) -> subprocess.CompletedProcess[str]:
    script = host.root / "batch"
    script.write_text(batch)
    cmd = ["sftp", *ssh_options(host.port), "-P", str(host.port), "-i", str(host.key), "-b", str(script)]
    return subprocess.run(
        [*cmd, f"{host.member.slug}@127.0.0.1"], capture_output=True, text=True, timeout=60, check=False
    )


def test_the_setup_checks_members_root_before_anything_else() -> None:
    settings = check(ROOT, "prod", MEMBERS, ON).settings
    setup = web.render_web_host_setup(settings, "web1")
    fragment = web.render_members_root_check(settings.members_root).split("set -eu\n", 1)[1]
    assert fragment in setup
    assert setup.index(fragment) < setup.index("install -d -o root -g root -m 0711")


def test_group_writable_parent_is_fixed_and_sftp_works_afterwards(host: Host) -> None:
    assert sftp(host, "pwd\n").returncode == 0, "sftp works on a sound path"
    host.parent.chmod(0o775)  # what an admin's `chmod g+w` or a careless umask does
    broken = sftp(host, "pwd\n")
    assert broken.returncode != 0, "sshd refuses the chroot under a group-writable directory"
    assert "bad ownership or modes for chroot directory component" in (host.root / "sshd.log").read_text()

    fixed = _run(web.render_members_root_check(host.settings.members_root))
    assert fixed.returncode == 0, fixed.stderr
    assert f"fixed: {host.parent} (on the path of members_root {host.settings.members_root})" in fixed.stdout
    assert "(mode 775)" in fixed.stdout and fixed.stdout.rstrip().endswith("now 755")
    assert host.parent.stat().st_mode & 0o777 == 0o755
    upload = host.root / "page.html"
    upload.write_text("<p>back</p>\n")
    proc = sftp(host, f"put {upload} /www/index.html\nls -1 /www\n")
    assert proc.returncode == 0, proc.stderr
    assert (Path(host.settings.members_root) / host.member.slug / "www" / "index.html").read_text() == "<p>back</p>\n"
    # Run again: nothing to fix, nothing said.
    again = _run(web.render_members_root_check(host.settings.members_root))
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


def test_parent_owned_by_another_user_is_refused_and_left_alone(host: Host) -> None:
    uid = host.member.uid
    os.chown(host.parent, uid, uid)
    try:
        proc = _run(web.render_members_root_check(host.settings.members_root))
        assert proc.returncode == 1
        assert f"refused: {host.parent} (on the path of members_root {host.settings.members_root})" in proc.stderr
        assert f"belongs to uid {uid}, not root" in proc.stderr
        assert host.parent.stat().st_uid == uid, "the owner is an admin's decision: not changed"
    finally:
        os.chown(host.parent, 0, 0)
    assert sftp(host, "pwd\n").returncode == 0


def test_sticky_shared_directory_is_refused(host: Host) -> None:
    shared = host.root / "sticky"
    shared.mkdir()
    shared.chmod(0o1777)
    proc = _run(web.render_members_root_check(str(shared / "members")))
    assert proc.returncode == 1
    assert f"refused: {shared} (on the path of members_root {shared}/members) is a shared directory" in proc.stderr
    assert shared.stat().st_mode & 0o7777 == 0o1777, "left alone"
    assert not (shared / "members").exists()


def test_keys_in_the_former_directory_still_let_the_member_in(host: Host) -> None:
    """While a stack moves to this layout, a member's keys are in the former directory until its
    <slug>-space writes them in the new one (then the former <slug>-keys deletion removes the old
    file): sshd reads both, so the member is never locked out; with no key in either, it is."""
    slug = host.member.slug
    new, former = host.root / "authorized_keys" / slug, host.root / "former_keys" / slug
    kept = new.read_text()
    try:
        shutil.copy2(new, former)
        new.unlink()
        assert sftp(host, "pwd\n").returncode == 0, "the key in the former directory is not read"
        shutil.copy2(former, new)
        former.unlink()
        assert sftp(host, "pwd\n").returncode == 0, "the key in the new directory is not read"
        new.unlink()
        assert sftp(host, "pwd\n").returncode != 0, "a member without keys got in"
    finally:  # the host as the other tests expect it
        former.unlink(missing_ok=True)
        new.write_text(kept)
        new.chmod(0o644)

"""The off-site backup run for real: the rendered pic-offsite-* scripts with Debian's restic, the
example members' spaces (their slugs and uids, files written as those uids) backed up to a
local repository, to one over sftp on loopback (a real sshd on a free port) and to an S3 bucket
(moto's S3 server on loopback), files deleted, then restored as of a snapshot, or a whole host
into an empty directory: checksums, modes and owners identical. A wrong password and an
unreachable repository are failures that are mailed; the weekly drill reports, and fails on a
damaged repository.

Needs root (members' uids, sshd), restic, jq, sshd, ssh-keygen and setpriv.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import resource
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from pic.registry import load_registry
from pic.render import db as rdb
from pic.render import offsite as ro
from pic.settings import load_settings
from tests.conftest import require_program, require_root
from tests.helpers import free_port
from tests.mariadb_server import run_as_root_env

pytestmark = pytest.mark.daemon

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "offsite-Repository-pw-42"


@dataclass
class Site:
    """One host's off-site backup, in a directory of its own."""

    base: Path
    members: dict[str, int]  # slug -> uid
    repository: str

    @property
    def root(self) -> Path:
        return self.base / "members"

    @property
    def conf(self) -> Path:
        return self.base / "offsite.conf"

    @property
    def mail(self) -> Path:
        return self.base / "mail.txt"

    def write(self, repository: str | None = None, password: str = PASSWORD, subset: str = "100%") -> None:
        self.repository = repository or self.repository
        (self.base / "password").write_text(password + "\n")
        (self.base / "password").chmod(0o600)
        mailer = self.base / "sendmail"
        mailer.write_text(f'#!/bin/sh\ncat >> "{self.mail}"\n')
        mailer.chmod(0o755)
        self.conf.write_text(
            ro.offsite_conf(
                ro.OffsiteConfig(
                    repository=self.repository,
                    host_label="web1",
                    report_to="admins@example.org",
                    members_root=str(self.root),
                    keep_daily=7,
                    keep_weekly=4,
                    keep_monthly=6,
                    keep_last=5,
                    paths=[str(self.base / "etc-pic"), str(self.base / "no-such-dir")],
                    check_subset=subset,
                    password_file=str(self.base / "password"),
                    env_file=str(self.base / "offsite.env"),
                    key_file=str(self.base / "id_ed25519"),
                    known_hosts=str(self.base / "known_hosts"),
                    state_dir=str(self.base / "state"),
                    mailer=str(mailer),
                    db_restore=str(self.base / "db-restore"),
                    dump_lock=str(self.base / "dump-state" / "lock"),
                )
            )
        )
        for name, text in (
            ("pic-offsite-backup", ro.backup_script()),
            ("pic-offsite-drill", ro.drill_script()),
            ("pic-offsite-restore", ro.restore_script()),
        ):
            (self.base / name).write_text(text)
            (self.base / name).chmod(0o755)

    def run(self, script: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        env = (
            run_as_root_env()
            | (env or {})
            | {
                "PIC_OFFSITE_CONF": str(self.conf),
                "RESTORE_DIR": str(self.base),
                "DRILL_DIR": str(self.base),
            }
        )
        return subprocess.run(
            [str(self.base / script), *args], env=env, capture_output=True, text=True, check=False, timeout=600
        )


def _tree(root: Path) -> dict[str, tuple[str, int, int, int]]:
    """Every file, directory and link under root: (sha256 or link target, mode, uid, gid)."""
    out: dict[str, tuple[str, int, int, int]] = {}
    for p in sorted(root.rglob("*")):
        st = p.lstat()
        if p.is_symlink():
            what = "-> " + os.readlink(p)
        elif p.is_file():
            what = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            what = "dir"
        out[str(p.relative_to(root))] = (what, st.st_mode, st.st_uid, st.st_gid)
    return out


def _write_as(uid: int, path: Path, data: bytes, mode: int = 0o640) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.chown(path, uid, uid)
    path.chmod(mode)


def _make_members(base: Path) -> dict[str, int]:
    """The example members' spaces: www/, priv/, db/ and log/ of each, their files owned by the member."""
    registry = load_registry(ROOT / "members", load_settings(ROOT, "prod"))
    members = {m.slug: m.uid for m in registry}
    root = base / "members"
    root.mkdir(mode=0o755)
    for slug, uid in members.items():
        space = root / slug
        space.mkdir(mode=0o755)
        for sub in ("www", "priv", "db", "log"):
            (space / sub).mkdir(mode=0o750)
            os.chown(space / sub, uid, uid)
        _write_as(uid, space / "www" / "index.php", f"<?php echo 'Bonjour {slug} — été';\n".encode())
        _write_as(uid, space / "www" / "img" / "logo.bin", os.urandom(200_000))
        _write_as(uid, space / "www" / "img" / "big.bin", os.urandom(3_000_000), 0o600)
        (space / "www" / "current").symlink_to("img/logo.bin")
        os.lchown(space / "www" / "current", uid, uid)
        os.chown(space / "www" / "img", uid, uid)
        _write_as(uid, space / "priv" / "db.php", b"<?php return ['password' => 'x'];\n", 0o600)
        _write_as(uid, space / "db" / f"{slug.replace('-', '_')}_main-latest.sql.zst", os.urandom(5000), 0o600)
        _write_as(uid, space / "log" / "access.log", b"GET /\n")
    etc = base / "etc-pic"
    etc.mkdir()
    (etc / "db-dump.conf").write_text("KEEP_DAYS=7\n")
    return members


@pytest.fixture
def site() -> Iterator[Site]:
    for program in ("restic", "jq", "setpriv", "tar"):
        require_program(program)
    require_root("the restore writes as each member's uid")
    # members' uids must reach their spaces: a directory of its own, mode 0755, removed after
    base = Path(tempfile.mkdtemp(prefix="pic-offsite-"))
    base.chmod(0o755)
    try:
        s = Site(base, _make_members(base), str(base / "repo"))
        s.write()
        yield s
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _member_trees(site: Site) -> dict[str, dict[str, tuple[str, int, int, int]]]:
    return {slug: _tree(site.root / slug) for slug in site.members}


def _backup_ok(site: Site) -> None:
    done = site.run("pic-offsite-backup")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not site.mail.exists() or "failed" not in site.mail.read_text()


def _check_restores(site: Site) -> None:
    """Backup, lose a member's files, restore them all, then one path, as of the snapshot."""
    _backup_ok(site)
    before = _member_trees(site)
    slug, uid = sorted(site.members.items())[0]
    space = site.root / slug
    # the member loses its site and overwrites a secret
    subprocess.run(["rm", "-rf", str(space / "www" / "img"), str(space / "www" / "index.php")], check=True)
    _write_as(uid, space / "priv" / "db.php", b"broken\n", 0o600)
    _write_as(uid, space / "www" / "new-since.html", b"kept\n")
    done = site.run("pic-offsite-restore", "files", slug)
    assert done.returncode == 0, done.stdout + done.stderr
    after = _tree(space)
    assert after.pop("www/new-since.html")[0] == hashlib.sha256(b"kept\n").hexdigest(), "a newer file was removed"
    assert after == before[slug]
    # one path only
    (space / "www" / "img" / "logo.bin").unlink()
    (space / "priv" / "db.php").write_bytes(b"changed again\n")
    done = site.run("pic-offsite-restore", "files", slug, "www/img/logo.bin")
    assert done.returncode == 0, done.stderr
    assert _tree(space / "www" / "img") == {k[len("www/img/") :]: v for k, v in before[slug].items()
                                           if k.startswith("www/img/")}  # fmt: skip
    assert (space / "priv" / "db.php").read_bytes() == b"changed again\n", "a path not asked for was restored"
    # the other members were not touched
    for other in site.members:
        if other != slug:
            assert _tree(site.root / other) == before[other], other


def test_local_repository_backup_and_restore_of_every_member(site: Site) -> None:
    _check_restores(site)
    status = site.run("pic-offsite-backup", "--status")
    assert "result=ok" in status.stdout


@contextmanager
def _another_host_backing_up(site: Site) -> Iterator[subprocess.Popen[bytes]]:
    """A backup of another host in progress on the same repository (restic reading its stdin, which stays
    open): it holds the repository's lock, as web2 does while web1's nightly run starts."""
    holder = subprocess.Popen(
        ["restic", "--repo", site.repository, "--password-file", str(site.base / "password"), "--no-cache",
         "backup", "--stdin", "--stdin-filename", "dump.sql", "--host", "web2"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(300):  # its lock, once it has taken it
            listed = subprocess.run(
                ["restic", "--repo", site.repository, "--password-file", str(site.base / "password"), "--no-cache",
                 "--no-lock", "list", "locks"],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if listed.stdout.strip():
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the other host's backup never locked the repository")
        yield holder
    finally:
        if holder.stdin is not None and not holder.stdin.closed:
            holder.stdin.close()
        holder.wait(timeout=120)


def test_a_nightly_run_waits_for_another_hosts_lock_on_the_shared_repository(site: Site) -> None:
    """Every host backs up to one repository at about the same time: forget --prune and check need it for
    themselves alone, so a run that meets another host's lock tries again (LOCK_WAIT seconds apart) instead
    of failing and mailing a failure every night."""
    _backup_ok(site)
    with _another_host_backing_up(site):  # one try only: the lock is the failure
        done = site.run("pic-offsite-backup", env={"LOCK_TRIES": "1"})
    assert done.returncode == 1 and "the retention (forget --prune) failed" in done.stderr, done.stderr
    assert "repository is already locked" in (site.base / "state" / "last-run.log").read_text()
    site.mail.unlink()
    with _another_host_backing_up(site) as holder:
        waiting = subprocess.Popen(
            [str(site.base / "pic-offsite-backup")],
            env=run_as_root_env() | {"PIC_OFFSITE_CONF": str(site.conf), "LOCK_WAIT": "1", "LOCK_TRIES": "120"},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(5)
        assert waiting.poll() is None, waiting.communicate()  # still waiting for the lock
        assert holder.stdin is not None
        holder.stdin.write(b"-- web2's dump\n")
        holder.stdin.close()  # the other host's backup ends, and its lock with it
        out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, out + err
    assert not site.mail.exists(), site.mail.read_text()
    assert "repository is already locked" in (site.base / "state" / "last-run.log").read_text()
    hosts = subprocess.run(
        ["restic", "--repo", site.repository, "--password-file", str(site.base / "password"), "--no-cache",
         "snapshots", "--json"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert '"hostname":"web2"' in hosts.replace(" ", "") and '"hostname":"web1"' in hosts.replace(" ", "")


def test_restore_as_of_a_date_and_of_a_database(site: Site) -> None:
    _backup_ok(site)
    slug, uid = sorted(site.members.items())[1]
    page = site.root / slug / "www" / "index.php"
    first = page.read_bytes()
    dump = site.root / slug / "db" / f"{slug.replace('-', '_')}_main-latest.sql.zst"
    first_dump = dump.read_bytes()
    time.sleep(2.1)
    cut = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    time.sleep(1.1)
    _write_as(uid, page, b"second version\n")
    _write_as(uid, dump, b"second dump\n", 0o600)
    _backup_ok(site)
    done = site.run("pic-offsite-restore", "files", slug, "www", "--at", cut)
    assert done.returncode == 0, done.stderr
    assert page.read_bytes() == first
    assert page.stat().st_uid == uid
    # the database as of the cut: its dump of then, copied as the member, handed to pic-db-restore
    recorder = site.base / "db-restore"
    recorder.write_text(f'#!/bin/sh\necho "$@" > {site.base / "db-restore.args"}\n')
    recorder.chmod(0o755)
    db = f"{slug.replace('-', '_')}_main"
    done = site.run("pic-offsite-restore", "db", slug, db, "--at", cut)
    assert done.returncode == 0, done.stderr
    args = (site.base / "db-restore.args").read_text().split()
    assert args[:2] == [slug, db]
    copied = site.root / slug / "db" / args[2]
    assert copied.read_bytes() == first_dump
    assert copied.stat().st_uid == uid
    # a date before any snapshot is refused
    done = site.run("pic-offsite-restore", "files", slug, "--at", "2001-01-01")
    assert done.returncode != 0 and "no snapshot" in done.stderr


def test_restore_never_writes_through_a_link_the_member_planted(site: Site) -> None:
    _backup_ok(site)
    slug, uid = sorted(site.members.items())[2]
    target = site.base / "root-only"
    target.mkdir(mode=0o700)
    img = site.root / slug / "www" / "img"
    subprocess.run(["rm", "-rf", str(img)], check=True)
    img.symlink_to(target)
    os.lchown(img, uid, uid)
    done = site.run("pic-offsite-restore", "files", slug, "www")
    assert list(target.iterdir()) == [], f"the restore wrote into root's directory: {done.stdout}{done.stderr}"


def test_wrong_password_and_unreachable_repository_are_mailed_failures(site: Site) -> None:
    _backup_ok(site)
    site.write(password="not-the-password")
    done = site.run("pic-offsite-backup")
    assert done.returncode == 1
    mail = site.mail.read_text()
    assert "To: admins@example.org" in mail
    assert "Subject: [pic] off-site backup failed on web1" in mail
    assert "wrong password" in mail
    site.mail.unlink()
    port = free_port()  # nothing listens there
    (site.base / "id_ed25519").write_text("")
    site.write(repository=f"sftp://root@127.0.0.1:{port}//nowhere")
    done = site.run("pic-offsite-backup")
    assert done.returncode == 1
    assert "Subject: [pic] off-site backup failed on web1" in site.mail.read_text()
    assert "result=failed" in site.run("pic-offsite-backup", "--status").stdout


def test_weekly_drill_reports_and_fails_on_a_damaged_repository(site: Site) -> None:
    _backup_ok(site)
    done = site.run("pic-offsite-drill")
    assert done.returncode == 0, done.stdout + done.stderr
    mail = site.mail.read_text()
    assert "Subject: [pic] restore drill on web1: ok" in mail
    assert "identical to the live file: 0" not in mail
    site.mail.unlink()
    packs = sorted((site.base / "repo" / "data").rglob("*"), key=lambda p: p.stat().st_size if p.is_file() else 0)
    pack = packs[-1]
    data = bytearray(pack.read_bytes())
    data[len(data) // 2] ^= 0xFF
    pack.chmod(0o600)
    pack.write_bytes(bytes(data))
    done = site.run("pic-offsite-drill")
    assert done.returncode != 0
    assert "Subject: [pic] restore drill on web1: FAILED" in site.mail.read_text()


# --- sftp on loopback ------------------------------------------------------------------------


@pytest.fixture
def sftp_server(site: Site) -> Iterator[int]:
    sshd = require_program("sshd")
    keygen = require_program("ssh-keygen")
    d = site.base / "sshd"
    d.mkdir(mode=0o700)
    subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(d / "host_key")], check=True)
    subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(site.base / "id_ed25519")], check=True)
    (d / "authorized_keys").write_text((site.base / "id_ed25519.pub").read_text())
    port = free_port()
    (d / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {d / 'host_key'}\nPidFile {d / 'sshd.pid'}\n"
        f"AuthorizedKeysFile {d / 'authorized_keys'}\nPermitRootLogin prohibit-password\nPasswordAuthentication no\n"
        "StrictModes no\nUsePAM no\nSubsystem sftp internal-sftp\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)
    proc = subprocess.Popen([sshd, "-D", "-e", "-f", str(d / "sshd_config")], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        host_key = (d / "host_key.pub").read_text().split()
        (site.base / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_sftp_repository_backup_and_restore(site: Site, sftp_server: int) -> None:
    repo = site.base / "sftp-repo"
    site.write(repository=f"sftp://root@127.0.0.1:{sftp_server}/{repo}")
    _check_restores(site)
    assert (repo / "config").exists(), "the repository is not on the sftp server"
    # a host key that is not the pinned one is refused, and mailed
    (site.base / "known_hosts").write_text(
        f"[127.0.0.1]:{sftp_server} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA{'A' * 42}\n"
    )
    done = site.run("pic-offsite-backup")
    assert done.returncode == 1
    assert "off-site backup failed" in site.mail.read_text()


def test_whole_host_restore_brings_back_every_file_with_owners_and_modes(site: Site) -> None:
    _backup_ok(site)
    before = _member_trees(site)
    etc_before = _tree(site.base / "etc-pic")
    new_machine = site.base / "new-machine"
    new_machine.mkdir(mode=0o755)
    done = site.run("pic-offsite-restore", "host")
    assert done.returncode != 0 and "--target" in done.stderr
    done = site.run("pic-offsite-restore", "host", "--target", str(new_machine))
    assert done.returncode == 0, done.stdout + done.stderr
    restored_root = new_machine / site.root.relative_to("/")
    # every member's www/, priv/ and db/ (log/ is not backed up: the web logs are not the member's data)
    saved = {slug: {k: v for k, v in tree.items() if k.split("/")[0] != "log"} for slug, tree in before.items()}
    assert {slug: _tree(restored_root / slug) for slug in site.members} == saved
    assert _tree(new_machine / (site.base / "etc-pic").relative_to("/")) == etc_before


# --- an S3-compatible store on loopback ---------------------------------------------------------


@pytest.fixture
def s3_server() -> Iterator[str]:
    """moto's S3 server on a free loopback port: its endpoint URL."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def test_s3_repository_backup_and_restore(site: Site, s3_server: str) -> None:
    (site.base / "offsite.env").write_text(ro.s3_env("pic-test-key", "pic-test-secret"))
    (site.base / "offsite.env").chmod(0o600)
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="pic-test-key",
        aws_secret_access_key="pic-test-secret",
        region_name="us-east-1",
    )
    s3.create_bucket(Bucket="pic-backups")
    site.write(repository=f"s3:{s3_server}/pic-backups/web1")
    _check_restores(site)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="pic-backups", Prefix="web1/").get("Contents", [])]
    assert "web1/config" in keys, "the repository is not in the bucket"
    assert any(k.startswith("web1/data/") for k in keys)
    # a store that does not answer is a mailed failure
    site.write(repository=f"s3:http://127.0.0.1:{free_port()}/pic-backups/web1")
    done = site.run("pic-offsite-backup")
    assert done.returncode == 1
    assert "Subject: [pic] off-site backup failed on web1" in site.mail.read_text()


def test_restore_of_a_database_never_reads_through_a_link_the_member_planted(site: Site) -> None:
    """A member can replace its DATABASE-latest dump by a link (between the night's dump and the
    off-site backup) to a file it cannot read: another member's dump, a root-only secret. The
    snapshot holds the link; restoring the database from it must not copy, with root's rights,
    what the link names into the member's db/, nor load another member's dump into its database."""
    (victim, _), (slug, uid) = sorted(site.members.items())[:2]
    secret = site.root / victim / "db" / f"{victim.replace('-', '_')}_main-latest.sql.zst"
    db = f"{slug.replace('-', '_')}_main"
    latest = site.root / slug / "db" / f"{db}-latest.sql.zst"
    latest.unlink()
    latest.symlink_to(secret)
    os.lchown(latest, uid, uid)
    _backup_ok(site)
    recorder = site.base / "db-restore"
    recorder.write_text(f'#!/bin/sh\necho "$@" > {site.base / "db-restore.args"}\n')
    recorder.chmod(0o755)
    done = site.run("pic-offsite-restore", "db", slug, db)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "no dump of" in done.stderr and "link" in done.stderr, done.stderr
    assert not (site.base / "db-restore.args").exists(), "pic-db-restore was run"
    copied = [p.name for p in (site.root / slug / "db").iterdir() if "-offsite-" in p.name]
    assert copied == [], f"root copied what the member's link names into its db/: {copied}"


def test_the_backup_leaves_out_the_dump_jobs_temporary_files_only(site: Site) -> None:
    """A dump being written (or left by a run that died) is no member file: left out. A member's own
    file whose name ends in .part (a download, a chapter of a book) is the member's: backed up."""
    slug, uid = sorted(site.members.items())[0]
    db = f"{slug.replace('-', '_')}_main"
    space = site.root / slug
    mine = [space / "www" / "livre" / "chapter.part", space / "priv" / "upload.part", space / "db" / "notes.part"]
    for p in mine:
        _write_as(uid, p, b"the member's\n")
    temporary = [space / "db" / f".{db}-20261201-031500.4242.part",
                 space / "db" / f"{db}-before-restore-20261201-031500.sql.zst.Ab12Cd.part"]  # fmt: skip
    for p in temporary:
        _write_as(uid, p, b"half a dump", 0o600)
    _backup_ok(site)
    listed = subprocess.run(
        ["restic", "--repo", site.repository, "--password-file", str(site.base / "password"), "--no-cache",
         "ls", "latest"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert [str(p) for p in mine if str(p) not in listed] == [], "a member's file was left out of the backup"
    assert [str(p) for p in temporary if str(p) in listed] == [], "a temporary file of a dump was backed up"


def test_a_repository_gone_or_replaced_is_a_failure_never_a_new_empty_one(site: Site) -> None:
    """The repository vanishes (the vault's disk not mounted, a bucket emptied) or another one is at
    its place: the nightly run must not create a new, empty repository (or back up into the other
    one) and say ok, while every earlier snapshot is lost. It fails and says so, until the admin
    removes the host's note of its repository."""
    _backup_ok(site)
    repo = Path(site.repository)
    moved = site.base / "repo-unmounted"
    repo.rename(moved)
    done = site.run("pic-offsite-backup")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "there is no repository" in done.stderr and "not created again" in done.stderr, done.stderr
    assert not repo.exists(), "a new, empty repository was made in place of the lost one"
    mail = site.mail.read_text()
    assert "Subject: [pic] off-site backup failed on web1" in mail and "not created again" in mail
    site.mail.unlink()
    # another repository at the same place, with the same password: not the one of this host's snapshots
    subprocess.run(["restic", "--repo", str(repo), "--password-file", str(site.base / "password"), "--no-cache",
                    "init"], check=True, capture_output=True)  # fmt: skip
    done = site.run("pic-offsite-backup")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "its snapshots are not there" in done.stderr, done.stderr
    assert "off-site backup failed" in site.mail.read_text()
    assert "result=failed" in site.run("pic-offsite-backup", "--status").stdout
    site.mail.unlink()
    # the one it knows back in place: ok again
    shutil.rmtree(repo)
    moved.rename(repo)
    _backup_ok(site)
    # the admin takes a new repository on purpose: the note removed, the next run uses it
    shutil.rmtree(repo)
    (site.base / "state" / "repository-id").unlink()
    _backup_ok(site)
    assert (repo / "config").exists()
    # or the setting names another location: a new repository there, then that one is watched
    elsewhere = site.base / "new-vault"
    site.write(repository=str(elsewhere))
    _backup_ok(site)
    assert (elsewhere / "config").exists()
    shutil.rmtree(elsewhere)
    done = site.run("pic-offsite-backup")
    assert done.returncode == 1 and "not created again" in done.stderr, done.stdout + done.stderr


def test_a_failure_is_mailed_even_when_the_state_cannot_be_written(site: Site) -> None:
    """A full /var (the state and restic's cache live there) is when backups fail: the failure must
    still be mailed, even though the run cannot note it in its state file."""
    _backup_ok(site)
    (site.base / "state" / "last-run").unlink()
    (site.base / "state" / "last-run").mkdir()  # any write to it fails, as on a full disk
    site.write(password="not-the-password")
    done = site.run("pic-offsite-backup")
    assert done.returncode == 1, done.stdout + done.stderr
    assert site.mail.exists(), "the failure was not mailed: " + done.stderr
    mail = site.mail.read_text()
    assert "Subject: [pic] off-site backup failed on web1" in mail and "wrong password" in mail, mail
    site.mail.unlink()
    # the drill too
    (site.base / "state" / "last-drill").mkdir()
    done = site.run("pic-offsite-drill")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Subject: [pic] restore drill on web1: FAILED" in site.mail.read_text()


def test_a_path_with_pattern_characters_restores_that_file_alone(site: Site) -> None:
    """restic reads --include as a pattern: www/a[1].png matched www/a1.png (not the file asked for,
    which the restore then said the snapshot did not hold), and www/* everything. The path given
    is the one restored, and nothing else."""
    _backup_ok(site)
    slug, uid = sorted(site.members.items())[3]
    www = site.root / slug / "www"
    names = ["a[1].png", "a1.png", "st*r.txt", "star.txt", "q?.txt", "qx.txt", "back\\slash.txt"]
    for name in names:
        _write_as(uid, www / name, f"first {name}\n".encode())
    _backup_ok(site)
    for name in names:
        _write_as(uid, www / name, b"changed\n")
    for name in ("a[1].png", "st*r.txt", "q?.txt", "back\\slash.txt"):
        done = site.run("pic-offsite-restore", "files", slug, f"www/{name}")
        assert done.returncode == 0, done.stdout + done.stderr
        assert (www / name).read_bytes() == f"first {name}\n".encode(), name
    for name in ("a1.png", "star.txt", "qx.txt"):
        assert (www / name).read_bytes() == b"changed\n", f"{name} was restored, not asked for"


def test_a_database_restore_that_cannot_copy_its_dump_leaves_no_partial_file(site: Site) -> None:
    """The member's db/ full when the snapshot's dump is copied there: the restore fails, says so,
    loads nothing, and leaves no partial copy (which pic-db-restore would later be given, and which
    made the next try fail as 'exists already')."""
    require_program("mount")
    slug, uid = sorted(site.members.items())[4]
    db = f"{slug.replace('-', '_')}_main"
    dumps = site.root / slug / "db"
    _write_as(uid, dumps / f"{db}-latest.sql.zst", os.urandom(600_000), 0o600)
    _backup_ok(site)
    (dumps / f"{db}-latest.sql.zst").unlink()
    recorder = site.base / "db-restore"
    recorder.write_text(f'#!/bin/sh\necho "$@" > {site.base / "db-restore.args"}\n')
    recorder.chmod(0o755)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size=256k,mode=0750,uid={uid},gid={uid}", "tmpfs", str(dumps)],
                   check=True)  # fmt: skip
    try:
        done = site.run("pic-offsite-restore", "db", slug, db)
        assert done.returncode == 1, done.stdout + done.stderr
        assert "could not write" in done.stderr, done.stderr
        assert list(dumps.iterdir()) == [], "a partial copy of the dump was left in the member's db/"
        assert not (site.base / "db-restore.args").exists(), "pic-db-restore was run"
    finally:
        subprocess.run(["umount", str(dumps)], check=True)
    done = site.run("pic-offsite-restore", "db", slug, db)
    assert done.returncode == 0, done.stdout + done.stderr
    # the same snapshot again: its copy is there already, and is not overwritten
    copied = next(dumps.glob(f"{db}-offsite-*.sql.zst"))
    first = copied.read_bytes()
    done = site.run("pic-offsite-restore", "db", slug, db)
    assert done.returncode == 1 and "exists already" in done.stderr, done.stdout + done.stderr
    assert copied.read_bytes() == first


# --- restored dumps and the nightly dump job's pruning ------------------------------------------


def _nightly_dump(site: Site, root: Path, slug: str, uid: int, db: str) -> subprocess.CompletedProcess[str]:
    """The nightly pic-db-dump of one database of ``root`` (keep_days 7), with stand-ins for the
    MariaDB clients (a tiny complete dump): what it keeps and prunes in the member's db/ is the
    real job's."""
    job = site.base / "dump-job"
    (job / "bin").mkdir(parents=True, exist_ok=True)
    (job / "backup.cnf").write_text("[client]\n")
    (job / "db-dump.list").write_text(rdb.dump_list([rdb.DumpEntry(slug, uid, db)]))
    (job / "bin" / "mariadb").write_text(
        "#!/bin/sh\n# stands in for mariadb: the server's packet limit, no table of another engine\n"
        'case "$*" in *max_allowed_packet*) echo 1073741824; exit 0 ;; esac\ncat > /dev/null\n'
    )
    (job / "bin" / "mariadb-dump").write_text(
        "#!/bin/sh\n# stands in for mariadb-dump: a complete dump\n"
        "printf -- '-- MariaDB dump\\nSELECT 1;\\n-- Dump completed\\n'\n"
    )
    (job / "sendmail").write_text(f'#!/bin/sh\ncat >> "{job / "mail.txt"}"\n')
    for name in ("bin/mariadb", "bin/mariadb-dump", "sendmail"):
        (job / name).chmod(0o755)
    conf = job / "db-dump.conf"
    conf.write_text(
        rdb.dump_conf(
            rdb.DumpConfig(
                members_root=str(root), keep_days=7, jobs=1, report_to="admins@example.org", host_label="web1",
                backup_cnf=str(job / "backup.cnf"), db_list=str(job / "db-dump.list"),
                state_dir=str(job / "state"), mailer=str(job / "sendmail"),
            )
        )
    )  # fmt: skip
    (job / "pic-db-dump").write_text(rdb.dump_script())
    (job / "pic-db-dump").chmod(0o755)
    env = run_as_root_env() | {"PIC_DB_DUMP_CONF": str(conf)}
    env["PATH"] = f"{job / 'bin'}:{env['PATH']}"
    return subprocess.run([str(job / "pic-db-dump")], env=env, capture_output=True, text=True, check=False, timeout=120)


def _old_dump(site: Site, root: Path, slug: str, uid: int, days: float) -> Path:
    """A nightly dump of the member's database, ``days`` old (its name and its time)."""
    db = f"{slug.replace('-', '_')}_main"
    when = time.time() - days * 86400
    path = root / slug / "db" / f"{db}-{time.strftime('%Y%m%d-%H%M%S', time.gmtime(when))}.sql.zst"
    _write_as(uid, path, os.urandom(3000), 0o600)
    os.utime(path, (when, when))
    return path


def test_a_dump_restored_from_the_backup_is_kept_keep_days_after_its_restore(site: Site) -> None:
    """A member asks for a dump of ten days ago (keep_days 7), pruned since: restored with its
    files, it is dated the time of the restore, and the next night's dump job keeps it (it kept its
    old time, and the job removed it again that night). The site's files keep their times."""
    slug, uid = sorted(site.members.items())[0]
    db = f"{slug.replace('-', '_')}_main"
    old = _old_dump(site, site.root, slug, uid, 10)
    single = _old_dump(site, site.root, slug, uid, 9)
    page = site.root / slug / "www" / "index.php"
    os.utime(page, (int(time.time()) - 30 * 86400, int(time.time()) - 30 * 86400))  # tar keeps whole seconds
    page_time = page.stat().st_mtime
    _backup_ok(site)
    old.unlink()
    single.unlink()
    started = time.time() - 1
    done = site.run("pic-offsite-restore", "files", slug)
    assert done.returncode == 0, done.stdout + done.stderr
    assert old.stat().st_mtime >= started, "the restored dump kept its old time: the next night prunes it"
    assert page.stat().st_mtime == page_time, "a file of www/ was not given its time of the snapshot"
    done = site.run("pic-offsite-restore", "files", slug, f"db/{single.name}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert single.stat().st_mtime >= started
    nightly = _nightly_dump(site, site.root, slug, uid, db)
    assert nightly.returncode == 0, nightly.stdout + nightly.stderr
    assert old.exists() and single.exists(), f"the next night pruned the restored dumps: {nightly.stdout}"
    # the job still prunes its own old dumps
    stale = _old_dump(site, site.root, slug, uid, 8)
    time.sleep(1.1)  # the next dump gets another name
    nightly = _nightly_dump(site, site.root, slug, uid, db)
    assert nightly.returncode == 0, nightly.stdout + nightly.stderr
    assert not stale.exists() and old.exists(), nightly.stdout


def test_dumps_of_a_whole_host_restored_are_kept_keep_days_after_the_restore(site: Site) -> None:
    """A whole host restored onto a new machine from a snapshot of ten days ago: its dumps are
    dated the time of the restore, and the new machine's first nightly run keeps them."""
    slug, uid = sorted(site.members.items())[0]
    db = f"{slug.replace('-', '_')}_main"
    old = _old_dump(site, site.root, slug, uid, 10)
    _backup_ok(site)
    new_machine = site.base / "new-machine"
    new_machine.mkdir(mode=0o700)  # root's alone, as mktemp -d makes it: the members' uids cannot pass
    started = time.time() - 1
    done = site.run("pic-offsite-restore", "host", "--target", str(new_machine))
    assert done.returncode == 0, done.stdout + done.stderr
    restored_root = new_machine / site.root.relative_to("/")
    restored = restored_root / slug / "db" / old.name
    assert restored.stat().st_mtime >= started, "the restored dump kept its old time: the next night prunes it"
    assert restored.stat().st_uid == uid
    new_machine.chmod(0o755)  # as / is
    nightly = _nightly_dump(site, restored_root, slug, uid, db)
    assert nightly.returncode == 0, nightly.stdout + nightly.stderr
    assert restored.exists(), f"the first night pruned the restored dump: {nightly.stdout}"


def test_a_member_space_that_is_a_link_is_a_failure_never_left_out_unsaid(site: Site) -> None:
    """An admin moves a member's www/ (or whole space) to another disk and leaves a link in its
    place: restic would save the link, not the files, so it is not followed; the run backs up the
    others, then fails and says which (that member was left out of every snapshot, and the run
    said ok)."""
    (slug, _), (other, _) = sorted(site.members.items())[:2]
    moved = site.base / "other-disk"
    moved.mkdir(mode=0o755)
    (site.root / slug / "www").rename(moved / "www")
    (site.root / slug / "www").symlink_to(moved / "www")
    (site.root / other).rename(moved / other)
    (site.root / other).symlink_to(moved / other)
    done = site.run("pic-offsite-backup")
    assert done.returncode == 1, done.stdout + done.stderr
    mail = site.mail.read_text()
    assert "Subject: [pic] off-site backup failed on web1" in mail, mail
    assert str(site.root / slug / "www") in mail and str(site.root / other) in mail, mail
    listed = subprocess.run(
        ["restic", "--repo", site.repository, "--password-file", str(site.base / "password"), "--no-cache",
         "ls", "latest"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert str(site.root / slug / "priv" / "db.php") in listed, "the rest was not backed up"
    assert "result=failed" in site.run("pic-offsite-backup", "--status").stdout


def test_a_repository_id_that_cannot_be_noted_is_a_failure(site: Site) -> None:
    """The first run cannot note the repository's id (a full /var; here a directory in the way):
    without it a repository gone or replaced would be taken for a new one without a word. The run
    fails and says so (it said ok, and noted nothing)."""
    (site.base / "state").mkdir(mode=0o700)
    (site.base / "state" / "repository-id.tmp").mkdir()
    done = site.run("pic-offsite-backup")
    assert done.returncode == 1, done.stdout + done.stderr
    mail = site.mail.read_text()
    assert "Subject: [pic] off-site backup failed on web1" in mail and "repository-id" in mail, mail


def test_a_latest_dump_restored_alone_is_kept_under_a_name_no_night_replaces(site: Site) -> None:
    """A member asks back its last dump of a past day: db/<database>-latest.sql.zst alone. Written
    over the current one, the next night's dump job would replace it (and pic-db-restore would take
    that old dump for the last good one meanwhile). It is copied as <database>-offsite-<snapshot
    time>.sql.zst, which no job prunes or replaces; the current latest dump stays."""
    slug, uid = sorted(site.members.items())[0]
    db = f"{slug.replace('-', '_')}_main"
    latest = site.root / slug / "db" / f"{db}-latest.sql.zst"
    then = latest.read_bytes()
    _backup_ok(site)
    _write_as(uid, latest, b"tonight's dump\n", 0o600)
    done = site.run("pic-offsite-restore", "files", slug, f"db/{latest.name}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert latest.read_bytes() == b"tonight's dump\n", "the latest dump was replaced by an old one"
    copies = [p for p in latest.parent.iterdir() if p.name.startswith(f"{db}-offsite-")]
    assert [p.read_bytes() for p in copies] == [then], done.stdout
    assert copies[0].stat().st_uid == uid and str(copies[0].name) in done.stdout
    nightly = _nightly_dump(site, site.root, slug, uid, db)
    assert nightly.returncode == 0, nightly.stdout + nightly.stderr
    assert copies[0].read_bytes() == then, "the next night removed the dump brought back"


def test_a_host_of_many_members_is_backed_up_whatever_the_length_of_their_paths(site: Site) -> None:
    """The members' www/, priv/ and db/ together longer than the arguments of a program may be (2 MiB
    in all on a usual system, some ten thousand members; here 256 KiB, the stack limited to 1 MiB, and
    800 members of long names): every one is backed up (restic could not be started, every night)."""
    for i in range(800):
        space = site.root / f"{i:04d}-{'m' * 70}"
        for sub in ("www", "priv", "db"):
            (space / sub).mkdir(parents=True)
    env = run_as_root_env() | {"PIC_OFFSITE_CONF": str(site.conf)}

    def small_stack() -> None:
        resource.setrlimit(resource.RLIMIT_STACK, (1 << 20, 1 << 20))

    done = subprocess.run([str(site.base / "pic-offsite-backup")], env=env, capture_output=True, text=True,
                          check=False, timeout=600, preexec_fn=small_stack)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr + (site.mail.read_text() if site.mail.exists() else "")
    listed = subprocess.run(
        ["restic", "--repo", site.repository, "--password-file", str(site.base / "password"), "--no-cache",
         "ls", "latest"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert str(site.root / f"0799-{'m' * 70}" / "db") in listed


def test_a_latest_dump_is_never_written_over_by_a_restore_of_all_of_db(site: Site) -> None:
    """A member's whole db/ (or all its files) restored: the snapshot's <database>-latest is not
    written over the current one (it was, dated now: pic-db-restore took that old dump for the last
    good one until the next night replaced it). The snapshot's dump comes back under its dated
    name, of which -latest is a hard link, or, without one, as <database>-offsite-<snapshot time>."""
    (slug, uid), (other, other_uid) = sorted(site.members.items())[:2]
    db = f"{slug.replace('-', '_')}_main"
    latest = site.root / slug / "db" / f"{db}-latest.sql.zst"
    old_alone = latest.read_bytes()
    # the other member's -latest is a hard link to its dated dump, as the nightly job makes it
    other_db = f"{other.replace('-', '_')}_main"
    other_latest = site.root / other / "db" / f"{other_db}-latest.sql.zst"
    dated = site.root / other / "db" / f"{other_db}-20261120-040000.sql.zst"
    other_latest.unlink()
    _write_as(other_uid, dated, b"the dump of that night\n", 0o600)
    os.link(dated, other_latest)
    # and a name of the member's own for it, of control characters
    os.link(dated, dated.parent / "\x1b[2J\rsame dump")
    _backup_ok(site)
    for owner, path in ((uid, latest), (other_uid, other_latest)):
        path.unlink()
        _write_as(owner, path, b"tonight's dump\n", 0o600)
    dated.unlink()
    done = site.run("pic-offsite-restore", "files", slug)
    assert done.returncode == 0, done.stdout + done.stderr
    assert latest.read_bytes() == b"tonight's dump\n", "the latest dump was replaced by the snapshot's"
    copies = [p for p in latest.parent.iterdir() if p.name.startswith(f"{db}-offsite-")]
    assert [p.read_bytes() for p in copies] == [old_alone], done.stdout
    assert copies[0].stat().st_uid == uid and copies[0].name in done.stdout
    done = site.run("pic-offsite-restore", "files", slug)  # again: the copy is there
    assert done.returncode == 0, done.stdout + done.stderr
    assert [p.read_bytes() for p in latest.parent.iterdir() if p.name.startswith(f"{db}-offsite-")] == [old_alone]
    done = site.run("pic-offsite-restore", "files", other, "db")
    assert done.returncode == 0, done.stdout + done.stderr
    assert other_latest.read_bytes() == b"tonight's dump\n", "the latest dump was replaced by the snapshot's"
    assert dated.read_bytes() == b"the dump of that night\n" and dated.stat().st_uid == other_uid
    assert f"the snapshot's is db/{dated.name})" in done.stdout, done.stdout
    assert "\x1b" not in done.stdout + done.stderr, repr(done.stdout + done.stderr)
    assert not [p for p in dated.parent.iterdir() if "-offsite-" in p.name], "a second copy of the dump"
    # a member's db/ without its latest dump (lost) gets the snapshot's back
    latest.unlink()
    done = site.run("pic-offsite-restore", "files", slug, "db")
    assert done.returncode == 0, done.stdout + done.stderr
    assert latest.read_bytes() == old_alone


def test_a_member_space_linked_to_a_disk_not_mounted_is_a_failure(site: Site) -> None:
    """A member's space moved to another disk, a link left in its place, that disk not mounted
    tonight (the link names nothing): the run fails and names it (it was left out without a
    word, the run said ok)."""
    slug = sorted(site.members)[0]
    moved = site.base / "not-mounted"
    shutil.rmtree(site.root / slug)
    (site.root / slug).symlink_to(moved / slug)
    done = site.run("pic-offsite-backup")
    assert done.returncode == 1, done.stdout + done.stderr
    mail = site.mail.read_text()
    assert "Subject: [pic] off-site backup failed on web1" in mail and str(site.root / slug) in mail, mail


def test_a_file_name_of_control_characters_reaches_the_mail_shown(site: Site) -> None:
    """A member's file root cannot read (as over NFS with root squashed: here root without its
    capabilities to read any file), named with an escape sequence and a carriage return: the
    failure is mailed, restic's lines naming the file with those characters as '?' (they went
    into the mail as written)."""
    slug, uid = sorted(site.members.items())[0]
    hidden = site.root / slug / "www" / "\x1b[2J\rx\x07"
    for path in site.root.rglob("*"):  # the rest readable by all
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    _write_as(uid, hidden, b"mine\n", 0o000)
    env = run_as_root_env() | {"PIC_OFFSITE_CONF": str(site.conf)}
    squashed = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]
    done = subprocess.run([*squashed, str(site.base / "pic-offsite-backup")], env=env, capture_output=True,
                          text=True, check=False, timeout=600)  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    mail = site.mail.read_bytes()
    assert b"some files could not be read" in mail and b"?[2J?x?" in mail, mail
    assert not any(c in mail for c in b"\x1b\r\x07"), mail


def test_a_whole_host_restore_onto_this_machine_holds_the_nightly_dump_jobs_lock(site: Site) -> None:
    """A whole host restored onto this machine (DIR=/) takes hours: a nightly dump run meanwhile
    would prune the dumps restored so far, still of their old time, before the restore dates them
    now. The restore holds the dump job's lock to its end, and refuses to start while the job
    runs (it ran alongside)."""
    slug, uid = sorted(site.members.items())[0]
    old = _old_dump(site, site.root, slug, uid, 10)
    _backup_ok(site)
    for member in site.members:  # the new machine's spaces hold no link yet (restic writes none over one)
        (site.root / member / "www" / "current").unlink()
    (site.base / "dump-state").mkdir(mode=0o755)
    with (site.base / "dump-state" / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the nightly job, running
        done = site.run("pic-offsite-restore", "host", "--target", "/")
        assert done.returncode == 1, done.stdout + done.stderr
        assert "pic-db-dump is running" in done.stderr, done.stderr
        fcntl.flock(lock, fcntl.LOCK_UN)
    # the restore holds it: the nightly job, started while restic restores, cannot run
    real = require_program("restic")
    bin_dir = site.base / "bin"
    bin_dir.mkdir(mode=0o755)
    probe = site.base / "probe.txt"
    (bin_dir / "restic").write_text(
        "#!/bin/bash\n# the real restic; while it restores, the nightly dump job starts\n"
        f'if [[ " $* " == *" restore "* ]]; then\n'
        f'    (exec 9> "{site.base / "dump-state" / "lock"}"; flock -n 9 && echo free || echo held) >> "{probe}"\n'
        f'fi\nexec {real} "$@"\n'
    )
    (bin_dir / "restic").chmod(0o755)
    old.unlink()
    env = {"PATH": f"{bin_dir}:{run_as_root_env()['PATH']}"}
    done = site.run("pic-offsite-restore", "host", "--target", "/", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert probe.read_text() == "held\n", "the nightly dump job could run during the restore"
    assert old.exists() and old.stat().st_mtime >= time.time() - 120


def test_restics_errors_naming_a_members_file_reach_the_terminal_shown(site: Site) -> None:
    """A whole host restored where a member's link, named with an escape sequence and a carriage
    return, is already there (restic writes no link over one, and says so, naming it): its name
    reaches the admin's terminal with those characters as '?' (as the member wrote it)."""
    slug, uid = sorted(site.members.items())[0]
    link = site.root / slug / "www" / "\x1b[2J\rlink"
    link.symlink_to("index.php")
    os.lchown(link, uid, uid)
    _backup_ok(site)
    new_machine = site.base / "new-machine"
    new_machine.mkdir(mode=0o755)
    done = site.run("pic-offsite-restore", "host", "--target", str(new_machine))
    assert done.returncode == 0, done.stdout + done.stderr
    done = site.run("pic-offsite-restore", "host", "--target", str(new_machine))  # the links are there now
    assert "?[2J?link" in done.stderr, repr(done.stderr)
    assert not any(c in done.stdout + done.stderr for c in "\x1b\r"), repr(done.stdout + done.stderr)


def test_a_path_of_the_hosts_own_state_that_is_a_link_is_a_failure(site: Site) -> None:
    """A path of the host's own state (here etc-pic, as /etc/sympa moved to another disk) that is
    a link: restic would save the link, not the files. The run fails and names it (it said ok)."""
    moved = site.base / "other-disk"
    moved.mkdir(mode=0o755)
    (site.base / "etc-pic").rename(moved / "etc-pic")
    (site.base / "etc-pic").symlink_to(moved / "etc-pic")
    done = site.run("pic-offsite-backup")
    assert done.returncode == 1, done.stdout + done.stderr
    mail = site.mail.read_text()
    assert "Subject: [pic] off-site backup failed on web1" in mail and str(site.base / "etc-pic") in mail, mail


def test_a_latest_dump_the_member_made_a_pipe_never_holds_up_a_restore(site: Site) -> None:
    """The member puts a named pipe in place of its <database>-latest: a restore of all its files
    compares the snapshot's dump with a file only (it waited on the pipe forever), and leaves the
    pipe as it is."""
    slug, uid = sorted(site.members.items())[0]
    db = f"{slug.replace('-', '_')}_main"
    latest = site.root / slug / "db" / f"{db}-latest.sql.zst"
    then = latest.read_bytes()
    _backup_ok(site)
    latest.unlink()
    os.mkfifo(latest, 0o600)
    os.chown(latest, uid, uid)
    env = run_as_root_env() | {"PIC_OFFSITE_CONF": str(site.conf), "RESTORE_DIR": str(site.base)}
    done = subprocess.run([str(site.base / "pic-offsite-restore"), "files", slug], env=env, capture_output=True,
                          text=True, check=False, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert latest.is_fifo(), "the member's file was replaced"
    copies = [p for p in latest.parent.iterdir() if p.name.startswith(f"{db}-offsite-")]
    assert [p.read_bytes() for p in copies] == [then], done.stdout


def test_a_pipe_at_the_name_of_the_copy_of_a_dump_never_holds_up_a_restore(site: Site) -> None:
    """The member makes a named pipe at the name the copy of its dump brought back will take
    (<database>-offsite-<snapshot time>): the restore says the name is taken, at once (it waited on
    the pipe forever), and leaves the pipe as it is."""
    slug, uid = sorted(site.members.items())[0]
    db = f"{slug.replace('-', '_')}_main"
    latest = site.root / slug / "db" / f"{db}-latest.sql.zst"
    _backup_ok(site)
    listed = subprocess.run(
        ["restic", "--repo", site.repository, "--password-file", str(site.base / "password"), "--no-cache",
         "snapshots", "--json", "latest"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    when = json.loads(listed)[0]["time"][:19].replace("-", "").replace(":", "")
    pipe = latest.parent / f"{db}-offsite-{when}.sql.zst"
    os.mkfifo(pipe, 0o600)
    os.chown(pipe, uid, uid)
    env = run_as_root_env() | {"PIC_OFFSITE_CONF": str(site.conf), "RESTORE_DIR": str(site.base)}
    done = subprocess.run([str(site.base / "pic-offsite-restore"), "files", slug, f"db/{latest.name}"], env=env,
                          capture_output=True, text=True, check=False, timeout=60)  # fmt: skip
    assert done.returncode == 1 and "exists already" in done.stderr, done.stdout + done.stderr
    assert pipe.is_fifo()


def test_at_takes_only_a_day_or_a_zoned_time_not_in_the_future(site: Site) -> None:
    slug = sorted(site.members)[0]
    # forms date(1) reads as some other time (midnight, or a day after): refused before the repository
    # is touched (no "cannot list the snapshots"), exit 2 naming the value
    for bad in ("20261120", "11/20/2026", "2026-11-20 ", "2026-02-30", "20/11/2026", "0", "yesterday",
                "2099-01-01", "2026-11-20T04:00", "2026-11-20T25:00Z", "2099-01-01T00:00Z", " 2026-11-20"):  # fmt: skip
        done = site.run("pic-offsite-restore", "files", slug, "www", "--at", bad)
        assert done.returncode == 2, (bad, done.stderr)
        assert f"--at {bad}:" in done.stderr and "2026-11-30T04:00Z" in done.stderr, done.stderr
        assert "cannot list" not in done.stderr
    # the documented forms pass the check (then: no snapshot before them)
    _backup_ok(site)
    for good in ("2001-01-01", "2001-01-01T04:00Z", "2001-01-01T04:00:30+01:00"):
        done = site.run("pic-offsite-restore", "files", slug, "www", "--at", good)
        assert done.returncode == 1 and "no snapshot" in done.stderr, (good, done.stderr)


def test_a_path_with_two_dots_inside_a_name_is_restored_a_dot_dot_component_is_not(site: Site) -> None:
    slug, uid = sorted(site.members.items())[0]
    page = site.root / slug / "www" / "a..b.jpg"
    _write_as(uid, page, b"first\n")
    _backup_ok(site)
    _write_as(uid, page, b"second\n")
    done = site.run("pic-offsite-restore", "files", slug, "www/a..b.jpg")
    assert done.returncode == 0, done.stderr
    assert page.read_bytes() == b"first\n"
    for bad in ("www/../priv", "www/..", "db/x/../../priv"):
        done = site.run("pic-offsite-restore", "files", slug, bad)
        assert done.returncode == 1 and "give www, priv or db" in done.stderr, (bad, done.stderr)

"""The database part against a real MariaDB on 127.0.0.1 (TLS on, the rendered server settings),
with the rendered SQL, credential files, dump job and restore script run for real.

Members are given real numeric uids (no passwd entry needed); the job and the restore write
as those uids. Needs root (as CI runs), mariadbd, the mariadb clients, setpriv and gzip.
"""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from components.backup import dump_entries
from pic.errors import PicError
from pic.registry import load_registry
from pic.render import db as rdb
from pic.settings import load_settings
from tests.conftest import ROOT, require_program, require_root
from tests.helpers import member, write_members
from tests.mariadb_server import (
    BACKUP_PASSWORD,
    DUMP_PROGRAMS,
    LOOPBACK,
    MariaDB,
    Member,
    Platform,
    cleanup,
    make_member,
    platform_base,
    read_dump,
    run_as_root_env,
    start_backup_server,
    start_mariadb,
)

pytestmark = pytest.mark.daemon


@pytest.fixture(scope="module")
def server() -> Iterator[MariaDB]:
    for program in (*DUMP_PROGRAMS, "openssl"):
        require_program(program)
    require_root("the dump job writes as each member's uid")
    s = start_backup_server()
    yield s
    cleanup(s)


_PLATFORMS = iter(range(1, 1000))
_UIDS = iter(range(20001, 20999))


@pytest.fixture
def platform(server: MariaDB) -> Platform:
    base = platform_base(server, next(_PLATFORMS))
    tag = base.name
    members = [
        make_member(server, base, f"asso-a{tag}", next(_UIDS)),
        make_member(server, base, f"asso-b{tag}", next(_UIDS)),
    ]
    p = Platform(server, base, members)
    p.write_job()
    return p


def _as(m: Member, sql: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run SQL with the member's own option file, as a site would connect (TLS, checked CA)."""
    return subprocess.run(
        ["mariadb", f"--defaults-file={m.cnf}", "-N", "-B", *extra],
        input=sql,
        capture_output=True,
        text=True,
        check=False,
    )


def _checksums(server: MariaDB, database: str) -> dict[str, str]:
    tables = server.root_sql(
        f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{database}' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).split()
    out = {}
    for t in tables:
        row = server.root_sql(f"CHECKSUM TABLE `{database}`.`{t}` EXTENDED").split("\t")
        out[t] = row[1].strip()
    return out


def _fill(server: MariaDB, database: str) -> None:
    server.root_sql(
        """
        CREATE TABLE posts (id INT PRIMARY KEY AUTO_INCREMENT, title VARCHAR(200), body MEDIUMTEXT,
                            img BLOB, at DATETIME(6)) ENGINE=InnoDB;
        INSERT INTO posts (title, body, img, at) VALUES
          ('Fête du vélo 🚲', REPEAT('texte accentué éàü ', 200), UNHEX('00FF10E2809C'), '2026-05-01 10:00:00.123456'),
          ('quote '' and \\\\ backslash', NULL, NULL, NOW(6));
        INSERT INTO posts (title, body, img, at) SELECT CONCAT(title, id), body, img, at FROM posts;
        CREATE TABLE tags (post INT, tag VARCHAR(40), FOREIGN KEY (post) REFERENCES posts(id)) ENGINE=InnoDB;
        INSERT INTO tags SELECT id, 'news' FROM posts;
        CREATE TABLE counters (n INT) ENGINE=MyISAM;
        INSERT INTO counters VALUES (1), (2), (3);
        CREATE VIEW titles AS SELECT id, title FROM posts;
        CREATE TRIGGER posts_at BEFORE INSERT ON posts FOR EACH ROW SET NEW.at = COALESCE(NEW.at, NOW(6));
        CREATE PROCEDURE count_posts() SELECT COUNT(*) FROM posts;
        """,
        database=database,
    )


# --- access ----------------------------------------------------------------------------------


def test_member_reaches_only_its_own_database_over_tls(platform: Platform) -> None:
    a, b = platform.members
    platform.server.root_sql(
        "CREATE TABLE secrets (x TEXT); INSERT INTO secrets VALUES ('b only');", database=b.database
    )
    own = _as(a, "CREATE TABLE t (x INT); INSERT INTO t VALUES (42); SELECT x FROM t;")
    assert own.returncode == 0, own.stderr
    assert own.stdout.strip() == "42"
    cipher = _as(a, "SHOW STATUS LIKE 'Ssl_cipher';")
    assert cipher.stdout.split("\t")[1].strip(), "the connection is not encrypted"
    read_b = _as(a, f"SELECT * FROM `{b.database}`.secrets;")
    assert read_b.returncode != 0
    assert "command denied" in read_b.stderr, read_b.stderr
    use_b = _as(a, f"USE `{b.database}`;")
    assert "Access denied" in use_b.stderr, use_b.stderr
    dbs = _as(a, "SHOW DATABASES;").stdout.split()
    assert sorted(dbs) == sorted(["information_schema", a.database]), dbs
    for sql in ("CREATE DATABASE other;", f"GRANT SELECT ON `{a.database}`.* TO '{b.database}'@'127.0.0.1';"):
        denied = _as(a, sql)
        assert denied.returncode != 0, f"{a.database} could run {sql}"
    plain = _as(a, "SELECT 1;", "--skip-ssl")
    assert plain.returncode != 0, "a connection without TLS was accepted"
    wrong_ca = _as(a, "SELECT 1;", f"--ssl-ca={platform.server.tls_dir / 'server.pem'}")
    assert wrong_ca.returncode != 0, "the server certificate was accepted without its CA"


def test_underscore_of_a_database_name_matches_no_other_members_database(server: MariaDB) -> None:
    """``_`` is a wildcard in a GRANT's database part: member ``wx-y``'s grant on ``wx_y_main`` would
    also give it ``wxzy_main``, the database of member ``wxzy``, unless the grant escapes it."""
    base = platform_base(server, next(_PLATFORMS))
    one = make_member(server, base, f"wx-y{base.name}", next(_UIDS))
    other = make_member(server, base, f"wxzy{base.name}", next(_UIDS))
    assert one.database.replace("_", "z", 1) == other.database, "the two names must differ by an underscore"
    server.root_sql("CREATE TABLE secrets (x TEXT); INSERT INTO secrets VALUES ('theirs');", database=other.database)
    read = _as(one, f"SELECT * FROM `{other.database}`.secrets;")
    assert read.returncode != 0 and "denied" in read.stderr, f"{one.database} read {other.database}: {read.stdout}"
    assert _as(one, "SHOW DATABASES;").stdout.split() == ["information_schema", one.database]
    own = _as(one, "CREATE TABLE t (x INT); INSERT INTO t VALUES (7); SELECT x FROM t;")
    assert own.stdout.strip() == "7", own.stderr


def test_a_grant_that_keeps_its_wildcards_reaches_no_other_members_restore(server: MariaDB, tmp_path: Path) -> None:
    """A name too long to escape keeps ``_`` as a wildcard in its grant: ``a_c_e...g________%`` covers no
    database of member ``abcdef...`` but its ``-restore``, where that member loads a dump. Rendered as the
    program does, the grant does read it: the registry refuses the pair."""
    one, other = "abcdefghijklmnopqrstuvwxyzabcdef", "a-c-e-g-i-k-m-o-qrstuvwxyzabcdef"
    files = write_members(
        tmp_path / "members",
        {one: member(uid=10740, databases=["abcdefg"]), other: member(uid=10741, databases=["abcdefg________"])},
    )
    with pytest.raises(PicError, match="where pic-db-restore loads a dump of it"):
        load_registry(files, load_settings(ROOT, "prod"))
    base = platform_base(server, next(_PLATFORMS))
    a = make_member(server, base, one, next(_UIDS), "abcdefg")
    b = make_member(server, base, other, next(_UIDS), "abcdefg________")
    restore = rdb.restore_databases(a.database)[0]
    server.root_sql(
        f"CREATE DATABASE `{restore}`; CREATE TABLE `{restore}`.dump (x TEXT); "
        f"INSERT INTO `{restore}`.dump VALUES ('theirs');"
    )
    read = _as(b, f"SELECT * FROM `{restore}`.dump;")
    assert read.returncode == 0 and read.stdout.split() == ["theirs"], read.stderr


@pytest.fixture(scope="module")
def lax_server(server: MariaDB) -> Iterator[MariaDB]:
    """A second server, the rendered settings but ``require-secure-transport = OFF``: plain TCP is
    refused only where an account itself requires TLS."""
    s = start_mariadb(secure_transport=False)
    yield s
    cleanup(s)


def _plain_tcp(server: MariaDB, user: str, password: str) -> subprocess.CompletedProcess[str]:
    cnf = server.base / f"{user}-plain.cnf"
    cnf.write_text(f"[client]\nuser={user}\npassword={password}\nhost=127.0.0.1\nport={server.port}\nskip-ssl\n")
    cnf.chmod(0o600)
    return subprocess.run(
        ["mariadb", f"--defaults-file={cnf}", "-N", "-B", "-e", "SHOW STATUS LIKE 'Ssl_cipher';"],
        capture_output=True,
        text=True,
        check=False,
    )


def test_platform_accounts_need_tls_where_the_server_does_not_require_it(lax_server: MariaDB) -> None:
    s = lax_server
    assert s.root_sql("SELECT @@require_secure_transport;").strip() == "0"
    # an account made without REQUIRE SSL gets in over plain TCP: this server lets plain TCP through
    s.root_sql("CREATE USER 'no_tls'@'127.0.0.1' IDENTIFIED BY 'no-tls-Secret-1';")
    control = _plain_tcp(s, "no_tls", "no-tls-Secret-1")
    assert control.returncode == 0, control.stderr
    assert control.stdout.split("\t")[1].strip() == "", "the control connection was encrypted"
    base = s.base / "web-lax"
    (base / "members").mkdir(parents=True)
    for d in (base, base / "members"):
        d.chmod(0o755)
    s.root_sql(rdb.backup_account_sql(LOOPBACK, BACKUP_PASSWORD))
    member = make_member(s, base, "asso-lax", next(_UIDS))
    s.root_sql(rdb.admin_account_sql(LOOPBACK, "admin-Secret-42"))
    accounts = {
        member.database: f"pw-{member.database}",  # as make_member sets it
        rdb.BACKUP_USER: BACKUP_PASSWORD,
        rdb.ADMIN_USER: "admin-Secret-42",
    }
    for user, password in accounts.items():
        refused = _plain_tcp(s, user, password)
        assert refused.returncode != 0, f"{user} got in without TLS"
        assert "Access denied" in refused.stderr, f"{user}: {refused.stderr}"
    # the member's own option file (TLS, the CA checked) gets in
    own = _as(member, "SHOW STATUS LIKE 'Ssl_cipher';")
    assert own.returncode == 0, own.stderr
    assert own.stdout.split("\t")[1].strip(), "the member's connection is not encrypted"


def test_backup_account_only_reads(platform: Platform) -> None:
    a, _ = platform.members
    platform.server.root_sql("CREATE TABLE t (x INT); INSERT INTO t VALUES (1);", database=a.database)
    cnf = platform.base / "backup.cnf"

    def backup(sql: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["mariadb", f"--defaults-file={cnf}", "-N", "-B", a.database],
            input=sql,
            capture_output=True,
            text=True,
            check=False,
        )

    assert backup("SELECT x FROM t;").stdout.strip() == "1"
    for sql in ("INSERT INTO t VALUES (2);", "DROP TABLE t;", "CREATE TABLE u (x INT);", "LOCK TABLES t READ;"):
        assert backup(sql).returncode != 0, f"the backup account could run {sql}"
    assert backup("SELECT COUNT(*) FROM mysql.global_priv;").returncode != 0, "the backup account reads password hashes"


def test_archived_member_is_locked_then_unlocked(platform: Platform) -> None:
    a, _ = platform.members
    platform.server.root_sql(rdb.lock_sql(a.database, LOOPBACK, locked=True))
    locked = _as(a, "SELECT 1;")
    assert locked.returncode != 0
    assert "locked" in locked.stderr, locked.stderr
    assert a.database in platform.server.root_sql("SHOW DATABASES;").split(), (
        "the database of an archived member is kept"
    )
    platform.server.root_sql(rdb.lock_sql(a.database, LOOPBACK, locked=False))
    assert _as(a, "SELECT 1;").returncode == 0


def test_a_suspended_members_login_is_locked_its_database_dumped_and_its_restore_refused(
    platform: Platform, tmp_path: Path
) -> None:
    """docs/REGISTRY.md: a suspended member's logins are refused, its databases kept untouched. Its user is
    locked as the program locks it (the registry's status, ``rdb.account_locked``, the ``<n>-lock`` SQL):
    its own option file (as phpMyAdmin, with its password) is refused, the backup account still dumps
    its database every night, and pic-db-restore refuses before anything changes; the lock's deletion
    (the member set active again) lets it in."""
    s, (a, b) = platform.server, platform.members
    files = write_members(
        tmp_path / "members",
        {
            a.slug: member(uid=a.uid, status="suspended", databases=["main"]),
            b.slug: member(uid=b.uid, databases=["main"]),
        },
    )
    registry = load_registry(files, load_settings(ROOT, "prod"))
    suspended, active = registry.get(a.slug), registry.get(b.slug)
    assert [d.name for d in suspended.databases] == [a.database]
    assert rdb.account_locked(suspended) and not rdb.account_locked(active)
    _fill(s, a.database)
    before = _checksums(s, a.database)
    s.root_sql(rdb.lock_sql(a.database, LOOPBACK, locked=True))

    for sql in ("SELECT 1;", f"DROP TABLE {a.database}.posts;"):
        refused = _as(a, sql)
        assert refused.returncode != 0, f"the suspended member {a.slug} ran {sql}"
        assert "this account is locked" in refused.stderr, refused.stderr
    assert _as(b, "SELECT 1;").returncode == 0, "the active member is locked too"
    assert _checksums(s, a.database) == before

    # the nightly dump: the suspended member is listed and its database dumped with the backup account
    (platform.base / "db-dump.list").write_text(rdb.dump_list(dump_entries(registry, "web1")))
    assert f"{a.slug} {a.uid} {a.database}" in (platform.base / "db-dump.list").read_text()
    done = platform.dump()
    assert done.returncode == 0, done.stdout + done.stderr
    latest = a.dumps / f"{a.database}-latest.sql.zst"
    assert "INSERT INTO `posts`" in read_dump(latest) and "-- Dump completed" in read_dump(latest)

    # the restore is refused at its first connection, saying why and what to do: nothing changed
    files_before = a.dump_files()
    refused = platform.run("pic-db-restore", a.slug, a.database)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert f"the database user {a.database} of {a.slug} is locked" in refused.stderr, refused.stderr
    assert "suspended or archived" in refused.stderr and "nothing changed" in refused.stderr, refused.stderr
    assert f"status: active in members/{a.slug}.yaml, then pulumi up" in refused.stderr, refused.stderr
    assert _checksums(s, a.database) == before
    assert a.dump_files() == files_before, "the refused restore left a file in the member's db/"
    left = s.root_sql(f"SHOW DATABASES LIKE '{a.database}-%';").split()
    assert left == [], f"the refused restore made {left}"

    # set active again: the lock's delete script unlocks, the member logs in and restores
    s.root_sql(rdb.lock_sql(a.database, LOOPBACK, locked=False))
    assert _as(a, "SELECT COUNT(*) FROM posts;", a.database).returncode == 0
    # (the routine root made is one the member cannot save: README, "An admin restores")
    s.root_sql("DELETE FROM tags; DELETE FROM posts; DROP PROCEDURE count_posts;", database=a.database)
    restored = platform.run("pic-db-restore", a.slug, a.database)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert _checksums(s, a.database) == before


def test_an_archived_members_restore_is_refused_saying_why(platform: Platform, tmp_path: Path) -> None:
    """An archived member's databases are not in the host's list (not dumped, users locked): its restore is
    refused by that list, before any connection, saying what an admin does first."""
    s, (a, b) = platform.server, platform.members
    files = write_members(
        tmp_path / "members",
        {
            a.slug: member(uid=a.uid, status="archived", databases=["main"]),
            b.slug: member(uid=b.uid, databases=["main"]),
        },
    )
    registry = load_registry(files, load_settings(ROOT, "prod"))
    assert rdb.account_locked(registry.get(a.slug))
    s.root_sql("CREATE TABLE kept (x INT); INSERT INTO kept VALUES (7);", database=a.database)
    assert platform.dump().returncode == 0  # a dump from before it was archived
    s.root_sql(rdb.lock_sql(a.database, LOOPBACK, locked=True))
    (platform.base / "db-dump.list").write_text(rdb.dump_list(dump_entries(registry, "web1")))
    refused = platform.run("pic-db-restore", a.slug, a.database)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert f"{a.slug} has no database {a.database} on this host" in refused.stderr, refused.stderr
    assert "an archived member's are not there" in refused.stderr, refused.stderr
    assert "status: active, then pulumi up" in refused.stderr, refused.stderr
    assert s.root_sql("SELECT x FROM kept;", database=a.database).strip() == "7"


# --- dumps -----------------------------------------------------------------------------------


def test_dump_and_restore_give_identical_data(platform: Platform) -> None:
    s, (a, b) = platform.server, platform.members
    _fill(s, a.database)
    _fill(s, b.database)
    before = _checksums(s, a.database)
    assert set(before) == {"posts", "tags", "counters"}

    done = platform.dump()
    assert done.returncode == 0, done.stdout + done.stderr
    for m in (a, b):
        files = m.dump_files()
        assert len(files) == 2, files  # the dump and <db>-latest.sql.zst
        assert f"{m.database}-latest.sql.zst" in files
        dump = next(m.dumps / f for f in files if f != f"{m.database}-latest.sql.zst")
        assert re.fullmatch(rf"{m.database}-\d{{8}}-\d{{6}}\.sql\.zst", dump.name), dump.name
        st = dump.stat()
        assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (m.uid, m.uid, 0o600), f"{dump}: {st}"
        assert "-- Dump completed" in read_dump(dump)
    assert "counters (MyISAM)" in done.stdout, "the MyISAM table is not named as dumped without a snapshot"

    s.root_sql(
        "DELETE FROM tags; DELETE FROM posts WHERE id > 1; UPDATE posts SET title = 'vandalised';"
        "DROP TABLE counters; DROP PROCEDURE count_posts; CREATE TABLE junk (x INT);",
        database=a.database,
    )
    assert _checksums(s, a.database) != before
    restored = platform.run("pic-db-restore", a.slug, a.database)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert _checksums(s, a.database) == before
    assert s.root_sql("CALL count_posts();", database=a.database).strip() == "4"
    assert s.root_sql("SELECT COUNT(*) FROM titles;", database=a.database).strip() == "4"
    # the content before the restore was kept, owned by the member
    saved = [f for f in a.dump_files() if "-before-restore-" in f]
    assert len(saved) == 1, a.dump_files()
    assert "vandalised" in read_dump(a.dumps / saved[0])
    assert (a.dumps / saved[0]).stat().st_uid == a.uid
    # restoring that one brings the changes back: nothing is lost by choosing the wrong dump
    back = platform.run("pic-db-restore", a.slug, a.database, saved[0])
    assert back.returncode == 0, back.stderr
    assert "junk" in _checksums(s, a.database)


def test_restore_refuses_other_members_and_paths(platform: Platform) -> None:
    a, b = platform.members
    assert platform.dump().returncode == 0
    cases = [
        (a.slug, b.database),  # b's database through a's name
        (a.slug, a.database, "../../etc/passwd"),
        (a.slug, a.database, "nonexistent.sql.gz"),
    ]
    for args in cases:
        done = platform.run("pic-db-restore", *args)
        assert done.returncode != 0, f"restore {args} was accepted"
    # the member's half, asked for directly (as root): refused, whatever the dump's name
    for dump in ("../../etc/passwd", f"{b.database}-latest.sql.zst", ""):
        done = platform.run("pic-db-restore", "--as-member", a.slug, a.database, dump)
        assert done.returncode != 0 and "pic-db-restore:" in done.stderr, (dump, done.stderr)
    # the list's header line (# slug uid database ...) is no entry: "#" is no member
    (platform.base / "db-dump.list").write_text(
        "# slug uid database\n" + (platform.base / "db-dump.list").read_text(), encoding="utf-8"
    )
    done = platform.run("pic-db-restore", "#", "uid")
    assert done.returncode == 1 and "# has no database uid on this host" in done.stderr, done.stderr
    # a damaged dump is refused before anything changes
    bad = a.dumps / f"{a.database}-broken.sql.gz"
    bad.write_bytes(gzip.compress(b"CREATE TABLE half (x INT);\n"))
    os.chown(bad, a.uid, a.uid)
    done = platform.run("pic-db-restore", a.slug, a.database, bad.name)
    assert done.returncode != 0
    assert "damaged or incomplete" in done.stderr
    assert "half" not in _checksums(platform.server, a.database)


def test_restore_refuses_a_dump_of_another_database(platform: Platform) -> None:
    """A dump named after another database of the host (another member's, copied into this member's
    db/ by mistake or put there by the member) is not loaded into this database."""
    s, (a, b) = platform.server, platform.members
    _fill(s, b.database)
    s.root_sql("CREATE TABLE mine (x INT); INSERT INTO mine VALUES (42);", database=a.database)
    assert platform.dump().returncode == 0
    before = _checksums(s, a.database)
    other = a.dumps / f"{b.database}-latest.sql.zst"
    other.write_bytes((b.dumps / f"{b.database}-latest.sql.zst").read_bytes())
    os.chown(other, a.uid, a.uid)
    done = platform.run("pic-db-restore", a.slug, a.database, other.name)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"a dump of {b.database}, not of {a.database}" in done.stderr, done.stderr
    assert _checksums(s, a.database) == before
    assert not [f for f in a.dump_files() if "-before-restore-" in f]
    # a dump of its own under another name is still read (the admin renames a copy to load it)
    mine = a.dumps / "export-for-the-admin.sql.zst"
    mine.write_bytes((a.dumps / f"{a.database}-latest.sql.zst").read_bytes())
    os.chown(mine, a.uid, a.uid)
    done = platform.run("pic-db-restore", a.slug, a.database, mine.name)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _checksums(s, a.database) == before


def test_a_dump_failing_midway_keeps_the_last_good_one(platform: Platform) -> None:
    s, (a, b) = platform.server, platform.members
    _fill(s, b.database)
    assert platform.dump().returncode == 0
    good = {f: (b.dumps / f).read_bytes() for f in b.dump_files()}
    time.sleep(1.1)  # the next dump gets another name
    # a view whose table is gone: mariadb-dump fails after the tables' data is written
    s.root_sql(
        "CREATE TABLE gone (x INT); CREATE VIEW zz_broken AS SELECT x FROM gone; DROP TABLE gone;", database=b.database
    )
    done = platform.dump()
    assert done.returncode == 1, done.stdout + done.stderr
    assert {f: (b.dumps / f).read_bytes() for f in b.dump_files()} == good, "the last good dump was touched"
    assert not [f for f in b.dump_files() if f.endswith(".part")]
    assert len(a.dump_files()) == 3, "the other database was not dumped in the same run"
    mail = platform.mail.read_text()
    assert "To: admin@example.org" in mail
    assert "Subject: [pic] database dumps failed on web1" in mail
    assert b.database in mail
    assert a.database not in mail
    status = platform.run("pic-db-dump", "--status")
    assert status.returncode == 0
    line = next(x for x in status.stdout.splitlines() if x.startswith(b.database))
    assert " failed " in line
    assert next(iter(good)).split("-latest")[0] in status.stdout or "sql.gz" in line, line
    assert "zz_broken" in status.stdout
    assert "result=failed" in status.stdout


def _cutting_dump(directory: Path, database: str) -> Path:
    """A ``mariadb-dump`` for ``directory``: the real one, whose dump of ``database`` stops halfway
    with exit status 0 (a client that dies quietly, a full pipe); each call is logged in calls.log."""
    real = require_program("mariadb-dump")
    directory.mkdir(mode=0o755)
    calls = directory / "calls.log"
    script = directory / "mariadb-dump"
    script.write_text(
        f"""#!/bin/sh
# stands in for mariadb-dump: the dump of {database} is cut halfway, and the exit status is 0
echo "$*" >> {calls}
case " $* " in
    *" {database} "*) ;;
    *) exec {real} "$@" ;;
esac
full=$(mktemp)
{real} "$@" > "$full"
head -c $(( $(wc -c < "$full") / 2 )) "$full"
rm -f "$full"
exit 0
"""
    )
    script.chmod(0o755)
    return calls


def test_a_dump_cut_short_with_success_keeps_the_last_good_one(platform: Platform) -> None:
    s, (a, b) = platform.server, platform.members
    _fill(s, b.database)
    assert platform.dump().returncode == 0
    good = {f: (b.dumps / f).read_bytes() for f in b.dump_files()}
    time.sleep(1.1)  # the next dump gets another name
    calls = _cutting_dump(platform.base / "bin", b.database)
    done = platform.dump(path_first=platform.base / "bin")
    assert sorted(line.split()[-1] for line in calls.read_text().splitlines()) == sorted([a.database, b.database])
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{b.database}: FAILED: dump incomplete" in done.stderr
    assert {f: (b.dumps / f).read_bytes() for f in b.dump_files()} == good, "the last good dump was touched"
    assert not [f for f in b.dump_files() if f.endswith(".part")]
    latest = read_dump(b.dumps / f"{b.database}-latest.sql.zst")
    assert latest.rstrip().splitlines()[-1].startswith("-- Dump completed"), "the latest dump is not a whole one"
    assert len(a.dump_files()) == 3, "the other database's dump was not made in the same run"
    mail = platform.mail.read_text()
    assert "Subject: [pic] database dumps failed on web1" in mail
    assert f"{b.database} ({b.slug}): dump incomplete" in mail
    assert a.database not in mail
    status = platform.run("pic-db-dump", "--status").stdout
    line = next(x for x in status.splitlines() if x.startswith(b.database))
    assert line.split()[1] == "failed", line
    assert line.split()[-1] == str(b.dumps / next(f for f in good if not f.endswith("-latest.sql.zst"))), line


def test_old_dumps_are_pruned_after_a_good_dump(platform: Platform) -> None:
    s, (a, b) = platform.server, platform.members
    platform.keep_days = 3
    platform.write_job()
    now = time.time()

    def old(m: Member, name: str, days: float) -> Path:
        p = m.dumps / name
        p.write_bytes(b"")
        os.chown(p, m.uid, m.uid)
        os.utime(p, (now - days * 86400, now - days * 86400))
        return p

    a_old = old(a, f"{a.database}-20260101-031500.sql.gz", 3.1)
    a_recent = old(a, f"{a.database}-20260102-031500.sql.gz", 2.9)
    a_mine = old(a, "my-own-export.sql.gz", 30)  # not the job's: never touched
    # the member's own files named after the database, and the copies the restores keep: not nightly dumps
    a_own = [
        old(a, f"{a.database}-before-migration.sql.gz", 30),
        old(a, f"{a.database}-20260101-031500-kept.sql.zst", 30),
        old(a, f"{a.database}-before-restore-20260101-031500.sql.zst", 30),
        old(a, f"{a.database}-offsite-20260101T031500.sql.zst", 30),
        old(a, f".{a.database}-notes.part", 30),
    ]
    a_stale_part = old(a, f".{a.database}-20260101-031500.Ab12Cd.part", 2)  # left by a run that died
    a_stale_link = old(a, f".{a.database}-latest.tmp", 2)  # the link of a former version's run that died
    # b's dump fails: its old dumps are all it has, they stay
    s.root_sql("CREATE TABLE gone (x INT); CREATE VIEW v AS SELECT x FROM gone; DROP TABLE gone;", database=b.database)
    b_old = old(b, f"{b.database}-20260101-031500.sql.gz", 10)
    done = platform.dump()
    assert done.returncode == 1
    assert not a_old.exists(), "a dump older than keep_days was kept"
    assert a_recent.exists()
    assert a_mine.exists()
    assert [p.name for p in a_own if not p.exists()] == [], "the member's own files were pruned"
    assert not a_stale_part.exists(), "a temporary file of a dead run was left"
    assert not a_stale_link.exists(), "the temporary link of a former version's dead run was left"
    assert b_old.exists(), "the last dump of a database that failed tonight was pruned"
    assert "pruned 1 older than 3 days" in done.stdout


def test_writer_keeps_committing_during_the_dump(platform: Platform) -> None:
    s, (a, _) = platform.server, platform.members
    s.root_sql(
        "CREATE TABLE big (id INT PRIMARY KEY, pad VARCHAR(200)) ENGINE=InnoDB;"
        "INSERT INTO big SELECT seq, REPEAT(MD5(seq), 6) FROM seq_1_to_150000;"
        "CREATE TABLE pair_a (id INT PRIMARY KEY) ENGINE=InnoDB;"
        "CREATE TABLE pair_b (id INT PRIMARY KEY) ENGINE=InnoDB;",
        database=a.database,
    )
    platform.write_job([a])
    stop = threading.Event()

    def writer() -> None:
        # the site: one transaction after another, each writing both tables
        proc = subprocess.Popen(
            ["mariadb", f"--defaults-file={a.cnf}"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
        )
        assert proc.stdin is not None
        i = 0
        while not stop.is_set():
            i += 1
            proc.stdin.write(
                f"BEGIN; INSERT INTO pair_a VALUES ({i}); INSERT INTO pair_b VALUES ({i}); COMMIT; DO SLEEP(0.002);\n"
            )
            proc.stdin.flush()
        proc.stdin.close()
        proc.wait(timeout=60)

    def committed() -> int:
        return int(s.root_sql("SELECT COUNT(*) FROM pair_a;", database=a.database))

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while committed() < 5:
            time.sleep(0.05)
        # read before the job starts: every row counted here is committed before the dump's snapshot
        samples = [committed()]
        job = subprocess.Popen(
            [str(platform.base / "pic-db-dump")],
            env=run_as_root_env() | {"PIC_DB_DUMP_CONF": str(platform.conf)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        while job.poll() is None:
            samples.append(committed())
            time.sleep(0.05)
        samples.append(committed())
        out, err = job.communicate()
    finally:
        stop.set()
        thread.join(timeout=60)
    assert job.returncode == 0, out + err
    assert len(samples) >= 3, "the dump was too quick to observe the writer"
    assert samples[-1] > samples[0], f"no commit went through while the dump ran: {samples}"
    # the dump is one snapshot: both tables hold exactly the same transactions
    # the dump of this run: "<db>-latest.sql.zst" links to the newest (earlier tests left older ones)
    text = read_dump(a.dumps / f"{a.database}-latest.sql.zst")

    def ids(table: str) -> set[int]:
        m = re.search(rf"INSERT INTO `{table}` VALUES\n?(.*?);\n", text, re.S)
        return {int(x) for x in re.findall(r"\((\d+)\)", m.group(1))} if m else set()

    in_a, in_b = ids("pair_a"), ids("pair_b")
    assert in_a, "the dump holds none of the writer's rows"
    assert in_a == in_b, f"the dump is not one snapshot: {len(in_a)} vs {len(in_b)} rows"
    assert samples[0] <= len(in_a) <= samples[-1]
    assert "INSERT INTO `big`" in text


def test_status_before_any_run_and_one_run_at_a_time(platform: Platform) -> None:
    first = platform.run("pic-db-dump", "--status")
    assert first.returncode == 0
    assert first.stdout.strip() == "no run yet"
    state = platform.base / "state"
    state.mkdir(mode=0o700)
    holder = subprocess.Popen(["flock", str(state / "lock"), "sleep", "30"], start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while not (state / "lock").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        second = platform.dump()
        assert second.returncode == 1
        assert "another pic-db-dump is running" in second.stderr
        assert not any(m.dump_files() for m in platform.members)
    finally:
        os.killpg(holder.pid, signal.SIGKILL)  # flock and the sleep that holds the lock
        holder.wait()
    assert platform.dump().returncode == 0


def test_member_directories_are_used_as_the_member_only(platform: Platform) -> None:
    a, b = platform.members
    # b's db/ replaced by a link to a directory only root may write: the job must not write there
    target = platform.base / "root-only"
    target.mkdir(mode=0o700)
    b.dumps.rmdir()
    b.dumps.symlink_to(target)
    os.lchown(b.dumps, b.uid, b.uid)
    # a's latest dump replaced by a link to a file of root's: the job replaces the link, not the file
    precious = platform.base / "precious"
    precious.write_text("root's\n")
    (a.dumps / f"{a.database}-latest.sql.zst").symlink_to(precious)
    done = platform.dump()
    assert done.returncode == 1
    assert list(target.iterdir()) == [], "the job wrote into a directory its member cannot write"
    assert f"{b.database} ({b.slug})" in platform.mail.read_text()
    assert precious.read_text() == "root's\n"
    latest = a.dumps / f"{a.database}-latest.sql.zst"
    assert not latest.is_symlink()
    assert latest.stat().st_uid == a.uid


@pytest.mark.parametrize("compression", ["zstd", "gzip"])
def test_a_directory_at_latest_keeps_the_dump_and_is_said(platform: Platform, compression: str) -> None:
    """A member makes its <database>-latest a directory (over sftp, where it owns db/): the night's
    dump is made and kept under its dated name, taken as the last good one, and the old dumps are
    pruned; the directory, which cannot name the dump, is left as it is with what it holds, and
    the mail names the member, the path and why (the dump was failed every night, never pruned).
    Once the member moves it away, the next night names the dump again."""
    a, b = platform.members
    platform.keep_days = 3
    platform.write_job(compression=compression)
    ext = "zst" if compression == "zstd" else "gz"
    assert platform.dump().returncode == 0
    latest = a.dumps / f"{a.database}-latest.sql.{ext}"
    latest.unlink()
    latest.mkdir()
    (latest / "notes.txt").write_text("the member's\n")
    for p in (latest, latest / "notes.txt"):
        os.chown(p, a.uid, a.uid)
    old = a.dumps / f"{a.database}-20260101-031500.sql.{ext}"
    old.write_bytes(b"")
    os.chown(old, a.uid, a.uid)
    os.utime(old, (time.time() - 4 * 86400, time.time() - 4 * 86400))
    before = a.dump_files()
    time.sleep(1.1)  # the next dump gets another name
    done = platform.dump()
    assert done.returncode == 1, done.stdout + done.stderr
    assert latest.is_dir() and (latest / "notes.txt").read_text() == "the member's\n", "the directory was touched"
    new = sorted(set(a.dump_files()) - set(before))
    assert len(new) == 1 and re.fullmatch(rf"{a.database}-\d{{8}}-\d{{6}}\.sql\.{ext}", new[0]), a.dump_files()
    dump = a.dumps / new[0]
    assert read_dump(dump).rstrip().splitlines()[-1].startswith("-- Dump completed")
    assert dump.stat().st_uid == a.uid
    assert not old.exists(), "the dumps older than keep_days were not pruned"
    assert not [f for f in a.dump_files() if f.endswith(".part")], a.dump_files()
    assert f"{a.database}: ok: {dump} (pruned 1 older than 3 days)" in done.stdout, done.stdout
    mail = platform.mail.read_text()
    assert "0 of 2 database dumps failed on web1" in mail and "1 dump was made and kept with a problem" in mail, mail
    assert f"{a.database} ({a.slug}): dumped into {dump}, but {latest} is a directory, left as it is" in mail, mail
    assert b.database not in mail, mail
    status = platform.run("pic-db-dump", "--status").stdout
    line = next(x for x in status.splitlines() if x.startswith(a.database))
    assert line.split()[1] == "ok" and line.split()[-1] == str(dump), line
    assert f"warning: {latest} is a directory" in status, status
    assert "result=failed" in status, status
    # the member moves it away: the next night's dump is named <database>-latest again
    (latest / "notes.txt").unlink()
    latest.rmdir()
    time.sleep(1.1)
    done = platform.dump()
    assert done.returncode == 0, done.stdout + done.stderr
    newest = max(f for f in a.dump_files() if f != latest.name)
    assert latest.is_file() and latest.stat().st_ino == (a.dumps / newest).stat().st_ino


@pytest.mark.parametrize("compression", ["zstd", "gzip"])
def test_a_directory_at_the_other_formats_latest_keeps_the_dump_and_is_said(
    platform: Platform, compression: str
) -> None:
    """A member's directory at <database>-latest of the other format (.sql.gz while the dumps are zstd, or the
    reverse), where the job removes its link left from before a change of format: the night's dump is made, named
    -latest and the old ones pruned; the directory is left as it is with what it holds, and said as one at -latest
    of the format is (kept, mailed to the admins). Was: its removal failed without a word, every night."""
    a, b = platform.members
    platform.keep_days = 3
    platform.write_job(compression=compression)
    ext, other_ext = ("zst", "gz") if compression == "zstd" else ("gz", "zst")
    other = a.dumps / f"{a.database}-latest.sql.{other_ext}"
    other.mkdir()
    (other / "notes.txt").write_text("the member's\n")
    for p in (other, other / "notes.txt"):
        os.chown(p, a.uid, a.uid)
    old = a.dumps / f"{a.database}-20260101-031500.sql.{ext}"
    old.write_bytes(b"")
    os.chown(old, a.uid, a.uid)
    os.utime(old, (time.time() - 4 * 86400, time.time() - 4 * 86400))
    done = platform.dump()
    assert done.returncode == 1, done.stdout + done.stderr
    assert other.is_dir() and (other / "notes.txt").read_text() == "the member's\n", "the directory was touched"
    latest = a.dumps / f"{a.database}-latest.sql.{ext}"
    dump = next(f for f in a.dump_files() if re.fullmatch(rf"{a.database}-\d{{8}}-\d{{6}}\.sql\.{ext}", f))
    assert latest.stat().st_ino == (a.dumps / dump).stat().st_ino, "the dump is not named -latest"
    assert not old.exists(), "the dumps older than keep_days were not pruned"
    mail = platform.mail.read_text()
    assert "0 of 2 database dumps failed on web1" in mail and "1 dump was made and kept with a problem" in mail, mail
    assert (
        f"{a.database} ({a.slug}): dumped into {a.dumps / dump}, but {other} is a directory, left as it is: the name "
        "is the job's, that of the last dump in the other format, until the member moves it away"
    ) in mail, mail
    assert b.database not in mail, mail
    status = platform.run("pic-db-dump", "--status").stdout
    assert f"warning: {other} is a directory" in status, status
    # the member moves it away: nothing more to say
    (other / "notes.txt").unlink()
    other.rmdir()
    time.sleep(1.1)
    assert platform.dump().returncode == 0


@pytest.mark.parametrize("kind", ["file", "fifo"])
def test_a_file_or_pipe_at_latest_is_replaced_as_a_link_is(platform: Platform, kind: str) -> None:
    """<database>-latest is the job's name: a file or a named pipe the member puts there is
    replaced by the night's dump, as a link is (only a directory cannot be)."""
    a, _ = platform.members
    latest = a.dumps / f"{a.database}-latest.sql.zst"
    if kind == "file":
        latest.write_text("the member's\n")
    else:
        os.mkfifo(latest)
    os.chown(latest, a.uid, a.uid)
    done = platform.dump()
    assert done.returncode == 0, done.stdout + done.stderr
    dump = next(f for f in a.dump_files() if f != latest.name)
    assert latest.is_file() and latest.stat().st_ino == (a.dumps / dump).stat().st_ino


def test_a_directory_at_the_name_of_an_earlier_link_is_no_failure(platform: Platform) -> None:
    """A member's directory named .<database>-latest.tmp, where the job made its link to the new
    dump before renaming it over <database>-latest: the dump is named -latest all the same, and the
    directory left as it is (the link could not be made there: every night failed, unpruned)."""
    a, _ = platform.members
    tmp = a.dumps / f".{a.database}-latest.tmp"
    tmp.mkdir()
    os.chown(tmp, a.uid, a.uid)
    done = platform.dump()
    assert done.returncode == 0, done.stdout + done.stderr
    assert tmp.is_dir() and not list(tmp.iterdir())
    latest = a.dumps / f"{a.database}-latest.sql.zst"
    dump = next(f for f in a.dump_files() if re.fullmatch(rf"{a.database}-\d{{8}}-\d{{6}}\.sql\.zst", f))
    assert latest.stat().st_ino == (a.dumps / dump).stat().st_ino
    assert sorted(a.dump_files()) == sorted([tmp.name, latest.name, dump]), a.dump_files()


def test_a_db_directory_its_member_cannot_list_keeps_the_dump_and_is_said(platform: Platform) -> None:
    """A member takes the read right off its db/ (mode 0300: written to, not listed): the night's
    dump is made, named <database>-latest and taken as the last good one; nothing can be pruned,
    and the mail says so, naming the member and the directory (the dump was failed every night)."""
    a, b = platform.members
    platform.keep_days = 3
    platform.write_job()
    old = a.dumps / f"{a.database}-20260101-031500.sql.zst"
    old.write_bytes(b"")
    os.chown(old, a.uid, a.uid)
    os.utime(old, (time.time() - 4 * 86400, time.time() - 4 * 86400))
    a.dumps.chmod(0o300)
    done = platform.dump()
    assert done.returncode == 1, done.stdout + done.stderr
    assert a.dumps.stat().st_mode & 0o777 == 0o300, "the member's directory was changed"
    dump = next(
        f for f in a.dump_files() if re.fullmatch(rf"{a.database}-\d{{8}}-\d{{6}}\.sql\.zst", f) and f != old.name
    )
    latest = a.dumps / f"{a.database}-latest.sql.zst"
    assert latest.stat().st_ino == (a.dumps / dump).stat().st_ino
    assert old.exists()
    mail = platform.mail.read_text()
    assert "0 of 2 database dumps failed on web1" in mail, mail
    assert f"{a.database} ({a.slug}): dumped into {a.dumps / dump}, but {a.dumps} could not be listed" in mail, mail
    assert "no dump was pruned" in mail and b.database not in mail, mail
    status = platform.run("pic-db-dump", "--status").stdout
    line = next(x for x in status.splitlines() if x.startswith(a.database))
    assert line.split()[1] == "ok" and line.split()[-1] == str(a.dumps / dump), line


def test_a_missing_member_directory_fails_that_database_only(platform: Platform) -> None:
    a, b = platform.members
    b.dumps.rmdir()
    done = platform.dump()
    assert done.returncode == 1
    assert "is missing or not writable" in done.stderr
    assert len(a.dump_files()) == 2
    status = platform.run("pic-db-dump", "--status").stdout
    assert "result=failed" in status
    assert "failed=1" in status


@pytest.mark.parametrize("state", ["missing", "root's", "a file", "a link to nothing", "closed above"])
def test_a_db_directory_the_member_cannot_write_is_said_with_why_and_left_as_it_is(
    platform: Platform, state: str
) -> None:
    """A member's db/ missing, given to root, replaced by a file or a dangling link, or behind a directory closed to
    the member: that member's dumps fail every night, each mailed with the member, the path and why, with what would
    fix it; the other members are dumped; nothing is made or changed there (was: "is missing or not writable", and
    mariadb-dump's "Got errno 0 on write", which only said that the member's side had stopped reading)."""
    a, b = platform.members
    d = b.dumps
    for f in d.iterdir():
        f.unlink()
    d.rmdir()
    space_mode = d.parent.stat().st_mode & 0o7777
    if state == "root's":
        d.mkdir(mode=0o755)
        d.chmod(0o755)
    elif state == "a file":
        d.write_text("the member's\n")
        os.chown(d, b.uid, b.uid)
    elif state == "a link to nothing":
        d.symlink_to("elsewhere")
        os.lchown(d, b.uid, b.uid)
    elif state == "closed above":
        d.mkdir()
        os.chown(d, b.uid, b.uid)
        d.parent.chmod(0o700)  # root's, closed to the member
    before = os.lstat(d) if os.path.lexists(d) else None
    try:
        done = platform.dump()
    finally:
        d.parent.chmod(space_mode)
    assert done.returncode == 1, done.stdout + done.stderr
    why = {
        "missing": f"it does not exist: make it again as the member's (install -d -o {b.uid} -g {b.uid} -m 0700 {d})",
        "root's": f"the member cannot write in it (owner uid 0, mode 0755): give it back to the member (chown "
        f"{b.uid}:{b.uid} {d}; chmod u+rwx {d})",
        "a file": "it is not a directory: the member's file is left as it is; have it moved away, then make it again",
        "a link to nothing": "it is a link to nothing: have the member remove or mend it",
        "closed above": "it cannot be reached (Permission denied): a directory above it is closed to the member",
    }[state]
    line = f"{b.database} ({b.slug}): {d} is missing or not writable by uid {b.uid}: {why}"
    mail = platform.mail.read_text()
    assert "1 of 2 database dumps failed on web1" in mail and line in mail, mail
    assert f"{b.database}: FAILED: {d} is missing or not writable by uid {b.uid}: {why}" in done.stderr, done.stderr
    assert "Got errno" not in mail and "dump failed:" not in mail, mail
    assert f"{a.database}: ok: " in done.stdout and len(a.dump_files()) == 2, "the other member was not dumped"
    after = os.lstat(d) if os.path.lexists(d) else None
    assert (after is None) is (before is None), "the job made or removed the member's db/"
    if before is not None and after is not None:
        assert (after.st_mode, after.st_uid, after.st_ino) == (before.st_mode, before.st_uid, before.st_ino)
    if state == "a file":
        assert d.read_text() == "the member's\n"
    status = platform.run("pic-db-dump", "--status").stdout
    assert f"    error: {d} is missing or not writable by uid {b.uid}: {why}" in status, status


def test_admin_account_sql_is_idempotent_and_tls_only(server: MariaDB, tmp_path: Path) -> None:
    for password in ("first-Admin-pw", "second-Admin-pw"):  # a run after the secret changed
        server.root_sql(rdb.admin_account_sql(LOOPBACK, password))
    cnf = tmp_path / "admin.cnf"
    cnf.write_text(
        rdb.backup_cnf(
            user=rdb.ADMIN_USER, password="second-Admin-pw", host="127.0.0.1", port=server.port, ca_file=server.ca
        )
    )

    def admin(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["mariadb", f"--defaults-file={cnf}", "-N", "-B", *extra, "-e", "SHOW GRANTS"],
            capture_output=True,
            text=True,
            check=False,
        )

    ok = admin()
    assert ok.returncode == 0, ok.stderr
    assert "GRANT ALL PRIVILEGES ON *.* TO `pic_admin`@`127.0.0.1`" in ok.stdout
    assert "WITH GRANT OPTION" in ok.stdout
    assert admin("--skip-ssl").returncode != 0
    assert admin("--password=first-Admin-pw").returncode != 0, "the old password still works"
    assert server.root_sql("SELECT COUNT(*) FROM mysql.global_priv WHERE User = '';").strip() == "0"
    assert server.root_sql("SELECT COUNT(*) FROM mysql.global_priv WHERE User = 'pic_admin';").strip() == "1"


def test_a_full_disk_fails_the_dump_and_leaves_no_partial_file(platform: Platform) -> None:
    """The member's db/ on a file system that fills up during the dump: that database's dump fails
    (said once, with the reason), the last good dump stays, and no partial file is left to take
    the space the next night's dump needs."""
    s, (a, b) = platform.server, platform.members
    require_program("mount")
    _fill(s, b.database)
    assert platform.dump().returncode == 0
    good = {f: (b.dumps / f).read_bytes() for f in b.dump_files()}
    size = sum(len(v) for v in good.values())
    # incompressible rows: tonight's dump is far larger than what is left
    s.root_sql(
        "CREATE TABLE noise (x LONGBLOB) ENGINE=InnoDB;INSERT INTO noise SELECT RANDOM_BYTES(1024) FROM seq_1_to_2000;",
        database=b.database,
    )
    saved = platform.base / "saved-dumps"
    b.dumps.rename(saved)
    b.dumps.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size + 256 * 1024},mode=0700,uid={b.uid},gid={b.uid}",
                    "tmpfs", str(b.dumps)], check=True)  # fmt: skip
    try:
        for f in good:
            subprocess.run(["cp", "-a", str(saved / f), str(b.dumps / f)], check=True)
        time.sleep(1.1)  # the next dump gets another name
        done = platform.dump()
        assert done.returncode == 1, done.stdout + done.stderr
        left = sorted(p.name for p in b.dumps.iterdir())
        assert left == sorted(good), f"a partial dump was left on the full disk: {left}"
        assert {f: (b.dumps / f).read_bytes() for f in good} == good, "the last good dump was touched"
    finally:
        subprocess.run(["umount", str(b.dumps)], check=True)
    mail = platform.mail.read_text()
    assert "1 of 2 database dumps failed" in mail, mail
    assert f"{b.database} ({b.slug}):" in mail and "No space left on device" in mail, mail
    status = platform.run("pic-db-dump", "--status").stdout
    assert "failed=1" in status, status
    assert len(a.dump_files()) == 3, "the other database was not dumped"


def test_a_stopped_run_leaves_no_partial_file(platform: Platform) -> None:
    """systemctl stop (SIGTERM to every process of the unit) while a dump is being written: the
    member's db/ keeps its files as they were, without a temporary file of the stopped dump."""
    a, b = platform.members
    assert platform.dump().returncode == 0
    before = {m.slug: sorted(m.dump_files()) for m in (a, b)}
    slow = platform.base / "slow"
    slow.mkdir(mode=0o755)
    (slow / "mariadb-dump").write_text("#!/bin/sh\necho '-- MariaDB dump'\nexec sleep 60\n")
    (slow / "mariadb-dump").chmod(0o755)
    time.sleep(1.1)  # the next dump gets another name
    env = run_as_root_env() | {"PIC_DB_DUMP_CONF": str(platform.conf)}
    env["PATH"] = f"{slow}:{env['PATH']}"
    job = subprocess.Popen([str(platform.base / "pic-db-dump")], env=env, start_new_session=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 20
    while not all(any(f.endswith(".part") for f in m.dump_files()) for m in (a, b)):
        assert time.monotonic() < deadline, "the dumps never started"
        time.sleep(0.05)
    os.killpg(job.pid, signal.SIGTERM)
    out, err = job.communicate(timeout=30)
    deadline = time.monotonic() + 10  # the members' processes end after the job's shell
    while {m.slug: sorted(m.dump_files()) for m in (a, b)} != before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert {m.slug: sorted(m.dump_files()) for m in (a, b)} == before, out + err


def test_a_run_that_cannot_start_is_a_mailed_failure(platform: Platform) -> None:
    """The job's own files missing or unreadable (the list of databases gone, /tmp full): the run
    stops, and that is mailed and shown by --status like any failed dump, never only a line in the
    journal."""
    assert platform.dump().returncode == 0
    (platform.base / "db-dump.list").unlink()
    done = platform.dump()
    assert done.returncode == 1, done.stdout + done.stderr
    mail = platform.mail.read_text()
    assert "Subject: [pic] database dumps failed on web1" in mail, mail
    assert "db-dump.list" in mail, mail
    status = platform.run("pic-db-dump", "--status").stdout
    assert "result=failed" in status, status


def test_a_system_versioned_table_not_in_innodb_is_named(platform: Platform) -> None:
    """A table WITH SYSTEM VERSIONING in MyISAM or Aria is read unlocked, without a snapshot, as any table of
    those engines: it is named as a warning too (only plain tables were: its type is 'SYSTEM VERSIONED')."""
    s, (a, _) = platform.server, platform.members
    s.root_sql(
        "CREATE TABLE prices (id INT PRIMARY KEY, p INT) ENGINE=MyISAM WITH SYSTEM VERSIONING;"
        "INSERT INTO prices VALUES (1, 10); UPDATE prices SET p = 11;"
        "CREATE TABLE plain (id INT) ENGINE=Aria;",
        database=a.database,
    )
    done = platform.dump()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "not InnoDB, dumped without a snapshot: plain (Aria), prices (MyISAM)" in done.stdout, done.stdout


_TRX_PRECISE = """
    CREATE TABLE aa_first (id INT PRIMARY KEY, pad VARCHAR(100)) ENGINE=InnoDB;
    INSERT INTO aa_first SELECT seq, REPEAT('x', 100) FROM seq_1_to_2000;
    CREATE TABLE trx (id INT PRIMARY KEY, p INT,
        rs BIGINT UNSIGNED AS ROW START INVISIBLE, re BIGINT UNSIGNED AS ROW END INVISIBLE,
        PERIOD FOR SYSTEM_TIME(rs, re)) ENGINE=InnoDB WITH SYSTEM VERSIONING;
    INSERT INTO trx (id, p) VALUES (1, 1);
    UPDATE trx SET p = 2;
    CREATE TABLE zz_after (id INT PRIMARY KEY) ENGINE=InnoDB;
    INSERT INTO zz_after VALUES (42);
"""


def test_a_database_with_a_transaction_precise_table_is_dumped_once(platform: Platform) -> None:
    """A database holding transaction-precise tables (AS ROW START on BIGINT UNSIGNED), whose
    history mariadb-dump cannot write: the run finds them first and dumps that database once,
    without history, naming them as a warning (mariadb-dump was asked for the history, failed on
    reaching the first of them after dumping the tables before it, and the database was dumped
    again: each night, the first dump thrown away). The other databases keep their history."""
    s, (a, b) = platform.server, platform.members
    s.root_sql(_TRX_PRECISE + "CREATE TABLE trx2 LIKE trx;", database=a.database)
    calls = _logged_dump(platform.base / "bin")
    done = platform.dump(path_first=platform.base / "bin")
    assert done.returncode == 0, done.stdout + done.stderr
    by_db = {m.database: [c for c in calls.read_text().splitlines() if c.endswith(f" {m.database}")] for m in (a, b)}
    assert len(by_db[a.database]) == 1, by_db
    assert "--dump-history" not in by_db[a.database][0], by_db
    assert len(by_db[b.database]) == 1 and "--dump-history" in by_db[b.database][0], by_db
    warning = "history of the system-versioned tables not dumped: `trx`, `trx2` are transaction-precise"
    assert f"{a.database}: ok:" in done.stdout and warning in done.stdout, done.stdout
    text = read_dump(a.dumps / f"{a.database}-latest.sql.zst")
    assert "INSERT INTO `zz_after` VALUES\n(42);" in text and "INSERT INTO `trx` (`id`, `p`, `rs`, `re`) VALUES" in text
    assert text.rstrip().splitlines()[-1].startswith("-- Dump completed")
    assert warning in platform.run("pic-db-dump", "--status").stdout


def test_a_transaction_precise_table_not_found_first_is_dumped_again_without_history(platform: Platform) -> None:
    """The query that finds the transaction-precise tables fails (a lost connection): the database
    holding one is dumped again without history when mariadb-dump fails on it, as before, the
    table named as a warning, and the run is not failed for it."""
    s, (a, _) = platform.server, platform.members
    s.root_sql(_TRX_PRECISE, database=a.database)
    _failing_query(platform.base / "bin", "ROW START")
    calls = _logged_dump(platform.base / "bin")
    done = platform.dump(path_first=platform.base / "bin")
    assert done.returncode == 0, done.stdout + done.stderr
    mine = [c for c in calls.read_text().splitlines() if c.endswith(f" {a.database}")]
    assert len(mine) == 2 and "--dump-history" in mine[0] and "--dump-history" not in mine[1], mine
    assert "history of the system-versioned tables not dumped: `trx` is transaction-precise" in done.stdout
    assert "INSERT INTO `zz_after` VALUES" in read_dump(a.dumps / f"{a.database}-latest.sql.zst")


def test_a_state_file_that_cannot_be_written_is_a_failure(platform: Platform) -> None:
    """The state of one database cannot be written (here a directory in its place; a full /var as
    well): its dump is made, but the run is failed and mailed, naming that database (the run said
    ok, and --status went on showing that database's last run as if it were tonight's)."""
    a, b = platform.members
    assert platform.dump().returncode == 0
    state = platform.base / "state" / "db" / b.database
    state.unlink()
    state.mkdir()
    time.sleep(1.1)  # the next dump gets another name
    done = platform.dump()
    assert done.returncode == 1, done.stdout + done.stderr
    assert len(b.dump_files()) == 3, "the dump itself was not made"
    mail = platform.mail.read_text()
    assert "1 of 2 database dumps failed" in mail, mail
    assert f"{b.database} ({b.slug}):" in mail and "state" in mail, mail
    assert a.database not in mail
    status = platform.run("pic-db-dump", "--status").stdout
    assert "result=failed" in status and "failed=1" in status, status


def test_a_dump_job_that_dies_without_an_outcome_is_a_failure(platform: Platform) -> None:
    """The job of one database ends before it writes its outcome (here a program it runs after a failed
    dump fails; a killed process too): that database is counted as failed and mailed (it was left
    out of the count, and the run said ok)."""
    s, (_, b) = platform.server, platform.members
    s.root_sql("CREATE TABLE gone (x INT); CREATE VIEW v AS SELECT x FROM gone; DROP TABLE gone;", database=b.database)
    bin_dir = platform.base / "bin"
    bin_dir.mkdir(mode=0o755)
    (bin_dir / "sed").write_text("#!/bin/sh\n# stands in for sed: fails\nexit 1\n")
    (bin_dir / "sed").chmod(0o755)
    done = platform.dump(path_first=bin_dir)
    assert done.returncode == 1, done.stdout + done.stderr
    mail = platform.mail.read_text()
    assert "1 of 2 database dumps failed" in mail, mail
    assert f"{b.database} ({b.slug}): no outcome" in mail, mail
    status = platform.run("pic-db-dump", "--status").stdout
    assert "result=failed" in status and "failed=1" in status, status


def _quick_dump_of(directory: Path, prefix: str) -> None:
    """A ``mariadb-dump`` in ``directory``: the real one, except for the databases named ``prefix...``,
    which do not exist on the server and fail at once (so that thousands of them cost little)."""
    real = require_program("mariadb-dump")
    directory.mkdir(mode=0o755, exist_ok=True)
    script = directory / "mariadb-dump"
    script.write_text(
        f'#!/bin/sh\ncase " $* " in\n    *" {prefix}"*) echo "no such database" >&2; exit 2 ;;\nesac\n'
        f'exec {real} "$@"\n'
    )
    script.chmod(0o755)


def test_tables_without_a_snapshot_are_named_on_a_host_of_thousands_of_databases(platform: Platform) -> None:
    """The names of the host's databases together longer than one argument of a program may be (128
    KiB: about 2,000 databases of 64-character names). The check for tables of other engines than
    InnoDB still runs and names them (it was given every name in one argument: it could not start,
    and said nothing). The databases but two do not exist: their dumps fail at once."""
    s, (a, b) = platform.server, platform.members
    s.root_sql("CREATE TABLE plain (id INT) ENGINE=Aria;", database=a.database)
    fillers = [rdb.DumpEntry(f"filler{i}", 30000 + i, f"filler{i:05d}".ljust(64, "x")) for i in range(2000)]
    entries = [rdb.DumpEntry(m.slug, m.uid, m.database) for m in (a, b)]
    (platform.base / "db-dump.list").write_text(rdb.dump_list([*entries, *fillers]))
    _quick_dump_of(platform.base / "bin", "filler")
    done = platform.dump(path_first=platform.base / "bin")
    assert done.returncode == 1, done.stdout + done.stderr  # the fillers' dumps fail
    assert f"{a.database}: ok:" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]
    assert "not InnoDB, dumped without a snapshot: plain (Aria)" in done.stdout, done.stdout[-2000:]
    assert f"{b.database}: ok:" in done.stdout
    assert "2000 of 2002 database dumps failed" in platform.mail.read_text()


def _failing_query(directory: Path, marker: str) -> None:
    """A ``mariadb`` in ``directory``: the real one, except that a query holding ``marker`` fails (a
    server that went away, a lost connection), whether given by -e or on stdin."""
    real = require_program("mariadb")
    directory.mkdir(mode=0o755, exist_ok=True)
    script = directory / "mariadb"
    script.write_text(
        f"""#!/bin/bash
# stands in for mariadb: a query holding the marker fails
marker={marker!r}
for arg; do
    if [[ $arg == *"$marker"* ]]; then echo "ERROR 2013 (HY000): Lost connection" >&2; exit 1; fi
done
for arg; do
    [[ $arg != -e ]] || exec {real} "$@"
done
sql=$(cat)
if [[ $sql == *"$marker"* ]]; then echo "ERROR 2013 (HY000): Lost connection" >&2; exit 1; fi
printf '%s' "$sql" | {real} "$@"
"""
    )
    script.chmod(0o755)


def test_a_check_for_tables_without_a_snapshot_that_fails_is_a_mailed_failure(platform: Platform) -> None:
    """The query for tables of other engines than InnoDB fails: the dumps are made, but the run is
    failed, mailed and shown by --status (it said ok, and no warning could ever be given)."""
    a, b = platform.members
    _failing_query(platform.base / "bin", "engine <> 'InnoDB'")
    done = platform.dump(path_first=platform.base / "bin")
    assert done.returncode == 1, done.stdout + done.stderr
    assert len(a.dump_files()) == 2 and len(b.dump_files()) == 2, "the dumps were not made"
    mail = platform.mail.read_text()
    assert "Subject: [pic] database dumps failed on web1" in mail, mail
    assert "not InnoDB" in mail and "Lost connection" in mail, mail
    status = platform.run("pic-db-dump", "--status").stdout
    assert "result=failed" in status, status


def _logged_dump(directory: Path) -> Path:
    """A ``mariadb-dump`` in ``directory``: the real one, each call logged in the file returned."""
    real = require_program("mariadb-dump")
    directory.mkdir(mode=0o755, exist_ok=True)
    calls = directory / "dump-calls.log"
    calls.write_text("")
    script = directory / "mariadb-dump"
    script.write_text(
        f'#!/bin/sh\n# stands in for mariadb-dump: logs each call\necho "$*" >> {calls}\nexec {real} "$@"\n'
    )
    script.chmod(0o755)
    return calls


def test_a_packet_limit_that_cannot_be_read_stops_the_run_before_any_dump(platform: Platform) -> None:
    """The server's max_allowed_packet cannot be read (a lost connection): no dump could be checked
    against it, so the run stops before dumping anything, said once with the client's error and
    mailed; the members' db/ and each database's state stay as they were (every database was
    dumped, each dump then refused: a night's work thrown away, and one failure per database)."""
    a, b = platform.members
    assert platform.dump().returncode == 0
    good = {m.slug: {f: (m.dumps / f).read_bytes() for f in m.dump_files()} for m in (a, b)}
    states = {m.database: (platform.base / "state" / "db" / m.database).read_text() for m in (a, b)}
    time.sleep(1.1)  # a dump made now would get another name
    _failing_query(platform.base / "bin", "max_allowed_packet")
    calls = _logged_dump(platform.base / "bin")
    done = platform.dump(path_first=platform.base / "bin")
    assert done.returncode == 1, done.stdout + done.stderr
    assert calls.read_text() == "", "databases were dumped though none could be kept"
    assert {m.slug: {f: (m.dumps / f).read_bytes() for f in m.dump_files()} for m in (a, b)} == good
    assert {m.database: (platform.base / "state" / "db" / m.database).read_text() for m in (a, b)} == states
    assert done.stderr.count("Lost connection") == 1, done.stderr
    assert "no database was dumped" in done.stderr, done.stderr
    mail = platform.mail.read_text()
    assert mail.count("Subject: [pic] database dumps failed on web1") == 1, mail
    assert mail.count("the server's max_allowed_packet could not be read (ERROR 2013 (HY000): Lost connection)") == 1
    assert a.database not in mail and b.database not in mail, mail
    status = platform.run("pic-db-dump", "--status").stdout
    assert "result=failed" in status and "Lost connection" in status, status


def test_a_table_name_of_control_characters_reaches_no_terminal_raw(platform: Platform) -> None:
    """A member names a table (not InnoDB) with control characters, an escape sequence and a
    carriage return: the warning names it with each such character shown as '?', in the run's
    output and --status (they reached the admin's terminal as they were: a member could clear
    the screen or write over a line)."""
    s, (a, _) = platform.server, platform.members
    s.root_sql("CREATE TABLE `x\x1b[2J\ry\x07` (id INT) ENGINE=Aria;", database=a.database)
    done = platform.dump()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "not InnoDB, dumped without a snapshot: x?[2J?y? (Aria)" in done.stdout, repr(done.stdout)
    status = platform.run("pic-db-dump", "--status").stdout
    assert "x?[2J?y? (Aria)" in status, repr(status)
    for text in (done.stdout, done.stderr, status):
        assert not any(c in text for c in "\x1b\r\x07"), repr(text)


def test_a_failed_dump_naming_a_view_of_control_characters_is_mailed_shown(platform: Platform) -> None:
    """A member's view of a table since dropped, named with an escape sequence: its dump fails, and
    the client's error naming it reaches the report, the mail and --status with each control
    character as '?' (it was mailed as the member wrote it)."""
    s, (a, _) = platform.server, platform.members
    s.root_sql("CREATE TABLE t (id INT); CREATE VIEW `v\x1b[2J\x07` AS SELECT id FROM t; DROP TABLE t;",
               database=a.database)  # fmt: skip
    done = platform.dump()
    assert done.returncode == 1, done.stdout + done.stderr
    mail = platform.mail.read_text()
    assert "v?[2J?" in mail, repr(mail)
    status = platform.run("pic-db-dump", "--status").stdout
    for text in (done.stdout, done.stderr, mail, status):
        assert not any(c in text for c in "\x1b\x07"), repr(text)


@pytest.mark.parametrize(
    ("slug", "short", "schema"),
    [("performance", "s", "performance_schema"), ("information", "sch", "information_schema")],
)
def test_a_grant_covering_a_system_schema_is_refused(
    server: MariaDB, tmp_path: Path, slug: str, short: str, schema: str
) -> None:
    """The grant ``<database>%`` of member ``performance``'s database ``s`` covers MariaDB's ``performance_schema``:
    rendered as the program does, it shows the member that schema and lets it read and change its tables (other
    accounts' statements, when the server records them). The registry refuses such a name."""
    files = write_members(tmp_path / "members", {slug: member(uid=10742, databases=[short])})
    with pytest.raises(PicError, match=f"would also cover {schema}, a system schema of MariaDB"):
        load_registry(files, load_settings(ROOT, "prod"))
    if schema != "performance_schema":
        return  # MariaDB decides access to information_schema by the objects it describes, whatever the grants
    base = platform_base(server, next(_PLATFORMS))
    m = make_member(server, base, slug, next(_UIDS), short)
    assert _as(m, "SHOW DATABASES;").stdout.split() == ["information_schema", m.database, schema]
    reads = _as(m, f"SELECT COUNT(*) FROM {schema}.setup_consumers;")
    assert reads.returncode == 0, reads.stderr
    # another member's grant reaches no such thing
    other = make_member(server, base, f"asso-s{base.name}", next(_UIDS))
    denied = _as(other, f"SELECT COUNT(*) FROM {schema}.setup_consumers;")
    assert denied.returncode != 0 and "denied" in denied.stderr, denied.stdout

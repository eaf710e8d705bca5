"""Restores that never destroy, against a real MariaDB (the rendered server settings, TLS on):
rows of 9 and 30 MiB, views, triggers, routines, events, latin1 and utf8mb4 tables dumped by the
job and restored checksum-identical; a dump damaged on purpose refused with the live database
unchanged; a restore killed while it loads leaves the live database unchanged; a dump whose
longest statement the server would refuse is a failed, reported dump.

Needs root (the job and the restore run as the members' uids), mariadbd, the mariadb clients,
setpriv, zstd, gzip and gawk.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pic.render import db as rdb
from tests.conftest import require_program, require_root
from tests.mariadb_server import (
    DUMP_PROGRAMS,
    MariaDB,
    Member,
    Platform,
    cleanup,
    make_member,
    platform_base,
    read_dump,
    run_as_root_env,
    start_backup_server,
)

pytestmark = pytest.mark.daemon

MIB = 1 << 20


@pytest.fixture(scope="module")
def server() -> Iterator[MariaDB]:
    for program in DUMP_PROGRAMS:
        require_program(program)
    require_root("the dump job and the restore run as each member's uid")
    s = start_backup_server(buffer_pool="256M")
    yield s
    cleanup(s)


_PLATFORMS = iter(range(1, 1000))
_UIDS = iter(range(21001, 21999))


@pytest.fixture
def platform(server: MariaDB) -> Platform:
    base = platform_base(server, next(_PLATFORMS))
    p = Platform(server, base, [make_member(server, base, f"asso-r{base.name}", next(_UIDS))])
    p.write_job()
    return p


def _member_sql(m: Member, sql: str) -> None:
    """SQL as the member's site runs it: its own account, over TLS (definers are the member)."""
    done = subprocess.run(["mariadb", f"--defaults-file={m.cnf}", "-N", "-B"], input=sql, capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr


def _fill(m: Member) -> None:
    """Everything a site's database holds, created by the member."""
    _member_sql(
        m,
        f"""
        CREATE TABLE blobs (id INT PRIMARY KEY, data LONGBLOB) ENGINE=InnoDB;
        INSERT INTO blobs VALUES (1, RANDOM_BYTES(1024)), (2, NULL);
        INSERT INTO blobs SELECT 9, REPEAT(UNHEX(SHA2('nine', 256)), {9 * MIB // 32});
        INSERT INTO blobs SELECT 30, REPEAT(UNHEX(SHA2('thirty', 256)), {30 * MIB // 32});
        CREATE TABLE legacy (id INT PRIMARY KEY, name VARCHAR(80), note TEXT)
            ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci;
        INSERT INTO legacy VALUES (1, 'Fête à Noël', 'quote '' and \\\\ backslash'), (2, 'Ærøskøbing', '(1),(2)');
        CREATE TABLE posts (id INT PRIMARY KEY AUTO_INCREMENT, title VARCHAR(200), body MEDIUMTEXT,
                            at DATETIME(6)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
        INSERT INTO posts (title, body, at) VALUES
          ('Fête du vélo 🚲', 'line one\\nline two, with \\'),(\\' inside', '2026-05-01 10:00:00.123456'),
          ('日本語のタイトル', REPEAT('texte accentué éàü ', 500), NOW(6));
        INSERT INTO posts (title, body, at) SELECT CONCAT(title, id), body, at FROM posts;
        CREATE TABLE audit (post INT, what VARCHAR(20), FOREIGN KEY (post) REFERENCES posts(id)) ENGINE=InnoDB;
        CREATE TRIGGER posts_audit AFTER INSERT ON posts FOR EACH ROW INSERT INTO audit VALUES (NEW.id, 'insert');
        CREATE VIEW titles AS SELECT id, title FROM posts;
        CREATE VIEW long_titles AS SELECT id FROM titles WHERE CHAR_LENGTH(title) > 5;
        CREATE FUNCTION post_count() RETURNS INT READS SQL DATA RETURN (SELECT COUNT(*) FROM posts);
        CREATE PROCEDURE add_post(t VARCHAR(200)) INSERT INTO posts (title) VALUES (t);
        CREATE EVENT purge_audit ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM audit WHERE post < 0;
        CALL add_post('after the trigger');
        """,
    )


def _state(server: MariaDB, database: str) -> dict[str, str]:
    """Checksums of every table, and the definitions of views, triggers, routines and events."""
    out: dict[str, str] = {}
    q = rdb.sql_string(database)
    for t in server.root_sql(
        f"SELECT table_name FROM information_schema.tables WHERE table_schema = {q} AND table_type = 'BASE TABLE'"
    ).split():
        out[f"table {t}"] = server.root_sql(f"CHECKSUM TABLE `{database}`.`{t}` EXTENDED").split("\t")[1].strip()
        out[f"charset {t}"] = server.root_sql(
            f"SELECT table_collation FROM information_schema.tables WHERE table_schema = {q} AND table_name = '{t}'"
        ).strip()
    for kind, sql in (
        ("view", f"SELECT table_name, view_definition FROM information_schema.views WHERE table_schema = {q}"),
        (
            "trigger",
            "SELECT trigger_name, event_object_table, action_timing, event_manipulation, action_statement "
            f"FROM information_schema.triggers WHERE trigger_schema = {q}",
        ),
        (
            "routine",
            f"SELECT routine_name, routine_type, routine_definition FROM information_schema.routines "
            f"WHERE routine_schema = {q}",
        ),
        (
            "event",
            f"SELECT event_name, event_definition, status FROM information_schema.events WHERE event_schema = {q}",
        ),
    ):
        for line in server.root_sql(sql).splitlines():
            name, _, rest = line.partition("\t")
            out[f"{kind} {name}"] = rest
    return out


def _vandalise(server: MariaDB, database: str) -> None:
    server.root_sql(
        "DELETE FROM blobs WHERE id = 30; UPDATE legacy SET name = 'vandalised'; DROP VIEW long_titles;"
        "DROP TRIGGER posts_audit; DROP PROCEDURE add_post; DROP EVENT purge_audit; CREATE TABLE junk (x INT);",
        database=database,
    )


def test_large_rows_and_every_kind_of_object_restore_identical(platform: Platform) -> None:
    s, (m,) = platform.server, platform.members
    _fill(m)
    before = _state(s, m.database)
    assert {"table blobs", "table legacy", "view long_titles", "trigger posts_audit", "routine post_count",
            "routine add_post", "event purge_audit"} <= set(before)  # fmt: skip
    done = platform.dump()
    assert done.returncode == 0, done.stdout + done.stderr
    latest = m.dumps / f"{m.database}-latest.sql.zst"
    text = read_dump(latest)
    assert max(len(line) for line in text.splitlines()) > 60 * MIB, "the 30 MiB row is not one hex line"
    assert text.rstrip("\n").rsplit("\n", 1)[-1].startswith("-- Dump completed")

    _vandalise(s, m.database)
    assert _state(s, m.database) != before
    restored = platform.run("pic-db-restore", m.slug, m.database)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert _state(s, m.database) == before
    # the objects work, as the member
    assert s.root_sql("SELECT post_count();", database=m.database).strip() == "5"
    s.root_sql("CALL add_post('after the restore');", database=m.database)
    assert s.root_sql("SELECT COUNT(*) FROM audit;", database=m.database).strip() == "2"
    # nothing left behind: the scratch and old databases are gone, the content before is kept
    scratch, old = rdb.restore_databases(m.database)
    names = s.root_sql("SHOW DATABASES;").split()
    assert scratch not in names and old not in names, names
    saved = [f for f in m.dump_files() if "-before-restore-" in f]
    assert len(saved) == 1 and "vandalised" in read_dump(m.dumps / saved[0])


def test_old_gzip_dumps_are_restored(platform: Platform) -> None:
    s, (m,) = platform.server, platform.members
    s.root_sql("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20)); INSERT INTO t VALUES (1, 'a'), (2, 'b');",
               database=m.database)  # fmt: skip
    platform.write_job(compression="gzip")
    assert platform.dump().returncode == 0
    gz = m.dumps / f"{m.database}-latest.sql.gz"
    assert gz.exists() and not (m.dumps / f"{m.database}-latest.sql.zst").exists()
    before = _state(s, m.database)
    s.root_sql("DELETE FROM t;", database=m.database)
    platform.write_job()  # back to zstd: the restore still reads the gzip dump
    done = platform.run("pic-db-restore", m.slug, m.database, gz.name)
    assert done.returncode == 0, done.stderr
    assert _state(s, m.database) == before


def test_a_directory_at_the_newer_latest_name_neither_hides_the_older_dump_nor_is_loaded(platform: Platform) -> None:
    """A member's directory named DB-latest.sql.zst (members own db/): the gzip dump of the stack's format is
    the one loaded by default; with no such dump, the restore says the name is a directory (it said "no dump"
    of the gzip name, or took the directory for the dump)."""
    s, (m,) = platform.server, platform.members
    s.root_sql("CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1), (2);", database=m.database)
    platform.write_job(compression="gzip")
    assert platform.dump().returncode == 0
    before = _state(s, m.database)
    zst = m.dumps / f"{m.database}-latest.sql.zst"
    zst.mkdir()
    os.chown(zst, m.uid, m.uid)
    try:
        s.root_sql("DELETE FROM t;", database=m.database)
        done = platform.run("pic-db-restore", m.slug, m.database)
        assert done.returncode == 0, done.stderr
        assert _state(s, m.database) == before
        (m.dumps / f"{m.database}-latest.sql.gz").unlink()
        done = platform.run("pic-db-restore", m.slug, m.database)
        assert done.returncode != 0
        assert f"{zst} is a directory, not a dump" in done.stderr, done.stderr
    finally:
        zst.rmdir()


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 64):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def test_a_damaged_or_truncated_dump_is_refused_and_nothing_changes(platform: Platform) -> None:
    s, (m,) = platform.server, platform.members
    _fill(m)
    assert platform.dump().returncode == 0
    _vandalise(s, m.database)
    live = _state(s, m.database)
    dump = next(m.dumps / f for f in m.dump_files() if not f.startswith(f"{m.database}-latest"))
    text = read_dump(dump).encode()

    corrupt = m.dumps / f"{m.database}-20200101-000000.sql.zst"
    corrupt.write_bytes(dump.read_bytes())
    _corrupt(corrupt)
    truncated = m.dumps / f"{m.database}-20200101-000001.sql.zst"  # a valid frame, the text cut short
    truncated.write_bytes(subprocess.run(["zstd", "-q", "-1"], input=text[: len(text) // 2], capture_output=True,
                                         check=True).stdout)  # fmt: skip
    lost_row = m.dumps / f"{m.database}-20200101-000002.sql.zst"  # complete, but a CREATE TABLE is gone
    edited = text.replace(b"CREATE TABLE `legacy`", b"CREATE TEMPORARY TABLE `legacy`", 1)
    lost_row.write_bytes(subprocess.run(["zstd", "-q", "-1"], input=edited, capture_output=True, check=True).stdout)
    for f in (corrupt, truncated, lost_row):
        os.chown(f, m.uid, m.uid)
        done = platform.run("pic-db-restore", m.slug, m.database, f.name)
        assert done.returncode != 0, f"{f.name} was restored"
        assert "nothing changed" in done.stderr, done.stderr
        assert _state(s, m.database) == live, f"{f.name}: the live database changed"
        assert not [x for x in m.dump_files() if "-before-restore-" in x], "a refused dump still saved and swapped"


def test_a_restore_killed_while_loading_leaves_the_database_unchanged(platform: Platform) -> None:
    s, (m,) = platform.server, platform.members
    _fill(m)
    s.root_sql(
        "CREATE TABLE bulk (id INT PRIMARY KEY, pad VARCHAR(200)) ENGINE=InnoDB;"
        "INSERT INTO bulk SELECT seq, REPEAT(MD5(seq), 5) FROM seq_1_to_400000;",
        database=m.database,
    )
    assert platform.dump().returncode == 0
    _vandalise(s, m.database)
    live = _state(s, m.database)
    scratch, _ = rdb.restore_databases(m.database)
    restore = subprocess.Popen(
        [str(platform.base / "pic-db-restore"), m.slug, m.database],
        env=run_as_root_env() | {"PIC_DB_DUMP_CONF": str(platform.conf)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        # killed once the load into the scratch database has begun
        while time.monotonic() < deadline and restore.poll() is None:
            if (
                s.root_sql(f"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{scratch}'").strip()
                > "1"
            ):
                break
            time.sleep(0.02)
        assert restore.poll() is None, "the restore ended before it could be killed"
    finally:
        os.killpg(restore.pid, signal.SIGKILL)
        restore.wait()
    time.sleep(1)  # the server notices the dead connection
    assert _state(s, m.database) == live, "the live database changed"
    # the next restore starts over and completes
    done = platform.run("pic-db-restore", m.slug, m.database)
    assert done.returncode == 0, done.stderr
    assert "table bulk" in _state(s, m.database)
    assert "table junk" not in _state(s, m.database)


def test_a_dump_the_server_could_not_load_back_is_a_failed_reported_dump(platform: Platform) -> None:
    s, (m,) = platform.server, platform.members
    nine_mib = f"REPEAT(UNHEX(SHA2('x', 256)), {9 * MIB // 32})"
    s.root_sql(
        f"CREATE TABLE b (id INT PRIMARY KEY, data LONGBLOB); INSERT INTO b SELECT 1, {nine_mib};", database=m.database
    )
    s.root_sql(f"SET GLOBAL max_allowed_packet = {16 * MIB};")  # a server not configured by pic
    try:
        done = platform.dump()
    finally:
        s.root_sql(f"SET GLOBAL max_allowed_packet = {rdb.MAX_ALLOWED_PACKET};")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "could not be restored" in done.stderr
    assert m.dump_files() == [], "a dump that could not be restored was kept as good"
    mail = platform.mail.read_text()
    assert "Subject: [pic] database dumps failed on web1" in mail and m.database in mail
    assert platform.dump().returncode == 0, "with the server's setting the same dump is good"


def test_long_names_and_a_swap_left_halfway(server: MariaDB) -> None:
    """A database name too long for ``<db>-restore``: the script's shortened names are the ones
    the member is granted (else the restore could not create them). Then tables left in
    ``<db>-old`` by a swap that failed halfway stop the next restore before anything changes."""
    base = server.base / "web-long"
    (base / "members").mkdir(parents=True)
    for d in (base, base / "members"):
        d.chmod(0o755)
    slug = "association-des-amis-de-la-bibliotheque-libre-du-quartier"
    m = make_member(server, base, slug, next(_UIDS))
    assert len(m.database) > 56
    platform = Platform(server, base, [m])
    platform.write_job()
    _member_sql(m, "CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1), (2), (3);")
    assert platform.dump().returncode == 0
    _member_sql(m, "DELETE FROM t;")
    done = platform.run("pic-db-restore", m.slug, m.database)
    assert done.returncode == 0, done.stderr
    assert server.root_sql("SELECT COUNT(*) FROM t;", database=m.database).strip() == "3"

    _, old = rdb.restore_databases(m.database)
    server.root_sql(f"CREATE DATABASE `{old}`; CREATE TABLE `{old}`.t (id INT); INSERT INTO `{old}`.t VALUES (7);")
    _member_sql(m, "DELETE FROM t WHERE id = 1;")
    live = _state(server, m.database)
    done = platform.run("pic-db-restore", m.slug, m.database)
    assert done.returncode != 0
    assert "interrupted restore" in done.stderr and "nothing changed" in done.stderr, done.stderr
    assert _state(server, m.database) == live
    assert server.root_sql(f"SELECT * FROM `{old}`.t;").strip() == "7", "the tables left in -old were touched"


def test_a_latin1_base_restores_identical_and_its_saved_copy_is_whole(platform: Platform) -> None:
    """A legacy base (database_charsets: {main: latin1}: the member's option file connects in latin1)
    that holds utf8mb4 tables too (added by a newer plugin), and a trigger with text beyond latin1:
    the restore brings every byte and definition back, and the copy of the content before the
    restore keeps the characters latin1 lacks (never a '?' in their place)."""
    s, (m,) = platform.server, platform.members
    password = f"pw-{m.database}"
    cred = rdb.Credentials(m.database, m.database, password, "127.0.0.1", s.port, ca_file=s.ca, charset="latin1")
    m.cnf.write_text(rdb.member_my_cnf(cred))
    s.root_sql(
        """
        CREATE TABLE legacy (id INT PRIMARY KEY, name VARCHAR(80)) ENGINE=InnoDB DEFAULT CHARSET=latin1;
        INSERT INTO legacy VALUES (1, 'Fête à Noël'), (2, CONVERT(UNHEX('46C3AA7465') USING latin1));
        CREATE TABLE posts (id INT PRIMARY KEY, title VARCHAR(200)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
        INSERT INTO posts VALUES (1, 'Fête du vélo 🚲'), (2, '日本語のタイトル');
        CREATE TABLE audit (id INT, what VARCHAR(40)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
        CREATE TRIGGER posts_audit AFTER INSERT ON posts FOR EACH ROW INSERT INTO audit VALUES (NEW.id, 'nouveau 🚲');
        """,
        database=m.database,
    )
    before = _state(s, m.database)
    assert platform.dump().returncode == 0
    s.root_sql("UPDATE posts SET title = CONCAT(title, ' ✔ vandalised'); DELETE FROM legacy;", database=m.database)
    changed = _state(s, m.database)
    done = platform.run("pic-db-restore", m.slug, m.database)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _state(s, m.database) == before
    saved = next(f for f in m.dump_files() if "-before-restore-" in f)
    raw = subprocess.run(["zstd", "-dcq", "--", str(m.dumps / saved)], capture_output=True, check=True).stdout
    text = raw.decode("utf-8", errors="replace")
    posts = [line for line in text.splitlines() if "vandalised" in line]
    assert "✔ vandalised" in text and "🚲" in text and "日本語" in text, f"the saved copy lost characters: {posts}"
    # restoring the saved copy brings the content before the restore back, byte for byte
    done = platform.run("pic-db-restore", m.slug, m.database, saved)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _state(s, m.database) == changed


def test_a_restore_stopped_while_saving_leaves_no_partial_copy(platform: Platform) -> None:
    """A restore stopped (Ctrl-C, SIGTERM) while it saves the current content: the live database is
    unchanged, and no partial copy is left in the member's db/ (nothing else would ever remove it)."""
    s, (m,) = platform.server, platform.members
    _member_sql(m, "CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1), (2);")
    assert platform.dump().returncode == 0
    _member_sql(m, "DELETE FROM t WHERE id = 1;")
    live = _state(s, m.database)
    files = m.dump_files()
    slow = platform.base / "slow"
    slow.mkdir(mode=0o755)
    (slow / "mariadb-dump").write_text("#!/bin/sh\necho '-- MariaDB dump'\nexec sleep 60\n")
    (slow / "mariadb-dump").chmod(0o755)
    env = run_as_root_env() | {"PIC_DB_DUMP_CONF": str(platform.conf)}
    env["PATH"] = f"{slow}:{env['PATH']}"
    restore = subprocess.Popen([str(platform.base / "pic-db-restore"), m.slug, m.database], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not any(f.endswith(".part") for f in m.dump_files()):
            assert restore.poll() is None, restore.communicate()
            assert time.monotonic() < deadline, "the save never started"
            time.sleep(0.05)
    finally:
        os.killpg(restore.pid, signal.SIGTERM)
        restore.communicate(timeout=30)
    assert _state(s, m.database) == live
    assert m.dump_files() == files, "a partial copy of the database was left in the member's db/"


def test_a_sequence_and_the_table_that_draws_from_it_restore(platform: Platform) -> None:
    """A table whose default draws from a sequence (CREATE SEQUENCE, MariaDB 10.3+): the nightly dump
    said ok, yet no restore could load it ("Table 'seq' was not locked with LOCK TABLES"), neither
    pic-db-restore nor the member loading the dump with the mariadb client. Both load it now, and
    the sequence goes on from where it was."""
    s, (m,) = platform.server, platform.members
    _member_sql(
        m,
        """
        CREATE SEQUENCE seq_orders START WITH 100;
        CREATE TABLE orders (id INT PRIMARY KEY DEFAULT NEXTVAL(seq_orders), v INT) ENGINE=InnoDB;
        INSERT INTO orders (v) VALUES (1), (2), (3);
        """,
    )
    before = _state(s, m.database)
    assert platform.dump().returncode == 0
    latest = m.dumps / f"{m.database}-latest.sql.zst"
    # the member loads its dump into its database with the client, as the README says it may
    _member_sql(m, "DROP TABLE orders; DROP SEQUENCE seq_orders;")
    load = subprocess.run(f"zstd -dcq -- {latest} | mariadb --defaults-file={m.cnf} {m.database}", shell=True,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert load.returncode == 0, load.stderr
    assert _state(s, m.database) == before
    # and pic-db-restore, from this dump and from one of the earlier layout (LOCK TABLES around rows)
    old_layout = m.dumps / f"{m.database}-20200101-000000.sql.zst"
    text = read_dump(latest).replace("INSERT INTO `orders`", "LOCK TABLES `orders` WRITE;\nINSERT INTO `orders`", 1)
    text = text.replace("\n-- Dump completed", "\nUNLOCK TABLES;\n-- Dump completed", 1)
    old_layout.write_bytes(subprocess.run(["zstd", "-q", "-1"], input=text.encode(), capture_output=True,
                                          check=True).stdout)  # fmt: skip
    os.chown(old_layout, m.uid, m.uid)
    for dump in (latest.name, old_layout.name):
        s.root_sql("DELETE FROM orders WHERE id = 101; SELECT NEXTVAL(seq_orders);", database=m.database)
        done = platform.run("pic-db-restore", m.slug, m.database, dump)
        assert done.returncode == 0, done.stdout + done.stderr
        assert _state(s, m.database) == before, dump
    s.root_sql("INSERT INTO orders (v) VALUES (4);", database=m.database)
    ids = s.root_sql("SELECT id FROM orders ORDER BY id;", database=m.database).split()
    assert ids[:3] == ["100", "101", "102"] and int(ids[3]) > 102, ids
    names = s.root_sql("SHOW DATABASES;").split()
    assert not [n for n in names if n.startswith(m.database) and n != m.database], names


def test_system_versioned_tables_keep_their_history(platform: Platform) -> None:
    """A table WITH SYSTEM VERSIONING keeps every former version of its rows: the member's data as
    much as the current rows. The nightly dump kept the current rows only (history silently lost)
    and no restore could load any such table ("table ... was not created"). Now the history is
    dumped and restored; a database with a transaction-precise table, whose history mariadb-dump
    cannot write, is dumped without history, and the table named as a warning."""
    s, (m,) = platform.server, platform.members
    _member_sql(
        m,
        """
        CREATE TABLE prices (id INT PRIMARY KEY, p INT) ENGINE=InnoDB WITH SYSTEM VERSIONING;
        INSERT INTO prices VALUES (1, 10), (2, 20);
        UPDATE prices SET p = 11 WHERE id = 1;
        UPDATE prices SET p = 12 WHERE id = 1;
        DELETE FROM prices WHERE id = 2;
        """,
    )

    def history() -> str:
        return s.root_sql(
            "SELECT id, p, row_start, row_end FROM prices FOR SYSTEM_TIME ALL ORDER BY row_start, id;",
            database=m.database,
        )

    before, versions = _state(s, m.database), history()
    assert len(versions.splitlines()) == 4  # 10, 11, 12 of row 1; 20 of row 2, deleted
    done = platform.dump()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning" not in done.stdout, done.stdout
    s.root_sql("DELETE HISTORY FROM prices; UPDATE prices SET p = 0;", database=m.database)
    done = platform.run("pic-db-restore", m.slug, m.database)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _state(s, m.database) == before
    assert history() == versions, "the history of a system-versioned table was lost"
    # the content saved before the restore holds the history too: restoring it brings it back
    saved = next(f for f in m.dump_files() if "-before-restore-" in f)
    assert "system_versioning_insert_history=1" in read_dump(m.dumps / saved)

    _member_sql(
        m,
        """
        CREATE TABLE trx (id INT PRIMARY KEY, p INT,
            rs BIGINT UNSIGNED AS ROW START INVISIBLE, re BIGINT UNSIGNED AS ROW END INVISIBLE,
            PERIOD FOR SYSTEM_TIME(rs, re)) ENGINE=InnoDB WITH SYSTEM VERSIONING;
        INSERT INTO trx (id, p) VALUES (1, 1);
        UPDATE trx SET p = 2;
        """,
    )
    before = _state(s, m.database)
    time.sleep(1.1)  # the next dump gets another name
    done = platform.dump()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "history of the system-versioned tables not dumped: `trx`" in done.stdout, done.stdout
    status = platform.run("pic-db-dump", "--status").stdout
    assert "warning: history of the system-versioned tables not dumped: `trx`" in status, status
    s.root_sql("UPDATE trx SET p = 0; UPDATE prices SET p = 0;", database=m.database)
    done = platform.run("pic-db-restore", m.slug, m.database)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _state(s, m.database) == before


def test_the_row_check_holds_for_a_database_of_many_tables(platform: Platform) -> None:
    """A database of many tables (a WordPress multisite: a dozen per site): the row check of the
    restore is one query naming them all, longer than a program argument may be (128 KiB). It ran
    no query then, and so found no fault: a dump missing rows was loaded as checked."""
    s, (m,) = platform.server, platform.members
    prefix = "wp_site_with_a_rather_long_table_prefix_for_a_long_query__"  # 62 of 64 characters with the number
    s.root_sql(
        "".join(f"CREATE TABLE {prefix}{i:04d} (id INT PRIMARY KEY) ENGINE=InnoDB;" for i in range(700))
        + f"INSERT INTO {prefix}0000 VALUES (1), (2), (3); INSERT INTO {prefix}0699 VALUES (1), (2);",
        database=m.database,
    )
    assert platform.dump().returncode == 0
    live = _state(s, m.database)
    latest = m.dumps / f"{m.database}-latest.sql.zst"
    text = read_dump(latest)
    # a row of the last table deleted by a line added to the dump (complete, and loaded without error)
    edited = text.replace("\n-- Dump completed", f"\nDELETE FROM `{prefix}0699` WHERE id = 2;\n-- Dump completed", 1)
    assert edited != text
    bad = m.dumps / f"{m.database}-20200101-000000.sql.zst"
    bad.write_bytes(subprocess.run(["zstd", "-q", "-1"], input=edited.encode(), capture_output=True,
                                   check=True).stdout)  # fmt: skip
    os.chown(bad, m.uid, m.uid)
    done = platform.run("pic-db-restore", m.slug, m.database, bad.name)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"table {prefix}0699 holds 1 rows, the dump 2" in done.stderr, done.stderr
    assert _state(s, m.database) == live
    done = platform.run("pic-db-restore", m.slug, m.database)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _state(s, m.database) == live


def test_names_holding_a_backslash_or_a_tab_restore(platform: Platform) -> None:
    """A table, view, trigger or routine whose name holds a backslash or a tab (a\\b): the client lists it
    escaped (a\\\\b), so the restore found no such table ("table a\\b was not created") and no dump of such
    a database could ever be restored, while every nightly dump said ok. Names are read as they are now."""
    s, (m,) = platform.server, platform.members
    _member_sql(
        m,
        """
        CREATE TABLE `a\\b` (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB;
        CREATE TABLE `tab\tname` (id INT PRIMARY KEY) ENGINE=InnoDB;
        INSERT INTO `a\\b` VALUES (1, 'x'), (2, 'y'); INSERT INTO `tab\tname` VALUES (7);
        CREATE VIEW `v\\w` AS SELECT id FROM `a\\b`;
        CREATE TRIGGER `tr\\g` BEFORE INSERT ON `a\\b` FOR EACH ROW SET NEW.v = UPPER(NEW.v);
        CREATE PROCEDURE `p\\q`() SELECT 1;
        """,
    )

    def state() -> str:
        return s.root_sql(
            "SELECT GROUP_CONCAT(id, v ORDER BY id) FROM `a\\b`; SELECT GROUP_CONCAT(id) FROM `tab\tname`;"
            "SELECT GROUP_CONCAT(id ORDER BY id) FROM `v\\w`;"
            "SELECT GROUP_CONCAT(trigger_name, action_statement) FROM information_schema.triggers "
            "WHERE trigger_schema = DATABASE();"
            "SELECT GROUP_CONCAT(routine_name) FROM information_schema.routines WHERE routine_schema = DATABASE();",
            database=m.database,
        )

    before = state()
    assert "tr\\\\g" in before and "p\\\\q" in before, before  # as the client escapes them
    done = platform.dump()
    assert done.returncode == 0, done.stdout + done.stderr
    s.root_sql("DELETE FROM `a\\b` WHERE id = 2; DELETE FROM `tab\tname`; DROP PROCEDURE `p\\q`;", database=m.database)
    changed = state()
    done = platform.run("pic-db-restore", m.slug, m.database)
    assert done.returncode == 0, done.stdout + done.stderr
    assert state() == before
    # the content saved first restores too, replacing the trigger, the view and the routine of the names
    saved = next(f for f in m.dump_files() if "-before-restore-" in f)
    done = platform.run("pic-db-restore", m.slug, m.database, saved)
    assert done.returncode == 0, done.stdout + done.stderr
    assert state() == changed
    names = s.root_sql("SHOW DATABASES;").split()
    assert not [n for n in names if n.startswith(m.database) and n != m.database], names


def test_a_swap_whose_objects_cannot_be_read_changes_nothing(platform: Platform) -> None:
    """The swap drops the database's triggers, views, routines and events, then makes them again from a dump of
    the checked copy. When that dump failed (a lost connection, a server restarting), the restore went on all
    the same: the tables were swapped, the triggers and routines gone, and it said "restored". It stops now,
    before the swap, with nothing changed."""
    s, (m,) = platform.server, platform.members
    _member_sql(
        m,
        """
        CREATE TABLE posts (id INT PRIMARY KEY, title VARCHAR(20)) ENGINE=InnoDB;
        INSERT INTO posts VALUES (1, 'a'), (2, 'b');
        CREATE TRIGGER posts_upper BEFORE INSERT ON posts FOR EACH ROW SET NEW.title = UPPER(NEW.title);
        CREATE PROCEDURE add_post(i INT) INSERT INTO posts VALUES (i, 'p');
        CREATE VIEW titles AS SELECT title FROM posts;
        """,
    )
    assert platform.dump().returncode == 0
    s.root_sql("DELETE FROM posts WHERE id = 2;", database=m.database)
    live = _state(s, m.database)
    bin_dir = platform.base / "bin"  # where the member's uid reaches it
    bin_dir.mkdir(mode=0o755)
    fake = bin_dir / "mariadb-dump"
    fake.write_text(
        "#!/bin/bash\n"
        'for a in "$@"; do [[ $a != --no-create-info && $a != --skip-triggers ]] || '
        '{ echo "mariadb-dump: Got error: 2013: Lost connection to server" >&2; exit 2; }; done\n'
        'exec /usr/bin/mariadb-dump "$@"\n'
    )
    fake.chmod(0o755)
    done = platform.run("pic-db-restore", m.slug, m.database, path_first=bin_dir)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "could not prepare the swap" in done.stderr and "Lost connection" in done.stderr, done.stderr
    assert "nothing changed" in done.stderr, done.stderr
    assert _state(s, m.database) == live
    names = s.root_sql("SHOW DATABASES;").split()
    assert not [n for n in names if n.startswith(m.database) and n != m.database], names
    done = platform.run("pic-db-restore", m.slug, m.database)
    assert done.returncode == 0, done.stdout + done.stderr
    assert s.root_sql("SELECT COUNT(*) FROM posts", database=m.database).strip() == "2"

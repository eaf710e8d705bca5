"""The database endpoint of the web hosts (pic/dbendpoint.py) against a real MariaDB (TLS on, the
platform's server settings, member accounts REQUIRE SSL), run as installed: Debian's python3
running the file. PHP's mysqli and PDO connect through it with host, user, password and
database only; the server sees TLS; a wrong CA, a server without TLS, a client asking for TLS
and too many connections are refused with an ERR packet the client shows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shlex
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pic import dbendpoint as de
from pic.check import check
from pic.render import db as rdb
from pic.render import web
from tests.conftest import MEMBERS, ROOT, require_program, require_root
from tests.helpers import free_port
from tests.mariadb_server import (
    BACKUP_PASSWORD,
    LOOPBACK,
    Endpoint,
    MariaDB,
    cleanup,
    make_member,
    make_tls,
    start_endpoint,
    start_mariadb,
)

pytestmark = pytest.mark.daemon

# A PHP client with no TLS code: what WordPress's wpdb and most applications do.
PHP_CLIENT = r"""<?php
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
$e = getenv();
$out = [];
try {
    $m = new mysqli($e['DB_HOST'], $e['DB_USER'], $e['DB_PASSWORD'], $e['DB_NAME'], (int) $e['DB_PORT']);
    $out['mysqli'] = $m->query("SHOW SESSION STATUS LIKE 'Ssl_cipher'")->fetch_row()[1];
    $out['user'] = $m->query('SELECT CURRENT_USER()')->fetch_row()[0];
} catch (mysqli_sql_exception $x) {
    $out['mysqli_error'] = [$x->getCode(), $x->getMessage()];
}
try {
    $dsn = 'mysql:host=' . $e['DB_HOST'] . ';port=' . $e['DB_PORT'] . ';dbname=' . $e['DB_NAME'] . ';charset=utf8mb4';
    $p = new PDO($dsn, $e['DB_USER'], $e['DB_PASSWORD'], [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
    $out['pdo'] = $p->query("SHOW SESSION STATUS LIKE 'Ssl_version'")->fetch(PDO::FETCH_NUM)[1];
    $p->exec('CREATE TABLE IF NOT EXISTS t (v TEXT)');
    $p->exec("INSERT INTO t VALUES ('été ✓')");
    $out['roundtrip'] = $p->query('SELECT v FROM t LIMIT 1')->fetchColumn();
} catch (PDOException $x) {
    $out['pdo_error'] = $x->getMessage();
}
echo json_encode($out);
"""


@pytest.fixture(scope="module")
def server() -> Iterator[MariaDB]:
    for program in ("mariadbd", "mariadb-install-db", "mariadb", "openssl", "php", "/usr/bin/python3"):
        require_program(program)
    require_root("mariadbd runs as root with --user=root, as the db daemon tests do")
    s = start_mariadb()
    s.root_sql(rdb.backup_account_sql(LOOPBACK, BACKUP_PASSWORD))
    yield s
    cleanup(s)


@pytest.fixture(scope="module")
def account(server: MariaDB) -> tuple[str, str]:
    """A member database and its REQUIRE SSL user bound to 127.0.0.1: (name, password)."""
    base = server.base / "web"
    base.mkdir(exist_ok=True)
    m = make_member(server, base, "asso-endpoint", 23001)
    return m.database, f"pw-{m.database}"


@pytest.fixture
def endpoint(server: MariaDB, tmp_path: Path) -> Iterator[Endpoint]:
    e = start_endpoint(server, tmp_path / "endpoint.log")
    yield e
    e.stop()


def php(endpoint: Endpoint, user: str, password: str, database: str, tmp_path: Path) -> dict[str, Any]:
    script = tmp_path / "client.php"
    script.write_text(PHP_CLIENT)
    env = {
        "DB_HOST": endpoint.host,
        "DB_PORT": str(endpoint.port),
        "DB_USER": user,
        "DB_PASSWORD": password,
        "DB_NAME": database,
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        ["php", str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_php_without_tls_code_connects_and_the_server_sees_tls(
    endpoint: Endpoint, account: tuple[str, str], tmp_path: Path
) -> None:
    database, password = account
    out = php(endpoint, database, password, database, tmp_path)
    assert out.get("mysqli", "").startswith("TLS_"), out
    assert out.get("pdo") in ("TLSv1.2", "TLSv1.3"), out
    assert out["user"] == f"{database}@127.0.0.1"
    assert out["roundtrip"] == "été ✓"
    log = endpoint.stop()
    assert password not in log


def test_a_direct_plain_connection_is_refused_by_the_server(
    server: MariaDB, account: tuple[str, str], tmp_path: Path
) -> None:
    """The member's account stays REQUIRE SSL: without the endpoint, plain text is refused."""
    database, password = account
    done = subprocess.run(
        ["mariadb", "--no-defaults", "--skip-ssl", "-h127.0.0.1", f"-P{server.port}", f"-u{database}",
         f"-p{password}", "-e", "SELECT 1"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert "secure transport" in done.stderr or "Access denied" in done.stderr, done.stderr


def test_wrong_password_gives_the_servers_error(endpoint: Endpoint, account: tuple[str, str], tmp_path: Path) -> None:
    database, _ = account
    out = php(endpoint, database, "not-the-password", database, tmp_path)
    code, message = out["mysqli_error"]
    assert code == 1045
    assert f"Access denied for user '{database}'@'127.0.0.1'" in message
    assert "Access denied" in str(out["pdo_error"])


def mariadb_cli(endpoint: Endpoint, user: str, password: str, sql: str) -> subprocess.CompletedProcess[str]:
    """The mariadb client (libmariadb, which has the client_ed25519 plugin; PHP's mysqlnd has not), no TLS."""
    return subprocess.run(
        ["mariadb", "--no-defaults", "--skip-ssl", "-N", "-B", f"-h{endpoint.host}", f"-P{endpoint.port}",
         f"-u{user}", f"-p{password}", "-e", sql],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip


def test_ed25519_account(server: MariaDB, endpoint: Endpoint, account: tuple[str, str]) -> None:
    """An account with MariaDB's ed25519 plugin: the authentication switch goes through."""
    database, _ = account
    if "ed25519" not in server.root_sql("SHOW PLUGINS"):
        server.root_sql("INSTALL SONAME 'auth_ed25519';")
    server.root_sql(
        "CREATE USER IF NOT EXISTS 'edwards'@'127.0.0.1' IDENTIFIED VIA ed25519 USING PASSWORD('ed-Secret-1') "
        f"REQUIRE SSL; GRANT ALL ON `{database}`.* TO 'edwards'@'127.0.0.1';"
    )
    done = mariadb_cli(
        endpoint, "edwards", "ed-Secret-1", "SELECT CURRENT_USER(); SHOW SESSION STATUS LIKE 'Ssl_cipher'"
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "edwards@127.0.0.1"
    assert lines[1].startswith("Ssl_cipher\tTLS_"), lines
    bad = mariadb_cli(endpoint, "edwards", "wrong", "SELECT 1")
    assert bad.returncode != 0 and "ERROR 1045" in bad.stderr, bad.stderr


def test_native_password_account(server: MariaDB, endpoint: Endpoint, account: tuple[str, str], tmp_path: Path) -> None:
    database, _ = account
    server.root_sql(
        "CREATE USER IF NOT EXISTS 'native'@'127.0.0.1' IDENTIFIED VIA mysql_native_password "
        f"USING PASSWORD('native-Secret-1') REQUIRE SSL; GRANT ALL ON `{database}`.* TO 'native'@'127.0.0.1';"
    )
    out = php(endpoint, "native", "native-Secret-1", database, tmp_path)
    assert out["user"] == "native@127.0.0.1", out
    assert out.get("pdo") in ("TLSv1.2", "TLSv1.3"), out


def test_wrong_ca_fails_and_says_so(server: MariaDB, account: tuple[str, str], tmp_path: Path) -> None:
    other = tmp_path / "other-ca"
    make_tls(other)
    endpoint = start_endpoint(server, tmp_path / "endpoint.log", ca=str(other / "ca.pem"))
    try:
        database, password = account
        out = php(endpoint, database, password, database, tmp_path)
    finally:
        log = endpoint.stop()
    code, message = out["mysqli_error"]
    assert code == de.ER_HANDSHAKE_ERROR
    assert "TLS to the database server failed" in message and "certificate verify failed" in message
    assert "certificate verify failed" in log
    assert password not in log


def test_wrong_server_name_fails(server: MariaDB, account: tuple[str, str], tmp_path: Path) -> None:
    """The certificate names 127.0.0.1; the endpoint told to expect another name refuses it."""
    endpoint = start_endpoint(server, tmp_path / "endpoint.log", server_name="db.example.org")
    try:
        database, password = account
        out = php(endpoint, database, password, database, tmp_path)
    finally:
        endpoint.stop()
    assert "TLS to the database server failed" in out["mysqli_error"][1]


def test_server_without_tls_is_refused(tmp_path: Path) -> None:
    require_root("mariadbd runs as root")
    plain = start_mariadb(tls=False)
    try:
        plain.root_sql("CREATE USER 'open'@'127.0.0.1' IDENTIFIED BY 'open-Secret-1';")
        endpoint = start_endpoint(plain, tmp_path / "endpoint.log")
        try:
            out = php(endpoint, "open", "open-Secret-1", "mysql", tmp_path)
        finally:
            log = endpoint.stop()
    finally:
        cleanup(plain)
    assert "offers no TLS" in out["mysqli_error"][1], out
    assert "offers no TLS" in str(out["pdo_error"])
    assert "offers no TLS" in log


def read_packet(sock: socket.socket) -> tuple[int, bytes]:
    header = sock.recv(4, socket.MSG_WAITALL)
    assert len(header) == 4, header
    length = int.from_bytes(header[:3], "little")
    return header[3], sock.recv(length, socket.MSG_WAITALL)


def test_client_asking_for_tls_gets_an_err_packet(endpoint: Endpoint) -> None:
    with socket.create_connection((endpoint.host, endpoint.port), timeout=10) as sock:
        seq, greeting = read_packet(sock)
        assert seq == 0
        _, caps = de.greeting_capabilities(greeting)
        assert not caps & de.CLIENT_SSL, "the greeting to the client offers no TLS"
        request = (de.CLIENT_PROTOCOL_41 | de.CLIENT_SSL).to_bytes(4, "little") + bytes(28)
        sock.sendall(de.packet(1, request))
        seq, answer = read_packet(sock)
    assert seq == 2
    assert answer[0] == 0xFF and int.from_bytes(answer[1:3], "little") == de.ER_HANDSHAKE_ERROR
    assert b"TLS is carried by the database endpoint" in answer


def test_connection_limit_and_handshake_timeout(server: MariaDB, tmp_path: Path) -> None:
    endpoint = start_endpoint(server, tmp_path / "endpoint.log", extra=("--max-connections=1", "--handshake-timeout=1"))
    try:
        with socket.create_connection((endpoint.host, endpoint.port), timeout=10) as first:
            read_packet(first)  # the greeting: this one holds the only slot
            with socket.create_connection((endpoint.host, endpoint.port), timeout=10) as second:
                _, refused = read_packet(second)
            assert refused[0] == 0xFF and int.from_bytes(refused[1:3], "little") == de.ER_CON_COUNT_ERROR
            started = time.monotonic()
            _, timed_out = read_packet(first)  # says nothing: dropped after the handshake timeout
            assert b"timed out" in timed_out
            assert time.monotonic() - started < 5
    finally:
        log = endpoint.stop()
    assert "Too many connections" in log and "timed out" in log


def test_greeting_rewrite_keeps_everything_but_client_ssl() -> None:
    greeting = bytes([10]) + b"5.5.5-10.11.6-MariaDB\0" + bytes(4) + b"scramble" + b"\0"
    greeting += (0xFFFF).to_bytes(2, "little") + b"\x2d" + b"\x02\x00" + (0x81BF).to_bytes(2, "little") + b"rest"
    offset, caps = de.greeting_capabilities(greeting)
    assert caps & de.CLIENT_SSL
    out = de.without_ssl(greeting)
    assert len(out) == len(greeting)
    assert de.greeting_capabilities(out)[1] == caps & ~de.CLIENT_SSL
    assert out[:offset] == greeting[:offset] and out[offset + 2 :] == greeting[offset + 2 :]
    with pytest.raises(de.EndpointError, match="truncated"):
        de.greeting_capabilities(greeting[:20])


@contextlib.contextmanager
def rendered_unit_running(
    tmp_path: Path, *, server_address: str, server_port: int, ca_file: str
) -> Iterator[tuple[Endpoint, str]]:
    """ExecStart of pic-db-endpoint.service, as rendered for a web host, run as is (the program placed
    where the unit says: a copy of the rendered text, as the host receives it), until it listens on
    127.0.0.1; yields it and the ExecStart line; stopped on exit."""
    program = tmp_path / "pic-db-endpoint"
    program.write_text(rdb.endpoint_program())
    program.chmod(0o755)
    port = free_port()
    unit = rdb.endpoint_service(
        listen_address="127.0.0.1",
        server_address=server_address,
        server_port=server_port,
        server_name=server_address,
        ca_file=ca_file,
        program=str(program),
        port=port,
    )
    exec_start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    log = tmp_path / "unit.log"
    with log.open("wb") as err:
        process = subprocess.Popen(shlex.split(exec_start.removeprefix("ExecStart=")), stderr=err)
    try:
        deadline = time.monotonic() + 30
        while "listening on" not in log.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(0.05)
        yield Endpoint(process, "127.0.0.1", port, log), exec_start
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_rendered_unit_runs_the_endpoint(server: MariaDB, account: tuple[str, str], tmp_path: Path) -> None:
    with rendered_unit_running(tmp_path, server_address="127.0.0.1", server_port=server.port, ca_file=server.ca) as (
        endpoint,
        _,
    ):
        database, password = account
        out = php(endpoint, database, password, database, tmp_path)
    assert out.get("mysqli", "").startswith("TLS_"), out


def test_the_web_hosts_firewall_lets_the_containers_reach_the_endpoint() -> None:
    """The setup's nftables ruleset, checked by nft in a network namespace of its own: the
    endpoint's port is open from the containers' network to the bridge address only."""
    nft = require_program("nft")
    require_program("unshare")
    require_root("nft -c needs a network namespace")
    settings = check(ROOT, "prod", MEMBERS, dt.date(2026, 6, 1)).settings
    setup = web.render_web_host_setup(settings, "web1")
    ruleset = setup.split("<<'PIC_NFT_EOF'\n", 1)[1].split("PIC_NFT_EOF\n", 1)[0]
    rule = f"ip saddr {web.NETWORK_SUBNET} ip daddr {web.NETWORK_GATEWAY} tcp dport {rdb.ENDPOINT_PORT} accept"
    assert rule in ruleset
    ruleset = ruleset.replace('include "/etc/nftables.d/pic-isolation.nft"\n', "")
    done = subprocess.run(
        ["unshare", "-n", nft, "-c", "-f", "-"], input=ruleset, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("value", "said"),
    [
        # an address alone as much as an address and a port (Python's ipaddress reads both): both told
        (
            "2001:db8::5:25",
            "'2001:db8::5:25': an IPv6 address without brackets, read two ways: 2001:db8::5:25 alone, with no port, "
            "or 2001:db8::5 and port 25: write [2001:db8::5]:25, or [2001:db8::5:25]:PORT with the port meant",
        ),
        (
            "2001:db8:0:0:0:0:0:5:3306",
            "'2001:db8:0:0:0:0:0:5:3306': an IPv6 address without brackets: write [2001:db8::5]:3306",
        ),
    ],
)
def test_an_ipv6_address_and_a_port_without_brackets_is_told_how_it_reads(value: str, said: str) -> None:
    """pic-db-endpoint --server 2001:db8::5:25 was told 'expected ADDRESS:PORT, an IPv6 address in brackets
    ([v6]:PORT)', a template, as pic:smtp.host_relay was: each reading told, the address in brackets written."""
    import argparse

    with pytest.raises(argparse.ArgumentTypeError) as refused:
        de.host_port(value)
    assert str(refused.value) == said
    assert de.host_port("[2001:db8::5]:25") == ("2001:db8::5", 25)

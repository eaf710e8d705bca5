"""The test harness's MariaDB (tests/mariadb_server.py) after a killed test run: a server that run left listening
on the port a test asks for is stopped, and any other process there is named, rather than mariadbd exiting with
``Address already in use`` (the containers' tests use the database host's fixed port, 3306)."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import require_program, require_root
from tests.helpers import free_port
from tests.mariadb_server import cleanup, start_mariadb


@pytest.fixture(autouse=True)
def _programs() -> None:
    require_root("mariadbd runs as root with --user=root")
    for program in ("mariadbd", "mariadb-install-db", "mariadb-admin", "ss"):
        require_program(program)


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _start_orphan(defaults_file: Path, port: int) -> None:
    """Start mariadbd with ``defaults_file`` as a killed run leaves one: its parent gone (init's child); wait until
    it listens on ``port``."""
    subprocess.run(["setsid", "sh", "-c", f"mariadbd --defaults-file={defaults_file} >/dev/null 2>&1 &"], check=True)
    deadline = time.monotonic() + 60
    while not _listening(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _listening(port), f"mariadbd --defaults-file={defaults_file} did not start"


def test_a_server_left_by_a_killed_run_is_stopped_and_the_port_taken(tmp_path: Path) -> None:
    port = free_port()
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
    first = start_mariadb(tmp_path / "first", port=port, secure_transport=False, tls=False)
    first.stop()
    # the same server started again as a killed run leaves it: its parent gone, so init's child
    _start_orphan(first.base / "my.cnf", port)
    second = start_mariadb(tmp_path / "second", port=port, secure_transport=False, tls=False)
    try:
        assert second.root_sql("SELECT @@datadir;").strip() == f"{tmp_path / 'second' / 'data'}/"
    finally:
        cleanup(second)


def test_another_process_on_the_port_is_named_and_left_running(tmp_path: Path) -> None:
    port = free_port()
    (tmp_path / "db").mkdir()
    with socket.socket() as other:
        other.bind(("127.0.0.1", port))
        other.listen()
        with pytest.raises(RuntimeError) as raised:
            start_mariadb(tmp_path / "db", port=port, secure_transport=False, tls=False)
        assert _listening(port)
    message = str(raised.value)
    assert f"TCP port {port} is already taken by process" in message, message
    assert "python" in message, message


def test_another_server_of_its_own_defaults_file_is_named_and_left_running(tmp_path: Path) -> None:
    """An orphaned mariadbd given a my.cnf of its own (a service's, /etc/mysql/my.cnf, whose datadir is elsewhere)
    is not one this module left: its datadir is not the data directory next to that my.cnf."""
    port = free_port()
    for name in ("first", "etc", "db"):
        (tmp_path / name).mkdir()
    first = start_mariadb(tmp_path / "first", port=port, secure_transport=False, tls=False)
    first.stop()
    (tmp_path / "etc" / "my.cnf").write_text(f"!include {first.base / 'my.cnf'}\n")
    _start_orphan(tmp_path / "etc" / "my.cnf", port)
    try:
        try:
            server = start_mariadb(tmp_path / "db", port=port, secure_transport=False, tls=False)
        except RuntimeError as err:
            message = str(err)
        else:
            cleanup(server)
            pytest.fail("the other server was stopped")
        assert _listening(port)
        assert f"TCP port {port} is already taken by process" in message, message
        assert f"mariadbd --defaults-file={tmp_path / 'etc' / 'my.cnf'}" in message, message
    finally:
        subprocess.run(
            ["mariadb-admin", "--no-defaults", "-S", str(first.socket_path), "-uroot", "shutdown"], check=False
        )

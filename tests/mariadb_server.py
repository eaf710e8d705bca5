"""A real MariaDB server for tests and benchmarks: on 127.0.0.1, a free port, a temporary datadir,
TLS from a throw-away CA (made with openssl, as pulumi-tls makes the real one), and the server
settings rendered by :func:`pic.render.db.server_cnf`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from pic.render import db as rdb


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_tls(directory: Path, ip: str = "127.0.0.1") -> None:
    """ca.pem, server.pem and server-key.pem in ``directory``: an EC CA and a server cert for ``ip``."""
    directory.mkdir(parents=True, exist_ok=True)

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca-key.pem")
    run("req", "-x509", "-new", "-key", "ca-key.pem", "-days", "2", "-subj", "/CN=pic test db CA", "-out", "ca.pem")
    run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "server-key.pem")
    run("req", "-new", "-key", "server-key.pem", "-subj", "/CN=db", "-out", "server.csr")
    (directory / "ext.cnf").write_text(f"subjectAltName=IP:{ip}\nextendedKeyUsage=serverAuth\n")
    run(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
        "-days", "2", "-extfile", "ext.cnf", "-out", "server.pem",
    )  # fmt: skip
    for name in ("ca.pem", "server.pem"):
        (directory / name).chmod(0o644)


@dataclass
class MariaDB:
    """A running server; ``root_sql`` talks to it as root over its socket."""

    base: Path
    port: int
    process: subprocess.Popen[bytes]
    socket_path: Path
    tls_dir: Path
    log: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def ca(self) -> str:
        return str(self.tls_dir / "ca.pem")

    def root_sql(self, sql: str, *, database: str | None = None) -> str:
        args = [
            "mariadb",
            "--no-defaults",
            "-S",
            str(self.socket_path),
            "-uroot",
            "-N",
            "-B",
            "--default-character-set=utf8mb4",
        ]
        if database:
            args.append(database)
        done = subprocess.run(args, input=sql, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise AssertionError(f"root SQL failed: {done.stderr}\n--- SQL:\n{sql}")
        return done.stdout

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_mariadb(base: Path | None = None, *, buffer_pool: str = "128M") -> MariaDB:
    """Install a datadir and start mariadbd (as root with --user=root) with the rendered server config."""
    base = base or Path(tempfile.mkdtemp(prefix="pic-mariadb-"))
    base.chmod(0o755)
    datadir, run_dir, tls_dir = base / "data", base / "run", base / "tls"
    run_dir.mkdir(parents=True, exist_ok=True)
    make_tls(tls_dir)
    port = free_port()
    (base / "pic.cnf").write_text(rdb.server_cnf("127.0.0.1", port, str(tls_dir)))
    sock, log = run_dir / "mysqld.sock", base / "mariadbd.err"
    (base / "my.cnf").write_text(
        "[mariadbd]\n"
        f"datadir = {datadir}\nsocket = {sock}\npid-file = {run_dir / 'mysqld.pid'}\n"
        f"log-error = {log}\nuser = root\ninnodb-buffer-pool-size = {buffer_pool}\n"
        "innodb-flush-log-at-trx-commit = 2\nskip-log-bin\n"
        f"!include {base / 'pic.cnf'}\n"
    )
    subprocess.run(
        ["mariadb-install-db", "--no-defaults", f"--datadir={datadir}", "--user=root", "--skip-test-db",
         "--auth-root-authentication-method=socket"],
        check=True, capture_output=True,
    )  # fmt: skip
    process = subprocess.Popen(
        ["mariadbd", f"--defaults-file={base / 'my.cnf'}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    server = MariaDB(base, port, process, sock, tls_dir, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"mariadbd exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        ping = subprocess.run(
            ["mariadb-admin", "--no-defaults", "-S", str(sock), "-uroot", "ping"], capture_output=True, check=False
        )
        if ping.returncode == 0:
            return server
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"mariadbd did not answer within 60 s:\n{log.read_text(errors='replace')}")


def cleanup(server: MariaDB) -> None:
    server.stop()
    shutil.rmtree(server.base, ignore_errors=True)


def run_as_root_env() -> dict[str, str]:
    """The environment for the dump and restore scripts: a plain PATH with the sbin directories."""
    return {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"} | {
        k: v for k, v in os.environ.items() if k in ("TMPDIR",)
    }

"""A real MariaDB server for tests and benchmarks: on 127.0.0.1, a free port, a temporary datadir,
TLS from a throw-away CA (made with openssl, as pulumi-tls makes the real one), and the server
settings rendered by :func:`pic.render.db.server_cnf`.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from pic.render import db as rdb
from tests.helpers import free_port


def read_dump(path: Path) -> str:
    """The SQL text of a dump file, zstd (``.zst``) or gzip (``.gz``), decompressed by the real tools."""
    tool = ["zstd", "-dcq"] if path.name.endswith(".zst") else ["gzip", "-dc"]
    done = subprocess.run([*tool, "--", str(path)], capture_output=True, check=True)
    return done.stdout.decode()


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


def start_mariadb(
    base: Path | None = None,
    *,
    buffer_pool: str = "128M",
    secure_transport: bool = True,
    address: str = "127.0.0.1",
    port: int | None = None,
    netns: str | None = None,
    tls: bool = True,
) -> MariaDB:
    """Install a datadir and start mariadbd (as root with --user=root) with the rendered server config.

    ``secure_transport=False`` overrides its ``require-secure-transport`` (plain TCP allowed
    server-wide); ``address`` is where it listens (its TLS certificate names it); ``netns`` a
    network namespace (a path under /var/run/netns) to run it in; ``tls=False`` a server with TLS
    off (``skip-ssl``, plain TCP allowed), which offers no ``CLIENT_SSL`` in its greeting.
    """
    base = base or Path(tempfile.mkdtemp(prefix="pic-mariadb-"))
    base.chmod(0o755)
    datadir, run_dir, tls_dir = base / "data", base / "run", base / "tls"
    run_dir.mkdir(parents=True, exist_ok=True)
    make_tls(tls_dir, address)
    port = port or free_port()
    (base / "pic.cnf").write_text(rdb.server_cnf(address, port, str(tls_dir)))
    sock, log = run_dir / "mysqld.sock", base / "mariadbd.err"
    (base / "my.cnf").write_text(
        "[mariadbd]\n"
        f"datadir = {datadir}\nsocket = {sock}\npid-file = {run_dir / 'mysqld.pid'}\n"
        f"log-error = {log}\nuser = root\ninnodb-buffer-pool-size = {buffer_pool}\n"
        "innodb-flush-log-at-trx-commit = 2\nskip-log-bin\n"
        f"!include {base / 'pic.cnf'}\n"
        + ("" if secure_transport and tls else "[mariadbd]\nrequire-secure-transport = OFF\n")
        + ("" if tls else "skip-ssl\n")
    )
    install = subprocess.run(
        ["mariadb-install-db", "--no-defaults", f"--datadir={datadir}", "--user=root", "--skip-test-db",
         "--auth-root-authentication-method=socket"],
        check=False, capture_output=True, text=True,
    )  # fmt: skip
    if install.returncode != 0:  # its own words, which CalledProcessError would hide
        raise RuntimeError(f"mariadb-install-db exited with {install.returncode}:\n{install.stdout}{install.stderr}")
    prefix = ["nsenter", f"--net={netns}"] if netns else []
    _free_port_of_leftovers(prefix, port)
    process = subprocess.Popen(
        [*prefix, "mariadbd", f"--defaults-file={base / 'my.cnf'}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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


# ss -ltnpH: "LISTEN 0 80 10.0.0.1:3306 0.0.0.0:* users:(("mariadbd",pid=4242,fd=22))"
_SS_PROCESS = re.compile(r'\("([^"]*)",pid=([0-9]+),')


def _port_holders(prefix: list[str], port: int) -> list[int]:
    """The pids of the processes listening on TCP ``port`` (in the network namespace ``prefix`` enters)."""
    done = subprocess.run(
        [*prefix, "ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True, check=False, timeout=30
    )
    return sorted({int(pid) for _, pid in _SS_PROCESS.findall(done.stdout)})


def _leftover(pid: int) -> tuple[bool, str]:
    """Whether process ``pid`` is a server this module started in a run that is gone (``mariadbd`` with a
    ``--defaults-file`` of its own, orphaned: its parent, the test run, ended without stopping it, as when the
    run is killed), and its command line as shown. Its working directory, where mariadbd moves at start, is the
    ``data`` directory next to that my.cnf, as :func:`start_mariadb` lays them out (deleted since, as pytest
    deletes an earlier run's directories, or not): a service's ``mariadbd --defaults-file=/etc/mysql/my.cnf``,
    init's child too, is not one."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        cwd = os.readlink(f"/proc/{pid}/cwd").removesuffix(" (deleted)")
    except (OSError, ValueError, IndexError):
        return False, f"pid {pid}"
    shown = " ".join(argv)
    ours = len(argv) == 2 and Path(argv[0]).name == "mariadbd" and argv[1].startswith("--defaults-file=")
    if not (ours and argv[1].endswith("/my.cnf") and parent == 1):
        return False, shown
    data = Path(argv[1].removeprefix("--defaults-file=")).parent / "data"
    return cwd in (str(data), os.path.realpath(data)), shown


def _free_port_of_leftovers(prefix: list[str], port: int) -> None:
    """Stop a server a killed test run left on ``port`` (:func:`_leftover`), which would make mariadbd exit with
    ``Address already in use``; raise RuntimeError naming any other process listening there."""
    for pid in _port_holders(prefix, port):
        leftover, shown = _leftover(pid)
        if not leftover:
            raise RuntimeError(
                f"TCP port {port} is already taken by process {pid} ({shown}): mariadbd could not listen there; "
                "stop that process or run the tests where the port is free"
            )
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 60
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _running(pid):
            os.kill(pid, signal.SIGKILL)
            time.sleep(0.5)


def _running(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, ended but not yet reaped by its new parent, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def cleanup(server: MariaDB) -> None:
    server.stop()
    shutil.rmtree(server.base, ignore_errors=True)


def run_as_root_env() -> dict[str, str]:
    """The environment for the dump and restore scripts: a plain PATH with the sbin directories."""
    return {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"} | {
        k: v for k, v in os.environ.items() if k in ("TMPDIR",)
    }


LOOPBACK = ["127.0.0.1"]
BACKUP_PASSWORD = "backup-Secret-42"


@dataclass
class Member:
    slug: str
    uid: int
    database: str
    root: Path

    @property
    def dumps(self) -> Path:
        return self.root / self.slug / "db"

    @property
    def cnf(self) -> Path:
        return self.root / self.slug / "priv" / f"{self.database}.my.cnf"

    def dump_files(self) -> list[str]:
        return sorted(p.name for p in self.dumps.iterdir())


@dataclass
class Platform:
    """One web host's worth of members, job settings and scripts, in a directory of its own."""

    server: MariaDB
    base: Path
    members: list[Member]
    keep_days: int = 7
    db_host: str = "127.0.0.1"  # where the job reaches the server (the address its certificate names)
    netns: str | None = None  # the network namespace the scripts run in (a path under /var/run/netns)

    @property
    def conf(self) -> Path:
        return self.base / "db-dump.conf"

    @property
    def mail(self) -> Path:
        return self.base / "mail.txt"

    def write_job(self, members: list[Member] | None = None, compression: str = "zstd") -> None:
        s = self.server
        (self.base / "backup.cnf").write_text(
            rdb.backup_cnf(user=rdb.BACKUP_USER, password=BACKUP_PASSWORD, host=self.db_host, port=s.port, ca_file=s.ca)
        )
        (self.base / "backup.cnf").chmod(0o600)
        entries = [rdb.DumpEntry(m.slug, m.uid, m.database) for m in (members or self.members)]
        (self.base / "db-dump.list").write_text(rdb.dump_list(entries))
        mailer = self.base / "sendmail"
        mailer.write_text(f'#!/bin/sh\n# stands in for sendmail: keeps what would be sent\ncat >> "{self.mail}"\n')
        mailer.chmod(0o755)
        self.conf.write_text(
            rdb.dump_conf(
                rdb.DumpConfig(
                    members_root=str(self.members[0].root if self.members else self.base / "members"),
                    keep_days=self.keep_days,
                    jobs=2,
                    report_to="admin@example.org",
                    host_label="web1",
                    compression=compression,
                    backup_cnf=str(self.base / "backup.cnf"),
                    db_list=str(self.base / "db-dump.list"),
                    state_dir=str(self.base / "state"),
                    mailer=str(mailer),
                )
            )
        )
        for name, text in (("pic-db-dump", rdb.dump_script()), ("pic-db-restore", rdb.restore_script())):
            (self.base / name).write_text(text)
            (self.base / name).chmod(0o755)

    def run(self, script: str, *args: str, path_first: Path | None = None) -> subprocess.CompletedProcess[str]:
        """Run one of the scripts as root; ``path_first``: a directory searched before the system's."""
        env = run_as_root_env() | {"PIC_DB_DUMP_CONF": str(self.conf)}
        if path_first is not None:
            env["PATH"] = f"{path_first}:{env['PATH']}"
        prefix = ["nsenter", f"--net={self.netns}"] if self.netns else []
        return subprocess.run(
            [*prefix, str(self.base / script), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )

    def dump(self, *, path_first: Path | None = None) -> subprocess.CompletedProcess[str]:
        return self.run("pic-db-dump", path_first=path_first)


def make_member(server: MariaDB, base: Path, slug: str, uid: int, short: str = "main") -> Member:
    m = Member(slug, uid, f"{slug.replace('-', '_')}_{short}", base / "members")
    password = f"pw-{m.database}"
    server.root_sql(rdb.MemberDbSql(m.database, m.database, LOOPBACK).render(password))
    for sub in ("db", "priv"):
        d = m.root / slug / sub
        d.mkdir(parents=True, exist_ok=True)
        os.chown(d, uid, uid)
        d.chmod(0o750)
    (m.root / slug).chmod(0o755)
    cred = rdb.Credentials(m.database, m.database, password, "127.0.0.1", server.port, ca_file=server.ca)
    for path, text in (
        (m.cnf, rdb.member_my_cnf(cred)),
        (m.cnf.with_suffix("").with_suffix(".php"), rdb.member_php(cred)),
    ):
        path.write_text(text)
        os.chown(path, uid, uid)
        path.chmod(0o600)
    return m


DUMP_PROGRAMS = ("mariadbd", "mariadb-install-db", "mariadb", "mariadb-dump", "setpriv", "zstd", "gzip", "gawk")


def start_backup_server(*, buffer_pool: str | None = None) -> MariaDB:
    """A server with the backup account the db host's DbHost grants (routine bodies included).

    The caller checks the programs (``DUMP_PROGRAMS``) and root first, and calls ``cleanup``.
    """
    s = start_mariadb() if buffer_pool is None else start_mariadb(buffer_pool=buffer_pool)
    s.root_sql(rdb.backup_account_sql(LOOPBACK, BACKUP_PASSWORD))
    # as the db host's DbHost grants it (mysql Grant resource): routine bodies for --routines
    s.root_sql("GRANT SELECT ON mysql.proc TO 'pic_backup'@'127.0.0.1';")
    return s


def platform_base(server: MariaDB, number: int) -> Path:
    """``<server dir>/web<number>/members``, mode 0755 (removed with the server): members' uids reach it."""
    base = server.base / f"web{number}"
    (base / "members").mkdir(parents=True)
    for d in (base, base / "members"):
        d.chmod(0o755)
    return base


@dataclass
class Endpoint:
    """A running pic-db-endpoint (the program as installed on a web host, run by Debian's python3)."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    log: Path

    def stop(self) -> str:
        """Stop it; its log (standard error)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.log.read_text(errors="replace")


ENDPOINT_PROGRAM = Path(__file__).resolve().parent.parent / "pic" / "dbendpoint.py"


def start_endpoint(
    server: MariaDB,
    log: Path,
    *,
    ca: str | None = None,
    host: str = "127.0.0.1",
    port: int | None = None,
    server_name: str = "127.0.0.1",
    extra: tuple[str, ...] = (),
    netns: str | None = None,
) -> Endpoint:
    """Start the endpoint towards ``server`` (its CA unless ``ca``) and wait until it accepts."""
    port = port or free_port()
    args = [
        "/usr/bin/python3", str(ENDPOINT_PROGRAM), f"--listen={host}:{port}", f"--server=127.0.0.1:{server.port}",
        f"--ca={ca or server.ca}", f"--server-name={server_name}", *extra,
    ]  # fmt: skip
    prefix = ["nsenter", f"--net={netns}"] if netns else []
    with log.open("wb") as err:
        process = subprocess.Popen([*prefix, *args], stdout=subprocess.DEVNULL, stderr=err)
    endpoint = Endpoint(process, host, port, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pic-db-endpoint exited with {process.returncode}:\n{endpoint.stop()}")
        if "listening on" in log.read_text(errors="replace"):
            return endpoint
        time.sleep(0.05)
    raise RuntimeError(f"pic-db-endpoint did not start within 30 s:\n{endpoint.stop()}")

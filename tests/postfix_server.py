"""A Postfix instance of Debian's package in a temporary directory, listening on one address:port.

Its own configuration, queue and data directories (``postfix -c``), no chroot,
its log in a file (``maillog_file``, postlogd). Started and stopped with
``postfix -c <dir> start|stop`` (the master's pid file is in the queue
directory); needs root, like any Postfix.
"""

from __future__ import annotations

import re
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MASTER_DIST = Path("/usr/share/postfix/master.cf.dist")
# The services a relay needs, from Debian's master.cf.dist (the first smtpd is replaced).
SERVICES = [
    "pickup",
    "cleanup",
    "qmgr",
    "tlsmgr",
    "rewrite",
    "bounce",
    "defer",
    "trace",
    "verify",
    "flush",
    "proxymap",
    "proxywrite",
    "smtp",
    "relay",
    "showq",
    "error",
    "retry",
    "discard",
    "local",
    "virtual",
    "lmtp",
    "anvil",
    "scache",
    "postlog",
]


@dataclass(frozen=True)
class Postfix:
    config: Path
    log: Path
    address: str
    port: int

    def postconf(self, *args: str) -> str:
        out = subprocess.run(["postconf", "-c", str(self.config), *args], check=True, capture_output=True, text=True)
        return out.stdout

    def log_text(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def wait_for_queue_empty(self, timeout: float = 30) -> None:
        """Until every accepted message left the queue (delivered or bounced)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = subprocess.run(
                ["postqueue", "-c", str(self.config), "-j"], capture_output=True, text=True, check=False
            )
            if out.returncode == 0 and not out.stdout.strip():
                return
            time.sleep(0.2)
        raise TimeoutError(f"Postfix queue not empty after {timeout}s:\n{self.log_text()[-2000:]}")


def master_cf(listen: str) -> str:
    """Debian's master.cf reduced to :data:`SERVICES`, no chroot, smtpd on ``listen`` (address:port)."""
    lines = [f"{listen} inet n - n - - smtpd"]
    keep = False
    for line in MASTER_DIST.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        if line[0].isspace():
            if keep:
                lines.append(line)
            continue
        fields = line.split()
        keep = fields[0] in SERVICES and fields[1] != "inet"
        if keep:
            fields[4] = "n"  # chroot: the temporary directories are not set up as a chroot
            lines.append(" ".join(fields))
    return "\n".join(lines) + "\n"


def prepare(root: Path, *, address: str, port: int, main: dict[str, str]) -> Postfix:
    """Write main.cf (``main`` plus the instance's own directories and log) and master.cf."""
    config, queue, data = root / "config", root / "queue", root / "data"
    for d in (config, queue, data):
        d.mkdir(parents=True)
    data.chmod(0o700)
    subprocess.run(["chown", "postfix", str(data)], check=True)
    log = root / "maillog"
    settings = {
        "compatibility_level": "3.6",
        "queue_directory": str(queue),
        "data_directory": str(data),
        "maillog_file": str(log),
        "maillog_file_prefixes": str(root),
        "myhostname": "relay.test",
        "alias_maps": "",
        "alias_database": "",
        **main,
    }
    (config / "main.cf").write_text("".join(f"{k} = {v}\n" for k, v in settings.items()))
    (config / "master.cf").write_text(master_cf(f"{address}:{port}"))
    return Postfix(config, log, address, port)


@contextmanager
def stopped_on_exit(postfix: Postfix) -> Iterator[Postfix]:
    """Stop the instance on exit, even on failure (it is started inside, e.g. by a rendered script)."""
    try:
        yield postfix
    finally:
        subprocess.run(["postfix", "-c", str(postfix.config), "stop"], capture_output=True, text=True, check=False)


def wait_for_banner(postfix: Postfix) -> None:
    """Until smtpd answers with its 220 banner."""
    for _ in range(100):
        try:
            with socket.create_connection((postfix.address, postfix.port), timeout=2) as conn:
                if re.match(rb"220 ", conn.recv(512)):
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"Postfix does not answer on {postfix.address}:{postfix.port}:\n{postfix.log_text()[-2000:]}")

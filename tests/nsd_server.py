"""A real NSD for tests: on 127.0.0.1, a free port, a temporary directory, the configuration rendered by
:func:`pic.render.dns.nsd_conf`, zones published by the rendered zone script itself (nsd-checkzone, serial,
nsd-control reload), stopped by its pid.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dns.exception
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import dns.resolver

from pic.render import dns as records
from tests import helpers
from tests.conftest import require_program

NAMESERVERS = ("ns1.example.org",)
HOSTMASTER = "admin@example.org"


def free_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (:func:`tests.helpers.free_port`)."""
    return helpers.free_port(udp=True)


def wait_for(port: int, name: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    """Until the server on ``port`` answers a query for ``name`` (whatever the answer)."""
    query = dns.message.make_query(name, dns.rdatatype.SOA)
    for _ in range(100):
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
        try:
            dns.query.udp(query, "127.0.0.1", port=port, timeout=0.2)
            return
        except (dns.exception.Timeout, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"server does not answer on port {port}: {log.read_text()[-2000:]}")


def run_sh(script: str) -> subprocess.CompletedProcess[str]:
    """A rendered script run by ``sh -eu``, as the host runs it, with sbin on the path (NSD's tools)."""
    env = {**os.environ, "PATH": os.environ.get("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin"}
    return subprocess.run(["sh", "-eu", "-c", script], check=False, capture_output=True, text=True, env=env)


@dataclass
class Nsd:
    port: int
    conf: Path
    zonesdir: Path
    nsd_control: str
    zones: list[str]
    proc: subprocess.Popen[bytes]
    nameservers: Sequence[str] = NAMESERVERS

    @property
    def control(self) -> str:
        """The nsd-control command of this server, as the rendered scripts take it."""
        return f"{self.nsd_control} -c {self.conf}"

    def publish(self, zone: str, recs: Sequence[records.Record], *, nameservers: Sequence[str] | None = None) -> None:
        """Run the rendered zone script, as the host would, and wait until NSD serves the new serial."""
        text = records.zone_file(
            zone,
            [r for r in recs if records.zone_of(r.name, self.zones) == zone],
            nameservers=list(nameservers or self.nameservers),
            hostmaster=HOSTMASTER,
            serial=records.SERIAL_MARKER,
            ns_addresses=["127.0.0.1"],
            delegations=records.child_zones(zone, self.zones),
        )
        script = records.zone_script(zone, text, zonesdir=str(self.zonesdir), nsd_control=self.control)
        out = run_sh(script)
        assert out.returncode == 0, out.stdout + out.stderr
        # `nsd-control reload` only asks for the reload: wait until NSD serves the zone just installed
        text = (self.zonesdir / f"{zone}.zone").read_text()
        found = re.search(r"^\s*(\d{1,10})\s*; serial$", text, re.M)
        assert found, f"no serial in the installed zone {zone}"
        installed = int(found.group(1))
        deadline = time.monotonic() + 20
        served = None
        while time.monotonic() < deadline:
            try:
                served = self.serial(zone)
            except (dns.exception.Timeout, IndexError):  # no answer yet, or the zone not loaded yet
                served = None
            if served == installed:
                return
            time.sleep(0.05)
        raise AssertionError(f"NSD still serves serial {served} of {zone} 20 s after it was given {installed}")

    def serial(self, zone: str) -> int:
        answer = dns.query.udp(dns.message.make_query(zone, dns.rdatatype.SOA), "127.0.0.1", port=self.port, timeout=2)
        return int(answer.answer[0][0].serial)

    def rcode(self, name: str, rtype: str = "SOA") -> str:
        """The response code NSD gives for ``name`` (``NOERROR``, ``REFUSED`` for a zone it does not serve)."""
        query = dns.message.make_query(name, rtype)
        answer = dns.query.udp(query, "127.0.0.1", port=self.port, timeout=2)
        return dns.rcode.to_text(answer.rcode())

    def resolver(self) -> dns.resolver.Resolver:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = ["127.0.0.1"]
        resolver.port = self.port
        resolver.lifetime = 3
        return resolver

    def write_conf(self, zones: Sequence[str]) -> None:
        """NSD's configuration rendered for ``zones`` (what the server resource installs)."""
        self.render_conf(self.conf, zones, self.port, self.zonesdir)

    @staticmethod
    def render_conf(conf: Path, zones: Sequence[str], port: int, zonesdir: Path) -> None:
        run_dir = conf.parent / "run"
        text = records.nsd_conf(
            zones, listen=["127.0.0.1"], port=port, zonesdir=str(zonesdir), run_dir=str(run_dir), username=""
        )
        conf.write_text(text)


@contextmanager
def running_nsd(root: Path, zones: Sequence[str], nameservers: Sequence[str] = NAMESERVERS) -> Iterator[Nsd]:
    """NSD configured for ``zones`` under ``root`` until the block ends; :meth:`Nsd.publish` puts each zone in."""
    program = require_program("nsd")
    nsd_control = require_program("nsd-control")
    require_program("nsd-checkzone")
    zonesdir, run_dir = root / "zones", root / "run"
    zonesdir.mkdir(parents=True)
    run_dir.mkdir()
    log = root / "nsd.log"
    log.touch()
    conf = root / "nsd.conf"
    port = free_port()
    Nsd.render_conf(conf, zones, port, zonesdir)
    proc = subprocess.Popen(
        [program, "-d", "-c", str(conf), "-l", str(log)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(port, zones[0], proc, log)
        yield Nsd(port, conf, zonesdir, nsd_control, list(zones), proc, nameservers)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)

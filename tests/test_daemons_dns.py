"""The zones NSD serves, against a real NSD on 127.0.0.1 (tests/nsd_server.py).

- The delete steps of the DnsZones resources, rendered, run by sh: a zone that leaves the settings has its
  files removed and NSD keeps serving the others; when pic:dns goes, NSD stops and the platform's
  configuration and zone files go with it; run again, or on a host without NSD, they do nothing.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pic.render import dns as records
from tests.conftest import require_program
from tests.nsd_server import run_sh, running_nsd

pytestmark = pytest.mark.daemon

A = records.Record("www.example.org", "A", "192.0.2.80")
B = records.Record("www.amis-du-rhone.org", "A", "192.0.2.81")


def test_removing_a_zone_then_the_whole_dns_leaves_no_platform_file_and_stops_nsd(tmp_path: Path) -> None:
    zones = ["example.org", "amis-du-rhone.org"]
    with running_nsd(tmp_path / "nsd", zones) as nsd:
        for zone in zones:
            nsd.publish(zone, [A, B])
        assert nsd.rcode("amis-du-rhone.org") == "NOERROR"
        files = sorted(p.name for p in nsd.zonesdir.iterdir())
        assert files == [f"{z}.zone{t}" for z in sorted(zones) for t in ("", ".tmpl")], files
        # amis-du-rhone.org leaves pic:dns.zones: the server's configuration is updated (and NSD restarted,
        # here told to read it again), then the zone's resource is deleted.
        nsd.write_conf(["example.org"])
        done = run_sh(f"{nsd.control} reconfig")
        assert done.returncode == 0, done.stdout + done.stderr
        remove = records.zone_remove_script("amis-du-rhone.org", zonesdir=str(nsd.zonesdir), nsd_control=nsd.control)
        for _ in range(2):  # run again (a delete retried): nothing left to do, no error
            done = run_sh(remove)
            assert done.returncode == 0, done.stdout + done.stderr
        assert sorted(p.name for p in nsd.zonesdir.iterdir()) == ["example.org.zone", "example.org.zone.tmpl"]
        assert nsd.rcode("amis-du-rhone.org") == "REFUSED"
        answer = nsd.resolver().resolve("www.example.org", "A")
        assert [r.to_text() for r in answer] == ["192.0.2.80"]
        # pic:dns goes: its zones' resources are deleted first (NSD still configured for them), then the server's.
        remove = records.zone_remove_script("example.org", zonesdir=str(nsd.zonesdir), nsd_control=nsd.control)
        done = run_sh(remove)
        assert done.returncode == 0, done.stdout + done.stderr
        assert not list(nsd.zonesdir.iterdir())
        server = records.nsd_server_remove_script(
            zonesdir=str(nsd.zonesdir), conf=str(nsd.conf), stop=f"{nsd.control} stop"
        )
        done = run_sh(server)
        assert done.returncode == 0, done.stdout + done.stderr
        nsd.proc.wait(timeout=10)
        assert not nsd.conf.exists() and not nsd.zonesdir.exists()
        # Run again, NSD stopped and its files gone: nothing to do, no error (the zone's reload is skipped).
        for script in (remove, server):
            done = run_sh(script)
            assert done.returncode == 0, done.stdout + done.stderr


def test_the_removal_leaves_a_configuration_that_is_not_the_platforms(tmp_path: Path) -> None:
    """An nsd.conf replaced by hand (another use of NSD on that host) is not the platform's to remove or stop."""
    conf, zonesdir, calls = tmp_path / "nsd.conf", tmp_path / "pic", tmp_path / "calls"
    conf.write_text('server:\n    ip-address: 192.0.2.53\nzone:\n    name: "other.org"\n')
    zonesdir.mkdir()
    (zonesdir / "example.org.zone").write_text("x\n")
    (zonesdir / "notes.txt").write_text("kept\n")
    script = records.nsd_server_remove_script(zonesdir=str(zonesdir), conf=str(conf), stop=f"echo stop >> {calls}")
    done = run_sh(script)
    assert done.returncode == 0, done.stdout + done.stderr
    assert conf.exists() and not calls.exists()
    assert sorted(p.name for p in zonesdir.iterdir()) == ["notes.txt"]  # the platform's zone files only


@pytest.mark.parametrize("which", ["zone", "server"])
def test_the_removal_scripts_pass_shellcheck(tmp_path: Path, which: str) -> None:
    exe = require_program("shellcheck")
    script = records.zone_remove_script("example.org") if which == "zone" else records.nsd_server_remove_script()
    path = tmp_path / f"{which}.sh"
    path.write_text(script)
    done = subprocess.run(
        [exe, "--shell=sh", "--severity=style", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout

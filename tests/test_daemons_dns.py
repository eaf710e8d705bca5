"""The zones NSD serves, against a real NSD on 127.0.0.1 (tests/nsd_server.py).

- The delete steps of the DnsZones resources, rendered, run by sh: a zone that leaves the settings has its
  files removed and NSD keeps serving the others; when pic:dns goes, NSD stops and the platform's
  configuration and zone files go with it; run again, or on a host without NSD, they do nothing.
- `pic dns check` asks NSD, playing the parent zones, for the delegation of each zone the platform serves,
  and for the SPF record of each domain a PHP site sends mail from.
- The names the platform uses inside the zones it serves (hosts, Sympa's web name, the mail exchanger,
  phpMyAdmin, the sites) get their hosts' addresses, which NSD answers.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import dns.resolver
import pytest

from pic import cli
from pic.check import member_warnings, settings_warnings
from pic.registry import Registry, load_registry
from pic.render import dns as records
from pic.settings import Settings, load_settings
from tests.conftest import require_program
from tests.helpers import member, project_copy, write_members
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


# --- pic dns check: the zones' delegations and the sites' SPF records -----------------------------------------

DNS_SETTINGS = (
    "  pic:dns: {backend: zonefile, zones: [example.org, listes.example.org], "
    "nameservers: [ns1.example.org, ns2.example.org], listen: [192.0.2.53]}\n"
)
PLATFORM_NS = [records.Record("example.org", "NS", f"ns{i}.example.org.") for i in (1, 2)]


def _project(tmp_path: Path) -> tuple[Path, Path]:
    """The prod stack with NSD serving example.org and listes.example.org, and members of three kinds of sites."""
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    stack.write_text(stack.read_text().replace("  pic:mail:", DNS_SETTINGS + "  pic:mail:", 1))
    members = write_members(
        tmp_path / "members",
        {
            "asso-php": member(10601, site={"domains": ["www.asso-php.org", "blog.asso-php.org"], "php": "8.2"}),
            "asso-static": member(10602, site={"domains": ["asso-static.org"], "php": "none"}),
            "asso-away": member(10603, status="suspended", site={"domains": ["asso-away.org"], "php": "8.2"}),
        },
    )
    return project, members


def _dns_check(project: Path, members: Path, port: int, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """pic dns check against the server on ``port``: the line of each delegation and site SPF (its spaces made one),
    by ``<name> delegation`` and ``<name> site``."""
    argv = ["dns", "check", "--project", str(project), "--members", str(members), "--resolver", "127.0.0.1"]
    code = cli.main([*argv, "--port", str(port), "--timeout", "3"])
    out, err = capsys.readouterr()
    assert code == 1, (out, err)  # the list domains' records are published nowhere here
    lines: dict[str, str] = {}
    for line in out.splitlines():
        words = line.split()
        if line.startswith("  ") and words[1] in ("delegation", "site"):
            lines[f"{words[3 if words[1] == 'site' else 2]} {words[1]}"] = " ".join(words)
    return lines


def test_dns_check_says_whether_the_parent_delegates_each_served_zone_to_the_platform(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """NSD plays the registry of org here (the server the query reaches holds the parent only: the delegation is
    its referral): the zone's NS records there name the platform's name servers, others, or none."""
    project, members = _project(tmp_path)
    with running_nsd(tmp_path / "nsd", ["org"]) as nsd:
        nsd.publish("org", PLATFORM_NS)
        found = _dns_check(project, members, nsd.port, capsys)
        assert found["example.org delegation"].startswith("present delegation"), found
        # the child zone is asked of org's server, which sends the query on: not known from it, and said so
        assert found["listes.example.org delegation"].startswith("unanswered"), found
        assert "sends the query on to example.org.'s name servers" in found["listes.example.org delegation"]

        nsd.publish("org", [records.Record("example.org", "NS", "ns.other-provider.net.")])
        line = _dns_check(project, members, nsd.port, capsys)["example.org delegation"]
        assert line.startswith("different delegation") and "found 'ns.other-provider.net.'" in line, line
        assert "expected example.org. NS ns1.example.org. and example.org. NS ns2.example.org." in line, line
        assert "at the parent zone org, through the registrar of example.org" in line, line

        nsd.publish("org", [])
        line = _dns_check(project, members, nsd.port, capsys)["example.org delegation"]
        assert line.startswith("missing delegation example.org NS: publish example.org. NS ns1"), line


def test_dns_check_says_whether_a_served_zone_delegates_its_child_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """listes.example.org is delegated in example.org's zone file, which the platform writes: NSD serving the parent
    only answers with that delegation; without it, the child's name is unknown there."""
    project, members = _project(tmp_path)
    with running_nsd(tmp_path / "nsd", ["org", "example.org"], ["ns1.example.org", "ns2.example.org"]) as nsd:
        nsd.publish("org", PLATFORM_NS)
        nsd.zones = ["org", "example.org", "listes.example.org"]  # as the settings: example.org delegates the child
        nsd.publish("example.org", [])
        assert "listes\tIN\tNS\tns1.example.org." in (nsd.zonesdir / "example.org.zone").read_text()
        found = _dns_check(project, members, nsd.port, capsys)
        assert found["example.org delegation"].startswith("present"), found
        assert found["listes.example.org delegation"].startswith("present"), found

        nsd.zones = ["org", "example.org"]  # a parent zone file without the delegation
        nsd.publish("example.org", [])
        line = _dns_check(project, members, nsd.port, capsys)["listes.example.org delegation"]
        assert line.startswith("missing delegation listes.example.org NS: publish listes.example.org. NS"), line
        assert "in the zone example.org, which the platform serves: pulumi up writes it" in line, line


def test_dns_check_says_whether_each_domain_a_site_sends_from_lets_its_web_host_send(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A PHP site's mail leaves from its web host (web1.example.org): each domain it sends from has an SPF record
    naming it. A static site and a suspended member's send nothing: not looked up. A record with terms needing
    lookups (mx, include:) is evaluated as receivers do, for the web host's address, through the same resolver."""
    project, members = _project(tmp_path)
    web1 = records.Record("web1.example.org", "A", "198.51.100.10")
    with running_nsd(tmp_path / "nsd", ["org"]) as nsd:
        nsd.publish(
            "org",
            [
                web1,
                records.Record("asso-php.org", "TXT", "v=spf1 mx ip4:192.0.2.0/24 -all"),
                records.Record("blog.asso-php.org", "TXT", "v=spf1 a:web1.example.org -all"),
                records.Record("asso-static.org", "TXT", "v=spf1 -all"),
            ],
        )
        found = _dns_check(project, members, nsd.port, capsys)
        assert sorted(k for k in found if k.endswith(" site")) == ["asso-php.org site", "blog.asso-php.org site"]
        assert found["blog.asso-php.org site"].startswith("present site SPF"), found
        line = found["asso-php.org site"]
        assert line.startswith("different site SPF") and "found 'v=spf1 mx ip4:192.0.2.0/24 -all'" in line, line
        # its MX is none: the web host's address reaches -all
        assert "which answers fail for the web host a:web1.example.org (198.51.100.10) at -all, evaluated" in line
        assert "the mail of asso-php's site leaves from its web host web1" in line, line

        spf = "v=spf1 include:_spf.example.org -all"
        platform = records.Record("_spf.example.org", "TXT", "v=spf1 a:web1.example.org -all")
        nsd.publish("org", [web1, platform, records.Record("asso-php.org", "TXT", spf)])
        assert _dns_check(project, members, nsd.port, capsys)["asso-php.org site"].startswith("present site SPF")

        nsd.publish("org", [records.Record("blog.asso-php.org", "TXT", "v=spf1 -a:web1.example.org -all")])
        found = _dns_check(project, members, nsd.port, capsys)
        line = found["asso-php.org site"]
        assert line.startswith("missing site SPF") and "publish 'v=spf1 a:web1.example.org -all'" in line, line
        # a qualifier other than + lets nothing pass: "-a:web1..." refuses the web host
        assert found["blog.asso-php.org site"].startswith("different"), found


# --- the platform's names inside the zones it serves have their addresses ----------------------------------------

WEB1_AT = "public_addresses: [192.0.2.10, '2001:db8::10'], "


def _settings_and_members(tmp_path: Path, hosts: str = WEB1_AT) -> tuple[Settings, Registry]:
    """NSD serving example.org and listes.example.org; web1 known by name, with its public addresses (``hosts``,
    written in its entry), db by name alone; sites inside and outside the zones, one archived. The certificates
    come from the stack's own CA (``ca: internal``): no public authority issues one for a name under example.org
    (RFC 2606 §3), which a public stack refuses as a member's (the records are the same either way)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    project = project_copy(tmp_path)
    stack = project / "Pulumi.prod.yaml"
    text = stack.read_text().replace("  pic:mail:", DNS_SETTINGS + "  pic:mail:", 1)
    text = text.replace("web1: {role: web, ", "web1: {role: web, " + hosts, 1).replace(
        "ca: letsencrypt", "ca: internal"
    )
    stack.write_text(text)
    settings = load_settings(project, "prod")
    members = write_members(
        tmp_path / "members",
        {
            "asso-in": member(10601, site={"domains": ["asso.example.org", "asso-in.org"], "php": "8.2"}),
            "asso-gone": member(10602, status="archived", site={"domains": ["gone.example.org"], "php": "none"}),
        },
    )
    return settings, load_registry(members, settings)


def test_the_platforms_names_in_a_served_zone_resolve_to_their_hosts(tmp_path: Path) -> None:
    """The zones NSD serves hold the A/AAAA records of the names the platform uses inside them: its hosts', Sympa's
    web name, the mail exchanger's, phpMyAdmin's, the sites' (an archived member's site answers nowhere); each
    zone passes nsd-checkzone (the zone script checks it) and NSD answers them. A name server keeps its glue."""
    settings, registry = _settings_and_members(tmp_path)
    addresses = records.address_records(settings, registry)
    with running_nsd(tmp_path / "nsd", settings.dns.zones, ["ns1.example.org", "ns2.example.org"]) as nsd:
        for zone in settings.dns.zones:
            nsd.publish(zone, addresses)
        resolver = nsd.resolver()

        def answer(name: str, rtype: str) -> list[str]:
            try:
                return sorted(r.to_text() for r in resolver.resolve(name, rtype))
            except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
                return []

        web1 = ["web1.example.org", "listes.example.org", "pma.example.org", "asso.example.org"]
        assert settings.mail_exchanger == "web1.example.org" and settings.mail.sympa_domain == "listes.example.org"
        for name in web1:
            assert (answer(name, "A"), answer(name, "AAAA")) == (["192.0.2.10"], ["2001:db8::10"]), name
        # db is known by its name alone: no address to publish (pic check warns of it)
        assert answer("db.example.org", "A") == []
        assert answer("gone.example.org", "A") == []
        assert answer("ns1.example.org", "A") == ["127.0.0.1"]  # its glue only
        assert "asso-in.org" not in {r.name for r in addresses}  # outside the zones: its member's to publish


def test_a_name_in_a_served_zone_whose_host_has_no_known_address_is_warned_of(tmp_path: Path) -> None:
    """A host known by a name only gives its names in the zones no address: pic check names them and the setting
    that gives one; a host with public_addresses (or an IP address) is no warning."""
    settings, registry = _settings_and_members(tmp_path / "known")
    warnings = [str(p) for p in settings_warnings(settings, tmp_path) if "pic:dns" in p.path]
    assert len(warnings) == 1, warnings
    assert "db.example.org (pic:hosts.db.address)" in warnings[0] and "pic:hosts.db.public_addresses" in warnings[0]
    assert "web1" not in warnings[0] and "pma.example.org" not in warnings[0], warnings[0]
    on = dt.date(2026, 11, 28)
    assert not [p for p in member_warnings(registry, settings, on) if "pic:dns.zones" in p.message]

    settings, registry = _settings_and_members(tmp_path / "unknown", hosts="")
    parent, child = [str(p) for p in settings_warnings(settings, tmp_path) if "pic:dns" in p.path]
    assert "pma.example.org (pic:phpmyadmin.domain)" in parent and "pic:hosts.web1.public_addresses" in parent
    assert "pic:dns.zones[1]: listes.example.org" in child and "Sympa's web interface" in child, child
    sites = [str(p) for p in member_warnings(registry, settings, on) if "pic:dns.zones" in p.message]
    assert len(sites) == 1 and "asso.example.org is inside example.org" in sites[0], sites
    assert "give pic:hosts.web1.public_addresses" in sites[0], sites

"""Renderers of the mailing lists, each output checked by the program that reads it.

checkdmarc (an independent parser) reads the DMARC records; dkimpy's tag
parser the DKIM ones; nsd-checkzone and named-checkzone the zones; nsd-checkconf,
unbound-checkconf, caddy validate, postconf/postmap and shellcheck the rest.
Sympa's own check of sympa.conf and robot.conf runs in test_daemons_mail.py.
"""

from __future__ import annotations

import base64
import datetime as dt
import subprocess
from pathlib import Path

import checkdmarc.dmarc
import dkim.util
import pytest

from pic.check import member_warnings, settings_warnings
from pic.errors import PicError
from pic.registry import load_registry
from pic.render import dns, mail
from pic.settings import load_settings
from tests.conftest import require_program
from tests.helpers import member, write_members
from tests.mailfixtures import ROOT, example, example_domains, key_pair, records_of

# --- DMARC, SPF, DKIM values ---------------------------------------------------------------


@pytest.mark.parametrize("policy", ["none", "quarantine", "reject"])
def test_dmarc_record_parses_with_checkdmarc(policy: str) -> None:
    value = dns.dmarc_value(policy, "dmarc@example.org")
    # Same organisational domain as the mailbox: checkdmarc needs no DNS to accept the rua.
    parsed = checkdmarc.dmarc.parse_dmarc_record(value, "listes.example.org")
    tags = parsed["tags"]
    assert tags["p"]["value"] == policy
    assert tags["rua"]["value"][0]["address"] == "dmarc@example.org"
    assert tags["adkim"]["value"] == "r"
    assert parsed["warnings"] == [] or all("pct" not in w for w in parsed["warnings"])


def test_dmarc_value_refuses_bad_policy_and_mailbox() -> None:
    with pytest.raises(ValueError, match="not one of"):
        dns.dmarc_value("monitor", "dmarc@example.org")
    with pytest.raises(ValueError, match="not a mailbox"):
        dns.dmarc_value("none", "dmarc; p=reject")


def test_dkim_record_holds_the_public_key() -> None:
    pair = key_pair("listes.example.org")
    value = dns.dkim_value(pair.public_pem)
    tags = dkim.util.parse_tag_value(value.encode())
    assert tags[b"v"] == b"DKIM1"
    assert tags[b"k"] == b"rsa"
    der = base64.b64decode(tags[b"p"])
    body = "".join(pair.public_pem.strip().splitlines()[1:-1])
    assert der == base64.b64decode(body)
    assert len(value) > 255  # a 2048-bit key needs several TXT strings


def test_dkim_value_refuses_a_private_key() -> None:
    with pytest.raises(ValueError, match="not a PEM public key"):
        dns.dkim_value(key_pair("listes.example.org").private_pem)


def test_spf_names_the_mail_exchanger_and_ends_with_fail() -> None:
    assert dns.spf_value("web1.example.org") == "v=spf1 mx a:web1.example.org -all"
    assert dns.spf_value("192.0.2.10") == "v=spf1 mx ip4:192.0.2.10 -all"
    assert dns.spf_value("2001:db8::10") == "v=spf1 mx ip6:2001:db8::10 -all"


def test_records_of_every_list_domain() -> None:
    settings, _ = example()
    domains = {d.domain: d for d in example_domains()}
    # The archived member's lists do not run; the suspended member's lists stay up.
    assert set(domains) == {"listes.example.org", "listes.amis-du-rhone.org", "listes.chorale-saint-jean.fr"}
    assert domains["listes.chorale-saint-jean.fr"].policy == "reject"
    for d in domains.values():
        recs = {dns.kind(r): r for r in records_of(d)}
        assert recs["MX"] == dns.Record(d.domain, "MX", "10 web1.example.org.")
        assert recs["SPF"].name == d.domain
        assert recs["DKIM"].name == f"{settings.mail.dkim_selector}._domainkey.{d.domain}"
        assert recs["DMARC"].value.startswith(f"v=DMARC1; p={d.policy}; rua=mailto:{settings.dmarc_reports}")
        # Reports go to example.org: other domains must be authorised there (RFC 7489 §7.1).
        if d.domain.endswith(".example.org"):
            assert "DMARC report authorization" not in recs
        else:
            assert recs["DMARC report authorization"].name == f"{d.domain}._report._dmarc.example.org"


def test_zone_of_picks_the_most_specific_zone() -> None:
    zones = ["example.org", "listes.example.org", "amis-du-rhone.org"]
    assert dns.zone_of("_dmarc.listes.example.org", zones) == "listes.example.org"
    assert dns.zone_of("www.example.org", zones) == "example.org"
    assert dns.zone_of("example.org", zones) == "example.org"
    assert dns.zone_of("badexample.org", zones) is None


def test_txt_strings_split_at_255_and_escape() -> None:
    value = "a" * 300 + '"\\'
    text = dns.txt_strings(value)
    assert text == '"' + "a" * 255 + '" "' + "a" * 45 + '\\"\\\\"'


def test_export_text_lists_absolute_names() -> None:
    d = example_domains()[1]
    text = dns.export_text(d.domain, records_of(d))
    assert f"_dmarc.{d.domain}.\t3600\tIN\tTXT\t" in text
    assert f"{d.domain}.\t3600\tIN\tMX\t10 web1.example.org." in text


# --- zone files and NSD ----------------------------------------------------------------------


def _zone(zone: str, serial: str = "2026112801") -> str:
    recs = [r for d in example_domains() for r in records_of(d) if dns.zone_of(r.name, [zone])]
    recs.append(dns.Record("web1.example.org", "A", "192.0.2.10"))
    return dns.zone_file(
        zone,
        [r for r in recs if dns.zone_of(r.name, [zone])],
        nameservers=["ns1.example.org"],
        hostmaster="admin@example.org",
        serial=serial,
        ns_addresses=["192.0.2.53"],
    )


def test_child_zones_are_the_nearest_ones_below() -> None:
    zones = ["example.org", "listes.example.org", "a.listes.example.org", "b.c.example.org", "amis-du-rhone.org"]
    assert dns.child_zones("example.org", zones) == ["b.c.example.org", "listes.example.org"]
    assert dns.child_zones("listes.example.org", zones) == ["a.listes.example.org"]
    assert dns.child_zones("amis-du-rhone.org", zones) == []
    assert dns.child_zones("badexample.org", ["example.org", "badexample.org", "x.example.org"]) == []


@pytest.mark.daemon
def test_a_zone_served_below_another_is_delegated_in_it_and_both_pass_the_checkers(tmp_path: Path) -> None:
    """The parent holds the child's NS records (RFC 1034 §4.2.1), the glue of a name server in the child too;
    without them a server holding the parent alone answers for the child's names as its own."""
    nsd_checkzone = require_program("nsd-checkzone")
    named_checkzone = require_program("named-checkzone")
    zones = ["example.org", "listes.example.org"]
    nameservers = ["ns1.listes.example.org", "ns.example.net"]
    recs = [r for d in example_domains() for r in records_of(d) if dns.zone_of(r.name, zones)]
    for zone in zones:
        text = dns.zone_file(
            zone,
            [r for r in recs if dns.zone_of(r.name, zones) == zone],
            nameservers=nameservers,
            hostmaster="admin@example.org",
            serial="2026120201",
            ns_addresses=["192.0.2.53"],
            delegations=dns.child_zones(zone, zones),
        )
        lines = text.splitlines()
        if zone == "example.org":
            assert "listes\tIN\tNS\tns1.listes.example.org." in lines and "listes\tIN\tNS\tns.example.net." in lines
            assert "ns1.listes\tIN\tA\t192.0.2.53" in lines  # the glue of the name server below the cut
        else:
            assert not [ln for ln in lines if "\tNS\t" in ln and not ln.startswith("@")]
        path = tmp_path / f"{zone}.zone"
        path.write_text(text)
        out = subprocess.run([nsd_checkzone, zone, str(path)], check=False, capture_output=True, text=True)
        assert out.returncode == 0, out.stdout + out.stderr
        out = subprocess.run(
            [named_checkzone, "-k", "fail", "-m", "fail", zone, str(path)], check=False, capture_output=True, text=True
        )
        assert out.returncode == 0, out.stdout + out.stderr
    with pytest.raises(ValueError, match=r"delegations of zones not below it: amis-du-rhone\.org"):
        dns.zone_file("example.org", [], nameservers=nameservers, hostmaster="a@b.org", serial="1",
                      ns_addresses=["192.0.2.53"], delegations=["amis-du-rhone.org"])  # fmt: skip


def test_zone_refuses_records_outside_it() -> None:
    with pytest.raises(ValueError, match="records outside the zone"):
        dns.zone_file(
            "example.org",
            records_of(example_domains()[1]),
            nameservers=["ns1.example.org"],
            hostmaster="a@b.org",
            serial="1",
        )


@pytest.mark.daemon
@pytest.mark.parametrize("zone", ["example.org", "amis-du-rhone.org"])
def test_zone_passes_nsd_checkzone_and_named_checkzone(tmp_path: Path, zone: str) -> None:
    nsd_checkzone = require_program("nsd-checkzone")
    named_checkzone = require_program("named-checkzone")
    path = tmp_path / f"{zone}.zone"
    path.write_text(_zone(zone))
    out = subprocess.run([nsd_checkzone, zone, str(path)], check=False, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    out = subprocess.run(
        [named_checkzone, "-k", "fail", "-m", "fail", zone, str(path)], check=False, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "loaded serial 2026112801" in out.stdout


@pytest.mark.daemon
def test_broken_zone_is_refused_by_nsd_checkzone(tmp_path: Path) -> None:
    """The zone check has teeth: a record outside the template's syntax fails it."""
    nsd_checkzone = require_program("nsd-checkzone")
    path = tmp_path / "example.org.zone"
    path.write_text(_zone("example.org").replace("IN\tMX\t10 web1.example.org.", "IN\tMX\tweb1.example.org."))
    out = subprocess.run([nsd_checkzone, "example.org", str(path)], check=False, capture_output=True, text=True)
    assert out.returncode != 0


@pytest.mark.daemon
def test_nsd_conf_passes_nsd_checkconf(tmp_path: Path) -> None:
    nsd_checkconf = require_program("nsd-checkconf")
    conf = tmp_path / "nsd.conf"
    conf.write_text(
        dns.nsd_conf(
            ["example.org", "amis-du-rhone.org"], listen=["192.0.2.53"], zonesdir=str(tmp_path), run_dir=str(tmp_path)
        )
    )
    out = subprocess.run([nsd_checkconf, str(conf)], check=False, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    out = subprocess.run([nsd_checkconf, "-o", "ip-address", str(conf)], check=False, capture_output=True, text=True)
    assert out.stdout.split() == ["192.0.2.53"]


# --- Sympa, Postfix, unbound, Caddy, scripts --------------------------------------------------


def test_sympa_conf_signs_with_an_explicit_signer_domain() -> None:
    text = mail.sympa_conf("listes.example.org", listmaster="admin@example.org", selector="pic")
    lines = dict(line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#"))
    assert lines["dkim_feature"] == "on"
    assert lines["dkim_parameters.signer_domain"] == "listes.example.org"
    assert lines["dkim_parameters.selector"] == "pic"
    assert lines["dkim_parameters.private_key_path"] == "/etc/sympa/dkim/listes.example.org.pem"
    assert lines["dmarc_protection.mode"] == "dmarc_reject,dmarc_quarantine"
    assert lines["db_type"] == "SQLite"
    assert lines["wwsympa_url"] == "https://listes.example.org/sympa"


def test_robot_conf_has_its_own_key_and_web_path() -> None:
    text = mail.robot_conf(
        "listes.amis-du-rhone.org",
        sympa_domain="listes.example.org",
        listmaster="a@example.org",
        selector="pic",
        title="Amis",
    )
    assert "dkim_parameters.signer_domain\tlistes.amis-du-rhone.org\n" in text
    assert "dkim_parameters.private_key_path\t/etc/sympa/dkim/listes.amis-du-rhone.org.pem\n" in text
    assert "wwsympa_url\thttps://listes.example.org/listes.amis-du-rhone.org\n" in text
    for title, shown in [("a\nb", "a b"), ("`id`", "'id'"), (" \u2028 ", "x.org"), ("a\x1b[31m", "a\\x1b[31m")]:
        text = mail.robot_conf("x.org", sympa_domain="y.org", listmaster="a@b.org", selector="pic", title=title)
        assert f"\ntitle\t{shown}\n" in text, title


@pytest.mark.daemon
def test_postfix_accepts_settings_services_and_maps(tmp_path: Path) -> None:
    postconf = require_program("postconf")
    postmap = require_program("postmap")
    layout = mail.SympaLayout(maps_dir=str(tmp_path))
    settings = mail.postfix_settings(mail_exchanger="web1.example.org", layout=layout)
    (tmp_path / "main.cf").write_text(
        "".join(f"{k} = {v}\n" for k, v in settings.items()) + "compatibility_level = 3.6\n"
    )
    master = Path("/usr/share/postfix/master.cf.dist").read_text()
    master += "".join(f"{line}\n" for line in mail.postfix_services(layout).values())
    (tmp_path / "master.cf").write_text(master)
    out = subprocess.run([postconf, "-c", str(tmp_path), "-n"], check=False, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "warning" not in out.stderr, out.stderr
    assert "virtual_mailbox_domains = hash:" in out.stdout
    out = subprocess.run(
        [postconf, "-c", str(tmp_path), "-M", "sympa/unix", "sympabounce/unix"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert "warning" not in out.stderr, out.stderr
    assert "argv=/usr/lib/sympa/bin/queue ${nexthop}" in out.stdout
    assert "argv=/usr/lib/sympa/bin/bouncequeue ${nexthop}" in out.stdout
    domains = [d.domain for d in example_domains()]
    Path(layout.transport_map).write_text(mail.transport_map(domains))
    # The DMARC reports' default mailbox (dmarc-reports@<sympa_domain>) is at a list domain, whose transport
    # map refuses every address that is not a robot's: an alias takes it to the admins.
    reports = "dmarc-reports@listes.example.org"
    Path(layout.virtual_map).write_text(
        mail.virtual_map(domains, postmaster="admin@example.org", dmarc_reports=reports)
    )
    for path in (layout.transport_map, layout.virtual_map):
        out = subprocess.run(
            [postmap, "-c", str(tmp_path), f"hash:{path}"], check=False, capture_output=True, text=True
        )
        assert out.returncode == 0, out.stderr

    def query(key: str, path: str) -> str:
        return subprocess.run(
            [postmap, "-c", str(tmp_path), "-q", key, f"hash:{path}"], check=False, capture_output=True, text=True
        ).stdout.strip()

    assert query("sympa@listes.amis-du-rhone.org", layout.transport_map) == "sympa:sympa@listes.amis-du-rhone.org"
    assert (
        query("bounce@listes.chorale-saint-jean.fr", layout.transport_map)
        == "sympabounce:sympa@listes.chorale-saint-jean.fr"
    )
    assert query("listes.example.org", layout.transport_map).startswith("error:")
    assert query("sympa-owner@listes.example.org", layout.virtual_map) == "admin@example.org"
    assert query(reports, layout.virtual_map) == "admin@example.org"
    assert query("dmarc-reports@listes.amis-du-rhone.org", layout.virtual_map) == ""  # the main domain's only
    outside = mail.virtual_map(domains, postmaster="admin@example.org", dmarc_reports="dmarc@example.org")
    assert "dmarc@example.org" not in outside  # a mailbox elsewhere is left to its own domain's mail


@pytest.mark.daemon
def test_unbound_conf_passes_unbound_checkconf(tmp_path: Path) -> None:
    checkconf = require_program("unbound-checkconf")
    conf = tmp_path / "unbound.conf"
    conf.write_text(mail.unbound_conf())
    out = subprocess.run([checkconf, str(conf)], check=False, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    conf.write_text(mail.unbound_conf() + "    prefetch-everything: yes\n")
    assert subprocess.run([checkconf, str(conf)], check=False, capture_output=True, text=True).returncode != 0


@pytest.mark.daemon
def test_caddy_site_block_validates(tmp_path: Path) -> None:
    caddy = require_program("caddy")
    block = mail.caddy_site("listes.example.org")
    assert "transport fastcgi" in block
    assert "unix//run/sympa/wwsympa.socket" in block
    caddyfile = tmp_path / "Caddyfile"
    caddyfile.write_text("{\n\tadmin off\n\tauto_https disable_certs\n}\n" + block)
    out = subprocess.run(
        [caddy, "validate", "--adapter", "caddyfile", "--config", str(caddyfile)],
        check=False,
        capture_output=True,
        text=True,
        env={
            "HOME": str(tmp_path),
            "XDG_DATA_HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path),
            "PATH": "/usr/bin:/bin",
        },
    )
    assert out.returncode == 0, out.stderr[-2000:]


def _scripts() -> dict[str, str]:
    fp = mail.fingerprint("a", "b")
    zone_text = _zone("example.org", serial=dns.SERIAL_MARKER)
    return {
        "setup": mail.setup_script(
            "listes.example.org", listmaster="admin@example.org", mail_exchanger="web1.example.org", selector="pic"
        ),
        "apply": mail.apply_script(["listes.amis-du-rhone.org"], fingerprint=fp),
        "resolver": mail.resolver_script(),
        "zone": dns.zone_script("example.org", zone_text),
        "nsd-server": dns.nsd_server_script(dns.nsd_conf(["example.org"], listen=["192.0.2.53"])),
    }


@pytest.mark.daemon
@pytest.mark.parametrize("script", ["setup", "apply", "resolver", "zone", "nsd-server"])
def test_scripts_pass_shellcheck(tmp_path: Path, script: str) -> None:
    shellcheck = require_program("shellcheck")
    path = tmp_path / f"{script}.sh"
    path.write_text(_scripts()[script])
    out = subprocess.run([shellcheck, "-s", "sh", str(path)], check=False, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def test_setup_script_preseeds_and_writes_sympa_conf_before_the_package() -> None:
    text = _scripts()["setup"]
    assert text.index("PIC_SYMPA_CONF") < text.index("apt-get install")
    assert "sympa sympa/dbconfig-install boolean false" in text
    assert "db_type\tSQLite" in text


def test_apply_script_changes_with_the_configuration() -> None:
    a = mail.apply_script([], fingerprint=mail.fingerprint("one"))
    b = mail.apply_script([], fingerprint=mail.fingerprint("two"))
    assert a != b
    assert "sympa check" in a


def test_in_zone_name_servers_need_addresses() -> None:
    with pytest.raises(ValueError, match="inside the zone and need addresses"):
        dns.zone_file("example.org", [], nameservers=["ns1.example.org"], hostmaster="a@example.org", serial="1")
    text = dns.zone_file(
        "example.org",
        [],
        nameservers=["ns1.example.org"],
        hostmaster="a@example.org",
        serial="1",
        ns_addresses=["2001:db8::53"],
    )
    assert "ns1\tIN\tAAAA\t2001:db8::53" in text


# --- the settings of the mail part -------------------------------------------------------------


def _stack(tmp_path: Path, extra: str, ca: str = "letsencrypt") -> Path:
    """The prod stack as stack ``t`` in ``tmp_path``, with ``extra`` settings and its certificates from ``ca``."""
    text = (ROOT / "Pulumi.prod.yaml").read_text().replace("ca: letsencrypt", f"ca: {ca}")
    (tmp_path / "Pulumi.t.yaml").write_text(text.replace("  pic:mail:", extra + "\n  pic:mail:", 1))
    return tmp_path


def _settings_error(tmp_path: Path, extra: str) -> str:
    with pytest.raises(PicError) as exc:
        load_settings(_stack(tmp_path, extra), "t")
    return str(exc.value)


def test_dns_settings_default_to_export(tmp_path: Path) -> None:
    settings = load_settings(_stack(tmp_path, ""), "t")
    assert settings.dns.backend == "export"
    assert settings.mail_host == "web1"
    assert settings.mail_exchanger == "web1.example.org"
    assert dns.host_zone(settings, "listes.example.org") is None


def test_zonefile_backend_publishes_the_host_zones(tmp_path: Path) -> None:
    settings = load_settings(
        _stack(tmp_path, "  pic:dns: {backend: zonefile, zones: [example.org], listen: [192.0.2.53]}"), "t"
    )
    assert dns.host_zone(settings, "listes.example.org") == "example.org"
    assert dns.host_zone(settings, "listes.amis-du-rhone.org") is None
    assert dns.nameservers(settings) == ["web1.example.org"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("  pic:dns: {backend: zonefile, zones: [example.org]}", "listen is required with backend zonefile"),
        ("  pic:dns: {server: nope}", 'pic:dns.server: "nope" is not a host of the stack'),
        ("  pic:dns: {resolver: 1.2.3}", "pic:dns.resolver"),
        (
            "  pic:dns: {zones: [example.org, example.org]}",
            'pic:dns.zones[1]: "example.org" is also [0]: a zone is listed once',
        ),
    ],
)
def test_bad_dns_settings_are_named(tmp_path: Path, extra: str, message: str) -> None:
    error = _settings_error(tmp_path, extra)
    assert message in error
    assert "Pulumi.t.yaml:18 pic:dns" in error


def test_mail_host_must_be_a_web_host(tmp_path: Path) -> None:
    path = _stack(tmp_path, "")
    stack = path / "Pulumi.t.yaml"
    stack.write_text(stack.read_text().replace("pic:mail: {host: web1, ", "pic:mail: {host: db, "))
    with pytest.raises(PicError) as exc:
        load_settings(path, "t")
    assert 'Pulumi.t.yaml:19 pic:mail.host: "db" is not a web host (known: web1)' in str(exc.value)


def test_mx_is_required_when_the_mail_host_is_an_ip(tmp_path: Path) -> None:
    path = _stack(tmp_path, "")
    stack = path / "Pulumi.t.yaml"
    stack.write_text(stack.read_text().replace("address: web1.example.org", "address: 192.0.2.10"))
    with pytest.raises(PicError) as exc:
        load_settings(path, "t")
    assert "mx is required" in str(exc.value)
    stack.write_text(stack.read_text().replace("dkim_selector: pic,", "dkim_selector: pic, mx: mail.example.org,"))
    assert load_settings(path, "t").mail_exchanger == "mail.example.org"


@pytest.mark.daemon
def test_hostmaster_with_dots_is_escaped_in_the_soa(tmp_path: Path) -> None:
    assert dns.soa_mailbox("marie.dupont@example.org") == "marie\\.dupont.example.org"
    named_checkzone = require_program("named-checkzone")
    path = tmp_path / "example.org.zone"
    path.write_text(
        dns.zone_file(
            "example.org", [], nameservers=["ns.example.net"], hostmaster="marie.dupont@example.org", serial="1"
        )
    )
    out = subprocess.run([named_checkzone, "example.org", str(path)], check=False, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def test_a_site_sends_as_its_domains_without_www_but_never_as_a_public_suffix() -> None:
    """The relay's senders of a site: www. dropped, unless what remains is a public suffix (www.co.uk is a name)."""
    import dataclasses

    _, registry = example()
    m = next(m for m in registry if m.site is not None)
    assert m.site is not None
    domains = ["www.asso-exemple.fr", "asso-exemple.fr", "www.co.uk", "www.gouv.fr", "blog.asso-exemple.fr"]
    site = m.site.model_copy(update={"domains": domains})
    member = dataclasses.replace(m, spec=m.spec.model_copy(update={"site": site}))
    assert member.sender_domains == ("asso-exemple.fr", "www.co.uk", "www.gouv.fr", "blog.asso-exemple.fr")


def test_a_served_zone_holding_names_the_platform_needs_addresses_for_is_warned_of(tmp_path: Path) -> None:
    """A zone NSD serves gives the platform's names inside it their hosts' public addresses, and the prod hosts are
    known by name only: the hosts', Sympa's web interface's and phpMyAdmin's names inside it would resolve to
    nothing once it is delegated there. Each is told in the deepest zone served that holds it; the name server's
    own name has its glue; a zone of list domains only, or the export backend, is no warning. The stack's CA is its
    own: with a public one, its names under example.org are warned of too (RFC 2606: test_documentation_domains)."""
    extra = "  pic:dns: {backend: zonefile, zones: [example.org, listes.example.org], listen: [192.0.2.53]}"
    project = _stack(tmp_path, extra, ca="internal")
    warnings = [str(p) for p in settings_warnings(load_settings(project, "t"), project) if "pic:dns" in p.path]
    assert len(warnings) == 2, warnings
    parent, child = warnings
    assert "pic:dns.zones[0]: example.org is served by NSD" in parent, parent
    assert "db.example.org (pic:hosts.db.address)" in parent and "pma.example.org (pic:phpmyadmin.domain)" in parent
    assert "web1.example.org" not in parent, "the name server's own name has its glue"
    assert "listes.example.org" not in parent, "told in its own zone"
    assert "pic:dns.zones[1]: listes.example.org" in child and "Sympa's web interface" in child, child
    for other in (
        "  pic:dns: {backend: zonefile, zones: [listes.amis-du-rhone.org], listen: [192.0.2.53]}",
        "  pic:dns: {backend: export}",
    ):
        where = tmp_path / other.split()[2].strip(",")
        where.mkdir()
        project = _stack(where, other)
        assert not [p for p in settings_warnings(load_settings(project, "t"), project) if "pic:dns" in p.path]


def test_a_site_domain_inside_a_served_zone_is_warned_of(tmp_path: Path) -> None:
    """The zone NSD serves is the program's whole zone: a member's site under it, on a web host known by name only,
    would have no address. The stack's CA is its own: a public one refuses a member's name under example.org
    (RFC 2606)."""
    extra = "  pic:dns: {backend: zonefile, zones: [example.org], listen: [192.0.2.53]}"
    settings = load_settings(_stack(tmp_path, extra, ca="internal"), "t")
    members = write_members(
        tmp_path / "members",
        {
            "inside": member(10601, site={"domains": ["asso.example.org", "asso-inside.org"], "php": "8.2"}),
            "outside": member(10602, site={"domains": ["asso-outside.org"], "php": "8.2"}),
        },
    )
    registry = load_registry(members, settings)
    warnings = [str(p) for p in member_warnings(registry, settings, dt.date(2026, 11, 28)) if "zone" in p.message]
    assert len(warnings) == 1, warnings
    assert "/inside.yaml:" in warnings[0] and " site.domains[0]: asso.example.org is inside example.org" in warnings[0]

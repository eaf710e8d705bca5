"""The mail set-up against real programs on 127.0.0.1.

- NSD (Debian) serves the rendered zones, published by the rendered zone
  script itself (nsd-checkzone, serial, nsd-control reload);
  `pic dns check` pointed at it reports every record present, then exactly
  the one removed; unbound, with the rendered resolver configuration, answers
  the same through NSD.
- checkdmarc parses the SPF record (resolving its mx and a mechanisms) and
  the DMARC records (verifying the external report authorization) from NSD.
- Sympa (Debian) accepts the rendered sympa.conf and robot.conf files in its
  own check, derives from them each robot's DKIM signer domain, selector and
  key, and signs a message with them; dkimpy verifies that signature against
  the key record served by NSD; with the rendered list_aliases.tt2 Sympa
  writes a new list's transport entries, which postmap compiles and routes.
- Caddy, with the rendered site block, serves Sympa's web interface (wwsympa
  over FastCGI): every robot answers at its own path.
- Sympa's DMARC protection, from the rendered configuration, looks the senders'
  policies up in NSD and rewrites From for reject and quarantine only.
- `pic lists audit --mx` asks NSD for mail exchangers.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import checkdmarc.dmarc
import checkdmarc.spf
import dkim
import pytest

from pic import cli
from pic.render import dns as records
from pic.render import mail
from tests.conftest import require_program
from tests.mailfixtures import example, example_domains, key_pair, layout_in, records_of
from tests.nsd_server import Nsd, running_nsd
from tests.nsd_server import free_port as _free_port
from tests.nsd_server import wait_for as _wait_for

pytestmark = pytest.mark.daemon

# The list domains' zones, and those of the domains the example members' PHP sites send mail from.
ZONES = ["example.org", "amis-du-rhone.org", "chorale-saint-jean.fr"]
ZONES += ["xn--amis-du-rhne-nib.org", "jardins-partages.org", "velo-cite-lyon.fr"]
ZONES += ["example.net"]  # the mail provider a member's SPF record includes: pic dns check evaluates the include
# Each lets the sites' web host, web1.example.org, send (README "Mail from sites"), as its members write it.
SITES_SPF = [
    records.Record("amis-du-rhone.org", "TXT", "v=spf1 include:_spf.example.net a:web1.example.org -all"),
    records.Record("xn--amis-du-rhne-nib.org", "TXT", "v=spf1 a:web1.example.org -all"),
    records.Record("jardins-partages.org", "TXT", "v=spf1 mx +a:web1.example.org ~all"),
    records.Record("velo-cite-lyon.fr", "TXT", "v=spf1 a:web1.example.org/32 -all"),
    records.Record("atelier.velo-cite-lyon.fr", "TXT", "v=spf1 a:WEB1.example.org. -all"),
]
# The record of the provider amis-du-rhone.org includes (its mailboxes' servers), which is not checked itself.
PROVIDER_SPF = records.Record("_spf.example.net", "TXT", "v=spf1 ip4:198.51.100.0/24 -all")
WEB1 = records.Record("web1.example.org", "A", "192.0.2.10")
HERE = Path(__file__).resolve().parent


def _all_records() -> list[records.Record]:
    return [r for d in example_domains() for r in records_of(d)] + [WEB1, *SITES_SPF, PROVIDER_SPF]


def _checked() -> int:
    """How many records pic dns check looks up for the example stack: the list domains', the sites' SPF."""
    return sum(len(records_of(d)) for d in example_domains()) + len(SITES_SPF)


@pytest.fixture(scope="module")
def nsd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nsd]:
    with running_nsd(tmp_path_factory.mktemp("nsd"), ZONES) as server:
        for zone in ZONES:
            server.publish(zone, _all_records())
        yield server


def _expected_json(path: Path, replace: dict[records.Record, records.Record] | None = None) -> Path:
    """What `pulumi stack output mail_dns_records --json` gives, with some records replaced."""
    swap = replace or {}
    by_domain = {d.domain: [swap.get(r, r).as_dict() for r in records_of(d)] for d in example_domains()}
    path.write_text(json.dumps(by_domain))
    return path


def _dns_check(port: int, *extra: str) -> int:
    root = HERE.parent
    return cli.main(
        [
            "dns",
            "check",
            "--project",
            str(root),
            "--members",
            str(root / "members"),
            "--resolver",
            "127.0.0.1",
            "--port",
            str(port),
            "--timeout",
            "3",
            *extra,
        ]
    )


def test_dns_check_reports_all_present_then_exactly_the_one_removed(
    nsd: Nsd, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _expected_json(tmp_path / "expected.json")
    n = _checked()
    assert _dns_check(nsd.port, "--expected", str(expected)) == 0
    out = capsys.readouterr().out
    assert out.endswith(f"{n} present, 0 missing, 0 different\n"), out
    # Without the stack outputs, the DKIM keys are checked for form only.
    assert _dns_check(nsd.port) == 0
    assert capsys.readouterr().out.endswith(f"{n} present, 0 missing, 0 different\n")

    removed = records.Record("_dmarc.listes.chorale-saint-jean.fr", "TXT", records_of(example_domains()[2])[3].value)
    assert removed in _all_records()
    before = nsd.serial("chorale-saint-jean.fr")
    try:
        nsd.publish("chorale-saint-jean.fr", [r for r in _all_records() if r != removed])
        assert nsd.serial("chorale-saint-jean.fr") > before
        assert _dns_check(nsd.port, "--expected", str(expected)) == 1
        out = capsys.readouterr().out
        assert out.endswith(f"{n - 1} present, 1 missing, 0 different\n"), out
        missing = [line for line in out.splitlines() if line.strip().startswith("missing")]
        assert len(missing) == 1
        assert "_dmarc.listes.chorale-saint-jean.fr TXT" in missing[0]
        assert "v=DMARC1; p=reject" in missing[0]
    finally:
        nsd.publish("chorale-saint-jean.fr", _all_records())
    assert _dns_check(nsd.port, "--expected", str(expected)) == 0
    capsys.readouterr()


def test_dns_check_reports_a_different_key(nsd: Nsd, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A DKIM record that does not hold the program's key is "different", not "present"."""
    other = records.dkim_value(key_pair("another key").public_pem)
    key = next(r for r in _all_records() if records.kind(r) == "DKIM" and "amis-du-rhone" in r.name)
    expected = _expected_json(tmp_path / "expected.json", {key: records.Record(key.name, key.type, other)})
    assert _dns_check(nsd.port, "--expected", str(expected)) == 1
    out = capsys.readouterr().out
    different = [line for line in out.splitlines() if line.strip().startswith("different")]
    assert len(different) == 1
    assert "pic._domainkey.listes.amis-du-rhone.org" in different[0]


@pytest.mark.parametrize(
    ("kind", "extra"),
    [("SPF", "v=spf1 include:_spf.other.example -all"), ("DMARC", "v=DMARC1; p=none; rua=mailto:x@other.example")],
)
def test_dns_check_reports_a_second_spf_or_dmarc_record(
    nsd: Nsd, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, extra: str
) -> None:
    """Two SPF or two DMARC records at one name are an error for receivers, even when one of them is right."""
    expected = _expected_json(tmp_path / "expected.json")
    right = next(r for r in _all_records() if records.kind(r) == kind and "amis-du-rhone" in r.name)
    nsd.publish("amis-du-rhone.org", [*_all_records(), records.Record(right.name, "TXT", extra)])
    try:
        assert _dns_check(nsd.port, "--expected", str(expected)) == 1
        out = capsys.readouterr().out
        duplicated = [line for line in out.splitlines() if line.strip().startswith("duplicated")]
        assert len(duplicated) == 1, out
        assert right.name in duplicated[0] and extra in duplicated[0] and "one only" in duplicated[0]
        assert out.rstrip().endswith("1 duplicated"), out
    finally:
        nsd.publish("amis-du-rhone.org", _all_records())
    assert _dns_check(nsd.port, "--expected", str(expected)) == 0
    capsys.readouterr()


def test_unreachable_resolver_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing listening: the first three list domains unanswered, refused at once, the run stops there and says
    so."""
    assert _dns_check(_free_port()) == 1
    err = capsys.readouterr().err
    assert "no DNS answer at all (listes.amis-du-rhone.org, listes.chorale-saint-jean.fr, listes.example.org)" in err
    assert "every query was refused, no DNS server listens at that address and port" in err, err


def test_unbound_with_the_rendered_configuration_resolves_through_nsd(
    nsd: Nsd, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = require_program("unbound")
    port = _free_port()
    rendered = tmp_path / "pic-local.conf"
    rendered.write_text(mail.unbound_conf(port=port))
    # The test's own additions: no chroot, no privilege drop, no syslog, and the zones
    # delegated to the test NSD instead of the Internet.
    conf = tmp_path / "unbound.conf"
    stubs = "".join(f'stub-zone:\n    name: "{z}"\n    stub-addr: 127.0.0.1@{nsd.port}\n' for z in ZONES)
    conf.write_text(
        f'include: "{rendered}"\nserver:\n    chroot: ""\n    username: ""\n    directory: "{tmp_path}"\n'
        f'    pidfile: "{tmp_path}/unbound.pid"\n    use-syslog: no\n    logfile: "{tmp_path}/unbound.log"\n'
        + "".join(f'    domain-insecure: "{z}"\n' for z in ZONES)
        + stubs
    )
    check = subprocess.run(
        [require_program("unbound-checkconf"), str(conf)], check=False, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    log = tmp_path / "unbound.log"
    log.touch()
    proc = subprocess.Popen([program, "-d", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, "example.org", proc, log)
        n = _checked()
        expected = _expected_json(tmp_path / "expected.json")
        assert _dns_check(port, "--expected", str(expected)) == 0
        assert capsys.readouterr().out.endswith(f"{n} present, 0 missing, 0 different\n")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_checkdmarc_parses_spf_and_dmarc_served_by_nsd(nsd: Nsd) -> None:
    resolver = nsd.resolver()
    settings, _ = example()
    for d in example_domains():
        recs = {records.kind(r): r for r in records_of(d)}
        spf = checkdmarc.spf.parse_spf_record(recs["SPF"].value, d.domain, resolver=resolver)
        assert spf["parsed"]["all"] == "fail"
        assert spf["dns_lookups"] == 2  # mx and a: well under RFC 7208's limit of 10
        assert [m["value"] for m in spf["parsed"]["mechanisms"]] == [d.domain, settings.mail_exchanger]
        dmarc = checkdmarc.dmarc.parse_dmarc_record(recs["DMARC"].value, d.domain, resolver=resolver)
        assert dmarc["tags"]["p"]["value"] == d.policy
        assert dmarc["tags"]["rua"]["value"][0]["address"] == settings.dmarc_reports
        # The report authorization (RFC 7489 §7.1) is found where it is needed.
        assert not any("Authorization record not found" in w for w in dmarc["warnings"]), dmarc["warnings"]


def test_checkdmarc_refuses_reports_to_an_unauthorised_domain(nsd: Nsd) -> None:
    """RFC 7489 §7.1, checked by checkdmarc against NSD: without the authorization record, refused."""
    value = records.dmarc_value("reject", "dmarc@amis-du-rhone.org")
    parsed = checkdmarc.dmarc.parse_dmarc_record(value, "listes.chorale-saint-jean.fr", resolver=nsd.resolver())
    assert any("Authorization record not found" in w for w in parsed["warnings"]), parsed["warnings"]


# --- Sympa ------------------------------------------------------------------------------------


def _sympa_tree(root: Path) -> mail.SympaLayout:
    """The rendered sympa.conf, every member robot.conf and the DKIM keys, under ``root``."""
    settings, _ = example()
    layout = layout_in(root)
    for directory in (layout.home, layout.dkim_dir, layout.maps_dir, os.path.dirname(layout.config)):
        Path(directory).mkdir(parents=True, exist_ok=True)
    Path(layout.config).write_text(
        mail.sympa_conf(
            settings.mail.sympa_domain,
            listmaster=settings.admin_email,
            selector=settings.mail.dkim_selector,
            layout=layout,
        )
    )
    for d in example_domains():
        Path(layout.dkim_key(d.domain)).write_text(key_pair(d.domain).private_pem)
        if d.member is None:
            continue
        robot = Path(layout.robot_conf(d.domain))
        robot.parent.mkdir(parents=True)
        robot.write_text(
            mail.robot_conf(
                d.domain,
                sympa_domain=settings.mail.sympa_domain,
                listmaster=settings.admin_email,
                selector=settings.mail.dkim_selector,
                title=d.title,
                layout=layout,
            )
        )
    return layout


def _perl(script: Path, conf: str) -> subprocess.CompletedProcess[str]:
    return _perl_args(script, conf)


def _perl_args(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    perl = require_program("perl")
    return subprocess.run([perl, str(script), *args], check=False, capture_output=True, text=True)


def _sympa_check(root: Path, conf: str) -> subprocess.CompletedProcess[str]:
    """The check program the host runs (apply script), run here on the test tree."""
    program = root / "sympa-check.pl"
    program.write_text(mail.sympa_check_program())
    return _perl(program, conf)


def test_sympa_check_accepts_the_rendered_configuration(tmp_path: Path) -> None:
    require_program("sympa")
    layout = _sympa_tree(tmp_path)
    out = _sympa_check(tmp_path, layout.config)
    assert out.returncode == 0, out.stderr[-3000:]
    assert (tmp_path / "sympa.sqlite").stat().st_size > 0  # the check created Sympa's tables


def test_sympa_check_refuses_a_wrong_robot_parameter(tmp_path: Path) -> None:
    """The check has teeth: a misspelt parameter in one robot.conf fails it, naming the file.

    (Sympa's check ignores a misspelt *sub*-key such as dkim_parameters.signer_domian:
    test_sympa_signs_each_domain_with_its_key_verified_against_nsd reads back what
    Sympa derives from those, so they cannot be wrong unnoticed.)
    """
    require_program("sympa")
    layout = _sympa_tree(tmp_path)
    robot = Path(layout.robot_conf("listes.amis-du-rhone.org"))
    robot.write_text(robot.read_text().replace("dkim_feature", "dkim_featur"))
    out = _sympa_check(tmp_path, layout.config)
    assert out.returncode != 0
    assert "unknown field: dkim_featur" in out.stderr
    assert str(robot) in out.stderr


def _sympa_robots(conf: str) -> dict[str, dict[str, str]]:
    out = _perl(HERE / "sympa" / "dkim.pl", conf)
    assert out.returncode == 0, out.stderr[-3000:]
    robots: dict[str, dict[str, str]] = {}
    for block in out.stdout.split("robot\t")[1:]:
        head, message = block.split("message\n", 1)
        fields = dict(line.split("\t", 1) for line in ("robot\t" + head).strip().splitlines())
        fields["message"] = message.rsplit("\n.\n", 1)[0]
        robots[fields["robot"]] = fields
    return robots


def test_sympa_signs_each_domain_with_its_key_verified_against_nsd(nsd: Nsd, tmp_path: Path) -> None:
    require_program("sympa")
    settings, _ = example()
    layout = _sympa_tree(tmp_path)
    robots = _sympa_robots(layout.config)
    assert set(robots) == {d.domain for d in example_domains()}
    resolver = nsd.resolver()

    def dnsfunc(name: bytes, timeout: int = 5) -> bytes:
        answer = resolver.resolve(name.decode().rstrip("."), "TXT")
        return b"".join(answer[0].strings)

    for domain, robot in robots.items():
        # The signer domain is the robot's own, set explicitly (no default up to Sympa 6.2.70).
        assert robot["d"] == domain, robot
        assert robot["selector"] == settings.mail.dkim_selector
        assert robot["dkim_feature"] == "on"
        assert robot["dmarc_protection"] == "dmarc_reject,dmarc_quarantine"
        signed = robot["message"].encode().replace(b"\n", b"\r\n")
        assert signed.startswith(b"DKIM-Signature:")
        assert dkim.verify(signed, dnsfunc=dnsfunc), f"{domain}: Sympa's signature does not verify against DNS"
        # Tampering is detected: the check is not vacuous.
        assert not dkim.verify(signed.replace(b"Hello.", b"Hullo."), dnsfunc=dnsfunc)
    assert robots["listes.amis-du-rhone.org"]["wwsympa_url"] == "https://listes.example.org/listes.amis-du-rhone.org"


def test_lists_audit_mx_check_against_nsd(nsd: Nsd, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`pic lists audit --mx`: a domain without MX nor address is flagged; one with an MX is not."""
    export = tmp_path / "subscribers.txt"
    export.write_text("ok@listes.amis-du-rhone.org\nhost@web1.example.org\nnobody@nowhere.example.org\n")
    code = cli.main(
        ["lists", "audit", "--mx", "--resolver", "127.0.0.1", "--port", str(nsd.port), "--timeout", "3", str(export)]
    )
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert len(lines) == 1, lines
    assert lines[0].endswith(
        "subscribers.txt:3 nobody@nowhere.example.org: "
        "nowhere.example.org has no mail exchanger (no MX, no address record)"
    )


def test_sympa_writes_list_transport_entries_postfix_reads(tmp_path: Path) -> None:
    """A new list's addresses: Sympa writes them with the rendered list_aliases.tt2, postmap reads them."""
    require_program("sympa")
    postmap = require_program("postmap")
    layout = _sympa_tree(tmp_path)
    (Path(layout.etc) / "list_aliases.tt2").write_text(mail.list_aliases_tt2())
    out = _perl_args(
        HERE / "sympa" / "aliases.pl", layout.config, layout.lists_transport, "bureau", "listes.amis-du-rhone.org"
    )
    assert out.returncode == 0, out.stderr[-2000:]
    (tmp_path / "main.cf").write_text("compatibility_level = 3.6\n")
    compiled = subprocess.run(
        [postmap, "-c", str(tmp_path), f"hash:{layout.lists_transport}"], check=False, capture_output=True, text=True
    )
    assert compiled.returncode == 0, compiled.stderr

    def transport(address: str) -> str:
        query = [postmap, "-c", str(tmp_path), "-q", address, f"hash:{layout.lists_transport}"]
        return subprocess.run(query, check=False, capture_output=True, text=True).stdout.strip()

    domain = "listes.amis-du-rhone.org"
    assert transport(f"bureau@{domain}") == f"sympa:bureau@{domain}"
    assert transport(f"bureau-request@{domain}") == f"sympa:bureau-request@{domain}"
    assert transport(f"bureau-unsubscribe@{domain}") == f"sympa:bureau-unsubscribe@{domain}"
    assert transport(f"bureau-owner@{domain}") == f"sympabounce:bureau@{domain}"  # bounces
    assert transport(f"other@{domain}") == ""


WWSYMPA = Path("/usr/lib/cgi-bin/sympa/wwsympa.fcgi")


def _http_get(port: int, host: str, path: str) -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return int(exc.code), ""


def test_web_interface_through_caddy_reaches_each_robot(tmp_path: Path) -> None:
    """Caddy with the rendered site block, wwsympa behind it over FastCGI: each robot answers at its path."""
    require_program("sympa")
    caddy = require_program("caddy")
    if not WWSYMPA.exists():
        pytest.fail(f"{WWSYMPA} is missing although Sympa is installed")
    # wwsympa refuses to run as root: as root, it runs as Sympa's user, in a tree that user can reach.
    as_root = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="pic-wwsympa-", dir="/tmp")) if as_root else tmp_path
    procs: list[subprocess.Popen[bytes]] = []
    try:
        layout = _sympa_tree(root)
        for directory in (layout.css_path, layout.pictures_path):
            Path(directory).mkdir()
        check = _sympa_check(root, layout.config)  # creates the database's tables
        assert check.returncode == 0, check.stderr[-2000:]
        prefix: list[str] = []
        if as_root:
            subprocess.run(["chown", "-R", "sympa:sympa", str(root)], check=True)
            root.chmod(0o755)
            prefix = ["setpriv", "--reuid=sympa", "--regid=sympa", "--init-groups"]
        # The FastCGI socket is handed to wwsympa on its standard input, as systemd's wwsympa.socket does.
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(tmp_path / "wwsympa.socket"))
        listener.listen(16)
        env = {**os.environ, "SYMPA_CONFIG": layout.config}
        procs.append(
            subprocess.Popen(
                [*prefix, str(WWSYMPA)],
                stdin=listener.fileno(),
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        listener.close()
        port = _free_port()
        site = f"http://listes.example.org:{port}"
        caddyfile = tmp_path / "Caddyfile"
        caddyfile.write_text(
            "{\n\tadmin off\n\tauto_https off\n}\n"
            + mail.caddy_site(
                site,
                fastcgi=f"unix/{tmp_path / 'wwsympa.socket'}",
                css_path=layout.css_path,
                pictures_path=layout.pictures_path,
            )
        )
        caddy_env = {
            **os.environ,
            "HOME": str(tmp_path),
            "XDG_DATA_HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path),
        }
        procs.append(
            subprocess.Popen(
                [caddy, "run", "--adapter", "caddyfile", "--config", str(caddyfile)],
                env=caddy_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        host = f"listes.example.org:{port}"
        status, body = 0, ""
        for _ in range(100):
            try:
                status, body = _http_get(port, host, "/sympa")
            except OSError:
                status = 0
            if status == 200:
                break
            time.sleep(0.2)
        assert status == 200, f"the main robot does not answer through Caddy (last status {status})"
        assert "<title> Mailing lists service - home </title>" in body
        for d in example_domains()[1:]:
            status, body = _http_get(port, host, f"/{d.domain}")
            assert status == 200, d.domain
            assert f"<title> {d.title} - home </title>" in body, f"{d.domain}: not its own robot"
        status, _ = _http_get(port, host, "/static-sympa/js/sympa.js")
        assert status == 200
        status, _ = _http_get(port, host, "/")
        assert status == 200  # redirected to /sympa
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)
        if as_root:
            shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize(
    ("sender", "rewritten"),
    [
        ("jeanne@listes.chorale-saint-jean.fr", True),  # its domain publishes p=reject
        ("jeanne@listes.amis-du-rhone.org", True),  # p=quarantine
        ("jeanne@listes.example.org", False),  # p=none: the From stays
        ("jeanne@nowhere.example.org", False),  # no DMARC record at all
    ],
)
def test_sympa_dmarc_protection_rewrites_from_of_strict_domains(
    nsd: Nsd, tmp_path: Path, sender: str, rewritten: bool
) -> None:
    """Sympa's own DMARC protection, configured by the rendered files, looking the policies up in NSD."""
    require_program("sympa")
    layout = _sympa_tree(tmp_path)
    robot = "listes.amis-du-rhone.org"
    list_dir = Path(layout.home) / robot / "bureau"
    list_dir.mkdir(parents=True)
    (list_dir / "config").write_text(
        "subject Bureau\n\nstatus open\n\nowner\nemail admin@example.org\nprofile privileged\n"
    )
    env = {**os.environ, "RES_NAMESERVERS": "127.0.0.1"}  # what the rendered drop-in sets on the host
    perl = require_program("perl")
    out = subprocess.run(
        [perl, str(HERE / "sympa" / "dmarc.pl"), layout.config, robot, "bureau", sender, str(nsd.port)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    fields = dict(line.split("\t", 1) for line in out.stdout.splitlines())
    assert fields["before"] == f"Jeanne Martin <{sender}>"
    if rewritten:
        assert f"<bureau@{robot}>" in fields["after"], fields["after"]
        assert "Jeanne Martin" in fields["after"]  # name_via_list keeps the sender's name
    else:
        assert fields["after"] == fields["before"]

"""pic status against local daemons on 127.0.0.1: a resolver, the front proxy with the rendered
Caddyfile, a static site behind it; each kind of trouble gives its own finding and exit status.

- pebble-challtestsrv answers DNS: every name 127.0.0.1 (web1.example.org, the web host, too),
  except a name the test points elsewhere through its management API;
- Caddy runs the rendered Caddyfile of every test member (certificates from a test CA, one
  expired, one ending in 7 days), in front of a Caddy serving the rendered static-site
  Caddyfile, which sets the X-Pic-Php header;
- the disk usage file is what the hosts' nightly job writes.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pic.check import check
from pic.cli import main
from pic.registry import Member, MemberSpec
from pic.render import web
from tests.conftest import MEMBERS, ROOT, require_program
from tests.helpers import free_port, member, project_copy, write_members
from tests.test_daemons_acme import start_resolver
from tests.test_daemons_web import stop, wait_for_port
from tests.tlsutil import make_ca, member_cert, write_member_cert

pytestmark = pytest.mark.daemon
ON = dt.date.today()

# slug -> (domains, php); every one an https site behind the same static site.
SITES: dict[str, tuple[list[str], str]] = {
    "good-site": (["good.asso-exemple.fr", "www.good.asso-exemple.fr"], "none"),
    "wrong-dns": (["wrong-dns.asso-exemple.fr"], "none"),
    "expired-site": (["expired.asso-exemple.fr"], "none"),
    "expiring-site": (["expiring.asso-exemple.fr"], "none"),
    "no-redirect": (["no-redirect.asso-exemple.fr"], "none"),
    "old-php": (["old-php.asso-exemple.fr"], "8.4"),
    "big-site": (["big.asso-exemple.fr"], "none"),
}


@dataclass
class Lab:
    root: Path
    dns: int
    dns_management: int
    http: int
    https: int
    ca_file: Path


def _start(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[Any]:
    with log.open("w") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def site_member(slug: str, uid: int) -> Member:
    domains, php = SITES[slug]
    spec = MemberSpec.model_validate(
        {
            "name": slug,
            "contact": {"name": "T", "email": "t@example.org"},
            "uid": uid,
            "site": {"domains": domains, "php": php},
        }
    )
    return Member(slug, f"members/{slug}.yaml", spec, "web1")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    challtestsrv, caddy = require_program("pebble-challtestsrv"), require_program("caddy")
    root = tmp_path_factory.mktemp("status")
    settings = check(ROOT, "prod", MEMBERS, ON).settings
    members = [site_member(slug, 42000 + i) for i, slug in enumerate(SITES)]
    ca = make_ca("status test CA")
    (root / "ca.pem").write_bytes(ca.pem)
    certs = root / "certs"
    for m in members:
        assert m.site is not None
        if m.slug == "expired-site":
            write_member_cert(ca, certs, m.slug, m.site.domains, days=30, start_days_ago=40)
        elif m.slug == "expiring-site":
            write_member_cert(ca, certs, m.slug, m.site.domains, days=7)
        else:
            write_member_cert(ca, certs, m.slug, m.site.domains, days=90)
    platform = [settings.mail.sympa_domain] + ([settings.phpmyadmin.domain] if settings.phpmyadmin else [])
    cert_pem, key_pem = member_cert(ca, platform, days=90)
    (root / "platform.pem").write_bytes(cert_pem)
    (root / "platform.key").write_bytes(key_pem)
    site = root / "site"
    (site / "www").mkdir(parents=True)
    (site / "log").mkdir()
    (site / "www" / "index.html").write_text("<p>a site</p>\n")
    procs: list[subprocess.Popen[Any]] = []
    try:
        dns, dns_management = free_port(udp=True), free_port()
        procs.append(start_resolver(challtestsrv, dns, dns_management, root / "dns.log"))
        static_port, http, https, admin = free_port(), free_port(), free_port(), free_port()
        (root / "static.caddy").write_text(
            web.render_static_caddyfile(root=str(site), port=static_port, bind="127.0.0.1")
        )
        env = {"HOME": str(root), "XDG_DATA_HOME": str(root), "XDG_CONFIG_HOME": str(root)}
        procs.append(
            _start(
                [caddy, "run", "--config", str(root / "static.caddy"), "--adapter", "caddyfile"],
                root / "static.log",
                env,
            )
        )
        wait_for_port(static_port, procs[-1], "static site")
        # The platform's own names: an https site of their own (what Caddy serves for phpMyAdmin and Sympa).
        platform_block = (
            f"{', '.join(platform)} {{\n\tbind 127.0.0.1\n\ttls {root / 'platform.pem'} {root / 'platform.key'}\n"
            '\trespond "platform" 200\n}\n'
        )
        caddyfile = web.render_caddyfile(
            settings.model_copy(update={"tls": settings.tls.model_copy(update={"ca": "internal"})}),
            members,
            [platform_block],
            on=ON,
            http_port=http,
            https_port=https,
            admin=f"127.0.0.1:{admin}",
            storage=str(root / "caddy-data"),
            bind="127.0.0.1",
            upstreams={m.slug: f"127.0.0.1:{static_port}" for m in members},
            certs_dir=str(certs),
            acme_webroot=str(root / "acme"),
        )
        # A proxy edited by hand on the host: one member's http block no longer redirects.
        marker = "# member no-redirect: http (ACME challenges, then https)\n"
        head, block = caddyfile.split(marker)
        block = block.replace("import acme_then_https", 'respond "plain http" 200', 1)
        (root / "Caddyfile").write_text(head + marker + block)
        procs.append(
            _start(
                [caddy, "run", "--config", str(root / "Caddyfile"), "--adapter", "caddyfile"], root / "caddy.log", env
            )
        )
        wait_for_port(https, procs[-1], "caddy")
        wait_for_port(http, procs[-1], "caddy http")
        # One member's name points elsewhere.
        body = json.dumps({"host": "wrong-dns.asso-exemple.fr.", "addresses": ["127.0.0.2"]}).encode()
        url = f"http://127.0.0.1:{dns_management}/add-a"
        with urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST"), timeout=10):
            pass
        yield Lab(root, dns, dns_management, http, https, root / "ca.pem")
    finally:
        for proc in reversed(procs):
            stop(proc)


def status(
    lab: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str], slugs: list[str], disk: str | None = None
) -> tuple[int, dict[str, Any], str]:
    members = write_members(
        tmp_path / "members",
        {
            slug: member(
                42000 + list(SITES).index(slug),
                site={"domains": SITES[slug][0], "php": SITES[slug][1]},
                **({"limits": {"disk_soft_limit_mb": 100}} if slug == "big-site" else {}),
            )
            for slug in slugs
        },
    )
    proj = project_copy(tmp_path)
    args = ["status", "--project", str(proj), "--members", str(members), "--resolver", "127.0.0.1"]
    args += ["--port", str(lab.dns), "--https-port", str(lab.https), "--http-port", str(lab.http)]
    args += ["--ca-file", str(lab.ca_file), "--timeout", "5"]
    if disk is not None:
        (tmp_path / "web1.tsv").write_text(disk)
        args += ["--disk-usage", str(tmp_path / "web1.tsv")]
    capsys.readouterr()
    rc_json = main([*args, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    rc_table = main(args)
    table = capsys.readouterr().out
    assert rc_json == rc_table
    return rc_json, data, table


def site(data: dict[str, Any], domain: str) -> dict[str, Any]:
    return next(s for s in data["sites"] if s["domain"] == domain)


def test_a_correct_site_and_the_platform_exit_0(lab: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, data, table = status(lab, tmp_path, capsys, ["good-site"])
    assert rc == 0, table
    assert sorted(s["domain"] for s in data["sites"]) == [
        "good.asso-exemple.fr",
        "listes.example.org",
        "pma.example.org",
        "www.good.asso-exemple.fr",
    ]
    good = site(data, "good.asso-exemple.fr")
    assert good["dns"] == ["127.0.0.1"] and good["expected"] == ["127.0.0.1"]
    assert good["issuer"] == "pic (status test CA)"
    assert 88 <= good["days_left"] <= 90
    assert good["tls_error"] is None
    assert good["redirect"] == f"https://good.asso-exemple.fr:{lab.https}/"
    assert good["status"] == 200
    assert (good["php_expected"], good["php"]) == ("none", "none")
    assert good["response_ms"] is not None and good["response_ms"] >= 0
    assert good["actions"] == [] and good["warnings"] == []
    assert site(data, "listes.example.org")["member"] == "platform"
    assert "good.asso-exemple.fr" in table and "0 to act on, 0 warning(s)" in table


def test_a_wrong_dns_answer_needs_action(lab: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, data, table = status(lab, tmp_path, capsys, ["good-site", "wrong-dns"])
    assert rc == 3, table
    wrong = site(data, "wrong-dns.asso-exemple.fr")
    assert wrong["dns"] == ["127.0.0.2"]
    assert wrong["actions"] == ["DNS answers 127.0.0.2, not the web host web1 (127.0.0.1)"]
    assert wrong["status"] == 200, "the site itself is fine on its host"
    assert site(data, "good.asso-exemple.fr")["actions"] == []
    assert "wrong-dns.asso-exemple.fr: DNS answers 127.0.0.2" in table


def test_an_expired_certificate_needs_action(lab: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, data, table = status(lab, tmp_path, capsys, ["good-site", "expired-site"])
    assert rc == 3, table
    expired = site(data, "expired.asso-exemple.fr")
    assert expired["days_left"] < 0
    assert expired["tls_error"] is not None and "expired" in expired["tls_error"]
    assert expired["actions"] == [f"certificate not valid: {expired['tls_error']}"]


def test_a_missing_redirect_needs_action(lab: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, data, table = status(lab, tmp_path, capsys, ["good-site", "no-redirect"])
    assert rc == 3, table
    plain = site(data, "no-redirect.asso-exemple.fr")
    assert plain["redirect"] is None
    assert plain["actions"] == ["http does not redirect to https (answers 200)"]
    assert plain["tls_error"] is None


def test_a_site_answering_with_another_php_needs_action(
    lab: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, data, _ = status(lab, tmp_path, capsys, ["old-php"])
    assert rc == 3
    assert site(data, "old-php.asso-exemple.fr")["actions"] == ["answers with PHP none, not 8.4"]


def test_an_expiring_certificate_is_a_warning(lab: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, data, table = status(lab, tmp_path, capsys, ["good-site", "expiring-site"])
    assert rc == 4, table
    soon = site(data, "expiring.asso-exemple.fr")
    assert soon["actions"] == []
    assert len(soon["warnings"]) == 1 and soon["warnings"][0].startswith("certificate expires in 6 days")


def test_a_member_over_its_disk_soft_limit_is_a_warning(
    lab: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    usage = (
        f"# pic disk usage of web1 at {time.strftime('%Y-%m-%dT%H:%M:%S+00:00', time.gmtime())} (KiB, du -sk)\n"
        "good-site\t1024\t0\t12\n"  # 1 MB: far below the stack's 5000 MB
        "big-site\t81920\t40960\t10240\n"  # 130 MB: over its own 100 MB
    )
    rc, data, table = status(lab, tmp_path, capsys, ["good-site", "big-site"], disk=usage)
    assert rc == 4, table
    disk = {d["member"]: d for d in data["disk"]}
    assert disk["good-site"]["warnings"] == [] and disk["good-site"]["soft_limit_mb"] == 5000
    assert disk["big-site"]["soft_limit_mb"] == 100
    assert disk["big-site"]["warnings"] == ["uses 130 MB, over its soft limit of 100 MB"]
    assert "big-site: warning: uses 130 MB" in table
    # pic report shows it too.
    members, proj = tmp_path / "members", tmp_path / "project"
    assert (
        main(
            [
                "report",
                "--project",
                str(proj),
                "--members",
                str(members),
                "--disk-usage",
                str(tmp_path / "web1.tsv"),
                "--format",
                "json",
            ]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    big = next(u for u in report["disk_usage"] if u["slug"] == "big-site")
    assert (big["total_mb"], big["soft_limit_mb"], big["over_soft_limit"]) == (130.0, 100, True)

"""ACME for real: the rendered certbot script against Pebble, answered by the rendered Caddyfile.

On 127.0.0.1, with Debian's programs:
- ``pebble`` (a small ACME server) with its DNS answered by
  ``pebble-challtestsrv`` (every name is 127.0.0.1), validating HTTP-01 for
  real: it fetches ``http://<domain>:<port>/.well-known/acme-challenge/<token>``;
- ``caddy`` with the rendered Caddyfile, listening on that port, serving the
  challenge from the webroot where certbot wrote it; started on the
  placeholders of the rendered placeholder script (openssl);
- ``certbot`` run by the rendered issuance script of each member, with the
  rendered deploy hook, whose ``docker exec pic-proxy caddy reload --force``
  reaches the real test Caddy through a stand-in docker CLI.

Then: one lineage per member, one certificate per member naming exactly all
its domains, placed in the proxy's directory and served by Caddy for each of
them; re-running changes nothing; ``certbot renew`` (what certbot.timer
runs) installs the renewal through the stored hook; a new domain makes certbot re-issue the
member's one lineage with every name (Caddy asks no outside CA meanwhile).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509

from pic.check import check
from pic.registry import Member, MemberSpec
from pic.render import tls, web
from pic.settings import Settings
from tests.conftest import MEMBERS, ROOT, require_program
from tests.helpers import free_port
from tests.test_daemons_web import stop, wait_for_port
from tests.tlsutil import dns_names, load_cert, make_ca, write_member_cert

pytestmark = pytest.mark.daemon
ON = dt.date(2026, 11, 28)

DOCKER_STUB = """#!/bin/sh
# Stand-in for the docker CLI of the host: the proxy "container" is the test's Caddy.
echo "docker $*" >> "$CALLS"
case $1 in
inspect) echo true ;;
exec) caddy reload --force --config "$TEST_CADDYFILE" --adapter caddyfile ;;
esac
"""


def acme_member(slug: str, uid: int, domains: list[str]) -> Member:
    spec = MemberSpec.model_validate(
        {
            "name": f"Test {slug}",
            "contact": {"name": "Test", "email": "test@example.org"},
            "uid": uid,
            "site": {"domains": domains, "php": "none"},
        }
    )
    return Member(slug, f"members/{slug}.yaml", spec, "web1")


@dataclass
class Acme:
    root: Path
    settings: Settings
    members: list[Member]
    certs: Path
    webroot: Path
    letsencrypt: Path
    hook: Path
    env: dict[str, str]
    calls: Path
    caddyfile: Path
    server: str
    http: int
    https: int
    admin: int
    dns_management: int = 0  # pebble-challtestsrv's management API: change what a name resolves to

    def render_caddyfile(self, members: list[Member]) -> str:
        return web.render_caddyfile(
            self.settings,
            members,
            on=ON,
            http_port=self.http,
            https_port=self.https,
            admin=f"127.0.0.1:{self.admin}",
            storage=str(self.root / "caddy-data"),
            bind="127.0.0.1",
            upstreams={m.slug: "127.0.0.1:9" for m in members},
            certs_dir=str(self.certs),
            acme_webroot=str(self.webroot),
        )

    def apply(self, members: list[Member]) -> None:
        """What ``pulumi up`` does for ``members``: placeholder certificates (a real one is left alone),
        the Caddyfile, Caddy's reload. Raises AssertionError with the program's stderr on a failure."""
        boot = subprocess.run(
            ["sh", "-eu", "-s"],
            input=tls.render_cert_bootstrap_script(members, certs_dir=str(self.certs)),
            text=True,
            capture_output=True,
            env=self.env,
            check=False,
        )
        assert boot.returncode == 0, boot.stderr
        self.caddyfile.write_text(self.render_caddyfile(members))
        reload = subprocess.run(
            ["caddy", "reload", "--config", str(self.caddyfile), "--adapter", "caddyfile"],
            capture_output=True,
            text=True,
            env=self.env,
            check=False,
        )
        assert reload.returncode == 0, reload.stderr

    def issued(self, member: Member) -> None:
        """Make sure the member's first certificate is issued, whichever test runs first."""
        if not (self.letsencrypt / "live" / member.slug).exists():
            proc = self.issue(member)
            assert proc.returncode == 0, f"{member.slug}: {proc.stdout}\n{proc.stderr}"

    def issue(self, member: Member) -> subprocess.CompletedProcess[str]:
        script = tls.render_cert_issue_script(
            member,
            self.settings,
            certs_dir=str(self.certs),
            webroot=str(self.webroot),
            hook=str(self.hook),
            letsencrypt_dir=str(self.letsencrypt),
            acme_server=self.server,
            certbot_dirs=(str(self.root / "certbot-work"), str(self.root / "certbot-logs")),
        )
        return subprocess.run(
            ["sh", "-eu", "-s"], input=script, text=True, capture_output=True, env=self.env, check=False, timeout=300
        )

    def served(self, domain: str) -> x509.Certificate:
        """The certificate Caddy presents for SNI ``domain`` (not verified: compared by the tests)."""
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        with (
            socket.create_connection(("127.0.0.1", self.https), timeout=10) as raw,
            ctx.wrap_socket(raw, server_hostname=domain) as conn,
        ):
            der = conn.getpeercert(binary_form=True)
        assert der is not None
        return x509.load_der_x509_certificate(der)


def _start(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[Any]:
    with log.open("w") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def start_resolver(challtestsrv: str, dns: int, management: int, log: Path) -> subprocess.Popen[Any]:
    """pebble-challtestsrv answering DNS on 127.0.0.1:``dns`` (every name is 127.0.0.1, no IPv6) and its
    management API on ``management``; no challenge server of its own. Waits until it listens."""
    proc = _start(
        [
            challtestsrv,
            "-dns01",
            f"127.0.0.1:{dns}",
            "-http01",
            "",
            "-https01",
            "",
            "-tlsalpn01",
            "",
            "-management",
            f"127.0.0.1:{management}",
            "-defaultIPv4",
            "127.0.0.1",
            "-defaultIPv6",
            "",
        ],
        log,
    )
    wait_for_port(management, proc, "pebble-challtestsrv")
    return proc


@pytest.fixture(scope="module")
def acme(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Acme]:
    """The lab. A module using it may set ``PEBBLE_AUTHZREUSE`` (a percentage, default 0): how often
    Pebble answers an order with an earlier valid authorization of the same account instead of
    validating the name again."""
    pebble, challtestsrv = require_program("pebble"), require_program("pebble-challtestsrv")
    caddy, certbot = require_program("caddy"), require_program("certbot")
    require_program("openssl")
    root = tmp_path_factory.mktemp("acme")
    base = check(ROOT, "prod", MEMBERS, ON).settings
    settings = base.model_copy(update={"tls": base.tls.model_copy(update={"ca": "letsencrypt"})})
    members = [
        acme_member("acme-a", 41001, ["acme-a.test", "www.acme-a.test", "blog.acme-a.test"]),
        acme_member("acme-b", 41002, ["acme-b.test", "www.acme-b.test"]),
    ]
    procs: list[subprocess.Popen[Any]] = []
    try:
        # Pebble's own https listener, trusted by certbot through REQUESTS_CA_BUNDLE.
        ca = make_ca("pebble listener CA")
        (root / "pebble-ca.pem").write_bytes(ca.pem)
        write_member_cert(ca, root, "pebble-listener", ["localhost"])
        dns, dns_mgmt, acme_port, acme_mgmt = free_port(udp=True), free_port(), free_port(), free_port()
        http, https, admin = free_port(), free_port(), free_port()
        procs.append(start_resolver(challtestsrv, dns, dns_mgmt, root / "challtestsrv.log"))
        config = {
            "pebble": {
                "listenAddress": f"127.0.0.1:{acme_port}",
                "managementListenAddress": f"127.0.0.1:{acme_mgmt}",
                "certificate": str(root / "pebble-listener" / "fullchain.pem"),
                "privateKey": str(root / "pebble-listener" / "privkey.pem"),
                "httpPort": http,  # HTTP-01 is validated on Caddy's http port
                "tlsPort": free_port(),
                "ocspResponderURL": "",
                "externalAccountBindingRequired": False,
            }
        }
        (root / "pebble.json").write_text(json.dumps(config))
        # Pebble keeps a valid authorization an hour (Let's Encrypt: 30 days) and reuses it for a new
        # order of the same account when rand.Intn(100) <= PEBBLE_AUTHZREUSE (pebble 2.4, wfe.go
        # makeAuthorizations): 0, the least it takes, still skips 1 validation in 100. A test that needs
        # a name validated afresh cannot rely on 0: see test_daemons_cert_renew's months_later.
        reuse = getattr(request.module, "PEBBLE_AUTHZREUSE", 0)
        pebble_env = {
            "PATH": "/usr/bin:/bin",
            "PEBBLE_VA_NOSLEEP": "1",
            "PEBBLE_WFE_NONCEREJECT": "0",
            "PEBBLE_AUTHZREUSE": str(reuse),
        }
        procs.append(
            _start(
                [pebble, "-config", str(root / "pebble.json"), "-dnsserver", f"127.0.0.1:{dns}"],
                root / "pebble.log",
                pebble_env,
            )
        )
        wait_for_port(acme_port, procs[-1], "pebble")

        certs, webroot = root / "certs", root / "acme-webroot"
        webroot.mkdir()
        hook = root / "certbot-deploy-hook"
        hook.write_text(tls.render_cert_deploy_hook(certs_dir=str(certs), letsencrypt_dir=str(root / "letsencrypt")))
        hook.chmod(0o755)
        bin_dir = root / "bin"
        bin_dir.mkdir()
        (bin_dir / "docker").write_text(DOCKER_STUB)
        (bin_dir / "docker").chmod(0o755)
        caddyfile = root / "Caddyfile"
        env = {
            "PATH": f"{bin_dir}:{Path(certbot).parent}:{Path(caddy).parent}:/usr/bin:/bin:/usr/sbin:/sbin",
            "HOME": str(root),
            "CALLS": str(root / "calls"),
            "TEST_CADDYFILE": str(caddyfile),
            "REQUESTS_CA_BUNDLE": str(root / "pebble-ca.pem"),
        }
        state = Acme(
            root,
            settings,
            members,
            certs,
            webroot,
            root / "letsencrypt",
            hook,
            env,
            root / "calls",
            caddyfile,
            f"https://localhost:{acme_port}/dir",
            http,
            https,
            admin,
            dns_mgmt,
        )
        # What the host does: placeholders first (so the Caddyfile loads), then the proxy.
        boot = subprocess.run(
            ["sh", "-eu", "-s"],
            input=tls.render_cert_bootstrap_script(members, certs_dir=str(certs)),
            text=True,
            capture_output=True,
            env=env,
            check=False,
        )
        assert boot.returncode == 0, boot.stderr
        caddyfile.write_text(state.render_caddyfile(members))
        procs.append(
            _start(
                [caddy, "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
                root / "caddy.log",
                {"HOME": str(root), "XDG_DATA_HOME": str(root), "XDG_CONFIG_HOME": str(root)},
            )
        )
        wait_for_port(https, procs[-1], "caddy")
        wait_for_port(admin, procs[-1], "caddy admin")
        yield state
    finally:
        for proc in reversed(procs):
            stop(proc)


def calls(acme: Acme) -> list[str]:
    return acme.calls.read_text().splitlines() if acme.calls.exists() else []


def test_placeholders_before_the_first_issuance(acme: Acme) -> None:
    for m in acme.members:
        assert m.site is not None
        placed = load_cert(acme.certs / m.slug / "fullchain.pem")
        assert placed.issuer == placed.subject, "a placeholder is self-signed"
        for domain in m.site.domains:
            assert acme.served(domain) == placed, f"{domain} is not served with {m.slug}'s placeholder"


def test_certbot_issues_one_certificate_per_member_with_all_its_domains(acme: Acme) -> None:
    for m in acme.members:
        assert m.site is not None
        before = len([c for c in calls(acme) if c.startswith("docker exec")])
        proc = acme.issue(m)
        assert proc.returncode == 0, f"{m.slug}: {proc.stdout}\n{proc.stderr}"
        placed_dir = acme.certs / m.slug
        placed = load_cert(placed_dir / "fullchain.pem")
        assert sorted(dns_names(placed)) == sorted(m.site.domains), f"{m.slug}: {dns_names(placed)}"
        assert "Pebble" in placed.issuer.rfc4514_string(), placed.issuer
        assert (placed_dir / "privkey.pem").stat().st_mode & 0o777 == 0o600
        assert not (placed_dir / ".placeholder").exists()
        # The deploy hook ran and reloaded the proxy, which now serves it for every name.
        assert len([c for c in calls(acme) if c.startswith("docker exec")]) == before + 1, calls(acme)
        pebble_log = (acme.root / "pebble.log").read_text()
        for domain in m.site.domains:
            assert acme.served(domain) == placed, f"{domain} is not served with {m.slug}'s certificate"
            # HTTP-01 for real: Pebble fetched the token from Caddy's http port, Caddy served certbot's file.
            challenge = f"Attempting to validate w/ HTTP: http://{domain}:{acme.http}/.well-known/acme-challenge/"
            assert challenge in pebble_log, domain
    # One lineage per member, named after it.
    assert sorted(p.name for p in (acme.letsencrypt / "live").iterdir() if p.is_dir()) == ["acme-a", "acme-b"]
    assert load_cert(acme.certs / "acme-a" / "fullchain.pem") != load_cert(acme.certs / "acme-b" / "fullchain.pem")


def test_running_again_changes_nothing(acme: Acme) -> None:
    m = acme.members[1]
    acme.issued(m)
    before_calls, before_cert = calls(acme), (acme.certs / m.slug / "fullchain.pem").read_bytes()
    proc = acme.issue(m)
    assert proc.returncode == 0, proc.stderr
    assert (acme.certs / m.slug / "fullchain.pem").read_bytes() == before_cert
    assert calls(acme) == before_calls, "nothing was issued, nothing may reload"
    assert sorted(os.listdir(acme.letsencrypt / "archive" / m.slug)) == [
        "cert1.pem",
        "chain1.pem",
        "fullchain1.pem",
        "privkey1.pem",
    ]


def test_renewal_needs_no_pulumi(acme: Acme) -> None:
    """What certbot.timer runs (``certbot renew``), forced: the stored deploy hook installs the renewal
    and reloads the proxy, which serves the new certificate; nothing rendered runs again."""
    m = acme.members[1]
    assert m.site is not None
    acme.issued(m)
    old = load_cert(acme.certs / m.slug / "fullchain.pem")
    reloads = len([c for c in calls(acme) if c.startswith("docker exec")])
    proc = subprocess.run(
        [
            "certbot",
            "renew",
            "--non-interactive",
            "--force-renewal",
            "--no-random-sleep-on-renew",
            "--cert-name",
            m.slug,
            "--config-dir",
            str(acme.letsencrypt),
            "--work-dir",
            str(acme.root / "certbot-work"),
            "--logs-dir",
            str(acme.root / "certbot-logs"),
        ],
        capture_output=True,
        text=True,
        env=acme.env,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    new = load_cert(acme.certs / m.slug / "fullchain.pem")
    assert new.serial_number != old.serial_number, "the renewed certificate was not installed"
    assert sorted(dns_names(new)) == sorted(m.site.domains)
    assert len([c for c in calls(acme) if c.startswith("docker exec")]) == reloads + 1
    for domain in m.site.domains:
        assert acme.served(domain) == new, domain


def test_new_domain_is_added_to_the_members_certificate(acme: Acme) -> None:
    a = acme.members[0]
    assert a.site is not None
    acme.issued(a)
    grown = replace(
        a,
        spec=a.spec.model_copy(
            update={"site": a.site.model_copy(update={"domains": [*a.site.domains, "shop.acme-a.test"]})}
        ),
    )
    members = [grown, acme.members[1]]
    # pulumi up: the placeholder script (a real certificate is left alone), the Caddyfile, the reload.
    old = (acme.certs / a.slug / "fullchain.pem").read_bytes()
    acme.apply(members)
    assert (acme.certs / a.slug / "fullchain.pem").read_bytes() == old
    # Until certbot re-issues, the new name is served with the member's certificate (which does not name it
    # yet), and Caddy asks no outside CA about it: the issuer of member names is its own internal CA.
    deadline = time.monotonic() + 20
    stop_gap = acme.root / "caddy-data" / "certificates" / "local" / "shop.acme-a.test"
    while not stop_gap.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert acme.served("shop.acme-a.test") == load_cert(acme.certs / a.slug / "fullchain.pem")
    issuers = sorted(p.parent.name for p in (acme.root / "caddy-data" / "certificates").glob("*/shop.acme-a.test"))
    assert issuers == ["local"], issuers
    # certbot re-issues the same lineage with every name; the hook installs it.
    proc = acme.issue(grown)
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    placed = load_cert(acme.certs / a.slug / "fullchain.pem")
    assert sorted(dns_names(placed)) == sorted(grown.site.domains)  # type: ignore[union-attr]
    assert sorted(p.name for p in (acme.letsencrypt / "live").iterdir() if p.is_dir()) == ["acme-a", "acme-b"]
    for domain in grown.site.domains:  # type: ignore[union-attr]
        assert acme.served(domain) == placed, domain

"""The rendered renewal (pic-cert-renew) against Pebble: one name that stops resolving to the host
does not take the member's other names down, and the admins hear of every failure.

The lab of test_daemons_acme (Pebble validating HTTP-01 for real against the
rendered Caddyfile, names resolved by pebble-challtestsrv, certbot with the
rendered scripts), plus an SMTP sink on loopback standing for the admins'
mailbox, which the script reaches with curl as it reaches the host's MTA.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator

import pytest

from pic.registry import Member
from pic.render import tls
from tests import test_daemons_acme as lab
from tests.smtp_sink import Sink, running_sink
from tests.tlsutil import dns_names, load_cert, make_ca, write_member_cert

pytestmark = pytest.mark.daemon
acme = lab.acme  # a lab of this module's own
# Pebble reuses every earlier validation it can (see months_later): a test whose name must fail its
# validation fails every time, not 1 time in 100, when it does not get a validation afresh.
PEBBLE_AUTHZREUSE = 100

C_DOMAINS = ["acme-c.test", "www.acme-c.test", "blog.acme-c.test"]


@pytest.fixture(scope="module")
def admins() -> Iterator[Sink]:
    with running_sink() as sink:
        yield sink


def resolve_to(acme: lab.Acme, name: str, address: str | None) -> None:
    """What the name's owner does at its DNS provider (here: pebble-challtestsrv, which Pebble asks);
    None: back to the host (challtestsrv's default answer, 127.0.0.1)."""
    payload: dict[str, object] = {"host": f"{name}."}
    if address is not None:
        payload["addresses"] = [address]
    body = json.dumps(payload).encode()
    url = f"http://127.0.0.1:{acme.dns_management}/{'add-a' if address else 'clear-a'}"
    with urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST"), timeout=10) as answer:
        assert answer.status == 200


def months_later(acme: lab.Acme) -> None:
    """A renewal runs about 60 days after the names were last validated, when the CA holds no valid
    authorization of them any more (Let's Encrypt keeps one 30 days): every name is validated again,
    and one that points elsewhere fails. Pebble keeps one an hour and may reuse it whatever
    PEBBLE_AUTHZREUSE says (see the lab), so the host's ACME account is retired instead: certbot
    registers a new one at the next run, which holds no authorization."""
    shutil.rmtree(acme.letsencrypt / "accounts")


def renew(acme: lab.Acme, admins: Sink, *args: str) -> subprocess.CompletedProcess[str]:
    script = tls.render_cert_renew_script(
        acme.settings,
        certs_dir=str(acme.certs),
        webroot=str(acme.webroot),
        hook=str(acme.hook),
        letsencrypt_dir=str(acme.letsencrypt),
        acme_server=acme.server,
        certbot_dirs=(str(acme.root / "certbot-work"), str(acme.root / "certbot-logs")),
        relay=f"127.0.0.1:{admins.port}",
    )
    return subprocess.run(
        ["sh", "-s", "--", *args], input=script, text=True, capture_output=True, env=acme.env, check=False, timeout=600
    )


def add_member(acme: lab.Acme, member: Member) -> None:
    """pulumi up for a new member: placeholders, the Caddyfile with its block, the reload."""
    members = [*acme.members, member]
    acme.apply(members)
    acme.members = members


@pytest.fixture(scope="module")
def member_c(acme: lab.Acme) -> Member:
    c = lab.acme_member("acme-c", 41003, C_DOMAINS)
    add_member(acme, c)
    proc = acme.issue(c)
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    assert (acme.certs / "acme-c" / "domains").read_text().split() == C_DOMAINS
    return c


def test_nothing_to_say_when_every_name_renews(acme: lab.Acme, admins: Sink, member_c: Member) -> None:
    for m in acme.members[:2]:
        acme.issued(m)
    before = load_cert(acme.certs / "acme-c" / "fullchain.pem")
    admins.clear()
    proc = renew(acme, admins, "--force")
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    after = load_cert(acme.certs / "acme-c" / "fullchain.pem")
    assert after.serial_number != before.serial_number
    assert sorted(dns_names(after)) == sorted(C_DOMAINS)
    assert admins.received == []


def test_a_name_that_stops_resolving_to_the_host_does_not_block_the_others(
    acme: lab.Acme, admins: Sink, member_c: Member
) -> None:
    before = load_cert(acme.certs / "acme-c" / "fullchain.pem")
    months_later(acme)
    resolve_to(acme, "blog.acme-c.test", "127.0.0.2")  # the proxy listens on 127.0.0.1 only
    admins.clear()
    try:
        proc = renew(acme, admins, "--force")
        assert proc.returncode == 1, "the run reports a failure"
        renewed = load_cert(acme.certs / "acme-c" / "fullchain.pem")
        assert renewed.serial_number != before.serial_number, "the other two names were renewed"
        assert sorted(dns_names(renewed)) == ["acme-c.test", "www.acme-c.test"]
        for domain in ("acme-c.test", "www.acme-c.test"):
            assert acme.served(domain) == renewed, domain
        # The admins' mailbox got the failure, naming the member and the name.
        assert len(admins.received) == 1
        mail = admins.received[0]
        assert mail.rcpt_tos == [acme.settings.admin_email]
        assert "certificates on" in mail.message["Subject"]
        text = mail.message.get_content()
        assert "FAILED: acme-c: the CA could not validate: blog.acme-c.test; the certificate was renewed" in text
        assert "is valid for: acme-c.test www.acme-c.test." in text
        assert "Domain: blog.acme-c.test" in text, "the CA's own explanation"
    finally:
        resolve_to(acme, "blog.acme-c.test", None)
    # Pointing at the host again: the next run (not forced) puts the name back.
    admins.clear()
    proc = renew(acme, admins)
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    back = load_cert(acme.certs / "acme-c" / "fullchain.pem")
    assert sorted(dns_names(back)) == sorted(C_DOMAINS)
    assert acme.served("blog.acme-c.test") == back
    assert admins.received == []


def test_when_every_name_fails_the_proxy_keeps_its_certificate(acme: lab.Acme, admins: Sink, member_c: Member) -> None:
    placed = (acme.certs / "acme-c" / "fullchain.pem").read_bytes()
    months_later(acme)
    for d in C_DOMAINS:
        resolve_to(acme, d, "127.0.0.2")
    admins.clear()
    try:
        proc = renew(acme, admins, "--force")
    finally:
        for d in C_DOMAINS:
            resolve_to(acme, d, None)
    assert proc.returncode == 1
    assert (acme.certs / "acme-c" / "fullchain.pem").read_bytes() == placed, "nothing replaced"
    assert acme.served("acme-c.test") == load_cert(acme.certs / "acme-c" / "fullchain.pem")
    assert len(admins.received) == 1
    text = admins.received[0].message.get_content()
    assert "FAILED: acme-c: renewal failed for all its names" in text


def test_an_expiring_certificate_is_reported(acme: lab.Acme, admins: Sink, member_c: Member) -> None:
    """A member whose renewals have been failing (its name points elsewhere) and whose certificate
    ends in 7 days: the admins are told both."""
    d = lab.acme_member("acme-d", 41004, ["acme-d.test"])
    add_member(acme, d)
    old = write_member_cert(make_ca("old CA"), acme.certs, "acme-d", ["acme-d.test"])  # 7 days left
    (acme.certs / "acme-d" / ".placeholder").unlink(missing_ok=True)
    (acme.certs / "acme-d" / "domains").write_text("acme-d.test\n")
    resolve_to(acme, "acme-d.test", "127.0.0.2")
    admins.clear()
    try:
        proc = renew(acme, admins)
    finally:
        resolve_to(acme, "acme-d.test", None)
    assert proc.returncode == 1
    assert load_cert(acme.certs / "acme-d" / "fullchain.pem") == old, "the proxy keeps what it has"
    assert len(admins.received) == 1
    text = admins.received[0].message.get_content()
    assert "FAILED: acme-d: renewal failed for all its names (acme-d.test)" in text
    assert "EXPIRING: acme-d: the certificate the proxy serves ends on" in text
    assert "fewer than 20 days left" in text
    assert "acme-c.test" not in text and "acme-c:" not in text, "only what needs the admins"

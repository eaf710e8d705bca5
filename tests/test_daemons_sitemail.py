"""Mail from sites against real programs: Postfix (Debian) as the web host's relay, msmtp as the sites' sendmail.

The rendered relay script configures a Postfix instance of its own (temporary
configuration and queue, smtpd on loopback; tests/site_relay.py) and starts it; two members' sites
are two loopback addresses standing for their containers' fixed addresses
(msmtp's ``source_ip``). With the rendered msmtp configuration, a member's
message reaches an SMTP sink through the relay with the member's envelope;
another member's domain as sender is refused by the relay and the refusal is
in the member's ``mail.log``; an unknown client is refused; the rate limit
stops a site sending more than its share. The running containers' side is in
tests/test_containers.py.
"""

from __future__ import annotations

import os
import pwd
import shutil
import smtplib
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pic.registry import Member
from pic.render import mail, sitemail
from tests.conftest import require_program
from tests.helpers import free_port
from tests.mailfixtures import example, example_domains
from tests.site_relay import Relay, running_relay
from tests.test_render_web import shellcheck

pytestmark = pytest.mark.daemon

SITE_A, SITE_B, STRANGER = "127.0.0.2", "127.0.0.3", "127.0.0.4"


def _senders() -> tuple[Member, Member]:
    _, registry = example()
    php = [m for m in registry if m.runtime is not None and m.status == "active"]
    return php[0], php[1]


def test_relay_script_passes_shellcheck(tmp_path: Path) -> None:
    _, registry = example()
    script = sitemail.render_relay_script("web1", list(registry), mailname="web1.example.org")
    shellcheck(script, tmp_path, "relay.sh")
    assert "apt-get install -y -q --no-install-recommends postfix" in script
    assert "systemctl restart postfix" in script


def test_msmtp_reads_the_rendered_configuration(tmp_path: Path) -> None:
    msmtp = require_program("msmtp")
    a, _ = _senders()
    rc = tmp_path / "msmtprc"
    rc.write_text(sitemail.render_msmtprc(a))
    out = subprocess.run(
        [msmtp, "-C", str(rc), "--pretend", "x@example.net"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert f"from = {sitemail.envelope_sender(a)}\n" in out.stdout
    assert f"host = {sitemail.RELAY_ADDRESS}\n" in out.stdout
    assert f"logfile = {sitemail.LOG_FILE}\n" in out.stdout


@pytest.fixture
def relay() -> Iterator[Relay]:
    a, b = _senders()
    with running_relay(
        [a, b], address="127.0.0.1", port=free_port(), addresses={a.slug: SITE_A, b.slug: SITE_B},
        local_networks="127.0.0.1/32",
    ) as relay:  # fmt: skip
        yield relay


def _send(
    relay: Relay, member: Member, source: str, *, sender: str | None = None, from_header: str | None = None
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Send as the member's site would (sendmail -t -i), from ``source``; returns msmtp's result and log."""
    log = relay.root / member.slug / "mail.log"
    log.parent.mkdir(exist_ok=True)
    rc = relay.root / member.slug / "msmtprc"
    config = sitemail.render_msmtprc(member, host="127.0.0.1", port=relay.postfix.port, logfile=str(log))
    rc.write_text(config + f"source_ip {source}\n")
    headers = f"From: {from_header}\n" if from_header else ""
    message = f"{headers}To: someone@example.net\nSubject: test from {member.slug}\n\nHello.\n"
    args = ["msmtp", "-C", str(rc), "-t", "-i", *([f"-f{sender}"] if sender else [])]
    return subprocess.run(args, input=message, capture_output=True, text=True, timeout=60, check=False), log


def test_a_sites_mail_reaches_the_sink_with_the_members_envelope(relay: Relay) -> None:
    a, _ = _senders()
    out, log = _send(relay, a, SITE_A)
    assert out.returncode == 0, out.stderr + relay.postfix.log_text()[-2000:]
    relay.postfix.wait_for_queue_empty()
    assert [r.mail_from for r in relay.sink.received] == [sitemail.envelope_sender(a)]
    got = relay.sink.received[0]
    assert got.rcpt_tos == ["someone@example.net"]
    assert got.message["From"] == sitemail.envelope_sender(a)  # added by msmtp: the message had none
    assert "exitcode=EX_OK" in log.read_text()


def test_another_members_domain_is_refused_and_logged_in_the_members_log(relay: Relay) -> None:
    a, b = _senders()
    forged = f"{sitemail.LOCAL_PART}@{b.sender_domains[0]}"
    out, log = _send(relay, a, SITE_A, sender=forged, from_header=forged)
    assert out.returncode != 0
    text = log.read_text()
    assert "smtpstatus=554" in text, text
    assert f"Sender address rejected: {sitemail.REFUSAL.removeprefix('REJECT ')}" in text, text
    assert f"from={forged}" in text, text
    # The same address from the other member's own site passes.
    out, _ = _send(relay, b, SITE_B, sender=forged, from_header=forged)
    assert out.returncode == 0, out.stderr
    relay.postfix.wait_for_queue_empty()
    assert [r.mail_from for r in relay.sink.received] == [forged]


def test_a_site_may_send_as_the_names_under_its_domains(relay: Relay) -> None:
    """check_sender_access matches a domain's subdomains too (Postfix's parent_domain_matches_subdomains
    holds smtpd_access_maps): why no name of the platform's mail may lie under a member's domain
    (pic.registry, "the domain of pic:admin_email")."""
    a, _ = _senders()
    sender = f"admin@ops.{a.sender_domains[0]}"
    out, _ = _send(relay, a, SITE_A, sender=sender, from_header=sender)
    assert out.returncode == 0, out.stderr
    relay.postfix.wait_for_queue_empty()
    assert [r.mail_from for r in relay.sink.received] == [sender]


def test_an_unknown_client_and_a_null_sender_are_refused(relay: Relay) -> None:
    a, _ = _senders()
    out, log = _send(relay, a, STRANGER)
    assert out.returncode != 0
    assert "Client host rejected" in log.read_text()
    out, log = _send(relay, a, SITE_A, sender="<>")
    assert out.returncode != 0
    relay.postfix.wait_for_queue_empty()
    assert relay.sink.received == []


@pytest.fixture
def mail_host_relay() -> Iterator[Relay]:
    """The relay on the mail host: one Postfix with Sympa's settings and maps, then the relay's."""
    a, b = _senders()
    maps = Path(tempfile.mkdtemp(prefix="pic-sympa-maps-"))
    maps.chmod(0o755)  # read by Postfix's own user
    try:
        layout = mail.SympaLayout(maps_dir=str(maps))
        domains = [d.domain for d in example_domains()]
        Path(layout.transport_map).write_text(mail.transport_map(domains))
        Path(layout.virtual_map).write_text(mail.virtual_map(domains, postmaster="admin@example.org"))
        Path(layout.lists_transport).write_text("")  # Sympa writes it when a list is created
        for path in (layout.transport_map, layout.virtual_map, layout.lists_transport):
            subprocess.run(["postmap", f"hash:{path}"], check=True, capture_output=True)
        with running_relay(
            [a, b], address="127.0.0.1", port=free_port(), addresses={a.slug: SITE_A, b.slug: SITE_B},
            local_networks="127.0.0.1/32",
            mail_host=mail.postfix_settings(mail_exchanger="web1.example.org", layout=layout),
        ) as relay:  # fmt: skip
            yield relay
    finally:
        shutil.rmtree(maps, ignore_errors=True)


def _verdict(relay: Relay, source: str, sender: str, recipient: str) -> tuple[int, str]:
    """Postfix's answer to RCPT TO from ``source``: code and text (the message is not sent)."""
    with smtplib.SMTP("127.0.0.1", relay.postfix.port, source_address=(source, 0), timeout=30) as smtp:
        smtp.ehlo("client.example.net")
        code, text = smtp.mail(sender)
        if code == 250:
            code, text = smtp.rcpt(recipient)
        smtp.rset()
    return code, text.decode()


def test_on_the_mail_host_the_lists_receive_mail_from_anyone_and_nothing_else_is_relayed(
    mail_host_relay: Relay,
) -> None:
    a, b = _senders()
    robot = f"sympa@{example_domains()[0].domain}"
    # A server of the Internet delivers to a list domain: accepted, as Sympa's Postfix alone accepts it.
    code, text = _verdict(mail_host_relay, STRANGER, "someone@example.net", robot)
    assert code == 250, text + mail_host_relay.postfix.log_text()[-2000:]
    # ... but may not relay elsewhere.
    code, text = _verdict(mail_host_relay, STRANGER, "someone@example.net", "other@example.net")
    assert code == 554 and "Relay access denied" in text, text
    # The sites keep their rules: their own domains only, anywhere.
    own = f"{sitemail.LOCAL_PART}@{a.sender_domains[0]}"
    assert _verdict(mail_host_relay, SITE_A, own, "other@example.net")[0] == 250
    forged = f"{sitemail.LOCAL_PART}@{b.sender_domains[0]}"
    code, text = _verdict(mail_host_relay, SITE_A, forged, "other@example.net")
    assert code == 554 and sitemail.REFUSAL.removeprefix("REJECT ") in text, text
    settings = mail_host_relay.postfix.postconf("-n")
    assert "inet_protocols = all\n" in settings  # the lists' mail over IPv6 too
    # ... and the host's own clients over IPv6 loopback ("localhost" may be ::1 first) relay as over IPv4's.
    assert "mynetworks = 127.0.0.1/32 [::1]/128\n" in settings, settings


def test_on_a_web_host_an_unknown_client_may_not_even_write_to_the_lists(relay: Relay) -> None:
    robot = f"sympa@{example_domains()[0].domain}"
    code, text = _verdict(relay, STRANGER, "someone@example.net", robot)
    assert code == 554 and "Client host rejected" in text, text


def test_the_relay_settings_are_in_effect(relay: Relay) -> None:
    _, b = _senders()
    shown = relay.postfix.postconf("-n")
    assert f"smtpd_client_message_rate_limit = {sitemail.MESSAGE_RATE_LIMIT}\n" in shown
    assert f"anvil_rate_time_unit = {sitemail.RATE_TIME_UNIT}\n" in shown
    cidr = f"cidr:{relay.postfix.config / 'pic-sites.cidr'}"
    query = subprocess.run(
        ["postmap", "-c", str(relay.postfix.config), "-q", SITE_B, cidr], capture_output=True, text=True, check=True
    )
    assert query.stdout.strip() == sitemail.restriction_class(b.slug)


def _postfix_sendmail(relay: Relay) -> subprocess.CompletedProcess[str]:
    """Postfix's own sendmail (not msmtp) with the relay's configuration, as the user running the test."""
    message = "From: someone@example.net\nTo: someone@example.net\nSubject: local\n\nHello.\n"
    sendmail = "/usr/sbin/sendmail"  # Debian's postfix package's
    return subprocess.run(
        [sendmail, "-C", str(relay.postfix.config), "-t", "-i"],
        input=message,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_member_with_a_shell_cannot_hand_mail_to_postfixs_sendmail() -> None:
    """A message given to Postfix's sendmail meets none of the sites' rules (their domains, their rate): the
    accounts of members with a shell on the host are refused it, and any other account still submits."""
    require_program("postfix")
    me = pwd.getpwuid(os.getuid()).pw_name  # the member with a shell, in this test: the user running it
    a, b = _senders()
    with running_relay([a, b], address="127.0.0.1", port=free_port(), shells=(me,)) as relay:
        refused = _postfix_sendmail(relay)
        assert refused.returncode != 0, refused.stderr
        assert f"User {me}({os.getuid()}) is not allowed to submit mail" in refused.stderr, refused.stderr
    with running_relay([a, b], address="127.0.0.1", port=free_port(), shells=("someone-else",)) as relay:
        taken = _postfix_sendmail(relay)
        assert taken.returncode == 0, taken.stderr + relay.postfix.log_text()[-2000:]
        assert [m.mail_from for m in relay.delivered(1)] == [f"{me}@relay.test"]


def test_a_site_beyond_its_message_rate_is_refused(relay: Relay) -> None:
    a, _ = _senders()
    # The rate is the relay's; lowered here so that a test sends a few messages, not a hundred.
    subprocess.run(
        ["postconf", "-c", str(relay.postfix.config), "-e", "smtpd_client_message_rate_limit = 2"], check=True
    )
    subprocess.run(["postfix", "-c", str(relay.postfix.config), "reload"], check=True, capture_output=True)
    results = [_send(relay, a, SITE_A)[0].returncode for _ in range(3)]
    assert results[:2] == [0, 0]
    assert results[2] != 0
    log = (relay.root / a.slug / "mail.log").read_text().splitlines()
    assert f"smtpstatus=450 smtpmsg='450 4.7.1 Error: too much mail from {SITE_A}'" in log[-1]
    relay.postfix.wait_for_queue_empty()
    assert len(relay.sink.received) == 2


def test_site_addresses_are_unique_inside_the_network_and_never_the_gateway() -> None:
    import ipaddress

    from pic.registry import UID_BELOW_DYNAMIC, UID_MAX, UID_MIN, MemberSpec
    from pic.render import web

    subnet = ipaddress.ip_network(web.NETWORK_SUBNET)
    dynamic = ipaddress.ip_network(web.NETWORK_DYNAMIC)
    seen = set()
    base = MemberSpec.model_validate({"name": "x", "contact": {"name": "x", "email": "x@example.org"}, "uid": UID_MIN})
    for uid in range(UID_MIN, UID_MAX + 1):
        m = Member("x", "members/x.yaml", base.model_copy(update={"uid": uid}), "web1")
        address = ipaddress.ip_address(sitemail.site_address(m))
        assert address in subnet and address not in sitemail.SKIPPED, (uid, address)
        assert (address in dynamic) == (uid > UID_BELOW_DYNAMIC), (uid, address)
        seen.add(address)
    assert len(seen) == UID_MAX - UID_MIN + 1
    reserved = {web.PROXY_ADDRESS, web.PHPMYADMIN_ADDRESS, sitemail.RELAY_ADDRESS}
    assert not reserved & {str(a) for a in seen}


def test_runtime_images_send_through_msmtp_with_the_members_configuration() -> None:
    from pic.render import web

    settings, _ = example()
    for key in settings.runtime_keys():
        dockerfile = web.php_image(settings, key).dockerfile
        assert "apt-get install -y --no-install-recommends msmtp msmtp-mta;" in dockerfile, key
        assert f"ln -sf {sitemail.CONTAINER_CONFIG} /etc/msmtprc;" in dockerfile, key
        assert f"printf 'sendmail_path = \"{sitemail.SENDMAIL_PATH}\"\\n' > /etc/php/{key}/$sapi/conf.d/" in dockerfile

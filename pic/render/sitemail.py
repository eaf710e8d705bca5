"""Mail from sites: PHP's ``mail()`` through the web host's Postfix, with senders tied to the member.

Inside each runtime image, msmtp (Debian's ``msmtp-mta``) is ``/usr/sbin/sendmail``
and PHP's ``sendmail_path``. Its configuration, :func:`render_msmtprc`, is the
member's: placed on the web host (``/etc/pic/mail/sites/<slug>/msmtprc``) and
mounted read only into the container, where ``/etc/msmtprc`` points at it, so
that a change of domains rewrites a file and never replaces the container. It
relays to the web host's Postfix at the gateway of the platform's network (172.30.0.1),
with the member's envelope sender (:func:`envelope_sender`), and logs every
message, delivered or refused, to the member's ``log/mail.log``.

The web host's Postfix (:func:`postfix_settings`, :func:`render_sites_cidr`)
knows each site container by its fixed address (:func:`site_address`, from the
member's uid; a container has no capability to forge its source address) and
accepts from it only senders in the member's own domains
(``Member.sender_domains``), with a rate limit per container. The design follows
Postfix's documented per-client restriction classes (RESTRICTION_CLASS_README:
``check_client_access`` returning a class name, the class a
``check_sender_access`` map of its domains, then a ``REJECT`` with the reason; ``cidr_table(5)`` for the
addresses; ``inline`` maps, postconf(5) "inline:{...}", Postfix >= 3.0) and
its client rate limits (``smtpd_client_message_rate_limit``, anvil(8), counted
per client address per ``anvil_rate_time_unit``).

Does not: check the ``From:`` header at the relay (msmtp writes it when the
message has none; a member's own SMTP client may still write another, which
the receiving side judges by DMARC against the envelope's SPF), or sign with
DKIM: the platform publishes no records for site domains (only for list
domains, :mod:`pic.render.dns`), so the member adds the web host to its own
SPF record (README, "Mail from sites").
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from pic import names
from pic.registry import UID_MAX, UID_MIN, Member
from pic.render import render
from pic.render.web import NETWORK_GATEWAY, SITE_ROOT

# The web host as the containers reach it: the bridge's address, the network's gateway, set
# explicitly (without it Docker takes the first address of the ip_range, 172.30.128.0);
# tests/test_containers.py checks it on a real engine.
RELAY_ADDRESS = NETWORK_GATEWAY
RELAY_PORT = 25
# Sites' fixed addresses: the member's uid offset from 172.30.1.0 (the proxy and phpMyAdmin hold
# 172.30.0.2 and .3): uid 42511 (pic.registry.UID_BELOW_DYNAMIC) gets 172.30.127.255, the last address
# below 172.30.128.0/17, where Docker hands out its own (pic.render.web.NETWORK_DYNAMIC); a higher uid
# skips 172.30.128.0/24 (Docker's first dynamic addresses): uid 59999 gets 172.30.197.79.
SITES_BASE = ipaddress.IPv4Address("172.30.1.0")
SKIPPED = ipaddress.IPv4Network("172.30.128.0/24")
# Where the member's msmtp configuration is, inside the container (a directory mount:
# a file mount would keep the old file after a rewrite by rename).
CONTAINER_CONFIG_DIR = "/etc/pic-mail"
CONTAINER_CONFIG = f"{CONTAINER_CONFIG_DIR}/msmtprc"
HOST_CONFIG_ROOT = "/etc/pic/mail/sites"
LOG_FILE = f"{SITE_ROOT}/log/mail.log"
SENDMAIL_PATH = "/usr/sbin/sendmail -t -i"
# The Postfix files on the web host.
CIDR_MAP = "/etc/postfix/pic-sites.cidr"
# Messages a site may send per hour (anvil's unit below), and recipients: a contact form or a
# password reset sends a few; a newsletter belongs on a mailing list (Sympa), not in mail().
MESSAGE_RATE_LIMIT = 100
RECIPIENT_RATE_LIMIT = 300
RATE_TIME_UNIT = "3600s"
LOCAL_PART = names.SITE_SENDER_LOCAL_PART
# What the relay answers a site sending as another domain (after "Sender address rejected:").
REFUSAL = "REJECT not a domain of this site: send from one of the domains of its member"


def site_address(member: Member) -> str:
    """The fixed IPv4 address of a member's site container on the platform's network.

    ``172.30.1.0 + (uid - 10000)``, 256 further from 172.30.128.0 on: unique per member since uids are
    (pic.registry); below Docker's dynamic range for a uid up to ``UID_BELOW_DYNAMIC``. Raises ValueError
    for a uid outside ``UID_MIN``..``UID_MAX``.
    """
    if not UID_MIN <= member.uid <= UID_MAX:
        raise ValueError(f"{member.file}: uid {member.uid} is outside {UID_MIN}..{UID_MAX}, it has no site address")
    address = SITES_BASE + (member.uid - UID_MIN)
    if address >= SKIPPED.network_address:
        address += SKIPPED.num_addresses
    return str(address)


def envelope_sender(member: Member) -> str:
    """The default envelope sender of a member's site: ``no-reply@<first sender domain>``."""
    domains = member.sender_domains
    if not domains:
        raise ValueError(f"{member.file}: member {member.slug} has no site")
    return f"{LOCAL_PART}@{domains[0]}"


def host_config_dir(slug: str) -> str:
    return f"{HOST_CONFIG_ROOT}/{slug}"


def render_msmtprc(
    member: Member, *, host: str = RELAY_ADDRESS, port: int = RELAY_PORT, logfile: str = LOG_FILE
) -> str:
    """msmtp's configuration for a member's site (msmtp(1), "Configuration files")."""
    return render(
        "sitemail/msmtprc.j2",
        slug=member.slug,
        host=host,
        port=port,
        sender=envelope_sender(member),
        logfile=logfile,
    )


def restriction_class(slug: str) -> str:
    return "pic_site_" + slug.replace("-", "_")


def running_senders(members: list[Member]) -> list[Member]:
    """Members whose site may send: a PHP site with at least one domain, in the given order."""
    return [m for m in members if m.runtime is not None and m.sender_domains]


def render_sites_cidr(members: list[Member], *, addresses: dict[str, str] | None = None) -> str:
    """cidr_table(5): each site container's address to its member's restriction class.

    ``addresses`` overrides :func:`site_address` by slug (tests on loopback).
    """
    rows = [((addresses or {}).get(m.slug) or site_address(m), restriction_class(m.slug)) for m in members]
    return render("sitemail/pic-sites.cidr.j2", rows=rows)


def postfix_settings(
    members: list[Member],
    *,
    cidr_map: str = CIDR_MAP,
    local_networks: str = "127.0.0.0/8",
    mail_host: bool = False,
    shells: Sequence[str] = (),
) -> dict[str, str]:
    """main.cf parameters of the web host's relay (applied with ``postconf -e``).

    A site may relay only with a sender of its own domains (restriction class per member);
    rate limits per client (anvil). Any other client: on a web host, refused; on the mail host
    (``mail_host``: the same Postfix receives the lists' mail, :func:`pic.render.mail.postfix_settings`),
    accepted for the host's own domains only, the lists', as Postfix's default relay
    restrictions do (``reject_unauth_destination``, postconf(5) smtpd_relay_restrictions).

    ``shells``: the accounts of the host's members with a shell (``access.ssh``), which may not hand
    mail to Postfix's ``sendmail`` (postconf(5) authorized_submit_users): a message submitted there
    meets none of the restrictions above. Their SMTP to port 25 is refused by the host's firewall
    (web-host-setup.sh.j2), as is the sites' SMTP to anywhere but this relay.
    """
    cidr = f"cidr:{cidr_map}"
    others = "" if mail_host else ", reject"  # what follows the sites' classes for any other client
    classes = {
        restriction_class(m.slug): "check_sender_access inline:{ "
        + ", ".join(f"{{ {d} = OK }}" for d in m.sender_domains)
        + f" }}, check_sender_access static:{{{REFUSAL}}}"
        for m in members
    }
    return {
        # All interfaces: the network's bridge may come up after Postfix; on a web host the
        # restrictions below refuse any client but loopback and the sites.
        "inet_interfaces": "all",
        # The sites' network is IPv4; the mail host also receives the lists' mail, over IPv6 too.
        "inet_protocols": "all" if mail_host else "ipv4",
        "mydestination": "$myhostname, localhost",
        # The host's own clients (cron's reports, the renewal script's curl to localhost): on the mail host,
        # which listens on IPv6 too, "localhost" may be ::1 first (Debian's /etc/hosts), as in Postfix's own
        # default (mynetworks_style = host).
        "mynetworks": f"{local_networks} [::1]/128" if mail_host else local_networks,
        "smtpd_restriction_classes": ", ".join(classes) if classes else "",
        **classes,
        "smtpd_client_restrictions": f"permit_mynetworks, check_client_access {cidr}{others}",
        "smtpd_relay_restrictions": f"permit_mynetworks, check_client_access {cidr}, "
        + ("reject_unauth_destination" if mail_host else "reject"),
        "smtpd_sender_restrictions": f"permit_mynetworks, check_client_access {cidr}{others}",
        "smtpd_null_access_lookup_key": "<>",
        "smtpd_client_message_rate_limit": str(MESSAGE_RATE_LIMIT),
        "smtpd_client_recipient_rate_limit": str(RECIPIENT_RATE_LIMIT),
        "anvil_rate_time_unit": RATE_TIME_UNIT,
        "smtpd_client_event_limit_exceptions": "$mynetworks",
        "authorized_submit_users": ", ".join([*(f"!{s}" for s in sorted(shells)), "static:anyone"]),
        "smtp_tls_security_level": "may",
    }


def render_relay_script(
    host: str,
    members: list[Member],
    *,
    mailname: str,
    config_dir: str = "/etc/postfix",
    cidr_map: str = CIDR_MAP,
    install: bool = True,
    systemd: bool = True,
    addresses: dict[str, str] | None = None,
    local_networks: str = "127.0.0.0/8",
    mail_host: bool = False,
    shells: Sequence[str] = (),
) -> str:
    """Install Postfix on a web host (``install``) and make it the sites' relay; restart it.

    ``members``: the web host's members whose sites send (:func:`running_senders`); ``shells``: the
    accounts of the host's members with a shell, refused Postfix's ``sendmail`` (:func:`postfix_settings`).
    ``mail_host``: the host is also the mail host, whose Postfix receives the lists' mail
    (:func:`postfix_settings`). Tests pass
    their own ``config_dir``, ``cidr_map`` and ``addresses`` and start Postfix themselves
    (``systemd=False``).
    """
    senders = running_senders(members)
    return render(
        "sitemail/relay.sh.j2",
        host=host,
        mailname=mailname,
        config_dir=config_dir,
        cidr_map=cidr_map,
        cidr=render_sites_cidr(senders, addresses=addresses),
        settings=postfix_settings(
            senders, cidr_map=cidr_map, local_networks=local_networks, mail_host=mail_host, shells=shells
        ),
        install=install,
        systemd=systemd,
    )

"""Everything ``pic check`` verifies, as one call that the program and the CLI share."""

from __future__ import annotations

import datetime as dt
import ipaddress
import posixpath
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pic import eol, phpini
from pic.crosschecks import name_key
from pic.errors import PicError, Problem, Severity, show_value
from pic.names import a_labels
from pic.networks import DOCUMENTATION_BLOCKS, PRIVATE_NETWORKS, private_network, reserved_block
from pic.registry import UID_BELOW_DYNAMIC, Member, Registry, address_paths, addresses, load_registry
from pic.secrettext import labelled_password
from pic.settings import TLS_CA_NAMES, Settings, display_path, load_settings, repository_host, sftp_target
from pic.validators import (
    BEYOND_LATIN,
    MixedWord,
    documentation_domain,
    documentation_place,
    is_this_machine,
    latin_skeleton,
    mixed_script_words,
    short_repr,
    u_labels,
)
from pic.yamlsrc import format_loc

if TYPE_CHECKING:
    from pic.lists_audit import DeadDomain, Providers


@dataclass(frozen=True, eq=False, repr=False)
class Checked:
    settings: Settings
    registry: Registry
    warnings: list[Problem]


def settings_warnings(settings: Settings, project_dir: Path) -> list[Problem]:
    file = display_path(project_dir / f"Pulumi.{settings.stack}.yaml")
    out = []
    for release in settings.debian_releases():
        if release not in settings.base_images:
            out.append(
                Problem(
                    file,
                    None,
                    f"pic:base_images.{release}",
                    f"the base image of Debian {release} is not pinned: images build FROM pic/debian:{release}, "
                    f"whatever it is on the host; pin it with the ID scripts/build-base-image {release} prints",
                    "warning",
                )
            )
    out += documentation_name_warnings(settings)
    out += _zone_warnings(settings, file)
    out += _default_host_warnings(settings, file)
    out += smtp_warnings(settings, file)
    out += offsite_time_warnings(settings)
    out += offsite_loopback_warnings(settings)
    out += offsite_user_warnings(settings)
    out += _edge_address_warnings(settings)
    for key in settings.needed_secrets():
        if key not in settings.secrets:
            out.append(
                Problem(
                    file,
                    None,
                    f"pic:{key}",
                    f"is not set yet: set it with `pulumi config set --secret pic:{key}` before `pulumi up`",
                    "warning",
                )
            )
    return out


# The stack's names that a public stack checks (pic.settings.Settings._public_names), as (setting, key) of their
# section: each is a name the Internet must reach, and Sympa's and phpMyAdmin's are in certificates.
_STACK_NAMES = (
    ("mail", "sympa_domain"),
    ("mail", "mx"),
    ("phpmyadmin", "domain"),
    ("dns", "zones"),
    ("dns", "nameservers"),
)


# The admins' addresses (pic.settings: the domain of the admins' mailboxes), but the ACME account's, told apart: mail
# to a name under a documentation domain reaches IANA, not the admins.
_ADMIN_ADDRESSES = (("admin_email",), ("smtp", "sender"), ("mail", "dmarc_reports"), ("db", "report_to"))


def documentation_name_warnings(settings: Settings) -> list[Problem]:
    """The stack's names under a name IANA holds for documentation (RFC 2606 §3: ``example.com``, ``.net``,
    ``.org``; :func:`pic.validators.documentation_domain`) when its certificates come from a public authority: a
    warning each, naming the setting and its line.

    A warning, not the error a member's file gets (pic.registry): Pulumi.prod.yaml is the repository's template,
    whose placeholders (``listes.example.org``, ``pma.example.org``) ``pic check`` and ``make demo`` pass on; the
    admins give their own names before ``pulumi up``, when the authority would refuse these. A host's ssh
    ``address`` is no certificate's name, and is not told, but for the mail host's when ``pic:mail.mx`` is not set:
    it is then every list domain's MX (told at ``pic:mail``). The admins' addresses there (``pic:admin_email``,
    ``pic:smtp.sender``, ``pic:mail.dmarc_reports``, ``pic:db.report_to``: :data:`_ADMIN_ADDRESSES`) are a warning
    each: mail to them reaches IANA, not the admins.

    The ACME account's address (``pic:tls.acme_email``, the template's ``admin@example.org``) is a warning too: the
    authority's expiry notices sent there reach IANA, not the admins, and Let's Encrypt registers no account whose
    address is at example.com, example.net or example.org itself (Boulder's policy, ``forbiddenMailDomains``:
    "contact email has forbidden domain"), so certbot's first run fails."""
    ca = settings.tls.ca
    if ca == "internal":
        return []
    out = []
    email = settings.tls.acme_email
    domain = email.rpartition("@")[2]
    parent = documentation_domain(domain)
    if parent is not None:
        file, line = settings.where("tls", "acme_email")
        at = domain if domain.lower() == parent else f"{domain}, under {parent}"
        out.append(
            Problem(
                file,
                line,
                "pic:tls.acme_email",
                f"{short_repr(email, 80)} is at {at}, a name IANA holds for documentation (RFC 2606 §3), a "
                f"placeholder of the example stack: its mail reaches IANA, not the admins, and {TLS_CA_NAMES[ca]} "
                "registers no account with an address at example.com, example.net or example.org; write the "
                "admins' own address before `pulumi up`",
                "warning",
            )
        )
    for keys in _ADMIN_ADDRESSES:
        address: object = settings
        for part in keys:
            address = getattr(address, part, None)
        if not isinstance(address, str):
            continue  # not set
        domain = address.rpartition("@")[2]
        parent = documentation_domain(domain)
        if parent is not None:
            file, line = settings.where(*keys)
            at = domain if domain.lower() == parent else f"{domain}, under {parent}"
            out.append(
                Problem(
                    file,
                    line,
                    "pic:" + ".".join(keys),
                    f"{short_repr(address, 80)} is at {at}, a name IANA holds for documentation (RFC 2606 §3), a "
                    "placeholder of the example stack: mail to it reaches IANA, not the admins; write the admins' own "
                    "address before `pulumi up`",
                    "warning",
                )
            )
    if settings.mail.mx is None:
        # the mail host's address is then every list domain's MX (Settings.mail_exchanger), as a special-use name
        # there is refused (pic.settings: "mx is required")
        address = settings.mail_exchanger
        parent = documentation_domain(address)
        if parent is not None:
            file, line = settings.where("mail")
            out.append(
                Problem(
                    file,
                    line,
                    "pic:mail",
                    f"has no mx: the mail host's address {short_repr(address, 80)} "
                    f"(pic:hosts.{settings.mail_host}.address) is the lists' mail exchanger, and it "
                    f"{documentation_place(address, parent)}, a name IANA holds for documentation (RFC 2606 §3), a "
                    "placeholder of the example stack: its DNS is IANA's, and the lists' mail would not reach the "
                    "platform; set mx to a public name of the mail host, or give the host a name of the "
                    "association's own, before `pulumi up`",
                    "warning",
                )
            )
    out += _documentation_address_warnings(settings)
    for section, key in _STACK_NAMES:
        value: str | list[str] | None = getattr(getattr(settings, section), key, None)
        for i, domain in enumerate([value] if isinstance(value, str) else value or []):
            parent = documentation_domain(domain)
            if parent is None:
                continue
            loc: tuple[str | int, ...] = (section, key) if isinstance(value, str) else (section, key, i)
            file, line = settings.where(*loc)
            setting = f"pic:{section}.{key}" if isinstance(value, str) else f"pic:{section}.{key}[{i}]"
            out.append(
                Problem(
                    file,
                    line,
                    setting,
                    f"{short_repr(domain, 80)} {documentation_place(domain, parent)}, a name IANA holds for "
                    "documentation (RFC 2606 §3), "
                    f"a placeholder of the example stack: its DNS is IANA's, not the platform's, and "
                    f"{TLS_CA_NAMES[ca]} issues no certificate for it; write the association's own names before "
                    "`pulumi up`",
                    "warning",
                )
            )
    return out


# The shortest prefix of a network's own subnets that keeps two addresses apart for the network and its broadcast
_LONGEST_SUBNET = 30


def _edge_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """What an address in a private network (:data:`PRIVATE_NETWORKS`) is on every subnet of it a host may be on,
    when it is no one host's there, else None: in IPv4, the subnet's own address (all its host bits zero) or its
    broadcast address (all ones) on every subnet from the block's prefix to /30 (10.0.0.0, 10.255.255.255; 10.0.0.255
    is a host's on a /16); in IPv6, which has no broadcast, the subnet-router anycast address of its /64 (RFC 4291
    §2.6.1: the interface identifier all zeros), which the subnet's routers answer."""
    block = next((n for n in PRIVATE_NETWORKS if address.version == n.version and address in n), None)
    if block is None:
        return None
    if address.version == 6:
        if int(address) & (2**64 - 1):
            return None
        return (
            f"the subnet-router anycast address of {ipaddress.IPv6Network((address, 64))} (RFC 4291 §2.6.1: an "
            "interface identifier of zeros), which the subnet's routers answer, not one host"
        )
    host_bits = 2 ** (address.max_prefixlen - block.prefixlen) - 1
    low = int(address) & host_bits
    if low == 0:
        what = "the network's own address"
    elif low == host_bits:
        what = "the broadcast address"
    else:
        return None
    return (
        f"{what} of every subnet of {block} it may be on, from /{block.prefixlen} to /{_LONGEST_SUBNET}, not one "
        "host's: only on a /31 (RFC 3021, a point-to-point link) or a /32 does a host hold it"
    )


def _edge_address_warnings(settings: Settings) -> list[Problem]:
    """A host's ``private_address`` that no one host holds on any subnet of usual size it may be on
    (:func:`_edge_address`): MariaDB would bind, and the firewall let in, an address no host answers at. A warning,
    not an error: pic does not know the netmask, and a /31 or a /32 (a WireGuard peer) makes it a host's."""
    out = []
    for name, host in settings.hosts.items():
        address = ipaddress.ip_address(host.private_address)
        if (what := _edge_address(address)) is None:
            continue
        file, line = settings.where("hosts", name, "private_address")
        out.append(
            Problem(
                file,
                line,
                f"pic:hosts.{name}.private_address",
                f"{address} is {what}; give {name}'s own address in its private network",
                "warning",
            )
        )
    return out


def _documentation_address_warnings(settings: Settings) -> list[Problem]:
    """A host's ``public_addresses`` in a block reserved for documentation (RFC 5737, RFC 3849, RFC 9637: the README's
    192.0.2.10) or in a private network (RFC 1918, RFC 6598, RFC 4193: its ``private_address`` pasted there) on a
    public stack, a warning each at its line, as a documentation name of the stack is: the zones NSD serves publish it
    as the host's A or AAAA record, and the Internet reaches no host there. A lab stack (``ca: internal``) may use
    them, and is not told (:func:`documentation_name_warnings` is called on a public one only)."""
    out = []
    for name, host in settings.hosts.items():
        for i, text in enumerate(host.public_addresses):
            address = ipaddress.ip_address(text)
            if (block := reserved_block(address, DOCUMENTATION_BLOCKS)) is not None:
                what = f"{block}, an example's address: the Internet reaches no host there"
            elif (network := private_network(address)) is not None:
                what = f"{network}: no one outside that network reaches {name} there"
            else:
                continue
            file, line = settings.where("hosts", name, "public_addresses", i)
            out.append(
                Problem(
                    file,
                    line,
                    f"pic:hosts.{name}.public_addresses[{i}]",
                    f"{short_repr(text, 80)} is {what}, and the address records and SPF records made of it lead "
                    f"nowhere; write the addresses the Internet reaches {name} at before `pulumi up`",
                    "warning",
                )
            )
    return out


def _default_host_warnings(settings: Settings, file: str) -> list[Problem]:
    """Several web hosts and no ``pic:default_web_host``: the members whose file names no host, Sympa and
    phpMyAdmin live on the one whose name sorts first, which a web host added later with a name sorting before
    it (web0, a-web) takes over, moving them all in that change."""
    if len(settings.web_hosts) < 2 or settings.default_web_host is not None:
        return []
    first = settings.web_hosts[0]
    return [
        Problem(
            file,
            None,
            "pic:default_web_host",
            f"is not set while the stack has {len(settings.web_hosts)} web hosts: the members whose file names no "
            f"host: live on {first}, the first by name, and a web host added with a name sorting before it would "
            f"take them all; write pic:default_web_host: {first}",
            "warning",
        )
    ]


def smtp_warnings(settings: Settings, file: str) -> list[Problem]:
    """``pic:smtp`` sending a login over a connection in clear to another machine (``security: none``)."""
    smtp = settings.smtp
    if smtp is None or smtp.security != "none" or smtp.username is None or is_this_machine(smtp.host):
        return []
    return [
        Problem(
            file,
            None,
            "pic:smtp.security",
            f'"none" with a username: pic notify sends the login and the password to {smtp.host} in clear, '
            "readable by anyone on the way; use starttls or tls (none is for a relay on this machine, or one "
            "that takes mail without a login)",
            "warning",
        )
    ]


OFFSITE_DUMPS_MAX_AGE_MINUTES = 12 * 60  # a night's copy holding the dumps of the morning before is the mistake


def offsite_time_warnings(settings: Settings) -> list[Problem]:
    """``pic:backup.offsite.time`` set where each night's snapshot takes the nightly dumps (``pic:backup.time``)
    being written or those of the day before: at the dumps' own minute, or more than 12 hours after them (03:00
    against dumps at 03:15: 23 h 45 after). The age of the dumps each snapshot holds is the time from
    ``pic:backup.time`` to ``offsite.time``, around the clock (both in the hosts' local time)."""
    offsite = settings.backup.offsite
    if offsite is None:
        return []
    dumps, copy = (int(t[:2]) * 60 + int(t[3:]) for t in (settings.backup.time, offsite.time))
    age = (copy - dumps) % (24 * 60)
    if 0 < age <= OFFSITE_DUMPS_MAX_AGE_MINUTES:
        return []
    if age == 0:
        what = (
            f"starts with the nightly dumps (pic:backup.time {settings.backup.time}): each snapshot leaves out the "
            "dumps still being written and holds the night before's in their place"
        )
    else:
        what = (
            f"starts {age // 60} h {age % 60:02d} after the nightly dumps (pic:backup.time {settings.backup.time}): "
            "each snapshot holds dumps made that long before, a database restored from it loses that much more"
        )
    file, line = settings.where("backup", "offsite", "time")
    return [
        Problem(
            file,
            line,
            "pic:backup.offsite.time",
            f"{offsite.time} {what}; set it once the dumps are done, e.g. an hour or so after pic:backup.time "
            "(default 04:30 for dumps at 03:15)",
            "warning",
        )
    ]


def offsite_loopback_warnings(settings: Settings) -> list[Problem]:
    """``pic:backup.offsite.repository`` at a loopback address or ``localhost`` (:func:`is_this_machine`) on a stack
    with a host reached over ssh: every host would back up to a store on itself, each to another one, and lose it
    with the host. A warning, not an error: a store on loopback is one of the tests' (tests/test_daemons_offsite.py),
    and a tunnel to the backup server may listen there; the dev stack, every host the admin's own machine, is not
    told."""
    offsite = settings.backup.offsite
    if offsite is None or all(host.connection == "local" for host in settings.hosts.values()):
        return []
    host = repository_host(offsite.repository)
    # a host of the platform (its address, private or public one): that host's backups kept on itself, lost with it
    platform = (
        None
        if host is None
        else next(
            (
                name
                for name, spec in settings.hosts.items()
                if host.lower() in (spec.address.lower(), spec.private_address, *spec.public_addresses)
            ),
            None,
        )
    )
    if host is None or (platform is None and not is_this_machine(host)):
        return []
    file, line = settings.where("backup", "offsite", "repository")
    if platform is not None:
        said = (
            f"is at {short_repr(host, 80)}, the platform's host {platform}: it would keep its own backups, lost "
            "with it, and the other hosts' theirs on it, none off-site; give the address of the backup server, a "
            "machine of its own"
        )
    else:
        said = (
            f"is at {short_repr(host, 80)}, the loopback of the host that reads it: every host would back up to a "
            "store on itself, lost with it, and none off-site; give the address of the backup server, a machine of "
            "its own (unless a tunnel to it listens there on every host)"
        )
    return [Problem(file, line, "pic:backup.offsite.repository", said, "warning")]


# A user's name as Debian's adduser makes one (its default NAME_REGEX, adduser.conf(5)): small letters, digits, '-'
# and '_', a letter first; useradd's too, with '.' (a machine account's final '$' aside)
_ADDUSER_NAME = re.compile(r"[a-z_][a-z0-9_.-]*")


def offsite_user_warnings(settings: Settings) -> list[Problem]:
    """``pic:backup.offsite.repository``, an sftp one, whose user reads as a password
    (:func:`pic.secrettext.labelled_password`: ``sftp://Lilas2024@vault.example.org//srv/restic``) and is no name
    adduser makes (:data:`_ADDUSER_NAME`: a capital, a sign): ssh would log in as it (OpenSSH takes any name), and
    the stack file may hold a password in clear, written where user:password@ would put it. A warning, not an
    error: a server's user may be named so; the user is not shown."""
    offsite = settings.backup.offsite
    target = None if offsite is None else sftp_target(offsite.repository)
    if target is None or not labelled_password(target.user):
        return []
    if _ADDUSER_NAME.fullmatch(target.user) is not None:  # lilas2024, u12345: an account's name may be so
        return []
    file, line = settings.where("backup", "offsite", "repository")
    said = (
        "has a user (not shown) shaped as a password, not as a name a server's account has (small letters, digits, "
        "'-', '_'): ssh would log in as that user, and the stack file may hold a password in clear; if it is one, "
        "write the account's name before the '@' instead (the server takes the ssh key pic:backupSshKey) and change "
        "the password"
    )
    return [Problem(file, line, "pic:backup.offsite.repository", said, "warning")]


def _zone_warnings(settings: Settings, file: str) -> list[Problem]:
    """Names the platform needs an address for (its hosts', Sympa's web interface, phpMyAdmin's, the mail
    exchanger) inside a zone NSD serves (backend zonefile) whose host has no known public address: the zone
    publishes each such name's A/AAAA records from its host's ``public_addresses``, else its IP ``address``
    (pic.render.dns.address_records), so without either the name resolves to nothing once the zone is delegated
    to NSD."""
    if settings.dns.backend != "zonefile":
        return []
    from pic.render.dns import nameservers, platform_names, zone_of  # the renderer only for a served zone

    glue = {n.lower().rstrip(".") for n in nameservers(settings)}  # the name servers have their glue
    by_zone: dict[str, dict[str, str]] = {}
    hosts: dict[str, set[str]] = {}
    for item in platform_names(settings, []):
        name = item.name.lower().rstrip(".")
        zone = zone_of(name, settings.dns.zones)  # the deepest zone served that holds it
        if zone is None or name in glue or settings.hosts[item.host].published_addresses:
            continue
        by_zone.setdefault(zone, {})[name] = item.what
        hosts.setdefault(zone, set()).add(item.host)
    out = []
    for i, zone in enumerate(settings.dns.zones):
        inside = by_zone.get(zone)
        if inside:
            shown = "; ".join(f"{name} ({what})" for name, what in sorted(inside.items()))
            give = ", ".join(f"pic:hosts.{h}.public_addresses" for h in sorted(hosts[zone]))
            out.append(
                Problem(
                    file,
                    None,
                    f"pic:dns.zones[{i}]",
                    f"{zone} is served by NSD, which publishes the platform's names in it with their host's public "
                    f"addresses, and none is known for {shown}: they would have no address once the zone is "
                    f"delegated here (the program writes the whole zone); give {give} (the addresses the Internet "
                    "reaches the host at)",
                    "warning",
                )
            )
    return out


# Why a member's site does not run on a day (pic.eol.site_state), for the warnings below.
_NOT_RUNNING = {
    "suspended": "the member is suspended (status: suspended)",
    "archived": "the member is archived (status: archived)",
    "refused": "its runtime is stopped or past its end of life without a valid exception",
}


def _starts_in_www(command: str) -> bool:
    """Whether ``command`` starts by changing to www/ or a directory in it, as dash reads its words (``cd www``,
    ``cd "./www/"``, ``(cd www && ...)``, ``cd -P -- www/wordpress``, ``cd -LP www``): from www/, where the job
    runs, none exists."""
    from pic.shsyntax import literal, tokens  # sh's grammar: loaded for the members with cron jobs

    words = tokens(command)
    while words and words[0].text in ("(", "{"):
        words.pop(0)
    if not words or (words[0].kind, words[0].text) != ("word", "cd"):
        return False
    values = []
    for token in words[1:]:
        if token.kind != "word":
            break
        values.append(literal(token.text))
    # dash's cd takes -L and -P, alone or together (-LP, -PL)
    while values and values[0] is not None and re.fullmatch(r"-[LP]+", values[0]):
        values.pop(0)
    if values[:1] == ["--"]:
        values.pop(0)
    if len(values) != 1 or values[0] is None:
        return False
    path = posixpath.normpath(values[0])
    return path == "www" or path.startswith("www/")


def _cron_path_warnings(m: Member, settings: Settings) -> list[Problem]:
    """A cron command naming the member's space by its path on the web host (``/srv/members/SLUG/www/x.php``),
    which its container, where the job runs, does not have; or starting with ``cd www`` (:func:`_starts_in_www`),
    the directory the job runs in already (``cd www && php x.php`` stops at ``cd``): the job would fail at every
    run."""
    out = []
    host_space = f"{settings.members_root}/"
    for i, job in enumerate(m.spec.cron):
        if host_space in job.command:
            from pic.render.web import SITE_ROOT  # the renderer only for such a command

            message = (
                f"names {settings.members_root}/..., where the member's space is on the web host: the job runs in "
                f"the site's container, where that space is {SITE_ROOT} (the job starts in {SITE_ROOT}/www): write "
                f"{SITE_ROOT}/www/..., or a path relative to www/ (php wp-cron.php, ../priv/...)"
            )
        elif _starts_in_www(job.command):
            message = (
                "starts with cd www, but the job runs in www/ already (there is no www/www): remove the cd, or give "
                "paths relative to www/ (cd wordpress, ../priv/...)"
            )
        else:
            continue
        line = m.line_of("cron", i, "command")
        out.append(Problem(m.file, line, f"cron[{i}].command", message, "warning"))
    return out


def _cron_cpu_warnings(m: Member, settings: Settings) -> list[Problem]:
    """A cron command running taskset with a mask that names no CPU the web host has (``taskset -c 999``): the
    kernel sets no affinity of no CPU there, and taskset runs nothing (failed to set pid ...'s affinity: Invalid
    argument, exit 1). The command's own check cannot know the host's CPUs: told here with what is known, the
    host's CPUs when it declares them (``pic:hosts.<name>.cpus``), else any CPU but 0, which every host has."""
    from pic.cron import taskset_cpus  # the cron commands' reading: loaded for the members with cron jobs

    host = settings.hosts.get(m.host)
    cpus = None if host is None else host.cpus
    out = []
    for i, job in enumerate(m.spec.cron):
        if "taskset" not in job.command:
            continue
        for written, least in taskset_cpus(job.command):
            if least < (cpus or 1):
                continue
            fewer = "one CPU" if least == 1 else f"{least} CPUs or fewer"
            said = (
                f"names CPU {least} at least ({written}): taskset refuses it on a host of {fewer} (taskset: failed "
                "to set pid PID's affinity: Invalid argument) and runs nothing (exit 1), the job going on without it"
            )
            if cpus == 1:
                message = (
                    f"{said}, and web host {m.host} has one CPU (pic:hosts.{m.host}.cpus), CPU 0: name it, or run "
                    "the command without taskset"
                )
            elif cpus is not None:
                message = (
                    f"{said}, and web host {m.host} has {cpus} CPUs (pic:hosts.{m.host}.cpus), numbered 0 to "
                    f"{cpus - 1}: name one of those, or run the command without taskset"
                )
            else:
                message = (
                    f"{said}; web host {m.host} declares no number of CPUs (pic:hosts.{m.host}.cpus), so CPU 0 "
                    "alone is known to be there: declare them to have it checked, or name CPU 0"
                )
            out.append(Problem(m.file, m.line_of("cron", i, "command"), f"cron[{i}].command", message, "warning"))
    return out


def _shell_without_key(m: Member) -> list[Problem]:
    """The warning of ``access.ssh: true`` for an active member with no key in ``access.sftp_keys`` (in a list; an
    empty one otherwise): the web hosts' sshd takes keys alone (``PasswordAuthentication no``), so no one logs in."""
    access = m.spec.access
    if not access.ssh or access.sftp_keys or m.spec.status != "active":
        return []
    message = (
        "is true while access.sftp_keys holds no key: the shell, as sftp, is opened with a key alone (no password), "
        "so no one can log in until a key is added"
    )
    return [Problem(m.file, m.line_of("access", "ssh"), "access.ssh", message, "warning")]


def member_warnings(registry: Registry, settings: Settings, on: dt.date) -> list[Problem]:
    """What a valid member file asks for that will not happen, or that visitors will see, on day ``on``.

    - ``cron:`` jobs of a member whose site does not run (suspended, archived, refused runtime):
      no timer is installed (``MemberSite`` installs jobs only for a running site), so they do not
      run until it runs again;
    - ``site.php_settings.display_errors: true``: PHP's errors, with the server's paths, are shown
      to every visitor (php.ini-production turns it off for that reason);
    - ``site.php_settings.upload_max_filesize`` above the site container's /tmp (``phpini.SITE_TMP_MB``),
      where PHP writes an upload while it comes in: a larger file is never received;
    - ``site.php: none`` (a static site) with ``databases:``: no PHP reads them, and a PHP site switched
      to static stops running (its ``.php`` files are answered 404, never shown);
    - ``databases:`` of a site whose runtime is built ``without_extensions: [mysql]``: its PHP has no
      mysqli nor pdo_mysql, so the site cannot reach them;
    - ``lists.domain`` that is also one of the site's domains (or X of its ``www.X``), or the domain
      of the contact's address: its MX goes to the platform's Sympa, which takes every address of
      the domain and refuses those that are not lists (``contact@``, the site's own mail, the
      contact's address when it is there);
    - ``uid`` above ``UID_BELOW_DYNAMIC``: the site's fixed address is in Docker's dynamic range, where a
      container started without an address could take it first;
    - ``contact.email`` at another member's list domain or at ``pic:mail.sympa_domain``: Sympa receives
      its mail, so what the admins and ``pic notify`` write to the contact goes to a list of others or bounces;
    - ``contact.email`` that ``pic lists audit`` would flag (:func:`_contact_unreachable`): a closed or misspelt
      provider's domain, an unknown top-level domain;
    - ``contact.email`` (and any address of the member: :func:`pic.registry.addresses`) at example.com, .net or
      .org or under one, on a public stack (:func:`documentation_address`): its mail reaches IANA;
    - ``contact.email`` with letters outside ASCII before the @ (:func:`contact_needs_smtputf8`): it receives mail
      only through servers that all offer SMTPUTF8 (RFC 6531);
    - a site domain, ``lists.domain`` or the contact's domain written wholly in letters of another script that
      each look Latin (:func:`look_alike_domains`);
    - ``name`` that another member's is, written alike (:func:`same_names`): the same association twice?
    - a word of ``name`` that mixes scripts, a letter alone among words of another script, or a word in letters of
      another script that each look Latin among Latin words (:func:`mixed_scripts`): a slip, or a name passing for
      another;
    - a cron command naming the space's path on the web host, or starting with ``cd www``
      (:func:`_cron_path_warnings`): the job would fail at every run;
    - ``access.ssh: true`` of an active member with no key in ``access.sftp_keys``: the shell, as sftp, is opened
      with a key alone (the web hosts' sshd: ``PasswordAuthentication no``), so no one can log in.
    """
    out = same_names(registry)
    list_domains = {m.lists.domain: m for m in registry if m.lists is not None}
    # Most members have no cron job, no PHP setting, no database: each check below that needs one is asked only
    # of those that have it.
    for m in registry:
        spec, site = m.spec, m.spec.site
        if not spec.name.isascii() and BEYOND_LATIN.search(spec.name):  # most names are in Latin letters alone
            out += mixed_scripts(m)
        if spec.lists is not None:
            warning = _list_domain_warning(m, spec.lists.domain)
            if warning is not None:
                out.append(warning)
        out += _contact_warnings(m, settings, list_domains)
        if address_paths(type(spec)) != {("contact", "email")}:  # a member's only address today: not walked for
            out += [
                p
                for loc, address in addresses(spec)
                if loc != ("contact", "email")  # told by _contact_warnings, with where else it is
                for p in [documentation_address(m, settings, loc, address)]
                if p is not None
            ]
        out += look_alike_domains(m)
        out += _shell_without_key(m)
        if spec.cron:
            out.extend(_cron_path_warnings(m, settings))
            out.extend(_cron_cpu_warnings(m, settings))
            state = eol.site_state(m, settings, on)
            if state in _NOT_RUNNING:
                jobs = f"{len(spec.cron)} cron job{'s' if len(spec.cron) != 1 else ''}"
                message = f"{jobs} will not run: {_NOT_RUNNING[state]}, so its site and jobs are stopped"
                out.append(Problem(m.file, m.line_of("cron"), "cron", message, "warning"))
        if site is not None and site.php_settings.get("display_errors") is True:
            out.append(
                Problem(
                    m.file,
                    m.line_of("site", "php_settings", "display_errors"),
                    "site.php_settings.display_errors",
                    "is on: PHP's errors, with the server's paths, are shown to every visitor; "
                    "for a test site only (errors are in log/php-error.log either way)",
                    "warning",
                )
            )
        if site is not None and not site.static and "upload_max_filesize" in site.php_settings:
            out += _uploads_beyond_tmp(m)
        if site is not None and site.static and spec.databases:
            dbs = ", ".join(spec.databases)
            message = (
                f"is none (a static site) while the member has databases ({dbs}): no PHP reads them, and the "
                "site's .php files are not run (answered 404); if the site is PHP, give its runtime"
            )
            out.append(Problem(m.file, m.line_of("site", "php"), "site.php", message, "warning"))
        runtime = settings.runtimes.get(m.runtime) if spec.databases and m.runtime is not None else None
        if runtime is not None and "mysql" in runtime.without_extensions:
            dbs = ", ".join(m.spec.databases)
            message = (
                f'"{m.runtime}": runtime {m.runtime} is built without mysql '
                f"(pic:runtimes.{m.runtime}.without_extensions): its PHP has neither mysqli nor pdo_mysql, so the "
                f"site cannot reach the member's databases ({dbs}); move the site to a runtime built with them"
            )
            out.append(Problem(m.file, m.line_of("site", "php"), "site.php", message, "warning"))
        if m.uid > UID_BELOW_DYNAMIC:
            from pic.render.sitemail import site_address  # the renderers (and jinja2) only for such a rare member
            from pic.render.web import NETWORK_DYNAMIC

            address = site_address(m)
            message = (
                f"{m.uid} gives the site the fixed address {address}, inside {NETWORK_DYNAMIC}, where Docker hands "
                "out addresses to containers started on the network pic-web without one (the platform starts none): "
                "a container an admin starts there could take it first, and the site's container would not start; "
                f"pic new gives uids up to {UID_BELOW_DYNAMIC}, below that range"
            )
            out.append(Problem(m.file, m.line_of("uid"), "uid", message, "warning"))
        out += _site_domains_in_served_zones(m, settings)
    return out


def _uploads_beyond_tmp(m: Member) -> list[Problem]:
    """``site.php_settings.upload_max_filesize`` above the container's /tmp: PHP writes an upload there while the
    request comes in (``upload_tmp_dir``), so a file larger than the tmpfs fails whatever the setting allows."""
    chosen = m.site.php_settings if m.site is not None else {}
    if "upload_max_filesize" not in chosen:
        return []
    try:
        size = phpini.effective_bytes(chosen, "upload_max_filesize")
    except ValueError:  # refused by the registry's check already
        return []
    if size <= phpini.SITE_TMP_MB * phpini.MiB:
        return []
    loc = ("site", "php_settings", "upload_max_filesize")
    message = (
        f"{m.shown(loc, chosen['upload_max_filesize'])} lets through files that PHP cannot receive: it writes an "
        f"upload to the site container's /tmp while the request comes in, a {phpini.SITE_TMP_MB} MB tmpfs (in the "
        'container\'s memory), so a file above that fails (UPLOAD_ERR_CANT_WRITE, "Failed to write file to disk"), '
        f"and so do several files of one request that together pass it; set {phpini.SITE_TMP_MB}M at most, and send "
        "larger files by sftp"
    )
    return [Problem(m.file, m.line_of(*loc), "site.php_settings.upload_max_filesize", message, "warning")]


def same_names(members: Iterable[Member]) -> list[Problem]:
    """A member whose ``name`` is an earlier member's (by file), written alike (:func:`name_key`), is a warning
    naming it: most likely one association given a second file (a second account, uid and space, its sites and
    lists split between the two), an archived member come back included; two associations of one name are
    told apart by their names."""
    first: dict[str, Member] = {}
    out = []
    for m in members:
        key = name_key(m.spec.name)
        other = first.setdefault(key, m)
        if other is m or not key:
            continue
        where = f"{other.file}:{other.line_of('name')}" if other.line_of("name") is not None else other.file
        archived = " (archived: make it active again rather than add it anew)" if other.status == "archived" else ""
        out.append(
            Problem(
                m.file,
                m.line_of("name"),
                "name",
                f"{show_value(m.spec.name)} is also the name of {where} ({show_value(other.spec.name)}){archived}: "
                "the same association twice? A member has one file, for all its sites, lists and databases; if "
                "these are two associations, give each a name that tells them apart",
                "warning",
            )
        )
    return out


def mixed_scripts(m: Member) -> list[Problem]:
    """A word of ``name`` that mixes scripts (:func:`pic.validators.mixed_script_words`: ``Vélо`` with a
    Cyrillic ``о``) is a warning naming the word and each character of another script. It is almost always a slip
    of the keyboard or a name made to pass for another's, shown in reports, in mail to the contact and on Sympa's
    pages. A name in another script, or words of two scripts side by side (``Vélo Лион``), is not one; nor is a
    script written without spaces beside Latin in one word (``ชมรมฟุตบอลFC``). A letter alone between words of
    another script that looks like a letter of theirs (``Club а Lyon``, a Cyrillic ``а``; ``Клуб I Москва``, a
    Latin ``I``) is one, naming the letter; and a word written wholly in letters of another script that each look
    Latin, among Latin words (``Club Рорѕ Lyon``, in Cyrillic: a whole-script confusable, UTS #39 §4), naming
    the word and its letters."""
    return [
        Problem(m.file, m.line_of("name"), "name", _mixed_words(m.spec.name, mixed), "warning")
        for mixed in mixed_script_words(m.spec.name)
    ]


def _mixed_words(name: str, mixed: MixedWord) -> str:
    """What :func:`mixed_scripts` says of one word of ``name``: a letter alone, a word that looks Latin, or a word
    mixing scripts."""
    if mixed.alone:
        return (
            f"{show_value(name)}: the letter {show_value(mixed.word)} mixes scripts with the words "
            f"around it: {_code_point(mixed.word[0])} alone among {mixed.script} words, almost always a slip "
            "of the keyboard or a name made to look like another; write it in the script of those words"
        )
    said = ", ".join(f"{show_value(ch)} ({_code_point(ch)})" for ch in mixed.others)
    if mixed.look_alike:
        # the Latin word it passes for, its marks aside (Ро́рѕ looks like Pops)
        latin = latin_skeleton(
            "".join(ch for ch in unicodedata.normalize("NFD", mixed.word) if not unicodedata.combining(ch))
        )
        reads = f", it looks like {show_value(latin)}" if latin is not None and latin.isascii() else ""
        return (
            f"{show_value(name)}: the word {show_value(mixed.word)} is written in {mixed.script} letters "
            f"that each look like a Latin one ({said}){reads}, among Latin words: almost always a keyboard left on "
            "another layout or a name made to look like another; write it in Latin letters"
        )
    return (
        f"{show_value(name)}: the word {show_value(mixed.word)} mixes scripts: {said} among "
        f"{mixed.script} letters, almost always a slip of the keyboard or a name made to look like another; "
        "write the word in one script"
    )


def _code_point(ch: str) -> str:
    """``U+043E CYRILLIC SMALL LETTER O``; the code point alone for a character this Python has no name of."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X}"


def _site_domains_in_served_zones(m: Member, settings: Settings) -> list[Problem]:
    """A site domain inside a zone NSD serves (backend zonefile) whose web host has no known public address: the
    zone publishes the site's address records from the host's (pic.render.dns.address_records), and has none to
    publish (as for the platform's names, :func:`_zone_warnings`)."""
    zones = settings.dns.zones if settings.dns.backend == "zonefile" and m.site is not None else []
    if not zones:  # first: published_addresses parses the host's address, for every member
        return []
    host = settings.hosts.get(m.host)
    if host is None or host.published_addresses or m.status == "archived":
        return []
    out = []
    for i, domain in enumerate(m.site.domains if m.site is not None else ()):
        zone = next((z for z in zones if domain == z or domain.endswith(f".{z}")), None)
        if zone is not None:
            out.append(
                Problem(
                    m.file,
                    m.line_of("site", "domains", i),
                    f"site.domains[{i}]",
                    f"{domain} is inside {zone}, a zone NSD serves for the platform (pic:dns.zones), which publishes "
                    f"the site's address from its web host's, but none is known for {m.host} (its address "
                    f"{host.address} is a name): the site would have no address, nor a certificate; give "
                    f"pic:hosts.{m.host}.public_addresses, or the site a name outside the zone",
                    "warning",
                )
            )
    return out


def _contact_warnings(m: Member, settings: Settings, list_domains: dict[str, Member]) -> list[Problem]:
    """What keeps the admins' and ``pic notify``'s messages from the contact's address: at most one of where it
    is (Sympa's, a dead or misspelt domain), and its letters outside ASCII before the @."""
    found = [
        _contact_at_sympa(m, settings, list_domains)
        or documentation_address(m, settings, ("contact", "email"), m.spec.contact.email)
        or _contact_unreachable(m)
    ]
    if not m.spec.contact.email.isascii():  # most addresses are ASCII
        found.append(contact_needs_smtputf8(m))
    return [p for p in found if p is not None]


def look_alike_domains(m: Member) -> list[Problem]:
    """A site domain, ``lists.domain`` or the contact's address whose domain has a label written wholly in letters
    of another script that each look like a Latin one under a top-level domain not of that script (``аррӏе.com``,
    ``xn--80ak6aa92e.com``: a whole-script confusable, UTS #39 §4, as :func:`pic.lists_audit.look_alike` reads it):
    a warning each, naming the domain as written and in Unicode. Each label is of one script, so the checks of
    names pass it; browsers show such a name in punycode, and it passes for another's (``apple.com``). A warning,
    not an error: the association may own it. A label that looks like no Latin word (``москва``) is not one."""
    fields: list[tuple[tuple[str | int, ...], str, str]] = []
    if m.site is not None:
        fields += [(("site", "domains", i), f"site.domains[{i}]", d) for i, d in enumerate(m.site.domains)]
    if m.lists is not None:
        fields.append((("lists", "domain"), "lists.domain", m.lists.domain))
    email = m.spec.contact.email
    fields.append((("contact", "email"), "contact.email", email))
    out = []
    for loc, field, written in fields:
        domain = a_labels(written.rpartition("@")[2])
        if "xn--" not in domain:  # most names are ASCII: no label to look at
            continue
        from pic.lists_audit import look_alike

        why = look_alike(written.rpartition("@")[2])  # its labels named as written (АРРӀЕ), not as IDNA maps them
        if why is None:
            continue
        message = (
            f"{written} ({u_labels(domain)}): {why}; it passes for another's name wherever it is shown (browsers "
            "show it in punycode): check with the association that it is the one meant"
        )
        out.append(Problem(m.file, m.line_of(*loc), field, message, "warning"))
    return out


def documentation_address(m: Member, settings: Settings, loc: tuple[str | int, ...], address: str) -> Problem | None:
    """A member's e-mail address (``contact.email``, :func:`pic.registry.addresses`) at a name IANA holds for
    documentation or under one (RFC 2606 §3, :func:`pic.validators.documentation_domain`), on a stack whose
    certificates come from a public authority, as the stack's own addresses are told
    (:func:`documentation_name_warnings`): mail to it reaches IANA, not the association, so the admins' messages and
    ``pic notify``'s warnings of a runtime's end of life never reach it; or None. A lab (``ca: internal``) writes
    to no one there."""
    if settings.tls.ca == "internal":
        return None
    domain = address.rpartition("@")[2]
    parent = documentation_domain(domain)
    if parent is None:
        return None
    at = domain if domain.rstrip(".").lower() == parent else f"{domain}, under {parent}"
    return Problem(
        m.file,
        m.line_of(*loc),
        format_loc(loc),
        f"{short_repr(address, 80)} is at {at}, a name IANA holds for documentation (RFC 2606 §3), a placeholder: "
        "mail to it reaches IANA, not the association, so the admins' messages and pic notify's warnings (a "
        "runtime's end of life) would never reach it; write the association's own address",
        "warning",
    )


def _contact_at_sympa(m: Member, settings: Settings, list_domains: dict[str, Member]) -> Problem | None:
    """A contact's address at a domain whose mail Sympa receives, not the member's own list domain (which
    :func:`_list_domain_warning` tells), or None."""
    email = m.spec.contact.email
    domain = a_labels(email.rpartition("@")[2])
    holder = list_domains.get(domain)
    if domain == settings.mail.sympa_domain:
        whose = "pic:mail.sympa_domain, the platform's own list domain"
    elif holder is not None and holder is not m:
        whose = f"the list domain of {holder.file}"
    else:
        return None
    return Problem(
        m.file,
        m.line_of("contact", "email"),
        "contact.email",
        f"{email} is at {domain}, {whose}: Sympa receives its mail and takes only its lists' addresses, so the "
        "admins' messages and pic notify's to this contact would go to a list of others or bounce; give the "
        "contact's own address",
        "warning",
    )


@cache
def _address_audit() -> tuple[Mapping[str, DeadDomain], Providers]:
    """The dead domains and the mailbox providers ``pic lists audit`` reads addresses with, loaded once."""
    from pic.lists_audit import load_domains, load_providers  # only for a contact at another domain

    return load_domains(), load_providers()


def _contact_unreachable(m: Member) -> Problem | None:
    """A contact's address that ``pic lists audit`` would flag (pic.lists_audit.domain_flag): at a closed or
    misspelt mailbox provider's domain (``voila.fr``, ``gmial.com``, ``hotmail.fe``), an unknown top-level domain
    (``orange.frr``) or a public suffix, where the admins' messages and, for a member with a site, ``pic
    notify``'s warnings of its runtime's end of life would never arrive; or None. A warning, not an error: the
    lists of dead domains and of top-level domains are data that ages (a top-level domain created after the
    Public Suffix List shipped), and the address may still be the one the association gave. A contact at one of
    the member's own domains (its site's, its list domain), at a name above one (``orage.fr`` of ``www.orage.fr``
    or ``listes.orage.fr``) or under one is not looked at: the association's own name, however close to a
    provider's."""
    email = m.spec.contact.email
    local, _, written = email.rpartition("@")
    domain = a_labels(written)
    own = [*(m.site.domains if m.site is not None else ()), *((m.lists.domain,) if m.lists is not None else ())]
    if any(d == domain or d.endswith(f".{domain}") or domain.endswith(f".{d}") for d in own):
        return None
    from pic.lists_audit import domain_flag

    # read in Unicode, as pic lists audit reads a subscriber's domain: its punycode would name a top-level domain
    # no one wrote (.xn--fsqu00a for .例子) and hide a slip (xn--orang-fsa.fr is orangé.fr, one from orange.fr)
    found = domain_flag(u_labels(domain), *_address_audit())
    if found is None:
        return None
    problem, meant = found
    fix = f" (suggested: {local}@{meant})" if meant else ""
    # pic notify writes of a site's runtime alone: a member without a site gets the admins' messages only
    lost = (
        "the admins' messages and pic notify's warnings of the runtime's end of life"
        if m.site is not None
        else "the admins' messages"
    )
    return Problem(
        m.file,
        m.line_of("contact", "email"),
        "contact.email",
        f"{show_value(email)}: {problem}{fix}: {lost} would not reach the contact; check the address with the "
        "association",
        "warning",
    )


def contact_needs_smtputf8(m: Member) -> Problem | None:
    """A contact's address with letters outside ASCII before the @ (an internationalised local part, RFC 6531 and
    RFC 6532), or None. Such a mailbox receives mail only when every server on the way offers the SMTPUTF8
    extension: ``pic:smtp``'s relay for ``pic notify`` (which sends the others and reports this one when the relay
    does not offer it), then each relay after it and the contact's own server, which no one can check beforehand.
    A domain alone in Unicode needs no such server: ``pic notify`` writes it in punycode (IDNA A-labels, RFC 5891).

    A warning, not an error: the address goes into no program's configuration (only ``pic notify``'s and the
    admins' messages), and it may be the only one the contact has. The hint is the same letters without their
    accents (``élodie`` -> ``elodie``, Unicode's decomposition, NFKD), when that leaves ASCII, as an address to ask
    the association about: it is another mailbox, which only the association can say is the contact's."""
    email = m.spec.contact.email
    local, _, domain = email.rpartition("@")
    if local.isascii():
        return None
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", local) if not unicodedata.combining(ch))
    ask = f"e.g. {bare}@{domain}, if it is theirs" if bare.isascii() else "one of letters, digits and . _ + - only"
    return Problem(
        m.file,
        m.line_of("contact", "email"),
        "contact.email",
        f"{show_value(email)} has letters outside ASCII before the @ (an internationalised address, RFC 6531): it "
        "receives mail only when every server on the way offers SMTPUTF8, pic:smtp's relay first (pic notify "
        "reports the contact as not sent otherwise), then the contact's own, which many do not; ask the "
        f"association for an address of the same person written in ASCII before the @ ({ask})",
        "warning",
    )


def _list_domain_warning(m: Member, domain: str) -> Problem | None:
    """A list domain that is a name the association already uses for its site or its mail, or None."""
    contact_domain = a_labels(m.spec.contact.email.rsplit("@", 1)[1])
    site = m.site.domains if m.site is not None else []
    if domain in site:
        what = "the site's domain"
    elif f"www.{domain}" in site:
        what = f"the domain of the site's www.{domain}"
    elif domain == contact_domain:
        what = "the domain of the contact's address"
    else:
        return None
    also = f", {m.spec.contact.email} (the contact's address) among them" if domain == contact_domain else ""
    return Problem(
        m.file,
        m.line_of("lists", "domain"),
        "lists.domain",
        f"{domain} is also {what}: its MX then points to the platform's Sympa, which refuses every "
        f"address of {domain} that is not a list{also}; a list domain of its own (e.g. "
        f"listes.{domain.removeprefix('www.')}) keeps the association's mail where it is",
        "warning",
    )


def default_cpus(registry: Registry, settings: Settings, on: dt.date) -> list[Problem]:
    """``pic:limits.cpus`` is at most the CPUs of each web host that declares them (``pic:hosts.<name>.cpus``)
    where a site's container gets it on day ``on``: a site that runs (:func:`pic.eol.site_state`) without a
    ``limits.cpus`` of its own. A site that does not run has no container: a suspended or archived member, a
    runtime stopped or past its end of life without a valid exception (refused: that has its own error); made
    to run again, it is checked then. Docker refuses to create a container given more ("Range of CPUs is from
    0.01 to N.00, as there are only N CPUs available"), and a container whose limit changes is replaced, the old
    one removed first: the site would stay down. A host where every running site sets its own (or that has none)
    is not concerned."""
    default = settings.limits.cpus
    out = []
    for name, host in sorted(settings.hosts.items()):
        if host.role != "web" or host.cpus is None or default <= host.cpus:
            continue
        given = [
            m.file
            for m in registry
            if m.host == name
            and (m.spec.limits is None or m.spec.limits.cpus is None)
            and eol.site_state(m, settings, on) == "running"
        ]
        if not given:
            continue
        file, line = settings.where("limits", "cpus")
        shown = ", ".join(given[:3]) + (f" and {len(given) - 3} more" if len(given) > 3 else "")
        whose = (
            f"site of {shown} gets it (no limits.cpus of its own)"
            if len(given) == 1
            else f"sites of {shown} get it (no limits.cpus of their own)"
        )
        out.append(
            Problem(
                file,
                line,
                "pic:limits.cpus",
                f"{default:g} is more than the {host.cpus} CPUs of web host {name} (pic:hosts.{name}.cpus), and "
                f"the {whose}: Docker refuses to create a site's container given more, and the site would stay "
                f"down; give at most {host.cpus}, or "
                + ("that member a limits.cpus of its own" if len(given) == 1 else "those members one of their own"),
            )
        )
    return out


def own_cpus(registry: Registry, settings: Settings, on: dt.date) -> list[Problem]:
    """A member's own ``limits.cpus`` is at most the CPUs of its web host when that host declares them
    (``pic:hosts.<name>.cpus``), as :func:`default_cpus` says for the stack's default: an error when its site
    runs on day ``on`` (Docker refuses to create the container given more, and a new limit replaces it, the old
    one removed first: the site would stay down), a warning when it does not (no site, a suspended or archived
    member, a runtime stopped or past its end of life without a valid exception: no container gets the limit
    today, but the site could not run again with it)."""
    out = []
    for m in registry:
        cpus = m.spec.limits.cpus if m.spec.limits is not None else None
        host = settings.hosts.get(m.host)
        if cpus is None or host is None or host.cpus is None or cpus <= host.cpus:
            continue
        shown = m.shown(("limits", "cpus"), cpus)
        what = f"{shown} is more than the {host.cpus} CPUs of web host {m.host} (pic:hosts.{m.host}.cpus)"
        state = eol.site_state(m, settings, on)
        if state == "running":
            why = "Docker refuses to create the site's container given more, and the site would stay down"
            severity: Severity = "error"
        else:
            now = _NOT_RUNNING.get(state, "the member has no site")
            why = (
                f"no container gets it as of {on.isoformat()} ({now}), but Docker would refuse to create the "
                "site's container given more the day it runs"
            )
            severity = "warning"
        out.append(
            Problem(
                m.file, m.line_of("limits", "cpus"), "limits.cpus", f"{what}: {why}; give at most {host.cpus}", severity
            )
        )
    return out


def check(project_dir: Path, stack: str, members_dir: Path, on: dt.date) -> Checked:
    """Load and validate settings, registry and the end-of-life policy; raise PicError on any error."""
    settings = load_settings(project_dir, stack)
    try:
        registry = load_registry(members_dir, settings)
    except PicError as refused:  # a day offered for an exception's end, said against the day of the check
        raise PicError(eol.days_offered(refused.problems, on)) from None
    findings = (
        eol.evaluate(registry, settings, on)
        + default_cpus(registry, settings, on)
        + own_cpus(registry, settings, on)
        + settings_warnings(settings, project_dir)
        + member_warnings(registry, settings, on)
        + list(registry.warnings)
    )
    errors = [p for p in findings if p.severity == "error"]
    if errors:
        raise PicError(findings)
    return Checked(settings, registry, sorted(findings))

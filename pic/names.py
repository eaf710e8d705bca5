"""Every name the platform derives, in one table, so that no two things on a host share one.

A member's slug is its unix user and group, the prefix of its resources and of
its database names; its domains become Caddy sites, certificates, Postfix and
Sympa entries. The platform has names of its own in the same spaces: hosts,
components and containers, the platform's unix groups, Debian's system
accounts, MariaDB's schemas and accounts, the domains of the stack settings.
:func:`platform_names` lists the platform's names by space; the registry adds
each member's names to the same table and reports every collision with both
owners (:mod:`pic.registry`).

Spaces:
- ``domain``: site domains, list domains, the stack's own domains (Sympa's,
  phpMyAdmin's, the MX, host addresses, DNS zones and their name servers);
- ``unix``: user and group names on the hosts (member slugs and the rest);
- ``resource``: the program's component names; a slug that equals one, or is
  the first word of one (``tls`` of ``tls-ca``), would file that resource under
  the member in ``pic plan``;
- ``database``: MariaDB database and user names;
- ``label``: the words ``pic plan`` and ``pic status`` write where a member's slug goes, for what is no
  member's (``platform``: a member of that slug would be listed, and counted, with the shared resources).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from pic.settings import Settings

Space = Literal["domain", "unix", "resource", "database", "label"]
_Add = Callable[[Space, Iterable[str], str, str], None]

# The platform's unix groups on the web hosts (sshd_config.j2 and member-space.sh.j2 use them).
GROUP_SFTP = "pic-sftp"
GROUP_SSH = "pic-ssh"
GROUP_LOCKED = "pic-locked"
# Containers and the docker network of a web host.
NETWORK = "pic-web"
PROXY_CONTAINER = "pic-proxy"
PHPMYADMIN_CONTAINER = "pic-phpmyadmin"
DB_DEV_CONTAINER = "pic-db"
# MariaDB accounts of the platform (pic/render/db.py).
DB_ADMIN_USER = "pic_admin"
DB_BACKUP_USER = "pic_backup"

# Debian's static system users and groups: /usr/share/base-passwd/{passwd,group}.master (base-passwd 3.6).
DEBIAN_BASE_USERS = [
    "root",
    "daemon",
    "bin",
    "sys",
    "sync",
    "games",
    "man",
    "lp",
    "mail",
    "news",
    "uucp",
    "proxy",
    "www-data",
    "backup",
    "list",
    "irc",
    "_apt",
    "nobody",
    "gnats",
]
DEBIAN_BASE_GROUPS = [
    "root",
    "daemon",
    "bin",
    "sys",
    "adm",
    "tty",
    "disk",
    "lp",
    "mail",
    "news",
    "uucp",
    "man",
    "proxy",
    "kmem",
    "dialout",
    "fax",
    "voice",
    "cdrom",
    "floppy",
    "tape",
    "sudo",
    "audio",
    "dip",
    "www-data",
    "backup",
    "operator",
    "list",
    "irc",
    "src",
    "shadow",
    "utmp",
    "video",
    "sasl",
    "plugdev",
    "staff",
    "games",
    "users",
    "nogroup",
    "gnats",
]
# Dynamic accounts that Debian's packages on the hosts create (systemd, openssh, docker.io, postfix, sympa,
# mariadb, nsd, unbound, certbot's ssl-cert, cron), and names an admin would expect to be theirs.
PACKAGE_ACCOUNTS = [
    "systemd-journal",
    "systemd-network",
    "systemd-resolve",
    "systemd-timesync",
    "systemd-coredump",
    "messagebus",
    "input",
    "kvm",
    "render",
    "sgx",
    "netdev",
    "clock",
    "_ssh",
    "sshd",
    "crontab",
    "ssl-cert",
    "docker",
    "postfix",
    "postdrop",
    "sympa",
    "mysql",
    "nsd",
    "unbound",
    "caddy",
    # the admin account of Debian's and Ubuntu's cloud images (sudo), and the backup and ACME tools' own
    "debian",
    "ubuntu",
    "restic",
    "certbot",
    "tss",
    "uuidd",
    "polkitd",
    "_chrony",
    "ntp",
    "dnsmasq",
    "tcpdump",
    "bind",
    "opendkim",
    "opendmarc",
    "memcache",
    "redis",
]
ADMIN_NAMES = ["deploy", "admin", "admins", "www", "ftp", "pic", "wheel"]
# MariaDB: the system schemas (mariadb.com/kb/en/understanding-mariadb-architecture) and built-in accounts.
MARIADB_SCHEMAS = ("mysql", "information_schema", "performance_schema", "sys")
MARIADB_USERS = ("root", "mysql", "mariadb.sys", "PUBLIC")
# Components of the program whose names do not depend on the settings (__main__.py).
FIXED_COMPONENTS = ("sympa", "dns", "phpmyadmin", "tls-ca", "dmarc")
CONTAINERS = (NETWORK, PROXY_CONTAINER, PHPMYADMIN_CONTAINER, DB_DEV_CONTAINER, "pic")
# What pic plan and pic status write in a member's place for the resources and domains of no member.
PLATFORM_LABEL = "platform"


# Sympa keeps each list domain's configuration in a directory of its etc (Debian: /etc/sympa/<domain>/robot.conf,
# pic.render.mail.SympaLayout) and takes every directory there holding a robot.conf for a robot (Conf.pm,
# get_robots_list); its own files sit beside them: Debian's auth.conf and topics.conf, those it reads there when
# present (charset.conf, mime.types, sympa.wsdl, ca-bundle.crt, ...: its default/ directory), the platform's
# Postfix maps (transport.sympa, virtual.sympa and postmap's .db). A list domain whose last label is one of these
# file extensions could name one of them (none is a top-level domain: tests/test_inputs.py checks the list).
SYMPA_ETC_SUFFIXES = ("conf", "tt2", "types", "wsdl", "crt", "pem", "version", "sympa", "db", "bin")


@dataclass(frozen=True, eq=False, repr=False)
class Owner:
    """Who holds a name: a file (and the field in it) or a part of the platform, in words."""

    file: str
    what: str

    def __str__(self) -> str:
        return f"{self.file} ({self.what})" if self.file else self.what


def platform_names(settings: Settings, stack_file: str) -> dict[tuple[Space, str], Owner]:
    """The platform's own names by (space, name), each with its owner."""
    out: dict[tuple[Space, str], Owner] = {}

    def add(space: Space, names: Iterable[str], file: str, what: str) -> None:
        for name in names:
            out.setdefault((space, name), Owner(file, what))

    add("unix", [GROUP_SFTP, GROUP_SSH, GROUP_LOCKED], "", "a unix group of the platform")
    add("unix", DEBIAN_BASE_USERS, "", "a system user of Debian (base-passwd)")
    add("unix", DEBIAN_BASE_GROUPS, "", "a system group of Debian (base-passwd)")
    add("unix", PACKAGE_ACCOUNTS, "", "a system account of a package on the hosts")
    add("unix", ADMIN_NAMES, "", "a name kept for the admins")
    for name, host in settings.hosts.items():
        add("unix", [host.ssh_user], stack_file, f"pic:hosts.{name}.ssh_user")
    add("database", MARIADB_SCHEMAS, "", "a system schema of MariaDB")
    add("database", MARIADB_USERS, "", "an account of MariaDB")
    add("database", [DB_ADMIN_USER, DB_BACKUP_USER], "", "a MariaDB account of the platform")
    for name in settings.hosts:
        add("resource", [name], stack_file, f"pic:hosts.{name}")
    add("resource", FIXED_COMPONENTS, "", "a component of the platform")
    add("resource", CONTAINERS, "", "a container")
    add("label", [PLATFORM_LABEL], "", "what pic plan and pic status call the resources and domains of no member")
    _domains(settings, stack_file, add)
    return out


def _domains(settings: Settings, file: str, add: _Add) -> None:
    add("domain", [settings.mail.sympa_domain], file, "pic:mail.sympa_domain, the main list domain")
    if settings.mail.mx is not None:
        add("domain", [settings.mail.mx], file, "pic:mail.mx, the mail exchanger")
    if settings.phpmyadmin is not None:
        add("domain", [settings.phpmyadmin.domain], file, "pic:phpmyadmin.domain")
    for name, host in settings.hosts.items():
        add("domain", [host.address], file, f"pic:hosts.{name}.address")
    add("domain", settings.dns.zones, file, "pic:dns.zones, a zone of the platform")
    add("domain", settings.dns.nameservers, file, "pic:dns.nameservers")
    # The platform's mail to members (pic notify, reports) comes from these addresses: a site on their
    # domain could send as the admins (its relay lets a site send as its own domains).
    senders = [("pic:admin_email", settings.admin_email)]
    if settings.smtp is not None and settings.smtp.sender is not None:
        senders.append(("pic:smtp.sender", settings.smtp.sender))
    for key, address in senders:
        domain = a_labels(address.rpartition("@")[2])
        add("domain", [domain], file, f"the domain of {key}, {address}, the platform's address to members")
    # The admins' other mailboxes: on a member's domain, that member's mail would receive them.
    for key, address in admin_mailboxes(settings):
        add("domain", [a_labels(address.rpartition("@")[2])], file, f"the domain of {key}, {address}, {ADMIN_MAILBOX}")


ADMIN_MAILBOX = "a mailbox of the admins (certificate notices, dump failures)"


def admin_mailboxes(settings: Settings) -> list[tuple[str, str]]:
    """The admins' mailboxes besides their address to members: (setting, address) of ``pic:tls.acme_email``
    (the ACME account's notices) and ``pic:db.report_to`` (the nightly dumps' failures), when set."""
    out = [("pic:tls.acme_email", settings.tls.acme_email)]
    if settings.db.report_to is not None:
        out.append(("pic:db.report_to", settings.db.report_to))
    return out


def a_labels(domain: str) -> str:
    """``domain`` as member files write it: lowercase, an internationalised one in punycode (IDNA, UTS #46)."""
    if domain.isascii():
        return domain.lower()
    import idna

    try:
        return str(idna.encode(domain, uts46=True).decode("ascii"))
    except (idna.IDNAError, UnicodeError):  # email_validator accepted it: kept as written
        return domain.lower()


class ResourcePrefixes:
    """The platform's resource names, to find one that a member's resource names would be confused with."""

    def __init__(self, names: dict[tuple[Space, str], Owner]) -> None:
        self.owners = {name: owner for (space, name), owner in names.items() if space == "resource"}
        self.ordered = sorted(self.owners)

    def owner_of_prefix(self, slug: str) -> tuple[str, Owner] | None:
        """A platform resource name that starts with ``slug-`` (or that ``slug`` starts with ``name-``), if any.

        O(log n) per slug (a binary search in the sorted names, and one look-up per hyphen of the slug, the
        longest prefix first).
        """
        prefix = f"{slug}-"
        at = bisect.bisect_left(self.ordered, prefix)
        if at < len(self.ordered) and self.ordered[at].startswith(prefix):
            return self.ordered[at], self.owners[self.ordered[at]]
        end = slug.rfind("-")
        while end > 0:  # the longest name first: the most specific one
            if slug[:end] in self.owners:
                return slug[:end], self.owners[slug[:end]]
            end = slug.rfind("-", 0, end)
        return None


# A domain name in text form, without its final dot: 255 octets on the wire (RFC 1035 §2.3.4, §3.1).
MAX_DNS_NAME = 253
# A mail address: a path is at most 256 octets, its angle brackets included (RFC 5321 §4.5.3.1.3).
MAX_ADDRESS = 254
# The local part of a site's default envelope sender, no-reply@<its first sender domain> (pic.render.sitemail).
SITE_SENDER_LOCAL_PART = "no-reply"


def dkim_name(domain: str, selector: str) -> str:
    """The owner of a domain's DKIM key record (RFC 6376 §3.6.2.1)."""
    return f"{selector}._domainkey.{domain}"


def dmarc_name(domain: str) -> str:
    """The owner of a domain's DMARC policy record (RFC 7489 §6.1)."""
    return f"_dmarc.{domain}"


def report_authorization_name(domain: str, reports: str) -> str | None:
    """The owner of the record that lets the domain of mailbox ``reports`` receive ``domain``'s DMARC reports
    (RFC 7489 §7.1), or None when the mailbox is in ``domain`` (no record needed)."""
    report_domain = reports.rsplit("@", 1)[1].lower()
    if domain == report_domain or domain.endswith("." + report_domain):
        return None
    return f"{domain}._report._dmarc.{report_domain}"


def record_name_problem(domain: str, *, selector: str, reports: str, what: str) -> tuple[str, str] | None:
    """Why a record of list domain ``domain`` (:func:`mail_record_names`) has a name DNS cannot hold, or None:
    (the setting to change: "dkim_selector", "dmarc_reports", or "" for the domain itself; the words).
    ``what``: the domain's setting in words ("a list domain", "a sympa_domain")."""
    from pic.errors import show_value

    found = mail_record_names(domain, selector=selector, reports=reports)
    too_long = [name for name in found if len(name) > MAX_DNS_NAME]
    if not too_long:
        return None
    name = max(too_long, key=len)
    fit = MAX_DNS_NAME - max(len(n) - len(domain) for n in found)
    use = f"use {what} of at most {fit} characters"
    setting = ""
    if name == report_authorization_name(domain, reports):
        record = f"DMARC reports' authorization (pic:mail.dmarc_reports, {reports})"
        reports_elsewhere = "give pic:mail.dmarc_reports an address at a shorter domain (or at this one)"
        if fit < len("a.bc"):  # no domain fits beside that reports domain: the reports' address is what to change
            setting, advice = "dmarc_reports", f"{reports_elsewhere}: no {what.removeprefix('a ')} fits with it"
        else:
            advice = f"{use}, or {reports_elsewhere}"
    elif name == dkim_name(domain, selector):
        record, setting, advice = "DKIM key", "dkim_selector", f"{use} (or a shorter pic:mail.dkim_selector)"
    else:
        record, advice = "DMARC policy", use
    return setting, (
        f"the record of its {record} would be named {show_value(name)}, {len(name)} characters, and a DNS name "
        f"holds at most {MAX_DNS_NAME}: no zone can publish that record; {advice}"
    )


def mail_record_names(domain: str, *, selector: str, reports: str) -> list[str]:
    """The owner names of every record a list domain needs (pic.render.dns.mail_records): the domain (MX,
    SPF), its DKIM key, its DMARC policy and, when the reports go elsewhere, their authorization."""
    authorization = report_authorization_name(domain, reports)
    return [domain, dkim_name(domain, selector), dmarc_name(domain), *([authorization] if authorization else [])]


def database_component(slug: str, short: str) -> str:
    """The name of a member database's resources' prefix (``components.member_database``): ``<slug>-db-<short>``."""
    return f"{slug}-db-{short}"


def database_lock(component: str) -> str:
    """The command that locks a member database's user while the member is suspended or archived (its deletion
    unlocks): ``<slug>-db-<short>-lock``. ``pic plan`` tells its reviewers what its addition and removal do."""
    return f"{component}-lock"


MAX_GRANT_DATABASE = 64  # MariaDB: the database part of a grant (mysql.db's Db column, char(64))


def grant_database(database: str) -> str:
    """The database part of a member's GRANT: the name with ``_`` and ``%`` escaped when that fits.

    ``_`` and ``%`` are wildcards in a grant's database name (MariaDB's GRANT documentation,
    "Database Privileges"): unescaped, ``wx_y_main`` also covers ``wxzy_main``. The escaped form
    is longer; MariaDB refuses one over 64 characters ("Incorrect database name"), so a longer
    name keeps its wildcards, and the registry check (``pic.registry``) refuses any other
    member database such a name would cover.
    """
    escaped = escape_grant(database)
    return escaped if len(escaped) <= MAX_GRANT_DATABASE else database


# pic-db-restore's two databases of member database D are ``<base>-restore`` and ``<base>-old``, where
# ``base`` is D when D has at most SCRATCH_BASE_MAX characters, else D's first SCRATCH_PREFIX characters
# and a hash (pic.render.db.restore_databases): both start with member_grant_prefix(D).
SCRATCH_BASE_MAX = 56
SCRATCH_PREFIX = 39


def member_grant_prefix(database: str) -> str:
    """What every database a member's grant covers starts with: the database itself and pic-db-restore's
    two databases of it (:data:`SCRATCH_BASE_MAX`)."""
    return database if len(database) <= SCRATCH_BASE_MAX else database[:SCRATCH_PREFIX]


def member_grant_pattern(database: str) -> str:
    """The database part of a member's one GRANT: its database and the two ``pic-db-restore`` works in.

    ``<prefix>%`` (:func:`member_grant_prefix`), the prefix escaped when that fits MariaDB's 64
    characters (as :func:`grant_database`), else with its ``_`` wildcards. ``%`` matches any
    characters (MariaDB's GRANT documentation, "Database Privileges"): the grant also lets the
    member create databases starting with the prefix, and would cover another member's database
    starting with it, which the registry check refuses (:func:`member_grant_covers`).
    """
    prefix = member_grant_prefix(database)
    escaped = escape_grant(prefix) + "%"
    return escaped if len(escaped) <= MAX_GRANT_DATABASE else prefix + "%"


def member_grant_escaped(database: str) -> bool:
    """Whether the pattern of ``database``'s grant (:func:`member_grant_pattern`) has its prefix escaped, each
    ``_`` matching itself only."""
    prefix = member_grant_prefix(database)
    # escaping at most doubles the prefix: one of at most 31 characters always fits (asked first, of every name)
    return len(prefix) * 2 + 1 <= MAX_GRANT_DATABASE or member_grant_pattern(database) == escape_grant(prefix) + "%"


def member_grant_covers(database: str, other: str) -> bool:
    """Whether the grant of member database ``database`` (:func:`member_grant_pattern`) covers ``other``."""
    prefix = member_grant_prefix(database)
    if len(other) < len(prefix):
        return False
    if other.startswith(prefix):  # covered, whether the pattern's _ are escaped or wildcards
        return True
    if member_grant_escaped(database):  # else only a _ kept as a wildcard can cover it
        return False
    return all(p in ("_", c) for p, c in zip(prefix, other, strict=False))


def system_schema_covered(database: str) -> str | None:
    """The first of MariaDB's system schemas (:data:`MARIADB_SCHEMAS`) that the grant of member database
    ``database`` covers (:func:`member_grant_covers`), or None."""
    # A prefix whose _ stay wildcards has 32 characters or more, longer than any schema's name: the grant covers
    # a schema only when its prefix starts it (asked first: most names start none).
    if member_grant_prefix(database) not in _SCHEMA_STARTS:
        return None
    return next((s for s in MARIADB_SCHEMAS if member_grant_covers(database, s)), None)


_SCHEMA_STARTS = frozenset(schema[:i] for schema in MARIADB_SCHEMAS for i in range(len(schema) + 1))


def shared_grant_name(database: str, other: str) -> str | None:
    """A database name that the grants of both ``database`` and ``other`` cover (:func:`member_grant_pattern`),
    or None when they share none.

    They share one when their prefixes agree on every character of the shorter one, ``_`` of a
    prefix kept unescaped matching any character. More than :func:`member_grant_covers` in either
    direction when a pattern keeps its wildcards: ``a_c..._g________%`` covers no database of member
    ``abc...`` (its ``abc..._g`` is shorter) but does cover ``abc..._g-restore``, where pic-db-restore
    loads that member's dump, and the names that member's own grant lets it create. The name
    returned takes each character from a prefix that holds it as such (``_`` where both match any).
    """
    mine, theirs = member_grant_prefix(database), member_grant_prefix(other)
    any_mine = member_grant_pattern(database) == mine + "%"
    any_theirs = member_grant_pattern(other) == theirs + "%"
    out = []
    for i in range(max(len(mine), len(theirs))):
        a = mine[i] if i < len(mine) and not (any_mine and mine[i] == "_") else None
        b = theirs[i] if i < len(theirs) and not (any_theirs and theirs[i] == "_") else None
        if a is not None and b is not None and a != b:
            return None
        out.append(a or b or "_")
    return "".join(out)


def escape_grant(database: str) -> str:
    """``database`` with the wildcards of a grant's database part (``_``, ``%``) and ``\\`` escaped."""
    return database.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")


def grant_covers(pattern: str, database: str) -> bool:
    """Whether a grant on the unescaped ``pattern`` (``_`` matching any one character) covers ``database``."""
    return len(pattern) == len(database) and all(p in ("_", c) for p, c in zip(pattern, database, strict=True))

"""The checks across member files and against the stack settings (:func:`cross_checks`), and the key two
spellings of one association's name compare by (:func:`name_key`).

Apart from :mod:`pic.registry`, which defines the member's models and makes the members these checks read.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pic import names, phpini, secrettext
from pic.errors import BLANK_LOOKING, HIDDEN_VALUE, Problem, refused_may_be_secret, show_value, shown_unless_secret
from pic.registry import MAX_DB_NAME, Member, Site, meant_runtime
from pic.settings import (
    SYMPA_ROBOT_LOCAL_PARTS,
    TLS_CA_NAMES,
    Settings,
    is_ip,
    not_a_web_host,
    sympa_address,
)
from pic.validators import (
    documentation_domain,
    documentation_words,
    public_name_problem,
    ssh_key_identity,
)
from pic.yamlsrc import (
    HIDDEN_KEY,
    Document,
    format_loc,
    secret_name,
    shown_loc,
)


class _Claim:
    """A member's name in the table of the checks across files: like a :class:`pic.names.Owner`, its file and
    its field and role in words (``site.domains[0], a site domain``), these made only when a message needs them
    (most names are claimed once and never asked)."""

    __slots__ = ("file", "loc", "member", "role", "shown")

    def __init__(self, member: Member, loc: tuple[str | int, ...], shown: str, role: str) -> None:
        self.member, self.file, self.loc, self.shown, self.role = member, member.file, loc, shown, role

    @property
    def what(self) -> str:
        return f"{self.shown}, {self.role}"

    def __str__(self) -> str:
        return f"{self.file} ({self.what})"


class _Cross:
    """The checks across member files and against the stack settings.

    Every derived name goes into one table (:mod:`pic.names`) by space; a name
    met twice is an error that names both owners.
    """

    def __init__(self, settings: Settings, stack_file: str) -> None:
        self.settings = settings
        self.problems: list[Problem] = []
        self.told: set[tuple[str, tuple[str | int, ...]]] = set()  # (file, field) of each error told
        # A host: named by members that the stack has not as a web host (renamed, removed): told once per name.
        self.stray_hosts: dict[str, list[Member]] = {}
        self.uids: dict[int, Member] = {}
        self.keys: dict[str, tuple[Member, int]] = {}  # ssh_key_identity -> first holder, index
        self.platform = names.platform_names(settings, stack_file)
        # every name by (space, name): the platform's, then the members' as they claim them
        self.names: dict[tuple[names.Space, str], names.Owner | _Claim] = dict(self.platform)
        self.resources = names.ResourcePrefixes(self.platform)
        self.shown: dict[tuple[str | int, ...], str] = {}  # field paths as printed
        self.members: dict[str, Member] = {}  # by file, once all are read
        self.domains: dict[str, list[tuple[tuple[str | int, ...], str]]] = {}  # by file: domains_of
        self.public_tlds: set[str] = set()  # the top-level domains public_name found public
        self.order: dict[str, int] = {}  # file -> its place in the order of the checks
        self.sent_as: dict[str, str] = {}  # X of a site domain www.X -> the file of the member sending as X
        # The platform's names that serve its web interfaces and its mail: none under them is a member's.
        self.platform_sites = {
            name
            for name in (
                settings.mail.sympa_domain,
                settings.mail_exchanger,  # pic:mail.mx, else the mail host's address
                settings.phpmyadmin and settings.phpmyadmin.domain,
            )
            if name is not None
        }
        # Each name above those (a member's domain could be one): the platform's name under it, and its setting.
        self.over_platform: dict[str, tuple[str, str]] = {}
        served = settings.dns.nameservers if settings.dns.backend == "zonefile" else []
        # The admins' addresses: the relay lets a site send as any name under its domains (Postfix's
        # parent_domain_matches_subdomains holds smtpd_access_maps), so under a member's domain its site
        # could write to the other members as the admins.
        senders = [("pic:admin_email", settings.admin_email)]
        if settings.smtp is not None and settings.smtp.sender is not None:
            senders.append(("pic:smtp.sender", settings.smtp.sender))
        for name, what in (
            (settings.mail.sympa_domain, "pic:mail.sympa_domain, Sympa's lists and web interface"),
            (settings.mail_exchanger, "the mail exchanger (pic:mail.mx, else the mail host's address)"),
            (settings.phpmyadmin and settings.phpmyadmin.domain, "pic:phpmyadmin.domain"),
            *((ns, "a name server of the platform's zones (pic:dns.nameservers)") for ns in served),
            *(
                (names.a_labels(address.rpartition("@")[2]), f"the domain of {key} ({address}), the platform's "
                 "address to members (a site may send mail as any name under its own domains)")
                for key, address in senders
            ),
            *(
                (names.a_labels(address.rpartition("@")[2]), f"the domain of {key} ({address}), {names.ADMIN_MAILBOX}")
                for key, address in names.admin_mailboxes(settings)
            ),
            *(
                (host.address, f"pic:hosts.{h}.address, where the admins' tools reach the host")
                for h, host in settings.hosts.items()
                if not is_ip(host.address) and "." in host.address
            ),
        ):  # fmt: skip
            parent = name or ""
            while parent.count(".") > 1:
                parent = parent.partition(".")[2]
                self.over_platform.setdefault(parent, (name or "", what))
        # The DMARC reports' domain, unless it is a member's list domain (the platform's alias to the admins,
        # see reports_not_sympas; cross_checks clears this then): the reports would reach the member's mail.
        self.reports_domain = settings.dmarc_reports.rpartition("@")[2].lower()
        self.over_reports: dict[str, tuple[str, str]] = {}
        parent = self.reports_domain
        while parent.count(".") > 1:
            parent = parent.partition(".")[2]
            self.over_reports[parent] = (
                self.reports_domain,
                f"the domain of pic:mail.dmarc_reports ({settings.dmarc_reports}), where every list domain's DMARC "
                "reports go",
            )

    def at(self, m: Member, loc: tuple[str | int, ...], message: str) -> None:
        """An error at field ``loc`` of ``m``'s file, unless one is there already: one value is one mistake, told
        once (a site domain that is the admins' domain is the platform's name, and also the DMARC reports' domain
        and over Sympa's: told as the name met twice alone). The first check to tell it is the most direct: the
        name met twice (claimed first, in the member's order), then what follows from it."""
        key = (m.file, loc)
        if key in self.told:
            return
        self.told.add(key)
        # a key of the member's own (a database's short name) may be a password pasted there: not shown either
        self.problems.append(Problem(m.file, self.line(m, loc), shown_loc(loc), message))

    @staticmethod
    def line(m: Member, loc: tuple[str | int, ...]) -> int | None:
        return Document(m.file, None, m.lines).line_of(loc)

    def place(self, m: Member, loc: tuple[str | int, ...]) -> str:
        """Where a field of another member's file is, as a problem names its own: ``file:line``."""
        line = self.line(m, loc)
        return m.file if line is None else f"{m.file}:{line}"

    def holder(self, owner: names.Owner | _Claim) -> str:
        """The owner of a name in words, with the line of the member's field that holds it."""
        if isinstance(owner, names.Owner):
            return str(owner)
        return f"{self.place(owner.member, owner.loc)} ({owner.what})"

    def claim(self, m: Member, loc: tuple[str | int, ...], space: names.Space, name: str, what: str) -> None:
        """Enter ``name`` for ``m``, or report the holder when it is taken."""
        key = (space, name)
        owner = self.names.get(key)
        if owner is None:
            shown = self.shown.get(loc)
            if shown is None:  # the same few fields for every member: formatted once each
                shown = self.shown[loc] = format_loc(loc)
            self.names[key] = _Claim(m, loc, shown, what)
        elif key in self.platform and space == "database" and loc[0] == "databases" and isinstance(loc[1], int):
            short = m.databases[loc[1]].short  # the name is the slug's and this short name's
            self.at(
                m,
                loc,
                f"{show_value(name)} is reserved for {owner}: give the database another short name than "
                f"{short!r} in databases",
            )
        elif key in self.platform:
            self.at(m, loc, f"{show_value(name)} is reserved for {owner}")
        elif owner.file == m.file:
            pass  # the member's own name in another role (its list domain is its site's domain)
        elif space == "database":
            self.at(
                m,
                loc,
                f"makes the database name {show_value(name)}, already made by {self.holder(owner)}: use "
                "another short name",
            )
        elif isinstance(owner, _Claim) and loc == owner.loc == ("lists", "domain"):
            self.at(m, loc, f"{show_value(name)} is already the list domain of {self.place(owner.member, owner.loc)}")
        else:
            self.at(m, loc, f"{show_value(name)} is already used by {self.holder(owner)}")

    def stray_host(self, name: str, named_by: list[Member]) -> None:
        """One error for every member whose ``host:`` is ``name``, which is no web host of the stack (a host
        renamed or removed in the stack file): at the first member's line, naming how many name it and which
        (the first few), with the web host whose name is close to it."""
        settings = self.settings
        # its digits kept: web2 is no slip of web1; a password pasted there (velo75paris, Lilas2024x) not shown
        shown = HIDDEN_VALUE if refused_may_be_secret(name) else show_value(name)
        message = f"{shown} {not_a_web_host(settings, name)}"
        if len(named_by) > 1:
            files = [Path(m.file).name for m in named_by]
            shown = ", ".join(files[:_STRAY_HOST_FILES])
            if len(files) > _STRAY_HOST_FILES:
                shown += f" and {len(files) - _STRAY_HOST_FILES} more"
            message += f" ({len(named_by)} members name it: {shown})"
        self.at(named_by[0], ("host",), message)

    def member(self, m: Member) -> None:
        spec, settings = m.spec, self.settings
        self.slug(m)
        if spec.uid in self.uids:
            first = self.place(self.uids[spec.uid], ("uid",))
            self.at(m, ("uid",), f"{m.shown(('uid',), spec.uid)} is already used by {first}")
        else:
            self.uids[spec.uid] = m
        if spec.host is not None:
            host = settings.hosts.get(spec.host)
            if host is None or host.role != "web":
                self.stray_hosts.setdefault(spec.host, []).append(m)
        # limits.cpus against its host's CPUs: pic.check.own_cpus, which knows whether the site runs on the day
        if spec.site is not None:
            self.site(m, spec.site)
        self.databases(m)
        self.sftp_keys(m)
        for short in spec.database_charsets:
            if short not in spec.databases:
                self.at(
                    m,
                    ("database_charsets", short),
                    f"{shown_unless_secret(short)} is not one of the member's databases (databases: "
                    f"{', '.join(spec.databases) or 'none'})",
                )
        if spec.cron and spec.site is None:
            self.at(m, ("cron",), "cron jobs run in the member's site container: the member has no site")
        elif spec.cron and spec.site is not None and spec.site.static:
            self.at(
                m,
                ("cron",),
                'cron jobs run in the member\'s PHP container: a static site (php: "none") has none; '
                "choose a PHP runtime or remove the jobs",
            )
        if spec.lists is not None:
            self.claim(m, ("lists", "domain"), "domain", spec.lists.domain, "a list domain")
            self.public_name(m, ("lists", "domain"), spec.lists.domain)
            self.sympa_directory(m, spec.lists.domain)
            self.list_record_names(m, spec.lists.domain)
            self.reports_not_sympas(m, spec.lists.domain)
            self.list_domain_sent_from(m, spec.lists.domain)

    def sympa_directory(self, m: Member, domain: str) -> None:
        """A list domain is the name of its robot's directory in Sympa's etc (/etc/sympa/<domain>), beside
        Sympa's and the platform's files there (topics.conf, auth.conf, transport.sympa, ...): a name ending like
        one of them could be one, whose place the robot would take (or fail to). A public stack refuses these
        names already (no top-level domain: :meth:`public_name`); a lab stack (``ca: internal``) here."""
        suffix = domain.rpartition(".")[2]
        if self.settings.tls.ca == "internal" and suffix in names.SYMPA_ETC_SUFFIXES:
            self.at(
                m,
                ("lists", "domain"),
                f"{show_value(domain)} ends in .{suffix}, as Sympa's and the platform's files in /etc/sympa do "
                "(topics.conf, auth.conf, mime.types, transport.sympa, ...), where each list domain is a directory "
                f"of its own: it could be one of those files; give a list domain that does not end in "
                f"{', '.join('.' + s for s in names.SYMPA_ETC_SUFFIXES)}",
            )

    def list_domain_sent_from(self, m: Member, domain: str) -> None:
        """A list domain that is also a domain the member's PHP site sends mail from (its site domain, or X of its
        ``www.X``) has one SPF record for both (RFC 7208 §3.2: two are a permerror): the list domain's,
        ``v=spf1 mx <mail exchanger> -all`` (:func:`pic.render.dns.spf_value`), which lets the mail host send (the
        MX leads to it) and no other. The site's mail leaves from its web host's Postfix (README "Mail from sites"):
        on another web host it would fail SPF, and, unsigned, DMARC. A static site sends no mail, an archived
        member runs neither, a ``connection: local`` host (the dev stack) sends nothing out."""
        site, host = m.spec.site, self.settings.hosts.get(m.host)
        mail_host = self.settings.mail_host
        if site is None or site.static or m.status == "archived" or host is None or host.connection == "local":
            return
        if m.host == mail_host or domain not in m.sender_domains:
            return
        from pic.render.dns import spf_value  # pic.render.dns reads this module's Member

        spf = spf_value(self.settings.mail_exchanger)
        self.at(
            m,
            ("lists", "domain"),
            f"{show_value(domain)} is also a domain its PHP site sends mail from, on web host {m.host}: one name has "
            f"one SPF record (RFC 7208 §3.2: two are a permerror), here the list domain's, {spf!r}, which lets the "
            f"mail host {mail_host} send, not {m.host}: the site's mail would fail SPF and DMARC; put the site on "
            f"the mail host (host: {mail_host}), or give the lists a domain of their own (e.g. listes.{domain})",
        )

    def reports_not_sympas(self, m: Member, domain: str) -> None:
        """The DMARC reports' mailbox (``pic:mail.dmarc_reports``) at a member's list domain is an alias to the
        admins (pic.render.mail.virtual_map), never one of Sympa's addresses there: the map leaves those to
        Sympa, so the reports of every list domain would reach the member's robot, its lists' owners
        (``LIST-request``, ``LIST-owner``) or its commands (``sympa@``). The settings refuse the same at
        Sympa's own domain."""
        reports = self.settings.dmarc_reports
        local, _, at = reports.rpartition("@")
        if at.lower() == domain.lower() and m.status == "archived":
            # its domain leaves Postfix's maps (its lists' mail refused): the alias goes with it
            self.at(
                m,
                ("lists", "domain"),
                f"{show_value(domain)} is the domain of pic:mail.dmarc_reports ({reports}), and its member is "
                "archived: its list domain leaves Postfix's maps, the admins' alias for the reports with it, and the "
                "DMARC reports of every list domain would be refused; give pic:mail.dmarc_reports an address at "
                "another domain (default dmarc-reports@ at pic:mail.sympa_domain)",
            )
        elif at.lower() == domain.lower() and sympa_address(local):
            self.at(
                m,
                ("lists", "domain"),
                f"{show_value(domain)} is the domain of pic:mail.dmarc_reports ({reports}), an address of Sympa "
                f"at this list domain ({', '.join(SYMPA_ROBOT_LOCAL_PARTS)}, or a list's LIST-request, -owner, "
                "...): the DMARC reports of every list domain would go to this member's robot and lists; give "
                "pic:mail.dmarc_reports another name (default dmarc-reports@ at pic:mail.sympa_domain)",
            )

    def list_record_names(self, m: Member, domain: str) -> None:
        """Every record a list domain needs (MX, SPF, DKIM, DMARC and the reports' authorization) has a name
        DNS can hold: 253 characters at most, the domain's own characters counted with the labels around it."""
        settings = self.settings
        problem = names.record_name_problem(
            domain, selector=settings.mail.dkim_selector, reports=settings.dmarc_reports, what="a list domain"
        )
        if problem is not None:
            self.at(m, ("lists", "domain"), f"{show_value(domain)} is {len(domain)} characters long: {problem[1]}")

    def public_name(self, m: Member, loc: tuple[str | int, ...], domain: str) -> None:
        """A stack whose certificates come from a public authority serves public names only: none under a
        special-use or unknown top-level domain (:func:`public_name_problem`; documentation names:
        :meth:`documentation_names`)."""
        if self.settings.tls.ca == "internal":
            return
        # The verdict is its top-level domain's (public_name_problem): each is asked once, and those that pass
        # (most often one or two for every member) are not asked again.
        tld = domain.rpartition(".")[2]
        if tld in self.public_tlds:
            return
        why = public_name_problem(domain, TLS_CA_NAMES[self.settings.tls.ca])
        if why is not None:
            self.at(m, loc, why)
        else:
            self.public_tlds.add(tld)

    def documentation_names(self, m: Member) -> None:
        """A stack whose certificates come from a public authority refuses a member's site or list domain under a
        name IANA holds for documentation (RFC 2606 §3: ``example.com``, ``example.net``, ``example.org``,
        :func:`documentation_domain`): its DNS is IANA's, so the records the platform needs there (a site's
        address, a list domain's MX, SPF and DKIM) cannot be published, and the authority issues no certificate
        for it, one site domain refused failing the member's whole certificate (certbot asks for all its names at
        once). Run last: a name that is also the platform's or another member's, or under one, is told as that,
        the more direct mistake (the example stack's own names are under example.org). The stack file's names are
        a warning (pic.check)."""
        if self.settings.tls.ca == "internal":
            return
        for loc, domain in self.domains_of(m):
            parent = documentation_domain(domain)
            if parent is not None:
                self.at(m, loc, documentation_words(domain, parent, TLS_CA_NAMES[self.settings.tls.ca]))

    def senders(self, m: Member) -> None:
        """A site domain ``www.X`` lets the site send mail as X: X may be no one else's name.

        Run once every member's names are in the table, so that the owner of X is known whatever
        the order of the files. X the platform's name is told here alone (:meth:`sends_as_the_platforms`).
        """
        if m.site is None:
            return
        for i, domain in enumerate(m.site.domains):
            bare = domain.removeprefix("www.")
            owner = self.names.get(("domain", bare)) if bare != domain else None
            if owner is not None and owner.file != m.file and bare in m.sender_domains:
                if ("domain", bare) not in self.platform:
                    advice = "; give both names to one member"
                elif bare in self.platform_sites:  # under it too: under_another leaves it to this one error
                    advice = ", and under that name its cookies would reach the platform's site; use another name"
                else:
                    advice = "; use another name"
                self.at(
                    m,
                    ("site", "domains", i),
                    f"{show_value(domain)} lets the site send mail as {show_value(bare)} (mail drops the www.), "
                    f"which is {self.holder(owner)}: a site sends mail as its member's names only" + advice,
                )

    def sends_as_the_platforms(self, m: Member, domain: str) -> bool:
        """``domain`` is ``www.X`` whose X, which the site sends mail as, is the platform's name: one mistake,
        which :meth:`senders` tells; the other checks leave that X alone (a second error for the same name)."""
        bare = domain.removeprefix("www.")
        return bare != domain and bare in m.sender_domains and ("domain", bare) in self.platform

    def under_another(self, m: Member) -> None:
        """A member's site and list domains are not under another member's name.

        Under another member's domain a site could send mail that passes that domain's DMARC
        (relaxed alignment on the organizational domain, RFC 7489 §3.1), set cookies its pages
        read, and take names its owner points at the platform (a wildcard record). Run once every
        member's names are in the table, whatever the order of the files; X of another's ``www.X``
        counts (that site sends mail as X). The names under Sympa's domain, phpMyAdmin's and the
        MX are the platform's too (their cookies reach its web interfaces); its zones
        (``pic:dns.zones``) and host names may hold members' names. The later file of the two is
        blamed, as for a name met twice: ``pic new``'s member comes last.
        """
        for loc, domain in self.domains_of(m):
            parent = domain
            while parent.count(".") > 1:
                parent = parent.partition(".")[2]
                key: tuple[names.Space, str] = ("domain", parent)
                owner = self.names.get(key)
                if key in self.platform and domain == f"www.{parent}" and self.sends_as_the_platforms(m, domain):
                    break  # told by senders, once
                if key in self.platform:
                    if parent not in self.platform_sites:
                        continue
                elif owner is None and parent in self.sent_as:
                    owner = names.Owner(self.sent_as[parent], f"the name its site www.{parent} sends mail as")
                if owner is None or owner.file == m.file:
                    continue
                other = self.members.get(owner.file)
                other_loc: tuple[str | int, ...] = ()
                if other is not None:
                    # the first of the other's places naming it
                    for place, d in self.domains_of(other):
                        if d in (parent, f"www.{parent}"):
                            other_loc = place
                            break
                if other is not None and self.order[other.file] > self.order[m.file]:
                    # The later file is blamed (as for any name met twice): here the parent's owner.
                    self.at(
                        other,
                        other_loc,
                        f"{show_value(parent)} has {show_value(domain)} of {self.place(m, loc)} under it: a member's "
                        "names are its own, not over another's (that site's mail would pass this domain's DMARC, its "
                        "cookies reach this site); give both names to one member",
                    )
                else:
                    advice = "use a name of its own" if key in self.platform else "give both names to one member"
                    whose = f"{self.place(other, other_loc)} ({owner.what})" if other is not None else str(owner)
                    self.at(
                        m,
                        loc,
                        f"{show_value(domain)} is under {show_value(parent)}, which is {whose}: a member's names "
                        "are its own, not under another's (its mail would pass that domain's DMARC, its "
                        f"cookies reach that site); {advice}",
                    )
                break

    def over_the_platform(self, m: Member) -> None:
        """No name of the platform's web interfaces, mail and zones (Sympa's, the MX, phpMyAdmin's, the name
        servers of ``pic:dns.zones``), no host's name, no domain of the admins' address (``pic:admin_email``,
        ``pic:smtp.sender``) or mailboxes (``pic:tls.acme_email``, ``pic:db.report_to``) and no domain of the
        DMARC reports' mailbox (``pic:mail.dmarc_reports``) is under a member's site or list domain, nor under X
        of its ``www.X``.

        The member holds that domain's DNS: it could point the platform's name elsewhere (phpMyAdmin's
        logins, the lists' mail, the admins' ssh), and its site's cookies for the domain reach the platform's
        pages; the relay lets its site send mail as any name under its domains (the admins' address).
        The member file is blamed, with the setting named.
        """
        over, reports = self.over_platform, self.over_reports
        if not over and not reports:
            return
        domains = self.domains_of(m)
        # Only a name over one of the platform's can be told: the others are left out before anything else is
        # asked of them (most members have none).
        mine = [(loc, d, d) for loc, d in domains if d in over or d in reports]
        if m.spec.site is not None:
            mine += [
                (loc, bare, d)
                for loc, d in domains
                if d.startswith("www.")
                and ((bare := d.removeprefix("www.")) in over or bare in reports)
                and bare in m.sender_domains
                and not self.sends_as_the_platforms(m, d)  # X the platform's own name: told by senders
            ]
        told: set[str] = set()
        for loc, domain, written in mine:
            under = over.get(domain) or reports.get(domain)
            # www.X that is itself the platform's name under X: claim() tells it once, as the name met twice
            if under is not None and under[0] not in told and under[0] != written:  # once for each platform name
                name, what = under
                told.add(name)
                whose = (
                    show_value(domain)
                    if domain == written
                    else f"{show_value(domain)}, which its site {written} sends mail as,"
                )
                cookies = " and its site's cookies reach it" if m.site is not None else ""
                self.at(
                    m,
                    loc,
                    f"{whose} has {show_value(name)} under it, which is the platform's: {what}; "
                    f"the member holds this domain's DNS (it could send that name elsewhere){cookies}: give the "
                    "platform a name outside the members' domains",
                )

    def domains_of(self, m: Member) -> list[tuple[tuple[str | int, ...], str]]:
        """The member's site domains and list domain, with their field paths (made once per member: each
        member's are asked twice, and another's for each name under it)."""
        out = self.domains.get(m.file)
        if out is None:
            out = self.domains[m.file] = []
            if m.spec.site is not None:
                out += [(("site", "domains", i), d) for i, d in enumerate(m.spec.site.domains)]
            if m.spec.lists is not None:
                out.append((("lists", "domain"), m.spec.lists.domain))
        return out

    def slug(self, m: Member) -> None:
        space: names.Space
        for space in ("unix", "resource", "label"):
            owner = self.platform.get((space, m.slug))
            if owner is not None:  # a setting's name is taken by it ("web1" is no Pulumi.prod.yaml)
                self.reserved_slug(m, f"{show_value(m.slug)} {'is taken by' if owner.file else 'is'} {owner}")
                return
        clash = self.resources.owner_of_prefix(m.slug)
        if clash is not None:
            name, owner = clash
            self.reserved_slug(m, f"resources named after it would be confused with {show_value(name)}, {owner}")

    def reserved_slug(self, m: Member, why: str) -> None:
        message = (
            f"file name {show_value(m.slug)} is reserved: the slug is the member's unix account and the name "
            f"of its resources, and {why}; choose another slug (e.g. with the town's name)"
        )
        self.problems.append(Problem(m.file, None, "", message))

    def site(self, m: Member, site: Site) -> None:
        reports = self.settings.dmarc_reports
        for i, domain in enumerate(site.domains):
            self.claim(m, ("site", "domains", i), "domain", domain, "a site domain")
            self.public_name(m, ("site", "domains", i), domain)
            # X of a site domain www.X is the member's too (its site sends mail as X: the member holds its DNS)
            bare = domain.removeprefix("www.")
            mail_domain = (
                domain
                if domain == self.reports_domain
                else bare
                # else told at X itself, or, X the platform's name, by senders
                if bare in m.sender_domains and bare not in site.domains and not self.sends_as_the_platforms(m, domain)
                else None
            )
            at_list = m.spec.lists is not None and m.spec.lists.domain == self.reports_domain
            if mail_domain == self.reports_domain and not at_list:
                # at a list domain the mailbox is the platform's alias to the admins (reports_not_sympas);
                # at a site domain it is the member's own mail (its MX)
                whose = (
                    show_value(domain) if domain == mail_domain else f"{show_value(domain)} sends mail as {bare}, which"
                )
                self.at(
                    m,
                    ("site", "domains", i),
                    f"{whose} is the domain of pic:mail.dmarc_reports ({reports}): the DMARC reports "
                    "of every list domain would go to this member's mail; give pic:mail.dmarc_reports an address "
                    "outside the members' site domains (default dmarc-reports@ at pic:mail.sympa_domain)",
                )
        sender = f"{names.SITE_SENDER_LOCAL_PART}@{m.sender_domains[0]}"
        if len(sender) > names.MAX_ADDRESS and not site.static:  # a static site sends no mail
            self.at(
                m,
                ("site", "domains", 0),
                f"{show_value(site.domains[0])} makes the site's mail go from {show_value(sender)}, {len(sender)} "
                f"characters, and an address holds at most {names.MAX_ADDRESS} (RFC 5321 §4.5.3.1.3): servers would "
                "refuse its mail; put a shorter domain first",
            )
        if site.php != "none" and site.php not in self.settings.runtimes:
            meant = meant_runtime(site.php, self.settings.runtime_keys())
            self.at(
                m,
                ("site", "php"),
                f"{show_value(site.php)} is not a runtime of stack {self.settings.stack} "
                f'(known: {", ".join(self.settings.runtime_keys())}, or "none" for a static site)'
                + (f"; did you mean {meant!r}?" if meant is not None else ""),
            )
        if site.charset is not None and not site.static:
            self.at(
                m,
                ("site", "charset"),
                f"{show_value(site.charset)}: charset applies to static sites (php: none); a PHP site sends its "
                "own (PHP's default_charset, header())",
            )
        self.php_settings(m, site)

    def php_settings(self, m: Member, site: Site) -> None:
        chosen = site.php_settings
        if chosen and site.static:
            self.at(m, ("site", "php_settings"), 'PHP settings on a static site (php: "none"): remove them')
            return
        bad = False
        for key, value in chosen.items():
            loc = ("site", "php_settings", key)
            secrets = [text for text in (key, value) if secrettext.reads_as_secret(text)]
            if secret_name(key) and value not in secrets:  # named for a secret: one, whatever its shape
                secrets.append(value if isinstance(value, str) else m.shown(loc, value))
            named = HIDDEN_KEY if key in secrets else None
            takes = functools.partial(self.php_size_refused, m, site, chosen, key)
            plain = loc in m.written  # a text written without quotes that YAML read otherwise, or a boolean's tRue
            why = phpini.problem(
                key, value, HIDDEN_VALUE if secrets else m.shown(loc, value), named, takes, plain=plain
            )
            if why is not None and not secrets:
                # refused: a password pasted beside its value or its name (128M Lilas2024x!), or as the value with
                # more around it or not (Lilas2024x, Velo75Paris), is not shown either
                secrets = [key] if secrettext.password_beside(key, key=True) else []
                refused = refused_may_be_secret(value) if isinstance(value, str) else secrettext.password_beside(value)
                secrets += [value] if refused else []
                if secrets:
                    named = HIDDEN_KEY if key in secrets else None
                    why = phpini.problem(key, value, HIDDEN_VALUE, named, plain=plain)
            if why is not None:
                bad = True
                if secrets:  # neither shown; a key that reads as a secret told at the settings' line
                    own = phpini.own_texts(key)
                    self.at(m, loc[:-1] if key in secrets else loc, secrettext.redacted(why, secrets, own))
                else:
                    self.at(m, loc, why)
        if bad:
            return
        upload = phpini.effective_bytes(chosen, "upload_max_filesize")
        post = phpini.effective_bytes(chosen, "post_max_size")
        if post < upload:
            key = "post_max_size" if "post_max_size" in chosen else "upload_max_filesize"
            self.at(
                m,
                ("site", "php_settings", key),
                f"post_max_size ({self.php_value(m, chosen, 'post_max_size')}) is smaller than "
                f"upload_max_filesize ({self.php_value(m, chosen, 'upload_max_filesize')}): "
                "an upload comes in a POST body, which also carries the form's other fields; make post_max_size "
                "at least as large",
            )
        if not site.static and m.status == "active":  # a suspended or archived member runs no container
            self.php_memory(m, chosen)

    def php_size_refused(self, m: Member, site: Site, chosen: dict[str, Any], key: str, size: str) -> str | None:
        """None when the site takes ``size`` for its PHP setting ``key`` (a size a message offers), else why not, as
        words after ``256M is``: post_max_size stays at least upload_max_filesize, and memory_limit fits in the site's
        container (:meth:`php_memory`)."""
        sizes = {**chosen, key: size}
        other = {"post_max_size": "upload_max_filesize", "upload_max_filesize": "post_max_size"}.get(key)
        try:
            if phpini.effective_bytes(sizes, "post_max_size") < phpini.effective_bytes(sizes, "upload_max_filesize"):
                # the other one as set, or PHP's default when unset
                shown = self.php_value(m, chosen, other) if other is not None else ""
                return (
                    f"less than upload_max_filesize, which post_max_size stays at least ({shown})"
                    if key == "post_max_size"
                    else f"more than post_max_size, which upload_max_filesize stays at most ({shown})"
                )
        except ValueError:  # the other size is refused too, and told: this one judged by itself
            pass
        if key != "memory_limit" or site.static or m.status != "active":
            return None
        limits = m.spec.limits
        memory_mb = (limits.memory_mb if limits else None) or self.settings.limits.memory_mb
        room_mb = memory_mb - phpini.OPCACHE_MB
        php_bytes = phpini.effective_bytes(sizes, "memory_limit")
        if php_bytes <= room_mb * phpini.MiB:
            return None
        said = f"more than the site's container ({memory_mb} MB) leaves PHP beside OPcache's {phpini.OPCACHE_MB} MB"
        least_mb = phpini.RULES["memory_limit"].low // phpini.MiB
        if room_mb >= least_mb:
            return f"{said} ({room_mb}M at most)"
        # no size the setting takes fits (8M, 0M, -32M): the container's limit is what to change, as php_memory says
        needed_mb = math.ceil(php_bytes / phpini.MiB + phpini.OPCACHE_MB)
        return (
            f"{said}: no memory_limit of PHP ({least_mb}M at least) fits: raise the container's limit to "
            f"{needed_mb} MB first"
        )

    def php_memory(self, m: Member, chosen: dict[str, Any]) -> None:
        """PHP's memory_limit, the platform's default when unset, leaves OPcache's shared memory
        (:data:`pic.phpini.OPCACHE_MB`, opcache.memory_consumption of php-pic.ini.j2) of the site's container's.

        The container holds Apache and its mod_php workers, OPcache's shared memory and the /tmp tmpfs besides one
        request's PHP: at the container's memory or near it, a request that needs the memory is killed by the
        container's limit (the kernel's OOM killer), with the other requests of the site, instead of ending with
        PHP's "Allowed memory size exhausted" in log/php-error.log. OPcache's is the one figure the platform sets:
        the workers' memory depends on the site's traffic, and the tmpfs (:data:`pic.phpini.SITE_TMP_MB`) holds
        memory only for what is written there (uploads, sessions), so neither is counted.
        """
        limits = m.spec.limits
        own_mb = limits.memory_mb if limits else None
        memory_mb = own_mb or self.settings.limits.memory_mb
        php_bytes = phpini.effective_bytes(chosen, "memory_limit")
        room_mb = memory_mb - phpini.OPCACHE_MB  # the largest memory_limit the container takes, in MB
        if php_bytes <= room_mb * phpini.MiB:
            return
        container = f"{memory_mb} MB, {'limits.memory_mb' if own_mb else 'pic:limits.memory_mb, the stack default'}"
        php_mb = php_bytes / phpini.MiB
        opcache = f"OPcache's {phpini.OPCACHE_MB} MB (opcache.memory_consumption)"
        least_mb = phpini.RULES["memory_limit"].low // phpini.MiB
        # limits.memory_mb is a whole number of MB: the one at or above PHP's and OPcache's (470000000 is 448.2 MB)
        needed_mb = math.ceil(php_bytes / phpini.MiB + phpini.OPCACHE_MB)
        raise_to = f"raise the container's limit to {needed_mb} MB first"
        write = (
            f"write {room_mb}M or less, or {raise_to}"
            if room_mb >= least_mb
            else f"no memory_limit of PHP ({least_mb}M at least) fits: {raise_to}"
        )
        if "memory_limit" in chosen:
            shown = m.shown(("site", "php_settings", "memory_limit"), chosen["memory_limit"])
            if php_bytes >= memory_mb * phpini.MiB:
                how_much = "all of" if php_bytes == memory_mb * phpini.MiB else "more than"
                said = (
                    f"is {how_much} the memory of the site's container ({container}), which also holds {opcache}, "
                    "Apache, its other workers and /tmp"
                )
            else:
                said = (
                    f"leaves {memory_mb - php_mb:.10g} MB of the memory of the site's container ({container}), "
                    f"less than {opcache}, which it holds beside Apache, its other workers and /tmp"
                )
            self.at(m, ("site", "php_settings", "memory_limit"), f"{shown} ({php_mb:.10g} MB) {said}: {write}")
            return
        default = f"PHP's memory_limit ({self.php_value(m, chosen, 'memory_limit')})"
        said = (
            f"{'less than' if php_bytes > memory_mb * phpini.MiB else 'no more than'} {default}"
            if php_bytes >= memory_mb * phpini.MiB
            else f"which leaves less than {opcache} beside {default}"
        )
        self.at(
            m,
            ("limits", "memory_mb") if own_mb else ("site", "php"),
            f"the site's container may use {container}, {said}: a request that needs it would be killed "
            "instead of ending with PHP's error (the container also holds Apache, its other workers, OPcache and "
            "its /tmp); "
            + (f"set site.php_settings.memory_limit to {room_mb}M or less, or " if room_mb >= least_mb else "")
            + f"raise the limit to {needed_mb} MB",
        )

    @staticmethod
    def php_value(m: Member, chosen: dict[str, Any], key: str) -> str:
        """A PHP setting of the site as written, or the platform's default (unquoted) when unset."""
        if key not in chosen:
            return f"{phpini.DEFAULTS[key]}, the platform's default when unset"
        return m.shown(("site", "php_settings", key), chosen[key]).strip('"')

    def sftp_keys(self, m: Member) -> None:
        """A key opens one account: the same key data twice (whatever the comments) names both places."""
        for i, key in enumerate(m.access.sftp_keys):
            data = ssh_key_identity(key)
            first = self.keys.get(data)
            if first is None:
                self.keys[data] = (m, i)
                continue
            holder, j = first
            if holder.file == m.file:
                line = holder.line_of("access", "sftp_keys", j)
                place = f"this file (access.sftp_keys[{j}]{f', line {line}' if line else ''})"
            else:  # as a problem names its file: file:line
                place = f"{self.place(holder, ('access', 'sftp_keys', j))} (access.sftp_keys[{j}])"
            self.at(
                m,
                ("access", "sftp_keys", i),
                f"is the same key as in {place}, whatever the comments: a key is given once; a person who "
                "works for two members makes one key for each",
            )

    def wildcard_grants(self, members: list[Member]) -> None:
        """A member's one grant (``<database>%``, pic.names.member_grant_pattern) must cover no other database."""
        everything = sorted(((db.name, other) for other in members for db in other.databases), key=lambda e: e[0])
        names_only = [name for name, _ in everything]
        heads: dict[str, list[int]] | None = None  # made for the first grant that keeps wildcards (_wildcard_heads)
        for m in members:
            for i, db in enumerate(m.databases):
                prefix = names.member_grant_prefix(db.name)
                escaped = names.member_grant_escaped(db.name)
                # the names that start with the prefix (its part before the first _ if that is a wildcard)
                # follow it in sorted order
                head = prefix if escaped else prefix.partition("_")[0]
                start = bisect.bisect_left(names_only, head)
                end = bisect.bisect_left(names_only, head + "\U0010ffff")
                candidates = everything[start:end]
                if not escaped:
                    # and those whose own head is a start of this head (shorter names, their own wildcards)
                    heads = heads if heads is not None else self._wildcard_heads(names_only)
                    more = {k for n in range(len(head)) for k in heads.get(head[:n], ()) if not start <= k < end}
                    if more:
                        candidates = [everything[k] for k in sorted({*range(start, end), *more})]
                for name, other in candidates:
                    # A member's own databases share its uid, which reads all their credential files:
                    # one grant covering another of them gives nothing the member lacks. The same name
                    # twice is the duplicate that databases() reports, once, on the later file.
                    if other is not m and name != db.name and names.member_grant_covers(db.name, name):
                        wildcard = (
                            ""
                            if escaped
                            else f"; _ is a wildcard where the escaped name would pass MariaDB's "
                            f"{names.MAX_GRANT_DATABASE} characters"
                        )
                        j = next(j for j, theirs in enumerate(other.databases) if theirs.name == name)
                        unlike = f"does not start with {show_value(db.name)}" if escaped else "it does not cover"
                        self.at(
                            m,
                            ("databases", i),
                            f"makes the database name {show_value(db.name)}, whose grant "
                            f"({show_value(names.member_grant_pattern(db.name))}: the database and the two a "
                            f"restore works in{wildcard}) would also cover {show_value(name)} of "
                            f"{self.place(other, ('databases', j))}; use a name that does not start another "
                            f"member's, or give {other.slug} a slug (or that database a short name) whose database "
                            f"name {unlike}: a database given another name is made anew, empty, its data left in the "
                            "one of the name it had",
                        )
                    elif other is not m and name != db.name and not escaped:
                        self.shared_grant(m, i, db.name, other, name)

    @staticmethod
    def _wildcard_heads(names_only: list[str]) -> dict[str, list[int]]:
        """Where each name stands among ``names_only``, by the head of its grant's prefix (its part that matches
        itself only: the whole prefix when escaped, else what comes before its first _).

        A grant that keeps wildcards, of prefix P with head H, covers only names starting with H, and shares a
        name with another grant (names.shared_grant_name) only when their heads agree on their common length:
        H starts the other head (then the other name starts with H), or the other head is a start of H. Those,
        and no other, are the names wildcard_grants asks of it: the others differ from it where it matches
        itself only (a registry of many such grants was asked every pair, 350 ms for 50 among 5,000 members).
        """
        out: dict[str, list[int]] = {}
        for k, name in enumerate(names_only):
            prefix = names.member_grant_prefix(name)
            head = prefix if names.member_grant_escaped(name) else prefix.partition("_")[0]
            out.setdefault(head, []).append(k)
        return out

    def shared_grant(self, m: Member, i: int, database: str, other: Member, name: str) -> None:
        """A grant that keeps its wildcards covers no name that another member's grant covers either
        (its restore's databases, those it may create), even where it covers none of its databases."""
        shared = names.shared_grant_name(database, name)
        if shared is None:
            return
        from pic.render.db import restore_databases  # the restore's names: only for this message

        restored = [r for r in restore_databases(name) if names.shared_grant_name(database, r) == r]
        j = next(j for j, theirs in enumerate(other.databases) if theirs.name == name)
        example = (
            f"{show_value(restored[0])}, where pic-db-restore loads a dump of it"
            if restored
            else f"{show_value(shared)}, a database that member may create"
        )
        self.at(
            m,
            ("databases", i),
            f"makes the database name {show_value(database)}, whose grant "
            f"({show_value(names.member_grant_pattern(database))}: _ is a wildcard where the escaped name would pass "
            f"MariaDB's {names.MAX_GRANT_DATABASE} characters) would also cover names that the grant of "
            f"{show_value(name)} of {self.place(other, ('databases', j))} covers "
            f"({show_value(names.member_grant_pattern(name))}), "
            f"such as {example}; use a shorter name, or one with fewer _ and - (a database given another name is "
            "made anew, empty, its data left in the one of the name it had)",
        )

    def databases(self, m: Member) -> None:
        for i, db in enumerate(m.databases):
            if len(db.name) > MAX_DB_NAME:
                self.at(
                    m,
                    ("databases", i),
                    f"makes the database name {show_value(db.name)} of {len(db.name)} "
                    f"characters (MariaDB allows {MAX_DB_NAME}): use a shorter name",
                )
            else:
                self.claim(m, ("databases", i), "database", db.name, "a database and its user")
            schema = names.system_schema_covered(db.name)
            if schema is not None and db.name != schema:  # the name itself: told by the claim above
                self.at(
                    m,
                    ("databases", i),
                    f"makes the database name {show_value(db.name)}, whose grant "
                    f"({show_value(names.member_grant_pattern(db.name))}: the database and the two a restore works "
                    f"in) would also cover {schema}, a system schema of MariaDB, giving the member its tables (the "
                    "statements of every account, when the server records them); use another short name: a database "
                    "name is not the start of a system schema's",
                )


def name_key(name: str) -> str:
    """A member's name as two spellings of one association compare: its letters and digits alone, without
    case nor accents (``Vélo-Cité Lyon``, ``VELO CITE LYON`` and ``Velo-Cite  Lyon`` are one), nor what prints as
    nothing (a variation selector, a joiner: no letter nor digit)."""
    if name.isascii():  # most names: the same key, a few times faster (pic check on 5,000 members)
        return _NOT_LETTER_NOR_DIGIT.sub("", name.lower())
    folded = unicodedata.normalize("NFKD", name.casefold())
    if BLANK_LOOKING.search(folded) is not None:
        # a letter that prints as nothing (a Hangul filler, refused in a name) is no letter of its spelling either;
        # looked for once in the name, not at each letter (a regular expression's call for each cost pic check on
        # 5,000 members 3 % of its instructions)
        folded = BLANK_LOOKING.sub("", folded)
    return "".join(filter(str.isalnum, folded))


_NOT_LETTER_NOR_DIGIT = re.compile(r"[\W_]+", re.ASCII)


_STRAY_HOST_FILES = 5  # members named in the error of a host that several name


def cross_checks(members: Iterable[Member], settings: Settings) -> list[Problem]:
    """The checks across files of ``members``, in order: a later member is blamed for a name taken earlier."""
    cross = _Cross(settings, settings.where()[0])  # the stack file as read, in the project's directory
    listed = list(members)
    for m in listed:
        cross.member(m)
    cross.members = {m.file: m for m in listed}
    cross.order = {m.file: i for i, m in enumerate(listed)}
    cross.sent_as = {
        d: m.file for m in listed if m.site is not None for d in m.sender_domains if d not in m.site.domains
    }
    if any(m.spec.lists is not None and m.spec.lists.domain == cross.reports_domain for m in listed):
        cross.over_reports.clear()  # at a member's list domain: the platform's alias to the admins
    for m in listed:
        cross.senders(m)
        cross.under_another(m)
        cross.over_the_platform(m)
    cross.wildcard_grants(listed)
    for m in listed:
        cross.documentation_names(m)
    for name, named_by in cross.stray_hosts.items():
        cross.stray_host(name, named_by)
    return cross.problems

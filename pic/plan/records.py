"""What a change of the settings does to the DNS records published outside ``pulumi up``.

The list domains' mail records (MX, SPF, DMARC, and the authorization of RFC 7489 §7.1 that lets the reports'
domain receive a domain's DMARC reports, :func:`pic.render.dns.mail_records`) and the delegation of the
platform's zones (their NS records and glue in the parent zone) are made from stack and member settings, but
``pulumi up`` writes a record only into a zone of the platform (``pic:dns`` backend ``zonefile``): every other is
published by hand, from ``pulumi stack output mail_dns_records``, by the admins (Sympa's main domain, the
reports' domain, the zones' delegation) or by a member (its list domain; its site's SPF record, which names
its web host). A change of such a setting is told
here (:func:`dns_records_changes`) with each record before and after, who publishes it (who published the former
record is REV's zones' matter, who publishes the new one the working tree's, as for the DKIM selector), what
happens until it is published, and what to do; so is a change of the zones themselves, after which the same
records are in other hands; so are the names that lead to a host of the platform (the MX name, Sympa's and
phpMyAdmin's domains) when the host behind them changes, NSD moved to another host, and a list domain served anew.
Each can be published before or around ``pulumi up`` without losing mail: warnings, the exit status unchanged.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Literal

from pic.names import dkim_name, dmarc_name
from pic.registry import Member
from pic.render.dns import (
    Record,
    address_records,
    dmarc_value,
    nameservers,
    platform_names,
    rdata,
    report_authorization,
    spf_mechanism,
    spf_value,
    zone_of,
)
from pic.render.web import phpmyadmin_host
from pic.settings import Settings, sympa_address

Kind = Literal[
    "exchanger",
    "reports",
    "policy",
    "delegation",
    "zones",
    "sites",
    "addresses",
    "dns_server",
    "list_domains",
    "zone_addresses",
]
# The TTL of the records the platform writes and exports (pic.render.dns.TTL): how long a resolver may keep
# the former value once the new one is published.
CACHED = "an hour (their TTL, 3600 s)"
CHECK_BEFORE = (
    "`pic dns check`, run on this change (it reads the working tree's settings), says which are still missing "
    "or different"
)
CHECK_AFTER = (
    "`pulumi stack output mail_dns_records --json > records.json` and `pic dns check --expected records.json` "
    "once `pulumi up` is run (a regular file: --expected refuses a pipe)"
)
# A DKIM record's value as told here: the key is in the Pulumi state (pulumi stack output mail_dns_records).
DKIM_VALUE = "v=DKIM1; k=rsa; p=..."
MEMBERS_README = 'README "What a member with its own list domain must publish"'
POLICY_EFFECT = {
    "none": "delivered, only reported (`none`)",
    "quarantine": "junked (`quarantine`)",
    "reject": "refused (`reject`)",
}
POLICY_STATE = {"none": "delivered", "quarantine": "junked", "reject": "refused"}


def policy_effect(before: str, after: str) -> str:
    """What receivers do with mail failing DMARC under ``after``, beside what they did under ``before``."""
    return f"{POLICY_EFFECT[after]} where it was {POLICY_STATE[before]}"


def dig_commands(addresses: Iterable[str], zones: Iterable[str]) -> str:
    """The queries that show whether NSD answers for each zone at each address."""
    listed = list(addresses)
    return ", ".join(f"`dig @{a} {z} SOA`" for z in zones for a in listed)


def _same_addresses(a: list[str], b: list[str]) -> bool:
    """Whether two lists of host addresses or names name the same ones, in any order."""
    return len(a) == len(b) and all(any(same_address(x, y) for y in b) for x in a)


def same_address(a: str, b: str) -> bool:
    """Two spellings of one address or name: names without case or final dot, IP addresses as addresses."""
    try:
        return ipaddress.ip_address(a) == ipaddress.ip_address(b)
    except ValueError:
        return a.lower().rstrip(".") == b.lower().rstrip(".")


def renamed_hosts(old: Settings, new: Settings) -> dict[str, str]:
    """Hosts of the old settings found under another name in the new ones, at the same address and private
    address with the same role: old name -> new name (the same machine, renamed)."""
    out = {}
    for name in sorted(set(old.hosts) - set(new.hosts)):
        before = old.hosts[name]
        if before.connection == "local":
            continue
        same = [
            other
            for other in sorted(set(new.hosts) - set(old.hosts))
            if new.hosts[other].role == before.role
            and same_address(new.hosts[other].address, before.address)
            and same_address(str(new.hosts[other].private_address), str(before.private_address))
        ]
        if len(same) == 1:
            out[name] = same[0]
    return out


@dataclass(frozen=True)
class RecordChange:
    """One record before and after this plan (``None``: none then), and who publishes each."""

    domain: str  # the list domain, the zone or the name server the record is of
    kind: str  # MX, SPF, DMARC, DMARC report authorization, NS, glue, address
    before: Record | None
    after: Record | None
    zone_before: str = ""  # the platform's zone that wrote the former record at REV, or "" (published by hand)
    zone: str = ""  # the platform's zone that writes the new one, or ""
    holder_before: str = ""  # who published the former record by hand: a member's slug, or "" for the admins
    holder: str = ""  # who publishes the new one by hand
    place: str = ""  # where it is published, when not in its own name's zone (a zone's delegation: its parent)
    # the platform's zone that writes the new record when this plan adds it (not served at REV): resolvers read it
    # only once its delegation names the platform's name servers, and the record where it is published now until then
    pending: str = ""

    @property
    def type(self) -> str:
        record = self.after if self.after is not None else self.before
        return record.type if record is not None else ""


def _show(record: Record) -> str:
    return f"{record.name} {record.type} {rdata(record)}"


def _by_whom(zone: str, holder: str, place: str) -> str:
    if zone:
        return f"by `pulumi up`, in the platform's zone {zone}"
    where = f", in {place}" if place else ", in its own zone" if holder else ""
    return f"by {holder or 'the admins'}{where}"


def publishing(records: Iterable[RecordChange]) -> list[str]:
    """The records to publish and to remove, grouped by who does it (the admins, each member, ``pulumi up`` in a
    zone of the platform), each group in words."""
    groups: dict[str, list[str]] = {}
    for rc in records:
        if rc.pending and rc.after is not None and not rc.zone_before:
            # pulumi up writes it in a zone no resolver reads yet: the zone delegated now must hold it meanwhile
            hand = _by_whom("", rc.holder_before, "")
            until = f"until the delegation of {rc.pending} names the platform's name servers, then remove it"
            if rc.before is None:
                groups.setdefault(hand, []).append(f"publish `{_show(rc.after)}` first, {until}")
            elif rc.before == rc.after:
                groups.setdefault(hand, []).append(f"keep `{_show(rc.before)}` {until}")
            else:
                groups.setdefault(hand, []).append(
                    f"publish `{_show(rc.after)}` in place of `{rdata(rc.before)}` first, {until}"
                )
            groups.setdefault(_by_whom(rc.zone, rc.holder, rc.place), []).append(f"writes `{_show(rc.after)}`")
            continue
        after = _by_whom(rc.zone, rc.holder, rc.place)
        before = _by_whom(rc.zone_before, rc.holder_before, rc.place)
        write, drop = ("writes", "drops") if rc.zone else ("publish", "remove")
        if rc.before is not None and rc.before == rc.after and after == before:
            groups.setdefault(after, []).append(f"{'keeps' if rc.zone else 'keep'} `{_show(rc.after)}`")
            continue
        if rc.before is not None and rc.after is not None and after == before and rc.before.name == rc.after.name:
            groups.setdefault(after, []).append(f"{write} `{_show(rc.after)}` in place of `{rdata(rc.before)}`")
            continue
        if rc.after is not None:
            groups.setdefault(after, []).append(f"{write} `{_show(rc.after)}`")
        if rc.before is not None:
            drop = "drops" if rc.zone_before else "remove"
            groups.setdefault(before, []).append(f"{drop} `{_show(rc.before)}`")
    return [f"{who}: {', '.join(actions)}" for who, actions in groups.items()]


def named_setting(setting: str) -> str:
    """A setting in a heading: its name in backticks, words around it (``(role db)``) and a phrase (``the web host
    of velo-cite``) as they are: a code span holds a value, not words."""
    head, sep, rest = setting.partition(" ")
    if not sep:
        return f"`{setting}`"
    return f"`{head}` {rest}" if rest.startswith("(") and rest.endswith(")") else setting


@dataclass(frozen=True)
class DnsRecordsChange:
    """A setting changed whose value is in records published outside ``pulumi up`` (or by it, in the platform's
    zones): each record before and after, who publishes it, what happens until then, and what to do."""

    kind: Kind
    # each setting changed (pic:mail.mx, pic:mail.dmarc_reports, lists.dmarc of a member, ...) with its value before
    # and after this plan, in words ("(not set: ...)" when unset)
    parts: tuple[tuple[str, str, str], ...]
    what: str  # what changes with it, in words
    records: tuple[RecordChange, ...]
    member: str = ""  # the member whose file holds the setting (lists.dmarc), or ""
    keep: str = ""  # how to keep the former value: "keep `pic:mail.mx: x`", or "" when another section says it
    archived: tuple[str, ...] = ()  # archived members' list domains: their records need it before they run again
    effects: tuple[str, ...] = ()  # what happens until the records are published, and meanwhile
    steps: tuple[str, ...] = ()  # what to do, in order
    details: dict[str, str | int | list[str] | None] = field(
        default_factory=dict
    )  # for json: the values behind the words
    none_listed: str = "no record of a list domain served before and after it"  # the words when no record is told

    @property
    def setting(self) -> str:
        return " and ".join(setting for setting, _, _ in self.parts)

    @property
    def old(self) -> str:
        return "; ".join(old for _, old, _ in self.parts)

    @property
    def new(self) -> str:
        return "; ".join(new for _, _, new in self.parts)

    @property
    def title(self) -> str:
        """The settings changed, for a markdown heading."""
        return " and ".join(f"{named_setting(setting)} changes ({old} → {new})" for setting, old, new in self.parts)

    @property
    def heading(self) -> str:
        """The markdown heading: the settings changed and the records to publish; the address records of the
        platform's zones, which no setting names, by what writes them."""
        if self.kind != "zone_addresses":
            return f"{self.title}: DNS records to publish"
        by_hand = any(rc.after is not None and (not rc.zone or rc.pending) for rc in self.records)
        return (
            f"the address records of the platform's zones change ({self.old} → {self.new}): written by `pulumi up`"
            + (", some published by hand meanwhile or elsewhere" if by_hand else "")
            + (", some names leading to no host" if self.details.get("no_address") else "")
        )

    def note(self) -> str:
        archived = (
            [
                f"the archived members' list domains ({', '.join(self.archived)}) need the new values before they "
                "are made active again"
            ]
            if self.archived
            else []
        )
        listed = "; ".join(publishing(self.records)) or self.none_listed
        head = " and ".join(f"{setting} {old} -> {new}" for setting, old, new in self.parts)
        effects = "; ".join([*self.effects, *archived])
        return f"{head}: {self.what}: {listed}. {sentence_start(effects)}"

    @property
    def advice(self) -> str:
        return "; ".join([*self.steps, *([f"or {self.keep}"] if self.keep else [])])


_FIRST_WORD = re.compile(r"[a-z]+(?=[ ,:;])")
# The ordinary words this module's effect sentences begin with (DnsRecordsChange.effects, and the archived members'
# clause of DnsRecordsChange.note): the only ones capitalised at the start of a sentence. An effect may also begin
# with a value (a host such as `db`, a member's slug, a domain, a runtime key), written in lowercase letters like a
# word but a name, whose case is kept: its form cannot tell it from a word, so a word is known by this list.
OPENING_WORDS = frozenset({"from", "no", "receivers", "resolvers", "the", "until", "where"})


def sentence_start(sentence: str) -> str:
    """``sentence`` with its first letter capitalised when it starts with one of :data:`OPENING_WORDS` followed by a
    space or punctuation; any other start is left as it is: a name (a host, a slug, a domain, an address,
    ``phpMyAdmin``) or a code span keeps its case."""
    first = _FIRST_WORD.match(sentence)
    return sentence[:1].upper() + sentence[1:] if first and first.group() in OPENING_WORDS else sentence


@dataclass(frozen=True)
class _Domain:
    domain: str
    member: str  # "" for Sympa's main domain
    policy: str


def _served(settings: Settings, members: dict[str, Member]) -> dict[str, _Domain]:
    """The list domains whose records the program makes (pic.render.mail.list_domains: the main one, then every
    member's that is not archived), by name."""
    main = str(settings.mail.sympa_domain)
    out = {main: _Domain(main, "", settings.mail.dmarc)}
    for slug in sorted(members):
        m = members[slug]
        if m.lists is not None and m.status != "archived":
            out[m.lists.domain] = _Domain(m.lists.domain, slug, m.lists.dmarc)
    return out


def _archived(members: dict[str, Member]) -> tuple[str, ...]:
    return tuple(sorted(m.lists.domain for m in members.values() if m.lists is not None and m.status == "archived"))


class _Holders:
    """Who publishes a name by hand: the member whose list domain holds it (its own zone), else the admins."""

    def __init__(self, members: dict[str, Member]) -> None:
        self.by_domain = {m.lists.domain.lower(): slug for slug, m in members.items() if m.lists is not None}

    def __call__(self, name: str) -> str:
        labels = name.lower().rstrip(".").split(".")
        for i in range(len(labels)):
            slug = self.by_domain.get(".".join(labels[i:]))
            if slug is not None:
                return slug
        return ""


def _zone(settings: Settings, name: str) -> str:
    """The platform's zone that holds record ``name`` (pic.components.dns_zones: by the record's name), or ""."""
    if settings.dns.backend != "zonefile":
        return ""
    return zone_of(name, settings.dns.zones) or ""


class _Ends:
    """The two ends of a plan, with what every kind of change needs of them."""

    def __init__(
        self, old: Settings, new: Settings, old_members: dict[str, Member], new_members: dict[str, Member]
    ) -> None:
        self.old, self.new = old, new
        self.old_members, self.new_members = old_members, new_members
        before = _served(old, old_members)
        self.domains = [(before[name], d) for name, d in _served(new, new_members).items() if name in before]

    # Who holds a name, only once a record is told (most plans change no setting of these).
    @functools.cached_property
    def holder_before(self) -> _Holders:
        return _Holders(self.old_members)

    @functools.cached_property
    def holder(self) -> _Holders:
        return _Holders(self.new_members)

    @functools.cached_property
    def zones_before(self) -> set[str]:
        """The zones the platform served at REV (and that its parents delegate to it)."""
        return set(self.old.dns.zones) if self.old.dns.backend == "zonefile" else set()

    def change(self, domain: str, kind: str, before: Record | None, after: Record | None) -> RecordChange:
        zone = _zone(self.new, after.name) if after is not None else ""
        pending = zone if zone and zone not in self.zones_before else ""
        # where a record is published by hand until a zone added here is delegated: where its name is now
        named = before if before is not None else after if pending else None
        return RecordChange(
            domain,
            kind,
            before,
            after,
            zone_before=_zone(self.old, before.name) if before is not None else "",
            zone=zone,
            holder_before=self.holder_before(named.name) if named is not None else "",
            holder=self.holder(after.name) if after is not None else "",
            pending=pending,
        )


def _kept(setting: str, value: str | None) -> str:
    return f"keep `{setting}: {value}`" if value is not None else f"leave `{setting}` unset"


@dataclass(frozen=True)
class HostSetting:
    """A setting that names a host and falls back to another when unset (``pic:mail.host`` to the default web host,
    ``pic:dns.server`` to the mail host): the host it gives changes with the fallback too, while the setting itself
    stays unset, and is told so, with how to keep the former host."""

    setting: str
    written_old: str | None  # the setting as written at REV and in the working tree (None: unset)
    written_new: str | None
    host_old: str  # the host it gives at both ends
    host_new: str
    fallback: str  # what gives the host when the setting is unset, in words ("the default web host")
    fallback_new: str  # the host the fallback gives in the working tree

    @classmethod
    def mail(cls, old: Settings, new: Settings) -> HostSetting:
        return cls(
            "pic:mail.host",
            old.mail.host,
            new.mail.host,
            old.mail_host,
            new.mail_host,
            "the default web host, pic:default_web_host",
            new.default_host,
        )

    @classmethod
    def dns(cls, old: Settings, new: Settings) -> HostSetting:
        return cls(
            "pic:dns.server",
            old.dns.server,
            new.dns.server,
            old.dns_server,
            new.dns_server,
            "the mail host, pic:mail.host",
            new.mail_host,
        )

    @classmethod
    def phpmyadmin(cls, old: Settings, new: Settings) -> HostSetting | None:
        host_old, host_new = phpmyadmin_host(old), phpmyadmin_host(new)
        if old.phpmyadmin is None or new.phpmyadmin is None or host_old is None or host_new is None:
            return None
        return cls(
            "pic:phpmyadmin.host",
            old.phpmyadmin.host,
            new.phpmyadmin.host,
            host_old,
            host_new,
            "the default web host, pic:default_web_host",
            new.default_host,
        )

    @property
    def shown(self) -> str:
        """The setting as told: unset at both ends, with what gave the host (the setting itself did not change)."""
        if self.written_old is None and self.written_new is None:
            return f"{self.setting} (not set: {self.fallback})"
        return self.setting

    @property
    def keep(self) -> str:
        """How to keep the former host: the setting kept, left unset, or written where it was unset."""
        if self.written_old is not None:
            return f"keep `{self.setting}: {self.host_old}`"
        if self.fallback_new == self.host_old:
            return f"leave `{self.setting}` unset"
        return f"write `{self.setting}: {self.host_old}`"


def _who(records: Iterable[RecordChange]) -> str:
    """Who publishes the new records, in words (the admins, the members, pulumi up), for the advice."""
    published = [rc for rc in records if rc.after is not None]
    by_hand = [rc for rc in published if not rc.zone]
    who = [
        *(["the admins publish theirs"] if any(not rc.holder for rc in by_hand) else []),
        *([f"send each member its own ({MEMBERS_README})"] if any(rc.holder for rc in by_hand) else []),
        *(["`pulumi up` writes those of the platform's zones"] if any(rc.zone for rc in published) else []),
    ]
    pending = sorted({rc.pending for rc in published if rc.pending and not rc.zone_before})
    if pending:
        who.append(
            f"those of {', '.join(pending)}, a zone this plan adds, are published where their domain's records are "
            "now too, before `pulumi up`, since resolvers read the platform's zone only once its delegation names "
            "the platform's name servers"
        )
    return " and ".join(who) or "none is to publish"


def _exchanger(ends: _Ends) -> DnsRecordsChange | None:
    """The mail exchanger (pic:mail.mx, else the mail host's address) changed: every list domain's MX and SPF."""
    old, new = ends.old, ends.new
    x_old, x_new = old.mail_exchanger, new.mail_exchanger
    if same_address(x_old, x_new):
        return None
    if (old.mail.mx or "").lower().rstrip(".") != (new.mail.mx or "").lower().rstrip("."):
        setting, was, now = "pic:mail.mx", old.mail.mx, new.mail.mx
        old_shown = was if was is not None else f"(not set: the mail host's address, {x_old})"
        new_shown = now if now is not None else f"(not set: the mail host's address, {x_new})"
        keep = _kept(setting, was)
    elif old.mail_host != new.mail_host:
        mail = HostSetting.mail(old, new)
        setting, old_shown, new_shown, keep = mail.shown, old.mail_host, new.mail_host, mail.keep
    else:
        setting = f"pic:hosts.{new.mail_host}.address"
        old_shown, new_shown = x_old, x_new
        keep = _kept(setting, x_old)
    records = []
    for before, after in ends.domains:
        for kind, b, a in (
            ("MX", Record(before.domain, "MX", f"10 {x_old}."), Record(after.domain, "MX", f"10 {x_new}.")),
            ("SPF", Record(before.domain, "TXT", spf_value(x_old)), Record(after.domain, "TXT", spf_value(x_new))),
        ):
            if b != a:
                records.append(ends.change(after.domain, kind, b, a))
    host = new.mail_host
    left = (
        f" ({x_old} is the address of {old.mail_host}, the mail host before this plan: mail that reaches it goes to "
        "the Sympa left there)"
        if old.mail_host != new.mail_host
        else ""
    )
    effects = (
        f"until a list domain's MX names {x_new}, mail to its lists goes to {x_old}, which must lead to the mail host "
        f"({host}) meanwhile, or that mail is refused or lost{left}",
        f"until its SPF record names {x_new}, Sympa's mail passes SPF only while {x_old} leads to the mail host (its "
        "DKIM signature keeps DMARC passing)",
        f"Postfix on the mail host gives {x_new} as its own name from `pulumi up` (myhostname, in its greeting), "
        "which the reverse DNS (PTR) of the mail host's address, set where that address is hosted, should name too",
    )
    zoned = any(rc.zone for rc in records)
    steps = [
        f"before `pulumi up`, have {x_new} lead to the mail host {host} (its address records, by the admins) and keep "
        f"{x_old} leading there until every list domain's MX names {x_new} (`pic dns check` passes)",
        f"have each list domain's new MX and SPF records published as listed: {_who(records)}; {CHECK_BEFORE}, and "
        f"{CHECK_AFTER}",
    ]
    if zoned:
        steps.append(f"the platform's zones get theirs from `pulumi up` itself, so run it once {x_new} leads there")
    return DnsRecordsChange(
        "exchanger",
        ((setting, old_shown, new_shown),),
        f"the mail exchanger of the list domains (pic:mail.mx, else the mail host's address) changes from {x_old} to "
        f"{x_new}, and with it the MX and SPF records of every list domain",
        tuple(records),
        keep=keep,
        archived=_archived(ends.new_members),
        effects=effects,
        steps=tuple(steps),
        details={"exchanger_before": x_old, "exchanger": x_new},
    )


def _alias(settings: Settings, members: dict[str, Member], mailbox: str) -> bool:
    """Whether ``mailbox`` is an alias to the admins in Postfix's virtual map (pic.render.mail.virtual_map): a
    mailbox at a list domain Sympa serves, none of Sympa's own addresses."""
    local, _, domain = mailbox.rpartition("@")
    served = {d.lower() for d in _served(settings, members)}
    return bool(local) and domain.lower() in served and not sympa_address(local)


def _reports(ends: _Ends) -> DnsRecordsChange | None:
    """The DMARC reports' mailbox changed (pic:mail.dmarc_reports, or pic:mail.sympa_domain while it is unset):
    every list domain's DMARC record (``rua=``) and the reports' authorization (RFC 7489 §7.1)."""
    old, new = ends.old, ends.new
    r_old, r_new = old.mail.reports_mailbox, new.mail.reports_mailbox
    if r_old.lower() == r_new.lower():
        return None
    records = []
    for before, after in ends.domains:
        b = Record(dmarc_name(before.domain), "TXT", dmarc_value(before.policy, r_old))
        a = Record(dmarc_name(after.domain), "TXT", dmarc_value(after.policy, r_new))
        records.append(ends.change(after.domain, "DMARC", b, a))
        b_auth, a_auth = report_authorization(before.domain, r_old), report_authorization(after.domain, r_new)
        if b_auth != a_auth:
            kind = "DMARC report authorization"
            if b_auth is not None and a_auth is not None:  # another reports' domain: published elsewhere
                records.append(ends.change(after.domain, kind, None, a_auth))
                records.append(ends.change(after.domain, kind, b_auth, None))
            else:
                records.append(ends.change(after.domain, kind, b_auth, a_auth))
    unset = "(not set: `dmarc-reports@<sympa_domain>`, {})"
    if old.mail.dmarc_reports != new.mail.dmarc_reports:
        setting, was = "pic:mail.dmarc_reports", old.mail.dmarc_reports
        old_shown = was or unset.format(r_old)
        new_shown = new.mail.dmarc_reports or unset.format(r_new)
        keep = _kept(setting, was)
    else:  # unset at both ends: the default follows Sympa's main domain, whose own section says how to keep it
        setting, keep = "pic:mail.sympa_domain", ""
        old_shown, new_shown = str(old.mail.sympa_domain), str(new.mail.sympa_domain)
    effects = [
        "receivers send a list domain's aggregate reports to the mailbox its DMARC record names, and to one outside "
        "that domain only if the mailbox's domain publishes the authorization: until a domain's new DMARC record is "
        f"published, its reports go on to {r_old}, and until its new authorization is, receivers drop its reports "
        f"for {r_new}"
    ]
    alias_old, alias_new = _alias(old, ends.old_members, r_old), _alias(new, ends.new_members, r_new)
    if alias_old:
        effects.append(
            f"{r_old} is an alias to the admins in Postfix's virtual map (a mailbox at a list domain), which `pulumi "
            f"up` removes: the reports still sent there after it, by receivers that read a former DMARC record, are "
            "refused"
        )
    if alias_new:
        effects.append(
            f"{r_new} becomes such an alias at `pulumi up`: reports sent there before it are refused (the transport "
            "map takes only Sympa's addresses at a list domain)"
        )
    authorizations = [rc for rc in records if rc.kind == "DMARC report authorization"]
    removed = [rc for rc in authorizations if rc.before is not None and rc.after is None]
    # pic.components.dns_zones writes each zone whole from the records of this plan: a former authorization in a
    # zone of the platform is gone at pulumi up, with no delay to give
    dropped = [rc for rc in removed if rc.zone_before]
    if dropped:
        zones = ", ".join(sorted({rc.zone_before for rc in dropped}))
        domains = ", ".join(sorted({rc.domain for rc in dropped}))
        dmarc_zoned = sorted(
            {rc.domain for rc in records if rc.kind == "DMARC" and rc.zone} & {rc.domain for rc in dropped}
        )
        effects.append(
            f"`pulumi up` drops the former authorizations of {domains} from the platform's zone {zones} at once, "
            f"not days later: from then, receivers drop the reports addressed to {r_old} for a domain whose DMARC "
            f"record still names it, or that they read less than {CACHED} before"
            + (
                f" ({', '.join(dmarc_zoned)}: `pulumi up` changes its DMARC record in the same step, so a receiver "
                "holding the former record meanwhile sends reports that are dropped; no order of the steps keeps them)"
                if dmarc_zoned
                else ""
            )
        )
    effects.append("no member's mail is at stake: DMARC's policy does not change")
    by_hand_dmarc = any(rc.kind == "DMARC" and not rc.zone for rc in records)
    wait = f", and run it once {CACHED} has passed" if alias_old or (dropped and by_hand_dmarc) else ""
    first = (
        f"run `pulumi up` first, which makes {r_new} an alias, then have the new DMARC records published"
        if alias_new
        else f"have the new DMARC records published before `pulumi up`{wait}"
    )
    by_hand = [rc for rc in removed if not rc.zone_before]
    steps = (
        *(
            [
                "have the new authorization records published first (they change nothing until a DMARC record names "
                f"{r_new})"
            ]
            if any(rc.after is not None for rc in authorizations)
            else []
        ),
        f"{first}, as listed: {_who(records)}; {CHECK_BEFORE}, and {CHECK_AFTER}",
        *(
            [
                f"remove the former authorization records {'published by hand ' if dropped else ''}a few days after "
                "(receivers send each day's reports the day after, to the mailbox they read then)"
                + (f"; those of the platform's zone {zones} go at `pulumi up` itself" if dropped else "")
            ]
            if by_hand
            else [f"the former authorization records go at `pulumi up` itself, from the platform's zone {zones}"]
            if dropped
            else []
        ),
    )
    return DnsRecordsChange(
        "reports",
        ((setting, old_shown, new_shown),),
        f"the DMARC reports' mailbox changes from {r_old} to {r_new}, and with it the DMARC record (`rua=`) of every "
        "list domain and the authorization the reports' domain publishes for each list domain outside it (RFC 7489 "
        "§7.1, `<domain>._report._dmarc.<reports domain>`)",
        tuple(records),
        keep=keep,
        archived=_archived(ends.new_members),
        effects=tuple(effects),
        steps=steps,
        details={"mailbox_before": r_old, "mailbox": r_new},
    )


def _policies(ends: _Ends) -> list[DnsRecordsChange]:
    """A DMARC policy changed (pic:mail.dmarc for Sympa's main domain, a member's lists.dmarc for its list domain):
    that domain's DMARC record (``p=``)."""
    out = []
    for before, after in ends.domains:
        if before.policy == after.policy:
            continue
        reports = ends.new.mail.reports_mailbox
        b = Record(dmarc_name(before.domain), "TXT", dmarc_value(before.policy, ends.old.mail.reports_mailbox))
        a = Record(dmarc_name(after.domain), "TXT", dmarc_value(after.policy, reports))
        record = ends.change(after.domain, "DMARC", b, a)
        if after.member:
            m = ends.new_members[after.member]
            file = PurePath(m.file)
            setting = f"lists.dmarc of {after.member} ({file.parent.name}/{file.name})"
            whose = f"its list domain {after.domain}"
            keep = f"keep `lists: {{domain: {after.domain}, dmarc: {before.policy}}}` in {after.member}'s file"
        else:
            setting, whose = "pic:mail.dmarc", f"Sympa's main domain {after.domain}"
            keep = _kept(setting, before.policy)
        effects = (
            f"receivers apply the policy the record names: {before.policy} until the new record is published, then "
            f"mail bearing {after.domain} in its From: that fails DMARC (neither DKIM nor SPF aligned: not signed by "
            f"Sympa, or its signature broken on the way) is {policy_effect(before.policy, after.policy)}",
            "Sympa's own mail passes through its DKIM signature; nothing is refused before the record is published",
        )
        who = (
            f"`pulumi up` writes it in the platform's zone {record.zone}, which this plan adds: have it published "
            f"first by {record.holder_before or 'the admins'} where the domain's records are now, read until the "
            f"zone's delegation names the platform's name servers"
            if record.pending and not record.zone_before
            else f"`pulumi up` writes it in the platform's zone {record.zone}"
            if record.zone
            else f"the admins send it to {record.holder} ({MEMBERS_README})"
            if record.holder
            else "the admins publish it"
        )
        out.append(
            DnsRecordsChange(
                "policy",
                ((setting, before.policy, after.policy),),
                f"the DMARC policy of {whose} changes, in its DMARC record (`p=`)",
                (record,),
                member=after.member,
                keep=keep,
                effects=effects,
                steps=(f"have the record published as listed: {who}; {CHECK_BEFORE}, and {CHECK_AFTER}",),
                details={"domain": after.domain},
            )
        )
    return out


def _zone_holders(settings: Settings, members: dict[str, Member]) -> dict[str, str]:
    """The member that holds each zone of the platform: the one whose domains (its site's, its list domain) are
    the only names under it, a zone it delegated to the platform; a zone holding none, another member's, or a name
    of the platform's own (Sympa's domain, the mail exchanger, a host, phpMyAdmin, the admins' or the reports'
    mailbox) is the admins'."""
    zones = settings.dns.zones
    platform = [
        str(settings.mail.sympa_domain),
        settings.mail_exchanger,
        *(str(h.address) for h in settings.hosts.values()),
        *([str(settings.phpmyadmin.domain)] if settings.phpmyadmin is not None else []),
        *(mailbox.rpartition("@")[2] for mailbox in (settings.admin_email, settings.mail.reports_mailbox)),
        *nameservers(settings),
    ]
    found: dict[str, set[str]] = {}
    for name in platform:
        zone = zone_of(name.lower().rstrip("."), zones)
        if zone is not None:
            found.setdefault(zone, set()).add("")
    for slug, m in members.items():
        for domain in [*(m.site.domains if m.site is not None else ()), *([m.lists.domain] if m.lists else [])]:
            zone = zone_of(domain, zones)
            if zone is not None:
                found.setdefault(zone, set()).add(slug)
    return {zone: next(iter(slugs)) for zone, slugs in found.items() if len(slugs) == 1}


def _address_record(name: str, address: str) -> Record:
    return Record(name, "AAAA" if ipaddress.ip_address(address).version == 6 else "A", address)


def _delegation(ends: _Ends) -> DnsRecordsChange | None:
    """The name servers of the platform's zones or their addresses changed (pic:dns.nameservers, else the DNS
    server's address; pic:dns.listen): each zone's delegation in its parent (NS, and glue for a name server inside
    the zone), and the name servers' address records."""
    old, new = ends.old, ends.new
    if old.dns.backend != "zonefile" or new.dns.backend != "zonefile":
        return None
    zones = [z for z in new.dns.zones if z in old.dns.zones]
    ns_old = [n.lower().rstrip(".") for n in nameservers(old)]
    ns_new = [n.lower().rstrip(".") for n in nameservers(new)]
    ip_old = {ipaddress.ip_address(a) for a in old.dns.listen}
    ip_new = {ipaddress.ip_address(a) for a in new.dns.listen}
    if not zones or (set(ns_old) == set(ns_new) and ip_old == ip_new):
        return None
    listen_old = sorted(ip_old, key=lambda a: (a.version, a))
    listen_new = sorted(ip_new, key=lambda a: (a.version, a))
    records: list[RecordChange] = []
    holders = _zone_holders(new, ends.new_members)
    for zone in zones:
        # The delegation is in the parent zone: the zone's holder's (its registrar's) matter.
        holder = holders.get(zone, "")
        place = f"the delegation of {zone}, in its parent zone"
        ns_before = {Record(zone, "NS", f"{n}.") for n in ns_old}
        ns_after = {Record(zone, "NS", f"{n}.") for n in ns_new}
        glue_before = {_address_record(n, str(a)) for n in ns_old if zone_of(n, [zone]) for a in listen_old}
        glue_after = {_address_record(n, str(a)) for n in ns_new if zone_of(n, [zone]) for a in listen_new}
        for kind, before, after in (("NS", ns_before, ns_after), ("glue", glue_before, glue_after)):
            records += [
                RecordChange(zone, kind, b, a, holder_before=holder, holder=holder, place=place)
                for b, a in [*((r, None) for r in sorted(before - after)), *((None, r) for r in sorted(after - before))]
            ]
    # Each name server's own address records: in a zone of the platform, written by pulumi up (its glue there);
    # elsewhere, by the admins or the member holding the name. A former name server's are no matter of this plan.
    for n in ns_new:
        before = {_address_record(n, str(a)) for a in listen_old} if n in ns_old else set()
        after = {_address_record(n, str(a)) for a in listen_new}
        records += [ends.change(n, "address", r, None) for r in sorted(before - after)]
        records += [ends.change(n, "address", None, r) for r in sorted(after - before)]
    changed: list[tuple[str, str, str, str]] = []  # setting, in words, before, after
    if set(ns_old) != set(ns_new):
        unset = f"pic:dns.nameservers (not set: the address of the DNS server, {new.dns_server})"
        words = "pic:dns.nameservers" if old.dns.nameservers or new.dns.nameservers else unset
        changed.append(("pic:dns.nameservers", words, ", ".join(ns_old), ", ".join(ns_new)))
    if ip_old != ip_new:
        was, now = (", ".join(map(str, ips)) for ips in (listen_old, listen_new))
        changed.append(("pic:dns.listen", "pic:dns.listen", was, now))
    was, now = "; ".join(f"[{o}]" for *_, o, _ in changed), "; ".join(f"[{n}]" for *_, n in changed)
    dropped = sorted(ip_old - ip_new, key=lambda a: (a.version, a))
    effects = [
        "resolvers find the platform's zones through their delegation, the NS records and the glue (the addresses of "
        "a name server inside the zone) in each zone's parent, which `pulumi up` does not write: it writes the "
        "zones' own NS and address records only",
        "where the parent still names a former name server or address, resolvers try the others; where it names "
        "none that answers, the zone goes unanswered, and mail to its list domains waits in the senders' queues "
        "(Sympa's signatures cannot be checked either) until the parent's records change and the former ones leave "
        "the resolvers' caches (the parent's TTL, often a day or two)",
    ]
    if dropped:
        effects.append(
            f"NSD stops answering at {', '.join(map(str, dropped))} at `pulumi up`"
            + ("" if ip_old & ip_new else ", and at none of the addresses it answered at before")
        )
    steps = [
        "before `pulumi up`, add the new name servers and addresses to each zone's delegation at its parent (its "
        "registrar), beside the former ones, and have the name servers' address records published as listed",
        f"after it, check that each name server answers for each zone ({dig_commands(map(str, listen_new), zones)}), "
        "then remove the former ones from the delegation",
    ]
    if dropped and not ip_old & ip_new:
        steps.append(
            "as no address of pic:dns.listen stays, add the new ones in a change of their own first, keeping the "
            "former ones, and remove those in a later change, once the delegation names only the new ones and the "
            "parent's TTL has passed"
        )
    keep = " and ".join(
        f"keep `{key}: [{o}]`" if key == "pic:dns.listen" or old.dns.nameservers else f"leave `{key}` unset"
        for key, _, o, _ in changed
    )
    return DnsRecordsChange(
        "delegation",
        tuple((words, f"[{o}]", f"[{n}]") for _, words, o, n in changed),
        f"the name servers of the platform's zones ({', '.join(zones)}) change, or the addresses NSD answers at, and "
        "with them each zone's delegation",
        tuple(records),
        keep=keep,
        effects=tuple(effects),
        steps=tuple(steps),
        details={"zones": list(zones)},
    )


def _mail_records(settings: Settings, d: _Domain) -> dict[str, Record]:
    """A list domain's records by kind (pic.render.dns.mail_records), its DKIM key left out: the state holds it."""
    exchanger, reports = settings.mail_exchanger, settings.mail.reports_mailbox
    out = {
        "MX": Record(d.domain, "MX", f"10 {exchanger}."),
        "SPF": Record(d.domain, "TXT", spf_value(exchanger)),
        "DKIM": Record(dkim_name(d.domain, settings.mail.dkim_selector), "TXT", DKIM_VALUE),
        "DMARC": Record(dmarc_name(d.domain), "TXT", dmarc_value(d.policy, reports)),
    }
    authorization = report_authorization(d.domain, reports)
    if authorization is not None:
        out["DMARC report authorization"] = authorization
    return out


def _zones_records(ends: _Ends, before: set[str], after: set[str]) -> list[RecordChange]:
    """The records that enter or leave the platform's zones (the same record in other hands), then the NS records
    of each zone's delegation added or removed.

    A record is paired with the one of the same name and type: one whose name changes with another setting (the
    reports' authorization with the mailbox's domain, the DKIM record with the selector) is that setting's section's,
    as is a value changed in the same hands."""
    records: list[RecordChange] = []
    for was, now in ends.domains:
        old_records, new_records = _mail_records(ends.old, was), _mail_records(ends.new, now)
        for kind, new_record in new_records.items():
            old_record = old_records.get(kind)
            if old_record is None or (old_record.name, old_record.type) != (new_record.name, new_record.type):
                continue
            rc = ends.change(now.domain, kind, old_record, new_record)
            if rc.zone_before != rc.zone:
                records.append(rc)
    for zones, settings, members, added in (
        (after - before, ends.new, ends.new_members, True),
        (before - after, ends.old, ends.old_members, False),
    ):
        holders = _zone_holders(settings, members)
        for zone in sorted(zones):
            place, holder = f"the delegation of {zone}, in its parent zone", holders.get(zone, "")
            names = [n.lower().rstrip(".") for n in nameservers(settings)]
            # a name server inside the zone is reached through its glue in the parent (pic.render.dns._glue)
            delegation = [
                *(("NS", Record(zone, "NS", f"{n}.")) for n in names),
                *(("glue", _address_record(n, a)) for n in names if zone_of(n, [zone]) for a in settings.dns.listen),
            ]
            for kind, record in delegation:
                b, a = (None, record) if added else (record, None)
                records.append(RecordChange(zone, kind, b, a, holder_before=holder, holder=holder, place=place))
    return records


def _zones(ends: _Ends) -> DnsRecordsChange | None:
    """The platform's zones changed (pic:dns.zones, pic:dns.backend): the list domains whose records enter or leave
    them change hands, and a zone added or removed is delegated to the platform's name servers or away from them."""
    old, new = ends.old, ends.new
    before = set(old.dns.zones) if old.dns.backend == "zonefile" else set()
    after = set(new.dns.zones) if new.dns.backend == "zonefile" else set()
    if before == after:
        return None
    records = _zones_records(ends, before, after)
    removed, added = sorted(before - after), sorted(after - before)
    leaving = sorted({rc.domain for rc in records if rc.zone_before and not rc.zone})
    entering = sorted({rc.domain for rc in records if rc.zone and not rc.zone_before})
    effects = [
        *(
            [
                f"from `pulumi up`, the platform's zones no longer hold the records of {', '.join(leaving)}, which "
                "are to be published where their domain's records are from then on, before it: a domain whose records "
                "no one answers for gets no mail (the senders retry, then return it), and its mail fails SPF, DKIM "
                "and DMARC"
            ]
            if leaving
            else []
        ),
        *(
            [
                f"NSD no longer answers for {', '.join(removed)} at all from `pulumi up`: every name in it goes "
                "unanswered until its delegation names other servers that hold its records, and the parent's TTL "
                "has passed"
            ]
            if removed
            else []
        ),
        *(
            [
                f"NSD answers for {', '.join(added)} from `pulumi up`, with the mail records of its list domains, "
                "its name servers' addresses and the address records of the platform's names and the sites' domains "
                "inside it (their own section; `pic check` warns of a name whose host has no address to give), but "
                "resolvers read "
                "it only once its delegation names the platform's name servers: until then they read the records "
                "published by hand, to keep there until the delegation moves"
            ]
            if added
            else []
        ),
    ]
    steps = [
        *(
            [
                "before `pulumi up`, have "
                + ", and ".join(
                    [
                        *(
                            [
                                "the records of the domains leaving the platform's zones published where their records "
                                "go, as listed"
                            ]
                            if leaving
                            else []
                        ),
                        *(
                            [f"the delegation of {', '.join(removed)} moved to the servers that hold it now"]
                            if removed
                            else []
                        ),
                    ]
                )
                + f"; {CHECK_BEFORE}; run `pulumi up` once every one is there"
                + (" and the parent's TTL has passed" if removed else "")
            ]
            if leaving or removed
            else []
        ),
        *(
            [
                "after `pulumi up`, check that NSD answers for each zone added "
                f"({dig_commands(new.dns.listen, added)}), then have its delegation name the platform's name "
                "servers (with glue for one inside it, as listed), and remove the records published by hand once "
                "the parent's TTL has passed"
            ]
            if entering or added
            else []
        ),
    ]
    parts: list[tuple[str, str, str]] = []
    if old.dns.backend != new.dns.backend:
        parts.append(("pic:dns.backend", old.dns.backend, new.dns.backend))
    if list(old.dns.zones) != list(new.dns.zones):
        parts.append(("pic:dns.zones", f"[{', '.join(old.dns.zones)}]", f"[{', '.join(new.dns.zones)}]"))
    return DnsRecordsChange(
        "zones",
        tuple(parts),
        "the zones the platform serves change, and with them who publishes the records of the list domains under "
        "them (DKIM keys as `pulumi stack output mail_dns_records` gives them)",
        tuple(records),
        keep=" and ".join(f"keep `{setting}: {value}`" for setting, value, _ in parts),
        effects=tuple(effects),
        steps=tuple(steps),
        details={"zones_added": added, "zones_removed": removed},
    )


def _sites(ends: _Ends) -> list[DnsRecordsChange]:
    """Sites whose mail leaves from another address (their web host changed, or its address, or the public addresses
    of one known by address: HostSpec.sends_mail_from): the SPF record a member publishes for its site's domains
    names its web host (README "Mail from sites"). A site's domain that is also a list domain is left to the list
    domain's records: one name has one SPF record (RFC 7208 §3.2), there the list domain's, which lets the mail
    host send, where pic check has that site be (pic dns check expects it alone)."""
    old, new = ends.old, ends.new
    served_lists = {domain.lower() for domain in _served(new, ends.new_members)}
    groups: dict[tuple[str, tuple[str, ...], tuple[str, ...]], list[Member]] = {}
    elsewhere: dict[tuple[str, str], bool] = {}  # (host before, host after): whether the sites' mail leaves elsewhere
    for slug in sorted(ends.new_members):
        m = ends.new_members[slug]
        former = ends.old_members.get(slug)
        if former is None:
            continue
        before, after = old.hosts.get(former.host), new.hosts.get(m.host)
        if before is None or after is None:
            continue
        if (former.host, m.host) not in elsewhere:
            elsewhere[former.host, m.host] = "local" not in (before.connection, after.connection) and not (
                _same_addresses(before.sends_mail_from, after.sends_mail_from)
            )
        if not elsewhere[former.host, m.host]:
            continue
        if m.site is None or m.site.php == "none" or m.status != "active":
            continue
        if all(domain.lower() in served_lists for domain in m.sender_domains):  # none, or list domains only
            continue
        cause = "the web host" if former.host != m.host else f"pic:hosts.{m.host}.address"
        if cause != "the web host" and before.address == after.address:  # its public addresses changed
            cause = f"pic:hosts.{m.host}.public_addresses"
        groups.setdefault((cause, tuple(before.sends_mail_from), tuple(after.sends_mail_from)), []).append(m)
    out = []
    for (cause, was_at, now_at), members in groups.items():
        was, now = ", ".join(was_at), ", ".join(now_at)
        a, b = " ".join(map(spf_mechanism, was_at)), " ".join(map(spf_mechanism, now_at))
        records = tuple(
            RecordChange(
                domain,
                "SPF",
                Record(domain, "TXT", f"v=spf1 ... {a} ... -all"),
                # beside the former one until the site's mail leaves from the new address (the steps)
                Record(domain, "TXT", f"v=spf1 ... {a} {b} ... -all"),
                holder_before=m.slug,
                holder=m.slug,
            )
            for m in members
            for domain in m.sender_domains
            if domain.lower() not in served_lists
        )
        slugs = ", ".join(m.slug for m in members)
        sites = f"{slugs}'s site" if len(members) == 1 else f"the sites of {slugs}"
        moved = cause == "the web host"
        setting = f"the web host of {slugs}" if moved else cause
        listed = cause.endswith("public_addresses")  # a list setting, shown as written
        hosts = (
            (ends.old_members[members[0].slug].host, members[0].host)
            if moved
            else (f"[{was}]", f"[{now}]")
            if listed
            else (was, now)
        )  # a move is told by host names, an address change by the addresses
        effects = (
            f"from `pulumi up`, the mail of {sites} (PHP's mail(), which the web host's Postfix sends) leaves "
            f"from {now} instead of {was}: where a domain's SPF record names {was} and not {now}, receivers find that "
            "mail fails SPF, and the platform does not sign the sites' mail (no DKIM), so it fails DMARC too: junked "
            "or refused where the domain publishes `quarantine` or `reject`",
        )
        steps = (
            f"before `pulumi up`, have each of these domains that publishes SPF add `{b}` beside `{a}` (the admins "
            'tell its member: README "Mail from sites"), and remove `' + a + "` once the site's mail leaves from "
            f"{now}" + (f" (the member retired from {hosts[0]})" if moved else ""),
        )
        out.append(
            DnsRecordsChange(
                "sites",
                ((setting, hosts[0], hosts[1]),),
                f"the address the mail of {sites} leaves from changes ({was} -> {now}), and with it the SPF record of "
                "their domains, if they publish one",
                records,
                keep="" if moved else f"keep `{cause}: {hosts[0]}`",
                effects=effects,
                steps=steps,
                details={"address_before": was, "address": now},
            )
        )
    return out


def _leading(name: str, address: str) -> Record:
    """The record that has ``name`` lead to a host: its address (A, AAAA), or its name (CNAME)."""
    try:
        return _address_record(name, address)
    except ValueError:
        return Record(name, "CNAME", f"{address.lower().rstrip('.')}.")


def _same_name(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.lower().rstrip(".") == b.lower().rstrip(".")


def _addresses(ends: _Ends) -> list[DnsRecordsChange]:
    """A host that answers at a name of the platform changed, or its address: the mail host (pic:mail.host, else
    the default web host; its address) for the MX name pic:mail.mx and Sympa's web address (its domain, at the mail
    host's front proxy), the host of phpMyAdmin (pic:phpmyadmin.host, else the default web host; its address) for
    phpMyAdmin's domain. The names' address records are the admins' (or the member's whose domain holds them):
    ``pulumi up`` writes none, in no zone; a name inside a zone of the platform has none at all there (NSD serves
    the zone as ``pulumi up`` writes it, whole), and is told so."""
    old, new = ends.old, ends.new
    roles: list[tuple[str, HostSetting, list[tuple[str, str | None, str | None]]]] = [
        (
            "mail",
            HostSetting.mail(old, new),
            [
                (f"the MX name (pic:mail.mx) {new.mail.mx}", old.mail.mx, new.mail.mx),
                (
                    f"Sympa's web address (pic:mail.sympa_domain) {new.mail.sympa_domain}",
                    str(old.mail.sympa_domain),
                    str(new.mail.sympa_domain),
                ),
            ],
        )
    ]
    pma = HostSetting.phpmyadmin(old, new)
    if pma is not None and old.phpmyadmin is not None and new.phpmyadmin is not None:
        domain_old, domain_new = str(old.phpmyadmin.domain), str(new.phpmyadmin.domain)
        roles.append(("phpmyadmin", pma, [(f"phpMyAdmin's domain {domain_new}", domain_old, domain_new)]))
    # one section per setting changed: the mail host and phpMyAdmin's on one host readdressed are told together
    groups: dict[tuple[str, str, str], list[_Led]] = {}
    for role, host, names in roles:
        a_old, a_new = str(old.hosts[host.host_old].address), str(new.hosts[host.host_new].address)
        # the same host at the same address, published at others: the records by hand name those (_by_hand)
        published = [
            _published(end.hosts[h].public_addresses) for end, h in ((old, host.host_old), (new, host.host_new))
        ]
        republished = host.host_old == host.host_new and _published(
            old.hosts[host.host_old].published_addresses
        ) != _published(new.hosts[host.host_new].published_addresses)
        if same_address(a_old, a_new) and not republished:
            continue
        if same_address(a_old, a_new):
            a_old, a_new = (", ".join(p) or "(not set)" for p in published)
        led = _Led(role, host.keep, host.host_old, host.host_new, a_old, a_new)
        for what, name_old, name_new in names:
            if not _same_name(name_old, name_new) or name_new is None:
                continue  # a name changed is its own setting's matter (Sympa's domain), or none (no pic:mail.mx)
            led.told.append(what)
            _lead(ends, led, name_new)
        if not led.told:
            continue
        if host.host_old != host.host_new:
            part = (host.shown, host.host_old, host.host_new)
        elif same_address(str(old.hosts[host.host_old].address), str(new.hosts[host.host_new].address)):
            setting = f"pic:hosts.{host.host_new}.public_addresses"
            part = (setting, f"[{', '.join(published[0])}]", f"[{', '.join(published[1])}]")
            led.keep = f"keep `{setting}: [{', '.join(published[0])}]`" if published[0] else f"leave `{setting}` unset"
        else:
            part = (f"pic:hosts.{host.host_new}.address", a_old, a_new)
            led.keep = f"keep `pic:hosts.{host.host_new}.address: {a_old}`"
        groups.setdefault(part, []).append(led)
    return [_addresses_section(ends, part, entries) for part, entries in groups.items()]


def _lead(ends: _Ends, led: _Led, name: str) -> None:
    """Where ``name`` of a service on another host or address is told: in a zone of the platform, as the zone
    writes it (its host's addresses, a name server's glue, or none); elsewhere, its records by hand."""
    old, new = ends.old, ends.new
    zone = _zone(new, name)
    if zone:  # NSD answers for it from the zone pulumi up writes: its address records, if the host has one
        if _is_nameserver(new, name):
            into = led.glue
        elif new.hosts[led.host_new].published_addresses:
            into = led.written
        else:
            into = led.unwritten
        into.setdefault(zone, []).append(name)
        return
    before = [] if _zone(old, name) else _by_hand(old, led.host_old, name)
    holder_before = ends.holder_before(name) if before else ""
    led.records += [
        RecordChange(name, "address", was, now, holder_before=holder_before, holder=ends.holder(name))
        for was, now in _paired(name, before, _by_hand(new, led.host_new, name))
    ]


def _published(addresses: Iterable[str]) -> list[str]:
    """Addresses as a set, in a stable order: two spellings of one address are one."""
    parsed = {ipaddress.ip_address(a) for a in addresses}
    return [str(a) for a in sorted(parsed, key=lambda a: (a.version, a))]


@dataclass
class _Led:
    """A service of the platform (Sympa and Postfix, phpMyAdmin) on another host or address, and its names."""

    role: str
    keep: str
    host_old: str
    host_new: str
    a_old: str
    a_new: str
    told: list[str] = field(default_factory=list)  # the names, in words
    records: list[RecordChange] = field(default_factory=list)  # their address records, by hand
    unwritten: dict[str, list[str]] = field(default_factory=dict)  # zone of the platform -> names with no address
    written: dict[str, list[str]] = field(default_factory=dict)  # zone of the platform -> names pulumi up leads
    glue: dict[str, list[str]] = field(default_factory=dict)  # zone of the platform -> names of its name servers


def _is_nameserver(settings: Settings, name: str) -> bool:
    """Whether ``name`` is a name server of the platform's zones: inside them, it has NSD's addresses
    (``pic:dns.listen``, its glue) and no other (:func:`pic.render.dns.address_records`)."""
    return any(_same_name(name, n) for n in nameservers(settings))


def _glue_words(settings: Settings, zone: str, names: list[str], host: str) -> str:
    """What the zone ``zone`` gives the names of its name servers among ``names``, which lead to ``host`` only
    through NSD's addresses."""
    shown, one = ", ".join(names), len(names) == 1
    listen = ", ".join(map(str, settings.dns.listen))
    return (
        f"{shown} {'is a name server' if one else 'are name servers'} of the platform's zones: the zone {zone}, "
        f"which `pulumi up` writes whole, gives {'it' if one else 'them'} NSD's addresses (pic:dns.listen: {listen}), "
        f"not those of {host}, so there {shown} {'leads' if one else 'lead'} to {host} only if those addresses are "
        f"{host}'s"
    )


def _addresses_section(ends: _Ends, part: tuple[str, str, str], entries: list[_Led]) -> DnsRecordsChange:
    old, new = ends.old, ends.new
    roles_told = {e.role for e in entries}
    first = entries[0]
    keep, host_old, host_new, a_old, a_new = first.keep, first.host_old, first.host_new, first.a_old, first.a_new
    records = [rc for e in entries for rc in e.records]
    told = [w for e in entries for w in e.told]
    unwritten: dict[str, list[str]] = {}
    written: dict[str, list[str]] = {}
    glue: dict[str, list[str]] = {}
    for e in entries:
        for found, into in ((e.unwritten, unwritten), (e.written, written), (e.glue, glue)):
            for zone, names in found.items():
                into.setdefault(zone, []).extend(names)
    if part[0].startswith("pic:hosts.") and part[0].endswith(".address") and "mail" in roles_told and not old.mail.mx:
        keep = ""  # the exchanger's section says how to keep the mail host's address
    serves = " and ".join(
        [
            *(["Postfix and Sympa (mail to the lists) and Sympa's web interface"] if "mail" in roles_told else []),
            *(["phpMyAdmin's web interface"] if "phpmyadmin" in roles_told else []),
        ]
    )
    are = "is" if roles_told == {"phpmyadmin"} else "are"
    effects = [f"from `pulumi up`, {serves} {are} on {host_new} at {a_new}"]
    steps = []
    if records:
        domains = list(dict.fromkeys(rc.domain for rc in records))
        names_told = ", ".join(domains)
        lead, its = ("leads", "its address records") if len(domains) == 1 else ("lead", "their address records")
        effects[0] += (
            f"; until {names_told} {lead} there ({its}, which `pulumi up` does not write), clients reach {a_old}"
            + (
                f" ({host_old}, where the former ones stay, not removed by `pulumi up`: mail that reaches it goes to "
                "the Sympa left there)"
                if "mail" in roles_told and host_old != host_new
                else ""
            )
        )
        effects.append(
            f"the new host's certificate for {names_told} (ACME's http challenge) is issued only once "
            f"{'it leads' if len(domains) == 1 else 'they lead'} there, and resolvers keep the former records for "
            + CACHED
        )
        steps.append(
            f"have the address records published as listed right after `pulumi up` (the new host answers from "
            f"then): {_who(records)}; keep {host_old if host_old != host_new else a_old} running until {CACHED} "
            "has passed"
        )
    for zone, names in written.items():
        shown = ", ".join(names)
        effects.append(
            f"{shown} {'is' if len(names) == 1 else 'are'} in the platform's zone {zone}, which `pulumi up` writes "
            f"whole with the address records of {host_new} (the address records of pic:dns.zones, told with their "
            "values in their own section)"
        )
    effects += [_glue_words(new, zone, names, host_new) for zone, names in glue.items()]
    for zone, names in unwritten.items():
        shown = ", ".join(names)
        effects.append(
            f"{shown} {'is' if len(names) == 1 else 'are'} in the platform's zone {zone}, which `pulumi up` writes "
            f"whole, but {host_new} has no address the zone can give (its address {a_new} is a name and "
            f"pic:hosts.{host_new}.public_addresses is not set), so there {shown} "
            f"{'leads' if len(names) == 1 else 'lead'} to no host (a record added by hand to the zone's file is lost "
            "at its next write)"
        )
        steps.append(f"give pic:hosts.{host_new}.public_addresses, the addresses {shown} should lead to")
    served = _served(new, ends.new_members)
    lists = [rc.after for rc in records if rc.after is not None and rc.after.type == "CNAME" and rc.domain in served]
    effects += [
        f"{r.name} is a list domain, which holds the lists' MX and TXT records and so takes no CNAME (RFC 2181 "
        f"§10.1): publish the A and AAAA records of {r.value.rstrip('.')} at it instead"
        for r in lists
    ]
    if "mail" in roles_told and new.mail.mx is not None:
        effects.append(
            f"the MX name {new.mail.mx} should have address records of its own (RFC 2181 §10.3: an MX names no "
            "CNAME; where the host's address is a name, copy its A and AAAA records), and Postfix greets with "
            "it: the reverse DNS (PTR) of the new address should name it"
        )
    return DnsRecordsChange(
        "addresses",
        (part,),
        f"the host behind {', '.join(told)} changes ({a_old} -> {a_new}), and with it the records that have "
        "those names lead to it",
        tuple(records),
        keep=keep,
        effects=tuple(effects),
        steps=tuple(steps),
        details={"address_before": a_old, "address": a_new},
        none_listed="no address record to publish: the names are in a zone of the platform (below)",
    )


def _phpmyadmin_domain(ends: _Ends) -> DnsRecordsChange | None:
    """phpMyAdmin's domain changed, or phpMyAdmin added or removed (pic:phpmyadmin): the name that leads to its host
    is another one, to publish before ``pulumi up`` (its certificate is issued only once it leads there), and the
    former one to remove after it. ``pulumi up`` writes none, in no zone (a name inside a zone of the platform has
    none there)."""
    old, new = ends.old, ends.new
    name_old = str(old.phpmyadmin.domain) if old.phpmyadmin is not None else None
    name_new = str(new.phpmyadmin.domain) if new.phpmyadmin is not None else None
    if name_old == name_new:
        return None
    host_old, host_new = phpmyadmin_host(old), phpmyadmin_host(new)
    a_old = str(old.hosts[host_old].address) if host_old is not None else ""
    a_new = str(new.hosts[host_new].address) if host_new is not None else ""
    records: list[RecordChange] = []
    zoned: list[str] = []
    for name, host, end, holder, after in (
        (name_new, host_new, new, ends.holder, True),
        (name_old, host_old, old, ends.holder_before, False),
    ):
        if name is None or host is None:
            continue
        zone = _zone(end, name)
        if zone:
            zoned.append(f"{name} (in the platform's zone {zone})")
            continue
        for record in _by_hand(end, host, name):
            change = RecordChange(name, "address", None, record, holder=holder(name))
            if not after:
                change = RecordChange(name, "address", record, None, holder_before=holder(name))
            records.append(change)
    effects = []
    if name_new is not None:
        effects.append(
            f"from `pulumi up`, phpMyAdmin answers at {name_new} on {host_new}; until {name_new} leads there (its "
            "address record, which `pulumi up` does not write), its certificate (ACME's http challenge) is not "
            "issued and the admins cannot reach it"
        )
    if name_old is not None:
        effects.append(
            f"phpMyAdmin is no longer served at {name_old} from `pulumi up`"
            + (
                f": its record leads to {host_old} for nothing once phpMyAdmin answers at {name_new}"
                if name_new
                else ""
            )
        )
    if zoned and name_new is not None and host_new is not None and _is_nameserver(new, name_new):
        effects.append(_glue_words(new, _zone(new, name_new), [name_new], host_new))
    elif zoned:
        led = host_new is not None and bool(new.hosts[host_new].published_addresses)
        effects.append(
            f"{', '.join(zoned)}: NSD serves the zone as `pulumi up` writes it, whole, "
            + (
                f"with the address records of {host_new} (the address records of pic:dns.zones, told with their "
                "values in their own section)"
                if led
                else f"and {host_new} has no address the zone can give (its address is a name and "
                f"pic:hosts.{host_new}.public_addresses is not set), so there the name leads to no host: give "
                f"pic:hosts.{host_new}.public_addresses"
            )
        )
    steps = []
    if name_new is not None and any(rc.after is not None for rc in records):
        steps.append(f"before `pulumi up`, have {name_new}'s record published as listed: {_who(records)}")
    if name_old is not None and any(rc.before is not None for rc in records):
        steps.append(f"after it, have {name_old}'s record removed")
    shown_old = name_old if name_old is not None else "(no phpMyAdmin)"
    shown_new = name_new if name_new is not None else "(no phpMyAdmin)"
    return DnsRecordsChange(
        "addresses",
        (("pic:phpmyadmin.domain", shown_old, shown_new),),
        "the domain phpMyAdmin is served at changes, and with it the address record that leads that name to its host",
        tuple(records),
        keep=f"keep `pic:phpmyadmin.domain: {name_old}`" if name_old is not None else "leave `pic:phpmyadmin` unset",
        effects=tuple(effects),
        steps=tuple(steps),
        details={"address_before": a_old or None, "address": a_new or None},
        none_listed="no address record to publish: the names are in a zone of the platform (below)",
    )


def _delegation_kept(ends: _Ends, zones: list[str], names: list[str], addresses: list[str]) -> list[RecordChange]:
    """The records of the zones' delegation (NS, glue) and of the name servers ``names`` at ``addresses`` that
    keep their values (NSD on another host at the same addresses)."""
    holders = _zone_holders(ends.new, ends.new_members)
    records: list[RecordChange] = []
    for zone in zones:
        place, holder = f"the delegation of {zone}, in its parent zone", holders.get(zone, "")
        for n in names:
            ns = Record(zone, "NS", f"{n}.")
            records.append(RecordChange(zone, "NS", ns, ns, holder_before=holder, holder=holder, place=place))
            if zone_of(n, [zone]):
                for a in addresses:
                    glue = _address_record(n, a)
                    records.append(
                        RecordChange(zone, "glue", glue, glue, holder_before=holder, holder=holder, place=place)
                    )
    for n in names:
        for a in addresses:
            r = _address_record(n, a)
            records.append(ends.change(n, "address", r, r))
    return records


def _dns_server(ends: _Ends) -> DnsRecordsChange | None:
    """NSD moved to another host (pic:dns.server): the addresses it answers at (pic:dns.listen) must be on the new
    host, where NSD binds only those its host has. Those it keeps answering at keep their records in the zones'
    delegation and the name servers' own, which lead to the new host only once the addresses are on it; a change of
    the addresses or of the name servers themselves is the delegation's section's."""
    old, new = ends.old, ends.new
    if old.dns.backend != "zonefile" or new.dns.backend != "zonefile" or old.dns_server == new.dns_server:
        return None
    if renamed_hosts(old, new).get(old.dns_server) == new.dns_server:
        return None  # the same machine under another name: NSD stays where it runs (the rename is told apart)
    ip_old = {ipaddress.ip_address(a) for a in old.dns.listen}
    ip_new = {ipaddress.ip_address(a) for a in new.dns.listen}
    zones = [z for z in new.dns.zones if z in old.dns.zones]
    if not zones:
        return None  # no zone served at both ends: the zones' section tells each one's delegation
    listen = [str(a) for a in sorted(ip_new, key=lambda a: (a.version, a))]
    kept_ips = [str(a) for a in sorted(ip_old & ip_new, key=lambda a: (a.version, a))]
    added_ips = [str(a) for a in sorted(ip_new - ip_old, key=lambda a: (a.version, a))]
    ns_old = [n.lower().rstrip(".") for n in nameservers(old)]
    # the name servers kept: those that change with the server (pic:dns.nameservers unset, the server's address)
    # are the delegation's section's
    names = [n for n in (n.lower().rstrip(".") for n in nameservers(new)) if n in ns_old]
    records = _delegation_kept(ends, zones, names, kept_ips)
    server = HostSetting.dns(old, new)
    server_old, server_new = old.dns_server, new.dns_server
    same = ip_old == ip_new
    if same and names:
        kept = "so the zones' delegation and the name servers' records keep their values"
    elif same:
        kept = (
            "while the name servers change with it (pic:dns.nameservers unset: the DNS server's address), told in "
            "their own section"
        )
    else:
        kept = (
            f"where it answered at {', '.join(map(str, sorted(ip_old, key=lambda a: (a.version, a))))} on "
            f"{server_old}; the records of the addresses it keeps keep their values, the delegation's changes are "
            "told in their own section"
        )
    answering = (
        f"answering at the same addresses ({', '.join(listen)})" if same else f"answering at {', '.join(listen)}"
    )
    moved = ", ".join(kept_ips)
    first = []
    if kept_ips:
        first.append(f"move {moved} from {server_old} to {server_new}")
    if added_ips:
        first.append(f"give {server_new} {', '.join(added_ips)}")
    return DnsRecordsChange(
        "dns_server",
        ((server.shown, server_old, server_new),),
        f"NSD moves from {server_old} to {server_new}, {answering}, {kept}",
        tuple(records),
        keep=server.keep,
        effects=(
            f"`pulumi up` installs NSD on {server_new} to answer at {', '.join(listen)}: NSD binds only an address "
            f"its host has, so until those addresses are on {server_new} it does not start there, and the zones "
            f"({', '.join(zones)}) are answered by {server_old}'s NSD, which `pulumi up` leaves running with the "
            "zones as they were (it no longer writes them), or by none once the addresses leave it",
        ),
        steps=(
            f"before `pulumi up`, {' and '.join(first)} (where they are routed: the hosting provider's failover "
            "address, or the address's own host), then run `pulumi up` at once; check "
            f"{dig_commands(listen, zones)}; then stop NSD on {server_old} (`systemctl disable --now nsd`)"
            + ("; the records listed keep their values" if records else ""),
        ),
        details={"zones": zones},
        none_listed="no record of its own: the delegation's section lists them",
    )


def _list_domains(ends: _Ends) -> DnsRecordsChange | None:
    """A member's list domain served now and not at REV (a member new, given lists, another list domain, or made
    active again from archived): every one of its records is to publish (pic.render.dns.mail_records)."""
    old, new = ends.old, ends.new
    before = _served(old, ends.old_members)
    main = str(new.mail.sympa_domain)
    added = [d for name, d in _served(new, ends.new_members).items() if name not in before and name != main]
    if not added:
        return None
    records = [
        ends.change(d.domain, kind, None, record) for d in added for kind, record in _mail_records(new, d).items()
    ]
    back = sorted(
        d.domain
        for d in added
        if (m := ends.old_members.get(d.member)) is not None
        and m.lists is not None
        and m.status == "archived"
        and m.lists.domain == d.domain
    )
    names = ", ".join(f"{d.domain} ({d.member})" for d in added)
    effects = [
        f"from `pulumi up`, Sympa serves {names} and signs their mail; until a domain's MX is published, mail to "
        "its lists does not reach the mail host (no MX: senders try the domain's own address, or return it), and "
        "until its SPF, DKIM and DMARC records are, Sympa's mail from it fails them (junked or refused by receivers "
        "that check)",
        "the DKIM record's key is made by `pulumi up` (or kept in the state for a domain archived before), so it is "
        "known only from `pulumi stack output mail_dns_records` after it",
    ]
    if back:
        effects.append(
            f"{', '.join(back)} come back from archived, whose records may have been removed since: all are to be "
            "published again as listed"
        )
    steps = (
        f"before `pulumi up`, have the MX, SPF and DMARC records (and the reports' authorization) published as "
        f"listed: {_who(records)}; {CHECK_BEFORE}",
        f"after it, have the DKIM record published from the stack output, then announce the lists' addresses; "
        f"{CHECK_AFTER}",
    )
    return DnsRecordsChange(
        "list_domains",
        tuple(
            (f"lists.domain of {d.member}", _list_domain_before(ends.old_members.get(d.member)), d.domain)
            for d in added
        ),
        f"Sympa serves new list domains ({names}), each with its MX, SPF, DKIM and DMARC records",
        tuple(records),
        effects=tuple(effects),
        steps=steps,
        details={"list_domains": [d.domain for d in added], "back_from_archived": back},
    )


def _list_domain_before(member: Member | None) -> str:
    """A member's list domain at REV, in words: the one it served, one archived (not served), or none."""
    if member is None or member.lists is None:
        return "(none)"
    return f"{member.lists.domain} (archived: not served)" if member.status == "archived" else member.lists.domain


def _zone_names(settings: Settings, members: dict[str, Member]) -> dict[str, str]:
    """The platform's names inside the zones NSD serves that :func:`pic.render.dns.address_records` gives records
    (a name server's are its glue), each with its host."""
    if settings.dns.backend != "zonefile":
        return {}
    glue = {n.lower().rstrip(".") for n in nameservers(settings)}
    out = {}
    for item in platform_names(settings, members.values()):
        name = item.name.lower().rstrip(".")
        if name not in glue and item.host in settings.hosts and zone_of(name, settings.dns.zones) is not None:
            out[name] = item.host
    return out


def _by_hand(settings: Settings, host: str, name: str) -> list[Record]:
    """The records that have ``name`` lead to ``host`` where they are published by hand: an A or AAAA record for
    each address the host is published at (``pic:hosts.<h>.public_addresses``, else its IP address), which any name
    can hold (the MX name and a list domain, which hold other records, take no CNAME: RFC 2181 §10.1, §10.3); a
    CNAME to the host's name only when none is known."""
    published = settings.hosts[host].published_addresses
    if published:
        return [_address_record(name, a) for a in published]
    address = str(settings.hosts[host].address)
    return [] if _same_name(name, address) else [_leading(name, address)]


def _paired(name: str, before: list[Record], after: list[Record]) -> list[tuple[Record | None, Record | None]]:
    """The records of ``name`` before and after, one for another where a type has one at each end."""
    out: list[tuple[Record | None, Record | None]] = []
    for kind in sorted({r.type for r in [*before, *after]}):
        was = [r for r in before if r.type == kind]
        now = [r for r in after if r.type == kind]
        if len(was) == 1 and len(now) == 1:
            out.append((was[0], now[0]))
            continue
        out += [(r, None) for r in was if r not in now] + [(None, r) for r in now if r not in was]
        out += [(r, r) for r in was if r in now]
    return out


def _zone_address_changes(ends: _Ends, old: list[Record], new: list[Record], leaving: list[str]) -> list[RecordChange]:
    """The address records of ``old`` and ``new`` paired by name and type, those of the names in ``leaving`` (out
    of the platform's zones at the new end, ``new`` holding those to publish by hand) told even when kept."""
    holders_old = _zone_holders(ends.old, ends.old_members)
    holders_new = _zone_holders(ends.new, ends.new_members)
    before: dict[tuple[str, str], list[Record]] = {}
    after: dict[tuple[str, str], list[Record]] = {}
    for records, into in ((old, before), (new, after)):
        for r in records:
            into.setdefault((r.name, r.type), []).append(r)

    def change(name: str, was: Record | None, now: Record | None) -> RecordChange:
        zone_before = _zone(ends.old, name) if was is not None else ""
        zone = _zone(ends.new, name) if now is not None else ""
        pending = zone if zone and zone not in ends.zones_before and was is None else ""
        return RecordChange(
            name,
            "address",
            was,
            now,
            zone_before=zone_before,
            zone=zone,
            # who publishes it by hand: the holder of the zone it leaves, or of the zone it is in until delegated
            holder_before=holders_new.get(pending, "") if pending else "",
            holder=holders_old.get(_zone(ends.old, name), "") if now is not None and not zone else "",
            pending=pending,
        )

    changes: list[RecordChange] = []
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key, []), after.get(key, [])
        if was == now and key[0] not in leaving:
            continue
        if len(was) == 1 and len(now) == 1:  # one address for another, or the same one in other hands
            changes.append(change(key[0], was[0], now[0]))
            continue
        changes += [change(key[0], r, None) for r in was if r not in now]
        changes += [change(key[0], None, r) for r in now if r not in was]
        if key[0] in leaving:  # the same record in other hands
            changes += [change(key[0], r, r) for r in was if r in now]
    return changes


def _no_address(ends: _Ends, unled: dict[str, str]) -> tuple[list[str], list[str]]:
    """What is said of the names (with their hosts) inside a zone of the platform whose host has no address the zone
    can give, and what to do."""
    by_host: dict[tuple[str, str], list[str]] = {}
    for name, host in sorted(unled.items()):
        by_host.setdefault((host, _zone(ends.new, name)), []).append(name)
    effects = []
    for (host, zone), names in by_host.items():
        shown = ", ".join(names)
        one = len(names) == 1
        effects.append(
            f"the platform's zone {zone}, which `pulumi up` writes whole, holds no address record of {shown}: "
            f"{host} has no address the zone can give (its address {ends.new.hosts[host].address} is a name and "
            f"pic:hosts.{host}.public_addresses is not set), so there {shown} {'leads' if one else 'lead'} to no host "
            "(a record added by hand to the zone's file is lost at its next write)"
        )
    steps = [
        f"give pic:hosts.{host}.public_addresses, the addresses "
        + ", ".join(n for (h, _), names in by_host.items() if h == host for n in names)
        + " should lead to"
        for host in sorted({h for h, _ in by_host})
    ]
    return effects, steps


def _zone_addresses(ends: _Ends) -> DnsRecordsChange | None:
    """The address records ``pulumi up`` writes in the zones NSD serves (:func:`pic.render.dns.address_records`:
    the hosts' names, Sympa's, the mail exchanger, phpMyAdmin's and the sites' domains inside them, each with its
    host's published addresses) that this plan adds, drops or changes: a member added, moved or archived, a site's
    domain changed, a host's address or ``public_addresses``, a zone added or removed. A name whose zone leaves the
    platform's zones has its records published by hand where the zone's go; one in a zone this plan adds keeps
    those published where it is now until the zone's delegation names the platform's name servers; one whose host
    has no address the zone can give leads to no host there."""
    old = address_records(ends.old, ends.old_members.values())
    new = address_records(ends.new, ends.new_members.values())
    names_old = _zone_names(ends.old, ends.old_members)
    names_new = _zone_names(ends.new, ends.new_members)
    unled_old = {n for n, h in names_old.items() if not ends.old.hosts[h].published_addresses}
    unled = {n: h for n, h in names_new.items() if not ends.new.hosts[h].published_addresses and n not in unled_old}
    if old == new and not unled:
        return None
    # a name that leaves the platform's zones and still leads to a host: its records, by hand where its zone's go
    platform_new = {p.name.lower().rstrip("."): p.host for p in platform_names(ends.new, ends.new_members.values())}
    leaving = sorted({r.name for r in old if not _zone(ends.new, r.name) and r.name in platform_new})
    hand = [r for n in leaving for r in _by_hand(ends.new, platform_new[n], n)]
    changes = _zone_address_changes(ends, old, [*new, *hand], leaving)
    served = set(ends.new.dns.zones) if ends.new.dns.backend == "zonefile" else set()
    dropped = any(rc.before is not None and rc.zone_before in served for rc in changes)
    effects = (
        [
            "NSD answers with the new records from `pulumi up`, which writes each zone whole"
            + (f"; resolvers keep the former ones for {CACHED}" if dropped else "")
        ]
        if dropped or any(rc.zone for rc in changes)
        else []
    )
    steps = []
    if leaving:
        effects.append(
            f"from `pulumi up`, the platform's zones no longer hold the address records of {', '.join(leaving)}: "
            "once their zone's delegation names other servers, they lead to no host until published there"
        )
        by_hand = [rc for rc in changes if rc.after is not None and not rc.zone]
        steps.append(
            "before `pulumi up`, have the address records of the names leaving the platform's zones published where "
            f"their zone's records go, as listed: {_who(by_hand)}"
        )
    pending = sorted({rc.pending for rc in changes if rc.pending})
    if pending:
        effects.append(
            f"resolvers read {', '.join(pending)} only once its delegation names the platform's name servers: until "
            "then they read the names' records where they are published now, to keep there until it moves"
        )
        steps.append(
            f"keep the address records of the names in {', '.join(pending)} where they are published now (or publish "
            "them there), as listed, until its delegation names the platform's name servers"
        )
    more_effects, more_steps = _no_address(ends, unled)
    effects += more_effects
    steps += more_steps
    if any(rc.zone for rc in changes):
        steps.append("check that each name written by `pulumi up` leads to the addresses listed")
    if not leaving and not pending and not unled:
        steps.insert(0, "nothing to publish by hand")
    return DnsRecordsChange(
        "zone_addresses",
        (("the address records of pic:dns.zones", f"{len(old)} record(s)", f"{len(new)} record(s)"),),
        "the platform's names and the sites' domains inside the zones NSD serves lead to their hosts' addresses "
        "(`pic:hosts.<h>.public_addresses`, else the host's IP address)",
        tuple(changes),
        effects=tuple(effects),
        steps=tuple(steps),
        details={"address_records_before": len(old), "address_records": len(new), "no_address": sorted(unled)},
        none_listed="no address record changes",
    )


def dns_records_changes(
    old: Settings | None,
    new: Settings | None,
    old_members: dict[str, Member],
    new_members: dict[str, Member],
) -> list[DnsRecordsChange]:
    """Every setting changed between the two ends whose value is in a record published outside ``pulumi up``."""
    if old is None or new is None or old is new:
        return []
    ends = _Ends(old, new, old_members, new_members)
    found = [
        _exchanger(ends),
        _reports(ends),
        *_policies(ends),
        _delegation(ends),
        _zones(ends),
        *_sites(ends),
        *_addresses(ends),
        _phpmyadmin_domain(ends),
        _dns_server(ends),
        _list_domains(ends),
        _zone_addresses(ends),
    ]
    return [c for c in found if c is not None]

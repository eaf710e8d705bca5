"""How ``pic plan`` prints a rendering and its changes: text for reviewers, JSON for tools."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape as html_escape
from pathlib import PurePath
from typing import Any

from pic import charsets, eol
from pic.crosschecks import name_key
from pic.names import database_component, database_lock, dkim_name
from pic.plan.diff import Change, describe, json_text, show_value
from pic.plan.hsts import HttpsLoss, HttpsPin, https_losses, https_pins
from pic.plan.markdown import cell, code, fenced, prose, text
from pic.plan.model import NO_HOST, PLATFORM, Attribution, Rendering, Resource
from pic.plan.records import (
    DnsRecordsChange,
    HostSetting,
    dns_records_changes,
    named_setting,
    renamed_hosts,
    same_address,
)
from pic.registry import CronJob, Database, Member
from pic.render import offsite as roff
from pic.render.db import account_locked
from pic.render.dns import host_zone
from pic.render.mail import robot_web_url
from pic.render.sitemail import running_senders, site_address
from pic.render.web import KEYS_DIR
from pic.settings import Settings, is_ip, sftp_target

_MARK = {"add": "+", "remove": "-", "update": "~", "replace": "+-", "rename": "="}
KINDS = ("add", "update", "replace", "rename", "remove")


def _flags(res: Resource) -> str:
    flags = [f for f, on in (("protected", res.protect), ("retained", res.retain_on_delete)) if on]
    secret = secret_inputs(res)
    if secret:
        flags.append(f"secret {', '.join(secret)}")
    return f"  [{'; '.join(flags)}]" if flags else ""


def secret_inputs(res: Resource) -> list[str]:
    """Inputs that hold a secret, but for a command's connection (always secret: it may carry the ssh key)."""
    return [
        k
        for k, v in sorted(res.inputs.items())
        if isinstance(v, dict) and "[secret]" in v and not (k == "connection" and res.type.startswith("command:"))
    ]


def grouped(rendering: Rendering, attr: Attribution) -> dict[str, dict[str, list[Resource]]]:
    """Custom resources (providers included) by host, then by member (``platform`` for shared ones)."""
    out: dict[str, dict[str, list[Resource]]] = defaultdict(lambda: defaultdict(list))
    for res in rendering:
        if res.custom:
            out[attr.host(res)][attr.member(res)].append(res)
    return out


def _host_order(hosts: list[str], known: list[str]) -> list[str]:
    return sorted(hosts, key=lambda h: (known.index(h) if h in known else len(known), h == NO_HOST, h))


def _member_order(members: list[str]) -> list[str]:
    return sorted(members, key=lambda m: (m != PLATFORM, m))


def listing(rendering: Rendering, attr: Attribution, *, full: bool = True) -> list[str]:
    groups = grouped(rendering, attr)
    lines = []
    for host in _host_order(list(groups), attr.hosts):
        members = groups[host]
        total = sum(len(v) for v in members.values())
        lines.append(f"{host}: {total} resource{'s' if total != 1 else ''}")
        for member in _member_order(list(members)):
            resources = members[member]
            lines.append(f"  {member}: {len(resources)}")
            if full:
                for res in sorted(resources, key=lambda r: (r.name, r.type)):
                    lines.append(f"    {res.short_type:<28} {res.name}{_flags(res)}")
    return lines


def counts(rendering: Rendering, attr: Attribution) -> dict[str, Any]:
    custom = [r for r in rendering if r.custom]
    per_member = Counter(attr.member(r) for r in custom)
    return {
        "resources": len(rendering),
        "custom": len(custom),
        "components": len(rendering) - len(custom),
        "by_type": dict(sorted(Counter(r.type for r in custom).items())),
        "by_member": dict(sorted(per_member.items())),
        "by_host": dict(sorted(Counter(attr.host(r) for r in custom).items())),
    }


_KIND_ORDER = {"remove": 0, "replace": 1, "update": 2, "add": 3, "rename": 4}
# About how long a container is down between the deletion of the old one and the start of the new one
# when its image is already on the host (the runtime is built before, a dependency): docker create and
# start, then Apache or Caddy starting. An estimate for reviewers, not a measurement.
CONTAINER_RESTART = "about 10 s"
# When a change's effects happen: the `pulumi up` that applies it; when `pulumi up` refuses part of the change (a
# protected resource deleted or replaced), nothing of it is applied (REFUSED_EFFECT), so its effects are told as
# those of the change once it goes through (:func:`once_applied`).
FROM_UP = "from this `pulumi up`"
BY_UP = "by this `pulumi up`"
ONCE_APPLIED = "once this change goes through"


def plural(n: int, noun: str) -> str:
    """``n`` and ``noun``, in the plural (an ``s`` added) unless ``n`` is 1: "1 member", "2 members", "0 members"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def once_applied(line: str, refused: bool) -> str:
    """``line``, an effect told as happening from this ``pulumi up`` (:data:`FROM_UP`, :data:`BY_UP`), as it stands
    when ``refused``: ``pulumi up`` refuses the change, so the effect happens only once the change goes through
    (its refusals settled), and nothing of it before."""
    return line.replace(FROM_UP, ONCE_APPLIED).replace(BY_UP, ONCE_APPLIED) if refused else line


@dataclass
class Shown:
    """One change as reviewers read it: who it belongs to, where it runs before and after, and why."""

    change: Change
    member: str
    host_before: str | None
    host_after: str | None
    downtime: str = ""
    login: str = ""  # what it does to a member's database logins (a database user locked, unlocked or dropped)
    kept: str = ""  # what stays on a host that the change could be read as removing (a removed member's space)

    @property
    def note(self) -> str:
        """The change's note (:class:`pic.plan.diff.Change`), then what stays."""
        return "; ".join(filter(None, (self.change.note, self.kept)))

    @property
    def host(self) -> str:
        before, after = self.host_before, self.host_after
        if before and after and before != after:
            return f"{before} -> {after}"
        return after or before or NO_HOST

    def key(self) -> tuple[Any, ...]:
        res = self.change.resource
        return (not self.change.stateful, _KIND_ORDER[self.change.kind], res.name, res.type)


@dataclass
class Review:
    """Every change of a plan, attributed, sorted, with the moves, the downtime and the exit reasons."""

    shown: list[Shown]
    components: Counter[str]  # component adds and removes (no state of their own), by kind
    moves: dict[str, tuple[str, str]]  # member -> (host before, host after)
    https_lost: list[HttpsLoss] = field(default_factory=list)  # names pinned by HSTS served over http only
    members_after: frozenset[str] = frozenset()  # the members of the new registry
    uid_changes: list[UidChange] = field(default_factory=list)  # members kept whose uid changes: the hosts refuse
    uid_reused: list[UidReused] = field(default_factory=list)  # new slugs with a uid another slug held: refused too
    root_move: RootMove | None = None  # pic:members_root changed: the members' data stays under the old root
    handovers: list[DomainHandover] = field(default_factory=list)  # domains one member gives another
    host_moves: list[HostMove] = field(default_factory=list)  # a host's machine, or Sympa's host, changed
    charset_changes: list[CharsetChange] = field(default_factory=list)  # a database's connection charset changed
    retention_cuts: list[RetentionCut] = field(default_factory=list)  # fewer dumps or snapshots kept
    lists_left: list[ListsLeft] = field(default_factory=list)  # list domains no member declares any more
    sympa_domain: SympaDomainChange | None = None  # pic:mail.sympa_domain changed: the main domain's lists stay
    # the revision's files this revision's rules cannot read: what they held is not compared (exit status 3)
    unread: tuple[str, ...] = ()
    hosts_removed: frozenset[str] = frozenset()  # web hosts of the revision that leave pic:hosts in this plan
    hosts_added: frozenset[str] = frozenset()  # web hosts new in pic:hosts in this plan
    by_default: frozenset[str] = frozenset()  # members moving whose file names no host: pic:default_web_host changed
    # web hosts kept whose address changes in this plan: name -> (address before, address after)
    readdressed: dict[str, tuple[str, str]] = field(default_factory=dict)
    # hosts renamed at the same addresses in this plan: name before -> name after (the same machine)
    renamed_hosts: dict[str, str] = field(default_factory=dict)
    # pic:backup.offsite.repository changed: the snapshots so far stay in the former repository
    offsite_repository: OffsiteRepositoryChange | None = None
    # pic:mail.dkim_selector changed: every list domain's DKIM record to publish at a new name (a warning)
    dkim_selector: DkimSelectorChange | None = None
    # pic:backup.offsite removed: the hosts' timers and credentials stay, out of the program's hands
    offsite_removed: OffsiteRemoved | None = None
    # settings changed whose values are in DNS records published outside pulumi up (MX, SPF, DMARC, the reports'
    # authorization, the zones' delegation): the records to publish (warnings)
    dns_records: list[DnsRecordsChange] = field(default_factory=list)
    # members that move with site domains inside the zones NSD serves: slug -> (those whose address records
    # `pulumi up` writes there, those that lead to no host there (the new host has no address the zone can give),
    # the others, whose records are published by hand)
    zoned_sites: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    # site domains served from this plan on, or no longer served (a member keeping its site)
    domains_served: list[DomainServed] = field(default_factory=list)
    # hosts of connection: local (the admin's own machine) in the revision's stack file or this one: pic move-script
    # refuses them (nothing to copy nor to retire)
    # names served over http only that get https and Strict-Transport-Security: browsers keep to https (a warning)
    https_pinned: list[HttpsPin] = field(default_factory=list)
    local_hosts: frozenset[str] = frozenset()
    # members that move and are not active after: slug -> (status before, status after); the new status is applied
    # on the new host only
    move_status: dict[str, tuple[str, str]] = field(default_factory=dict)
    # suspended or archived members whose changes the program applies only once they are active again
    when_active: list[WhenActive] = field(default_factory=list)
    # members whose site domains are the same names in another order
    domains_reordered: list[DomainsReordered] = field(default_factory=list)

    def _switch_dns(self, slug: str, after: str) -> str:
        """When and by whom the member's domains are made to lead to its new host: by hand after ``pulumi up``,
        or by ``pulumi up`` itself in the platform's zones."""
        written, unled, others = self.zoned_sites.get(slug, ((), (), ()))
        if not written and not unled:
            return "then switch DNS after `pulumi up`,"
        words = []
        if written:
            words.append(
                f"then `pulumi up`, which switches DNS itself for {', '.join(written)} (their address records in "
                "the platform's zones)"
            )
        if unled:
            words.append(
                f"{'then ' if not written else ''}give pic:hosts.{after}.public_addresses before `pulumi up`, or "
                f"{', '.join(unled)} lead to no host in the platform's zones ({after} has no address the zone can give)"
            )
        if others:
            words.append(f"switch DNS for {', '.join(others)} after `pulumi up`")
        return ", ".join(words) + ","

    def _with_retire(self, steps: str, slug: str, before: str, after: str, retire: str, *, local: bool) -> str:
        """The move's steps followed by its retire step from the host it leaves."""
        if local:
            return (
                f"{steps.removesuffix(',')}; nothing to retire: {before} is a host of connection: local, the same "
                f"machine: the account, keys and jobs of {slug} there are the ones it keeps on {after}"
            )
        if slug in self.move_status:
            return f"{steps} {self._retire_inactive(slug, before, after, retire)}"
        return f"{steps} then retire it from {before}, where its keys and jobs stay live until then ({retire})"

    def _retire_inactive(self, slug: str, before: str, after: str, retire: str) -> str:
        """The retire step of a member that moves and is suspended or archived in the same change: the space
        script applies the status on the new host only, and nothing runs on the former one until it is retired."""
        was, now = self.move_status[slug]
        if was != "active":
            return (
                f"then retire it from {before} ({retire}): {slug} is {now} on {after} only, and on {before} its "
                f"account there is locked already ({was}), with its files"
            )
        return (
            f"then retire it from {before} right after `pulumi up` ({retire}): {slug} is {now} on {after} only "
            f"(its account made locked there), while on {before}, where it ran until now, its account and keys stay "
            f"live until it is retired: it still logs in there, and what it left running runs on; or set "
            f"`status: {now}` with `host: {before}` kept first, and move it in a change of its own"
        )

    def move_advice(self, slug: str) -> str:
        """What to do for a member that moves, in order, with commands that work where they are to be run:
        ``pic move-script --to`` runs where the member's file names the host it leaves (the target branch),
        ``--retire-from`` after ``pulumi up``; both know only the hosts of the stack file they read, and refuse a
        host of ``connection: local`` (the admin's own machine, README "Settings"): to or from such a host, there is
        nothing to copy nor to retire, and the advice says so instead."""
        before, after = self.moves[slug]
        # A host renamed in this plan has its former name where the copy runs (before the change) and its new
        # one where the retire script runs (after pulumi up): pic move-script knows only the stack file's names.
        was = next((old for old, new in self.renamed_hosts.items() if new == after), after)
        now = self.renamed_hosts.get(before, before)
        copy, retire = f"`pic move-script {slug} --to {was}`", f"`pic move-script {slug} --retire-from {now}`"
        switch = self._switch_dns(slug, after)
        if self.move_status.get(slug, ("", ""))[1] == "archived":
            switch = "then `pulumi up` (its site is no longer served: no DNS to switch),"
        # pic move-script refuses a host of connection: local (pic.render.web.render_move_script,
        # pic.render.retire.render_retire_script): the admin's own machine, where the space already is and stays
        copy_local = bool({was, after} & self.local_hosts)
        retire_local = bool({before, now} & self.local_hosts)
        if copy_local:
            steps = (
                f"nothing to copy: {after} is a host of connection: local, the admin's own machine, where its space "
                f"already is and stays (`pic move-script` refuses such a host), {switch}"
            )
        else:
            steps = f"copy its space first ({copy}, where it is still on {before}), {switch}"
        steps = self._with_retire(steps, slug, before, after, retire, local=retire_local)
        if was != after and not copy_local:
            steps = (
                f"{after} is {was} renamed in this change (the same machine), and the copy runs before the change, "
                f"where the stack file still calls it {was}: {steps}"
            )
        if now != before and not retire_local:
            steps += (
                f"; {before} is renamed {now} in this change (the same machine), and the retire script runs after "
                f"`pulumi up`, where the stack file calls it {now}"
            )
        if slug in self.by_default:
            # a host that leaves pic:hosts is refused as a member's host: it stays there only with the host kept
            keep = f"keep {before} in pic:hosts and " if before in self.hosts_removed else ""
            steps = (
                f"its file names no host: it lives on the stack's default web host (pic:default_web_host, else the "
                f"first web host by name), which changes {before} -> {after}; to "
                f"keep it on {before}, {keep}write `host: {before}` in its file; to move it, {steps}"
            )
        if after in self.hosts_added and not copy_local:
            # a member on the default web host moves with the new host when the default is the first by name: the
            # change of its own that adds the host keeps the default where it was, or it moves the member itself
            keep = (
                f" with `pic:default_web_host: {before}` there, so that no member moves yet,"
                if slug in self.by_default
                else ""
            )
            steps = (
                f"{after} is new in pic:hosts in this change, but its copy ({copy}) runs before the change, where "
                f"the stack has no {after} yet: add {after} in a change of its own first{keep} and `pulumi up` it "
                f'(README "Adding a web host"), then move {slug} in the next: {steps}'
            )
        if before in self.readdressed and not retire_local:
            was, now = self.readdressed[before]
            steps += (
                f"; {before}'s address changes in this change too ({was} -> {now}), after which {retire} reaches "
                f"{now}: if that is another machine, {slug}'s keys and jobs stay live on {was}; change the address "
                f"in a change of its own, once {slug} is retired from {before}"
            )
        if after in self.readdressed and not copy_local:
            was, now = self.readdressed[after]
            steps += (
                f"; {after}'s address changes in this change too ({was} -> {now}), and {copy}, run before it, "
                f"reaches {was}: if {now} is another machine, {slug}'s space is copied to the one the stack leaves; "
                f"change the address in a change of its own, before moving {slug}"
            )
        if before in self.hosts_removed and not retire_local:
            steps += (
                f"; {before} leaves pic:hosts in this change, after which {retire} has no {before} to reach: keep "
                f"{before} in pic:hosts in this change, retire {slug} from it after `pulumi up`, and remove {before} "
                "in a later change"
            )
        return f'{steps} (README "Moving a member to another web host")'

    @property
    def renames(self) -> list[UidReused]:
        """The uids reused by a member file renamed (the former slug gone, the same association)."""
        return [u for u in self.uid_reused if u.renamed]

    @property
    def refused_by_host(self) -> bool:
        """Whether a uid changes or goes to another slug: the space scripts stop on the host (exit status 3)."""
        return bool(self.uid_changes or self.uid_reused)

    @property
    def data_left_behind(self) -> bool:
        """Whether members' data stays where the new program no longer serves it from (exit status 3)."""
        return (
            self.root_move is not None
            or self.sympa_domain is not None
            or self.offsite_repository is not None
            or self.offsite_removed is not None
            or bool(self.handovers or self.host_moves or self.charset_changes or self.retention_cuts or self.lists_left)
        )

    @property
    def stateful(self) -> list[Shown]:
        return [
            s for s in self.shown if s.change.stateful and s.change.kind in ("remove", "replace", "update", "rename")
        ]

    @property
    def refused(self) -> list[Shown]:
        """The changes pulumi up refuses: protected resources deleted or replaced."""
        return [s for s in self.shown if s.change.refused]

    def refusals(self) -> list[Refusal]:
        """The refused changes grouped by member and by what to do about them, in the order listed."""
        out: dict[tuple[str, str, str], Refusal] = {}
        for items in self.by_member().values():
            for s in items:
                if s.change.refused:
                    keep, retained = _keep(s, self.members_after), _retained(s.change)
                    out.setdefault((s.member, keep, retained), Refusal(s.member, keep, retained)).shown.append(s)
        return list(out.values())

    def by_member(self) -> dict[str, list[Shown]]:
        out: dict[str, list[Shown]] = defaultdict(list)
        for s in self.shown:
            out[s.member].append(s)
        return {m: sorted(out[m], key=Shown.key) for m in _member_order(list(out))}

    def counts(self) -> Counter[str]:
        return Counter(s.change.kind for s in self.shown)


DATABASE = "mysql:index/database:Database"


@dataclass(frozen=True)
class DomainServed:
    """A site domain served from this plan on by no member before (``added``), or that its member, keeping its
    site, no longer serves and no other member takes: what it takes, or what it stops."""

    member: str
    domain: str
    added: bool
    host: str
    zone: str  # the platform's zone where ``pulumi up`` writes its address record, or ""
    https: bool
    ca: str  # pic:tls.ca: letsencrypt and staging validate the name from the host (HTTP-01)
    addresses: tuple[str, ...] = ()  # what its address record gives: the host's published addresses, else its name
    refused: bool = False  # `pulumi up` refuses the change: its effects are told as once it goes through

    def note(self) -> str:
        return once_applied(self._note(), self.refused)

    def _note(self) -> str:
        d, host, slug = self.domain, self.host, self.member
        if not self.added:
            cert = (
                f", and the certificate of {slug} no longer names it: it is not renewed for {d} any more"
                if self.https
                else ""
            )
            return f"{d} is no longer served {FROM_UP}: the proxy on {host} drops it{cert}"
        if self.zone:
            return (
                f"{d} is served by {host} {FROM_UP}, which writes its address record in the platform's "
                f"zone {self.zone}: nothing to publish by hand"
            )
        record = (
            f"its DNS address record ({', '.join(self.addresses)})"
            if self.addresses and all(is_ip(a) for a in self.addresses)
            else f"its DNS address record (the addresses of {', '.join(self.addresses) or host}, or a CNAME to it)"
        )
        publish = f"publish it first ({slug}, where {d}'s records are), before `pulumi up`"
        if self.https and self.ca in ("letsencrypt", "staging"):
            return (
                f"{d} is served by {host} {FROM_UP}, but its certificate can be issued only once {record} "
                f"leads to {host}: {publish}; certbot validates every name of {slug}'s certificate from {host} "
                f"(HTTP-01), so while {d} leads elsewhere `{slug}-tls-cert` fails and {d} is served with a "
                "certificate that does not name it"
            )
        return f"{d} is served by {host} {FROM_UP}, and reached there once {record} leads to {host}: {publish}"

    def as_json(self) -> dict[str, Any]:
        return {
            "member": self.member,
            "domain": self.domain,
            "change": "added" if self.added else "removed",
            "host": self.host,
            "zone": self.zone or None,
            "note": self.note(),
        }


@dataclass(frozen=True)
class DomainsReordered:
    """A member kept whose ``site.domains`` lists the same names in another order: the updates of its names only
    write them in that order. The order matters in two places only: the certificate's first name (its subject,
    :func:`components.internal_ca.common_name`, as Let's Encrypt chooses it) and the site's mail sender
    (:func:`pic.render.sitemail.envelope_sender`, the first name without ``www.``)."""

    member: str
    old: tuple[str, ...]
    new: tuple[str, ...]
    status: str  # in the new registry
    https: bool
    ca: str  # pic:tls.ca of the new stack file
    sender: tuple[str, str]  # the first domain the site's mail goes from, before and after

    def note(self) -> str:
        slug = self.member
        words = [
            f"site.domains lists the same names in another order ({', '.join(self.old)} -> {', '.join(self.new)}): "
            "the updates of its names only write them in this order"
            + (
                ", and the proxy serves the same names"
                if self.status != "archived"
                else f", and the proxy serves none of them: {slug} is archived (no proxy block)"
            )
        ]
        first, was = self.new[0], self.old[0]
        if self.https and self.ca == "internal":
            words.append(
                "its certificate request and certificate, from the platform's CA, are replaced (pulumi-tls reads "
                f"the names in order) by ones of the same names and key, {first} first (the subject)"
            )
        elif self.https:
            kept = (
                f"certbot keeps the certificate of {slug} (--cert-name {slug} of the same names, compared as a set: "
                "nothing is issued)"
            )
            if first != was:
                kept += (
                    f"; from its next renewal it names {first} first, in place of {was}: the first name is the "
                    "certificate's subject (common name)"
                )
            else:
                kept += f"; the first name, the certificate's subject (common name), stays {first}"
            words.append(kept)
        if self.sender[0] != self.sender[1]:
            words.append(
                f"the site's mail goes from no-reply@{self.sender[1]} in place of no-reply@{self.sender[0]} (its "
                "first name without www.)"
            )
        return f"{slug}: " + "; ".join(words)

    def as_json(self) -> dict[str, Any]:
        return {"member": self.member, "old": list(self.old), "new": list(self.new), "note": self.note()}


def _domains_reordered(attr_old: Attribution, attr_new: Attribution) -> list[DomainsReordered]:
    """The members kept whose site domains are the same names in another order."""
    if attr_old is attr_new or attr_new.settings is None:
        return []
    out = []
    for slug, now in sorted(attr_new.members.items()):
        then = attr_old.members.get(slug)
        if then is None or then.site is None or now.site is None:
            continue
        old, new = tuple(then.site.domains), tuple(now.site.domains)
        if old == new or sorted(old) != sorted(new):
            continue
        sender = (then.sender_domains[0], now.sender_domains[0])
        out.append(DomainsReordered(slug, old, new, now.status, now.site.https, attr_new.settings.tls.ca, sender))
    return out


# The parts of a member file the program reads only for an active member: its site's container (the runtime, PHP's
# settings, the charset, the limits, the end-of-life exception: components.member_site, pic.eol.site_state), its cron
# jobs' timers (README "Cron jobs") and its keys (components.member_space: "empty unless the member is active").
# Changed while the member is suspended or archived, they are declared by no resource, and applied when it is active
# again, not by the `pulumi up` of the change.
WHILE_ACTIVE: tuple[tuple[str, ...], ...] = (
    ("site", "php"),
    ("site", "php_settings"),
    ("site", "charset"),
    ("limits",),
    ("cron",),
    ("access",),
    ("exceptions",),
)


@dataclass(frozen=True)
class WhenActive:
    """A suspended or archived member whose file changes what the program reads only while the member is active
    (:data:`WHILE_ACTIVE`): the plan shows no change of it, and it takes effect when the member is active again."""

    member: str
    status: str  # "suspended" or "archived", in the new registry
    fields: tuple[tuple[str, Any, Any], ...]  # (field path, value before, value after), None where there is none
    added: bool = False  # the member file is new in this plan, written suspended or archived: every value from none

    def note(self) -> str:
        changed = "; ".join(f"{path}: {show_value(old)} -> {show_value(new)}" for path, old, new in self.fields)
        it = "it takes" if len(self.fields) == 1 else "they take"
        added = "added " if self.added else ""
        return (
            f"{self.member} is {added}{self.status}: {changed}: {it} effect only when {self.member} is active again "
            f"(`status: active`), not {BY_UP}: while {self.status}, the program declares no site container, cron "
            "job or login key of it, so the plan shows none of it"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "member": self.member,
            "status": self.status,
            "added": self.added,
            "fields": [{"field": path, "old": json_text(old), "new": json_text(new)} for path, old, new in self.fields],
            "note": self.note(),
        }


def _leaves(value: Any, path: str) -> dict[str, Any]:
    """A member file's value flattened to its leaves by dotted path (a list is one leaf, as written)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_leaves(item, f"{path}.{key}"))
        return out
    return {path: value}


def _while_active_values(m: Member) -> dict[str, Any]:
    """What of ``m``'s file the program reads only while it is active (:data:`WHILE_ACTIVE`), by dotted path."""
    spec = m.spec.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    out: dict[str, Any] = {}
    for path in WHILE_ACTIVE:
        value: Any = spec
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if value is not None and value != {}:
            out.update(_leaves(value, ".".join(path)))
    return out


def _when_active(attr_old: Attribution, attr_new: Attribution) -> list[WhenActive]:
    """The members suspended or archived in both registries, or added so, whose file changes (or, added, sets) what
    the program reads only for an active member: applied when they are active again, told since the plan shows
    nothing of it. A member made inactive by the change is not among them: the plan shows its site container, cron
    job and keys removed."""
    if attr_old is attr_new:
        return []
    out = []
    for slug, now in sorted(attr_new.members.items()):
        then = attr_old.members.get(slug)
        if now.status == "active" or (then is not None and then.status == "active"):
            continue
        before, after = {} if then is None else _while_active_values(then), _while_active_values(now)
        fields = tuple(
            (path, before.get(path), after.get(path))
            for path in sorted(set(before) | set(after))
            if before.get(path) != after.get(path)
        )
        if fields:
            out.append(WhenActive(slug, now.status, fields, added=then is None))
    return out


@dataclass(frozen=True)
class UidChange:
    """A member kept (the same file, the same slug) whose uid changes: its unix identity on the hosts."""

    slug: str
    old: int
    new: int
    file: str  # the member file
    host: str  # its web host, after the change
    held_by: str = ""  # the member that held the new uid before (a swap), if any
    site_before: str = ""  # its site container's address before and after, when its site runs a container
    site_after: str = ""
    # what the working tree gives the uid besides the account, each updated on its own: the site container
    # (one runs), the dumps (databases, not archived: components.backup), the mail relay (a PHP site that sends)
    container: bool = False
    dumps: bool = False
    relay: bool = False
    status: str = "active"

    @property
    def advice(self) -> str:
        return (
            f"put back `uid: {self.old}` in {self.file}: a uid is never changed, nor given to another member "
            '(a new member gets one never used from `pic new`, README "Adding a member")'
        )

    def _taken(self) -> str:
        """What takes the new uid while the space script refuses it, and what follows, for the member's state."""
        takers = [
            *(["its site container"] if self.container else []),
            *(["the dumps of its databases"] if self.dumps else []),
            *(["the mail relay"] if self.relay else []),
        ]
        if not takers:
            state = f"while {self.slug} is {self.status}" if self.status != "active" else "in this plan"
            return (
                f"and nothing else takes the new uid {state} (no site container, no dumps, no mail relay): the account "
                f"keeps {self.old}, and every `pulumi up` stops at the space script until the file is put back"
            )
        who = takers[0] if len(takers) == 1 else ", ".join(takers[:-1]) + f" and {takers[-1]}"
        effects = [
            *(["files written under an id that is not the account's"] if self.container or self.dumps else []),
            *(["sites' mail relayed for another member"] if self.relay else []),
        ]
        follows = ", and ".join(effects)
        updated = "updated on its own, takes" if len(takers) == 1 else "updated on their own, take"
        return f"while {who}, {updated} the new uid: {follows}, until the hosts are fixed by hand"

    def note(self) -> str:
        held = f", the uid of {self.held_by} before" if self.held_by else ""
        # (the relay knows a site by its container's address where the site sends mail through it: a PHP site)
        relay = ", by which the sites' mail relay tells the sites apart" if self.relay else ""
        site = (
            f", and it gives its site container's address ({self.site_before} -> {self.site_after}){relay}"
            if self.site_after and self.site_before != self.site_after
            else ""
        )
        return (
            f"{self.slug}: uid {self.old} -> {self.new}{held}: a member's uid never changes. It is the id of the "
            f"unix account and group {self.slug} that own its space on {self.host} and what it runs there{site}. "
            'The host refuses the change: the space script stops there ("user or group '
            f'{self.slug} exists on this host with another id than {self.new}"), {self._taken()}'
        )


@dataclass(frozen=True)
class UidReused:
    """A slug new in this plan with the uid another slug held before: a member file renamed, or a uid
    given to another member. The former account and group keep that uid on the host."""

    slug: str
    uid: int
    held_by: str  # the slug that held the uid before
    file: str  # the new member's file, members/<slug>.yaml
    held_by_file: str  # the former member's file
    host: str  # the new member's web host
    host_before: str  # the former member's web host, where its account holds the uid
    renamed: bool  # the former slug is gone and the file is the same association's: the file renamed
    held_by_kept: bool = False  # the former slug is still a member, with another uid
    databases_before: tuple[str, ...] = ()  # the former member's databases (short names)
    databases: tuple[str, ...] = ()  # the new member's
    same_machine: bool = False  # host_before renamed host in this plan, at the same addresses (renamed_hosts)

    def refusal(self) -> str:
        """What the host does with the new slug's space script."""
        if self.host == self.host_before or self.same_machine:
            return (
                f"on {self.host}, the account and group {self.held_by} still hold uid {self.uid}: the space script "
                f"of {self.slug} stops at `groupadd --gid {self.uid} {self.slug}` (GID {self.uid} already exists), "
                "so its space and what depends on it are not made until the host is fixed by hand"
            )
        return (
            f"on {self.host_before}, the account and group {self.held_by} still hold uid {self.uid}, with their "
            f"files: {self.slug} takes it on {self.host}, and its space script stops at `groupadd --gid {self.uid}` "
            f"the day it moves to {self.host_before}; files, dumps and backups under that id are no longer one "
            "member's"
        )

    @property
    def advice(self) -> str:
        keep_name = (
            f"keep the file's name {self.held_by_file} (`git mv {self.file} {self.held_by_file}`): the slug "
            "cannot change; `name:` holds the association's name"
        )
        if self.renamed:
            return keep_name
        fresh = (
            f'give {self.slug} a uid never used in {self.file} (`pic new` picks one, README "Adding a member"): '
            "a uid is never given to another member"
        )
        return fresh if self.held_by_kept else f"{fresh}; if {self.slug} is {self.held_by} renamed, {keep_name}"

    def note(self) -> str:
        if self.renamed:
            return rename_note(
                self.held_by,
                self.slug,
                self.uid,
                databases_before=self.databases_before,
                databases_after=self.databases,
                refusal=self.refusal(),
            )
        now = "which keeps another uid" if self.held_by_kept else "which this plan removes"
        return (
            f"{self.slug}: uid {self.uid}, the uid of {self.held_by} before ({now}): a uid is never given to "
            f"another member. It is the id of the unix account and group that own a member's space, the one its "
            f"site, cron jobs and dumps run as. The host refuses it: {self.refusal()}"
        )


SPACE = "www/: the site's files, priv/: keys and credentials, db/: database dumps, log/"


@dataclass(frozen=True)
class RootMove:
    """``pic:members_root`` changed: the program makes every space anew under the new root, empty, and mounts
    the sites from there; nothing moves the members' files."""

    old: str
    new: str
    by_host: tuple[tuple[str, tuple[str, ...]], ...]  # web host (before) -> members whose space is there

    @property
    def members(self) -> int:
        return sum(len(slugs) for _, slugs in self.by_host)

    def note(self) -> str:
        where = "; ".join(f"{host}: {', '.join(slugs)}" for host, slugs in self.by_host)
        return (
            f"pic:members_root {self.old} -> {self.new}: each member's space ({SPACE}) stays in "
            f"`{self.old}/<slug>/` on its web host, and nothing moves it: the space scripts make new, empty spaces "
            f"under {self.new}, and every site container is replaced with its mounts there: the sites are "
            f"served from empty directories, the dumps and logs start anew, the old ones left behind ({where})"
        )

    @property
    def nested(self) -> bool:
        """Whether one root lies inside the other: removing the outer one would remove both."""
        return self.new.startswith(f"{self.old}/") or self.old.startswith(f"{self.new}/") or self.old == "/"

    @property
    def advice(self) -> str:
        inside = (
            f"; never remove {self.old} or {self.new} as a whole: one lies inside the other, so removing the "
            "outer one would remove both"
            if self.nested
            else ""
        )
        return (
            f"move the data on each web host first: stop the sites (`docker stop pic-site-<slug>`), copy each "
            f"member's space as root keeping owners, hard links, ACLs and attributes (`rsync -aHAX "
            f"{self.old}/<slug>/ {self.new}/<slug>/`, one member at a time), then run `pulumi up`, and check "
            f"each site before removing its old space `{self.old}/<slug>`{inside}; "
            f"or keep `pic:members_root: {self.old}`"
        )


@dataclass(frozen=True)
class RetentionCut:
    """A retention setting lowered: the next run deletes the members' dumps or snapshots beyond it."""

    setting: str  # pic:backup.keep_days, pic:backup.offsite.keep_daily, ...
    old: int
    new: int

    def note(self) -> str:
        if self.setting == "pic:backup.keep_days":
            what = f"nightly dumps older than {self.new} day{'s' if self.new != 1 else ''}"
        else:
            what = "off-site snapshots that only this rule kept (the other keep_* rules still keep theirs)"
        return f"{self.setting} {self.old} -> {self.new}: the next run deletes every member's {what}"

    @property
    def advice(self) -> str:
        return f"if those are wanted, copy them elsewhere first; or keep `{self.setting}: {self.old}`"


@dataclass(frozen=True)
class CharsetChange:
    """A database kept whose connection charset changes (``database_charsets``): its data was written in the
    former one, and the site now reads and writes it in the other (README "A legacy latin1 base")."""

    member: str
    database: str
    short: str  # its short name in the member file
    old: str
    new: str

    @property
    def lost(self) -> str:
        """The characters the new charset cannot hold where it holds a part of the former one alike (utf8, three
        bytes, of utf8mb4; ascii of any), in words; ``""`` where a byte is read as another character."""
        if self.new == "ascii":
            return "no character beyond ASCII"
        if self.new in ("utf8", "utf8mb3") and self.old == "utf8mb4":
            return "no character of four bytes"
        return ""

    def note(self) -> str:
        head = f"{self.member}: the connection charset of {self.database} changes {self.old} -> {self.new}: "
        if self.lost:
            what = "(accents, ...)" if self.new == "ascii" else "(emoji, rarer signs)"
            return (
                f"{head}{self.new} holds {self.lost}: those stored through {self.old} {what} are read as '?', and "
                "the site can no longer write them"
            )
        return (
            f"{head}the text stored through {self.old} is read as {self.new} (accents garbled), and what the site "
            "writes now mixes both in the same tables"
        )

    @property
    def advice(self) -> str:
        keep = f"keep `database_charsets: {{{self.short}: {self.old}}}`"
        if self.lost:
            return (
                f"look for such characters in its text first (a dump keeps them, through {self.old}), then change "
                f"the charset only if losing them is meant; or {keep}"
            )
        return (
            f"convert the database's text to {self.new} first (a dump, converted, restored), then change the "
            f"charset; or {keep}"
        )


@dataclass(frozen=True)
class HostMove:
    """What stays on a machine the new program no longer uses: a host whose address changed (another
    machine, or the same one under another name: the plan cannot tell), or Sympa moved to another host."""

    what: str  # the setting: pic:hosts.web1.address, pic:mail.host, pic:hosts (a host renamed)
    old: str
    new: str
    held: str  # what the machine holds, in words
    renamed: bool = False  # the same machine (same addresses) under another name in pic:hosts
    private_kept: str = ""  # an address change: the private address, when it stays the same
    keep: str = ""  # Sympa moved: how to keep it on the former host (pic.plan.records.HostSetting.keep)

    def note(self) -> str:
        if self.renamed:
            return (
                f"host {self.old} is renamed {self.new} at the same addresses: every resource named after it is "
                f"made anew under the new name ({self.held}): its containers are replaced, and its database users "
                "are created again for the same user and address before the old ones are deleted: MariaDB's "
                "CREATE USER refuses a user that exists, and where the creation passes, the old resource's "
                "deletion then drops the very user the new one names"
            )
        if self.private_kept:
            return (
                f"{self.what} {self.old} -> {self.new}, its private address {self.private_kept} kept: most likely the "
                f"same machine reached under another name or public address, where nothing moves; but if "
                f"{self.new} is another machine that took over {self.private_kept}, {self.held} stay on {self.old}, "
                f"and the program makes them anew, empty, on {self.new}"
            )
        return (
            f"{self.what} {self.old} -> {self.new}: {self.held} stay on {self.old}, and the program makes them "
            f"anew, empty, on {self.new}"
        )

    @property
    def advice(self) -> str:
        if self.renamed:
            return (
                f"keep the name {self.old} in pic:hosts (and in the members' `host:`): a host's name is in the names "
                "of its resources, its address says where it is; nothing needs copying, the machine is the same"
            )
        if self.what == "pic:hosts (role db)":
            return (
                f"stop the sites and dump every member's database on {self.old} first, so that nothing is written "
                f"after the dump; lift each database's protection (`pulumi state unprotect`: pulumi up refuses to "
                f"replace a protected database) and run `pulumi up`, which makes the databases, empty, with their "
                f"users and grants on {self.new} (those on {self.old} are retained, not dropped); restore each dump "
                f"there, then start the sites; or keep the role db on {self.old}"
            )
        if self.what.startswith("pic:mail.host"):
            return (
                f"move Sympa's data first: its lists' directories, archives and spool (/var/lib/sympa, "
                f"/var/spool/sympa) and its database from {self.old} to {self.new}, then run `pulumi up`; or "
                f"{self.keep or f'keep `pic:mail.host: {self.old}`'}"
            )
        if self.private_kept:
            return (
                f"check that {self.new} is the machine {self.old} was (the same `/etc/machine-id` over ssh at both "
                f"addresses): then nothing moves; if it is another machine, copy what {self.old} holds "
                f"({self.held}) to it first (a space with `rsync -aHAX`, a database with its dump), then run "
                "`pulumi up`"
            )
        return (
            f"if {self.new} is the same machine under another name, nothing moves; if it is another machine, copy "
            f"what it holds ({self.held}) to it first (a space with `rsync -aHAX`, a database with its dump), "
            "then run `pulumi up`"
        )


@dataclass(frozen=True)
class ListsLeft:
    """A member's list domain that no member declares after this plan (the domain changed or dropped, or the
    member removed): Sympa's robot of that domain leaves the program with no delete step, so its lists,
    subscribers and archives stay on the mail host, unserved; a new list domain starts with none."""

    member: str
    domain: str
    mail_host: str
    new_domain: str = ""  # the member's list domain after this plan, if it has one
    removed: bool = False  # the member itself is removed
    archived: bool = False  # the member was archived: its lists were kept, unserved, to run again
    new_domain_of: str = ""  # the member whose list domain the new one was before this plan, if any
    web: str = ""  # the robot's web interface before this plan (https://<sympa_domain>/<domain>)

    def note(self) -> str:
        fresh = f"; {self.new_domain} starts with no list" if self.new_domain else ""
        if self.new_domain and self.new_domain_of:
            fresh = f"; {self.new_domain} comes with the lists of {self.new_domain_of}, not these"
        if self.archived:
            return (
                f"{self.member}: the lists of {self.domain}, their subscribers and archives, kept unserved in "
                f"Sympa on {self.mail_host} while {self.member} is archived, stay there with no member to serve "
                "them again (its robot's DKIM key leaves the program, nothing removes or moves the lists)"
                f"{fresh}"
            )
        # The robot's files are placed with no delete step: its robot.conf stays, and Sympa loads every robot
        # whose /etc/sympa/<domain>/robot.conf it finds (Conf::get_robots_list), while Postfix's maps drop it.
        web = f" ({self.web})" if self.web else ""
        return (
            f"{self.member}: the lists of {self.domain}, their subscribers and archives stay in Sympa on "
            f"{self.mail_host} (its robot leaves the program, nothing removes or moves them): {self.domain} leaves "
            f"Postfix's maps, so their mail is refused, while its robot.conf stays in /etc/sympa/{self.domain}/, so "
            f"Sympa still knows the robot and its web interface{web} still answers the lists' owners{fresh}"
        )

    @property
    def advice(self) -> str:
        if self.removed and self.archived:
            return (
                f"keep the file of {self.member}, archived, while its lists matter (Sympa keeps them, with its DKIM "
                "key, for when it is active again); remove them by hand once they are not wanted"
            )
        if self.removed:
            return (
                f"archive {self.member} (`status: archived`) rather than remove its file while its lists matter "
                "(Sympa keeps them, unserved, and its DKIM key); remove them by hand once they are not wanted"
            )
        if self.new_domain and not self.new_domain_of:
            old, new = self.domain, self.new_domain
            return (
                f"if the lists are wanted, move them after `pulumi up` on {self.mail_host} with Sympa's own tool, "
                f"which takes their subscribers, owners, archives and spool along (Sympa then knows both domains: "
                f"{old}'s robot.conf stays): `sympa move <list>@{old} <list>@{new}` for each (or `sympa.pl "
                f"--rename_list=<list>@{old} --new_listname=<list> --new_listrobot={new}`), then remove "
                f"/etc/sympa/{old}/ once it serves no list; or keep `lists: {{domain: {old}}}` in {self.member}'s file"
            )
        to = f" to {self.new_domain}" if self.new_domain else ""
        return (
            f"move the lists{to} by hand first (Sympa's export and import) if they are wanted, or keep "
            f"`lists: {{domain: {self.domain}}}` in {self.member}'s file"
        )


@dataclass(frozen=True)
class SympaDomainChange:
    """``pic:mail.sympa_domain`` changed: Sympa's main domain (its default robot, its web interface). Sympa keeps
    the main domain's lists in ``list_data/<list>/`` without the domain's name (``Sympa::List::load``: "directory
    with primary domain is omitted"), their subscribers, owners and archives under the domain's name (the
    database's ``robot_*`` columns, ``arc/<list>@<domain>``): the new main domain reads those directories as its
    own lists, without what the database and the archives hold under the former name; nothing moves them."""

    old: str
    new: str
    mail_host: str  # where Sympa's data is (the mail host before this plan)
    proxy_host: str  # the mail host after this plan, whose proxy serves the web interface
    robots: tuple[str, ...]  # the member list domains served after this plan: their web addresses change too
    # the DMARC reports' mailbox before and after this plan (pic:mail.dmarc_reports, else dmarc-reports@<sympa_domain>)
    reports_before: str
    reports_after: str
    old_taken_by: str = ""  # the member whose list domain the former main domain becomes, if any
    new_was_of: str = ""  # the member whose list domain the new main domain was before this plan, if any
    reports_set: tuple[bool, bool] = (False, False)  # whether pic:mail.dmarc_reports is set before, after

    @property
    def reports_moved(self) -> bool:
        """Whether the reports' mailbox changes, and with it every list domain's DMARC record (its ``rua=``)."""
        return self.reports_before.lower() != self.reports_after.lower()

    def _reports_setting(self) -> str:
        return {
            (False, False): "pic:mail.dmarc_reports, not set",
            (True, False): "pic:mail.dmarc_reports, removed in this change",
            (False, True): "pic:mail.dmarc_reports, set in this change",
            (True, True): "pic:mail.dmarc_reports, changed",
        }[self.reports_set]

    def note(self) -> str:
        old, new = self.old, self.new
        robots = (
            f", and the member list domains' from `https://{old}/<domain>` to `https://{new}/<domain>` "
            f"({', '.join(self.robots)})"
            if self.robots
            else ""
        )
        reports = (
            f"; the DMARC reports' mailbox ({self._reports_setting()}) moves from {self.reports_before} to "
            f"{self.reports_after}, so the DMARC record of every list domain changes"
            if self.reports_moved
            else ""
        )
        taken = (
            f"; {old} becomes {self.old_taken_by}'s list domain, whose lists are read from list_data/{old}/: a list "
            f"made there under the name of one of the main domain's lists gets its subscribers and owners from "
            "Sympa's database"
            if self.old_taken_by
            else ""
        )
        read = (
            f"while Sympa reads the main domain's lists from list_data/{new}/, which holds the lists of "
            f"{self.new_was_of} ({new} was its list domain): they become the platform's, with their subscribers, "
            f"and those of {old} are not read at all"
            if self.new_was_of
            else f"while Sympa reads `list_data/<list>/` as lists of {new}, without their subscribers, owners or "
            f"archives, which stay {old}'s, and with no route for their mail at {new}"
        )
        return (
            f"pic:mail.sympa_domain {old} -> {new}: Sympa's main domain changes and nothing moves its lists: the "
            f"lists of {old}, if it has any, stay on {self.mail_host} (their directories in "
            f"`/var/lib/sympa/list_data/<list>/`, which Sympa keeps without the main domain's name, or in "
            f"`list_data/{old}/<list>/` if that directory exists; their subscribers and owners in Sympa's database "
            f"under {old}; their archives in `/var/lib/sympa/arc/<list>@{old}`); {old} leaves Postfix's maps, so mail "
            f"to `<list>@{old}` is refused, {read}; the web interface moves from "
            f"https://{old}/sympa to https://{new}/sympa{robots}, and {old} is no longer served: the list owners' "
            f"links and bookmarks, and those of the messages already sent (subscribe, unsubscribe, archives), lead "
            f"nowhere; {old}'s DKIM key leaves the program, and {new} needs records of its own{reports}{taken}"
        )

    @property
    def advice(self) -> str:
        old, new, host = self.old, self.new, self.mail_host
        reports = ", and the members their list domains' new DMARC record" if self.reports_moved else ""
        if self.new_was_of:
            return (
                f"give Sympa's main domain a name that was no member's list domain: {new} holds the lists of "
                f"{self.new_was_of}; or keep `pic:mail.sympa_domain: {old}`"
            )
        return (
            f"before `pulumi up`, move the lists with Sympa's own tool, which takes their subscribers, owners, "
            f"archives and spools along; it moves a list only between two domains Sympa serves at once, so first "
            f"make {new} one of Sympa's domains on {host} by hand (`install -d -o sympa -g sympa /etc/sympa/{new} "
            f"/var/lib/sympa/list_data/{new}`, a robot.conf in /etc/sympa/{new}/, then `systemctl restart sympa "
            f"wwsympa`), and move each list (`sympa move <list>@{old} <list>@{new}`, or `sympa.pl "
            f"--rename_list=<list>@{old} --new_listname=<list> --new_listrobot={new}`); then run `pulumi up` and "
            f"remove /etc/sympa/{new}/robot.conf ({new} is then the main domain; keep list_data/{new}/, which holds "
            f"the lists now); publish {new}'s records first (its address, at {self.proxy_host}'s proxy; its MX, SPF "
            f"and DMARC; its DKIM record, whose key `pulumi up` makes: `pulumi stack output mail_dns_records "
            f"--json`), and tell the list owners their lists' new addresses (`<list>@{new}`, https://{new}/sympa)"
            f"{reports}; or keep `pic:mail.sympa_domain: {old}`"
        )


# Postfix's maximal_queue_lifetime (its default, which the platform keeps): how long a message signed before a
# change may still wait in the mail host's queue for delivery.
QUEUE_LIFETIME = "5 days"


@dataclass(frozen=True)
class SignedDomain:
    """A list domain Sympa signs for, before and after a change of ``pic:mail.dkim_selector``."""

    domain: str
    member: str  # the member whose list domain it is, "" for Sympa's main domain (the admins publish its records)
    dmarc: str  # the DMARC policy it publishes: none, quarantine or reject
    zone: str = ""  # the platform's zone that publishes its records (pic:dns backend zonefile), or ""
    # the platform's zone that published its records before this plan, which published its record under the former
    # selector, or "" (its member or the admins did)
    zone_before: str = ""


@dataclass(frozen=True)
class DkimSelectorChange:
    """``pic:mail.dkim_selector`` changed: Sympa signs with the same keys under another selector, so receivers look
    each list domain's key up at another name (``<selector>._domainkey.<domain>``), which must be published first.
    Nothing held is lost: a warning, the exit status unchanged (as for https withdrawn)."""

    old: str
    new: str
    domains: tuple[SignedDomain, ...]  # the list domains signed before and after this plan
    archived: tuple[str, ...] = ()  # archived members' list domains: their keys kept, their robots not run
    # Sympa's main domain before and after this plan, when it changes too (pic:mail.sympa_domain): the new one is
    # signed with its own key, its record told with that change, unless it was a member's list domain before
    main_moved: tuple[str, str] | None = None

    def _main(self) -> str:
        """What the selector means for Sympa's main domain when it changes in the same plan."""
        if self.main_moved is None:
            return ""
        before, after = self.main_moved
        own = (
            ""
            if any(d.domain == after for d in self.domains)
            else f": {after} is signed with a key of its own that `pulumi up` makes, under the new selector "
            f"(`{self.record(after)}`), a record to publish with its others (told with that change)"
        )
        return (
            f"; Sympa's main domain changes too (pic:mail.sympa_domain {before} -> {after}){own}, and {before} is "
            "signed no more"
        )

    def record(self, domain: str, selector: str = "") -> str:
        return dkim_name(domain, selector or self.new)

    def _named(self, domains: list[SignedDomain]) -> str:
        return ", ".join(f"{d.domain} ({d.member})" if d.member else d.domain for d in domains)

    @staticmethod
    def _zones(domains: list[SignedDomain], before: bool = False) -> str:
        return ", ".join(sorted({d.zone_before if before else d.zone for d in domains}))

    def _publisher(self, domains: list[SignedDomain]) -> str:
        """Who published the former records of ``domains`` outside the platform's zones."""
        who = (["the admins"] if any(not d.member for d in domains) else []) + (
            ["its member"] if any(d.member for d in domains) else []
        )
        return " or ".join(who)

    def note(self) -> str:
        old, new = self.old, self.new
        by_hand = [d for d in self.domains if not d.zone]
        zoned = [d for d in self.domains if d.zone]
        who = []
        main = [d for d in by_hand if not d.member]
        members = [d for d in by_hand if d.member]
        if main:
            who.append(f"by the admins for {self._named(main)}")
        if members:
            who.append(f"by each member in its own zone for {self._named(members)}")
        # The former record was published by whoever published the domain's records before this plan: a domain
        # that enters or leaves the platform's zones here changes hands.
        stayed = [d for d in zoned if d.zone_before]
        entered = [d for d in zoned if not d.zone_before]
        left = [d for d in by_hand if d.zone_before]
        if stayed:
            who.append(
                f"by `pulumi up` itself for {self._named(stayed)} (the platform's zone {self._zones(stayed)}, which "
                f"drops the `{old}._domainkey.` record in the same step)"
            )
        if entered:
            who.append(
                f"by `pulumi up` for {self._named(entered)} in the platform's zone {self._zones(entered)}, which this "
                "plan adds and resolvers read only once its delegation names the platform's name servers: until "
                f"then they read the domain's records where they are published now (by {self._publisher(entered)}), "
                f"so the new record is published there first, beside the `{old}._domainkey.` one (which stays until "
                "removed by hand)"
            )
        if left:
            who.append(
                f"{self._named(left)} leaves the platform's zone {self._zones(left, before=True)} in this plan: "
                f"`pulumi up` no longer writes its records there, its `{old}._domainkey.` record included"
            )
        quarantine = [d.domain for d in self.domains if d.dmarc == "quarantine"]
        reject = [d.domain for d in self.domains if d.dmarc == "reject"]
        policies = [
            *([f"junked for {', '.join(quarantine)} (`dmarc: quarantine`)"] if quarantine else []),
            *([f"refused for {', '.join(reject)} (`dmarc: reject`)"] if reject else []),
        ]
        dmarc = (
            "DMARC then rests on SPF alone, which a forwarded message fails (a subscriber's address that forwards "
            "to another mailbox): there the mail that bears the list domain in its From: (Sympa's own, and the "
            "posts whose From: it rewrites for senders whose domain publishes quarantine or reject) is "
            f"{' and '.join(policies)}, a refusal coming back to Sympa as the subscriber's bounce"
            if policies
            else "no list domain here publishes `dmarc: quarantine` or `reject`, so DMARC does not refuse that mail"
        )
        archived = (
            f"; the archived members' list domains ({', '.join(self.archived)}) need theirs before they are made "
            "active again"
            if self.archived
            else ""
        )
        queued = (
            f"mail still in Postfix's queue at `pulumi up`, signed with {old}, needs the `{old}._domainkey.` record "
            f"until it is delivered (Postfix tries for up to {QUEUE_LIFETIME}){archived}"
        )
        if not self.domains:
            return (
                f"pic:mail.dkim_selector {old} -> {new}: from `pulumi up`, Sympa signs the mail of every list "
                f"domain under the new selector, and receivers look its key up at `{new}._domainkey.<domain>` "
                f"instead of `{old}._domainkey.<domain>`; no list domain signed before this plan is signed after it, "
                f"so no record of today's moves{self._main()}; {queued}"
            )
        return (
            f"pic:mail.dkim_selector {old} -> {new}: from `pulumi up`, Sympa signs the mail of every list domain "
            f"with the same key under the new selector, and receivers look it up at `{new}._domainkey.<domain>` "
            f"instead of `{old}._domainkey.<domain>`: a record to publish, with the value of today's (the key does "
            f"not change), {'; '.join(who)}{self._main()}. Until a domain's record is published, Sympa's signature "
            f"on its mail fails (no key at that name); {dmarc}; {queued}"
        )

    @property
    def advice(self) -> str:
        old, new = self.old, self.new
        zoned = [d for d in self.domains if d.zone]
        entered = [d for d in zoned if not d.zone_before]
        # a domain entering a zone this plan adds is read where its records are published now until the zone's
        # delegation moves: its new record is published there first, as for a domain outside the platform's zones
        by_hand = [d for d in self.domains if not d.zone or d in entered]
        steps = []
        if by_hand:
            file = f"records-{new}.json"
            who = [
                *(["the admins publish the main domain's"] if any(not d.member for d in by_hand) else []),
                *(
                    ['send each member its own (README "What a member with its own list domain must publish")']
                    if any(d.member for d in by_hand)
                    else []
                ),
            ]
            kept = (
                f", and keep the `{old}._domainkey.` records {QUEUE_LIFETIME} more (mail signed with them may wait "
                "that long in Postfix's queue), then remove them"
                if any(not d.zone_before for d in by_hand)
                else ""
            )
            left = [d for d in by_hand if d.zone_before]
            if left:
                kept += (
                    f"; {self._named(left)} leaves the platform's zone {self._zones(left, before=True)}, which held "
                    f"its `{old}._domainkey.` record: publish that record too where its records are published from "
                    f"now on, beside the new one, and remove it {QUEUE_LIFETIME} after `pulumi up`"
                )
            steps.append(
                f"before `pulumi up`, have each record published at its new name: `pulumi stack output "
                f"mail_dns_records --json | sed 's/\"{old}\\._domainkey\\./\"{new}._domainkey./' > {file}` writes "
                f"them, today's values under the new names; {' and '.join(who)}, and `pic dns "
                f"check --expected {file}` says which are still missing; run `pulumi up` once every one is present"
                f"{kept}"
            )
        if entered:
            steps.append(
                f"`pulumi up` writes the new record of {self._named(entered)} in the platform's zone "
                f"{self._zones(entered)}, which this plan adds: once its delegation names the platform's name servers "
                f"and the parent's TTL has passed, have both records removed where {self._publisher(entered)} "
                f"published them, the `{old}._domainkey.` one not before {QUEUE_LIFETIME} after `pulumi up`"
            )
        if any(d.zone_before for d in zoned):
            steps.append(
                "run `pulumi up` when Postfix's queue on the mail host is empty (`postqueue -p`): it replaces the "
                f"records of the platform's zone at once, and mail still queued, signed with {old}, would fail there"
            )
        if not steps:
            steps.append(
                f"keep the `{old}._domainkey.` records published {QUEUE_LIFETIME} after `pulumi up` (mail signed "
                "with them may wait that long in Postfix's queue), then remove them"
            )
        return f"{'; '.join(steps)}; or keep `pic:mail.dkim_selector: {old}`"


@dataclass(frozen=True)
class OffsiteRepositoryChange:
    """``pic:backup.offsite.repository`` changed: the hosts back up to another repository, a new one, from the
    next night; the snapshots made so far stay in the former one, which nothing of the platform reads, thins
    or checks any more."""

    old: str
    new: str
    hosts: tuple[str, ...]  # the hosts that backed up to the former repository

    def note(self) -> str:
        old, new = self.old, self.new
        return (
            f"pic:backup.offsite.repository {old} -> {new}: the snapshots made so far ({', '.join(self.hosts)}: "
            f"the members' www/, priv/ and db/, and each host's own state) stay in {old}, which nothing of the "
            f"platform uses any more: from `pulumi up`, `pic-offsite-restore` lists and restores only what {new} "
            f"holds, the weekly drill reads only {new}, and the nightly retention (forget --prune) and check no "
            f"longer touch {old}, whose snapshots stay as they are, never thinned; the next night's run makes "
            f"{new} (unless a repository is there already, taken as found) and uploads every host's data in full: "
            "until then nothing can be restored through the platform, and after it only from that night on"
        )

    @property
    def advice(self) -> str:
        old, new = self.old, self.new
        return (
            f"if the history matters, copy it first, on a host with both repositories' credentials: make {new} "
            f"with {old}'s chunker parameters, so that the nights after deduplicate against what is copied "
            f"(`restic init --repo {new} --from-repo {old} --copy-chunker-params`), copy the snapshots (`restic "
            f"copy --repo {new} --from-repo {old}`), run `pulumi up`, then `restic copy` again before the next "
            "night's run (it copies only the snapshots made since); or keep the former repository's credentials "
            "(the repository password, and its ssh key or S3 keys) outside the platform, to restore from it with "
            f"restic by hand (`restic --repo {old} snapshots`, `restic restore`) while its snapshots matter; "
            f"delete {old} by hand once it is no longer needed (nothing of the platform does); or keep "
            f"`pic:backup.offsite.repository: {old}`"
        )


@dataclass(frozen=True)
class OffsiteRemoved:
    """``pic:backup.offsite`` removed: the off-site backup leaves the program, but ``pulumi up`` removes nothing
    it placed on the hosts (OffsiteBackup's commands have no delete step): the timers stay enabled and run the
    last settings written, which nothing updates any more; the repository and its snapshots stay as they are."""

    repository: str
    hosts: tuple[str, ...]  # the hosts that back up to it, each with its timers and credentials

    def note(self) -> str:
        repo, hosts = self.repository, ", ".join(self.hosts)
        return (
            f"pic:backup.offsite removed (the repository {repo}): the off-site backup leaves the program, but "
            f"`pulumi up` removes nothing it placed on the hosts (its commands have no delete step): on {hosts}, "
            f"{roff.BACKUP_UNIT}.timer and {roff.DRILL_UNIT}.timer stay enabled, so every night each host still "
            f"backs up to {repo} and thins and checks it, with the settings and credentials last written "
            f"({roff.CONF}, {roff.PASSWORD_FILE}, the ssh key or S3 keys), which nothing updates any more: a host "
            "added later gets no off-site backup, a change of pic:members_root or of who gets the reports is not "
            "followed, a repository password or key changed in the stack is never written; the snapshots in "
            f"{repo} are not deleted, and `pic-offsite-restore` still reads them on each host while its "
            "credentials are there"
        )

    @property
    def advice(self) -> str:
        repo, hosts = self.repository, ", ".join(self.hosts)
        return (
            f"to stop the off-site copies, after `pulumi up` run on each host ({hosts}) `systemctl disable --now "
            f"{roff.BACKUP_UNIT}.timer {roff.DRILL_UNIT}.timer`; keep the repository password (and its ssh key or "
            f"S3 keys) outside the platform to restore from {repo} with restic by hand (`restic --repo {repo} "
            "snapshots`, `restic restore`) while its snapshots matter, then remove the credentials from the hosts "
            f"(`rm -f {roff.PASSWORD_FILE} {roff.SSH_KEY} {roff.ENV_FILE}`); delete {repo} by hand once it is no "
            "longer needed (nothing of the platform does); or keep `pic:backup.offsite`"
        )


@dataclass(frozen=True)
class DomainHandover:
    """Domains of one member given to another by this plan (a removed member's to a new one, or between
    members that stay): served from the other's space, without the first one's data."""

    old: str  # the member that held the domains
    new: str  # the member that takes them
    domains: tuple[str, ...]  # the former holder's site domains the other one serves
    list_domain: str  # the former holder's list domain, when the other one takes it
    file: str  # the taker's file
    old_file: str  # the former holder's file
    host_before: str  # the former holder's web host, where its space stays
    host: str  # the taker's web host
    uid_before: int
    uid: int
    databases_before: tuple[str, ...]  # the former holder's databases (short names)
    same_association: bool  # the same name or contact address: the file renamed, with another uid
    old_stays: bool = False  # the former holder is still a member after this plan
    new_is_new: bool = True  # the taker is added by this plan
    new_status: str = "active"  # the taker's status: an archived one serves nothing, a suspended one answers 503

    @property
    def all_domains(self) -> tuple[str, ...]:
        return (*self.domains, self.list_domain) if self.list_domain else self.domains

    def note(self) -> str:
        parts = []
        if self.domains:
            space = "new, empty space" if self.new_is_new else "space"
            served = {
                "archived": f"would no longer be served: {self.new} is archived (no site, no block in the proxy)",
                "suspended": f"would answer 503: {self.new} is suspended (the proxy serves no site for it)",
            }.get(self.new_status, f"would be served from {self.new}'s {space} on {self.host}")
            parts.append(f"{', '.join(self.domains)} (its site) {served}")
        if self.list_domain:
            lists = (
                f"{self.list_domain} (its lists) would go to {self.new}, which is archived: Sympa no longer serves "
                "that domain, its lists, subscribers and archives stay on the mail host, unserved"
                if self.new_status == "archived"
                else f"{self.list_domain} (its lists) would go to {self.new}, with the lists, subscribers and "
                "archives Sympa keeps for it"
            )
            parts.append(lists)
        rename = (
            f" {self.new} looks like {self.old}'s file renamed (the same association) with another uid "
            f"({self.uid_before} -> {self.uid}): a slug cannot be renamed."
            if self.same_association
            else ""
        )
        if self.old_stays:
            return (
                f"{self.old} -> {self.new}: {'; '.join(parts)}. {self.old} keeps its space on {self.host_before}, its "
                f"files{', databases' if self.databases_before else ''} and keys: none of them goes with the domain"
            )
        n = len(self.databases_before)
        dbs = f", and its database{'s' if n != 1 else ''} on the db host," if n else ""
        return (
            f"{self.old} -> {self.new}: {'; '.join(parts)}. The files, databases and keys of {self.old} are not "
            f"carried over: its space on {self.host_before} ({SPACE}){dbs} {'stay' if n else 'stays'} under "
            f"{self.old}'s name, "
            f"unserved.{rename}"
        )

    @property
    def advice(self) -> str:
        if self.old_stays:
            goes = [
                *(
                    ["the lists, their subscribers and archives (Sympa's export and import)"]
                    if self.list_domain
                    else []
                ),
                *([f"the site's files from {self.old}'s space into {self.new}'s"] if self.domains else []),
            ]
            return (
                f"if the domain really goes to {self.new} (both associations agree), move by hand first what goes "
                f"with it: {' and '.join(goes)}; otherwise leave it with {self.old}"
            )
        dbs = " and databases (db/ holds the dumps)" if self.databases_before else ""
        if not self.new_is_new:
            # The taker was a member before this plan: it cannot be the removed member's file renamed.
            first = []
            if self.domains:
                first.append(f"copy first what it takes over of {self.old}'s space{dbs} into {self.new}'s")
            if self.list_domain:
                first.append(f"know that the lists of {self.list_domain}, their subscribers and archives go with it")
            return (
                f"{self.new} was a member before this change, so it is not {self.old} renamed: if the domain "
                f"really goes to {self.new} (both associations agree), {' and '.join(first)}, and archive "
                f"{self.old} (`status: archived`) rather than remove it while its data matters; otherwise put back "
                f"{self.old_file} and leave the domain with {self.old}"
            )
        rename = (
            f"if {self.new} is {self.old} renamed, keep the file's name and the uid (`git mv {self.file} "
            f"{self.old_file}`, `uid: {self.uid_before}`): a rename keeps the uid and the slug (README "
            '"Reviewing a change", Renamed)'
        )
        return (
            f"{rename}; if the domain really goes to another association, the data moves by hand: add "
            f"{self.new} without it first, copy what it takes over of {self.old}'s space{dbs} into {self.new}'s, then "
            f"move the domain, and archive {self.old} (`status: archived`) "
            "rather than remove it while its data matters"
        )


@dataclass
class Refusal:
    """Changes of one member that pulumi up refuses, and what to do about them."""

    member: str
    keep: str  # how to keep the resources instead
    retained: str  # what retain_on_delete means once they are unprotected and deleted, or ""
    shown: list[Shown] = field(default_factory=list)

    @property
    def what(self) -> str:
        return "deletion" if all(s.change.kind == "remove" for s in self.shown) else "replacement"

    def unprotect(self) -> list[str]:
        """The commands that lift the protection in the stack's state, one per resource."""
        return [f"pulumi state unprotect {_quoted(s.change.urn)}" for s in self.shown]

    @property
    def unprotect_first(self) -> str:
        them = "it" if len(self.shown) == 1 else "them"
        return f"or, if the {self.what} is meant, unprotect {them} first, then run `pulumi up`"

    def advice(self) -> list[str]:
        """What to do, as sentences: keep the resources, or unprotect them first (and what is left then)."""
        lines = [f"what to do: {self.keep}", f"{self.unprotect_first}: " + "; ".join(self.unprotect())]
        return [*lines, self.retained] if self.retained else lines


def _quoted(urn: str) -> str:
    """A URN for a shell, in single quotes as Pulumi prints it (a URN holds ``$`` and ``::``)."""
    return "'" + urn.replace("'", "'\\''") + "'"


def _keep(s: Shown, members_after: frozenset[str]) -> str:
    """How to keep a protected resource that a change deletes or replaces."""
    c = s.change
    if c.kind == "replace":
        keys = [ic.key for ic in c.inputs if ic.forces_replace]
        if c.provider_change:
            before, after = s.host_before, s.host_after
            keys.append(
                f"its host ({before}, {after} in this plan)" if before and after and before != after else "its host"
            )
        kept = c.old is not None and c.old.retain_on_delete
        why = (
            "a replacement makes a new one, the old one leaves the state (below)"
            if kept
            else "a replacement deletes the old one"
        )
        return f"keep {', '.join(keys) or 'what forces the replacement'} as before: {why}"
    if s.member == PLATFORM:
        return "keep it declared in the program"
    archive = "its files, dumps and databases are kept (docs/REGISTRY.md)"
    if s.member not in members_after:
        return (
            f"keep the member file of {s.member} with `status: archived` instead of removing it: nothing of the "
            f"member runs, {archive}"
        )
    if c.resource.type == DATABASE:
        return (
            f"keep the database in `databases:` of {s.member} while its data is wanted (or archive the member, "
            f"`status: archived`: {archive})"
        )
    return (
        f"keep what declares it in the member file of {s.member} (or archive the member, `status: archived`: {archive})"
    )


def _retained(c: Change) -> str:
    """What retain_on_delete leaves once a refused change goes through, or ``""``."""
    old = c.old
    if old is None or not old.retain_on_delete:
        return "" if c.kind == "replace" else "without retain_on_delete: then it is deleted for real"
    what = "replacing" if c.kind == "replace" else "deleting"
    if old.type == DATABASE:
        return (
            f"retained on delete: {what} a database only drops it from the Pulumi state, the database stays on "
            "the db server with its tables (`DROP DATABASE` by hand, after a dump, if it must go)"
        )
    return (
        f"retained on delete: {what} only drops the resource from the Pulumi state, it stays where it is "
        "(remove it by hand if it must go)"
    )


def https_note(loss: HttpsLoss) -> str:
    """What a member's names losing https means for the browsers that received their HSTS header, and what to do."""
    names = ", ".join(loss.domains)
    one = len(loss.domains) == 1
    days = f"{loss.days} day{'s' if loss.days != 1 else ''}"
    return (
        f"{names} {'loses' if one else 'lose'} https, but the proxy sent {'it' if one else 'them'} "
        f"`Strict-Transport-Security: max-age={loss.max_age}` ({days}, the platform's, for every https site): "
        f"browsers that visited in the last {days} keep to https and cannot reach "
        f"{'it' if one else 'them'} any more (no https block, no certificate) until {days} after their last "
        "visit (RFC 6797). Keep `https: true` if those visitors matter; switching off means accepting that "
        "they cannot reach the site until then"
    )


def hsts_note(pin: HttpsPin) -> str:
    """What a member's names getting https means: browsers keep to https for them from then on."""
    names = ", ".join(pin.domains)
    one = len(pin.domains) == 1
    days = f"{pin.days} day{'s' if pin.days != 1 else ''}"
    them = "it" if one else "them"
    return (
        f"{names} {'gets' if one else 'get'} https, and from this `pulumi up` on the proxy sends {them} "
        f"`Strict-Transport-Security: max-age={pin.max_age}` ({days}, the platform's, for every https site): "
        f"browsers that visit keep to https for {them} until {days} after their last visit (RFC 6797). Going back "
        f"to `https: false` later leaves those visitors unable to reach {them} until then: switch on once https "
        "is to stay"
    )


def _text_https(r: Review) -> list[str]:
    """The plan's lines of names whose https changes: lost where browsers keep to it, gained with HSTS."""
    return [f">>> https: {loss.member}: {https_note(loss)}" for loss in r.https_lost] + [
        f">>> hsts: {pin.member}: {hsts_note(pin)}" for pin in r.https_pinned
    ]


def _markdown_https(r: Review) -> list[str]:
    out: list[str] = []
    if r.https_lost:
        out += ["#### :warning: https withdrawn from names browsers keep to https (HSTS)", ""]
        out += [f"- **{text(loss.member)}**: {prose(https_note(loss))}." for loss in r.https_lost]
        out.append("")
    if r.https_pinned:
        out += ["#### :warning: https given to names browsers will then keep to https (HSTS)", ""]
        out += [f"- **{text(pin.member)}**: {prose(hsts_note(pin))}." for pin in r.https_pinned]
        out.append("")
    return out


def _role(res: Resource) -> str:
    return res.labels().get("pic.role", "")


def _downtime(
    change: Change, member: str, before: str | None, after: str | None, renamed: dict[str, str] | None = None
) -> str:
    """Whether a replaced container's service is down, and for about how long; ``""`` when nothing is.
    ``renamed``: hosts renamed at the same addresses (old name -> new), the same machine: no move."""
    res = change.resource
    if change.kind != "replace" or res.type != "docker:index/container:Container":
        return ""
    what = {"site": f"the site of {member}", "proxy": f"every site of {after or before}"}.get(
        _role(res), f"the service of {res.name}"
    )
    if change.provider_change is not None and before != after and (renamed or {}).get(before or "") != after:
        return (
            f"{what} moves from {before} to {after}: down on {before} {FROM_UP} "
            f"(its container is deleted there first, {CONTAINER_RESTART} until it runs on {after}), "
            f"and unreachable until DNS points to {after} (up to the records' TTL)"
        )
    if change.delete_first:
        return f"{what} is down from the deletion of the old container until the new one runs: {CONTAINER_RESTART}"
    return f"{what} stays up: the new container is created before the old one is deleted"


def _runtime_refusal(member: Member | None, settings: Settings | None) -> tuple[str, str]:
    """Why the site of an active ``member`` runs no container today (the day the working tree's program runs as
    of: ``__main__.TODAY``) though it has one, and what would serve it again: its runtime stopped
    (``pic:runtimes.<key>.stopped``), or past its end of life without a valid ``exceptions.php_eol`` (none, its
    ``until`` past, granted for another runtime), as :func:`pic.eol.site_state` decides; ``("", "")`` when it
    runs, or is not active (told apart)."""
    if member is None or settings is None or member.status != "active" or member.runtime is None:
        return "", ""
    if eol.site_state(member, settings, dt.date.today()) != "refused":
        return "", ""
    key = member.runtime
    spec = settings.runtimes[key]
    move = "moving it to a runtime that runs (site.php)"
    if spec.stopped:
        return f"its runtime {key} is stopped (pic:runtimes.{key}.stopped: true in the stack file)", move
    exc = member.spec.exceptions.php_eol
    if exc is None:
        held = f"{member.slug} holds no exceptions.php_eol"
    elif exc.runtime is not None and exc.runtime != key:
        held = f"the exceptions.php_eol of {member.slug} was granted for runtime {exc.runtime}, not {key}"
    else:
        held = f"the exceptions.php_eol of {member.slug} ended on {exc.until.isoformat()}"
    return (
        f"its runtime {key} reached its end of life on {spec.eol.isoformat()} and {held}",
        f"{move}, or an exception granted,",
    )


def _site_gone(change: Change, member: str, attr_new: Attribution) -> str:
    """What a member's visitors get once its site container is deleted with no other to take over (the member
    suspended, archived or removed, its site dropped, static or PHP); ``""`` for any other change (a site that had
    no container is told on its space command: :func:`_site_unanswered`)."""
    res = change.resource
    if change.kind != "remove" or res.type != "docker:index/container:Container" or _role(res) != "site":
        return ""
    now = attr_new.members.get(member)
    if now is not None and now.status == "suspended":
        return f"the site of {member} answers 503 {FROM_UP}: {member} is suspended"
    refused, again = _runtime_refusal(now, attr_new.settings)
    if refused:
        return (
            f"the site of {member} answers 503 {FROM_UP} (no container): {refused}; its files, databases "
            f"and dumps are kept, and {again} serves it again"
        )
    why = (
        "its member file is removed"
        if now is None
        else f"{member} is archived"
        if now.status == "archived"
        else f"{member} has no site any more"
        if now.site is None
        else ""
    )
    if why and now is not None:  # a file removed: its space's line says that the space stays (_space_stays)
        root = attr_new.members_root or "pic:members_root"
        host = attr_new.member_host.get(member) or "its web host"
        why += f"; its files stay in its space on {host} ({root}/{member}/www/)"
    return f"the site of {member} is no longer served {FROM_UP}: {why}" if why else ""


def _phpmyadmin_gone(change: Change, attr_old: Attribution, attr_new: Attribution) -> str:
    """What the members lose when phpMyAdmin's container (components.phpmyadmin, label ``pic.role`` phpmyadmin)
    leaves the program with ``pic:phpmyadmin``: their web access to their databases; ``""`` for any other change
    (moved to another host, it is replaced: :func:`_downtime`)."""
    res = change.resource
    if change.kind != "remove" or res.type != "docker:index/container:Container" or _role(res) != "phpmyadmin":
        return ""
    then, now = attr_old.settings, attr_new.settings
    if then is None or then.phpmyadmin is None or (now is not None and now.phpmyadmin is not None):
        return ""
    return (
        f"phpMyAdmin is no longer served at {then.phpmyadmin.domain} {FROM_UP} (pic:phpmyadmin removed "
        "from the stack file): the members reach their databases only from their sites (and, with ssh: true, from "
        "a shell on their web host); the databases, their users and grants stay"
    )


def _lists_stopped(change: Change, member: str, attr_new: Attribution) -> str:
    """What an archived member's lists get once its Sympa robot leaves the program (components.sympa_server):
    its domain leaves Postfix's maps, so their mail is refused, while Sympa keeps them; ``""`` for any other
    change (a list domain no member declares any more is told as lists left behind)."""
    res = change.resource
    now = attr_new.members.get(member)
    if change.kind != "remove" or not res.type.startswith("command:") or now is None or now.lists is None:
        return ""
    domain = now.lists.domain
    if now.status != "archived" or not res.name.endswith(f"-robot-{domain}"):
        return ""
    return (
        f"the lists of {domain} receive no mail {FROM_UP}: {domain} leaves Postfix's maps, so mail "
        f"to them is refused ({member} is archived); Sympa keeps the lists, their subscribers and archives, and "
        f"its web interface still answers their owners; setting {member} active again serves them again, with "
        "the same DKIM key"
    )


def _cron_stopped(change: Change, member: str, attr_old: Attribution, attr_new: Attribution) -> str:
    """What a member's cron jobs get once their command (components.member_site, ``<slug>-cron``) leaves the
    program: its delete script stops and removes their timers on the web host; ``""`` for any other change (a job
    removed or changed among others is an update of that command, whose script says it)."""
    res = change.resource
    if change.kind != "remove" or res.name != f"{member}-cron" or not res.type.startswith("command:"):
        return ""
    then, now = attr_old.members.get(member), attr_new.members.get(member)
    jobs = len(then.spec.cron) if then is not None else 0
    timers = "its timer" if jobs == 1 else "their timers"
    count = f"{jobs} job{'s' if jobs != 1 else ''}, " if jobs else ""
    host = attr_old.host(change.old) if change.old is not None else NO_HOST
    if now is None:
        why = "its member file is removed"
    elif now.status != "active":
        why = f"{member} is {now.status}; setting {member} active again starts {'it' if jobs == 1 else 'them'} again"
    elif now.site is None:
        why = f"{member} has no site any more"
    elif not now.spec.cron:
        why = f"{member}'s file lists no cron job any more"
    else:
        refused, _ = _runtime_refusal(now, attr_new.settings)
        why = f"the site of {member} is not run any more" + (
            f": {refused}" if refused else " (its runtime stopped, or past its end of life)"
        )
    return (
        f"the cron {'job' if jobs == 1 else 'jobs'} of {member} {'stops' if jobs == 1 else 'stop'} running {FROM_UP} "
        f"({count}{timers} on {host} stopped and removed): {why}"
    )


def _job(job: CronJob) -> str:
    """A cron job as the plan names it: its command and schedule as code spans (:func:`pic.plan.markdown.code`:
    a command holding backticks stays one span, its fence longer than any run of them, CommonMark 6.1)."""
    return f"{code(job.command)} (schedule {code(job.schedule)})"


def _limit(job: CronJob, other: CronJob) -> str:
    """A job's time limit (``timeout``, pic.render.cron: the job is stopped there) before and after."""
    return f"stopped after {other.timeout} s instead of {job.timeout} s"


def _cron_jobs_removed(change: Change, member: str, attr_old: Attribution, attr_new: Attribution) -> str:
    """The jobs an update of a member's cron command (``<slug>-cron``) stops or changes: those its file no longer
    lists, whose timers the new script removes (pic.render.cron: the jobs beyond the current ones), and those whose
    command, schedule or time limit changed (the same job: the same command on another schedule, or the same
    schedule running another command, its limit told when it changes too), whose timer the script rewrites; then
    how many jobs run. ``""`` when none is removed or changed (jobs only added), and for any other change."""
    res = change.resource
    if change.kind != "update" or res.name != f"{member}-cron" or not res.type.startswith("command:"):
        return ""
    then, now = attr_old.members.get(member), attr_new.members.get(member)
    if then is None or now is None:
        return ""
    before, after = list(then.spec.cron), list(now.spec.cron)
    kept = 0
    changed: list[str] = []
    for job in list(before):
        same = next((j for j in after if (j.schedule, j.command) == (job.schedule, job.command)), None)
        if same is not None:
            before.remove(job)
            after.remove(same)
            if same.timeout == job.timeout:
                kept += 1
            else:
                changed.append(f"{code(job.command)} (schedule {code(job.schedule)}) is {_limit(job, same)}")
    for key in ("command", "schedule"):  # the same job: one of the two kept
        for job in list(before):
            other = next((j for j in after if getattr(j, key) == getattr(job, key)), None)
            if other is None:
                continue
            before.remove(job)
            after.remove(other)
            limit = f", and is {_limit(job, other)}" if other.timeout != job.timeout else ""
            changed.append(
                f"{code(job.command)} runs on schedule {code(other.schedule)} instead of {code(job.schedule)}{limit}"
                if key == "command"
                else f"{code(job.command)} (schedule {code(job.schedule)}) becomes {code(other.command)}{limit}"
            )
    if not before and not changed:
        return ""
    host = attr_old.host(change.old) if change.old is not None else NO_HOST
    said = []
    if before:
        n = len(before)
        one = n == 1
        said.append(
            f"{n} cron job{'' if one else 's'} of {member} stop{'s' if one else ''} running {FROM_UP} "
            f"({'its timer' if one else 'their timers'} on {host} stopped and removed), no longer in its file: "
            + "; ".join(_job(j) for j in before)
        )
    if changed:
        n = len(changed)
        one = n == 1
        said.append(
            f"{n} cron job{'' if one else 's'} of {member} change{'s' if one else ''} {FROM_UP} "
            f"({'its timer' if one else 'their timers'} on {host} rewritten): " + "; ".join(changed)
        )
    total = len(now.spec.cron)
    parts = [f"{k} {word}" for k, word in ((kept, "unchanged"), (len(changed), "changed"), (len(after), "added")) if k]
    runs = (
        f"{member} runs {total} cron job{'' if total == 1 else 's'} then ({', '.join(parts)})"
        if total
        else f"{member} runs no cron job then"
    )
    return "; ".join([*said, runs])


def _logins_refused(change: Change, member: str, attr_old: Attribution, attr_new: Attribution) -> str:
    """What removing an active member's space command (its member file removed) does to its access: the delete
    script removes its keys file (components.member_space), so sshd refuses its new ssh and sftp logins, while the
    sessions open then go on (sshd checks keys at login only) and its account and files stay; and, for a static
    site the front proxy answered 503 for (no container to tell it: :func:`_site_unanswered`), that it is no longer
    served. ``""`` for a member that had no key, was not active (its keys file empty already, its processes ended),
    and had no such site, and any other change."""
    res = change.resource
    if change.kind != "remove" or res.name != f"{member}-space" or not res.type.startswith("command:"):
        return ""
    then, now = attr_old.members.get(member), attr_new.members.get(member)
    if then is None or now is not None:
        return ""
    static = [site] if (site := _site_unanswered(member, then, None, attr_old)) else []
    if then.status != "active" or not then.access.sftp_keys:
        return "; ".join(static)
    host = _space_host(change, then, attr_old)
    return "; ".join(
        [
            f"new ssh and sftp logins of {member} on {host} are refused {FROM_UP}: its member file is "
            f"removed, and its keys file ({KEYS_DIR}/{member}) with it; its sessions open then go on (sshd checks "
            f"keys at login only: archiving it instead ends them), and {_space_stays(member, host, attr_old)}",
            *static,
        ]
    )


def _space_host(change: Change, then: Member, attr_old: Attribution) -> str:
    """The host a removed member's space command ran on."""
    return attr_old.host(change.old) if change.old is not None else then.host


def _space_stays(member: str, host: str, attr_old: Attribution) -> str:
    """That a removed member's account and space stay where its space command ran (its delete script removes
    platform files only: components.member_space)."""
    root = attr_old.members_root or "pic:members_root"
    return f"its unix account and its space ({root}/{member}: www/, priv/, db/, log/) stay on {host}"


def _space_kept(change: Change, member: str, attr_old: Attribution, attr_new: Attribution) -> str:
    """For a member file removed whose member lost no login (no key, or not active: :func:`_logins_refused` says
    nothing of its files then), that its account and space stay; ``""`` for any other change."""
    res = change.resource
    if change.kind != "remove" or res.name != f"{member}-space" or not res.type.startswith("command:"):
        return ""
    then, now = attr_old.members.get(member), attr_new.members.get(member)
    if then is None or now is not None or (then.status == "active" and then.access.sftp_keys):
        return ""
    return _space_stays(member, _space_host(change, then, attr_old), attr_old)


def _key_of(line: str) -> str:
    """A key as sshd tells keys apart: its type and data, without its comment."""
    return " ".join(line.split(" ", 2)[:2])


def _has_site_container(rendering: Rendering, member: str) -> bool:
    """Whether ``rendering`` runs a site container for ``member`` (components.member_site, PHP or static: its
    change tells what the site's visitors get, :func:`_site_gone`)."""
    return any(
        r.type == "docker:index/container:Container"
        and r.labels().get("pic.role") == "site"
        and r.labels().get("pic.member") == member
        for r in rendering
    )


def _site_unanswered(member: str, then: Member, now: Member | None, attr_old: Attribution) -> str:
    """What becomes of a site the front proxy answered 503 for with no container (its member suspended, or its
    runtime refused: components.front_proxy) once it is no longer served at all (the member archived, its file
    removed, its site dropped): no container goes to say it. ``""`` for a site with a container before (its
    removal says it), one not served before, and one still answered."""
    if then.site is None or then.status == "archived" or _has_site_container(attr_old.rendering, member):
        return ""
    why = (
        "its member file is removed"
        if now is None
        else f"{member} is archived"
        if now.status == "archived"
        else f"{member} has no site any more"
        if now.site is None
        else ""
    )
    if not why:
        return ""
    before = f"{member} is suspended" if then.status == "suspended" else "its runtime is not run"
    return (
        f"the site of {member}, which answered 503 with no container ({before}), is no longer served {FROM_UP}: {why}"
    )


def _dumps_stopped(then: Member, now: Member) -> str:
    """A suspended member archived: its databases, dumped every night while it was suspended (the backup account is
    not locked), are no longer dumped; its lock is unchanged, so no other line says it."""
    if then.status != "suspended" or now.status != "archived" or not now.databases:
        return ""
    names = ", ".join(d.name for d in now.databases)
    return (
        f"its database{'s' if len(now.databases) > 1 else ''} {names} "
        f"{'are' if len(now.databases) > 1 else 'is'} no longer dumped every night (the dumps made so far are kept)"
    )


def _sessions_ended(
    change: Change, member: str, attr_old: Attribution, attr_new: Attribution, renamed: dict[str, str] | None = None
) -> str:
    """The member's processes on its web host that its space command ends (components.member_space): its open
    ssh and sftp sessions when its shell or a key is taken away, all of them when it is no longer active (and,
    for a site the proxy answered 503 for with no container, that it is no longer served:
    :func:`_site_unanswered`; a suspended member archived, that its databases are no longer dumped); ``""`` when
    none is. ``renamed``: hosts renamed at the same addresses (old name -> new),
    the same machine, where the same account runs on."""
    res = change.resource
    old, new = attr_old.members.get(member), attr_new.members.get(member)
    if change.kind != "update" or res.name != f"{member}-space" or old is None or new is None:
        return ""
    if old.host != new.host and (renamed or {}).get(old.host) != new.host:
        return ""
    site = _site_unanswered(member, old, new, attr_old)
    if old.status != "active":
        return "; ".join(filter(None, [site, _dumps_stopped(old, new)]))
    if new.status != "active":
        return (
            f"every process of {member} on {new.host} ends {FROM_UP} (its open ssh and sftp sessions, "
            f"what it left running): {member} is {new.status}" + (f"; {site}" if site else "")
        )
    kept = {_key_of(k) for k in new.access.sftp_keys}
    removed = len({_key_of(k) for k in old.access.sftp_keys} - kept)
    why = [f"{removed} key{'s' if removed > 1 else ''} removed from access.sftp_keys"] if removed else []
    if old.access.ssh and not new.access.ssh:
        why.insert(0, "its shell removed (ssh: true no longer set)")
    if not why:
        return site
    return (
        f"the open ssh and sftp sessions of {member} on {new.host} end {FROM_UP}, all of them whichever "
        f"key opened them ({', '.join(why)}){'; its site runs on' if new.site is not None else ''}"
        + (f"; {site}" if site else "")
    )


def _locked_database(member: Member, name: str) -> Database | None:
    """The database of ``member`` whose lock command is named ``name``, if any."""
    return next((d for d in member.databases if database_lock(database_component(member.slug, d.short)) == name), None)


def _login_change(change: Change, member: str, attr_new: Attribution, attr_old: Attribution) -> str:
    """What adding or removing a member database's lock (MemberDatabase's ``<slug>-db-<short>-lock``) does to
    its user's logins: locked while the member is suspended or archived, unlocked when it is active again;
    ``""`` for any other change, and for a lock that leaves with its user (the member or the database removed,
    the user dropped)."""
    res = change.resource
    if change.kind not in ("add", "remove") or not res.type.startswith("command:"):
        return ""
    now = attr_new.members.get(member)
    if change.kind == "add":
        db = _locked_database(now, res.name) if now is not None and account_locked(now) else None
        if now is None or db is None:
            return ""
        kept = (
            "its database, grants and password stay as they are, and it is still dumped every night (the backup "
            "account is not locked)"
            if now.status == "suspended"
            else "its database, grants, password and dumps stay as they are (no new dump is made)"
        )
        return (
            f"the database user {db.user} is locked {FROM_UP} (ACCOUNT LOCK): {member} is {now.status}, "
            f"so phpMyAdmin and every client of the member are refused, pic-db-restore too; {kept}; setting "
            f"{member} active again unlocks it"
        )
    then = attr_old.members.get(member)
    db = _locked_database(then, res.name) if then is not None else None
    if db is None or now is None or account_locked(now) or db.short not in {d.short for d in now.databases}:
        return ""
    return (
        f"the database user {db.user} is unlocked {BY_UP}: {member} is active again, and phpMyAdmin "
        f"and its clients log in with its password, unchanged"
    )


USER = "mysql:index/user:User"


def _accounts_dropped(change: Change, member: str, attr_old: Attribution, attr_new: Attribution) -> str:
    """What removing a member database's user (MemberDatabase's ``<slug>-db-<short>-user-<web>``, one per web host
    address) does: who loses access to which database, the user's two grants (the member's, the backup account's)
    going with it, while the database and its tables stay (``protect`` and ``retain_on_delete``); ``""`` for any
    other change, and for an account the new program declares again (the same user at the same address: a host
    renamed). A suspended or archived member's users are kept, locked (:func:`_login_change`)."""
    res = change.resource
    if change.kind != "remove" or res.type != USER:
        return ""
    then = attr_old.members.get(member)
    found = (
        next((d for d in then.databases if res.name.startswith(f"{database_component(member, d.short)}-user-")), None)
        if then is not None
        else None
    )
    if then is None or found is None:
        return ""
    db, comp = found, database_component(member, found.short)
    web = res.name.removeprefix(f"{comp}-user-")
    user, client = res.inputs.get("user") or db.user, res.inputs.get("host") or ""
    again = any(
        r.type == USER and r.inputs.get("user") == user and r.inputs.get("host") == client for r in attr_new.rendering
    )
    if again:
        return ""
    head = (
        f"the database user {user} (from {client or 'its address'}, {web}) is dropped {BY_UP}, with its "
        f"grants on {db.name} (the member's and the backup account's)"
    )
    now = attr_new.members.get(member)
    if now is not None and db.short in {d.short for d in now.databases}:
        return (
            f"{head}: {web} is no longer a web host of the stack, so nothing connecting from {client or web} logs in "
            f"as {user} any more; the database {db.name}, its tables and its accounts for the other web hosts stay"
        )
    why = (
        f"the member file of {member} is removed"
        if now is None
        else f"{db.name} is no longer in `databases:` of {member}"
    )
    stay = (
        f"the database {db.name} and its tables stay on the db server (retained on delete), and its dumps and "
        f"credential files in the space of {member} stay"
    )
    if account_locked(then):
        # locked already (ACCOUNT LOCK, :func:`_login_change`): nothing logged in as it; a suspended member's
        # databases were still dumped (the backup account is not locked), an archived one's were not
        dumped = (
            "the backup account's grant goes with it, so it is no longer dumped every night"
            if then.status == "suspended"
            else "it was no longer dumped already"
        )
        site = f", its site {'answers 503' if then.status == 'suspended' else 'is not served'}" if then.site else ""
        line = (
            f"{head}: {why}; the user was locked already ({member} is {then.status}{site}), so no one loses an "
            f"access they had; {dumped}; {stay}"
        )
    else:
        who = f"the site of {member}, phpMyAdmin" if then.site is not None else "phpMyAdmin"
        line = (
            f"{head}: {why}, so {who} and every client of {member} lose access to it, and it is no longer dumped; "
            + stay
        )
    database = next((r for r in attr_old.rendering if r.type == DATABASE and r.name == f"{comp}-database"), None)
    if database is not None and database.protect and database.urn not in attr_new.rendering.resources:
        line += (
            "; `pulumi up` refuses this change while the database is protected (the refusal says what to do): the "
            "account goes once its protection is lifted"
        )
    if now is not None:
        line += _made_empty(member, db, then.databases, now.databases, attr_new.member_host.get(member) or web)
    return line


def _made_empty(
    member: str, gone: Database, before: tuple[Database, ...], after: tuple[Database, ...], host: str
) -> str:
    """What the dropped account's line adds when the member's ``databases:`` gains a name as it loses ``gone`` (a
    rename, as a reviewer reads ``[wiki]`` made ``[wiki2]``): the new database is made empty, nothing of ``gone``
    copied into it; how to carry its data (pic-db-restore of a dump of ``gone``), or keep the name. ``""`` when none
    is added."""
    had = {d.short for d in before}
    added = [d for d in after if d.short not in had]
    if not added:
        return ""
    names = ", ".join(d.name for d in added)
    one = len(added) == 1
    # one command for each database added, by its name, to copy as it is
    commands = ", ".join(
        f"`sudo pic-db-restore {member} {d.name} FILE`" + ("" if one else f" for {d.name}") for d in added
    )
    return (
        f"; {names}, added in this change, {'is a new database' if one else 'are new databases'}, made empty: "
        f"nothing of {gone.name} is copied into {'it' if one else 'them'} (a name changed in `databases:` moves no "
        f"data); to carry its data, load a dump of {gone.name} into {'it' if one else 'the one meant'} once "
        f'`pulumi up` has run (on {host}: {commands}, FILE its newest dump in db/ of {member}: README "An admin '
        f'restores"), or keep {gone.short} in `databases:`'
    )


def review(changes: list[Change], attr_new: Attribution, attr_old: Attribution) -> Review:
    shown: list[Shown] = []
    components: Counter[str] = Counter()
    renamed = _renamed_hosts(attr_old, attr_new)  # the same machine: its members do not move (told apart)
    for c in changes:
        if not c.resource.custom:
            components[c.kind] += 1
            continue
        member = attr_new.member(c.new) if c.new is not None else attr_old.member(c.resource)
        before = attr_old.host(c.old) if c.old is not None else None
        after = attr_new.host(c.new) if c.new is not None else None
        item = Shown(c, member, before, after)
        item.downtime = (
            _downtime(c, member, before, after, renamed)
            or _site_gone(c, member, attr_new)
            or _sessions_ended(c, member, attr_old, attr_new, renamed)
            or _lists_stopped(c, member, attr_new)
            or _cron_stopped(c, member, attr_old, attr_new)
            or _cron_jobs_removed(c, member, attr_old, attr_new)
            or _logins_refused(c, member, attr_old, attr_new)
            or _phpmyadmin_gone(c, attr_old, attr_new)
        )
        item.login = _login_change(c, member, attr_new, attr_old) or _accounts_dropped(c, member, attr_old, attr_new)
        item.kept = _space_kept(c, member, attr_old, attr_new)
        shown.append(item)
    refused = any(s.change.refused for s in shown)
    for s in shown:
        s.downtime, s.login = once_applied(s.downtime, refused), once_applied(s.login, refused)
    moves = {
        slug: (attr_old.member_host[slug], host)
        for slug, host in sorted(attr_new.member_host.items())
        if attr_old.member_host.get(slug)  # "" when a revision's stack file does not say where
        and attr_old.member_host[slug] != host
        and renamed.get(attr_old.member_host[slug]) != host
    }
    lost: list[HttpsLoss] = []
    pinned: list[HttpsPin] = []
    if attr_old is not attr_new:
        lost = https_losses(attr_old.rendering, attr_new.rendering, attr_new.site_domains)
        pinned = https_pins(attr_old.rendering, attr_new.rendering, attr_new.site_domains)
    reused = _uid_reused(attr_old, attr_new, renamed)
    by_default = frozenset(
        slug
        for slug in moves
        if slug in attr_new.members
        and attr_new.members[slug].spec.host is None
        and (slug not in attr_old.members or attr_old.members[slug].spec.host is None)
    )
    old_web = set(attr_old.settings.web_hosts) if attr_old.settings is not None else set()
    new_web = set(attr_new.settings.web_hosts) if attr_new.settings is not None else set()
    return Review(
        shown,
        components,
        moves,
        lost,
        frozenset(attr_new.member_host),
        _uid_changes(attr_old, attr_new),
        reused,
        _root_move(attr_old, attr_new),
        _handovers(attr_old, attr_new, {(u.held_by, u.slug) for u in reused if u.renamed}),
        _host_moves(attr_old, attr_new),
        _charset_changes(attr_old, attr_new),
        _retention_cuts(attr_old, attr_new),
        _lists_left(attr_old, attr_new),
        _sympa_domain_change(attr_old, attr_new),
        attr_old.unread if attr_old is not attr_new else (),
        frozenset(old_web - new_web - set(renamed)),
        frozenset(new_web - old_web - set(renamed.values())),
        by_default,
        _readdressed(attr_old, attr_new),
        renamed,
        _offsite_repository_change(attr_old, attr_new),
        _dkim_selector_change(attr_old, attr_new),
        _offsite_removed(attr_old, attr_new),
        dns_records_changes(attr_old.settings, attr_new.settings, attr_old.members, attr_new.members),
        _zoned_sites(attr_new, moves),
        _domains_served(attr_old, attr_new, refused),
        https_pinned=pinned,
        move_status={
            slug: (attr_old.members[slug].status, attr_new.members[slug].status)
            for slug in moves
            if slug in attr_old.members and slug in attr_new.members and attr_new.members[slug].status != "active"
        },
        local_hosts=frozenset(
            name
            for settings in (attr_old.settings, attr_new.settings)
            if settings is not None
            for name, host in settings.hosts.items()
            if host.connection == "local"
        ),
        when_active=_when_active(attr_old, attr_new),
        domains_reordered=_domains_reordered(attr_old, attr_new),
    )


def _served(m: Member | None) -> tuple[str, ...]:
    """The domains a member's site is served at by the proxy (an archived member's are not)."""
    return tuple(m.site.domains) if m is not None and m.site is not None and m.status != "archived" else ()


def _domains_served(attr_old: Attribution, attr_new: Attribution, refused: bool = False) -> list[DomainServed]:
    """The site domains served from this plan on by no member before, and those a member that keeps its site no
    longer serves and no other member takes (a domain given to another member is a handover, told apart; a site
    that goes whole is told with its container)."""
    old_settings, settings = attr_old.settings, attr_new.settings
    if attr_old is attr_new or settings is None or old_settings is None:
        return []
    before = {d for m in attr_old.members.values() for d in _served(m)}
    after = {d for m in attr_new.members.values() for d in _served(m)}
    out = []
    for slug in sorted(set(attr_old.members) | set(attr_new.members)):
        then, now = attr_old.members.get(slug), attr_new.members.get(slug)
        if now is None or now.site is None or now.status == "archived":
            continue
        if then is not None and then.site is not None:
            for domain in sorted(set(_served(then)) - after):
                out.append(
                    DomainServed(slug, domain, False, then.host, "", then.site.https, old_settings.tls.ca, (), refused)
                )
        for domain in sorted(set(now.site.domains) - before):
            zone = host_zone(settings, domain) or ""
            spec = settings.hosts.get(now.host)
            where = tuple(spec.published_addresses or [str(spec.address)]) if spec is not None else ()
            https, ca = now.site.https, settings.tls.ca
            out.append(DomainServed(slug, domain, True, now.host, zone, https, ca, where, refused))
    return out


def _zoned_sites(
    attr_new: Attribution, moves: dict[str, tuple[str, str]]
) -> dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    """The site domains of each member that moves that are inside the zones NSD serves, where ``pulumi up`` writes
    their address records from the new host's addresses (pic.render.dns.address_records), or none when that host
    has none the zone can give; and its other domains."""
    settings = attr_new.settings
    out: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}
    for slug in moves:
        m = attr_new.members.get(slug)
        if settings is None or m is None or m.site is None or m.status == "archived":
            continue
        zoned = tuple(d for d in m.site.domains if host_zone(settings, d))
        if not zoned:
            continue
        host = settings.hosts.get(m.host)
        led = host is not None and bool(host.published_addresses)
        others = tuple(d for d in m.site.domains if d not in zoned)
        out[slug] = (zoned, (), others) if led else ((), zoned, others)
    return out


def _readdressed(attr_old: Attribution, attr_new: Attribution) -> dict[str, tuple[str, str]]:
    """The web hosts in both settings reached at another address (``pic:hosts.<name>.address`` changed): what is
    run on them after ``pulumi up`` reaches the new address, which may be another machine."""
    old, new = attr_old.settings, attr_new.settings
    if old is None or new is None or old is new:
        return {}
    return {
        name: (str(old.hosts[name].address), str(new.hosts[name].address))
        for name in sorted(set(old.web_hosts) & set(new.web_hosts))
        if not same_address(str(old.hosts[name].address), str(new.hosts[name].address))
        and "local" not in (old.hosts[name].connection, new.hosts[name].connection)
    }


def _same_repository(a: str, b: str) -> bool:
    """One off-site repository, written alike or in restic's two sftp forms (``sftp:u@h:/p``, ``sftp://u@h//p``)."""
    if a == b:
        return True
    try:
        target_a, target_b = sftp_target(a), sftp_target(b)
    except ValueError:
        return False
    return target_a is not None and target_a == target_b


def _offsite_repository_change(attr_old: Attribution, attr_new: Attribution) -> OffsiteRepositoryChange | None:
    """``pic:backup.offsite.repository`` changed to another repository (not the same one written otherwise)."""
    old, new = attr_old.settings, attr_new.settings
    if old is None or new is None or old is new:
        return None
    before, after = old.backup.offsite, new.backup.offsite
    if before is None or after is None or _same_repository(before.repository, after.repository):
        return None
    return OffsiteRepositoryChange(before.repository, after.repository, tuple(sorted(old.hosts)))


def _offsite_removed(attr_old: Attribution, attr_new: Attribution) -> OffsiteRemoved | None:
    """``pic:backup.offsite`` set before this plan and not after it (the whole ``pic:backup`` removed included)."""
    old, new = attr_old.settings, attr_new.settings
    if old is None or new is None or old is new or old.backup.offsite is None or new.backup.offsite is not None:
        return None
    return OffsiteRemoved(old.backup.offsite.repository, tuple(sorted(old.hosts)))


def _signed_domains(settings: Settings, members: dict[str, Member]) -> dict[str, SignedDomain]:
    """The list domains Sympa signs for (pic.render.mail.list_domains: the main one, then every member's that is
    not archived), by name, with the zone of the platform that publishes their records, if any."""
    main = str(settings.mail.sympa_domain)
    out = {main: SignedDomain(main, "", settings.mail.dmarc, host_zone(settings, main) or "")}
    for slug, m in sorted(members.items()):
        if m.lists is not None and m.status != "archived":
            d = m.lists.domain
            out[d] = SignedDomain(d, slug, m.lists.dmarc, host_zone(settings, d) or "")
    return out


def _dkim_selector_change(attr_old: Attribution, attr_new: Attribution) -> DkimSelectorChange | None:
    """``pic:mail.dkim_selector`` changed: the list domains signed before and after this plan (a domain new in it
    has no record yet anyway, a domain gone is signed no more), and the archived members' kept keys."""
    old, new = attr_old.settings, attr_new.settings
    if old is None or new is None or old is new or old.mail.dkim_selector == new.mail.dkim_selector:
        return None
    before = _signed_domains(old, attr_old.members)
    # who published the former record is the revision's zones' matter, who publishes the new one the new zones'
    signed = tuple(
        dataclasses.replace(d, zone_before=before[name].zone)
        for name, d in _signed_domains(new, attr_new.members).items()
        if name in before
    )
    archived = sorted(m.lists.domain for m in attr_new.members.values() if m.lists and m.status == "archived")
    # Sympa's main domain changed in the same plan: its own change says the rest, this one the new selector
    main = (str(old.mail.sympa_domain), str(new.mail.sympa_domain))
    moved = main if main[0].lower().rstrip(".") != main[1].lower().rstrip(".") else None
    return DkimSelectorChange(old.mail.dkim_selector, new.mail.dkim_selector, signed, tuple(archived), moved)


def _retention_cuts(attr_old: Attribution, attr_new: Attribution) -> list[RetentionCut]:
    """Retention settings of the dumps and the off-site snapshots lowered."""
    old, new = attr_old.settings, attr_new.settings
    if old is None or new is None or old is new:
        return []
    out = []
    if new.backup.keep_days < old.backup.keep_days:
        out.append(RetentionCut("pic:backup.keep_days", old.backup.keep_days, new.backup.keep_days))
    before, after = old.backup.offsite, new.backup.offsite
    if before is not None and after is not None and _same_repository(before.repository, after.repository):
        for key in ("keep_daily", "keep_weekly", "keep_monthly", "keep_last"):
            if getattr(after, key) < getattr(before, key):
                out.append(RetentionCut(f"pic:backup.offsite.{key}", getattr(before, key), getattr(after, key)))
    return out


# Connection charsets that read what the former one stored unchanged: utf8mb4 holds utf8 (utf8mb3), and
# utf8 and utf8mb3 are one charset (MariaDB); ASCII is a part of every charset a member may choose
# (pic.charsets.DbCharset, all ASCII-compatible): from ascii, any of them reads the text alike.
_CHARSETS_READ_ALIKE = frozenset(
    [("utf8", "utf8mb4"), ("utf8mb3", "utf8mb4"), ("utf8", "utf8mb3"), ("utf8mb3", "utf8")]
    + [("ascii", c) for c in typing.get_args(charsets.DbCharset)]
)  # fmt: skip


def _charset_changes(attr_old: Attribution, attr_new: Attribution) -> list[CharsetChange]:
    """Databases of members that stay whose connection charset changes."""
    out = []
    for slug, member in sorted(attr_new.members.items()):
        former = attr_old.members.get(slug)
        if former is None or former is member:
            continue
        before = {db.short: db for db in former.databases}
        for db in member.databases:
            old = before.get(db.short)
            if old is not None and old.charset != db.charset and (old.charset, db.charset) not in _CHARSETS_READ_ALIKE:
                out.append(CharsetChange(slug, db.name, db.short, old.charset, db.charset))
    return out


def _renamed_hosts(attr_old: Attribution, attr_new: Attribution) -> dict[str, str]:
    """Hosts of the old settings found under another name in the new ones (:func:`renamed_hosts`)."""
    old, new = attr_old.settings, attr_new.settings
    if old is None or new is None or old is new:
        return {}
    return renamed_hosts(old, new)


def _held_by_host(
    attr_old: Attribution, attr_new: Attribution, name: str, words: tuple[str, str, str], now: str = ""
) -> str:
    """What host ``name`` holds for this plan, in ``words`` (the members that stay on it, under its name ``now``
    in the new settings, followed by their slugs; the databases; Sympa's), joined by "; "; ``""`` when nothing.
    A member that leaves the host in this plan is a move, told apart."""
    settings = attr_old.settings
    now = now or name
    slugs = sorted(s for s, host in attr_old.member_host.items() if host == name and attr_new.member_host.get(s) == now)
    held = [f"{words[0]} {', '.join(slugs)}"] if slugs else []
    if settings is not None and name == settings.db_host:
        held.append(words[1])
    if settings is not None and name == settings.mail_host:
        held.append(words[2])
    return "; ".join(held)


def _host_moves(attr_old: Attribution, attr_new: Attribution) -> list[HostMove]:
    """Hosts reached at another address that hold members' data, hosts renamed (the same machine: their
    resources are made anew under the new name), and Sympa moved to another web host."""
    old, new = attr_old.settings, attr_new.settings
    if old is None or new is None or old is new:
        return []
    out = []
    for name, other in _renamed_hosts(attr_old, attr_new).items():
        held = _held_by_host(
            attr_old, attr_new, name, ("the sites of", "the database host's resources", "Sympa's"), now=other
        )
        out.append(HostMove("pic:hosts", name, other, held or "the host's own", renamed=True))
    for name in sorted(set(old.hosts) & set(new.hosts)):
        before, after = old.hosts[name], new.hosts[name]
        if same_address(before.address, after.address) or "local" in (before.connection, after.connection):
            continue
        words = (
            "the spaces, sites, dumps and certificates of",
            "every member's databases",
            "Sympa's lists, subscribers and archives",
        )
        held = _held_by_host(attr_old, attr_new, name, words)
        if held:
            private = str(after.private_address)
            kept = private if same_address(str(before.private_address), private) else ""
            out.append(HostMove(f"pic:hosts.{name}.address", before.address, after.address, held, private_kept=kept))
    if old.mail_host != new.mail_host and not same_address(
        old.hosts[old.mail_host].address, new.hosts[new.mail_host].address
    ):
        lists = "Sympa's lists, subscribers, archives and spool"
        mail = HostSetting.mail(old, new)
        out.append(HostMove(mail.shown, old.mail_host, new.mail_host, lists, keep=mail.keep))
    # The db host under another name at another address (the role db given to another host): the databases are
    # made anew, empty, there (their replacement refused while protected), and stay on the machine left.
    if old.db_host != new.db_host and not same_address(old.hosts[old.db_host].address, new.hosts[new.db_host].address):
        out.append(HostMove("pic:hosts (role db)", old.db_host, new.db_host, "every member's databases"))
    return out


def _root_move(attr_old: Attribution, attr_new: Attribution) -> RootMove | None:
    """``pic:members_root`` changed while members that had a space under the old root stay."""
    old, new = attr_old.members_root, attr_new.members_root
    if not old or not new or old == new:
        return None
    by_host: dict[str, list[str]] = defaultdict(list)
    for slug in sorted(set(attr_old.member_host) & set(attr_new.member_host)):
        by_host[attr_old.member_host[slug]].append(slug)
    if not by_host:
        return None
    hosts = _host_order(list(by_host), attr_old.hosts)
    return RootMove(old, new, tuple((host, tuple(by_host[host])) for host in hosts))


def _lists_left(attr_old: Attribution, attr_new: Attribution) -> list[ListsLeft]:
    """List domains of members before this plan that no member declares after it (one that another member
    takes is a handover; one an archived member keeps is kept, with its lists and key; one an archived member
    drops, or an archived member removed, leaves the lists it kept for when it is active again)."""
    if attr_old is attr_new or attr_old.settings is None:
        return []
    declared = {m.lists.domain for m in attr_new.members.values() if m.lists}
    if attr_new.settings is not None:
        declared.add(str(attr_new.settings.mail.sympa_domain))  # Sympa's main domain now: told with its change
    held_before = {m.lists.domain: m.slug for m in attr_old.members.values() if m.lists}
    out = []
    for slug, former in sorted(attr_old.members.items()):
        if former.lists is None or former.lists.domain in declared:
            continue
        member = attr_new.members.get(slug)
        new_domain = member.lists.domain if member is not None and member.lists else ""
        out.append(
            ListsLeft(
                slug,
                former.lists.domain,
                attr_old.settings.mail_host,
                new_domain=new_domain,
                removed=member is None,
                archived=former.status == "archived",
                new_domain_of=held_before.get(new_domain, "") if new_domain else "",
                web=robot_web_url(str(attr_old.settings.mail.sympa_domain), former.lists.domain),
            )
        )
    return out


def _sympa_domain_change(attr_old: Attribution, attr_new: Attribution) -> SympaDomainChange | None:
    """``pic:mail.sympa_domain`` changed between the two settings."""
    old, new = attr_old.settings, attr_new.settings
    if old is None or new is None or old is new:
        return None
    before, after = str(old.mail.sympa_domain), str(new.mail.sympa_domain)
    if before.lower().rstrip(".") == after.lower().rstrip("."):
        return None
    robots = sorted(m.lists.domain for m in attr_new.members.values() if m.lists and m.status != "archived")
    taken_by = next((m.slug for m in attr_new.members.values() if m.lists and m.lists.domain == before), "")
    was_of = next((m.slug for m in attr_old.members.values() if m.lists and m.lists.domain == after), "")
    return SympaDomainChange(
        before,
        after,
        old.mail_host,
        new.mail_host,
        tuple(robots),
        old.mail.reports_mailbox,
        new.mail.reports_mailbox,
        old_taken_by=taken_by,
        new_was_of=was_of,
        reports_set=(old.mail.dmarc_reports is not None, new.mail.dmarc_reports is not None),
    )


def _handovers(attr_old: Attribution, attr_new: Attribution, renamed: set[tuple[str, str]]) -> list[DomainHandover]:
    """Site and list domains of a member that another takes over in this plan: a removed member's given to a
    new one, or a domain moved between members (a list domain takes Sympa's lists, subscribers and archives
    with it). A file renamed with its uid is left to the rename (UidReused), which says the same and more."""
    # Who holds each domain after the plan: one pass over the members, not one per pair (2,000 members).
    site_holder = {d: slug for slug, m in attr_new.members.items() if m.site for d in m.site.domains}
    list_holder = {m.lists.domain: slug for slug, m in attr_new.members.items() if m.lists}
    out = []
    for old_slug, former in sorted(attr_old.members.items()):
        takers: dict[str, tuple[list[str], str]] = {}
        for d in former.site.domains if former.site else ():
            slug = site_holder.get(d)
            if slug is not None and slug != old_slug:
                takers.setdefault(slug, ([], ""))[0].append(d)
        old_list = former.lists.domain if former.lists else ""
        slug = list_holder.get(old_list) if old_list else None
        if slug is not None and slug != old_slug:
            takers[slug] = (takers.get(slug, ([], ""))[0], old_list)
        for slug, (taken, list_domain) in sorted(takers.items()):
            if (old_slug, slug) in renamed:
                continue
            member = attr_new.members[slug]
            domains = tuple(d for d in (member.site.domains if member.site else ()) if d in taken)
            stays, new_member = old_slug in attr_new.members, slug not in attr_old.members
            out.append(
                DomainHandover(
                    old_slug,
                    slug,
                    domains,
                    list_domain,
                    file=_member_file(member.file),
                    old_file=_member_file(former.file),
                    host_before=attr_old.member_host.get(old_slug, NO_HOST),
                    host=attr_new.member_host.get(slug, NO_HOST),
                    uid_before=former.uid,
                    uid=member.uid,
                    databases_before=tuple(former.spec.databases),
                    same_association=new_member and not stays and _same_name_or_contact(former, member),
                    old_stays=stays,
                    new_is_new=new_member,
                    new_status=member.status,
                )
            )
    return out


def _uid_reused(attr_old: Attribution, attr_new: Attribution, renamed: dict[str, str] | None = None) -> list[UidReused]:
    """New slugs with a uid another slug held before: a member file renamed (the former slug gone, the
    same association: its name, its contact's address or a domain of its site), else a uid reused. ``renamed``:
    hosts renamed at the same addresses (old name -> new), the same machine."""
    holder = {uid: slug for slug, uid in attr_old.member_uid.items()}
    out = []
    for slug, uid in sorted(attr_new.member_uid.items()):
        was = holder.get(uid)
        if slug in attr_old.member_uid or was is None or was == slug:
            continue
        member, former = attr_new.members.get(slug), attr_old.members.get(was)
        kept = was in attr_new.member_uid
        out.append(
            UidReused(
                slug,
                uid,
                was,
                file=_member_file(member.file) if member is not None else f"{slug}.yaml",
                held_by_file=_member_file(former.file) if former is not None else f"{was}.yaml",
                host=attr_new.member_host.get(slug, NO_HOST),
                host_before=attr_old.member_host.get(was, NO_HOST),
                same_machine=(renamed or {}).get(attr_old.member_host.get(was, "")) == attr_new.member_host.get(slug),
                renamed=not kept and _same_association(former, member),
                held_by_kept=kept,
                databases_before=tuple(former.spec.databases) if former is not None else (),
                databases=tuple(member.spec.databases) if member is not None else (),
            )
        )
    return out


def _same_association(a: Member | None, b: Member | None) -> bool:
    """Whether two member files are one association's: the same name, contact address or a site domain."""
    if a is None or b is None:
        return False
    domains = set(a.site.domains if a.site else ()) & set(b.site.domains if b.site else ())
    return _same_name_or_contact(a, b) or bool(domains)


def _same_name_or_contact(a: Member, b: Member) -> bool:
    """The same name written alike (pic.crosschecks.name_key: as pic check warns of it), or the same address."""
    same_name = name_key(a.spec.name) == name_key(b.spec.name)
    return same_name or a.spec.contact.email.casefold() == b.spec.contact.email.casefold()


def _uid_changes(attr_old: Attribution, attr_new: Attribution) -> list[UidChange]:
    """Members in both revisions (the same slug) whose uid differs: changed, or swapped with another's."""
    before = attr_old.member_uid
    holder = {uid: slug for slug, uid in before.items()}
    out = []
    for slug, uid in sorted(attr_new.member_uid.items()):
        old = before.get(slug)
        if old is None or old == uid:
            continue
        member, was = attr_new.members.get(slug), attr_old.members.get(slug)
        # the address is a running site container's (none while suspended, archived or refused): the relay's key
        runs = _has_site_container(attr_new.rendering, slug)
        has_site = member is not None and was is not None and runs
        out.append(
            UidChange(
                slug,
                old,
                uid,
                file=_member_file(member.file) if member is not None else f"{slug}.yaml",
                host=attr_new.member_host.get(slug, NO_HOST),
                held_by=holder.get(uid, ""),
                site_before=site_address(was) if has_site and was is not None else "",
                site_after=site_address(member) if has_site and member is not None else "",
                container=runs,
                dumps=member is not None and member.status != "archived" and bool(member.databases),
                relay=runs and member is not None and bool(running_senders([member])),
                status=member.status if member is not None else "active",
            )
        )
    return out


def _member_file(file: str) -> str:
    """A member file as ``members/<slug>.yaml``: its directory's name and its own."""
    path = PurePath(file)
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def rename_note(
    old: str,
    new: str,
    uid: int,
    *,
    databases_before: tuple[str, ...] = (),
    databases_after: tuple[str, ...] = (),
    refusal: str = "",
) -> str:
    """Why a member's slug cannot change, and what this plan would do instead, by what the members have."""
    n = len(databases_before)
    gone = (
        f"its database{'s' if n != 1 else ''} refused, as protected, its account and files left on the host"
        if n
        else "its account and files left on the host"
    )
    empty = "empty databases and space" if databases_after else "an empty space"
    refused = f" The host refuses it: {refusal}." if refusal else ""
    return (
        f"{old} -> {new} (uid {uid}): a slug cannot be renamed. It is the member's unix account and group"
        + (", the prefix of its databases" if n or databases_after else "")
        + f" and the name of its resources: this plan removes the first member ({gone}) and makes the second "
        f"from nothing, with {empty}, on a host where the uid {uid} still owns the former account.{refused} "
        "Keep the file's name (the association's name is `name:`)"
    )


def _detail_lines(s: Shown) -> list[str]:
    c = s.change
    lines = []
    if c.kind == "replace":
        order = f"deleted first ({c.delete_first}), then created" if c.delete_first else "created first, then deleted"
        lines.append(f"forces a new resource, {order}: {'; '.join(c.reasons)}")
    if c.provider_change is not None:
        lines.append(f"provider: {_short_urn(c.provider_change[0])} -> {_short_urn(c.provider_change[1])}")
    if c.renamed_from:
        lines.append(f"renamed from {c.renamed_from} (an alias: the same resource, kept in the state)")
    for ic in c.inputs:
        lines.extend(describe(ic))
    lines.extend(f"option {o}" for o in c.options)
    if s.downtime:
        lines.append(f"downtime: {s.downtime}")
    if s.login:
        lines.append(f"login: {s.login}")
    if s.note:
        lines.append(f"note: {s.note}")
    if c.stateful:
        lines.append(f"!!! STATEFUL: {c.stateful}")
    if c.refused:
        lines.append(f"!!! REFUSED: {c.refused}")
    return lines


def _short_urn(urn: str) -> str:
    return urn.rsplit("::", 1)[-1] if urn else "(default provider)"


def _change_line(s: Shown) -> str:
    res = s.change.resource
    return f"{_MARK[s.change.kind]:>2} {s.change.kind:<7} {res.short_type:<24} {res.name}  ({s.host})"


def change_lines(r: Review) -> list[str]:
    lines: list[str] = []
    for member, items in r.by_member().items():
        kinds: Counter[str] = Counter(s.change.kind for s in items)
        move = f" moves {r.moves[member][0]} -> {r.moves[member][1]}" if member in r.moves else ""
        uid = next((u for u in r.uid_changes if u.slug == member), None)
        reused = next((u for u in r.uid_reused if u.slug == member), None)
        refused = (
            f"  !!! REFUSED by the host: uid {uid.old} -> {uid.new} (below)"
            if uid
            else f"  !!! REFUSED by the host: uid {reused.uid}, the uid of {reused.held_by} before (below)"
            if reused
            else ""
        )
        taken = [h for h in r.handovers if h.new == member]
        if taken:
            held = ", ".join(f"{', '.join(h.all_domains)} from {h.old}" for h in taken)
            refused += f"  !!! STATEFUL: takes {held}, whose data is not carried over (below)"
        lines.append(f"{member}{move}: {_kind_counts(kinds)}{refused}")
        for s in items:
            lines.append("  " + _change_line(s))
            lines.extend(f"         {line}" for line in _detail_lines(s))
    return lines


def _kind_counts(kinds: Counter[str]) -> str:
    return ", ".join(f"{kinds[k]} to {k}" for k in KINDS if kinds[k]) or "no change"


def summary_line(r: Review) -> str:
    kinds = r.counts()
    text = (
        f"{kinds['add']} to add, {kinds['update']} to update, {kinds['replace']} to replace, "
        + (f"{kinds['rename']} to rename (aliases), " if kinds["rename"] else "")
        + f"{kinds['remove']} to remove (resources, as listed)"
    )
    comp = r.components
    if comp:
        text += "; components besides: " + ", ".join(f"{comp[k]} to {k}" for k in ("add", "remove") if comp[k])
    return text


def as_text(
    rendering: Rendering,
    attr: Attribution,
    *,
    header: str,
    changes: list[Change] | None = None,
    attr_old: Attribution | None = None,
    against: str = "",
    names_refused: bool = False,
) -> str:
    """The plan as text. ``names_refused``: the caller refuses a removed member's slug or uid given in this plan
    (pic.plan.command), so the plan never reads as one that puts nothing stateful at stake."""
    c = counts(rendering, attr)
    lines = [
        header,
        f"{plural(c['custom'], 'resource')} ({plural(c['components'], 'component')} besides), "
        f"{plural(len([m for m in c['by_member'] if m != PLATFORM]), 'member')} with resources",
        "",
    ]
    lines += listing(rendering, attr, full=changes is None)
    if rendering.warnings:
        lines += ["", "program warnings:", *(f"  {w}" for w in rendering.warnings)]
    if changes is not None:
        r = review(changes, attr, attr_old or attr)
        lines += ["", f"changes against {against}:"]
        lines += change_lines(r) or ["  none"]
        lines += ["", summary_line(r)]
        for slug, (before, after) in r.moves.items():
            lines.append(f">>> {slug} moves from {before} to {after}: {r.move_advice(slug)}")
        lines += [f">>> refused: {first}" for first in _refused_first(r)]
        for s in r.shown:
            if s.downtime:
                lines.append(f">>> downtime: {s.change.resource.name}: {s.downtime}")
        lines += [f">>> login: {s.change.resource.name}: {s.login}" for s in r.shown if s.login]
        lines += _text_member_notes(r)
        lines += [f">>> renamed: {u.note()}" for u in r.renames]
        lines += [f">>> uid changed: {u.note()}" for u in r.uid_changes]
        lines += [f">>> uid reused: {u.note()}" for u in r.uid_reused if not u.renamed]
        if r.root_move is not None:
            lines.append(f">>> members_root: {r.root_move.note()}")
        lines += [f">>> moved: {hm.note()}" for hm in r.host_moves]
        lines += [f">>> charset: {cc.note()}" for cc in r.charset_changes]
        lines += [f">>> retention: {rc.note()}" for rc in r.retention_cuts]
        lines += [f">>> handed over: {h.note()}" for h in r.handovers]
        lines += [f">>> lists left: {ll.note()}" for ll in r.lists_left]
        lines += [f">>> sympa_domain: {sd.note()}" for sd in (r.sympa_domain,) if sd is not None]
        lines += [f">>> offsite: {oc.note()}" for oc in (r.offsite_repository, r.offsite_removed) if oc is not None]
        lines += _text_https(r)
        lines += _text_records(r)
        at_stake = r.stateful
        if at_stake:
            lines += [
                "",
                f"!!! {len(at_stake)} change{'s' if len(at_stake) != 1 else ''} "
                "would delete, replace or unprotect something stateful:",
            ]
            for s in at_stake:
                res = s.change.resource
                lines.append(f"!!!   {s.change.kind} {res.type} {res.name} ({s.change.stateful})")
        if r.uid_changes:
            n = len(r.uid_changes)
            lines += [
                "",
                f"!!! {n} member{'s' if n != 1 else ''} would change uid, the unix identity that owns "
                f"{'their' if n != 1 else 'its'} files on the host:",
            ]
            lines += [f"!!!   uid {u.slug} {u.old} -> {u.new} ({u.host})" for u in r.uid_changes]
        if r.uid_reused:
            n = len(r.uid_reused)
            lines += [
                "",
                f"!!! {n} member{'s' if n != 1 else ''} would take the uid another member held before, the unix "
                "identity that owns its files on the host:",
            ]
            lines += [f"!!!   uid {u.slug} {u.uid} ({u.host}): {_held(u)}" for u in r.uid_reused]
        lines += _text_left_behind(r)
        lines += _text_unread(r)
        if not at_stake and not r.refused_by_host and not r.data_left_behind and not r.unread and not names_refused:
            lines.append("nothing stateful is deleted or replaced")
        lines += _text_refusals(r)
        lines += _text_uid_refusals(r)
    return "\n".join(lines) + "\n"


def _text_member_notes(r: Review) -> list[str]:
    """What a member's change does beyond its resources' lines: domains served or not, domains reordered,
    changes applied once the member is active again."""
    lines = [f">>> domain: {ds.member}: {ds.note()}" for ds in r.domains_served]
    lines += [f">>> domains reordered: {dr.note()}" for dr in r.domains_reordered]
    return lines + [f">>> when active again: {wa.note()}" for wa in r.when_active]


def _text_records(r: Review) -> list[str]:
    """The DNS records to publish: the DKIM selector's, then every other setting's (warnings)."""
    lines = []
    if r.dkim_selector is not None:
        lines += [f">>> dkim_selector: {r.dkim_selector.note()}", f"      what to do: {r.dkim_selector.advice}"]
    for rec in r.dns_records:
        lines += [f">>> dns records: {rec.note()}", f"      what to do: {rec.advice}"]
    return lines


UNREAD_NOTE = (
    "files of the revision that the working tree's rules cannot read (a later check, an older contract): what "
    "they held is not compared, so a uid changed, a database's charset, lists left behind, a domain handed "
    "over, a member moved, a host or Sympa moved, Sympa's main domain changed, a retention lowered, the off-site "
    "repository changed or removed, the DKIM selector changed or a setting of the DNS records others publish "
    "changed there (the mail exchanger, the DMARC reports' mailbox or a policy, the zones or their name servers) "
    "is not told"
)
UNREAD_ADVICE = (
    "compare those files with the working tree's by hand (git diff REV -- FILE), or compare with a revision "
    "whose files the working tree's rules read"
)


def _text_unread(r: Review) -> list[str]:
    if not r.unread:
        return []
    return ["", f"!!! UNREAD: {UNREAD_NOTE}:", *(f"!!!   {u}" for u in r.unread), f"      what to do: {UNREAD_ADVICE}"]


def _text_left_behind(r: Review) -> list[str]:
    """The members' data the new program no longer serves from where it is: stateful, with what to do."""
    lines: list[str] = []
    move = r.root_move
    if move is not None:
        n = move.members
        lines += [
            "",
            f"!!! STATEFUL: pic:members_root changes ({move.old} -> {move.new}): the data of {n} "
            f"member{'s' if n != 1 else ''} stays under {move.old}, the new spaces are empty and the sites "
            "are served from them:",
        ]
        lines += [f"!!!   {host}: {', '.join(slugs)}" for host, slugs in move.by_host]
        lines.append(f"      what to do: {move.advice}")
    for hm in r.host_moves:
        lines += ["", f"!!! STATEFUL: {hm.note()}", f"      what to do: {hm.advice}"]
    for cc in r.charset_changes:
        lines += ["", f"!!! STATEFUL: {cc.note()}", f"      what to do: {cc.advice}"]
    for rc in r.retention_cuts:
        lines += ["", f"!!! STATEFUL: {rc.note()}", f"      what to do: {rc.advice}"]
    for ll in r.lists_left:
        lines += ["", f"!!! STATEFUL: {ll.note()}", f"      what to do: {ll.advice}"]
    if r.sympa_domain is not None:
        lines += ["", f"!!! STATEFUL: {r.sympa_domain.note()}", f"      what to do: {r.sympa_domain.advice}"]
    for oc in (r.offsite_repository, r.offsite_removed):
        if oc is not None:
            lines += ["", f"!!! STATEFUL: {oc.note()}", f"      what to do: {oc.advice}"]
    if r.handovers:
        lines += [
            "",
            "!!! STATEFUL: domains go from one member to another, whose space does not hold the former one's "
            "data: its files, databases and keys are not carried over (a list domain takes its lists along):",
        ]
        for h in r.handovers:
            was, now = ("kept" if h.old_stays else "removed"), ("new" if h.new_is_new else "existing")
            lines += [
                f"!!!   {', '.join(h.all_domains)}: {h.old} ({was}) -> {h.new} ({now})",
                f"      what to do: {h.advice}",
            ]
    return lines


REFUSED_RULE = "it never deletes or replaces a protected resource"
REFUSED_EFFECT = (
    "its preview fails, so nothing of the change is applied (with --skip-preview, the steps before the refused one are)"
)


# Said before the effects of a plan that `pulumi up` refuses (the effects are told ONCE_APPLIED).
REFUSED_FIRST = (
    "`pulumi up` refuses this change as it stands (the refusals are listed with what to do), so nothing of it is "
    f"applied: the effects below happen {ONCE_APPLIED}"
)


def _refused_first(r: Review) -> list[str]:
    """:data:`REFUSED_FIRST`, said before the effects of a plan that `pulumi up` refuses; none when it refuses
    nothing or no effect is told."""
    told = any(s.downtime or s.login for s in r.shown) or bool(r.domains_served)
    return [REFUSED_FIRST] if r.refused and told else []


def _refused_count(r: Review) -> str:
    n = len(r.refused)
    return f"{n} change{'s' if n != 1 else ''}"


def _text_refusals(r: Review) -> list[str]:
    if not r.refused:
        return []
    head = f"pulumi up will refuse {_refused_count(r)} of this plan and stop there"
    lines = ["", f"!!! {head}: {REFUSED_RULE}; {REFUSED_EFFECT}:"]
    for group in r.refusals():
        listed = ", ".join(f"{s.change.kind} {s.change.resource.name}" for s in group.shown)
        lines.append(f"!!! refused: {group.member}: {listed}")
        lines += [f"      what to do: {group.keep}", f"      {group.unprotect_first}:"]
        lines += [f"        {command}" for command in group.unprotect()]
        if group.retained:
            lines.append(f"      {group.retained}")
    return lines


UID_RULE = "a member's uid never changes: the space script stops on the host (user or group exists with another id)"
UID_REUSED_RULE = (
    "a uid stays with its slug: the former account and group keep it on the host, and the new slug's space "
    "script stops there (groupadd: GID already exists)"
)


def _held(u: UidReused) -> str:
    how = "its file renamed" if u.renamed else "kept with another uid" if u.held_by_kept else "removed"
    return f"the uid of {u.held_by} before ({how})"


def _uids_given(n: int) -> str:
    return f"{n} uid{'s' if n != 1 else ''} given to another slug"


def _text_uid_refusals(r: Review) -> list[str]:
    lines: list[str] = []
    if r.uid_changes:
        n = len(r.uid_changes)
        lines += ["", f"!!! the hosts will refuse {n} uid change{'s' if n != 1 else ''} of this plan: {UID_RULE}:"]
        for u in r.uid_changes:
            held = f" (the uid of {u.held_by} before)" if u.held_by else ""
            lines += [f"!!! refused: {u.slug}: uid {u.old} -> {u.new}{held}", f"      what to do: {u.advice}"]
    if r.uid_reused:
        lines += ["", f"!!! the hosts will refuse {_uids_given(len(r.uid_reused))} in this plan: {UID_REUSED_RULE}:"]
        for reused in r.uid_reused:
            lines += [
                f"!!! refused: {reused.slug}: uid {reused.uid}, {_held(reused)}",
                f"      what to do: {reused.advice}",
            ]
    return lines


def as_markdown(
    rendering: Rendering,
    attr: Attribution,
    *,
    title: str,
    changes: list[Change] | None,
    attr_old: Attribution | None = None,
    names_refused: bool = False,
) -> str:
    """The plan as a pull-request comment: stateful changes first, a summary table by member and host,
    then the details of each member in a collapsible block. ``title`` is Markdown (its values escaped by the
    caller, pic.markdown); every value written here is escaped or fenced. ``names_refused`` as for
    :func:`as_text`."""
    out = [f"### {title}", ""]
    if changes is None:
        c = counts(rendering, attr)
        out += [
            f"{plural(c['custom'], 'resource')} ({plural(c['components'], 'component')} besides), no revision to "
            "compare with.",
            "",
        ]
        out += ["| host | member | resources |", "|---|---|---:|"]
        groups = grouped(rendering, attr)
        for host in _host_order(list(groups), attr.hosts):
            for member in _member_order(list(groups[host])):
                out.append(f"| {cell(text(host))} | {cell(text(member))} | {len(groups[host][member])} |")
        return "\n".join(out) + "\n"
    r = review(changes, attr, attr_old or attr)
    out += [f"**{summary_line(r)}**", "", *_markdown_refused(r), *_markdown_uid_refused(r)]
    out += _markdown_at_stake(r, names_refused=names_refused)
    if not r.shown:
        return "\n".join([*out, "No change."]) + "\n"
    out += _markdown_table(r)
    for member, items in r.by_member().items():
        # An HTML block: its text is HTML, escaped as such (Markdown's backslashes are not read there).
        move = f" ({html_escape(r.moves[member][0])} → {html_escape(r.moves[member][1])})" if member in r.moves else ""
        at_stake = {u.slug for u in r.uid_changes} | {u.slug for u in r.uid_reused} | {h.new for h in r.handovers}
        flag = " :warning:" if member in at_stake or any(s.change.stateful for s in items) else ""
        kinds: Counter[str] = Counter(s.change.kind for s in items)
        out += [f"<details><summary><b>{html_escape(member)}</b>{move}: {_kind_counts(kinds)}{flag}</summary>", ""]
        block: list[str] = []
        for s in items:
            res = s.change.resource
            block.append(f"{_diff_mark(s.change.kind)}{s.change.kind:<7} {res.short_type:<24} {res.name}  ({s.host})")
            block.extend(f"        {line}" for line in _detail_lines(s))
        out += [*fenced(block, "diff"), "", "</details>", ""]
    return "\n".join(out)


def _markdown_refused(r: Review) -> list[str]:
    if not r.refused:
        return []
    out = [f"#### :no_entry: `pulumi up` will refuse {_refused_count(r)} and stop there", ""]
    out += [f"{REFUSED_RULE[0].upper()}{REFUSED_RULE[1:]}: {REFUSED_EFFECT}.", ""]
    for group in r.refusals():
        listed = ", ".join(f"{s.change.kind} {code(s.change.resource.name)}" for s in group.shown)
        out += [
            f"- **{text(group.member)}**: {listed}",
            f"  - what to do: {prose(group.keep)}",
            f"  - {prose(group.unprotect_first)}:",
        ]
        out += [f"    - {code(command)}" for command in group.unprotect()]
        if group.retained:
            out.append(f"  - {prose(group.retained)}")
    return [*out, ""]


def _markdown_uid_refused(r: Review) -> list[str]:
    out: list[str] = []
    if r.uid_changes:
        n = len(r.uid_changes)
        out += [f"#### :no_entry: The hosts will refuse {n} uid change{'s' if n != 1 else ''}", ""]
        out += [f"{UID_RULE[0].upper()}{UID_RULE[1:]}.", ""]
        for u in r.uid_changes:
            out += [f"- {prose(u.note())}.", f"  - what to do: {prose(u.advice)}"]
        out.append("")
    if r.uid_reused:
        out += [f"#### :no_entry: The hosts will refuse {_uids_given(len(r.uid_reused))}", ""]
        out += [f"{UID_REUSED_RULE[0].upper()}{UID_REUSED_RULE[1:]}.", ""]
        for reused in r.uid_reused:
            out += [
                f"- **{text(reused.slug)}**: uid {reused.uid}, {prose(_held(reused))}: {prose(reused.refusal())}.",
                f"  - what to do: {prose(reused.advice)}",
            ]
        out.append("")
    return out


def _markdown_at_stake(r: Review, *, names_refused: bool = False) -> list[str]:
    out: list[str] = []
    if r.stateful:
        out += [f"#### :warning: {len(r.stateful)} stateful change{'s' if len(r.stateful) != 1 else ''}", ""]
        out += ["| change | resource | member | host | at stake |", "|---|---|---|---|---|"]
        for s in r.stateful:
            res = s.change.resource
            cells = (code(res.name) + f" ({res.short_type})", text(s.member), text(s.host), prose(s.change.stateful))
            out.append(f"| {s.change.kind} | {' | '.join(cell(c) for c in cells)} |")
        out.append("")
    elif not r.refused_by_host and not r.data_left_behind and not r.unread and not names_refused:
        out += ["Nothing stateful is deleted or replaced.", ""]
    if r.unread:
        out += ["#### :warning: Files of the revision not read", "", f"{UNREAD_NOTE[0].upper()}{UNREAD_NOTE[1:]}:", ""]
        out += [f"- {prose(u)}" for u in r.unread]
        out += ["", f"What to do: {UNREAD_ADVICE}.", ""]
    out += _markdown_left_behind(r)
    out += [line for first in _refused_first(r) for line in (f"{first[0].upper()}{first[1:]}.", "")]
    if r.moves or any(s.downtime for s in r.shown):
        out += ["#### Moves and downtime", ""]
        for slug, (before, after) in r.moves.items():
            out.append(f"- **{text(slug)}** moves from {text(before)} to {text(after)}: {prose(r.move_advice(slug))}.")
        out += [f"- {code(s.change.resource.name)}: {prose(s.downtime)}" for s in r.shown if s.downtime]
        out.append("")
    if any(s.login for s in r.shown):
        out += ["#### Database logins locked, unlocked or dropped", ""]
        out += [f"- {code(s.change.resource.name)}: {prose(s.login)}" for s in r.shown if s.login]
        out.append("")
    out += _markdown_member_notes(r)
    if r.renames:
        out += ["#### :warning: A member file renamed", ""]
        out += [f"- {prose(u.note())}." for u in r.renames]
        out.append("")
    out += _markdown_https(r)
    dk = r.dkim_selector
    if dk is not None:
        selectors = f"({text(dk.old)} → {text(dk.new)})"
        out += [f"#### :warning: `pic:mail.dkim_selector` changes {selectors}: DKIM records to publish", ""]
        out += _markdown_said(dk.note(), dk.advice)
    for rec in r.dns_records:
        out += [f"#### :warning: {prose(rec.heading)}", ""]
        out += _markdown_said(rec.note(), rec.advice)
    return out


def _markdown_member_notes(r: Review) -> list[str]:
    """The sections of :func:`_text_member_notes`, each with its heading."""
    out: list[str] = []
    if r.domains_served:
        out += ["#### Domains served or no longer served", ""]
        out += [f"- **{text(ds.member)}**: {prose(ds.note())}." for ds in r.domains_served]
        out.append("")
    if r.domains_reordered:
        out += ["#### Site domains in another order", ""]
        out += [f"- {prose(dr.note())}." for dr in r.domains_reordered]
        out.append("")
    if r.when_active:
        out += ["#### Changes applied only when the member is active again", ""]
        out += [f"- **{text(wa.member)}**: {prose(wa.note())}." for wa in r.when_active]
        out.append("")
    return out


def _markdown_left_behind(r: Review) -> list[str]:
    out: list[str] = []
    move = r.root_move
    if move is not None:
        out += [f"#### :warning: Stateful: `pic:members_root` changes ({code(move.old)} → {code(move.new)})", ""]
        out += _markdown_said(move.note(), move.advice)
    for hm in r.host_moves:
        out += [
            f"#### :warning: Stateful: {prose(named_setting(hm.what))} changes ({text(hm.old)} → {text(hm.new)})",
            "",
        ]
        out += _markdown_said(hm.note(), hm.advice)
    for cc in r.charset_changes:
        what = f"the charset of {text(cc.database)} changes ({text(cc.old)} → {text(cc.new)})"
        out += [f"#### :warning: Stateful: {what}", ""]
        out += _markdown_said(cc.note(), cc.advice)
    for rc in r.retention_cuts:
        out += [f"#### :warning: Stateful: {code(rc.setting)} lowered ({text(str(rc.old))} → {text(str(rc.new))})", ""]
        out += _markdown_said(rc.note(), rc.advice)
    for ll in r.lists_left:
        out += [f"#### :warning: Stateful: the lists of {text(ll.domain)} are left behind", ""]
        out += _markdown_said(ll.note(), ll.advice)
    sd = r.sympa_domain
    if sd is not None:
        out += [f"#### :warning: Stateful: `pic:mail.sympa_domain` changes ({text(sd.old)} → {text(sd.new)})", ""]
        out += _markdown_said(sd.note(), sd.advice)
    oc = r.offsite_repository
    if oc is not None:
        out += [
            f"#### :warning: Stateful: `pic:backup.offsite.repository` changes ({code(oc.old)} → {code(oc.new)})",
            "",
        ]
        out += _markdown_said(oc.note(), oc.advice)
    off = r.offsite_removed
    if off is not None:
        out += [f"#### :warning: Stateful: `pic:backup.offsite` removed ({code(off.repository)})", ""]
        out += _markdown_said(off.note(), off.advice)
    if r.handovers:
        out += ["#### :warning: Stateful: domains go from one member to another", ""]
        for h in r.handovers:
            out += [f"- {prose(h.note())}", f"  - what to do: {prose(h.advice)}"]
        out.append("")
    return out


def _markdown_said(note: str, advice: str) -> list[str]:
    """A section's note and what to do, as paragraphs of escaped prose."""
    return [f"{prose(note)}.", "", f"What to do: {prose(advice)}.", ""]


def _markdown_table(r: Review) -> list[str]:
    # The rename column (resources kept through an alias) only when a change renames something.
    kinds = [k for k in KINDS if k != "rename" or r.counts()["rename"]]
    out = [
        "#### By member and host",
        "",
        "| member | host | " + " | ".join(kinds) + " |",
        "|---|---|" + "---:|" * len(kinds),
    ]
    table: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for s in r.shown:
        table[(s.member, s.host)][s.change.kind] += 1
    for (member, host), counted in sorted(table.items(), key=lambda kv: (kv[0][0] != PLATFORM, kv[0])):
        cells = " | ".join(str(counted[k] or "") for k in kinds)
        out.append(f"| {cell(text(member))} | {cell(text(host))} | {cells} |")
    return [*out, ""]


def _diff_mark(kind: str) -> str:
    """A first column GitHub-style diff highlighting colours: + green, - red, ! orange."""
    return {"add": "+ ", "remove": "- ", "replace": "! ", "update": "! ", "rename": "  "}[kind]


def _resource_json(res: Resource, attr: Attribution) -> dict[str, Any]:
    return {
        "urn": res.urn,
        "type": res.type,
        "name": res.name,
        "member": attr.member(res),
        "host": attr.host(res),
        "protect": res.protect,
        "retain_on_delete": res.retain_on_delete,
        "inputs": {k: _json_value(v) for k, v in sorted(res.inputs.items()) if not k.startswith("__")},
    }


def _json_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "[secret]" in value:
            return "[secret]"
        if "[unknown]" in value:
            return None
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _publisher(zone: str, holder: str) -> str:
    """Who publishes a record, for json: ``pulumi up`` (in a zone of the platform), ``admins`` or a member's slug."""
    return "pulumi up" if zone else holder or "admins"


def as_json(
    rendering: Rendering,
    attr: Attribution,
    *,
    meta: dict[str, Any],
    changes: list[Change] | None = None,
    attr_old: Attribution | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        **meta,
        "counts": counts(rendering, attr),
        "resources": [_resource_json(r, attr) for r in rendering if r.custom],
        "warnings": rendering.warnings,
    }
    if changes is not None:
        r = review(changes, attr, attr_old or attr)
        out = []
        for items in r.by_member().values():
            for s in items:
                ch = s.change
                out.append(
                    {
                        "kind": ch.kind,
                        "urn": ch.urn,
                        "type": ch.resource.type,
                        "name": ch.resource.name,
                        "member": s.member,
                        "host": s.host_after or s.host_before,
                        "host_before": s.host_before,
                        "host_after": s.host_after,
                        "inputs": [
                            {
                                "key": ic.key,
                                "old": ic.shown[0] if ic.shown else json_text(ic.old),
                                "new": ic.shown[1] if ic.shown else json_text(ic.new),
                                "forces_replace": ic.forces_replace,
                                "lines": describe(ic),
                            }
                            for ic in ch.inputs
                        ],
                        "options": ch.options,
                        "replace_reasons": ch.reasons,
                        "delete_first": ch.delete_first or None,
                        "downtime": s.downtime or None,
                        "login": s.login or None,
                        "stateful": ch.stateful or None,
                        "note": s.note or None,
                        "renamed_from": ch.renamed_from or None,
                        "refused": ch.refused or None,
                    }
                )
        data["changes"] = out
        data["summary"] = {**{k: r.counts()[k] for k in KINDS}}
        data["components_changed"] = dict(r.components)
        data["moves"] = {slug: {"from": a, "to": b, "advice": r.move_advice(slug)} for slug, (a, b) in r.moves.items()}
        data["renamed"] = {u.held_by: {"to": u.slug, "uid": u.uid, "note": u.note()} for u in r.renames}
        data["uid_changed"] = {
            u.slug: {
                "from": u.old,
                "to": u.new,
                "held_by": u.held_by or None,
                "host": u.host,
                "site_address": {"from": u.site_before, "to": u.site_after} if u.site_after else None,
                "note": u.note(),
                "advice": u.advice,
            }
            for u in r.uid_changes
        }
        data["uid_reused"] = {
            u.slug: {
                "uid": u.uid,
                "held_by": u.held_by,
                "held_by_kept": u.held_by_kept,
                "renamed": u.renamed,
                "host": u.host,
                "host_before": u.host_before,
                "note": u.note(),
                "advice": u.advice,
            }
            for u in r.uid_reused
        }
        move = r.root_move
        data["members_root_changed"] = (
            {
                "from": move.old,
                "to": move.new,
                "members": {host: list(slugs) for host, slugs in move.by_host},
                "note": move.note(),
                "advice": move.advice,
            }
            if move is not None
            else None
        )
        data["retention_cut"] = [
            {"setting": rc.setting, "from": rc.old, "to": rc.new, "note": rc.note(), "advice": rc.advice}
            for rc in r.retention_cuts
        ]
        data["charsets_changed"] = [
            {
                "member": cc.member,
                "database": cc.database,
                "from": cc.old,
                "to": cc.new,
                "note": cc.note(),
                "advice": cc.advice,
            }
            for cc in r.charset_changes
        ]
        data["hosts_moved"] = [
            {
                "setting": hm.what,
                "from": hm.old,
                "to": hm.new,
                "renamed": hm.renamed,
                "private_address_kept": hm.private_kept or None,
                "note": hm.note(),
                "advice": hm.advice,
            }
            for hm in r.host_moves
        ]
        data["handed_over"] = [
            {
                "from": h.old,
                "to": h.new,
                "domains": list(h.domains),
                "list_domain": h.list_domain or None,
                "same_association": h.same_association,
                "old_stays": h.old_stays,
                "new_is_new": h.new_is_new,
                "host_before": h.host_before,
                "host": h.host,
                "note": h.note(),
                "advice": h.advice,
            }
            for h in r.handovers
        ]
        data["lists_left"] = [
            {
                "member": ll.member,
                "domain": ll.domain,
                "mail_host": ll.mail_host,
                "new_domain": ll.new_domain or None,
                "new_domain_of": ll.new_domain_of or None,
                "member_removed": ll.removed,
                "member_archived": ll.archived,
                "note": ll.note(),
                "advice": ll.advice,
            }
            for ll in r.lists_left
        ]
        sd = r.sympa_domain
        data["sympa_domain_changed"] = (
            {
                "from": sd.old,
                "to": sd.new,
                "mail_host": sd.mail_host,
                "list_domains": list(sd.robots),
                "reports_moved": sd.reports_moved,
                "reports_from": sd.reports_before if sd.reports_moved else None,
                "reports_to": sd.reports_after if sd.reports_moved else None,
                "old_taken_by": sd.old_taken_by or None,
                "new_was_of": sd.new_was_of or None,
                "note": sd.note(),
                "advice": sd.advice,
            }
            if sd is not None
            else None
        )
        oc = r.offsite_repository
        data["offsite_repository_changed"] = (
            {"from": oc.old, "to": oc.new, "hosts": list(oc.hosts), "note": oc.note(), "advice": oc.advice}
            if oc is not None
            else None
        )
        off = r.offsite_removed
        data["offsite_removed"] = (
            {
                "repository": off.repository,
                "hosts": list(off.hosts),
                "note": off.note(),
                "advice": off.advice,
            }
            if off is not None
            else None
        )
        dk = r.dkim_selector
        data["dkim_selector_changed"] = (
            {
                "from": dk.old,
                "to": dk.new,
                "list_domains": [
                    {
                        "domain": d.domain,
                        "member": d.member or None,
                        "dmarc": d.dmarc,
                        "record": dk.record(d.domain),
                        "record_before": dk.record(d.domain, dk.old),
                        "zone": d.zone or None,
                        "zone_before": d.zone_before or None,
                    }
                    for d in dk.domains
                ],
                "archived_list_domains": list(dk.archived),
                "note": dk.note(),
                "advice": dk.advice,
            }
            if dk is not None
            else None
        )
        data["dns_records_changed"] = [
            {
                "kind": rec.kind,
                "setting": rec.setting,
                "from": rec.old,
                "to": rec.new,
                "settings": [{"setting": s, "from": old, "to": new} for s, old, new in rec.parts],
                "member": rec.member or None,
                **rec.details,
                "records": [
                    {
                        "domain": rc.domain,
                        "kind": rc.kind,
                        "type": rc.type,
                        "name": rc.after.name if rc.after is not None else None,
                        "value": rc.after.value if rc.after is not None else None,
                        "name_before": rc.before.name if rc.before is not None else None,
                        "value_before": rc.before.value if rc.before is not None else None,
                        "zone": rc.zone or None,
                        "zone_before": rc.zone_before or None,
                        "published_by": _publisher(rc.zone, rc.holder) if rc.after is not None else None,
                        "published_by_before": _publisher(rc.zone_before, rc.holder_before)
                        if rc.before is not None
                        else None,
                        "where": rc.place or None,
                        # a zone this plan adds: the record is published by hand first, until its delegation moves
                        "zone_added": rc.pending or None,
                        "published_until_delegated": rc.holder_before or "admins"
                        if rc.pending and rc.after is not None and not rc.zone_before
                        else None,
                    }
                    for rc in rec.records
                ],
                "archived_list_domains": list(rec.archived),
                "note": rec.note(),
                "advice": rec.advice,
            }
            for rec in r.dns_records
        ]
        data["unread"] = list(r.unread)
        data["stateful_changes"] = [c["urn"] for c in out if c["stateful"]]
        data["refused"] = [
            {
                "member": group.member,
                "changes": [s.change.urn for s in group.shown],
                "keep": group.keep,
                "unprotect": group.unprotect(),
                "retained": group.retained or None,
                "advice": group.advice(),
            }
            for group in r.refusals()
        ]
        data["https_withdrawn"] = {
            loss.member: {"domains": list(loss.domains), "max_age": loss.max_age, "note": https_note(loss)}
            for loss in r.https_lost
        }
        data["https_pinned"] = {
            pin.member: {"domains": list(pin.domains), "max_age": pin.max_age, "note": hsts_note(pin)}
            for pin in r.https_pinned
        }
        data["domains_served"] = [ds.as_json() for ds in r.domains_served]
        data["when_active"] = [wa.as_json() for wa in r.when_active]
        data["domains_reordered"] = [dr.as_json() for dr in r.domains_reordered]
    return data

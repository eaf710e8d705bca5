"""DNS records of the mail domains, and the files of the authoritative server that serves them.

Pure functions: from a domain, its DMARC policy and the DKIM public key to
the SPF (RFC 7208), DKIM (RFC 6376) and DMARC (RFC 7489) TXT records and the
MX record; from records to a zone file for NSD, to NSD's configuration, and
to the text a member publishes in a zone the host does not control.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pic import names
from pic.registry import Member
from pic.render import render
from pic.settings import Settings, is_ip

RecordType = Literal["TXT", "MX", "NS", "A", "AAAA", "CNAME"]
DmarcPolicy = Literal["none", "quarantine", "reject"]
DMARC_POLICIES: tuple[DmarcPolicy, ...] = ("none", "quarantine", "reject")
TTL = 3600
_TXT_CHUNK = 255  # RFC 1035: one character-string holds at most 255 octets
NSD_CONF = "/etc/nsd/nsd.conf"
# The first line of the platform's NSD configuration: its removal stops NSD and removes that file only.
_NSD_CONF_HEADER = "# NSD: authoritative answers for the zones the host serves. Written by pic."


@dataclass(frozen=True, order=True)
class Record:
    """One DNS record: absolute name (no trailing dot), type, value in presentation form without quoting."""

    name: str
    type: RecordType
    value: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "type": self.type, "value": self.value}


def spf_value(mail_exchanger: str) -> str:
    """The SPF policy of a list domain: its MX (the mail host) sends, nothing else does (RFC 7208)."""
    target = _ip_mechanism(mail_exchanger) or f"a:{mail_exchanger}"
    return f"v=spf1 mx {target} -all"


def spf_mechanism(address: str) -> str:
    """How an SPF record names a host's address (RFC 7208 §5.3, §5.6): ``a:<name>``, ``ip4:``, ``ip6:``."""
    return _ip_mechanism(address) or f"a:{address}"


def _ip_mechanism(value: str) -> str | None:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    return f"ip{address.version}:{address}"


def dmarc_value(policy: str, reports: str) -> str:
    """The ``_dmarc`` record: ``v=DMARC1`` first, then ``p=``, then aggregate reports (RFC 7489 §6.3)."""
    if policy not in DMARC_POLICIES:
        raise ValueError(f"DMARC policy {policy!r} is not one of {', '.join(DMARC_POLICIES)}")
    if "@" not in reports or any(c in reports for c in ",;! "):
        raise ValueError(f"{reports!r} is not a mailbox for DMARC reports")
    return f"v=DMARC1; p={policy}; rua=mailto:{reports}; adkim=r; aspf=r"


def dkim_public_key(public_key_pem: str) -> str:
    """The base64 SubjectPublicKeyInfo of a PEM public key: the ``p=`` tag of a DKIM record."""
    lines = [line.strip() for line in public_key_pem.strip().splitlines()]
    if not lines or lines[0] != "-----BEGIN PUBLIC KEY-----" or lines[-1] != "-----END PUBLIC KEY-----":
        raise ValueError("not a PEM public key (-----BEGIN PUBLIC KEY-----)")
    body = "".join(lines[1:-1])
    if not body or any(c.isspace() or c in ';"\\' for c in body):
        raise ValueError("the PEM public key has no usable key data")
    return body


def dkim_value(public_key_pem: str) -> str:
    """The DKIM key record (RFC 6376 §3.6.1) of an RSA public key."""
    return f"v=DKIM1; k=rsa; p={dkim_public_key(public_key_pem)}"


def dkim_name(domain: str, selector: str) -> str:
    return names.dkim_name(domain, selector)


def report_authorization(domain: str, reports: str) -> Record | None:
    """The record that lets another domain receive this domain's DMARC reports (RFC 7489 §7.1).

    Needed when the reports mailbox is outside the policy's domain; it is
    published in the zone of the mailbox's domain.
    """
    name = names.report_authorization_name(domain, reports)
    return None if name is None else Record(name, "TXT", "v=DMARC1")


def mail_records(
    domain: str, *, policy: str, selector: str, public_key_pem: str, mail_exchanger: str, reports: str
) -> list[Record]:
    """Every record a list domain needs: MX, SPF, DKIM, DMARC (and the report authorization when needed)."""
    records = [
        Record(domain, "MX", f"10 {mail_exchanger}."),
        Record(domain, "TXT", spf_value(mail_exchanger)),
        Record(dkim_name(domain, selector), "TXT", dkim_value(public_key_pem)),
        Record(names.dmarc_name(domain), "TXT", dmarc_value(policy, reports)),
    ]
    authorization = report_authorization(domain, reports)
    if authorization is not None:
        records.append(authorization)
    return records


def zone_of(name: str, zones: Iterable[str]) -> str | None:
    """The most specific zone of ``zones`` that contains ``name``, or None."""
    best: str | None = None
    for zone in zones:
        if (name == zone or name.endswith("." + zone)) and (best is None or len(zone) > len(best)):
            best = zone
    return best


def child_zones(zone: str, zones: Iterable[str]) -> list[str]:
    """The zones of ``zones`` whose nearest enclosing zone among them is ``zone`` (``listes.example.org`` for
    ``example.org``, not ``a.listes.example.org`` when ``listes.example.org`` is one too): those ``zone``
    delegates (RFC 1034 §4.2.1: the parent holds the NS records of the cut), sorted."""
    zones = list(zones)
    return sorted(z for z in zones if z != zone and zone_of(z, [o for o in zones if o != z]) == zone)


def txt_strings(value: str) -> str:
    """A TXT value as quoted character-strings of at most 255 octets (long DKIM keys need several)."""
    if not value.isascii():
        raise ValueError("TXT values here are ASCII")
    chunks = [value[i : i + _TXT_CHUNK] for i in range(0, len(value), _TXT_CHUNK)] or [""]
    return " ".join('"' + c.replace("\\", "\\\\").replace('"', '\\"') + '"' for c in chunks)


def rdata(record: Record) -> str:
    return txt_strings(record.value) if record.type == "TXT" else record.value


def _owner(name: str, zone: str) -> str:
    if name == zone:
        return "@"
    return name[: -len(zone) - 1]


def zone_file(
    zone: str,
    records: Sequence[Record],
    *,
    nameservers: Sequence[str],
    hostmaster: str,
    serial: str,
    ns_addresses: Sequence[str] = (),
    delegations: Sequence[str] = (),
) -> str:
    """A zone file for NSD: SOA, NS, then the records that belong to ``zone`` (others are refused), and the NS
    records of each zone in ``delegations`` (zones below it served too, :func:`child_zones`), with the same name
    servers: without them the parent holds no cut, and a server holding the parent alone (a secondary) answers
    for the child's names as its own.

    ``serial`` is written as is: the placing script puts the real serial in
    place of a marker, so an unchanged zone keeps its serial.
    """
    if not nameservers:
        raise ValueError(f"zone {zone}: at least one name server is needed")
    outside = [r.name for r in records if zone_of(r.name, [zone]) is None]
    if outside:
        raise ValueError(f"zone {zone}: records outside the zone: {', '.join(sorted(set(outside)))}")
    below = [d for d in delegations if d == zone or zone_of(d, [zone]) is None]
    if below:
        raise ValueError(f"zone {zone}: delegations of zones not below it: {', '.join(sorted(set(below)))}")
    cuts = [Record(child, "NS", ns + ".") for child in delegations for ns in nameservers]
    records = [*records, *cuts, *_glue(zone, nameservers, ns_addresses)]
    mailbox = soa_mailbox(hostmaster)
    lines = [(_owner(r.name, zone), r.type, rdata(r)) for r in sorted(set(records))]
    return render(
        "dns/zone.j2",
        zone=zone,
        ttl=TTL,
        serial=serial,
        primary=nameservers[0],
        mailbox=mailbox,
        nameservers=list(nameservers),
        lines=lines,
    )


def _glue(zone: str, nameservers: Sequence[str], addresses: Sequence[str]) -> list[Record]:
    """Address records of the name servers inside the zone itself (without them the zone cannot be reached)."""
    inside = [ns for ns in nameservers if zone_of(ns, [zone])]
    if inside and not addresses:
        raise ValueError(f"zone {zone}: name servers {', '.join(inside)} are inside the zone and need addresses")
    out = []
    for ns in inside:
        for address in addresses:
            version = ipaddress.ip_address(address).version
            out.append(Record(ns, "A" if version == 4 else "AAAA", address))
    return out


def soa_mailbox(address: str) -> str:
    """An e-mail address as the SOA RNAME: dots of the local part escaped, ``@`` as a dot (RFC 1035 §8)."""
    local, _, domain = address.rpartition("@")
    if not local:
        return address
    return local.replace(".", "\\.") + "." + domain


def nsd_conf(
    zones: Sequence[str],
    *,
    listen: Sequence[str],
    port: int = 53,
    zonesdir: str = "/etc/nsd/pic",
    run_dir: str = "/run/nsd",
    username: str = "nsd",
) -> str:
    """NSD's configuration: answer for ``zones`` from ``<zonesdir>/<zone>.zone``; no zone transfers."""
    return render(
        "dns/nsd.conf.j2",
        header=_NSD_CONF_HEADER,
        zones=list(zones),
        listen=list(listen),
        port=port,
        zonesdir=zonesdir,
        run_dir=run_dir,
        username=username,
    )


def export_text(domain: str, records: Sequence[Record]) -> str:
    """What the owner of ``domain`` publishes, in zone file syntax with absolute names."""
    lines = [f"; Records for {domain}: publish them in the zone that holds each name."]
    lines += [f"{r.name}.\t{TTL}\tIN\t{r.type}\t{rdata(r)}" for r in records]
    return "\n".join(lines) + "\n"


SERIAL_MARKER = "PIC_SERIAL"


def zone_script(zone: str, zone_text: str, *, zonesdir: str = "/etc/nsd/pic", nsd_control: str = "nsd-control") -> str:
    """Install a zone written with SERIAL_MARKER: unchanged text keeps its serial, a change bumps it.

    The serial is YYYYMMDDnn, always above the previous one; the zone is checked by
    nsd-checkzone before it replaces the served one, then NSD reloads it.
    """
    if SERIAL_MARKER not in zone_text:
        raise ValueError(f"zone {zone}: the text has no {SERIAL_MARKER} marker")
    return render(
        "dns/zone.sh.j2", zone=zone, text=zone_text, zonesdir=zonesdir, marker=SERIAL_MARKER, nsd_control=nsd_control
    )


def zone_remove_script(zone: str, *, zonesdir: str = "/etc/nsd/pic", nsd_control: str = "nsd-control") -> str:
    """Remove zone ``zone``'s files (the served zone and its template) and reload a running NSD: the delete step
    of the zone's resource, when the zone leaves ``pic:dns.zones`` or ``pic:dns`` goes."""
    return render("dns/zone-remove.sh.j2", zone=zone, zonesdir=zonesdir, nsd_control=nsd_control)


def nsd_server_remove_script(
    *, zonesdir: str = "/etc/nsd/pic", conf: str = NSD_CONF, stop: str = "systemctl disable --now nsd"
) -> str:
    """Stop NSD and remove the platform's configuration and zone files: the delete step of the server's
    resource, when ``pic:dns`` serves no zone any more. A configuration that is not the platform's (replaced by
    hand) is left, and NSD with it; the package stays installed."""
    return render("dns/nsd-server-remove.sh.j2", zonesdir=zonesdir, conf=conf, stop=stop, header=_NSD_CONF_HEADER)


def kind(record: Record) -> str:
    """What a record is for, in words an admin reads."""
    if record.type == "MX":
        return "MX"
    if "._report._dmarc." in record.name:
        return "DMARC report authorization"
    if record.name.startswith("_dmarc."):
        return "DMARC"
    if "._domainkey." in record.name:
        return "DKIM"
    if record.value.startswith("v=spf1"):
        return "SPF"
    return record.type


def nsd_server_script(conf: str) -> str:
    """Install NSD and its configuration (checked by nsd-checkconf before it replaces the old one)."""
    return render("dns/nsd-server.sh.j2", conf=conf)


def host_zone(settings: Settings, domain: str) -> str | None:
    """The zone, served by the host, where ``domain``'s records are published; None: its owner publishes them."""
    if settings.dns.backend != "zonefile":
        return None
    return zone_of(domain, settings.dns.zones)


def nameservers(settings: Settings) -> list[str]:
    """NS names of the host's zones: the settings', else the DNS server host's address."""
    return list(settings.dns.nameservers) or [settings.hosts[settings.dns_server].address]


@dataclass(frozen=True)
class PlatformName:
    """A name the platform uses that must lead to one of its hosts: ``what`` says why (for messages)."""

    name: str
    host: str
    what: str


def platform_names(settings: Settings, members: Iterable[Member]) -> list[PlatformName]:
    """Every name the platform needs an address for, each once (the first reason given is kept): the hosts'
    addresses given as names, Sympa's web interface (``pic:mail.sympa_domain``), the mail exchanger,
    phpMyAdmin's name, and the domains of every site that is not archived (the front proxy answers them)."""
    found: list[PlatformName] = [
        PlatformName(host.address, name, f"pic:hosts.{name}.address")
        for name, host in sorted(settings.hosts.items())
        if not is_ip(host.address)
    ]
    found.append(
        PlatformName(settings.mail.sympa_domain, settings.mail_host, "pic:mail.sympa_domain, Sympa's web interface")
    )
    if not is_ip(settings.mail_exchanger):
        found.append(
            PlatformName(settings.mail_exchanger, settings.mail_host, "the mail exchanger of the list domains")
        )
    if settings.phpmyadmin is not None:
        pma_host = settings.phpmyadmin.host or settings.default_host
        found.append(PlatformName(settings.phpmyadmin.domain, pma_host, "pic:phpmyadmin.domain"))
    for m in members:
        if m.site is not None and m.status != "archived":
            found += [PlatformName(d, m.host, f"a site domain of {m.slug}") for d in m.site.domains]
    out: dict[str, PlatformName] = {}
    for item in found:
        out.setdefault(item.name.lower().rstrip("."), item)
    return list(out.values())


def address_records(settings: Settings, members: Iterable[Member]) -> list[Record]:
    """The A/AAAA records of the platform's names (:func:`platform_names`) inside the zones NSD serves (backend
    ``zonefile``), each with its host's published addresses (``pic:hosts.<h>.public_addresses``, else its IP
    ``address``). A name server inside a zone has its glue instead (``pic:dns.listen``); a name whose host has no
    known address gets none (``pic check`` warns of it)."""
    if settings.dns.backend != "zonefile" or not settings.dns.zones:
        return []
    glue = {n.lower().rstrip(".") for n in nameservers(settings)}
    out = []
    for item in platform_names(settings, members):
        name = item.name.lower().rstrip(".")
        host = settings.hosts.get(item.host)
        if name in glue or host is None or zone_of(name, settings.dns.zones) is None:
            continue
        for address in host.published_addresses:
            version = ipaddress.ip_address(address).version
            out.append(Record(name, "A" if version == 4 else "AAAA", str(ipaddress.ip_address(address))))
    return sorted(set(out))

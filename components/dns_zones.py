"""DnsZones: the zones the host serves itself, with NSD on one host (``pic:dns`` backend ``zonefile``).

Creates, on the DNS server host:
- ``<name>-server``: installs NSD and writes its configuration (the zones, the
  addresses it answers on), then restarts it; deleted (``pic:dns`` serves no
  zone any more), it stops NSD and removes that configuration and the zone files;
- ``<name>-zone-<zone>``: one per zone, writes the zone file from the records
  that fall in it (the DmarcPolicy records of the list domains under it, the
  address records of the platform's names under it, ``addresses``, and the NS
  records of the zones it holds that are served too),
  checks it with ``nsd-checkzone`` before it replaces the served one, and
  reloads it. The serial only moves when the records do. Deleted (the zone
  left the settings), it removes the zone's files and reloads NSD.

These are the platform's own files, not a member's: nothing is retained.

Deliberately not done: zone transfers and DNSSEC (secondaries are configured
by hand if any), and removing the NSD package.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi

from components.hostcmd import HostAccess, run_script
from pic.render import dns

ZONES_DIR = "/etc/nsd/pic"


@dataclass(frozen=True)
class DnsZonesArgs:
    host: HostAccess
    zones: Sequence[str]
    records: Sequence[pulumi.Input[list[dns.Record]]]
    addresses: Sequence[dns.Record]  # A/AAAA of the platform's names in the zones (dns.address_records)
    nameservers: Sequence[str]
    hostmaster: str
    listen: Sequence[str]


def _in_zone(zone: str, zones: Sequence[str], groups: Sequence[list[dns.Record]]) -> list[dns.Record]:
    """The records whose most specific host zone is ``zone``."""
    return sorted({r for group in groups for r in group if dns.zone_of(r.name, zones) == zone})


def _zone_script(zone: str, args: DnsZonesArgs, groups: Sequence[list[dns.Record]]) -> str:
    text = dns.zone_file(
        zone,
        _in_zone(zone, args.zones, [*groups, list(args.addresses)]),
        nameservers=args.nameservers,
        hostmaster=args.hostmaster,
        serial=dns.SERIAL_MARKER,
        ns_addresses=args.listen,
        delegations=dns.child_zones(zone, args.zones),
    )
    return dns.zone_script(zone, text, zonesdir=ZONES_DIR)


class DnsZones(pulumi.ComponentResource):
    """NSD and the zone files of the zones the host serves."""

    zones: pulumi.Output[list[str]]  # resolves once every zone is published

    def __init__(self, name: str, args: DnsZonesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("pic:index:DnsZones", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        server = run_script(
            f"{name}-server",
            args.host,
            dns.nsd_server_script(dns.nsd_conf(args.zones, listen=args.listen, zonesdir=ZONES_DIR)),
            opts=child,
            delete=dns.nsd_server_remove_script(zonesdir=ZONES_DIR),
        )
        groups: pulumi.Output[list[list[dns.Record]]] = pulumi.Output.all(*args.records)
        published: list[pulumi.Output[str]] = []
        for zone in args.zones:
            zone_cmd = run_script(
                f"{name}-zone-{zone}",
                args.host,
                groups.apply(functools.partial(_zone_script, zone, args)),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[server]),
                delete=dns.zone_remove_script(zone, zonesdir=ZONES_DIR),
            )
            published.append(zone_cmd.id)
        zones = list(args.zones)
        self.zones = pulumi.Output.all(server.id, *published).apply(lambda _: zones)
        self.register_outputs({"zones": self.zones})

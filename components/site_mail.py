"""SiteMailRelay: the web host's Postfix, through which the sites' ``mail()`` leaves.

Creates, for web host ``<h>`` (component ``<h>-mail-relay``):
- ``<h>-mail-relay-setup`` (command): the rendered relay script
  (``pic.render.sitemail.render_relay_script``): installs Postfix from Debian,
  places the map of the sites' fixed addresses (``/etc/postfix/pic-sites.cidr``)
  and the relay's settings (one restriction class per member, allowing only
  its own domains as senders; a message and recipient rate per site), checks
  them (``postfix check``) and restarts Postfix. It runs again whenever a
  member's site starts or stops sending, or its domains change. The accounts of
  the host's members with a shell (``access.ssh``) may not hand mail to its
  ``sendmail`` (``authorized_submit_users``): it would meet none of those rules.

The sites reach it at the gateway of the host's network (``172.30.0.1``, port
25, let in by the setup's firewall from the network only). Each member's msmtp
configuration is MemberSite's.

Does not: receive mail for any domain (sites send only), sign with DKIM (the
platform publishes no records for site domains), or hold messages of members
beyond Postfix's own queue.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi

from components.hostcmd import run_script
from components.web_host import WebHost
from pic import eol
from pic.registry import Member
from pic.render import sitemail
from pic.settings import Settings


@dataclass(frozen=True)
class SiteMailRelayArgs:
    settings: Settings
    host_name: str
    host: WebHost
    members: Sequence[Member]  # the members placed on the host
    on: dt.date


def sending_members(args: SiteMailRelayArgs) -> list[Member]:
    """The members whose site runs on PHP on that day: their containers may send."""
    running = [m for m in args.members if eol.site_state(m, args.settings, args.on) == "running"]
    return sitemail.running_senders(running)


def mailname(settings: Settings, host_name: str) -> str:
    """The host's mail name (Debian's /etc/mailname, the domain of its own users' mail): its address when
    that is a name, else the mail exchanger's name (an address is no mail domain: root@192.0.2.10 is no
    address; pic:mail.mx is required when the mail host's address is one)."""
    address = settings.hosts[host_name].address
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return address
    return settings.mail_exchanger


class SiteMailRelay(pulumi.ComponentResource):
    """The Postfix relay of a web host's sites."""

    senders: pulumi.Output[list[str]]

    def __init__(self, name: str, args: SiteMailRelayArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("pic:index:SiteMailRelay", name, None, opts)
        host = args.host
        senders = sending_members(args)
        script = sitemail.render_relay_script(
            args.host_name,
            senders,
            mailname=mailname(args.settings, args.host_name),
            mail_host=args.host_name == args.settings.mail_host,
            shells=[m.slug for m in args.members if m.access.ssh],
        )
        self.setup = run_script(
            f"{name}-setup",
            host.access,
            script,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[host.setup]),
        )
        self.senders = pulumi.Output.from_input([m.slug for m in senders])
        self.register_outputs({"senders": self.senders})

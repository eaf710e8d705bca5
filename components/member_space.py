"""MemberSpace: a member's unix account and directories on its web host, for EVERY member.

Creates, for member ``<slug>`` (whatever its status, with or without a site):
- ``<slug>-space`` (command): the unix account with the registry's uid (its
  own group of the same id), the ssh group that decides its access
  (``pic-sftp``, ``pic-ssh`` with ``ssh: true``, ``pic-locked`` when not
  active, with the account expired), and ``<members_root>/<slug>/`` owned by
  root (the sftp chroot) holding ``www/ priv/ db/ log/`` owned by the member.
  Exposed as :attr:`MemberSpace.ready`: what writes into the space (database
  credentials in ``priv/``, dumps in ``db/``) depends on it.
- ``<slug>-keys`` (command): the member's public keys in
  ``/etc/pic/ssh/authorized_keys/<slug>``, root-owned so the member cannot add
  keys; empty unless the member is active.

Its resources are children of the member's one component (components.member).

The space is member data: ``<slug>-space`` has ``retain_on_delete=True`` and
no delete command, so neither editing nor removing a member file ever removes
the account or a file. Deleting them is a separate, explicit step.

Does not: run any site (MemberSite), touch the files inside the directories,
or manage passwords (there are none: keys only).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components.hostcmd import command_type, place_file, run_script
from components.member import FORMER_SPACE, child_options
from components.web_host import WebHost
from pic.registry import Member
from pic.render import web
from pic.settings import Settings


@dataclass(frozen=True)
class MemberSpaceArgs:
    settings: Settings
    member: Member
    host: WebHost


class MemberSpace:
    """A member's account and ``www/ priv/ db/ log/`` on its web host."""

    home: pulumi.Output[str]
    uid: pulumi.Output[int]

    def __init__(self, name: str, args: MemberSpaceArgs) -> None:
        member, settings, host = args.member, args.settings, args.host
        typ = command_type(host.access)
        self.ready = run_script(
            f"{name}-space",
            host.access,
            web.render_member_space_script(member, settings),
            opts=child_options(
                member.slug, FORMER_SPACE, typ, f"{name}-space", depends_on=[host.setup], retain_on_delete=True
            ),
        )
        self.keys = place_file(
            f"{name}-keys",
            host.access,
            f"{web.KEYS_DIR}/{member.slug}",
            web.render_authorized_keys(member),
            opts=child_options(member.slug, FORMER_SPACE, typ, f"{name}-keys", depends_on=[host.setup]),
            mode="0644",
            remove_on_delete=True,
        )
        self.home = pulumi.Output.from_input(web.member_path(settings, member.slug))
        self.uid = pulumi.Output.from_input(member.uid)

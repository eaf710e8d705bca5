"""MemberSpace: a member's unix account, directories and platform files on its web host, for EVERY member.

Creates, for member ``<slug>`` (whatever its status, with or without a site; a child of its
Member component, components.member), ONE command, ``<slug>-space``, whose script

- makes the unix account with the registry's uid (its own group of the same id), the ssh group
  that decides its access (``pic-sftp``, ``pic-ssh`` with ``ssh: true``, ``pic-locked`` when not
  active, with the account expired and every process of the member ended: a shell left open or a
  job left running would outlive the expiry), and ``<members_root>/<slug>/`` owned by root (the sftp
  chroot) holding ``www/ priv/ db/ log/`` owned by the member. Exposed as
  :attr:`MemberSpace.ready`: what writes into the space (credentials in ``priv/``, dumps in
  ``db/``) and the site's container depend on it;
- writes the member's public keys in ``/etc/pic/ssh/keys/<slug>`` (``web.KEYS_DIR``),
  root-owned so the member cannot add keys; empty unless the member is active;
- when it takes access away from an active member (``ssh: true`` removed, or a key sshd reads now
  that ``access.sftp_keys`` no longer holds: the keys files on the host are the state before),
  ends, once the new keys are written, the member's processes in the host's PID namespace or in a
  user namespace of their own: its open ssh and sftp sessions (sshd checks keys and groups at
  login only) and what it left running, not its site's container, which runs under the same uid
  in a PID namespace of its own (in the host's user namespace);
- for a PHP site, weekly rotation of ``log/*.log`` as the member
  (``/etc/logrotate.d/pic-site-<slug>``);
- for a site that runs, the site's facts (``/etc/pic/site-facts/<slug>.json``: the container's
  labels plus domains, https, end of life and exception) that the plan and the policy pack read
  (in this command's script); renewing an exception or changing a domain rewrites this file, not
  the container;
- removes those of the last two the member's state has no use for (the site stopped, static).

Its delete script (the member file removed) removes those three platform files only: the
account and every file of the member stay. Deleting them is a separate, explicit step.

Formerly four commands: ``<slug>-space`` (this one), ``<slug>-keys``, ``<slug>-logrotate`` and
``<slug>-site-facts``, each deleting its file when it went away. The engine runs the deletion of
resources that left the program after every creation and update, with the delete script kept
in the state (pkg/resource/deploy: deletions last), and takes one former resource per alias: had
this command written the former paths, those deletions would have removed the files it had just
written, and the next ``pulumi up`` would have seen nothing to do. So the keys, the rules and the
facts moved (sshd reads both key directories: ``web.FORMER_KEYS_DIR``), and the former
deletions remove only the former files. ``pic plan`` checks that no deleted command removes a
path a command of the new program writes (``pic.plan.diff.delete_traps``).

Does not: run any site (MemberSite), touch the files inside the directories,
or manage passwords (there are none: keys only).
"""

from __future__ import annotations

import datetime as dt
import shlex
from dataclasses import dataclass

import pulumi

from components.hostcmd import HostFile, command_type, place_files
from components.member import FORMER_SPACE, child_options
from components.web_host import WebHost
from pic import eol
from pic.registry import Member
from pic.render import web
from pic.settings import Settings


@dataclass(frozen=True)
class MemberSpaceArgs:
    settings: Settings
    member: Member
    host: WebHost
    on: dt.date  # the day the site's state is decided (pic.eol.site_state)


def space_files(args: MemberSpaceArgs) -> tuple[list[HostFile], tuple[str, ...]]:
    """The platform files of a member's space command, and the paths it removes (no use in this state)."""
    member, settings = args.member, args.settings
    slug = member.slug
    runs = eol.site_state(member, settings, args.on) == "running"
    files = [HostFile(f"{web.KEYS_DIR}/{slug}", web.render_authorized_keys(member))]
    removed: list[str] = []
    if member.site is not None and member.runtime is not None:
        files.append(HostFile(web.logrotate_path(slug), web.render_member_logrotate(member, settings)))
    else:
        removed.append(web.logrotate_path(slug))
    if runs:
        files.append(HostFile(web.site_facts_path(slug), web.render_site_facts(member, settings)))
    else:
        removed.append(web.site_facts_path(slug))
    return files, tuple(removed)


class MemberSpace:
    """A member's account and ``www/ priv/ db/ log/`` on its web host, its keys, log rotation and site facts."""

    home: pulumi.Output[str]
    uid: pulumi.Output[int]

    def __init__(self, name: str, args: MemberSpaceArgs) -> None:
        member, settings, host = args.member, args.settings, args.host
        slug = member.slug
        files, removed = space_files(args)
        platform = (f"{web.KEYS_DIR}/{slug}", web.logrotate_path(slug), web.site_facts_path(slug))
        self.ready = place_files(
            f"{name}-space",
            host.access,
            files,
            removed=removed,
            prelude=web.render_member_space_script(member, settings),
            epilogue=web.render_member_sessions_end(member),
            delete="rm -f " + " ".join(shlex.quote(p) for p in platform),
            opts=child_options(slug, FORMER_SPACE, command_type(host.access), f"{name}-space", depends_on=[host.setup]),
        )
        self.home = pulumi.Output.from_input(web.member_path(settings, member.slug))
        self.uid = pulumi.Output.from_input(member.uid)

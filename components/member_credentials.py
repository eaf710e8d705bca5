"""MemberCredentials: ONE secret command per member placing the files its site reads from outside its web root.

Creates, for member ``<slug>`` (a child of its Member component), when it has a database or a
PHP site that runs: ``<slug>-credentials`` (command, script secret end to end, logging off),
which writes

- for its databases, in ``<members_root>/<slug>/priv/``: the database CA (``db-ca.pem``, once),
  and per database, by name (the order of ``databases:`` changes nothing), ``<database>.php`` (an
  include for applications) and ``<database>.my.cnf`` (for the mariadb clients), mode 0600, written
  by the member's uid (``install_file_command``);
- for a PHP site that runs, its msmtp configuration (``/etc/pic/mail/sites/<slug>/msmtprc``,
  mounted read only into the container: ``pic.render.sitemail``); removed when the site stops.

Formerly one command per file (``<slug>-db-<short>-ca``, ``-php``, ``-mycnf``: no delete
script, so dropping them from the state removes nothing) and ``<slug>-mail-config``, whose
delete script removes the msmtprc: this command takes over that resource through an alias
(components.member), so the old delete never runs after the new file is written.

Its delete script (the member leaves, or has neither database nor running PHP site any more)
removes the msmtprc only: the credential files are in the member's space, which is never
removed as a side effect.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pulumi

from components.db_host import DbHost
from components.hostcmd import HostAccess, HostFile, command_type, place_files
from components.member import FORMER_SITE, member_component, reparented
from components.member_database import MemberDatabase
from pic.registry import Member
from pic.render import db as rdb
from pic.render import sitemail


@dataclass(frozen=True)
class MemberCredentialsArgs:
    member: Member
    web_host: HostAccess
    members_root: str
    site_runs: bool  # pic.eol.site_state(...) == "running"
    db_host: DbHost | None = None
    databases: Sequence[MemberDatabase] = ()
    # resources that must exist first (the member's directories and unix account, its database users)
    after: Sequence[pulumi.Resource] = field(default_factory=tuple)


def needs_credentials(member: Member, site_runs: bool) -> bool:
    """Whether a member gets a ``<slug>-credentials`` command: it has a database or a PHP site that runs."""
    return bool(member.databases) or (member.runtime is not None and site_runs)


class MemberCredentials:
    """The member's credential files and site mail configuration, placed by one secret command."""

    def __init__(self, args: MemberCredentialsArgs) -> None:
        member = args.member
        slug = member.slug
        if not needs_credentials(member, args.site_runs):
            raise ValueError(f"{member.file}: member {slug} has no database and no PHP site that runs")
        msmtprc = f"{sitemail.host_config_dir(slug)}/msmtprc"
        files: list[HostFile] = []
        removed: tuple[str, ...] = ()
        if member.runtime is not None and args.site_runs:
            files.append(HostFile(msmtprc, sitemail.render_msmtprc(member)))
        elif member.runtime is not None:
            removed = (msmtprc,)
        if args.databases:  # none given: the web part alone (tests)
            if args.db_host is None:
                raise ValueError(f"{member.file}: member {slug} has databases but no db host was given")
            files += self._database_files(args, args.db_host)
        typ = command_type(args.web_host)
        self.command = place_files(
            f"{slug}-credentials",
            args.web_host,
            files,
            removed=removed,
            secret=True,
            delete=f"rm -f {msmtprc}",
            opts=pulumi.ResourceOptions(
                parent=member_component(slug),
                # The former <slug>-mail-config: this command is that resource, renamed (its delete replaced).
                aliases=[reparented(FORMER_SITE, typ, f"{slug}-mail-config")],
                depends_on=list(args.after),
                additional_secret_outputs=["stdin"],
            ),
        )

    @staticmethod
    def _database_files(args: MemberCredentialsArgs, dbh: DbHost) -> list[HostFile]:
        member, uid = args.member, str(args.member.uid)
        priv = f"{args.members_root}/{member.slug}/priv"
        ca_path = f"{priv}/{rdb.MEMBER_CA_NAME}"
        files = [HostFile(ca_path, dbh.ca_cert_pem, mode="0644", owner=uid)]
        # By name, not in the order of `databases:`: the script lists the files it writes, and a list reordered in
        # the member file (the same databases) would otherwise update this command for nothing (as DumpJob sorts
        # the databases it dumps). A member whose names are listed in that order already keeps its script as is.
        pairs = sorted(zip(args.databases, member.databases, strict=True), key=lambda pair: pair[1].short)
        for database, spec in pairs:
            template = rdb.Credentials(
                database.database_name,
                database.user,
                "",
                dbh.endpoint_host,
                dbh.endpoint_port,
                ca_file=ca_path,
                charset=spec.charset,
            )
            php = database.password.apply(functools.partial(_render, rdb.member_php, template))
            cnf = database.password.apply(functools.partial(_render, rdb.member_my_cnf, template))
            files.append(HostFile(database.php_path, php, mode="0600", owner=uid))
            files.append(HostFile(database.cnf_path, cnf, mode="0600", owner=uid))
        return files


def _render(render: Callable[[rdb.Credentials], str], template: rdb.Credentials, password: str) -> str:
    return render(dataclasses.replace(template, password=password))

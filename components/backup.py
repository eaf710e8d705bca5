"""DumpJob: the nightly dump of the member databases of one web host, and the restore command.

Creates, on web host ``<web>`` (component name ``<web>-dumps``):

- ``<name>-ca`` (``/etc/pic/db-ca.pem``): the platform's database CA; the job checks the db
  host's certificate against it.
- ``<name>-credentials`` (``/etc/pic/db-backup.cnf``, root, 0600, placed with logging off): the
  read-only backup account (``pic_backup``: SELECT, SHOW VIEW, TRIGGER, EVENT on member
  databases; never root, never a write privilege).
- ``<name>-config`` (``/etc/pic/db-dump.conf``) and ``<name>-list`` (``/etc/pic/db-dump.list``):
  the settings (``pic:backup.keep_days``, ``pic:db.dump_jobs``, the report mailbox) and the
  databases of the members placed on this host. Archived members are left out: their dumps
  are kept as they are, neither refreshed nor pruned.
- ``<name>-dump-script`` (``/usr/local/sbin/pic-db-dump``) and ``<name>-restore-script``
  (``/usr/local/sbin/pic-db-restore``).
- ``<name>-service`` and ``<name>-timer`` (``pic-db-dump.service`` / ``.timer``: every day at
  ``pic:backup.time``), and ``<name>-enable``, which installs the MariaDB client and enables
  the timer (idempotent; runs again when a unit changes).

The job dumps each database with ``--single-transaction`` into the member's ``db/`` directory,
writing as the member, atomically; a failed dump never replaces the last good one; failures
are mailed to ``pic:db.report_to`` (default ``pic:admin_email``) and fail the unit;
``pic-db-dump --status`` shows the last run and each database's last good dump.

Deliberately not done: deleting dumps other than the job's own pruning of a database's dumps
older than ``keep_days`` (after a good dump, never the newest), removing anything when the
component goes away, and shipping dumps off the host (the member's copy is theirs to fetch).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi

from components.db_host import DbHost
from components.hostcmd import HostAccess, host_access, place_file, run_script
from pic.registry import Registry
from pic.render import db as rdb
from pic.settings import Settings


@dataclass(frozen=True)
class DumpJobArgs:
    web_host: HostAccess
    db_host: DbHost
    entries: Sequence[rdb.DumpEntry]
    time: str
    keep_days: int
    jobs: int
    report_to: str
    members_root: str
    after: Sequence[pulumi.Resource] = field(default_factory=tuple)


def dump_entries(registry: Registry, web: str) -> list[rdb.DumpEntry]:
    """The databases the job of web host ``web`` dumps: those of its members that are not archived."""
    return [
        rdb.DumpEntry(m.slug, m.uid, d.name)
        for m in registry
        if m.host == web and m.status != "archived"
        for d in m.databases
    ]


def dump_job_args(
    settings: Settings, registry: Registry, web: str, db_host: DbHost, after: Sequence[pulumi.Resource] = ()
) -> DumpJobArgs:
    return DumpJobArgs(
        web_host=host_access(web, settings.hosts[web]),
        db_host=db_host,
        entries=dump_entries(registry, web),
        time=settings.backup.time,
        keep_days=settings.backup.keep_days,
        jobs=settings.db.dump_jobs,
        report_to=settings.db.report_to or settings.admin_email,
        members_root=settings.members_root,
        after=tuple(after),
    )


class DumpJob(pulumi.ComponentResource):
    """The nightly dump job of one web host, with its restore command."""

    databases: list[str]
    timer: str

    def __init__(self, name: str, args: DumpJobArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("pic:index:DumpJob", name, None, opts)
        host, dbh = args.web_host, args.db_host
        self.databases = sorted(e.database for e in args.entries)
        self.timer = f"{rdb.DUMP_UNIT}.timer"
        child = pulumi.ResourceOptions(parent=self)
        conf = rdb.dump_conf(
            rdb.DumpConfig(
                members_root=args.members_root,
                keep_days=args.keep_days,
                jobs=args.jobs,
                report_to=args.report_to,
                host_label=host.name,
            )
        )
        credentials = dbh.backup_password.apply(
            lambda pw: rdb.backup_cnf(user=rdb.BACKUP_USER, password=pw, host=dbh.endpoint_host, port=dbh.endpoint_port)
        )
        service, timer = rdb.dump_service(), rdb.dump_timer(args.time)
        units = f"{rdb.SYSTEMD_DIR}/{rdb.DUMP_UNIT}"
        placed = [
            place_file(f"{name}-ca", host, rdb.CLIENT_CA, dbh.ca_cert_pem, opts=child),
            place_file(
                f"{name}-credentials",
                host,
                rdb.BACKUP_CNF,
                pulumi.Output.secret(credentials),
                mode="0600",
                secret=True,
                opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=["stdin"]),
            ),
            place_file(f"{name}-config", host, rdb.DUMP_CONF, conf, opts=child),
            place_file(f"{name}-list", host, rdb.DUMP_LIST, rdb.dump_list(args.entries), opts=child),
            place_file(f"{name}-dump-script", host, rdb.DUMP_SCRIPT, rdb.dump_script(), mode="0755", opts=child),
            place_file(
                f"{name}-restore-script", host, rdb.RESTORE_SCRIPT, rdb.restore_script(), mode="0755", opts=child
            ),
            place_file(f"{name}-service", host, f"{units}.service", service, opts=child),
            place_file(f"{name}-timer", host, f"{units}.timer", timer, opts=child),
        ]
        run_script(
            f"{name}-enable",
            host,
            rdb.web_install_script(units_digest=rdb.digest(service, timer)),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[*placed, *args.after, *dbh.ready]),
        )
        self.register_outputs({"databases": self.databases, "timer": self.timer, "schedule": args.time})

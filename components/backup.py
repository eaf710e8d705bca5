"""DumpJob: the nightly dump of the member databases of one web host, and the restore command.
OffsiteBackup: the encrypted off-site backup of one host (restic), its restore drill and restore command.

Creates, on web host ``<web>`` (component name ``<web>-dumps``):

- ``<name>-ca`` (``/etc/pic/db-ca.pem``): the platform's database CA; the job checks the db
  host's certificate against it.
- ``<name>-credentials`` (``/etc/pic/db-backup.cnf``, root, 0600, placed with logging off): the
  read-only backup account (``pic_backup``: SELECT, SHOW VIEW, TRIGGER, EVENT on member
  databases; never root, never a write privilege).
- ``<name>-config`` (``/etc/pic/db-dump.conf``) and ``<name>-list`` (``/etc/pic/db-dump.list``):
  the settings (``pic:backup.keep_days``, ``pic:db.dump_jobs``, the report mailbox) and the
  databases of the members placed on this host. Archived members are left out: their dumps
  are kept as they are, neither refreshed nor pruned. Suspended members are listed: their users
  are locked, the backup account is not, so their databases are still dumped every night.
- ``<name>-dump-script`` (``/usr/local/sbin/pic-db-dump``) and ``<name>-restore-script``
  (``/usr/local/sbin/pic-db-restore``).
- ``<name>-service`` and ``<name>-timer`` (``pic-db-dump.service`` / ``.timer``: every day at
  ``pic:backup.time``).
- ``<name>-endpoint-program`` (``/usr/local/sbin/pic-db-endpoint``, the text of
  ``pic/dbendpoint.py``) and ``<name>-endpoint-service`` (``pic-db-endpoint.service``): the
  database endpoint of the sites, listening on the containers' bridge address
  (``pic.render.web.NETWORK_GATEWAY``, port 3306) in plain, carrying each connection to MariaDB
  over TLS (``/etc/pic/db-ca.pem``, the db host's address checked). The site containers reach
  it as ``pic-db`` (``pic.render.db.SITE_DB_HOST``), the host their credentials include names.
- ``<name>-enable``, which installs the MariaDB client and python3, enables the timer
  (idempotent; runs again when a unit changes) and (re)starts the endpoint when its program
  or unit change.

The job dumps each database with ``--single-transaction`` into the member's ``db/`` directory,
writing as the member, atomically; a failed dump never replaces the last good one; failures
are mailed to ``pic:db.report_to`` (default ``pic:admin_email``) and fail the unit;
``pic-db-dump --status`` shows the last run and each database's last good dump.

Deliberately not done: deleting dumps other than the job's own pruning of a database's dumps
older than ``keep_days`` (after a good dump, never the newest), removing anything when the
component goes away. Shipping the dumps off the host is OffsiteBackup's.

OffsiteBackup creates, on host ``<host>`` (component name ``<host>-offsite``), when
``pic:backup.offsite`` is set:

- ``<name>-config`` (``/etc/pic/offsite.conf``): repository, retention, what is backed up (the
  members' ``www/``, ``priv/``, ``db/`` under ``members_root``, and the host's own state: the
  platform's configuration, and on the mail host Sympa's lists and archives).
- ``<name>-password`` (``/etc/pic/offsite-password``, 0600, logging off): the secret
  ``pic:backupRepositoryPassword``. ``<name>-ssh-key`` and ``<name>-known-hosts`` (sftp: the
  secret ``pic:backupSshKey`` and the pinned host key) or ``<name>-s3-env`` (S3-compatible:
  ``pic:backupS3AccessKeyId`` and ``pic:backupS3SecretAccessKey``, 0600, logging off).
- ``<name>-backup-script``, ``<name>-drill-script``, ``<name>-restore-script``
  (``/usr/local/sbin/pic-offsite-{backup,drill,restore}``) and their units: the backup every day at
  ``offsite.time``, the restore drill every ``offsite.drill_day`` at ``offsite.drill_time``;
  ``<name>-enable`` installs restic and jq from Debian and enables both timers.

Failures of either are mailed to ``pic:db.report_to`` (default ``pic:admin_email``) and fail the
unit. Deliberately not done: deleting snapshots other than by the retention, and anything when
the component goes away (the repository is the admins').
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi

from components.db_host import DbHost
from components.hostcmd import HostAccess, host_access, place_file, run_script
from pic.registry import Registry
from pic.render import db as rdb
from pic.render import offsite as roff
from pic.render import web
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
    compression: str = "zstd"
    after: Sequence[pulumi.Resource] = field(default_factory=tuple)


def dump_entries(registry: Registry, web: str) -> list[rdb.DumpEntry]:
    """The databases the job of web host ``web`` dumps: those of its members that are not archived (suspended
    ones included: their users are locked, the backup account is not)."""
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
        compression=settings.backup.compression,
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
                compression=args.compression,
            )
        )
        credentials = dbh.backup_password.apply(
            lambda pw: rdb.backup_cnf(user=rdb.BACKUP_USER, password=pw, host=dbh.endpoint_host, port=dbh.endpoint_port)
        )
        service, timer = rdb.dump_service(), rdb.dump_timer(args.time)
        units = f"{rdb.SYSTEMD_DIR}/{rdb.DUMP_UNIT}"
        program = rdb.endpoint_program()
        endpoint = rdb.endpoint_service(
            listen_address=web.NETWORK_GATEWAY,
            server_address=dbh.endpoint_host,
            server_port=dbh.endpoint_port,
            server_name=dbh.endpoint_host,
        )
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
            place_file(f"{name}-endpoint-program", host, rdb.ENDPOINT_PROGRAM, program, mode="0755", opts=child),
            place_file(
                f"{name}-endpoint-service",
                host,
                f"{rdb.SYSTEMD_DIR}/{rdb.ENDPOINT_UNIT}.service",
                endpoint,
                opts=child,
            ),
        ]
        run_script(
            f"{name}-enable",
            host,
            rdb.web_install_script(
                units_digest=rdb.digest(service, timer), endpoint_digest=rdb.digest(program, endpoint)
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[*placed, *args.after, *dbh.ready]),
        )
        self.register_outputs({"databases": self.databases, "timer": self.timer, "schedule": args.time})


@dataclass(frozen=True)
class OffsiteBackupArgs:
    host: HostAccess
    config: roff.OffsiteConfig
    time: str
    drill_day: str
    drill_time: str
    password: pulumi.Output[str]  # secret
    ssh_key: pulumi.Output[str] | None = None  # secret, sftp repositories
    known_hosts: str | None = None
    s3_keys: tuple[pulumi.Output[str], pulumi.Output[str]] | None = None  # secrets, S3 repositories
    after: Sequence[pulumi.Resource] = field(default_factory=tuple)


def offsite_backup_args(settings: Settings, host: str, after: Sequence[pulumi.Resource] = ()) -> OffsiteBackupArgs:
    """The off-site backup of ``host``; ``pic:backup.offsite`` must be set. Reads the secrets it needs."""
    spec = settings.backup.offsite
    if spec is None:
        raise ValueError("pic:backup.offsite is not set")
    config = pulumi.Config("pic")
    paths = list(roff.HOST_STATE_PATHS)
    if host == settings.mail_host:
        paths += roff.SYMPA_PATHS
    sftp = spec.repository.startswith("sftp:")
    return OffsiteBackupArgs(
        host=host_access(host, settings.hosts[host]),
        config=roff.OffsiteConfig(
            repository=spec.repository,
            host_label=host,
            report_to=settings.db.report_to or settings.admin_email,
            members_root=settings.members_root,
            keep_daily=spec.keep_daily,
            keep_weekly=spec.keep_weekly,
            keep_monthly=spec.keep_monthly,
            keep_last=spec.keep_last,
            paths=paths,
            check_subset=spec.check_subset,
        ),
        time=spec.time,
        drill_day=spec.drill_day,
        drill_time=spec.drill_time,
        password=config.require_secret("backupRepositoryPassword").apply(roff.checked_password),
        ssh_key=config.require_secret("backupSshKey") if sftp else None,
        known_hosts=spec.known_hosts,
        s3_keys=None
        if sftp
        else (config.require_secret("backupS3AccessKeyId"), config.require_secret("backupS3SecretAccessKey")),
        after=tuple(after),
    )


class OffsiteBackup(pulumi.ComponentResource):
    """The encrypted off-site backup of one host, its weekly restore drill and its restore command."""

    repository: str
    timers: list[str]

    def __init__(self, name: str, args: OffsiteBackupArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("pic:index:OffsiteBackup", name, None, opts)
        host = args.host
        self.repository = args.config.repository
        self.timers = [f"{roff.BACKUP_UNIT}.timer", f"{roff.DRILL_UNIT}.timer"]
        child = pulumi.ResourceOptions(parent=self)
        units = {
            f"{roff.BACKUP_UNIT}.service": roff.backup_service(),
            f"{roff.BACKUP_UNIT}.timer": roff.backup_timer(args.time),
            f"{roff.DRILL_UNIT}.service": roff.drill_service(),
            f"{roff.DRILL_UNIT}.timer": roff.drill_timer(args.drill_day, args.drill_time),
        }
        placed = [
            place_file(f"{name}-config", host, roff.CONF, roff.offsite_conf(args.config), opts=child),
            self._secret_file(f"{name}-password", host, args.password.apply(roff.password_file), roff.PASSWORD_FILE),
            place_file(
                f"{name}-backup-script", host, roff.BACKUP_SCRIPT, roff.backup_script(), mode="0755", opts=child
            ),
            place_file(f"{name}-drill-script", host, roff.DRILL_SCRIPT, roff.drill_script(), mode="0755", opts=child),
            place_file(
                f"{name}-restore-script", host, roff.RESTORE_SCRIPT, roff.restore_script(), mode="0755", opts=child
            ),
            *(
                place_file(f"{name}-{unit.replace('.', '-')}", host, f"{rdb.SYSTEMD_DIR}/{unit}", text, opts=child)
                for unit, text in units.items()
            ),
        ]
        if args.ssh_key is not None:
            placed.append(self._secret_file(f"{name}-ssh-key", host, args.ssh_key.apply(_with_newline), roff.SSH_KEY))
        if args.known_hosts is not None:
            placed.append(
                place_file(f"{name}-known-hosts", host, roff.KNOWN_HOSTS, args.known_hosts + "\n", opts=child)
            )
        if args.s3_keys is not None:
            key_id, secret_key = args.s3_keys
            env = pulumi.Output.all(key_id, secret_key).apply(lambda keys: roff.s3_env(keys[0], keys[1]))
            placed.append(self._secret_file(f"{name}-s3-env", host, env, roff.ENV_FILE))
        run_script(
            f"{name}-enable",
            host,
            roff.install_script(*units.values()),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[*placed, *args.after]),
        )
        self.register_outputs({"repository": self.repository, "timers": self.timers, "schedule": args.time})

    def _secret_file(
        self, name: str, host: HostAccess, content: pulumi.Output[str], path: str
    ) -> pulumi.CustomResource:
        return place_file(
            name,
            host,
            path,
            pulumi.Output.secret(content),
            mode="0600",
            secret=True,
            opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=["stdin"]),
        )


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"

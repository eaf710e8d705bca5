"""Text of the off-site backup of a host: restic's settings, the backup, drill and restore scripts
and their systemd units.

Pure functions of plain data (no Pulumi): the component feeds them the stack settings and the
secrets through ``.apply``; the tests feed them a local repository or an sftp server on
loopback and run the result with the real restic, shellcheck and systemd-analyze.

The repository is restic's (https://restic.readthedocs.io/): encrypted with the repository
password, deduplicated, one snapshot per host and night tagged ``pic``.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field

from pic.render import render
from pic.render.db import DUMP_STATE_DIR, digest
from pic.settings import SftpTarget, sftp_target

CONF = "/etc/pic/offsite.conf"
PASSWORD_FILE = "/etc/pic/offsite-password"  # noqa: S105 - the file's path, not its content
ENV_FILE = "/etc/pic/offsite.env"
SSH_KEY = "/etc/pic/offsite-ssh-key"
KNOWN_HOSTS = "/etc/pic/offsite-known-hosts"
STATE_DIR = "/var/lib/pic/offsite"
BACKUP_SCRIPT = "/usr/local/sbin/pic-offsite-backup"
DRILL_SCRIPT = "/usr/local/sbin/pic-offsite-drill"
RESTORE_SCRIPT = "/usr/local/sbin/pic-offsite-restore"
BACKUP_UNIT = "pic-offsite-backup"
DRILL_UNIT = "pic-offsite-drill"
MAILER = "/usr/sbin/sendmail"

# The host's own state: the platform's configuration, and Sympa's lists and archives where the
# host runs Sympa (Debian's paths). Paths missing on a host are skipped.
HOST_STATE_PATHS: tuple[str, ...] = ("/etc/pic", "/etc/mysql/mariadb.conf.d", "/etc/caddy", "/etc/ssh/sshd_config.d")
SYMPA_PATHS: tuple[str, ...] = ("/etc/sympa", "/var/lib/sympa", "/var/spool/sympa", "/etc/postfix")


def sftp_command(target: SftpTarget, key_file: str = SSH_KEY, known_hosts: str = KNOWN_HOSTS) -> str:
    """The ssh command restic runs for an sftp repository: the platform's key, the pinned host key, no prompt."""
    return shlex.join(
        [
            "ssh",
            "-F",
            "none",
            "-i",
            key_file,
            "-o",
            f"UserKnownHostsFile={known_hosts}",
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "ConnectTimeout=30",
            "-p",
            str(target.port),
            f"{target.user}@{target.host}",
            "-s",
            "sftp",
        ]
    )


@dataclass(frozen=True)
class OffsiteConfig:
    """One host's off-site backup settings (``pic:backup.offsite`` and where the host keeps things)."""

    repository: str
    host_label: str
    report_to: str
    members_root: str
    keep_daily: int
    keep_weekly: int
    keep_monthly: int
    keep_last: int = 3
    paths: Sequence[str] = field(default_factory=lambda: HOST_STATE_PATHS)
    check_subset: str = "5%"
    password_file: str = PASSWORD_FILE
    env_file: str = ENV_FILE
    key_file: str = SSH_KEY
    known_hosts: str = KNOWN_HOSTS
    state_dir: str = STATE_DIR
    mailer: str = MAILER
    db_restore: str = "/usr/local/sbin/pic-db-restore"
    # the nightly dump job's lock, held by a whole host's restore onto this machine
    dump_lock: str = f"{DUMP_STATE_DIR}/lock"


def offsite_conf(c: OffsiteConfig) -> str:
    """The scripts' settings, a shell fragment; no secret (the password and keys are files of their own).

    Raises ValueError for an sftp repository restic would not read (the settings refuse it first:
    :func:`pic.settings.sftp_target` is the one parser of both).
    """
    target = sftp_target(c.repository)
    values = {
        "REPOSITORY": c.repository,
        "HOST_LABEL": c.host_label,
        "REPORT_TO": c.report_to,
        "MEMBERS_ROOT": c.members_root,
        "KEEP_DAILY": str(c.keep_daily),
        "KEEP_WEEKLY": str(c.keep_weekly),
        "KEEP_MONTHLY": str(c.keep_monthly),
        "KEEP_LAST": str(c.keep_last),
        "CHECK_SUBSET": c.check_subset,
        "PASSWORD_FILE": c.password_file,
        "ENV_FILE": c.env_file,
        "SFTP_COMMAND": sftp_command(target, c.key_file, c.known_hosts) if target else "",
        "STATE_DIR": c.state_dir,
        "MAILER": c.mailer,
        "DB_RESTORE": c.db_restore,
        "DUMP_LOCK": c.dump_lock,
    }
    body = "".join(f"{k}={shlex.quote(v)}\n" for k, v in values.items())
    paths = " ".join(shlex.quote(p) for p in c.paths)
    return f"# Settings of the pic-offsite-* scripts (written by pic)\n{body}PATHS=({paths})\n"


PASSWORD_KEY = "pic:backupRepositoryPassword"  # noqa: S105 - the secret's name, not its value


def checked_password(password: str) -> str:
    """The repository's password, as restic will read it from its file (:func:`password_file`); ValueError
    naming the secret, never its value, for one restic would not take as it was given.

    restic drops the spaces, tabs and line ends at both ends of its password file (restic 0.14): a password
    set with one there would encrypt the repository under another password than the one the admins keep,
    and the copy outside the platform (given to restic's prompt or ``RESTIC_PASSWORD``) would not open it.
    An empty one is refused by restic at every run.
    """
    if not password.strip():
        raise ValueError(f"{PASSWORD_KEY}: is empty (or only spaces): restic refuses it; set the repository's password")
    if password != password.strip():
        raise ValueError(
            f"{PASSWORD_KEY}: begins or ends with a space, a tab or a line end, which restic drops from its password "
            "file: the repository would be encrypted with a password other than the one kept outside the platform, "
            "which would not open it; set it again without them (the value is not shown)"
        )
    return password


def password_file(password: str) -> str:
    """The content of the repository password's file (``--password-file``)."""
    return password + "\n"


def s3_env(access_key_id: str, secret_access_key: str) -> str:
    """The S3-compatible store's credentials as restic reads them (a root-only file)."""
    return f"AWS_ACCESS_KEY_ID={shlex.quote(access_key_id)}\nAWS_SECRET_ACCESS_KEY={shlex.quote(secret_access_key)}\n"


def backup_script() -> str:
    return render("offsite/pic-offsite-backup.sh.j2", default_conf=CONF)


def drill_script() -> str:
    return render("offsite/pic-offsite-drill.sh.j2", default_conf=CONF)


def restore_script() -> str:
    return render("offsite/pic-offsite-restore.sh.j2", default_conf=CONF)


def backup_service(script: str = BACKUP_SCRIPT, conf: str = CONF) -> str:
    return render("offsite/pic-offsite-backup.service.j2", script=script, conf=conf)


def backup_timer(time: str) -> str:
    """Every day at ``time`` (HH:MM, the host's local time)."""
    return render("offsite/pic-offsite-backup.timer.j2", time=time)


def drill_service(script: str = DRILL_SCRIPT, conf: str = CONF) -> str:
    return render("offsite/pic-offsite-drill.service.j2", script=script, conf=conf)


def drill_timer(day: str, time: str) -> str:
    """Every week on ``day`` (Mon ... Sun) at ``time``."""
    return render("offsite/pic-offsite-drill.timer.j2", day=day, time=time)


def install_script(*units: str) -> str:
    """Installs restic and jq from Debian and (re)enables the timers when their units change."""
    return render(
        "offsite/offsite-install.sh.j2",
        units_digest=digest(*units),
        state_dir=STATE_DIR,
        backup_unit=BACKUP_UNIT,
        drill_unit=DRILL_UNIT,
    )

"""The operations settings (pic:smtp, pic:notify, pic:disk, pic:smtpPassword) and the member fields
they go with (contact.language, limits.disk_soft_limit_mb): valid forms, and errors naming the key."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest

from pic.check import check
from pic.errors import PicError, Problem
from pic.registry import load_registry
from pic.settings import load_settings
from tests.conftest import ROOT, require_program
from tests.helpers import member, project_copy, write_members


def _append(project: Path, text: str) -> None:
    with (project / "Pulumi.prod.yaml").open("a", encoding="utf-8") as out:
        out.write(text)


def test_defaults_and_a_full_form(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    plain = load_settings(project, "prod")
    assert plain.smtp is None and plain.notify.period_days == 30 and plain.disk.soft_limit_mb == 5000
    _append(
        project,
        "  pic:smtp: {host: smtp.example.org, port: 465, security: tls, username: pic@example.org,"
        " sender: admins@example.org, host_relay: 'mail.example.org:25'}\n"
        "  pic:notify: {period_days: 14}\n"
        "  pic:disk: {soft_limit_mb: 800, time: '01:10'}\n"
        "  pic:smtpPassword: {secure: AAABAKoAAAAAAAAAAAAAAAAAAAAAAAAA}\n",
    )
    settings = load_settings(project, "prod")
    assert settings.smtp is not None and (settings.smtp.port, settings.smtp.security) == (465, "tls")
    assert settings.notify.period_days == 14 and settings.disk.time == "01:10"
    assert "smtpPassword" in settings.secrets
    # An optional secret: pic check says nothing when it is absent.
    (tmp_path / "other").mkdir()
    empty = write_members(tmp_path / "m", {})
    warnings = check(project_copy(tmp_path / "other"), "prod", empty, dt.date(2026, 1, 1)).warnings
    assert not [w for w in warnings if "smtpPassword" in str(w)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  pic:smtp: {host: smtp.example.org, security: ssl}\n", "pic:smtp.security"),
        ("  pic:smtp: {port: 25}\n", "pic:smtp.host"),
        ("  pic:notify: {period_days: 0}\n", "pic:notify.period_days"),
        ("  pic:disk: {soft_limit_mb: -5}\n", "pic:disk.soft_limit_mb"),
        ("  pic:disk: {time: '25:00'}\n", "pic:disk.time"),
        ("  pic:smtpPassword: hunter2\n", "pic:smtpPassword"),
    ],
)
def test_errors_name_the_key_and_line(tmp_path: Path, text: str, expected: str) -> None:
    project = project_copy(tmp_path)
    lines = len((project / "Pulumi.prod.yaml").read_text().splitlines())
    _append(project, text)
    with pytest.raises(PicError) as info:
        load_settings(project, "prod")
    message = str(info.value)
    assert f"Pulumi.prod.yaml:{lines + 1} {expected}" in message, message
    assert "hunter2" not in message, "a secret value is never shown"


def test_member_language_and_disk_limit(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    settings = load_settings(project, "prod")
    good = write_members(
        tmp_path / "good",
        {
            "velo-cite": member(
                10601,
                contact={"name": "A", "email": "a@example.org", "language": "en"},
                limits={"disk_soft_limit_mb": 250},
            )
        },
    )
    m = load_registry(good, settings).get("velo-cite")
    assert m.spec.contact.language == "en" and m.spec.limits is not None and m.spec.limits.disk_soft_limit_mb == 250
    bad = write_members(
        tmp_path / "bad",
        {"velo-cite": member(10601, contact={"name": "A", "email": "a@example.org", "language": "de"})},
    )
    with pytest.raises(PicError) as info:
        load_registry(bad, settings)
    message = str(info.value)
    assert "velo-cite.yaml" in message and "contact.language" in message and "de" in message, message


# host:port settings: what is accepted is what curl and the mysql provider read.
@pytest.mark.parametrize("relay", ["localhost:1", "127.0.0.1:1", "[::1]:1", "localhost:65535"])
def test_relay_forms_accepted_are_read_by_curl(tmp_path: Path, relay: str) -> None:
    curl = require_program("curl")
    project = project_copy(tmp_path)
    _append(project, f"  pic:smtp: {{host: smtp.example.org, host_relay: '{relay}'}}\n")
    settings = load_settings(project, "prod")
    assert settings.smtp is not None
    done = subprocess.run(
        [curl, "--silent", "--connect-timeout", "2", "--url", f"smtp://{settings.smtp.host_relay}"], check=False
    )
    assert done.returncode != CURL_URL_MALFORMAT, f"curl cannot read smtp://{relay}"


CURL_URL_MALFORMAT = 3


@pytest.mark.parametrize(
    "proxy",
    ["socks5://127.0.0.1:1080", "socks5h://localhost:1080", "socks5://[::1]:1080", "socks5://proxy.example.org:9"],
)
def test_socks_proxies_the_provider_reads_are_accepted(tmp_path: Path, proxy: str) -> None:
    project = project_copy(tmp_path)
    _append(project, f"  pic:db: {{proxy: '{proxy}'}}\n")
    assert load_settings(project, "prod").db.proxy == proxy
    assert re.fullmatch(r"socks5h?://.*:\d+", proxy), "terraform-provider-mysql's own check of `proxy`"


# The secrets pic check asks for: those the settings make the program read, no other.
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
SFTP = f"{{repository: 'sftp://r@vault.example.net:2222//srv', known_hosts: '[vault.example.net]:2222 {KEY}'}}"
S3 = "{repository: 's3:https://s3.example.net/pic-backups/web'}"
S3_KEYS = ["backupS3AccessKeyId", "backupS3SecretAccessKey"]


@pytest.mark.parametrize(
    ("offsite", "expected"),
    [
        (None, ["dbAdminPassword", "sshPrivateKey"]),
        (SFTP, ["dbAdminPassword", "sshPrivateKey", "backupRepositoryPassword", "backupSshKey"]),
        (S3, ["dbAdminPassword", "sshPrivateKey", "backupRepositoryPassword", *S3_KEYS]),
    ],
)
def test_only_the_secrets_the_settings_need_are_asked_for(
    tmp_path: Path, offsite: str | None, expected: list[str]
) -> None:
    project = project_copy(tmp_path)
    if offsite is not None:
        path = project / "Pulumi.prod.yaml"
        old = '  pic:backup: {time: "03:15", keep_days: 7}'
        path.write_text(path.read_text().replace(old, f"{old[:-1]}, offsite: {offsite}}}"))
    settings = load_settings(project, "prod")
    assert settings.needed_secrets() == expected
    empty = write_members(tmp_path / "m", {})
    warnings = check(project, "prod", empty, dt.date(2026, 1, 1)).warnings
    unset = [w.path.removeprefix("pic:") for w in warnings if "is not set yet" in w.message]
    assert sorted(unset) == sorted(expected)
    _append(project, "".join(f"  pic:{key}: {{secure: AAABAKoAAAAAAAAAAAAAAAAAAAAAAAAA}}\n" for key in expected))
    warnings = check(project, "prod", empty, dt.date(2026, 1, 1)).warnings
    assert not [w for w in warnings if "is not set yet" in w.message]


def test_a_stack_of_local_hosts_needs_no_ssh_key() -> None:
    assert load_settings(ROOT, "dev").needed_secrets() == ["dbAdminPassword"]


@pytest.mark.parametrize(
    ("backup_time", "offsite_time", "said"),
    [
        ("03:15", "04:30", None),  # the defaults: dumps 1 h 15 old
        ("23:30", "00:30", None),  # past midnight: 1 h after
        ("03:15", "15:15", None),  # 12 h after: the bound, taken
        ("03:15", "03:00", "starts 23 h 45 after the nightly dumps (pic:backup.time 03:15)"),
        ("05:00", "04:30", "starts 23 h 30 after the nightly dumps (pic:backup.time 05:00)"),
        ("03:15", "15:16", "starts 12 h 01 after the nightly dumps"),
        ("03:15", "03:15", "starts with the nightly dumps (pic:backup.time 03:15)"),
    ],
)
def test_an_off_site_copy_set_before_the_dumps_or_at_their_minute_is_a_warning_at_its_line(
    tmp_path: Path, backup_time: str, offsite_time: str, said: str | None
) -> None:
    """Each night's snapshot holds the dumps made between pic:backup.time and offsite.time, around the clock."""
    project = project_copy(tmp_path)
    path = project / "Pulumi.prod.yaml"
    old = '  pic:backup: {time: "03:15", keep_days: 7}'
    text = path.read_text()
    line = text.splitlines().index(old) + 1
    new = f'  pic:backup: {{time: "{backup_time}", keep_days: 7, offsite: {S3[:-1]}, time: "{offsite_time}"}}}}'
    path.write_text(text.replace(old, new))
    warnings = check(project, "prod", write_members(tmp_path / "m", {}), dt.date(2026, 1, 1)).warnings
    told = [w for w in warnings if w.path == "pic:backup.offsite.time"]
    if said is None:
        assert told == []
        return
    assert len(told) == 1 and said in told[0].message, told
    assert told[0].line == line and told[0].file.endswith("Pulumi.prod.yaml")
    assert told[0].message.startswith(f"{offsite_time} ")


def _offsite_warnings(tmp_path: Path, repository: str) -> tuple[list[Problem], int]:
    """The warnings of ``pic check`` about pic:backup.offsite.repository on the example project with
    ``pic:backup``'s offsite mapping written ``repository`` (YAML), and the line it is written on."""
    project = project_copy(tmp_path)
    path = project / "Pulumi.prod.yaml"
    old = '  pic:backup: {time: "03:15", keep_days: 7}'
    text = path.read_text()
    line = text.splitlines().index(old) + 1
    path.write_text(text.replace(old, f'  pic:backup: {{time: "03:15", keep_days: 7, offsite: {repository}}}'))
    warnings = check(project, "prod", write_members(tmp_path / "m", {}), dt.date(2026, 1, 1)).warnings
    return [w for w in warnings if w.path == "pic:backup.offsite.repository"], line


@pytest.mark.parametrize(
    ("repository", "host"),
    [
        ("{repository: 's3:https://127.0.0.1:9000/pic-backups'}", "127.0.0.1"),
        ("{repository: 's3:http://localhost:9000/pic-backups'}", "localhost"),
        ("{repository: 's3:https://[::1]:9000/pic-backups'}", "::1"),
        (f"{{repository: 'sftp://restic@127.0.0.2//srv/restic', known_hosts: '127.0.0.2 {KEY}'}}", "127.0.0.2"),
        (f"{{repository: 'sftp:restic@localhost:/srv/restic', known_hosts: 'localhost {KEY}'}}", "localhost"),
    ],
)
def test_an_off_site_repository_on_the_hosts_own_loopback_is_a_warning_at_its_line(
    tmp_path: Path, repository: str, host: str
) -> None:
    """pic:backup.offsite.repository at a loopback address or localhost was taken silently on a stack whose hosts
    are reached over ssh: each host would back up to a store on itself (and each to another one), lost with the
    host, where the admins count on an off-site copy. A warning at its line names the host; the dev stack, whose
    hosts are all the admin's own machine, is not told."""
    told, line = _offsite_warnings(tmp_path, repository)
    assert len(told) == 1 and f"'{host}'" in told[0].message and "off-site" in told[0].message, told
    assert told[0].line == line and told[0].file.endswith("Pulumi.prod.yaml")


def test_an_off_site_repository_elsewhere_is_no_warning(tmp_path: Path) -> None:
    assert _offsite_warnings(tmp_path, S3)[0] == []


@pytest.mark.parametrize(
    ("repository", "host", "named"),
    [
        ("{repository: 's3:https://web1.example.org:9000/pic-backups'}", "web1.example.org", "web1"),
        (f"{{repository: 'sftp:restic@10.0.0.11:/srv/restic', known_hosts: '10.0.0.11 {KEY}'}}", "10.0.0.11", "web1"),
        (
            f"{{repository: 'sftp:restic@db.example.org:/srv/restic', known_hosts: 'db.example.org {KEY}'}}",
            "db.example.org",
            "db",
        ),
    ],
)
def test_an_off_site_repository_on_a_host_of_the_platform_is_a_warning_at_its_line(
    tmp_path: Path, repository: str, host: str, named: str
) -> None:
    """pic:backup.offsite.repository at a host of the platform (its address or private address: web1.example.org,
    10.0.0.11) was taken silently, where a store on loopback is told: that host would keep its backups on itself,
    lost with it, and the others' on it, none off-site. A warning at its line names the host."""
    told, line = _offsite_warnings(tmp_path, repository)
    assert len(told) == 1 and f"the platform's host {named}" in told[0].message, told
    assert f"'{host}'" in told[0].message and "off-site" in told[0].message, told
    assert told[0].line == line and told[0].file.endswith("Pulumi.prod.yaml")


@pytest.mark.parametrize(
    ("user", "warned"),
    [("Lilas2024", True), ("Velo75Paris", True), ("restic", False), ("backup-web", False), ("u12345", False)],
)
def test_an_sftp_user_shaped_as_a_password_is_a_warning_that_shows_it_not(
    tmp_path: Path, user: str, warned: bool
) -> None:
    """sftp://Lilas2024@vault.example.org//srv/restic (a password's shape where the user goes, as a reader of
    user:password@ would write it without its user) was taken silently: ssh would log in as a user of that name,
    which Debian's adduser refuses (capitals, signs), and the stack file holds what may be the password in clear. A
    warning at its line says so, without showing it; a user's name as adduser makes one is none."""
    project = project_copy(tmp_path)
    path = project / "Pulumi.prod.yaml"
    old = '  pic:backup: {time: "03:15", keep_days: 7}'
    text = path.read_text()
    line = text.splitlines().index(old) + 1
    repository = (
        f"{{repository: 'sftp://{user}@vault.example.org//srv/restic', known_hosts: 'vault.example.org {KEY}'}}"
    )
    path.write_text(text.replace(old, f'  pic:backup: {{time: "03:15", keep_days: 7, offsite: {repository}}}'))
    warnings = check(project, "prod", write_members(tmp_path / "m", {}), dt.date(2026, 1, 1)).warnings
    told = [w for w in warnings if w.path == "pic:backup.offsite.repository"]
    if not warned:
        assert told == [], told
        return
    assert len(told) == 1 and "password" in told[0].message and user not in told[0].message, told
    assert told[0].line == line and told[0].file.endswith("Pulumi.prod.yaml")

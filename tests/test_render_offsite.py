"""The off-site backup's rendered files, checked by the programs that read them: shellcheck (every
script), bash (the settings fragment), systemd-analyze (units and calendars); and the settings'
errors for repositories restic would not read."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pic.render import db as rdb
from pic.render import offsite as ro
from pic.settings import BackupSpec
from tests.conftest import require_program

NASTY = 'it\'s a "pass" with $dollar `tick` and \\ backslash'


def _config(repository: str) -> ro.OffsiteConfig:
    return ro.OffsiteConfig(
        repository=repository,
        host_label="web1",
        report_to="admins@example.org",
        members_root="/srv/members",
        keep_daily=7,
        keep_weekly=5,
        keep_monthly=12,
        paths=[*ro.HOST_STATE_PATHS, *ro.SYMPA_PATHS],
    )


@pytest.mark.parametrize(
    "script", [ro.backup_script, ro.drill_script, ro.restore_script, lambda: ro.install_script("a", "b")]
)
def test_scripts_pass_shellcheck(script: object, tmp_path: Path) -> None:
    shellcheck = require_program("shellcheck")
    assert callable(script)
    path = tmp_path / "script.sh"
    path.write_text(script())
    done = subprocess.run([shellcheck, "-x", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize(
    ("repository", "command"),
    [
        ("sftp:backup@vault.example.net:/srv/restic/pic", "-p 22 backup@vault.example.net -s sftp"),
        ("sftp://backup@vault.example.net:2222//srv/restic/pic", "-p 2222 backup@vault.example.net -s sftp"),
        ("s3:https://s3.example.net/pic-backups/web", ""),
    ],
)
def test_settings_fragment_reads_back_in_bash(repository: str, command: str, tmp_path: Path) -> None:
    conf = tmp_path / "offsite.conf"
    conf.write_text(ro.offsite_conf(_config(repository)))
    done = subprocess.run(
        ["bash", "-c", f'. {conf}; printf "%s\\n" "$REPOSITORY" "$SFTP_COMMAND" "${{#PATHS[@]}}" "${{PATHS[-1]}}"'],
        capture_output=True,
        text=True,
        check=True,
    )
    repo, sftp, count, last = done.stdout.splitlines()
    assert repo == repository
    assert sftp.endswith(command)
    assert ("StrictHostKeyChecking=yes" in sftp) == bool(command)
    assert int(count) == len(ro.HOST_STATE_PATHS) + len(ro.SYMPA_PATHS)
    assert last == ro.SYMPA_PATHS[-1]


def test_s3_credentials_file_reads_back(tmp_path: Path) -> None:
    env = tmp_path / "offsite.env"
    env.write_text(ro.s3_env("AKIDEXAMPLE", NASTY))
    done = subprocess.run(
        ["bash", "-c", f'set -a; . {env}; printf "%s\\n" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY"'],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines() == ["AKIDEXAMPLE", NASTY]


def test_a_repository_restic_would_not_read_is_refused() -> None:
    with pytest.raises(ValueError, match="sftp:user@host:/path"):
        ro.sftp_target("sftp:no-user-or-path")
    with pytest.raises(ValueError, match="known_hosts"):
        BackupSpec.model_validate({"offsite": {"repository": "sftp:b@vault.example.net:/srv/r"}})
    with pytest.raises(ValueError, match="repository"):
        BackupSpec.model_validate({"offsite": {"repository": "/a/local/path"}})
    with pytest.raises(ValueError, match="compression"):
        rdb.dump_conf(rdb.DumpConfig("/srv/members", 7, 2, "a@b.org", "web1", compression="xz"))


@pytest.mark.daemon
def test_systemd_units_verify(tmp_path: Path) -> None:
    analyze = require_program("systemd-analyze")
    scripts = {}
    for name in ("pic-offsite-backup", "pic-offsite-drill"):
        scripts[name] = tmp_path / name
        scripts[name].write_text("#!/bin/sh\n")
        scripts[name].chmod(0o755)
    conf = str(tmp_path / "offsite.conf")
    units = {
        "pic-offsite-backup.service": ro.backup_service(str(scripts["pic-offsite-backup"]), conf),
        "pic-offsite-backup.timer": ro.backup_timer("04:30"),
        "pic-offsite-drill.service": ro.drill_service(str(scripts["pic-offsite-drill"]), conf),
        "pic-offsite-drill.timer": ro.drill_timer("Sun", "06:00"),
    }
    for name, text in units.items():
        (tmp_path / name).write_text(text)
    done = subprocess.run(
        [analyze, "verify", *(str(tmp_path / n) for n in units)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert not [line for line in done.stderr.splitlines() if "pic-offsite" in line], done.stderr
    for spec in ("*-*-* 04:30:00", "Sun *-*-* 06:00:00"):
        cal = subprocess.run([analyze, "calendar", spec], capture_output=True, text=True, check=False)
        assert cal.returncode == 0, cal.stderr
    assert "OnCalendar=Sun *-*-* 06:00:00" in units["pic-offsite-drill.timer"]

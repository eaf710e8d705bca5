"""The hosts' operations files: certificate renewal and disk usage, checked by shellcheck,
systemd-analyze and, for the disk usage, run for real on a members tree."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from pic import diskusage
from pic.check import check
from pic.errors import PicError
from pic.render import disk, tls, web
from pic.settings import Settings
from tests.conftest import MEMBERS, ROOT, require_program
from tests.test_render_web import shellcheck

ON = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def settings() -> Settings:
    return check(ROOT, "prod", MEMBERS, ON).settings


def test_renew_script_passes_shellcheck(settings: Settings, tmp_path: Path) -> None:
    script = tls.render_cert_renew_script(settings)
    shellcheck(script, tmp_path, "cert-renew")
    assert "--deploy-hook /usr/local/lib/pic/certbot-deploy-hook" in script
    assert "--mail-rcpt admin@example.org" in script
    assert "smtp://localhost:25" in script, "without pic:smtp, the host's own MTA"
    assert f"-checkend {20 * 86400}" in script
    staging = settings.model_copy(update={"tls": settings.tls.model_copy(update={"ca": "staging"})})
    assert "--staging" in tls.render_cert_renew_script(staging)
    assert "--staging" not in script


@pytest.mark.daemon
def test_systemd_units_verify(settings: Settings, tmp_path: Path) -> None:
    analyze = require_program("systemd-analyze")
    script = tmp_path / "pic-script"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    units = {
        **tls.render_cert_renew_units(script=str(script)),
        **disk.render_disk_usage_units(settings, script=str(script)),
    }
    for name, text in units.items():
        (tmp_path / name).write_text(text)
    done = subprocess.run(
        [analyze, "verify", *(str(tmp_path / n) for n in units)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert not [line for line in done.stderr.splitlines() if "pic-" in line], done.stderr
    for calendar in ("*-*-* 00,12:00:00", f"*-*-* {settings.disk.time}:00"):
        cal = subprocess.run([analyze, "calendar", calendar], capture_output=True, text=True, check=False)
        assert cal.returncode == 0, cal.stderr
    assert f"OnCalendar=*-*-* {settings.disk.time}:00" in units["pic-disk-usage.timer"]


def test_disk_usage_script_measures_every_member(settings: Settings, tmp_path: Path) -> None:
    shellcheck(disk.render_disk_usage_script(settings, "web1"), tmp_path, "disk-usage")
    root = tmp_path / "members"
    for slug, sizes in {"amis-du-rhone": (300, 50, 7), "velo-cite": (0, 0, 0)}.items():
        for sub, kib in zip(("www", "db", "log", "priv"), (*sizes, 999), strict=True):
            (root / slug / sub).mkdir(parents=True)
            if kib:
                (root / slug / sub / "data").write_bytes(os.urandom(kib * 1024))
    (root / "lost+found").mkdir()  # not a member: skipped
    output = tmp_path / "out" / "disk-usage.tsv"
    script = disk.render_disk_usage_script(settings, "web1", members_root=str(root), output=str(output))
    proc = subprocess.run(["sh", "-eu", "-s"], input=script, text=True, capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr
    lines = output.read_text().splitlines()
    assert lines[0].startswith("# pic disk usage of web1 at ")
    usage = diskusage.read([output])
    assert sorted(usage) == ["amis-du-rhone", "velo-cite"]
    a = usage["amis-du-rhone"]
    # du counts blocks: at least the bytes written, a little more for the directory itself.
    assert 300 <= a.www_kib <= 320 and 50 <= a.db_kib <= 70 and 7 <= a.log_kib <= 24, a
    assert a.host == "web1" and a.measured_at.startswith(str(dt.date.today().year))
    assert usage["velo-cite"].www_kib <= 8, "an empty directory"
    assert not list(output.parent.glob("disk-usage.tsv.*")), "no temporary file left"


def test_web_host_setup_installs_the_timers(settings: Settings, tmp_path: Path) -> None:
    setup = web.render_web_host_setup(settings, "web1")
    shellcheck(setup, tmp_path, "setup.sh")
    measured = setup.split("<<'PIC_DISK_EOF'\n", 1)[1].split("PIC_DISK_EOF\n", 1)[0]
    assert measured == disk.render_disk_usage_script(settings, "web1")
    assert "systemctl enable --now pic-disk-usage.timer" in setup
    for name, text in {**tls.render_cert_renew_units(), **disk.render_disk_usage_units(settings)}.items():
        assert f"put /etc/systemd/system/{name} 0644 <<'PIC_UNIT_EOF'\n{text}PIC_UNIT_EOF\n" in setup


def test_disk_usage_file_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "web1.tsv"
    bad.write_text("# pic disk usage of web1 at 2026-11-30T02:30:00+00:00 (KiB, du -sk)\namis\t12\tx\t3\n")
    with pytest.raises(PicError) as info:
        diskusage.read([tmp_path])
    assert "web1.tsv:2" in str(info.value) and "'amis\\t12\\tx\\t3'" in str(info.value)

"""The hosts' operations files: certificate renewal and disk usage, checked by shellcheck,
systemd-analyze and, for the disk usage, run for real on a members tree."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from pathlib import Path

import pytest

from pic import diskusage
from pic.check import check
from pic.cli import main
from pic.errors import PicError
from pic.render import disk, tls, web
from pic.settings import Settings
from tests.conftest import MEMBERS, ROOT, require_program, require_root
from tests.test_lists_audit import unblocking_writer
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
    # a file of 2000 KiB in www/ hard-linked in db/: one file on the disk, counted once
    (root / "velo-cite" / "www" / "big").write_bytes(os.urandom(2000 * 1024))
    os.link(root / "velo-cite" / "www" / "big", root / "velo-cite" / "db" / "big")
    # a name with a newline, and a sparse file of 1 GiB holding 4 KiB: the blocks, not the size
    (root / "velo-cite" / "log" / "odd\nname").write_bytes(os.urandom(4096))
    with (root / "velo-cite" / "log" / "sparse").open("wb") as f:
        f.truncate(1 << 30)
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
    assert a.host == "web1" and (a.measured_at or "").startswith(str(dt.date.today().year)), a
    v = usage["velo-cite"]
    assert 2000 <= v.www_kib + v.db_kib <= 2020, f"a file hard-linked in two directories counted twice: {v}"
    assert 4 <= v.log_kib <= 24, v
    assert not list(output.parent.glob("disk-usage.tsv.*")), "no temporary file left"


def test_disk_usage_counts_a_directory_mounted_twice_once(settings: Settings, tmp_path: Path) -> None:
    """A member's log/ that is a bind mount of its www/ (one directory reached twice): du names it once, so
    the member's line had an empty log/ column and was not counted at all. It counts once, in the first."""
    require_root("a bind mount")
    root = tmp_path / "members"
    for sub in ("www", "db", "log"):
        (root / "velo-cite" / sub).mkdir(parents=True)
    (root / "velo-cite" / "www" / "data").write_bytes(os.urandom(300 * 1024))
    (root / "velo-cite" / "db" / "dump").write_bytes(os.urandom(50 * 1024))
    log = root / "velo-cite" / "log"
    subprocess.run(["mount", "--bind", str(root / "velo-cite" / "www"), str(log)], check=True)
    try:
        output = tmp_path / "disk-usage.tsv"
        script = disk.render_disk_usage_script(settings, "web1", members_root=str(root), output=str(output))
        proc = subprocess.run(["sh", "-eu", "-s"], input=script, text=True, capture_output=True, check=False)
    finally:
        subprocess.run(["umount", str(log)], check=True)
    assert proc.returncode == 0, proc.stderr
    usage = diskusage.read([output])
    assert "velo-cite" in usage, output.read_text()
    v = usage["velo-cite"]
    assert 300 <= v.www_kib <= 320 and 50 <= v.db_kib <= 70 and v.log_kib == 0, v


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
    assert str(info.value).endswith(
        'web1.tsv:2 amis.db: "x" is not a count of KiB (at most 20 digits 0-9, of a value at most 1099511627776, '
        "which is 1 PiB)"
    )


HEADER = b"# pic disk usage of web1 at 2026-11-30T02:30:00+00:00 (KiB, du -sk)\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "amis-du-rhone\t1²\t0\t0".encode(),
            ':2 amis-du-rhone.www: "1²" is not a count of KiB (at most 20 digits 0-9, of a value at most',
        ),
        ("amis\t0\t٣\t0".encode(), ':2 amis.db: "٣" is not a count of KiB'),
        (
            b"amis\t0\t0\t99999999999999999999999999999999999999",
            ':2 amis.log: "99999999999999999999999999999999999999" is',
        ),
        (f"amis\t{2**40 + 1}\t0\t0".encode(), f':2 amis.www: "{2**40 + 1}" is not a count of KiB'),
        (b"amis\t-1\t0\t0", ':2 amis.www: "-1" is not a count of KiB'),
        (b"amis\t 1\t0\t0", ':2 amis.www: " 1" is not a count of KiB'),
        (b"amis\t\t0\t0", ':2 amis.www: "" is not a count of KiB'),
        (b"amis\t1\xff\t0\t0", ":2 holds bytes that are not UTF-8 (\\xff, column 7): the hosts write UTF-8"),
        (b"amis\t1\t0", ':2 "amis\\t1\\t0" has 3 tab-separated column(s), not 4: slug, then KiB of www/, db/, log/'),
        (b"amis 1 0 0", ':2 "amis 1 0 0" has 1 tab-separated column(s), not 4'),
        (b"Amis\t1\t0\t0", ':2 slug: "Amis" is not a member slug (a-z, 0-9 and -, at most 32 characters)'),
        (b"\t1\t0\t0", ':2 slug: "" is not a member slug'),
    ],
    ids=[
        "superscript",
        "arabic-digit",
        "huge",
        "over-1-PiB",
        "negative",
        "space",
        "empty",
        "not-utf8",
        "3-columns",
        "spaces",
        "slug",
        "no-slug",
    ],
)
def test_disk_usage_malformed_line_names_file_line_field_and_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: bytes, expected: str
) -> None:
    """Through `pic report`, as the admins run it: exit 1, the message, never a traceback."""
    usage = tmp_path / "web1.tsv"
    usage.write_bytes(HEADER + line + b"\n")
    rc = main(
        ["report", "--project", str(ROOT), "--members", str(MEMBERS), "--on", "2026-11-28", "--disk-usage", str(usage)]
    )
    err = capsys.readouterr().err
    assert rc == 1
    assert f"{usage}{expected}" in err, err
    assert err.endswith("invalid: 1 error\n")


def test_disk_usage_bad_file_stops_pic_status_before_any_probe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    usage = tmp_path / "web1.tsv"
    usage.write_bytes(HEADER + b"amis-du-rhone\t1\xc2\xb2\t0\t0\n")
    started = time.monotonic()
    rc = main(
        [
            "status",
            "--project",
            str(ROOT),
            "--members",
            str(MEMBERS),
            "--resolver",
            "127.0.0.1",
            "--port",
            "9",
            "--timeout",
            "2",
            "--disk-usage",
            str(usage),
        ]
    )
    err = capsys.readouterr().err
    assert rc == 1
    assert f'{usage}:2 amis-du-rhone.www: "1²" is not a count of KiB' in err, err
    assert time.monotonic() - started < 2, "said before the sites are probed"


def test_disk_usage_largest_counts_and_crlf_lines_are_read(tmp_path: Path) -> None:
    usage = tmp_path / "web1.tsv"
    usage.write_bytes(HEADER.replace(b"\n", b"\r\n") + f"amis\t{2**40}\t{2**40}\t{2**40}\r\n".encode())
    read = diskusage.read([usage])["amis"]
    assert (read.host, read.measured_at, read.www_kib) == ("web1", "2026-11-30T02:30:00+00:00", 2**40)
    assert read.total_mb == 3 * 2**30


def test_disk_usage_every_bad_line_and_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "web1.tsv").write_bytes(HEADER + b"a\t1\t2\t3\nb\tx\t2\t3\nc\t1\t2\n")
    (tmp_path / "web2.tsv").write_bytes(b"d\t1\xff\t2\t3\n")
    with pytest.raises(PicError) as info:
        diskusage.read([tmp_path])
    assert [(os.path.basename(p.file), p.line) for p in info.value.problems] == [
        ("web1.tsv", 3),
        ("web1.tsv", 4),
        ("web2.tsv", 1),
    ]


def test_disk_usage_many_bad_lines_are_counted_not_all_shown(tmp_path: Path) -> None:
    """The line counting the problems not shown comes after those shown, at the line of the first it counts, as
    pic check counts a member file's (pic.yamlsrc): it was first, at no line, before what it counted."""
    (tmp_path / "web1.tsv").write_bytes(HEADER + b"a\t1\xc2\xb2\t2\t3\n" * 25)
    with pytest.raises(PicError) as info:
        diskusage.read([tmp_path])
    assert [p.line for p in info.value.problems] == [*range(2, 22), 22]
    assert str(info.value.problems[-1]).endswith("web1.tsv:22 and 5 more problem(s) from this line on, not shown")
    assert str(info.value).splitlines()[-1] == str(info.value.problems[-1])


def test_disk_usage_problems_not_shown_of_several_files_are_counted_last(tmp_path: Path) -> None:
    """Hidden problems spread over two files: the count, last, says so."""
    (tmp_path / "web1.tsv").write_bytes(HEADER + b"a\t1\xc2\xb2\t2\t3\n" * 19)
    (tmp_path / "web2.tsv").write_bytes(HEADER.replace(b"web1", b"web2") + b"b\t1\xc2\xb2\t2\t3\n" * 4)
    with pytest.raises(PicError) as info:
        diskusage.read([tmp_path])
    shown = [(os.path.basename(p.file), p.line) for p in info.value.problems]
    assert shown == [*(("web1.tsv", n) for n in range(2, 21)), ("web2.tsv", 2), ("web2.tsv", 3)], shown
    assert str(info.value.problems[-1]).endswith("web2.tsv:3 and 3 more problem(s) from this line on, not shown")


def test_disk_usage_file_that_is_not_a_regular_file_is_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "web1.tsv")  # opened, it would block until a writer comes
    (tmp_path / "web2.tsv").mkdir()
    with (tmp_path / "web3.tsv").open("wb") as f:
        f.truncate(diskusage.MAX_FILE_BYTES + 1)
    with pytest.raises(PicError) as info, unblocking_writer(tmp_path / "web1.tsv"):
        diskusage.read([tmp_path])
    assert [p.message for p in info.value.problems] == [
        "is a FIFO, not a regular file: it is not read",
        "is a directory, not a regular file: it is not read",
        f"is {diskusage.MAX_FILE_BYTES + 1} bytes long (at most 1048576): it is not read",
    ]

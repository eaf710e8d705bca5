"""Disk usage files against the stack and the registry: `pic report` and `pic status` never show a
figure they cannot vouch for (a host the stack lacks, a slug that is no member or not placed on that
host, a member measured twice), and `measured_at` is a time or null, never an empty string."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import pytest

from pic import diskusage
from pic.cli import main
from pic.errors import PicError
from pic.registry import load_registry
from pic.settings import load_settings
from tests.helpers import answering_resolver, member, project_copy, rcode_reply, write_members


# Last night's measurement, as the host's job writes its time: the figures of a file more than two days old
# are said to be of another day (test_a_measurement_older_than_two_days_is_a_warning_its_lines_counted).
def host_time(hours: float) -> str:
    """The time ``hours`` from now as the host's job writes it (``date --iso-8601=seconds``, in UTC)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() + hours * 3600))


AT = host_time(-6)


def header(host: str, at: str = AT) -> str:
    """What the host's job writes first (pic/render/templates/disk-usage.sh.j2)."""
    return f"# pic disk usage of {host} at {at} (KiB, du -sk)\n"


@pytest.fixture
def stack(tmp_path: Path) -> tuple[Path, Path]:
    """A stack with web hosts web1 and web2; velo-cite and amis-du-rhone on web1, jardins on web2."""
    project = project_copy(tmp_path)
    stack_file = project / "Pulumi.prod.yaml"
    text = stack_file.read_text()
    web1 = "    web1: {role: web, address: web1.example.org, private_address: 10.0.0.11, ssh_user: deploy}\n"
    assert web1 in text
    stack_file.write_text(
        text.replace(
            web1,
            web1 + "    web2: {role: web, address: web2.example.org, private_address: 10.0.0.12, ssh_user: deploy}\n",
        )
    )
    members = write_members(
        tmp_path / "members",
        {
            "velo-cite": member(10601),
            "amis-du-rhone": member(10602),
            "jardins": member(10603, host="web2"),
        },
    )
    return project, members


def usage_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    d = tmp_path / "disk-usage"
    d.mkdir(exist_ok=True)
    for name, text in files.items():
        (d / name).write_text(text)
    return d


def measured_at(tmp_path: Path, *, web1: str, web2: str) -> Path:
    """Both hosts' files, velo-cite measured on web1 at ``web1``, jardins on web2 at ``web2``."""
    return usage_dir(
        tmp_path,
        {
            "web1.tsv": header("web1", web1) + "velo-cite\t1\t2\t3\n",
            "web2.tsv": header("web2", web2) + "jardins\t1\t2\t3\n",
        },
    )


def report(
    capsys: pytest.CaptureFixture[str], stack: tuple[Path, Path], disk: Path, fmt: str = "json", on: str | None = None
) -> tuple[int, Any, str]:
    """``pic report`` of the disk usage files ``disk``, as of today (the files' times are the clock's) or ``on``."""
    project, members = stack
    rc = main(
        [
            *("report", "--project", str(project), "--members", str(members), *(["--on", on] if on else [])),
            *("--disk-usage", str(disk), "--format", fmt),
        ]
    )
    out = capsys.readouterr()
    if rc == 0 and fmt == "json":
        return rc, json.loads(out.out), out.err
    return rc, out.out, out.err


def test_the_issue_s_example_is_refused_and_every_fault_named(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """web9 (no host of the stack) beside web1: nothing from web9 is shown as velo-cite's figure."""
    disk = usage_dir(
        tmp_path,
        {
            "web1.tsv": header("web1") + "velo-cite\t10\t2\t3\n",
            "web9.tsv": "nobody\t1\t2\t3\nvelo-cite\t1\t2\t3\nvelo-cite\t7000000\t2\t3\n",
        },
    )
    rc, out, err = report(capsys, stack, disk, fmt="table")
    assert rc == 1 and out == "" and "Traceback" not in err
    web9 = disk / "web9.tsv"
    assert f'{web9} host: it has no header line and is named after "web9", which is not a web host of stack prod' in err
    assert f'{web9}:1 slug: "nobody" is no member of the registry' in err
    assert f'{web9}:3 slug: "velo-cite" is measured a second time on web9 (first at line 2)' in err
    assert err.endswith("invalid: 2 errors\n")


def test_a_header_naming_a_host_the_stack_lacks_is_an_error(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    disk = usage_dir(tmp_path, {"web1.tsv": header("web7") + "velo-cite\t1\t2\t3\n"})
    rc, _, err = report(capsys, stack, disk)
    assert rc == 1
    assert f'{disk / "web1.tsv"}:1 host: its header names "web7", which is not a web host of stack prod' in err


def test_a_host_that_is_not_a_web_host_is_an_error(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    disk = usage_dir(tmp_path, {"db.tsv": header("db") + "velo-cite\t1\t2\t3\n"})
    rc, _, err = report(capsys, stack, disk)
    assert rc == 1 and '"db", which is not a web host of stack prod (its web hosts: web1, web2)' in err


@pytest.mark.parametrize(
    ("files", "where"),
    [
        ({"web1.tsv": header("web1") + "velo-cite\t1\t2\t3\nvelo-cite\t7000000\t2\t3\n"}, "web1.tsv:3"),
        (  # two copies of one host's file: which is the right one is unknown
            {
                "web1.tsv": header("web1") + "velo-cite\t1\t2\t3\n",
                "web1-old.tsv": header("web1", "2026-11-29T02:30:04+00:00") + "velo-cite\t7000000\t2\t3\n",
            },
            "web1.tsv:2",
        ),
    ],
    ids=["one-file", "two-files"],
)
def test_a_slug_measured_twice_on_one_host_is_an_error(
    tmp_path: Path,
    stack: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    where: str,
) -> None:
    disk = usage_dir(tmp_path, files)
    rc, out, err = report(capsys, stack, disk)
    assert rc == 1 and out == ""
    assert f"{disk / where} slug: " in err or f"{disk}/{where} slug: " in err, err
    assert '"velo-cite" is measured a second time on web1' in err


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("nobody\t1\t2\t3", '"nobody" is no member of the registry'),
        ("jardins\t1\t2\t3", '"jardins" is placed on web2, not web1'),
    ],
    ids=["no-member", "member-of-another-host"],
)
def test_a_line_not_counted_is_a_warning_in_the_report(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str], line: str, expected: str
) -> None:
    """The line is said, with its file and number, and its figure is nowhere in the report."""
    disk = usage_dir(
        tmp_path,
        {"web1.tsv": header("web1") + f"velo-cite\t10\t2\t3\n{line}\n", "web2.tsv": header("web2")},
    )
    rc, data, _ = report(capsys, stack, disk)
    assert rc == 0
    assert [(u["slug"], u["host"]) for u in data["disk_usage"]] == [("velo-cite", "web1")]
    [warning] = data["disk_usage_warnings"]
    assert warning.startswith(f"warning: {disk / 'web1.tsv'}:3 slug: {expected}")
    assert warning.endswith("this line is not counted")
    rc, text, _ = report(capsys, stack, disk, fmt="table")
    assert rc == 0 and f"{disk / 'web1.tsv'}:3 slug: {expected}" in text


def test_a_member_counts_on_its_own_host_whatever_the_order_of_the_files(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """jardins' space left on web1 after its move to web2: web2's line counts, web1's is a warning."""
    for web1 in ("a-web1.tsv", "z-web1.tsv"):
        disk = tmp_path / web1
        disk.mkdir()
        usage_dir(
            disk,
            {web1: header("web1") + "jardins\t7000000\t0\t0\n", "web2.tsv": header("web2") + "jardins\t1024\t0\t0\n"},
        )
        rc, data, _ = report(capsys, stack, disk / "disk-usage")
        assert rc == 0
        assert [(u["slug"], u["host"], u["total_mb"]) for u in data["disk_usage"]] == [("jardins", "web2", 1.0)]
        assert len(data["disk_usage_warnings"]) == 1


def test_measured_at_is_the_header_s_time_or_null_never_empty(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    disk = usage_dir(tmp_path, {"web1.tsv": header("web1") + "velo-cite\t1\t2\t3\n", "web2.tsv": "jardins\t1\t2\t3\n"})
    rc, data, _ = report(capsys, stack, disk)
    assert rc == 0
    assert {u["slug"]: u["measured_at"] for u in data["disk_usage"]} == {"velo-cite": AT, "jardins": None}


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        ("# pic disk usage of web1 at yesterday (KiB, du -sk)", '"yesterday" is not a time as `date --iso-8601'),
        ("# pic disk usage of web1 at 2026-11-30T02:30:04", '"2026-11-30T02:30:04" is not a time'),
        ("# pic disk usage of web1 at  (KiB, du -sk)", "is not the host's header line"),
        ("# pic disk usage of web1", "is not the host's header line"),
        # other forms Python's fromisoformat reads, which no date --iso-8601=seconds writes
        ("# pic disk usage of web1 at 2026-W48-1T02:30:04+00:00", '"2026-W48-1T02:30:04+00:00" is not a time'),
        ("# pic disk usage of web1 at 20261130T023004+0000", '"20261130T023004+0000" is not a time'),
        ("# pic disk usage of web1 at 2026-11-30T02:30:04+00:00:00.5", '+00:00:00.5" is not a time'),
        ("# pic disk usage of web1 at 2026-11-30T02:30:04.123+00:00", '04.123+00:00" is not a time'),
    ],
    ids=["word", "no-offset", "no-time", "cut", "week-date", "basic-format", "offset-seconds", "fraction"],
)
def test_a_damaged_header_is_an_error_not_a_comment(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str], first: str, expected: str
) -> None:
    disk = usage_dir(tmp_path, {"web1.tsv": first + "\nvelo-cite\t1\t2\t3\n"})
    rc, _, err = report(capsys, stack, disk)
    assert rc == 1 and f"{disk / 'web1.tsv'}:1 header: " in err and expected in err, err


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("2026-02-29T02:30:04+00:00", "2026-02 has no day 29"),
        ("2026-13-01T02:30:04+00:00", "month 13 (01 to 12)"),
        ("0000-11-30T02:30:04Z", "year 0000 (0001 to 9999)"),
        ("2026-11-30T25:30:04+00:00", "hour 25 (00 to 23)"),
        ("2026-11-30T02:61:04+00:00", "minute 61 (00 to 59)"),
        ("2026-11-30T02:30:60+00:00", "second 60 (00 to 59)"),
        ("2026-11-30T02:30:04+99:00", "UTC offset +99:00 (-23:59 to +23:59)"),
        ("2026-11-30T02:30:04-05:75", "UTC offset -05:75 (-23:59 to +23:59)"),
    ],
)
def test_a_header_time_of_the_host_s_form_that_is_no_time_of_the_calendar_says_which_part(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str], at: str, expected: str
) -> None:
    """A header's time written as `date --iso-8601=seconds` writes one but with a day, an hour or an offset no
    calendar has (a header edited by hand) was told it is not written so, its form being right; it is told which
    part is out of range, as --on's `2026-02-29` is told no day of the calendar."""
    disk = usage_dir(tmp_path, {"web1.tsv": header("web1", at) + "velo-cite\t1\t2\t3\n"})
    rc, _, err = report(capsys, stack, disk)
    said = f'{disk / "web1.tsv"}:1 header: "{at}" is no time of the calendar ({expected}): '
    assert rc == 1 and said in err and "is not a time as" not in err, err


@pytest.mark.parametrize(
    ("encoding", "said"),
    [
        ("utf-16", "UTF-16 (little-endian)"),  # with its byte-order mark, as Windows' Notepad saves "Unicode"
        ("utf-16-le", "UTF-16 (little-endian)"),
        ("utf-16-be", "UTF-16 (big-endian)"),
        ("utf-32", "UTF-32 (little-endian)"),
    ],
)
def test_a_file_in_utf16_or_utf32_is_named_so_once(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str], encoding: str, said: str
) -> None:
    """A host's file saved again in UTF-16 was told a byte not UTF-8 at line 1, then each line a slug that is no
    member's (`"\\u0000v\\u0000e..."`), or, without a byte-order mark, its lines alone: the encoding is told once,
    as a member file's is."""
    disk = tmp_path / "disk-usage"
    disk.mkdir()
    text = header("web1") + "velo-cite\t1\t2\t3\namis-du-rhone\t1\t2\t3\n"
    (disk / "web1.tsv").write_bytes(text.encode(encoding))
    rc, _, err = report(capsys, stack, disk)
    assert rc == 1, err
    assert err.splitlines()[0] == (
        f"{disk / 'web1.tsv'}:1 is encoded in {said}: the hosts write UTF-8; copy the host's file again"
    ), err
    assert "\\u0000" not in err and "slug" not in err, err


def test_the_times_the_host_writes_are_read(tmp_path: Path) -> None:
    for at in ("2026-11-30T02:30:04+00:00", "2026-11-30T03:30:04+01:00", "2026-11-30T02:30:04Z"):
        f = tmp_path / "web1.tsv"
        f.write_text(header("web1", at) + "velo-cite\t1\t2\t3\n")
        assert diskusage.read([f])["velo-cite"].measured_at == at


@pytest.mark.parametrize("first", ["", "velo-cite\t1\t2\t3\n"])
def test_a_byte_order_mark_before_the_first_line_is_skipped(tmp_path: Path, first: str) -> None:
    """A file saved again by an editor that writes a UTF-8 byte-order mark: read as the host wrote it, its first
    line a header or a member's line (was: slug "\\ufeffvelo-cite" is not a member slug)."""
    f = tmp_path / "web1.tsv"
    text = (first or header("web1")) + "amis-du-rhone\t4\t5\t6\n"
    f.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    usages = diskusage.read([f])
    assert sorted(usages) == sorted(["amis-du-rhone", *(["velo-cite"] if first else [])])
    assert usages["amis-du-rhone"].measured_at == (None if first else AT)


def test_a_file_named_twice_is_read_once(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    disk = usage_dir(tmp_path, {"web1.tsv": header("web1") + "velo-cite\t1\t2\t3\n"})
    project, members = stack
    rc = main(
        [
            *("report", "--project", str(project), "--members", str(members), "--format", "json"),
            *("--disk-usage", str(disk), "--disk-usage", str(disk / "web1.tsv")),
        ]
    )
    assert rc == 0 and [u["slug"] for u in json.loads(capsys.readouterr().out)["disk_usage"]] == ["velo-cite"]


def test_a_directory_s_hidden_files_are_not_read(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """``disk-usage/*.tsv`` as the shell lists it: an editor's lock (Emacs links .#web1.tsv to nowhere while
    web1.tsv is open) and a hidden copy are not files of a host."""
    disk = usage_dir(
        tmp_path, {"web1.tsv": header("web1") + "velo-cite\t1\t2\t3\n", ".web1.tsv": "velo-cite\t9\t9\t9\n"}
    )
    (disk / ".#web1.tsv").symlink_to("admin@laptop.4242:1764500000")
    rc, data, err = report(capsys, stack, disk)
    assert rc == 0, err
    assert [(u["slug"], u["www_mb"]) for u in data["disk_usage"]] == [("velo-cite", 0.0)]
    assert data["disk_usage_warnings"] == [] and ".web1" not in err and ".#web1" not in err


@pytest.mark.parametrize(
    ("files", "said"),
    [
        ({}, "{disk} holds no disk usage file (*.tsv): no member's figure is shown"),
        (
            {"web1.TSV": "velo-cite\t1\t2\t3\n"},
            "{disk}/web1.TSV looks like a disk usage file but is not read: a host's file is named <host>.tsv "
            "(lowercase .tsv); rename it web1.tsv",
        ),
        ({"web1.tsv": ""}, "{disk}/web1.tsv holds no measurement, nor the host's header line: no figure of it"),
        ({"web1.tsv": "\n# a note\n"}, "{disk}/web1.tsv holds no measurement, nor the host's header line"),
    ],
)
def test_a_directory_of_no_readable_measurement_is_a_warning_naming_it(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str], files: dict[str, str], said: str
) -> None:
    """--disk-usage DIR holding no *.tsv (empty, a web1.TSV only) or an empty web1.tsv: the report showed nothing,
    silently (exit 0, "disk_usage": []); it says why, naming the path (a *.TSV file as probably meant, as a
    member file named X.YAML is), in the report and in pic status."""
    disk = usage_dir(tmp_path, files)
    expected = "warning: " + said.format(disk=disk)
    rc, data, err = report(capsys, stack, disk)
    assert rc == 0, err
    assert data["disk_usage"] == []
    assert any(w.startswith(expected) for w in data["disk_usage_warnings"]), data["disk_usage_warnings"]
    project, members = stack
    with answering_resolver(rcode_reply("NXDOMAIN")) as port:
        rc = main(
            [
                *("status", "--project", str(project), "--members", str(members), "--resolver", "127.0.0.1"),
                *("--port", str(port), "--timeout", "2", "--disk-usage", str(disk), "--format", "json"),
            ]
        )
    out = capsys.readouterr().out
    assert any(w.startswith(expected) for w in json.loads(out)["disk_warnings"]), out


def test_a_file_of_the_host_s_header_alone_is_no_warning(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A web host none of whose members has a space yet: its job writes its header alone, which is no fault."""
    disk = usage_dir(tmp_path, {"web1.tsv": header("web1") + "velo-cite\t1\t2\t3\n", "web2.tsv": header("web2")})
    rc, data, err = report(capsys, stack, disk)
    assert rc == 0, err
    assert data["disk_usage_warnings"] == [], data["disk_usage_warnings"]


@pytest.mark.parametrize("at", ["2999-01-01T00:00:00+00:00", "9999-12-31T23:59:59-23:59"])
def test_a_header_time_after_now_is_a_warning_and_its_lines_are_not_counted(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str], at: str
) -> None:
    """A measurement of no known day (the host's clock wrong, a header edited) is no figure to vouch for; a
    file of the hour before, from a host whose clock is a little ahead, is."""
    soon = host_time(1 / 6)
    disk = measured_at(tmp_path, web1=at, web2=soon)
    rc, data, err = report(capsys, stack, disk)
    assert rc == 0, err
    assert [u["slug"] for u in data["disk_usage"]] == ["jardins"]
    assert len(data["disk_usage_warnings"]) == 1, data["disk_usage_warnings"]
    warning = data["disk_usage_warnings"][0]
    assert f'web1.tsv:1 header: its time "{at}" is after now (' in warning, warning
    assert "none of its lines is counted" in warning


@pytest.mark.parametrize("days", [3, 400])
def test_a_measurement_older_than_two_days_is_a_warning_its_lines_counted(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str], days: int
) -> None:
    """An old copy (or a host whose nightly job stopped) is shown with its day, and said: its figures are still
    the last known, and a member over its soft limit then is not hidden; a file measured 47 hours ago is not."""
    old, recent = host_time(-days * 24 - 1 / 60), host_time(-47)
    disk = measured_at(tmp_path, web1=old, web2=recent)
    rc, data, err = report(capsys, stack, disk)
    assert rc == 0, err
    assert {u["slug"]: u["measured_at"] for u in data["disk_usage"]} == {"velo-cite": old, "jardins": recent}
    [warning] = data["disk_usage_warnings"]
    assert f'web1.tsv:1 header: its time "{old}" is {days} days before now (' in warning, warning
    assert "web1 measures every night" in warning and "systemctl status pic-disk-usage.timer" in warning
    rc, text, _ = report(capsys, stack, disk, fmt="table")
    assert rc == 0 and "MEASURED AT" in text and old in text and "Disk usage files, warnings:" in text
    assert f"is {days} days before now" in text


@pytest.mark.parametrize(("on", "stale"), [("2026-01-11", False), ("2026-01-20", True)])
def test_a_measurement_s_age_is_judged_on_the_day_of_the_report(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str], on: str, stale: bool
) -> None:
    """`pic report --on DAY` judged a file's age against the clock: a report as of the day after a measurement
    called it months old. Its age is now judged on the report's day (as the runtimes' end of life is), at the
    clock's time of day; the clock still tells a header of no known day (after now)."""
    at = "2026-01-10T23:59:59+00:00"  # under two days before any time of 2026-01-11, in any time zone
    disk = measured_at(tmp_path, web1=at, web2=at)
    rc, data, err = report(capsys, stack, disk, on=on)
    assert rc == 0, err
    warnings = data["disk_usage_warnings"]
    if not stale:
        assert warnings == [], warnings
    else:
        assert len(warnings) == 2, warnings
        assert f'header: its time "{at}" is ' in warnings[0], warnings
        assert f" days before the report's day {on} (" in warnings[0], warnings
    assert [u["measured_at"] for u in data["disk_usage"]] == [at] * 2


@pytest.mark.parametrize("on", ["0001-01-01", "0001-01-02", "9999-12-31"])
def test_a_report_as_of_the_calendar_s_first_or_last_days_judges_the_files_without_a_traceback(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str], on: str
) -> None:
    """`pic report --on 0001-01-01` ended in a traceback (OverflowError) when a disk usage file was read: two days
    before the report's day is no date. No header is older than the calendar's first day: nothing is stale then;
    on its last day, every header is."""
    disk = measured_at(tmp_path, web1=AT, web2=AT)
    rc, data, err = report(capsys, stack, disk, on=on)
    assert rc == 0 and "Traceback" not in err, err
    assert [u["measured_at"] for u in data["disk_usage"]] == [AT] * 2
    warnings = data["disk_usage_warnings"]
    assert len(warnings) == (2 if on.startswith("9999") else 0), warnings
    rc, text, err = report(capsys, stack, disk, fmt="table", on=on)
    assert rc == 0 and "Traceback" not in err and "MEASURED AT" in text, err


def test_moment_of_a_day_keeps_the_time_of_day_and_is_now_today() -> None:
    now = dt.datetime(2026, 12, 4, 10, 30, tzinfo=dt.UTC)
    assert diskusage.moment_of(None, now) == now
    assert diskusage.moment_of(now.astimezone().date(), now) == now
    assert diskusage.moment_of(now.astimezone().date() - dt.timedelta(days=3), now) == now - dt.timedelta(days=3)


def test_read_without_a_registry_refuses_a_slug_on_two_hosts(tmp_path: Path) -> None:
    (tmp_path / "web1.tsv").write_text(header("web1") + "velo-cite\t1\t2\t3\n")
    (tmp_path / "web2.tsv").write_text(header("web2") + "velo-cite\t7\t2\t3\n")
    with pytest.raises(PicError) as info:
        diskusage.read([tmp_path])
    assert "is measured a second time on web1 and web2" in str(info.value)


def test_for_members_errors_carry_the_warnings_too(tmp_path: Path, stack: tuple[Path, Path]) -> None:
    project, members = stack
    settings = load_settings(project, "prod")
    registry = load_registry(members, settings)
    (tmp_path / "web1.tsv").write_text(header("web1") + "nobody\t1\t2\t3\nvelo-cite\t1\t2\t3\nvelo-cite\t1\t2\t3\n")
    with pytest.raises(PicError) as info:
        diskusage.for_members([tmp_path], registry, settings)
    assert [(p.line, p.severity) for p in info.value.problems] == [(2, "warning"), (4, "error")]


def test_pic_status_says_the_lines_not_counted_as_warnings_before_any_probe(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown host stops `pic status` at once (exit 1), before the network's timeouts."""
    project, members = stack
    disk = usage_dir(tmp_path, {"web9.tsv": header("web9") + "velo-cite\t1\t2\t3\n"})
    started = time.monotonic()
    rc = main(
        [
            *("status", "--project", str(project), "--members", str(members), "--resolver", "127.0.0.1"),
            *("--port", "9", "--timeout", "2", "--disk-usage", str(disk)),
        ]
    )
    err = capsys.readouterr().err
    assert rc == 1 and '"web9", which is not a web host of stack prod' in err
    assert time.monotonic() - started < 2


def test_status_disk_rows_and_warnings_in_its_output() -> None:
    from pic.commands import status

    data = {
        "sites": [],
        "disk": [
            {"member": "velo-cite", "host": "web1", "total_mb": 1.0, "soft_limit_mb": 5000, "measured_at": None}
            | {"warnings": []}
        ],
        "disk_warnings": ['warning: web1.tsv:3 slug: "nobody" is no member of the registry: this line is not counted'],
    }
    text = status.as_text(data)
    assert "velo-cite  web1  1.0    5000        -" in text
    assert 'web1.tsv:3 slug: "nobody" is no member' in text
    assert text.endswith("0 domain(s): 0 to act on, 1 warning(s)\n")


@pytest.mark.parametrize(
    ("lines", "where", "secret"),
    [
        ("mdp : Azerty123\n", ":2 the line (not shown: it may hold a secret) has 1 tab-separated column(s)", "zerty"),
        (
            "velo-cite\t1\t2\tmdp:Azerty123\n",
            ":2 velo-cite.log: the value (not shown: it may be a secret) is not a",
            "zerty",
        ),
        (
            "password=S3cr3tPw\t1\t2\t3\n",
            ":2 slug: the value (not shown: it may be a secret) is not a member slug",
            "S3cr",
        ),
        ("mdp\tAzerty123\t1\t2\n", ":2 mdp.www: the value (not shown: it may be a secret) is not a count", "zerty"),
        (
            "mot de passe :\nAzerty123\n",
            ":3 the line (not shown: it may hold a secret) has 1 tab",
            "zerty",
        ),  # the label above
        (
            "# pic disk usage of web1 at mdp:Azerty123\n",
            ":2 header: the value (not shown: it may be a secret) is not a time",
            "zerty",
        ),
        (
            "# pic disk usage of password=S3cr3tPw\n",
            ":2 header: the line (not shown: it may hold a secret) is not the",
            "S3cr",
        ),
        # a word shaped as a password alone, without a label: a refused cell or line where no secret goes is hidden
        # as a refused field's value is (pic.errors.refused_may_be_secret)
        ("Lilas2024X\t1\t2\t3\n", ":2 slug: the value (not shown: it may be a secret) is not a member slug", "ilas"),
        ("velo-cite\tLilas2024x\t2\t3\n", ":2 velo-cite.www: the value (not shown: it may be a secret)", "ilas"),
        ("Lilas2024x!\n", ":2 the line (not shown: it may hold a secret) has 1 tab-separated column(s)", "ilas"),
        ("# pic disk usage of Lilas2024x!\n", ":2 header: the line (not shown: it may hold a secret) is not", "ilas"),
    ],
)
def test_a_line_or_value_that_reads_as_a_secret_is_named_not_shown(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str], *, lines: str, where: str, secret: str
) -> None:
    """A line that is not the host's format is named by its file and line, its text or value shown only when it
    does not read as a secret (a password pasted in a copy of the file, a line of notes), read with the line above."""
    disk = usage_dir(tmp_path, {"web1.tsv": header("web1") + lines})
    rc, _, err = report(capsys, stack, disk, fmt="table")
    assert rc == 1 and f"{disk / 'web1.tsv'}{where}" in err, err
    assert secret not in err, err


def test_a_line_that_reads_as_no_secret_is_shown(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A line under one that reads as a secret by itself is shown: that secret is its own line's."""
    text = "password=S3cr3tPw\nvelo-cite 1 2 3\nvelo-cite\t1\t2\tbeaucoup\n"
    rc, _, err = report(capsys, stack, usage_dir(tmp_path, {"web1.tsv": header("web1") + text}), fmt="table")
    assert rc == 1 and '"velo-cite 1 2 3" has 1 tab-separated column(s)' in err, err
    assert 'velo-cite.log: "beaucoup" is not a count of KiB' in err, err


@pytest.mark.parametrize(
    ("cell", "taken"),
    [
        ("0" * 30 + "100", False),  # 33 digits, of value 100: over the length said
        ("0" * 17 + "100", True),  # 20 digits
        (str(2**40), True),
        (str(2**40 + 1), False),
    ],
    ids=["33-digits", "20-digits", "1-PiB", "above-1-PiB"],
)
def test_a_count_of_kib_is_refused_by_the_rule_its_message_states(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str], cell: str, taken: bool
) -> None:
    """``000...100`` (33 digits, equal to 100) was refused as "not a count of KiB (digits 0-9, at most
    1099511627776)", a rule it meets: the limit of 20 digits was nowhere said. The message states both."""
    disk = usage_dir(tmp_path, {"web1.tsv": header("web1") + f"velo-cite\t{cell}\t0\t0\n"})
    rc, _, err = report(capsys, stack, disk, fmt="table")
    assert (rc == 0) == taken, err
    if not taken:
        assert (
            f'velo-cite.www: "{cell}" is not a count of KiB (at most 20 digits 0-9, of a value at most '
            "1099511627776, which is 1 PiB)" in err
        ), err


@pytest.mark.parametrize(("slug", "meant"), [("Amis-du-Rhone", "amis-du-rhone"), ("VELO-CITE", "velo-cite")])
def test_a_slug_written_in_capitals_is_told_the_slug_meant(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str], slug: str, meant: str
) -> None:
    """A line edited by hand, its slug in capitals (the host's job writes the unix user's name, in lowercase), was
    refused with no word of the slug meant."""
    disk = usage_dir(tmp_path, {"web1.tsv": header("web1") + f"{slug}\t1\t2\t3\n"})
    rc, _, err = report(capsys, stack, disk, fmt="table")
    assert rc == 1, err
    assert f'{disk / "web1.tsv"}:2 slug: "{slug}" is not a member slug' in err and f"did you mean {meant!r}?" in err


def test_a_file_named_as_a_password_is_told_of_its_host_not_shown(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A file without a header, named Lilas2024X.tsv (notes saved under the password's name), was told "named after
    "Lilas2024X", which is not a web host": the name is hidden as a refused value shaped as a password is."""
    disk = usage_dir(tmp_path, {"web1.tsv": header("web1"), "Lilas2024X.tsv": "velo-cite\t1\t2\t3\n"})
    rc, _, err = report(capsys, stack, disk, fmt="table")
    assert rc == 1 and "is named after the value (not shown: it may be a secret), which is not a web host" in err, err
    assert "ilas2024" not in err.replace(str(disk / "Lilas2024X.tsv"), ""), err


def test_a_slug_shaped_as_a_password_is_offered_in_no_case(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    disk = usage_dir(tmp_path, {"web1.tsv": header("web1") + "Lilas2024X\t1\t2\t3\n"})
    rc, _, err = report(capsys, stack, disk, fmt="table")
    assert rc == 1 and "did you mean" not in err and "lilas2024x" not in err, err


def test_a_dead_symbolic_link_in_the_directory_is_told_where_it_leads(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """disk-usage/web2.tsv, a link to a file moved away, was told "cannot be read: No such file or directory",
    the link's target unsaid."""
    disk = usage_dir(tmp_path, {"web1.tsv": header("web1") + "velo-cite\t1\t2\t3\n"})
    target = tmp_path / "copies" / "web2.tsv"
    (disk / "web2.tsv").symlink_to(target)
    rc, _, err = report(capsys, stack, disk, fmt="table")
    assert rc == 1, err
    assert f"{disk / 'web2.tsv'} cannot be read: a link to {target}, which does not exist" in err, err


def test_a_dead_symbolic_link_given_as_disk_usage_is_told_where_it_leads(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "web1.tsv"
    link.symlink_to(tmp_path / "moved" / "web1.tsv")
    with pytest.raises(SystemExit) as usage:
        report(capsys, stack, link)
    err = capsys.readouterr().err
    assert usage.value.code == 2, err
    assert f"argument --disk-usage: '{link}' is a link to '{tmp_path}/moved/web1.tsv', which does not exist" in err


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "velo-cite\t1\t2\t3\n" + header("web1"),
            "web1.tsv:2 header: the host's header line comes after a measurement",
        ),
        (
            "# copied by hand\nvelo-cite\t1\t2\t3\namis-du-rhone\t1\t2\t3\n" + header("web1") + "jardins\t1\t2\t3\n",
            "web1.tsv:4 header: the host's header line comes after a measurement (line 2)",
        ),
    ],
)
def test_a_header_after_measurements_is_told_its_line(
    tmp_path: Path, stack: tuple[Path, Path], capsys: pytest.CaptureFixture[str], text: str, said: str
) -> None:
    """web1.tsv holding velo-cite's line then the host's header (lines moved by hand, two copies joined) was read
    as a file without a header, its lines counted with no time and the header's time judged of nothing: a header
    after a measurement, which the host's job never writes (it writes its header first), is told by its line, and
    the line of the first measurement above it."""
    rc, _, err = report(capsys, stack, usage_dir(tmp_path, {"web1.tsv": text}))
    assert rc == 1, err
    assert said in err and "copy the host's file again" in err, err


def test_each_byte_not_utf8_of_a_line_is_named_with_its_column(tmp_path: Path) -> None:
    """A line of a host's file with two bytes that are not UTF-8 (v\\xe9lo-cit\\xe9, a slug copied through Latin-1)
    named the first alone, where a member file's line names each byte and its column: told alike, by one text."""
    f = tmp_path / "web1.tsv"
    f.write_bytes(header("web1").encode() + b"v\xe9lo-cit\xe9\t1\t2\t3\n")
    with pytest.raises(PicError) as caught:
        diskusage.read([f])
    told = [str(p) for p in caught.value.problems]
    assert (
        f"{f}:2 holds bytes that are not UTF-8 (\\xe9, column 2; \\xe9, column 9): the hosts write UTF-8"
        in "\n".join(told)
    ), told

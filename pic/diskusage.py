"""Disk usage of the members' spaces, measured nightly on each web host.

The host's ``pic-disk-usage`` job (``pic/render/templates/disk-usage.sh.j2``)
writes ``/var/lib/pic/disk-usage.tsv``; the admins copy it next to the stack
files (``disk-usage/<host>.tsv``) for ``pic report`` and ``pic status``::

    # pic disk usage of web1 at 2026-11-30T02:30:04+00:00 (KiB, du -sk)
    amis-du-rhone	10240	2048	512

Columns: slug, then the KiB of ``www/``, ``db/`` and ``log/``. A member's soft
limit is its ``limits.disk_soft_limit_mb``, else ``pic:disk.soft_limit_mb``;
above it the admins are warned (nothing is blocked).

A member's figure is the line of the web host it is placed on; the file's host
is its header's (else the file's name). :func:`for_members` refuses a file of a
host the stack does not have and a slug measured twice on one host, and warns
about (and does not count) a slug that is no member or a member measured on
another host than its own: a report never shows a figure it cannot vouch for.
"""

from __future__ import annotations

import calendar
import codecs
import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pic.errors import (
    HIDDEN_LINE,
    HIDDEN_VALUE,
    PicError,
    Problem,
    Severity,
    refused_may_be_secret,
    show_value,
    shown_unless_secret,
)
from pic.filekinds import other_kind
from pic.registry import Member
from pic.settings import Settings, display_in, display_path, resolved
from pic.yamlsrc import iconv_offer, not_utf8_places, not_utf8_words, other_encoding, read_regular_file

DEFAULT_DIR = "disk-usage"
HOST_FILE = "/var/lib/pic/disk-usage.tsv"
_HEADER_START = "# pic disk usage of "
# What the host's job writes first: its name and `date --iso-8601=seconds`, then a free remark.
_HEADER_RE = re.compile(r"# pic disk usage of (?P<host>\S+) at (?P<at>\S+)(?: .*)?")
# The forms `date --iso-8601=seconds` writes (GNU: +00:00; others: Z), nothing else fromisoformat reads
# (2026-W48-1T..., 20261130T023004+0000, an offset with seconds).
_HOST_TIME = re.compile(
    r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})T(?P<h>[0-9]{2}):(?P<mi>[0-9]{2}):(?P<s>[0-9]{2})"
    r"(?P<off>Z|[+-][0-9]{2}:[0-9]{2})",
    re.ASCII,
)
# One line per member of a few dozen bytes: 1 MiB is tens of thousands of members on one host.
MAX_FILE_BYTES = 1024 * 1024
# 2**40 KiB is 1 PiB, more than any web host's disk holds: a larger count is a damaged line, not a
# measurement. Below it three columns add up to a total that a float holds exactly (under 2**53).
MAX_KIB = 2**40
COLUMNS = ("slug", "www", "db", "log")
# What the host's job writes (the slugs it keeps: pic/render/templates/disk-usage.sh.j2); a unix
# user name is at most 32 characters.
_SLUG = re.compile(r"[a-z0-9-]{1,32}")
# The digits of a count, leading zeros included (1 PiB has 13): a longer cell is a damaged line. The
# message states this length with the value's limit (a cell of 33 digits equal to 100 meets the limit alone).
KIB_DIGITS = 20
_KIB = re.compile(rf"[0-9]{{1,{KIB_DIGITS}}}")  # ASCII digits only: str.isdigit() is also true for "²" or "٣"
_PROBLEMS_SHOWN = 20
# A header's time may be this much after the admin's clock (the two machines' clocks differ a little).
CLOCK_SLACK = dt.timedelta(hours=1)
# The host measures every night (pic-disk-usage.timer): a file copied at any hour is under a day old, a day more
# for a copy made just before that night's run. An older one is another day's figures, shown as such.
STALE_AFTER = dt.timedelta(days=2)


@dataclass(frozen=True)
class Usage:
    slug: str
    host: str
    measured_at: str | None  # ISO 8601, as the host wrote it; None when the file has no header line
    www_kib: int
    db_kib: int
    log_kib: int
    file: str = ""  # where the line was read (the file as shown, the line number)
    line: int = 0

    @property
    def total_mb(self) -> float:
        return (self.www_kib + self.db_kib + self.log_kib) / 1024


@dataclass
class _Part:
    """The lines of one file that one host measured: after its header, else all of a file without one."""

    file: str
    host: str
    header_line: int | None  # None: the host is the file's name (a file without the host's header)
    usages: list[Usage] = field(default_factory=list)
    at: str | None = None  # the header's time, as written


def read(paths: list[Path]) -> dict[str, Usage]:
    """slug -> usage, from host files or directories of them (``*.tsv``), without a registry.

    Raises PicError for what :func:`for_members` refuses in the files alone, and for a slug
    measured twice (on one host or two: without the registry, which line counts is unknown).
    """
    parts, _ = _read_parts(paths)
    problems = _duplicates(parts, by_host=False)
    if problems:
        raise PicError(_capped(problems))
    return {u.slug: u for part in parts for u in part.usages}


def moment_of(on: dt.date | None, now: dt.datetime | None = None) -> dt.datetime:
    """The moment a report as of the day ``on`` judges the age of a measurement at: ``now`` (default: the current
    time), moved to the day ``on`` with its time of day kept (in local time, as ``on`` is a local day), so that a
    report as of today judges it at now itself; ``now`` when ``on`` is None."""
    current = (now or dt.datetime.now(dt.UTC)).astimezone()
    return current if on is None else current + (on - current.date())


def _stale_before(reference: dt.datetime) -> dt.datetime | None:
    """The moment before which a header is stale, :data:`STALE_AFTER` before ``reference``; None for a report as of
    the calendar's first days (``--on 0001-01-01``), before which no header can be."""
    try:
        return reference - STALE_AFTER
    except OverflowError:
        return None


def for_members(
    paths: list[Path],
    members: Iterable[Member],
    settings: Settings,
    now: dt.datetime | None = None,
    as_of: dt.datetime | None = None,
) -> tuple[dict[str, Usage], list[Problem]]:
    """slug -> the usage its own web host measured, and the warnings about the lines not counted.

    Errors (PicError, with the warnings): what :func:`_read_parts` refuses; a file of a host that
    is no web host of the stack (another stack's, a host removed, a misnamed copy); a slug measured
    twice on one host (which figure is right is unknown). Warnings: what :func:`_read_parts` finds unread (a
    directory of no ``*.tsv``, a ``*.TSV``, a file of no measurement). Warnings, the line not counted: a slug
    that is no member (a removed member whose space is still on the host) and a member measured on
    a host it is not placed on (its space left on the host after a move), and every line of a
    header whose time is after ``now`` (default: the current time), with :data:`CLOCK_SLACK`: the
    host's clock was wrong, or the header was edited; the measurement is of no known day. A warning
    too, its lines counted: a header more than :data:`STALE_AFTER` before ``as_of`` (the moment of the
    report's day, :func:`moment_of`; default ``now``), whose figures are that day's (an old copy, or a host
    whose nightly job stopped): a report as of another day (``--on``) judges the files as of that day, as it
    judges the runtimes' end of life.
    """
    parts, unread = _read_parts(paths)
    current = now or dt.datetime.now(dt.UTC)
    latest = current + CLOCK_SLACK
    reference = as_of or current
    # "now" unless the report is as of another day than the clock's
    named = "now" if abs(reference - current) < dt.timedelta(days=1) else f"the report's day {reference.date()}"
    stale_before = _stale_before(reference)
    by_slug = {m.slug: m for m in members}
    web_hosts = settings.web_hosts
    problems = _duplicates(parts, by_host=True) + unread
    out: dict[str, Usage] = {}
    for part in parts:
        known_host = part.host in web_hosts
        if not known_host:
            if part.header_line is not None:
                named, hint = "its header names", "a file of another stack or of a host removed from it: remove it"
            else:
                named, hint = "it has no header line and is named after", "name it after its web host, or remove it"
            problems.append(
                Problem(
                    part.file,
                    part.header_line,
                    "host",
                    f"{named} {_shown_cell(part.host, '', '')}, which is not a web host of stack {settings.stack} "
                    f"(its web hosts: {', '.join(web_hosts)}): none of its lines is counted; {hint}",
                )
            )
        at = dt.datetime.fromisoformat(part.at) if known_host and part.at is not None else None
        if at is not None and at > latest:
            problems.append(
                Problem(
                    part.file,
                    part.header_line,
                    "header",
                    f"its time {show_value(part.at)} is after now "
                    f"({(latest - CLOCK_SLACK).isoformat(timespec='seconds')}): "
                    "the host's clock was wrong or the header was edited; none of its lines is counted "
                    "(copy the host's file again once its clock is right)",
                    "warning",
                )
            )
            continue
        if at is not None and stale_before is not None and at < stale_before:
            problems.append(
                Problem(
                    part.file,
                    part.header_line,
                    "header",
                    f"its time {show_value(part.at)} is {(reference - at).days} days before {named} "
                    f"({reference.isoformat(timespec='seconds')}): its figures are of that day, though "
                    f"{part.host} measures every night; copy the host's file again ({HOST_FILE}), and if it is "
                    "as old there, its job has stopped (systemctl status pic-disk-usage.timer)",
                    "warning",
                )
            )
        for u in part.usages:
            m = by_slug.get(u.slug)
            if m is None:
                why = f"{show_value(u.slug)} is no member of the registry (a removed member's space still on {u.host}?)"
            elif not known_host:
                continue  # the file's error says it: no line of it counts
            elif m.host != u.host:
                why = (
                    f"{show_value(u.slug)} is placed on {m.host}, not {u.host} "
                    f"(its space left on {u.host} after a move?)"
                )
            else:
                out.setdefault(u.slug, u)
                continue
            problems.append(Problem(u.file, u.line, "slug", f"{why}: this line is not counted", "warning"))
    if any(p.severity == "error" for p in problems):
        raise PicError(_capped(problems))
    return out, _capped(problems)


def _read_parts(paths: list[Path]) -> tuple[list[_Part], list[Problem]]:
    """The measurements of each file, by host, and warnings of what is not read; raises PicError for a file or a
    line that is not the host's format.

    Warnings: a directory that holds no ``*.tsv`` (nothing of it is shown); a file of one in another case
    (``web1.TSV``: the glob, as the shell's, reads ``*.tsv`` alone), named as probably meant, as a member file
    named ``X.YAML`` is; a file that holds neither a measurement nor the host's header line (empty: a copy that
    failed), which the host's job always writes first.

    Each file is read by :func:`pic.yamlsrc.read_regular_file` (a regular file, a symbolic link
    to one, at most :data:`MAX_FILE_BYTES`), once even when named twice. Refused: a line that is
    not UTF-8 or not ``slug<TAB>www<TAB>db<TAB>log`` with counts of KiB in ASCII digits, at most
    :data:`MAX_KIB` each; a header line that does not name a host and a time with its UTC offset.
    """
    files, warnings = _files(paths)
    parts: list[_Part] = []
    problems: list[Problem] = []
    for f in files:
        file = display_path(f)
        data, unreadable = read_regular_file(f, file, MAX_FILE_BYTES, follow_links=True)
        if data is None:
            problems += unreadable
            continue
        if (other := other_kind(data, f.name, "disk usage")) is not None:  # its lines would each be told wrong
            problems.append(Problem(file, None, "", other))
            continue
        part = _Part(file, f.stem, None)
        parts.append(part)
        warnings += _no_measurement(file, data)
        at: str | None = None
        data = data.removeprefix(codecs.BOM_UTF8)  # an editor's byte-order mark, after a copy of the file
        told, unread = _encoding(data, file)
        problems += told
        if unread:
            continue
        above = ""  # the line above, read with a line whose text a message would show (a label ending it)
        for n, raw in enumerate(data.split(b"\n"), 1):
            line, not_utf8 = _decoded_line(raw, file, n)
            if not_utf8 is not None:
                problems.append(not_utf8)
                continue
            line_above, above = above, line
            if line.startswith(_HEADER_START) and (late := _late_header(part, file, n)) is not None:
                problems.append(late)
                continue
            if line.startswith(_HEADER_START):
                header, why = _header(line, line_above)
                if header is None:
                    problems.append(Problem(file, n, "header", why))
                    at = None
                    continue
                host, at = header
                part = _Part(file, host, n, at=at)
                parts.append(part)
                continue
            if not line.strip() or line.startswith("#"):
                continue
            usage, (path, message) = _usage(line, part.host, at, file, n, above=line_above)
            if usage is None:
                problems.append(Problem(file, n, path, message))
                continue
            part.usages.append(usage)
    if problems:
        raise PicError(_capped(problems + warnings))
    # The lines before a header (none in what the host writes) are the file name's host.
    return [p for p in parts if p.usages or p.header_line is not None], warnings


def _late_header(part: _Part, file: str, n: int) -> Problem | None:
    """The problem of the host's header line at line ``n`` of ``file`` when measurements come before it in
    ``part``, the lines of no header read so far (the host's job writes its header first); None otherwise."""
    if part.header_line is not None or not part.usages:
        return None
    why = (
        f"the host's header line comes after a measurement (line {part.usages[0].line}), where the host's job writes "
        f"it first: of which host and time the lines above it are is unknown; copy the host's file again ({HOST_FILE})"
    )
    return Problem(file, n, "header", why)


def _encoding(data: bytes, file: str) -> tuple[list[Problem], bool]:
    """What is told once of ``file``'s encoding (its bytes ``data``, without a byte-order mark), and whether its
    lines are left unread: UTF-16 or UTF-32 (each line a slug of NULs otherwise), the encoding; bytes that are not
    UTF-8 reading as Latin-1 or CP1252 in comments alone (a copy an admin annotated in an older editor), the line of
    iconv that converts it in place (:func:`pic.yamlsrc.iconv_offer`), its lines then named; none where a
    measurement's line holds them (the hosts write ASCII there: the copy is damaged, copied again)."""
    encoding = other_encoding(data)
    if encoding is not None:
        why = f"is encoded in {encoding}: the hosts write UTF-8; copy the host's file again"
        return [Problem(file, 1, "", why)], True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        if any(not line.lstrip().startswith(b"#") for line in data.splitlines() if not _is_utf8(line)):
            return [], False  # a measurement's bytes: the host wrote them in UTF-8, the copy is damaged
        return iconv_offer(data, file), False
    return [], False


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decoded_line(raw: bytes, file: str, n: int) -> tuple[str, Problem | None]:
    """The text of line ``n`` of ``file`` (its bytes ``raw``, without its carriage return), or the problem of its
    bytes that are not UTF-8, named with their column."""
    try:
        return raw.decode("utf-8").removesuffix("\r"), None
    except UnicodeDecodeError:
        places = not_utf8_places(raw.decode("utf-8", errors="surrogateescape"))
        why = f"holds {not_utf8_words(places)}: the hosts write UTF-8; copy the host's file again"
        return "", Problem(file, n, "", why)


def _files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The files of ``paths`` (files, directories of ``*.tsv``), each once, and the warnings of
    :func:`_not_read`."""
    files: list[Path] = []
    seen: set[Path] = set()
    warnings: list[Problem] = []
    for p in paths:
        # In a directory, its *.tsv as the shell's glob lists them: not a hidden file (an editor's lock,
        # .#web1.tsv, a link to nowhere while web1.tsv is open; a hidden copy, .web1.tsv).
        in_dir = sorted(f for f in p.glob("*.tsv") if not f.name.startswith(".")) if p.is_dir() else [p]
        if p.is_dir():
            warnings += _not_read(p, in_dir)
        for f in in_dir:
            if resolved(f) not in seen:  # a file named twice (a directory and a file in it) is one measurement
                seen.add(resolved(f))
                files.append(f)
    return files, warnings


def _no_measurement(file: str, data: bytes) -> list[Problem]:
    """A warning when ``data``, the bytes of ``file``, hold neither a measurement nor the host's header line (an
    empty file, a copy that failed): the host's job always writes its header."""
    if _HEADER_START.encode() in data or any(line.strip() and not line.startswith(b"#") for line in data.split(b"\n")):
        return []
    why = (
        "holds no measurement, nor the host's header line: no figure of it is shown; the host's job writes its "
        f"header first: copy the host's file again ({HOST_FILE})"
    )
    return [Problem(file, None, "", why, "warning")]


def _not_read(directory: Path, read: list[Path]) -> list[Problem]:
    """Warnings of a directory of host files whose ``read`` (its ``*.tsv``) are none, and of each of its files
    named ``*.tsv`` in another case (``web1.TSV``), which is not read."""
    try:
        names = sorted(f.name for f in directory.iterdir())
    except OSError:
        names = []
    other_case = [n for n in names if n.lower().endswith(".tsv") and not n.endswith(".tsv") and not n.startswith(".")]
    shown = display_path(directory)
    warnings = [
        Problem(
            display_in(shown, name),
            None,
            "",
            "looks like a disk usage file but is not read: a host's file is named <host>.tsv (lowercase .tsv); "
            f"rename it {name[: -len('.tsv')]}.tsv",
            "warning",
        )
        for name in other_case
    ]
    if not read:
        warnings.append(
            Problem(
                shown,
                None,
                "",
                "holds no disk usage file (*.tsv): no member's figure is shown; copy each web host's "
                f"{HOST_FILE} there as <host>.tsv",
                "warning",
            )
        )
    return warnings


def _header(line: str, above: str) -> tuple[tuple[str, str] | None, str]:
    """(host, time) of the host's header line, else (None, what is wrong with it); ``above``: the line above it
    (:func:`_usage`)."""
    example = "# pic disk usage of web1 at 2026-11-30T02:30:04+00:00 (KiB, du -sk)"
    header = _HEADER_RE.fullmatch(line)
    if header is None:
        return (
            None,
            f"{_shown_cell(line, line, above, hidden=HIDDEN_LINE)} is not the host's header line ({example})",
        )
    form = _HOST_TIME.fullmatch(header["at"])
    if form is not None and (fault := _calendar_fault(form)) is not None:
        return None, (
            f"{shown_unless_secret(header['at'], line)} is no time of the calendar ({fault}): the header was edited; "
            f"copy the host's file again ({HOST_FILE})"
        )
    try:
        at = dt.datetime.fromisoformat(header["at"])
    except ValueError:
        at = None
    if at is None or at.tzinfo is None or form is None:
        return None, (
            f"{shown_unless_secret(header['at'], line)} is not a time as `date --iso-8601=seconds` writes it on the "
            "host, with its UTC offset (2026-11-30T02:30:04+00:00)"
        )
    return (header["host"], header["at"]), ""


def _calendar_fault(form: re.Match[str]) -> str | None:
    """Which part of a time of the host's form (:data:`_HOST_TIME`) no calendar has, in words (``2026-02 has no
    day 29``, ``hour 25 (00 to 23)``), or None: a day of the Gregorian calendar (years 0001 to 9999, as Python's
    dates), a time of day to the second (no leap second: the system clock never shows one), a UTC offset under
    24 hours of at most 59 minutes (ISO 8601)."""
    year, month, day, hour, minute, second = (form[name] for name in ("y", "mo", "d", "h", "mi", "s"))
    for value, what, low, high in (
        (year, "year", "0001", "9999"),
        (month, "month", "01", "12"),
        (hour, "hour", "00", "23"),
        (minute, "minute", "00", "59"),
        (second, "second", "00", "59"),
    ):
        if not low <= value <= high:
            return f"{what} {value} ({low} to {high})"
    if int(day) > calendar.monthrange(int(year), int(month))[1] or day == "00":
        return f"{year}-{month} has no day {day}"
    offset = form["off"]
    if offset != "Z" and (offset[1:3] > "23" or offset[4:6] > "59"):
        return f"UTC offset {offset} (-23:59 to +23:59)"
    return None


def _duplicates(parts: list[_Part], *, by_host: bool) -> list[Problem]:
    """A slug measured a second time (on the same host when ``by_host``): the host's job writes each member once."""
    first: dict[tuple[str, str], Usage] = {}
    problems = []
    for part in parts:
        for u in part.usages:
            key = (u.host if by_host else "", u.slug)
            before = first.setdefault(key, u)
            if before is u:
                continue
            where = f"line {before.line}" if before.file == u.file else f"{before.file}:{before.line}"
            on = f"on {u.host}" if before.host == u.host else f"on {before.host} and {u.host}"
            problems.append(
                Problem(
                    u.file,
                    u.line,
                    "slug",
                    f"{show_value(u.slug)} is measured a second time {on} (first at {where}): which figure is "
                    "right is unknown; the host's job writes each member once: copy the host's file again",
                )
            )
    return problems


def _capped(problems: list[Problem]) -> list[Problem]:
    """The first :data:`_PROBLEMS_SHOWN` problems, and one that counts the others, after them: at the file and line
    of the first it counts, as pic check counts a member file's (pic.yamlsrc), so that it sorts last."""
    if len(problems) <= _PROBLEMS_SHOWN:
        return sorted(problems)
    first, hidden = sorted(problems)[:_PROBLEMS_SHOWN], sorted(problems)[_PROBLEMS_SHOWN:]
    errors = sum(p.faults for p in hidden if p.severity == "error")
    severity: Severity = "error" if errors else "warning"
    others = len({p.file for p in hidden}) - 1
    where = ("from this line on" if hidden[0].line is not None else "from this file on") + (
        f", and in {others} other file(s)" if others else ""
    )
    message = f"and {len(hidden)} more problem(s) {where}, not shown"
    counted = Problem(hidden[0].file, hidden[0].line, "", message, severity, errors or 1)
    return [*first, counted]


def _usage(
    line: str, host: str, at: str | None, file: str, n: int, *, above: str = ""
) -> tuple[Usage | None, tuple[str, str]]:
    """The measurement of one line, else (None, (field, what is wrong with it)).

    ``above``: the line above it. A message shows the line, or a cell, only when it reads as no secret
    (pic.errors.shown_unless_secret), by itself, in its line or after the line above (a label ending it, the
    password alone on the next: a copy of the file pasted over, notes saved under its name)."""
    cells = line.split("\t")
    if len(cells) != len(COLUMNS):
        return None, (
            "",
            f"{_shown_cell(line, line, above, hidden=HIDDEN_LINE)} has {len(cells)} tab-separated column(s), "
            f"not {len(COLUMNS)}: slug, then KiB of www/, db/, log/",
        )
    if _SLUG.fullmatch(cells[0]) is None:
        shown = _shown_cell(cells[0], line, above)
        return None, (
            "slug",
            f"{shown} is not a member slug (a-z, 0-9 and -, at most 32 characters){_slug_meant(cells[0], shown)}",
        )
    kib: list[int] = []
    for name, cell in zip(COLUMNS[1:], cells[1:], strict=True):
        value = int(cell) if _KIB.fullmatch(cell) else None
        if value is None or value > MAX_KIB:
            return None, (
                f"{cells[0]}.{name}",
                f"{_shown_cell(cell, line, above)} is not a count of KiB (at most {KIB_DIGITS} digits 0-9, "
                f"of a value at most {MAX_KIB}, which is 1 PiB)",
            )
        kib.append(value)
    www, db, log = kib
    return Usage(cells[0], host, at, www, db, log, file, n), ("", "")


def _shown_cell(cell: str, line: str, above: str, *, hidden: str = HIDDEN_VALUE) -> str:
    """A refused cell of a measurement's line (or the line itself, of too few or too many cells) as a message shows
    it: ``hidden`` when it reads as a secret (:func:`pic.errors.shown_unless_secret`), or may be one where a slug or a
    count goes, no secret does (:func:`pic.errors.refused_may_be_secret`: ``Lilas2024X``, ``Lilas2024x!`` alone)."""
    return hidden if refused_may_be_secret(cell) else shown_unless_secret(cell, line, above, hidden=hidden)


def _slug_meant(cell: str, shown: str) -> str:
    """``; did you mean 'velo-cite'?``: the slug ``cell`` is in capitals or full-width forms (a line edited by hand:
    the host's job writes the unix user's name, in lowercase), or nothing; never for a cell not shown (``shown``)
    (:func:`_shown_cell`: one shaped as a password, Lilas2024X, whose small letters would show it)."""
    meant = unicodedata.normalize("NFKC", cell).lower()
    if meant == cell or _SLUG.fullmatch(meant) is None or shown != show_value(cell):
        return ""
    return f"; did you mean {meant!r}?"


def soft_limit_mb(member: Member, settings: Settings) -> int:
    """The member's own soft limit, else the stack's."""
    own = member.spec.limits.disk_soft_limit_mb if member.spec.limits is not None else None
    return own if own is not None else settings.disk.soft_limit_mb


def default_paths(project: Path) -> list[Path]:
    """``<project>/disk-usage/`` when it is there: a directory, or anything else of that name (a file, a link to
    nothing, a loop of links), which reading it then names, never left out as if no measurement had been copied."""
    d = project / DEFAULT_DIR
    return [d] if os.path.lexists(d) else []

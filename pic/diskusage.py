"""Disk usage of the members' spaces, measured nightly on each web host.

The host's ``pic-disk-usage`` job (``pic/render/templates/disk-usage.sh.j2``)
writes ``/var/lib/pic/disk-usage.tsv``; the admins copy it next to the stack
files (``disk-usage/<host>.tsv``) for ``pic report`` and ``pic status``::

    # pic disk usage of web1 at 2026-11-30T02:30:04+00:00 (KiB, du -sk)
    amis-du-rhone	10240	2048	512

Columns: slug, then the KiB of ``www/``, ``db/`` and ``log/``. A member's soft
limit is its ``limits.disk_soft_limit_mb``, else ``pic:disk.soft_limit_mb``;
above it the admins are warned (nothing is blocked).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pic.errors import PicError, Problem, show_value
from pic.registry import Member
from pic.settings import Settings, display_path
from pic.yamlsrc import read_regular_file

DEFAULT_DIR = "disk-usage"
HOST_FILE = "/var/lib/pic/disk-usage.tsv"
_HEADER_RE = re.compile(r"^# pic disk usage of (?P<host>\S+) at (?P<at>\S+)")
# One line per member of a few dozen bytes: 1 MiB is tens of thousands of members on one host.
MAX_FILE_BYTES = 1024 * 1024
# 2**40 KiB is 1 PiB, more than any web host's disk holds: a larger count is a damaged line, not a
# measurement. Below it three columns add up to a total that a float holds exactly (under 2**53).
MAX_KIB = 2**40
COLUMNS = ("slug", "www", "db", "log")
# What the host's job writes (the slugs it keeps: pic/render/templates/disk-usage.sh.j2); a unix
# user name is at most 32 characters.
_SLUG = re.compile(r"[a-z0-9-]{1,32}")
_KIB = re.compile(r"[0-9]{1,20}")  # ASCII digits only: str.isdigit() is also true for "²" or "٣"
_PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class Usage:
    slug: str
    host: str
    measured_at: str  # ISO 8601, as the host wrote it
    www_kib: int
    db_kib: int
    log_kib: int

    @property
    def total_mb(self) -> float:
        return (self.www_kib + self.db_kib + self.log_kib) / 1024


def read(paths: list[Path]) -> dict[str, Usage]:
    """slug -> usage, from host files or directories of them (``*.tsv``); a later file wins.

    Each file is read by :func:`pic.yamlsrc.read_regular_file` (a regular file, a symbolic link
    to one, at most :data:`MAX_FILE_BYTES`). Raises PicError naming the file, and the line, the
    column and the value for a line that is not UTF-8 or not ``slug<TAB>www<TAB>db<TAB>log``
    with counts of KiB in ASCII digits, at most :data:`MAX_KIB` each.
    """
    files: list[Path] = []
    for p in paths:
        files += sorted(p.glob("*.tsv")) if p.is_dir() else [p]
    out: dict[str, Usage] = {}
    problems: list[Problem] = []
    for f in files:
        file = display_path(f)
        data, unreadable = read_regular_file(f, file, MAX_FILE_BYTES, follow_links=True)
        if data is None:
            problems += unreadable
            continue
        host, at = f.stem, ""
        for n, raw in enumerate(data.split(b"\n"), 1):
            try:
                line = raw.decode("utf-8").removesuffix("\r")
            except UnicodeDecodeError as exc:
                shown = "".join(f"\\x{b:02x}" for b in raw[exc.start : exc.end][:8])
                column = len(raw[: exc.start].decode("utf-8", errors="replace")) + 1
                problems.append(
                    Problem(
                        file,
                        n,
                        "",
                        f"holds bytes that are not UTF-8 ({shown}, column {column}): the hosts write UTF-8; "
                        "copy the host's file again",
                    )
                )
                continue
            header = _HEADER_RE.match(line)
            if header:
                host, at = header["host"], header["at"]
                continue
            if not line.strip() or line.startswith("#"):
                continue
            usage, why = _usage(line, host, at)
            if usage is None:
                problems.append(Problem(file, n, *why))
                continue
            out[usage.slug] = usage
    if len(problems) > _PROBLEMS_SHOWN:
        first, hidden = sorted(problems)[:_PROBLEMS_SHOWN], sorted(problems)[_PROBLEMS_SHOWN:]
        problems = [*first, Problem(hidden[0].file, None, "", f"and {len(hidden)} more problem(s), not shown")]
    if problems:
        raise PicError(problems)
    return out


def _usage(line: str, host: str, at: str) -> tuple[Usage | None, tuple[str, str]]:
    """The measurement of one line, else (None, (field, what is wrong with it))."""
    cells = line.split("\t")
    if len(cells) != len(COLUMNS):
        return None, (
            "",
            f"{show_value(line)} has {len(cells)} tab-separated column(s), not {len(COLUMNS)}: "
            "slug, then KiB of www/, db/, log/",
        )
    if _SLUG.fullmatch(cells[0]) is None:
        return None, ("slug", f"{show_value(cells[0])} is not a member slug (a-z, 0-9 and -, at most 32 characters)")
    kib: list[int] = []
    for name, cell in zip(COLUMNS[1:], cells[1:], strict=True):
        value = int(cell) if _KIB.fullmatch(cell) else None
        if value is None or value > MAX_KIB:
            return None, (
                f"{cells[0]}.{name}",
                f"{show_value(cell)} is not a count of KiB (digits 0-9, at most {MAX_KIB}, which is 1 PiB)",
            )
        kib.append(value)
    return Usage(cells[0], host, at, *kib), ("", "")


def soft_limit_mb(member: Member, settings: Settings) -> int:
    """The member's own soft limit, else the stack's."""
    own = member.spec.limits.disk_soft_limit_mb if member.spec.limits is not None else None
    return own if own is not None else settings.disk.soft_limit_mb


def default_paths(project: Path) -> list[Path]:
    """``<project>/disk-usage/`` when it exists."""
    d = project / DEFAULT_DIR
    return [d] if d.is_dir() else []

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

from pic.errors import PicError, Problem
from pic.registry import Member
from pic.settings import Settings, display_path

DEFAULT_DIR = "disk-usage"
HOST_FILE = "/var/lib/pic/disk-usage.tsv"
_HEADER_RE = re.compile(r"^# pic disk usage of (?P<host>\S+) at (?P<at>\S+)")


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

    Raises PicError naming file and line for a malformed line.
    """
    files: list[Path] = []
    for p in paths:
        files += sorted(p.glob("*.tsv")) if p.is_dir() else [p]
    out: dict[str, Usage] = {}
    problems: list[Problem] = []
    for f in files:
        file = display_path(f)
        try:
            lines = f.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise PicError([Problem(file, None, "", f"cannot be read: {exc.strerror}")]) from None
        host, at = f.stem, ""
        for n, line in enumerate(lines, 1):
            header = _HEADER_RE.match(line)
            if header:
                host, at = header["host"], header["at"]
                continue
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if len(cells) != 4 or not all(c.isdigit() for c in cells[1:]):
                problems.append(
                    Problem(file, n, "", f"{line!r} is not: slug, then KiB of www/, db/, log/ (tab-separated)")
                )
                continue
            out[cells[0]] = Usage(cells[0], host, at, int(cells[1]), int(cells[2]), int(cells[3]))
    if problems:
        raise PicError(problems)
    return out


def soft_limit_mb(member: Member, settings: Settings) -> int:
    """The member's own soft limit, else the stack's."""
    own = member.spec.limits.disk_soft_limit_mb if member.spec.limits is not None else None
    return own if own is not None else settings.disk.soft_limit_mb


def default_paths(project: Path) -> list[Path]:
    """``<project>/disk-usage/`` when it exists."""
    d = project / DEFAULT_DIR
    return [d] if d.is_dir() else []

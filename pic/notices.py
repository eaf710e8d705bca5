"""The record of the messages ``pic notify`` sent: who was told about which runtime, and when.

A YAML file in the repository (default ``notices.yaml`` next to the stack
files), reviewed like the registry::

    sent:
      - {date: 2026-11-28, member: amis-du-rhone, runtime: "7.4", to: marie@example.org, state: eol}

Only messages the mail server accepted are recorded. ``pic notify`` reads it
to send nothing twice within ``pic:notify.period_days``; ``pic report`` reads
it to say "told on ...".
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from pic.errors import PicError, Problem
from pic.settings import display_path
from pic.yamlsrc import read_regular_file

DEFAULT_FILE = "notices.yaml"
HEADER = (
    "# Messages sent by `pic notify` (accepted by the mail server): one entry per member and runtime told.\n"
    "# Written by pic; keep it under review with the registry.\n"
)


@dataclass(frozen=True)
class Notice:
    date: dt.date  # the day of the run that sent it
    member: str  # slug
    runtime: str  # runtime key
    to: str  # the contact's address
    state: str  # warning, eol or stopped, as of that day


def load(path: Path) -> list[Notice]:
    """Every recorded notice, oldest first; a missing file is an empty record.

    Raises PicError naming the file and entry when the file is not a record.
    """
    if not path.exists() and not path.is_symlink():
        return []
    file = display_path(path)
    # A regular file only (a FIFO or a device would block or never end), the admins' own: a link is followed.
    raw, unreadable = read_regular_file(path, file, follow_links=True)
    if raw is None:
        raise PicError(unreadable)
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise PicError([Problem(file, None, "", "is not UTF-8 text: it is no record of pic notify")]) from None
    except yaml.YAMLError as exc:
        raise PicError([Problem(file, None, "", f"is not valid YAML: {exc}")]) from None
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("sent", []), list):
        raise PicError([Problem(file, None, "sent", "must be a mapping with a list `sent:`")])
    out: list[Notice] = []
    problems: list[Problem] = []
    for i, entry in enumerate(data.get("sent") or []):
        try:
            if not isinstance(entry, dict):
                raise TypeError("is not a mapping")
            date = entry["date"]
            if not isinstance(date, dt.date):
                raise TypeError(f"date {date!r} is not a date written YYYY-MM-DD")
            out.append(Notice(date, str(entry["member"]), str(entry["runtime"]), str(entry["to"]), str(entry["state"])))
        except (KeyError, TypeError) as exc:
            problems.append(
                Problem(file, None, f"sent[{i}]", f"{exc}: each entry has date, member, runtime, to and state")
            )
    if problems:
        raise PicError(problems)
    return sorted(out, key=lambda n: n.date)


def last_told(notices: list[Notice]) -> dict[tuple[str, str], dt.date]:
    """(member, runtime) -> the last day it was told."""
    out: dict[tuple[str, str], dt.date] = {}
    for n in notices:
        key = (n.member, n.runtime)
        if key not in out or n.date > out[key]:
            out[key] = n.date
    return out


def append(path: Path, notice: Notice) -> None:
    """Add one notice to the record, replacing the file by a rename (a crash never leaves half a file)."""
    notices = [*load(path), notice]
    body = yaml.safe_dump(
        {
            "sent": [
                {"date": n.date, "member": n.member, "runtime": n.runtime, "to": n.to, "state": n.state}
                for n in notices
            ]
        },
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=200,
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(HEADER + body)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

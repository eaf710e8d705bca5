"""The record of the messages ``pic notify`` sent: who was told about which runtime, and when.

A YAML file in the repository (default ``notices.yaml`` next to the stack
files), reviewed like the registry::

    sent:
      - {date: 2026-11-28, member: amis-du-rhone, runtime: "7.4", to: marie@example.org, state: eol}

Only messages the mail server accepted are recorded. ``pic notify`` reads it
to send nothing twice within ``pic:notify.period_days``; ``pic report`` reads
it to say "told on ...". An entry is dated the day its message was sent: one
dated after today (written by hand, or by a ``pic`` older than the refusal of
``pic notify --on`` another day) is named by ``pic notify`` and ignored.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pic.errors import PicError, Problem
from pic.settings import display_path
from pic.yamlsrc import is_date, read_regular_file

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
    index: int | None = field(default=None, compare=False)  # its place in the file's `sent:` list, when read
    line: int | None = field(default=None, compare=False)  # its line in the file, when read

    def entry(self) -> dict[str, object]:
        return {"date": self.date, "member": self.member, "runtime": self.runtime, "to": self.to, "state": self.state}

    def as_yaml(self) -> str:
        """The notice as one item of the file's ``sent:`` list: ``- {date: ..., member: ..., ...}``."""
        return yaml.safe_dump([self.entry()], allow_unicode=True, sort_keys=False, default_flow_style=None, width=200)


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
    lines = _entry_lines(raw.decode("utf-8"))
    for i, entry in enumerate(data.get("sent") or []):
        line = lines[i] if i < len(lines) else None
        try:
            if not isinstance(entry, dict):
                raise TypeError("is not a mapping")
            date = entry["date"]
            if not is_date(date):  # a time of day too would not compare with a day
                raise TypeError(f"date {date!r} is not a date written YYYY-MM-DD")
            out.append(
                Notice(
                    date,
                    str(entry["member"]),
                    str(entry["runtime"]),
                    str(entry["to"]),
                    str(entry["state"]),
                    index=i,
                    line=line,
                )
            )
        except (KeyError, TypeError) as exc:
            problems.append(
                Problem(file, line, f"sent[{i}]", f"{exc}: each entry has date, member, runtime, to and state")
            )
    if problems:
        raise PicError(problems)
    return sorted(out, key=lambda n: n.date)


def _entry_lines(text: str) -> list[int]:
    """The line of each item of the ``sent:`` list (empty when the file has no such list)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "sent" and isinstance(value, yaml.SequenceNode):
                return [item.start_mark.line + 1 for item in value.value]
    return []


def dated_after(notices: list[Notice], day: dt.date, file: str) -> list[Problem]:
    """A warning for each notice dated after ``day`` (today): no message was sent on a day still to come."""
    return [
        Problem(
            file,
            n.line,
            f"sent[{n.index}].date" if n.index is not None else "sent",
            f"{n.date.isoformat()} is after today ({day.isoformat()}): a notice is dated the day it was sent; "
            "ignored (the member may be told again), correct or remove it",
            severity="warning",
        )
        for n in notices
        if n.date > day
    ]


def last_told(notices: list[Notice]) -> dict[tuple[str, str], dt.date]:
    """(member, runtime) -> the last day it was told."""
    out: dict[tuple[str, str], dt.date] = {}
    for n in notices:
        key = (n.member, n.runtime)
        if key not in out or n.date > out[key]:
            out[key] = n.date
    return out


def _not_written(path: Path, exc: OSError, hint: str = "") -> PicError:
    """The record named as the user gave it (never the temporary file beside it), with the system's reason."""
    reason = exc.strerror or str(exc)
    return PicError([Problem(display_path(path), None, "", f"cannot be written ({reason}){hint}")])


def check_writable(path: Path) -> None:
    """Raise PicError unless :func:`append` can write the record: a file can be created in its directory."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as exc:
        raise _not_written(path, exc, ": its directory must exist and be writable; nothing was sent") from None
    os.close(fd)
    Path(tmp).unlink(missing_ok=True)


def append(path: Path, notice: Notice) -> None:
    """Add one notice to the record, replacing the file by a rename (a crash never leaves half a file).

    Raises PicError naming the record when it cannot be read or written.
    """
    notices = [*load(path), notice]
    body = yaml.safe_dump(
        {"sent": [n.entry() for n in notices]},
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=200,
    )
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as exc:
        raise _not_written(path, exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(HEADER + body)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _not_written(path, exc) from None
        raise

"""The record of the messages ``pic notify`` sent: who was told about which runtime, and when.

A YAML file in the repository (default ``notices.yaml`` next to the stack
files), reviewed like the registry::

    sent:
      - {date: 2026-11-28, member: amis-du-rhone, runtime: "7.4", to: marie@example.org, state: eol}

An entry may also hold a ``note`` (text, written by hand: ``note: "phoned her too"``), kept
as it is; any other key is refused, naming its line. ``pic notify`` adds each entry as one
line at the end of the ``sent:`` list and changes nothing else: comments, order, notes and
layout written by hand stay byte for byte.

Only messages the mail server accepted are recorded. ``pic notify`` reads it
to send nothing twice within ``pic:notify.period_days``; ``pic report`` reads
it to say "told on ...". An entry is dated the day its message was sent: one
dated after today (written by hand, or by a ``pic`` older than the refusal of
``pic notify --on`` another day) is named by ``pic notify`` and ignored.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pic.errors import PicError, Problem
from pic.modelerrors import problems_from
from pic.settings import RuntimeKey, display_path
from pic.yamlsrc import parse_yaml, read_regular_file

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
    note: str | None = field(default=None, compare=False)  # written by hand, kept

    def entry(self) -> dict[str, object]:
        out: dict[str, object] = {
            "date": self.date,
            "member": self.member,
            "runtime": self.runtime,
            "to": self.to,
            "state": self.state,
        }
        if self.note is not None:
            out["note"] = self.note
        return out

    def as_yaml(self) -> str:
        """The notice as one item of the file's ``sent:`` list, on one line: ``- {date: ..., member: ..., ...}``."""
        return yaml.safe_dump(
            [self.entry()], allow_unicode=True, sort_keys=False, default_flow_style=None, width=_ONE_LINE
        )


_ONE_LINE = 1_000_000  # a width no entry reaches: an entry is never folded onto a second line
_KEYS = frozenset({"date", "member", "runtime", "to", "state", "note"})  # a second one on a line is refused


def load(path: Path) -> list[Notice]:
    """Every recorded notice, oldest first; a missing file is an empty record.

    Raises PicError naming the file and entry when the file is not a record.
    """
    if not path.exists() and not path.is_symlink():
        return []
    file = display_path(path)
    return sorted(_parse(_read(path, file), file), key=lambda n: n.date)


def _read(path: Path, file: str) -> str:
    """The record's text, exactly (line breaks untouched); PicError when it cannot be read or is not UTF-8."""
    # A regular file only (a FIFO or a device would block or never end), the admins' own: a link is followed.
    raw, unreadable = read_regular_file(path, file, follow_links=True)
    if raw is None:
        raise PicError(unreadable)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PicError([Problem(file, None, "", "is not UTF-8 text: it is no record of pic notify")]) from None


NoticeState = Literal["warning", "eol", "stopped"]  # pic notify's states of a runtime (pic.eol, "stopped": refused)


class _Entry(BaseModel):
    """One item of the record's ``sent:`` list, as ``pic notify`` writes it; a ``note`` may be added by hand."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    date: dt.date  # a day: YYYY-MM-DD, unquoted (a time of day would not compare with one)
    member: str = Field(min_length=1)
    runtime: RuntimeKey
    to: str = Field(min_length=1)
    state: NoticeState
    note: str | None = None


class _Record(BaseModel):
    """The record: entries under ``sent:``; other top keys written by hand are kept and not read."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)

    sent: list[_Entry] | None = None


def _parse(text: str, file: str) -> list[Notice]:
    """The notices of a record's text, in the file's order; PicError naming each entry that is not one.

    Read by the member files' loader (:func:`pic.yamlsrc.parse_yaml`: a key written twice, aliases,
    tags and control characters are refused with their lines), then checked by :class:`_Record`.
    """
    doc, problems = parse_yaml(text, file, _KEYS)
    if doc is None:
        raise PicError(problems)
    if doc.data is None:
        return []
    if not isinstance(doc.data, dict):
        raise PicError([Problem(file, doc.line_of(()), "", "must be a mapping with a list `sent:`")])
    stray = [
        Problem(file, doc.line_of((key,)), key, "holds a list, which is not read: entries go under `sent:` only")
        for key, value in doc.data.items()
        if key != "sent" and isinstance(value, list)
    ]
    if stray:
        raise PicError(stray)
    try:
        record = _Record.model_validate(doc.data)
    except ValidationError as exc:
        raise PicError(problems_from(exc, doc, _Record, credentials=False)) from None
    return [
        Notice(e.date, e.member, e.runtime, e.to, e.state, index=i, line=doc.line_of(("sent", i)), note=e.note)
        for i, e in enumerate(record.sent or [])
    ]


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
    """Raise PicError unless :func:`append` can write the record: a file can be created in its directory,
    and the record, if there, is one a line can be added to."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as exc:
        raise _not_written(path, exc, ": its directory must exist and be writable; nothing was sent") from None
    os.close(fd)
    Path(tmp).unlink(missing_ok=True)
    if path.exists() or path.is_symlink():
        file = display_path(path)
        _appended(_read(path, file), Notice(dt.date(2000, 1, 1), "m", "8.4", "t@example.org", "eol"), file)


_ITEM_PREFIX = re.compile(r"[ \t]*-[ \t]+")  # "  - " before an entry of a block list


def _appended(text: str, notice: Notice, file: str) -> str:
    """``text`` with ``notice`` added as one line at the end of its ``sent:`` list, every other byte kept.

    Raises PicError naming the file when its ``sent:`` list is not one a line can be added to (a flow
    list ``[...]`` that is not empty, a list nested otherwise): checked by reading the result back.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    item = notice.as_yaml().removeprefix("- ").rstrip("\n")
    old = _parse(text, file)
    at, prefix, before = len(text), "  - ", ""  # by default: at the end
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        root = None
    sent = None
    if isinstance(root, yaml.MappingNode):
        sent = next(
            (v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "sent"),
            None,
        )
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag.endswith(":null")):
        before = "" if not text or text.endswith(("\n", "\r")) else newline
        before += ("" if text.strip() else HEADER.replace("\n", newline)) + "sent:" + newline
    elif isinstance(sent, yaml.SequenceNode) and sent.value and not sent.flow_style:
        last = sent.value[-1]
        start = text.rfind("\n", 0, last.start_mark.index) + 1
        if _ITEM_PREFIX.fullmatch(text[start : last.start_mark.index]):
            prefix = text[start : last.start_mark.index]
        end = last.end_mark.index
        if last.end_mark.column != 0:
            eol = text.find("\n", end)
            end = len(text) if eol < 0 else eol + 1
        at = end
        before = "" if at == 0 or text[at - 1] in "\r\n" else newline
    elif isinstance(sent, yaml.SequenceNode) and not sent.value:  # sent: []
        at, before = sent.start_mark.index, newline
        text = text[:at] + text[sent.end_mark.index :]
    elif isinstance(sent, yaml.ScalarNode) and sent.value == "":  # sent: (nothing)
        eol = text.find("\n", sent.start_mark.index)
        at = len(text) if eol < 0 else eol + 1
        before = "" if at == 0 or text[at - 1] in "\r\n" else newline
    elif sent is None and isinstance(root, yaml.MappingNode):
        before = ("" if text.endswith(("\n", "\r")) else newline) + "sent:" + newline
    new = text[:at] + before + prefix + item + newline + text[at:]
    try:
        again = _parse(new, file)
    except PicError:
        again = []
    if again != [*old, notice] or again[-1].note != notice.note:
        raise PicError(
            [
                Problem(
                    file,
                    sent.start_mark.line + 1 if sent is not None else None,
                    "sent",
                    "is not a list pic can add a line to: write it as `sent:` followed by one `  - {...}` "
                    "line per entry",
                )
            ]
        )
    return new


def append(path: Path, notice: Notice) -> None:
    """Add one notice as one line at the end of the record's ``sent:`` list, every other byte kept
    (comments, notes, order): the record is copied with the line added, then the copy renamed over it
    (a crash never leaves half a file).

    Raises PicError naming the record when it cannot be read or written.
    """
    file = display_path(path)
    exists = path.exists() or path.is_symlink()
    text = _appended(_read(path, file) if exists else "", notice, file)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as exc:
        raise _not_written(path, exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            if exists:
                os.fchmod(out.fileno(), stat.S_IMODE(os.stat(path).st_mode))
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _not_written(path, exc) from None
        raise

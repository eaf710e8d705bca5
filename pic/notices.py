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
_KEYS = ("date", "member", "runtime", "to", "state", "note")


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


def _parse(text: str, file: str) -> list[Notice]:
    """The notices of a record's text, in the file's order; PicError naming each entry that is not one."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PicError([Problem(file, None, "", f"is not valid YAML: {exc}")]) from None
    except ValueError:  # PyYAML's constructor of a date that is no day of the calendar (2026-02-30)
        raise PicError(_no_days(text, file)) from None
    if data is None:
        return []
    laid_out = _layout_problems(text, file)
    if laid_out:
        raise PicError(laid_out)
    if not isinstance(data, dict) or not isinstance(data.get("sent") or [], list):
        raise PicError([Problem(file, None, "sent", "must be a mapping with a list `sent:`")])
    out: list[Notice] = []
    problems: list[Problem] = []
    lines = _entry_lines(text)
    for i, entry in enumerate(data.get("sent") or []):
        line = lines[i] if i < len(lines) else None
        try:
            if not isinstance(entry, dict):
                raise TypeError("is not a mapping")
            unknown = [str(k) for k in entry if k not in _KEYS]
            if unknown:
                raise TypeError(
                    f"{', '.join(repr(k) for k in unknown)} is not a key of an entry (note: TEXT may be added)"
                )
            date = entry["date"]
            if not is_date(date):  # a time of day too would not compare with a day
                raise TypeError(f"date {date!r} is not a date written YYYY-MM-DD")
            note = entry.get("note")
            if note is not None and not isinstance(note, str):
                raise TypeError(f"note {note!r} is not text (quote it)")
            out.append(
                Notice(
                    date,
                    str(entry["member"]),
                    str(entry["runtime"]),
                    str(entry["to"]),
                    str(entry["state"]),
                    index=i,
                    line=line,
                    note=note,
                )
            )
        except (KeyError, TypeError) as exc:
            problems.append(
                Problem(file, line, f"sent[{i}]", f"{exc}: each entry has date, member, runtime, to and state")
            )
    if problems:
        raise PicError(problems)
    return out


def _nodes(text: str) -> list[yaml.Node]:
    """Every node of the record's text (composed, not built), or none when YAML cannot read it."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    out: list[yaml.Node] = []
    todo = [root] if root is not None else []
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, yaml.MappingNode):
            todo += [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            todo += node.value
    return out


def _no_days(text: str, file: str) -> list[Problem]:
    """The dates of the record that are no day of the calendar, each with its line."""
    out = []
    for node in _nodes(text):
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
            try:
                dt.date.fromisoformat(node.value[:10])
            except ValueError as exc:
                out.append(
                    Problem(file, node.start_mark.line + 1, "date", f"{node.value} is no day of the calendar ({exc})")
                )
    return out or [Problem(file, None, "", "holds a date that is no day of the calendar")]


def _layout_problems(text: str, file: str) -> list[Problem]:
    """Keys of the record that would be read silently wrong: one written twice (YAML keeps the last), or a list
    under a top key other than ``sent`` (``Sent:``, ``send:``: its entries would be forgotten). Other top keys
    written by hand are kept and not read."""
    out = [
        Problem(file, line, key, "holds a list, which is not read: entries go under `sent:` only")
        for key, line in _stray_lists(text)
    ]
    out += [
        Problem(file, line, key, f"is written twice (line {first} too): {why}")
        for key, first, line, why in _keys_twice(text)
    ]
    return out


def _stray_lists(text: str) -> list[tuple[str, int]]:
    """The keys of the record's top mapping other than ``sent`` that hold a list, each with its line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    return [
        (str(k.value), k.start_mark.line + 1)
        for k, v in root.value
        if k.value != "sent" and isinstance(v, yaml.SequenceNode)
    ]


def _keys_twice(text: str) -> list[tuple[str, int, int, str]]:
    """Each key written twice in one mapping of the record (YAML keeps the last, silently): the key, the
    lines of its first and second places, and what is at stake."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    out, nodes = [], [root]
    while nodes:
        node = nodes.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                line = key.start_mark.line + 1
                if isinstance(key, yaml.ScalarNode) and key.value in seen:
                    why = "the messages listed first would be forgotten" if key.value == "sent" else "keep one"
                    out.append((key.value, seen[key.value], line, why))
                elif isinstance(key, yaml.ScalarNode):
                    seen[key.value] = line
                nodes.append(value)
        elif isinstance(node, yaml.SequenceNode):
            nodes.extend(node.value)
    return sorted(out, key=lambda t: t[2])


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
        _appended(_read(path, file), Notice(dt.date(2000, 1, 1), "m", "r", "t@example.org", "eol"), file)


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

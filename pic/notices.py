"""The record of the messages ``pic notify`` sent: who was told about which runtime, and when.

A YAML file in the repository (default ``notices.yaml`` next to the stack
files), reviewed like the registry::

    sent:
      - {date: 2026-11-28, member: amis-du-rhone, runtime: "7.4", to: marie@example.org, state: eol}

An entry may also hold a ``note`` (text, written by hand: ``note: "phoned her too"``; no secret, read as a
member file's notes are: the record is committed), kept
as it is; any other key is refused, naming its line, and so are a key left empty (``note: ~``)
and a ``to`` that is no address (checked as a member's ``contact.email``). ``pic notify`` adds each entry as one
line at the end of the ``sent:`` list and changes nothing else: comments, order, notes and
layout written by hand stay byte for byte.

Only messages the mail server accepted are recorded. ``pic notify`` reads it
to send nothing twice within ``pic:notify.period_days`` (to the same address, about
the same runtime in the same state: :func:`told_key`); ``pic report`` reads it to
say "told on ...". An entry is dated the day its message was sent: one dated after
today (written by hand, or by a ``pic`` older than the refusal of ``pic notify --on``
another day) is named by ``pic notify`` and ``pic report``, and counts only as of its own day: today's run
tells the member as if it were not there, a ``--dry-run`` or a report ``--on`` that day or later counts it
(:func:`told_as_of`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError
from pydantic.fields import FieldInfo

from pic import diskusage
from pic.errors import HIDDEN_VALUE, PicError, Problem, meant_among, shown_unless_secret
from pic.filekinds import other_kind
from pic.modelerrors import problems_from
from pic.registry import (
    empty_keys,
    empty_words,
    no_secret_in_a_note,
)  # the member files' walk: every optional field of an entry
from pic.settings import RuntimeKey, display_in, display_path, resolved
from pic.validators import SLUG_PATTERN, Email, FreeText, NameOf, Whole, refused_character
from pic.yamlsrc import Document, decode_yaml, format_loc, parse_yaml, read_regular_file, shown_loc

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
# The largest record read or written: about 40,000 entries of some 100 bytes (fifty members told once a
# month for over sixty years; read in about 4 s); pic notify never writes a record it would then refuse.
MAX_RECORD_BYTES = 4 * 1024 * 1024
_KEYS = frozenset({"date", "member", "runtime", "to", "state", "note"})  # a second one on a line is refused


def load(path: Path, members: Collection[str] | None = None, members_dir: Path | None = None) -> list[Notice]:
    """Every recorded notice, oldest first; a missing file is an empty record.

    Raises PicError naming the file and entry when the file is not a record, and, given the slugs of the
    registry's ``members`` (whose files are in ``members_dir``), each entry naming no member (a slug mistyped, or a
    member removed since): that notice would count no one as told, and a hint names only a member there is.
    """
    file = display_path(path)
    if not _present(path, file):
        return []
    known = None if members is None else (tuple(sorted(members)), display_path(members_dir or Path("members")))
    text = _read(path, file)
    try:
        return sorted(_parse(text, file, known), key=lambda n: n.date)
    except PicError:
        if (other := other_kind(text.encode(), path.name, "record")) is not None:  # one of the project's files
            raise PicError([Problem(file, None, "", other)]) from None
        raise


def not_a_record(path: Path, project: Path, members_dir: Path, disk_usage: Sequence[Path] = ()) -> str | None:
    """Why ``path`` may not be pic notify's record, or None.

    Refused: a path inside the members directory ``members_dir`` or the project's own ``members/`` (which the
    Pulumi program reads whatever ``--members`` says; the registry would then hold ``sent:``, an unknown key, and
    every ``pic check`` fail); a file of the Pulumi project (``Pulumi.yaml``, ``Pulumi.<stack>.yaml``, ``.yml``
    too, in any case of letters: one name on a file system that folds case); a path inside the disk usage
    directory ``pic report`` and ``pic status`` read (the project's ``disk-usage/``, a directory of ``disk_usage``,
    pic report's ``--disk-usage``) or a file ``disk_usage`` names (``sent:`` written into a host's measurement:
    both commands would refuse it); and, the file existing, another name of a member file, of such a project file
    or of a disk usage file (a hard link: writing the record writes that file). Symbolic links resolved; a
    directory on the way compared by identity (device and inode) where it exists."""
    target = resolved(path)
    return _project_file(target, project, members_dir) or _disk_usage_file(target, project, disk_usage)


def _project_file(target: Path, project: Path, members_dir: Path) -> str | None:
    """Why the resolved ``target`` is a member file or a file of the Pulumi project (:func:`not_a_record`), or None."""
    for directory in dict.fromkeys((members_dir, project / "members")):
        if _within(target, directory):
            return (
                f"is inside the members directory ({display_path(directory)}): pic notify's record is not a member file"
            )
    top = resolved(project)
    if _same_dir(target.parent, top) and _pulumi_name(target.name):
        return f"is a file of the Pulumi project ({target.name}): pic notify's record is a file of its own"
    if not _is_file(target):
        return None
    for directory in dict.fromkeys((members_dir, project / "members")):
        for f in _files(directory):
            if _same_file(target, f):
                return (
                    f"is the member file {display_path(f)} (another name of it): pic notify's record is not a member "
                    "file"
                )
    for f in _files(project):
        if _pulumi_name(f.name) and _same_file(target, f):
            return (
                f"is the file {display_path(f)} of the Pulumi project (another name of it): pic notify's record is a "
                "file of its own"
            )
    return None


def _disk_usage_file(target: Path, project: Path, disk_usage: Sequence[Path]) -> str | None:
    """Why the resolved ``target`` is in a disk usage directory, a disk usage file ``disk_usage`` names, or another
    name of a file of such a directory (:func:`not_a_record`), or None."""
    directories = dict.fromkeys([project / diskusage.DEFAULT_DIR, *(d for d in disk_usage if _is_dir(d))])
    for directory in directories:
        # the directory itself, or a file in it (its reader lists its *.tsv alone, never a file below it)
        if target == resolved(directory) or _same_dir(target.parent, resolved(directory)):
            return f"is inside the disk usage directory ({display_path(directory)}): {_NO_DISK_USAGE}"
    for f in disk_usage:
        if not _is_dir(f) and (target == resolved(f) or _same_file(target, f)):
            return f"is the disk usage file {display_path(f)} (--disk-usage): {_NO_DISK_USAGE}"
    if _is_file(target):
        for f in (f for directory in directories for f in _files(directory)):
            if _same_file(target, f):
                return f"is the disk usage file {display_path(f)} (another name of it): {_NO_DISK_USAGE}"
    return None


_NO_DISK_USAGE = (
    "pic notify's record is not a disk usage file (pic report and pic status read the hosts' measurements there, "
    "and would refuse one holding sent:)"
)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _pulumi_name(name: str) -> bool:
    """True for the name of a Pulumi project's file: ``Pulumi.yaml``, ``Pulumi.<stack>.yaml`` (or ``.yml``),
    whatever the case of its letters."""
    lower = name.lower()
    return lower.startswith("pulumi.") and lower.endswith((".yaml", ".yml"))


def _within(target: Path, directory: Path) -> bool:
    """True when the resolved ``target`` is ``directory`` or inside it: by path, or by identity of an existing
    directory on its way (a directory reached by another spelling)."""
    real = resolved(directory)
    if target == real or real in target.parents:
        return True
    return any(_same_dir(d, real) for d in (target, *target.parents))


def _same_dir(a: Path, b: Path) -> bool:
    return a == b or _same_file(a, b)


def _same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` are one file (device and inode); False too when either cannot be looked at."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # EACCES on the way: the reader names it
        return False


def _files(directory: Path) -> list[Path]:
    """The regular files directly in ``directory`` (none when it cannot be listed)."""
    try:
        return [f for f in directory.iterdir() if _is_file(f)]
    except OSError:
        return []


def present(path: Path) -> bool:
    """True when the record ``path`` exists (a link counts, even dangling); PicError naming it when that cannot be
    known (a directory on the way that cannot be searched)."""
    return _present(path, display_path(path))


def _present(path: Path, file: str) -> bool:
    """True when ``path`` exists (a link counts, even dangling: reading it says what is wrong); False when it does
    not; PicError when that cannot be known (a directory on the way that cannot be searched)."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise PicError([Problem(file, None, "", f"cannot be read: {exc.strerror}")]) from None
    return True


def _read(path: Path, file: str) -> str:
    """The record's text, exactly (line breaks untouched); PicError when it cannot be read or is not UTF-8."""
    # A regular file only (a FIFO or a device would block or never end), the admins' own: a link is followed.
    raw, unreadable = read_regular_file(path, file, MAX_RECORD_BYTES, follow_links=True)
    if raw is None:
        raise PicError(unreadable)
    text, problems = decode_yaml(raw, file, _KEYS)
    if text is None:
        raise PicError(problems)
    return text


NoticeState = Literal["warning", "eol", "stopped"]  # pic notify's states of a runtime (pic.eol, "stopped": refused)


_SLUG_WORDS = "a member's slug (its file name without .yaml)"


@dataclass(frozen=True)
class _MemberSlug(NameOf):
    """A member's slug; one not of the form is hinted a member of the registry alone (the validation context's
    ``members``), never a slug mended into one no member has (``Velo-Citez`` is no ``velo-citez``)."""

    def hint(self, value: str, known: list[str]) -> str:
        meant = member_meant(value, known)
        return f"; did you mean {meant!r}?" if meant is not None else ""


def member_meant(value: str, members: Collection[str]) -> str | None:
    """The one of ``members`` (slugs) that ``value`` is in another case or form (``Amis_Du_Rhone``) or a slip of
    (``amis-du-rhon``), else None: never a slug that is no member's."""
    if not members or refused_character(value) is not None:
        return None
    mended = Whole(SLUG_PATTERN, _SLUG_WORDS).meant(value)
    if mended in members:
        return mended
    return meant_among(value, members)


class _Entry(BaseModel):
    """One item of the record's ``sent:`` list, as ``pic notify`` writes it; a ``note`` may be added by hand."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    date: dt.date  # a day: YYYY-MM-DD, unquoted (a time of day would not compare with one)
    member: Annotated[str, _MemberSlug(SLUG_PATTERN, _SLUG_WORDS, among="members")]
    runtime: RuntimeKey
    to: Email  # the member's contact.email, checked as the member file's
    state: NoticeState
    # as a member file's notes: no empty one, no secret (the record is committed too)
    note: Annotated[str, FreeText(newlines=True), AfterValidator(no_secret_in_a_note)] | None = None


class _Record(BaseModel):
    """The record: entries under ``sent:``, its only top key (:func:`_parse` refuses any other)."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)

    sent: list[_Entry] | None = None


@lru_cache(maxsize=4)
def _parsed(text: str, file: str) -> tuple[Notice, ...]:
    """:func:`_parse`, remembered: each line added reads the record it extends, which the check of the line
    before read back already (one parse per message instead of two)."""
    return tuple(_parse(text, file))


def _parse(text: str, file: str, members: tuple[tuple[str, ...], str] | None = None) -> list[Notice]:
    """The notices of a record's text, in the file's order; PicError naming each entry that is not one.

    Read by the member files' loader (:func:`pic.yamlsrc.parse_yaml`: a key written twice, aliases,
    tags and control characters are refused with their lines), then checked by :class:`_Record`; given the
    registry's ``members`` (their slugs, the directory of their files as shown), an entry naming none of them is
    refused too (:func:`_unknown_members`).
    """
    doc, problems = parse_yaml(text, file, _KEYS)
    if doc is None:
        raise PicError(problems)
    if doc.data is None:
        return []
    if not isinstance(doc.data, dict):
        raise PicError([Problem(file, doc.line_of(()), "", "must be a mapping with a list `sent:`")])
    stray = [
        Problem(
            file,
            doc.line_of((key,)),
            shown_loc((key,)),
            "unknown key: a record holds `sent:` only (is this a member file or a stack file, not pic notify's "
            "record?)",
        )
        for key in doc.data
        if key != "sent"
    ]
    if stray:
        raise PicError(stray)
    empty = _empty_keys(doc.data)
    unknown = [] if members is None else _unknown_members(doc, file, *members)
    try:
        record = _Record.model_validate(doc.data, context=None if members is None else {"members": members[0]})
    except ValidationError as exc:
        problems = problems_from(exc, doc, _Record, credentials=False)
        told = {p.path for p in problems}
        raise PicError(
            sorted(
                [*problems, *(p for p in [*_empty_problems(empty, doc, file), *unknown] if p.path not in told)],
                key=_where,
            )
        ) from None
    if empty or unknown:
        raise PicError(sorted([*_empty_problems(empty, doc, file), *unknown], key=_where))
    return [
        Notice(e.date, e.member, e.runtime, e.to, e.state, index=i, line=doc.line_of(("sent", i)), note=e.note)
        for i, e in enumerate(record.sent or [])
    ]


def _unknown_members(doc: Document, file: str, members: tuple[str, ...], members_dir: str) -> list[Problem]:
    """An entry whose ``member`` is a slug no member file has: a slug mistyped would count the member as never
    told (and tell it again), a member removed leaves entries no command reads; either is said, with the member
    meant when the slug is one's slip (:func:`member_meant`). A ``member`` not of a slug's form is the model's."""
    sent = doc.data.get("sent") if isinstance(doc.data, dict) else None
    if not isinstance(sent, list):
        return []
    known = frozenset(members)
    out = []
    for i, item in enumerate(sent):
        slug = item.get("member") if isinstance(item, dict) else None
        if not isinstance(slug, str) or slug in known or re.fullmatch(SLUG_PATTERN, slug) is None:
            continue
        meant = member_meant(slug, members)
        hint = (
            f"did you mean {meant!r}?"
            if meant is not None
            else "a slug mistyped, or a member removed since (its entries may go: the history keeps them)"
        )
        loc = ("sent", i, "member")
        shown = shown_unless_secret(slug)
        there = (
            f"there is no {display_in(members_dir, slug)}.yaml"
            if shown != HIDDEN_VALUE
            else "no member file has that name"
        )
        why = f"{shown} is no member: {there}; {hint}"
        out.append(Problem(file, doc.line_of(loc), format_loc(loc), why))
    return out


def _empty_keys(data: dict[str, object]) -> list[tuple[tuple[str | int, ...], FieldInfo]]:
    """The optional keys of the entries written without a value (``note: ~``, ``note:``): refused, as in a member
    file, never taken as absent (a required key left empty is said by the model)."""
    sent = data.get("sent")
    if not isinstance(sent, list):
        return []
    return [
        (loc, info)
        for i, item in enumerate(sent)
        if isinstance(item, dict)
        for loc, info in empty_keys(_Entry, item, ("sent", i))
        if not info.is_required()
    ]


def _empty_problems(empty: list[tuple[tuple[str | int, ...], FieldInfo]], doc: Document, file: str) -> list[Problem]:
    return [Problem(file, doc.line_of(loc), format_loc(loc), empty_words(info)) for loc, info in empty]


def _where(problem: Problem) -> tuple[int, str]:
    return (problem.line or 0, problem.path)


def dated_after(notices: list[Notice], day: dt.date, file: str) -> list[Problem]:
    """A warning for each notice dated after ``day`` (today): no message was sent on a day still to come."""
    return [
        Problem(
            file,
            n.line,
            f"sent[{n.index}].date" if n.index is not None else "sent",
            f"{n.date.isoformat()} is after today ({day.isoformat()}): a notice is dated the day it was sent; "
            "it counts only as of that day (--on it or later; today the member may be told again), correct or "
            "remove it",
            severity="warning",
        )
        for n in notices
        if n.date > day
    ]


Told = dict[tuple[str, str, str, str], dt.date]


def told_as_of(notices: list[Notice], on: dt.date) -> Told:
    """:func:`last_told` as of the day ``on``: the notices dated up to ``on`` count, a later one told nobody yet.
    ``pic notify`` and ``pic report`` read the record so, for ``--on`` any day: today's run leaves out a notice
    dated after today (:func:`dated_after` warns of it), a ``--dry-run`` or a report of a later day counts it."""
    return last_told([n for n in notices if n.date <= on])


def last_told(notices: list[Notice]) -> Told:
    """(member, runtime, address, state) -> the last day a message about that runtime in that state reached that
    address (:func:`told_key`)."""
    out: Told = {}
    for n in notices:
        key = told_key(n.member, n.runtime, n.to, n.state)
        if key not in out or n.date > out[key]:
            out[key] = n.date
    return out


def notice_state(state: str, stopped: bool) -> str:
    """The ``state`` a notice records for a runtime in end-of-life ``state`` (``warning``, ``eol``) that the admins
    may have ``stopped``: ``stopped`` says more of the site than the calendar does."""
    return "stopped" if stopped else state


def told_key(member: str, runtime: str, to: str, state: str) -> tuple[str, str, str, str]:
    """What a notice must match to count as told: the member, the runtime, the contact's address as its file gives
    it today, and the notice state (:func:`notice_state`). A member whose contact changed is told at the new
    address (the former one may have left with the person), and one whose runtime went on from ``warning`` to
    ``eol`` or ``stopped`` is told again (its site is then refused), whatever ``pic:notify.period_days`` says.
    The address is compared as a mailbox (:func:`same_address`), not as written."""
    return (member, runtime, same_address(to), state)


def same_address(address: str) -> str:
    """``address`` in one spelling for each mailbox: its domain in lower-case punycode (``Café.FR`` and
    ``xn--caf-dma.fr`` are one domain) and its local part in lower case (``Marie`` and ``marie``: servers
    treat them as one mailbox, and a contact whose case was edited is no new person) and composed (NFC, as
    RFC 6532 §3.1 has it: an ``é`` written ``e`` and its accent, as some editors store it, is ``é``). Not case
    folding: it makes ``maße`` and ``masse``, two mailboxes, one."""
    local, _, domain = address.rpartition("@")
    local = unicodedata.normalize("NFC", local).lower()
    domain = domain.rstrip(".").lower()
    if not domain.isascii():
        import idna

        try:
            domain = idna.encode(domain, uts46=True).decode("ascii")
        except idna.IDNAError:
            domain = domain.casefold()
    return f"{local}@{domain}"


def _not_written(path: Path, exc: OSError, hint: str = "") -> PicError:
    """The record named as the user gave it (never the temporary file beside it), with the system's reason."""
    reason = exc.strerror or str(exc)
    return PicError([Problem(display_path(path), None, "", f"cannot be written ({reason}){hint}")])


def _target(path: Path) -> Path:
    """The file a write of the record replaces: the record itself, or the file its symbolic links lead to
    (replacing the link would leave the file it points to without the new entries)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def check_writable(path: Path, entries: Sequence[Notice]) -> None:
    """Raise PicError unless :func:`append` can write the record with ``entries`` added one by one, so that
    no message is sent that then cannot be recorded: nothing of :func:`writable_problems`, a file can be
    created (and removed) in the directory of the file its links lead to, the lines fit
    (:func:`check_appendable`), and its file system has room for the new copy. Writes nothing that stays.
    """
    problems = writable_problems(path)
    if problems:
        raise PicError([dataclasses.replace(p, message=f"{p.message}; nothing was sent") for p in problems])
    target = _target(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as exc:
        raise _not_written(path, exc, "; nothing was sent") from None
    os.close(fd)
    _remove(Path(tmp))
    problems = room_problems(path, check_appendable(path, entries))
    if problems:
        raise PicError([dataclasses.replace(p, message=f"{p.message}; nothing was sent") for p in problems])


def room_problems(path: Path, size: int) -> list[Problem]:
    """A problem when the file system of the record has no room for a new copy of ``size`` bytes (told
    without writing: a dry run says it too)."""
    try:
        room = os.statvfs(_target(path).parent)
    except OSError:
        return []  # no directory: said by writable_problems
    free = room.f_bavail * room.f_frsize
    if free >= size + _SLACK:
        return []
    return [
        Problem(
            display_path(path),
            None,
            "",
            f"cannot be written: its file system has {free} bytes free, the record with the new entries takes {size}",
        )
    ]


_SLACK = 64 * 1024  # room beyond the new copy itself: its blocks, the directory's entry
_NAME_MAX = 255  # bytes of a file name (Linux's NAME_MAX)
_FS_IOC_GETFLAGS = 0x80086601  # Linux ioctl (linux/fs.h, _IOR('f', 1, long)): a file's chattr attributes
_FS_IMMUTABLE_FL, _FS_APPEND_FL = 0x10, 0x20


def _chattr(path: Path, directory: bool = False) -> str | None:
    """``"immutable"`` or ``"append-only"`` when ``chattr`` made ``path`` so (lsattr's i and a), else None
    (also where the file system has no such attributes)."""
    import fcntl
    import struct

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (os.O_DIRECTORY if directory else 0))
    except OSError:
        return None
    try:
        flags = struct.unpack("l", fcntl.ioctl(fd, _FS_IOC_GETFLAGS, struct.pack("l", 0)))[0]
    except OSError:
        return None
    finally:
        os.close(fd)
    if flags & _FS_IMMUTABLE_FL:
        return "immutable"
    return "append-only" if flags & _FS_APPEND_FL else None


def _mount_point(path: Path) -> bool:
    """True when ``path`` (a file the links lead to) is a mount point of this process (/proc/self/mountinfo):
    a file bound over another of the same file system has the same device, which ``os.path.ismount`` reads."""
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as mounts:
            points = {line.split(" ")[4] for line in mounts if line.count(" ") >= 4}
    except OSError:
        return False
    # mountinfo writes a backslash, space, tab and newline in octal (\134, \040, \011, \012), as fstab does
    written = os.path.realpath(path)  # as the kernel lists it: no "..", no symbolic link on the way
    for ch, code in (("\\", "\\134"), (" ", "\\040"), ("\t", "\\011"), ("\n", "\\012")):
        written = written.replace(ch, code)
    return written in points


def writable_problems(path: Path) -> list[Problem]:
    """What would stop a line being added to the record, told without writing anything (a dry run says it too):
    its directory missing, not writable, not readable (the run's lock), append-only or immutable, or the name
    too long for a copy beside it; the record not a regular file, read-only (by its mode, for root too, or
    its file system), append-only or immutable, mounted on its own (a single-file bind mount cannot be
    renamed over), or another user's in a sticky directory such as /tmp. ACLs and extended attributes of
    the record are not kept by a line added (it is a new copy)."""
    file = display_path(path)
    try:
        present = _present(path, file)
        target = _target(path)
        parent = os.stat(target.parent)
    except PicError as exc:
        return exc.problems
    except FileNotFoundError:
        return [Problem(file, None, "", "cannot be written: its directory does not exist")]
    except OSError as exc:
        return [Problem(file, None, "", f"cannot be written: its directory cannot be reached ({exc.strerror})")]
    why = _directory_refusal(target, parent)
    if why is None and present and target.exists():
        why = _file_refusal(target, parent)
    return [] if why is None else [Problem(file, None, "", f"cannot be written: {why}")]


def _directory_refusal(target: Path, parent: os.stat_result) -> str | None:
    if not stat.S_ISDIR(parent.st_mode):
        return "its directory is not a directory"
    if _read_only_file_system(target.parent):  # access(2) says EROFS as EACCES: the mode is not what stops it
        return "its directory is on a read-only file system (mounted ro)"
    if not os.access(target.parent, os.W_OK | os.X_OK) or not os.access(target.parent, os.R_OK):
        return "its directory is not readable and writable"
    kind = _chattr(target.parent, directory=True)
    if kind is not None:
        return f"its directory is {kind} (chattr)"
    if len(os.fsencode(target.name)) + 10 > _NAME_MAX:  # the copy beside it: "." + name + 9 random characters
        return f"its name is too long for a copy beside it (at most {_NAME_MAX - 10} bytes)"
    return None


def _read_only_file_system(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _read_only(target: Path, st: os.stat_result) -> bool:
    """True when no one may write the record by its mode (root included), or this process may not."""
    return not st.st_mode & 0o222 or not os.access(target, os.W_OK)


def _file_refusal(target: Path, parent: os.stat_result) -> str | None:
    st = os.stat(target)
    if not stat.S_ISREG(st.st_mode):
        return "it is not a regular file"
    if _read_only(target, st):
        return "it is read-only (its mode or its file system)"
    kind = _chattr(target)
    if kind is not None:
        return f"it is {kind} (chattr)"
    if st.st_dev != parent.st_dev or _mount_point(target):
        return "it is mounted on its own (a bind mount), so no new copy can replace it"
    if parent.st_mode & stat.S_ISVTX and os.geteuid() not in (st.st_uid, parent.st_uid):  # root too: CAP_FOWNER
        return "it belongs to another user in a sticky directory (like /tmp), where only its owner may replace it"
    return None


def check_appendable(path: Path, entries: Sequence[Notice]) -> int:
    """The size in bytes of the record (absent: empty) with ``entries`` added as lines at the end of its
    ``sent:`` list; PicError unless its layout takes a line and with all of them it stays within
    :data:`MAX_RECORD_BYTES`."""
    file = display_path(path)
    text = _read(path, file) if _present(path, file) else ""
    if not entries:
        return len(text.encode("utf-8"))
    first = _appended(text, entries[0], file)
    # Each later line goes where the second would: its prefix and line break (the first may also have
    # written a header or `sent:`, or taken out a `~` or `[]`).
    _, _, before, prefix, _ = _place(first.removeprefix(_BOM), file)
    one_line = len((before + prefix + _newline(first)).encode("utf-8"))
    size = len(first.encode("utf-8")) + sum(len(_item(n).encode("utf-8")) + one_line for n in entries[1:])
    if size > MAX_RECORD_BYTES:
        raise _too_long(file, len(entries))
    return size


def _too_long(file: str, count: int = 1) -> PicError:
    more = "one more entry" if count == 1 else f"{count} more entries"
    return PicError(
        [
            Problem(
                file,
                None,
                "",
                f"would be more than {MAX_RECORD_BYTES} bytes long with {more}: move the older entries to another "
                "file (kept for the history, not read); nothing was sent",
            )
        ]
    )


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the record for one run of ``pic notify``: another run on the same record (a second admin, a timer)
    would tell the same members and lose entries (each rewrites the file). An exclusive ``flock`` on the
    directory of the file its links lead to, released at the end; PicError at once when another run holds it.
    A missing directory is not held (:func:`check_writable` refuses it); PicError when the directory cannot
    be opened or the file system has no locks (two runs could not be kept apart)."""
    import fcntl

    file = display_path(path)
    try:
        directory = _target(path).parent
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError):  # nothing to hold: check_writable says nothing can be recorded
        yield
        return
    except OSError as exc:
        raise PicError(
            [Problem(file, None, "", f"cannot be held for this run: its directory cannot be opened ({exc.strerror})")]
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PicError(
                [
                    Problem(
                        file,
                        None,
                        "",
                        "is held by another pic notify (one run at a time per directory of records, here "
                        f"{display_path(directory)}): nothing sent; run again once it is done",
                    )
                ]
            ) from None
        except OSError as exc:  # a file system without locks (some NFS and FUSE mounts)
            raise PicError(
                [Problem(file, None, "", f"cannot be held for this run ({exc.strerror}): nothing sent")]
            ) from None
        yield
    finally:
        os.close(fd)


_ITEM_PREFIX = re.compile(r"[ \t]*-[ \t]+")  # "  - " before an entry of a block list
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the reader's (libyaml): the same text is YAML to both
_BOM = "\ufeff"  # kept where it is; libyaml's offsets do not count it


def _newline(text: str) -> str:
    """The line break the record uses (CR LF, CR or LF), LF for a record of one line or none."""
    if "\r\n" in text:
        return "\r\n"
    return "\r" if "\r" in text and "\n" not in text else "\n"


def _end_of_line(text: str, at: int) -> int:
    """The offset just after the line break that ends the line holding offset ``at`` (the end of ``text``)."""
    ends = [i for i in (text.find("\n", at), text.find("\r", at)) if i >= 0]
    if not ends:
        return len(text)
    end = min(ends)
    return end + 2 if text.startswith("\r\n", end) else end + 1


def _item(notice: Notice) -> str:
    """The notice as the text of one list item, without its ``- ``."""
    return notice.as_yaml().removeprefix("- ").rstrip("\n")


def _checked(notice: Notice, file: str) -> None:
    """Raise PicError naming the field when ``notice`` is no entry a reader takes (the Python API's callers)."""
    try:
        _Entry.model_validate(notice.entry())
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        raise PicError(
            [Problem(file, None, f"sent[new].{where}", f"is no entry of a record: {error['msg']}")]
        ) from None
    if notice.note is not None and any(ch in notice.note for ch in "\n\r\x85\u2028\u2029"):
        raise PicError([Problem(file, None, "sent[new].note", "is no entry of a record: a note added is one line")])


def _appended(text: str, notice: Notice, file: str) -> str:
    """``text`` with ``notice`` added as one line at the end of its ``sent:`` list, every other byte kept.

    Raises PicError naming the file when its ``sent:`` list is not one a line can be added to (a flow
    list ``[...]`` that is not empty or holds a comment, a list nested otherwise, a record written as a
    flow mapping), or when adding it would change an entry already there or make the record too long
    to read: checked by reading the result back.
    """
    _checked(notice, file)
    old = _parsed(text, file)
    bom = _BOM if text.startswith(_BOM) else ""
    body, at, before, prefix, where = _place(text[len(bom) :], file)
    new = bom + body[:at] + before + prefix + _item(notice) + _newline(body) + body[at:]
    if len(new.encode("utf-8")) > MAX_RECORD_BYTES:
        raise _too_long(file)
    _verify(new, old, notice, file, where)
    return new


def _place(body: str, file: str) -> tuple[str, int, str, str, int | None]:
    """Where a line goes in ``body`` (the record without its byte-order mark): the body (an empty value of
    ``sent:`` taken out), the offset, the text before the line (line break, header, ``sent:``), its
    ``- `` prefix, and the line a refusal names."""
    newline = _newline(body)
    root = yaml.compose(body, Loader=_COMPOSER)  # _parsed read it: it is one YAML document
    sent = key = None
    if isinstance(root, yaml.MappingNode):
        key, sent = next(
            ((k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "sent"), (None, None)
        )
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag.endswith(":null") and not root.value):
        # empty, comments only, a document marker only
        before = "" if not body or body.endswith(("\n", "\r")) else newline
        before += ("" if body.strip() else HEADER.replace("\n", newline)) + "sent:" + newline
        return body, len(body), before, "  - ", None
    if isinstance(sent, yaml.SequenceNode) and sent.value and not sent.flow_style:
        last = sent.value[-1]
        start = max(body.rfind("\n", 0, last.start_mark.index), body.rfind("\r", 0, last.start_mark.index)) + 1
        if _ITEM_PREFIX.fullmatch(body[start : last.start_mark.index]):
            prefix = body[start : last.start_mark.index]  # the last entry's "  - ", as written
        else:  # "-" alone on its line, the entry below it: the list's own column
            prefix = " " * sent.start_mark.column + "- "
        at = last.end_mark.index
        line_start = max(body.rfind("\n", 0, at), body.rfind("\r", 0, at)) + 1
        # An entry ending inside its last line: after that line; a block entry ends at the start of the next
        # line (indented, in an indented record): there.
        at = _end_of_line(body, at) if body[line_start:at].strip(" \t") else line_start
        return body, at, "" if at == 0 or body[at - 1] in "\r\n" else newline, prefix, sent.start_mark.line + 1
    if (
        isinstance(root, yaml.MappingNode)
        and not root.flow_style
        and key is not None
        and sent is not None
        and _empty(sent)
    ):
        # sent:, sent: ~, sent: [] (a comment after it kept on its line)
        cut, end = sent.start_mark.index, sent.end_mark.index
        if "#" in body[cut:end]:
            where = key.start_mark.line + 1
            raise PicError(
                [Problem(file, where, "sent", "holds a comment inside its value: write `sent:` alone on its line")]
            )
        while cut > key.end_mark.index and body[cut - 1] in " \t":
            cut -= 1
        body = body[:cut] + body[end:] if end > sent.start_mark.index else body
        at = _end_of_line(body, key.end_mark.index)
        before = "" if body[at - 1] in "\r\n" else newline
        return body, at, before, " " * (key.start_mark.column + 2) + "- ", key.start_mark.line + 1
    if sent is None and isinstance(root, yaml.MappingNode) and not root.flow_style:
        indent = " " * root.start_mark.column
        before = ("" if body.endswith(("\n", "\r")) else newline) + indent + "sent:" + newline
        return body, len(body), before, indent + "  - ", root.start_mark.line + 1
    where = (sent or root).start_mark.line + 1
    return body, len(body), "", "  - ", where  # refused by the reading back


def _verify(new: str, old: tuple[Notice, ...], notice: Notice, file: str, where: int | None) -> None:
    """Raise PicError unless ``new`` reads as the ``old`` entries, notes included, then ``notice``."""
    try:
        again = _parsed(new, file)
    except PicError:
        again = ()
    if again[: len(old)] == old and [n.note for n in again[: len(old)]] != [n.note for n in old]:
        changed = next(i for i, (a, b) in enumerate(zip(again, old, strict=False)) if a.note != b.note)
        raise PicError(
            [
                Problem(
                    file,
                    old[changed].line,
                    f"sent[{changed}].note",
                    "would change if a line were added after it (a note written with | or > at the end of the "
                    "file, without a line break after it): end the file with a line break",
                )
            ]
        )
    if again != (*old, notice) or again[-1].note != notice.note:
        raise PicError(
            [
                Problem(
                    file,
                    where,
                    "sent",
                    "is not a list pic can add a line to: write it as `sent:` followed by one `  - {...}` "
                    "line per entry",
                )
            ]
        )


def _empty(node: yaml.Node) -> bool:
    """True for the value of a key left without one (``sent:``, ``sent: ~``, ``sent: null``) or an empty flow
    list (``sent: []``)."""
    if isinstance(node, yaml.ScalarNode):
        return node.tag.endswith(":null")
    return isinstance(node, yaml.SequenceNode) and not node.value


def _new_file_mode() -> int:
    """The mode a file created by ``open`` would get: 0o666 less the process's umask, read and write for
    its owner whatever the umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return (0o666 & ~mask) | 0o600  # never unreadable to its owner: the next run reads it


def append(path: Path, notice: Notice, *more: Notice) -> None:
    """Add one notice (and ``more``: the other members one message told, written at once, all or none) as one
    line each at the end of the record's ``sent:`` list, every other byte kept
    (comments, notes, order): the record is copied with the line added, then the copy renamed over it
    (a crash never leaves half a file); its mode, and its owner where the process may give it, are
    kept; a new record gets the mode the umask gives. A record that is a symbolic link is written
    where the link leads; a hard link to it keeps the former content (the renamed copy is a new file).
    Runs of ``pic notify`` on one record are kept apart by :func:`locked`.

    Raises PicError naming the record when it cannot be read or written.
    """
    file = display_path(path)
    exists = _present(path, file)
    text = _read(path, file) if exists else ""
    for n in (notice, *more):
        text = _appended(text, n, file)
    _write(path, text, exists=exists)


def _write(path: Path, text: str, *, exists: bool, hint: str = "") -> None:
    """Write ``text`` as the record: a copy beside the file the links of ``path`` lead to, its mode (set
    bits included) and owner those of the record (where the process may give it), renamed over it."""
    target = _target(path)
    if exists and _read_only(target, os.stat(target)):  # replacing it would work, but its mode says no
        raise PicError(
            [
                Problem(
                    display_path(path),
                    None,
                    "",
                    f"cannot be written: it is read-only (its mode or its file system){hint}",
                )
            ]
        )
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as exc:
        raise _not_written(path, exc, hint) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            fd = -1  # closed with `out` from here on
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
            st = os.stat(target) if exists else None
            mode = stat.S_IMODE(st.st_mode) if st is not None else _new_file_mode()
            # Before the rename, so that the record is always the old one or the new one, each with its mode
            # and owner: the mode while the copy is still ours, then the owner, then the mode again where the
            # owner's change cleared the set-user and set-group bits (and the process may still set them).
            os.fchmod(out.fileno(), mode)
            if st is not None and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                with suppress(PermissionError):  # only root gives a file away: else the copy is the admin's own
                    os.fchown(out.fileno(), st.st_uid, st.st_gid)
                if stat.S_IMODE(os.fstat(out.fileno()).st_mode) != mode:
                    with suppress(PermissionError):
                        os.fchmod(out.fileno(), mode)
            os.replace(tmp, target)
            tmp = ""  # renamed: nothing left to remove
    except BaseException as exc:
        if fd >= 0:
            os.close(fd)
        if tmp:
            _remove(Path(tmp))
        if isinstance(exc, OSError):
            raise _not_written(path, exc, hint) from None
        raise


def _remove(path: Path) -> None:
    """Remove a temporary copy; a directory that forbids it (append-only) leaves it, said on stderr."""
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        import sys

        print(f"{display_path(path)}: temporary copy of the record not removed ({exc.strerror})", file=sys.stderr)


def sendable_address(address: str) -> tuple[str, str, bool]:
    """The local part and the domain ``address`` is sent to, and whether it needs SMTPUTF8 (RFC 6531).

    email_validator's reading of it (``validate_email``, no DNS lookup): its domain in ASCII
    (``ascii_domain``: an internationalised one as IDNA 2008 A-labels, ``marie@xn--caf-dma.fr``,
    RFC 5891), which every server takes, and ``smtputf8`` when the local part is not ASCII
    (``élodie@...``): only a relay offering SMTPUTF8 takes it, and pic notify sends it to no other
    (pic.commands.notify.send), and pic report says so (``contact.smtputf8``). Raises
    email_validator.EmailNotValidError for an address ``pic check`` refuses as a ``contact.email``.
    """
    from email_validator import validate_email

    valid = validate_email(address, check_deliverability=False)  # checked as the member file's contact.email
    return valid.local_part, valid.ascii_domain, valid.smtputf8

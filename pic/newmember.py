"""``pic new``: the text of a new member file, with a uid never used before and the newest supported runtime.

The uid rule: one more than the highest uid that any member file has ever
held in the repository's history (:func:`read_history`), so that a removed
member's uid, whose account and files may still be on the hosts, is never
handed out again. The slug rule: never the slug of a member file of the
history (:func:`past_member_problem`): the removed member's account keeps
it on the hosts, with its uid. Outside a git repository only the current
files are known. Git's configuration changes nothing (:data:`GIT_SETTINGS`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pic import eol
from pic.check import contact_needs_smtputf8, documentation_address, look_alike_domains, mixed_scripts, same_names
from pic.crosschecks import cross_checks
from pic.errors import PicError, Problem, terminal_safe
from pic.registry import (
    MEMBER_KEYS,
    UID_BELOW_DYNAMIC,
    UID_MAX,
    UID_MIN,
    Member,
    Registry,
    domains_taken,
    load_registry,
    member_number_refusal,
    stack_names,
    validate_member,
)
from pic.settings import Settings, display_path, load_settings, resolved
from pic.validators import SLUG_WORDS, is_slug, slug_form_length, slug_of_name_meant
from pic.yamlsrc import MAX_FILE_BYTES, file_kind, parse_yaml

SCHEMA_MODELINE = "# yaml-language-server: $schema=../schema/member.schema.json"

# Settings of git's configuration (the system's, the user's, the repository's) that change the output
# parsed here, each set to git's default: paths relative to the current directory (diff.relative:
# "x.yaml" for members/x.yaml), quoted, or prefixed; a signature or colours in the output; renames
# not looked for, or among too few files (0: no limit); one file followed; the merges' diffs and the
# root commit hidden; another encoding of the messages. -z alone keeps the paths unquoted, and the
# options of each command say much of this again: each setting is given anyway, for every command.
GIT_SETTINGS = (
    "core.quotePath=false",
    "diff.relative=false",
    "diff.noprefix=false",
    "diff.mnemonicPrefix=false",
    "diff.renames=true",
    "diff.renameLimit=0",
    "log.follow=false",
    "log.showSignature=false",
    "log.diffMerges=separate",
    "log.showRoot=true",
    "color.ui=never",
    "i18n.logOutputEncoding=UTF-8",
)


def git_command(git: str, *args: str) -> list[str]:
    """``git args`` with :data:`GIT_SETTINGS` whatever the configuration says, and no pager."""
    return [git, "--no-pager", *(a for setting in GIT_SETTINGS for a in ("-c", setting)), *args]


def git_env(git: str = "git") -> dict[str, str]:
    """The environment of git: this one without the variables that name a repository, its work tree, index,
    objects or refs (:func:`_local_env_vars`: ``GIT_DIR=... pic new`` read another repository's history),
    with git's messages in English (:func:`git_words` looks for its ``fatal:``, which other languages
    translate)."""
    local = _local_env_vars(git)
    return {**{k: v for k, v in os.environ.items() if k not in local}, "LC_ALL": "C"}


# What git 2.39 says, should it not answer; GIT_NAMESPACE too, which git leaves to submodules but which
# hides every ref outside the namespace from --all.
_LOCAL_ENV_VARS = [
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_OBJECT_DIRECTORY",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_IMPLICIT_WORK_TREE",
    "GIT_GRAFT_FILE",
    "GIT_INDEX_FILE",
    "GIT_NO_REPLACE_OBJECTS",
    "GIT_REPLACE_REF_BASE",
    "GIT_PREFIX",
    "GIT_INTERNAL_SUPER_PREFIX",
    "GIT_SHALLOW_FILE",
    "GIT_COMMON_DIR",
]


@functools.cache
def _local_env_vars(git: str) -> frozenset[str]:
    """The variables of the environment that are local to a repository, as git lists them
    (``git rev-parse --local-env-vars``, what git removes for a submodule's commands), and GIT_NAMESPACE."""
    try:
        proc = subprocess.run([git, "rev-parse", "--local-env-vars"], capture_output=True, check=False)
        named = proc.stdout.decode("ascii", "replace").split() if proc.returncode == 0 else []
    except OSError:
        named = []
    return frozenset([*(named or _LOCAL_ENV_VARS), "GIT_NAMESPACE"])


# Every commit of the revisions given (by default every ref and reflog), each diffed against each of
# its parents (a merge too: its own resolution of a conflict is a version of its own) and the root
# against nothing; a commit's line (its id and its parents'), then one record a changed file,
# NUL-separated, full blob ids; renames found so that a file moved into the directory is followed
# back. The options and GIT_SETTINGS keep the output the same whatever the configuration.
_ALL_REVISIONS = ("--all", "--reflog")
_LOG = (
    "log",
    "--root",
    "-m",
    "-M",
    "--raw",
    "-z",
    "--no-abbrev",
    "--no-color",
    "--no-show-signature",
    "--no-ext-diff",
    "--format=%x01%H %P",
)
_REGULAR_FILE = (b"100644", b"100755")  # a link (120000) is never read as a member file; 160000 is a commit


@dataclass(frozen=True)
class PastMember:
    """The newest version of a member file in the history: the commit that removed it (``removed``: deleted,
    moved away or made a link), else the newest commit that wrote it."""

    slug: str
    path: str  # in the repository, from its top: members/x.yaml
    commit: str
    parents: tuple[str, ...]
    removed: bool
    blob: bytes
    uids: frozenset[int]  # the uid of that version, as uids_of_version reads it
    renamed_to: str = ""  # the slug of the member file it was moved to, when the removal was that move


@dataclass
class History:
    """What the history of a directory of member files holds: every uid (:func:`read_history`), the newest
    version of every slug, and where git can be asked more (``cwd`` is None outside a repository)."""

    uids: set[int] = field(default_factory=set)
    members: dict[str, PastMember] = field(default_factory=dict)
    git: str = "git"
    cwd: Path | None = None
    top: Path | None = None  # the top of the repository's work tree


def uids_in_history(members_dir: Path) -> set[int]:
    """Every uid that a version of a member file held in any commit of the repository holding ``members_dir``
    (:func:`read_history`)."""
    return read_history(members_dir).uids


def read_history(members_dir: Path, revisions: Iterable[str] = _ALL_REVISIONS, *, shallow_ok: bool = False) -> History:
    """Every uid that a version of a member file held in the history of the repository holding ``members_dir``,
    and the newest version of each slug.

    The files: every ``*.yaml`` directly in the directory at its path in the
    repository (as :func:`pic.registry.member_files` names member files, at
    any commit), and the paths a file had before git saw it moved into the
    directory (followed back, as ``git log --follow`` does, for every file).
    The commits: those of ``revisions`` and their history, by default every
    ref (every branch, tag and remote branch) and the reflogs, merges
    included. Each version is read as ``pic check`` reads it
    (:func:`uids_of_version`). Git's configuration changes nothing
    (:data:`GIT_SETTINGS`).

    A directory that held the member files under another path before is
    followed only through the files git sees moved from it. What was applied
    without being committed, or only in commits no ref or reflog holds any
    more, is not known. Empty when ``members_dir`` is not in a git repository
    (git says so, and no ``.git`` is in it or above it).

    Raises PicError when the history cannot be read whole: git is missing or
    fails in a repository, a blob is missing, or the repository is a shallow
    clone (the members removed before its oldest commit would be unknown, and
    their uids handed out again) unless ``shallow_ok``.
    """
    if not members_dir.is_dir():
        return History()
    where = display_path(members_dir)
    git = shutil.which("git")
    if git is None:
        if in_repository(members_dir):
            raise _history_error(where, "git is not installed")
        return History()
    head = _git(git, members_dir, ["rev-parse", "--is-shallow-repository", "--show-prefix"], where, outside=True)
    if head is None:
        return History()
    shallow, prefix, *_ = [*head.split(b"\n"), b"", b""]
    if shallow == b"true" and not shallow_ok:
        raise PicError(
            [
                Problem(
                    where,
                    None,
                    "",
                    "is in a shallow clone: the uids of the members removed before its oldest commit are "
                    "unknown, and one of them could be handed out again; fetch the whole history "
                    "(git fetch --unshallow) and run pic new again",
                )
            ]
        )
    log = _git(git, members_dir, [*_LOG, *revisions], where, outside=False)
    records = _log_records(log or b"", where)
    members_prefix = os.fsdecode(prefix)
    versions = _blobs(git, members_dir, _member_blobs(records, members_prefix), where)
    uids_of = {blob: uids_of_version(data, path) for blob, (path, data) in versions.items()}
    top = _git(git, members_dir, ["rev-parse", "--show-toplevel"], where, outside=False) or b""
    history = History(git=git, cwd=members_dir, top=Path(os.fsdecode(top.removesuffix(b"\n"))))
    for uids in uids_of.values():
        history.uids |= uids
    history.members = _past_members(records, members_prefix, uids_of)
    return history


def uids_of_version(data: bytes, file: str) -> set[int]:
    """The uid of one version of a member file (its bytes) as ``pic check`` reads it, in a set.

    A version ``pic check`` reads the uid of (UTF-8, at most
    :data:`pic.yamlsrc.MAX_FILE_BYTES`, YAML it does not refuse, a mapping whose
    ``uid`` is a whole number, however written: ``0x2718``, ``+10011``, on the
    next line, ...) gives that uid, whatever else is wrong in it. Any other
    version is not ignored: it gives every uid (``UID_MIN``..``UID_MAX``) its
    bytes could spell (:func:`spelled_uids`), and its ``uid`` when that is a
    whole float (``1.0013e4``). ``pic check`` refused it, so it was never
    applied as it stands, but a version close to it may have been, or a
    loader of another time may have read it otherwise.
    """
    uid: object = None
    if len(data) <= MAX_FILE_BYTES:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        doc = parse_yaml(text, file, MEMBER_KEYS)[0] if text is not None else None
        if doc is not None and isinstance(doc.data, dict):
            uid = doc.data.get("uid")
    if isinstance(uid, int) and not isinstance(uid, bool):
        return {uid}
    spelled = spelled_uids(data)
    if isinstance(uid, float) and uid.is_integer() and UID_MIN <= uid <= UID_MAX:
        spelled.add(int(uid))
    return spelled


# A number as YAML 1.2 or 1.1 may write one: hexadecimal, octal, binary, base 60 (2:46:40), decimal
# with underscores; signs and the text around are not looked at (any digits may be a uid).
_SPELLED = re.compile(rb"0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*")
_BASES = {b"0x": 16, b"0o": 8, b"0b": 2}
_SPELLED_DIGITS = 20  # significant digits of a spelled number: more is far above UID_MAX


def spelled_uids(data: bytes) -> set[int]:
    """Every whole number in ``UID_MIN``..``UID_MAX`` that ``data`` writes, in any way YAML 1.1 or 1.2 reads one.

    ``0x2718``, ``0o23430``, ``0b10011100011000``, ``10_008``, ``2:46:48``
    (base 60, YAML 1.1) and ``023430`` (octal in YAML 1.1) give 10008; digits
    within a word count too (``x10008``).
    """
    found: set[int] = set()
    for match in _SPELLED.finditer(data):
        text = match.group().replace(b"_", b"").lower()
        first, *sixties = text.split(b":")
        base = _BASES.get(text[:2])
        values = [_number(text[2:], base) if base else _number(first, 10)]
        if sixties:  # base 60: each part after the first is 0..59
            value = _number(first, 10)
            for part in sixties:
                value = None if value is None or value > UID_MAX else value * 60 + int(part)
            values.append(value)
        elif base is None and text.startswith(b"0") and max(text) <= ord("7"):  # a leading zero: octal in YAML 1.1
            values.append(_number(text, 8))
        found.update(v for v in values if v is not None and UID_MIN <= v <= UID_MAX)
    return found


def _number(digits: bytes, base: int) -> int | None:
    """The value of ``digits`` in ``base``; None when there are none, or too many to be a uid."""
    significant = digits.lstrip(b"0")
    if not digits or len(significant) > _SPELLED_DIGITS:
        return None
    return int(significant or b"0", base)


@dataclass(frozen=True)
class _Record:
    """One changed file of :data:`_LOG`: [src mode, dst mode, src blob, dst blob, status], its path (two for a
    rename or a copy: from, to), and the commit and its parents."""

    fields: list[bytes]
    paths: list[str]
    commit: str
    parents: tuple[str, ...]


def _log_records(log: bytes, where: str) -> list[_Record]:
    """The records of ``log`` (the output of :data:`_LOG`), newest commit first; PicError when the output is
    not the expected one."""
    records: list[_Record] = []
    commit = ""
    parents: tuple[str, ...] = ()
    tokens = log.split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        i += 1
        if token.startswith(b"\x01"):  # a commit's line: its id, then its parents'
            commit, *rest = token[1:].decode("ascii", "replace").split() or [""]
            parents = tuple(rest)
            continue
        if not token.startswith(b":"):
            continue  # the end
        fields = token[1:].split(b" ")
        count = 2 if fields[-1][:1] in (b"R", b"C") else 1
        if len(fields) != 5 or i + count > len(tokens):
            raise _history_error(where, f"git log gave a record that is not understood: {token[:80]!r}")
        records.append(_Record(fields, [os.fsdecode(t) for t in tokens[i : i + count]], commit, parents))
        i += count
    return records


def _member_blobs(records: list[_Record], prefix: str) -> dict[bytes, str]:
    """The blobs of member files in ``records``, each with a path it had.

    ``prefix``: the directory of the member files in the repository, as
    ``git rev-parse --show-prefix`` gives it (``members/``, empty at the top).
    """
    followed: set[str] = set()  # the paths of files before git saw them moved into the directory

    def counted(path: str) -> bool:
        return path in followed or _is_member_path(path, prefix)

    moves = [r.paths for r in records if len(r.paths) == 2]
    more = True
    while more:  # a file moved twice, or into a path itself followed: until nothing is added
        more = False
        for src, dst in moves:
            if src not in followed and counted(dst):
                followed.add(src)
                more = True
    blobs: dict[bytes, str] = {}
    for r in records:
        src_mode, dst_mode, src_blob, dst_blob, _ = r.fields
        for mode, blob, path in ((src_mode, src_blob, r.paths[0]), (dst_mode, dst_blob, r.paths[-1])):
            if mode in _REGULAR_FILE and blob.strip(b"0") and counted(path):
                blobs.setdefault(blob, path)
    return blobs


def _past_members(records: list[_Record], prefix: str, uids_of: dict[bytes, set[int]]) -> dict[str, PastMember]:
    """The newest removal of each member file's slug in ``records`` (newest first), or when it was never
    removed (a file of another branch, or of a commit the working tree is not at), its newest version."""
    written: dict[str, PastMember] = {}
    removed: dict[str, PastMember] = {}
    for r in records:
        src_mode, dst_mode, src_blob, dst_blob, status = r.fields
        versions = []
        if dst_mode in _REGULAR_FILE:
            versions.append((r.paths[-1], dst_blob, written))
        if src_mode in _REGULAR_FILE and (status[:1] in (b"D", b"R") or dst_mode not in _REGULAR_FILE):
            versions.append((r.paths[0], src_blob, removed))  # deleted, moved away, or made a link
        to = r.paths[-1]
        renamed_to = to[len(prefix) : -len(".yaml")] if status[:1] == b"R" and _is_member_path(to, prefix) else ""
        for path, blob, found in versions:
            if _is_member_path(path, prefix):
                slug = path[len(prefix) : -len(".yaml")]
                uids = frozenset(uids_of.get(blob, ()))
                moved = renamed_to if found is removed else ""
                past = PastMember(slug, path, r.commit, r.parents, found is removed, blob, uids, moved)
                found.setdefault(slug, past)
    return {**written, **removed}


def _is_member_path(path: str, prefix: str) -> bool:
    """True for a path ``pic check`` reads as a member file: ``*.yaml`` directly in the directory, not ``_*``/``.*``."""
    name = path[len(prefix) :]
    return path.startswith(prefix) and "/" not in name and name.endswith(".yaml") and not name.startswith(("_", "."))


def _blobs(git: str, cwd: Path, blobs: dict[bytes, str], where: str) -> dict[bytes, tuple[str, bytes]]:
    """Blob id -> (path, contents) of ``blobs`` (id -> path), by one ``git cat-file --batch``; PicError when
    one is missing."""
    if not blobs:
        return {}
    ids = list(blobs)
    proc = subprocess.run(
        git_command(git, "cat-file", "--batch"),
        cwd=cwd,
        env=git_env(git),
        input=b"\n".join(ids) + b"\n",
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        raise _history_error(where, git_words(proc.stderr))
    out = proc.stdout
    found: dict[bytes, tuple[str, bytes]] = {}
    at = 0
    for blob in ids:
        end = out.find(b"\n", at)
        header = out[at:end].split(b" ") if end >= 0 else []
        if len(header) != 3 or header[0] != blob or not header[2].isdigit():
            shown = blob.decode("ascii", "replace")
            raise _history_error(where, f"the blob {shown} of {blobs[blob]} is missing")
        size = int(header[2])
        found[blob] = (blobs[blob], out[end + 1 : end + 1 + size])
        at = end + 1 + size + 1
    return found


def past_contents(history: History, pasts: Iterable[PastMember]) -> dict[str, bytes]:
    """Slug -> the contents of the newest version of each of ``pasts`` (its ``blob``), by one ``git cat-file``;
    PicError when git cannot give one."""
    pasts = list(pasts)
    wanted = {p.blob: p.path for p in pasts}
    if not wanted or history.cwd is None:
        return {}
    found = _blobs(history.git, history.cwd, wanted, display_path(history.cwd))
    return {p.slug: found[p.blob][1] for p in pasts if p.blob in found}


def _git(git: str, cwd: Path, args: list[str], where: str, *, outside: bool) -> bytes | None:
    """The output of ``git args`` run in ``cwd`` (:func:`git_command`); on a failure PicError, or None when
    ``outside`` and ``cwd`` is not in a repository (:func:`in_repository`)."""
    proc = subprocess.run(git_command(git, *args), cwd=cwd, env=git_env(git), capture_output=True, check=False)
    if proc.returncode == 0:
        return proc.stdout
    if outside and not in_repository(cwd):
        return None
    raise _history_error(where, git_words(proc.stderr))


def in_repository(directory: Path) -> bool:
    """True when ``directory`` or a directory above it holds ``.git`` (a repository, or a worktree's link to one)."""
    here = resolved(directory)
    return any((d / ".git").exists() for d in (here, *here.parents))


def git_words(stderr: bytes) -> str:
    """Git's own words on a failure: its first ``fatal:`` or ``error:`` line, else its last line, shortened."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    chosen = next(
        (line for line in lines if line.startswith(("fatal:", "error:"))), lines[-1] if lines else "git failed"
    )
    return chosen if len(chosen) <= 200 else chosen[:197] + "..."


def _history_error(where: str, why: str) -> PicError:
    """The error of a history that cannot be read whole: ``where`` (the member directory), ``why``."""
    return PicError(
        [
            Problem(
                where,
                None,
                "",
                f"has a history that cannot be read ({why}): the uids of removed members are unknown, and one "
                "of them could be handed out again; fix this and run pic new again",
            )
        ]
    )


def commit_label(history: History, commit: str) -> str:
    """A commit as messages name it: its id's first 10 digits, its day and its subject (when git gives them)."""
    proc = None
    if history.cwd is not None:
        args = ["log", "-1", "--no-walk", "--format=%cs%x00%s", commit]
        proc = subprocess.run(
            git_command(history.git, *args), cwd=history.cwd, env=git_env(history.git), capture_output=True, check=False
        )
    if proc is None or proc.returncode != 0 or b"\0" not in proc.stdout:
        return commit[:10]
    day, subject = proc.stdout.decode("utf-8", "replace").strip().split("\0", 1)
    subject = subject if len(subject) <= 60 else subject[:57] + "..."
    return f"{commit[:10]} ({day}, {json.dumps(terminal_safe(subject, keep=''), ensure_ascii=False)})"


def restore_command(history: History, past: PastMember) -> str:
    """The command that puts ``past``'s version of its file back in the work tree, from any directory, writing
    nothing when it fails: ``git -C TOP --git-dir=.git --work-tree=. restore --source=REV --worktree -- PATH``
    (git 2.23+), REV being the commit that wrote it, or the parent of the commit that removed it that holds
    it. ``--git-dir`` and ``--work-tree`` (a ``.git`` file of a linked work tree is read too) keep a
    ``GIT_DIR`` or ``GIT_WORK_TREE`` of the admin's environment from sending it to another repository."""
    rev = past.commit
    if past.removed:
        rev = f"{past.commit}^"
        cwd = history.cwd if len(past.parents) > 1 else None  # a merge: the parent that held that version
        for number, parent in enumerate(past.parents if cwd is not None else (), 1):
            args = ["rev-parse", "--verify", "--quiet", f"{parent}:{past.path}"]
            proc = subprocess.run(
                git_command(history.git, *args),
                cwd=cwd,
                env=git_env(history.git),
                capture_output=True,
                check=False,
            )
            if proc.stdout.strip() == past.blob:
                rev = f"{past.commit}^{number}"
                break
    top = history.top or history.cwd or Path()
    literal = " --literal-pathspecs" if any(c in past.path for c in "*?[\\") or past.path.startswith(":") else ""
    return (
        f"git{literal} -C {shlex.quote(str(top))} --git-dir=.git --work-tree=. restore --source={shlex.quote(rev)} "
        "--worktree -- "
        f"{shlex.quote(past.path)}"
    )


def uid_words(past: PastMember) -> str:
    """`` with uid N`` when the version's uid is known, else nothing."""
    return f" with uid {next(iter(past.uids))}" if len(past.uids) == 1 else ""


def holder(past: PastMember, registry: Iterable[Member]) -> Member | None:
    """The member of the working tree, under another slug, that holds ``past``'s uid (its file renamed, or
    the uid given again): restoring ``past`` would make a second member of it."""
    if len(past.uids) != 1:
        return None
    return next((m for m in registry if m.uid in past.uids and m.slug != past.slug), None)


def past_words(history: History, past: PastMember, held_by: Member | None) -> str:
    """What the slug of ``past`` was: ``a member removed by commit C with uid N``, ``a member file renamed to X
    by commit C; that member holds uid N``, ..."""
    label = commit_label(history, past.commit)
    held = f", which member {held_by.slug} holds now" if held_by is not None else ""
    if not past.removed:
        return f"a member file of commit {label}{uid_words(past)}{held}, not in the working tree"
    if past.renamed_to and held_by is not None:
        who = "that member" if held_by.slug == past.renamed_to else f"member {held_by.slug}"
        return f"a member file renamed to {past.renamed_to} by commit {label}; {who} holds uid {held_by.uid}"
    return f"a member removed by commit {label}{uid_words(past)}{held}"


def past_member_problem(history: History, past: PastMember, registry: Iterable[Member]) -> Problem:
    """The refusal of a new member given the slug of a member of the history, what to do instead."""
    held_by = holder(past, registry)
    was = f"{past.slug!r} is the slug of {past_words(history, past, held_by)}"
    if held_by is not None:
        instead = (
            f"choose another slug (the association is still a member, as {held_by.slug}: its old file is not "
            "to be restored)"
        )
    else:
        instead = (
            "choose another slug, or, if it is the same association coming back, restore its file, which keeps "
            f"its uid: {restore_command(history, past)}"
        )
    return Problem(
        "<command line>",
        None,
        "SLUG",
        f"{was}: its account and space may still be on the hosts, which keep its uid (the new member's space "
        f"script would stop: user or group {past.slug} exists with another id), and a new association given "
        f"the slug would get its files; {instead}",
    )


def next_uid(registry: Registry, history: Iterable[int] = ()) -> int:
    """One more than the highest uid in use or ever used up to ``UID_BELOW_DYNAMIC`` (a site's address below
    Docker's dynamic range, pic.registry); the first never-used one when that top is reached.

    Raises PicError when every uid up to it has been used."""
    used = {m.uid for m in registry} | set(history)
    uid = max((u for u in used if u <= UID_BELOW_DYNAMIC), default=UID_MIN - 1) + 1
    uid = max(uid, UID_MIN)
    if uid > UID_BELOW_DYNAMIC:  # the top is taken: fall back to the first hole
        uid = next((u for u in range(UID_MIN, UID_BELOW_DYNAMIC + 1) if u not in used), UID_BELOW_DYNAMIC + 1)
    if uid > UID_BELOW_DYNAMIC:
        raise PicError(
            [Problem("members", None, "uid", f"no uid left in {UID_MIN}..{UID_BELOW_DYNAMIC} that was never used")]
        )
    return uid


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def render(name: str, email: str, uid: int, php: str, domains: list[str]) -> str:
    lines = [
        SCHEMA_MODELINE,
        f"name: {_q(name)}",
        "contact:",
        f"  name: {_q(name)}",
        f"  email: {_q(email)}",
        f"uid: {uid}",
        "status: active",
    ]
    if domains:
        lines += ["site:", "  domains:"] + [f"    - {_q(d)}" for d in domains]
        lines += [f'  php: "{php}"', "  https: true"]
    else:
        lines += [
            "# No domain given: uncomment and fill in to give the member a site.",
            "# site:",
            "#   domains:",
            "#     - example.org",
            f'#   php: "{php}"',
            "#   https: true",
        ]
    lines += [
        "access:",
        "  sftp_keys: []  # OpenSSH public keys, one per item",
        "  ssh: false",
        "databases: []",
    ]
    return "\n".join(lines) + "\n"


def _contact_warnings(new: Member, settings: Settings) -> list[Problem]:
    """pic check's warnings of the new member's ``--email``: letters outside ASCII before the @ (SMTPUTF8), and an
    address at example.org or under it on a public stack (its mail reaches IANA)."""
    found = [
        contact_needs_smtputf8(new),
        documentation_address(new, settings, ("contact", "email"), new.spec.contact.email),
    ]
    return [p for p in found if p is not None]


def run(
    *, project: Path, stack: str, members: Path, slug: str, name: str, email: str, domains: list[str], on: dt.date
) -> int:
    """``pic new``: write the member file of ``slug``; PicError when it is refused.

    The arguments are checked first, before any file is looked at (a slug of
    300 letters is refused as a slug, not by the file system); then the
    registry and the settings; then the history (:func:`read_history`): a
    slug a member had in it is refused (:func:`past_member_problem`), and
    the uid is one no member file ever held (:func:`next_uid`).
    """

    name, email, domains = _as_typed(name), _as_typed(email), [_as_typed(d) for d in domains]

    def refused(meant: str) -> str | None:
        return _meant_refused(
            meant, project=project, stack=stack, members=members, name=name, email=email, domains=domains, on=on
        )

    def names_taken() -> Any:
        with contextlib.suppress(PicError, OSError):
            return domains_taken(members, load_settings(project, stack))
        return None

    check_arguments(slug, name, email, domains, members, refused_meant=refused, taken=_TakenLater(names_taken))
    path = members / f"{slug}.yaml"
    with _one_at_a_time(members):  # two runs at once: the second reads the first's file, its uid the next
        try:
            taken = path.exists() or path.is_symlink()
            kind = file_kind(path.lstat().st_mode) if taken else None
        except OSError as exc:  # the directory given cannot be read (--members too long, not searchable)
            raise PicError([Problem(str(members), None, "", f"cannot be read: {exc.strerror}")]) from None
        if kind is not None:  # no member's file: pic check does not read it, and there is none to edit
            why = f"is {kind}, not a regular file: no member file, and pic check does not read it; move it away first"
            raise PicError([Problem(display_path(path), None, "", why)])
        if taken:
            raise PicError(
                [Problem(display_path(path), None, "", f"member {slug!r} exists already; edit its file instead")]
            )
        settings = load_settings(project, stack)
        registry = load_registry(members, settings)
        php = eol.newest_supported(settings, on)
        if php is None:
            keys = settings.runtime_keys()
            newest = f" (newest: {keys[-1]}, end of life {settings.runtimes[keys[-1]].eol.isoformat()})" if keys else ""
            why = (
                f"has no runtime that is neither stopped nor past its end of life as of {on.isoformat()}{newest}: add "
                "a newer PHP version to pic:runtimes first"
            )
            raise PicError([Problem(settings.where("runtimes")[0], None, "pic:runtimes", why)])
        history = read_history(members)
        past = history.members.get(slug)
        if past is not None:
            raise PicError([past_member_problem(history, past, registry)])
        uid = next_uid(registry, history.uids)
        text = render(name, email, uid, php, domains)
        new = check_new(text, slug, display_path(path), registry, settings)
        written = _write_new(path, text)
    shown = terminal_safe(display_path(path), keep="")
    try:
        for warning in same_names([*registry, new]):  # the new member is the later one: blamed for the name
            if warning.file == new.file:
                print(_as_option(warning, new.file), file=sys.stderr)
        for warning in [*mixed_scripts(new), *look_alike_domains(new), *_contact_warnings(new, settings)]:
            print(_as_option(warning, new.file), file=sys.stderr)
        near = eol.runtime_status(php, settings.runtimes[php], on, settings.eol_warning_days)
        if near.state == "warning":  # the newest runtime left is near its end of life: the member must move soon
            print(
                f"{settings.where('runtimes')[0]} pic:runtimes: warning: php {php}, the newest runtime left, reaches "
                f"its end of life on {near.spec.eol.isoformat()}, {near.days_left} days after {on.isoformat()}: add "
                "a newer PHP version to pic:runtimes",
                file=sys.stderr,
            )
        print(f"wrote {shown} (uid {uid}, php {php}); review it, then run `pic check`")
        sys.stdout.flush()  # a full disk, >/dev/full: said now, while the file can still be taken back
        sys.stderr.flush()
    except BaseException:
        # The output cannot be written (or a Ctrl-C, or a reader gone): the run did not end, so its file is not
        # kept, the file this run created alone (never one put there since). pic new exits 0 with its file or
        # leaves none.
        if _remove_if_same(path, written):
            with contextlib.suppress(Exception):
                print(f"{shown}: removed: pic new could not say it wrote it; run it again", file=sys.stderr)
        raise
    return 0


@contextlib.contextmanager
def _one_at_a_time(members: Path) -> Iterator[None]:
    """Hold the lock of the directory of member files (flock(2) on the directory itself, as flock(1) takes a
    directory) while a run reads the members and writes its file, so that two runs at once never take the same
    uid or name; a run that waits for it says so. A directory that cannot be opened is named by what reads it
    next."""
    try:
        fd = os.open(members, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        yield
        return
    shown = terminal_safe(display_path(members), keep="")
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another run holds it: said, so that a wait is not taken for a hang
            print(
                f"pic new: waiting for another run writing in {shown} (it holds the directory's lock)", file=sys.stderr
            )
            sys.stderr.flush()
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            # NFS without its lock manager (ENOLCK), a file system that takes no lock (EOPNOTSUPP): the file is
            # written as before the lock was taken, the admin told that runs at once there are not kept apart
            print(
                f"warning: {shown}: its lock cannot be taken ({exc.strerror or exc}): a pic new run at the same time "
                "in it would not wait for this one (and could take the same uid: pic check would refuse the second)",
                file=sys.stderr,
            )
        yield
    finally:
        os.close(fd)


def _remove_if_same(path: Path, written: tuple[int, ...]) -> bool:
    """Remove ``path`` when it is still the file this run created (:func:`_identity` ``written``)."""
    try:
        if _identity(path.lstat()) != written:
            return False
        path.unlink()
    except OSError:
        return False
    return True


def _write_new(path: Path, text: str) -> tuple[int, ...]:
    """Write the new member file ``path``, never over a file written meanwhile (FileExistsError); what tells it
    from a file put at its name later (:func:`_identity`).

    A file that cannot be created (a directory not writable, a read-only file system) is an error naming
    it; one that cannot be written whole (a full disk, a Ctrl-C) is removed, so that no part of a member file
    is left to be read as one.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    except FileExistsError:
        raise
    except OSError as exc:
        raise PicError([Problem(display_path(path), None, "", f"cannot be written: {exc.strerror or exc}")]) from None
    try:
        try:
            data = memoryview(text.encode("utf-8"))
            while data:
                data = data[os.write(fd, data) :]
            st = os.fstat(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        path.unlink(missing_ok=True)
        why = f"cannot be written: {exc.strerror or exc}; nothing is left of it"
        raise PicError([Problem(display_path(path), None, "", why)]) from None
    except BaseException:  # Ctrl-C: no empty or cut file left to be taken for the member's
        path.unlink(missing_ok=True)
        raise
    return _identity(st)


def _identity(st: os.stat_result) -> tuple[int, ...]:
    """What tells a file from another put at its name since: its device and inode, and, as an inode freed is
    given again, its change time and size."""
    return st.st_dev, st.st_ino, st.st_ctime_ns, st.st_size


_UNKNOWN_RUNTIME = "8.4"  # a runtime key for the checks of the arguments alone: the settings are not read yet


class _TakenLater:
    """The names a hint of ``pic new``'s ``--domain`` may not offer (another member's, the platform's: as ``pic
    check`` tells a member file, :func:`pic.registry.domains_taken`), read from the stack and the member files only
    when a domain written in another form (``VELO-CITE.FR``) offers one; ``read`` gives None when they cannot be
    read, and the name is offered then (their errors are said once the arguments are taken). A name another
    ``--domain`` gives is told so by the check of the new file's list (``already given by another --domain``)."""

    def __init__(self, read: Callable[[], Any]) -> None:
        self._read = read
        self._taken: Any = None
        self._done = False

    def get(self, name: str) -> str | None:
        """Why ``name`` may not be offered, or None."""
        if not self._done:
            self._taken, self._done = self._read(), True
        why: str | None = self._taken.get(name) if self._taken is not None else None
        return why

    def site_domains(self) -> list[str]:
        """None of the new file's own domains: the check of its list tells them (:func:`_as_option`)."""
        return []


def check_arguments(
    slug: str,
    name: str,
    email: str,
    domains: list[str],
    members: Path,
    *,
    refused_meant: Callable[[str], str | None] | None = None,
    taken: _TakenLater | None = None,
) -> None:
    """Validate the arguments of ``pic new`` alone, before any file is read: the slug, and the new file's text
    as ``pic check`` validates a file by itself; raise PicError. A slug becomes part of a path only once it is
    valid (a short name). The checks against the registry and the settings come after (:func:`check_new`);
    ``refused_meant``: why the slug a slug in another form stands for would be refused (:func:`_meant_refused`),
    asked only then; ``taken``: the names a domain written in another form may not be offered, read only then."""
    file = display_path(members / f"{slug}.yaml") if is_slug(slug) else "the new member file"
    given = [("--name", name), ("--email", email), *(("--domain", d) for d in domains)]
    undecoded = [p for option, value in given if (p := _undecoded(option, value)) is not None]
    if undecoded:  # no text of the file to check: the YAML parser takes UTF-8 alone
        raise PicError(undecoded + _slug_problems(slug, refused_meant))
    text = render(name, email, UID_MIN, _UNKNOWN_RUNTIME, domains)
    problems = _text_problems(text, slug, file, refused_meant=refused_meant, taken=taken)[0]
    if problems:
        raise PicError(_as_options(problems, file))


def _as_typed(value: str) -> str:
    """An argument as the text its bytes write in UTF-8: in a locale without UTF-8 (LC_ALL=C with PYTHONUTF8=0),
    Python reads ``Vélo`` typed in UTF-8 as ``V\\udcc3\\udca9lo``, two bytes it could not decode; read as UTF-8, it
    is ``Vélo``, as in a UTF-8 locale. A byte that is not UTF-8 stays one (:func:`_undecoded` refuses it)."""
    if not _BYTE.search(value):
        return value
    return os.fsencode(value).decode("utf-8", "surrogateescape")


def _undecoded(option: str, value: str) -> Problem | None:
    """The refusal of an argument holding bytes that are not UTF-8 (a Latin-1 terminal or script: Python gives
    them as surrogates, ``\\udce9`` for the byte 0xe9), each shown as the byte (``\\xe9``); None for any other."""
    at = next((i for i, ch in enumerate(value) if "\udc80" <= ch <= "\udcff"), None)
    if at is None:
        return None
    from pic import secrettext

    text = terminal_safe(_BYTE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", value), keep="")
    shown = f'"{text}"' if len(text) <= 78 else f'"{text[:75]}...'
    if secrettext.reads_as_secret(_BYTE.sub(lambda m: chr(ord(m.group()) - 0xDC00), value)):  # as Latin-1
        shown = "the value (not shown)"
    byte = f"\\x{ord(value[at]) - 0xDC00:02x}"
    why = (
        f"{shown} holds a byte that is not UTF-8 ({byte}, at character {at + 1}): write it in UTF-8 (the "
        "terminal's or the script's encoding)"
    )
    return Problem("<command line>", None, option, why)


_BYTE = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, as Python decodes arguments (surrogateescape)


def _as_options(problems: list[Problem], file: str) -> list[Problem]:
    """The problems of the new file's text, each named by its option (:func:`_as_option`), and each option's
    value refused once: ``--name`` gives both ``name`` and ``contact.name``, and a value refused for both is
    the one error of ``name``."""
    named = any(p.file == file and p.path == "name" for p in problems)
    return [_as_option(p, file) for p in problems if not (named and p.file == file and p.path == "contact.name")]


def check_new(text: str, slug: str, file: str, registry: Registry, settings: Settings) -> Member:
    """Validate a new member file's text next to the registry, as ``pic check`` would; raise PicError. The
    new member, when valid."""
    problems, new = _text_problems(text, slug, file, stack_names(settings))
    if new is not None:
        new = Member(slug, file, new.spec, new.spec.host or settings.default_host, new.lines, new.written)
        problems += [p for p in cross_checks([*registry, new], settings) if p.file == file]
    if problems or new is None:
        raise PicError(_as_options(problems, file))
    return new


def _text_problems(
    text: str,
    slug: str,
    file: str,
    stack: dict[str, Any] | None = None,
    *,
    refused_meant: Callable[[str], str | None] | None = None,
    taken: _TakenLater | None = None,
) -> tuple[list[Problem], Member | None]:
    """The problems of a new member file's text by itself, and its member when it has none (its host
    unknown yet); ``stack``: the names of the stack a hint may give (:func:`pic.registry.stack_names`);
    ``taken``: the names a hint of its domains may not offer (:class:`_TakenLater`)."""
    problems = _slug_problems(slug, refused_meant)
    doc, more = parse_yaml(text, file, MEMBER_KEYS, numbers=member_number_refusal)
    problems += more
    spec = None
    if doc is not None:
        if taken is not None:
            stack = {**(stack or {}), "domains": taken}
        spec, more = validate_member(doc, stack)
        problems += more
    if doc is None or spec is None or problems:
        return problems, None
    return problems, Member(slug, file, spec, spec.host or "", doc.lines, doc.written)


def _slug_problems(slug: str, refused_meant: Callable[[str], str | None] | None = None) -> list[Problem]:
    """The refusal of a slug that is none, in a list; an empty one for a slug. The slug it stands for in another
    form is offered when ``refused_meant`` finds no reason to refuse it, else said to be refused too, and why."""
    if is_slug(slug):
        return []
    if (undecoded := _undecoded("SLUG", slug)) is not None:  # a byte that is not UTF-8: said as the byte (\xff)
        return [undecoded]
    shown = repr(slug) if len(slug) <= 40 else f"{slug[:37]!r}... ({len(slug)} characters)"
    meant = slug_of_name_meant(slug)  # Velo_Cite, velo-cite.yaml
    why = refused_meant(meant) if meant is not None and refused_meant is not None else None
    length = slug_form_length(slug) if meant is None else None
    hint = (
        ("" if length is None else f"; {length}")
        if meant is None
        else f"; {meant!r}, the slug in its form, is refused too: {why}"
        if why
        else f"; did you mean {meant!r}?"
    )
    return [Problem("<command line>", None, "SLUG", f"{shown} is not a valid slug: {SLUG_WORDS}{hint}")]


def _meant_refused(
    meant: str, *, project: Path, stack: str, members: Path, name: str, email: str, domains: list[str], on: dt.date
) -> str | None:
    """Why ``pic new`` would refuse ``meant``, the slug a slug in another form stands for (``Amis-Du-Rhone``), or
    None: its member's file there, a slug of the history, one the platform holds (:func:`check_new`). A hint
    offers only a slug the command takes; settings or members that cannot be read leave it offered (their errors
    are said once the slug is given)."""
    path = members / f"{meant}.yaml"
    if path.exists() or path.is_symlink():
        return f"member {meant!r} exists already ({display_path(path)}); edit its file instead, or choose another slug"
    try:
        settings = load_settings(project, stack)
        registry = load_registry(members, settings)
        history = read_history(members)
    except PicError:
        return None
    past = history.members.get(meant)
    if past is not None:
        return past_member_problem(history, past, registry).message
    text = render(name, email, UID_MIN, eol.newest_supported(settings, on) or _UNKNOWN_RUNTIME, domains)
    try:
        check_new(text, meant, display_path(path), registry, settings)
    except PicError as refused:  # only the slug's refusals: the other arguments' are said all the same
        return next((p.message for p in refused.problems if p.path == "SLUG"), None)
    return None


_OPTIONS = {"name": "--name", "contact.name": "--name", "contact.email": "--email", "site.domains": "--domain"}


def _as_option(problem: Problem, file: str) -> Problem:
    """A problem of the new file's text, named by the command-line option that gave the value."""
    if problem.file != file:
        return problem
    if not problem.path and problem.message.startswith("file name "):  # the slug: no file of that name yet
        message = f"{problem.message.removeprefix('file name ')} (would be {file})"
        return Problem("<command line>", None, "SLUG", message, problem.severity)
    option = next((o for path, o in _OPTIONS.items() if problem.path.split("[")[0] == path), None)
    if option is None:
        return problem
    # an item given twice: the index of the first ("is also [0]") is the file's, which the command line does not show
    said = _TWICE.sub(f"is given twice: give each {option} once", problem.message)
    said = _GIVEN_AS.sub(f"already given by another {option}: give each {option} once", said)
    message = f"{said} (would be {problem.path} in {file})"
    return Problem("<command line>", None, option, message, problem.severity)


_TWICE = re.compile(r"is also \[\d+\]: give each once")
_GIVEN_AS = re.compile(r"already given as \[\d+\]: give each once")  # a value offered that another item is

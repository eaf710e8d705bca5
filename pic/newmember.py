"""``pic new``: the text of a new member file, with a uid never used before and the newest supported runtime.

The uid rule: one more than the highest uid that any member file has ever
held in the repository's history (:func:`uids_in_history`), so that a removed
member's uid, whose account and files may still be on the hosts, is never
handed out again. Outside a git repository only the current files are known.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from pic.errors import PicError, Problem
from pic.registry import MEMBER_KEYS, UID_MAX, UID_MIN, Member, Registry, cross_checks, validate_member
from pic.settings import Settings, display_path
from pic.validators import SLUG_WORDS, is_slug
from pic.yamlsrc import MAX_FILE_BYTES, parse_yaml

SCHEMA_MODELINE = "# yaml-language-server: $schema=../schema/member.schema.json"

# Every commit of every ref and reflog, each diffed against each of its parents (a merge too: its
# own resolution of a conflict is a version of its own) and the root against nothing; one record a
# changed file, NUL-separated, full blob ids; renames found so that a file moved into the
# directory is followed back. The -c and --no-* options keep the output the same whatever the
# user's configuration (a signature shown, colours, the merges' format, the root hidden).
_LOG = [
    "-c",
    "log.diffMerges=separate",
    "-c",
    "log.showRoot=true",
    "log",
    "--all",
    "--reflog",
    "--root",
    "-m",
    "-M",
    "--raw",
    "-z",
    "--no-abbrev",
    "--no-color",
    "--no-show-signature",
    "--no-ext-diff",
    "--format=%x01",
]
_REGULAR_FILE = (b"100644", b"100755")  # a link (120000) is never read as a member file; 160000 is a commit


def uids_in_history(members_dir: Path) -> set[int]:
    """Every uid that a version of a member file held in any commit of the repository holding ``members_dir``.

    The files: every ``*.yaml`` directly in the directory at its path in the
    repository (as :func:`pic.registry.member_files` names member files, at
    any commit), and the paths a file had before git saw it moved into the
    directory (followed back, as ``git log --follow`` does, for every file).
    The commits: those of every ref (every branch, tag and remote branch) and
    of the reflogs, merges included. Each version is read as ``pic check``
    reads it (:func:`uids_of_version`).

    A directory that held the member files under another path before is
    followed only through the files git sees moved from it. What was applied
    without being committed, or only in commits no ref or reflog holds any
    more, is not known. Empty when ``members_dir`` is not in a git repository
    (git says so, and no ``.git`` is in it or above it).

    Raises PicError when the history cannot be read whole: git is missing or
    fails in a repository, a blob is missing, or the repository is a shallow
    clone (the members removed before its oldest commit would be unknown, and
    their uids handed out again).
    """
    if not members_dir.is_dir():
        return set()
    where = display_path(members_dir)
    git = shutil.which("git")
    if git is None:
        if _in_repository(members_dir):
            raise _history_error(where, "git is not installed")
        return set()
    head = _git(git, members_dir, ["rev-parse", "--is-shallow-repository", "--show-prefix"], where, outside=True)
    if head is None:
        return set()
    shallow, prefix, *_ = [*head.split(b"\n"), b"", b""]
    if shallow == b"true":
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
    log = _git(git, members_dir, _LOG, where, outside=False)
    paths = _member_blobs(log or b"", prefix.decode("utf-8", "surrogateescape"), where)
    uids: set[int] = set()
    for path, data in _blobs(git, members_dir, paths, where):
        uids |= uids_of_version(data, path)
    return uids


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


def _member_blobs(log: bytes, prefix: str, where: str) -> dict[bytes, str]:
    """The blobs of member files in ``log`` (the output of :data:`_LOG`), each with a path it had.

    ``prefix``: the directory of the member files in the repository, as
    ``git rev-parse --show-prefix`` gives it (``members/``, empty at the top).
    Raises PicError when the output is not the expected one.
    """
    records: list[tuple[list[bytes], list[str]]] = []  # ([src mode, dst mode, src blob, dst blob, status], paths)
    tokens = log.split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        i += 1
        if not token.startswith(b":"):
            continue  # a commit's line (%x01), or the end
        fields = token[1:].split(b" ")
        count = 2 if fields[-1][:1] in (b"R", b"C") else 1
        if len(fields) != 5 or i + count > len(tokens):
            raise _history_error(where, f"git log gave a record that is not understood: {token[:80]!r}")
        records.append((fields, [t.decode("utf-8", "surrogateescape") for t in tokens[i : i + count]]))
        i += count
    followed: set[str] = set()  # the paths of files before git saw them moved into the directory

    def counted(path: str) -> bool:
        return path in followed or _is_member_path(path, prefix)

    moves = [paths for fields, paths in records if len(paths) == 2]
    more = True
    while more:  # a file moved twice, or into a path itself followed: until nothing is added
        more = False
        for src, dst in moves:
            if src not in followed and counted(dst):
                followed.add(src)
                more = True
    blobs: dict[bytes, str] = {}
    for fields, paths in records:
        src_mode, dst_mode, src_blob, dst_blob, _ = fields
        for mode, blob, path in ((src_mode, src_blob, paths[0]), (dst_mode, dst_blob, paths[-1])):
            if mode in _REGULAR_FILE and blob.strip(b"0") and counted(path):
                blobs.setdefault(blob, path)
    return blobs


def _is_member_path(path: str, prefix: str) -> bool:
    """True for a path ``pic check`` reads as a member file: ``*.yaml`` directly in the directory, not ``_*``/``.*``."""
    name = path[len(prefix) :]
    return path.startswith(prefix) and "/" not in name and name.endswith(".yaml") and not name.startswith(("_", "."))


def _blobs(git: str, cwd: Path, blobs: dict[bytes, str], where: str) -> Iterable[tuple[str, bytes]]:
    """(path, contents) of ``blobs`` (id -> path), by one ``git cat-file --batch``; PicError when one is missing."""
    if not blobs:
        return []
    ids = list(blobs)
    proc = subprocess.run(
        [git, "cat-file", "--batch"], cwd=cwd, input=b"\n".join(ids) + b"\n", capture_output=True, check=False
    )
    if proc.returncode != 0:
        raise _history_error(where, _git_words(proc.stderr))
    out = proc.stdout
    found: list[tuple[str, bytes]] = []
    at = 0
    for blob in ids:
        end = out.find(b"\n", at)
        header = out[at:end].split(b" ") if end >= 0 else []
        if len(header) != 3 or header[0] != blob or not header[2].isdigit():
            shown = blob.decode("ascii", "replace")
            raise _history_error(where, f"the blob {shown} of {blobs[blob]} is missing")
        size = int(header[2])
        found.append((blobs[blob], out[end + 1 : end + 1 + size]))
        at = end + 1 + size + 1
    return found


def _git(git: str, cwd: Path, args: list[str], where: str, *, outside: bool) -> bytes | None:
    """The output of ``git args`` run in ``cwd``; on a failure PicError, or None when ``outside`` and
    ``cwd`` is not in a repository (:func:`_in_repository`)."""
    proc = subprocess.run([git, *args], cwd=cwd, capture_output=True, check=False)
    if proc.returncode == 0:
        return proc.stdout
    if outside and not _in_repository(cwd):
        return None
    raise _history_error(where, _git_words(proc.stderr))


def _in_repository(directory: Path) -> bool:
    """True when ``directory`` or a directory above it holds ``.git`` (a repository, or a worktree's link to one)."""
    here = directory.resolve()
    return any((d / ".git").exists() for d in (here, *here.parents))


def _git_words(stderr: bytes) -> str:
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


def next_uid(registry: Registry, history: Iterable[int] = ()) -> int:
    """One more than the highest uid in use or ever used; the first never-used one when the top is reached."""
    used = {m.uid for m in registry} | set(history)
    uid = max((u for u in used if u <= UID_MAX), default=UID_MIN - 1) + 1
    uid = max(uid, UID_MIN)
    if uid > UID_MAX:  # the top is taken: fall back to the first hole
        uid = next((u for u in range(UID_MIN, UID_MAX + 1) if u not in used), UID_MAX + 1)
    if uid > UID_MAX:
        raise PicError([Problem("members", None, "uid", f"no uid left in {UID_MIN}..{UID_MAX} that was never used")])
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


def check_new(text: str, slug: str, file: str, registry: Registry, settings: Settings) -> None:
    """Validate a new member file's text next to the registry, as ``pic check`` would; raise PicError."""
    problems = []
    if not is_slug(slug):
        problems.append(Problem("<command line>", None, "SLUG", f"{slug!r} is not a valid slug: {SLUG_WORDS}"))
    doc, more = parse_yaml(text, file, MEMBER_KEYS)
    problems += more
    spec = None
    if doc is not None:
        spec, more = validate_member(doc)
        problems += more
    if doc is not None and spec is not None and not problems:
        new = Member(slug, file, spec, spec.host or settings.default_host, doc.lines, doc.written)
        problems += [p for p in cross_checks([*registry, new], settings) if p.file == file]
    if problems:
        raise PicError([_as_option(p, file) for p in problems])


_OPTIONS = {"name": "--name", "contact.name": "--name", "contact.email": "--email", "site.domains": "--domain"}


def _as_option(problem: Problem, file: str) -> Problem:
    """A problem of the new file's text, named by the command-line option that gave the value."""
    if problem.file != file:
        return problem
    option = next((o for path, o in _OPTIONS.items() if problem.path.split("[")[0] == path), None)
    if option is None:
        return problem
    return Problem("<command line>", None, option, f"{problem.message} (would be {problem.path} in {file})")

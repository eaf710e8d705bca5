"""``pic plan``: the program's resources under mocks, and what a change does to them.

The working tree's program runs in this process (:mod:`pic.plan.engine`,
which imports the Pulumi SDK only when called). With ``--against REV``, the
program, the registry and the stack file of REV are extracted from git into
a temporary directory and run there by the same engine in a subprocess, so
that REV's own code is what gets imported.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml

from pic import eol, names, newmember
from pic.check import check
from pic.commands import arguments
from pic.errors import PicError, Problem, terminal_safe
from pic.lazyre import LazyPattern
from pic.plan import markdown as md
from pic.plan.diff import Change, diff, stateful_changes
from pic.plan.model import Attribution, Rendering
from pic.plan.output import as_json, as_markdown, as_text, plural, review
from pic.registry import Database, Member, Registry, load_registry, member_files, read_members
from pic.settings import (
    NAMESPACE,
    SECRET_KEYS,
    Settings,
    display_path,
    load_settings,
    project_directory,
    resolved,
)
from pic.yamlsrc import not_a_directory, read_yaml

EXIT_OK, EXIT_INVALID, EXIT_STATEFUL, EXIT_MOVE = 0, 1, 3, 4
SECRET_CONFIG_KEYS = tuple(f"{NAMESPACE}:{k}" for k in SECRET_KEYS)


def _git(cwd: Path, *args: str, binary: bool = False) -> Any:
    """The output of ``git args`` in ``cwd``, whatever git's configuration (:func:`pic.newmember.git_command`):
    bytes, or text decoded as file names are (a byte that is not UTF-8 kept, as in a path); PicError on a
    failure."""
    proc = subprocess.run(
        newmember.git_command("git", *args), cwd=cwd, env=newmember.git_env(), capture_output=True, check=False
    )
    if proc.returncode != 0:
        message = proc.stderr.decode(errors="replace").strip().splitlines()
        raise PicError([Problem("<git>", None, "", f"git {' '.join(args)}: {message[-1] if message else 'failed'}")])
    return proc.stdout if binary else os.fsdecode(proc.stdout).strip()


@contextmanager
def checkout(
    project: Path, rev: str, members_links: dict[str, str] | None = None, shown: str | None = None
) -> Iterator[tuple[Path, str]]:
    """The project directory as it is at ``rev``, extracted into a temporary directory.

    ``members_links``: the paths of the directory of member files (from the project's folder) that may be a link
    at ``rev`` (``members -> data/members``); such a link, to a directory of the revision, is not extracted but
    its target written in the mapping (path -> target, from the project's folder). Any other link is refused.
    ``shown``: the project as the admin named it (a link by its own name), for the messages."""
    if shutil.which("git") is None:
        raise PicError([Problem("<command line>", None, "--against", "needs git, which is not installed")])
    shown = display_path(project) if shown is None else shown
    project = resolved(project)
    shallow = _repository_state(project, shown)
    named = _named(project, rev, shallow)
    if not _is_commit(project, named):  # a tree (HEAD:members, HEAD^{tree}), a blob, a tag of either
        raise PicError([Problem("<command line>", None, "--against", _not_a_commit(project, rev, named))])
    commit = _git(project, "rev-parse", "--verify", "--quiet", f"{named}^{{commit}}")
    top = Path(_git(project, "rev-parse", "--show-toplevel"))
    prefix = project.relative_to(resolved(top)) if project != resolved(top) else Path()
    tmp = Path(tempfile.mkdtemp(prefix="pic-plan-rev-"))
    try:
        if not _git(top, "ls-tree", "--name-only", commit):
            # A commit of no file (a repository's first, `git commit --allow-empty`): git archive writes a header
            # and no entry, which tarfile cannot read; nothing to extract, as for a revision without members/.
            yield tmp / prefix, commit
            return
        data = _git(top, "archive", "--format=tar", commit, binary=True)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            left_out = _left_out(top, rev, commit, tar)
            wanted = {posixpath.normpath(posixpath.join(prefix.as_posix(), p)): p for p in members_links or {}}
            found = _members_links(tar, wanted, prefix.as_posix())
            if members_links is not None:
                members_links.update({wanted[name]: target for name, target in found.items()})
            _refuse_links(tar, rev, commit, skip=set(found))
            kept = [m for m in tar.getmembers() if m.name not in found]  # the members link is not extracted
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4+
                tar.extractall(tmp, members=kept, filter="data")
            else:  # only regular files and directories are left (_refuse_links)
                tar.extractall(tmp, members=kept)  # noqa: S202
        _write_as_committed(top, tmp, left_out)
        yield tmp / prefix, commit
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _left_out(top: Path, rev: str, commit: str, tar: tarfile.TarFile) -> dict[str, tuple[str, str]]:
    """The files of ``commit`` that git archive left out of ``tar`` or rewrote, as path -> (mode, blob id): those
    its attributes (the revision's .gitattributes, the repository's info/attributes) mark ``export-ignore``, and
    those marked ``export-subst`` whose ``$Format:...$`` it replaced. A checkout does neither, so the revision's
    program, components and member files are what the commit holds only once these are written as committed
    (:func:`_write_as_committed`); a link left out is refused, as a link archived is (:func:`_refuse_links`)."""
    archived = {m.name.rstrip("/"): m for m in tar.getmembers()}
    blobs: dict[str, tuple[str, str]] = {}
    for entry in _git(top, "ls-tree", "-r", "-z", "--full-tree", "--end-of-options", commit).split("\0"):
        info, _, path = entry.partition("\t")
        fields = info.split()
        if len(fields) == 3 and fields[1] == "blob":
            blobs[path] = (fields[0], fields[2])
    missing = {path: blob for path, blob in blobs.items() if path not in archived}
    out = {path: blob for path, blob in missing.items() if blob[0] != "120000"}
    links = [f"{path} (left out by git archive: export-ignore)" for path in missing if path not in out]
    if links:
        _refuse_revision(
            rev,
            commit,
            f"holds links or special files, which are not extracted: {_listed(links, 120)}; the repository holds "
            "regular files only",
        )
    # export-subst rewrites only a file that holds $Format:...$ (gitattributes(5)): those the commit holds
    grep = subprocess.run(
        newmember.git_command("git", "grep", "-l", "-z", "-F", "-e", "$Format:", commit, "--"),
        cwd=top,
        env=newmember.git_env(),
        capture_output=True,
        check=False,
    )
    for found in os.fsdecode(grep.stdout).split("\0") if grep.returncode == 0 else []:
        path = found.removeprefix(f"{commit}:")
        member = archived.get(path)
        if not found or member is None or not member.isfile():
            continue
        extracted = tar.extractfile(member)
        blob = _git(top, "cat-file", "blob", blobs[path][1], binary=True) if path in blobs else b""
        if extracted is not None and extracted.read().count(b"$Format:") < blob.count(b"$Format:"):
            out[path] = blobs[path]
    return out


def _write_as_committed(top: Path, tmp: Path, files: dict[str, tuple[str, str]]) -> None:
    """Write each of ``files`` (path -> mode, blob id) under ``tmp`` as the commit holds it (:func:`_left_out`)."""
    for path, (mode, oid) in files.items():
        dest = tmp / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(_git(top, "cat-file", "blob", oid, binary=True))
        dest.chmod(0o755 if mode == "100755" else 0o644)


def _named(project: Path, rev: str, shallow: bool) -> str:
    """The id of the object ``rev`` names in the repository of ``project`` (``shallow``: a shallow clone's);
    PicError when git names none (said why when it can be told: :func:`_why_none`), or gives back an id (a full hex
    one) of an object the repository lacks. An abbreviated id that also starts other objects' ids is the commit's
    when it starts one commit's only, as ``git log`` reads it."""
    # Resolved first, then peeled to its commit: a suffix on REV itself would change what some revisions say
    # (":/<text>" searches the messages for the whole text, suffix included).
    if rev.startswith("-"):  # --against=-h: git reads it as an option, without --end-of-options
        raise PicError([Problem("<command line>", None, "--against", arguments.dash_revision(rev))])
    # core.warnAmbiguousRefs set false (git-config(1)) would hide a name of two refs, which git takes the first of
    proc = _git_run(project, "-c", "core.warnAmbiguousRefs=true", "rev-parse", "--verify", "--end-of-options", rev)
    named = os.fsdecode(proc.stdout).strip() if proc.returncode == 0 else ""
    if named and (ambiguous := _AMBIGUOUS_REF.search(os.fsdecode(proc.stderr))) is not None:
        _refuse_refs_of_one_name(project, rev, ambiguous.group(1))
    named = "" if named.startswith("^") else named  # ^REV: the commits REV reaches, excluded (_range)
    said = newmember.git_words(proc.stderr) if proc.returncode != 0 else ""
    if not named and re.fullmatch(r"[0-9a-fA-F]{4,39}", rev) and "is ambiguous" in said:
        peeled = _git_run(project, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        named = os.fsdecode(peeled.stdout).strip() if peeled.returncode == 0 else ""
    missing = False
    if named:  # git rev-parse --verify gives any full hex id back unchecked (git-rev-parse(1)): is it there?
        try:
            _git(project, "cat-file", "-e", named)
        except PicError:
            missing = True
    if not named or missing:
        why = f"{rev!r} is not a revision of this repository"
        if named:
            why += (
                ": no object of that id is in it (a commit of another clone, or a pull request's, not fetched "
                "yet: git fetch origin <its branch>, or the id, then run pic plan again)"
            )
        elif (range_told := _range(project, rev)) is not None:
            why = range_told
        elif shallow:
            why = (
                f"{rev!r} is not a revision of this clone, which is shallow: its history stops at the commits it "
                "was cloned with; fetch the whole history (git fetch --unshallow) and run pic plan again"
            )
        elif not _git(project, "rev-list", "-n", "1", "--all"):
            why += (
                ": it has no commit yet (git init, nothing committed): commit the project as it is on the servers "
                "first (git add -A, git commit), then compare the changes made since with it (--against HEAD)"
            )
        elif (reason := _why_none(project, rev, said)) is not None:
            why += f": {reason}"
        raise PicError([Problem("<command line>", None, "--against", why)])
    if (before := _REFLOG_STARTS.search(os.fsdecode(proc.stderr))) is not None:  # git took the reflog's first entry
        ref, since = before.groups()
        why = (
            f"{rev!r}: the reflog of {ref} only goes back to {since}: the commit taken ({named[:10]}) is the first it "
            f"holds, not {ref} as it was then (git reflog {ref} lists where it has been; give a commit of it)"
        )
        _warn(Problem("<command line>", None, "--against", why, "warning"))
    return str(named)


# What git says when a name is that of several refs (git-rev-parse(1) reads it by gitrevisions(7)'s rules)
_AMBIGUOUS_REF = LazyPattern(r"warning: refname '(.+)' is ambiguous\.")

# The refs a name may be of, in the order git tries them (gitrevisions(7), <refname>), with what each is
_REF_RULES = (
    ("refs/{}", "the ref"),
    ("refs/tags/{}", "the tag"),
    ("refs/heads/{}", "the branch"),
    ("refs/remotes/{}", "the remote-tracking branch"),
    ("refs/remotes/{}/HEAD", "the remote's default branch"),
)


def _refuse_refs_of_one_name(project: Path, rev: str, name: str) -> None:
    """Refuse ``rev`` when ``name``, a name in it, is that of refs of different commits (a tag ``main`` beside the
    branch ``main``): git takes the first its rules find (gitrevisions(7): the tag before the branch) with a mere
    warning, and the plan would compare with a base the reviewer did not mean. PicError naming each ref, its commit
    and the full name to give; nothing when they all lead to one commit (git's choice is then the same)."""
    found: list[tuple[str, str, str]] = []
    for rule, what in _REF_RULES:
        full = rule.format(name)
        peeled = _git_run(project, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{full}^{{commit}}")
        if peeled.returncode == 0 and (commit := os.fsdecode(peeled.stdout).strip()):
            found.append((full, what, commit))
    if len({commit for _, _, commit in found}) < 2:
        return
    refs = " and ".join(f"{what} {name} ({commit[:10]}, {full})" for full, what, commit in found)
    offers = " or ".join(f"--against {rev.replace(name, full, 1)}" for full, _, _ in found)
    why = (
        f"{rev!r} names more than one ref, on different commits: {'it' if rev == name else repr(name)} is {refs}; "
        f"git takes the first ({found[0][0]}) with a mere warning, which may not be the one meant: give it by its "
        f"full name ({offers})"
    )
    raise PicError([Problem("<command line>", None, "--against", why)])


def _warn(problem: Problem) -> None:
    """A warning of the command line's values, printed as its errors are (:func:`pic.cli.print_problems`): a long
    value shortened, one that may be a secret hidden (git takes HEAD@{<any text>} as a date)."""
    from pic.cli import print_problems  # pic plan runs from the CLI, loaded already

    print_problems([problem])


# What git says when a reflog's date (main@{1.year.ago}) is before its first entry, which it takes instead
_REFLOG_STARTS = LazyPattern(r"warning: log for '(.+)' only goes back to (.+)")


def _git_run(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``git args`` in ``cwd`` as :func:`_git` runs it, its failure given back, not raised."""
    return subprocess.run(
        newmember.git_command("git", *args), cwd=cwd, env=newmember.git_env(), capture_output=True, check=False
    )


def _commit_of(project: Path, rev: str) -> str | None:
    """The commit ``rev`` names (peeled from a tag), or None when it names none."""
    proc = _git_run(project, "rev-parse", "--verify", "--quiet", "--end-of-options", rev)
    found = os.fsdecode(proc.stdout).strip()
    if proc.returncode != 0 or not found or _git_run(project, "cat-file", "-e", found).returncode != 0:
        return None
    return found if _is_commit(project, found) else None


def _range_parts(rev: str) -> tuple[str, str, str] | None:
    """``rev`` split at its range operator (``..`` or ``...``) as gitrevisions(7) reads one: outside ``^{...}`` and
    ``@{...}`` (a search ``HEAD^{/a..b}``, a date), before the ``:`` of ``REV:PATH`` and not in ``:/<text>``
    (whose dots are the text's); None when it holds none."""
    if rev.startswith(":"):
        return None
    at = 0
    while at < len(rev):
        char = rev[at]
        if char == "{" and at > 0 and rev[at - 1] in "@^":
            depth = 0
            while at < len(rev):
                depth += {"{": 1, "}": -1}.get(rev[at], 0)
                if depth == 0:
                    break
                at += 1
        elif char == ":":
            return None
        elif rev.startswith("..", at):
            dots = "..." if rev.startswith("...", at) else ".."
            return rev[:at], dots, rev[at + len(dots) :]
        at += 1
    return None


def _range(project: Path, rev: str) -> str | None:
    """What is said of ``rev`` when it is a range of commits as ``git log`` takes it (``main..HEAD``, ``A...B``,
    ``HEAD^!``, ``HEAD^@``, ``HEAD^-``: gitrevisions(7)), which names no one commit; None for any other. The
    commit offered instead is one git resolves; a side that names nothing is said to be none."""
    parts = _range_parts(rev)
    if parts is None and rev.startswith("^") and not rev.startswith("^{"):
        return _excluded(project, rev)
    name = rev.split(":", 1)[0]
    ends = None if parts is not None or rev.startswith(":") else re.search(r"\^(?:!|@|-[0-9]*)$", name)
    if parts is None and ends is None:
        return None
    left, dots, right = parts if parts is not None else (name[: ends.start()] if ends else "", "", "")
    sides = [side for side in (left, right) if side]
    missing = [side for side in sides if _commit_of(project, side) is None]
    given = "--against <commit>"
    if dots == ".." and left and left not in missing:  # the left side a commit, whatever the right one names
        given = f"--against {left}"
    elif dots == "..." and left and not missing:
        other = right or "HEAD"  # a side left out is HEAD (gitrevisions(7))
        if _git_run(project, "merge-base", "--end-of-options", left, other).returncode == 0:
            given = f"--against $(git merge-base {left} {other}), the commit {other} left {left} at"
    told = "; ".join(f"{side!r} is not a revision of this repository" for side in missing)
    return (
        f"{rev!r} is a range of commits, not one revision: --against takes one commit, which the working tree "
        f"(its changes not committed included) is compared with: {given}" + (f"; {told}" if told else "")
    )


def _excluded(project: Path, rev: str) -> str:
    """What is said of ``^REV``: the commits REV reaches, excluded from a set (``git log ^main HEAD``)."""
    base = rev[1:]
    found = _commit_of(project, base) is not None
    return (
        f"{rev!r} excludes the commits {base} reaches (as git log reads it), not one revision: --against takes one "
        "commit, which the working tree (its changes not committed included) is compared with: "
        + (f"--against {base}" if found else f"--against <commit>; {base!r} is not a revision of this repository")
    )


# What git says when a branch's upstream or push destination (BRANCH@{upstream}, @{u}, @{push}) is not there
_NO_UPSTREAM = LazyPattern(r"no upstream configured for branch '(.+)'")
_NO_BRANCH = LazyPattern(r"no such branch: '(.+)'")


def _why_none(project: Path, rev: str, said: str) -> str | None:
    """Why ``rev``, which git resolves to nothing, names nothing, when it can be told from what git ``said`` or
    from the part of ``rev`` that is there: a branch without upstream (``@{u}``), a reflog shorter than asked
    (``HEAD@{9}``), ``@{-1}`` without an earlier checkout, a parent or ancestor past the history (``HEAD^2``,
    ``HEAD~9``), HEAD on a branch with no commit yet (``git checkout --orphan``), a search of the messages that
    finds nothing (``:/text``, ``HEAD^{/text}``), an abbreviated id of several commits; None otherwise."""
    for reader in (
        _blank_told,
        _unborn_told,
        _written_told,
        _branch_told,
        _reflog_told,
        _search_told,
        _form_told,
        _past_history,
    ):
        if (told := reader(project, rev, said)) is not None:
            return told
    words = re.sub(r"^(?:fatal|error): ", "", said)  # git's own reason (a reflog shorter than asked), if any
    return f"git: {words}" if words and "Needed a single revision" not in words else None


def _blank_told(project: Path, rev: str, said: str) -> str | None:
    """What is said of a revision with a blank before or after it (``HEAD~1 ``, a space pasted with it), which git
    reads as part of the name: the revision without it offered when it names a commit."""
    bare = rev.strip()
    if bare == rev or not bare:
        return None
    told = "it has a blank before or after it (pasted with it), which git reads as part of the name"
    return f"{told}: --against {bare}" if _commit_of(project, bare) is not None else told


def _unborn_told(project: Path, rev: str, said: str) -> str | None:
    """What is said of HEAD, or the branch it is on, when that branch has no commit yet (``git checkout --orphan``,
    ``git switch --orphan``; git names no commit by it) while other branches have: which branch HEAD is, and the
    branches to give instead."""
    head = _git_run(project, "symbolic-ref", "--quiet", "HEAD")
    ref = os.fsdecode(head.stdout).strip() if head.returncode == 0 else ""
    if not ref.startswith("refs/heads/") or _commit_of(project, ref) is not None:
        return None
    branch = ref.removeprefix("refs/heads/")
    name = re.split(r"[~^:@{}]", rev, maxsplit=1)[0] or ("@" if rev.startswith("@") else "")  # HEAD~1: HEAD
    if name not in ("HEAD", "@", branch, ref, f"heads/{branch}"):
        return None
    listed = _git_run(project, "for-each-ref", "--format=%(refname:short)", "refs/heads/")
    branches = [b for b in os.fsdecode(listed.stdout).splitlines() if b and b != branch]
    given = f"; the branches that have commits: {_listed(branches, 60)}" if branches else ""
    return (
        f"HEAD is the branch {branch!r}, which has no commit yet (made by git checkout --orphan or git switch "
        f"--orphan, nothing committed on it): compare with a branch that has commits (--against BRANCH){given}"
    )


# The refs git writes at times only (gitrevisions(7)), with when it writes each, and the stash's list
_WRITTEN_AT_TIMES = {
    "FETCH_HEAD": "git writes FETCH_HEAD at a git fetch, and none was made in this clone",
    "ORIG_HEAD": "git writes ORIG_HEAD when a merge, rebase or reset moves HEAD, and none has in this clone",
    "MERGE_HEAD": "git writes MERGE_HEAD while a merge stopped on its conflicts, and none has",
    "CHERRY_PICK_HEAD": "git writes CHERRY_PICK_HEAD while a cherry-pick stopped on its conflicts, and none has",
    "REVERT_HEAD": "git writes REVERT_HEAD while a revert stopped on its conflicts, and none has",
    "REBASE_HEAD": "git writes REBASE_HEAD while a rebase stopped on its conflicts, and none has",
    "stash": "nothing is stashed (git stash list is empty)",
}


def _written_told(project: Path, rev: str, said: str) -> str | None:
    """What is said of a ref git writes at times only (FETCH_HEAD, ORIG_HEAD, MERGE_HEAD, stash...) when it is not
    there: when git writes it; the commit to give instead (HEAD, a branch)."""
    name = re.split(r"[~^:@{}]", rev, maxsplit=1)[0]
    if name not in _WRITTEN_AT_TIMES or _commit_of(project, name) is not None:
        return None
    return f"{_WRITTEN_AT_TIMES[name]}; give the commit to compare with by its branch or id"


def _branch_told(project: Path, rev: str, said: str) -> str | None:
    """What is said of a branch's upstream or push destination that is not there (``@{u}``, ``BRANCH@{push}``)."""
    if (found := _NO_UPSTREAM.search(said)) is not None:
        return _no_upstream(project, found.group(1))
    if (found := _NO_BRANCH.search(said)) is not None:
        return f"no branch {found.group(1)!r} (git branch lists the branches)"
    if "HEAD does not point to a branch" in said:
        return (
            "HEAD is on no branch (detached): @{upstream} and @{push} are those of the branch checked out; name the "
            "branch (BRANCH@{upstream}) or the remote branch itself (--against <remote>/<branch>)"
        )
    return None


# What git says when a reflog's entry (HEAD@{1}, main@{3}, @{2}) is past its last
_REFLOG_SHORT = LazyPattern(r"log for '(.+)' only has ([0-9]+) entries")


def _reflog_told(project: Path, rev: str, said: str) -> str | None:
    """What is said of a reflog's entry past those it holds (``HEAD@{1}`` in a fresh clone, whose reflog holds one
    entry) and of ``@{-N}`` written after a name (``HEAD@{-1}``), which git reads alone only (gitrevisions(7)):
    what the revision is, what the reflog holds, what to write."""
    short = _REFLOG_SHORT.search(said)
    entry = re.search(r"([^~^:@{}]*)@\{([0-9]+)\}", rev)
    if short is not None and entry is not None:
        ref, held, moves = short[1], int(short[2]), int(entry[2])
        entries = (
            f"{held} entry only, {ref}@{{0}}"
            if held == 1
            else f"{held} entries only, {ref}@{{0}} to {ref}@{{{held - 1}}}"
        )
        back, suffix = f"{ref}~{moves}", rev[entry.end() :]  # HEAD@{1}~1: the ~1 applies to the commit offered too
        what = f"the commit {moves} before {ref} in its history"
        what = f"the commit reached so from {back}, {what}" if suffix else what
        offered = f"; --against {back}{suffix} is {what}" if _commit_of(project, back + suffix) else ""
        return (
            f"{entry[0]} is where {ref} was {moves} move{'s' if moves != 1 else ''} ago, and the reflog of {ref} "
            f"(git reflog {ref}) holds {entries}: a reflog is the clone's own, begun when it was cloned or first "
            f"committed to; give a commit (git log lists the commits{offered})"
        )
    if (named := re.fullmatch(r"(.+)@\{-([0-9]+)\}", rev)) is None:
        return None
    count = int(named[2])
    alone = f"@{{-{count}}}"
    what = "the branch checked out before this one" if count == 1 else f"the branch checked out {count} checkouts ago"
    told = f"{alone}, {what}, is written alone, without a name before it, and "
    if _commit_of(project, alone) is not None:
        return told + f"{alone} is a commit here: --against {alone}"
    earlier = (
        "no branch was checked out before this one"
        if count == 1
        else f"fewer than {count} branches were checked out before this one"
    )
    where = f"{named[1]}@{{{count}}}"
    past = (
        f"; {where} is where {named[1]} was {count} move{'s' if count != 1 else ''} ago: --against {where}"
        if _commit_of(project, where)
        else ""
    )
    return told + f"{earlier} (git reflog lists the checkouts){past}"


def _search_told(project: Path, rev: str, said: str) -> str | None:
    """What is said of an abbreviated id of several commits, ``@{-N}`` past the checkouts, and a search of the
    messages (``:/text``, ``REV^{/text}``) that finds nothing."""
    if re.fullmatch(r"[0-9a-fA-F]{4,39}", rev) and "is ambiguous" in said:
        return _ambiguous(project, rev)
    if (found := re.fullmatch(r"@\{-([0-9]+)\}", rev)) is not None:
        count = int(found.group(1))
        return (
            "no branch was checked out before this one"
            if count == 1
            else f"fewer than {count} branches were checked out before this one"
        ) + " (git reflog lists the checkouts)"
    if (found := re.fullmatch(r":/(?!!-)!?(.*)", rev, re.DOTALL)) is not None:
        return f"no commit whose message matches {found.group(1)!r} (git log --all --grep shows those that do)"
    if (found := re.fullmatch(r"(.+)\^\{/(?!!-)!?(.*)\}", rev, re.DOTALL)) and _commit_of(project, found[1]):
        return f"no commit whose message matches {found.group(2)!r}, from {found.group(1)} (git log --grep)"
    return None


def _form_told(project: Path, rev: str, said: str) -> str | None:
    """What is said of a path the index lacks (``:members``, the index holding files only) and of ``^{type}`` of a
    type git does not know (``HEAD^{nope}``)."""
    if (found := _INDEX_PATH.fullmatch(rev)) is not None:
        return f"the index holds no file {found.group(1)} (a directory is not in it){_INDEX_TOLD}"
    peel = re.fullmatch(r"\^\{(?!/)([^{}]*)\}", rev[rev.rfind("^{") :]) if "^{" in rev else None
    if peel is not None and peel.group(1) not in ("", "commit", "tree", "blob", "tag", "object"):
        return (
            f"^{{{peel.group(1)}}} is no type of object git knows (^{{commit}}, ^{{tree}}, ^{{blob}}, ^{{tag}}, "
            "^{object}, ^{} or ^{/text}: gitrevisions(7))"
        )
    return None


def _no_upstream(project: Path, branch: str) -> str:
    """What is said of the upstream of ``branch``, which has none: how to give it one, and what to give instead."""
    remote = [
        r
        for r in _git(project, "for-each-ref", "--format=%(refname:short)", "refs/remotes").splitlines()
        if not r.endswith("/HEAD")
    ]
    same = [r for r in remote if r.split("/", 1)[-1] == branch]
    instead = f"--against {same[0]}" if same else "--against <remote>/<branch>"
    known = f" (this clone's remote branches: {_listed(remote, 80)})" if remote and not same else ""
    return (
        f"the branch {branch!r} has no upstream (no remote branch it follows: git branch "
        f"--set-upstream-to=<remote>/<branch> {branch} sets one); give the remote branch itself: {instead}{known}"
    )


def _ambiguous(project: Path, rev: str) -> str | None:
    """What is said of the abbreviated id ``rev`` that starts several commits' ids: each, with its subject."""
    candidates = _git(project, "rev-parse", "--disambiguate=" + rev.lower()).split()
    commits = [c for c in candidates if _git(project, "cat-file", "-t", c) == "commit"]
    if len(commits) < 2:
        return None
    shown = [f"{c[:10]} ({_git(project, 'log', '-1', '--format=%s', c)})" for c in commits]
    return (
        f"it starts the ids of several commits: {_listed(shown, 80)}; give more of its characters "
        f"(--against {commits[0][:10]})"
    )


def _past_history(project: Path, rev: str, said: str = "") -> str | None:
    """What is said of ``rev`` written as a commit then parents and ancestors (``HEAD^2``, ``main~9``, ``HEAD~1^2``)
    when one of these steps goes past the history: the commit it starts from, and what it has; None otherwise."""
    found = re.fullmatch(r"(.+?)((?:[~^][0-9]*)+)", rev, re.DOTALL)
    if found is None or _commit_of(project, found.group(1)) is None:
        return None
    here = found.group(1)
    for step in re.findall(r"[~^][0-9]*", found.group(2)):
        count = int(step[1:]) if len(step) > 1 else 1
        if _commit_of(project, here + step) is not None:
            here += step
            continue
        if step.startswith("~"):
            before = int(_git(project, "rev-list", "--first-parent", "--count", "--end-of-options", here)) - 1
            had = "no commit" if before == 0 else plural(before, "commit")
            return f"{here} has {had} before it along its first parents: {here}{step} goes past the first"
        parents = len(_git(project, "rev-list", "--parents", "-n", "1", "--end-of-options", here).split()) - 1
        what = "no parent, the first of its history" if parents == 0 else plural(parents, "parent")
        return f"{here} (a commit of {what}) has no parent {count}"
    return None


# What a kind of git object is, for a revision that names one that is no commit (HEAD:members, HEAD^{tree})
_OBJECTS = {"tree": "a directory as a commit holds it", "blob": "a file's content as a commit holds it"}


def _is_commit(project: Path, found: str) -> bool:
    """Whether the object ``found`` (an id) is a commit, or a tag that leads to one."""
    return bool(_git(project, "cat-file", "-t", f"{found}^{{}}") == "commit")


# A path of the index (:PATH, :N:PATH: gitrevisions(7)), not a search of the messages (:/text)
_INDEX_PATH = LazyPattern(r":(?![/])(?:[0-3]:)?(.+)", re.DOTALL)
_INDEX_TOLD = (
    "; :PATH names what the index (the files staged by git add for the next commit) holds at PATH, not a commit: "
    "give a commit (--against HEAD), and --members for where the member files are"
)


def _not_a_commit(project: Path, rev: str, found: str) -> str:
    """Why ``rev``, which names object ``found``, is no revision to compare with: what it names instead."""
    kind = _git(project, "cat-file", "-t", found)
    what = f"a {kind} ({found[:10]}{', ' + _OBJECTS[kind] if kind in _OBJECTS else ''})"
    if kind == "tag":
        target = _git(project, "cat-file", "-t", f"{found}^{{}}")
        what = f"a tag ({found[:10]}) of a {target}{' (' + _OBJECTS[target] + ')' if target in _OBJECTS else ''}"
    path = (
        "; REV:PATH names what a commit holds at PATH: give the commit alone (--against REV), and --members for "
        "where the member files are"
        if ":" in rev and not rev.startswith(":/")
        else ""
    )
    if _INDEX_PATH.fullmatch(rev):  # :PATH, :0:PATH: the index's, not a commit's
        what, path = what.replace("as a commit holds it", "as the index holds it"), _INDEX_TOLD
    return (
        f"{rev!r} names {what}, not a commit: --against takes a commit to compare the working tree with (a branch, "
        f"a tag of a commit, HEAD~1, a commit id){path}"
    )


def _repository_state(project: Path, shown: str) -> bool:
    """Whether the repository of ``project`` is a shallow clone; PicError when ``project`` (named ``shown``) is in
    none, or git cannot read it."""
    proc = subprocess.run(
        newmember.git_command("git", "rev-parse", "--is-shallow-repository"),
        cwd=project,
        env=newmember.git_env(),
        capture_output=True,
        check=False,
    )
    if proc.returncode == 0:
        return proc.stdout.strip() == b"true"
    if not newmember.in_repository(project):
        why = (
            f"the project ({shown}) is not in a git repository: --against compares the working "
            "tree with a commit of its repository; run pic plan in a clone, or without --against"
        )
    else:
        words = newmember.git_words(proc.stderr)
        why = f"git cannot read the repository of the project ({shown}): {words}"
    raise PicError([Problem("<command line>", None, "--against", why)])


def _members_links(tar: tarfile.TarFile, wanted: dict[str, str], prefix: str) -> dict[str, str]:
    """The links among ``wanted`` (paths in the archive) to a directory of the archive inside the project's folder:
    archive path -> target, from the project's folder (``prefix`` in the repository)."""
    entries = {m.name.rstrip("/"): m for m in tar.getmembers()}
    out = {}
    for name in wanted:
        link = entries.get(name)
        if link is None or not link.issym() or posixpath.isabs(link.linkname):
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(name), link.linkname))
        inside = posixpath.relpath(target, prefix or ".") if target != ".." and not target.startswith("../") else ".."
        found = entries.get(target)
        if found is not None and found.isdir() and inside != ".." and not inside.startswith("../"):
            out[name] = inside
    return out


def _refuse_links(tar: tarfile.TarFile, rev: str, commit: str, skip: set[str] | None = None) -> None:
    """Refuse a revision holding links or special files: extracting them could reach outside the temporary tree
    (but the links of ``skip``, which are not extracted)."""
    odd = [m for m in tar.getmembers() if not (m.isfile() or m.isdir()) and m.name.rstrip("/") not in (skip or ())]
    if not odd:
        return
    shown = [f"{m.name} -> {m.linkname}" if m.linkname else m.name for m in odd]
    _refuse_revision(
        rev,
        commit,
        f"holds links or special files, which are not extracted: {_listed(shown, 120)}; the repository holds "
        "regular files only",
    )


def _refuse_gitlinks(project: Path, rev: str, commit: str, members_rel: Path) -> None:
    """Refuse a revision that holds a git submodule in the project: git archive writes a gitlink as an empty
    directory. In the directory of member files (or as it), what the submodule holds would be silently missing
    from the revision's registry (its members taken for added ones, or its stray files unseen), as a link's target
    would be; elsewhere (``components/``, ``pic/``, a directory the program reads), the revision's program would run
    on an empty directory in its place, and the plan be of another program than the revision's."""
    where = members_rel.as_posix().rstrip("/") or "."
    listing = _git(project, "ls-tree", "-r", "-z", "--end-of-options", commit, "--", ".")
    members: list[str] = []
    elsewhere: list[str] = []
    for entry in listing.split("\0"):
        info, _, path = entry.partition("\t")
        fields = info.split()
        if len(fields) == 3 and fields[0] == "160000":
            inside = where in (".", path) or path.startswith(f"{where}/")
            (members if inside else elsewhere).append(f"{path} (a submodule, commit {fields[2][:10]})")
    if members:
        _refuse_revision(
            rev,
            commit,
            "holds git submodules where the member files are, whose files are not in the revision (git archive "
            f"writes a submodule as an empty directory): {_listed(members, 160)}; member files are regular files "
            f"directly in {terminal_safe(where)}/, not a submodule's",
        )
    if elsewhere:
        _refuse_revision(
            rev,
            commit,
            "holds git submodules in the project, whose files are not in the revision (git archive writes a "
            f"submodule as an empty directory): {_listed(elsewhere, 160)}; the revision's program would run on an "
            "empty directory in their place: the project's files are regular files of its own repository, not a "
            "submodule's",
        )


def _listed(items: list[str], width: int) -> str:
    """The first five of ``items``, each escaped and cut at ``width`` characters, and how many more."""
    shown = ", ".join(terminal_safe(item)[:width] for item in items[:5])
    return shown + (f" and {len(items) - 5} more" if len(items) > 5 else "")


def _refuse_revision(rev: str, commit: str, why: str) -> NoReturn:
    """Refuse the revision ``rev`` (``commit``) for what it holds: PicError naming both."""
    raise PicError([Problem(f"{rev} ({commit[:10]})", None, "", why)])


def refuse_program_links(project: Path) -> None:
    """Refuse a project whose program files lead outside it: ``__main__.py``, a module beside it or a file of a
    package it imports (``components/``, ``pic/``) that is a symbolic link to another directory (another checkout's
    ``__main__.py``). The plan would evaluate the program there, and describe it as this project's; a revision's
    links are refused as it is extracted (:func:`_refuse_links`). PicError naming each link and where it leads."""
    root = resolved(project)
    found: list[Path] = []
    try:
        entries = sorted(project.iterdir()) if project.is_dir() else []
    except OSError:  # a project that cannot be read: pic check, next, names it (its stack file cannot be read)
        entries = []
    for entry in entries:
        if entry.name == "__pycache__" or not (entry.suffix == ".py" or entry.name == "components" or _package(entry)):
            continue
        found += [entry] if entry.is_symlink() else []
        if entry.is_dir() and not entry.is_symlink():
            for where, dirs, files in os.walk(entry):
                dirs[:] = [d for d in dirs if d != "__pycache__"]
                found += [Path(where, name) for name in sorted(dirs + files) if Path(where, name).is_symlink()]
    problems = []
    for link in found:
        target = resolved(link)
        if target == root or root in target.parents:
            continue
        why = (
            f"is a link to {target}, outside the project: pic plan would evaluate the program there and describe "
            f"it as this project's; make it the project's own file (git checkout -- {link.relative_to(project)} "
            "writes it back as committed), or run pic plan in that project (--project)"
        )
        problems.append(Problem(display_path(link), None, "", why))
    if problems:
        raise PicError(problems)


def _package(entry: Path) -> bool:
    """True when ``entry`` is a directory holding ``__init__.py``; one that cannot be searched (another admin's
    backups/, of mode 0700) holds no package the program could import."""
    try:
        return (entry / "__init__.py").exists()
    except OSError:
        return False


def render_here(project: Path, stack: str, members: Path, salt: bytes) -> Rendering:
    from pic.plan import engine

    program = project / "__main__.py"
    if not program.is_file():
        raise PicError(
            [
                Problem(
                    str(program),
                    None,
                    "",
                    "no Pulumi program here: pic plan evaluates the project's program (__main__.py, components/) "
                    "with the stack file and the member files; run it in the project's folder, or give that "
                    "folder as --project",
                )
            ]
        )
    try:
        run = engine.run_program(project, stack, members, secret_keys=SECRET_CONFIG_KEYS)
    except engine.ProgramError as exc:
        raise _stopped(display_path(program), f" {exc}") from None
    return Rendering.from_json(engine.redacted_json(run, salt))


@dataclass
class AtRevision:
    rendering: Rendering
    commit: str
    settings: Settings | None
    registry: Registry | None
    slugs: list[str]
    members_root: str  # pic:members_root at the revision, "" when its stack file does not say
    # What of the revision's files this revision's rules cannot read (its settings, member files), with why:
    # what they held is not compared (pic.plan.output.Review.unread)
    unread: tuple[str, ...] = ()
    # The revision has no stack file of this stack (a stack added since): nothing of it was declared there, so
    # the plan is the stack's creation, every resource added
    new_stack: bool = False
    # The revision's checks fail today on end-of-life dates alone (an exception ended, a runtime past its end of
    # life): its program, which stops on them, is run as of the last day they passed, with the errors of today
    as_of: dt.date | None = None
    invalid_today: tuple[str, ...] = ()


@dataclass
class _Pending:
    """The program of a revision, running in a subprocess while this one runs in-process."""

    rev: str
    commit: str
    where: Path
    members_rel: Path
    proc: subprocess.Popen[str] | None  # None: the revision has no stack file of this stack (a new stack)
    cmd: list[str] = dataclasses.field(default_factory=list)
    env: dict[str, str] = dataclasses.field(default_factory=dict)


def _start_at(project: Path, stack: str, members: Path, rev: str, *, salt: bytes, stack_: ExitStack) -> _Pending:
    from pic.plan import engine

    for path, what in ((project, project_directory(stack)), (members, "directory of member files")):
        refusal = not_a_directory(path, what)
        if refusal is not None:  # said as without --against, not as a directory the revision lacks
            raise PicError([Problem(display_path(path), None, "", refusal)])
    candidates = _members_in_project(project, members)
    if not candidates:
        raise PicError(
            [Problem("<command line>", None, "--members", f"{members} is outside the project: not in git at {rev}")]
        )
    shown = display_path(project)
    stack_shown = display_path(project / f"Pulumi.{stack}.yaml")  # as every message names the stack file
    project = resolved(project)
    links: dict[str, str] = {c.as_posix(): "" for c in candidates}
    where, commit = stack_.enter_context(checkout(project, rev, links, shown))
    # a directory of member files that was a link at REV (members -> data/members): read where it points
    followed = [Path(links[c.as_posix()]) if links.get(c.as_posix()) else c for c in candidates]
    members_rel = next((c for c in followed if (where / c).is_dir()), None)
    if members_rel is None:
        raise _no_members_at(project, members, rev, commit, followed, where=where)
    _refuse_gitlinks(project, rev, commit, members_rel)
    stack_file = where / f"Pulumi.{stack}.yaml"
    if not stack_file.is_file():
        if os.path.lexists(stack_file):  # a directory, a link to nothing: no stack file, yet no new stack either
            what = "a directory" if stack_file.is_dir() else "not a regular file (a link to nothing, a submodule)"
            why = f"{stack_shown} is {what}, not the stack file: the stack's settings at {rev} cannot be read"
            raise PicError([Problem(f"{rev} ({commit[:10]})", None, "", why)])
        return _Pending(rev, commit, where, members_rel, None)  # a stack added since REV: nothing to run there
    if not (where / "__main__.py").is_file():  # the engine would stop on it with a traceback
        _refuse_revision(
            rev,
            commit,
            "holds no Pulumi program (__main__.py) beside its stack file and member files: pic plan --against runs "
            "the revision's own program to compare; give a revision that holds it",
        )
    cmd = [
        sys.executable,
        engine.__file__,
        "--project",
        str(where),
        "--stack",
        stack,
        "--shown-stack-file",
        stack_shown,
    ]
    cmd += ["--members", str(where / members_rel)]
    for key in SECRET_CONFIG_KEYS:
        cmd += ["--secret-key", key]
    env = {**os.environ, "PIC_PLAN_SALT": salt.hex()}
    proc = subprocess.Popen(  # this interpreter, the engine script, paths of our own checkout
        cmd, cwd=where, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace"
    )
    stack_.callback(_stop, proc)
    return _Pending(rev, commit, where, members_rel, proc, cmd, env)


def _members_in_project(project: Path, members: Path) -> list[Path]:
    """Where the directory of member files may be in the project at a revision: its path as given (a link
    now, ``members -> data/members``, may have been the directory itself then), then its real path."""
    found: list[Path] = []
    pairs = ((Path(os.path.abspath(project)), Path(os.path.abspath(members))), (resolved(project), resolved(members)))
    for base, path in pairs:
        try:
            relative = path.relative_to(base)
        except ValueError:
            continue
        if relative not in found:
            found.append(relative)
    return found


def _no_members_at(
    project: Path, members: Path, rev: str, commit: str, candidates: list[Path], *, where: Path
) -> PicError:
    """The error of a revision without the directory of member files: named by its path in the repository. When
    the revision holds a file at that path (``members`` a regular file) or above it (``data`` of ``data/members``),
    that file is named as what it is, not as a directory the revision lacks. ``where``: the revision extracted."""
    try:
        prefix = _git(project, "rev-parse", "--show-prefix")
    except PicError:
        prefix = ""
    shown_members = terminal_safe(str(members))
    for candidate in candidates:
        blocking = _file_in_the_way(where, candidate)
        if blocking is None:
            continue
        path = posixpath.join(prefix, blocking.as_posix())
        what = (
            "not a directory of member files"
            if blocking == candidate
            else f"so it has no directory {posixpath.join(prefix, candidate.as_posix())}/ of member files"
        )
        return PicError(
            [
                Problem(
                    f"{rev} ({commit[:10]})",
                    None,
                    "",
                    terminal_safe(f"has {path} as a regular file, {what}")
                    + f" (--members {shown_members} in the working tree): pic plan --against reads the member files "
                    "at the same path at both ends, so compare with a revision where it is the directory of member "
                    "files, or run pic plan without --against (every resource of the working tree)",
                )
            ]
        )
    paths = " nor ".join(f"{posixpath.join(prefix, c.as_posix())}/" for c in candidates)
    return PicError(
        [
            Problem(
                f"{rev} ({commit[:10]})",
                None,
                "",
                f"has no directory {terminal_safe(paths)} of member files (--members {shown_members} "
                "in the working tree): the member files moved since, or were not there yet; pic plan --against "
                "reads them at the same path at both ends, so compare with a revision that has them there (after a "
                "move), or run pic plan without --against (every resource of the working tree)",
            )
        ]
    )


def _file_in_the_way(where: Path, relative: Path) -> Path | None:
    """The path (relative to ``where``) of the file that stands at ``relative`` or at a directory above it in the
    extracted revision ``where`` (``members``, or ``data`` of ``data/members``), or None when there is none. Only
    regular files and directories are extracted (:func:`_refuse_links`), so anything else found is a file."""
    for depth in range(1, len(relative.parts) + 1):
        part = Path(*relative.parts[:depth])
        if not os.path.lexists(where / part):
            return None
        if not (where / part).is_dir():
            return part
    return None


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _finish_at(pending: _Pending, stack: str) -> AtRevision:
    rev, commit, where = pending.rev, pending.commit, pending.where
    members_at = where / pending.members_rel
    slugs = [p.name[: -len(".yaml")] for p in member_files(members_at)] if members_at.is_dir() else []
    if pending.proc is None:
        # No Pulumi.<stack>.yaml at REV: the stack is new in this change. Its settings and registry are the
        # working tree's (run() falls back to them), so that nothing but the resources differs: all are added.
        return AtRevision(Rendering({}), commit, None, None, slugs, "", new_stack=True)
    out, err = pending.proc.communicate()
    as_of: dt.date | None = None
    invalid_today: tuple[str, ...] = ()
    if pending.proc.returncode != 0:
        text = err.strip() or f"exit status {pending.proc.returncode}"
        stopped = _stopped(f"{rev} ({commit[:10]})", f"\n{text}")
        days, errors = _days_to_try(where, stack, members_at)
        # Valid until that day, the revision is what its last `pulumi up` could apply: its program as of then
        for day in days:
            again = subprocess.run(
                [*pending.cmd, "--today", day.isoformat()],
                cwd=where,
                env=pending.env,
                capture_output=True,
                text=True,
                errors="replace",
                check=False,
            )
            if again.returncode == 0:
                as_of, out = day, again.stdout
                break
        else:
            raise stopped
        if errors is not None:
            invalid_today = tuple(_at_rev(p, members_at, pending.members_rel) for p in errors)
        else:
            invalid_today = _program_errors(text)
    rendering = Rendering.from_json(json.loads(out))
    unread: list[str] = []
    registry: Registry | None = None
    try:
        settings: Settings | None = load_settings(where, stack)
    except PicError as exc:  # REV's files may follow an older contract than the working tree's
        settings = None
        unread.append(f"its stack settings: {_at_rev(exc.problems[0], where, Path())}")
    if settings is not None:
        try:
            registry = load_registry(members_at, settings)
        except PicError:  # a check across files REV did not make: its members are read one by one below
            registry = None
    if registry is None and members_at.is_dir():
        default = settings.default_host if settings is not None else _default_host(where, stack)
        registry, problems = read_members(members_at, default)
        first = {p.file: p for p in reversed(problems) if p.severity == "error"}  # one line per file: its first
        unread += [_at_rev(p, members_at, pending.members_rel) for p in sorted(first.values())]
    root = settings.members_root if settings is not None else _members_root(where, stack)
    return AtRevision(
        rendering,
        commit,
        settings,
        registry,
        slugs,
        root,
        tuple(dict.fromkeys(unread)),
        as_of=as_of,
        invalid_today=invalid_today,
    )


# How many earlier days (end-of-life dates and exceptions' ends, latest first) a revision's checks are tried on
_DAYS_TRIED = 12


def _last_day_valid(where: Path, stack: str, members_at: Path) -> tuple[dt.date, list[Problem]] | None:
    """The last day before today on which the revision's end-of-life checks pass, with their errors of today,
    when they fail today: an exception whose ``until`` is past, a runtime past its end of life. Its program stops
    on them (it checks as of the day it runs), and so did ``pulumi up`` since: the hosts hold what it declared on
    that day at the latest. None when they pass today, or on none of the days tried.

    Only those checks are made here, on the member files the working tree's rules read: a file they refuse (a
    rule made stricter in the change) is the plan's to name, as at any revision, not a reason to refuse this one.
    Whether the revision fails for anything else is its program's to say, run as of that day."""
    today = dt.date.today()
    try:
        settings = load_settings(where, stack)
    except PicError:  # settings its rules refuse whatever the day
        return None
    registry, _ = read_members(members_at, settings.default_host) if members_at.is_dir() else (Registry(()), [])
    errors = sorted(p for p in eol.evaluate(registry, settings, today) if p.severity == "error")
    if not errors:
        return None
    days = {spec.eol for spec in settings.runtimes.values()}
    days |= {m.spec.exceptions.php_eol.until for m in registry if m.spec.exceptions.php_eol is not None}
    for day in sorted((d for d in days if d < today), reverse=True)[:_DAYS_TRIED]:
        if not any(p.severity == "error" for p in eol.evaluate(registry, settings, day)):
            return day, errors
    return None


def _days_to_try(where: Path, stack: str, members_at: Path) -> tuple[list[dt.date], list[Problem] | None]:
    """The days to run a revision's program as of, when it stops today, latest first, and its end-of-life errors of
    today. The last day its end-of-life checks pass (:func:`_last_day_valid`) when the working tree's rules read its
    stack settings; when they do not (an older contract: its runtimes written otherwise), the end-of-life dates and
    exceptions' ends its files write, before today, each tried until its program passes on one, and its errors are
    its program's own (None here)."""
    try:
        load_settings(where, stack)
    except PicError:
        return _written_days(where, stack, members_at), None
    last = _last_day_valid(where, stack, members_at)
    return ([last[0]], last[1]) if last is not None else ([], [])


def _written_days(where: Path, stack: str, members_at: Path) -> list[dt.date]:
    """The ``eol`` of each runtime of a revision's stack file and the ``exceptions.php_eol.until`` of each member file,
    as written, before today, latest first (at most :data:`_DAYS_TRIED`)."""
    today = dt.date.today()
    runtimes = (_stack_config(where, stack) or {}).get(f"{NAMESPACE}:runtimes")
    days = {
        spec.get("eol") for spec in (runtimes.values() if isinstance(runtimes, dict) else ()) if isinstance(spec, dict)
    }
    for path in member_files(members_at) if members_at.is_dir() else ():
        read, _ = read_yaml(path, path.name)  # as pic check reads a member file: no link, no alias, a size cap
        doc = read.data if read is not None else None
        exceptions = doc.get("exceptions") if isinstance(doc, dict) else None
        php_eol = exceptions.get("php_eol") if isinstance(exceptions, dict) else None
        days.add(php_eol.get("until") if isinstance(php_eol, dict) else None)
    dated = {d for d in days if isinstance(d, dt.date) and not isinstance(d, dt.datetime) and d < today}
    return sorted(dated, reverse=True)[:_DAYS_TRIED]


# How a program of the project says that it stopped on the errors of its check (__main__.py), one a line after
_INVALID = "the registry or the stack settings are invalid:"


def _stopped(where: str, said: str) -> PicError:
    """The program of ``where`` (``__main__.py``, ``HEAD (0123456789)``) stopped saying ``said``: one problem,
    counted as the errors of its check it lists (:func:`_program_errors`; one for any other stop), as pic check
    counts them."""
    errors = len(_program_errors(said)) if _INVALID in (line.strip() for line in said.splitlines()) else 0
    return PicError([Problem(where, None, "", f"the program stopped:{said}")], errors=max(errors, 1))


def _program_errors(text: str) -> tuple[str, ...]:
    """The errors a revision's program printed when it stopped (its pic check's lines, without its warnings and the
    lines around them)."""
    return tuple(
        line
        for line in (line.strip() for line in text.splitlines())
        if line and not line.startswith(("warning:", "invalid: ")) and line != _INVALID
    )


def _at_rev(problem: Problem, base: Path, shown: Path) -> str:
    """A problem of a file of the revision's checkout, named by its path in the project (``members/x.yaml:3``)."""
    prefix = display_path(base)
    file = problem.file
    if file == prefix or file.startswith(f"{prefix}/"):
        file = posixpath.normpath(posixpath.join(shown.as_posix(), file[len(prefix) :].lstrip("/")))
    return str(dataclasses.replace(problem, file=file))


def _stack_config(where: Path, stack: str) -> dict[str, Any] | None:
    """The ``config:`` of a revision's stack file as written, None when it cannot be read as a mapping."""
    read, _ = read_yaml(where / f"Pulumi.{stack}.yaml", f"Pulumi.{stack}.yaml")  # no link, no alias, a size cap
    doc = read.data if read is not None else None
    config = doc.get("config") if isinstance(doc, dict) else None
    return config if isinstance(config, dict) else None


def _default_host(where: Path, stack: str) -> str:
    """``pic:default_web_host`` as the stack file of a revision writes it, when its settings do not load as a
    whole: the host of its members without ``host:`` ("" when it does not say)."""
    config = _stack_config(where, stack) or {}
    host = config.get(f"{NAMESPACE}:default_web_host")
    if isinstance(host, str):
        return host
    hosts = config.get(f"{NAMESPACE}:hosts")
    web = sorted(
        str(n)
        for n, h in (hosts.items() if isinstance(hosts, dict) else ())
        if isinstance(h, dict) and h.get("role") == "web"
    )
    return web[0] if web else ""  # the first web host by name, as Settings.default_host says


def _members_root(where: Path, stack: str) -> str:
    """``pic:members_root`` as the stack file of a revision writes it, when its settings do not load as a whole
    (an older contract): where its members' data is, to compare with the working tree's."""
    config = _stack_config(where, stack)
    default = Settings.model_fields["members_root"].default
    root = config.get(f"{NAMESPACE}:members_root", default) if config is not None else None
    return posixpath.normpath(root) if isinstance(root, str) and root.startswith("/") else ""


def render_at(project: Path, stack: str, members: Path, rev: str, salt: bytes) -> AtRevision:
    """Run the program of revision ``rev`` in a subprocess; read its registry and settings too."""
    with ExitStack() as stack_:
        return _finish_at(_start_at(project, stack, members, rev, salt=salt, stack_=stack_), stack)


def run(
    *,
    project: Path,
    stack: str,
    members: Path,
    against: str | None,
    fmt: str,
    on: dt.date,
) -> int:
    """Print the plan; exit 0, or 3 when a change deletes, replaces or unprotects something stateful."""
    salt = os.urandom(16)
    refuse_program_links(project)
    with ExitStack() as stack_:
        # The revision's program runs in a subprocess meanwhile, from the start: two processes, two cores.
        pending = _start_at(project, stack, members, against, salt=salt, stack_=stack_) if against is not None else None
        checked = check(project, stack, members, on)  # a bad registry stops here, with its own messages
        for warning in checked.warnings:  # as pic check prints them, apart from the plan itself
            print(warning.shown(), file=sys.stderr)
        rendering = render_here(project, stack, members, salt)
        at = _finish_at(pending, stack) if pending is not None else None
    attr = Attribution(rendering, checked.registry, checked.settings)
    stack_file = display_path(project / f"Pulumi.{stack}.yaml")
    header = f"pic plan: stack {stack}, {plural(len(checked.registry), 'member')}, as of {on.isoformat()}"
    meta: dict[str, Any] = {"stack": stack, "on": on.isoformat(), "members": len(checked.registry)}
    changes: list[Change] | None = None
    attr_old: Attribution | None = None
    label = title_label = ""
    if at is not None:
        # A delete script that removes something under either root removes members' data.
        roots = tuple(dict.fromkeys(r for r in (checked.settings.members_root, at.members_root) if r))
        changes = diff(at.rendering, rendering, data_roots=roots)
        attr_old = Attribution(
            at.rendering,
            at.registry if at.registry is not None else checked.registry,
            at.settings if at.settings is not None else checked.settings,
            at.slugs,
            members_root=at.members_root,
            unread=at.unread,
        )
        label, title_label, meta["against"] = _against(against or "", at, stack, stack_file)
    history = _History(members, at)
    # What removed members left on the hosts (accounts, databases) is on an existing stack's hosts: a stack new in
    # this change has none yet, so a slug, uid or database name given again takes nothing there.
    compared = at if at is not None and not at.new_stack else None
    given, uids_given = removed_members_names(checked.registry, compared, history) if compared is not None else ([], [])
    reached = databases_reached(checked.registry, compared, history) if compared is not None else []
    if given:
        meta["slug_reused"] = {g.slug: g.as_json() for g in given}
    if uids_given:
        meta["uid_of_removed_member"] = {u.slug: u.as_json() for u in uids_given}
    if at is not None:
        meta["databases_reached"] = [r.as_json() for r in reached]
    at_stake = bool(given or uids_given or reached)
    if fmt == "json":
        print(json.dumps(as_json(rendering, attr, meta=meta, changes=changes, attr_old=attr_old), indent=2))
    elif fmt == "markdown":
        title = f"pic plan: stack {md.text(stack)}" + (f", against {title_label}" if title_label else "")
        text = as_markdown(rendering, attr, title=title, changes=changes, attr_old=attr_old, names_refused=at_stake)
        head, _, rest = text.partition("\n\n")  # the title, then the refusals first
        refused = (_markdown_slugs_given(given) if given else "") + _markdown_uids_given(uids_given)
        refused += _markdown_databases_reached(reached)
        if at is not None and at.new_stack:
            refused = f"{md.code(against or '')} {md.prose(new_stack_note(stack, stack_file))}.\n\n{refused}"
        if at is not None and at.as_of is not None:
            note = as_of_note(at.as_of, at.invalid_today, markdown=True)
            refused = f"{md.code(against or '')} {note}.\n\n{refused}"
        sys.stdout.write(f"{head}\n\n{refused}{rest}" if refused else text)
    else:
        text = as_text(
            rendering,
            attr,
            header=header,
            changes=changes,
            attr_old=attr_old,
            against=label,
            names_refused=at_stake,
        )
        sys.stdout.write(text)
        sys.stdout.write(_text_slugs_given(given) + _text_uids_given(uids_given) + _text_databases_reached(reached))
    return EXIT_STATEFUL if at_stake else exit_status(changes, attr, attr_old)


def _against(rev: str, at: AtRevision, stack: str, stack_file: str) -> tuple[str, str, dict[str, Any]]:
    """How the plan names the revision it compares with: in text, in markdown's title (the revision as given, any
    text git takes, as a code span: a branch may be named `<img src=x onerror=...>`), in json."""
    label = f"{rev} ({at.commit[:10]})"
    title_label = f"{md.code(rev)} ({at.commit[:10]})"
    meta = {
        "rev": rev,
        "commit": at.commit,
        "new_stack": at.new_stack,
        "as_of": at.as_of.isoformat() if at.as_of is not None else None,
        "invalid_today": list(at.invalid_today),
    }
    if at.new_stack:
        label += f", which {new_stack_note(stack, stack_file)}"
        title_label += ", a new stack"
    if at.as_of is not None:
        label += f", which {as_of_note(at.as_of, at.invalid_today)}"
        title_label += f", as of {at.as_of.isoformat()}"
    return label, title_label, meta


def new_stack_note(stack: str, stack_file: str) -> str:
    """What the plan of a stack whose file the revision lacks compares: nothing, the stack is created.
    ``stack_file``: the stack file as messages name it, in ``--project``'s directory (``project/Pulumi.x.yaml``)."""
    return (
        f"has no {stack_file}: stack {stack} is new in this change, so the plan creates every "
        f"resource (if the stack exists already, its file renamed or never committed, compare with `pulumi "
        f"preview --diff --stack {stack}`)"
    )


def as_of_note(day: dt.date, errors: tuple[str, ...], *, markdown: bool = False) -> str:
    """What the plan compares with when the revision's checks fail today on end-of-life dates alone."""
    shown = [md.code(e) if markdown else e for e in errors[:3]]
    more = f" and {len(errors) - 3} more" if len(errors) > 3 else ""
    return (
        f"does not pass pic check today ({'; '.join(shown)}{more}): its program stops there, as `pulumi up` "
        f"has since, so the hosts hold what it declared on {day.isoformat()} at the latest, the last day its "
        f"checks pass: it is planned as of that day"
    )


SLUG_GIVEN_RULE = (
    "a slug stays with its uid: a removed member's account and group keep the slug on the host with the "
    "old uid, so the new member's space script stops there (user or group exists with another id), and a "
    "new association given the slug would get the removed member's files"
)


@dataclass(frozen=True)
class SlugGiven:
    """A new member (not at REV) whose slug a member removed before REV had, with another uid."""

    slug: str
    uid: int
    past: newmember.PastMember
    was: str  # what the slug was: a member removed by commit ..., a file renamed to ... (newmember.past_words)
    command: str  # the command that puts the removed member's file back, "" when a member holds its uid

    def note(self) -> str:
        return f"uid {self.uid}, the slug of {self.was}"

    @property
    def advice(self) -> str:
        return f"{self.advice_words()}: {self.command}" if self.command else self.advice_words()

    def advice_words(self) -> str:
        if not self.command:
            return "give the new member a slug never used (rename its file; pic new refuses such a slug)"
        return (
            "give the new member a slug never used (rename its file; pic new refuses such a slug), or, if it is "
            "the same association coming back, put back its file, which keeps its uid"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "uid_before": sorted(self.past.uids),
            "removed_by": self.past.commit,
            "path": self.past.path,
            "renamed_to": self.past.renamed_to or None,
            "note": self.note(),
            "advice": self.advice,
            "command": self.command or None,
        }


UID_GIVEN_RULE = (
    "a uid stays with its member: a removed member's account keeps its uid on the host, and its files, dumps "
    "and keys are owned by it, so the new member's space script stops there (user or group exists) or the new "
    "association would own the removed member's files"
)


@dataclass(frozen=True)
class UidGiven:
    """A new member (not at REV) given the uid of a member removed before REV, under another slug."""

    slug: str
    uid: int
    past: newmember.PastMember
    was: str  # what that uid was: the uid of a member removed by commit ...

    def note(self) -> str:
        return f"uid {self.uid}, the uid of {self.was}"

    advice = "give the new member a uid no member file ever held (pic new picks one), or put back the removed member"

    def as_json(self) -> dict[str, Any]:
        return {"uid": self.uid, "removed_slug": self.past.slug, "removed_by": self.past.commit, "note": self.note()}


class _History:
    """The history of the member files up to REV (:func:`pic.newmember.read_history`, as far as a shallow clone's
    history goes), read once, when asked. A history git cannot read is said on stderr, and not looked at."""

    def __init__(self, members: Path, at: AtRevision | None) -> None:
        self.members, self.at = members, at
        self._read: list[newmember.History | None] = []

    def get(self) -> newmember.History | None:
        if not self._read and self.at is not None:
            try:
                self._read.append(newmember.read_history(self.members, [self.at.commit], shallow_ok=True))
            except PicError as exc:
                for p in exc.problems:
                    print(f"warning: the names of removed members are not checked: {p.shown()}", file=sys.stderr)
                self._read.append(None)
        return self._read[0] if self._read else None


def removed_members_names(
    registry: Registry, at: AtRevision, history_: _History
) -> tuple[list[SlugGiven], list[UidGiven]]:
    """The members added since ``at`` given the slug of a member removed in ``at``'s history (with another
    uid), or its uid (under another slug): the hosts keep both with the removed member's account."""
    before = set(at.slugs)
    added = [m for m in registry if m.slug not in before]
    if not added:
        return [], []
    history = history_.get()
    if history is None:
        return [], []
    return _slugs_given(history, added, registry), _uids_given(history, added, registry)


DATABASES_REACHED_RULE = (
    "a database a member had stays on the db server when its member or its `databases:` entry goes (protected, "
    "then retained on delete: only `DROP DATABASE` by hand removes it), with its tables; a new database of "
    "another member with its name, or whose grant (`<name>%`) covers it, gives that member's account its data"
)


@dataclass(frozen=True)
class DatabaseReached:
    """A database new in this plan whose name or grant reaches a database another member left on the db server."""

    member: str
    database: str
    left: str  # the database left on the db server
    left_by: str  # the member that had it
    how: str  # how it was left: removed in this change, removed by commit ..., dropped from its databases: ...

    def note(self) -> str:
        what = "is the name of" if self.database == self.left else "has a grant that covers"
        return (
            f"{self.member}: the database {self.database} {what} {self.left}, a database of {self.left_by} "
            f"({self.how}), which stays on the db server with its tables: {self.member}'s account would reach them"
        )

    @property
    def advice(self) -> str:
        return (
            f"give {self.member}'s database another short name, so that its name is neither {self.left} nor the "
            f"start of it; or, if that data is not wanted any more, dump it and `DROP DATABASE {self.left}` by hand "
            "first"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "member": self.member,
            "database": self.database,
            "reaches": self.left,
            "of": self.left_by,
            "how": self.how,
            "note": self.note(),
            "advice": self.advice,
        }


def databases_reached(registry: Registry, at: AtRevision, history_: _History) -> list[DatabaseReached]:
    """The databases new since ``at`` whose name or grant (:func:`pic.names.member_grant_covers`) reaches a
    database another member left on the db server: one of a member removed, or dropped from its ``databases:``,
    in this change (REV's registry) or before REV (the newest version of a removed member's file in REV's
    history)."""
    old = {m.slug: m for m in at.registry or ()}
    had = {slug: {db.name for db in m.databases} for slug, m in old.items()}
    fresh = [(m, db) for m in registry for db in m.databases if db.name not in had.get(m.slug, ())]
    if not fresh:
        return []
    now = {m.slug: {db.name for db in m.databases} for m in registry}
    left: dict[str, tuple[str, str]] = {}
    for m in old.values():
        for db in m.databases:
            if db.name not in now.get(m.slug, ()):
                how = "removed in this change" if m.slug not in now else "dropped from its `databases:` in this change"
                left.setdefault(db.name, (m.slug, how))
    history = history_.get()
    removed = [
        p
        for p in (history.members.values() if history is not None else ())
        if p.removed and not p.renamed_to and p.slug not in now and p.slug not in old
    ]
    try:
        contents = newmember.past_contents(history, removed) if history is not None else {}
    except PicError as exc:
        for p in exc.problems:
            print(f"warning: the databases of removed members are not checked: {p.shown()}", file=sys.stderr)
        contents = {}
    for past in sorted(removed, key=lambda p: p.slug):
        for short in _databases_of_version(contents.get(past.slug, b"")):
            left.setdefault(Database(past.slug, short).name, (past.slug, f"removed by commit {past.commit[:10]}"))
    return [
        DatabaseReached(m.slug, db.name, name, owner, how)
        for m, db in fresh
        for name, (owner, how) in sorted(left.items())
        if owner != m.slug and names.member_grant_covers(db.name, name)
    ]


_DB_SHORT = re.compile(r"[a-z][a-z0-9_]{0,15}")  # pic.registry.DbShort


def _databases_of_version(blob: bytes) -> list[str]:
    """The short names of ``databases:`` in one version of a member file, as far as it reads as YAML."""
    try:
        data = yaml.safe_load(blob.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return []
    shorts = data.get("databases") if isinstance(data, dict) else None
    return [s for s in shorts if isinstance(s, str) and _DB_SHORT.fullmatch(s)] if isinstance(shorts, list) else []


def _databases_reached_count(n: int) -> str:
    return (
        f"{n} database{'s' if n != 1 else ''} new in this plan reach{'' if n != 1 else 'es'} one left on the db server"
    )


def _text_databases_reached(reached: list[DatabaseReached]) -> str:
    if not reached:
        return ""
    lines = ["", f"!!! STATEFUL: {_databases_reached_count(len(reached))}: {DATABASES_REACHED_RULE}:"]
    for r in reached:
        lines += [f"!!!   {r.note()}", f"      what to do: {r.advice}"]
    return "\n".join(lines) + "\n"


def _markdown_databases_reached(reached: list[DatabaseReached]) -> str:
    if not reached:
        return ""
    n = len(reached)
    out = [f"#### :warning: Stateful: {_databases_reached_count(n)}", ""]
    out += [f"{DATABASES_REACHED_RULE[0].upper()}{DATABASES_REACHED_RULE[1:]}.", ""]
    for r in reached:
        out += [f"- {md.prose(r.note())}.", f"  - what to do: {md.prose(r.advice)}."]
    return "\n".join([*out, "", ""])


def _uids_given(history: newmember.History, added: list[Member], registry: Registry) -> list[UidGiven]:
    # The slugs held now, with their uid: a removed member's slug given back with another uid (refused as such,
    # _slugs_given) leaves the host's account of that slug with the old uid, which another new member cannot take.
    current = {m.slug: m.uid for m in registry}
    out = []
    for member in sorted(added, key=lambda m: m.slug):
        past = next(
            (
                p
                for p in sorted(history.members.values(), key=lambda p: p.slug)
                if p.removed
                and not p.renamed_to  # a file renamed took its uid along: the rename says so
                and p.slug != member.slug
                and (p.slug not in current or current[p.slug] not in p.uids)
                and member.uid in p.uids
            ),
            None,
        )
        if past is not None:
            out.append(UidGiven(member.slug, member.uid, past, newmember.past_words(history, past, None)))
    return out


def _slugs_given(history: newmember.History, added: list[Member], registry: Registry) -> list[SlugGiven]:
    given = []
    for member in sorted(added, key=lambda m: m.slug):
        past = history.members.get(member.slug)
        if past is None or member.uid in past.uids:
            continue
        held_by = newmember.holder(past, registry)
        command = newmember.restore_command(history, past) if held_by is None else ""
        given.append(SlugGiven(member.slug, member.uid, past, newmember.past_words(history, past, held_by), command))
    return given


def _uids_given_count(n: int) -> str:
    return f"{n} uid{'s' if n != 1 else ''} of removed members given to new ones"


def _text_uids_given(given: list[UidGiven]) -> str:
    if not given:
        return ""
    n = len(given)
    lines = [
        "",
        f"!!! the hosts will refuse {_uids_given_count(n)}: {UID_GIVEN_RULE}:",
    ]
    for g in given:
        lines += [f"!!! refused: {g.slug}: {g.note()}", f"      what to do: {g.advice}"]
    return "\n".join(lines) + "\n"


def _markdown_uids_given(given: list[UidGiven]) -> str:
    if not given:
        return ""
    n = len(given)
    out = [f"#### :no_entry: The hosts will refuse {_uids_given_count(n)}", ""]
    out += [f"{UID_GIVEN_RULE[0].upper()}{UID_GIVEN_RULE[1:]}.", ""]
    for g in given:
        out += [f"- **{md.text(g.slug)}**: {md.prose(g.note())}.", f"  - what to do: {md.prose(g.advice)}"]
    return "\n".join([*out, "", ""])


def _slugs_given_count(n: int) -> str:
    return f"{n} slug{'s' if n != 1 else ''} of removed members given to new ones"


def _text_slugs_given(given: list[SlugGiven]) -> str:
    if not given:
        return ""
    lines = ["", f"!!! the hosts will refuse {_slugs_given_count(len(given))} in this plan: {SLUG_GIVEN_RULE}:"]
    for g in given:
        lines += [f"!!! refused: {g.slug}: {g.note()}", f"      what to do: {g.advice}"]
    return "\n".join(lines) + "\n"


def _markdown_slugs_given(given: list[SlugGiven]) -> str:
    out = [f"#### :no_entry: The hosts will refuse {_slugs_given_count(len(given))}", ""]
    out += [f"{SLUG_GIVEN_RULE[0].upper()}{SLUG_GIVEN_RULE[1:]}.", ""]
    for g in given:
        words = md.prose(g.advice_words())
        advice = f"{words}: {md.code(g.command)}" if g.command else words
        out += [f"- **{md.text(g.slug)}**: {md.prose(g.note())}.", f"  - what to do: {advice}"]
    return "\n".join([*out, "", ""])


def exit_status(changes: list[Change] | None, attr: Attribution, attr_old: Attribution | None) -> int:
    """3 when a change deletes, replaces or unprotects something stateful, or changes the uid of a member
    or gives a uid to another slug (a file renamed, a uid reused: the hosts refuse both), or leaves members'
    data behind (``pic:members_root`` changed, a domain handed over to a new member, Sympa's main domain changed,
    the off-site repository changed or the off-site backup removed: the snapshots so far out of the platform's
    reach, or its timers left running unmanaged), else 4 when a member moves
    to another web host (its files and DNS follow by hand), else 0. Warnings leave it as it is: https withdrawn
    from names kept to https, the DKIM selector changed, a setting changed whose value is in DNS records others
    publish (records to publish: nothing held is lost)."""
    if changes is None:
        return EXIT_OK
    r = review(changes, attr, attr_old or attr)
    if stateful_changes(changes) or r.refused_by_host or r.data_left_behind or r.unread:
        return EXIT_STATEFUL
    if r.moves:
        return EXIT_MOVE
    return EXIT_OK

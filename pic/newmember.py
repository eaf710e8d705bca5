"""``pic new``: the text of a new member file, with a uid never used before and the newest supported runtime.

The uid rule: one more than the highest uid that any member file has ever
held in the repository's history (``git log`` of ``members/``, every branch),
so that a removed member's uid, whose account and files may still be on the
hosts, is never handed out again. Outside a git repository only the current
files are known.
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
from pic.settings import Settings
from pic.validators import SLUG_WORDS, is_slug
from pic.yamlsrc import parse_yaml

SCHEMA_MODELINE = "# yaml-language-server: $schema=../schema/member.schema.json"
# A uid line added or removed in a diff of a member file: "+uid: 10042", "-  uid: '10042'", "+uid: 10042 # x".
_UID_LINE = re.compile(r"^[+-][ \t]*uid[ \t]*:[ \t]*[\"']?([0-9]{1,9})\b", re.MULTILINE)


def uids_in_history(members_dir: Path) -> set[int]:
    """Every uid written in a member file in any commit of the repository holding ``members_dir``.

    Empty when git is missing or the directory is not in a repository.
    """
    git = shutil.which("git")
    if git is None or not members_dir.is_dir():
        return set()
    proc = subprocess.run(
        [git, "log", "--all", "--no-color", "--no-ext-diff", "--format=", "-p", "--", "."],
        cwd=members_dir,
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        return set()
    return {int(m.group(1)) for m in _UID_LINE.finditer(proc.stdout.decode("utf-8", errors="replace"))}


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

"""YAML loading that remembers where each value came from, and refuses what surprises.

PyYAML (with libyaml when available) builds the node tree; we walk it once to
record the line of every key and list item, and to refuse:
- duplicate keys, which plain YAML loaders silently overwrite;
- aliases (``*name``): a few nested ones expand to billions of values (the
  "billion laughs"), and hand-written registry files never need them;
- merge keys (``<<``), which would bring keys in behind the duplicate check;
- a second ``key:`` written after a value on the same line (``name: X uid:1``
  is one string to YAML).

Numbers follow the YAML 1.2 core schema (yaml.org/spec/1.2.2 §10.3.2), not
PyYAML's YAML 1.1: ``2:46:40`` (base 60 in 1.1) and ``1_000`` are strings,
``0o17`` and ``0x1F`` are integers, and an integer written with a leading zero
(``023420``: octal in 1.1, decimal in 1.2) is refused as ambiguous. Booleans
keep YAML 1.1's spellings (``yes``/``no``/``on``/``off`` besides
``true``/``false``), which every field of type boolean reports by name when it
is not one. Dates ``YYYY-MM-DD`` stay dates.

Files are read by :func:`read_regular_file`: a regular file only, never
through a symbolic link, never blocking on a FIFO or device, under a size cap.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from pic.errors import Problem, terminal_safe

Loc = tuple[str | int, ...]

_BaseLoader: type[yaml.SafeLoader]
try:
    _BaseLoader = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # libyaml missing: same behaviour, slower
    _BaseLoader = yaml.SafeLoader


MAX_FILE_BYTES = 256 * 1024  # a member file is a few hundred bytes; a stack file a few kilobytes

_LEADING_ZERO = "an integer with a leading zero"


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader with the YAML 1.2 core schema's scalars (and dates).

    An impossible date (2027-13-01) stays a string: PyYAML raises a bare
    ValueError for those; as a string it reaches the model, which reports it
    with its file, field and line.
    """

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {}


# YAML 1.2 core schema, yaml.org/spec/1.2.2 §10.3.2, plus 1.1's dates (YYYY-MM-DD) and integers
# with a leading zero, resolved to their own tag so that the walk can refuse them.
for _tag, _pattern, _first in [
    ("tag:yaml.org,2002:null", r"~|null|Null|NULL|", "~nN"),
    (
        "tag:yaml.org,2002:bool",
        r"yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
        "yYnNtTfFoO",
    ),
    ("tag:pic,2026:leading-zero", r"[-+]?0[0-9]+", "-+0"),
    ("tag:yaml.org,2002:int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)",
        "-+.0123456789",
    ),
    ("tag:yaml.org,2002:timestamp", r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "0123456789"),
]:
    _Loader.add_implicit_resolver(_tag, re.compile(rf"\A(?:{_pattern})\Z"), list(_first) or None)
_Loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"\A\Z"), [""])


def _int12(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)


def _float12(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node)).lower()
    if text.endswith((".inf", ".nan")):
        return float(text.replace(".", ""))
    return float(text)


_Loader.add_constructor("tag:yaml.org,2002:int", _int12)
_Loader.add_constructor("tag:yaml.org,2002:float", _float12)
_Loader.add_constructor("tag:pic,2026:leading-zero", lambda loader, node: loader.construct_scalar(node))


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        value: object = yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)
    return value


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


@dataclass
class Document:
    """A parsed YAML file: its data and the line of each key or item."""

    file: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """The line of the deepest known prefix of ``loc``."""
        key = tuple(loc)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), None)


def format_loc(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = terminal_safe(str(part), keep="")  # a key may hold anything: shown escaped
            out += f".{text}" if out else text
    return out


class _Walk:
    """One pass over the node tree: lines of keys and items, and the refusals of the module docstring."""

    def __init__(self, doc: Document, keys: frozenset[str]) -> None:
        self.doc = doc
        self.keys = keys
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.aliases = 0

    def problem(self, node: yaml.Node, loc: Loc, message: str) -> None:
        self.problems.append(Problem(self.doc.file, node.start_mark.line + 1, format_loc(loc), message))

    def node(self, node: yaml.Node, loc: Loc) -> None:
        if id(node) in self.seen:
            self.alias(loc)
            return
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            self.mapping(node, loc)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.doc.lines[(*loc, i)] = item.start_mark.line + 1
                self.node(item, (*loc, i))
        elif isinstance(node, yaml.ScalarNode):
            self.scalar(node, loc)

    def alias(self, loc: Loc) -> None:
        """An alias is the anchored node itself: its mark is the anchor's, so the line is its key's."""
        self.aliases += 1
        if self.aliases > _ALIASES_SHOWN:
            return
        key_loc = loc
        while key_loc and not isinstance(key_loc[-1], str):
            key_loc = key_loc[:-1]
        message = "uses an alias (*name): write the value out instead (aliases are not allowed)"
        self.problems.append(Problem(self.doc.file, self.doc.lines.get(key_loc), format_loc(loc), message))

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> None:
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge" or (key == "<<" and not key_node.style):
                self.problem(
                    key_node, loc, "uses a merge key (<<): write the keys out instead (merges are not allowed)"
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, loc, "has a key that is not a plain name")
                continue
            if key in seen:
                message = (
                    f"duplicate key (first given on line {seen[key]}); YAML keeps only one of them, so give it once"
                )
                self.problems.append(Problem(self.doc.file, line, format_loc((*loc, key)), message))
                continue
            seen[key] = line
            self.doc.lines[(*loc, key)] = line
            self.node(value_node, (*loc, key))

    def scalar(self, node: yaml.ScalarNode, loc: Loc) -> None:
        if node.tag == "tag:pic,2026:leading-zero":
            self.problem(
                node,
                loc,
                f"{node.value} is {_LEADING_ZERO}, which YAML 1.1 reads as octal and YAML 1.2 as decimal: "
                "write the number without leading zeros (or quote it if it is text)",
            )
        elif not node.style and self.keys and loc:  # plain: None (PyYAML) or "" (libyaml)
            match = _SECOND_KEY.search(node.value)
            if match is not None and match.group(1) in self.keys:
                self.problem(
                    node,
                    loc,
                    f"holds {match.group(1)!r} followed by ':' after the value: a second key on the same line "
                    "is part of the value in YAML; put each key on its own line (or quote the value)",
                )


_ALIASES_SHOWN = 3
_SECOND_KEY = re.compile(r"\s([A-Za-z_][A-Za-z0-9_]*):(?:\s|$|[^/])")


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    what = exc.problem or exc.context or "invalid YAML"
    source = text.splitlines()[line - 1] if line is not None and 0 < line <= len(text.splitlines()) else ""
    if "\t" in what or "\\t" in what or "\t" in source[: len(source) - len(source.lstrip())]:
        what = "a tab character: YAML indents with spaces only (a tab can never indent); replace the tabs by spaces"
    elif what.startswith("mapping values are not allowed"):
        what = (
            "a ':' where YAML cannot start a key: is a second key on the same line, or a value holding "
            "': ' that needs quotes?"
        )
    elif "found character" in what and "that cannot start any token" in what:
        what = f"{what} (quote the value)"
    what = terminal_safe(what, keep="")
    return Problem(file, line, "", f"invalid YAML: {what if len(what) <= 200 else what[:197] + '...'}")


def parse_yaml(text: str, file: str, keys: frozenset[str] = frozenset()) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML document; on a syntax error return the problem instead.

    ``keys``: the key names of the file's model; a plain value holding one of
    them followed by ``:`` is reported as a second key on the same line.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        doc = Document(file, None)
        if node is None:
            return doc, []
        doc.lines[()] = node.start_mark.line + 1
        walk = _Walk(doc, keys)
        walk.node(node, ())
        if walk.aliases > _ALIASES_SHOWN:
            more = walk.aliases - _ALIASES_SHOWN
            walk.problems.append(Problem(file, None, "", f"uses {more} more alias(es), not shown"))
        if walk.problems:  # never construct a tree holding aliases or merges
            return None, walk.problems
        doc.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, file)]
    except yaml.YAMLError as exc:
        return None, [Problem(file, None, "", f"invalid YAML: {str(exc)[:200]}")]
    except RecursionError:
        return None, [Problem(file, None, "", "invalid YAML: nested too deeply")]
    finally:
        loader.dispose()
    return doc, []


class _Unreadable(Exception):
    """Why a file is not read (never its content)."""


def read_regular_file(
    path: Path, file: str, limit: int = MAX_FILE_BYTES, *, follow_links: bool = False
) -> tuple[bytes | None, list[Problem]]:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes, else the problem.

    Never follows a symbolic link (``lstat``, then ``O_NOFOLLOW``) unless
    ``follow_links`` (the stack file, which the admins own; its target must
    still be a regular file), never blocks on a FIFO or a device (checked
    before opening, opened with ``O_NONBLOCK``), never reads more than
    ``limit`` + 1 bytes. The problem never quotes the content.
    """
    try:
        return _read_regular(path, limit, follow_links), []
    except _Unreadable as exc:
        return None, [Problem(file, None, "", str(exc))]


def _read_regular(path: Path, limit: int, follow_links: bool) -> bytes:
    try:
        kind = _kind((os.stat if follow_links else os.lstat)(path).st_mode)
        if kind is not None:
            raise _Unreadable(f"is {kind}, not a regular file: it is not read")
        flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0)
        if not follow_links:
            flags |= getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _Unreadable("is a symbolic link, not a regular file: it is not read") from None
        raise _Unreadable(f"cannot be read: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        kind = _kind(st.st_mode)
        if kind is not None:
            raise _Unreadable(f"is {kind}, not a regular file: it is not read")
        if st.st_size > limit:
            raise _Unreadable(f"is {st.st_size} bytes long (at most {limit}): it is not read")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise _Unreadable(f"is more than {limit} bytes long: it is not read")
        return b"".join(chunks)
    except OSError as exc:
        raise _Unreadable(f"cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, word in [
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]:
        if test(mode):
            return word
    return "a special file"


def read_yaml(
    path: Path, file: str, keys: frozenset[str] = frozenset(), *, follow_links: bool = False
) -> tuple[Document | None, list[Problem]]:
    """Read (:func:`read_regular_file`) and parse (:func:`parse_yaml`) one YAML file."""
    data, problems = read_regular_file(path, file, follow_links=follow_links)
    if data is None:
        return None, problems
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(file, None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    return parse_yaml(text, file, keys)


def is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)

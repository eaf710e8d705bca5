"""Regular expressions compiled at their first use rather than when their module is imported.

Every run of pic imports the core modules, and a pattern compiled at import costs each run its
compilation (a millisecond or more for a long alternation or a case-insensitive one), whether a
member file ever reaches it or not. The patterns of unusual inputs (a secret in a note, bash in a
cron job, a setting's off-site URL, the hints of an error message) are kept as a
:class:`LazyPattern`; those every member file meets stay ``re.compile``'d, since each call through
this class costs a little more.

A long pattern (:data:`CACHED_FROM` characters or more) takes ``re`` milliseconds to compile, in
Python, at every run: the prose forms of ``pic.secrettext`` (up to 13,000 characters) 45 ms for the
two longest, which a note holding a label and its value needs, and the 13 long patterns every
``pic check`` compiles about a tenth of a one-member check (1,137 M instructions against 1,019 M
with their programs read, callgrind). :func:`compile_cached` keeps what ``re`` compiled (the
program ``_sre`` runs) beside the modules' bytecode, as Python keeps theirs, and the next run reads
it in about 0.1 ms a pattern.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # the compiler re calls; typeshed has no stub
import hashlib
import importlib.util
import marshal
import os
import re
import stat
import sys
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

CACHED_FROM = 150
"""Characters from which :func:`compile_cached` keeps a pattern's program: a pattern of 172 characters
(``pic.validators._KEY_TYPE_WORD``) compiles in 0.4 ms and is read in 0.1 ms; a shorter one compiles
in about as long as its file takes to read."""

_CACHE_DIRECTORY = Path(importlib.util.cache_from_source(__file__)).parent

FORMAT = 2
"""The version of the files' format (their head's fields, their program's words), in their name and their head: the
checkouts of two versions of the project sharing a ``__pycache__`` (``sys.pycache_prefix``) keep their files apart
rather than each refusing and writing again the other's. Raise it with any change to what a file holds."""


READ_MOST = 16 * 1024 * 1024
"""The largest file :func:`compile_cached` and :func:`read_bundle` read (a bundle of 200 patterns holds 100 KB, the
longest pattern's program 30 KB): one larger is none of theirs (3 GB of zeros at the bundle's name took 26 s and
6.3 GB of memory to read whole and refuse)."""


def _machine() -> str:
    """What a program's words depend on besides its pattern: the interpreter's version, ``_sre``'s format and word
    size, and the byte order the words are written in (``array.tobytes``; ``sys.version`` names no processor, and
    two machines may share a ``sys.pycache_prefix``)."""
    return f"{sys.version}\0{sys.implementation.cache_tag}\0{_sre.MAGIC}\0{_sre.CODESIZE}\0{sys.byteorder}"


def cache_file(pattern: str, flags: int = 0) -> Path:
    """Where :func:`compile_cached` keeps the program of ``pattern`` compiled with ``flags``: the package's
    ``__pycache__`` (or under ``sys.pycache_prefix``), one file a pattern, named by a SHA-256 of the pattern,
    its flags and :func:`_machine` (another Python or byte order compiles anew)."""
    key = f"{_machine()}\0{int(flags)}\0{pattern}"
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return _CACHE_DIRECTORY / f"re-f{FORMAT}-{digest}.{sys.implementation.cache_tag}.sre"


def compile_cached(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, its program read from :func:`cache_file` when an earlier run wrote it.

    The file holds the arguments ``re`` gives ``_sre.compile``: the pattern, its flags and groups as JSON on
    its first line, then the program as ``_sre.CODESIZE``-byte words, with the SHA-256 of both. It is read only for
    the same pattern and flags and a program whole, and ``_sre.compile`` validates the program it is given.
    A file missing, unreadable or refused is compiled anew with ``re`` and written again, unless Python
    writes no bytecode (``PYTHONDONTWRITEBYTECODE``) or the directory is read-only; a program is written only
    when it equals (``==``: pattern, flags and program) the one ``re.compile`` gives, so a Python whose
    ``re`` builds its program otherwise gets no file and loses nothing but the time. A pattern under
    :data:`CACHED_FROM` characters is compiled by ``re`` alone. Raises ``re.error`` as ``re.compile`` does.
    """
    if len(pattern) < CACHED_FROM:
        key = (str, pattern, int(flags))
        if key not in _BUNDLED:
            _KEPT[key] = None  # a pattern of the project's own, written in its modules: kept for the next run
        return re.compile(pattern, flags)
    return _compile_cached(pattern, flags)


def put_in_re_cache(pattern: str) -> None:
    """Put ``pattern``'s program, kept as :func:`compile_cached` keeps a long one's whatever its length, in ``re``'s
    own cache, where ``re.compile`` looks first: a package that compiles it when it is imported takes it from there.
    For a short pattern whose class ``re`` is long to compile (PyYAML's reader: :mod:`pic.yamlloader`). A Python
    whose ``re`` keeps no such cache (``re._cache``, CPython 3.11 to 3.13) compiles it there as before."""
    cache = getattr(re, "_cache", None)
    if isinstance(cache, dict) and (str, pattern, 0) not in cache:  # not read already (:func:`read_bundle`)
        cache[str, pattern, 0] = _compile_cached(pattern, 0)


def _compile_cached(pattern: str, flags: int) -> re.Pattern[str]:
    """:func:`compile_cached` of a pattern whatever its length."""
    path = cache_file(pattern, flags)
    compiled = _read(path, pattern, int(flags))
    if compiled is not None:
        return compiled
    compiled = re.compile(pattern, flags)
    if not sys.dont_write_bytecode:
        arguments = _sre_arguments(pattern, int(flags), compiled)
        if arguments is not None:
            sre_flags, code, groups, groupindex, indexgroup = arguments[1:]
            body = array(_WORD, code).tobytes()
            head = {"format": FORMAT, "pattern": pattern, "flags": int(flags), "sre_flags": sre_flags, "groups": groups}
            head |= {"groupindex": groupindex, "indexgroup": indexgroup}
            head["sha256"] = _digest(head, body)
            import json  # imported at first use: its patterns are compiled after read_bundle, which keeps them

            _write(path, json.dumps(head).encode() + b"\n" + body)
    return compiled


_WORD = "I" if array("I").itemsize == _sre.CODESIZE else "L"


def _read(path: Path, pattern: str, flags: int) -> re.Pattern[str] | None:
    """The pattern :func:`compile_cached` wrote to ``path``, or None when there is none for ``pattern`` and
    ``flags`` or it is not whole. Only a regular file of :data:`READ_MOST` bytes at most is read (opened without
    waiting: a FIFO put at its name would hold the run until something wrote to it)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(handle, "rb") as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode) or status.st_size > READ_MOST:
                return None
            head, _, body = file.read(READ_MOST + 1).partition(b"\n")
        import json

        read = json.loads(head)
        if read.get("format") != FORMAT or read["pattern"] != pattern or read["flags"] != flags:
            return None
        if read.pop("sha256") != _digest(read, body):
            return None
        code = array(_WORD)
        code.frombytes(body)
        indexgroup = tuple(read["indexgroup"])
        compiled: re.Pattern[str] = _sre.compile(
            pattern, read["sre_flags"], code.tolist(), read["groups"], read["groupindex"], indexgroup
        )
    except (OSError, ValueError, TypeError, KeyError, RuntimeError, OverflowError):  # none, cut, another shape
        return None
    return compiled


def _digest(head: dict[str, Any], body: bytes) -> str:
    """The SHA-256 of a file's head (all but its ``sha256``) and program: a head damaged (its ``_sre`` flags, its
    groups or their names) is refused as a program is."""
    import json

    fields = json.dumps({key: value for key, value in head.items() if key != "sha256"}, sort_keys=True)
    return hashlib.sha256(fields.encode() + b"\n" + body).hexdigest()


def _sre_arguments(pattern: str, flags: int, compiled: re.Pattern[str]) -> tuple[Any, ...] | None:
    """The arguments ``re._compiler.compile`` (CPython 3.11 to 3.13) gives ``_sre.compile``, or None when this
    Python's ``re`` has not that shape or they do not give back ``compiled``."""
    try:
        parsed = re._parser.parse(pattern, flags)  # type: ignore[attr-defined]
        code = [int(word) for word in re._compiler._code(parsed, flags)]  # type: ignore[attr-defined]
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        arguments = (pattern, flags | int(parsed.state.flags), code, parsed.state.groups - 1, groupindex, indexgroup)
        same = _sre.compile(*arguments[:5], tuple(indexgroup)) == compiled
    except (AttributeError, TypeError, ValueError, RuntimeError, re.error):
        return None
    return arguments if same else None


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (another run reading it meanwhile sees the old file or
    none); a directory it cannot write to is left as it is."""
    import tempfile  # only when a file is written

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.chmod(temporary, Path(__file__).stat().st_mode & 0o666)  # as Python gives its bytecode
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass


# The patterns of one run kept together (:func:`read_bundle`): their keys in ``re``'s cache, (type, pattern, flags)
Key = tuple[type, str | bytes, int]
_BUNDLED: dict[Key, tuple[Any, ...]] = {}  # read from the file: its entries, by key
_KEPT: dict[Key, None] = {}  # compiled by this run, to be written (in order)
BUNDLE_MOST = 1000
"""The most patterns :func:`write_bundle` keeps: past it, those of the run alone (a pattern changed in the project's
source leaves its former text in the file until then)."""


def bundle_file() -> Path:
    """Where :func:`write_bundle` keeps the programs of the patterns a run of ``pic`` compiled, for the interpreter's
    version, ``_sre``'s format and the byte order (:func:`_machine`: another Python reads another file)."""
    digest = hashlib.sha256(_machine().encode()).hexdigest()[:32]
    return _CACHE_DIRECTORY / f"re-bundle-f{FORMAT}-{digest}.{sys.implementation.cache_tag}.sre"


def read_bundle() -> frozenset[Key]:
    """Put in ``re``'s cache the patterns :func:`write_bundle` kept (the programs ``_sre`` runs, as
    :func:`compile_cached` reads a long pattern's), where ``re.compile`` finds them: a run of ``pic`` compiled about
    200 patterns (its modules', PyYAML's, pydantic's, the standard library's), 130 M instructions of each ``pic
    check``. Returns the keys in ``re``'s cache then, for :func:`keep_compiled_since`.

    The file is read whole or not at all: its SHA-256 first, then its entries (``marshal``, as Python's bytecode),
    each program validated by ``_sre.compile``. A Python whose ``re`` keeps no such cache (``re._cache``, CPython
    3.11 to 3.13) compiles each as before."""
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return frozenset()
    try:
        handle = os.open(bundle_file(), os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(handle, "rb") as file:
            status = os.fstat(file.fileno())
            data = file.read(READ_MOST + 1) if stat.S_ISREG(status.st_mode) and status.st_size <= READ_MOST else b""
        if data[:32] == hashlib.sha256(data[32:]).digest():
            compiled = {}
            for entry in marshal.loads(data[32:]):  # noqa: S302 - pic's own file beside its bytecode, checked
                pattern, flags, sre_flags, body, groups, groupindex, indexgroup = entry
                code = array(_WORD)
                code.frombytes(body)
                compiled[type(pattern), pattern, flags] = (
                    _sre.compile(pattern, sre_flags, code.tolist(), groups, groupindex, indexgroup),
                    entry,
                )
            for key, (program, entry) in compiled.items():
                cache.setdefault(key, program)
                _BUNDLED[key] = entry
    except (OSError, ValueError, TypeError, EOFError, RuntimeError, OverflowError):  # none, cut, another shape
        pass
    return frozenset(cache)


def keep_compiled_since(before: frozenset[Key]) -> None:
    """Keep for :func:`write_bundle` the patterns ``re`` compiled since :func:`read_bundle` returned ``before``: those
    compiled while pic's modules are imported, each written in a module's source (a pattern built from what a
    command reads, a name or a value, is compiled later and never kept; nor is any pattern written to disk)."""
    cache = getattr(re, "_cache", None)
    if isinstance(cache, dict):
        _KEPT.update((key, None) for key in cache if key not in before and key not in _BUNDLED)


def write_bundle() -> None:
    """Write the file :func:`read_bundle` reads when this run compiled patterns it did not hold
    (:func:`keep_compiled_since`, :func:`compile_cached`), unless Python writes no bytecode: each program as ``re``
    compiles it (:func:`_sre_arguments`, which checks it gives the same pattern), after those read."""
    kept = [key for key in _KEPT if key not in _BUNDLED and not key[2] & re.DEBUG]
    if not kept or sys.dont_write_bytecode:
        return
    try:  # a directory that cannot be written: the programs are not made for nothing at each run
        _CACHE_DIRECTORY.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    if not os.access(_CACHE_DIRECTORY, os.W_OK):
        return
    entries = dict(_BUNDLED) if len(_BUNDLED) + len(kept) <= BUNDLE_MOST else {}
    for key in kept[:BUNDLE_MOST]:
        _, pattern, flags = key
        try:
            compiled = re.compile(pattern, flags)
        except re.error:
            continue
        arguments = _sre_arguments(pattern, flags, compiled)  # type: ignore[arg-type]
        if arguments is not None:
            _, sre_flags, code, groups, groupindex, indexgroup = arguments
            entries[key] = (
                pattern,
                flags,
                sre_flags,
                array(_WORD, code).tobytes(),
                groups,
                groupindex,
                tuple(indexgroup),
            )
    body = marshal.dumps(tuple(entries.values()))
    _write(bundle_file(), hashlib.sha256(body).digest() + body)
    _BUNDLED.update(entries)
    _KEPT.clear()


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled at the first match or search; the methods pic uses."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = compile_cached(self.pattern, self.flags)
        return self._compiled

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled().findall(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled().sub(repl, string, count)

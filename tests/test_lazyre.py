"""The patterns compiled at first use: each compiles, and answers as ``re.compile`` of the same text does."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import pic
from pic import lazyre
from pic.lazyre import CACHED_FROM, LazyPattern, cache_file, compile_cached

SAMPLES = [
    "",
    "x",
    "password=Zt8kq2LmW9",
    "echo s3cretValue | xargs -I{} mysql -p{} db",
    "$(( i ** 2 )) ${name/a/b} ${x:1} $RANDOM >&log",
    "sftp:user@host:/srv/backup s3:https://s3.example.org/bucket/path",
    "01/02/2026 2026-13-01 12 MB",
    "key:value  other:1 timeout:600 schedule:daily",
    "<object object at 0x7f0>, a@b.org; c@d.org",
    "ligne\u2028\x85\x00fin\ufeff",
    "Mot de passe : Velo2024 token: abc",
]


def _lazy_patterns() -> list[tuple[str, LazyPattern]]:
    """Every LazyPattern kept by a module of pic, by its module and name."""
    found = []
    for info in pkgutil.walk_packages(pic.__path__, "pic."):
        if info.name == "pic.__main__":  # runs pic
            continue
        module = importlib.import_module(info.name)
        found += [(f"{info.name}.{k}", v) for k, v in vars(module).items() if isinstance(v, LazyPattern)]
    return found


PATTERNS = _lazy_patterns()


def test_the_modules_keep_lazy_patterns() -> None:
    assert len(PATTERNS) >= 20


@pytest.mark.parametrize(("name", "lazy"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_a_lazy_pattern_compiles_and_answers_as_re_compile(name: str, lazy: LazyPattern) -> None:
    """A pattern that no longer compiles at import would fail only when an input first reaches it: here it does."""
    compiled = re.compile(lazy.pattern, lazy.flags)
    assert lazy.compiled().pattern == compiled.pattern and lazy.compiled().flags == compiled.flags, name

    for text in SAMPLES:
        for pos, endpos in ((0, len(text)), (1, len(text)), (0, max(len(text) - 1, 0))):
            for method in ("match", "fullmatch", "search"):
                got = getattr(lazy, method)(text, pos, endpos)
                assert _found(got) == _found(getattr(compiled, method)(text, pos, endpos)), (name, method, text)
            assert [_found(m) for m in lazy.finditer(text, pos, endpos)] == [
                _found(m) for m in compiled.finditer(text, pos, endpos)
            ], (name, text)
        assert lazy.sub("*", text) == compiled.sub("*", text), (name, text)
        assert lazy.sub(lambda m: m.group(0).upper(), text, 1) == compiled.sub(lambda m: m.group(0).upper(), text, 1)


def _found(match: re.Match[str] | None) -> object:
    return None if match is None else (match.span(), match.groups())


def test_a_lazy_pattern_compiles_once() -> None:
    lazy = LazyPattern(r"a+", re.IGNORECASE)
    assert lazy.search("xAa") is not None
    first = lazy.compiled()
    assert lazy.fullmatch("aA") is not None and lazy.compiled() is first


# The long patterns kept compiled beside the bytecode: every form of pic.secrettext's prose patterns at or above
# CACHED_FROM characters (those compile_cached is given), and patterns of each kind re's program holds (named
# groups, lookbehind, possessive and lazy repeats, backreferences, inline and given flags, classes outside ASCII).
def _long_patterns() -> list[tuple[str, str, int]]:
    from pic import secrettext

    found: dict[tuple[str, int], str] = {}
    for key, value in vars(secrettext).items():
        if isinstance(value, secrettext._Pattern):
            for source in (value.pattern, value.alone):
                if source is None:
                    continue
                for form in (source, source.replace(secrettext._PROSE_WRITTEN_WITHOUT_SPACES, "")):
                    if len(form) >= CACHED_FROM:
                        found.setdefault((form, 0), f"secrettext.{key}")
    made = (
        "|".join(
            rf"(?P<u{i}>[a-zé]++)(?::(?P<p{i}>[^@\s]{{4,}}?))?@(?P<h{i}>(?:[\w-]+\.)+[a-z]{{2,}})(?<![.-])\b"
            for i in range(8)
        ),
        "(?i)" + r"(?<![\w'’.-])(?:mot(?:s)? de passe|pass(?:word|wd)|пароль|密码|パスワード)\s*[:=]\s*(\S+)\s+\1?" * 8,
        r"(a)(b)?(?(2)c|d)(?=x)(?!y)[^\W\d_]{2,5}?" * 20,
    )
    for i, source in enumerate(made):
        found.setdefault((source, 0), f"made{i}")
        found.setdefault((source, re.IGNORECASE | re.MULTILINE), f"made{i}-flags")
    return [(name, source, flags) for (source, flags), name in found.items()]


LONG = _long_patterns()
LONG_SAMPLES = [
    *SAMPLES,
    "mot de passe : Lilas2024x!",
    "Password is⏎S3cr3tPw9".replace("⏎", "\n"),
    "marie:Lilas2024x@sftp.asso.org",
    "пароль: Лилия2024 密码：花2024 パスワード=さくら2024",
    "abdxx abcx MOT DE PASSE = abc abc",
]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "__pycache__"
    monkeypatch.setattr(lazyre, "_CACHE_DIRECTORY", directory)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return directory


def test_the_long_prose_patterns_are_kept() -> None:
    assert sum(name.startswith("secrettext.") for name, _, _ in LONG) >= 8


@pytest.mark.parametrize(("name", "source", "flags"), LONG, ids=[name for name, _, _ in LONG])
def test_a_long_pattern_read_back_is_the_one_re_compiles(
    name: str, source: str, flags: int, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written at the first compilation, read at the next, without compiling (re.compile fails if called):
    the same pattern object as re's (== compares pattern, flags and program), the same groups and matches."""
    expected = re.compile(source, flags)
    first = compile_cached(source, flags)
    assert first == expected and cache_file(source, flags).is_file(), name
    monkeypatch.setattr(re, "compile", _no_compiling)
    read = compile_cached(source, flags)
    monkeypatch.undo()
    assert read == expected and read is not first, name
    assert (read.groups, read.groupindex, read.flags) == (expected.groups, expected.groupindex, expected.flags)
    for text in LONG_SAMPLES:
        assert [_found(m) for m in read.finditer(text)] == [_found(m) for m in expected.finditer(text)], (name, text)


def _no_compiling(*args: object) -> re.Pattern[str]:
    raise AssertionError(f"compiled anew: {args!r}"[:200])


SOURCE = "|".join(rf"(?P<label{i}>mot de passe|password)\s*[:=]\s*(?P<value{i}>\S{{{6 + i},}})" for i in range(12))


def _damaged(data: bytes, other: bytes) -> list[tuple[str, bytes]]:
    head, _, body = data.partition(b"\n")
    word = bytearray(body)
    word[40:44] = (0xFFFFFF).to_bytes(4, sys.byteorder)  # an opcode no program holds
    return [
        ("empty", b""),
        ("cut in its head", data[: len(head) // 2]),
        ("cut in its program", data[: len(data) - 6]),
        ("not JSON", b"\x80\x04garbage\n" + body),
        ("another pattern's", other),
        ("a word changed", head + b"\n" + bytes(word)),
        ("another flags", json.dumps(json.loads(head) | {"flags": 2}).encode() + b"\n" + body),
        ("a letter changed", head + b"\n" + _letter_changed(body)),
    ]


def _letter_changed(body: bytes) -> bytes:
    """The program with its first literal 'm' matching 'n': a program _sre validates, that differs."""
    m = ord("m").to_bytes(4, sys.byteorder)
    at = next(i for i in range(0, len(body), 4) if body[i : i + 4] == m)
    return body[:at] + ord("n").to_bytes(4, sys.byteorder) + body[at + 4 :]


@pytest.mark.parametrize("case", range(8), ids=[name for name, _ in _damaged(b"{}\nm\0\0\0" + bytes(64), b"")])
def test_a_damaged_file_is_compiled_anew_and_written_again(case: int, cache_dir: Path) -> None:
    """A file that is not the whole program of this pattern and flags (another pattern's file at its name too:
    its pattern is read) is not used: the pattern is compiled and its file written again."""
    expected = re.compile(SOURCE)
    compile_cached(SOURCE)
    compile_cached(SOURCE.replace("password", "passwd"))
    path = cache_file(SOURCE)
    good = path.read_bytes()
    name, damaged = _damaged(good, cache_file(SOURCE.replace("password", "passwd")).read_bytes())[case]
    path.write_bytes(damaged)
    assert compile_cached(SOURCE) == expected, name
    assert path.read_bytes() == good, name


def _head_changed(data: bytes, **fields: object) -> bytes:
    head, _, body = data.partition(b"\n")
    return json.dumps(json.loads(head) | fields).encode() + b"\n" + body


HEADS_DAMAGED = {
    "groups' names swapped": {"groupindex": {"label0": 2, "value0": 1}},
    "names of another order": {"indexgroup": [None, "value0", "label0"]},
    "a group more": {"groups": 25},
    "sre flags ignoring case": {"sre_flags": 34},
    "sre flags past a C int": {"sre_flags": 2**70},
    "groups past a C size": {"groups": 2**70},
}


@pytest.mark.parametrize("fields", HEADS_DAMAGED.values(), ids=HEADS_DAMAGED)
def test_a_damaged_head_is_compiled_anew_and_written_again(fields: dict[str, object], cache_dir: Path) -> None:
    """The groups, their names and _sre's flags are read from the head, beside the program: one of them changed
    (the name of a value given another group's) is refused as the program is, not used nor raised."""
    expected = re.compile(SOURCE)
    compile_cached(SOURCE)
    path = cache_file(SOURCE)
    good = path.read_bytes()
    path.write_bytes(_head_changed(good, **fields))
    read = compile_cached(SOURCE)
    assert read == expected
    assert (read.groups, read.groupindex, read.flags) == (expected.groups, expected.groupindex, expected.flags)
    assert path.read_bytes() == good


def test_a_program_s_file_is_named_and_headed_by_its_format(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The files' names lacked a format version: two checkouts of the project sharing a ``__pycache__``
    (``sys.pycache_prefix``) whose versions write them otherwise would each refuse the other's file and write its
    own at the same name, on every run. The format is in the name and in the head, which is checked: a file of
    another format at the name is compiled anew, and another format's files are not read nor written."""
    compile_cached(SOURCE)
    path = cache_file(SOURCE)
    assert f"re-f{lazyre.FORMAT}-" in path.name, path.name
    good = path.read_bytes()
    assert json.loads(good.partition(b"\n")[0])["format"] == lazyre.FORMAT
    other = _head_changed(good, format=lazyre.FORMAT + 1)
    head, _, body = other.partition(b"\n")
    read = json.loads(head)
    read["sha256"] = lazyre._digest({k: v for k, v in read.items() if k != "sha256"}, body)
    path.write_bytes(json.dumps(read).encode() + b"\n" + body)  # whole, of another format
    assert compile_cached(SOURCE) == re.compile(SOURCE)
    assert path.read_bytes() == good
    monkeypatch.setattr(lazyre, "FORMAT", lazyre.FORMAT + 1)
    assert cache_file(SOURCE) != path
    compile_cached(SOURCE)
    assert path.read_bytes() == good and cache_file(SOURCE).exists()


def test_no_file_is_written_when_python_writes_no_bytecode(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert compile_cached(SOURCE) == re.compile(SOURCE)
    assert not cache_dir.exists()


def test_a_directory_that_cannot_be_written_leaves_the_pattern_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a file").write_text("")
    monkeypatch.setattr(lazyre, "_CACHE_DIRECTORY", tmp_path / "a file" / "__pycache__")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert compile_cached(SOURCE) == re.compile(SOURCE)
    assert compile_cached(SOURCE) == re.compile(SOURCE)


def test_flags_and_short_patterns(cache_dir: Path) -> None:
    """Each flags its own file; a pattern under CACHED_FROM characters is compiled by re, no file; a pattern re
    refuses raises re.error as re.compile does, no file."""
    assert cache_file(SOURCE) != cache_file(SOURCE, re.IGNORECASE)
    assert compile_cached(SOURCE, re.IGNORECASE) == re.compile(SOURCE, re.IGNORECASE)
    assert compile_cached(SOURCE) == re.compile(SOURCE)
    assert sorted(cache_dir.iterdir()) == sorted([cache_file(SOURCE), cache_file(SOURCE, re.IGNORECASE)])
    short = "a" * (CACHED_FROM - 1)
    assert compile_cached(short) == re.compile(short) and not cache_file(short).exists()
    with pytest.raises(re.error):
        compile_cached("(" * CACHED_FROM)
    assert not cache_file("(" * CACHED_FROM).exists()


def test_a_fifo_at_a_program_s_name_is_not_waited_for(tmp_path: Path) -> None:
    """A FIFO at the file's name held ``pic check`` until something wrote to it (read_bytes waits for a writer); it
    is not read, the pattern compiled: in a process of its own, which a wait would hold past its timeout."""
    directory = tmp_path / "__pycache__"
    directory.mkdir()
    script = (
        "import os, re, sys\n"
        "from pathlib import Path\n"
        "from pic import lazyre\n"
        "lazyre._CACHE_DIRECTORY = Path(sys.argv[1])\n"
        f"source = {SOURCE!r}\n"
        "os.mkfifo(lazyre.cache_file(source))\n"
        "assert lazyre.compile_cached(source) == re.compile(source)\n"
        "print('compiled')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(directory)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0 and done.stdout == "compiled\n", done


@pytest.fixture
def fresh_bundle(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty bundle state and a ``re`` cache of its own, as at the start of a ``pic`` process."""
    monkeypatch.setattr(lazyre, "_BUNDLED", {})
    monkeypatch.setattr(lazyre, "_KEPT", {})
    monkeypatch.setattr(re, "_cache", {})
    return cache_dir


def _one_run(imported: list[str], compiled_later: list[str]) -> None:
    """What ``pic.run`` does: the bundle read, patterns compiled as modules are imported, then as the command runs."""
    before = lazyre.read_bundle()
    for pattern in imported:
        re.compile(pattern)
    lazyre.keep_compiled_since(before)
    for pattern in compiled_later:
        re.compile(pattern)
    lazyre.write_bundle()


def test_the_patterns_compiled_at_import_are_read_back_into_re_s_cache(fresh_bundle: Path) -> None:
    imported = [r"(?P<user>[a-z]+)@(?P<host>[\w.-]+)", r"[^\x00-\u2fff]", r"(?i)mot de passe\s*:"]
    _one_run(imported, [])
    assert lazyre.bundle_file().is_file()
    programs = {key: re._cache[key] for key in list(re._cache)}  # type: ignore[attr-defined]
    re._cache.clear()  # type: ignore[attr-defined]
    lazyre._BUNDLED.clear()
    lazyre.read_bundle()
    for pattern in imported:
        read = re._cache[str, pattern, 0]  # type: ignore[attr-defined]
        assert read == programs[str, pattern, 0] and read is not programs[str, pattern, 0]
        assert read.groupindex == re._compiler.compile(pattern, 0).groupindex  # type: ignore[attr-defined]
        assert re.compile(pattern) is read
        for text in SAMPLES:
            assert _found(read.search(text)) == _found(re._compiler.compile(pattern, 0).search(text))  # type: ignore[attr-defined]


def test_a_pattern_compiled_as_a_command_runs_is_never_written(fresh_bundle: Path) -> None:
    """A pattern built from what a command reads (a member's name escaped into a search) may hold a secret: only the
    patterns compiled while pic's modules are imported, and those of :func:`compile_cached`, are written."""
    _one_run([r"[a-z]+-imported"], [re.escape("Lilas2024x!")])
    compile_cached(r"[0-9]+-cached")
    lazyre.write_bundle()
    data = lazyre.bundle_file().read_bytes()
    assert b"Lilas2024x" not in data and b"[a-z]+-imported" in data and b"[0-9]+-cached" in data


@pytest.mark.parametrize("damage", ["cut", "byte", "empty", "directory"])
def test_a_damaged_bundle_is_not_read_and_is_written_again(fresh_bundle: Path, damage: str) -> None:
    _one_run([r"[a-z]+x"], [])
    path = lazyre.bundle_file()
    data = path.read_bytes()
    if damage == "directory":
        path.unlink()
        path.mkdir()
    else:
        path.write_bytes(
            {"cut": data[:-5], "byte": data[:40] + bytes([data[40] ^ 1]) + data[41:], "empty": b""}[damage]
        )
    re._cache.clear()  # type: ignore[attr-defined]
    lazyre._BUNDLED.clear()
    _one_run([r"[a-z]+x"], [])
    if damage == "directory":
        assert path.is_dir()
    else:
        assert path.read_bytes() == data


def test_no_bundle_is_written_when_python_writes_no_bytecode(
    fresh_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    _one_run([r"[a-z]+y"], [])
    assert not fresh_bundle.exists()


def test_a_bundle_that_cannot_be_written_is_not_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``__pycache__`` that cannot be written (an installation read-only to its user): the programs are not made
    again by ``re``'s parser at each run (as long as compiling them) for a file never written."""
    (tmp_path / "a file").write_text("")
    monkeypatch.setattr(lazyre, "_CACHE_DIRECTORY", tmp_path / "a file" / "__pycache__")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(lazyre, "_BUNDLED", {})
    monkeypatch.setattr(lazyre, "_KEPT", {})
    monkeypatch.setattr(re, "_cache", {})
    made = []
    monkeypatch.setattr(lazyre, "_sre_arguments", lambda *args: made.append(args))
    _one_run([r"[a-z]+z"], [])
    assert made == []


def test_a_file_of_a_machine_of_the_other_byte_order_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The programs' words are written in the machine's byte order (``array.tobytes``), and the files were named by
    Python's version and ``_sre``'s format alone: a big-endian machine sharing a ``sys.pycache_prefix`` with a
    little-endian one, with the same Python (``sys.version`` names no processor), would read the other's file, its
    SHA-256 right, each word's bytes reversed (a literal ``A``, 0x41, read as 0x41000000), and ``_sre.compile``
    checks a program's shape, not what it matches. The byte order is in the files' names, as ``_sre``'s word size is."""
    names = (cache_file(SOURCE), cache_file(SOURCE, re.IGNORECASE), lazyre.bundle_file())
    monkeypatch.setattr(sys, "byteorder", "big" if sys.byteorder == "little" else "little")
    other = (cache_file(SOURCE), cache_file(SOURCE, re.IGNORECASE), lazyre.bundle_file())
    assert all(a != b for a, b in zip(names, other, strict=True)), (names, other)


def test_a_file_larger_than_any_written_is_not_read(fresh_bundle: Path) -> None:
    """A file at a program's or the bundle's name was read whole before its SHA-256 told it was none: 3 GB of zeros
    at the bundle's name (a sparse file, a disk's damage) made ``pic check`` take 26 s and 6.3 GB of memory, where a
    smaller machine stops with MemoryError. A file past :data:`lazyre.READ_MOST` is compiled anew, not read."""
    import tracemalloc

    compile_cached(SOURCE)
    _one_run(["[a-z]+-bundled"], [])
    for path in (cache_file(SOURCE), lazyre.bundle_file()):
        with path.open("r+b") as file:
            file.truncate(2 * lazyre.READ_MOST)
    lazyre._BUNDLED.clear()
    re._cache.clear()  # type: ignore[attr-defined]
    tracemalloc.start()
    try:
        lazyre.read_bundle()
        assert compile_cached(SOURCE) == re.compile(SOURCE)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < lazyre.READ_MOST // 2, peak
    assert (str, "[a-z]+-bundled", 0) not in lazyre._BUNDLED
    assert cache_file(SOURCE).stat().st_size < lazyre.READ_MOST  # written again

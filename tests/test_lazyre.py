"""The patterns compiled at first use: each compiles, and answers as ``re.compile`` of the same text does."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import pic
from pic.lazyre import LazyPattern

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

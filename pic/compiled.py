"""The compiled form of the modules ``pic check`` spends its time in, and when it is used.

``scripts/build-native`` compiles :data:`MODULES` with mypyc (C extensions made from these very sources, with
the types they declare) into :func:`directory`, beside :data:`SOURCES_FILE`: the digest of the package's sources
they were made from. :func:`use` (called by ``pic/__init__.py``) puts that directory first on the package's
``__path__`` only while every source of the package is the one compiled, the digest of now equal to the one
written: a source edited, added or removed since (and an extension made from it stale), and the package runs as
Python, every module from its source, until the script is run again (``make`` runs it before the demo and the
tests). ``PIC_COMPILED=0`` in the environment runs it as Python too (what bench/bench_check.py compares).

Nothing else differs: the extensions are the modules' code compiled, their behaviour the same (the test suite
runs on them); ``pic check`` on 5,000 members takes about 10 % less CPU time (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

# The modules compiled: where ``pic check`` spends the time of Python's own (bench/bench_check.py, profiled). A
# module defining pydantic models (registry, settings) is not: mypyc compiles no class with a metaclass. pic.cron
# makes mypyc fail (an internal error)
MODULES = (
    "pic.check",
    "pic.crosschecks",
    "pic.days",
    "pic.eol",
    "pic.errors",
    "pic.names",
    "pic.phpini",
    "pic.secrettext",
    "pic.validators",
    "pic.yamlsrc",
)
# mypyc's shared library of the modules above: a module of the package, found on its __path__ with them
GROUP = "pic._compiled"
SOURCES_FILE = "SOURCES"
PACKAGE = Path(__file__).resolve().parent


def directory() -> Path:
    """Where the extensions are: the interpreter's own prefix (the virtual environment), as they are built for
    that interpreter."""
    return Path(sys.prefix) / "pic-compiled"


def sources_digest(package: Path = PACKAGE) -> str:
    """The SHA-256 of the package's Python sources (every ``*.py`` under ``package``: its path and its bytes), hex.

    A compiled module's code depends on the modules it calls (their types are compiled in): any source changed
    makes the extensions stale. About 2 ms for the package's 2 MB."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def use(package_path: list[str]) -> bool:
    """Put the compiled modules' directory first on ``package_path`` (the package's ``__path__``) when they were
    made from the sources as they are; whether they are used.

    Never raises: a directory missing or unreadable, or a digest that differs, leaves the package as Python."""
    if os.environ.get("PIC_COMPILED", "1") == "0":
        return False
    compiled = directory() / "pic"
    try:
        written = (directory() / SOURCES_FILE).read_text(encoding="ascii").strip()
        if written != sources_digest():
            return False
    except (OSError, UnicodeError):
        return False
    package_path.insert(0, str(compiled))
    return True

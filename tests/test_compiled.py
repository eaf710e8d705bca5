"""The compiled modules (pic/compiled.py, scripts/build-native): used only when made from the sources as they are."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pic
from pic import compiled

ROOT = Path(__file__).resolve().parent.parent
SHOW = "import pic, pic.yamlsrc; print(pic.COMPILED, pic.yamlsrc.__file__)"


def built() -> bool:
    stamp = compiled.directory() / compiled.SOURCES_FILE
    return stamp.is_file() and stamp.read_text(encoding="ascii").strip() == compiled.sources_digest()


def run(code: str, path: Path, **env: str) -> list[str]:
    environment = {**os.environ, "PYTHONPATH": str(path), "PYTHONDONTWRITEBYTECODE": "1", **env}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=path, env=environment, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "pic", tmp_path / "pic", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_the_tests_run_on_the_compiled_modules_when_built() -> None:
    """make builds them before the tests (and CI runs make test): every module of pic.compiled.MODULES is then
    the extension, so that the suite tests what the admins run."""
    if not built():
        if os.environ.get("CI") == "true":
            pytest.fail("the compiled modules are not built for these sources: make compiled (scripts/build-native)")
        pytest.skip("the compiled modules are not built for these sources (make compiled): the tests run on Python")
    assert pic.COMPILED
    for name in compiled.MODULES:
        module = importlib.import_module(name)
        # (a module another compiled module imports first is made by mypyc's shared library, which names its file
        # under a pic/ of its own directory: pic-compiled/pic/pic/check...so; not used)
        assert Path(module.__file__ or "").is_relative_to(compiled.directory()), name
        assert ".so" in Path(module.__file__ or "").suffixes, name


def test_a_source_changed_since_they_were_compiled_runs_as_python(tmp_path: Path) -> None:
    """An edit of any source of the package (one compiled or one they call), a source added, or PIC_COMPILED=0:
    every module is read from its source, never an extension made from other code."""
    if not built():
        pytest.skip("the compiled modules are not built for these sources (make compiled)")
    package = copy_of_the_package(tmp_path)
    assert run(SHOW, package) == ["True", str(compiled.directory() / "pic" / Path(pic.yamlsrc.__file__ or "").name)]
    assert run(SHOW, package, PIC_COMPILED="0") == ["False", str(package / "pic" / "yamlsrc.py")]
    for change in ("pic/settings.py", "pic/yamlsrc.py", "pic/render/new_module.py"):
        edited = tmp_path / change.replace("/", "_")
        shutil.copytree(package / "pic", edited / "pic")
        with (edited / change).open("a", encoding="utf-8") as source:
            source.write("\n# edited\n")
        assert run(SHOW, edited) == ["False", str(edited / "pic" / "yamlsrc.py")], change


def test_the_digest_is_of_every_source_path_and_bytes(tmp_path: Path) -> None:
    package = copy_of_the_package(tmp_path) / "pic"
    first = compiled.sources_digest(package)
    assert first == compiled.sources_digest(ROOT / "pic")
    (package / "errors.py").rename(package / "errors2.py")  # the same bytes under another name
    assert compiled.sources_digest(package) != first
    (package / "errors2.py").rename(package / "errors.py")
    assert compiled.sources_digest(package) == first
    (package / "data" / "unicode_scripts.txt").write_text("not Python", encoding="utf-8")  # data: not compiled
    assert compiled.sources_digest(package) == first


def test_a_missing_or_unreadable_stamp_leaves_the_package_as_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compiled, "directory", lambda: tmp_path / "pic-compiled")
    path: list[str] = ["source"]
    assert not compiled.use(path)
    (tmp_path / "pic-compiled").mkdir()
    (tmp_path / "pic-compiled" / compiled.SOURCES_FILE).write_bytes(b"\xff\xfe")
    assert not compiled.use(path)
    (tmp_path / "pic-compiled" / compiled.SOURCES_FILE).write_text(compiled.sources_digest() + "\n", encoding="ascii")
    assert compiled.use(path)
    assert path == [str(tmp_path / "pic-compiled" / "pic"), "source"]


def test_problems_compare_and_hash_by_their_fields() -> None:
    """Problems are told once (``in``, sets) and sorted: a Problem equals another of the same fields, hashes alike and
    sorts by file, line, field and message, compiled or not (a class mypyc compiles with a comparison method of its
    own, ``__lt__``, took none of the ones the dataclass made: two equal problems were not equal)."""
    from pic.errors import Problem

    a, b = Problem("a.yaml", None, "uid", "m"), Problem("a.yaml", None, "uid", "m")
    assert a == b and (a != b) is False and hash(a) == hash(b) and len({a, b}) == 1 and a in [b]
    assert a != Problem("a.yaml", None, "uid", "m", "warning") != Problem("a.yaml", None, "uid", "m", faults=2)
    assert sorted([Problem("b.yaml", 1, "", "m"), Problem("a.yaml", 2, "", "m"), a]) == [
        a,
        Problem("a.yaml", 2, "", "m"),
        Problem("b.yaml", 1, "", "m"),
    ]


def test_no_compiled_dataclass_defines_a_comparison_of_its_own() -> None:
    """mypyc's class of a dataclass defining a rich comparison (``__lt__``) answers the ones the dataclass made
    (``__eq__``) NotImplemented: such a class is left to Python (``mypyc_attr(native_class=False)``)."""
    import ast

    comparisons = {"__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__"}
    for name in compiled.MODULES:
        tree = ast.parse((ROOT / (name.replace(".", "/") + ".py")).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            decorators = [ast.unparse(d) for d in node.decorator_list]
            defined = {f.name for f in node.body if isinstance(f, ast.FunctionDef)} & comparisons
            if any(d.startswith("dataclass") for d in decorators) and defined:
                assert "mypyc_attr(native_class=False)" in decorators, (name, node.name, sorted(defined))


# A member giving every field, one a line: each odd member file is it with one line's value (a field's, a list
# item's) replaced by a value of another type or an odd form
ODD_BASE = """\
name: Odd Member
contact:
  name: Odd Contact
  email: odd@odd-asso.fr
  language: fr
uid: 10700
host: web1
status: active
notes: the board's site
site:
  domains:
    - odd-asso.fr
    - www.odd-asso.fr
  php: "7.4"
  https: true
  php_settings:
    memory_limit: 256M
    max_execution_time: 120
    date.timezone: Europe/Paris
    display_errors: false
access:
  sftp_keys:
    - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBBBBvAqbyVZ8e/bkxxIyZTS0bDUe+4wzaNMw+HxnWcK odd@laptop
  ssh: true
databases:
  - main
  - forum
database_charsets:
  main: utf8mb4
cron:
  - schedule: daily
    command: php artisan schedule:run
    timeout: 60
limits:
  memory_mb: 512
  cpus: 1.5
  pids: 100
  disk_soft_limit_mb: 2000
lists:
  domain: listes.odd-asso.fr
  dmarc: reject
exceptions:
  php_eol:
    runtime: "7.4"
    until: 2027-01-31
    reason: the new site is being built
"""
ODD_VALUES = (
    "7",
    "-1",
    "3.5",
    ".nan",
    "1e400",
    "true",
    "null",
    "[1, a]",
    "{a: 1}",
    "2026-01-01",
    "2026-01-01T10:00:00",
    "'" + "x" * 3000 + "'",
    "'é漢字 Ωμέγα'",
    '"a\\x01b\\tc"',
    '"utf8\\0"',
    "''",
    "'password: hunter2'",
    "'10700'",
    "'ATELIER.odd-asso.fr.'",
    "'xn--80ak6aa92e.com'",
    "'*.odd-asso.fr'",
    "'192.0.2.1'",
    "'example.com'",
    "'8.4'",
    "'latin1_swedish_ci'",
    "'61 25 * * *'",
    "'256Q'",
    "{1: x, null: y, 2026-01-01: z}",
)


def odd_members(directory: Path) -> None:
    """The examples, and a member file for each line of :data:`ODD_BASE` and value of :data:`ODD_VALUES` (the value
    replacing the line's, or added as a key of an odd type under it)."""
    shutil.copytree(ROOT / "members", directory)
    for twin in ("odd-twin.yaml", "odd-twin-2.yaml"):  # two members of the same names: the checks across files
        (directory / twin).write_text(ODD_BASE, encoding="utf-8")
    (directory / "odd-keys.yaml").write_text(ODD_BASE + "1: x\nnull: y\ntrue: z\n2026-01-01: w\n", encoding="utf-8")
    count = 0
    for i, line in enumerate(ODD_BASE.splitlines()):
        head, sep, _ = line.partition(": ") if ": " in line else line.partition("- ")
        for value in ODD_VALUES:
            count += 1  # each member names of its own, so that each is also checked against the others'
            own = (
                ODD_BASE.replace("10700", str(10700 + count))
                .replace("odd", f"odd{count}")
                .replace("Odd", f"Odd{count}")
            )
            lines = own.splitlines()
            lines[i] = f"{head}{sep or ': '}{value}"
            (directory / f"odd-{count}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_pic_check_says_the_same_compiled_and_as_python(tmp_path: Path) -> None:
    """The compiled modules behave as their sources: ``pic check`` of odd member files (every field given values
    of other types and odd forms) and the examples prints the same, and exits with the same status, as with
    PIC_COMPILED=0 (values whose type is not the one annotated, where compiled code checks the annotation)."""
    if not built():
        pytest.skip("the compiled modules are not built for these sources (make compiled)")
    odd_members(tmp_path / "members")
    command = [sys.executable, "-m", "pic", "check", "--members", str(tmp_path / "members"), "--on", "2026-11-28"]
    done = {}
    for setting in ("1", "0"):
        environment = {**os.environ, "PYTHONPATH": str(ROOT), "PIC_COMPILED": setting}
        done[setting] = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False)
    assert "Traceback" not in done["0"].stderr, done["0"].stderr[-3000:]
    assert done["0"].returncode == 1 and "odd-1.yaml" in done["0"].stderr, done["0"].stderr[-3000:]
    assert (done["1"].returncode, done["1"].stdout) == (done["0"].returncode, done["0"].stdout)
    assert done["1"].stderr.splitlines() == done["0"].stderr.splitlines()


def test_a_function_s_import_leaves_the_module_s_own_name_alone() -> None:
    """mypyc binds a name a function imports (``from pic.secrettext import reads_as_secret``) in the module's
    globals: once pic.errors had read a text, its own reads_as_secret was pic.secrettext's (a caller importing it
    then, as pic.lists_audit imported late by pic check, called the other function: TypeError for its 3 arguments).
    No function of a compiled module imports a name the module binds otherwise."""
    import ast

    from pic import errors, secrettext, yamlsrc

    own, in_yamlsrc = errors.reads_as_secret, vars(yamlsrc)["reads_as_secret"]  # imported from pic.errors
    errors._text_reads_as_secret.cache_clear()
    assert errors.reads_as_secret("Azerty123", line="  Azerty123", above="  Mot de passe du wifi")
    assert secrettext.reads_as_secret("mot de passe: Azerty123")
    yamlsrc.show_written({(): "x"}, ("a",), "mdp: Azerty123")
    assert errors.reads_as_secret is own and vars(yamlsrc)["reads_as_secret"] is in_yamlsrc is own
    for name in compiled.MODULES:
        tree = ast.parse((ROOT / (name.replace(".", "/") + ".py")).read_text(encoding="utf-8"))
        bound: dict[str, str] = {}
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                bound[node.name] = f"{name}.{node.name}"
            elif isinstance(node, ast.ImportFrom):
                bound.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                bound.update({t.id: f"{name}.{t.id}" for t in targets if isinstance(t, ast.Name)})
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(function):
                if isinstance(inner, ast.ImportFrom):
                    for a in inner.names:
                        local = a.asname or a.name
                        assert bound.get(local, f"{inner.module}.{a.name}") == f"{inner.module}.{a.name}", (
                            name,
                            function.name,
                            local,
                            bound[local],
                        )

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

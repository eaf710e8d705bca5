"""The compiled modules (pic/compiled.py, scripts/build-native): used only when made from the sources as they are."""

from __future__ import annotations

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
        module = sys.modules.get(name) or __import__(name, fromlist=["_"])
        assert Path(module.__file__ or "").parent == compiled.directory() / "pic", name
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

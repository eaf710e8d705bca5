"""A private Docker engine for the tests: ``scripts/dockerd-private`` in a network namespace of its own,
the base images of ``scripts/build-base-image``, and an apt proxy for the builds.

The engine's directory (``PIC_TEST_ENGINE_DIR``, default /var/cache/pic-images/engine) is kept
between runs so that images built once are reused (the build scripts skip an existing tag);
remove it for a cold run. An engine already answering on that directory's socket is used as
it is and left running; one this module started is stopped (by its pid) at the end of the
session, failed or not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from lab.apt_proxy import AptProxy
from lab.platform import Engine
from tests.conftest import ROOT, require_program, require_root

ENGINE_DIR = Path(os.environ.get("PIC_TEST_ENGINE_DIR", "/var/cache/pic-images/engine"))
NETNS = os.environ.get("PIC_TEST_ENGINE_NETNS", "containers-engine")
RELEASES = ("bullseye", "bookworm", "trixie")
SCRIPTS = ROOT / "scripts"


def _answers(socket: Path) -> bool:
    if not socket.exists():
        return False
    done = subprocess.run(["docker", "-H", f"unix://{socket}", "version"], capture_output=True, check=False, timeout=30)
    return done.returncode == 0


def base_image_ids(docker_host: str, releases: tuple[str, ...] = RELEASES) -> dict[str, str]:
    """Build (or reuse) pic/debian:<release> on the engine, the releases side by side; release -> image ID."""
    env = {**os.environ, "DOCKER_HOST": docker_host}

    def build(release: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(SCRIPTS / "build-base-image"), release], env=env, capture_output=True, text=True, check=False,
            timeout=1800,
        )  # fmt: skip

    with ThreadPoolExecutor(max_workers=len(releases)) as pool:
        results = dict(zip(releases, pool.map(build, releases), strict=True))
    ids = {}
    for release, done in results.items():
        if done.returncode != 0:
            raise RuntimeError(f"build-base-image {release} failed:\n{done.stderr[-3000:]}")
        ids[release] = done.stdout.strip().splitlines()[-1]
    return ids


@pytest.fixture(scope="session")
def docker_engine() -> Iterator[Engine]:
    """The private engine, its base images built; yields an Engine (stopped at the end if started here)."""
    require_root("dockerd, debootstrap and network namespaces")
    for program in ("dockerd", "debootstrap", "nsenter", "nft"):
        require_program(program)
    if shutil.which("docker") is None:
        require_program("docker")
    ENGINE_DIR.mkdir(parents=True, exist_ok=True)
    socket = ENGINE_DIR / "docker.sock"
    started = False
    if not _answers(socket):
        done = subprocess.run(
            [str(SCRIPTS / "dockerd-private"), "start", str(ENGINE_DIR), NETNS],
            capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"dockerd-private start failed:\n{done.stderr}")
        started = True
    proxy = None
    try:
        proxy = AptProxy(f"/var/run/netns/{NETNS}", port=0)
        yield Engine(f"unix://{socket}", NETNS, proxy.url)
    finally:
        if proxy is not None:
            proxy.stop()
        if started:
            subprocess.run(
                [str(SCRIPTS / "dockerd-private"), "stop", str(ENGINE_DIR), NETNS],
                capture_output=True, check=False, timeout=120,
            )  # fmt: skip

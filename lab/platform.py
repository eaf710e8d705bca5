"""Run the platform's containers for real: what the program registers, created on a private engine.

The program runs under the plan engine's mocks (``pic.plan.engine.run_program``);
from what it recorded, :class:`Lab`:

- builds every image by running the very build scripts the program sends to
  the web host (``*-build`` commands: PhpRuntime, the Caddy image,
  phpMyAdmin), with the private engine as ``DOCKER_HOST``;
- writes the files the program places on the host that the containers read
  (the proxy's Caddyfile, the members' logrotate rules);
- creates the members' directories as the member space script does (owner
  and modes), without making accounts on this machine;
- creates the network and every container from their recorded inputs
  (``lab.docker_inputs``), and on a later run replaces only the containers
  whose inputs changed, as ``pulumi up`` does for a replacement.

Host paths outside the members' root live under ``root`` (several labs share
one machine). Certificates are the caller's to write (the mocks' are not
real), in :meth:`Lab.host_path` of ``pic.render.web.CERTS_DIR``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker

from components.hostcmd import script_files
from lab.docker_inputs import INPUTS_LABEL, container_spec, create_container, create_network
from pic.plan.engine import Record, Run, run_program

CONTAINER = "docker:index/container:Container"
NETWORK = "docker:index/network:Network"
# Files placed by the program that the containers or the lab's checks read.
PLACED_PREFIXES = ("/etc/pic/caddy/", "/etc/logrotate.d/", "/etc/pic/mail/")
# Debian's docker CLI: its `docker build` is the classic builder, as on the web hosts.
SCRIPT_PATH = "/usr/bin:/usr/sbin:/bin:/sbin"


@dataclass(frozen=True)
class Engine:
    """A private Docker engine running in network namespace ``netns``."""

    docker_host: str
    netns: str
    apt_proxy: str  # http_proxy for builds, inside the namespace

    @property
    def netns_path(self) -> str:
        return f"/var/run/netns/{self.netns}"

    def client(self) -> docker.DockerClient:
        return docker.DockerClient(base_url=self.docker_host, timeout=600)

    def in_netns(self, *args: str, timeout: float = 120, input: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run a program in the engine's network namespace (where the published ports are)."""
        return subprocess.run(
            ["nsenter", f"--net={self.netns_path}", *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
            input=input,
        )


def by_type(run: Run, typ: str) -> list[Record]:
    return [r for r in run.records if r.type == typ]


def _plain(value: Any) -> Any:
    """A recorded input with its secret wrapper removed (the lab needs the value itself)."""
    if isinstance(value, dict) and "value" in value and len(value) == 2:
        return value["value"]
    return value


class Lab:
    """One web host's containers on a private engine."""

    def __init__(self, engine: Engine, root: Path, members_root: str) -> None:
        self.engine = engine
        self.client = engine.client()
        self.root = root
        self.members_root = members_root.rstrip("/")

    def host_path(self, path: str) -> str:
        """Where the lab keeps a path of the web host: members' files as they are, the rest under root."""
        if path == self.members_root or path.startswith(self.members_root + "/"):
            return path
        return str(self.root) + path

    @staticmethod
    def plan(project: Path, stack: str, members: Path | None = None) -> Run:
        return run_program(project, stack, members)

    def build_images(self, run: Run, *, parallel: int = 2) -> list[str]:
        """Run every recorded image build script on the private engine, ``parallel`` at a time.

        Returns their outputs in the program's order; raises RuntimeError naming the first that failed.
        """
        env = {
            "PATH": SCRIPT_PATH,
            "DOCKER_HOST": self.engine.docker_host,
            "DOCKER_BUILDKIT": "0",
            "http_proxy": self.engine.apt_proxy,
            "HOME": os.environ.get("HOME", "/root"),
        }
        builds = [r for r in run.records if r.type.startswith("command:") and r.name.endswith("-build")]

        def build(record: Record) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                ["sh", "-eu", "-s"],
                input=str(_plain(record.inputs["stdin"])),
                env=env,
                capture_output=True,
                text=True,
                check=False,
                timeout=3600,
            )

        with ThreadPoolExecutor(max_workers=parallel) as pool:
            results = list(pool.map(build, builds))
        for record, done in zip(builds, results, strict=True):
            if done.returncode != 0:
                raise RuntimeError(
                    f"{record.name} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
                )
        return [done.stdout for done in results]

    def place_files(self, run: Run) -> list[Path]:
        """Write the files the program places under PLACED_PREFIXES, at their lab paths."""
        placed = []
        for record in run.records:
            if not record.type.startswith("command:"):
                continue
            stdin = str(_plain(record.inputs.get("stdin", "")))
            match = re.search(r"tmp=\$\(mktemp (\S+)\.XXXXXX\)", str(_plain(record.inputs.get("create", ""))))
            if match is not None:  # place_file: the content is the command's input
                files = {shlex.split(match.group(1).replace("\\'", "'"))[0]: stdin}
            elif " sh -eu -s -- " in str(_plain(record.inputs.get("create", ""))):  # place_files: a script
                files = {path: content for path, (content, _) in script_files(stdin).items()}
            else:
                continue
            for path, content in files.items():
                if not path.startswith(PLACED_PREFIXES):
                    continue
                target = Path(self.host_path(path))
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content)
                placed.append(target)
        return placed

    def make_member_space(self, slug: str, uid: int, dirs: Iterable[str]) -> Path:
        """A member's directories with the owners and modes of member-space.sh.j2 (no account made)."""
        root = Path(self.members_root)
        root.mkdir(parents=True, exist_ok=True)
        root.chmod(0o711)
        home = root / slug
        home.mkdir(exist_ok=True)
        os.chown(home, 0, uid)
        home.chmod(0o750)
        for sub in dirs:
            d = home / sub
            d.mkdir(exist_ok=True)
            os.chown(d, uid, uid)
            d.chmod(0o750 if sub in ("www", "log") else 0o700)
        return home

    def host_dirs(self, paths: Iterable[str]) -> None:
        for path in paths:
            Path(self.host_path(path)).mkdir(parents=True, exist_ok=True)

    def apply(self, run: Run, *, uploads_override: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
        """Networks and containers as recorded: unchanged ones kept, changed ones replaced, others removed.

        Returns container name -> id. ``uploads_override`` maps a container
        name to {path: content} for uploads whose content the mocks cannot know.
        """
        for record in by_type(run, NETWORK):
            name = record.inputs["name"]
            if not self.client.networks.list(names=[name]):
                create_network(self.client, record.inputs)
        wanted = {}
        # Sites first, the proxy and phpMyAdmin after: the order of dependencies in the program.
        records = sorted(by_type(run, CONTAINER), key=lambda r: not r.inputs["name"].startswith("pic-site-"))
        for record in records:
            spec = container_spec(
                record.inputs,
                host_path=self.host_path,
                uploads_override=(uploads_override or {}).get(record.inputs["name"]),
            )
            wanted[spec.name] = spec
            existing = self._container(spec.name)
            if existing is not None and existing.labels.get(INPUTS_LABEL) == spec.digest:
                if existing.status != "running":
                    existing.start()
                continue
            if existing is not None:
                existing.remove(force=True)
            create_container(self.client, spec).start()
        for container in self.client.containers.list(all=True, filters={"label": INPUTS_LABEL}):
            if container.name not in wanted:
                container.remove(force=True)
        return {name: str(self.client.containers.get(name).id) for name in wanted}

    def _container(self, name: str) -> Any:
        try:
            return self.client.containers.get(name)
        except docker.errors.NotFound:
            return None

    def reset(self) -> None:
        """Remove every container and network the lab made (images stay: builds are slow)."""
        for container in self.client.containers.list(all=True, filters={"label": INPUTS_LABEL}):
            container.remove(force=True)
        for network in self.client.networks.list():
            if network.name not in ("bridge", "host", "none"):
                network.remove()

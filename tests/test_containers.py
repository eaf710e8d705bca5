"""The platform's containers for real, on a private Docker engine (tests/dockerd.py).

The example registry under a lab stack (the prod settings with the runtimes Debian carries:
7.4 on bullseye, 8.2 on bookworm, 8.4 on trixie, the base images pinned by the IDs built
here). The program runs under the plan engine's mocks; its build scripts build the images and
its recorded container inputs create the containers (lab/). A member on a runtime Debian does
not carry (8.3 in the example) is moved to the newest lab runtime below it, as an admin would
move it: that is the one change made to the example registry.

Checked from outside (through the front proxy, with each member's own certificate) and from
inside the containers (docker exec, as the member): versions, states, isolation, limits, logs,
a runtime move, phpMyAdmin against a real MariaDB over TLS.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import html
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography.hazmat.primitives.serialization import Encoding

from lab.apt_proxy import in_netns
from lab.docker_inputs import UnknownInput, container_spec
from lab.platform import CONTAINER, Engine, Lab, by_type
from pic import eol, phpini
from pic.check import check
from pic.plan.engine import Run
from pic.registry import Member
from pic.render import cron as membercron
from pic.render import db as rdb
from pic.render import sitemail, web
from pic.settings import Settings, version_key
from tests import tlsutil
from tests.conftest import MEMBERS, ROOT
from tests.dockerd import base_image_ids, docker_engine
from tests.mariadb_server import ENDPOINT_PROGRAM, MariaDB, cleanup, start_mariadb
from tests.site_relay import Relay, running_relay

__all__ = ["docker_engine"]  # the session fixture, used through `world`

pytestmark = pytest.mark.daemon

STACK = "lab"
# The runtimes whose PHP Debian carries, on the release that carries it (legacy, current, newest).
LAB_RUNTIMES = {"7.4": "bullseye", "8.2": "bookworm", "8.4": "trixie"}
# The Debian mirror this machine reaches lacks php7.4-bcmath at bullseye-security's version.
LAB_WITHOUT = {"7.4": ["bcmath"]}
DB_ADDRESS = "10.0.0.10"  # the db host's private address in the prod settings
PMA_CA = "/etc/phpmyadmin/db-ca.pem"


@dataclass
class World:
    engine: Engine
    lab: Lab
    project: Path
    members_dir: Path
    settings: Settings
    members: dict[str, Member]
    ca: Path  # the CA of the members' certificates
    certs: dict[str, bytes]  # slug -> DER of the member's certificate
    run: Run
    ids: dict[str, str]
    db: MariaDB
    tmp: Path

    def states(self) -> dict[str, str]:
        return {s: eol.site_state(m, self.settings, dt.date.today()) for s, m in self.members.items()}

    def running(self, php: bool | None = None) -> list[Member]:
        states = self.states()
        return [
            m
            for m in self.members.values()
            if states[m.slug] == "running" and (php is None or (m.runtime is not None) == php)
        ]

    def get(self, url: str, *, ca: Path | None = None, extra: tuple[str, ...] = ()) -> tuple[int, str]:
        """GET through the front proxy (published on the engine's namespace loopback); (status, body)."""
        host = url.split("/")[2]
        done = self.engine.in_netns(
            "curl", "-sS", "--max-time", "20", "-o", "-", "-w", "\n%{http_code}",
            "--resolve", f"{host}:443:127.0.0.1", "--resolve", f"{host}:80:127.0.0.1",
            "--cacert", str(ca or self.ca), *extra, url,
        )  # fmt: skip
        assert done.returncode == 0, f"curl {url}: {done.stderr}"
        body, _, status = done.stdout.rpartition("\n")
        return int(status), body

    def served_cert(self, domain: str) -> bytes:
        """DER of the certificate the proxy serves for ``domain``."""
        context = ssl.create_default_context(cafile=str(self.ca))
        with in_netns(self.engine.netns_path):
            raw = socket.create_connection(("127.0.0.1", 443), timeout=10)
        with raw, context.wrap_socket(raw, server_hostname=domain) as tls:
            der = tls.getpeercert(binary_form=True)
        assert der is not None
        return der

    def exec(self, slug: str, *cmd: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run a command in the member's site container, as the container's user (the member)."""
        return subprocess.run(
            ["docker", "-H", self.engine.docker_host, "exec", web.site_container_name(slug), *cmd],
            capture_output=True, text=True, check=False, timeout=timeout,
        )  # fmt: skip

    def inspect(self, name: str) -> Any:
        return self.lab.client.api.inspect_container(name)

    def logs(self, name: str) -> str:
        return str(self.lab.client.containers.get(name).logs(tail=40).decode(errors="replace"))

    def address(self, slug: str) -> str:
        networks = self.inspect(web.site_container_name(slug))["NetworkSettings"]["Networks"]
        return str(networks[web.NETWORK]["IPAddress"])


def _lab_project(tmp: Path, base_ids: dict[str, str]) -> tuple[Path, Path]:
    """A project directory: the program and its code, a lab stack file, a copy of the example members."""
    project = tmp / "project"
    project.mkdir()
    for entry in ROOT.iterdir():
        if entry.name in ("members", "__main__.py", ".venv", ".git") or entry.name.startswith("Pulumi."):
            continue
        (project / entry.name).symlink_to(entry)
    shutil.copy2(ROOT / "__main__.py", project / "__main__.py")
    shutil.copy2(ROOT / "Pulumi.yaml", project / "Pulumi.yaml")
    stack = yaml.safe_load((ROOT / "Pulumi.prod.yaml").read_text())
    config = stack["config"]
    prod_runtimes = config["pic:runtimes"]
    config["pic:runtimes"] = {
        key: {"debian": release, "eol": prod_runtimes[key]["eol"], "without_extensions": LAB_WITHOUT.get(key, [])}
        for key, release in LAB_RUNTIMES.items()
    }
    config["pic:base_images"] = base_ids
    config["pic:members_root"] = str(tmp / "members")
    config["pic:tls"] = {**config["pic:tls"], "ca": "internal"}
    (project / f"Pulumi.{STACK}.yaml").write_text(yaml.safe_dump(stack, allow_unicode=True))
    members = project / "members"
    members.mkdir()
    lab_keys = sorted(LAB_RUNTIMES, key=version_key)
    for path in sorted(MEMBERS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        php = (data.get("site") or {}).get("php")
        if php is not None and php != "none" and php not in LAB_RUNTIMES:
            below = [k for k in lab_keys if version_key(k) < version_key(php)]
            data["site"]["php"] = below[-1] if below else lab_keys[0]
        (members / path.name).write_text(yaml.safe_dump(data, allow_unicode=True))
    return project, members


def _chown(path: Path, uid: int) -> None:
    os.chown(path, uid, uid)


def _fill_space(lab: Lab, member: Member) -> None:
    home = lab.make_member_space(member.slug, member.uid, web.MEMBER_DIRS)
    files = {
        "priv/secret.txt": f"secret of {member.slug}\n",
        "db/main.sql": f"-- dump of {member.slug}\n",
        "log/old.txt": f"old log of {member.slug}\n",
    }
    if member.runtime is not None:
        files["www/index.php"] = (
            f'<?php echo "member={member.slug} php=", phpversion(), " uid=", posix_getuid(), "\\n";\n'
        )
    else:
        files["www/index.html"] = f"static site of {member.slug}\n"
    for rel, text in files.items():
        target = home / rel
        if not target.exists():
            target.write_text(text)
        _chown(target, member.uid)
        target.chmod(0o640)


def _setup_db_address(engine: Engine) -> None:
    """The db host's private address, local to the engine's namespace: containers reach it by their gateway."""
    addresses = engine.in_netns("ip", "-o", "addr", "show", "dev", "lo").stdout
    if f"{DB_ADDRESS}/32" not in addresses:
        done = engine.in_netns("ip", "addr", "add", f"{DB_ADDRESS}/32", "dev", "lo")
        assert done.returncode == 0, done.stderr


@contextlib.contextmanager
def site_endpoint(world: World, log: Path, ca: str | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """The web host's database endpoint (pic-db-endpoint.service's command line, as rendered) in the
    engine's namespace, on the containers' gateway, towards the db host's address; stopped after."""
    unit = rdb.endpoint_service(
        listen_address=web.NETWORK_GATEWAY,
        server_address=DB_ADDRESS,
        server_port=world.settings.db.port,
        server_name=DB_ADDRESS,
        ca_file=ca or world.db.ca,
        program=str(ENDPOINT_PROGRAM),
    )
    exec_start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    started = log.read_text().count("listening on") if log.exists() else 0
    with log.open("ab") as err:
        process = subprocess.Popen(
            ["nsenter", f"--net={world.engine.netns_path}", *shlex.split(exec_start.removeprefix("ExecStart="))],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        deadline = time.monotonic() + 30
        while log.read_text().count("listening on") == started:
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_answering(world: World) -> None:
    deadline = time.monotonic() + 120
    pending = {m.slug: m for m in world.running()}
    while pending and time.monotonic() < deadline:
        for slug, m in list(pending.items()):
            scheme = "https" if m.site and m.site.https else "http"
            try:
                status, _ = world.get(f"{scheme}://{m.site.domains[0] if m.site else ''}/")
            except AssertionError:  # the proxy is not listening yet
                continue
            if status == 200:
                del pending[slug]
        time.sleep(1)
    if pending:
        logs = {
            name: world.lab.client.containers.get(name).logs(tail=30).decode(errors="replace")
            for name in [web.PROXY_CONTAINER, *(web.site_container_name(s) for s in pending)]
        }
        raise AssertionError(f"sites not answering through the proxy: {sorted(pending)}; logs: {logs}")


def apply_isolation(engine: Engine) -> None:
    done = engine.in_netns("nft", "-f", "-", input=web.render_site_isolation())
    assert done.returncode == 0, done.stderr


def remove_isolation(engine: Engine) -> None:
    engine.in_netns("nft", "delete", "table", "bridge", "pic_isolation")


@pytest.fixture(scope="module")
def world(docker_engine: Engine) -> Iterator[World]:
    engine = docker_engine
    base_ids = base_image_ids(engine.docker_host, tuple(sorted(set(LAB_RUNTIMES.values()))))
    Path("/srv").mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="pic-lab-", dir="/srv"))  # pic:members_root may not lie in /var/tmp
    tmp.chmod(0o755)
    db: MariaDB | None = None
    lab: Lab | None = None
    try:
        project, members_dir = _lab_project(tmp, base_ids)
        checked = check(project, STACK, members_dir, dt.date.today())
        settings = checked.settings
        members = {m.slug: m for m in checked.registry}
        run = Lab.plan(project, STACK)
        lab = Lab(engine, tmp / "host", settings.members_root)
        lab.reset()
        remove_isolation(engine)
        lab.build_images(run)
        for m in members.values():
            if m.site is not None and m.status != "archived":
                _fill_space(lab, m)
        ca = tlsutil.make_ca()
        ca_file = tmp / "members-ca.pem"
        ca_file.write_bytes(ca.pem)
        certs_dir = Path(lab.host_path(web.CERTS_DIR))
        certs = {}
        for m in members.values():
            if web.needs_certificate(m) and m.site is not None:
                cert = tlsutil.write_member_cert(ca, certs_dir, m.slug, list(m.site.domains))
                certs[m.slug] = cert.public_bytes(Encoding.DER)
        proxy = next(r for r in by_type(run, CONTAINER) if r.inputs["name"] == web.PROXY_CONTAINER)
        lab.host_dirs([web.CADDY_DATA, web.CADDY_CONFIG, web.ACME_WEBROOT, web.CADDY_DIR])
        lab.host_dirs(v["hostPath"] for v in proxy.inputs.get("volumes", []))
        lab.place_files(run)
        _setup_db_address(engine)
        (tmp / "db").mkdir()
        db = start_mariadb(tmp / "db", address=DB_ADDRESS, port=settings.db.port, netns=engine.netns_path)
        ids = lab.apply(run, uploads_override={web.PHPMYADMIN_CONTAINER: {PMA_CA: Path(db.ca).read_text()}})
        apply_isolation(engine)
        w = World(engine, lab, project, members_dir, settings, members, ca_file, certs, run, ids, db, tmp)
        _wait_until_answering(w)
        yield w
    finally:
        if lab is not None:
            lab.reset()
        remove_isolation(engine)
        if db is not None:
            cleanup(db)
        engine.in_netns("ip", "addr", "del", f"{DB_ADDRESS}/32", "dev", "lo")
        if not os.environ.get("PIC_KEEP_TEST_ROOT"):
            shutil.rmtree(tmp, ignore_errors=True)


def _member(world: World, *, php: bool, https: bool | None = None, other_than: str = "") -> Member:
    for m in world.running(php=php):
        if m.slug != other_than and (https is None or (m.site is not None and m.site.https == https)):
            return m
    raise AssertionError(f"the lab registry has no running {'PHP' if php else 'static'} site besides {other_than}")


# --- images ---------------------------------------------------------------------------------------


def test_three_runtimes_built_from_debian_with_the_recorded_tags(world: World) -> None:
    """Legacy, current and newest PHP are built, each from its Debian release, under the tag of the settings."""
    tags = {t for image in world.lab.client.images.list() for t in image.tags}
    for key in LAB_RUNTIMES:
        image = web.php_image(world.settings, key)
        assert image.tag in tags, f"runtime {key}: {image.tag} not built"
        assert image.base == world.settings.base_images[LAB_RUNTIMES[key]]
        done = subprocess.run(
            ["docker", "-H", world.engine.docker_host, "run", "--rm", "--network", "none", image.tag,
             "php", "-r", "echo PHP_VERSION;"],
            capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
        assert done.stdout.startswith(f"{key}."), f"image {image.tag} runs PHP {done.stdout!r} {done.stderr}"
        # zone names pic accepts for date.timezone, old ones too (tzdata-legacy from trixie on)
        zones = ["Europe/Paris", "US/Eastern", "Europe/Kiev", "EST5EDT", "America/Argentina/Buenos_Aires"]
        assert set(zones) <= phpini.timezones()
        code = 'foreach (array_slice($argv, 1) as $z) { if (!@date_default_timezone_set($z)) echo $z, "\\n"; }'
        done = subprocess.run(
            ["docker", "-H", world.engine.docker_host, "run", "--rm", "--network", "none", image.tag,
             "php", "-r", code, "--", *zones],
            capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0 and done.stdout == "", f"PHP {key} lacks the zones {done.stdout.split()}"
    for image in (web.caddy_image(world.settings), web.phpmyadmin_image(world.settings)):
        assert image.tag in tags


def test_image_builds_are_reproducible_from_the_settings(world: World) -> None:
    """Same settings, same tags (the program's and a second evaluation); a new base, a new tag; a build of an
    existing tag is skipped."""
    again = Lab.plan(world.project, STACK)
    images = sorted(r.inputs["image"] for r in by_type(world.run, CONTAINER))
    assert images == sorted(r.inputs["image"] for r in by_type(again, CONTAINER))
    for key, release in LAB_RUNTIMES.items():
        assert web.php_image(world.settings, key) == web.php_image(world.settings, key)
        moved = world.settings.model_copy(
            update={"base_images": {**world.settings.base_images, release: "sha256:" + "0" * 64}}
        )
        assert web.php_image(moved, key).tag != web.php_image(world.settings, key).tag
    outputs = world.lab.build_images(again)
    assert outputs, "the program registers image builds"
    assert all("already built" in out for out in outputs), outputs


# --- through the front proxy ----------------------------------------------------------------------


def test_each_php_site_answers_with_its_own_certificate_and_version(world: World) -> None:
    sites = world.running(php=True)
    for m in sites:
        assert m.site is not None and m.runtime is not None
        scheme = "https" if m.site.https else "http"
        for domain in m.site.domains:
            status, body = world.get(f"{scheme}://{domain}/")
            assert status == 200, f"{m.slug} {domain}: {status} {body}"
            assert re.fullmatch(rf"member={m.slug} php={re.escape(m.runtime)}\.\d+\S* uid={m.uid}\n", body), body
            if m.site.https:
                assert world.served_cert(domain) == world.certs[m.slug], f"{domain}: not {m.slug}'s certificate"


def test_the_lab_runs_legacy_current_and_newest(world: World) -> None:
    assert {m.runtime for m in world.running(php=True)} == set(LAB_RUNTIMES)


def test_static_site_is_served(world: World) -> None:
    m = _member(world, php=False)
    assert m.site is not None
    scheme = "https" if m.site.https else "http"
    status, body = world.get(f"{scheme}://{m.site.domains[0]}/")
    assert (status, body) == (200, f"static site of {m.slug}\n")


def test_suspended_member_gets_503(world: World) -> None:
    suspended = [m for m in world.members.values() if world.states()[m.slug] == "suspended"]
    assert suspended, "the example registry has a suspended member"
    for m in suspended:
        assert m.site is not None
        assert web.site_container_name(m.slug) not in world.ids
        scheme = "https" if m.site.https else "http"
        status, body = world.get(f"{scheme}://{m.site.domains[0]}/")
        assert status == 503, f"{m.slug}: {status} {body}"
        if m.site.https:
            assert world.served_cert(m.site.domains[0]) == world.certs[m.slug]


@pytest.mark.parametrize("path", ["/priv/secret.txt", "/db/main.sql", "/log/old.txt", "/../priv/secret.txt",
                                  "/%2e%2e/priv/secret.txt", "/..%2fpriv/secret.txt"])  # fmt: skip
def test_priv_db_log_are_never_served(world: World, path: str) -> None:
    for m in world.running():
        assert m.site is not None
        scheme = "https" if m.site.https else "http"
        status, body = world.get(f"{scheme}://{m.site.domains[0]}{path}", extra=("--path-as-is",))
        assert status in (400, 403, 404), f"{m.slug} {path}: {status}"
        assert m.slug not in body or "secret" not in body


# --- inside a member's container --------------------------------------------------------------------


def test_php_runs_as_the_member_with_no_capabilities_and_no_new_privileges(world: World) -> None:
    for m in world.running():
        done = world.exec(
            m.slug,
            "sh",
            "-c",
            'for s in /proc/[0-9]*/status; do grep -E "^(Name|Uid|Gid|CapEff|CapPrm|NoNewPrivs)" "$s"; done',
        )
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        names = [line.split()[1] for line in lines if line.startswith("Name:")]
        assert ("apache2" in names) == (m.runtime is not None), names
        for line in lines:
            key, *values = line.split()
            if key in ("Uid:", "Gid:"):
                assert values == [str(m.uid)] * 4, f"{m.slug}: {line}"
            elif key in ("CapEff:", "CapPrm:"):
                assert values == ["0000000000000000"], f"{m.slug}: {line}"
            elif key == "NoNewPrivs:":
                assert values == ["1"], f"{m.slug}: {line}"


def test_member_cannot_read_other_members_or_host_files(world: World) -> None:
    a = _member(world, php=True)
    others = [m for m in world.running() if m.slug != a.slug]
    own = world.exec(a.slug, "cat", f"{web.SITE_ROOT}/priv/secret.txt")
    assert own.stdout == f"secret of {a.slug}\n", own.stderr
    targets = [f"{world.settings.members_root}/{b.slug}/{sub}" for b in others for sub in ("priv/secret.txt", "www")]
    targets += [world.lab.host_path(f"{web.CERTS_DIR}/{b.slug}/privkey.pem") for b in others if b.slug in world.certs]
    targets += [world.lab.host_path(f"{web.CADDY_DIR}/Caddyfile"), str(world.db.tls_dir / "ca-key.pem")]
    for target in targets:
        assert Path(target).exists(), target  # it is there on the host...
        done = world.exec(a.slug, "sh", "-c", f"cat {target} || ls {target}")
        assert done.returncode != 0 and "secret" not in done.stdout, f"{a.slug} reads {target}: {done.stdout}"
    # ...and no mount of A's container shows another member's space.
    mounts = world.inspect(web.site_container_name(a.slug))["Mounts"]
    assert {mt["Source"] for mt in mounts} == {
        f"{world.settings.members_root}/{a.slug}/{d}" for d in ("www", "priv", "log")
    } | {world.lab.host_path(sitemail.host_config_dir(a.slug))}
    mail = next(mt for mt in mounts if mt["Destination"] == sitemail.CONTAINER_CONFIG_DIR)
    assert mail["RW"] is False, "the member's mail configuration is read only in its container"


def _connects(world: World, slug: str, address: str, port: int) -> bool:
    code = f'$s = @fsockopen("{address}", {port}, $errno, $error, 3); echo $s ? "open" : "closed $error";'
    done = world.exec(slug, "php", "-r", code)
    assert done.returncode == 0, done.stderr
    return done.stdout.startswith("open")


def test_member_cannot_connect_to_another_members_container(world: World) -> None:
    a = _member(world, php=True)
    others = [m for m in world.running() if m.slug != a.slug]
    assert others
    # The proxy is reachable, the other sites are not.
    assert _connects(world, a.slug, web.PROXY_ADDRESS, 80)
    for b in others:
        assert not _connects(world, a.slug, world.address(b.slug), web.SITE_PORT), f"{a.slug} reaches {b.slug}"
        assert not _connects(world, a.slug, web.site_container_name(b.slug), web.SITE_PORT)
    assert not _connects(world, a.slug, web.PHPMYADMIN_ADDRESS, 80)
    # Without the host's isolation rules they would be: the rules are what isolates.
    remove_isolation(world.engine)
    try:
        assert _connects(world, a.slug, world.address(others[0].slug), web.SITE_PORT)
    finally:
        apply_isolation(world.engine)
    assert not _connects(world, a.slug, world.address(others[0].slug), web.SITE_PORT)
    # The rules the test applies are those the web host setup installs.
    setup = next(r for r in world.run.records if r.name == f"{a.host}-setup")
    assert web.render_site_isolation() in str(setup.inputs["stdin"])


def _answers(world: World, m: Member) -> bool:
    assert m.site is not None
    scheme = "https" if m.site.https else "http"
    status, _ = world.get(f"{scheme}://{m.site.domains[0]}/")
    return status == 200


def test_fork_loop_stops_at_the_pids_limit_without_affecting_others(world: World) -> None:
    a = _member(world, php=True)
    b = _member(world, php=True, other_than=a.slug)
    pids = web.member_limits(a, world.settings).pids
    loop = f"n=0; while [ $n -lt {pids * 3} ]; do sleep 15 & n=$((n+1)); done; echo started $n"
    done = world.exec(a.slug, "sh", "-c", loop, timeout=60)
    assert done.returncode != 0 or "started" not in done.stdout, done.stdout
    assert "Resource temporarily unavailable" in done.stderr or "fork" in done.stderr, done.stderr
    count = world.exec(b.slug, "true")  # B's own processes are not counted against A
    assert count.returncode == 0, count.stderr
    assert _answers(world, b)
    top = world.lab.client.containers.get(web.site_container_name(a.slug)).top(ps_args="-o pid")
    assert len(top["Processes"]) <= pids
    time.sleep(16)
    assert _answers(world, a)


def test_memory_hog_stops_at_the_memory_limit_without_affecting_others(world: World) -> None:
    a = _member(world, php=True)
    b = _member(world, php=True, other_than=a.slug)
    limit = web.member_limits(a, world.settings).memory_mb
    host_config = world.inspect(web.site_container_name(a.slug))["HostConfig"]
    assert host_config["Memory"] == limit * 1024 * 1024
    hog = '$a = []; while (true) { $a[] = str_repeat("x", 1 << 20); }'
    done = world.exec(a.slug, "php", "-d", "memory_limit=-1", "-r", hog, timeout=120)
    assert done.returncode == 137, f"the hog was not killed: {done.returncode} {done.stderr}"
    assert _answers(world, b)
    deadline = time.monotonic() + 60
    while not _answers(world, a) and time.monotonic() < deadline:
        time.sleep(1)
    assert _answers(world, a)


# --- logs -------------------------------------------------------------------------------------------


def test_logs_are_written_into_the_members_log_and_rotated_as_the_member(world: World) -> None:
    a = _member(world, php=True)
    assert a.site is not None
    world.get(f"https://{a.site.domains[0]}/missing-page")
    log_dir = Path(world.settings.members_root) / a.slug / "log"
    access, error = log_dir / "access.log", log_dir / "error.log"
    deadline = time.monotonic() + 10
    while "/missing-page" not in (access.read_text() if access.exists() else "") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert "/missing-page" in access.read_text()
    for log in (access, error):
        assert log.stat().st_uid == a.uid, f"{log} belongs to {log.stat().st_uid}"
    conf = Path(world.lab.host_path(web.logrotate_path(a.slug)))
    assert conf.read_text() == web.render_member_logrotate(a, world.settings)
    before = access.read_text()
    # logrotate switches to the member named in the rules: give this run (only) an account of that name.
    passwd, group = world.tmp / "passwd", world.tmp / "group"
    passwd.write_text(Path("/etc/passwd").read_text() + f"{a.slug}:x:{a.uid}:{a.uid}::/nonexistent:/usr/sbin/nologin\n")
    group.write_text(Path("/etc/group").read_text() + f"{a.slug}:x:{a.uid}:\n")
    state = world.tmp / "logrotate.state"
    script = f"mount --bind {passwd} /etc/passwd && mount --bind {group} /etc/group && logrotate -f -s {state} {conf}"
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    rotated = log_dir / "access.log.1"
    assert rotated.read_text() == before
    assert rotated.stat().st_uid == a.uid, "rotated as the member"
    assert access.stat().st_size == 0
    world.get(f"https://{a.site.domains[0]}/after-rotation")
    deadline = time.monotonic() + 10
    while "/after-rotation" not in access.read_text() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert "/after-rotation" in access.read_text(), "Apache keeps writing into the same file (copytruncate)"


# --- PHP settings, extensions, charsets ------------------------------------------------------------


def _put(world: World, m: Member, rel: str, content: str | bytes, mode: int = 0o644) -> Path:
    """A file of the member's own, as the member would upload it."""
    path = Path(world.settings.members_root) / m.slug / rel
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    _chown(path, m.uid)
    path.chmod(mode)
    return path


def _fetch(world: World, url: str, *extra: str) -> tuple[int, dict[str, str], bytes]:
    """GET (or what ``extra`` says) through the front proxy: status, headers (lowercase names), body bytes."""
    host = url.split("/")[2]
    out = world.tmp / f"body-{secrets.token_hex(4)}"
    done = world.engine.in_netns(
        "curl", "-sS", "--max-time", "60", "-D", "-", "-o", str(out),
        "--resolve", f"{host}:443:127.0.0.1", "--resolve", f"{host}:80:127.0.0.1",
        "--cacert", str(world.ca), *extra, url,
    )  # fmt: skip
    assert done.returncode == 0, f"curl {url}: {done.stderr}"
    blocks = [b for b in done.stdout.replace("\r\n", "\n").split("\n\n") if b.strip()]
    lines = blocks[-1].splitlines()  # the last response (after a 100 Continue)
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    body = out.read_bytes()
    out.unlink()
    return status, headers, body


def _one_per_runtime(world: World) -> list[Member]:
    by_key: dict[str, Member] = {}
    for m in world.running(php=True):
        assert m.runtime is not None
        by_key.setdefault(m.runtime, m)
    assert set(by_key) == set(LAB_RUNTIMES), by_key
    return [by_key[k] for k in sorted(by_key, key=version_key)]


def _url(m: Member, path: str) -> str:
    assert m.site is not None
    return f"{'https' if m.site.https else 'http'}://{m.site.domains[0]}{path}"


# gd's AVIF support (gd_info()): PHP's gd has it from 8.1 on, when libgd has it; Debian's libgd3
# depends on libavif from bookworm on (2.3.3), not on bullseye (2.3.0).
def _expects_avif(key: str, release: str) -> bool:
    return version_key(key) >= (8, 1) and release != "bullseye"


EXT_PAGE = """<?php
header('Content-Type: application/json');
echo json_encode(['modules' => get_loaded_extensions(), 'zend' => get_loaded_extensions(true), 'gd' => gd_info()]);
"""


def test_every_runtime_loads_the_extensions_sites_need(world: World) -> None:
    """php -m in the container (CLI) and a page through the proxy (apache2): the same modules, gd with WebP."""
    for m in _one_per_runtime(world):
        key = m.runtime
        assert key is not None
        _, modules = web.php_extensions(world.settings, key)
        cli = world.exec(m.slug, "php", "-m")
        assert cli.returncode == 0, cli.stderr
        listed = {line.strip().lower() for line in cli.stdout.splitlines()}
        missing = [mod for mod in modules if mod.lower() not in listed]
        assert not missing, f"PHP {key} (CLI): {missing} not loaded"
        _put(world, m, "www/pic-ext.php", EXT_PAGE)
        status, _, body = _fetch(world, _url(m, "/pic-ext.php"))
        assert status == 200, body[:300]
        seen = json.loads(body)
        loaded = {x.lower() for x in seen["modules"] + seen["zend"]}
        missing = [mod for mod in modules if mod.lower() not in loaded]
        assert not missing, f"PHP {key} (apache2): {missing} not loaded"
        gd = seen["gd"]
        assert gd["WebP Support"] is True, f"PHP {key}: {gd}"
        assert gd["JPEG Support"] is True and gd["PNG Support"] is True, gd
        assert gd.get("AVIF Support", False) is _expects_avif(key, LAB_RUNTIMES[key]), f"PHP {key}: {gd}"
        if "bcmath" in world.settings.runtimes[key].without_extensions:
            assert "bcmath" not in loaded


def test_a_php_error_is_logged_in_log_and_not_shown(world: World) -> None:
    for m in _one_per_runtime(world):
        if "display_errors" in (m.site.php_settings if m.site else {}):
            continue
        token = secrets.token_hex(6)
        _put(world, m, "www/pic-broken.php", f"<?php\necho $undefined_{token};\npic_no_such_function_{token}();\n")
        status, headers, body = _fetch(world, _url(m, "/pic-broken.php"))
        assert status == 500, f"{m.slug}: {status} {body[:300]!r}"
        for leak in (token.encode(), b"/srv/site", b"Fatal", b"Warning", b"Stack trace"):
            assert leak not in body, f"{m.slug} shows {leak!r} to the visitor: {body[:500]!r}"
        assert "x-powered-by" not in headers, headers
        log = Path(world.settings.members_root) / m.slug / "log" / "php-error.log"
        deadline = time.monotonic() + 10
        while token not in (log.read_text() if log.exists() else "") and time.monotonic() < deadline:
            time.sleep(0.5)
        text = log.read_text()
        assert f"pic_no_such_function_{token}()" in text, text[-2000:]
        assert f"undefined_{token}" in text, "the warning is logged too"
        assert "/srv/site/www/pic-broken.php" in text
        assert log.stat().st_uid == m.uid, "the log is the member's"


INI_PAGE = """<?php
header('Content-Type: application/json');
$keys = explode(',', $_GET['keys']);
$out = [];
foreach ($keys as $k) { $out[$k] = ini_get($k); }
$out['pic:raise'] = ini_set('memory_limit', '1G');
$out['pic:session'] = session_save_path();
echo json_encode($out);
"""


def _ini(value: object) -> str:
    """What ini_get() returns for a value written in a member file."""
    if isinstance(value, bool):
        return "1" if value else ""
    return str(value)


def test_member_php_settings_are_in_effect_and_others_get_the_defaults(world: World) -> None:
    from pic import phpini

    keys = sorted(phpini.RULES)
    chosen = [m for m in world.running(php=True) if m.site is not None and m.site.php_settings]
    assert chosen, "the example registry has a member with php_settings"
    plain = [m for m in world.running(php=True) if m.site is not None and not m.site.php_settings]
    for m in [*chosen, plain[0]]:
        assert m.site is not None
        _put(world, m, "www/pic-ini.php", INI_PAGE)
        status, _, body = _fetch(world, _url(m, "/pic-ini.php?keys=" + ",".join(keys)))
        assert status == 200, body[:300]
        seen = json.loads(body)
        for key in keys:
            want = m.site.php_settings.get(key, phpini.DEFAULTS.get(key))
            if want is not None:
                assert seen[key] == _ini(want), f"{m.slug}: {key} is {seen[key]!r}, the member file says {want!r}"
        assert seen["display_errors"] in ("", "0"), m.slug
        if "memory_limit" in m.site.php_settings:
            assert seen["pic:raise"] is False, "ini_set() cannot go past the member file's value"
        assert seen["pic:session"] == web.PHP_SESSION_DIR
        done = world.exec(m.slug, "stat", "-c", "%a %u", web.PHP_SESSION_DIR)
        assert done.stdout.split() == ["700", str(m.uid)], done.stdout + done.stderr


UPLOAD_PAGE = """<?php
$f = $_FILES['photo'] ?? null;
echo $f === null ? 'none' : $f['error'] . ' ' . $f['size'] . ' ' . hash_file('sha256', $f['tmp_name']);
"""


def test_a_20_mb_upload_reaches_php_through_the_proxy(world: World) -> None:
    m = _member(world, php=True)
    _put(world, m, "www/pic-upload.php", UPLOAD_PAGE)
    photo = world.tmp / "photo.jpg"
    data = os.urandom(20 * 1000 * 1000)
    photo.write_bytes(data)
    status, _, body = _fetch(world, _url(m, "/pic-upload.php"), "-F", f"photo=@{photo}")
    assert (status, body.decode()) == (200, f"0 {len(data)} {hashlib.sha256(data).hexdigest()}")


def test_a_static_page_is_served_with_the_members_charset(world: World) -> None:
    m = next((m for m in world.running(php=False) if m.site is not None and m.site.charset), None)
    assert m is not None and m.site is not None, "the example registry has a static site with a charset"
    page = "<!doctype html><title>Catalogue</title><p>Fête des récoltes, théâtre à l'école</p>\n"
    _put(world, m, "www/catalogue.html", page.encode("iso-8859-1"))
    status, headers, body = _fetch(world, _url(m, "/catalogue.html"))
    assert status == 200
    assert headers["content-type"] == f"text/html; charset={m.site.charset}", headers
    assert body.decode(str(m.site.charset)) == page, "the bytes are served as they are"
    _put(world, m, "www/logo.png", b"\x89PNG\r\n\x1a\n")
    _, headers, _ = _fetch(world, _url(m, "/logo.png"))
    assert headers["content-type"] == "image/png", "binary types get no charset"


LEGACY_PAGE = """<?php
header('Content-Type: application/json');
$db = require '/srv/site/priv/%(database)s.php';
$pdo = new PDO($db['dsn'], $db['user'], $db['password'], $db['options']);
$by_pdo = $pdo->query('SELECT title FROM posts')->fetchColumn();
$utf8mb4 = str_replace('charset=latin1', 'charset=utf8mb4', $db['dsn']);
$default = new PDO($utf8mb4, $db['user'], $db['password'], $db['options']);
$by_default = $default->query('SELECT title FROM posts')->fetchColumn();
$my = new mysqli($db['host'], $db['user'], $db['password'], $db['database'], $db['port']);
$my->set_charset($db['charset']);
$by_mysqli = $my->query('SELECT title FROM posts')->fetch_row()[0];
echo json_encode(['charset' => $db['charset'], 'pdo' => bin2hex($by_pdo), 'mysqli' => bin2hex($by_mysqli),
                  'default' => bin2hex($by_default), 'DB_CHARSET' => DB_CHARSET]);
"""


def test_a_legacy_latin1_database_reads_right_through_the_credentials_include(world: World) -> None:
    """The base an old PHP application filled through a latin1 connection: UTF-8 text stored as latin1.

    Read by PHP (PDO and mysqli) in the member's container through the credentials include that
    carries the member's ``database_charsets``; without it (PHP's utf8mb4), the same row shows
    mojibake. The member's .my.cnf gives the mariadb client the same charset.
    """
    m = next((m for m in world.running(php=True) if any(d.charset == "latin1" for d in m.databases)), None)
    assert m is not None, "the example registry has a running PHP member with a latin1 database"
    database = next(d for d in m.databases if d.charset == "latin1")
    password = f"pw-{m.uid}-legacy"
    world.db.root_sql(rdb.backup_account_sql(["172.30.%", DB_ADDRESS], "backup-pw-lab"))  # granted with the base
    world.db.root_sql(rdb.MemberDbSql(database.name, database.user, ["172.30.%", DB_ADDRESS]).render(password))
    title = "Fête des récoltes, théâtre à l'école"
    world.db.root_sql(
        "CREATE TABLE posts (title VARCHAR(200)) CHARACTER SET latin1; "
        f"INSERT INTO posts VALUES (_latin1 X'{title.encode().hex()}');",
        database=database.name,
    )
    priv = Path(world.settings.members_root) / m.slug / "priv"
    _put(world, m, f"priv/{rdb.MEMBER_CA_NAME}", Path(world.db.ca).read_text())
    ca_path = f"{web.SITE_ROOT}/priv/{rdb.MEMBER_CA_NAME}"
    cred = rdb.Credentials(
        database.name, database.user, password, DB_ADDRESS, world.db.port, ca_file=ca_path, charset=database.charset
    )
    _put(world, m, f"priv/{database.name}.php", rdb.member_php(cred), mode=0o600)
    _put(world, m, "www/pic-legacy.php", LEGACY_PAGE % {"database": database.name})
    with site_endpoint(world, world.tmp / "legacy-endpoint.log"):  # the include names the web host's endpoint
        status, _, body = _fetch(world, _url(m, "/pic-legacy.php"))
    assert status == 200, body[:500]
    seen = json.loads(body)
    assert seen["charset"] == seen["DB_CHARSET"] == "latin1"
    assert bytes.fromhex(seen["pdo"]).decode() == title
    assert bytes.fromhex(seen["mysqli"]).decode() == title
    assert bytes.fromhex(seen["default"]).decode() == title.encode().decode("latin1"), "utf8mb4: mojibake"
    # The mariadb client with the member's .my.cnf (the host's client, in the engine's network).
    cnf = priv / f"{database.name}.cnf"
    host_cred = rdb.Credentials(
        database.name, database.user, password, DB_ADDRESS, world.db.port, ca_file=world.db.ca, charset=database.charset
    )
    cnf.write_text(rdb.member_my_cnf(host_cred))
    cnf.chmod(0o600)
    done = world.engine.in_netns("mariadb", f"--defaults-file={cnf}", "-N", "-B", "-e", "SELECT title FROM posts")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == title


# --- phpMyAdmin --------------------------------------------------------------------------------------


def _pma_login(world: World, user: str, password: str) -> str:
    """Log in through the proxy with phpMyAdmin's cookie form; the databases page as the user sees it."""
    assert world.settings.phpmyadmin is not None
    domain = world.settings.phpmyadmin.domain
    caddy_ca = Path(world.lab.host_path(web.CADDY_DATA)) / "caddy/pki/authorities/local/root.crt"
    jar = world.tmp / f"cookies-{user}-{secrets.token_hex(4)}"  # a new browser each time
    extra = ("-c", str(jar), "-b", str(jar))
    status, page = world.get(f"https://{domain}/", ca=caddy_ca, extra=extra)
    assert status == 200, page[:500]
    # Every hidden field of the login form (token, set_session, ...), then the credentials.
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert "token" in hidden, page[:2000]
    fields = {**hidden, "pma_username": user, "pma_password": password, "server": "1"}
    form: tuple[str, ...] = ("-L",)
    for key, value in fields.items():
        form += ("--data-urlencode", f"{key}={html.unescape(value)}")
    status, page = world.get(f"https://{domain}/index.php?route=/", ca=caddy_ca, extra=extra + form)
    assert status == 200, page[:500]
    status, page = world.get(f"https://{domain}/index.php?route=/server/databases", ca=caddy_ca, extra=extra)
    assert status == 200
    return page


def test_phpmyadmin_reaches_mariadb_over_tls_and_shows_only_the_members_databases(world: World) -> None:
    a = _member(world, php=True)
    b = _member(world, php=True, other_than=a.slug)
    passwords = {}
    # The web host's network as MariaDB sees it here (no NAT between the engine's namespace and the db).
    world.db.root_sql(rdb.backup_account_sql(["172.30.%"], "backup-pw-lab"))
    for m in (a, b):
        database = f"{m.slug.replace('-', '_')}_lab"
        passwords[m.slug] = f"pw-{m.uid}-lab"
        world.db.root_sql(rdb.MemberDbSql(database, database, ["172.30.%"]).render(passwords[m.slug]))
    user_a = f"{a.slug.replace('-', '_')}_lab"
    page = _pma_login(world, user_a, passwords[a.slug])
    # The databases page links each database the user may see (db=<name>).
    errors = re.findall(r'class="alert alert-danger"[^>]*>(.*?)</div>', page, re.S)
    assert f"db={user_a}" in page, f"errors: {errors}; logs: {world.logs(web.PHPMYADMIN_CONTAINER)}"
    assert f"db={b.slug.replace('-', '_')}_lab" not in page
    assert "db=mysql" not in page
    # Over TLS (the server takes nothing else), verified against the db host's CA.
    status = world.db.root_sql("SHOW GLOBAL STATUS LIKE 'Ssl_accepts';").split()
    assert int(status[1]) > 0, "phpMyAdmin's connection used TLS"
    cat = ["cat", "/etc/phpmyadmin/conf.d/pic.php", PMA_CA]
    conf = subprocess.run(
        ["docker", "-H", world.engine.docker_host, "exec", web.PHPMYADMIN_CONTAINER, *cat],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert conf.returncode == 0, conf.stderr
    assert "$cfg['Servers'][1]['ssl_verify'] = true;" in conf.stdout
    assert f"$cfg['Servers'][1]['host'] = '{DB_ADDRESS}';" in conf.stdout
    assert Path(world.db.ca).read_text() in conf.stdout
    # A wrong password shows no database at all.
    wrong = _pma_login(world, user_a, "wrong password")
    assert f"db={user_a}" not in wrong


# --- the translation of recorded inputs ------------------------------------------------------------


def test_translation_matches_docker_inspect_field_by_field(world: World) -> None:
    for record in by_type(world.run, CONTAINER):
        inputs = record.inputs
        info = world.inspect(inputs["name"])
        config, host = info["Config"], info["HostConfig"]
        where = f"{inputs['name']} ({record.urn})"
        assert config["Image"] == inputs["image"], where
        assert config["User"] == inputs.get("user", ""), where
        if "command" in inputs:
            assert config["Cmd"] == inputs["command"], where
        for env in inputs.get("envs", []):
            assert env in config["Env"], where
        labels = {item["label"]: item["value"] for item in inputs.get("labels", [])}
        assert labels.items() <= config["Labels"].items(), where
        assert host["Memory"] == int(inputs.get("memory", 0)) * 1024 * 1024, where
        assert host["MemorySwap"] == int(inputs.get("memorySwap", 0)) * 1024 * 1024 or "memorySwap" not in inputs
        assert host["NanoCpus"] == round(float(inputs.get("cpus", 0)) * 1e9), where
        ulimits = [
            {"Name": u["name"], "Soft": int(u["soft"]), "Hard": int(u["hard"])} for u in inputs.get("ulimits", [])
        ]
        assert (host["Ulimits"] or []) == ulimits, where
        assert (host["CapDrop"] or []) == inputs.get("capabilities", {}).get("drops", []), where
        assert (host["SecurityOpt"] or []) == inputs.get("securityOpts", []), where
        assert host["RestartPolicy"]["Name"] == inputs.get("restart", ""), where
        assert (host.get("Tmpfs") or {}) == inputs.get("tmpfs", {}), where
        mounts = {(m["Target"], m["Source"], bool(m.get("ReadOnly", False))) for m in host.get("Mounts") or []}
        wanted = {
            (m["target"], world.lab.host_path(m["source"]), bool(m.get("readOnly", False)))
            for m in inputs.get("mounts", [])
        }
        wanted |= {
            (v["containerPath"], world.lab.host_path(v["hostPath"]), bool(v.get("readOnly", False)))
            for v in inputs.get("volumes", [])
        }
        assert mounts == wanted, where
        networks = info["NetworkSettings"]["Networks"]
        for n in inputs.get("networksAdvanced", []):
            assert n["name"] in networks, where
            if "ipv4Address" in n:
                assert networks[n["name"]]["IPAddress"] == n["ipv4Address"], where
        bindings = {
            f"{int(p['internal'])}/{p.get('protocol', 'tcp')}": [
                {"HostIp": p.get("ip", "0.0.0.0"), "HostPort": str(int(p["external"]))}
            ]
            for p in inputs.get("ports", [])
        }
        assert (host["PortBindings"] or {}) == bindings, where
        for upload in inputs.get("uploads", []):
            if upload["file"] == PMA_CA:
                continue
            done = subprocess.run(
                ["docker", "-H", world.engine.docker_host, "cp", f"{inputs['name']}:{upload['file']}", "-"],
                capture_output=True, check=False,
            )  # fmt: skip
            assert done.returncode == 0 and upload["content"].encode() in done.stdout, f"{where}: {upload['file']}"


def test_translation_refuses_an_input_it_does_not_know() -> None:
    with pytest.raises(UnknownInput, match="privileged"):
        container_spec({"name": "x", "image": "y", "privileged": True})


# --- moving a member to another runtime (last: it changes the lab) -----------------------------------


def test_moving_a_member_to_another_runtime_replaces_only_its_container(world: World) -> None:
    a = _member(world, php=True)
    assert a.runtime is not None
    target = max((k for k in LAB_RUNTIMES if k != a.runtime), key=version_key)
    path = world.members_dir / Path(a.file).name
    data = yaml.safe_load(path.read_text())
    data["site"]["php"] = target
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    www = Path(world.settings.members_root) / a.slug / "www"
    (www / "kept.txt").write_text("kept\n")
    before = dict(world.ids)
    run = Lab.plan(world.project, STACK)
    world.lab.build_images(run)
    world.lab.place_files(run)
    after = world.lab.apply(run, uploads_override={web.PHPMYADMIN_CONTAINER: {PMA_CA: Path(world.db.ca).read_text()}})
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert changed == [web.site_container_name(a.slug)], changed
    assert (www / "kept.txt").read_text() == "kept\n"
    assert (www / "index.php").exists()
    assert a.site is not None
    deadline = time.monotonic() + 60
    body = ""
    while time.monotonic() < deadline:
        status, body = world.get(f"https://{a.site.domains[0]}/")
        if status == 200 and f"php={target}." in body:
            break
        time.sleep(1)
    assert f"member={a.slug} php={target}." in body, body


# --- mail from sites ---------------------------------------------------------------------------------


@pytest.fixture
def site_relay(world: World) -> Iterator[Relay]:
    """The rendered relay (Postfix, in the engine's namespace, at the network's gateway) for the running
    PHP sites, delivering to a sink on the namespace's loopback."""
    with running_relay(world.running(php=True), netns=world.engine.netns_path) as relay:
        yield relay


def test_php_mail_leaves_through_the_relay_with_the_members_envelope(world: World, site_relay: Relay) -> None:
    """On every runtime (msmtp of bullseye, bookworm and trixie), from every running PHP site."""
    bridge = world.engine.in_netns("ip", "-4", "-o", "addr", "show").stdout
    assert f"inet {sitemail.RELAY_ADDRESS}/16 " in bridge, (
        f"the network's gateway is not the relay's address:\n{bridge}"
    )
    senders = world.running(php=True)
    assert {m.runtime for m in senders} == set(LAB_RUNTIMES), "a site on each lab runtime"
    for a in senders:
        networks = world.inspect(web.site_container_name(a.slug))["NetworkSettings"]["Networks"]
        assert networks[web.NETWORK]["IPAddress"] == sitemail.site_address(a), a.slug
        code = f"var_export(mail('someone@example.net', 'Hello from {a.slug}', 'From the site.'));"
        sent = world.exec(a.slug, "php", "-r", code)
        assert sent.stdout == "true", f"{a.slug}: {sent.stdout}{sent.stderr}"
        log = Path(world.settings.members_root) / a.slug / "log" / "mail.log"
        assert "exitcode=EX_OK" in log.read_text(), a.slug
        assert log.stat().st_uid == a.uid, "written by the member's site"
    received = {r.message["Subject"]: r for r in site_relay.delivered(len(senders))}
    for a in senders:
        got = received[f"Hello from {a.slug}"]
        assert got.mail_from == sitemail.envelope_sender(a), a.slug
        assert got.rcpt_tos == ["someone@example.net"], a.slug
        assert got.message["From"] == sitemail.envelope_sender(a), a.slug


def test_php_mail_as_another_members_domain_is_refused_and_logged(world: World, site_relay: Relay) -> None:
    a = _member(world, php=True)
    b = _member(world, php=True, other_than=a.slug)
    forged = f"contact@{b.sender_domains[0]}"
    code = f"var_export(mail('someone@example.net', 'Forged', 'x', 'From: {forged}', '-f{forged}'));"
    sent = world.exec(a.slug, "php", "-r", code)
    assert sent.stdout == "false", sent.stdout + sent.stderr
    log = (Path(world.settings.members_root) / a.slug / "log" / "mail.log").read_text()
    assert f"from={forged}" in log
    assert "Sender address rejected: not a domain of this site" in log
    # The other member sends as itself.
    sent = world.exec(b.slug, "php", "-r", "var_export(mail('someone@example.net', 'Own', 'x'));")
    assert sent.stdout == "true", sent.stdout + sent.stderr
    assert [r.mail_from for r in site_relay.delivered(1)] == [sitemail.envelope_sender(b)]


# --- cron jobs of members --------------------------------------------------------------------------


def _run_cron_job(
    world: World, m: Member, command: str, seconds: int
) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run a job as its systemd service does: the rendered runner with the container, uid, limit and command."""
    root = Path(tempfile.mkdtemp(prefix="pic-cron-"))
    try:
        runner, command_file = root / "member-cron", root / "1.command"
        runner.write_text(membercron.render_runner())
        command_file.write_text(command + "\n")
        env = {**os.environ, "DOCKER_HOST": world.engine.docker_host}
        started = time.monotonic()
        done = subprocess.run(
            ["sh", str(runner), web.site_container_name(m.slug), str(m.uid), str(seconds), "1", str(command_file)],
            capture_output=True, text=True, check=False, env=env, timeout=seconds + membercron.KILL_AFTER + 60,
        )  # fmt: skip
        return done, time.monotonic() - started
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _processes(world: World, slug: str) -> str:
    """The command lines of every process in the member's container."""
    listing = "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done"
    return world.exec(slug, "sh", "-c", listing).stdout


def test_a_cron_job_runs_as_the_member_in_its_container_and_logs_to_log(world: World) -> None:
    m = _member(world, php=True)
    log = Path(world.settings.members_root) / m.slug / "log" / "cron.log"
    done, _ = _run_cron_job(world, m, "echo uid=$(id -u) dir=$(pwd); php -r 'echo PHP_VERSION, \"\\n\";'", 60)
    assert done.returncode == 0, done.stderr
    text = log.read_text()
    assert f"uid={m.uid} dir=/srv/site/www\n" in text, text
    # The PHP of the container as it runs now (an earlier test may have moved the member to another runtime).
    runtime = world.inspect(web.site_container_name(m.slug))["Config"]["Labels"]["pic.php"]
    assert re.search(rf"^{re.escape(runtime)}\.\d+$", text, re.MULTILINE), text
    assert re.search(r"cron job 1: start\n", text) and "cron job 1: exit 0\n" in text, text
    assert log.stat().st_uid == m.uid, "written by the member's uid"


def test_a_cron_job_runs_php_with_the_members_settings(world: World) -> None:
    """PHP's command line in the container reads the member's php_settings, as its pages do."""
    m = next(m for m in world.running(php=True) if m.site is not None and m.site.php_settings)
    assert m.site is not None
    keys = sorted(set(m.site.php_settings) - web.CLI_OVERRIDDEN)
    log = Path(world.settings.members_root) / m.slug / "log" / "cron.log"
    code = "foreach (array_slice($argv, 1) as $k) { echo $k, '=', ini_get($k), PHP_EOL; }"
    done, _ = _run_cron_job(world, m, f"php -r {shlex.quote(code)} -- {' '.join(keys)}", 60)
    assert done.returncode == 0, done.stderr
    text = log.read_text()
    for key in keys:
        assert f"\n{key}={_ini(m.site.php_settings[key])}\n" in text, (key, text[-2000:])


def test_a_cron_job_is_stopped_at_its_time_limit_inside_the_container(world: World) -> None:
    m = _member(world, php=True)
    log = Path(world.settings.members_root) / m.slug / "log" / "cron.log"
    marker = f"pic-cron-sleeper-{secrets.token_hex(4)}"
    # A job that starts a child and waits: the whole process group goes at the limit.
    done, took = _run_cron_job(world, m, f"sh -c 'sleep 300; echo {marker}' & wait", 3)
    assert done.returncode == 124, done.stderr
    assert took < 3 + membercron.KILL_AFTER, f"took {took:.1f} s"
    assert "cron job 1: stopped at its time limit of 3 s\n" in log.read_text()
    assert "sleep 300" not in _processes(world, m.slug), "a process of the job outlived its time limit"
    # A job that ignores TERM is killed KILL_AFTER seconds later.
    done, took = _run_cron_job(world, m, "trap '' TERM; sleep 300", 2)
    assert done.returncode == 137, done.stderr
    assert 2 + membercron.KILL_AFTER - 1 < took < 2 + membercron.KILL_AFTER + 15, f"took {took:.1f} s"
    assert "sleep 300" not in _processes(world, m.slug)
    assert marker not in log.read_text()

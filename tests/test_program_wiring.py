"""How the parts are joined in __main__.py, under mocks: what one part hands to another."""

from __future__ import annotations

import re
import runpy
import shutil
from pathlib import Path
from typing import Any

import pulumi
import pytest

from pic.registry import load_registry
from pic.render.mail import proxy_host_paths
from pic.settings import load_settings
from tests.conftest import ROOT
from tests.generated_registry import generate
from tests.pulumi_mocks import RecordingMonitor, Registration, unwrap

CONFIG_SECRETS = {
    "pic:dbAdminPassword": "mock-admin-password",
    "pic:sshPrivateKey": "mock-ssh-private-key",
    "pic:backupRepositoryPassword": "mock-repository-password",
    "pic:backupSshKey": "mock-offsite-ssh-key",
}


def _run_program(project: Path = ROOT) -> dict[str, Any]:
    pulumi.runtime.set_all_config(CONFIG_SECRETS, list(CONFIG_SECRETS))
    return runpy.run_path(str(project / "__main__.py"), run_name="__pulumi__")


def _named(monitor: RecordingMonitor, name: str, type_: str) -> Registration:
    found = [r for r in monitor.registrations.values() if r.name == name and r.type == type_]
    assert len(found) == 1, f"{name} ({type_}): {[r.urn for r in found]}"
    return found[0]


def test_parts_are_joined(pulumi_env: RecordingMonitor) -> None:
    @pulumi.runtime.test
    def program() -> None:
        _run_program()

    program()  # returns once every registration of the program has reached the monitor
    _check(pulumi_env)


def _check(pulumi_env: RecordingMonitor) -> None:
    # The mail host's proxy sees Sympa's socket and static files, read-only, and routes its domain.
    proxy = _named(pulumi_env, "web1-proxy-container", "docker:index/container:Container")
    volumes = {v["containerPath"]: v for v in unwrap(proxy.inputs)["volumes"]}
    assert sorted(volumes) == sorted(proxy_host_paths())
    assert all(v["readOnly"] and v["hostPath"] == path for path, v in volumes.items())
    caddyfile = unwrap(_named(pulumi_env, "web1-proxy-caddyfile", "command:remote:Command").inputs)["stdin"]
    assert "listes.example.org {" in caddyfile
    assert "transport fastcgi" in caddyfile
    # phpMyAdmin verifies the db host's certificate with the db CA.
    pma = unwrap(_named(pulumi_env, "phpmyadmin-container", "docker:index/container:Container").inputs)
    ca_cert = next(
        r
        for r in pulumi_env.registrations.values()
        if r.type == "tls:index/selfSignedCert:SelfSignedCert" and r.parent.endswith("DbHost::db")
    )
    uploads = {u["file"]: u["content"] for u in pma["uploads"]}
    assert f"MOCK-{ca_cert.name}" in "".join(uploads.values()), sorted(uploads)
    # Every file a database writes into a member's space waits for that space.
    space_urns = {r.name: r.urn for r in pulumi_env.registrations.values() if r.name.endswith("-space")}
    files = [
        r
        for r in pulumi_env.registrations.values()
        if r.type == "command:remote:Command" and r.name.endswith("-credentials") and ".my.cnf" in r.inputs["create"]
    ]
    with_databases = {m.slug for m in load_registry(ROOT / "members", load_settings(ROOT, "prod")) if m.databases}
    assert {f.name.removesuffix("-credentials") for f in files} == with_databases
    for f in files:
        space = f.name.removesuffix("-credentials") + "-space"
        assert space_urns[space] in f.dependencies, f"{f.urn} does not wait for {space}"


COMPONENT_TYPE = re.compile(r'super\(\).__init__\("(pic:index:\w+)"')
PROD_TLS = "  pic:tls: {acme_email: admin@example.org, ca: letsencrypt}\n"
# the prod stack, with what it leaves out so that every component shows up: the internal CA, NSD zones
EVERY_PART = "  pic:tls: {acme_email: admin@example.org, ca: internal}\n" + (
    "  pic:dns: {backend: zonefile, zones: [example.org], listen: [192.0.2.53]}\n"
)
PROD_BACKUP = '  pic:backup: {time: "03:15", keep_days: 7}\n'
# and the off-site backup, which the examples leave out
OFFSITE_BACKUP = (
    '  pic:backup: {time: "03:15", keep_days: 7, offsite: {repository: "sftp://restic@vault.example.net:2222//srv/pic",'
    ' known_hosts: "[vault.example.net]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOo'
    'qKLsabgH5C9okWi0dh2l9GKJl"}}\n'
)


def _project(tmp_path: Path, members: Path, stack_text: str) -> Path:
    """A copy of the project (links) whose members and Pulumi.prod.yaml are the given ones."""
    project = tmp_path / "project"
    project.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in ("members", "Pulumi.prod.yaml", "__main__.py", ".venv", ".git"):
            (project / entry.name).symlink_to(entry)
    shutil.copy2(ROOT / "__main__.py", project / "__main__.py")
    (project / "members").symlink_to(members, target_is_directory=True)
    (project / "Pulumi.prod.yaml").write_text(stack_text, encoding="utf-8")
    return project


@pytest.mark.parametrize(("registry", "every_part"), [("examples", False), ("examples", True), ("generated", True)])
def test_component_outputs_made_of_a_secret_are_secret(
    pulumi_env: RecordingMonitor, registry: str, every_part: bool, tmp_path: Path
) -> None:
    """What each component registers (kept in the stack's state): every output holding a password,
    a private key or a credential file made from them is secret, for every component of the package.
    Stricter than the engine, which would mark a provider's secret outputs itself: these mocks do not,
    so a component must mark what it registers (tests/test_program.py checks the engine's way)."""
    members = ROOT / "members"
    if registry == "generated":
        members = tmp_path / "members"
        generate(members, 49, load_settings(ROOT, "prod"))
    stack = (ROOT / "Pulumi.prod.yaml").read_text(encoding="utf-8")
    assert PROD_TLS in stack and PROD_BACKUP in stack and "pic:dns:" not in stack
    if every_part:
        stack = stack.replace(PROD_TLS, EVERY_PART).replace(PROD_BACKUP, OFFSITE_BACKUP)
    project = _project(tmp_path, members, stack)

    @pulumi.runtime.test
    def program() -> None:
        _run_program(project)

    program()
    components = [r for r in pulumi_env.registrations.values() if not r.custom]
    if every_part:
        declared = {t for f in (ROOT / "components").glob("*.py") for t in COMPONENT_TYPE.findall(f.read_text())}
        assert {r.type for r in components} == declared, "a component of the package is not in the program"
    assert [r.urn for r in components if not r.outputs] == [], "a component whose outputs were not recorded"
    made_of_secrets = pulumi_env.component_outputs_made_of_secrets(pulumi_env.secret_values(CONFIG_SECRETS.values()))
    assert [f"{urn} output {path}" for (urn, _, path), secret in made_of_secrets.items() if not secret] == []
    # the outputs that must be found, so that the check above is not vacuous
    kinds = {(typ, path) for _, typ, path in made_of_secrets}
    assert {("pic:index:DbHost", ".backup_password")} <= kinds, kinds

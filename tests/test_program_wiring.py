"""How the parts are joined in __main__.py, under mocks: what one part hands to another."""

from __future__ import annotations

import runpy
from typing import Any

import pulumi

from pic.render.mail import proxy_host_paths
from tests.conftest import ROOT
from tests.pulumi_mocks import RecordingMonitor, Registration, unwrap


def _run_program() -> dict[str, Any]:
    pulumi.runtime.set_all_config(
        {"pic:dbAdminPassword": "mock-admin-password", "pic:sshPrivateKey": "mock-ssh-key"},
        ["pic:dbAdminPassword", "pic:sshPrivateKey"],
    )
    return runpy.run_path(str(ROOT / "__main__.py"), run_name="__pulumi__")


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
        if r.type == "command:remote:Command" and "-db-" in r.name and r.name.endswith(("-php", "-mycnf", "-ca"))
    ]
    assert len(files) == 3 * 8, [f.name for f in files]  # three files for each of the 8 example databases
    for f in files:
        space = next(s for s in space_urns if f.name.startswith(s.removesuffix("-space") + "-db-"))
        assert space_urns[space] in f.dependencies, f"{f.urn} does not wait for {space}"

"""The lab through the real Pulumi engine: CLI, language host and bridged docker provider.

Brings up the lab's hosts (lab/hosts: network namespaces with sshd and a private dockerd),
applies the lab program (lab/program, stack lab) with ``pulumi up``, then checks:
- from outside, each static member site answers its page from its container (lab/check),
  running as the member's uid, with no capability, mounting only the member's directories;
- the engine's state is encrypted where it must be: no passphrase, deploy key or ssh host key
  in clear in the state files;
- a second ``pulumi preview`` finds nothing to do and ``pulumi refresh`` finds no drift;
- a change of the stack settings (a member's memory limit) previews as an update of that
  container alone, then applies, and the engine agrees with ``docker inspect``;
- the policy pack runs under the CLI (``pulumi preview --policy-pack policy``) and passes.
Tears down with lab/down (pulumi destroy, daemons stopped by pid). Needs root and the
toolchain (``make toolchain``); CI builds both, so nothing here skips under CI=true.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT, require_root

pytestmark = pytest.mark.daemon

LAB = Path(os.environ.get("PIC_LAB", "/var/tmp/piclab"))
TOOLCHAIN = Path(os.environ.get("PIC_TOOLCHAIN", "/var/cache/pic-toolchain"))
ENGINE = f"unix://{LAB}/web1/docker/docker.sock"


def run(*args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run a lab command from the project root, printing its output into the test log."""
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    print(f"$ {' '.join(args)}\n{proc.stdout}{proc.stderr}")
    if check and proc.returncode != 0:
        pytest.fail(f"{' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def require_toolchain() -> None:
    missing = [
        n
        for n in ("pulumi", "pulumi-language-python", "pulumi-resource-docker")
        if not (TOOLCHAIN / "bin" / n).exists()
    ]
    if missing:
        message = f"{', '.join(missing)} not in {TOOLCHAIN}/bin: run `make toolchain`"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def lab() -> Iterator[None]:
    require_root("network namespaces, sshd and dockerd")
    require_toolchain()
    try:
        run("lab/hosts", "up")
        run("lab/pulumi", "up", "--yes", "--skip-preview")
        yield
    finally:
        run("lab/down", check=False)


def inspect(name: str, template: str) -> str:
    return subprocess.run(
        ["docker", "-H", ENGINE, "inspect", "-f", template, name], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_sites_answer_from_their_containers(lab: None) -> None:
    out = run("lab/check").stdout
    assert "ok bibliotheque-libre:" in out
    assert inspect("pic-site-bibliotheque-libre", "{{.Config.User}}") == "10007:10007"
    assert inspect("pic-site-bibliotheque-libre", "{{.HostConfig.CapDrop}}") == "[ALL]"


def test_state_holds_no_secret_in_clear(lab: None) -> None:
    state = "\n".join(p.read_text(errors="replace") for p in (LAB / "state").rglob("*.json"))
    assert '"pic-site-bibliotheque-libre"' in state  # the state file is the one of this stack
    secrets = [
        (LAB / "passphrase").read_text().strip(),
        *(
            "".join((LAB / k).read_text().splitlines()[1:-1])[:60]
            for k in ("keys/deploy", "web1/ssh_host_ed25519_key", "db/ssh_host_ed25519_key")
        ),
    ]
    for secret in secrets:
        assert secret and secret not in state


def test_second_up_changes_nothing_and_refresh_finds_no_drift(lab: None) -> None:
    run("lab/pulumi", "preview", "--expect-no-changes", "--diff")
    run("lab/pulumi", "refresh", "--yes", "--expect-no-changes", "--skip-preview")
    before = inspect("pic-site-bibliotheque-libre", "{{.Id}}")
    run("lab/pulumi", "up", "--yes", "--expect-no-changes", "--skip-preview")
    assert inspect("pic-site-bibliotheque-libre", "{{.Id}}") == before


def test_changed_limit_updates_that_container_alone(lab: None) -> None:
    stack = ROOT / "Pulumi.lab.yaml"
    original = stack.read_text()
    try:
        stack.write_text(original.replace("pic:limits: {memory_mb: 256,", "pic:limits: {memory_mb: 300,"))
        preview = run("lab/pulumi", "preview", "--json").stdout
        steps = json.loads(preview)["steps"]
        changed = {(s["op"], s["urn"].rsplit("::", 1)[1]) for s in steps if s["op"] != "same"}
        assert changed == {("update", "bibliotheque-libre-container")}
        run("lab/pulumi", "up", "--yes", "--skip-preview")
        assert inspect("pic-site-bibliotheque-libre", "{{.HostConfig.Memory}}") == str(300 * 1024 * 1024)
    finally:
        stack.write_text(original)
        run("lab/pulumi", "up", "--yes", "--skip-preview", check=False)


def test_policy_pack_runs_through_the_cli(lab: None) -> None:
    """The policy pack (policy/) runs under the CLI via the language host; the lab passes it."""
    proc = run("lab/pulumi", "preview", "--policy-pack", str(ROOT / "policy"))
    assert "pic@v0.1.0" in proc.stdout  # the pack was loaded and reported
    assert "mandatory" not in proc.stdout

"""Host commands: the file-placing shell command run for real, and the resources under mocks."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pulumi
import pytest

from components.hostcmd import HostAccess, install_file_command, place_file, run_script
from pic.settings import HostSpec
from tests.conftest import require_program
from tests.pulumi_mocks import RecordingMonitor, is_secret, unwrap

SSH_HOST = HostSpec(role="web", address="web1.example.org", private_address="10.0.0.11", ssh_user="deploy")
LOCAL_HOST = HostSpec(role="web", address="localhost", private_address="127.0.0.1", connection="local")


def test_install_file_command_writes_atomically_with_mode(tmp_path: Path) -> None:
    target = tmp_path / "priv" / "db.php"
    owner = str(os.getuid())
    cmd = install_file_command(str(target), mode="0600", owner=owner)
    subprocess.run(["sh", "-eu", "-c", cmd], input="<?php secret\n", text=True, check=True)
    assert target.read_text() == "<?php secret\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.stat().st_uid == int(owner)
    subprocess.run(["sh", "-eu", "-c", cmd], input="v2\n", text=True, check=True)
    assert target.read_text() == "v2\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["db.php"], "a temporary file was left behind"


def test_install_file_command_handles_spaces_and_quotes(tmp_path: Path) -> None:
    target = tmp_path / "a dir" / "it's.conf"
    cmd = install_file_command(str(target), mode="0644", owner=str(os.getuid()))
    subprocess.run(["sh", "-eu", "-c", cmd], input="x", text=True, check=True)
    assert target.read_text() == "x"


def test_install_file_command_passes_shellcheck(tmp_path: Path) -> None:
    shellcheck = require_program("shellcheck")
    script = tmp_path / "place.sh"
    script.write_text(
        "#!/bin/sh\n" + install_file_command("/srv/members/a b/priv/x", mode="0600", owner="10001") + "\n"
    )
    proc = subprocess.run([shellcheck, "-s", "sh", str(script)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout


@pulumi.runtime.test
def test_remote_and_local_commands(pulumi_env: RecordingMonitor) -> pulumi.Output[None]:
    remote = HostAccess("web1", SSH_HOST, pulumi.Output.secret("KEY"))
    local = HostAccess("web1", LOCAL_HOST)
    opts = pulumi.ResourceOptions()
    a = run_script("setup", remote, "echo hi\n", opts=opts)
    b = place_file(
        "secret-file",
        remote,
        "/srv/members/x/priv/.my.cnf",
        pulumi.Output.secret("pw"),
        opts=opts,
        mode="0600",
        owner="10001",
        secret=True,
    )
    c = place_file("local-file", local, "/tmp/x.conf", "content", opts=opts)

    def check(_: object) -> None:
        regs = {r.name: r for r in pulumi_env.registrations.values()}
        assert regs["setup"].type == "command:remote:Command"
        assert regs["setup"].inputs["create"] == "sudo -n sh -eu -s"
        assert regs["setup"].inputs["update"] == regs["setup"].inputs["create"], "a changed script is an update"
        assert "delete" not in regs["setup"].inputs, "nothing is removed unless asked"
        connection = regs["setup"].inputs["connection"]
        assert is_secret(connection), "the connection carries the private key: it must be secret as a whole"
        assert unwrap(connection)["privateKey"] == "KEY" and unwrap(connection)["user"] == "deploy"
        secret = regs["secret-file"]
        assert is_secret(secret.inputs["stdin"]) and secret.inputs["logging"] == "none"
        assert "chmod 0600" in secret.inputs["create"] and "10001:10001" in secret.inputs["create"]
        assert regs["local-file"].type == "command:local:Command"

    return pulumi.Output.all(a.urn, b.urn, c.urn).apply(check)


def test_root_login_needs_no_sudo() -> None:
    from components.hostcmd import _as_root

    root = HostAccess("db", HostSpec(role="db", address="db.example.org", private_address="10.0.0.10", ssh_user="root"))
    assert _as_root(root, "true") == "true"
    assert _as_root(HostAccess("w", SSH_HOST), "true") == "sudo -n true"


@pytest.mark.parametrize("mode", ["0600", "0644", "0750"])
def test_modes_are_applied(tmp_path: Path, mode: str) -> None:
    target = tmp_path / f"f{mode}"
    subprocess.run(
        ["sh", "-eu", "-c", install_file_command(str(target), mode=mode, owner=str(os.getuid()))],
        input="x",
        text=True,
        check=True,
    )
    assert stat.S_IMODE(target.stat().st_mode) == int(mode, 8)

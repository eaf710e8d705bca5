"""Host commands: the file-placing shell command run for real, and the resources under mocks."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pulumi
import pytest

from components.hostcmd import HostAccess, install_file_command, place_file, run_script
from pic.settings import HostSpec
from tests.conftest import require_program, require_root
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


@pytest.mark.parametrize("owner", ["root", "10001"])
def test_install_file_command_passes_shellcheck(tmp_path: Path, owner: str) -> None:
    shellcheck = require_program("shellcheck")
    command = install_file_command("/srv/members/a b/priv/x", mode="0600", owner=owner)
    scripts = [command]
    if owner != "root":  # the member's part runs as `sh -c '<script>'`: check that script itself too
        inner = command.split(" sh -eu -c ", 1)[1]
        unquoted = subprocess.run(["sh", "-c", f"printf %s {inner}"], capture_output=True, text=True, check=True)
        scripts.append(unquoted.stdout)
    for i, text in enumerate(scripts):
        script = tmp_path / f"place{i}.sh"
        script.write_text("#!/bin/sh\n" + text + "\n")
        # SC2016: the member's script is single-quoted on purpose: it expands in the member's shell
        proc = subprocess.run(
            [shellcheck, "-s", "sh", "-e", "SC2016", str(script)], capture_output=True, text=True, check=False
        )
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
        assert "chmod 0600" in secret.inputs["create"]
        assert "setpriv --reuid=10001 --regid=10001" in secret.inputs["create"], "written as the member"
        assert regs["local-file"].type == "command:local:Command"

    return pulumi.Output.all(a.urn, b.urn, c.urn).apply(check)


@pytest.mark.parametrize("part", ["prelude", "epilogue"])
def test_a_script_around_the_files_that_does_not_split_into_words_is_refused(part: str) -> None:
    """pic plan and the policy pack read the files of place_files by splitting its whole script into shell words
    (script_files): an apostrophe alone in a comment of the script before or after them is refused, named."""
    from components.hostcmd import HostFile, place_files

    host = HostAccess("web1", LOCAL_HOST)
    lone = "# the member's keys\necho done\n"
    prelude, epilogue = (lone, "") if part == "prelude" else ("", lone)
    with pytest.raises(ValueError, match=rf"^web1-x: its {part} does not split into shell words \(No closing"):
        place_files(
            "web1-x", host, [HostFile("/etc/x", "x")], opts=pulumi.ResourceOptions(), prelude=prelude, epilogue=epilogue
        )


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


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A directory any uid can traverse (pytest's tmp_path is root-only)."""
    path = Path(tempfile.mkdtemp(prefix="pic-hostcmd-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path)


def test_member_file_is_written_by_the_member_and_never_follows_its_links(open_dir: Path) -> None:
    """A link the member planted at the target is replaced, not followed; the file is the member's."""
    require_root("acts as a member's uid")
    tmp_path = open_dir
    member_dir = tmp_path / "priv"
    member_dir.mkdir()
    os.chown(member_dir, 10901, 10901)
    victim = tmp_path / "victim"
    victim.write_text("root's file\n")
    (member_dir / ".my.cnf").symlink_to(victim)
    cmd = install_file_command(str(member_dir / ".my.cnf"), mode="0600", owner="10901")
    subprocess.run(["sh", "-eu", "-c", cmd], input="[client]\npassword=x\n", text=True, check=True)
    placed = member_dir / ".my.cnf"
    assert not placed.is_symlink()
    assert placed.read_text() == "[client]\npassword=x\n"
    assert (placed.stat().st_uid, placed.stat().st_gid) == (10901, 10901)
    assert stat.S_IMODE(placed.stat().st_mode) == 0o600
    assert victim.read_text() == "root's file\n"
    assert victim.stat().st_uid == 0


def test_member_file_cannot_reach_outside_what_the_member_may_write(open_dir: Path) -> None:
    """Pointed at a directory the member cannot write, the command fails instead of writing as root."""
    require_root("acts as a member's uid")
    tmp_path = open_dir
    root_dir = tmp_path / "etc"
    root_dir.mkdir(mode=0o755)
    cmd = install_file_command(str(root_dir / "passwd"), mode="0644", owner="10901")
    proc = subprocess.run(["sh", "-eu", "-c", cmd], input="x\n", text=True, capture_output=True, check=False)
    assert proc.returncode != 0
    assert not (root_dir / "passwd").exists()


def test_a_files_script_writes_each_file_exactly_and_removes_the_others(open_dir: Path) -> None:
    """place_files' script, run by sh: each content byte for byte (quotes, newlines, no final newline),
    each mode and owner, a removed path gone; and script_files reads back what it writes."""
    require_root("writes a file as a member's uid")
    from components.hostcmd import render_files_script, script_files

    member_dir = open_dir / "priv"
    member_dir.mkdir()
    os.chown(member_dir, 10902, 10902)
    gone = open_dir / "etc" / "old.conf"
    gone.parent.mkdir()
    gone.write_text("old\n")
    files = [
        (str(open_dir / "etc" / "it's.conf"), "a 'quoted' \"text\"\n$HOME `x` \\n\n", "0644", "root", None),
        (str(member_dir / "db.my.cnf"), "[client]\npassword=p'w\nno final newline", "0600", "10902", None),
    ]
    script = render_files_script(files, [str(gone)])
    subprocess.run(["sh", "-eu", "-s"], input=script, text=True, check=True)
    for path, content, mode, owner, _ in files:
        target = Path(path)
        assert target.read_text() == content, path
        assert stat.S_IMODE(target.stat().st_mode) == int(mode, 8), path
        assert target.stat().st_uid == (0 if owner == "root" else int(owner)), path
    assert not gone.exists()
    assert script_files(script) == {p: (c, install_file_command(p, mode=m, owner=o)) for p, c, m, o, _ in files}
    shellcheck = require_program("shellcheck")
    (open_dir / "files.sh").write_text("#!/bin/sh\n" + script)
    # SC2016: contents and the member's script are single-quoted on purpose (nothing expands)
    check = [shellcheck, "-s", "sh", "-e", "SC2016", str(open_dir / "files.sh")]
    proc = subprocess.run(check, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout


def test_the_fast_check_of_shell_words_agrees_with_shlex() -> None:
    """splits_into_words, which place_files asks first, says what shlex.split does: every text of up to 6
    characters of quotes, '\\', a space, a line break and a letter (55,987 texts), then longer scripts."""
    import itertools
    import shlex

    from components.hostcmd import splits_into_words

    def shlex_splits(text: str) -> bool:
        try:
            shlex.split(text)
        except ValueError:
            return False
        return True

    disagree = [
        text
        for length in range(7)
        for text in map("".join, itertools.product("'\"\\ a\n", repeat=length))
        if splits_into_words(text) != shlex_splits(text)
    ]
    assert not disagree, disagree[:10]
    for script in ("# the member's keys\necho done\n", "echo \"it's\" 'a \"b' \\\n", 'printf "%s\\\\" x\n'):
        assert splits_into_words(script) == shlex_splits(script), script

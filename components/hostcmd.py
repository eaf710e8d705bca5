"""Running scripts and placing files on a host: over ssh (prod) or on the admin's machine (dev).

Creates nothing by itself: the components call these helpers, which declare
``command.remote.Command`` for ``connection: ssh`` hosts and
``command.local.Command`` for ``connection: local`` hosts.

- Scripts and file contents travel on stdin, never on a command line, so they
  never show in a process list; anything secret is sent with logging off.
- A changed script or file is an *update* (the same command runs again), not
  a replacement: scripts are idempotent, files are rewritten atomically.
- Nothing is deleted when a resource goes away unless the caller gives an
  explicit ``delete`` command: member data is never removed as a side effect.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_command as command

from pic.settings import HostSpec


@dataclass(frozen=True)
class HostAccess:
    """How to reach one host of the stack."""

    name: str
    spec: HostSpec
    private_key: pulumi.Output[str] | None = None  # secret; None for local hosts

    @property
    def local(self) -> bool:
        return self.spec.connection == "local"

    def connection(self) -> command.remote.ConnectionArgs:
        return command.remote.ConnectionArgs(
            host=self.spec.address,
            port=self.spec.ssh_port,
            user=self.spec.ssh_user,
            private_key=self.private_key,
            dial_error_limit=5,
        )


def host_access(name: str, spec: HostSpec) -> HostAccess:
    """Access to a host; ssh hosts use the stack secret ``pic:sshPrivateKey``."""
    if spec.connection == "local":
        return HostAccess(name, spec)
    return HostAccess(name, spec, pulumi.Config("pic").require_secret("sshPrivateKey"))


def command_type(host: HostAccess) -> str:
    """The resource type of the commands run on ``host`` (local or over ssh)."""
    return "command:local:Command" if host.local else "command:remote:Command"


def _as_root(host: HostAccess, cmd: str) -> str:
    """Run ``cmd`` as root: directly if we log in as root, else through non-interactive sudo."""
    if not host.local and host.spec.ssh_user == "root":
        return cmd
    return f"sudo -n {cmd}"


def _command(
    name: str,
    host: HostAccess,
    create: str,
    stdin: pulumi.Input[str],
    *,
    opts: pulumi.ResourceOptions,
    delete: str | None,
    logging: str,
    environment: pulumi.Input[dict[str, pulumi.Input[str]]] | None = None,
) -> pulumi.CustomResource:
    """One command resource: remote over ssh, or local; the same command creates and updates."""
    if host.local:
        return command.local.Command(
            name,
            create=create,
            update=create,
            delete=delete,
            stdin=stdin,
            environment=environment,
            logging=command.local.Logging(logging),
            opts=opts,
        )
    return command.remote.Command(
        name,
        connection=host.connection(),
        create=create,
        update=create,
        delete=delete,
        stdin=stdin,
        environment=environment,
        logging=command.remote.Logging(logging),
        opts=opts,
    )


def run_script(
    name: str,
    host: HostAccess,
    script: pulumi.Input[str],
    *,
    opts: pulumi.ResourceOptions,
    delete: str | None = None,
    secret: bool = False,
    environment: pulumi.Input[dict[str, pulumi.Input[str]]] | None = None,
) -> pulumi.CustomResource:
    """Run an idempotent shell script as root on ``host``; a changed script runs again."""
    return _command(
        name,
        host,
        _as_root(host, "sh -eu -s"),
        script,
        opts=opts,
        delete=_as_root(host, f"sh -eu -c {shlex.quote(delete)}") if delete else None,
        logging="none" if secret else "stdoutAndStderr",
        environment=environment,
    )


def install_file_command(path: str, *, mode: str, owner: str, group: str | None = None) -> str:
    """A shell command that writes stdin to ``path`` atomically with the given mode and owner.

    The file is written next to its destination with its final mode, then
    renamed over it: readers see the old or the new file, never half of one,
    and a secret file is never readable by others even for a moment.

    A file for a member (``owner`` given as a numeric uid, as members are
    known by their registry uid) is written *by the member* (setpriv to that
    uid and gid): its directory belongs to the member, and root writing or
    chown-ing there could be led by a link the member planted to any file of
    the host. Files for named accounts (root, sympa, ...) are written by root
    and chown-ed: they belong in directories no member can write.
    """
    target = shlex.quote(path)
    directory = shlex.quote(path.rsplit("/", 1)[0] or "/")
    write = (
        f'umask 077; mkdir -p {directory}; tmp=$(mktemp {target}.XXXXXX); cat > "$tmp"; '
        f'chmod {shlex.quote(mode)} "$tmp"; '
    )
    if not owner.isdigit() or owner == "0":
        owner_group = shlex.quote(f"{owner}:{group or owner}")
        return f'{write}chown {owner_group} "$tmp"; mv -f "$tmp" {target}'
    as_member = f"setpriv --reuid={shlex.quote(owner)} --regid={shlex.quote(group or owner)} --clear-groups"
    move = f'mv -f "$tmp" {target}'
    return f"{as_member} sh -eu -c {shlex.quote(write + move)}"


def place_file(
    name: str,
    host: HostAccess,
    path: str,
    content: pulumi.Input[str],
    *,
    opts: pulumi.ResourceOptions,
    mode: str = "0644",
    owner: str = "root",
    group: str | None = None,
    secret: bool = False,
    remove_on_delete: bool = False,
) -> pulumi.CustomResource:
    """Write ``content`` to ``path`` on ``host``; rewritten when the content changes."""
    script = install_file_command(path, mode=mode, owner=owner, group=group)
    return _command(
        name,
        host,
        _as_root(host, f"sh -eu -c {shlex.quote(script)}"),
        content,
        opts=opts,
        delete=_as_root(host, f"rm -f {shlex.quote(path)}") if remove_on_delete else None,
        logging="none" if secret else "stderr",
    )


@dataclass(frozen=True)
class HostFile:
    """One file of :func:`place_files`: its path, content, mode and owner (as :func:`install_file_command`)."""

    path: str
    content: pulumi.Input[str]
    mode: str = "0644"
    owner: str = "root"
    group: str | None = None


def render_files_script(files: Sequence[tuple[str, str, str, str, str | None]], removed: Sequence[str]) -> str:
    """A shell script writing each ``(path, content, mode, owner, group)`` as :func:`install_file_command`
    does, then removing each path of ``removed`` (``rm -f``).

    Each content travels as a shell-quoted argument of ``printf``, a builtin of the shell: never on
    a command line of its own process, the bytes exactly as given (no final newline added).
    """
    lines = []
    for path, content, mode, owner, group in files:
        install = install_file_command(path, mode=mode, owner=owner, group=group)
        lines.append(f"printf '%s' {shlex.quote(content)} | sh -eu -c {shlex.quote(install)}")
    lines += [f"rm -f {shlex.quote(path)}" for path in removed]
    return "\n".join(lines) + "\n"


def script_files(script: str) -> dict[str, tuple[str, str]]:
    """The files a :func:`render_files_script` script writes: path -> (content, the command installing it)."""
    words = shlex.split(script)
    out: dict[str, tuple[str, str]] = {}
    for i in range(len(words) - 7):
        if words[i : i + 2] == ["printf", "%s"] and words[i + 3 : i + 7] == ["|", "sh", "-eu", "-c"]:
            install = words[i + 7]
            inner = shlex.split(install)[-1] if install.startswith("setpriv ") else install
            out[shlex.split(inner.rsplit('mv -f "$tmp" ', 1)[1])[0]] = (words[i + 2], install)
    return out


# What shlex.split (POSIX mode, comments not read) splits without an error: each quote closed, no '\' at the end
# (outside quotes or inside double quotes, '\' takes the next character whatever it is; inside single quotes it
# is a character). Possessive: linear, no backtracking.
_SHELL_WORDS = re.compile(r"""(?:[^'"\\]++|\\[\s\S]|'[^']*+'|"(?:[^"\\]++|\\[\s\S])*+")*+""")


def splits_into_words(text: str) -> bool:
    """Whether ``shlex.split(text)`` returns (raises no ValueError: ``No closing quotation``, ``No escaped
    character``), found by one regular expression: about 100 times faster than shlex's tokenizer, which took
    2 ms for each member's space script at every evaluation of the program (bench/bench_program.py).
    tests/test_hostcmd.py compares the two on every text of up to 6 characters made of quotes, '\\', a space,
    a line break and a letter."""
    return _SHELL_WORDS.fullmatch(text) is not None


def place_files(
    name: str,
    host: HostAccess,
    files: list[HostFile],
    *,
    removed: tuple[str, ...] = (),
    opts: pulumi.ResourceOptions,
    delete: str | None = None,
    secret: bool = False,
    prelude: str = "",
    epilogue: str = "",
) -> pulumi.CustomResource:
    """Write several files on ``host`` with one command (and remove the paths of ``removed``, files this
    state of the member has no use for); the whole script runs again when any content changes.

    The paths are the arguments of the script (``sh -eu -s -- PATH...``, unused by it), so that they
    show in the command's ``create`` even when its script is secret: ``pic plan`` reads them there.
    ``delete``: a script run when the resource goes away (nothing is removed otherwise).
    ``prelude``: a script run first (as root, ``sh -eu``), e.g. what makes the files' directories.
    ``epilogue``: a script run last, in the same shell (it reads the prelude's variables), once every file is written.
    """
    for part, text in (("prelude", prelude), ("epilogue", epilogue)):
        if splits_into_words(text):
            continue
        try:
            shlex.split(text)
        except ValueError as err:
            # script_files (pic plan, the policy pack) splits the whole script into shell words: a lone quote
            # here, in a comment too, would swallow the files that follow or stop the split.
            raise ValueError(
                f"{name}: its {part} does not split into shell words ({err}): pic plan and the policy pack read "
                "the files of this command by splitting its script so; write the comments without a lone quote "
                "(an apostrophe)"
            ) from err
    paths = [f.path for f in files] + list(removed)
    create = _as_root(host, "sh -eu -s -- " + " ".join(shlex.quote(p) for p in paths))
    script = pulumi.Output.all(*(f.content for f in files)).apply(
        lambda contents: (
            prelude
            + render_files_script(
                [(f.path, str(c), f.mode, f.owner, f.group) for f, c in zip(files, contents, strict=True)],
                list(removed),
            )
            + epilogue
        )
    )
    return _command(
        name,
        host,
        create,
        pulumi.Output.secret(script) if secret else script,
        opts=opts,
        delete=_as_root(host, f"sh -eu -c {shlex.quote(delete)}") if delete else None,
        logging="none" if secret else "stderr",
    )

"""Text that admins and members write never runs as shell code on a host.

Stack settings (addresses, the off-site repository and its host key) and member files (names, contact,
keys, notes, cron jobs) accept characters that mean something to a shell: an address may hold
`` ` ``, ``$``, ``{``, ``}``, ``'``, ``|`` and ``&`` (RFC 5322 atext), a name anything printable. The
whole program is evaluated under mocks for a stack and members whose every free-form value carries
such text, and every shell script it sends to a host is read with a small scanner of shell quoting:
the hostile text may only sit inside single quotes, inside a heredoc whose delimiter is quoted, or
in a comment. Scripts nested in others (``sh -c '...'``, a script file written by a heredoc or by
``printf '%s' '...'``, the shell fragments the dump and off-site scripts source) are read in turn.

The cron command of a member is its own program, run as the member in its container: it is only
checked to be quoted in the scripts that root runs to install it.

The failure path of the certificate renewal job is also run for real with ``sh``: the report cannot
be mailed (a stand-in ``curl`` fails) and the message names the address without running it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.hostcmd import script_files
from pic.errors import PicError
from pic.plan import engine
from pic.registry import load_registry
from pic.render import db, offsite, tls
from pic.render.retire import render_retire_script
from pic.render.web import render_move_script
from pic.settings import load_settings
from tests.conftest import ROOT, require_program
from tests.helpers import ed25519_key

# Each hostile value runs `touch /tmp/pwn-<field>` if a shell ever reads it as code; the marker
# below finds it in a script, however the value was quoted there.
MARKER = "/tmp/pwn-"  # a path in hostile text, never created


def free_text(field: str) -> str:
    """One line of printable text that breaks out of single and double quotes."""
    return f'O\'Brien "$(touch {MARKER}{field})"; `touch {MARKER}{field}` & $HOME \'x"y|z'


def address(field: str) -> str:
    """A valid address (RFC 5322 atext before the @) that is a command for a shell."""
    return f"o'b`touch${{IFS}}{MARKER}{field}`{{x}}|y&z@example.org"


def multi_line(field: str) -> str:
    """Text of several lines, some of which end the heredocs of the scripts."""
    return f"first line\nPIC_SQL\nEOF\nPIC_CONF\n$(touch {MARKER}{field})\n'\"`touch {MARKER}{field}`"


SECRET_KEYS = (
    "pic:dbAdminPassword",
    "pic:sshPrivateKey",
    "pic:backupRepositoryPassword",
    "pic:backupSshKey",
)
KNOWN_HOSTS_KEY = "AAAAC3NzaC1lZDI1NTE5AAAAIEkKKvAqbyVZ8e/bkxxIyZTS0bDUe+4wzaNMw+HxnWcK"


def platform_address(field: str) -> str:
    """The platform's own addresses take letters, digits and . _ + - before the @ (validators.check_ascii_email:
    a shell's characters are refused there): the marker of the field, as far as they allow."""
    return f"o.b+{MARKER.strip('/').replace('/', '.')}{field}@example.org"


def hostile_settings(text: str, stack: str) -> str:
    """The stack file with the off-site backup's text and the SMTP user hostile, the platform's addresses as
    odd as they may be; prod also gets a second web host (for ``pic move-script``) and the DNS zones served
    by the platform."""
    data = yaml.safe_load(text)
    config = data["config"]
    config["pic:admin_email"] = platform_address("admin")
    config["pic:tls"]["acme_email"] = platform_address("acme")
    config["pic:mail"]["dmarc_reports"] = platform_address("dmarc")
    config["pic:db"] = {**config.get("pic:db", {}), "report_to": platform_address("dbreport")}
    config["pic:smtp"] = {
        "host": "smtp.example.org",
        "username": free_text("smtpuser"),
        "sender": platform_address("sender"),
    }
    config["pic:backup"]["offsite"] = {
        "repository": f"sftp://restic@vault.example.net:2222//srv/a'b\"c;$(touch${{IFS}}{MARKER}repo)`id`",
        "known_hosts": f"[vault.example.net]:2222 ssh-ed25519 {KNOWN_HOSTS_KEY} {free_text('knownhosts')}",
    }
    if stack == "prod":
        config["pic:hosts"]["web2"] = {"role": "web", "address": "web2.example.org", "private_address": "10.0.0.12"}
        config["pic:dns"] = {"backend": "zonefile", "zones": ["example.org"], "listen": ["192.0.2.53"]}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def hostile_member(path: Path) -> None:
    """A member file with every free-form value hostile."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["name"] = free_text("name")
    data["contact"]["name"] = free_text("contact")
    data["contact"]["email"] = address("email")
    data["notes"] = multi_line("notes")
    if data.get("access", {}).get("sftp_keys"):
        data["access"]["sftp_keys"] = [ed25519_key(data["uid"], free_text("key"))]
    for job in data.get("cron", []):
        # A command sh can read (cron jobs with a syntax error are refused at load), hostile all the same.
        job["command"] = free_text("cron") + '"'
    if data.get("exceptions", {}).get("php_eol"):
        data["exceptions"]["php_eol"]["reason"] = free_text("reason")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def hostile_project(directory: Path, stack: str) -> Path:
    """A copy of the program with the example members and stack ``stack`` (as prod), hostile text everywhere."""
    directory.mkdir(parents=True)
    shutil.copy(ROOT / "__main__.py", directory / "__main__.py")
    shutil.copy(ROOT / "Pulumi.yaml", directory / "Pulumi.yaml")
    text = (ROOT / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8")
    (directory / "Pulumi.prod.yaml").write_text(hostile_settings(text, stack), encoding="utf-8")
    shutil.copytree(ROOT / "members", directory / "members")
    for path in sorted((directory / "members").glob("*.yaml")):
        hostile_member(path)
    return directory


# --- the scanner -------------------------------------------------------------------------------

# What each character of a script is to the shell that reads it.
OUTSIDE = "outside"  # a word of a command: expanded, split, run
SINGLE = "single"  # '...': literal
DOUBLE = "double"  # "...": $(...), `...` and $var expanded
ESCAPED = "escaped"  # the character after a backslash: literal
COMMENT = "comment"  # from # to the end of the line: ignored
HEREDOC_QUOTED = "heredoc-quoted"  # the body of <<'EOF': literal
HEREDOC = "heredoc"  # the body of <<EOF: expanded as in double quotes
SAFE = {SINGLE, ESCAPED, COMMENT, HEREDOC_QUOTED}

# <<WORD, <<-WORD, <<'WORD', <<"WORD", <<\\WORD; not <<< (a here-string) nor $((1 << 30)).
_HEREDOC = re.compile(r"(?<!<)<<(?!<)(-?)[ \t]*(\"[^\"\n]*\"|'[^'\n]*'|\\?[A-Za-z_][A-Za-z0-9_.-]*)")


@dataclass(frozen=True)
class Heredoc:
    start: int  # index of the first character of the body
    end: int  # index after the body (the delimiter line not included)
    quoted: bool


def quoting_states(text: str) -> tuple[list[str], list[Heredoc]]:
    """The quoting state of every character of ``text`` (a POSIX shell script), and its heredocs.

    A small reader, not a parser: quotes, backslashes, comments, heredocs, and ``$(...)`` inside
    double quotes (whose content is shell again). It errs on the side of danger: a backquote inside
    double quotes leaves what follows it double-quoted, never single-quoted.
    """
    states = [OUTSIDE] * len(text)
    heredocs: list[Heredoc] = []
    stack = [OUTSIDE]  # OUTSIDE or DOUBLE; OUTSIDE again inside "$(...)"
    depth = [0]  # parentheses open in each OUTSIDE context
    pending: list[tuple[str, bool, bool]] = []  # heredocs opened on this line: delimiter, quoted, strip tabs
    i = 0
    while i < len(text):
        ch, here = text[i], stack[-1]
        if here == OUTSIDE:
            if ch == "'":
                end = text.find("'", i + 1)
                end = len(text) - 1 if end < 0 else end
                states[i : end + 1] = [SINGLE] * (end + 1 - i)
                i = end + 1
                continue
            if ch == "\\":
                states[i : i + 2] = [ESCAPED] * len(states[i : i + 2])
                i += 2
                continue
            if ch == "#" and (i == 0 or text[i - 1] in " \t\n;&|()"):
                end = text.find("\n", i)
                end = len(text) if end < 0 else end
                states[i:end] = [COMMENT] * (end - i)
                i = end
                continue
            if ch == '"':
                stack.append(DOUBLE)
                states[i] = DOUBLE
                i += 1
                continue
            match = _HEREDOC.match(text, i)
            if match:
                word = match[2]
                quoted = word[0] in "'\"\\"
                pending.append((word.strip("'\"\\"), quoted, match[1] == "-"))
                i = match.end()
                continue
            if ch == "(":
                depth[-1] += 1
            elif ch == ")" and len(stack) > 1:
                if depth[-1] == 0:
                    stack.pop()
                    depth.pop()
                    states[i] = stack[-1]
                    i += 1
                    continue
                depth[-1] -= 1
            if ch == "\n" and pending:
                i = _read_heredocs(text, i + 1, pending, states, heredocs)
                pending = []
                continue
            i += 1
            continue
        # in double quotes
        states[i] = DOUBLE
        if ch == "\\":
            states[i : i + 2] = [DOUBLE] * len(states[i : i + 2])
            i += 2
        elif ch == '"':
            stack.pop()
            i += 1
        elif text.startswith("$(", i):
            states[i + 1] = DOUBLE
            stack.append(OUTSIDE)
            depth.append(0)
            i += 2
        else:
            i += 1
    return states, heredocs


def _read_heredocs(
    text: str, i: int, pending: list[tuple[str, bool, bool]], states: list[str], heredocs: list[Heredoc]
) -> int:
    """Mark the bodies of the heredocs opened on the line before ``i``; the index after the last one."""
    for delimiter, quoted, strip in pending:
        start = i
        while i < len(text):
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            line = text[i:end].lstrip("\t") if strip else text[i:end]
            if line == delimiter:
                heredocs.append(Heredoc(start, i, quoted))
                i = end + 1
                break
            states[i : end + 1] = [HEREDOC_QUOTED if quoted else HEREDOC] * len(states[i : end + 1])
            i = end + 1
        else:
            heredocs.append(Heredoc(start, len(text), quoted))
    return i


def exposed(text: str, markers: tuple[str, ...] = (MARKER,)) -> list[str]:
    """Each place where a marker stands where a shell would read it (not single-quoted, not in a
    quoted heredoc, not in a comment), with its line and state."""
    states, _ = quoting_states(text)
    found = []
    for marker in markers:
        for match in re.finditer(re.escape(marker), text):
            bad = {states[k] for k in range(match.start(), match.end())} - SAFE
            if bad:
                line = text.count("\n", 0, match.start()) + 1
                shown = text.splitlines()[line - 1]
                found.append(f"line {line} ({', '.join(sorted(bad))}): {shown[:160]}")
    return found


# --- the scripts -------------------------------------------------------------------------------

SHELL_SHEBANG = re.compile(r"#!\s*/(usr/)?bin/(env\s+)?(ba|da)?sh\b")
# Files that are not scripts but that scripts source: shell, too.
SOURCED = {db.DUMP_CONF, offsite.CONF}


def is_shell(text: str) -> bool:
    return SHELL_SHEBANG.match(text) is not None


_SH_C = re.compile(r"\b(?:ba)?sh(?: -[a-z]+)* -[a-z]*c[ \t]+")
_FILES = re.compile(r"^printf '%s' ", re.MULTILINE)


def first_word(text: str) -> str | None:
    """The first shell word of ``text``, its quotes removed; None when it cannot be read."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|()<>")
    lexer.whitespace_split = True
    try:
        return lexer.get_token()
    except ValueError:
        return None


def nested(where: str, text: str) -> Iterator[tuple[str, str]]:
    """``text`` (shell) and every shell script inside it: ``sh -c`` arguments, script files written
    by a heredoc or by ``printf '%s' '...'`` (the files of :func:`components.hostcmd.place_files`)."""
    yield where, text
    states, heredocs = quoting_states(text)
    for h in heredocs:
        body = text[h.start : h.end]
        if is_shell(body):
            yield from nested(f"{where}, heredoc {body[:30]!r}", body)
    for match in _SH_C.finditer(text):
        if states[match.start()] != OUTSIDE:
            continue
        word = first_word(text[match.end() :])
        if word and not word.startswith("$"):
            yield from nested(f"{where}, {match[0]}{word[:30]!r}", word)
    files = _FILES.search(text)
    if files:
        for path, (content, _install) in script_files(text[files.start() :]).items():
            if is_shell(content) or path in SOURCED:
                yield from nested(f"{where}, file {path}", content)


def _plain(value: Any) -> Any:
    return value.get("value") if engine.is_secret(value) else value


def installed_path(create: str) -> str:
    """The file a command of :func:`components.hostcmd.place_file` writes ("" for another command)."""
    while (match := _SH_C.search(create)) is not None:
        create = first_word(create[match.end() :]) or ""
    _, mv, rest = create.rpartition('mv -f "$tmp" ')
    return (first_word(rest) or "") if mv else ""


def program_scripts(project: Path) -> Iterator[tuple[str, str]]:
    """Every shell text the program sends to a host: commands, their scripts, and the files that are
    scripts (or sourced by scripts)."""
    run = engine.run_program(project, "prod", project / "members", secret_keys=SECRET_KEYS)
    for record in run.records:
        if not record.type.startswith("command:"):
            continue
        inputs = {k: _plain(v) for k, v in record.inputs.items()}
        for key in ("create", "update", "delete"):
            if isinstance(inputs.get(key), str):
                yield from nested(f"{record.name} {key}", inputs[key])
        stdin, create = inputs.get("stdin"), inputs.get("create", "")
        if not isinstance(stdin, str):
            continue
        if " sh -eu -s" in f" {create}" or is_shell(stdin):
            yield from nested(f"{record.name} stdin", stdin)
        else:
            path = installed_path(create)
            if path in SOURCED:
                yield from nested(f"{record.name} stdin ({path})", stdin)


def command_scripts(project: Path) -> Iterator[tuple[str, str]]:
    """The scripts of ``pic move-script``: each member with a site moved to web2, and retired from it."""
    settings = load_settings(project, "prod")
    for member in load_registry(project / "members", settings):
        if member.site is not None and member.host == "web1":
            yield from nested(f"move-script {member.slug}", render_move_script(settings, member, "web2"))
            yield from nested(f"retire-script {member.slug}", render_retire_script(settings, member, "web2"))


# --- the tests ---------------------------------------------------------------------------------


# The hostile values each stack puts in its scripts (the dev stack's certificates come from its own CA:
# no ACME account, no renewal job).
REACHING = {
    "prod": ("repo", "cron"),
    "dev": ("repo", "cron"),
}


@dataclass(frozen=True)
class Scripts:
    stack: str
    texts: list[tuple[str, str]]  # (where, shell text)


@pytest.fixture(scope="module", params=sorted(REACHING))
def scripts(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Scripts:
    """Every shell text of the program for a hostile registry on the prod and the dev stack (each as prod)."""
    stack: str = request.param
    project = hostile_project(tmp_path_factory.mktemp(stack) / "project", stack)
    found = list(program_scripts(project))
    if stack == "prod":
        found += command_scripts(project)
    return Scripts(stack, found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("echo 'M'", SINGLE),
        ('echo "M"', DOUBLE),
        ("echo M", OUTSIDE),
        ("echo \\M", ESCAPED),
        ("echo hi # M", COMMENT),
        ("echo a#M", OUTSIDE),  # a # inside a word starts no comment
        ("echo \"$(printf '%s' 'M')\"", SINGLE),  # the command substitution is shell again
        ("echo \"$(printf '%s' M)\"", OUTSIDE),
        ("echo \"'M'\"", DOUBLE),  # single quotes are plain characters between double quotes
        ("cat <<'EOF'\nM\nEOF\n", HEREDOC_QUOTED),
        ('cat <<-"EOF"\nM\n\tEOF\n', HEREDOC_QUOTED),
        ("cat <<EOF\nM\nEOF\n", HEREDOC),
        ("cat <<'EOF'\nx\nEOF\necho M\n", OUTSIDE),  # after the delimiter line: shell again
        ("x=$((1 << 3)); echo 'M'", SINGLE),  # a shift, not a heredoc
    ],
)
def test_the_scanner_reads_shell_quoting(text: str, expected: str) -> None:
    states, _ = quoting_states(text)
    assert states[text.index("M")] == expected


def test_the_hostile_text_reaches_the_scripts(scripts: Scripts) -> None:
    """The check below is only worth something if the values it guards are in the scripts it reads."""
    text = "\n".join(t for _, t in scripts.texts)
    reaching = {m[1] for m in re.finditer(re.escape(MARKER) + "([a-z]+)", text)}
    assert reaching >= set(REACHING[scripts.stack])


def test_no_script_reads_admin_or_member_text_as_code(scripts: Scripts) -> None:
    """Every hostile value sits in single quotes, a quoted heredoc or a comment, in every script."""
    found = [f"{where}: {place}" for where, text in scripts.texts for place in exposed(text)]
    assert found == [], "\n".join(found)


def test_the_renewal_report_that_cannot_be_mailed_names_the_address_and_runs_nothing(tmp_path: Path) -> None:
    """The renewal fails (stand-in certbot), the report cannot be sent (stand-in curl): the message names
    pic:admin_email as written. A shell's characters there are refused by the settings (a test below)."""
    sh = require_program("sh")
    admin = "o.b+renew-report_z@example.org"
    project = tmp_path / "project"
    project.mkdir()
    data = yaml.safe_load((ROOT / "Pulumi.prod.yaml").read_text(encoding="utf-8"))
    data["config"]["pic:admin_email"] = admin
    (project / "Pulumi.prod.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    settings = load_settings(project, "prod")  # the address is valid
    certs, bin_dir, work = tmp_path / "certs", tmp_path / "bin", tmp_path / "work"
    for d in (certs / "velo-cite", bin_dir, work):
        d.mkdir(parents=True)
    (certs / "velo-cite" / "domains").write_text("velo-cite.org www.velo-cite.org\n")
    stand_ins = {
        "certbot": "#!/bin/sh\necho 'An unexpected error occurred'\nexit 1\n",
        "curl": '#!/bin/sh\nprintf \'%s\\n\' "$@" > "$CURL_ARGS"\nexit 7\n',
    }
    for name, text in stand_ins.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    script = tls.render_cert_renew_script(
        settings,
        certs_dir=str(certs),
        letsencrypt_dir=str(tmp_path / "letsencrypt"),
        certbot_dirs=(str(tmp_path / "certbot-work"), str(tmp_path / "certbot-logs")),
    )
    (tmp_path / "cert-renew").write_text(script)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "CURL_ARGS": str(tmp_path / "curl-args")}
    result = subprocess.run(
        [sh, str(tmp_path / "cert-renew")], cwd=work, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1, result.stderr
    assert "FAILED: velo-cite: renewal failed" in result.stdout
    assert f"could not mail the report to {admin} through localhost:25" in result.stderr, result.stderr
    args = (tmp_path / "curl-args").read_text().splitlines()
    assert args[args.index("--mail-rcpt") + 1] == admin


def test_a_platform_address_a_shell_would_read_as_code_is_refused(tmp_path: Path) -> None:
    """The platform's addresses reach certbot's command line, curl's and Caddy's file: a local part holding a
    quote, a backquote or a $ is refused before any script is rendered."""
    project = tmp_path / "project"
    project.mkdir()
    data = yaml.safe_load((ROOT / "Pulumi.prod.yaml").read_text(encoding="utf-8"))
    data["config"]["pic:admin_email"] = address("admin")
    (project / "Pulumi.prod.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(PicError) as info:
        load_settings(project, "prod")
    assert " pic:admin_email: " in str(info.value) and "before the @" in str(info.value), str(info.value)

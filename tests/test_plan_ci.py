"""What goes with pic plan in review: the move script, the comment poster of the CI job, the workflow files.

- ``pic move-script``: shellcheck accepts it, and it really copies a member's space when its ssh
  and sudo are stand-ins that run locally (the source and destination hosts are two directories).
- ``scripts/post-plan-comment``: posts to a forge's API served on loopback, as Forgejo/GitHub and
  GitLab expect it, and says what the forge answered.
- The workflow files parse and run commands and options that exist.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.server
import json
import os
import re
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pic.check import check
from pic.render import web
from pic.settings import HostSpec, Settings
from tests.conftest import ROOT, require_program
from tests.test_render_web import shellcheck

ON = dt.date(2026, 11, 28)
POSTER = ROOT / "scripts" / "post-plan-comment"


def two_hosts(ca: str = "letsencrypt") -> tuple[Settings, Any]:
    checked = check(ROOT, "prod", ROOT / "members", ON)
    s = checked.settings
    hosts = dict(s.hosts)
    hosts["web2"] = HostSpec(role="web", address="web2.example.org", private_address="10.0.0.12", ssh_port=2222)
    return s.model_copy(update={"hosts": hosts, "tls": s.tls.model_copy(update={"ca": ca})}), checked.registry


@pytest.mark.parametrize("ca", ["letsencrypt", "internal"])
def test_move_script_passes_shellcheck_and_copies_what_the_member_owns(ca: str, tmp_path: Path) -> None:
    settings, registry = two_hosts(ca)
    for member in registry:
        script = web.render_move_script(settings, member, "web2")
        shellcheck(script, tmp_path, f"move-{member.slug}.sh")
        assert "rsync -aHX --numeric-ids" in script
        assert "--delete" not in script and "rm " not in script, "a move deletes nothing"
        assert f"/srv/members/{member.slug}/ deploy@web2.example.org:/srv/members/{member.slug}/" in script
        assert "ssh -p 2222" in script, "the destination's own ssh port"
        certified = member.site is not None and member.site.https
        assert (f"/etc/pic/certs/{member.slug}/" in script) == certified, member.slug
        assert (f"/etc/letsencrypt/renewal/{member.slug}.conf" in script) == (certified and ca != "internal")
        # The domains to point at the new host, each named; a member without a site has none to name, nor an
        # archived one, whose site is no longer served (README "A member's space"; the plan's advice says so too).
        served = member.site is not None and member.status != "archived"
        told = "point the DNS of these domains to web2.example.org" in script
        assert told == served, member.slug
        for domain in member.site.domains if served and member.site is not None else ():
            assert f'echo "  {domain}"' in script, (member.slug, domain)
        if member.site is None:
            assert "(the member has no site: no DNS to change)" in script, member.slug
        elif not served:
            assert "(the member is archived: its site is no longer served, no DNS to change)" in script, member.slug
            assert not any(f'echo "  {domain}"' in script for domain in member.site.domains), member.slug
    assert any(m.status == "archived" and m.site is not None for m in registry), "the examples hold one"


def test_move_script_refuses_an_unknown_host_or_the_same_host() -> None:
    settings, registry = two_hosts()
    member = registry.get("velo-cite")
    with pytest.raises(ValueError, match="'web9' is not a web host"):
        web.render_move_script(settings, member, "web9")
    with pytest.raises(ValueError, match="is on web1 already"):
        web.render_move_script(settings, member, "web1")


def test_move_script_on_the_branch_that_moves_the_member_says_where_to_run_it() -> None:
    """The plan of the change tells the reviewer to run ``pic move-script SLUG --to web2``; on that branch
    the file names web2 already, so the refusal says to run it where the file names the host it leaves."""
    settings, registry = two_hosts()
    member = registry.get("velo-cite")
    moved = dataclasses.replace(member, host="web2")
    with pytest.raises(ValueError) as refused:
        web.render_move_script(settings, moved, "web2")
    message = str(refused.value)
    assert "is on web2 already" in message
    assert "where the member is still on the host it leaves" in message and "pic:default_web_host" in message
    assert "target branch" in message and "--members" in message


def test_move_script_refuses_a_host_on_the_admin_s_own_machine() -> None:
    """The dev stack's hosts are all ``connection: local``, the admin's own machine (README): a copy with rsync
    over ssh from web1 to web2 was printed, copying the member onto the machine it is on; and a retirement
    from web1 would lock the account and remove the keys the member keeps on web2, the same machine."""
    checked = check(ROOT, "dev", ROOT / "members", ON)
    hosts = dict(checked.settings.hosts)
    hosts["web2"] = HostSpec(role="web", address="localhost", private_address="127.0.0.1", connection="local")
    settings = checked.settings.model_copy(update={"hosts": hosts})
    from pic.render import retire

    member = checked.registry.get("velo-cite")
    with pytest.raises(ValueError) as refused:
        web.render_move_script(settings, member, "web2")
    assert str(refused.value) == (
        "'web2' is a host of connection: local, the admin's own machine, as every host of stack dev is: "
        "the member's space is there already and stays; nothing to copy"
    )
    moved = dataclasses.replace(member, host="web2")
    with pytest.raises(ValueError) as refused:
        retire.render_retire_script(settings, moved, "web1")
    assert str(refused.value) == (
        "'web1' is a host of connection: local, the admin's own machine, as every host of stack dev is: "
        "the member's account, keys and jobs there are the ones it keeps on web2; nothing to retire"
    )


def _move_script(slug: str) -> subprocess.CompletedProcess[str]:
    """``pic move-script SLUG --to web1`` on the example project, as an admin runs it."""
    return subprocess.run(
        [sys.executable, "-m", "pic", "move-script", slug, "--to", "web1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_move_script_of_no_member_names_the_file_it_looked_for() -> None:
    proc = _move_script("nobody")
    assert proc.returncode == 1 and proc.stdout == "", proc.stdout + proc.stderr
    assert '<command line> slug: "nobody" is no member: there is no members/nobody.yaml' in proc.stderr, proc.stderr
    assert "did you mean" not in proc.stderr, proc.stderr  # no member's slug is close


@pytest.mark.parametrize(
    ("slug", "shown", "meant"),
    [
        ("../velo-cite", '"../velo-cite"', "velo-cite"),
        ("members/velo-cite.yaml", '"members/velo-cite.yaml"', "velo-cite"),
        ("a\x1bb", '"a\\u001bb"', None),
        ("v" * 100_000, '"' + "v" * 76 + "...", None),
    ],
    ids=["parent", "file", "escape", "long"],
)
def test_move_script_of_no_slug_says_what_a_slug_is(slug: str, shown: str, meant: str | None) -> None:
    """A path-shaped value (``../velo-cite``) was said to be no member as there is no members/../velo-cite.yaml,
    a file that may well exist: it is no slug, said as pic new says it, with the member meant when one is close."""
    proc = _move_script(slug)
    assert proc.returncode == 1 and proc.stdout == "", proc.stdout + proc.stderr
    line = proc.stderr.splitlines()[0]
    assert line.startswith(f"<command line> slug: {shown}"), line
    assert " is not a valid slug: 3 to 32 characters, lowercase letters, digits and hyphens" in line, line
    assert "is no member" not in proc.stderr and "\x1b" not in proc.stderr, proc.stderr
    assert line.endswith(f"; did you mean {meant!r}?") == (meant is not None), line
    assert len(line) < 300, len(line)


def test_move_script_of_a_misspelt_member_names_the_member_meant() -> None:
    proc = _move_script("velo-cyte")
    assert proc.returncode == 1 and proc.stdout == "", proc.stdout + proc.stderr
    assert "is no member: there is no members/velo-cyte.yaml; did you mean 'velo-cite'?" in proc.stderr, proc.stderr


def _stand_in(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.mark.parametrize("address", ["web2.example.org", "2001:db8::2"])
def test_move_script_copies_a_space_for_real(tmp_path: Path, address: str) -> None:
    """ssh and sudo replaced by stand-ins that run the command here, each host being a directory.

    The target is named or an IPv6 address, which rsync's user@host:path reads in brackets only.
    """
    require_program("rsync")
    require_program("shellcheck")
    settings, registry = two_hosts("internal")
    root = tmp_path / "srv-members"
    hosts = dict(settings.hosts)
    hosts["web2"] = hosts["web2"].model_copy(update={"address": address})
    settings = settings.model_copy(update={"members_root": str(root), "hosts": hosts})
    member = registry.get("velo-cite")
    space = root / member.slug
    for sub in web.MEMBER_DIRS:
        (space / sub).mkdir(parents=True)
    (space / "www" / "index.php").write_text("<?php echo 'bonjour';\n")
    (space / "priv" / "db.ini").write_text("password=kept\n")
    (space / "priv" / "db.ini").chmod(0o600)
    (space / "www" / "current").symlink_to("index.php")
    web2 = tmp_path / "web2"
    web2.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # ssh [options] login command...: run the command here; on web2, under web2's directory.
    _stand_in(
        bin_dir / "ssh",
        "#!/bin/sh\nwhile [ $# -gt 0 ]; do case $1 in -p|-o|-l) shift 2;; -*) shift;; *) break;; esac; done\n"
        f'login=$1; shift\ncase $login in *{address}) cmd=$(printf %s "$*" | sed "s#{root}#{web2}{root}#g");; '
        '*) cmd=$*;; esac\nexec sh -c "$cmd"\n',
    )
    _stand_in(bin_dir / "sudo", '#!/bin/sh\ncase $1 in --preserve-env=*) shift;; esac\nexec "$@"\n')
    # rsync reaches web2 through the same ssh stand-in ("sudo rsync --server ... <path>"): mapped alike.
    script = web.render_move_script(settings, member, "web2")
    path = tmp_path / "move.sh"
    path.write_text(script)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    for _ in range(2):  # before the merge, and once more after pulumi up: the second run sends nothing new
        proc = subprocess.run(["sh", str(path)], env=env, capture_output=True, text=True, check=False, timeout=60)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    copied = web2 / str(space).lstrip("/")
    assert (copied / "www" / "index.php").read_text() == "<?php echo 'bonjour';\n"
    assert (copied / "priv" / "db.ini").stat().st_mode & 0o777 == 0o600
    assert os.readlink(copied / "www" / "current") == "index.php"
    assert {p.name for p in copied.iterdir()} == set(web.MEMBER_DIRS)
    assert (space / "www" / "index.php").exists(), "the source is kept"
    assert f"point the DNS of these domains to {address}\n  velo-cite-lyon.fr\n" in proc.stdout, proc.stdout


def test_move_script_says_how_root_on_the_source_learns_the_targets_host_key(tmp_path: Path) -> None:
    """The copy runs as root on the host left, whose ssh meets the target for the first time: refused without
    a question (BatchMode). The script stops there, nothing copied, and says how to check and accept the key."""
    require_program("rsync")
    require_program("shellcheck")
    settings, registry = two_hosts("internal")
    member = registry.get("velo-cite")
    script = web.render_move_script(settings, member, "web2")
    shellcheck(script, tmp_path, "move.sh")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # the admin's ssh reaches web1 and runs the command there; root's ssh there refuses web2's unknown key
    _stand_in(
        bin_dir / "ssh",
        "#!/bin/sh\nwhile [ $# -gt 0 ]; do case $1 in -p|-o|-l) shift 2;; -*) shift;; *) break;; esac; done\n"
        'case $1 in *web1*) shift; exec sh -c "$*";; esac\n'
        "echo 'Host key verification failed.' >&2; exit 255\n",
    )
    _stand_in(bin_dir / "sudo", '#!/bin/sh\ncase $1 in --preserve-env=*) shift;; esac\nexec "$@"\n')
    path = tmp_path / "move.sh"
    path.write_text(script)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    proc = subprocess.run(["sh", str(path)], env=env, capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "done:" not in proc.stdout
    web2 = settings.hosts["web2"]
    assert "root on web1 does not know web2's host key yet" in proc.stderr, proc.stderr
    assert f"ssh-keyscan -p {web2.ssh_port} {web2.address} | ssh-keygen -lf -" in proc.stderr
    accept = f"sudo --preserve-env=SSH_AUTH_SOCK ssh -p {web2.ssh_port} {web2.ssh_user}@{web2.address} true"
    assert accept in proc.stderr


def test_retire_script_ends_access_and_jobs_on_the_former_host_and_keeps_the_files(tmp_path: Path) -> None:
    """After a move, the former host loses the member's keys, jobs and platform files; its space stays.

    ssh, sudo, id, usermod and systemctl are stand-ins: the remote commands run here, with the
    host's /etc and /srv under tmp_path, and the account and unit commands recorded.
    """
    require_program("shellcheck")
    from dataclasses import replace

    from pic.render import cron, retire, sitemail

    settings, registry = two_hosts("letsencrypt")
    member = replace(registry.get("velo-cite"), host="web2")  # its file names web2 now; it left web1
    with pytest.raises(ValueError, match="is on web2: retire it from the host it left"):
        retire.render_retire_script(settings, member, "web2")
    with pytest.raises(ValueError, match="'web9' is not a web host"):
        retire.render_retire_script(settings, member, "web9")
    script = retire.render_retire_script(settings, member, "web1")
    shellcheck(script, tmp_path, "retire.sh")
    root = tmp_path / "web1"
    slug = member.slug
    gone = [
        f"{web.KEYS_DIR}/{slug}",
        f"{web.FORMER_KEYS_DIR}/{slug}",
        web.logrotate_path(slug),
        web.site_facts_path(slug),
        f"{sitemail.host_config_dir(slug)}/msmtprc",
        f"/etc/letsencrypt/renewal/{slug}.conf",
        f"{web.cert_dir(slug)}/domains",  # what the renewal job renews
        f"{cron.COMMANDS_DIR}/{slug}/1.command",
        f"{cron.UNITS_DIR}/pic-cron-{slug}-1.timer",
        f"{cron.UNITS_DIR}/pic-cron-{slug}-1.service",
    ]
    kept = [
        f"{web.member_path(settings, slug)}/www/index.php",
        f"/etc/letsencrypt/live/{slug}/fullchain.pem",
        f"{web.cert_dir(slug)}/{web.CERT_FILE}",
        f"{web.KEYS_DIR}/amis-du-rhone",
        f"{cron.UNITS_DIR}/pic-cron-amis-du-rhone-1.timer",
    ]
    for path in gone + kept:
        (root / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (root / path.lstrip("/")).write_text("x\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "record"
    _stand_in(
        bin_dir / "ssh",
        "#!/bin/sh\nwhile [ $# -gt 0 ]; do case $1 in -p|-o|-l) shift 2;; -*) shift;; *) break;; esac; done\n"
        f'login=$1; shift\ncmd=$(printf %s "$*" | sed "s#/etc/#{root}/etc/#g; s#/srv/#{root}/srv/#g")\n'
        'exec sh -c "$cmd"\n',
    )
    _stand_in(bin_dir / "sudo", '#!/bin/sh\nexec "$@"\n')
    _stand_in(bin_dir / "id", "#!/bin/sh\nexit 0\n")
    for program in ("usermod", "systemctl", "pkill"):
        _stand_in(bin_dir / program, f'#!/bin/sh\necho "{program} $*" >> {record}\n')
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    proc = subprocess.run(["sh", "-c", script], env=env, capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [p for p in gone if (root / p.lstrip("/")).exists()] == []
    assert [p for p in kept if not (root / p.lstrip("/")).exists()] == []
    calls = record.read_text().splitlines()
    assert f"usermod --lock --expiredate 1 --groups {web.GROUP_LOCKED} {slug}" in calls
    assert f"pkill -KILL -u {slug}" in calls
    assert f"systemctl disable --now pic-cron-{slug}-1.timer" in calls
    assert f"done: {slug} can no longer log in to web1" in proc.stdout


class _Forge(http.server.BaseHTTPRequestHandler):
    received: list[dict[str, Any]]
    status = 201

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(length))
        self.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
        # As Forgejo, GitHub and GitLab: an empty comment is refused (422 Unprocessable Entity).
        self.send_response(422 if not str(body.get("body", "")).strip() else self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"message": "no"}' if self.status >= 400 or not str(body.get("body", "")).strip() else b"{}")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def forge() -> Iterator[tuple[str, type[_Forge]]]:
    handler = type("Forge", (_Forge,), {"received": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def _post(
    tmp_path: Path, env: dict[str, str], body: str = "### pic plan\n", *args: str
) -> subprocess.CompletedProcess[str]:
    plan = tmp_path / "plan.md"
    plan.write_text(body, encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if k not in ("FORGE", "API_URL", "REPOSITORY", "REQUEST", "TOKEN")}
    return subprocess.run(
        [sys.executable, str(POSTER), str(plan), *args],
        check=False,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_comment_is_posted_as_forgejo_and_github_expect(forge: tuple[str, type[_Forge]], tmp_path: Path) -> None:
    url, handler = forge
    env = {"FORGE": "github-like", "API_URL": f"{url}/api/v1", "REPOSITORY": "pic/infra", "REQUEST": "42"}
    proc = _post(tmp_path, {**env, "TOKEN": "tok-123"})
    assert proc.returncode == 0, proc.stderr
    (got,) = handler.received
    assert got["path"] == "/api/v1/repos/pic/infra/issues/42/comments"
    assert got["headers"]["Authorization"] == "token tok-123"
    assert got["body"] == {"body": "### pic plan\n"}
    assert "tok-123" not in proc.stdout + proc.stderr


def test_comment_is_posted_as_gitlab_expects_and_a_long_plan_is_cut(
    forge: tuple[str, type[_Forge]], tmp_path: Path
) -> None:
    url, handler = forge
    env = {"FORGE": "gitlab", "API_URL": f"{url}/api/v4", "REPOSITORY": "17", "REQUEST": "5", "TOKEN": "glpat"}
    proc = _post(tmp_path, env, body="x" * 70_000)
    assert proc.returncode == 0, proc.stderr
    (got,) = handler.received
    assert got["path"] == "/api/v4/projects/17/merge_requests/5/notes"
    assert got["headers"]["Private-Token"] == "glpat"
    assert len(got["body"]["body"]) < 65_536 and "the job's log" in got["body"]["body"]


def _member_block(slug: str, lines: int) -> str:
    body = "".join(f"        +line {i} of a script of {slug}, shown whole\n" for i in range(lines))
    return (
        f"<details><summary><b>{slug}</b>: 3 to add</summary>\n\n```diff\n"
        f"+ add     command:Command          {slug}-space  (web1)\n{body}```\n\n</details>\n\n"
    )


def test_a_long_plan_is_cut_between_lines_its_blocks_closed_and_the_cut_said_outside_them(
    forge: tuple[str, type[_Forge]], tmp_path: Path
) -> None:
    # A plan adding a web host or several members (each added resource shown whole) is over 65,000 characters:
    # it was cut in the middle of a line inside a ```diff block of a collapsed <details>, so the note of the cut
    # was code inside a closed block, the reviewer told nothing, and the members after it were gone unnamed.
    url, handler = forge
    env = {"FORGE": "github-like", "API_URL": url, "REPOSITORY": "pic/infra", "REQUEST": "7", "TOKEN": "t"}
    head = "### pic plan: stack prod, against HEAD~1 (0123456789)\n\n**60 to add**\n\n"
    slugs = ["platform", "amis-du-rhone", "jardins-partages", "velo-cite"]
    plan = head + "".join(_member_block(slug, 400) for slug in slugs)
    assert len(plan) > 80_000
    proc = _post(tmp_path, env, plan)
    assert proc.returncode == 0, proc.stderr
    (got,) = handler.received
    body = got["body"]["body"]
    assert len(body) <= 65_000 + 500, len(body)
    assert body.startswith(head)
    lines = body.splitlines()
    fences = [i for i, line in enumerate(lines) if line.startswith("```")]
    assert len(fences) % 2 == 0, "a code block left open"
    opened = [i for i, line in enumerate(lines) if line.startswith("<details>")]
    closed = [i for i, line in enumerate(lines) if line == "</details>"]
    assert len(opened) == len(closed), "a <details> left open"
    # Every line kept is a whole line of the plan; the note is after the last block, outside it.
    assert all(line in plan.splitlines() for line in lines[: max(fences) + 1] if line != "```"), "a line cut"
    note = "\n".join(lines[max(closed) + 1 :])
    assert "the whole plan is in the job's log" in note, note
    kept = [slug for slug in slugs if f"<b>{slug}</b>" in body]
    assert kept and kept != slugs, kept
    cut_through, *left_out = slugs[len(kept) - 1 :]
    assert f"the end of the changes of {cut_through}" in note, note
    assert all(f"the changes of {slug}" in note for slug in left_out), note
    # A plan without a line break to cut at is still cut, to the limit.
    handler.received.clear()
    proc = _post(tmp_path, env, "x" * 70_000)
    assert proc.returncode == 0 and len(handler.received[0]["body"]["body"]) < 65_536


def test_a_refused_comment_or_a_missing_variable_fails(forge: tuple[str, type[_Forge]], tmp_path: Path) -> None:
    url, handler = forge
    handler.status = 403
    env = {"FORGE": "gitlab", "API_URL": url, "REPOSITORY": "17", "REQUEST": "5", "TOKEN": "glpat-secret"}
    proc = _post(tmp_path, env)
    assert proc.returncode == 1 and "403" in proc.stderr and "glpat-secret" not in proc.stderr
    proc = _post(tmp_path, {k: v for k, v in env.items() if k != "TOKEN"})
    assert proc.returncode == 2 and "TOKEN" in proc.stderr


def _commands(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if ".venv/bin/pic " in line or "post-plan-comment" in line]


@pytest.mark.parametrize("path", [".forgejo/workflows/pic-plan.yml", "docs/ci/gitlab-ci.yml"])
def test_workflow_files_run_commands_that_exist(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict) and data
    commands = _commands(text)
    assert any("pic check" in c for c in commands), commands
    plan = next(c for c in commands if "pic plan --against" in c)
    assert "--format markdown" in plan and "> plan.md" in plan
    assert any("scripts/post-plan-comment plan.md" in c for c in commands)
    # When the plan fails, its errors (plan.err) and status reach the comment; the plan is whole in the log.
    assert "2> plan.err" in plan
    assert "cat plan.md" in text
    poster = next(c for c in commands if "scripts/post-plan-comment plan.md" in c)
    assert "--errors plan.err --status " in poster
    assert POSTER.is_file() and os.access(POSTER, os.X_OK)
    helptext = subprocess.run(
        [sys.executable, "-m", "pic", "plan", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "markdown" in helptext and "--against" in helptext


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A workflow's path pattern as the forges read it: ``**/`` any directories (none too), ``**`` anything,
    ``*`` anything but a ``/``."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


@pytest.mark.parametrize(
    ("path", "key"), [(".forgejo/workflows/pic-plan.yml", "paths"), ("docs/ci/gitlab-ci.yml", "changes")]
)
def test_workflows_run_on_every_file_pic_check_and_pic_plan_read(path: str, key: str) -> None:
    """A pull request changing Pulumi.yaml alone (a config: block there, which pic check refuses: every stack
    would take its settings unseen) ran no job: neither pic check nor pic plan saw it. Nor did one changing a
    member file where members is a link to data/members (the layout pic check and pic plan --against read,
    README), or the link itself."""
    text = (ROOT / path).read_text(encoding="utf-8")
    patterns = [_glob_regex(p) for p in re.findall(rf"{key}: (\[.*\])", text) for p in yaml.safe_load(p)]
    assert patterns, text
    read = ["Pulumi.yaml", "Pulumi.prod.yaml", "members/velo-cite.yaml", "__main__.py", "components/member.py"]
    read += ["members", "data/members/velo-cite.yaml", "data/members/archive/old.yaml.txt"]
    read += ["pic/registry.py", "pic/data/mail_domains.yaml", "pyproject.toml"]
    missed = [f for f in read if not any(p.fullmatch(f) for p in patterns)]
    assert not missed, f"{path}: no job for a change of {missed}"


def test_a_failed_plan_is_posted_with_its_errors(forge: tuple[str, type[_Forge]], tmp_path: Path) -> None:
    """`pic plan` exits 1 on an invalid input and writes no plan: the comment says so, with its errors.

    Run as the workflows run it: the plan to plan.md, its errors to plan.err, then the poster.
    """
    url, handler = forge
    plan, errors = tmp_path / "plan.md", tmp_path / "plan.err"
    with plan.open("w") as out, errors.open("w") as err:
        status = subprocess.run(
            [sys.executable, "-m", "pic", "plan", "--stack", "staging", "--format", "markdown"],
            cwd=ROOT,
            stdout=out,
            stderr=err,
            check=False,
            timeout=120,
        ).returncode
    assert status == 1 and plan.read_text() == ""
    env = {"FORGE": "github-like", "API_URL": url, "REPOSITORY": "pic/infra", "REQUEST": "42", "TOKEN": "t"}
    proc = _post(tmp_path, env, "", "--errors", str(errors), "--status", str(status))
    assert proc.returncode == 0, proc.stderr
    (got,) = handler.received
    body = got["body"]["body"]
    assert body.startswith("### pic plan failed (exit status 1)\n"), body
    assert "Pulumi.staging.yaml no such stack file" in body and "invalid: 1 error" in body


def test_a_comment_is_never_empty(forge: tuple[str, type[_Forge]], tmp_path: Path) -> None:
    """An empty plan without errors (the step killed, an older workflow) still says something: never a 422."""
    url, handler = forge
    env = {"FORGE": "github-like", "API_URL": url, "REPOSITORY": "pic/infra", "REQUEST": "42", "TOKEN": "t"}
    proc = _post(tmp_path, env, "")
    assert proc.returncode == 0, proc.stderr
    proc = _post(tmp_path, env, "\n", "--errors", str(tmp_path / "absent.err"), "--status", "2")
    assert proc.returncode == 0, proc.stderr
    first, second = (r["body"]["body"] for r in handler.received)
    assert first == "### pic plan\n\nIt wrote no plan and no error: see the job's log.\n"
    assert second.startswith("### pic plan failed (exit status 2)\n\nIt wrote no plan and no error")


def test_errors_are_quoted_whole_in_a_fence_longer_than_their_backticks(
    forge: tuple[str, type[_Forge]], tmp_path: Path
) -> None:
    url, handler = forge
    errors = tmp_path / "plan.err"
    errors.write_text("members/x.yaml:3 name: ```not closed\n", encoding="utf-8")
    env = {"FORGE": "gitlab", "API_URL": url, "REPOSITORY": "17", "REQUEST": "5", "TOKEN": "t"}
    proc = _post(tmp_path, env, "", "--errors", str(errors), "--status", "1")
    assert proc.returncode == 0, proc.stderr
    body = handler.received[0]["body"]["body"]
    assert "\n````text\nmembers/x.yaml:3 name: ```not closed\n````\n" in body, body


@pytest.mark.parametrize(
    ("api_url", "shown"),
    [
        ("http://127.0.0.1:1/api/v4", "http://127.0.0.1:1/api/v4/projects/17/merge_requests/5/notes"),
        ("http://user:url-secret@127.0.0.1:1/api/v4", "http://127.0.0.1:1/api/v4/projects/17/merge_requests/5/notes"),
    ],
    ids=["refused", "user-information"],
)
def test_a_forge_that_cannot_be_reached_is_one_line_and_exit_3(tmp_path: Path, api_url: str, shown: str) -> None:
    """No traceback: one line naming the URL (no token, no user information) and the reason; exit status 3."""
    env = {"FORGE": "gitlab", "API_URL": api_url, "REPOSITORY": "17", "REQUEST": "5", "TOKEN": "glpat-secret"}
    proc = _post(tmp_path, env, "### pic plan\n", "--status", "1")
    assert proc.returncode == 3, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"post-plan-comment: {shown}: not reached: "), proc.stderr
    assert "Traceback" not in proc.stderr and "secret" not in proc.stderr


@pytest.mark.parametrize("slug", ["velo75paris", "soleil12azur"])
def test_move_script_of_no_member_whose_slug_may_be_a_password_shows_neither_it_nor_its_file(slug: str) -> None:
    """`pic move-script velo75paris` was told `... is no member: there is no members/the value (not shown: it may be
    a secret).yaml`, the file's name made of the hidden words: it is told that no member file has that name."""
    proc = _move_script(slug)
    said = "<command line> slug: the value (not shown: it may be a secret) is no member: no member file has that name"
    assert proc.returncode == 1 and said in proc.stderr, proc.stderr
    assert slug not in proc.stderr, proc.stderr

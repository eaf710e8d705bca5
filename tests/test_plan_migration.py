"""A stack applied with the former layout (four components per member) against this program.

The former layout is the program at FORMER (the last revision with MemberSpace, MemberSite,
MemberCertificate and MemberDatabase components). Its rendering plays the state of an existing
stack: ``pic plan`` compares it with this program's, as the engine would match the state's URNs
and the aliases. Nothing may be replaced or deleted but the former components (no state of their
own), and no deleted command may remove a path a command of the new program writes (the engine
runs those deletions last, with the scripts kept in the state).

Also: the delete-trap check and the alias resolution on hand-made records.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from components.hostcmd import script_files
from pic.check import check
from pic.plan import engine
from pic.plan.command import SECRET_CONFIG_KEYS, checkout
from pic.plan.diff import diff, removed_paths, stateful_changes, written_paths
from pic.plan.engine import alias_urns
from pic.plan.model import Attribution, Rendering, Resource
from pic.plan.output import counts
from pic.render.db import DUMP_SCRIPT, ENDPOINT_PROGRAM, RESTORE_SCRIPT
from pic.settings import load_settings
from tests.conftest import ROOT, require_program
from tests.generated_registry import generate

FORMER = "6bcd190a8e53d6df381297773da327c73750009b"  # main before one component per member
FORMER_COMPONENTS = {
    "pic:index:MemberSpace",
    "pic:index:MemberSite",
    "pic:index:MemberCertificate",
    "pic:index:MemberDatabase",
}
STATE_TYPES = (
    "docker:index/container:Container",
    "mysql:index/database:Database",
    "mysql:index/user:User",
    "random:index/randomPassword:RandomPassword",
    "tls:index/privateKey:PrivateKey",
    "tls:index/locallySignedCert:LocallySignedCert",
)


def command(name: str, **inputs: Any) -> Resource:
    return Resource(
        urn=f"urn:pulumi:prod::pic::command:remote:Command::{name}",
        type="command:remote:Command",
        name=name,
        parent="",
        custom=True,
        inputs=inputs,
        outputs={},
    )


KEYS = "/etc/pic/ssh/authorized_keys/x"


def test_a_deleted_command_removing_a_path_a_new_one_writes_is_stateful() -> None:
    old_keys = command("x-keys", create=f"sudo -n sh -eu -c 'mv -f \"$tmp\" {KEYS}'", delete=f"sudo -n rm -f {KEYS}")
    merged = command("x-files", create="sudo -n sh -eu -s", stdin=f"put {KEYS} 0644 <<'EOF'\nssh-ed25519 AAAA\nEOF\n")
    old, new = Rendering({old_keys.urn: old_keys}), Rendering({merged.urn: merged})
    changes = diff(old, new)
    removal = next(c for c in changes if c.kind == "remove")
    assert removal.stateful == f"its delete script removes {KEYS}, which x-files writes"
    assert stateful_changes(changes) == [removal]

    elsewhere = command("x-files", create="sudo -n sh -eu -s", stdin="put /etc/pic/ssh/keys/x 0644\n")
    assert not stateful_changes(diff(old, Rendering({elsewhere.urn: elsewhere})))


def test_removed_paths_open_nested_scripts_and_read_variables_and_trees() -> None:
    cron = command(
        "x-cron",
        delete="sudo -n sh -eu -c 'for f in /etc/pic/cron/x/*.command; do n=1; "
        'rm -f "/etc/systemd/system/pic-cron-x-$n.timer"; done\nrm -rf /etc/pic/cron/x\'',
    )
    assert removed_paths(cron) == ["/etc/pic/cron/x", "/etc/systemd/system/pic-cron-x-*.timer"]
    writer = command("x-files", create="sudo -n sh -eu -s", stdin="put /etc/pic/cron/x/1.command 0600\n")
    assert "/etc/pic/cron/x/1.command" in written_paths(writer)
    change = next(c for c in diff(Rendering({cron.urn: cron}), Rendering({writer.urn: writer})) if c.kind == "remove")
    assert "removes /etc/pic/cron/x, which x-files writes" in change.stateful
    unit = command("x-files", create="sudo -n sh -eu -s", stdin="put /etc/systemd/system/pic-cron-x-2.timer 0644\n")
    change = next(c for c in diff(Rendering({cron.urn: cron}), Rendering({unit.urn: unit})) if c.kind == "remove")
    assert "pic-cron-x-*.timer, which x-files writes" in change.stateful


def test_what_cat_and_grep_only_read_is_not_counted_as_written() -> None:
    """A space script that reads the keys sshd takes now from the former keys directory (grep, to compare them with
    the new ones) does not write it: the former command's removal, whose delete step removes that file, is no
    stateful change; a path the same script writes with a redirection still is."""
    reader = command(
        "x-space",
        create='sudo -n sh -eu -c \'taken=$(grep -hs -e "" -- /etc/pic/ssh/keys/x /etc/pic/ssh/authorized_keys/x '
        "|| true); cat -- /etc/pic/old/x; cat > /etc/pic/new/x <<EOF\nk\nEOF'",
    )
    written = written_paths(reader)
    assert "/etc/pic/ssh/authorized_keys/x" not in written and "/etc/pic/old/x" not in written, written
    assert "/etc/pic/new/x" in written, written
    former = command("x-keys", delete="sudo -n rm -f /etc/pic/ssh/authorized_keys/x")
    assert not stateful_changes(diff(Rendering({former.urn: former}), Rendering({reader.urn: reader})))
    gone = command("x-keys", delete="sudo -n rm -f /etc/pic/new/x")
    assert stateful_changes(diff(Rendering({gone.urn: gone}), Rendering({reader.urn: reader})))


def test_an_aliased_resource_is_renamed_not_deleted_and_created() -> None:
    before = command("x-keys", create="a")
    after = Resource(**{**before.__dict__, "urn": before.urn.replace("::command", "::pic:index:Member$command")})
    after = Resource(**{**after.__dict__, "aliases": (before.urn,)})
    changes = diff(Rendering({before.urn: before}), Rendering({after.urn: after}))
    assert [(c.kind, c.renamed_from) for c in changes] == [("rename", before.urn)]
    edited = Resource(**{**after.__dict__, "inputs": {"create": "b"}})
    changes = diff(Rendering({before.urn: before}), Rendering({edited.urn: edited}))
    assert [(c.kind, c.renamed_from) for c in changes] == [("update", before.urn)]


def test_alias_specs_resolve_to_the_urns_the_engine_computes() -> None:
    stack = "urn:pulumi:prod::pic::pulumi:pulumi:Stack::pic-prod"
    parent = "urn:pulumi:prod::pic::pic:index:Member::x"

    def alias(urn: str = "", **spec: Any) -> Any:
        fields = {"name": "", "type": "", "parentUrn": "", "noParent": False, "stack": "", "project": ""}
        return SimpleNamespace(urn=urn, spec=SimpleNamespace(**{**fields, **spec}))

    request = SimpleNamespace(
        name="x-keys",
        type="command:remote:Command",
        parent=parent,
        aliases=[
            alias("urn:given"),
            alias(parentUrn="urn:pulumi:prod::pic::pic:index:MemberSpace::x"),
            alias(name="x-old", noParent=True),
            alias(parentUrn=stack),
        ],
    )
    assert alias_urns(request, stack) == [
        "urn:given",
        "urn:pulumi:prod::pic::pic:index:MemberSpace$command:remote:Command::x-keys",
        "urn:pulumi:prod::pic::command:remote:Command::x-old",
        "urn:pulumi:prod::pic::command:remote:Command::x-keys",
    ]


def _former_available() -> bool:
    proc = subprocess.run(["git", "cat-file", "-e", f"{FORMER}^{{commit}}"], cwd=ROOT, capture_output=True, check=False)
    return proc.returncode == 0


def _plan(members: Path) -> tuple[Rendering, Rendering, Attribution, dict[str, Any], dict[str, Any]]:
    """The renderings of FORMER's program and of this one on the same member files, and the files
    the commands of each write (path -> content, a secret one by the plan's keyed digest)."""
    if not _former_available():
        pytest.fail(f"{FORMER[:7]}, the former layout, is not in this checkout: git fetch --unshallow")
    salt = os.urandom(16)
    settings = load_settings(ROOT, "prod")
    with checkout(ROOT, FORMER) as (where, _), tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        cmd = [sys.executable, engine.__file__, "--project", str(where), "--stack", "prod", "--members", str(members)]
        for key in SECRET_CONFIG_KEYS:
            cmd += ["--secret-key", key]
        env = {**os.environ, "PIC_PLAN_SALT": salt.hex()}
        # FORMER's program in its own process while this one runs here, as `pic plan --against` does
        former = subprocess.Popen(cmd, cwd=where, env=env, stdout=out, stderr=err, text=True)
        try:
            run = engine.run_program(ROOT, "prod", members, secret_keys=SECRET_CONFIG_KEYS)
            former.wait(timeout=1200)
        finally:
            if former.poll() is None:
                former.kill()
                former.wait()
        err.seek(0)
        assert former.returncode == 0, err.read()[-4000:]
        out.seek(0)
        old = Rendering.from_json(json.load(out))
    new = Rendering.from_json(engine.redacted_json(run, salt))
    registry = check(ROOT, "prod", members, dt.date.today()).registry
    old_files = {p: c for r in old if r.type.startswith("command:") for p, c in _placed(r.inputs, salt).items()}
    # This program's contents in plain (its records are not redacted), shown as the former ones were:
    # a content the former program placed as a secret compares by its digest.
    new_files = {p: c for r in run.records if r.type.startswith("command:") for p, c in _placed(r.inputs, None).items()}
    new_files = {p: _digest(c, salt) if isinstance(old_files.get(p), dict) else c for p, c in new_files.items()}
    return old, new, Attribution(new, registry, settings), old_files, new_files


def _digest(value: Any, salt: bytes) -> Any:
    return engine.redact({engine.SECRET_SIG_KEY: engine.SECRET_SIG, "value": value}, salt)


def _placed(inputs: dict[str, Any], salt: bytes | None) -> dict[str, Any]:
    """The files one command writes: place_file (path in its create, content its stdin) or place_files
    (a script of installs, read back with script_files). ``salt``: the inputs are a redacted record's
    (a secret is a digest already); None: a record of this process, its secrets in plain."""
    create, stdin = inputs.get("create"), inputs.get("stdin")
    if not isinstance(create, str):
        return {}
    raw = stdin["value"] if salt is None and isinstance(stdin, dict) and engine.is_secret(stdin) else stdin
    if " -s -- " in create and isinstance(raw, str):
        return {p: c for p, (c, _) in script_files(raw).items()}
    script = shlex.split(create)[-1]
    if script.startswith("setpriv "):
        script = shlex.split(script)[-1]
    if 'mv -f "$tmp" ' not in script:
        return {}
    return {shlex.split(script.rsplit('mv -f "$tmp" ', 1)[1])[0]: raw}


GRANT = "mysql:index/grant:Grant"


def _like(pattern: str) -> re.Pattern[str]:
    """A grant's database part (MariaDB: ``_`` any one character, ``%`` any characters, ``\\`` escapes)."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append("." if ch == "_" else ".*" if ch == "%" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.S)


def _grant_covered(former: Resource, grants: list[Resource]) -> bool:
    """Whether a grant of the new rendering gives the former grant's account at least its privileges on
    every database it named (a former grant names one database, its ``_`` escaped)."""
    database = re.sub(r"\\(.)", r"\1", former.inputs["database"])
    return any(
        (g.inputs["user"], g.inputs["host"]) == (former.inputs["user"], former.inputs["host"])
        and _like(g.inputs["database"]).fullmatch(database)
        and set(former.inputs["privileges"]) <= set(g.inputs["privileges"])
        for g in grants
    )


def _platform_update(change: Any) -> bool:
    """A site container replaced for what this program changed since the former layout, not for the layout:
    its runtime's image rebuilt (the same runtime, another build: tzdata-legacy in the PHP images), the
    member's php_settings given to PHP's command line too (one more upload, pic.render.web.render_member_cli_ini),
    or the static site's Caddyfile given its refusals of PHP files and hidden files
    (pic.render.web.render_static_caddyfile)."""
    if change.kind != "replace" or change.resource.type != "docker:index/container:Container":
        return False
    keys = {i.key for i in change.inputs}
    if not keys or not keys <= {"image", "uploads"}:
        return False
    for i in change.inputs:
        if i.key == "image" and str(i.old).rpartition("-")[0] != str(i.new).rpartition("-")[0]:
            return False  # another runtime, not the same one rebuilt
        if i.key == "uploads" and not (_cli_ini_added(i) or _static_refusals_added(i)):
            return False
    return True


def _cli_ini_added(uploads: Any) -> bool:
    old_files = [u["file"] for u in uploads.old]
    new_files = [u["file"] for u in uploads.new]
    return new_files[:-1] == old_files and new_files[-1].endswith("/cli/conf.d/95-pic-member.ini")


def _static_refusals_added(uploads: Any) -> bool:
    if [u["file"] for u in uploads.old] != ["/etc/caddy/Caddyfile"] or len(uploads.new) != 1:
        return False
    before, after = uploads.old[0]["content"].splitlines(), uploads.new[0]["content"].splitlines()
    added = [line for line in after if line not in before]
    return set(before) <= set(after) and "\trespond @php 404" in added and "\trespond @hidden 404" in added


def _assert_migrates(old: Rendering, new: Rendering, old_files: dict[str, Any], new_files: dict[str, Any]) -> None:
    changes = diff(old, new, data_roots=("/srv/members",))
    assert not stateful_changes(changes), [(c.kind, c.urn, c.stateful) for c in stateful_changes(changes)]
    # Grants: three per database become one (pic.names.member_grant_pattern); each former grant's
    # privileges stay covered, and a replaced grant is created before the former one is revoked.
    grants: dict[tuple[str, str], list[Resource]] = {}
    for r in new:
        if r.type == GRANT:
            grants.setdefault((r.inputs["user"], r.inputs["host"]), []).append(r)
    for c in changes:
        if c.old is not None and c.old.type == GRANT and c.kind in ("replace", "remove"):
            assert _grant_covered(c.old, grants.get((c.old.inputs["user"], c.old.inputs["host"]), [])), c.urn
            assert not c.delete_first, c.urn
    updates = {c.resource.name: c for c in changes if _platform_update(c)}
    changes = [c for c in changes if c.resource.type != GRANT and c.resource.name not in updates]
    kinds = Counter(c.kind for c in changes)
    assert not kinds["replace"], [c.urn for c in changes if c.kind == "replace"]
    removed = [c.old for c in changes if c.kind == "remove" and c.old is not None]
    # What leaves the state: the former components (no state of their own), and the commands merged
    # into others: without a delete script (leaving the state runs nothing on the host), or whose delete
    # script removes former paths only, whose files the new program writes where they moved.
    for res in removed:
        if res.type in FORMER_COMPONENTS:
            continue
        assert res.type.startswith("command:"), res.urn
        for path in removed_paths(res):
            assert _moved(path) != path and _moved(path) in new_files, f"{res.urn} removes {path}"
            assert path not in new_files, f"{res.urn} removes {path}, which the new program writes"
    kept = {c.renamed_from for c in changes if c.kind in ("rename", "update")} | set(new.resources)
    kept |= {c.renamed_from for c in updates.values()}
    for res in old:
        if res.custom and res.type.startswith(STATE_TYPES):
            assert res.urn in kept, res.urn
    # Same content: every other resource keeps its inputs; every file is written with the same content.
    merged = {r.name for r in removed} | {c.old.name for c in changes if c.renamed_from and c.old is not None}
    old_inputs = {r.name: (r.type, r.inputs) for r in old if r.custom and r.name not in merged and r.type != GRANT}
    new_inputs = {r.name: (r.type, r.inputs) for r in new if r.custom and r.name in old_inputs}
    # The mail host's relay lets the Internet deliver to the lists, over IPv6 too, and counts the host's IPv6
    # loopback among its own clients (pic.render.sitemail.postfix_settings): its restrictions, protocols and
    # networks change, nothing else of it; and every relay refuses its sendmail to the members with a shell.
    for name in [n for n in old_inputs if n.endswith("-mail-relay-setup") and old_inputs[n] != new_inputs.get(n)]:
        old_script, new_script = old_inputs[name][1]["stdin"], new_inputs[name][1]["stdin"]
        changed = set(old_script.splitlines()) ^ set(new_script.splitlines())
        assert changed and all(
            ("smtpd_" in line and "_restrictions = " in line)
            or "inet_protocols = " in line
            or "mynetworks = " in line
            or "authorized_submit_users = " in line
            for line in changed
        ), changed
        assert "reject_unauth_destination" in new_script, name
        assert "[::1]/128" in new_script, name
        del old_inputs[name], new_inputs[name]
    # The database endpoint's program is pic/dbendpoint.py as it is: a change of it is uploaded, and
    # the enabling script (which names the program's digest, so that a change restarts the service)
    # changes by that line only.
    for name in [n for n in old_inputs if n.endswith("-dumps-endpoint-program")]:
        del old_inputs[name], new_inputs[name]
    # The nightly dump and restore scripts (pic-db-dump, pic-db-restore) are this program's own and
    # changed since (pruning by the job's names, --skip-add-locks --dump-history, the restore's checks):
    # each is an update of its command, uploaded again to the same path; nothing else of the host changes.
    scripts = (DUMP_SCRIPT, RESTORE_SCRIPT)
    for name in [n for n in old_inputs if n.endswith(("-dumps-dump-script", "-dumps-restore-script"))]:
        assert any(path in new_inputs[name][1]["update"] for path in scripts), name
        del old_inputs[name], new_inputs[name]
    for name in [n for n in old_inputs if n.endswith("-dumps-enable") and old_inputs[n] != new_inputs.get(n)]:
        changed = set(old_inputs[name][1]["stdin"].splitlines()) ^ set(new_inputs[name][1]["stdin"].splitlines())
        assert all(line.startswith("# endpoint ") for line in changed), changed
        del old_inputs[name], new_inputs[name]
    # Each web host's sshd reads the keys' new directory and the former one (web.FORMER_KEYS_DIR), its
    # setup makes the new one: intended changes.
    for name in [n for n in old_inputs if n.endswith(("-sshd", "-setup")) and old_inputs[n] != new_inputs.get(n)]:
        script = new_inputs[name][1]["stdin"]
        assert "/etc/pic/ssh/keys" in script, name
        if name.endswith("-sshd"):
            assert "AuthorizedKeysFile /etc/pic/ssh/keys/%u /etc/pic/ssh/authorized_keys/%u" in script, name
        del old_inputs[name], new_inputs[name]
    # The PHP images' build: tzdata and tzdata-legacy installed (every zone name pic accepts), so a new tag.
    for name in [n for n in old_inputs if n.endswith("-build") and old_inputs[n] != new_inputs.get(n)]:
        before, after = old_inputs[name][1]["stdin"].splitlines(), new_inputs[name][1]["stdin"].splitlines()
        added, gone = [x for x in after if x not in before], [x for x in before if x not in after]
        assert any("tzdata-legacy" in x for x in added), name
        assert all("tzdata" in x or "pic/php:" in x or x.startswith("\t#") for x in added), added
        assert all("pic/php:" in x for x in gone), gone
        del old_inputs[name], new_inputs[name]
    for name in updates:  # intended changes of this program to site containers (_platform_update)
        old_inputs.pop(name, None)
        new_inputs.pop(name, None)
    assert old_inputs == new_inputs
    own = (ENDPOINT_PROGRAM, DUMP_SCRIPT, RESTORE_SCRIPT)  # this program's own, as they are (above)
    assert {_moved(path): content for path, content in old_files.items() if path not in own} == {
        path: content for path, content in new_files.items() if path not in own
    }


# The files that moved so that the former commands' deletions remove only the former ones (MemberSpace).
MOVED = (
    ("/etc/pic/ssh/authorized_keys/", "/etc/pic/ssh/keys/"),
    ("/etc/logrotate.d/pic-member-", "/etc/logrotate.d/pic-site-"),
    ("/etc/pic/sites/", "/etc/pic/site-facts/"),
)


def _moved(path: str) -> str:
    for before, after in MOVED:
        if path.startswith(before):
            return after + path.removeprefix(before)
    return path


# Without the history the former program cannot be rendered: skipped on a laptop's shallow
# checkout, never under CI (.ci/run fetches the history; a checkout still without it fails).
pytestmark = pytest.mark.skipif(
    not _former_available() and not os.environ.get("CI"),
    reason=f"no git history: {FORMER[:7]} is not in this checkout (git fetch --unshallow)",
)


def _as_former_reads(source: Path, target: Path) -> Path:
    """A copy of the member files in ``source`` without the keys FORMER predates (an end-of-life
    exception's ``runtime``, which narrows it and changes no resource of a member whose site is on
    that runtime), so that FORMER's check takes them."""
    target.mkdir()
    for path in sorted(source.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        exception = (data.get("exceptions") or {}).get("php_eol") or {}
        if exception.pop("runtime", None) not in (None, (data.get("site") or {}).get("php")):
            pytest.fail(f"{path.name}: its exception is for another runtime, which FORMER cannot express")
        (target / path.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def test_the_examples_migrate_with_renames_only(tmp_path: Path) -> None:
    require_program("git")
    old, new, attr, old_files, new_files = _plan(_as_former_reads(ROOT / "members", tmp_path / "members"))
    _assert_migrates(old, new, old_files, new_files)
    per_member = counts(new, attr)["by_member"]
    components = Counter(r.name for r in new if not r.custom and r.type == "pic:index:Member")
    assert set(components.values()) == {1}
    # jardins-partages: a PHP site, https, one database (README, "Web host", "Resources").
    assert per_member["jardins-partages"] + components["jardins-partages"] <= 10


def test_a_generated_registry_of_2000_members_migrates_with_renames_only(tmp_path: Path) -> None:
    require_program("git")
    members = tmp_path / "members"
    members.mkdir()
    generate(members, 2000, load_settings(ROOT, "prod"))
    old, new, _, old_files, new_files = _plan(members)
    _assert_migrates(old, new, old_files, new_files)

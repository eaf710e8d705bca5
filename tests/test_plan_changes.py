"""pic plan --against on the real program, for the everyday changes of a registry with two web hosts.

The registry is the example members' with a second web host (web2) in the stack file. Each test
commits one change in a throw-away git repository and reads what the plan says about it: a move
to web2, the hosts listed in another order, archiving and re-activating a member with mailing
lists, renewing an exception and adding a domain, changing a PHP version; and the markdown
rendering of the plan for a pull request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pic.check import check
from pic.errors import show_value
from pic.plan.command import exit_status
from pic.plan.diff import diff
from pic.plan.model import Attribution
from pic.plan.output import as_json, as_markdown, as_text, review
from pic.registry import Member, load_registry
from pic.settings import load_settings
from tests.conftest import ROOT, require_program
from tests.helpers import member, write_members
from tests.test_git_history import hostile_git_config
from tests.test_plan import git, rendering, res
from tests.test_plan_data_left import _stack

WEB2 = "    web2: {role: web, address: web2.example.org, private_address: 10.0.0.12, ssh_user: deploy}\n"
CONTAINER = "docker:index/container:Container"
KEY = "tls:index/privateKey:PrivateKey"


def plan(repo: Path, *args: str, rev: str = "HEAD~1") -> subprocess.CompletedProcess[str]:
    # The repository's own pic package (copied in) runs, with this interpreter's SDK.
    return subprocess.run(
        [sys.executable, "-m", "pic", "plan", "--against", rev, *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def plan_json(repo: Path, *args: str, status: int = 0, rev: str = "HEAD~1") -> dict[str, Any]:
    proc = plan(repo, "--format", "json", *args, rev=rev)
    assert proc.returncode == status, proc.stdout[-4000:] + proc.stderr[-4000:]
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def two_hosts(tmp_path: Path) -> Path:
    """A git repository of this project whose prod and dev stacks have a second web host, web2."""
    require_program("git")
    work = tmp_path / "two"
    work.mkdir()
    for name in ("__main__.py", "Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.dev.yaml", "pyproject.toml"):
        shutil.copy(ROOT / name, work / name)
    for name in ("members", "components", "pic", "schema"):
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    for stack in ("prod", "dev"):
        path = work / f"Pulumi.{stack}.yaml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("web1:"))
        web2 = WEB2 if stack == "prod" else WEB2.replace("ssh_user: deploy", "connection: local")
        lines.insert(at + 1, web2)
        path.write_text("".join(lines), encoding="utf-8")
    git(work, "init", "-q")
    commit(work, "two web hosts")
    return work


def registry(repo: Path) -> list[Member]:
    return list(check(repo, "prod", repo / "members", dt.date.today()).registry)


def by_kind(data: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for c in data["changes"]:
        out.setdefault(c["kind"], []).append((c["type"], c["name"]))
    return out


def test_move_to_web2_is_a_replacement_with_both_hosts_and_exit_4(two_hosts: Path) -> None:
    member = next(m for m in registry(two_hosts) if m.host == "web1" and m.status == "active" and m.runtime)
    path = two_hosts / "members" / f"{member.slug}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"(?m)^host: .*$", "host: web2", text) if re.search(r"(?m)^host:", text) else text + "host: web2\n",
        encoding="utf-8",
    )
    commit(two_hosts, f"{member.slug} moves to web2")
    data = plan_json(two_hosts, status=4)
    assert data["moves"] == {
        member.slug: {"from": "web1", "to": "web2", "advice": data["moves"][member.slug]["advice"]}
    }
    assert f"pic move-script {member.slug} --to web2" in data["moves"][member.slug]["advice"]
    container = [c for c in data["changes"] if c["type"] == CONTAINER and c["member"] == member.slug]
    assert len(container) == 1, data["changes"]
    (c,) = container
    assert (c["kind"], c["host_before"], c["host_after"]) == ("replace", "web1", "web2")
    assert any(r.startswith("provider") for r in c["replace_reasons"]), c
    assert c["delete_first"] and "pulumi-docker" in c["delete_first"]
    assert "web2" in c["downtime"] and "DNS" in c["downtime"]
    # Nothing of the member is removed: its files, certificate and database settings are placed on
    # web2 (updates that run their commands there), the old host keeps what is on its disk.
    mine = [c for c in data["changes"] if c["member"] == member.slug]
    assert not [c for c in mine if c["kind"] == "remove"], mine
    for c in mine:
        if c["type"].startswith("command:"):
            assert (c["kind"], c["host_before"], c["host_after"]) == ("update", "web1", "web2"), c
            conn = next(i for i in c["inputs"] if i["key"] == "connection")
            assert conn["old"] == "deploy@web1.example.org:22" and conn["new"] == "deploy@web2.example.org:22"
    assert data["stateful_changes"] == []
    out = plan(two_hosts)
    assert out.returncode == 4
    assert f"{member.slug} moves web1 -> web2" in out.stdout
    assert f"pic move-script {member.slug} --to web2" in out.stdout
    assert f"pic move-script {member.slug} --retire-from web1" in out.stdout  # its keys and jobs stay on web1
    assert "[secret]" not in out.stdout.split("changes against", 1)[1]


def test_hosts_listed_in_another_order_change_nothing(two_hosts: Path) -> None:
    for stack in ("prod", "dev"):
        path = two_hosts / f"Pulumi.{stack}.yaml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        i = next(i for i, line in enumerate(lines) if line.lstrip().startswith("web1:"))
        lines[i], lines[i + 1] = lines[i + 1], lines[i]  # web2 first
        text = "".join(lines)
        assert text.index("web2:") < text.index("web1:")
        path.write_text(text, encoding="utf-8")
    commit(two_hosts, "web2 listed first")
    for stack in ("prod", "dev"):
        data = plan_json(two_hosts, "--stack", stack)
        assert data["changes"] == [], (stack, data["changes"])
    # Without the explicit default, the default is derived from the names: still web1.
    for stack in ("prod", "dev"):
        edit(two_hosts / f"Pulumi.{stack}.yaml", "  pic:default_web_host: web1\n", "")
        for key in ("pic:mail: {host: web1, ", "    host: web1\n    domain: pma."):
            edit(two_hosts / f"Pulumi.{stack}.yaml", key, key.replace("host: web1", "").replace("{, ", "{"))
    commit(two_hosts, "defaults derived from the host names")
    assert plan_json(two_hosts)["changes"] == []


def _lists_member(repo: Path) -> Member:
    return next(m for m in registry(repo) if m.lists is not None and m.status == "active" and m.site is not None)


def _site_downtime(plan: dict[str, Any], slug: str) -> list[str | None]:
    """The downtime told of each of ``slug``'s site containers removed by a plan (json)."""
    return [
        c["downtime"]
        for c in plan["changes"]
        if c["kind"] == "remove" and c["type"] == "docker:index/container:Container" and c["name"].startswith(slug)
    ]


@pytest.mark.parametrize("stack", ["prod", "dev"])
def test_archive_and_reactivate_keep_every_key(two_hosts: Path, stack: str) -> None:
    member = _lists_member(two_hosts)
    path = two_hosts / "members" / f"{member.slug}.yaml"
    original = path.read_text(encoding="utf-8")
    edit(path, "status: active", "status: archived")
    commit(two_hosts, f"{member.slug} archived")
    archived = plan_json(two_hosts, "--stack", stack)
    kinds = by_kind(archived)
    assert kinds.get("remove"), "archiving stops something (the site, the lists)"
    assert _site_downtime(archived, member.slug) == [
        f"the site of {member.slug} is no longer served from this `pulumi up`: {member.slug} is archived; its files "
        f"stay in its space on {member.host} ({load_settings(two_hosts, stack).members_root}/{member.slug}/www/)"
    ]
    keys_and_certs = [
        (c["kind"], c["name"])
        for c in archived["changes"]
        if c["type"] == KEY
        or c["name"].endswith(("-tls-cert", "-tls-key-file", "-tls-cert-file"))
        or c["name"].startswith("sympa-dkim")
    ]
    assert [k for k in keys_and_certs if k[0] in ("add", "remove", "replace")] == [], keys_and_certs
    assert archived["stateful_changes"] == []
    path.write_text(original, encoding="utf-8")
    commit(two_hosts, f"{member.slug} active again")
    back = plan_json(two_hosts, "--stack", stack)
    assert not [c for c in back["changes"] if c["type"] == KEY], "a key is created or removed again"
    assert not [
        c for c in back["changes"] if c["name"].startswith("sympa-dkim") and c["kind"] in ("add", "remove", "replace")
    ]
    # Active -> archived -> active leaves the keys exactly as they were.
    proc = subprocess.run(
        [sys.executable, "-m", "pic", "plan", "--against", "HEAD~2", "--format", "json", "--stack", stack],
        cwd=two_hosts,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout)["changes"] == []


def _logins(plan: dict[str, Any]) -> dict[tuple[str, str], str | None]:
    """The lock commands of member databases a plan adds or removes (json), with what it says of their logins."""
    return {(c["kind"], c["name"]): c["login"] for c in plan["changes"] if c["name"].endswith("-lock")}


def test_suspending_locks_the_database_logins_and_active_again_unlocks(two_hosts: Path) -> None:
    """docs/REGISTRY.md: a suspended member's logins are refused, its databases untouched. The plan adds its
    databases' locks and says so; suspended -> archived changes no lock; active again removes them, saying the
    users are unlocked; nothing stateful on the way."""
    member = next(m for m in registry(two_hosts) if m.status == "active" and m.databases and m.site is not None)
    locks = {d.user: f"{member.slug}-db-{d.short}-lock" for d in member.databases}
    path = two_hosts / "members" / f"{member.slug}.yaml"
    edit(path, "status: active", "status: suspended")
    commit(two_hosts, f"{member.slug} suspended")
    suspended = plan_json(two_hosts)
    logins = _logins(suspended)
    assert set(logins) == {("add", name) for name in locks.values()}, suspended["changes"]
    for user, name in locks.items():
        said = logins[("add", name)] or ""
        assert f"the database user {user} is locked from this `pulumi up`" in said, said
        assert f"{member.slug} is suspended" in said and "phpMyAdmin" in said, said
        assert "still dumped every night" in said and "active again unlocks it" in said, said
    mine = [c for c in suspended["changes"] if c["member"] == member.slug]
    assert not [c for c in mine if c["type"].startswith("mysql:")], "a database, user or grant changes"
    assert suspended["stateful_changes"] == []
    # the suspended member's databases are still dumped: the dump list keeps them
    assert not [c for c in suspended["changes"] if c["name"].endswith("-dumps-list")], "the dump list changes"
    text = plan(two_hosts)
    assert text.returncode == 0, text.stderr[-3000:]
    for name in locks.values():
        assert f">>> login: {name}: the database user" in text.stdout, text.stdout[-3000:]
    markdown = plan(two_hosts, "--format", "markdown").stdout
    assert "#### Database logins locked, unlocked or dropped" in markdown
    assert all(f"- `{name}`: the database user" in markdown for name in locks.values()), markdown

    edit(path, "status: suspended", "status: archived")
    commit(two_hosts, f"{member.slug} archived")
    archived = plan_json(two_hosts)
    assert _logins(archived) == {}, "suspended -> archived changes a lock"
    assert all(c["login"] is None for c in archived["changes"])

    edit(path, "status: archived", "status: active")
    commit(two_hosts, f"{member.slug} active again")
    for rev in ("HEAD~1", "HEAD~2"):  # from archived, from suspended
        back = plan_json(two_hosts, rev=rev)
        logins = _logins(back)
        assert set(logins) == {("remove", name) for name in locks.values()}, (rev, back["changes"])
        for user, name in locks.items():
            said = logins[("remove", name)] or ""
            assert f"the database user {user} is unlocked by this `pulumi up`: {member.slug} is active again" in said
        assert back["stateful_changes"] == []
    assert plan_json(two_hosts, rev="HEAD~3")["changes"] == []


def test_a_lock_removed_with_its_user_says_nothing_of_an_unlock(tmp_path: Path) -> None:
    """A member database's lock leaves the plan with its user when the member file or the database is removed
    (the user is dropped, not unlocked): only a database kept by a member active again is said unlocked."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-lock"
    locks = [f"{slug}-db-{short}-lock" for short in ("main", "extra")]
    before = write_members(
        tmp_path / "before", {slug: member(uid=10901, status="suspended", databases=["main", "extra"])}
    )
    old = rendering(*(res("command:remote:Command", name, {"stdin": "ALTER USER"}) for name in locks))
    afters = {
        "file removed": {},
        "database removed, still suspended": {slug: member(uid=10901, status="suspended", databases=["main"])},
        "active again, one database removed": {slug: member(uid=10901, databases=["main"])},
    }
    said: dict[str, dict[str, str]] = {}
    for case, members in afters.items():
        after = write_members(tmp_path / case.replace(" ", "-").replace(",", ""), members)
        attr_old = Attribution(old, load_registry(before, settings), settings)
        attr_new = Attribution(rendering(), load_registry(after, settings), settings)
        r = review(diff(old, rendering()), attr_new, attr_old)
        said[case] = {s.change.resource.name: s.login for s in r.shown}
    assert said["file removed"] == dict.fromkeys(locks, "")
    assert said["database removed, still suspended"] == dict.fromkeys(locks, "")
    unlocked = said["active again, one database removed"]
    assert unlocked[locks[1]] == "", "the user of a database removed is dropped, not unlocked"
    assert unlocked[locks[0]].startswith(f"the database user asso_lock_main is unlocked by this `pulumi up`: {slug}")


@pytest.mark.parametrize("status", ["suspended", "archived"])
def test_a_member_added_suspended_or_archived_is_told_what_it_runs_when_active(tmp_path: Path, status: str) -> None:
    """A member file added with status: suspended (archived) declares no site container, cron job or key: the plan
    showed nothing of its runtime, PHP settings or limits, where a member made inactive earlier and changed is told
    'when active again': the member added inactive is told so, each field from (none)."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-added"
    site = {"domains": ["added-asso.fr"], "php": "8.4", "php_settings": {"memory_limit": "128M"}}
    fields = {"status": status, "site": site, "limits": {"memory_mb": 300}}
    before = write_members(tmp_path / "before", {"asso-kept": member(uid=10900)})
    after = write_members(tmp_path / "after", {"asso-kept": member(uid=10900), slug: member(uid=10901, **fields)})
    attr_old = Attribution(rendering(), load_registry(before, settings), settings)
    attr_new = Attribution(rendering(), load_registry(after, settings), settings)
    r = review(diff(rendering(), rendering()), attr_new, attr_old)
    assert [w.member for w in r.when_active] == [slug], r.when_active
    (w,) = r.when_active
    assert w.status == status, w
    assert w.note().startswith(
        f'{slug} is added {status}: limits.memory_mb: (none) -> 300; site.php: (none) -> "8.4"; '
        "site.php_settings.memory_limit: (none) -> 128M: they take effect only when "
        f"{slug} is active again (`status: active`), not by this `pulumi up`: while {status}, the program declares "
        "no site container"
    ), w.note()
    assert w.as_json()["added"] is True, w.as_json()


def test_exception_renewed_and_domain_added_replace_no_container(two_hosts: Path) -> None:
    members = registry(two_hosts)
    excepted = next(m for m in members if m.spec.exceptions.php_eol is not None and m.status == "active")
    exc = excepted.spec.exceptions.php_eol
    assert exc is not None
    later = (exc.until + dt.timedelta(days=180)).isoformat()
    edit(two_hosts / "members" / f"{excepted.slug}.yaml", exc.until.isoformat(), later)
    other = next(m for m in members if m.status == "active" and m.site is not None and m.slug != excepted.slug)
    assert other.site is not None
    first = other.site.domains[0]
    path = two_hosts / "members" / f"{other.slug}.yaml"
    edit(path, f"    - {first}\n", f"    - {first}\n    - nouveau.{first}\n")
    commit(two_hosts, "exception renewed, a domain added")
    data = plan_json(two_hosts)
    assert data["changes"], "the changes are seen"
    replaced = [c for c in data["changes"] if c["kind"] in ("replace", "remove")]
    assert replaced == [], replaced
    assert not [c for c in data["changes"] if c["type"] == CONTAINER], "a container changes"
    names = {c["name"] for c in data["changes"]}
    assert {f"{excepted.slug}-space", f"{other.slug}-space", "web1-proxy-caddyfile"} <= names  # site facts
    facts = next(c for c in data["changes"] if c["name"] == f"{excepted.slug}-space")
    lines = [line for i in facts["inputs"] for line in i["lines"]]
    assert any(later in line and line.lstrip().startswith("+") for line in lines), lines


def test_php_version_change_replaces_exactly_that_container_and_says_the_downtime(two_hosts: Path) -> None:
    settings = check(two_hosts, "prod", two_hosts / "members", dt.date.today()).settings
    members = registry(two_hosts)
    running = [m for m in members if m.status == "active" and m.runtime and m.spec.exceptions.php_eol is None]
    member = running[0]
    target = next(k for k in settings.runtime_keys()[::-1] if k != member.runtime and not settings.runtimes[k].stopped)
    edit(two_hosts / "members" / f"{member.slug}.yaml", f'php: "{member.runtime}"', f'php: "{target}"')
    commit(two_hosts, f"{member.slug} on PHP {target}")
    data = plan_json(two_hosts)
    containers = [c for c in data["changes"] if c["type"] == CONTAINER]
    assert [(c["kind"], c["name"]) for c in containers] == [("replace", f"{member.slug}-container")]
    (c,) = containers
    assert c["host_before"] == c["host_after"] == member.host
    assert c["delete_first"] and c["downtime"] and "about" in c["downtime"] and member.slug in c["downtime"]
    text = plan(two_hosts).stdout
    assert f">>> downtime: {member.slug}-container:" in text


def test_a_site_change_of_a_suspended_or_archived_member_is_told_to_wait_for_its_reactivation(two_hosts: Path) -> None:
    """A suspended or archived member's runtime, limits or cron jobs changed: the program declares no container,
    timer or key of it, so no resource changes; the plan says the change takes effect once it is active again,
    in text, markdown and json. An active member's change is shown as its resources' and not told so."""
    settings = check(two_hosts, "prod", two_hosts / "members", dt.date.today()).settings
    members = registry(two_hosts)
    usable = [k for k in settings.runtime_keys() if not settings.runtimes[k].stopped]
    inactive = {m.status: m for m in members if m.status != "active" and m.runtime}
    assert set(inactive) == {"suspended", "archived"}, inactive
    targets = {}
    for m in inactive.values():
        targets[m.slug] = next(k for k in usable[::-1] if k != m.runtime)
        path = two_hosts / "members" / f"{m.slug}.yaml"
        edit(path, f'php: "{m.runtime}"', f'php: "{targets[m.slug]}"')
        path.write_text(path.read_text(encoding="utf-8") + "limits:\n  memory_mb: 700\n", encoding="utf-8")
    active = next(m for m in members if m.status == "active" and m.runtime and m.spec.limits is None)
    path = two_hosts / "members" / f"{active.slug}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "limits:\n  memory_mb: 700\n", encoding="utf-8")
    commit(two_hosts, "runtimes and limits")
    data = plan_json(two_hosts)
    assert {c["member"] for c in data["changes"]} == {active.slug}, data["changes"]
    told = {w["member"]: w for w in data["when_active"]}
    assert set(told) == {m.slug for m in inactive.values()}, data["when_active"]
    for status, m in inactive.items():
        w = told[m.slug]
        assert w["status"] == status
        assert w["fields"] == [
            {"field": "limits.memory_mb", "old": "(none)", "new": "700"},
            {"field": "site.php", "old": json.dumps(m.runtime), "new": json.dumps(targets[m.slug])},
        ], w
        assert f"{m.slug} is {status}: limits.memory_mb: (none) -> 700; site.php: " in w["note"], w["note"]
        assert f"effect only when {m.slug} is active again (`status: active`)" in w["note"], w["note"]
    text = plan(two_hosts).stdout
    for m in inactive.values():
        line = next(line for line in text.splitlines() if line.startswith(f">>> when active again: {m.slug} is "))
        assert f'site.php: "{m.runtime}" -> "{targets[m.slug]}"' in line, line
    assert f">>> when active again: {active.slug}" not in text
    markdown = plan(two_hosts, "--format", "markdown").stdout
    assert "#### Changes applied only when the member is active again" in markdown, markdown
    for m in inactive.values():
        assert f"- **{m.slug}**: {m.slug} is {m.status}: " in markdown, markdown


# The last revision whose credentials command wrote a member's database files in the order of `databases:`
YAML_ORDER_CREDENTIALS = "974774961e79583919b95a5888e87b4e77503d84"


def _multi_database_member(repo: Path) -> Member:
    return next(m for m in registry(repo) if m.status == "active" and len(m.databases) >= 2)


def test_databases_listed_in_another_order_change_nothing(two_hosts: Path) -> None:
    """The same databases in another order in `databases:`: the credentials command writes their files by name,
    so nothing is updated."""
    m = _multi_database_member(two_hosts)
    shorts = [d.short for d in m.databases]
    path = two_hosts / "members" / f"{m.slug}.yaml"
    edit(path, f"databases: [{', '.join(shorts)}]", f"databases: [{', '.join(shorts[::-1])}]")
    commit(two_hosts, f"{m.slug}'s databases in another order")
    assert [d.short for d in next(x for x in registry(two_hosts) if x.slug == m.slug).databases] == shorts[::-1]
    assert plan_json(two_hosts)["changes"] == []


def test_a_state_of_database_files_in_yaml_order_plans_an_update_of_the_unsorted_ones_only(two_hosts: Path) -> None:
    """The stacks applied when the credentials command wrote the files in the order of `databases:`: a member
    whose names are in that order already sees no change, one whose names are not an update of its credentials
    command alone (its files written in another order), nothing replaced."""
    require_program("git")
    former = subprocess.run(
        ["git", "show", f"{YAML_ORDER_CREDENTIALS}:components/member_credentials.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if former.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"{YAML_ORDER_CREDENTIALS[:7]} is not in this checkout: git fetch --unshallow")
        pytest.skip(f"no git history: {YAML_ORDER_CREDENTIALS[:7]} is not in this checkout")
    credentials = two_hosts / "components" / "member_credentials.py"
    now = credentials.read_text(encoding="utf-8")
    assert former.stdout != now
    credentials.write_text(former.stdout, encoding="utf-8")
    commit(two_hosts, "credential files in the order of databases:")
    credentials.write_text(now, encoding="utf-8")
    data = plan_json(two_hosts, rev="HEAD")
    unsorted = {
        m.slug for m in registry(two_hosts) if [d.short for d in m.databases] != sorted(d.short for d in m.databases)
    }
    assert unsorted, "the examples hold a member whose databases are not listed by name"
    assert sorted((c["kind"], c["name"]) for c in data["changes"]) == sorted(
        ("update", f"{slug}-credentials") for slug in unsorted
    ), data["changes"]


@pytest.mark.parametrize("stack", ["prod", "dev"])
def test_site_domains_in_another_order_are_told_to_only_reorder_them(two_hosts: Path, stack: str) -> None:
    """The same site domains in another order: each update only writes them so, and the plan says it, with what
    the first name decides: the certificate's subject (certbot keeps its certificate, the names compared as a
    set; the platform's CA makes a new one), nothing replaced but the internal CA's certificate."""
    m = next(
        m
        for m in registry(two_hosts)
        if m.status == "active" and m.site is not None and m.site.https and len(m.site.domains) >= 2
    )
    assert m.site is not None
    d0, d1 = m.site.domains[:2]
    edit(two_hosts / "members" / f"{m.slug}.yaml", f"    - {d0}\n    - {d1}\n", f"    - {d1}\n    - {d0}\n")
    commit(two_hosts, f"{m.slug}'s domains in another order")
    # the internal CA's certificate replaced is stateful (exit 3): a certificate is made anew
    data = plan_json(two_hosts, "--stack", stack, status=0 if stack == "prod" else 3)
    assert {c["member"] for c in data["changes"] if c["member"] != "platform"} == {m.slug}, data["changes"]
    replaced = sorted(c["name"] for c in data["changes"] if c["kind"] != "update")
    assert replaced == ([] if stack == "prod" else [f"{m.slug}-tls-cert", f"{m.slug}-tls-csr"]), data["changes"]
    (told,) = data["domains_reordered"]
    new = [d1, d0, *m.site.domains[2:]]
    assert (told["member"], told["old"], told["new"]) == (m.slug, list(m.site.domains), new), told
    assert "the updates of its names only write them in this order" in told["note"], told["note"]
    if stack == "prod":
        assert f"certbot keeps the certificate of {m.slug}" in told["note"], told["note"]
        assert f"from its next renewal it names {d1} first, in place of {d0}" in told["note"], told["note"]
    else:
        assert (
            f"replaced (pulumi-tls reads the names in order) by ones of the same names and key, {d1} first"
            in (told["note"])
        ), told["note"]
    text = plan(two_hosts, "--stack", stack).stdout
    assert f">>> domains reordered: {told['note']}" in text, text
    markdown = plan(two_hosts, "--stack", stack, "--format", "markdown").stdout
    assert "#### Site domains in another order" in markdown and f"- {m.slug}: site.domains lists " in markdown


@pytest.mark.parametrize(
    ("status", "proxy"),
    [
        ("active", ", and the proxy serves the same names;"),
        ("suspended", ", and the proxy serves the same names;"),
        ("archived", ", and the proxy serves none of them: asso-order is archived (no proxy block);"),
    ],
)
def test_site_domains_in_another_order_say_what_the_proxy_serves(tmp_path: Path, status: str, proxy: str) -> None:
    """An archived member's site domains in another order were told 'the updates of its names only write them in
    this order' and nothing of the proxy, where an active member's note says the proxy serves the same names: the
    archived member's says the proxy serves none of them, and why."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-order"
    names = ["order-asso.fr", "www.order-asso.fr"]
    before = write_members(
        tmp_path / "before", {slug: member(uid=10901, status=status, site={"domains": names, "php": "none"})}
    )
    site = {"domains": names[::-1], "php": "none"}
    after = write_members(tmp_path / "after", {slug: member(uid=10901, status=status, site=site)})
    attr_old = Attribution(rendering(), load_registry(before, settings), settings)
    attr_new = Attribution(rendering(), load_registry(after, settings), settings)
    r = review(diff(rendering(), rendering()), attr_new, attr_old)
    (told,) = r.domains_reordered
    assert told.note().startswith(
        f"{slug}: site.domains lists the same names in another order (order-asso.fr, www.order-asso.fr -> "
        f"www.order-asso.fr, order-asso.fr): the updates of its names only write them in this order{proxy}"
    ), told.note()


def test_a_static_sites_charset_written_as_its_default_changes_nothing(two_hosts: Path) -> None:
    """``site.charset: utf-8`` is what Caddy declares without one: writing it, or dropping it, replaced the site's
    container (its Caddyfile rewrote charset=utf-8 to charset=utf-8), its site down for nothing."""
    member = next(m for m in registry(two_hosts) if m.site is not None and m.site.static and m.status == "active")
    path = two_hosts / "members" / f"{member.slug}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^  charset: .*\n", "", text), encoding="utf-8")
    commit(two_hosts, f"{member.slug}: no charset")
    edit(path, "\nsite:\n", "\nsite:\n  charset: utf-8\n")
    commit(two_hosts, f"{member.slug}: charset utf-8")
    assert plan_json(two_hosts)["changes"] == []


def test_markdown_of_the_examples(two_hosts: Path) -> None:
    """The pull-request comment: summary table by member and host, stateful changes first, details
    per member in collapsible blocks; and the listing without --against."""
    members = registry(two_hosts)
    leaving = next(m for m in members if m.databases and m.status == "active")
    (two_hosts / "members" / f"{leaving.slug}.yaml").unlink()
    commit(two_hosts, f"{leaving.slug} leaves")
    proc = plan(two_hosts, "--format", "markdown")
    assert proc.returncode == 3, proc.stderr[-3000:]
    md = proc.stdout
    assert md.startswith("### pic plan: stack prod, against `HEAD~1`")
    stateful = md.index(":warning:")
    table = md.index("| member | host | add | update | replace | remove |")
    details = md.index("<details>")
    assert stateful < table < details
    database = f"{leaving.slug}-db-{leaving.databases[0].short}-database"
    assert f"| remove | `{database}` (mysql:Database) | {leaving.slug} | db |" in md
    assert re.search(rf"(?m)^\| {re.escape(leaving.slug)} \| {leaving.host} \| +\| +\| +\| \d+ \|$", md), md
    assert f"<details><summary><b>{leaving.slug}</b>: " in md
    assert md.count("<details>") == md.count("</details>") == md.count("```diff")
    assert md.count("```") == 2 * md.count("```diff")
    summary = re.search(r"\*\*(\d+) to add, (\d+) to update, (\d+) to replace, (\d+) to remove", md)
    assert summary is not None
    listed = len(re.findall(r"(?m)^[+!-] (add|update|replace|remove) ", md))
    assert listed == sum(int(n) for n in summary.groups()), "the counts are the lines listed"
    listing = subprocess.run(
        [sys.executable, "-m", "pic", "plan", "--format", "markdown"],
        cwd=two_hosts,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout
    for m in members:
        if m.slug != leaving.slug:
            assert f"| {m.slug} |" in listing, m.slug


def test_cron_jobs_added_and_edited_show_in_the_plan_and_replace_no_container(two_hosts: Path) -> None:
    members = registry(two_hosts)
    member = next(m for m in members if m.status == "active" and m.runtime and not m.spec.cron and m.host == "web1")
    path = two_hosts / "members" / f"{member.slug}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + 'cron:\n  - schedule: "30 2 * * 1-5"\n    command: php bin/cleanup.php\n    timeout: 120\n',
        encoding="utf-8",
    )
    commit(two_hosts, f"a cron job for {member.slug}")
    data = plan_json(two_hosts)
    assert by_kind(data) == {"add": [("command:remote:Command", f"{member.slug}-cron")]}, by_kind(data)
    shown = plan(two_hosts).stdout
    assert f"{member.slug}-cron" in shown
    # What the job runs and when, read in the added resource's script.
    added = shown[shown.index(f"{member.slug}-cron") :]
    assert "php bin/cleanup.php" in added and "+OnCalendar=Mon,Tue,Wed,Thu,Fri *-*-* 02:30:00" in added, added
    (change,) = data["changes"]
    assert any("php bin/cleanup.php" in line for i in change["inputs"] for line in i["lines"]), change
    edit(path, '"30 2 * * 1-5"', "daily")
    commit(two_hosts, "the job daily")
    data = plan_json(two_hosts)
    assert [(c["kind"], c["name"]) for c in data["changes"]] == [("update", f"{member.slug}-cron")]
    lines = [line for i in data["changes"][0]["inputs"] for line in i["lines"]]
    assert any(
        "OnCalendar=Mon,Tue,Wed,Thu,Fri *-*-* 02:30:00" in line and line.lstrip().startswith("-") for line in lines
    )
    assert any("OnCalendar=*-*-* 0" in line and line.lstrip().startswith("+") for line in lines), lines


# --- pic plan --against: where the repository is, and what its history holds ------------------------------


def test_against_in_a_clone_whose_path_is_not_utf8(two_hosts: Path, tmp_path: Path) -> None:
    """Git prints the paths' bytes (a name written in Latin-1: caf\xe9): they are read as file names are."""
    clone = tmp_path / os.fsdecode(b"caf\xe9 repo")
    git(tmp_path, "clone", "-q", str(two_hosts), str(clone))
    data = plan_json(clone, rev="HEAD")
    assert data["against"]["commit"] == git(clone, "rev-parse", "HEAD").strip()
    assert data["changes"] == []


def test_against_outside_a_repository_says_so(two_hosts: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(two_hosts, plain, ignore=shutil.ignore_patterns(".git"))
    proc = plan(plain, rev="HEAD")
    assert proc.returncode == 1, proc.stderr
    assert "<command line> --against: the project (.) is not in a git repository: " in proc.stderr, proc.stderr
    assert "is not a revision" not in proc.stderr


def test_against_in_a_repository_without_a_commit_says_so(two_hosts: Path, tmp_path: Path) -> None:
    """A repository just made (git init, nothing committed yet): no revision is in it, and the plan said HEAD was
    none of this repository as for a name mistyped; it says that nothing is committed yet."""
    fresh = tmp_path / "fresh"
    shutil.copytree(two_hosts, fresh, ignore=shutil.ignore_patterns(".git"))
    git(fresh, "init", "-q")
    for rev in ("HEAD", "main", "HEAD~1"):
        proc = plan(fresh, rev=rev)
        assert proc.returncode == 1, proc.stderr
        said = f"<command line> --against: {rev!r} is not a revision of this repository: it has no commit yet"
        assert said in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr


def test_against_head_of_a_branch_without_a_commit_says_so(two_hosts: Path) -> None:
    """HEAD on a branch made with git checkout --orphan (or git switch --orphan), nothing committed on it yet, while
    other branches have commits: HEAD names no commit, and the plan said only that it was no revision of this
    repository, as for a name mistyped; it says which branch HEAD is and that it has no commit yet, with the
    branches to give instead."""
    (two_hosts / "NOTES").write_text("a second commit\n", encoding="utf-8")
    commit(two_hosts, "notes")
    branch = git(two_hosts, "symbolic-ref", "--short", "HEAD").strip()
    git(two_hosts, "checkout", "-q", "--orphan", "redesign")
    for rev in ("HEAD", "@", "HEAD~1", "redesign", "redesign^"):
        proc = plan(two_hosts, rev=rev)
        assert proc.returncode == 1, proc.stderr[-2000:]
        said = (
            f"<command line> --against: {rev!r} is not a revision of this repository: HEAD is the branch 'redesign', "
            "which has no commit yet"
        )
        assert said in proc.stderr, proc.stderr[-2000:]
        assert f"the branches that have commits: {branch}" in proc.stderr, proc.stderr[-2000:]
    proc = plan(two_hosts, "--format", "json", rev=branch)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout)["against"]["commit"] == git(two_hosts, "rev-parse", branch).strip()


def test_against_a_ref_git_writes_at_times_says_when_it_is_not_there(two_hosts: Path) -> None:
    """FETCH_HEAD before any fetch, ORIG_HEAD before any merge, rebase or reset, MERGE_HEAD with no merge stopped, stash
    with nothing stashed: the plan said only that each was no revision of this repository, as a name mistyped; it
    says what git writes it for, and that it has not."""
    for rev, said in (
        ("FETCH_HEAD", "git writes FETCH_HEAD at a git fetch, and none was made in this clone"),
        ("ORIG_HEAD~1", "git writes ORIG_HEAD when a merge, rebase or reset moves HEAD, and none has in this clone"),
        ("MERGE_HEAD", "git writes MERGE_HEAD while a merge stopped on its conflicts, and none has"),
        ("stash", "nothing is stashed (git stash list is empty)"),
    ):
        proc = plan(two_hosts, rev=rev)
        assert proc.returncode == 1, proc.stderr[-2000:]
        assert f"--against: {rev!r} is not a revision of this repository: {said}" in proc.stderr, proc.stderr[-2000:]


def test_against_a_range_of_commits_says_that_one_commit_is_taken(two_hosts: Path) -> None:
    """A range as git log takes it (main..HEAD, A...B, HEAD^!): not one revision, and the plan said it was none of
    this repository as for a name mistyped; it says it is a range, and which commit to give."""
    (two_hosts / "NOTES").write_text("a second commit\n", encoding="utf-8")
    commit(two_hosts, "notes")
    for rev, left in (
        ("HEAD~1..HEAD", "HEAD~1"),
        ("HEAD~1...HEAD", "$(git merge-base HEAD~1 HEAD)"),
        ("HEAD^!", None),
        ("..HEAD", None),
    ):
        proc = plan(two_hosts, rev=rev)
        assert proc.returncode == 1, proc.stderr
        said = f"<command line> --against: {rev!r} is a range of commits, not one revision: --against takes one commit"
        assert said in proc.stderr, proc.stderr
        assert (f"--against {left}" in proc.stderr) is (left is not None), proc.stderr
    assert "is a range" not in plan(two_hosts, rev="HEAD~1.2").stderr  # no range: a name mistyped


def test_against_a_range_offers_only_a_side_that_is_a_revision(two_hosts: Path) -> None:
    """main..nope: the left side was offered (--against main) whether or not it named anything; a side is offered
    only when git resolves it, and a side that names nothing is said to be none."""
    (two_hosts / "NOTES").write_text("a second commit\n", encoding="utf-8")
    commit(two_hosts, "notes")
    for rev, offered, missing in (
        ("nope..HEAD", None, "nope"),
        ("HEAD~1..nope", "--against HEAD~1", "nope"),
        ("nope...HEAD", None, "nope"),
        ("HEAD...nope", None, "nope"),
        ("HEAD~1...HEAD", "--against $(git merge-base HEAD~1 HEAD)", None),
    ):
        proc = plan(two_hosts, rev=rev)
        assert proc.returncode == 1, proc.stderr
        assert f"--against: {rev!r} is a range of commits, not one revision" in proc.stderr, proc.stderr
        offers = re.findall(r"compared with: (--against (?:\$\([^)]*\)|[^\s,;]+))", proc.stderr)
        offers = [o for o in offers if o != "--against <commit>"]  # a placeholder, no revision offered
        assert offers == ([offered] if offered else []), (rev, proc.stderr)
        for given in offers:
            side = given.removeprefix("--against ")
            if side.startswith("$("):
                side = git(two_hosts, *shlex.split(side[2:-1])[1:]).strip()
            git(two_hosts, "rev-parse", "--verify", "--quiet", side)  # resolves, or check=True fails
        assert (missing is None) or f"{missing!r} is not a revision of this repository" in proc.stderr, proc.stderr


def test_against_a_revision_excluded_says_it_names_no_one_commit(two_hosts: Path) -> None:
    """^main, as git log reads it, excludes the commits main reaches: git rev-parse gives back ^<id>, and the plan
    said no object of that id was in the repository, to be fetched (and hid ^HEAD~1 as a possible secret)."""
    (two_hosts / "NOTES").write_text("a second commit\n", encoding="utf-8")
    commit(two_hosts, "notes")
    for rev, offered in (("^HEAD~1", "--against HEAD~1"), ("^nope", None)):
        proc = plan(two_hosts, rev=rev)
        assert proc.returncode == 1, proc.stderr
        said = f"--against: {rev!r} excludes the commits {rev[1:]} reaches (as git log reads it), not one revision"
        assert said in proc.stderr, (rev, proc.stderr)
        assert "no object of that id" not in proc.stderr and "not shown" not in proc.stderr, proc.stderr
        assert (
            (f"compared with: {offered}" in proc.stderr)
            if offered
            else ("compared with: --against <commit>" in proc.stderr)
        )
    assert "'nope' is not a revision of this repository" in plan(two_hosts, rev="^nope").stderr


def test_against_dots_inside_a_search_or_a_path_is_no_range(two_hosts: Path) -> None:
    """'..' inside ^{/regex}, or after REV: or :/, is no range (gitrevisions(7)): git reads the whole as one
    revision. A search that finds nothing was told as a range (and --against HEAD^{/nomatch offered)."""
    for rev in ("HEAD^{/nomatch..x}", ":/nomatch..x", "HEAD:no..such"):
        proc = plan(two_hosts, rev=rev)
        assert proc.returncode == 1, proc.stderr
        assert f"--against: {rev!r} is not a revision of this repository" in proc.stderr, (rev, proc.stderr)
        assert "range" not in proc.stderr, (rev, proc.stderr)
    assert "no commit whose message matches 'nomatch..x'" in plan(two_hosts, rev="HEAD^{/nomatch..x}").stderr


def test_against_a_range_of_revisions_is_named_not_hidden(two_hosts: Path) -> None:
    """HEAD~1..HEAD~1 was written 'the value (not shown: it may be a secret)': what git reads as revisions is named."""
    for rev in ("HEAD~1..HEAD~1", "HEAD~1...HEAD^2", "main~2^!"):
        proc = plan(two_hosts, rev=rev)
        assert proc.returncode == 1 and f"--against: {rev!r} is a range" in proc.stderr, (rev, proc.stderr)
        assert "not shown" not in proc.stderr, (rev, proc.stderr)


def test_against_a_revision_with_a_blank_around_it_is_named_and_offered_without(two_hosts: Path) -> None:
    """'HEAD~1 ' (a space pasted after it) was written 'the value (not shown: it may be a secret) is not a revision',
    and ' HEAD' told as a name mistyped: each is named, told of its blank, and the revision offered without it when
    git resolves it."""
    (two_hosts / "NOTES").write_text("a second commit\n", encoding="utf-8")
    commit(two_hosts, "notes")
    for rev, offered in (("HEAD~1 ", "HEAD~1"), (" HEAD", "HEAD"), ("\tmain~1", None)):
        proc = plan(two_hosts, rev=rev)
        assert proc.returncode == 1 and f"--against: {rev!r} is not a revision" in proc.stderr, (rev, proc.stderr)
        assert "not shown" not in proc.stderr and "blank" in proc.stderr, (rev, proc.stderr)
        if offered is not None:
            assert f"--against {offered}" in proc.stderr, (rev, proc.stderr)


def test_against_the_upstream_of_a_branch_without_one_says_so(two_hosts: Path) -> None:
    """@{upstream}, @{u}, BRANCH@{push} in a branch with no upstream: was "is not a revision of this repository", as
    for a name mistyped; it says the branch has none, and what to give instead."""
    branch = git(two_hosts, "symbolic-ref", "--short", "HEAD").strip()
    for rev in ("@{upstream}", "@{u}", f"{branch}@{{push}}", "@{U}"):
        proc = plan(two_hosts, rev=rev)
        assert proc.returncode == 1, proc.stderr
        said = f"--against: {rev!r} is not a revision of this repository: the branch {branch!r} has no upstream"
        assert said in proc.stderr, (rev, proc.stderr)
        assert f"git branch --set-upstream-to=<remote>/<branch> {branch}" in proc.stderr, proc.stderr
        assert "--against <remote>/<branch>" in proc.stderr, proc.stderr
    git(two_hosts, "checkout", "-q", "--detach")
    proc = plan(two_hosts, rev="@{u}")
    assert "'@{u}' is not a revision of this repository: HEAD is on no branch (detached)" in proc.stderr, proc.stderr
    proc = plan(two_hosts, rev="nope@{u}")
    assert "'nope@{u}' is not a revision of this repository: no branch 'nope'" in proc.stderr, proc.stderr


def test_against_a_revision_past_the_history_says_how_far_it_goes(two_hosts: Path) -> None:
    """HEAD^2 of a commit of one parent, HEAD~5 of a history of two commits, HEAD@{9} of a short reflog, @{-1}
    where no other branch was checked out: each was "is not a revision of this repository" as for a name mistyped;
    each says what is there."""
    (two_hosts / "NOTES").write_text("a second commit\n", encoding="utf-8")
    commit(two_hosts, "notes")
    for rev, said in (
        ("HEAD^2", "HEAD (a commit of 1 parent) has no parent 2"),
        ("HEAD~1^2", "HEAD~1 (a commit of no parent, the first of its history) has no parent 2"),
        ("HEAD~5", "HEAD has 1 commit before it along its first parents: HEAD~5 goes past the first"),
        ("HEAD~1~1", "HEAD~1 has no commit before it along its first parents: HEAD~1~1 goes past the first"),
        ("HEAD@{9}", "HEAD@{9} is where HEAD was 9 moves ago, and the reflog of HEAD (git reflog HEAD) holds 2 "),
        ("@{-1}", "no branch was checked out before this one"),
    ):
        proc = plan(two_hosts, rev=rev)
        assert proc.returncode == 1, proc.stderr
        assert f"--against: {rev!r} is not a revision of this repository: {said}" in proc.stderr, (rev, proc.stderr)


def test_against_a_reflog_date_before_the_reflog_says_which_commit_is_taken(two_hosts: Path) -> None:
    """HEAD@{1.year.ago} in a repository whose reflog began today: git takes the reflog's first entry and warns; the
    plan took it without a word, as if it were HEAD as it was a year ago. It says which commit it takes, and why."""
    (two_hosts / "NOTES").write_text("a second commit\n", encoding="utf-8")
    commit(two_hosts, "notes")
    first = git(two_hosts, "rev-parse", "HEAD~1").strip()
    proc = plan(two_hosts, "--format", "json", rev="HEAD@{1.year.ago}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout)["against"]["commit"] == first
    said = "warning: <command line> --against: 'HEAD@{1.year.ago}': the reflog of HEAD only goes back to "
    assert said in proc.stderr and f"the commit taken ({first[:10]}) is the first it holds" in proc.stderr, proc.stderr
    assert "warning: <command line> --against" not in plan(two_hosts, "--format", "json", rev="HEAD@{1}").stderr


def test_against_a_name_of_a_branch_and_a_tag_both_refuses_it_naming_each(two_hosts: Path) -> None:
    """A tag and a branch of one name on two commits (a release tag 'main' beside the branch main): git takes the
    tag with a warning (its refname is ambiguous, or not a word when core.warnAmbiguousRefs is false), and the plan
    compared with it without a word, a base the reviewer did not mean; it is refused, each ref named with its commit
    and the full name to give. Both on one commit, or a full name given, it is taken as git takes it."""
    first = git(two_hosts, "rev-parse", "HEAD").strip()
    (two_hosts / "NOTES").write_text("a second commit\n", encoding="utf-8")
    commit(two_hosts, "notes")
    second = git(two_hosts, "rev-parse", "HEAD").strip()
    git(two_hosts, "tag", "release", first)
    git(two_hosts, "branch", "release", second)
    git(two_hosts, "config", "core.warnAmbiguousRefs", "false")
    for rev in ("release", "release~0"):
        proc = plan(two_hosts, rev=rev)
        assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
        said = f"--against: {rev!r} names more than one ref, on different commits"
        assert said in proc.stderr, proc.stderr[-2000:]
        assert f"the tag release ({first[:10]}, refs/tags/release)" in proc.stderr, proc.stderr[-2000:]
        assert f"the branch release ({second[:10]}, refs/heads/release)" in proc.stderr, proc.stderr[-2000:]
        assert "changes against" not in proc.stdout, proc.stdout[-2000:]
    for rev, taken in (("refs/heads/release", second), ("refs/tags/release", first)):
        assert plan_json(two_hosts, rev=rev)["against"]["commit"] == taken
    git(two_hosts, "tag", "-f", "release", second)
    proc = plan(two_hosts, "--format", "json", rev="release")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout)["against"]["commit"] == second


def test_against_an_abbreviated_id_of_several_objects_names_them(two_hosts: Path) -> None:
    """A short id that git finds ambiguous (a commit and a blob starting with the same 4 characters): the commit is
    taken, as git log takes it; two commits so named are both told, with the longer ids to give."""
    head = git(two_hosts, "rev-parse", "HEAD").strip()
    n = 0
    while not hashlib.sha1(f"blob {len(str(n))}\0{n}".encode()).hexdigest().startswith(head[:4]):
        n += 1
    (two_hosts / "same-start").write_text(str(n), encoding="utf-8")
    blob = git(two_hosts, "hash-object", "-w", "same-start").strip()
    (two_hosts / "same-start").unlink()
    assert blob[:4] == head[:4]
    proc = plan(two_hosts, "--format", "json", rev=head[:4])
    assert "Traceback" not in proc.stderr and "is not a revision" not in proc.stderr, proc.stderr[-3000:]
    assert json.loads(proc.stdout)["against"]["commit"] == head, proc.stdout[-2000:]
    # a second commit of the same start: git cannot tell which commit, and neither can the plan
    tree = git(two_hosts, "rev-parse", "HEAD^{tree}").strip()
    n = 0
    while True:
        body = f"tree {tree}\nauthor a <a@b> 0 +0000\ncommitter a <a@b> 0 +0000\n\n{n}\n".encode()
        if hashlib.sha1(b"commit %d\0" % len(body) + body).hexdigest().startswith(head[:4]):
            break
        n += 1
    hashed = ["git", "hash-object", "-t", "commit", "-w", "--stdin"]
    written = subprocess.run(hashed, cwd=two_hosts, input=body, capture_output=True, check=True)
    other = written.stdout.decode().strip()
    proc = plan(two_hosts, rev=head[:4])
    assert proc.returncode == 1, proc.stderr
    said = f"--against: {head[:4]!r} is not a revision of this repository: it starts the ids of several commits"
    assert said in proc.stderr, proc.stderr
    assert head[:10] in proc.stderr and other[:10] in proc.stderr, proc.stderr


def test_against_a_search_that_finds_nothing_says_so(two_hosts: Path) -> None:
    for rev, said in (
        (":/no such message", "no commit whose message matches 'no such message'"),
        ("HEAD^{/no such message}", "no commit whose message matches 'no such message', from HEAD"),
    ):
        proc = plan(two_hosts, rev=rev)
        assert proc.returncode == 1, proc.stderr
        assert f"--against: {rev!r} is not a revision of this repository: {said}" in proc.stderr, (rev, proc.stderr)


def test_against_a_path_of_the_index_or_an_unknown_type_says_what_it_is(two_hosts: Path) -> None:
    """:PATH and :0:PATH name what the index holds (the files staged by git add), not a commit: were told as what a
    commit holds, or as no revision at all (:members, the index holding no directory); ^{nope} names no type git
    knows, and was told as a name mistyped."""
    index = "; :PATH names what the index (the files staged by git add for the next commit) holds at PATH, not a commit"
    blob = git(two_hosts, "rev-parse", ":0:Pulumi.prod.yaml").strip()
    for rev, said in (
        (":0:Pulumi.prod.yaml", f"names a blob ({blob[:10]}, a file's content as the index holds it), not a commit"),
        (
            ":members",
            "is not a revision of this repository: the index holds no file members (a directory is not in it)",
        ),
        ("HEAD^{nope}", "is not a revision of this repository: ^{nope} is no type of object git knows (^{commit}"),
    ):
        proc = plan(two_hosts, rev=rev)
        assert proc.returncode == 1, proc.stderr
        assert f"--against: {rev!r} {said}" in proc.stderr, (rev, proc.stderr)
        assert (index in proc.stderr) is rev.startswith(":"), (rev, proc.stderr)
        assert "a commit holds" not in proc.stderr, (rev, proc.stderr)


def test_a_program_linked_outside_the_project_is_refused(two_hosts: Path, tmp_path: Path) -> None:
    """__main__.py a link to another checkout's: the plan ran that checkout's program for the working tree (its
    resources, not this project's); a program file leading outside the project is refused, said why."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "__main__.py").write_text('import pulumi\npulumi.export("other", "yes")\n', encoding="utf-8")
    (two_hosts / "__main__.py").unlink()
    (two_hosts / "__main__.py").symlink_to(other / "__main__.py")
    for args in (("--against", "HEAD"), ()):
        proc = subprocess.run(
            [sys.executable, "-m", "pic", "plan", *args],
            cwd=two_hosts,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
        said = f"__main__.py is a link to {other / '__main__.py'}, outside the project"
        assert said in proc.stderr, proc.stderr[-2000:]
        assert "remove" not in proc.stdout, proc.stdout[-2000:]


def test_against_a_revision_before_a_shallow_clone_says_to_fetch_it(two_hosts: Path, tmp_path: Path) -> None:
    (two_hosts / "NOTES").write_text("a second commit\n", encoding="utf-8")
    commit(two_hosts, "notes")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", two_hosts.as_uri(), str(clone))
    proc = plan(clone)
    assert proc.returncode == 1, proc.stderr
    assert "'HEAD~1' is not a revision of this clone, which is shallow" in proc.stderr, proc.stderr
    assert "(git fetch --unshallow)" in proc.stderr, proc.stderr


def test_against_a_revision_before_the_member_files_moved_names_it(two_hosts: Path) -> None:
    """members/ moved to data/members in the working tree: the revision has no data/members, said so in the
    repository's terms, not by a path of a temporary directory."""
    (two_hosts / "data").mkdir()
    git(two_hosts, "mv", "members", "data/members")
    proc = plan(two_hosts, "--members", "data/members", rev="HEAD")
    assert proc.returncode == 1, proc.stderr
    head = git(two_hosts, "rev-parse", "HEAD").strip()[:10]
    assert f"HEAD ({head}) has no directory data/members/ of member files (--members data/members in the " in (
        proc.stderr
    ), proc.stderr
    assert "pic-plan" not in proc.stderr and "/tmp" not in proc.stderr, proc.stderr


def test_against_a_revision_before_the_first_member_files_says_so_too(two_hosts: Path) -> None:
    """A revision before members/ was made (the first members come in this change): not said to have moved only."""
    git(two_hosts, "rm", "-rq", "members")
    commit(two_hosts, "before the first members")
    git(two_hosts, "checkout", "-q", "HEAD~1", "--", "members")
    proc = plan(two_hosts, rev="HEAD")
    assert proc.returncode == 1, proc.stderr
    assert "has no directory members/ of member files" in proc.stderr, proc.stderr
    assert "moved since, or were not there yet" in proc.stderr and "run pic plan without --against" in proc.stderr


def test_against_a_revision_whose_members_is_a_file_says_it_is_a_file(two_hosts: Path) -> None:
    """members (or data, above data/members) a regular file at the revision: named as the file it is, not as a
    directory the revision lacks or that moved."""
    (two_hosts / "data").mkdir()
    shutil.copytree(two_hosts / "members", two_hosts / "data" / "members")
    git(two_hosts, "rm", "-rq", "members")
    (two_hosts / "members").write_text("velo-cite\n", encoding="utf-8")
    commit(two_hosts, "members as a file")
    (two_hosts / "members").unlink()
    git(two_hosts, "checkout", "-q", "HEAD~1", "--", "members")
    proc = plan(two_hosts, rev="HEAD")
    assert proc.returncode == 1, proc.stderr
    head = git(two_hosts, "rev-parse", "HEAD").strip()[:10]
    assert proc.stderr.startswith(
        f"HEAD ({head}) has members as a regular file, not a directory of member files (--members members in the "
    ), proc.stderr
    assert "moved since" not in proc.stderr and "has no directory" not in proc.stderr, proc.stderr
    # a file above the directory of member files
    git(two_hosts, "rm", "-rq", "data")
    (two_hosts / "data").write_text("x\n", encoding="utf-8")
    commit(two_hosts, "data as a file")
    (two_hosts / "data").unlink()
    git(two_hosts, "checkout", "-q", "HEAD~1", "--", "data")
    proc = plan(two_hosts, "--members", "data/members", rev="HEAD")
    assert proc.returncode == 1, proc.stderr
    assert "has data as a regular file, so it has no directory data/members/ of member files (--members " in (
        proc.stderr
    ), proc.stderr
    assert "moved since" not in proc.stderr, proc.stderr


def test_against_a_revision_whose_members_is_a_link_reads_where_it_points(two_hosts: Path) -> None:
    """members -> data/members committed: every later plan against it was refused ("holds links or special
    files"); the link of the member files' directory, to a directory of the revision, is read, not extracted."""
    (two_hosts / "data").mkdir()
    git(two_hosts, "mv", "members", "data/members")
    (two_hosts / "members").symlink_to("data/members", target_is_directory=True)
    commit(two_hosts, "the member files in data/")
    edit(two_hosts / "data" / "members" / "velo-cite.yaml", "memory_mb: 512", "memory_mb: 768")
    data = plan_json(two_hosts, rev="HEAD")
    assert [(c["kind"], c["name"]) for c in data["changes"]] == [("update", "velo-cite-container")], data["changes"]
    # any other link is refused still, and so is a link of the member files' directory out of the revision
    for target in ("/etc", "../outside"):
        (two_hosts / "members").unlink()
        (two_hosts / "members").symlink_to(target)
        commit(two_hosts, f"members -> {target}")
        (two_hosts / "members").unlink()
        (two_hosts / "members").symlink_to("data/members", target_is_directory=True)
        proc = plan(two_hosts, rev="HEAD")
        assert (
            proc.returncode == 1
            and f"holds links or special files, which are not extracted: members -> {target}" in (proc.stderr)
        ), proc.stderr


def test_against_a_revision_before_members_became_a_link(two_hosts: Path) -> None:
    """members/ is now a link to data/members: the revision's members/ is the directory itself."""
    (two_hosts / "data").mkdir()
    git(two_hosts, "mv", "members", "data/members")
    (two_hosts / "members").symlink_to("data/members", target_is_directory=True)
    data = plan_json(two_hosts, rev="HEAD")
    assert data["changes"] == []


def _ancienne_arrives_and_leaves(project: Path) -> str:
    """A member, uid 10800, added and then removed in two commits: the commit that removed it."""
    write_members(project / "members", {"ancienne": member(uid=10800, name="Ancienne")})
    commit(project, "ancienne arrives")
    (project / "members" / "ancienne.yaml").unlink()
    commit(project, "ancienne leaves")
    return git(project, "rev-parse", "HEAD").strip()


def test_against_says_the_hosts_refuse_a_removed_members_slug_given_back(
    two_hosts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A member removed before REV keeps its account (slug and uid) on the host: a new member with its slug
    and another uid stops there, whatever git's configuration says (tests/test_git_history.py) and whatever
    GIT_DIR says (from the project's top, it made members/ the work tree's top: the slug went unseen, exit 0).
    The command given puts the file back from any directory."""
    members = two_hosts / "members"
    removed_by = _ancienne_arrives_and_leaves(two_hosts)
    write_members(members, {"ancienne": member(uid=10801, name="Nouvelle")})
    hostile_git_config(tmp_path / "home", monkeypatch)
    monkeypatch.setenv("GIT_DIR", str(two_hosts / ".git"))
    data = plan_json(two_hosts, status=3, rev="HEAD")
    given = data["slug_reused"]["ancienne"]
    assert (given["uid"], given["uid_before"], given["removed_by"]) == (10801, [10800], removed_by), given
    restore = f"restore --source='{removed_by}^' --worktree -- members/ancienne.yaml"
    command = f"git -C {two_hosts} --git-dir=.git --work-tree=. {restore}"
    assert given["command"] == command and given["advice"].endswith(f"keeps its uid: {command}"), given
    text = plan(two_hosts, rev="HEAD")
    assert text.returncode == 3 and f"      what to do: {given['advice']}\n" in text.stdout, text.stdout[-3000:]
    assert "nothing stateful" not in text.stdout, text.stdout[-3000:]
    markdown = plan(two_hosts, "--format", "markdown", rev="HEAD")
    assert markdown.returncode == 3 and f"keeps its uid: `{command}`\n" in markdown.stdout, markdown.stdout[:3000]
    assert "Nothing stateful" not in markdown.stdout, markdown.stdout[:3000]
    monkeypatch.delenv("GIT_DIR")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    subprocess.run(["sh", "-c", command], cwd=elsewhere, check=True)
    assert list(elsewhere.iterdir()) == []
    assert next(m for m in registry(two_hosts) if m.slug == "ancienne").uid == 10800


def test_against_says_the_hosts_refuse_a_removed_members_uid_given_to_another_slug(two_hosts: Path) -> None:
    """A member removed by an earlier pull request keeps its account, uid and files on the host: a new member
    given that uid under another slug stops there, or would own them (was: exit 0, "nothing stateful")."""
    members = two_hosts / "members"
    removed_by = _ancienne_arrives_and_leaves(two_hosts)
    write_members(members, {"jeunes-pousses": member(uid=10800, name="Jeunes pousses")})
    data = plan_json(two_hosts, status=3, rev="HEAD")
    given = data["uid_of_removed_member"]["jeunes-pousses"]
    assert (given["uid"], given["removed_slug"], given["removed_by"]) == (10800, "ancienne", removed_by), given
    assert given["note"].startswith(f"uid 10800, the uid of a member removed by commit {removed_by[:10]}"), given
    text = plan(two_hosts, rev="HEAD")
    assert text.returncode == 3 and "!!! refused: jeunes-pousses: uid 10800, the uid of a member removed" in text.stdout
    assert "nothing stateful" not in text.stdout, text.stdout[-3000:]  # exit 3: the plan never reads as harmless
    markdown = plan(two_hosts, "--format", "markdown", rev="HEAD")
    assert markdown.returncode == 3 and "#### :no_entry: The hosts will refuse 1 uid of removed members" in (
        markdown.stdout
    )
    assert "Nothing stateful" not in markdown.stdout, markdown.stdout[:3000]
    write_members(members, {"jeunes-pousses": member(uid=10801, name="Jeunes pousses")})
    assert "uid_of_removed_member" not in plan_json(two_hosts, rev="HEAD")
    markdown = plan(two_hosts, "--format", "markdown", rev="HEAD")
    assert markdown.returncode == 0 and ":no_entry:" not in markdown.stdout, markdown.stdout[:2000]


def test_against_a_removed_members_slug_and_uid_given_to_two_new_members_are_both_refused(two_hosts: Path) -> None:
    """ancienne (uid 10800) removed; now ancienne comes back with 10801 and jeunes-pousses takes 10800: the host's
    account ancienne keeps 10800, so both are refused (was: only the slug, jeunes-pousses' uid went unsaid)."""
    members = two_hosts / "members"
    removed_by = _ancienne_arrives_and_leaves(two_hosts)
    write_members(
        members,
        {
            "ancienne": member(uid=10801, name="Nouvelle"),
            "jeunes-pousses": member(uid=10800, name="Jeunes pousses"),
        },
    )
    data = plan_json(two_hosts, status=3, rev="HEAD")
    assert data["slug_reused"]["ancienne"]["uid_before"] == [10800]
    given = data["uid_of_removed_member"]["jeunes-pousses"]
    assert (given["uid"], given["removed_slug"], given["removed_by"]) == (10800, "ancienne", removed_by), given


def test_against_a_new_database_reaching_one_a_removed_member_left_on_the_db_server_is_stateful(
    two_hosts: Path,
) -> None:
    """anc-ienne (database anc_ienne_gestion) removed before REV: its database stays on the db server (retained on
    delete). A new member anc with the database ienne_gestion (the same name), or ienne (whose grant
    `anc\\_ienne%` covers it), would read its tables (was: exit 0, "nothing stateful")."""
    members = two_hosts / "members"
    write_members(members, {"anc-ienne": member(uid=10800, name="Ancienne", databases=["gestion"])})
    commit(two_hosts, "anc-ienne arrives")
    (members / "anc-ienne.yaml").unlink()
    commit(two_hosts, "ancienne leaves")
    removed_by = git(two_hosts, "rev-parse", "HEAD").strip()
    for short, same in (("ienne_gestion", True), ("ienne", False)):
        write_members(members, {"anc": member(uid=10801, name="Anc", databases=[short])})
        data = plan_json(two_hosts, status=3, rev="HEAD")
        (reached,) = data["databases_reached"]
        assert (reached["member"], reached["database"], reached["reaches"], reached["of"]) == (
            "anc",
            f"anc_{short}",
            "anc_ienne_gestion",
            "anc-ienne",
        ), reached
        assert reached["how"] == f"removed by commit {removed_by[:10]}"
        assert ("is the name of" if same else "has a grant that covers") in reached["note"]
        text = plan(two_hosts, rev="HEAD")
        assert text.returncode == 3 and "!!! STATEFUL: 1 database new in this plan reaches one left" in text.stdout
        assert "nothing stateful" not in text.stdout and "DROP DATABASE anc_ienne_gestion" in text.stdout
        markdown = plan(two_hosts, "--format", "markdown", rev="HEAD")
        assert markdown.returncode == 3 and "#### :warning: Stateful: 1 database new in this plan" in markdown.stdout
    # a name that neither is nor starts the removed member's database: nothing reached
    write_members(members, {"anc": member(uid=10801, name="Anc", databases=["compta"])})
    assert plan_json(two_hosts, rev="HEAD")["databases_reached"] == []
    # removed in this change: the same
    write_members(members, {"anc-ienne": member(uid=10800, name="Ancienne", databases=["gestion"])})
    (members / "anc.yaml").unlink()
    commit(two_hosts, "ancienne is back")
    (members / "anc-ienne.yaml").unlink()
    write_members(members, {"anc": member(uid=10801, name="Anc", databases=["ienne"])})
    (reached,) = plan_json(two_hosts, status=3, rev="HEAD")["databases_reached"]
    assert (reached["reaches"], reached["how"]) == ("anc_ienne_gestion", "removed in this change")


def test_against_a_file_renamed_twice_is_no_uid_of_a_removed_member(two_hosts: Path) -> None:
    """amis -> amis-rhone in REV's history, then amis-rhone -> amis-rhone-lyon: the uid went along with each rename;
    the rename is refused as such, not as a removed member's uid (whose advice would make two members of it)."""
    members = two_hosts / "members"
    write_members(members, {"amis": member(uid=10800, name="Amis")})
    commit(two_hosts, "amis arrives")
    git(two_hosts, "mv", "members/amis.yaml", "members/amis-rhone.yaml")
    commit(two_hosts, "amis is amis-rhone")
    git(two_hosts, "mv", "members/amis-rhone.yaml", "members/amis-rhone-lyon.yaml")
    data = plan_json(two_hosts, status=3, rev="HEAD")
    assert "uid_of_removed_member" not in data, data.get("uid_of_removed_member")


def test_against_names_a_slug_whose_file_was_renamed(two_hosts: Path) -> None:
    """amis renamed to amis-rhone (git mv), then a new amis: the slug is the old name of a member that holds
    its uid still, and no command puts its old file back (a second member, same uid and domains)."""
    members = two_hosts / "members"
    write_members(members, {"amis": member(uid=10800, name="Amis")})
    commit(two_hosts, "amis arrives")
    git(two_hosts, "mv", "members/amis.yaml", "members/amis-rhone.yaml")
    commit(two_hosts, "amis is amis-rhone")
    renamed_by = git(two_hosts, "rev-parse", "HEAD").strip()
    write_members(members, {"amis": member(uid=10801, name="Nouvelle")})
    data = plan_json(two_hosts, status=3, rev="HEAD")
    given = data["slug_reused"]["amis"]
    assert (given["renamed_to"], given["command"], given["removed_by"]) == ("amis-rhone", None, renamed_by), given
    assert given["note"].startswith(
        f"uid 10801, the slug of a member file renamed to amis-rhone by commit {renamed_by[:10]} ("
    ), given
    assert given["note"].endswith('"amis is amis-rhone"); that member holds uid 10800'), given
    assert "git " not in given["advice"], given


def test_against_a_members_directory_that_does_not_exist_says_so(two_hosts: Path) -> None:
    """data/ is nowhere: the message of pic plan without --against, not a revision without data/members."""
    proc = plan(two_hosts, "--members", "data/members", rev="HEAD")
    without = subprocess.run(
        [sys.executable, "-m", "pic", "plan", "--members", "data/members"],
        cwd=two_hosts,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == without.returncode == 1, proc.stderr
    assert without.stderr.startswith("data/members no such directory of member files\n"), without.stderr
    assert proc.stderr == without.stderr, proc.stderr


def test_a_suspended_or_removed_members_site_is_told_down(two_hosts: Path) -> None:
    """A member suspended: its container goes, and the plan says its site answers 503 from this `pulumi up`; a
    member file removed: its site is no longer served, once the change goes through (`pulumi up` refuses its
    protected databases' deletion first) (was: a container removed, without a word of the site)."""
    member = _lists_member(two_hosts)
    path = two_hosts / "members" / f"{member.slug}.yaml"
    edit(path, "status: active", "status: suspended")
    commit(two_hosts, f"{member.slug} suspended")
    suspended = plan_json(two_hosts)
    assert _site_downtime(suspended, member.slug) == [
        f"the site of {member.slug} answers 503 from this `pulumi up`: {member.slug} is suspended"
    ]
    text = plan(two_hosts)
    assert f"answers 503 from this `pulumi up`: {member.slug} is suspended" in text.stdout, text.stdout[-3000:]
    markdown = plan(two_hosts, "--format", "markdown")
    assert "#### Moves and downtime" in markdown.stdout and "answers 503" in markdown.stdout, markdown.stdout[:3000]
    path.unlink()
    commit(two_hosts, f"{member.slug} removed")
    removed = plan_json(two_hosts, status=3)
    assert _site_downtime(removed, member.slug) == []  # a suspended member runs no container: none goes
    removed_active = plan_json(two_hosts, status=3, rev="HEAD~2")  # its databases' deletion refused: not yet
    assert _site_downtime(removed_active, member.slug) == [
        f"the site of {member.slug} is no longer served once this change goes through: its member file is removed"
    ]


def _lists_told(plan: dict[str, Any], domain: str) -> dict[str, str | None]:
    """What a plan says of the changes of the Sympa robot of ``domain`` (json): kind -> downtime."""
    return {c["kind"]: c["downtime"] for c in plan["changes"] if c["name"].endswith(f"-robot-{domain}")}


def _set_status(path: Path, status: str) -> None:
    text = path.read_text(encoding="utf-8")
    if re.search(r"(?m)^status:", text):
        text = re.sub(r"(?m)^status:.*$", f"status: {status}", text)
    else:
        text += f"status: {status}\n"
    path.write_text(text, encoding="utf-8")


def test_an_archived_members_lists_are_told_to_receive_no_mail(two_hosts: Path) -> None:
    """Archiving a member with lists takes its robot out of the program and its domain out of Postfix's maps: its
    lists' mail is refused from this `pulumi up` (README "Mailing lists"). The plan said only that the robot "has
    no delete command: nothing is removed from the host"; a suspended member's lists stay up, and say nothing."""
    members = [m for m in registry(two_hosts) if m.lists is not None and m.status == "active"]
    assert {m.site is None for m in members} == {True, False}, "a member with lists only, and one with a site too"
    for m in members:
        _set_status(two_hosts / "members" / f"{m.slug}.yaml", "suspended")
    commit(two_hosts, "members with lists suspended")
    suspended = plan_json(two_hosts)
    assert all(_lists_told(suspended, m.lists.domain) == {} for m in members if m.lists), suspended["changes"]
    for m in members:
        _set_status(two_hosts / "members" / f"{m.slug}.yaml", "archived")
    commit(two_hosts, "members with lists archived")
    archived = plan_json(two_hosts, rev="HEAD~2")  # from active, and from suspended: the same
    for data in (archived, plan_json(two_hosts)):
        for m in members:
            assert m.lists is not None
            domain = m.lists.domain
            assert _lists_told(data, domain) == {
                "remove": f"the lists of {domain} receive no mail from this `pulumi up`: {domain} leaves Postfix's "
                f"maps, so mail to them is refused ({m.slug} is archived); Sympa keeps the lists, their subscribers "
                f"and archives, and its web interface still answers their owners; setting {m.slug} active again "
                "serves them again, with the same DKIM key"
            }
    domain = members[0].lists.domain if members[0].lists else ""
    text = plan(two_hosts).stdout
    assert f">>> downtime: sympa-robot-{domain}: the lists of {domain} receive no mail" in text, text[-3000:]
    markdown = plan(two_hosts, "--format", "markdown").stdout
    assert f"- `sympa-robot-{domain}`: the lists of {domain} receive no mail" in markdown, markdown[:3000]


def _sessions_told(plan: dict[str, Any], slug: str) -> list[str | None]:
    """The downtime told of ``slug``'s space command (json)."""
    return [c["downtime"] for c in plan["changes"] if c["name"] == f"{slug}-space"]


def test_a_key_or_the_shell_taken_away_tells_the_members_sessions_end(two_hosts: Path) -> None:
    """A member's key removed, or ``ssh: true``: its space command ends its open ssh and sftp sessions on its host
    (components.member_space), and the plan says so; a key's comment changed, a key added, or the member suspended
    (every process of it ends) are told apart."""
    member = next(m for m in registry(two_hosts) if m.status == "active" and m.access.ssh and m.access.sftp_keys)
    slug, key = member.slug, member.access.sftp_keys[0]
    path = two_hosts / "members" / f"{slug}.yaml"
    kind, data, *_ = key.split(" ")
    edit(path, key, f"{kind} {data} someone@new-laptop")
    commit(two_hosts, f"{slug}: a key's comment changed")
    assert _sessions_told(plan_json(two_hosts), slug) == [None]
    edit(path, f"    - {kind} {data} someone@new-laptop\n", "")
    commit(two_hosts, f"{slug}: a key removed")
    told = _sessions_told(plan_json(two_hosts), slug)
    assert told == [
        f"the open ssh and sftp sessions of {slug} on {member.host} end from this `pulumi up`, all of them whichever "
        f"key opened them (1 key removed from access.sftp_keys); its site runs on"
    ], told
    edit(path, "ssh: true", "ssh: false")
    commit(two_hosts, f"{slug}: no shell")
    told = _sessions_told(plan_json(two_hosts), slug)
    assert told and told[0] is not None and "(its shell removed (ssh: true no longer set))" in told[0], told
    text = plan(two_hosts)
    assert f">>> downtime: {slug}-space: the open ssh and sftp sessions of {slug}" in text.stdout, text.stdout[-3000:]
    edit(path, "ssh: false", "ssh: true")
    commit(two_hosts, f"{slug}: its shell back")
    assert _sessions_told(plan_json(two_hosts), slug) == [None]
    path.write_text(path.read_text(encoding="utf-8") + "status: suspended\n", encoding="utf-8")
    commit(two_hosts, f"{slug} suspended")
    assert _sessions_told(plan_json(two_hosts), slug) == [
        f"every process of {slug} on {member.host} ends from this `pulumi up` (its open ssh and sftp sessions, "
        f"what it left running): {slug} is suspended"
    ]


def test_a_host_renamed_at_the_same_addresses_tells_no_move_of_its_sites(two_hosts: Path) -> None:
    """web1 renamed web9, its address and private address kept: the same machine, so no member moves (exit 3 for
    the rename, not 4) and no container's downtime speaks of a move or of DNS (was: "moves from web1 to web9 ...
    unreachable until DNS points to web9")."""
    for path in [two_hosts / "Pulumi.prod.yaml", *(two_hosts / "members").glob("*.yaml")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\bweb1\b(?!\.)", "web9", text), encoding="utf-8")
    commit(two_hosts, "web1 is called web9")
    data = plan_json(two_hosts, status=3)
    assert data["moves"] == {}, data["moves"]
    assert [(h["from"], h["to"], h["renamed"]) for h in data["hosts_moved"]] == [("web1", "web9", True)]
    downtimes = [c["downtime"] for c in data["changes"] if c["downtime"]]
    assert downtimes, "its containers are replaced (their provider is another resource)"
    assert not [d for d in downtimes if "moves from" in d or "DNS" in d], downtimes


def test_a_stack_file_is_named_in_the_project_directory_from_elsewhere(two_hosts: Path) -> None:
    """Run from another directory, pic plan --against names the stack file with --project's directory, as the
    other commands do (was: ``Pulumi.staging.yaml`` alone, a file of the working directory)."""
    shown = two_hosts.name
    env = {**os.environ, "PYTHONPATH": str(two_hosts)}

    def plan_from_above(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pic", "plan", "--project", shown, "--members", f"{shown}/members", *args],
            cwd=two_hosts.parent,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )

    shutil.copy(two_hosts / "Pulumi.prod.yaml", two_hosts / "Pulumi.staging.yaml")  # not committed
    new = plan_from_above("--stack", "staging", "--against", "HEAD")
    assert new.returncode == 0, new.stderr[-3000:]
    assert f"which has no {shown}/Pulumi.staging.yaml: stack staging is new" in new.stdout, new.stdout[-3000:]
    # a revision whose stack file is a directory
    (two_hosts / "Pulumi.staging.yaml").unlink()
    (two_hosts / "Pulumi.staging.yaml").mkdir()
    (two_hosts / "Pulumi.staging.yaml" / "x").write_text("x\n", encoding="utf-8")
    commit(two_hosts, "a directory")
    shutil.rmtree(two_hosts / "Pulumi.staging.yaml")
    shutil.copy(two_hosts / "Pulumi.prod.yaml", two_hosts / "Pulumi.staging.yaml")
    folder = plan_from_above("--stack", "staging", "--against", "HEAD")
    assert folder.returncode == 1, folder.stderr[-3000:]
    assert f"{shown}/Pulumi.staging.yaml is a directory, not the stack file" in folder.stderr, folder.stderr[-3000:]
    # a revision whose stack file the engine cannot read
    prod = two_hosts / "Pulumi.prod.yaml"
    text = prod.read_text(encoding="utf-8")
    prod.write_text(text + "  x:y: &a [1]\n  x:z: *a\n", encoding="utf-8")
    commit(two_hosts, "an alias")
    prod.write_text(text, encoding="utf-8")
    alias = plan_from_above("--against", "HEAD")
    assert alias.returncode == 1, alias.stderr[-3000:]
    line = len(text.splitlines()) + 2
    assert f"{shown}/Pulumi.prod.yaml:{line}: an alias (*name)" in alias.stderr, alias.stderr[-3000:]


def test_against_a_revision_without_the_stacks_file_plans_a_new_stack(two_hosts: Path) -> None:
    """A stack added in the change (its Pulumi.<stack>.yaml not at REV): planned as new, every resource created,
    said so in every format, exit 0 (was: exit 1, "the program stopped: no such stack file")."""
    shutil.copy(two_hosts / "Pulumi.prod.yaml", two_hosts / "Pulumi.staging.yaml")  # not committed: the working tree
    data = plan_json(two_hosts, "--stack", "staging", rev="HEAD")
    assert data["against"]["new_stack"] is True
    assert {c["kind"] for c in data["changes"]} == {"add"}
    assert len(data["changes"]) == data["counts"]["custom"] == data["summary"]["add"], data["summary"]
    assert data["moves"] == {} and data["stateful_changes"] == [] and data["hosts_moved"] == []
    text = plan(two_hosts, "--stack", "staging", rev="HEAD")
    assert text.returncode == 0, text.stderr[-3000:]
    assert "which has no Pulumi.staging.yaml: stack staging is new in this change" in text.stdout, text.stdout
    markdown = plan(two_hosts, "--stack", "staging", "--format", "markdown", rev="HEAD")
    assert markdown.returncode == 0, markdown.stderr[-3000:]
    title, note = markdown.stdout.split("\n\n")[:2]
    assert title.endswith(", a new stack"), title
    assert note.startswith("`HEAD` has no Pulumi.staging.yaml"), note
    # a stack that exists at REV is planned against it as before
    prod = plan_json(two_hosts, rev="HEAD")
    assert prod["against"]["new_stack"] is False and prod["changes"] == []


def test_a_new_stack_has_no_removed_members_accounts_to_refuse(two_hosts: Path) -> None:
    """A stack new in the change: its hosts hold no removed member's account or database, so a removed member's
    slug or uid given to a new member is no refusal there, and its plan exits 0 (was: "the hosts will refuse",
    exit 3); the stack that exists at REV still says so."""
    members = two_hosts / "members"
    _ancienne_arrives_and_leaves(two_hosts)
    write_members(members, {"ancienne": member(uid=10801, name="Nouvelle")})
    shutil.copy(two_hosts / "Pulumi.prod.yaml", two_hosts / "Pulumi.staging.yaml")
    data = plan_json(two_hosts, "--stack", "staging", rev="HEAD")
    assert data["against"]["new_stack"] is True and "slug_reused" not in data, data.get("slug_reused")
    text = plan(two_hosts, "--stack", "staging", rev="HEAD")
    assert text.returncode == 0 and "will refuse" not in text.stdout, text.stdout[-3000:]
    assert "slug_reused" in plan_json(two_hosts, status=3, rev="HEAD")  # prod: the account is on its hosts


def _pic(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pic", *args], cwd=repo, capture_output=True, text=True, check=False, timeout=300
    )


def _set_host(repo: Path, slug: str, host: str) -> None:
    path = repo / "members" / f"{slug}.yaml"
    text = path.read_text(encoding="utf-8")
    text = (
        re.sub(r"(?m)^host: .*$", f"host: {host}", text) if re.search(r"(?m)^host:", text) else f"{text}host: {host}\n"
    )
    path.write_text(text, encoding="utf-8")


def test_a_move_off_a_host_removed_in_the_same_change_says_to_keep_it_until_retired(two_hosts: Path) -> None:
    """A member moved off web2 in the change that removes web2: `pic move-script --retire-from web2` refuses a
    host the stack no longer has, so the plan says to keep web2 until the member is retired from it (was: the
    retire command alone, which fails once the change is merged)."""
    member = next(m for m in registry(two_hosts) if m.host == "web1" and m.status == "active" and m.runtime)
    _set_host(two_hosts, member.slug, "web2")
    commit(two_hosts, f"{member.slug} on web2")
    _set_host(two_hosts, member.slug, "web1")
    edit(two_hosts / "Pulumi.prod.yaml", WEB2, "")
    data = plan_json(two_hosts, status=4, rev="HEAD")
    advice = data["moves"][member.slug]["advice"]
    assert "web2 leaves pic:hosts in this change" in advice, advice
    assert "keep web2 in pic:hosts in this change, retire" in advice and "remove web2 in a later change" in advice
    text = plan(two_hosts, rev="HEAD")
    assert text.returncode == 4 and "keep web2 in pic:hosts in this change" in text.stdout, text.stdout[-3000:]
    markdown = plan(two_hosts, "--format", "markdown", rev="HEAD")
    assert "keep web2 in pic:hosts in this change" in markdown.stdout, markdown.stdout[-3000:]
    # why: once merged, the retire script refuses web2; with web2 kept, as advised, it is written
    retire = _pic(two_hosts, "move-script", member.slug, "--retire-from", "web2")
    assert retire.returncode == 1 and "'web2' is not a web host of stack prod" in retire.stderr, retire.stderr
    git(two_hosts, "checkout", "-q", "--", "Pulumi.prod.yaml")  # web2 kept, the member on web1
    retire = _pic(two_hosts, "move-script", member.slug, "--retire-from", "web2")
    assert retire.returncode == 0 and "web2" in retire.stdout, retire.stderr
    advice = plan_json(two_hosts, status=4, rev="HEAD")["moves"][member.slug]["advice"]
    assert "leaves pic:hosts" not in advice and f"pic move-script {member.slug} --retire-from web2" in advice


def test_a_move_with_an_end_readdressed_in_the_same_change_says_to_change_the_address_apart(
    two_hosts: Path,
) -> None:
    """A member moved off web2, or onto it, in the change that gives web2 another address: the retire script,
    written after `pulumi up`, reaches the new address, and the copy, run before the change, the old one; if
    the address names another machine, the member's keys stay live on the machine left, or its space is copied
    there. The plan says so, with the address changed in a change of its own (was: the move's commands alone,
    and nothing of web2's address when web2 held nothing else)."""
    member = next(m for m in registry(two_hosts) if m.host == "web1" and m.status == "active" and m.runtime)
    stack = two_hosts / "Pulumi.prod.yaml"
    _set_host(two_hosts, member.slug, "web2")
    commit(two_hosts, f"{member.slug} on web2")
    _set_host(two_hosts, member.slug, "web1")
    edit(stack, "address: web2.example.org", "address: web2b.example.org")
    advice = plan_json(two_hosts, status=4, rev="HEAD")["moves"][member.slug]["advice"]
    assert "web2's address changes in this change too (web2.example.org -> web2b.example.org)" in advice, advice
    assert f"{member.slug}'s keys and jobs stay live on web2.example.org" in advice, advice
    # why: once merged, the retire script reaches the new address
    retire = _pic(two_hosts, "move-script", member.slug, "--retire-from", "web2")
    assert retire.returncode == 0 and "web2b.example.org" in retire.stdout, retire.stderr
    assert "web2.example.org" not in retire.stdout
    # onto web2: the copy, run at the target branch, reaches the old address
    git(two_hosts, "checkout", "-q", "--", ".")
    git(two_hosts, "reset", "-q", "--hard", "HEAD~1")
    _set_host(two_hosts, member.slug, "web2")
    edit(stack, "address: web2.example.org", "address: web2b.example.org")
    advice = plan_json(two_hosts, status=4, rev="HEAD")["moves"][member.slug]["advice"]
    assert f"`pic move-script {member.slug} --to web2`, run before it, reaches web2.example.org" in advice, advice
    assert f"before moving {member.slug}" in advice and "keys and jobs stay live on" not in advice, advice
    # an address kept: neither
    edit(stack, "address: web2b.example.org", "address: web2.example.org")
    advice = plan_json(two_hosts, status=4, rev="HEAD")["moves"][member.slug]["advice"]
    assert "address changes" not in advice, advice


def test_a_move_to_a_host_added_in_the_same_change_says_to_add_it_first(two_hosts: Path) -> None:
    """A member moved to web3 in the change that adds web3: its copy (`pic move-script --to web3`) runs where the
    member's file still names its host, the target branch, which has no web3: the plan says to add web3 first
    (was: the copy command alone, refused there)."""
    member = next(m for m in registry(two_hosts) if m.host == "web1" and m.status == "active" and m.runtime)
    web3 = WEB2.replace("web2", "web3").replace("10.0.0.12", "10.0.0.13")
    edit(two_hosts / "Pulumi.prod.yaml", WEB2, WEB2 + web3)
    _set_host(two_hosts, member.slug, "web3")
    data = plan_json(two_hosts, status=4, rev="HEAD")
    advice = data["moves"][member.slug]["advice"]
    assert "web3 is new in pic:hosts in this change" in advice, advice
    assert "add web3 in a change of its own first" in advice, advice
    assert "pic:default_web_host" not in advice, advice  # its file names its host: the default moves no one
    # why: at the target branch (HEAD here), the copy is refused
    git(two_hosts, "stash", "-q")
    copy = _pic(two_hosts, "move-script", member.slug, "--to", "web3")
    assert copy.returncode == 1 and "'web3' is not a web host of stack prod" in copy.stderr, copy.stderr
    git(two_hosts, "stash", "pop", "-q")
    # a host known on both sides: the copy as before
    _set_host(two_hosts, member.slug, "web2")
    advice = plan_json(two_hosts, status=4, rev="HEAD")["moves"][member.slug]["advice"]
    assert "new in pic:hosts" not in advice and f"pic move-script {member.slug} --to web2" in advice, advice


def test_members_moved_by_the_default_web_host_are_told_why_and_how_to_stay(two_hosts: Path) -> None:
    """pic:default_web_host changed: the members whose file names no host move with it, said so with how to keep
    them where they are (was: "where its file still names web1", of files that name no host)."""
    named = {m.slug for m in registry(two_hosts) if re.search(r"(?m)^host:", Path(m.file).read_text("utf-8"))}
    edit(two_hosts / "Pulumi.prod.yaml", "pic:default_web_host: web1", "pic:default_web_host: web2")
    data = plan_json(two_hosts, status=4, rev="HEAD")
    unnamed = {m.slug for m in registry(two_hosts) if m.slug not in named}
    assert set(data["moves"]) == unnamed and unnamed, data["moves"]
    for move in data["moves"].values():
        assert (move["from"], move["to"]) == ("web1", "web2")
        assert "its file names no host: it lives on the stack's default web host" in move["advice"], move
        assert "to keep it on web1, write `host: web1` in its file" in move["advice"], move
        assert "where its file still names" not in move["advice"], move
    # a member whose file names its host, moved: no word of the default
    slug = sorted(unnamed)[0]
    git(two_hosts, "checkout", "-q", "--", "Pulumi.prod.yaml")
    _set_host(two_hosts, slug, "web2")
    advice = plan_json(two_hosts, status=4, rev="HEAD")["moves"][slug]["advice"]
    assert "default web host" not in advice and "where it is still on web1" in advice, advice


def test_members_moved_by_the_default_off_a_host_removed_are_told_to_keep_the_host_to_stay(two_hosts: Path) -> None:
    """pic:default_web_host changes web2 -> web1 in the change that removes web2: the members whose file names no
    host are told to keep web2 in pic:hosts to stay there (was: "write `host: web2` in its file" alone, which
    pic check refuses once web2 has left pic:hosts)."""
    edit(two_hosts / "Pulumi.prod.yaml", "pic:default_web_host: web1", "pic:default_web_host: web2")
    commit(two_hosts, "members without host: on web2")
    edit(two_hosts / "Pulumi.prod.yaml", "pic:default_web_host: web2", "pic:default_web_host: web1")
    edit(two_hosts / "Pulumi.prod.yaml", WEB2, "")
    moves = plan_json(two_hosts, status=4, rev="HEAD")["moves"]
    assert moves, "the members on the default web host move"
    for move in moves.values():
        assert (move["from"], move["to"]) == ("web2", "web1")
        assert "to keep it on web2, keep web2 in pic:hosts and write `host: web2` in its file" in move["advice"], move
    # why: written alone, host: web2 is refused; with web2 kept too, the stack is valid
    slug = sorted(moves)[0]
    _set_host(two_hosts, slug, "web2")
    check = _pic(two_hosts, "check")
    assert check.returncode == 1 and 'host: "web2" is not a web host of stack prod' in check.stderr, check.stderr
    edit(two_hosts / "Pulumi.prod.yaml", "\n    db: {", "\n" + WEB2 + "    db: {")
    check = _pic(two_hosts, "check")
    assert check.returncode == 0, check.stderr


def test_a_new_host_that_becomes_the_default_says_to_add_it_keeping_the_default(two_hosts: Path) -> None:
    """No pic:default_web_host: the members whose file names no host live on the web host whose name sorts first,
    and a host added that sorts before it takes them all. The change of its own that adds the host, as advised,
    must keep the default where it was, or it moves them just the same (was: "add aaa in a change of its own
    first", which moved them again, with the same advice)."""
    edit(two_hosts / "Pulumi.prod.yaml", "  pic:default_web_host: web1\n", "")
    commit(two_hosts, "the default web host is the first by name")
    aaa = WEB2.replace("web2", "aaa").replace("10.0.0.12", "10.0.0.13")
    edit(two_hosts / "Pulumi.prod.yaml", WEB2, WEB2 + aaa)
    moves = plan_json(two_hosts, status=4, rev="HEAD")["moves"]
    assert moves and {(m["from"], m["to"]) for m in moves.values()} == {("web1", "aaa")}, moves
    for move in moves.values():
        assert "add aaa in a change of its own first with `pic:default_web_host: web1` there" in move["advice"], move
    # followed: the host added with the default kept moves no one; the default changed next is the move alone
    path = two_hosts / "Pulumi.prod.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  pic:default_web_host: web1\n", encoding="utf-8")
    assert plan_json(two_hosts, rev="HEAD")["moves"] == {}
    commit(two_hosts, "aaa added")
    edit(path, "pic:default_web_host: web1", "pic:default_web_host: aaa")
    advice = plan_json(two_hosts, status=4, rev="HEAD")["moves"][sorted(moves)[0]]["advice"]
    assert "new in pic:hosts" not in advice and "which changes web1 -> aaa" in advice, advice


def test_against_any_revision_git_names_a_commit_by(two_hosts: Path) -> None:
    """A tag, an annotated tag, a short hash, a search of the messages (":/text"): each the commit git resolves it
    to (was: ":/text" refused as no revision, the text searched with "^{commit}" appended); a tree, or an option
    given as REV, is refused as no revision (a tree is said to be one, below)."""
    git(two_hosts, "tag", "light")
    git(two_hosts, "tag", "-a", "annotated", "-m", "a tag")
    edit(two_hosts / "Pulumi.prod.yaml", "keep_days: 7", "keep_days: 9")
    commit(two_hosts, "dumps kept nine days")
    first = git(two_hosts, "rev-parse", "HEAD~1").strip()
    for rev in ("light", "annotated", first[:7], ":/two web hosts"):
        data = plan_json(two_hosts, rev=rev)
        assert data["against"]["commit"] == first, (rev, data["against"])
        assert [c["name"] for c in data["changes"]] == ["web1-dumps-config", "web2-dumps-config"], rev
    for rev, said, status in (
        ("--all", "starts with '-', as no git revision does", 2),  # a usage error, as --against --all is
        ("HEAD:no-such-path", "is not a revision", 1),
    ):
        proc = plan(two_hosts, f"--against={rev}", rev="HEAD")
        assert proc.returncode == status and f"--against: {rev!r} {said}" in proc.stderr, (rev, proc.stderr[-2000:])


def test_against_a_full_object_id_the_repository_lacks_is_no_revision_of_it(two_hosts: Path) -> None:
    """A full commit id the clone has not fetched (a pull request's): git rev-parse --verify gives any full hex id
    back unchecked, and the plan said git's own error ("<git> git cat-file -t ...^{}: fatal: Not a valid object
    name"); it is no revision of this repository, which may need to fetch it."""
    for rev in ("4b825dc642cb6eb9a060e54bf8d69288fbc4904e", "0123456789" * 4):
        proc = plan(two_hosts, f"--against={rev}", rev="HEAD")
        said = f"<command line> --against: {rev!r} is not a revision of this repository: no object of that id is in it"
        assert proc.returncode == 1 and said in proc.stderr, (rev, proc.stderr[-2000:])
        assert "git fetch" in proc.stderr and "<git>" not in proc.stderr, proc.stderr[-2000:]


def test_against_a_tree_a_blob_or_a_tag_of_either_says_what_it_names_and_that_a_commit_is_expected(
    two_hosts: Path,
) -> None:
    """REV:PATH, REV^{tree}, a tag of a tree: what git names is no commit, and the plan says what it is and what
    --against takes (was: "is not a revision of this repository", as for a name git does not know)."""
    tree = git(two_hosts, "rev-parse", "HEAD^{tree}").strip()
    members = git(two_hosts, "rev-parse", "HEAD:members").strip()
    blob = git(two_hosts, "rev-parse", "HEAD:Pulumi.prod.yaml").strip()
    git(two_hosts, "tag", "-a", "tree-tag", "-m", "a tag of a tree", tree)
    expected = "not a commit: --against takes a commit to compare the working tree with (a branch, a tag of a commit"
    path = "; REV:PATH names what a commit holds at PATH: give the commit alone (--against REV)"
    for rev, what, told in (
        ("HEAD:members", f"a tree ({members[:10]}, a directory as a commit holds it)", True),
        ("HEAD^{tree}", f"a tree ({tree[:10]}, a directory as a commit holds it)", False),
        ("HEAD:Pulumi.prod.yaml", f"a blob ({blob[:10]}, a file's content as a commit holds it)", True),
        ("tree-tag", "a tag (", False),
    ):
        proc = plan(two_hosts, rev=rev)
        assert proc.returncode == 1, (rev, proc.stdout[-2000:], proc.stderr[-2000:])
        assert f"--against: {rev!r} names {what}" in proc.stderr and expected in proc.stderr, (rev, proc.stderr)
        assert (path in proc.stderr) is told, (rev, proc.stderr)
        assert "is not a revision" not in proc.stderr and "Traceback" not in proc.stderr
    assert "of a tree (a directory as a commit holds it), not a commit" in plan(two_hosts, rev="tree-tag").stderr


SELECTOR = ("dkim_selector: pic,", "dkim_selector: pic2026,")


def test_a_changed_dkim_selector_names_the_records_to_publish_first_and_stays_a_warning(tmp_path: Path) -> None:
    """pic:mail.dkim_selector changed: the same keys, under another name receivers look up; each list domain's
    record to publish before pulumi up (by the admins, by its member, or by pulumi up in the platform's zone), the
    old one kept while mail signed with it waits in Postfix's queue. Nothing held is lost: the exit status stays
    (was: only the Sympa configuration's updates, "nothing stateful", not a word of DNS)."""
    dns = "pic:dns: {backend: zonefile, zones: [example.org], listen: [192.0.2.53]}"
    zone = ("pic:members_root:", f"{dns}\n  pic:members_root:")
    before = _stack(tmp_path, "before", zone)
    after = _stack(tmp_path, "after", zone, SELECTOR)
    members = tmp_path / "members"
    shutil.copytree(ROOT / "members", members)
    with (members / "chorale-saint-jean.yaml").open("a", encoding="utf-8") as out:
        out.write("status: archived\n")
    empty = rendering()
    attr_old = Attribution(empty, load_registry(members, before), before)
    attr_new = Attribution(empty, load_registry(members, after), after)
    r = review([], attr_new, attr_old)
    dk = r.dkim_selector
    assert dk is not None and (dk.old, dk.new) == ("pic", "pic2026")
    assert [(d.domain, d.member, d.dmarc, d.zone) for d in dk.domains] == [
        ("listes.example.org", "", "none", "example.org"),
        ("listes.amis-du-rhone.org", "amis-du-rhone", "quarantine", ""),
    ]
    assert dk.archived == ("listes.chorale-saint-jean.fr",)
    assert not r.data_left_behind and exit_status([], attr_new, attr_old) == 0
    note = dk.note()
    for words in (
        "pic:mail.dkim_selector pic -> pic2026: from `pulumi up`, Sympa signs the mail of every list domain with the "
        "same key under the new selector, and receivers look it up at `pic2026._domainkey.<domain>` instead of "
        "`pic._domainkey.<domain>`: a record to publish, with the value of today's (the key does not change)",
        "by each member in its own zone for listes.amis-du-rhone.org (amis-du-rhone)",
        "by `pulumi up` itself for listes.example.org (the platform's zone example.org, which drops the "
        "`pic._domainkey.` record in the same step)",
        "is junked for listes.amis-du-rhone.org (`dmarc: quarantine`)",
        "needs the `pic._domainkey.` record until it is delivered (Postfix tries for up to 5 days)",
        "the archived members' list domains (listes.chorale-saint-jean.fr) need theirs before they are made active",
    ):
        assert words in note, (words, note)
    assert "by the admins" not in note and "refused for" not in note, note
    assert "the admins publish" not in dk.advice, "the main domain's record is the platform zone's"
    for words in (
        "before `pulumi up`, have each record published at its new name: `pulumi stack output mail_dns_records "
        "--json | sed 's/\"pic\\._domainkey\\./\"pic2026._domainkey./' > records-pic2026.json`",
        "`pic dns check --expected records-pic2026.json` says which are still missing",
        "keep the `pic._domainkey.` records 5 days more",
        "run `pulumi up` when Postfix's queue on the mail host is empty (`postqueue -p`)",
        "or keep `pic:mail.dkim_selector: pic`",
    ):
        assert words in dk.advice, (words, dk.advice)
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert f"\n>>> dkim_selector: {note}\n      what to do: {dk.advice}\n" in text, text
    assert "nothing stateful is deleted or replaced" in text and "!!! STATEFUL" not in text
    md = as_markdown(empty, attr_new, title="t", changes=[], attr_old=attr_old)
    assert (
        "#### :warning: `pic:mail.dkim_selector` changes (pic → pic2026): DKIM records to publish\n\n"
        f"{note}.\n\nWhat to do: {dk.advice}.\n"
    ) in md, md
    # a forge drops what looks like an HTML tag outside code spans: every <domain> is in one
    assert "<domain>" not in re.sub(r"`[^`]*`", "", f"{note} {dk.advice}")
    data = as_json(empty, attr_new, meta={}, changes=[], attr_old=attr_old)["dkim_selector_changed"]
    assert data == {
        "from": "pic",
        "to": "pic2026",
        "list_domains": [
            {
                "domain": "listes.example.org",
                "member": None,
                "dmarc": "none",
                "record": "pic2026._domainkey.listes.example.org",
                "record_before": "pic._domainkey.listes.example.org",
                "zone": "example.org",
                "zone_before": "example.org",
            },
            {
                "domain": "listes.amis-du-rhone.org",
                "member": "amis-du-rhone",
                "dmarc": "quarantine",
                "record": "pic2026._domainkey.listes.amis-du-rhone.org",
                "record_before": "pic._domainkey.listes.amis-du-rhone.org",
                "zone": None,
                "zone_before": None,
            },
        ],
        "archived_list_domains": ["listes.chorale-saint-jean.fr"],
        "note": note,
        "advice": dk.advice,
    }
    assert review([], attr_old, Attribution(empty, load_registry(members, before), before)).dkim_selector is None


ZONE = (
    "pic:members_root:",
    "pic:dns: {backend: zonefile, zones: [example.org], listen: [192.0.2.53]}\n  pic:members_root:",
)


def test_a_list_domain_entering_or_leaving_the_platforms_zone_has_its_former_record_told_by_the_revisions_zones(
    tmp_path: Path,
) -> None:
    """The DKIM selector changed while Sympa's main domain enters or leaves the platform's zone (pic:dns changed in
    the same plan): who published the record under the former selector is decided by the revision's zones, who
    publishes the new one by the working tree's (was: both by the new settings: a domain leaving the zone was told
    to keep a record pulumi up no longer writes, one entering it that pulumi up drops a record it never wrote)."""
    inside, outside = _stack(tmp_path, "inside", ZONE), _stack(tmp_path, "outside")
    empty = rendering()
    cases = {}
    for name, before, edits in (("leaves", inside, (SELECTOR,)), ("enters", outside, (ZONE, SELECTOR))):
        after = _stack(tmp_path, name, *edits)
        attr_old = Attribution(empty, load_registry(ROOT / "members", before), before)
        attr_new = Attribution(empty, load_registry(ROOT / "members", after), after)
        dk = review([], attr_new, attr_old).dkim_selector
        assert dk is not None, name
        main = dk.domains[0]
        assert main.domain == "listes.example.org", main
        assert [(d.zone, d.zone_before) for d in dk.domains[1:]] == [("", "")] * (len(dk.domains) - 1)
        data = as_json(empty, attr_new, meta={}, changes=[], attr_old=attr_old)["dkim_selector_changed"]
        cases[name] = (main, dk, data["list_domains"][0])
    main, dk, data = cases["leaves"]
    assert (main.zone, main.zone_before) == ("", "example.org") and (data["zone"], data["zone_before"]) == (
        None,
        "example.org",
    )
    assert "by the admins for listes.example.org" in dk.note(), dk.note()
    assert (
        "listes.example.org leaves the platform's zone example.org in this plan: `pulumi up` no longer writes its "
        "records there, its `pic._domainkey.` record included"
    ) in dk.note(), dk.note()
    assert (
        "listes.example.org leaves the platform's zone example.org, which held its `pic._domainkey.` record: publish "
        "that record too where its records are published from now on, beside the new one, and remove it 5 days after "
        "`pulumi up`"
    ) in dk.advice, dk.advice
    assert "Postfix's queue on the mail host is empty" not in dk.advice, "no zone of the platform is rewritten"
    main, dk, data = cases["enters"]
    assert (main.zone, main.zone_before) == ("example.org", "") and (data["zone"], data["zone_before"]) == (
        "example.org",
        None,
    )
    # the zone is new in this plan: no resolver reads it before its delegation moves, so the new record is published
    # first where the admins publish the domain's records now (was: said to be written by pulumi up, and nothing
    # published before it: Sympa's signatures failing meanwhile, forwarded mail refused under reject)
    assert (
        "by `pulumi up` for listes.example.org in the platform's zone example.org, which this plan adds and "
        "resolvers read only once its delegation names the platform's name servers: until then they read the "
        "domain's records where they are published now (by the admins), so the new record is published there first, "
        "beside the `pic._domainkey.` one (which stays until removed by hand)"
    ) in dk.note(), dk.note()
    assert "which drops the `pic._domainkey.` record in the same step" not in dk.note()
    assert dk.advice.startswith(
        "before `pulumi up`, have each record published at its new name: `pulumi stack output mail_dns_records --json "
        "| sed 's/\"pic\\._domainkey\\./\"pic2026._domainkey./' > records-pic2026.json` writes them, today's "
        "values under the new names; the admins publish the main domain's"
    ), dk.advice
    assert (
        "`pulumi up` writes the new record of listes.example.org in the platform's zone example.org, which this plan "
        "adds: once its delegation names the platform's name servers and the parent's TTL has passed, have both "
        "records removed where the admins published them, the `pic._domainkey.` one not before 5 days after `pulumi "
        "up`"
    ) in dk.advice, dk.advice
    assert "Postfix's queue on the mail host is empty" not in dk.advice, "the platform's zone held no former record"


MAIN = ("sympa_domain: listes.example.org,", "sympa_domain: listes.example.net,")


def _lists_archived(members: Path) -> None:
    """Every member with a list domain archived: Sympa signs for its main domain only."""
    for path in sorted(members.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if "\nlists:" in text:
            text, n = re.subn(r"(?m)^status: \w+", "status: archived", text)
            path.write_text(text if n else f"{text}status: archived\n", encoding="utf-8")


def test_a_changed_dkim_selector_is_told_beside_a_changed_main_domain(tmp_path: Path) -> None:
    """pic:mail.dkim_selector and pic:mail.sympa_domain changed together, each told alone: both are told together,
    when no member's list domain stays signed too (was: the DKIM section dropped, the selector never named, nor
    the archived members' list domains that need their records under it)."""
    members = tmp_path / "members"
    shutil.copytree(ROOT / "members", members)
    _lists_archived(members)
    before = _stack(tmp_path, "before")
    empty = rendering()
    attr_old = Attribution(empty, load_registry(members, before), before)
    for name, edits in (("selector", (SELECTOR,)), ("main", (MAIN,)), ("both", (SELECTOR, MAIN))):
        after = _stack(tmp_path, name, *edits)
        attr_new = Attribution(empty, load_registry(members, after), after)
        r = review([], attr_new, attr_old)
        assert (r.dkim_selector is not None, r.sympa_domain is not None) == (SELECTOR in edits, MAIN in edits), name
    dk = r.dkim_selector
    assert dk is not None and dk.domains == () and dk.main_moved == ("listes.example.org", "listes.example.net")
    assert dk.archived == ("listes.amis-du-rhone.org", "listes.chorale-saint-jean.fr")
    note = dk.note()
    for words in (
        "pic:mail.dkim_selector pic -> pic2026: from `pulumi up`, Sympa signs the mail of every list domain under "
        "the new selector",
        "no list domain signed before this plan is signed after it, so no record of today's moves; Sympa's main "
        "domain changes too (pic:mail.sympa_domain listes.example.org -> listes.example.net): listes.example.net is "
        "signed with a key of its own that `pulumi up` makes, under the new selector "
        "(`pic2026._domainkey.listes.example.net`)",
        "needs the `pic._domainkey.` record until it is delivered",
        "the archived members' list domains (listes.amis-du-rhone.org, listes.chorale-saint-jean.fr) need theirs",
    ):
        assert words in note, (words, note)
    assert dk.advice.startswith("keep the `pic._domainkey.` records published 5 days after `pulumi up`"), dk.advice
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert f"\n>>> dkim_selector: {note}\n      what to do: {dk.advice}\n" in text, text
    assert ">>> sympa_domain: pic:mail.sympa_domain listes.example.org -> listes.example.net" in text
    md = as_markdown(empty, attr_new, title="t", changes=[], attr_old=attr_old)
    assert "#### :warning: `pic:mail.dkim_selector` changes (pic → pic2026): DKIM records to publish" in md
    assert "#### :warning: Stateful: `pic:mail.sympa_domain` changes" in md
    data = as_json(empty, attr_new, meta={}, changes=[], attr_old=attr_old)
    assert data["dkim_selector_changed"]["list_domains"] == [] and data["sympa_domain_changed"] is not None
    # members' list domains that stay: listed as before, the main domain's change named beside them
    both = _stack(tmp_path, "both-again", SELECTOR, MAIN)
    registry = load_registry(ROOT / "members", both)
    dk = review(
        [], Attribution(empty, registry, both), Attribution(empty, load_registry(ROOT / "members", before), before)
    ).dkim_selector
    assert dk is not None and [d.domain for d in dk.domains] == [
        "listes.amis-du-rhone.org",
        "listes.chorale-saint-jean.fr",
    ]
    assert (
        "; Sympa's main domain changes too (pic:mail.sympa_domain listes.example.org -> listes.example.net): "
        in dk.note()
    )


def test_a_changed_dkim_selector_in_the_stack_file_is_told_in_every_format(two_hosts: Path) -> None:
    """The real program with pic:mail.dkim_selector changed: Sympa's configuration updated, no key replaced, and the
    records to publish first told in text, markdown and json, exit 0."""
    edit(two_hosts / "Pulumi.prod.yaml", *SELECTOR)
    commit(two_hosts, "another DKIM selector")
    out = {}
    for fmt in ("text", "markdown", "json"):
        proc = plan(two_hosts, "--format", fmt)
        assert proc.returncode == 0, (fmt, proc.stdout[-4000:], proc.stderr[-4000:])
        out[fmt] = proc.stdout
    text, md, data = out["text"], out["markdown"], json.loads(out["json"])
    assert ">>> dkim_selector: pic:mail.dkim_selector pic -> pic2026: from `pulumi up`, Sympa signs" in text
    assert "by the admins for listes.example.org; by each member in its own zone for listes.amis-du-rhone.org " in text
    assert "refused for listes.chorale-saint-jean.fr (`dmarc: reject`)" in text, text[-4000:]
    assert "nothing stateful is deleted or replaced" in text
    assert "#### :warning: `pic:mail.dkim_selector` changes (pic → pic2026): DKIM records to publish" in md
    changed = data["dkim_selector_changed"]
    assert [(d["domain"], d["record"]) for d in changed["list_domains"]] == [
        ("listes.example.org", "pic2026._domainkey.listes.example.org"),
        ("listes.amis-du-rhone.org", "pic2026._domainkey.listes.amis-du-rhone.org"),
        ("listes.chorale-saint-jean.fr", "pic2026._domainkey.listes.chorale-saint-jean.fr"),
    ]
    assert not [c for c in data["changes"] if c["type"] == KEY], "the keys stay: only their records' names change"
    assert data["stateful_changes"] == []


def _eol_of(repo: Path, runtime: str, day: dt.date) -> None:
    """The stack file of ``repo`` with the end of life of ``runtime`` on ``day``."""
    path = repo / "Pulumi.prod.yaml"
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(rf'(?m)^(    "{re.escape(runtime)}": \{{.*eol: )\d{{4}}-\d{{2}}-\d{{2}}', rf"\g<1>{day}", text)
    assert count == 1, runtime
    path.write_text(new, encoding="utf-8")


def _exception_ended_yesterday(project: Path) -> tuple[Member, Path]:
    """An active member with an end-of-life exception, its ``until`` set to yesterday in its file (not committed):
    the member and its file."""
    member = next(m for m in registry(project) if m.spec.exceptions.php_eol is not None and m.status == "active")
    exc = member.spec.exceptions.php_eol
    assert exc is not None
    path = project / "members" / f"{member.slug}.yaml"
    edit(path, f"until: {exc.until.isoformat()}", f"until: {(dt.date.today() - dt.timedelta(days=1)).isoformat()}")
    return member, path


@pytest.mark.parametrize("ended", ["exception", "runtime"])
def test_a_revision_invalid_today_on_dates_alone_is_planned_as_of_its_last_valid_day(
    two_hosts: Path, ended: str
) -> None:
    """Main holds an exception whose until passed yesterday, or a site on a runtime whose end of life was yesterday:
    its program stops today, so the change that renews the exception or moves the site is planned against what main
    declared on its last valid day, in every format, rather than refused with exit 1 (the fix could not be planned)."""
    today = dt.date.today()
    yesterday = today - dt.timedelta(days=1)
    members = registry(two_hosts)
    if ended == "exception":
        member, path = _exception_ended_yesterday(two_hosts)
        commit(two_hosts, "the exception ended yesterday")
        renewed = (today + dt.timedelta(days=90)).isoformat()
        edit(path, f"until: {yesterday.isoformat()}", f"until: {renewed}")
        commit(two_hosts, "exception renewed")
        expected = {f"{member.slug}-space": "update"}
    else:
        settings = check(two_hosts, "prod", two_hosts / "members", today).settings
        member = next(m for m in members if m.status == "active" and m.runtime and not m.spec.exceptions.php_eol)
        assert member.runtime is not None
        _eol_of(two_hosts, member.runtime, yesterday)
        commit(two_hosts, f"PHP {member.runtime} ended yesterday")
        target = settings.runtime_keys()[-1]
        assert target != member.runtime
        edit(two_hosts / "members" / f"{member.slug}.yaml", f'php: "{member.runtime}"', f'php: "{target}"')
        commit(two_hosts, f"{member.slug} on PHP {target}")
        expected = {f"{member.slug}-container": "replace"}
    data = plan_json(two_hosts)
    assert data["against"]["as_of"] == yesterday.isoformat()
    assert any(f"members/{member.slug}.yaml:" in e for e in data["against"]["invalid_today"])
    kinds = {c["name"]: c["kind"] for c in data["changes"]}
    assert {n: kinds.get(n) for n in expected} == expected, kinds
    added = [c["name"] for c in data["changes"] if c["kind"] == "add" and c["type"] == CONTAINER]
    assert added == [], "the revision's site is compared as it ran, not as stopped"
    text = plan(two_hosts)
    assert text.returncode == 0, text.stderr[-3000:]
    assert f"does not pass pic check today (members/{member.slug}.yaml:" in text.stdout
    assert f"so the hosts hold what it declared on {yesterday.isoformat()} at the latest" in text.stdout
    md = plan(two_hosts, "--format", "markdown")
    assert md.returncode == 0, md.stderr[-3000:]
    assert f"against `HEAD~1` ({data['against']['commit'][:10]}), as of {yesterday.isoformat()}" in md.stdout
    assert f"`HEAD~1` does not pass pic check today (`members/{member.slug}.yaml:" in md.stdout


def test_the_errors_of_a_revision_planned_as_of_another_day_are_code_spans_whatever_they_hold() -> None:
    """An error quoting a value with a backtick stays one code span in the pull request's comment."""
    from pic.plan.command import as_of_note

    note = as_of_note(dt.date(2026, 12, 2), ('members/x.yaml:3 name: "a `b` c" is wrong',), markdown=True)
    assert '(``members/x.yaml:3 name: "a `b` c" is wrong``)' in note, note


def test_a_revision_invalid_for_more_than_dates_still_stops_the_plan(two_hosts: Path) -> None:
    """A revision whose checks fail whatever the day is not planned as of an earlier one: exit 1, its errors."""
    path = two_hosts / "members" / "velo-cite.yaml"
    edit(path, "uid: 10002", "uid: 10001")  # amis-du-rhone's
    commit(two_hosts, "a uid given twice")
    edit(path, "uid: 10001", "uid: 10002")
    commit(two_hosts, "its uid back")
    proc = plan(two_hosts)
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "HEAD~1 (" in proc.stderr and "the program stopped" in proc.stderr


def test_the_errors_of_a_revision_whose_program_stopped_are_counted_as_listed(two_hosts: Path) -> None:
    """REV holds a misnamed member file and a member file that is no YAML: its program stops on both, and the plan
    lists them and counts two errors, as pic check does (was: "invalid: 1 error", the program's stop counted once)."""
    members = two_hosts / "members"
    (members / "Amis.YAML").write_text("name: Amis\n", encoding="utf-8")
    kept = (members / "velo-cite.yaml").read_bytes()
    (members / "velo-cite.yaml").write_text("name: [\n", encoding="utf-8")
    commit(two_hosts, "two faults")
    check = [sys.executable, "-m", "pic", "check"]
    checked = subprocess.run(check, cwd=two_hosts, capture_output=True, text=True, check=False)
    assert checked.stderr.rstrip().endswith("invalid: 2 errors"), checked.stderr[-2000:]
    (members / "Amis.YAML").unlink()
    (members / "velo-cite.yaml").write_bytes(kept)
    proc = plan(two_hosts, rev="HEAD")
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "the program stopped" in proc.stderr and "members/Amis.YAML" in proc.stderr, proc.stderr[-2000:]
    assert "members/velo-cite.yaml:1 invalid YAML" in proc.stderr, proc.stderr[-2000:]
    assert "never closed" in proc.stderr, proc.stderr[-2000:]
    assert proc.stderr.rstrip().endswith("invalid: 2 errors"), proc.stderr[-2000:]


def test_a_revision_invalid_today_on_dates_is_planned_as_of_its_last_valid_day_whatever_the_rules_of_now(
    two_hosts: Path,
) -> None:
    """Main's exception ended yesterday, and one of its notes holds what the change's stricter rules call a password
    (its own rules, older, accepted it: its program stops on the date alone). The change renewing the exception is
    planned as of yesterday, the note's file named as unread (exit 3), not refused with main's date errors (exit 1)."""
    today = dt.date.today()
    yesterday = today - dt.timedelta(days=1)
    member, path = _exception_ended_yesterday(two_hosts)
    other = two_hosts / "members" / "velo-cite.yaml"
    noted = other.read_text(encoding="utf-8")
    other.write_text(noted + 'notes: "WordPress. Passwort: Geheim2024x"\n', encoding="utf-8")
    secrettext = two_hosts / "pic" / "secrettext.py"
    rules = secrettext.read_text(encoding="utf-8")
    secrettext.write_text(
        rules + "\n\ndef prose_secret(text):  # the older rules: no password read in prose\n    return None\n",
        encoding="utf-8",
    )
    commit(two_hosts, "the exception ended yesterday, under older rules")
    secrettext.write_text(rules, encoding="utf-8")
    other.write_text(noted, encoding="utf-8")
    edit(path, f"until: {yesterday.isoformat()}", f"until: {(today + dt.timedelta(days=90)).isoformat()}")
    commit(two_hosts, "exception renewed, the rules of today")
    data = plan_json(two_hosts, status=3)
    assert data["against"]["as_of"] == yesterday.isoformat()
    assert data["against"]["invalid_today"], data["against"]
    assert all(f"members/{member.slug}.yaml:" in e for e in data["against"]["invalid_today"]), data["against"]
    assert any("members/velo-cite.yaml:" in u and "notes" in u for u in data["unread"]), data["unread"]
    kinds = {c["name"]: c["kind"] for c in data["changes"]}
    assert kinds.get(f"{member.slug}-space") == "update", kinds


def test_a_revision_invalid_today_on_dates_is_planned_as_of_its_last_valid_day_under_an_older_contract(
    two_hosts: Path,
) -> None:
    """Main's exception ended yesterday, and its stack file follows a contract the change's rules refuse
    (pic:eol_warning_days 5000, which its own rules accepted): its program, run as of yesterday, is what the change
    is planned against, its stack settings named as unread (exit 3), not refused with main's date errors (exit 1)."""
    today = dt.date.today()
    yesterday = today - dt.timedelta(days=1)
    member, path = _exception_ended_yesterday(two_hosts)
    settings_py = two_hosts / "pic" / "settings.py"
    rules = settings_py.read_text(encoding="utf-8")
    edit(
        settings_py,
        "eol_warning_days: int = Field(default=365, ge=0, le=3650)",
        "eol_warning_days: int = Field(default=365, ge=0)",
    )
    edit(two_hosts / "Pulumi.prod.yaml", "pic:eol_warning_days: 365", "pic:eol_warning_days: 5000")
    commit(two_hosts, "the exception ended yesterday, under an older contract")
    settings_py.write_text(rules, encoding="utf-8")
    edit(two_hosts / "Pulumi.prod.yaml", "pic:eol_warning_days: 5000", "pic:eol_warning_days: 365")
    edit(path, f"until: {yesterday.isoformat()}", f"until: {(today + dt.timedelta(days=90)).isoformat()}")
    commit(two_hosts, "exception renewed, the contract of today")
    data = plan_json(two_hosts, status=3)
    assert data["against"]["as_of"] == yesterday.isoformat()
    assert any(
        e.startswith(f"members/{member.slug}.yaml:") and "is past" in e for e in data["against"]["invalid_today"]
    ), data["against"]
    assert not any(e.startswith(("warning", "invalid")) for e in data["against"]["invalid_today"]), data["against"]
    assert any("its stack settings" in u and "eol_warning_days" in u for u in data["unread"]), data["unread"]
    kinds = {c["name"]: c["kind"] for c in data["changes"]}
    assert kinds.get(f"{member.slug}-space") == "update", kinds


def _domains_told(data: dict[str, Any], slug: str) -> dict[tuple[str, str], str]:
    """What a plan says (json) of the site domains of ``slug`` served or no longer served: (change, domain) -> note."""
    return {(d["change"], d["domain"]): d["note"] for d in data["domains_served"] if d["member"] == slug}


def test_a_domain_removed_or_added_says_it_stops_being_served_or_what_its_certificate_needs(two_hosts: Path) -> None:
    """A domain removed from a member's site showed only diffs of files (the Caddyfile, the certificate's script):
    now a line says the name is no longer served and its certificate no longer renewed for it. A domain added said
    nothing of its DNS: now its address record must lead to the web host before its certificate can be issued (HTTP-01
    from the host), but for a domain in the platform's zones, whose record `pulumi up` writes."""
    member = next(
        m
        for m in registry(two_hosts)
        if m.status == "active"
        and m.site is not None
        and m.site.https
        and len(m.site.domains) >= 2
        and f"    - {m.site.domains[-1]}\n" in (two_hosts / "members" / f"{m.slug}.yaml").read_text(encoding="utf-8")
    )
    assert member.site is not None
    slug, apex, gone = member.slug, member.site.domains[0], member.site.domains[-1]
    stack = two_hosts / "Pulumi.prod.yaml"
    zone = "  pic:dns: {backend: zonefile, zones: [hebergeur-asso.fr], listen: [192.0.2.53]}\n  pic:members_root:"
    edit(stack, "  pic:members_root:", zone)
    commit(two_hosts, "the platform serves the zone hebergeur-asso.fr")
    path = two_hosts / "members" / f"{slug}.yaml"
    edit(path, f"    - {gone}\n", f"    - neu.{apex}\n    - {slug}.hebergeur-asso.fr\n")
    commit(two_hosts, f"{slug}: {gone} removed, two domains added")
    data = plan_json(two_hosts)
    address = next(line for line in stack.read_text(encoding="utf-8").splitlines() if line.strip().startswith("web1:"))
    web1 = re.search(r"address: ([^,}]+)", address).group(1)  # type: ignore[union-attr]
    told = _domains_told(data, slug)
    needs = told.get(("added", f"neu.{apex}"), "")
    assert told == {
        ("removed", gone): f"{gone} is no longer served from this `pulumi up`: the proxy on web1 drops it, and the "
        f"certificate of {slug} no longer names it: it is not renewed for {gone} any more",
        ("added", f"{slug}.hebergeur-asso.fr"): f"{slug}.hebergeur-asso.fr is served by web1 from this `pulumi up`, "
        "which writes its address record in the platform's zone hebergeur-asso.fr: nothing to publish by hand",
        ("added", f"neu.{apex}"): needs,
    }, told
    assert needs.startswith(
        f"neu.{apex} is served by web1 from this `pulumi up`, but its certificate can be issued only once its DNS "
        f"address record (the addresses of {web1}, or a CNAME to it) leads to web1: publish it first"
    ), needs
    text = plan(two_hosts).stdout
    assert f">>> domain: {slug}: {gone} is no longer served from this `pulumi up`" in text, text[-4000:]
    assert f">>> domain: {slug}: {needs}" in text, text[-4000:]
    markdown = plan(two_hosts, "--format", "markdown").stdout
    assert "#### Domains served or no longer served" in markdown, markdown[:4000]
    assert f"- **{slug}**: {gone} is no longer served from this `pulumi up`" in markdown, markdown[:4000]
    # The domain back: it was served before this plan's revision, not before the plan: added again, told again.
    edit(path, f"    - neu.{apex}\n    - {slug}.hebergeur-asso.fr\n", f"    - {gone}\n")
    commit(two_hosts, f"{slug}: as it was")
    assert _domains_told(plan_json(two_hosts, rev="HEAD~2"), slug) == {}  # the same domains as two commits before


def _cron_told(data: dict[str, Any], slug: str) -> dict[str, str | None]:
    """What a plan says (json) of the changes of the cron command of ``slug``: kind -> downtime."""
    return {c["kind"]: c["downtime"] for c in data["changes"] if c["name"] == f"{slug}-cron"}


def test_a_members_cron_jobs_that_leave_the_program_are_told_to_stop_running(two_hosts: Path) -> None:
    """Suspending or archiving a member with cron jobs removes its cron command, whose delete script stops and removes
    their timers on the host: the plan showed the removal alone; now it says its cron jobs stop running, and why
    (the jobs removed from the file too)."""
    member = next(m for m in registry(two_hosts) if m.status == "active" and m.spec.cron and m.site is not None)
    slug, jobs = member.slug, len(member.spec.cron)
    count = f"{jobs} job{'s' if jobs != 1 else ''}"
    path = two_hosts / "members" / f"{slug}.yaml"
    one = jobs == 1
    stopped = (
        f"the cron job{'' if one else 's'} of {slug} stop{'s' if one else ''} running from this `pulumi up` ({count}, "
        f"{'its timer' if one else 'their timers'} on {member.host} stopped and removed)"
    )
    again = f"starts {'it' if one else 'them'} again"
    for status in ("suspended", "archived"):
        _set_status(path, status)
        commit(two_hosts, f"{slug} {status}")
        data = plan_json(two_hosts, rev="HEAD~1" if status == "suspended" else "HEAD~2")
        assert _cron_told(data, slug) == {
            "remove": f"{stopped}: {slug} is {status}; setting {slug} active again {again}"
        }, data["changes"]
    text = plan(two_hosts, rev="HEAD~2").stdout
    assert f">>> downtime: {slug}-cron: {stopped}: {slug} is archived" in text, text[-4000:]
    markdown = plan(two_hosts, "--format", "markdown", rev="HEAD~2").stdout
    assert f"- `{slug}-cron`: {stopped}: {slug} is archived" in markdown, markdown[:4000]
    _set_status(path, "active")
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?ms)^cron:\n(?:  .*\n|\s*-.*\n)*", "", text), encoding="utf-8")
    commit(two_hosts, f"{slug} active, its cron jobs removed")
    data = plan_json(two_hosts, rev="HEAD~3")
    assert _cron_told(data, slug) == {"remove": f"{stopped}: {slug}'s file lists no cron job any more"}, data["changes"]


def test_a_move_between_local_hosts_advises_no_copy_nor_retirement(two_hosts: Path) -> None:
    """On the dev stack every host is ``connection: local``, the admin's own machine: `pic move-script` refuses
    `--to` and `--retire-from` such a host (the space is there already; the account and keys are the ones the member
    keeps). The plan advised both commands all the same; it says there is nothing to copy nor to retire, and why."""
    member = next(m for m in registry(two_hosts) if m.host == "web1" and m.status == "active" and m.runtime)
    copy = _pic(two_hosts, "move-script", member.slug, "--to", "web2", "--stack", "dev")
    assert copy.returncode == 1 and "connection: local" in copy.stderr, copy.stderr  # why the advice must not say it
    _set_host(two_hosts, member.slug, "web2")
    data = plan_json(two_hosts, "--stack", "dev", status=4, rev="HEAD")
    advice = data["moves"][member.slug]["advice"]
    assert "move-script" not in advice.replace("`pic move-script` refuses", ""), advice
    assert "nothing to copy: web2 is a host of connection: local, the admin's own machine" in advice, advice
    assert "nothing to retire: web1 is a host of connection: local" in advice, advice
    assert f"the account, keys and jobs of {member.slug} there are the ones it keeps on web2" in advice, advice
    text = plan(two_hosts, "--stack", "dev", rev="HEAD")
    assert text.returncode == 4 and "nothing to copy: web2 is a host of connection: local" in text.stdout, text.stdout
    assert f"pic move-script {member.slug} --to" not in text.stdout, text.stdout[-3000:]
    markdown = plan(two_hosts, "--stack", "dev", "--format", "markdown", rev="HEAD")
    assert "nothing to copy" in markdown.stdout and f"move-script {member.slug} --to" not in markdown.stdout
    # the prod stack, whose hosts are reached over ssh: both commands, as before
    advice = plan_json(two_hosts, status=4, rev="HEAD")["moves"][member.slug]["advice"]
    assert f"pic move-script {member.slug} --to web2" in advice and "nothing to copy" not in advice, advice
    assert f"pic move-script {member.slug} --retire-from web1" in advice, advice


@pytest.mark.parametrize("rev", ["-h", "-x", "--stat", "-1"])
def test_against_a_revision_starting_with_a_dash_is_told_none_is(two_hosts: Path, rev: str) -> None:
    """--against -h was refused by argparse as 'expected one argument' (-h read as an option), and --against=-h as
    not a revision of the repository: no revision of git starts with '-' (git rev-parse reads it as an option, and
    git check-ref-format refuses such a branch or tag): each is told so, and what to give."""
    said = "starts with '-', as no git revision does (git reads it as an option, and no branch or tag is named so)"
    for args in (["--against", rev], [f"--against={rev}"]):
        proc = subprocess.run(
            [sys.executable, "-m", "pic", "plan", *args], cwd=two_hosts, capture_output=True, text=True, check=False
        )
        assert proc.returncode in (1, 2), proc.stderr
        assert "expected one argument" not in proc.stderr, (args, proc.stderr)
        assert f"--against: {rev!r} {said}" in proc.stderr, (args, proc.stderr)
        assert "--against HEAD~1" in proc.stderr, (args, proc.stderr)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--against=-x"], "'-x' starts with '-', as no git revision does"),
        (["--against", "-1"], "'-1' starts with '-', as no git revision does"),
        (["--against="], "'' is empty: give a commit, a branch or a tag"),
    ],
)
def test_against_no_revision_can_be_is_a_usage_error_however_written(
    two_hosts: Path, args: list[str], said: str
) -> None:
    """pic plan --against -x exited 2 (a usage error) where --against=-x and --against -1 exited 1 with the same words,
    and --against= (empty) 1 too: each is a usage error, told before anything is read."""
    proc = subprocess.run(
        [sys.executable, "-m", "pic", "plan", *args], cwd=two_hosts, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2 and said in proc.stderr and "usage: pic plan" in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        # the revision left out: the next option read as it (pic plan --against --format json)
        (["--against", "--format", "json"], "'--format' is an option of pic plan: the revision goes right after"),
        (["--against", "--stack=dev"], "'--stack' is an option of pic plan: the revision goes right after"),
        (["--stack", "dev", "--against"], "expected a revision after it: give a commit, a branch or a tag"),
    ],
)
def test_against_without_its_revision_is_told_so(two_hosts: Path, args: list[str], said: str) -> None:
    """pic plan --against --format json was told that '--format' starts with '-', as no revision does, and a bare
    --against at the end "expected one argument": the revision was left out, which is said, with where it goes."""
    proc = subprocess.run(
        [sys.executable, "-m", "pic", "plan", *args], cwd=two_hosts, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2 and said in proc.stderr and "--against HEAD~1" in proc.stderr, proc.stderr
    assert "expected one argument" not in proc.stderr, proc.stderr


def test_against_a_reflog_entry_a_fresh_reflog_lacks_is_told_in_the_projects_words(two_hosts: Path) -> None:
    """HEAD@{1} where the reflog holds one entry (a fresh clone's, or a first commit's) was told in git's words
    ('log for 'HEAD' only has 1 entries'), and HEAD@{-1} as git's 'Needed a single revision' or not at all: each
    says what the revision is, that the reflog has no such entry, and what to write."""
    branch = git(two_hosts, "symbolic-ref", "--short", "HEAD").strip()
    for rev, said in (
        (
            "HEAD@{1}",
            "HEAD@{1} is where HEAD was 1 move ago, and the reflog of HEAD (git reflog HEAD) holds 1 "
            "entry only, HEAD@{0}: a reflog is the clone's own, begun when it was cloned or first committed to",
        ),
        (f"{branch}@{{3}}", f"{branch}@{{3}} is where {branch} was 3 moves ago, and the reflog of {branch} "),
        ("@{2}", f"@{{2}} is where {branch} was 2 moves ago, and the reflog of {branch} "),
    ):
        proc = plan(two_hosts, rev=rev)
        assert proc.returncode == 1, proc.stderr
        assert f"--against: {rev!r} is not a revision of this repository: {said}" in proc.stderr, (rev, proc.stderr)
        assert "git log lists the commits" in proc.stderr and "only has" not in proc.stderr, proc.stderr
    proc = plan(two_hosts, rev="HEAD@{-1}")
    assert proc.returncode == 1, proc.stderr
    said = (
        "--against: 'HEAD@{-1}' is not a revision of this repository: @{-1}, the branch checked out before this "
        "one, is written alone, without a name before it, and no branch was checked out before this one"
    )
    assert said in proc.stderr, proc.stderr
    assert "Needed a single revision" not in proc.stderr, proc.stderr


def test_against_a_long_reflog_date_is_shortened_in_its_warning(two_hosts: Path) -> None:
    """The warning of a reflog's date before its first entry printed the revision whole, where every other message
    of the command line shortens a long value (its first characters, then '...')."""
    rev = "HEAD@{" + "1.year." * 30 + "ago}"
    proc = plan(two_hosts, "--format", "json", rev=rev)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (line,) = [line for line in proc.stderr.splitlines() if line.startswith("warning: <command line> --against")]
    assert rev not in line and f"{show_value(rev)}: the reflog of HEAD only goes back to " in line, line
    # git takes any text as a date: a password pasted there is hidden, as in the command line's errors
    proc = plan(two_hosts, "--format", "json", rev="HEAD@{Lilas2024x!}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Lilas2024x" not in proc.stderr and "the reflog of HEAD only goes back to " in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("date", "password"),
    [
        ("Soleil2024Azur.ago", "Soleil2024Azur"),
        ("1.Lilas2024x!.year.ago", "Lilas2024x"),
        ("2 weeks,Velo2024-ago", "Velo2024"),
        ("yesterday/Lilas2024", "Lilas2024"),
    ],
)
def test_against_a_password_among_the_words_of_a_reflog_date_is_hidden(date: str, password: str) -> None:
    """git reads a reflog's date by its words, whatever stands between them (HEAD@{1.year.ago}): a password pasted
    among them (HEAD@{Soleil2024Azur.ago}) was printed in the warning of a date before the reflog's first entry,
    where HEAD@{Soleil2024Azur} alone was hidden."""
    from pic.cli import hidden_arguments

    rev = f"HEAD@{{{date}}}"
    told = hidden_arguments(f"<command line> --against: {rev!r}: the reflog of HEAD only goes back to", [rev])
    assert password not in told and "the reflog of HEAD only goes back to" in told, told


def test_against_a_password_among_a_reflog_date_s_words_is_hidden_in_the_plan(two_hosts: Path) -> None:
    """As the command prints it (the warning of a date before the reflog's first entry)."""
    proc = plan(two_hosts, "--format", "json", rev="HEAD@{Soleil2024Azur.ago}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Soleil2024Azur" not in proc.stderr and "the reflog of HEAD only goes back to " in proc.stderr, proc.stderr


def test_against_a_reflog_entry_with_a_suffix_is_offered_the_commit_it_stands_for(tmp_path: Path) -> None:
    """HEAD@{1}~1 in a fresh clone (its reflog of one entry) was offered '--against HEAD~1 is the commit 1 before
    HEAD', the ~1 written after the entry left out: the commit offered is the one the whole revision stands for in
    the history (HEAD~1~1), what follows the entry kept."""
    from pic.plan import command

    origin = tmp_path / "origin"
    origin.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=origin, check=True, capture_output=True)
    for n in range(4):
        (origin / "f").write_text(str(n))
        subprocess.run(["git", "add", "f"], cwd=origin, check=True, capture_output=True)
        commit = ["git", "-c", "user.name=a", "-c", "user.email=a@asso.org", "commit", "-qm", str(n)]
        subprocess.run(commit, cwd=origin, check=True, capture_output=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True, capture_output=True)
    for rev, offered in (("HEAD@{1}~1", "HEAD~1~1"), ("HEAD@{2}^", "HEAD~2^"), ("HEAD@{1}", "HEAD~1")):
        parsed = subprocess.run(["git", "rev-parse", "--verify", rev], cwd=clone, capture_output=True, check=False)
        said = parsed.stderr.decode()
        told = command._reflog_told(clone, rev, said)
        assert told is not None and f"--against {offered} is the commit" in told, (rev, told)

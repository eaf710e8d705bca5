"""pic plan's plain lines for what a removal does to a member, beyond the resource itself.

A member database's user dropped (its grants with it): who loses access to which database, and that the
database and its tables stay. A site container removed because its runtime is stopped or past its end of life
without a valid exception: the site answers 503, why, and that its files are kept. Each is built from a
revision's registry and the working tree's, as the plan engine attributes them (tests/test_plan.py builds the
renderings), and read in text, markdown and json.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path
from typing import Any

from pic.plan.diff import diff
from pic.plan.markdown import code
from pic.plan.model import Attribution, Rendering, Resource
from pic.plan.output import as_json, as_markdown, as_text, review
from pic.registry import load_registry
from pic.settings import Settings, load_settings
from tests.conftest import ROOT
from tests.helpers import member, project_copy, write_members
from tests.test_plan import rendering, res
from tests.test_plan_changes import commit, edit, plan, plan_json, registry, two_hosts  # noqa: F401 (a fixture)

USER = "mysql:index/user:User"
GRANT = "mysql:index/grant:Grant"
DATABASE = "mysql:index/database:Database"
CONTAINER = "docker:index/container:Container"
CMD = "command:remote:Command"
SLUG = "asso-db"


def _accounts(slug: str, short: str, webs: dict[str, str]) -> list[Resource]:
    """A member database's resources as components.member_database declares them, for web hosts ``webs``
    (name -> client address)."""
    name, comp = f"{slug.replace('-', '_')}_{short}", f"{slug}-db-{short}"
    out = [res(DATABASE, f"{comp}-database", {"name": name}, protect=True, retain_on_delete=True)]
    for web, client in webs.items():
        out += [
            res(USER, f"{comp}-user-{web}", {"user": name, "host": client, "tlsOption": "SSL"}),
            res(GRANT, f"{comp}-grant-{web}", {"user": name, "host": client, "database": f"{name}%"}),
            res(GRANT, f"{comp}-backup-grant-{web}", {"user": "pic_backup", "host": client, "database": name}),
        ]
    return out


def _said(
    settings: Settings, files: tuple[dict[str, Any], dict[str, Any]], plans: tuple[Rendering, Rendering], tmp: Path
) -> tuple[dict[str, str], str, str, dict[str, Any]]:
    """What the plan says of each change (name -> its login line, else its downtime line), and the plan as text,
    markdown and json: ``files``, the member files before and after (slug -> data), ``plans`` the renderings."""
    (before, after), (old, new) = files, plans
    attr_old = Attribution(old, load_registry(write_members(tmp / "before", before), settings), settings)
    attr_new = Attribution(new, load_registry(write_members(tmp / "after", after), settings), settings)
    changes = diff(old, new)
    r = review(changes, attr_new, attr_old)
    said = {s.change.resource.name: s.login or s.downtime for s in r.shown}
    text = as_text(new, attr_new, header="h", changes=changes, attr_old=attr_old, against="HEAD~1")
    markdown = as_markdown(new, attr_new, title="t", changes=changes, attr_old=attr_old)
    data = as_json(new, attr_new, meta={}, changes=changes, attr_old=attr_old)
    return said, text, markdown, data


def test_a_database_removed_from_the_list_says_whose_access_goes_and_that_the_data_stays(tmp_path: Path) -> None:
    """A database dropped from ``databases:``: its user and grants leave the program (the database itself is
    protected and retained). The plan showed the removals alone; now the user's removal says that the member's
    site, phpMyAdmin and clients lose access to that database, and that its tables and dumps stay."""
    settings = load_settings(ROOT, "prod")
    webs = {"web1": "10.0.0.11"}
    old = rendering(*_accounts(SLUG, "main", webs), *_accounts(SLUG, "wiki", webs))
    new = rendering(*_accounts(SLUG, "main", webs))
    site = {"domains": ["asso-db.org"], "php": "8.4"}
    before = {SLUG: member(uid=10950, databases=["main", "wiki"], site=site)}
    after = {SLUG: member(uid=10950, databases=["main"], site=site)}
    said, text, markdown, data = _said(settings, (before, after), (old, new), tmp_path)
    line = said[f"{SLUG}-db-wiki-user-web1"]
    assert line.startswith(
        "the database user asso_db_wiki (from 10.0.0.11, web1) is dropped once this change goes through, with its "
        "grants on "
        f"asso_db_wiki (the member's and the backup account's): asso_db_wiki is no longer in `databases:` of {SLUG}, "
        f"so the site of {SLUG}, phpMyAdmin and every client of {SLUG} lose access to it, and it is no longer dumped;"
    ), line
    assert "the database asso_db_wiki and its tables stay on the db server (retained on delete)" in line, line
    assert "its dumps and credential files in the space of asso-db stay" in line, line
    assert "`pulumi up` refuses this change while the database is protected" in line, line
    # one line for each account: the grants go with it and say nothing of their own
    assert said[f"{SLUG}-db-wiki-grant-web1"] == said[f"{SLUG}-db-wiki-backup-grant-web1"] == ""
    assert f">>> login: {SLUG}-db-wiki-user-web1: the database user asso_db_wiki" in text, text
    assert "#### Database logins locked, unlocked or dropped" in markdown, markdown
    assert f"- `{SLUG}-db-wiki-user-web1`: the database user asso_db_wiki (from 10.0.0.11, web1)" in markdown, markdown
    by_name = {c["name"]: c for c in data["changes"]}
    assert by_name[f"{SLUG}-db-wiki-user-web1"]["login"] == line
    assert by_name[f"{SLUG}-db-wiki-grant-web1"]["login"] is None


def test_a_database_renamed_in_the_list_says_the_new_one_starts_empty(tmp_path: Path) -> None:
    """``databases: [main, wiki]`` made ``[main, wiki2]`` (a rename, as a reviewer reads it): the plan said
    asso_db_wiki's user goes and its tables stay, and listed asso_db_wiki2's resources as added, nothing of where
    the data goes: MariaDB makes asso_db_wiki2 empty, nothing of asso_db_wiki is copied. The dropped account's line
    says so, with how to carry the data (a dump loaded into the new one) or keep the old name."""
    settings = load_settings(ROOT, "prod")
    webs = {"web1": "10.0.0.11"}
    old = rendering(*_accounts(SLUG, "main", webs), *_accounts(SLUG, "wiki", webs))
    new = rendering(*_accounts(SLUG, "main", webs), *_accounts(SLUG, "wiki2", webs))
    site = {"domains": ["asso-db.org"], "php": "8.4"}
    before = {SLUG: member(uid=10950, databases=["main", "wiki"], site=site)}
    after = {SLUG: member(uid=10950, databases=["main", "wiki2"], site=site)}
    said, text, markdown, data = _said(settings, (before, after), (old, new), tmp_path)
    line = said[f"{SLUG}-db-wiki-user-web1"]
    assert (
        "asso_db_wiki2, added in this change, is a new database, made empty: nothing of asso_db_wiki is copied "
        "into it (a name changed in `databases:` moves no data)"
    ) in line, line
    assert (
        "to carry its data, load a dump of asso_db_wiki into it once `pulumi up` has run (on web1: "
        "`sudo pic-db-restore asso-db asso_db_wiki2 FILE`, FILE its newest dump in db/ of asso-db: README "
        '"An admin restores"), or keep wiki in `databases:`'
    ) in line, line
    assert "asso_db_wiki2, added in this change, is a new database, made empty" in text, text
    assert "asso_db_wiki2, added in this change, is a new database, made empty" in markdown, markdown
    by_name = {c["name"]: c for c in data["changes"]}
    assert by_name[f"{SLUG}-db-wiki-user-web1"]["login"] == line
    # a database removed with none added says nothing of one
    after = {SLUG: member(uid=10950, databases=["main"], site=site)}
    new = rendering(*_accounts(SLUG, "main", webs))
    said, *_ = _said(settings, (before, after), (old, new), tmp_path / "removed")
    assert "made empty" not in said[f"{SLUG}-db-wiki-user-web1"]


def test_a_database_renamed_into_several_names_one_each(tmp_path: Path) -> None:
    """``databases: [main, wiki]`` made ``[main, wiki2, wiki3]``: the line said to run
    `sudo pic-db-restore asso-db DATABASE FILE`, a placeholder for a name the plan knows: each database added is
    given its own command, with its name, to copy as it is."""
    settings = load_settings(ROOT, "prod")
    webs = {"web1": "10.0.0.11"}
    old = rendering(*_accounts(SLUG, "main", webs), *_accounts(SLUG, "wiki", webs))
    new = rendering(*_accounts(SLUG, "main", webs), *_accounts(SLUG, "wiki2", webs), *_accounts(SLUG, "wiki3", webs))
    site = {"domains": ["asso-db.org"], "php": "8.4"}
    before = {SLUG: member(uid=10950, databases=["main", "wiki"], site=site)}
    after = {SLUG: member(uid=10950, databases=["main", "wiki2", "wiki3"], site=site)}
    said, text, markdown, _ = _said(settings, (before, after), (old, new), tmp_path)
    line = said[f"{SLUG}-db-wiki-user-web1"]
    assert all("DATABASE FILE" not in shown for shown in (line, text, markdown)), line
    assert (
        "asso_db_wiki2, asso_db_wiki3, added in this change, are new databases, made empty: nothing of asso_db_wiki "
        "is copied into them"
    ) in line, line
    assert (
        "to carry its data, load a dump of asso_db_wiki into the one meant once `pulumi up` has run (on web1: "
        "`sudo pic-db-restore asso-db asso_db_wiki2 FILE` for asso_db_wiki2, "
        "`sudo pic-db-restore asso-db asso_db_wiki3 FILE` for asso_db_wiki3, FILE its newest dump in db/ of "
        'asso-db: README "An admin restores"), or keep wiki in `databases:`'
    ) in line, line


def test_a_member_file_removed_and_a_web_host_removed_say_which_accounts_go(tmp_path: Path) -> None:
    """The member file removed: its accounts go with it (the databases kept, refused while protected). A web host
    removed from pic:hosts: the accounts bound to its address go, the database and its other accounts stay. An
    account declared again under another name (a host renamed at the same address) is not said to go, nor is a
    suspended member's (locked, kept: docs/REGISTRY.md)."""
    settings = load_settings(ROOT, "prod")
    two = {"web1": "10.0.0.11", "web2": "10.0.0.12"}
    old = rendering(*_accounts(SLUG, "main", two))
    before = {SLUG: member(uid=10950, databases=["main"])}
    said, *_ = _said(settings, (before, {}), (old, rendering()), tmp_path / "removed")
    for web, client in two.items():
        line = said[f"{SLUG}-db-main-user-{web}"]
        assert line.startswith(
            f"the database user asso_db_main (from {client}, {web}) is dropped once this change goes through, with "
            "its grants on asso_db_main (the member's and the backup account's): the member file of "
            f"{SLUG} is removed, so"
        ), line
        assert "`pulumi up` refuses this change while the database is protected" in line, line

    said, *_ = _said(
        settings, (before, before), (old, rendering(*_accounts(SLUG, "main", {"web1": "10.0.0.11"}))), tmp_path / "host"
    )
    assert said[f"{SLUG}-db-main-user-web2"] == (
        "the database user asso_db_main (from 10.0.0.12, web2) is dropped by this `pulumi up`, with its grants on "
        "asso_db_main (the member's and the backup account's): web2 is no longer a web host of the stack, so "
        "nothing connecting from 10.0.0.12 logs in as asso_db_main any more; the database asso_db_main, its tables "
        "and its accounts for the other web hosts stay"
    )
    renamed = rendering(*_accounts(SLUG, "main", {"web1": "10.0.0.11", "web9": "10.0.0.12"}))
    said, *_ = _said(settings, (before, before), (old, renamed), tmp_path / "renamed")
    assert said[f"{SLUG}-db-main-user-web2"] == "", "the same account is declared again"
    suspended = {SLUG: member(uid=10950, databases=["main"], status="suspended")}
    said, *_ = _said(settings, (before, suspended), (old, old), tmp_path / "suspended")
    assert said == {}, "suspending drops no account"


def _site(slug: str) -> list[Resource]:
    labels = [{"label": "pic.role", "value": "site"}, {"label": "pic.member", "value": slug}]
    return [
        res(CONTAINER, f"{slug}-container", {"image": "php", "labels": labels}),
        res(CMD, f"{slug}-cron", {"create": "timers"}),
    ]


def _stack_with(tmp_path: Path, old: str, new: str) -> Settings:
    project = project_copy(tmp_path)
    path = project / "Pulumi.prod.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_settings(project, "prod")


CRON = [{"schedule": "daily", "command": "php cron.php"}]


def test_a_site_on_a_stopped_runtime_is_told_to_answer_503_with_its_files_kept(tmp_path: Path) -> None:
    """``pic:runtimes.<key>.stopped: true``: the sites on that runtime lose their container and answer 503 (pic
    check warns of it). The plan showed a container removed without a word; now it says the site answers 503, the
    setting that stops it, that its files are kept, and what serves it again; its cron jobs say why they stop."""
    settings = _stack_with(
        tmp_path,
        '"8.2": {debian: bookworm, eol: 2026-12-31}',
        '"8.2": {debian: bookworm, eol: 2026-12-31, stopped: true}',
    )
    data = member(uid=10951, site={"domains": ["asso-site.org"], "php": "8.2"}, cron=CRON)
    slug = "asso-site"
    said, text, markdown, js = _said(
        settings, ({slug: data}, {slug: data}), (rendering(*_site(slug)), rendering()), tmp_path
    )
    line = said[f"{slug}-container"]
    assert line == (
        f"the site of {slug} answers 503 from this `pulumi up` (no container): its runtime 8.2 is stopped "
        "(pic:runtimes.8.2.stopped: true in the stack file); its files, databases and dumps are kept, and moving it "
        "to a runtime that runs (site.php) serves it again"
    ), line
    assert said[f"{slug}-cron"].endswith(
        f"(1 job, its timer on web1 stopped and removed): the site of {slug} is not run any more: its runtime 8.2 is "
        "stopped (pic:runtimes.8.2.stopped: true in the stack file)"
    ), said[f"{slug}-cron"]
    assert f">>> downtime: {slug}-container: the site of {slug} answers 503" in text, text
    assert (
        f"- `{slug}-container`: the site of {slug} answers 503 from this `pulumi up` (no container): its runtime "
        "8.2 is stopped" in markdown
    ), markdown
    assert {c["name"]: c["downtime"] for c in js["changes"]}[f"{slug}-container"] == line


def test_a_site_past_its_end_of_life_is_told_why_it_answers_503(tmp_path: Path) -> None:
    """A site on a runtime past its end of life without a valid exception loses its container (eol.site_state):
    the plan says on which day the runtime's end of life was, and what became of the exception: none, ended on a
    day, or granted for another runtime."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-old"
    site = {"domains": ["asso-old.org"], "php": "7.4"}
    ended = dt.date.today() - dt.timedelta(days=3)
    cases = {
        "none": ({}, "and asso-old holds no exceptions.php_eol"),
        "ended": (
            {"php_eol": {"until": ended, "reason": "a move"}},
            f"and the exceptions.php_eol of asso-old ended on {ended.isoformat()}",
        ),
        "other runtime": (
            {"php_eol": {"until": dt.date(2027, 1, 31), "reason": "a move", "runtime": "8.2"}},
            "and the exceptions.php_eol of asso-old was granted for runtime 8.2, not 7.4",
        ),
    }
    valid = member(uid=10952, site=site, exceptions={"php_eol": {"until": dt.date(2027, 1, 31), "reason": "a move"}})
    for case, (exceptions, why) in cases.items():
        after = member(uid=10952, site=site, exceptions=exceptions) if exceptions else member(uid=10952, site=site)
        said, *_ = _said(
            settings,
            ({slug: valid}, {slug: after}),
            (rendering(*_site(slug)), rendering()),
            tmp_path / case.replace(" ", "-"),
        )
        assert said[f"{slug}-container"] == (
            f"the site of {slug} answers 503 from this `pulumi up` (no container): its runtime 7.4 reached its end "
            f"of life on 2022-11-28 {why}; its files, databases and dumps are kept, and moving it to a runtime that "
            "runs (site.php), or an exception granted, serves it again"
        ), (case, said)


def test_the_real_program_says_a_removed_databases_accounts_go_and_a_stopped_runtimes_sites_answer_503(
    two_hosts: Path,  # noqa: F811
) -> None:
    """The lines above, on the program's own resources (components.member_database, components.member_site): a
    database removed from a member's list, then a runtime stopped in the stack file."""
    owner = next(m for m in registry(two_hosts) if m.status == "active" and len(m.databases) > 1 and m.site)
    gone = owner.databases[-1]
    path = two_hosts / "members" / f"{owner.slug}.yaml"
    shorts = [d.short for d in owner.databases]
    edit(path, f"databases: [{', '.join(shorts)}]", f"databases: [{', '.join(shorts[:-1])}]")
    commit(two_hosts, f"{owner.slug}: {gone.short} removed")
    data = plan_json(two_hosts, status=3)  # the database itself: refused while protected
    logins = {c["name"]: c["login"] for c in data["changes"] if c["login"]}
    users = {f"{owner.slug}-db-{gone.short}-user-{web}" for web in ("web1", "web2")}
    assert set(logins) == users, logins
    for name in users:
        assert logins[name].startswith(f"the database user {gone.user} (from 10.0.0.1"), logins[name]
        assert f"{gone.name} is no longer in `databases:` of {owner.slug}, so the site of {owner.slug}" in logins[name]

    site = next(m for m in registry(two_hosts) if m.status == "active" and m.site and m.runtime == "8.3")
    # a second job added, then the first removed: the cron command updated, the job named
    assert site.spec.cron, "a member on 8.3 with cron jobs"
    first = site.spec.cron[0]
    jobs = two_hosts / "members" / f"{site.slug}.yaml"
    edit(jobs, "cron:\n", "cron:\n  - {schedule: daily, command: php other.php}\n")
    commit(two_hosts, f"{site.slug}: a job added")
    text = jobs.read_text(encoding="utf-8")
    start = text.index(f"  - schedule: {first.schedule}")
    end = text.index("\n", text.index("timeout:", start)) + 1 if "timeout:" in text[start:] else len(text)
    jobs.write_text(text[:start] + text[end:], encoding="utf-8")
    assert [j.command for j in next(m for m in registry(two_hosts) if m.slug == site.slug).spec.cron] == [
        "php other.php"
    ]
    commit(two_hosts, f"{site.slug}: its first job removed")
    cron = {c["name"]: (c["kind"], c["downtime"]) for c in plan_json(two_hosts)["changes"]}
    assert cron[f"{site.slug}-cron"] == (
        "update",
        f"1 cron job of {site.slug} stops running from this `pulumi up` (its timer on {site.host} stopped and "
        f"removed), no longer in its file: {code(first.command)} (schedule {code(first.schedule)}); {site.slug} runs "
        "1 cron job then (1 unchanged)",
    ), cron
    stack = two_hosts / "Pulumi.prod.yaml"
    edit(stack, '"8.3": {', '"8.3": {stopped: true, ')
    commit(two_hosts, "8.3 stopped")
    data = plan_json(two_hosts)
    told = {c["name"]: c["downtime"] for c in data["changes"] if c["kind"] == "remove" and c["downtime"]}
    assert told[f"{site.slug}-container"] == (
        f"the site of {site.slug} answers 503 from this `pulumi up` (no container): its runtime 8.3 is stopped "
        "(pic:runtimes.8.3.stopped: true in the stack file); its files, databases and dumps are kept, and moving it "
        "to a runtime that runs (site.php) serves it again"
    ), told
    if site.spec.cron:
        assert told[f"{site.slug}-cron"].endswith(
            f"the site of {site.slug} is not run any more: its runtime 8.3 is stopped (pic:runtimes.8.3.stopped: "
            "true in the stack file)"
        ), told


KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl someone@laptop"


def test_a_member_file_removed_says_its_logins_are_refused_and_its_account_and_files_stay(tmp_path: Path) -> None:
    """A member file removed: its space command's delete script removes its keys file (components.member_space), so
    new ssh and sftp logins are refused, while its open sessions go on (sshd checks keys at login only) and its
    account and files stay. The plan showed the command removed without a word; a member without keys, or not
    active (its keys file empty already), loses no login and is told nothing."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-keys"
    old = rendering(res(CMD, f"{slug}-space", {"create": "space"}))
    with_keys = member(uid=10953, access={"sftp_keys": [KEY]})
    said, text, markdown, _ = _said(settings, ({slug: with_keys}, {}), (old, rendering()), tmp_path / "keys")
    assert said[f"{slug}-space"] == (
        f"new ssh and sftp logins of {slug} on web1 are refused from this `pulumi up`: its member file is removed, "
        f"and its keys file ({'/etc/pic/ssh/keys'}/{slug}) with it; its sessions open then go on (sshd checks keys at "
        f"login only: archiving it instead ends them), and its unix account and its space (/srv/members/{slug}: www/, "
        "priv/, db/, log/) stay on web1"
    )
    assert f">>> downtime: {slug}-space: new ssh and sftp logins of {slug} on web1 are refused" in text, text
    assert f"- `{slug}-space`: new ssh and sftp logins of {slug} on web1 are refused" in markdown, markdown
    for case, data in {"no key": member(uid=10953), "suspended": {**with_keys, "status": "suspended"}}.items():
        said, *_ = _said(settings, ({slug: data}, {}), (old, rendering()), tmp_path / case.replace(" ", "-"))
        assert said[f"{slug}-space"] == "", case


def test_a_member_file_removed_without_logins_to_refuse_says_its_account_and_space_stay(tmp_path: Path) -> None:
    """A member file removed whose member had no key or was not active: no login is refused, so no downtime line;
    the removed space command showed only the platform files its delete script removes, and a reviewer was not told
    that the member's account and files stay (they do: components.member_space's delete removes no member data).
    It is said in the change's note, in the text, markdown and json plans alike, once whatever the formats made."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-kept"
    old = rendering(res(CMD, f"{slug}-space", {"create": "space"}))
    stays = f"its unix account and its space (/srv/members/{slug}: www/, priv/, db/, log/) stay on web1"
    with_keys = member(uid=10955, access={"sftp_keys": [KEY]})
    for case, data in {"no key": member(uid=10955), "suspended": {**with_keys, "status": "archived"}}.items():
        said, text, markdown, data_json = _said(
            settings, ({slug: data}, {}), (old, rendering()), tmp_path / case.replace(" ", "-")
        )
        assert said[f"{slug}-space"] == "", case
        assert text.count(stays) == 1, (case, text)
        assert markdown.count(stays) == 1, (case, markdown)
        (change,) = [c for c in data_json["changes"] if c["name"] == f"{slug}-space"]
        assert change["note"].count(stays) == 1, (case, change)
    said, _, _, data_json = _said(settings, ({slug: with_keys}, {}), (old, rendering()), tmp_path / "keys")
    (change,) = [c for c in data_json["changes"] if c["name"] == f"{slug}-space"]
    assert stays in change["downtime"] and stays not in (change["note"] or ""), change  # told once, by the logins


def test_cron_jobs_removed_among_others_are_named(tmp_path: Path) -> None:
    """A job removed from ``cron:`` while others stay: the cron command is updated, its script removing the jobs
    beyond the current ones (pic.render.cron). The plan showed the script's diff alone; now it names the jobs that
    stop running, their command and schedule as code spans (shown as they are in markdown too), and how many jobs
    run then. A job changed is told apart (below); jobs only added say nothing."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-cron"
    site = {"domains": ["asso-cron.org"], "php": "8.4"}
    keep = {"schedule": "hourly", "command": "php wp-cron.php"}
    gone = {"schedule": "*/15 * * * *", "command": "php bin/*_task.php --tag=[a] < in.txt 2>&1"}
    old = rendering(res(CMD, f"{slug}-cron", {"create": "two jobs"}))
    new = rendering(res(CMD, f"{slug}-cron", {"create": "one job"}))
    before = member(uid=10954, site=site, cron=[keep, gone])
    said, text, markdown, _ = _said(
        settings, ({slug: before}, {slug: member(uid=10954, site=site, cron=[keep])}), (old, new), tmp_path / "one"
    )
    line = said[f"{slug}-cron"]
    assert line == (
        f"1 cron job of {slug} stops running from this `pulumi up` (its timer on web1 stopped and removed), no "
        "longer in its file: `php bin/*_task.php --tag=[a] < in.txt 2>&1` (schedule `*/15 * * * *`); asso-cron runs "
        "1 cron job then (1 unchanged)"
    ), line
    assert f">>> downtime: {slug}-cron: 1 cron job of {slug} stops running" in text, text
    assert (
        f"- `{slug}-cron`: 1 cron job of {slug} stops running from this `pulumi up` (its timer on web1 stopped and "
        "removed), no longer in its file: `php bin/*_task.php --tag=[a] < in.txt 2>&1` (schedule `*/15 * * * *`); "
        "asso-cron runs 1 cron job then (1 unchanged)"
    ) in markdown, markdown
    added = member(uid=10954, site=site, cron=[keep, gone, {"schedule": "daily", "command": "php x.php"}])
    said, *_ = _said(settings, ({slug: before}, {slug: added}), (old, new), tmp_path / "added")
    assert said[f"{slug}-cron"] == ""


def test_phpmyadmin_removed_says_where_the_members_lose_it(tmp_path: Path) -> None:
    """``pic:phpmyadmin`` removed from the stack file: its container goes, and with it the members' web access to
    their databases. The plan showed a container removed without a word; now it names the domain no longer served
    and that the databases, users and grants stay. Moved to another host, it is a replacement, told as such."""
    before = load_settings(ROOT, "prod")
    after = _stack_with(
        tmp_path, "  pic:phpmyadmin:\n    host: web1\n    domain: pma.example.org\n    debian: bookworm\n", ""
    )
    labels = [{"label": "pic.role", "value": "phpmyadmin"}]
    old = rendering(res(CONTAINER, "phpmyadmin-container", {"image": "pma", "labels": labels}))
    registry = load_registry(write_members(tmp_path / "members", {SLUG: member(uid=10950)}), before)
    attr_old = Attribution(old, registry, before)
    attr_new = Attribution(rendering(), registry, after)
    changes = diff(old, rendering())
    said = {s.change.resource.name: s.downtime for s in review(changes, attr_new, attr_old).shown}
    assert said["phpmyadmin-container"] == (
        "phpMyAdmin is no longer served at pma.example.org from this `pulumi up` (pic:phpmyadmin removed from the "
        "stack file): the members reach their databases only from their sites (and, with ssh: true, from a shell "
        "on their web host); the databases, their users and grants stay"
    ), said
    text = as_text(rendering(), attr_new, header="h", changes=changes, attr_old=attr_old, against="HEAD~1")
    assert ">>> downtime: phpmyadmin-container: phpMyAdmin is no longer served at pma.example.org" in text, text


def test_a_plan_pulumi_up_refuses_tells_its_effects_as_once_it_goes_through(tmp_path: Path) -> None:
    """A protected database deleted: `pulumi up` refuses the change and applies nothing of it (its preview fails).
    The plan said its other effects happen "from this `pulumi up`", as if it applied; now it says first that the
    change is refused, and tells each effect (downtime, login, domain served) as happening once it goes through.
    A plan with nothing refused keeps "from this `pulumi up`"."""
    settings = load_settings(ROOT, "prod")
    webs = {"web1": "10.0.0.11"}
    old = rendering(*_accounts(SLUG, "main", webs), *_accounts(SLUG, "wiki", webs), *_site(SLUG))
    new = rendering(*_accounts(SLUG, "main", webs))
    site = {"domains": ["asso-db.org"], "php": "8.4"}
    before = {SLUG: member(uid=10950, databases=["main", "wiki"], site=site, cron=CRON)}
    after = {SLUG: member(uid=10950, databases=["main"], site={**site, "domains": ["asso-db.org", "www.asso-db.org"]})}
    after[SLUG]["status"] = "suspended"
    said, text, markdown, data = _said(settings, (before, after), (old, new), tmp_path / "refused")
    assert "!!! REFUSED" in text, text
    lines = [said[f"{SLUG}-db-wiki-user-web1"], said[f"{SLUG}-container"], said[f"{SLUG}-cron"]]
    for line in lines:
        assert "once this change goes through" in line and "this `pulumi up`" not in line, line
    assert (
        said[f"{SLUG}-container"]
        == f"the site of {SLUG} answers 503 once this change goes through: {SLUG} is suspended"
    )
    assert "`pulumi up` refuses this change while the database is protected" in lines[0], lines[0]
    refused = (
        "`pulumi up` refuses this change as it stands (the refusals are listed with what to do), so nothing of it "
        "is applied: the effects below happen once this change goes through"
    )
    assert f">>> refused: {refused}" in text, text
    assert text.index(">>> refused:") < text.index(">>> downtime:"), text
    assert "this `pulumi up`" not in text.split(">>> refused:", 1)[1].split("!!!", 1)[0], text
    assert f"{refused[0].upper()}{refused[1:]}.\n\n#### Moves and downtime" in markdown, markdown
    assert "www.asso-db.org is served by web1 once this change goes through" in text, text
    told = {c["name"]: c["downtime"] for c in data["changes"]}
    assert told[f"{SLUG}-container"] == said[f"{SLUG}-container"]
    assert data["domains_served"][0]["note"].startswith("www.asso-db.org is served by web1 once"), data
    # nothing refused: the effects are those of this `pulumi up`
    after = {SLUG: {**before[SLUG], "status": "suspended"}}
    said, text, markdown, _ = _said(
        settings,
        (before, after),
        (old, rendering(*_accounts(SLUG, "main", webs), *_accounts(SLUG, "wiki", webs))),
        tmp_path / "applied",
    )
    assert said[f"{SLUG}-container"] == f"the site of {SLUG} answers 503 from this `pulumi up`: {SLUG} is suspended"
    assert ">>> refused:" not in text and "refuses this change as it stands" not in markdown, text


def test_a_database_removed_from_a_suspended_or_archived_member_takes_no_access_it_had(tmp_path: Path) -> None:
    """A database removed while its member is suspended or archived: its user was locked already (ACCOUNT LOCK)
    and its site was not served. The plan said the site, phpMyAdmin and the member's clients "lose access"; now
    it says the user was locked already, so no one loses an access they had, and what does change: a suspended
    member's database is no longer dumped (its backup grant goes), an archived one's was not dumped already."""
    settings = load_settings(ROOT, "prod")
    webs = {"web1": "10.0.0.11"}
    old = rendering(*_accounts(SLUG, "main", webs), *_accounts(SLUG, "wiki", webs))
    new = rendering(*_accounts(SLUG, "main", webs))
    site = {"domains": ["asso-db.org"], "php": "8.4"}
    said_of = {
        "suspended": "asso-db is suspended, its site answers 503), so no one loses an access they had; the backup "
        "account's grant goes with it, so it is no longer dumped every night;",
        "archived": "asso-db is archived, its site is not served), so no one loses an access they had; it was no "
        "longer dumped already;",
    }
    for status, words in said_of.items():
        before = {SLUG: member(uid=10950, databases=["main", "wiki"], site=site, status=status)}
        after = {SLUG: member(uid=10950, databases=["main"], site=site, status=status)}
        said, *_ = _said(settings, (before, after), (old, new), tmp_path / status)
        line = said[f"{SLUG}-db-wiki-user-web1"]
        assert "lose access" not in line, line
        assert f"asso_db_wiki is no longer in `databases:` of {SLUG}; the user was locked already ({words}" in line, (
            line
        )
        assert line.endswith(
            "the database asso_db_wiki and its tables stay on the db server (retained on delete), and its dumps and "
            f"credential files in the space of {SLUG} stay; `pulumi up` refuses this change while the database is "
            "protected (the refusal says what to do): the account goes once its protection is lifted"
        ), line


def test_a_cron_job_edited_is_told_changed_and_the_jobs_that_run_are_counted(tmp_path: Path) -> None:
    """A job whose command or schedule changed is the same job (its timer rewritten): the plan told it as removed
    only, and counted as "others" only the jobs unchanged ("the 2 others run on" where 3 ran). Now it is told as
    changed, from what to what, and the jobs that run after are counted with what they are."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-cron"
    site = {"domains": ["asso-cron.org"], "php": "8.4"}
    a = {"schedule": "hourly", "command": "php wp-cron.php"}
    b = {"schedule": "daily", "command": "php b.php"}
    c = {"schedule": "*/15 * * * *", "command": "php c.php"}
    old = rendering(res(CMD, f"{slug}-cron", {"create": "before"}))
    new = rendering(res(CMD, f"{slug}-cron", {"create": "after"}))
    cases = {
        "command": (
            [a, b, {**c, "command": "php c2.php"}],
            f"1 cron job of {slug} changes from this `pulumi up` (its timer on web1 rewritten): `php c.php` "
            f"(schedule `*/15 * * * *`) becomes `php c2.php`; {slug} runs 3 cron jobs then (2 unchanged, 1 changed)",
        ),
        "schedule": (
            [a, {**b, "schedule": "weekly"}, c],
            f"1 cron job of {slug} changes from this `pulumi up` (its timer on web1 rewritten): `php b.php` runs on "
            f"schedule `weekly` instead of `daily`; {slug} runs 3 cron jobs then (2 unchanged, 1 changed)",
        ),
        "removed and changed": (
            [{**a, "command": "php wp-cron.php --quiet"}, b],
            f"1 cron job of {slug} stops running from this `pulumi up` (its timer on web1 stopped and removed), no "
            f"longer in its file: `php c.php` (schedule `*/15 * * * *`); 1 cron job of {slug} changes from this "
            "`pulumi up` (its timer on web1 rewritten): `php wp-cron.php` (schedule `hourly`) becomes "
            f"`php wp-cron.php --quiet`; {slug} runs 2 cron jobs then (1 unchanged, 1 changed)",
        ),
        "two removed": (
            [a],
            f"2 cron jobs of {slug} stop running from this `pulumi up` (their timers on web1 stopped and removed), no "
            f"longer in its file: `php b.php` (schedule `daily`); `php c.php` (schedule `*/15 * * * *`); {slug} runs "
            "1 cron job then (1 unchanged)",
        ),
    }
    before = member(uid=10954, site=site, cron=[a, b, c])
    for case, (jobs, line) in cases.items():
        after = member(uid=10954, site=site, cron=jobs)
        said, *_ = _said(settings, ({slug: before}, {slug: after}), (old, new), tmp_path / case.replace(" ", "-"))
        assert said[f"{slug}-cron"] == line, case


def test_a_cron_jobs_time_limit_changed_is_told_with_the_job(tmp_path: Path) -> None:
    """A job's ``timeout`` is its time limit: lowered, the job is stopped sooner (a long import cut off), raised,
    later. The plan compared jobs on their command and schedule alone: a job whose limit alone changed was counted
    unchanged and said nothing, and one whose schedule changed with its limit was told without it. Now a limit
    changed is told with its job, before and after, and the job counted as changed."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-limit"
    site = {"domains": ["asso-limit.org"], "php": "8.4"}
    a = {"schedule": "hourly", "command": "php wp-cron.php", "timeout": 600}
    b = {"schedule": "daily", "command": "php import.php"}  # the default limit, 300 s
    old = rendering(res(CMD, f"{slug}-cron", {"create": "before"}))
    new = rendering(res(CMD, f"{slug}-cron", {"create": "after"}))
    cases = {
        "limit": (
            [{**a, "timeout": 60}, b],
            f"1 cron job of {slug} changes from this `pulumi up` (its timer on web1 rewritten): `php wp-cron.php` "
            f"(schedule `hourly`) is stopped after 60 s instead of 600 s; {slug} runs 2 cron jobs then (1 unchanged, "
            "1 changed)",
        ),
        "default limit": (
            [a, {**b, "timeout": 3600}],
            f"1 cron job of {slug} changes from this `pulumi up` (its timer on web1 rewritten): `php import.php` "
            f"(schedule `daily`) is stopped after 3600 s instead of 300 s; {slug} runs 2 cron jobs then (1 "
            "unchanged, 1 changed)",
        ),
        "schedule and limit": (
            [{**a, "schedule": "daily", "timeout": 60}, b],
            f"1 cron job of {slug} changes from this `pulumi up` (its timer on web1 rewritten): `php wp-cron.php` "
            f"runs on schedule `daily` instead of `hourly`, and is stopped after 60 s instead of 600 s; {slug} runs "
            "2 cron jobs then (1 unchanged, 1 changed)",
        ),
        "written otherwise": ([a, {**b, "timeout": 300}], ""),
    }
    before = member(uid=10963, site=site, cron=[a, b])
    for case, (jobs, line) in cases.items():
        after = member(uid=10963, site=site, cron=jobs)
        said, *_ = _said(settings, ({slug: before}, {slug: after}), (old, new), tmp_path / case.replace(" ", "-"))
        assert said[f"{slug}-cron"] == line, case


def test_one_cron_job_stopped_is_told_in_the_singular(tmp_path: Path) -> None:
    """A member with one cron job suspended: its cron command removed. The plan said "the cron jobs of X stop
    running (1 job, their timers ...)"; now the number agrees: "the cron job of X stops running (1 job, its
    timer ...)"; two jobs stay plural."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-one"
    site = {"domains": ["asso-one.org"], "php": "8.4"}
    old = rendering(res(CMD, f"{slug}-cron", {"create": "timers"}))
    two = [*CRON, {"schedule": "hourly", "command": "php other.php"}]
    for jobs, words in ((CRON, "cron job of asso-one stops running"), (two, "cron jobs of asso-one stop running")):
        data = member(uid=10955, site=site, cron=jobs)
        n = len(jobs)
        timers = "its timer" if n == 1 else "their timers"
        said, *_ = _said(
            settings, ({slug: data}, {slug: {**data, "status": "suspended"}}), (old, rendering()), tmp_path / str(n)
        )
        assert said[f"{slug}-cron"] == (
            f"the {words} from this `pulumi up` ({n} job{'s' if n > 1 else ''}, {timers} on web1 stopped and "
            f"removed): {slug} is suspended; setting {slug} active again starts {'it' if n == 1 else 'them'} again"
        ), said


def _renamed_web1(tmp_path: Path) -> Settings:
    """The prod stack with web1 renamed web9, at the same addresses: the same machine."""
    project = project_copy(tmp_path)
    path = project / "Pulumi.prod.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"\bweb1\b(?!\.)", "web9", text), encoding="utf-8")
    return load_settings(project, "prod")


def test_a_member_suspended_while_its_host_is_renamed_is_told_its_processes_end(tmp_path: Path) -> None:
    """A host renamed at the same addresses is the same machine, where the member's account runs on. Suspended in
    the same change, its processes there end: the plan said nothing (it compared host names); now it says so, on
    the host under its new name. A member that moves to another machine is a move, told apart."""
    slug = "asso-sus"
    before_settings, after_settings = load_settings(ROOT, "prod"), _renamed_web1(tmp_path)
    old = rendering(res(CMD, f"{slug}-space", {"create": "space active"}))
    new = rendering(res(CMD, f"{slug}-space", {"create": "space suspended"}))
    data = member(uid=10956)
    attr_old = Attribution(
        old, load_registry(write_members(tmp_path / "b", {slug: data}), before_settings), before_settings
    )
    suspended = {**data, "status": "suspended"}
    attr_new = Attribution(
        new, load_registry(write_members(tmp_path / "a", {slug: suspended}), after_settings), after_settings
    )
    said = {s.change.resource.name: s.downtime for s in review(diff(old, new), attr_new, attr_old).shown}
    assert said[f"{slug}-space"] == (
        f"every process of {slug} on web9 ends from this `pulumi up` (its open ssh and sftp sessions, what it left "
        f"running): {slug} is suspended"
    ), said


def _site_container(slug: str, php: str) -> Resource:
    """A member's site container as components.member_site declares it (a static site's too: Caddy serving its
    files), with its labels."""
    labels = [{"label": "pic.member", "value": slug}, {"label": "pic.role", "value": "site"}]
    return res(CONTAINER, f"{slug}-container", {"image": f"pic/{php}", "labels": labels})


def test_a_site_whose_container_goes_is_told_once_by_its_container_static_or_not(tmp_path: Path) -> None:
    """A static site (php: none) runs in a container of its own (Caddy serving its files), as a PHP site does:
    the container's removal says what its visitors get. The member's space line said it again, of a site
    "served by the front proxy" that the program does not have; now the space line says the processes that
    end, and the site is told once, by its container."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-static"
    data = member(uid=10957, site={"domains": ["asso-static.org"], "php": "none"})
    space = res(CMD, f"{slug}-space", {"create": "space active"})
    old = rendering(space, _site_container(slug, "caddy"))
    new = rendering(res(CMD, f"{slug}-space", {"create": "space not active"}))
    said_of = {
        "suspended": f"the site of {slug} answers 503 from this `pulumi up`: {slug} is suspended",
        "archived": f"the site of {slug} is no longer served from this `pulumi up`: {slug} is archived; its files "
        f"stay in its space on web1 (/srv/members/{slug}/www/)",
    }
    for status, words in said_of.items():
        said, text, *_ = _said(
            settings, ({slug: data}, {slug: {**data, "status": status}}), (old, new), tmp_path / status
        )
        assert said[f"{slug}-container"] == words, said
        assert said[f"{slug}-space"] == (
            f"every process of {slug} on web1 ends from this `pulumi up` (its open ssh and sftp sessions, what it "
            f"left running): {slug} is {status}"
        ), said
        assert "front proxy" not in text and text.count(f"the site of {slug}") == 2, text  # its line and >>>
    said, text, *_ = _said(settings, ({slug: data}, {}), (old, rendering()), tmp_path / "removed")
    assert said[f"{slug}-container"] == (
        f"the site of {slug} is no longer served from this `pulumi up`: its member file is removed"
    ), said
    assert said[f"{slug}-space"] == "", said
    assert "front proxy" not in text, text


def test_a_site_dropped_or_archived_says_its_files_stay(tmp_path: Path) -> None:
    """``site:`` removed from an active member's file (its databases kept), or the member archived: the container's
    line said the site is no longer served, nothing of its files, where a member file removed says its space stays.
    It says the site's files stay in the member's space, where they are."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-files"
    site = {"domains": ["asso-files.org"], "php": "8.4"}
    data = member(uid=10959, site=site, databases=["main"])
    old = rendering(_site_container(slug, "php"))
    kept = f"; its files stay in its space on web1 (/srv/members/{slug}/www/)"
    cases = {
        "dropped": ({k: v for k, v in data.items() if k != "site"}, f"{slug} has no site any more{kept}"),
        "archived": ({**data, "status": "archived"}, f"{slug} is archived{kept}"),
    }
    for case, (after, why) in cases.items():
        said, *_ = _said(settings, ({slug: data}, {slug: after}), (old, rendering()), tmp_path / case)
        assert said[f"{slug}-container"] == f"the site of {slug} is no longer served from this `pulumi up`: {why}", said


def test_a_cron_command_holding_backticks_stays_one_code_span_in_markdown(tmp_path: Path) -> None:
    """A removed job's command is free text from the member file: written bare in the sentence, its backticks
    opened code spans in the pull request's comment (and left the text between them read as markdown). Now the
    command is a code span whose fence is longer than any run of backticks in it (CommonMark 6.1), parsed here by
    a CommonMark parser: the command comes back whole, as one span."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-ticks"
    site = {"domains": ["asso-ticks.org"], "php": "8.4"}
    keep = {"schedule": "hourly", "command": "php wp-cron.php"}
    gone = {"schedule": "daily", "command": "echo `date` >> ``log``.txt *now*"}
    old = rendering(res(CMD, f"{slug}-cron", {"create": "two"}))
    new = rendering(res(CMD, f"{slug}-cron", {"create": "one"}))
    _, text, markdown, _ = _said(
        settings,
        ({slug: member(uid=10958, site=site, cron=[keep, gone])}, {slug: member(uid=10958, site=site, cron=[keep])}),
        (old, new),
        tmp_path,
    )
    # the reader checked on examples of CommonMark 0.31's section on code spans (6.1)
    assert _code_spans("`` foo ` bar ``") == ["foo ` bar"]
    assert _code_spans("` `` `") == ["``"]
    assert _code_spans("`foo\\`bar`") == ["foo\\"]
    assert _code_spans("```foo``") == [] and _code_spans("\\`not code`") == []
    item = next(line for line in markdown.splitlines() if line.startswith(f"- `{slug}-cron`:"))
    assert "```echo `date` >> ``log``.txt *now*```" in item, item
    spans = _code_spans(item)
    assert spans == [f"{slug}-cron", "pulumi up", gone["command"], "daily"], spans
    assert "no longer in its file: ```echo `date` >> ``log``.txt *now*``` (schedule `daily`)" in text, text


def _code_spans(markdown: str) -> list[str]:
    """The code spans of one line of markdown as CommonMark 0.31 reads them (no parser is installed): a backslash
    before ASCII punctuation escapes it (2.4); a backtick string (a maximal run) opens a span closed by the next
    backtick string of the same length, else it is literal text (6.1); the content loses one space at each end when
    it has one at both and is not all spaces."""
    spans, i = [], 0
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", markdown)]
    while i < len(markdown):
        if markdown[i] == "\\" and i + 1 < len(markdown) and markdown[i + 1] in string.punctuation:
            i += 2
            continue
        if markdown[i] != "`":
            i += 1
            continue
        end = next(e for b, e in runs if b == i)
        closing = next(((b, e) for b, e in runs if b >= end and e - b == end - i), None)
        if closing is None:
            i = end
            continue
        content = markdown[end : closing[0]]
        if content.startswith(" ") and content.endswith(" ") and content.strip(" "):
            content = content[1:-1]
        spans.append(content)
        i = closing[1]
    return spans


def test_a_uid_given_to_another_member_while_its_host_is_renamed_is_refused_on_that_same_host(tmp_path: Path) -> None:
    """A removed member's uid given to a new member on the same machine, renamed at the same addresses (web1 ->
    web9): the former account holds the uid there, so the new member's space script stops at once. The plan
    compared host names and said the new member takes the uid on web9 and is stopped "the day it moves to web1";
    now it says the script stops on web9, as on a host kept."""
    before_settings, after_settings = load_settings(ROOT, "prod"), _renamed_web1(tmp_path)
    old_members = write_members(tmp_path / "b", {"asso-gone": member(uid=10959, name="Gone Association")})
    new_members = write_members(
        tmp_path / "a",
        {"asso-new": member(uid=10959, name="New Association", contact={"name": "N", "email": "n@new.example.org"})},
    )
    attr_old = Attribution(rendering(), load_registry(old_members, before_settings), before_settings)
    attr_new = Attribution(rendering(), load_registry(new_members, after_settings), after_settings)
    (reused,) = review([], attr_new, attr_old).uid_reused
    assert (reused.host_before, reused.host) == ("web1", "web9"), reused
    assert reused.refusal() == (
        "on web9, the account and group asso-gone still hold uid 10959: the space script of asso-new stops at "
        "`groupadd --gid 10959 asso-new` (GID 10959 already exists), so its space and what depends on it are not "
        "made until the host is fixed by hand"
    ), reused.refusal()


def test_a_site_answering_503_without_a_container_that_goes_is_told_on_its_space_line(tmp_path: Path) -> None:
    """A suspended member's site has no container: the front proxy answers 503 for it. Archived, its file
    removed or its site dropped, the proxy drops its block and its domains are no longer served at all, and
    archived its databases are no longer dumped (a suspended member's still were): no container goes to say it,
    and the plan said nothing. Now its space command's change or removal says it; a member archived that was
    active, whose container goes, is told by its container alone."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-pause"
    site = {"domains": ["asso-pause.org"], "php": "8.4"}
    suspended = member(uid=10962, site=site, databases=["main", "wiki"], status="suspended")
    old = rendering(res(CMD, f"{slug}-space", {"create": "space suspended"}))
    new = rendering(res(CMD, f"{slug}-space", {"create": "space archived"}))
    said, text, markdown, data = _said(
        settings, ({slug: suspended}, {slug: {**suspended, "status": "archived"}}), (old, new), tmp_path / "archived"
    )
    assert said[f"{slug}-space"] == (
        f"the site of {slug}, which answered 503 with no container ({slug} is suspended), is no longer served from "
        f"this `pulumi up`: {slug} is archived; its databases asso_pause_main, asso_pause_wiki are no longer dumped "
        "every night (the dumps made so far are kept)"
    ), said
    assert f">>> downtime: {slug}-space: the site of {slug}, which answered 503" in text, text
    assert f"- `{slug}-space`: the site of {slug}, which answered 503" in markdown, markdown
    assert [c["downtime"] for c in data["changes"] if c["name"] == f"{slug}-space"] == [said[f"{slug}-space"]]
    said, *_ = _said(settings, ({slug: suspended}, {}), (old, rendering()), tmp_path / "removed")
    assert said[f"{slug}-space"] == (
        f"the site of {slug}, which answered 503 with no container ({slug} is suspended), is no longer served "
        f"from this `pulumi up`: its member file is removed"
    ), said
    no_site = {k: v for k, v in suspended.items() if k != "site"}
    said, *_ = _said(settings, ({slug: suspended}, {slug: no_site}), (old, new), tmp_path / "dropped")
    assert said[f"{slug}-space"] == (
        f"the site of {slug}, which answered 503 with no container ({slug} is suspended), is no longer served "
        f"from this `pulumi up`: {slug} has no site any more"
    ), said
    # archived before: not served, nothing to say; suspended again: still 503
    archived = {**suspended, "status": "archived"}
    said, *_ = _said(settings, ({slug: archived}, {}), (old, rendering()), tmp_path / "was-archived")
    assert said[f"{slug}-space"] == "", said
    said, *_ = _said(settings, ({slug: suspended}, {slug: suspended}), (old, new), tmp_path / "same")
    assert said[f"{slug}-space"] == "", said


def test_a_uid_changed_names_a_site_containers_address_only_for_a_site_that_runs(tmp_path: Path) -> None:
    """A uid gives a site container its address (172.30.1.0 + uid - 10000), by which the mail relay knows the
    site: the plan said "it gives its site container's address (...)" of a suspended or archived member too,
    whose site runs no container and is in no relay map. Now the address is said where the working tree runs
    the member's site container."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-uid"
    site = {"domains": ["asso-uid.org"], "php": "8.4"}
    space = res(CMD, f"{slug}-space", {"create": "space"})
    container = _site_container(slug, "php:8.4")
    for status, runs in (("active", True), ("suspended", False), ("archived", False)):
        before = member(uid=10064, site=site, status=status)
        after = {**before, "uid": 10065}
        plans = (rendering(space, container), rendering(space, container)) if runs else (rendering(space),) * 2
        _, text, *_ = _said(settings, ({slug: before}, {slug: after}), plans, tmp_path / status)
        line = next(line for line in text.splitlines() if line.startswith(f">>> uid changed: {slug}:"))
        assert ("its site container's address (172.30.1.64 -> 172.30.1.65)" in line) is runs, (status, line)


def test_a_uid_changed_names_only_what_takes_the_new_uid_in_the_members_state(tmp_path: Path) -> None:
    """A uid changed was said to be taken by "the containers, the dumps and the mail relay" whatever the member's
    state: an archived member (amicale-laique-ainay 10006 -> 10016) runs no container, has no dumps and is in no
    relay map. Now the plan names what the working tree gives the new uid: its site container where one runs,
    the dumps of its databases unless it is archived, the relay where its PHP site sends; else that nothing
    takes it."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-uid"
    php, static = {"domains": ["asso-uid.org"], "php": "8.4"}, {"domains": ["asso-uid.org"], "php": "none"}
    space = res(CMD, f"{slug}-space", {"create": "space"})
    cases: dict[str, tuple[dict[str, Any], bool, set[str]]] = {
        "active php with databases": (member(uid=10064, site=php, databases=["main"]), True, {"c", "d", "r"}),
        "active static": (member(uid=10064, site=static), True, {"c"}),
        "active, no site": (member(uid=10064, databases=["main"]), False, {"d"}),
        "suspended with databases": (member(uid=10064, site=php, databases=["main"], status="suspended"), False, {"d"}),
        "suspended": (member(uid=10064, site=php, status="suspended"), False, set()),
        "archived with databases": (member(uid=10064, site=php, databases=["main"], status="archived"), False, set()),
        "archived": (member(uid=10064, site=php, status="archived"), False, set()),
    }
    for case, (before, runs, takers) in cases.items():
        after = {**before, "uid": 10065}
        container = _site_container(slug, "php:8.4" if before.get("site") is php else "caddy")
        plans = (rendering(space, container),) * 2 if runs else (rendering(space),) * 2
        _, text, markdown, data = _said(settings, ({slug: before}, {slug: after}), plans, tmp_path / case[:8])
        line = next(line for line in text.splitlines() if line.startswith(f">>> uid changed: {slug}:"))
        said = {
            "c": "its site container" in line,
            "d": "the dumps of its databases" in line,
            "r": "the mail relay" in line,
        }
        assert {k for k, v in said.items() if v} == takers, (case, line)
        assert ("mail relayed for another member" in line) is ("r" in takers), (case, line)
        assert ("nothing else takes the new uid" in line) is (not takers), (case, line)
        assert "the containers, the dumps and the mail relay" not in line, (case, line)
        # none of these members has cron jobs; an address by which the relay knows the site only where it sends
        assert "cron jobs" not in line, (case, line)
        assert ("mail relay tells the sites apart" in line) is ("r" in takers), (case, line)
        if len(takers) == 1:
            assert "updated on its own, takes the new uid" in line, (case, line)
        assert ("nothing else takes the new uid" in markdown) is (not takers), (case, markdown)
        assert any(line.removeprefix(">>> uid changed: ") == u.get("note") for u in _uid_notes(data)), (case, data)


def _uid_notes(data: Any) -> list[dict[str, Any]]:
    """The uid changes a json plan holds, wherever they are."""
    found: list[dict[str, Any]] = []
    if isinstance(data, dict):
        if "note" in data and str(data.get("note", "")).startswith("asso-uid: uid "):
            found.append(data)
        for v in data.values():
            found += _uid_notes(v)
    elif isinstance(data, list):
        for v in data:
            found += _uid_notes(v)
    return found


def test_the_plans_counts_agree_in_number(tmp_path: Path) -> None:
    """The plan's first lines counted "1 resources (1 components besides), 1 members with resources": one of each
    is now in the singular, none and many in the plural."""
    settings = load_settings(ROOT, "prod")
    slug = "asso-one"
    one = rendering(res(CMD, f"{slug}-space", {"create": "space"}))
    attr = Attribution(one, load_registry(write_members(tmp_path, {slug: member(uid=10961)}), settings), settings)
    text = as_text(one, attr, header="h")
    assert "\n1 resource (0 components besides), 1 member with resources\n" in text, text
    markdown = as_markdown(one, attr, title="t", changes=None)
    assert "1 resource (0 components besides), no revision to compare with." in markdown, markdown

"""pic plan's plain lines for what a removal does to a member, beyond the resource itself.

A member database's user dropped (its grants with it): who loses access to which database, and that the
database and its tables stay. A site container removed because its runtime is stopped or past its end of life
without a valid exception: the site answers 503, why, and that its files are kept. Each is built from a
revision's registry and the working tree's, as the plan engine attributes them (tests/test_plan.py builds the
renderings), and read in text, markdown and json.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pic.plan.diff import diff, show_value
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
        "the database user asso_db_wiki (from 10.0.0.11, web1) is dropped by this `pulumi up`, with its grants on "
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
            f"the database user asso_db_main (from {client}, {web}) is dropped by this `pulumi up`, with its grants "
            f"on asso_db_main (the member's and the backup account's): the member file of {SLUG} is removed, so"
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
        f"their timers on web1 stopped and removed): the site of {slug} is not run any more: its runtime 8.2 is "
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
        f"removed), no longer in its file: {show_value(first.command)} (schedule {first.schedule}); the 1 other runs "
        "on",
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


def test_cron_jobs_removed_among_others_are_named(tmp_path: Path) -> None:
    """A job removed from ``cron:`` while others stay: the cron command is updated, its script removing the jobs
    beyond the current ones (pic.render.cron). The plan showed the script's diff alone; now it names the jobs that
    stop running, their command shown as a value (escaped in markdown), and says the others run on. A job changed
    is one removed and one added; jobs only added say nothing."""
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
        'longer in its file: "php bin/*_task.php --tag=[a] < in.txt 2>&1" (schedule "*/15 * * * *"); the 1 other '
        "runs on"
    ), line
    assert f">>> downtime: {slug}-cron: 1 cron job of {slug} stops running" in text, text
    assert (
        f"- `{slug}-cron`: 1 cron job of {slug} stops running from this `pulumi up` (its timer on web1 stopped and "
        'removed), no longer in its file: "php bin/\\*\\_task.php --tag=\\[a\\] \\< in.txt 2>\\&1" '
        '(schedule "\\*/15 \\* \\* \\* \\*"); '
        "the 1 other runs on"
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

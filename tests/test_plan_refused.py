"""pic plan: what ``pulumi up`` refuses (protected resources deleted or replaced) and names that lose
https after the proxy sent them Strict-Transport-Security.

The diff rules on hand-made renderings, the Caddyfile reading on the renderer's own output, and the
command (all three formats) on a throw-away git repository holding this project.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from pic.plan.command import EXIT_OK, EXIT_STATEFUL, exit_status
from pic.plan.diff import diff, stateful_changes
from pic.plan.hsts import https_losses, https_pins, sites
from pic.plan.model import Attribution, Rendering
from pic.plan.output import as_json, as_markdown, as_text, review
from pic.registry import Registry, load_registry
from pic.render.web import HSTS_MAX_AGE
from pic.settings import load_settings
from tests.conftest import MEMBERS, ROOT
from tests.test_plan import CMD, DB, git, rendering, res

# --- refusals on hand-made renderings ----------------------------------------------------------


def test_a_protected_resource_removed_is_refused_and_an_unprotected_one_is_not() -> None:
    old = rendering(
        res(DB, "m-db-main-database", {"name": "m_main"}, protect=True, retain_on_delete=True),
        res(CMD, "m-space", {"create": "mkdir"}, retain_on_delete=True),
        res(CMD, "m-conf", {"create": "install"}),
    )
    changes = {c.resource.name: c for c in diff(old, rendering())}
    assert "cannot be deleted because it is protected" in changes["m-db-main-database"].refused
    assert changes["m-db-main-database"].stateful  # still stateful: exit status 3
    assert changes["m-space"].stateful and not changes["m-space"].refused  # retained, not protected
    assert not changes["m-conf"].refused


def test_a_protected_resource_replaced_is_refused_unless_the_change_lifts_its_protection() -> None:
    old = rendering(res(DB, "d", {"name": "m_main"}, protect=True))
    (kept,) = diff(old, rendering(res(DB, "d", {"name": "m_other"}, protect=True)))
    assert kept.kind == "replace" and "marked for protection" in kept.refused
    # The engine checks the protection before and after (step_generator.go): lifted in the same change, it replaces.
    (lifted,) = diff(old, rendering(res(DB, "d", {"name": "m_other"}, protect=False)))
    assert lifted.kind == "replace" and lifted.stateful and not lifted.refused
    # An update of a protected resource deletes nothing.
    (updated,) = diff(old, rendering(res(DB, "d", {"name": "m_main", "defaultCollation": "x"}, protect=True)))
    assert updated.kind == "update" and not updated.refused


def _attr(r: Rendering) -> Attribution:
    return Attribution(r, None, None, extra_slugs=["m"])


def test_every_format_says_pulumi_up_refuses_and_what_to_do() -> None:
    db = res(DB, "m-db-main-database", {"name": "m_main"}, protect=True, retain_on_delete=True)
    old, new = rendering(db), rendering()
    changes = diff(old, new)
    assert stateful_changes(changes)
    text = as_text(new, _attr(new), header="h", changes=changes, attr_old=_attr(old), against="HEAD~1")
    assert "!!! REFUSED: pulumi up refuses to delete it" in text
    section = text.split("!!! pulumi up will refuse 1 change of this plan and stop there", 1)[1]
    assert "!!! refused: m: remove m-db-main-database" in section
    assert "`status: archived` instead of removing it" in section
    assert f"pulumi state unprotect '{db.urn}'" in section
    assert "the database stays on the db server" in section and "DROP DATABASE" in section
    md = as_markdown(new, _attr(new), title="t", changes=changes, attr_old=_attr(old))
    assert md.index(":no_entry: `pulumi up` will refuse 1 change") < md.index(":warning: 1 stateful change")
    assert f"`pulumi state unprotect '{db.urn}'`" in md and "`status: archived`" in md
    data = as_json(new, _attr(new), meta={}, changes=changes, attr_old=_attr(old))
    assert "cannot be deleted because it is protected" in data["changes"][0]["refused"]
    (group,) = data["refused"]
    assert group["member"] == "m" and group["changes"] == [db.urn]
    assert group["unprotect"] == [f"pulumi state unprotect '{db.urn}'"]
    assert "status: archived" in group["keep"] and "stays on the db server" in group["retained"]


def test_a_protected_database_replaced_by_a_host_renamed_says_which_host_and_that_it_is_retained() -> None:
    # The db host renamed (db -> dbhost): its provider is another resource, the database is replaced. The advice
    # named "its host" only, and said that the replacement deletes the old one, while a retained database stays.
    settings = load_settings(ROOT, "prod")
    renamed = settings.model_copy(
        update={"hosts": {("dbhost" if k == "db" else k): v for k, v in settings.hosts.items()}}
    )
    old_provider = res("pulumi:providers:mysql", "db-provider", {"endpoint": "10.0.0.10:3306"})
    new_provider = res("pulumi:providers:mysql", "dbhost-provider", {"endpoint": "10.0.0.10:3306"})
    spec = {"name": "m_main"}
    old = rendering(
        old_provider,
        res(DB, "m-db-main-database", spec, protect=True, retain_on_delete=True, provider=old_provider.urn + "::1"),
    )
    new = rendering(
        new_provider,
        res(DB, "m-db-main-database", spec, protect=True, retain_on_delete=True, provider=new_provider.urn + "::2"),
    )
    changes = [c for c in diff(old, new) if c.resource.type == DB]
    attr_old = Attribution(old, None, settings, extra_slugs=["m"])
    attr_new = Attribution(new, None, renamed, extra_slugs=["m"])
    (group,) = review(changes, attr_new, attr_old).refusals()
    assert group.keep == (
        "keep its host (db, dbhost in this plan) as before: a replacement makes a new one, the old one leaves the "
        "state (below)"
    ), group.keep
    assert "the database stays on the db server" in group.retained
    # not retained: the replacement deletes it
    bare = rendering(res(DB, "m-db-x-database", {"name": "m_x"}, protect=True))
    (change,) = diff(bare, rendering(res(DB, "m-db-x-database", {"name": "m_y"}, protect=True)))
    (plain,) = review([change], _attr(bare), _attr(bare)).refusals()
    assert plain.keep == "keep name as before: a replacement deletes the old one"


def test_a_protected_resource_without_retain_on_delete_is_deleted_for_real_once_unprotected() -> None:
    key = res("tls:index/privateKey:PrivateKey", "k", {"algorithm": "ED25519"}, protect=True)
    old, new = rendering(key), rendering()
    data = as_json(new, _attr(new), meta={}, changes=diff(old, new), attr_old=_attr(old))
    (group,) = data["refused"]
    assert group["member"] == "platform" and group["keep"] == "keep it declared in the program"
    assert "deleted for real" in group["retained"]


# --- a member's uid changed: the hosts refuse it ----------------------------------------------------


def _set_uid(path: Path, uid: int) -> None:
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(r"(?m)^uid: *\d+", f"uid: {uid}", text)
    assert n == 1, path
    path.write_text(new, encoding="utf-8")


def _uid_changed(tmp_path: Path) -> tuple[Registry, Registry, dict[str, tuple[int, int]], dict[str, str]]:
    """The example members, and the same with two uids swapped and a third moved to an unused uid;
    slug -> (uid before, after), and slug -> the member whose uid it takes."""
    settings = load_settings(ROOT, "prod")
    old = load_registry(MEMBERS, settings)
    a, b, c = sorted(old, key=lambda m: m.slug)[-3:]  # any three: the kind, not these members
    changed = tmp_path / "members"
    shutil.copytree(MEMBERS, changed)
    unused = max(m.uid for m in old) + 1000
    wanted = {a.slug: (a.uid, b.uid), b.slug: (b.uid, a.uid), c.slug: (c.uid, unused)}
    for slug, (_, uid) in wanted.items():
        _set_uid(changed / f"{slug}.yaml", uid)
    return old, load_registry(changed, settings), wanted, {a.slug: b.slug, b.slug: a.slug}


def test_a_uid_changed_or_swapped_is_refused_by_the_host_in_every_format(tmp_path: Path) -> None:
    settings = load_settings(ROOT, "prod")
    old, new, wanted, held = _uid_changed(tmp_path)
    empty = rendering()
    attr_old, attr_new = Attribution(empty, old, settings), Attribution(empty, new, settings)
    r = review([], attr_new, attr_old)
    assert {u.slug: (u.old, u.new) for u in r.uid_changes} == wanted
    assert {u.slug: u.held_by for u in r.uid_changes if u.held_by} == held
    # Nothing stateful in the resources, yet the plan exits as for a stateful change.
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
    assert exit_status([], attr_old, attr_old) == EXIT_OK
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD~1")
    assert "nothing stateful is deleted or replaced" not in text
    section = text.split(f"!!! the hosts will refuse {len(wanted)} uid changes of this plan", 1)[1]
    for slug, (before, after) in wanted.items():
        assert f">>> uid changed: {slug}: uid {before} -> {after}" in text
        assert f"!!! refused: {slug}: uid {before} -> {after}" in section
        assert f"what to do: put back `uid: {before}` in members/{slug}.yaml" in section
    assert "exists on this host with another id" in text and "pic new" in section
    md = as_markdown(empty, attr_new, title="t", changes=[], attr_old=attr_old)
    assert f":no_entry: The hosts will refuse {len(wanted)} uid changes" in md
    assert "Nothing stateful is deleted or replaced." not in md
    data = as_json(empty, attr_new, meta={}, changes=[], attr_old=attr_old)
    assert {s: (v["from"], v["to"]) for s, v in data["uid_changed"].items()} == wanted
    assert all(f"`uid: {wanted[s][0]}`" in v["advice"] for s, v in data["uid_changed"].items())


NEW_ASSO = """name: Nouvelle Association du Quartier
contact:
  name: Jeanne Martin
  email: jeanne.martin@example.org
uid: {uid}
"""


def _uid_reused(tmp_path: Path) -> tuple[Registry, Registry]:
    """The example members, and the same with bibliotheque-libre's file renamed (biblio-libre), velo-cite's
    removed and its uid given to another association (new-asso), and amis-du-rhone's uid changed and given
    to another association (other-asso)."""
    settings = load_settings(ROOT, "prod")
    changed = tmp_path / "members"
    shutil.copytree(MEMBERS, changed)
    (changed / "bibliotheque-libre.yaml").rename(changed / "biblio-libre.yaml")
    (changed / "velo-cite.yaml").unlink()
    (changed / "new-asso.yaml").write_text(NEW_ASSO.format(uid=10002), encoding="utf-8")
    _set_uid(changed / "amis-du-rhone.yaml", 10900)
    other = NEW_ASSO.format(uid=10001).replace("Nouvelle", "Autre").replace("jeanne", "paul")
    (changed / "other-asso.yaml").write_text(other, encoding="utf-8")
    return load_registry(MEMBERS, settings), load_registry(changed, settings)


def test_a_uid_given_to_another_slug_is_refused_by_the_host_in_every_format(tmp_path: Path) -> None:
    """A file renamed (the same association) and a uid reused (another one): the new slug's space script
    stops at groupadd, the former group holding the uid on the host; the plan says so and exits 3."""
    settings = load_settings(ROOT, "prod")
    old, new = _uid_reused(tmp_path)
    empty = rendering()
    attr_old, attr_new = Attribution(empty, old, settings), Attribution(empty, new, settings)
    r = review([], attr_new, attr_old)
    reused = {u.slug: (u.uid, u.held_by, u.renamed, u.held_by_kept) for u in r.uid_reused}
    assert reused == {
        "biblio-libre": (10007, "bibliotheque-libre", True, False),
        "new-asso": (10002, "velo-cite", False, False),
        "other-asso": (10001, "amis-du-rhone", False, True),
    }
    assert [u.slug for u in r.uid_changes] == ["amis-du-rhone"]
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert "nothing stateful is deleted or replaced" not in text
    section = text.split("!!! the hosts will refuse 3 uids given to another slug in this plan", 1)[1]
    assert "!!! refused: biblio-libre: uid 10007, the uid of bibliotheque-libre before (its file renamed)" in section
    assert (
        "what to do: keep the file's name members/bibliotheque-libre.yaml "
        "(`git mv members/biblio-libre.yaml members/bibliotheque-libre.yaml`): the slug cannot change; "
        "`name:` holds the association's name" in section
    )
    assert "!!! refused: new-asso: uid 10002, the uid of velo-cite before (removed)" in section
    assert "what to do: give new-asso a uid never used in members/new-asso.yaml (`pic new` picks one" in section
    assert "if new-asso is velo-cite renamed, keep the file's name members/velo-cite.yaml" in section
    assert "!!! refused: other-asso: uid 10001, the uid of amis-du-rhone before (kept with another uid)" in section
    assert "`groupadd --gid 10002 new-asso` (GID 10002 already exists)" in text
    # The renamed note says what the member has: bibliotheque-libre has no database.
    line = next(x for x in text.splitlines() if x.startswith(">>> renamed: "))
    assert line.startswith(">>> renamed: bibliotheque-libre -> biblio-libre (uid 10007): a slug cannot be renamed.")
    assert "database" not in line and "with an empty space" in line and "GID 10007 already exists" in line
    assert ">>> renamed: velo-cite" not in text and ">>> uid reused: new-asso: uid 10002" in text
    md = as_markdown(empty, attr_new, title="t", changes=[], attr_old=attr_old)
    assert ":no_entry: The hosts will refuse 3 uids given to another slug" in md
    assert "- **new-asso**: uid 10002, the uid of velo-cite before (removed)" in md
    assert "Nothing stateful is deleted or replaced." not in md
    data = as_json(empty, attr_new, meta={}, changes=[], attr_old=attr_old)
    assert {s: (v["uid"], v["held_by"], v["renamed"]) for s, v in data["uid_reused"].items()} == {
        s: (u, h, renamed) for s, (u, h, renamed, _) in reused.items()
    }
    assert list(data["renamed"]) == ["bibliotheque-libre"] and data["renamed"]["bibliotheque-libre"]["uid"] == 10007
    assert "`pic new` picks one" in data["uid_reused"]["new-asso"]["advice"]


# --- HSTS: the Caddyfile as the renderer writes it ----------------------------------------------

CADDY_CREATE = "sudo -n sh -eu -c 'cat > /etc/pic/caddy/Caddyfile'"


def _proxy(text: str, host: str = "web1") -> Rendering:
    return rendering(res(CMD, f"{host}-proxy-caddyfile", {"create": CADDY_CREATE, "stdin": text}))


def _caddyfile(members: list[tuple[str, list[str], bool]], max_age: int = HSTS_MAX_AGE) -> str:
    """A Caddyfile shaped as the renderer's: snippets, then one block per member (and its http block)."""
    out = [
        "{",
        "\temail admin@example.org",
        "}",
        "",
        "(hsts) {",
        f'\theader Strict-Transport-Security "max-age={max_age}"',
    ]
    out += ["}", "", "(acme_then_https) {", "\thandle {", "\t\tredir https://{host}{uri} 308", "\t}", "}"]
    for slug, domains, https in members:
        names = ", ".join(domains if https else [f"http://{d}" for d in domains])
        out += ["", f"# member {slug}: running", f"{names} {{", "\timport security_headers"]
        out += ["\timport hsts"] if https else []
        out += [f"\treverse_proxy pic-site-{slug}:8080", "}"]
        if https:
            out += ["", f"# member {slug}: http", ", ".join(f"http://{d}" for d in domains) + " {"]
            out += ["\timport acme_then_https", "}"]
    return "\n".join(out) + "\n"


def test_the_renderers_caddyfile_is_read_with_its_max_age() -> None:
    from pic.check import check
    from pic.render.web import render_caddyfile

    checked = check(ROOT, "prod", ROOT / "members", dt.date.today())
    text = render_caddyfile(checked.settings, checked.registry, on=dt.date.today())
    assert f'"max-age={HSTS_MAX_AGE}"' in text  # the renderer sends the constant the plan reads
    read = {s.member: s for s in sites(text) if s.https}
    for m in checked.registry:
        if m.site is not None and m.status == "active" and m.site.https:
            assert read[m.slug].https == frozenset(m.site.domains) and read[m.slug].max_age == HSTS_MAX_AGE


def test_names_that_lose_https_are_those_still_served_over_http_only() -> None:
    old = _proxy(
        _caddyfile(
            [
                ("a", ["a.org", "www.a.org", "old.a.org"], True),
                ("b", ["b.org"], True),
                ("c", ["c.org"], False),
                ("d", ["d.org"], True),
            ]
        )
    )
    new = _proxy(
        _caddyfile(
            [
                ("a", ["a.org", "www.a.org"], False),  # https off; old.a.org dropped: no longer served at all
                ("c", ["c.org", "b.org"], False),  # b.org moves to an http member
                ("e", ["d.org"], True),  # d.org moves to another https member: still https
            ]
        )
    )
    losses = https_losses(old, new)
    assert [(x.member, x.domains, x.max_age, x.days) for x in losses] == [
        ("a", ("a.org", "www.a.org"), HSTS_MAX_AGE, 365),
        ("c", ("b.org",), HSTS_MAX_AGE, 365),
    ]
    # The new registry's member of a domain wins over the comment above the block.
    assert [x.member for x in https_losses(old, new, {"b.org": "owner"})] == ["a", "owner"]
    # Moved to another web host: the names are followed there.
    assert [x.member for x in https_losses(old, rendering(*new, *_proxy(_caddyfile([]), "web2")))] == ["a", "c"]


def test_no_loss_without_hsts_sent_or_with_max_age_0() -> None:
    http_now = _proxy(_caddyfile([("a", ["a.org"], False)]))
    assert https_losses(_proxy(_caddyfile([("a", ["a.org"], False)])), http_now) == []
    assert https_losses(_proxy(_caddyfile([("a", ["a.org"], True)], max_age=0)), http_now) == []
    assert https_losses(_proxy(_caddyfile([("a", ["a.org"], True)])), _proxy(_caddyfile([]))) == []  # archived


def test_names_that_gain_hsts_are_those_served_over_http_only_before() -> None:
    """A name served over http only that the new program serves over https gets Strict-Transport-Security: from
    then on browsers keep to https for it. Names already https, new names and names no longer served do not."""
    old = _proxy(
        _caddyfile(
            [
                ("a", ["a.org", "www.a.org"], False),
                ("b", ["b.org"], True),
                ("c", ["c.org"], False),
                ("z", ["z.org"], False),
            ]
        )
    )
    new = _proxy(
        _caddyfile(
            [
                ("a", ["a.org", "www.a.org", "new.a.org"], True),  # https on; new.a.org was not served before
                ("b", ["b.org"], True),  # https already
                ("d", ["c.org"], True),  # c.org moves to an https member
                ("e", ["e.org"], True),  # a new site
            ]
        )
    )
    pins = https_pins(old, new)
    assert [(x.member, x.domains, x.max_age, x.days) for x in pins] == [
        ("a", ("a.org", "www.a.org"), HSTS_MAX_AGE, 365),
        ("d", ("c.org",), HSTS_MAX_AGE, 365),
    ]
    assert [x.member for x in https_pins(old, new, {"c.org": "owner"})] == ["a", "owner"]
    assert https_pins(old, _proxy(_caddyfile([("a", ["a.org"], True)], max_age=0))) == []
    assert https_pins(new, new) == []


# --- the command on this project --------------------------------------------------------------------


def plan(repo: Path, fmt: str, rev: str = "HEAD~1") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pic", "plan", "--against", rev, "--format", fmt],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def plans(repo: Path, status: int, rev: str = "HEAD~1") -> tuple[str, str, dict[str, Any]]:
    """The plan against ``rev`` as text, markdown and JSON, each with exit status ``status``."""
    out = []
    for fmt in ("text", "markdown", "json"):
        proc = plan(repo, fmt, rev)
        assert proc.returncode == status, (fmt, proc.stdout[-4000:], proc.stderr[-4000:])
        out.append(proc.stdout)
    return out[0], out[1], json.loads(out[2])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


DATABASES = ("wordpress", "forum", "ateliers")


def _urn(short: str) -> str:
    return f"urn:pulumi:prod::pic::pic:index:Member$mysql:index/database:Database::velo-cite-db-{short}-database"


def test_a_member_file_renamed_is_said_to_be_no_rename(real_repo: Path) -> None:
    """The same uid under another slug: the plan says a slug cannot change, in every format."""
    git(real_repo, "mv", "members/velo-cite.yaml", "members/velo-lyon.yaml")
    git(real_repo, "commit", "-qm", "velo-cite renamed")
    text, md, data = plans(real_repo, 3)
    line = next(x for x in text.splitlines() if x.startswith(">>> renamed: "))
    assert line.startswith(">>> renamed: velo-cite -> velo-lyon (uid 10002): a slug cannot be renamed."), line
    assert "empty databases and space" in line and "Keep the file's name" in line
    assert "#### :warning: A member file renamed" in md and "- velo-cite -> velo-lyon (uid 10002)" in md
    assert data["renamed"]["velo-cite"]["to"] == "velo-lyon" and data["renamed"]["velo-cite"]["uid"] == 10002


def test_a_member_file_without_databases_renamed_is_refused_by_the_host(real_repo: Path) -> None:
    """Nothing stateful at stake, yet the former account holds the uid on the host: exit 3, keep the name."""
    git(real_repo, "mv", "members/bibliotheque-libre.yaml", "members/biblio-libre.yaml")  # not committed
    text, md, data = plans(real_repo, 3, "HEAD")
    assert "nothing stateful is deleted or replaced" not in text
    assert re.search(
        r"(?m)^biblio-libre: .*!!! REFUSED by the host: uid 10007, the uid of bibliotheque-libre before", text
    )
    assert "!!! refused: biblio-libre: uid 10007, the uid of bibliotheque-libre before (its file renamed)" in text
    assert "keep the file's name members/bibliotheque-libre.yaml" in text
    line = next(x for x in text.splitlines() if x.startswith(">>> renamed: "))
    assert "databases refused" not in line and "with an empty space" in line
    assert ":no_entry: The hosts will refuse 1 uid given to another slug" in md
    assert "Nothing stateful is deleted or replaced." not in md
    assert data["uid_reused"]["biblio-libre"]["renamed"] is True
    assert data["renamed"]["bibliotheque-libre"]["to"] == "biblio-libre"


def test_a_removed_members_uid_given_to_a_new_member_is_refused_by_the_host(real_repo: Path) -> None:
    git(real_repo, "rm", "-q", "members/bibliotheque-libre.yaml")  # not committed
    (real_repo / "members" / "new-asso.yaml").write_text(NEW_ASSO.format(uid=10007), encoding="utf-8")
    text, md, data = plans(real_repo, 3, "HEAD")
    assert ">>> renamed" not in text and data["renamed"] == {}  # another association: a uid reused
    assert re.search(r"(?m)^new-asso: .*!!! REFUSED by the host: uid 10007, the uid of bibliotheque-libre before", text)
    assert ">>> uid reused: new-asso: uid 10007, the uid of bibliotheque-libre before" in text
    assert "!!! refused: new-asso: uid 10007, the uid of bibliotheque-libre before (removed)" in text
    assert "give new-asso a uid never used in members/new-asso.yaml (`pic new` picks one" in text
    assert "`groupadd --gid 10007 new-asso` (GID 10007 already exists)" in text
    assert "- **new-asso**: uid 10007, the uid of bibliotheque-libre before (removed)" in md
    reused = data["uid_reused"]["new-asso"]
    assert (reused["uid"], reused["held_by"], reused["renamed"]) == (10007, "bibliotheque-libre", False)


def test_removing_a_member_file_says_pulumi_up_refuses_and_to_archive_it_instead(real_repo: Path) -> None:
    git(real_repo, "rm", "-q", "members/velo-cite.yaml")
    git(real_repo, "commit", "-qm", "velo-cite leaves")
    text, md, data = plans(real_repo, 3)
    assert ">>> renamed" not in text and data["renamed"] == {}  # removed, not renamed
    for short in DATABASES:
        assert re.search(rf"remove +mysql:Database +velo-cite-db-{short}-database .*\n.*\n +!!! REFUSED: ", text)
    section = text.split("!!! pulumi up will refuse 3 changes of this plan and stop there", 1)[1]
    assert (
        "!!! refused: velo-cite: remove velo-cite-db-ateliers-database, remove velo-cite-db-forum-database" in section
    )
    assert "keep the member file of velo-cite with `status: archived` instead of removing it" in section
    assert "files, dumps and databases are kept" in section
    for short in DATABASES:
        assert f"pulumi state unprotect '{_urn(short)}'" in section
    assert "the database stays on the db server with its tables" in section
    assert md.index(":no_entry: `pulumi up` will refuse 3 changes") < md.index(":warning: 3 stateful changes")
    assert all(f"`pulumi state unprotect '{_urn(short)}'`" in md for short in DATABASES)
    assert "keep the member file of velo-cite with `status: archived`" in md
    refused = {c["urn"] for c in data["changes"] if c["refused"]}
    assert refused == {_urn(short) for short in DATABASES}
    assert refused <= set(data["stateful_changes"])
    (group,) = data["refused"]
    assert group["member"] == "velo-cite" and set(group["changes"]) == refused
    # What the plan advises is what a reviewer can do instead: archived, nothing is refused or at stake.
    git(real_repo, "checkout", "-q", "HEAD~1", "--", "members/velo-cite.yaml")
    edit(real_repo / "members" / "velo-cite.yaml", "uid: 10002\n", "uid: 10002\nstatus: archived\n")
    commit(real_repo, "velo-cite archived instead")
    proc = subprocess.run(
        [sys.executable, "-m", "pic", "plan", "--against", "HEAD~2", "--format", "json"],
        cwd=real_repo,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    archived = json.loads(proc.stdout)
    assert archived["refused"] == [] and archived["stateful_changes"] == []


def test_two_members_swapping_their_uids_is_refused_by_the_host(real_repo: Path) -> None:
    """The same files, the same slugs, the uids swapped: the space scripts would stop on the host
    and the relay would take one site's mail for the other's; the plan says so and exits 3."""
    members = sorted(p for p in (real_repo / "members").glob("*.yaml"))
    uids = {p.stem: int(re.search(r"(?m)^uid: *(\d+)", p.read_text()).group(1)) for p in members}  # type: ignore[union-attr]
    first, second = sorted(uids)[:2]
    _set_uid(real_repo / "members" / f"{first}.yaml", uids[second])
    _set_uid(real_repo / "members" / f"{second}.yaml", uids[first])
    commit(real_repo, "two members swap their uids")
    text, md, data = plans(real_repo, 3)
    assert "nothing stateful is deleted or replaced" not in text
    for slug, other in ((first, second), (second, first)):
        before, after = uids[slug], uids[other]
        assert re.search(rf"(?m)^{slug}: .*!!! REFUSED by the host: uid {before} -> {after}", text), text[-3000:]
        assert f"!!! refused: {slug}: uid {before} -> {after} (the uid of {other} before)" in text
        assert f"put back `uid: {before}` in members/{slug}.yaml" in text
        assert data["uid_changed"][slug]["held_by"] == other
    assert ":no_entry: The hosts will refuse 2 uid changes" in md
    assert "Nothing stateful is deleted or replaced." not in md


def test_removing_one_database_of_a_member_is_refused_and_says_to_keep_it_listed(real_repo: Path) -> None:
    edit(real_repo / "members" / "velo-cite.yaml", "databases: [wordpress, forum, ateliers]", "databases: [wordpress]")
    commit(real_repo, "velo-cite drops two databases")
    text, md, data = plans(real_repo, 3)
    assert "!!! refused: velo-cite: remove velo-cite-db-ateliers-database, remove velo-cite-db-forum-database" in text
    assert "keep the database in `databases:` of velo-cite" in text
    assert "keep the database in `databases:` of velo-cite" in md
    assert {u for g in data["refused"] for u in g["changes"]} == {_urn("forum"), _urn("ateliers")}


def test_https_switched_off_warns_of_the_hsts_the_proxy_sent(real_repo: Path) -> None:
    edit(real_repo / "members" / "amis-du-rhone.yaml", "  https: true", "  https: false")
    commit(real_repo, "amis-du-rhone over http")
    text, md, data = plans(real_repo, 0)  # a warning: the exit status is unchanged
    domains = "amis-du-rhone.org, www.amis-du-rhone.org, xn--amis-du-rhne-nib.org"
    line = next(x for x in text.splitlines() if x.startswith(">>> https: amis-du-rhone: "))
    assert domains in line and f"max-age={HSTS_MAX_AGE}" in line and "365 days" in line
    assert "Keep `https: true` if those visitors matter" in line and "accepting that they cannot reach" in line
    assert f"- **amis-du-rhone**: {domains} lose https" in md and f"max-age={HSTS_MAX_AGE}" in md
    lost = data["https_withdrawn"]
    assert list(lost) == ["amis-du-rhone"]
    assert lost["amis-du-rhone"]["domains"] == domains.split(", ")
    assert lost["amis-du-rhone"]["max_age"] == HSTS_MAX_AGE and "RFC 6797" in lost["amis-du-rhone"]["note"]


def test_a_domain_moved_to_an_http_site_warns_and_one_dropped_or_moved_to_https_does_not(real_repo: Path) -> None:
    # Names that move go whole: a name under another member's domain is refused (pic check).
    members = real_repo / "members"
    edit(
        members / "velo-cite.yaml",
        "    - atelier.velo-cite-lyon.fr\n",
        "    - atelier.velo-cite-lyon.fr\n    - cyclistes-lyon.fr\n",
    )
    commit(real_repo, "velo-cite gets a second domain")
    edit(members / "amis-du-rhone.yaml", "    - xn--amis-du-rhne-nib.org   # amis-du-rhône.org\n", "")  # to http
    edit(
        members / "bibliotheque-libre.yaml",
        "    - biblio-libre.fr\n",
        "    - biblio-libre.fr\n    - xn--amis-du-rhne-nib.org\n",
    )
    edit(members / "velo-cite.yaml", "    - www.velo-cite-lyon.fr\n", "")  # dropped
    edit(members / "velo-cite.yaml", "    - cyclistes-lyon.fr\n", "")  # to https
    edit(
        members / "jardins-partages.yaml",
        "    - www.jardins-partages.org\n",
        "    - www.jardins-partages.org\n    - cyclistes-lyon.fr\n",
    )
    commit(real_repo, "domains moved and dropped")
    proc = plan(real_repo, "json")
    # each domain that goes to another member is a handover (stateful, exit 3), whatever its scheme
    assert proc.returncode == 3, proc.stderr[-3000:]
    data = json.loads(proc.stdout)
    handed = {(h["from"], h["to"]): h["domains"] for h in data["handed_over"]}
    assert handed == {
        ("amis-du-rhone", "bibliotheque-libre"): ["xn--amis-du-rhne-nib.org"],
        ("velo-cite", "jardins-partages"): ["cyclistes-lyon.fr"],
    }
    lost = data["https_withdrawn"]
    assert {m: x["domains"] for m, x in lost.items()} == {"bibliotheque-libre": ["xn--amis-du-rhne-nib.org"]}


def test_https_switched_on_says_browsers_keep_to_https_from_then_on(real_repo: Path) -> None:
    """``https: false -> true`` said nothing of HSTS: from then on the proxy sends Strict-Transport-Security, and
    switching back to http later leaves the visitors of that time unable to reach the site for max-age."""
    edit(real_repo / "members" / "bibliotheque-libre.yaml", "  https: false", "  https: true")
    commit(real_repo, "bibliotheque-libre over https")
    text, md, data = plans(real_repo, 0)  # a warning: the exit status is unchanged
    line = next(x for x in text.splitlines() if x.startswith(">>> hsts: bibliotheque-libre: "))
    assert "biblio-libre.fr" in line and f"max-age={HSTS_MAX_AGE}" in line and "365 days" in line
    assert "`https: false`" in line and "unable to reach" in line, line
    assert "- **bibliotheque-libre**: " in md and f"max-age={HSTS_MAX_AGE}" in md and "(HSTS)" in md
    pinned = data["https_pinned"]
    assert list(pinned) == ["bibliotheque-libre"]
    assert "biblio-libre.fr" in pinned["bibliotheque-libre"]["domains"]
    assert (
        pinned["bibliotheque-libre"]["max_age"] == HSTS_MAX_AGE and "RFC 6797" in pinned["bibliotheque-libre"]["note"]
    )
    assert pinned["bibliotheque-libre"]["note"] in line

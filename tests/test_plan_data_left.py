"""pic plan: changes after which members' data is no longer where the program serves it from.

``pic:members_root`` changed (every space made anew, empty, under the new root), and a removed
member's domains taken by a new member (a file renamed with another uid, or a real handover): both
stateful, exit status 3, with what to do. On the registry directly, then by the command on a
throw-away git repository holding this project.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from pic.plan.command import EXIT_OK, EXIT_STATEFUL, _members_root, exit_status
from pic.plan.model import Attribution, Rendering
from pic.plan.output import CharsetChange, Review, RootMove, as_json, as_markdown, as_text, review
from pic.registry import Member, Registry, load_registry
from pic.settings import Settings, load_settings, sftp_target
from tests.conftest import MEMBERS, ROOT
from tests.test_plan import git, rendering
from tests.test_plan_refused import NEW_ASSO, commit, edit, plans


def _plain_sites(registry: Registry) -> list[Member]:
    """Members with a site and nothing protected to remove (no database, no lists): removing one is not
    stateful by itself, so what the plan says of its domains decides."""
    return sorted(
        (m for m in registry if m.site is not None and not m.spec.databases and m.lists is None),
        key=lambda m: m.slug,
    )


def _another_association(text: str, uid: int, name: str) -> str:
    """A member file's text as another association's: its name, contact and uid replaced, its site kept."""
    for pattern, value in (
        (r"(?m)^name: .*$", f"name: {name}"),
        (r"(?m)^  name: .*$", "  name: Jeanne Martin"),
        (r"(?m)^  email: .*$", "  email: jeanne.martin@example.org"),
        (r"(?m)^uid: *\d+", f"uid: {uid}"),
    ):
        text, n = re.subn(pattern, value, text, count=1)
        assert n == 1, pattern
    return text


def _unused_uid(registry: Registry) -> int:
    return max(m.uid for m in registry) + 1000


# --- on the registry ----------------------------------------------------------------------------


def test_domains_of_a_removed_member_taken_by_a_new_one_are_a_handover(tmp_path: Path) -> None:
    """Site and list domains of removed members in new members' files: handed over, exit 3; a file renamed
    with its uid and its domains is left to the rename, which says so."""
    settings = load_settings(ROOT, "prod")
    old = load_registry(MEMBERS, settings)
    listed = next(m for m in sorted(old, key=lambda m: m.slug) if m.lists is not None)
    site = _plain_sites(old)[0]
    kept_uid = next(m for m in sorted(old, key=lambda m: m.slug) if m.site and m.slug not in (site.slug, listed.slug))
    uid = _unused_uid(old)
    changed = tmp_path / "members"
    shutil.copytree(MEMBERS, changed)
    # listed's list domain to another association's new file (its site, if any, dropped with it)
    (changed / f"{listed.slug}.yaml").unlink()
    lists = NEW_ASSO.format(uid=uid) + f"lists:\n  domain: {listed.lists.domain}\n"  # type: ignore[union-attr]
    (changed / "nouvelle-asso.yaml").write_text(lists, encoding="utf-8")
    # site's file renamed with another uid: the same association, a new slug and a new uid
    (changed / f"{site.slug}.yaml").rename(changed / f"{site.slug}-renamed.yaml")
    renamed = (changed / f"{site.slug}-renamed.yaml").read_text(encoding="utf-8")
    (changed / f"{site.slug}-renamed.yaml").write_text(
        re.sub(r"(?m)^uid: *\d+", f"uid: {uid + 1}", renamed), encoding="utf-8"
    )
    # kept_uid's file renamed with its uid: a rename the uid check already names, not repeated here
    (changed / f"{kept_uid.slug}.yaml").rename(changed / f"{kept_uid.slug}-bis.yaml")
    new = load_registry(changed, settings)
    empty = rendering()
    attr_old, attr_new = Attribution(empty, old, settings), Attribution(empty, new, settings)
    r = review([], attr_new, attr_old)
    got = {(h.old, h.new): (h.domains, h.list_domain, h.same_association) for h in r.handovers}
    assert got == {
        (listed.slug, "nouvelle-asso"): ((), listed.lists.domain, False),  # type: ignore[union-attr]
        (site.slug, f"{site.slug}-renamed"): (tuple(site.site.domains), "", True),  # type: ignore[union-attr]
    }
    assert [u.slug for u in r.renames] == [f"{kept_uid.slug}-bis"]
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert "nothing stateful is deleted or replaced" not in text
    assert f"!!!   {listed.lists.domain}: {listed.slug} (removed) -> nouvelle-asso (new)" in text  # type: ignore[union-attr]
    assert f"keep the file's name and the uid (`git mv members/{site.slug}-renamed.yaml" in text
    assert f"`uid: {site.uid}`" in text


def test_a_file_renamed_with_its_name_written_otherwise_is_still_the_same_association(tmp_path: Path) -> None:
    """The name compared as pic check compares it (without case, accents or punctuation): a member's file renamed
    with another uid and contact address, its name retyped without accents ("BIBLIOTHEQUE LIBRE ..."), was said
    to be another association's, its data to move by hand, rather than a file renamed."""
    settings = load_settings(ROOT, "prod")
    old = load_registry(MEMBERS, settings)
    site = _plain_sites(old)[0]
    changed = tmp_path / "members"
    shutil.copytree(MEMBERS, changed)
    (changed / f"{site.slug}.yaml").unlink()
    text = (MEMBERS / f"{site.slug}.yaml").read_text(encoding="utf-8")
    respelled = unicodedata.normalize("NFKD", site.spec.name).encode("ascii", "ignore").decode().upper()
    assert respelled != site.spec.name
    other = _another_association(text, _unused_uid(old), f'"{respelled}"')
    (changed / f"{site.slug}-asso.yaml").write_text(other, encoding="utf-8")
    empty = rendering()
    attr_old = Attribution(empty, old, settings)
    attr_new = Attribution(empty, load_registry(changed, settings), settings)
    (handover,) = review([], attr_new, attr_old).handovers
    assert (handover.old, handover.new, handover.same_association) == (site.slug, f"{site.slug}-asso", True)


def _edited(path: Path, pattern: str, replacement: str) -> None:
    text, n = re.subn(pattern, replacement, path.read_text(encoding="utf-8"))
    assert n == 1, (pattern, text)
    path.write_text(text, encoding="utf-8")


def _taken_over(
    changed: Path, taker: Member, domain: str, lister: Member, *, old: Registry, settings: Settings
) -> tuple[Rendering, Attribution, Attribution, Review]:
    """``taker``'s file in ``changed`` given the site domain ``domain`` and ``lister``'s list domain: the review of
    that change against ``old``, with the empty rendering and the attributions it was made from."""
    _edited(changed / f"{taker.slug}.yaml", r"(?m)^(  domains:\n)", rf"\1    - {domain}\n")
    with (changed / f"{taker.slug}.yaml").open("a", encoding="utf-8") as out:
        out.write(f"lists:\n  domain: {lister.lists.domain}\n")  # type: ignore[union-attr]
    empty = rendering()
    attr_old = Attribution(empty, old, settings)
    attr_new = Attribution(empty, load_registry(changed, settings), settings)
    return empty, attr_old, attr_new, review([], attr_new, attr_old)


def test_domains_moved_between_members_that_stay_are_a_handover(tmp_path: Path) -> None:
    """A list domain (its lists, subscribers and archives with it) and a site domain moved from a member to
    another in one change: handed over, exit 3 (was: an update of the robot's title, exit 0)."""
    settings = load_settings(ROOT, "prod")
    old = load_registry(MEMBERS, settings)
    # lists without a site (their domain under none of the giver's), and a site domain of its own besides
    lister = next(m for m in sorted(old, key=lambda m: m.slug) if m.lists is not None and m.site is None)
    siter = next(m for m in sorted(old, key=lambda m: m.slug) if m.site and any("xn--" in d for d in m.site.domains))
    moved = next(d for d in siter.site.domains if d.startswith("xn--"))  # type: ignore[union-attr]
    # an active member: an archived one serves neither the site nor the lists (said otherwise, tested below)
    taker = next(
        m for m in sorted(old, key=lambda m: m.slug) if m.lists is None and m.site is not None and m.status == "active"
    )
    changed = tmp_path / "members"
    shutil.copytree(MEMBERS, changed)
    _edited(changed / f"{lister.slug}.yaml", r"(?m)^lists:\n(?:  .*\n)+", "")
    _edited(changed / f"{siter.slug}.yaml", rf"(?m)^ *- {re.escape(moved)}.*\n", "")
    empty, attr_old, attr_new, r = _taken_over(changed, taker, moved, lister, old=old, settings=settings)
    got = {(h.old, h.new): (h.domains, h.list_domain, h.old_stays, h.new_is_new) for h in r.handovers}
    assert got == {
        (lister.slug, taker.slug): ((), lister.lists.domain, True, False),  # type: ignore[union-attr]
        (siter.slug, taker.slug): ((moved,), "", True, False),
    }
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert "nothing stateful is deleted or replaced" not in text
    assert f"!!!   {lister.lists.domain}: {lister.slug} (kept) -> {taker.slug} (existing)" in text, text  # type: ignore[union-attr]
    assert f"!!!   {moved}: {siter.slug} (kept) -> {taker.slug} (existing)" in text, text
    assert f"with the lists, subscribers and archives Sympa keeps for it. {lister.slug} keeps its space" in text
    assert "the lists, their subscribers and archives (Sympa's export and import)" in text
    kept = {giver.slug: bool(giver.databases) for giver in (lister, siter)}
    assert set(kept.values()) == {True, False}, kept  # one giver with databases, one without: each told its own
    for slug, has_databases in kept.items():
        owned = "files, databases and keys" if has_databases else "files and keys"
        assert re.search(rf"{slug} keeps its space on \S+, its {owned}: none of them goes", text), text


def test_a_removed_members_domain_taken_by_an_existing_member_is_no_rename_to_undo(tmp_path: Path) -> None:
    """A removed member's site domain and list domain added to members that were there before: the advice
    never tells to `git mv` a member that exists onto the removed one's file (which would change its uid and
    drop its databases), nor to add a member that is already there; it says what goes with each domain."""
    settings = load_settings(ROOT, "prod")
    old = load_registry(MEMBERS, settings)
    site = _plain_sites(old)[0]
    lister = next(m for m in sorted(old, key=lambda m: m.slug) if m.lists is not None and m.site is None)
    taker = next(m for m in sorted(old, key=lambda m: m.slug) if m.site and m.spec.databases and m.lists is None)
    changed = tmp_path / "members"
    shutil.copytree(MEMBERS, changed)
    (changed / f"{site.slug}.yaml").unlink()
    (changed / f"{lister.slug}.yaml").unlink()
    moved = site.site.domains[0]  # type: ignore[union-attr]
    empty, attr_old, attr_new, r = _taken_over(changed, taker, moved, lister, old=old, settings=settings)
    got = {(h.old, h.new): (h.old_stays, h.new_is_new) for h in r.handovers}
    assert got == {(site.slug, taker.slug): (False, False), (lister.slug, taker.slug): (False, False)}
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert f"!!!   {moved}: {site.slug} (removed) -> {taker.slug} (existing)" in text, text
    for h in r.handovers:
        assert "git mv" not in h.advice and f"add {taker.slug}" not in h.advice, h.advice
        assert h.advice.startswith(f"{taker.slug} was a member before this change, so it is not {h.old} renamed")
        assert f"archive {h.old} (`status: archived`)" in h.advice
        assert f"otherwise put back members/{h.old}.yaml and leave the domain with {h.old}" in h.advice
    by_old = {h.old: h.advice for h in r.handovers}
    assert f"copy first what it takes over of {site.slug}'s space into {taker.slug}'s" in by_old[site.slug]
    assert f"the lists of {lister.lists.domain}, their subscribers and archives go with it" in by_old[lister.slug]  # type: ignore[union-attr]
    assert "copy first" not in by_old[lister.slug]


@pytest.mark.parametrize("status", ["archived", "suspended"])
def test_a_domain_given_to_an_archived_or_suspended_member_is_not_said_to_be_served(
    tmp_path: Path, status: str
) -> None:
    """An archived member serves no site and runs no lists, a suspended one's site answers 503: a site domain
    (and a list domain) moved to one is not "served from its space" (was said so whatever its status)."""
    settings = load_settings(ROOT, "prod")
    old = load_registry(MEMBERS, settings)
    giver = _plain_sites(old)[0]
    lister = next(m for m in sorted(old, key=lambda m: m.slug) if m.lists is not None and m.site is None)
    taker = next(
        m
        for m in sorted(old, key=lambda m: m.slug)
        if m.status == "active" and m.site and m.lists is None and m.slug != giver.slug
    )
    moved = giver.site.domains[0]  # type: ignore[union-attr]
    changed = tmp_path / "members"
    shutil.copytree(MEMBERS, changed)
    _edited(changed / f"{giver.slug}.yaml", rf"(?m)^ *- {re.escape(moved)}.*\n", "    - autre-domaine.fr\n")
    _edited(changed / f"{lister.slug}.yaml", r"(?m)^lists:\n(?:  .*\n)+", "")
    _edited(changed / f"{taker.slug}.yaml", r"(?m)^(  domains:\n)", rf"\1    - {moved}\n")
    text = (changed / f"{taker.slug}.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^status: .*\n", "", text) + f"status: {status}\nlists:\n  domain: {lister.lists.domain}\n"  # type: ignore[union-attr]
    (changed / f"{taker.slug}.yaml").write_text(text, encoding="utf-8")
    new = load_registry(changed, settings)
    empty = rendering()
    attr_old, attr_new = Attribution(empty, old, settings), Attribution(empty, new, settings)
    r = review([], attr_new, attr_old)
    notes = {h.old: h.note() for h in r.handovers}
    assert set(notes) == {giver.slug, lister.slug}
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
    assert "would be served from" not in notes[giver.slug], notes
    if status == "archived":
        assert f"{moved} (its site) would no longer be served: {taker.slug} is archived" in notes[giver.slug]
        assert f"would go to {taker.slug}, which is archived: Sympa no longer serves that domain" in notes[lister.slug]
    else:
        assert f"{moved} (its site) would answer 503: {taker.slug} is suspended" in notes[giver.slug]
        assert "with the lists, subscribers and archives Sympa keeps for it" in notes[lister.slug]  # they run


def test_a_list_domain_no_member_declares_any_more_leaves_its_lists_behind(tmp_path: Path) -> None:
    """A member's list domain changed, and a member with lists removed: Sympa's robot of the old domain
    leaves the program with no delete step, its lists, subscribers and archives stay on the mail host, their
    mail refused while the robot.conf left makes Sympa still serve their web interface (was: only the DKIM key
    named; then "no longer served", with Sympa's export and import to move them); a domain changed is moved with
    `sympa move`, which takes subscribers, owners and archives along; an archived member keeps its list domain:
    nothing is left."""
    settings = load_settings(ROOT, "prod")
    old = load_registry(MEMBERS, settings)
    listers = sorted((m for m in old if m.lists is not None and m.status == "active"), key=lambda m: m.slug)
    renamed, removed = listers[0], listers[1]
    old_domain = renamed.lists.domain  # type: ignore[union-attr]
    new_domain = "nouvelles-" + old_domain
    changed = tmp_path / "members"
    shutil.copytree(MEMBERS, changed)
    _edited(changed / f"{renamed.slug}.yaml", rf"(?m)^  domain: {re.escape(old_domain)}$", f"  domain: {new_domain}")
    (changed / f"{removed.slug}.yaml").unlink()
    new = load_registry(changed, settings)
    empty = rendering()
    attr_old, attr_new = Attribution(empty, old, settings), Attribution(empty, new, settings)
    r = review([], attr_new, attr_old)
    got = {(ll.member, ll.domain, ll.new_domain, ll.removed) for ll in r.lists_left}
    assert got == {
        (renamed.slug, old_domain, new_domain, False),
        (removed.slug, removed.lists.domain, "", True),  # type: ignore[union-attr]
    }
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert "nothing stateful is deleted or replaced" not in text
    assert (
        f"!!! STATEFUL: {renamed.slug}: the lists of {old_domain}, their subscribers and archives stay in Sympa on "
        f"{settings.mail_host} (its robot leaves the program, nothing removes or moves them): {old_domain} leaves "
        f"Postfix's maps, so their mail is refused, while its robot.conf stays in /etc/sympa/{old_domain}/, so Sympa "
        f"still knows the robot and its web interface (https://listes.example.org/{old_domain}) still answers the "
        "lists' owners"
    ) in text, text
    assert "no longer served" not in text, text
    assert f"{new_domain} starts with no list" in text
    assert (
        f"move them after `pulumi up` on {settings.mail_host} with Sympa's own tool, which takes their subscribers, "
        f"owners, archives and spool along (Sympa then knows both domains: {old_domain}'s robot.conf stays): "
        f"`sympa move <list>@{old_domain} <list>@{new_domain}` for each"
    ) in text, text
    assert f"keep `lists: {{domain: {old_domain}}}` in {renamed.slug}'s file" in text
    assert f"archive {removed.slug} (`status: archived`) rather than remove its file" in text
    md = as_markdown(empty, attr_new, title="t", changes=[], attr_old=attr_old)
    assert f"#### :warning: Stateful: the lists of {old_domain} are left behind" in md
    data = as_json(empty, attr_new, meta={}, changes=[], attr_old=attr_old)
    assert {(x["member"], x["domain"], x["member_removed"]) for x in data["lists_left"]} == {
        (renamed.slug, old_domain, False),
        (removed.slug, removed.lists.domain, True),  # type: ignore[union-attr]
    }
    # archiving keeps the list domain (and the lists, unserved, with their key): nothing left behind
    archived = tmp_path / "archived"
    shutil.copytree(MEMBERS, archived)
    _edited(archived / f"{renamed.slug}.yaml", r"(?m)^status: active$", "status: archived")
    attr_archived = Attribution(empty, load_registry(archived, settings), settings)
    assert review([], attr_archived, attr_old).lists_left == []


def test_a_list_domain_taken_from_another_member_is_not_said_to_start_with_no_list(tmp_path: Path) -> None:
    """A member whose list domain becomes another member's former one: its own lists are left behind, and the
    domain it takes comes with the other member's lists (a handover), not with none (was: "starts with no list"
    beside the handover saying the opposite)."""
    settings = load_settings(ROOT, "prod")
    old = load_registry(MEMBERS, settings)
    taker, giver = sorted((m for m in old if m.lists and m.status == "active"), key=lambda m: m.slug)[:2]
    mine, theirs = taker.lists.domain, giver.lists.domain  # type: ignore[union-attr]
    changed = tmp_path / "members"
    shutil.copytree(MEMBERS, changed)
    _edited(changed / f"{taker.slug}.yaml", rf"(?m)^  domain: {re.escape(mine)}$", f"  domain: {theirs}")
    _edited(changed / f"{giver.slug}.yaml", r"(?m)^lists:\n  domain: .*\n(  dmarc: .*\n)?", "")
    empty = rendering()
    attr_old = Attribution(empty, old, settings)
    attr_new = Attribution(empty, load_registry(changed, settings), settings)
    r = review([], attr_new, attr_old)
    (left,) = r.lists_left
    assert (left.member, left.domain, left.new_domain, left.new_domain_of) == (taker.slug, mine, theirs, giver.slug)
    assert [(h.old, h.new, h.list_domain) for h in r.handovers] == [(giver.slug, taker.slug, theirs)]
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert f"{theirs} comes with the lists of {giver.slug}, not these" in text
    assert "starts with no list" not in text
    (data,) = as_json(empty, attr_new, meta={}, changes=[], attr_old=attr_old)["lists_left"]
    assert (data["new_domain"], data["new_domain_of"]) == (theirs, giver.slug)


def test_an_archived_members_lists_are_left_behind_when_its_file_or_its_list_domain_goes(tmp_path: Path) -> None:
    """Archiving keeps a member's lists, unserved, for when it is active again; removing the archived member's
    file, or its `lists:`, leaves them with no member to serve them (was: not said, as for lists that did not
    run before the plan; only the DKIM key's removal was named)."""
    settings = load_settings(ROOT, "prod")
    lister = sorted(
        (m for m in load_registry(MEMBERS, settings) if m.lists and m.status == "active"), key=lambda m: m.slug
    )[0]
    domain = lister.lists.domain  # type: ignore[union-attr]
    archived = tmp_path / "archived"
    shutil.copytree(MEMBERS, archived)
    _edited(archived / f"{lister.slug}.yaml", r"(?m)^status: active$", "status: archived")
    empty = rendering()
    attr_old = Attribution(empty, load_registry(archived, settings), settings)
    removed = tmp_path / "removed"
    shutil.copytree(archived, removed)
    (removed / f"{lister.slug}.yaml").unlink()
    dropped = tmp_path / "dropped"
    shutil.copytree(archived, dropped)
    _edited(dropped / f"{lister.slug}.yaml", r"(?m)^lists:\n  domain: .*\n(  dmarc: .*\n)?", "")
    for members, gone in ((removed, True), (dropped, False)):
        attr_new = Attribution(empty, load_registry(members, settings), settings)
        r = review([], attr_new, attr_old)
        assert [(ll.member, ll.domain, ll.removed, ll.archived) for ll in r.lists_left] == [
            (lister.slug, domain, gone, True)
        ]
        assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
        text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
        assert (
            f"!!! STATEFUL: {lister.slug}: the lists of {domain}, their subscribers and archives, kept unserved in "
            f"Sympa on {settings.mail_host} while {lister.slug} is archived, stay there with no member"
        ) in text, text
        advice = f"keep the file of {lister.slug}, archived," if gone else f"keep `lists: {{domain: {domain}}}`"
        assert advice in text
        data = as_json(empty, attr_new, meta={}, changes=[], attr_old=attr_old)
        assert [(x["member"], x["member_removed"], x["member_archived"]) for x in data["lists_left"]] == [
            (lister.slug, gone, True)
        ]
    # kept archived, or active again: nothing left behind
    for status in ("archived", "active"):
        again = tmp_path / f"again-{status}"
        shutil.copytree(MEMBERS, again)
        _edited(again / f"{lister.slug}.yaml", r"(?m)^status: active$", f"status: {status}")
        assert review([], Attribution(empty, load_registry(again, settings), settings), attr_old).lists_left == []


def _stack(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Settings:
    project = tmp_path / name
    project.mkdir()
    text = (ROOT / "Pulumi.prod.yaml").read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    (project / "Pulumi.prod.yaml").write_text(text, encoding="utf-8")
    return load_settings(project, "prod")


WEB2 = (
    "    db: {role: db,",
    "    web2: {role: web, address: web2.example.org, private_address: 10.0.0.12, ssh_user: deploy}\n"
    "    db: {role: db,",
)


def test_a_host_at_another_address_or_sympa_on_another_host_leaves_the_data_behind(tmp_path: Path) -> None:
    """web1 reached at another address (another machine, as far as the plan can tell) or Sympa moved to
    another web host: the spaces, databases and lists stay on the machine the program leaves, exit 3 with
    what to do (was: exit 0, "nothing stateful")."""
    before = _stack(tmp_path, "before", WEB2)
    registry = load_registry(MEMBERS, before)
    moved = _stack(tmp_path, "moved", WEB2, ("address: web1.example.org, private_address: 10.0.0.11",
                                              "address: web3.example.org, private_address: 10.0.0.13"))  # fmt: skip
    empty = rendering()
    attr_old = Attribution(empty, registry, before)
    attr_new = Attribution(empty, load_registry(MEMBERS, moved), moved)
    [hm] = review([], attr_new, attr_old).host_moves
    assert (hm.what, hm.old, hm.new) == ("pic:hosts.web1.address", "web1.example.org", "web3.example.org")
    on_web1 = sorted(m.slug for m in registry if m.host == "web1")
    assert hm.held == f"the spaces, sites, dumps and certificates of {', '.join(on_web1)}; Sympa's lists, " + (
        "subscribers and archives"
    )
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert "!!! STATEFUL: pic:hosts.web1.address web1.example.org -> web3.example.org: the spaces" in text, text
    assert "if web3.example.org is the same machine under another name, nothing moves" in text
    sympa = _stack(tmp_path, "sympa", WEB2, ("pic:mail: {host: web1,", "pic:mail: {host: web2,"))
    attr_new = Attribution(empty, load_registry(MEMBERS, sympa), sympa)
    [hm] = review([], attr_new, attr_old).host_moves
    assert (hm.what, hm.old, hm.new) == ("pic:mail.host", "web1", "web2")
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
    same = _stack(tmp_path, "same", WEB2)
    assert review([], Attribution(empty, load_registry(MEMBERS, same), same), attr_old).host_moves == []
    # Sympa's host renamed and moved at once: its lists stay on the machine it leaves
    renamed = _stack(
        tmp_path,
        "renamed",
        WEB2,
        ("web1: {role: web, address: web1.example.org", "web3: {role: web, address: web3.example.org"),
        ("pic:mail: {host: web1,", "pic:mail: {host: web3,"),
        ("host: web1\n", "host: web3\n"),
        ("pic:default_web_host: web1", "pic:default_web_host: web3"),
    )
    hosts = [(hm.what, hm.old, hm.new) for hm in review([], Attribution(empty, None, renamed), attr_old).host_moves]
    assert hosts == [("pic:mail.host", "web1", "web3")]


def test_a_host_renamed_at_the_same_addresses_is_no_move_but_told(tmp_path: Path) -> None:
    """web1 renamed web9 with the same address and private address: the same machine, so its members do not
    move (was: every member told to move and copy its space, exit 4); the resources named after it are made
    anew, its database users among them, so the plan says to keep the name (exit 3)."""
    before = _stack(tmp_path, "before", WEB2)
    registry = load_registry(MEMBERS, before)
    renamed = _stack(
        tmp_path,
        "renamed",
        WEB2,
        ("web1: {role: web, address: web1.example.org", "web9: {role: web, address: web1.example.org"),
        ("pic:mail: {host: web1,", "pic:mail: {host: web9,"),
        ("host: web1\n", "host: web9\n"),
        ("pic:default_web_host: web1", "pic:default_web_host: web9"),
    )
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    _edited(members / "velo-cite.yaml", r"(?m)^host: web1$", "host: web9")
    empty = rendering()
    attr_old = Attribution(empty, registry, before)
    attr_new = Attribution(empty, load_registry(members, renamed), renamed)
    r = review([], attr_new, attr_old)
    assert r.moves == {}, r.moves
    [hm] = r.host_moves
    assert (hm.what, hm.old, hm.new, hm.renamed) == ("pic:hosts", "web1", "web9", True)
    on_web1 = sorted(m.slug for m in registry if m.host == "web1")
    assert hm.held == f"the sites of {', '.join(on_web1)}; Sympa's"
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert "!!! STATEFUL: host web1 is renamed web9 at the same addresses" in text, text
    assert "what to do: keep the name web1 in pic:hosts" in text, text
    assert "rsync" not in text and "move-script" not in text, text
    # Another address: another machine as far as the plan can tell, so its members move (told as before).
    elsewhere = _stack(
        tmp_path,
        "elsewhere",
        WEB2,
        ("web1: {role: web, address: web1.example.org, private_address: 10.0.0.11",
         "web9: {role: web, address: web9.example.org, private_address: 10.0.0.19"),
        ("pic:mail: {host: web1,", "pic:mail: {host: web9,"),
        ("host: web1\n", "host: web9\n"),
        ("pic:default_web_host: web1", "pic:default_web_host: web9"),
    )  # fmt: skip
    r = review([], Attribution(empty, load_registry(members, elsewhere), elsewhere), attr_old)
    assert set(r.moves) == set(on_web1) and not [hm for hm in r.host_moves if hm.renamed]


def test_a_move_to_or_from_a_host_renamed_in_the_same_change_names_it_as_it_was_and_as_it_is(
    tmp_path: Path,
) -> None:
    """web1 renamed web9 in the change that moves a member from web2 to it, and another from it to web2: the copy
    runs before the change, where the host is web1, the retire script after `pulumi up`, where it is web9; the
    advice names each (was: `pic move-script --to web9`, which the target branch refuses, and `--retire-from
    web1`, which the merged one refuses)."""
    before = _stack(tmp_path, "before", WEB2)
    renamed = _stack(
        tmp_path,
        "renamed",
        WEB2,
        ("web1: {role: web, address: web1.example.org", "web9: {role: web, address: web1.example.org"),
        ("pic:mail: {host: web1,", "pic:mail: {host: web9,"),
        ("host: web1\n", "host: web9\n"),
        ("pic:default_web_host: web1", "pic:default_web_host: web9"),
    )
    old_members, new_members = tmp_path / "old-members", tmp_path / "new-members"
    shutil.copytree(MEMBERS, old_members)
    shutil.copytree(MEMBERS, new_members)
    _edited(old_members / "velo-cite.yaml", r"(?m)^host: web1$", "host: web2")  # web2 -> web9 (web1 before)
    _edited(new_members / "velo-cite.yaml", r"(?m)^host: web1$", "host: web9")
    to_web2 = next(m for m in _plain_sites(load_registry(MEMBERS, before)) if m.host == "web1" and m.spec.host is None)
    with (new_members / f"{to_web2.slug}.yaml").open("a", encoding="utf-8") as out:
        out.write("host: web2\n")  # web1 (web9 after) -> web2
    empty = rendering()
    attr_old = Attribution(empty, load_registry(old_members, before), before)
    attr_new = Attribution(empty, load_registry(new_members, renamed), renamed)
    r = review([], attr_new, attr_old)
    assert r.moves == {"velo-cite": ("web2", "web9"), to_web2.slug: ("web1", "web2")}, r.moves
    onto = r.move_advice("velo-cite")
    assert onto.startswith(
        "web9 is web1 renamed in this change (the same machine), and the copy runs before the change, where the "
        "stack file still calls it web1: copy its space first (`pic move-script velo-cite --to web1`, where it is "
        "still on web2)"
    ), onto
    assert "--to web9" not in onto and "`pic move-script velo-cite --retire-from web2`" in onto, onto
    off = r.move_advice(to_web2.slug)
    assert f"`pic move-script {to_web2.slug} --to web2`" in off and "--retire-from web1" not in off, off
    assert (
        f"(`pic move-script {to_web2.slug} --retire-from web9`); web1 is renamed web9 in this change (the same "
        "machine), and the retire script runs after `pulumi up`, where the stack file calls it web9"
    ) in off, off
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL  # the rename, as before
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert f">>> velo-cite moves from web2 to web9: {onto}" in text, text
    md = as_markdown(empty, attr_new, title="t", changes=[], attr_old=attr_old)
    assert f"- **{to_web2.slug}** moves from web1 to web2: {off}." in md, md
    data = as_json(empty, attr_new, meta={}, changes=[], attr_old=attr_old)
    assert data["moves"]["velo-cite"] == {"from": "web2", "to": "web9", "advice": onto}


SYMPA = ("sympa_domain: listes.example.org", "sympa_domain: listes.example.net")


def test_sympa_domain_changed_leaves_the_main_domains_lists_behind_and_says_how_to_move_them(
    tmp_path: Path,
) -> None:
    """pic:mail.sympa_domain changed: Sympa keeps the main domain's lists in list_data/<list>/, their subscribers,
    owners and archives under the domain's name; the new main domain reads those directories without them, the old
    one is no longer routed nor served. The plan says so with what to do (Sympa's own move, the records of the new
    name, the owners told), exit 3 (was: only the removal of the old domain's DKIM key, with nothing of the lists,
    the links or the DNS)."""
    before = _stack(tmp_path, "before", WEB2)
    after = _stack(tmp_path, "after", WEB2, SYMPA)
    registry = load_registry(MEMBERS, before)
    robots = sorted(m.lists.domain for m in registry if m.lists and m.status != "archived")
    empty = rendering()
    attr_old = Attribution(empty, registry, before)
    attr_new = Attribution(empty, load_registry(MEMBERS, after), after)
    r = review([], attr_new, attr_old)
    sd = r.sympa_domain
    assert sd is not None
    assert (sd.old, sd.new, sd.mail_host, sd.robots, sd.reports_moved) == (
        "listes.example.org",
        "listes.example.net",
        "web1",
        tuple(robots),
        False,  # pic:mail.dmarc_reports is set in this stack
    )
    assert r.lists_left == [] and r.handovers == [] and r.host_moves == []
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
    note = sd.note()
    for words in (
        "pic:mail.sympa_domain listes.example.org -> listes.example.net: Sympa's main domain changes and nothing "
        "moves its lists: the lists of listes.example.org, if it has any, stay on web1 (their directories in "
        "`/var/lib/sympa/list_data/<list>/`",
        "their subscribers and owners in Sympa's database under listes.example.org; their archives in "
        "`/var/lib/sympa/arc/<list>@listes.example.org`)",
        "mail to `<list>@listes.example.org` is refused, while Sympa reads `list_data/<list>/` as lists of "
        "listes.example.net, without their subscribers, owners or archives",
        "the web interface moves from https://listes.example.org/sympa to https://listes.example.net/sympa, and "
        "the member list domains' from `https://listes.example.org/<domain>` to `https://listes.example.net/<domain>` "
        f"({', '.join(robots)})",
    ):
        assert words in note, (words, note)
    assert "DMARC reports" not in note
    for words in (
        "`sympa move <list>@listes.example.org <list>@listes.example.net`",
        "`sympa.pl --rename_list=<list>@listes.example.org --new_listname=<list> --new_listrobot=listes.example.net`",
        "/var/lib/sympa/list_data/listes.example.net`, a robot.conf in /etc/sympa/listes.example.net/",
        "publish listes.example.net's records first (its address, at web1's proxy; its MX, SPF and DMARC",
        "or keep `pic:mail.sympa_domain: listes.example.org`",
    ):
        assert words in sd.advice, (words, sd.advice)
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert f"\n!!! STATEFUL: {note}\n      what to do: {sd.advice}\n" in text, text
    assert f">>> sympa_domain: {note}" in text and "nothing stateful is deleted or replaced" not in text
    md = as_markdown(empty, attr_new, title="t", changes=[], attr_old=attr_old)
    assert (
        "#### :warning: Stateful: `pic:mail.sympa_domain` changes (listes.example.org → listes.example.net)\n\n"
        f"{note}.\n\nWhat to do: {sd.advice}.\n"
    ) in md, md
    # a forge drops what looks like an HTML tag outside code spans: every <list> and <domain> is in one
    assert not re.search(r"<(list|domain)>", re.sub(r"`[^`]*`", "", f"{note} {sd.advice}")), (note, sd.advice)
    data = as_json(empty, attr_new, meta={}, changes=[], attr_old=attr_old)["sympa_domain_changed"]
    assert data == {
        "from": "listes.example.org",
        "to": "listes.example.net",
        "mail_host": "web1",
        "list_domains": robots,
        "reports_moved": False,
        "reports_from": None,
        "reports_to": None,
        "old_taken_by": None,
        "new_was_of": None,
        "note": note,
        "advice": sd.advice,
    }
    # unchanged: nothing said
    same = _stack(tmp_path, "same", WEB2)
    assert review([], Attribution(empty, registry, same), attr_old).sympa_domain is None
    assert as_json(empty, attr_old, meta={}, changes=[], attr_old=attr_old)["sympa_domain_changed"] is None


def test_sympa_domain_changed_without_a_reports_mailbox_or_onto_a_members_list_domain_says_so(
    tmp_path: Path,
) -> None:
    """Without pic:mail.dmarc_reports, the DMARC reports' mailbox moves with the main domain: every list domain's
    DMARC record changes. A main domain that was a member's list domain reads that member's lists as its own (its
    list_data/<domain>/ exists): the plan says so rather than that those lists are left unserved, and says to pick
    another name; the former main domain given to a member is told too. The stack's CA is its own: a public one
    refuses a member's list domain under example.org (RFC 2606), as the former main domain is here."""
    no_reports = ("dmarc_reports: dmarc@example.org}", "}")
    internal = ("ca: letsencrypt", "ca: internal")
    before = _stack(tmp_path, "before", no_reports, internal)
    # a list domain under none of the members' sites (the main domain may not be under one)
    lister, own = (
        next(m for m in _plain_sites(load_registry(MEMBERS, before)) if m.status == "active"),
        "listes.example.net",
    )
    old_members, changed = tmp_path / "old-members", tmp_path / "members"
    shutil.copytree(MEMBERS, old_members)
    with (old_members / f"{lister.slug}.yaml").open("a", encoding="utf-8") as out:
        out.write(f"lists:\n  domain: {own}\n")
    registry = load_registry(old_members, before)
    after = _stack(
        tmp_path, "after", no_reports, internal, ("sympa_domain: listes.example.org", f"sympa_domain: {own}")
    )
    shutil.copytree(old_members, changed)
    _edited(changed / f"{lister.slug}.yaml", rf"(?m)^  domain: {re.escape(own)}$", "  domain: listes.example.org")
    empty = rendering()
    attr_old = Attribution(empty, registry, before)
    attr_new = Attribution(empty, load_registry(changed, after), after)
    r = review([], attr_new, attr_old)
    sd = r.sympa_domain
    assert sd is not None and (sd.reports_moved, sd.new_was_of, sd.old_taken_by) == (True, lister.slug, lister.slug)
    assert r.lists_left == [], "told with the main domain's change, not as lists left unserved"
    note = sd.note()
    assert (
        "the DMARC reports' mailbox (pic:mail.dmarc_reports, not set) moves from dmarc-reports@listes.example.org to "
        f"dmarc-reports@{own}, so the DMARC record of every list domain changes"
    ) in note, note
    assert (
        f"while Sympa reads the main domain's lists from list_data/{own}/, which holds the lists of {lister.slug} "
        f"({own} was its list domain): they become the platform's, with their subscribers"
    ) in note, note
    assert f"listes.example.org becomes {lister.slug}'s list domain" in note, note
    assert sd.advice.startswith("give Sympa's main domain a name that was no member's list domain"), sd.advice
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL


@pytest.mark.parametrize(
    ("reports_before", "reports_after", "setting"),
    [
        ("dmarc@example.org", None, "pic:mail.dmarc_reports, removed in this change"),
        (None, "dmarc@example.org", "pic:mail.dmarc_reports, set in this change"),
        ("dmarc@example.org", "rapports@example.org", "pic:mail.dmarc_reports, changed"),
    ],
)
def test_sympa_domain_changed_with_the_reports_mailbox_removed_added_or_changed_says_the_dmarc_records_change(
    tmp_path: Path, reports_before: str | None, reports_after: str | None, setting: str
) -> None:
    """pic:mail.dmarc_reports removed or set in the change of the main domain: the reports' mailbox moves (from the
    address written to dmarc-reports@<new domain>, or from dmarc-reports@<old domain> to the address), so every
    list domain's DMARC record changes, as when it is unset at both ends (was: said only then)."""

    def reports(mailbox: str | None) -> tuple[str, str]:
        return ("dmarc_reports: dmarc@example.org}", f"dmarc_reports: {mailbox}}}" if mailbox else "}")

    before = _stack(tmp_path, "before", reports(reports_before))
    after = _stack(tmp_path, "after", reports(reports_after), SYMPA)
    empty = rendering()
    attr_old = Attribution(empty, load_registry(MEMBERS, before), before)
    attr_new = Attribution(empty, load_registry(MEMBERS, after), after)
    sd = review([], attr_new, attr_old).sympa_domain
    assert sd is not None and sd.reports_moved
    was = reports_before or "dmarc-reports@listes.example.org"
    now = reports_after or "dmarc-reports@listes.example.net"
    assert (
        f"the DMARC reports' mailbox ({setting}) moves from {was} to {now}, so the DMARC record of every list "
        "domain changes"
    ) in sd.note(), sd.note()
    assert ", and the members their list domains' new DMARC record" in sd.advice
    data = as_json(empty, attr_new, meta={}, changes=[], attr_old=attr_old)["sympa_domain_changed"]
    assert (data["reports_moved"], data["reports_from"], data["reports_to"]) == (True, was, now)
    # the same mailbox at both ends (written alike): nothing said of the reports
    kept = _stack(tmp_path, "kept", SYMPA)
    sd = review([], Attribution(empty, load_registry(MEMBERS, kept), kept), attr_old).sympa_domain
    if reports_before is not None:
        assert sd is not None and not sd.reports_moved and "DMARC reports" not in sd.note()


def test_the_db_role_given_to_another_host_leaves_the_databases_behind(tmp_path: Path) -> None:
    """The db host replaced by another host at another address (db -> db2): every member's database is made anew,
    empty, on db2, and the data stays on db; the plan says so with what to do, exit 3 (was: only the databases'
    replacements, refused, with advice to keep them or unprotect them, nothing of the data left on db). The db host
    renamed at the same addresses is the same machine: told as a rename."""
    db = "db: {role: db, address: db.example.org, private_address: 10.0.0.10"
    before = _stack(tmp_path, "before", WEB2)
    registry = load_registry(MEMBERS, before)
    after = _stack(
        tmp_path, "after", WEB2, (db, "db2: {role: db, address: db2.example.org, private_address: 10.0.0.20")
    )
    empty = rendering()
    attr_old = Attribution(empty, registry, before)
    attr_new = Attribution(empty, load_registry(MEMBERS, after), after)
    [hm] = review([], attr_new, attr_old).host_moves
    assert (hm.what, hm.old, hm.new, hm.held, hm.renamed) == (
        "pic:hosts (role db)",
        "db",
        "db2",
        "every member's databases",
        False,
    )
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert (
        "!!! STATEFUL: pic:hosts (role db) db -> db2: every member's databases stay on db, and the program makes "
        "them anew, empty, on db2"
    ) in text, text
    assert "dump every member's database on db first" in text and "restore each dump there" in text, text
    md = as_markdown(empty, attr_new, title="t", changes=[], attr_old=attr_old)
    assert "#### :warning: Stateful: `pic:hosts` (role db) changes (db → db2)" in md, md
    [moved] = as_json(empty, attr_new, meta={}, changes=[], attr_old=attr_old)["hosts_moved"]
    assert (moved["setting"], moved["from"], moved["to"]) == ("pic:hosts (role db)", "db", "db2")
    # the same machine under another name: a rename, not a move of the data
    same = _stack(tmp_path, "same", WEB2, (db, db.replace("db:", "db9:", 1)))
    [hm] = review([], Attribution(empty, load_registry(MEMBERS, same), same), attr_old).host_moves
    assert (hm.what, hm.old, hm.new, hm.renamed) == ("pic:hosts", "db", "db9", True)


def test_one_address_written_otherwise_is_no_move(tmp_path: Path) -> None:
    """2001:db8::11 and 2001:db8:0:0:0:0:0:11 are one address: nothing stays behind."""
    mx = ("dkim_selector: pic,", "dkim_selector: pic, mx: mx.example.org,")
    v6 = _stack(tmp_path, "v6", mx, ("address: web1.example.org", "address: '2001:db8::11'"))
    longer = _stack(tmp_path, "longer", mx, ("address: web1.example.org", "address: '2001:db8:0:0:0:0:0:11'"))
    empty, registry = rendering(), load_registry(MEMBERS, v6)
    attr_old, attr_new = Attribution(empty, registry, v6), Attribution(empty, registry, longer)
    assert review([], attr_new, attr_old).host_moves == []


def test_the_members_root_at_the_revision_is_read_from_its_stack_file_when_its_settings_do_not_load(
    tmp_path: Path,
) -> None:
    (tmp_path / "Pulumi.prod.yaml").write_text("config:\n  pic:members_root: /data/members\n  pic:old: 1\n")
    assert _members_root(tmp_path, "prod") == "/data/members"
    (tmp_path / "Pulumi.prod.yaml").write_text("config:\n  pic:old: 1\n")
    assert _members_root(tmp_path, "prod") == Settings.model_fields["members_root"].default
    assert _members_root(tmp_path, "dev") == ""  # no stack file: unknown, nothing compared


# --- the command on this project --------------------------------------------------------------------


def test_a_changed_members_root_is_stateful_and_says_to_move_the_data_first(real_repo: Path) -> None:
    stack = real_repo / "Pulumi.prod.yaml"
    old_root = load_settings(real_repo, "prod").members_root
    new_root = f"{old_root}-moved"
    text, n = re.subn(r"(?m)^(  pic:members_root:) .*$", rf"\1 {new_root}", stack.read_text(encoding="utf-8"))
    assert n == 1
    stack.write_text(text, encoding="utf-8")  # not committed: the working tree against HEAD
    registry = load_registry(real_repo / "members", load_settings(real_repo, "prod"))
    text, md, data = plans(real_repo, EXIT_STATEFUL, "HEAD")
    assert "nothing stateful is deleted or replaced" not in text
    assert f"!!! STATEFUL: pic:members_root changes ({old_root} -> {new_root}): the data of {len(registry)}" in text
    for host in {m.host for m in registry}:
        line = next(x for x in text.splitlines() if x.startswith(f"!!!   {host}: "))
        assert set(line.split(": ", 1)[1].split(", ")) == {m.slug for m in registry if m.host == host}
    assert (
        f"rsync -aHAX {old_root}/<slug>/ {new_root}/<slug>/" in text and f"keep `pic:members_root: {old_root}`" in text
    )
    assert "never remove" not in text  # the two roots are apart: removing the old one removes no new space
    assert f">>> members_root: pic:members_root {old_root} -> {new_root}: each member's space" in text
    assert f"#### :warning: Stateful: `pic:members_root` changes (`{old_root}` → `{new_root}`)" in md
    assert "Nothing stateful is deleted or replaced." not in md
    # a forge drops what looks like an HTML tag outside code spans: every <slug> is in one
    assert "<slug>" not in re.sub(r"`[^`]*`", "", md), md
    moved = data["members_root_changed"]
    assert (moved["from"], moved["to"]) == (old_root, new_root) and "rsync -aHAX" in moved["advice"]
    assert sorted(s for slugs in moved["members"].values() for s in slugs) == sorted(m.slug for m in registry)


def test_a_changed_sympa_domain_is_stateful_in_every_format(real_repo: Path) -> None:
    """The real program with pic:mail.sympa_domain changed in the stack file: exit 3, the main domain's lists said
    to stay behind in text, markdown and json, beside the old domain's DKIM key removed."""
    edit(real_repo / "Pulumi.prod.yaml", *SYMPA)  # not committed: the working tree against HEAD
    text, md, data = plans(real_repo, EXIT_STATEFUL, "HEAD")
    assert "!!! STATEFUL: pic:mail.sympa_domain listes.example.org -> listes.example.net: Sympa's main" in text
    assert "`sympa move <list>@listes.example.org <list>@listes.example.net`" in text, text[-4000:]
    assert "#### :warning: Stateful: `pic:mail.sympa_domain` changes (listes.example.org → listes.example.net)" in md
    changed = data["sympa_domain_changed"]
    assert (changed["from"], changed["to"], changed["mail_host"]) == (
        "listes.example.org",
        "listes.example.net",
        "web1",
    )
    assert any(c["name"] == "sympa-dkim-listes.example.org" and c["kind"] == "remove" for c in data["changes"])


def test_the_db_role_given_to_another_host_is_stateful_beside_the_refused_databases(real_repo: Path) -> None:
    """The real program with the db host replaced by db2 at another address: the databases' replacements are
    refused (protected), and the plan says besides that their data stays on db, with the dump and restore."""
    edit(
        real_repo / "Pulumi.prod.yaml",
        "db: {role: db, address: db.example.org, private_address: 10.0.0.10",
        "db2: {role: db, address: db2.example.org, private_address: 10.0.0.20",
    )
    text, md, data = plans(real_repo, EXIT_STATEFUL, "HEAD")
    assert "!!! STATEFUL: pic:hosts (role db) db -> db2: every member's databases stay on db" in text, text[-4000:]
    assert "#### :warning: Stateful: `pic:hosts` (role db) changes (db → db2)" in md
    assert [(h["setting"], h["from"], h["to"]) for h in data["hosts_moved"]] == [("pic:hosts (role db)", "db", "db2")]
    assert data["refused"], "the databases' replacements, refused while protected, as before"


def test_a_member_file_renamed_with_another_uid_hands_its_domain_to_an_empty_space(real_repo: Path) -> None:
    """No uid is given to another slug, so no uid rule applies: the domain going to a new, empty space does."""
    registry = load_registry(real_repo / "members", load_settings(real_repo, "prod"))
    member = _plain_sites(registry)[0]
    new_slug, uid = f"{member.slug}-asso", _unused_uid(registry)
    git(real_repo, "mv", f"members/{member.slug}.yaml", f"members/{new_slug}.yaml")
    path = real_repo / "members" / f"{new_slug}.yaml"
    path.write_text(re.sub(r"(?m)^uid: *\d+", f"uid: {uid}", path.read_text(encoding="utf-8")), encoding="utf-8")
    text, md, data = plans(real_repo, EXIT_STATEFUL, "HEAD")
    domains = ", ".join(member.site.domains)  # type: ignore[union-attr]
    assert "nothing stateful is deleted or replaced" not in text
    assert re.search(rf"(?m)^{new_slug}: .*!!! STATEFUL: takes {re.escape(domains)} from {member.slug}", text)
    assert f"!!!   {domains}: {member.slug} (removed) -> {new_slug} (new)" in text
    line = next(x for x in text.splitlines() if x.startswith(">>> handed over: "))
    assert f"{member.slug} -> {new_slug}: " in line and "not carried over" in line
    assert f"looks like {member.slug}'s file renamed (the same association) with another uid ({member.uid} -> " in line
    assert f"`git mv members/{new_slug}.yaml members/{member.slug}.yaml`, `uid: {member.uid}`" in text
    assert "#### :warning: Stateful: domains go from one member to another" in md
    assert "Nothing stateful is deleted or replaced." not in md
    (handover,) = data["handed_over"]
    assert (handover["from"], handover["to"], handover["same_association"]) == (member.slug, new_slug, True)
    assert handover["domains"] == list(member.site.domains)  # type: ignore[union-attr]


def test_a_removed_members_domain_given_to_another_new_association_is_stateful(real_repo: Path) -> None:
    registry = load_registry(real_repo / "members", load_settings(real_repo, "prod"))
    member = _plain_sites(registry)[0]
    text = (real_repo / "members" / f"{member.slug}.yaml").read_text(encoding="utf-8")
    git(real_repo, "rm", "-q", f"members/{member.slug}.yaml")
    other = _another_association(text, _unused_uid(registry), "Nouvelle Association du Quartier")
    (real_repo / "members" / "nouvelle-asso.yaml").write_text(other, encoding="utf-8")
    commit(real_repo, f"{member.slug}'s domain to nouvelle-asso")
    text, md, data = plans(real_repo, EXIT_STATEFUL)
    domains = ", ".join(member.site.domains)  # type: ignore[union-attr]
    assert "nothing stateful is deleted or replaced" not in text
    assert f"!!!   {domains}: {member.slug} (removed) -> nouvelle-asso (new)" in text
    assert "#### :warning: Stateful: domains go from one member to another" in md
    line = next(x for x in text.splitlines() if x.startswith(">>> handed over: "))
    assert "new, empty space" in line and "renamed" not in line
    assert "if the domain really goes to another association, the data moves by hand" in text
    assert f"archive {member.slug} (`status: archived`)" in text
    (handover,) = data["handed_over"]
    assert (handover["from"], handover["to"], handover["same_association"]) == (member.slug, "nouvelle-asso", False)


def test_a_member_removed_and_an_unrelated_one_added_is_no_handover(real_repo: Path) -> None:
    registry = load_registry(real_repo / "members", load_settings(real_repo, "prod"))
    member = _plain_sites(registry)[0]
    git(real_repo, "rm", "-q", f"members/{member.slug}.yaml")
    other = NEW_ASSO.format(uid=_unused_uid(registry))  # no site, no lists: nothing of the removed member
    (real_repo / "members" / "nouvelle-asso.yaml").write_text(other, encoding="utf-8")
    text, md, data = plans(real_repo, EXIT_OK, "HEAD")  # removing a member without databases: nothing stateful
    assert data["handed_over"] == [] and data["members_root_changed"] is None
    assert ">>> handed over" not in text and "!!! STATEFUL" not in text
    assert "nothing stateful is deleted or replaced" in text
    assert "Stateful: domains" not in md


@pytest.mark.parametrize(("old", "new"), [("/srv/members", "/srv/members/v2"), ("/srv/members/v2", "/srv/members")])
def test_a_root_inside_the_other_is_never_to_be_removed_whole(old: str, new: str) -> None:
    """Removing the outer root would remove the inner one, and every member's copied space with it."""
    move = RootMove(old, new, (("web1", ("asso",)),))
    assert move.nested
    assert f"never remove {old} or {new} as a whole" in move.advice
    assert f"rsync -aHAX {old}/<slug>/ {new}/<slug>/" in move.advice


def test_a_databases_connection_charset_changed_is_stateful(tmp_path: Path) -> None:
    """database_charsets removed from a legacy latin1 base: the site reads and writes it in utf8mb4 (was: only
    the credentials' [secret] changed, exit 0)."""
    settings = load_settings(ROOT, "prod")
    old = load_registry(MEMBERS, settings)
    legacy = next(m for m in sorted(old, key=lambda m: m.slug) if m.spec.database_charsets)
    short, charset = next(iter(legacy.spec.database_charsets.items()))
    changed = tmp_path / "members"
    shutil.copytree(MEMBERS, changed)
    _edited(changed / f"{legacy.slug}.yaml", r"(?m)^database_charsets:\n(?:  .*\n)+", "")
    new = load_registry(changed, settings)
    empty = rendering()
    attr_old, attr_new = Attribution(empty, old, settings), Attribution(empty, new, settings)
    [cc] = review([], attr_new, attr_old).charset_changes
    name = f"{legacy.slug.replace('-', '_')}_{short}"
    assert (cc.member, cc.database, cc.old, cc.new) == (legacy.slug, name, charset, "utf8mb4")
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert f"!!! STATEFUL: {legacy.slug}: the connection charset of {name} changes {charset} -> utf8mb4" in text
    assert f"keep `database_charsets: {{{short}: {charset}}}`" in text
    assert review([], attr_old, Attribution(empty, load_registry(MEMBERS, settings), settings)).charset_changes == []
    # utf8 to utf8mb4 reads what utf8 stored unchanged: no change to warn of
    utf8 = tmp_path / "utf8"
    shutil.copytree(MEMBERS, utf8)
    _edited(utf8 / f"{legacy.slug}.yaml", rf"(?m)^  {short}: {charset}\b", f"  {short}: utf8")
    attr_utf8 = Attribution(empty, load_registry(utf8, settings), settings)
    assert review([], attr_new, attr_utf8).charset_changes == []
    # ascii is a part of every charset a member may choose: from ascii, none warns (was: only to utf8 and latin1);
    # between two others, it does
    for before, after, warned in (("ascii", "latin2", False), ("ascii", "koi8r", False), ("latin1", "latin2", True)):
        files = {}
        for name_, chosen in ((f"{before}-{after}-old", before), (f"{before}-{after}-new", after)):
            files[name_] = tmp_path / name_
            shutil.copytree(MEMBERS, files[name_])
            _edited(files[name_] / f"{legacy.slug}.yaml", rf"(?m)^  {short}: {charset}\b", f"  {short}: {chosen}")
        a_old, a_new = (Attribution(empty, load_registry(f, settings), settings) for f in files.values())
        assert bool(review([], a_new, a_old).charset_changes) is warned, (before, after)


def test_a_retention_lowered_deletes_the_members_dumps_and_is_stateful(tmp_path: Path) -> None:
    """keep_days 7 -> 1: the next nightly run deletes six days of every member's dumps (was: exit 0)."""
    before = _stack(tmp_path, "before")
    after = _stack(tmp_path, "after", ("keep_days: 7", "keep_days: 1"))
    registry = load_registry(MEMBERS, before)
    empty = rendering()
    attr_old, attr_new = Attribution(empty, registry, before), Attribution(empty, registry, after)
    [rc] = review([], attr_new, attr_old).retention_cuts
    assert (rc.setting, rc.old, rc.new) == ("pic:backup.keep_days", 7, 1)
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert "!!! STATEFUL: pic:backup.keep_days 7 -> 1: the next run deletes every member's nightly dumps older " in text
    assert "than 1 day\n" in text
    longer = _stack(tmp_path, "longer", ("keep_days: 7", "keep_days: 14"))
    assert review([], Attribution(empty, registry, longer), attr_old).retention_cuts == []


def test_a_retention_lowered_with_the_repository_written_in_restics_other_form_is_still_told(tmp_path: Path) -> None:
    """sftp:u@h:/p and sftp://u@h//p are one repository: its retention lowered is no new repository's."""
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    backup = 'pic:backup: {time: "03:15", keep_days: 7}'

    def offsite(repository: str, daily: int) -> tuple[str, str]:
        known = f"known_hosts: '{sftp_target(repository).host} {key}'"  # type: ignore[union-attr]
        return backup, f"{backup[:-1]}, offsite: {{repository: '{repository}', {known}, keep_daily: {daily}}}}}"

    before = _stack(tmp_path, "before", offsite("sftp:restic@backup.example.net:/srv/restic/pic", 14))
    after = _stack(tmp_path, "after", offsite("sftp://restic@backup.example.net//srv/restic/pic", 3))
    registry, empty = load_registry(MEMBERS, before), rendering()
    cuts = review([], Attribution(empty, registry, after), Attribution(empty, registry, before)).retention_cuts
    assert [(rc.setting, rc.old, rc.new) for rc in cuts] == [("pic:backup.offsite.keep_daily", 14, 3)]
    other = _stack(tmp_path, "other", offsite("sftp://restic@vault.example.net//srv/restic/pic", 3))
    assert review([], Attribution(empty, registry, other), Attribution(empty, registry, before)).retention_cuts == []


def test_a_host_at_another_address_with_its_private_address_kept_is_told_as_likely_the_same_machine(
    tmp_path: Path,
) -> None:
    """web1 reached under another public address, its private address kept: most likely the same machine, said so
    with how to check, still for the reviewer to confirm (exit 3); was: "the program makes them anew, empty" as a
    fact. A member that leaves web1 in the same plan is a move, not listed among what web1 holds."""
    before = _stack(tmp_path, "before", WEB2)
    registry = load_registry(MEMBERS, before)
    renumbered = _stack(tmp_path, "renumbered", WEB2, ("address: web1.example.org,", "address: web1.example.net,"))
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    on_web1 = sorted(m.slug for m in registry if m.host == "web1")
    leaving = on_web1[-1]
    path = members / f"{leaving}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^host: web1$", "host: web2", text) if "host: web1" in text else f"{text}host: web2\n")
    empty = rendering()
    attr_old = Attribution(empty, registry, before)
    attr_new = Attribution(empty, load_registry(members, renumbered), renumbered)
    [hm] = review([], attr_new, attr_old).host_moves
    assert (hm.what, hm.old, hm.new, hm.private_kept) == (
        "pic:hosts.web1.address", "web1.example.org", "web1.example.net", "10.0.0.11"
    )  # fmt: skip
    assert leaving not in hm.held and ", ".join(on_web1[:-1]) in hm.held, hm.held
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert (
        "pic:hosts.web1.address web1.example.org -> web1.example.net, its private address 10.0.0.11 kept: most "
        "likely the same machine reached under another name or public address, where nothing moves; but if "
        "web1.example.net is another machine that took over 10.0.0.11," in text
    ), text
    assert "check that web1.example.net is the machine web1.example.org was" in text, text
    data = as_json(empty, attr_new, meta={}, changes=[], attr_old=attr_old)
    assert [h["private_address_kept"] for h in data["hosts_moved"]] == ["10.0.0.11"]
    # another private address too: told as another machine, as before
    elsewhere = _stack(
        tmp_path, "elsewhere", WEB2, ("address: web1.example.org, private_address: 10.0.0.11",
                                      "address: web1.example.net, private_address: 10.0.0.21"),
    )  # fmt: skip
    [hm] = review([], Attribution(empty, registry, elsewhere), attr_old).host_moves
    assert hm.private_kept == "" and "most likely the same machine" not in hm.note()
    assert hm.note().endswith("the program makes them anew, empty, on web1.example.net"), hm.note()


S3_BEFORE, S3_AFTER = "s3:https://s3.example.net/pic-backup/prod", "s3:https://s3.example.org/asso-vault/pic"
BACKUP = 'pic:backup: {time: "03:15", keep_days: 7}'


def _offsite(repository: str) -> tuple[str, str]:
    return BACKUP, f"{BACKUP[:-1]}, offsite: {{repository: '{repository}'}}}}"


def test_the_offsite_repository_changed_leaves_the_snapshots_behind_and_says_how_to_copy_them(
    tmp_path: Path,
) -> None:
    """pic:backup.offsite.repository changed: the snapshots made so far stay in the former repository, which
    pic-offsite-restore, the drill and the retention no longer touch, and the next night uploads everything anew.
    Exit 3 as a retention lowered (fewer snapshots restorable) and the lists left (data where the platform no
    longer reaches it), with restic copy, the former credentials and its deletion by hand (was: exit 0, "nothing
    stateful is deleted or replaced")."""
    before = _stack(tmp_path, "before", WEB2, _offsite(S3_BEFORE))
    after = _stack(tmp_path, "after", WEB2, _offsite(S3_AFTER))
    registry, empty = load_registry(MEMBERS, before), rendering()
    attr_old, attr_new = Attribution(empty, registry, before), Attribution(empty, registry, after)
    r = review([], attr_new, attr_old)
    oc = r.offsite_repository
    assert oc is not None and (oc.old, oc.new, oc.hosts) == (S3_BEFORE, S3_AFTER, ("db", "web1", "web2"))
    assert r.retention_cuts == [], "a new repository's retention cuts nothing of the former one"
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL
    note = oc.note()
    for words in (
        f"pic:backup.offsite.repository {S3_BEFORE} -> {S3_AFTER}: the snapshots made so far (db, web1, web2: the "
        f"members' www/, priv/ and db/, and each host's own state) stay in {S3_BEFORE}, which nothing of the "
        "platform uses any more",
        f"`pic-offsite-restore` lists and restores only what {S3_AFTER} holds",
        f"the nightly retention (forget --prune) and check no longer touch {S3_BEFORE}",
        f"the next night's run makes {S3_AFTER} (unless a repository is there already, taken as found) and uploads "
        "every host's data in full",
    ):
        assert words in note, (words, note)
    for words in (
        f"`restic init --repo {S3_AFTER} --from-repo {S3_BEFORE} --copy-chunker-params`",
        f"`restic copy --repo {S3_AFTER} --from-repo {S3_BEFORE}`",
        "keep the former repository's credentials (the repository password, and its ssh key or S3 keys) outside "
        "the platform",
        f"delete {S3_BEFORE} by hand once it is no longer needed (nothing of the platform does)",
        f"or keep `pic:backup.offsite.repository: {S3_BEFORE}`",
    ):
        assert words in oc.advice, (words, oc.advice)
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert f"\n!!! STATEFUL: {note}\n      what to do: {oc.advice}\n" in text, text
    assert f">>> offsite: {note}" in text and "nothing stateful is deleted or replaced" not in text
    md = as_markdown(empty, attr_new, title="t", changes=[], attr_old=attr_old)
    assert (
        f"#### :warning: Stateful: `pic:backup.offsite.repository` changes (`{S3_BEFORE}` → `{S3_AFTER}`)\n\n"
        f"{note}.\n\nWhat to do: {oc.advice}.\n"
    ) in md, md
    assert "Nothing stateful is deleted or replaced." not in md
    data = as_json(empty, attr_new, meta={}, changes=[], attr_old=attr_old)["offsite_repository_changed"]
    assert data == {
        "from": S3_BEFORE,
        "to": S3_AFTER,
        "hosts": ["db", "web1", "web2"],
        "note": note,
        "advice": oc.advice,
    }
    # the same repository, or the off-site backup added: nothing said
    unchanged = Attribution(empty, registry, _stack(tmp_path, "same", WEB2, _offsite(S3_BEFORE)))
    assert review([], unchanged, attr_old).offsite_repository is None
    assert as_json(empty, unchanged, meta={}, changes=[], attr_old=attr_old)["offsite_repository_changed"] is None
    added = Attribution(empty, registry, before)
    assert review([], added, Attribution(empty, registry, _stack(tmp_path, "off", WEB2))).offsite_repository is None


def test_an_offsite_repository_written_in_restics_other_form_is_no_new_repository(tmp_path: Path) -> None:
    """sftp:u@h:/p and sftp://u@h//p are one repository: nothing is left behind."""
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"

    def offsite(repository: str) -> tuple[str, str]:
        known = f"known_hosts: '{sftp_target(repository).host} {key}'"  # type: ignore[union-attr]
        return BACKUP, f"{BACKUP[:-1]}, offsite: {{repository: '{repository}', {known}}}}}"

    before = _stack(tmp_path, "before", offsite("sftp:restic@backup.example.net:/srv/restic/pic"))
    same = _stack(tmp_path, "same", offsite("sftp://restic@backup.example.net//srv/restic/pic"))
    other = _stack(tmp_path, "other", offsite("sftp://restic@backup.example.net//srv/restic/pic2"))
    registry, empty = load_registry(MEMBERS, before), rendering()
    attr_old = Attribution(empty, registry, before)
    assert review([], Attribution(empty, registry, same), attr_old).offsite_repository is None
    oc = review([], Attribution(empty, registry, other), attr_old).offsite_repository
    assert oc is not None and oc.new == "sftp://restic@backup.example.net//srv/restic/pic2"


def test_a_changed_offsite_repository_is_stateful_in_every_format(real_repo: Path) -> None:
    """The real program with pic:backup.offsite.repository changed in the stack file: exit 3, the snapshots said
    to stay in the former repository, in text, markdown and json."""
    edit(real_repo / "Pulumi.prod.yaml", *_offsite(S3_BEFORE))
    commit(real_repo, "off-site backups")
    edit(real_repo / "Pulumi.prod.yaml", S3_BEFORE, S3_AFTER)  # not committed: the working tree against HEAD
    text, md, data = plans(real_repo, EXIT_STATEFUL, "HEAD")
    assert f"!!! STATEFUL: pic:backup.offsite.repository {S3_BEFORE} -> {S3_AFTER}: the snapshots made so far" in text
    assert f"`restic copy --repo {S3_AFTER} --from-repo {S3_BEFORE}`" in text, text[-4000:]
    assert "nothing stateful is deleted or replaced" not in text
    assert f"#### :warning: Stateful: `pic:backup.offsite.repository` changes (`{S3_BEFORE}` → `{S3_AFTER}`)" in md
    changed = data["offsite_repository_changed"]
    assert (changed["from"], changed["to"], changed["hosts"]) == (S3_BEFORE, S3_AFTER, ["db", "web1"])
    assert data["stateful_changes"] == [], "no resource holding data is deleted or replaced: the repository is"


def test_the_offsite_backup_removed_says_the_timers_stay_and_how_to_stop_them(tmp_path: Path) -> None:
    """pic:backup.offsite removed (the key, or the whole pic:backup): pulumi up removes nothing from the hosts (the
    component's commands have no delete step), so their timers go on backing up with the last settings, which
    nothing updates; the repository is not deleted. Exit 3 as the repository changed (was: nothing said, exit 0)."""
    before = _stack(tmp_path, "before", WEB2, _offsite(S3_BEFORE))
    registry, empty = load_registry(MEMBERS, before), rendering()
    attr_old = Attribution(empty, registry, before)
    for name, edits in (("key", (WEB2,)), ("block", (WEB2, (f"  {BACKUP}\n", "")))):
        after = _stack(tmp_path, name, *edits)
        assert after.backup.offsite is None, name
        attr_new = Attribution(empty, registry, after)
        r = review([], attr_new, attr_old)
        off = r.offsite_removed
        assert off is not None and (off.repository, off.hosts) == (S3_BEFORE, ("db", "web1", "web2")), name
        assert r.offsite_repository is None and r.retention_cuts == []
        assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL, name
    assert off is not None
    note, advice = off.note(), off.advice
    for words in (
        f"pic:backup.offsite removed (the repository {S3_BEFORE}): the off-site backup leaves the program, but "
        "`pulumi up` removes nothing it placed on the hosts",
        "on db, web1, web2, pic-offsite-backup.timer and pic-offsite-drill.timer stay enabled, so every night each "
        f"host still backs up to {S3_BEFORE}",
        "a host added later gets no off-site backup",
        f"the snapshots in {S3_BEFORE} are not deleted",
    ):
        assert words in note, (words, note)
    for words in (
        "`systemctl disable --now pic-offsite-backup.timer pic-offsite-drill.timer`",
        f"`restic --repo {S3_BEFORE} snapshots`",
        "`rm -f /etc/pic/offsite-password /etc/pic/offsite-ssh-key /etc/pic/offsite.env`",
        f"delete {S3_BEFORE} by hand once it is no longer needed",
        "or keep `pic:backup.offsite`",
    ):
        assert words in advice, (words, advice)
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert f"\n!!! STATEFUL: {note}\n      what to do: {advice}\n" in text, text
    assert f">>> offsite: {note}" in text and "nothing stateful is deleted or replaced" not in text
    md = as_markdown(empty, attr_new, title="t", changes=[], attr_old=attr_old)
    assert (
        f"#### :warning: Stateful: `pic:backup.offsite` removed (`{S3_BEFORE}`)\n\n{note}.\n\nWhat to do: {advice}.\n"
    ) in md, md
    data = as_json(empty, attr_new, meta={}, changes=[], attr_old=attr_old)
    assert data["offsite_removed"] == {
        "repository": S3_BEFORE,
        "hosts": ["db", "web1", "web2"],
        "note": note,
        "advice": advice,
    }
    assert data["offsite_repository_changed"] is None
    # kept, or added: nothing said
    kept = Attribution(empty, registry, _stack(tmp_path, "kept", WEB2, _offsite(S3_BEFORE)))
    assert review([], kept, attr_old).offsite_removed is None
    assert as_json(empty, kept, meta={}, changes=[], attr_old=attr_old)["offsite_removed"] is None
    none = Attribution(empty, registry, _stack(tmp_path, "none", WEB2))
    assert review([], attr_old, none).offsite_removed is None


def test_the_offsite_backup_removed_in_the_stack_file_is_stateful_in_every_format(real_repo: Path) -> None:
    """The real program with pic:backup.offsite removed from the stack file: its commands removed (nothing run on
    the hosts), and the plan says the timers stay, exit 3."""
    edit(real_repo / "Pulumi.prod.yaml", *_offsite(S3_BEFORE))
    commit(real_repo, "off-site backups")
    edit(real_repo / "Pulumi.prod.yaml", _offsite(S3_BEFORE)[1], BACKUP)  # not committed: against HEAD
    text, md, data = plans(real_repo, EXIT_STATEFUL, "HEAD")
    assert f"!!! STATEFUL: pic:backup.offsite removed (the repository {S3_BEFORE}): the off-site backup" in text
    assert "`systemctl disable --now pic-offsite-backup.timer pic-offsite-drill.timer`" in text, text[-4000:]
    assert f"#### :warning: Stateful: `pic:backup.offsite` removed (`{S3_BEFORE}`)" in md
    removed = data["offsite_removed"]
    assert (removed["repository"], removed["hosts"]) == (S3_BEFORE, ["db", "web1"])
    assert {c["kind"] for c in data["changes"] if "-offsite" in c["name"]} == {"remove"}


def test_a_charset_narrowed_says_which_characters_are_lost_not_accents_garbled() -> None:
    """utf8mb4 to utf8 (three bytes) reads every accent as before: only the characters of four bytes (emoji, rarer
    signs) are lost, read as '?'; to ascii every character beyond ASCII is. The plan said "accents garbled" of
    both, and to convert the text "to utf8 first"; now it says what is lost, and an accent garbled only where a
    byte is read as another character (latin1 <-> utf8mb4, latin1 -> latin2)."""
    narrowed = CharsetChange("asso", "asso_main", "main", "utf8mb4", "utf8")
    assert "accents garbled" not in narrowed.note(), narrowed.note()
    assert (
        "utf8 holds no character of four bytes: those stored through utf8mb4 (emoji, rarer signs) are read as '?'"
        in narrowed.note()
    ), narrowed.note()
    assert "to utf8 first" not in narrowed.advice, narrowed.advice
    assert narrowed.advice.endswith("or keep `database_charsets: {main: utf8mb4}`"), narrowed.advice
    for old in ("latin1", "utf8", "utf8mb4", "cp1251"):
        ascii_ = CharsetChange("asso", "asso_main", "main", old, "ascii")
        assert "accents garbled" not in ascii_.note(), ascii_.note()
        assert f"ascii holds no character beyond ASCII: those stored through {old} (accents" in ascii_.note()
    for old, new in (("latin1", "utf8mb4"), ("utf8mb4", "latin1"), ("latin1", "latin2"), ("utf8", "latin1")):
        assert "(accents garbled)" in CharsetChange("asso", "asso_main", "main", old, new).note(), (old, new)


def test_a_member_moved_and_archived_or_suspended_in_one_change_is_told_where_that_holds(tmp_path: Path) -> None:
    """velo-cite moved to web2 and archived (or suspended) in one change: the move's advice said, as for any move,
    "its keys and jobs stay live on web1 until then", as if it stayed active, and "switch DNS" for a site no longer
    served. The new status is applied on web2 only (its account made locked there): on web1 the account and keys
    of an active member stay live until retired, so the advice says that and to retire it right after `pulumi up`
    (or to change its status where it is first); an archived site has no DNS to switch. A member already
    suspended or archived before has its account locked on web1 already: nothing is live there."""
    settings = _stack(tmp_path, "stack", WEB2)
    for before, after in (("active", "archived"), ("active", "suspended"), ("suspended", "archived")):
        old_members, new_members = tmp_path / f"old-{before}-{after}", tmp_path / f"new-{before}-{after}"
        shutil.copytree(MEMBERS, old_members)
        shutil.copytree(MEMBERS, new_members)
        if before != "active":
            _edited(old_members / "velo-cite.yaml", r"(?m)^host: web1$", f"host: web1\nstatus: {before}")
        _edited(new_members / "velo-cite.yaml", r"(?m)^host: web1$", f"host: web2\nstatus: {after}")
        empty = rendering()
        attr_old = Attribution(empty, load_registry(old_members, settings), settings)
        attr_new = Attribution(empty, load_registry(new_members, settings), settings)
        r = review([], attr_new, attr_old)
        assert r.moves == {"velo-cite": ("web1", "web2")}, r.moves
        advice = r.move_advice("velo-cite")
        case = (before, after, advice)
        assert "`pic move-script velo-cite --to web2`" in advice, case
        assert "`pic move-script velo-cite --retire-from web1`" in advice, case
        assert f"velo-cite is {after} on web2 only" in advice, case
        if before == "active":
            assert "its account and keys stay live until it is retired: it still logs in there" in advice, case
            assert (
                f"or set `status: {after}` with `host: web1` kept first, and move it in a change of its own" in advice
            )
        else:
            assert f"its account there is locked already ({before})" in advice, case
            assert "stay live" not in advice and "logs in" not in advice, case
        assert ("switch DNS" in advice) is (after != "archived"), case
        assert "keys and jobs stay live until then" not in advice, case

"""pic plan: a setting changed whose value is in DNS records published outside ``pulumi up``.

The DMARC reports' mailbox (every list domain's ``rua=`` and the reports' authorization of RFC 7489 §7.1), the
mail exchanger (every list domain's MX and SPF), a DMARC policy (``pic:mail.dmarc``, a member's ``lists.dmarc``)
and the name servers of the platform's zones or their addresses (each zone's delegation): each change names the
records before and after, who publishes them (the admins, the member, or ``pulumi up`` in a zone of the platform:
REV's zones for the former record, the working tree's for the new one) and what to do, as a warning: the exit
status stays. On the settings and registry directly, then by the command on a throw-away git repository.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from pic.plan.command import EXIT_MOVE, EXIT_OK, EXIT_STATEFUL, exit_status
from pic.plan.markdown import prose
from pic.plan.model import Attribution
from pic.plan.output import as_json, as_markdown, as_text, review
from pic.plan.records import DnsRecordsChange, RecordChange, sentence_start
from pic.registry import load_registry
from pic.render.dns import Record, address_records, nameservers
from pic.settings import Settings, load_settings
from tests.conftest import MEMBERS, ROOT
from tests.test_plan import git, rendering
from tests.test_plan_data_left import WEB2, _stack
from tests.test_plan_refused import edit, plans

REPORTS = ("dmarc_reports: dmarc@example.org", "dmarc_reports: rapports@example.net")
MX = ("dkim_selector: pic,", "dkim_selector: pic, mx: mx.example.org,")
POLICY = ("dkim_selector: pic,", "dkim_selector: pic, dmarc: quarantine,")
ZONE = (
    "pic:members_root:",
    "pic:dns: {backend: zonefile, zones: [example.org], listen: [192.0.2.53]}\n  pic:members_root:",
)


def _dmarc(policy: str, reports: str) -> str:
    return f"v=DMARC1; p={policy}; rua=mailto:{reports}; adkim=r; aspf=r"


def _changes(
    before: Settings, after: Settings, members: Path = MEMBERS, members_before: Path = MEMBERS
) -> tuple[Attribution, Attribution]:
    empty = rendering()
    return (
        Attribution(empty, load_registry(members_before, before), before),
        Attribution(empty, load_registry(members, after), after),
    )


def _only(attr_old: Attribution, attr_new: Attribution, kind: str) -> DnsRecordsChange:
    found = [c for c in review([], attr_new, attr_old).dns_records if c.kind == kind]
    assert len(found) == 1, found
    return found[0]


def _told(attr_old: Attribution, attr_new: Attribution, change: DnsRecordsChange) -> None:
    """The section in every format, as a warning: the exit status unchanged, nothing said to be stateful."""
    empty = rendering()
    note = change.note()
    text = as_text(empty, attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert f"\n>>> dns records: {note}\n      what to do: {change.advice}\n" in text, text
    md = as_markdown(empty, attr_new, title="t", changes=[], attr_old=attr_old)
    # escaped as Markdown: a value's brackets, stars or HTML read as nothing else (pic.plan.markdown)
    assert f"#### :warning: {prose(change.heading)}\n\n{prose(note)}.\n\nWhat to do: {prose(change.advice)}.\n" in md
    # a heading's code spans hold values (a setting's name), not phrases ("`the web host of velo-cite` changes")
    phrases = [setting for setting, _, _ in change.parts if re.search(r"\s", setting)]
    assert not [setting for setting in phrases if f"`{setting}`" in change.heading], change.heading
    if change.kind != "zone_addresses":
        assert change.heading == f"{change.title}: DNS records to publish", change.heading
    # a forge drops what looks like an HTML tag outside code spans
    assert not re.search(r"<[a-z]", re.sub(r"`[^`]*`", "", f"{note} {change.advice}")), (note, change.advice)
    data = as_json(empty, attr_new, meta={}, changes=[], attr_old=attr_old)["dns_records_changed"]
    told = [d for d in data if d["setting"] == change.setting]
    assert len(told) == 1 and told[0]["note"] == note and told[0]["advice"] == change.advice, data
    assert len(told[0]["records"]) == len(change.records)


def test_the_dmarc_reports_mailbox_changed_alone_names_every_dmarc_record_and_authorization(tmp_path: Path) -> None:
    """pic:mail.dmarc_reports changed, Sympa's domain kept: every list domain's DMARC record (rua=) and the reports'
    authorization (<domain>._report._dmarc.<reports domain>) change, each told with who publishes it; a warning
    (was: not a word, "nothing stateful is deleted or replaced")."""
    attr_old, attr_new = _changes(_stack(tmp_path, "before"), _stack(tmp_path, "after", REPORTS))
    change = _only(attr_old, attr_new, "reports")
    assert (change.setting, change.old, change.new) == (
        "pic:mail.dmarc_reports",
        "dmarc@example.org",
        "rapports@example.net",
    )
    got = {
        (rc.kind, rc.before.name if rc.before else None, rc.after.name if rc.after else None): rc
        for rc in change.records
    }
    main = got["DMARC", "_dmarc.listes.example.org", "_dmarc.listes.example.org"]
    assert main.before == Record("_dmarc.listes.example.org", "TXT", _dmarc("none", "dmarc@example.org"))
    assert main.after == Record("_dmarc.listes.example.org", "TXT", _dmarc("none", "rapports@example.net"))
    assert (main.holder, main.zone) == ("", "")
    member = got["DMARC", "_dmarc.listes.amis-du-rhone.org", "_dmarc.listes.amis-du-rhone.org"]
    assert member.after is not None and member.after.value == _dmarc("quarantine", "rapports@example.net")
    assert (member.holder, member.holder_before) == ("amis-du-rhone", "amis-du-rhone")
    authorization = "DMARC report authorization"
    # listes.example.org is under example.org, whose mailbox needed no authorization: example.net's does
    assert (authorization, None, "listes.example.org._report._dmarc.example.net") in got
    for domain in ("listes.amis-du-rhone.org", "listes.chorale-saint-jean.fr"):
        added = got[authorization, None, f"{domain}._report._dmarc.example.net"]
        removed = got[authorization, f"{domain}._report._dmarc.example.org", None]
        assert (added.holder, removed.holder_before) == ("", ""), "the reports' domain is the admins'"
    note = change.note()
    for words in (
        "pic:mail.dmarc_reports dmarc@example.org -> rapports@example.net: the DMARC reports' mailbox changes from "
        "dmarc@example.org to rapports@example.net, and with it the DMARC record (`rua=`) of every list domain",
        'by the admins: publish `_dmarc.listes.example.org TXT "v=DMARC1; p=none; rua=mailto:rapports@example.net; '
        'adkim=r; aspf=r"` in place of `"v=DMARC1; p=none; rua=mailto:dmarc@example.org; adkim=r; aspf=r"`',
        'publish `listes.amis-du-rhone.org._report._dmarc.example.net TXT "v=DMARC1"`',
        'remove `listes.amis-du-rhone.org._report._dmarc.example.org TXT "v=DMARC1"`',
        'by amis-du-rhone, in its own zone: publish `_dmarc.listes.amis-du-rhone.org TXT "v=DMARC1; p=quarantine; '
        'rua=mailto:rapports@example.net; adkim=r; aspf=r"`',
        "by chorale-saint-jean, in its own zone: publish `_dmarc.listes.chorale-saint-jean.fr TXT",
        "until a domain's new DMARC record is published, its reports go on to dmarc@example.org, and until its new "
        "authorization is, receivers drop its reports for rapports@example.net",
    ):
        assert words in note, (words, note)
    for words in (
        "have the new authorization records published first",
        "have the new DMARC records published before `pulumi up`",
        'send each member its own (README "What a member with its own list domain must publish")',
        "`pic dns check`, run on this change (it reads the working tree's settings), says which are still missing",
        "`pulumi stack output mail_dns_records --json > records.json` and `pic dns check --expected records.json` "
        "once `pulumi up` is run (a regular file: --expected refuses a pipe)",
        "remove the former authorization records a few days after",
        "or keep `pic:mail.dmarc_reports: dmarc@example.org`",
    ):
        assert words in change.advice, (words, change.advice)
    r = review([], attr_new, attr_old)
    assert not r.data_left_behind and r.sympa_domain is None and exit_status([], attr_new, attr_old) == EXIT_OK
    _told(attr_old, attr_new, change)
    data = as_json(rendering(), attr_new, meta={}, changes=[], attr_old=attr_old)["dns_records_changed"][0]
    assert (data["mailbox_before"], data["mailbox"]) == ("dmarc@example.org", "rapports@example.net")
    assert {
        "domain": "listes.amis-du-rhone.org",
        "kind": "DMARC",
        "type": "TXT",
        "name": "_dmarc.listes.amis-du-rhone.org",
        "value": _dmarc("quarantine", "rapports@example.net"),
        "name_before": "_dmarc.listes.amis-du-rhone.org",
        "value_before": _dmarc("quarantine", "dmarc@example.org"),
        "zone": None,
        "zone_before": None,
        "published_by": "amis-du-rhone",
        "published_by_before": "amis-du-rhone",
        "where": None,
        "zone_added": None,
        "published_until_delegated": None,
    } in data["records"]
    # the same mailbox written in another case is none
    same = _stack(tmp_path, "same", ("dmarc_reports: dmarc@example.org", "dmarc_reports: DMARC@example.org"))
    assert review([], _changes(_stack(tmp_path, "b2"), same)[1], attr_old).dns_records == []


def test_the_dmarc_reports_mailbox_in_the_platforms_zone_is_written_by_pulumi_up(tmp_path: Path) -> None:
    """Sympa's main domain and the former reports' domain in the platform's zone: their records are written (and
    the former authorizations dropped) by pulumi up itself; the new reports' domain's are the admins'."""
    attr_old, attr_new = _changes(_stack(tmp_path, "before", ZONE), _stack(tmp_path, "after", ZONE, REPORTS))
    change = _only(attr_old, attr_new, "reports")
    note = change.note()
    assert (
        "by `pulumi up`, in the platform's zone example.org: writes `_dmarc.listes.example.org TXT \"v=DMARC1; p=none; "
        'rua=mailto:rapports@example.net; adkim=r; aspf=r"` in place of'
    ) in note, note
    assert 'drops `listes.amis-du-rhone.org._report._dmarc.example.org TXT "v=DMARC1"`' in note, note
    assert 'by the admins: publish `listes.example.org._report._dmarc.example.net TXT "v=DMARC1"`' in note, note
    assert "`pulumi up` writes those of the platform's zones" in change.advice, change.advice
    # the former authorizations go from the zone at pulumi up, not days later: the advice says so, and runs pulumi up
    # once the members' DMARC records published by hand have left the caches
    assert (
        "`pulumi up` drops the former authorizations of listes.amis-du-rhone.org, listes.chorale-saint-jean.fr from "
        "the platform's zone example.org at once, not days later: from then, receivers drop the reports addressed to "
        "dmarc@example.org"
    ) in note, note
    assert "a few days after" not in change.advice, change.advice
    assert (
        "have the new DMARC records published before `pulumi up`, and run it once an hour (their TTL, 3600 s) has "
        "passed"
    ) in change.advice, change.advice
    assert (
        "the former authorization records go at `pulumi up` itself, from the platform's zone example.org"
        in change.advice
    )
    assert exit_status([], attr_new, attr_old) == EXIT_OK
    _told(attr_old, attr_new, change)
    # the reports' domain and a list domain both in the platform's zones: its DMARC record and the former
    # authorization change in the same step, which no order of the steps spares
    zones = ("zones: [example.org]", "zones: [example.org, amis-du-rhone.net]")
    members = _lists_in_its_own_zone(tmp_path)
    attr_old, attr_new = _changes(
        _stack(tmp_path, "b-both", ZONE, zones), _stack(tmp_path, "a-both", ZONE, zones, REPORTS), members, members
    )
    note = _only(attr_old, attr_new, "reports").note()
    assert (
        "(listes.amis-du-rhone.net: `pulumi up` changes its DMARC record in the same step, so a receiver holding the "
        "former record meanwhile sends reports that are dropped; no order of the steps keeps them)"
    ) in note, note


def test_the_dmarc_reports_mailbox_moved_to_or_from_an_alias_at_a_list_domain_says_when_reports_are_refused(
    tmp_path: Path,
) -> None:
    """A mailbox at a list domain is an alias to the admins in Postfix's virtual map, made and removed by pulumi up:
    reports sent to the former one after it, or to the new one before it, are refused; the steps follow that."""
    default = (", dmarc_reports: dmarc@example.org", "")
    with_mailbox, without = _stack(tmp_path, "set"), _stack(tmp_path, "default", default)
    attr_set, attr_default = _changes(with_mailbox, without)
    # set -> removed: the default mailbox dmarc-reports@listes.example.org becomes an alias
    removed = _only(attr_set, attr_default, "reports")
    assert (removed.setting, removed.old, removed.new) == (
        "pic:mail.dmarc_reports",
        "dmarc@example.org",
        "(not set: `dmarc-reports@<sympa_domain>`, dmarc-reports@listes.example.org)",
    )
    assert (
        "dmarc-reports@listes.example.org becomes such an alias at `pulumi up`: reports sent there before it are"
        in removed.note()
    )
    assert removed.advice.split("; ")[1].startswith(
        "run `pulumi up` first, which makes dmarc-reports@listes.example.org an alias, then have the new DMARC records"
    ), removed.advice
    assert "or keep `pic:mail.dmarc_reports: dmarc@example.org`" in removed.advice
    # removed -> set: the alias goes at pulumi up
    attr_default_old, attr_set_new = _changes(without, with_mailbox)
    added = _only(attr_default_old, attr_set_new, "reports")
    assert (
        "dmarc-reports@listes.example.org is an alias to the admins in Postfix's virtual map (a mailbox at a list "
        "domain), which `pulumi up` removes: the reports still sent there after it"
    ) in added.note(), added.note()
    assert "and run it once an hour (their TTL, 3600 s) has passed" in added.advice, added.advice
    assert "or leave `pic:mail.dmarc_reports` unset" in added.advice
    _told(attr_default_old, attr_set_new, added)


def test_the_mail_exchanger_changed_names_every_mx_and_spf_record(tmp_path: Path) -> None:
    """pic:mail.mx set (the mail host's address before) or changed: every list domain's MX and SPF records change,
    and the exchanger must lead to the mail host first; a warning (was: not a word)."""
    attr_old, attr_new = _changes(_stack(tmp_path, "before"), _stack(tmp_path, "after", MX))
    change = _only(attr_old, attr_new, "exchanger")
    assert (change.setting, change.old, change.new) == (
        "pic:mail.mx",
        "(not set: the mail host's address, web1.example.org)",
        "mx.example.org",
    )
    pairs = {(rc.domain, rc.kind): rc for rc in change.records}
    assert set(pairs) == {
        (domain, kind)
        for domain in ("listes.example.org", "listes.amis-du-rhone.org", "listes.chorale-saint-jean.fr")
        for kind in ("MX", "SPF")
    }
    mx_record = pairs["listes.amis-du-rhone.org", "MX"]
    assert (mx_record.before, mx_record.after) == (
        Record("listes.amis-du-rhone.org", "MX", "10 web1.example.org."),
        Record("listes.amis-du-rhone.org", "MX", "10 mx.example.org."),
    )
    spf = pairs["listes.example.org", "SPF"]
    assert spf.after == Record("listes.example.org", "TXT", "v=spf1 mx a:mx.example.org -all")
    assert (spf.holder, mx_record.holder) == ("", "amis-du-rhone")
    note = change.note()
    for words in (
        "the mail exchanger of the list domains (pic:mail.mx, else the mail host's address) changes from "
        "web1.example.org to mx.example.org, and with it the MX and SPF records of every list domain",
        "by the admins: publish `listes.example.org MX 10 mx.example.org.` in place of `10 web1.example.org.`",
        "by chorale-saint-jean, in its own zone: publish `listes.chorale-saint-jean.fr MX 10 mx.example.org.` in "
        'place of `10 web1.example.org.`, publish `listes.chorale-saint-jean.fr TXT "v=spf1 mx a:mx.example.org '
        '-all"` in place of `"v=spf1 mx a:web1.example.org -all"`',
        "Until a list domain's MX names mx.example.org, mail to its lists goes to web1.example.org, which must lead "
        "to the mail host (web1) meanwhile, or that mail is refused or lost",
    ):
        assert words in note, (words, note)
    for words in (
        "before `pulumi up`, have mx.example.org lead to the mail host web1 (its address records, by the admins)",
        "keep web1.example.org leading there until every list domain's MX names mx.example.org",
        "or leave `pic:mail.mx` unset",
    ):
        assert words in change.advice, (words, change.advice)
    assert exit_status([], attr_new, attr_old) == EXIT_OK
    _told(attr_old, attr_new, change)
    # changed again: the former value is the one to keep
    other = _stack(tmp_path, "other", ("dkim_selector: pic,", "dkim_selector: pic, mx: mail.example.org,"))
    again = _only(attr_new, _changes(_stack(tmp_path, "b"), other)[1], "exchanger")
    assert (again.old, again.new) == (
        "mx.example.org",
        "mail.example.org",
    ) and "keep `pic:mail.mx: mx.example.org`" in (again.advice)


def test_the_mail_hosts_address_as_the_exchanger_is_told_with_its_setting(tmp_path: Path) -> None:
    """pic:mail.mx unset: the mail host's address is the exchanger, and a change of it moves every MX and SPF
    record too, told beside the host's own move (which is stateful)."""
    moved = ("address: web1.example.org", "address: mail1.example.org")
    attr_old, attr_new = _changes(_stack(tmp_path, "before"), _stack(tmp_path, "after", moved))
    change = _only(attr_old, attr_new, "exchanger")
    assert (change.setting, change.old, change.new) == (
        "pic:hosts.web1.address",
        "web1.example.org",
        "mail1.example.org",
    )
    assert "publish `listes.example.org MX 10 mail1.example.org.` in place of `10 web1.example.org.`" in change.note()
    assert "or keep `pic:hosts.web1.address: web1.example.org`" in change.advice
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL, "the host's move says the data stays behind"


def test_a_dmarc_policy_changed_names_the_record_of_its_domain(tmp_path: Path) -> None:
    """pic:mail.dmarc (Sympa's main domain) and a member's lists.dmarc changed: that domain's DMARC record (p=),
    published by the admins, by the member, or by pulumi up in the platform's zone; a warning (was: not a word)."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    path = members / "amis-du-rhone.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("dmarc: quarantine", "dmarc: none"), encoding="utf-8")
    policy = ("dkim_selector: pic,", "dkim_selector: pic, dmarc: reject,")
    attr_old, attr_new = _changes(_stack(tmp_path, "before"), _stack(tmp_path, "after", policy), members)
    changes = [c for c in review([], attr_new, attr_old).dns_records if c.kind == "policy"]
    assert [(c.setting, c.old, c.new, c.member) for c in changes] == [
        ("pic:mail.dmarc", "none", "reject", ""),
        ("lists.dmarc of amis-du-rhone (members/amis-du-rhone.yaml)", "quarantine", "none", "amis-du-rhone"),
    ]
    main, member = changes
    [record] = main.records
    assert (record.before, record.after, record.holder) == (
        Record("_dmarc.listes.example.org", "TXT", _dmarc("none", "dmarc@example.org")),
        Record("_dmarc.listes.example.org", "TXT", _dmarc("reject", "dmarc@example.org")),
        "",
    )
    assert "the DMARC policy of Sympa's main domain listes.example.org changes, in its DMARC record (`p=`)" in (
        main.note()
    )
    assert "in its From: that fails DMARC" in main.note() and "is refused (`reject`) where it was delivered" in (
        main.note()
    )
    # quarantine -> none: that mail goes from junked to delivered (was: "delivered as before")
    assert "is delivered, only reported (`none`) where it was junked" in member.note(), member.note()
    assert "as before" not in member.note()
    assert main.advice.startswith("have the record published as listed: the admins publish it;"), main.advice
    assert main.advice.endswith("or keep `pic:mail.dmarc: none`")
    assert 'by amis-du-rhone, in its own zone: publish `_dmarc.listes.amis-du-rhone.org TXT "v=DMARC1; p=none;' in (
        member.note()
    )
    assert "the admins send it to amis-du-rhone" in member.advice
    assert member.advice.endswith(
        "or keep `lists: {domain: listes.amis-du-rhone.org, dmarc: quarantine}` in amis-du-rhone's file"
    )
    assert exit_status([], attr_new, attr_old) == EXIT_OK
    for change in changes:
        _told(attr_old, attr_new, change)
    # Sympa's main domain in the platform's zone: pulumi up writes it
    attr_old, attr_new = _changes(_stack(tmp_path, "b-zone", ZONE), _stack(tmp_path, "a-zone", ZONE, policy))
    zoned = _only(attr_old, attr_new, "policy")
    assert "by `pulumi up`, in the platform's zone example.org: writes `_dmarc.listes.example.org TXT" in zoned.note()
    assert "`pulumi up` writes it in the platform's zone example.org" in zoned.advice


def test_a_dmarc_policy_changed_as_the_domain_enters_the_platforms_zone_says_where_each_record_is(
    tmp_path: Path,
) -> None:
    """Who published the former record is REV's zones' matter, who publishes the new one the working tree's: a
    domain entering the platform's zone has its former record to remove where the admins published it."""
    policy = ("dkim_selector: pic,", "dkim_selector: pic, dmarc: quarantine,")
    attr_old, attr_new = _changes(_stack(tmp_path, "before"), _stack(tmp_path, "after", ZONE, policy))
    change = _only(attr_old, attr_new, "policy")
    [record] = change.records
    assert (record.zone_before, record.zone) == ("", "example.org")
    note = change.note()
    assert "by `pulumi up`, in the platform's zone example.org: writes `_dmarc.listes.example.org TXT" in note, note
    # the zone is added here: resolvers read the admins' record until its delegation moves (was: "remove" it)
    assert (
        'by the admins: publish `_dmarc.listes.example.org TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.org; '
        'adkim=r; aspf=r"` in place of `"v=DMARC1; p=none; rua=mailto:dmarc@example.org; adkim=r; aspf=r"` first, '
        "until the delegation of example.org names the platform's name servers, then remove it"
    ) in note, note
    assert (
        "`pulumi up` writes it in the platform's zone example.org, which this plan adds: have it published first by "
        "the admins where the domain's records are now"
    ) in change.advice, change.advice
    data = as_json(rendering(), attr_new, meta={}, changes=[], attr_old=attr_old)["dns_records_changed"]
    [told] = [d["records"] for d in data if d["kind"] == "policy"]
    assert [(r["zone"], r["zone_added"], r["published_until_delegated"]) for r in told] == [
        ("example.org", "example.org", "admins")
    ]
    attr_old, attr_new = _changes(_stack(tmp_path, "b2", ZONE), _stack(tmp_path, "a2", policy))
    note = _only(attr_old, attr_new, "policy").note()
    assert 'by the admins: publish `_dmarc.listes.example.org TXT "v=DMARC1; p=quarantine;' in note, note
    assert (
        "by `pulumi up`, in the platform's zone example.org: drops `_dmarc.listes.example.org TXT \"v=DMARC1; p=none;"
        in note
    )


NS = (
    "pic:members_root:",
    "pic:dns: {backend: zonefile, zones: [example.org, amis-du-rhone.net], listen: [192.0.2.53], "
    "nameservers: [ns1.example.org]}\n  pic:members_root:",
)
OWN_ZONE = ("domain: listes.amis-du-rhone.org", "domain: listes.amis-du-rhone.net")


def _lists_in_its_own_zone(tmp_path: Path) -> Path:
    """The members, amis-du-rhone's list domain under a zone of its own that it delegates to the platform."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    edit(members / "amis-du-rhone.yaml", *OWN_ZONE)
    return members


def test_the_name_servers_of_the_platforms_zones_changed_name_each_zones_delegation(tmp_path: Path) -> None:
    """pic:dns.nameservers and pic:dns.listen changed: each zone's NS records and glue in its parent (its
    delegation: the admins', or the member's whose list domain the zone is), and the name servers' own address
    records; a warning (was: not a word)."""
    new = (
        "listen: [192.0.2.53], nameservers: [ns1.example.org]",
        "listen: [192.0.2.54], nameservers: [ns2.example.org, ns.example.net]",
    )
    members = _lists_in_its_own_zone(tmp_path)
    attr_old, attr_new = _changes(_stack(tmp_path, "before", NS), _stack(tmp_path, "after", NS, new), members, members)
    change = _only(attr_old, attr_new, "delegation")
    assert change.parts == (
        ("pic:dns.nameservers", "[ns1.example.org]", "[ns2.example.org, ns.example.net]"),
        ("pic:dns.listen", "[192.0.2.53]", "[192.0.2.54]"),
    )

    def show(r: Record | None) -> str | None:
        return f"{r.name} {r.type} {r.value}" if r is not None else None

    def named(rc: RecordChange) -> tuple[str, str, str | None, str | None, str, str]:
        return (rc.domain, rc.kind, show(rc.before), show(rc.after), rc.zone or rc.holder or "admins", rc.place)

    delegation = "the delegation of {}, in its parent zone"
    assert [named(rc) for rc in change.records] == [
        ("example.org", "NS", "example.org NS ns1.example.org.", None, "admins", delegation.format("example.org")),
        ("example.org", "NS", None, "example.org NS ns.example.net.", "admins", delegation.format("example.org")),
        ("example.org", "NS", None, "example.org NS ns2.example.org.", "admins", delegation.format("example.org")),
        ("example.org", "glue", "ns1.example.org A 192.0.2.53", None, "admins", delegation.format("example.org")),
        ("example.org", "glue", None, "ns2.example.org A 192.0.2.54", "admins", delegation.format("example.org")),
        *(
            (
                "amis-du-rhone.net",
                "NS",
                before,
                after,
                "amis-du-rhone",
                delegation.format("amis-du-rhone.net"),
            )
            for before, after in (
                ("amis-du-rhone.net NS ns1.example.org.", None),
                (None, "amis-du-rhone.net NS ns.example.net."),
                (None, "amis-du-rhone.net NS ns2.example.org."),
            )
        ),
        ("ns2.example.org", "address", None, "ns2.example.org A 192.0.2.54", "example.org", ""),
        ("ns.example.net", "address", None, "ns.example.net A 192.0.2.54", "admins", ""),
    ]
    note = change.note()
    for words in (
        "pic:dns.nameservers [ns1.example.org] -> [ns2.example.org, ns.example.net] and pic:dns.listen [192.0.2.53] -> "
        "[192.0.2.54]: the name servers of the platform's zones (example.org, amis-du-rhone.net) change",
        "by the admins, in the delegation of example.org, in its parent zone: remove `example.org NS ns1.example.org.`",
        "by amis-du-rhone, in the delegation of amis-du-rhone.net, in its parent zone: remove "
        "`amis-du-rhone.net NS ns1.example.org.`",
        "by the admins: publish `ns.example.net A 192.0.2.54`",
        "NSD stops answering at 192.0.2.53 at `pulumi up`, and at none of the addresses it answered at before",
    ):
        assert words in note, (words, note)
    for words in (
        "before `pulumi up`, add the new name servers and addresses to each zone's delegation at its parent",
        "as no address of pic:dns.listen stays, add the new ones in a change of their own first",
        "or keep `pic:dns.nameservers: [ns1.example.org]` and keep `pic:dns.listen: [192.0.2.53]`",
    ):
        assert words in change.advice, (words, change.advice)
    assert exit_status([], attr_new, attr_old) == EXIT_OK
    _told(attr_old, attr_new, change)
    # an address added beside the one kept: no warning that NSD answers nowhere it did
    more = ("listen: [192.0.2.53]", "listen: [192.0.2.53, '2001:db8::53']")
    attr_more = _changes(_stack(tmp_path, "b-more", NS), _stack(tmp_path, "more", NS, more), members, members)[1]
    added = _only(attr_old, attr_more, "delegation")
    assert added.parts == (("pic:dns.listen", "[192.0.2.53]", "[192.0.2.53, 2001:db8::53]"),)
    assert "publish `ns1.example.org AAAA 2001:db8::53`" in added.note() and "NSD stops" not in added.note()
    assert "in a change of their own" not in added.advice
    # the check after pulumi up names each zone at each address NSD answers at (was: `dig @ADDRESS ZONE SOA`)
    assert (
        "check that each name server answers for each zone (`dig @192.0.2.53 example.org SOA`, "
        "`dig @2001:db8::53 example.org SOA`, `dig @192.0.2.53 amis-du-rhone.net SOA`, "
        "`dig @2001:db8::53 amis-du-rhone.net SOA`)"
    ) in added.advice, added.advice


def test_the_default_name_server_follows_the_dns_servers_address(tmp_path: Path) -> None:
    """pic:dns.nameservers unset: the zones' name server is the DNS server's address, and a change of it is a
    change of their delegation."""
    zone = ZONE
    moved = ("address: web1.example.org", "address: mail1.example.org")
    attr_old, attr_new = _changes(_stack(tmp_path, "before", zone), _stack(tmp_path, "after", zone, moved))
    change = _only(attr_old, attr_new, "delegation")
    assert change.parts == (
        (
            "pic:dns.nameservers (not set: the address of the DNS server, web1)",
            "[web1.example.org]",
            "[mail1.example.org]",
        ),
    )
    assert "by the admins, in the delegation of example.org, in its parent zone: remove `example.org NS " in (
        change.note()
    )
    assert "leave `pic:dns.nameservers` unset" in change.advice


def test_a_zone_of_the_platform_removed_says_who_publishes_its_domains_records_and_its_delegation(
    tmp_path: Path,
) -> None:
    """pic:dns.zones emptied (backend export): the records pulumi up wrote in the zone are no longer written, and
    NSD no longer answers for it; each record to publish where the domain's records go, and the zone's delegation
    to move first; a warning (was: not a word)."""
    attr_old, attr_new = _changes(_stack(tmp_path, "before", ZONE), _stack(tmp_path, "after"))
    change = _only(attr_old, attr_new, "zones")
    assert change.parts == (("pic:dns.backend", "zonefile", "export"), ("pic:dns.zones", "[example.org]", "[]"))
    main = [rc for rc in change.records if rc.domain == "listes.example.org"]
    assert [(rc.kind, rc.zone_before, rc.zone, rc.holder) for rc in main] == [
        (kind, "example.org", "", "") for kind in ("MX", "SPF", "DKIM", "DMARC")
    ]
    note = change.note()
    for words in (
        "pic:dns.backend zonefile -> export and pic:dns.zones [example.org] -> []: the zones the platform serves "
        "change",
        "by the admins: publish `listes.example.org MX 10 web1.example.org.`",
        'publish `pic._domainkey.listes.example.org TXT "v=DKIM1; k=rsa; p=..."`',
        "by `pulumi up`, in the platform's zone example.org: drops `listes.example.org MX 10 web1.example.org.`",
        # the reports' authorization of a member's list domain, in the zone of the reports' domain
        'publish `listes.amis-du-rhone.org._report._dmarc.example.org TXT "v=DMARC1"`',
        "by the admins, in the delegation of example.org, in its parent zone: remove `example.org NS "
        "web1.example.org.`",
        "NSD no longer answers for example.org at all from `pulumi up`",
    ):
        assert words in note, (words, note)
    assert change.advice.startswith(
        "before `pulumi up`, have the records of the domains leaving the platform's zones published where their "
        "records go, as listed, and the delegation of example.org moved to the servers that hold it now"
    ), change.advice
    assert change.advice.endswith("or keep `pic:dns.backend: zonefile` and keep `pic:dns.zones: [example.org]`")
    assert exit_status([], attr_new, attr_old) == EXIT_OK
    _told(attr_old, attr_new, change)


def test_a_zone_of_the_platform_added_says_its_delegation_comes_after_pulumi_up(tmp_path: Path) -> None:
    """A zone added: pulumi up writes the records of the list domains under it, which resolvers read only once its
    delegation names the platform's name servers; the member whose domains are the only ones under it delegates it,
    and keeps its records published until then."""
    members = _lists_in_its_own_zone(tmp_path)
    zones = ("zones: [example.org]", "zones: [example.org, amis-du-rhone.net]")
    before, after = _stack(tmp_path, "before", ZONE), _stack(tmp_path, "after", ZONE, zones)
    attr_old, attr_new = _changes(before, after, members, members)
    change = _only(attr_old, attr_new, "zones")
    assert change.parts == (("pic:dns.zones", "[example.org]", "[example.org, amis-du-rhone.net]"),)
    assert {(rc.domain, rc.kind) for rc in change.records} == {
        *(("listes.amis-du-rhone.net", kind) for kind in ("MX", "SPF", "DKIM", "DMARC")),
        ("amis-du-rhone.net", "NS"),
    }
    note = change.note()
    for words in (
        "by `pulumi up`, in the platform's zone amis-du-rhone.net: writes `listes.amis-du-rhone.net MX 10 "
        "web1.example.org.`",
        "by amis-du-rhone, in its own zone: keep `listes.amis-du-rhone.net MX 10 web1.example.org.` until the "
        "delegation of amis-du-rhone.net names the platform's name servers, then remove it",
        "by amis-du-rhone, in the delegation of amis-du-rhone.net, in its parent zone: publish `amis-du-rhone.net NS "
        "web1.example.org.`",
        "resolvers read it only once its delegation names the platform's name servers",
    ):
        assert words in note, (words, note)
    # the query names the zone and NSD's address (was: `dig @ADDRESS ZONE SOA`)
    assert change.advice.startswith(
        "after `pulumi up`, check that NSD answers for each zone added (`dig @192.0.2.53 amis-du-rhone.net SOA`), "
        "then have its delegation name the platform's name servers"
    ), change.advice
    assert exit_status([], attr_new, attr_old) == EXIT_OK
    _told(attr_old, attr_new, change)


def test_the_zones_served_from_another_backend_name_the_glue_of_a_name_server_inside_a_zone(tmp_path: Path) -> None:
    """pic:dns.backend export -> zonefile, the name server inside one of the zones: the delegation of that zone
    names its glue (ns1.example.org's address, without which resolvers cannot reach it) beside its NS record; the
    other zone's delegation has none (was: the NS records alone)."""
    members = _lists_in_its_own_zone(tmp_path)
    attr_old, attr_new = _changes(_stack(tmp_path, "before"), _stack(tmp_path, "after", NS), members, members)
    change = _only(attr_old, attr_new, "zones")
    delegation = [(rc.domain, rc.kind, rc.after) for rc in change.records if rc.place]
    assert delegation == [
        ("amis-du-rhone.net", "NS", Record("amis-du-rhone.net", "NS", "ns1.example.org.")),
        ("example.org", "NS", Record("example.org", "NS", "ns1.example.org.")),
        ("example.org", "glue", Record("ns1.example.org", "A", "192.0.2.53")),
    ], delegation
    assert (
        "by the admins, in the delegation of example.org, in its parent zone: publish `example.org NS "
        "ns1.example.org.`, publish `ns1.example.org A 192.0.2.53`"
    ) in change.note(), change.note()
    # removed again: the glue goes with the NS record
    back = _only(attr_new, attr_old, "zones")
    assert ("example.org", "glue") in [(rc.domain, rc.kind) for rc in back.records if rc.before is not None]
    _told(attr_old, attr_new, change)


def test_a_zone_added_with_the_reports_mailbox_changed_tells_each_change_in_its_own_section(tmp_path: Path) -> None:
    """A zone added and the reports' mailbox moved to another domain in one change: the zones' section names only the
    records that change hands (those of the list domain under the zone added, and its delegation), none of the
    reports' authorizations, whose name moves with the mailbox, and no wait for a zone removed, none being (it named
    every list domain's authorization as leaving the zones and said to wait for the parent's TTL)."""
    members = _lists_in_its_own_zone(tmp_path)
    zones = ("zones: [example.org]", "zones: [example.org, amis-du-rhone.net]")
    before, after = _stack(tmp_path, "before", ZONE), _stack(tmp_path, "after", ZONE, zones, REPORTS)
    attr_old, attr_new = _changes(before, after, members, members)
    change = _only(attr_old, attr_new, "zones")
    assert {(rc.domain, rc.kind) for rc in change.records} == {
        *(("listes.amis-du-rhone.net", kind) for kind in ("MX", "SPF", "DKIM", "DMARC")),
        ("amis-du-rhone.net", "NS"),
    }
    note = change.note()
    assert "_report._dmarc" not in note and "no longer hold" not in note, note
    assert not change.advice.startswith("before `pulumi up`") and "run `pulumi up` once" not in change.advice, (
        change.advice
    )
    assert change.details == {"zones_added": ["amis-du-rhone.net"], "zones_removed": []}
    # the reports' section tells the authorizations
    reports = _only(attr_old, attr_new, "reports")
    assert any(rc.kind == "DMARC report authorization" for rc in reports.records)
    _told(attr_old, attr_new, change)


def test_a_site_whose_mail_leaves_from_another_address_names_the_spf_records_of_its_domains(tmp_path: Path) -> None:
    """A member moved to another web host, or its web host at another address: its site's mail (PHP's mail(),
    sent by the web host's Postfix) leaves from there, and the SPF record its domains publish names the web host
    (README "Mail from sites"); the sites that send none (static, suspended, archived) are not named; a warning
    beside the move (exit 4) or the host's move (exit 3) (was: not a word)."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    edit(members / "amis-du-rhone.yaml", "status: active\n", "status: active\nhost: web2\n")
    before = _stack(tmp_path, "before", WEB2)
    attr_old, attr_new = _changes(before, _stack(tmp_path, "after", WEB2), members)
    change = _only(attr_old, attr_new, "sites")
    assert change.parts == (("the web host of amis-du-rhone", "web1", "web2"),)
    assert [(rc.domain, rc.holder, rc.after.value if rc.after else None) for rc in change.records] == [
        # beside the former one, as the steps say (was: "in place of" it)
        (domain, "amis-du-rhone", "v=spf1 ... a:web1.example.org a:web2.example.org ... -all")
        for domain in ("amis-du-rhone.org", "xn--amis-du-rhne-nib.org")
    ]
    note = change.note()
    for words in (
        "the web host of amis-du-rhone web1 -> web2: the address the mail of amis-du-rhone's site leaves from changes "
        "(web1.example.org -> web2.example.org), and with it the SPF record of their domains, if they publish one",
        'by amis-du-rhone, in its own zone: publish `amis-du-rhone.org TXT "v=spf1 ... a:web1.example.org '
        'a:web2.example.org ... -all"` in place of `"v=spf1 ... a:web1.example.org ... -all"`',
        "the platform does not sign the sites' mail (no DKIM), so it fails DMARC too",
    ):
        assert words in note, (words, note)
    assert change.advice == (
        "before `pulumi up`, have each of these domains that publishes SPF add `a:web2.example.org` beside "
        '`a:web1.example.org` (the admins tell its member: README "Mail from sites"), and remove `a:web1.example.org` '
        "once the site's mail leaves from web2.example.org (the member retired from web1)"
    )
    assert exit_status([], attr_new, attr_old) == EXIT_MOVE, "the move's own exit status"
    _told(attr_old, attr_new, change)
    # web1 at another address: every site on it that sends mail
    moved = ("address: web1.example.org", "address: web1b.example.org")
    attr_old, attr_new = _changes(before, _stack(tmp_path, "readdressed", WEB2, moved))
    change = _only(attr_old, attr_new, "sites")
    assert change.parts == (("pic:hosts.web1.address", "web1.example.org", "web1b.example.org"),)
    assert sorted({rc.holder for rc in change.records}) == ["amis-du-rhone", "jardins-partages", "velo-cite"]
    assert "the mail of the sites of amis-du-rhone, jardins-partages, velo-cite (PHP's mail()" in change.note()
    assert change.advice.endswith("; or keep `pic:hosts.web1.address: web1.example.org`"), change.advice
    assert exit_status([], attr_new, attr_old) == EXIT_STATEFUL, "the host's move says its data stays behind"


def test_a_web_host_known_by_address_whose_public_addresses_change_names_the_spf_records_of_its_sites(
    tmp_path: Path,
) -> None:
    """A web host known by an address of the admins' network sends its sites' mail from its public_addresses
    (pic dns check asks SPF to name those): their change moves the sites' mail, and was not said; its own address
    changed with the public ones kept moves nothing."""
    nat = (
        "web1: {role: web, address: web1.example.org,",
        "web1: {role: web, address: 10.0.0.21, public_addresses: [192.0.2.10],",
    )
    mx = ("pic:mail: {host: web1,", "pic:mail: {host: web1, mx: mx.example.org,")
    before = _stack(tmp_path, "before", nat, mx)
    renumbered = (nat[0], nat[1].replace("192.0.2.10", "192.0.2.11"))
    attr_old, attr_new = _changes(before, _stack(tmp_path, "after", renumbered, mx))
    change = _only(attr_old, attr_new, "sites")
    assert change.parts == (("pic:hosts.web1.public_addresses", "[192.0.2.10]", "[192.0.2.11]"),), change.parts
    assert {rc.after.value for rc in change.records if rc.after} == {
        "v=spf1 ... ip4:192.0.2.10 ip4:192.0.2.11 ... -all"
    }
    assert change.advice.startswith(
        "before `pulumi up`, have each of these domains that publishes SPF add `ip4:192.0.2.11` beside `ip4:192.0.2.10`"
    ), change.advice
    assert change.advice.endswith("; or keep `pic:hosts.web1.public_addresses: [192.0.2.10]`"), change.advice
    # beside the section of the platform's names behind that host (kind addresses), of the same setting
    text = as_text(rendering(), attr_new, header="h", changes=[], attr_old=attr_old, against="HEAD")
    assert f"\n>>> dns records: {change.note()}\n      what to do: {change.advice}\n" in text, text
    # the host's own address changed behind the same public address: its sites' mail leaves from where it did
    readdressed = (nat[0], nat[1].replace("10.0.0.21", "10.0.0.22"))
    attr_old, attr_new = _changes(before, _stack(tmp_path, "readdressed", readdressed, mx))
    assert not [c for c in review([], attr_new, attr_old).dns_records if c.kind == "sites"]


# Each setting changed in the stack file, what the plan's text and markdown say of it, and its json kind, in the
# order the plan tells them.
STACK_CHANGES = (
    (MX, ">>> dns records: pic:mail.mx", "#### :warning: `pic:mail.mx` changes", ("exchanger", "pic:mail.mx")),
    (
        REPORTS,
        ">>> dns records: pic:mail.dmarc_reports dmarc@example.org -> rapports@example.net",
        "#### :warning: `pic:mail.dmarc_reports` changes (dmarc@example.org → rapports@example.net)",
        ("reports", "pic:mail.dmarc_reports"),
    ),
    (
        POLICY,
        ">>> dns records: pic:mail.dmarc none -> quarantine",
        "#### :warning: `pic:mail.dmarc` changes (none → quarantine)",
        ("policy", "pic:mail.dmarc"),
    ),
    (
        ZONE,
        ">>> dns records: pic:dns.backend export -> zonefile and pic:dns.zones [] -> [example.org]",
        # the brackets escaped: a value's brackets open no link
        r"#### :warning: `pic:dns.backend` changes (export → zonefile) and `pic:dns.zones` changes "
        r"(\[\] → \[example.org\])",
        ("zones", "pic:dns.backend and pic:dns.zones"),
    ),
)


def test_dns_records_changed_in_the_stack_file_are_told_in_every_format(real_repo: Path) -> None:
    """The real program with the settings of mail records changed in the stack file: each told in text, markdown
    and json, exit 0."""
    for change, *_ in STACK_CHANGES:
        edit(real_repo / "Pulumi.prod.yaml", *change)
    text, md, data = plans(real_repo, EXIT_OK, "HEAD")
    for _, said, heading, _ in STACK_CHANGES:
        assert said in text, (said, text[-6000:])
        assert heading in md, (heading, md[-6000:])
    assert "nothing stateful is deleted or replaced" in text
    kinds = [(c["kind"], c["setting"]) for c in data["dns_records_changed"]]
    # the zone added holds the platform's names, whose hosts are known by name only: they lead to no host there
    addresses = ("zone_addresses", "the address records of pic:dns.zones")
    assert kinds == [*(kind for *_, kind in STACK_CHANGES), addresses], kinds
    [zone] = [c for c in data["dns_records_changed"] if c["kind"] == "zone_addresses"]
    assert zone["no_address"] == ["db.example.org", "listes.example.org", "mx.example.org", "pma.example.org"], zone
    assert data["stateful_changes"] == []


def test_the_delegation_changed_in_the_stack_file_is_told_in_every_format(real_repo: Path) -> None:
    """The real program with the platform's zone served by NSD at REV and another address in the working tree."""
    stack = real_repo / "Pulumi.prod.yaml"
    edit(stack, *NS)
    edit(real_repo / "members" / "amis-du-rhone.yaml", *OWN_ZONE)
    git(real_repo, "commit", "-qam", "zones served by NSD")
    edit(stack, "listen: [192.0.2.53]", "listen: [192.0.2.54]")
    text, md, data = plans(real_repo, EXIT_OK, "HEAD")
    assert ">>> dns records: pic:dns.listen [192.0.2.53] -> [192.0.2.54]: the name servers" in text, text[-4000:]
    assert r"#### :warning: `pic:dns.listen` changes (\[192.0.2.53\] → \[192.0.2.54\]): DNS records to publish" in md
    [changed] = data["dns_records_changed"]
    assert changed["kind"] == "delegation" and changed["zones"] == ["example.org", "amis-du-rhone.net"]
    assert {
        "domain": "example.org",
        "kind": "glue",
        "type": "A",
        "name": "ns1.example.org",
        "value": "192.0.2.54",
        "name_before": None,
        "value_before": None,
        "zone": None,
        "zone_before": None,
        "published_by": "admins",
        "published_by_before": None,
        "where": "the delegation of example.org, in its parent zone",
        "zone_added": None,
        "published_until_delegated": None,
    } in changed["records"]


def test_the_stack_files_of_the_project_read_as_before(tmp_path: Path) -> None:
    """The project's stack file read twice, at REV and in the working tree: no DNS record to tell."""
    attr_old, attr_new = _changes(_stack(tmp_path, "rev"), _stack(tmp_path, "tree"), ROOT / "members")
    assert review([], attr_new, attr_old).dns_records == []


def test_an_address_written_another_way_is_no_change(real_repo: Path) -> None:
    """Every address setting (a host's public and private address, NSD's listen addresses, the resolver, a
    host:port, an apt source's URL) is read in its canonical form: the same addresses written with capitals and
    zeros spelt out change no resource and no record (were: every command of the host updated, and its records
    told as changed; for an apt source's URL, its runtime's image built anew and the image replaced)."""
    stack = real_repo / "Pulumi.prod.yaml"
    spelt = {
        "short": (
            "address: '2001:db8::11', private_address: 10.0.0.11",
            "listen: ['2001:db8::53', 192.0.2.53], resolver: '2001:db8::1'",
            "http://[2001:db8::80]/php/",
        ),
        "long": (
            "address: '2001:DB8:0:0::11', private_address: 10.0.0.11",
            "listen: ['2001:0DB8::0:53', 192.0.2.53], resolver: '2001:db8:0:0:0:0:0:1'",
            "http://[2001:DB8:0::80]/php/",
        ),
    }
    text = stack.read_text(encoding="utf-8")
    assert "address: web1.example.org, private_address: 10.0.0.11" in text
    text = text.replace("address: web1.example.org, private_address: 10.0.0.11", "HOST", 1).replace(
        "pic:members_root:",
        "pic:dns: {backend: zonefile, zones: [example.org], nameservers: [ns1.example.org], DNS}\n  pic:members_root:",
        1,
    )
    text = text.replace("dkim_selector: pic,", "dkim_selector: pic, mx: mx.example.org,", 1)
    text = text.replace('apt_source: {url: "https://packages.sury.org/php/"', 'apt_source: {url: "APT"', 1)
    for name in ("short", "long"):
        host, dns, apt = spelt[name]
        stack.write_text(text.replace("HOST", host).replace("DNS", dns).replace("APT", apt), encoding="utf-8")
        if name == "short":
            git(real_repo, "commit", "-qam", "web1 on IPv6")
    settings = load_settings(real_repo, "prod")
    assert settings.hosts["web1"].address == "2001:db8::11"
    assert (settings.dns.listen, settings.dns.resolver) == (["2001:db8::53", "192.0.2.53"], "2001:db8::1")
    _, _, data = plans(real_repo, EXIT_OK, "HEAD")
    assert data["changes"] == [], data["changes"][:3]
    assert data["dns_records_changed"] == [], data["dns_records_changed"]


def test_a_host_and_port_is_read_with_its_address_in_canonical_form() -> None:
    """A host:port and a SOCKS URL give their IPv6 address as Python writes it, in brackets."""
    from pic.settings import _host_port, _socks_url, check_offsite_repository

    assert _host_port("[2001:DB8:0::25]:25") == "[2001:db8::25]:25"
    assert _host_port("relay.example.org:587") == "relay.example.org:587"
    assert _socks_url("socks5://[0:0:0:0:0:0:0:1]:1080") == "socks5://[::1]:1080"
    # the off-site repository: one repository however its address is written
    assert check_offsite_repository("sftp://backup@[2001:DB8::0:1]:2222//srv/restic") == (
        "sftp://backup@[2001:db8::1]:2222//srv/restic"
    )
    assert (
        check_offsite_repository("s3:https://[2001:DB8::5]:9000/bucket/pic")
        == "s3:https://[2001:db8::5]:9000/bucket/pic"
    )
    assert (
        check_offsite_repository("sftp:backup@host.example.org:/srv/restic")
        == "sftp:backup@host.example.org:/srv/restic"
    )


MX_SET = ("dkim_selector: pic,", "dkim_selector: pic, mx: mx.example.org,")


def test_the_mail_host_moved_with_the_mx_name_kept_names_the_records_that_lead_to_it(tmp_path: Path) -> None:
    """pic:mail.host changed, pic:mail.mx the same name: the MX records keep their value, but the MX name and
    Sympa's web address must lead to the new mail host (their address records, the admins'); told in a section of
    its own (was: not a word)."""
    mail = ("pic:mail: {host: web1,", "pic:mail: {host: web2,")
    before = _stack(tmp_path, "before", WEB2, MX_SET)
    attr_old, attr_new = _changes(before, _stack(tmp_path, "after", WEB2, MX_SET, mail))
    assert not [c for c in review([], attr_new, attr_old).dns_records if c.kind == "exchanger"]
    change = _only(attr_old, attr_new, "addresses")
    assert change.parts == (("pic:mail.host", "web1", "web2"),)
    assert [(rc.domain, rc.before, rc.after, rc.holder or rc.holder_before or "admins") for rc in change.records] == [
        (
            "mx.example.org",
            Record("mx.example.org", "CNAME", "web1.example.org."),
            Record("mx.example.org", "CNAME", "web2.example.org."),
            "admins",
        ),
        (
            "listes.example.org",
            Record("listes.example.org", "CNAME", "web1.example.org."),
            Record("listes.example.org", "CNAME", "web2.example.org."),
            "admins",
        ),
    ]
    note = change.note()
    for words in (
        "pic:mail.host web1 -> web2: the host behind the MX name (pic:mail.mx) mx.example.org, Sympa's web address "
        "(pic:mail.sympa_domain) listes.example.org changes (web1.example.org -> web2.example.org)",
        "by the admins: publish `mx.example.org CNAME web2.example.org.` in place of `web1.example.org.`",
        "should have address records of its own (RFC 2181 §10.3",
        "listes.example.org is a list domain, which holds the lists' MX and TXT records and so takes no CNAME (RFC "
        "2181 §10.1): publish the A and AAAA records of web2.example.org at it instead",
    ):
        assert words in note, (words, note)
    assert change.advice.startswith("have the address records published as listed right after `pulumi up`")
    assert change.advice.endswith("or keep `pic:mail.host: web1`"), change.advice
    _told(attr_old, attr_new, change)
    # the mail host's address changed, the MX name kept: the same records, an IP address in A records
    moved = ("address: web1.example.org", "address: 192.0.2.11")
    attr_new = _changes(before, _stack(tmp_path, "readdressed", WEB2, MX_SET, moved))[1]
    change = _only(attr_old, attr_new, "addresses")
    assert change.parts == (("pic:hosts.web1.address", "web1.example.org", "192.0.2.11"),)
    assert Record("mx.example.org", "A", "192.0.2.11") in [rc.after for rc in change.records]


def test_phpmyadmin_on_another_host_names_its_domains_record(tmp_path: Path) -> None:
    """pic:phpmyadmin.host changed: phpMyAdmin's domain must lead to the new host (was: not a word)."""
    pma = ("  pic:phpmyadmin:\n    host: web1", "  pic:phpmyadmin:\n    host: web2")
    attr_old, attr_new = _changes(_stack(tmp_path, "before", WEB2), _stack(tmp_path, "after", WEB2, pma))
    change = _only(attr_old, attr_new, "addresses")
    assert change.parts == (("pic:phpmyadmin.host", "web1", "web2"),)
    assert [(rc.before, rc.after) for rc in change.records] == [
        (
            Record("pma.example.org", "CNAME", "web1.example.org."),
            Record("pma.example.org", "CNAME", "web2.example.org."),
        )
    ]
    assert "phpMyAdmin's web interface is on web2 at web2.example.org" in change.note(), change.note()
    assert change.advice.endswith("or keep `pic:phpmyadmin.host: web1`"), change.advice
    _told(attr_old, attr_new, change)


def test_nsd_moved_to_another_host_at_the_same_addresses_says_the_addresses_move_first(tmp_path: Path) -> None:
    """pic:dns.server changed, pic:dns.listen and the name servers kept: the delegation keeps its values, and NSD on
    the new host answers only once those addresses are there (was: not a word)."""
    members = _lists_in_its_own_zone(tmp_path)
    server = ("listen: [192.0.2.53], nameservers", "listen: [192.0.2.53], server: web2, nameservers")
    before = _stack(tmp_path, "before", WEB2, NS)
    attr_old, attr_new = _changes(before, _stack(tmp_path, "after", WEB2, NS, server), members, members)
    assert not [c for c in review([], attr_new, attr_old).dns_records if c.kind == "delegation"]
    change = _only(attr_old, attr_new, "dns_server")
    assert change.parts == (("pic:dns.server", "web1", "web2"),)
    assert {(rc.domain, rc.kind) for rc in change.records} == {
        ("example.org", "NS"),
        ("example.org", "glue"),
        ("amis-du-rhone.net", "NS"),
        ("ns1.example.org", "address"),
    }
    assert all(rc.before == rc.after for rc in change.records)
    note = change.note()
    for words in (
        "pic:dns.server web1 -> web2: NSD moves from web1 to web2, answering at the same addresses (192.0.2.53)",
        "by the admins, in the delegation of example.org, in its parent zone: keep `example.org NS ns1.example.org.`, "
        "keep `ns1.example.org A 192.0.2.53`",
        "NSD binds only an address its host has",
    ):
        assert words in note, (words, note)
    assert change.advice.startswith("before `pulumi up`, move 192.0.2.53 from web1 to web2"), change.advice
    assert "`dig @192.0.2.53 example.org SOA`, `dig @192.0.2.53 amis-du-rhone.net SOA`" in change.advice
    assert change.advice.endswith("or leave `pic:dns.server` unset"), change.advice
    _told(attr_old, attr_new, change)


def test_a_list_domain_new_or_back_from_archived_names_every_record_to_publish(tmp_path: Path) -> None:
    """A member's list domain served now and not at REV (back from archived, or a member new with lists): its MX,
    SPF, DKIM and DMARC records and the reports' authorization, all to publish (was: not a word)."""
    archived = tmp_path / "archived"
    shutil.copytree(MEMBERS, archived)
    edit(archived / "amis-du-rhone.yaml", "status: active\n", "status: archived\n")
    attr_old, attr_new = _changes(_stack(tmp_path, "before"), _stack(tmp_path, "after"), MEMBERS, archived)
    change = _only(attr_old, attr_new, "list_domains")
    assert change.details == {
        "list_domains": ["listes.amis-du-rhone.org"],
        "back_from_archived": ["listes.amis-du-rhone.org"],
    }
    assert [(rc.kind, rc.before, rc.after.name if rc.after else None, rc.holder) for rc in change.records] == [
        ("MX", None, "listes.amis-du-rhone.org", "amis-du-rhone"),
        ("SPF", None, "listes.amis-du-rhone.org", "amis-du-rhone"),
        ("DKIM", None, "pic._domainkey.listes.amis-du-rhone.org", "amis-du-rhone"),
        ("DMARC", None, "_dmarc.listes.amis-du-rhone.org", "amis-du-rhone"),
        ("DMARC report authorization", None, "listes.amis-du-rhone.org._report._dmarc.example.org", ""),
    ]
    note = change.note()
    for words in (
        "by amis-du-rhone, in its own zone: publish `listes.amis-du-rhone.org MX 10 web1.example.org.`",
        'by the admins: publish `listes.amis-du-rhone.org._report._dmarc.example.org TXT "v=DMARC1"`',
        "listes.amis-du-rhone.org come back from archived",
    ):
        assert words in note, (words, note)
    assert change.advice.startswith("before `pulumi up`, have the MX, SPF and DMARC records"), change.advice
    assert "after it, have the DKIM record published from the stack output" in change.advice
    _told(attr_old, attr_new, change)
    # the same member archived: nothing to publish
    assert not [c for c in review([], attr_old, attr_new).dns_records if c.kind == "list_domains"]


def test_a_list_domain_new_names_what_the_member_had_before(tmp_path: Path) -> None:
    """A member's list domain changed (listes.amis-du-rhone.org -> lists.amis-du-rhone.org) was said
    "lists.domain of amis-du-rhone (not served) -> lists.amis-du-rhone.org", as if the member had had no lists;
    now each member's line names its list domain before: the former one, one archived (not served), or none."""
    changed, archived = tmp_path / "changed", tmp_path / "archived"
    for members in (changed, archived):
        shutil.copytree(MEMBERS, members)
    edit(changed / "amis-du-rhone.yaml", "domain: listes.amis-du-rhone.org", "domain: lists.amis-du-rhone.org")
    edit(changed / "bibliotheque-libre.yaml", "site:\n", "lists:\n  domain: listes.biblio-libre.fr\nsite:\n")
    edit(archived / "amis-du-rhone.yaml", "status: active\n", "status: archived\n")
    before, after = _stack(tmp_path, "before"), _stack(tmp_path, "after")
    attr_old, attr_new = _changes(before, after, changed)
    change = _only(attr_old, attr_new, "list_domains")
    assert change.parts == (
        ("lists.domain of amis-du-rhone", "listes.amis-du-rhone.org", "lists.amis-du-rhone.org"),
        ("lists.domain of bibliotheque-libre", "(none)", "listes.biblio-libre.fr"),
    ), change.parts
    assert change.note().startswith(
        "lists.domain of amis-du-rhone listes.amis-du-rhone.org -> lists.amis-du-rhone.org and lists.domain of "
        "bibliotheque-libre (none) -> listes.biblio-libre.fr: "
    ), change.note()
    _told(attr_old, attr_new, change)
    attr_old, attr_new = _changes(before, after, MEMBERS, archived)
    assert _only(attr_old, attr_new, "list_domains").parts == (
        (
            "lists.domain of amis-du-rhone",
            "listes.amis-du-rhone.org (archived: not served)",
            "listes.amis-du-rhone.org",
        ),
    )


DEFAULT_WEB2 = ("pic:default_web_host: web1", "pic:default_web_host: web2")
MAIL_UNSET = ("pic:mail: {host: web1,", "pic:mail: {")
PMA_UNSET = ("  pic:phpmyadmin:\n    host: web1\n", "  pic:phpmyadmin:\n")


def test_a_host_that_follows_its_fallback_is_told_by_what_moved_it_and_how_to_keep_it(tmp_path: Path) -> None:
    """pic:mail.host and pic:phpmyadmin.host unset, pic:default_web_host changed: Sympa and phpMyAdmin follow it, and
    every section says the setting is unset and to write it to keep the former host (were: "pic:mail.host web1 ->
    web2" though the file has none, with "or leave `pic:mail.host` unset", which is what moves Sympa)."""
    before = _stack(tmp_path, "before", WEB2, MX_SET, MAIL_UNSET, PMA_UNSET)
    attr_old, attr_new = _changes(before, _stack(tmp_path, "after", WEB2, MX_SET, MAIL_UNSET, PMA_UNSET, DEFAULT_WEB2))
    found = review([], attr_new, attr_old)
    mail, pma = sorted((c for c in found.dns_records if c.kind == "addresses"), key=lambda c: c.setting)
    assert mail.parts == (("pic:mail.host (not set: the default web host, pic:default_web_host)", "web1", "web2"),)
    assert mail.keep == "write `pic:mail.host: web1`", mail.keep
    assert pma.parts == (("pic:phpmyadmin.host (not set: the default web host, pic:default_web_host)", "web1", "web2"),)
    assert pma.keep == "write `pic:phpmyadmin.host: web1`", pma.keep
    for change in (mail, pma):
        _told(attr_old, attr_new, change)
        assert "leave `" not in change.advice, change.advice
    [moved] = [hm for hm in found.host_moves if hm.what.startswith("pic:mail.host")]
    assert moved.note().startswith("pic:mail.host (not set: the default web host, pic:default_web_host) web1 -> web2")
    assert moved.advice.endswith("or write `pic:mail.host: web1`"), moved.advice
    # without pic:mail.mx, the exchanger is the mail host's address: its section says the same
    attr_old, attr_new = _changes(
        _stack(tmp_path, "b-nomx", WEB2, MAIL_UNSET), _stack(tmp_path, "a-nomx", WEB2, MAIL_UNSET, DEFAULT_WEB2)
    )
    exchanger = _only(attr_old, attr_new, "exchanger")
    assert exchanger.setting.startswith("pic:mail.host (not set:") and exchanger.keep == "write `pic:mail.host: web1`"
    # pic:mail.host written in the change itself, the default kept: leaving it unset keeps Sympa where it is
    written = ("host: web1,", "host: web2,")
    attr_old, attr_new = _changes(before, _stack(tmp_path, "written", WEB2, MX_SET, PMA_UNSET, written))
    change = _only(attr_old, attr_new, "addresses")
    assert (change.parts, change.keep) == ((("pic:mail.host", "web1", "web2"),), "leave `pic:mail.host` unset")


def test_nsd_that_follows_the_mail_host_is_told_by_what_moved_it_and_how_to_keep_it(tmp_path: Path) -> None:
    """pic:dns.server unset, pic:mail.host changed: NSD moves with Sympa; its section says pic:dns.server is unset
    and to write it to keep NSD where it is (was: "or leave `pic:dns.server` unset", which is what moves it)."""
    mail = ("pic:mail: {host: web1,", "pic:mail: {host: web2,")
    before = _stack(tmp_path, "before", WEB2, MX_SET, NS)
    attr_old, attr_new = _changes(before, _stack(tmp_path, "after", WEB2, MX_SET, NS, mail))
    change = _only(attr_old, attr_new, "dns_server")
    assert change.parts == (("pic:dns.server (not set: the mail host, pic:mail.host)", "web1", "web2"),)
    assert change.keep == "write `pic:dns.server: web1`", change.keep
    _told(attr_old, attr_new, change)


def test_nsd_moved_with_name_servers_that_follow_it_keeps_no_record_the_delegation_changes(tmp_path: Path) -> None:
    """pic:dns.nameservers unset (the name server is the DNS server's address), pic:dns.server changed: the NS
    records change with the server, told by the delegation's section; the server's section no longer says to keep
    records REV never had (was: "keep `example.org NS web2.example.org.`" beside the delegation's "publish" of it)."""
    server = ("listen: [192.0.2.53]}", "listen: [192.0.2.53], server: web2}")
    attr_old, attr_new = _changes(
        _stack(tmp_path, "before", WEB2, MX_SET, ZONE), _stack(tmp_path, "after", WEB2, MX_SET, ZONE, server)
    )
    delegation = _only(attr_old, attr_new, "delegation")
    assert Record("example.org", "NS", "web2.example.org.") in [rc.after for rc in delegation.records]
    change = _only(attr_old, attr_new, "dns_server")
    assert attr_old.settings is not None
    published_before = set(nameservers(attr_old.settings))
    for rc in change.records:
        assert rc.before == rc.after, rc
        assert rc.before is not None and (rc.before.type != "NS" or rc.before.value.rstrip(".") in published_before), rc
    assert "the name servers change with it" in change.note(), change.note()
    assert "the records listed keep their values" not in change.advice, change.advice
    _told(attr_old, attr_new, change)


def test_a_name_of_the_platform_inside_its_own_zone_is_not_said_to_be_written_by_pulumi_up(tmp_path: Path) -> None:
    """The MX name and Sympa's web address inside a zone the platform serves (example.org), on a host known by name
    without pic:hosts.<h>.public_addresses: `pulumi up` writes no address record for them there (it has none to
    give), so the plan must not say it writes one (was: "by `pulumi up`, in the platform's zone example.org: writes
    `mx.example.org CNAME web2.example.org.`"); it says those names lead to no host there, and what to give."""
    mail = ("pic:mail: {host: web1,", "pic:mail: {host: web2,")
    pma = ("  pic:phpmyadmin:\n    host: web1", "  pic:phpmyadmin:\n    host: web2")
    before = _stack(tmp_path, "before", WEB2, MX_SET, NS)
    attr_old, attr_new = _changes(before, _stack(tmp_path, "after", WEB2, MX_SET, NS, mail, pma))
    changes = [c for c in review([], attr_new, attr_old).dns_records if c.kind == "addresses"]
    assert changes, "the mail host and phpMyAdmin moved: their names are told"
    for change in changes:
        assert all(not rc.zone and not rc.zone_before for rc in change.records), change.records
        assert "by `pulumi up`" not in change.note(), change.note()
        _told(attr_old, attr_new, change)
    note = " ".join(c.note() for c in changes)
    assert "mx.example.org, listes.example.org are in the platform's zone example.org" in note, note
    assert "pma.example.org is in the platform's zone example.org" in note, note
    assert note.count("web2 has no address the zone can give") == 2, note
    assert note.count("to no host") == 2, note
    assert all("give pic:hosts.web2.public_addresses" in f"{c.note()} {c.advice}" for c in changes), changes
    assert [rc.domain for c in changes for rc in c.records] == [], "no record of theirs is published anywhere"
    assert not [c for c in review([], attr_new, attr_old).dns_records if c.kind == "zone_addresses"]


def test_the_address_records_pulumi_up_writes_in_its_zones_are_told_when_they_change(tmp_path: Path) -> None:
    """The zones NSD serves hold the address records of the platform's names inside them (the hosts' names, the
    MX name, Sympa's and phpMyAdmin's) with their hosts' pic:hosts.<h>.public_addresses: the mail host and
    phpMyAdmin moved to web2, the plan says `pulumi up` writes their new addresses there, each record before and
    after, and no longer that those names lead to no host."""
    public = (
        (
            "web1: {role: web, address: web1.example.org,",
            "web1: {role: web, address: web1.example.org, public_addresses: [192.0.2.11],",
        ),
        (
            "web2: {role: web, address: web2.example.org,",
            "web2: {role: web, address: web2.example.org, public_addresses: [192.0.2.12, '2001:db8::12'],",
        ),
    )
    mail = ("pic:mail: {host: web1,", "pic:mail: {host: web2,")
    pma = ("  pic:phpmyadmin:\n    host: web1", "  pic:phpmyadmin:\n    host: web2")
    before = _stack(tmp_path, "before", WEB2, MX_SET, NS, *public)
    attr_old, attr_new = _changes(before, _stack(tmp_path, "after", WEB2, MX_SET, NS, *public, mail, pma))
    found = review([], attr_new, attr_old).dns_records
    note = " ".join(c.note() for c in found if c.kind == "addresses")
    assert "to no host" not in note, note
    assert "which `pulumi up` writes whole with the address records of web2" in note, note
    zone = _only(attr_old, attr_new, "zone_addresses")
    by_name = {(rc.domain, rc.type): rc for rc in zone.records}
    for name in ("mx.example.org", "listes.example.org", "pma.example.org"):
        a = by_name[name, "A"]
        assert a.before == Record(name, "A", "192.0.2.11") and a.after == Record(name, "A", "192.0.2.12"), a
        assert a.zone == a.zone_before == "example.org", a
        aaaa = by_name[name, "AAAA"]
        assert aaaa.before is None and aaaa.after == Record(name, "AAAA", "2001:db8::12"), aaaa
    assert "writes `mx.example.org A 192.0.2.12` in place of `192.0.2.11`" in zone.note(), zone.note()
    assert zone.note().startswith("the address records of pic:dns.zones"), zone.note()
    assert "web1.example.org" not in {rc.domain for rc in zone.records}, "the hosts' own names keep their records"
    _told(attr_old, attr_new, zone)


PMA_BLOCK = "  pic:phpmyadmin:\n    host: web1\n    domain: pma.example.org\n    debian: bookworm\n"


def test_phpmyadmins_domain_changed_added_or_removed_names_the_record_that_leads_to_it(tmp_path: Path) -> None:
    """pic:phpmyadmin.domain changed, or phpMyAdmin added or removed: the name that leads to its host changes, to
    publish before `pulumi up` (its certificate waits for it) and the former to remove after (was: not a word)."""
    renamed = ("domain: pma.example.org", "domain: admin.example.org")
    before = _stack(tmp_path, "before", WEB2)
    attr_old, attr_new = _changes(before, _stack(tmp_path, "renamed", WEB2, renamed))
    change = _only(attr_old, attr_new, "addresses")
    assert change.parts == (("pic:phpmyadmin.domain", "pma.example.org", "admin.example.org"),)
    assert [(rc.before, rc.after) for rc in change.records] == [
        (None, Record("admin.example.org", "CNAME", "web1.example.org.")),
        (Record("pma.example.org", "CNAME", "web1.example.org."), None),
    ]
    assert change.advice.startswith("before `pulumi up`, have admin.example.org's record published"), change.advice
    assert change.advice.endswith("or keep `pic:phpmyadmin.domain: pma.example.org`"), change.advice
    _told(attr_old, attr_new, change)
    # on another host at the same time: the new name leads to the new host, the former one is removed
    moved = ("  pic:phpmyadmin:\n    host: web1", "  pic:phpmyadmin:\n    host: web2")
    attr_new = _changes(before, _stack(tmp_path, "moved", WEB2, renamed, moved))[1]
    change = _only(attr_old, attr_new, "addresses")
    assert change.records[0].after == Record("admin.example.org", "CNAME", "web2.example.org.")
    # added, then removed
    without = _stack(tmp_path, "without", WEB2, (PMA_BLOCK, ""))
    attr_none = _changes(without, without)[0]
    change = _only(attr_none, _changes(before, before)[1], "addresses")
    assert change.parts == (("pic:phpmyadmin.domain", "(no phpMyAdmin)", "pma.example.org"),)
    assert [(rc.before, rc.after) for rc in change.records] == [
        (None, Record("pma.example.org", "CNAME", "web1.example.org."))
    ]
    change = _only(_changes(before, before)[0], attr_none, "addresses")
    assert [(rc.before, rc.after) for rc in change.records] == [
        (Record("pma.example.org", "CNAME", "web1.example.org."), None)
    ]
    # inside a zone of the platform: no record of it anywhere, and said so
    attr_old, attr_new = _changes(_stack(tmp_path, "b-zone", ZONE), _stack(tmp_path, "a-zone", ZONE, renamed))
    change = _only(attr_old, attr_new, "addresses")
    assert [rc.domain for rc in change.records] == [], change.records
    assert "admin.example.org (in the platform's zone example.org)" in change.note(), change.note()
    _told(attr_old, attr_new, change)


def test_nsd_moved_with_other_listen_addresses_still_says_which_addresses_go_to_the_new_host(tmp_path: Path) -> None:
    """pic:dns.server and pic:dns.listen changed together: the delegation's section tells the new addresses, and
    NSD's move is still told, the address it keeps to move to the new host and the one added to give it first
    (was: not a word of the move, the section dropped as soon as an address changed)."""
    members = _lists_in_its_own_zone(tmp_path)
    server = ("listen: [192.0.2.53], nameservers", "listen: [192.0.2.53, 192.0.2.54], server: web2, nameservers")
    before = _stack(tmp_path, "before", WEB2, NS)
    attr_old, attr_new = _changes(before, _stack(tmp_path, "after", WEB2, NS, server), members, members)
    _only(attr_old, attr_new, "delegation")
    change = _only(attr_old, attr_new, "dns_server")
    assert change.parts == (("pic:dns.server", "web1", "web2"),)
    assert all(rc.before == rc.after for rc in change.records), change.records
    assert {rc.after.value for rc in change.records if rc.after is not None and rc.kind != "NS"} == {"192.0.2.53"}
    assert change.advice.startswith("before `pulumi up`, move 192.0.2.53 from web1 to web2 and give web2 192.0.2.54")
    _told(attr_old, attr_new, change)
    # every address new: nothing to move, the new ones to give the new host
    other = ("listen: [192.0.2.53], nameservers", "listen: [192.0.2.54], server: web2, nameservers")
    attr_new = _changes(before, _stack(tmp_path, "other", WEB2, NS, other), members, members)[1]
    change = _only(attr_old, attr_new, "dns_server")
    assert change.advice.startswith("before `pulumi up`, give web2 192.0.2.54"), change.advice
    assert not [rc for rc in change.records if rc.kind != "NS"], change.records


ZONE_ONLY = (
    "pic:members_root:",
    "pic:dns: {backend: zonefile, zones: [example.org], listen: [192.0.2.53]}\n  pic:members_root:",
)
WEB1_PUBLIC = (
    "web1: {role: web, address: web1.example.org,",
    "web1: {role: web, address: web1.example.org, public_addresses: [192.0.2.11],",
)
CLUB = """\
name: Club Photo
contact:
  name: Anne Martin
  email: anne@club.example.org
uid: 10050
site:
  domains:
    - club.example.org
  php: "8.4"
"""


def _club_stack(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Settings:
    """The stack of the tests with the club, with its own CA: a public one refuses the club's site under example.org
    (RFC 2606), where the platform's zone is; the zone's records are the same either way."""
    return _stack(tmp_path, name, ("ca: letsencrypt", "ca: internal"), *edits)


def _with_club(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Path:
    """The members, and one more whose site is inside example.org."""
    members = tmp_path / name
    shutil.copytree(MEMBERS, members)
    (members / "club.yaml").write_text(CLUB, encoding="utf-8")
    for slug_edit in edits:
        edit(members / "club.yaml", *slug_edit)
    return members


def _zone_text(settings: Settings, members: Path, zone: str) -> set[str]:
    """The address records of ``zone`` as the component writes it (components.dns_zones), as `name type value`."""
    from components.dns_zones import _in_zone

    addresses = address_records(settings, load_registry(members, settings))
    return {f"{r.name} {r.type} {r.value}" for r in _in_zone(zone, settings.dns.zones, [addresses])}


def test_a_zone_removed_has_its_names_address_records_published_where_its_records_go(tmp_path: Path) -> None:
    """example.org leaves pic:dns.zones: `pulumi up` no longer writes the address records of the site and platform
    names inside it, so they are to be published where the zone's records go, before it (was: "drops ... nothing
    to publish by hand", the site's name leading nowhere once the delegation moves)."""
    members = _with_club(tmp_path, "members")
    before = _club_stack(tmp_path, "before", ZONE_ONLY, WEB1_PUBLIC)
    after = _club_stack(tmp_path, "after", WEB1_PUBLIC)
    attr_old, attr_new = _changes(before, after, members, members)
    zone = _only(attr_old, attr_new, "zone_addresses")
    club = [rc for rc in zone.records if rc.domain == "club.example.org"]
    a = Record("club.example.org", "A", "192.0.2.11")
    assert [(rc.before, rc.after, rc.zone_before, rc.zone, rc.holder) for rc in club] == [
        (a, a, "example.org", "", "")
    ], club
    note, advice = zone.note(), zone.advice
    assert "by the admins: publish `club.example.org A 192.0.2.11`" in note, note
    assert "drops `club.example.org A 192.0.2.11`" in note, note
    assert "nothing to publish by hand" not in advice, advice
    assert "before `pulumi up`, have the address records of the names leaving the platform's zones" in advice, advice
    _told(attr_old, attr_new, zone)


def test_a_zone_added_with_a_site_inside_it_keeps_its_names_records_until_its_delegation(tmp_path: Path) -> None:
    """example.org added in the same change as a member whose site is inside it: the zone NSD serves holds the
    site's and the platform's address records (the zones' section said "the mail records of its list domains and
    its name servers' addresses only"), but resolvers read it only once its delegation names the platform's name
    servers, so the records published where the names are now stay until then (was: "NSD answers with the new
    records from `pulumi up`", "nothing to publish by hand")."""
    members = _with_club(tmp_path, "members")
    before = _club_stack(tmp_path, "before", WEB1_PUBLIC)
    after = _club_stack(tmp_path, "after", ZONE_ONLY, WEB1_PUBLIC)
    attr_old, attr_new = _changes(before, after, members, MEMBERS)
    zones = _only(attr_old, attr_new, "zones")
    assert "its name servers' addresses only" not in zones.note(), zones.note()
    assert "the address records of the platform's names and the sites' domains inside it" in zones.note()
    zone = _only(attr_old, attr_new, "zone_addresses")
    assert {rc.pending for rc in zone.records} == {"example.org"}, zone.records
    written = {f"{rc.after.name} {rc.after.type} {rc.after.value}" for rc in zone.records if rc.after is not None}
    assert written == _zone_text(after, members, "example.org"), "the records told are those of the zone file"
    note, advice = zone.note(), zone.advice
    assert (
        "by the admins: publish `club.example.org A 192.0.2.11` first, until the delegation of example.org names "
        "the platform's name servers, then remove it"
    ) in note, note
    assert "resolvers read example.org only once its delegation names the platform's name servers" in note, note
    assert "nothing to publish by hand" not in advice, advice
    _told(attr_old, attr_new, zone)


def test_a_site_inside_a_zone_on_a_host_with_no_address_to_give_is_said_to_lead_to_no_host(tmp_path: Path) -> None:
    """The member whose site is inside example.org moves to web2, known by a name without public_addresses: the
    zone holds no address record of its domain any more, so the site's name leads to no host there (was: "drops
    `club.example.org A 192.0.2.11`", "nothing to publish by hand: check that each name leads to the host
    listed"); and a member added there leads to none either (was: not a word)."""
    members = _with_club(tmp_path, "members")
    moved = _with_club(tmp_path, "moved", ("uid: 10050", "uid: 10050\nhost: web2"))
    before = _club_stack(tmp_path, "before", WEB2, ZONE_ONLY, WEB1_PUBLIC)
    settings = _club_stack(tmp_path, "after", WEB2, ZONE_ONLY, WEB1_PUBLIC)
    for members_before in (members, MEMBERS):
        attr_old, attr_new = _changes(before, settings, moved, members_before)
        zone = _only(attr_old, attr_new, "zone_addresses")
        note, advice = zone.note(), zone.advice
        said = "platform's zone example.org, which `pulumi up` writes whole, holds no address record of club"
        assert said in note, note
        assert "web2 has no address the zone can give" in note and "leads to no host" in note, note
        assert "give pic:hosts.web2.public_addresses, the addresses club.example.org should lead to" in advice
        assert "nothing to publish by hand" not in advice, advice
        assert zone.details["no_address"] == ["club.example.org"], zone.details
        assert not _zone_text(settings, moved, "example.org") & {"club.example.org A 192.0.2.11"}
        _told(attr_old, attr_new, zone)


def test_the_address_records_counts_are_in_the_json_beside_the_records(tmp_path: Path) -> None:
    """zone_addresses gives the counts of address records before and after as numbers of their own (was:
    `records`, a string the records' list then replaced)."""
    members = _with_club(tmp_path, "members")
    before = _club_stack(tmp_path, "before", ZONE_ONLY, WEB1_PUBLIC)
    attr_old, attr_new = _changes(before, _club_stack(tmp_path, "after", ZONE_ONLY, WEB1_PUBLIC), members, MEMBERS)
    data = as_json(rendering(), attr_new, meta={}, changes=[], attr_old=attr_old)["dns_records_changed"]
    [zone] = [d for d in data if d["kind"] == "zone_addresses"]
    assert (zone["address_records_before"], zone["address_records"]) == (2, 3), zone
    assert [(r["name"], r["published_by"]) for r in zone["records"]] == [("club.example.org", "pulumi up")], zone


def test_a_name_leaving_the_zones_is_given_one_record_to_publish_in_every_section(tmp_path: Path) -> None:
    """The mail host moved to web2 as example.org leaves pic:dns.zones: the host's section and the zone's address
    records give each name one record set to publish (was: `listes.example.org CNAME web2.example.org.` in one,
    `listes.example.org A 192.0.2.12` in the other, where a CNAME stands alone at its name, RFC 1034 §3.6.2): the
    addresses the host is published at; the host's own name leaving the zone keeps its addresses."""
    web2 = (
        "    db: {role: db,",
        "    web2: {role: web, address: web2.example.org, public_addresses: [192.0.2.12], private_address: 10.0.0.12, "
        "ssh_user: deploy}\n    db: {role: db,",
    )
    mail = ("pic:mail: {host: web1,", "pic:mail: {host: web2,")
    members = _with_club(tmp_path, "members")
    before = _club_stack(tmp_path, "before", ZONE_ONLY, WEB1_PUBLIC, web2)
    after = _club_stack(tmp_path, "after", WEB1_PUBLIC, web2, mail)
    attr_old, attr_new = _changes(before, after, members, members)
    found = review([], attr_new, attr_old).dns_records
    by_hand: dict[str, set[Record]] = {}
    for change in found:
        for rc in change.records:
            if rc.kind == "address" and rc.after is not None and not rc.zone:
                by_hand.setdefault(rc.after.name, set()).add(rc.after)
    assert by_hand["listes.example.org"] == {Record("listes.example.org", "A", "192.0.2.12")}, by_hand
    assert by_hand["club.example.org"] == {Record("club.example.org", "A", "192.0.2.11")}, by_hand
    assert by_hand["web2.example.org"] == {Record("web2.example.org", "A", "192.0.2.12")}, by_hand


def test_a_members_zone_removed_has_its_site_names_published_by_the_member(tmp_path: Path) -> None:
    """velo-cite's zone velo-cite.net, which holds only its site's name, leaves pic:dns.zones: the member publishes
    that name's record where its zone's records go (was: said by no one, "nothing to publish by hand")."""
    zones = "pic:dns: {backend: zonefile, zones: [example.org%s], listen: [192.0.2.53], nameservers: [ns1.example.org]}"
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    edit(
        members / "velo-cite.yaml",
        "    - atelier.velo-cite-lyon.fr",
        "    - atelier.velo-cite-lyon.fr\n    - atelier.velo-cite.net",
    )
    before = _stack(
        tmp_path, "before", WEB1_PUBLIC, ("pic:members_root:", zones % ", velo-cite.net" + "\n  pic:members_root:")
    )
    after = _stack(tmp_path, "after", WEB1_PUBLIC, ("pic:members_root:", zones % "" + "\n  pic:members_root:"))
    attr_old, attr_new = _changes(before, after, members, members)
    zone = _only(attr_old, attr_new, "zone_addresses")
    published = [(rc.after, rc.holder) for rc in zone.records if rc.after is not None]
    assert published == [(Record("atelier.velo-cite.net", "A", "192.0.2.11"), "velo-cite")], zone.records
    assert "by velo-cite, in its own zone: publish `atelier.velo-cite.net A 192.0.2.11`" in zone.note()
    _told(attr_old, attr_new, zone)


def test_a_name_of_the_platform_that_is_a_name_server_is_not_said_written_with_its_hosts_addresses(
    tmp_path: Path,
) -> None:
    """The MX name is ns1.example.org, the name server of the platform's zones: the zone gives it NSD's addresses
    (its glue, pic:dns.listen), never the mail host's, so with the mail host moved to web2 the plan must not say
    the zone writes it with web2's addresses (was: "ns1.example.org, listes.example.org are in the platform's zone
    example.org, which `pulumi up` writes whole with the address records of web2")."""
    web2 = (
        "    db: {role: db,",
        "    web2: {role: web, address: web2.example.org, public_addresses: [192.0.2.12], private_address: 10.0.0.12, "
        "ssh_user: deploy}\n    db: {role: db,",
    )
    mx = ("dkim_selector: pic,", "dkim_selector: pic, mx: ns1.example.org,")
    mail = ("pic:mail: {host: web1,", "pic:mail: {host: web2,")
    zones = (
        "pic:members_root:",
        "pic:dns: {backend: zonefile, zones: [example.org], listen: [192.0.2.53], nameservers: [ns1.example.org]}\n"
        "  pic:members_root:",
    )
    before = _stack(tmp_path, "before", zones, WEB1_PUBLIC, web2, mx)
    after = _stack(tmp_path, "after", zones, WEB1_PUBLIC, web2, mx, mail)
    attr_old, attr_new = _changes(before, after)
    [change] = [c for c in review([], attr_new, attr_old).dns_records if c.kind == "addresses"]
    note = change.note()
    assert "listes.example.org is in the platform's zone example.org, which `pulumi up` writes whole with" in note
    assert "ns1.example.org is a name server of the platform's zones: the zone example.org" in note, note
    assert "gives it NSD's addresses (pic:dns.listen: 192.0.2.53), not those of web2" in note, note
    written = {r.name: r.value for r in address_records(after, attr_new.members.values())}
    assert "ns1.example.org" not in written and written["listes.example.org"] == "192.0.2.12", written
    _told(attr_old, attr_new, change)


def test_a_name_that_holds_other_records_is_given_the_hosts_addresses_not_a_cname(tmp_path: Path) -> None:
    """The mail host moved to web2, published at 192.0.2.12 and 2001:db8::12 (pic:hosts.web2.public_addresses): the
    MX name and Sympa's domain, which holds the lists' MX and TXT records, take no CNAME (RFC 2181 §10.1, §10.3),
    so their records to publish are web2's addresses (was: `mx.example.org CNAME web2.example.org.` beside "an MX
    names no CNAME", and `listes.example.org CNAME web2.example.org.`); phpMyAdmin's name alike. A host known by
    name only still gets a CNAME to its name (test_the_mail_host_moved_with_the_mx_name_kept...)."""
    web2 = (
        "    db: {role: db,",
        "    web2: {role: web, address: web2.example.org, public_addresses: [192.0.2.12, '2001:db8::12'], "
        "private_address: 10.0.0.12, ssh_user: deploy}\n    db: {role: db,",
    )
    mail = ("pic:mail: {host: web1,", "pic:mail: {host: web2,")
    pma = ("  pic:phpmyadmin:\n    host: web1", "  pic:phpmyadmin:\n    host: web2")
    before = _stack(tmp_path, "before", WEB1_PUBLIC, web2, MX_SET)
    attr_old, attr_new = _changes(before, _stack(tmp_path, "after", WEB1_PUBLIC, web2, MX_SET, mail, pma))
    changes = [c for c in review([], attr_new, attr_old).dns_records if c.kind == "addresses"]
    told = {(rc.before, rc.after) for c in changes for rc in c.records}
    for name in ("mx.example.org", "listes.example.org", "pma.example.org"):
        assert (Record(name, "A", "192.0.2.11"), Record(name, "A", "192.0.2.12")) in told, told
        assert (None, Record(name, "AAAA", "2001:db8::12")) in told, told
    assert not [r for pair in told for r in pair if r is not None and r.type == "CNAME"], told
    note = " ".join(c.note() for c in changes)
    assert "publish `listes.example.org A 192.0.2.12` in place of `192.0.2.11`" in note, note
    assert "until mx.example.org, listes.example.org lead there (their address records" in note, note
    for change in changes:
        _told(attr_old, attr_new, change)


def test_the_mail_hosts_public_addresses_changed_name_the_records_that_lead_to_it(tmp_path: Path) -> None:
    """web1, the mail host, keeps its address (a name) but is published at another address
    (pic:hosts.web1.public_addresses): the MX name and Sympa's domain, outside the platform's zones, lead to it by
    A records of those addresses, published by the admins, so they change (was: not a word, the section told only
    a change of pic:hosts.<h>.address)."""
    renumbered = ("public_addresses: [192.0.2.11]", "public_addresses: [192.0.2.99]")
    before = _stack(tmp_path, "before", WEB1_PUBLIC, MX_SET)
    attr_old, attr_new = _changes(before, _stack(tmp_path, "after", WEB1_PUBLIC, renumbered, MX_SET))
    changes = [c for c in review([], attr_new, attr_old).dns_records if c.kind == "addresses"]
    assert [c.parts for c in changes] == [(("pic:hosts.web1.public_addresses", "[192.0.2.11]", "[192.0.2.99]"),)]
    [change] = changes
    told = [(rc.domain, rc.before, rc.after) for rc in change.records]
    for name in ("mx.example.org", "listes.example.org", "pma.example.org"):
        assert (name, Record(name, "A", "192.0.2.11"), Record(name, "A", "192.0.2.99")) in told, told
    assert change.advice.endswith("or keep `pic:hosts.web1.public_addresses: [192.0.2.11]`"), change.advice
    _told(attr_old, attr_new, change)


def test_the_zone_address_records_heading_says_who_writes_them(tmp_path: Path) -> None:
    """The markdown heading of the address records of the platform's zones names no setting and says `pulumi up`
    writes them (was: "`the address records of pic:dns.zones` changes (2 record(s) → 3 record(s)): DNS records to
    publish", for records nobody publishes by hand)."""
    members = _with_club(tmp_path, "members")
    before = _club_stack(tmp_path, "before", ZONE_ONLY, WEB1_PUBLIC)
    attr_old, attr_new = _changes(before, _club_stack(tmp_path, "after", ZONE_ONLY, WEB1_PUBLIC), members, MEMBERS)
    md = as_markdown(rendering(), attr_new, title="t", changes=[], attr_old=attr_old)
    heading = "#### :warning: the address records of the platform's zones change (2 record(s) → 3 record(s)): "
    assert f"{heading}written by `pulumi up`\n" in md, md
    assert "`the address records of pic:dns.zones` changes" not in md, md


def test_a_member_moving_with_its_site_in_a_served_zone_is_not_told_to_switch_dns_by_hand(tmp_path: Path) -> None:
    """club, whose site is inside example.org, moves to web2: `pulumi up` writes its new address records in the zone
    itself (the zone's section says so), so the move's advice must not say to switch DNS after it (was: "then
    switch DNS after `pulumi up`"); to a host with no address the zone can give, it says what to give first."""
    web2 = (
        "    db: {role: db,",
        "    web2: {role: web, address: web2.example.org, public_addresses: [192.0.2.12], private_address: 10.0.0.12, "
        "ssh_user: deploy}\n    db: {role: db,",
    )
    members = _with_club(tmp_path, "members")
    moved = _with_club(tmp_path, "moved", ("uid: 10050", "uid: 10050\nhost: web2"))
    for name, host in (("published", web2), ("by name", WEB2)):
        before = _club_stack(tmp_path, f"{name} before", ZONE_ONLY, WEB1_PUBLIC, host)
        after = _club_stack(tmp_path, f"{name} after", ZONE_ONLY, WEB1_PUBLIC, host)
        attr_old, attr_new = _changes(before, after, moved, members)
        r = review([], attr_new, attr_old)
        assert r.moves == {"club": ("web1", "web2")}, r.moves
        advice = r.move_advice("club")
        assert "switch DNS after `pulumi up`" not in advice, advice
        if name == "published":
            assert "then `pulumi up`, which switches DNS itself for club.example.org" in advice, advice
            zone = _only(attr_old, attr_new, "zone_addresses")
            assert "writes `club.example.org A 192.0.2.12` in place of `192.0.2.11`" in zone.note(), zone.note()
        else:
            assert "give pic:hosts.web2.public_addresses before `pulumi up`, or club.example.org lead" in advice
    # a site outside the zones is still switched by hand
    outside = _with_club(tmp_path, "outside", ("    - club.example.org", "    - club-photo.org"))
    outside_moved = _with_club(
        tmp_path,
        "outside-moved",
        ("    - club.example.org", "    - club-photo.org"),
        ("uid: 10050", "uid: 10050\nhost: web2"),
    )
    attr_old, attr_new = _changes(before, after, outside_moved, outside)
    assert "then switch DNS after `pulumi up`, then retire" in review([], attr_new, attr_old).move_advice("club")


def test_nsd_on_a_host_renamed_at_the_same_addresses_is_not_said_to_move(tmp_path: Path) -> None:
    """web1, which runs NSD (pic:dns.server unset: the mail host), renamed web9 at the same address and private
    address: the same machine, told as a rename; NSD does not move (was: "NSD moves from web1 to web9 ... move
    192.0.2.53 from web1 to web9 ... then stop NSD on web1 (`systemctl disable --now nsd`)", the only NSD)."""
    zones = (
        "pic:members_root:",
        "pic:dns: {backend: zonefile, zones: [example.org], listen: [192.0.2.53], nameservers: [ns1.example.org]}\n"
        "  pic:members_root:",
    )
    renamed = (
        ("web1: {role: web", "web9: {role: web"),
        ("pic:mail: {host: web1,", "pic:mail: {host: web9,"),
        ("    host: web1\n", "    host: web9\n"),
        ("pic:default_web_host: web1", "pic:default_web_host: web9"),
    )
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    edit(members / "velo-cite.yaml", "host: web1", "host: web9")
    before = _stack(tmp_path, "before", zones, WEB1_PUBLIC)
    attr_old, attr_new = _changes(before, _stack(tmp_path, "after", zones, WEB1_PUBLIC, *renamed), members)
    r = review([], attr_new, attr_old)
    assert [(h.old, h.new, h.renamed) for h in r.host_moves] == [("web1", "web9", True)], r.host_moves
    assert [c.kind for c in r.dns_records] == [], [c.note() for c in r.dns_records]


def test_a_site_domain_that_is_its_member_s_list_domain_is_told_one_spf_record(tmp_path: Path) -> None:
    """A site's domain that is also its member's list domain has one SPF record, the list domain's (two are a
    permerror, RFC 7208 §3.2; pic dns check expects that one alone): the mail host, where such a site is (pic
    check), given another address changes it with the list domain's records; the sites' section told that name
    a site's record beside it, a second SPF record."""
    members = tmp_path / "members"
    shutil.copytree(MEMBERS, members)
    edit(members / "amis-du-rhone.yaml", "domain: listes.amis-du-rhone.org", "domain: amis-du-rhone.org")
    before = _stack(tmp_path, "before", WEB2)
    moved = ("address: web1.example.org", "address: web1b.example.org")
    attr_old, attr_new = _changes(before, _stack(tmp_path, "readdressed", WEB2, moved), members, members)
    told = [
        (c.kind, rc.after.value)
        for c in review([], attr_new, attr_old).dns_records
        for rc in c.records
        if rc.domain == "amis-du-rhone.org" and rc.kind == "SPF" and rc.after is not None
    ]
    assert told == [("exchanger", "v=spf1 mx a:web1b.example.org -all")], told
    sites = _only(attr_old, attr_new, "sites")
    assert {rc.domain for rc in sites.records if rc.holder == "amis-du-rhone"} == {"xn--amis-du-rhne-nib.org"}


def test_phpmyadmin_removed_says_in_plain_english_which_name_it_leaves(tmp_path: Path) -> None:
    """phpMyAdmin removed: the section's sentence began with its domain, capitalised as a sentence
    ("Pma.example.org is no longer served"), and said "the name phpMyAdmin answers at changes". Now a domain keeps
    its case, the sentence says what is served where, and a sentence that starts with a word is still capitalised."""
    before = _stack(tmp_path, "before", WEB2)
    without = _stack(tmp_path, "without", WEB2, (PMA_BLOCK, ""))
    change = _only(_changes(before, before)[0], _changes(without, without)[0], "addresses")
    note = change.note()
    assert (
        "the domain phpMyAdmin is served at changes, and with it the address record that leads that name to its host"
        in note
    ), note
    assert ". phpMyAdmin is no longer served at pma.example.org from `pulumi up`" in note, note
    assert "Pma." not in note and "PhpMyAdmin" not in note, note
    assert sentence_start("from `pulumi up`, phpMyAdmin answers") == "From `pulumi up`, phpMyAdmin answers"
    for kept in ("listes.example.org is in the zone", "dmarc@example.org is an alias", "web2 has no address", "`x`"):
        assert sentence_start(kept) == kept


def test_an_effect_that_starts_with_a_name_keeps_its_case_in_text_and_markdown(tmp_path: Path) -> None:
    """The effects' sentence was capitalised whenever it started with lowercase letters then a space: a host named
    with letters alone (`db has no address` read "Db has no address"), a slug, a runtime key or a single-label
    name was written as a word. Only the words the plan's sentences begin with are capitalised; the text and the
    Markdown of the plan keep every name as written."""
    import dataclasses

    from pic.plan.output import _markdown_at_stake, _text_records

    before = _stack(tmp_path, "before", WEB2)
    without = _stack(tmp_path, "without", WEB2, (PMA_BLOCK, ""))
    attr_old, attr_new = _changes(before, before)[0], _changes(without, without)[0]
    r = review([], attr_new, attr_old)
    change = _only(attr_old, attr_new, "addresses")
    for name in ("db", "velo", "legacy", "daily", "localhost"):
        effect = f"{name} has no address the zone can give"
        named = dataclasses.replace(change, effects=(effect, *change.effects))
        assert named.note().endswith(f". {effect}; " + "; ".join(change.effects)), named.note()
        shown = dataclasses.replace(r, dns_records=[named])
        text = "\n".join(_text_records(shown))
        md = "\n".join(_markdown_at_stake(shown))
        assert f". {effect}; " in text, text
        assert f". {prose(effect)}; " in md, md
        assert f"{name.capitalize()} has" not in text + md
    worded = dataclasses.replace(change, effects=("until the record is published, mail waits",))
    assert worded.note().endswith(". Until the record is published, mail waits"), worded.note()
    for kept in ("db has no address", "velo-cite keeps its lists", "php84 answers", "mail goes to web1"):
        assert sentence_start(kept) == kept


def test_every_effect_written_with_a_word_first_begins_with_an_opening_word() -> None:
    """Only OPENING_WORDS are capitalised at the start of a section's effects: an effect of pic.plan.records written
    to begin with another ordinary word would start its sentence in lowercase. Each effect whose text begins with
    words (not with a value, a code span or a capitalised name) begins with one of them."""
    import ast

    from pic.plan import records

    tree = ast.parse(Path(records.__file__).read_text(encoding="utf-8"))

    def elements(node: ast.expr) -> list[ast.expr]:
        if isinstance(node, (ast.List, ast.Tuple)):
            return [e for item in node.elts for e in elements(item)]
        if isinstance(node, ast.Starred):
            return elements(node.value)
        if isinstance(node, ast.IfExp):
            return elements(node.body) + elements(node.orelse)
        return [node]

    def leading(node: ast.expr) -> str | None:
        """The text an effect begins with, or None when it begins with a value."""
        if isinstance(node, ast.BinOp):
            return leading(node.left)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            return str(node.values[0].value)
        return None

    effects: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "effects" for t in targets):
                effects += elements(node.value)
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "append" and ast.unparse(func.value) == "effects":
                effects += elements(node.args[0])
            effects += [e for k in node.keywords if k.arg == "effects" for e in elements(k.value)]
    texts = [t for t in map(leading, effects) if t is not None]
    assert len(texts) >= 15, texts
    words = {m.group() for t in texts if (m := re.match(r"[a-z]+(?=[ ,:;])", t))}
    assert words and words <= records.OPENING_WORDS, words - records.OPENING_WORDS

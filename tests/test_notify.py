"""pic notify against a real SMTP server on loopback: who is told, in which words, recorded once."""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml

from pic import notices
from pic.cli import main
from pic.commands import notify as notify_command
from pic.errors import PicError
from pic.settings import display_path
from tests.conftest import IN_CI, ROOT, require_program, require_root
from tests.helpers import member, project_copy, write_members
from tests.smtp_sink import Sink, running_sink

ON = dt.date(2026, 11, 28)


@pytest.fixture
def smtp_sink() -> Iterator[Sink]:
    with running_sink() as sink:
        yield sink


def _site(php: str, *domains: str) -> dict[str, Any]:
    return {"domains": list(domains), "php": php}


def registry(tmp_path: Path) -> Path:
    """As of ON with the prod runtimes: 7.4 past eol (2022-11-28), 8.2 in warning (eol 2026-12-31)."""
    return write_members(
        tmp_path / "members",
        {
            # 8.2 in warning: told, in French (the default).
            "velo-cite": member(
                10601,
                name="Vélo Cité",
                contact={"name": "Élodie Martin", "email": "elodie@velo-cite.example.org"},
                site=_site("8.2", "velo-cite-asso-69.org"),
            ),
            # 7.4 past eol, exception running: told, in English as its file says.
            "old-club": member(
                10602,
                name="Old Club",
                contact={"name": "Sam Reed", "email": "sam@old-club.example.org", "language": "en"},
                site=_site("7.4", "old-club-asso-69.org"),
                exceptions={"php_eol": {"until": dt.date(2027, 1, 15), "reason": "new site on its way"}},
            ),
            # Suspended on 8.2: still told (its site comes back on the same runtime).
            "pause-asso": member(
                10603,
                name="Pause",
                status="suspended",
                contact={"name": "Paul Pause", "email": "paul@pause.example.org"},
                site=_site("8.2", "pause-asso-69.org"),
            ),
            # Supported runtime, archived member, static site, no site: nobody to tell.
            "fine-asso": member(10604, site=_site("8.4", "fine-asso-69.org")),
            "gone-asso": member(10605, status="archived", site=_site("7.4", "gone-asso-69.org")),
            "static-asso": member(10606, site=_site("none", "static-asso-69.org")),
            "lists-only": member(10607),
        },
    )


def project(tmp_path: Path, sink: Sink, period: int = 30) -> Path:
    proj = project_copy(tmp_path)
    with (proj / "Pulumi.prod.yaml").open("a", encoding="utf-8") as out:
        out.write(
            f"  pic:smtp: {{host: 127.0.0.1, port: {sink.port}, security: none, sender: pic@example.org}}\n"
            f"  pic:notify: {{period_days: {period}}}\n"
        )
    return proj


def notify(proj: Path, members: Path, on: dt.date, *extra: str, today: dt.date | None = None) -> int:
    """``pic notify --on ON`` run on the day ``today`` (by default ``on`` itself: a real send is for today)."""
    with mock.patch.object(notify_command, "today", return_value=today or on):
        return main(["notify", "--project", str(proj), "--members", str(members), "--on", on.isoformat(), *extra])


def _flat(text: str) -> str:
    """``text`` with its line breaks and runs of blanks as one space: its words, wherever a paragraph wraps them."""
    return " ".join(text.split())


def by_recipient(sink: Sink) -> dict[str, Any]:
    return {r.rcpt_tos[0]: r.message for r in sink.received}


def test_sends_exactly_the_expected_messages_in_french_by_default(tmp_path: Path, smtp_sink: Sink) -> None:
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    assert notify(proj, members, ON) == 0
    assert [len(r.rcpt_tos) for r in smtp_sink.received] == [1, 1, 1], "one message per member, one recipient"
    got = by_recipient(smtp_sink)
    assert sorted(got) == ["elodie@velo-cite.example.org", "paul@pause.example.org", "sam@old-club.example.org"]
    assert all(r.mail_from == "pic@example.org" for r in smtp_sink.received)

    fr = got["elodie@velo-cite.example.org"]
    assert fr["To"] == "Élodie Martin <elodie@velo-cite.example.org>"
    assert fr["Reply-To"] == "admin@example.org"
    assert fr["Content-Language"] == "fr"
    assert fr["Subject"] == "PHP 8.2 : fin de vie le 31 décembre 2026, votre site doit changer de version"
    body = _flat(fr.get_content())
    assert "Bonjour Élodie Martin," in body
    assert "Le site de Vélo Cité (velo-cite-asso-69.org) fonctionne avec PHP 8.2." in body
    assert "Cette version arrive en fin de vie le 31 décembre 2026, dans 33 jours" in body
    assert "Ce que vous devez faire :" in body
    assert "fonctionne avec PHP 8.5" in body, "the newest supported runtime is proposed"
    assert "nous écrire à admin@example.org" in body
    assert "au plus tard le 31 décembre 2026" in body

    en = got["sam@old-club.example.org"]
    assert en["Content-Language"] == "en"
    assert en["Subject"] == "Your site runs on PHP 7.4, which is no longer maintained"
    body = _flat(en.get_content())
    assert "has not been maintained since 28 November 2022" in body
    assert "exception granted until 15 January 2027" in body
    assert "as soon as possible, by 15 January 2027 at the latest" in body
    assert "write to us at admin@example.org" in body

    record = notices.load(proj / notices.DEFAULT_FILE)
    assert sorted((n.date, n.member, n.runtime, n.to, n.state) for n in record) == [
        (ON, "old-club", "7.4", "sam@old-club.example.org", "eol"),
        (ON, "pause-asso", "8.2", "paul@pause.example.org", "warning"),
        (ON, "velo-cite", "8.2", "elodie@velo-cite.example.org", "warning"),
    ]


_ODD_NAMES = [
    "Moreau, Lucie",
    'Lucie "la" Moreau',
    "Lucie \\ Moreau",
    "Lucie <lucie@other.example.org>",
    "Zoë (北京) ;:@",
    "עמותת שלום\u200f - Lyon",  # a right-to-left mark, after the Hebrew words
    "انجمن\u200cها\u061c 2024",  # a non-joiner of Persian, an Arabic letter mark
]


def test_the_contact_name_reaches_the_to_header_as_written(tmp_path: Path, smtp_sink: Sink) -> None:
    slugs = [f"odd-{i}" for i in range(len(_ODD_NAMES))]
    members = write_members(
        tmp_path / "members",
        {
            slug: member(
                10700 + i,
                contact={"name": name, "email": f"{slug}@example.org"},
                site=_site("8.2", f"{slug}-asso-69.org"),
            )
            for i, (slug, name) in enumerate(zip(slugs, _ODD_NAMES, strict=True))
        },
    )
    assert notify(project(tmp_path, smtp_sink), members, ON) == 0
    got = by_recipient(smtp_sink)
    for slug, name in zip(slugs, _ODD_NAMES, strict=True):
        to = got[f"{slug}@example.org"]["To"]
        assert [(a.display_name, a.addr_spec) for a in to.addresses] == [(name, f"{slug}@example.org")]


@pytest.mark.parametrize(
    "name",
    [
        "=?utf-8?q?x=0D=0ABcc:_evil@example.net?=",  # decoded on writing: a line break and a Bcc header
        "Lucie =?utf-8?b?QWRtaW4=?= Moreau",  # decoded by the recipient's mail program: another name shown
    ],
)
def test_a_contact_name_with_an_encoded_word_is_refused_and_nothing_sent(
    tmp_path: Path, smtp_sink: Sink, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    members = registry(tmp_path)
    data = yaml.safe_load((members / "velo-cite.yaml").read_text(encoding="utf-8"))
    data["contact"]["name"] = name
    write_members(members, {"velo-cite": data})
    assert notify(project(tmp_path, smtp_sink), members, ON) == 1
    assert smtp_sink.received == []
    err = capsys.readouterr().err
    assert "velo-cite.yaml:" in err and ' contact.name: "' in err and 'holds "=?"' in err
    assert not (tmp_path / "project" / notices.DEFAULT_FILE).exists()


def test_refuses_to_send_twice_within_the_period(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink, period=30)
    assert notify(proj, members, ON) == 0
    assert len(smtp_sink.received) == 3
    smtp_sink.clear()
    capsys.readouterr()
    # 29 days later: still within the period, nothing is sent, each skip is said.
    assert notify(proj, members, ON + dt.timedelta(days=29)) == 0
    assert smtp_sink.received == []
    err = capsys.readouterr().err
    assert "velo-cite: already told about PHP 8.2 on 2026-11-28" in err
    assert len(notices.load(proj / notices.DEFAULT_FILE)) == 3
    # 30 days later: due again (8.2 is still in warning, 7.4 still past eol).
    assert notify(proj, members, ON + dt.timedelta(days=30)) == 0
    assert sorted(by_recipient(smtp_sink)) == [
        "elodie@velo-cite.example.org",
        "paul@pause.example.org",
        "sam@old-club.example.org",
    ]
    assert len(notices.load(proj / notices.DEFAULT_FILE)) == 6


def test_a_new_contact_address_and_a_runtime_gone_on_to_its_end_of_life_are_told_within_the_period(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """The period counted per member and runtime: a member whose contact changed was not told at the new address
    (the former one, gone with the person, had been), and one told in ``warning`` was not told when its runtime
    passed its end of life and its site was refused, until the period ran out."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink, period=60)
    assert notify(proj, members, ON) == 0
    smtp_sink.clear()
    capsys.readouterr()
    velo = members / "velo-cite.yaml"
    velo.write_text(velo.read_text(encoding="utf-8").replace("elodie@velo-cite", "lea@velo-cite"), encoding="utf-8")
    assert notify(proj, members, ON + dt.timedelta(days=3)) == 0
    assert sorted(by_recipient(smtp_sink)) == ["lea@velo-cite.example.org"], "the new address only"
    err = capsys.readouterr().err
    assert "old-club: already told about PHP 7.4 on 2026-11-28" in err
    assert "pause-asso: already told about PHP 8.2 on 2026-11-28" in err
    smtp_sink.clear()
    report = ["report", "--project", str(proj), "--members", str(members), "--format", "json"]
    # 8.2 reaches its end of life on 2026-12-31: its members are told again, within the 60 days.
    after_eol = dt.date(2027, 1, 2)
    assert notify(proj, members, after_eol) == 0
    assert sorted(by_recipient(smtp_sink)) == ["lea@velo-cite.example.org", "paul@pause.example.org"]
    assert "old-club: already told about PHP 7.4 on 2026-11-28" in capsys.readouterr().err
    sent = [(n.member, n.to, n.state) for n in notices.load(proj / notices.DEFAULT_FILE) if n.date == after_eol]
    assert sorted(sent) == [
        ("pause-asso", "paul@pause.example.org", "eol"),
        ("velo-cite", "lea@velo-cite.example.org", "eol"),
    ]
    # pic report counts a notice as pic notify does: told at today's address, in today's state.
    assert main([*report, "--on", "2026-12-30"]) == 0
    told = {c["slug"]: c["told_on"] for c in yaml.safe_load(capsys.readouterr().out)["members_to_contact"]}
    assert told == {"velo-cite": "2026-12-01", "old-club": "2026-11-28", "pause-asso": "2026-11-28"}, told


def test_the_same_address_written_otherwise_is_the_same_contact(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """An address compared as written: a contact.email whose case was changed (Elodie@Velo-Cite...), or an entry
    whose domain is in punycode where the file has it in Unicode (or the other way), was a new contact, told
    again within the period and "not told" in pic report."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink, period=60)
    velo = members / "velo-cite.yaml"
    velo.write_text(
        velo.read_text(encoding="utf-8").replace("elodie@velo-cite.example.org", "elodie@vélo-cité.example.org"),
        encoding="utf-8",
    )
    assert notify(proj, members, ON) == 0
    assert len(smtp_sink.received) == 3
    smtp_sink.clear()
    record = proj / notices.DEFAULT_FILE
    # The record's entries as an admin may write them by hand: the address as the mail's To showed it.
    text = record.read_text(encoding="utf-8")
    text = text.replace("elodie@vélo-cité.example.org", "elodie@xn--vlo-cit-byag.example.org")
    record.write_text(text.replace("sam@old-club.example.org", "Sam@Old-Club.example.org"), encoding="utf-8")
    pause = members / "pause-asso.yaml"
    pause.write_text(
        pause.read_text(encoding="utf-8").replace("paul@pause.example.org", "Paul@PAUSE.Example.org"),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert notify(proj, members, ON + dt.timedelta(days=3)) == 0
    assert smtp_sink.received == [], [r.rcpt_tos for r in smtp_sink.received]
    err = capsys.readouterr().err
    for slug, runtime in [("velo-cite", "8.2"), ("old-club", "7.4"), ("pause-asso", "8.2")]:
        assert f"{slug}: already told about PHP {runtime} on 2026-11-28" in err, err
    report = ["report", "--project", str(proj), "--members", str(members), "--format", "json", "--on", "2026-12-01"]
    assert main(report) == 0
    told = {c["slug"]: c["told_on"] for c in yaml.safe_load(capsys.readouterr().out)["members_to_contact"]}
    assert told == {"velo-cite": "2026-11-28", "old-club": "2026-11-28", "pause-asso": "2026-11-28"}, told


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("Élodie@Vélo.example.org", "élodie@vélo.example.org", True),  # case, in and out of ASCII
        ("e\u0301lodie@example.org", "élodie@example.org", True),  # an é written e + accent (NFD), as a hand may
        ("maße@example.org", "masse@example.org", False),  # case folding's ß -> ss is another mailbox
        ("ς@example.org", "σ@example.org", False),  # and so is its final sigma -> sigma
    ],
)
def test_the_same_mailbox_is_one_address_and_another_is_not(one: str, other: str, same: bool) -> None:
    """Addresses are compared by case (lower case) and by Unicode's composed form (NFC, RFC 6532 §3.1), never by
    case folding, which makes maße and masse one: a contact moved from one to the other was not told anew."""
    assert (notices.same_address(one) == notices.same_address(other)) is same


def test_dry_run_prints_and_sends_nothing(tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]) -> None:
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    assert notify(proj, members, ON, "--dry-run") == 0
    out = capsys.readouterr().out
    assert smtp_sink.received == []
    assert not (proj / notices.DEFAULT_FILE).exists()
    assert out.count("Subject:") == 3
    assert "To: Élodie Martin <elodie@velo-cite.example.org>" in out
    assert "Cette version arrive en fin de vie le 31 décembre 2026" in out


def test_only_accepted_messages_are_recorded(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    smtp_sink.reject.add("paul@pause.example.org")
    assert notify(proj, members, ON) == 3, "a refused message is an exit status of its own"
    assert sorted(by_recipient(smtp_sink)) == ["elodie@velo-cite.example.org", "sam@old-club.example.org"]
    err = capsys.readouterr().err
    assert "pause-asso: refused by the server, not recorded: paul@pause.example.org: 550" in err
    recorded = {n.member for n in notices.load(proj / notices.DEFAULT_FILE)}
    assert recorded == {"velo-cite", "old-club"}
    # The next run (the mailbox fixed) tells only the one that was refused.
    smtp_sink.reject.clear()
    smtp_sink.clear()
    assert notify(proj, members, ON + dt.timedelta(days=1)) == 0
    assert sorted(by_recipient(smtp_sink)) == ["paul@pause.example.org"]


def test_report_says_told_on(tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]) -> None:
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    assert notify(proj, members, ON) == 0
    capsys.readouterr()
    args = ["report", "--project", str(proj), "--members", str(members), "--on", "2026-12-01"]
    assert main([*args, "--format", "json"]) == 0
    data = yaml.safe_load(capsys.readouterr().out)
    told = {c["slug"]: c["told_on"] for c in data["members_to_contact"]}
    assert told == {"old-club": "2026-11-28", "velo-cite": "2026-11-28", "pause-asso": "2026-11-28"}
    assert main(args) == 0
    table = capsys.readouterr().out
    assert "told on 2026-11-28" in table


def test_report_warns_of_a_record_it_is_given_that_does_not_exist(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped --record (notice.yaml) showed every member as not told, without a word; the default record,
    absent until pic notify's first message, is no such mistake."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    assert notify(proj, members, ON) == 0
    capsys.readouterr()
    args = ["report", "--project", str(proj), "--members", str(members), "--on", "2026-12-01"]
    assert main([*args, "--record", str(proj / "notice.yaml")]) == 0
    out, err = capsys.readouterr()
    assert f"warning: {proj / 'notice.yaml'} does not exist: no notice is recorded there, so every member" in err
    assert "not told" in out, out
    (proj / notices.DEFAULT_FILE).unlink()
    assert main(args) == 0
    assert "does not exist" not in capsys.readouterr().err


def test_report_refusing_its_record_exits_1_as_its_help_says(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """A record refused (an entry naming no member) made `pic report` exit 1, which its --help gave to the registry
    or a disk usage file alone: the record, and the stack settings, are named there too."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    entry = '{date: 2026-11-20, member: velo-cyte, runtime: "8.2", to: elodie@velo-cite.example.org, state: warning}'
    (proj / notices.DEFAULT_FILE).write_text(f"sent:\n  - {entry}\n", encoding="utf-8")
    assert main(["report", "--project", str(proj), "--members", str(members), "--on", "2026-12-01"]) == 1
    assert 'sent[0].member: "velo-cyte" is no member' in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert "1 the registry, the stack settings, the record of pic notify or a disk usage file is refused" in said, said


def test_a_record_that_is_a_member_file_or_a_file_of_the_project_is_refused_before_any_message(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """--record members/<slug>.yaml sent the messages and added `sent:` to the member file, after which pic check
    refused the whole registry (and so every pulumi up); --record Pulumi.<stack>.yaml did the same to the stack
    file, and --dry-run said nothing. Refused (exit 2) before any message, in a dry run too, by pic report as
    well; a symbolic link into the members directory is no way round."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    member = sorted(members.glob("*.yaml"))[0]
    link = tmp_path / "record.yaml"
    link.symlink_to(member)
    (proj / "Pulumi.yaml").write_text("name: pic\nruntime: python\n")  # the project's, beside its stack files
    stack = sorted(proj.glob("Pulumi*.yaml"))
    assert proj / "Pulumi.prod.yaml" in stack
    before = {f: f.read_bytes() for f in [member, *stack]}
    for path, why in [
        (member, "is inside the members directory"),
        (link, "is inside the members directory"),
        (members / "notices.yaml", "is inside the members directory"),  # a new file there: read as a member
        *((f, "is a file of the Pulumi project") for f in stack),
    ]:
        _assert_record_refused(proj, members, path, why, capsys)
    assert smtp_sink.received == []
    assert {f: f.read_bytes() for f in before} == before and not (members / "notices.yaml").exists()
    assert notify(proj, members, ON, "--record", str(tmp_path / "own.yaml"), "--new-record") == 0, "a file of its own"


def _assert_record_refused(proj: Path, members: Path, path: Path, why: str, capsys: pytest.CaptureFixture[str]) -> None:
    """``--record path`` is a usage error (exit 2) saying ``why``, for pic notify (as is, with --dry-run, with
    --new-record) and for pic report."""
    for extra in ((), ("--dry-run",), ("--new-record",)):
        assert notify(proj, members, ON, "--record", str(path), *extra) == 2, (path, extra)
        err = capsys.readouterr().err
        assert f"--record {path} {why}" in err, err
    report = ["report", "--project", str(proj), "--members", str(members), "--record", str(path)]
    assert main(report) == 2
    assert f"--record {path} {why}" in capsys.readouterr().err


def test_a_record_that_is_a_disk_usage_file_is_refused_before_any_message(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """--record disk-usage/web1.tsv (a host's file holding its header alone) was taken: the messages were sent and
    `sent:` written into the host's measurement, after which pic report and pic status refused the file (exit 1);
    a new record in disk-usage/ was read as a disk usage file too. The directory pic report and pic status read
    (the project's disk-usage/, a --disk-usage of pic report), a file of it and another name of one are refused
    (exit 2) before any message, in a dry run too, by pic report as well."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    usage = proj / "disk-usage"
    usage.mkdir()
    host_file = usage / "web1.tsv"
    host_file.write_text("# pic disk usage of web1 at 2026-11-28T02:30:04+00:00 (KiB, du -sk)\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "copy.tsv").hardlink_to(host_file)
    before = host_file.read_bytes()
    for path, why in [
        (host_file, f"is inside the disk usage directory ({usage})"),
        (usage / "notices.yaml", f"is inside the disk usage directory ({usage})"),
        (elsewhere / "copy.tsv", f"is the disk usage file {host_file} (another name of it)"),
    ]:
        _assert_record_refused(proj, members, path, why, capsys)
    other = tmp_path / "measured"
    other.mkdir()
    (other / "web1.tsv").write_text("# pic disk usage of web1 at 2026-11-28T02:30:04+00:00 (KiB, du -sk)\n")
    for given, why in [
        (other, f"is inside the disk usage directory ({other})"),
        (other / "web1.tsv", f"is the disk usage file {other / 'web1.tsv'} (--disk-usage)"),
    ]:
        report = ["report", "--project", str(proj), "--members", str(members), "--disk-usage", str(given)]
        assert main([*report, "--record", str(other / "web1.tsv")]) == 2
        assert f"--record {other / 'web1.tsv'} {why}" in capsys.readouterr().err
    assert smtp_sink.received == []
    assert host_file.read_bytes() == before and sorted(usage.iterdir()) == [host_file]


def test_pic_report_of_disk_usage_files_beside_the_record_is_no_error_of_a_record_not_given(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """pic report --disk-usage . run in the project, the hosts' files copied there (or --disk-usage of a directory
    above the project), was a usage error, 'pic report: error: --record notices.yaml is inside the disk usage
    directory (.)', of a --record not given: the project's record is read as before (the reader of a directory
    of disk usage files reads its *.tsv alone, never a file below it), its files' measurements shown; a --record
    given in that directory itself is still refused."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    (proj / "web1.tsv").write_text(
        "# pic disk usage of web1 at 2026-11-28T02:30:04+00:00 (KiB, du -sk)\nvelo-cite\t10240\t2048\t512\n"
    )
    monkeypatch.chdir(proj)
    for usage in (".", str(tmp_path)):
        rc = main(["report", "--members", str(members), "--disk-usage", usage, "--on", ON.isoformat()])
        out, err = capsys.readouterr()
        assert rc == 0 and "--record" not in err and "velo-cite" in out, (usage, out, err)
    rc = main(["report", "--members", str(members), "--disk-usage", str(tmp_path), "--record", "notices.yaml"])
    assert rc == 0, capsys.readouterr().err  # in a directory below it: not read as a disk usage file
    rc = main(["report", "--members", str(members), "--disk-usage", ".", "--record", "notices.yaml"])
    assert rc == 2 and "--record notices.yaml is inside the disk usage directory (.)" in capsys.readouterr().err


def test_a_record_reaching_a_member_or_stack_file_another_way_is_refused(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """Past the path: a hard link elsewhere to a member file or to the stack file (the same file, written
    through), the project's own members/ while --members names another directory (pulumi up reads the
    project's members/ whatever --members says: a new file there is read as a member), a stack file named in
    another case (the same file on a file system that folds case). Refused (exit 2) before any message."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    member = sorted(members.glob("*.yaml"))[0]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "member.yaml").hardlink_to(member)
    (elsewhere / "stack.yaml").hardlink_to(proj / "Pulumi.prod.yaml")
    (proj / "members").mkdir()
    before = {f: f.read_bytes() for f in [member, proj / "Pulumi.prod.yaml"]}
    for path, why in [
        (elsewhere / "member.yaml", f"is the member file {member} (another name of it)"),
        (
            elsewhere / "stack.yaml",
            f"is the file {proj / 'Pulumi.prod.yaml'} of the Pulumi project (another name of it)",
        ),
        (proj / "members" / "notices.yaml", f"is inside the members directory ({proj / 'members'})"),
        (proj / "pulumi.prod.yaml", "is a file of the Pulumi project (pulumi.prod.yaml)"),
        (proj / "PULUMI.YML", "is a file of the Pulumi project (PULUMI.YML)"),
    ]:
        _assert_record_refused(proj, members, path, why, capsys)
    assert smtp_sink.received == []
    assert {f: f.read_bytes() for f in before} == before and list((proj / "members").iterdir()) == []


def test_notify_refuses_a_record_it_is_given_that_does_not_exist_unless_told_to_start_one(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped --record (notice.yaml, a record of another directory) started a new record without a word, and
    every member already told was written to again. Refused, nothing sent; --dry-run warns; --new-record starts
    it; the default record, absent until the first message, is no such mistake."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    assert notify(proj, members, ON) == 0
    told = len(smtp_sink.received)
    assert told == 3
    smtp_sink.clear()
    capsys.readouterr()
    mistyped = proj / "notice.yaml"
    assert notify(proj, members, ON, "--record", str(mistyped)) == 1
    err = capsys.readouterr().err
    assert f"{mistyped} does not exist: a new record there would count no member as told" in err, err
    assert "add --new-record to start a new one there; nothing was sent" in err, err
    assert smtp_sink.received == [] and not mistyped.exists()
    assert notify(proj, members, ON, "--record", str(mistyped), "--dry-run") == 0
    err = capsys.readouterr().err
    assert f"warning: {mistyped} does not exist" in err and "(the real run would send nothing)" in err, err
    assert smtp_sink.received == [] and not mistyped.exists()
    assert notify(proj, members, ON, "--record", str(mistyped), "--new-record") == 0
    assert len(smtp_sink.received) == told and len(notices.load(mistyped)) == told
    assert notify(proj, members, ON, "--record", str(proj / notices.DEFAULT_FILE)) == 0, "an existing record"
    assert len(smtp_sink.received) == told, "already told"


def test_report_counts_no_notice_dated_after_its_day_or_today(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """pic report's "told on" counts notices as pic notify does: one dated after today is a warning, ignored."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    today = dt.date.today()
    later = today + dt.timedelta(days=900)
    (proj / notices.DEFAULT_FILE).write_text(
        "sent:\n"
        "  - {date: 2026-11-20, member: velo-cite, runtime: '8.2', to: elodie@velo-cite.example.org, state: warning}\n"
        f"  - {{date: {later}, member: velo-cite, runtime: '8.2', to: elodie@velo-cite.example.org, state: warning}}\n"
        f"  - {{date: {later}, member: pause-asso, runtime: '8.2', to: paul@pause.example.org, state: warning}}\n"
    )
    args = ["report", "--project", str(proj), "--members", str(members), "--format", "json"]
    assert main([*args, "--on", today.isoformat()]) == 0
    out, err = capsys.readouterr()
    told = {c["slug"]: c["told_on"] for c in yaml.safe_load(out)["members_to_contact"]}
    assert told["velo-cite"] == "2026-11-20" and told["pause-asso"] is None, told
    assert f"notices.yaml:3 sent[1].date: {later} is after today ({today})" in err, err
    # As of a day before a notice, that notice told nobody yet.
    assert main([*args, "--on", "2026-11-19"]) == 0
    told = {c["slug"]: c["told_on"] for c in yaml.safe_load(capsys.readouterr().out)["members_to_contact"]}
    assert told.get("velo-cite") is None, told


def test_a_later_day_counts_the_notices_dated_up_to_it_in_notify_and_report_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--on`` a later day reads the record as of that day: a notice dated after today but not after that day
    counts (``pic notify --dry-run`` skips the member, ``pic report`` says it told), one after it does not."""
    today = dt.date.today()
    notice_day = today + dt.timedelta(days=10)
    members = write_members(
        tmp_path / "members",
        {"old-club": member(contact={"name": "Sam", "email": "sam@old.example.org"}, site=_site("7.4", "o.org"))},
    )
    proj = project_copy(tmp_path)
    (proj / notices.DEFAULT_FILE).write_text(
        f"sent:\n  - {{date: {notice_day}, member: old-club, runtime: '7.4', to: sam@old.example.org, state: eol}}\n"
    )
    report = ["report", "--project", str(proj), "--members", str(members), "--format", "json"]
    for later, told in ((notice_day + dt.timedelta(days=10), notice_day), (notice_day - dt.timedelta(days=1), None)):
        capsys.readouterr()
        assert notify(proj, members, later, "--dry-run", today=today) == 0
        out, err = capsys.readouterr()
        assert f"{notice_day} is after today ({today})" in err, err
        if told is None:
            assert out.count("Subject:") == 1, out
        else:
            assert "Subject:" not in out, out
            assert f"old-club: already told about PHP 7.4 on {told}" in err, err
        assert main([*report, "--on", later.isoformat()]) == 0
        out, err = capsys.readouterr()
        said = {c["slug"]: c["told_on"] for c in yaml.safe_load(out)["members_to_contact"]}
        assert said == {"old-club": None if told is None else told.isoformat()}, said


def test_record_file_errors_name_the_entry(tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]) -> None:
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    (proj / notices.DEFAULT_FILE).write_text(
        "sent:\n  - {date: yesterday, member: x, runtime: '8.2', to: a@b.org, state: eol}\n"
    )
    assert notify(proj, members, ON) == 1
    err = capsys.readouterr().err
    assert "notices.yaml" in err and "sent[0]" in err and "yesterday" in err
    assert smtp_sink.received == []


@pytest.mark.parametrize("kind", ["fifo", "directory", "latin1"])
def test_a_record_that_is_no_file_is_named_never_waited_on(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    record = proj / notices.DEFAULT_FILE
    if kind == "fifo":
        os.mkfifo(record)  # read whole, it would block until a writer comes
    elif kind == "directory":
        record.mkdir()
    else:
        record.write_bytes("sent: [] # envoyé\n".encode("latin-1"))
    assert notify(proj, members, ON) == 1  # the default record, in the project
    err = capsys.readouterr().err
    assert "notices.yaml" in err and "Traceback" not in err, err
    assert smtp_sink.received == []
    if kind != "latin1":  # named on the command line: a usage error before anything is read
        with pytest.raises(SystemExit) as usage:
            notify(proj, members, ON, "--record", str(record))
        assert usage.value.code == 2
        assert "--record" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("data", "said"),
    [
        # a note typed in a Latin-1 editor: the line and column of the byte, as a member file's are named
        (
            b"sent:\n  - {date: 2026-11-20, member: velo-cite, runtime: '8.2', to: a@b.org, state: warning,"
            b' note: "appel\xe9e"}\n',
            "notices.yaml:2 sent[0].note: the line ",
        ),
        (b"# envoy\xe9s\nsent: []\n", 'notices.yaml:1 the line "# envoy'),
        ("sent: []\n".encode("utf-16"), "notices.yaml:1 is encoded in UTF-16 (little-endian)"),
    ],
)
def test_a_record_not_in_utf8_is_named_by_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, said: str
) -> None:
    """A record holding a byte that is not UTF-8 was told `is not UTF-8 text`, with no line, where a member file
    and every other file pic reads name the line and column of the byte (or the encoding the file is in)."""
    members, proj = registry(tmp_path), project_copy(tmp_path)
    (proj / notices.DEFAULT_FILE).write_bytes(data)
    assert main(["report", "--project", str(proj), "--members", str(members), "--on", "2026-12-01"]) == 1
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err, err
    assert "UTF-8" in err, err


def test_no_smtp_settings_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stack without pic:smtp was told to 'give the mail server (host, port, security, username)', not how: the
    line to add under config: is given, which the stack then takes (its values the admins' own)."""
    monkeypatch.setenv("PIC_SMTP_PASSWORD", "the-password")
    members, proj = registry(tmp_path), project_copy(tmp_path)
    assert notify(proj, members, ON) == 1
    err = capsys.readouterr().err
    assert "pic:smtp: is not set" in err, err
    line = err.split("`")[1]
    assert line.startswith("pic:smtp: {host: "), err
    with (proj / "Pulumi.prod.yaml").open("a", encoding="utf-8") as out:
        out.write(f"  {line}\n")
    assert notify(proj, members, ON, "--dry-run") == 0
    err = capsys.readouterr().err
    assert "pic:smtp" not in err.replace("Pulumi.prod.yaml pic:smtp.host", ""), err


def test_the_stack_file_is_named_with_the_project_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What is said of the stack file's pic:smtp names it as the other messages do, in --project's directory (was:
    ``Pulumi.prod.yaml pic:smtp: is not set``, as if it were in the working directory)."""
    monkeypatch.delenv("PIC_SMTP_PASSWORD", raising=False)
    members, proj = registry(tmp_path), project_copy(tmp_path)
    monkeypatch.chdir(tmp_path / "members")  # another directory, which holds no stack file
    stack = display_path(proj / "Pulumi.prod.yaml")
    assert stack.startswith(("/", "..")), stack
    for extra in ((), ("--dry-run",)):
        assert notify(proj, members, ON, *extra) == (0 if extra else 1)
        assert f"{stack} pic:smtp: is not set" in capsys.readouterr().err
    (tmp_path / "other").mkdir()
    with running_sink() as sink:
        proj = project(tmp_path / "other", sink)
        stack = display_path(proj / "Pulumi.prod.yaml")
        path = proj / "Pulumi.prod.yaml"
        path.write_text(path.read_text().replace("security: none,", "security: none, username: pic@example.org,"))
        for extra in ((), ("--dry-run",)):
            assert notify(proj, members, ON, *extra) == (0 if extra else 1)
            said = f"{stack} pic:smtp.username: is set, but no password is given"
            assert said in capsys.readouterr().err
        assert sink.received == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")  # loopback test server
# a socket left open warns as it is collected
@pytest.mark.filterwarnings("error::ResourceWarning", "error::pytest.PytestUnraisableExceptionWarning")
def test_login_with_the_password_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The password comes from PIC_SMTP_PASSWORD (or the stack secret), never from a file, and is never shown.
    A refused login closes its connection (collected here: an unclosed socket warns as it goes)."""
    password = "s3cret-of-the-relay"
    with running_sink(login=("pic@example.org", password)) as sink:
        members, proj = registry(tmp_path), project(tmp_path, sink)
        stack = proj / "Pulumi.prod.yaml"
        stack.write_text(stack.read_text().replace("security: none,", "security: none, username: pic@example.org,"))
        monkeypatch.setenv("PIC_SMTP_PASSWORD", "wrong")
        assert notify(proj, members, ON) == 3, "a refused login sends nothing"
        out, err = capsys.readouterr()
        assert sink.received == [] and not (proj / notices.DEFAULT_FILE).exists()
        assert "cannot send" in err and "wrong" not in out + err
        gc.collect()
        monkeypatch.setenv("PIC_SMTP_PASSWORD", password)
        assert notify(proj, members, ON) == 0
        out, err = capsys.readouterr()
        assert sink.logins == ["pic@example.org"] and len(sink.received) == 3
        assert password not in out + err + stack.read_text() + (proj / notices.DEFAULT_FILE).read_text()


def _idn_members(tmp_path: Path, utf8_email: str) -> Path:
    """The registry with two members more: cafe-asso, whose contact's domain alone is in Unicode, and utf8-asso,
    whose contact is ``utf8_email`` (letters outside ASCII before the @)."""
    members = registry(tmp_path)
    write_members(
        members,
        {
            "cafe-asso": member(
                10608,
                contact={"name": "Marie", "email": "marie@café.example.org"},
                site=_site("8.2", "cafe-asso-69.org"),
            ),
            "utf8-asso": member(
                10609, contact={"name": "Renée", "email": utf8_email}, site=_site("8.2", "utf8-asso-69.org")
            ),
        },
    )
    return members


@pytest.mark.parametrize("smtputf8", [True, False], ids=["server-with-smtputf8", "server-without"])
def test_internationalised_addresses_never_stop_the_others(
    tmp_path: Path, smtputf8: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """An IDN domain is sent in punycode; a non-ASCII local part goes to a server offering SMTPUTF8, and one
    that does not is reported as refused for that member alone."""
    members = _idn_members(tmp_path, "renée@utf8.example.org")
    with running_sink(smtputf8=smtputf8) as sink:
        proj = project(tmp_path, sink)
        assert notify(proj, members, ON, "--dry-run") == 0
        err = capsys.readouterr().err
        assert "utf8-asso: renée@utf8.example.org has letters outside ASCII before the @" in err, err
        assert "cafe-asso" not in err, "a domain alone in Unicode is sent in punycode"
        status = notify(proj, members, ON)
        got = by_recipient(sink)
    assert "marie@xn--caf-dma.example.org" in got and "elodie@velo-cite.example.org" in got, sorted(got)
    assert got["marie@xn--caf-dma.example.org"]["To"] == "Marie <marie@xn--caf-dma.example.org>"
    # SMTPUTF8 only for the address that needs it: the others go on through relays that do not offer it
    options = {r.rcpt_tos[0]: r.mail_options for r in sink.received}
    assert all("SMTPUTF8" not in o for a, o in options.items() if a.isascii()), options
    out, err = capsys.readouterr()
    recorded = (proj / notices.DEFAULT_FILE).read_text()
    if smtputf8:
        assert status == 0 and "renée@utf8.example.org" in got and len(got) == 5, (status, sorted(got), err)
        assert "SMTPUTF8" in options["renée@utf8.example.org"], options
        assert got["renée@utf8.example.org"]["To"] == "Renée <renée@utf8.example.org>"
        assert "utf8-asso" in recorded
    else:
        assert status == 3 and len(got) == 4, (status, sorted(got), err)
        assert "utf8-asso" not in recorded and "cafe-asso" in recorded, recorded
        assert "utf8-asso: not sent, not recorded: renée@utf8.example.org has letters outside ASCII before the @" in err
        assert f"127.0.0.1:{sink.port} does not offer SMTPUTF8 (RFC 6531)" in err, err
        assert "refused by the server" not in err, err
        assert "4 member(s) recorded in" in out and "0 refused, 1 not sent" in out, out


def test_report_marks_the_contacts_whose_address_needs_smtputf8_as_notify_sends_them(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """pic report's JSON says which contact's address needs SMTPUTF8 (letters outside ASCII before the @, RFC 6531),
    as pic notify decides it: those --dry-run names as such; a domain alone in Unicode needs none. Was: not said."""
    import json

    members = _idn_members(tmp_path, "Renée@UTF8.example.org")
    proj = project(tmp_path, smtp_sink)
    assert main(["report", "--project", str(proj), "--members", str(members), "--format", "json"]) == 0
    contacts = json.loads(capsys.readouterr().out)["members_to_contact"]
    needs = {c["slug"]: c["contact"]["smtputf8"] for c in contacts}
    assert notify(proj, members, ON, "--dry-run") == 0
    err = capsys.readouterr().err
    said = [line for line in err.splitlines() if "letters outside ASCII before the @" in line]
    named = {slug for slug in needs for line in said if f"{slug}: " in line}
    assert {slug for slug, needed in needs.items() if needed} == named == {"utf8-asso"}, (needs, err)
    assert needs["cafe-asso"] is False and len(needs) > 2, needs


def test_a_real_send_is_for_today_only(tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]) -> None:
    """A message describes the member's state on the day it is read: --on another day is for --dry-run."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    for day in (dt.date(2030, 1, 1), ON - dt.timedelta(days=1)):
        assert notify(proj, members, day, today=ON) == 2, day
        err = capsys.readouterr().err
        assert f"--on {day.isoformat()}" in err and "today (2026-11-28)" in err and "--dry-run" in err, err
        assert smtp_sink.received == [] and not (proj / notices.DEFAULT_FILE).exists()
    assert notify(proj, members, dt.date(2030, 1, 1), "--dry-run", today=ON) == 0, "another day's messages, shown"
    assert "Subject:" in capsys.readouterr().out and smtp_sink.received == []
    assert notify(proj, members, ON, today=ON) == 0, "--on today is today"
    assert len(smtp_sink.received) == 3


@pytest.mark.parametrize(
    ("slug", "said"),
    [
        (
            "velo-cit",
            "\"velo-cit\" is no member: there is no MEMBERS/velo-cit.yaml; did you mean 'velo-cite'?",
        ),
        (
            "nobody-here",
            '"nobody-here" is no member: there is no MEMBERS/nobody-here.yaml; a slug mistyped, or a member '
            "removed since",
        ),
        # not of a slug's form: mended into a member's slug alone, never into one no member has
        (
            "Velo_Cite",
            '"Velo_Cite" is not allowed here: a member\'s slug (its file name without .yaml); did you mean '
            "'velo-cite'?",
        ),
        ("Velo-Citez", "did you mean 'velo-cite'?"),
        ("Nobody_Here", '"Nobody_Here" is not allowed here: a member\'s slug (its file name without .yaml)\n'),
    ],
    ids=["slip", "none", "form", "form-slip", "form-none"],
)
@pytest.mark.parametrize("command", ["report", "notify"])
def test_a_record_s_member_that_is_no_member_is_an_error_with_a_member_meant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], slug: str, said: str, command: str
) -> None:
    """An entry naming a slug no member file has was read silently: a slug mistyped counted the member as never
    told (told again), and the hint mended a slug's form into one no member has (``Velo-Citez``: ``velo-citez``).
    Now an error naming the file, the line and the slug (nothing sent), hinted a member of the registry alone."""
    members, proj = registry(tmp_path), project_copy(tmp_path)
    (proj / notices.DEFAULT_FILE).write_text(
        "sent:\n"
        "  - {date: 2026-11-20, member: velo-cite, runtime: '8.2', to: elodie@velo-cite.example.org, state: warning}\n"
        f"  - {{date: 2026-11-20, member: {slug}, runtime: '8.2', to: elodie@velo-cite.example.org, state: warning}}\n"
    )
    args = ["--project", str(proj), "--members", str(members), "--on", ON.isoformat()]
    with mock.patch.object(notify_command, "today", return_value=ON):
        code = main([command, *args, *(["--dry-run"] if command == "notify" else [])])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "notices.yaml:3 sent[1].member: " in err and said.replace("MEMBERS", str(members)) in err, err
    assert "velo-citez" not in err and "nobody-here'" not in err and "invalid: 1 error" in err, err


def test_a_record_dated_after_today_is_named_and_blocks_nobody(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """A date after today (an older pic's `--on`, a hand edit) is a warning naming its line, and the entry is
    ignored: the member is told, as if the entry were not there, and its earlier entries still count."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    (proj / notices.DEFAULT_FILE).write_text(
        "sent:\n"
        "  - {date: 2026-11-20, member: velo-cite, runtime: '8.2', to: elodie@velo-cite.example.org, state: warning}\n"
        "  - {date: 2031-05-05, member: velo-cite, runtime: '8.2', to: elodie@velo-cite.example.org, state: warning}\n"
        "  - {date: 2030-01-01, member: pause-asso, runtime: '8.2', to: paul@pause.example.org, state: warning}\n"
    )
    assert notify(proj, members, ON) == 0
    err = capsys.readouterr().err
    assert "notices.yaml:3 sent[1].date: 2031-05-05 is after today (2026-11-28)" in err, err
    assert "notices.yaml:4 sent[2].date: 2030-01-01 is after today (2026-11-28)" in err, err
    assert "velo-cite: already told about PHP 8.2 on 2026-11-20" in err
    assert sorted(by_recipient(smtp_sink)) == ["paul@pause.example.org", "sam@old-club.example.org"]
    # The next day, the message just sent counts: nobody is told twice.
    smtp_sink.clear()
    assert notify(proj, members, ON + dt.timedelta(days=1)) == 0
    assert smtp_sink.received == []
    assert "pause-asso: already told about PHP 8.2 on 2026-11-28" in capsys.readouterr().err


def test_a_record_that_cannot_be_written_stops_everything_before_sending(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    record = tmp_path / "nonexistent" / "dir" / "notices.yaml"
    assert notify(proj, members, ON, "--record", str(record), "--new-record") == 1
    err = capsys.readouterr().err
    assert f"{record} cannot be written: its directory does not exist; nothing was sent" in err, err
    assert "cannot send" not in err and ".notices.yaml." not in err, err
    assert smtp_sink.received == []
    assert notify(proj, members, ON, "--record", str(record), "--dry-run") == 0, "a dry run writes nothing"


def test_a_sent_message_the_record_fails_to_keep_is_said_and_stops_the_others(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record's directory vanishes once the first message is accepted: that message is said sent and not
    recorded, with the entry to add by hand, and nothing more is sent (it could not be recorded either)."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    record = tmp_path / "records" / "notices.yaml"
    record.parent.mkdir()
    append = notices.append

    def vanishing(path: Path, notice: notices.Notice) -> None:
        shutil.rmtree(path.parent, ignore_errors=True)
        append(path, notice)

    monkeypatch.setattr(notices, "append", vanishing)
    assert notify(proj, members, ON, "--record", str(record), "--new-record") == 1
    out, err = capsys.readouterr()
    assert len(smtp_sink.received) == 1
    assert "sent 1 message(s) for 1 member(s), 0 member(s) recorded in" in out and "(1 NOT recorded)" in out, out
    to = smtp_sink.received[0].rcpt_tos[0]
    assert f"sent to {to}, not recorded: {record} cannot be written (No such file or directory)" in err, err
    assert "date: 2026-11-28" in err and f"to: {to}" in err, "the entry to add by hand"
    assert "2 message(s) not sent" in err and "cannot send" not in err and ".notices.yaml." not in err, err


def _password_in_a_stack_secret(proj: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The SMTP password as the stack secret pic:smtpPassword, none in the environment."""
    stack = proj / "Pulumi.prod.yaml"
    stack.write_text(stack.read_text().replace("security: none,", "security: none, username: pic@example.org,"))
    with stack.open("a", encoding="utf-8") as out:
        out.write("  pic:smtpPassword: {secure: AAABAKoAAAAAAAAAAAAAAAAAAAAAAAAA}\n")
    monkeypatch.delenv("PIC_SMTP_PASSWORD", raising=False)


def test_a_stack_secret_pulumi_cannot_read_is_a_settings_error_before_connecting(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    _password_in_a_stack_secret(proj, monkeypatch)
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))  # no pulumi
    assert notify(proj, members, ON) == 1
    err = capsys.readouterr().err
    assert "pic:smtpPassword" in err and "set PIC_SMTP_PASSWORD instead" in err, err
    assert "cannot send" not in err and "Errno" not in err, err
    assert smtp_sink.received == [] and not (proj / notices.DEFAULT_FILE).exists()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")  # loopback test server
@pytest.mark.parametrize(
    ("env", "printed", "said"),
    [
        ("p\udcffw-hunter2", None, "<environment> PIC_SMTP_PASSWORD: holds bytes that are not UTF-8 (at character 2)"),
        (None, b"p\xffw-hunter2", "Pulumi.prod.yaml pic:smtpPassword: holds bytes that are not UTF-8 (at character 2)"),
        (None, b"p\x00w-hunter2", "Pulumi.prod.yaml pic:smtpPassword: holds a NUL character (at character 2)"),
        (None, b"", "Pulumi.prod.yaml pic:smtp.username: is set, but no password is given"),
        (None, None, "Pulumi.prod.yaml pic:smtp.username: is set, but no password is given"),
    ],
    ids=["env-not-utf8", "secret-not-utf8", "secret-with-nul", "secret-empty", "none-at-all"],
)
def test_a_password_the_login_cannot_send_is_refused_before_connecting(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *,
    env: str | None,
    printed: bytes | None,
    said: str,
) -> None:
    with running_sink(login=("pic@example.org", "pw")) as sink:
        members, proj = registry(tmp_path), project(tmp_path, sink)
        stack = proj / "Pulumi.prod.yaml"
        if printed is not None:
            _password_in_a_stack_secret(proj, monkeypatch)
            bin_dir = tmp_path / "bin"
            bin_dir.mkdir()
            (bin_dir / "password").write_bytes(printed)
            (bin_dir / "pulumi").write_text(f"#!/bin/sh\ncat '{bin_dir}/password'\n")
            (bin_dir / "pulumi").chmod(0o755)
            monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
        else:
            stack.write_text(stack.read_text().replace("security: none,", "security: none, username: pic@example.org,"))
            if env is None:
                monkeypatch.delenv("PIC_SMTP_PASSWORD", raising=False)
            else:
                monkeypatch.setenv("PIC_SMTP_PASSWORD", env)
        assert notify(proj, members, ON) == 1
        out, err = capsys.readouterr()
        assert said in err and "; nothing sent" in err, err
        assert "hunter2" not in out + err and "cannot send" not in err, err
        assert sink.logins == [] and sink.received == [] and not (proj / notices.DEFAULT_FILE).exists()


def dry_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: dict[str, Any], on: dt.date, stopped: str = ""
) -> str:
    """The one message ``pic notify --dry-run`` prints for a member ``data``, headers included."""
    members = write_members(tmp_path / "members", {"case-member": data})
    proj = project_copy(tmp_path)
    if stopped:
        stack = proj / "Pulumi.prod.yaml"
        text = stack.read_text(encoding="utf-8")
        written = f'"{stopped}": {{debian: '
        assert written in text
        stack.write_text(text.replace(written, f'"{stopped}": {{stopped: true, debian: '), encoding="utf-8")
    capsys.readouterr()
    assert notify(proj, members, on, "--dry-run") == 0
    out = capsys.readouterr().out
    assert out.count("Subject:") == 1, out
    return out


_LONG_ADMINS = "administrateurs-hebergement@association-lyonnaise-exemple.org"


def _long_admins_and_stopped(proj: Path, stopped: str) -> None:
    """The project's stack file with the admins' long address (:data:`_LONG_ADMINS`) and the runtime ``stopped``
    (none when empty) stopped."""
    stack = proj / "Pulumi.prod.yaml"
    text = stack.read_text(encoding="utf-8").replace(
        "pic:admin_email: admin@example.org", f"pic:admin_email: {_LONG_ADMINS}"
    )
    if stopped:
        text = text.replace(f'"{stopped}": {{debian: ', f'"{stopped}": {{stopped: true, debian: ')
    stack.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    ("php", "status", "exception", "stopped"),
    [
        ("8.2", "active", None, ""),  # warning
        ("8.2", "active", dt.date(2027, 3, 31), ""),  # warning, allowed ahead by exception
        ("8.2", "suspended", None, ""),
        ("7.4", "active", dt.date(2027, 1, 15), ""),  # past its end of life, by exception
        ("7.4", "active", None, ""),  # past its end of life, refused
        ("7.4", "suspended", None, ""),
        ("8.2", "active", None, "8.2"),  # stopped
    ],
)
def test_no_line_of_a_message_is_longer_than_78_characters_whatever_the_admins_address(  # noqa: PLR0917
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    language: str,
    php: str,
    status: str,
    exception: dt.date | None,
    stopped: str,
) -> None:
    """The paragraphs holding the admins' address (``2. nous écrire à ADDRESS pour que ...``, ``Pour toute
    question, ... écrivez à ADDRESS.``) and a date were not wrapped: a line of 85 to 120 characters, past RFC 5322's
    78. Every paragraph is wrapped once its values are put in."""
    contact = {"name": "Camille Roux", "email": "c@case-asso.fr", "language": language}
    extra: dict[str, Any] = {"exceptions": _exception(exception)} if exception else {}
    data = member(status=status, contact=contact, site=_site(php, "case-asso.fr"), **extra)
    members = write_members(tmp_path / "members", {"case-member": data})
    proj = project_copy(tmp_path)
    _long_admins_and_stopped(proj, stopped)
    capsys.readouterr()
    assert notify(proj, members, ON, "--dry-run") == 0
    lines = _body(capsys.readouterr().out)
    assert any(_LONG_ADMINS in line for line in lines), lines
    assert [line for line in lines if len(line) > _WIDTH] == [], lines


def _exception(until: dt.date) -> dict[str, Any]:
    return {"php_eol": {"until": until, "reason": "new site on its way"}}


def test_warning_with_an_exception_says_the_site_runs_until_the_exception_ends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """8.2 ends on 2026-12-31, the exception on 2027-06-30: the site stops after the exception, not after the
    end of life, and the move is due by the exception's end."""
    data = member(site=_site("8.2", "case-asso.fr"), exceptions=_exception(dt.date(2027, 6, 30)))
    out = _flat(dry_run(tmp_path, capsys, data, ON))
    assert "Le site de Case Member (case-asso.fr) fonctionne avec PHP 8.2." in out
    assert "Cette version arrive en fin de vie le 31 décembre 2026, dans 33 jours" in out
    assert "Une exception vous est accordée jusqu'au 30 juin 2027 : votre site continuera de fonctionner" in out
    assert "jusqu'à cette date, puis il sera arrêté." in out
    assert "(au plus tard le 30 juin 2027)" in out
    assert "et votre site sera arrêté" not in out and "31 décembre 2026)" not in out, out

    en = dict(data, contact={"name": "Sam", "email": "sam@case-asso.fr", "language": "en"})
    out = _flat(dry_run(tmp_path / "en", capsys, en, ON))
    assert "You hold an exception until 30 June 2027: your site keeps running on PHP 8.2" in out
    assert "(by 30 June 2027 at the latest)" in out
    assert "and your site will be stopped" not in out and "31 December 2026 at the latest" not in out, out


@pytest.mark.parametrize("status", ["active", "suspended"])
def test_on_the_last_day_of_an_exception_the_message_says_it_ends_today(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], status: str
) -> None:
    """On an exception's last day the message named the day alone, as for a day ahead ("granted until 15 January
    2027. After that day it will be stopped."): the member reading it that day is told it ends today, and the move
    is due today, in French and in English."""
    last = dt.date(2027, 1, 15)
    data = member(status=status, site=_site("7.4", "case-asso.fr"), exceptions=_exception(last))
    printed = dry_run(tmp_path, capsys, data, last)
    assert [line for line in _body(printed) if len(line) > _WIDTH] == [], printed
    out = _flat(printed)
    assert "prend fin aujourd'hui, le 15 janvier 2027" in out, out
    assert "au plus tard aujourd'hui, le 15 janvier 2027" in out, out
    assert "Après cette date" not in out and "d'ici là" not in out, out

    en = dict(data, contact={"name": "Sam", "email": "sam@case-asso.fr", "language": "en"})
    printed = dry_run(tmp_path / "en", capsys, en, last)
    assert [line for line in _body(printed) if len(line) > _WIDTH] == [], printed
    out = _flat(printed)
    assert "ends today, 15 January 2027" in out, out
    assert "today, 15 January 2027, at the latest" in out, out
    assert "After that day" not in out and "before then" not in out, out
    # the day before, the day is named as any other
    out = _flat(dry_run(tmp_path / "before", capsys, en, last - dt.timedelta(days=1)))
    assert "ends today" not in out and "today, 14 January" not in out, out
    assert "exception granted until 15 January 2027. After that day it will be stopped." in out or (
        status == "suspended" and "You hold an exception until 15 January 2027: if your site" in out
    ), out


@pytest.mark.parametrize("status", ["active", "suspended"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_on_the_end_of_life_day_the_move_is_due_today(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], status: str, language: str
) -> None:
    """Without an exception the last day is the end of life's (8.2: 2026-12-31): on it, the move is due today, as
    on an exception's last day, not by a day named as if ahead."""
    contact = {"name": "Sam", "email": "sam@case-asso.fr", "language": language}
    data = member(status=status, contact=contact, site=_site("8.2", "case-asso.fr"))
    printed = dry_run(tmp_path, capsys, data, dt.date(2026, 12, 31))
    assert [line for line in _body(printed) if len(line) > _WIDTH] == [], printed
    out = _flat(printed)
    today = {"fr": "au plus tard aujourd'hui, le 31 décembre 2026", "en": "today, 31 December 2026, at the latest"}
    assert today[language] in out, out
    if status == "suspended":  # and the day it may run if brought back is today's
        back = {"fr": "jusqu'à ce soir, le 31 décembre 2026, pas au-delà", "en": "until the end of today, 31 December"}
        assert back[language] in out, out


def test_an_exception_longer_than_pic_check_allows_is_refused_and_nothing_sent(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """An exception more than 366 days ahead, which pic check refuses (and with it pulumi up), was promised
    to the member: "your site keeps running until 1 June 2029". Every message waits for it to be corrected."""
    members = registry(tmp_path)
    path = members / "old-club.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2027-01-15", "2029-06-01"), encoding="utf-8")
    proj = project(tmp_path, smtp_sink)
    capsys.readouterr()
    for extra in (["--dry-run"], []):
        assert notify(proj, members, ON, *extra) == 1, extra
        out, err = capsys.readouterr()
        assert "Subject:" not in out and "2029" not in out, out
        line = next(ln for ln in err.splitlines() if "old-club.yaml:" in ln)
        assert "exceptions.php_eol.until: 2029-06-01 is " in line and "at most 12 months" in line, err
        assert "nothing is sent" in line, err
    assert smtp_sink.received == []
    assert not (proj / notices.DEFAULT_FILE).exists()


@pytest.mark.parametrize(
    ("smtp", "warned"),
    [
        ("{host: smtp.example.org, security: none, username: pic@example.org}", True),
        ("{host: 127.0.0.1, security: none, username: pic@example.org}", False),  # a relay on this machine
        ("{host: localhost, security: none, username: pic@example.org}", False),
        # RFC 6761 §6.3: names under .localhost are this machine, and Debian's localhost.localdomain
        ("{host: mail.localhost, security: none, username: pic@example.org}", False),
        ("{host: localhost.localdomain, security: none, username: pic@example.org}", False),
        # a name under another domain is another machine's, whatever its first label
        ("{host: localhost.example.org, security: none, username: pic@example.org}", True),
        ("{host: smtp.example.org, security: none}", False),  # no login to send
        ("{host: smtp.example.org, username: pic@example.org}", False),  # starttls
    ],
)
def test_a_login_sent_in_clear_to_another_machine_is_warned_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], smtp: str, warned: bool
) -> None:
    """security: none with a username sent the login and the password over the network in clear, unsaid."""
    members = registry(tmp_path)
    proj = project_copy(tmp_path)
    with (proj / "Pulumi.prod.yaml").open("a", encoding="utf-8") as out:
        out.write(f"  pic:smtp: {smtp}\n")
    capsys.readouterr()
    assert notify(proj, members, ON, "--dry-run") == 0
    err = capsys.readouterr().err
    said = [ln for ln in err.splitlines() if ln.startswith("warning: ") and "pic:smtp.security" in ln]
    assert len(said) == int(warned), err
    if warned:
        assert "sends the login and the password to " in said[0] and " in clear" in said[0], said
    assert main(["check", "--project", str(proj), "--members", str(members), "--on", ON.isoformat()]) == 0
    assert ("pic:smtp.security" in capsys.readouterr().err) == warned


def test_suspended_member_is_not_told_its_site_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A suspended site answers 503 and PHP does not run: the message says so, and what happens if it returns."""
    data = member(status="suspended", site=_site("8.2", "case-asso.fr"))
    out = dry_run(tmp_path, capsys, data, ON)
    assert "fonctionne avec PHP 8.2" not in out and "fonctionne encore" not in out, out
    assert "Le site de Case Member (case-asso.fr) est suspendu : il affiche une page\nd'indisponibilité" in out
    assert "PHP n'y tourne pas. Il est configuré pour PHP 8.2." in out
    assert "S'il est remis en service, votre site pourra fonctionner avec PHP 8.2 jusqu'au\n31 décembre 2026" in out
    assert "(au plus tard le 31 décembre 2026)" in out

    en = dict(data, contact={"name": "Sam", "email": "sam@case-asso.fr", "language": "en"})
    out = dry_run(tmp_path / "en", capsys, en, ON + dt.timedelta(days=60))  # past end of life, no exception
    assert "runs on PHP" not in out and "still runs" not in out, out
    assert "Subject: PHP 8.2 is no longer maintained: your site must move" in out
    assert "is suspended: it shows an" in out
    assert "Your site cannot be brought back until it moves to a maintained version." in out
    assert "(before it is brought back)" in out


_LONG_NAME = "Association pour les Jardins Partagés et Solidaires du Quartier de la Croix-Rousse"
_LONG_DOMAIN = "jardins-partages-solidaires-croix-rousse-lyon-4e.org"
_WIDTH = 78  # RFC 5322 section 2.1.1


def _body(out: str) -> list[str]:
    """The lines of the one message's text a dry run printed (after its headers)."""
    return out.split("\n\n", 1)[1].splitlines()


def _paragraph(lines: list[str], said: str) -> str:
    """The lines of ``lines`` from the one ``said`` begins with, as many as ``said`` is long, joined with a
    space: ``said`` when it was wrapped at spaces only."""
    first = next(i for i, line in enumerate(lines) if line.startswith(said[:12]))
    joined = lines[first]
    while len(joined) < len(said) and first + 1 < len(lines):
        first += 1
        joined += " " + lines[first]
    return joined


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_paragraph_holding_a_long_name_is_wrapped_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    """A paragraph holding a member's name and domains is wrapped once they are put in: a long name left the
    template's line break where it was, a line far too long then the runtime alone on the next one
    (``... est arrêté. Il est configuré pour`` / ``PHP 8.2.``)."""
    contact = {"name": "Camille Dupont-Lefèvre de la Croix-Rousse", "email": "c@case-asso.fr"}
    data = member(name=_LONG_NAME, contact={**contact, "language": language}, site=_site("8.2", _LONG_DOMAIN))
    lines = _body(dry_run(tmp_path, capsys, data, ON, stopped="8.2"))
    first = next(i for i, line in enumerate(lines) if _LONG_NAME.split(maxsplit=1)[0] in line)
    assert lines.index("", first) - first > 1 and all(len(line) <= _WIDTH for line in lines[first : first + 3]), lines
    assert "PHP 8.2." not in lines, lines
    assert all(not line.startswith((":", ";", "?", "!")) for line in lines), lines
    assert any(_LONG_DOMAIN in line for line in lines), "a domain is never cut (at its hyphens)"
    if language == "fr":
        said = (
            f"Le site d'{_LONG_NAME} ({_LONG_DOMAIN}) est arrêté. Il est configuré pour PHP 8.2.",
            f"Bonjour {contact['name']},",
        )
    else:
        said = (f"The site of {_LONG_NAME} ({_LONG_DOMAIN}) is down. It is set up for PHP 8.2.", "Hello Camille")
    assert _paragraph(lines, said[0]) == said[0], lines
    assert _paragraph(lines, said[1]).startswith(said[1]), lines


def test_a_grouped_message_keeps_each_site_of_its_summary_on_one_line(tmp_path: Path, smtp_sink: Sink) -> None:
    """The summary of a message to the contact of several members is a line per member, however long its name:
    its paragraphs are wrapped, its items are not."""
    contact = {"name": "Sam Reed", "email": "sam@clubs.example.org"}
    members = write_members(
        tmp_path / "members",
        {
            "long-club": member(10811, name=_LONG_NAME, contact=contact, site=_site("8.2", _LONG_DOMAIN)),
            "pause-club": member(10812, name="Pause Club", contact=contact, site=_site("8.2", "pause-asso-69.org")),
        },
    )
    assert notify(project(tmp_path, smtp_sink), members, ON) == 0
    lines = smtp_sink.received[0].message.get_content().splitlines()
    assert f"- {_LONG_NAME} ({_LONG_DOMAIN}) : PHP 8.2, fin de vie le 31 décembre 2026, dans 33 jours" in lines
    assert "- Pause Club (pause-asso-69.org) : PHP 8.2, fin de vie le 31 décembre 2026, dans 33 jours" in lines
    site = f"Le site d'{_LONG_NAME} ({_LONG_DOMAIN}) fonctionne avec PHP 8.2."
    assert _paragraph(lines, site) == site, lines
    assert all(len(line) <= _WIDTH for line in lines[lines.index(f"== {_LONG_NAME} ==") :][2:4]), lines


def _visual_order(line: str, *, auto: bool = False) -> list[int]:
    """The logical index of each character of ``line`` in the order a left-to-right paragraph (``auto``: one of
    the direction of its first strong letter) shows them, left to right: the Unicode Bidirectional Algorithm
    (UAX #9, isolates included) of GNU FriBidi."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("fribidi")
    if name is None:
        message = "GNU FriBidi (libfribidi0, a Debian package .ci/run installs) is not installed"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    fribidi = ctypes.CDLL(name)
    n = len(line)
    text = (ctypes.c_uint32 * n)(*map(ord, line))
    base = ctypes.c_uint32(0x40 if auto else 0x110)  # FRIBIDI_PAR_ON (auto), FRIBIDI_PAR_LTR
    visual = (ctypes.c_uint32 * n)()
    v_to_l = (ctypes.c_int * n)()
    levels = (ctypes.c_int8 * n)()
    assert fribidi.fribidi_log2vis(text, n, ctypes.byref(base), visual, None, v_to_l, levels) > 0
    return list(v_to_l)


@pytest.mark.parametrize(
    ("name", "domain"),
    [
        ("עמותת שלום!", "c.org"),  # Hebrew, then a neutral sign: shown at the name's end (its left), not after it
        ("جمعية السلام", "c.org"),  # Arabic
        ("انجمن\u200cها\u061c 2024", "c.org"),  # Persian, a non-joiner, an Arabic letter mark, digits
        ("עמותת שלום", "xn--9dbne9b.asso-69.org"),  # a Hebrew domain, shown in U-labels: isolated too
    ],
)
def test_a_right_to_left_name_is_isolated_in_the_text(tmp_path: Path, smtp_sink: Sink, name: str, domain: str) -> None:
    """A right-to-left name (or domain) in the left-to-right text is set between U+2068 FIRST STRONG ISOLATE and
    U+2069 POP DIRECTIONAL ISOLATE (UAX #9, section 2.7): a mail program shows it as a block at its place, as it
    shows it alone, and the words around it in their order (was: the name's direction spilt over the neutral signs
    next to it, and theirs over it)."""
    data = member(name=name, contact={"name": name, "email": "c@case-asso.fr"}, site=_site("8.2", domain))
    members = write_members(tmp_path / "members", {"case-member": data})
    assert notify(project(tmp_path, smtp_sink), members, ON) == 0
    message = smtp_sink.received[0].message
    assert message["To"].addresses[0].display_name == name, "the header's name as written"
    lines = message.get_content().splitlines()
    isolated = f"\u2068{name}\u2069"
    assert f"Bonjour {isolated}," in lines, lines
    site = next(line for line in lines if line.startswith("Le site "))
    shown_domain = "\u2068שלום.asso-69.org\u2069" if domain.startswith("xn--") else domain
    assert site.startswith(f"Le site de {isolated} ({shown_domain}) "), site
    alone = [name[i] for i in _visual_order(name, auto=True)]
    for line in (f"Bonjour {isolated},", site):
        order = _visual_order(line)
        start, end = line.index(name), line.index(name) + len(name)
        assert [line[i] for i in order if start <= i < end] == alone, f"the name is not shown as alone: {line!r}"
        assert _units_in_order(line, order), f"the name, the domain and the words around are out of order: {line!r}"


def _units_in_order(line: str, order: list[int]) -> bool:
    """True when ``order`` (:func:`_visual_order`) shows each isolate of ``line`` (U+2068 to U+2069) as one block,
    and the blocks and the other characters in their logical order."""
    unit, opened = [], None
    for i, ch in enumerate(line):
        opened = i if ch == "\u2068" and opened is None else opened
        unit.append(i if opened is None else opened)
        opened = None if ch == "\u2069" else opened
    shown = [unit[i] for n, i in enumerate(order) if n == 0 or unit[order[n - 1]] != unit[i]]
    return shown == sorted(set(shown))


def test_an_isolate_cut_by_the_wrapping_is_closed_and_opened_again_on_each_line() -> None:
    """Each line is a paragraph of the Bidirectional Algorithm (UAX #9, BD2): an isolate cut at a line's end is
    closed there and opened again on the next line, the name's words and a no-break space written kept."""
    name = " ".join(["עמותת שלום"] * 8)
    text = notify_command.wrapped(f"Le site de {notify_command.isolated(name)} (c.org) est\nsuspendu\u00a0: oui.\n")
    lines = text.removesuffix("\n").split("\n")
    assert len(lines) > 1 and all(len(line) <= notify_command.WIDTH for line in lines), lines
    assert all(line.count("\u2068") == line.count("\u2069") for line in lines), lines
    assert lines[1].startswith("\u2068") and lines[0].endswith("\u2069"), lines
    assert text.replace("\u2069\n\u2068", " ") == f"Le site de \u2068{name}\u2069 (c.org) est suspendu\u00a0: oui.\n"


def test_a_left_to_right_name_is_written_without_marks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = dry_run(tmp_path, capsys, member(name="Vélo Cité", site=_site("8.2", "c.org")), ON)
    assert "\u2068" not in out and "\u2069" not in out
    assert "Le site de Vélo Cité (c.org) fonctionne avec PHP 8.2." in out


# (case, day, member fields, stopped runtime, texts the message holds, texts it must not hold), member on 8.2
STATES: list[tuple[str, dt.date, dict[str, Any], str, list[str], list[str]]] = [
    (
        "past-eol-exception-running",
        dt.date(2027, 1, 15),
        {"exceptions": _exception(dt.date(2027, 3, 1))},
        "",
        [
            "Subject: Votre site fonctionne avec PHP 8.2, qui n'est plus maintenu",
            "fonctionne avec PHP 8.2.",
            "Votre site fonctionne encore grâce à une exception accordée jusqu'au 1er mars 2027.",
            "Après cette date, il sera arrêté.",
            "(dès que possible, au plus tard le 1er mars 2027)",
        ],
        ["Sans exception"],
    ),
    (
        "past-eol-exception-ended",
        dt.date(2027, 1, 15),
        {"exceptions": _exception(dt.date(2027, 1, 10))},
        "",
        [
            "Subject: PHP 8.2 n'est plus maintenu : votre site doit changer de version",
            "Le site de Case Member (case-asso.fr) est arrêté.",
            "L'exception qui vous était accordée a pris fin le 10 janvier 2027.",
            "votre site ne fonctionnera de nouveau qu'une fois passé à une\nversion maintenue.",
            "(dès que possible)",
        ],
        ["fonctionne avec PHP 8.2", "fonctionne encore", "sera arrêté"],
    ),
    (
        "past-eol-no-exception",
        dt.date(2027, 1, 15),
        {},
        "",
        ["est arrêté.", "Sans exception en cours, votre site ne fonctionnera de nouveau"],
        ["fonctionne avec PHP 8.2", "sera arrêté", "a pris fin"],
    ),
    (
        "stopped-with-exception",
        ON,
        {"exceptions": _exception(dt.date(2027, 6, 30))},
        "8.2",
        [
            "Subject: PHP 8.2 est arrêté sur l'hébergement : votre site doit changer de version",
            "est arrêté. Il est configuré pour\nPHP 8.2.",
            "Les administrateurs de l'hébergement ont arrêté PHP 8.2 : votre site ne\nfonctionnera de nouveau",
            "qu'une fois passé à une autre version.",  # the runtime stopped may still be maintained
            "(dès que possible)",
        ],
        ["fonctionne avec PHP 8.2", "exception", "30 juin 2027", "sera arrêté", "version maintenue"],
    ),
    (
        "suspended-stopped",
        ON,
        {"status": "suspended"},
        "8.2",
        ["est suspendu", "votre site ne pourra être\nremis en service qu'une fois passé", "(avant sa remise en"],
        ["fonctionne avec PHP 8.2", "sera arrêté", "31 décembre 2026"],
    ),
    (
        "suspended-past-eol-exception",
        dt.date(2027, 1, 15),
        {"status": "suspended", "exceptions": _exception(dt.date(2027, 6, 30))},
        "",
        [
            "Subject: PHP 8.2 n'est plus maintenu : votre site doit changer de version",
            "est suspendu",
            "Une exception vous est accordée jusqu'au 30 juin 2027 : si votre site est remis en\nservice d'ici là",
            "(dès que possible, au plus tard le 30 juin 2027)",
        ],
        ["fonctionne avec PHP 8.2", "fonctionne encore"],
    ),
    (
        "suspended-warning-exception",
        ON,
        {"status": "suspended", "exceptions": _exception(dt.date(2027, 6, 30))},
        "",
        ["Une exception vous est accordée jusqu'au 30 juin 2027 : s'il est remis en service,"],
        ["fonctionne avec PHP 8.2", "31 décembre 2026)"],
    ),
    (
        "warning-exception-ending-before-eol",  # it changes nothing: the site stops after the end of life
        ON,
        {"exceptions": _exception(dt.date(2026, 12, 15))},
        "",
        ["et votre site sera arrêté.", "(au plus tard le 31 décembre 2026)"],
        ["exception", "15 décembre"],
    ),
    (
        "end-of-life-today",
        dt.date(2026, 12, 31),
        {},
        "",
        ["le 31 décembre 2026, c'est-à-dire aujourd'hui : après\ncette date"],
        ["dans 0 jours"],
    ),
]


@pytest.mark.parametrize("state", STATES, ids=[c[0] for c in STATES])
def test_each_state_says_what_happens_and_when(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    state: tuple[str, dt.date, dict[str, Any], str, list[str], list[str]],
) -> None:
    case, on, fields, stopped, present, absent = state
    out = dry_run(tmp_path, capsys, member(site=_site("8.2", "case-asso.fr"), **fields), on, stopped)
    for text in present:  # words, wherever the paragraph wraps them
        assert _flat(text) in _flat(out), f"{case}: {text!r} missing from:\n{out}"
    for text in absent:
        assert _flat(text) not in _flat(out), f"{case}: {text!r} in:\n{out}"


def test_pulumi_failing_to_read_the_secret_is_said_with_its_first_line_of_stderr_never_stdout(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``pulumi config get`` exits 255: its first line of stderr that says something is shown, escaped;
    stdout (the secret, were it printed) never is."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    _password_in_a_stack_secret(proj, monkeypatch)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pulumi = bin_dir / "pulumi"
    pulumi.write_text(
        "#!/bin/sh\necho hunter2-secret\nprintf '\\n\\nerror:\\n  error: passphrase must be set\\033[31m\\n'"
        " >&2\necho second line >&2\nexit 255\n"
    )
    pulumi.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    assert notify(proj, members, ON) == 1
    err = capsys.readouterr().err
    assert "(exit 255: error: passphrase must be set\\x1b[31m); set PIC_SMTP_PASSWORD instead" in err, err
    assert "hunter2" not in err and "second line" not in err and "\x1b" not in err, err
    assert smtp_sink.received == []


# --- The record keeps every hand edit: a send adds one line, nothing else changes ---------------------------

HAND_EDITED = (
    "# Notices of the association: Marie keeps this file tidy.\n"
    "sent:\n"
    "  # Older ones first\n"
    "  - {date: 2026-11-20, member: velo-cite, runtime: '8.2', to: elodie@velo-cite.example.org, state: warning,"
    ' note: "phoned her too"}\n'
    "  - date: 2026-10-01\n"
    "    member: pause-asso\n"
    "    runtime: '8.2'\n"
    "    to: paul@pause.example.org\n"
    "    state: warning  # by hand\n"
)


def test_a_send_keeps_comments_notes_and_order_byte_for_byte(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink, period=30)
    record = proj / notices.DEFAULT_FILE
    record.write_text(HAND_EDITED, encoding="utf-8")
    assert notify(proj, members, ON) == 0
    text = record.read_text(encoding="utf-8")
    assert text.startswith(HAND_EDITED), text
    added = text[len(HAND_EDITED) :].splitlines()
    assert len(added) == len(smtp_sink.received) == 2, (added, capsys.readouterr())
    assert all(a.startswith("  - {date: 2026-11-28, member: ") and a.endswith("}") for a in added), added
    recorded = notices.load(record)
    assert [n.note for n in recorded if n.member == "velo-cite"] == ["phoned her too"]


ENTRY = "{date: 2026-01-01, member: amis, runtime: '7.4', to: a@b.org, state: eol}"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", f"{notices.HEADER}sent:\n  - LINE\n"),
        ("# mine\n", "# mine\nsent:\n  - LINE\n"),
        ("sent: []  # none yet\n", "sent:  # none yet\n  - LINE\n"),
        ("sent: [\n]\n# other: 1\n", "sent:\n  - LINE\n# other: 1\n"),
        ("sent: ~\n", "sent:\n  - LINE\n"),
        ("sent: null  # none\n# other: x\n", "sent:  # none\n  - LINE\n# other: x\n"),
        ("sent:\n# c\n", "sent:\n  - LINE\n# c\n"),
        (
            "sent:\n- {date: 2026-01-01, member: amis, runtime: '7.4', to: a@b.org, state: eol}\n# end\n# other: 1\n",
            "sent:\n- {date: 2026-01-01, member: amis, runtime: '7.4', to: a@b.org, state: eol}\n"
            "- LINE\n# end\n# other: 1\n",
        ),
        (
            "sent:\r\n  - {date: 2026-01-01, member: amis, runtime: '7.4', to: a@b.org, state: eol}",
            "sent:\r\n  - {date: 2026-01-01, member: amis, runtime: '7.4', to: a@b.org, state: eol}\r\n  - LINE\r\n",
        ),
        (
            "sent:\n  - date: 2026-01-01\n    member: amis\n    runtime: '7.4'\n    to: a@b.org\n    state: eol\n"
            "    note: by hand\n",
            "sent:\n  - date: 2026-01-01\n    member: amis\n    runtime: '7.4'\n    to: a@b.org\n    state: eol\n"
            "    note: by hand\n  - LINE\n",
        ),
        (  # a tab libyaml reads (the pure-Python composer refused it: nothing could be sent)
            "sent:\t\n  - ENTRY\t# c\n",
            "sent:\t\n  - ENTRY\t# c\n  - LINE\n",
        ),
        (  # "-" alone at the list's column, the entry below it
            "sent:\n-\n  date: 2026-01-01\n  member: amis\n  runtime: '7.4'\n  to: a@b.org\n  state: eol\n",
            "sent:\n-\n  date: 2026-01-01\n  member: amis\n  runtime: '7.4'\n  to: a@b.org\n  state: eol\n- LINE\n",
        ),
        ("sent:\r  - ENTRY\r", "sent:\r  - ENTRY\r  - LINE\r"),  # old Mac line ends: CR only
        ("\ufeff", "\ufeff" + notices.HEADER + "sent:\n  - LINE\n"),  # a byte-order mark alone
        ("\ufeffsent: []\n", "\ufeffsent:\n  - LINE\n"),  # libyaml's offsets do not count the mark
        ("\ufeffsent: ~\n", "\ufeffsent:\n  - LINE\n"),
        (
            "\ufeffsent:\n  - date: 2026-01-01\n    member: amis\n    runtime: '7.4'\n    to: a@b.org\n    state: eol",
            "\ufeffsent:\n  - date: 2026-01-01\n    member: amis\n    runtime: '7.4'\n    to: a@b.org\n    state: eol\n"
            "  - LINE\n",
        ),
        ("    sent: ~\n    # other: 1\n", "    sent:\n      - LINE\n    # other: 1\n"),  # an indented record
    ],
    ids=[
        "new",
        "comments-only",
        "empty-flow",
        "empty-flow-two-lines",
        "null",
        "null-commented",
        "empty",
        "key-after",
        "crlf-no-final-break",
        "block-entry",
        "tabs",
        "dash-alone",
        "cr-only",
        "bom-only",
        "bom-empty-flow",
        "bom-null",
        "bom-block-no-final-break",
        "indented-null",
    ],
)
def test_an_entry_is_added_as_one_line_at_the_end_of_sent(tmp_path: Path, before: str, after: str) -> None:
    record = tmp_path / "notices.yaml"
    if before:
        record.write_bytes(before.replace("ENTRY", ENTRY).encode())
    notice = notices.Notice(ON, "velo-cite", "8.2", "elodie@velo-cite.example.org", "warning")
    notices.append(record, notice)
    line = "{date: 2026-11-28, member: velo-cite, runtime: '8.2', to: elodie@velo-cite.example.org, state: warning}"
    assert record.read_bytes() == after.replace("LINE", line).replace("ENTRY", ENTRY).encode()
    assert notices.load(record)[-1] == notice


def test_a_flow_list_of_entries_is_refused_before_anything_is_sent(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    record = proj / notices.DEFAULT_FILE
    text = "sent: [{date: 2026-01-01, member: old-club, runtime: '7.4', to: a@b.org, state: eol}]\n"
    record.write_text(text, encoding="utf-8")
    assert notify(proj, members, ON) == 1
    err = capsys.readouterr().err
    assert "notices.yaml:1 sent: is not a list pic can add a line to" in err, err
    assert smtp_sink.received == [] and record.read_text(encoding="utf-8") == text


def test_an_entry_with_a_key_other_than_note_is_refused_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = tmp_path / "notices.yaml"
    record.write_text(
        "sent:\n  - {date: 2026-01-01, member: amis, runtime: '7.4', to: a@b.org, state: eol, note: ok}\n"
        "  - {date: 2026-01-01, member: amis, runtime: '7.4', to: a@b.org, state: eol, notes: typo}\n"
    )
    with pytest.raises(PicError) as caught:
        notices.load(record)
    shown = str(caught.value)
    assert "notices.yaml:3 sent[1].notes: unknown key (allowed here: date, member, runtime, to, state, note)" in shown


def test_a_key_written_twice_in_the_record_is_refused_with_both_lines(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """YAML keeps the last of two `sent:` lists: report would forget the first one's messages, notify send
    them again. Refused by every reader, with both lines, before anything is sent."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    record = proj / notices.DEFAULT_FILE
    entry = (
        "  - {date: 2026-11-20, member: velo-cite, runtime: '8.2', to: elodie@velo-cite.example.org, state: warning}\n"
    )
    record.write_text(f"sent:\n{entry}sent:\n{entry.replace('2026-11-20, ', '2026-11-21, date: 2026-11-22, ')}")
    with pytest.raises(PicError) as caught:
        notices.load(record)
    shown = str(caught.value)
    assert "notices.yaml:3 sent: duplicate key (first given on line 1); YAML keeps only one of them" in shown, shown
    record.write_text(f"sent:\n{entry.replace('2026-11-20, ', '2026-11-21, date: 2026-11-22, ')}")
    with pytest.raises(PicError) as caught:
        notices.load(record)
    assert "notices.yaml:2 sent[0].date: duplicate key (first given on line 2)" in str(caught.value), caught.value
    record.write_text(f"sent:\n{entry}sent:\n{entry}")
    assert notify(proj, members, ON) == 1
    assert smtp_sink.received == []
    args = ["report", "--project", str(proj), "--members", str(members)]
    assert main(args) == 1
    assert "sent: duplicate key (first given on line 1)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "sent:\n  - {date: 2026-02-30, member: amis, runtime: '7.4', to: a@b.org, state: eol}\n",
            "notices.yaml:2 sent[0].date: 2026-02-30 is not a date: there is no such day in the calendar "
            "(February 2026 has 28 days)",
        ),
        (  # YAML reads 7.40 as the number 7.4: the branch written is not the one read
            "sent:\n  - {date: 2026-11-20, member: amis, runtime: 7.40, to: a@b.org, state: eol}\n",
            "notices.yaml:2 sent[0].runtime: 7.40 is not a string (YAML reads the number 7.4): write '7.4', in quotes",
        ),
        (  # a state pic notify never writes: the entry is no notice it sent
            "sent:\n  - {date: 2026-11-20, member: amis, runtime: '7.4', to: a@b.org, state: EOL}\n",
            "notices.yaml:2 sent[0].state: \"EOL\" is not allowed (expected 'warning', 'eol' or 'stopped')",
        ),
        (  # a time of day does not compare with the day of a run
            "sent:\n  - {date: 2026-11-20 10:00:00, member: amis, runtime: '7.4', to: a@b.org, state: eol}\n",
            "notices.yaml:2 sent[0].date:",
        ),
        (  # an alias would make one entry count twice
            "sent:\n  - &e {date: 2026-11-20, member: amis, runtime: '7.4', to: a@b.org, state: eol}\n  - *e\n",
            "sent[1]: uses an alias (*name): write the value out instead",
        ),
        (
            "sent:\n  - {date: 2026-11-20, member: amis, runtime: '7.4', state: eol}\n",
            "notices.yaml:2 sent[0].to:",
        ),
        (
            "- {date: 2026-11-20, member: amis, runtime: '7.4', to: a@b.org, state: eol}\n",
            "notices.yaml:1 must be a mapping with a list `sent:`",
        ),
        (
            "sent: []\nSent:\n  - {date: 2026-11-20, member: amis, runtime: '7.4', to: a@b.org, state: eol}\n",
            "notices.yaml:2 Sent: unknown key: a record holds `sent:` only",
        ),
        (  # a member file or a stack file given as the record: its keys were not read, and `sent:` added to it
            "contact: a@b.org\nruntime: php-8.2\nsent: []\n",
            "notices.yaml:1 contact: unknown key: a record holds `sent:` only",
        ),
        ("sent: []\nfoo: bar\n", "notices.yaml:2 foo: unknown key: a record holds `sent:` only"),
    ],
)
def test_a_record_yaml_would_misread_is_refused_with_its_line(tmp_path: Path, text: str, shown: str) -> None:
    """What YAML would read otherwise than written, or pic notify never writes, is named with its line, not a
    traceback or silence: a date that is no day, a list under a top key other than `sent:` (its entries were
    forgotten: the member counted as not told), a branch written as a number, an unknown state, a time of day,
    an alias, a missing key, a record that is a bare list."""
    record = tmp_path / "notices.yaml"
    record.write_text(text)
    with pytest.raises(PicError) as caught:
        notices.load(record)
    assert shown in str(caught.value), caught.value


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "sent:\n  - {date: 2026-11-20, member: ~, runtime: '7.4', to: a@b.org, state: eol}\n",
            "notices.yaml:2 sent[0].member: is empty (null): give a string (the key is required)",
        ),
        (
            "sent:\n  - {date: null, member: amis, runtime: '7.4', to: a@b.org, state: eol}\n",
            "notices.yaml:2 sent[0].date: is empty (null): give a date written YYYY-MM-DD (the key is required)",
        ),
        (
            "sent:\n  - date: 2026-11-20\n    member: amis\n    runtime: '7.4'\n    to: a@b.org\n    state:\n",
            "notices.yaml:6 sent[0].state: is empty (null): give one of 'warning', 'eol' or 'stopped' (the key is",
        ),
        ("sent:\n  -\n", "notices.yaml:2 sent[0]: is an empty item (null): give a mapping (key: value), or remove"),
        ("sent:\n  - ~\n", "notices.yaml:2 sent[0]: is an empty item (null)"),
        (
            f"sent:\n  - {ENTRY}\n"
            "  - {date: 2026-11-20, member: amis, runtime: '7.4', to: a@b.org, state: eol, note: ~}\n",
            "notices.yaml:3 sent[1].note: is empty (null), which is never taken as absent: remove the key to mean none",
        ),
        (
            "sent:\n  - date: 2026-11-20\n    member: amis\n    runtime: '7.4'\n    to: a@b.org\n    state: eol\n"
            "    note:\n",
            "notices.yaml:7 sent[0].note: is empty (null), which is never taken as absent",
        ),
        (
            "sent:\n  - {date: 2026-11-20, member: amis, runtime: '7.4', to: a@b.org, state: eol, note: ''}\n",
            'notices.yaml:2 sent[0].note: "" is blank',
        ),
    ],
    ids=["member", "date", "state", "item", "item-tilde", "note-tilde", "note-nothing", "note-blank"],
)
def test_a_record_s_key_or_entry_without_a_value_is_said_to_be_empty(tmp_path: Path, text: str, shown: str) -> None:
    """Was: "null is not a string", "~ is not a mapping (key: value)"."""
    record = tmp_path / "notices.yaml"
    record.write_text(text)
    with pytest.raises(PicError) as caught:
        notices.load(record)
    assert shown in str(caught.value), caught.value
    assert len(caught.value.problems) == 1 and " is not " not in str(caught.value), caught.value


@pytest.mark.parametrize(
    ("to", "shown"),
    [
        ("elodie", '"elodie" is not a valid e-mail address: An email address must have an @-sign.'),
        ("elodie@velo-cite", '"elodie@velo-cite" is not a valid e-mail address: The part after the @-sign'),
        (
            "'Elodie <elodie@velo-cite.example.org>'",
            "is not a valid e-mail address: a name and angle brackets around the address are not taken: give the "
            "address alone ('elodie@velo-cite.example.org')",
        ),
        ("elodie@@velo-cite.example.org", '"elodie@@velo-cite.example.org" is not a valid e-mail address'),
        ("elodie@co.uk", "its domain co.uk is a public suffix"),
    ],
    ids=["no-at", "no-dot", "display-name", "two-ats", "public-suffix"],
)
def test_a_record_s_address_is_checked_as_a_member_s_contact(tmp_path: Path, to: str, shown: str) -> None:
    """`to:` took any text (a name, half an address), which pic report then showed as the address told."""
    record = tmp_path / "notices.yaml"
    record.write_text(
        f"sent:\n  - {ENTRY}\n  - {{date: 2026-11-20, member: amis, runtime: '7.4', to: {to}, state: eol}}\n"
    )
    with pytest.raises(PicError) as caught:
        notices.load(record)
    assert len(caught.value.problems) == 1, caught.value
    assert "notices.yaml:3 sent[1].to: " in str(caught.value) and shown in str(caught.value), caught.value
    notice = notices.Notice(ON, "velo-cite", "8.2", yaml.safe_load(to), "warning")
    with pytest.raises(PicError, match=r"sent\[new\]\.to: is no entry of a record"):
        notices.append(tmp_path / "new.yaml", notice)
    assert not (tmp_path / "new.yaml").exists()


def test_a_record_that_is_a_symbolic_link_is_written_where_it_leads(tmp_path: Path) -> None:
    """Renaming the new copy over the link itself would turn it into a file of its own: the record the link
    points to (kept elsewhere, e.g. with the registry) would never see the entry."""
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "notices.yaml"
    real.write_text(f"sent:\n  - {ENTRY}\n", encoding="utf-8")
    link = tmp_path / "notices.yaml"
    link.symlink_to(real)
    notice = notices.Notice(ON, "velo-cite", "8.2", "elodie@velo-cite.example.org", "warning")
    notices.check_writable(link, [notice])
    notices.append(link, notice)
    assert link.is_symlink() and link.resolve() == real
    assert notices.load(real)[-1] == notice and len(notices.load(real)) == 2
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["notices.yaml"]  # no copy left behind


def test_a_record_pic_would_then_refuse_to_read_is_never_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record one line short of the size limit: adding the line would make a file every reader refuses.
    (With a limit of 64 KiB: a record of the real limit takes seconds to read, twice per message.)"""
    monkeypatch.setattr(notices, "MAX_RECORD_BYTES", 64 * 1024)
    record = tmp_path / "notices.yaml"
    line = f"  - {ENTRY}\n"
    head = "sent:\n"
    count = (notices.MAX_RECORD_BYTES - len(head)) // len(line)
    record.write_text(head + line * count + "#" * (notices.MAX_RECORD_BYTES - len(head) - count * len(line) - 1) + "\n")
    assert record.stat().st_size == notices.MAX_RECORD_BYTES
    assert len(notices.load(record)) == count
    before = record.read_bytes()
    notice = notices.Notice(ON, "velo-cite", "8.2", "elodie@velo-cite.example.org", "warning")
    with pytest.raises(PicError) as caught:
        notices.check_writable(record, [notice])
    assert f"would be more than {notices.MAX_RECORD_BYTES} bytes long with one more entry" in str(caught.value)
    with pytest.raises(PicError):
        notices.append(record, notice)
    assert record.read_bytes() == before


def test_an_entry_already_there_is_never_changed_by_the_line_added(tmp_path: Path) -> None:
    """A block note ending the file without a line break reads "kept"; a line added after it would make it
    "kept\\n" (YAML keeps one line break of a block scalar followed by more lines)."""
    record = tmp_path / "notices.yaml"
    block = ENTRY[1:-1].replace(", ", "\n    ")  # the entry's keys one per line
    text = f"sent:\n  - {block}\n    note: |\n      kept"
    record.write_text(text, encoding="utf-8")
    assert notices.load(record)[0].note == "kept"
    notice = notices.Notice(ON, "velo-cite", "8.2", "elodie@velo-cite.example.org", "warning")
    with pytest.raises(PicError) as caught:
        notices.append(record, notice)
    assert "sent[0].note: would change if a line were added after it" in str(caught.value), caught.value
    assert record.read_text(encoding="utf-8") == text
    record.write_text(text + "\n", encoding="utf-8")  # as the message says
    notices.append(record, notice)
    assert [n.note for n in notices.load(record)] == ["kept\n", None]


def test_a_byte_order_mark_keeps_the_entries_and_the_line_added_in_place(tmp_path: Path) -> None:
    record = tmp_path / "notices.yaml"
    record.write_bytes(f"\ufeff# record\nsent:\n  - {ENTRY}\n# other: 1\n".encode())
    notice = notices.Notice(ON, "velo-cite", "8.2", "elodie@velo-cite.example.org", "warning")
    notices.append(record, notice)
    line = "{date: 2026-11-28, member: velo-cite, runtime: '8.2', to: elodie@velo-cite.example.org, state: warning}"
    assert record.read_bytes() == f"\ufeff# record\nsent:\n  - {ENTRY}\n  - {line}\n# other: 1\n".encode()


def test_a_record_in_a_directory_that_cannot_be_searched_is_named_not_a_traceback(tmp_path: Path) -> None:
    """``Path.exists`` raises for EACCES: the record is said to be unreadable, by pic report and pic notify."""
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "notices.yaml").write_text(f"sent:\n  - {ENTRY}\n", encoding="utf-8")
    locked.chmod(0o600)
    proj = project_copy(tmp_path)
    (proj / notices.DEFAULT_FILE).symlink_to(locked / "notices.yaml")
    members = registry(tmp_path)
    setpriv = shutil.which("setpriv")
    assert setpriv is not None, "setpriv (util-linux) is needed: root searches any directory otherwise"
    drop = [setpriv, "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    for argv in (
        ["report", "--project", str(proj), "--members", str(members)],
        ["report", "--project", str(proj), "--members", str(members), "--record", str(locked / "notices.yaml")],
        ["notify", "--dry-run", "--project", str(proj), "--members", str(members)],
    ):
        done = subprocess.run(
            [*drop, sys.executable, "-m", "pic", *argv], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert "Traceback" not in done.stderr, done.stderr
        assert "notices.yaml" in done.stderr and "cannot be read" in done.stderr, (argv, done.stderr)
        assert done.returncode in (1, 2), done


def test_a_record_that_is_a_loop_of_links_is_named_so(tmp_path: Path) -> None:
    record, other = tmp_path / "notices.yaml", tmp_path / "other.yaml"
    record.symlink_to(other)
    other.symlink_to(record)
    notice = notices.Notice(ON, "velo-cite", "8.2", "elodie@velo-cite.example.org", "warning")
    for call in (notices.load, lambda path: notices.check_writable(path, [notice])):
        with pytest.raises(PicError) as caught:
            call(record)
        assert "notices.yaml is a loop of symbolic links" in str(caught.value), caught.value


def test_a_default_record_or_disk_usage_directory_that_is_a_loop_of_links_is_named_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The project's notices.yaml, or its disk-usage/, a link to itself (a link copied wrong): pic report, pic status
    and pic notify --dry-run ended on Python's ``RuntimeError: Symlink loop from '.../notices.yaml'`` (Path.resolve,
    while telling whether the record is a member file or a disk usage file), and a disk-usage/ that is a loop was
    left out silently, as if no measurement had been copied. The loop is said, naming the file, exit 1."""
    members = registry(tmp_path)
    for loop in (notices.DEFAULT_FILE, "disk-usage", "disk-usage/web1.tsv"):
        (tmp_path / loop.replace("/", "-")).mkdir()
        proj = project_copy(tmp_path / loop.replace("/", "-"))
        if "/" in loop:
            (proj / "disk-usage").mkdir()
        (proj / loop).symlink_to(proj / loop)
        # status reads the disk usage before it asks anything: its resolver is never asked here
        status = ["status", "--resolver", "127.0.0.1", "--timeout", "0.5"]
        for argv in (["report"], ["notify", "--dry-run"] if loop == notices.DEFAULT_FILE else status):
            code = main([*argv, "--project", str(proj), "--members", str(members), "--on", ON.isoformat()])
            err = capsys.readouterr().err
            assert code == 1, (argv, err)
            assert f"{loop} is a loop of symbolic links" in err or f"{loop} cannot be read" in err, (argv, loop, err)


def test_a_comment_inside_an_empty_flow_list_is_not_dropped(tmp_path: Path) -> None:
    record = tmp_path / "notices.yaml"
    text = "sent: [ # none yet, see ticket 12\n]\n# other: 1\n"
    record.write_text(text, encoding="utf-8")
    notice = notices.Notice(ON, "velo-cite", "8.2", "elodie@velo-cite.example.org", "warning")
    with pytest.raises(PicError) as caught:
        notices.append(record, notice)
    assert "notices.yaml:1 sent: holds a comment inside its value: write `sent:` alone" in str(caught.value)
    assert record.read_text(encoding="utf-8") == text


def test_a_new_record_gets_the_mode_the_umask_gives_and_an_old_one_keeps_mode_and_owner(tmp_path: Path) -> None:
    record = tmp_path / "notices.yaml"
    notice = notices.Notice(ON, "velo-cite", "8.2", "elodie@velo-cite.example.org", "warning")
    old = os.umask(0o027)
    try:
        notices.append(record, notice)
    finally:
        os.umask(old)
    assert record.stat().st_mode & 0o777 == 0o640  # not mkstemp's 0600: the other admins read it too
    record.chmod(0o664)
    owner = (65534, 65534) if os.geteuid() == 0 else (os.geteuid(), os.getegid())
    if os.geteuid() == 0:  # root replaces the file: the copy is given back to its owner
        os.chown(record, *owner)
    notices.append(record, notice)
    st = record.stat()
    assert (st.st_mode & 0o777, st.st_uid, st.st_gid) == (0o664, *owner)


def test_the_record_is_checked_for_every_entry_the_run_will_add(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked with a short stand-in entry, a record with room for it but not for the real, longer ones let
    the run send a message it then could not record."""
    monkeypatch.setattr(notices, "MAX_RECORD_BYTES", 4096)
    record = tmp_path / "notices.yaml"
    line = f"  - {ENTRY}\n"
    record.write_text("sent:\n" + line * ((4096 - 6 - 180) // len(line)), encoding="utf-8")  # 180 to 259 bytes left
    room = notices.MAX_RECORD_BYTES - record.stat().st_size
    long = notices.Notice(ON, "a" + "b" * 30, "8.2", "elodie.martin@velo-cite.example.org", "warning")
    assert len(notices.Notice(ON, "member", "8.4", "t@example.org", "eol").as_yaml()) + 2 < room
    assert room < 2 * (len(long.as_yaml()) + 2)
    notices.check_writable(record, [long])
    with pytest.raises(PicError) as caught:
        notices.check_writable(record, [long, long])
    assert "would be more than 4096 bytes long with 2 more entries" in str(caught.value), caught.value


def test_an_entry_given_through_the_api_is_checked_field_by_field(tmp_path: Path) -> None:
    record = tmp_path / "notices.yaml"
    for notice, field in [
        (notices.Notice(ON, "Bad Member", "8.2", "e@x.org", "warning"), "sent[new].member"),
        (notices.Notice(ON, "velo-cite", "8.2", "", "warning"), "sent[new].to"),
        (notices.Notice(ON, "velo-cite", "8.2", "e@x.org", "told"), "sent[new].state"),
        (notices.Notice(ON, "velo-cite", "8.2", "e@x.org", "eol", note="a\u2028b"), "sent[new].note"),
    ]:
        with pytest.raises(PicError) as caught:
            notices.append(record, notice)
        assert f"notices.yaml {field}: is no entry of a record" in str(caught.value), caught.value
    assert not record.exists()


def test_a_second_run_on_the_same_record_sends_nothing(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two runs at once would tell the same members, and each rewrite of the record would drop the other's."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    with notices.locked(proj / notices.DEFAULT_FILE):
        assert notify(proj, members, ON) == 1
        assert (
            "notices.yaml is held by another pic notify (one run at a time per directory of records"
            in capsys.readouterr().err
        )
        assert notify(proj, members, ON, "--dry-run") == 0  # reads only
    assert smtp_sink.received == []
    assert notify(proj, members, ON) == 0 and len(smtp_sink.received) == 3


def test_the_dry_run_says_what_the_real_run_would_refuse_in_the_record(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    (proj / notices.DEFAULT_FILE).write_text(f"sent: [{ENTRY.replace('amis', 'old-club')}]\n", encoding="utf-8")
    assert notify(proj, members, ON, "--dry-run") == 0
    err = capsys.readouterr().err
    assert "warning: " in err and "notices.yaml:1 sent: is not a list pic can add a line to" in err, err
    assert "(the real run would send nothing)" in err


def test_a_read_only_record_is_refused_before_anything_is_sent(tmp_path: Path) -> None:
    record = tmp_path / "notices.yaml"
    record.write_text(f"sent:\n  - {ENTRY}\n", encoding="utf-8")
    record.chmod(0o444)
    code = (
        "import datetime as dt, sys; from pathlib import Path\n"
        "from pic import notices; from pic.errors import PicError\n"
        "n = notices.Notice(dt.date(2026, 11, 28), 'velo-cite', '8.2', 'e@x.org', 'warning')\n"
        "try:\n    notices.check_writable(Path(sys.argv[1]), [n])\n"
        "except PicError as exc:\n    print(exc.problems[0]); sys.exit(1)\n"
    )
    setpriv = shutil.which("setpriv")
    assert setpriv is not None, "setpriv (util-linux) is needed: root writes any file otherwise"
    drop = [setpriv, "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    done = subprocess.run(
        [*drop, sys.executable, "-c", code, str(record)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1, done
    assert "notices.yaml cannot be written: it is read-only (its mode or its file system); nothing was sent" in (
        done.stdout
    ), done


def _as_root_without(caps: str, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -c code args`` as root without the capabilities ``caps`` (setpriv's bounding set), as an admin's
    own account would run it."""
    require_root("runs a command with some of root's capabilities dropped")
    setpriv = require_program("setpriv")
    return subprocess.run(
        [setpriv, f"--bounding-set={caps}", sys.executable, "-c", code, *args],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip


CHECK_WRITABLE = (
    "import datetime as dt, sys; from pathlib import Path\n"
    "from pic import notices; from pic.errors import PicError\n"
    "n = notices.Notice(dt.date(2026, 11, 28), 'velo-cite', '8.2', 'e@x.org', 'warning')\n"
    "try:\n    notices.check_writable(Path(sys.argv[1]), [n])\n"
    "except PicError as exc:\n    print(exc.problems[0]); sys.exit(1)\n"
    "print('writable')\n"
)


def test_a_record_that_cannot_be_replaced_is_refused_before_anything_is_sent(tmp_path: Path) -> None:
    """Creating a file beside it is not enough: in a sticky directory (/tmp-like, mode 1777) another user's
    record cannot be renamed over, so the line of a message already sent could not be added."""
    shared = tmp_path / "shared"
    shared.mkdir()
    record = shared / "notices.yaml"
    record.write_text(f"sent:\n  - {ENTRY}\n", encoding="utf-8")
    record.chmod(0o666)
    require_root("gives the record to another user")
    os.chown(record, 65534, 65534)
    os.chown(shared, 65534, 65534)
    shared.chmod(0o1777)
    done = _as_root_without("-fowner,-dac_override,-dac_read_search", CHECK_WRITABLE, str(record))
    assert done.returncode == 1, done
    assert (
        "notices.yaml cannot be written: it belongs to another user in a sticky directory (like /tmp), where only "
        "its owner may replace it; nothing was sent"
    ) in done.stdout, done
    assert record.read_text(encoding="utf-8") == f"sent:\n  - {ENTRY}\n"
    assert sorted(p.name for p in shared.iterdir()) == ["notices.yaml"]  # no copy left behind


def test_the_set_user_and_set_group_bits_of_the_record_are_kept(tmp_path: Path) -> None:
    record = tmp_path / "notices.yaml"
    record.write_text(f"sent:\n  - {ENTRY}\n", encoding="utf-8")
    record.chmod(0o6754)
    notice = notices.Notice(ON, "velo-cite", "8.2", "elodie@velo-cite.example.org", "warning")
    notices.append(record, notice)
    assert record.stat().st_mode & 0o7777 == 0o6754


def test_a_directory_that_cannot_be_read_is_not_run_in_without_the_lock(tmp_path: Path) -> None:
    """The lock is taken on the record's directory, opened for reading: a directory of mode 0300 (write and
    search only) would let two runs send the same messages; the run is refused instead."""
    locked_out = tmp_path / "records"
    locked_out.mkdir()
    record = locked_out / "notices.yaml"
    code = (
        "import sys; from pathlib import Path; from pic import notices; from pic.errors import PicError\n"
        "try:\n    notices.locked(Path(sys.argv[1])).__enter__()\n"
        "except PicError as exc:\n    print(exc.problems[0]); sys.exit(1)\n"
    )
    locked_out.chmod(0o300)
    done = _as_root_without("-dac_override,-dac_read_search", code, str(record))
    assert done.returncode == 1, done
    assert "cannot be held for this run: its directory cannot be opened (Permission denied)" in done.stdout, done


def test_a_file_system_without_locks_is_named_not_a_traceback(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some NFS and FUSE mounts answer flock with ENOLCK (simulated: no such mount here)."""
    import errno
    import fcntl

    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "flock", no_locks)
    assert notify(proj, members, ON) == 1
    err = capsys.readouterr().err
    assert "notices.yaml cannot be held for this run (No locks available): nothing sent" in err, err
    assert smtp_sink.received == []


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("---\n", "---\nsent:\n  - LINE\n"),
        ("--- # c\n", "--- # c\nsent:\n  - LINE\n"),
        (
            "  sent:\n    - date: 2026-01-01\n      member: amis\n      runtime: '7.4'\n      to: a@b.org\n"
            "      state: eol\n",
            "  sent:\n    - date: 2026-01-01\n      member: amis\n      runtime: '7.4'\n      to: a@b.org\n"
            "      state: eol\n    - LINE\n",
        ),
    ],
    ids=["document-marker", "document-marker-comment", "indented-block-entry"],
)
def test_more_layouts_take_a_line(tmp_path: Path, before: str, after: str) -> None:
    record = tmp_path / "notices.yaml"
    record.write_text(before, encoding="utf-8")
    notice = notices.Notice(ON, "velo-cite", "8.2", "elodie@velo-cite.example.org", "warning")
    notices.append(record, notice)
    line = "{date: 2026-11-28, member: velo-cite, runtime: '8.2', to: elodie@velo-cite.example.org, state: warning}"
    assert record.read_text(encoding="utf-8") == after.replace("LINE", line)


def test_the_dry_run_warns_of_a_record_that_cannot_be_written(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    missing = tmp_path / "no-such-directory" / "notices.yaml"
    assert notify(proj, members, ON, "--dry-run", "--record", str(missing), "--new-record") == 0
    err = capsys.readouterr().err
    assert "warning: " in err and "notices.yaml cannot be written: its directory does not exist" in err, err
    assert notify(proj, members, ON, "--record", str(missing), "--new-record") == 1
    assert "notices.yaml cannot be written: its directory does not exist; nothing was sent" in capsys.readouterr().err
    assert smtp_sink.received == []


def _on_the_second_message(monkeypatch: pytest.MonkeyPatch, then: Callable[[], None]) -> list[str]:
    """Make ``then`` happen when the second message is handed to the server; the recipients handed so far."""
    import smtplib

    real = smtplib.SMTP.send_message
    calls: list[str] = []

    def second(self: smtplib.SMTP, msg: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(msg["To"])
        if len(calls) == 2:
            then()
        return real(self, msg, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "send_message", second)
    return calls


def test_a_run_stopped_while_sending_names_the_message_in_flight(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM (a timer stopping the service, a shutdown) during the second message: the first stays recorded,
    the second is named with its entry to add if it arrived, nothing more is sent (was: a bare traceback, or
    silence, and the message in flight sent again by the next run)."""
    import signal

    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    # the real signal, delivered to this process
    calls = _on_the_second_message(monkeypatch, lambda: os.kill(os.getpid(), signal.SIGTERM))
    before = signal.getsignal(signal.SIGTERM)
    assert notify(proj, members, ON) == 143  # SIGTERM's status, as a shell shows a command it killed
    assert signal.getsignal(signal.SIGTERM) == before  # given back after the run
    err = capsys.readouterr().err
    assert len(calls) == 2 and "pause.example.org" in calls[1]
    assert len(notices.load(proj / notices.DEFAULT_FILE)) == 1
    assert (
        "pause-asso: stopped by SIGTERM while the server took it (to paul@pause.example.org): it may have been sent"
        in (err)
    )
    assert "  - {date: 2026-11-28, member: " in err and "stopped: 1 message(s) not sent" in err, err


def _refusal(record: Path) -> str:
    notice = notices.Notice(ON, "velo-cite", "8.2", "elodie@velo-cite.example.org", "warning")
    with pytest.raises(PicError) as caught:
        notices.check_writable(record, [notice])
    return str(caught.value)


def test_what_would_stop_a_line_after_the_mail_stops_the_run_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each would let a message be sent and then not recorded: a read-only record (root writes it otherwise),
    chattr's append-only record or directory, a record bound over on its own, a file system without room."""
    record = tmp_path / "notices.yaml"
    text = f"sent:\n  - {ENTRY}\n"
    record.write_text(text, encoding="utf-8")
    record.chmod(0o444)
    assert "notices.yaml cannot be written: it is read-only (its mode or its file system); nothing was sent" in (
        _refusal(record)
    )
    record.chmod(0o644)
    chattr = require_program("chattr")
    for target, words in ((record, "it is append-only (chattr)"), (tmp_path, "its directory is append-only (chattr)")):
        subprocess.run([chattr, "+a", str(target)], check=True)
        try:
            assert f"notices.yaml cannot be written: {words}; nothing was sent" in _refusal(record)
        finally:
            subprocess.run([chattr, "-a", str(target)], check=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notices.yaml"]  # no copy left behind
    statvfs = os.statvfs

    def full(where: Any) -> Any:
        real = statvfs(where)
        return os.statvfs_result((*real[:4], 1, *real[5:]))  # one block free

    monkeypatch.setattr(os, "statvfs", full)
    assert "notices.yaml cannot be written: its file system has " in _refusal(record)
    monkeypatch.undo()
    assert record.read_text(encoding="utf-8") == text


def test_a_record_bound_over_on_its_own_is_refused(tmp_path: Path) -> None:
    """A single-file bind mount (a container's volume) cannot be renamed over (EBUSY), though it has the device of
    its directory when both come from one file system."""
    require_root("mounts a file in a mount namespace of its own")
    unshare = require_program("unshare")
    record, source = tmp_path / "notices.yaml", tmp_path / "source.yaml"
    source.write_text(f"sent:\n  - {ENTRY}\n", encoding="utf-8")
    record.write_text("", encoding="utf-8")
    done = subprocess.run(
        [unshare, "-m", "sh", "-c", 'mount --bind "$1" "$2" && "$3" -c "$4" "$2"', "sh", str(source), str(record),
         sys.executable, CHECK_WRITABLE],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1, done
    assert "cannot be written: it is mounted on its own (a bind mount)" in done.stdout, done
    roundabout = tmp_path / ".." / tmp_path.name / "notices.yaml"  # as --project ../x or a linked folder gives it
    done = subprocess.run(
        [unshare, "-m", "sh", "-c", 'mount --bind "$1" "$2" && "$3" -c "$4" "$5"', "sh", str(source), str(record),
         sys.executable, CHECK_WRITABLE, str(roundabout)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1 and "it is mounted on its own (a bind mount)" in done.stdout, done


def test_a_connection_lost_while_the_server_took_a_message_names_it(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import smtplib

    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)

    def lost() -> None:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    _on_the_second_message(monkeypatch, lost)
    assert notify(proj, members, ON) == 3
    out, err = capsys.readouterr()
    assert "sent 1 message(s) for 1 member(s), 1 member(s) recorded in" in out, out
    assert "the connection failed while the server took it: Connection unexpectedly closed" in err, err
    assert "it may have been sent, and it is not recorded" in err and "stopped: 1 message(s) not sent" in err


def test_ctrl_c_anywhere_else_ends_pic_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pic import cli

    def interrupted(*args: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "main", interrupted)
    collecting = gc.isenabled()
    try:
        with pytest.raises(SystemExit) as ended:
            cli.run_command()
    finally:  # run_command turns the collector off for the rest of its process, this one's too, and freezes
        gc.unfreeze()
        if collecting:
            gc.enable()
    assert ended.value.code == 130
    assert capsys.readouterr().err == "pic: interrupted\n"


@pytest.mark.parametrize("empty", ["sent: null\n", "sent: ~\n", "sent: []\n", "sent:\n", "", "# mine\n"])
def test_the_size_told_before_sending_is_the_size_written(tmp_path: Path, empty: str) -> None:
    """The first line may also take out a `~` or `[]` or write `sent:`: each later line costs its own prefix."""
    record = tmp_path / "notices.yaml"
    record.write_text(empty, encoding="utf-8")
    entries = [
        notices.Notice(ON, slug, "8.2", f"{slug}@example.org", "warning") for slug in ("velo-cite", "old-club", "amis")
    ]
    told = notices.check_appendable(record, entries)
    for n in entries:
        notices.append(record, n)
    assert told == record.stat().st_size


def test_root_without_cap_fowner_keeps_another_users_record_as_it_was(tmp_path: Path) -> None:
    """The copy is given to the record's owner: a mode set after that is refused without CAP_FOWNER, so the mode
    is set first (the line was then sent and not recorded)."""
    require_root("gives the record to another user")
    record = tmp_path / "notices.yaml"
    record.write_text(f"sent:\n  - {ENTRY}\n", encoding="utf-8")
    os.chown(record, 1000, 1000)
    record.chmod(0o666)
    code = (
        "import datetime as dt, sys; from pathlib import Path; from pic import notices\n"
        "n = notices.Notice(dt.date(2026, 11, 28), 'velo-cite', '8.2', 'e@x.org', 'eol')\n"
        "notices.append(Path(sys.argv[1]), n)\n"
    )
    done = _as_root_without("-fowner,-dac_override,-dac_read_search", code, str(record))
    assert done.returncode == 0, done
    st = record.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o7777) == (1000, 1000, 0o666)
    assert len(notices.load(record)) == 2


def test_the_dry_run_warns_of_a_file_system_without_room(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    statvfs = os.statvfs

    def full(where: Any) -> Any:
        real = statvfs(where)
        return os.statvfs_result((*real[:4], 1, *real[5:]))  # one block free

    monkeypatch.setattr(os, "statvfs", full)
    assert notify(proj, members, ON, "--dry-run") == 0
    assert "notices.yaml cannot be written: its file system has " in capsys.readouterr().err
    assert notify(proj, members, ON) == 1
    assert "notices.yaml cannot be written: its file system has " in capsys.readouterr().err
    assert smtp_sink.received == []


def test_a_server_closing_the_connection_with_its_refusal_ends_the_run_with_its_report(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 421 (too many messages) closes the connection: smtplib's RSET then fails; was "cannot send" alone,
    without the messages already sent and recorded."""
    import smtplib

    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)

    def refused() -> None:
        raise smtplib.SMTPSenderRefused(421, b"4.7.0 Too many messages, closing", "pic@example.org")

    def closed(self: smtplib.SMTP) -> None:
        raise smtplib.SMTPServerDisconnected("please run connect() first")

    _on_the_second_message(monkeypatch, refused)
    monkeypatch.setattr(smtplib.SMTP, "rset", closed)
    assert notify(proj, members, ON) == 3
    out, err = capsys.readouterr()
    assert "sent 1 message(s) for 1 member(s), 1 member(s) recorded in" in out and "1 refused" in out, out
    assert "refused by the server, not recorded: 421 4.7.0 Too many messages" in err, err
    assert "the server closed the connection after refusing" in err and "1 message(s) not sent" in err, err
    assert len(notices.load(proj / notices.DEFAULT_FILE)) == 1


def test_ctrl_c_while_quit_waits_keeps_the_report(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import smtplib

    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)

    def waiting(self: smtplib.SMTP) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(smtplib.SMTP, "quit", waiting)
    assert notify(proj, members, ON) == 0
    assert "sent 3 message(s) for 3 member(s), 3 member(s) recorded in" in capsys.readouterr().out


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")  # loopback test server
@pytest.mark.parametrize(
    ("smtp", "said", "hint"),
    [
        # a login refused: smtplib's (535, b'5.7.8 ...') was shown as Python writes the tuple
        ("port: PORT, security: none, username: pic@example.org", "refused the login (535 5.7.8", "pic:smtp.username"),
        # nothing listens at the port: "[Errno 111] Connection refused"
        ("port: CLOSED, security: none", "connection refused", "pic:smtp.host and pic:smtp.port"),
        # TLS from the start to a server that greets in clear: OpenSSL's "(_ssl.c:1006)"
        ("port: PORT, security: tls", "wrong version number", "pic:smtp.security"),
        # STARTTLS asked of a server that does not offer it: smtplib's "STARTTLS extension not supported by server."
        ("port: PORT, security: starttls", "does not offer STARTTLS", "pic:smtp.security"),
    ],
)
def test_a_server_that_cannot_be_sent_through_is_said_in_words_with_the_setting_to_correct(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    smtp: str,
    said: str,
    *,
    hint: str,
) -> None:
    """A failure to connect, secure or log in was said as Python words its exception (a tuple of bytes, errno,
    OpenSSL's source file and line); it is said in words, with the setting to look at, exit 3 as before."""
    from tests.helpers import free_port

    with running_sink(login=("pic@example.org", "the-right-one")) as sink:
        members, proj = registry(tmp_path), project(tmp_path, sink)
        stack = proj / "Pulumi.prod.yaml"
        given = smtp.replace("PORT", str(sink.port)).replace("CLOSED", str(free_port()))
        stack.write_text(
            stack.read_text().replace(
                f"port: {sink.port}, security: none, sender: pic@example.org", f"{given}, sender: pic@example.org"
            )
        )
        monkeypatch.setenv("PIC_SMTP_PASSWORD", "a-wrong-one")
        assert notify(proj, members, ON) == 3, capsys.readouterr().err
        out, err = capsys.readouterr()
        assert sink.received == [] and not (proj / notices.DEFAULT_FILE).exists()
        assert "cannot send" in err and said in err and hint in err, err
        for raw in ("b'", "[Errno", "_ssl.c", "extension not supported", "a-wrong-one"):
            assert raw not in out + err, err


def test_a_record_no_one_may_write_is_not_appended_to_through_the_api(tmp_path: Path) -> None:
    """The same rule as the check before sending: a mode without any write bit stops root too."""
    record = tmp_path / "notices.yaml"
    record.write_text(f"sent:\n  - {ENTRY}\n", encoding="utf-8")
    record.chmod(0o444)
    notice = notices.Notice(ON, "velo-cite", "8.2", "elodie@velo-cite.example.org", "warning")
    with pytest.raises(PicError) as caught:
        notices.append(record, notice)
    assert "notices.yaml cannot be written: it is read-only (its mode or its file system)" in str(caught.value)
    assert len(notices.load(record)) == 1


def test_a_password_with_letters_beyond_ascii_logs_in_in_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """smtplib sends credentials in ASCII only: a password "pässwörd" ended pic notify with a traceback."""
    password = "pässwörd-de-l'asso"
    with running_sink(login=("pic@example.org", password)) as sink:
        members, proj = registry(tmp_path), project(tmp_path, sink)
        stack = proj / "Pulumi.prod.yaml"
        stack.write_text(stack.read_text().replace("security: none,", "security: none, username: pic@example.org,"))
        monkeypatch.setenv("PIC_SMTP_PASSWORD", password.replace("ö", "o"))
        assert notify(proj, members, ON) == 3, "a wrong password is refused, as before"
        out, err = capsys.readouterr()
        assert "cannot send" in err and "Traceback" not in err and "pässw" not in out + err
        monkeypatch.setenv("PIC_SMTP_PASSWORD", password)
        assert notify(proj, members, ON) == 0
        out, err = capsys.readouterr()
        assert sink.logins == ["pic@example.org"] and len(sink.received) == 3, err
        assert "pässw" not in out + err


@pytest.mark.parametrize("note", ["Mot de passe du wifi\n      Velo2024x", "şifre: Velo2024x", "mdp : Velosolex Jean"])
def test_a_note_of_the_record_holding_a_password_in_these_forms_is_refused(tmp_path: Path, note: str) -> None:
    """A label alone on its line and the password on the next, a label of another language, a passphrase."""
    record = tmp_path / "notices.yaml"
    record.write_text(
        "sent:\n  - date: 2026-11-20\n    member: amis\n    runtime: '7.4'\n    to: a@b.org\n    state: eol\n"
        f"    note: |\n      appelée le 21/11\n      {note}\n"
    )
    with pytest.raises(PicError) as caught:
        notices.load(record)
    shown = str(caught.value)
    assert "notices.yaml:7 sent[0].note: the text (not shown) holds a password on line 2 of the text" in shown, shown
    assert "Velo" not in shown, shown


def test_a_note_of_the_record_holding_a_secret_is_refused_at_its_line_without_showing_it(tmp_path: Path) -> None:
    """The record is committed as a member file is: its notes are read for secrets as a member's notes are."""
    record = tmp_path / "notices.yaml"
    record.write_text(
        "sent:\n  - date: 2026-11-20\n    member: amis\n    runtime: '7.4'\n    to: a@b.org\n    state: eol\n"
        "    note: |\n      appelée le 21/11\n      son mot de passe est Soleil2024!\n"
    )
    with pytest.raises(PicError) as caught:
        notices.load(record)
    shown = str(caught.value)
    assert "notices.yaml:7 sent[0].note: the text (not shown) holds a password on line 2 of the text" in shown, shown
    assert "Soleil2024" not in shown and "password manager" in shown, shown
    record.write_text(
        "sent:\n  - {date: 2026-11-20, member: amis, runtime: '7.4', to: a@b.org, state: eol,"
        " note: 'mot de passe envoyé par mail, Token: renouvelé en mars'}\n"
    )
    assert notices.load(record)[0].note == "mot de passe envoyé par mail, Token: renouvelé en mars"


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Les Amis du Rhône", "Le site des Amis du Rhône"),
        ("Le Petit Théâtre", "Le site du Petit Théâtre"),
        ("Amicale Laïque d'Ainay", "Le site d'Amicale Laïque d'Ainay"),
        ("Écoute et Partage", "Le site d'Écoute et Partage"),
        ("La Chorale", "Le site de La Chorale"),
        ("Lesbos Randonnée", "Le site de Lesbos Randonnée"),
        ("Vélo Cité", "Le site de Vélo Cité"),
        ("Les\u00a0Amis du Rhône", "Le site des Amis du Rhône"),
        ("Le\u00a0Petit Théâtre", "Le site du Petit Théâtre"),
        # a vowel of another language's alphabet is a vowel all the same: Turkish İ, Danish Ø and Å, Spanish Ó
        ("İstanbul Kulübü", "Le site d'İstanbul Kulübü"),
        ("Øresund Kor", "Le site d'Øresund Kor"),
        ("Åbo Vänner", "Le site d'Åbo Vänner"),
        ("Ósmosis Teatro", "Le site d'Ósmosis Teatro"),
        ("Ìsola Bella", "Le site d'Ìsola Bella"),
        ("Ūdens Draugi", "Le site d'Ūdens Draugi"),
    ],
)
def test_a_name_with_its_own_article_or_a_vowel_is_joined_to_de_as_french_writes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, said: str
) -> None:
    """`Le site de Les Amis du Rhône` is no French: the article of the name joins "de" (des, du), which is
    elided before a vowel (d'Amicale); in every state the message tells of the site."""
    for status, on in (("active", ON), ("suspended", ON), ("active", dt.date(2027, 1, 5))):
        data = member(name=name, status=status, site=_site("8.2", "case-asso.fr"))
        out = dry_run(tmp_path / f"{status}-{on}", capsys, data, on)
        assert f"{said} (case-asso.fr) " in out, out
        assert " de Les " not in out and " de Le " not in out


def test_a_domain_in_punycode_is_told_in_the_letters_the_member_knows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A member file writes an internationalised domain in punycode (xn--amis-du-rhne-nib.org); the member knows it
    as amis-du-rhône.org, which the message names, in French and in English."""
    site = _site("8.2", "amis-du-rhone.org", "xn--amis-du-rhne-nib.org")
    out = dry_run(tmp_path, capsys, member(site=site), ON)
    # wrapped at 78 characters (RFC 5322 section 2.1.1) as every paragraph holding a name
    assert "(amis-du-rhone.org, amis-du-rhône.org) fonctionne avec\nPHP 8.2." in out, out
    assert "xn--" not in out
    en = member(site=site, contact={"name": "Sam", "email": "sam@case-asso.fr", "language": "en"})
    out = dry_run(tmp_path / "en", capsys, en, ON)
    assert "(amis-du-rhone.org, amis-du-rhône.org) runs on\nPHP 8.2." in out, out
    assert "xn--" not in out


def test_a_dry_run_of_another_day_dates_its_messages_on_that_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--dry-run --on 2026-12-31` printed messages saying "c'est-à-dire aujourd'hui" of 31 December under a
    Date: of the day it was run; the Date: is now that day's, so the message reads as it would be sent then."""
    data = member(site=_site("8.2", "case-asso.fr"))
    out = dry_run(tmp_path, capsys, data, dt.date(2026, 12, 31))
    assert "c'est-à-dire aujourd'hui" in _flat(out)
    assert "Date: Thu, 31 Dec 2026 " in out, out
    out = dry_run(tmp_path / "leap", capsys, data, dt.date(2028, 2, 29))
    assert "Date: Tue, 29 Feb 2028 " in out, out


@pytest.mark.parametrize(("day", "offset"), [(dt.date(2027, 7, 14), "+0200"), (dt.date(2027, 1, 15), "+0100")])
def test_a_message_dated_another_day_takes_that_day_s_offset(
    monkeypatch: pytest.MonkeyPatch, day: dt.date, offset: str
) -> None:
    """In Europe/Paris a dry run `--on` a summer day is dated +0200 and a winter day +0100, whatever the offset of
    the day it is run (it kept today's: a July message read +0100 when run in December)."""
    import time
    from email.utils import format_datetime

    from pic.commands import notify

    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        shown = format_datetime(notify.sent_at(day))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert shown.startswith(f"{day.strftime('%a, %d %b %Y')} ") and shown.endswith(f" {offset}"), shown


def test_the_dry_run_says_the_real_run_would_have_no_server_to_send_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stack without pic:smtp: the dry run printed its messages and "nothing sent", and the real run then
    refused at once; the dry run says so too, as it says what the real run would refuse in the record."""
    members, proj = registry(tmp_path), project_copy(tmp_path)
    assert notify(proj, members, ON, "--dry-run") == 0
    out, err = capsys.readouterr()
    assert out.count("Subject:") == 3
    assert (
        f"warning: {display_path(proj / 'Pulumi.prod.yaml')} pic:smtp: is not set: give the mail server (host, port, "
        "security, username) to send through, as a line of its config: with your server's values: `pic:smtp: {host: "
        "smtp.example.org, port: 587, security: starttls, username: pic@example.org, sender: admin@example.org}` "
        "(the real run would send nothing)"
    ) in err, err
    assert notify(proj, members, ON) == 1
    assert "Pulumi.prod.yaml pic:smtp: is not set" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("env", "secret", "said"),
    [
        (None, False, "warning: <stack> pic:smtp.username: is set, but no password is given"),
        ("pw\udce9", False, "warning: <environment> PIC_SMTP_PASSWORD: holds bytes that are not UTF-8"),
        (None, True, None),
        ("pw", False, None),
    ],
    ids=["no-password", "env-not-utf8", "stack-secret", "env"],
)
def test_the_dry_run_says_the_real_run_would_have_no_password_it_can_send(
    tmp_path: Path,
    smtp_sink: Sink,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *,
    env: str | None,
    secret: bool,
    said: str | None,
) -> None:
    """Without reading the stack secret (a dry run runs no pulumi): a username with no password anywhere, or one
    from the environment the login cannot send, is said as the real run says it, as a warning."""
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    stack = proj / "Pulumi.prod.yaml"
    if secret:
        _password_in_a_stack_secret(proj, monkeypatch)
        monkeypatch.setenv("PATH", "/nonexistent")  # no pulumi: the dry run never runs it
    else:
        stack.write_text(stack.read_text().replace("security: none,", "security: none, username: pic@example.org,"))
    if env is None:
        monkeypatch.delenv("PIC_SMTP_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("PIC_SMTP_PASSWORD", env)
    assert notify(proj, members, ON, "--dry-run") == 0
    err = capsys.readouterr().err
    if said is None:
        assert "warning" not in err, err
    else:
        said = said.replace("<stack>", display_path(stack))  # the stack file in --project's directory
        assert said in err and "(the real run would send nothing)" in err, err
    assert smtp_sink.received == []


@pytest.mark.parametrize(
    "text",
    [
        'sent: []\n"mdp : Azerty123":\n  - {date: 2026-11-20, member: amis, runtime: "7.4", to: a@b.org, state: eol}\n',
        'sent:\n  - {date: 2026-11-20, member: "mdp : Azerty123", runtime: "7.4", to: a@b.org, state: eol}\n',
        'sent:\n  - {date: 2026-11-20, member: amis, runtime: "7.4", to: a@b.org, state: "mdp : Azerty123"}\n',
        'sent:\n  - {date: 2026-11-20, member: amis, runtime: "7.4", to: a@b.org, state: eol, "mdp : Azerty123": 1}\n',
    ],
)
def test_a_record_s_key_or_value_that_reads_as_a_secret_is_named_not_shown(tmp_path: Path, text: str) -> None:
    """The record is read as a member file is: a key or a value that reads as a secret is named, never shown."""
    record = tmp_path / "notices.yaml"
    record.write_text(text)
    with pytest.raises(PicError) as caught:
        notices.load(record)
    shown = str(caught.value)
    assert "notices.yaml:2 " in shown and "not shown" in shown and "zerty" not in shown, shown


def _federation(tmp_path: Path, *, extra: dict[str, dict[str, Any]] | None = None) -> Path:
    """Three members whose contact is one secretary, her address written three ways (the domain's case and
    script differ, not the local part), her name two ways, one member in English; and a member of its own."""
    return write_members(
        tmp_path / "members",
        {
            # 8.2 in warning (end of life 2026-12-31)
            "chorale-est": member(
                10801,
                name="Chorale de l'Est",
                contact={"name": "Anne Roux", "email": "anne@federation.example.org"},
                site=_site("8.2", "chorale-est-asso-69.org"),
            ),
            # 7.4 past its end of life, an exception running
            "judo-est": member(
                10802,
                name="Les Judokas de l'Est",
                contact={"name": "A. Roux", "email": "anne@Federation.EXAMPLE.org", "language": "en"},
                site=_site("7.4", "judo-est-asso-69.org"),
                exceptions={"php_eol": {"until": dt.date(2027, 1, 15), "reason": "new site on its way"}},
            ),
            "theatre-est": member(
                10803,
                name="Théâtre de l'Est",
                contact={"name": "Anne Roux", "email": "anne@FEDERATION.example.org"},
                site=_site("8.2", "theatre-est-asso-69.org"),
            ),
            "velo-cite": member(
                10804,
                name="Vélo Cité",
                contact={"name": "Élodie Martin", "email": "elodie@velo-cite.example.org"},
                site=_site("8.2", "velo-cite-asso-69.org"),
            ),
            **(extra or {}),
        },
    )


def test_one_message_per_contact_address_names_every_member_it_concerns(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """A secretary of three associations got three near-identical messages in one run: now one, naming each
    member with its site, runtime, end of life and days left, in the language and name most of them give; the
    record still holds one entry per member, each with its own file's address."""
    members, proj = _federation(tmp_path), project(tmp_path, smtp_sink)
    assert notify(proj, members, ON) == 0
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == [
        "anne@federation.example.org",
        "elodie@velo-cite.example.org",
    ], "one message per contact address"
    anne = by_recipient(smtp_sink)["anne@federation.example.org"]
    assert anne["To"] == "Anne Roux <anne@federation.example.org>", "the name two of the three members give"
    assert anne["Content-Language"] == "fr", "the language two of the three members give"
    assert anne["Subject"] == "Fin de vie de PHP : 3 sites dont vous êtes le contact doivent changer de version"
    body = anne.get_content()
    assert "Bonjour Anne Roux," in body
    # the summary: each member, its site, runtime, end of life and days left, a line each, a blank line after
    lines = body.splitlines()
    summary = lines.index(
        "- Chorale de l'Est (chorale-est-asso-69.org) : PHP 8.2, fin de vie le 31 décembre 2026, dans 33 jours"
    )
    assert lines[summary + 1 : summary + 4] == [
        "- Les Judokas de l'Est (judo-est-asso-69.org) : PHP 7.4, fin de vie le 28 novembre 2022, il y a 1461 jours",
        "- Théâtre de l'Est (theatre-est-asso-69.org) : PHP 8.2, fin de vie le 31 décembre 2026, dans 33 jours",
        "",
    ], body
    # then each site's own paragraphs, what to do included
    assert "Le site de Chorale de l'Est (chorale-est-asso-69.org) fonctionne avec PHP 8.2." in body
    assert "Le site des Judokas de l'Est (judo-est-asso-69.org) fonctionne avec PHP 7.4." in body
    assert "exception accordée jusqu'au 15 janvier 2027" in _flat(body)
    assert body.count("Ce que vous devez faire :") == 3
    assert "Élodie" not in body and "Vélo" not in body
    elodie = by_recipient(smtp_sink)["elodie@velo-cite.example.org"].get_content()
    assert "Le site de Vélo Cité" in elodie and "Anne" not in elodie and "Chorale" not in elodie
    record = notices.load(proj / notices.DEFAULT_FILE)
    assert sorted((n.member, n.runtime, n.to, n.state) for n in record) == [
        ("chorale-est", "8.2", "anne@federation.example.org", "warning"),
        ("judo-est", "7.4", "anne@Federation.EXAMPLE.org", "eol"),
        ("theatre-est", "8.2", "anne@FEDERATION.example.org", "warning"),
        ("velo-cite", "8.2", "elodie@velo-cite.example.org", "warning"),
    ]
    out, err = capsys.readouterr()
    assert "sent 2 message(s) for 4 member(s), 4 member(s) recorded in" in out, out
    assert (
        "judo-est.yaml:4 contact.name: 'A. Roux' is not the name chorale-est, theatre-est give the same contact "
        "(anne@Federation.EXAMPLE.org): the one message to that address says 'Anne Roux'"
    ) in err, err
    assert "judo-est.yaml:3 contact.language: 'en' is not the language chorale-est, theatre-est give" in err, err
    assert "chorale-est.yaml" not in err and "theatre-est.yaml" not in err, err


def test_a_member_not_due_is_not_named_in_its_contact_s_message(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """The period counted per member: a member joining the secretary's associations later is told alone, the
    others (told within the period) are neither named nor written to again."""
    members, proj = _federation(tmp_path), project(tmp_path, smtp_sink)
    assert notify(proj, members, ON) == 0
    smtp_sink.clear()
    capsys.readouterr()
    new = member(
        10805,
        name="Harmonie de l'Est",
        contact={"name": "Anne Roux", "email": "anne@federation.example.org"},
        site=_site("8.2", "harmonie-est-asso-69.org"),
    )
    write_members(members, {"harmonie-est": new})
    assert notify(proj, members, ON + dt.timedelta(days=3)) == 0
    assert [r.rcpt_tos for r in smtp_sink.received] == [["anne@federation.example.org"]]
    message = smtp_sink.received[0].message
    body = message.get_content()
    assert "Le site de Harmonie de l'Est (harmonie-est-asso-69.org)" in body
    assert "Chorale" not in body and "Judokas" not in body and "Théâtre" not in body
    assert message["Subject"] == "PHP 8.2 : fin de vie le 31 décembre 2026, votre site doit changer de version"
    err = capsys.readouterr().err
    assert "chorale-est: already told about PHP 8.2 on 2026-11-28" in err
    told = [n.member for n in notices.load(proj / notices.DEFAULT_FILE) if n.date == ON + dt.timedelta(days=3)]
    assert told == ["harmonie-est"]


def test_a_refused_message_records_none_of_the_members_it_named(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    members, proj = _federation(tmp_path), project(tmp_path, smtp_sink)
    smtp_sink.reject.add("anne@federation.example.org")
    assert notify(proj, members, ON) == 3
    out, err = capsys.readouterr()
    assert "chorale-est, judo-est, theatre-est: refused by the server, not recorded: anne@federation" in err, err
    assert "sent 1 message(s) for 1 member(s), 1 member(s) recorded in" in out and "1 refused" in out, out
    assert [n.member for n in notices.load(proj / notices.DEFAULT_FILE)] == ["velo-cite"]


def test_a_local_part_written_in_another_case_is_another_address(tmp_path: Path, smtp_sink: Sink) -> None:
    """The local part is compared as written (RFC 5321 §2.4: only the mailbox's own server may read it without
    case): Anne@ and anne@ each get their message, rather than one of them none."""
    extra = {
        "danse-est": member(
            10806,
            name="Danse de l'Est",
            contact={"name": "Anne Roux", "email": "Anne@federation.example.org"},
            site=_site("8.2", "danse-est-asso-69.org"),
        )
    }
    members, proj = _federation(tmp_path, extra=extra), project(tmp_path, smtp_sink)
    assert notify(proj, members, ON) == 0
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == [
        "Anne@federation.example.org",
        "anne@federation.example.org",
        "elodie@velo-cite.example.org",
    ]


def test_the_dry_run_shows_which_members_each_message_names(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    members, proj = _federation(tmp_path), project(tmp_path, smtp_sink)
    assert notify(proj, members, ON, "--dry-run") == 0
    out, err = capsys.readouterr()
    assert smtp_sink.received == []
    assert (
        "--- one message to anne@federation.example.org for chorale-est (PHP 8.2, warning), "
        "judo-est (PHP 7.4, eol), theatre-est (PHP 8.2, warning) ---"
    ) in out, out
    assert "--- velo-cite (PHP 8.2, warning) ---" in out
    assert out.count("Subject:") == 2
    assert "dry run: 2 message(s) for 4 member(s), nothing sent" in err, err


def test_the_dry_run_heads_a_message_with_the_address_it_is_sent_to(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str]
) -> None:
    """The heading names the address as the message's ``To:`` gives it, its domain in lowercase, however the first
    member's file writes it (was: ``one message to anne@Federation.EXAMPLE.org``, with ``To:`` naming
    ``anne@federation.example.org``); the real run sends to that address."""
    members, proj = _federation(tmp_path), project(tmp_path, smtp_sink)
    first = members / "chorale-est.yaml"
    first.write_text(first.read_text().replace("anne@federation.example.org", "anne@Federation.EXAMPLE.org"))
    assert notify(proj, members, ON, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "--- one message to anne@federation.example.org for chorale-est (PHP 8.2, warning), " in out, out
    assert "To: Anne Roux <anne@federation.example.org>" in out, out
    assert "Federation.EXAMPLE" not in out, out
    assert notify(proj, members, ON) == 0
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == [
        "anne@federation.example.org",
        "elodie@velo-cite.example.org",
    ]


def test_a_grouped_message_in_english_heads_each_site_with_its_member(tmp_path: Path, smtp_sink: Sink) -> None:
    contact = {"name": "Sam Reed", "email": "sam@clubs.example.org", "language": "en"}
    members = write_members(
        tmp_path / "members",
        {
            "old-club": member(
                10811,
                name="Old Club",
                contact=contact,
                site=_site("7.4", "old-club-asso-69.org"),
                exceptions={"php_eol": {"until": dt.date(2027, 1, 15), "reason": "new site on its way"}},
            ),
            "pause-club": member(
                10812, name="Pause Club", status="suspended", contact=contact, site=_site("8.2", "pause-asso-69.org")
            ),
        },
    )
    assert notify(project(tmp_path, smtp_sink), members, ON) == 0
    assert [r.rcpt_tos for r in smtp_sink.received] == [["sam@clubs.example.org"]]
    message = smtp_sink.received[0].message
    assert message["Subject"] == "PHP end of life: 2 sites you are the contact of must move"
    assert message["Content-Language"] == "en"
    lines = message.get_content().splitlines()
    assert lines[:6] == [
        "Hello Sam Reed,",
        "",
        "You are the contact of 2 members of the host whose sites are set up for a PHP version",
        "near or past its end of life:",
        "- Old Club (old-club-asso-69.org): PHP 7.4, end of life 28 November 2022, 1461 days ago",
        "- Pause Club (pause-asso-69.org): PHP 8.2, end of life 31 December 2026, in 33 days",
    ], lines
    old, pause = lines.index("== Old Club =="), lines.index("== Pause Club ==")
    assert old < pause
    assert "The site of Old Club (old-club-asso-69.org) runs on PHP 7.4." in lines[old:pause]
    assert "The site of Pause Club (pause-asso-69.org) is suspended: it shows an" in lines[pause:]
    assert lines.count("What you need to do:") == 2


def test_a_grouped_message_the_record_fails_to_keep_gives_every_entry_to_add(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entries of one message are written at once: a record that fails keeps none of them, and the run says
    each one to add by hand."""
    members, proj = _federation(tmp_path), project(tmp_path, smtp_sink)
    record = tmp_path / "records" / "notices.yaml"
    record.parent.mkdir()
    append = notices.append

    def vanishing(path: Path, notice: notices.Notice, *more: notices.Notice) -> None:
        shutil.rmtree(path.parent, ignore_errors=True)
        append(path, notice, *more)

    monkeypatch.setattr(notices, "append", vanishing)
    assert notify(proj, members, ON, "--record", str(record), "--new-record") == 1
    out, err = capsys.readouterr()
    assert [r.rcpt_tos for r in smtp_sink.received] == [["anne@federation.example.org"]], "the soonest first"
    assert "sent 1 message(s) for 3 member(s), 0 member(s) recorded in" in out and "(3 NOT recorded)" in out, out
    assert "chorale-est, judo-est, theatre-est: sent to anne@federation.example.org, not recorded:" in err, err
    assert "add these entries under `sent:`" in err, err
    for slug, to in [
        ("chorale-est", "anne@federation.example.org"),
        ("judo-est", "anne@Federation.EXAMPLE.org"),
        ("theatre-est", "anne@FEDERATION.example.org"),
    ]:
        assert f"  - {{date: 2026-11-28, member: {slug}, runtime: " in err and f"to: {to}, " in err, err
    assert "stopped: 1 message(s) not sent" in err, err


@pytest.mark.parametrize(
    ("given", "chosen"),
    [
        ([("b", "Anne"), ("a", "A. Roux"), ("c", "Anne")], "Anne"),  # most of them
        ([("b", "Anne"), ("a", "A. Roux")], "A. Roux"),  # as many: the first slug's
        ([("z", "fr")], "fr"),
    ],
)
def test_the_contact_s_name_and_language_are_the_ones_most_members_give(
    given: list[tuple[str, str]], chosen: str
) -> None:
    assert notify_command.most_given(given) == chosen


def test_an_address_whose_domain_is_written_otherwise_is_the_same_contact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A domain in Unicode or in punycode, in lower or upper case: one mailbox, one message; on a server without
    SMTPUTF8, a message to letters outside ASCII before the @ is not sent, and none of its members is recorded."""
    members = _idn_members(tmp_path, "renée@utf8.example.org")
    write_members(
        members,
        {
            "cafe-bis": member(
                10610,
                contact={"name": "Marie", "email": "marie@xn--caf-dma.example.org"},
                site=_site("8.2", "cafe-bis-asso-69.org"),
            ),
            "utf8-bis": member(
                10611,
                contact={"name": "Renée", "email": "renée@UTF8.example.org"},
                site=_site("8.2", "utf8-bis-asso-69.org"),
            ),
        },
    )
    with running_sink(smtputf8=False) as sink:
        status = notify(project(tmp_path, sink), members, ON)
        got = sorted(r.rcpt_tos[0] for r in sink.received)
    assert status == 3
    assert got == [
        "elodie@velo-cite.example.org",
        "marie@xn--caf-dma.example.org",
        "paul@pause.example.org",
        "sam@old-club.example.org",
    ], got
    out, err = capsys.readouterr()
    assert "utf8-asso, utf8-bis: not sent, not recorded: renée@utf8.example.org has letters" in err, err
    recorded = {n.member for n in notices.load(tmp_path / "project" / notices.DEFAULT_FILE)}
    assert recorded == {"velo-cite", "old-club", "pause-asso", "cafe-asso", "cafe-bis"}
    assert "sent 4 message(s) for 5 member(s), 5 member(s) recorded in" in out and "1 not sent" in out, out


_HEADERS_SHOWN = ("Subject", "From", "To", "Reply-To", "Content-Language")  # the same in each run


def _unfoldable(line: str) -> bool:
    """Whether a header's ``line`` has no blank to fold at after its name (a Message-ID at a long domain)."""
    return not any(ch in " \t" for ch in line.partition(": ")[2].strip())


@pytest.mark.parametrize(
    ("language", "php", "status", "stopped", "name"),
    [
        ("fr", "8.2", "active", "8.2", "Camille Roux"),  # Subject: PHP 8.2 est arrêté sur l'hébergement : ...
        ("fr", "7.4", "suspended", "", "Jean-Baptiste Poquelin-Dufresne, président du Comité des fêtes"),
        ("en", "7.4", "active", "", "Sam Reed (Secretary of the Old Town Cycling and Walking Club)"),
        ("fr", "8.2", "active", "", "Marie-Françoise de La Tour d'Auvergne, trésorière de l'association"),
        ("en", "8.2", "active", "", "Association sportive et culturelle des habitants du quartier Saint-Just"),
    ],
)
def test_the_dry_run_shows_the_headers_folded_as_the_message_sent(  # noqa: PLR0917
    tmp_path: Path,
    smtp_sink: Sink,
    capsys: pytest.CaptureFixture[str],
    language: str,
    php: str,
    status: str,
    stopped: str,
    name: str,
) -> None:
    """A header longer than a line (a subject, a contact's name, the admins' address) was printed on one line of up
    to 120 characters, past RFC 5322 §2.1.1's 78, though the message sent folds it: the dry run folds it as the
    email library does when it sends, each line at most 78 characters (but one without a blank to fold at: a
    Message-ID), and the headers read back are those the server received (letters outside ASCII shown as written,
    not in the encoded words the message sent holds)."""
    contact = {"name": name, "email": "c@case-asso.fr", "language": language}
    data = member(status=status, contact=contact, site=_site(php, "case-asso.fr"))
    members = write_members(tmp_path / "members", {"case-member": data})
    proj = project(tmp_path, smtp_sink)
    _long_admins_and_stopped(proj, stopped)
    capsys.readouterr()
    assert notify(proj, members, ON, "--dry-run") == 0
    out = capsys.readouterr().out
    head = out.split("\n", 1)[1].split("\n\n", 1)[0]  # after the dry run's heading line
    assert [line for line in head.splitlines() if len(line) > _WIDTH and not _unfoldable(line)] == [], head
    shown: dict[str, str] = {}  # each header's lines joined
    key = ""
    for line in head.splitlines():
        if line[:1] in " \t":
            shown[key] += line
        else:
            key, _, shown[key] = line.partition(":")
    assert notify(proj, members, ON) == 0
    (sent,) = smtp_sink.received
    for key in _HEADERS_SHOWN:  # blanks and a display name's quotes aside: the words a mail reader shows
        assert _bare(shown[key]) == _bare(str(sent.message[key])), key
    assert _bare(name) in _bare(shown["To"])


def _bare(text: str) -> str:
    return "".join(text.replace('"', "").split())


@pytest.mark.parametrize(
    "name",
    [
        "Moreau, Lucie (Trésorière)",
        "Jean-Baptiste Poquelin-Dufresne, président du Comité des fêtes de la Croix-Rousse",
        'Lucie "Lulu" Moreau, é',
    ],
)
def test_the_dry_run_shows_a_display_name_with_specials_quoted_as_sent(name: str) -> None:
    """A contact's name holding a comma or brackets and letters outside ASCII was shown decoded without its quotes
    (To: Moreau, Lucie (Trésorière) <...>: two addresses and a comment to the eye), while the message sent holds
    it as one name (an encoded word); it is shown quoted, as it is written in ASCII ("Moreau, Lucie (Tresoriere)")."""
    from email.headerregistry import Address
    from email.message import EmailMessage

    email = EmailMessage()
    email["To"] = Address(name, "lucie", "asso.example.org")
    email.set_content("x")
    head = notify_command.as_text(notify_command.Message((), "lucie@asso.example.org", email)).split("\n\n")[0]
    to = head.split("\nMIME-Version:")[0]  # the To header's lines, the first header
    quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    # (blanks aside: a line folded within a word shows it split, as the message sent splits its encoded word)
    assert "".join(to.split()) == "".join(f"To: {quoted} <lucie@asso.example.org>".split()), head
    assert to.startswith('To: "') and to.endswith("<lucie@asso.example.org>"), head
    assert to.removesuffix("<lucie@asso.example.org>").rstrip().endswith('"'), head
    assert all(len(line) <= _WIDTH for line in head.splitlines()), head


@pytest.mark.parametrize("extra", [(), ("--dry-run",)], ids=str)
def test_new_record_without_record_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...]
) -> None:
    """`pic notify --new-record` without --record was taken silently: it starts the record --record names, and the
    default record is started when absent whatever is given, so alone it does nothing. A usage error, nothing sent
    or written."""
    with pytest.raises(SystemExit) as usage:
        main(["notify", "--project", str(tmp_path), "--new-record", *extra])
    assert usage.value.code == 2
    err = capsys.readouterr().err
    assert "pic notify: error: argument --new-record: starts the record --record names" in err, err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        *(("7.40", "7.4"), ("8.30", "8.3"), ("7.400", "7.4"), ("8.00", "8.0")),
        # a sign or an exponent YAML reads in a number too (YAML 1.2's float): +8.4 is 8.4
        *(("+8.4", "8.4"), ("7.4e0", "7.4"), ("0.84E1", "8.4"), ("+7.40", "7.4")),
    ],
)
def test_a_recorded_runtime_written_unquoted_is_told_the_key_to_write(tmp_path: Path, written: str, meant: str) -> None:
    """notices.yaml's runtime: 7.40 (YAML reads the number 7.4) was told to put it in quotes, "7.40" then another key
    than pic notify's "7.4", the runtime it was about: the key YAML read is offered, in quotes, as a member file's
    php: 8.40 is told, and the record so written is read."""
    record = tmp_path / "notices.yaml"
    entry = (
        "sent:\n  - {date: 2026-11-28, member: amis-du-rhone, runtime: RUNTIME, to: marie@example.org, state: eol}\n"
    )
    record.write_text(entry.replace("RUNTIME", written), encoding="utf-8")
    with pytest.raises(PicError) as refused:
        notices.load(record)
    [line] = str(refused.value).splitlines()
    assert (
        f"sent[0].runtime: {written} is not a string (YAML reads the number {meant}): write '{meant}', in quotes"
        in (line)
    ), line
    record.write_text(entry.replace("RUNTIME", f"'{meant}'"), encoding="utf-8")
    assert [n.runtime for n in notices.load(record)] == [meant]


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_run_stopped_by_sigterm_or_sighup_while_sending_ends_as_the_readme_says(
    tmp_path: Path, smtp_sink: Sink, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, signame: str
) -> None:
    """As the pic command runs it (pic.cli.run_command's handlers of SIGTERM and SIGHUP in place), a stop by SIGTERM
    or SIGHUP while the server took a message ended with 130, Ctrl-C's status, without the signal's name (send put
    Ctrl-C's handler in place of SIGTERM's): 143 or 129, as README's table says, the message in flight named."""
    import signal

    from pic import cli

    signum = getattr(signal, signame)
    status = {"SIGTERM": 143, "SIGHUP": 129}[signame]
    members, proj = registry(tmp_path), project(tmp_path, smtp_sink)
    calls = _on_the_second_message(monkeypatch, lambda: os.kill(os.getpid(), signum))
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        for s in before:
            signal.signal(s, cli._stop)  # as run_command sets them
        assert notify(proj, members, ON) == status
        assert signal.getsignal(signum) == cli._stop  # given back after the run
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
    err = capsys.readouterr().err
    assert len(calls) == 2 and len(notices.load(proj / notices.DEFAULT_FILE)) == 1
    assert f"pause-asso: stopped by {signame} while the server took it (to paul@pause.example.org)" in err, err

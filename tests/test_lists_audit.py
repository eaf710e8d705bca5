"""`pic lists audit`: dead, misspelled and malformed addresses in subscriber exports."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pic import cli, lists_audit

DATA = Path(__file__).resolve().parent / "data" / "lists"


def _audit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = cli.main(["lists", "audit", *args])
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err


def test_sympa_dump_flags_gmail_fr_and_voila_fr_with_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = _audit(capsys, str(DATA / "bureau.dump"))
    assert code == 1
    assert len(lines) == 2, lines
    gmail, voila = lines
    assert gmail.endswith(
        "bureau.dump:1 jean.dupont@gmail.fr: domain never had mailboxes: Gmail never had a gmail.fr "
        "address; gmail.com was meant; suggested: jean.dupont@gmail.com"
    )
    assert (
        "bureau.dump:8 marie.martin@voila.fr: domain closed: Voila's mail service (Orange) closed in January 2016"
        in voila
    )
    assert voila.endswith("suggested: remove it, or ask the subscriber for a new address")
    assert "4 address(es) in 1 file(s), 2 to fix" in err


def test_clean_list_flags_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = _audit(capsys, str(DATA / "clean.txt"))
    assert code == 0
    assert lines == []
    assert "5 address(es) in 1 file(s), 0 to fix" in err


def test_web_dump_typos_and_malformed(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = _audit(capsys, str(DATA / "web-dump.txt"))
    assert code == 1
    assert any(
        line.endswith("lucie@hotmial.com: misspelled domain: misspelling of hotmail.com; suggested: lucie@hotmail.com")
        for line in lines
    ), lines
    anne = next(line for line in lines if "anne@" in line)
    assert "web-dump.txt:4 anne@gmail,com: malformed address" in anne
    assert anne.endswith("suggested: anne@gmail.com")
    assert len(lines) == 2


def test_csv_export_with_an_email_column(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = _audit(capsys, str(DATA / "members.csv"))
    assert code == 1
    assert lines[0].endswith(
        "members.csv:2 jean.dupont@gmail.fr: domain never had mailboxes: Gmail never had a gmail.fr "
        "address; gmail.com was meant; suggested: jean.dupont@gmail.com"
    )
    assert "members.csv:4 petit@@free.fr: malformed address" in lines[1]
    assert len(lines) == 2


def test_several_files_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = _audit(capsys, str(DATA / "clean.txt"), str(DATA / "bureau.dump"))
    assert code == 1
    assert len(lines) == 2
    assert "9 address(es) in 2 file(s), 2 to fix" in err


def test_admins_extend_the_domain_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = tmp_path / "local.yaml"
    extra.write_text(yaml.safe_dump({"orange.fr": {"status": "closed", "note": "test closure"}}))
    code, lines, _ = _audit(capsys, "--domains", str(extra), str(DATA / "clean.txt"))
    assert code == 1
    assert len(lines) == 1
    assert lines[0].endswith(
        "clean.txt:5 claire@orange.fr: domain closed: test closure; "
        "suggested: remove it, or ask the subscriber for a new address"
    )


def test_bad_domain_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = tmp_path / "local.yaml"
    extra.write_text("orange.fr: {status: gone}\n")
    code, lines, err = _audit(capsys, "--domains", str(extra), str(DATA / "clean.txt"))
    assert code == 1
    assert lines == []
    assert "orange.fr.status: must be one of typo, closed, never" in err
    assert str(extra) in err


def test_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _audit(capsys, str(tmp_path / "nope.txt"))
    assert code == 1
    assert "nope.txt cannot be read: No such file or directory" in err


def test_shipped_data_file_is_valid_and_has_the_two_most_frequent_errors() -> None:
    domains = lists_audit.load_domains()
    assert domains["gmail.fr"].suggest == "gmail.com"
    assert domains["voila.fr"].status == "closed"
    assert "January 2016" in domains["voila.fr"].note
    for name, d in domains.items():
        assert d.suggest not in domains, f"{name} suggests {d.suggest}, itself a dead domain"
        assert d.note, name


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=60), max_size=20))
def test_any_export_is_audited_without_crashing(tmp_path_factory: pytest.TempPathFactory, lines: list[str]) -> None:
    """Whatever a file holds, the audit reads it and returns flags: every flagged line is one of the file's."""
    path = tmp_path_factory.mktemp("fuzz") / "export.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    entries = lists_audit.read_export(path)
    flags = lists_audit.audit(entries, lists_audit.load_domains())
    assert {f.entry for f in flags} <= set(entries)
    for f in flags:
        assert f.problem
        assert str(f).startswith(f"{f.entry.file}:{f.entry.line} ")


# --- misspellings of the large providers, found by distance ---------------------------------------

MISSPELT = [
    ("gmial.com", "gmail.com"),
    ("gmaill.com", "gmail.com"),
    ("gmail.cm", "gmail.com"),
    ("gmail.om", "gmail.com"),
    ("gmail.comm", "gmail.com"),
    ("hotmial.fr", "hotmail.fr"),
    ("hotmail.fe", "hotmail.fr"),
    ("hotmal.com", "hotmail.com"),
    ("outlok.fr", "outlook.fr"),
    ("outllook.com", "outlook.com"),
    ("yahooo.com", "yahoo.com"),
    ("yaoo.fr", "yahoo.fr"),
    ("oragne.fr", "orange.fr"),
    ("orange.ft", "orange.fr"),
    ("wanado.fr", "wanadoo.fr"),
    ("wanadoo.fe", "wanadoo.fr"),
    ("lapost.net", "laposte.net"),
    ("laposte.nte", "laposte.net"),
    ("fre.fr", "free.fr"),
    ("freee.fr", "free.fr"),
    ("icloud.con", "icloud.com"),
    ("iclould.com", "icloud.com"),
    ("protonmial.com", "protonmail.com"),
    ("numericable.ft", "numericable.fr"),
]

CORRECT = [
    "gmail.com",
    "googlemail.com",
    "hotmail.fr",
    "hotmail.com",
    "outlook.fr",
    "live.fr",
    "yahoo.fr",
    "yahoo.co.uk",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "sfr.fr",
    "neuf.fr",
    "laposte.net",
    "icloud.com",
    "me.com",
    "mac.com",
    "gmx.fr",
    "gmx.de",
    "protonmail.com",
    "proton.me",
    "email.com",
    "mail.com",
    "orange.com",
    "love.fr",
    "lyon.fr",
    "mairie-lyon.fr",
    "univ-lyon1.fr",
    "amis-du-rhone.org",
    "velo-cite.org",
    "example.bzh",
    "asso.paris",
    "ac-lyon.fr",
    "gouv.fr",
    "free-software.org",
]


@pytest.mark.parametrize(("domain", "meant"), MISSPELT)
def test_misspelt_provider_is_flagged_with_the_right_domain(domain: str, meant: str) -> None:
    flag = lists_audit.audit_entry(
        lists_audit.Entry("f", 1, f"marie@{domain}"), lists_audit.load_domains(), lists_audit.load_providers()
    )
    assert flag is not None, domain
    assert flag.suggestion == f"marie@{meant}", flag


def test_correct_addresses_are_not_flagged() -> None:
    providers = lists_audit.load_providers()
    entries = [lists_audit.Entry("f", i, f"paul@{d}") for i, d in enumerate([*CORRECT, *providers.domains])]
    assert lists_audit.audit(entries, lists_audit.load_domains(), providers) == []


def test_unknown_top_level_domain_is_flagged(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    export = tmp_path / "list.txt"
    export.write_text("anne@asso-velo.orgg\nluc@club.nimportequoi\nzoe@velo-cite.org\n")
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1
    assert len(lines) == 2, lines
    assert "unknown top-level domain .orgg" in lines[0] and lines[0].endswith("suggested: anne@asso-velo.org")
    assert "unknown top-level domain .nimportequoi" in lines[1]


def test_osa_distance() -> None:
    assert lists_audit.osa_distance("gmail", "gmial") == 1  # two neighbours swapped
    assert lists_audit.osa_distance("gmail", "gmal") == 1
    assert lists_audit.osa_distance("hotmail", "hotmial") == 1
    assert lists_audit.osa_distance("wanadoo", "wnadoo") == 1
    assert lists_audit.osa_distance("abc", "xyz") == 3
    assert lists_audit.osa_distance("", "ab") == 2

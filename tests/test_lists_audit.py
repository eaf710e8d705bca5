"""`pic lists audit`: dead, misspelled and malformed addresses in subscriber exports."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pic import cli, lists_audit
from pic.errors import PicError, Unreachable, osa_distance
from pic.lists_audit import ASK_ANOTHER
from pic.settings import OPTIONAL_SECRET_KEYS, SECRET_KEYS
from tests.helpers import (
    RESOLVER_ERRORS,
    answering_resolver,
    closed_udp_port,
    failing_under,
    rcode_reply,
    sympa_valid_email,
    truncated_reply,
    truncating_then_closing,
)

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
        line.endswith("lucie@hotmial.com: misspelled domain: probably hotmail.com; suggested: lucie@hotmail.com")
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


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        ({"status": "typo", "suggest": "orange.fr"}, "misspelled domain: probably orange.fr; "),
        (
            {"status": "typo", "suggest": "orange.fr", "note": "the old webmail's autocomplete"},
            "misspelled domain: probably orange.fr (the old webmail's autocomplete); ",
        ),
        ({"status": "typo", "note": "no one knows which"}, "misspelled domain: no one knows which; "),
    ],
)
def test_a_typo_reads_as_a_provider_s_misspelling_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], spec: dict[str, str], said: str
) -> None:
    # the domain meant is said once, as for a slip found by distance ("probably gmail.com"); the data's typos
    # needed a note "misspelling of gmail.com" to say it, which read "misspelled domain: misspelling of ..."
    extra = tmp_path / "local.yaml"
    extra.write_text(yaml.safe_dump({"orange.fe.example": spec}))
    export = tmp_path / "list.txt"
    export.write_text("claire@orange.fe.example\n", encoding="utf-8")
    code, lines, _ = _audit(capsys, "--domains", str(extra), str(export))
    assert code == 1
    assert len(lines) == 1 and f"claire@orange.fe.example: {said}" in lines[0], lines


def test_the_shipped_typos_name_the_domain_meant_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = yaml.safe_load(resources.files("pic.data").joinpath("mail_domains.yaml").read_text(encoding="utf-8"))
    typos = [domain for domain, spec in data.items() if spec["status"] == "typo"]
    assert len(typos) >= 10
    export = tmp_path / "list.txt"
    export.write_text("".join(f"x@{domain}\n" for domain in typos), encoding="utf-8")
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1 and len(lines) == len(typos)
    for line, domain in zip(lines, typos, strict=True):
        meant = data[domain]["suggest"]
        assert line.endswith(f"x@{domain}: misspelled domain: probably {meant}; suggested: x@{meant}"), line


def test_bad_domain_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = tmp_path / "local.yaml"
    extra.write_text("orange.fr: {status: gone}\n")
    code, lines, err = _audit(capsys, "--domains", str(extra), str(DATA / "clean.txt"))
    assert code == 1
    assert lines == []
    assert f'{extra}:1 orange.fr.status: "gone" is not a status (known: typo, closed, never)' in err


def _usage_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The message of a usage error (exit 2, nothing read): an export or a --domains file that cannot be read."""
    with pytest.raises(SystemExit) as stopped:
        cli.main(["lists", "audit", *args])
    out = capsys.readouterr()
    assert stopped.value.code == 2 and out.out == "", out
    return out.err


def test_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _usage_error(capsys, str(tmp_path / "nope.txt"))
    assert f"argument FILE: '{tmp_path}/nope.txt' cannot be read (No such file or directory): give a subscriber " in err


def test_shipped_data_file_is_valid_and_has_the_two_most_frequent_errors() -> None:
    domains = lists_audit.load_domains()
    assert domains["gmail.fr"].suggest == "gmail.com"
    assert domains["voila.fr"].status == "closed"
    assert "January 2016" in domains["voila.fr"].note
    for name, d in domains.items():
        assert d.suggest not in domains, f"{name} suggests {d.suggest}, itself a dead domain"
        assert d.note or (d.status == "typo" and d.suggest), f"{name}: a closed or never-used domain says why"


def test_every_closed_domain_of_the_shipped_file_says_when_and_from_what_source() -> None:
    """A closed domain is a fact of a provider's history: its note gives the year, and a comment above it where it is
    told (a provider's announcement, the press), so that a reviewer can check it and an admin can tell when it no
    longer holds; the note alone is shown to list owners."""
    import re
    from importlib import resources

    text = resources.files("pic.data").joinpath("mail_domains.yaml").read_text(encoding="utf-8")
    comments: list[str] = []
    sources = {}
    for line in text.splitlines():
        if line.startswith("#"):
            comments.append(line)
        elif re.match(r"[a-z0-9]", line):
            sources[line.rstrip(":")] = " ".join(comments)
            comments = []
    for name, d in lists_audit.load_domains().items():
        if d.status == "closed":
            assert re.search(r"\b(19|20)\d\d\b", d.note or ""), f"{name}: no year in {d.note!r}"
            assert "source: " in sources[name], f"{name}: no '# source: ' comment above it"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=60), max_size=20))
def test_any_export_is_audited_without_crashing(tmp_path_factory: pytest.TempPathFactory, lines: list[str]) -> None:
    """Whatever text a file holds, the audit reads it and returns flags (every flagged line is one of the
    file's), or says which lines hold a NUL byte."""
    path = tmp_path_factory.mktemp("fuzz") / "export.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    if any("\x00" in line for line in lines):  # not a text file: said with the line, nothing read
        with pytest.raises(PicError) as refused:
            lists_audit.read_export(path)
        assert all(p.line is not None and "NUL byte" in p.message for p in refused.value.problems if p.line)
        return
    entries = lists_audit.read_export(path)
    flags = lists_audit.audit(entries, lists_audit.load_domains())
    assert {f.entry for f in flags} <= set(entries)
    for f in flags:
        assert f.problem
        assert str(f).startswith(f"{f.entry.file}:{f.entry.line} ")


# --- exports that are not what the reader expects: a clear error or a correct reading, never a traceback -----


@pytest.mark.parametrize("before", ["# export of the list bureau\n", "\n", "  \n# export\n\n"])
def test_csv_header_after_a_comment_or_blank_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], before: str
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(f"{before}email,name\nfoo@gmail.con,Foo\nzoe@velo-cite.org,Zoé\n", encoding="utf-8")
    header = before.count("\n") + 1
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, err
    assert lines == [
        f"{export}:{header + 1} foo@gmail.con: misspelled domain: probably gmail.com; suggested: foo@gmail.com"
    ]
    assert "2 address(es) in 1 file(s), 1 to fix" in err


@pytest.mark.parametrize(
    ("first", "delimiter"), [("sep=;", ";"), ("sep=,", ","), ("sep=\t", "\t"), ('"sep=;"', ";"), ("SEP=;", ";")]
)
def test_csv_opening_with_excel_s_separator_line_is_read_under_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], first: str, delimiter: str
) -> None:
    """Excel's first line naming the delimiter (sep=;) is no subscriber, nor a header: the header is the line after
    it. It was taken for a header (its rows flagged malformed, or a column "sep=" warned of) and its text masked as a
    password."""
    export = tmp_path / "export.csv"
    d = delimiter
    export.write_text(f"{first}\nemail{d}nom\njean@gmail.com{d}Jean\nluc@gmial.com{d}Luc\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, err
    assert lines == [f"{export}:4 luc@gmial.com: misspelled domain: probably gmail.com; suggested: luc@gmail.com"]
    assert "warning" not in err and "2 address(es) in 1 file(s), 1 to fix" in err, err


def test_an_export_of_excel_s_separator_line_alone_holds_no_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.csv"
    export.write_text("sep=;\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert (code, lines) == (0, []), err
    assert "holds no address" in err and "not shown" not in err, err


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_email_column_found_with_each_delimiter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], delimiter: str
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(f"nom{delimiter}E-mail\nFoo{delimiter}foo@gmail.fr\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, err
    assert len(lines) == 1 and lines[0].startswith(f"{export}:2 foo@gmail.fr: domain never had mailboxes")


@pytest.mark.parametrize(
    "name",
    [
        "EMAIL",
        "email",
        "E-mail",
        "E-MAIL",
        "Email address",
        "Email Address",  # Mailchimp's export
        "E-mail Address",  # Outlook's
        "e_mail",
        "Adresse e-mail",
        "Adresse mail",
        "Courriel",
        "Adresse de courriel",
        "E\u2011mail",  # a non-breaking hyphen, as a word processor writes E-mail
        "Mail",
        "MAIL",
        "Mél",
        "Mél.",
        "Adresse électronique",
        "ADRESSE ÉLECTRONIQUE",
        "Courrier électronique",
        "Adresse de messagerie",  # Outlook's in French
        "Adresse de messagerie 2",
        "Dirección de correo electrónico",  # Outlook's in Spanish
        "Indirizzo posta elettronica",
    ],
)
def test_csv_column_of_addresses_is_found_by_its_usual_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """The column's name in any case, with or without accents, spaces, underscores or dashes (was: "Mail", "Mél",
    "Adresse électronique" and an E‑mail of a non-breaking hyphen went unrecognised, every row flagged as malformed)."""
    export = tmp_path / "export.csv"
    export.write_text(f"Nom;{name}\nDupont, Jean;jean@gmail.fr\nZoé;zoe@velo-cite.org\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, err
    assert len(lines) == 1 and lines[0].startswith(f"{export}:2 jean@gmail.fr: domain never had mailboxes"), lines
    assert "2 address(es) in 1 file(s), 1 to fix" in err
    assert "naming no column of addresses" not in err, err  # known by its name, not found by its cells


def test_sympas_export_with_bounces_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Sympa's export of the subscribers' bounces (review page, format bounce): a "# Email<TAB>Name<TAB>..." comment
    above the rows, each row its address, name and bounce figures."""
    export = tmp_path / "list-bounce.txt"
    rows = ["jean@gmail.fr\tJean Dupont\t52\t3\t1700000000\t1700100000", "zoe@velo-cite.org\tZoé\t0\t1\t1\t1"]
    header = "# Email\tName\tBounce score\tBounce count\tFirst bounce\tLast bounce"
    export.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, err
    assert len(lines) == 1 and lines[0].startswith(f"{export}:2 jean@gmail.fr: domain never had mailboxes"), lines
    assert "2 address(es) in 1 file(s), 1 to fix" in err


def test_csv_every_column_of_addresses_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second column of addresses ("Courriel perso") was not read at all: its gmail.fr passed, "0 to fix". Its
    cells holding an @ are addresses; an empty one, or a column of another kind named after the address ("Email
    vérifié": oui/non), is no subscriber to fix."""
    export = tmp_path / "export.csv"
    rows = [
        "Nom;Courriel;Courriel perso;Email vérifié",
        "Dupont;jean@orange.fr;jean@gmail.fr;oui",
        "Zoé;zoe@velo-cite.org;;non",
        "Luc;luc@free.fr;luc@hotmial.com;",
    ]
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, err
    assert [line.split(": ")[0] for line in lines] == [f"{export}:2 jean@gmail.fr", f"{export}:4 luc@hotmial.com"]
    assert "5 address(es) in 1 file(s), 2 to fix" in err


def test_csv_of_the_column_of_addresses_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "export.csv"
    export.write_text("E-mail\nfoo@gmail.fr\nzoe@velo-cite.org\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, err
    assert len(lines) == 1 and lines[0].startswith(f"{export}:2 foo@gmail.fr: domain never had mailboxes")
    assert "2 address(es) in 1 file(s), 1 to fix" in err


def test_csv_field_longer_than_the_csv_module_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """131,072 characters is the csv module's default limit; a field longer than that is still read, and an
    address that long is flagged quickly and shown cut."""
    export = tmp_path / "export.csv"
    notes = "x" * 140_000
    export.write_text(
        f"email,notes\nfoo@gmail.con,{notes}\n{'y' * 200_000}@free.fr,\nzoe@velo-cite.org,{notes}\n", encoding="utf-8"
    )
    started = time.monotonic()
    code, lines, err = _audit(capsys, str(export))
    assert time.monotonic() - started < 10
    assert code == 1, err
    assert "Traceback" not in err
    assert lines[0].endswith("2 foo@gmail.con: misspelled domain: probably gmail.com; suggested: foo@gmail.com")
    assert lines[1].startswith(f"{export}:3 yyy") and "..." in lines[1]
    assert lines[1].endswith("malformed address (200008 characters; an address has at most 254)")
    assert len(lines[1]) < 300 + len(str(export))
    assert "3 address(es) in 1 file(s), 2 to fix" in err


@pytest.mark.parametrize(
    "text",
    [
        # a header's cell longer than the csv module's limit, with a column named as a password (its value one
        # found in no message's words: a one-letter one, b, is in "probably" and hides the flag)
        f"email;{'x' * 200_000};Mot de passe\nfoo@gmail.con;a;Zx9secret\n",
        f"Nom;{'x' * 200_000};Mot de passe\nfoo@gmail.con;a;Zx9secret\n",
        # a row's cell that long, under a column named as a password
        f"email;Mot de passe\nfoo@gmail.con;{'x' * 200_000}\nzoe@velo-cite.org;Azerty123\n",
        f'email,notes\nfoo@gmail.con,"{"x" * 200_000}\nzoe@velo-cite.org,a\n',
    ],
    ids=["header-email", "header-other", "row-password", "row-quote-left-open"],
)
def test_a_cell_longer_than_the_csv_module_limit_anywhere_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """A header or a row with a cell longer than the csv module reads (131,072 characters) stopped the audit with
    the csv module's error (_csv.Error: field larger than field limit) where it split the header to find its
    delimiter or its password columns: each file is read to its end, its misspelt address flagged."""
    export = tmp_path / "export.csv"
    export.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert "Traceback" not in err and "field larger" not in err, err[-2000:]
    assert code == 1, err[-2000:]
    assert any("foo@gmail.con:" in line and "misspelled domain" in line for line in lines), lines
    assert "Zx9secret" not in "\n".join(lines), lines


def test_export_starting_with_a_utf8_byte_order_mark(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Spreadsheets' "CSV UTF-8" starts with one: the first address is read without it."""
    export = tmp_path / "export.txt"
    export.write_bytes(b"\xef\xbb\xbfjean@gmail.fr\nzoe@velo-cite.org\n")
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1
    assert lines == [
        f"{export}:1 jean@gmail.fr: domain never had mailboxes: Gmail never had a gmail.fr address; gmail.com was "
        "meant; suggested: jean@gmail.com"
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b"zoe@velo-cite.org\nno\xebl@free.fr\n",
            ":2 holds bytes that are not UTF-8 (\\xeb, column 3): save the file as UTF-8",
        ),
        (
            b"email;nom\nzoe@velo-cite.org;Zo\xe9\n",
            ":2 holds bytes that are not UTF-8 (\\xe9, column 21): save the file as UTF-8",
        ),
        (
            "zoe@velo-cite.org\n".encode("utf-16"),
            ":1 is UTF-16 (it starts with a UTF-16 byte-order mark): save it as UTF-8",
        ),
        (
            b"zoe@velo-cite.org\nb\x00o\x00b\x00@x.fr\n",
            ":2 holds a NUL byte (column 2): this is not a text file, or it is UTF-16 without a byte-order mark",
        ),
    ],
    ids=["latin-1", "cp1252-csv", "utf-16", "nul"],
)
def test_export_that_is_not_utf8_text_is_an_error_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    export = tmp_path / "export.txt"
    export.write_bytes(content)
    code, lines, err = _audit(capsys, str(export))
    assert code == 1
    assert lines == []
    assert f"{export}{expected}" in err, err
    assert "invalid: 1 error" in err


def test_every_export_refused_is_told_not_the_first_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two exports saved in Latin-1 (a list owner auditing all their lists): the first was told, the second not
    read, so fixing one file and running again told the next one only then. Every export is read and each one
    refused is told, as pic check tells every member file."""
    first, good, second = tmp_path / "a.csv", tmp_path / "b.txt", tmp_path / "c.txt"
    first.write_bytes(b"email;nom\nzoe@velo-cite.org;Zo\xe9\n")
    good.write_bytes(b"jean@gmail.fr\n")
    second.write_bytes(b"zoe@velo-cite.org\nno\xebl@free.fr\n")
    code, _, err = _audit(capsys, str(first), str(good), str(second))
    assert code == 1
    assert f"{first}:2 holds bytes that are not UTF-8 (\\xe9, column 21)" in err, err
    assert f"{second}:2 holds bytes that are not UTF-8 (\\xeb, column 3)" in err, err
    assert "invalid: 2 errors" in err, err


def test_the_findings_of_the_exports_read_are_printed_beside_one_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pic lists audit a.csv b.txt with b.txt refused (Latin-1) printed b.txt's refusal alone: a.csv's addresses to
    fix were not printed until b.txt was mended. The exports read are audited and their findings printed, the
    refusal told after them, and the exit is 1 (the audit applies nothing either way)."""
    good, bad = tmp_path / "a.csv", tmp_path / "b.txt"
    good.write_bytes(b"email\njean.dupont@gmail.fr\nok@example.org\n")
    bad.write_bytes(b"x@gmial.com\n\xe9t\xe9@free.fr\n")
    code, lines, err = _audit(capsys, str(good), str(bad))
    assert code == 1
    assert [line.split(": ", 1)[0] for line in lines] == [f"{good}:2 jean.dupont@gmail.fr"], lines
    assert not any(str(bad) in line for line in lines), lines  # nothing of the refused export is audited
    assert f"{bad}:2 holds bytes that are not UTF-8 (\\xe9, column 1; \\xe9, column 3)" in err, err
    assert "2 address(es) in 1 file(s), 1 to fix; 1 file(s) refused, not audited" in err, err
    assert "invalid: 1 error" in err, err


def test_each_byte_not_utf8_of_an_export_line_is_named_with_its_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A line of an export with two bytes that are not UTF-8 (a gecos, H\xe9l\xe8ne) named the first alone, where a
    member file's line names each byte and its column: told alike, by one text."""
    export = tmp_path / "export.txt"
    export.write_bytes(b"zoe@velo-cite.org H\xe9l\xe8ne\n")
    code, _, err = _audit(capsys, str(export))
    assert code == 1
    assert f"{export}:1 holds bytes that are not UTF-8 (\\xe9, column 20; \\xe8, column 22)" in err, err


_LATIN1 = b"# liste b\xe9n\xe9voles\nzoe@velo-cite.org Zo\xe9 Andr\xe9\njean@gmial.com Jean\n"


@pytest.mark.parametrize(
    ("data", "charset"),
    [(_LATIN1, "LATIN1"), (_LATIN1 + b"marc@free.fr March\x92s \x80\n", "CP1252")],
    ids=["latin-1", "cp1252"],
)
def test_an_export_in_latin1_is_offered_the_iconv_line_that_converts_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, charset: str
) -> None:
    """An export saved in Latin-1 (or Windows' CP1252: its quote \x92, its euro \x80) was refused line by line,
    'save the file as UTF-8', and how left unsaid: where its bytes read as text in that charset, the line of iconv
    that converts it is offered, and the file iconv (glibc's, run here) writes is audited as the export was meant."""
    import shlex
    import subprocess

    export = tmp_path / "liste b.txt"
    export.write_bytes(data)
    code, _, err = _audit(capsys, str(export))
    assert code == 1
    line = f"iconv -f {charset} -t UTF-8 {shlex.quote(str(export))} > {shlex.quote(str(export) + '.utf8')}"
    assert f"{export} reads as {'Latin-1' if charset == 'LATIN1' else 'CP1252'} text" in err and line in err, err
    subprocess.run(["sh", "-c", line], check=True)
    converted = tmp_path / "liste b.txt.utf8"
    assert converted.read_text(encoding="utf-8") == data.decode("cp1252")
    code, lines, err = _audit(capsys, str(converted))
    assert code == 1 and "not UTF-8" not in err, err
    assert [line.split(": ", 1)[0] for line in lines] == [f"{converted}:3 jean@gmial.com"], lines


@pytest.mark.parametrize(
    "data",
    [
        b"zoe@velo-cite.org\n\x81\x8d\x8f\x90\x9d@x.fr\n",  # no character of CP1252, C1 controls in Latin-1
        b"zoe@velo-cite.org\n\xe9\x01\x02\x03\x04\x05\n",  # binary: control characters whatever the charset
        # UTF-8 lines and Latin-1 ones (two exports joined, one edited): iconv -f LATIN1 made Zo\xc3\xa9 ZoÃ©
        b"zoe@velo-cite.org Zo\xc3\xa9\njean@free.fr Andr\xe9\n",
        b"zoe@velo-cite.org Zo\xc3\xa9\njean@free.fr Andr\xe9 \x80\n",
    ],
    ids=["c1-controls", "binary", "utf8-and-latin1", "utf8-and-cp1252"],
)
def test_an_export_whose_bytes_are_no_latin1_text_is_offered_no_conversion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    """The iconv line is offered only where the bytes read as text: otherwise it would write control characters.
    Nor where some lines are UTF-8 already: converted whole, their letters would be written twice over (é as Ã©)."""
    export = tmp_path / "export.txt"
    export.write_bytes(data)
    code, _, err = _audit(capsys, str(export))
    assert code == 1 and "not UTF-8" in err and "iconv" not in err, err


def test_export_many_lines_not_utf8_are_counted_not_all_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.txt"
    export.write_bytes(b"a@\xe9.fr\n" * 8)
    code, _, err = _audit(capsys, str(export))
    assert code == 1
    assert f"{export}:5 holds bytes" in err and f"{export}:6 holds" not in err
    assert f"{export}:6 and 3 more line(s) not UTF-8 from this line on, not shown" in err


@pytest.mark.parametrize(
    ("line", "what"),
    [(b"us\xe9r@laposte.net\n", "not UTF-8"), ("user@laposte.net\n".encode("utf-16-le"), "with NUL bytes")],
    ids=["latin-1", "utf-16-without-bom"],
)
def test_export_many_lines_unread_count_each_and_come_after_those_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: bytes, what: str
) -> None:
    # 1,000 lines that cannot be read are 1,000 errors, not the 5 shown and one for the line counting the others,
    # and that line comes after the lines it follows on from
    export = tmp_path / "export.txt"
    export.write_bytes(line * 1000)
    code, _, err = _audit(capsys, str(export))
    assert code == 1
    told = [x for x in err.splitlines() if x.startswith(f"{export}:")]  # a file's iconv line offered apart, first
    assert [x.split(" ", 1)[0] for x in told] == [f"{export}:{n}" for n in range(1, 7)], err
    unread = 1000 if what == "not UTF-8" else 1001  # UTF-16's last NUL stands after the last line break
    assert told[-1] == f"{export}:6 and {unread - 5} more line(s) {what} from this line on, not shown", err
    assert f"invalid: {unread} errors" in err, err


@contextmanager
def unblocking_writer(fifo: Path) -> Iterator[None]:
    """Should the code under test open ``fifo`` (it must not), a writer comes and goes: it reads an empty
    file and the test fails rather than hangs."""
    done = threading.Event()

    def writer() -> None:
        while not done.wait(0.05):
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:  # no reader: the FIFO is not open
                continue

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def test_export_that_is_not_a_regular_file_is_never_opened(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "export.fifo"
    os.mkfifo(fifo)
    with unblocking_writer(fifo):
        err = _usage_error(capsys, str(fifo))
    assert f"argument FILE: '{fifo}' is a FIFO, not a regular file: give a subscriber export" in err


def test_directory_given_as_export_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _usage_error(capsys, str(DATA / "clean.txt"), str(tmp_path))
    assert f"argument FILE: '{tmp_path}' is a directory: give a subscriber export" in err


def test_export_larger_than_the_limit_is_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "export.txt"
    with export.open("wb") as f:
        f.truncate(lists_audit.MAX_EXPORT_BYTES + 1)  # sparse: nothing written
    err = _usage_error(capsys, str(export))
    assert f"'{export}' is {lists_audit.MAX_EXPORT_BYTES + 1} bytes long (at most 33554432): give a subscriber" in err


@pytest.mark.parametrize(
    "text",
    [
        "",  # nothing at all
        "\n\n",
        "Email;Nom;Prénom\n",  # its header alone
        "Email address,First name\r\n\r\n",
        "# export du 2026-03-01\n\n",  # comments alone
        "email\n",
    ],
)
def test_an_export_without_an_address_is_warned_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """An export holding no address (empty, its header row alone) is likelier a failed export than a list without
    subscribers: a warning names the file; the exit status stays 0, nothing being to fix in it. Was: 0 address(es)
    said alone, as of a clean list."""
    export = tmp_path / "export.txt"
    export.write_bytes(text.encode())
    clean = tmp_path / "clean.txt"
    clean.write_text("ann@gmail.com\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(clean), str(export))
    assert (code, lines) == (0, []), (lines, err)
    assert err.splitlines() == [
        f"warning: {export} holds no address (it is empty, or holds a header row or comments alone): a failed export "
        "is likelier than a list without subscribers: export it again",
        "1 address(es) in 2 file(s), 0 to fix",
    ], err


def test_a_secret_in_an_export_without_an_address_is_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A comment holding a password in an export that holds no address is flagged, as in any export (was: the file
    was not read for secrets, having no address)."""
    export = tmp_path / "export.txt"
    export.write_text("# Liste du bureau, mdp : Azerty123\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, (lines, err)
    assert lines == [f"{export}:1 the line (not shown: it may hold a secret): {lists_audit.COMMENT_TO_CLEAR}"]
    assert err.startswith(f"warning: {export} holds no address"), err
    assert "zerty" not in err + "\n".join(lines)


# --- the admins' --domains file: read as a member file is --------------------------------------------


def test_domains_file_not_utf8_names_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = tmp_path / "local.yaml"
    extra.write_bytes(b"orange.fr: {status: closed}\n\xff: x\n")
    code, lines, err = _audit(capsys, "--domains", str(extra), str(DATA / "clean.txt"))
    assert code == 1 and lines == []
    assert f"{extra}:2 " in err and "bytes that are not UTF-8 (\\xff, column 1): save the file as UTF-8" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("text", ["", "\n\n", "# local domains, none yet\n", "---\n", "{}\n", "~\n"])
def test_an_empty_domains_file_is_warned_of_as_an_empty_export_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """An empty --domains file (or one of comments alone: a file just started) was refused, 'is not a mapping of
    domain to {status, suggest, note}', and no export audited, where an empty export and an empty disk usage file
    are warnings naming them: it is warned of, naming it, and the exports are audited with the shipped domains."""
    extra = tmp_path / "local.yaml"
    extra.write_text(text, encoding="utf-8")
    export = tmp_path / "export.txt"
    export.write_text("jean@gmial.com\n", encoding="utf-8")
    code, lines, err = _audit(capsys, "--domains", str(extra), str(export))
    assert code == 1, err
    assert [line.split(": ", 1)[0] for line in lines] == [f"{export}:1 jean@gmial.com"], lines
    assert f"warning: {extra} holds no domain (it is empty, or holds comments alone)" in err, err
    assert "invalid" not in err, err


def test_a_domains_file_in_latin1_is_offered_the_iconv_line_as_an_export_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A --domains file saved in Latin-1 (a note: "ferm\xe9") was told its byte alone, where an export so saved is
    offered the line of iconv that converts it: offered alike, and the file glibc's iconv writes is read."""
    import shlex
    import subprocess

    extra = tmp_path / "local.yaml"
    extra.write_bytes(b"asso-fermee.fr: {status: closed, note: ferm\xe9e en 2024}\n")
    code, _, err = _audit(capsys, "--domains", str(extra), str(DATA / "clean.txt"))
    assert code == 1
    line = f"iconv -f LATIN1 -t UTF-8 {shlex.quote(str(extra))} > {shlex.quote(str(extra) + '.utf8')}"
    assert f"{extra} reads as Latin-1 text" in err and line in err, err
    subprocess.run(["sh", "-c", line], check=True)
    code, _, err = _audit(capsys, "--domains", f"{extra}.utf8", str(DATA / "clean.txt"))
    assert code == 0, err


def test_domains_file_aliases_are_refused_never_expanded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Nested aliases (the "billion laughs"): each level multiplies by nine. Six levels here (531,441
    values once expanded); the same file with nine levels would take gigabytes. Nothing is expanded."""
    lines = ["a0: &a0 [" + ", ".join(["laugh"] * 9) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 6)]
    extra = tmp_path / "local.yaml"
    extra.write_text("\n".join([*lines, "gmail.fr: {status: never, note: *a5}", ""]), encoding="utf-8")
    code, out, err = _audit(capsys, "--domains", str(extra), str(DATA / "clean.txt"))
    assert code == 1 and out == []
    assert f"{extra}:2 a1[0]: uses an alias (*name): write the value out instead (aliases are not allowed)" in err
    assert "laugh" not in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "orange.fr: {status: closed}\nfree.fr: {status: typo}\norange.fr: {status: typo}\n",
            ":3 orange.fr: duplicate key (first given on line 1)",
        ),
        (
            "base: &b {status: closed}\norange.fr:\n  <<: *b\n",
            ":3 orange.fr: uses a merge key (<<): write the keys out instead (merges are not allowed)",
        ),
        (  # bytes in base64, which may decode to a secret: never shown
            "orange.fr: {status: !!binary Y2xvc2Vk}\n",
            ":1 orange.fr.status: the value (not shown: it may be a secret), 8 characters of base64, has the tag "
            '"!!binary"',
        ),
        ("orange.fr:\n  status: closed\n  note: 12\n", ":3 orange.fr.note: 12 is not text (quote it)"),
        (
            "orange.fr:\n  status: typo\n  suggest: orange fr\n",
            ':3 orange.fr.suggest: "orange fr" is not a domain name',
        ),
        (
            "orange.fr: {status: closed}\nOrange.FR: {status: typo, suggest: orange.com}\n",
            ':2 Orange.FR: is the domain "orange.fr" of line 1 again (domains are compared in lowercase',
        ),
        (
            "café.fr: {status: closed}\nXN--CAF-DMA.FR: {status: typo, suggest: cafe.fr}\n",
            ':2 XN--CAF-DMA.FR: is the domain "café.fr" of line 1 again (domains are compared in lowercase, punycode',
        ),
        (
            "café.fr:\n  status: typo\n  suggest: xn--caf-dma.fr\n",
            ':3 café.fr.suggest: "xn--caf-dma.fr" is the domain itself',
        ),
        (
            "orange.fr:\n  status: typo\n  suggest: Orange.fr\n",
            ':3 orange.fr.suggest: "Orange.fr" is the domain itself',
        ),
        ("orange.fr:\n  status: closed\n  notes: x\n", ":3 orange.fr.notes: is not a key of a domain"),
        ("orange fr: {status: closed}\n", ":1 orange fr: is not a domain name (such as gmail.fr)"),
        ("orange.fr: closed\n", ':1 orange.fr: "closed" is not a mapping {status, suggest, note}'),
        ("- orange.fr\n", ":1 is not a mapping of domain to {status, suggest, note}"),
        # the line where the brace opens, never closed (was: the end of the file, line 2)
        ("orange.fr: {status: closed\n", ":1 invalid YAML: a '[' or '{' opened on this line is never closed"),
    ],
    ids=[
        "duplicate",
        "merge",
        "tag",
        "note",
        "suggest",
        "duplicate-case",
        "duplicate-punycode",
        "suggest-itself-punycode",
        "suggest-itself",
        "unknown-key",
        "domain",
        "not-mapping",
        "list",
        "syntax",
    ],
)
def test_domains_file_errors_name_line_field_and_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    extra = tmp_path / "local.yaml"
    extra.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, "--domains", str(extra), str(DATA / "clean.txt"))
    assert code == 1 and lines == []
    assert f"{extra}{expected}" in err, err


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ('"*.orange.fr": {status: closed, note: gone}', "*.orange.fr: is a wildcard, which is not taken"),
        ('"https://orange.fr/": {status: closed, note: gone}', "https://orange.fr/: is a URL: give the name alone"),
        ('"orange.fr:25": {status: closed, note: gone}', "orange.fr:25: holds a port: give the name alone"),
        ('"orange.fr/mail": {status: closed, note: gone}', "orange.fr/mail: holds a path: give the name alone"),
        ('"orange!.fr": {status: closed, note: gone}', "orange!.fr: is not a domain name"),
        ('gmail.fr: {status: typo, suggest: "*.gmail.com"}', 'gmail.fr.suggest: "*.gmail.com" is a wildcard'),
        ('gmail.fr: {status: typo, suggest: "gmail.com:587"}', 'gmail.fr.suggest: "gmail.com:587" holds a port'),
    ],
)
def test_a_domains_file_entry_no_address_can_be_at_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: str, said: str
) -> None:
    """An entry written as a wildcard, a URL, with a port or a path (or a suggestion so written) was taken, and
    matched no address: x@mail.orange.fr was not flagged by `*.orange.fr`, whose entry was read silently. Each is
    refused at its line, with the name to give alone."""
    extra = tmp_path / "local.yaml"
    extra.write_text(f"# local\n{entry}\n", encoding="utf-8")
    export = tmp_path / "list.txt"
    export.write_text("x@mail.orange.fr\n", encoding="utf-8")
    code, lines, err = _audit(capsys, "--domains", str(extra), str(export))
    assert code == 1 and lines == [], (lines, err)
    assert f"{extra}:2 {said}" in err, err


@pytest.mark.parametrize("note", ['""', '"   "', '"\\t"'])
def test_a_domains_file_s_blank_note_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], note: str) -> None:
    """A note of blanks was shown as one beside each address (`domain closed:   ; suggested: ...`), an empty one
    taken as none: each is refused, as a blank note of pic notify's record is, with what to write."""
    extra = tmp_path / "local.yaml"
    extra.write_text(f"gmail.fr: {{status: closed, note: {note}}}\n", encoding="utf-8")
    export = tmp_path / "list.txt"
    export.write_text("x@gmail.fr\n", encoding="utf-8")
    code, lines, err = _audit(capsys, "--domains", str(extra), str(export))
    assert code == 1 and lines == [], (lines, err)
    assert f"{extra}:1 gmail.fr.note: is blank: give the words for the list owner, or remove the key" in err, err


@pytest.mark.parametrize(
    "option", [("--resolver", "127.0.0.1"), ("--port", "5353"), ("--timeout", "2"), ("--port=53",)], ids=str
)
def test_an_option_of_mx_without_mx_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: tuple[str, ...]
) -> None:
    """`pic lists audit --resolver 9.9.9.9 export.txt` looked nothing up and said nothing of it: the domains'
    mail exchangers seemed checked. An option of --mx alone without --mx is a usage error, the option named."""
    export = tmp_path / "list.txt"
    export.write_text("x@example.org\n", encoding="utf-8")
    with pytest.raises(SystemExit) as usage:
        cli.main(["lists", "audit", *option, str(export)])
    assert usage.value.code == 2
    name = option[0].partition("=")[0]
    err = capsys.readouterr().err
    assert f"pic lists audit: error: argument {name}: is for the lookups of --mx alone: add --mx" in err, err


def test_domains_file_that_is_not_a_regular_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _usage_error(capsys, "--domains", str(tmp_path), str(DATA / "clean.txt"))
    assert f"argument --domains: '{tmp_path}' is a directory: give a file of domains" in err
    err = _usage_error(capsys, "--domains", str(tmp_path / "none.yaml"), str(DATA / "clean.txt"))
    assert f"argument --domains: '{tmp_path}/none.yaml' cannot be read (No such file or directory)" in err


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
    "mailo.com",
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
    domains = dict.fromkeys([*CORRECT, *providers.domains])  # each once: an address given twice is a duplicate
    entries = [lists_audit.Entry("f", i, f"paul@{d}") for i, d in enumerate(domains)]
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
    assert osa_distance("gmail", "gmial") == 1  # two neighbours swapped
    assert osa_distance("gmail", "gmal") == 1
    assert osa_distance("hotmail", "hotmial") == 1
    assert osa_distance("wanadoo", "wnadoo") == 1
    assert osa_distance("abc", "xyz") == 3
    assert osa_distance("", "ab") == 2


@settings(max_examples=2000, deadline=None)
@given(st.text("abcde", max_size=9), st.text("abcde", max_size=9), st.integers(0, 4))
def test_osa_distance_at_most_gives_the_full_distance_up_to_its_bound(a: str, b: str, at_most: int) -> None:
    """Stopping early once the table's rows are above the bound changes no distance up to it (few letters: many
    swaps and near misses)."""
    assert osa_distance(a, b, at_most) == min(osa_distance(a, b), at_most + 1)


def test_providers_misspellings_are_unchanged_by_the_bounded_distance() -> None:
    """The likely domain of mistyped and unknown domains, as the full distance found it."""
    providers = lists_audit.load_providers()
    cases = {
        "gmial.com": "gmail.com",
        "hotmial.fr": "hotmail.fr",
        "yaho.fr": "yahoo.fr",
        "fre.fr": "free.fr",
        "gmail.cm": "gmail.com",
        "orange.frr": "orange.fr",
        "laposte.nett": "laposte.net",
        "wanadoo.fr": None,
        "asso-velo.fr": None,
        "oranje.fr": "orange.fr",
    }
    for domain, meant in cases.items():
        found = providers.misspelling(domain)
        assert (found[1] if found else None) == meant, (domain, found)


@pytest.mark.parametrize(
    ("address", "why", "suggestion"),
    [
        (
            '"jean@example.org',
            'malformed address (it holds a quote character (") without its pair)',
            "jean@example.org",
        ),
        ('jean"dupont@example.org', 'malformed address (it holds a quote character (") without its pair)', None),
    ],
)
def test_a_stray_quote_is_named_not_a_missing_at_sign(address: str, why: str, suggestion: str | None) -> None:
    flag = lists_audit.audit_entry(lists_audit.Entry("f", 1, address), lists_audit.load_domains())
    assert flag is not None and flag.problem == why, flag
    assert flag.suggestion == suggestion, flag


def test_a_quoted_local_part_is_an_address_as_sympa_reads_it() -> None:
    """RFC 5322's quoted local part: Sympa's own check accepts it, so the audit does not call it malformed."""
    entry = lists_audit.Entry("f", 1, '"jean dupont"@example.org')
    assert lists_audit.audit_entry(entry, lists_audit.load_domains()) is None


def test_quoted_local_parts_with_spaces_are_read_from_every_export(tmp_path: Path) -> None:
    """Sympa's dump (``email ADDRESS``) and its web dump (``ADDRESS gecos``) keep a quoted local part whole."""
    dump, web = tmp_path / "member.dump", tmp_path / "web.txt"
    dump.write_text('email "a b"@hotmal.com\ngecos A B\n\nemail ok@example.org\n', encoding="utf-8")
    web.write_text('"jean dupont"@gmail.fr Jean Dupont\n"anne@example.org Anne\n', encoding="utf-8")
    entries = lists_audit.read_export(dump) + lists_audit.read_export(web)
    assert [e.address for e in entries] == [
        '"a b"@hotmal.com',
        "ok@example.org",
        '"jean dupont"@gmail.fr',
        '"anne@example.org',  # a quote without its pair: the first word, as before
    ]
    flags = lists_audit.audit(entries, lists_audit.load_domains(), lists_audit.load_providers())
    assert [f.suggestion for f in flags] == ['"a b"@hotmail.com', '"jean dupont"@gmail.com', "anne@example.org"], flags


def test_full_width_letters_are_flagged_with_the_address_they_stand_for() -> None:
    flag = lists_audit.audit_entry(lists_audit.Entry("f", 1, "x@ｅｘａｍｐｌｅ.org"), lists_audit.load_domains())
    assert flag is not None and "full-width" in flag.problem and flag.suggestion == "x@example.org", flag


@pytest.mark.parametrize(
    ("address", "stands_for", "said", "suggested"),
    [
        ("bob@ＧＭＡＩＬ.com", "bob@gmail.com (Unicode NFKC, the domain in lowercase))", "", "bob@gmail.com"),
        ("ｂｏｂ@ｇｍａｉｌ.com", "bob@gmail.com)", "", "bob@gmail.com"),
        (
            "ｂｏｂ@ｇｍｉａｌ.com",
            "bob@gmial.com)",
            "; once mended, misspelled domain: probably gmail.com",
            "bob@gmail.com",
        ),
    ],
)
def test_full_width_letters_are_said_as_the_address_suggested_before_its_other_faults(
    address: str, stands_for: str, said: str, suggested: str
) -> None:
    """The address full-width letters stand for is said as it is suggested, its domain in lowercase (said so when
    that changes it), and a fault of that address (a misspelt domain) is said before its fix is suggested; was:
    "stand for bob@GMAIL.com" with bob@gmail.com suggested, and bob@gmail.com suggested for bob@gmial.com unsaid."""
    flag = lists_audit.audit_entry(
        lists_audit.Entry("f", 1, address), lists_audit.load_domains(), lists_audit.load_providers()
    )
    assert flag is not None and flag.suggestion == suggested, flag
    assert flag.problem == f"malformed address (it holds full-width letters, which stand for {stands_for}{said}", flag


@pytest.mark.parametrize(
    ("address", "said", "suggested"),
    [
        ("jean@gmail.fr.", "domain never had mailboxes", "jean@gmail.com"),
        ("mailto:luc@gmial.com", "misspelled domain: probably gmail.com", "luc@gmail.com"),
        ("Luc <luc@hotmail.fe>", "unknown top-level domain .fe", "luc@hotmail.fr"),
    ],
)
def test_a_malformed_address_mended_says_what_else_its_suggestion_mends(
    address: str, said: str, suggested: str
) -> None:
    """A malformed address whose mended form is at fault too (a misspelt domain) says so before the suggestion that
    fixes both; was: the suggestion changed the domain unsaid."""
    flag = lists_audit.audit_entry(
        lists_audit.Entry("f", 1, address), lists_audit.load_domains(), lists_audit.load_providers()
    )
    assert flag is not None and flag.suggestion == suggested, flag
    assert f"; once mended, {said}" in flag.problem, flag


# --- Sympa's dump is told by its structure, not by one line; no row is skipped -----------------------------


@pytest.mark.parametrize(
    "header",
    ["email address,name", "email\tname", "email adresse;nom", "  email address,name", "email address"],
    ids=["space-comma", "tab", "space-semicolon", "leading-space", "one-column"],
)
def test_csv_whose_header_starts_with_email_and_a_blank_is_not_a_sympa_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str
) -> None:
    """A header ``email address,name`` looks like the line ``email ADDRESS`` of a dump: its rows are read."""
    delimiter = next((d for d in (",", ";", "\t") if d in header), ",")
    rows = [["jean@gmail.fr", "Jean"], ["marie@voila.fr", "Marie"]]
    body = "".join(f"{r[0]}{delimiter}{r[1]}\n" if delimiter in header else f"{r[0]}\n" for r in rows)
    export = tmp_path / "ea.csv"
    export.write_text(f"{header}\n{body}", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert "2 address(es) in 1 file(s), 2 to fix" in err, (lines, err)
    assert [line.split(" ", 1)[0] for line in lines] == [f"{export}:2", f"{export}:3"]
    assert "jean@gmail.fr: domain never had mailboxes" in lines[0] and "marie@voila.fr: domain closed" in lines[1]
    assert code == 1


def test_sympa_dump_as_sympa_writes_it_today(tmp_path: Path) -> None:
    """Sympa::List::dump_users writes each subscriber's fields in the order of their names (``date`` before
    ``email``), a blank line after each; a subscriber without a name has no ``gecos``."""
    dump = tmp_path / "member.dump"
    dump.write_text(
        "date 1389564000\nemail jean.dupont@gmail.fr\ngecos Jean Dupont\nreception mail\nsubscribed 1\n"
        "update_date 1389564000\nvisibility noconceal\n\n"
        "date 1293836400\nemail marie@voila.fr\nreception digest\nsubscribed 1\nupdate_date 1293836400\n\n",
        encoding="utf-8",
    )
    entries = lists_audit.read_export(dump)
    assert [(e.line, e.address) for e in entries] == [(2, "jean.dupont@gmail.fr"), (10, "marie@voila.fr")]


@pytest.mark.parametrize(
    "text",
    [
        "email jean@gmail.fr\nmarie@voila.fr Marie\n",  # a line that is not KEY VALUE
        "Email jean@gmail.fr\nemail marie@voila.fr\n",  # a key not in lower case
    ],
    ids=["not-key-value", "capital-key"],
)
def test_a_file_without_the_dump_structure_is_read_line_by_line(tmp_path: Path, text: str) -> None:
    """Not a dump: each line is an entry (flagged when it is no address), never dropped."""
    export = tmp_path / "export.txt"
    export.write_text(text, encoding="utf-8")
    entries = lists_audit.read_export(export)
    assert [e.line for e in entries] == [n for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def test_a_csv_row_without_an_address_is_flagged_not_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.csv"
    export.write_text("email,name\njean@orange.fr,Jean\n,Paul\nzoe@free.fr\n,\n\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1
    assert lines == [f"{export}:3 (no address): the row's cell in the column of addresses is empty or missing"]
    assert "3 address(es) in 1 file(s), 1 to fix" in err


def test_a_file_name_with_a_newline_is_shown_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One finding, one line: the newline (and a tab, an escape) of a name are shown as \\x0a, \\x09, \\x1b."""
    export = tmp_path / "list\nof\tbureau\x1b.txt"
    export.write_text("jean@gmail.fr\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1
    shown = f"{tmp_path}/list\\x0aof\\x09bureau\\x1b.txt"
    assert len(lines) == 1 and lines[0].startswith(f"{shown}:1 jean@gmail.fr: domain never had mailboxes"), lines
    err = _usage_error(capsys, str(tmp_path / "missing\nfile.txt"))
    assert f"argument FILE: '{tmp_path}/missing\\x0afile.txt' cannot be read (No such file or directory)" in err
    assert "missing\n" not in err, err


def test_email_lines_alone_as_grep_gives_them_are_a_dump(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``grep ^email member.dump``: no blank line, one ``email`` line per subscriber, each read as an address."""
    export = tmp_path / "emails.txt"
    export.write_text("email jean@example.org\nemail marie@gmial.com\n", encoding="utf-8")
    assert [(e.line, e.address, e.problem) for e in lists_audit.read_export(export)] == [
        (1, "jean@example.org", None),
        (2, "marie@gmial.com", None),
    ]
    code, lines, err = _audit(capsys, str(export))
    assert len(lines) == 1 and lines[0].startswith(f"{export}:2 marie@gmial.com: misspelled domain"), lines
    assert lines[0].endswith("suggested: marie@gmail.com"), lines
    assert "2 address(es) in 1 file(s), 1 to fix" in err and code == 1, err


def test_a_dump_with_an_email_line_without_address_is_still_a_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bare ``email`` line is one line to fix: the other subscribers, their names and dates are read as a dump."""
    export = tmp_path / "member.dump"
    export.write_text(
        "date 1\nemail jean@example.org\ngecos Jean\n\ndate 1\nemail\ngecos\nreception mail\n\n"
        "email marie@example.org\nupdate_date 2\n",
        encoding="utf-8",
    )
    code, lines, err = _audit(capsys, str(export))
    assert lines == [f"{export}:6 (no address): an email line without an address"], lines
    assert "3 address(es) in 1 file(s), 1 to fix" in err and code == 1, err


def test_a_dump_paragraph_with_two_email_lines_or_none_is_a_line_to_fix(tmp_path: Path) -> None:
    """Both addresses of a paragraph with two are read (the second flagged, its address checked too); a
    paragraph without one is flagged at its first line."""
    export = tmp_path / "member.dump"
    export.write_text(
        "email jean@example.org\ngecos Jean\nemail marie@gmial.com\n\ngecos Paul\ndate 3\n\nemail zoe@example.org\n",
        encoding="utf-8",
    )
    entries = lists_audit.read_export(export)
    assert [(e.line, e.address) for e in entries] == [
        (1, "jean@example.org"),
        (3, "marie@gmial.com"),
        (5, ""),
        (8, "zoe@example.org"),
    ]
    flags = [str(f) for f in lists_audit.audit(entries, lists_audit.load_domains(), lists_audit.load_providers())]
    assert len(flags) == 2, flags
    assert flags[0].startswith(
        f"{export}:3 marie@gmial.com: a second email line in the subscriber of line 1: one subscriber per "
        "paragraph; misspelled domain"
    ) and flags[0].endswith("suggested: marie@gmail.com"), flags
    assert flags[1] == f"{export}:5 (no address): a subscriber (lines 5-6) without an email line"


@pytest.mark.parametrize(
    ("row", "shown", "suggestion"),
    [
        ("I,bad@gmail,com,Lyon", "bad@gmail", "bad@gmail.com"),  # the address split at its comma
        ("Dupont, Jean,jean@orange.fr,Lyon", "Jean", "jean@orange.fr"),  # a name split: the address moved right
        ("Dupont, Jean,jean@orange,fr,Lyon", "Jean", "jean@orange.fr"),  # both
        ("a,b@x,c@y,Lyon", "b@x", None),  # two addresses could be meant: none is suggested
    ],
)
def test_a_csv_row_split_by_a_delimiter_without_quotes_is_named_with_the_address_meant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, shown: str, suggestion: str | None
) -> None:
    """A row with more cells than the header and no address in its column says why (was: the piece in the
    column flagged as a malformed address, or a name taken for one)."""
    export = tmp_path / "export.csv"
    export.write_text(f"name,email,city\n{row}\nZoe,zoe@free.fr,Paris,75\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1
    assert len(lines) == 1, lines  # the row with one cell more and its address in place is not to fix
    assert lines[0].startswith(
        f"{export}:2 {shown}: the row has {row.count(',') + 1} cells where the header has 3: a cell holding ',' "
        "without quotes was split; malformed address"
    ), lines
    assert lines[0].endswith(f"; suggested: {suggestion}") if suggestion else "suggested" not in lines[0], lines
    assert "2 address(es) in 1 file(s), 1 to fix" in err


@pytest.mark.parametrize("domain", ["co.uk", "com.au", "ac.uk", "asso.fr", "co.jp"])
def test_an_address_at_a_public_suffix_is_flagged(domain: str) -> None:
    """``x@co.uk`` reads as an address but no one receives mail at a suffix where anyone registers names: a part
    of its domain is missing."""
    domains, providers = lists_audit.load_domains(), lists_audit.load_providers()
    flag = lists_audit.audit_entry(lists_audit.Entry("f", 1, f"x@{domain}"), domains, providers)
    assert flag is not None and flag.problem.startswith("the domain is a public suffix"), flag
    assert flag.suggestion is None
    assert lists_audit.audit_entry(lists_audit.Entry("f", 1, f"x@mairie.{domain}"), domains, providers) is None


@pytest.mark.parametrize("domain", ["nic.in", "gov.in", "gouv.fr", "github.io"])
def test_an_address_at_a_public_suffix_that_may_hold_mailboxes_is_not_flagged(domain: str) -> None:
    """India's government mail is at nic.in and gov.in, both public suffixes: only the suffixes where anyone
    registers names are flagged."""
    flag = lists_audit.audit_entry(
        lists_audit.Entry("f", 1, f"x@{domain}"), lists_audit.load_domains(), lists_audit.load_providers()
    )
    assert flag is None, flag


def test_an_address_whose_domain_end_was_split_off_is_named_with_the_address_meant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``luc@orange.co,uk`` reads as ``luc@orange.co`` and a cell ``uk``: a valid address, so it was not flagged;
    a country or a city column after a good address is no such end (``FR``, ``Paris``)."""
    export = tmp_path / "export.csv"
    export.write_text(
        "name,email\nLuc,luc@orange.co,uk\nZoe,zoe@free.fr,FR\nAnne,anne@velo.org,Paris\n", encoding="utf-8"
    )
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1
    assert lines == [
        f"{export}:2 luc@orange.co: the row has 3 cells where the header has 2: a cell holding ',' without quotes "
        "was split; suggested: luc@orange.co.uk"
    ], lines


def test_the_delimiter_is_the_one_under_which_the_column_holds_addresses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``Email;Nom, Prénom`` splits on ',' as well as on ';': the rows tell (every row was flagged malformed)."""
    export = tmp_path / "export.csv"
    export.write_text("Email;Nom, Prénom\njean@example.org;Dupont, Jean\nzoe@free.fr;Zoe\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert (code, lines) == (0, []), lines
    assert "2 address(es) in 1 file(s), 0 to fix" in err


def test_a_csv_row_over_several_lines_is_named_by_its_first_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A quoted cell with line breaks (a postal address) is one row: it is named by the line it starts on, as
    an editor shows it (was: by its last line)."""
    export = tmp_path / "export.csv"
    export.write_text(
        'email,address\nok@example.org,"1 rue X\n69000 Lyon"\nb@gmial.com,"2 rue Y\n75001\nParis"\n', encoding="utf-8"
    )
    code, lines, err = _audit(capsys, str(export))
    assert code == 1
    assert lines == [f"{export}:4 b@gmial.com: misspelled domain: probably gmail.com; suggested: b@gmail.com"]
    assert "2 address(es) in 1 file(s), 1 to fix" in err


@pytest.mark.parametrize(
    ("text", "where"),
    [
        # a name cell's quote without its pair: the csv module reads every line after it into that cell
        ('email,name\nok@example.org,"Dupont, Jean\nb@gmial.com,B\nc@gmial.com,C\n', ("ok@example.org", 4, 2)),
        # in the column of addresses: both addresses were read as one, at the last line
        ('email\n"ok@example.org\nb@gmial.com\n', ("ok@example.org", 3, 1)),
        # to the end of the file, with no address after it: the line after it is a line to fix all the same
        ('email,name\nok@example.org,"Dupont\nJean\n', ("ok@example.org", 3, 1)),
    ],
)
def test_a_quote_without_its_pair_in_a_csv_swallows_no_subscriber(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, where: tuple[str, int, int]
) -> None:
    """``where``: the address of the row with the quote, the row's last line as read whole, the lines after it."""
    first, last, rest = where
    export = tmp_path / "export.csv"
    export.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1
    assert lines[0] == (
        f'{export}:2 {first}: a quote (") of the row is not closed on its line: the row would run on to line {last}, '
        "taking the lines after it for a part of it; close the quote or remove it"
    ), lines
    assert len(lines) == 1 + rest, lines
    assert [line.split(" ", 1)[0] for line in lines[1:]] == [f"{export}:{n}" for n in range(3, 3 + rest)], lines
    assert f"{1 + rest} address(es) in 1 file(s), {1 + rest} to fix" in err


def test_the_address_of_a_row_whose_quote_runs_on_is_suggested_as_it_was_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Read with its quote, the cell runs on to the end of the line (``jean@gmail.com,Jean``): the repairs of
    the usual slips would suggest another address (``jean@gmail.com.jean``), where the one written is meant."""
    export = tmp_path / "export.csv"
    export.write_text('email,name\n"jean@gmail.com,Jean\nok@example.org,Ok\n', encoding="utf-8")
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(f"{export}:2 jean@gmail.com,Jean: a quote"), lines
    assert lines[0].endswith("; suggested: jean@gmail.com"), lines


def test_a_csv_row_of_thousands_of_cells_is_checked_in_a_time_of_its_length(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The runs of cells that could make the address meant are a few cells long: a row of 4,000 cells (8 KB)
    took a minute and a half when every run was joined and checked, and a longer one hours."""
    export = tmp_path / "export.csv"
    export.write_text("name,email,city\nx," + ",".join(["a"] * 2000 + ["b@gmail", "com", "!"] + ["a"] * 2000) + "\n")
    checked = []
    valid = lists_audit._valid

    def counted(address: str) -> str | None:
        checked.append(address)
        return valid(address)

    monkeypatch.setattr(lists_audit, "_valid", counted)
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1
    assert lines == [
        f"{export}:2 a: the row has 4004 cells where the header has 3: a cell holding ',' without quotes was split; "
        "malformed address (An email address must have an @-sign.); suggested: b@gmail.com"
    ], lines
    assert len(checked) < 20, len(checked)


def test_a_line_with_a_long_run_of_spaces_is_read_in_a_time_linear_in_its_length(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sympa's dump line was matched by a lazy value before trailing spaces: a line of 200,000 spaces (200 KB)
    took a minute and a half, a file of 32 MiB could take days."""
    export = tmp_path / "member.dump"
    export.write_text("email anne@gmial.com" + " " * 200_000 + "Anne\nemail zoe@example.org\n", encoding="utf-8")
    start = time.monotonic()
    code, lines, err = _audit(capsys, str(export))
    assert time.monotonic() - start < 10
    assert code == 1 and len(lines) == 1 and lines[0].startswith(f"{export}:1 anne@gmial.com   "), lines
    assert "2 address(es) in 1 file(s), 1 to fix" in err


def test_mx_with_a_resolver_that_never_answers_stops_after_the_first_domains(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "subscribers.txt"
    export.write_text("".join(f"x@domain{i}.example.org\n" for i in range(20)), encoding="utf-8")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:  # bound, never read: every query times out
        silent.bind(("127.0.0.1", 0))
        port = silent.getsockname()[1]
        start = time.monotonic()
        code, lines, err = _audit(
            capsys, "--mx", "--resolver", "127.0.0.1", "--port", str(port), "--timeout", "0.3", str(export)
        )
        elapsed = time.monotonic() - start
    assert code == 1 and lines == []
    said = "--mx no DNS answer at all (domain0.example.org, domain1.example.org, domain2.example.org), 0.3 seconds"
    assert said in err, err
    assert elapsed < 3, f"{elapsed:.1f} s: one timeout per domain of the export (20 x 0.3 s)"


def test_mx_with_a_resolver_address_where_nothing_listens_stops_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each query refused at once (ICMP port unreachable: no resolver there) was waited out as a timeout."""
    export = tmp_path / "subscribers.txt"
    export.write_text("".join(f"x@domain{i}.example.org\n" for i in range(20)), encoding="utf-8")
    port = closed_udp_port()
    start = time.monotonic()
    code, lines, err = _audit(capsys, "--mx", "--resolver", "127.0.0.1", "--port", str(port), str(export))
    elapsed = time.monotonic() - start
    assert code == 1 and lines == []
    assert "--mx no DNS answer at all (domain0.example.org, domain1.example.org, domain2.example.org)" in err, err
    assert "every query was refused, no DNS server listens at that address and port" in err, err
    assert "invalid" not in err, err  # no input is: the resolver is not there (was: "invalid: 1 error")
    assert elapsed < 2.5, f"{elapsed:.1f} s: a refused query waited out the timeout (5 s each)"


@pytest.mark.parametrize(("reply", "said", "meaning"), RESOLVER_ERRORS)
def test_mx_with_a_resolver_answering_every_query_with_an_error_says_what_it_answered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], reply: object, said: str, meaning: str
) -> None:
    """A resolver answering REFUSED, SERVFAIL or bytes that are not DNS did answer: --mx says what, as pic status
    and pic dns check do; it said "no DNS answer at all", the network's fault."""
    export = tmp_path / "subscribers.txt"
    export.write_text("".join(f"x@domain{i}.example.org\n" for i in range(20)), encoding="utf-8")
    with answering_resolver(reply) as port:  # type: ignore[arg-type]
        code, lines, err = _audit(
            capsys, "--mx", "--resolver", "127.0.0.1", "--port", str(port), "--timeout", "5", str(export)
        )
    assert code == 1 and lines == [], (lines, err)
    assert said in err and meaning in err, err
    assert "no DNS answer" not in err, err


# dnspython's own words, and what a failure it let through printed: never in what pic lists audit --mx says
_DNSPYTHON_WORDS = ("Do53", "All nameservers failed", "The DNS operation timed out", "Errno", "Traceback", "Error(")

# How a resolver fails to answer for one domain (the others answered), and the words --mx says it in, with "{query}"
# the domain and the record type asked
_DOMAIN_FAILURES = [
    (rcode_reply("REFUSED"), ["the resolver answered {query} REFUSED", "does not resolve for this client"]),
    (rcode_reply("SERVFAIL"), ["the resolver answered {query} SERVFAIL", "cannot reach the domain's name servers"]),
    (rcode_reply("YXDOMAIN"), ["the resolver answered {query} YXDOMAIN", "DNAME record"]),
    (lambda query: b"\x00", ["the resolver answered {query} with bytes that are not a DNS answer", "--port"]),
    (lambda query: None, ["no answer for {query} within 0.3 seconds", "--timeout"]),
    (truncated_reply, ["{query} (a truncated answer over UDP", "refused over TCP, nothing listening there"]),
]
_SHAPES = ["refused", "servfail", "yxdomain", "not-dns", "timeout", "truncated"]

# An export whose second domain (lines 2 and 4) fails, the others answered: no records (no mail exchanger)
_ONE_DOMAIN_FAILING = (
    "anne@one.example.org\nbob@broken.example.net\ncarl@two.example.org\ndora@broken.example.net\n"
    "eve@three.example.org\n"
)


def _one_domain_failing_said(
    capsys: pytest.CaptureFixture[str], export: Path, port: int, said: list[str], query: str
) -> None:
    """The audit --mx of ``export`` (:data:`_ONE_DOMAIN_FAILING`) through the resolver at ``port``: each address at the
    failing domain said not checked, in ``said``'s words, the other addresses audited."""
    code, lines, err = _audit(
        capsys, "--mx", "--resolver", "127.0.0.1", "--port", str(port), "--timeout", "0.3", str(export)
    )
    assert code == 1, (lines, err)
    assert [line.split(" ", 1)[0] for line in lines] == [f"{export}:{n}" for n in (1, 2, 3, 4, 5)], lines
    for n in (1, 3, 5):
        assert "has no mail exchanger (no MX, no address record)" in lines[n - 1], lines
    for line in (lines[1], lines[3]):
        assert "could not be checked (--mx): " in line, line
        for words in said:
            assert words.format(query=query) in line, line
    for words in _DNSPYTHON_WORDS:
        assert words not in "\n".join(lines) + err, (lines, err)
    assert "5 address(es) in 1 file(s), 3 to fix, 2 not checked (--mx)" in err, err


@pytest.mark.parametrize(("fail", "said"), _DOMAIN_FAILURES, ids=_SHAPES)
def test_mx_a_domain_left_unanswered_is_said_on_its_rows_and_the_others_audited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fail: object, said: list[str]
) -> None:
    """A domain whose lookup failed while the resolver answered the others was left out in silence (REFUSED,
    SERVFAIL, bytes that are not DNS, a timeout, a truncated answer), or ended the run with a traceback (YXDOMAIN):
    each of its addresses is said not checked, why in the project's words, and the other rows are audited."""
    export = tmp_path / "subscribers.txt"
    export.write_text(_ONE_DOMAIN_FAILING, encoding="utf-8")
    with answering_resolver(failing_under("broken.example.net", fail)) as port:  # type: ignore[arg-type]
        _one_domain_failing_said(capsys, export, port, said, "broken.example.net MX")


def test_mx_an_answer_cut_over_tcp_is_said_on_its_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A truncated answer over UDP, then a TCP connection closed before the answer (EOFError): said as such."""
    export = tmp_path / "subscribers.txt"
    export.write_text(_ONE_DOMAIN_FAILING, encoding="utf-8")
    said = [
        "no usable answer for {query} (a truncated answer over UDP, then the connection closed before an answer "
        "over TCP)"
    ]
    with truncating_then_closing("broken.example.net") as port:
        _one_domain_failing_said(capsys, export, port, said, "broken.example.net MX")


def test_mx_a_domain_failing_on_its_address_records_is_said_for_that_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No MX records, then the A query answered SERVFAIL: said of the A query."""
    import dns.message
    import dns.name
    import dns.rcode

    def reply(data: bytes) -> bytes:
        query = dns.message.from_wire(data)
        response = dns.message.make_response(query)
        question = query.question[0]
        if question.name.is_subdomain(dns.name.from_text("broken.example.net")) and question.rdtype != 15:  # not MX
            response.set_rcode(dns.rcode.SERVFAIL)
        return response.to_wire()

    export = tmp_path / "subscribers.txt"
    export.write_text(_ONE_DOMAIN_FAILING, encoding="utf-8")
    with answering_resolver(reply) as port:
        _one_domain_failing_said(
            capsys, export, port, ["the resolver answered {query} SERVFAIL"], "broken.example.net A"
        )


def test_mx_a_resolver_cutting_every_answer_over_tcp_is_said_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every query answered truncated over UDP and its TCP connection closed: the resolver is said once, no row."""
    export = tmp_path / "subscribers.txt"
    export.write_text("".join(f"x@domain{i}.example.org\n" for i in range(20)), encoding="utf-8")
    with truncating_then_closing("example.org") as port:
        code, lines, err = _audit(
            capsys, "--mx", "--resolver", "127.0.0.1", "--port", str(port), "--timeout", "0.5", str(export)
        )
    assert code == 1 and lines == [], (lines, err)
    assert (
        err.count(
            "--mx gave no usable answer to any query (domain0.example.org, domain1.example.org, "
            "domain2.example.org): a truncated answer over UDP, then the connection closed before an answer "
            "over TCP"
        )
        == 1
    ), err
    for words in _DNSPYTHON_WORDS:
        assert words not in err, err


_LONG_DOMAIN = ".".join(["a" * 62] * 4) + ".org"  # 256 characters: over the 255 octets of a name
_BAD_NAMES = [
    ("a" * 64 + ".org", "a label of 64 octets, over the 63 of RFC 1035 section 2.3.4"),
    ("a..org", "an empty label"),
    (_LONG_DOMAIN, "over the 255 octets of RFC 1035 section 2.3.4"),
    ("\U0001f600.org", "a label that is no internationalized domain name (RFC 5891)"),
]


def test_mx_a_domain_dns_cannot_look_up_is_said_and_the_others_checked() -> None:
    """A domain dnspython refuses to ask (a label over 63 octets, an empty one, a name over 255 octets, a label IDNA
    refuses) ended mx_flags with its exception: each is its address's flag, nothing asked, the resolver not taken to
    be down for them (they come first), and the other addresses are checked."""
    lines = [f"x@{name}" for name, _ in _BAD_NAMES] + ["anne@one.example.org"]
    entries = [lists_audit.Entry("subscribers.txt", n, line, lines=lines) for n, line in enumerate(lines, 1)]
    with answering_resolver(rcode_reply("NOERROR")) as port:
        flags = lists_audit.mx_flags(entries, [], "127.0.0.1", 0.3, port=port)
    assert [flag.entry.line for flag in flags] == [1, 2, 3, 4, 5], [str(flag) for flag in flags]
    for flag, (name, said) in zip(flags, _BAD_NAMES, strict=False):
        assert f"{name} is not a name DNS can look up: {said}" in flag.problem, flag.problem
        assert flag.unchecked, flag
    assert flags[4].problem == "one.example.org has no mail exchanger (no MX, no address record)", flags[4]
    assert not flags[4].unchecked


@pytest.mark.parametrize("name", [name for name, _ in _BAD_NAMES] + ["xn--zz.org"])
def test_mx_an_export_of_a_domain_dns_cannot_look_up_is_audited_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """Such an address is flagged malformed, and the export's other addresses are looked up all the same."""
    export = tmp_path / "subscribers.txt"
    export.write_text(f"x@{name}\nanne@one.example.org\n", encoding="utf-8")
    with answering_resolver(rcode_reply("NOERROR")) as port:
        code, lines, err = _audit(capsys, "--mx", "--resolver", "127.0.0.1", "--port", str(port), str(export))
    assert code == 1, (lines, err)
    assert len(lines) == 2 and "malformed address" in lines[0], lines
    assert (
        lines[1] == f"{export}:2 anne@one.example.org: one.example.org has no mail exchanger (no MX, no address record)"
    )
    for words in _DNSPYTHON_WORDS:
        assert words not in err, err


@pytest.mark.parametrize("content", [None, "search example.org\n", "nameserver\n"], ids=["missing", "none", "empty"])
def test_mx_a_machine_naming_no_resolver_is_said(tmp_path: Path, content: str | None) -> None:
    """Without --resolver, a resolv.conf that cannot be read or names no resolver ended the run with dnspython's
    NoResolverConfiguration and its traceback: said, naming the file, and what to give instead."""
    conf = tmp_path / "resolv.conf"
    if content is not None:
        conf.write_text(content, encoding="utf-8")
    entries = [lists_audit.Entry("subscribers.txt", 1, "anne@one.example.org", lines=["anne@one.example.org"])]
    with pytest.raises(Unreachable) as raised:
        lists_audit.mx_flags(entries, [], None, 0.3, resolv_conf=conf)
    [problem] = raised.value.problems
    assert str(problem) == (
        f"--mx no resolver to ask: {conf} cannot be read or names none (no nameserver line of an IP address): give "
        "one with --resolver"
    ), str(problem)


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"nameserver 127.0.0.1\n# r\xe9solveur du FAI\n", "it is not UTF-8"),
        (b"nameserver 127.0.0.1\nsearch a..example.org\n", "a search or domain line names no DNS name"),
        (b"nameserver dns.example.net\n", "a nameserver line names no IP address"),
    ],
    ids=["latin-1", "search", "host-name"],
)
def test_mx_a_resolv_conf_dnspython_cannot_read_is_said(tmp_path: Path, content: bytes, what: str) -> None:
    """Without --resolver, a resolv.conf dnspython cannot read ended the run with its traceback (UnicodeDecodeError,
    EmptyLabel, ValueError): said, naming the file, what is wrong in it, and what to give instead."""
    conf = tmp_path / "resolv.conf"
    conf.write_bytes(content)
    entries = [lists_audit.Entry("subscribers.txt", 1, "anne@one.example.org", lines=["anne@one.example.org"])]
    with pytest.raises(Unreachable) as raised:
        lists_audit.mx_flags(entries, [], None, 0.3, resolv_conf=conf)
    [problem] = raised.value.problems
    assert str(problem) == (f"--mx no resolver to ask: {conf} cannot be read ({what}): give one with --resolver"), str(
        problem
    )


def test_rows_with_unclosed_quotes_are_read_in_a_time_linear_in_their_number(tmp_path: Path) -> None:
    """Each row whose quote runs on starts the reader again at its next line: never with a copy of the rest of
    the file (8 times the rows took 60 times as long: minutes for a spreadsheet's export of 100,000 such rows)."""

    def best_time(rows: int) -> float:
        export = tmp_path / f"{rows}.csv"
        export.write_text("email,name\n" + "".join(f'"x{i}@example.org,Name\n' for i in range(rows)), encoding="utf-8")
        times = []
        for _ in range(3):
            start = time.process_time()
            entries = lists_audit.read_export(export)
            times.append(time.process_time() - start)
        assert len(entries) == rows and all(
            e.problem and "is not closed on its line" in e.problem for e in entries[:-1]
        )
        return min(times)

    small, large = best_time(5000), best_time(40000)
    assert large < 25 * small, f"5,000 rows: {small:.3f} s, 40,000 rows: {large:.3f} s (linear: about 8 times)"


def test_an_export_and_a_domains_file_given_as_links_are_named_as_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link in the working directory to a file beside it is named by the link, as typed (was: the target's
    name, which the admin never wrote)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "target-export.txt").write_text("jean@gmail.fr\n", encoding="utf-8")
    (tmp_path / "export.txt").symlink_to("target-export.txt")
    (tmp_path / "target-local.yaml").write_text("orange.fr: {status: gone}\n", encoding="utf-8")
    (tmp_path / "local.yaml").symlink_to("target-local.yaml")
    code, lines, err = _audit(capsys, "export.txt")
    assert code == 1 and lines[0].startswith("export.txt:1 jean@gmail.fr: domain never had mailboxes"), lines
    code, lines, err = _audit(capsys, "--domains", str(tmp_path / "local.yaml"), "export.txt")
    assert code == 1 and err.startswith('local.yaml:1 orange.fr.status: "gone" is not a status'), err
    assert "target-" not in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("orange.fr:\n  suggest: orange.com\n", ":1 orange.fr.status: is required but missing (known: typo, closed"),
        ("orange.fr:\n  status:\n", ":2 orange.fr.status: is empty (null): give one of typo, closed, never"),
        ("orange.fr: {status: ~, note: x}\n", ":1 orange.fr.status: is empty (null): give one of typo, closed, never"),
        ("orange.fr: {status: null}\n", ":1 orange.fr.status: is empty (null)"),
        ("orange.fr:\n", ":1 orange.fr: is empty (null): give {status, suggest, note} (status is required"),
        (
            "orange.fr:\n  status: typo\n  suggest:\n",
            ":3 orange.fr.suggest: is empty (null): give the domain meant (such as gmail.com), or remove the key",
        ),
        ("orange.fr:\n  status: closed\n  note: ~\n", ":3 orange.fr.note: is empty (null): give the words for"),
    ],
    ids=["status-missing", "status-empty", "status-tilde", "status-null", "entry", "suggest", "note"],
)
def test_domains_file_null_or_missing_fields_are_said_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    """A key written without a value, or left out, is named as such (was: "null is not a status", or the
    empty suggest and note taken as absent without a word)."""
    extra = tmp_path / "local.yaml"
    extra.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, "--domains", str(extra), str(DATA / "clean.txt"))
    assert code == 1 and lines == []
    assert f"{extra}{expected}" in err, err
    assert "null is not" not in err and "~ is not" not in err and "invalid: 1 error" in err, err


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("mailto:zoe@velo-cite.org", "zoe@velo-cite.org"),
        ("MailTo:zoe@velo-cite.org", "zoe@velo-cite.org"),
        ("mailto:zoe@velo-cite.org?subject=Adh%C3%A9sion", "zoe@velo-cite.org"),
        ("<mailto:zoe@velo-cite.org>", "zoe@velo-cite.org"),
        ("mailto:luc@gmial.com", "luc@gmail.com"),
        ("Zoé Martin <zoe@velo-cite.org>", "zoe@velo-cite.org"),
        ('"Martin, Zoé" <zoe@gmail.fr>', "zoe@gmail.com"),
    ],
    ids=["mailto", "case", "query", "angle", "and-a-slip", "name-addr", "quoted-name-and-a-dead-domain"],
)
def test_an_address_written_as_a_link_or_with_a_name_suggests_the_address_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str, meant: str
) -> None:
    """``mailto:x@y`` (copied from a web page) and ``Name <x@y>`` (from a mail client) were flagged malformed
    with no suggestion."""
    export = tmp_path / "list.txt"
    export.write_text(f"jean@velo-cite.org\n{written}\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, err
    assert len(lines) == 1 and lines[0].startswith(f"{export}:2 {written}: "), lines
    assert lines[0].endswith(f"; suggested: {meant}"), lines


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_csv_without_a_header_row_is_said_once_and_read_as_addresses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], delimiter: str
) -> None:
    """Each row of a CSV without a header row was flagged malformed (``jean@gmail.com,Jean``: "invalid characters
    after the @-sign"), hiding the addresses to fix: the file is read as CSV, its column of addresses found in
    its rows, and said once."""
    rows = [
        ["Dupont, Jean", "jean@orange.fr", "Lyon", "jean@gmail.fr"],
        ["Zoé", "zoe@velo-cite.org", "Paris", ""],
        ["Luc", "", "Nice", ""],
        ["Ana", "ana@hotmial.com", "Lille", ""],
    ]
    quoted = ['"' + f'"{delimiter}"'.join(row) + '"' for row in rows]
    export = tmp_path / "export.csv"
    export.write_text("\n".join(quoted) + "\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, err
    assert [line.split(": ")[0] for line in lines] == [
        f"{export}:1 jean@gmail.fr",
        f"{export}:3 (no address)",
        f"{export}:4 ana@hotmial.com",
    ], lines
    assert err.count("warning: ") == 1, err
    assert f"warning: {export}:1 has no header row: read as CSV without one, delimiter {delimiter!r}, the " in err
    assert "the addresses in column 2" in err and "5 address(es) in 1 file(s), 3 to fix" in err, err


def test_a_csv_whose_header_names_the_column_of_addresses_otherwise_is_read_by_its_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.csv"
    export.write_text("Nom;Adresse;Ville\nDupont;jean@gmail.fr;Lyon\nZoé;zoe@velo-cite.org;Paris\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, err
    assert len(lines) == 1 and lines[0].startswith(f"{export}:2 jean@gmail.fr: domain never had mailboxes"), lines
    assert f"warning: {export}:1 is a header row naming no column of addresses pic knows" in err, err
    assert 'column 2 ("Adresse"), whose cells hold addresses, is read as them' in err, err


@pytest.mark.parametrize(
    "text",
    [
        "jean@gmail.com Jean Dupont, Lyon\nzoe@velo-cite.org Zoé, Paris\n",  # the web dump: a name after a space
        "jean@gmail.com\nzoe@velo-cite.org\nanne@gmail,com\n",  # a plain list with a comma for a dot
    ],
    ids=["web-dump", "plain-list"],
)
def test_a_web_dump_or_a_plain_list_is_not_taken_for_a_csv_without_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    export = tmp_path / "export.txt"
    export.write_text(text, encoding="utf-8")
    _, _, err = _audit(capsys, str(export))
    assert "warning" not in err, err


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("bob@xn--orang-fsa.fr", "misspelled domain: probably orange.fr; suggested: bob@orange.fr"),
        ("bob@XN--ORANG-FSA.FR", "misspelled domain: probably orange.fr; suggested: bob@orange.fr"),
        ("ann@exemple.xn--fsqu00a", "unknown top-level domain .例子"),
        ("cid@xn--caf-dma.fr", "domain closed: fermé en 2020"),
        ("cid@café.fr", "domain closed: fermé en 2020"),
        ("cid@cafe\u0301.fr", "domain closed: fermé en 2020"),
        ("eve@âncien.fr", "domain closed"),
        ("eve@ÂNCIEN.FR", "domain closed"),
    ],
)
def test_a_domain_in_punycode_is_read_as_in_unicode(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, address: str, said: str
) -> None:
    """A subscriber's domain, and an entry of a --domains file, in punycode or in Unicode (composed or not) are
    one domain: the punycode hid a slip of orange.fr and a closed domain, and named a top-level domain no one
    wrote; an é written as e and a combining accent hid the closed domain."""
    (tmp_path / "subs.txt").write_text(f"{address}\n", encoding="utf-8")
    (tmp_path / "d.yaml").write_text(
        "café.fr: {status: closed, note: fermé en 2020}\nxn--ncien-2qa.fr: {status: closed}\n",
        encoding="utf-8",
    )
    code, lines, err = _audit(capsys, str(tmp_path / "subs.txt"), "--domains", str(tmp_path / "d.yaml"))
    assert code == 1, (lines, err)
    assert f"subs.txt:1 {address}: {said}" in lines[0] and "xn--" not in lines[0].partition(": ")[2], lines


# --- a line that reads as a secret: named by its file and line, never shown -----------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a@example.org\nmdp : Azerty123\n", 2),  # malformed: the line was printed whole
        ("a@example.org\npassword=S3cr3tPw\n", 2),
        ("mot de passe :\nAzerty123\n", 2),  # the label on the line above
        ('"mdp : Azerty123"@gmail.fr\n', 1),  # a valid quoted local part: the suggestion repeated it
        ("Mot de passe : Azerty123 <jean@gmail.com>\n", 1),  # a name around an address
        ("password=Velosolex@gmial.com\n", 1),  # a password of letters alone
        ("\uff4d\uff44\uff50\uff1a\uff36\uff45\uff4c\uff4f\uff53\uff4f\uff4c\uff45\uff58@x.fr\n", 1),  # full-width
        ("Email;Nom\nmdp : Azerty123;Jean\n", 2),  # a CSV's cell
        ("Email;Note\njean@gmail.fr;mdp : Azerty123\n", 2),  # another cell of the row: the row is not shown
        ("email mdp : Azerty123\ngecos Jean\n\nemail a@example.org\n", 1),  # Sympa's dump
        # a label and its password in cells of their own: the row was printed whole, or its address with it
        ("marie@gmail.com\njean@example.org,Jean,mdp,Azerty123\nluc@free.fr\n", 2),
        ("marie@gmail.com\nzoe@example.org;Zoe;password;S3cr3tPw\n", 2),
        ("marie@gmail.com\nzoe@gmial.com\tZoe\tMot de passe\tVelosolex1\n", 2),
        ("marie@gmail.com\npaul@example.org,Paul,password=S3cr3tPw\n", 2),
        ('Email,Nom\njean@gmail.fr,Jean,"mdp","Azerty123"\n', 2),
        ("jean@gmail.fr,Jean,mdp,Azerty123\nmarie@gmail.fr,Marie,x,y\nluc@free.fr,Luc,x,y\n", 1),  # no header row
        # the password in the cell before its label's
        ("marie@gmail.com\njean@example.org;Azerty123;mdp\n", 2),
        ("marie@gmail.com\nzoe@example.org,Zoe,S3cr3tPw,password\n", 2),
        ("marie@gmail.com\nzoe@gmial.com\tVelosolex1\tMot de passe\n", 2),
        # a password glued to a domain: a malformed line, whose suggestion joined the label and the password
        ("mdp Azerty123@gmail.com\n", 1),
        ("marie@gmail.com\nmot de passe Azerty123@gmail.fr\n", 2),
        ("marie@gmail.com\nmdp Azerty123@gmail.con\n", 2),
    ],
)
def test_a_line_that_reads_as_a_secret_is_named_not_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int
) -> None:
    """A subscriber export may hold a line pasted from elsewhere (a password, notes): the line to fix is named by
    its file and line, its text not shown when it reads as a secret as pic check reads one (by itself, in its row or
    after the line above), nor a suggestion made of it; what is wrong with it still is."""
    export = tmp_path / "list.txt"
    export.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and "Traceback" not in err
    shown = "\n".join(lines)
    assert f"list.txt:{line} the line (not shown: it may hold a secret): " in shown, shown
    for secret in ("zerty", "S3cr3t", "elosolex", "\uff36\uff45\uff4c"):
        assert secret.casefold() not in shown.casefold(), shown


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("ann@gmail.com mdp Azerty123\n", 1),  # the web dump: the address and its name
        ("marie@gmail.com\nann@gmail.com mot de passe : Azerty123\n", 2),
        ("ann@gmail.com;Azerty123;mdp\n", 1),  # the value before its label
        ("Email;Nom\nann@gmail.com;mdp : Azerty123\n", 2),
        ("Email,Nom,Note\nann@gmail.com,Ann,mdp,Azerty123\nluc@free.fr,Luc,x\n", 2),
        ("email ann@gmail.com\ngecos mdp Azerty123\n\nemail luc@free.fr\n", 2),  # a dump's other line
        ("# mdp : Azerty123\nEmail;Nom\nann@gmail.com;Ann\n", 1),  # a comment above the header
        ("ann@gmail.com password=S3cr3tPw\n", 1),
    ],
)
def test_a_line_holding_a_secret_is_flagged_though_its_address_needs_no_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int
) -> None:
    """A password in an export is to remove wherever it stands, its address valid or not: the line is flagged,
    named by its file and line, not shown; was: flagged only when its address had another fault
    (``ann@gmail.com mdp Azerty123`` passed)."""
    export = tmp_path / "list.txt"
    export.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and "Traceback" not in err, (lines, err)
    shown = "\n".join(lines)
    assert len(lines) == 1 and f"list.txt:{line} the line (not shown: it may hold a secret): " in shown, shown
    assert "secret" in shown.partition(": ")[2].partition("): ")[2], shown
    for secret in ("zerty", "S3cr3t"):
        assert secret.casefold() not in (shown + err).casefold(), shown


@pytest.mark.parametrize(
    "text",
    [
        "ann@gmail.com;FTP amicale - marie : Lilas2024\n",
        "ann@gmail.com mot de passe « Lilas 2024! »\n",
        "ann@gmail.com\texport DB_PASSWORD='Lilas 2024!'\n",
        "ann@gmail.com\techo 'Lilas 2024!' | passwd --stdin ann\n",
    ],
)
def test_a_cell_holding_a_quoted_passphrase_an_assignment_or_a_service_s_pair_is_flagged_unseen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """A passphrase in quotes after a password's label, a shell's assignment of a variable named for a secret, a
    password echoed to passwd in quotes, a login and its password after a service's name and a dash: the line is
    flagged, its text not shown."""
    export = tmp_path / "list.txt"
    export.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and "Traceback" not in err, (lines, err)
    shown = "\n".join(lines)
    assert len(lines) == 1 and "list.txt:1 the line (not shown: it may hold a secret): " in shown, shown
    assert "lilas" not in (shown + err).casefold(), shown


@pytest.mark.parametrize(
    "text",
    [
        "ann@gmail.com;FTP amicale; voir Marie\n",
        "ann@gmail.com;Réunion - salle : B204\n",
        'ann@gmail.com;mot de passe "à changer"\n',
        "ann@gmail.com\texport DB_HOST=db1.lan\n",
    ],
)
def test_a_cell_of_words_after_a_label_or_a_service_s_name_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    export = tmp_path / "list.txt"
    export.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 0 and lines == [], (lines, err)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Email;Nom;Mot de passe\nann@gmail.com;Ann;\nluc@free.fr;Luc;Azerty123\n", [3]),
        ("Email,Password,Nom\nann@gmail.com,S3cr3tPw,Ann\nluc@free.fr,,Luc\nzoe@free.fr,Velosolex1,Zoe\n", [2, 4]),
        ("Email;mdp\nann@gmial.com;Azerty123\n", [2, 2]),  # its address misspelt: said as well
        ("# export\nEmail\tmdp\nann@gmail.com\tAzerty123\n", [3]),
        ("Email;Nom;Mot de passe oublié\nann@gmail.com;Ann;non\n", []),  # a column of yes and no
        # the column of addresses under a name pic does not know (read by its cells, a warning said)
        ("Nom;Adresse;Mot de passe\nAnn;ann@gmail.com;Azerty123\nLuc;luc@free.fr;\n", [2]),
        ("E-postadresse,Navn,Passord\nann@gmail.com,Ann,Velosolex1\nluc@free.fr,Luc,endret\n", [2]),
        ("Correo electrónico\tNombre\tContraseña\nann@gmail.com\tAnn\tS3cr3tPw\n", [2]),
        # a quoted cell holding a line break: the row named by its first line
        ('Email,Nom,Mot de passe\nann@gmail.com,"Ann\nDupont",Azerty123\nluc@free.fr,Luc,"S3cr3tPw\n(vu)"\n', [2, 4]),
    ],
)
def test_a_row_with_a_value_in_a_column_named_as_a_password_is_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, flagged: list[int]
) -> None:
    """A CSV whose header names a column as a password (``Mot de passe``, ``Password``, ``mdp``) holds one in each
    row with a value there: each such row is flagged (one flagged for its address too), the value never shown; was:
    the rows passed, their cells read without their column's name."""
    export = tmp_path / "list.csv"
    export.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == (1 if flagged else 0) and "Traceback" not in err, (lines, err)
    assert [int(line.split("list.csv:")[1].split(" ")[0]) for line in lines] == flagged, lines
    told = [int(line.split("list.csv:")[1].split(" ")[0]) for line in lines if "reads as a password" in line]
    assert told == sorted(set(flagged)), lines  # the address shown: it is no secret
    # the fix names the secret, not the subscriber: "remove it ... from Sympa" read as "unsubscribe them"
    # (but after its address's own flag: not a contradiction of it)
    said = [line for line in lines if "reads as a password" in line]
    assert all("change that password" in line for line in said), said
    alone = [line for line in said if flagged.count(int(line.split("list.csv:")[1].split(" ")[0])) == 1]
    assert all("the address is not at fault" in line for line in alone), said
    assert not any("not at fault" in line for line in said if line not in alone), said
    for secret in ("zerty", "S3cr3t", "elosolex"):
        assert secret.casefold() not in "\n".join(lines).casefold(), lines


@pytest.mark.parametrize("value", ["1234", "soleil", "motdepasse", "Jean", "Azerty123", "mot de passe", "x7", "19/05"])
@pytest.mark.parametrize("header", ["Mot de passe", "password", "pwd", "Kennwort", "Passord"])
def test_any_value_in_a_column_named_as_a_password_is_a_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, header: str
) -> None:
    """A value in a column named as a password is one whatever its shape: a short one, a word, a name; was: only
    those that read as a password after a label in prose (letters and digits) were flagged."""
    export = tmp_path / "list.csv"
    export.write_text(f"Email;Nom;{header}\nann@gmail.com;Ann;{value}\nluc@free.fr;Luc;\n", encoding="utf-8")
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1 and lines[0].startswith(f"{export}:2 ann@gmail.com: it holds what"), lines
    assert value.casefold() not in "\n".join(lines).casefold().replace("mot de passe", ""), lines


@pytest.mark.parametrize(
    "value",
    [
        *["-", "--", "*****", "xxxx", "XXXXXX", "•••", "...", "?", '""', " - "],  # masked, or none given
        *["n/a", "N/A", "NA", "none", "None", "null", "NULL", "nil", "aucun"],  # no value
        *["non", "Oui", "no", "yes", "true", "FALSE", "vrai", "faux", "0", "1"],  # a column of yes and no
        *["changed", "modifié", "Modifie", "changé", "reset", "réinitialisé", "endret", "geändert"],  # a status
        *["Y", "N", "y", "n", "O", "J", "OK", "ko", "\\N"],  # a yes or no in a letter, MySQL's NULL in its exports
        *["sent", "envoyé", "Envoyé", "requested", "demandé", "expired", "expiré", "set", "défini", "pending"],
        *["Envoyé par SMS", "sent by email", "changed on 2024-03-01", "expired last year", "reset requested"],
        # where it is kept or how it was sent, a status, a spreadsheet's mark or filler
        *["par mail", "par SMS", "voir coffre", "dans le gestionnaire de mots de passe", "Bitwarden", "KeePass"],
        *["en cours", "Non envoyé", "à renouveler", "renouvelé", "échec", "failed", "Bounced", "inconnu", "unknown"],
        *["✓", "✔", "✅", "❌", "✗", "#N/A", "NC", "N.C."],
        *["03/2024", "mars 2024", "March 2024", "1 mars", "10:00"],  # a month, a day, a time
        # a month alone, by its number or its name; a time or a date written with AM or PM
        *["2024-03", "2024/03", "03-2024", "mars", "March", "Mars", "sept."],
        *["3/1/2024 10:00 AM", "3/1/2024 10:00 p.m.", "10:00 AM", "10:00pm", "changed on 3/1/2024 10:00 AM"],
        # where it is kept, how it was sent or its state, in a few words of those
        *["in Bitwarden", "en attente", "not set", "par courrier", "via Signal", "per E-Mail", "non communiqué"],
        *["voir le coffre-fort", "see vault", "par téléphone", "in KeePass", "à définir", "sur demande"],
        *["chez le président", "pas encore envoyé", "en cours de création", "auprès du secrétariat", "voir l'admin"],
    ],
)
def test_a_column_named_as_a_password_passes_its_plain_non_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """An empty cell, a masked or absent value, a yes or no, a status (changed, modifié) is no password: the export
    holds none there; lists_audit.NOT_A_PASSWORD lists them."""
    export = tmp_path / "list.csv"
    export.write_text(f"Email;Nom;Mot de passe\nann@gmail.com;Ann;{value}\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert (code, lines) == (0, []), (lines, err)


@pytest.mark.parametrize("value", ["2024-03-01", "2024-03-01 10:12", "2024-03-01T10:12:00Z", "01/03/2024", "1.3.24"])
def test_a_date_in_a_column_named_as_a_password_is_when_it_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """``Password changed``, ``Mot de passe modifié le`` name a password too: a date written with its separators there
    says when it changed, and passes (a date of birth typed as a password has none: 19051985 is flagged)."""
    export = tmp_path / "list.csv"
    export.write_text(f"Email,Password changed\nann@gmail.com,{value}\nluc@free.fr,19051985\n", encoding="utf-8")
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1 and [line.split(" ")[0] for line in lines] == [f"{export}:3"], lines
    assert "19051985" not in "\n".join(lines), lines


@pytest.mark.parametrize(
    ("text", "quote", "secret"),
    [
        # the quote closed on the next line, the password after it: that line's, not the first's
        ('Email;Nom;Mot de passe\nann@gmail.com;"Ann;\nluc@free.fr;Luc";Azerty123\nzoe@free.fr;Zoe;\n', 2, [3]),
        ('Email;Nom;Mot de passe\nann@gmail.com;"Ann;\nluc@free.fr;Luc;S3cr3tPw\n', 2, [3]),  # to the end of the file
        ('Email;Nom;Mot de passe\nann@gmail.com;Ann;"Azerty123\nluc@free.fr;Luc;S3cr3tPw\n', 2, [2, 3]),  # each its own
        # the column of addresses under a name pic does not know
        ('Nom;Adresse;Mot de passe\nAnn;ann@gmail.com;"x\nLuc;luc@free.fr;Azerty123\nZoe;zoe@free.fr;\n', 2, [3]),
    ],
)
def test_a_row_whose_quote_runs_on_is_flagged_for_a_password_at_its_own_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, quote: int, secret: list[int]
) -> None:
    """A row whose quote is not closed on its line is read alone, the lines after it as rows: a password on one of
    them is that line's, flagged once; was: flagged at the first line of the run besides, which holds none."""
    export = tmp_path / "list.csv"
    export.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and "Traceback" not in err, (lines, err)
    at = [int(line.split(f"{export}:")[1].split(" ")[0]) for line in lines if "reads as a password" in line]
    assert at == secret, lines
    unclosed = [line.split(" ")[0] for line in lines if "is not closed on its line" in line]
    assert unclosed == [f"{export}:{quote}"], lines
    for word in ("zerty", "S3cr3t"):
        assert word.casefold() not in "\n".join(lines).casefold(), lines


@pytest.mark.parametrize(
    "text",
    [
        # its first row's quote hides the column of addresses: each line read whole, as an address
        'Nom;Adresse;Mot de passe\n"Ann;ann@gmail.com;\nLuc;luc@free.fr;soleil\nZoe;zoe@free.fr;Velosolex\n',
        'Nom,Adresse,Password\n"Ann,ann@gmail.com,\nLuc,luc@free.fr,1234\n',
    ],
)
def test_a_password_column_s_value_is_never_shown_in_a_line_read_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """A line flagged with its text shown as its address is not shown when it holds a value under a column named as
    a password (any shape: soleil, 1234); was: shown, only what reads as a password in prose hidden."""
    export = tmp_path / "list.csv"
    export.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and "Traceback" not in err, (lines, err)
    for word in ("soleil", "1234", "elosolex"):
        assert word not in "\n".join(lines), lines
    assert any(line.startswith(f"{export}:3 the line (not shown: it may hold a secret)") for line in lines), lines


@pytest.mark.parametrize("label", ["mdp", "password", "pass:", "Passwort ist", "otp", "code pin", "token", "密码"])
def test_a_line_full_of_labels_is_flagged_unread_without_being_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, label: str
) -> None:
    """A line of 400 KB full of a secret's label took seconds (4 s for mdp, 16 s for "Passwort ist", minutes for otp,
    whose value's look-ahead ran to the end of the line at each label): an export of 32 MiB of them, hours. A line
    holding more of their words than lists_audit.MOST_LABELS_READ is flagged unread, not shown, and never given to
    the reader of secrets (pic.secrettext.prose_secret, whose time grows with the labels it reads)."""
    from pic import errors, secrettext

    read: list[int] = []
    prose_secret, reads_as_secret = secrettext.prose_secret, secrettext.reads_as_secret

    def counting_prose(text: str) -> tuple[str, int] | None:
        read.append(len(text))
        return prose_secret(text)

    def counting(value: object) -> bool:
        read.append(len(str(value)))
        return reads_as_secret(value)

    monkeypatch.setattr(secrettext, "prose_secret", counting_prose)
    monkeypatch.setattr(secrettext, "reads_as_secret", counting)
    errors._text_reads_as_secret.cache_clear()  # each text read once by the process: read here again
    export = tmp_path / "list.txt"
    line = "ann@gmail.com " + " ".join([label] * (400_000 // (len(label) + 1)))
    export.write_text(f"{line}\nluc@free.fr mdp Azerty123\nzoe@free.fr\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and lines == [
        f"{export}:1 the line (not shown: it may hold a secret): {lists_audit.LINE_UNREAD}",
        f"{export}:2 the line (not shown: it may hold a secret): {lists_audit.LINE_TO_CLEAR}",
    ], (lines, err)
    assert read and max(read) < 1_000, max(read, default=0)  # the other lines were read, the long one never


@pytest.mark.parametrize(
    "line",
    [
        "ann@gmail.com " + "mdp " * 70,
        "ann@gmail.com;" + ";".join(["Mot de passe"] * 70),
        "# " + "password, " * 70,
        "gecos " + " ".join(["pass:"] * 70),
    ],
)
def test_a_line_holding_more_labels_than_are_read_is_not_shown(line: str) -> None:
    """Such a line is flagged whatever else it holds (LINE_UNREAD), and a flag of its address is not shown either
    (then it alone, told first what the line asks: a line not shown is flagged once)."""
    entry = lists_audit.Entry("list.txt", 1, "ann@gmial.com", lines=[line])
    flags = [str(flag) for flag in lists_audit.audit([entry], {}, lists_audit.load_providers())]
    assert flags == [
        f"list.txt:1 the line (not shown: it may hold a secret): {lists_audit.LINE_UNREAD}; misspelled domain: "
        "probably gmail.com; suggested: not shown either"
    ], flags
    other = lists_audit.Entry("list.txt", 1, "ann@gmail.com", lines=[line])
    flags = [str(flag) for flag in lists_audit.audit([other], {}, lists_audit.load_providers())]
    assert flags == [f"list.txt:1 the line (not shown: it may hold a secret): {lists_audit.LINE_UNREAD}"], flags


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("list.txt", "jean@gmial.com mdp Azerty123\n"),
        ("list.txt", "jean@gmial.com password: Azerty123\n"),
        ("export.csv", "email,name,notes\njean@gmial.com,Jean,mdp Azerty123\n"),
        ("export.csv", 'email,name,notes\njean@gmial.com,Jean,"password: Azerty123"\n'),
        ("export.csv", "email,name,commentaire\njean@gmial.com,Jean mdp Azerty123,x\n"),
        ("member.dump", "email jean@gmial.com\ngecos Jean mdp Azerty123\n"),
        ("list.txt", "mdp : Azerty123\n"),
    ],
)
def test_a_line_not_shown_for_its_secret_says_to_remove_it_and_change_the_password(
    name: str, text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A line hidden for the secret it holds, its address flagged besides (a misspelt domain, no address), is told
    the secret is to go and the password to change, as a line whose address is not at fault is (it was told only
    'not shown: it may hold a secret' and its address's fault: the owner fixed the address and kept the password)."""
    export = tmp_path / name
    export.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    shown = "\n".join(lines) + err
    assert code == 1, shown
    assert "Azerty123" not in shown, shown
    assert any("change that password wherever it is used" in line for line in lines), shown
    assert "@" not in text.splitlines()[-1] or any("misspelled domain" in line for line in lines), shown


def test_a_line_holding_as_many_labels_as_are_read_gets_its_verdict() -> None:
    """Up to lists_audit.MOST_LABELS_READ words of a label, a line is read whole: a password after the last is
    found, and none is none."""
    few = " ".join(["mdp"] * (lists_audit.MOST_LABELS_READ - 1))
    assert lists_audit._may_hold_secret(f"ann@gmail.com {few} mdp Azerty123")
    assert not lists_audit._may_hold_secret(f"ann@gmail.com {few} mdp")


def test_lines_holding_no_secret_pass_though_they_hold_more_than_an_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Names, notes and a dump's fields that read as no secret are no fault."""
    export = tmp_path / "list.txt"
    export.write_text("ann@gmail.com Ann Dupont\nluc@free.fr Luc, trésorier (mot de passe oublié)\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 0 and lines == [], (lines, err)


def test_a_line_that_reads_as_no_secret_is_shown_with_its_suggestion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the line reading as a secret is hidden: the one under it is shown, and so is a fixed suggestion."""
    export = tmp_path / "list.txt"
    export.write_text("password=S3cr3tPw\nnot an address\nmarie@voila.fr\n", encoding="utf-8")
    _, lines, _ = _audit(capsys, str(export))
    assert any(
        line.endswith("list.txt:2 not an address: malformed address (An email address must have an @-sign.)")
        for line in lines
    ), lines
    assert any(line.endswith("suggested: remove it, or ask the subscriber for a new address") for line in lines), lines


@pytest.mark.parametrize(
    "text",
    [
        "Nom;mdp : Azerty123\nJean;jean@example.org\nLuc;luc@example.org\n",
        # the label in a cell of its own, before the column's name
        "Nom;mdp;Azerty123\nJean;x;jean@example.org\nLuc;y;luc@example.org\n",
        "mdp;Azerty123\nJean;jean@example.org\nLuc;luc@example.org\n",
        "Azerty123;mdp\nJean;jean@example.org\nLuc;luc@example.org\n",
    ],
)
def test_a_header_cell_that_reads_as_a_secret_is_not_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """A CSV's first line naming no column of addresses is said once, with the column's name: not when it reads
    as a secret, by itself or with the line's other cells."""
    export = tmp_path / "list.csv"
    export.write_text(text, encoding="utf-8")
    _, _, err = _audit(capsys, str(export))
    assert "(the value (not shown: it may be a secret)), whose cells hold addresses" in err, err
    assert "zerty" not in err, err


@pytest.mark.parametrize(
    "entry",
    [
        '"mdp:Azerty123.org": {status: never}\n"MDP:Azerty123.org": {status: never}\n',  # given twice
        'gmial.com: {status: "mdp : Azerty123"}\n',
        'gmial.com: {status: typo, suggest: "mdp : Azerty123"}\n',
        'gmial.com: {status: typo, note: ["mdp : Azerty123"]}\n',
        'gmial.com: "mdp : Azerty123"\n',
        '"mdp : Azerty123": {status: never}\n',  # a key that is no domain
    ],
)
def test_a_domains_file_s_value_that_reads_as_a_secret_is_not_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: str
) -> None:
    extra = tmp_path / "local.yaml"
    extra.write_text(entry, encoding="utf-8")
    code, _, err = _audit(capsys, "--domains", str(extra), str(DATA / "clean.txt"))
    assert code == 1 and "local.yaml:" in err and "not shown" in err, err
    assert "zerty" not in err, err


@pytest.mark.parametrize(
    "note", ["mdp : Azerty123", "password: Lilas2024x", "Identifiants : marie / Lilas2024", "token=ghp_Azerty123456"]
)
def test_a_domains_file_s_note_that_reads_as_a_secret_is_refused_never_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], note: str
) -> None:
    """A note is told to the list owners beside each address at its domain: one that reads as a secret was shown
    there in clear ('domain closed: mdp : Azerty123'), its line said 'not shown' all the same; it is refused as
    the file's other values are, naming its line and field, never its value, and nothing is audited."""
    extra = tmp_path / "local.yaml"
    extra.write_text(f'gone.example.org: {{status: closed, note: "{note}"}}\n', encoding="utf-8")
    export = tmp_path / "list.txt"
    export.write_text("ann@gone.example.org\n", encoding="utf-8")
    code, lines, err = _audit(capsys, "--domains", str(extra), str(export))
    assert code == 1, (lines, err)
    assert f"{extra}:1 gone.example.org.note: " in err and "not shown" in err, err
    assert not lines, lines
    secret = note.rsplit(" ", 1)[-1].rsplit("=", 1)[-1]
    assert secret not in err + "\n".join(lines), (lines, err)


@pytest.mark.parametrize(
    ("suggest", "said"),
    [
        ("co.uk", "the domain is a public suffix"),
        ("café.fr", "domain in Unicode: Sympa takes it in punycode (IDNA) only): suggest xn--caf-dma.fr"),
        ("gmail.con", "suggest gmail.com"),
        ("voila.fr", "domain closed"),
        ("pаypal.com", "mixes scripts"),
    ],
)
def test_a_domains_file_s_suggestion_the_audit_would_flag_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suggest: str, said: str
) -> None:
    """A suggest is the domain of every address suggested for the entry's: one the audit flags itself (a public
    suffix, a domain in Unicode Sympa does not take, a misspelling, a closed domain) was offered to the list owners
    as the address to write (ann@gone.example.org: suggested: ann@co.uk), flagged in turn once written. It is
    refused at its line, with the domain to suggest when the audit has one that passes."""
    extra = tmp_path / "local.yaml"
    extra.write_text(f"gone.example.org: {{status: typo, suggest: {suggest}}}\n", encoding="utf-8")
    export = tmp_path / "list.txt"
    export.write_text("ann@gone.example.org\n", encoding="utf-8")
    code, lines, err = _audit(capsys, "--domains", str(extra), str(export))
    assert code == 1 and not lines, (lines, err)
    assert f"{extra}:1 gone.example.org.suggest: " in err and "would be flagged by the audit itself" in err, err
    assert said in err, err
    if ": suggest " in err and "the domain meant" not in err:  # the domain offered is taken
        offered = err.split(": suggest ", 1)[1].split()[0]
        extra.write_text(f"gone.example.org: {{status: typo, suggest: {offered}}}\n", encoding="utf-8")
        code, lines, err = _audit(capsys, "--domains", str(extra), str(export))
        assert code == 1 and lines == [
            f"{export}:1 ann@gone.example.org: misspelled domain: probably {offered}; suggested: ann@{offered}"
        ], (lines, err)


def test_the_shipped_domains_suggest_only_domains_the_audit_takes() -> None:
    domains, providers = lists_audit.load_domains(), lists_audit.load_providers()
    flagged = [
        (domain, entry.suggest)
        for domain, entry in domains.items()
        if entry.suggest
        and lists_audit.audit_entry(lists_audit.Entry("x", 1, f"postmaster@{entry.suggest}"), domains, providers)
    ]
    assert not flagged, flagged


def test_a_quoted_local_part_outside_ascii_is_flagged_for_smtputf8_not_for_sympa(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Sympa's valid_email takes a quoted local part whatever its letters ("zoé"@...): the flag says the mailbox
    needs SMTPUTF8 on every server, not that Sympa refuses it, which was said."""
    address = '"zoé"@velo-cite.org'
    assert sympa_valid_email(address)
    (tmp_path / "subs.txt").write_text(f"{address}\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(tmp_path / "subs.txt"))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert "letters outside ASCII before the @" in lines[0] and "SMTPUTF8" in lines[0], lines
    assert "Sympa does not take it" not in lines[0], lines
    assert lines[0].endswith(f"; suggested: {ASK_ANOTHER}"), lines


@pytest.mark.parametrize("address", ["marie@pаypal.example.org", "marie@xn--pypal-4ve.example.org"])
def test_an_address_whose_domain_mixes_scripts_is_flagged_without_a_suggestion(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, address: str
) -> None:
    """A domain label mixing scripts (paypal with a Cyrillic а, in Unicode or in punycode) is a look-alike of
    another domain (UTS #39 §5.2), as pic check refuses one for a contact: flagged, the subscriber to be asked;
    was: its punycode suggested as the address to keep, and that punycode passed as clean."""
    (tmp_path / "subs.txt").write_text(f"{address}\nok@velo-cite.org\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(tmp_path / "subs.txt"))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert f"subs.txt:1 {address}: " in lines[0] and "mixes scripts" in lines[0] and "pаypal" in lines[0], lines
    assert lines[0].endswith(f"; suggested: {ASK_ANOTHER}"), lines


@pytest.mark.parametrize(
    "address",
    [
        "ann@аррӏе.com",  # Cyrillic а, р, ӏ, е: every letter a look-alike of a Latin one
        "ann@xn--80ak6aa92e.com",  # the same in punycode
        "ann@XN--80AK6AA92E.com",
        "ann@АРРӀЕ.com",  # in capitals
        "ann@οοο.example.org",  # Greek omicrons
        "ann@ᏚᎪᎳ.com",  # Cherokee: looks like SAW; its small letters (ꮪꭺꮃ) fold to these capitals (IDNA)
        "ann@ꮪꭺꮃ.com",
        "ann@xn--g9ds9i.com",  # ᏚᎪᎳ in punycode
        # a top-level domain in letters that stand for ASCII ones (Unicode NFKC: ⅽ is c), which IDNA maps to them
        "ann@аррӏе.ⅽom",
        "ann@аррӏе.ｃｏｍ",
        "ann@аррӏе．com",  # a full-width full stop, a dot to IDNA (RFC 3490 §3.1)
    ],
)
def test_an_address_whose_domain_label_is_a_latin_look_alike_in_another_script_is_flagged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, address: str
) -> None:
    """A label written wholly in letters of another script that each look like a Latin one (a whole-script
    confusable, UTS #39 §4: аррӏе in Cyrillic) is a look-alike of a Latin name as a label mixing scripts is:
    flagged, the subscriber to be asked; was: not flagged in punycode, and in Unicode its punycode suggested,
    which would subscribe the look-alike."""
    (tmp_path / "subs.txt").write_text(f"{address}\nok@velo-cite.org\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(tmp_path / "subs.txt"))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert f"subs.txt:1 {address}: " in lines[0] and "look-alike" in lines[0], lines
    assert lines[0].endswith(f"; suggested: {ASK_ANOTHER}"), lines
    assert "xn--" not in lines[0].partition("suggested")[2], lines


@pytest.mark.parametrize("address", ["ann@аре.bg", "ann@сосо.ru", "ann@xn--80ak6aa92e.ua", "ann@ναι.gr", "ann@οοο.gr"])
def test_a_label_of_a_script_under_a_country_domain_where_it_is_common_is_no_look_alike(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, address: str
) -> None:
    """Under the country-code domains where names of a script are common (.bg, .ru, .ua for Cyrillic, .gr for
    Greek: Chromium's list), a label of that script is read as a name of it, as under .рф: not flagged."""
    (tmp_path / "subs.txt").write_text(f"{address}\n", encoding="utf-8")
    _code, lines, err = _audit(capsys, str(tmp_path / "subs.txt"))
    assert not any("look-alike" in line for line in lines), (lines, err)


@pytest.mark.parametrize(("address", "label"), [("ann@ᏚᎪᎳ.com", "ᏚᎪᎳ"), ("ann@АРРӀЕ.com", "АРРӀЕ")])
def test_a_look_alike_label_is_named_as_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, address: str, label: str
) -> None:
    """The flag names the label as the address writes it, not its lowercase (ᏚᎪᎳ was named ꮪꭺꮃ, Cherokee's small
    letters, which no one wrote)."""
    (tmp_path / "subs.txt").write_text(f"{address}\n", encoding="utf-8")
    _code, lines, err = _audit(capsys, str(tmp_path / "subs.txt"))
    assert len(lines) == 1 and f"domain label {label} " in lines[0], (lines, err)


@pytest.mark.parametrize(
    ("address", "meant"),
    [
        ("ann@аррӏе.com", "apple.com"),  # Cyrillic; its palochka read as an l, as Chromium reads it
        ("ann@xn--80ak6aa92e.com", "apple.com"),  # the same in punycode
        ("ann@АРРӀЕ.com", "apple.com"),
        ("ann@аррӏе．ｃｏｍ", "apple.com"),
        ("ann@ᏚᎪᎳ.com", "saw.com"),  # Cherokee, in its capitals and its small letters
        ("ann@ꮪꭺꮃ.com", "saw.com"),
        ("ann@οοο.org", "ooo.org"),  # Greek
        ("ann@mail.ѕсоре.fr", "mail.scope.fr"),
        ("ann@pаypal.com", "paypal.com"),  # a label mixing scripts
        ("ann@xn--pypal-4ve.com", "paypal.com"),
    ],
)
def test_a_look_alike_names_the_domain_it_looks_like(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, address: str, meant: str
) -> None:
    """The flag of a look-alike names the domain it passes for (its letters read as the ASCII ones they look like,
    Unicode's confusables); was: only that it looks like another."""
    (tmp_path / "subs.txt").write_text(f"{address}\n", encoding="utf-8")
    _code, lines, err = _audit(capsys, str(tmp_path / "subs.txt"))
    assert len(lines) == 1 and f"): it looks like {meant}; suggested: " in lines[0], (lines, err)


@pytest.mark.parametrize("address", ["ann@аррӏе.café.com", "ann@раураӏ.москва.com"])
def test_a_look_alike_whose_domain_reads_as_no_ascii_one_names_none(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, address: str
) -> None:
    """A look-alike label among labels beyond ASCII that are none (café, москва, which looks like no Latin word in its
    small letters): no domain named, the label said alone."""
    (tmp_path / "subs.txt").write_text(f"{address}\n", encoding="utf-8")
    _code, lines, _err = _audit(capsys, str(tmp_path / "subs.txt"))
    assert len(lines) == 1 and "look-alike of another domain" in lines[0] and "it looks like" not in lines[0], lines


def test_an_unknown_top_level_domain_is_named_as_written(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An unknown top-level domain is named as the address writes it (was: in lowercase, ᏚᎪ as ꮪꭺ, Cherokee's small
    letters, which no one wrote)."""
    (tmp_path / "subs.txt").write_text("ann@example.ᏚᎪ\nbob@example.ΔΕΛ\n", encoding="utf-8")
    _code, lines, err = _audit(capsys, str(tmp_path / "subs.txt"))
    assert [line.partition(": ")[2] for line in lines] == [
        "unknown top-level domain .ᏚᎪ",
        "unknown top-level domain .ΔΕΛ",
    ], (lines, err)


def test_a_look_alike_of_a_provider_gets_the_provider_suggested(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A look-alike one letter from a provider's domain (gmаil.com, a Cyrillic а: a keyboard's other layout) is
    said to be both, and the provider's domain, no look-alike, is suggested."""
    (tmp_path / "subs.txt").write_text("ann@gmаil.com\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(tmp_path / "subs.txt"))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert "probably gmail.com" in lines[0] and "mixes scripts" in lines[0], lines
    assert lines[0].endswith("; suggested: ann@gmail.com"), lines


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("ann@аррӏе.con", "unknown top-level domain .con"),  # the .com suggested would be the look-alike's
        ("ann@рaypal.con", "unknown top-level domain .con"),  # a label mixing scripts, the same
    ],
)
def test_a_look_alike_domain_flagged_for_itself_too_gets_no_suggestion_of_the_look_alike(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, address: str, said: str
) -> None:
    """A look-alike domain that is also flagged for itself (an unknown top-level domain) is said to be both, the
    subscriber to be asked; was: the look-alike under .com suggested."""
    (tmp_path / "subs.txt").write_text(f"{address}\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(tmp_path / "subs.txt"))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert said in lines[0] and "look-alike" in lines[0], lines
    assert lines[0].endswith(f"; suggested: {ASK_ANOTHER}"), lines


@pytest.mark.parametrize(
    ("address", "suggested"),
    [
        ("ivan@москва.com", "ivan@xn--80adxhks.com"),  # м, к, в look like no Latin letter
        ("ivan@пример.рф", "ivan@xn--e1afmkfd.xn--p1ai"),
        ("ivan@сайт.рус", "ivan@xn--80aswg.xn--p1acf"),  # рус looks Latin, under its own script's top-level domain
        ("ivan@орех.рф", "ivan@xn--e1argv.xn--p1ai"),
    ],
)
def test_a_domain_in_another_script_that_is_no_latin_look_alike_gets_its_punycode(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, address: str, suggested: str
) -> None:
    """A label in Cyrillic with a letter that looks like no Latin one, or under a top-level domain of its own script
    (.рф, .рус: the name is read in that script), is no look-alike of a Latin name: its punycode is suggested."""
    (tmp_path / "subs.txt").write_text(f"{address}\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(tmp_path / "subs.txt"))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert "look-alike" not in lines[0] and lines[0].endswith(f"; suggested: {suggested}"), lines


@pytest.mark.parametrize(
    ("address", "said", "suggested"),
    [
        ("zoé@velo-cite.org", "letters outside ASCII before the @", ASK_ANOTHER),
        ("zoé@café.example.org", "letters outside ASCII before the @", ASK_ANOTHER),
        ("marie@café.example.org", "domain in Unicode", "marie@xn--caf-dma.example.org"),
        ("marie@CAFÉ.example.org", "domain in Unicode", "marie@xn--caf-dma.example.org"),
        # a quoted local part, which Sympa takes (RFC 5322 §3.4.1), before a domain in Unicode
        ('"jean dupont"@café.example.org', "domain in Unicode", '"jean dupont"@xn--caf-dma.example.org'),
        # the other full stops IDNA reads as dots (RFC 3490 §3.1): ideographic, full-width, half-width
        ("marie@café．example。org", "domain in Unicode", "marie@xn--caf-dma.example.org"),
        ("marie@café｡example.org", "domain in Unicode", "marie@xn--caf-dma.example.org"),
        # letters standing for ASCII ones (Unicode NFKC, as IDNA maps them: ⅽ is c)
        ("marie@café.example.ⅽom", "domain in Unicode", "marie@xn--caf-dma.example.com"),
    ],
)
def test_an_address_sympa_does_not_take_is_flagged_with_the_one_it_takes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, address: str, said: str, suggested: str
) -> None:
    """Sympa takes no letter outside ASCII (no internationalised address, RFC 6531): an internationalised domain
    is suggested in punycode (IDNA A-labels), which Sympa takes; a local part outside ASCII is another mailbox to
    ask for. The same addresses in punycode, or ASCII throughout, are clean."""
    assert not sympa_valid_email(address)
    if suggested != ASK_ANOTHER:
        assert sympa_valid_email(suggested)
    (tmp_path / "subs.txt").write_text(f"{address}\nok@velo-cite.org\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(tmp_path / "subs.txt"))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert f"subs.txt:1 {address}: " in lines[0] and said in lines[0], lines
    assert lines[0].endswith(f"; suggested: {suggested}"), lines
    if suggested != ASK_ANOTHER:
        (tmp_path / "fixed.txt").write_text(f"{suggested}\n", encoding="utf-8")
        assert _audit(capsys, str(tmp_path / "fixed.txt"))[0] == 0


@pytest.mark.parametrize(
    "row", ["jean@gmial.com;Dupont;mdp", "jean@gmial.com,2026-03-12,mot de passe", "jean@gmial.com,mdp,oui"]
)
def test_a_row_whose_cell_before_a_label_is_no_password_is_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str
) -> None:
    """A cell before a password's label is read as its value (``Azerty123;mdp``): a name, a date or a label after
    its column's value is none, and the row's address is shown."""
    export = tmp_path / "list.txt"
    export.write_text(f"marie@gmail.com\n{row}\n", encoding="utf-8")
    _, lines, _ = _audit(capsys, str(export))
    assert any("list.txt:2 jean@gmial.com" in line for line in lines), lines


@pytest.mark.parametrize(
    "value",
    [
        *["never", "Never", "jamais", "nie", "niemals", "nunca", "jamás"],  # changed never
        *["2024.03.01", "2024/03/01", "1 March 2024", "3 mars 2024", "1er mars 2024", "March 1, 2024", "Mar 1, 2024"],
        *["1. März 2024", "3 de marzo de 2024", "12 décembre 2023", "1 Sept. 2024"],  # dates with a month's name
    ],
)
def test_a_never_or_a_date_with_a_month_s_name_under_password_changed_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """Under ``Password changed on`` or ``Mot de passe modifié le``, a "never" (English, French, German, Spanish) and
    a date written with dots or a month's name say when it changed and pass; was: flagged as a secret. A date of
    birth typed as a password (``19051985``) is still flagged."""
    export = tmp_path / "list.csv"
    export.write_text(f"Email;Mot de passe modifié le\nann@gmail.com;{value}\nluc@free.fr;19051985\n", encoding="utf-8")
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1 and [line.split(" ")[0] for line in lines] == [f"{export}:3"], lines
    assert "19051985" not in "\n".join(lines), lines


@pytest.mark.parametrize(
    "header", ["user_pass", "password_hash", "passcode", "Password1", "pass_word", "mdp_hash", "userPassword", "PWD2"]
)
def test_a_column_named_as_a_password_in_a_database_s_shape_is_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str
) -> None:
    """A column's name naming a password in a database's or a program's shape (WordPress's ``user_pass``,
    ``password_hash``, ``Password1``, ``pass_word``) is a column of passwords; was: its values passed unseen."""
    export = tmp_path / "list.csv"
    export.write_text(f"Email,{header},Nom\nann@gmail.com,Zx9secret,Ann\nluc@free.fr,,Luc\n", encoding="utf-8")
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1 and lines[0].startswith(f"{export}:2 ann@gmail.com: it holds what"), lines
    assert "Zx9secret" not in "\n".join(lines), lines


@pytest.mark.parametrize("header", ["has_password", "is_password_set", "Passport", "Code postal", "Passage"])
def test_a_column_naming_no_password_is_read_as_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str
) -> None:
    """``has_password`` is a column of yes and no; a passport, a postcode or a passage name none."""
    export = tmp_path / "list.csv"
    export.write_text(f"Email,{header}\nann@gmail.com,1\nluc@free.fr,Abc123x\n", encoding="utf-8")
    code, lines, _ = _audit(capsys, str(export))
    assert (code, lines) == (0, []), lines


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("jean@gmial.com:Azerty123", "Azerty123"),
        ("marie@example.org:Sonne2024x", "Sonne2024x"),
        ("luc@example.org|Velo2024x", "Velo2024x"),
        ("jean@example.org:$2y$10$abcdefghijklmnopqrstuv0123456789ABCDEFGHIJKLMNOPQRS", "abcdefghijklmnopq"),
        ("ann@example.org;$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo", "c2FsdHNhbHQ"),
        ("bob@example.org,{SSHA}c2VjcmV0c2VjcmV0c2FsdA==", "c2VjcmV0c2VjcmV0"),
        ("bob@example.org\t$6$rounds=5000$saltsalt$Zm9vYmFyYmF6cXV4", "Zm9vYmFyYmF6"),
        ("email zoe@example.org:Azerty123", "Azerty123"),
        ("kim@example.org:123456", "123456"),  # digits alone, more than a port's five
        ("kim@example.org:00000000", "00000000"),
        ("ann@example.org:Mars2024", "Mars2024"),  # a month's name and digits, no month's shape
        ("ann@example.org:1234-12", "1234-12"),
    ],
)
def test_an_address_and_its_password_as_a_combo_line_is_a_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, secret: str
) -> None:
    """A credential dump's line, ``address:password`` (or ``address|password``, or a password hash after any
    delimiter: bcrypt ``$2y$``, ``$argon2``, crypt's ``$6$``, LDAP's ``{SSHA}``), holds a secret: flagged, never
    shown; was: printed whole as a malformed address."""
    export = tmp_path / "list.txt"
    export.write_text(f"marie@gmail.com\n{line}\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert "list.txt:2 the line (not shown: it may hold a secret): it holds " in lines[0], lines
    assert "change that password wherever it is used" in lines[0], lines
    assert secret not in lines[0] + err, lines


@pytest.mark.parametrize("line", ["luc@example.org|Luc Martin", "luc@example.org|Luc|Martin"])
def test_a_pipe_separated_export_s_name_is_no_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str
) -> None:
    """A name after a pipe is a pipe-separated export's column, no password: its line is shown."""
    export = tmp_path / "list.txt"
    export.write_text(f"{line}\n", encoding="utf-8")
    _, lines, _ = _audit(capsys, str(export))
    assert lines and all("not shown" not in found for found in lines), lines


@pytest.mark.parametrize(
    "attribute",
    [
        "<password>Velo2024x</password>",
        "<mdp_hash>Velo2024x</mdp_hash>",
        '<custom_attribute id="password"><value>Velo2024x</value></custom_attribute>',
    ],
)
def test_a_sympa_dump_s_custom_attribute_holding_a_password_is_a_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], attribute: str
) -> None:
    """Sympa's custom attributes (``custom_attribute <custom_attributes><password>...``, XML) may hold a password:
    its line is flagged, never shown; was: passed. Another attribute (``<ville>``) is none."""
    export = tmp_path / "member.dump"
    export.write_text(
        f"email ann@gmail.com\ngecos Ann\ncustom_attribute <custom_attributes>{attribute}"
        "<ville>Lyon</ville></custom_attributes>\n\nemail luc@free.fr\n"
        "custom_attribute <custom_attributes><ville>Lyon</ville></custom_attributes>\n",
        encoding="utf-8",
    )
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1 and "member.dump:3 the line (not shown" in lines[0], (lines, err)
    assert "Velo2024x" not in lines[0] + err


def test_the_password_columns_of_few_files_are_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The password columns are remembered for the files read last only: auditing many exports in one process kept
    every one's lines alive, the oldest never dropped."""
    files = []
    for i in range(3 * lists_audit._PASSWORD_COLUMNS_KEPT):
        export = tmp_path / f"list{i}.csv"
        export.write_text(f"Email;Mot de passe\nann{i}@gmail.com;Zx9secret{i}\n", encoding="utf-8")
        files.append(str(export))
    code, lines, _ = _audit(capsys, *files)
    assert code == 1 and len(lines) == len(files), lines  # each file's password found, none shown
    assert not any("Zx9secret" in line for line in lines), lines
    assert len(lists_audit._PASSWORD_COLUMNS) <= lists_audit._PASSWORD_COLUMNS_KEPT, len(lists_audit._PASSWORD_COLUMNS)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_header_whose_quote_is_not_closed_is_said_and_its_rows_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], delimiter: str
) -> None:
    """A header row opening a quote it never closes made the whole file its one cell: no address read, the export
    told it held none ("empty, or a header row alone"), its passwords unseen, exit 0. The header is a line to fix,
    its columns read without the quote, and its rows as rows."""
    export = tmp_path / "list.csv"
    rows = [f'"Nom{delimiter}email{delimiter}Mot de passe', f"Ann{delimiter}ann@gmial.com{delimiter}soleil"]
    export.write_text("\n".join([*rows, f"Luc{delimiter}luc@free.fr{delimiter}Jean", ""]), encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, (lines, err)
    assert lines[0] == f"{export}:1 (no address): {lists_audit.HEADER_QUOTE_RUNS_ON}", lines
    assert any(line.startswith(f"{export}:2 ann@gmial.com: misspelled domain") for line in lines), lines
    held = [line.split(" ")[0] for line in lines if "reads as a password" in line]
    assert held == [f"{export}:2", f"{export}:3"], lines
    assert "holds no address" not in err and "soleil" not in "\n".join(lines) and "Jean" not in "\n".join(lines)


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("max@example.org Max m\u00addp: Azerty123 ;", "Azerty123"),
        ("max@example.org;Max;Pass\u200cwort;Sonne2024x", "Sonne2024x"),
        ("zoe@gmial.com Passwort\u200c: Sonne2024x", "Sonne2024x"),
        ("luc@gmial.com סיסמה\u200f: Velo2024x", "Velo2024x"),
        ("luc@example.org;Sonne2024x;Pass\u200bwort", "Sonne2024x"),
        ("luc@gmial.com mailto:luc@gmial.com?subject=pwd%3DAzerty123", "Azerty123"),
    ],
)
def test_a_secret_whose_label_holds_invisible_characters_is_flagged_not_shown(
    line: str, secret: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A label holding characters that print as nothing (a soft hyphen, a zero width non-joiner, a right-to-left
    mark), or percent-encoded in a URL, is read as the label it shows: the line is flagged, not shown (was: shown whole,
    or not flagged)."""
    export = tmp_path / "export.txt"
    export.write_text(f"{line}\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    shown = "\n".join(lines) + err
    assert code == 1, shown
    # (a line whose address is flagged too is told once, as the address's flag: not shown either)
    hidden = f"{export}:1 the line (not shown: it may hold a secret): "
    assert [line for line in lines if line.startswith(hidden)], shown
    assert secret not in shown, shown


def test_an_address_with_a_port_a_path_or_a_repository_in_a_note_is_no_combo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An address then a colon inside a note (a server's port, a path, a repository, an XMPP address) is no
    credential dump's line: the export passes (it was flagged at each row as holding a password, exit 1)."""
    export = tmp_path / "notes.csv"
    export.write_text(
        "Email,Nom,Notes\n"
        'marie@example.org,Marie,"Accès SFTP : marie@sftp.example.org:22"\n'
        'jean@example.org,Jean,"sauvegarde via scp backup@nas.example.org:/volume1/asso"\n'
        'odile@example.org,Odile,"Git : git@github.com:amis-du-rhone/site.git"\n'
        'luc@example.org,Luc,"XMPP luc@jabber.example.org:5222 ; Matrix @luc:matrix.org"\n',
        encoding="utf-8",
    )
    code, lines, err = _audit(capsys, str(export))
    assert (code, lines) == (0, []), (lines, err)


@pytest.mark.parametrize(
    "line",
    [
        "x@example.org:25",
        "marie.dupont@example.org:Marie Dupont",
        "anne@example.org:2024-03-01",
        "anne@example.org:10:30",
        "jean@example.org:/home/jean",
        "marie@example.org|ADH-2024-017|Marie Dupont",
        "jean@example.org|2024-03-01T10:00:00Z|mail",
        "kim@example.org|123e4567-e89b-12d3-a456-426614174000",
        "paul@example.org|2024-03-01",
        # a yes or no, a language, a month, an address literal (RFC 5321 §4.1.3): nothing a password is shaped as
        *["x@example.org:yes", "x@example.org:non", "x@example.org:TRUE", "x@example.org:fr", "x@example.org:fr-FR"],
        *["x@example.org:pt_BR", "x@example.org:2024-03", "x@example.org:03/2024", "x@example.org:mars"],
        *["x@example.org:[2001:db8::1]", "x@example.org:[IPv6:2001:db8::1]", "x@example.org:[192.0.2.1]"],
    ],
)
def test_a_malformed_line_that_is_no_combo_is_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str
) -> None:
    """A port, two words, a date, a time, a path after the colon, or more fields than an address and its password,
    a date or a UUID after the pipe: no credential dump's line, shown as the malformed line it is (it was said to
    hold a password to change)."""
    export = tmp_path / "list.txt"
    export.write_text(f"{line}\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and lines, (lines, err)
    assert all("not shown" not in found and "change that password" not in found for found in lines), lines


@pytest.mark.parametrize("value", ["changed to Velo2024", "Envoyé : Azerty123", "reset Soleil2024!", "set Azerty123"])
def test_a_password_after_a_status_word_is_a_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """A status then a password (``Envoyé : Azerty123``, French writing a space before its colon) is one: only a
    status then words without a digit or a date (``Envoyé par SMS``, ``changed on 2024-03-01``) passes."""
    export = tmp_path / "list.csv"
    export.write_text(f"Email,Nom,Password\njean@example.org,Jean,{value}\n", encoding="utf-8")
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1 and "it holds what" in lines[0], lines
    assert value.rsplit(maxsplit=1)[-1] not in lines[0], lines


def test_a_long_line_of_dots_after_an_address_is_read_in_a_time_of_its_length(tmp_path: Path) -> None:
    """A domain of many labels was matched with a run that could hold dots too, backtracking at each: 60 KB of
    ``x@a.a.a...`` took 79 s (a time in the square of the length). Four times the line takes about four times as
    long (the least of three runs each, CPU time; sixteen times in the square)."""

    def least(labels: int) -> float:
        export = tmp_path / f"{labels}.txt"
        export.write_text("x@" + "a." * labels + "b: z\n", encoding="utf-8")
        times = []
        for _ in range(3):
            start = time.process_time()
            entries = lists_audit.read_export(export)
            lists_audit.audit(entries, {}, lists_audit.load_providers())
            times.append(time.process_time() - start)
        return min(times)

    small, large = least(2_500), least(10_000)
    assert large < 9 * small, f"5 KB: {small:.3f} s, 20 KB: {large:.3f} s"


def test_a_header_cell_holding_a_line_break_is_no_unclosed_quote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A spreadsheet writes a header cell holding a line break between quotes (RFC 4180 §2.6): the quote closes on
    the next line, the header is read whole (it was told its quote was not closed, its second line read as a row)."""
    export = tmp_path / "list.csv"
    export.write_text(
        'Nom,Email,"Date\nd\'adhésion"\nJean,jean@example.org,2024-01-01\nAnn,ann@example.org,2024-02-01\n',
        encoding="utf-8",
    )
    code, lines, err = _audit(capsys, str(export))
    assert (code, lines) == (0, []), (lines, err)
    assert "2 address(es)" in err, err


@pytest.mark.parametrize(
    "header",
    [
        *["Pass'Sport", "Type de pass", "Pass_Navigo", "Date pass", "PassMark", "EasyPass", "pass_count"],
        *["Pass Navigo", "Pass culture"],  # a secret's label before another word, as label_alone reads them
        *["badPwdCount", "pwdLastSet", "password_length", "password_strength", "PasswordLastSet", "Password Hint"],
    ],
)
def test_a_column_telling_of_a_season_ticket_or_a_fact_about_a_password_is_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str
) -> None:
    """A pass is also a season ticket (Pass'Sport, Pass_Navigo), and a column may tell a fact about a password (its
    length, when it was last set, a hint): no column of passwords, its values not flagged (each row was)."""
    export = tmp_path / "list.csv"
    export.write_text(f"Email,Nom,{header}\njean@example.org,Jean,12\nann@example.org,Ann,strong\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert (code, lines) == (0, []), (lines, err)


@pytest.mark.parametrize("header", ["ftp_pass", "pass_hash", "user_pass", "wp_pass", "old_pw"])
def test_a_pass_beside_whose_it_is_names_a_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str
) -> None:
    export = tmp_path / "list.csv"
    export.write_text(f"Email,Nom,{header}\njean@example.org,Jean,Zx9secret\n", encoding="utf-8")
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1 and "Zx9secret" not in lines[0], lines


# An address and a secret-shaped value around it, as a credential dump or a hand-made list writes them: the
# secret (the second item) is never printed, in any letter case, wherever the line stands.
_ADDRESS_AND_SECRET = [
    ("cat@example.org:Azerty123 # note", "Azerty123"),
    ("<jean@example.org>:Azerty123", "Azerty123"),
    ('"jean@example.org":Azerty123', "Azerty123"),
    ("'jean@example.org'|Velo2024x", "Velo2024x"),
    ("mailto:jean@example.org:Azerty123", "Azerty123"),
    ("gus@example.org,Azerty123", "Azerty123"),
    ("dan@example.org;Azerty123", "Azerty123"),
    ("bob@example.org|p@ss", "p@ss"),
    ("cat@example.org:Azerty 123", "Azerty"),
    ("dan@example.org : Azerty123", "Azerty123"),
    ("dan@example.org\tAzerty123", "Azerty123"),
    ("jean@example.org | Velo2024x", "Velo2024x"),
    ("cat@example.org,Mötdepässe1", "Mötdepässe1"),
    ("cat@example.org:Mötdepässe1 # vu le 3 mars", "Mötdepässe1"),
    ("cat@example.org:密码abc123", "密码abc123"),
    ("jean@gmial.com,Azerty123", "Azerty123"),
    ("Jean Dupont <jean@example.org>:Azerty123", "Azerty123"),
    ("jean@example.org:Azerty 123 456", "Azerty"),
    ("jean@example.org|Velo2024x|Jean", "Velo2024x"),
    ("jean@example:Azerty-123", "Azerty-123"),
    ("email jean@example.org Azerty123", "Azerty123"),
    ('jean@example.org"Azerty123', "Azerty123"),
    ("<jean@example.org>Azerty123", "Azerty123"),
    ("Azerty123", "Azerty123"),
    ("jean.dupont;Velo2024x", "Velo2024x"),
    ("a3@free.fr/Lilas03", "Lilas03"),
    ("a19@free.fr~Azerty19x", "Azerty19x"),
    ("a34@free.fr_Azerty34x", "Azerty34x"),
    ("a32@free.fr..Azerty32x", "Azerty32x"),
    ("jean@example.org:/Azerty123", "Azerty123"),
]


@pytest.mark.parametrize("before", ["", "ann@example.org\nbob@example.org\n"], ids=["alone", "in-a-list"])
@pytest.mark.parametrize(("line", "secret"), _ADDRESS_AND_SECRET)
def test_an_address_and_a_secret_around_it_is_flagged_the_secret_never_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], before: str, line: str, secret: str
) -> None:
    """A line holding an address and a secret-shaped value around it (after a colon, a pipe, a comma, a semicolon, a
    tab, spaces around the separator, the address in quotes or angle brackets, a comment after it, a password of
    letters outside ASCII) is flagged, the value never printed, and the password to change said; was: printed inside
    a "malformed address" message (whole, half of it, or lowercased as a "top-level domain" once mended), or not
    flagged at all (exit 0)."""
    export = tmp_path / "list.txt"
    export.write_text(f"{before}{line}\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    shown = "\n".join(lines) + "\n" + err
    assert code == 1, shown
    assert secret.casefold() not in shown.casefold(), shown
    assert "change that password" in shown, shown


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("a4@free.fr Azerty123", "Azerty123"),
        ("marie@orange.fr Soleil2024!", "Soleil2024!"),
        ("luc@laposte.net / Chaton77", "Chaton77"),
        ("lea@orange.fr => Rennes35!", "Rennes35!"),
        ("a14@free.fr / Azerty14x", "Azerty14x"),
        ("a0@free.fr - Azerty00x", "Azerty00x"),
        ("a31@free.fr. Azerty31x", "Azerty31x"),
        ("anne@gmail.com\tTulipe88", "Tulipe88"),
        ("jean@free.fr (Velo2024x)", "Velo2024x"),
        ("jean@free.fr # Chaton77!", "Chaton77!"),
        ("a3@free.fr #Azerty03x", "Azerty03x"),
    ],
)
def test_a_password_after_an_address_and_a_space_is_flagged_unseen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, secret: str
) -> None:
    """A password alone after an address and a space, an arrow, a slash or a dash, with no label (read as a name
    of the web interface's dump), is flagged as one and not shown, as after ``,``, ``:`` or ``|``; was: exit 0."""
    export = tmp_path / "list.txt"
    export.write_text(f"ann@example.org Ann\n{line}\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    shown = "\n".join(lines) + "\n" + err
    assert code == 1 and len(lines) == 1 and "list.txt:2 " in lines[0], shown
    assert secret.casefold() not in shown.casefold() and "change that password" in lines[0], shown


@pytest.mark.parametrize(
    "name",
    [
        "Marie Dupont",
        "Jean-Pierre",
        "O'Brien",
        "Zoé",
        "(Trésorière)",
        "ADH-2024-017",
        "SAM-ASSO-75",
        "fr-FR",
        "75001",
        "J.",
    ],
)
def test_a_name_after_an_address_and_a_space_is_no_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """A name (letters alone, a hyphen, an apostrophe), a member's reference, a language or a postcode after an
    address and a space is not taken for a password."""
    export = tmp_path / "list.txt"
    export.write_text(f"ann@example.org Ann\nmarie@example.org {name}\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert (code, lines) == (0, []), (lines, err)


_GOOGLE_ONE = (
    "Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value\n"
    "Marie Dupont,Marie,Dupont,* Home,marie.dupont@orange.fr\n"
    "Jean Martin,Jean,Martin,Home,jean.martin@free.fr\n"
    "Zoé Petit,Zoé,Petit,Work,zoe.petit@gmail.com\n"
)
_GOOGLE_NEW = (
    "First Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value\n"
    "Marie,Dupont,* myContacts,Home,marie.dupont@orange.fr,,\n"
    "Jean,Martin,* myContacts,* Work,jean.martin@free.fr,Other,jmartin@velo-cite.org\n"
    "Zoé,Petit,* myContacts ::: Adhérents,* Other,zoe.petit@gmail.com ::: zoe@velo-cite.org,,\n"
)
_OUTLOOK = (
    "First Name,Last Name,E-mail Display Name,E-mail Address,E-mail 2 Address\n"
    "Marie,Dupont,Marie Dupont,marie.dupont@orange.fr,\n"
    "Jean,Martin,Jean (Bureau),jean.martin@free.fr,jmartin@velo-cite.org\n"
)


@pytest.mark.parametrize(
    ("text", "count"), [(_GOOGLE_ONE, 3), (_GOOGLE_NEW, 5), (_OUTLOOK, 3)], ids=["google", "google-new", "outlook"]
)
def test_a_contacts_export_is_read_in_its_column_of_addresses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, count: int
) -> None:
    """Google Contacts' and Outlook's exports: a column named as one of addresses whose cells hold no ``@`` in any
    row (``E-mail 1 - Type``: ``* Home``, ``E-mail Display Name``) beside one that does is not read as one, and
    Google's ``:::`` between addresses of one cell parts them; was: ``* Home`` read as an address (masked as a
    password), 6 addresses for 3 contacts, and ``a ::: b`` a malformed address."""
    export = tmp_path / "contacts.csv"
    export.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert (code, lines) == (0, []), (lines, err)
    assert f"{count} address(es) in 1 file(s)" in err, err


def test_each_address_of_a_google_cell_is_audited(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each address of a cell holding several apart by Google's ``:::`` is audited on its own."""
    export = tmp_path / "contacts.csv"
    export.write_text(_GOOGLE_NEW.replace("zoe@velo-cite.org", "zoe@gmial.com"), encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert "contacts.csv:4 zoe@gmial.com: " in lines[0] and "zoe@gmail.com" in lines[0], lines


def test_a_comment_line_among_a_csv_s_rows_is_no_subscriber(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A ``#`` comment line among a CSV's rows is skipped as one before the header is; was: a row whose cell of
    addresses is empty ("(no address)")."""
    export = tmp_path / "list.csv"
    export.write_text("Nom,Prénom,Email\nDupont,Marie,marie@orange.fr\n# --- bureau ---\nMartin,Jean,jean@free.fr\n")
    code, lines, err = _audit(capsys, str(export))
    assert (code, lines) == (0, []), (lines, err)
    assert "2 address(es) in 1 file(s)" in err, err


def test_a_row_opening_with_a_hash_and_holding_an_address_is_a_subscriber(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row whose first cell opens with ``#`` (a member's number) and whose cell of addresses holds one is read."""
    export = tmp_path / "list.csv"
    export.write_text("Num,Nom,Email\n#12,Dupont,marie@gmial.com\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1 and "list.csv:2 marie@gmial.com: " in lines[0], (lines, err)


def test_a_secret_in_a_comment_line_among_a_csv_s_rows_is_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ``#`` comment line among a CSV's rows is read for a secret all the same, told to change that password."""
    export = tmp_path / "list.csv"
    export.write_text("Nom,Prénom,Email\nDupont,Marie,marie@orange.fr\n# compte: admin@velo-cite.org / Breizh29!\n")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1 and "list.csv:3 " in lines[0], (lines, err)
    assert "Breizh29" not in lines[0] + err and "change that password" in lines[0], lines
    assert "no address" not in lines[0], lines


def test_a_pass_column_of_known_membership_types_is_no_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A column named ``Pass`` alone whose values are each a membership's or a ticket's term (``Annuel``,
    ``Mensuel``, ``Adulte``), none repeated, is no column of passwords either."""
    export = tmp_path / "list.csv"
    export.write_text(
        '"Courriel";"Pass"\n"marie@orange.fr";"Annuel"\n"jean@free.fr";"Mensuel"\n"zoe@free.fr";"Étudiant"\n',
        encoding="utf-8",
    )
    code, lines, err = _audit(capsys, str(export))
    assert (code, lines) == (0, []), (lines, err)


def test_a_pass_column_of_membership_types_is_no_password(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A column named ``Pass`` alone whose values are words of letters alone, repeated across its rows (a category:
    a membership's type), is no column of passwords; was: every row flagged as holding one."""
    export = tmp_path / "list.csv"
    export.write_text(
        "Email,Nom,Pass\nzoe@free.fr,Zoé,Annuel\nluc@free.fr,Luc,Mensuel\nmarie@free.fr,Marie,Annuel\n",
        encoding="utf-8",
    )
    code, lines, err = _audit(capsys, str(export))
    assert (code, lines) == (0, []), (lines, err)


@pytest.mark.parametrize(
    "values", [("Azerty12", "Azerty12", "Soleil99"), ("soleil", "chaton", "tulipe"), ("Annuel", "Annuel", "Kiwi42")]
)
def test_a_pass_column_of_passwords_is_still_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], values: tuple[str, str, str]
) -> None:
    """A column named ``Pass`` holding a password's shape, or words of letters alone none repeated, is read as
    passwords: each row is flagged, none shown."""
    export = tmp_path / "list.csv"
    rows = "".join(f"{name}@free.fr,{value}\n" for name, value in zip(("zoe", "luc", "ann"), values, strict=True))
    export.write_text(f"Email,Pass\n{rows}", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 3, (lines, err)
    assert not any(value in "\n".join(lines) + err for value in values), lines


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("list.txt", "ann@example.org\n# mdp admin de la liste : Lilas2024\n", "a comment holds"),
        ("list.csv", "Email;Nom;Mot de passe\nmarie@orange.fr;Marie;soleil\n", "in a column named as one"),
        (
            "list.dump",
            "email marie@orange.fr\ngecos Marie\ncustom_attribute <custom_attributes><custom_attribute "
            'id="motdepasse"><value>Lilas2024</value></custom_attribute></custom_attributes>\n',
            "a custom attribute named as a password",
        ),
    ],
    ids=["comment", "column", "custom-attribute"],
)
def test_a_secret_s_flag_says_where_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, said: str
) -> None:
    """A secret's flag says where the secret is (a comment, a column named as a password, a custom attribute) and
    where to remove it from; was: always "from the subscriber's name in Sympa", and "(the address is not at fault)"
    on a line holding no address."""
    export = tmp_path / name
    export.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert said in lines[0] and "change that password" in lines[0], lines
    assert "subscriber's name" not in lines[0], lines
    assert ("not at fault" in lines[0]) == (name == "list.csv"), lines
    assert "Lilas" not in lines[0] and "soleil" not in lines[0], lines


@pytest.mark.parametrize(
    ("text", "column", "name"),
    [
        ("Email;Nom;Commentaire\nmarie@orange.fr;Marie;mdp : Lilas2024!\n", "Commentaire", False),
        ('email,gecos,notes\nmarie@orange.fr,Marie,"ancien mdp: Lilas2024!"\n', "notes", False),
        ("Email;Nom;Commentaire\nmarie@orange.fr;Marie mdp : Lilas2024!;adhérente\n", "Nom", True),
        ("email,gecos\nmarie@orange.fr,Marie (mdp: Lilas2024!)\n", "gecos", True),
        ("Email\tNom complet\tRemarque\nmarie@orange.fr\tMarie\tmot de passe : Lilas2024!\n", "Remarque", False),
    ],
)
def test_a_secret_in_a_csv_column_is_told_with_that_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, column: str, name: bool
) -> None:
    """A secret in a CSV's column is told with the column's name, and to be removed from the subscriber's name in
    Sympa only when that column is the name (gecos); was: always "from the subscriber's name in Sympa", a note's
    column too."""
    export = tmp_path / "list.csv"
    export.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert f'in its column "{column}"' in lines[0] and "change that password" in lines[0], lines
    assert ("subscriber's name in Sympa" in lines[0]) == name, lines
    assert "not at fault" in lines[0] and "Lilas" not in lines[0] + err, lines


@pytest.mark.parametrize(
    ("text", "columns", "name"),
    [
        ("email,Note,gecos\nmarie@orange.fr,mdp Lilas2024!,Marie (mdp: Velo2024x)\n", '"Note" and "gecos"', True),
        (
            "email;Note;Remarque\nmarie@orange.fr;mdp Lilas2024!;mot de passe : Velo2024x\n",
            '"Note" and "Remarque"',
            False,
        ),
    ],
)
def test_a_secret_in_several_csv_columns_is_told_with_each_of_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, columns: str, name: bool
) -> None:
    """A row holding a secret in two columns names both, and the subscriber's name in Sympa when one of them is the
    name; was: only the first column was named, and the name was never spoken of when a note's column came first."""
    export = tmp_path / "list.csv"
    export.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert f"in its columns {columns}" in lines[0] and "change that password" in lines[0], lines
    assert ("subscriber's name in Sympa" in lines[0]) == name, lines
    assert "Lilas" not in lines[0] + err and "Velo" not in lines[0] + err, lines


@pytest.mark.parametrize(("line", "meant"), [("<luc@free.fr> Chaton77!", None), ("<jean@free.fr>", "jean@free.fr")])
@pytest.mark.parametrize("suffix", ["txt", "csv"])
def test_an_address_in_angle_brackets_alone_speaks_of_no_display_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, meant: str | None, suffix: str
) -> None:
    """An address in angle brackets with no name before it is told of its brackets, not of a display name, and a
    password after it is not shown (never ``[0 characters not shown]``)."""
    export = tmp_path / f"list.{suffix}"
    cell = f'"{line}",Luc' if suffix == "csv" else line
    export.write_text(f"{'Email,Nom' + chr(10) if suffix == 'csv' else ''}{cell}\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert "display name" not in lines[0] and "[0 characters" not in lines[0] and "Chaton" not in lines[0], lines
    assert "angle brackets" in lines[0].casefold() or "not shown" in lines[0], lines
    if meant is not None:
        assert lines[0].endswith(f"suggested: {meant}"), lines


@pytest.mark.parametrize(
    ("cell", "secret"),
    [
        ("a1@free.fr / Lilas01", "Lilas01"),
        ("a2@free.fr / Azerty123", "Azerty123"),
        ("a3@free.fr/Lilas03", "Lilas03"),
        ("a19@free.fr~Azerty19x", "Azerty19x"),
        ("a34@free.fr_Azerty34x", "Azerty34x"),
        ("a32@free.fr..Azerty32x", "Azerty32x"),
        ("a3@free.fr #Azerty03x", "Azerty03x"),
    ],
)
def test_a_password_after_the_address_in_its_cell_is_masked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str, secret: str
) -> None:
    """A password after the address in a CSV's cell of addresses, after a slash (no path: one word holding a digit or
    a sign, no further slash), a tilde, an underscore or two dots, is masked and said to be one; was: printed whole,
    or lowercased in the reason (``unknown top-level domain .azerty32x``)."""
    export = tmp_path / "list.csv"
    export.write_text(f'Email,Nom\nann@example.org,Ann\n"{cell}",Marie\n', encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    shown = "\n".join(lines) + "\n" + err
    assert code == 1 and len(lines) == 1, shown
    assert secret.casefold() not in shown.casefold(), shown
    assert "not shown" in lines[0] and "password" in lines[0] and "change that password" in lines[0], shown


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("jean@@example.org", "jean@@example.org: malformed address"),
        ("jean@example", "jean@example: malformed address"),
        ("jean@example.org.", "jean@example.org.: malformed address"),
        ("anne@gmail,com Anne", "anne@gmail,com: malformed address"),
        ("jean@orange.co,uk", "jean@orange.co,uk: "),
        ("Zoé Martin <zoe@velo-cite.org>", "Zoé Martin <zoe@velo-cite.org>: malformed address"),
        ("jean@example.org|Luc|Martin", "jean@example.org|Luc|Martin: malformed address"),
        ("jean@example.org;75001;06 12 34 56 78", "jean@example.org;75001;06: malformed address"),
        ("jean.dupont(at)gmail.com", "jean.dupont(at)gmail.com: malformed address"),
        ("mailto:zoe@velo-cite.org?subject=Adh%C3%A9sion", "mailto:zoe@velo-cite.org?subject=Adh%C3%A9sion: "),
        ("jean@example.org:/volume1/asso", "jean@example.org:/volume1/asso: "),
        ("jean@example.org:~marie/", "jean@example.org:~marie/: "),
    ],
)
def test_a_malformed_address_without_a_secret_around_it_is_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, expected: str
) -> None:
    """A malformed address holding no secret-shaped value around it is shown as written, with no password to
    change."""
    export = tmp_path / "list.txt"
    export.write_text(f"ann@example.org\n{line}\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert f"list.txt:2 {expected}" in lines[0], lines
    assert "not shown" not in lines[0] and "change that password" not in lines[0], lines


def test_a_password_cell_longer_than_the_csv_module_reads_is_flagged_not_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cell under a column named as a password longer than the csv module reads by default (131,072 characters)
    is read all the same: its row is flagged, the value not shown; was: not read, exit 0."""
    export = tmp_path / "list.csv"
    secret = "Zx9" + "k" * 140_000
    export.write_text(f"Email;Mot de passe\njean@example.org;{secret}\nluc@example.org;\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and [line.split(" ")[0] for line in lines] == [f"{export}:2"], (lines, err[:300])
    assert "Zx9k" not in "\n".join(lines) + err and "reads as a password" in lines[0], lines


def test_a_password_beside_a_misspelled_address_is_not_said_to_leave_the_address_without_fault(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row whose address is misspelled and which holds a password is flagged for both, and the password's flag no
    longer says that "the address is not at fault" after the address's flag said it was."""
    export = tmp_path / "list.csv"
    export.write_text("Email;Mot de passe\njean@gmial.com;Azerty123\nluc@example.org;Velo2024x\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, (lines, err)
    jean = [line for line in lines if ":2 " in line]
    assert any("misspelled domain" in line for line in jean), lines
    assert any("reads as a password" in line for line in jean), lines
    assert not any("not at fault" in line for line in jean), lines
    luc = [line for line in lines if ":3 " in line]
    assert len(luc) == 1 and "(the address is not at fault)" in luc[0], lines
    assert "zerty" not in "\n".join(lines) and "Velo2024x" not in "\n".join(lines)


def test_what_stands_around_an_address_is_masked_in_a_time_of_its_length() -> None:
    """The text around an address is read for a secret (lists_audit.around_address, lists_audit._combo) in a time
    linear in the line's length: four times the line takes about four times as long (the least of three runs each,
    CPU time; sixteen times in the square)."""

    def least(n: int) -> float:
        lines = [
            "x@example.org:" + "a1 " * n,
            "Jean " * n + "<x@example.org>:" + "1" * n,
            "a" * (3 * n) + "@" + "b" * (3 * n) + "|" + "c1," * n,
            "x@" + "._" * (3 * n) + "Azerty1" * n,
        ]
        times = []
        for _ in range(3):
            start = time.process_time()
            for line in lines:
                lists_audit.around_address(line, line)
                lists_audit._combo(line)
            times.append(time.process_time() - start)
        return min(times)

    small, large = least(5_000), least(20_000)
    assert large < 9 * small, f"small: {small:.4f} s, large: {large:.4f} s"


@pytest.mark.parametrize(
    "header",
    [
        *["token", "api_key", "Access Token", "secret", "otp_secret", "client_secret", "API Key", "private_key"],
        *["Pasword", "passwrod", "adminPwd", "refresh_token"],  # a slip of password, a short word last
        *["Пароль", "密码", "Hasło", "סיסמה", "كلمة المرور"],  # a password in other scripts: no ASCII word, or has
    ],
)
def test_a_column_named_for_a_secret_as_pic_check_reads_a_key_is_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str
) -> None:
    """A column named as ``pic check`` names a secret's key (pic.yamlsrc.secret_name: a token, an API key, a
    secret, a slip of password) holds secrets: its values are flagged, never shown (they passed: the column's name
    was read with word lists of its own, which named passwords only)."""
    export = tmp_path / "list.csv"
    export.write_text(f"Email,Nom,{header}\njean@example.org,Jean,Zx9secret\nann@example.org,Ann,\n", encoding="utf-8")
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1 and lines[0].startswith(f"{export}:2 jean@example.org: it holds what"), lines
    assert "Zx9secret" not in "\n".join(lines), lines


@pytest.mark.parametrize(
    "header",
    [
        *["Pass Navigo", "Pass culture", "Pass'Sport", "Navigo Pass", "Museum Pass", "Date pass"],  # season tickets
        *["password_length", "pwdLastSet", "badPwdCount", "Password Hint", "token_count"],  # facts about a secret
        *["Secret hint", "Secret question"],
        *["has_password", "is_token_set", "has_api_key", "with_secret"],  # a yes or no
        *["Secretary", "Secrétariat", "secretariat_contact", "Secrétaire"],  # an office, no secret
    ],
)
def test_a_column_of_no_secret_is_read_as_none_whatever_names_a_secret_in_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str
) -> None:
    """A season ticket, a fact about a secret, a yes or no, an association's secretary name no secret, though their
    name holds a word of one (pass, password, token, secret): the rows pass."""
    export = tmp_path / "list.csv"
    export.write_text(
        f"Email,Nom,{header}\njean@example.org,Jean,12\nann@example.org,Ann,Jean Dupont\n", encoding="utf-8"
    )
    code, lines, err = _audit(capsys, str(export))
    assert (code, lines) == (0, []), (lines, err)


@pytest.mark.parametrize(
    "name",
    [
        *["token", "api_key", "Access Token", "otp_secret", "Pasword", "Mot de passe", "user_pass", "Kennwort"],
        *SECRET_KEYS,  # pic's own secrets' keys (dbAdminPassword, sshPrivateKey, backupS3SecretAccessKey...)
        *OPTIONAL_SECRET_KEYS,
    ],
)
def test_a_secret_s_key_name_is_a_column_of_secrets_and_a_column_name_a_key_s(name: str) -> None:
    """One rule names a secret, read the same in a stack file's keys and an export's columns: every name
    pic.yamlsrc.secret_name reads as a secret's that is no fact, yes or no nor season ticket is a column of secrets;
    and a column of passwords under a name it does not read (Kennwort, Passord, user_pass) is one all the same."""
    from pic.yamlsrc import secret_name

    assert lists_audit.names_a_password(name), name
    assert secret_name(name) or name in ("Kennwort", "user_pass"), name


@pytest.mark.parametrize(
    "value",
    [
        *["en avant les bleus", "in vino veritas", "à la folie", "par amour", "non stop", "voir naples et mourir"],
        *["see you later", "via ferrata", "by the sea", "dans la lune", "en passant", "not today"],
    ],
)
def test_a_passphrase_opening_with_a_preposition_is_a_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """Words opening with en, in, à, non, par, voir are a passphrase unless each of the others says where the password
    is kept, how it was sent or its state (``par mail``, ``voir coffre``, ``en cours``, ``non envoyé``, ``in
    Bitwarden``): ``en avant les bleus`` passed as such a statement."""
    export = tmp_path / "list.csv"
    export.write_text(f"Email,Nom,Password\njean@example.org,Jean,{value}\n", encoding="utf-8")
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1 and "it holds what" in lines[0], lines
    assert value.rsplit(maxsplit=1)[-1] not in lines[0], lines


@pytest.mark.parametrize("name", ["Password", "Mot de passe", "token"])
@pytest.mark.parametrize("addresses", ["email", "Nom"])
def test_a_header_cell_longer_than_the_csv_module_limit_leaves_its_columns_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, addresses: str
) -> None:
    """A header cell longer than the csv module reads (131,072 characters) made the whole header one cell, read as
    named as a password: the column of addresses was taken for one, each address hidden as a password and each row
    flagged; a header naming its column of addresses otherwise (``Nom``) was read as a row, flagged as a malformed
    address. The header is split into its columns as the addresses are read (a field as long as the file): the
    address is shown, the row flagged for its password, a row without one passes."""
    export = tmp_path / "list.csv"
    export.write_text(
        f"{addresses};{'x' * 200_000};{name}\nfoo@gmail.con;a;Zx9secret\nzoe@velo-cite.org;a;\n", encoding="utf-8"
    )
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and "Traceback" not in err, err[-2000:]
    assert len(lines) == 2, lines
    assert addresses == "email" or "is a header row naming no column of addresses" in err, err[-2000:]
    assert lines[0].endswith("2 foo@gmail.con: misspelled domain: probably gmail.com; suggested: foo@gmail.com"), lines
    assert lines[1].startswith(f"{export}:2 foo@gmail.con: it holds what"), lines
    assert "Zx9secret" not in "\n".join(lines), lines


def test_a_row_after_a_cell_longer_than_the_csv_module_limit_is_read_for_its_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row's cell longer than the csv module reads stopped the reading of the rows holding a line break after it:
    such a row's password, on its second line, passed unseen."""
    export = tmp_path / "list.csv"
    export.write_text(
        f'email;notes;Mot de passe\nfoo@gmail.com;{"x" * 200_000};\nann@gmail.com;"a\nb";Zx9secret\n',
        encoding="utf-8",
    )
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1 and lines[0].startswith(f"{export}:3 ann@gmail.com: it holds what"), (
        lines,
        err[-2000:],
    )
    assert "Zx9secret" not in "\n".join(lines), lines


@pytest.mark.parametrize("value", ["12/3456", "1234-12", "Mars2024", "mars 24h", "13/2024", "2024-13", "10:00 AMX"])
def test_a_value_shaped_near_a_month_or_a_time_is_a_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """A month is written with its year of this century or the last and a month of 1 to 12, a month's name alone or
    before its year, a time with AM or PM: digits or words near those shapes are passwords, flagged."""
    export = tmp_path / "list.csv"
    export.write_text(f"Email,Nom,Password\njean@example.org,Jean,{value}\n", encoding="utf-8")
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1 and "it holds what" in lines[0], lines
    assert value not in lines[0], lines


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("-", "-: malformed address"),  # a web form's placeholder where the address goes
        ("?", "?: malformed address"),
        ("Marie & Paul <mp@example.org>", "Marie & Paul <mp@example.org>: malformed address"),
        ("Jean Dupont (2024) <jd@example.org>", "Jean Dupont (2024) <jd@example.org>: malformed address"),
        ("jean_dupont", "jean_dupont: malformed address"),
    ],
)
def test_a_malformed_line_of_no_password_s_shape_is_shown_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, shown: str
) -> None:
    """A placeholder (``-``, ``?``) or a name of signs and words without a password's shape before an address was
    masked as a password (``[1 characters not shown]``), the admin told to change a password there is none of."""
    export = tmp_path / "list.txt"
    export.write_text(f"{line}\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert lines[0].startswith(f"{export}:1 {shown}"), lines
    assert "not shown" not in lines[0] and "change that password" not in lines[0], lines


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Code d'accès", "Lilas2024"),
        ("Code accès", "4821"),
        ("code_acces", "4821"),
        ("Access code", "Lilas2024"),
        ("access_code", "4821"),
        ("Code de connexion", "Lilas2024"),
        ("Codice d'accesso", "4821"),
        ("Código de acceso", "4821"),
        ("Zugangscode", "4821"),
        ("Toegangscode", "4821"),
        ("code_pin", "4821"),
        ("pin", "4821"),
    ],
)
def test_a_column_named_as_an_access_code_is_one_of_passwords(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, value: str
) -> None:
    """A column named as an access code (``Code d'accès``, ``Code accès``, ``Access code``,
    ``Zugangscode``, a PIN) holds a password: each row is flagged, its value never shown; was: passed (exit 0)."""
    export = tmp_path / "list.csv"
    export.write_text(
        f"email,name,{name}\nmarie@orange.fr,Marie,{value}\nluc@free.fr,Luc,{value}x9\n", encoding="utf-8"
    )
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 2, (lines, err)
    assert all("in a column named as one" in line for line in lines), lines
    assert value not in "\n".join(lines) + err


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("Code postal", ("69001", "75011")),
        ("Postal code", ("69001", "75011")),
        ("Code INSEE", ("69381", "75111")),
        ("Zip code", ("69001", "75011")),
        ("Code adhérent", ("ADH-2024-017", "ADH-2024-018")),
        ("Code", ("ADH-2024-017", "ADH-2024-018")),
        ("Code pays", ("FR", "BE")),
        ("Country code", ("FR", "BE")),
        ("Code promo", ("NOEL2024", "NOEL2024")),
        ("Pass", ("Annuel", "Mensuel")),
        ("Pass", ("Annuel", "Annuel")),
        # a code alone: a postcode, a group, a member's number, a category as often as an access code
        ("Code", ("75011", "69001")),
        ("Code", ("A12", "B7")),
        ("Code", ("ADH2024017", "ADH2024018")),
        ("Code", ("Bénévole", "Bureau")),
        ("Porte-parole", ("Marie Dupont", "Commission Vélo 2024")),  # Italian's parola, not French's parole
        ("Temps de parole", ("5 min", "10 min")),
    ],
)
def test_a_code_naming_no_access_is_no_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, values: tuple[str, str]
) -> None:
    """A postcode, a town's INSEE code, a member's reference, a country's code, a promotion's and a category (``Pass``
    of ``Annuel``) are no password: an export holding them passes."""
    export = tmp_path / "list.csv"
    first, second = values
    export.write_text(f"email,{name}\nmarie@orange.fr,{first}\nluc@free.fr,{second}\n", encoding="utf-8")
    assert _audit(capsys, str(export))[:2] == (0, [])


@pytest.mark.parametrize(
    "attribute",
    [
        "<pin>4821</pin>",
        "<code_acces>Lilas2024</code_acces>",
        "<access_code>Lilas2024</access_code>",
        '<custom_attribute id="pin"><value>4821</value></custom_attribute>',
        '<custom_attribute id="code_acces"><value>4821</value></custom_attribute>',
    ],
)
def test_a_custom_attribute_named_as_an_access_code_holds_a_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], attribute: str
) -> None:
    """Sympa's custom attribute named ``pin`` or ``code_acces`` holding a value holds a password: its line is
    flagged as such, never shown; was: passed (exit 0). A postcode's attribute is none."""
    export = tmp_path / "member.dump"
    export.write_text(
        f"email ann@gmail.com\ngecos Ann\ncustom_attribute <custom_attributes>{attribute}"
        "<code_postal>69001</code_postal></custom_attributes>\n\nemail luc@free.fr\n"
        "custom_attribute <custom_attributes><code_postal>69001</code_postal><code>ADH-2024-017</code>"
        "</custom_attributes>\n",
        encoding="utf-8",
    )
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1 and "member.dump:3 the line (not shown" in lines[0], (lines, err)
    assert "a custom attribute named as a password holds one" in lines[0], lines
    assert "4821" not in lines[0] + err and "Lilas2024" not in lines[0] + err


@pytest.mark.parametrize(
    "name",
    [
        "Parola",
        "Parola d'ordine",
        "Parola chiave",
        "Kennwort",
        "Wachtwoord",
        "Senha",
        "Contraseña",
        "Hasło",
        "Heslo",
        "Jelszó",
        "Lösenord",
        "Salasana",
        "Parolă",
        "Lozinka",
        "Geslo",
        "Şifre",
        "Adgangskode",
    ],
)
def test_a_column_named_password_in_another_language_is_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """A column named password in Italian (``Parola``, ``Parola d'ordine``: the first passed, exit 0), and in the
    other languages of Europe, holds passwords: its rows are flagged, never shown."""
    export = tmp_path / "list.csv"
    export.write_text(f"email;{name}\nmarie@orange.fr;Lilas2024\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1 and "in a column named as one" in lines[0], (lines, err)
    assert "Lilas2024" not in lines[0] + err


@pytest.mark.parametrize(
    "text",
    [
        "Identifiants: marie / Lilas2024",
        "Identifiants : marie / Lilas2024",
        "Login: marie / Lilas2024",
        "Credentials: marie / Lilas2024",
        "Zugangsdaten: marie / Lilas2024",
        "Username: marie / Lilas2024",
        # a service's name, then the pair without a separator, in brackets or not
        "wp admin marie / Lilas2024",
        "compte admin (marie / Lilas2024)",
    ],
)
@pytest.mark.parametrize(
    ("name", "template"),
    [
        ("list.csv", "email,name,note\nmarie@orange.fr,Marie,{}\n"),
        ("list.txt", "marie@orange.fr {}\n"),
        ("member.dump", "email marie@orange.fr\ngecos {}\n"),
        (
            "member.dump",
            "email marie@orange.fr\ncustom_attribute <custom_attributes><note>{}</note></custom_attributes>\n",
        ),
    ],
)
def test_a_login_and_its_password_after_a_label_are_a_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, name: str, template: str
) -> None:
    """A login and its password after a label (``Identifiants : marie / Lilas2024``, ``Login: ...``), in a cell, a
    name, a dump's field or a custom attribute's value, are a secret: the line is flagged, never shown; in a custom
    attribute and after Login or Username it passed (exit 0)."""
    export = tmp_path / name
    export.write_text(template.format(text), encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1 and "not shown" in lines[0], (lines, err)
    assert "Lilas2024" not in lines[0] + err


@pytest.mark.parametrize(
    "text",
    ["Identifiants : voir Marie / Dupont", "Contact : Marie / Paul", "Login : marie / paul", "Horaires : 9h / 18h"],
)
def test_two_words_after_a_label_that_are_no_login_and_password_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """Two names or two times after a label are no login and its password: the export passes."""
    export = tmp_path / "list.csv"
    export.write_text(f"email,note\nmarie@orange.fr,{text}\n", encoding="utf-8")
    assert _audit(capsys, str(export))[:2] == (0, [])


@pytest.mark.parametrize(
    "row",
    [
        "marie@orange.fr,Marie,Lilas2024",
        "marie@orange.fr,Marie,Soleil!",
        "marie@orange.fr,Marie,,Velo#Lyon",
        "marie@orange.fr;Marie;Lilas2024",
        # a term (a season, an address's part) and a number with a sign, a token, a password after its label
        "marie@orange.fr,Marie,Saison2024!",
        "marie@orange.fr,Marie,ghp_R8m2Kq9ZtLw4Xv7Nc3Bd6Hf1Jg5Ys0Pa2Ue8",
        "marie@orange.fr,Marie,mdp: Saison2024",
        # a term and a year with a letter after it, as a password is made (a letter after the number is an
        # address's part's only after a number of up to three digits: Apt4B, Appt12B)
        "marie@orange.fr,Marie,Saison2024a",
        "marie@orange.fr,Marie,Groupe2024x",
        "marie@orange.fr,Marie,Saison2024-Lilas",
        "marie@orange.fr,Marie,Lilas2ème",
    ],
)
def test_a_cell_beyond_the_header_s_columns_shaped_as_a_password_is_a_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str
) -> None:
    """A cell no column of the header names (``email,name`` then ``marie@orange.fr,Marie,Lilas2024``) shaped as a
    password (a letter and a digit or a sign), or read as a secret as prose is (a token, a password after its label),
    is read as one: its line is flagged, never shown, and said to hold it beyond the header's columns (was: from the
    subscriber's name in Sympa); was: passed (exit 0)."""
    export = tmp_path / "list.csv"
    delimiter = ";" if ";" in row else ","
    export.write_text(f"email{delimiter}name\n{row}\nluc@free.fr{delimiter}Luc\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert "list.csv:2 " in lines[0], lines
    assert "it holds what reads as a password or another secret in a cell beyond the header's columns" in lines[0]
    assert "(the address is not at fault)" in lines[0] and "subscriber's name" not in lines[0], lines
    assert row.rsplit(delimiter, maxsplit=1)[-1] not in lines[0] + err, lines


@pytest.mark.parametrize(
    "row",
    [
        "marie@orange.fr,Marie,Dupont",
        "marie@orange.fr,Marie,Jean-Pierre",
        "marie@orange.fr,Marie,2024-03-01",
        "marie@orange.fr,Marie,01/03/2024",
        "marie@orange.fr,Marie,69001",
        "marie@orange.fr,Marie,ADH-2024-017",
        "marie@orange.fr,Marie,06 12 34 56 78",
        'marie@orange.fr,"Dupont, Marie",Lyon',
        "marie@orange.fr,Dupont, Marie",
        # a season or a membership's term and its year, an address's part and its number (a postal address split
        # at its commas): words with digits, no password (were flagged)
        "marie@orange.fr,Marie,Saison2024",
        "marie@orange.fr,Marie,Annuel-2025",
        "marie@orange.fr,Marie,Adhésion2024",
        "marie@orange.fr,Marie,12 rue des Lilas,Apt4B",
        "marie@orange.fr,Marie,12 rue des Lilas,Bât-B2,Esc3",
        "marie@orange.fr,Marie,Résidence Les Pins,Appt12",
        "marie@orange.fr,Marie,12 rue des Lilas,Appt112B",
        # a number's French suffixes (bis, ter), a floor's ordinal, a season over two years, the terms abbreviated
        "marie@orange.fr,Marie,12 rue des Lilas,Appt12bis",
        "marie@orange.fr,Marie,12 rue des Lilas,T3bis",
        "marie@orange.fr,Marie,12 rue des Lilas,2ème",
        "marie@orange.fr,Marie,Saison2024-2025",
        "marie@orange.fr,Marie,Adh2024",
        "marie@orange.fr,Marie,Cotis2024",
    ],
)
def test_a_cell_beyond_the_header_s_columns_not_shaped_as_a_password_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str
) -> None:
    """A name, a date, a postcode, a reference or a phone number beyond the header's columns is no password."""
    export = tmp_path / "list.csv"
    export.write_text(f"email,name\n{row}\n", encoding="utf-8")
    assert _audit(capsys, str(export))[:2] == (0, [])


@pytest.mark.parametrize(
    "line",
    [
        "ann@gmail.com " + "a" * 1_100_000 + " mdp Azerty123",
        "a" * 1_100_000 + "@gmail.com",
        "# " + "mot de passe Azerty123 " + "a" * 1_100_000,
    ],
)
def test_a_line_longer_than_any_row_is_flagged_unread_and_never_read_for_a_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, line: str
) -> None:
    """A line of 5 MB took 12.8 s (60 s at 30 MB), read a character at a time as a header's cell and for a secret:
    a line longer than lists_audit.LONGEST_LINE_READ, which no subscriber's row comes near, is flagged unread, not
    shown, and never given to the reader of secrets."""
    from pic import errors, secrettext

    read: list[int] = []
    reads_as_secret, label_words = secrettext.reads_as_secret, secrettext.label_words

    def counting(value: object) -> bool:
        read.append(len(str(value)))
        return reads_as_secret(value)

    def counting_labels(text: str, at_most: int) -> int:
        read.append(len(text))
        return label_words(text, at_most)

    monkeypatch.setattr(secrettext, "reads_as_secret", counting)
    monkeypatch.setattr(secrettext, "label_words", counting_labels)
    errors._text_reads_as_secret.cache_clear()
    export = tmp_path / "list.txt"
    export.write_text(f"{line}\nluc@free.fr mdp Azerty123\nzoe@free.fr\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, err
    assert lines[0].startswith(f"{export}:1 the line (not shown: it may hold a secret): "), lines
    told = "malformed address (1100" if line.startswith("aaa") else lists_audit.LINE_TOO_LONG
    assert told in lines[0], lines
    assert lines[1] == f"{export}:2 the line (not shown: it may hold a secret): {lists_audit.LINE_TO_CLEAR}", lines
    assert read and max(read) < lists_audit.LONGEST_LINE_READ, max(read, default=0)


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ("Marie@Asso.org", "marie@asso.org"),
        ("marie@asso.org", "MARIE@ASSO.ORG"),
        ("jean.dupont@Gmail.com", "jean.dupont@gmail.com"),
        ("Jean-Pierre.Durand@Orange.fr", "jean-pierre.durand@orange.fr"),
    ],
)
def test_addresses_differing_only_in_case_are_flagged_as_a_likely_duplicate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], first: str, again: str
) -> None:
    """Sympa lowercases an address (local part included, though RFC 5321 lets a server tell its case): two lines
    differing only in case are one subscriber; the later is flagged, naming the first."""
    export = tmp_path / "list.txt"
    export.write_text(f"{first}\npaul@asso.org\n{again}\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, err
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{export}:3 {again}: likely the same subscriber as line 1"), lines
    assert "case" in lines[0] and "Sympa lowercases" in lines[0], lines
    assert "3 address(es) in 1 file(s), 1 to fix" in err


def test_a_duplicate_address_is_flagged_in_a_csv_and_a_dump_and_a_third_names_the_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_export = tmp_path / "export.csv"
    csv_export.write_text(
        "email;nom\nluc@asso.org;Luc\nmarie@asso.org;Marie\nLuc@asso.org;Luc D.\nluc@asso.org;Luc\n", encoding="utf-8"
    )
    dump = tmp_path / "list.dump"
    dump.write_text("email ann@asso.org\ngecos Ann\n\nemail ann@asso.org\ngecos Ann B.\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(csv_export), str(dump))
    assert code == 1, err
    assert [line.split(":", 2)[1].split()[0] for line in lines] == ["4", "5", "4"], lines
    assert lines[0].startswith(f"{csv_export}:4 Luc@asso.org: likely the same subscriber as line 2"), lines
    assert lines[1].startswith(f"{csv_export}:5 luc@asso.org: the same address as line 2"), lines
    assert lines[2].startswith(f"{dump}:4 ann@asso.org: the same address as line 1"), lines
    assert all(line.endswith("suggested: remove this line") for line in lines), lines


def test_the_same_address_in_two_exports_is_no_duplicate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each export is a list's: a subscriber of two lists is no duplicate; nor are two addresses differing by more
    than case."""
    one, two = tmp_path / "bureau.txt", tmp_path / "adherents.txt"
    one.write_text("marie@asso.org\nmarie.dupont@asso.org\n", encoding="utf-8")
    two.write_text("Marie@asso.org\nmarie_dupont@asso.org\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(one), str(two))
    assert (code, lines) == (0, []), err


@pytest.mark.parametrize(
    "text",
    [
        "sep=;\njean@gmail.com\nsep=;\nluc@gmail.com\n",
        "jean@gmail.com\nsep=,\nluc@gmail.com\n",
        "sep=;\nemail;nom\njean@gmail.com;Jean\nsep=;\nluc@gmail.com;Luc\n",
        'email,nom\njean@gmail.com,Jean\n"sep=,"\nluc@gmail.com,Luc\n',
        "sep=\t\nemail\tnom\njean@gmail.com\tJean\nSEP=\t\nluc@gmail.com\tLuc\n",
        # the second export's byte order mark (Excel's UTF-8 CSV) before its sep=, the files joined with cat
        "sep=;\nemail;nom\njean@gmail.com;Jean\n\ufeffsep=;\nluc@gmail.com;Luc\n",
        "\ufeffsep=;\nemail;nom\njean@gmail.com;Jean\n\ufeffsep=;\nluc@gmail.com;Luc\n",
        "sep=;\njean@gmail.com\n\ufeffsep=;\nluc@gmail.com\n",
    ],
)
def test_excel_s_separator_line_after_the_first_is_told_as_such_not_read_as_an_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """Only a file's first line may be Excel's sep= (files joined one after another leave another): it is no
    address, no password to mask; it is flagged as that line."""
    export = tmp_path / "export.csv"
    export.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, err
    number = max(n for n, line in enumerate(text.split("\n"), 1) if "sep=" in line.lower())
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{export}:{number} (no address): Excel's line naming the delimiter"), lines
    assert "not shown" not in lines[0] and "malformed" not in lines[0] and "\ufeff" not in lines[0], lines
    assert "1 file(s), 1 to fix" in err, err


@pytest.mark.parametrize("apart", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\u2028\u2028"])
def test_two_addresses_apart_by_a_line_break_other_than_a_newline_are_told_so_each_audited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], apart: str
) -> None:
    """A line separator (U+2028) or another break that no editor counts as a line's end, between two addresses,
    was read as an address and its password (a secret, the line not shown); the line is told to hold two addresses
    apart by it, each one audited."""
    export = tmp_path / "list.txt"
    export.write_text(f"paul@asso.org\njean@gmail.com{apart}luc@gmial.com\nann@asso.org\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, err
    assert len(lines) == 2, lines
    told, luc = lines
    assert told.startswith(f"{export}:2 jean@gmail.com: two addresses on one line, apart by"), lines
    assert f"U+{ord(apart[0]):04X}" in told and "put each address on a line of its own" in told, lines
    assert luc == f"{export}:2 luc@gmial.com: misspelled domain: probably gmail.com; suggested: luc@gmail.com"
    assert "not shown" not in err + "".join(lines)
    assert "4 address(es) in 1 file(s), 2 to fix" in err, err


def test_a_password_after_a_line_separator_is_still_a_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "list.txt"
    export.write_text("jean@gmail.com\u2028mdp : Lilas2024x!\nann@asso.org\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, err
    assert len(lines) == 1 and "not shown" in lines[0] and "Lilas" not in lines[0], lines


@pytest.mark.parametrize("apart", [" ", ":", " | ", " / ", " -> ", "\t"])
def test_another_address_after_an_address_is_not_read_as_its_password(apart: str) -> None:
    """A credential dump writes an address and its password; an address after an address (an alias's target, a second
    address of the subscriber) is none."""
    assert not lists_audit._shaped_secret(f"jean@gmail.com{apart}luc@gmail.com")
    assert not lists_audit._may_hold_secret(f"jean@gmail.com{apart}luc.martin@asso-velo.fr")
    assert lists_audit._shaped_secret(f"jean@gmail.com{apart}Lilas2024x!")


@pytest.mark.parametrize(
    "written",
    ["Marie Dupont <marie@asso.org>", "marie@asso.org.", "mailto:marie@asso.org", "marie@gmail.con", "MARIE@gmial.com"],
)
def test_an_address_suggested_that_another_line_gives_is_not_suggested_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    """An address to fix whose suggestion another line of the export gives (Marie Dupont <marie@asso.org> after
    marie@asso.org) was suggested as that address, which the audit then flags as given twice; the line is told the
    address meant is there already, and to be removed."""
    meant = "marie@gmail.com" if "gm" in written.lower() else "marie@asso.org"
    export = tmp_path / "export.txt"
    export.write_text(f"{meant}\npaul@asso.org\n{written}\n", encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1 and len(lines) == 1, (lines, err)
    assert lines[0].startswith(f"{export}:3 "), lines
    assert f"the address meant is given by line 1 already ({meant})" in lines[0], lines
    assert lines[0].endswith("; suggested: remove this line"), lines


@pytest.mark.parametrize(
    ("text", "header"),
    [
        ("email;nom\njean@gmail.com;Jean\nemail;nom\nluc@gmail.com;Luc\n", 3),
        ("sep=;\nemail;nom\njean@gmail.com;Jean\nsep=;\nEmail;Nom\nluc@gmail.com;Luc\n", 5),
        ("\ufeffsep=;\nemail;nom\njean@gmail.com;Jean\n\ufeffsep=;\nemail;nom\nluc@gmail.com;Luc\n", 5),
    ],
)
def test_an_export_s_header_again_is_told_as_such_not_as_a_malformed_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, header: int
) -> None:
    """Exports joined one after another (cat a.csv b.csv) leave the second's header among the rows: it was told
    "email: malformed address"; it is told to be the header again, no subscriber."""
    export = tmp_path / "export.csv"
    export.write_text(text, encoding="utf-8")
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, err
    said = [line for line in lines if line.startswith(f"{export}:{header} ")]
    assert len(said) == 1 and "the export's header again" in said[0], lines
    assert not any("malformed" in line for line in lines), lines


def test_an_export_named_twice_is_read_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same export named twice (lists/*.txt lists/bureau.txt, ./bureau.txt and bureau.txt, a link to it): each
    of its addresses was flagged twice and counted twice, and its lines said to duplicate themselves; it is read
    once, under the name given first, as pic report reads a disk usage file named twice."""
    export = tmp_path / "bureau.txt"
    export.write_text("a@gmial.com\nb@laposte.net\n", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(export)
    other = tmp_path / "other.txt"
    other.write_text("a@gmial.com\n", encoding="utf-8")  # another list's export: the same address, flagged again
    monkeypatch.chdir(tmp_path)
    code, lines, err = _audit(capsys, "bureau.txt", str(export), "./bureau.txt", "link.txt", "other.txt")
    assert code == 1
    assert [line.split(" ", 1)[0] for line in lines] == ["bureau.txt:1", "other.txt:1"], lines
    assert "3 address(es) in 2 file(s), 2 to fix" in err, err


@pytest.mark.parametrize(
    ("text", "address", "meant"),
    [
        ('email,name\nok@example.org,Ok\n"jean@example.org,Jean\n', "jean@example.org,Jean", "jean@example.org"),
        ('email,name\nok@example.org,Ok\n"jean@example.org,Jean', "jean@example.org,Jean", "jean@example.org"),
        ('email,name\nok@example.org,Ok\njean@example.org,"Jean\n', "jean@example.org", None),
        ('email;name\r\nok@example.org;Ok\r\njean@example.org;"Jean', "jean@example.org", None),
    ],
)
def test_a_quote_without_its_pair_on_the_csv_s_last_line_is_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, address: str, meant: str | None
) -> None:
    """The last row of an export whose quote is not closed (a line cut short, a hand edit) was read as if closed
    at the file's end: its address told malformed (once mended, unknown top-level domain .jean), or, the quote in
    another column, nothing said. It is flagged as the quote of another row is, the address written offered."""
    export = tmp_path / "export.csv"
    export.write_bytes(text.encode())
    code, lines, err = _audit(capsys, str(export))
    assert code == 1, (lines, err)
    [line] = lines
    said = f'{export}:3 {address}: a quote (") of the row is not closed: it runs on to the end of the file'
    assert line.startswith(said), line
    assert line.endswith(f"; suggested: {meant}") if meant else "suggested" not in line, line
    assert "2 address(es) in 1 file(s), 1 to fix" in err, err


@pytest.mark.parametrize(
    ("text", "line", "told"),
    [
        # a quote never closed, on the file's last row or before others
        (
            'email,name\njean@gmail.com,Jean\n"marie@gmial.com,Jean\n',
            3,
            ("marie@gmial.com", "probably gmail.com", "marie@gmail.com"),
        ),
        (
            'email,name\n"marie@gmial.com,Jean\nok@example.org,Ok\n',
            2,
            ("marie@gmial.com", "probably gmail.com", "marie@gmail.com"),
        ),
        ('email,name\n"paul@hotmial.fr,Paul\n', 2, ("paul@hotmial.fr", "probably hotmail.fr", "paul@hotmail.fr")),
        # a row split at a delimiter without quotes: the address meant joined again, its domain misspelt
        ("name,email,city\nI,bad@gmial,com,Lyon\n", 2, ("bad@gmial.com", "probably gmail.com", "bad@gmail.com")),
        # a cell holding another separator than the file's: the address meant is the text before it
        (
            "email,name\njean@gmail.com,Jean\nluc@gmial.com;Luc,x\n",
            3,
            ("luc@gmial.com", "probably gmail.com", "luc@gmail.com"),
        ),
        (
            "email,name\njean@gmail.com,Jean\nluc@gmial.com|Luc,x\n",
            3,
            ("luc@gmial.com", "probably gmail.com", "luc@gmail.com"),
        ),
        (
            "email,name\njean@gmail.com,Jean\nluc@gmial.com\tLuc,x\n",
            3,
            ("luc@gmial.com", "probably gmail.com", "luc@gmail.com"),
        ),
        (
            'email,name\njean@gmail.com,Jean\n"luc@gmial.com Luc\n',
            3,
            ("luc@gmial.com", "probably gmail.com", "luc@gmail.com"),
        ),
        (
            "email;name\njean@gmail.com;Jean\nluc@gmial.com|Luc;x\n",
            3,
            ("luc@gmial.com", "probably gmail.com", "luc@gmail.com"),
        ),
    ],
)
def test_the_address_meant_by_a_row_to_fix_is_checked_before_it_is_suggested(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    line: int,
    told: tuple[str, str, str],
) -> None:
    """A row '"marie@gmial.com,Jean' (a quote never closed) was suggested marie@gmial.com, the address meant with its
    misspelt domain, and told 'once mended, unknown top-level domain .jean', the name read as a domain: the address
    meant is checked as any address is, its domain's fault told and the address mended suggested."""
    meant, problem, suggestion = told  # the address meant, its domain's fault, the address to write
    export = tmp_path / "export.csv"
    export.write_text(text, encoding="utf-8")
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1
    [flagged] = [x for x in lines if x.startswith(f"{export}:{line} ")]
    assert f"the address meant, {meant}: misspelled domain: {problem}" in flagged, flagged
    assert flagged.endswith(f"; suggested: {suggestion}"), flagged
    assert "once mended" not in flagged and "top-level domain" not in flagged, flagged
    assert f"suggested: {meant}" not in flagged, flagged


@pytest.mark.parametrize(
    ("address", "told", "suggestion"),
    [
        # the top-level domain mended alone leaves the name misspelt
        (
            "marie@gmial.con",
            "unknown top-level domain .con; written gmial.com, misspelled domain: probably gmail.com",
            "marie@gmail.com",
        ),
        ("paul@hotmial.frr", "written hotmial.fr, misspelled domain: probably hotmail.fr", "paul@hotmail.fr"),
        # or a domain that never had mailboxes
        ("jean@gmail.frr", "written gmail.fr, domain never had mailboxes", "jean@gmail.com"),
    ],
)
def test_a_domain_suggested_for_a_slip_is_checked_before_it_is_suggested(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], address: str, told: str, suggestion: str
) -> None:
    """marie@gmial.con was suggested marie@gmial.com, its top-level domain mended and its name left misspelt, and
    jean@gmail.frr jean@gmail.fr, a domain that never had mailboxes: the domain suggested is read as any domain."""
    export = tmp_path / "export.csv"
    export.write_text(f"email,name\n{address},Jean\nok@example.org,Ok\n", encoding="utf-8")
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1
    [flagged] = lines
    assert flagged.startswith(f"{export}:2 {address}: unknown top-level domain") and told in flagged, flagged
    assert flagged.endswith(f"; suggested: {suggestion}"), flagged


@pytest.mark.parametrize(
    ("row", "meant", "told"),
    [
        ('"marie@gmial.com,Jean', "marie@gmial.com", ("misspelled domain: probably gmail.com", "marie@gmail.com")),
        ("paul@hotmial.fr,Paul", "paul@hotmial.fr", ("misspelled domain: probably hotmail.fr", "paul@hotmail.fr")),
        ('"anne@gmail.com,Anne', "anne@gmail.com", (None, "anne@gmail.com")),
        ("luc@yahooo.fr;Luc", "luc@yahooo.fr", ("misspelled domain: probably yahoo.fr", "luc@yahoo.fr")),
        ("luc@gmial.com|Luc", "luc@gmial.com", ("misspelled domain: probably gmail.com", "luc@gmail.com")),
        ("luc@gmial.com;Luc,x", "luc@gmial.com", ("misspelled domain: probably gmail.com", "luc@gmail.com")),
    ],
)
def test_a_name_after_a_comma_in_a_plain_list_is_not_read_as_the_domain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, meant: str, told: tuple[str | None, str]
) -> None:
    """A plain list's line "marie@gmial.com,Jean (a CSV row pasted into it) was told 'once mended, unknown top-level
    domain .jean', the comma mended as a dot and the name read as the domain, nothing suggested, as the CSV's row was
    before it: the address meant, the text before the comma, is checked as any address is and suggested."""
    problem, suggestion = told  # the address meant's fault (None: none), the address to write
    export = tmp_path / "export.txt"
    export.write_text(f"ok@example.org\n{row}\n", encoding="utf-8")
    code, lines, _ = _audit(capsys, str(export))
    assert code == 1
    [flagged] = [x for x in lines if x.startswith(f"{export}:2 ")]
    assert "top-level domain" not in flagged and "once mended" not in flagged, flagged
    assert flagged.endswith(f"; suggested: {suggestion}") or flagged.endswith(f" suggested: {suggestion}"), flagged
    if problem is not None:
        assert f"the address meant, {meant}: {problem}" in flagged, flagged
    export.write_text(f"ok@example.org\n{suggestion}\n", encoding="utf-8")
    assert _audit(capsys, str(export))[0] == 0


@pytest.mark.parametrize("secret", ["Lilas2024x", "Soleil-Azur-75", "0xCafe1234", "velo75paris", "LILAS2024X"])
@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ("gone.fr: SECRET", "gone.fr: the value (not shown: it may be a secret) is not a mapping"),
        ("foo.fr: {status: SECRET}", "foo.fr.status: the value (not shown: it may be a secret) is not a status"),
        ("foo.fr: [SECRET]", "foo.fr: the value (not shown: it may be a secret) is not a mapping"),
        ("foo.fr: {status: typo, suggest: SECRET}", "foo.fr.suggest: the value (not shown: it may be a secret) is"),
        ("foo.fr: {status: typo, note: [SECRET]}", "foo.fr.note: the value (not shown: it may be a secret) is not"),
        ("foo.fr: !x SECRET", "foo.fr: the value (not shown: it may be a secret) has the tag (not shown either)"),
        ("foo.fr: !SECRET x", "foo.fr: the value (not shown: it may be a secret) has the tag (not shown either)"),
        ("SECRET: {status: never}", "(a key not shown): "),
        ("foo.fr: {status: never, SECRET: 1}", "foo.fr.(a key not shown): "),
        ("suggest: SECRET", "suggest: is not a domain name"),
    ],
)
def test_a_domains_file_s_value_or_key_in_a_password_s_shape_is_not_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], secret: str, entry: str, field: str
) -> None:
    """`foo.fr: {status: Lilas2024x}` was told `foo.fr.status: "Lilas2024x" is not a status`: a value, a tag or a
    key of the --domains file refused in a password's shape (pic.secrettext.password_part), no label beside it,
    was shown; it is not, as those a label names are not."""
    extra = tmp_path / "local.yaml"
    extra.write_text(entry.replace("SECRET", secret) + "\n", encoding="utf-8")
    code, _, err = _audit(capsys, "--domains", str(extra), str(DATA / "clean.txt"))
    assert code == 1 and f"{extra}:1 {field}" in err, err
    assert secret.lower() not in err.lower(), err

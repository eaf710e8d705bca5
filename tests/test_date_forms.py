"""A day written in another form than YYYY-MM-DD that still names one day (an ISO week or ordinal date, digits or
hyphens that look like ASCII's) is told as what it is, shown, with the calendar date to write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pic.cli import main
from pic.days import day_meant, parse_day
from tests.conftest import ROOT

BASE = ROOT / "tests" / "corpus" / "_base.yaml"
HEAD = "name: Case Member\ncontact: {name: Case Contact, email: case@case-asso.fr}\nuid: 10600\n"

FORMS = [
    ("2027-W13-3", "2027-03-31", "week date"),
    ("2027W133", "2027-03-31", "week date"),
    ("2026-W01-1", "2025-12-29", "week date"),
    ("2027-090", "2027-03-31", "ordinal date"),
    ("２０２７-０３-３１", "2027-03-31", "U+FF12 FULLWIDTH DIGIT TWO"),
    ("2027\u201003\u201031", "2027-03-31", "U+2010 HYPHEN"),
    ("2027\u221203\u221231", "2027-03-31", "U+2212 MINUS SIGN"),
    ("٢٠٢٧-٠٣-٣١", "2027-03-31", "ARABIC-INDIC DIGIT"),
]


@pytest.mark.parametrize(("text", "day", "what"), FORMS)
def test_the_day_meant_is_found(text: str, day: str, what: str) -> None:
    assert day_meant(text) is not None
    meant, words = day_meant(text)  # type: ignore[misc]
    assert meant == day
    assert what in words, words


@pytest.mark.parametrize("text", ["2027-W54-1", "2027-W13-8", "2027-367", "2027-13-01", "Lilas2024x", "2027-03-31"])
def test_no_day_is_offered_for_none(text: str) -> None:
    assert day_meant(text) is None


@pytest.mark.parametrize(("text", "day", "what"), FORMS)
def test_on_tells_the_day_to_write(text: str, day: str, what: str) -> None:
    with pytest.raises(ValueError, match=f"write {day}") as caught:
        parse_day(text)
    assert what in str(caught.value)


def _until_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> str:
    """The line ``pic check`` prints about a member whose exception's ``until`` is ``text`` (a base member beside)."""
    members = tmp_path / "members"
    members.mkdir()
    shutil.copy(BASE, members / "base-member.yaml")
    (members / "case-member.yaml").write_text(
        HEAD + 'site: {domains: [case-asso.fr], php: "7.4"}\n'
        f"exceptions: {{php_eol: {{until: {text}, reason: new site in progress}}}}\n",
        encoding="utf-8",
    )
    assert main(["check", "--project", str(ROOT), "--members", str(members), "--on", "2026-11-28"]) == 1
    err = capsys.readouterr().err
    [line] = [x for x in err.splitlines() if "case-member.yaml" in x]
    return line


@pytest.mark.parametrize(("text", "day", "what"), FORMS)
def test_an_exception_until_tells_the_day_to_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, day: str, what: str
) -> None:
    line = _until_line(tmp_path, capsys, text)
    assert "not shown" not in line, line
    assert text in line, line
    assert f"write {day}" in line, line
    assert what in line, line


@pytest.mark.parametrize("text", ["2027-W53-1", "2027W531", "2027-W00-1", "2027-W13-8", "2027-366", "2027-000"])
def test_an_exception_until_in_a_form_of_no_day_is_shown_not_taken_for_a_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """``until: 2027-W53-1`` (2027 has 52 weeks) was said as "the value (not shown: it may be a secret)", while
    2027-W13-3 was shown: a week or ordinal date of no day of the calendar is still a date, never a secret."""
    line = _until_line(tmp_path, capsys, text)
    assert "not shown" not in line and text in line, line
    assert "is not a date written YYYY-MM-DD" in line, line


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("31/03/2027", ": write 2027-03-31"),
        ("2027/03/31", ": write 2027-03-31"),
        ("20270331", ": write 2027-03-31"),
        ("31 mars 2027", ": write 2027-03-31"),
        ("March 31, 2027", ": write 2027-03-31"),
        ("01/12/2026", ": write 2026-12-01 (day first) or 2026-01-12 (month first)"),
    ],
)
def test_a_day_written_another_common_way_is_told_the_day_to_write(text: str, hint: str) -> None:
    """``--on 31/03/2027`` and ``--on "31 mars 2027"`` were told only that they are no YYYY-MM-DD date, where the
    same text in a member file's date is told the day to write: both read the same forms (pic.days.days_written)."""
    with pytest.raises(ValueError) as caught:
        parse_day(text)
    assert str(caught.value) == f"{text!r} is not a date written YYYY-MM-DD{hint}"
    for day in hint.removeprefix(": write ").replace(" (day first) or ", " ").removesuffix(" (month first)").split():
        assert parse_day(day).isoformat() == day


@pytest.mark.parametrize("text", ["31 avril 2027", "31/02/2027", "31 marsh 2027", "2027-W13-3x", "x" * 100])
def test_a_text_of_no_day_is_told_no_day_to_write(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_day(text)
    assert str(caught.value) == f"{text!r} is not a date written YYYY-MM-DD"


ZONED = [
    (
        "2027-03-31T23:00:00-05:00",
        "it is a time of day at -05:00, on 2027-04-01 in UTC: write 2027-03-31 (the day at -05:00, as written) or "
        "2027-04-01 (the day in UTC)",
    ),
    (
        "2027-03-31 01:30:00 +5",
        "it is a time of day at +05:00, on 2027-03-30 in UTC: write 2027-03-31 (the day at +05:00, as written) or "
        "2027-03-30 (the day in UTC)",
    ),
    (
        "2027-03-31T12:00:00+02:00",
        "write 2027-03-31 (the day at +02:00 and in UTC alike)",
    ),
    ("2027-03-31T23:00:00Z", "write 2027-03-31 (the day in UTC, as Z says)"),
]


@pytest.mark.parametrize(("text", "hint"), ZONED)
def test_a_time_with_its_zone_where_a_day_is_asked_tells_both_days(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, hint: str
) -> None:
    """``until: 2027-03-31T23:00:00-05:00`` was offered 2027-03-31, its zone dropped, though the day in UTC is
    2027-04-01 (as GNU date -u -d 2027-03-31T23:00:00-05:00 +%F says): the day in the zone it was written in and
    the day in UTC are both told when they differ, in a member file's date and in --on alike."""
    with pytest.raises(ValueError) as caught:
        parse_day(text)
    assert str(caught.value) == f"{text!r} is not a date written YYYY-MM-DD: {hint}"
    line = _until_line(tmp_path, capsys, text)
    assert line.endswith(f'exceptions.php_eol.until: "{text}" is not a date written YYYY-MM-DD: {hint}, without quotes')

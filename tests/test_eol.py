"""The end-of-life policy on days before, around and after an end of life, with and without exception."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pic import eol
from pic.errors import PicError, Problem
from pic.registry import load_registry
from pic.settings import Settings, load_settings
from tests.conftest import ROOT
from tests.helpers import member, write_members

EOL_82 = dt.date(2026, 12, 31)  # runtime 8.2 in Pulumi.prod.yaml
WARN_DAYS = 365


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(ROOT, "prod")


def _site(php: str, **more: Any) -> dict[str, Any]:
    return member(site={"domains": ["case-asso.fr"], "php": php}, **more)


def _evaluate(tmp_path: Path, settings: Settings, data: dict[str, Any], on: dt.date) -> list[Problem]:
    registry = load_registry(write_members(tmp_path / "m", {"case-member": data}), settings)
    return eol.evaluate(registry, settings, on)


def _exception(until: dt.date) -> dict[str, Any]:
    return {"php_eol": {"until": until, "reason": "new site in progress"}}


@pytest.mark.parametrize(
    ("on", "state", "days_left"),
    [
        (EOL_82 - dt.timedelta(days=WARN_DAYS + 1), "supported", WARN_DAYS + 1),
        (EOL_82 - dt.timedelta(days=WARN_DAYS), "warning", WARN_DAYS),
        (EOL_82 - dt.timedelta(days=1), "warning", 1),
        (EOL_82, "warning", 0),
        (EOL_82 + dt.timedelta(days=1), "eol", -1),
        (EOL_82 + dt.timedelta(days=800), "eol", -800),
    ],
)
def test_runtime_state(settings: Settings, on: dt.date, state: str, days_left: int) -> None:
    st = eol.runtime_status("8.2", settings.runtimes["8.2"], on, WARN_DAYS)
    assert (st.state, st.days_left) == (state, days_left)


@pytest.mark.parametrize(
    ("on", "exception_until", "expected"),
    [
        (EOL_82 - dt.timedelta(days=WARN_DAYS + 1), None, []),
        (EOL_82 - dt.timedelta(days=30), None, ["warning"]),
        (EOL_82, None, ["warning"]),
        (EOL_82 + dt.timedelta(days=1), None, ["error"]),
        (EOL_82 + dt.timedelta(days=1), EOL_82 + dt.timedelta(days=90), ["warning"]),
        (EOL_82 + dt.timedelta(days=90), EOL_82 + dt.timedelta(days=90), ["warning"]),  # until is inclusive
        (EOL_82 + dt.timedelta(days=91), EOL_82 + dt.timedelta(days=90), ["error", "error"]),  # expired + eol
    ],
)
def test_member_on_runtime(
    tmp_path: Path, settings: Settings, on: dt.date, exception_until: dt.date | None, expected: list[str]
) -> None:
    extra = {"exceptions": _exception(exception_until)} if exception_until else {}
    problems = _evaluate(tmp_path, settings, _site("8.2", **extra), on)
    assert sorted(p.severity for p in problems) == expected, problems
    for p in problems:
        assert p.file.endswith("case-member.yaml") and p.line is not None
    if "warning" in expected or "error" in expected:
        site_php = [p for p in problems if p.path == "site.php"]
        assert site_php and "Case Contact <case@case-asso.fr>" in site_php[0].message


def test_error_names_exception_until_field_when_expired(tmp_path: Path, settings: Settings) -> None:
    on = EOL_82 + dt.timedelta(days=10)
    data = _site("8.2", exceptions=_exception(on - dt.timedelta(days=1)))
    problems = _evaluate(tmp_path, settings, data, on)
    (problem,) = [p for p in problems if p.path == "exceptions.php_eol.until"]
    assert problem.severity == "error" and f"{(on - dt.timedelta(days=1)).isoformat()} is past" in problem.message


@pytest.mark.parametrize("until", [dt.date(2027, 1, 31), dt.date(2027, 6, 30)])
@pytest.mark.parametrize(
    ("data", "why"),
    [
        (_site("8.4"), "runtime 8.4 is not past its end of life, and reaches it on 2028-12-31, not before"),
        (_site("8.3"), "runtime 8.3 is not past its end of life, and reaches it on 2027-12-31, not before"),
        (_site("none"), "the member has no PHP site"),
        (member(), "the member has no PHP site"),
    ],
)
def test_an_exception_with_no_effect_is_a_warning_even_past(
    tmp_path: Path, settings: Settings, data: dict[str, Any], why: str, until: dt.date
) -> None:
    """Not needed on the day checked: never an error (it would block every deploy), told it can be removed."""
    for on in (dt.date(2027, 1, 15), dt.date(2027, 2, 1), dt.date(2027, 7, 1)):
        problems = _evaluate(tmp_path / on.isoformat(), settings, {**data, "exceptions": _exception(until)}, on)
        (problem,) = [p for p in problems if p.path == "exceptions.php_eol.until"]
        assert problem.severity == "warning", problem
        assert problem.line is not None and problem.file.endswith("case-member.yaml")
        assert f"{until.isoformat()}: the exception has no effect as of {on.isoformat()} ({why}" in problem.message
        assert "can be removed" in problem.message and "renew" not in problem.message


@pytest.mark.parametrize(
    ("days", "refused"), [(1, False), (366, False), (367, True), (5 * 365, True), (dt.date(2099, 12, 31), True)]
)
def test_an_exception_lasts_at_most_twelve_months(
    tmp_path: Path, settings: Settings, days: int | dt.date, refused: bool
) -> None:
    """Counted from the day of the check, whether or not the runtime has reached its end of life yet."""
    on = dt.date(2026, 11, 28)
    until = days if isinstance(days, dt.date) else on + dt.timedelta(days=days)
    problems = _evaluate(tmp_path, settings, _site("8.4", exceptions=_exception(until)), on)
    errors = [p for p in problems if p.path == "exceptions.php_eol.until" and p.severity == "error"]
    if not refused:
        assert errors == [], errors
        return
    (error,) = errors
    assert error.severity == "error" and error.line is not None and error.file.endswith("case-member.yaml")
    assert f"{until.isoformat()} is {(until - on).days} days after 2026-11-28" in error.message
    assert "give 2027-11-29 at the latest" in error.message


def test_suspended_is_warned_and_archived_ignored(tmp_path: Path, settings: Settings) -> None:
    on = EOL_82 + dt.timedelta(days=10)
    (suspended,) = _evaluate(tmp_path / "s", settings, _site("8.2", status="suspended"), on)
    assert suspended.severity == "warning"
    assert _evaluate(tmp_path / "a", settings, _site("8.2", status="archived"), on) == []


def test_static_site_is_not_concerned(tmp_path: Path, settings: Settings) -> None:
    assert _evaluate(tmp_path, settings, _site("none"), EOL_82 + dt.timedelta(days=10)) == []


def test_stopped_runtime_stops_the_site_even_with_exception(tmp_path: Path, settings: Settings) -> None:
    """``stopped: true`` stops every site on the runtime (README): a warning that the site answers 503, and the
    site's state is refused (no container), exception or not. It was an error, which stopped every ``pulumi up``
    and left the containers on the runtime running."""
    runtimes = dict(settings.runtimes)
    runtimes["7.4"] = runtimes["7.4"].model_copy(update={"stopped": True})
    stopped = settings.model_copy(update={"runtimes": runtimes})
    data = _site("7.4", exceptions=_exception(dt.date(2027, 3, 31)))
    (problem,) = _evaluate(tmp_path, stopped, data, dt.date(2026, 11, 28))
    assert problem.severity == "warning", problem
    assert "runtime 7.4 is stopped by the admins; its site answers 503 (no container)" in problem.message
    for status in ("suspended", "archived"):
        found = _evaluate(tmp_path / status, stopped, _site("7.4", status=status), dt.date(2026, 11, 28))
        assert all(p.severity == "warning" and "answers 503" not in p.message for p in found), found


def test_a_stopped_runtime_leaves_the_stack_valid_and_its_sites_refused(tmp_path: Path) -> None:
    """The whole path an admin takes: ``stopped: true`` on the examples' 8.3 in the stack file; ``pic check``
    exits 0 with the warning, and the member on it is planned without its container."""
    for name in ("Pulumi.yaml", "Pulumi.prod.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "members", tmp_path / "members")
    stack = tmp_path / "Pulumi.prod.yaml"
    text = stack.read_text(encoding="utf-8")
    assert text.count('"8.3": {') == 1, "the example stack's 8.3 runtime is written on one line"
    stack.write_text(text.replace('"8.3": {', '"8.3": {stopped: true, ', 1), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pic", "check", "--project", str(tmp_path), "--members", str(tmp_path / "members")],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "runtime 8.3 is stopped by the admins; its site answers 503" in done.stdout + done.stderr
    settings = load_settings(tmp_path, "prod")
    registry = load_registry(tmp_path / "members", settings)
    on_83 = [m for m in registry if m.runtime == "8.3" and m.status == "active"]
    assert on_83 and {eol.site_state(m, settings, dt.date(2026, 12, 4)) for m in on_83} == {"refused"}


def test_newest_supported_skips_stopped_and_ended(settings: Settings) -> None:
    assert eol.newest_supported(settings, dt.date(2026, 11, 28)) == "8.5"
    runtimes = dict(settings.runtimes)
    runtimes["8.5"] = runtimes["8.5"].model_copy(update={"stopped": True})
    assert eol.newest_supported(settings.model_copy(update={"runtimes": runtimes}), dt.date(2026, 11, 28)) == "8.4"
    assert eol.newest_supported(settings, dt.date(2031, 1, 1)) is None


def test_check_fails_on_the_day_after_an_exception_ends() -> None:
    """The example member on 7.4 is allowed until 2027-03-31 included, refused the day after."""
    from pic.check import check

    check(ROOT, "prod", ROOT / "members", dt.date(2027, 3, 31))
    with pytest.raises(PicError) as info:
        check(ROOT, "prod", ROOT / "members", dt.date(2027, 4, 1))
    assert "jardins-partages.yaml" in str(info.value)


def test_an_exception_too_long_is_only_the_error(tmp_path: Path, settings: Settings) -> None:
    """7.4 is past end of life; an exception 458 days ahead allows nothing: its error alone, no "allowed by
    exception until" beside it."""
    on = dt.date(2026, 11, 28)
    data = _site("7.4", exceptions=_exception(dt.date(2028, 2, 29)))
    (problem,) = _evaluate(tmp_path, settings, data, on)
    assert (problem.path, problem.severity) == ("exceptions.php_eol.until", "error")
    assert "2028-02-29 is 458 days after 2026-11-28" in problem.message
    assert "give 2027-11-29 at the latest" in problem.message
    # 366 days is allowed: the warning says until when.
    until = on + dt.timedelta(days=366)
    (warning,) = _evaluate(tmp_path / "ok", settings, _site("7.4", exceptions=_exception(until)), on)
    assert warning.severity == "warning" and f"allowed by exception until {until.isoformat()}" in warning.message


@pytest.mark.parametrize(
    "case",  # (day, exception until, runtime stopped, last day expected)
    [
        (EOL_82 - dt.timedelta(days=30), None, False, EOL_82),
        (EOL_82 - dt.timedelta(days=30), dt.date(2027, 6, 30), False, dt.date(2027, 6, 30)),  # runs past eol
        (EOL_82 - dt.timedelta(days=30), EOL_82 - dt.timedelta(days=10), False, EOL_82),  # ends first: no help
        (EOL_82 - dt.timedelta(days=30), EOL_82 - dt.timedelta(days=31), False, EOL_82),  # expired
        (EOL_82, None, False, EOL_82),
        (EOL_82 + dt.timedelta(days=1), None, False, None),
        (EOL_82 + dt.timedelta(days=1), dt.date(2027, 6, 30), False, dt.date(2027, 6, 30)),
        (dt.date(2027, 6, 30), dt.date(2027, 6, 30), False, dt.date(2027, 6, 30)),  # until is inclusive
        (dt.date(2027, 7, 1), dt.date(2027, 6, 30), False, None),
        (EOL_82 - dt.timedelta(days=30), dt.date(2027, 6, 30), True, None),  # stopped: no exception helps
    ],
)
def test_runs_until_agrees_with_site_state(
    tmp_path: Path, settings: Settings, case: tuple[dt.date, dt.date | None, bool, dt.date | None]
) -> None:
    """The last day a site may run on its runtime: the end of life, or a valid exception's until when later."""
    on, exception_until, stopped, expected = case
    extra = {"exceptions": _exception(exception_until)} if exception_until else {}
    (m,) = load_registry(write_members(tmp_path / "m", {"case-member": _site("8.2", **extra)}), settings)
    runtimes = dict(settings.runtimes)
    runtimes["8.2"] = runtimes["8.2"].model_copy(update={"stopped": stopped})
    current = settings.model_copy(update={"runtimes": runtimes})
    assert eol.runs_until(m, current.runtimes["8.2"], on) == expected
    assert eol.site_state(m, current, on) == ("refused" if expected is None else "running")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2027-02-29", "2027-02-29 is not a date: there is no such day in the calendar (February 2027 has 28 days)"),
        ("2027-04-31", "2027-04-31 is not a date: there is no such day in the calendar (April 2027 has 30 days)"),
        ("2027-13-01", "2027-13-01 is not a date: there is no such day in the calendar (months go from 01 to 12)"),
        ('"2027-03-31"', '"2027-03-31" is text, not a date: write the date without quotes (2027-03-31)'),
        ("'2027-03-31'", '"2027-03-31" is text, not a date: write the date without quotes (2027-03-31)'),
        ('"2027-02-30"', '"2027-02-30" is not a date: there is no such day in the calendar (February 2027 has 28'),
        ("31/03/2027", '"31/03/2027" is not a date written YYYY-MM-DD: write 2027-03-31, without quotes'),
        ("2027-03-31T10:00:00+01:00", '"2027-03-31T10:00:00+01:00" is not a date written YYYY-MM-DD: write 2027-03-31'),
        # no time of day: what follows is no time (the pattern of a time took any character from + to Z)
        ("2027-03-31T10:00@X", '"2027-03-31T10:00@X" is not a date written YYYY-MM-DD: write the year, month and day'),
        # the month by its name, in French or English, whole or cut short
        ('"31 mars 2027"', '"31 mars 2027" is not a date written YYYY-MM-DD: write 2027-03-31, without quotes'),
        ("1er avril 2027", '"1er avril 2027" is not a date written YYYY-MM-DD: write 2027-04-01, without quotes'),
        ("15 août 2027", '"15 août 2027" is not a date written YYYY-MM-DD: write 2027-08-15, without quotes'),
        ("15 aout 2027", '"15 aout 2027" is not a date written YYYY-MM-DD: write 2027-08-15, without quotes'),
        ("3 févr. 2027", '"3 févr. 2027" is not a date written YYYY-MM-DD: write 2027-02-03, without quotes'),
        ('"March 31, 2027"', '"March 31, 2027" is not a date written YYYY-MM-DD: write 2027-03-31, without quotes'),
        ("Dec 1st 2027", '"Dec 1st 2027" is not a date written YYYY-MM-DD: write 2027-12-01, without quotes'),
        ("31 March 2027", '"31 March 2027" is not a date written YYYY-MM-DD: write 2027-03-31, without quotes'),
        ("31 JANVIER 2027", '"31 JANVIER 2027" is not a date written YYYY-MM-DD: write 2027-01-31, without quotes'),
        # a month's name with a day it lacks, or a word no month's: no day offered
        ("31 avril 2027", '"31 avril 2027" is not a date written YYYY-MM-DD: write the year, month and day'),
        ("31 marsh 2027", '"31 marsh 2027" is not a date written YYYY-MM-DD: write the year, month and day'),
    ],
    ids=[
        "february-29",
        "april-31",
        "month-13",
        "quoted",
        "single-quoted",
        "quoted-february-30",
        "another-form",
        "with-a-time",
        "with-no-time",
        "french-month",
        "french-first",
        "french-accent",
        "french-no-accent",
        "french-short",
        "english-month-first",
        "english-short-ordinal",
        "english-day-first",
        "capitals",
        "no-such-day",
        "no-month",
    ],
)
def test_exception_date_error_says_what_is_wrong(
    tmp_path: Path, settings: Settings, written: str, expected: str
) -> None:
    members = tmp_path / "members"
    members.mkdir()
    (members / "case-member.yaml").write_text(
        "name: Case Member\n"
        "contact: {name: Case Contact, email: case@case-asso.fr}\n"
        "uid: 10600\n"
        'site: {domains: [case-asso.fr], php: "7.4"}\n'
        "exceptions:\n"
        f"  php_eol: {{until: {written}, reason: new site in progress}}\n",
        encoding="utf-8",
    )
    with pytest.raises(PicError) as info:
        load_registry(members, settings)
    (problem,) = info.value.problems
    assert (problem.path, problem.line) == ("exceptions.php_eol.until", 6)
    assert problem.message.startswith(expected), problem.message


@pytest.mark.parametrize("days", [-1, eol.MAX_EXCEPTION_DAYS + 1])
def test_an_archived_members_exception_dates_warn_and_block_nothing(
    tmp_path: Path, settings: Settings, days: int
) -> None:
    """Past or too far ahead, an active member's exception date is an error; an archived member's,
    which runs nothing, a warning: an unrelated change's `pic check` does not fail on it."""
    on = EOL_82 + dt.timedelta(days=30)
    until = on + dt.timedelta(days=days)
    for status, severity in (("active", "error"), ("archived", "warning")):
        data = _site("8.2", status=status, exceptions=_exception(until))
        problems = _evaluate(tmp_path / status, settings, data, on)
        dated = [p for p in problems if p.path == "exceptions.php_eol.until"]
        assert [p.severity for p in dated] == [severity], problems


@pytest.mark.parametrize(
    ("days", "said"),
    [(30, "on 2026-12-31, in 30 days;"), (2, "in 2 days;"), (1, "on 2026-12-31, tomorrow;"), (0, "today (its last")],
)
def test_the_warning_says_when_the_end_of_life_comes_in_words(
    tmp_path: Path, settings: Settings, days: int, said: str
) -> None:
    """On the end-of-life day itself and the day before, the warning says today and tomorrow, not "in 0 days"
    nor "in 1 days"."""
    (problem,) = _evaluate(tmp_path, settings, _site("8.2"), EOL_82 - dt.timedelta(days=days))
    assert said in problem.message, problem.message
    assert "in 0 days" not in problem.message and "in 1 days" not in problem.message


def test_an_exception_granted_for_another_runtime_does_not_cover_the_site(tmp_path: Path, settings: Settings) -> None:
    """Granted for 7.4, the site moved to 8.2 past its end of life: an error naming both, the site refused."""
    on = EOL_82 + dt.timedelta(days=15)
    exc = {"php_eol": {"until": on + dt.timedelta(days=60), "reason": "old site kept meanwhile", "runtime": "7.4"}}
    registry = load_registry(write_members(tmp_path / "m", {"case-member": _site("8.2", exceptions=exc)}), settings)
    problems = eol.evaluate(registry, settings, on)
    (granted,) = [p for p in problems if p.path == "exceptions.php_eol.runtime"]
    assert granted.severity == "error" and granted.line is not None
    assert 'granted for runtime 7.4, the site is on site.php "8.2"' in granted.message
    assert "allowed by exception" not in " ".join(p.message for p in problems)
    assert eol.site_state(registry.get("case-member"), settings, on) == "refused"
    same = {"php_eol": {**exc["php_eol"], "runtime": "8.2"}}
    assert [p.severity for p in _evaluate(tmp_path / "s", settings, _site("8.2", exceptions=same), on)] == ["warning"]


def test_an_exception_for_another_runtime_is_no_exception_in_the_report(tmp_path: Path, settings: Settings) -> None:
    """The report's ``exception_until`` (and pic notify's texts) read the exception through ``eol.exception_for``:
    one granted for 7.4, on a site moved to 8.2, is not shown as covering it; one granted for 8.2 is."""
    from pic.report import build

    on = EOL_82 + dt.timedelta(days=5)
    for granted, shown in (("7.4", None), ("8.2", "2027-03-31")):
        exc = {"php_eol": {"until": dt.date(2027, 3, 31), "reason": "a move planned", "runtime": granted}}
        members = write_members(tmp_path / granted, {"case-member": _site("8.2", exceptions=exc)})
        registry = load_registry(members, settings)
        (m,) = list(registry)
        assert (eol.exception_for(m) is not None) == (shown is not None), granted
        (row,) = [c for c in build(registry, settings, on)["members_to_contact"] if c["slug"] == "case-member"]
        assert row["exception_until"] == shown, (granted, row)


@pytest.mark.parametrize("granted", [None, "8.2"])
def test_an_exception_granted_before_the_end_of_life_keeps_the_site_past_it(
    tmp_path: Path, settings: Settings, granted: str | None
) -> None:
    """8.2 in its warning period, an exception until after its end of life: the site runs to its ``until``
    (eol.runs_until), so it has an effect and is never told it can be removed; the warning on site.php says
    until when the site is allowed."""
    on = EOL_82 - dt.timedelta(days=27)
    exc = {"php_eol": {"until": EOL_82 + dt.timedelta(days=90), "reason": "a move planned for March"}}
    if granted is not None:
        exc["php_eol"]["runtime"] = granted
    problems = _evaluate(tmp_path, settings, _site("8.2", exceptions=exc), on)
    assert not any("can be removed" in p.message for p in problems), problems
    (warning,) = problems
    assert warning.severity == "warning" and warning.path == "site.php", warning
    assert "reaches its end of life on 2026-12-31, in 27 days" in warning.message
    assert "allowed by exception until 2027-03-31" in warning.message, warning.message


@pytest.mark.parametrize(
    ("until", "granted", "why"),
    [
        (EOL_82, None, "runtime 8.2 is not past its end of life, and reaches it on 2026-12-31, not before"),
        (EOL_82 + dt.timedelta(days=90), "7.4", "granted for runtime 7.4, the site is on 8.2"),
    ],
)
def test_an_exception_ending_before_the_end_of_life_or_for_another_runtime_has_no_effect(
    tmp_path: Path, settings: Settings, until: dt.date, granted: str | None, why: str
) -> None:
    on = EOL_82 - dt.timedelta(days=27)
    exc: dict[str, Any] = {"php_eol": {"until": until, "reason": "a move planned for March"}}
    if granted is not None:
        exc["php_eol"]["runtime"] = granted
    problems = _evaluate(tmp_path, settings, _site("8.2", exceptions=exc), on)
    (removable,) = [p for p in problems if p.path == "exceptions.php_eol.until"]
    assert removable.severity == "warning" and "can be removed" in removable.message, removable
    assert why in removable.message, removable.message


@pytest.mark.parametrize("php", ["7.4", "8.4"])
@pytest.mark.parametrize(("granted", "hint"), [("7.40", "; did you mean '7.4'?"), ("9.9", "")])
def test_an_exception_granted_for_no_runtime_of_the_stack_is_named_so(
    tmp_path: Path, settings: Settings, php: str, granted: str, hint: str
) -> None:
    """A runtime key the stack lacks (a typo, a runtime since removed) is said to be none, with the stack's keys:
    not 'ask for a new exception for 7.4', which a typo does not need. An error when the site needs the exception
    (on 7.4, past its end of life), a warning otherwise."""
    on = dt.date(2026, 12, 4)
    exc = {"php_eol": {"until": dt.date(2027, 3, 31), "reason": "old site kept meanwhile", "runtime": granted}}
    problems = _evaluate(tmp_path, settings, _site(php, exceptions=exc), on)
    (named,) = [p for p in problems if p.path == "exceptions.php_eol.runtime"]
    assert named.severity == ("error" if php == "7.4" else "warning") and named.line is not None, named
    assert named.message == (f'"{granted}" is not a runtime of stack prod (known: 7.4, 8.2, 8.3, 8.4, 8.5){hint}'), (
        named.message
    )
    assert not any("can be removed" in p.message or "ask for a new" in p.message for p in problems), problems


def test_an_exception_runtime_is_a_runtime_key_never_none(tmp_path: Path, settings: Settings) -> None:
    """site.php's "none" (a static site) is no runtime an exception is granted for; the hint says what is."""
    exc = {"php_eol": {"until": dt.date(2027, 3, 31), "reason": "old site kept meanwhile", "runtime": "none"}}
    with pytest.raises(PicError) as raised:
        load_registry(write_members(tmp_path / "m", {"case-member": _site("7.4", exceptions=exc)}), settings)
    said = str(raised.value)
    assert 'exceptions.php_eol.runtime: "none" is not allowed here' in said, said
    assert "static site" not in said and '"7.4"' in said, said


@pytest.mark.parametrize(
    ("written", "told"),
    [
        ('"2028-3-1"', "but 2028-03-01 is 517 days after 2026-10-01"),
        ('"2026-1-1"', "but 2026-01-01 is past (as of 2026-10-01)"),
        ("20280301", "but 2028-03-01 is 517 days after 2026-10-01"),
    ],
)
def test_an_until_offered_for_one_written_otherwise_says_when_the_rule_refuses_it(
    tmp_path: Path, written: str, told: str
) -> None:
    """until: "2028-3-1" was told "write 2028-03-01", which the end-of-life rule then refused (an exception lasts at
    most 366 days after the day of the check); a date offered that is past or too far is told so, with the day to
    give at the latest."""
    from pic.check import check

    data = member(10600, site=_site("7.4"), exceptions={"php_eol": {"until": "X", "reason": "new site in progress"}})
    members = write_members(tmp_path / "members", {"case-asso": data})
    path = members / "case-asso.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("until: X", f"until: {written}"), encoding="utf-8")
    with pytest.raises(PicError) as info:
        check(ROOT, "prod", members, dt.date(2026, 10, 1))
    [line] = [ln for ln in str(info.value).splitlines() if "exceptions.php_eol.until" in ln]
    assert told in line, line
    if "days after" in told:
        assert "give 2027-10-02 at the latest" in line, line


@pytest.mark.parametrize(("days_before", "said"), [(0, "today, its last day: the site stops tomorrow"), (1, "")])
def test_the_warning_on_an_exceptions_last_day_says_it_is_today(
    tmp_path: Path, settings: Settings, days_before: int, said: str
) -> None:
    """On the last day an exception allows, pic check's warning named the day as any other ahead ("allowed by
    exception until 2027-03-31"), as pic notify's message did: it says it is today, and that the site stops tomorrow;
    the day before, the day alone."""
    until = dt.date(2027, 3, 31)
    (warning,) = _evaluate(
        tmp_path, settings, _site("7.4", exceptions=_exception(until)), until - dt.timedelta(days_before)
    )
    assert warning.severity == "warning", warning
    assert f"allowed by exception until {until.isoformat()}{', ' + said if said else ' ('}" in warning.message, warning


def test_the_warning_on_a_suspended_members_exceptions_last_day_says_its_site_does_not_run(
    tmp_path: Path, settings: Settings
) -> None:
    """On the last day of a suspended member's exception, pic check said the site stops tomorrow, though it answers
    503 already (PHP does not run there): it says that, suspended, the site may run on the runtime until tonight if
    it is put back today, not after, as pic notify's message does."""
    until = dt.date(2027, 3, 31)
    (warning,) = _evaluate(tmp_path, settings, _site("7.4", status="suspended", exceptions=_exception(until)), until)
    assert warning.severity == "warning", warning
    assert "today, its last day" in warning.message and "stops tomorrow" not in warning.message, warning
    assert "suspended" in warning.message, warning

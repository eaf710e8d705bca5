"""The one reader of a day written ``YYYY-MM-DD``: the commands' ``--on``, the policy pack's ``on`` and the
dates of a site's facts that the pack reads.

Standard library only: the policy pack, which runs in its own virtualenv, imports it from the project's directory.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

# Exactly YYYY-MM-DD in ASCII digits: date.fromisoformat also reads week dates (2026-W48-1),
# the basic format (20261201) and other digits, none of which the help promises.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str) -> dt.date:
    """The day ``text`` names, written exactly ``YYYY-MM-DD`` (ISO 8601's extended calendar date).

    Raises ValueError, its message naming ``text``: another form (``20261201``, ``2026-W48-1``, other
    digits) or a day the calendar does not have (``2027-02-30``). Standard library only: the policy
    pack reads its dates with it too."""
    if _DAY.fullmatch(text) is None:
        meant = day_meant(text)
        hint = "" if meant is None else f" ({meant[1]}): write {meant[0]}"
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD{hint}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:  # written so, but no such day: "day is out of range for month"
        raise ValueError(f"{text!r} is no day of the calendar ({exc})") from None


# ISO 8601's other forms of one day: a week date (2027-W13-3, 2027W133) and an ordinal date (2027-090)
_WEEK_DAY = re.compile(r"([0-9]{4})(-?)W([0-9]{2})\2([1-7])")
_ORDINAL_DAY = re.compile(r"([0-9]{4})-([0-9]{3})")
_WEEK_FORM = re.compile(r"[0-9]{4}(-?)W[0-9]{2}(?:\1[0-9])?")  # a week date's form, of a day or not (2027-W13-8)
# Dashes that word processors and keyboards put for ASCII's hyphen-minus
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")


def iso_form(text: str) -> bool:
    """Whether ``text`` is written as an ISO 8601 week or ordinal date, whether or not the calendar has that day
    (2027-W53-1: 2027 has 52 weeks): a date mistyped, never a secret."""
    return _WEEK_FORM.fullmatch(text) is not None or _ORDINAL_DAY.fullmatch(text) is not None


def day_meant(text: str) -> tuple[str, str] | None:
    """The day ``text`` names in another form than YYYY-MM-DD: an ISO 8601 week or ordinal date, or YYYY-MM-DD in
    digits and hyphens of other scripts or look-alikes (full-width digits, U+2010 HYPHEN); as (YYYY-MM-DD, what the
    text is), or None when it is no such form or no day of the calendar. Such text is a date, never a secret."""
    try:
        return _iso_day(text) if text.isascii() else _look_alike_day(text)
    except ValueError:  # week 53 of a year of 52, week 00, day 366 of a year of 365, a month 13
        return None


def _iso_day(text: str) -> tuple[str, str] | None:
    """:func:`day_meant` of an ISO 8601 week date (2027-W13-3, 2027W133) or ordinal date (2027-090)."""
    if (week := _WEEK_DAY.fullmatch(text)) is not None:
        day = dt.date.fromisocalendar(int(week[1]), int(week[3]), int(week[4]))
        return day.isoformat(), f"an ISO week date: day {week[4]} of week {week[3]} of {week[1]}"
    if (ordinal := _ORDINAL_DAY.fullmatch(text)) is not None:
        year, number = int(ordinal[1]), int(ordinal[2])
        if not year or not 1 <= number <= (366 if calendar.isleap(year) else 365):
            return None
        day = dt.date(year, 1, 1) + dt.timedelta(days=number - 1)
        return day.isoformat(), f"an ISO ordinal date: day {number} of {year}"
    return None


def _look_alike_day(text: str) -> tuple[str, str] | None:
    """:func:`day_meant` of YYYY-MM-DD written with digits of another script or dashes that look like a hyphen."""
    ascii_text = "".join(_ascii_look_alike(ch) for ch in text[:40])
    if _DAY.fullmatch(ascii_text) is None:
        return None
    day = dt.date.fromisoformat(ascii_text)
    first = next(ch for ch in text if not ch.isascii())
    code = f"U+{ord(first):04X} {unicodedata.name(first, '')}".rstrip()
    return day.isoformat(), f"written with {code}, which is not ASCII's {_ascii_look_alike(first)!r}"


def _ascii_look_alike(ch: str) -> str:
    """The ASCII digit or hyphen ``ch`` stands for (a digit of another script, a dash), else ``ch``."""
    if ch.isascii():
        return ch
    if ch in _DASHES:
        return "-"
    digit = unicodedata.decimal(ch, None)
    return ch if digit is None else str(digit)

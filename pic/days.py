"""The one reader of a day written ``YYYY-MM-DD``: the commands' ``--on``, the policy pack's ``on`` and the
dates of a site's facts that the pack reads.

Standard library only: the policy pack, which runs in its own virtualenv, imports it from the project's directory.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata

# Exactly YYYY-MM-DD in ASCII digits: date.fromisoformat also reads week dates (2026-W48-1),
# the basic format (20261201) and other digits, none of which the help promises.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str) -> dt.date:
    """The day ``text`` names, written exactly ``YYYY-MM-DD`` (ISO 8601's extended calendar date).

    Raises ValueError, its message naming ``text``: another form (``20261201``, ``2026-W48-1``, other
    digits), an empty value or blanks alone (said so) or a day the calendar does not have (``2027-02-30``).
    Standard library only: the policy pack reads its dates with it too."""
    if not text.strip():  # --on= or a blank pasted alone: said so, as every option's empty value is
        raise ValueError(
            f"{text!r} is not a date written YYYY-MM-DD: it {'is empty' if not text else 'holds blanks alone'}"
        )
    if _DAY.fullmatch(text) is None and (zoned := zoned_day(text)) is not None:
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD: {zoned}")
    if _DAY.fullmatch(text) is None:
        meant = day_meant(text)
        days = days_written(text) if meant is None else []
        if meant is not None:
            hint = f" ({meant[1]}): write {meant[0]}"
        elif len(days) == 1:
            hint = f": write {days[0]}"
        elif len(days) == 2:
            hint = f": write {days[0]} (day first) or {days[1]} (month first)"
        else:
            hint = ""
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD{hint}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:  # written so, but no such day: "day is out of range for month"
        raise ValueError(f"{text!r} is no day of the calendar ({exc})") from None


# A time of day with its zone after a day, as ISO 8601 and YAML 1.1's timestamps write it (2027-03-31T23:00:00-05:00,
# 2027-03-31 23:00:00 -5, 2027-03-31T04:00Z)
@functools.cache
def _zoned() -> re.Pattern[str]:
    """The form of a time of day with its zone, compiled at its first call (most runs never ask)."""
    return re.compile(
        r"\s*([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]*)?)?"
        r"[ \t]*(?:[Zz]|([-+])([0-9]{1,2})(?::?([0-9]{2}))?)\s*"
    )


def zoned_day(text: str) -> str | None:
    """For a time of day with its zone where a day is asked (2027-03-31T23:00:00-05:00), how to write the day: the
    day in the zone it was written in and the day in UTC, both named when they differ (2027-04-01 in UTC); None
    for other text or a day the calendar lacks. The hint alone, after ``: ``."""
    match = _zoned().fullmatch(text) if len(text) <= 60 else None
    if match is None:
        return None
    try:
        day = dt.date.fromisoformat(match[1])
        sign, hours, minutes = match[5], int(match[6] or 0), int(match[7] or 0)
        offset = dt.timedelta(hours=hours, minutes=minutes) * (-1 if sign == "-" else 1)
        moment = dt.datetime.combine(day, dt.time(int(match[2]), int(match[3]), int(match[4] or 0)))
    except ValueError:  # 2027-02-30, an hour 25
        return None
    zone = "Z" if sign is None else f"{sign}{hours:02d}:{minutes:02d}"
    at = "in UTC (Z)" if sign is None else f"at {zone}"
    utc = (moment - offset).date()
    if utc == day:
        where = "in UTC, as Z says" if sign is None else "in UTC" if not offset else f"{at} and in UTC alike"
        return f"write {day.isoformat()} (the day {where})"
    return (
        f"it is a time of day {at}, on {utc.isoformat()} in UTC: write {day.isoformat()} (the day {at}, as written) "
        f"or {utc.isoformat()} (the day in UTC)"
    )


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
    text is), or None when it is no such form or no day of the calendar. Such text is a date, never a secret. One
    with blanks around it is told so (`` 2026-01-01``: ``blanks around it``), and what is inside them."""
    stripped = text.strip()
    if stripped and stripped != text:
        if _DAY.fullmatch(stripped) is None:
            inner = day_meant(stripped)
            return None if inner is None else (inner[0], f"blanks around it, and {inner[1]}")
        try:
            return dt.date.fromisoformat(stripped).isoformat(), "blanks around it"
        except ValueError:  # 2027-02-30: no day of the calendar
            return None
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


# A month by its name in French or English, whole or cut short (with or without its final '.', its accents), as a
# day is written in words: 31 mars 2027, 1er avril 2027, 3 févr. 2027, March 31, 2027, Dec 1st 2027
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "janvier janv jan january",
            "février fevrier févr fevr fév fev feb february",
            "mars mar march",
            "avril avr apr april",
            "mai may",
            "juin jun june",
            "juillet juil jul july",
            "août aout aoû aou aug august",
            "septembre sept sep september",
            "octobre oct october",
            "novembre nov november",
            "décembre decembre déc dec december",
        ],
        1,
    )
    for name in names.split()
}


@functools.cache
def _written_forms() -> tuple[re.Pattern[str], ...]:
    """The forms :func:`days_written` reads, compiled at its first call (most runs never ask): year first (2026/12/01,
    2026.12.1, 2026-12-1, with a time: 2026-12-01T00:00:00), the eight digits of a day (20261201), the month by its
    name after the day (31 mars 2027, 1er avril 2027) or before it (March 31, 2027), day first (01/12/2026)."""
    month = "|".join(sorted(_MONTHS, key=len, reverse=True))
    return (
        re.compile(r"\s*([0-9]{4})[-/. ]([0-9]{1,2})[-/. ]([0-9]{1,2})(?:[T ][0-9:.+Z-]*)?\s*"),
        re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"),
        re.compile(rf"\s*([0-9]{{1,2}})(?:er|st|nd|rd|th)?\s+({month})\.?\s+([0-9]{{4}})\s*", re.IGNORECASE),
        re.compile(rf"\s*({month})\.?\s+([0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+([0-9]{{4}})\s*", re.IGNORECASE),
        re.compile(r"\s*([0-9]{1,2})[-/. ]([0-9]{1,2})[-/. ]([0-9]{4})\s*"),
    )


def _calendar_day(year: str, month: str | int, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def days_written(text: str) -> list[str]:
    """The days (YYYY-MM-DD) ``text`` names when written another common way than YYYY-MM-DD (:func:`_written_forms`):
    none, one, or for a day first with digits alone (01/12/2026) the day-first reading (as French dates are written)
    and the month-first one (US), when the calendar has both. Days the calendar lacks are left out (31 avril 2027)."""
    if len(text) > 60:
        return []
    year_first, eight, day_month, month_day, day_first = _written_forms()
    if (m := year_first.fullmatch(text) or eight.fullmatch(text)) is not None:
        days = [_calendar_day(m[1], m[2], m[3])]
    elif (m := day_month.fullmatch(text)) is not None:
        days = [_calendar_day(m[3], _MONTHS[m[2].lower()], m[1])]
    elif (m := month_day.fullmatch(text)) is not None:
        days = [_calendar_day(m[3], _MONTHS[m[1].lower()], m[2])]
    elif (m := day_first.fullmatch(text)) is not None:
        days = [_calendar_day(m[3], m[2], m[1]), _calendar_day(m[3], m[1], m[2])]
    else:
        days = []
    return list(dict.fromkeys(day for day in days if day is not None))

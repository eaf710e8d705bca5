"""Commands of ``pic`` that have a home of their own: one module per subcommand.

Each module has ``add_parser(sub, common)`` (its argument wiring) and
``run(args, on) -> int`` (exit status); ``pic/cli.py`` only dispatches. The
core (registry, settings, report, render) never imports from here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re

# Exactly YYYY-MM-DD in ASCII digits: date.fromisoformat also reads week dates (2026-W48-1),
# the basic format (20261201) and other digits, none of which the help promises.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str) -> dt.date:
    """The day ``text`` names, written exactly ``YYYY-MM-DD`` (ISO 8601's extended calendar date).

    Raises ValueError, its message naming ``text``: another form (``20261201``, ``2026-W48-1``, other
    digits) or a day the calendar does not have (``2027-02-30``). Standard library only: the policy
    pack reads its dates with it too."""
    if _DAY.fullmatch(text) is None:
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:  # written so, but no such day: "day is out of range for month"
        raise ValueError(f"{text!r} is no day of the calendar ({exc})") from None


def date_argument(text: str) -> dt.date:
    """An argparse type: a day written YYYY-MM-DD (the one parser of every ``--on``)."""
    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None

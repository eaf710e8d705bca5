"""The one reader of a day written ``YYYY-MM-DD``: the commands' ``--on``, the policy pack's ``on`` and the
dates of a site's facts that the pack reads.

Standard library only: the policy pack, which runs in its own virtualenv, imports it from the project's directory.
"""

from __future__ import annotations

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

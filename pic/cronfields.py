"""The form of a member's cron schedule (:mod:`pic.cron` reads and checks it): what the member model's field needs when
it is defined, apart from :mod:`pic.cron`, which is loaded only for the members with cron jobs."""

from __future__ import annotations

KEYWORDS = ("hourly", "daily", "weekly")
FIELD = r"\*|\*/[0-9]{1,2}|[0-9]{1,2}(-[0-9]{1,2})?(,[0-9]{1,2}(-[0-9]{1,2})?)*"
PATTERN = rf"hourly|daily|weekly|({FIELD}) ({FIELD}) ({FIELD}) ({FIELD}) ({FIELD})"
WORDS = (
    'hourly, daily, weekly, or five cron fields "minute hour day-of-month month day-of-week", '
    'each *, */N or numbers and ranges (e.g. "*/15 * * * *", "30 2 * * 1-5")'
)

"""Members' cron jobs: the schedules a member file may give, and their systemd calendar form.

A schedule is ``hourly``, ``daily`` or ``weekly`` (the platform picks the minute,
hour and day from the member's slug and the job's place, so that the members'
jobs do not all start at once), or a restricted cron expression of five fields
(crontab(5): minute, hour, day of month, month, day of week) where each field is
``*``, ``*/N`` or a list of numbers and ranges ``a-b``, with:

- the minute never ``*`` and never more often than every 5 minutes;
- the day of month and the day of week not both restricted by values (cron runs
  a job when EITHER matches, systemd's calendar when both do: refused rather than
  translated); a day of month ``*/N`` with days of week is allowed, since cron too
  then wants both (a field starting with ``*``: Vixie cron's DOM_STAR).

Each schedule becomes a systemd ``OnCalendar=`` value (systemd.time(7),
"Calendar Events"), which ``systemd-analyze calendar`` reads.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
import shlex
import signal
import unicodedata
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

from pic.cronfields import KEYWORDS, PATTERN
from pic.lazyre import LazyPattern

if TYPE_CHECKING:
    from pic import shsyntax

MIN_INTERVAL_MINUTES = 5
# Daily and weekly jobs start in the night, between 01:00 and 05:59 (the dumps run earlier).
NIGHT_HOURS = range(1, 6)
NAMES = ("minute", "hour", "day of month", "month", "day of week")
BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
DAYS_IN_MONTH = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
DAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def check_expression(text: str) -> str:
    """``text`` unchanged, or ValueError saying which field is wrong and what is allowed."""
    if text in KEYWORDS:
        return text
    fields = text.split(" ")
    for name, (low, high), field in zip(NAMES, BOUNDS, fields, strict=True):
        if field.startswith("*/"):
            step = int(field[2:])
            if not 1 <= step <= high:
                raise ValueError(f"the {name} step {step} is not between 1 and {high}")
            continue
        if field == "*":
            continue
        for part in field.split(","):
            a, _, b = part.partition("-")
            first, last = int(a), int(b or a)
            for n in (first, last):
                if not low <= n <= high:
                    raise ValueError(f"the {name} {n} is not between {low} and {high}")
            if first > last:
                raise ValueError(f"the {name} range {part} goes backwards")
    if fields[4].startswith("*/"):
        raise ValueError("a day of week step has no calendar form: list the days (e.g. 1,3,5)")
    minutes = _values(fields[0], 0, 59)
    pairs = list(itertools.pairwise(minutes))
    hours = set(_values(fields[1], 0, 23))
    if any((hour + 1) % 24 in hours for hour in hours):  # the last minute of an hour, then the first of the next
        pairs.append((minutes[-1], minutes[0]))  # (23 then 0: two days in a row may both be run)
    gaps = [((later - first) % 60 or 60, first, later) for first, later in pairs]
    gap, early, late = min(gaps) if gaps else (60, 0, 0)  # one minute in hours apart: an hour at least
    if gap < MIN_INTERVAL_MINUTES:
        # named, as the gap over the hour's end is not seen (*/7: at 56, then at 0 of the next hour)
        hour = " of the next hour" if late <= early else ""
        at = f"at minutes {early} and {late}{hour}, {gap} minute{'s' if gap > 1 else ''} apart"
        raise ValueError(
            f"runs more often than every {MIN_INTERVAL_MINUTES} minutes ({at}): give minutes at least "
            f"{MIN_INTERVAL_MINUTES} apart (e.g. */5, 0,30)"
        )
    _check_days(fields)
    return text


# crontab(5)'s names of days and months, by the number the schedules take for them.
DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# crontab(5)'s @ words, by the schedule written here for each.
# crontab(5)'s @ words, by the schedule written here for each and the same in five fields.
_AT_WORDS = {
    "@hourly": ("hourly", "0 * * * *"),
    "@daily": ("daily", "0 0 * * *"),
    "@midnight": ("daily", "0 0 * * *"),
    "@weekly": ("weekly", "0 0 * * 0"),
    "@monthly": ("0 0 1 * *", ""),
    "@yearly": ("0 0 1 1 *", ""),
    "@annually": ("0 0 1 1 *", ""),
}
_COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
# One part of a field as crontab(5) writes it: a number or a name, a range of them, a step after either or *.
# A word made of what fields of crontab(5) and of other tools (Quartz's ?, L, W, #) are written with.
_CRONTAB_WORD = LazyPattern(r"[0-9A-Za-z*/,?#-]+")
_CRONTAB_PART = LazyPattern(r"(\*|[0-9]+|[A-Za-z]+)(?:-([0-9]+|[A-Za-z]+))?(?:/([0-9]+))?")
# The characters of a field a message shows at most: a field of 5,000 digits was written whole.
_SHOWN_FIELD = 32


_LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def refused_form(text: str) -> str | None:
    """Why ``text``, a schedule not of :data:`PATTERN`'s form, is refused when it is written as crontab(5) or another
    tool writes one: the part at fault named, and the schedule to write when the mended text is taken; None when it
    is none such (the generic :data:`WORDS` then).

    The schedules are a subset of crontab(5)'s on purpose: no cron daemon reads them, each becomes a systemd
    calendar (:func:`calendar`), one spelling for each schedule. A name (``mon``, ``jan``), a range with a step
    (``0-59/5``), a run of blanks between the fields and crontab's ``@`` words have each one form here, offered.
    """
    if _PATTERN.fullmatch(text) is not None and (text in KEYWORDS or not text.split(" ")[4].startswith("*/")):
        return None  # of the form; but a step on the days of week (*/2), which has no calendar form: mended below
    if text.strip().startswith("@"):
        return _at_word(text.strip().lower())
    fields = text.split()
    if len(fields) < 2 or not all(_CRONTAB_WORD.fullmatch(f) for f in fields) or not re.search("[0-9*]", text):
        return None  # no cron fields ("every day"): the generic words
    # (every line break str.splitlines reads, Unicode's, NEL, a vertical tab and a form feed too: str.split parts
    # the fields at each)
    if len(fields) != len(NAMES) and (breaks := [i for i, c in enumerate(text.strip()) if c in _LINE_BREAKS]):
        at = text.index(text.strip()) + breaks[0] + 1
        return f"holds a line break at character {at}: a schedule is one line; for two schedules, give two jobs"
    if len(fields) != len(NAMES):
        count = _COUNTS[len(fields)] if len(fields) < len(_COUNTS) else str(len(fields))
        extra = (
            ": a first field of seconds (Quartz, Spring) or a last one of years is another tool's, which crontab "
            "has not; drop it"
            if len(fields) > len(NAMES)
            else ""
        )
        return f'has {count} fields, not five ("minute hour day-of-month month day-of-week"){extra}'
    faults = []
    if " ".join(fields) != text.strip():
        faults.append("has more than one blank (spaces, a tab) between two fields: one space parts them")
    elif text.strip(" ") != text.strip():  # a blank but the space at an end: a no-break space, YAML |'s line break
        spaced = text.strip(" ")
        end = spaced[0] if spaced[0].isspace() else spaced[-1]
        named = unicodedata.name(end, "")
        faults.append(f"has a blank at its start or end (U+{ord(end):04X}{' ' + named if named else ''}): remove it")
    mended = []
    for name, (low, high), field in zip(NAMES, BOUNDS, fields, strict=True):
        fault, written = _mended_field(name, low, high, field)
        if fault is not None:
            faults.append(fault)
        mended.append(written)
    return _offered("; ".join(faults), " ".join(mended)) if faults else None


def _at_word(word: str) -> str | None:
    """What crontab(5)'s ``@`` word ``word`` (in lowercase) is written here, or why it has no form; None when crontab
    has no such word."""
    if word == "@reboot":
        return (
            "is crontab's @reboot (once, when cron starts), which has no form here: a job runs on a timer in its "
            "site's container, which restarts without it (an update, a move to another host); give it a schedule "
            "(e.g. hourly) and have it do nothing when its work is done already"
        )
    if word not in _AT_WORDS:
        return None
    mended, fields = _AT_WORDS[word]
    if not fields:
        return f'is crontab\'s {word}; write "{mended}" (or another minute and hour)'
    return (
        f"is crontab's {word}; write \"{mended}\" (at a time the platform picks, spreading the members' jobs) or "
        f'"{fields}" (at the time of {word})'
    )


def _offered(told: str, offered: str) -> str:
    """``told``, the faults of a schedule, and ``offered``, the schedule mended, when it is taken; else why not."""
    if _PATTERN.fullmatch(offered) is None:
        return told
    try:
        check_expression(offered)
    except ValueError as refused:  # mended, it is still refused: nothing offered
        return f'{told}; written so ("{offered}"), it is refused too: {refused}'
    return f'{told}; write "{offered}"'


_PATTERN = LazyPattern(PATTERN)


class _Part(NamedTuple):
    """One part of a field as the schedules write it (``written``), and whether crontab's had names or a step."""

    written: str
    named: bool
    stepped: bool


def _mended_field(name: str, low: int, high: int, field: str) -> tuple[str | None, str]:
    """What crontab(5) writes in ``field`` and the schedules do not (names, ranges with a step), and the field as
    the schedules write it; (None, ``field``) when it holds none of it; what they cannot mend is said as it is."""
    names = DAY_NAMES if name == "day of week" else MONTH_NAMES if name == "month" else ()
    parts = []
    for part in field.split(","):
        mended = _mended_part(name, (low, high), names, part, alone=part == field)
        if isinstance(mended, str):
            return f"the {name} {_shown_field(field)} {mended}", field
        parts.append(mended)
    written = ",".join(p.written for p in parts)
    named, stepped = any(p.named for p in parts), any(p.stepped for p in parts)
    if named and stepped:
        return f"the {name} {field} holds names and a range with a step: write {written}", written
    if named:
        what = "is a name: write its number" if field.isalpha() else "holds names: write their numbers"
        return f"the {name} {field} {what} ({_numbers(names)})", written
    if stepped:
        return f"the {name} {field} {_stepped_words(field)}{written}", written
    return None, field


def _shown_field(field: str) -> str:
    """``field`` as a message shows it: its first characters when it is long."""
    return field if len(field) <= _SHOWN_FIELD else field[:_SHOWN_FIELD] + "..."


def _long_number(bounds: tuple[int, int], number: str, part: str) -> str | None:
    """What is wrong with ``number``, digits of ``part`` of a field, when they are more than two (the schedules
    write each number in one or two digits): out of the field's ``bounds``, or leading zeros to drop; else None."""
    if len(number) <= 2:
        return None
    low, high = bounds
    digits = number.lstrip("0") or "0"
    if len(digits) > 2 or not low <= int(digits) <= high:
        told = f"{_shown_field(number)}, not between {low} and {high}"
        return f"is not between {low} and {high}" if number == part else f"holds {told}"
    if number == part:
        return f"has leading zeros: write {int(digits)}"
    return f"holds {number}, with leading zeros: write {int(digits)}"


def _part_fault(bounds: tuple[int, int], part: str, found: re.Match[str] | None) -> str | None:
    """What is wrong with ``part`` of a field of ``bounds`` as :data:`_CRONTAB_PART` ``found`` it, before its ends
    and step are read; None when they can be."""
    if not part or found is None or (found[1] == "*" and found[2] is not None):
        return _unread_part(part)
    for number, within in ((found[1], bounds), (found[2], bounds), (found[3], (1, bounds[1]))):
        if number is not None and number.isdigit() and (told := _long_number(within, number, part)) is not None:
            return told
    return None


def _stepped_words(field: str) -> str:
    """What a field holding a step the schedules do not take is, before the field as they write it."""
    if "*/" not in field:
        return "is a range with a step, written here "
    if "," in field:
        return "is a step among other parts, which the schedules take only alone (*/N): listed, "
    return "is a step, which the days of week do not take here: listed, "


# A part of a field written in another tool's form: Quartz's ? (no value), L (last), W (weekday), # (nth day)
_QUARTZ_PART = re.compile(r".*[?#].*|[0-9]*L?W?|[0-9]*L-?[0-9]*")


def _unread_part(part: str) -> str:
    """What is wrong with ``part`` of a field, which is no part of crontab(5)'s (after the field)."""
    if not part:
        return "has an empty part (a ',' at an end or two side by side): remove the extra ','"
    if _QUARTZ_PART.fullmatch(part):
        return (
            "is not *, */N or numbers and ranges (e.g. 1-5, 0,30): another tool's form (Quartz's ?, L, W, #) has "
            "none in crontab"
        )
    return "is not *, */N or numbers and ranges (e.g. 1-5, 0,30)"


def _unread_word(names: tuple[str, ...], word: str, part: str) -> str:
    """What is wrong with ``word``, an end of ``part`` of a field that is no number nor crontab's name of ``names``: a
    name written whole (JULY, Monday: crontab reads three letters), another tool's form (L, LW), or neither."""
    if names and word[:3].lower() in names:
        return f"holds a name written whole ({word}): write its number ({_numbers(names)})"
    return _unread_part(part)


def _mended_part(name: str, bounds: tuple[int, int], names: tuple[str, ...], part: str, *, alone: bool) -> _Part | str:
    """``part`` of a field of ``name`` as the schedules write it, or what is wrong with it (after the field);
    ``alone``: the field's only part."""
    low, high = bounds
    found = _CRONTAB_PART.fullmatch(part)
    told = _part_fault(bounds, part, found)
    if told is not None or found is None:
        return told or _unread_part(part)
    ends: list[int] = []
    for end in (found[1], found[2]):
        if end is not None and end != "*":
            number = int(end) if end.isdigit() else _named_number(names, end)
            if number is None:
                return _unread_word(names, end, part)
            ends.append(number)
    named = not all(e.isdigit() for e in (found[1], found[2]) if e is not None and e != "*")
    step = int(found[3]) if found[3] is not None else 0
    # */N is taken alone but on the days of week, and in range (else check_expression tells the step)
    if found[3] is None or (found[1] == "*" and ((alone and name != "day of week") or not 1 <= step <= high)):
        return _Part(part if found[1] == "*" else "-".join(map(str, ends)), named, stepped=False)
    if found[1] == "*":  # */N among other parts, or on the days of week: each value it names, listed
        ends = [low, high]
    first, last = (ends[0], ends[-1]) if len(ends) == 2 else (ends[0], high)  # crontab: 5/10 is 5-high/10
    if not low <= first <= last <= high or step == 0:
        return f"is a range with a step, not in order between {low} and {high} or stepping by 0"
    if first == low and last == high and alone and (name != "day of week" or step == 1):  # every day of week: *
        return _Part("*" if name == "day of week" else f"*/{step}", named, stepped=True)
    return _Part(",".join(str(n) for n in range(first, last + 1, step)), named, stepped=True)


def _named_number(names: tuple[str, ...], word: str) -> int | None:
    """The number of crontab's name ``word`` among ``names`` (days from 0, months from 1), or None."""
    key = word.lower()
    if key not in names:
        return None
    return names.index(key) + (1 if names is MONTH_NAMES else 0)


def _numbers(names: tuple[str, ...]) -> str:
    """How the names of ``names`` are numbered, in words."""
    if names is DAY_NAMES:
        return "0 or 7 Sunday, 1 Monday ... 6 Saturday"
    return "1 January ... 12 December"


def check_one_line(text: str) -> str:
    """``text`` unchanged, or ValueError when it holds a line break or a tab, saying how to write it on one line.

    YAML's block scalars give line breaks: ``|`` keeps each, ``>`` the last one; ``>-`` folds the lines into one.
    """
    at = next((i for i, ch in enumerate(text) if ch in "\n\t"), None)
    if at is None:
        return text
    if text[at] == "\t":
        raise ValueError(f"holds a tab (U+0009) at character {at + 1}, which a command may not hold: write a space")
    raise ValueError(
        f"holds a line break at character {at + 1}: a job's command is one line (YAML's | keeps every line break, > "
        "the last one); write it on one line, its commands joined by ; or && (e.g. cd ../priv && php sync.php), or "
        "fold its lines with >- (joined by spaces, no line break at the end)"
    )


def check_command(text: str) -> str:
    """``text`` unchanged, or ValueError when ``sh -c`` would take it for options (``-x``, ``+e``).

    The runner passes ``--`` first (``sh -c -- COMMAND``), so such a command would still not run:
    it is read as a program named ``-x``, which no image has.

    The refusal is a :class:`pic.errors.Refusal` whose own texts are the long options of :data:`_WRAPPERS` it names
    (``--all-tasks``) and the names of the variables the command sets (``APP_ENV=``), but one shaped as a password:
    no secret, they stay shown where a word of the command is hidden as one.
    """
    from pic.errors import Refusal

    try:
        return _check_command(text, own=True)
    except ValueError as refused:
        told = str(refused)
        raise Refusal(told, _options_named(text, told)) from None


def _options_named(text: str, told: str) -> list[str]:
    """The long options of :data:`_WRAPPERS` (whole, or as ``text`` abbreviates them) and the names of the variables
    ``text`` sets that ``told``, what :func:`check_command` says of ``text``, names, each standing as a word of its
    own there (``--all-tasks`` in ``--all-tasks-Lilas2024x`` is not)."""
    from pic.errors import refused_may_be_secret

    names = {name for wrapper in _WRAPPERS.values() for name in _long_names(wrapper)}
    for word in _LONG_WORD.compiled().findall(text):
        if any(_long_option(w, word) != word or _ambiguous(w, word) for w in _WRAPPERS.values()):
            names.add(word)
    # the names of the variables set (env APP_ENV=prod ...), their values apart; one with a digit, shaped as a
    # password or written elsewhere than as a name (hidden in any case: LILAS2024X=1 ... Lilas2024x) stays hidden
    names.update(
        n
        for n in _VARIABLE_NAME.compiled().findall(text)
        if not any(c.isdigit() for c in n)
        and not refused_may_be_secret(n)
        and all(text[m.end() : m.end() + 1] == "=" for m in re.finditer(re.escape(n), text, re.IGNORECASE))
    )
    return sorted(name for name in names if name in told and _stands_alone(told, name))


def _stands_alone(told: str, name: str) -> bool:
    """Whether every ``name`` in ``told`` stands as a word of its own (no letter, digit, ``_`` or ``-`` beside it)."""
    return all(
        not (told[at - 1 : at].isalnum() or told[at - 1 : at] in ("_", "-"))
        and not (
            told[at + len(name) : at + len(name) + 1].isalnum()
            or told[at + len(name) : at + len(name) + 1] in ("_", "-")
        )
        for at in (m.start() for m in re.finditer(re.escape(name), told))
    )


# A long option's name as a command writes it (before any '='), and the name of a variable it sets (in capitals).
_LONG_WORD = LazyPattern(r"--[A-Za-z][A-Za-z-]*")
_VARIABLE_NAME = LazyPattern(r"(?<![^\s])([A-Z_][A-Z0-9_]*)=")


# What :func:`check_command` adds to what it says of bash's forms, once in a line.
_BASH_HINT = (
    "the job runs under sh, which is dash in the site's container: write it for sh (POSIX), or run bash -c '...' "
    "(the images have bash)"
)
# A word that sh reads alike outside quotes and in either, and env -S as sh does.
_ALIKE = LazyPattern(r"[A-Za-z0-9_./=,:+%@-]+")
# The text being read by :func:`_check_command` and how a line of it is written in the job's own (a script of sh -c
# quoted back into its word, :func:`_check_scripts`): what :func:`_line` offers within.
_LINE: ContextVar[tuple[str, Callable[[str], str]] | None] = ContextVar("_LINE", default=None)


def _check_command(text: str, *, own: bool, outer: Callable[[str], str] | None = None) -> str:
    """:func:`_read_command` of ``text``, offers within it made whole lines (:func:`_line`), each written back in the
    job's own line by ``outer`` (``text`` being a script of sh -c there), else as it is."""
    reset = _LINE.set((text, outer or str))
    try:
        return _read_command(text, own=own)
    finally:
        _LINE.reset(reset)


def _line(tokens: Sequence[shsyntax.Token], texts: list[str]) -> str:
    """The job's line with the command ``tokens`` (a command of the text :func:`_check_command` reads) written
    ``texts``, its words as offered (:func:`_edits`), the rest of the line as written (its other commands, operators,
    redirections, quotes), a script of sh -c quoted back into its word; the command alone, its words joined by
    spaces, when :func:`_edits` has none."""
    current = _LINE.get()
    edits = None if current is None else _edits(current[0], tokens, texts)
    if current is not None and edits is None:
        edits = _rewritten(current[0], tokens, texts)
    if current is None or edits is None:
        return " ".join(texts)
    text, outer = current
    for start, end, word in reversed(edits):
        text = text[:start] + word + text[end:]
    return outer(text)


def _within_split(tokens: Sequence[shsyntax.Token], p: int, changed: Sequence[shsyntax.Token], new: list[str]) -> bool:
    """Whether :func:`_edits` may write ``new`` for ``changed`` (after ``tokens[p - 1]``) in a command ``tokens`` of
    which env -S's string made words: when each word changed, or the one a word is added after, is of that string,
    and each word written there is read alike by sh in its quotes and by env (:data:`_ALIKE`); a word outside
    changed would leave the string for another command (env dropped: -S 'eval x')."""
    anchors = changed if changed else tokens[max(p - 1, 0) : p]
    return all(t.kind == "split" for t in anchors) and all(_ALIKE.fullmatch(word) for word in new)


def _rewritten(text: str, tokens: Sequence[shsyntax.Token], texts: list[str]) -> list[tuple[int, int, str]] | None:
    """What :func:`_line` changes in ``text`` when :func:`_edits` cannot change its command ``tokens``' words alone,
    some being made of env -S's string (``env -S 'eval -- x'`` written ``eval -- x``): the command's words as
    written, from its first to its last (the string's word), replaced by ``texts`` joined by spaces, each of those
    made of the string quoted for sh (env's ``${NAME}`` as ``"${NAME}"``), then the redirections written between
    them; None when the command has none such, or when the string's rest is an expansion of sh's (``-S "eval $X"``:
    env splits what it gives)."""
    from pic import shsyntax

    if not any(t.kind == "split" for t in tokens) or any(t.kind == "rest" for t in tokens):
        return None
    written = next((c.words for c in shsyntax.read(text).commands if c.words[0].at == tokens[0].at), None)
    if written is None or not texts:
        return None
    ends = [t.at + len(t.text) for t in written]
    # the redirections between its words (env 2>&1 -S '...'), kept in their order after the words, where sh reads
    # them alike
    between = [text[end : t.at].strip(" \t") for end, t in zip(ends, written[1:], strict=False)]
    return [(written[0].at, ends[-1], " ".join([*texts, *filter(None, between)]))]


def _edits(text: str, tokens: Sequence[shsyntax.Token], texts: list[str]) -> list[tuple[int, int, str]] | None:
    """What :func:`_line` changes in ``text`` to write its command ``tokens`` as ``texts``, in order: the words that
    differ alone replaced, a word dropped with the blanks before it, one added after the word before it (each a
    start, an end and what is written there); None when the words are not the text's (made of env -S's string), or
    are and the change is not within that string alone (:func:`_within_split`)."""
    old = [t.text for t in tokens]
    n, m = len(old), len(texts)
    p = 0
    while p < min(n, m) and old[p] == texts[p]:
        p += 1
    s = 0
    while s < min(n, m) - p and old[n - 1 - s] == texts[m - 1 - s]:
        s += 1
    changed, new = tokens[p : n - s], texts[p : m - s]
    near = tokens[max(p - 1, 0) : n - s + 1]
    if not near or any(text[t.at : t.at + len(t.text)] != t.text and t.kind != "rest" for t in near):
        return None  # (the rest of env -S's string an expansion of sh's makes unknown: changed by no offer)
    if any(t.kind in ("split", "rest") for t in tokens) and not _within_split(tokens, p, changed, new):
        return None
    edits = [(t.at, t.at + len(t.text), word) for t, word in zip(changed, new, strict=False)]
    for t in changed[len(new) :]:
        start, end = t.at, t.at + len(t.text)
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        while start == 0 and end < len(text) and text[end] in " \t":
            end += 1
        edits.append((start, end, ""))
    added = " ".join(new[len(changed) :])
    if added and (changed or p):
        before = changed[-1] if changed else tokens[p - 1]
        edits.append((before.at + len(before.text), before.at + len(before.text), " " + added))
    elif added:
        edits.append((tokens[n - s].at, tokens[n - s].at, added + " "))
    edits.sort()
    return None if any(a[1] > b[0] for a, b in itertools.pairwise(edits)) else edits


def _read_command(text: str, *, own: bool) -> str:
    """:func:`check_command` of ``text``, the job's own command (``own``) or a string dash runs as a command of its
    own (:func:`_check_scripts`), which ends where the string does: a backslash at its end is text there, dash and
    bash alike, no file of it ever read as a script."""
    from pic import shsyntax  # sh's grammar: loaded for the members with cron jobs

    if text.startswith(("-", "+")):
        raise ValueError(
            f"starts with {text[0]!r}, which sh reads as its own options, not as a command: the job would never "
            "run; start it with the program to run (e.g. php wp-cron.php)"
        )
    reading = _read(text)
    opened, bash, arithmetic_quote = reading.opened, reading.bash, reading.arithmetic_quote
    if opened is not None:
        what, at = opened
        raise ValueError(
            f"opens {what} at character {at} that is never closed: sh refuses the whole command (a syntax "
            "error) and the job would never run; close it, or quote or escape the character if it is meant as text"
        )
    trailing = len(text) - len(text.rstrip("\\"))
    if own and trailing % 2:  # every quote is closed, so the last backslash is outside quotes and escapes nothing
        raise ValueError(
            f"ends with a backslash (character {len(text)}) that escapes nothing: sh -c passes it to the program as "
            "one more argument, \\, while the job's command file read as a script would join it to the next line; "
            "remove it, or write two (\\\\) for a backslash meant as text"
        )
    grammar = shsyntax.read(text)  # its quotes and substitutions closed: read as sh's grammar reads it
    bash = _first(bash, _bash_commands(grammar))
    if bash is not None:
        what, at = bash
        # one hint per line: a line offered without a word of bash's and refused too for another has it already
        hint = "" if _BASH_HINT in what else f"; {_BASH_HINT}"
        raise ValueError(f"holds at character {at} {what}{hint}")
    absent = _absent_program(grammar) or _commands(grammar)[1]
    if absent is not None:
        raise ValueError(absent)
    syntax = grammar.fault
    if syntax is not None:
        raise ValueError(
            f"{shsyntax.describe(syntax)}: sh refuses the whole command (a syntax error) and the job would never "
            f"run; {_syntax_hint(syntax)}"
        )
    braced = _brace_word(grammar)
    if braced is not None:
        raise ValueError(braced)
    if reading.bad_substitution is not None:
        written, at = reading.bad_substitution
        raise ValueError(
            f"holds at character {at} {written}, a parameter expansion that dash, the containers' sh, refuses when "
            "it expands it (Bad substitution), stopping there at every run the command that holds it (the job, or "
            "the $(...) it is in): sh reads ${ then a name (${HOME}, no "
            "space inside), digits (${1}) or one of @ * # ? $ ! -, then } or one of :- - := = :? ? :+ + % %% # ##, "
            "and ${#name} for a length; quote it ('${...}') if it is meant as text"
        )
    if arithmetic_quote is not None:
        what, at = arithmetic_quote
        raise ValueError(
            f"holds at character {at} {what}: dash, the containers' sh, reads it there as a character, and refuses "
            "the expression when it runs (arithmetic expression: expecting primary), the job failing at every run; "
            "write the expression without quotes: $(( x + 1 )) (a variable needs neither $ nor quotes there), "
            'quoting the whole expansion if needed ("$(( x + 1 ))")'
        )
    operator = reading.arithmetic_operator
    if operator is not None:
        what, at = operator
        raise ValueError(
            f"holds at character {at} {what}: the expression of $((...)) is read by dash, which refuses it when it "
            "runs (arithmetic expression: expecting primary) or computes another number, the job failing or going "
            "wrong at every run; write it with the operators of sh (POSIX): + - * / % << >> < <= > >= == != & ^ | "
            "&& || ! ~ ?: = += -=..."
        )
    arithmetic = reading.arithmetic_fault
    if arithmetic is not None:
        what, at = arithmetic
        raise ValueError(
            f"holds at character {at} {what}, stopping there at every run the command that holds it "
            "(the job, or the $(...) it is in); write the expression as dash reads it: numbers decimal (10), octal "
            "(010: digits 0-7) or hex (0x1f), names of variables, each operator between two operands, its "
            "parentheses paired, no division by 0"
        )
    space = _unquoted_other_space(text)
    if space is not None:
        raise ValueError(
            f"holds U+{ord(space):04X} {unicodedata.name(space, 'a space')} outside quotes, which sh does not "
            "read as a space (only the plain space and tab part words): the words on either side would be read as "
            "one word; write a plain space there (or quote the text it belongs to)"
        )
    _check_scripts(grammar)
    return text


def _check_scripts(grammar: shsyntax.Reading) -> None:
    """ValueError when a word of ``grammar``'s commands that dash runs as a command of its own (:func:`_scripts`),
    written as one literal string, holds what :func:`check_command` refuses: told at the string, with why. A string
    holding an expansion is known when it runs alone: not read."""
    from pic import shsyntax

    for token, what in _scripts(grammar):
        script = shsyntax.literal(token.text)
        if script is None:
            continue
        try:
            _check_command(script, own=False, outer=_quoted_back(token))
        except ValueError as refused:
            raise ValueError(
                f"holds at character {token.at + 1} {what} {token.text}, a command that dash, the containers' sh, "
                f"reads and runs as it would the job's own: that command (its characters counted from its first) "
                f"{refused}"
            ) from None


def _quoted_back(token: shsyntax.Token) -> Callable[[str], str] | None:
    """How a script written in ``token``, a word of the text :func:`_check_command` reads, is written back in the
    job's own line once mended: quoted for sh in its word's place, the rest of the line as written; None when the
    word is not the text's (made of env -S's string)."""
    current = _LINE.get()
    if current is None:
        return None
    text, outer = current
    end = token.at + len(token.text)
    if text[token.at : end] != token.text or token.kind in ("split", "rest"):
        return None
    return lambda script: outer(text[: token.at] + shlex.quote(script) + text[end:])


# The programs that run a script of sh given after -c (:func:`_scripts`): dash, the images' sh, by name or path.
_SHELLS = frozenset(("sh", "dash"))


def _scripts(grammar: shsyntax.Reading) -> list[tuple[shsyntax.Token, str]]:
    """The words of ``grammar``'s commands that dash reads as a command of its own when it runs them, each with what
    it is: the action of ``trap`` (``trap 'rm -f ../run/lock' EXIT``), the script of ``sh -c`` or ``dash -c``, run by
    its name or by a command that runs another (``timeout 60 sh -ec '...'``), that of ``flock FILE -c`` (flock(1):
    run by $SHELL, which docker exec does not set, else /bin/sh) and the one word of ``eval``; in the order written.
    bash's ``bash -c`` script is bash's: not read."""
    from pic import shsyntax

    found: list[tuple[shsyntax.Token, str]] = []
    for command in _commands(grammar)[0]:
        words = [shsyntax.literal(t.text) for t in command.words]
        name = words[0]
        if name == "trap":
            at = 2 if len(words) > 2 and words[1] == "--" else 1
            action = words[at] if len(words) > at + 1 else None
            if action is not None and action != "-" and not action.isdigit() and not action.startswith("-"):
                found.append((command.words[at], "the action of trap"))
            continue
        if name == "eval" and len(words) == 2:
            found.append((command.words[1], "the text of eval"))
            continue
        chain = _chain(words)
        for k, i in enumerate(chain):
            written = words[i]
            runner = words[chain[k - 1]] or "" if k else ""
            if written in ("-c", "--command") and runner.rpartition("/")[2] == "flock" and i + 1 < len(words):
                # flock FILE -c SCRIPT: run by $SHELL, else /bin/sh (dash: docker exec sets no SHELL)
                found.append((command.words[i + 1], f"the script of {runner} FILE {written}"))
                continue
            if written is None or (_system_name(written) or written) not in _SHELLS:
                continue
            script = _shell_script(words, i)
            if script is not None:
                found.append((command.words[script], f"the script of {written} -c"))
    return sorted(found, key=lambda f: f[0].at)


def _shell_script(words: list[str | None], i: int) -> int | None:
    """The index in ``words`` of the script that the sh at ``words[i]`` runs (``sh -c SCRIPT``, ``sh -ec SCRIPT``,
    ``sh -c -e SCRIPT``, ``sh -o errexit -c SCRIPT``: dash(1) reads its options, then takes the first word after
    them as the script when one of them is -c); None when it runs none given so, or the words do not tell it."""
    j, given = i + 1, False
    while j < len(words):
        word = words[j]
        if word is None:
            return None
        if word == "--":
            j += 1
            break
        if word in ("-", "+") or not word.startswith(("-", "+")):
            break
        given = given or (word[0] == "-" and "c" in word[1:])
        j += 2 if "o" in word[1:] else 1  # -o NAME
    return j if given and j < len(words) else None


# The words of a brace expansion a message lists at most.
_SHOWN_BRACE_WORDS = 8


def _brace_word(grammar: shsyntax.Reading) -> str | None:
    """What :func:`check_command` says of the first word of a command or of a for's list in ``grammar`` that bash's
    brace expansion makes several words of (:func:`shsyntax.brace_expansion`: ``../log/{a,b}.log``, ``{1..3}``),
    which dash passes as written, or of a redirection's file (bash refuses the command, ambiguous redirect; dash
    writes to a file of that name); None when there is none. An assignment (``x={a,b} cmd``) and a case's word are
    left: bash expands no brace there."""
    from pic import shsyntax

    words = sorted(
        [*(w for c in grammar.commands for w in c.words), *grammar.listed, *grammar.files], key=lambda t: t.at
    )
    for word in words:
        found = shsyntax.brace_expansion(word.text)
        if found is None:
            continue
        made, more = found
        if word in grammar.files:
            return (
                f"holds at character {word.at + 1} the file {word.text} of a redirection, which bash's brace "
                "expansion makes several (bash refuses the command: ambiguous redirect) while dash, the containers' "
                f"sh, writes to or reads a file named {word.text}; name one file (for two, tee: ... | tee FILE1 > "
                "FILE2), or quote the braces ('{' '}') if they are meant as text"
            )
        count = f"more than {shsyntax.MAX_BRACE_WORDS} words" if more else f"{len(made)} word{'s' * (len(made) > 1)}"
        shown = " ".join(made[:_SHOWN_BRACE_WORDS]) + (" ..." if more or len(made) > _SHOWN_BRACE_WORDS else "")
        return (
            f"holds at character {word.at + 1} the word {word.text}, which bash's brace expansion makes {count} "
            f"({shown}) while dash, the containers' sh, has none: the command is given {word.text} as "
            f"written, one word, at every run; write each word out ({shown}), or quote the braces ('{{' '}}') if "
            "they are meant as text, or for the program to read itself (curl expands the braces of a URL): both shells "
            "then pass them as written"
        )
    return None


# How each reserved word that closes or goes on a construct is written, for a command that wants it.
_RESERVED_EXAMPLES = {
    '"}"': "{ php a.php; php b.php; }",
    '"then"': "if [ -f x ]; then php y.php; fi",
    '"fi"': "if [ -f x ]; then php y.php; fi",
    '"do"': 'for f in ../log/*.log; do gzip "$f"; done',
    '"done"': 'for f in ../log/*.log; do gzip "$f"; done',
    '"esac"': "case $(date +%u) in 6|7) php weekend.php;; esac",
}


def _syntax_hint(syntax: shsyntax.Fault) -> str:
    """What to do about a command sh refuses as ``syntax`` says."""
    example = _RESERVED_EXAMPLES.get(syntax.expected or "")
    if example is not None:
        return f"{syntax.expected} counts only where a command would start, after a ; (e.g. {example})"
    if syntax.found.kind == "end" and syntax.after is not None and syntax.expected in ("a command", "a file name"):
        return f'give what "{syntax.after.text}" wants after it, or remove it'
    return "write it as sh reads it, or quote or escape the character if it is meant as text"


# What :func:`unclosed` names, by the text that opens it.
_OPENED = {
    "'": "a single quote (')",
    '"': 'a double quote (")',
    "`": "a backquote (`)",
    "$(": "a command substitution $(",
    "${": "a parameter expansion ${",
    "$((": "an arithmetic expansion $((",
    "(": "a parenthesis (",
}


# A run of characters :func:`_read` passes over: none opens, closes or starts a comment, none starts one of
# bash's forms (:data:`_BASH_FIRST`); and the special parameters ($$, $#, $?...: no start of $(, ${ or a comment).
_PLAIN = re.compile(r"(?:[^'\"\\`$(){}<>&|#\[sf]|\$[$#?!\-@*0-9])+")
# Where sh reads a command: at the top, in $(...), in backquotes, in a subshell's (...).
_COMMANDS = ("", "$(", "`", "(")


# What bash reads and dash, the containers' sh (Debian's), refuses or reads otherwise, by how it starts: found
# where sh reads a command (outside quotes), ${...} forms in double quotes too.
_BASH_ONLY = {
    "<<<": "a here-string (<<<), bash's, which dash, the containers' sh, refuses (a syntax error)",
    "&>": "&> (bash's output and errors to a file), which dash, the containers' sh, reads as & then >: the "
    "command sent to the background, past its time limit and its log, and the file emptied",
    "|&": "|& (bash's pipe of output and errors), which dash, the containers' sh, refuses (a syntax error)",
    "<(": "a process substitution <(...), bash's, which dash, the containers' sh, refuses (a syntax error)",
    ">(": "a process substitution >(...), bash's, which dash, the containers' sh, refuses (a syntax error)",
    "$'": "$'...' (bash's quoting with escapes), which dash, the containers' sh, reads as a $ then a quoted text",
    '$"': "$\"...\" (bash's text translated by the locale), which dash, the containers' sh, reads as a $ then a quoted "
    'text (the $ kept: $"done" is $done); write "..."',
    "$(<": "$(< FILE) (bash's reading of a file), which dash, the containers' sh, runs as a command of a redirection "
    "alone: it gives nothing (empty) and the file is never read; write $(cat FILE)",
    "[[": "[[ (bash's test), which dash, the containers' sh, does not know: the command is not found",
    "=(": "an array =(...), bash's, which dash, the containers' sh, refuses (a syntax error)",
    "source ": "source (bash's name of the . command), which dash, the containers' sh, does not know: the command is "
    "not found; write . FILE",
    "select ": "select NAME in ... (bash's menu loop), which dash, the containers' sh, does not have: it reads select "
    "as a command's name and refuses the do after it, the whole command with it (a syntax error); write for NAME in "
    "...; do ...; done",
    "function ": "function NAME (bash's way to define a function), which dash, the containers' sh, refuses (a syntax "
    "error); write NAME() { ...; }",
    "${": "a parameter expansion of bash's (${x/a/b}, ${x:1}, ${x^^}, ${x,,}, ${!x}, ${x[0]}, ${#x[@]}), which dash, "
    "the containers' sh, refuses when it runs (Bad substitution)",
    ">&": ">& FILE (bash's output and errors to a file), which dash, the containers' sh, refuses when it runs (Bad fd "
    "number: >& takes a descriptor's number or -); write > FILE 2>&1",
    "$RANDOM": "$RANDOM (bash's random number), which dash, the containers' sh, does not set: it expands to nothing "
    "(0 in $((...)): sleep $((RANDOM % 300)) always sleeps 0 s); write $(( $(od -An -N2 -tu2 /dev/urandom) % 300 ))",
    "((": "an arithmetic command ((...)), bash's, which dash, the containers' sh, reads as two subshells running its "
    "text as a command (((i++)) runs a program named i++, (( x > 3 )) runs x into a file named 3); test with "
    '[ "$x" -gt 3 ], count with i=$((i + 1))',
}
# A quote in an arithmetic expansion, where dash reads it as a character (bash removes a double one).
_IN_ARITHMETIC = {
    '"': 'a double quote (") in an arithmetic expansion $((...))',
    "'": "a single quote (') in an arithmetic expansion $((...))",
}
# After ${: the forms of bash alone (POSIX has ${x}, ${#x}, ${!} (the special parameter !) and ${x-y} ${x=y} ${x?y}
# ${x+y} ${x%y} ${x#y}, each with ':' before -=?+, XCU 2.6.2).
_BASH_EXPANSION = LazyPattern(r"\$\{(?:!(?!\})|#?[A-Za-z_][A-Za-z0-9_]*\[|[A-Za-z_][A-Za-z0-9_]*(?:[/^,]|:(?![-=?+])))")
# After ${: the forms dash reads (XCU 2.6.2): a name, a positional parameter (digits) or a special one, then } or
# an operator (:-, -, :=, =, :?, ?, :+, +, %, %%, #, ##); ${#} (the special parameter #) and ${#parameter} (its
# length). dash reads any other (${ x}, ${1x}, ${x y}, ${=x}, ${#x-}) and refuses it when it expands it, "Bad
# substitution"; and ${#%}, ${#+} and ${#=} (an operator after # with no word) too (tests/test_cron.py compares
# it with dash).
_NAME_OR_PARAMETER = r"(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[!#$*?@-])"
_POSIX_EXPANSION = LazyPattern(
    r"\$\{(?!#[%+=]\})(?:#\}|#" + _NAME_OR_PARAMETER + r"\}|" + _NAME_OR_PARAMETER + r"(?:\}|:?[-=?+]|%|#))"
)
# $RANDOM and ${RANDOM...} (a parameter of bash's alone; a variable of the same name set in the command is no
# matter here: no one does)
_RANDOM = LazyPattern(r"\$(?:RANDOM(?![A-Za-z0-9_])|\{RANDOM(?=[}:=?+%#-]))")
# >& before a word written as it is (no expansion nor quote) that is no descriptor's number nor -: dash reads
# the word as a number, and refuses it when it runs.
_DUP_TO_FILE = LazyPattern(r">&[ \t]*(?=[^\s;&|<>()$`\"'\\])(?![0-9]+(?![^\s;&|<>()])|-(?![^\s;&|<>()]))")


# $(< FILE): a command substitution of one input redirection alone, a file's text in bash, nothing in dash.
_PARAMETER = r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?"  # $name, ${name}
_READ_FILE = LazyPattern(
    r"\$\([ \t]*0?<(?![<&(>])[ \t]*"  # $(< but no here-document, descriptor or process substitution
    r"(?:[^\s;&|()<>'\"`$\\]|" + _PARAMETER + r"|\"[^\"`$\\]*(?:" + _PARAMETER + r"[^\"`$\\]*)*\"|'[^']*')+"  # one word
    r"[ \t]*\)"
)


# The reserved words after which sh reads a command's first word (XCU 2.4, 2.9.4), and "!".
_RESERVED = frozenset(["if", "then", "else", "elif", "do", "while", "until", "!", "{"])


def _command_word(text: str, i: int) -> bool:
    """Whether ``text[i:]`` is a command's first word: at the start, after ; & | ( or a backquote, or after a
    reserved word that is itself where a command starts (``if [[``, ``! [[``, ``then source``)."""
    before = text[:i].rstrip(" \t")
    while before and before[-1] not in ";&|(`":
        head, _, word = before.replace("\t", " ").rpartition(" ")
        if word not in _RESERVED:
            return False
        before = head.rstrip(" \t")
    return True


def _word_at(word: str) -> Callable[[str, int], bool]:
    """How :data:`_BASH_AT` finds ``word`` (its trailing space included) as a command's first word."""
    return lambda text, i: text.startswith(word, i) and _command_word(text, i)


# How each of :data:`_BASH_ONLY` is found at a place of the text (by default: it starts there).
_BASH_AT: dict[str, Callable[[str, int], bool]] = {
    "$(<": lambda text, i: _READ_FILE.match(text, i) is not None,
    "[[": lambda text, i: text.startswith("[[", i) and text[i + 2 : i + 3] in ("", " ") and _command_word(text, i),
    "=(": lambda text, i: text.startswith("(", i) and text[i - 1 : i] == "=",
    "${": lambda text, i: _BASH_EXPANSION.match(text, i) is not None,
    ">&": lambda text, i: _DUP_TO_FILE.match(text, i) is not None,
    # found by sh's grammar (:func:`_bash_commands`), which knows a function of that name: dash runs it
    "source ": lambda text, i: False,
    "function ": _word_at("function "),
    "select ": _word_at("select "),
    "$RANDOM": lambda text, i: _RANDOM.match(text, i) is not None,
    "((": lambda text, i: False,  # found by the grammar (:func:`_bash_commands`), where a command starts
}


# The characters each of :data:`_BASH_ONLY` is found at (=(...) at its parenthesis).
_BASH_FIRST = frozenset({start[0] for start in _BASH_ONLY} | {"("})


def _bash_only(text: str, i: int, inside: str) -> tuple[str, int] | None:
    """What bash reads at ``text[i:]`` and dash, the containers' sh, refuses or reads otherwise, where
    :func:`_read` has ``inside`` open: its words in :data:`_BASH_ONLY`, and the place (from 1); else None."""
    if text[i] not in _BASH_FIRST:
        return None  # the usual case, answered at once
    starts = tuple(_BASH_ONLY) if inside in _COMMANDS else ("${", "$RANDOM", "$(<") if inside == '"' else ()
    for start in starts:
        at = _BASH_AT.get(start)
        if at(text, i) if at is not None else text.startswith(start, i):
            return _BASH_ONLY[start], i + 1
    return None


def _closes(text: str, i: int, inside: str) -> bool:
    """Whether ``text[i:]`` closes what :func:`unclosed` has open, ``inside``."""
    ch = text[i]
    if inside == "$((":
        return text.startswith("))", i)
    return (ch == ")" and inside in ("(", "$(")) or (ch == '"' and inside == '"') or (ch == "}" and inside == "${")


def _in_double_quotes(stack: list[tuple[str, int]]) -> bool:
    """Whether what :func:`unclosed` has open is in double quotes: a double quote, or a ``${`` inside one (a
    single quote there is a character: ``"${x:-l'asso}"``)."""
    for kind, _ in reversed(stack):
        if kind != "${":
            return kind == '"'
    return False


def _in_arithmetic_text(stack: list[tuple[str, int]]) -> bool:
    """Whether what :func:`unclosed` has open is the text of an arithmetic expansion, where dash reads no single
    quote and no escaped quote as one (a ``$((``, its parentheses, a ``${`` in it; ``$(`` starts a command)."""
    return next((kind for kind, _ in reversed(stack) if kind not in ("(", "${")), "") == "$(("


def _arithmetic_quote(text: str, i: int, stack: list[tuple[str, int]]) -> tuple[str, int] | None:
    """For :func:`_read`: the quote at ``text[i]`` (or escaped there) that dash reads as a character in the text of an
    arithmetic expansion, in :data:`_IN_ARITHMETIC`'s words, and its place (from 1); else None."""
    ch = text[i]
    if ch not in "'\"\\":
        return None  # the usual case, answered at once
    if ch == "\\":
        i, ch = i + 1, text[i + 1 : i + 2]  # an escaped quote: the quote stays
    elif ch in _quotes(stack):
        return None  # a quote there: a ${...}'s double one
    if ch not in ("'", '"') or not _in_arithmetic_text(stack):
        return None
    return _IN_ARITHMETIC[ch], i + 1


def _in_arithmetic(stack: list[tuple[str, int]]) -> bool:
    """Whether what :func:`unclosed` has open is in an arithmetic expansion: a ``$((``, or parentheses in one,
    which group numbers there (``$(( (a=(1)) * 2 ))``), no subshell's."""
    return next((kind for kind, _ in reversed(stack) if kind != "("), "") == "$(("


def _quotes(stack: list[tuple[str, int]]) -> str:
    """The quotes sh reads where :func:`unclosed` has ``stack`` open: both in a command; the double one in
    double quotes and in a ``${`` in them or in an arithmetic expansion (a single quote there is a character:
    ``"${x:-l'asso}"``); none in an arithmetic expansion itself, where dash reads both as characters
    (``$(( ' ))`` is taken, and refused when run)."""
    kinds = [kind for kind, _ in reversed(stack) if kind != "("]
    outer = next((kind for kind in kinds if kind != "${"), "")
    if kinds[:1] == ["${"]:
        return '"' if outer in ('"', "$((") else "'\""
    return {'"': '"', "$((": ""}.get(outer, "'\"")


def _opens(text: str, i: int, inside: str, quotes: str = "'\"") -> str | None:
    """What ``text[i:]`` opens (a key of :data:`_OPENED`) where :func:`unclosed` has ``inside`` open, where sh
    reads ``quotes`` (:func:`_quotes`) as quotes."""
    opened = next((o for o in ("$((", "$(", "${") if text.startswith(o, i)), None)
    if opened is not None:
        return opened
    ch = text[i]
    if ch == "`" or (ch in "'\"" and ch in quotes) or (ch == "(" and inside in (*_COMMANDS, "$((")):
        return ch
    return None


class _Reading(NamedTuple):
    """What :func:`_read` finds in a command, each as its words and the place of its first character (from 1)."""

    opened: tuple[str, int] | None  # what is left open (:data:`_OPENED`)
    bash: tuple[str, int] | None  # the first construct of bash's (:data:`_BASH_ONLY`)
    arithmetic_quote: tuple[str, int] | None  # the first quote an arithmetic expansion holds (:data:`_IN_ARITHMETIC`)
    # the first operator of bash's an arithmetic expansion holds (:func:`_arithmetic_operator`)
    arithmetic_operator: tuple[str, int] | None = None
    # the first ${ that dash refuses when it expands it (:data:`_POSIX_EXPANSION`), and the expansion as written
    bad_substitution: tuple[str, int] | None = None
    # the first arithmetic expansion whose expression dash refuses when it runs it (:func:`_arithmetic_fault`)
    arithmetic_fault: tuple[str, int] | None = None


def _read(text: str) -> _Reading:
    """What ``text``, one line of sh, opens last and never closes (a quote, a backquote, ``$(``, ``${``,
    ``$((``, a subshell's parenthesis), in :data:`_OPENED`'s words, and the place of its first character
    (from 1); None when every one is closed.

    sh refuses such a command whole (dash: "Unterminated quoted string", "EOF in backquote substitution",
    "Missing '}'", "expecting ')'"). POSIX sh's quoting and expansions (XCU 2.2, 2.3, 2.6): a backslash
    quotes the next character (in double quotes only before ``$ ` " \\``, which is all that matters here),
    single quotes hold everything up to the next one, double quotes and ``${`` hold expansions, ``$(`` and a
    parenthesis hold a command (quotes, comments, nested ones), a ``#`` at the start of a word outside quotes
    starts a comment to the end of the line. A backquote's command ends at the next backquote not escaped,
    whatever it holds: sh takes it whole, removes the backslashes before ``\\ ` $`` (and ``"`` in double
    quotes), then reads it as a command of its own (``echo `echo '\\`'``` closes its quotes). A here-document's
    end word (after ``<<``) closes its quotes, but its ``$`` and backquotes are characters (``cat <<`x``).
    A ``)`` closing nothing (a ``case`` pattern's) is left to sh. Linear in ``text`` (times the nesting of
    backquotes, which doubles the backslashes at each level).

    Also the first construct of bash's (:data:`_BASH_ONLY`), and the first quote an arithmetic expansion holds,
    which dash reads as a character there (XCU 2.6.4: its expression is read as in double quotes, where a quote
    is removed only when it quotes: dash refuses ``$(( "$x" + 1 ))`` when it runs, "expecting primary").
    """
    stack: list[tuple[str, int]] = []  # what is open, and where
    bash: tuple[str, int] | None = None
    quote: tuple[str, int] | None = None
    # the first operator of bash's and the first fault an arithmetic expansion holds (:func:`_expressions_read`)
    expression: tuple[tuple[str, int] | None, tuple[str, int] | None] = (None, None)
    bad: tuple[str, int] | None = None
    # previous: the character before, in the current context: a '#' after a word break starts a comment
    i, n, previous = 0, len(text), " "
    while i < n:
        ch = text[i]
        inside = stack[-1][0] if stack else ""
        if inside == "'":
            if ch == "'":
                stack.pop()
                previous = "a"
            i += 1
            continue
        plain = _PLAIN.match(text, i)
        if plain is not None:
            # characters that neither open nor close anything, nor start one of bash's forms: passed at once
            i = plain.end()
            previous = text[i - 1]
            continue
        quote = quote or _arithmetic_quote(text, i, stack)
        if ch == "\\" or text.startswith("&&", i):
            # a backslash quotes the next character; && is one operator, read whole by sh and bash alike: a > after
            # it is a redirection (a &&>log b), not bash's &>
            i, previous = i + 2, "a" if ch == "\\" else "&"
            continue
        bad = bad or _bad_substitution(text, i)
        arithmetic = _in_arithmetic(stack)
        bash = bash or _bash_only(text, i, "$((" if arithmetic else inside)
        if _closes(text, i, inside):
            # an arithmetic expansion's expression, read whole as it closes
            expression = _expressions_read(text, stack[-1][1] + 3, i, expression) if inside == "$((" else expression
            stack.pop()
            i += 2 if inside == "$((" else 1
            previous = ")" if inside == "(" else "a"  # a substitution or quote goes on in its word
            continue
        read_whole = _read_whole(text, i, stack, arithmetic)
        if read_whole is not None:
            i, left_open, inner = read_whole
            if left_open is not None:
                return _Reading(left_open, bash, quote, expression[0], bad, expression[1])
            bash, quote, expression, bad, previous = (
                bash or inner.bash,
                quote or inner.arithmetic_quote,
                (expression[0] or inner.arithmetic_operator, expression[1] or inner.arithmetic_fault),
                bad or inner.bad_substitution,
                "a",
            )
            continue
        opened = _opens(text, i, inside, _quotes(stack))
        if opened is not None:
            stack.append((opened, i))
            i += len(opened)
            previous = "(" if opened == "(" else " "
            continue
        if ch == "#" and _starts_a_word(previous) and inside in _COMMANDS and not arithmetic:
            break  # a comment, to the end of the line
        previous = ch
        i += 1
    # what is left open: the last opened
    return _Reading(
        (_OPENED[stack[-1][0]], stack[-1][1] + 1) if stack else None, bash, quote, expression[0], bad, expression[1]
    )


def _bad_substitution(text: str, i: int) -> tuple[str, int] | None:
    """For :func:`_read`, where sh expands what ``text[i:]`` starts (no quote nor backslash makes it text): the
    parameter expansion starting there that dash refuses (:data:`_POSIX_EXPANSION`) as written (up to its ``}``,
    at most 40 characters), and its place (from 1); None when none starts there, or one dash reads."""
    if not text.startswith("${", i) or _POSIX_EXPANSION.match(text, i) is not None:
        return None  # the usual case
    end = text.find("}", i)
    shown = text[i : end + 1] if 0 <= end < i + 40 else text[i : i + 40] + "..."
    return shown, i + 1


def _starts_a_word(previous: str) -> bool:
    """Whether a character after ``previous`` starts a word, as sh splits them (a ``#`` there starts a comment)."""
    from pic import shsyntax

    return previous in shsyntax.WORD_BREAK


def _read_whole(
    text: str, i: int, stack: list[tuple[str, int]], arithmetic: bool
) -> tuple[int, tuple[str, int] | None, _Reading] | None:
    """For :func:`_read`: what sh reads whole at ``text[i]``, a backquote's command or a here-document's end word,
    as (where it ends, what it leaves open, what else :func:`_read` finds in it), each at its place in ``text``;
    None when neither starts there."""
    from pic import shsyntax

    if text[i] == "`":
        end, command, places = shsyntax.backquoted(text, i + 1, _in_double_quotes(stack))
        if end is None:
            return len(text), (_OPENED["`"], i + 1), _NOTHING
        inner = _read(command)
        if inner.opened is not None and inner.opened[1] <= shsyntax.read_extent(command):
            return end + 1, _placed(inner.opened, places), _NOTHING
        quote, operator, bad = inner.arithmetic_quote, inner.arithmetic_operator, inner.bad_substitution
        if quote is not None and quote[1] > shsyntax.read_extent(command):
            quote = None  # in what sh leaves unread: never expanded
        if operator is not None and operator[1] > shsyntax.read_extent(command):
            operator = None
        if bad is not None and bad[1] > shsyntax.read_extent(command):
            bad = None
        arithmetic_fault = inner.arithmetic_fault
        if arithmetic_fault is not None and arithmetic_fault[1] > shsyntax.read_extent(command):
            arithmetic_fault = None
        return (
            end + 1,
            None,
            _Reading(
                None,
                # `< FILE`: as $(< FILE), nothing in dash
                (_BASH_ONLY["$(<"], i + 1) if _READ_FILE.fullmatch(f"$({command})") else _placed(inner.bash, places),
                _placed(quote, places),
                _placed(operator, places),
                _placed(bad, places),
                _placed(arithmetic_fault, places),
            ),
        )
    inside = stack[-1][0] if stack else ""
    if inside in _COMMANDS and not arithmetic and text.startswith("<<", i) and not text.startswith("<<<", i):
        end, quote = _end_word_end(text, i + 2)
        return end, None if quote is None else (_OPENED[quote[0]], quote[1] + 1), _NOTHING
    return None


_NOTHING = _Reading(None, None, None)


# The operators of bash's arithmetic that dash, the containers' sh, does not have (XCU 2.6.4 names C's, without
# ++, -- and the comma), in the text of an expansion outside its substitutions: each is refused by dash when it
# runs ("arithmetic expression: expecting primary" or "expecting EOF"), but ++ or -- before a name, which dash
# reads as two signs (++i is i, never incremented).
_BASH_ARITHMETIC = LazyPattern(
    r"(?P<power>\*\*)|(?P<base>#)|(?P<comma>,)|(?P<array>\[)"
    r"|[A-Za-z_][A-Za-z0-9_]*[ \t]*(?P<post>\+\+|--)(?=[ \t]*(?:$|[)*/%<>=&|^?:]))"
    r"|(?:^|(?<=[(*/%<>=&|^!~?:+-]))[ \t]*(?P<pre>\+\+|--)(?=[ \t]*[A-Za-z_])"
    r"|(?<![A-Za-z0-9_])(?P<random>RANDOM)(?![A-Za-z0-9_])"
)
_ARITHMETIC_WORDS = {
    "power": "** (bash's power: 2 ** 3), which dash, the containers' sh, does not have; write the product",
    "base": "# (bash's number in a base: 16#ff), which dash, the containers' sh, does not read; write 0xff",
    "comma": "a comma (bash's list of expressions), which dash, the containers' sh, does not have; write one "
    "$((...)) each",
    "array": "[ (bash's array element: a[1]), which dash, the containers' sh, does not have",
    "post": "++ or -- after a name (bash's increment), which dash, the containers' sh, does not have; write "
    "i=$((i + 1))",
    "random": "RANDOM (bash's random number), which dash, the containers' sh, does not set: it reads 0 (sleep "
    "$((RANDOM % 300)) always sleeps 0 s); write $(( $(od -An -N2 -tu2 /dev/urandom) % 300 ))",
    "pre": "++ or -- before a name (bash's increment), which dash, the containers' sh, reads as two signs: the "
    "name is never changed; write i=$((i + 1))",
}


def _arithmetic_operator(text: str, start: int, end: int) -> tuple[str, int] | None:
    """For :func:`_read`: the first operator of bash's (:data:`_BASH_ARITHMETIC`) in the arithmetic expansion whose
    expression is ``text[start:end]``, in :data:`_ARITHMETIC_WORDS`'s words, and its place (from 1); None when
    there is none, or when the expression holds a quote or a backslash (a quote is told otherwise: :func:`_read`).
    Its substitutions ($(...), ${...}, `...`, $x, $#) are read as a number, whatever dash expands them to; a
    nested $((...)) is read when it closes."""
    flat: list[str] = []
    places: list[int] = []
    i = start
    while i < end:
        ch = text[i]
        if ch in "'\"\\":
            return None
        if ch == "`" or text.startswith(("$(", "${"), i):
            close = "`" if ch == "`" else ")" if text[i + 1] == "(" else "}"
            opener = text[i + 1] if ch != "`" else ""
            depth, j = 0, i + 1
            while j < end:
                c = text[j]
                if c in "'\"\\" or (c == "`" and ch != "`"):
                    return None
                if c == close and (depth <= 1 or ch == "`"):
                    break
                if opener and c == opener:
                    depth += 1
                elif c == close:
                    depth -= 1
                j += 1
            else:
                return None
            flat.append("0")
            places.append(i)
            i = j + 1
            continue
        if ch == "$" and text[i + 1 : i + 2] in tuple("#?!$@*-0123456789"):
            flat.append("0")
            places.append(i)
            i += 2
            continue
        if ch != "$":
            flat.append(ch)
            places.append(i)
        i += 1
    m = _BASH_ARITHMETIC.search("".join(flat))
    if m is None:
        return None
    kind = m.lastgroup or ""
    return _ARITHMETIC_WORDS[kind], places[m.start(kind)] + 1


def _expressions_read(
    text: str, start: int, end: int, found: tuple[tuple[str, int] | None, tuple[str, int] | None]
) -> tuple[tuple[str, int] | None, tuple[str, int] | None]:
    """For :func:`_read`: ``found``, the first operator of bash's (:func:`_arithmetic_operator`) and the first fault
    (:func:`_arithmetic_fault`) in the arithmetic expansions read before, with those of the one whose expression is
    ``text[start:end]`` where none was."""
    return found[0] or _arithmetic_operator(text, start, end), found[1] or _arithmetic_fault(text, start, end)


def _arithmetic_fault(text: str, start: int, end: int) -> tuple[str, int] | None:
    """For :func:`_read`: where dash stops evaluating the arithmetic expansion whose expression is
    ``text[start:end]`` (:func:`sharith.fault`), whatever its variables and substitutions hold: what it stops at,
    the expansion as written (at most 60 characters) and what dash says, in words, and the place (from 1) of what it
    stops at; None when dash may evaluate it. Its substitutions ($x, ${x}, $(...), backquotes) are any text."""
    from pic import sharith, shsyntax

    flat: list[str] = []
    places: list[int] = []
    i = start
    while i < end:
        ch = text[i]
        after = shsyntax.substitution_end(text, i) if ch in "$`" else None
        if after is not None:
            flat.append(sharith.UNKNOWN)
            places.append(i)
            i = after
            continue
        flat.append(ch)
        places.append(i)
        # an escaped character: dash keeps the backslash, or the character it escapes ($ ` " \), neither of its
        # arithmetic
        i += 2 if ch == "\\" else 1
    found = sharith.fault("".join(flat))
    if found is None:
        return None
    at = places[found.at] if found.at < len(places) else end
    written = text[start - 3 : end + 2]
    shown = written if len(written) <= 60 else written[:57] + "..."
    stopped = "the end of" if at == end else f'"{text[at]}" in'
    says = (
        "stops when it runs it (SIGFPE, Floating point exception: -9223372036854775808 divided by -1 has no 64-bit "
        "value)"
        if found.crash
        else f'refuses when it runs it (arithmetic expression: {found.says}: "{text[start:end]}")'
        if not found.after_substitution
        else "refuses when it runs it, whatever the text of the substitution before it (arithmetic expression: "
        f'{found.says}: "{text[start:end]}", where that text is a number)'
    )
    return f"{stopped} the arithmetic expansion {shown}, whose expression dash, the containers' sh, {says}", at + 1


def _placed(found: tuple[str, int] | None, places: list[int]) -> tuple[str, int] | None:
    """``found`` in a backquote's command, at its place in the text that holds it (``places``: :func:`_read_whole`)."""
    return None if found is None else (found[0], places[found[1] - 1] + 1)


def _end_word_end(text: str, i: int) -> tuple[int, tuple[str, int] | None]:
    """Where the end word of the here-document whose ``<<`` ends at ``text[i]`` ends (``<<-`` and blanks
    included), and the quote it opens and never closes (None when closed): :func:`shsyntax.delimiter_end`."""
    from pic import shsyntax

    n = len(text)
    if text.startswith("-", i):
        i += 1
    while i < n and text[i] in " \t":
        i += 1
    if text.startswith("#", i):
        return i, None  # a comment: no word (sh refuses it)
    end, quote = shsyntax.delimiter_end(text, i)
    return end, None if quote is None else (text[quote], quote)


def unclosed(text: str) -> tuple[str, int] | None:
    """What ``text``, one line of sh, opens last and never closes (:func:`_read`), and where; None when every one
    is closed."""
    return _read(text).opened


def bash_only(text: str) -> tuple[str, int] | None:
    """The first construct of bash's in ``text``, one line of sh (:data:`_BASH_ONLY`, :func:`_read`), in words,
    and where; None when there is none."""
    from pic import shsyntax

    return _first(_read(text).bash, _bash_commands(shsyntax.read(text)))


def _bash_commands(grammar: shsyntax.Reading) -> tuple[str, int] | None:
    """The first of bash's forms that only sh's grammar finds where it is (:func:`shsyntax.read`): an arithmetic
    command, in :data:`_BASH_ONLY`'s words, or a name of bash's that dash does not know where dash runs a command
    of that name (:func:`_not_found`), and where (from 1); None when there is none."""
    found = [(t.at, _BASH_ONLY["(("]) for t in grammar.arithmetic]
    for command in _commands(grammar)[0]:
        found.extend(_not_found(command, grammar.functions))
        found.extend(_bash_usage(command))
        found.extend((t.at, _TILDE_WORDS.format(word=t.text[:2])) for t in command.words if _bash_tilde(t.text))
    if not found:
        return None
    at, words = min(found)
    return words, at + 1


# What :func:`_bash_commands` says of a word starting with bash's ~+ or ~- (its manual, "Tilde Expansion").
_TILDE_WORDS = (
    "{word} (bash's tilde for the working directory, $PWD, or ~- for the one before, $OLDPWD), which dash, the "
    "containers' sh, passes as written, two characters: write $PWD (or $OLDPWD)"
)


def _bash_tilde(word: str) -> bool:
    """Whether ``word``, a command's word as written, starts with ``~+`` or ``~-`` alone or before a ``/``, which bash
    expands ($PWD, $OLDPWD) and dash passes as written (XCU 2.6.1 leaves a tilde-prefix of no login name unspecified,
    dash reads none)."""
    return word.startswith(("~+", "~-")) and word[2:3] in ("", "/")


# The folders of the runtime images' programs: a path there to a name of bash's is a program they do not have.
_SYSTEM_FOLDERS = ("/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/", "/usr/local/bin/", "/usr/local/sbin/")


class _Wrapper(NamedTuple):
    """How a command that runs the command its words give reads its options (getopt's, as its manual gives them),
    up to the program it runs: short ones alone (``flags``) or taking a value (``values``), long ones alone or
    taking a value (``--name=VALUE`` or ``--name VALUE``); ``stops``: an option after which it runs no program
    (``command -v``), or whose reading is not followed here (``env -S`` whose string holds an expansion of sh's:
    :func:`_split_command` reads a literal one)."""

    flags: str = ""
    values: str = ""
    long_flags: tuple[str, ...] = ()
    long_values: tuple[str, ...] = ()
    stops: str = ""
    long_stops: tuple[str, ...] = ()
    numbers: bool = False  # -N, a number as an option (nice -5)
    assignments: bool = False  # NAME=VALUE before the program (env)
    operands: int = 0  # operands before the program (timeout's duration, flock's file, taskset's mask)
    builtins: bool = False  # dash's own: it runs dash's builtins too (command), never a function
    # short and long options whose value is optional, glued to them alone (xargs -i, -e, -l; --replace[=R])
    optional: str = ""
    long_optional: tuple[str, ...] = ()
    missing: int = 127  # its exit status when the program it runs is not found (flock's: 69, EX_UNAVAILABLE)
    # its other long options, which run no program here or are not followed (--help, --version, flock's --command):
    # getopt_long(3) reads an abbreviation among all of them (timeout --v names --verbose and --version)
    long_others: tuple[str, ...] = ("--help", "--version")
    # its long options that are another name of one before (flock's --nb, --nonblocking's): getopt_long takes an
    # abbreviation of both as one option
    aliases: tuple[tuple[str, str], ...] = ()
    usage: int = 125  # its exit status when it refuses its options (coreutils' 125, util-linux's 1, flock's 64)
    # its long options in the newer Debian release of the runtime images (trixie's coreutils 9.7, util-linux 2.41)
    # that bookworm's lack: not refused, nor what abbreviates them, and not followed (the command after them unread)
    long_newer: tuple[str, ...] = ()


# The commands that run the command their words give, dash's (command, exec) and the runtime images' (coreutils',
# util-linux's, findutils'), by name: dash runs a program of the name they are given (command a builtin of dash's
# too), never a function, never a builtin of bash's: command let, env time, nice /usr/bin/time are not found (exit
# 127, flock's 69).
_WRAPPERS = {
    "command": _Wrapper(flags="p", stops="vV", builtins=True, long_others=(), usage=2),
    "exec": _Wrapper(
        builtins=True, long_others=(), usage=2
    ),  # dash's exec takes no option: exec -- x runs a program named --
    "env": _Wrapper(
        flags="i0v",
        values="uC",
        long_flags=("--ignore-environment", "--null", "--debug", "--list-signal-handling"),
        long_values=("--unset", "--chdir"),
        stops="S",
        long_stops=("--split-string",),
        assignments=True,
        # coreutils 8.31's signal options (bullseye's env has them): --block-signal[=SIG] and the like
        long_optional=("--block-signal", "--default-signal", "--ignore-signal"),
        long_newer=("--argv0",),
    ),
    "nice": _Wrapper(values="n", long_values=("--adjustment",), numbers=True),
    "nohup": _Wrapper(),
    "timeout": _Wrapper(
        flags="v",
        values="sk",
        long_flags=("--preserve-status", "--foreground", "--verbose"),
        long_values=("--signal", "--kill-after"),
        operands=1,
    ),
    "setsid": _Wrapper(flags="cfw", long_flags=("--ctty", "--fork", "--wait"), usage=1),
    "stdbuf": _Wrapper(values="ioe", long_values=("--input", "--output", "--error")),
    "ionice": _Wrapper(
        flags="t",
        values="cn",
        long_flags=("--ignore",),
        long_values=("--class", "--classdata"),
        stops="pPu",
        long_others=("--pid", "--pgid", "--uid", "--help", "--version"),
        usage=1,
    ),
    # util-linux's flock(1): flock [options] FILE COMMAND... (-c after FILE: a script, not followed here)
    "flock": _Wrapper(
        flags="sexnoFu",
        values="wE",
        long_flags=(
            "--shared",
            "--exclusive",
            "--unlock",
            "--nonblocking",
            "--nb",
            "--close",
            "--no-fork",
            "--verbose",
        ),
        long_values=("--timeout", "--wait", "--conflict-exit-code"),
        stops="hV",
        operands=1,
        missing=69,
        long_others=("--help", "--version"),  # its -c, --command after the file alone, read whole
        aliases=(("--nb", "--nonblocking"), ("--wait", "--timeout")),
        usage=64,
        long_newer=("--fcntl",),
    ),
    # util-linux's chrt(1): chrt [options] PRIORITY COMMAND... (-p PID: no command)
    "chrt": _Wrapper(
        flags="abdfiorRv",
        values="TPD",
        long_flags=(
            "--all-tasks",
            "--batch",
            "--deadline",
            "--fifo",
            "--idle",
            "--other",
            "--rr",
            "--reset-on-fork",
            "--verbose",
        ),
        long_values=("--sched-runtime", "--sched-period", "--sched-deadline"),
        stops="pmhV",
        operands=1,
        long_others=("--max", "--pid", "--help", "--version"),
        usage=1,
    ),
    # util-linux's taskset(1): taskset [options] MASK COMMAND... (-p: a process, no command)
    "taskset": _Wrapper(
        flags="ac",
        long_flags=("--all-tasks", "--cpu-list"),
        stops="phV",
        operands=1,
        long_others=("--pid", "--help", "--version"),
        usage=1,
    ),
    # findutils' xargs(1) (getopt "+0a:E:e::i::I:l::L:n:prs:txP:d:"): the command after its options
    "xargs": _Wrapper(
        flags="0oprtx",
        values="adEILnPs",
        optional="eil",
        long_flags=("--null", "--open-tty", "--interactive", "--no-run-if-empty", "--verbose", "--exit"),
        long_values=(
            "--arg-file",
            "--delimiter",
            "--max-args",
            "--max-procs",
            "--max-chars",
            "--process-slot-var",
        ),
        long_optional=("--eof", "--replace", "--max-lines"),  # --max-lines[=MAX-LINES], as -l
        long_others=("--show-limits", "--help", "--version"),
        usage=1,
    ),
}


def _program_at(wrapper: _Wrapper, words: list[str | None], i: int) -> int | None:
    """The index in ``words`` (each as :func:`shsyntax.literal` reads it, None when it expands something) of the
    program the command ``words[i]``, a :data:`_WRAPPERS`' one, runs; None when it runs none or which is not told
    by the words as written (an expansion, an option not known)."""
    j, n = i + 1, len(words)
    while j < n:
        word = words[j]
        if word is None:
            return None
        if word == "--" or (word == "-" and wrapper.assignments):
            j += 1  # env's - (-i) ends its options too (env - -- X=1 runs a program named --)
            break
        if _ASSIGNED.match(word) or not word.startswith("-") or word == "-":
            break  # env reads no option after an assignment (env X=1 -u Y runs a program named -u)
        taken = _option_words(wrapper, word)
        if taken is None:
            return None
        j += taken
    while wrapper.assignments and j < n and _ASSIGNED.match(words[j] or ""):
        j += 1
    j += wrapper.operands
    return j if j < n else None


_ASSIGNED = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*=")


def _option_words(wrapper: _Wrapper, word: str) -> int | None:
    """How many words the option ``word`` of ``wrapper`` takes (its value glued to it, -n5, or the next word);
    None when it is not known, or runs no program (:class:`_Wrapper`)."""
    if word == "-" or (wrapper.numbers and _NICE_NUMBER.fullmatch(word) is not None):
        return 1  # env's - (-i), nice's -5 (--5, -+5)
    if word.startswith("--"):
        key, equals, _ = word.partition("=")
        key = _long_option(wrapper, key)
        if (key in wrapper.long_flags and not equals) or key in wrapper.long_optional:
            return 1
        return (1 if equals else 2) if key in wrapper.long_values else None
    for k, letter in enumerate(word[1:], start=2):
        if letter in wrapper.values or letter in wrapper.optional:
            # an optional value is glued to it, or none (xargs -i, -e)
            return 1 if k < len(word) or letter in wrapper.optional else 2
        if letter not in wrapper.flags:
            return None
    return 1


# nice's adjustment as an option (coreutils' nice.c reads -N, --N and -+N before its options)
_NICE_NUMBER = LazyPattern(r"-[+-]?[0-9]+")


def _long_names(wrapper: _Wrapper) -> tuple[str, ...]:
    """Every long option of ``wrapper``, in the order its manual gives them."""
    return (
        *wrapper.long_flags,
        *wrapper.long_values,
        *wrapper.long_stops,
        *wrapper.long_optional,
        *wrapper.long_others,
    )


def _started(wrapper: _Wrapper, key: str) -> list[str]:
    """The options of ``wrapper`` that ``key`` (``--name``, no value) starts, each once (an alias read as the option
    it names: getopt_long(3) takes an abbreviation of both as one option)."""
    aliases = dict(wrapper.aliases)
    started = [aliases.get(name, name) for name in _long_names(wrapper) if name.startswith(key)]
    return list(dict.fromkeys(started))


def _long_option(wrapper: _Wrapper, key: str) -> str:
    """The long option of ``wrapper`` that ``key`` (``--name``, no value) names: itself, or the one it starts alone
    (getopt_long(3) takes a prefix naming one option: env --split 'cmd' is --split-string); ``key`` when none, or
    several (:func:`_ambiguous`)."""
    if key in _long_names(wrapper) or len(key) < 3:
        return key
    started = _started(wrapper, key)
    return started[0] if len(started) == 1 else key


def _ambiguous(wrapper: _Wrapper, key: str) -> list[str]:
    """The options of ``wrapper`` that ``key`` (``--name``, no value), an abbreviation of several, names, which
    getopt_long(3) refuses ("option '--i' is ambiguous"): the command runs nothing; [] when it names one or none."""
    if key in _long_names(wrapper) or len(key) < 3 or (wrapper.numbers and _NICE_NUMBER.fullmatch(key)):
        return []
    started = _started(wrapper, key)
    return started if len(started) > 1 else []


def _chain(words: list[str | None]) -> list[int]:
    """The index in ``words`` (a command's, as :func:`shsyntax.literal` reads them) of each program the command
    runs: its name, then the program each of :data:`_WRAPPERS` runs (``nice -n 5 flock F php a.php``: 0, 3, 5), as
    far as the words as written tell it."""
    out, i = [0], 0
    while (runner := words[i]) is not None:
        path = _system_name(runner)
        wrapper = _WRAPPERS.get(runner) or (_WRAPPERS.get(path) if path is not None else None)
        j = None if wrapper is None or (path is not None and wrapper.builtins) else _program_at(wrapper, words, i)
        if j is None:
            break
        out.append(j)
        i = j
    return out


def _wrapper(word: str) -> _Wrapper | None:
    """The :data:`_WRAPPERS`' command ``word`` runs (by name, or by its path for a program of the images), or None."""
    path = _system_name(word)
    wrapper = _WRAPPERS.get(word) or (_WRAPPERS.get(path) if path is not None else None)
    return None if wrapper is None or (path is not None and wrapper.builtins) else wrapper


def _split_option(words: list[str | None], i: int) -> tuple[int, int, int, int] | None:
    """For env at ``words[i]``: its first option ``-S STRING`` (``-S'...'``, ``-iS ...``, ``--split-string=...``,
    ``--split-string ...``) before the program, as (the index of its word, the index after it and its string, the
    index of the word holding the string, where the string starts in that word); None when it has none, or when the
    words as written do not tell it."""
    env = _WRAPPERS["env"]
    j, n = i + 1, len(words)
    while j < n:
        word = words[j]
        if word is None or word in ("--", "-") or _ASSIGNED.match(word) or not word.startswith("-"):
            return None
        if word.startswith("--"):
            key, equals, _ = word.partition("=")
            if _long_option(env, key) == "--split-string":
                return (j, j + 1, j, len(key) + 1) if equals else (j, j + 2, j + 1, 0) if j + 1 < n else None
        else:
            for k, letter in enumerate(word[1:], start=1):
                if letter == "S":
                    return (j, j + 1, j, k + 1) if k + 1 < len(word) else (j, j + 2, j + 1, 0) if j + 1 < n else None
                if letter not in env.flags:
                    break
        taken = _option_words(env, word)
        if taken is None:
            return None
        j += taken
    return None


def _literal_places(word: str) -> list[int]:
    """The index in ``word``, one word of sh that expands nothing, of each character :func:`shsyntax.literal`
    makes of it."""
    places: list[int] = []
    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        if ch == "'":
            close = word.index("'", i + 1)
            places.extend(range(i + 1, close))
            i = close + 1
        elif ch == '"':
            j = i + 1
            while j < n and word[j] != '"':
                j += word[j] == "\\" and word[j + 1 : j + 2] in ("$", "`", '"', "\\")
                places.append(j)
                j += 1
            i = j + 1
        else:
            places.append(i + (ch == "\\"))
            i += 2 if ch == "\\" else 1
    return places


# How many times env -S is read in one command at most (a string may hold -S again).
_MAX_SPLITS = 16


def _split_command(command: shsyntax.Command) -> shsyntax.Command | tuple[int, str]:
    """``command`` with the string of each ``env -S STRING`` it runs (env by name or path, run by another too:
    ``nice env -S 'cd /tmp'``) replaced by the words GNU env makes of it (:func:`envsplit.split`), as env reads them
    (options, assignments, then the program), each at the place of its first character in the text; or where env
    refuses a string (exit 125, nothing run), with why. A string written with an expansion of sh's is known when the
    job runs: left as written."""
    from pic import envsplit, shsyntax

    tokens = list(command.words)
    for _ in range(_MAX_SPLITS):
        words = [shsyntax.literal(t.text) for t in tokens]
        found = None
        for i in _chain(words):
            runner = words[i]
            if runner is not None and (_system_name(runner) or runner) == "env" and _wrapper(runner) is not None:
                found = _split_option(words, i)
                if found is not None:
                    break
        if found is None:
            return replace(command, words=tuple(tokens))
        first, end, holder, start = found
        text = words[holder]
        if text is None:
            known = _known_split(tokens[holder])
            if known is None:
                return replace(command, words=tuple(tokens))
            tokens[first:end] = known
            continue
        string, token = text[start:], tokens[holder]
        places = _literal_places(token.text)
        split = envsplit.split(string)

        if len(places) != len(text):
            places = [0] * len(text)  # (a word ending in a lone backslash) each told at the word's first character
        places.append(places[-1] if places else 0)  # the end of the string
        if split.refused is not None:
            offer = _split_mended(tokens, holder, text[:start], string)
            told = _split_refused(tokens[first].text, token, split.refused, offer)
            return token.at + places[start + split.at], told
        made = [
            shsyntax.Token("split", word, token.at + places[start + at])
            for (_, at), word in zip(split.words, split.written, strict=True)
        ]
        option = words[first] or ""
        short = holder == first and start > 2 and not option.startswith("--")  # -iS'...': -i kept
        kept = [replace(tokens[first], text=option[: option.index("S")])] if short else []
        tokens[first:end] = [*kept, *made]
    return replace(command, words=tuple(tokens))


def _known_split(token: shsyntax.Token) -> list[shsyntax.Token] | None:
    """The words env makes of the string ``token``, a word of sh given to env's -S apart (``-S "nice 5 $X"``)
    that holds an expansion of sh's, which is known when the job runs: those before it, which env parts from it
    whatever it gives (each ended by a blank), each at its place in the text, then one for the rest, unknown; None
    when none is known so (the expansion first, a glob, a quote or a comment of env's open before it: what follows
    may change them)."""
    from pic import envsplit, shsyntax

    written: list[str] = []
    places: list[int] = []
    i, quoted = 0, False
    while i < len(token.text) and token.text[i] not in "$`":
        ch = token.text[i]
        if ch == "'":
            close = token.text.find("'", i + 1)
            if close < 0:
                return None
            written.append(token.text[i + 1 : close])
            places.extend(range(i + 1, close))
            i = close + 1
        elif ch == '"':
            j = i + 1
            while j < len(token.text) and token.text[j] not in '"$`':
                j += token.text[j] == "\\" and token.text[j + 1 : j + 2] in ("$", "`", '"', "\\")
                written.append(token.text[j])
                places.append(j)
                j += 1
            i = j + 1
            if token.text[j : j + 1] != '"':
                i, quoted = j, True  # an expansion within the quotes
                break
        elif ch in "\\*?[~":
            return None
        else:
            written.append(ch)
            places.append(i)
            i += 1
    string = "".join(written)
    if not string or len(places) != len(string) or "#" in string or "\\c" in string:
        return None
    split = envsplit.split(string)
    if split.refused is not None:
        return None
    known = len(split.words) if string[-1] in " \t" else len(split.words) - 1
    made = [
        shsyntax.Token("split", word, token.at + places[at])
        for (_, at), word in zip(split.words[:known], split.written, strict=False)
    ]
    # the rest as written, sh's expansion first: without quotes, backslashes or a substitution, sh splits what it
    # gives as env does (blanks apart), written again so in the line (-S "exec nice 5 $CMD": exec nice 5 $CMD); else
    # the quote it is in opened again, a word of sh never written back
    rest = token.text[i:-1] if quoted and token.text.endswith('"') else token.text[i:]
    if quoted == token.text.endswith('"') and not any(c in rest for c in "\"'\\`") and "$(" not in rest:
        return [*made, shsyntax.Token("split", rest, token.at + i)]
    return [*made, shsyntax.Token("rest", f'"{token.text[i:]}' if quoted else token.text[i:], token.at + i)]


def _split_mended(tokens: list[shsyntax.Token], holder: int, before: str, string: str) -> str | None:
    """The command of ``tokens`` with the string ``string`` of env's -S that env refuses, in ``tokens[holder]``
    after ``before`` (``-S``, ``--split-string=``, or nothing), mended as :func:`envsplit.mended` mends it, then
    what was done; None when it has no such mending, or when the word is not written ``'...'`` after ``before``
    (the mended string quoted otherwise for sh would be another reading to tell)."""
    from pic import envsplit

    text = tokens[holder].text
    mended = envsplit.mended(string)
    if mended is None or text != f"{before}'{string}'" or "'" in string or "'" in mended[0]:
        return None
    word = replace(tokens[holder], text=f"{before}'{mended[0]}'")
    whole = _line(tokens, [t.text for t in (*tokens[:holder], word, *tokens[holder + 1 :])])
    return f"{whole} ({', '.join(mended[1])})"


def _split_refused(option: str, token: shsyntax.Token, refused: str, offer: str | None = None) -> str:
    """What :func:`check_command` says of the string ``token`` of env's -S ``option``, which env refuses (its
    words ``refused``), with the command mended when known (``offer``, :func:`_split_mended`)."""
    shown = token.text if option == token.text else f"{option} {token.text}"
    how = (
        "words parted by spaces, '...' or \"...\" around a word holding one, a variable of env's as ${NAME}, a "
        "backslash only in \\\\ \\' \\\" \\$ \\# \\_ (a space) \\t \\n \\f \\r \\v \\c (the end) (coreutils' env, -S)"
    )
    write = f"write it as env splits it: {how}" if offer is None else f"write {offer}, env splitting it so: {how}"
    return (
        f"the string of env {shown}, which env refuses when it runs (env: {refused}, exit 125): the command never "
        f"runs; {write}; or give the words to env itself, without -S"
    )


def _commands(grammar: shsyntax.Reading) -> tuple[list[shsyntax.Command], str | None]:
    """The commands of ``grammar``, each as :func:`_split_command` reads it, and what :func:`check_command` says of
    the first string of env -S that env refuses (None when there is none)."""
    out, refused = [], []
    for command in grammar.commands:
        read = _split_command(command)
        if isinstance(read, tuple):
            refused.append(read)
            out.append(command)
        else:
            out.append(read)
    told = min(refused, default=None)
    return out, None if told is None else f"holds at character {told[0] + 1} {told[1]}"


# Programs that members write in cron jobs and the runtime images do not have (debootstrap's minbase, then the
# packages of the images' Dockerfile: none of these), by name, with what to write instead.
_ABSENT_PROGRAMS = {
    "sudo": "the job runs as the site's own user already, which it cannot change: write the command alone",
    "doas": "the job runs as the site's own user already, which it cannot change: write the command alone",
}


# What becomes of the job when a program is not found, by whether exec (dash's special builtin: the job ends) ran it.
_WITHOUT_IT = ("the job goes on without it", "the job ends there (exec failing stops the shell)")


def _builtin_run(builtin: str, runner: str, at: int) -> str:
    """What :func:`check_command` says of ``builtin``, one of :data:`_DASH_BUILTINS`, run at character ``at`` (from
    0) by ``runner``, one of :data:`_WRAPPERS` that runs a program alone."""
    status = _WRAPPERS[runner.rpartition("/")[2]].missing
    if builtin == ".":  # a program named '.' is found as each folder of the PATH, none of which runs (execvp)
        status = 69 if status == 69 else 126
        found = f"it finds as a folder of the PATH and cannot run (permission denied, exit {status}),"
        instead = "write . FILE alone, as the shell's command (a program could change nothing of the job's shell)"
    else:
        found = f"the runtime images do not have: the command is not found (exit {status})"
        instead = (
            f"write {builtin} alone, as the shell's command (a program could change nothing of the job's shell: its "
            "directory, its variables)"
        )
    return (
        f"holds at character {at + 1} {builtin} (a builtin of dash's, the containers' sh) after {runner}, which runs "
        f"a program of that name, which {found} and {_WITHOUT_IT[runner == 'exec']}; {instead}"
    )


# How deep :func:`_refused_too` reads a command offered in what is told of another (time time time ... x: each
# offer holding the next), and how deep it is now.
_MAX_OFFERS_READ = 2
_OFFERS_READ: ContextVar[int] = ContextVar("_OFFERS_READ", default=0)


def _told_refused_too(told: str, mended: str) -> str:
    """``told``, the offer ``mended`` in it, and what :func:`_refused_too` says of ``mended`` when it is refused too."""
    refused = _refused_too(mended)
    return told if refused is None else f"{told}; written so, it is refused too: {refused}"


def _refused_too(command: str) -> str | None:
    """What :func:`check_command` says of ``command``, one offered in what it says of another (its characters counted
    from its first, as told), or None when it is taken, or when offers are read :data:`_MAX_OFFERS_READ` deep
    already."""
    depth = _OFFERS_READ.get()
    if depth >= _MAX_OFFERS_READ:
        return None
    reset, probing = _OFFERS_READ.set(depth + 1), _PROBED.set(None)
    try:
        _check_command(command, own=False)
    except ValueError as refused:
        return f"that command (its characters counted from its first) {refused}"
    finally:
        _PROBED.reset(probing)
        _OFFERS_READ.reset(reset)
    return None


def _alone_refused(tokens: tuple[shsyntax.Token, ...], i: int) -> str:
    """What :func:`check_command` says of the command ``tokens`` from its word ``i`` on, a builtin's command run as
    a program, written alone as :func:`_builtin_run` tells (``nice -n 5 eval -- x``: eval -- x, whose ``--`` dash's
    eval runs as a command), in its line (:func:`_line`), after its own words; "" when that line is taken."""
    alone = _line(tokens, [t.text for t in tokens[i:]])
    refused = _refused_too(alone)
    return "" if refused is None else f"; written alone ({alone}), it is refused too: {refused}"


def _signals(word: str) -> bool:
    """Whether ``word`` is a list of signals as env's signal options take it (``TERM``, ``SIGINT,HUP``, ``15``)."""
    return all(part.isdigit() or _signal_name(part.upper().removeprefix("SIG")) for part in word.split(","))


_EOF_STRING = LazyPattern(r"[A-Z0-9_.-]*[A-Z][A-Z0-9_.-]*")
# The options of :data:`_WRAPPERS` whose value is optional (given glued, -l1, or after '=', --block-signal=TERM; a
# word apart is the program run), by option: what their value is, and how to tell a word that is one.
_OPTIONAL_VALUES: dict[str, tuple[str, Callable[[str], bool]]] = {
    **dict.fromkeys(("--block-signal", "--default-signal", "--ignore-signal"), ("its signals", _signals)),
    **dict.fromkeys(("l", "--max-lines"), ("its number of lines", str.isdigit)),
    **dict.fromkeys(("i", "--replace"), ("the text to replace", lambda word: word == "{}")),
    # an end of input written in capitals (END, EOF_1), a name no program of the images has (theirs are in small
    # letters): xargs -e END php a.php runs a program END
    **dict.fromkeys(("e", "--eof"), ("its end-of-file string", lambda word: _EOF_STRING.fullmatch(word) is not None)),
}


def _detached_value(tokens: tuple[shsyntax.Token, ...], words: list[str | None], r: int, i: int) -> str | None:
    """What :func:`check_command` says of the program ``words[i]`` run by the command at ``words[r]`` when it is the
    value of the option before it whose value is optional (:data:`_OPTIONAL_VALUES`), written apart: ``env
    --block-signal TERM cd /tmp`` runs a program TERM (not found, exit 127), cd its argument; with the command
    written with the value where it goes, and what is said of that; None when it is none such."""
    runner, option, word = words[r] or "", words[i - 1] if i - 1 > r else None, words[i] or ""
    wrapper = _wrapper(runner)
    if wrapper is None or option is None or option in ("-", "--") or not option.startswith("-"):
        return None
    if option.startswith("--"):
        key, equals, _ = option.partition("=")
        name, glued, how = _long_option(wrapper, key), f"{option}={word}", "only after '='"
        if equals or name not in wrapper.long_optional:
            return None
    else:
        name, glued, how = option[-1], option + word, "only glued to it"
        if name not in wrapper.optional or any(c not in wrapper.flags for c in option[1:-1]):
            return None
    what, tell = _OPTIONAL_VALUES.get(name, ("", None))
    if tell is None or not tell(word):
        return None
    mended = _line(tokens, [*(t.text for t in tokens[: i - 1]), glued, *(t.text for t in tokens[i + 1 :])])
    status = wrapper.missing
    told = (
        f"holds at character {tokens[i].at + 1} {word} after {runner} {option}, which takes {what} {how} ({glued}): "
        f"{runner} runs a program named {word}, which the runtime images do not have: the command is not found (exit "
        f"{status}) and {_WITHOUT_IT[runner == 'exec']}; write {mended}"
    )
    return _told_refused_too(told, mended)


# The names of bash's and the programs told "write the command alone" (the command they run, without them).
_WRITTEN_WITHOUT = frozenset(("time", "builtin", "sudo", "doas"))


def _dropped_refused(tokens: tuple[shsyntax.Token, ...], i: int, name: str) -> str:
    """What :func:`check_command` says of the command ``tokens`` without its word ``i``, ``name`` of
    :data:`_WRITTEN_WITHOUT`, in its line (:func:`_line`), when it is told to write the command it runs alone
    (``time eval -- x``: eval -- x, whose ``--`` dash's eval runs as a command), after its own words; "" when that
    line is taken, or when options follow the name (``time -p``, ``sudo -u www-data``: the command alone is not told
    by the words). Such words that follow it are left out with it (``time time x``, ``time sudo x``: x)."""
    from pic import shsyntax

    rest = tokens[i + 1 :]
    while len(rest) > 1 and shsyntax.literal(rest[0].text) in _WRITTEN_WITHOUT:
        rest = rest[1:]
    if name not in _WRITTEN_WITHOUT or not rest or rest[0].text.startswith("-"):
        return ""
    dropped = _line(tokens, [t.text for t in (*tokens[:i], *rest)])
    refused = _refused_too(dropped)
    return "" if refused is None else f"; written so ({dropped}), it is refused too: {refused}"


# What the runners with operands before the program read their options before, by name (getopt's "+": the first
# word that is no option ends them; util-linux's chrt's too, chrt.c's "+abdD:efiphmoP:T:rRv").
_OPERANDS = {
    "timeout": "its duration",
    "flock": "its file",
    "taskset": "its mask",
    "env": "the variables it sets",
    "chrt": "its priority",
}
# What chrt does first with no policy given: its default, round-robin, at the priority (1 to 99, and the right to
# set it); refused, the job ends there (exit 1)
_CHRT_FIRST = (
    "chrt sets its default policy, round-robin, at that priority first (a priority 0, or none of the right to set "
    "it: exit 1, the job ends there), then "
)


def _chrt_first(options: list[str | None]) -> str:
    """What chrt does first with ``options``, the words before its priority: sets the policy one of them names
    (:data:`_CHRT_POLICIES`: ``-b``, ``--idle``) at the priority, or its default (:data:`_CHRT_FIRST`)."""
    for word in options:
        if (
            word
            and word.startswith("-")
            and (word in _CHRT_POLICIES or (not word.startswith("--") and any(c in _CHRT_POLICIES for c in word[1:])))
        ):
            return (
                f"chrt sets the policy {word} gives at that priority first (refused, exit 1: the job ends there), then "
            )
    return _CHRT_FIRST


def _misplaced_next(wrapper: _Wrapper, name: str, word: str) -> int | None:
    """For :func:`_misplaced_option`: how many words ``word``, following an option written after the operand of
    the runner ``name``, takes when it is another option of it (:func:`_option_words`); None when it is none (the
    program, ``--``, flock's ``-c`` and its script)."""
    if not word.startswith("-") or word in ("-", "--"):
        return None
    if name == "flock" and _long_option(wrapper, word) in ("-c", "--command"):
        return None
    return _option_words(wrapper, word)


def _misplaced_option(tokens: tuple[shsyntax.Token, ...], words: list[str | None], r: int, i: int) -> str | None:
    """What :func:`check_command` says of the program ``words[i]`` run by the command at ``words[r]`` when it is an
    option of that command written after its operand (``timeout 5m -s KILL php a.php``, ``flock FILE -n ...``,
    ``env X=1 -u Y ...``), or the ``--`` ending its options (``timeout 5m -- php a.php``): the command runs a
    program of that name (not found, exit 127; flock's 69); with the
    command written with its options first, and what is said of that; None when it is none such (flock's ``-c``
    after its file: its script)."""
    runner, word = words[r] or "", words[i] or ""
    wrapper, name = _wrapper(runner), _system_name(runner) or runner
    if wrapper is None or name not in _OPERANDS or not word.startswith("-") or words[i - 1] == "--":
        return None
    if word == "-" and not wrapper.assignments:
        return None
    # '--' ends the options only where they are read: after the operand, it is the program (timeout 5m -- php); so
    # does env's '-' (-i), before the variables it sets alone (env X=1 - php runs a program named -)
    taken = 1 if word in ("--", "-") else _option_words(wrapper, word)
    if taken is None or (name == "flock" and _long_option(wrapper, word) in ("-c", "--command")):
        return None
    first = i - wrapper.operands
    while wrapper.assignments and first - 1 > r and _ASSIGNED.match(words[first - 1] or ""):
        first -= 1
    # what ends the options: '--', and env's '-' (env - -- X=1 php runs a program named --)
    enders = ("--", "-") if wrapper.assignments else ("--",)
    if first <= r or (first == i and not (word == "--" and words[i - 1] == "-" and i - 1 > r and wrapper.assignments)):
        return None
    # the options written after it together (timeout 5m -s KILL -k 5 ...): all moved in one offer
    while word != "--" and i + taken < len(words):
        more = _misplaced_next(wrapper, name, words[i + taken] or "")
        if more is None:
            break
        taken += more
    ender = words[first - 1] if words[first - 1] in enders and first - 1 > r else None  # what ended the options
    # an option before what ended them; env's '-' after a '--' (env -- - X=1: '-' is read after the options alone)
    at = first - 1 if ender is not None and not (word == "-" and ender == "--") else first
    moved = [*tokens[:at], *tokens[i : i + taken], *tokens[at:i], *tokens[i + taken :]]
    if (word == "--" and ender is not None) or (word == "-" and ender == "-"):
        # a second end (env -- X=1 -- php, env - X=1 -- php): the options are ended already
        moved = [*tokens[:i], *tokens[i + 1 :]]
    mended = _line(tokens, [t.text for t in moved])
    what = (
        f"a second end of {runner}'s options (its {ender} ended them)"
        if word in ("--", "-") and ender is not None and moved == [*tokens[:i], *tokens[i + 1 :]]
        else f"the end of {runner}'s options"
        if word == "--"
        else f"{runner}'s - (its -i, an empty environment)"
        if word == "-"
        else f"an option of {runner}'s"
    )
    listed = name == "taskset" and _cpu_list(wrapper, words[r + 1 : first])  # taskset -c: a list of CPUs
    operand = "its list of CPUs" if listed else _OPERANDS[name]
    told = (
        f"holds at character {tokens[i].at + 1} {word} after {runner} "
        f"{' '.join(t.text for t in tokens[first:i]) or tokens[i - 1].text}, "
        f"{what}, which reads its options before {operand} alone: "
        f"{_chrt_first(words[r + 1 : first]) if name == 'chrt' else 'it '}"
        f"runs a program named {word}, which the runtime images do not "
        f"have: the command is not found (exit {wrapper.missing}) and "
        f"{_WITHOUT_IT[False]}; write {mended}"
    )
    return _told_refused_too(told, mended)


def _ambiguous_option(tokens: tuple[shsyntax.Token, ...], words: list[str | None], r: int) -> str | None:
    """What :func:`check_command` says of the first option of the command at ``words[r]``, one of :data:`_WRAPPERS`,
    written as an abbreviation of several of its long options (``env --i``: --ignore-environment and
    --ignore-signal): getopt_long(3) refuses it ("option '--i' is ambiguous"), and the command runs nothing (exit
    125; util-linux's and findutils' 1, flock's 64); None when it has none such before its program."""
    runner = words[r] or ""
    wrapper = _wrapper(runner)
    j, n = r + 1, len(words)
    while wrapper is not None and j < n:
        word = words[j]
        if word is None or word in ("-", "--") or _ASSIGNED.match(word) or not word.startswith("-"):
            return None
        key = word.partition("=")[0]
        found = _ambiguous(wrapper, key) if word.startswith("--") else []
        if found:
            # offered: those that then run the program, written as the word gives them (a value after '=' or not),
            # whose command is taken (xargs --max=1: not --max-chars=1, too small for its command)
            valued = (*wrapper.long_values, *wrapper.long_optional) if "=" in word else _running_options(wrapper)
            written = (
                _line(tokens, [t.text if m != j else name + word[len(key) :] for m, t in enumerate(tokens)])
                for name in found
                if name in valued
            )
            whole = " or ".join(command for command in written if _refused_too(command) is None)
            return (
                f"holds at character {tokens[j].at + 1} {word} after {runner}, an abbreviation of several of its "
                f"options ({', '.join(found)}): {runner} refuses it as ambiguous and runs nothing "
                f"(exit {wrapper.usage}), and {_WITHOUT_IT[False]}; write the option whole"
                + (f": {whole}" if whole else "")
            )
        if word.startswith("--") and _unrecognized(wrapper, key):
            return _unrecognized_told(tokens, words, r, j)
        if word.startswith("--") and "=" in word and _long_option(wrapper, key) in wrapper.long_flags:
            return _valued_flag_told(tokens, words, r, j)
        taken = _option_words(wrapper, word)
        if taken is None:
            return None
        j += taken
    return None


def _unrecognized(wrapper: _Wrapper, key: str) -> bool:
    """Whether ``key`` (``--name``, no value) names no long option of ``wrapper`` nor starts one, which getopt_long(3)
    refuses ("unrecognized option '--x'"); those of the images' newer release (:attr:`_Wrapper.long_newer`) are
    options, as nice's adjustment ``--5`` is; dash's command and exec read none."""
    names = _long_names(wrapper)
    if not names or len(key) < 3 or (wrapper.numbers and _NICE_NUMBER.fullmatch(key)):
        return False
    return not any(name.startswith(key) for name in (*names, *wrapper.long_newer))


def _unrecognized_told(tokens: tuple[shsyntax.Token, ...], words: list[str | None], r: int, j: int) -> str:
    """What :func:`check_command` says of the option at ``words[j]`` of the runner at ``words[r]`` that the runner
    does not have (:func:`_unrecognized`): it refuses it and runs nothing; with the option near it that it has
    (``--adjustement``: ``--adjustment``), else the command without it, when that command is taken."""
    import difflib

    runner, word = words[r] or "", words[j] or ""
    wrapper = _WRAPPERS[_system_name(runner) or runner]
    key = word.partition("=")[0]
    near = difflib.get_close_matches(key, _running_options(wrapper), n=3, cutoff=0.75)
    others = [t.text for t in (*tokens[:j], *tokens[j + 1 :])]
    offers = [_line(tokens, [*others[:j], name + word[len(key) :], *others[j:]]) for name in near]
    if "=" not in word or not near:
        offers.append(_line(tokens, others))  # the option alone: its command without it
    said = (f"{runner} does not have", f"unrecognized option '{word}'")
    otherwise = f"write the options {runner} has ({runner} --help lists them)"
    return _option_refused(tokens, words, r, j, said=said, offers=offers, otherwise=otherwise)


def _valued_flag_told(tokens: tuple[shsyntax.Token, ...], words: list[str | None], r: int, j: int) -> str:
    """What :func:`check_command` says of the option at ``words[j]`` of the runner at ``words[r]``, one that takes no
    value given one after '=' (``setsid --fork=1``): getopt_long(3) refuses it, and the runner runs nothing; with
    the command of the option alone, else of its value as the next word (``taskset --cpu-list 0``), when taken."""
    runner, word = words[r] or "", words[j] or ""
    wrapper = _WRAPPERS[_system_name(runner) or runner]
    key, _, value = word.partition("=")
    texts = [t.text for t in tokens]
    offers = [
        _line(tokens, [*texts[:j], key, *texts[j + 1 :]]),
        _line(tokens, [*texts[:j], key, value, *texts[j + 1 :]]),
    ]
    said = ("that takes no value", f"option '{_long_option(wrapper, key)}' doesn't allow an argument")
    otherwise = f"write {key} without its value ({runner} --help)"
    return _option_refused(tokens, words, r, j, said=said, offers=offers, otherwise=otherwise)


def _option_refused(
    tokens: tuple[shsyntax.Token, ...],
    words: list[str | None],
    r: int,
    j: int,
    *,
    said: tuple[str, str],
    offers: list[str],
    otherwise: str,
) -> str:
    """What :func:`check_command` says of the option ``tokens[j]`` of the runner ``tokens[r]`` that getopt_long(3)
    refuses, ``said`` (what the option is, the runner's words of it): the runner runs nothing; the first of
    ``offers`` taken, else ``otherwise``."""
    runner, word = words[r] or "", words[j] or ""
    wrapper = _WRAPPERS[_system_name(runner) or runner]
    what, its_words = said
    offer = next((command for command in offers if _refused_too(command) is None), None)
    return (
        f"holds at character {tokens[j].at + 1} {word} after {' '.join(t.text for t in tokens[r:j])}, an option "
        f"{what}: {runner} refuses it ({runner}: {its_words}) and runs nothing (exit {wrapper.usage}), and "
        f"{_WITHOUT_IT[False]}; " + (f"write {offer}" if offer is not None else otherwise)
    )


def _running_options(wrapper: _Wrapper) -> tuple[str, ...]:
    """The long options of ``wrapper`` after which it runs a program (its flags, those taking a value)."""
    return (*wrapper.long_flags, *wrapper.long_values, *wrapper.long_optional)


# A number written where a program goes (nice 5 php a.php): no program of the images is named so.
_NUMBER = LazyPattern(r"[+-]?[0-9]+")


def _number_run(tokens: tuple[shsyntax.Token, ...], words: list[str | None], r: int, i: int) -> str | None:
    """What :func:`check_command` says of the program ``words[i]`` run by the command at ``words[r]`` when it is a
    number (``nice 5 php a.php``: GNU nice takes its adjustment as -n 5 or -5, and runs a program named 5, not
    found, exit 127); with the command meant for nice; None when it is none such."""
    runner, word = words[r] or "", words[i] or ""
    wrapper, name = _wrapper(runner), _system_name(runner) or runner
    if wrapper is None or _NUMBER.fullmatch(word) is None:
        return None
    told = (
        f"holds at character {tokens[i].at + 1} {word} after {runner}, which runs the word there as the program: a "
        f"program named {word}, which the runtime images do not have: the command is not found (exit "
        f"{wrapper.missing}) and {_WITHOUT_IT[runner == 'exec']}"
    )
    if name != "nice":
        return f"{told}; write the program to run there"
    adjustment = word.lstrip("+")
    numbers = _nice_numbers(words, i)
    texts = [t.text for t in tokens]
    for k in reversed(numbers):
        texts[k : k + 1] = ["-n", (words[k] or "").lstrip("+")]
    mended = _line(tokens, texts)
    others = ", ".join(f"{words[k]} at character {tokens[k].at + 1}" for k in numbers[1:])
    alike = f", and so does each nice after it ({others})" if others else ""
    told = f"{told}; nice takes its adjustment as an option (-n {adjustment}, or -{adjustment}){alike}: write {mended}"
    return _told_refused_too(told, mended)


def _nice_numbers(words: list[str | None], i: int) -> list[int]:
    """The index in ``words`` of the number ``words[i]`` nice runs as its program, then of each one a nice after it
    runs so, read as the adjustment meant (``nice 5 nice 5 php a.php``: 1 and 3), to be mended in one offer."""
    found = [i]
    while True:
        start = found[-1] + 1
        rest = words[start:]
        chain = _chain(rest) if rest else []
        after = next(
            (
                start + b
                for a, b in itertools.pairwise(chain)
                if (_system_name(rest[a] or "") or rest[a]) == "nice" and _NUMBER.fullmatch(rest[b] or "")
            ),
            None,
        )
        if after is None:
            return found
        found.append(after)


# The options of :data:`_WRAPPERS` taking a value before the program, by runner and option: what the value is, how
# it is written in an example, and whether the runner refuses a program's name there (a number, a mode: it runs
# nothing) or takes it (a directory, a variable, a file: it runs the word after it).
_NAMED_VALUES = {
    **dict.fromkeys(
        (("env", "C"), ("env", "--chdir")), ("the directory to run the program in", "DIR", "../www", False)
    ),
    **dict.fromkeys((("env", "u"), ("env", "--unset")), ("the name of a variable to unset", "NAME", "LANG", False)),
    **dict.fromkeys(
        (("xargs", "a"), ("xargs", "--arg-file")),
        ("the file to read the arguments from", "FILE", "../priv/list", False),
    ),
    **dict.fromkeys((("nice", "n"), ("nice", "--adjustment")), ("its adjustment, a number", "N", "10", True)),
    **dict.fromkeys(
        (("xargs", "n"), ("xargs", "--max-args"), ("xargs", "L"), ("xargs", "P"), ("xargs", "--max-procs")),
        ("a number", "N", "1", True),
    ),
    **dict.fromkeys(
        (("xargs", "s"), ("xargs", "--max-chars")),
        ("the most bytes of a command line it runs, its command's own words included", "N", "4096", True),
    ),
    **dict.fromkeys(
        (("xargs", "d"), ("xargs", "--delimiter")), ("a delimiter, one character", "CHARACTER", "'\\n'", True)
    ),
    ("xargs", "E"): ("the string that ends the input", "STRING", "END", False),
    ("xargs", "I"): ("the string each input line replaces in the command", "STRING", "{}", False),
    ("xargs", "--process-slot-var"): ("the name of a variable to set", "NAME", "SLOT", False),
    **dict.fromkeys(
        (("timeout", "s"), ("timeout", "--signal")), ("the signal to send at the end", "SIGNAL", "TERM", True)
    ),
    **dict.fromkeys(
        (("env", k) for k in ("--block-signal", "--default-signal", "--ignore-signal")),
        ("its signals, separated by ','", "SIG", "TERM", True),
    ),
    **dict.fromkeys(
        (("timeout", "k"), ("timeout", "--kill-after")), ("the time to wait before KILL", "DURATION", "10", True)
    ),
    **dict.fromkeys(
        (("flock", "w"), ("flock", "--timeout"), ("flock", "--wait")),
        ("a time to wait, in seconds", "SECONDS", "60", True),
    ),
    **dict.fromkeys(
        (("flock", "E"), ("flock", "--conflict-exit-code")), ("an exit code, a number", "NUMBER", "0", True)
    ),
    **dict.fromkeys(
        (("chrt", k) for k in ("T", "P", "D", "--sched-runtime", "--sched-period", "--sched-deadline")),
        ("a time in nanoseconds", "NANOSECONDS", "1000000", True),
    ),
    **dict.fromkeys(
        (("stdbuf", k) for k in ("o", "e", "--output", "--error")),
        ("a mode, L (by line) or a size in bytes (0: none)", "MODE", "L", True),
    ),
    **dict.fromkeys(
        (("stdbuf", k) for k in ("i", "--input")), ("a mode, a size in bytes (0: none)", "MODE", "0", True)
    ),
    **dict.fromkeys((("ionice", "c"), ("ionice", "--class")), ("a scheduling class", "CLASS", "3", True)),
    **dict.fromkeys(
        (("ionice", "n"), ("ionice", "--classdata")),
        ("a priority level, 0 (the highest) to 7 (the lowest)", "LEVEL", "7", True),
    ),
}
# The programs a job runs whose name, as the value of an option of :data:`_NAMED_VALUES`, is read as the program
# meant (env -C php a.php): PHP's (php, php8.4), the shells, perl, and the runners themselves.
_PROGRAM_NAME = LazyPattern(r"php(?:[0-9]+(?:\.[0-9]+)?)?|sh|dash|bash|perl")


# The operand of the runners of :data:`_OPERANDS` that is no variable, by runner: what it is, how it is written in
# the command offered, what an example puts there, and whether the runner refuses a program's name there (a duration,
# a priority, a mask: it runs nothing) or takes it (flock's file: it runs the word after it).
_OPERAND_VALUES = {
    "timeout": ("its duration", "DURATION", ("5m",), True),
    "chrt": ("its priority", "PRIORITY", ("-i", "0"), True),  # 0 with a policy taking it (-i, -b, -o): no right needed
    "taskset": ("its mask", "MASK", ("1",), True),
    "flock": ("its file", "FILE", ("../run/cron.lock",), False),
}


def _operand_taken(tokens: tuple[shsyntax.Token, ...], words: list[str | None], r: int, i: int) -> str | None:
    """What :func:`check_command` says of the program ``words[i]`` run by the command at ``words[r]``, one of
    :data:`_OPERAND_VALUES`, when its operand, the word before it, names a program (:data:`_PROGRAM_NAME`): the
    operand left out (``timeout php a.php``: timeout reads php as its duration, invalid, and runs nothing, exit 125;
    ``flock php a.php`` locks a file named php and runs a.php); with the command meant; None when it is none such."""
    runner, value = words[r] or "", words[i - 1] or ""
    wrapper, name = _wrapper(runner), _system_name(runner) or runner
    if wrapper is None or name not in _OPERAND_VALUES or i - 1 <= r or words[i - 1] is None:
        return None  # an operand expanded when the job runs (timeout "$T" php a.php): its value is not known
    what, placeholder, example, refuses = _OPERAND_VALUES[name]
    if name == "chrt" and i - 1 > r + 1:
        example = (_chrt_priority(wrapper, words[r + 1 : i - 1]),)  # the lowest of the policy given
    options = words[r + 1 : i - 1]
    listed = name == "taskset" and _cpu_list(wrapper, options)
    if listed:
        # taskset(1): -c reads the mask as a list of CPUs (its usage's cpu-list); CPU 0, the one every host has
        what, placeholder, example = "its list of CPUs", "CPU-LIST", ("0",)
    form = _OPERAND_FORMS.get(f"{name} -c" if listed else name)
    said = None if _names_a_program(value) or form is None else form(value)
    if said is not None:
        return _value_refused(tokens, r, i - 1, wrapper, (what, placeholder, " ".join(example)), said=said)
    beyond = _cpus_beyond(value) if listed and not _names_a_program(value) else None
    if beyond is not None:
        number, done = beyond
        before, after = [t.text for t in tokens[: i - 1]], [t.text for t in tokens[i - 1 + 1 :]]
        given, mended = _line(tokens, [*before, placeholder, *after]), _line(tokens, [*before, *example, *after])
        told = (
            f"holds at character {tokens[i - 1].at + 1} {value} after {' '.join(t.text for t in tokens[r : i - 1])}, "
            f"which takes {what}: it names {number}, and no kernel numbers a CPU so ({_MOST_CPUS - 1} at most): "
            f"{done}; write {given} (e.g. {mended})"
        )
        return _told_refused_too(told, mended)
    if not _names_a_program(value):
        return _chrt_policy_told(tokens, words, r, i) if name == "chrt" else None
    before, after = [t.text for t in tokens[: i - 1]], [t.text for t in tokens[i - 1 :]]
    done = (
        f"{runner} refuses {value} there and runs nothing (exit {wrapper.usage}), and {_WITHOUT_IT[False]}"
        if refuses
        else f"{runner} reads {value} as that, and runs {words[i]} as the program, not {value}"
    )
    given, mended = _line(tokens, [*before, placeholder, *after]), _line(tokens, [*before, *example, *after])
    offer = f"{given} (e.g. {mended})"
    if name == "chrt" and _refused_too(mended) is not None:
        # a real-time policy given (chrt -f php a.php): a site's user may set none, SCHED_BATCH offered
        mended = _line(tokens, [*(t.text for t in tokens[: r + 1]), "-b", "0", *after])
        offer = f"{mended} ({runner}'s real-time policies are not a site's user's to set)"
    told = (
        f"holds at character {tokens[i - 1].at + 1} {value} after {' '.join(t.text for t in tokens[r : i - 1])}, "
        f"where {runner} reads {what}: {done}; to run {' '.join(after)}, write {offer}"
    )
    return _told_refused_too(told, mended)


# How the runners read a number or a duration an option or an operand of theirs takes, by runner and option (coreutils'
# xstrtol and xstrtod, findutils' xargs): what they refuse there makes them run nothing (exit 125, xargs' 1).
_INTEGER = LazyPattern(r"\s*[+-]?[0-9]+")
_DURATION = LazyPattern(
    r"\s*\+?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)"
    r"(?:[pP][-+]?[0-9]+)?|(?i:inf(?:inity)?|nan))[smhd]?"
)


# How the runners with an operand read it, when it is no file (:data:`_OPERAND_VALUES`): timeout's duration,
# chrt's priority (strtol), taskset's mask in hexadecimal or, with -c, its list of CPUs (util-linux's cpumask_parse,
# cpulist_parse); what they refuse there makes them run nothing (exit 125, util-linux's 1).
def _form(pattern: LazyPattern, said: str) -> Callable[[str], str | None]:
    """What a runner says refusing a value ``pattern`` does not read whole (``said``, ``{}`` the value); None when
    it reads it."""
    return lambda value: None if pattern.fullmatch(value) else said.format(value)


_TASKSET_MASK = _form(LazyPattern(r"(?:0x)?[0-9a-fA-F]+(?:,[0-9a-fA-F]+)*"), "taskset: failed to parse CPU mask: {}")
_OPERAND_FORMS: dict[str, Callable[[str], str | None]] = {
    "timeout": _form(_DURATION, "timeout: invalid time interval '{}'"),
    "chrt": _form(_INTEGER, "chrt: invalid priority argument: '{}'"),
    "taskset": lambda value: (
        _TASKSET_MASK(value)
        # no CPU in it: sched_setaffinity(2) refuses an empty set
        or (
            None
            if value.lower().removeprefix("0x").strip("0,")
            else "taskset: failed to set pid PID's affinity: Invalid argument"
        )
    ),
    "taskset -c": lambda value: (
        f"taskset: failed to parse CPU list: {value}" if isinstance(cpu_list_least(value), str) else None
    ),
}


def taskset_cpus(text: str) -> list[tuple[str, int]]:
    """For each taskset that the command ``text`` (one :func:`check_command` takes) runs with a mask written as is
    (no expansion), taskset's words up to its mask as written (``taskset -c 2-3``) and the least CPU it names:
    taskset refuses to run on a host with no more CPUs than that (failed to set pid ...'s affinity: Invalid
    argument, exit 1), the kernel setting no affinity of no CPU it has."""
    from pic import shsyntax  # sh's grammar: loaded for the members with cron jobs

    out = []
    for command in _commands(shsyntax.read(text))[0]:
        words = [shsyntax.literal(t.text) for t in command.words]
        chain = _chain(words)
        for k in range(1, len(chain)):
            r, mask = chain[k - 1], words[chain[k] - 1]
            if _wrapper(words[r] or "") is not _WRAPPERS["taskset"] or mask is None:
                continue
            least = (
                cpu_list_least(mask)
                if _cpu_list(_WRAPPERS["taskset"], words[r + 1 : chain[k] - 1])
                else _cpu_mask_least(mask)
            )
            if isinstance(least, int):
                out.append((" ".join(t.text for t in command.words[r : chain[k]]), least))
    return out


def _cpu_mask_least(text: str) -> int | None:
    """The least CPU the mask ``text`` names, as taskset reads it (cpumask_parse: hexadecimal digits, 4 CPUs each
    from the last, commas skipped); None when it names none or taskset refuses it."""
    digits = text.removeprefix("0x").replace(",", "")
    if _TASKSET_MASK(text) is not None or not digits.strip("0"):
        return None
    value = int(digits, 16)
    return (value & -value).bit_length() - 1


def cpu_list_least(text: str) -> int | str:
    """The least CPU the list ``text`` names, as taskset -c reads it (:func:`_cpu_list_parts`); "refused" when
    taskset refuses it."""
    parts = _cpu_list_parts(text)
    return "refused" if parts is None else min(low for low, _, _, _ in parts)


def _cpu_list_parts(text: str) -> list[tuple[int, int, int, str]] | None:
    """The parts of the list ``text`` as taskset -c reads it (util-linux 2.38's cpulist_parse, ported as written:
    parts parted by commas, each a CPU or a range A-B upwards with a stride :S but 0; strtoul's number taken as an
    unsigned int, 4294967297 as 1; what ends a part after its numbers is read only in the last one, so 1:2,3 names 1
    and 3 where 1:2 is refused), each as its first CPU, its last, its stride and the greatest number as written;
    None when taskset refuses it."""

    def number(at: int | None) -> tuple[int, int] | None:  # nextnumber: digits first, strtoul's value and end
        if at is None or at >= len(text) or text[at] not in _DIGITS:
            return None
        end = at
        while end < len(text) and text[end] in _DIGITS:
            end += 1
        value = int(text[at:end])
        return None if value >= 2**64 else (value & 0xFFFFFFFF, end)

    def after(at: int, sep: str) -> int | None:  # nexttoken: past the next sep, None when there is none
        found = text.find(sep, at)
        return None if found < 0 else found + 1

    parts: list[tuple[int, int, int, str]] = []
    end: int | None = None
    q: int | None = 0
    while q is not None:
        p, q = q, after(q, ",")
        read = number(p)
        if read is None:
            return None
        low, end = read
        high, stride, written = low, 1, text[p:end]
        c1, c2 = after(end, "-"), after(end, ",")
        if c1 is not None and (c2 is None or c1 < c2):
            read = number(c1)
            if read is None:
                return None
            (high, end), written = read, text[c1 : read[1]]
            c1 = after(end, ":") if end < len(text) else None
            if c1 is not None and (c2 is None or c1 < c2):
                read = number(c1)
                if read is None or read[0] == 0:  # a stride of 0
                    return None
                stride, end = read
        if low > high:
            return None
        parts.append((low, high, stride, written if high > low else text[p : p + len(written)]))
    if (end is not None and end < len(text)) or not parts:
        return None
    return parts


# No CPU is numbered so high by any kernel: Linux has 8192 CPUs at most (NR_CPUS's limit, MAXSMP's), 0 to 8191.
_MOST_CPUS = 8192
# How many times cpulist_parse's count of a range may pass 4294967295 back to 0 before it is told never to end.
_MOST_WRAPS = 64


def _never_ends(low: int, high: int, stride: int) -> bool:
    """Whether cpulist_parse never ends counting the range ``low``-``high`` by ``stride`` (``while (a <= b) { ...;
    a += s; }`` in unsigned ints): to 4294967295, each number is at most that; past it, the count goes back to 0 and
    on, ending only when a number lands between the range's end and 4294967295."""
    if high == 0xFFFFFFFF:
        return True
    a = low
    for _ in range(_MOST_WRAPS):
        a += ((high - a) // stride + 1) * stride  # the first number past the range's end
        if a <= 0xFFFFFFFF:
            return False
        a -= 2**32
    return True


def _cpus_beyond(value: str) -> tuple[str, str] | None:
    """For taskset -c's list ``value``, one it reads, the number it names that no kernel numbers a CPU
    (:data:`_MOST_CPUS`), as written, and what taskset does then, in :func:`check_command`'s words; None when it
    names none. A mask in hexadecimal cannot name one: its bit 8192 is its 2049th digit, and a command has 1000
    characters at most."""
    parts = _cpu_list_parts(value) or []
    endless = next((part for part in parts if _never_ends(*part[:3])), None)
    if endless is not None:
        return f"CPU {endless[3]}", (
            "taskset never ends reading it (it counts each part's CPUs in an unsigned int, which passes 4294967295 "
            "back to 0 before going past the part's last) and runs nothing, the job held until its time limit"
        )
    beyond = [part for part in parts if part[1] >= _MOST_CPUS]
    if not beyond:
        return None
    low, high, _, written = beyond[0]
    if all(part[0] >= _MOST_CPUS for part in parts):
        return f"CPU {written}", _NO_CPU_SET
    counted = ", counting the range to its end first (0-4294967294: 16 s of CPU at each run)" if high > low else ""
    return (
        f"CPU {written}",
        f"taskset skips it, as every CPU the host has not{counted}, and runs the command on the others",
    )


_NO_CPU_SET = (
    "taskset sets no CPU the host has (taskset: failed to set pid PID's affinity: Invalid argument) and runs nothing "
    "(exit 1) on any host, and the job goes on without it"
)


def _cpu_list(wrapper: _Wrapper, options: list[str | None]) -> bool:
    """Whether taskset's ``options`` (the words before its mask) hold -c (--cpu-list): the mask is a list of CPUs."""
    return any(
        _long_option(wrapper, word) == "--cpu-list" if word.startswith("--") else "c" in word[1:]
        for word in options
        if word is not None and word.startswith("-")
    )


def _chrt_priority(wrapper: _Wrapper, options: list[str | None]) -> str:
    """The lowest priority of the policy chrt's ``options`` give: 0 for -i, -b, -o (--idle, --batch, --other), 1
    for the others (-f, -r: real-time, 1 to 99)."""
    zero = ("--idle", "--batch", "--other")
    given = [word for word in options if word is not None and word.startswith("-") and word != "--"]
    low = any(_long_option(wrapper, w) in zero if w.startswith("--") else bool(set(w[1:]) & set("ibo")) for w in given)
    return "0" if low else "1"


# chrt's policies by option (util-linux 2.38's chrt.c; round-robin when none is given), with their priorities
# (sched_get_priority_min and max, as chrt --max shows them)
_CHRT_POLICIES = {
    **dict.fromkeys(("r", "--rr"), ("SCHED_RR", 1, 99)),
    **dict.fromkeys(("f", "--fifo"), ("SCHED_FIFO", 1, 99)),
    **dict.fromkeys(("o", "--other"), ("SCHED_OTHER", 0, 0)),
    **dict.fromkeys(("b", "--batch"), ("SCHED_BATCH", 0, 0)),
    **dict.fromkeys(("i", "--idle"), ("SCHED_IDLE", 0, 0)),
    **dict.fromkeys(("d", "--deadline"), ("SCHED_DEADLINE", 0, 0)),
}


def _chrt_policy_told(tokens: tuple[shsyntax.Token, ...], words: list[str | None], r: int, i: int) -> str | None:
    """What :func:`check_command` says of the priority ``words[i - 1]`` (a number) of chrt at ``words[r]`` when chrt
    refuses it for its policy (its options', the last given, round-robin when none: 1 to 99 for SCHED_RR and
    SCHED_FIFO, 0 for the others: ``chrt -i 1``), or when the policy is one a site's user may not set (SCHED_RR,
    SCHED_FIFO, SCHED_DEADLINE: its container has no capability, CAP_SYS_NICE): chrt runs nothing (exit 1); with
    the command meant: priority 0 for the policy given, or SCHED_BATCH (-b 0) for a real-time one; None when chrt
    runs the program."""
    policy, given = ("SCHED_RR", 1, 99), False
    for word in words[r + 1 : i - 1]:
        if word is None or not word.startswith("-") or word == "--":
            continue
        wrapper = _WRAPPERS["chrt"]
        keys = [_long_option(wrapper, word.partition("=")[0])] if word.startswith("--") else list(word[1:])
        found = [_CHRT_POLICIES[k] for k in keys if k in _CHRT_POLICIES]
        policy, given = (found[-1], True) if found else (policy, given)
    named, low, high = policy
    priority = int(words[i - 1] or "0")
    if not low <= priority <= high:
        said = f"chrt: unsupported priority value for the policy: {priority}: see --max for valid range"
    elif named in ("SCHED_RR", "SCHED_FIFO"):
        said = "chrt: failed to set pid 0's policy: Operation not permitted"
    elif named == "SCHED_DEADLINE":
        fault = _deadline_fault(_given_options(words, r))
        said = "chrt: failed to set pid 0's policy: " + (
            "Operation not permitted"
            if fault is None
            else "Invalid argument"
            if fault
            else "Operation not permitted, or Invalid argument for times the kernel refuses"
        )
    else:
        return None
    real_time = named in ("SCHED_RR", "SCHED_FIFO", "SCHED_DEADLINE")
    rest = [t.text for t in tokens[i:]]
    kept = [t.text for t in tokens[: i - 1]]
    mended = _line(tokens, [*[t.text for t in tokens[: r + 1]], "-b", "0", *rest] if real_time else [*kept, "0", *rest])
    why = (
        "a real-time policy, which a site's user may not set (its container has no capability, CAP_SYS_NICE)"
        if real_time and low <= priority <= high
        else f"whose priority is {low}" + (f" to {high}" if high > low else "")
    )
    if named == "SCHED_DEADLINE" and low <= priority <= high and fault:
        why += f", and whose times the kernel refuses before that: {fault}"
    told = (
        f"holds at character {tokens[i - 1].at + 1} {words[i - 1]} after "
        f"{' '.join(t.text for t in tokens[r : i - 1])}, where chrt reads its priority for {named}"
        f"{'' if given else ' (its default)'}, {why}: chrt refuses it "
        f"({said}) and runs nothing (exit 1), and {_WITHOUT_IT[False]}; write {mended}"
    )
    return _told_refused_too(told, mended)


# The bounds of a SCHED_DEADLINE period the kernel takes by default, in nanoseconds (sysctl
# kernel.sched_deadline_period_min_us and _max_us: 100 us, 2^22 us), and the least runtime (2^DL_SCALE)
_DEADLINE_PERIOD = (100_000, 4_194_304_000)
_DEADLINE_RUNTIME = 1024


def _deadline_fault(given: dict[str, str]) -> str | None:
    """Why the kernel refuses the times of SCHED_DEADLINE that chrt's ``given`` options (:func:`_given_options`)
    set (sched_setattr(2), __checkparam_dl, Linux 6.1 as 6.18: Invalid argument, before it refuses a site's user
    the policy): chrt takes the deadline from the period, then the runtime from the deadline, when not given; None
    when it takes them; "" when one is not written as a number (an expansion: known when the job runs)."""
    times = []
    for key in ("T", "D", "P"):
        value = given.get(key, "0")
        if _STRTOL.fullmatch(value) is None or not 0 <= int(value) < 2**64:
            return ""
        times.append(int(value))
    runtime, deadline, period = times
    deadline = deadline or period
    runtime = runtime or deadline
    low, high = _DEADLINE_PERIOD
    rule = (
        f"it takes runtime <= deadline <= period, in nanoseconds, the runtime at least {_DEADLINE_RUNTIME}, the period "
        f"(the deadline when none is given) from {low} (100 us) to {high} (about 4.2 s)"
    )
    if deadline == 0:
        fault = "no deadline (--sched-deadline) nor period (--sched-period) is given: the kernel takes no deadline 0"
    elif runtime < _DEADLINE_RUNTIME:
        fault = f"its runtime, {runtime} ns, is less than {_DEADLINE_RUNTIME} ns"
    elif period and period < deadline:
        fault = f"its deadline, {deadline} ns, is more than its period, {period} ns"
    elif deadline < runtime:
        fault = f"its runtime, {runtime} ns, is more than its deadline, {deadline} ns"
    elif not low <= (period or deadline) <= high:
        which = f"its period, {period} ns," if period else f"its period, {deadline} ns (its deadline: no period given),"
        fault = f"{which} is {'less' if (period or deadline) < low else 'more'} than the kernel takes"
    else:
        return None
    return f"{fault} ({rule})"


def _names_a_program(value: str) -> bool:
    """Whether ``value`` names a program a job runs (:data:`_PROGRAM_NAME`, or a runner of :data:`_WRAPPERS`), by
    its name or its path (/usr/bin/php)."""
    name = _system_name(value) or value
    return _PROGRAM_NAME.fullmatch(name) is not None or name in _WRAPPERS


# The options of :data:`_NAMED_VALUES` that take an end of options (-- or -) as their value and run the program:
# a variable's name, a string (env -u -- unsets a variable named --); xargs -d takes - (one character), not --.
_DASHES_TAKEN = frozenset(
    (("env", "u"), ("env", "--unset"), ("xargs", "E"), ("xargs", "I"), ("xargs", "--process-slot-var"))
)


def _end_taken(tokens: tuple[shsyntax.Token, ...], words: list[str | None], r: int) -> str | None:
    """What :func:`check_command` says of the command at ``words[r]``, one of :data:`_WRAPPERS`, when one of its
    options taking a value apart (:data:`_NAMED_VALUES`) is followed by ``--`` or ``-``: getopt(3) takes the word
    after such an option whatever it is, and the runner refuses it there (``nice -n -- php a.php``: invalid
    adjustment '--', exit 125; ``env -C --``: no directory --) and runs nothing; with the command meant; None when it
    has none such before its program."""
    runner = words[r] or ""
    wrapper, name = _wrapper(runner), _system_name(runner) or runner
    j, n = r + 1, len(words)
    while wrapper is not None and j < n:
        word = words[j]
        if word is None or word in ("-", "--") or _ASSIGNED.match(word) or not word.startswith("-"):
            return None
        taken = _option_words(wrapper, word)
        if taken is None:
            return None
        value = words[j + 1] if taken == 2 and j + 1 < n else None
        key = _long_option(wrapper, word) if word.startswith("--") else word[-1]
        delimiter = key in ("d", "--delimiter") and value == "-"  # one character, as xargs -d takes it
        if value in ("-", "--") and (name, key) in _NAMED_VALUES and (name, key) not in _DASHES_TAKEN and not delimiter:
            return _end_told(tokens, r, j, wrapper, _NAMED_VALUES[(name, key)][:3])
        refused = _option_value_told(tokens, words, r, j, (key, value, taken))
        if refused is not None:
            return refused
        j += taken
    return None


def _operand_missing(name: str, wrapper: _Wrapper, words: list[str | None], v: int) -> tuple[str, str, str] | None:
    """When the value ``words[v]`` of an option of ``name`` (a runner of :data:`_OPERAND_VALUES`) names the program
    meant (``flock -w php a.php``, ``timeout -k php a.php``), its operand missing too: no word after it is the operand
    the runner reads before a program, or the runner refuses the one there (a.php as timeout's duration); what the
    operand is, its placeholder and an example (:data:`_OPERAND_VALUES`); None otherwise."""
    if name not in _OPERAND_VALUES or not wrapper.operands or any(w is None for w in words[v + 1 :]):
        return None
    after = words[v + 1 :]
    form = _OPERAND_FORMS.get(name)
    if len(after) > wrapper.operands and (form is None or form(after[0] or "") is None):
        return None
    what, placeholder, example, _ = _OPERAND_VALUES[name]
    return what, placeholder, " ".join(example)


def _option_value_told(
    tokens: tuple[shsyntax.Token, ...], words: list[str | None], r: int, j: int, option: tuple[str, str | None, int]
) -> str | None:
    """What :func:`_end_taken` says of the option at ``words[j]`` of the runner at ``words[r]`` (``option``: its key,
    its value written apart or None, the words it takes) when the runner refuses its value (:func:`_value_said`),
    apart or glued to it; None when it reads it."""
    key, value, taken = option
    runner, word = words[r] or "", words[j] or ""
    wrapper, name = _wrapper(runner), _system_name(runner) or runner
    if wrapper is None:
        return None
    # a program's name there, the program following it, is told with the program it meant to run
    # (:func:`_value_taken`); before an operand (chrt -T php 1 a.php), it is the value refused
    told = value is None or value in ("-", "--") or (_names_a_program(value) and not wrapper.operands)
    said = None if told else _value_said(name, key, value or "", words, r)
    if said is not None:
        if name == "chrt" and key in _CHRT_TIMES:
            return _deadline_told(tokens, words, r, (j, taken), said)
        operand = _operand_missing(name, wrapper, words, j + 1) if _names_a_program(value or "") else None
        return _value_refused(tokens, r, j + 1, wrapper, _NAMED_VALUES[(name, key)][:3], said=said, operand=operand)
    glued = _glued_value(wrapper, word) if taken == 1 else None
    said = None if glued is None else _value_said(name, glued[0], word[len(glued[1]) :], words, r)
    if glued is None or said is None:
        return None
    written, given = glued[1], word[len(glued[1]) :]
    if name == "chrt" and glued[0] in _CHRT_TIMES and (len(written) == 2 or written[1] == "-"):
        return _deadline_told(tokens, words, r, (j, taken), said)  # the option alone in its word (-T5, not -iT5)
    meant = _NAMED_VALUES[(name, glued[0])][:3]
    return _glued_refused(tokens, r, j, (written, given, wrapper.usage), meant, said=said)


def _deadline_told(
    tokens: tuple[shsyntax.Token, ...], words: list[str | None], r: int, option: tuple[int, int], said: str
) -> str:
    """What :func:`check_command` says of chrt's option at ``tokens[j]`` (``taken`` words with its value), a time of
    SCHED_DEADLINE (-T, -P, -D) that chrt refuses (``said``): the policy is root's alone (a site's user may set no
    real-time policy, CAP_SYS_NICE), so what is offered is the command without it (``option``: its index and the
    words it takes), or, when that is refused too (chrt's default policy, round-robin, is real-time as well),
    chrt -b 0 and the program (SCHED_BATCH, which a site's user may set)."""
    j, taken = option
    written = " ".join(t.text for t in tokens[j : j + taken])
    mended = _line(tokens, [t.text for t in (*tokens[:j], *tokens[j + taken :])])
    program = _program_at(_WRAPPERS["chrt"], words, r)
    if _refused_too(mended) is not None and program is not None:
        mended = _line(tokens, [*(t.text for t in tokens[: r + 1]), "-b", "0", *(t.text for t in tokens[program:])])
        written += ", under SCHED_BATCH"
    told = (
        f"holds at character {tokens[j + taken - 1].at + 1} {tokens[j + taken - 1].text} after "
        f"{' '.join(t.text for t in tokens[r : j + taken - 1])}, which takes a time of chrt's SCHED_DEADLINE "
        f"policy (-d) alone, a policy a site's user may not set: chrt refuses it ({said}) and runs nothing (exit 1), "
        "and "
        f"{_WITHOUT_IT[False]}; write the command without {written}: {mended}"
    )
    return _told_refused_too(told, mended)


def _given_options(words: list[str | None], r: int) -> dict[str, str]:
    """The options given to the runner at ``words[r]``, one of :data:`_WRAPPERS`, before its program, by key (a
    short option's letter, a long one's name whole; its short letter for ionice's and chrt's own long ones): each
    one's value ("" for a flag), the last given when given twice; as far as the words as written tell them."""
    runner = words[r] or ""
    wrapper = _wrapper(runner)
    short = {"--class": "c", "--classdata": "n", "--ignore": "t", "--deadline": "d"}
    short.update({"--sched-runtime": "T", "--sched-deadline": "D", "--sched-period": "P"})
    given: dict[str, str] = {}
    j, n = r + 1, len(words)
    while wrapper is not None and j < n:
        word = words[j]
        if word is None or word in ("-", "--") or _ASSIGNED.match(word) or not word.startswith("-"):
            break
        taken = _option_words(wrapper, word)
        if taken is None:
            break
        if word.startswith("--"):
            key, _, glued = word.partition("=")
            key = _long_option(wrapper, key)
            given[short.get(key, key)] = words[j + 1] or "" if taken == 2 and j + 1 < n else glued
        else:
            for k, letter in enumerate(word[1:], start=2):
                if letter in wrapper.values:
                    given[letter] = word[k:] or (words[j + 1] or "" if j + 1 < n else "")
                    break
                given[letter] = ""
        j += taken
    return given


# ionice's classes by name (util-linux 2.38's parse_ioclass, in any case) and number: the kernel reads the class
# in the 3 bits above the 13 of the data (IOPRIO_PRIO_CLASS: 9 is 1, realtime), which a site's user may not set
# (CAP_SYS_NICE, which the containers do not have), and refuses 4 to 7, and a level with none (0)
_IONICE_CLASSES = {"none": 0, "realtime": 1, "best-effort": 2, "idle": 3}


def _ionice_said(key: str, value: str, given: dict[str, str]) -> str | None:
    """What ionice says refusing ``value`` as its class (-c) or its data (-n, ``key``), with the other ``given``
    options: a class by name or number (strtos32_or_err), data a number; then what the kernel refuses of the two
    (ioprio_set(2): exit 1), unless -t; None when it reads them and the kernel takes them."""
    number, data = _ionice_class(given.get("c", "best-effort")), _ionice_data(given.get("n", "4"))
    if key in ("c", "--class") and isinstance(_ionice_class(value), str):
        return str(_ionice_class(value))
    if key in ("n", "--classdata") and isinstance(_ionice_data(value), str):
        return str(_ionice_data(value))
    if "t" in given or isinstance(number, str) or isinstance(data, str):
        return None  # -t: ionice runs the program whatever the kernel says; a class or data refused: told there
    # the data refused with a class of ionice's own that the kernel takes: told at -n; any other, at -c
    data_told = number <= 3 and "n" in given and _ioprio_refused(number, 0) is None
    return _ioprio_refused(number, data) if data_told == (key in ("n", "--classdata")) else None


def _ionice_class(value: str) -> int | str:
    """The class ionice reads in ``value``, its -c's: a name of :data:`_IONICE_CLASSES` or decimal digits
    (strtos32_or_err); what it says refusing it."""
    if value[:1] and value[:1] in _DIGITS:
        ok = _STRTOL.fullmatch(value) is not None and int(value) < 2**31
        return int(value) if ok else f"ionice: invalid class argument: '{value}'"
    return _IONICE_CLASSES.get(value.lower(), f"ionice: unknown scheduling class: '{value}'")


def _ionice_data(value: str) -> int | str:
    """The data (a priority) ionice reads in ``value``, its -n's, a decimal number (strtos32_or_err); what it says
    refusing it."""
    ok = _STRTOL.fullmatch(value) is not None and -(2**31) <= int(value) < 2**31
    return int(value) if ok else f"ionice: invalid class data argument: '{value}'"


def _ioprio_refused(number: int, data: int) -> str | None:
    """What ionice says when the kernel refuses its class ``number`` with ``data`` (ioprio_set(2): the class in the
    3 bits above the 13 of the data, 9 read as 1), for a site's user, who may set no real-time class (CAP_SYS_NICE):
    exit 1; None when it takes them. A priority (the level) is 0 to 7 (ionice(1)): bookworm's Linux 6.1 refuses
    more (IOPRIO_NR_LEVELS), Linux 6.5 and later read its 3 low bits alone, the others as an I/O hint (9: priority
    1, above the default 4), which no job means."""
    level = 0 if number in (0, 3) else data  # ionice sets no data for none and idle
    unknown = f"ionice: unknown prio class {number}; " if number > 3 else ""
    ioprio = ((number << 13) | level) & 0xFFFFFFFF
    kernel_class = (ioprio >> 13) & 7
    if kernel_class == 1:
        return f"{unknown}ionice: ioprio_set failed: Operation not permitted"
    if kernel_class > 3 or (kernel_class == 0 and ioprio & 7):
        return f"{unknown}ionice: ioprio_set failed: Invalid argument"
    if kernel_class == 2 and level & 0x1FFF > 7:
        return (
            "ionice: ioprio_set failed: Invalid argument, on bookworm's Linux 6.1, which takes a priority of 0 to 7; "
            f"Linux 6.5 and later read it as priority {level & 7}, its 3 low bits, and an I/O hint"
        )
    return None


def _value_said(name: str, key: str, value: str, words: list[str | None], r: int) -> str | None:
    """What the runner ``name`` (at ``words[r]``) says refusing ``value`` as the value of its option ``key``
    (:data:`_VALUE_FORMS`), running nothing; None when it reads it, or when its form is not followed here. xargs's
    -s (--max-chars) holds its command's own words too (each with the NUL ending it, in bytes: ``echo ran``, 9),
    which xargs then cannot fit (findutils 4.9's xargs.c): that command is read as written, when its words are
    literal, without -I or -i (whose command gets its line from the input)."""
    form = _VALUE_FORMS.get((name, key))
    said = None if form is None else form(value)
    if said is not None:
        return said
    if name == "ionice" and key in ("c", "--class", "n", "--classdata"):
        return _ionice_said(key, value, _given_options(words, r))
    if name == "chrt" and key in _CHRT_TIMES and int(value) and "d" not in _given_options(words, r):
        return "chrt: --sched-{runtime,deadline,period} options are supported for SCHED_DEADLINE only"
    return _xargs_size_said(int(value), words, r) if name == "xargs" and key in ("s", "--max-chars") else None


def _xargs_size_said(size: int, words: list[str | None], r: int) -> str | None:
    """What xargs (at ``words[r]``) says of its -s ``size`` when its command's own words do not fit in it (each with
    the NUL ending it, in bytes; echo when none is given): None when they do, or when they are not told by the
    words as written (an expansion, -I or -i, whose command takes its line from the input)."""
    given = _given_options(words, r)
    if any(key in given for key in ("i", "I", "--replace")):
        return None
    program = _program_at(_WRAPPERS["xargs"], words, r)
    command = ["echo"] if program is None else words[program:]
    if any(w is None for w in command):
        return None
    needed = sum(len(w.encode("utf-8", "surrogateescape")) + 1 for w in command if w is not None)
    return "xargs: cannot fit single argument within argument list size limit" if size < needed else None


def _glued_value(wrapper: _Wrapper, word: str) -> tuple[str, str] | None:
    """For the option ``word`` of ``wrapper`` written with its value glued to it (``--adjustment=5``, ``-n5``,
    ``-0n5``): the option's key in :data:`_NAMED_VALUES` and the text before the value (``--adjustment=``, ``-0n``);
    None when it holds no value so written."""
    if word.startswith("--"):
        key, equals, _ = word.partition("=")
        return (_long_option(wrapper, key), key + equals) if equals else None
    for k, letter in enumerate(word[1:], start=2):
        if letter in wrapper.values:
            return (letter, word[:k]) if k < len(word) else None
        if letter not in wrapper.flags:
            return None
    return None


def _glued_refused(
    tokens: tuple[shsyntax.Token, ...],
    r: int,
    j: int,
    glued: tuple[str, str, int],
    value: tuple[str, str, str],
    *,
    said: str,
) -> str:
    """What :func:`check_command` says of the option at ``tokens[j]`` of the runner at ``tokens[r]``, written as
    ``glued``'s option then its value glued to it, which the runner refuses (:data:`_VALUE_FORMS`: ``nice -n5x``),
    running nothing, then its exit status: ``value`` is what it takes, its placeholder and an example; with the
    command meant; ``said``: what the runner says refusing it."""
    option, given, usage = glued
    what, placeholder, example = value
    runner, written = tokens[r].text, tokens[j].text
    before, after = [t.text for t in tokens[:j]], [t.text for t in tokens[j + 1 :]]
    named = option.rstrip("=") if option.startswith("--") else f"-{option[-1]}"
    mended = _line(tokens, [*before, option + example, *after])
    told = (
        f"holds at character {tokens[j].at + 1} {written} after {' '.join(before[r:])}: {named} takes {what}, and "
        f"{runner} refuses {given} there ({said}) and runs nothing (exit {_SAID_STATUS.get(said, usage)}), and "
        f"{_WITHOUT_IT[False]}; write {_line(tokens, [*before, option + placeholder, *after])} (e.g. {mended})"
    )
    return _told_refused_too(told, mended)


def _strtol_digits(text: str) -> bool:
    """Whether strtol(3) reads ``text`` whole as a decimal number (C's blanks, a sign, digits), or ``text`` is empty
    (strtol reads nothing and stops at its end: str2sig takes ``RTMIN`` alone so)."""
    return not text or _STRTOL.fullmatch(text) is not None


_STRTOL = LazyPattern(r"[ \t\n\v\f\r]*[+-]?[0-9]+")


def _signal_number(name: str) -> int | None:
    """The number of the signal ``name`` (in capitals, without ``SIG``) names as coreutils' str2sig reads it: a
    decimal number up to 64, a name of signal(7), ``EXIT`` (0), ``RTMIN`` or ``RTMAX`` with a number strtol reads
    (``RTMIN+1``, ``RTMAX-2``, up to 30 either way: glibc's 34 to 64); None when it names none."""
    if name[:1] and name[:1] in _DIGITS:
        return int(name) if all(c in _DIGITS for c in name) and int(name) <= signal.SIGRTMAX else None
    low, high = int(signal.SIGRTMIN), int(signal.SIGRTMAX)
    if name.startswith(("RTMIN", "RTMAX")) and _strtol_digits(name[5:]):
        shift = int(name[5:].strip(" \t\n\v\f\r") or 0)
        if name.startswith("RTMIN") and 0 <= shift <= high - low:
            return low + shift
        if name.startswith("RTMAX") and low - high <= shift <= 0:
            return high + shift
        return None
    if name == "EXIT":
        return 0
    member = signal.Signals.__members__.get(f"SIG{name}")
    return None if member is None or name.startswith(("RTMIN", "RTMAX")) else int(member)


def coreutils_signal(word: str) -> int | None:
    """The signal ``word`` names as coreutils' operand2sig reads it (``timeout -s``, env's ``--ignore-signal``,
    coreutils 9.1's lib/operand2sig.c): decimal digits (read as an exit status a shell gives: its low 7 bits below
    255, ``137`` is 9, its low 8 bits from 255, ``265`` is 9), or a name in any case, with ``SIG`` or without
    (``term``, ``SIGTERM``, ``RTMIN+1``, ``SIG15``); a signal sig2str names, 0 (EXIT) to 31 or 34 to 64; None when
    it names none, which coreutils refuses ("'FOO': invalid signal")."""
    number: int | None
    if word[:1] and word[:1] in _DIGITS:
        if any(c not in _DIGITS for c in word) or int(word) > 2**31 - 1:
            return None
        number = int(word) & (0xFF if int(word) >= 0xFF else 0x7F)  # an exit status: bash's 128+N, ksh's 256+N
    else:
        upper = "".join(c.upper() if c.isascii() else c for c in word)  # toupper in the C locale
        number = _signal_number(upper)
        if number is None and upper.startswith("SIG"):
            number = _signal_number(upper[3:])
    # sig2str names 0 (EXIT), 1 to 31 and glibc's real-time signals (34 to 64: 32 and 33 are its own)
    return number if number is not None and (0 <= number < 32 or signal.SIGRTMIN <= number <= signal.SIGRTMAX) else None


_DIGITS = "0123456789"


def _timeout_signal(value: str) -> str | None:
    """What timeout says refusing ``value`` as its -s (--signal), the signal it sends at the end; None when it reads
    it (:func:`coreutils_signal`)."""
    return None if coreutils_signal(value) is not None else f"timeout: '{value}': invalid signal"


def _env_signals(keep: bool) -> Callable[[str], str | None]:
    """What env says refusing ``value``, the signals of its --block-signal (``keep``: sigprocmask(2) passes KILL and
    STOP by), --default-signal or --ignore-signal, which take a list separated by ',' (coreutils 9.1's env.c,
    parse_signal_action_params): each signal as :func:`coreutils_signal` reads it but 0 (EXIT); KILL and STOP, whose
    action no process sets (sigaction(2): EINVAL), for the two others; None when it takes them all."""

    def said(value: str) -> str | None:
        for part in filter(None, value.split(",")):  # strtok's: an empty one is none
            number = coreutils_signal(part)
            if not number:  # none, or 0 (EXIT), which env refuses
                return f"env: '{part}': invalid signal"
            if not keep and number in (signal.SIGKILL, signal.SIGSTOP):
                return f"env: failed to set signal action for signal {number}: Invalid argument"
        return None

    return said


_STRTOD = LazyPattern(
    r"[ \t\n\v\f\r]*[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
    r"|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][-+]?[0-9]+)?|(?i:inf(?:inity)?|nan))"
)


def _flock_timeout(value: str) -> str | None:
    """What flock says refusing ``value`` as its -w (--timeout), in seconds (util-linux 2.38's strtotimeval_or_err:
    a number strtod(3) reads whole, then setitimer(2), which refuses a time below 0, past 2**63 s or no number: exit
    71); None when it reads it."""
    if _STRTOD.fullmatch(value) is None:
        return f"flock: invalid timeout value: '{value}'"
    text = value.strip(" \t\n\v\f\r")
    sign, digits = ("-", text[1:]) if text[:1] == "-" else ("", text.removeprefix("+"))
    seconds = float.fromhex(sign + digits) if digits[:2].lower() == "0x" else float(text)
    whole = int(seconds) if math.isfinite(seconds) and abs(seconds) < 2**63 else -1
    if whole < 0 or int((seconds - whole) * 1e6) < 0:
        return "flock: cannot set up timer: Invalid argument"
    return None


def _flock_exit_code(value: str) -> str | None:
    """What flock says refusing ``value`` as its -E (--conflict-exit-code): a decimal number from 0 to 255
    (strtos32_or_err); None when it reads it."""
    if _STRTOL.fullmatch(value) is None:
        return f"flock: invalid exit code: '{value}'"
    return None if 0 <= int(value) <= 255 else "flock: exit code out of range (expected 0 to 255)"


# chrt's times of SCHED_DEADLINE, by option, named as chrt names them refusing one
_CHRT_TIMES = {
    **dict.fromkeys(("T", "--sched-runtime"), "runtime"),
    **dict.fromkeys(("P", "--sched-period"), "period"),
    **dict.fromkeys(("D", "--sched-deadline"), "deadline"),
}


def _chrt_time(what: str) -> Callable[[str], str | None]:
    """What chrt says refusing ``value`` as its time ``what`` of SCHED_DEADLINE (-T, -P, -D): a decimal number of
    nanoseconds (strtou64_or_err); any but 0 refused too unless the policy is -d, SCHED_DEADLINE
    (:func:`_value_said`); None when it reads it."""

    def said(value: str) -> str | None:
        if _STRTOL.fullmatch(value) is None:
            return f"chrt: invalid {what} argument: '{value}'"
        if not 0 <= int(value) < 2**64:
            return f"chrt: invalid {what} argument: '{value}': Numerical result out of range"
        return None

    return said


_STDBUF_SIZE = LazyPattern(r"[ \t\n\v\f\r]*\+?([0-9]+)(?:([EGkKMPTYZ])(B|iB)?)?")


def _stdbuf_mode(*, lines: bool) -> Callable[[str], str | None]:
    """What stdbuf says refusing ``value`` as the mode of its -o and -e (``lines``: L, a line at a time) or -i
    (which refuses L): a size in bytes, 0 none (coreutils 9.1's xstrtoumax: decimal digits, then a multiple, K, M,
    G... of 1024, or of 1000 with B after it, KB, up to 2**64 - 1); None when it reads it."""

    def said(value: str) -> str | None:
        if value == "L":
            return None if lines else "stdbuf: line buffering stdin is meaningless"
        found = _STDBUF_SIZE.fullmatch(value)
        if found is None:
            return f"stdbuf: invalid mode '{value}'"
        digits, unit, base = found.groups()
        power = "KMGTPEZY".index(unit.upper()) + 1 if unit else 0
        if int(digits) * (1000 if base == "B" else 1024) ** power >= 2**64:
            return f"stdbuf: invalid mode '{value}': Value too large for defined data type"
        return None

    return said


def _xargs_delimiter(value: str) -> str | None:
    r"""What xargs says refusing ``value`` as its -d (findutils 4.9's get_input_delimiter): one byte, or ``\`` then
    a letter of C's escapes (``\n``, what follows unread), ``x`` and hexadecimal digits up to ff, or octal digits
    up to 377; None when it reads it."""
    if len(value.encode("utf-8", "surrogateescape")) == 1:
        return None
    invalid = f"xargs: Invalid escape sequence {value} in input delimiter specification"
    if not value.startswith("\\"):
        return (
            f"xargs: Invalid input delimiter specification {value}: the delimiter must be either a single character "
            "or an escape sequence starting with \\."
        )
    if value[1] in "abfnrtv\\":
        return None
    if value[1] == "x" or value[1] in _DIGITS:
        return _escaped_byte(value, invalid)
    return f"{invalid}."


def _escaped_byte(value: str, invalid: str) -> str | None:
    r"""What xargs says refusing ``value``, ``\x`` and hexadecimal digits or ``\`` and octal digits, as its -d
    (``invalid`` starts it): a byte's (strtoul's, up to ff or 377), nothing after it; None when it reads it."""
    digits, base, top = ("0123456789abcdefABCDEF", 16, "ff") if value[1] == "x" else ("01234567", 8, "377")
    start = end = 2 if value[1] == "x" else 1
    while end < len(value) and value[end] in digits:
        end += 1
    if end < len(value):
        return f"{invalid}; trailing characters {value[end:]} not recognised."
    return f"{invalid}; character values must not exceed {top}." if int(value[start:end] or "0", base) > 0xFF else None


def _env_unset(value: str) -> str | None:
    """What env says refusing ``value`` as the name of a variable to unset (-u), which unsetenv(3) refuses empty or
    holding '='; None when it takes it."""
    return f"env: cannot unset '{value}': Invalid argument" if not value or "=" in value else None


def _xargs_number(letter: str, low: int) -> Callable[[str], str | None]:
    """What xargs says refusing ``value`` as the number its option ``-letter`` takes (findutils 4.9's parse_num: a
    decimal number strtol reads, ``low`` or more); None when it reads it."""

    def said(value: str) -> str | None:
        if _STRTOL.fullmatch(value) is None:
            return f'xargs: invalid number "{value}" for -{letter} option'
        number = int(value)
        return f"xargs: value {number} for -{letter} option should be >= {low}" if number < low else None

    return said


# How the runners read the values of their options, by runner and option: what the runner says refusing a value
# (coreutils' xstrtol and xstrtod, findutils' xargs, util-linux's strtos32_or_err), running nothing (exit 125,
# util-linux's and findutils' 1, flock's 64); None when it reads it.
_VALUE_FORMS: dict[tuple[str, str], Callable[[str], str | None]] = {
    **dict.fromkeys((("nice", "n"), ("nice", "--adjustment")), _form(_INTEGER, "nice: invalid adjustment '{}'")),
    **dict.fromkeys((("xargs", "n"), ("xargs", "--max-args")), _xargs_number("n", 1)),
    ("xargs", "L"): _xargs_number("L", 1),
    **dict.fromkeys((("xargs", "P"), ("xargs", "--max-procs")), _xargs_number("P", 0)),
    **dict.fromkeys((("xargs", "s"), ("xargs", "--max-chars")), _xargs_number("s", 1)),
    **dict.fromkeys(
        (("timeout", "k"), ("timeout", "--kill-after")), _form(_DURATION, "timeout: invalid time interval '{}'")
    ),
    **dict.fromkeys((("timeout", "s"), ("timeout", "--signal")), _timeout_signal),
    **dict.fromkeys((("stdbuf", k) for k in ("o", "e", "--output", "--error")), _stdbuf_mode(lines=True)),
    **dict.fromkeys((("stdbuf", "i"), ("stdbuf", "--input")), _stdbuf_mode(lines=False)),
    **dict.fromkeys((("xargs", "d"), ("xargs", "--delimiter")), _xargs_delimiter),
    **dict.fromkeys((("env", "u"), ("env", "--unset")), _env_unset),
    **dict.fromkeys((("flock", "w"), ("flock", "--timeout"), ("flock", "--wait")), _flock_timeout),
    **dict.fromkeys((("flock", "E"), ("flock", "--conflict-exit-code")), _flock_exit_code),
    **{("chrt", k): _chrt_time(what) for k, what in _CHRT_TIMES.items()},
    **dict.fromkeys((("env", "--ignore-signal"), ("env", "--default-signal")), _env_signals(keep=False)),
    ("env", "--block-signal"): _env_signals(keep=True),
}


# What a runner says refusing a value with another exit status than its usage's, by what it says.
_SAID_STATUS = {"flock: cannot set up timer: Invalid argument": 71}


# While :func:`_refused_alike` reads a runner after one whose value is refused: each value :func:`_value_refused` is
# given then, with what it takes, instead of what it says.
_PROBED: ContextVar[list[tuple[int, tuple[str, str, str]]] | None] = ContextVar("_PROBED", default=None)


def _refused_alike(tokens: tuple[shsyntax.Token, ...], r: int, v: int, value: tuple[str, str, str]) -> list[int]:
    """The index in ``tokens`` of each value after ``tokens[v]``, the value of the runner at ``tokens[r]`` that it
    refuses, that a runner of the same name after it in the command's chain refuses alike (the same value taken:
    ``nice -n 5x nice -n 5x``, ``timeout 5M timeout 5M``), to be mended in one offer."""
    from pic import shsyntax

    words = [shsyntax.literal(t.text) for t in tokens]
    name = _system_name(tokens[r].text) or tokens[r].text
    found: list[int] = []
    for a, b in itertools.pairwise(_chain(words)):
        if a <= v or (_system_name(words[a] or "") or words[a]) != name:
            continue
        reset = _PROBED.set([])
        try:
            _end_taken(tokens, words, a) or _operand_taken(tokens, words, a, b)
            probed = _PROBED.get() or []
        finally:
            _PROBED.reset(reset)
        found.extend(k for k, taken in probed if taken == value)
    return found


def _value_refused(
    tokens: tuple[shsyntax.Token, ...],
    r: int,
    v: int,
    wrapper: _Wrapper,
    value: tuple[str, str, str],
    *,
    said: str | None = None,
    operand: tuple[str, str, str] | None = None,
) -> str:
    """What :func:`check_command` says of the value at ``tokens[v]`` of the runner at ``tokens[r]`` that the runner
    refuses (:data:`_VALUE_FORMS`: ``nice -n 5x``, ``timeout 5M``), running nothing: ``value`` is what it takes (an
    option's, the word before it, or the operand's), its placeholder and an example; ``said``: what the runner says
    refusing it, when known; with the command meant; ``operand``: the runner's operand missing too, the value naming
    the program meant (:func:`_operand_missing`), written after it."""
    what, placeholder, example = value
    probe = _PROBED.get()
    if probe is not None:
        probe.append((v, value))
        return ""
    runner, written = tokens[r].text, tokens[v].text
    status = _SAID_STATUS.get(said or "", wrapper.usage)
    after_what = " ".join(t.text for t in tokens[r:v])
    same = [v, *_refused_alike(tokens, r, v, value)]
    given, filled = [t.text for t in tokens], [t.text for t in tokens]
    for k in same:
        given[k], filled[k] = placeholder, example
    meant = ""
    if operand is not None:  # the program named where the value goes (flock -w php a.php): kept after both
        given[v + 1 : v + 1], filled[v + 1 : v + 1] = [operand[1], written], [operand[2], written]
        meant = f"; {written} being the program meant, {operand[0]} is missing too"
    others = ", ".join(f"{tokens[k].text} at character {tokens[k].at + 1}" for k in same[1:])
    each = f"each {runner} after it" if len(same) > 2 else f"the {runner} after it"
    alike = f"; {each} refuses its own alike ({others})" if others else ""
    given_line, mended = _line(tokens, given), _line(tokens, filled)
    told = (
        f"holds at character {tokens[v].at + 1} {written} after {after_what}, which takes {what}: {runner} refuses "
        f"{written} there{'' if said is None else f' ({said})'} and runs nothing (exit {status}), and "
        f"{_WITHOUT_IT[False]}{alike}{meant}; write {given_line} (e.g. {mended})"
    )
    return _told_refused_too(told, mended)


def _end_told(
    tokens: tuple[shsyntax.Token, ...], r: int, j: int, wrapper: _Wrapper, value: tuple[str, str, str]
) -> str:
    """What :func:`_end_taken` says of the option at ``tokens[j]`` of the runner at ``tokens[r]``, whose value, the
    next word, is an end of options: ``value`` is what the option takes, its placeholder and an example."""
    what, placeholder, example = value
    runner, option, end = tokens[r].text, tokens[j].text, tokens[j + 1].text
    before, after = [t.text for t in tokens[: j + 1]], [t.text for t in tokens[j + 2 :]]
    given, filled = _line(tokens, [*before, placeholder, "--", *after]), _line(tokens, [*before, example, "--", *after])
    without = _line(
        tokens,
        [*before[:-1], *([option[:-1]] if not option.startswith("--") and len(option) > 2 else []), "--", *after],
    )
    told = (
        f"holds at character {tokens[j + 1].at + 1} {end} after {runner} {option}, which takes {what}: {runner} "
        f"reads {end} as that, whatever it is, as getopt reads the word after such an option, refuses it and runs "
        f"nothing (exit {wrapper.usage}), and {_WITHOUT_IT[False]}; write {given} (e.g. {filled}), or {without}"
    )
    refused = _refused_too(without)
    return told if refused is None else f"{told}; written so ({without}), it is refused too: {refused}"


def _value_taken(tokens: tuple[shsyntax.Token, ...], words: list[str | None], r: int, i: int) -> str | None:
    """What :func:`check_command` says of the program ``words[i]`` run by the command at ``words[r]`` when the
    word before it, the value of an option (:data:`_NAMED_VALUES`), names a program (:data:`_PROGRAM_NAME`): an option
    taking a name takes it, and the command runs the word after it as the program (``env -C php a.php``: -C takes a
    directory, a.php is run); one taking a number or a mode refuses it, and the command runs nothing (``nice -n php
    a.php``, exit 125); with the command meant; None when it is none such."""
    runner, value = words[r] or "", words[i - 1] or ""
    wrapper, name = _wrapper(runner), _system_name(runner) or runner
    option = words[i - 2] if i - 2 > r else None
    if wrapper is None or option is None or not option.startswith("-") or option in ("-", "--"):
        return None
    if not _names_a_program(value):
        return None
    key = _long_option(wrapper, option) if option.startswith("--") else option[-1]
    if not option.startswith("--") and any(c not in wrapper.flags for c in option[1:-1]):
        return None
    if (name, key) not in _NAMED_VALUES:
        return None
    what, placeholder, example, refuses = _NAMED_VALUES[(name, key)]
    before, after = [t.text for t in tokens[: i - 1]], [t.text for t in tokens[i - 1 :]]
    given, filled = _line(tokens, [*before, placeholder, *after]), _line(tokens, [*before, example, *after])
    # the flags glued before the option (xargs -0n) stay: only the option missing its value is left out
    kept = [option[:-1]] if not option.startswith("--") and len(option) > 2 else []
    without = _line(tokens, [*before[:-1], *kept, *after])
    done = (
        f"{runner} refuses {value} there and runs nothing (exit {wrapper.usage}), and {_WITHOUT_IT[False]}"
        if refuses
        else f"{runner} reads {value} as that, and runs {words[i]} as the program, not {value}"
    )
    told = (
        f"holds at character {tokens[i - 1].at + 1} {value} after {runner} {option}, which takes {what}: {done}; to "
        f"run {' '.join(after)}, write {given} (e.g. {filled}), or {without}"
    )
    refused = _refused_too(without)
    return told if refused is None else f"{told}; written so ({without}), it is refused too: {refused}"


# The runners that refuse their words when given no program, running nothing, by name: what they say then (their
# usage alone: timeout's). nice and ionice given no option print their values (exit 0), env its environment, xargs
# runs echo: not among them; flock given a number locks that descriptor (flock(1)'s third form).
_NOTHING_SAID = {
    "nice": "nice: a command must be given with an adjustment",
    "timeout": None,
    "taskset": "taskset: bad usage",
    "chrt": "chrt: bad usage",
    "ionice": "ionice: bad usage",
    "flock": None,  # its file read as a descriptor's number (bad file descriptor), or none given
    "nohup": "nohup: missing operand",
    "stdbuf": "stdbuf: missing operand",
    "setsid": "setsid: no command specified",
}


def _words_before_nothing(wrapper: _Wrapper, words: list[str | None], r: int) -> tuple[list[str], list[str]] | None:
    """For :func:`_runs_nothing`: the options and the operands of the runner at ``words[r]`` when its words end before
    a program; None when they do not, or are not known as written (an expansion, an option that runs no program, a
    value missing: ``nice -n``, told apart)."""
    j, n, given = r + 1, len(words), []
    while j < n:
        word = words[j]
        if word is None:
            return None
        if word == "--":
            j += 1
            break
        if not word.startswith("-") or word == "-":
            break
        taken = _option_words(wrapper, word)
        if taken is None:
            return None
        given.append(word)
        j += taken
    operands = [w for w in words[j:] if w is not None]
    if j > n or len(operands) > wrapper.operands or len(operands) < len(words[j:]):
        return None
    return given, operands


def _runs_nothing(tokens: tuple[shsyntax.Token, ...], words: list[str | None], r: int) -> str | None:
    """What :func:`check_command` says of the runner at ``words[r]`` (:data:`_NOTHING_SAID`) when its words end
    before a program (``nice -n 5``, ``timeout 5m``, ``flock FILE``): it refuses them and runs nothing (exit 125,
    util-linux's 1, flock's 64); with the program to write after them; None when it is none such."""
    runner = words[r] or ""
    wrapper, name = _wrapper(runner), _system_name(runner) or runner
    read = None if wrapper is None or name not in _NOTHING_SAID else _words_before_nothing(wrapper, words, r)
    if wrapper is None or read is None:
        return None
    given, operands = read
    if (
        (name == "nice" and not given)
        or (name == "ionice" and all(set(w[1:]) <= {"t"} for w in given))  # ionice, ionice -t: its values printed
        or (name == "flock" and operands and operands[0].isdigit())
    ):
        return None
    said = _NOTHING_SAID[name]
    if name == "flock":
        said = f"flock: bad file descriptor: '{operands[0]}'" if operands else "flock: not enough arguments"
    texts = [t.text for t in tokens]
    given_line, mended = _line(tokens, [*texts, "COMMAND"]), _line(tokens, [*texts, "php", "a.php"])
    told = (
        f"holds at character {tokens[r].at + 1} {runner}, given no program to run after its words: {runner} "
        f"refuses them{'' if said is None else f' ({said})'} and runs nothing (exit {wrapper.usage}), and "
        f"{_WITHOUT_IT[False]}; write the program after them, {given_line} (e.g. {mended})"
    )
    return _told_refused_too(told, mended)


def _absent_program(grammar: shsyntax.Reading) -> str | None:
    """What :func:`check_command` says of the first program of :data:`_ABSENT_PROGRAMS` a command of ``grammar``
    runs (``sudo -u www-data php a.php``, ``nice /usr/bin/sudo php a.php``), which the runtime images do not have,
    or of a builtin of dash's run by a program (``env cd /tmp``, :data:`_DASH_BUILTINS`): dash, or the command that
    runs it, does not find it (exit 127, flock's 69); None when there is none. A function of that name, defined
    before (or anywhere, for a command in a function's body), is run by dash instead."""
    from pic import shsyntax

    found: list[tuple[int, str]] = []
    for command in _commands(grammar)[0]:
        words = [shsyntax.literal(t.text) for t in command.words]
        chain = _chain(words)
        for k, i in enumerate(chain):
            written = words[i]
            if written is None:
                break
            name = _system_name(written) or written
            at = command.words[i].at
            runner = (words[chain[k - 1]] or "") if k else ""
            detached = (
                _detached_value(command.words, words, chain[k - 1], i)
                or _misplaced_option(command.words, words, chain[k - 1], i)
                or _number_run(command.words, words, chain[k - 1], i)
                or _value_taken(command.words, words, chain[k - 1], i)
                or _operand_taken(command.words, words, chain[k - 1], i)
                if k
                else None
            ) or (
                _ambiguous_option(command.words, words, i)
                or _end_taken(command.words, words, i)
                or _runs_nothing(command.words, words, i)
            )
            if detached is not None:
                found.append((at, detached))
                break
            # dash's exec runs a program alone too (exec cd /tmp: exec: cd: not found); command runs a builtin
            if runner and (written in _DASH_BUILTINS or written == ".") and runner != "command":
                found.append((at, _builtin_run(written, runner, at) + _alone_refused(command.words, i)))
                break
            if name not in _ABSENT_PROGRAMS:
                continue
            if (
                k == 0
                and name == written
                and any(f.text == name and (command.deferred or f.at < at) for f in grammar.functions)
            ):
                break  # a function of that name: dash runs it
            status = _WRAPPERS[runner.rpartition("/")[2]].missing if runner else 127
            after = (
                f" after {runner}, which runs a program of that name (never a function), which"
                if runner
                else ", a program"
            )
            found.append(
                (
                    at,
                    f"holds at character {at + 1} {written}{after} the runtime images do not have "
                    f"(debootstrap's minbase, then no package {name}): the command is not found (exit {status}) "
                    f"and {_WITHOUT_IT[runner == 'exec']}; {_ABSENT_PROGRAMS[name]}"
                    f"{_dropped_refused(command.words, i, name)}",
                )
            )
            break
    return min(found)[1] if found else None


def _system_name(word: str) -> str | None:
    """The name of the program ``word``, a path in :data:`_SYSTEM_FOLDERS`, runs (``/usr/bin/time``: time); None
    when it is no such path."""
    folder, _, name = word.rpartition("/")
    return name if folder + "/" in _SYSTEM_FOLDERS and name else None


# dash's builtins that are no program of the runtime images (debootstrap's minbase and the images' packages: coreutils
# has echo, printf, test, [, true, false, pwd, sleep, kill is procps'), run by name by a command that runs a program
# (env cd /tmp: env: 'cd': No such file or directory, exit 127). Not ".", which a program finds as a folder of the
# PATH (env .: Permission denied, exit 126): :func:`_builtin_run` tells it apart.
_DASH_BUILTINS = frozenset(
    (
        ":", "alias", "bg", "break", "cd", "command", "continue", "eval", "exec", "exit", "export", "fg",
        "getopts", "hash", "jobs", "local", "read", "readonly", "return", "set", "shift", "times", "trap", "type",
        "ulimit", "umask", "unalias", "unset", "wait",
    )
)  # fmt: skip


def _not_found(command: shsyntax.Command, functions: tuple[shsyntax.Token, ...]) -> list[tuple[int, str]]:
    """Where ``command`` runs a name of bash's that dash does not find (exit 127), with its words: as its name
    (``let``, ``[[``, ``source``, ``time``; a function of that name defined before it, or anywhere for a command in a
    function's body, is run instead), or as a program (:func:`_run_as_program`)."""
    from pic import shsyntax

    # [[ is no pattern (no ] closes it): dash runs it as written
    words = [t.text if t.text == "[[" else shsyntax.literal(t.text) for t in command.words]
    name = words[0]
    if name is None or not (name in _BASH_BUILTINS or name in _BASH_NAMES):
        return _run_as_program(command, words)
    at = command.words[0].at
    if any(f.text == name and (command.deferred or f.at < at) for f in functions):
        return []  # a function of that name: dash runs it
    return [(at, _bash_name(name) + _dropped_refused(command.words, 0, name))]


def _run_as_program(command: shsyntax.Command, words: list[str | None]) -> list[tuple[int, str]]:
    """Where ``command`` (its ``words`` as :func:`shsyntax.literal` reads them) runs a name of bash's as a program,
    which the runtime images do not have, with its words: a path to it (``/usr/bin/time``), or after a command that
    runs the command its words give (:data:`_WRAPPERS`: ``command time``, ``env let``, ``nice -n 5 time``), which
    never runs a function."""
    i, runner = 0, words[0]
    while runner is not None:
        path = _system_name(runner)
        if path is not None and (path in _BASH_BUILTINS or path in _BASH_NAMES):
            told = _bash_program(runner, path, words[0] if i else None)
            return [(command.words[i].at, told + _dropped_refused(command.words, i, path))]
        # a program of the images by its path too (/usr/bin/env), dash's own by its name alone
        wrapper = _WRAPPERS.get(runner) or (_WRAPPERS.get(path) if path is not None else None)
        j = None if wrapper is None or (path is not None and wrapper.builtins) else _program_at(wrapper, words, i)
        program = None if j is None else words[j]
        if j is not None and program is not None and (program in _BASH_BUILTINS or program in _BASH_NAMES):
            told = _bash_program(program, program, runner)
            return [(command.words[j].at, told + _dropped_refused(command.words, j, program))]
        i, runner = j or 0, program
    return []


# What a word of test or [ before == is when == is its operator: an operand (the operators' words before one).
_TEST_OPERATORS = frozenset(("=", "!=", "!", "(", "[", "test"))
# The binary operators of dash's test (dash(1), "test"), which make the word before them a string operand.
_BINARY_TEST_OPERATORS = frozenset(
    ("=", "!=", "<", ">", "-eq", "-ne", "-gt", "-ge", "-lt", "-le", "-nt", "-ot", "-ef", "-a", "-o")
)
# The echo options of bash's: a first word of these letters, and each after it.
_ECHO_OPTIONS = LazyPattern(r"-[neE]+")


def _bash_usage(command: shsyntax.Command) -> list[tuple[int, str]]:
    """:func:`_usage_as_written` of ``command``, or of the one dash's ``command`` runs, which runs dash's builtins as
    written alone (``command eval -- x``: eval's ``--`` run as a command)."""
    from pic import shsyntax

    words = [shsyntax.literal(t.text) for t in command.words]
    if words[0] == "command" and len(chain := _chain(words)) > 1:
        return _bash_usage(replace(command, words=command.words[chain[1] :]))
    return _usage_as_written(command)


def _usage_as_written(command: shsyntax.Command) -> list[tuple[int, str]]:
    """Where ``command`` uses dash's test or echo as bash's are used, with its words: ``==`` as the operator of
    ``[`` or ``test`` (``[ "$x" == y ]``: dash's test stops, unexpected operator, exit 2), an option of bash's
    echo that dash's prints as text (``echo -e``, ``-E``, a second ``-n``: dash's takes ``-n`` alone, first)."""
    from pic import shsyntax

    tokens = command.words
    words = [t.text if t.text == "[" else shsyntax.literal(t.text) for t in tokens]
    if words[0] in ("[", "test"):
        for i in range(1, len(words)):
            before, word, token = words[i - 1], words[i], tokens[i]
            after = words[i + 1] if i + 1 < len(words) else "]"
            # == is the operand of a unary operator before it (-n ==) only when nothing but ], -a, -o or ) follows
            operand = before is not None and before.startswith("-") and after in ("]", "-a", "-o", ")")
            if word == "==" and (before is None or (before not in _TEST_OPERATORS and not operand)):
                return [(token.at, _ARGUMENT_WORDS["=="].format(name=words[0]))]
            # -v NAME: a unary operator, its operand before the ] closing [ (-v alone is a string, true: [ -v ],
            # [ ! -v ], [ x -o -v ]), nor the ) closing a ( before it ([ \( -v \) ]), and the left operand of a
            # binary operator followed by its right one ([ -v = x ], [ -v -a -v ]: both tests compare strings,
            # POSIX's rule)
            last = len(words) - (words[0] == "[")
            if (
                word == "-v"
                and before in ("[", "test", "!", "(", "-a", "-o")
                and i + 1 < last
                and not (before == "(" and after == ")")
                and not (after in _BINARY_TEST_OPERATORS and i + 2 < last)
            ):
                return [(token.at, _ARGUMENT_WORDS["-v"].format(name=words[0]))]
    if (reader := _OPTION_READERS.get(words[0] or "")) is not None:
        return reader(words, tokens)
    if words[0] in _DASH_OPTIONS or words[0] == "trap":
        return _builtin_options(words, tokens)
    if words[0] == "echo":
        for i, (word, token) in enumerate(zip(words[1:], tokens[1:], strict=True)):
            if word is None or not _ECHO_OPTIONS.fullmatch(word):
                break
            if word != "-n" or i:
                return [
                    (token.at, _ARGUMENT_WORDS["-E" if "E" in word and "e" not in word else "-e"].format(word=word))
                ]
    return []


# The options of dash's set (dash(1), "set"), by letter and by the name set -o takes (the images' dash: 0.5.11 and
# 0.5.12): any other stops the whole job (set: Illegal option, exit 2), set being a special builtin.
_DASH_SET_LETTERS = frozenset("abCEefIimnopsuVvx")
_DASH_SET_NAMES = frozenset(
    (
        "errexit", "noglob", "ignoreeof", "interactive", "monitor", "noexec", "stdin", "xtrace", "verbose", "vi",
        "emacs", "noclobber", "allexport", "notify", "nounset", "privileged", "nolog", "debug",
    )
)  # fmt: skip


def _set_options(words: list[str | None], tokens: tuple[shsyntax.Token, ...]) -> list[tuple[int, str]]:
    """Where the options of ``set`` (its ``words``, as :func:`shsyntax.literal` reads them) hold one dash's set
    has not (``set -o pipefail``, ``set -euo pipefail``, ``set -E``... bash's), with its words; none after ``--``,
    ``-`` or the first word that is no option (the positional parameters)."""
    i = 1
    while i < len(words):
        word = words[i]
        if word is None or word in ("--", "-") or not word.startswith(("-", "+")):
            return []
        named = "o" in word[1:]  # -o NAME, and -euo NAME: the name is the next word
        if any(letter not in _DASH_SET_LETTERS for letter in word[1:]):
            letter = next(c for c in word[1:] if c not in _DASH_SET_LETTERS)
            return [(tokens[i].at, _ARGUMENT_WORDS["set"].format(option=f"{word[0]}{letter}", hint=""))]
        if named and i + 1 < len(words):
            name = words[i + 1]
            if name is not None and name not in _DASH_SET_NAMES:
                hint = _PIPEFAIL_HINT if name == "pipefail" else ""
                return [(tokens[i + 1].at, _ARGUMENT_WORDS["set"].format(option=f"{word[0]}o {name}", hint=hint))]
            i += 1
        i += 1
    return []


# The options of dash's builtins that take fewer than bash's (dash(1)), by name: their letters, and those taking a
# value (read -p PROMPT). printf and wait take none (printf -v, wait -n are bash's); export and readonly -p alone.
_DASH_OPTIONS = {"read": ("pr", "p"), "printf": ("", ""), "wait": ("", ""), "export": ("p", ""), "readonly": ("p", "")}
# dash's special builtins among them: an error stops the whole job (XCU 2.8.1)
_SPECIAL = frozenset(("export", "readonly"))
# The conditions of bash's trap, which dash's has not (dash's: EXIT and the signals).
_BASH_TRAPS = frozenset(("ERR", "DEBUG", "RETURN"))


def _builtin_options(words: list[str | None], tokens: tuple[shsyntax.Token, ...]) -> list[tuple[int, str]]:
    """Where ``trap`` or a builtin of :data:`_DASH_OPTIONS` (``words[0]``) is given an option or a condition of
    bash's that dash's has not (``read -a``, ``read -t 5``, ``printf -v x``, ``export -f``, ``trap ... ERR``), with
    its words."""
    name = words[0]
    if name == "trap":
        return _trap_usage(words, tokens)
    letters, valued = _DASH_OPTIONS[name or ""]
    i = 1
    while i < len(words):
        word = words[i]
        if word is None or word == "--" or not word.startswith("-") or word == "-":
            at = i + (word == "--")
            return _printf_format(words[at], tokens[at].at) if name == "printf" and at < len(words) else []
        wrong = next((c for c in word[1:] if c not in letters), None)
        if wrong is not None:
            stops = _STOPS if name in _SPECIAL else "the command is refused when it runs"
            return [(tokens[i].at, _ARGUMENT_WORDS["option"].format(name=name, option=f"-{wrong}", stops=stops))]
        i += 2 if word[-1] in valued else 1  # read -p's prompt
    return []


# A directive of printf's format (its flags, width and precision), bash's own caught: %q, %Q (a word quoted for the
# shell) and %(...)T (a date), and a length modifier of C's before the conversion (%ld, %zu, %hhx: bash's printf reads
# %ld as %d), which the printf of dash refuses (invalid directive, exit 2: nothing printed)
_PRINTF_DIRECTIVE = LazyPattern(
    r"%%|(?P<head>%[-+ #0']*(?:\*|[0-9]+)?(?:\.(?:\*|[0-9]*))?)"
    r"(?:(?P<bash>[qQ]|\([^)]*\)T)|(?P<length>hh|ll|[hljztL])(?P<conversion>[diouxXeEfFgGaAcs]))?"
)


def _printf_format(word: str | None, at: int) -> list[tuple[int, str]]:
    """Where the format ``word`` of printf (at character ``at``) holds a directive of bash's (``%q``, ``%(%F)T``) or
    a length modifier (``%ld``)."""
    if word is None or "%" not in word:
        return []
    for m in _PRINTF_DIRECTIVE.compiled().finditer(word):
        if m["bash"] is not None:
            return [(at, _ARGUMENT_WORDS["printf"].format(directive=m.group()))]
        if m["length"] is not None:
            meant = m["head"] + m["conversion"]
            return [(at, _ARGUMENT_WORDS["printf length"].format(directive=m.group(), meant=meant))]
    return []


def _trap_usage(words: list[str | None], tokens: tuple[shsyntax.Token, ...]) -> list[tuple[int, str]]:
    """:func:`_builtin_options` of ``trap``: an option (``trap -p``, ``-l``: dash's has none, and stops the whole
    job, trap being a special builtin), a condition of bash's (``ERR``), a signal named with ``SIG`` (``SIGTERM``:
    dash's trap knows ``TERM``, in any case, alone: bad trap, the action never set for it)."""
    first = 1
    if len(words) > 1 and words[1] == "--":
        first = 2
    elif len(words) > 1 and (word := words[1]) is not None and word.startswith("-") and word != "-":
        option = word[:2]
        return [(tokens[1].at, _ARGUMENT_WORDS["option"].format(name="trap", option=option, stops=_STOPS))]
    for word, token in zip(words[first + 1 :], tokens[first + 1 :], strict=True):
        if word is None:
            continue
        if word.upper().removeprefix("SIG") in _BASH_TRAPS:
            return [(token.at, _ARGUMENT_WORDS["trap"].format(condition=word))]
        if word.upper().startswith("SIG") and _signal_name(word[3:]):
            return [(token.at, _ARGUMENT_WORDS["SIG"].format(condition=word, name=word[3:].upper()))]
    return []


def _signal_name(name: str) -> bool:
    """Whether ``name`` (``TERM``, ``term``, ``RTMIN+1``) names a signal as dash's trap and kill read one: without
    ``SIG``, in any case (signal(7)'s names, dash's ``RTMIN`` and ``RTMAX``)."""
    upper = name.upper()
    if re.fullmatch(r"RTM(?:IN|AX)(?:[+-][0-9]+)?", upper):
        return True
    return f"SIG{upper}" in signal.Signals.__members__


def _kill_usage(words: list[str | None], tokens: tuple[shsyntax.Token, ...]) -> list[tuple[int, str]]:
    """Where ``kill`` (its ``words``) is given a signal named with ``SIG`` (``kill -SIGTERM``, ``kill -s SIGHUP``)
    or an option of bash's (``kill -n 15``), which the kill of dash refuses (Illegal option, invalid signal: exit 2,
    no signal sent), or ``--`` after ``-NAME`` or ``-NUMBER`` (``kill -9 -- PID``: Illegal number); dash's -s NAME,
    -l, -NAME and -NUMBER taken; ``kill -l NAME`` (bash's number of a signal) refused, dash's reading a number there
    alone (Illegal number, exit 2)."""
    word = words[1] if len(words) > 1 else None
    if word is None or not word.startswith("-") or word in ("-", "--", "-l"):
        return _kill_l(words, tokens) if word == "-l" else []
    # the word after -NAME or -NUMBER, which dash reads as a process, -- too (after -s NAME it reads -- as bash does)
    if not word.startswith("-s") and len(words) > 2 and words[2] == "--":
        return [(tokens[2].at, _ARGUMENT_WORDS["kill --"].format(signal=word))]
    if word.startswith("-s"):  # -s NAME, -sNAME
        return _kill_s(word, words, tokens)
    return _kill_signal(word, tokens)


def _kill_signal(word: str, tokens: tuple[shsyntax.Token, ...]) -> list[tuple[int, str]]:
    """:func:`_kill_usage` of ``kill -NAME`` or ``kill -NUMBER`` (``word``): a name with ``SIG``, bash's ``EXIT`` and
    a letter of no option of dash's refused."""
    rest = word[1:]
    if rest.isdigit() or _signal_name(rest):
        return []
    if rest.upper() == "EXIT":  # bash's signal 0; dash reads letters of options there
        return [
            (tokens[1].at, _ARGUMENT_WORDS["kill EXIT"].format(what=f"kill {word}", told=f"Illegal option {word[:2]}"))
        ]
    if rest.upper().startswith("SIG") and _signal_name(rest[3:]):
        return [(tokens[1].at, _ARGUMENT_WORDS["kill"].format(what=f"kill {word}", name=f"-{rest[3:].upper()}"))]
    stops = "the command is refused when it runs"
    return [(tokens[1].at, _ARGUMENT_WORDS["option"].format(name="kill", option=word[:2], stops=stops))]


def _kill_l(words: list[str | None], tokens: tuple[shsyntax.Token, ...]) -> list[tuple[int, str]]:
    """:func:`_kill_usage` of ``kill -l [--] WORD``: a WORD other than a number refused (dash reads the first alone)."""
    at = 3 if len(words) > 2 and words[2] == "--" else 2
    name = words[at] if len(words) > at else None
    if name and not name.isdigit():
        return [(tokens[at].at, _ARGUMENT_WORDS["kill -l"].format(name=name))]
    return []


def _kill_s(word: str, words: list[str | None], tokens: tuple[shsyntax.Token, ...]) -> list[tuple[int, str]]:
    """:func:`_kill_usage` of ``kill -s NAME`` or ``kill -sNAME`` (``word``): a NAME with ``SIG`` refused."""
    name, token = (words[2], tokens[2]) if word == "-s" and len(words) > 2 else (word[2:], tokens[1])
    what = f"kill -s {name}" if word == "-s" else f"kill {word}"
    if name is not None and name.upper().startswith("SIG") and _signal_name(name[3:]):
        return [(token.at, _ARGUMENT_WORDS["kill"].format(what=what, name=name[3:].upper()))]
    if name is not None and name.upper() == "EXIT":
        return [(token.at, _ARGUMENT_WORDS["kill EXIT"].format(what=what, told="invalid signal number or name"))]
    return []


def _type_options(words: list[str | None], tokens: tuple[shsyntax.Token, ...]) -> list[tuple[int, str]]:
    """Where ``type`` is given an option (``type -p php``, ``type -t``, ``type -a``, ``--`` too), which the type of
    dash has none of: it reads each word as a name (-p: not found, exit 127)."""
    word = words[1] if len(words) > 1 else None
    if word is None or not word.startswith("-") or word == "-":
        return []
    return [(tokens[1].at, _ARGUMENT_WORDS["type"].format(option=word))]


def _no_options(words: list[str | None], tokens: tuple[shsyntax.Token, ...]) -> list[tuple[int, str]]:
    """Where ``exec``, ``eval`` or ``local`` (``words[0]``) is given an option, which dash's have none of, ``--``
    included: ``exec -a NAME`` runs a program named ``-a`` (not found, exit 127: the job ends there), ``eval --
    'CMD'`` a command named ``--`` (not found), ``local -r x`` stops the whole job (local: bad variable name);
    ``local -`` (the shell's options saved) taken."""
    word = words[1] if len(words) > 1 else None
    if word is None or not word.startswith("-") or (word == "-" and words[0] == "local"):
        return []
    return [(tokens[1].at, _ARGUMENT_WORDS[words[0] or ""].format(option=word))]


# The builtins whose options (or words) dash reads otherwise than bash, by name
_OPTION_READERS: dict[str, Callable[[list[str | None], tuple[shsyntax.Token, ...]], list[tuple[int, str]]]] = {
    "set": _set_options,
    "kill": _kill_usage,
    "exec": _no_options,
    "eval": _no_options,
    "local": _no_options,
    "type": _type_options,
}


# What an option of a special builtin refused does
_STOPS = "the whole job stops there"


_PIPEFAIL_HINT = " (a pipe's status is its last command's: write the commands one after another, a > f && b < f)"


# What :func:`_bash_usage` says, by what it finds.
_ARGUMENT_WORDS = {
    "-v": "-v in {name} (bash's test of a variable set), which the test of dash, the containers' sh, does not have: "
    'it stops (unexpected operator, exit 2) and the condition is false at every run; write [ -n "${{NAME+set}}" ]',
    "option": "{name} {option} (an option of bash's {name}), which the {name} of dash, the containers' sh, has not: "
    "{stops} ({name}: Illegal option, exit 2), doing nothing",
    "trap": "trap ... {condition} (a condition of bash's trap), which dash, the containers' sh, has not: trap is "
    "refused when it runs (bad trap) and the action is never set; trap it on EXIT, or test each command (a || b)",
    "SIG": "trap ... {condition} (a signal named as bash names it, with SIG), which the trap of dash, the containers' "
    "sh, does not know: trap is refused when it runs (bad trap) and the action is never set for it; write {name}",
    "kill": "{what} (a signal named as bash names it, with SIG), which the kill of dash, the containers' sh, does "
    "not know: the command is refused when it runs (exit 2) and no signal is sent; write {name}",
    "printf": "printf {directive} (a directive of bash's printf), which the printf of dash, the containers' sh, has "
    "not: the command is refused when it runs (invalid directive, exit 2) and prints nothing; write the date with "
    "date +FORMAT (date +%F), a word quoted with '...'",
    "printf length": "printf {directive} (a length of C's printf, which bash's reads as {meant}), which the printf "
    "of dash, the containers' sh, has not: the command is refused when it runs (invalid directive, exit 2) and prints "
    "nothing; write {meant}",
    "kill EXIT": "{what} (EXIT, trap's condition of the shell's exit, which bash's kill reads as the signal 0), "
    "which the kill of dash, the containers' sh, does not know: the command is refused when it runs ({told}, exit 2); "
    "write kill -0 PID (or kill -s 0 PID) to test that the process is there",
    "type": "type {option} (an option of bash's type), which the type of dash, the containers' sh, has none of: it "
    "looks for a command named {option} (not found, exit 127); write command -v NAME (the path of a program, or "
    "the name of a builtin or function)",
    "kill -l": "kill -l {name} (bash's kill giving the number of a signal named), which the kill of dash, the "
    "containers' sh, reads as a number: the command is refused when it runs (Illegal number, exit 2) and prints "
    "nothing; write kill -l NUMBER (the name of a signal or of an exit status's signal), or the number itself",
    "kill --": "-- after kill {signal}, which the kill of dash, the containers' sh, reads as a process's number: the "
    "command is refused when it runs (Illegal number, exit 2) and no signal is sent; write kill {signal} PID, "
    "without --",
    "exec": "exec {option} (an option of bash's exec), which the exec of dash, the containers' sh, has none of: it "
    "runs a program named {option}, which no image has, and the job ends there (not found, exit 127); write exec "
    "PROGRAM, or the program alone",
    "eval": "eval {option} (an option of bash's eval), which the eval of dash, the containers' sh, has none of: it "
    "runs a command named {option}, which no image has (not found, exit 127), never the command given; write eval "
    "'COMMAND', or the command alone",
    "local": "local {option} (an option of bash's local), which the local of dash, the containers' sh, has none of: "
    "it stops the whole job there (local: bad variable name, exit 2); write local NAME=VALUE",
    "set": "set {option} (an option of bash's set), which dash, the containers' sh, has not: it stops the whole job "
    "there (set: Illegal option, exit 2); drop it{hint}",
    "==": "== in {name} (bash's test of equality), which the test of dash, the containers' sh, does not have: it stops "
    "(unexpected operator, exit 2) and the condition is false at every run; write =",
    "-e": "echo {word} (an option of bash's echo), which the echo of dash, the containers' sh, prints as text (it "
    "takes -n alone, as its first word, and reads the backslash escapes \\t \\n itself); drop it, or write printf "
    "(printf 'a\\tb\\n')",
    "-E": "echo {word} (an option of bash's echo), which the echo of dash, the containers' sh, prints as text (it "
    "takes -n alone, as its first word, and reads the backslash escapes \\t \\n itself); write printf '%s\\n' TEXT",
}


def _bash_name(name: str) -> str:
    """:func:`_bash_commands`' words for ``name``, a name of bash's run as a command's name."""
    return _BASH_ONLY[_BASH_NAMES[name]] if name in _BASH_NAMES else _bash_builtin(name)


def _bash_program(written: str, name: str, runner: str | None) -> str:
    """:func:`_bash_commands`' words for ``written``, the name ``name`` of bash's or a path to it, run as a program
    (after ``runner``, one of :data:`_WRAPPERS`, when not None)."""
    what = "a keyword of bash's" if name in ("time", "[[") else "a builtin of bash's"
    if runner is None:
        words = f"{written}, a path to a program the runtime images do not have ({name} is {what})"
    else:
        never = " (never a function)" if _WRAPPERS[runner.rpartition("/")[2]].builtins else ""
        words = (
            f"{written} ({what}) after {runner}, which runs a program of that name{never}, which the runtime images "
            "do not have"
        )
    status = _WRAPPERS[runner.rpartition("/")[2]].missing if runner is not None else 127
    words += f": the command is not found (exit {status})"
    instead = _BASH_BUILTINS.get(name) or ("write . FILE" if name == "source" else "")
    if instead and name in _DASH_INSTEAD and runner is not None and runner != "command":
        # what sh does instead is a builtin's or an assignment: after the runner, a program again (env cd DIR)
        instead += (
            f" (as the shell's own command, not after {runner}, which runs a program: a builtin of dash's or an "
            "assignment is no program either)"
        )
    return f"{words}; {instead}" if instead else words


# bash's builtins whose :data:`_BASH_BUILTINS` words name a builtin of dash's or an assignment (source: .).
_DASH_INSTEAD = frozenset(("let", "declare", "typeset", "pushd", "popd", "mapfile", "readarray", "source"))


# bash's forms that are the name of a command, by that name.
_BASH_NAMES = {"[[": "[[", "source": "source "}
# bash's builtins and keywords that dash, the containers' sh, has not, as a command's name: dash looks for a program
# of that name, finds none ("let: not found", exit 127) and the job goes on without what it was to do. By name,
# what sh does instead, if anything. time, a keyword of bash's, is one too: dash runs a program time, which the
# runtime images do not have (debootstrap's minbase, no package time), so the command after it never runs.
_BASH_BUILTINS = {
    "time": "write the command alone (the job's log has the time it starts and ends)",
    "let": "write n=$((n + 1))",
    "declare": "assign it (x=1), export it (export X=1)",
    "typeset": "assign it (x=1), export it (export X=1)",
    "shopt": "",
    "pushd": "write cd DIR, or (cd DIR && ...)",
    "popd": "write cd DIR, or (cd DIR && ...)",
    "dirs": "",
    "mapfile": "read the lines with while read -r line; do ...; done",
    "readarray": "read the lines with while read -r line; do ...; done",
    "coproc": "",
    "disown": "",
    "enable": "",
    "builtin": "write the command alone",
    "caller": "",
    "compgen": "",
    "complete": "",
    "compopt": "",
    "bind": "",
    "help": "",
    "history": "",
    "fc": "",
    "logout": "",
    "suspend": "",
}


def _bash_builtin(name: str) -> str:
    """:func:`_bash_commands`' words for ``name``, a builtin of bash's that dash has not (:data:`_BASH_BUILTINS`)."""
    words = f"{name} (a builtin of bash's), which dash, the containers' sh, does not know: the command is not found"
    instead = _BASH_BUILTINS[name]
    return f"{words}; {instead}" if instead else words


def _first(*found: tuple[str, int] | None) -> tuple[str, int] | None:
    """The first in the text of what the readers found (each as its words and its place), or None."""
    return min((f for f in found if f is not None), key=lambda f: f[1], default=None)


def arithmetic_quote(text: str) -> tuple[str, int] | None:
    """The first quote an arithmetic expansion of ``text`` holds where dash reads it as a character (:func:`_read`),
    in :data:`_IN_ARITHMETIC`'s words, and where; None when there is none."""
    return _read(text).arithmetic_quote


def bad_substitution(text: str) -> tuple[str, int] | None:
    """The first parameter expansion of ``text`` that dash refuses when it expands it, "Bad substitution"
    (:data:`_POSIX_EXPANSION`, :func:`_read`), as written, and where; None when there is none."""
    return _read(text).bad_substitution


def arithmetic_operator(text: str) -> tuple[str, int] | None:
    """The first operator of bash's that an arithmetic expansion of ``text`` holds where dash has none or reads it
    otherwise (:func:`_arithmetic_operator`), in :data:`_ARITHMETIC_WORDS`'s words, and where; None when there is
    none."""
    return _read(text).arithmetic_operator


def arithmetic_fault(text: str) -> tuple[str, int] | None:
    """The first arithmetic expansion of ``text`` whose expression dash refuses when it runs it, whatever its
    variables hold (:func:`_arithmetic_fault`), in words, and where dash stops in it; None when there is none."""
    return _read(text).arithmetic_fault


def _unquoted_other_space(text: str) -> str | None:
    """The first space other than U+0020 (Unicode category Zs: no-break, thin, ideographic...) that sh reads
    outside quotes in ``text``, where a plain space was meant; None when there is none.

    POSIX sh quoting (XCU 2.2): a backslash quotes the next character, single quotes everything up to the
    next single quote, double quotes up to the next unescaped double quote. Linear in ``text``.
    """
    if text.isascii():
        return None
    quote = ""
    escaped = False
    for ch in text:
        if escaped:
            escaped = False
        elif quote == "'":
            quote = "" if ch == "'" else quote
        elif ch == "\\":
            escaped = True
        elif quote == '"':
            quote = "" if ch == '"' else quote
        elif ch in "'\"":
            quote = ch
        elif ch != " " and unicodedata.category(ch) == "Zs":
            return ch
    return None


def _check_days(fields: list[str]) -> None:
    """ValueError when the day fields of checked ``fields`` never match, or match cron's "either" way."""
    # Days each month can have (February's 29th in leap years); crontab(5) and systemd.time(7) accept
    # "31 2" and never run it.
    if not any(d <= DAYS_IN_MONTH[m] for m in _values(fields[3], 1, 12) for d in _values(fields[2], 1, 31)):
        raise ValueError(f"the day of month {fields[2]} never falls in month {fields[3]}: the job would never run")
    # crontab(5): when either day field starts with "*" (*/2 too: Vixie cron's DOM_STAR), a day must match both,
    # as in systemd's calendar; otherwise cron runs the job on the days that match either.
    if not fields[2].startswith("*") and fields[4] != "*":
        raise ValueError(
            "restricts both the day of month and the day of week (cron runs when either matches): keep one as *"
        )


def _values(field: str, low: int, high: int) -> list[int]:
    """The sorted values a checked field stands for."""
    if field == "*":
        return list(range(low, high + 1))
    if field.startswith("*/"):
        return list(range(low, high + 1, int(field[2:])))
    out: set[int] = set()
    for part in field.split(","):
        a, _, b = part.partition("-")
        out.update(range(int(a), int(b or a) + 1))
    return sorted(out)


def _spread(slug: str, index: int) -> int:
    """A number from the member's slug and the job's place: the same on every run, different across members."""
    return int.from_bytes(hashlib.sha256(f"{slug}/{index}".encode()).digest()[:8], "big")


@dataclass(frozen=True, eq=False, repr=False)
class Calendar:
    """A job's schedule as systemd reads it, and as ``pic plan`` shows it."""

    on_calendar: str
    shown: str


def _systemd_field(field: str, width: int, low: int, high: int) -> str:
    """One field of a checked cron expression as systemd.time(7) writes it; ``low``..``high`` its bounds."""
    if field == "*":
        return "*"
    if field.startswith("*/"):
        # cron's */N: the field's first value and every Nth after it, written out. systemd's own start/N
        # skips a run when the repetition wraps to the next hour, day or year (*:00/13 has no 00:00 after
        # 23:52 on systemd 252: systemd issue #40260); a one-value repetition (day */31) it refuses.
        return ",".join(f"{v:0{width}d}" for v in range(low, high + 1, int(field[2:])))
    parts = []
    for part in field.split(","):
        a, _, b = part.partition("-")
        parts.append(f"{int(a):0{width}d}..{int(b):0{width}d}" if b else f"{int(a):0{width}d}")
    return ",".join(parts)


def calendar(schedule: str, slug: str, index: int) -> Calendar:
    """The ``OnCalendar=`` value of job ``index`` of member ``slug`` (its schedule checked already)."""
    n = _spread(slug, index)
    minute, hour, weekday = n % 60, NIGHT_HOURS[(n // 60) % len(NIGHT_HOURS)], (n // 3600) % 7
    if schedule == "hourly":
        return Calendar(f"*-*-* *:{minute:02d}:00", f"hourly at minute {minute}")
    if schedule == "daily":
        return Calendar(f"*-*-* {hour:02d}:{minute:02d}:00", f"daily at {hour:02d}:{minute:02d}")
    if schedule == "weekly":
        day = DAYS[weekday]
        return Calendar(f"{day} *-*-* {hour:02d}:{minute:02d}:00", f"weekly on {day} at {hour:02d}:{minute:02d}")
    m, h, dom, mon, dow = schedule.split(" ")
    # Days as a list of names: systemd's weeks start on Monday, so cron's 0-1 (Sun..Mon) has no range form.
    days = "" if dow == "*" else ",".join(dict.fromkeys(DAYS[d] for d in _values(dow, 0, 7))) + " "
    (m_low, m_high), (h_low, h_high), (d_low, d_high), (mon_low, mon_high), _ = BOUNDS
    value = (
        f"{days}*-{_systemd_field(mon, 2, mon_low, mon_high)}-{_systemd_field(dom, 2, d_low, d_high)} "
        f"{_systemd_field(h, 2, h_low, h_high)}:{_systemd_field(m, 2, m_low, m_high)}:00"
    )
    return Calendar(value, schedule)

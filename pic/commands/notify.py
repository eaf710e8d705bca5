"""``pic notify``: tell each member on a runtime near or past its end of life, one message per contact address.

Whom: the members ``pic report`` lists to contact on the day (``--on``): a
runtime in ``warning`` or past ``eol`` (with or without an exception), or
stopped. What: the runtime, its end-of-life date, what becomes of the site
by :mod:`pic.eol`'s rules (running, suspended or stopped now; the last day it
may run, :func:`pic.eol.runs_until`: the end of life, or a valid exception's
``until`` when later), what the member must do and by when, and the admins'
address, in the contact's language (``contact.language``, French by default)
from ``pic/commands/templates/notify-<language>.j2``: every paragraph wrapped once its names, domains and dates are
put in (:func:`wrapped`), a right-to-left name isolated (:func:`isolated`).

One message per contact address and run: members due that give one address (a federation's secretary, the
volunteer admin of several associations) are named in one message, each with its site, runtime, end of life and
days left (:func:`compose`; the addresses compared as :func:`mailbox` has it: the domain without case, the local
part as written). Its name in ``To:`` and its language are the ones most of those members give, between as many
the first member's by slug (:func:`most_given`); the differences are warnings. The record still has one entry
per member (its own file's address), all written at once when the server accepts the message, none when it
refuses it: the period is counted per member, and a member told within it is not named.

Sending goes through ``pic:smtp`` (the password from ``PIC_SMTP_PASSWORD`` or
the stack secret ``pic:smtpPassword``, read with ``pulumi config get``; never
from a file, never printed). Every message the server accepts is recorded at
once in the notices file (:mod:`pic.notices`); a member already told about the
same runtime in the same state, at the same address, within ``pic:notify.period_days``
is not told again (:func:`pic.notices.told_key`). Nothing is
sent before the record is known writable and the password read; a message sent
that the record then fails to keep is said with its entry, and nothing more is
sent. A real send is for today: ``--on`` another day is for ``--dry-run``. A
``--record`` that does not exist is refused unless ``--new-record`` is given (a
mistyped name would tell every member again); the default record may be absent, so
``--new-record`` without ``--record`` is a usage error (it would do nothing).

Exit status: 0 every message accepted (or none due), 1 invalid input (the
settings, the registry, the record, the password) or a record that failed to
keep a message sent, 2 usage error, 3 the server refused at least one message, or
did not offer SMTPUTF8 (RFC 6531) for an address with letters outside ASCII before
the @, which is then not sent (the others are sent and recorded), or could not be
reached. An internationalised domain alone needs no SMTPUTF8: it is sent in
punycode (IDNA A-labels).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, cast

from pic import eol, notices
from pic.check import smtp_warnings
from pic.commands import about, date_argument
from pic.commands.arguments import file_if_present, of_another_kind
from pic.errors import PicError, Problem, shown_name, stop, stop_status, stopped_by, terminal_safe
from pic.registry import Member, Registry, load_registry
from pic.settings import RuntimeSpec, Settings, SmtpSpec, display_path, load_settings
from pic.validators import u_labels

if TYPE_CHECKING:  # loaded when the command runs, not by every `pic` command
    import smtplib
    from email.headerregistry import Address
    from email.message import EmailMessage

    import jinja2

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_REFUSED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # the shell's status for a command ended by SIGINT (128 + 2)
SMTP_ENV_VARIABLE = "PIC_SMTP_PASSWORD"
_MONTHS = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "notify",
        parents=[common],
        help="write to the members on a runtime near or past its end of life",
        **about.COMMANDS["notify"].parser_text(),
    )
    p.add_argument("--on", type=date_argument, default=None, help="as of this day (default: today)")
    p.add_argument("--dry-run", action="store_true", help="print the messages, send and record nothing")
    p.add_argument(
        "--record",
        type=file_if_present("the notices file pic notify writes (a YAML file)", notices.MAX_RECORD_BYTES),
        default=None,
        help=f"the notices file (default: {notices.DEFAULT_FILE} in the --project directory)",
    )
    p.add_argument(
        "--new-record",
        action="store_true",
        help="start the record --record names when it does not exist (refused otherwise: a mistyped record "
        "would tell every member again)",
    )


@dataclass(frozen=True)
class Concern:
    """A member one message tells about: its slug, runtime, notice state, and its contact's address as its own
    file writes it (its entry's ``to`` in the record)."""

    member: str
    runtime: str
    state: str
    to: str

    def notice(self, on: dt.date) -> notices.Notice:
        return notices.Notice(on, self.member, self.runtime, self.to, self.state)


@dataclass(frozen=True)
class Message:
    """One message to one contact address, about each member in ``concerns`` (one or more, by slug)."""

    concerns: tuple[Concern, ...]
    to: str  # the address it is sent to, as the first member's file writes it
    email: EmailMessage
    # The address has letters outside ASCII before the @ (RFC 6531): only a relay offering SMTPUTF8 takes it.
    smtputf8: bool = False
    # Warnings: a member giving the contact another name or language than the message says.
    differences: tuple[Problem, ...] = ()

    @property
    def members(self) -> str:
        """The slugs of the members it names: ``velo-cite``, ``chorale-est, judo-est``."""
        return ", ".join(c.member for c in self.concerns)

    @property
    def sent_to(self) -> str:
        """The address the message is sent to, as its ``To:`` gives it: ``to``'s local part, its domain in ASCII
        and lowercase (``anne@federation.example.org`` for ``anne@Federation.EXAMPLE.org``, IDNA A-labels for an
        internationalised one: :func:`pic.notices.sendable_address`)."""
        address: Address = self.email["To"].addresses[0]
        return f"{address.username}@{address.domain}"

    def entries(self, on: dt.date) -> list[notices.Notice]:
        """The record's entries once the server accepted it: one per member it names."""
        return [c.notice(on) for c in self.concerns]


@dataclass(frozen=True)
class Sent:
    """What :func:`send` did: messages accepted (and recorded), refused (with the reason), and the one
    accepted that the record failed to keep (with the reason), after which nothing more was sent."""

    accepted: list[Message]
    refused: list[tuple[Message, str]]
    unrecorded: tuple[Message, str] | None = None
    # The message the server was taking when the run was stopped (Ctrl-C, SIGTERM) or the connection failed,
    # with the reason: it may have been sent, and is not recorded.
    in_flight: tuple[Message, str] | None = None
    signalled: int = 0  # stopped by Ctrl-C (exit 130), SIGTERM (143) or SIGHUP (129): its exit status
    lost: bool = False  # the server closed the connection after refusing the last message (a 421...)
    # Not sent, with the reason: an address that needs SMTPUTF8 (RFC 6531) the server does not offer.
    unsent: list[tuple[Message, str]] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class Skipped:
    member: str
    runtime: str
    told_on: dt.date


def today() -> dt.date:
    """The day of a real send: a message tells the member's state on the day it is read."""
    return dt.date.today()


def sent_at(on: dt.date) -> dt.datetime:
    """The ``Date:`` of a message told as of ``on``: now, on that day (another day than today is a
    ``--dry-run``'s, whose messages say "today" of ``on``: their date says the same day)."""
    now = dt.datetime.now().astimezone()
    # the local time of day on that day, with that day's offset (summer time or not), not today's
    return now if now.date() == on else dt.datetime.combine(on, now.time()).astimezone()


def long_date(day: dt.date, language: str) -> str:
    """``31 décembre 2026``, ``1er mars 2027`` / ``31 December 2026``."""
    number = "1er" if day.day == 1 and language == "fr" else str(day.day)
    return f"{number} {_MONTHS[language][day.month - 1]} {day.year}"


def days_text(days: int, language: str) -> str:
    """How far an end of life is, ``days`` after (negative: before) the day of the message: :func:`in_days`, else
    ``il y a 3 jours``, ``hier`` / ``3 days ago``, ``yesterday``."""
    if days >= 0:
        return in_days(days, language)
    if language == "fr":
        return "hier" if days == -1 else f"il y a {-days} jours"
    return "yesterday" if days == -1 else f"{-days} days ago"


def mailbox(address: str) -> tuple[str, str]:
    """The mailbox ``address`` reaches, as mail compares it: its local part as written (composed, NFC, as
    email_validator reads it: RFC 6532 §3.1) and its domain in lower-case IDNA A-labels (``Federation.ORG``,
    ``fédération.org`` and ``xn--fdration-b1ab.org`` are one domain: RFC 5321 §2.4, RFC 5890). The local part's
    case is kept: RFC 5321 §2.4 leaves it to the mailbox's own server, which may read ``Anne`` and ``anne`` as
    two mailboxes; two such addresses get a message each rather than one of them none. (The record's "told"
    compares local parts without case, :func:`pic.notices.same_address`: a contact whose case was edited is not
    told again.) Raises email_validator.EmailNotValidError as :func:`pic.notices.sendable_address`."""
    local, domain, _ = notices.sendable_address(address)
    return local, domain.lower()


def most_given(given: Sequence[tuple[str, str]]) -> str:
    """The value most of the members give, from ``given`` (slug, value); between as many, the one given by
    the member whose slug comes first in alphabetical order. ValueError when ``given`` is empty."""
    count: dict[str, int] = {}
    first: dict[str, str] = {}
    for slug, value in given:
        count[value] = count.get(value, 0) + 1
        first[value] = min(first.get(value, slug), slug)
    return min(count, key=lambda v: (-count[v], first[v]))


def _differences(group: Sequence[Member], field: str, what: str, given: Sequence[str], chosen: str) -> list[Problem]:
    """A warning for each member of ``group`` (one contact address) whose contact's ``field`` (``name``,
    ``language``; ``given`` in the same order) is not the ``chosen`` one its message says."""
    giving = ", ".join(m.slug for m, v in zip(group, given, strict=True) if v == chosen)
    return [
        Problem(
            m.file,
            m.line_of("contact", field),
            f"contact.{field}",
            f"{terminal_safe(repr(v))} is not the {what} {giving} give{'s' if ',' not in giving else ''} the same "
            f"contact ({terminal_safe(m.spec.contact.email)}): the one message to that address says "
            f"{terminal_safe(repr(chosen))}, the {what} most of its members give (between as many, the first "
            f"member's by slug); give the contact one {what} in every member file",
            "warning",
        )
        for m, v in zip(group, given, strict=True)
        if v != chosen
    ]


def in_days(days: int, language: str) -> str:
    """When an end of life comes, after its date: ``dans 33 jours``, ``c'est-à-dire demain``..."""
    if language == "fr":
        return {0: "c'est-à-dire aujourd'hui", 1: "c'est-à-dire demain"}.get(days, f"dans {days} jours")
    return {0: "that is today", 1: "that is tomorrow"}.get(days, f"in {days} days")


# The longest line of a paragraph holding a name once wrapped: RFC 5322 section 2.1.1 (78 characters)
WIDTH = 78
_FSI, _PDI = "\u2068", "\u2069"  # FIRST STRONG ISOLATE, POP DIRECTIONAL ISOLATE (UAX #9, section 2.7)
# The bidirectional classes of right-to-left text (R, AL, AN) and of the explicit formatting characters
_RTL_OR_EXPLICIT = frozenset({"R", "AL", "AN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
# A space that keeps two words on one line while a paragraph is wrapped, made a space again: before French's
# high punctuation (« : », « ; », « ? », « ! »), between PHP and its version, and after a number followed by a
# word (31 décembre, 33 jours, 1461 days), and a day's words (1er mars 2027, 15 January 2027: before its year).
_KEEP_TOGETHER = re.compile(r" (?=[:;?!»])|(?<=«) |(?<=\bPHP) (?=\d)|(?<=\d) (?=[^\W\d_])|(?<=\b1er) | (?=\d{4}\b)")
_HELD = "\u00a0"  # not a space to textwrap (its whitespace is ASCII's): the words around it are one to it


def isolated(text: str) -> str:
    """``text`` set between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE when it holds
    right-to-left letters or digits (bidirectional classes R, AL, AN) or an explicit formatting character, else
    as it is: a name of unknown direction put in the left-to-right text of a message (Unicode UAX #9, section 2.7,
    and the W3C's "Inline markup and bidirectional text": text/plain has no ``dir`` attribute, the isolates are its
    markup). A mail program then shows the name as one block at its place, in its own direction (its first strong
    letter's), and the words, signs and numbers around it in their own order: unisolated, a right-to-left name
    took the neutral signs after it (``!`` then `` (``) into its run."""
    import unicodedata

    if any(unicodedata.bidirectional(ch) in _RTL_OR_EXPLICIT for ch in text):
        return f"{_FSI}{text}{_PDI}"
    return text


def wrapped(text: str, indent: str = "") -> str:
    """A paragraph holding names, rendered: its lines joined, then wrapped at :data:`WIDTH` characters by the
    standard library's :mod:`textwrap` (a line made longer by one word alone, a long domain, is kept whole: no
    word is cut, nor at its hyphens). Ends with a line break. Kept on one line: French's high punctuation with
    the word before it (``page :``), ``PHP`` and its version, a number and the word after it (``33 jours``).
    An isolate (:func:`isolated`) cut at a line's end is closed there and opened again on the next line: each
    line is a paragraph of the Bidirectional Algorithm (UAX #9, BD2: a line feed ends a paragraph), where an
    isolate left open would end anyway. ``indent`` begins each line after the first (a list's item: ``"   "``
    under ``2. ``)."""
    import textwrap

    joined = " ".join(line.strip() for line in text.strip("\n").split("\n"))
    held = _KEEP_TOGETHER.sub(_HELD, joined.replace(_HELD, "\u0000"))  # a no-break space written: kept as one
    out = []
    open_isolates = 0
    lines = textwrap.wrap(held, width=WIDTH, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)
    for number, line in enumerate(lines):
        shown = line.replace(_HELD, " ").replace("\u0000", _HELD)
        if number and indent:  # the isolates opened again after the indent, not before it
            shown = shown.removeprefix(indent)
        again = (indent if number else "") + _FSI * open_isolates + shown
        open_isolates += shown.count(_FSI) - shown.count(_PDI)
        out.append(again + _PDI * open_isolates)
    return "\n".join(out) + "\n"


# The vowels French elides "de" before (d'Amicale, d'Écoute), read without their accents (NFD's base letter), so
# that another language's (İstanbul, Åbo, Ósmosis) is one too; the vowels written as one letter NFD leaves whole
# (Æ, Œ, Ø) beside them. h, mute or not, and y, a vowel or not, are left as written: the dictionary tells.
_ELIDED = frozenset("AEIOUaeiouÆŒØæœø")


def _elided_before(name: str) -> bool:
    """True when French elides ``de`` before ``name``: it starts with a vowel, accented or not."""
    return unicodedata.normalize("NFD", name[:1])[:1] in _ELIDED


def de(name: str) -> str:
    """``de`` before an association's name, as French writes it: the name's own article joined to it
    (``des Amis du Rhône``, ``du Petit Théâtre``), elided before a vowel (``d'Amicale Laïque``), else
    ``de Vélo-Cité``; the name after it :func:`isolated`."""
    # The article ends at any space: a no-break one (Les\u00a0Amis, pasted from a word processor) too
    first, *others = name.split(None, 1) or [""]
    rest = others[0] if others else ""
    if rest and first in ("Les", "les", "LES"):
        return f"des {isolated(rest)}"
    if rest and first in ("Le", "le", "LE"):
        return f"du {isolated(rest)}"
    if _elided_before(name):
        return f"d'{isolated(name)}"
    return f"de {isolated(name)}"


@cache
def _templates() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pic.commands", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # noqa: S701 - plain-text mail
    )
    env.filters["de"] = de
    env.filters["isolated"] = isolated
    env.filters["wrapped"] = wrapped
    return env


def compose(
    registry: Registry, settings: Settings, on: dt.date, told: notices.Told
) -> tuple[list[Message], list[Skipped]]:
    """The messages due on ``on``, and the members skipped because told within the period; PicError, nothing
    composed, for a member to contact whose exception lasts longer than ``pic check`` allows.

    One message per contact address (:func:`mailbox`), naming every member due that gives it (by slug), in the
    order of the first member due (soonest first, as ``pic report``); a member told within the period is not
    named. Its ``To:`` name and its language are the ones most of those members give (:func:`most_given`); the
    differences are in :attr:`Message.differences`.
    """
    from pic import report  # Jinja and the renderers: not for the other commands

    data = report.build(registry, settings, on)
    by_slug = {m.slug: m for m in registry}
    newest = eol.newest_supported(settings, on)
    skipped: list[Skipped] = []
    refused: list[Problem] = []
    groups: dict[tuple[str, str], list[tuple[Concern, _Due]]] = {}  # by mailbox, in the order of the first due
    for c in data["members_to_contact"]:
        member = by_slug[c["slug"]]
        too_long = eol.exception_too_long(member, on)
        if too_long is not None:
            # pic check refuses it, and the message would tell the member its site runs until then
            why = "; its message would say the site runs until then: correct it first, nothing is sent"
            refused.append(dataclasses.replace(too_long, message=too_long.message + why))
            continue
        spec = settings.runtimes[c["runtime"]]
        state = notices.notice_state(c["state"], spec.stopped)
        last = told.get(notices.told_key(member.slug, c["runtime"], member.spec.contact.email, state))
        if last is not None and (on - last).days < settings.notify.period_days:
            skipped.append(Skipped(member.slug, c["runtime"], last))
            continue
        concern = Concern(member.slug, c["runtime"], state, member.spec.contact.email)
        due = _Due(member, c["runtime"], spec, c["state"], c["days_left"])
        groups.setdefault(mailbox(member.spec.contact.email), []).append((concern, due))
    if refused:
        raise PicError(refused)
    out = []
    for group in groups.values():
        group.sort(key=lambda g: g[0].member)
        out.append(_message(group, settings, on, newest))
    return out, skipped


def _message(group: list[tuple[Concern, _Due]], settings: Settings, on: dt.date, newest: str | None) -> Message:
    """The one message to the members of ``group`` (one contact address, by slug), in the language and with the
    name most of them give the contact (:func:`most_given`)."""
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.utils import format_datetime, make_msgid

    sender = settings.smtp.sender if settings.smtp and settings.smtp.sender else settings.admin_email
    first = group[0][1].member
    names = [(d.member.slug, d.member.spec.contact.name) for _, d in group]
    langs = [(d.member.slug, d.member.spec.contact.language) for _, d in group]
    name, lang = most_given(names), most_given(langs)
    to = first.spec.contact.email
    text = (
        _templates()
        .get_template(f"notify-{lang}.j2")
        .render(
            contact_name=name,
            sites=[_site_words(d, settings, on, lang, newest) for _, d in group],
            admin_email=settings.admin_email,
        )
    )
    subject, _, body = text.partition("\n")  # the template's first line is the subject
    body = body.lstrip("\n")
    msg = EmailMessage()
    msg["Subject"] = subject.strip()
    msg["From"] = sender
    local, domain, smtputf8 = notices.sendable_address(to)
    msg["To"] = Address(name, username=local, domain=domain)  # addr_spec refuses UTF-8
    msg["Reply-To"] = settings.admin_email
    msg["Date"] = format_datetime(sent_at(on))
    msg["Message-ID"] = make_msgid(domain=settings.admin_email.rpartition("@")[2])
    msg.set_content(body, cte="quoted-printable")
    msg["Content-Language"] = lang  # after set_content, which resets the Content-* headers
    dues = [d.member for _, d in group]
    differences = (
        *_differences(dues, "name", "name", [v for _, v in names], name),
        *_differences(dues, "language", "language", [v for _, v in langs], lang),
    )
    return Message(tuple(c for c, _ in group), to, msg, smtputf8, differences)


@dataclass(frozen=True)
class _Due:
    """A member to tell: its runtime's settings, its end-of-life state (``warning``, ``eol``) and the days left
    until the end of life (negative after it), as ``pic report`` gives them."""

    member: Member
    runtime: str
    spec: RuntimeSpec
    state: str
    days_left: int


def _site_words(due: _Due, settings: Settings, on: dt.date, lang: str, newest: str | None) -> dict[str, object]:
    """What the template says of one member's site, in ``lang``."""
    member, spec = due.member, due.spec
    exc = eol.exception_for(member)
    last_day = eol.runs_until(member, spec, on)  # None: the site may not run now
    runtime = due.runtime
    return {
        "member_name": member.spec.name,
        "domains": [u_labels(d) for d in member.site.domains] if member.site else [],
        "runtime": runtime,
        "state": due.state,
        "stopped": spec.stopped,
        "site": eol.site_state(member, settings, on),
        "eol_text": long_date(spec.eol, lang),
        "in_days": in_days(due.days_left, lang),
        "days_text": days_text(due.days_left, lang),
        "last_day_text": long_date(last_day, lang) if last_day is not None else "",
        "last_day_today": last_day == on,  # the message is read that day: "ends today", "today at the latest"
        "by_exception": last_day is not None and last_day > spec.eol,
        "exception_ended_text": (
            long_date(exc.until, lang) if exc is not None and exc.until < on and not spec.stopped else ""
        ),
        "newest": newest if newest != runtime else None,
    }


def smtp_password(settings: Settings, project: Path) -> str | None:
    """The SMTP password: ``PIC_SMTP_PASSWORD``, else the stack secret through ``pulumi config get``."""
    if os.environ.get(SMTP_ENV_VARIABLE):
        return os.environ[SMTP_ENV_VARIABLE]
    if "smtpPassword" not in settings.secrets:
        return None
    import subprocess

    def unread(why: str) -> PicError:
        return PicError(
            [
                Problem(
                    display_path(project / f"Pulumi.{settings.stack}.yaml"),
                    None,
                    "pic:smtpPassword",
                    f"could not be read with `pulumi config get` ({why}); set {SMTP_ENV_VARIABLE} instead",
                )
            ]
        )

    try:
        proc = subprocess.run(
            ["pulumi", "config", "get", "pic:smtpPassword", "--stack", settings.stack, "--cwd", str(project)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",  # bytes that are not UTF-8: said by _check_password, not a traceback
            check=False,
            stdin=subprocess.DEVNULL,  # a passphrase prompt fails instead of waiting
            timeout=_PULUMI_TIMEOUT,
        )
    except FileNotFoundError:
        raise unread("no `pulumi` command on PATH") from None
    except subprocess.TimeoutExpired:
        raise unread(f"no answer in {_PULUMI_TIMEOUT} seconds") from None
    except OSError as exc:
        raise unread(f"`pulumi` cannot run: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        said = _first_said(proc.stderr)  # stderr only: stdout would be the secret
        raise unread(f"exit {proc.returncode}: {said}" if said else f"exit {proc.returncode}")
    return proc.stdout.rstrip("\n")


def _check_password(settings: Settings, password: str | None, stack_file: str) -> None:
    """Raise PicError, before any connection, for a password the login cannot send; its value is never shown.
    ``stack_file``: the stack file as messages name it (``display_path``: in the project's directory).

    With ``pic:smtp.username``: none at all or an empty one (the login would be refused once connected), one
    holding bytes that are not UTF-8 (an environment variable set from a Latin-1 file: not encodable), or a
    NUL character (it ends the password in SASL PLAIN, RFC 4616).
    """
    if settings.smtp is None or settings.smtp.username is None:
        return
    from_env = bool(os.environ.get(SMTP_ENV_VARIABLE))
    file, field = ("<environment>", SMTP_ENV_VARIABLE) if from_env else (stack_file, "pic:smtpPassword")
    why = None
    if not password:
        file, field = stack_file, "pic:smtp.username"
        why = (
            f"is set, but no password is given: set {SMTP_ENV_VARIABLE}, or the stack secret with "
            "`pulumi config set --secret pic:smtpPassword`"
        )
    elif "\0" in password:
        why = f"holds a NUL character (at character {password.index(chr(0)) + 1}), which no SMTP login can carry"
    else:
        bad = next((i for i, ch in enumerate(password) if "\ud800" <= ch <= "\udfff"), None)
        if bad is not None:
            why = f"holds bytes that are not UTF-8 (at character {bad + 1}): write it in UTF-8"
    if why is not None:
        raise PicError([Problem(file, None, field, f"{why}; nothing sent")])


_SAID_CHARS = 300  # of pulumi's stderr in an error


def _first_said(stderr: str) -> str:
    """The first line of ``stderr`` that says something (not blank, not a bare ``error:``), escaped, shortened."""
    for line in stderr.splitlines():
        text = line.strip()
        if text and text.rstrip(":").lower() not in ("error", "warning"):
            text = terminal_safe(text, keep="")
            return text if len(text) <= _SAID_CHARS else text[: _SAID_CHARS - 3] + "..."
    return ""


_PULUMI_TIMEOUT = 120  # seconds: `pulumi config get` may have to reach its backend
_SMTP_TIMEOUT = 30  # seconds, per step of the mail server's connection


def _connect(spec: SmtpSpec, password: str | None) -> smtplib.SMTP:
    """A connection to the relay, secured and logged in as ``spec`` says. Raises OSError or
    smtplib.SMTPException, the connection closed: a refused STARTTLS or login leaves no socket open."""
    import smtplib
    import ssl

    context = ssl.create_default_context()
    server: smtplib.SMTP
    if spec.security == "tls":
        server = smtplib.SMTP_SSL(spec.host, spec.port, timeout=_SMTP_TIMEOUT, context=context)
    else:
        server = smtplib.SMTP(spec.host, spec.port, timeout=_SMTP_TIMEOUT)
    try:
        if spec.security == "starttls":
            server.starttls(context=context)
        if spec.username is not None:
            # smtplib encodes the credentials in ASCII (a UnicodeEncodeError for "pässwörd"); PLAIN and LOGIN
            # carry UTF-8 (RFC 4616), as CRAM-MD5's key: the methods below send them so.
            server.auth = _utf8_auth.__get__(server)  # type: ignore[method-assign]
            server.auth_cram_md5 = _utf8_cram_md5.__get__(server)  # type: ignore[method-assign]
            server.login(spec.username, password or "")
    except BaseException:
        server.close()
        raise
    return server


def _utf8_auth(
    self: smtplib.SMTP, mechanism: str, authobject: Callable[..., str | None], *, initial_response_ok: bool = True
) -> tuple[int, bytes]:
    """:meth:`smtplib.SMTP.auth` with the responses encoded in UTF-8 instead of ASCII."""
    import base64
    import smtplib

    def encoded(text: str | None) -> str:
        return base64.b64encode((text or "").encode("utf-8")).decode("ascii")

    mechanism = mechanism.upper()
    initial = authobject() if initial_response_ok else None
    if initial is not None:
        code, resp = self.docmd("AUTH", f"{mechanism} {encoded(initial)}")
        rounds = 1
    else:
        code, resp = self.docmd("AUTH", mechanism)
        rounds = 0
    while code == 334:  # a challenge
        rounds += 1
        if rounds > _MAX_CHALLENGES:
            raise smtplib.SMTPException(f"the server's AUTH {mechanism} does not end: last answer {code}")
        code, resp = self.docmd(encoded(authobject(base64.decodebytes(resp))))
    if code in (235, 503):  # accepted, or already authenticated
        return code, resp
    raise smtplib.SMTPAuthenticationError(code, resp)


_MAX_CHALLENGES = 5  # as smtplib


def _utf8_cram_md5(self: smtplib.SMTP, challenge: bytes | None = None) -> str | None:
    """:meth:`smtplib.SMTP.auth_cram_md5` with the password as the UTF-8 key."""
    import hmac

    if challenge is None:
        return None
    return f"{self.user} {hmac.HMAC(self.password.encode('utf-8'), challenge, 'md5').hexdigest()}"


def _offers_smtputf8(server: smtplib.SMTP) -> bool:
    """Whether the server offers SMTPUTF8 in its answer to EHLO (sent now if it has not been yet)."""
    server.ehlo_or_helo_if_needed()
    return server.has_extn("smtputf8")


def _smtputf8_refusal(m: Message, spec: SmtpSpec) -> str:
    return (
        f"{m.sent_to} has letters outside ASCII before the @, which only a relay offering SMTPUTF8 takes, and "
        f"{spec.host}:{spec.port} does not offer SMTPUTF8 (RFC 6531); ask the association for an address of the "
        "contact written in ASCII before the @ (pic check warns of such addresses)"
    )


def send(messages: list[Message], spec: SmtpSpec, password: str | None, record: Path, on: dt.date) -> Sent:
    """Send each message; record each one the server accepted, at once. A record that fails to keep one
    stops the sending: every later message would be sent again by the next run."""
    accepted: list[Message] = []
    refused: list[tuple[Message, str]] = []
    unsent: list[tuple[Message, str]] = []
    server = None
    result = None
    with _sigterm_as_a_stop():
        try:
            server = _connect(spec, password)
            for m in messages:
                if m.smtputf8 and not _offers_smtputf8(server):
                    # smtplib would raise SMTPNotSupportedError: told here with the address and the relay
                    unsent.append((m, _smtputf8_refusal(m, spec)))
                    continue
                what, reason = _send_one(server, m, record, on)
                if what == "accepted":
                    accepted.append(m)
                elif what in ("refused", "refused, connection lost"):
                    refused.append((m, reason))
                    if what != "refused":
                        result = Sent(accepted, refused, lost=True, unsent=unsent)
                elif what == "in flight":
                    result = Sent(
                        accepted, refused, in_flight=(m, reason), signalled=stop_status(reason), unsent=unsent
                    )
                else:
                    result = Sent(accepted, refused, (m, reason), signalled=stop_status(reason), unsent=unsent)
                if result is not None:
                    break
        finally:
            if server is not None:  # the hang-up: a SIGTERM while it waits is a stop too
                _hang_up(server, polite=result is None)
    return result or Sent(accepted, refused, unsent=unsent)


@contextlib.contextmanager
def _sigterm_as_a_stop() -> Iterator[None]:
    """SIGTERM (a timer's stop, a shutdown) as Ctrl-C while messages are sent: the message in flight is named, not
    lost in silence, the signal's own status kept (143). The pic command has set it so already; a handler can only
    be set in the main thread (elsewhere, SIGTERM keeps its own), and one ignored (nohup's) stays so."""
    import signal
    import threading

    main = threading.current_thread() is threading.main_thread()
    if not (main and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL):
        yield
        return
    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _send_one(server: smtplib.SMTP, m: Message, record: Path, on: dt.date) -> tuple[str, str]:  # noqa: PLR0911
    """Send ``m`` and record it once accepted: ("accepted", ""), ("refused", why), ("refused, connection lost",
    why: the server closed the connection with its refusal, the run stops), ("in flight", why: it may have
    been sent, the run stops) or ("unrecorded", why: sent, not recorded, the run stops). A reason that
    starts with "stopped" is Ctrl-C or SIGTERM."""
    import smtplib

    try:
        rejected = server.send_message(m.email)
    except KeyboardInterrupt as exc:
        return "in flight", f"{stopped_by(exc)} while the server took it"
    except (
        smtplib.SMTPRecipientsRefused,
        smtplib.SMTPSenderRefused,
        smtplib.SMTPDataError,
        smtplib.SMTPNotSupportedError,  # a server without SMTPUTF8 (send checks it first), or without 8BITMIME
    ) as exc:
        try:
            server.rset()
        except (OSError, smtplib.SMTPServerDisconnected):  # it closed the connection with its refusal (a 421)
            return "refused, connection lost", _reason(exc)
        return "refused", _reason(exc)
    except (OSError, smtplib.SMTPServerDisconnected) as exc:  # the connection lost while it took it
        return "in flight", f"the connection failed while the server took it: {_system_words(exc)}"
    if rejected:
        return "refused", "; ".join(f"{k}: {v[0]} {v[1]!r}" for k, v in rejected.items())
    try:
        notices.append(record, *m.entries(on))  # one write: every member it named, or none
    except PicError as exc:
        return "unrecorded", "; ".join(str(p) for p in exc.problems)
    except KeyboardInterrupt as exc:
        return "unrecorded", f"{stopped_by(exc)} while recording it (look for it in the record first)"
    return "accepted", ""


def _hang_up(server: smtplib.SMTP, *, polite: bool) -> None:
    """QUIT after a run that went to its end; else (a stop, a lost connection, a record that failed) only close
    the connection: no reply to wait for. A stop while QUIT waits closes it too."""
    import smtplib

    if polite:
        try:
            server.quit()
            return
        except (smtplib.SMTPException, OSError, KeyboardInterrupt):
            pass
    server.close()


def _reason(exc: smtplib.SMTPException) -> str:
    import smtplib

    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{k}: {code} {_text(msg)}" for k, (code, msg) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return str(exc)


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def as_text(m: Message) -> str:
    """A message as the dry run prints it: its headers as the message is sent, then its text.

    Each header is folded as the email library folds it when smtplib sends the message (its policy, with ``utf8``
    for an address that needs SMTPUTF8, as smtplib's generator takes it): lines of at most 78 characters (RFC 5322
    §2.1.1), but a word longer than a line (a Message-ID at a long domain), each continuation line starting with a
    blank. The encoded words (RFC 2047) in which the message sent writes letters outside ASCII are shown decoded
    line by line, as a mail reader shows them: a line is never longer than sent, and breaks where the message sent
    does (an encoded word split within a word shows that word split, which the reader joins)."""
    from email.policy import EmailPolicy

    # an EmailMessage's own policy (email.policy.default), the one smtplib's generator folds with
    policy = cast(EmailPolicy, m.email.policy).clone(utf8=m.smtputf8, linesep="\n")
    head = "".join(
        _names_quoted("".join(_decoded(line) for line in policy.fold(k, v).splitlines(keepends=True)), v)
        for k, v in m.email.items()
        if k not in ("Content-Type", "Content-Transfer-Encoding")
    )
    body = m.email.get_content()
    return f"{head}\n{body}"


# What RFC 5322 §3.2.3 calls specials: a display name holding one is written quoted, in ASCII (and with utf8); an
# encoded word holds it as one name, which decoded would read as several addresses or a comment (Moreau, Lucie (...))
_SPECIALS = frozenset('()<>[]:;@\\,."')


def _names_quoted(shown: str, value: object) -> str:
    """A header's lines ``shown`` decoded (:func:`_decoded`), each display name of its addresses (``value``, an
    address header) holding a special written quoted, as a mail reader reads it and as the message sent writes it in
    ASCII: the quotes where the name starts and ends, on the lines that show them."""
    for address in getattr(value, "addresses", ()):
        name = address.display_name
        if not name or not _SPECIALS.intersection(name) or name.isascii():
            continue  # written quoted already (ASCII), or needing no quotes
        # (a blank of the name, or a line folded within a word: an encoded word split there, shown split)
        written = r"\s+".join(r"(?:\n[ \t]+)?".join(map(re.escape, word)) for word in name.split())
        found = re.search(rf"(?<![\w\"]){written}(?=\s*<)", shown)
        if found is not None:
            escaped = re.sub(r'(["\\])', r"\\\1", found[0])
            shown = f'{shown[: found.start()]}"{escaped}"{shown[found.end() :]}'
    return shown


def _decoded(line: str) -> str:
    """A header's folded ``line`` with its encoded words (RFC 2047: ``=?utf-8?q?d=C3=A9cembre?=``) decoded, its
    leading blank (a continuation line's) kept."""
    if "=?" not in line:
        return line
    from email.header import decode_header, make_header

    text = line.strip(" \t\n")
    lead = line[: len(line) - len(line.lstrip(" \t"))]
    return f"{lead}{make_header(decode_header(text))}\n"


def run(args: argparse.Namespace, on: dt.date) -> int:
    now = today()
    if not args.dry_run and args.on is not None and args.on != now:
        # A message says what becomes of the site as of `on`, and the record dates it `on`.
        print(
            f"pic notify: error: --on {args.on.isoformat()}: a message tells the member's state today "
            f"({now.isoformat()}), and is recorded as sent today; add --dry-run to see the messages of another day",
            file=sys.stderr,
        )
        return EXIT_USAGE
    record: Path = args.record or args.project / notices.DEFAULT_FILE
    if (why_not := notices.not_a_record(record, args.project, args.members)) is not None:
        said = shown_name(f"--record {display_path(record)} {why_not}")  # a newline of a name: \x0a, on one line
        print(f"pic notify: error: {said}; nothing was sent", file=sys.stderr)
        return EXIT_USAGE
    if (other := of_another_kind(args.record, "--record", "record")) is not None:
        print(f"pic notify: error: {other}; nothing was sent", file=sys.stderr)
        return EXIT_USAGE
    if args.record is not None and not args.new_record and not notices.present(record):
        # A record named that is not there: a mistyped name (notice.yaml) would tell every member again.
        why = (
            "does not exist: a new record there would count no member as told, and every member to contact "
            f"would be written to again (the record is {notices.DEFAULT_FILE} in --project unless --record names "
            "another); give the record's right path, or add --new-record to start a new one there"
        )
        if not args.dry_run:
            raise PicError([Problem(display_path(record), None, "", f"{why}; nothing was sent")])
        print(
            f"{Problem(shown_name(display_path(record)), None, '', why, 'warning')} (the real run would send nothing)",
            file=sys.stderr,
        )
    if args.dry_run:
        return _run(args, on, now, record)
    with notices.locked(record):  # from reading the record to the last line added
        return _run(args, on, now, record)


def _run(args: argparse.Namespace, on: dt.date, now: dt.date, record: Path) -> int:
    settings = load_settings(args.project, args.stack)
    registry = load_registry(args.members, settings)
    stack_file = display_path(args.project / f"Pulumi.{args.stack}.yaml")
    for warning in smtp_warnings(settings, stack_file):
        print(dataclasses.replace(warning, file=shown_name(warning.file)), file=sys.stderr)
    recorded = notices.load(record, [m.slug for m in registry], args.members)
    for problem in notices.dated_after(recorded, now, display_path(record)):
        print(dataclasses.replace(problem, file=shown_name(problem.file)), file=sys.stderr)
    told = notices.told_as_of(recorded, on)  # as pic report --on the same day
    messages, skipped = compose(registry, settings, on, told)
    for s in skipped:
        print(
            f"{s.member}: already told about PHP {s.runtime} on {s.told_on.isoformat()} "
            f"(again after {settings.notify.period_days} days)",
            file=sys.stderr,
        )
    for m in messages:
        for difference in m.differences:
            print(dataclasses.replace(difference, file=shown_name(difference.file)), file=sys.stderr)
    entries = [e for m in messages for e in m.entries(on)]
    if args.dry_run:
        return _dry_run(messages, entries, record, settings, stack_file)
    if not messages:
        print("nothing to send", file=sys.stderr)
        return EXIT_OK
    if settings.smtp is None:
        raise PicError([_no_smtp(stack_file)])
    # Before any connection: a record that cannot be written, a password that cannot be read (PicError).
    notices.check_writable(record, entries)
    password = smtp_password(settings, args.project)
    _check_password(settings, password, stack_file)
    import smtplib

    try:
        result = send(messages, settings.smtp, password, record, on)
    except (OSError, smtplib.SMTPException) as exc:
        said = _connection_failure(exc, settings.smtp)
        print(f"{settings.smtp.host}:{settings.smtp.port}: cannot send: {said}", file=sys.stderr)
        return EXIT_REFUSED
    return _said(result, messages, record, on)


# OpenSSL's source file and line in Python's ssl messages ("[SSL: WRONG_VERSION_NUMBER] wrong version number
# (_ssl.c:1006)"), and its bracketed code: of the library, no help to an admin.
_SSL_NOISE = re.compile(r"\s*\(_ssl\.c:[0-9]+\)|_ssl\.c:[0-9]+:\s*|^\[[A-Z0-9_]+: [A-Z0-9_]+\]\s*")


_WHERE = "check pic:smtp.host and pic:smtp.port"
_SECURITY = (
    "check pic:smtp.security (tls speaks TLS from the start, on port 465; starttls asks for it after the greeting, "
    "on port 587; none only for a relay on this machine or a trusted network) and pic:smtp.port"
)


def _connection_failure(exc: BaseException, spec: SmtpSpec) -> str:
    """How a failure to reach, secure or log in to the mail server ``spec`` is said: in words, with the setting to
    look at; never as Python writes the exception (a tuple of bytes, ``[Errno 111]``, OpenSSL's source line), never
    the password."""
    import smtplib

    if isinstance(exc, smtplib.SMTPException):
        return _smtp_failure(exc)
    if isinstance(exc, OSError):
        return _network_failure(exc, spec)
    return _system_words(exc)


def _smtp_failure(exc: smtplib.SMTPException) -> str:
    """A refusal in SMTP's words (:func:`_connection_failure`): a login refused, an extension the server lacks."""
    import smtplib

    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (
            f"the server refused the login ({exc.smtp_code} {_text(exc.smtp_error)}): check pic:smtp.username and "
            "the password (PIC_SMTP_PASSWORD, else the stack secret pic:smtpPassword)"
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"the server answered {exc.smtp_code} {_text(exc.smtp_error)}"
    if "extension not supported" in str(exc) and "STARTTLS" in str(exc):
        return f"the server does not offer STARTTLS: {_SECURITY}"
    if "extension not supported" in str(exc) and "AUTH" in str(exc):
        return (
            "the server offers no login (AUTH) on this connection: check pic:smtp.security (many servers offer it "
            "only once the connection is secured, starttls or tls), or remove pic:smtp.username for a relay that "
            "takes mail without a login"
        )
    return _system_words(exc)


def _network_failure(exc: OSError, spec: SmtpSpec) -> str:
    """A failure of the network or of TLS (:func:`_connection_failure`), as the system words it."""
    import socket
    import ssl

    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({_system_words(exc)}): {_SECURITY}"
    if isinstance(exc, socket.gaierror):
        return f"the name {spec.host} cannot be looked up ({_system_words(exc)}): {_WHERE}"
    if isinstance(exc, ConnectionRefusedError):
        return f"connection refused: no mail server listens there; {_WHERE}"
    if isinstance(exc, TimeoutError):
        return f"no answer within {_SMTP_TIMEOUT} seconds: {_WHERE}"
    return f"{_system_words(exc)}: {_WHERE}"


def _system_words(exc: BaseException) -> str:
    """``exc`` as the system words it: an OSError's own text without its errno (``Connection reset by peer``),
    an ssl error's without OpenSSL's code and source line (``wrong version number``)."""
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return terminal_safe(_SSL_NOISE.sub("", text).strip(), keep="") or type(exc).__name__


# A pic:smtp line as the stack file takes it (README, "Settings"), its values to be replaced by the admins' own
_SMTP_EXAMPLE = (
    "pic:smtp: {host: smtp.example.org, port: 587, security: starttls, username: pic@example.org, "
    "sender: admin@example.org}"
)


def _no_smtp(stack_file: str) -> Problem:
    """The refusal of a send through a stack (its file named ``stack_file``) that names no mail server."""
    why = (
        "is not set: give the mail server (host, port, security, username) to send through, as a line of its "
        f"config: with your server's values: `{_SMTP_EXAMPLE}`"
    )
    return Problem(stack_file, None, "pic:smtp", why)


def _sending_problems(settings: Settings, stack_file: str) -> list[Problem]:
    """What the real run would refuse before connecting, as far as a dry run can tell without running
    ``pulumi``: no ``pic:smtp``; a username with no password anywhere, or one from the environment the login
    cannot send (:func:`_check_password`; a stack secret is not read)."""
    if settings.smtp is None:
        return [_no_smtp(stack_file)]
    from_env = os.environ.get(SMTP_ENV_VARIABLE)
    try:
        _check_password(settings, from_env or ("not read" if "smtpPassword" in settings.secrets else None), stack_file)
    except PicError as exc:
        return exc.problems
    return []


def _dry_run(
    messages: list[Message], entries: list[notices.Notice], record: Path, settings: Settings, stack_file: str
) -> int:
    """Print the messages, and what the real run would refuse in the record or before connecting (as
    warnings)."""
    for m in messages:
        print(f"--- {_heading(m)} ---")
        print(as_text(m))
    refused: list[Problem] = []
    try:
        if messages:  # with nothing to send, the real run writes nothing either
            refused = notices.writable_problems(record)
            if not refused:
                refused = notices.room_problems(record, notices.check_appendable(record, entries))
    except PicError as exc:
        refused = exc.problems
    refused = [*(_sending_problems(settings, stack_file) if messages else []), *refused]
    for p in refused:  # said now, before the real run refuses it
        print(
            f"{dataclasses.replace(p, severity='warning', file=shown_name(p.file))} (the real run would send nothing)",
            file=sys.stderr,
        )
    for m in messages:
        if m.smtputf8:  # whether the relay offers SMTPUTF8 is known once connected
            print(
                f"{m.members}: {m.sent_to} has letters outside ASCII before the @: the real run sends it only if "
                "pic:smtp's server offers SMTPUTF8 (RFC 6531), and it arrives only if every server after it does too",
                file=sys.stderr,
            )
    told = sum(len(m.concerns) for m in messages)
    print(f"dry run: {len(messages)} message(s) for {told} member(s), nothing sent", file=sys.stderr)
    return EXIT_OK


def _heading(m: Message) -> str:
    """A message's heading in the dry run: ``velo-cite (PHP 8.2, warning)``, or for several members
    ``one message to anne@... for chorale-est (PHP 8.2, warning), judo-est (PHP 7.4, eol)``."""
    named = ", ".join(f"{c.member} (PHP {c.runtime}, {c.state})" for c in m.concerns)
    return named if len(m.concerns) == 1 else f"one message to {m.sent_to} for {named}"


def _said(result: Sent, messages: list[Message], record: Path, on: dt.date) -> int:
    """Say what :func:`send` did; the exit status."""
    for m, reason in result.refused:
        print(f"{m.members}: refused by the server, not recorded: {reason}", file=sys.stderr)
    for m, reason in result.unsent:
        print(f"{m.members}: not sent, not recorded: {reason}", file=sys.stderr)
    sent = [*result.accepted, *([result.unrecorded[0]] if result.unrecorded is not None else [])]
    told, kept = sum(len(m.concerns) for m in sent), sum(len(m.concerns) for m in result.accepted)
    unkept = f" ({told - kept} NOT recorded)" if told != kept else ""
    where = shown_name(display_path(record))
    unsent = f", {len(result.unsent)} not sent" if result.unsent else ""
    print(
        f"sent {len(sent)} message(s) for {told} member(s), {kept} member(s) recorded in {where}{unkept}; "
        f"{len(result.refused)} refused{unsent}"
    )
    stopped = result.unrecorded or result.in_flight
    if stopped is None:
        if result.lost:
            left = len(messages) - len(result.accepted) - len(result.refused) - len(result.unsent)
            print(
                f"the server closed the connection after refusing the message for {result.refused[-1][0].members}: "
                f"stopped: {left} message(s) not sent (run again later)",
                file=sys.stderr,
            )
        return EXIT_REFUSED if result.refused or result.unsent else EXIT_OK
    m, reason = stopped
    entry = "".join(f"  {n.as_yaml()}" for n in m.entries(on))
    these = "this entry" if len(m.concerns) == 1 else "these entries"
    left = len(messages) - len(result.accepted) - len(result.refused) - len(result.unsent) - 1
    if result.unrecorded is not None:  # sent, and the record failed to keep it
        what = f"sent to {m.sent_to}, not recorded: {reason}\nadd {these}"
        why = "" if result.signalled else " (they could not be recorded either)"
    else:  # the server was taking it
        what = f"{reason} (to {m.sent_to}): it may have been sent, and it is not recorded; if it arrived, add {these}"
        why = ""
    print(
        f"{m.members}: {what} under `sent:` in {where} by hand, or the next run sends it again:\n"
        f"{entry}stopped: {left} message(s) not sent{why}",
        file=sys.stderr,
    )
    if result.signalled:
        return result.signalled
    return EXIT_INVALID if result.unrecorded is not None else EXIT_REFUSED

"""``pic lists audit FILE...``: dead, misspelled and malformed addresses in subscriber exports.

Reads Sympa's exports (the ``subscribers`` dump: ``email ADDRESS`` paragraphs;
the web interface's dump: ``ADDRESS [name]`` per line; CSV with a column of
addresses, :func:`_is_email_header`, or found by its rows when no header row names
it, said once as a warning) and plain one-address-per-line files, in UTF-8. Flags,
each with a suggested fix (an address written ``mailto:x@y`` or ``Name <x@y>``: ``x@y``):
- addresses at domains that never existed, closed, or are misspelled
  (``pic/data/mail_domains.yaml``, which admins extend, and ``--domains FILE``);
- misspellings of the large mailbox providers (``pic/data/mail_providers.yaml``):
  a domain one or two slips (Damerau-Levenshtein distance, optimal string
  alignment) from a provider's, or a provider's name under a top-level domain
  that does not exist (``gmail.con``), with the provider suggested;
- top-level domains that do not exist, and domains that are a public suffix under which anyone registers
  names (``co.uk``, ``com.au``, ``asso.fr``: a part of the domain is missing) (Public Suffix List,
  ``publicsuffixlist``);
- malformed addresses, and those Sympa does not take for their letters outside ASCII: before the @ (an
  internationalised address, RFC 6531), or in the domain (suggested in punycode, IDNA A-labels), but a domain
  that is a look-alike of another (a label mixing scripts, or one of another script whose every letter looks
  Latin: UTS #39), whose subscriber is to be asked;
- lines that read as a secret (a password pasted beside an address, in a name or a comment; an address and its
  password as credential dumps write them, ``address:password``; a password hash, ``$2y$...``, ``{SSHA}...``; a value
  in a column or a custom attribute named as a password), whatever else they hold, named by their file and line and
  never shown;
- optionally (``--mx``) domains that have no mail exchanger, when the network allows.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

import yaml

from pic.errors import (
    HIDDEN_LINE,
    HIDDEN_VALUE,
    PicError,
    Problem,
    Unreachable,
    osa_distance,
    reads_as_secret,
    show_value,
    shown_name,
    shown_unless_secret,
)
from pic.lazyre import compile_cached
from pic.secrettext import ACCESS_CODE_ACCESS, ACCESS_CODE_CODES, ACCESS_CODE_FILLERS, ACCESS_CODE_JOINED
from pic.settings import display_path
from pic.unanswered import Unanswered, bad_name, failure, said
from pic.validators import (
    is_common_email,
    is_open_suffix,
    latin_look_alike,
    latin_skeleton,
    more_than_a_name,
    public_suffix_list,
    single_script,
    u_labels,
)
from pic.yamlsrc import Document, parse_yaml, read_regular_file, read_yaml, shown_loc

if TYPE_CHECKING:
    import dns.resolver

DATA = "mail_domains.yaml"
PROVIDERS = "mail_providers.yaml"
# Top-level domains most addresses use: the suggestion for an unknown one within one slip (".con" -> ".com").
COMMON_TLDS = ("com", "fr", "org", "net", "eu", "be", "ch", "ca", "de", "uk", "info", "io", "me")
Status = Literal["typo", "closed", "never"]
_STATUSES = ("typo", "closed", "never")
_DOMAIN_KEYS = frozenset(["status", "suggest", "note"])
# A domain as the data files write it: dot-separated labels, no space, no "@", at most 253 characters.
_DOMAIN = compile_cached(r"(?=.{1,253}\Z)[^\s@.]+(?:\.[^\s@.]+)+", re.DOTALL)
# Subscriber exports: a list of 50,000 addresses is about 2.5 MB; 32 MiB bounds what a run reads
# and holds in memory (a few hundred MB at most), and the time a run takes (about a minute).
MAX_EXPORT_BYTES = 32 * 1024 * 1024
# An address has at most 254 characters (RFC 5321 §4.5.3.1); checking one costs time in its length
# (0.4 s a megabyte), so a much longer one is flagged without being checked or repaired.
_LONGEST_CHECKED = 1000
_SHOWN_CHARS = 100  # of an address in a flag

_PROBLEMS_SHOWN = 5  # lines of one export that cannot be read


@dataclass(frozen=True)
class DeadDomain:
    status: Status
    suggest: str | None
    note: str


@dataclass(frozen=True)
class Entry:
    file: str
    line: int
    address: str
    problem: str | None = None  # what is wrong with the line besides its address (a dump's paragraph)
    suggestion: str | None = None  # the line's address as meant, when its problem tells it (a CSV row split)
    # the lines of its file, to read its line and the one above it before showing the address (Flag.hidden)
    lines: Sequence[str] = field(default=(), compare=False, repr=False)


# The suggestion for an address at a domain that is closed or never had mailboxes: none of the address in it.
ASK_ANOTHER = "remove it, or ask the subscriber for a new address"


@dataclass(frozen=True)
class Flag:
    entry: Entry
    problem: str
    suggestion: str | None
    # the entry's domain could not be looked up (--mx, :func:`mx_flags`): not known to be wrong, not checked either
    unchecked: bool = False

    @property
    def hidden(self) -> bool:
        """Whether the entry's address is not to be shown: it reads as a secret as ``pic check`` reads one, by
        itself or in the letters it stands for (NFKC: full-width ``ｍｄｐ``), in its line (another cell of a CSV
        row), or after the line above (a label ending it, the password alone on this one) unless that line alone
        is the secret (pic.errors.reads_as_secret); or the problem or the suggestion, which may quote it mended,
        does; or one of them holds its line's value under a column named as a password (:func:`password_values`); or
        its line, the one above or the address holds more words of a label than are read (:data:`MOST_LABELS_READ`)."""
        entry = self.entry
        line = entry.lines[entry.line - 1] if 0 < entry.line <= len(entry.lines) else None
        cells = _headerless(entry.lines)
        if not entry.address:  # a line without one: a row whose cell is empty, a line holding a secret
            return line is not None and _holds_secret(line, cells=cells)
        above = entry.lines[entry.line - 2] if 1 < entry.line <= len(entry.lines) else ""
        if any(_unread(text) for text in (entry.address, line or "", above)):  # not read: it may hold one
            return True
        if _shaped_cell(entry.address, line, cells=cells) or (line is not None and _shaped_secret(line, cells=cells)):
            return True
        folded = unicodedata.normalize("NFKC", entry.address)
        shown = [entry.address, *([folded] if folded != entry.address else []), self.suggestion or ""]
        # a value under a column named as a password, whatever its shape, in what is shown (a line read whole)
        if any(value in text for value in password_values(entry.lines, entry.line) for text in (*shown, self.problem)):
            return True
        return reads_as_secret([*shown, self.problem], line, above) or _secret_in_words(shown, line, above)

    def __str__(self) -> str:
        """The flag's line: file, line, address, what is wrong, the suggestion. An address that is not to be shown
        (:attr:`hidden`) is said to be so, the problem without the address's words
        (pic.secrettext.redacted) and a suggestion made of the address left out. An address shown is shown without what
        stands around it that may be a secret (:func:`around_address`: ``x@example.org:[9 characters not shown]``),
        the problem and the suggestion quoting none of it, and the password to change said (:data:`AROUND_TO_CLEAR`)."""
        where = f"{self.entry.file}:{self.entry.line}"
        if self.hidden:
            from pic.secrettext import redacted

            fix = f"; suggested: {self.suggestion}" if self.suggestion in (ASK_ANOTHER, DUPLICATE_TO_REMOVE) else ""
            if self.suggestion and not fix:
                fix = "; suggested: not shown either"
            return f"{where} {HIDDEN_LINE}: {redacted(self.problem, self.entry.address)}{fix}"
        fix = f"; suggested: {_shortened(self.suggestion)}" if self.suggestion else ""
        if not self.entry.address:
            return f"{where} (no address): {self.problem}{fix}"
        entry = self.entry
        line = entry.lines[entry.line - 1] if 0 < entry.line <= len(entry.lines) else None
        shown, masked = around_address(entry.address, line)
        if not masked:
            return f"{where} {_shortened(entry.address)}: {self.problem}{fix}"
        from pic.secrettext import redacted

        # the problem (email_validator's words, a mended address's flag) and the suggestion may quote what is masked
        problem = redacted(self.problem, masked)
        if _quotes_any(problem, masked):
            problem = "malformed address (the reason quotes what is not shown)"
        if self.suggestion and _quotes_any(self.suggestion, masked):
            fix = "; suggested: not shown either"
        return f"{where} {_shortened(shown)}: {problem}; {AROUND_TO_CLEAR}{fix}"


# What a flag whose address is shown with what stands around it masked (:func:`around_address`) is told besides.
AROUND_TO_CLEAR = (
    "what is not shown of it may be a password: remove it from the export, and change that password wherever it is used"
)
# What parts an address from the text around it: a space, a separator of cells or fields, quotes, brackets.
_AROUND_ADDRESS = "\t\n\r\f\v :|,;<>\"'()[]"
_LOCAL_RUN = compile_cached(r"[^\s:|,;<>\"'()\[\]]*\Z")
# An address's domain as written, with its slips (a doubled @, doubled dots, full-width or ideographic full stops,
# combining accents): up to a separator or a sign of ASCII (a password's: ``!``, ``#``, ``$``...; ``/``, a path's).
_DOMAIN_RUN = compile_cached(r"[^\s:|,;<>\"'()\[\]!#$%&*+/=?^`{}~\\]*")
_LONGEST_LOCAL_READ = 300  # characters before the @ read back for its local part (64 at most, RFC 5321 §4.5.3.1)
_CELL_END = compile_cached(r"[,;|\t]|[^\S\n]#")
_ADDRESS_WORD = compile_cached(r"[^\s@]+@[\w-]+(?:\.[\w-]+)+")
_MAILTO_BEFORE = compile_cached(r"(?:mailto:)?[\s<]*\Z", re.IGNORECASE)


def _glued_end(text: str, start: int, end: int) -> int:
    """Where the domain written ``text[start:end]`` ends: before its last word when two dots or an underscore stand
    before it (no label of a domain holds either, RFC 1035 §2.3.1) and it is shaped as a password
    (:func:`password_word`: ``free.fr..Azerty32x``, ``free.fr_Azerty34x``, a password glued to the address);
    ``end`` otherwise. Linear in the domain's length."""
    word = end
    while word > start and text[word - 1] not in "._":
        word -= 1
    apart = word
    while apart > start and text[apart - 1] in "._":
        apart -= 1
    seps = text[apart:word]
    if word < end and apart > start and ("_" in seps or ".." in seps) and password_word(text[word:end]):
        return apart
    return end


# A slash or a tilde (a path's start), or a backslash, and one word after it: no path when it is shaped as a password.
_SLASHED_WORD = compile_cached(r"[/~\\]\s*(\S+)")


def password_word(word: str) -> bool:
    """Whether ``word`` (one word, no space) is shaped as a password: 4 characters or more, a letter and a digit or
    a sign (``Lilas01``, ``Azerty-123``, ``Velo#Lyon``), no slash (a path's). A name (``Jean-Pierre``, ``O'Brien``,
    ``Zoé``, ``J.``) has no digit and no sign but a hyphen, an apostrophe or a dot."""
    return (
        len(word) >= 4
        and "/" not in word
        and not any(ch.isspace() for ch in word)
        and any(ch.isalpha() for ch in word)
        and any(ch.isdigit() or not (ch.isalnum() or ch in "-'’.") for ch in word)
    )


def _path(value: str) -> bool:
    """Whether ``value`` is a port, a path, a date, a time, a UUID or a language (:data:`_NOT_COMBO`), but a slash or a
    tilde before one word shaped as a password and no further slash (``/Azerty15x``, ``~Lilas03``: no path)."""
    if _NOT_COMBO.fullmatch(value) is None:
        return False
    slashed = _SLASHED_WORD.fullmatch(value)
    return slashed is None or not password_word(slashed.group(1))


def around_address(text: str, line: str | None = None) -> tuple[str, list[str]]:
    """``text`` (an address as a flag shows it: a cell, a line's first word, a line) with what stands before or after
    its address (its local part, the @ and its domain as written, slips included: ``jean@@example.org``,
    ``jean@example``) that may be a secret written ``[N characters not shown]`` (a text without an @ whole, when it
    holds such a word: ``Azerty123``), and the texts so written; ``text``
    whole and none when nothing is. ``line``: the line ``text`` comes from, whose words after it (to the next cell) are
    read with it (``cat@example.org:Azerty 123``, its first word ``cat@example.org:Azerty``).

    Not masked, as no secret: before the address, ``mailto:``, angle brackets and a name of letters (``Zoé Martin
    <zoe@example.org>``); after it, separators, quotes, brackets and dots alone, a link's query after ``mailto:``,
    words of letters alone (``anne@gmail,com``, ``jean@example.org:Marie Dupont``), a port, a path (not a slash or a
    tilde before one word shaped as a password, ``/Lilas03``: :func:`_path`), a date, a time or a UUID
    (:data:`_NOT_COMBO`), other addresses, a number, and in an export's row of more cells a member's reference
    (``x@y.org|ADH-2024-017|Marie Dupont``): :func:`_harmless_after`. Anything else (``p@ss``, ``Azerty123``,
    ``Azerty 123``, ``Velo2024x`` among other cells) may be a password, and so may a word glued to the domain after
    two dots or an underscore (``x@free.fr..Azerty32x``: :func:`_glued_end`). Linear in ``text``'s length."""
    at = text.find("@")
    if at < 0:  # no address: a line holding a word that may be a secret is shown none of it
        cells = [cell for part in re.split(r"[|,;\t]", text) if (cell := part.strip(_AROUND_ADDRESS))]
        if all(_harmless_value(cell, row=False) or not _has_password_word(cell) for cell in cells):
            return text, []
        return f"[{len(text)} characters not shown]", [text]
    back = max(0, at - _LONGEST_LOCAL_READ)
    local = cast(re.Match[str], _LOCAL_RUN.search(text, back, at))
    start = local.start() if local.start() > back or back == 0 else at  # a local part too long: all of it before
    end = cast(re.Match[str], _DOMAIN_RUN.match(text, at + 1)).end()
    end = _glued_end(text, at + 1, end)  # jean@free.fr..Azerty32x, jean@free.fr_Azerty34x
    before, after = text[:start], text[end:]
    masked: list[str] = []
    shown_before = before
    if before and not _harmless_before(before):
        kept = len(before) - len(before.rstrip(_AROUND_ADDRESS))
        hidden = before[: len(before) - kept]
        masked.append(hidden)
        shown_before = f"[{len(hidden)} characters not shown]{before[len(hidden) :]}"
    rest = ""
    if line is not None and (found := line.find(text)) >= 0:
        rest = line[found + len(text) :]
        cut = _CELL_END.search(rest)
        rest = rest[: cut.start()] if cut is not None else rest
    shown_after = after
    if after and not _harmless_after(
        after, rest, _MAILTO_BEFORE.search(before) is not None and "mailto" in before.lower()
    ):
        lead = len(after) - len(after.lstrip(_AROUND_ADDRESS))
        masked.append(after[lead:])
        shown_after = f"{after[:lead]}[{len(after) - lead} characters not shown]"
    if not masked:
        return text, []
    return f"{shown_before}{text[start:end]}{shown_after}", masked


def _harmless_before(before: str) -> bool:
    """Whether ``before``, before an address, is no secret: ``mailto:``, brackets, quotes, a name of words none of
    which has a password's shape (:func:`_has_password_word`: ``Marie & Paul``, ``Jean Dupont (2024)``)."""
    name = before.rstrip(_AROUND_ADDRESS)
    if name.lower().endswith("mailto"):
        name = name[: -len("mailto")].rstrip(_AROUND_ADDRESS)
    return not _has_password_word(name)


# A word's own joiners (jean-pierre, jean_dupont, o'brien, j.dupont): no password's sign.
_JOINERS = "-_.'’"


def _has_password_word(text: str) -> bool:
    """Whether a word of ``text`` (apart by white space, brackets, quotes, ``,`` ``;`` ``:`` ``|``) has a password's
    shape: 4 characters or more, a letter, and a digit or a sign other than a word's joiners (``Velo2024x``,
    ``p@ss``, ``S3cr3t!``; not ``-``, ``?``, ``&``, ``(2024)``, ``jean_dupont``, ``25€``)."""
    for word in re.split(r"[\s<>\"'()\[\]{},;:|]+", text):
        if len(word) < 4 or not any(ch.isalpha() for ch in word):
            continue
        if any(ch.isdigit() or not (ch.isalnum() or ch in _JOINERS) for ch in word):
            return True
    return False


def _harmless_after(after: str, rest: str, mailto: bool) -> bool:
    """Whether ``after`` an address (and ``rest``, the words of its line after it, to the next cell) is no secret
    (:func:`around_address`): each of its cells (apart by ``|``, ``,``, ``;`` or a tab) no secret
    (:func:`_harmless_value`)."""
    value = after + rest
    comment = _COMMENT.search(value)
    if comment is not None and _password_comment(value[comment.end() :]):
        return False
    value = (value[: comment.start()] if comment is not None else value).strip(_AROUND_ADDRESS + ".")
    if not value or (mailto and after.startswith("?")):
        return True
    cells = [cell for part in re.split(r"[|,;\t]", value) if (cell := part.strip(_AROUND_ADDRESS))]
    return all(_harmless_value(cell, row=len(cells) > 1) for cell in cells)


# A number (a phone's, a postcode: 06 12 34 56 78, +33 6 12 34 56 78, 75001), and a reference of a row's cell (a
# member's number: ADH-2024-017, M_2024), its letters before its digits, apart by a hyphen, an underscore or a slash.
_NUMBER = compile_cached(r"[+(]?[0-9][0-9 .()/-]*")
_REFERENCE = compile_cached(r"[^\W\d_]{1,8}(?:[-_/][0-9]+)+")
# A member's reference in capitals, its groups apart by a hyphen, an underscore or a slash, ending in digits
# (SAM-ASSO-75, ADH-2024-017): after an address and a space, the web dump's name, no password.
_CAPITALS_REFERENCE = compile_cached(r"[A-Z]{1,8}(?:[-_/][A-Z0-9]+)*[-_/][0-9]+")


def _harmless_value(value: str, *, row: bool) -> bool:
    """Whether ``value``, a cell after an address, is no secret: words of letters alone, a port, a path, a date, a
    time, a UUID, an address literal (:data:`_NOT_COMBO`), addresses, a number; and, among other cells (``row``: an
    export's row), a reference (``ADH-2024-017``)."""
    words = [word for word in re.split(r"[\s:<>\"'()\[\]]+", value) if word]
    return (
        all(_NAME_WORD.fullmatch(word) for word in words)
        or _path(value)
        or _ADDRESS_LITERAL.fullmatch(f"[{value}]") is not None  # an address literal, its brackets stripped around it
        or all(_ADDRESS_WORD.fullmatch(word) for word in words)
        or _NUMBER.fullmatch(value) is not None
        or (row and _REFERENCE.fullmatch(value) is not None)
    )


def _quotes_any(text: str, parts: Sequence[str]) -> bool:
    """Whether ``text`` holds one of ``parts`` or one of their words of 3 characters or more, in any letter case or
    in its compatibility form (NFKC)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return any(
        word in folded
        for part in parts
        for word in (
            unicodedata.normalize("NFKC", part).casefold(),
            *unicodedata.normalize("NFKC", part).casefold().split(),
        )
        if len(word) >= 3
    )


# What parts the cells of a row and the two halves of an address: a label and its value read apart by them.
_CELL_APART = compile_cached(r"[,;\t@]")


def as_words(text: str) -> str:
    """``text`` with its cells (``,``, ``;``, a tab) and an address's halves (``@``) as words apart, their quotes
    dropped: a label and its value in cells of their own (``jean@example.org,Jean,mdp,Azerty123``) or glued to a
    domain (``mdp Azerty123@gmail.com``) read as ``mdp Azerty123``, as a secret reads in prose."""
    return " ".join(word for part in _CELL_APART.split(text) if (word := part.strip().strip('"').strip()))


def _secret_in_words(values: Sequence[str], line: str | None, above: str) -> bool:
    """Whether ``values``, their ``line`` or it after the line ``above`` read as a secret once their cells and an
    address's halves are words apart (:func:`as_words`), or a cell before a cell that is only a label, read after it
    (``Azerty123;mdp`` as ``mdp : Azerty123``: :func:`values_before_labels`, read as prose: a name or an address
    before a label is none); pic.errors.reads_as_secret reads each text whole."""
    if reads_as_secret([as_words(v) for v in values if v], None if line is None else as_words(line), as_words(above)):
        return True
    from pic.secrettext import prose_secret

    return any(prose_secret(pair) for text in (*values, line or "") for pair in values_before_labels(text))


_CELL = compile_cached(r"[,;\t]")


def values_before_labels(text: str) -> list[str]:
    """Each cell of ``text`` (a row: cells apart by ``,``, ``;`` or a tab, their quotes dropped) followed by a cell
    that is only a secret's label (pic.secrettext.label_alone: ``mdp``, ``Mot de passe``, ``password``), written as
    the label, ``:`` and the cell: ``Azerty123;mdp`` is ``mdp : Azerty123``. An export may give a value's column
    before its name's."""
    from pic.secrettext import label_alone

    cells = [cell.strip().strip('"').strip() for cell in _CELL.split(text)]
    return [f"{label} : {value}" for value, label in itertools.pairwise(cells) if value and label_alone(label)]


def _shortened(text: str) -> str:
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."


def _domains_of(
    doc: Document | None, problems: list[Problem], file: str, known: Mapping[str, DeadDomain] | None = None
) -> dict[str, DeadDomain]:
    """domain -> what is wrong with it, from a parsed data file (:func:`pic.yamlsrc.parse_yaml`).

    ``doc``: None when the file could not be parsed, ``problems`` then says why. Raises PicError
    naming the file, the line, the field and the value of each entry that is not
    ``DOMAIN: {status: typo|closed|never, suggest: DOMAIN, note: TEXT}``, of a domain given twice
    (in any case) and of a ``suggest`` that is the domain itself; given the domains ``known`` (an admin's file,
    read after the shipped one), of a ``suggest`` the audit would flag (:func:`_suggest_flagged`).
    """
    if doc is None:
        raise PicError(problems)
    if not isinstance(doc.data, dict):
        raise PicError([Problem(file, doc.line_of(()), "", "is not a mapping of domain to {status, suggest, note}")])
    out: dict[str, DeadDomain] = {}
    first_line: dict[str, tuple[str, int | None]] = {}  # lowercased domain -> as written first, its line
    for domain, spec in doc.data.items():
        where = doc.line_of((domain,))
        if (why := _not_a_domain(domain)) is not None:
            why = why or "is not a domain name (such as gmail.fr)"
            problems.append(Problem(file, where, shown_loc((domain,)), why))
            continue
        # Domains are compared in lowercase and in Unicode: "FOO.fr" after "foo.fr", or "xn--caf-dma.fr" after
        # "café.fr", would replace its entry unseen.
        key = domain_key(domain)
        if key in first_line:
            written, line = first_line[key]
            problems.append(
                Problem(
                    file,
                    where,
                    shown_loc((domain,)),
                    f"is the domain {shown_unless_secret(written)} of line {line} again (domains are compared in "
                    "lowercase, punycode read in Unicode; only one entry would be kept): give it once",
                )
            )
            continue
        first_line[key] = (domain, where)
        found = _entry_problems(doc, file, domain, spec)
        if not found and known is not None and isinstance(spec, dict) and isinstance(spec.get("suggest"), str):
            loc = (domain, "suggest")
            flagged = _suggest_flagged(spec["suggest"], known)
            if flagged is not None:
                found = [
                    Problem(file, doc.line_of(loc), shown_loc(loc), f"{doc.shown(loc, spec['suggest'])} {flagged}")
                ]
        problems += found
        if not found and isinstance(spec, dict):
            suggest = spec.get("suggest")
            out[key] = DeadDomain(
                cast(Status, spec.get("status")), str(suggest).lower() if suggest else None, spec.get("note") or ""
            )
    if problems:
        raise PicError(problems)
    return out


def _entry_problems(doc: Document, file: str, domain: str, spec: object) -> list[Problem]:
    """What is wrong with one entry ``DOMAIN: {status, suggest, note}`` of a data file."""

    def problem(loc: tuple[str, ...], why: str) -> Problem:
        return Problem(file, doc.line_of(loc), shown_loc(loc), why)

    statuses = ", ".join(_STATUSES)
    if spec is None:  # `orange.fr:` with nothing under it
        why = f"is empty (null): give {{status, suggest, note}} (status is required: {statuses})"
        return [problem((domain,), why)]
    if not isinstance(spec, dict):
        return [problem((domain,), f"{doc.shown((domain,), spec)} is not a mapping {{status, suggest, note}}")]
    problems = [
        problem((domain, key), "is not a key of a domain (allowed: status, suggest, note)")
        for key in sorted(set(spec) - _DOMAIN_KEYS)
    ]
    status, suggest, note = spec.get("status"), spec.get("suggest"), spec.get("note")
    if "status" not in spec:
        problems.append(problem((domain, "status"), f"is required but missing (known: {statuses})"))
    elif status is None:
        problems.append(problem((domain, "status"), f"is empty (null): give one of {statuses} (the key is required)"))
    elif status not in _STATUSES:
        loc = (domain, "status")
        problems.append(problem(loc, f"{doc.shown(loc, status)} is not a status (known: {statuses})"))
    # A key written without a value is never taken as absent: the admin wrote it for something.
    for key, wanted in (("suggest", "the domain meant (such as gmail.com)"), ("note", "the words for the list owner")):
        if key in spec and spec[key] is None:
            problems.append(problem((domain, key), f"is empty (null): give {wanted}, or remove the key"))
    if suggest is not None and (wrong := _not_a_domain(suggest) if isinstance(suggest, str) else "") is not None:
        loc = (domain, "suggest")
        wrong = wrong or "is not a domain name (such as gmail.com)"
        problems.append(problem(loc, f"{doc.shown(loc, suggest)} {wrong}"))
    elif isinstance(suggest, str) and domain_key(suggest) == domain_key(domain):
        loc = (domain, "suggest")
        why = "is the domain itself: suggest the domain meant instead, or none"
        problems.append(problem(loc, f"{doc.shown(loc, suggest)} {why}"))
    if note is not None and not isinstance(note, str):
        loc = (domain, "note")
        problems.append(problem(loc, f"{doc.shown(loc, note)} is not text (quote it)"))
    elif isinstance(note, str) and not note.strip():  # shown as blanks beside each address, or taken as none
        problems.append(problem((domain, "note"), "is blank: give the words for the list owner, or remove the key"))
    elif isinstance(note, str) and reads_as_secret(note):  # shown to the list owners beside each address
        loc = (domain, "note")
        why = (
            "reads as a password or another secret: a note is shown beside each address at the domain, to whoever "
            "reads the audit; give words for the list owners, and change that password wherever it is used"
        )
        problems.append(problem(loc, f"{doc.shown(loc, note)} {why}"))
    return problems


def _not_a_domain(name: str) -> str | None:
    """None when ``name``, a domain of a data file (an entry or a ``suggest``), is one an address can be at; else
    what is written with the name (a wildcard, a URL, a port, a path: :func:`pic.validators.more_than_a_name`,
    the name to give alone told), or "" for another form no domain has (a sign in a label: ``orange!.fr``), which
    the caller words. Labels are read as addresses are compared (:func:`domain_key`): letters and digits of any
    script, inner hyphens."""
    if _DOMAIN.fullmatch(name) is None:
        return ""
    more = more_than_a_name(name)
    if more is not None:
        return more
    labels = domain_key(name).split(".")
    return "" if any(_NO_LABEL.search(label) or label.strip("-") != label for label in labels) else None


# What no label of a domain holds: ASCII's signs but the hyphen (letters and digits of every script, and their
# marks, are IDNA's; the signs of other scripts are left to IDNA, as an address's domain is)
_NO_LABEL = compile_cached(r"[!-,/:-@\[-`{-~]")


def _suggest_flagged(suggest: str, known: Mapping[str, DeadDomain]) -> str | None:
    """Why the audit would flag an address at ``suggest``, a domain an admin's file suggests (a public suffix,
    ``co.uk``; in Unicode, ``café.fr``, which Sympa takes in punycode only; an unknown top-level domain; one of
    ``known``'s): every address suggested with it would be flagged in turn. None when it would pass."""
    flag = _address_flag(Entry("", 0, f"postmaster@{suggest}"), known, load_providers())
    if flag is None:
        return None
    meant = (flag.suggestion or "").removeprefix("postmaster@")
    offer = f": suggest {meant}" if meant and "@" not in meant and _suggest_flagged(meant, known) is None else ""
    return f"would be flagged by the audit itself ({flag.problem}){offer or ': suggest the domain meant'}"


def load_domains(extra: Sequence[Path] = (), notes: list[Problem] | None = None) -> dict[str, DeadDomain]:
    """The shipped data file, then each admin file (later entries override earlier ones).

    An admin file is read as a member file is (:func:`pic.yamlsrc.read_yaml`: a regular file,
    or a symbolic link to one, of at most 256 KiB, UTF-8; no aliases, merge keys, tags or
    duplicate keys). Raises PicError naming the file, the line, the field and the value.
    """
    file = f"pic/data/{DATA}"
    text = resources.files("pic.data").joinpath(DATA).read_text(encoding="utf-8")
    domains = _domains_of(*parse_yaml(text, file, _DOMAIN_KEYS), file)
    for path in extra:
        file = shown_name(display_path(path))
        try:
            doc, problems = read_yaml(path, file, _DOMAIN_KEYS, follow_links=True, then="give it as --domains")
            if doc is not None and not problems and doc.data in (None, {}):  # a file just started, or the wrong one
                if notes is not None:
                    notes.append(Problem(file, None, "", NO_DOMAIN, "warning"))
                continue
            domains.update(_domains_of(doc, problems, file, domains))
        except PicError:
            data, _ = read_regular_file(path, display_path(path), follow_links=True)
            if data is None:
                raise
            from pic.filekinds import other_kind

            if (other := other_kind(data, path.name, "domains")) is not None:  # one of the project's files
                raise PicError([Problem(file, None, "", other)]) from None
            raise  # saved in Latin-1 or CP1252: the line of iconv that converts it among them (read_yaml's)
    return domains


# A line of Sympa's dump (`sympa dump`, Sympa::List::dump_users; read back by restore_users): "KEY VALUE",
# a field of the subscriber table in lower case (email, gecos, date, update_date, reception, visibility,
# bounce, bounce_address, topics, custom_attribute, subscribed, included, ...), or "KEY" alone when the
# value is empty; "email ADDRESS" among them (a quoted local part may hold spaces: "jean dupont"@example.org).
# One paragraph per subscriber, paragraphs apart by a blank line.
_DUMP_LINE = compile_cached(r"\s*([a-z][a-z0-9_]*)(?:\s+(\S(?:.*\S)?))?\s*")  # greedy: linear in the line
# The address that starts a line of the web dump ("ADDRESS gecos..."): a quoted local part may hold spaces.
_LEADING_ADDRESS = compile_cached(r'(?:"[^"]*"|[^\s"])+')
_LINE_BREAK = compile_cached(r"\r\n|[\r\n]")  # as editors and the csv module count lines


# What a --domains file holding no domain is told, as an export holding no address is (a warning): the shipped
# domains are audited all the same
NO_DOMAIN = (
    "holds no domain (it is empty, or holds comments alone): nothing is added to the shipped domains "
    f"(pic/data/{DATA}); is it the file meant?"
)
# What an export holding no address is told: a failed export, more often than a list without subscribers.
NO_ADDRESS = (
    "holds no address (it is empty, or holds a header row or comments alone): a failed export is likelier than a list "
    "without subscribers: export it again"
)


def read_export(
    path: Path, notes: list[Problem] | None = None, empty: list[tuple[str, Sequence[str]]] | None = None
) -> list[Entry]:
    """The addresses of one export file, with their line numbers.

    An export holding none (empty, a header row or comments alone: likelier a failed export than a list without
    subscribers) is said in ``notes`` (a warning naming the file, :data:`NO_ADDRESS`), its name and lines added to
    ``empty``, to read them for secrets all the same (:func:`audit`).

    The file is a regular file (or a symbolic link to one) of at most :data:`MAX_EXPORT_BYTES`,
    in UTF-8 (a byte-order mark at the start is skipped). Raises PicError naming the file, and
    the line and column, when it cannot be read, is longer, is not UTF-8 or holds NUL bytes.

    A CSV whose first line names no column of addresses (no header row, or a header naming it otherwise:
    ``Adresse``) is read as CSV all the same when its rows hold addresses in one column
    (:func:`_column_of_addresses`), and said once in ``notes`` (a warning), rather than each row flagged
    as malformed.
    """
    file = shown_name(display_path(path))
    data, problems = read_regular_file(path, file, MAX_EXPORT_BYTES, follow_links=True)
    if data is None:
        raise PicError(problems)
    from pic.filekinds import other_kind

    if (other := other_kind(data, path.name, "export")) is not None:  # each of its lines a malformed address
        raise PicError([Problem(file, None, "", other)])
    lines = _text_lines(data, file)
    with _long_fields():  # a header's cell longer than 131,072 characters made it no header
        entries = _entries(file, lines, notes)
    if not entries:
        if notes is not None:
            notes.append(Problem(file, None, "", NO_ADDRESS, "warning"))
        if empty is not None:
            empty.append((file, lines))
    return entries


def _entries(file: str, lines: list[str], notes: list[Problem] | None) -> list[Entry]:
    """The addresses of the export ``file`` of ``lines`` (:func:`read_export`)."""
    dump = _sympa_dump(file, lines)
    if dump is not None:
        return dump
    header = next((i for i, line in enumerate(lines) if line.strip() and not line.startswith("#")), None)
    separator = header if header is not None and _excel_separator(lines[header]) else None
    if separator is not None:  # Excel's line naming the delimiter: the header is the next one
        header = next((i for i in range(separator + 1, len(lines)) if _content(lines[i])), None)
    delimiter = _csv_delimiter(lines[header], lines[header + 1 :]) if header is not None else None
    if header is not None and delimiter is not None:
        return _read_csv(file, lines, header, delimiter)
    found = _headerless_csv(file, lines, header) if header is not None else None
    if found is not None:
        delimiter, column, names, note = found
        if notes is not None:
            notes.append(note)
        return _read_csv(file, lines, cast(int, header), delimiter, (column, names))
    out = []
    for n, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or n - 1 == separator:
            continue
        if _excel_separator(stripped):
            out.append(Entry(file, n, "", separator_again(stripped), lines=lines))
            continue
        # Sympa's web dump: "address gecos..."; a plain list: the address alone.
        addresses = [_leading_address(piece) for piece in _OTHER_BREAK.split(stripped) if piece.strip()]
        addresses = [address for address in addresses if "@" in address]
        if len(addresses) > 1:  # a line break no editor ends a line at (U+2028) between addresses
            problem = _addresses_apart(len(addresses), cast(re.Match[str], _OTHER_BREAK.search(stripped)).group()[0])
            out += [Entry(file, n, a, None if i else problem, lines=lines) for i, a in enumerate(addresses)]
            continue
        first = _leading_address(stripped)
        out.append(Entry(file, n, first if "@" in first else stripped, lines=lines))
    return out


def _leading_address(text: str) -> str:
    """The first word of ``text`` (stripped, not empty), an address when it holds an ``@``: a quoted local part may hold
    spaces."""
    text = text.strip()
    match = _LEADING_ADDRESS.match(text)  # none when the line starts with a quote without its pair
    return match.group(0) if match is not None else text.split()[0]


# The line breaks str.splitlines reads that editors and Sympa do not end a line at: a vertical tab, a form feed, the
# information separators, NEL, Unicode's line and paragraph separators (pasted from a word processor or a web page).
_OTHER_BREAK = compile_cached("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_BREAK_NAMES = {
    "\x0b": "a vertical tab",
    "\x0c": "a form feed",
    "\x1c": "a file separator",
    "\x1d": "a group separator",
    "\x1e": "a record separator",
    "\x85": "a next line (NEL)",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
}
_COUNT_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _addresses_apart(count: int, mark: str) -> str:
    """What a line holding ``count`` addresses apart by the line break ``mark`` (:data:`_OTHER_BREAK`) is told."""
    said = _COUNT_WORDS[count] if count < len(_COUNT_WORDS) else str(count)
    return (
        f"{said} addresses on one line, apart by {_BREAK_NAMES[mark]} (U+{ord(mark):04X}), which Sympa does not end "
        "a line at: put each address on a line of its own"
    )


def separator_again(line: str) -> str:
    """What Excel's line naming the delimiter (``sep=;``) is told on another line than a file's first."""
    return (
        f"Excel's line naming the delimiter ({line.strip().lstrip(_BOM)}), which only a file's first line may be "
        "(exports joined one after another?): no subscriber; remove it"
    )


# Excel's first line of a CSV naming its delimiter (sep=; or sep=,), which it writes and reads: no row of the file.
_EXCEL_SEPARATOR = compile_cached(r'"?sep=[^\w\s"@]"?|"?sep=\t"?', re.IGNORECASE)
# A byte order mark, which Excel writes before a UTF-8 CSV's sep= line: inside a file, the start of another joined to it
_BOM = "\ufeff"


# What the header of a CSV export is told on a row of its own (another export joined after it)
HEADER_AGAIN = "the export's header again (exports joined one after another?): no subscriber; remove it"


def _no_row(line: str, row: list[str], names: list[str] | None) -> str | None:
    """What a CSV export's ``line`` (its ``row``) that is no subscriber's is told: Excel's line naming the delimiter
    (:func:`separator_again`), or the header's ``names`` again (:data:`HEADER_AGAIN`); None for a row."""
    if _excel_separator(line):
        return separator_again(line)
    if names is not None and [c.strip().lower() for c in row] == [c.strip().lower() for c in names]:
        return HEADER_AGAIN
    return None


def _excel_separator(line: str) -> bool:
    """Whether ``line`` is Excel's line naming the delimiter (:data:`_EXCEL_SEPARATOR`), blanks around it and a byte
    order mark before it (an export joined after another, ``cat a.csv b.csv``) aside."""
    return _EXCEL_SEPARATOR.fullmatch(line.strip(" \r").lstrip(_BOM).strip(" ")) is not None


def _content(line: str) -> bool:
    """Whether ``line`` is a row of an export: neither blank nor a ``#`` comment."""
    return bool(line.strip()) and not line.startswith("#")


def _sympa_dump(file: str, lines: Sequence[str]) -> list[Entry] | None:
    """The addresses of Sympa's dump, or None when ``lines`` are not one.

    A dump: every line that is not blank is ``KEY VALUE`` or a bare ``KEY`` (a lower-case field name;
    a CSV's header ``email address,name`` is such a line, its rows are not), and at least one ``email``
    line holds an ``@``. Each ``email`` line is an address, wherever it stands (``grep ^email`` of a
    dump is a dump too). Lines to fix, never skipped: an ``email`` line without an address, a
    subscriber's paragraph (lines between blank lines, with fields besides ``email``) with a second
    ``email`` line, or with none.
    """
    parsed: list[tuple[int, str, str] | None] = []  # (line, key, value); None for a blank line
    at_sign = False
    for n, line in enumerate(lines, 1):
        if not line.strip():
            parsed.append(None)
            continue
        match = _DUMP_LINE.fullmatch(line)
        if match is None:
            return None
        key, value = match.group(1), match.group(2) or ""
        at_sign = at_sign or (key == "email" and "@" in value)
        parsed.append((n, key, value))
    if not at_sign:
        return None
    out: list[Entry] = []
    paragraph: list[tuple[int, str, str]] = []
    for item in [*parsed, None]:  # a blank line after the last: the last paragraph ends too
        if item is not None:
            paragraph.append(item)
            continue
        if paragraph:
            out += _dump_paragraph(file, paragraph, lines)
        paragraph = []
    return out


def _dump_paragraph(file: str, fields: Sequence[tuple[int, str, str]], lines: Sequence[str]) -> list[Entry]:
    """The entries of one paragraph of a dump (of the file's ``lines``): each ``email`` line, and what is wrong
    with the paragraph."""
    emails = [(n, value) for n, key, value in fields if key == "email"]
    subscriber = len(emails) < len(fields)  # fields besides email: one subscriber (not `grep ^email` lines)
    first = fields[0][0]
    if not emails:
        return [
            Entry(file, first, "", f"a subscriber (lines {first}-{fields[-1][0]}) without an email line", lines=lines)
        ]
    out = []
    for i, (n, value) in enumerate(emails):
        if not value:
            problem: str | None = "an email line without an address"
        elif subscriber and i > 0:
            problem = f"a second email line in the subscriber of line {first}: one subscriber per paragraph"
        else:
            problem = None
        out.append(Entry(file, n, value, problem, lines=lines))
    return out


def _text_lines(data: bytes, file: str) -> list[str]:
    """The lines of an export (line breaks ``\\r\\n``, ``\\r`` or ``\\n``), decoded from UTF-8.

    Raises PicError naming the lines (the first :data:`_PROBLEMS_SHOWN`) that are not UTF-8 or
    hold a NUL byte, with the column.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PicError([Problem(file, 1, "", "is UTF-16 (it starts with a UTF-16 byte-order mark): save it as UTF-8")])
    try:
        lines = _LINE_BREAK.split(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        from pic.yamlsrc import iconv_offer, not_utf8_places, not_utf8_words

        problems = []
        for n, raw in enumerate(_LINE_BREAK.split(data.decode("utf-8-sig", errors="surrogateescape")), 1):
            places = not_utf8_places(raw)  # each byte that is not UTF-8: one lone surrogate
            if places:
                problems.append(Problem(file, n, "", f"holds {not_utf8_words(places)}: save the file as UTF-8"))
        offer = iconv_offer(data, file, "audit it")  # saved in Latin-1 or CP1252: the line of iconv that converts it
        raise PicError(offer + _at_most(problems, file, "line(s) not UTF-8")) from None
    if b"\x00" in data:
        nul = [
            Problem(
                file,
                n,
                "",
                f"holds a NUL byte (column {line.index(chr(0)) + 1}): this is not a text file, or it is UTF-16 "
                "without a byte-order mark; save it as UTF-8",
            )
            for n, line in enumerate(lines, 1)
            if "\x00" in line
        ]
        raise PicError(_at_most(nul, file, "line(s) with NUL bytes"))
    if lines and not lines[-1]:
        lines.pop()  # the file ends with a line break
    return lines


def _at_most(problems: list[Problem], file: str, what: str) -> list[Problem]:
    """The first :data:`_PROBLEMS_SHOWN` problems, and how many more there are: at the line of the first not shown,
    so that it follows them, and counting each as a fault (100,000 lines not UTF-8 are as many errors, not 6)."""
    if len(problems) <= _PROBLEMS_SHOWN:
        return problems
    more = len(problems) - _PROBLEMS_SHOWN
    first = problems[_PROBLEMS_SHOWN]
    return [
        *problems[:_PROBLEMS_SHOWN],
        Problem(file, first.line, "", f"and {more} more {what} from this line on, not shown", faults=more),
    ]


def _csv_delimiter(header: str, rows: Sequence[str] = ()) -> str | None:
    """The delimiter of a CSV header line naming a column of addresses, or None: the one under which most of
    the first ``rows`` have a valid address in that column (``Email;Nom, Prénom``: ``;``, though ``,`` splits
    the header as well), then the one giving most columns.

    None as well when a cell holds an ``@``: an address, not a header (a web dump ``ADDRESS,name``).
    """
    if "@" not in header and _is_email_header(header) and not any(d in header for d in ",;\t"):
        return ","  # the column of addresses alone
    best: tuple[int, int, str] | None = None
    for delimiter in (",", ";", "\t"):
        if delimiter not in header:
            continue
        cells = _split(header, delimiter)
        if any("@" in cell for cell in cells) or not any(_is_email_header(cell) for cell in cells):
            continue
        column = next(i for i, cell in enumerate(cells) if _is_email_header(cell))
        try:
            sample = list(csv.reader(rows[:_DELIMITER_SAMPLE], delimiter=delimiter))
        except csv.Error:
            sample = []
        addresses = sum(1 for row in sample if len(row) > column and _valid(row[column].strip()) is None)
        if best is None or (addresses, len(cells)) > best[:2]:
            best = (addresses, len(cells), delimiter)
    return best[2] if best is not None else None


_DELIMITER_SAMPLE = 20  # rows after the header that tell a delimiter from a character of a column's name


def _is_email_header(cell: str) -> bool:
    """True for the name of a column of addresses, in any case, accents, spaces, underscores and dashes aside:
    one holding ``email`` or ``courriel`` (``EMAIL``, ``E-mail``, ``E‑mail`` with a non-breaking hyphen, ``Email
    address``, ``Adresse e-mail``, ``Courriel``), or one of :data:`_EMAIL_HEADERS` (``Mail``, ``Mél``, ``Adresse
    électronique``), or Outlook's in French, Spanish or Italian (``Adresse de messagerie``, ``Dirección de correo
    electrónico``, ``Indirizzo posta elettronica``). A cell longer than :data:`_LONGEST_CHECKED` is none: a line of
    megabytes read a character at a time took seconds."""
    if len(cell) > _LONGEST_CHECKED:
        return False
    name = "".join(
        ch
        for ch in unicodedata.normalize("NFKD", cell.casefold())
        if not (ch in "_." or ch.isspace() or unicodedata.category(ch) in ("Mn", "Pd"))
    )
    return (
        "email" in name
        or "courriel" in name
        or name in _EMAIL_HEADERS
        or ("adresse" in name and "messagerie" in name)  # Outlook's "Adresse de messagerie" (2, 3) in French
        or "correoelectronico" in name  # Spanish
        or "postaelettronica" in name  # Italian
    )


# Names of a column of addresses that hold neither "email" nor "courriel", as _is_email_header writes them: the
# French administration's "Mél." and "adresse électronique", and the shorter "mail" of spreadsheets.
_EMAIL_HEADERS = frozenset(["mail", "mel", "adressemel", "mailaddress", "adresseelectronique", "courrierelectronique"])


def _headerless_csv(file: str, lines: list[str], header: int) -> tuple[str, int, list[str] | None, Problem] | None:
    """How to read as CSV a file whose first line (``lines[header]``) names no column of addresses: its delimiter,
    the column of addresses, the names of its first line when that line is a header naming it otherwise (no
    ``@`` in it: ``Nom,Adresse``), else None (no header row: that line is a row), and the warning that says so.
    None when the file is no such CSV (a plain list, a web dump ``ADDRESS name``)."""
    first = lines[header]
    heading = "@" not in first
    found = _column_of_addresses(lines[header + 1 :] if heading else lines[header:])
    if found is None:
        return None
    delimiter, column = found
    if heading:
        try:
            names = next(csv.reader([first], delimiter=delimiter))
        except csv.Error:
            names = []
        if len(names) > column and names[column].strip():
            name = names[column].strip()
            shown = HIDDEN_VALUE if _secret_in_words([name], first, "") else shown_unless_secret(name, first)
            why = (
                f"is a header row naming no column of addresses pic knows (such as Email or Courriel): column "
                f"{column + 1} ({shown}), whose cells hold addresses, is read as them"
            )
            return delimiter, column, names, Problem(file, header + 1, "", why, "warning")
        # a first row without its address (an empty cell): a subscriber to fix, not a header
    why = (
        f"has no header row: read as CSV without one, delimiter {delimiter!r}, the addresses in column {column + 1} "
        "(where its rows hold them); a first row naming the columns (Email, ...) says so"
    )
    return delimiter, column, None, Problem(file, header + 1, "", why, "warning")


def _column_of_addresses(lines: Sequence[str]) -> tuple[str, int] | None:
    """The delimiter and column of a CSV's rows (the first :data:`_DELIMITER_SAMPLE` that are not blank nor ``#``
    comments) in which most rows have more than one cell and a valid address in that column; None for a plain
    list (one cell a line) or a web dump (``ADDRESS name``: a space, no delimiter, after the address)."""
    sample = [line for line in lines if line.strip() and not line.startswith("#")][:_DELIMITER_SAMPLE]
    best: tuple[int, str, int] | None = None
    for delimiter in (",", ";", "\t"):
        try:
            rows = list(csv.reader(sample, delimiter=delimiter))
        except csv.Error:
            continue
        if not rows or sum(1 for row in rows if len(row) > 1) * 2 <= len(rows):
            continue
        for column in range(max(len(row) for row in rows)):
            valid = sum(
                1 for row in rows if len(row) > column and "@" in row[column] and _valid(row[column].strip()) is None
            )
            if valid * 2 > len(rows) and (best is None or valid > best[0]):
                best = (valid, delimiter, column)
    return (best[1], best[2]) if best is not None else None


HEADER_QUOTE_RUNS_ON = (
    'a quote (") of the header row is not closed on its line: it would run on to the end of the file, taking every '
    "row for a part of it; its columns are read without the quote: close the quote or remove it"
)


def _read_csv(
    file: str, lines: list[str], header: int, delimiter: str, headerless: tuple[int, list[str] | None] | None = None
) -> list[Entry]:
    """The addresses of the CSV whose header is ``lines[header]`` (0-based): each row's cell in the first column of
    addresses, and its cells holding an ``@`` in the others (``Email 2``, ``Courriel perso``: an address there is
    one to fix as well; a column such as ``Email verified`` holds none, and an empty cell there is no missing
    subscriber).

    ``headerless``: the column of addresses of a CSV whose first line names none (:func:`_headerless_csv`), with
    the names of that line when it is a header, or None when it is a row; every other column is then read for
    its cells holding an ``@``.

    Each row is named by its first line. A row whose quoted cell runs over line breaks to lines that hold
    rows of their own (an address in the column of addresses), or to the end of the file, has a quote
    without its pair: that row is a line to fix, read on its own line, and the lines after it are read
    as rows again (:func:`_quote_runs_on`), never swallowed. Raises PicError naming the line the csv
    module cannot read.
    """
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, MAX_EXPORT_BYTES))  # a field as long as the file; 131,072 characters otherwise
    base = header  # the reader's first line is line base + 1 of the file
    reader = csv.reader(_lines_from(lines, header), delimiter=delimiter)
    out = []
    try:
        if headerless is None:
            names = next(reader)
            if reader.line_num > 1 and header + reader.line_num >= len(lines):  # its quote ran to the file's end
                out.append(Entry(file, header + 1, "", HEADER_QUOTE_RUNS_ON, lines=lines))
                names = next(csv.reader([lines[header].replace('"', "")], delimiter=delimiter))
                base, reader = header + 1, csv.reader(_lines_from(lines, header + 1), delimiter=delimiter)
            column, *others = _named_columns(names, lines, base + reader.line_num, delimiter)
        elif headerless[1] is not None:  # a header naming the column otherwise
            names = next(reader)
            column = headerless[0]
            others = [i for i in range(len(names)) if i != column]
        else:  # no header row: the rows' own width stands for the header's
            column = headerless[0]
            names = _widest_row(lines, header, delimiter)
            others = [i for i in range(len(names)) if i != column]
        done = reader.line_num  # the reader's lines read so far
        while (row := next(reader, None)) is not None:
            first, last = base + done + 1, base + reader.line_num  # the row's lines in the file
            done = reader.line_num
            # a row of several lines, or the file's last, which its quote may leave open to the file's end
            if (last > first or last >= len(lines)) and _quote_runs_on(lines, first, last, delimiter, column):
                out.append(_quote_run_on(file, lines, (first, last), delimiter, column))
                base, reader, done = first, csv.reader(_lines_from(lines, first), delimiter=delimiter), 0
                continue
            said = _no_row(lines[first - 1], row, names if headerless is None else None) if last == first else None
            if said is not None:  # Excel's sep= line, or the header, again: exports joined
                out.append(Entry(file, first, "", said, lines=lines))
                continue
            if not any(cell.strip() for cell in row) or (
                lines[first - 1].lstrip().startswith("#") and not (len(row) > column and row[column].strip())
            ):
                continue  # a blank line; a comment, as before the header (read for a secret: secret_lines)
            # A row without an address is a subscriber to fix, never skipped.
            cell, *more = _addresses_of(row[column]) if len(row) > column else [""]
            entry = Entry(file, first, cell, lines=lines)
            if len(row) > len(names) and (
                _valid(entry.address) is not None or _end_split_off(entry.address, row[column + 1])
            ):
                entry = _split_row(entry, row, len(names), column, delimiter)
            out.append(entry)
            if len(row) <= len(names):  # a row split at a delimiter has its cells moved: said by its first entry
                out += [Entry(file, first, address, lines=lines) for address in more]
                out += [
                    Entry(file, first, address, lines=lines)
                    for i in others
                    if i < len(row) and "@" in row[i]
                    for address in _addresses_of(row[i])
                ]
    except csv.Error as exc:
        raise PicError([Problem(file, base + reader.line_num, "", f"is not CSV: {exc}")]) from None
    finally:
        csv.field_size_limit(limit)
    return out


def _quote_run_on(file: str, lines: list[str], rows: tuple[int, int], delimiter: str, column: int) -> Entry:
    """The entry of a CSV's row whose quote without its pair runs on from line ``rows[0]`` to ``rows[1]``
    (:func:`_quote_runs_on`), or to the file's end from its last line, read on its own line."""
    first, last = rows
    own = next(csv.reader([lines[first - 1]], delimiter=delimiter))  # the row's own line
    address = own[column].strip() if len(own) > column else ""
    problem = (
        f'a quote (") of the row is not closed on its line: the row would run on to line {last}, '
        "taking the lines after it for a part of it; close the quote or remove it"
        if last > first
        else 'a quote (") of the row is not closed: it runs on to the end of the file, its cells read as if it '
        "were closed there; close the quote or remove it"
    )
    meant = _unquoted_address(lines[first - 1], delimiter, column)
    return Entry(file, first, address, problem, meant if meant != address else None, lines=lines)


# What Google Contacts writes between the values of one cell (E-mail 1 - Value: a@example.org ::: b@example.org).
_GOOGLE_APART = " ::: "


def _addresses_of(cell: str) -> list[str]:
    """The addresses of a CSV's ``cell``, stripped: the cell whole, or its parts apart by Google Contacts'
    ``" ::: "`` (its export's separator of several values of one field) when it holds it (one at least)."""
    if _GOOGLE_APART not in cell:
        return [cell.strip()]
    return [part.strip() for part in cell.split(_GOOGLE_APART) if part.strip()] or [""]


def _named_columns(names: Sequence[str], lines: Sequence[str], start: int, delimiter: str) -> list[int]:
    """The columns of a CSV's header ``names`` named as ones of addresses (:func:`_is_email_header`), the first to be
    read whole; of several, those holding an ``@`` in a row from ``lines[start]`` (:func:`_columns_holding_at`)."""
    named = [i for i, cell in enumerate(names) if _is_email_header(cell)]
    if len(named) > 1:
        holding = _columns_holding_at(lines, start, delimiter, named)
        named = [i for i in named if i in holding] or named
    return named


def _columns_holding_at(lines: Sequence[str], start: int, delimiter: str, columns: Sequence[int]) -> set[int]:
    """Which of ``columns`` hold an ``@`` in a row of the CSV ``lines`` from ``lines[start]`` (0-based): a column
    named as one of addresses that holds none beside one that does is another field (Google Contacts'
    ``E-mail 1 - Type``, Outlook's ``E-mail Display Name``). None when the csv module cannot read the rows (said
    when they are read)."""
    found: set[int] = set()
    with contextlib.suppress(csv.Error):
        for row in csv.reader(_lines_from(lines, start), delimiter=delimiter):
            found.update(i for i in columns if i < len(row) and "@" in row[i])
            if len(found) == len(columns):
                break
    return found


def _widest_row(lines: Sequence[str], start: int, delimiter: str) -> list[str]:
    """The cells of the usual row of a CSV without a header row (the most frequent width of its first rows, the
    widest among equals): the width a row split at a delimiter exceeds."""
    sample = [line for line in lines[start:] if line.strip() and not line.startswith("#")][:_DELIMITER_SAMPLE]
    try:
        rows = list(csv.reader(sample, delimiter=delimiter))
    except csv.Error:
        rows = []
    widths = [len(row) for row in rows] or [1]
    usual = max(set(widths), key=lambda w: (widths.count(w), w))
    return [""] * usual


def _unquoted_address(line: str, delimiter: str, column: int) -> str | None:
    """The address of a row whose quote is not closed, read with its quotes removed, when it is one.

    Read with its quote, the cell of addresses runs on to the end of the line (``"jean@gmail.com,Jean``
    is one cell, ``jean@gmail.com,Jean``), which the usual repairs would make another address
    (``jean@gmail.com.jean``): the one meant is suggested instead, or none.
    """
    cells = _split(line.replace('"', ""), delimiter)
    address = cells[column].strip() if len(cells) > column else ""
    return address if address and _valid(address) is None else None


def _split(line: str, delimiter: str) -> list[str]:
    """The cells of one line of a CSV file, split at ``delimiter`` as the csv module reads them, a cell as long as
    an export (:func:`_long_fields`); a line it cannot read is taken whole, as one cell: the module raises csv.Error
    there, which would stop the audit."""
    try:
        with _long_fields():
            return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return [line]


@contextlib.contextmanager
def _long_fields() -> Iterator[None]:
    """The csv module reading a cell as long as an export (:data:`MAX_EXPORT_BYTES`), its limit (131,072 characters
    unless raised: ``csv.field_size_limit``) set back after: a longer cell, a password's too, would not be read."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, MAX_EXPORT_BYTES))
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def _lines_from(lines: Sequence[str], start: int) -> Iterator[str]:
    """``lines[start:]`` without its copy: a reader started again after each quote without its pair would
    copy the rest of the file each time (a time in the square of the lines: minutes for 100,000 of them)."""
    return map(lines.__getitem__, range(start, len(lines)))


def _quote_runs_on(lines: Sequence[str], first: int, last: int, delimiter: str, column: int | None) -> bool:
    """Whether the row of lines ``first`` to ``last`` (of the file, from 1) is one quote without its pair: a
    line after its first reads alone as a row with an ``@`` in the column of addresses (in any cell, ``column``
    None: a header naming it as pic knows no such column), or the row ends the file inside its quotes. A cell of
    several lines (a postal address, a note) is neither."""
    for line in lines[first:last]:
        cells = _split(line, delimiter)
        if any("@" in cell for cell in (cells if column is None else cells[column : column + 1])):
            return True
    if last < len(lines):
        return False
    try:
        list(csv.reader(lines[first - 1 : last], delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _end_split_off(address: str, cell: str) -> bool:
    """Whether ``cell`` is the end of ``address``'s domain, split off at a comma written for a dot: the two
    make a public suffix where anyone registers names (``luc@orange.co`` and ``uk``: ``co.uk``), not a
    country or a city column (``zoe@free.fr`` and ``FR``, or ``Paris``)."""
    label = cell.strip().lower()
    last = address.rpartition(".")[2].lower()
    return "@" in address and label.isascii() and label.isalpha() and is_open_suffix(f"{last}.{label}")


def _split_row(entry: Entry, row: Sequence[str], columns: int, column: int, delimiter: str) -> Entry:
    """A CSV row with more cells than its header and no address in its column: a cell holding the
    delimiter without quotes was split (``Dupont, Jean`` or ``jean@gmail,com``), so the column of
    addresses may hold a piece of one. The address meant is suggested when exactly one run of the
    row's cells from that column on, joined again (and repaired, :func:`_repaired`), is valid.
    """
    extra = len(row) - columns
    if _end_split_off(row[column].strip(), row[column + 1]):  # luc@orange.co, uk: the address's own end
        joined = _repaired(delimiter.join(row[column : column + 2]))
        if _valid(joined) is None:
            problem = (
                f"the row has {len(row)} cells where the header has {columns}: a cell holding {delimiter!r} "
                "without quotes was split"
            )
            return dataclasses.replace(entry, problem=problem, suggestion=joined)
    # Runs of a few cells (an address split at one or two delimiters) and of an address's length at most: the
    # runs of a row are checked in a time of its length, not of its length cubed (a row of 4,000 cells).
    found = {
        fixed
        for start in range(column, column + extra + 1)
        for end in range(start + 1, min(start + _MOST_CELLS_JOINED, column + extra + 1) + 1)
        if "@" in (joined := delimiter.join(row[start:end]))
        and len(joined) <= _LONGEST_CHECKED
        and _valid(fixed := _repaired(joined)) is None
    }
    problem = (
        f"the row has {len(row)} cells where the header has {columns}: a cell holding {delimiter!r} "
        "without quotes was split"
    )
    return dataclasses.replace(entry, problem=problem, suggestion=found.pop() if len(found) == 1 else None)


_MOST_CELLS_JOINED = 3  # an address split by two delimiters written for dots (jean@orange,co,uk) at most


# An address written as a link (mailto:, RFC 6068: its ?subject=... and the like dropped) or with a name
# ("Jean Dupont <jean@example.org>", RFC 5322's name-addr): the address alone is meant.
_MAILTO = compile_cached(r"mailto:", re.IGNORECASE)
_NAME_ADDR = compile_cached(r"[^<>]*<([^<>]*@[^<>]*)>\s*")


def _repaired(address: str) -> str:
    """The usual slips fixed: a link's ``mailto:``, a name around ``<address>``, spaces, commas for dots, doubled or
    trailing dots, case of the domain."""
    text = unicodedata.normalize("NFKC", address).strip()
    named = _NAME_ADDR.fullmatch(text)
    if named is not None:
        text = named.group(1)
    fixed = re.sub(r"\s+", "", text).strip("<>\"'")
    if _MAILTO.match(fixed):
        fixed = fixed[len("mailto:") :].partition("?")[0].strip("<>\"'")
    fixed = fixed.rstrip(".;,")
    if fixed.count("@") != 1:
        return fixed
    local, domain = fixed.split("@")
    domain = re.sub(r"\.{2,}", ".", domain.replace(",", ".")).strip(".").lower()
    return f"{local}@{domain}"


_UNKNOWN_TLD = "unknown top-level domain ."


def _before_a_delimiter(address: str, providers: Providers | None) -> str | None:
    """The address a line holds before a delimiter after its domain, a comma, a semicolon, a tab, a bar or a blank
    (``"marie@gmial.com,Jean``, a CSV row pasted in a plain list: marie@gmial.com; ``luc@gmial.com|Luc``, a cell of
    a CSV holding another separator than the file's), mended as :func:`_repaired` mends it, when it is valid, its
    top-level domain known (with ``providers``), and the text after the delimiter holds no dot (no domain's rest:
    ``bad@gmial,com`` is a comma for a dot); None when there is none such."""
    at = address.find("@")
    found = re.search(r"[,;|\s]", address[at + 1 :]) if at >= 0 else None
    if found is None:
        return None
    domain, rest = address[at + 1 : at + 1 + found.start()], address[at + 2 + found.start() :]
    if "." not in domain or "." in rest or "@" in rest or not rest.strip("\"' "):
        return None
    cut = _repaired(address[: at + 1 + found.start()])
    if _valid(cut) is not None:
        return None
    flag = domain_flag(cut.rpartition("@")[2], {}, providers)
    return None if flag is not None and flag[0].startswith(_UNKNOWN_TLD) else cut


def _valid(address: str) -> str | None:
    """None if valid, else why not (email_validator's words).

    A quoted local part (``"jean dupont"@example.org``, RFC 5322 §3.4.1) is valid: Sympa accepts it
    (its ``Sympa::Tools::Text::valid_email``). A quote without its pair hides the @ from the
    library, which would say that the address has no @-sign: the quote is named instead. The usual form
    (pic.validators.is_common_email, which the library accepts) is valid without calling it.
    """
    if is_common_email(address):
        return None
    from email_validator import EmailNotValidError, validate_email  # not for pic check's _contact_unreachable

    folded = unicodedata.normalize("NFKC", address)
    if folded != address and folded.isascii():
        # said as _repaired suggests it: its domain in lowercase, said so when that changes it
        local, at, domain = folded.rpartition("@")
        lowered = "" if domain.islower() or not at else " (Unicode NFKC, the domain in lowercase)"
        return f"it holds full-width letters, which stand for {local}{at}{domain.lower()}{lowered}"
    try:
        validate_email(address, check_deliverability=False, allow_quoted_local=True)
    except EmailNotValidError as exc:
        if '"' in address and "@" in address and "@-sign." in str(exc) and "must have" in str(exc):
            return 'it holds a quote character (") without its pair'
        if str(exc).startswith("A display name and angle brackets") and address.lstrip().startswith("<"):
            return "Angle brackets around the email address are not permitted here."  # and no name before them
        return str(exc)
    return None


@dataclass(frozen=True)
class Providers:
    """The known mailbox providers' domains, and the Public Suffix List to tell real top-level domains."""

    domains: tuple[str, ...]  # in the data file's order: the first of two equally close wins (French first)

    def suffix(self, domain: str) -> str | None:
        """The public suffix of ``domain`` (``co.uk``, ``fr``), None when its top-level domain does not exist."""
        found = public_suffix_list().publicsuffix(domain, accept_unknown=False)
        return str(found) if found else None

    @functools.cached_property
    def _named(self) -> tuple[tuple[str, str, str], ...]:
        """Each provider's domain, its name and its public suffix (``gmail.com``, ``gmail``, ``com``), but those of
        a name under 4 characters (sfr, gmx, aol: one slip away sit many real domains): asked once, not at each
        domain to read."""
        out = []
        for provider in self.domains:
            p_suffix = self.suffix(provider) or provider.rsplit(".", 1)[-1]
            p_name = provider[: -len(p_suffix) - 1]
            if len(p_name) >= 4:
                out.append((provider, p_name, p_suffix))
        return tuple(out)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 (one instance per run)
    def misspelling(self, domain: str) -> tuple[str, str | None] | None:
        """(what is wrong, the likely domain) for a domain that looks mistyped or is a public suffix, or None."""
        if domain in self.domains:
            return None
        suffix = self.suffix(domain)
        if suffix is None:
            return self._unknown_tld(domain)
        if suffix == domain and is_open_suffix(domain):  # the name registered under it was lost
            return (
                "the domain is a public suffix (Public Suffix List): names are registered under it, no one "
                "receives mail at it; a part of the domain is missing",
                None,
            )
        name = domain[: -len(suffix) - 1] if domain != suffix else ""
        best = None
        for provider, p_name, p_suffix in self._named:
            limit = 1 if len(p_name) < 8 else 2
            if suffix == p_suffix:
                if abs(len(name) - len(p_name)) > limit:
                    continue  # as many edits at least: no slip
                distance = osa_distance(name, p_name, limit)
            elif name == p_name and osa_distance(suffix, p_suffix) == 1 and len(suffix) <= 3:
                distance = 1  # gmail.cm, hotmail.co: a slip in the top-level domain
            else:
                continue
            if len(p_name) < 5 and distance == 1 and len(name) == len(p_name) and sorted(name) != sorted(p_name):
                continue  # a short name with one letter changed is as often another real domain (live.fr, love.fr)
            if 0 < distance <= limit and (best is None or distance < best[0]):
                best = (distance, provider)
        if best is None:
            return None
        return f"misspelled domain: probably {best[1]}", best[1]

    def _unknown_tld(self, domain: str) -> tuple[str, str | None]:
        name, _, tld = domain.rpartition(".")
        what = f"unknown top-level domain .{tld}"
        for provider in self.domains:
            p_name, _, p_tld = provider.partition(".")
            if name == p_name and osa_distance(tld, p_tld) <= 2:
                return f"{what}: probably {provider}", provider
        close = [t for t in COMMON_TLDS if osa_distance(tld, t) == 1]
        return what, (f"{name}.{close[0]}" if len(close) == 1 and name else None)


def load_providers() -> Providers:
    """The shipped list of providers (pic/data/mail_providers.yaml)."""
    text = resources.files("pic.data").joinpath(PROVIDERS).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return Providers(tuple(dict.fromkeys(str(d).lower() for d in data["providers"])))


def audit_entry(entry: Entry, domains: Mapping[str, DeadDomain], providers: Providers | None = None) -> Flag | None:
    """What is wrong with one entry, None when nothing is."""
    if entry.problem is not None:  # the line itself is to fix; its address's faults are said too
        return _line_to_fix(entry, domains, providers)
    return _address_flag(entry, domains, providers)


def _address_flag(entry: Entry, domains: Mapping[str, DeadDomain], providers: Providers | None) -> Flag | None:
    address = entry.address
    if not address or len(address) > _LONGEST_CHECKED:  # a CSV row without one; one too long to check
        return Flag(
            entry,
            f"malformed address ({len(address)} characters; an address has at most 254)"
            if address
            else "the row's cell in the column of addresses is empty or missing",
            None,
        )
    why = _valid(address)
    if why is not None:
        repaired = _repaired(address)
        takes = repaired != address and _valid(repaired) is None
        mended = audit_entry(Entry(entry.file, entry.line, repaired), domains, providers) if takes else None
        cut = _before_a_delimiter(address, providers)
        if cut is not None and (not takes or (mended is not None and mended.problem.startswith(_UNKNOWN_TLD))):
            # a row of a CSV pasted in a plain list ("marie@gmial.com,Jean): the address meant is the text before the
            # delimiter, not one whose domain ends with the name (gmial.com.jean)
            meant = audit_entry(Entry(entry.file, entry.line, cut), domains, providers)
            told = f"; the address meant, {cut}: {meant.problem}" if meant is not None else ""
            return Flag(entry, f"malformed address ({why}){told}", cut if meant is None else meant.suggestion)
        if takes:
            flag = mended
            if flag is None:
                return Flag(entry, f"malformed address ({why})", repaired)
            # what the suggestion mends besides: a misspelt domain (mailto:luc@gmial.com -> luc@gmail.com)
            return Flag(entry, f"malformed address ({why}); once mended, {flag.problem}", flag.suggestion)
        return Flag(entry, f"malformed address ({why})", None)
    return _valid_address_flag(entry, domains, providers)


def _valid_address_flag(entry: Entry, domains: Mapping[str, DeadDomain], providers: Providers | None) -> Flag | None:
    """The flag of a valid address, for its domain (dead, misspelt, a look-alike) or its letters outside ASCII."""
    address = entry.address
    local, domain = address.rsplit("@", 1)
    found = domain_flag(domain, domains, providers)
    resembles = look_alike(domain)
    if resembles is not None:
        if found is None:
            return Flag(entry, resembles, ASK_ANOTHER)
        problem, meant = found
        # the domain meant, unless it is a look-alike too (аррӏе.con -> аррӏе.com): then the subscriber is asked
        fix = f"{local}@{meant}" if meant and look_alike(meant) is None else ASK_ANOTHER
        return Flag(entry, f"{problem}; {resembles}", fix)
    if found is None:
        return None if address.isascii() else _beyond_ascii(entry)
    problem, meant = found
    if meant is None and domain_key(domain) in domains:
        return Flag(entry, problem, ASK_ANOTHER)
    return Flag(entry, problem, f"{local}@{meant}" if meant else None)


# The country-code top-level domains under which names of a script are common, by the script (Unicode's name, the
# first word of its letters' names): a label of that script there is read as a name of it, not as a look-alike of a
# Latin one. As Chromium's IDN spoof checker lists them for its whole-script confusables
# (components/url_formatter/spoof_checks/idn_spoof_checker.cc, kWholeScriptConfusables).
_SCRIPT_TLDS = {
    "ARMENIAN": ("am",),
    "CYRILLIC": ("bg", "by", "kz", "pyc", "ru", "su", "ua", "uz"),
    "ETHIOPIC": ("er", "et"),
    "GEORGIAN": ("ge",),
    "GREEK": ("gr",),
    "HEBREW": ("il",),
    "KHMER": ("kh",),
    "LAO": ("la",),
    "SINHALA": ("lk",),
}


def _script_of(label: str) -> str:
    """The script of ``label``'s first letter, as the first word of its Unicode name (``CYRILLIC``), or ""."""
    first = next((ch for ch in label if ch.isalpha()), "")
    return unicodedata.name(first, "").partition(" ")[0] if first else ""


def look_alike(domain: str) -> str | None:
    """Why ``domain`` (in Unicode or in punycode) is a look-alike of another domain, or None: a label mixing scripts
    (``pаypal``, a Cyrillic а among Latin letters: not "highly restrictive", UTS #39 §5.2, as pic check refuses one
    for a contact), or a label whose every letter is of one other script and looks like a Latin letter (``аррӏе``
    in Cyrillic: a whole-script confusable, UTS #39 §4, :func:`latin_look_alike`) under a top-level domain written
    in ASCII (``.com``) but a country's where names of that script are common (``_SCRIPT_TLDS``: ``.bg``, ``.ru``,
    ``.gr``...); under those, and under ``.рф`` or ``.ελ``, such a name is read as one of its script, and is not
    looked at. Its subscriber is to be asked for
    the address meant: its punycode would subscribe the look-alike. The domain is read as IDNA maps it (UTS #46):
    in Unicode NFKC, its full stops those of RFC 3490 §3.1 (``аррӏе.ⅽom`` and ``аррӏе．ｃｏｍ`` are ``аррӏе.com``)."""
    domain = unicodedata.normalize("NFKC", domain).replace("\u3002", ".")  # NFKC maps ． to . and ｡ to 。
    # each label in Unicode as written (named so in the message: ᏚᎪᎳ, not its case-folded ꮪꭺꮃ), and in lowercase
    written = [u_labels(label) for label in domain.split(".")]
    labels = [label.lower() for label in written]
    for shown, label in zip(written, labels, strict=True):
        if not single_script(label):
            why = f"domain label {shown} mixes scripts, as a look-alike of another domain does (UTS #39 §5.2)"
            return why + _looks_like(written)
    tld = labels[-1]
    for shown, label in zip(written[:-1], labels[:-1], strict=True):
        if tld.isascii() and latin_look_alike(label) and tld not in _SCRIPT_TLDS.get(_script_of(label), ()):
            return (
                f"every letter of the domain label {shown} is of another script than Latin and looks like a Latin "
                "one, as a look-alike of another domain's does (a whole-script confusable, UTS #39 §4)"
            ) + _looks_like(written)
    return None


_ASCII_LABEL = compile_cached(r"[a-z0-9]+(?:-+[a-z0-9]+)*")


def _look_alike_label(label: str) -> bool:
    """Whether ``label`` (in lowercase) mixes scripts or is wholly in letters that look Latin (:func:`look_alike`)."""
    return not single_script(label) or latin_look_alike(label)


def _looks_like(labels: Sequence[str]) -> str:
    """``: it looks like DOMAIN``, the domain of ``labels`` (in Unicode) as a reader takes it: each label beyond ASCII
    a look-alike (mixing scripts, or wholly in letters that look Latin) read as the letters it looks like
    (pic.validators.latin_skeleton, in lowercase: ``аррӏе.com`` looks like ``apple.com``), when each label so read is
    ASCII letters, digits and hyphens; "" otherwise (``аррӏе.café.com``, ``аррӏе.москва.com``)."""
    read = [latin_skeleton(label) if label.isascii() or _look_alike_label(label.lower()) else None for label in labels]
    if any(label is None or _ASCII_LABEL.fullmatch(label.lower()) is None for label in read):
        return ""
    return f": it looks like {'.'.join(cast(str, label).lower() for label in read)}"


def _beyond_ascii(entry: Entry) -> Flag | None:
    """The flag of a valid address with letters outside ASCII, which Sympa does not take (its
    ``Sympa::Tools::Text::valid_email`` reads ASCII alone, but in a quoted local part), or None: one before the @
    (an internationalised address, RFC 6531, which only servers offering SMTPUTF8 take) is another mailbox to ask
    for; a domain in Unicode is suggested as email_validator writes
    it in ASCII (``ascii_domain``: IDNA 2008 A-labels, RFC 5891), which every server takes."""
    from email_validator import validate_email

    local = entry.address.rpartition("@")[0]
    if not local.isascii():
        # Sympa's valid_email takes a quoted local part whatever its letters
        sympa = "" if local.startswith('"') else "Sympa does not take it, and "
        return Flag(
            entry,
            f"letters outside ASCII before the @ (an internationalised address, RFC 6531): {sympa}it receives mail "
            "only through servers that all offer SMTPUTF8",
            ASK_ANOTHER,
        )
    # the options of _valid, which found the address valid: a quoted local part too
    ascii_domain = validate_email(entry.address, check_deliverability=False, allow_quoted_local=True).ascii_domain
    return Flag(entry, "domain in Unicode: Sympa takes it in punycode (IDNA) only", f"{local}@{ascii_domain}")


def domain_key(domain: str) -> str:
    """A domain as its entries and subscribers are compared: its punycode labels in Unicode, in NFKC (an é
    written as e and a combining accent is é, ``ⅽom`` is ``com``: IDNA maps one to the other, UTS #46), in
    lowercase (``XN--CAF-DMA.FR``, ``cafe\u0301.fr`` and ``café.fr`` are one domain, as mail delivers to all
    alike), its labels parted by the full stops IDNA reads as dots too (RFC 3490 §3.1: ``café．fr`` and
    ``café。fr`` are café.fr)."""
    return unicodedata.normalize("NFKC", u_labels(domain.translate(_IDNA_DOTS))).lower()


_IDNA_DOTS = str.maketrans("\u3002\uff0e\uff61", "...")  # ideographic, full-width and half-width full stops


def domain_flag(
    domain: str, domains: Mapping[str, DeadDomain], providers: Providers | None = None, *, meant: bool = True
) -> tuple[str, str | None] | None:
    """What is wrong with the domain of a valid address, and the domain likely meant (None when there is none to
    suggest): one of ``domains`` (closed, never had mailboxes, a typo), or with ``providers`` a misspelling of a
    provider's domain, an unknown top-level domain or a public suffix; None when nothing is. The domain is read
    in Unicode (:func:`domain_key`): its punycode would hide a slip (``xn--orang-fsa.fr``, orangé.fr) and name a
    top-level domain no one wrote (``.xn--fsqu00a`` for ``.例子``).

    The domain a misspelling suggests is read as any domain before it is (``meant``; not again for it): mended
    alone, its top-level domain may leave a misspelt name (``gmial.con``: gmial.com, probably gmail.com) or a
    domain that never had mailboxes (``gmail.frr``: gmail.fr), which is never suggested."""
    key = domain_key(domain)
    dead = domains.get(key)
    if dead is None:
        found = providers.misspelling(key) if providers is not None else None
        if meant and found is not None and found[1] is not None:
            again = domain_flag(found[1], domains, providers, meant=False)
            if again is not None:
                found = f"{found[0]}; written {found[1]}, {again[0]}", again[1]
        # an unknown top-level domain named as written (ᏚᎪ, not its lowercase ꮪꭺ), in Unicode NFKC as IDNA maps it
        unknown = f"unknown top-level domain .{key.rpartition('.')[2]}"
        if found is not None and found[0].startswith(unknown):
            tld = unicodedata.normalize("NFKC", u_labels(domain.translate(_IDNA_DOTS))).rpartition(".")[2]
            return f"unknown top-level domain .{tld}{found[0][len(unknown) :]}", found[1]
        return found
    problem = {
        "typo": "misspelled domain",
        "closed": "domain closed",
        "never": "domain never had mailboxes",
    }[dead.status]
    if dead.status == "typo" and dead.suggest:  # worded as a provider's misspelling is, the note in brackets
        problem = f"{problem}: probably {dead.suggest}"
        return (f"{problem} ({dead.note})" if dead.note else problem), dead.suggest
    return (f"{problem}: {dead.note}" if dead.note else problem), dead.suggest


def _line_to_fix(entry: Entry, domains: Mapping[str, DeadDomain], providers: Providers | None) -> Flag:
    """The flag of an entry whose line is to fix (:attr:`Entry.problem`), with what is wrong with its address: the
    address meant when the problem tells it (:attr:`Entry.suggestion`: the row read as written, a quote left open,
    ``"marie@gmial.com,Jean``, or cells split at a delimiter), checked as any address is before it is suggested
    (its domain misspelt: the address mended is suggested), else the address as read."""
    meant = entry.suggestion
    if meant is not None and meant != entry.address:
        told = _address_flag(Entry(entry.file, entry.line, meant, lines=entry.lines), domains, providers)
        address = entry.address
        # the cell as read: malformed, its reason told, not mended as a slip would be (the address meant is known)
        why = _valid(address) if address and len(address) <= _LONGEST_CHECKED else None
        read = f"malformed address ({why})" if why is not None else None
        if address and why is None:
            found = _address_flag(entry, domains, providers)
            read = found.problem if found is not None else None
        parts = [
            entry.problem or "",
            *([read] if read else []),
            *([f"the address meant, {meant}: {told.problem}"] if told else []),
        ]
        return Flag(entry, "; ".join(parts), meant if told is None else told.suggestion)
    found = _address_flag(entry, domains, providers) if entry.address else None
    if found is None:
        return Flag(entry, entry.problem or "", entry.suggestion)
    return Flag(entry, f"{entry.problem}; {found.problem}", entry.suggestion or found.suggestion)


def audit(
    entries: Sequence[Entry],
    domains: Mapping[str, DeadDomain],
    providers: Providers | None = None,
    empty: Sequence[tuple[str, Sequence[str]]] = (),
) -> list[Flag]:
    """Every entry to fix, and every other line of their files, and of the ``empty`` ones (a file's name and lines:
    exports holding no address, :func:`read_export`), that holds a secret (:func:`secret_lines`); ``providers``: also
    misspellings of the known providers and unknown top-level domains."""
    flags = [flag for entry in entries if (flag := audit_entry(entry, domains, providers)) is not None]
    flags = given_already(entries, flags)
    flags += duplicate_flags(entries, flags)
    flags = [_hidden_secret_told(_secret_told(flag)) for flag in flags]
    return flags + secret_lines(entries, flags, empty)


def duplicate_flags(entries: Sequence[Entry], flagged: Sequence[Flag]) -> list[Flag]:
    """A flag for each entry whose address an entry above it in its file gives already, as written or but for case:
    Sympa lowercases an address whole before it keeps it (its local part too, which RFC 5321 §2.4 lets a server
    tell apart by case, as no provider does), so both are one subscriber, the second likely one import too many.
    The first is kept and named; an entry ``flagged`` already (its address or its line at fault) is not flagged
    again, though it is the first of its address. Each export is one list's: an address in two files is none."""
    at_fault = {id(flag.entry) for flag in flagged}
    first: dict[tuple[str, str], Entry] = {}
    out = []
    for entry in entries:
        address = unicodedata.normalize("NFC", entry.address.strip())
        if not address or "@" not in address:
            continue
        seen = first.setdefault((entry.file, address.lower()), entry)
        if seen is entry or id(entry) in at_fault:
            continue
        if unicodedata.normalize("NFC", seen.address.strip()) == address:
            problem = f"the same address as line {seen.line}: one subscriber, written twice"
        else:
            problem = (
                f"likely the same subscriber as line {seen.line}: the address differs from it only in case, and Sympa "
                "lowercases addresses"
            )
        out.append(Flag(entry, problem, DUPLICATE_TO_REMOVE))
    return out


DUPLICATE_TO_REMOVE = "remove this line"


def given_already(entries: Sequence[Entry], flags: list[Flag]) -> list[Flag]:
    """``flags``, one suggesting an address that another line of its export gives, not at fault (``Marie Dupont
    <marie@asso.org>``, ``marie@gmail.con`` where a line gives marie@asso.org, marie@gmail.com), told that the
    address meant is there already and to remove its line: suggested, it would be one subscriber written twice
    (:func:`duplicate_flags`), as Sympa lowercases addresses."""
    at_fault = {id(flag.entry) for flag in flags}
    given: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        address = unicodedata.normalize("NFC", entry.address.strip())
        if "@" in address and id(entry) not in at_fault:
            given.setdefault((entry.file, address.lower()), entry)
    out = []
    for flag in flags:
        suggested = flag.suggestion or ""
        key = (flag.entry.file, unicodedata.normalize("NFC", suggested).lower())
        other = given.get(key) if "@" in suggested else None
        if other is None or other is flag.entry:
            out.append(flag)
            continue
        problem = f"{flag.problem}; the address meant is given by line {other.line} already ({other.address.strip()})"
        out.append(dataclasses.replace(flag, problem=problem, suggestion=DUPLICATE_TO_REMOVE))
    return out


# What a line holding a secret by its shape (:func:`_shaped_secret`) and an address to fix is told first.
COMBO_TO_CLEAR = (
    "it holds an address and its password, or a password hash: remove the secret from the export, and change that "
    "password wherever it is used"
)


def _secret_told(flag: Flag) -> Flag:
    """``flag``, its problem told first that its line holds a secret by its shape (:data:`COMBO_TO_CLEAR`:
    ``jean@gmial.com:Azerty123``, an address to fix and its password), when it does; that line is flagged once."""
    entry = flag.entry
    line = entry.lines[entry.line - 1] if 0 < entry.line <= len(entry.lines) else ""
    cells = _headerless(entry.lines)
    if not (_shaped_secret(line, cells=cells) or _shaped_cell(entry.address, line, cells=cells)):
        return flag
    return dataclasses.replace(flag, problem=f"{COMBO_TO_CLEAR}; {flag.problem}")


def _hidden_secret_told(flag: Flag) -> Flag:
    """``flag``, its problem told first what its line's secret asks (:func:`_line_to_clear`: remove it, change the
    password) when the flag is not shown (Flag.hidden) for a secret its line holds and says nothing of it yet: such a
    line is flagged once (:func:`secret_lines` passes it), and its address's fault alone would leave the password in
    use."""
    if COMBO_TO_CLEAR in flag.problem or not flag.hidden:
        return flag
    entry = flag.entry
    if not 0 < entry.line <= len(entry.lines):
        return flag
    lines, number = entry.lines, entry.line
    line = lines[number - 1]
    cells = _headerless(lines)
    told = _unread_told(line)
    if told is None:
        column = bool(password_values(lines, number))
        if not (column or _may_hold_secret(line, cells=cells) or unnamed_values(lines, number)):
            return flag
        told = _line_to_clear(
            line,
            address=bool(entry.address),
            too=True,
            column=column,
            named=_secret_column(lines, number, cells=cells) if entry.address and not column else None,
        )
    return dataclasses.replace(flag, problem=f"{told}; {flag.problem}" if flag.problem else told)


# A line holding more words of a secret's label (pic.secrettext.label_words) is not read for one: each costs tens to
# hundreds of microseconds, a line of 400 KB of them seconds (minutes for otp), an export of 32 MiB hours. No line of
# an export holds so many (a subscriber's row holds a few at most): such a line is flagged as unread (LINE_UNREAD),
# not shown, and a flag of its address neither.
MOST_LABELS_READ = 64
LINE_UNREAD = (
    f"it holds more words of a secret's label (mdp, password, code...) than are read one by one ({MOST_LABELS_READ}), "
    "and may hold a password or another secret: read it, remove any secret from the export and from the subscriber's "
    "name in Sympa, and change that password wherever it is used"
)


# A line longer than this is not read for a secret either: reading costs time in its length (a line of 5 MB took
# 13 s, 30 MB a minute), and no subscriber's row comes near it (an address has at most 254 characters, a row a few
# cells; a cell past the csv module's 131,072 characters is still read); such a line is flagged as unread
# (LINE_TOO_LONG), not shown, and a flag of its address neither.
LONGEST_LINE_READ = 1024 * 1024
LINE_TOO_LONG = (
    f"it is longer than a line read for a secret ({LONGEST_LINE_READ} characters), and may hold a password or another "
    "secret: read it, remove any secret from the export and from the subscriber's name in Sympa, and change that "
    "password wherever it is used"
)


def _unread(line: str) -> bool:
    """Whether ``line`` is longer than :data:`LONGEST_LINE_READ` or holds more than :data:`MOST_LABELS_READ` words of
    a secret's label: not read for one."""
    return _unread_told(line) is not None


def _unread_told(line: str) -> str | None:
    """What a line not read for a secret is told (:func:`_unread`), None for a line read."""
    from pic.secrettext import label_words

    if len(line) > LONGEST_LINE_READ:
        return LINE_TOO_LONG
    return LINE_UNREAD if label_words(line, MOST_LABELS_READ) > MOST_LABELS_READ else None


# What a line holding a secret is told: the secret is to go, wherever it stands; the line is never shown (Flag.hidden).
LINE_TO_CLEAR = (
    "it holds what reads as a password or another secret (the address is not at fault): remove the secret from the "
    "export and from the subscriber's name in Sympa, and change that password wherever it is used"
)
# What such a line is told when its address is flagged too (its flag shown apart): not that the address is not at fault.
LINE_TO_CLEAR_TOO = (
    "it holds what reads as a password or another secret, besides what its address is flagged for: remove the secret "
    "from the export and from the subscriber's name in Sympa, and change that password wherever it is used"
)
# What a comment line holding a secret is told: no subscriber's name holds it, and no address stands there.
COMMENT_TO_CLEAR = (
    "a comment holds what reads as a password or another secret: remove it from the export, and change that password "
    "wherever it is used"
)
_CHANGE_IT = "and change that password wherever it is used"


def _line_to_clear(
    line: str,
    *,
    address: bool,
    too: bool,
    column: bool,
    named: tuple[tuple[str, ...], bool] | Literal[""] | None = None,
) -> str:
    """What a line holding a secret (:func:`secret_lines`) is told, by where the secret stands: a ``#`` comment
    (:data:`COMMENT_TO_CLEAR`), a value under a column named as a password (``column``), a custom attribute named as
    one (Sympa's ``custom_attribute``), a CSV's columns (``named``, :func:`_secret_column`: their names, and
    whether one is the subscriber's name, Sympa's gecos; ``""``: a CSV row whose secret no one column holds), a
    subscriber's line (``address``: :data:`LINE_TO_CLEAR`, or :data:`LINE_TO_CLEAR_TOO` when its address is flagged
    too), or another line (a dump's other field). The subscriber's name in Sympa is spoken of only for a line read as
    an address and a name (a dump's, Sympa's web dump's) or a CSV's column of names. That the address is not at fault
    is said only of a line holding one that is not flagged."""
    besides = (
        ", besides what its address is flagged for" if too else " (the address is not at fault)" if address else ""
    )
    if line.lstrip().startswith("#"):
        return COMMENT_TO_CLEAR
    if column:
        where = f"in a column named as one{besides}"
        return f"it holds what reads as a password, {where}: remove it from the export, {_CHANGE_IT}"
    if named is not None and address:
        return _column_to_clear(named, besides)
    if "<" in line and any(
        _secret_attribute(found[0] or found[2], found[1] or found[3]) for found in _XML_VALUE.findall(line)
    ):
        return (
            f"a custom attribute named as a password holds one{besides}: remove it from the export and from the "
            f"subscriber's custom attributes in Sympa, {_CHANGE_IT}"
        )
    if address:
        return LINE_TO_CLEAR_TOO if too else LINE_TO_CLEAR
    return f"it holds what reads as a password or another secret: remove the secret from the export, {_CHANGE_IT}"


def _column_to_clear(named: tuple[tuple[str, ...], bool] | Literal[""], besides: str) -> str:
    """What a CSV's row holding a secret is told (:func:`_line_to_clear`), by the columns holding it (``named``,
    :func:`_secret_column`): each is named, and the subscriber's name in Sympa is spoken of only when one of them is
    the name."""
    told = "it holds what reads as a password or another secret"
    if not named:
        return f"{told}{besides}: remove the secret from the export and from where that row came from, {_CHANGE_IT}"
    names, gecos = named
    if not names:
        return (
            f"{told} in a cell beyond the header's columns, which no column names{besides}: remove the secret from the "
            f"export and from where that row came from, {_CHANGE_IT}"
        )
    shown = [show_value(name) for name in names]
    columns = f"its column {shown[0]}" if len(shown) == 1 else f"its columns {', '.join(shown[:-1])} and {shown[-1]}"
    others = (
        "where that column's text comes from"
        if len(names) == 1
        else "where those columns' text comes from"
        if not gecos
        else "where the other column's text comes from"
        if len(names) == 2
        else "where the other columns' text comes from"
    )
    if gecos and len(names) == 1:
        return (
            f"{told} in {columns}, the subscriber's name{besides}: remove the secret from the "
            f"export and from the subscriber's name in Sympa, {_CHANGE_IT}"
        )
    if gecos:
        return (
            f"{told} in {columns}, one the subscriber's name{besides}: remove the secret from the export, from the "
            f"subscriber's name in Sympa and from {others} (a subscriber's custom attribute in Sympa, the file the "
            f"list was made from), {_CHANGE_IT}"
        )
    return (
        f"{told} in {columns}{besides}: remove the secret from the export and from {others} (a subscriber's custom "
        f"attribute in Sympa, the file the list was made from), {_CHANGE_IT}"
    )


def secret_lines(
    entries: Sequence[Entry], flagged: Sequence[Flag], empty: Sequence[tuple[str, Sequence[str]]] = ()
) -> list[Flag]:
    """A flag (:data:`LINE_TO_CLEAR`) for each line of the entries' files that is not ``flagged`` and holds what
    reads as a secret by itself as ``pic check`` reads one (:func:`_holds_secret`), whatever else it holds: an
    address with nothing to fix (``ann@gmail.com mdp Azerty123``), a dump's other field (``gecos mdp ...``), a
    comment, a CSV's column named as a password (:func:`_password_columns`), and of the ``empty`` files' lines (a
    file's name and lines). A line flagged already and not shown (Flag.hidden) is not flagged again; one flagged and
    shown (its address at fault) is told :data:`LINE_TO_CLEAR_TOO`."""
    # a line flagged already and shown as not to be is told of a secret; another (an address flagged for its
    # domain, a password in another column) is flagged for it too
    done = {(f.entry.file, f.entry.line) for f in flagged if f.hidden}
    at_fault = {(f.entry.file, f.entry.line) for f in flagged}
    at = {(e.file, e.line): e for e in entries}
    out = []
    files = {(e.file, id(e.lines)): e.lines for e in entries if e.lines}
    files.update(((file, id(lines)), lines) for file, lines in empty)
    for (file, _), lines in files.items():
        cells = _headerless(lines)
        for number, line in enumerate(lines, 1):
            if (file, number) in done or not line.strip():
                continue
            if _may_hold_secret(line, cells=cells) or password_values(lines, number) or unnamed_values(lines, number):
                entry = at.get((file, number)) or Entry(file, number, "", lines=lines)
                column = bool(password_values(lines, number))
                told = _line_to_clear(
                    line,
                    address=bool(entry.address),
                    too=(file, number) in at_fault,
                    column=column,
                    named=_secret_column(lines, number, cells=cells) if entry.address and not column else None,
                )
                out.append(Flag(entry, _unread_told(line) or told, None))
    return out


def _secret_column(
    lines: Sequence[str], number: int, *, cells: bool
) -> tuple[tuple[str, ...], bool] | Literal[""] | None:
    """For line ``number`` (from 1) of a CSV whose header names a column of addresses (:func:`_csv_delimiter`), a
    row holding a secret: the names of the header's columns whose cells hold one as the line is read
    (:func:`_may_hold_secret`), and whether one of them is the subscriber's name (:data:`_NAME_HEADERS`: Sympa's
    ``gecos``, ``Nom``, ``Name``, ``Nom complet``); no name for a cell beyond the header's columns
    (:func:`unnamed_values`, or read so); ``""`` when no one cell does (the secret over several cells, or the row not
    read alone: a quoted line break); None for a file of another kind (a dump, a plain list, a CSV without a
    header)."""
    known = _CSV_HEADERS.get(id(lines))
    if known is None or known[0] is not lines:
        while len(_CSV_HEADERS) >= _PASSWORD_COLUMNS_KEPT:
            del _CSV_HEADERS[next(iter(_CSV_HEADERS))]
        known = _CSV_HEADERS[id(lines)] = (lines, _csv_header(lines))
    if known[1] is None or number <= known[1][0]:
        return None
    _, delimiter, columns = known[1]
    try:
        with _long_fields():
            row = next(csv.reader([lines[number - 1]], delimiter=delimiter), [])
    except csv.Error:
        return ""
    names = [
        column.strip()
        for column, cell in zip(columns, row, strict=False)
        if cell.strip() and _may_hold_secret(cell, cells=cells)
    ]
    if any(reads_as_secret((), name) for name in names):
        return ""  # a header holding a secret is not shown (its own line is flagged)
    if names:
        return tuple(names), any(_folded_header(name) in _NAME_HEADERS for name in names)
    beyond = row[len(columns) :]
    if unnamed_values(lines, number) or any(cell.strip() and _may_hold_secret(cell, cells=cells) for cell in beyond):
        return (), False
    return ""


def _csv_header(lines: Sequence[str]) -> tuple[int, str, list[str]] | None:
    """The line (from 1), the delimiter and the cells of the header of a CSV naming a column of addresses (its first
    line neither blank nor a ``#`` comment, holding no ``@``: :func:`_csv_delimiter`), or None."""
    header = next(((i, line) for i, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")), None)
    if header is None or "@" in header[1]:
        return None
    at, names = header
    delimiter = _csv_delimiter(names, lines[at : at + _DELIMITER_SAMPLE])
    return None if delimiter is None else (at, delimiter, _split(names, delimiter))


# The headers of the files read last (:func:`_csv_header`), kept as :data:`_PASSWORD_COLUMNS` keeps their columns.
_CSV_HEADERS: dict[int, tuple[Sequence[str], tuple[int, str, list[str]] | None]] = {}


def _folded_header(name: str) -> str:
    """``name`` as :func:`_is_email_header` compares a column's name: casefolded, accents, spaces, ``_``, ``.``
    and dashes aside."""
    return "".join(
        ch
        for ch in unicodedata.normalize("NFKD", name.casefold())
        if not (ch in "_." or ch.isspace() or unicodedata.category(ch) in ("Mn", "Pd"))
    )


# Names of a column of subscribers' names (:func:`_folded_header`): Sympa's gecos (its subscriber table's field),
# and the names spreadsheets and Sympa's own exports give it, in English and French.
_NAME_HEADERS = frozenset(
    [
        *("gecos", "name", "nom", "fullname", "nomcomplet", "displayname", "nomaffiche", "realname"),
        *("nometprenom", "nomprenom", "prenomnom", "prenometnom", "prenom", "firstname", "lastname", "surname"),
        *("givenname", "nomdefamille", "subscribername", "nomdelabonne", "nomabonne", "abonne", "subscriber"),
    ]
)


# What a cell under a column named as a password holds when it holds none (casefolded, accents dropped): no value
# (n/a, none, null, as spreadsheets and databases export an empty field), a yes or no (a column such as "Mot de
# passe oublié" or "Password reset", 0 and 1 as spreadsheets write booleans), a status (changed, modifié, endret,
# geändert). Any other value is taken for a password, whatever its shape: 1234, soleil or a first name are ones too.
# What was done with a password, as a column's status says it (casefolded, accents dropped): alone, or opening a few
# words (envoyé par SMS, sent by email, changed on 2024-03-01, reset requested).
_PASSWORD_STATUSES = frozenset(
    [
        *("changed", "modified", "reset", "modifie", "change", "reinitialise", "endret", "geandert", "cambiado"),
        *("sent", "envoye", "requested", "demande", "expired", "expire", "set", "defini", "pending", "unset"),
        *("verschickt", "gesendet", "abgelaufen", "enviado", "caducado", "expirado"),
        *("renouvele", "echec", "failed", "bounced", "pending"),
    ]
)
# The first words of a few words saying where a password is kept, how it was sent or its state (par mail, voir
# coffre, dans le gestionnaire, in Bitwarden, en cours, non envoyé, à renouveler, sur demande), casefolded, accents
# dropped: a preposition or a negation. What follows one is such a statement only when each word is one of
# _PASSWORD_WHERE_WORDS (en avant les bleus, in vino veritas, à la folie are passphrases).
_PASSWORD_WHERE = frozenset(
    [
        *("par", "voir", "dans", "see", "in", "by", "via", "per", "siehe", "im", "en", "non", "not", "a", "pas"),
        *("sur", "on", "au", "aux", "chez", "aupres", "upon", "bei", "por", "ver"),
    ]
)
# The words of such a statement after its first: places where a password is kept (coffre, vault, gestionnaire,
# a password manager's name), ways it is sent (mail, SMS, courrier, Signal), people and offices who hold it (admin,
# secrétariat), states (cours, attente, envoyé, défini, set, requested) and what was or is to be done (renouveler,
# définir), with articles and a password's own name between them (dans le gestionnaire de mots de passe).
_PASSWORD_WHERE_FILLERS = frozenset(
    [
        *("le", "la", "les", "l", "un", "une", "du", "de", "des", "d", "the", "a", "an", "our", "notre", "nos"),
        *("votre", "vos", "your", "my", "mon", "ma", "mes", "der", "die", "das", "dem", "den", "ein", "einem"),
        *("el", "los", "las", "una", "del", "al", "et", "and", "ou", "or", "und", "y", "yet", "encore", "still"),
        *("mot", "mots", "passe", "password", "passwords", "passwort", "kennwort", "mdp", "contrasena"),
    ]
)
_PASSWORD_WHERE_WORDS = frozenset(
    [
        # how it was sent
        *("mail", "email", "e-mail", "courriel", "mel", "sms", "texto", "telephone", "tel", "phone", "post"),
        *("poste", "courrier", "lettre", "letter", "message", "messagerie", "signal", "whatsapp", "telegram"),
        *("slack", "teams", "matrix", "person", "personne", "main", "propre", "hand", "oral", "oralement"),
        *("orally", "voice", "anruf", "brief", "correo"),
        # where it is kept
        *("coffre", "coffre-fort", "vault", "safe", "tresor", "gestionnaire", "manager", "passwortmanager"),
        *("password-manager", "keychain", "trousseau", "fichier", "file", "document", "tableur", "spreadsheet"),
        *("onglet", "tab", "sheet", "feuille", "drive", "cloud", "nextcloud", "wiki", "dossier", "folder"),
        *("enveloppe", "envelope", "notes", "note", "colonne", "column", "ci-dessus", "ci-dessous", "dessus"),
        *("dessous", "above", "below", "separe", "separate", "autre", "other", "ldap", "sso", "annuaire"),
        *("bitwarden", "vaultwarden", "keepass", "keepassxc", "1password", "lastpass", "dashlane", "proton"),
        # who holds it
        *("admin", "administrateur", "administratrice", "administrator", "secretariat", "secretaire"),
        *("secretary", "tresorier", "tresoriere", "treasurer", "president", "presidente", "bureau", "office"),
        *("informatique", "support", "equipe", "team", "responsable", "webmaster", "moderateur"),
        # its state, or what was or is to be done
        *("cours", "attente", "pending", "waiting", "demande", "request", "requested", "defini", "definie"),
        *("renseigne", "renseignee", "communique", "communiquee", "fourni", "fournie", "provided", "given"),
        *("donne", "donnee", "recu", "recue", "received", "requis", "requise", "required", "needed"),
        *("necessaire", "applicable", "available", "disponible", "known", "connu", "connue", "valide"),
        *("valid", "active", "actif", "renouveler", "changer", "definir", "modifier", "reinitialiser"),
        *("envoyer", "faire", "creer", "create", "created", "cree", "creee", "attribuer", "attribue"),
        *("attribuee", "assigned", "initialise", "initialisee", "verifier", "verifie", "verified"),
        *("utilise", "used", "saisi", "saisie", "entered", "creation", "acces", "access", "identifiants"),
        *_PASSWORD_STATUSES,
    ]
)
_PASSWORD_WHERE_WORD = compile_cached(r"[^\W_]+(?:-[^\W_]+)*")


def _where_or_state(words: Sequence[str]) -> bool:
    """Whether ``words`` (casefolded, accents dropped, a cell's words apart by spaces) say where a password is kept,
    how it was sent or its state: a word of :data:`_PASSWORD_WHERE` (``par``, ``voir``, ``en``, ``in``, ``non``,
    ``à``), then words of :data:`_PASSWORD_WHERE_WORDS` (at least one) and articles (``par mail``, ``voir le
    coffre-fort``, ``en cours``, ``non envoyé``, ``in Bitwarden``, ``dans le gestionnaire de mots de passe``);
    not any words after a preposition (``en avant les bleus``, ``in vino veritas``: a passphrase)."""
    if len(words) < 2 or words[0] not in _PASSWORD_WHERE:
        return False
    rest = _PASSWORD_WHERE_WORD.findall(" ".join(words[1:]))
    return (
        bool(rest)
        and all(word in _PASSWORD_WHERE_WORDS or word in _PASSWORD_WHERE_FILLERS for word in rest)
        and any(word in _PASSWORD_WHERE_WORDS for word in rest)
    )


NOT_A_PASSWORD = frozenset(
    [
        *("n/a", "na", "none", "null", "nil", "aucun", "aucune", "vide", "empty"),
        *("non", "no", "nein", "nee", "nej", "nei", "oui", "yes", "ja", "si", "true", "false", "vrai", "faux"),
        *("0", "1", "y", "n", "o", "j", "ok", "ko", "\\n"),  # a yes or no in a letter; MySQL's NULL (\N) in exports
        *_PASSWORD_STATUSES,
        # unknown, or a spreadsheet's filler or mark (#N/A, NC: non communiqué; ✓, ✗)
        *("inconnu", "unknown", "#n/a", "nc", "n.c.", "nr", "?", "✓", "✔", "✅", "❌", "✗", "✘", "☑", "☐"),
        # a password manager's name: where it is kept
        *("bitwarden", "vaultwarden", "keepass", "keepassxc", "1password", "lastpass", "dashlane", "coffre"),
        # never changed or sent (under "Password changed on", "Mot de passe modifié le")
        *("never", "jamais", "nie", "niemals", "nunca", "jamas", "aldri", "aldrig", "nooit", "mai"),
    ]
)
# A masked or absent value: marks alone (-, *****, •••, ..., ?) or x's alone (xxxx, XXXXXX).
_MASKED = compile_cached(r"[-–—_*•●·.?]+|x+", re.IGNORECASE)
# A date written with its separators, a time after it (2024-03-01, 2024-03-01T10:12:00Z, 01/03/2024, 1.3.24): the day
# a password changed or was sent, under "Password changed" or "Mot de passe modifié le", which name a password too.
# A date of birth typed as a password has no separators (19051985) and is one.
# A month's name, as written in English, French, German and Spanish dates, casefolded, accents dropped (mars, marz for
# März, dic.), in full or cut short (sept.): 1 March 2024, 3 mars 2024, 1er mars 2024, 1. März 2024, 3 de marzo de
# 2024, March 1, 2024.
_MONTH = (
    r"(?:jan(?:uary|vier|uar|\.)?|janner|enero|feb(?:ruary|ruar|rero|\.)?|fev(?:rier|\.)?|mar(?:ch|s|z|zo|\.)?|"
    r"apr(?:il|\.)?|avr(?:il|\.)?|abr(?:il|\.)?|may(?:o)?|mai|jun(?:e|i|\.)?|juin|junio|jul(?:y|i|\.)?|juil(?:let|\.)?|"
    r"julio|aug(?:ust|\.)?|aout|ago(?:sto|\.)?|sep(?:t(?:ember|embre|\.)?|\.)?|se(?:p|t)iembre|oct(?:ober|obre|ubre|\.)?|"
    r"okt(?:ober|\.)?|nov(?:ember|embre|iembre|\.)?|dec(?:ember|embre|\.)?|dez(?:ember|\.)?|dic(?:iembre|\.)?)"
)
# A time of day written with AM or PM, as US dates are (3/1/2024 10:00 AM, 10:00pm, 10:00 p.m.).
_AM_PM = r"(?: ?[ap]\.?m\.?)?"
_TIME = rf"(?:[T ][0-9]{{1,2}}:[0-9]{{2}}(?::[0-9]{{2}}(?:\.[0-9]+)?)?{_AM_PM}(?:Z|[+-][0-9]{{2}}:?[0-9]{{2}})?)?"
# A month in digits (1 to 12) and its year of this century or the last, either first: 2024-03, 2024/03, 03/2024,
# 3-2024 (ISO 8601's YYYY-MM); 12/3456 may be the password.
_MONTH_NUMBER = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)[0-9]{2}"
_DATE = compile_cached(
    r"(?:[0-9]{4}([/.-])[0-9]{1,2}\1[0-9]{1,2}|[0-9]{1,2}([/.-])[0-9]{1,2}\2(?:[0-9]{2}|[0-9]{4})"
    rf"|[0-9]{{1,2}}(?:er|st|nd|rd|th|\.)? (?:de )?{_MONTH},? (?:de )?[0-9]{{4}}"
    rf"|{_MONTH} [0-9]{{1,2}}(?:st|nd|rd|th)?,? [0-9]{{4}}"
    # a month and its year, a month's name alone, a day and its month's name, a time alone (03/2024, 2024-03, mars
    # 2024, mars, 1 mars, 10:00, 10:00 AM; not 19/05, a day and a month in digits alone, which may be the password)
    rf"|{_MONTH_NUMBER}[/.-]{_YEAR}|{_YEAR}[/.-]{_MONTH_NUMBER}|{_MONTH}(?: [0-9]{{4}})?"
    rf"|[0-9]{{1,2}}(?:er|st|nd|rd|th|\.)? (?:de )?{_MONTH}"
    rf"|[0-9]{{1,2}}:[0-9]{{2}}(?::[0-9]{{2}})?{_AM_PM})"
    rf"{_TIME}",
    re.IGNORECASE,
)


def _status_rest(words: Sequence[str]) -> bool:
    """Whether ``words``, after a status (``envoyé``, ``changed``), say how or when, not the password: no digit
    (``par SMS``), or a date after a word or two without one (``on 2024-03-01``, ``le 3 mars 2024``); ``to
    Velo2024``, ``: Azerty123`` are one."""
    if not any(ch.isdigit() for word in words for ch in word):
        return True
    return any(
        _DATE.fullmatch(" ".join(words[i:])) is not None and not any(ch.isdigit() for w in words[:i] for ch in w)
        for i in range(min(3, len(words)))
    )


def is_password_value(cell: str) -> bool:
    """Whether ``cell``, under a column named as a password, holds one: any value, whatever its shape (``1234``,
    ``soleil``, ``Jean``), but an empty cell, marks or x's alone (``-``, ``*****``, ``xxxx``: masked or absent), a
    word of :data:`NOT_A_PASSWORD` (``n/a``, ``null``, ``non``, ``yes``, ``Y``, ``OK``, ``\\N``, ``changed``,
    ``modifié``, ``envoyé``, ``✓``, ``#N/A``, ``Bitwarden``: in any case, accents aside; ``never``, ``jamais``), a
    status opening a few words (``Envoyé par SMS``, ``changed on 2024-03-01``: :data:`_PASSWORD_STATUSES`), words
    saying where it is kept or its state (``par mail``, ``voir coffre``, ``en cours``, ``in Bitwarden``:
    :func:`_where_or_state`; ``en avant les bleus`` is a passphrase) and a date written with its separators or a
    month's name in English, French, German or Spanish, or a month, a day or a time alone (``2024-03-01``,
    ``2024.03.01``, ``01/03/2024``, ``3 mars 2024``, ``March 1, 2024``, ``03/2024``, ``2024-03``, ``mars``, ``1 mars``,
    ``10:00``, a time with AM or PM as US dates write it, ``3/1/2024 10:00 AM``: when it changed; ``19051985``,
    ``19/05``, ``12/3456`` are passwords)."""
    value = cell.strip().strip('"').strip()
    if not value or _MASKED.fullmatch(value):
        return False
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", value.casefold()) if not unicodedata.combining(ch))
    words = folded.split()
    if len(words) > 1 and words[0] in _PASSWORD_STATUSES and _status_rest(words[1:]):  # envoyé par SMS
        return False
    if _where_or_state(words):  # par mail, voir coffre, en cours, non envoyé
        return False
    return folded not in NOT_A_PASSWORD and _DATE.fullmatch(" ".join(words)) is None


# The words of a column's name that name a password as databases and programs write it (WordPress's user_pass,
# password_hash, passcode, Password1, pass_word, userPassword, mdp_hash), casefolded, accents dropped; and the first
# words of a column telling whether there is one (has_password, is_password_set), which holds a yes or no.
_PASSWORD_NAME_WORDS = frozenset(
    [
        *("password", "passwd", "passwort", "pass", "pwd", "pw", "passcode", "passphrase", "mdp", "motdepasse"),
        *("kennwort", "passord", "contrasena", "senha", "wachtwoord", "losenord", "salasana", "haslo", "heslo"),
        *("jelszo", "parola", "lozinka", "geslo", "sifre", "parool", "adgangskode", "kodeord", "pin"),
        *ACCESS_CODE_JOINED,
    ]
)
# A code's word in a column's name, and the words naming it an access code, the words between them: those prose reads
# as an access code's label (pic.secrettext.ACCESS_CODE_CODES...: Code d'accès, code_acces, Access code, Codice
# d'accesso, Código de acceso, Code de connexion, a PIN, a login's code). A code naming another thing (Code postal,
# Zip code, Code INSEE, Code adhérent, Code promo, Country code) is no password, nor a code alone (Code: a postcode, a
# group, a member's number as often as an access code).
_CODE_NAME_WORDS = frozenset(ACCESS_CODE_CODES)
_ACCESS_NAME_WORDS = frozenset(ACCESS_CODE_ACCESS)
_CODE_NAME_FILLERS = frozenset(ACCESS_CODE_FILLERS)
_BOOLEAN_NAME_WORDS = frozenset(["has", "is", "needs", "must", "with", "avec", "sans", "without"])
# A word of a column telling a fact about the password, not it (password_length, pwdLastSet, badPwdCount,
# password_strength, Password Hint, Secret question); and the words naming a password only beside one naming whose
# (a pass is also a season ticket: Pass'Sport, Pass_Navigo, Type de pass, EasyPass; user_pass, pass_hash, ftp_pass
# are passwords).
_PASSWORD_FACT_WORDS = frozenset(
    [
        *("count", "length", "len", "strength", "last", "type", "policy", "hint", "age", "min", "max", "score"),
        *("quality", "question"),  # a secret question's text (its answer is a secret)
    ]
)
_AMBIGUOUS_NAME_WORDS = frozenset(["pass", "pw"])
_PASSWORD_NAME_COMPANIONS = frozenset(
    [
        *("user", "word", "hash", "login", "account", "admin", "ftp", "sftp", "ssh", "db", "mysql", "wp", "mail"),
        *("email", "old", "new", "temp", "tmp", "init", "initial", "mdp", "password", "passwd", "pwd"),
    ]
)


def names_a_password(name: str) -> bool:
    """Whether ``name`` (a CSV header's cell, an XML element's name) names a password or another secret: a key's
    name ``pic check`` reads as a secret's (pic.yamlsrc.secret_name: ``token``, ``api_key``, ``Access Token``,
    ``otp_secret``, a slip of password such as ``Pasword``), a secret's label alone (pic.secrettext.label_alone:
    ``Mot de passe``, ``Password``, ``mdp``, ``Kennwort``), or a name in a database's or a program's shape holding a
    word of one (:data:`_PASSWORD_NAME_WORDS`), its words apart by ``_``, ``-``, a digit or a capital (``user_pass``,
    ``password_hash``, ``Password1``, ``userPassword``, ``pass_word``); but a yes or no's name (``has_password``,
    ``is_token_set``), a fact about it (``password_length``, ``pwdLastSet``, ``Password Hint``, ``token_count``:
    :data:`_PASSWORD_FACT_WORDS`) and a pass not said whose (``Pass'Sport``, ``Pass_Navigo``, ``Navigo Pass``: a
    season ticket)."""
    from pic.secrettext import label_alone
    from pic.yamlsrc import secret_name

    name = name.strip().strip('"').strip()
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", spaced.casefold()) if not unicodedata.combining(ch))
    words = re.findall(r"[^\W\d_]+", folded)  # letters of any script: Hasło is one word, not has and o
    if (words and words[0] in _BOOLEAN_NAME_WORDS) or any(word in _PASSWORD_FACT_WORDS for word in words):
        return False
    others = [word for word in words if word not in _AMBIGUOUS_NAME_WORDS]
    if (
        others != words
        and others
        and not any(word in _PASSWORD_NAME_COMPANIONS for word in words)
        and not secret_name(" ".join(others))
    ):
        return False  # a season ticket's name: Pass Navigo, Navigo Pass (secret_name and label_alone take them)
    if secret_name(name) or label_alone(name) or _names_an_access_code(words):
        return True
    return any(word in _PASSWORD_NAME_WORDS for word in words) or any(
        first + second in _PASSWORD_NAME_WORDS for first, second in itertools.pairwise(words)
    )


def _names_an_access_code(words: Sequence[str]) -> bool:
    """Whether a column's name of ``words`` (casefolded, accents dropped) names an access code: a code's word
    (:data:`_CODE_NAME_WORDS`) with words naming an access (:data:`_ACCESS_NAME_WORDS`: ``Code d'accès``,
    ``code_acces``, ``Access code``, ``Code PIN``), no other (``Code postal``, ``Zip code``, ``Code adhérent``); nor
    a code alone (``Code``), which exports use for postcodes, groups and members' numbers as often (75011, A12,
    ADH2024017)."""
    if not any(word in _CODE_NAME_WORDS for word in words):
        return False
    others = [w for w in words if w not in _CODE_NAME_WORDS and w not in _CODE_NAME_FILLERS]
    return bool(others) and all(word in _ACCESS_NAME_WORDS for word in others)


def _password_columns(lines: Sequence[str]) -> Callable[[int, str], list[str]]:
    """For a CSV whose header (its first line neither blank nor a ``#`` comment, holding no ``@``, its delimiter
    ``,``, ``;`` or a tab) names columns as a password (:func:`names_a_password`: ``Mot de passe``, ``Password``,
    ``mdp``, ``Passord``, ``user_pass``, ``password_hash``), whatever it names its column of addresses, the values a
    line after it (its number from 1, its text) holds in them (:func:`is_password_value`: any but an empty cell and
    :data:`NOT_A_PASSWORD`'s), read alone and, for a row whose quoted cell holds a line break (RFC 4180 §2.6), as the
    whole row at its first line; none, for any other file."""
    header = next(((i, line) for i, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")), None)
    if header is None or "@" in header[1]:  # no header: a row of addresses
        return lambda number, line: []
    # its delimiter the one splitting it into most cells with such a name: the column of addresses may be named
    # as pic knows no such column (Adresse, E-postadresse, Correo electrónico: read by its cells)
    named = []
    # a header whose quote is not closed on its line is read without it, as _read_csv reads it
    names = header[1].replace('"', "") if header[1].count('"') % 2 else header[1]
    for delimiter in (d for d in ",;\t" if d in names):
        cells = _split(names, delimiter)
        labels = {i: cell.strip() for i, cell in enumerate(cells) if names_a_password(cell)}
        if labels:
            named.append((len(cells), delimiter, labels))
    if not named:
        return lambda number, line: []
    at = header[0]
    _, delimiter, labels = max(named, key=lambda found: found[0])
    labels = {i: label for i, label in labels.items() if not _category(lines, at, delimiter, i, label)}
    if not labels:
        return lambda number, line: []

    def secrets_in(row: Sequence[str]) -> list[str]:
        return [row[i].strip() for i in labels if i < len(row) and is_password_value(row[i])]

    # a row whose quoted cell holds a line break (a postal address, a note), named by its first line; a quote
    # without its pair (:func:`_quote_runs_on`) is no such row: its line is read alone, and the lines after it as
    # rows, as _read_csv reads them
    addresses = next((i for i, cell in enumerate(_split(names, delimiter)) if _is_email_header(cell)), None)
    spanning: dict[int, list[str]] = {}
    base = at  # the reader's first line is line base + 1 of the file
    reader = csv.reader(_lines_from(lines, base), delimiter=delimiter)
    done = 0
    try:
        with _long_fields():
            while (row := next(reader, None)) is not None:
                first, last = base + done + 1, base + reader.line_num
                done = reader.line_num
                if last > first and _quote_runs_on(lines, first, last, delimiter, addresses):
                    base, reader, done = first, csv.reader(_lines_from(lines, first), delimiter=delimiter), 0
                elif last > first and (found := secrets_in(row)):
                    spanning[first] = found
    except csv.Error:  # a line the csv module cannot read: its lines are read one by one
        pass

    def held(number: int, line: str) -> list[str]:
        alone = secrets_in(_split(line, delimiter)) if number > at and delimiter in line else []
        return [*spanning.get(number, []), *alone]

    return held


# A membership's or a ticket's terms (casefolded, accents dropped), as a column named Pass holds them: its length,
# whom it is for, its rate.
_PASS_TERMS = frozenset(
    [
        *("annuel", "annuelle", "mensuel", "mensuelle", "trimestriel", "semestriel", "hebdomadaire", "journalier"),
        *("saison", "annual", "yearly", "monthly", "quarterly", "weekly", "daily", "season"),
        *("adulte", "adultes", "enfant", "enfants", "etudiant", "etudiante", "senior", "seniors", "jeune", "jeunes"),
        *("famille", "familial", "familiale", "couple", "individuel", "individuelle", "duo", "solo"),
        *("adult", "child", "student", "family", "individual", "junior"),
        *("plein", "reduit", "gratuit", "solidaire", "bienfaiteur", "soutien", "decouverte", "standard", "premium"),
        *("full", "reduced", "free", "basic"),
    ]
)


def _category(lines: Sequence[str], at: int, delimiter: str, column: int, name: str) -> bool:
    """Whether the CSV column ``column`` named ``name`` (its header ``lines[at - 1]``) is a category, no column of
    passwords: named ``Pass`` or ``PW`` alone (a pass may be a membership's or a season ticket's), its values all
    words of letters alone (``Annuel``, ``Mensuel``), fewer distinct than its rows holding one (a value repeated:
    passwords are each a member's own) or each a membership's or a ticket's term (:data:`_PASS_TERMS`)."""
    words = re.findall(r"[^\W\d_]+", name.casefold())
    if not words or any(word not in _AMBIGUOUS_NAME_WORDS for word in words):
        return False
    values: list[str] = []
    with contextlib.suppress(csv.Error), _long_fields():
        for row in csv.reader(_lines_from(lines, at), delimiter=delimiter):
            value = row[column].strip() if column < len(row) and not row[0].lstrip().startswith("#") else ""
            if not value:
                continue
            if _NAME_WORD.fullmatch(value) is None:
                return False
            values.append(value.casefold())
    terms = {
        "".join(ch for ch in unicodedata.normalize("NFKD", value) if not unicodedata.combining(ch)) for value in values
    }
    return len(set(values)) < len(values) or (bool(terms) and terms <= _PASS_TERMS)


# The password columns of each file read (:func:`_password_columns`), by the id of its lines, which it holds: read
# once a file, for its secret lines and for each of its flags (Flag.hidden).
# The password columns of the files read last, by their lines (kept here, so that their id is not another's): at
# most _PASSWORD_COLUMNS_KEPT files, the oldest dropped first, so a process auditing many exports keeps few.
_PASSWORD_COLUMNS: dict[int, tuple[Sequence[str], Callable[[int, str], list[str]]]] = {}
_PASSWORD_COLUMNS_KEPT = 8


def password_values(lines: Sequence[str], number: int) -> list[str]:
    """The values line ``number`` (from 1) of ``lines`` holds under a column named as a password
    (:func:`_password_columns`), stripped; none when the file has no such column."""
    if not 0 < number <= len(lines):
        return []
    known = _PASSWORD_COLUMNS.get(id(lines))
    if known is None or known[0] is not lines:
        while len(_PASSWORD_COLUMNS) >= _PASSWORD_COLUMNS_KEPT:
            del _PASSWORD_COLUMNS[next(iter(_PASSWORD_COLUMNS))]
        known = _PASSWORD_COLUMNS[id(lines)] = (lines, _password_columns(lines))
    return known[1](number, lines[number - 1])


def _unnamed_cells(lines: Sequence[str]) -> dict[int, list[str]]:
    """For a CSV whose header (its first line neither blank nor a ``#`` comment, holding no ``@``) names a column of
    addresses (:func:`_csv_delimiter`), the cells of its rows beyond the header's columns, which no column names,
    shaped as a password (:func:`_secret_shaped` after a space: ``email,name`` then ``marie@orange.fr,Marie,Lilas2024``;
    not a name, a date, a number, a reference, a cell holding an ``@``, a term and its number,
    :func:`_term_and_number`: ``Saison2024``, ``Apt4B``), in rows whose cell of addresses holds an
    ``@`` (another row was split, :func:`_split_row`), by the number (from 1) of their row's first line; none for
    another file, or one the csv module cannot read."""
    header = next(((i, line) for i, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")), None)
    if header is None or "@" in header[1]:
        return {}
    at, names = header
    delimiter = _csv_delimiter(names, lines[at : at + _DELIMITER_SAMPLE])
    if delimiter is None:
        return {}
    columns = _split(names, delimiter)
    width = len(columns)
    addresses = next((i for i, cell in enumerate(columns) if _is_email_header(cell)), 0)
    found: dict[int, list[str]] = {}
    reader = csv.reader(_lines_from(lines, at), delimiter=delimiter)
    done = 0
    with contextlib.suppress(csv.Error), _long_fields():
        while (row := next(reader, None)) is not None:
            first = at + done + 1
            done = reader.line_num
            # a row whose cell of addresses holds none was split (_split_row): its cells are the address's parts
            if row and not row[0].lstrip().startswith("#") and addresses < len(row) and "@" in row[addresses]:
                shaped = [
                    c.strip()
                    for c in row[width:]
                    if "@" not in c and _secret_shaped(c.strip(), " ") and not _term_and_number(c.strip())
                ]
                if shaped:
                    found[first] = shaped
    return found


# A word of letters and a number after it, a space, a dot, a hyphen or an underscore between them, a letter before the
# number, or after a number of up to three digits, or bis, ter or quater (the French suffixes of a street number), as
# an address's part has (Saison2024, Annuel-2025, Apt4B, Bât-B2, Esc3, Appt112B, Appt12bis, T3bis; not Saison2024a, a
# year and a letter, as a password is made), or a year and the next (Saison2024-2025)
_WORD_AND_NUMBER = compile_cached(
    r"(?P<word>[^\W\d_]+)[ ._-]?[^\W\d_]?"
    r"(?:[0-9]{1,3}(?:(?i:bis|ter|quater)|[^\W\d_])?|[0-9]{4}(?:[-/](?:[0-9]{2}|[0-9]{4}))?)"
)
# A floor's ordinal, as French and English write it (2ème, 3e, 1er, 2nd, 4th): an address's part
_ORDINAL = compile_cached(r"(?i:[0-9]{1,2}(?:e|er|re|ère|ere|ème|eme|nd|nde|st|rd|th))")
# Words an export's row holds with a number beyond its header's columns, from a postal address or a membership's
# column split at its commas (casefolded, accents dropped): an address's part (appartement, bâtiment, escalier, étage,
# résidence, boîte postale: La Poste's abbreviations, Apt4B, Bât-B2, Esc3, Appt12) or a season's or a membership's
# term and its year (Saison2024, Adhésion2024; :data:`_PASS_TERMS`'s too: Annuel2025)
_TERMS_BEFORE_NUMBER = frozenset(
    [
        *("apt", "appt", "app", "apart", "appart", "appartement", "apartment", "bat", "batiment", "bt", "bldg"),
        *("building", "esc", "escalier", "etg", "etage", "floor", "porte", "pte", "res", "residence", "bloc"),
        *("block", "lot", "lgt", "logement", "chambre", "ch", "bp", "cs", "box", "cave", "parking", "unit"),
        *("suite", "ste", "hall", "villa", "studio", "entree", "immeuble", "imm", "tour", "cedex"),
        *("adhesion", "cotisation", "membership", "abonnement", "promo", "promotion", "session", "annee"),
        *("year", "edition", "licence", "license", "classe", "groupe", "group", "equipe", "niveau", "stage"),
        # the French abbreviations of an adhésion, a cotisation, and of a flat's type by its rooms (T3, F2)
        *("adh", "cotis", "cotisations", "t", "f"),
        *_PASS_TERMS,
    ]
)


def _term_and_number(cell: str) -> bool:
    """Whether ``cell`` is a word of :data:`_TERMS_BEFORE_NUMBER` and a number (:data:`_WORD_AND_NUMBER`), or a
    floor's ordinal (:data:`_ORDINAL`: 2ème): a postal address's part or a season's or a membership's term, no
    password, though shaped as one (a word of 4 characters or more holding a letter and a digit); one holding a sign
    (``Saison2024!``) or a letter after a year (``Saison2024a``) is none."""
    if _ORDINAL.fullmatch(cell):
        return True
    found = _WORD_AND_NUMBER.fullmatch(cell)
    if found is None:
        return False
    word = unicodedata.normalize("NFKD", found.group("word").casefold())
    return "".join(ch for ch in word if not unicodedata.combining(ch)) in _TERMS_BEFORE_NUMBER


_UNNAMED_CELLS: dict[int, tuple[Sequence[str], dict[int, list[str]]]] = {}


def unnamed_values(lines: Sequence[str], number: int) -> list[str]:
    """The cells shaped as a password that line ``number`` (from 1) of ``lines`` holds beyond its header's columns
    (:func:`_unnamed_cells`), stripped; kept for the files read last, as :func:`password_values` keeps its."""
    known = _UNNAMED_CELLS.get(id(lines))
    if known is None or known[0] is not lines:
        while len(_UNNAMED_CELLS) >= _PASSWORD_COLUMNS_KEPT:
            del _UNNAMED_CELLS[next(iter(_UNNAMED_CELLS))]
        known = _UNNAMED_CELLS[id(lines)] = (lines, _unnamed_cells(lines))
    return known[1].get(number, [])


# An address and its password as credential dumps ("combo lists") write them, the line's whole (after a dump's
# ``email`` key; the address bare, in quotes or angle brackets, or after a link's ``mailto:``; a ``#`` comment after
# it aside): ``address:password`` (spaces around the colon or not), one word after the colon, or a few holding a digit
# or a sign (``Azerty 123``; ``Marie Dupont``, names, is none); ``address|password`` and the same after a comma, a
# semicolon or a tab (a two-cell row), one word holding a letter and a digit or a sign (a pipe-separated export's name,
# ``luc@example.org|Luc Martin``, and a CSV's ``jean@example.org,Jean`` are none). Not a combo: an address inside a
# text (a note's ``sftp marie@sftp.example.org:22``), a port (``x@example.org:25``), a path or a repository
# (``backup@nas.example.org:/volume1``, ``git@github.com:asso/site.git``), a date or a time, a UUID, more cells, a
# language (``fr``, ``fr-FR``, ``pt_BR``: RFC 5646's language and region), an address literal (``[2001:db8::1]``,
# ``[IPv6:2001:db8::1]``, ``[192.0.2.1]``: RFC 5321 §4.1.3), and what is no password under a column named as one
# (:func:`is_password_value`: a yes or no, a status, a month, ``yes``, ``non``, ``2024-03``, ``mars``).
_ADDRESS_AT = r"(?<![^\s,;\"'<])[^\s@,;:|<>\"']+@[^\s@,;:|<>\"'.]+(?:\.[^\s@,;:|<>\"'.]+)+"
_COMBO_ADDRESS = compile_cached(
    r"[^\S\n]*(?:email[^\S\n]+)?(?:mailto:)?[<\"']?[^\s@,;:|<>\"']+@[^\s@,;:|<>\"'.]+(?:\.[^\s@,;:|<>\"'.]+)+[>\"']?",
    re.IGNORECASE,
)
_COMBO_SEPARATOR = compile_cached(r"(?P<pad>[^\S\n]*)(?P<sep>[:|,;]?)(?P<arrow>[-=>/~»—–+*&?.\\]*)[^\S\n]*")
_COMMENT = compile_cached(r"[^\S\n]#")
_NOT_COMBO = compile_cached(
    r"[0-9]{1,5}|[/~].*|.*/.*|.*\.git|[0-9]{1,4}([-/.:])[0-9]{1,2}\1[0-9]{1,4}(?:[T ][0-9:.]+)?(?:Z|[+-][0-9:]+)?"
    r"|[0-9]+(?:[:.][0-9]+)+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|[a-z]{2,3}(?:[-_](?:[a-z]{2}|[0-9]{3}))?|\[(?:ipv6:)?[0-9a-f:.]+\]",
    re.IGNORECASE,
)
_ADDRESS_LITERAL = compile_cached(r"\[(?:ipv6:)?[0-9a-f:.]+\]", re.IGNORECASE)  # RFC 5321 §4.1.3
# An address after an address, in brackets or not, its domain ending in a label of letters (a top-level domain): no
# password (P@ss.w0rd is one).
_ANOTHER_ADDRESS = compile_cached(
    r"[<(\[]?(?:mailto:)?[^\s@,;:|<>\"'()\[\]]+@(?:[^\s@,;:|<>\"'.()\[\]]+\.)+[^\W\d_]{2,63}[>)\]]?\.?", re.IGNORECASE
)
# A word of letters alone (a name: Marie, Jean-Pierre, O'Brien, Zoé), dots and hyphens within.
_NAME_WORD = compile_cached(r"[^\W\d_]+(?:[-'’.][^\W\d_]+)*\.?")
_MOST_COMBO_WORDS = 3  # of a password with spaces after a colon (Azerty 123)


def _headerless(lines: Sequence[str]) -> bool:
    """Whether the first line of ``lines`` neither blank nor a ``#`` comment holds an ``@``: no header row names the
    cells of its rows (a two-cell row ``address,value`` may be a credential dump's line, :func:`_combo`)."""
    first = next((line for line in lines if line.strip() and not line.startswith("#")), "")
    return "@" in first


def _combo(line: str, *, cells: bool = True) -> bool:
    """Whether ``line`` is an address and its password as a credential dump writes them (:data:`_COMBO_ADDRESS`);
    ``cells``: a two-cell row (``address,password``, ``;`` or a tab) is one too, in a file whose header row does not
    name its cells."""
    head = _COMBO_ADDRESS.match(line)
    if head is None:
        return False
    rest = line[head.end() :]
    comment = _COMMENT.search(rest)
    if comment is not None:
        if _password_comment(rest[comment.end() :]):
            return True
        rest = rest[: comment.start()]
    found = cast(re.Match[str], _COMBO_SEPARATOR.match(rest))
    separator = found.group("sep") or ("\t" if "\t" in found.group("pad") else "")
    if not separator and not found.group("pad") and head.group().endswith(('"', "'", ">")):
        separator = "|"  # its closing quote or bracket parts it (jean@example.org"Azerty123), read as a pipe does
    if not separator and (found.group("pad") or found.group("arrow")):
        separator = " "  # a space, an arrow, a slash or a dash: a word after it, a name of the web interface's dump
    if not cells and separator in (",", ";", "\t"):
        return False
    value = rest[found.end() :].rstrip()
    if "@" in value and _ANOTHER_ADDRESS.fullmatch(value.strip("\"' ")):
        return False  # another address (an alias's target, a second address of the subscriber), no password
    return bool(separator) and _secret_shaped(value, separator)


def _password_comment(text: str) -> bool:
    """Whether ``text``, a ``#`` comment after an address (its ``#`` left out), is one word alone shaped as a
    password (``# Chaton77!``: :func:`_secret_shaped` after a space); a note of words (``# vu le 3 mars``) or a
    reference (``# ADH-2024-017``) is none."""
    words = text.split()
    return len(words) == 1 and _secret_shaped(words[0], " ")


def _secret_shaped(value: str, separator: str) -> bool:
    """Whether ``value``, written after an address and ``separator`` (``:``, ``|``, ``,``, ``;`` or a tab), is shaped
    as the password of a credential dump's line (:func:`_combo`): after a colon, one word, or a few holding a digit or
    a sign, that are not a port, a path, a date, a time or a UUID (:data:`_NOT_COMBO`) nor names alone; after another
    separator, one word of 4 characters or more holding a letter and a digit or a sign."""
    value = value.strip("\"'")  # a cell's quotes, or a quote without its pair: no sign of a password
    if separator == " ":
        word = value.strip("()[]<>\"'")  # a name in brackets: (Trésorière)
        return (
            password_word(word)
            and _REFERENCE.fullmatch(word) is None
            and _CAPITALS_REFERENCE.fullmatch(word) is None
            and not _path(word)
            and is_password_value(word)
        )
    words = value.split()
    if not words or (separator != ":" and any(ch in value for ch in ',;|\t"')):
        return False
    if separator == ":" and len(words) == 1:
        return not _path(value) and is_password_value(value)
    if separator == ":" and len(words) <= _MOST_COMBO_WORDS:
        if all(_NAME_WORD.fullmatch(word) for word in words):
            return False  # a name: marie@example.org:Marie Dupont
        return not any(_NOT_COMBO.fullmatch(word) and not word.isdigit() for word in words)
    return (
        len(words) == 1
        and len(value) >= 4
        and any(ch.isalpha() for ch in value)
        and any(ch.isdigit() or not (ch.isalnum() or ch in "-'’.") for ch in value)
        and _NOT_COMBO.fullmatch(value) is None
        and is_password_value(value)
    )


# A password hash in the forms of crypt(3) and of LDAP's userPassword after any delimiter (or at the start): bcrypt
# ($2y$10$...), Argon2 ($argon2id$...), MD5, SHA-256, SHA-512 crypt ($1$, $5$, $6$), yescrypt ($y$), {SSHA}, {CRYPT}...
_PASSWORD_HASH = compile_cached(
    r"(?<![^\s:|;,=\"'>])(?:\$2[abxy]?\$[0-9]{2}\$[./A-Za-z0-9]{20,}|\$argon2(?:id|i|d)\$\S{16,}"
    r"|\$(?:1|5|6|7|y|gy|sha1|pbkdf2[-\w]*)\$\S{8,}|\{(?:S?SHA(?:256|384|512)?|S?MD5|CRYPT|PBKDF2[-\w]*|ARGON2)\}\S{8,})",
    re.IGNORECASE,
)
# An XML element of Sympa's custom attributes, or another, holding a value: <password>...</password>, or
# <custom_attribute id="password"><value>...</value> (Sympa's custom_attribute field of a subscriber).
_XML_VALUE = compile_cached(
    r"<([^\s<>/]+)(?:\s[^<>]*)?>([^<]*)</\1>|<custom_attribute\s[^<>]*\bid=[\"']([^\"']*)[\"'][^<>]*>\s*<value>([^<]*)<"
)


def _shaped_cell(address: str, line: str | None, *, cells: bool = True) -> bool:
    """Whether the entry's ``address``, a whole cell of its ``line`` (a CSV's, ``jean@gmial.com:Azerty123,Jean``), holds
    a secret by its shape (:func:`_shaped_secret`); not the first word of a line read whole
    (``marie@example.org:Marie Dupont``: the line is read as such)."""
    if line is not None and address.strip() not in (cell.strip() for cell in re.split(r"[,;\t]", line)):
        return False
    return _shaped_secret(address, cells=cells)


def _shaped_secret(line: str, *, cells: bool = True) -> bool:
    """Whether ``line`` holds a secret by its shape alone: an address and its password as credential dumps write them
    (``jean@example.org:Azerty123``, ``luc@example.org|Velo2024x``), a password hash (``$2y$10$...``, ``$argon2id$``,
    ``$6$``, ``{SSHA}``: crypt(3), LDAP's userPassword) after any delimiter, or an XML element named as a password
    (:func:`names_a_password`) holding one (:func:`is_password_value`), as in Sympa's custom attributes
    (``<password>...</password>``, ``<custom_attribute id="password"><value>...</value>``)."""
    if ("@" in line and _combo(line, cells=cells)) or (("$" in line or "{" in line) and _PASSWORD_HASH.search(line)):
        return True
    return "<" in line and any(
        _secret_attribute(found[0] or found[2], found[1] or found[3]) for found in _XML_VALUE.findall(line)
    )


def _secret_attribute(name: str, value: str) -> bool:
    """Whether an XML element (a Sympa custom attribute) named ``name`` holding ``value`` holds a password: named as
    one (:func:`names_a_password`: ``password``, ``pin``, ``code_acces``; not ``code`` alone) and holding one
    (:func:`is_password_value`)."""
    return names_a_password(name) and is_password_value(value)


def _may_hold_secret(line: str, *, cells: bool = True) -> bool:
    """:func:`_holds_secret`, for a line that holds, as written and as words (:func:`as_words`), a word a form of a
    secret needs (pic.secrettext.no_secret_word); False at once for the usual line of an export (an address, a
    name), which holds none."""
    from pic.secrettext import no_secret_word

    if _shaped_secret(line, cells=cells):
        return True
    if no_secret_word(line) and no_secret_word(as_words(line)):
        return False
    return _holds_secret(line, cells=cells)


def _holds_secret(line: str, *, cells: bool = True) -> bool:
    """Whether ``line`` reads as a secret by itself (pic.errors.reads_as_secret), or once its cells and an
    address's halves are words apart, or with a value before its label (:func:`_secret_in_words`), or once its XML
    elements' tags are taken out (a custom attribute's text, its value on a line of its own); True, unread, for
    a line holding more words of a label than are read (:data:`MOST_LABELS_READ`)."""
    return (
        _unread(line)
        or _shaped_secret(line, cells=cells)
        or reads_as_secret((), line)
        or _secret_in_words((), line, "")
        or ("<" in line and ">" in line and reads_as_secret((), _XML_TAG.sub("\n", line)))
    )


# An XML element's tag, which ends the text before it (a custom attribute's value: <note>Identifiants : marie /
# Lilas2024</note> is read without its tags, each value on a line of its own).
_XML_TAG = compile_cached(r"<[^<>]*>")


def _resolver(resolver_address: str | None, resolv_conf: Path) -> dns.resolver.Resolver:
    """dnspython's resolver, configured from ``resolv_conf`` (resolv.conf(5)) when ``resolver_address`` is None.
    Raises :class:`pic.errors.Unreachable` naming the file when it cannot be read or names no resolver."""
    import dns.exception
    import dns.resolver

    try:
        resolver = dns.resolver.Resolver(str(resolv_conf), configure=resolver_address is None)
    except dns.resolver.NoResolverConfiguration:
        why = (
            f"no resolver to ask: {shown_name(resolv_conf)} cannot be read or names none (no nameserver line of an IP "
            "address): give one with --resolver"
        )
        raise Unreachable([Problem("--mx", None, "", why)]) from None
    except (ValueError, dns.exception.DNSException) as exc:  # what dnspython's reader lets through
        if isinstance(exc, UnicodeDecodeError):
            what = "it is not UTF-8"
        elif isinstance(exc, dns.exception.DNSException):
            what = "a search or domain line names no DNS name"
        else:
            what = "a nameserver line names no IP address"
        why = f"no resolver to ask: {shown_name(resolv_conf)} cannot be read ({what}): give one with --resolver"
        raise Unreachable([Problem("--mx", None, "", why)]) from None
    return resolver


def mx_flags(
    entries: Sequence[Entry],
    already: Sequence[Flag],
    resolver_address: str | None,
    timeout: float,
    *,
    port: int = 53,
    resolv_conf: Path = Path("/etc/resolv.conf"),
) -> list[Flag]:
    """Addresses whose domain has neither MX nor address record (RFC 5321 §5.1), and those whose domain could not be
    checked (:attr:`Flag.unchecked`: the resolver answered its lookup with an error, YXDOMAIN, no answer within
    ``timeout`` seconds, or the domain is no name DNS can look up), each said in :func:`pic.unanswered.said`'s words;
    needs the network. Entries flagged ``already`` are not looked up. Raises :class:`pic.errors.Unreachable`, naming
    the domains asked, when the resolver answered none of them (:class:`pic.unanswered.Unanswered`: it stops once the
    first three went unanswered): said once, not on each row; and when ``resolver_address`` is None and
    ``resolv_conf`` (resolv.conf(5), the system's resolvers, read by dnspython) cannot be read (not UTF-8, a
    nameserver that is no IP address, a search or domain line naming no DNS name) or names none."""
    from pic.dns_check import ConnectedNameserver

    resolver = _resolver(resolver_address, resolv_conf)
    if resolver_address is not None:
        resolver.nameservers = [resolver_address]
        resolver.port = port
    # Asked over connected sockets: a resolver address where nothing listens is said at once, not after timeouts.
    resolver.nameservers = [
        ConnectedNameserver(str(ns), resolver.port) if isinstance(ns, str) else ns for ns in resolver.nameservers
    ]
    resolver.lifetime = timeout
    flagged = {f.entry for f in already}
    verdicts: dict[str, bool | _Unchecked] = {}
    unanswered = Unanswered()  # the resolver or the network down: stop, not one timeout per domain of the exports
    out = []
    for entry in entries:
        if entry in flagged or "@" not in entry.address:
            continue
        domain = entry.address.rsplit("@", 1)[1].lower()
        if domain not in verdicts:
            verdict = verdicts[domain] = _receives_mail(resolver, domain, timeout)
            if not isinstance(verdict, _Unchecked):
                unanswered.note(domain, True)
            elif verdict.asked:  # a name DNS cannot look up tells nothing of the resolver
                unanswered.note(domain, verdict.answered, cause=verdict.cause)
            if unanswered.down:
                break
        verdict = verdicts[domain]
        if isinstance(verdict, _Unchecked):
            out.append(Flag(entry, f"its domain could not be checked (--mx): {verdict.said}", None, unchecked=True))
        elif not verdict:
            out.append(Flag(entry, f"{domain} has no mail exchanger (no MX, no address record)", None))
    if unanswered.none_answered:
        raise Unreachable([Problem("--mx", None, "", unanswered.why(timeout))])
    return out


@dataclass(frozen=True)
class _Unchecked:
    """A domain whose lookup failed: why, in :func:`pic.unanswered.said`'s words; ``cause``, as
    :func:`pic.unanswered.failure` names it ("" for a timeout); ``asked``: False for a name DNS cannot look up, never
    sent; ``answered``: the resolver did answer (YXDOMAIN, RFC 6672 section 2.2)."""

    said: str
    cause: str
    asked: bool
    answered: bool


def _receives_mail(resolver: object, domain: str, timeout: float) -> bool | _Unchecked:
    """Whether ``domain`` receives mail: an MX record other than a null MX (RFC 7505), else an A or AAAA record (RFC
    5321 §5.1); False for a domain that does not exist (NXDOMAIN). :class:`_Unchecked` when a lookup failed (any
    exception of dnspython's ``Resolver.resolve`` but NXDOMAIN), each allowed ``timeout`` seconds."""
    import dns.exception
    import dns.resolver

    assert isinstance(resolver, dns.resolver.Resolver)
    for rtype in ("MX", "A", "AAAA"):
        try:
            answer = resolver.resolve(domain, rtype, raise_on_no_answer=False)
        except dns.resolver.NXDOMAIN:
            return False
        except dns.exception.DNSException as exc:
            return _Unchecked(
                said(exc, domain, rtype, timeout),
                failure(exc),
                asked=not bad_name(exc, domain),
                answered=isinstance(exc, dns.resolver.YXDOMAIN),
            )
        if answer.rrset is not None and len(answer.rrset) > 0:
            # A null MX (RFC 7505) says the domain accepts no mail.
            return not (rtype == "MX" and all(str(r.exchange) == "." for r in answer.rrset))
    return False

"""Checks of single values shared by the member and settings models.

Each check returns the value or raises ValueError with a message that says
what is allowed; pydantic turns that into a field error.

One way to check text, everywhere:
- a value of a fixed form is matched on the whole string (:class:`Whole`,
  ``re.fullmatch``): a final newline never slips through as it does with ``$``;
- a free-text value (:class:`FreeText`) refuses control, format (bidi, zero
  width, except a joiner where a script's spelling needs it or between two
  emoji, the tag characters of a subdivision's flag, a zero width space
  between words of Thai, Lao, Khmer or Myanmar, and a left-to-right,
  right-to-left or Arabic letter mark in a text holding right-to-left
  letters), line and
  paragraph separator characters, surrogates, private-use and unassigned
  code points (Unicode general categories Cc, Cf, Cs, Co, Cn, Zl, Zp), since
  they reach config files, scripts and terminals, and the letters that print
  as nothing (:data:`pic.errors.BLANK_LOOKING`); it must hold a
  visible character (a letter, digit, punctuation or symbol: categories L, N,
  P, S) and may not start a line with a combining mark (category M), which
  would have no character to sit on (a defective combining sequence, The
  Unicode Standard, §3.6 D57);
- an OpenSSH key is read by the ``cryptography`` package.

The libraries (``email_validator``, ``idna``, ``cryptography``, and ``regex`` for
the scripts of a label) are imported on first use: the usual forms of domains,
addresses and ed25519 keys are accepted by short checks that give the
libraries' verdict (:func:`check_domain`, :func:`check_email`,
:func:`check_ssh_key`; tests/test_fields_fast.py compares both on generated and
tricky values), so ``pic check`` on a registry of them never loads the first
two, nor ``regex``.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import decimal
import ipaddress
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Protocol

from pydantic import AfterValidator, GetCoreSchemaHandler, GetJsonSchemaHandler, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from pic.errors import BLANK_LOOKING, IGNORABLE_MARK, Refusal, meant_among
from pic.lazyre import LazyPattern, compile_cached
from pic.secrettext import mixed_case_hex
from pic.wording import a_or_an

if TYPE_CHECKING:  # loaded on first use: only a domain or an address outside the usual forms needs scripts
    import regex

SLUG_PATTERN = r"[a-z][a-z0-9-]{1,30}[a-z0-9]"
SLUG_WORDS = (
    "3 to 32 characters, lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen"
)
_LABEL_RE = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
_REFUSED_CATEGORIES = {
    "Cc": "a control character",
    "Cf": "an invisible formatting character (bidi or zero-width)",
    "Cs": "a surrogate",
    "Co": "a private-use character",
    "Cn": "an unassigned code point",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}


# Latin letters Unicode gives no decomposition (NFKD leaves them whole, no accent to drop), as they are written in
# ASCII: French œ and æ, German ß, Scandinavian ø, Polish ł, Turkish ı (dotless i), and the others of the Latin-1
# and Latin Extended-A blocks so (đ, ð, þ, ŀ, Maltese ħ, Sami ŋ and ŧ, Greenlandic ĸ, written q since 1973, Afrikaans
# ŉ, which NFKD writes with an apostrophe), in both cases
_UNDECOMPOSED = {
    **{"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ŀ": "l"},
    **{"ı": "i", "ħ": "h", "ŋ": "ng", "ŧ": "t", "ĸ": "q", "ŉ": "n"},
}


def _own_capital(letter: str) -> bool:
    """Whether ``letter`` has a capital of its own, one character outside ASCII (ı's is I, ĸ has none)."""
    capital = letter.upper()
    return len(capital) == 1 and capital != letter and not capital.isascii()


# their capitals, for those that have one of their own (ß's is ẞ; ı's is I, ĸ has none, ŉ's is two characters)
_IN_ASCII = str.maketrans(
    {
        **_UNDECOMPOSED,
        **{k.upper(): v.upper() for k, v in _UNDECOMPOSED.items() if _own_capital(k)},
        "ẞ": "SS",
    }
)


def in_ascii_letters(text: str) -> str:
    """``text`` with the accents of its Latin letters dropped (Unicode's compatibility decomposition, NFKD, its
    combining marks left out: ``Rhône-Vélo`` -> ``Rhone-Velo``, the ligature ``ﬁ`` -> ``fi``) and the Latin letters
    NFKD leaves whole written as ASCII writes them (:data:`_UNDECOMPOSED`: ``Cœur`` -> ``Coeur``, ``Straße`` ->
    ``Strasse``). Every other character is kept: letters of another script (Cyrillic, Greek) have no one spelling
    in ASCII, and are left for the caller to refuse."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_IN_ASCII))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slug_meant(value: str) -> str | None:
    """The slug ``value`` is in another case or with ``_`` for ``-`` (``Velo_Cite`` for ``velo-cite``), or written
    with accents (``Rhône-Vélo`` for ``rhone-velo``, :func:`in_ascii_letters`), else None."""
    whole = Whole(SLUG_PATTERN, SLUG_WORDS)
    folded = in_ascii_letters(value)
    if folded == value:
        return whole.meant(value)
    return folded if is_slug(folded) else whole.meant(folded)


_SLUG_CHARACTERS = re.compile("[a-z][a-z0-9-]*[a-z0-9]")


def slug_form_length(value: str) -> str | None:
    """Why ``value``, no slug, is none in the form :func:`slug_meant` reads it in (lowercase, ``_`` or a blank for
    ``-``, its Latin letters in ASCII: :func:`in_ascii_letters`) when that form breaks the slug's length alone:
    ``'strasse-des-velos-de-rhone-lyon-ss', its form in ASCII letters, is 34 characters long (at most 32)`` for
    ``Straße-des-Vélos-de-Rhône-Lyon-ß`` (32 characters as written: the rule seemed kept). None otherwise (a form
    that is a slug is offered by :func:`slug_meant`; one of other characters, or with a hyphen or digit where none
    goes, is told by the rule)."""
    if len(value) > 200:
        return None
    form = in_ascii_letters(value).strip().lower().replace("_", "-").replace(" ", "-")
    if is_slug(form) or _SLUG_CHARACTERS.fullmatch(form) is None or 3 <= len(form) <= 32:
        return None
    bound = "at most 32" if len(form) > 32 else "at least 3"
    return f"{form!r}, its form in ASCII letters, is {len(form)} characters long ({bound})"


def slug_of_name_meant(value: str) -> str | None:
    """The slug ``value`` stands for when it is none: itself, or the name of its member file (``velo-cite.yaml``,
    ``members/VELO-CITE.yml``: the last part of a path, its ``.yaml`` or ``.yml`` in any case left out), written as a
    slug or in another case or with ``_`` for ``-`` (:func:`slug_meant`); else None."""
    name = value.strip().rsplit("/", 1)[-1]
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix.lower() in ("yaml", "yml"):
        name = stem
    return name if is_slug(name) else slug_meant(name) or slug_meant(value)


def is_slug(value: str) -> bool:
    """True for a member slug (file name without ``.yaml``, also the unix user name)."""
    return _SLUG.fullmatch(value) is not None


_SLUG = re.compile(SLUG_PATTERN)  # asked for each member file: not looked up in re's cache each time


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return compile_cached(pattern)  # a model's pattern, written in a module: kept for the next run (pic.lazyre)


def _takes_both_cases(pattern: str) -> bool:
    """Whether ``pattern`` takes capital and small letters alike (a class holding ``A-Z`` and ``a-z``): the case of
    a value of its form is the value's own."""
    return "A-Z" in pattern and "a-z" in pattern


def path_folders(path: str) -> str:
    """``path`` without its empty and ``.`` folders (``srv//www/./members/``: ``srv/www/members``), as the kernel
    reads it; as written when it holds ``..``, which names a directory that depends on the links before it."""
    parts = path.split("/")
    return path if ".." in parts else "/".join(part for part in parts if part not in ("", "."))


@dataclass(frozen=True)
class Whole:
    """Annotation: the string matches ``pattern`` as a whole (``re.fullmatch``).

    ``words`` says in plain words what is allowed; the JSON Schema gets the
    pattern anchored as ``^(?:...)$`` (ECMA-262 ``$`` without the m flag is the
    end of the string).
    """

    pattern: str
    words: str
    # the field's own checks after the form's (pic:members_root's, normalised and no system directory): a value
    # offered is one they take too, never one refused once written (srv/members/: not '/srv/members/')
    then: Callable[[str], object] | None = field(default=None, compare=False)
    # a name written as a decimal number (a PHP branch, "7.4"): written plain, YAML reads the number (7.40: 7.4),
    # whose form in quotes (7.4, 8.0 for 8.00) is the name meant (pic.modelerrors tells it)
    decimal: bool = field(default=False, compare=False)

    def check(self, value: str) -> str:
        if _compiled(self.pattern).fullmatch(value) is None:
            meant = self.meant(value)
            if meant is not None and self.then is not None:
                try:
                    self.then(meant)
                except ValueError:
                    meant = None
            raise Refusal(
                f"is not allowed here: {self.words}" + (f"; did you mean {meant!r}?" if meant else ""), [self.words]
            )
        return value

    def meant(self, value: str) -> str | None:
        """The value of this form that ``value`` is when written in lowercase, with ``_`` for ``-`` or the other
        way round, without surrounding spaces (``velo-db`` for a database's ``velo_db``), without a word before
        its digits (``php8.4``, ``PHP 8.4`` for ``8.4``), with ``.`` for ``,`` (``8,4``), one space for a run of them
        (a known_hosts line's fields, which ssh reads so), a path of folders with its first ``/`` (``srv/members``
        for an absolute path's ``/srv/members``), or a time of day as HH:MM
        (``3:15``, ``3h15`` for ``03:15``); or the word of the
        form it is in another case or a slip of (``dayly`` for ``daily``, :func:`pic.errors.meant_among`); each
        in ASCII when written in full-width or other compatibility forms of it (``０３：１５``, NFKC); else None."""
        # a tab is a blank between fields, as ssh reads a known_hosts line's: offered as one space (below)
        if len(value) > 200 or refused_character(value.replace("\t", " ")) is not None:
            return None
        written = value
        if not value.isascii() and (folded := unicodedata.normalize("NFKC", value)).isascii():
            written = folded  # a Japanese or Chinese keyboard's digits and signs
        if "@" in written or "://" in written:
            return None  # a URL or user@host may hold a password, never shown again
        # a form that takes both cases keeps the value's (/srv/Members, a host key's base64): another case is
        # another value, not the one meant; only the letters before the place it is taken from are lowered
        # (Mariadb:11.4, PHP:8.4-Apache: php:8.4-Apache, its tag's kept)
        text = written.strip() if _takes_both_cases(self.pattern) else written.strip().lower()
        bare = _WORD_BEFORE_DIGITS.sub("", text)
        clock = _CLOCK_WRITTEN.fullmatch(text)
        candidates = (
            text,
            " ".join(text.split()),  # fields a run of spaces or tabs apart
            f"{int(clock[1]):02d}:{clock[2] or clock[3] or '00'}" if clock else text,
            text.replace("-", "_"),
            text.replace("_", "-"),
            text.replace(" ", "-"),
            text.upper(),
            bare,
            bare.replace(",", "."),
            "".join(text.split()).upper(),  # a fingerprint as gpg prints it, in groups of four
            "".join(text.split()).upper().removeprefix("0X"),  # a number in hexadecimal as C writes it (0x1505...)
            # a path of folders written without its first '/' (srv/members), where an absolute one goes
            f"/{path_folders(text)}" if "/" in text and text[:1].isalnum() else text,
            text.partition("._domainkey")[0],  # a DKIM selector as its record's name (pic._domainkey: RFC 6376)
        )
        for candidate in candidates:
            if candidate != value and _compiled(self.pattern).fullmatch(candidate) is not None:
                return candidate
        if text != text.lower():  # of a form that takes both cases: its letters lowered up to where it is taken
            for candidate in dict.fromkeys(candidates):
                for end in range(1, len(candidate) + 1):
                    lowered = candidate[:end].lower() + candidate[end:]
                    if lowered != candidate and _compiled(self.pattern).fullmatch(lowered) is not None:
                        return lowered
        return meant_among(value, _plain_words(self.pattern))

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        out = handler(schema)
        out["pattern"] = f"^(?:{self.pattern})$"
        return out


@dataclass(frozen=True)
class NameOf(Whole):
    """Annotation: the string names one of the stack's things (``among``: ``web_hosts``, ``hosts``,
    ``runtimes``), or one of the words ``also`` (``none``), of ``pattern`` as :class:`Whole`; whether one of that
    name exists is checked against the whole stack later. A value not of the form is refused with a hint that
    names only one that exists, from the validation context's ``among`` list: ``host: Web9`` is told the web hosts
    there are, never ``web9`` when the stack has no such host (:class:`Whole` would mend the form alone).
    Without that list, no name is hinted. ``what``: the list in words (``the stack's web hosts``)."""

    among: str = ""
    what: str = ""
    also: tuple[str, ...] = ()

    def check_named(self, value: str, info: core_schema.ValidationInfo) -> str:
        if _compiled(self.pattern).fullmatch(value) is not None:
            return value
        context = info.context if isinstance(info.context, dict) else {}
        known = [str(name) for name in context.get(self.among) or ()]
        listed = f"{self.what}: {', '.join(known)}" if known else ""  # the stack's names: no text of the value
        # the hint names one of them too (or one of ``also``), never a text of the value: kept whole where the
        # value is hidden (php: "8.4 Lilas2024x!" was offered '...', which is no runtime)
        hint = self.hint(value, known)
        raise Refusal(f"is not allowed here: {self.words}{hint}", [self.words, listed, hint])

    def hint(self, value: str, known: list[str]) -> str:
        """`` (the stack's web hosts: web1, web2); did you mean 'web1'?``: the names there are, and the one
        ``value`` is in another case or form or a slip of, when one is; nothing without names."""
        if not known:
            return ""
        return f" ({self.what}: {self.listed(known)}){self.suggested(value, known)}"

    def listed(self, known: list[str]) -> str:
        """``7.4, 8.2, or none``: the names there are, then the words taken besides."""
        return ", ".join(known) + "".join(f", or {word}" for word in self.also)

    def suggested(self, value: str, known: list[str]) -> str:
        """``; did you mean 'web1'?``: the name ``value`` is in another case or form or a slip of, when one is."""
        choices = [*known, *self.also]
        meant = self.meant(value)
        if meant not in choices:
            meant = meant_among(value, choices) if refused_character(value) is None else None
        if meant is None and len(value) <= 200 and refused_character(value) is None:
            meant = _held_once(value.lower(), known)
        return f"; did you mean {meant!r}?" if meant is not None else ""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.with_info_after_validator_function(self.check_named, handler(source))


def _held_once(value: str, known: list[str]) -> str | None:
    """The one name of ``known`` that ``value`` holds, not beside a digit (and not after a '.': ``php-fpm8.4``,
    ``8.4.33``, ``php:8.2-apache`` hold 8.4, 8.4, 8.2; ``8.45``, ``18.4``, ``web10`` none), when only one is held."""
    held = [
        name
        for name in known
        if re.search(rf"(?<![0-9.]){re.escape(name)}(?![0-9])", value) is not None and name != value
    ]
    return held[0] if len(held) == 1 else None


_WORD_BEFORE_DIGITS = re.compile(r"\A[^\W\d_]+[\s_-]*(?=[0-9])")
# A time of day written as people write it: the hour's leading zero left out (3:15), 'h' between hour and minutes
# (French usage: 3h15, 03h15) or '.' (3.15), the hour alone before 'h' (15h, 3h), or no seconds after the minutes
# (03:15:00, as a clock or cron's tools print it; other seconds would change the time); read as HH:MM by Whole.meant,
# offered only if the field takes it
_CLOCK_WRITTEN = re.compile(r"([0-9]{1,2})(?:[:h.]([0-9]{2})|:([0-9]{2}):00|h)")


@cache
def _plain_words(pattern: str) -> tuple[str, ...]:
    """The alternatives of ``pattern`` that are words of letters alone (``hourly|daily|weekly|(...)``: the three
    words; ``[0-9]+\\.[0-9]+|none``: none), at its top level."""
    alternatives, depth, start = [], 0, 0
    for i, ch in enumerate(pattern):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            alternatives.append(pattern[start:i])
            start = i + 1
    alternatives.append(pattern[start:])
    return tuple(a for a in alternatives if a.isalpha())


def refused_character(value: str, *, newlines: bool = False, marks: bool = False) -> str | None:
    """Why ``value`` holds a character free text may not hold, or None.

    ``newlines``: a line feed is allowed (multi-line text); every other
    character of the categories above is refused. ``marks``: a left-to-right,
    right-to-left or Arabic letter mark is allowed in a text holding
    right-to-left letters (a name: :func:`check_free_text`); a domain, an
    address or a key holds none.
    """
    if value.isprintable() and (
        value.isascii() or _FROM_FIRST_BLANK_LOOKING.search(value) is None or BLANK_LOOKING.search(value) is None
    ):
        # The usual case, answered without a loop: str.isprintable is False for every character of
        # the refused categories (and for spaces other than U+0020, which the loop then judges).
        return None
    return _first_refused(value, newlines=newlines, marks=marks)


# No character below it is one of BLANK_LOOKING (tests/test_fields_fast.py): text below it, as most names
# written with accents ('Association numéro 2'), is not searched for one (a search of the regex module's
# Unicode properties costs several times this one's).
_FIRST_BLANK_LOOKING = "\u115f"
_FROM_FIRST_BLANK_LOOKING = re.compile(f"[^\\x00-{chr(ord(_FIRST_BLANK_LOOKING) - 1)}]")  # (see _FROM_FIRST_MARK)


def _first_refused(value: str, *, newlines: bool, marks: bool) -> str | None:
    """:func:`refused_character` character by character: why the first refused one is."""
    flags: frozenset[int] | None = None  # where the tag characters of a subdivision's flag are, once one is met
    for i, ch in enumerate(value):
        if newlines and ch == "\n":
            continue
        if _TAGS.match(ch):
            flags = _flag_tags(value) if flags is None else flags
            if i in flags:
                continue
            return (
                f"holds a tag character (U+{ord(ch):04X} {unicodedata.name(ch, '')}) at character {i + 1} outside "
                "the flag of a region's subdivision (U+1F3F4 WAVING BLACK FLAG, the subdivision's code in tag "
                "characters, such as gbsct for Scotland, then U+E007F CANCEL TAG: Unicode Technical Standard #51, "
                "annex C); tag characters print as nothing, and would hide text"
            )
        if ch in _JOINERS:
            if _joiner_in_context(value, i) or (
                ch == "\u200d" and (_joins_before_virama(value, i) or _joins_emoji(value, i))
            ):
                continue
            return (
                f"holds a {unicodedata.name(ch).lower()} (U+{ord(ch):04X}) at character {i + 1} where no script's "
                "spelling needs one (it is allowed between letters that join, as in Persian, or after a virama: "
                "RFC 5892, Appendix A; a joiner also between a letter and its virama, as in Bengali, and between "
                "two emoji, which it joins into one)"
            )
        if ch in _DIRECTION_MARKS and marks:
            if _holds_right_to_left(value):
                continue
            return (
                f"holds {_DIRECTION_MARKS[ch]} (U+{ord(ch):04X} {unicodedata.name(ch)}) at character "
                f"{i + 1} in a text without right-to-left letters (it is allowed in a name holding Hebrew, Arabic or "
                "other right-to-left letters, where it keeps punctuation and numbers in order: UAX #9, §2.6); "
                "write the name without it"
            )
        if ch == "\u200b" and _parts_unspaced_words(value, i):
            continue
        if BLANK_LOOKING.match(ch):  # a name made of them looks empty in reports and in Sympa's titles
            return f"holds an invisible character (U+{ord(ch):04X} {unicodedata.name(ch, '')}) at character {i + 1}"
        if (why := _category_refused(value, i)) is not None:
            return why
    return None


def _category_refused(value: str, i: int) -> str | None:
    """Why ``value``'s character at ``i`` is refused for its category (:data:`_REFUSED_CATEGORIES`), or None; a line
    break at the value's end told as such, with how to write the value without it."""
    ch = value[i]
    category = unicodedata.category(ch)
    if category not in _REFUSED_CATEGORIES:
        return None
    name = unicodedata.name(ch, "")
    named = f"U+{ord(ch):04X}{f' {name}' if name else ''}"
    why = f"holds {_REFUSED_CATEGORIES[category]} ({named}) at character {i + 1}"
    if ch == "\n" and value[i:].strip("\n") == "":
        # a one-line value given as a YAML block, as a .pub file's line is pasted: | keeps its line break
        return (
            f"{why}, a line break at its end (YAML's | keeps a block's line breaks, > its last one): write the "
            "value without it, on the line of its key or item, or open the block with |- or >-"
        )
    return why


# The tag characters (U+E0001 LANGUAGE TAG, deprecated, and U+E0020 to U+E007F), all of category Cf.
_TAGS = re.compile("[\U000e0001\U000e0020-\U000e007f]")
# An emoji flag sequence of a region's subdivision (UTS #51, ED-14a, and annex C): U+1F3F4, then the subdivision's
# code (unicode_subdivision_id of UTS #35: a region's two letters or three digits, then one to four letters or
# digits, lowercase) in tag characters, then U+E007F CANCEL TAG. A flag of a subdivision shows as one flag; the
# code's length bounds what tags could say unseen where a system draws a black flag for a code it does not know.
_FLAG_TAG_SEQUENCE = re.compile(
    "\U0001f3f4(?:[\U000e0061-\U000e007a]{2}|[\U000e0030-\U000e0039]{3})"
    "[\U000e0030-\U000e0039\U000e0061-\U000e007a]{1,4}\U000e007f"
)


def _flag_tags(value: str) -> frozenset[int]:
    """The indexes of ``value``'s tag characters that belong to the flag of a region's subdivision."""
    return frozenset(i for m in _FLAG_TAG_SEQUENCE.finditer(value) for i in range(m.start() + 1, m.end()))


# ZERO WIDTH NON-JOINER and ZERO WIDTH JOINER: format characters that spelling needs in some scripts
# (Persian "ایران‌زمین", the half forms of Indic scripts), allowed where IDNA allows them, and a joiner also
# where The Unicode Standard puts one before a virama or emoji join (_joins_before_virama, _joins_emoji).
_JOINERS = "\u200c\u200d"


# LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK and ARABIC LETTER MARK: format characters that act as a letter of their
# direction that shows nothing (UAX #9, the Unicode Bidirectional Algorithm, §2.6: "implicit directional
# marks"). They open no embedding, override or isolate (U+202A to U+202E, U+2066 to U+2069, refused), so they
# reorder no letter, only the neutral characters next to them (a hyphen, a number), as a letter of that
# direction written there would: the Trojan Source reorderings (CVE-2021-42574) need the others. Allowed in a
# text holding right-to-left letters, where a name needs them to keep a hyphen or a number on its side.
_DIRECTION_MARKS = {
    "\u200e": "a left-to-right mark",
    "\u200f": "a right-to-left mark",
    "\u061c": "an Arabic letter mark",
}


def _holds_right_to_left(value: str) -> bool:
    """True when ``value`` holds a right-to-left letter (bidirectional class R or AL, UAX #9 §3.2: Hebrew,
    Arabic, Syriac, Thaana, N'Ko...)."""
    return any(
        unicodedata.bidirectional(ch) in ("R", "AL") and unicodedata.category(ch)[0] == "L"  # not RLM, ALM
        for ch in value
        if not ch.isascii()
    )


def _joiner_in_context(value: str, i: int) -> bool:
    """True when the joiner at ``value[i]`` sits where RFC 5892's CONTEXTJ rules allow it (Appendix A.1,
    A.2: after a virama, or a non-joiner between letters that join on that side, marks between them
    skipped), as the ``idna`` package judges; a lone, leading or doubled joiner is not."""
    from idna.core import IDNAError, valid_contextj

    start = max(0, i - MAX_MARKS - 1)  # a joining letter, then at most MAX_MARKS marks before the joiner
    try:
        return bool(valid_contextj(value[start : i + MAX_MARKS + 2], i - start))
    except (IDNAError, ValueError):  # a neighbour without a Unicode name (unassigned): refused as written
        return False


def _joins_before_virama(value: str, i: int) -> bool:
    """True when the zero width joiner at ``value[i]`` stands between a letter and a virama of the same script.

    RFC 5892 allows a joiner after a virama only; The Unicode Standard writes some conjuncts with it before one:
    Bengali's ya-phala after ra (``র‍্য``, section 12.2, "Rendering of Ra": the "RAB" of ``র‍্যাব``), Sinhala's
    touching letters (section 13.2), Devanagari's eyelash ra in the older spelling. Inside one letter's cluster it
    changes only how the cluster is drawn; a virama is any character of canonical combining class 9."""
    if i == 0 or i + 1 >= len(value):
        return False
    letter, virama = value[i - 1], value[i + 1]
    if unicodedata.category(letter)[0] != "L" or unicodedata.combining(virama) != 9:
        return False
    return bool(_script_set(letter) & _script_set(virama) - {"*"})


def _parts_unspaced_words(value: str, i: int) -> bool:
    """True when the zero width space at ``value[i]`` stands between two characters of one script written
    without spaces between words, Line_Break class SA (UAX #14: Thai, Lao, Khmer, Myanmar, the Tai scripts),
    where it marks a word's end unseen (The Unicode Standard, section 16.4: Khmer text is written so).
    Anywhere else it would part a word unseen, or sit at the edge of one."""
    if i == 0 or i + 1 >= len(value):
        return False
    before, after = value[i - 1], value[i + 1]
    south_east_asian = _letter_patterns()[2]
    if not (south_east_asian.match(before) and south_east_asian.match(after)):
        return False
    return bool(_script_set(before) & _script_set(after) - {"*"})


def _joins_emoji(value: str, i: int) -> bool:
    """True when the zero width joiner at ``value[i]`` is one of an emoji ZWJ sequence (Unicode Technical Standard
    #51, ED-16: ``👨‍👩‍👧``, ``🏳️‍🌈``, ``👩🏽‍💻``): an emoji before it (then at most an emoji modifier, a skin tone,
    and a variation selector), and one after it."""
    before, after = _emoji_patterns()
    return before.search(value, 0, i) is not None and after.match(value, i + 1) is not None


@cache
def _emoji_patterns() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """The emoji that ends a text before a joiner (modifier and selector after it), and an emoji (the ``regex``
    module knows Unicode's Extended_Pictographic property, which ``re`` and ``unicodedata`` do not)."""
    import regex

    emoji = r"\p{Extended_Pictographic}"
    return regex.compile(emoji + r"[\U0001F3FB-\U0001F3FF]?\uFE0F?\Z"), regex.compile(emoji)


MAX_MARKS = 30  # combining marks on one character: the Stream-Safe Text Format's limit (UAX #15 §13)
_FIRST_MARK = "\u0300"  # COMBINING GRAVE ACCENT: no character before it is a mark (category M)
# Every character from _FIRST_MARK on (cheaper than max(value) >= _FIRST_MARK), written as the complement of
# those below it: re compiles a range that ends at U+10FFFF in about 3 ms at every start, this in 0.2.
_FROM_FIRST_MARK = re.compile(f"[^\\x00-{chr(ord(_FIRST_MARK) - 1)}]")


def check_free_text(value: str, *, newlines: bool = False) -> str:
    """Free text: printable characters only (see the module docstring), no surrounding spaces on one line."""
    why = refused_character(value, newlines=newlines, marks=True)
    if why is not None:
        allowed = "printable characters and line breaks" if newlines else "printable characters on one line"
        raise ValueError(f"{why}: only {allowed} are allowed")
    if not value.strip():
        raise ValueError("is blank")
    if not value.isascii() and _FROM_FIRST_MARK.search(value) is not None:
        # below it, a character neither refused nor a space is a letter, digit, punctuation or symbol, and none
        # is a mark (tests/test_fields_fast.py): the usual name shows, without a mark to count
        _check_shows_without_piled_marks(value)
        if IGNORABLE_MARK.search(value) is not None:
            _check_ignorable_marks(value)
    if not newlines and value != value.strip():
        raise ValueError("has spaces at its start or end")
    return value


# The marks that print as nothing (pic.errors.IGNORABLE_MARK). Each means
# something in one sequence only (:func:`_ignorable_mark_in_place`); anywhere else it changes nothing a reader
# sees, so that two names, a member's or a contact's, would differ unseen (Velo\u034fCite and VeloCite), in the
# reports, the duplicate name's warning and the lists' titles. The same rule holds in every free text, notes
# included: each sequence a text means is allowed, an emoji's presentation above all; a mark outside one is a
# paste's leftover or a name made to pass for another's.


def _check_ignorable_marks(value: str) -> None:
    """Each mark of :data:`IGNORABLE_MARK` in ``value`` stands in the sequence it belongs to."""
    for found in IGNORABLE_MARK.finditer(value):
        i = found.start()
        if _ignorable_mark_in_place(value, i):
            continue
        ch = value[i]
        before = value[i - 1] if i else ""
        after = f"after {_named(before)}" if before else "at the start"
        raise ValueError(
            f"holds an invisible mark ({_named(ch)}) at character {i + 1}, {after}, where it prints as nothing and "
            "changes nothing a reader sees (two names would look alike): a variation selector belongs after an "
            "emoji (U+2764 then U+FE0F: a red heart drawn as an emoji), an ideograph or a math symbol whose "
            "variant it selects, a Mongolian free variation selector after a Mongolian letter, a combining "
            "grapheme joiner before a combining mark; write the text without it"
        )


def _named(ch: str) -> str:
    """``U+034F COMBINING GRAPHEME JOINER``; ``U+0020 SPACE``; the code point alone for one without a name."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X}"


def _ignorable_mark_in_place(value: str, i: int) -> bool:
    """Whether the mark at ``value[i]`` (:data:`IGNORABLE_MARK`) stands in a sequence it means something in: a
    variation selector after a character it has variants of (Unicode's StandardizedVariants.txt, the emoji's
    presentation sequences of UTS #51, the Ideographic Variation Database: an emoji for U+FE0E and U+FE0F, or
    #, * or a digit before a keycap's U+20E3; an ideograph, a math symbol, a letter of Myanmar, Phags-pa or
    Manichaean for U+FE00 to U+FE0F; an ideograph for U+E0100 on), a Mongolian free variation selector after a
    Mongolian letter, a combining grapheme joiner between a letter or a mark and the combining mark it keeps in
    its order (The Unicode Standard, §23.2). Khmer's inherent vowels U+17B4 and U+17B5 are in no sequence: the
    standard says not to use them (§16.4)."""
    ch, before = value[i], value[i - 1] if i else ""
    after = value[i + 1] if i + 1 < len(value) else ""
    if ch == "\u034f":
        return bool(before) and unicodedata.category(before)[0] in "LM" and unicodedata.category(after or " ")[0] == "M"
    if not before or unicodedata.category(before)[0] in "MZC":  # a selector after a selector, a mark or a space
        return False
    based = _variation_bases()
    if "\u180b" <= ch <= "\u180f":
        return based.mongolian.match(before) is not None
    if ch >= "\U000e0100":
        return based.ideograph.match(before) is not None
    keycap = before in "#*0123456789" and after == "\u20e3"
    if ch in "\ufe0e\ufe0f" and (keycap or (not before.isascii() and based.emoji.match(before) is not None)):
        return True
    return based.standardized.match(before) is not None


class _Matcher(Protocol):
    """A compiled pattern of ``regex`` as :class:`_VariationBases` uses it: a type known at run time, which
    ``regex.Pattern`` is not in this module (``regex`` is imported when first needed)."""

    def match(self, string: str, /) -> object: ...


@dataclass(frozen=True, eq=False, repr=False)
class _VariationBases:
    emoji: _Matcher
    ideograph: _Matcher
    mongolian: _Matcher
    standardized: _Matcher


@cache
def _variation_bases() -> _VariationBases:
    """The characters a variation selector may follow (the ``regex`` module knows Unicode's Emoji, Ideographic and
    Script properties, which ``re`` and ``unicodedata`` do not; loaded only for a text holding a selector)."""
    import regex

    return _VariationBases(
        emoji=regex.compile(r"\p{Emoji}"),
        ideograph=regex.compile(r"\p{Ideographic}"),
        mongolian=regex.compile(r"\p{Script=Mongolian}"),
        standardized=regex.compile(
            r"[\p{Ideographic}\p{Sm}\p{Script=Myanmar}\p{Script=Phags_Pa}\p{Script=Manichaean}]"
        ),
    )


def _check_shows_without_piled_marks(value: str) -> None:
    """Free text shows a character, and no combining mark has nothing to combine with or piles up."""
    if not any(unicodedata.category(ch)[0] in "LNPS" for ch in value):
        raise ValueError("shows nothing: it needs a visible character (a letter, digit, punctuation or symbol)")
    marks = 0
    for i, ch in enumerate(value):
        marks = marks + 1 if unicodedata.category(ch)[0] == "M" else 0
        if marks > MAX_MARKS:
            raise ValueError(
                f"has more than {MAX_MARKS} combining marks in a row (at character {i + 1}): they pile up over one "
                "letter and spill over the lines around it (Unicode's stream-safe limit, UAX #15 §13)"
            )
        if marks and (i == 0 or value[i - 1] == "\n"):
            name = unicodedata.name(ch, "")
            raise ValueError(
                f"starts {'a line ' if i else ''}with a combining mark (U+{ord(ch):04X}{f' {name}' if name else ''}), "
                "which has no character to combine with: write the letter it belongs to before it"
            )


def check_display_name(value: str) -> str:
    """A name written before an address in a mail header (``contact.name``): free text without ``=?``.

    ``=?`` opens an RFC 2047 encoded word (``=?utf-8?q?...?=``): mail programs, and Python's own
    ``email`` package when it writes the header, decode it into other text, line breaks and
    other headers included (``=?utf-8?q?x=0D=0ABcc:_...?=``); the name would no longer be the
    one written, and could add headers to the message.
    """
    at = value.find("=?")
    if at >= 0:
        raise ValueError(
            f'holds "=?" at character {at + 1}, the start of an encoded word of mail headers (RFC 2047), '
            "which mail programs would decode into other text: write the name as it reads"
        )
    return value


def check_robot_title(value: str) -> str:
    """A member's ``name``, the ``title`` of its Sympa robot: free text without ``<``.

    Sympa's web pages write a robot's title as it is, without escaping (``<title>`` of main.tt2, the
    ``<h1>`` of header.tt2 and home.tt2), at the address every robot shares
    (``https://<sympa_domain>/<list domain>``): a ``<`` there opens markup, ``<script>`` included, run
    where the listmasters log in. ``&``, ``>`` and quotes open none in an element's text.
    """
    at = value.find("<")
    if at >= 0:
        raise ValueError(
            f'holds "<" at character {at + 1}: the name is the title of the member\'s Sympa lists, which '
            "Sympa's web pages write as HTML without escaping it (<b>, <script> would be markup there, on the "
            "pages every list domain shares); write the name without it (Nous aimons Lyon, not Nous <3 Lyon)"
        )
    return value


@dataclass(frozen=True)
class FreeText:
    """Annotation: free text (:func:`check_free_text`), one line unless ``newlines``."""

    newlines: bool = False

    def check(self, value: str) -> str:
        return check_free_text(value, newlines=self.newlines)

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        out = handler(schema)
        # The usual offenders, as ECMA-262 ranges; the loader's check (Unicode categories) is the authority.
        # The joiners U+200C and U+200D and the zero width space U+200B are left to the loader (allowed where a
        # script's spelling needs them), and so are the marks of direction U+061C, U+200E and U+200F (in a text
        # holding right-to-left letters) and the tag characters, beyond U+FFFF.
        bad = r"\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad" r"\u2028-\u202e"
        bad += r"\u2060-\u206f\ufeff"
        # and something besides spaces (check_free_text: a blank text, notes: "", is refused)
        shows = r"(?=[\s\S]*\S)"
        out["pattern"] = f"^{shows}[^{bad}]*$" if self.newlines else f"^{shows}[^{bad}\\u000a]*$"
        return out


# The usual form of a valid domain name of at most _COMMON_DOMAIN_MAX characters (so no label longer than a
# label may be): lowercase ASCII labels of letters, digits and inner hyphens, no "--" (so no punycode or other
# R-LDH label), a top-level label starting with a letter (so neither all-numeric nor an address). Every check of
# _check_domain_syntax passes on it, and it is a plain name (_plain_name) of two labels or more
# (tests/test_fields_fast.py). Each run of letters and digits, and of hyphens, is read whole: no backtracking.
_COMMON_DOMAIN = re.compile(r"(?:[a-z0-9]++(?:-++[a-z0-9]++)*+\.)++[a-z][a-z0-9]*+(?:-++[a-z0-9]++)*+")
_COMMON_DOMAIN_MAX = 63


def check_domain(value: str, *, names_only: bool = True) -> str:
    """A lowercase DNS host name, IDN as punycode, no trailing dot, not an IP address, not a public suffix.

    Raises ValueError saying what is wrong; ``names_only``: the field takes no address either (a host's does, then
    a value read as a mistyped address is told an address's form). The usual form is recognised by one
    regular expression (``_COMMON_DOMAIN``) instead of the checks one by one, and is a public suffix
    only when a rule of the list names it (:func:`_named_by_a_rule`).
    """
    if len(value) > _COMMON_DOMAIN_MAX or "--" in value or _COMMON_DOMAIN.fullmatch(value) is None:
        _check_domain_syntax(value, names_only=names_only)
        _refuse_public_suffix(value)
    elif _named_by_a_rule(value):
        _refuse_public_suffix(value)
    return value


def check_domain_fully(value: str) -> str:
    """:func:`check_domain` without its shortcut: every check in turn, the first failing one raised."""
    _check_domain_syntax(value)
    _refuse_public_suffix(value)
    return value


def is_public_suffix(domain: str) -> bool:
    """True when ``domain`` is a public suffix (Public Suffix List, ICANN and private sections): names are
    registered under it, it is no one's name.

    The package's answer, but for a plain name (:func:`_plain_name`) of two labels or more that neither the
    list nor a wildcard of it names: that one is no suffix, told by three lookups in the list's ASCII rules
    without building the package's list (``publicsuffixlist`` answers True for such a name only when it is
    a rule, ``*.`` and it is one, or ``*.`` and its parent is one; tests/test_fields_fast.py compares).
    """
    if "." in domain and _plain_name(domain) and not _named_by_a_rule(domain):
        return False
    return bool(public_suffix_list().is_public(domain))


def _named_by_a_rule(domain: str) -> bool:
    """Whether one of the list's ASCII rules names ``domain`` (a plain name of two labels or more): it is a rule,
    or ``*.`` and it, or ``*.`` and its parent is one; otherwise it is no public suffix."""
    rules = _ascii_suffix_rules()
    return domain in rules or f"*.{domain}" in rules or f"*.{domain.partition('.')[2]}" in rules


def _plain_name(name: str) -> bool:
    """Lowercase ASCII without an ``xn--`` label or a trailing dot: a name the package takes as written, and
    which no rule written outside ASCII (nor its punycode form) can match."""
    return name.isascii() and name == name.lower() and "xn--" not in name and not name.endswith(".")


@cache
def _ascii_suffix_rules() -> frozenset[str]:
    """The rules of the Public Suffix List's lines written in ASCII, each taken as ``publicsuffixlist`` takes
    a line (lowercase, up to the first space; comments and empty lines skipped): about 10,000 strings
    (``example.org``, ``*.ck``, ``!www.ck``), read in a few milliseconds where the package's list takes tens."""
    import publicsuffixlist  # its file, not its parser

    with open(publicsuffixlist.PSLFILE, encoding="utf-8") as source:
        taken = (line.lower().split(" ")[0].rstrip() for line in source)
        # an ASCII rule whatever follows it on its line (a comment outside ASCII)
        return frozenset(rule for rule in taken if rule and rule.isascii() and not rule.startswith("//"))


def _refuse_public_suffix(value: str) -> None:
    """Raise ValueError when ``value`` is a public suffix (names are registered under it)."""
    if is_public_suffix(value):
        raise ValueError(
            "is a public suffix (Public Suffix List, publicsuffix.org): names are registered under it, "
            "it names no one's site; give the name registered under it"
        )


def _check_domain_syntax(value: str, *, names_only: bool = True) -> None:
    """Raise ValueError when ``value`` is no domain name's syntax. ``names_only``: the field takes no address either
    (a value read as a mistyped IPv4 address is told to give a name, not the address's form)."""
    why = refused_character(value)
    if why is not None:
        raise ValueError(f"{why}: a domain is letters a-z, digits, hyphens and dots")
    if value != value.strip():
        _refuse_surrounding_spaces(value)
    if not value:
        raise ValueError("is empty")
    _check_domain_form(value)
    if len(value) > 253:
        raise ValueError(f"is {len(value)} characters long (at most 253)")
    labels = value.split(".")
    if names_only and (form := inet_aton_form(value)) is not None:  # 0x7f.1, 127.1, 2130706433: ping reads 127.0.0.1
        all_numeric = "ends with an all-numeric label: " if labels[-1].isdigit() and len(labels) > 1 else ""
        raise ValueError(
            f"{all_numeric}it is {form[0]}, an IPv4 address, and an address is no domain name here: give the name"
        )
    if len(labels) < 2:
        try:  # web_2, -oproxycommand=id: told of the label too, which a second label would not mend
            _check_label(value)
        except ValueError as wrong:
            raise ValueError(f"{wrong}, and needs at least two labels (like example.org)") from None
        raise ValueError("needs at least two labels (like example.org)")
    for label in labels:
        _check_label(label)
    _check_numeric_labels(labels, names_only=names_only)


def _check_numeric_labels(labels: list[str], *, names_only: bool) -> None:
    """Refuse a name whose last label is all digits (no top-level domain is), told as a mistyped IPv4 address when
    every label is (:func:`_check_domain_syntax`'s ``names_only``)."""
    if all(label.isdigit() for label in labels):  # 10.0.0.256, 010.0.0.1, 10.1: an address mistyped, not a name
        if names_only:  # an address is refused here too (192.0.2.1 is an IP address, not a domain name)
            raise ValueError(
                "ends with an all-numeric label: it reads as an IPv4 address (and is none: four numbers from 0 to "
                "255, without leading zeros), and an address is no domain name here: give the name"
            )
        if (problem := address_form_problem(".".join(labels))) is not None:  # 10.0.0.256: the number told
            raise ValueError(f"ends with an all-numeric label: it reads as an IPv4 address, and {problem}")
        raise ValueError(
            "ends with an all-numeric label: it reads as an IPv4 address, and is no IPv4 address: four numbers from "
            "0 to 255, without leading zeros (e.g. 10.0.0.1)"
        )
    if labels[-1].isdigit():
        raise ValueError("ends with an all-numeric label")


@cache
def public_suffix_list() -> Any:
    """The Public Suffix List (ICANN and private sections) of the ``publicsuffixlist`` package, read once.

    A ``publicsuffixlist.PublicSuffixList`` (unknown top-level domains taken as public unless a call
    says ``accept_unknown=False``) holding the package's own list with the same rules as its default
    construction. That one encodes every rule with Python's ``idna`` codec to add its punycode form:
    about 0.07 s of the 0.09 s it takes, though the codec returns an ASCII rule (all but a few
    hundred of about 10,000) unchanged. Here the rules outside ASCII are encoded by the same codec
    and added to the list, and the package's encoding is turned off (``accept_encoded_idn=False``);
    tests/test_fields_fast.py compares the verdicts of the two on every rule.
    """
    import publicsuffixlist  # read only when a domain is checked

    with open(publicsuffixlist.PSLFILE, encoding="utf-8") as source:
        lines = source.read().splitlines()
    encoded = []
    for line in lines:
        if line.isascii():
            continue
        rule = line.lower().split(" ")[0].rstrip()  # what the package takes of a line
        if rule and not rule.startswith("//"):
            exception = "!" if rule.startswith("!") else ""
            encoded.append(exception + rule.lstrip("!").encode("idna").decode("ascii"))
    return publicsuffixlist.PublicSuffixList(lines + encoded, accept_encoded_idn=False)


def _check_a_label(label: str) -> None:
    """An internationalised label (RFC 5890 A-label) that decodes under IDNA 2008 and encodes back to itself.

    Raises ValueError otherwise: certificate authorities refuse such names (the idna package's rules).
    """
    import idna

    refusal = ""  # why, in the idna package's words, which name the character and its place
    try:
        again = idna.encode(idna.decode(label)).decode("ascii")
        ok = again == label
        refusal = f"which IDNA 2008 writes {again}"
    except (idna.IDNAError, UnicodeError) as exc:
        ok = False
        refusal = f"which IDNA 2008 refuses in a name ({exc})"
    if not ok:
        try:
            decoded = label[4:].encode("ascii").decode("punycode")
        except UnicodeError:
            decoded = ""
        composed = unicodedata.normalize("NFC", decoded)
        if decoded and composed != decoded:
            try:
                meant = f": write the label {idna.encode(composed).decode('ascii')}"
            except (idna.IDNAError, UnicodeError):
                meant = ""
            raise ValueError(
                f"has an internationalised label {short_repr(label)} encoded from decomposed letters (Unicode NFD), "
                f"which IDNA refuses (RFC 5891 §5.2: the composed form, NFC){meant}"
            )
        if decoded:  # punycode, but of text IDNA 2008 refuses in a name (a symbol, a capital, a bidi mix...)
            raise ValueError(
                f"has an invalid internationalised label {short_repr(label)}: it decodes to {short_repr(decoded)}, "
                f"{refusal}"
            )
        raise ValueError(f"has an invalid internationalised label {short_repr(label)}: it is not valid punycode (IDNA)")
    u_label = idna.decode(label)
    if not single_script(u_label):
        scripts = sorted({_SCRIPT_NAMES.get(code, code) for ch in u_label for code in _script_set(ch) - {"*"}})
        raise ValueError(
            f"has a label {short_repr(label)} ({u_label}) that mixes scripts ({', '.join(scripts)}): the letters "
            "of a label come from one script, so that it cannot pass for another name (a Cyrillic 'а' in "
            "'pаris'); Unicode's UTS #39 section 5.2, 'highly restrictive'"
        )


# Unicode Technical Standard #39 (Unicode Security Mechanisms), section 5.1: a character's augmented
# script set is its Script_Extensions, Han also standing for the Japanese (Jpan), Korean (Kore) and
# Bopomofo-Han (Hanb) writing systems, Hiragana and Katakana for Jpan, Hangul for Kore, Bopomofo for
# Hanb; Common and Inherited characters go with any script ("*").
_AUGMENTED = {"Hani": {"Hanb", "Jpan", "Kore"}, "Hira": {"Jpan"}, "Kana": {"Jpan"}, "Hang": {"Kore"}, "Bopo": {"Hanb"}}
_WRITINGS = frozenset({"Hanb", "Jpan", "Kore"})  # the codes of writing systems, which _AUGMENTED adds
_SCRIPT_NAMES: dict[str, str] = {}


@cache
def _any_script() -> regex.Pattern[str]:
    """The characters of the Common and Inherited scripts (Script_Extensions Zyyy, Zinh)."""
    import regex

    return regex.compile(r"[\p{scx=Zyyy}\p{scx=Zinh}]")


@cache
def _script_patterns() -> tuple[tuple[str, regex.Pattern[str]], ...]:
    from importlib import resources

    import regex

    text = resources.files("pic.data").joinpath("unicode_scripts.txt").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, name = line.split(" ", 1)
            _SCRIPT_NAMES[code] = name
            out.append((code, regex.compile(rf"\p{{scx={code}}}")))
    return tuple(out)


@cache
def _script_set(ch: str) -> frozenset[str]:
    """The augmented script set of ``ch`` (UTS #39 §5.1): ISO 15924 codes, or {"*"} for any script."""
    if _any_script().match(ch):
        return frozenset("*")
    found = {code for code, pattern in _script_patterns() if pattern.match(ch)}
    for code in list(found):
        found |= _AUGMENTED.get(code, set())
    return frozenset(found or {f"U+{ord(ch):04X}"})  # a script newer than the table: its own


def single_script(text: str) -> bool:
    """True when ``text`` is "highly restrictive" in the sense of UTS #39 §5.2.

    That is: the intersection of its characters' augmented script sets is
    not empty (one script; Japanese, Korean or Chinese with Bopomofo count as
    one), or it is Latin together with one of those three.
    """
    common: frozenset[str] | None = None  # None: every script so far
    other: frozenset[str] | None = None  # the same, without the Latin characters
    for ch in text:
        scripts = _script_set(ch)
        if scripts == {"*"}:
            continue
        common = scripts if common is None else common & scripts
        if "Latn" not in scripts:
            other = scripts if other is None else other & scripts
    if common is None or common:
        return True
    return other is not None and bool(other & {"Jpan", "Kore", "Hanb"})


# The characters beyond Latin-1 and Latin Extended-A and -B and the accents U+0300 to U+0341: those are all of
# the Latin script or of any (tests/test_cross_checks_fast.py), so that a text without one mixes no scripts
BEYOND_LATIN = re.compile("[^\x00-\u024f\u0300-\u0341]")


@dataclass(frozen=True)
class MixedWord:
    """A word whose letters are of several scripts: the script most of them are in, and the others.

    ``alone``: the word is one letter of another script than the words on either side of it, which are of
    ``script`` (:func:`mixed_script_words`). ``look_alike``: the word is of one script, ``script``, other than
    Latin, every letter of it looking like a Latin one, among Latin words; ``others`` are its letters."""

    word: str
    script: str  # its name: Latin, Cyrillic...
    others: tuple[str, ...]  # the characters of other scripts, each once
    alone: bool = False
    look_alike: bool = False


def mixed_script_words(text: str) -> list[MixedWord]:
    """The words of ``text`` (runs of letters, marks and digits) that are not of one script as UTS #39 section
    5.2 reads one label (:func:`single_script`): ``Vélо`` with a Cyrillic ``о``; not ``Vélo Лион``, nor
    ``Club日本`` (Latin with Japanese is one writing), nor ``ชมรมฟุตบอลFC`` (:func:`_spaceless_beside_latin`).

    And a one-letter word between two words of one script, when the three are not of one script and the
    letter and those words are of scripts with case (``Club а Lyon`` with a Cyrillic ``а``). Each of its words
    is of one script, yet no name is written so: a word of another language is written whole, and a lone
    letter is no word of one. The scripts with case (Latin, Greek, Cyrillic, Armenian, Cherokee...) share their
    shapes, so the one-letter words of Latin names (``à``, ``a``, ``y``, ``o``, ``e``, ``i``) have twins in
    Cyrillic and Greek (``а``, ``у``, ``о``, ``е``, ``і``, ``ο``) that the eye does not tell apart: a keyboard
    left on the other layout, or a name made to pass for another. A letter of a script without case between
    Latin words, or a Latin one between Thai words (``ทีม A ของเรา``, a team's letter), looks like none of them;
    nor does a letter of a cased script that looks like no letter of the words around it (``Club Ω Lyon``,
    ``Клуб Q Москва``: :func:`_looks_like_letter_of`), which is read as the symbol or the letter it is.

    And a word of one script other than Latin whose every letter looks like a Latin one (``Рорѕ`` in Cyrillic:
    a whole-script confusable, UTS #39 section 4, :func:`latin_look_alike`), when the name's other words are
    Latin (``Club Рорѕ Lyon``): a keyboard left on another layout, or a name made to pass for another. A name
    wholly in another script (``Сосо Клуб``), or beside Latin words a word that does not look Latin
    (``Vélo Лион``), is not one; nor is a name of abbreviations in capitals alone (``ΑΕΚ FC``:
    :func:`_abbreviations_alone`)."""
    if text.isascii() or not BEYOND_LATIN.search(text):
        return []  # no character beyond those of Latin or of any script (most names)
    import regex

    def counted(letters: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for ch in letters:
            for code in _script_set(ch) - {"*", *_WRITINGS}:
                counts[code] = counts.get(code, 0) + 1
        return counts

    out = []
    in_text: dict[str, int] | None = None
    words = regex.findall(r"[\p{L}\p{M}\p{N}]+", text)
    look_alikes: list[MixedWord] = []  # the words of another script than Latin that look Latin
    unlike = False  # a word with a letter that is neither Latin nor such a word
    latin = any(_latin_word(word) for word in words)  # without a Latin word, none is looked at as a look-alike
    for at, word in enumerate(words):
        if single_script(word):
            if 0 < at < len(words) - 1 and _alone_among(word, words[at - 1], words[at + 1]):
                around = counted(words[at - 1] + words[at + 1])
                script = max(around, key=lambda code: around[code])
                name = _SCRIPT_NAMES.get(script, script)
                if _looks_like_letter_of(word, name):
                    out.append(MixedWord(word, name, (word,), alone=True))
                    continue
                if not _latin_word(word):
                    # a letter alone that looks like none of theirs (Club Σ Lyon: Σ is like Latin's esh alone,
                    # its small σ like an o): read as the symbol it is, not as a word that looks Latin
                    unlike = True
                    continue
            if _latin_word(word) or not any(ch.isalpha() for ch in word):  # "2024", marks alone
                continue
            if word in _LEGAL_FORMS:  # ООО Web Studio: the form's abbreviation, not a Latin word's look-alike
                continue
            if latin and latin_look_alike(word, as_written=True):
                own = counted(word)
                script = max(own, key=lambda code: own[code])
                letters = tuple(dict.fromkeys(ch for ch in word if ch.isalpha()))
                look_alikes.append(MixedWord(word, _SCRIPT_NAMES.get(script, script), letters, look_alike=True))
            else:
                unlike = True
            continue
        if _spaceless_beside_latin(word):
            continue
        in_text = counted(text) if in_text is None else in_text
        counts = counted(word)
        # the script most of the word is in; between two as used in it (ԁe), the one most of the text is in
        script = max(counts, key=lambda code: (counts[code], in_text.get(code, 0)))
        others = dict.fromkeys(ch for ch in word if script not in _script_set(ch) and _script_set(ch) != {"*"})
        out.append(MixedWord(word, _SCRIPT_NAMES.get(script, script), tuple(others)))
        unlike = True
    if look_alikes and not unlike and not _abbreviations_alone(words):
        out += look_alikes
    return out


# The longest word in capitals read as an abbreviation, letter by letter (FC, AFC, ΑΕΚ, KAA): a longer one reads as
# a word (ATHENS, ΤΟΡСК)
_ABBREVIATION_MAX = 4


def _abbreviations_alone(words: list[str]) -> bool:
    """True when every word of ``words`` that has a letter is written in capitals and has at most
    :data:`_ABBREVIATION_MAX` letters (a number beside them counts for none): a name of abbreviations alone
    (``ΑΕΚ FC``, a Greek club's capitals beside the Latin abbreviation of a football club), read letter by letter.
    Its word of Greek or Cyrillic capitals that each look Latin is no Latin word's look-alike; the price is that
    ``ΤΟΡ FC`` passes for ``TOP FC`` unwarned (README, "a word of name that mixes scripts")."""
    lettered = [w for w in words if any(ch.isalpha() for ch in w)]
    return all(w.isupper() and sum(ch.isalpha() for ch in w) <= _ABBREVIATION_MAX for w in lettered)


# The abbreviations of legal forms written in Cyrillic capitals before a name in Latin letters (ООО Web Studio),
# whose letters look Latin: Russian ООО (a limited company), АО and ОАО (joint-stock companies), АНО (an autonomous
# non-profit organisation), НКО (a non-profit organisation); Bulgarian ООД and ЕООД (limited companies) and ЕТ (a
# sole trader). Each is the form, not a Latin word written on another layout.
_LEGAL_FORMS = frozenset({"ООО", "АО", "ОАО", "АНО", "НКО", "ООД", "ЕООД", "ЕТ"})


def _latin_word(word: str) -> bool:
    """True when ``word`` has a letter, and its letters are Latin ones, its other characters of any script."""
    return any(ch.isalpha() for ch in word) and all(
        "Latn" in scripts or scripts == {"*"} for scripts in map(_script_set, word)
    )


def latin_look_alike(label: str, *, as_written: bool = False) -> bool:
    """Whether ``label`` (a domain's label in Unicode, in lowercase) is written wholly in letters outside Latin that
    each look like a Latin letter or a digit (``аррӏе``, Cyrillic, looks like ``appie``; ``οοο``, Greek): each
    character beyond ASCII has an ASCII letter or digit among its confusables (Unicode's confusables.txt, UTS #39
    §4, as the confusable_homoglyphs package ships it), and no ASCII letter is among them (digits and hyphens
    are). ``москва`` is not: м, к and в look like no Latin letter. The letters are read case-folded (Unicode's
    full case folding, the form IDNA 2008 holds a label in, RFC 5892 NFKC_Casefold): Cherokee folds to its capitals
    (``ꮪꭺꮃ`` is ``ᏚᎪᎳ``, xn--g9ds9i, which looks like ``SAW``), which the data lists, and not its small letters.

    ``as_written``: ``label`` is a word of a name, in the case it is written in, and looks Latin either so or
    case-folded (Greek capitals ``ΤΟΡ`` look like ``TOP``; their small letters ``τορ`` do not), its combining
    marks left aside (``Ро́рѕ`` with a stress mark looks like an accented Latin word)."""
    if not as_written:
        return _all_look_latin(label.casefold())
    letters = "".join(ch for ch in unicodedata.normalize("NFD", label) if unicodedata.category(ch)[0] != "M")
    return bool(letters) and any(_all_look_latin(form) for form in (letters, letters.casefold()))


def _all_look_latin(label: str) -> bool:
    """:func:`latin_look_alike` of ``label`` as it is written."""
    if label.isascii() or any(ch.isascii() and ch.isalpha() for ch in label):
        return False
    from confusable_homoglyphs import confusables  # its data only for a text beyond Latin

    found = confusables.is_confusable(label, greedy=True, preferred_aliases=["latin"]) or []
    latin = {
        item["character"]
        for item in found
        if any(len(g["c"]) == 1 and g["c"].isascii() and g["c"].isalnum() for g in item["homoglyphs"])
    }
    return all(ch in latin for ch in label if not ch.isascii())


# Letters Unicode's confusables map to another ASCII letter than the one a reader takes them for: the Cyrillic
# palochka (ӏ, Ӏ) maps to i, and reads as an l (аррӏе is apple), as Chromium's IDN spoof checker maps it besides
# (components/url_formatter/spoof_checks/idn_spoof_checker.cc, its extra confusable mapping).
_READ_AS = {"\u04cf": "l", "\u04c0": "l"}


def latin_skeleton(text: str) -> str | None:
    """The ASCII ``text`` looks like (``аррӏе`` in Cyrillic: ``apple``; Cherokee ``ᏚᎪᎳ``: ``SAW``; ``pаypal`` with a
    Cyrillic ``а``: ``paypal``), or None when a character beyond ASCII looks like no ASCII letter or digit: each
    such character read as one of its confusables (Unicode's confusables.txt, UTS #39 §4, as the
    confusable_homoglyphs package ships it), as written or case-folded (Cherokee's small letters as its capitals),
    the palochka as an ``l`` (:data:`_READ_AS`); ASCII characters kept, in their case. Shapes only: the text named
    is what a reader may take it for, not a skeleton to compare (UTS #39's maps several letters to one)."""
    if text.isascii():
        return text
    from confusable_homoglyphs import confusables  # its data only for a text beyond ASCII

    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        read = _READ_AS.get(ch)
        for form in dict.fromkeys((ch, ch.casefold(), ch.upper())) if read is None else ():
            found = confusables.is_confusable(form, greedy=True, preferred_aliases=["latin"]) or []
            ascii_like = [g["c"] for item in found for g in item["homoglyphs"] if len(g["c"]) == 1 and g["c"].isascii()]
            read = next((c for c in ascii_like if c.isalnum()), None)
            if read is not None:
                break
        if read is None:
            return None
        out.append(read)
    return "".join(out)


def _looks_like_letter_of(letter: str, script: str) -> bool:
    """Whether ``letter`` (a cased letter, its marks with it: read without them, in Unicode NFD) looks like a
    letter of ``script`` (its name: Latin, Cyrillic...): the two are confusables, mapped to one prototype by
    Unicode's confusables.txt (UTS #39 §4, as the confusable_homoglyphs package ships it: each character with its
    prototype, and each prototype with the characters mapped to it). Latin ``I`` and Cyrillic ``І`` share the
    prototype ``l``; Greek ``Ω`` and ``π`` look like no Latin letter, Latin ``Q`` like no Cyrillic one. Only the
    letters of the script's own alphabet count (:func:`_of_alphabet`): Greek ``Σ`` looks like Latin's esh ``Ʃ`` and
    Latin ``G`` like Komi's ``Ԍ``, letters the words around them do not use."""
    from confusable_homoglyphs import categories, confusables  # its data only for a text beyond Latin

    wanted = script.upper()  # the package names a script as Scripts.txt does, in capitals
    data = confusables.confusables_data
    base = unicodedata.normalize("NFD", letter)[0]

    def of_script(ch: str) -> bool:
        return len(ch) == 1 and categories.alias(ch) == wanted and _of_alphabet(ch, wanted)

    for glyph in data.get(base, []):
        near = glyph["c"]
        if len(near) != 1:
            continue
        if of_script(near) or any(of_script(g["c"]) for g in data.get(near, [])):
            return True
    return False


# The letters of the alphabets most names are written in, by Scripts.txt's name of their script: Latin's basic
# letters (ASCII), Cyrillic's of Russian, Ukrainian, Belarusian, Serbian and Macedonian (U+0400 to U+045F: the
# Cyrillic block's first part), Greek's (U+0386 to U+03CE, with their tonos). The other letters of these scripts
# (Latin's esh, Komi's and Kurdish's Cyrillic letters) are rare in a name: one that looks like them is no slip.
_ALPHABETS = {"LATIN": ("A", "z"), "CYRILLIC": ("\u0400", "\u045f"), "GREEK": ("\u0386", "\u03ce")}


def _of_alphabet(ch: str, script: str) -> bool:
    """Whether ``ch``, a letter of ``script`` (Scripts.txt's name, in capitals), is of its common alphabet
    (``_ALPHABETS``); any letter of a script not listed there is."""
    span = _ALPHABETS.get(script)
    return span is None or (span[0] <= ch <= span[1] and (script != "LATIN" or ch.isalpha()))


@cache
def _letter_patterns() -> tuple[regex.Pattern[str], regex.Pattern[str], regex.Pattern[str]]:
    """One cased letter and its marks; a character of a script written without spaces between words, as UAX #14
    (Line_Break) classes them: SA, the scripts of South-East Asia (Thai, Lao, Khmer, Myanmar, the Tai scripts),
    and ID, the ideographs and syllables of Chinese, Japanese and Yi; one of SA alone."""
    import regex

    return (
        regex.compile(r"\p{Cased}\p{M}*"),
        regex.compile(r"[\p{Line_Break=SA}\p{Line_Break=ID}]"),
        regex.compile(r"\p{Line_Break=SA}"),
    )


def _alone_among(word: str, before: str, after: str) -> bool:
    """True when ``word`` is one cased letter (its marks with it) between two words of one script with case,
    the three together not of one (:func:`mixed_script_words`)."""
    cased = _letter_patterns()[0]
    if cased.fullmatch(word) is None or not (cased.search(before) and cased.search(after)):
        return False
    return single_script(before + after) and not single_script(before + word + after)


def _spaceless_beside_latin(word: str) -> bool:
    """True when ``word`` is a run of letters of a script written without spaces between words (Thai, Lao,
    Khmer, Myanmar, Chinese...: :func:`_letter_patterns`), at least two of them, and a run of Latin letters, in
    either order, digits and marks going with either: ``ชมรมฟุตบอลFC``, ``足球俱乐部FC``, ``KFCไทย``.

    There a name's words stand side by side, the Latin acronym of a club or a brand among them, with no space
    for :func:`mixed_script_words` to split them at. UTS #39's "highly restrictive" level allows Latin with
    Han and kana (Japanese), with Han and Bopomofo, with Han and Hangul, and nothing else with Latin; this
    allows Latin beside one such run as well, since a whole run of another script is read as what it is. A
    single letter of such a script beside Latin ones (``Lyoဝ``, Myanmar's wa looking like an ``o``), or Latin
    on both sides of a run (``Gဝဝgle``), is still a word that mixes scripts."""
    runs: list[tuple[bool, frozenset[str], int]] = []  # (Latin, scripts in common, letters)
    for ch in word:
        scripts = _script_set(ch)
        if scripts == {"*"}:
            continue  # a digit, a mark of any script: with the run it is in
        latin = "Latn" in scripts
        letters = 1 if unicodedata.category(ch)[0] == "L" else 0
        if runs and runs[-1][0] == latin and (latin or runs[-1][1] & scripts):
            runs[-1] = (latin, runs[-1][1] & scripts, runs[-1][2] + letters)
        else:
            runs.append((latin, scripts, letters))
    if len(runs) != 2 or runs[0][0] == runs[1][0]:
        return False
    spaceless = _letter_patterns()[1]
    other = runs[0] if runs[1][0] else runs[1]
    in_other = [ch for ch in word if unicodedata.category(ch)[0] == "L" and "Latn" not in _script_set(ch)]
    return other[2] >= 2 and all(spaceless.match(ch) for ch in in_other)


def short_repr(value: str, limit: int = 40) -> str:
    """A value quoted with every non-printable character escaped, cut at ``limit`` characters."""
    text = ascii(value) if refused_character(value) else repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


# What a name holding others is told: in a list (``site.domains``), each is an item; a setting of one name
# (``pic:hosts.web1.address``, ``lists.domain``) is told :data:`ONE_NAME_OF_SEVERAL` instead (pic.modelerrors).
SEVERAL_NAMES = "holds several names: give each on its own (one item of the list each)"
ONE_NAME_OF_SEVERAL = "holds more than one name (words parted by a space, a ',' or a ';'): give the name meant alone"
_SEVERAL_NAMES = re.compile(r"[^,;\s]+(?:\s*[,;]\s*|\s+)[^,;\s]+.*", re.DOTALL)
_NAME_AND_PORT = re.compile(r"([^:/]+):[0-9]+")


# An address in brackets, as a URL writes an IPv6 one ([::1]:443) and a mail address any ([192.168.1.1])
_BRACKETED = LazyPattern(r"\[([^\]]*)\](:[0-9]*)?")


def _is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class OfferRefusal(ValueError):
    """A value refused with the one to write instead, ``offered``, which the field takes; ``without`` is the
    message without the offer. A setting holding the value in a larger one (the host of ``host:port``, of a URL)
    offers that whole, written as it is then taken (pic.settings.split_host_port)."""

    def __init__(self, message: str, offered: str, without: str) -> None:
        super().__init__(message)
        self.offered, self.without = offered, without


class NameRefusal(OfferRefusal):
    """A domain refused with the name to write instead (``offered``), which the checks across files may refuse
    (another member's, the platform's): ``without`` is the message without the offer, ``then`` the words that
    bring the name offered in (``, and in lowercase {name}``), for a message telling why it is refused too
    (:func:`check_domain_in_context`)."""

    def __init__(self, message: str, offered: str, without: str, then: str) -> None:
        super().__init__(message, offered, without)
        self.then = then


def _more_than_a_name(value: str) -> str | NameRefusal | None:
    """What is written with a name instead of the name alone (a URL, a path, a port, several names, a
    wildcard), and the name to write; None for anything else."""
    text = value.strip()
    if "://" in text:
        return _name_alone("is a URL", text.partition("://")[2].partition("/")[0].partition(":")[0], "in it")
    if _SEVERAL_NAMES.fullmatch(text) is not None:
        return SEVERAL_NAMES
    if "/" in text and text.partition("/")[0]:
        return _name_alone("holds a path", text.partition("/")[0], "before it")
    if (match := _NAME_AND_PORT.fullmatch(text)) is not None:
        return _name_alone("holds a port", match[1], "before it")
    if text.startswith("*."):
        return (
            "is a wildcard, which is not taken (each name is given, and certified, on its own): list the names "
            f"under {short_repr(text[2:], 80)} that are meant, one item each"
        )
    return None


def more_than_a_name(value: str) -> str | None:
    """What is written with a name instead of the name alone (a URL, a path, a port, several names, a wildcard),
    with the name to write when there is one (``is a URL: give the name alone ('orange.fr')``), else None."""
    other = _more_than_a_name(value)
    return other if other is None or isinstance(other, str) else str(other.args[0])


def _accepted_name(name: str) -> str | None:
    """``name``, or it in lowercase, when :func:`check_domain` takes it (the one a message may offer); else None."""
    for candidate in dict.fromkeys((name, name.lower()) if name.isascii() else (name,)):
        try:
            check_domain(candidate)
        except ValueError:
            continue
        return candidate
    return None


def _name_alone(what: str, name: str, where: str) -> str | NameRefusal:
    """``WHAT: give the name alone ('NAME')``, the name a URL, a path or a port was written around
    (:func:`_accepted_name`); without a name when there is none (``https://[Test].fr/`` holds no name to offer)."""
    accepted = _accepted_name(name)
    if accepted is None:
        return f"{what}: give the name alone"
    return NameRefusal(
        f"{what}: give the name alone ({short_repr(accepted, 80)})",
        accepted,
        what,
        f", and the name {where}, {{name}},",
    )


_DOTS = LazyPattern(r"\.{2,}")


def _name_to_write(name: str) -> str:
    """``: write 'NAME'``, the name a refusal offers, when it is one :func:`check_domain` accepts; else nothing (an
    empty label dropped may leave a name refused for another reason: ``xn--..example.org``, ``vélo..fr``); in
    lowercase when it is written otherwise (:func:`_accepted_name`)."""
    accepted = _accepted_name(name)
    return "" if accepted is None else f": write {short_repr(accepted, 80)}"


def _empty_label(value: str) -> str | None:
    """Why ``value`` has an empty label (a dot first, or two dots in a row: ``www..example.org``,
    ``example.org..``), with the name to write (its labels that are not empty), or None. One trailing dot alone is
    an absolute name's, told apart."""
    if not value.startswith(".") and ".." not in value:
        return None
    mended = _name_to_write(".".join(label for label in value.split(".") if label))
    if value.startswith("."):
        return f"starts with a dot, an empty label before it{mended}"
    trailing = len(value) - len(value.rstrip("."))
    run = trailing if trailing > 1 else max(len(m) for m in _DOTS.findall(value))
    dots = "two dots" if run == 2 else f"{run} dots"
    between = "an empty label between them" if run == 2 else "empty labels between them"
    return f"ends with {dots}, {between}{mended}" if trailing > 1 else f"has {dots} in a row, {between}{mended}"


def _check_label(label: str) -> None:
    """Raise ValueError saying what is wrong with ``label``, one label of a name (RFC 1035 §2.3.1's letters, digits
    and inner hyphens, 63 at most; RFC 5890's A-labels)."""
    if len(label) > 63:
        raise ValueError(f"has a label of {len(label)} characters (at most 63): {label[:20]}...")
    if _LABEL_RE.fullmatch(label) is None:
        raise ValueError(f"has an invalid label {short_repr(label)}: letters a-z, digits and inner hyphens only")
    if label.startswith("xn--"):
        _check_a_label(label)
    elif label[2:4] == "--":
        raise ValueError(
            f"has a label {short_repr(label)} with '--' in its third and fourth characters: such labels are "
            "reserved for encodings (RFC 5890 §2.3.1, R-LDH labels; only xn-- is one), and certificate "
            "authorities refuse them"
        )


def _refuse_empty_label(value: str, told: str) -> NoReturn:
    """Refuse ``value``, a name with an empty label (``told``: :func:`_empty_label`), the name without its empty
    labels offered as a :class:`NameRefusal` when it is then taken: a setting holding the host in a larger value (a
    URL, host:port) offers that whole (``sftp://restic@smtp1.example.org:25//srv/restic``), not the name alone."""
    accepted = _accepted_name(".".join(label for label in value.split(".") if label))
    if accepted is None or not told.endswith(mended := f": write {short_repr(accepted, 80)}"):
        raise ValueError(told)
    raise NameRefusal(told, accepted, told.removesuffix(mended), ", and the name without them, {name},")


def _refuse_surrounding_spaces(value: str) -> NoReturn:
    """Refuse a name between spaces, the name without them offered only when it is then taken (`` Velo.fr``:
    write 'velo.fr')."""
    told = "has surrounding spaces"
    accepted = _accepted_name(value.strip())
    if accepted is None:
        raise ValueError(told)
    raise NameRefusal(
        f"{told}: write {short_repr(accepted, 80)}", accepted, told, ", and the name without them, {name},"
    )


def _refuse_trailing_dot(value: str) -> NoReturn:
    """Refuse an absolute name's trailing dot, the name without it offered only when it is then taken; written
    otherwise too (ATELIER.velo-asso.fr.: its capitals), the name meant is given whole (write
    'atelier.velo-asso.fr')."""
    told = "ends with a dot: write the name without the trailing dot"
    accepted = _accepted_name(value[:-1]) if value.isascii() else None
    if accepted is None:
        raise ValueError(told)
    if accepted != value[:-1]:
        told = f"ends with a dot: write {short_repr(accepted, 80)}"
    raise NameRefusal(told, accepted, "ends with a trailing dot", ", and the name without it, {name},")


# What a word of hexadecimal mixing capitals and small letters is told, never read as an address nor a name
_MIXED_CASE_HEX_WORDS = "hexadecimal mixing capitals and small letters (0x...), a password's shape, no name nor address"


def _refuse_uppercase(value: str) -> NoReturn:
    """Refuse a name of uppercase letters, offered in lowercase only when it is then taken; hexadecimal mixing
    capitals and small letters (``0xCafe1234``: :func:`pic.secrettext.mixed_case_hex`) is a password's shape, not
    read in lowercase, where inet_aton would read it as an address and a message quote it."""
    if mixed_case_hex(value):
        raise ValueError(f"is {_MIXED_CASE_HEX_WORDS}: give the host's name or address")
    lowered = value.lower()
    try:
        check_domain(lowered)
    except ValueError as other:  # [Test].fr: in lowercase, still no name; none offered
        raise ValueError(f"has uppercase letters (a name is written in lowercase), and {other}") from None
    raise NameRefusal(
        f"has uppercase letters: write it in lowercase ({short_repr(lowered, 80)})",
        lowered,
        "has uppercase letters (a name is written in lowercase)",
        ", and in lowercase {name}",
    )


def _check_domain_form(value: str) -> None:
    if "@" in value:  # user@host, user:password@host: not repeated in the message
        raise ValueError("holds '@': a name has none (a user or a password does not go here)")
    # a name never starts with '[': the pattern is compiled only for such a value
    bracketed = _BRACKETED.fullmatch(value.strip()) if value.lstrip().startswith("[") else None
    if bracketed is not None and _is_ip_address(bracketed[1]):
        port = " and a port" if bracketed[2] else ""
        raise ValueError(
            f"is an IP address in brackets{port} (as a URL or a mail address writes one), not a domain name: "
            "give the domain name"
        )
    if (other := _more_than_a_name(value)) is not None:
        raise other if isinstance(other, NameRefusal) else ValueError(other)
    if (empty := _empty_label(value)) is not None:
        _refuse_empty_label(value, empty)
    # the ideographic full stop (。, ｡ NFKC's to it) is a dot to IDNA (UTS 46): a Chinese or Japanese keyboard's
    folded = value if value.isascii() else unicodedata.normalize("NFKC", value).lower().replace("\u3002", ".")
    # (a name of compatibility forms ending with a dot is told of its forms, the name offered without the dot: told
    # of the dot alone, it was refused again once the dot was dropped)
    if value.endswith(".") and (value.isascii() or not folded.isascii()):
        _refuse_trailing_dot(value)
    if not value.isascii():
        if folded.isascii():  # full-width or other compatibility forms of ASCII letters and dots
            written = folded.rstrip(".")
            what = (
                "has dots that only look like ASCII's (the ideographic full stop 。)"
                if all(c in "\u3002\uff61" for c in value if not c.isascii())
                else "has letters that only look like ASCII (full-width forms)"
            )
            try:
                check_domain(written)
            except ValueError as refusal:  # read as ASCII, refused too (velo．．fr: two dots in a row)
                raise ValueError(f"{what}; in ASCII, {short_repr(written, 80)} {refusal}") from None
            # offered only when no other member nor the platform holds it (check_domain_in_context)
            raise NameRefusal(f"{what}: write {short_repr(written)}", written, what, ", and in ASCII {name}")
        import idna

        told = "has non-ASCII letters: write an internationalised name in punycode (xn--...)"
        try:
            encoded = idna.encode(value, uts46=True).decode("ascii")
            check_domain(encoded)  # the name offered is one taken (vélo.fr。 encodes as xn--vlo-bma.fr.)
        except (idna.IDNAError, UnicodeError, ValueError):
            raise ValueError(told) from None
        # amis-du-rhône.org offered as xn--amis-du-rhne-nib.org only when no other member nor the platform holds it
        raise NameRefusal(
            f"{told}: {encoded}",
            encoded,
            "has non-ASCII letters (an internationalised name is written in punycode, xn--...)",
            ", and in punycode {name}",
        )
    if any(c.isupper() for c in value):
        _refuse_uppercase(value)
    if ":" not in value and not value.replace(".", "").isdigit():
        return  # neither IPv6 nor dotted digits: no address to parse
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return
    raise ValueError("is an IP address, not a domain name")


# email_validator's special-use and reserved domains (its SPECIAL_USE_DOMAIN_NAMES, from IANA's
# registry, RFC 6761, 6762 and 7686): refused by the library, so never taken by the shortcut below;
# tests/test_fields_fast.py checks that this is the library's list.
SPECIAL_USE_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")
# Top-level domains that name nothing on the public Internet, so that no public certificate authority
# issues for them: IANA's Special-Use Domain Names (RFC 6761: example, invalid, localhost, test; RFC 6762:
# local; RFC 7686: onion; RFC 9476: alt), arpa (RFC 3172: the infrastructure's, home.arpa of RFC 8375
# included) and internal (reserved for private use by ICANN in 2024).
SPECIAL_USE_TLDS = frozenset({*SPECIAL_USE_DOMAINS, "alt", "example", "internal"})


def special_use_tld(domain: str) -> str | None:
    """The special-use top-level domain ``domain`` is under (``SPECIAL_USE_TLDS``), or None."""
    tld = domain.rsplit(".", 1)[-1]
    return tld if tld in SPECIAL_USE_TLDS else None


@cache
def is_internet_tld(label: str) -> bool:
    """True when ``label`` is a top-level domain of the Internet: an entry of the Public Suffix List.

    ``lan``, ``home``, ``corp`` or a typo such as ``frr`` are not: no name under them resolves on the
    Internet, and no public certificate authority issues one.
    """
    if label and "." not in label and _plain_name(label):  # the package's rule for one label, on the ASCII rules
        rules = _ascii_suffix_rules()
        return f"!{label}" not in rules and (label in rules or f"*.{label}" in rules)
    return bool(public_suffix_list().is_public(label, accept_unknown=False))


def unknown_tld_words(domain: str, ca: str) -> str:
    """Why a public stack (certificates from ``ca``) refuses ``domain``, under no top-level domain of the Internet."""
    tld = domain.rsplit(".", 1)[-1]
    return (
        f"{short_repr(domain, 80)} is under .{tld}, which is no top-level domain of the Internet (the Public "
        f"Suffix List has no such entry): a typo, or a local name; {ca} issues no certificate for it, and one "
        "name refused fails the member's whole certificate; only a stack with pic:tls.ca: internal accepts it"
    )


def public_name_problem(domain: str, ca: str) -> str | None:
    """Why a stack whose certificates come from the public authority ``ca`` refuses ``domain``, or None.

    A special-use top-level domain (:func:`special_use_tld`), or a label that is no top-level
    domain of the Internet (:func:`is_internet_tld`).
    """
    tld = special_use_tld(domain)
    if tld is not None:
        return special_use_words(domain, tld, ca)
    if not is_internet_tld(domain.rsplit(".", 1)[-1]):
        return unknown_tld_words(domain, ca)
    return None


def special_use_words(domain: str, tld: str, ca: str) -> str:
    """Why a public stack (certificates from ``ca``) refuses ``domain``, under the special-use ``tld``."""
    return (
        f"{short_repr(domain, 80)} is under .{tld}, a special-use top-level domain (IANA's registry, RFC 6761): "
        f"it names nothing on the public Internet and certificate authorities such as {ca} issue no certificate "
        "for it; only a stack with pic:tls.ca: internal (a lab) accepts it"
    )


# The second-level names IANA holds for documentation (RFC 2606 §3, "Reserved Example Second Level Domain
# Names"): they resolve (IANA serves a page at each), but they are no one's to host: IANA holds them and their
# subdomains, so no one else can prove control of them, and no certificate authority issues a certificate for them.
DOCUMENTATION_DOMAINS = frozenset({"example.com", "example.net", "example.org"})


def documentation_domain(domain: str) -> str | None:
    """The documentation name (``DOCUMENTATION_DOMAINS``, RFC 2606 §3) ``domain`` is or is under, or None.

    ``domain`` is compared as DNS compares names: in any letter case, with or without the trailing dot of an
    absolute name (``WWW.Example.ORG.`` is under ``example.org``). Only the name itself and its subdomains count:
    ``example.fr``, ``myexample.org`` and ``example.org.fr`` are not under one.
    """
    name = domain.rstrip(".").lower()
    parent = ".".join(name.rsplit(".", 2)[-2:])
    return parent if parent in DOCUMENTATION_DOMAINS else None


def documentation_place(domain: str, parent: str) -> str:
    """Where ``domain`` is against the documentation name ``parent`` it is or is under
    (:func:`documentation_domain`), as a message says it: ``is under example.org`` for ``www.example.org``, ``is
    example.org itself`` for the name itself (compared as :func:`documentation_domain` does), not under itself."""
    return f"is {parent} itself" if domain.rstrip(".").lower() == parent else f"is under {parent}"


def documentation_words(domain: str, parent: str, ca: str) -> str:
    """Why a public stack (certificates from ``ca``) refuses a member's ``domain``, under the documentation name
    ``parent`` (:func:`documentation_domain`)."""
    return (
        f"{short_repr(domain, 80)} {documentation_place(domain, parent)}, a name IANA holds for documentation "
        f"(RFC 2606 §3): its DNS is IANA's, no association's, and certificate authorities such as {ca} issue no "
        "certificate for it; give the association's own name; only a stack with pic:tls.ca: internal (a lab) "
        "accepts it"
    )


# The usual form of a valid address: a dot-atom of letters, digits, _ + - before the @, and a domain
# of ASCII labels whose last one starts and ends with a letter. email_validator (strict) accepts every
# such address of at most 254 characters (64 before the @, 253 after) whose domain has no "--" and is
# not special-use, and its labels are of one script (Latin and common characters), of 63 characters at most
# (told apart from the pattern, which reads each run of letters and digits, or of hyphens, whole: no backtracking).
_COMMON_EMAIL = re.compile(
    r"[A-Za-z0-9_+-]++(?:\.[A-Za-z0-9_+-]++)*+@"
    r"(?:[A-Za-z0-9]++(?:-++[A-Za-z0-9]++)*+\.)++[A-Za-z][A-Za-z0-9]*+(?:-++[A-Za-z0-9]++)*+(?<=[A-Za-z])"
)


def is_common_email(value: str) -> bool:
    """True when ``value`` has the usual form of an address that :func:`check_email_fully` accepts."""
    if len(value) > 254 or _COMMON_EMAIL.fullmatch(value) is None:
        return False
    local, _, domain = value.partition("@")
    if len(local) > 64 or len(domain) > 253 or "--" in domain:
        return False
    if len(domain) > 63 and max(len(label) for label in domain.split(".")) > 63:
        return False
    # the library refuses each name and its subdomains; all of them are top-level labels
    return domain.rpartition(".")[2].lower() not in SPECIAL_USE_DOMAINS


def check_email(value: str, *, accepted: Callable[[str], str] | None = None) -> str:
    """An e-mail address of valid syntax (no DNS lookup), ASCII or internationalised, printable.

    The verdict is email_validator's (``validate_email``, strict, no DNS) and one script per
    domain label; the usual form (:func:`is_common_email`) is accepted without calling it.
    Raises ValueError with the reason. ``accepted``: the field's own check (:func:`check_ascii_email`), which an
    address a message offers to write instead passes too (default: this one).
    """
    if not is_common_email(value):
        return check_email_fully(value, accepted=accepted)
    _refuse_open_suffix(value)
    return value


# First labels of the public suffixes where anyone registers a name (co.uk, com.au, asso.fr, ac.uk): no one
# receives mail at such a suffix itself. Not every public suffix is one (nic.in and gov.in are India's
# government mail domains).
OPEN_REGISTRY_LABELS = frozenset(["co", "com", "org", "net", "ac", "edu", "or", "ne", "asso"])


def is_open_suffix(domain: str) -> bool:
    """Whether ``domain`` is a public suffix under which anyone registers names (``co.uk``), so no mailbox's."""
    first, _, rest = domain.lower().partition(".")
    return first in OPEN_REGISTRY_LABELS and bool(rest) and is_public_suffix(domain.lower())


def _refuse_open_suffix(value: str) -> None:
    domain = value.rpartition("@")[2]
    if domain.count(".") == 1 and is_open_suffix(domain):  # two labels: the only such suffixes in practice
        raise ValueError(
            f"is not a valid e-mail address: its domain {domain} is a public suffix (Public Suffix List), under "
            "which names are registered; no one receives mail at it: a part of the domain is missing"
        )


def check_email_fully(value: str, *, accepted: Callable[[str], str] | None = None) -> str:
    """:func:`check_email` without its shortcut: the library's verdict on every address."""
    why = refused_character(value)
    if why is not None:
        raise ValueError(f"is not a valid e-mail address: it {why}")
    if '"' in value:
        # email_validator reads a quote as the start of a quoted local part, which it refuses here; an
        # unbalanced one hides the @ from it, and it would say that the address has no @-sign.
        raise ValueError(
            'is not a valid e-mail address: it holds a quote character ("): quoted local parts such as '
            '"jean dupont"@example.org are refused'
            + (", and so are a name and angle brackets around the address" if "<" in value or ">" in value else "")
            + "; give the address alone, without quotes"
        )
    if (alone := _address_alone(value, accepted or check_email)) is not None:
        raise ValueError(f"is not a valid e-mail address: {alone}")
    if (dots := _empty_label_in_address(value, accepted or check_email)) is not None:
        raise ValueError(f"is not a valid e-mail address: {dots}")
    if "@" in value and (form := inet_aton_form(value.rpartition("@")[2])) is not None:  # x@127.1: ping's 127.0.0.1
        raise ValueError(
            f"is not a valid e-mail address: its domain is {form[0]}, an IPv4 address, and an address is no mail "
            "domain here: give the domain the mail goes to"
        )
    from email_validator import EmailNotValidError, validate_email

    try:
        # strict: the local part's limit of 64 octets too (RFC 5321 §4.5.3.1.1)
        valid = validate_email(value, check_deliverability=False, strict=True)
    except EmailNotValidError as exc:
        raise ValueError(f"is not a valid e-mail address: {exc}") from None
    local, _, domain = value.rpartition("@")
    if not local.isascii() and unicodedata.normalize("NFKC", local) != local:
        # ａｄｍｉｎ looks like admin and is another mailbox
        raise ValueError(
            f"has letters before the @ {_written_otherwise(local)}: write "
            f"{short_repr(unicodedata.normalize('NFKC', local) + '@' + domain, 80)}"
        )
    if not domain.isascii() and unicodedata.normalize("NFKC", domain).replace("\u3002", ".") != domain:
        # full-width or other compatibility forms, and the ideographic full stop (。), which NFKC keeps: the
        # library maps them to other letters and to dots (UTS #46), the address going on as written
        raise ValueError(
            f"has a domain {_domain_written_otherwise(domain, len(local) + 1)}: write "
            f"{short_repr(value.rpartition('@')[0] + '@' + valid.domain, 80)}"
        )
    for label in valid.ascii_domain.split("."):
        u_label = u_labels(label) if label.startswith("xn--") else label
        if not single_script(u_label):
            raise ValueError(
                f"is not allowed: its domain has a label {short_repr(label)} ({u_label}) that mixes "
                "scripts, as a look-alike of another domain does (UTS #39 §5.2)"
            )
    _refuse_open_suffix(value)
    return value


# The dots IDNA reads as a full stop (UTS #46, RFC 3490 §3.1): ideographic, full-width, half-width ideographic
_OTHER_DOTS = "\u3002\uff0e\uff61"


def _domain_written_otherwise(domain: str, offset: int) -> str:
    """:func:`_written_otherwise` of an address's domain, whose dots may be what is written otherwise (the
    ideographic full stop 。 of a Chinese or Japanese keyboard): said as dots, not as letters."""
    others = {ch in _OTHER_DOTS for ch in domain if not ch.isascii() and unicodedata.normalize("NFKC", ch) != ch}
    others |= {ch in _OTHER_DOTS for ch in domain if ch == "\u3002"}
    if others == {True}:
        return "whose dots only look like ASCII's (ideographic or full-width full stops: 。, ｡, ．)"
    if others == {True, False} and unicodedata.normalize("NFC", domain) == domain:
        return "whose letters and dots only stand for others (full-width or compatibility forms)"
    return f"of letters {_written_otherwise(domain, offset)}"


def _empty_label_in_address(value: str, accepted: Callable[[str], str]) -> str | None:
    """Where an address has an empty label (two dots in a row, a dot first or last, in its domain or before its @),
    in the project's words rather than the library's, with the address to write when its domain has one and the
    address without it passes ``accepted``; None when it has none. A dot dropped before the @ would name another
    mailbox: none is offered there."""
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        return None
    folded = domain
    if not domain.isascii():
        folded = unicodedata.normalize("NFKC", domain)
        folded = "".join("." if ch in _OTHER_DOTS else ch for ch in folded)
    said = _empty_label(folded)
    if said is None and folded.endswith("."):
        said = "ends with a dot"
    if said is not None:
        said = said.partition(": write")[0]  # the name offered is for a domain field; the address is offered here
        written = _accepted_address(local, ".".join(label for label in folded.split(".") if label), accepted)
        return f"its domain {said}" + ("" if written is None else f": write {short_repr(written, 80)}")
    if local.startswith("."):
        return "it starts with a dot, which no address's part before the @ does unquoted"
    if local.endswith("."):
        return "it has a dot right before the @, which no address's part before the @ has unquoted"
    if ".." in local:
        return "it has two dots in a row before the @, which no address's part before the @ has unquoted"
    return None


def _accepted_address(local: str, domain: str, accepted: Callable[[str], str]) -> str | None:
    """``local@domain`` when ``accepted`` takes it, else with its domain in punycode when that one is taken (a
    platform's address, ASCII), else None."""
    candidates = [f"{local}@{domain}"]
    if not domain.isascii():
        import idna

        with contextlib.suppress(idna.IDNAError, UnicodeError):
            candidates.append(f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}")
    for candidate in candidates:
        try:
            accepted(candidate)
        except ValueError:
            continue
        return candidate
    return None


def _written_otherwise(text: str, offset: int = 0) -> str:
    """How the letters of ``text`` (at ``offset`` in the address) are written that its NFKC form writes otherwise:
    a letter and a separate accent (Unicode's decomposed form, NFD, as some systems store text: ``e`` then
    U+0301), which looks the same as the one character, or forms that stand for other letters (full-width ``ａ``,
    ligatures, ...)."""
    composed = unicodedata.normalize("NFC", text)
    if composed != text and unicodedata.normalize("NFKC", text) == composed:
        at = next(i for i, ch in enumerate(text) if unicodedata.combining(ch))
        return (
            f"with an accent written apart from its letter (U+{ord(text[at]):04X} at character {offset + at + 1}, "
            "Unicode's decomposed form), which only looks like the one accented letter"
        )
    return "that only stand for others (full-width or compatibility forms)"


_NAME_AND_ADDRESS = LazyPattern(r"[^<>]*<\s*([^<>\s]+@[^<>\s]+)\s*>\s*")
_MAILTO = LazyPattern(r"mailto:", re.IGNORECASE)
_SEVERAL_ADDRESSES = LazyPattern(r"[^,;\s]+@[^,;\s]+(?:\s*[,;]\s*|\s+)[^,;\s]+@[^,;\s]+.*", re.DOTALL)


def _address_alone(value: str, accepted: Callable[[str], str]) -> str | None:
    """What surrounds an address that is given with more than itself (a name and angle brackets, ``mailto:``,
    a second address, blanks, a list's ',' or ';' after it), and the address to give when ``accepted`` takes it,
    else why it is refused too, the address not quoted (``Admin <deploy:hunter2@x.org>`` holds a password); None
    for any other value. The library's words for those speak of a display name's characters ("invalid characters
    when not quoted: 'é'", as if quotes would do) or of a character after the @-sign ("contains invalid
    characters: ','")."""
    if value.strip() != value or value.endswith((",", ";")):
        alone = value.strip().rstrip(",;").strip()
        blanks = value.strip() == alone
        what = "has blanks around it" if blanks else f"ends with {value.strip()[len(alone) :]!r}"
        if "@" in alone and not _SEVERAL_ADDRESSES.fullmatch(alone):
            return _offered(f"{what}:", f"{what}; without {'them' if blanks else 'it'}", alone, accepted)
    if (match := _NAME_AND_ADDRESS.fullmatch(value)) is not None:
        what = "a name and angle brackets around the address are not taken"
        return _offered(f"{what}:", f"{what}; without them", match[1], accepted)
    if _MAILTO.match(value) and "@" in value:
        alone = value[len("mailto:") :].strip()
        return _offered("give the address alone, without 'mailto:'", "without 'mailto:'", alone, accepted)
    if _SEVERAL_ADDRESSES.fullmatch(value.strip()) is not None:
        return "holds more than one address: give one address"
    return None


def _offered(offer: str, without: str, alone: str, accepted: Callable[[str], str]) -> str:
    """``offer`` and the address ``alone`` to give when ``accepted`` takes it, else ``without`` and why the address
    is refused too, not quoted; when that refusal offers the address mended (``admin@.velo-asso.fr,``: its domain
    starting with a dot, ``write 'admin@velo-asso.fr'``), both faults are told and that address offered, not said
    to be refused."""
    try:
        accepted(alone)
    except ValueError as refused:
        why = str(refused).removeprefix("is not a valid e-mail address: ")
        if (mended := _MENDED.search(why)) is not None and _takes(accepted, mended[1][1:-1]):
            return f"{without}, {'the address ' if why.startswith(('has ', 'is ')) else ''}{why}"
        return f"{without} the address is refused too: {why}"
    if offer.endswith(":"):
        return f"{offer} give the address alone ({short_repr(alone, 80)})"
    return f"{offer} ({short_repr(alone, 80)})"


# The address a refusal offers to write, at its end (short_repr's quoting)
_MENDED = LazyPattern(r": write ('[^'\\]*'|\"[^\"\\]*\")\Z")


def _takes(accepted: Callable[[str], str], address: str) -> bool:
    try:
        accepted(address)
    except ValueError:
        return False
    return True


def u_labels(name: str) -> str:
    """A domain or one of its labels with its punycode labels in Unicode (``xn--orang-fsa.fr`` is ``orangé.fr``,
    IDNA 2008, RFC 5891), as a person knows it; as given when it holds none or one does not decode."""
    if "xn--" not in name.lower():
        return name
    import idna

    try:
        return str(idna.decode(name))
    except (idna.IDNAError, UnicodeError):
        return name


SSH_KEY_TYPES = {
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
}
_MIN_RSA_BITS = 2048
# OpenSSH reads no RSA key of more bits (SSH_RSA_MAXIMUM_MODULUS_SIZE, sshkey.h): sshd would ignore it.
_MAX_RSA_BITS = 16384
# OpenSSH reads an RSA key's numbers as written and leaves the public exponent to OpenSSL, which checks
# sshd's signatures: it refuses an exponent of more than 64 bits (OPENSSL_RSA_MAX_PUBEXP_BITS) with a modulus
# above 3072 bits, and one not below the modulus; ssh-keygen makes 65537. Past this bound the key could never
# log in (or, at 3072 bits or fewer, is no key a tool makes).
_MAX_RSA_EXPONENT_BITS = 64
# An ssh-ed25519 key's data (RFC 8709 §4): the type as an SSH string, then the 32 bytes of the key as
# one, nothing more. cryptography loads any 32 bytes as an Ed25519 public key, so data of exactly this
# form is valid without calling it (tests/test_fields_fast.py compares both).
_ED25519_PREFIX = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20"
# Edwards25519's field prime (RFC 8032 §5.1) and the y coordinates of its eight points of small order
# (order 1, 2, 4 and 8): 1, p - 1, 0, and the two below, as libsodium's blocklist writes them
# (crypto_core/ed25519/ref10/ed25519_ref10.c, ge25519_has_small_order). Such a key verifies signatures
# anyone can make without its private key (OpenSSH's verifier does not refuse them).
_ED25519_P = 2**255 - 19
_ED25519_SMALL_ORDER_Y = frozenset(
    {
        0,
        1,
        _ED25519_P - 1,
        int.from_bytes(bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"), "little"),
        int.from_bytes(bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"), "little"),
    }
)
# The 32 bytes of every Ed25519 key _check_ed25519_point refuses, with either sign bit: y at or above the prime (19
# values below 2**255) or of a point of small order; any other is accepted without computing y.
_ED25519_REFUSED = frozenset(
    (y | sign << 255).to_bytes(32, "little")
    for y in (*range(_ED25519_P, 1 << 255), *_ED25519_SMALL_ORDER_Y)
    for sign in (0, 1)
)
_WHITESPACE = re.compile(r"\s")  # str.isspace's characters (both are Py_UNICODE_ISSPACE)
# The usual line: an Ed25519 key as ssh-keygen writes it, then a comment of printable ASCII without surrounding
# spaces. Its body is 68 characters for the 51 bytes of the key's blob (so canonical base64, without padding),
# the first 25 and the high bits of the 26th (A-P) being those of _ED25519_PREFIX.
_USUAL_ED25519_LINE = re.compile(
    r"ssh-ed25519 (?P<data>AAAAC3NzaC1lZDI1NTE5AAAAI[A-P][A-Za-z0-9+/]{42})(?: (?P<comment>[!-~](?:[ -~]*[!-~])?))?"
)


def check_ssh_key(value: str) -> str:
    """One OpenSSH public key on one line: exactly ``TYPE BASE64 [COMMENT]``, no options.

    The key is read by ``cryptography`` (``load_ssh_public_key``): its bytes
    must decode, be of the type written before them, and hold nothing more;
    the comment is printable text on the same line (sshd reads one key per
    line: a line break in a comment would add lines to authorized_keys).
    RSA keys need 2048 bits (OpenSSH 8.8 and NIST SP 800-131A refuse less) and at most 16384
    (OpenSSH's SSH_RSA_MAXIMUM_MODULUS_SIZE), an odd modulus and an odd public exponent of 3 to 64 bits
    below it (:func:`_check_rsa_numbers`).
    """
    usual = _USUAL_ED25519_LINE.fullmatch(value)
    if usual is not None:  # every check before the comment's passes on it, and the body decodes as written
        if usual.group("comment") is not None:
            _check_comment(usual.group("comment"))
        _check_ed25519_point(binascii.a2b_base64(usual.group("data"))[len(_ED25519_PREFIX) :])
        return value
    return check_ssh_key_fully(value)


def check_ssh_key_fully(value: str) -> str:
    """:func:`check_ssh_key` without its shortcut for the usual Ed25519 line: every check in turn."""
    if (other := _other_than_a_key_line(value)) is not None:  # before its line breaks are told
        raise ValueError(other)
    why = refused_character(value)
    if why is not None:
        raise ValueError(f"{why}: a key is one line of printable characters (TYPE BASE64 [comment])")
    parts = value.split(" ", 2)
    if len(parts) < 2 or not parts[0] or not parts[1] or _WHITESPACE.search(parts[0] + parts[1]) is not None:
        raise ValueError("is not an OpenSSH public key (expected exactly: TYPE BASE64 [comment], one space between)")
    kind, data = parts[0], parts[1]
    if kind == "ssh-dss":
        raise ValueError("is a DSA key, which OpenSSH no longer accepts: use ssh-ed25519")
    if kind not in SSH_KEY_TYPES:
        _refuse_options(value)
        _refuse_key_type(kind, data)
    if len(parts) == 3 and (not parts[2] or parts[2] != parts[2].strip()):
        raise ValueError("has spaces at the end or around its comment")
    if len(parts) == 3:
        _check_comment(parts[2])
    try:
        blob = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("has a key body that is not valid base64 key data") from None
    if not blob or base64.b64encode(blob).decode() != data:
        raise ValueError("has a key body that is not valid base64 key data")
    if kind == "ssh-ed25519" and len(blob) == len(_ED25519_PREFIX) + 32 and blob.startswith(_ED25519_PREFIX):
        _check_ed25519_point(blob[len(_ED25519_PREFIX) :])
        return value  # the usual key: read as cryptography reads it
    _check_key_blob(kind, data)
    return value


# A certificate's type (ssh-keygen -s; OpenSSH's PROTOCOL.certkeys): the type of the key it certifies, then
# -cert-v01@openssh.com (a security key's type without its own @openssh.com)
_CERTIFICATE_TYPE = re.compile(r"(?P<base>[a-z0-9-]+?)-cert-v0[01]@openssh\.com")
# The file ssh-keygen writes each type's public key to by default (ssh-keygen(1), FILES)
_DEFAULT_KEY_FILE = {
    "ssh-ed25519": "id_ed25519",
    "ssh-rsa": "id_rsa",
    "ecdsa-sha2-nistp256": "id_ecdsa",
    "ecdsa-sha2-nistp384": "id_ecdsa",
    "ecdsa-sha2-nistp521": "id_ecdsa",
    "sk-ssh-ed25519@openssh.com": "id_ed25519_sk",
    "sk-ecdsa-sha2-nistp256@openssh.com": "id_ecdsa_sk",
}


# authorized_keys' options before a key (sshd(8), AUTHORIZED_KEYS FILE FORMAT): names joined by commas, each alone
# (restrict, no-pty, cert-authority) or with a value in double quotes (from="10.0.0.1", command="echo hi")
_KEY_OPTIONS = re.compile(r'[A-Za-z0-9-]+(?:="(?:[^"\\]|\\.)*")?(?:,[A-Za-z0-9-]+(?:="(?:[^"\\]|\\.)*")?)*')
# A line of authorized_keys whose options stand before a key of a type taken: the options, then the key's line
_AFTER_OPTIONS = re.compile(
    rf"(?P<options>.+?) (?P<key>(?:{'|'.join(map(re.escape, sorted(SSH_KEY_TYPES)))}) AAAA[A-Za-z0-9+/=]*(?: .*)?)"
)


def _refuse_options(value: str) -> None:
    """Refuse ``value`` when it is a key's line after authorized_keys options (``from="10.0.0.1" ssh-ed25519 ...``),
    naming them and offering the line from the key's type on when that one is taken; return otherwise."""
    found = _AFTER_OPTIONS.fullmatch(value)
    if found is None or _KEY_OPTIONS.fullmatch(found["options"]) is None:
        return
    key = found["key"]
    try:
        check_ssh_key(key)
    except ValueError:
        offer = ""
    else:
        offer = f": write the line from its type on: {short_repr(key, 80)}"
    told = (
        "which a member's key does not take (sshd's own settings say what every member may do; from=, command=, "
        "restrict, cert-authority... are not allowed)"
    )
    raise Refusal(f"starts with authorized_keys options ({short_repr(found['options'], 40)}), {told}{offer}", [told])


def _refuse_key_type(kind: str, data: str) -> NoReturn:
    """Refuse ``kind``, no type of :data:`SSH_KEY_TYPES`, before the key data ``data``: a type that its data does not
    name (``rsa-sha2-512``, the signature's algorithm of an RSA key, ``SSH-ED25519``) told the type the data names,
    when that one is taken; a certificate told as one, with the key it certifies to give; else the types taken."""
    allowed = f"expected one of {', '.join(sorted(SSH_KEY_TYPES))} (key options such as command=... are not allowed)"
    named = _type_named_in(data)
    if named is not None and named != kind and named in SSH_KEY_TYPES:
        told = f"write {named} (the type ssh-keygen writes before its data)"
        raise Refusal(f"has key type {short_repr(kind)}, and its data is an {named} key: {told}", [told])
    certificate = _CERTIFICATE_TYPE.fullmatch(kind)
    if certificate is not None:
        base = certificate["base"] + ("@openssh.com" if certificate["base"].startswith("sk-") else "")
        if base in SSH_KEY_TYPES:
            file = _DEFAULT_KEY_FILE[base]
            advice = (
                "a key signed by a certificate authority (ssh-keygen -s), which sshd takes only through the "
                "authority's own key under a cert-authority option, which members' keys do not take: give the public "
                f"key it certifies, the {base} line of the .pub file it was made from ({file}.pub, not {file}-cert.pub)"
            )
            raise Refusal(f"is an OpenSSH certificate ({kind}): {advice}", [advice])
    raise Refusal(f"has key type {short_repr(kind)}: {allowed}", [allowed])


def _type_named_in(data: str) -> str | None:
    """The type name OpenSSH's key data ``data`` (base64) starts with (a length, then the name: RFC 4253 §6.6), or
    None when its start is no such thing."""
    head = data[:96]
    try:
        blob = base64.b64decode(head[: len(head) // 4 * 4], validate=True)
    except (binascii.Error, ValueError):
        return None
    size = int.from_bytes(blob[:4], "big")
    name = blob[4 : 4 + size]
    return name.decode("ascii") if 0 < size == len(name) and name.isascii() else None


_PATH_LIKE = re.compile(r"(?:~|\.{0,2})/\S*|\S+\.pub")


def _other_than_a_key_line(value: str) -> str | None:
    """What is pasted instead of the line of a ``.pub`` file, and how to get that line; None for anything else:
    a private key (which must never leave its owner), a key in PuTTY's or RFC 4716's format, a file's name,
    the base64 alone."""
    text = value.strip()
    if text.startswith("-----BEGIN") or text.startswith("PuTTY-User-Key-File-"):
        return (
            "is a private key, which never leaves its owner's machine (make the owner a new one if it was sent "
            "around): give the public key, the one line of the .pub file (ssh-keygen -y -f KEY prints it)"
        )
    if text.startswith("---- BEGIN SSH2 PUBLIC KEY"):
        return (
            "is a public key in the SSH2 format (PuTTYgen's export, RFC 4716): give it as OpenSSH writes it, on one "
            'line (PuTTYgen\'s "Public key for pasting into OpenSSH authorized_keys file", or ssh-keygen -i -f FILE)'
        )
    if _PATH_LIKE.fullmatch(text) is not None:
        return "is a file's name: give the line the file holds (TYPE BASE64 [comment]: cat FILE prints it)"
    if text.startswith("AAAA") and " " not in text:
        return (
            "is the key's base64 alone: give the whole line of the .pub file, TYPE BASE64 [comment] "
            "(ssh-ed25519 AAAA...)"
        )
    return None


# The key type names of OpenSSH (sshkey.c's keytypes: ssh-ed25519, ecdsa-sha2-nistp256, sk-...@openssh.com,
# the -cert-v01@openssh.com certificates, ssh-dss, rsa-sha2-512; RFC 6187's x509v3-*): what starts a key.
_KEY_TYPE_WORD = compile_cached(
    r"(?:ssh-(?:ed25519|ed448|rsa|dss|xmss)|ecdsa-sha2-[a-z0-9]+|rsa-sha2-(?:256|512)|sk-ssh-ed25519|sk-ecdsa-sha2-[a-z0-9]+)"
    r"(?:-cert-v0[01])?(?:@openssh\.com)?|x509v3-[a-z0-9-]+",
    re.IGNORECASE,
)


def _check_comment(comment: str) -> None:
    """A comment holds no second key: no word that is a key type, nor key data (base64 naming a type)."""
    for word in comment.split():
        bare = word.strip("\"',;()[]{}<>")
        if _KEY_TYPE_WORD.fullmatch(bare) or _looks_like_key_data(bare):
            raise ValueError(
                f"has a comment holding {short_repr(bare)}, which reads as a second key: give one key per "
                "entry (one list item each), and a comment of plain words such as marie@laptop"
            )


def _looks_like_key_data(word: str) -> bool:
    """True for base64 whose bytes start like an OpenSSH key blob: a 4-byte length, then a type name."""
    if len(word) < 16 or re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", word) is None:
        return False
    try:
        blob = base64.b64decode(word + "=" * (-len(word) % 4))
    except (binascii.Error, ValueError):
        return False
    length = int.from_bytes(blob[:4], "big")
    name = blob[4 : 4 + length].decode("ascii", errors="replace")
    return 0 < length <= 64 and _KEY_TYPE_WORD.fullmatch(name) is not None


def _check_ed25519_point(key: bytes) -> None:
    """Refuse the 32 bytes of an Ed25519 public key that are no real key: a y coordinate written at or above
    the field prime (RFC 8032 §5.1.3: "if the y-coordinate is >= p, decoding fails"), or one of the
    points of small order (:data:`_ED25519_SMALL_ORDER_Y`), whatever the sign bit."""
    if key not in _ED25519_REFUSED:
        return
    y = int.from_bytes(key, "little") & ((1 << 255) - 1)
    if y >= _ED25519_P:
        raise ValueError(
            "has Ed25519 key data whose y coordinate is at or above the field prime, not a valid encoding "
            "(RFC 8032 §5.1.3): copy the whole .pub file"
        )
    if y in _ED25519_SMALL_ORDER_Y:
        raise ValueError(
            "has Ed25519 key data that is a point of small order, which accepts signatures made without any "
            "private key: make a real key (ssh-keygen -t ed25519) and give its .pub file"
        )


def _check_key_blob(kind: str, data: str) -> None:
    """The key data read by cryptography: of the type written, and RSA of 2048 to 16384 bits with sound numbers."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    expected: type = ec.EllipticCurvePublicKey  # ecdsa-sha2-* and sk-ecdsa-sha2-*
    if kind in ("ssh-ed25519", "sk-ssh-ed25519@openssh.com"):
        expected = ed25519.Ed25519PublicKey
    elif kind == "ssh-rsa":
        expected = rsa.RSAPublicKey
    if kind == "ssh-rsa":
        # cryptography refuses some degenerate exponents itself, in its own words: said here first, exactly
        written = _rsa_blob_numbers(base64.b64decode(data))
        if written is not None:
            _check_rsa_numbers(*written)
    key = _load_key(kind, data)
    if not isinstance(key, expected):
        raise ValueError(f"says {kind!r} but its key data is of another type")
    if kind.startswith("sk-") and b"\x00" in _last_string(base64.b64decode(data)):
        # OpenSSH reads the application as a C string (sshbuf_get_cstring): a NUL inside it makes the key unreadable
        # (sshd skips the line), one at its end is dropped and the key is another writing of the key without it
        raise ValueError(
            "is a security key whose application holds a NUL byte, which OpenSSH does not read as written (ssh-keygen "
            "writes none): give the .pub file ssh-keygen wrote"
        )
    if isinstance(key, ed25519.Ed25519PublicKey):
        _check_ed25519_point(key.public_bytes_raw())
    if isinstance(key, rsa.RSAPublicKey):
        numbers = key.public_numbers()
        _check_rsa_numbers(numbers.e, numbers.n)
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < _MIN_RSA_BITS:
        raise ValueError(
            f"is {a_or_an(str(key.key_size))} {key.key_size}-bit RSA key (at least {_MIN_RSA_BITS}): use ssh-ed25519"
        )
    if isinstance(key, rsa.RSAPublicKey) and key.key_size > _MAX_RSA_BITS:
        raise ValueError(
            f"is {a_or_an(str(key.key_size))} {key.key_size}-bit RSA key, which OpenSSH does not read (at most "
            f"{_MAX_RSA_BITS} bits): use ssh-ed25519"
        )


def _last_string(blob: bytes) -> bytes:
    """The last of the length-prefixed strings of key data that cryptography read (RFC 4251 §5): a security key's
    application (PROTOCOL.u2f: its type, its key, then its application)."""
    at, last = 0, b""
    while at + 4 <= len(blob):
        size = int.from_bytes(blob[at : at + 4], "big")
        last = blob[at + 4 : at + 4 + size]
        at += 4 + size
    return last


def _load_key(kind: str, data: str) -> object:
    """The public key cryptography reads from ``kind data``; ValueError saying why it cannot."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    try:
        return serialization.load_ssh_public_key(f"{kind} {data}".encode())
    except NotImplementedError:  # cryptography's word for an ECDSA point written compressed (0x02, 0x03)
        raise ValueError(
            "has ECDSA key data whose point is written compressed, which OpenSSH does not read (it reads "
            "uncompressed points only, as ssh-keygen writes them): give the .pub file ssh-keygen wrote"
        ) from None
    except (ValueError, UnsupportedAlgorithm) as exc:
        inner = _blob_type(data)
        if inner is not None and inner != kind:
            raise ValueError(f"says {kind!r} but its key data is of type {short_repr(inner)}") from None
        if kind.startswith("sk-") and "application" in str(exc):
            raise ValueError(
                "is a security key whose application does not start with ssh: (what ssh-keygen -t ed25519-sk "
                "and ecdsa-sk make): give the .pub file ssh-keygen wrote"
            ) from None
        raise ValueError(f"has key data that OpenSSH cannot read ({_OBJECT_REPR.sub('', str(exc)).strip()})") from None


def _check_rsa_numbers(e: int, n: int) -> None:
    """An RSA key's public exponent ``e`` and modulus ``n`` as OpenSSH and the OpenSSL library behind sshd use
    them: ssh-keygen -l reads every one of these keys, so each is named for what it does, not as unreadable."""
    if e == 1:
        raise ValueError(
            "is an RSA key whose public exponent is 1: with it any data is its own signature, so anyone could log "
            "in without the private key: give the .pub file ssh-keygen wrote, or use ssh-ed25519"
        )
    if e % 2 == 0:
        raise ValueError(
            f"is an RSA key whose public exponent is even ({e if e < 10**6 else f'{e.bit_length()} bits'}): no RSA "
            "private key goes with it (ssh-keygen makes 65537): give the .pub file ssh-keygen wrote"
        )
    if n % 2 == 0:
        raise ValueError(
            "is an RSA key whose modulus is even: no RSA private key goes with it, and OpenSSL, which checks "
            "sshd's signatures, computes with none: give the .pub file ssh-keygen wrote"
        )
    if e >= n:
        raise ValueError(
            "is an RSA key whose public exponent is not below its modulus: OpenSSL, which checks sshd's "
            "signatures, refuses it (bad e value) and the key would never log in: give the .pub file ssh-keygen wrote"
        )
    if e.bit_length() > _MAX_RSA_EXPONENT_BITS:
        raise ValueError(
            f"is an RSA key whose public exponent has {e.bit_length()} bits (at most {_MAX_RSA_EXPONENT_BITS}: "
            "OpenSSL, which checks sshd's signatures, refuses more with a modulus above 3072 bits, and no tool "
            "makes one; ssh-keygen makes 65537): give the .pub file ssh-keygen wrote"
        )


def ssh_key_identity(value: str) -> str:
    """A checked key (:func:`check_ssh_key`) as OpenSSH tells keys apart, whatever its comment: its type and
    data, an RSA key's numbers written without the leading zero bytes an mpint may carry (OpenSSH drops them:
    ``ssh-keygen -l`` gives both one fingerprint, and either opens the same account)."""
    kind, data = value.split(" ")[:2]
    if kind == "ssh-rsa":
        numbers = _rsa_blob_numbers(base64.b64decode(data))
        if numbers is not None:
            return f"ssh-rsa e={numbers[0]:x} n={numbers[1]:x}"
    return f"{kind} {data}"


def _rsa_blob_numbers(blob: bytes) -> tuple[int, int] | None:
    """(e, n) of ssh-rsa key data (RFC 4253 §6.6: the type, then e and n as mpints, RFC 4251 §5), or None when
    the data is not of that form (cryptography then says what is wrong) or a number is negative."""
    out: list[int] = []
    at = 0
    for i in range(3):
        if len(blob) < at + 4:
            return None
        size = int.from_bytes(blob[at : at + 4], "big")
        part = blob[at + 4 : at + 4 + size]
        if len(part) != size:
            return None
        at += 4 + size
        if i == 0:
            if part != b"ssh-rsa":
                return None
        elif part[:1] >= b"\x80":  # a negative mpint: cryptography refuses it
            return None
        else:
            out.append(int.from_bytes(part, "big"))
    return (out[0], out[1]) if at == len(blob) else None


# What a library's message may hold that means nothing to an admin: `` (<memory at 0x7f...>)``.
_OBJECT_REPR = LazyPattern(r"\s*\(?<[A-Za-z_ ]+ at 0x[0-9a-f]+>\)?")


def _blob_type(data: str) -> str | None:
    """The type name inside the key data, when it can be read."""
    blob = base64.b64decode(data)
    length = int.from_bytes(blob[:4], "big")
    if len(blob) < 4 + length or length > 64:
        return None
    return blob[4 : 4 + length].decode("ascii", errors="replace")


# An address written with more than itself: a prefix length (10.0.0.11/24, as `ip addr` shows it), a port
# (10.0.0.11:22, [fd00::11]:22; out of range, 10.0.0.11:99999, or none after the ':', 10.0.0.11:), brackets
# ([fd00::11]), or numbers with leading zeros (10.0.0.011)
_WITH_PREFIX = LazyPattern(r"(?P<a>[0-9A-Fa-f:.]+)/(?P<n>[0-9]{1,5})")
_WITH_PORT = LazyPattern(r"(?:(?P<a4>[0-9.]+)|\[(?P<a6>[0-9A-Fa-f:.]+(?:%[\w.-]+)?)\])(?::(?P<p>[0-9]{0,7}))?")
_LEADING_ZERO = LazyPattern(r"(?<![0-9])0[0-9]+")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# Why a field refuses an address check_ip takes ("is a loopback address ..."), or None: the field's own rules, which
# the address it is offered in a message is held to (:func:`check_ip`'s ``refuses``)
Refuses = Callable[[Address], str | None]


def _address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _not_an_address(value: str, refuses: Refuses | None = None) -> str | OfferRefusal:
    """Why ``value`` is no address, with the address to write when it holds one with more around it: an address
    :func:`check_ip` accepts and ``refuses`` does not, else why the one inside is refused too ([::ffff:10.0.0.11] is a
    mapped address; private_address: 8.8.8.8/24 holds no private address)."""
    if value != value.strip() and (said := _around(value.strip(), "has blanks around it", refuses)) is not None:
        return said
    if (
        (said := _in_full_width(value, refuses)) is not None
        or (said := _with_prefix(value, refuses)) is not None
        or (said := _with_port(value, refuses)) is not None
    ):
        return said
    if (said := _ipv4_then_more(value, refuses)) is not None or (
        said := _shorthand_or_localhost(value, refuses)
    ) is not None:
        return said
    return _with_leading_zero(value, refuses) or NO_ADDRESS_WORDS


def _with_leading_zero(value: str, refuses: Refuses | None) -> str | OfferRefusal | None:
    """:func:`_not_an_address` of an IPv4 address with a leading zero in a number (:func:`leading_zero_reading`):
    the address read without it offered when it is the one reading and ``refuses`` takes it, else why not; none
    offered when inet_aton reads another (0177.0.0.1); None for another text."""
    zero = leading_zero_reading(value)
    if zero is None:
        return None
    what, address = zero
    if address is None:  # read as two addresses (0177.0.0.1): none is offered
        return what
    plain = str(address)
    why = None if refuses is None else refuses(address)
    if why is None:
        return OfferRefusal(f"{what}: write {plain!r}", plain, what)
    return f"{what}, and {plain!r}, read without it, {why}"


# What check_ip says of a value it reads nothing of: a name's checks follow where a name is taken
NO_ADDRESS_WORDS = "is not an IPv4 or IPv6 address"


def _no_address_alone(value: str, refuses: Refuses | None) -> str | OfferRefusal | None:
    """What a value given for an address alone (pic:dns.resolver) is when :func:`_not_an_address` reads no address
    in it, as pic dns check --resolver tells it: numbers and dots more or fewer than an IPv4 address's
    (:func:`dotted_numbers_problem`), dots after an address (``127.1.``), a name and a port (``localhost:53``);
    None for another text. One written in full-width forms is told in its ASCII form (NFKC), as the option tells it
    (``dns.example.org：53``: a name and a port)."""
    folded = unicodedata.normalize("NFKC", value)
    if folded != value and folded.isascii():
        said = _no_address_alone(folded, refuses)
        if said is None:
            return None
        what = f"{full_width_words(folded)}, and in ASCII {folded!r}"
        if isinstance(said, OfferRefusal):
            return OfferRefusal(f"{what} {said}", said.offered, f"{what} {said.without}")
        return f"{what} {said}"
    if (said := _numbers_then_dots(value, refuses)) is not None or (
        said := _name_with_port(value, refuses)
    ) is not None:
        return said
    return dotted_numbers_problem(value) or address_form_problem(value)


def dotted_numbers_problem(value: str) -> str | None:
    """What is wrong with numbers parted by dots that are no IPv4 address for their count (``9.9.9``, ``1.2.3.4.5``:
    ``has 3 numbers, where an IPv4 address has 4 (a.b.c.d, each from 0 to 255)``) or a number left out between two
    dots (``1..2.3``, ``1.2.3.4..``), as pic:dns.resolver and ``--resolver`` tell it (Python's words were "expected 4
    octets", "empty octet not permitted"); None for another text, and for inet_aton's shorthand a.b (``127.1``:
    :func:`ipv4_shorthand`), told as what it is."""
    numbers = value.split(".")
    if len(numbers) < 2 or not all(n.isascii() and n.isdigit() for n in numbers if n) or not value.strip("."):
        return None
    form = "(a.b.c.d, each from 0 to 255)"
    if not all(numbers):
        return f"has no number between two dots, or a dot at an end, where an IPv4 address has 4 numbers {form}"
    if len(numbers) == 4 or ipv4_shorthand(value) is not None:
        return None
    return f"has {len(numbers)} numbers, where an IPv4 address has 4 {form}"


# What an IP address is, for a value written as one that is none (Python's words were "Octet 256 (> 255) not
# permitted", "Only hex digits permitted in 'g'", "At most one '::' permitted")
IPV4_FORM_WORDS = "each of an IPv4 address's 4 numbers is from 0 to 255 (a.b.c.d)"
IPV6_FORM_WORDS = (
    "an IPv6 address has 8 groups of 1 to 4 hexadecimal digits (0-9, a-f) parted by ':', one run of zero groups "
    "written '::' (e.g. 2001:db8::53)"
)
_ORDINALS = ("1st", "2nd", "3rd", "4th")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def address_form_problem(value: str) -> str | None:
    """Which part of ``value``, written as an IP address, is wrong, and what an address is: four decimal numbers one
    of which is over 255 (``127.0.0.256``: ``has 256 as its 4th number, where each of an IPv4 address's 4 numbers is
    from 0 to 255 (a.b.c.d)``), or a text of hexadecimal digits and ``:`` that is no IPv6 address (``::g``: a sign
    that is no hexadecimal digit, ``1::2::3``: ``'::'`` twice, a group of more than 4 digits, more or fewer than 8
    groups, a single ``:`` at an end); None for another text (RFC 4291 §2.2 for IPv6's text form, RFC 791 §3.2 and
    inet_aton's decimal form for IPv4's). An IPv4 part after the groups (``::ffff:1.2.3.4``) counts for two groups,
    and is told as an IPv4 address is. A zone id (after ``%``) is none of this, nor a text with fewer than two ``:``
    or a dot before its last ``:`` (``10.0.0.11:http``): None."""
    if "%" in value or not value.isascii():
        return None
    if ":" not in value:
        numbers = value.split(".")
        if len(numbers) != 4 or not all(n.isdigit() for n in numbers):
            return None
        at = next((i for i, n in enumerate(numbers) if int(n) > 255), None)
        return None if at is None else f"has {numbers[at]} as its {_ORDINALS[at]} number, where {IPV4_FORM_WORDS}"
    head, _, tail = value.rpartition(":")
    if value.count(":") < 2 or "." in head:  # 10.0.0.11:http, x: no IPv6 address meant
        return None
    if "." in tail:  # an IPv4 part: told as an IPv4 address, two groups of the eight
        if (inside := address_form_problem(tail)) is not None:
            return f"has an IPv4 part ({tail}) that {inside}"
        value = f"{head}:0:0"
    fault = _ipv6_fault(value)
    return None if fault is None else f"has {fault}: {IPV6_FORM_WORDS}"


def _ipv6_fault(value: str) -> str | None:
    """:func:`address_form_problem` of a text with ``:`` (an IPv4 part written as two groups)."""
    groups = value.split(":")
    bad = next((c for c in value if c not in _HEX_DIGITS and c not in ":."), None)
    longest = max(len(g) for g in groups)
    count = sum(1 for g in groups if g)
    faults = (
        (bad is not None, f"{bad!r}, which is no hexadecimal digit"),
        (":::" in value, "':::'"),
        (value.count("::") > 1, "'::' twice"),
        (longest > 4, f"a group of {longest} digits, where each has 1 to 4"),  # not quoted: 0xDeadBeef, a password's
        (value.startswith(":") and not value.startswith("::"), "a single ':' at its start"),
        (value.endswith(":") and not value.endswith("::"), "a single ':' at its end"),
        ("::" in value and count > 7, f"{count} groups and '::', which stands for one group or more"),
        ("::" not in value and count != 8, f"{count} groups"),
    )
    return next((words for holds, words in faults if holds), None)


def names_localhost(value: str) -> bool:
    """Whether ``value`` is ``localhost`` in any case, with the root's final dot or not (``localhost.``,
    ``LOCALHOST``): this machine's name (RFC 6761 §6.3), which a message tells as such."""
    return value.removesuffix(".").lower() == "localhost"


def _numbers_then_dots(value: str, refuses: Refuses | None) -> str | OfferRefusal | None:
    """:func:`_not_an_address` of numbers and dots that end with a dot or more, an address or a form inet_aton
    reads before them (``127.1.``, ``10.0.0.1..``): what is inside told, or offered; None for another text."""
    inner = value.rstrip(".")
    if inner == value or not inner[:1].isdigit() or not all(c.isascii() for c in inner):
        return None
    dots = "a dot" if len(value) - len(inner) == 1 else "dots"
    return _around(inner, f"ends with {dots}, which no address has", refuses)


# A name, then ':' and a port (localhost:53, dns.example.org:53): no address, and a port a field of its own takes
_NAME_THEN_PORT = LazyPattern(r"(?P<h>[A-Za-z0-9][A-Za-z0-9.-]*):(?P<p>[0-9]{1,7})")


def _name_with_port(value: str, refuses: Refuses | None) -> str | OfferRefusal | None:
    """:func:`_not_an_address` of a name with a port (``localhost:53``): ``localhost`` told as the address it names
    (:data:`LOCALHOST_WORDS`) and 127.0.0.1 offered when taken; another name told as no address, not quoted (a
    password may be pasted there); None for another text."""
    m = _NAME_THEN_PORT.fullmatch(value)
    if m is None or all(c.isdigit() or c == "." for c in m["h"]):
        return None
    what = f"holds a port (:{m['p']})"
    if names_localhost(m["h"]):
        return _around("127.0.0.1", f"{what}, and localhost before it is {LOCALHOST_WORDS}", refuses)
    return f"{what}, and a name before it, not an address: give the address alone"


# An address written with a Japanese or Chinese keyboard's digits and dots (１０．０．０．１１), which NFKC makes ASCII
FULL_WIDTH_DIGITS_WORDS = "has digits or signs that only look like ASCII (full-width forms)"
# ... and with letters among them (ＬＯＣＡＬＨＯＳＴ): the words name what the value holds
FULL_WIDTH_LETTERS_WORDS = "has letters, digits or signs that only look like ASCII (full-width forms)"


def full_width_words(folded: str) -> str:
    """The words telling a value written in full-width forms whose ASCII form (NFKC) is ``folded``: letters named
    when it has any (:data:`FULL_WIDTH_LETTERS_WORDS`), else :data:`FULL_WIDTH_DIGITS_WORDS`."""
    return FULL_WIDTH_LETTERS_WORDS if any(c.isalpha() for c in folded) else FULL_WIDTH_DIGITS_WORDS


def _in_full_width(value: str, refuses: Refuses | None) -> str | OfferRefusal | None:
    """:func:`_not_an_address` of an address written in full-width digits or signs (``１０．０．０．１１``,
    :data:`FULL_WIDTH_DIGITS_WORDS`): the address its ASCII form (NFKC) writes, when :func:`check_ip` and ``refuses``
    take it, else why not (``１０.１１``: the shorthand of 10.0.0.11); None for another text."""
    folded = unicodedata.normalize("NFKC", value)
    if value.isascii() or not folded.isascii() or folded == value:
        return None
    what = full_width_words(folded)
    try:
        address = _check_ip(folded, refuses, alone=False)
    except ValueError as refused:
        why = str(refused)
        if why == NO_ADDRESS_WORDS:
            return None
        if isinstance(refused, OfferRefusal):
            without = f"{what}, and in ASCII {folded!r} {refused.without}"
            return OfferRefusal(f"{what}, and in ASCII {folded!r} {why}", refused.offered, without)
        return f"{what}, and in ASCII {folded!r} {why}"
    field_why = None if refuses is None else refuses(ipaddress.ip_address(address))
    if field_why is not None:
        return f"{what}, and in ASCII {address!r} {field_why}"
    return OfferRefusal(f"{what}: write {address!r}", address, what)


def leading_zero_reading(value: str) -> tuple[str, ipaddress.IPv4Address | None] | None:
    """For four decimal numbers, one with a leading zero (``010.0.0.53``), that read in decimal as an IPv4 address:
    the words telling it (``has a leading zero in a number (01), which some programs read as octal``), with the
    address meant when there is one reading: the address read in decimal, which the C library's inet_aton reads
    too or refuses (``127.0.0.01``, ``10.0.0.09``: no octal number). When inet_aton reads another address in octal
    (``0177.0.0.1``: the loopback address for ping and curl, 177.0.0.1 for others), the value is ambiguous: both
    readings are told and no address is given (None). None for another text (four numbers no address in decimal,
    0377.0.0.1, are :func:`inet_aton_form`'s)."""
    parts = value.split(".")
    if len(parts) != 4 or not all(part.isdigit() and part.isascii() for part in parts):
        return None
    zero = _LEADING_ZERO.search(value)
    address = _address(".".join(str(int(part)) for part in parts)) if zero is not None else None
    if zero is None or not isinstance(address, ipaddress.IPv4Address):
        return None
    what = f"has a leading zero in a number ({zero.group()}), which some programs read as octal"
    octal = inet_aton_reading(value)
    if octal is None or octal == address:
        return what, address
    return (
        f"{what} (as {octal}: inet_aton, ping and curl), others in decimal (as {address}): it is ambiguous, write "
        f"the address meant without the leading zero"
    ), None


# The forms of an IPv4 address the C library's inet_aton reads (ping, curl, wget read an address with it): one to four
# numbers, each in decimal, octal (a leading zero) or hexadecimal (0x), the last filling the bytes left (man
# inet_aton(3): 127.1 is 127.0.0.1, 0x7f.1 too, 2130706433 too)
_INET_ATON = LazyPattern(r"(?:0[xX][0-9A-Fa-f]+|[0-9]+)(?:\.(?:0[xX][0-9A-Fa-f]+|[0-9]+)){0,3}")


def inet_aton_reading(value: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address the C library's inet_aton reads in ``value`` (:func:`socket.inet_aton`), a text of one to four
    numbers in decimal, octal or hexadecimal (:data:`_INET_ATON`: nothing after them, which inet_aton would skip
    after a blank); None for another text or one it refuses (``09``: no octal number; a number too large), and for
    hexadecimal mixing capitals and small letters (``0xCafe1234``: :func:`pic.secrettext.mixed_case_hex`), a
    password's shape, which a message would otherwise quote and offer in decimal."""
    if not value[:1].isdigit() or _INET_ATON.fullmatch(value) is None or mixed_case_hex(value):
        return None
    import socket  # an error's path: not imported for every check

    try:
        return ipaddress.IPv4Address(socket.inet_aton(value))
    except OSError:
        return None


def inet_aton_form(value: str) -> tuple[str, ipaddress.IPv4Address] | None:
    """What ``value`` is when it writes an IPv4 address in a form the C library's inet_aton reads and not every
    program does, and that address: the shorthand ``a.b`` (``127.1``: :data:`SHORTHAND_WORDS`), a number in
    hexadecimal or octal (``0x7f.1``, ``0377.0.0.1``: ``127.0.0.1 written with a number in hexadecimal (0x7f), as
    inet_aton reads it, ...``), or one number of 2**24 or more (``2130706433``: ``... written as one number (its 32
    bits)``). None for another text: an address, four decimal numbers with a leading zero that are an address read in
    decimal too (:func:`leading_zero_reading`), ``a.b.c`` in decimal (an address cut short more often than
    ``a.b.0.c`` meant) and a number under 2**24 (a port or a count more often than an address)."""
    if (shorthand := ipv4_shorthand(value)) is not None:
        return SHORTHAND_WORDS.format(plain=shorthand), shorthand
    address = inet_aton_reading(value)
    if address is None:
        return None
    parts = value.split(".")
    based = next((part for part in parts if part[:2] in ("0x", "0X")), None)
    if based is not None:
        base = "hexadecimal"
    else:
        based = next((part for part in parts if len(part) > 1 and part[0] == "0"), None)
        if based is None or leading_zero_reading(value) is not None:
            if len(parts) == 1 and address.packed[0]:  # 2**24 or more
                return f"{address} written as one number (its 32 bits)", address
            return None
        base = "octal"
    return (
        f"{address} written with a number in {base} ({based}), as inet_aton reads it, which not every program reads",
        (address),
    )


# An IPv4 address in inet_aton's shorthand a.b (127.1, 10.53: a.0.0.b, ping and the C library read it so); a.b.c is
# told as no address (192.0.2, an address cut short more often than a.b.0.c meant)
_IPV4_SHORTHAND = LazyPattern(r"(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,7})")
SHORTHAND_WORDS = "the shorthand of {plain} (a.b, read as a.0.0.b by inet_aton), which not every program reads"
LOCALHOST_WORDS = "a name, this machine's (RFC 6761 §6.3), not an address"


def ipv4_shorthand(value: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address ``value`` writes in inet_aton's shorthand ``a.b`` (:data:`_IPV4_SHORTHAND`: ``127.1`` is
    127.0.0.1), else None."""
    m = _IPV4_SHORTHAND.fullmatch(value) if value[:1].isdigit() and value.count(".") == 1 else None
    if m is None or int(m[1]) > 255 or int(m[2]) >= 1 << 24:
        return None
    return ipaddress.IPv4Address(int(m[1]) << 24 | int(m[2]))


def _shorthand_or_localhost(value: str, refuses: Refuses | None) -> str | OfferRefusal | None:
    """:func:`_not_an_address` of an address's shorthand (``127.1``: :func:`ipv4_shorthand`) or of ``localhost``
    (in any case), told what it is, the address meant offered unless ``refuses`` refuses it; None for another text."""
    form = inet_aton_form(value)
    plain: ipaddress.IPv4Address
    if form is not None:
        what, plain = f"is {form[0]}", form[1]
    elif names_localhost(value):
        what, plain = f"is {LOCALHOST_WORDS}", ipaddress.IPv4Address("127.0.0.1")
    else:
        return None
    why = None if refuses is None else refuses(plain)
    if why is None:
        return OfferRefusal(f"{what}: write {str(plain)!r}", str(plain), what)
    return f"{what}, and {str(plain)!r} {why}"


# An IPv4 address then a final dot (a DNS name's root, 10.0.0.11.), an IPv6 zone's '%' (10.0.0.11%eth0) or ':' twice
# or more (10.0.0.11:22:22; one ':' and digits is a port, _WITH_PORT)
_IPV4_THEN = LazyPattern(
    r"(?P<a>[0-9]{1,3}(?:\.[0-9]{1,3}){3})(?:(?P<dot>\.)|(?P<zone>%.*)|(?P<colons>:[^:]*:.*))", re.DOTALL
)


def _ipv4_then_more(value: str, refuses: Refuses | None) -> str | OfferRefusal | None:
    """:func:`_not_an_address` of an IPv4 address followed by what no address has (:data:`_IPV4_THEN`), None for
    another text. What follows is not quoted: a password pasted there is not shown (pic.modelerrors hides the
    value)."""
    if not value[:1].isdigit() or (m := _IPV4_THEN.fullmatch(value)) is None:
        return None
    if m["dot"]:
        what = "ends with a dot, which no address has"
    elif m["zone"]:
        what = "has a zone id after its '%' (an interface's name), which only an IPv6 link-local address takes"
    else:
        what = "holds more than one ':' after the address, which no address nor port has"
    return _around(m["a"], what, refuses)


def _with_prefix(value: str, refuses: Refuses | None) -> str | OfferRefusal | None:
    """:func:`_not_an_address` of an address with a prefix length (10.0.0.11/24), None for another text; a
    network's own address (10.0.0.0/24, as ``ip route`` shows it) or its IPv4 broadcast address (10.0.0.255/24) is
    told so, with no address offered (both addresses of a /31 are hosts', RFC 3021)."""
    m = _WITH_PREFIX.fullmatch(value)
    if m is None:
        return None
    bits = 32 if "." in m["a"] and ":" not in m["a"] else 128
    if int(m["n"]) > bits:
        what = f"holds a prefix length (/{m['n']}), longer than an IPv{4 if bits == 32 else 6} address's {bits} bits"
        return _around(m["a"], what, refuses)
    try:
        interface = ipaddress.ip_interface(f"{m['a']}/{int(m['n'])}")
    except ValueError:  # no address before the '/': _around says what is wrong with it
        interface = None
    if interface is not None and interface.network.prefixlen < bits - 1:  # a /31 (RFC 3021) and a /32 are hosts'
        network = interface.network
        if interface.ip == network.network_address:
            return f"is the network {network}, not a host's address: give the host's own address in it"
        if bits == 32 and interface.ip == network.broadcast_address:
            return f"is the broadcast address of the network {network}, not a host's: give the host's own address"
    return _around(m["a"], f"holds a prefix length (/{m['n']}), a network's", refuses, "give the host's address alone")


def _with_port(value: str, refuses: Refuses | None) -> str | OfferRefusal | None:
    """:func:`_not_an_address` of an address with a port or in brackets ([fd00::11]:22), None for another text."""
    m = _WITH_PORT.fullmatch(value)
    if m is None or (m["p"] is None and m["a6"] is None):
        return None
    if m["p"] is None:
        what = "is in square brackets"
    elif not m["p"]:
        what = "ends with a ':' and no port after it"
    elif 1 <= int(m["p"]) <= 65535:
        what = f"holds a port (:{m['p']})"
    else:
        what = f"holds a port (:{m['p']}), and ports go from 1 to 65535"
    return _around(m["a4"] or m["a6"], what, refuses)


def _around(
    inner: str, what: str, refuses: Refuses | None, write: str = "give the address alone"
) -> str | OfferRefusal | None:
    """``what`` is around ``inner``: the address to write, the one :func:`check_ip` makes of ``inner`` when
    ``refuses`` takes it too; or why ``inner`` is refused; None when ``inner`` holds no address either."""
    try:
        address = _check_ip(inner, refuses, alone=False)
    except ValueError as refused:
        why = str(refused)
        if why == NO_ADDRESS_WORDS:
            return None
        if isinstance(refused, OfferRefusal):  # ::ffff:10.0.0.1 inside: its IPv4 address, offered whole by host:port
            without = f"{what}, and {inner!r} inside {refused.without}"
            return OfferRefusal(f"{what}, and {inner!r} inside {why}", refused.offered, without)
        return f"{what}, and {inner!r} inside {why}"
    field_why = None if refuses is None else refuses(ipaddress.ip_address(address))
    if field_why is not None:
        return f"{what}, and {address!r} inside {field_why}"
    return OfferRefusal(f"{what}: {write} ({address!r})", address, what)


# A zone id written %25 (RFC 6874's percent-encoding, a URL's) where an address stands alone, and a zone id on an
# address reached without one: what pic:dns.resolver and --resolver say of each (the address to write then)
URL_ZONE_WORDS = "has its zone id written %25 as a URL writes it (RFC 6874), which an address alone does not"
NEEDLESS_ZONE_WORDS = "has a zone id after its '%', which only a link-local address needs"
# A resolver's link-local address whose zone id is shaped as no interface's name (pic.secrettext.interface_name)
UNNAMED_ZONE_WORDS = (
    "has after its '%' a zone id that reads as no interface's name (at most 15 characters, shaped as the names "
    "Linux and systemd give, such as eth0, enp3s0 or Eth0): give the address with the name of the interface the "
    "resolver is reached through, as ip link lists it (e.g. fe80::53%eth0)"
)


def resolver_zone_refusal(address: ipaddress.IPv6Address) -> tuple[str, str] | None:
    """What a resolver's address with a zone id (``fe80::53%eth0``: taken) is told, and the address to write: a
    zone written %25 (``fe80::53%25eth0``: ``fe80::53%eth0``), or a zone on an address that is not link-local
    (``2001:db8::53%eth0``: ``2001:db8::53``); None when there is nothing to tell, or nothing to offer: a zone
    after %25 that is no interface's name (``fe80::53%25lilas2024``, :data:`UNNAMED_ZONE_WORDS`) is not offered
    without the 25, which the setting and the option would refuse in turn."""
    from pic.secrettext import interface_name

    zone = address.scope_id
    if zone is None:
        return None
    bare = ipaddress.IPv6Address(int(address))
    if not bare.is_link_local:
        return NEEDLESS_ZONE_WORDS, str(bare)
    if zone.startswith("25") and zone[2:3].isalpha() and interface_name(zone[2:]):
        return URL_ZONE_WORDS, f"{bare}%{zone[2:]}"
    return None


ZONE_ID_WORDS = (
    "a zone id after its '%' (an interface's name: the one of this machine a link-local address is reached "
    "through), which no setting carries: the hosts and containers that read it have interfaces of their own"
)


def _with_zone_id(value: str, refuses: Refuses | None) -> str | OfferRefusal:
    """:func:`_not_an_address` of an IPv6 address with a zone id (``fe80::1%eth0``, RFC 4007 §11): the address
    without it offered, unless it is link-local (reached through no interface without one) or ``refuses`` it."""
    bare = ipaddress.IPv6Address(value.partition("%")[0])
    what = f"has {ZONE_ID_WORDS}"
    if bare.is_link_local:
        return (
            f"{what}, and {str(bare)!r} without it is a link-local address, reached through one interface only: "
            "give an address reachable without a zone id"
        )
    return _around(value.partition("%")[0], what, refuses) or what  # as written: ::ffff:10.0.0.1, not ::ffff:a00:1


def _refused(said: str | OfferRefusal) -> ValueError:
    """The error of :func:`_not_an_address`'s answer."""
    return said if isinstance(said, OfferRefusal) else ValueError(said)


# IPv6 blocks that write an IPv4 address inside (its 32 bits, and where they start from the address's end)
_NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")
_SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")
_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, str] | None:
    """The IPv4 address ``address`` writes inside as another form of it, and what that form is, else None:

    - an IPv4-mapped address (``::ffff:a.b.c.d``, RFC 4291 §2.5.5.2), an IPv4-translated one (``::ffff:0:a.b.c.d``,
      SIIT's, RFC 2765 §2.1) or an IPv4-compatible one (``::a.b.c.d``, §2.5.5.1), whatever the address inside;
      ``::`` and ``::1`` (unspecified, loopback) hold none;
    - NAT64's well-known prefix (``64:ff9b::a.b.c.d``, RFC 6052) or 6to4's (``2002:AABB:CCDD::``, RFC 3056 §2)
      before an address that is not global (127.0.0.1, 10.0.0.1): RFC 6052 §3.1 forbids the one, no relay carries
      the other (RFC 3964 §5.3.1), and the address meant is the one inside. Before a global address each is the
      IPv6 address of a translator or a relay, reaching that one as the RFCs mean it: none."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped, "an IPv4-mapped IPv6 address, an IPv4 host written as IPv6"
    low = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _TRANSLATED:
        return low, "an IPv4-translated IPv6 address (::ffff:0:a.b.c.d, RFC 2765 §2.1), an IPv4 host written as IPv6"
    if int(address) >> 32 == 0 and int(address) > 1:
        return low, (
            "an IPv4-compatible IPv6 address (::a.b.c.d, deprecated by RFC 4291 §2.5.5.1), which no router carries"
        )
    if address in _NAT64_PREFIX and not low.is_global:
        return low, (
            "an address of NAT64's prefix 64:ff9b::/96, which holds global IPv4 addresses alone (RFC 6052 §3.1)"
        )
    inside = ipaddress.IPv4Address((int(address) >> 80) & 0xFFFFFFFF)
    if address in _SIX_TO_FOUR and not inside.is_global:
        return inside, "a 6to4 address (2002::/16, RFC 3056) of an IPv4 address no relay reaches (RFC 3964 §5.3.1)"
    return None


def ipv4_inside(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address ``address`` writes inside as another form of it (:func:`embedded_ipv4`), else None."""
    embedded = embedded_ipv4(address)
    return None if embedded is None else embedded[0]


def check_ip(value: str, *, refuses: Refuses | None = None) -> str:
    """An IPv4 or IPv6 address, without an IPv6 zone (``fe80::1%eth0``), which firewall rules cannot hold,
    not an IPv4-mapped IPv6 address (``::ffff:192.0.2.1``, RFC 4291 §2.5.5.2) nor an IPv4-compatible one
    (``::192.0.2.1``, §2.5.5.1: deprecated, no router carries it).

    A mapped address is an IPv4 host written as IPv6: its packets arrive as IPv4 (an ``ip6 saddr``
    rule never matches them), OpenSSH and Python spell it differently (``::ffff:192.0.2.1`` and
    ``::ffff:c000:201``), and it hides a loopback or another host's address from the comparisons.

    ``refuses``: the field's own rules (a private network's address for a host's ``private_address``), which an
    address a message offers to write instead must pass too; the value itself is held to them by the field.
    """
    return _check_ip(value, refuses, alone=True)


def _check_ip(value: str, refuses: Refuses | None, *, alone: bool) -> str:
    """:func:`check_ip`; ``alone``: ``value`` is the field's whole value, an address alone, and what is no address is
    told what it is of the forms a name never has (:func:`_no_address_alone`); else it is a part of a value that may
    be a name (the host of host:port, the ASCII form of a full-width value), told "is not an IPv4 or IPv6 address"
    for the name's checks to follow."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        said = _not_an_address(value, refuses)
        if alone and said == NO_ADDRESS_WORDS:
            said = _no_address_alone(value, refuses) or said
        raise _refused(said) from None
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id is not None:
        raise _refused(_with_zone_id(value, refuses))
    if isinstance(address, ipaddress.IPv6Address) and (embedded := embedded_ipv4(address)) is not None:
        ipv4, what = embedded[0], f"is {embedded[1]}"
        why = None if refuses is None else refuses(ipv4)
        if why is not None:
            raise ValueError(f"{what}, and {str(ipv4)!r} inside {why}")
        raise OfferRefusal(f"{what}: write the IPv4 address {ipv4} itself", str(ipv4), what)
    # Written as Python writes it (lowercase, zeros compressed): 2001:DB8:0:0::11 and 2001:db8::11 are one address,
    # and every resource, record and comparison made from it reads the same text.
    return str(address)


def _address_with_more(value: str) -> bool:
    """Whether ``value`` is an address with a prefix length (10.0.0.0/24) or in brackets with a port
    ([2001:db8::25]:22), which :func:`_not_an_address` tells of, rather than a name's rules."""
    if "/" in value and (m := _WITH_PREFIX.fullmatch(value)) is not None:  # (a usual name compiles no pattern)
        return _address(m["a"]) is not None
    return value.startswith("[") and (m := _WITH_PORT.fullmatch(value)) is not None and m["p"] is not None


def is_this_machine(host: str) -> bool:
    """Whether ``host`` (a name in lowercase or an address) names the machine that reads it: a loopback address,
    ``localhost`` or a name under ``.localhost`` (RFC 6761 §6.3: resolved to loopback, never sent to a DNS
    server), or ``localhost.localdomain`` (Debian's /etc/hosts names loopback so), each with the root's dot too.
    ``localhost.example.org`` is a name of example.org's like any other."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    name = host.removesuffix(".")  # the root's dot: localhost. is localhost
    return name in ("localhost", "localhost.localdomain") or name.endswith(".localhost")


def check_host_address(value: str, *, public_suffix: bool = False, refuses: Refuses | None = None) -> str:
    """A DNS name or an IP address (or localhost, for the dev stack), alone: no brackets, no port; an address in its
    canonical form (:func:`check_ip`). With ``public_suffix``, a name that is one is taken: the host of a service
    reached at a URL, which the Public Suffix List may name because its customers get names under it (an S3
    store's s3.amazonaws.com, s3.eu-west-3.amazonaws.com, s3.fr-par.scw.cloud, fra1.digitaloceanspaces.com: a
    bucket is also bucket.HOST), and which answers at the name itself too. ``refuses``: as :func:`check_ip`'s."""
    if value == "localhost":
        return value
    if names_localhost(value) and value.removesuffix(".") != "localhost":  # in lowercase: LOCALHOST reads as a label
        what = "has uppercase letters" + (" and ends with a dot" if value.endswith(".") else "")
        raise OfferRefusal(f"{what}: write it in lowercase ('localhost')", "localhost", what)
    # 127.1, 0x7f.1: an address, as curl and ssh read it, as check_ip tells; １０.０.０.１１ too, not a name's letters
    said = (
        (_shorthand_or_localhost(value, refuses) or "")
        if inet_aton_form(value) is not None
        else _in_full_width(value, refuses)
    )
    if said is not None:
        raise _refused(said)
    if "@" in value:
        raise ValueError("holds '@': give the host alone (a user or a password does not go here)")
    if "://" in value:
        raise ValueError("is a URL: give the host alone here, e.g. smtp.example.org")
    if value.startswith("[") and value.endswith("]"):
        if (said := _around(value[1:-1], "is in square brackets", refuses)) is not None:
            raise _refused(said)
        raise ValueError("is in brackets: here an IPv6 address is written bare, e.g. 2001:db8::25")
    if _address_with_more(value):  # 10.0.0.0/24, [2001:db8::25]:22: the address inside, held to the field's rules
        raise _refused(_not_an_address(value, refuses))
    if value.count(":") == 1:
        raise ValueError("holds a port: give the host alone here (the port has a key of its own)")
    try:
        ipaddress.ip_address(value)
    except ValueError:
        # 10.0.0.1%eth0, 10.0.0.1.: an address with more, not a name's label or root; ::g, a mistyped IPv6 address
        if (said := _address_mistyped(value, refuses)) is not None:
            raise _refused(said) from None
        if public_suffix:
            _check_domain_syntax(value, names_only=False)
            return value
        return check_domain(value, names_only=False)
    return check_ip(value, refuses=refuses)


def _address_mistyped(value: str, refuses: Refuses | None) -> str | OfferRefusal | None:
    """What :func:`check_host_address` says of ``value``, no address, when it is an IPv4 address with more after it
    (:func:`_ipv4_then_more`) or holds ``:`` as no name does, a mistyped IPv6 address (:func:`address_form_problem`);
    None for another text, a name's checks to follow."""
    if ("%" in value or value.endswith(".")) and (said := _ipv4_then_more(value, refuses)) is not None:
        return said
    return address_form_problem(value) if ":" in value else None


DOMAIN_PATTERN = r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"

SSH_KEY_PATTERN = (
    r"^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|"
    r"sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,2}( [^\u0000-\u001f\u007f-\u009f\u2028\u2029]*)?$"
)


def check_domain_in_context(value: str, info: core_schema.ValidationInfo) -> str:
    """:func:`check_domain`, a name offered instead of the value (``write it in lowercase ('...')``, ``give the name
    alone ('...')``) told refused where the validation's context says it is taken: ``domains``, the names of the
    other member files and of the platform, each with the words why (``is already used by members/x.yaml``), and
    the file's own site domains (``site_domains()``), which a site domain may not repeat. A name offered is one the
    checks across files then take, as far as these tell."""
    try:
        return check_domain(value)
    except NameRefusal as refusal:
        context = info.context if isinstance(info.context, dict) else {}
        name = refusal.offered
        taken = context.get("domains")
        why = taken.get(name) if taken is not None else None
        if why is None and info.field_name == "domains" and taken is not None and name in taken.site_domains():
            why = "is already another of the member's site domains"
        if why is None:
            raise
        raise ValueError(f"{refusal.without}{refusal.then.format(name=short_repr(name, 80))} {why}") from None


Domain = Annotated[
    str,
    AfterValidator(check_domain_in_context),
    WithJsonSchema({"type": "string", "pattern": DOMAIN_PATTERN, "description": "lowercase, punycode for IDN"}),
]
# "idn-email" (JSON Schema, RFC 6531): an internationalised domain is accepted, as check_email does.
Email = Annotated[str, AfterValidator(check_email), WithJsonSchema({"type": "string", "format": "idn-email"})]


def docker_cpus(value: float) -> str:
    """The ``cpus`` text of a container for a CPU limit of ``value`` CPUs: the form the Docker provider
    reads back, so that the next ``pulumi up`` finds no difference.

    Docker takes the text as an exact decimal of NanoCPUs (10^-9 CPU; ``opts.ParseCPUs``: "value is too
    precise" past nine decimals). The provider (terraform-provider-docker, internal/provider/helpers.go
    ``nanoInt64ToDecimalString``) reads NanoCPUs back as nine decimals without trailing zeros (``10.``,
    ``2.25``), except when that text holds nine zeros in all, which it rounds to one decimal (``1.0``,
    but also ``0.05`` -> ``0.1``); ``cpus`` forces a new container, so a value read back otherwise
    would replace the site's container at every ``pulumi up``. Raises ValueError for such a value,
    and for one with more than nine decimals, naming a value that works.
    """
    exact = decimal.Decimal(repr(float(value)))  # the shortest decimal of the float: what the file wrote
    nano = exact * 10**9
    if nano != nano.to_integral_value():
        raise ValueError(
            f"has more than 9 decimals: Docker counts CPUs in billionths (write e.g. {max(round(value, 1), 0.1)})"
        )
    whole, rest = divmod(int(nano), 10**9)
    text = f"{whole}.{rest:09d}"
    if text.count("0") == 9:
        tenths = (int(nano) + 5 * 10**7) // 10**8  # Go's big.Rat.FloatString(1): halves away from zero
        text = f"{tenths // 10}.{tenths % 10}"
    else:
        text = text.rstrip("0")
    if decimal.Decimal(text) * 10**9 != nano:
        meant = max(round(value, 1), 0.1)
        raise ValueError(
            f"is read back by the Docker provider as {text}: the site's container would be replaced at every "
            f"pulumi up (terraform-provider-docker rounds such values to one decimal); write e.g. {meant}"
        )
    return text


# The part before the @ of the platform's own addresses: letters, digits and . _ + - (dot-atom text of
# RFC 5322 §3.2.3 without its symbols), starting with a letter or digit.
_PLATFORM_LOCAL_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")


def check_ascii_email(value: str) -> str:
    """:func:`check_email`, with the domain in ASCII (an internationalised one in punycode): the platform's own
    addresses go into programs' files (certbot's --email, Caddy's, Postfix's and Sympa's tables, shell
    scripts), which take ASCII. Raises ValueError saying what to write."""
    check_email(value, accepted=check_ascii_email)
    local, _, domain = value.rpartition("@")
    if not local.isascii():
        raise ValueError(
            "has letters before the @ outside ASCII: the platform's addresses are ASCII (mail to them would "
            "need SMTPUTF8, RFC 6531, which the programs writing to them do not all speak)"
        )
    if _PLATFORM_LOCAL_PART.fullmatch(local) is None:
        bad = next((ch for ch in local if not (ch.isalnum() or ch in "._+-")), local[0])
        raise ValueError(
            f"has {bad!r} before the @ ({'at its start' if bad == local[0] else 'in it'}): the platform's addresses "
            "are written in programs' files and command lines (Caddy reads # as a comment and {...} as a "
            "placeholder, certbot takes a value starting with - for an option); before the @ write letters, digits, "
            "'.', '_', '+' and '-', starting with a letter or digit"
        )
    if not domain.isascii():
        import idna

        try:
            meant = f": write {short_repr(local + '@' + idna.encode(domain, uts46=True).decode('ascii'), 80)}"
        except (idna.IDNAError, UnicodeError):
            meant = ""
        raise ValueError(f"has a domain in Unicode: the platform's addresses write it in punycode (xn--...){meant}")
    return value


AsciiEmail = Annotated[str, AfterValidator(check_ascii_email), WithJsonSchema({"type": "string", "format": "email"})]
SshKey = Annotated[
    str,
    AfterValidator(check_ssh_key),
    WithJsonSchema({"type": "string", "pattern": SSH_KEY_PATTERN}),
]
IpAddress = Annotated[str, AfterValidator(check_ip)]
HostAddress = Annotated[str, AfterValidator(check_host_address)]

"""Problems found in the registry or the stack settings, and the error that carries them."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import json
import math
import re
import signal
import sys
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal, NoReturn, TypeVar

Severity = Literal["error", "warning"]


# The characters a message shows of a value at most (a member file's, a command line's): a value of 100,000
# characters made a line of 100 KB.
SHOWN_CHARACTERS = 80


def show_value(value: object, limit: int = SHOWN_CHARACTERS) -> str:
    """A short, unambiguous rendering of a value received from a file."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    text = terminal_safe(text, keep="")
    if not text.isascii() and IGNORABLE_MARK.search(text) is not None:
        text = IGNORABLE_MARK.sub(lambda m: json.dumps(m.group())[1:-1], text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def meant_among(value: str, choices: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The one of ``choices`` that ``value`` is in another letter case, with ``-``, ``_`` or ``.`` for one another,
    with spaces around it, or one typing slip from, its digits kept (``Memory_Limit``, ``memory-limit``,
    ``upload_max_size``, ``UTF-8``, ``Rejet``), that is a code of two or three letters a value starts with, then
    ``-``, ``_`` or a space and letters (a region after a language, ``fr-FR``, ``en US``), or that it names
    (:data:`_NAMES`: a language's name, ``french``, ``français``; a day's, ``Monday``, ``lundi`` for ``Mon``); None
    for any other value (a word that merely starts as a choice does: ``Frisian``, ``entreprise``, ``dailymail``),
    and for one too long to be a slip of a name."""
    if len(value) > 100:
        return None
    by_folded = {_folded_name(choice): choice for choice in choices}
    if is_locale(value.strip()):  # fr_FR.UTF-8, fr_FR@euro: the language and region, its charset aside
        value = re.split(r"[.@]", value.strip(), maxsplit=1)[0]
    written = _folded_name(value.strip())
    if written in by_folded:
        return by_folded[written]
    named = _NAMES.get(written) or _NAMES.get(written.rstrip("_"))  # dim. (an abbreviation's dot)
    if named is not None and named in by_folded:
        return by_folded[named]
    started = [
        c for c in by_folded if 2 <= len(c) <= 3 and written.startswith(c) and _REGION.fullmatch(written[len(c) :])
    ]
    if started:
        return by_folded[max(started, key=len)]
    digits = _DIGITS.sub("", written)
    # A slip keeps the digits: windows-1259 is no windows-1252, nor GMT+1 GMT+0
    close = [
        c
        for c in difflib.get_close_matches(written, list(by_folded), n=3, cutoff=cutoff)
        if _DIGITS.sub("", c) == digits
    ]
    return by_folded[close[0]] if close else None


# A locale's name as LANG and locale(1) write it (POSIX, XBD 8.2): a language, a region, a charset, a modifier
# (fr_FR.UTF-8, en_US.utf8, fr_FR@euro, C.UTF-8)
_LOCALE = re.compile(
    r"(?:[a-z]{2,3}(?:_(?:[A-Z]{2}|[0-9]{3}))?|C)(?:\.(?P<charset>[A-Za-z0-9-]{1,20}))?(?:@[a-z]{1,20})?"
)


def is_locale(value: str) -> bool:
    """Whether ``value`` is a locale's name, its charset one Python's codecs know (``fr_FR.UTF-8``, ``fr_FR.utf8``,
    ``en_GB.ISO-8859-1``, ``fr_FR@euro``): a value a message shows (no password is written so), and whose language
    :func:`meant_among` reads."""
    import codecs

    found = _LOCALE.fullmatch(value)
    if found is None or not any(sign in value for sign in "_.@"):  # a word alone (fr, de) is no locale's name
        return False
    charset = found["charset"]
    if charset is None:
        return True
    try:
        codecs.lookup(charset)
    except LookupError:
        return False
    return True


def osa_distance(a: str, b: str, at_most: int | None = None) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from ``a`` to ``b``: optimal string alignment.

    With ``at_most``, any distance above it is given as ``at_most + 1``, found without reading the rest once a row
    of the table is all above it and the row before all at it or above: every alignment goes through the last
    row, or swaps over it from the one before (one edit more) into the next."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if at_most is not None and min(current) > at_most and min(previous) >= at_most:
            return at_most + 1
        previous2, previous = previous, current
    if at_most is not None and previous[len(b)] > at_most:
        return at_most + 1
    return previous[len(b)]


_DIGITS = re.compile(r"[^0-9]")
_REGION = re.compile(r"[_ ][^\W\d_]+")  # what may follow a code a value starts with: a word after a separator
# The names of the codes a value may take, folded (a contact's language, a day of the week), in English and French
_NAMES = {
    **dict.fromkeys(("french", "français", "francais", "française", "francaise"), "fr"),
    **dict.fromkeys(("english", "anglais"), "en"),
    # (and the French abbreviations a French calendar prints: lun., mar., ... dim.)
    **dict.fromkeys(("monday", "lundi", "lun"), "mon"),
    **dict.fromkeys(("tuesday", "mardi", "mar"), "tue"),
    **dict.fromkeys(("wednesday", "mercredi", "mer"), "wed"),
    **dict.fromkeys(("thursday", "jeudi", "jeu"), "thu"),
    **dict.fromkeys(("friday", "vendredi", "ven"), "fri"),
    **dict.fromkeys(("saturday", "samedi", "sam"), "sat"),
    **dict.fromkeys(("sunday", "dimanche", "dim"), "sun"),
    # pic:tls.ca's certificate authorities as people name them (Let's Encrypt's staging environment, its own)
    **dict.fromkeys(
        (
            "letsencrypt_staging",
            "lets_encrypt_staging",
            "let's_encrypt_staging",
            "le_staging",
            "staging_letsencrypt",
            "letsencrypt_test",
            "acme_staging",
        ),
        "staging",
    ),
    **dict.fromkeys(("lets_encrypt", "let's_encrypt", "le", "acme"), "letsencrypt"),
}


def _folded_name(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_").replace(" ", "_")


def non_finite(value: object) -> str | None:
    """YAML's ``.nan`` and ``.inf`` (``-.inf``) in words, as what they are: floats to YAML, but no number with a
    fraction, and none a setting can take. None for any other value."""
    if isinstance(value, float) and math.isnan(value):
        return "not a number (YAML's not-a-number value)"
    if isinstance(value, float) and math.isinf(value):
        return "infinite (YAML's infinity)"
    return None


# Unicode general categories never printed as they are: controls (ESC starts terminal sequences),
# invisible formatting (bidi overrides reorder what is shown), separators, surrogates, private use, unassigned.
_ESCAPED = frozenset(["Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"])

# Letters and symbols that print as nothing: the characters of Unicode's Default_Ignorable_Code_Point
# property (UAX #44, DerivedCoreProperties.txt) that are neither marks nor of the categories above (the
# Hangul fillers U+115F, U+1160, U+3164, U+FFA0 as of Unicode 16), and U+2800 BRAILLE PATTERN BLANK, a
# symbol drawn as an empty cell. Marks of the property (variation selectors, U+034F) combine with the
# character before them and are judged with it. Written out, as the ``regex`` package reads
# ``[\p{Default_Ignorable_Code_Point}&&[^\p{M}\p{C}]]|\u2800`` (V1): the standard library has no such
# property, and loading ``regex`` for it costs every command a few milliseconds
# (tests/test_fields_fast.py compares the two on every code point).
BLANK_LOOKING = re.compile("[\u115f\u1160\u2800\u3164\uffa0]")
# The marks of Default_Ignorable_Code_Point (as of Unicode 16; the property's others are of the categories above or
# BLANK_LOOKING): U+034F COMBINING GRAPHEME JOINER, Khmer's two inherent vowels, Mongolian's free variation
# selectors, the variation selectors and their supplement. They print as nothing, even where they mean something
# (an emoji's presentation, an ideograph's variant): a value shown in a message has them escaped (:func:`show_value`),
# so that two values apart by one are told apart (tests/test_fields_fast.py compares the set with the property).
IGNORABLE_MARK = re.compile("[\u034f\u17b4\u17b5\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def terminal_safe(text: str, keep: str = "\n\t") -> str:
    """``text`` with every character of the categories above, except those in ``keep``, written \\uXXXX.

    A byte that is not UTF-8 in a file name or an argument, which Python reads as a lone surrogate U+DC80 to U+DCFF
    (``os.fsdecode``'s surrogateescape), is written as that byte, ``\\xff``: as ``ls`` shows it, and as
    ``os.fsencode(name).decode("utf-8", "backslashreplace")`` writes it, never ``\\udcff``."""
    if text.isascii() and text.isprintable():
        return text
    out = []
    for ch in text:
        if ch not in keep and (unicodedata.category(ch) in _ESCAPED or BLANK_LOOKING.match(ch)):
            code = ord(ch)
            if 0xDC80 <= code <= 0xDCFF:
                code -= 0xDC00  # the byte it stands for
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


def json_text(data: object) -> str:
    """``data`` as JSON (indented, letters as they are), each character :func:`terminal_safe` would escape written
    as JSON escapes it (``\\u0085``; a byte of a file name that is not UTF-8, U+DCFF, ``\\udcff``, which a reader
    gives back as Python read the name): the standard output's escaping then finds nothing to write otherwise
    (its ``\\x85``, ``\\xff`` are no JSON)."""
    return encodable_json(json.dumps(data, indent=2, ensure_ascii=False))


def encodable_json(text: str, encoding: str | None = None) -> str:
    """JSON ``text`` as written to the standard output (or a stream of ``encoding``): each character
    :func:`terminal_safe` would escape, and each one the encoding lacks (``PYTHONIOENCODING=ascii``, the C locale
    without UTF-8: ``é``), written as JSON escapes it, ``\\u00e9``, where the stream would write ``\\xe9``, no
    JSON."""
    if text.isascii():
        return text
    text = "".join(_json_escaped(ch) for ch in text)
    encoding = encoding or getattr(sys.stdout, "encoding", None)
    try:
        text.encode(encoding or "utf-8")
    except UnicodeEncodeError:
        return "".join(ch if ch.isascii() or _encodes(ch, encoding or "utf-8") else json.dumps(ch)[1:-1] for ch in text)
    except LookupError:  # an encoding Python does not know: the stream would have failed to open
        return text
    return text


def _encodes(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _json_escaped(ch: str) -> str:
    if ch.isascii() or not (unicodedata.category(ch) in _ESCAPED or BLANK_LOOKING.match(ch)):
        return ch
    return json.dumps(ch)[1:-1]  # \uXXXX, or a surrogate pair beyond the first plane


def shown_name(name: object) -> str:
    """A file name as every message shows it: each character that is not printable escaped
    (:func:`terminal_safe`: a newline ``\\x0a``, a byte that is not UTF-8 ``\\xe9``), so that a
    message stays one line and shows what the name holds."""
    return terminal_safe(str(name), keep="")


def shown_key(key: object) -> str:
    """A key of a file as a message names it: :func:`shown_name`, in quotes when it is empty or has a blank at an
    end (``"uid "``), which bare would read as the message's own (``uid : unknown key``)."""
    text = shown_name(key)
    return f'"{text}"' if not text or text != text.strip(" ") else text


# The user information of a URL holding a password (RFC 3986 §3.2.1: "user:password@", deprecated), in a
# value a setting refuses for holding it (pic:db.proxy, an off-site repository): never shown again.
_URL_START = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_TOKEN_END = frozenset(" \t\n\"'")
_SFTP_SHORT_USER = re.compile(r"sftp:[^:@]*@")


def percent_decodings(text: str) -> Iterator[str]:
    """``text``, then each of its percent-decodings (RFC 3986 §2.1) that changes it, up to 4: ``u%253Apw``,
    ``u%3Apw``, ``u:pw``."""
    for _ in range(5):
        yield text
        decoded = urllib.parse.unquote(text)
        if decoded == text:
            return
        text = decoded


def userinfo_holds_colon(userinfo: str, *, compatibility: bool = False) -> bool:
    """Whether a URL's userinfo holds the colon that separates a password (RFC 3986 §3.2.1), written or
    percent-encoded once or more (``u:pw``, ``u%3Apw``, ``u%253Apw``, decoded up to 4 times): urllib reads
    ``u%3Apw`` as a user ``u:pw`` and no password, but no login name holds a colon (/etc/passwd's separator), so
    the part after it is a password all the same. With ``compatibility``, a colon of the text's NFKC form counts
    too (a full-width ``：``, U+FF1A: Unicode's compatibility form, UAX #15), at each decoding."""
    return any(
        ":" in text or (compatibility and ":" in unicodedata.normalize("NFKC", text))
        for text in percent_decodings(userinfo)
    )


def url_credentials(value: str) -> tuple[int, int] | None:
    """Where the ``user:password`` of the first URL in ``value`` is (start, end of the part before its last
    ``@``), or None when no URL there holds a password (:func:`userinfo_holds_colon`: its colon may be
    percent-encoded). The last ``@`` counts: a password may hold one."""
    for match in _URL_START.finditer(value):
        rest = value[match.end() :]
        at = rest.rfind("@")
        if at > 0 and userinfo_holds_colon(rest[:at]):
            return match.end(), match.end() + at
    return None


def value_without_credentials(value: str) -> str:
    """A setting's value with its user and password written ``***``: those of a URL
    (:func:`url_credentials`), or a ``user:password@host`` written without a scheme (its colon percent-encoded
    too, ``user%3Apassword@host``), restic's
    ``sftp:user@host:/path`` excepted (a ``:``
    before its last ``@``; a password may hold spaces, and so may a user, but not a line break: an
    address followed by a header, ``a@x.org\nBcc: b@y.org``, is no user and password, and is shown). A ``mailto:``
    is a URL's scheme (RFC 6068), no user: the address after it is read alone (``mailto:admin@x.org`` is shown,
    ``mailto:deploy:hunter2@x.org`` masked after its scheme)."""
    if value[:7].lower() == "mailto:":
        return value[:7] + value_without_credentials(value[7:])
    span = url_credentials(value)
    # restic's sftp:user@host:/path names a user alone, no password (its "sftp:" is no user)
    if span is None and "@" in value and "://" not in value and _SFTP_SHORT_USER.match(value) is None:
        at = value.rfind("@")
        user = value[:at].partition(":")[0]
        span = (0, at) if at > 0 and userinfo_holds_colon(value[:at]) and not any(c in user for c in "\r\n") else None
    return value if span is None else f"{value[: span[0]]}***{value[span[1] :]}"


def without_credentials(text: str) -> str:
    """``text`` with the ``user:password`` of every URL in it written ``***``.

    In a whole value (:func:`url_credentials`) the password ends at the value's last ``@``; in a
    message, where the value stands among words, at the last ``@`` of the word it is in.
    """
    if "@" not in text or "://" not in text:
        return text
    out, done = [], 0
    for match in _URL_START.finditer(text):
        start = match.end()
        if start < done:
            continue
        end = start
        while end < len(text) and text[end] not in _TOKEN_END:
            end += 1
        at = text.rfind("@", start, end)
        if at > start and userinfo_holds_colon(text[start:at]):
            out += [text[done:start], "***"]
            done = at
    return "".join([*out, text[done:]])


# What a message says where a value or a line it would show reads as a secret (pic.secrettext.reads_as_secret).
HIDDEN_VALUE = "the value (not shown: it may be a secret)"
HIDDEN_LINE = "the line (not shown: it may hold a secret)"


def reads_as_secret(value: object, line: str | None = None, above: str = "") -> bool:
    """Whether ``value`` reads as a secret as ``pic check`` reads one in prose or in a command
    (:func:`pic.secrettext.reads_as_secret`), by itself or in its ``line`` of a file, or that line does after the
    line ``above`` it (a label ending that line, the password alone on this one) where that line alone does not."""
    from pic.secrettext import texts_of  # its patterns compiled only when a value is to be shown

    texts = texts_of(value) if line is None else [*texts_of(value), line]
    if any(_text_reads_as_secret(text) for text in dict.fromkeys(texts)):
        return True
    return (
        bool(above.strip())
        and line is not None
        and _text_reads_as_secret(f"{above}\n{line}")
        and not _text_reads_as_secret(above)
    )


@functools.lru_cache(maxsize=4096)
def _text_reads_as_secret(text: str) -> bool:
    """:func:`pic.secrettext.reads_as_secret` of one text, remembered: the lines of a file are each read by
    itself and as the line above the next, and many problems of one file say the same words."""
    # (named otherwise: this module has a reads_as_secret of its own, which calls this one)
    from pic.secrettext import reads_as_secret as text_reads_as_secret

    return text_reads_as_secret(text)


def shown_unless_secret(
    value: object, line: str | None = None, above: str = "", *, hidden: str = HIDDEN_VALUE, limit: int = 80
) -> str:
    """``value``, a value refused, as :func:`show_value` shows it, or ``hidden`` when it reads as a secret by itself,
    in its ``line`` or after the line ``above`` it (:func:`reads_as_secret`), or holds a text shaped as a password
    (:func:`shaped_as_password`: ``Lilas2024x``, ``["Soleil-Azur-75"]``, ``{velo75paris: 1}``, keys included)."""
    if isinstance(value, str | list | tuple | dict):  # text in it, read for a password's shape
        from pic.secrettext import texts_of

        if any(shaped_as_password(text) for text in texts_of(value)):
            return hidden
    return hidden if reads_as_secret(value, line, above) else show_value(value, limit)


def shaped_as_password(value: str) -> bool:
    """Whether ``value``, a value refused, is a word shaped as a password though it holds no sign (Azerty123,
    Soleil2024, Lilas2024x: 8 characters or more of ASCII letters and digits alone, a capital, a small letter and a
    digit among them, as password rules ask), with the dots a name puts around a word or not (``Lilas2024x.``,
    ``.Lilas2024x``), or holds one as a part with more around it, or words in small letters around a number
    (:func:`pic.secrettext.password_part`: ``0xCafe1234.1``, ``-Lilas2024x``, ``udp://Lilas2024x``,
    ``velo75paris``), or capitals and digits as with Caps Lock on (``LILAS2024X``). A value of a fixed form
    mistyped is shorter (Web1, MySQL8, PHP84) or holds a separator (PHP8.4, Velo_Cite, web-1, 256Mo), and is shown;
    so is a number written in another base, its 0x, 0o or 0b no small letter of a password's (0b1000000M,
    0x15058500A0235D97...), unless in hexadecimal mixing capitals and small letters (0xCafe1234)."""
    from pic.secrettext import password_part  # its patterns compiled only when a value refused is to be shown

    return password_part(value)


def refused_may_be_secret(value: str) -> bool:
    """Whether ``value``, a value refused where no secret goes (a command line's, a field's), is not to be shown: it
    reads as a secret (:func:`reads_as_secret`), holds a word shaped as a password beside the rest or alone
    (:func:`pic.secrettext.password_beside`: ``Lilas2024x!``, ``DB Lilas2024x!``), or is one without a sign
    (:func:`shaped_as_password`)."""
    from pic.secrettext import password_beside

    return shaped_as_password(value) or password_beside(value) or reads_as_secret(value)


def public_name_may_be_secret(value: str) -> bool:
    """Whether ``value``, a value refused where a public name goes (a stack's, a domain, a host's user, a database's),
    is not to be shown: shaped as a password as such a name is not (:func:`pic.secrettext.public_name_hidden`:
    ``Lilas2024x``, ``LILAS2024X``; ``Prod2024``, ``Lyon2024.fr`` are shown)."""
    from pic.secrettext import public_name_hidden

    return public_name_hidden(value)


class Refusal(ValueError):
    """A validator's refusal whose message tells what is allowed: ``own`` are the texts of the message that come
    from no value (``such as utf-8, iso-8859-1, iso-8859-15 or windows-1252``), which a message hiding the value
    keeps whole (:func:`pic.secrettext.redacted`)."""

    def __init__(self, message: str, own: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.own = tuple(own)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in one file."""

    file: str
    line: int | None
    path: str
    message: str
    severity: Severity = "error"
    # the faults it tells: 1, or how many a line counting those not shown tells ("and 40 more ..., not shown")
    faults: int = 1

    def sort_key(self) -> tuple[str, int, str, str, str]:
        """File, then line (unknown lines first), field, message."""
        return (self.file, -1 if self.line is None else self.line, self.path, self.message, self.severity)

    def __lt__(self, other: Problem) -> bool:
        return self.sort_key() < other.sort_key()

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" {self.path}:" if self.path else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{prefix}{where}{field} {without_credentials(self.message)}"

    def shown(self) -> str:
        """The problem as a line of the standard error: its file named as every message names one
        (:func:`shown_name`: a newline written ``\\x0a``), so that it stays on its line."""
        return str(dataclasses.replace(self, file=shown_name(self.file)))


class PicError(Exception):
    """The registry or the settings are invalid; ``problems`` lists every offender. ``errors``: how many errors
    they tell, when a problem holds several (a program's own list of errors, :mod:`pic.plan.command`); by default
    the faults the problems of severity ``error`` tell (a line counting those not shown, each it counts)."""

    def __init__(self, problems: list[Problem], *, errors: int | None = None) -> None:
        self.problems = sorted(problems)
        self.errors = sum(p.faults for p in self.problems if p.severity == "error") if errors is None else errors
        super().__init__("\n".join(str(p) for p in self.problems))


class Unreachable(PicError):
    """Nothing could be asked (the resolver or the network down): exit 1 as for an invalid input, but no input
    is invalid, so none is summed up as such."""


_T = TypeVar("_T")
# The problems of one kind told in one file: a file pasted or generated with thousands of one fault (20,000 unknown or
# duplicate keys) is told in a screen, the others of its kind counted on one line, not in thousands of lines
TOLD_PER_KIND = 20


def first_of_each_kind(items: Iterable[_T], kind: Callable[[_T], str]) -> tuple[list[_T], dict[str, tuple[_T, int]]]:
    """The first :data:`TOLD_PER_KIND` of ``items`` of each ``kind(item)``, in their order, and by kind the first of
    the others and how many they are (kinds with none left out)."""
    told: list[_T] = []
    seen: dict[str, int] = {}
    untold: dict[str, tuple[_T, int]] = {}
    for item in items:
        key = kind(item)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= TOLD_PER_KIND:
            told.append(item)
        else:
            first, count = untold.get(key, (item, 0))
            untold[key] = (first, count + 1)
    return told, untold


class Stopped(KeyboardInterrupt):
    """SIGTERM (kill, a timer's stop) or SIGHUP (the terminal closed), raised as Ctrl-C's KeyboardInterrupt is, so
    that a command stopped so takes away what it made, as on Ctrl-C (pic plan's copy of a revision and the
    program it runs there, the file pic new was writing, the message pic notify was sending), and ends with one
    line and 128 + the signal's number, as a shell shows a command killed by it."""

    def __init__(self, signum: signal.Signals) -> None:
        super().__init__(signum.name)
        self.signum = signum


def stop(signum: int, frame: object) -> NoReturn:
    """The handler of SIGTERM and SIGHUP: :class:`Stopped`."""
    raise Stopped(signal.Signals(signum))


def stopped_by(exc: KeyboardInterrupt) -> str:
    """How a run was stopped, for a message: ``stopped`` (Ctrl-C) or ``stopped by SIGTERM``."""
    return f"stopped by {exc.signum.name}" if isinstance(exc, Stopped) else "stopped"


def stop_status(reason: str) -> int:
    """The exit status of a run stopped as ``reason`` starts (:func:`stopped_by`): 130 for Ctrl-C, 128 + the signal's
    number for SIGTERM or SIGHUP; 0 for a reason of another kind."""
    if not reason.startswith("stopped"):
        return 0
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if reason.startswith(f"stopped by {signum.name}"):
            return 128 + signum
    return 130

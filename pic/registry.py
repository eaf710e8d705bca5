"""The member registry: one ``members/<slug>.yaml`` per member association.

:class:`MemberSpec` is the file's contract (REGISTRY.md); :class:`Member` is a
validated member with its slug, its file and its resolved web host, which the
components consume. :func:`load_registry` validates every file, then runs the
checks across files and against the stack settings, and raises one
:class:`~pic.errors.PicError` listing every offender.
"""

from __future__ import annotations

import codecs
import copy
import datetime as dt
import gc
import math
import os
import re
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic.fields import FieldInfo

from pic import charsets, phpini, secrettext
from pic.cronfields import PATTERN as CRON_PATTERN
from pic.cronfields import WORDS as CRON_WORDS
from pic.errors import PicError, Problem, Refusal, meant_among, show_value, shown_name
from pic.lazyre import LazyPattern
from pic.modelerrors import SubfieldError, _unwrap, number_refusal, problems_from, unique_items
from pic.settings import (
    TLS_CA_NAMES,
    Cpus,
    Settings,
    display_in,
    display_path,
    empty_dict,
    empty_list,
)
from pic.validators import (
    SLUG_WORDS,
    Domain,
    Email,
    FreeText,
    NameOf,
    SshKey,
    Whole,
    check_display_name,
    check_email,
    check_robot_title,
    documentation_domain,
    documentation_words,
    is_public_suffix,
    is_slug,
    public_name_problem,
    short_repr,
    slug_form_length,
    slug_meant,
)
from pic.yamlsrc import (
    MAX_FILE_BYTES,
    NOT_BOOLEAN,
    TEXT_FIELD,
    Document,
    format_loc,
    not_a_directory,
    path_problem,
    read_regular_file,
    read_yaml,
    show_written,
)

DbShort = Annotated[
    str,
    Whole(
        r"[a-z][a-z0-9_]{0,15}",
        "a short name of 1 to 16 characters: a lowercase letter, then lowercase letters, digits or _",
    ),
]
# A runtime and a web host of the stack settings: a hint names one the stack has (validate_member's hosts and
# runtimes), never a form mended into a name it lacks.
PhpKey = Annotated[
    str,
    NameOf(
        r"[0-9]+\.[0-9]+|none",
        'a runtime key such as "8.4" (quoted), or "none" for a static site',
        among="runtimes",
        what="the stack's runtimes",
        also=("none",),
        decimal=True,
    ),
]
# The runtime a php_eol exception was granted for: a runtime key, never site.php's "none" (no PHP, no end of life).
GrantedRuntime = Annotated[
    str,
    NameOf(
        r"[0-9]+\.[0-9]+",
        'a runtime key such as "7.4" (quoted): the site.php the exception was granted for',
        among="runtimes",
        what="the stack's runtimes",
        decimal=True,
    ),
]


def meant_runtime(value: str, keys: Sequence[str]) -> str | None:
    """The runtime key of ``keys`` that ``value``, a key the stack lacks, is written for, or None: the same with
    zeros after its minor version ("8.40", "8.400": 8.4; a runtime key is no decimal number, "8.40" and "8.4"
    are two keys to the program), or one :func:`pic.errors.meant_among` finds."""
    for key in keys:
        if value.startswith(key) and value[len(key) :].strip("0") == "" and "." in key:
            return key
    return meant_among(value, keys)


HostName = Annotated[
    str,
    NameOf(
        r"[a-z][a-z0-9-]{0,30}",
        "a host name of the stack settings, such as web1",
        among="web_hosts",
        what="the stack's web hosts",
    ),
]
OneLine = Annotated[str, FreeText()]
MultiLine = Annotated[str, FreeText(newlines=True)]
# The contact's name is written in the To header of pic notify's messages.
DisplayName = Annotated[str, FreeText(), AfterValidator(check_display_name)]
# A member's name is the title of its Sympa robot, written in Sympa's web pages unescaped.
RobotTitle = Annotated[str, FreeText(), AfterValidator(check_robot_title)]
MAX_NOTES = 4000  # characters of `notes`: room for a page of text, not for a dump
MAX_DB_NAME = 64  # MariaDB: database names
MAX_DB_USER = 80  # MariaDB: user names
# A member's site container has the fixed address 172.30.1.0 + uid - UID_MIN on the sites' network
# (pic.render.sitemail.site_address). Docker hands out its own addresses from 172.30.128.0/17
# (pic.render.web.NETWORK_DYNAMIC) to a container started there without one (the platform starts none):
# UID_BELOW_DYNAMIC is the highest uid whose address is below that range (172.30.127.255), the highest
# `pic new` gives; a higher uid, valid since the first release, is accepted with a warning (pic.check).
UID_MIN, UID_MAX = 10000, 59999
UID_BELOW_DYNAMIC = 42511
Status = Literal["active", "suspended", "archived"]


class _Strict(BaseModel):
    # defer_build: a model nested in another is validated by its parent's validator; its own is
    # built when first used alone, not at import (pic check starts sooner).
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


LANGUAGES = ("fr", "en")  # the languages of pic notify's messages (pic/commands/templates/notify-<lang>.j2)


def no_secret_in_prose(text: str) -> str:
    """``text`` (an admin's notes, a contact's or member's name, an exception's reason) unless it holds a secret as
    prose can (pic.secrettext.prose_secret): committed with the member's file, it would stay in the repository's
    history. The secret is not shown; the line of the text it is on is, for a text of several lines."""
    found = secrettext.prose_secret(text)
    if found is None:
        return text
    kind, start = found
    where = f" on line {text.count(chr(10), 0, start) + 1} of the text" if "\n" in text else ""
    raise SubfieldError(
        (),
        f"the text (not shown) holds {kind}{where}, which would be committed in clear with this file and stay in "
        "the repository's history: keep the secret in the admins' password manager, or the member's in a file of "
        "its priv/ on its web host, and write here only where it is kept (e.g. 'mot de passe FTP : dans le "
        "gestionnaire de mots de passe'); if a commit already holds it, change the secret",
        names_value=True,
    )


def no_secret_in_a_note(text: str) -> str:
    """``text`` (a member's ``notes``, an exception's ``reason``, a notice's ``note``) unless it holds a secret as
    prose can (:func:`no_secret_in_prose`) or is one word alone, quotes and brackets around it aside, shaped as a
    password (:func:`_password_alone_in_a_note`: ``Lilas2024x!``, ``Soleil-Azur-75``, ``LILAS2024X``, ``hunter2``): a
    password pasted without its label. A note of one word naming a product and its release, a version, a ticket, a
    hash, a disk, an interface or a program (``PrestaShop8``, ``ProxmoxVE8``, ``PHP8.2``, ``RT#1187``, ``3f2a9c1e``,
    ``nvme0n1p1``, ``enp0s31f6``, ``sha256sum``), or a domain (``Tech4Good.fr``) passes.

    Raises SubfieldError (the text not shown), telling the one shape the word has."""
    text = no_secret_in_prose(text)
    word = text.strip()
    if word and not any(c.isspace() for c in word) and (shape := _password_alone_in_a_note(word)):
        raise SubfieldError(
            (),
            f"the text (not shown) is one word shaped as a password: {_shape_told(shape, word)}. Keep the password "
            "out of this file (committed, it stays in the repository's history): in the admins' password manager, or "
            "the member's in its priv/ on its web host; write here where it is kept. If a commit holds it already, "
            "change it",
            names_value=True,
        )
    return text


def _password_alone_in_a_note(word: str) -> _Shape | None:
    """The shape of a password ``word``, the whole of a note, has: one with its sign (:func:`pic.secrettext.
    password_alone`: ``Lilas2024x!``), or read as a word of an association's name is (:func:`_password_in_a_name`,
    the one rule of the free-text fields: ``Lilas2024x``, ``velo75paris``, ``Soleil-Azur-75``, ``LILAS2024X``,
    ``PassWord1``, ``hunter2``), a ticket's number after its ``#`` left out (``Ticket#4521``); None for another."""
    if not any(c.isdigit() for c in word):
        return None
    if _TRACKER_TICKET.fullmatch(word.strip(_AROUND_A_NAME_WORD)) or _PACKAGE_VERSION.fullmatch(word):
        return None  # GLPI#4521, OTRS#20231104: a ticket, its # no password's sign; 8.2.12-1+deb12u1: a version
    if secrettext.password_alone(word):
        return _SIGN
    word = _TICKET_NUMBER.sub("", word.strip(_AROUND_A_NAME_WORD))
    if _TYPED_AS_A_PASSWORD.fullmatch(word) is None and not secrettext.common_password(word):
        return None
    return _password_in_a_name(word, person=False)


# A ticket's number at a note's word's end (RT#1187, Ticket#4521): a number, not a password's sign
_TICKET_NUMBER = re.compile(r"#[0-9]+\Z")
# A package's version as dpkg and SemVer write one: an epoch, numbers in dots, then a revision or a pre-release
# after -, a build or a security update after + (8.2.12-1+deb12u1, 1:7.4.33-1+deb11u5, 1.2.3-rc.1+build.5), each
# a number or a word of packagers (deb12u1, ubuntu0.22.04.1, rc, build, dfsg, bpo12), no other word (1.2+Lilas2024x)
_PACKAGE_VERSION = re.compile(
    r"(?:[0-9]+:)?v?[0-9]+(?:\.[0-9]+)+"
    r"(?:[-+~](?:[0-9][0-9.]*|(?:deb|ubuntu|build|rc|beta|alpha|dev|pre|dfsg|ds|bpo|sury|git|nmu)[0-9a-z.]*))*"
)
# A ticket named by its tracker (GLPI#4521, OTRS#20231104, Redmine#4521, Zammad#10042; ITIL's INC, REQ, CHG) or a
# word for one, then its number: no password, though a word in capitals, a sign and digits are a password's shape
_TRACKER_TICKET = re.compile(
    r"(?i:ticket|issue|bug|rt|glpi|otrs|zammad|redmine|mantis|jira|gitlab|github|gh|inc|req|chg|pr|mr)#[0-9]+"
)


# A password pasted as a word of a name, without a label (contact: {name: "Lilas2024x!"}, "Marie Lilas2024x", name:
# LILAS2024X), which the reading of secrets in prose does not find (no label says what it is): the names are printed
# in reports, warnings, the To header of the messages to the contact and as the lists' robot title. One rule reads
# the words of every free-text field (a person's name, an association's, a note or a reason of one word); a word of
# a name holding a digit is a number beside letters (Asso2024, Amis75, Lyon-3), an ordinal (3e, Paris13ème, 2nd), an
# acronym in capitals (R2D2, A2DM, RC2000) or a product's name and its release (PrestaShop8, MySQL8, WordPress6.4).
# No name's word holds a password's sign beside letters and digits, capitalised words joined to a number as a
# passphrase is made (Bleu-Ciel-12), capitals around a number as typed with Caps Lock on (ROSE1999Q), a word of three
# letters or more then digits then letters (Lilas2024x, velo75paris), nor a capital after a lowercase letter with
# digits other than a number of its own at its end (PassWord1, Pass1Word, PassWord123; not ÉcoLogis2024, iPhone12,
# MaxiCycle2000), letters and digits as a generator writes them (n8Fq2LxvT, 8kq2mz7wpx), nor a common password's word
# then its number (hunter2, Welcome2024, Azerty123: pic.secrettext.common_password). A word of letters then digits
# alone is a name's too (Asso2024, Soleil2024), and passes.
# A person's name is read for digits between any letters (a1b2, S3cret): no person is so named.
# An association's name, a note and a reason are read for a word typed as a password alone (ASCII letters, digits
# and a password's signs, three letters among them, 8 characters or more in all: what password rules ask; Team
# GO2025!, Web2day, MySQL8 pass) or a common password's (hunter2), brackets and quotes around it aside: they are
# free text, in any script and with any sign (Ünïcödé ½, Club C++, the property test's %[0-9A-F]{2},
# 0123456789+-.iInN, A000000=), and their words between letters are a slug's, a brand's or a hash's (pict-a1b2c3-a,
# backupS3Box, deadbeef12cafe, Radio97FM).
_AROUND_A_NAME_WORD = "()[]{}\"'«»“”‘’„,;:."
_PASSWORD_SIGNS = frozenset("!?#$%&*+=@^~|<>§£€\\")
# An & or a + between letters, as an association's name joins words (Art&Culture, Bio&Co, Bio+Local, Club3D&Co), the
# words around it each read as a name's (Art&Lilas2024x is refused for its second; Lilas&2024x holds no such join)
_WORDS_JOINED = re.compile(r"(?<=[^\W\d_])[&+](?=[^\W\d_])")
_ADDRESS_WORD = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_DIGITS_BETWEEN_LETTERS = re.compile(r"([^\W\d_]+)(\d+)([^\W\d_]+)")
_ORDINAL_SUFFIX = re.compile(r"(?:e|er|re|ère|ème|eme|nd|nde|st|rd|th|o|a|bis|ter)\Z", re.IGNORECASE)
# An ordinal's letters that follow one digit alone at the number's end (1st, 21st, 2nd, 2nde, 3rd, 1er, 1re, 1ère):
# after another (Passw0rd, Soleil4st) they are a password's letters, not an ordinal's
_ORDINAL_DIGIT = {"st": "1", "er": "1", "re": "1", "ère": "1", "nd": "2", "nde": "2", "rd": "3"}
# An ordinal's number: an arrondissement's, a century's, a floor's (Paris13ème, 21st, 100e); four digits are a year
# (Azerty2024a, Soleil2025e: a password's)
_ORDINAL_DIGITS = 3
_CAPITAL_AFTER_SMALL = re.compile(r"[^\W\d_A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ]")
# (compiled at import: a word of the usual name joined by a sign, Vélo-Cité, is read for it)
_TYPED_AS_A_PASSWORD = re.compile(r"(?=(?:[^A-Za-z]*[A-Za-z]){3})[A-Za-z0-9!?#$%&*+=@^~|<>._-]{8,}")
# A word of at most this many characters without a password's sign is read as an abbreviation (b2b, p2p)
_SHORTEST_PASSWORD_READ = 4
# The shapes a word refused in a free-text field has (a name's word, a note's), the one it has told: what it is, then
# examples, left out when the word refused is among them (:func:`_shape_told`)
_Shape = tuple[str, str]
_SIGN = ("letters and digits with a password's sign among them (! ? # $ % & * + = @ ^ ~ | < >)", "Rose1999!")
_PASSPHRASE = ("capitalised words joined to a number as a passphrase is made", "Bleu-Ciel-12")
_CAPITALS = ("capitals around a number as a password typed with Caps Lock on", "ROSE1999Q")
_GENERATED = ("letters and digits mixed as a password generator writes them", "n8Fq2LxvT, k3xq9mz2wp")
_COMMON = (
    "a common password (of the lists of leaked ones) then a number or a sign, or its letters written as digits",
    "hunter2, Welcome2024, P@ssw0rd",
)
_WORD_DIGITS_LETTERS = ("a word of three letters or more then digits then letters", "Rose1999q, rose75jardin")
_DIGITS_INSIDE = ("letters on both sides of its digits", "S3cret, P4ssw0rd")
_CAPITALS_INSIDE = (
    "a capital after a lowercase letter, and digits other than a number of two digits or more (not 123) at its end",
    "PassWord1",
)


def _shape_told(shape: _Shape, word: str) -> str:
    """``shape`` in words, its examples after it unless ``word``, the value refused (never shown), is one of them."""
    what, examples = shape
    if word.lower() in [e.lower() for e in examples.split(", ")]:
        return what
    return f"{what} ({examples})"


def _password_in_a_name(word: str, *, person: bool = True) -> _Shape | None:  # noqa: PLR0911 - a shape each
    """The shape of a password ``word``, a word of a person's name (``person``), of an association's or a note of one
    word (brackets, quotes and punctuation around it taken off), has, rather than a name's word's (see above); None
    for a name's word."""
    word = word.strip(_AROUND_A_NAME_WORD)
    if not any(c.isdigit() for c in word) or not any(c.isalpha() for c in word):
        return None
    if any(c in _PASSWORD_SIGNS for c in word) and _ADDRESS_WORD.fullmatch(word) is None:
        # Lilas2024x!, Soleil-2025#, Dupont@2024 (not marie2@asso-lyon.fr); the common ones told so (P@ssw0rd)
        return _COMMON if secrettext.common_password(word) else _SIGN
    if (shape := secrettext.passphrase_or_capitals(word)) is not None:
        # Soleil-Azur-75 and LILAS2024X, as no name is written (R2D2 and A2DM are shorter, RC2000 ends with its number)
        return _PASSPHRASE if shape == "passphrase" else _CAPITALS
    if _DOMAIN_WORD.fullmatch(word) is not None:  # Tech4Good.fr: each label read as a name's word (not Lilas2024x.fr)
        labels = word.split(".")[:-1]
        return next((told for label in labels if (told := _password_in_a_name(label, person=person))), None)
    if secrettext.technical_name(word):
        return None  # nvme0n1p1, enp0s31f6, sha256sum: a disk's, an interface's, a program's name, as it is written
    if _generated(word) or secrettext.generated_in_small_letters(word):
        return _GENERATED  # n8Fq2LxvT, 8kq2mz7wpx: as a generator writes
    if secrettext.common_password(word):
        return _COMMON  # hunter2, Welcome2024, PassWord2024, m0tdep@sse: a common password and its number
    if len(word) <= _SHORTEST_PASSWORD_READ:
        return None  # b2b, p2p, 4x4: a word that short is an abbreviation, and no password anyone keeps
    if secrettext.joined_by_to_or_for(word) or secrettext.product_release(word):
        # Tech4Good, Kids4Lyon, Up2You: 2 and 4 read as to and for; PrestaShop8, MySQL8, ProxmoxVE8: a release
        return None
    for found in _DIGITS_BETWEEN_LETTERS.finditer(word):
        before, digits, after = found.groups()
        if not (person or _word_before_digits(word, found)):
            continue  # a1b2c3, backupS3Box, Radio97FM, deadbeef12cafe: a slug's, a brand's or a hash's
        acronym = before.isupper() and after.isupper()  # R2D2, A2DM
        ordinal = (  # Lyon8e, Paris13ème, Lyon21st; not Passw0rd, Azerty2024a
            found.end() == len(word)
            and len(digits) <= _ORDINAL_DIGITS
            and _ORDINAL_SUFFIX.match(after) is not None
            and _ORDINAL_DIGIT.get(after.lower(), digits[-1]) == digits[-1]
        )
        if not (acronym or ordinal):
            # Lilas2024x, velo75paris, Lilas2024X; S3cret, P4ssw0rd
            return _WORD_DIGITS_LETTERS if len(before) >= 3 else _DIGITS_INSIDE
    return _CAPITALS_INSIDE if _capitals_inside(word, person=person) else None  # PassWord1


# A domain's name (Tech4Good.fr, PrestaShop8.asso-lyon.fr): labels of letters, digits and dashes, a top-level
# domain of letters
_DOMAIN_WORD = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63}")


def _generated(word: str) -> bool:
    """Whether ``word`` is written as a password generator writes one (pwgen, a password manager's): capitals and
    small letters, with digits between letters twice or more (n8Fq2LxvT, aZ3kP9mQ), or once with the case turning
    from small to capital three times or more (kP9mQzLw), as no name's word is (R2D2, C3PO, a1b2c3 are in one case;
    backupS3Box, iPhone15Pro hold one number, phpMyAdmin turns twice)."""
    between = sum(1 for _ in _DIGITS_BETWEEN_LETTERS_ANY.finditer(word))
    if between >= 2:
        return any(c.isupper() for c in word) and any(c.islower() for c in word)
    letters = word.translate(_NO_DIGITS)
    return (
        between == 1
        and len(_CAPITAL_AFTER_SMALL.findall(letters)) >= 3
        and _THREE_SMALL_LETTERS.search(letters) is None  # LaMaisonDuVélo2Roues: words, written in camel case
    )


_NO_DIGITS = str.maketrans("", "", "0123456789")
_THREE_SMALL_LETTERS = re.compile(r"[^\W\d_A-ZÀ-ÖØ-Þ]{3}")


# Digits between letters, each run counted (the letters after one are the letters before the next)
_DIGITS_BETWEEN_LETTERS_ANY = re.compile(r"(?<=[^\W\d_])\d+(?=[^\W\d_])")


def _word_before_digits(word: str, found: re.Match[str]) -> bool:
    """Whether the digits ``found`` between letters in ``word`` (an association's or a note's) follow a word, as a
    password's number does (Lilas2024x, velo75paris, Passw0rd): three letters or more of the same case after the
    first (not a1b2c3, a slug's), not ending with a capital after a small letter with a capital or a unit in capitals
    after the digits (backupS3Box, Radio97FM: a brand's), not hexadecimal alone (deadbeef12cafe: a hash)."""
    before, digits, after = found.groups()
    if _HEXADECIMAL_WORD.fullmatch(word):
        return False
    if len(before) < 3:
        # S3cretPw, P4ssw0rd: a capital and its digit inside a word of small letters, a leet password's
        return before[0].isupper() and after[0].islower()
    # Radio97FM, Studio3D, backupS3Box: a unit or an acronym's letters after the digits or before them; Bureau12B,
    # Porte104C: a room's or a door's number, one to three digits, its letter ending the word (not a year: Lilas2024X)
    room = len(after) == 1 and len(digits) <= _ORDINAL_DIGITS and found.end() == len(word)
    unit = after.isupper() and (len(after) >= 2 or len(digits) == 1 or room)
    return not (after[0].isupper() and (unit or before[-1].isupper()))


_HEXADECIMAL_WORD = re.compile(r"[0-9a-f]+|[0-9A-F]+")


def _capitals_inside(word: str, *, person: bool) -> bool:
    """Whether ``word`` holds a capital after a lowercase letter (its digits left out: Pass1Word) and digits that are
    not a number of a name at its end (:func:`pic.secrettext.named_with_a_number`); of an association's name (not
    ``person``), only with digits at its end (backupS3Access is a brand's)."""
    if not (person or word[-1].isdigit()):
        return False
    letters = "".join(c for c in word if not c.isdigit())
    return _CAPITAL_AFTER_SMALL.search(letters) is not None and not secrettext.named_with_a_number(word)


def no_password_in_a_name(name: str, *, person: bool = True) -> str:
    """``name``, a person's (a contact's) or an association's (a member's, not ``person``), unless one of its words
    is shaped as a password (:func:`_password_in_a_name`): both are printed in reports, warnings and messages."""
    # the usual name: no word to read (each character asked through map, not a generator: half the instructions)
    if person and (name.isalpha() or not any(map(str.isdigit, name))):
        return name
    # an association's name goes to its words at once: reading each letter for a digit, or one search of the name,
    # costs more than the words of the usual one (Association numéro 12: 4,200 instructions, 7,300 with a search)
    for n, word in enumerate(name.split(), 1):
        if word.isalpha() or word.isdigit():
            continue  # letters alone or digits alone, the usual words (Contact 12): no password's shape to read
        # an association's name: only a word typed as passwords are (Lilas2024x!), see above, each of words joined
        # by & or + (Art&Culture2024) read alone
        parts = [word] if person else _WORDS_JOINED.split(word)
        for part in parts:
            bare = part.strip(_AROUND_A_NAME_WORD)
            read = person or _TYPED_AS_A_PASSWORD.fullmatch(bare) or secrettext.common_password(bare)
            if read and (shape := _password_in_a_name(part, person=person)) is not None:
                raise SubfieldError((), _password_in_a_name_told(n, shape, bare, person=person), names_value=True)
    return name


def _password_in_a_name_told(n: int, shape: _Shape, word: str, *, person: bool) -> str:
    """What a name holding ``word``, its word number ``n``, shaped as a password (``shape``) is told."""
    whose = "a person's" if person else "an association's"
    alone = "the contact's name" if person else "the association's name"
    return (
        f"the name (not shown) holds a word (word {n}) shaped as a password, not as {whose} name: "
        f"{_shape_told(shape, word)}; write {alone} alone (a sign after a name's number apart from it: GO 2025!). If "
        "the word is a password, change it: committed with this file, it stays in the repository's history"
    )


class Contact(_Strict):
    name: DisplayName = Field(min_length=1, max_length=120)
    email: Email
    language: Literal["fr", "en"] = Field(
        default="fr", description="Language of the messages the admins send to this contact (fr: French, en: English)."
    )

    # a word shaped as a password read by the member's file (MemberSpec._contact): as a person's name, or as an
    # association's when it is the association's own (pic new writes it as its contact's)
    _no_secret = field_validator("name")(classmethod(lambda cls, v: no_secret_in_prose(v)))


_CHARSET_ENUM: list[JsonValue] = [*sorted(charsets.CHARSETS), "none"]
_PHP_KEYS: list[JsonValue] = [*sorted(phpini.RULES)]


# Top-level domains on the browsers' HSTS preload list as a whole (Chromium's
# transport_security_state_static.json; Google Registry's since .foo): no http site there.
HSTS_PRELOADED_TLDS = frozenset(
    ["android", "app", "bank", "boo", "chrome", "dad", "day", "dev", "esq", "foo", "gle", "google", "ing",
     "insurance", "meme", "mov", "new", "nexus", "page", "phd", "play", "prof", "rsvp", "youtube", "zip"]
)  # fmt: skip


class Site(_Strict):
    domains: list[Domain] = Field(min_length=1, max_length=20)
    php: PhpKey = Field(
        description='A runtime key of the stack settings ("8.3"), or "none" for a static site. Quote it.'
    )
    https: bool = True
    charset: str | None = Field(
        default=None,
        description="Static sites: the charset text files are served with (an IANA name such as iso-8859-1), "
        'or "none" for no charset parameter; utf-8 when unset.',
        json_schema_extra={"enum": _CHARSET_ENUM},
    )
    # Any value reaches the registry's check (Registry.php_settings), which says in one message
    # what is wrong with it; the schema gives each key its type and bounds.
    php_settings: dict[str, Any] = Field(
        default_factory=empty_dict,
        max_length=len(phpini.RULES),
        description="PHP sites: PHP ini settings of the site, from an allow-list with bounds (docs/REGISTRY.md).",
        json_schema_extra={
            "propertyNames": {"enum": _PHP_KEYS},
            "properties": phpini.json_schemas(),
            "additionalProperties": False,
        },
    )

    _unique_domains = field_validator("domains")(classmethod(lambda cls, v: unique_items(v)))

    @field_validator("https")
    @classmethod
    def _reachable_over_http(cls, https: bool, info: ValidationInfo) -> bool:
        """A site without https is unreachable in browsers under a top-level domain they reach over https
        only (the HSTS preload list holds it whole)."""
        preloaded = [d for d in info.data.get("domains") or [] if d.rpartition(".")[2] in HSTS_PRELOADED_TLDS]
        if not https and preloaded:
            tld = preloaded[0].rpartition(".")[2]
            raise ValueError(
                f"leaves the site unreachable: browsers reach {preloaded[0]} over https only (.{tld} is on their "
                "HSTS preload list, hstspreload.org); keep https"
            )
        return https

    @field_validator("charset")
    @classmethod
    def _charset(cls, value: str | None) -> str | None:
        if value is None or value == "none" or value in charsets.CHARSETS:
            return value
        meant = meant_among(value, [*charsets.CHARSETS, "none"]) or charsets.named_otherwise(value)
        allowed = (
            "is not a charset name served to browsers: use an IANA name in lowercase "
            'such as utf-8, iso-8859-1, iso-8859-15 or windows-1252 (docs/REGISTRY.md lists them), or "none"'
        )
        raise Refusal(allowed + (f"; did you mean {meant!r}?" if meant is not None else ""), [allowed])

    @property
    def static(self) -> bool:
        return self.php == "none"


_COMMENT_WORD = re.compile(r"[A-Za-z0-9_.@+-]{1,39}")
_ACCESS_KEY = LazyPattern(secrettext.ACCESS_KEY)


def _plain_comment(comment: str) -> bool:
    """Whether a key's comment is one word of ``[A-Za-z0-9_.@+-]``, shorter than a base64 run the rules decode and
    holding no access key (pic.secrettext.ACCESS_KEY): none of pic.secrettext's other forms can match it (each needs
    a space, '=', ':', a quote, '?' or such), so the usual comment (marie@laptop) is not run through them all. The
    access key is looked for only in a comment holding one of the words it needs (pic.secrettext.ACCESS_KEY_NEEDS,
    in lower case: the comment is ASCII), as pic.secrettext looks for it: most comments hold none."""
    if _COMMENT_WORD.fullmatch(comment) is None:
        return False
    folded = comment.lower()
    for word in secrettext.ACCESS_KEY_NEEDS:
        if word in folded:
            return _ACCESS_KEY.search(comment) is None
    return True


class Access(_Strict):
    sftp_keys: list[SshKey] = Field(default_factory=empty_list, max_length=20)
    ssh: bool = False

    @field_validator("sftp_keys")
    @classmethod
    def _no_secret_in_a_comment(cls, keys: list[str]) -> list[str]:
        """A key's line goes whole into the member's authorized_keys, an input of its space's resource: a
        comment that reads as a secret (``password=...``) is refused by the policy pack's no-plaintext-secret
        there, which would stop every preview (the same rules: pic.secrettext). A comment is written by people
        too: one holding a secret as prose can (``mot de passe Azerty123``, pic.secrettext.prose_secret), which
        the pack lets through, would still be committed with the file. The key is not shown."""
        for i, key in enumerate(keys):
            # the key's type and comment as the line has them; its base64 data decodes to no secret text
            words = key.split(" ", 2)
            plain = len(words) < 3 or _plain_comment(words[2])
            kind = None if plain else secrettext.secret_kind(f"{words[0]} {words[2]}")
            if kind is not None:
                raise SubfieldError(
                    (i,),
                    f"the key (not shown) has a comment that reads as {kind}, which would sit in this file, in the "
                    "hosts' authorized_keys and the deployment's previews; the policy pack refuses it "
                    "(no-plaintext-secret), stopping every preview: give a comment of plain words such as "
                    "marie@laptop",
                    names_value=True,
                )
            prose = None if plain else secrettext.prose_secret(words[2])
            if prose is not None:
                raise SubfieldError(
                    (i,),
                    f"the key (not shown) has a comment that holds {prose[0]}, which would be committed in clear "
                    "with this file, stay in the repository's history and sit in the hosts' authorized_keys: give a "
                    "comment of plain words such as marie@laptop; if a commit already holds it, change the secret",
                    names_value=True,
                )
        return keys


class Lists(_Strict):
    domain: Domain
    dmarc: Literal["none", "quarantine", "reject"] = "none"


MAX_CRON_JOBS = 10
MAX_CRON_TIMEOUT = 3600  # seconds: one hour; a job that needs longer is a task for the admins
DEFAULT_CRON_TIMEOUT = 300


@dataclass(frozen=True)
class _ScheduleForm(Whole):
    """:class:`Whole` for a cron schedule: a crontab(5) spelling the schedules do not take is told by the part at
    fault and the schedule to write (:func:`pic.cron.refused_form`)."""

    def check(self, value: str) -> str:
        from pic import cron  # the cron commands' reading: loaded for the members with cron jobs

        told = cron.refused_form(value)
        if told is not None:
            raise Refusal(told)
        return super().check(value)


CronSchedule = Annotated[str, _ScheduleForm(CRON_PATTERN, CRON_WORDS)]


class CronJob(_Strict):
    """A scheduled command run as the member in its site's container (pic.cron)."""

    schedule: CronSchedule = Field(
        description="hourly, daily, weekly (at a minute and hour the platform picks), "
        'or five cron fields such as "*/15 * * * *"'
    )
    command: OneLine = Field(
        min_length=1,
        max_length=1000,
        description="A shell command, run by sh in the site's container as the member, in www/ (e.g. php wp-cron.php)",
    )
    timeout: int = Field(
        default=DEFAULT_CRON_TIMEOUT,
        ge=1,
        le=MAX_CRON_TIMEOUT,
        description=f"Seconds after which the job is stopped (at most {MAX_CRON_TIMEOUT}).",
    )

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        from pic import cron

        return cron.check_expression(value)

    @field_validator("command", mode="before")
    @classmethod
    def _one_line(cls, value: object) -> object:
        # before the free text's own check, which would refuse them without saying how to write the command
        from pic import cron

        return cron.check_one_line(value) if isinstance(value, str) else value

    @field_validator("command")
    @classmethod
    def _command(cls, value: str) -> str:
        kind = secrettext.secret_kind(value)
        if kind is not None:
            # the policy pack's no-plaintext-secret would refuse it in the job's script, stopping every preview
            holder = None if "URL" in kind else secrettext.secret_holder(value)
            if "URL" in kind:
                # a URL whose query or path is the secret: the whole URL in the file
                example = 'curl -fsS "$(cat ../priv/cron-url)", wget -q -O /dev/null -i ../priv/cron-url'
            elif holder is not None:
                # the option or variable that held it, given the file's content (Matomo's --token-auth=...)
                name, separator = holder
                example = f'{name}{separator}"$(cat ../priv/{name.lstrip("-").lower().replace("_", "-")})"'
            else:
                example = "mysql --defaults-extra-file, curl --netrc-file"
            raise SubfieldError(
                (),
                f"the command (not shown) holds {kind} in plain text, which would sit in this file, in the "
                "deployment's state and previews; the policy pack refuses it (no-plaintext-secret): have the job "
                f"read the secret from a file of the member's priv/ (e.g. {example})",
                names_value=True,
            )
        from pic import cron

        return cron.check_command(value)


class PhpEolException(_Strict):
    until: dt.date = Field(description="Last day the exception holds (YYYY-MM-DD).")
    runtime: GrantedRuntime | None = Field(
        default=None,
        description='The runtime key the exception was granted for ("7.4"), as site.php; '
        "another site.php is not covered by it.",
    )
    reason: OneLine = Field(min_length=3, max_length=500)

    _no_secret = field_validator("reason")(classmethod(lambda cls, v: no_secret_in_a_note(v)))


class Exceptions(_Strict):
    php_eol: PhpEolException | None = None


class Limits(_Strict):
    """Per-member override of the stack's container limits."""

    memory_mb: int | None = Field(default=None, ge=32, le=65536)
    cpus: Cpus | None = None
    pids: int | None = Field(default=None, ge=16, le=32768)
    disk_soft_limit_mb: int | None = Field(
        default=None,
        ge=1,
        le=10_000_000,
        description="Disk use (www/ + db/ + log/, MB) above which the admins are warned.",
    )


class MemberSpec(_Strict):
    """The content of one member file."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        title="pic member file",
        json_schema_extra={"description": "One member association of the host: members/<slug>.yaml"},
    )

    name: RobotTitle = Field(min_length=1, max_length=120)
    contact: Contact
    uid: int = Field(ge=UID_MIN, le=UID_MAX)
    status: Status = "active"
    host: HostName | None = None
    site: Site | None = None
    # made by model_construct, not by calling the model: see pic.settings.Settings.backup
    access: Access = Access.model_construct()
    databases: list[DbShort] = Field(default_factory=empty_list, max_length=5)
    database_charsets: dict[DbShort, charsets.DbCharset] = Field(
        default_factory=empty_dict,
        description="The connection charset of some of the member's databases (short name -> MariaDB charset); "
        "utf8mb4 for the others.",
    )
    lists: Lists | None = None
    exceptions: Exceptions = Exceptions.model_construct()
    limits: Limits | None = None
    cron: list[CronJob] = Field(
        default_factory=empty_list,
        max_length=MAX_CRON_JOBS,
        description="Scheduled commands run as the member in its site's container; output in log/cron.log.",
    )
    notes: MultiLine | None = Field(default=None, max_length=MAX_NOTES)

    _unique_dbs = field_validator("databases")(classmethod(lambda cls, v: unique_items(v)))
    _no_secret_in_notes = field_validator("notes")(
        classmethod(lambda cls, v: None if v is None else no_secret_in_a_note(v))
    )

    @field_validator("contact")
    @classmethod
    def _contact(cls, contact: Contact, info: ValidationInfo) -> Contact:
        """The contact's name read as a person's (no person is named Radio97FM), unless it is the association's
        own name (a contact named as its association, as pic new writes it), read as the member's name is."""
        try:
            no_password_in_a_name(contact.name, person=contact.name != info.data.get("name"))
        except SubfieldError as exc:
            raise SubfieldError(("name",), str(exc), names_value=exc.names_value) from None
        return contact

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        kind = secrettext.secret_kind(value)
        if kind is not None:
            # the name is the title of the member's Sympa robot (robot.conf): the policy pack's
            # no-plaintext-secret would read it as a secret there and stop every preview
            raise SubfieldError(
                (),
                f"the name (not shown) reads as {kind} (a secret written in clear, such as a word like pass, "
                "token or password followed by ':' or '=' and a value, or a program given its password), which the "
                "policy pack (no-plaintext-secret) refuses in the files the name goes into (Sympa's robot.conf), "
                "stopping every preview: write it another way (e.g. 'Pass Sport' rather than ', Pass: Sport')",
                names_value=True,
            )
        # committed with the file as the notes are: what is a secret in any prose (Club, mot de passe est Azerty123),
        # and printed in reports and in the messages to the contact as the contact's name is: a password pasted
        # beside it (Vélo-Cité Lilas2024x!)
        return no_password_in_a_name(no_secret_in_prose(value), person=False)


@dataclass(frozen=True, slots=True)
class Database:
    """One member database: ``<slug with _>_<short>``, its user of the same name, its connection charset."""

    member: str
    short: str
    charset: str = charsets.DB_DEFAULT
    name: str = field(init=False, compare=False, repr=False)  # made once: the checks and builders ask often

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", f"{self.member.replace('-', '_')}_{self.short}")

    @property
    def user(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Member:
    """A validated member: its slug, its file, its spec and its resolved web host.

    ``databases`` and ``sender_domains`` are made with the member (:func:`_databases`,
    :func:`_sender_domains`): the checks across files and the builders read them for every member.
    """

    slug: str
    file: str
    spec: MemberSpec
    host: str
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, compare=False, repr=False)
    # plain values the loader converted, as written (pic.yamlsrc.Document.written)
    written: dict[tuple[str | int, ...], str] = field(default_factory=dict, compare=False, repr=False)
    databases: tuple[Database, ...] = field(init=False, compare=False, repr=False)
    sender_domains: tuple[str, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "databases", _databases(self.slug, self.spec))
        object.__setattr__(self, "sender_domains", _sender_domains(self.spec))

    def line_of(self, *loc: str | int) -> int | None:
        """The line of a field in the member's file, when known."""
        return self.lines.get(loc)

    def shown(self, loc: tuple[str | int, ...], value: object) -> str:
        """``value``, found at ``loc`` of the member's file, for a message: as the file has it."""
        return show_written(self.written, loc, value)

    @property
    def uid(self) -> int:
        return self.spec.uid

    @property
    def status(self) -> Status:
        return self.spec.status

    @property
    def site(self) -> Site | None:
        return self.spec.site

    @property
    def access(self) -> Access:
        return self.spec.access

    @property
    def lists(self) -> Lists | None:
        return self.spec.lists

    @property
    def runtime(self) -> str | None:
        """The PHP runtime key the site runs on, or None (no site, or a static one)."""
        site = self.spec.site
        return None if site is None or site.static else site.php


def _databases(slug: str, spec: MemberSpec) -> tuple[Database, ...]:
    """The member's databases, in the file's order."""
    chosen = spec.database_charsets
    return tuple(Database(slug, short, chosen.get(short, charsets.DB_DEFAULT)) for short in spec.databases)


def _sender_domains(spec: MemberSpec) -> tuple[str, ...]:
    """The domains the member's site may send mail from (pic.render.sitemail), in order, each once.

    Its site domains, a leading ``www.`` dropped unless what remains is a public suffix
    (``www.co.uk`` is a name registered under ``co.uk``, not a web name of it). Empty without a site.
    The checks across files refuse a dropped ``www.`` that leaves another's name (:class:`pic.crosschecks._Cross`).
    """
    if spec.site is None:
        return ()
    out: list[str] = []
    for domain in spec.site.domains:
        bare = domain.removeprefix("www.")
        if bare != domain and (bare.count(".") == 0 or is_public_suffix(bare)):
            bare = domain
        if bare not in out:
            out.append(bare)
    return tuple(out)


@dataclass(frozen=True)
class Registry:
    """Every member, in slug order, and the warnings about the directory (:func:`stray_files`)."""

    members: tuple[Member, ...]
    warnings: tuple[Problem, ...] = ()

    def __iter__(self) -> Iterator[Member]:
        return iter(self.members)

    def __len__(self) -> int:
        return len(self.members)

    def get(self, slug: str) -> Member:
        for m in self.members:
            if m.slug == slug:
                return m
        raise KeyError(slug)


def member_files(members_dir: Path) -> list[Path]:
    """The member files of a directory: ``*.yaml`` not starting with ``_`` or ``.`` (links too: refused on read)."""
    # By name: the paths share their directory, and comparing names is cheaper than comparing paths.
    return [p for p in sorted(members_dir.glob("*.yaml"), key=lambda p: p.name) if not p.name.startswith(("_", "."))]


def member_names(members_dir: Path) -> list[str]:
    """The names of :func:`member_files`, in the same order, from one listing of the directory and without a path
    object per file (``Path.glob`` makes one for each: 25 ms against 6 ms of CPU for 5,000 files, on a loaded
    machine where ``pic check`` of them takes 1.7 s, bench/bench_check.py). Raises OSError when the directory
    cannot be listed (``Path.glob`` lists nothing then); the loader has already told that case
    (:func:`load_registry`)."""
    with os.scandir(members_dir) as entries:
        return sorted(e.name for e in entries if e.name.endswith(".yaml") and not e.name.startswith(("_", ".")))


def stray_files(members_dir: Path, shown_dir: str) -> list[Problem]:
    """Entries of ``members/`` that are not member files, which are never read as members.

    Errors, for what holds or looks like a member: a member whose file was renamed or moved so
    is no longer in the registry, which a reviewer should not learn from ``pulumi up``:

    - a name that looks like a member file's: ``x.yml``, ``X.YAML``, ``x.yaml `` and the copies
      editors, merges and admins leave (``x.yaml~``, ``x.yaml.orig``, ``x.yaml.disabled``);
    - a subdirectory holding ``*.yaml`` or ``*.yml`` files, at any depth (``sub/x.yaml``): member
      files are read directly in ``members/`` only;
    - a regular file of another name whose content is a member file's (``x``, ``x.json``: a
      mapping with ``name``, ``contact`` or ``uid``).

    A warning for anything else (``README.md``, an empty directory, a link named ``x``), never
    opened but for a regular file. Names starting with ``_`` or ``.`` are kept aside without a word.
    """
    out = []
    keep_aside = "start its name with _ to keep it aside"
    with os.scandir(members_dir) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith(("_", ".")) or (name.endswith(".yaml") and name.strip() == name):
                continue
            file = display_in(shown_dir, shown_name(name))
            lower = name.lower()
            if ".yaml" in lower or ".yml" in lower:  # x.yml, X.YAML, x.yaml.orig, x.yaml~, x.yaml.disabled
                why = (
                    "looks like a member file but is not read: a member file is named <slug>.yaml "
                    f"(lowercase .yaml, no spaces); rename it, or {keep_aside}"
                )
            elif entry.is_dir(follow_symlinks=False) and (inside := _yaml_below(Path(entry.path))) is not None:
                why = (
                    f"is a directory holding {shown_name(inside)}, which is not read: member files are read "
                    f"directly in {display_in(shown_dir)} only; move them there, or {keep_aside}"
                )
            elif entry.is_file(follow_symlinks=False) and _holds_a_member(Path(entry.path), file):
                why = (
                    "holds a member file (name, contact, uid) but is not read: a member file is named "
                    f"<slug>.yaml; rename it, or {keep_aside}"
                )
            else:
                out.append(
                    Problem(file, None, "", f"is not a member file (<slug>.yaml): not read; {keep_aside}", "warning")
                )
                continue
            out.append(Problem(file, None, "", why))
    return sorted(out)


_MAX_WALKED = 10_000  # entries of a subdirectory looked at for member files: the first ones tell


def _yaml_below(directory: Path) -> str | None:
    """The path (below ``members/``) of a ``*.yaml`` or ``*.yml`` file under ``directory``, or None.

    Links are not followed; names starting with ``_`` or ``.`` are kept aside, as in ``members/``.
    """
    seen = 0
    for top, dirs, files in os.walk(directory, followlinks=False, onerror=lambda exc: None):
        dirs[:] = sorted(d for d in dirs if not d.startswith(("_", ".")))
        for name in sorted(files):
            if not name.startswith(("_", ".")) and name.lower().rstrip().endswith((".yaml", ".yml")):
                return str(Path(top, name).relative_to(directory.parent))
        seen += len(dirs) + len(files)
        if seen > _MAX_WALKED:
            break
    return None


_MEMBER_MARKS = frozenset(["name", "contact", "uid"])  # the keys every member file has


# The lines of a member file that YAML could not read (Latin-1, a tab, a duplicate key): keys of every
# member file at the start of a line.
_MEMBER_LINE = LazyPattern(r"^(name|contact|uid)[ \t]*:", re.MULTILINE)


def _holds_a_member(path: Path, file: str) -> bool:
    """Whether the regular file ``path`` holds a member: read as :func:`~pic.yamlsrc.read_yaml` reads
    (quietly), a mapping with a key of every member file; or, when YAML cannot read it (a copy saved in
    Latin-1 or UTF-16, with a tab or a duplicate key), lines starting with two of those keys (in its first
    :data:`~pic.yamlsrc.MAX_FILE_BYTES` bytes: a README that explains one key is no member)."""
    doc, _ = read_yaml(path, file)
    if doc is not None:
        return isinstance(doc.data, dict) and not _MEMBER_MARKS.isdisjoint(doc.data)
    # as read_yaml reads it: never a link followed, never blocked on (a FIFO, /proc/kmsg under --members /proc)
    raw, _ = read_regular_file(path, file, MAX_FILE_BYTES, head=True)
    if raw is None:
        return False
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    text = raw.decode("utf-16" if utf16 else "latin-1", errors="replace")
    return len({m.group(1) for m in _MEMBER_LINE.finditer(text)}) >= 2


def stack_names(settings: Settings) -> dict[str, list[str]]:
    """What a member file names of the stack (its web hosts, its runtimes), for the hints of a value not of
    their form (:class:`~pic.validators.NameOf`): none names what the stack lacks."""
    return {"web_hosts": settings.web_hosts, "runtimes": list(settings.runtimes)}


def _parse_member(
    path: Path | str, shown_dir: str, stack: dict[str, Any] | None = None
) -> tuple[Document | None, MemberSpec | None, list[Problem]]:
    doc, problems = _read_member(path, shown_dir)
    if doc is None:
        return None, None, problems
    spec, more = validate_member(doc, stack)
    return doc, spec, problems + more


def _read_member(path: Path | str, shown_dir: str) -> tuple[Document | None, list[Problem]]:
    """A member file parsed, and the problems of its name and its YAML."""
    name = os.path.basename(path)
    file = display_in(shown_dir, shown_name(name))
    slug = name[: -len(".yaml")]
    problems: list[Problem] = []
    # committed: its comments too; a number offered is one the member's field takes
    doc, more = read_yaml(path, file, MEMBER_KEYS, comments=True, numbers=member_number_refusal)
    if doc is None and more and more[0].message.endswith(", not a regular file: it is not read"):
        return None, more  # no member file at all (a directory d.yaml, a FIFO, a dangling link): its name is no slug
    if not is_slug(slug):
        meant = slug_meant(slug)
        length = slug_form_length(slug) if meant is None else None
        hint = f"; did you mean {meant}.yaml?" if meant is not None else f"; {length}" if length else ""
        if meant is not None and os.path.lexists(os.path.join(os.path.dirname(path), f"{meant}.yaml")):
            # renamed so, it would replace that member's file (Vélo-Cité.yaml beside velo-cite.yaml)
            hint = (
                f"; {meant}.yaml, the name in its form, is another member's file already: give this one another "
                "slug, or merge what it holds into that one"
            )
        problems.append(
            Problem(file, None, "", f"file name {show_value(slug)} is not a valid slug: {SLUG_WORDS}{hint}")
        )
    return doc, problems + more


def written_domains(data: object) -> tuple[list[str], list[str]]:
    """The site domains and the list domain a member file's data holds as text (before any check): what the other
    files' hints may not offer (:func:`pic.validators.check_domain_in_context`)."""
    site = data.get("site") if isinstance(data, dict) else None
    domains = site.get("domains") if isinstance(site, dict) else None
    lists = data.get("lists") if isinstance(data, dict) else None
    listed = lists.get("domain") if isinstance(lists, dict) else None
    return [d for d in domains or () if isinstance(d, str)] if isinstance(domains, list) else [], (
        [listed] if isinstance(listed, str) else []
    )


@dataclass(frozen=True, eq=False, repr=False)
class _PlatformDomains:
    """What the platform's names leave no member (pic.crosschecks): its names themselves, any name under those of
    its web interfaces and mail (``platform_sites``), and any name above one of its names (``over_platform``)."""

    names: dict[str, str]
    sites: frozenset[str]
    over: dict[str, tuple[str, str]]
    # the public authority the stack's certificates come from (Let's Encrypt), None for a lab's (internal)
    ca: str | None = None

    def why(self, name: str) -> str | None:
        """Why no member's domain may be ``name``, or None."""
        if name in self.names:
            return self.names[name]
        site = next((s for s in self.sites if name.endswith(f".{s}")), None)
        if site is not None:
            return f"is under {site}, a name of the platform's"
        if name in self.over:
            under, what = self.over[name]
            return f"has {under} under it, which is the platform's: {what}"
        return None

    def unpublished(self, name: str) -> str | None:
        """Why a stack of public certificates refuses ``name`` (pic.crosschecks: ``public_name``,
        ``documentation_names``): under a special-use or unknown top-level domain, or a name IANA holds
        for documentation; the words after the name."""
        if self.ca is None:
            return None
        parent = documentation_domain(name)
        why = public_name_problem(name, self.ca)
        if why is None and parent is not None:
            why = documentation_words(name, parent, self.ca)
        return None if why is None else why.removeprefix(short_repr(name, 80)).lstrip()


def taken_domains(settings: Settings) -> _PlatformDomains:
    """The platform's domains, and why a member's field may not take one (``is reserved for ...``)."""
    from pic.crosschecks import _Cross

    cross = _Cross(settings, settings.where()[0])
    reserved = {
        name: f"is reserved for {owner}" for (space, name), owner in cross.platform.items() if space == "domain"
    }
    return _PlatformDomains(
        reserved,
        frozenset(s for s in cross.platform_sites if isinstance(s, str)),
        dict(cross.over_platform),
        None if settings.tls.ca == "internal" else TLS_CA_NAMES[settings.tls.ca],
    )


def member_number_refusal(loc: tuple[str | int, ...], number: int | float | str) -> str | None:
    """Why the member file's field at ``loc`` refuses ``number`` (:func:`pic.modelerrors.number_refusal`); a PHP
    setting's (``site.php_settings.date.timezone``) as :func:`pic.phpini.problem` tells it, a time zone's a field of
    text's (:data:`pic.yamlsrc.TEXT_FIELD`)."""
    if len(loc) == 3 and loc[:2] == ("site", "php_settings") and (rule := phpini.RULES.get(str(loc[2]))) is not None:
        if rule.kind == "timezone" and not isinstance(number, str):
            return TEXT_FIELD
        if rule.kind == "flag" and not isinstance(number, str):
            return NOT_BOOLEAN
        return phpini.problem(str(loc[2]), number, f'"{number}"' if isinstance(number, str) else str(number))
    return number_refusal(MemberSpec, loc, number)


def validate_member(doc: Document, stack: dict[str, Any] | None = None) -> tuple[MemberSpec | None, list[Problem]]:
    """The member of a parsed file, or the problems of its content (not the checks across files).

    A key written without a value (``site:``, ``limits: ~``, ``notes: null``), at any depth, is
    refused (:func:`empty_keys`): taken as absent, it would turn a part off without a word (a site
    left empty leaves the plan). The model validates the rest, so that every problem is told at once.
    ``stack``: the names of the stack a hint may give (:func:`stack_names`); without it, none is hinted.
    """
    data = doc.data
    what = "a member file is a set of key: value lines (name, contact, uid, ...)"
    if data is None:
        return None, [Problem(doc.file, None, "", f"is empty (or holds only comments): {what}")]
    if not isinstance(data, dict):
        message = f"is not a mapping but {_kind(data)} ({show_value(data)}): {what}"
        return None, [Problem(doc.file, doc.line_of(()), "", message)]
    empty = empty_keys(MemberSpec, data) if doc.nulls else []  # the usual file holds no null: not walked again
    problems = [Problem(doc.file, doc.line_of(loc), format_loc(loc), empty_words(info)) for loc, info in empty]
    if empty:
        data = _without(data, [loc for loc, _ in empty])
    try:
        spec = MemberSpec.model_validate(data, context=stack)
    except ValidationError as exc:
        told = {p.path for p in problems}  # a required key left empty: not "missing" besides
        more = problems_from(exc, doc, MemberSpec, data=data, credentials=False, context=stack)
        return None, problems + [p for p in more if p.path not in told]
    return (None, problems) if problems else (spec, [])


def _kind(value: object) -> str:
    """What a value that is not a mapping is, in words."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, float) and not math.isfinite(value):  # .nan, .inf: floats to YAML, no numbers
        return "YAML's not-a-number value" if math.isnan(value) else "YAML's infinity"
    return "a number" if isinstance(value, int | float) else "a single value"


Loc = tuple[str | int, ...]


def empty_keys(model: type[BaseModel], data: dict[str, Any], loc: Loc = ()) -> list[tuple[Loc, FieldInfo]]:
    """The keys below ``data`` (validated by ``model``) written without a value, with their fields.

    Every field of the model and of its sub-models, in lists too (``cron[0].timeout``). A key the
    model does not know is left to it ("unknown key"), and so is a key of a mapping of free keys,
    whose check says what it takes (``site.php_settings.memory_limit: null is empty (null):
    memory_limit must be ...``).
    """
    out: list[tuple[Loc, FieldInfo]] = []
    fields = _field_kinds(model)
    for key, value in data.items():
        known = fields.get(key)
        if known is None:
            continue
        info, kind, inner = known
        if value is None:
            out.append(((*loc, key), info))
        elif inner is None:
            continue
        elif kind == "model" and isinstance(value, dict):
            out += empty_keys(inner, value, (*loc, key))
        elif kind == "list" and isinstance(value, list):
            out += [
                f
                for i, item in enumerate(value)
                if isinstance(item, dict)
                for f in empty_keys(inner, item, (*loc, key, i))
            ]
        elif kind == "dict" and isinstance(value, dict):
            out += [
                f
                for k, item in value.items()
                if isinstance(item, dict)
                for f in empty_keys(inner, item, (*loc, key, k))
            ]
    return out


_Kind = Literal["model", "list", "dict", "value"]


@cache
def _field_kinds(model: type[BaseModel]) -> dict[str, tuple[FieldInfo, _Kind, type[BaseModel] | None]]:
    """Each field of ``model``: its info, how its value holds a sub-model (itself, as items of a list or
    as values of a mapping), and that sub-model (None when it holds none)."""
    out: dict[str, tuple[FieldInfo, _Kind, type[BaseModel] | None]] = {}
    for name, info in model.model_fields.items():
        annotation = info.annotation
        while typing.get_origin(annotation) in (typing.Union, types.UnionType, typing.Annotated):
            kinds = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            annotation = kinds[0]
        origin = typing.get_origin(annotation)
        kind: _Kind = "list" if origin is list else "dict" if origin is dict else "model"
        inner = typing.get_args(annotation)[-1] if origin in (list, dict) else annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            out[name] = (info, kind, inner)
        else:
            out[name] = (info, "value", None)
    return out


def _is_address(annotation: object, metadata: Iterable[object] = ()) -> bool:
    """Whether a field's type (its annotation, and the metadata pydantic took from it) is :data:`Email`."""
    if typing.get_origin(annotation) is typing.Annotated:
        metadata = [*metadata, *typing.get_args(annotation)[1:]]
    return any(isinstance(m, AfterValidator) and m.func is check_email for m in metadata)


@cache
def _address_fields(model: type[BaseModel]) -> tuple[tuple[str, Literal["one", "list"]], ...]:
    """The fields of ``model`` that hold e-mail addresses (:data:`Email`): one, or a list of them."""
    out: list[tuple[str, Literal["one", "list"]]] = []
    for name, (info, kind, _) in _field_kinds(model).items():
        if kind != "value":
            continue
        annotation = info.annotation
        while typing.get_origin(annotation) in (typing.Union, types.UnionType):
            annotation = next(arg for arg in typing.get_args(annotation) if arg is not type(None))
        if _is_address(annotation, info.metadata):
            out.append((name, "one"))
        elif typing.get_origin(annotation) is list and _is_address(typing.get_args(annotation)[0]):
            out.append((name, "list"))
    return tuple(out)


@cache
def address_paths(model: type[BaseModel]) -> frozenset[tuple[str, ...]]:
    """The names leading to each field of :data:`Email` in ``model`` and its sub-models, the places of list items and
    mapping keys left out (``MemberSpec``: ``{("contact", "email")}``): what :func:`addresses` may find, known
    from the types alone."""
    out: set[tuple[str, ...]] = {(name,) for name, _how in _address_fields(model)}
    for name, (_, _kind, inner) in _field_kinds(model).items():
        if inner is not None:
            out.update((name, *path) for path in address_paths(inner))
    return frozenset(out)


def addresses(model: BaseModel, loc: Loc = ()) -> list[tuple[Loc, str]]:
    """Every e-mail address (:data:`Email`) in ``model`` and its sub-models (in lists and mappings too), with its
    place in the file: the member's contact's (``contact.email``) and any such field the model gains. Sub-models
    holding none (:func:`address_paths`) are not walked."""
    out: list[tuple[Loc, str]] = []
    if not address_paths(type(model)):
        return out
    for name, how in _address_fields(type(model)):
        value = getattr(model, name)
        if how == "one" and isinstance(value, str):
            out.append(((*loc, name), value))
        elif how == "list" and isinstance(value, list):
            out += [((*loc, name, i), item) for i, item in enumerate(value)]
    for name, (_, kind, inner) in _field_kinds(type(model)).items():
        if inner is None or not address_paths(inner):
            continue
        value = getattr(model, name)
        if kind == "model" and isinstance(value, BaseModel):
            out += addresses(value, (*loc, name))
        elif kind == "list" and isinstance(value, list):
            out += [a for i, item in enumerate(value) for a in addresses(item, (*loc, name, i))]
        elif kind == "dict" and isinstance(value, dict):
            out += [a for k, item in value.items() for a in addresses(item, (*loc, name, k))]
    return out


def empty_words(info: FieldInfo) -> str:
    """What to do with a field written without a value."""
    if info.is_required():
        return "is empty (null): give its value (the key is required)"
    default = info.get_default(call_default_factory=True)
    if default is None or default in ([], {}) or isinstance(default, BaseModel):
        return "is empty (null), which is never taken as absent: remove the key to mean none, or give its value"
    return f"is empty (null): remove the key to mean its default ({show_value(default)}), or give its value"


def _without(data: Any, locs: list[Loc]) -> Any:
    """A copy of ``data`` without the keys at ``locs``."""
    out = copy.deepcopy(data)
    for loc in locs:
        parent = out
        for part in loc[:-1]:
            parent = parent[part]
        del parent[loc[-1]]
    return out


def load_registry(members_dir: Path, settings: Settings) -> Registry:
    """Validate every member file and the checks across files; raise PicError listing all problems.

    Python's cyclic garbage collector is paused meanwhile (and restored after, whatever
    happens): loading creates many objects and frees almost none, so each of its passes
    would scan every file read so far for nothing (bench/bench_check.py).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load_registry(members_dir, settings)
    finally:
        if collecting:
            gc.enable()


def _load_registry(members_dir: Path, settings: Settings) -> Registry:
    try:  # stat raises for a directory above that cannot be searched; scandir for one that cannot be listed
        refusal = not_a_directory(members_dir, "directory of member files")
        if refusal is not None:
            raise PicError([path_problem(members_dir, "--members", refusal)])
        os.scandir(members_dir).close()
    except OSError as exc:
        why = f"cannot be read: {exc.strerror or exc}"
        raise PicError([path_problem(members_dir, "--members", why)]) from None
    problems: list[Problem] = []
    members: list[Member] = []
    default_host = settings.default_host
    shown_dir = display_path(members_dir)  # once, not per file: each file is named under it
    problems += stray_files(members_dir, shown_dir)
    stack = stack_names(settings)
    directory = os.fspath(members_dir)
    read = [(name, *_read_member(os.path.join(directory, name), shown_dir)) for name in member_names(members_dir)]
    # the names the platform and each file hold, which a hint of another file's domain does not offer
    taken = _TakenDomains([doc for _, doc, _ in read if doc is not None], settings)
    context = {**stack, "domains": taken}
    for name, doc, more in read:
        problems += more
        if doc is None:
            continue
        taken.doc = doc
        spec, invalid = validate_member(doc, context)
        problems += invalid
        if spec is None or more or invalid:
            continue
        slug = name[: -len(".yaml")]
        members.append(Member(slug, doc.file, spec, spec.host or default_host, doc.lines, doc.written))
    from pic.crosschecks import cross_checks

    problems += cross_checks(members, settings)
    if any(p.severity == "error" for p in problems):
        raise PicError(_uids_offered_taken(problems, members))
    return Registry(tuple(members), tuple(sorted(problems)))


def domains_taken(members_dir: Path, settings: Settings) -> _TakenDomains:
    """The names a hint of a new file's domains may not offer (:func:`pic.validators.check_domain_in_context`):
    the platform's and those the member files of ``members_dir`` write, as :func:`load_registry` tells each file
    (``pic new``). Raises OSError when the directory cannot be listed."""
    directory = os.fspath(members_dir)
    shown_dir = display_path(members_dir)
    docs = [_read_member(os.path.join(directory, name), shown_dir)[0] for name in member_names(members_dir)]
    return _TakenDomains([doc for doc in docs if doc is not None], settings)


class _TakenDomains:
    """The names a hint of a file's domains may not offer, with why (:func:`pic.validators.check_domain_in_context`):
    the platform's and those the other files write, and the file's own site domains (``doc``: the file being
    validated). Made at the first name asked about: the usual registry, whose domains are all written as they
    should be, asks none (the tables of every file's names cost a check of 5,000 members 2 % of its instructions)."""

    __slots__ = ("_docs", "_holders", "_platform", "_settings", "doc")

    def __init__(self, docs: list[Document], settings: Settings) -> None:
        self._docs = docs
        self._settings = settings
        self._holders: dict[str, list[str]] | None = None
        self._platform: _PlatformDomains | None = None
        self.doc: Document | None = None

    def get(self, name: str) -> str | None:
        """Why ``name`` may not be offered to the file being validated, or None."""
        if self._platform is None or self._holders is None:
            self._platform = taken_domains(self._settings)
            self._holders = {}
            for doc in self._docs:
                for domain in (*(written := written_domains(doc.data))[0], *written[1]):
                    self._holders.setdefault(domain, []).append(doc.file)
        why = self._platform.why(name)
        if why is not None:
            return why
        other = self._other(name)
        if other is not None:
            return f"is already used by {other}"
        # the checks across files (pic.crosschecks: senders, under_another): www.X sends mail as X, no other's name; a
        # name under another's, or under X of another's www.X, is refused
        bare = name.removeprefix("www.")
        if bare != name and not is_public_suffix(bare) and (other := self._other(bare)) is not None:
            return f"lets the site send mail as {bare} (mail drops the www.), which is used by {other}"
        if (other := self._other(f"www.{name}")) is not None and not is_public_suffix(name):
            return f"is the name the site www.{name} of {other} sends mail as"
        parent = name
        while parent.count(".") > 1:
            parent = parent.partition(".")[2]
            other = self._other(parent)
            if other is None and not is_public_suffix(parent):
                other = self._other(f"www.{parent}")
            if other is not None:
                return f"is under {parent}, which is used by {other}: a member's names are its own, not under another's"
        return self._platform.unpublished(name)

    def _other(self, name: str) -> str | None:
        """Another file that writes ``name``, or None."""
        file = self.doc.file if self.doc is not None else None
        return next((holder for holder in (self._holders or {}).get(name, ()) if holder != file), None)

    def site_domains(self) -> list[str]:
        """The site domains the file being validated writes (before any check)."""
        return written_domains(self.doc.data)[0] if self.doc is not None else []


# A uid offered for one written otherwise (10600.0, 1_0600: "write 10600, without a decimal point"), up to the end
# of how to write it
_UID_OFFERED = re.compile(r"write ([0-9]+)(?:,? without [^;:()]*)?")


def _uids_offered_taken(problems: list[Problem], members: list[Member]) -> list[Problem]:
    """``problems`` where a uid a file's own check offers (``write 10600``) is another member's: told so instead,
    never offered (the check of one file knows no other)."""
    held = {m.spec.uid: m for m in members}
    out = []
    for problem in problems:
        found = _UID_OFFERED.search(problem.message) if problem.path == "uid" and problem.severity == "error" else None
        holder = held.get(int(found[1])) if found is not None else None
        if found is None or holder is None or holder.file == problem.file:
            out.append(problem)
            continue
        line = holder.line_of("uid")
        place = holder.file if line is None else f"{holder.file}:{line}"
        told = f"it reads as {found[1]}, which is already used by {place}: give a uid of its own"
        out.append(replace(problem, message=problem.message[: found.start()] + told + problem.message[found.end() :]))
    return out


def read_members(members_dir: Path, default_host: str) -> tuple[Registry, list[Problem]]:
    """The members whose files pass this revision's checks of one file, and the problems of the others.

    The checks across files are not made: ``pic plan --against`` reads a revision's member files under the
    rules of the working tree, which may refuse what the revision accepted (a later check, an older contract);
    what can be read is compared rather than nothing, and the files that cannot be are named.
    """
    members: list[Member] = []
    problems: list[Problem] = []
    shown_dir = display_path(members_dir)
    for path in member_files(members_dir):
        doc, spec, more = _parse_member(path, shown_dir)
        if doc is None or spec is None or more:
            problems += more or [Problem(display_in(shown_dir, shown_name(path.name)), None, "", "cannot be read")]
            continue
        slug = path.name[: -len(".yaml")]
        members.append(Member(slug, doc.file, spec, spec.host or default_host, doc.lines, doc.written))
    return Registry(tuple(members)), sorted(problems)


def _model_keys(model: type[BaseModel]) -> frozenset[str]:
    """Every key name of ``model`` and its sub-models (for the same-line key check of the YAML loader)."""
    out: set[str] = set()
    for name, info in model.model_fields.items():
        out.add(name)
        inner = _unwrap(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            out |= _model_keys(inner)
    return frozenset(out)


MEMBER_KEYS = _model_keys(MemberSpec)

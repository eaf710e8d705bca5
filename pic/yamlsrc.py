"""YAML loading that remembers where each value came from, and refuses what surprises.

PyYAML (with libyaml when available) builds the node tree; we walk it once to
build the data, record the line of every key and list item, and refuse:
- duplicate keys, which plain YAML loaders silently overwrite;
- aliases (``*name``): a few nested ones expand to billions of values (the
  "billion laughs"), and hand-written registry files never need them;
- merge keys (``<<``), which would bring keys in behind the duplicate check;
- a second ``key:`` written after a value on the same line (``name: X uid:1``
  is one string to YAML);
- a key that is not text (``1:``, ``true:``, ``2026-01-01:``, ``? [a, b]``):
  every key of the files is a name;
- an explicit tag (``!!binary``, ``!!set``, ``!!int "x"``, ``!foo``): it builds
  values no field takes, or fails inside the loader (one that only repeats the
  value's own tag, ``!!int 10042``, changes nothing and is accepted);
- a number written with more than :data:`MAX_NUMBER_CHARS` characters: no
  field takes one, and Python refuses to convert the longest;
- characters YAML refuses or reads otherwise than editors do, found before
  parsing with their line and column: control characters (C0 but tab, line feed
  and carriage return; DEL; C1, NEL U+0085 included), the line and paragraph
  separators U+2028 and U+2029 (YAML 1.1, which PyYAML follows, counts NEL,
  U+2028 and U+2029 as line breaks: lines would be numbered otherwise than in
  an editor, and a value split), a byte-order mark after the start, the
  noncharacters U+FFFE and U+FFFF, and bytes that are not UTF-8.

Numbers follow the YAML 1.2 core schema (yaml.org/spec/1.2.2 §10.3.2), not
PyYAML's YAML 1.1: ``2:46:40`` (base 60 in 1.1) and ``1_000`` are strings,
``0o17`` and ``0x1F`` are integers, and an integer written with a leading zero
(``023420``: octal in 1.1, decimal in 1.2) is refused as ambiguous. Booleans
keep YAML 1.1's spellings (``yes``/``no``/``on``/``off`` besides
``true``/``false``), which every field of type boolean reports by name when it
is not one. Dates ``YYYY-MM-DD`` stay dates.

Files are read by :func:`read_regular_file`: a regular file only, never
through a symbolic link, never blocking on a FIFO or device, under a size cap.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import decimal
import difflib
import errno
import itertools
import math
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml import MappingNode, ScalarNode

from pic.errors import (
    HIDDEN_LINE,
    HIDDEN_VALUE,
    TOLD_PER_KIND,
    Problem,
    first_of_each_kind,
    reads_as_secret,
    refused_may_be_secret,
    shaped_as_password,
    show_value,
    shown_key,
    shown_name,
    terminal_safe,
)
from pic.lazyre import LazyPattern
from pic.yamlloader import (
    MAP,
    NULL,
    PLAIN,
    RESOLVERS,
    SEQ,
    STR,
    WILDCARD_RESOLVERS,
    YAML_TAG,
    Loader,
    yaml_readings,
)

Loc = tuple[str | int, ...]
# Why the field at a place refuses a number (``out of range too (must be at least 1)``), None when it takes it: a
# number a message offers is one the field takes (the model's, :func:`pic.modelerrors.number_refusal`); given the text
# a number was written with ("0189"), why the field refuses that text, None when it takes it (asked of a text field)
NumberRefusal = Callable[[Loc, int | float | str], str | None]

MAX_FILE_BYTES = 256 * 1024  # a member file is a few hundred bytes; a stack file a few kilobytes
MAX_NUMBER_CHARS = 50  # the longest number of the files is a uid or a port (5 digits)
_LEADING_ZERO = "an integer with a leading zero"
# How a field of the days' names refuses a number cron numbers no day with (pic.modelerrors.number_refusal's)
_NO_DAY = "cron numbers the days 0 to 7"
# How a field refuses a number out of its range (pic.modelerrors.number_refusal's: ``is out of range too (...)``)
_OUT_OF_RANGE = "is out of range"
# How a field of text refuses a number (pic.modelerrors.number_refusal's)
TEXT_FIELD = "is not text: the field takes text"
# How a yes/no field refuses a number (pic.modelerrors.number_refusal, a PHP flag's)
NOT_BOOLEAN = "is not true or false"


def _plain_tag(value: str) -> str:
    """The tag of a plain scalar's text, as PyYAML's ``BaseResolver.resolve`` gives it for this loader."""
    for tag, regexp in RESOLVERS.get(value[:1], WILDCARD_RESOLVERS):
        if regexp.match(value):
            return tag
    return STR


def _int12(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)


def _float12(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node)).lower()
    if text.endswith((".inf", ".nan")):
        return float(text.replace(".", ""))
    return float(text)


_FLOAT = f"{YAML_TAG}float"


def _float_read_as(text: str) -> str | None:
    """The float a plain number ``text`` is read as, when it is not the number written (more digits than a float
    keeps: 1.000000000000000001 is 1.0, 1e-400 is 0.0), else None (0.1, 1e3, an infinity, a number too large, which
    are told otherwise)."""
    try:
        written = decimal.Decimal(text.replace("_", ""))
    except decimal.InvalidOperation:
        return None
    read = float(written) if written.is_finite() else math.nan
    if not math.isfinite(read) or decimal.Decimal(repr(read)) == written:
        return None
    return repr(read)


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        value: object = yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)
    return value


_BOOLS: dict[str, bool] = yaml.SafeLoader.bool_values
# The value of a scalar by its tag (the tags _plain_tag gives; strings are the node's text):
# the functions PyYAML's SafeConstructor applies, with the YAML 1.2 numbers above.
_BUILD: dict[str, Callable[[yaml.SafeLoader, yaml.ScalarNode], object]] = {
    f"{YAML_TAG}null": lambda loader, node: None,
    f"{YAML_TAG}bool": lambda loader, node: _BOOLS[node.value.lower()],
    f"{YAML_TAG}int": _int12,
    f"{YAML_TAG}float": _float12,
    f"{YAML_TAG}timestamp": _timestamp,
}


@dataclass
class Document:
    """A parsed YAML file: its data, the line of each key or item, and how each plain scalar that
    YAML reads as other than text (a number, a boolean, null, a date) was written (``0x10``,
    ``1e3``, ``On``): errors show a value as the file has it, not as the loader converted it."""

    file: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    written: dict[Loc, str] = field(default_factory=dict)
    # whether the data may hold a null (``~``, ``null``, nothing after a key): the walk knows, else it may
    nulls: bool = True

    def shown(self, loc: Sequence[str | int], value: object) -> str:
        """``value``, found at ``loc``, for a message: as written in the file when it was converted."""
        return show_written(self.written, loc, value)

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """The line of the deepest known prefix of ``loc``."""
        key = tuple(loc)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), None)


_KEY_SHOWN = 60  # characters of one key in a field path


def _schema_name(key: str) -> bool:
    """Whether ``key`` is written as the schemas name theirs (site, php_settings, database_charsets, ipv6): an
    identifier in small letters, no letter after a digit (a key holding a capital or words around a number may be a
    password's shape, Lilas2024x, velo75paris, read before it is shown). Without a pattern: every field is named so."""
    return (
        key.isidentifier()
        and key == key.lower()
        and not any(digit.isdigit() and letter.isalpha() for digit, letter in itertools.pairwise(key))
    )


# A setting's name in camelCase, as Pulumi's keys are (backupS3SecretAccessKey, mistyped backupS3SecretAccesKey): a
# word in small letters, then words each a capital and small letters, or a capital and a digit (S3): no password's
# shape (Lilas2024x starts with a capital, velo75Paris holds a number of two digits)
_CAMEL_CASE_NAME = LazyPattern(r"[a-z]{2,}(?:[A-Z][a-z]+|[A-Z][0-9])+")
# The marks of a tag written before a value (!x, !!str): what a password's shape is read without (!Lilas2024x)
_TAG_MARK = LazyPattern(r"(?<!\S)!+")
HIDDEN_KEY = "(a key not shown)"


def shown_loc(loc: Sequence[str | int]) -> str:
    """The field ``loc`` as a problem names it (:func:`format_loc`), a key that reads as a secret (a pasted
    ``mdp : Azerty123:``, pic.secrettext.reads_as_secret), holds one beside its name (``main Lilas2024x!:``,
    pic.secrettext.password_beside) or is shaped as one (``Lilas2024x:``, ``velo75paris:``, ``Soleil-Azur-75:``,
    pic.secrettext.password_part: a key no schema has, read as a value is) written :data:`HIDDEN_KEY`; a key naming a
    public thing (:func:`is_public_name_field`: a database's short name) when shaped as a password as such a name
    is not (pic.secrettext.public_name_hidden: ``Lilas2024x``; not ``Prod2024``)."""
    if all(isinstance(part, int) or _schema_name(part) for part in loc):
        return format_loc(loc)  # names (uid, site, php_settings): no secret
    # (named otherwise: this module's reads_as_secret is pic.errors')
    from pic.secrettext import password_beside, password_part, public_name_hidden
    from pic.secrettext import reads_as_secret as text_reads_as_secret

    def hidden(at: int, part: str | int) -> bool:
        if isinstance(part, str) and is_public_name_field(loc[:at]):
            return public_name_hidden(part)  # a public name's key (database_charsets: {Prod2024: ...}): as its value
        return isinstance(part, str) and (
            # (each password's shape holds a digit: a key without one is not read for it, nothing compiled)
            (
                any(ch.isdigit() for ch in part)
                and password_part(part)
                and _CAMEL_CASE_NAME.fullmatch(part.rpartition(":")[2]) is None
            )
            or text_reads_as_secret(part)
            or password_beside(part, key=True)
        )

    return format_loc(tuple(HIDDEN_KEY if hidden(at, p) else p for at, p in enumerate(loc)))


# A number in base 16 or 8 from this value on has more digits than any field takes (30)
_KEY_SIZED = 10**30


def key_shaped_number(text: str) -> bool:
    """Whether ``text``, a number YAML 1.2 reads in base 16 or 8, has more digits than any field takes: it may be a
    key as it is written (0x and 40 or 64 hexadecimal digits) pasted at a number's line, which a message does not
    show."""
    if text[:2] not in ("0x", "0o"):
        return False
    try:
        return int(text[2:], 16 if text[1] == "x" else 8) >= _KEY_SIZED
    except ValueError:
        return False


def _mixed_case_hex(text: str) -> bool:
    """:func:`pic.secrettext.mixed_case_hex` of ``text`` (imported when a value is to be shown)."""
    from pic.secrettext import mixed_case_hex

    return mixed_case_hex(text)


def show_written(written: dict[Loc, str], loc: Sequence[str | int], value: object) -> str:
    """``value`` for a message: the text the file has at ``loc`` when the loader converted it
    (:attr:`Document.written`, shown unquoted, as written, an integer in base 16 or 8 with its value:
    ``0o20550 (8552)``), else :func:`show_value`; :data:`HIDDEN_VALUE` when it
    reads as a secret (pic.secrettext.reads_as_secret: text, a list or a mapping holding such text), or is a number
    written as a password is (in hexadecimal mixing capitals and small letters, ``0xCafe1234``:
    :func:`pic.secrettext.mixed_case_hex`) or as a key (:func:`key_shaped_number`), or may be a password refused
    (:func:`pic.secrettext.password_part`: ``Lilas2024x``, ``[velo75paris]``, ``{Soleil-Azur-75: 1}``; a list
    or a mapping holding a number so written, ``[0xCafe1234]``); in a public name's field
    (:func:`is_public_name_field`), when :func:`pic.secrettext.public_name_hidden` reads it so (``Lilas2024x``; not
    ``Prod2024``)."""
    text = written.get(tuple(loc))
    if not isinstance(value, int | float | bool | None | dt.date):  # text, a list or a mapping
        from pic.secrettext import public_name_hidden
        from pic.secrettext import reads_as_secret as text_reads_as_secret

        # a public name (a domain, a database's, a host's user): hidden only when shaped as a password
        public = isinstance(value, str) and is_public_name_field(loc)
        if (
            public_name_hidden(value)
            if isinstance(value, str) and public
            else text_reads_as_secret(value) or _password_shaped(value) or _numbers_as_passwords(written, loc, value)
        ):
            return HIDDEN_VALUE
    if not text or isinstance(value, list | dict):  # unknown, or nothing written (null)
        return show_value(value)
    if isinstance(value, int | float) and (
        key_shaped_number(text) or (("0x" in text or "0X" in text) and _mixed_case_hex(text))
    ):
        return HIDDEN_VALUE  # nor told in decimal (0xCafe1234 is 3405648436), the password written again
    text = terminal_safe(text, keep="")
    text = text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."
    if isinstance(value, bool) and text not in ("true", "false"):
        return f"{text} (YAML reads {show_value(value)})"  # YAML 1.1's yes/no/on/off
    if isinstance(value, int) and not isinstance(value, bool) and text[:2] in ("0x", "0o"):
        return f"{text} ({value})"  # YAML 1.2's hexadecimal and octal: 0o20550 is 8552
    return text


_SHOWN_CHARS = 80  # as show_value's limit


def _numbers_as_passwords(written: dict[Loc, str], loc: Sequence[str | int], value: object) -> bool:
    """Whether ``value``, a list or a mapping at ``loc``, holds a number written as a password is (``[0xCafe1234]``,
    shown 3405648436 otherwise) or as a key (:func:`key_shaped_number`), as ``written`` has them."""
    if not isinstance(value, list | dict):
        return False
    depth = len(loc)
    inner = [t for at, t in written.items() if len(at) > depth and at[:depth] == tuple(loc)]
    return any(key_shaped_number(t) or (("0x" in t or "0X" in t) and _mixed_case_hex(t)) for t in inner)


def _password_shaped(value: object) -> bool:
    """Whether a text of ``value`` (itself, or of a list or a mapping, keys included) is shaped as a password
    (:func:`pic.secrettext.password_part`: ``Lilas2024x``, ``velo75paris``, ``Soleil-Azur-75``, ``0xCafe1234``)."""
    from pic.secrettext import password_part, texts_of

    return any(password_part(text) for text in texts_of(value))


# Secrets in a stack file: Pulumi writes them as ``KEY: {secure: CIPHERTEXT}``; a value written there by hand, or
# under a key named for a secret (``pic:dbAdminPassword: ...``, ``mysql:password``), may be the secret itself.
# A message names such a field and says what is wrong, never quoting the value or its line. Compiled at import:
# every stack file's settings are read for a secret's name (pic.settings, a secret written inside a setting).
_SECRET_NAME = re.compile(
    r"pass(?:word|wd|phrase)|mot.?de.?passe|secret(?!ar[iy])|private_?key|ssh_?key|access_?key|api_?key|key_?material|token",
    re.IGNORECASE,
)
_SECRET_LINE = LazyPattern(rf"(?:^|[\s{{,])secure\s*:|{_SECRET_NAME.pattern}", re.IGNORECASE)
# A name's words: camelCase, snake_case, kebab-case, dotted (dbAdminPasword: db, admin, pasword).
_NAME_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# Words that name a password whatever their slip (pasword, passwort, passw0rd, paswd, passwrod): a letter off,
# doubled, dropped or swapped (a 0 for an o); not passed, passport nor passage. secret is not among them: its
# slips are words of their own (secure).
_SECRET_WORDS = ("password", "passwd", "passphrase")
# Short words that name one as the name's last word only (db_pass, adminPwd; not passThrough).
_SECRET_LAST_WORDS = frozenset({"pass", "pwd", "pw", "pswd", "mdp"})
# A key written on a line (``mysql:pasword: ...``, ``pasword=``): its name, to read as a secret's.
_KEY_ON_LINE = LazyPattern(r"([A-Za-z][\w.-]*)\s*[:=]")


@lru_cache(maxsize=4096)
def secret_name(name: str) -> bool:
    """Whether a key's name reads as a secret's: ``secure``; one holding password, passwd, passphrase, secret (not
    secretary nor secretariat, an office), a private, ssh, access or API key, key material or a token, in any case;
    one whose last word is pass, pwd, pw,
    pswd or mdp (``db_pass``, ``adminPwd``); or one with a word that is a slip of password, passwd or passphrase
    (``mysql:pasword``, ``dbAdminPasword``, ``passw0rd``): a near miss of a secret's name holds the secret all
    the same."""
    if name == "secure" or _SECRET_NAME.search(name):
        return True
    words = [w.lower() for w in _NAME_WORD.findall(name.replace("0", "o"))]
    if words and words[-1] in _SECRET_LAST_WORDS:
        return True
    return any(len(w) >= 5 and difflib.get_close_matches(w, _SECRET_WORDS, n=1, cutoff=0.85) for w in words)


# The last word of a key's name that says what the key holds about a secret, not the secret itself: when it expires,
# its name or ID, how it is rotated, its policy or length, where it is kept (tokenExpiry: 86400s, sshKeyName:
# deploy-2024, apiKeyRotation: every-90-days, passwordPolicy: Min12Chars, passwordFile: /run/secrets/db)
_ABOUT_A_SECRET = frozenset(
    {
        *("expiry", "expires", "expire", "expiration", "exp", "ttl", "lifetime", "age", "validity", "days"),
        *("name", "names", "id", "ids", "label", "comment", "description", "hint", "reminder", "help"),
        *("rotation", "rotate", "rotated", "reset", "history", "changed", "created", "updated", "date", "at", "on"),
        *("policy", "policies", "rule", "rules", "length", "len", "size", "bits", "min", "max", "count", "strength"),
        *("complexity", "regex", "pattern", "format", "type", "kind", "algorithm", "algo", "fingerprint", "version"),
        *("file", "files", "path", "paths", "dir", "url", "uri", "endpoint", "location", "store", "vault", "manager"),
        *("provider", "source", "ref", "reference", "env", "var", "variable", "field", "header", "param", "prompt"),
        *("enabled", "required", "mode", "scope", "scopes", "issuer", "audience", "owner"),
    }
)


# Names ending with one of those words that hold a secret all the same: secret_id, Vault's AppRole SecretID, the
# credential given with the role's RoleID to log in (Vault docs, "AppRole auth method")
_SECRETS_NAMED_ABOUT = (["secret", "id"],)


# Short words that name a password as the name's first word too, whose after them, as French writes it (mdp_ftp,
# pwd_admin); not pass nor pw (passThrough, pwFlag)
_SECRET_FIRST_WORDS = frozenset({"mdp", "pwd", "pswd"})


@lru_cache(maxsize=4096)  # a comment's every word is asked about (_commented_yaml_secret): most are the same few
def secret_value_name(name: str) -> bool:
    """Whether a key named ``name`` holds a secret itself: a secret's name (:func:`secret_name`) whose last word
    says nothing about it (_ABOUT_A_SECRET), or one whose first word is mdp, pwd or pswd (_SECRET_FIRST_WORDS):
    ``dbAdminPassword``, ``password_admin``, ``apiKey``, ``mdp_ftp``, ``secret_id`` (_SECRETS_NAMED_ABOUT), not
    ``tokenExpiry``, ``sshKeyName``, ``passwordPolicy``. The rule for a key commented out or given to ``pulumi
    config set``, whose value is refused when it reads as a password; the stack file's own keys follow
    :func:`secret_name`."""
    words = [word.lower() for word in _NAME_WORD.findall(name)]
    named = secret_name(name) or (len(words) > 1 and words[0] in _SECRET_FIRST_WORDS)
    return named and (not words or words[-1] not in _ABOUT_A_SECRET or words[-2:] in _SECRETS_NAMED_ABOUT)


def names_secret(line: str) -> bool:
    """Whether a line of a file names a secret: ``secure:``, a secret's words (:data:`_SECRET_LINE`), or a key
    whose name reads as one (:func:`secret_name`)."""
    return _SECRET_LINE.search(line) is not None or any(secret_name(m.group(1)) for m in _KEY_ON_LINE.finditer(line))


def is_secret_field(loc: Sequence[str | int]) -> bool:
    """Whether ``loc`` is a secret's field, or under one: a key whose name reads as a secret's
    (:func:`secret_name`: ``secure``, ``password``, ``pasword``, ``keyMaterial``...)."""
    return any(isinstance(part, str) and secret_name(part) for part in loc)


# The fields naming a public thing, by their key (a member file's, the stack settings'): a site's domains, its lists'
# domain, its databases' short names (and its charsets' keys), its web host's name; a host's address, private
# address and ssh user. A value refused there is said, and the name to write offered, unless shaped as a password
# (:func:`pic.secrettext.public_name_hidden`)
_PUBLIC_NAME_KEYS = frozenset(
    ["domains", "domain", "databases", "database_charsets", "host", "address", "private_address", "ssh_user"]
)


def is_public_name_field(loc: Sequence[str | int]) -> bool:
    """Whether ``loc`` is a field naming a public thing (:data:`_PUBLIC_NAME_KEYS`, its last key, an item of a list
    after it), no secret's field (:func:`is_secret_field`)."""
    key = next((part for part in reversed(loc) if isinstance(part, str)), None)
    return key in _PUBLIC_NAME_KEYS and not is_secret_field(loc)


def format_loc(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = shown_key(part)  # a key may hold anything: shown escaped, in quotes with a blank at an end
            text = text if len(text) <= _KEY_SHOWN else text[: _KEY_SHOWN - 3] + "..."
            out += f".{text}" if out else text
    return out


# Field paths, shared by every file that has them: ``(parent path, index or key) -> path``. Each file's
# table of lines (and of values as written) is keyed by paths; five thousand member files make the same
# few dozen, which were otherwise a tuple and a key string per file and field, kept for the checks across
# files (bench/bench_check.py). Bounded by the distinct keys of the files read.
_ITEM_PATHS: dict[tuple[Loc, int], Loc] = {}
_KEY_PATHS: dict[tuple[Loc, str], tuple[Loc, str]] = {}  # and the key's text, one object too


def _item_path(loc: Loc, index: int) -> Loc:
    """``(*loc, index)``, the same object for every file (:data:`_ITEM_PATHS`)."""
    shared = _ITEM_PATHS.get((loc, index))
    if shared is None:
        shared = _ITEM_PATHS[(loc, index)] = (*loc, index)
    return shared


def _key_path(loc: Loc, key: str) -> tuple[Loc, str]:
    """``(*loc, key)`` and ``key``, the same objects for every file (:data:`_KEY_PATHS`)."""
    shared = _KEY_PATHS.get((loc, key))
    if shared is None:
        shared = _KEY_PATHS[(loc, key)] = ((*loc, key), key)
    return shared


def _eats_text(node: yaml.ScalarNode) -> bool:
    """Whether the anchor before this scalar may be text YAML drops: its value plain, untagged, read as text or
    as nothing (``&Co Lyon``, ``&Co``); not a quoted value or a number after an anchor (``uid: &u 10800``)."""
    return node.tag is PLAIN and not node.style and _plain_tag(node.value) in (STR, NULL)


class _Walk:
    """One pass over the node tree: the data, the lines of keys and items, and the refusals of the module docstring.

    The data is only returned when nothing was refused (an alias is never followed, so never
    expanded). ``spans``: also note the character offsets of each key and value, to name the
    field a refused character sits in.
    """

    def __init__(
        self,
        doc: Document,
        keys: frozenset[str],
        loader: yaml.SafeLoader,
        text: str,
        spans: bool,
        *,
        numbers: NumberRefusal | None = None,
    ) -> None:
        self.doc = doc
        self.numbers = numbers
        self.lines = doc.lines
        self.keys = keys
        self.text_keys = _text_keys(keys)
        self.loader = loader
        self.text = text
        self.problems: list[Problem] = []
        self.anchors = "&" in text  # else no node can be met twice: aliases need an anchor
        self.seen: set[int] = set()
        self.aliases = 0
        self.first_alias_untold: int | None = None  # the line of the first alias not told, where its count stands
        self.spans: list[tuple[int, int, Loc]] | None = [] if spans else None

    def source(self, node: yaml.Node, loc: Loc = ()) -> str:
        """The node as written in the file (a short excerpt, escaped); a secret's never: a secret field's
        (:func:`is_secret_field`), text that reads as a secret (:func:`_may_hold_secret`, on what the excerpt
        would show) or base64 that decodes to one (:func:`_decodes_to_secret`); nor a ``!!binary`` value, bytes in
        base64 (its length is said); nor text holding a word of a password's shape, a tag's name included
        (:func:`pic.errors.shaped_as_password`: ``!Lilas2024x 1``, ``!x velo75paris``)."""
        written = self.text[node.start_mark.index : node.end_mark.index].strip() or node.value
        if node.tag == _BINARY:
            chars = len(node.value) if isinstance(node.value, str) else len(written)
            return f"{HIDDEN_VALUE}, {chars} characters of base64,"
        if (
            is_secret_field(loc)
            or (isinstance(written, str) and _may_hold_secret(written[:200]))
            or (isinstance(node.value, str) and _decodes_to_secret(node.value))
            or (isinstance(written, str) and shaped_as_password(_TAG_MARK.sub(" ", written[:200])))
        ):
            return HIDDEN_VALUE
        return show_value(written)

    def explicit_tag(self, node: yaml.Node, tag: str, loc: Loc, *, key: bool = False) -> bool:
        """Report a tag written in the file (``!!binary``, ``!foo``); True when there is one.

        ``tag``: the node's tag, a plain scalar's resolved (:func:`_scalar_tag`). ``key``: the node is the last key
        of ``loc``, which a ``!!binary`` key or one that decodes to a secret does not name (:data:`HIDDEN_KEY`).
        """
        if type(node) is ScalarNode:
            if node.style:
                expected = STR
            elif node.tag is PLAIN:
                return False  # no tag written: resolved from the text, as expected
            else:  # plain: the tag the loader gives the text itself
                expected = _plain_tag(node.value)
        else:
            expected = MAP if type(node) is MappingNode else SEQ
        if tag == expected:
            return False
        shown = "!!" + tag.removeprefix(YAML_TAG) if tag.startswith(YAML_TAG) else tag
        if key and (tag == _BINARY or (isinstance(node.value, str) and _decodes_to_secret(node.value))):
            loc = (*loc[:-1], HIDDEN_KEY)
        source = self.source(node, loc)
        # a tag is part of the source: one hidden hides it (!Lilas2024x 1)
        shown = show_value(shown) if source != HIDDEN_VALUE else "(not shown either)"
        self.problem(
            node,
            loc,
            f"{source} has the tag {shown}: tags are not allowed here; write the value without it (quote it if it "
            "is text)",
        )
        return True

    def problem(self, node: yaml.Node, loc: Loc, message: str) -> None:
        self.problems.append(Problem(self.doc.file, node.start_mark.line + 1, shown_loc(loc), message))

    def node(self, node: yaml.Node, loc: Loc) -> Any:
        if self.anchors:
            if id(node) in self.seen:
                self.alias(loc)
                return None
            self.seen.add(id(node))
        if self.spans is not None:
            self.spans.append((node.start_mark.index, node.end_mark.index, loc))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar_node(node, loc)
        if isinstance(node, yaml.MappingNode):
            if node.tag != MAP and self.explicit_tag(node, node.tag, loc):
                return None
            return self.mapping(node, loc)
        if node.tag != SEQ and self.explicit_tag(node, node.tag, loc):
            return None
        return self.sequence(node, loc)

    def scalar_node(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        if self.anchors and self.text.startswith("&", node.start_mark.index) and _eats_text(node):
            self.anchored(node, loc)
            return None
        if node.tag is PLAIN and not node.style:  # the usual value: no tag written (explicit_tag)
            return self.scalar(node, _plain_tag(node.value), loc)
        tag = _scalar_tag(node)
        if self.explicit_tag(node, tag, loc):
            return None
        return self.scalar(node, tag, loc)

    def sequence(self, node: yaml.Node, loc: Loc) -> list[Any]:
        out = []
        lines = self.lines
        for i, item in enumerate(node.value):
            item_loc = _item_path(loc, i)
            lines[item_loc] = item.start_mark.line + 1
            out.append(self.node(item, item_loc))
        return out

    def anchored(self, node: yaml.ScalarNode, loc: Loc) -> None:
        """A text written after an anchor (``name: &Co Lyon``): YAML drops the ``&word`` that reads as the
        value's first word (the value would be ``Lyon``, an empty one after ``&Co`` alone). An anchor only
        serves aliases, which are refused: what was meant is most likely text starting with ``&``."""
        anchor = self.text[node.start_mark.index :].split(maxsplit=1)[0]
        shown = HIDDEN_VALUE if is_secret_field(loc) else f"{self.source(node, loc)} starts with"
        self.problem(
            node,
            loc,
            f"{shown} an anchor to YAML ({show_value(anchor, 40) if shown != HIDDEN_VALUE else '&...'}), a name for "
            "aliases (which are not allowed), not text: YAML would drop it from the value; put the value in quotes "
            "if the & is part of it, else remove the anchor",
        )

    def offered(self, loc: Loc, read: float) -> str:
        """``; write N, or fewer digits`` for a number read as ``read``: N whole when it is (2 for 2.0, which a field of
        whole numbers takes, as one of decimals does), the field's checker (``numbers``) taking it; else why the
        field refuses the reading, with nothing offered."""
        candidates: list[int | float] = [int(read), read] if read.is_integer() else [read]
        refusal = None
        for number in candidates:
            refusal = None if self.numbers is None else self.numbers(loc, number)
            if refusal is None:
                return f"; write {number!r}, or fewer digits"
        return f", which {refusal}: give a number it takes"

    def leading_zero(self, value: str, loc: Loc) -> str:
        """What is wrong with ``value``, a plain integer with leading zeros, and what YAML makes of it: 1.1 reads it
        as octal (``010``: 8; ``07``, ``-07``: 7 and -7, as 1.2 does) or, with an 8 or a 9, as text (``08``), 1.2 as
        decimal (yaml.org/type/int.html; yaml.org/spec/1.2.2 §10.3.2); what the field says of the decimal number
        when it refuses it (``drill_day: 07``: the day cron numbers 7; ``-07``: no day; ``010``: neither 8 nor 10 a
        day), in the one message; for a field of text, the text in quotes (``name: 0189``: ``"0189"``), or why the
        field refuses it so too; else to write it without them. A secret's value is read out in no words."""
        what = f"a negative {_LEADING_ZERO.removeprefix('an ')}" if value.startswith("-") else _LEADING_ZERO
        if is_secret_field(loc):
            return (
                f"{HIDDEN_VALUE} is {what}, which YAML 1.1 reads as octal (as text, with an 8 or a 9) and YAML 1.2 "
                "as decimal: write the number without leading zeros (or quote it if it is text)"
            )
        number = int(value, 10)
        if set(value.lstrip("+-")) <= set("01234567"):
            older: int | None = int(value, 8)
            read = (
                f"{number} to YAML 1.1 and 1.2 alike"
                if older == number
                else f"{older} to YAML 1.1 (octal) and {number} to YAML 1.2 (decimal)"
            )
        else:
            older = None
            read = f"text to YAML 1.1 (8 and 9 are no octal digits) and the number {number} to YAML 1.2"
        refusal = None if self.numbers is None else self.numbers(loc, number)
        if (told := self._no_number_meant(value, loc, refusal, older, number)) is not None:
            return f"{value} is {what}, {read}{told}"
        if refusal is not None and (": write " in refusal or _NO_DAY in refusal):  # an offer, or none to make
            return f"{value} is {what}, {read}; {number} {refusal}"
        if refusal is not None and refusal.startswith(_OUT_OF_RANGE):  # uid: 08: 8 is no uid either
            return f"{value} is {what}, {read}; {number} {refusal}"
        quote = self._quote_words(loc, value)
        if refusal is not None:  # the number refused too: text, if it is, in quotes
            return f"{value} is {what}, {read}: write the number without leading zeros{quote}"
        return f"{value} is {what}, {read}: write {number}{quote}"

    def exponent_as_text(self, written: str, loc: Loc) -> str | None:
        """What a plain number with an exponent that YAML 1.1 reads as text is told (``1e0``, ``1.5e0``: 1.1's
        floats have a '.' and a signed exponent, 1.2's need neither) in a field of numbers that takes the number YAML
        1.2 reads (limits.cpus: 1e0, as limits.cpus: 010 is for its two readings): both readings, and the number in
        decimals, which both read alike; None elsewhere (a free key's value; a field refusing the number, which
        says so)."""
        if self.numbers is None or "e" not in written.lower() or is_secret_field(loc):
            return None
        try:
            value = float(written.replace("_", ""))
        except ValueError:
            return None
        read = yaml_readings(written, value)
        if read is None or not math.isfinite(value) or " alike" in read[0]:
            return None
        if self.numbers(loc, value) is not None or self.numbers(loc, "") is None:
            return None  # refused as a number (told so), or no field of numbers ("" refused by its type alone)
        decimals = format(decimal.Decimal(repr(value)), "f")
        number = str(int(value)) if value.is_integer() else decimals
        return f"{read[0]}: write {decimals if '.' in decimals else decimals + '.0'}, which both read as {number}"

    def _quote_words(self, loc: Loc, value: str) -> str:
        """`` (or quote it if it is text)``, unless the field refuses ``value`` in quotes or is one of numbers, taking
        its decimal reading (limits.cpus: 010, whose "010" would be read as a number if taken at all)."""
        if self.numbers is not None and (
            self.numbers(loc, value) is not None or self.numbers(loc, int(value, 10)) is None
        ):
            return ""
        return " (or quote it if it is text)"

    def _no_number_meant(self, value: str, loc: Loc, refusal: str | None, older: int | None, number: int) -> str | None:
        """:meth:`leading_zero`'s end where no number is to be written: a yes/no field's (``01``: write true; ``010``:
        neither reading true or false), a field of text given the text in quotes
        (``name: 0189``: ``"0189"``) or told why it refuses it so too; two readings (``010``: 8 or 10) told that neither
        is a day where the days' names go, that neither is taken where both are out of range (``uid: 010``), the one
        taken offered where the other is (``uid: 012345``: 12345), else to write the number meant; None otherwise."""
        if refusal == NOT_BOOLEAN and older == number and number in (0, 1):  # access.ssh: 01, 1 either way: true
            return f", a number, not true or false: write {'true' if number else 'false'}"
        if refusal == NOT_BOOLEAN:  # access.ssh: 010, 8 or 10
            return ", and neither is true or false: write true or false"
        if refusal == TEXT_FIELD and self.numbers is not None:  # name: 0189: the text, in quotes
            quoted = self.numbers(loc, value)
            if quoted is None:
                return f', where the field takes text: write it in quotes, "{value}"'
            return f", where the field takes text, and in quotes {quoted}"
        if older in (number, None):
            return None
        return self._two_readings(loc, value, refusal, older, number)

    def _two_readings(self, loc: Loc, value: str, refusal: str | None, older: int, number: int) -> str:
        """:meth:`_no_number_meant` of an integer YAML 1.1 reads as ``older`` (octal) and 1.2 as ``number``."""
        # 010: 8 or 10, which was meant is not known
        older_refusal = None if self.numbers is None else self.numbers(loc, older)
        if refusal is not None and older_refusal is not None and _NO_DAY in refusal and _NO_DAY in older_refusal:
            # drill_day: 010: neither 8 nor 10 a day, no number to write: the field's days named
            return f", and neither is a day: {_NO_DAY}{refusal.split(_NO_DAY, 1)[1]}"
        ranges = [r for r in (older_refusal, refusal) if r is not None and r.startswith(_OUT_OF_RANGE)]
        if len(ranges) == 2 and ranges[0] == ranges[1]:  # uid: 010: 8 and 10 below 10000 alike
            return f", and neither is taken: both are{ranges[0].removeprefix('is').replace(' too', '', 1)}"
        if len(ranges) == 1 and (older_refusal is None or refusal is None):  # uid: 012345: 5349 refused, 12345 not
            taken = number if refusal is None else older
            return f", of which the field takes {taken} alone: write {taken}"
        if refusal is None and older_refusal is None:  # limits.cpus: 010: 8 or 10 (docker run --cpus reads 10)
            return f": write {older} or {number}, the one meant, without leading zeros{self._quote_words(loc, value)}"
        return f": write the number meant without leading zeros{self._quote_words(loc, value)}"

    def alias(self, loc: Loc) -> None:
        """An alias is the anchored node itself: its mark is the anchor's, so the line is its key's."""
        self.aliases += 1
        key_loc = loc
        while key_loc and not isinstance(key_loc[-1], str):
            key_loc = key_loc[:-1]
        if self.aliases > _ALIASES_SHOWN:
            if self.aliases == _ALIASES_SHOWN + 1:
                self.first_alias_untold = self.lines.get(key_loc)
            return
        message = "uses an alias (*name): write the value out instead (aliases are not allowed)"
        self.problems.append(Problem(self.doc.file, self.lines.get(key_loc), shown_loc(loc), message))

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        seen: dict[object, int] = {}
        out: dict[str, Any] = {}
        lines = self.lines
        for key_node, value_node in node.value:
            key = key_node.value if type(key_node) is ScalarNode else str(key_node)
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge" or (key == "<<" and not key_node.style):
                self.problem(
                    key_node, loc, "uses a merge key (<<): write the keys out instead (merges are not allowed)"
                )
                continue
            if type(key_node) is not ScalarNode:
                self.problem(
                    key_node,
                    (*loc, "?"),
                    f"has the key {self.source(key_node, loc)}, which is not a name (a key is a name such as uid)",
                )
                continue
            key_loc, key = _key_path(loc, key)  # the same objects for every file
            if self.spans is not None:
                self.spans.append((key_node.start_mark.index, key_node.end_mark.index, key_loc))
            if key_node.tag is PLAIN and not key_node.style:  # the usual key: no tag written (explicit_tag)
                tag = STR if key in self.text_keys else _plain_tag(key)
            else:
                tag = _scalar_tag(key_node)
                if self.explicit_tag(key_node, tag, key_loc, key=True):
                    continue
            if tag != STR:
                what = _KEY_KINDS.get(tag, "not text")
                shown = self.source(key_node, key_loc)
                quoted = f", {shown}," if shown != HIDDEN_VALUE else ""
                if shown == HIDDEN_VALUE:
                    shown, key_loc = "(not shown: it may be a secret)", (*key_loc[:-1], HIDDEN_KEY)
                self.problem(
                    key_node,
                    key_loc,
                    f"key {shown} is {what} to YAML, not a name: write it in quotes{quoted} if it is meant as text",
                )
                continue
            if key in seen:
                message = (
                    f"duplicate key (first given on line {seen[key]}); YAML keeps only one of them, so give it once"
                )
                self.problems.append(Problem(self.doc.file, line, shown_loc(key_loc), message))
                continue
            seen[key] = line
            lines[key_loc] = line
            out[key] = self.node(value_node, key_loc)
        return out

    def scalar(self, node: yaml.ScalarNode, tag: str, loc: Loc) -> Any:
        """The value of a scalar of ``tag`` (:func:`_scalar_tag`), or None when it is refused."""
        if not node.style and tag != STR:  # plain, converted: a number, a boolean, null, a date
            self.doc.written[loc] = node.value
            if tag == NULL:
                self.doc.nulls = True
        if tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
            hidden = is_secret_field(loc) or key_shaped_number(node.value)
            self.problem(
                node,
                loc,
                f"{HIDDEN_VALUE if hidden else show_value(node.value, 40)} is a number of "
                f"{len(node.value)} characters (no field takes one "
                f"longer than {MAX_NUMBER_CHARS})",
            )
            return None
        if tag == _FLOAT and not node.style and (read := _float_read_as(node.value)) is not None:
            hidden = is_secret_field(loc) or key_shaped_number(node.value)
            self.problem(
                node,
                loc,
                f"{HIDDEN_VALUE if hidden else node.value} has more digits than a number keeps: it would be read "
                f"as {read}{self.offered(loc, float(read))} (or quote it if it is text)",
            )
            return None
        if tag == "tag:pic,2026:leading-zero":
            self.problem(node, loc, self.leading_zero(node.value, loc))
            return None
        if tag == _FLOAT and not node.style and (said := self.exponent_as_text(node.value, loc)) is not None:
            self.problem(node, loc, said)
            return None
        # plain (style None in PyYAML, "" in libyaml); in a command, only a key written with a value it takes
        if not node.style and self.keys and loc and ":" in node.value:
            match = (_COMMAND_SECOND_KEY if loc[-1] in _COMMAND_KEYS else _SECOND_KEY).search(node.value)
            if match is not None and match.group(1) in self.keys:
                self.problem(
                    node,
                    loc,
                    f"holds {match.group(1)!r} followed by ':' after the value: a second key on the same line "
                    "is part of the value in YAML; put each key on its own line (or quote the value)",
                )
        if tag == STR:
            first = node.value[:1]
            if not node.style and (first in _NUMBER_START or first > "\x7f") and _looks_like_number(node.value):
                self.doc.written[loc] = node.value  # a number to the eye, text to YAML 1.2 (10_600): no quotes
            elif not node.style and first in _BOOLEAN_START and node.value.lower() in _BOOLEAN_SHAPED:
                self.doc.written[loc] = node.value  # a boolean to the eye in another case (tRue): no quotes
            return node.value
        return _BUILD[tag](self.loader, node)


# YAML's words for a boolean, read as one in small letters, capitals or with a capital first alone (pic.yamlloader)
_BOOLEAN_SHAPED = frozenset(["true", "false", "yes", "no", "on", "off"])
# their first letters: a text starting otherwise is not lowered (a walk reads every text, a check of 5,000 members
# 57,000: lowering each cost it 0.5 % of its instructions); no other letter lowers to one of theirs
_BOOLEAN_START = "tTfFyYnNoO"


@cache
def _text_keys(keys: frozenset[str]) -> frozenset[str]:
    """The names of ``keys`` that YAML reads as text when written plain (all of a model's, in practice)."""
    return frozenset(key for key in keys if _plain_tag(key) == STR)


def _scalar_tag(node: yaml.ScalarNode) -> str:
    """The tag of a scalar: the one written, else the one its text resolves to (plain) or str (quoted)."""
    tag: str = node.tag
    return _plain_tag(node.value) if tag is PLAIN else tag


_ALIASES_SHOWN = 3
# A plain scalar YAML 1.2 reads as text that looks like a number (10_600, 10 600, 10,600, 0b1, 0x, 1.000.000, inf,
# digits of another script): noted as written (Document.written), so that a message shows it without the quotes
# the file does not have and tells what to change but them. Tried only on a text starting as a number does; an IPv4
# address (255.255.255.255, four groups) is none.
_NUMBER_FIRST = frozenset("0123456789+-.")
_NUMBER_START = frozenset("0123456789+-.iInN")  # and a digit of another script: past ASCII
_NUMBER_LAST = frozenset("0123456789_abcdefABCDEFxXoO")
_NUMBER_WORDS = frozenset(
    f"{sign}{dot}{word}" for sign in ("", "+", "-") for dot in ("", ".") for word in ("inf", "infinity", "nan")
)
_PLAIN_NUMBER_TEXT = LazyPattern(
    r"[+-]?(?:0[xXoObB][0-9A-Fa-f_.pP+-]*|[0-9][0-9_ ,\u00a0\u202f\u2009]*(?:\.[0-9]*)?(?:[eE][+-]?[0-9_]*)?"
    r"|[0-9]{1,3}\.[0-9]{3}\.[0-9]{3}|\.?(?:[iI]nf(?:inity)?|INF|[nN]a[nN]|NAN)|\d+(?:\.\d*)?)"
)


def _looks_like_number(text: str) -> bool:
    """Whether a plain text (YAML 1.2's) looks like a number (:data:`_PLAIN_NUMBER_TEXT`); its first and last
    characters tried first, then an address's ':' or four dotted numbers (10.0.0.11) and letters outside a base's
    prefix (a key's fingerprint, 1505...E2B6), so that the usual values (256M, web1, a name, an address, an apt
    source's fingerprint) compile no pattern."""
    first, last = text[:1], text[-1:]
    if (first in _NUMBER_FIRST and last in _NUMBER_LAST) or (first.isdecimal() and not first.isascii()):
        if ":" in text or text.count(".") > 2:
            return False
        if text.lstrip("+-")[1:2] not in ("x", "X", "o", "O", "b", "B") and any(c.isalpha() for c in text):
            return False
        return _PLAIN_NUMBER_TEXT.fullmatch(text) is not None
    return text.lower() in _NUMBER_WORDS


_NUMBER_TAGS = frozenset([f"{YAML_TAG}int", f"{YAML_TAG}float", "tag:pic,2026:leading-zero"])
_KEY_KINDS = {
    f"{YAML_TAG}int": "a number",
    f"{YAML_TAG}float": "a number",
    "tag:pic,2026:leading-zero": "a number",
    f"{YAML_TAG}bool": "true or false",
    f"{YAML_TAG}null": "null",
    f"{YAML_TAG}timestamp": "a date",
}
# Characters refused anywhere in a file (module docstring): YAML 1.1 refuses the controls and
# noncharacters with a bare position, and reads NEL, U+2028 and U+2029 as line breaks.
_REFUSED_CHARACTER = LazyPattern(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]|(?!\A)\ufeff")
_MAYBE_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ufeff]")
_SECOND_KEY = LazyPattern(r"\s([A-Za-z_][A-Za-z0-9_]*):(?:\s|$|[^/])")
# Keys whose values are shell commands, where ``word:word`` is the command's own (``php artisan
# schedule:run``, ``drush php:script``): there only a cron job's key with a value it takes is a second key
# written without its space (``timeout:600``, ``schedule:daily``); ``key: value`` is a YAML error anyway.
_COMMAND_KEYS = frozenset({"command"})
_COMMAND_SECOND_KEY = LazyPattern(
    r"\s(timeout|schedule):(?:(?<=timeout:)[0-9]+|(?<=schedule:)(?:hourly|daily|weekly))(?:\s|$)"
)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _spaces(count: int) -> str:
    return f"{count} space{'' if count == 1 else 's'}"


_KEY_WITHOUT_SPACE = LazyPattern(r"\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_.:-]*):(?=[^\s/]|/(?!/))")  # not a URL's ://
# Scanner errors found past the place of the mistake: a key's ':' looked for on the next lines, a quote or a
# bracket closed nowhere. The line to name is where the scan started (the context), not where it gave up.
_STARTED_AT = ("while scanning a simple key", "while scanning a quoted scalar", "while parsing a flow")


def _indentation_words(lines: list[str], line: int, column: int, context_line: int | None) -> str:
    """Why a line is no key of the mapping it stands in (``did not find expected key``), and how to indent it."""
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    if column > _indent(source):
        return (
            "more text after a value on this line (after a closing quote, or a flow list or mapping): "
            "quote the whole value, or start the text on a line of its own"
        )
    above = context_line if context_line is not None and 0 < context_line <= len(lines) else None
    keys_at = f"the keys of the mapping from line {above} are at {_spaces(_indent(lines[above - 1]))}" if above else ""
    if source.lstrip().startswith("-"):
        before = [ln for ln in lines[: line - 1] if ln.strip() and not ln.lstrip().startswith("#")]
        if before and column < _indent(before[-1]):
            return (
                f"a list's item at {_spaces(column)} is less indented than the line above it (at "
                f"{_spaces(_indent(before[-1]))}): indent the items of a list as far as the key that holds them, "
                "or further"
            )
        return (
            "a list's item where a key was expected: a key holding a list has nothing after its ':' on its own "
            "line (or write the items in brackets: key: [a, b])"
        )
    return (
        f"this line is indented {_spaces(column)}, which lines up with no key above it ({keys_at}): "
        "a key goes exactly under the other keys of its mapping, as far in as they are"
    )


# What a scanner's error means, by where the scan started, when the line itself says no more.
_CONTEXT_WORDS = {
    "while scanning a simple key": (
        "a line of text where a key was expected: write 'key: value', or quote a text written over several lines"
    ),
    "while scanning a quoted scalar": "the quote opened on this line is never closed: close it at the end of the value",
    "while parsing a flow": (
        "a '[' or '{' opened on this line is never closed (or an item lacks its ',' before the next)"
    ),
    "while scanning an anchor": "a value starting with '&' is read by YAML as an anchor: put the value in quotes",
    "while scanning an alias": (
        "a value starting with '*' is read by YAML as an alias: put the value in quotes (schedule: \"*/15 * * * *\")"
    ),
}


def _syntax_words(exc: yaml.MarkedYAMLError, lines: list[str], line: int | None) -> str | None:
    """What a newcomer's YAML mistake is, and how to mend it; None for another error (said as PyYAML says it)."""
    what = exc.problem or ""
    context = exc.context or ""
    source = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
    key = _KEY_WITHOUT_SPACE.match(source) if context.startswith("while scanning a simple key") else None
    if key is not None:
        return _glued_words(key, source)
    if context.startswith("while parsing a flow") and (words := _flow_colon_words(exc, lines)) is not None:
        return words
    for start, words in _CONTEXT_WORDS.items():
        # a character that cannot start a value is told by _parser_words (a flow may well be closed)
        if context.startswith(start) and not what.startswith("did not find expected node content"):
            return words
    mark = exc.problem_mark
    start_line = exc.context_mark.line + 1 if exc.context_mark is not None else None
    if what.startswith("did not find expected key") and mark is not None:
        return _indentation_words(lines, mark.line + 1, mark.column, start_line)
    if what.startswith("did not find expected '-' indicator"):
        return (
            f"a key among the items of the list from line {start_line or line}, each started by '- ': indent a "
            "key of an item as its first key (after '- '), and a key after the list as the key that holds the list"
        )
    return None


# A value written from a ':' to the end of its item in a flow collection, shown when it has an address's characters
# only (::ffff:10.0.0.1): another may be a secret
_FLOW_VALUE = LazyPattern(r":[^,\]}\s]*")
_ADDRESS_CHARACTERS = LazyPattern(r"[0-9A-Fa-f:.%/]+")


def _flow_colon_words(exc: yaml.MarkedYAMLError, lines: list[str]) -> str | None:
    """A value starting with ':' inside '[...]' or '{...}' (an IPv6 address, ::ffff:10.0.0.1 or ::1, unquoted in a
    host's one-line mapping), which YAML reads as a key's ':' there and then says only that it found no value (said
    as a flow never closed); None when no node content was missing at a ':'."""
    what = exc.problem or ""
    if not what.startswith(("expected the node content", "did not find expected node content")):
        return None
    mark = exc.problem_mark
    source = lines[mark.line] if mark is not None and 0 <= mark.line < len(lines) else ""
    found = _FLOW_VALUE.match(source, mark.column) if mark is not None else None
    if found is None:
        return None
    value = found.group() if _ADDRESS_CHARACTERS.fullmatch(found.group()) else None
    shown = f" ({value})" if value is not None and len(value) <= 64 else ""
    inside = f"a value starting with ':' inside '{{...}}' or '[...]'{shown}"
    return f"{inside} is read by YAML as a key's ':': put the value in quotes"


def _glued_key_above(lines: list[str], line: int | None) -> tuple[int, str] | None:
    """The line above ``line`` when it is a key written without the space after its ':' (``members_root:/srv``):
    YAML reads it as text going on to ``line``, whose own ``key: value`` it then refuses. None otherwise."""
    if line is None:
        return None
    above = next((n for n in range(line - 1, 0, -1) if lines[n - 1].strip()), None)
    if above is None or ": " in lines[above - 1] or (key := _KEY_WITHOUT_SPACE.match(lines[above - 1])) is None:
        return None
    return above, _glued_words(key, lines[above - 1])


def _glued_words(key: re.Match[str], source: str) -> str:
    """A key glued to its value (key:value): a space to write after its ':', or its length when it is longer than
    YAML reads (the space then making it no key all the same)."""
    if len(key[1]) > _LONGEST_KEY:
        return _overlong_words(len(key[1]), key.start(1))
    return f"a key needs a space after its ':' (write '{key[1]}: ...')"


# YAML's longest simple key (PyYAML and libyaml: 1024 characters from its start to its ':'): one longer is no key to
# them, said as text with no ':' (or as a ':' glued to the key above)
_LONGEST_KEY = 1024
# A key is read once, each character taken a single time (possessive: the indentation and list dashes before it
# too, never given back to a key starting with '-'): a plain key's words, a ':' inside it, and a
# run of blanks only when a word follows it (a lazy key, given back a character at a time before its blanks and ':',
# read a long run of blanks again from each of its characters, growing as their square)
_KEY_START = LazyPattern(
    r"""(?:^[ \t]*+(?:-[ \t]++)*+|[{,\[][ \t]*+)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'"""
    r"""|[^\s{}\[\],"'#](?:[^\s{}\[\],:]++|:(?!\s|$|[,}\]])|[ \t]++(?=[^\s{}\[\],])(?!:(?:\s|$|[,}\]])))*+)"""
    r"[ \t]*:(?=\s|$|[,}\]])"
)


def _overlong_key(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, str] | None:
    """The line and words of a key longer than YAML reads, on the lines from where the scan started to where it gave
    up (and the next); None when there is none. The key is not shown (its length and column are)."""
    marks = [m.line for m in (exc.context_mark, exc.problem_mark) if m is not None]
    if not marks:
        return None
    for index in range(max(min(marks), 0), min(max(marks) + 2, len(lines))):
        for found in _KEY_START.finditer(lines[index]):
            if (length := len(found[1])) > _LONGEST_KEY:
                return index + 1, _overlong_words(length, found.start(1))
    return None


def _overlong_words(length: int, column: int) -> str:
    return (
        f"a key of {length} characters (column {column + 1}): YAML reads a key of {_LONGEST_KEY} characters at "
        "most, and a longer one as text with no ':'; shorten the key"
    )


_ESCAPE_DIGITS = {"x": 2, "u": 4, "U": 8}
_IN_DOUBLE_QUOTES = (
    "in double quotes a backslash starts an escape (\\t is a tab): write the value in single quotes, where a "
    "backslash is itself, or double each backslash (\\\\)"
)
# A character that starts a node of its own kind where a value was expected, and what YAML reads it as
_STARTS = {
    "-": "a list's item",
    "!": "a tag",
    "*": "an alias",
    "&": "an anchor",
    "?": "a complex key",
    "|": "a block text",
    ">": "a block text",
    "%": "a directive",
    "@": "nothing yet (kept by YAML)",
    "`": "nothing yet (kept by YAML)",
    "]": "the end of a list",
    "}": "the end of a mapping",
    ",": "the next item of a list or mapping",
}


def _at(ch: str, column: int) -> str:
    return f"{terminal_safe(repr(ch), keep='')} (column {column + 1})"


def _parser_words(exc: yaml.MarkedYAMLError, lines: list[str], line: int | None) -> tuple[int | None, str] | None:
    """A parser's error that names neither a column nor a fix (libyaml's words), told with the character at fault, its
    column and what to write, and the line to name; None for another. Only the character at fault is shown (the
    line may hold a secret), or an escape's backslash and letter (its code's hexadecimal digits when it names no
    character)."""
    what = exc.problem or ""
    mark = exc.problem_mark
    if mark is None:
        return None
    source = lines[mark.line] if 0 <= mark.line < len(lines) else ""
    if what.startswith(("did not find expected <document start>", "found unknown directive", "found duplicate %")):
        return _directive_words(lines, mark.line, line)
    if (exc.context or "").startswith("while parsing a flow") and not source[mark.column : mark.column + 1]:
        # the file ended where an item was expected, after a ',' or the '[' itself: libyaml marks the end
        return _open_flow_line(lines) or line, _CONTEXT_WORDS["while parsing a flow"]
    words = _escape_words(what, source, mark.column) or _block_text_words(exc, source, mark.column)
    if words is None:
        words = _start_words(exc, source, mark.column)
    return None if words is None else (line, words)


def _open_flow_line(lines: list[str]) -> int | None:
    """The line of the innermost '[' or '{' never closed (YAML's tokens: not one inside quotes), or None."""
    opened: list[int] = []
    try:
        for token in yaml.scan("\n".join(lines), Loader=Loader):
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
                opened.append(token.start_mark.line + 1)
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)) and opened:
                opened.pop()
    except yaml.YAMLError:
        pass
    return opened[-1] if opened else None


def _escape_words(what: str, source: str, column: int) -> str | None:
    """A backslash in double quotes that starts no escape YAML knows (a Windows path: C:\\temp\\site)."""
    if what.startswith("found unknown escape character"):
        return f"{terminal_safe(source[column : column + 2], keep='')} (column {column + 1}) is no escape: " + (
            _IN_DOUBLE_QUOTES
        )
    if what.startswith(("did not find expected hexdecimal number", "found invalid Unicode character escape code")):
        start = source.rfind("\\", 0, column + 1)
        letter = source[start + 1 : start + 2]
        if what.startswith("found invalid"):
            code = source[start : start + 2 + _ESCAPE_DIGITS.get(letter, 0)]
            if (words := _surrogate_words(source, start, code)) is not None:
                return words
            told = f"{code} (column {start + 1}) names no character"
        else:
            digits = _ESCAPE_DIGITS.get(letter, 2)
            told = f"\\{letter} (column {start + 1}) starts an escape of {digits} hexadecimal digits (a code)"
        return f"{terminal_safe(told, keep='')}: {_IN_DOUBLE_QUOTES}"
    return None


_FLAG_TAGS = (0xE0020, 0xE007F)
_LOW_HALF = LazyPattern(r"\\u([dD][c-fC-F][0-9a-fA-F]{2})")


def _surrogate_words(source: str, start: int, code: str) -> str | None:
    """A \\u escape of half a surrogate pair (U+D800 to U+DFFF), JSON's form of a character beyond U+FFFF
    (``\\uD83D\\uDE00``), which YAML refuses: the escape YAML reads for that character; None for another code
    or a half alone."""
    value = int(code[2:], 16) if code[1:2] == "u" and len(code) == 6 else -1
    if not 0xD800 <= value <= 0xDFFF:
        return None
    low = _LOW_HALF.match(source, start + 6) if value < 0xDC00 else None
    if low is None:
        return None  # a half alone: a backslash meant as itself as likely (C:\\uD800), told as any other escape
    character = 0x10000 + ((value - 0xD800) << 10) + (int(low[1], 16) - 0xDC00)
    from pic.validators import refused_character  # a syntax error's path alone: pydantic's import deferred

    # a tag character of a subdivision's flag is taken there (the flag is judged with the field's text)
    if not _FLAG_TAGS[0] <= character <= _FLAG_TAGS[1] and (why := refused_character(chr(character))) is not None:
        return (
            f"{code}{low.group()} (column {start + 1}) is JSON's form of U+{character:X} (a surrogate pair), which "
            f"YAML does not read, and a character no text may hold ({why.removeprefix('holds ').split(' at ')[0]}): "
            "remove it"
        )
    return (
        f"{code}{low.group()} (column {start + 1}) is JSON's form of U+{character:X} (a surrogate pair), which YAML "
        f"does not read: write it \\U{character:08X} (eight digits), or the character itself"
    )


def _block_text_words(exc: yaml.MarkedYAMLError, source: str, column: int) -> str | None:
    """What follows a block text's '|' or '>' on its line that YAML does not take (|0, >x)."""
    what = exc.problem or ""
    if what.startswith("found an indentation indicator equal to 0"):
        return (
            f"{source[column - 1 : column + 1]} (column {column}): the digit after '|' or '>' is how far the text's "
            "lines are indented past the key's, 1 to 9: write '|' or '>' alone, or put the value in quotes"
        )
    if what.startswith("did not find expected comment or line break") and "block scalar" in (exc.context or ""):
        return (
            f"{_at(source[column : column + 1], column)} after '|' or '>': only a digit 1 to 9, '-' or '+' may "
            "follow them on the line; put the text on the lines below, indented, or put the value in quotes"
        )
    return None


def _directive_words(lines: list[str], at: int, line: int | None) -> tuple[int | None, str]:
    """A line starting with '%' (a directive: %YAML 1.2) where YAML takes none, or text after a document's end."""
    start = next((n for n in range(min(at, len(lines) - 1), -1, -1) if lines[n].startswith("%")), None)
    if start is None:
        return line, "text after the end of the document ('...'): remove the '...' line, or what follows it"
    word = lines[start].split()[0]
    directive = word if word in ("%YAML", "%TAG") else "'%'"  # another line's word may be a secret pasted there
    return start + 1, (
        f"{directive} (column 1): a line starting with '%' is a directive to YAML, and the file needs none: "
        "remove the line (or indent it, or quote a text that starts with '%')"
    )


def _start_words(exc: yaml.MarkedYAMLError, source: str, column: int) -> str | None:
    """A character that cannot start a value where it stands (notes: ], notes: - x, a: !x!y, notes: @x)."""
    what = exc.problem or ""
    context = exc.context or ""
    if not (
        what.startswith(("did not find expected node content", "found undefined tag handle", "found undefined alias"))
        or "block sequence entries are not allowed" in what
        or "mapping keys are not allowed" in what
        or "that cannot start any token" in what
        or context.startswith("while scanning a tag")
    ):
        return None
    if exc.context_mark is not None and context.startswith("while scanning a tag"):
        column = exc.context_mark.column
    ch = source[column : column + 1]
    reads = _STARTS.get(ch, "no value")
    if ch == "-" and "block sequence" in what:
        return (
            f"{_at('- ', column)} after a key on its line: YAML reads it as {reads}; put the items on the lines "
            "below, each '- ' indented under the key, or in brackets (key: [a, b]), or quote a text starting with '-'"
        )
    return f"{_at(ch, column)} cannot start a value here: YAML reads it as {reads}; put the value in quotes"


# The lines git writes around the two sides of a conflict it cannot merge (git-merge(1), HOW CONFLICTS ARE
# PRESENTED; ||||||| with merge.conflictStyle diff3 or zdiff3): seven of one character at the start of a line
_CONFLICT_MARKER = LazyPattern(r"(?:<{7}|\|{7}|>{7})(?: .*)?|={7}")


def _conflict_words(lines: list[str]) -> tuple[int, str] | None:
    """The line of the first of git's conflict markers in ``lines`` (a merge or rebase stopped on the file, both
    sides left in it) and what to do, when a marker opens and one closes a conflict; None otherwise. YAML reads such
    a file as a syntax error somewhere near, which names neither the conflict nor its lines."""
    marked = [n for n, source in enumerate(lines, 1) if _CONFLICT_MARKER.fullmatch(source.rstrip("\r"))]
    opened = next((n for n in marked if lines[n - 1].startswith("<<<<<<<")), None)
    closed = [n for n in marked if lines[n - 1].startswith(">>>>>>>") and opened is not None and n > opened]
    if opened is None or not closed:
        return None
    shown = lines[opened - 1].rstrip("\r")
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return opened, (
        f"git's conflict markers ({shown}, lines {opened} to {closed[0]}): a merge or rebase left both sides in "
        "this file; keep what it should say and remove the lines <<<<<<<, ======= and >>>>>>>"
    )


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    context = exc.context or ""
    started = context.startswith(_STARTED_AT) and exc.context_mark is not None
    mark = exc.context_mark if started else exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    what = exc.problem or exc.context or "invalid YAML"
    lines = text.splitlines()
    source = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
    if (conflict := _conflict_words(lines)) is not None:
        line, what = conflict
    elif (overlong := _overlong_key(exc, lines)) is not None:
        line, what = overlong
    elif "\t" in what or "\\t" in what or "\t" in source[: len(source) - len(source.lstrip())]:
        what = "a tab character: YAML indents with spaces only (a tab can never indent); replace the tabs by spaces"
    elif what.startswith("but found another document"):
        what = "a second document (after ---): a file holds one document; remove the --- line and what follows"
    elif what.startswith("mapping values are not allowed") and (glued := _glued_key_above(lines, line)) is not None:
        line, what = glued  # key:value on the line above, read with this one as one text
    elif what.startswith("mapping values are not allowed"):
        what = (
            "a ':' where YAML cannot start a key: is a second key on the same line, or a value holding "
            "': ' that needs quotes?"
        )
    elif (words := _syntax_words(exc, lines, line)) is not None:
        what = words
    elif (told := _parser_words(exc, lines, line)) is not None:
        line, what = told
    what = terminal_safe(what, keep="")
    return Problem(file, line, "", f"invalid YAML: {what if len(what) <= 240 else what[:237] + '...'}")


def parse_yaml(
    text: str,
    file: str,
    keys: frozenset[str] = frozenset(),
    *,
    undecodable: Sequence[tuple[int, bytes]] = (),
    comments: bool = False,
    key_root: str | None = None,
    numbers: NumberRefusal | None = None,
) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML document; on a syntax error or a refused character return the problems instead.

    ``keys``: the key names of the file's model; a plain value holding one of
    them followed by ``:`` is reported as a second key on the same line.
    ``undecodable``: (offset in ``text``, bytes) of each sequence that was not
    UTF-8 and stands as U+FFFD in ``text`` (:func:`read_yaml`).
    ``comments``: the file is committed (a member's): a comment holding a secret is a problem too
    (:func:`comment_secrets`, told with the field it is after or above), the document returned all the same.
    ``key_root``: a top-level key whose keys a comment's problem names alone (a Pulumi stack file's ``config``:
    ``pic:tls``, as the settings' own problems name it, not ``config.pic:tls``).
    ``numbers``: why the field at a place refuses a number, that a number a message offers be one it takes.
    """
    doc, problems = _parse_yaml(text, file, keys, undecodable, numbers)
    if comments and (doc is not None or not problems):
        fields = doc.lines if doc is not None else {}
        problems = [*problems, *comment_secrets(text, file, fields, key_root=key_root)]
    return doc, _told_problems(problems, file)


def _parse_yaml(
    text: str,
    file: str,
    keys: frozenset[str],
    undecodable: Sequence[tuple[int, bytes]],
    numbers: NumberRefusal | None = None,
) -> tuple[Document | None, list[Problem]]:
    """:func:`parse_yaml` but for the comments."""
    bad = []
    if _MAYBE_REFUSED.search(text) is not None:  # one scan for a character class: the usual file has none
        bad = [(m.start(), m.group()) for m in _REFUSED_CHARACTER.finditer(text)]
    parsed = _REFUSED_CHARACTER.sub("\ufffd", text) if bad else text  # one character for one: offsets stay
    doc, walk, problems = _parse(parsed, file, keys, spans=bool(bad or undecodable), numbers=numbers)
    if not bad and not undecodable:
        return doc, problems
    refused: list[tuple[int, str | bytes, int]] = [
        *((o, _character_words(ch, n), n) for o, ch, n in _runs(bad)),
        *((o, b, 1) for o, b in undecodable),
    ]
    refused.sort(key=lambda item: item[0])
    as_read = _with_bytes(text, undecodable)
    lines: list[list[tuple[int, str | bytes, int]]] = []
    for item in refused:  # one problem per line, naming each of its refusals in order (a line break between: another)
        if lines and "\n" not in text[lines[-1][-1][0] : item[0]]:
            lines[-1].append(item)
        elif len(lines) < 5:
            lines.append([item])
        else:
            break
    return None, [_refused_problem(text, file, items, walk, as_read=as_read) for items in lines]


def _with_bytes(text: str, undecodable: Sequence[tuple[int, bytes]]) -> str:
    """``text`` with each byte that was not UTF-8 back in the place of its U+FFFD, as the lone surrogate
    :func:`pic.errors.terminal_safe` shows as that byte (``\\xe9``, as ls shows a file name's)."""
    if not undecodable:
        return text
    chars = list(text)
    for offset, data in undecodable:
        chars[offset : offset + len(data)] = [chr(0xDC00 + b) for b in data]
    return "".join(chars)


# The kind of a problem of the YAML walk, for :func:`pic.errors.first_of_each_kind`: its message without what names
# one (quoted text, numbers: "first given on line 4")
_NAMING = LazyPattern(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|[0-9]+')


def _told_problems(problems: list[Problem], file: str) -> list[Problem]:
    """The first :data:`~pic.errors.TOLD_PER_KIND` ``problems`` of each kind (in the order given), and for each kind
    with more one problem counting them, at the line of the first not told."""
    if len(problems) <= TOLD_PER_KIND:
        return problems
    told, untold = first_of_each_kind(problems, lambda problem: _NAMING.sub("", problem.message))
    for first, count in untold.values():
        what = _NAMING.sub("...", first.message).split(";", 1)[0].split(" (", 1)[0]
        message = f"and {count} more like the above ({what}) from this line on, not shown"
        told.append(Problem(file, first.line, "", message, first.severity, count))
    return told


def _parse(
    text: str, file: str, keys: frozenset[str], *, spans: bool, numbers: NumberRefusal | None = None
) -> tuple[Document | None, _Walk | None, list[Problem]]:
    loader = Loader(text)
    walk = None
    try:
        node = loader.get_single_node()
        doc = Document(file, None)
        if node is None:
            return doc, None, []
        doc.lines[()] = node.start_mark.line + 1
        doc.nulls = False  # until the walk meets one (a null is always a plain scalar: _Walk.scalar)
        walk = _Walk(doc, keys, loader, text, spans, numbers=numbers)
        data = walk.node(node, ())
        if walk.aliases > _ALIASES_SHOWN:
            more = walk.aliases - _ALIASES_SHOWN
            # after the aliases told, at the first it counts, as every count of problems not shown
            line = walk.first_alias_untold
            where = "from this line on" if line is not None else "in the file"
            message = f"and {more} more alias(es) {where}, not shown"
            walk.problems.append(Problem(file, line, "", message, faults=more))
        if walk.problems:  # never return a tree holding aliases, merges or tags
            return None, walk, walk.problems
        doc.data = data
    except yaml.MarkedYAMLError as exc:
        return None, walk, [_syntax_problem(exc, text, file)]
    except yaml.YAMLError as exc:
        return None, walk, [Problem(file, None, "", f"invalid YAML: {str(exc)[:200]}")]
    except RecursionError:
        return None, walk, [Problem(file, None, "", "invalid YAML: nested too deeply")]
    finally:
        loader.dispose()
    return doc, walk, []


def _character_words(ch: str, count: int = 1) -> str:
    """What the refused character ``ch`` is, ``count`` times in a row (a file of NULs left by a crash: told once)."""
    name = "NEXT LINE" if ch == "\x85" else unicodedata.name(ch, "")
    code = f"U+{ord(ch):04X}{f' {name}' if name else ''}{f', {count} in a row' if count > 1 else ''}"
    it = "them" if count > 1 else "it"
    if ch in "\x85\u2028\u2029":
        return (
            f"a line break that YAML 1.1 counts and editors do not ({code}): lines would be numbered "
            f"otherwise than in an editor and the value split; remove {it}"
        )
    if ch == "\ufeff":
        return f"a byte-order mark after the start of the file ({code}): remove {it}"
    if ch in "\ufffe\uffff":
        return f"a noncharacter ({code}): remove {it}"
    return f"a control character ({code}), which YAML files may not hold: remove {it}"


def _runs(bad: list[tuple[int, str]]) -> list[tuple[int, str, int]]:
    """The refused characters ``bad`` (offset, character; in order) as runs of one character: (offset of the first,
    the character, how many in a row)."""
    runs: list[tuple[int, str, int]] = []
    for offset, ch in bad:
        if runs and runs[-1][1] == ch and runs[-1][0] + runs[-1][2] == offset:
            runs[-1] = (runs[-1][0], ch, runs[-1][2] + 1)
        else:
            runs.append((offset, ch, 1))
    return runs


_BYTES_NAMED = 5  # the bytes that are not UTF-8 named on one line: the others counted


def _bytes_words(places: list[tuple[bytes, int]]) -> str:
    """The bytes that are not UTF-8 of one line (:func:`not_utf8_words`), and what to do."""
    return f"{not_utf8_words(places)}: save the file as UTF-8"


def not_utf8_words(places: Sequence[tuple[bytes, int]]) -> str:
    """The bytes that are not UTF-8 of one line, ``places`` (each sequence and its column, in order): each sequence
    (its first 8 bytes) at its column, past five counted: ``bytes that are not UTF-8 (\\xe9, column 8; \\xe9,
    column 11)``, as every file pic reads tells them (a member file, an export, a host's disk usage file)."""
    named = ["".join(f"\\x{b:02x}" for b in data[:8]) + f", column {column}" for data, column in places[:_BYTES_NAMED]]
    more = len(places) - _BYTES_NAMED
    shown = "; ".join(named) + (f"; and {more:,} more" if more > 0 else "")
    return f"bytes that are not UTF-8 ({shown})"


def not_utf8_places(line: str) -> list[tuple[bytes, int]]:
    """Each run of bytes that is not UTF-8 in ``line``, decoded with ``surrogateescape`` (a lone surrogate for each
    such byte), and its column (1-based, in characters, each such byte one), in order: :func:`not_utf8_words`'s."""
    return [(bytes(ord(c) - 0xDC00 for c in m.group()), m.start() + 1) for m in _ESCAPED_BYTES.finditer(line)]


def single_byte_text(data: bytes) -> str | None:
    """iconv's name of the charset ``data``, not UTF-8, reads as text in: ``LATIN1`` (ISO-8859-1), or ``CP1252``
    (Windows' Western European, as Excel and older mail clients save a file) when it holds a byte of \\x80 to \\x9f,
    which Latin-1 reads as a control; None when a byte is none of its characters, or the text would hold a control
    character other than a tab or a line break (a binary file, another charset's), or when a line of ``data`` is
    UTF-8 already (a UTF-8 file where one line was typed in Latin-1, lines of two files joined: converted whole, its
    UTF-8 characters, Ondřej's ř, é, would be written as two or three characters each, Å™, Ã©, and the file said
    fixed). A line is read whole: a Latin-1 line's bytes may make one UTF-8 character by chance (a French à, nbsp
    and «, \\xe0\\xa0\\xab, read as a Samaritan letter), rarely all of a line's."""
    if any(_is_utf8_beyond_ascii(line) for line in data.splitlines()):
        return None
    # \x80 to \x9f: characters of CP1252 (its €, quotes, dashes, Œ and œ), where Latin-1 has C1 controls
    charset, codec = ("CP1252", "cp1252") if re.search(rb"[\x80-\x9f]", data) else ("LATIN1", "latin-1")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:  # \x81, \x8d, \x8f, \x90, \x9d: no character of CP1252
        return None
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in text):
        return None
    return charset


def _is_utf8_beyond_ascii(line: bytes) -> bool:
    """Whether ``line`` holds a byte beyond ASCII and reads wholly as UTF-8."""
    if line.isascii():
        return False
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def iconv_offer(data: bytes, file: str, then: str | None = None) -> list[Problem]:
    """The line of iconv that writes ``data``, the bytes of ``file`` not UTF-8, in UTF-8, when they read as text in
    Latin-1 or CP1252 (:func:`single_byte_text`: as an older editor, a spreadsheet or a mail client saves one); told
    once, before its lines, no fault of its own. A file given to a command (an export, a --domains file) is written
    beside it (``FILE.utf8``), ``then`` said of it; without ``then``, a file pic reads where it stands (a member
    file, the stack file, notices.yaml, a host's disk usage file) is converted in place, the file replaced only
    once iconv has written it all, and written into, not moved over: a link stays a link, the file its mode and owner
    (``iconv ... FILE > FILE.utf8 && cat FILE.utf8 > FILE && rm FILE.utf8``). None where the bytes
    read as no such text (iconv would write control characters)."""
    import shlex

    charset = single_byte_text(data.removeprefix(b"\xef\xbb\xbf"))
    if charset is None:
        return []
    said = "Latin-1 text (ISO-8859-1)" if charset == "LATIN1" else "CP1252 text (Windows' Western European)"
    path = f"./{file}" if file.startswith("-") else file  # -liste.txt: iconv would read it as its options
    source, converted = shlex.quote(path), shlex.quote(f"{path}.utf8")
    line = f"iconv -f {charset} -t UTF-8 {source} > {converted}"
    if then is None:
        in_place = f"{line} && cat {converted} > {source} && rm {converted}"  # a link kept, and the file's mode
        why = f"reads as {said}, not UTF-8: convert it in place with `{in_place}`"
    else:
        why = f"reads as {said}, not UTF-8: convert it with `{line}`, then {then} ({converted})"
    return [Problem(file, None, "", why, faults=0)]


def _single_byte_read(line: str, start: int, items: list[tuple[int, str | bytes, int]]) -> str:
    """``line`` (from offset ``start`` of its file's text) with the U+FFFD standing for each byte of ``items`` that
    is not UTF-8 replaced by that byte as CP1252 reads it, or Latin-1 where CP1252 has none: one character a byte,
    as :func:`single_byte_text` reads a whole file."""
    chars = list(line)
    for offset, what, _ in items:
        if isinstance(what, bytes):
            read = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in what)
            at = offset - start
            chars[at : at + len(what)] = read
    return "".join(chars)


def _refused_problem(
    text: str,
    file: str,
    items: list[tuple[int, str | bytes, int]],
    walk: _Walk | None,
    *,
    as_read: str | None = None,
) -> Problem:
    """The refused characters and bytes of one line, ``items`` (offset, the words of a run of refused characters
    or the bytes that are not UTF-8, how many in a row; in order): the line, the columns, the field the first
    sits in, the line's text (as ``as_read`` holds it: its bytes that are not UTF-8 shown as such)."""
    offset = items[0][0]
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    end = end if end >= 0 else len(text)
    line_text = text[start:end].strip()
    line = text.count("\n", 0, offset) + 1
    loc: Loc = ()
    above = text[text.rfind("\n", 0, max(start - 1, 0)) + 1 : start]
    # what the message would show (show_value: the line's first 80 characters), after the end of the line above; its
    # bytes that are not UTF-8 read too as a single-byte charset gives them (# cl\xe9 wifi : ...: a label in Latin-1)
    readable = _single_byte_read(text[start:end], start, items).strip()
    secret = any(names_secret(t) or _may_hold_secret(above[-200:] + t[:100]) for t in {line_text, readable})
    if walk is not None and walk.spans is not None:
        # the key or value that starts last before the character: the one it sits in, or whose line it ends
        chosen = max((span for span in walk.spans if span[0] <= offset), key=lambda span: span[0], default=None)
        loc = chosen[2] if chosen is not None else ()
        # a key read with U+FFFD in the place of a refused character or byte is no field of the file: those above
        cut = next((n for n, key in enumerate(loc) if isinstance(key, str) and "\ufffd" in key), None)
        loc = loc if cut is None else loc[:cut]
        # a secret anywhere on the line (the character may stand before it or after it)
        secret = secret or any(is_secret_field(span[2]) for span in walk.spans if span[0] <= end and span[1] > start)
    # the line, which the column counts in (the key too, a comment, a flow mapping's other fields): said so
    written = line_text if as_read is None else as_read[start:end].strip()
    shown = HIDDEN_LINE if secret or is_secret_field(loc) else f"the line {show_value(written)}"
    told = []
    places = [(what, o - start + 1) for o, what, _ in items if isinstance(what, bytes)]
    for o, what, length in items:
        column = o - start + 1
        if isinstance(what, str):
            columns = f"column {column}" if length == 1 else f"columns {column} to {column + length - 1}"
            told.append(f"{what} ({columns})")
        elif places:  # the line's bytes, told together where the first stands
            told.append(_bytes_words(places))
            places = []
    return Problem(file, line, shown_loc(loc), f"{shown} holds {', and '.join(told)}")


_BINARY = f"{YAML_TAG}binary"
# base64 (RFC 4648, its URL-safe alphabet too) of 6 bytes or more, in lines or not (a !!binary block)
_BASE64 = LazyPattern(r"\s*(?:[A-Za-z0-9+/_-]{4}\s*){2,}(?:[A-Za-z0-9+/_-]{2,3}={0,2})?\s*")


def _decodes_to_secret(text: str) -> bool:
    """Whether ``text`` is base64 whose bytes, read as UTF-8, read as a secret (pic.secrettext.reads_as_secret): a
    value written so shows the secret to whoever decodes it."""
    if len(text) > 4000 or _BASE64.fullmatch(text) is None:
        return False
    from pic.secrettext import reads_as_secret as text_reads_as_secret

    compact = "".join(text.split()).replace("-", "+").replace("_", "/").rstrip("=")
    try:
        decoded = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except ValueError:
        return False
    return text_reads_as_secret(decoded.decode("utf-8", errors="replace"))


def _may_hold_secret(lines: str) -> bool:
    """Whether the line of a refused character, read with the line above it (a label ending its line, the password
    on the next), may show a secret: a key named for one, or what ``pic check`` refuses as a secret in prose or in a
    command (pic.secrettext), read with the refused characters removed and as line breaks (they may split the
    secret, or join it to the text around it)."""
    variants = (_REFUSED_CHARACTER.sub("", lines), _REFUSED_CHARACTER.sub("\n", lines))
    return any(names_secret(variant) or reads_as_secret(variant) for variant in variants)


class _Unreadable(Exception):
    """Why a file is not read (never its content)."""


def read_regular_file(
    path: Path | str, file: str, limit: int = MAX_FILE_BYTES, *, follow_links: bool = False, head: bool = False
) -> tuple[bytes | None, list[Problem]]:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes, else the problem;
    with ``head``, the first ``limit`` bytes of a longer one.

    Never follows a symbolic link (``lstat``, then ``O_NOFOLLOW``) unless
    ``follow_links`` (the stack file, which the admins own; its target must
    still be a regular file), never blocks on a FIFO or a device (checked
    before opening, opened with ``O_NONBLOCK``), never reads more than
    ``limit`` + 1 bytes. The problem never quotes the content.
    """
    try:
        return _read_regular(path, limit, follow_links, head), []
    except _Unreadable as exc:
        return None, [Problem(file, None, "", str(exc))]


# How a file is opened: never blocking (a FIFO), never becoming the controlling terminal, a link not followed
# but for the stack file (made once, not for each member file).
_OPEN_FOLLOWING = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0)
_OPEN = _OPEN_FOLLOWING | getattr(os, "O_NOFOLLOW", 0)


def _read_regular(path: Path | str, limit: int, follow_links: bool, head: bool = False) -> bytes:
    try:
        mode = (os.stat if follow_links else os.lstat)(path).st_mode
        if not stat.S_ISREG(mode):  # a link: where it leads (as ls -l shows it), and when nothing is there, said so
            kind = f"a symbolic link ({_link_target(path)})" if stat.S_ISLNK(mode) else file_kind(mode)
            raise _Unreadable(f"is {kind}, not a regular file: it is not read")
        fd = os.open(path, _OPEN_FOLLOWING if follow_links else _OPEN)
    except OSError as exc:
        if exc.errno == errno.ELOOP and follow_links:
            raise _Unreadable("is a loop of symbolic links (or a chain of over 40): it is not read") from None
        if exc.errno == errno.ELOOP:
            raise _Unreadable("is a symbolic link, not a regular file: it is not read") from None
        if exc.errno == errno.ENOENT and follow_links and (dead := _link_note(Path(path), ", which does not exist")):
            raise _Unreadable(f"cannot be read{dead}") from None  # a link to a file moved away: where it leads
        raise _Unreadable(f"cannot be read: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _Unreadable(f"is {file_kind(st.st_mode)}, not a regular file: it is not read")
        if st.st_size > limit and not head:
            raise _Unreadable(f"is {st.st_size} bytes long (at most {limit}): it is not read")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            # First the size fstat gave, and one byte more to see the end: a read of the whole limit
            # would allocate (and fault in) 256 KiB for each file of a few hundred bytes.
            chunk = os.read(fd, min(st.st_size + 1, limit + 1) if not chunks else limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit and not head:
            raise _Unreadable(f"is more than {limit} bytes long: it is not read")
        return b"".join(chunks)[:limit]
    except OSError as exc:
        raise _Unreadable(f"cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)


def file_kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, word in [
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]:
        if test(mode):
            return word
    return "a special file"


def not_a_directory(path: Path, what: str) -> str | None:
    """Why ``path`` (a symbolic link followed) is not the ``what`` it should be (``"directory of member
    files"``), or None when it is a directory: ``no such directory of member files``, ``is a regular file, not
    a directory of member files``, or, under something that is no directory, which (``no such directory of
    member files: /tmp/x is a regular file, not a directory``). A symbolic link is named as given, its target
    added (``: a link to data/members``); a loop of links (``members -> members``) is said to be one. Other errors
    (a directory above that cannot be searched) are raised, for the caller to say."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return f"no such {what}{_link_note(path, ', which does not exist')}"
    except NotADirectoryError:
        for above in path.parents:
            try:
                kind = file_kind(os.stat(above).st_mode)
            except OSError:
                continue
            if kind != "a directory":
                return f"no such {what}: {shown_name(above)} is {kind or 'a regular file'}, not a directory"
            break
        return f"no such {what}"
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        return f"is a loop of symbolic links (or a chain of over 40), not a {what}"
    if stat.S_ISDIR(mode):
        return None
    return f"is {file_kind(mode) or 'a regular file'}, not a {what}{_link_note(path)}"


def path_problem(path: Path, option: str, why: str) -> Problem:
    """The problem ``why`` of ``path``, a file or a directory a command line names (``option``: ``--members``) that
    cannot be read, at the path as given (:func:`shown_name`: ``members2 no such directory of member files``); at
    the command line's option, the value not shown, when a part of the path may be a password pasted there
    (:func:`pic.errors.refused_may_be_secret`, of each part: ``--members Lilas2024x``, ``--project
    /srv/Soleil-Azur-75``), its words up to a path they name (a directory above, a link's target: ``names no
    directory of member files``)."""
    from pic.settings import display_path

    shown = display_path(path)
    # read part by part: a directory's name beside another (/srv/Asso-Case2024.org) is no password pasted beside it
    if not any(refused_may_be_secret(part) for part in Path(shown).parts):
        return Problem(shown, None, "", why)
    if why.startswith("no such "):
        words = f"names no {why.split(':', maxsplit=1)[0].removeprefix('no such ')}"
    elif why.startswith("cannot be read: "):  # the system's reason names no path
        words = why
    else:
        words = why.split(":", maxsplit=1)[0]
    return Problem("<command line>", None, option, f"{HIDDEN_VALUE} {words}")


def _link_target(path: Path | str) -> str:
    """``to TARGET`` of the symbolic link ``path`` (as written in the link), ``, which does not exist`` after it when
    nothing is there."""
    try:
        target = os.readlink(path)
    except OSError:
        return "its target unread"
    return f"to {shown_name(target)}{'' if os.path.exists(path) else ', which does not exist'}"


def _link_note(path: Path, after: str = "") -> str:
    """``: a link to TARGET`` when ``path`` is a symbolic link (its target as written in the link), else ``""``."""
    try:
        target = os.readlink(path)
    except OSError:  # not a link, or nothing there
        return ""
    return f": a link to {shown_name(target)}{after}"


def read_yaml(
    path: Path | str,
    file: str,
    keys: frozenset[str] = frozenset(),
    *,
    follow_links: bool = False,
    comments: bool = False,
    key_root: str | None = None,
    numbers: NumberRefusal | None = None,
    then: str | None = None,
) -> tuple[Document | None, list[Problem]]:
    """Read (:func:`read_regular_file`) and parse (:func:`parse_yaml`, ``comments``, ``key_root`` and ``numbers`` as
    it takes them) one YAML file; ``then`` as :func:`decode_yaml` takes it."""
    data, problems = read_regular_file(path, file, follow_links=follow_links)
    if data is None:
        return None, problems
    text, problems = decode_yaml(data, file, keys, then)
    if text is None:
        return None, problems
    return parse_yaml(text, file, keys, comments=comments, key_root=key_root, numbers=numbers)


def decode_yaml(
    data: bytes, file: str, keys: frozenset[str] = frozenset(), then: str | None = None
) -> tuple[str | None, list[Problem]]:
    """The text of a YAML file's bytes ``data``, or None and why it is refused: the UTF-16 or UTF-32 it is written
    in (YAML 1.2 §5.2), else each run of bytes that is not UTF-8, by its line, column and field (``keys`` as
    :func:`parse_yaml` takes them), as a member file's are named, after the line of iconv that converts the file
    when its bytes read as Latin-1 or CP1252 (:func:`iconv_offer`: in place, or beside it with ``then``)."""
    encoding = _other_encoding(data)
    if encoding is not None and _reads_in(data, encoding):  # not read as UTF-8: every other byte a NUL
        return None, [Problem(file, 1, "", f"is encoded in {encoding}: save the file as UTF-8")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        text, undecodable = _decode_replacing(data)
        return None, iconv_offer(data, file, then) + parse_yaml(text, file, keys, undecodable=undecodable)[1]


# How YAML 1.2 tells a stream's encoding from its first bytes (§5.2, "Character Encodings"), UTF-8 apart:
# a byte-order mark, or the NULs around the first character (ASCII in any YAML file).
_OTHER_ENCODINGS = (
    (re.compile(rb"\x00\x00\xfe\xff|\x00\x00\x00[^\x00]", re.DOTALL), "UTF-32 (big-endian)"),
    (re.compile(rb"\xff\xfe\x00\x00|[^\x00]\x00\x00\x00", re.DOTALL), "UTF-32 (little-endian)"),
    (re.compile(rb"\xfe\xff|\x00[^\x00]", re.DOTALL), "UTF-16 (big-endian)"),
    (re.compile(rb"\xff\xfe|[^\x00]\x00", re.DOTALL), "UTF-16 (little-endian)"),
)


# The first bytes one of them can start with (a byte-order mark's, a NUL); else a NUL second byte is needed.
_OTHER_FIRST_BYTES = (b"\x00", b"\xfe", b"\xff")


def _other_encoding(data: bytes) -> str | None:
    """The UTF-16 or UTF-32 encoding ``data`` is written in (:func:`other_encoding`), as YAML tells it, or None."""
    name = other_encoding(data)
    if name is None:
        return None
    return f"{name}, as YAML tells from its first bytes" + (
        " (a byte-order mark)" if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] == b"\x00\x00\xfe\xff" else ""
    )


def other_encoding(data: bytes) -> str | None:
    """The UTF-16 or UTF-32 encoding ``data`` is written in (as an editor saves "Unicode" text), or None: by its
    byte-order mark, or the NULs around its first character, ASCII (YAML 1.2 §5.2, "Character Encodings"; a file
    of text pic reads, YAML or not, starts with an ASCII character).

    Every pattern of :data:`_OTHER_ENCODINGS` starts with a NUL, a byte-order mark (FE or FF), or a byte then a
    NUL: a file whose first byte is none of those and whose second is no NUL (every UTF-8 member file) is told
    at once, not by four patterns (tests/test_fields_fast.py compares both on every start of four bytes)."""
    if data[:1] not in _OTHER_FIRST_BYTES and data[1:2] != b"\x00":
        return None
    for pattern, name in _OTHER_ENCODINGS:
        if pattern.match(data) is not None:
            return name
    return None


_CODECS = {
    "UTF-32 (big-endian)": "utf-32-be",
    "UTF-32 (little-endian)": "utf-32-le",
    "UTF-16 (big-endian)": "utf-16-be",
    "UTF-16 (little-endian)": "utf-16-le",
}


def _reads_in(data: bytes, told: str) -> bool:
    """Whether ``data``, told by its first bytes to be in ``told`` (:func:`_other_encoding`), is text in it: a
    byte-order mark says so; else it decodes in that encoding, and half its characters at least are ASCII, as in
    every member or stack file (a UTF-8 file with a NUL among its first bytes, damaged or with a stray byte, reads
    in UTF-16 as CJK ideographs, or not at all: it is read as UTF-8, its NUL told where it stands)."""
    if "(a byte-order mark)" in told:
        return True
    codec = next(codec for name, codec in _CODECS.items() if told.startswith(name))
    width = 4 if codec.startswith("utf-32") else 2
    try:
        text = data[: len(data) - len(data) % width].decode(codec)
    except UnicodeDecodeError:
        return False
    return sum(ch.isascii() for ch in text) * 2 >= len(text)


def _decode_replacing(data: bytes) -> tuple[str, list[tuple[int, bytes]]]:
    """``data`` decoded with U+FFFD for each byte that is not UTF-8, and where each run of them stands."""
    escaped = data.decode("utf-8", errors="surrogateescape")  # each such byte: one lone surrogate U+DC80..U+DCFF
    runs = [(m.start(), bytes(ord(c) - 0xDC00 for c in m.group())) for m in _ESCAPED_BYTES.finditer(escaped)]
    return _ESCAPED_BYTES.sub(lambda m: "\ufffd" * len(m.group()), escaped), runs


_ESCAPED_BYTES = LazyPattern(r"[\udc80-\udcff]+")  # lone surrogates written as escapes, which re reads


def is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


# Where a YAML comment starts (YAML 1.2 §6.6, "Comments"): a "#" at a line's start or after white space, to the
# line's end. One inside a quoted or block scalar is text, not a comment: told apart by the scanner's tokens.
# A comment's '#': at a line's start or after white space (YAML 1.2 §6.6), or right after a closing quote or bracket,
# where PyYAML's scanner, which loads the file, takes it for a comment's too (notes: "ticket"# ...: its value is
# "ticket"); one inside a scalar (a plain scalar's l'asso'#2) is dropped by _outside_scalars.
_COMMENT_START = re.compile(r"(?:^|(?<=[ \t\"'\]}]))#", re.MULTILINE)  # every member file pic new writes has one
# The YAML language server's modeline naming the file's schema (pic new writes it first in every member file):
# a path or a URL, no secret's place.
_SCHEMA_MODELINE = re.compile(r"[ \t]*yaml-language-server:[ \t]*\$schema=[^\s]*[ \t]*")


def comment_secrets(
    text: str, file: str, fields: Mapping[Loc, int] | None = None, *, key_root: str | None = None
) -> list[Problem]:
    """A problem for each comment of ``text`` (a YAML file's, committed with it) that holds a secret as notes can
    (:func:`_secret_of`: ``# mdp: Azerty123``, ``# sftp: karim / S3cr3t!2024``, a URL's ``user:password@``, a
    private key commented out), the secret not shown. Comments on lines of their own that follow one another are
    read as one text (a label on one line, its value on the next); a comment after a value is read alone. Its line
    is the one the secret starts on. ``fields``, the line (1-based) of each key and item of the parsed text
    (:attr:`Document.lines`, which the parser's walk records: the text is not parsed again), names where the comment
    is (:func:`_comment_place`; ``key_root`` as :func:`parse_yaml` takes it); without them the place is not told. A
    ``#`` inside a quoted or block scalar is its text (read as its field is), not a comment, and one after the
    closing quote of a scalar holding " #" on its line is found there (``notes: "ticket #4521"  # mdp: ...``), as
    is one right after a closing quote or bracket, which PyYAML takes for a comment (``notes: "ticket"# mdp:
    ...``). Linear in the text's length."""
    if "#" not in text:
        return []
    comments = _comments(text.removeprefix("\ufeff"))
    if not any(_secret_of(body) for *_, body in _comment_groups(comments)):
        return []  # the usual file: its comments read once, its scalars never scanned
    inside = _scalar_spans(text.removeprefix("\ufeff"))  # in the order of the text, none inside another
    starts = [begin for begin, _stop in inside]
    lines = text.removeprefix("\ufeff").split("\n")
    kept = [c for comment in comments if (c := _outside_scalars(comment, inside, starts, lines)) is not None]
    problems = []
    by_line: _FieldLines | None = None  # made at the first secret found: most files hold none
    for line, _column, own_line, body in _comment_groups(kept):
        found = _secret_of(body)
        if found is None:
            continue
        where = ""
        if fields is not None:
            by_line = by_line or _FieldLines(fields)
            where = " " + _comment_place(by_line, line + 1, body.count("\n"), own_line, key_root)
        problems.append(
            Problem(
                file,
                line + found[1] + 1,
                "",
                f"a comment (not shown){where} holds {found[0]}, which would be committed in clear with this file "
                "and stay in the repository's history: remove it, and keep the secret in the admins' password "
                "manager; if a commit already holds it, change the secret",
            )
        )
    return problems


class _FieldLines:
    """The fields of a parsed text (:attr:`Document.lines`: each key's and item's line, 1-based, the document's own
    left out) ordered by line, those of one line in the file's order (the outermost first), for
    :func:`_comment_place` to find a comment's neighbours by bisection: a file of thousands of commented secrets
    was read in time growing with their number times its fields."""

    __slots__ = ("lines", "locs")

    def __init__(self, fields: Mapping[Loc, int]) -> None:
        ordered = sorted(((line, loc) for loc, line in fields.items() if loc), key=lambda item: item[0])
        self.lines = [line for line, _loc in ordered]
        self.locs = [loc for _line, loc in ordered]


def _comment_place(fields: _FieldLines, first: int, more: int, own_line: bool, key_root: str | None) -> str:
    """Where a comment is, for its problem, from ``fields`` (:class:`_FieldLines`). A comment after a value:
    ``after`` the outermost field on its line ``first`` (``limits`` for ``limits: {cpus: 1}  # ...``; a list item's
    first key for ``- command: ...  # ...``), else the one of a value written over lines above (``notes: "...\n
    ..."  # ...``). Lines of comments (``first`` and ``more`` lines under it): ``above`` the field on the next line
    holding one, which such a comment reads as a note on. ``at the top of the file`` or ``at the end of the file``
    when no field is above or under it. A field is named as problems name it (:func:`shown_loc`), one under
    ``key_root`` without it. Logarithmic in the number of fields, but for those on the comment's own line."""
    lines, locs = fields.lines, fields.locs
    start = bisect.bisect_left(lines, first)  # the first field on the comment's line or under it
    # the field on the closest line above (the outermost of its line)
    above = locs[bisect.bisect_left(lines, lines[start - 1])] if start else None
    on: Loc | None = None
    if not own_line:
        for loc in locs[start : bisect.bisect_right(lines, first)]:
            if on is None or (isinstance(on[-1], int) and loc[:-1] == on):  # an item's first key, on its line
                on = loc
    after_last = bisect.bisect_right(lines, first + more)
    below = locs[after_last] if after_last < len(locs) else None
    if not own_line:
        after = on if on is not None else above
        return "at the top of the file" if after is None else f"after {_field_name(after, key_root)}"
    if below is None:
        return "at the end of the file" if above is not None else "in a file holding no field"
    if above is None:
        return f"at the top of the file, above {_field_name(below, key_root)},"
    return f"above {_field_name(below, key_root)}"


def _field_name(loc: Loc, key_root: str | None) -> str:
    """``loc`` as :func:`shown_loc` names it, a key under ``key_root`` without it (``pic:tls``)."""
    if key_root is not None and len(loc) > 1 and loc[0] == key_root:
        loc = loc[1:]
    return shown_loc(loc)


def _outside_scalars(
    comment: tuple[int, int, bool, str],
    inside: list[tuple[tuple[int, int], tuple[int, int]]],
    starts: list[tuple[int, int]],
    lines: list[str],
) -> tuple[int, int, bool, str] | None:
    """``comment`` (:func:`_comments`) if its "#" is outside every scalar of ``inside`` (their ``starts``, in the
    order of the text); a "#" inside a quoted scalar is its text, and the comment, if any, follows the scalar on the
    line where it ends (``notes: "ticket #4521"  # ...``, another scalar between them in a flow sequence); None
    when there is none."""
    line, column, own_line, body = comment
    while (at := bisect.bisect_right(starts, (line, column)) - 1) >= 0 and (line, column) < inside[at][1]:
        stop_line, stop_column = inside[at][1]
        after = _COMMENT_START.search(lines[line], stop_column) if stop_line == line else None
        if after is None:
            return None
        column, own_line, body = after.start(), False, lines[line][after.end() :].removesuffix("\r")
    return line, column, own_line, body


def _comments(text: str) -> list[tuple[int, int, bool, str]]:
    """Each comment of ``text``: its line and column (0-based), whether it is on a line of its own, its text."""
    out = []
    line, counted, end = 0, 0, -1
    for found in _COMMENT_START.finditer(text):
        if found.start() < end:
            continue  # a "#" inside the comment before it, on its line
        line += text.count("\n", counted, found.start())  # lines from the last comment: linear in all
        counted = found.start()
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        end = len(text) if end < 0 else end
        body = text[found.end() : end].removesuffix("\r")
        own_line = not text[start : found.start()].strip()
        if not (own_line and _SCHEMA_MODELINE.fullmatch(body)):
            out.append((line, found.start() - start, own_line, body))
    return out


def _comment_groups(comments: Sequence[tuple[int, int, bool, str]]) -> list[tuple[int, int, bool, str]]:
    """``comments`` (:func:`_comments`) as the texts read: those on lines of their own that follow one another
    joined by line breaks, each with its first line and column and whether it is on lines of its own."""
    groups: list[tuple[int, int, bool, list[str]]] = []
    last = -2
    for line, column, own_line, body in comments:
        if own_line and groups and last == line - 1:
            groups[-1][3].append(body)
        else:
            groups.append((line, column, own_line, [body]))
        last = line if own_line else -2
    return [(line, column, own_line, "\n".join(bodies)) for line, column, own_line, bodies in groups]


# A line of YAML commented out: a key (its namespace and path: pic:dbAdminPassword, mysql.password), ':' and a value;
# or of a .env or .ini file, '=' and a value
_COMMENTED_KEY = LazyPattern(
    r"^[ \t#]*(?:-[ \t]+)?[\"']?(?P<k>[A-Za-z][\w.-]*(?::[A-Za-z][\w.-]*)*)[\"']?[ \t]*(?::[ \t]+|=[ \t]*)"
    r"(?P<v>[^\s#][^\n]*?)[ \t]*$",
    re.MULTILINE,
)
_CAMEL = LazyPattern("[a-z0-9][A-Z]")
# A word that may name a key of YAML commented out
_KEY_WORD = LazyPattern(r"[A-Za-z][\w.-]*")


def _secret_of(text: str) -> tuple[str, int] | None:
    """The kind of the secret ``text`` holds as notes are read (pic.secrettext.prose_secret: a password after its
    label, a pair, a URL's credentials, a key, a command's password option) and its line in ``text`` (0 the
    first), or None. A line of YAML commented out, a key written as a configuration key (a namespace, a path, a
    ``_`` or a capital inside: ``pic:dbAdminPassword``, ``mysql.password``, ``smtp_pass``, ``dbAdminPassword``) and
    named for a secret (:func:`secret_value_name`: ``adminPwd``, ``dbPass`` too, not ``tokenExpiry``; ``secure``,
    Pulumi's ciphertext, excepted), then a value read as prose reads one after a password's label
    (pic.secrettext.labelled_password: ``S3cretPw9``, not ``stored in Bitwarden``, ``voir-coffre`` nor
    ``${DB_PASSWORD}``), is one too: prose reads a label as a word (``Token: renouvelé en mars``)."""
    from pic.secrettext import PULUMI_CIPHERTEXT, labelled_password, prose_secret

    found = prose_secret(text)
    if found is not None:
        return found[0], text.count("\n", 0, found[1])
    if ":" not in text and "=" not in text:
        return None
    for m in _COMMENTED_KEY.finditer(text):
        key = m.group("k")
        name = key.rsplit(":", 1)[-1].rsplit(".", 1)[-1]
        written_as_key = key != name or "_" in name or "-" in name or _CAMEL.search(name) is not None
        value = m.group("v")
        if (
            written_as_key
            and name != "secure"
            and secret_value_name(name)
            and PULUMI_CIPHERTEXT.fullmatch(value) is None
            and labelled_password(value)
        ):
            return "a password", text.count("\n", 0, m.start("k"))
    if "{" in text or "[" in text or "\n" in text:
        return _commented_yaml_secret(text)
    return None


def _commented_yaml_secret(text: str) -> tuple[str, int] | None:
    """A password in ``text`` read as YAML, as a file's lines commented out are: a value of a key named for a secret
    (:func:`secret_value_name`, ``secure`` excepted) in flow style, in a list or under it on the next lines (``pic:db:
    {adminPassword: S3cretPw9}``, ``pic:dbAdminPassword: [S3cretPw9]``, ``pic:dbAdminPassword:`` then ``- S3cretPw9``),
    a text read as a password after a password's label is (pic.secrettext.labelled_password); its line in ``text``,
    or None. Each line holding ':' is read with the lines under it indented further (at most
    :data:`_COMMENTED_BLOCK_LINES`), so that the comments around it, prose, do not make the whole no YAML."""
    if not any(
        secret_name(word) or any(secret_value_name(part) for part in word.split("."))
        for word in set(_KEY_WORD.findall(text))  # each word once: a comment repeats its words (le, de, la...)
    ):
        return None  # no key named for a secret: no YAML parsed
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if ":" not in line:
            continue
        indent = len(line) - len(line.lstrip(" "))
        j = i + 1
        while (
            j < len(lines)
            and j - i < _COMMENTED_BLOCK_LINES
            and (
                not lines[j].strip()
                or len(lines[j]) - len(lines[j].lstrip(" ")) > indent
                # a list at the key's own indentation, as YAML allows under a key ending its line
                or (line.rstrip().endswith(":") and lines[j][indent:].startswith("- "))
            )
        ):
            j += 1
        if (j > i + 1 or "{" in line or "[" in line) and _yaml_secret("\n".join(part[indent:] for part in lines[i:j])):
            return "a password", i  # (a line alone, KEY: VALUE, is _COMMENTED_KEY's)
    return None


# The lines read as one block of YAML commented out: a key and those under it (a list, a mapping of a few keys);
# a comment of thousands of lines each indented further than the last is read in 16 times its length
_COMMENTED_BLOCK_LINES = 16


def _yaml_secret(text: str) -> bool:
    """Whether ``text``, read as YAML, holds a password under a key named for a secret (see _commented_yaml_secret);
    False for a text that is no YAML."""
    from pic.secrettext import PULUMI_CIPHERTEXT, labelled_password

    try:
        data = yaml.load(text, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return False
    stack: list[object] = [data]
    seen: set[int] = set()  # a node an alias repeats, walked once: a "billion laughs" is no longer than its text
    while stack:
        node = stack.pop()
        if not isinstance(node, list | dict) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, list):
            stack.extend(node)
            continue
        for key, value in node.items():
            stack.append(value)
            name = str(key).rsplit(":", 1)[-1].rsplit(".", 1)[-1]
            if name == "secure" or not secret_value_name(name):
                continue
            values = value if isinstance(value, list) else [value]
            # a number too (a PIN, 84620193), as the stack file refuses one under a secret's name
            texts = [str(v) for v in values if isinstance(v, str | int) and not isinstance(v, bool)]
            ciphertext = PULUMI_CIPHERTEXT
            if any(ciphertext.fullmatch(v) is None and labelled_password(v) for v in texts):
                return True
    return False


def _scalar_spans(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(line, column) where each scalar of ``text`` starts and ends, as libyaml's scanner reads them (a quoted or
    block scalar may hold a "#" that is no comment); a block scalar's from the line after its header, where its
    text starts: a "#" after the header's ``|`` or ``>`` (and its indentation and chomping indicators) starts a
    comment (YAML 1.2 §8.1.1); none for a text it cannot scan."""
    spans = []
    try:
        for token in yaml.scan(text, Loader=yaml.CSafeLoader):
            if isinstance(token, yaml.ScalarToken):
                start = (token.start_mark.line, token.start_mark.column)
                if token.style in ("|", ">"):
                    start = (token.start_mark.line + 1, 0)
                spans.append((start, (token.end_mark.line, token.end_mark.column)))
    except yaml.YAMLError:
        pass
    return spans

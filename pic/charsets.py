"""Character sets a member may choose: for a static site's text files, for a database connection.

Static sites: the names of the WHATWG Encoding Standard (https://encoding.spec.whatwg.org/,
"Names and labels"), the encodings browsers decode; each is an IANA charset name
(https://www.iana.org/assignments/character-sets/), written in lowercase as the web writes them.

Databases: MariaDB character sets (``SHOW CHARACTER SET``) that PHP's mysqlnd also knows, for the
connection: ``utf8mb4`` unless a legacy base is stored in another one.
"""

from __future__ import annotations

import codecs
import functools
import re
from typing import Literal, get_args

STATIC_DEFAULT = "utf-8"
CHARSETS = frozenset(
    {
        "utf-8",
        "ibm866",
        "iso-8859-2",
        "iso-8859-3",
        "iso-8859-4",
        "iso-8859-5",
        "iso-8859-6",
        "iso-8859-7",
        "iso-8859-8",
        "iso-8859-8-i",
        "iso-8859-10",
        "iso-8859-13",
        "iso-8859-14",
        "iso-8859-15",
        "iso-8859-16",
        "koi8-r",
        "koi8-u",
        "macintosh",
        "windows-874",
        "windows-1250",
        "windows-1251",
        "windows-1252",
        "windows-1253",
        "windows-1254",
        "windows-1255",
        "windows-1256",
        "windows-1257",
        "windows-1258",
        "gbk",
        "gb18030",
        "big5",
        "euc-jp",
        "iso-2022-jp",
        "shift_jis",
        "euc-kr",
        "utf-16be",
        "utf-16le",
        # Labels of windows-1252 in the Encoding Standard, kept as the pages that declare them say:
        # ISO-8859-1 pages are the reason a member sets a charset at all.
        "iso-8859-1",
        "us-ascii",
    }
)


def named_otherwise(value: str) -> str | None:
    """The charset of :data:`CHARSETS` that ``value`` names by another name of its encoding, as MariaDB, PHP or
    Windows write it (``latin1``: iso-8859-1, ``cp1252``: windows-1252, ``sjis``: shift_jis), Python's codecs
    telling the names of one encoding; None for a name of none of them, or of an encoding two of them share."""
    if len(value) > 40 or not value.isascii():
        return None
    try:
        codec = codecs.lookup(value.strip()).name
    except (LookupError, ValueError):  # ValueError: a name holding NUL ("latin1\0")
        return None
    return _by_codec().get(codec)


@functools.cache
def _by_codec() -> dict[str, str]:
    named: dict[str, list[str]] = {}
    for name in sorted(CHARSETS):
        try:
            named.setdefault(codecs.lookup(name).name, []).append(name)
        except LookupError:  # a name Python's codecs lack (windows-874, iso-8859-8-i)
            continue
    return {codec: names[0] for codec, names in named.items() if len(names) == 1}


DB_DEFAULT = "utf8mb4"
DbCharset = Literal["utf8mb4", "utf8", "latin1", "latin2", "ascii", "cp1250", "cp1251", "cp1256", "greek", "koi8r"]


# MariaDB's name of the three-byte UTF-8 that utf8 stands for, and UTF-8 as other programs write it.
_DB_NAMED = {"utf8mb3": "utf8", "utf-8": "utf8mb4"}
_COLLATION = re.compile(r"([a-z0-9]+)_[a-z0-9_]+")


# MariaDB's charsets (SHOW CHARACTER SET) by the name of Python's codec of the same encoding: ISO-8859-1, latin-1
# and windows-1252 are MariaDB's latin1 (which is cp1252: MariaDB's manual, "Supported Character Sets"), ISO-8859-7
# its greek, KOI8-R its koi8r. UTF-8 is told above (utf8mb4, not the three-byte utf8).
_DB_BY_CODEC = {
    "iso8859-1": "latin1",
    "cp1252": "latin1",
    "iso8859-2": "latin2",
    "ascii": "ascii",
    "cp1250": "cp1250",
    "cp1251": "cp1251",
    "cp1256": "cp1256",
    "iso8859-7": "greek",
    "koi8-r": "koi8r",
}


def db_meant(value: str) -> str | None:
    """The database charset ``value`` names otherwise: a collation's (``utf8mb4_general_ci``,
    ``latin1_swedish_ci``: MariaDB names each collation after its charset), utf8mb3's (utf8), UTF-8's as other
    programs write it (``UTF-8``: MariaDB's four-byte utf8mb4, not its three-byte utf8), or the encoding's name
    as the web, PHP or Python write it (``ISO-8859-1``, ``latin-1``, ``windows-1251``: latin1, cp1251); None
    otherwise."""
    text = value.strip().lower()
    if text in _DB_NAMED:
        return _DB_NAMED[text]
    collation = _COLLATION.fullmatch(text)
    if collation is None:
        return _db_by_codec(text)
    charset = _DB_NAMED.get(collation.group(1), collation.group(1))
    return charset if charset in get_args(DbCharset) else None


def _db_by_codec(text: str) -> str | None:
    """The MariaDB charset of the encoding ``text`` names to Python's codecs (:data:`_DB_BY_CODEC`), or None."""
    if len(text) > 40 or not text.isascii():
        return None
    try:
        codec = codecs.lookup(text).name
    except (LookupError, ValueError):  # ValueError: a name holding NUL ("utf8\0")
        return None
    return _DB_BY_CODEC.get(codec)

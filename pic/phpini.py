"""PHP settings of the sites: the platform's production defaults and what a member may set.

Pure data and checks, shared by the registry (``site.php_settings`` of a member file), the
runtime images (their ``conf.d`` file) and the member's virtual host.

Sizes follow PHP's shorthand (an integer of bytes, or with a suffix ``K``, ``M`` or ``G``, in
either case: PHP manual, "Using PHP > FAQ > shorthandbytes"); times are whole seconds.
"""

from __future__ import annotations

import datetime as dt
import fractions
import math
import re
import unicodedata
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pic.errors import meant_among, non_finite, osa_distance, shown_key
from pic.lazyre import LazyPattern
from pic.wording import a_or_an
from pic.yamlloader import boolean_hint, boolean_json_schema

Kind = Literal["size", "seconds", "count", "flag", "timezone"]

# The extensions every runtime gets: Debian's package name (php<version>-<name>) -> the modules it
# loads, as PHP names them (extension_loaded()). exif comes with php<version>-common, OPcache is a
# package of its own before PHP 8.5. On bullseye php7.4-imagick is a name that Debian's
# php-imagick provides (apt installs it for that name); from bookworm on it is a package.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "mysql": ("mysqli", "pdo_mysql"),
    "gd": ("gd",),
    "intl": ("intl",),
    "zip": ("zip",),
    "mbstring": ("mbstring",),
    "xml": ("xml", "dom"),
    "curl": ("curl",),
    "bcmath": ("bcmath",),
    "imagick": ("imagick",),
}
ExtensionPackage = Literal["mysql", "gd", "intl", "zip", "mbstring", "xml", "curl", "bcmath", "imagick"]
BUILTIN_MODULES = ("exif",)

_SIZE = re.compile(r"([1-9][0-9]{0,12})([KMGkmg]?)")
# A size PHP reads too, of no bound's: zero (0M) or more digits than _SIZE takes.
_SIZE_OUT_OF_BOUNDS = re.compile(r"(0+|[1-9][0-9]{13,})[KMGkmg]?")
# Numbers of YAML 1.1 (1_000, 0b1010, 1:30) that the member file's YAML 1.2 reads as text even unquoted.
_YAML11_NUMBER = re.compile(r"[-+]?(?:0b[01_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*)", re.ASCII)
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
# A size written with a unit PHP does not read: a space before it, bytes after it in English or French, or a binary
# prefix's i (256 M, 256MB, 256Mo, 256 Mio, 256MiB, 1Go): PHP reads a unit only as the size's last letter, the digits
# alone as bytes else (256MB is 256 bytes to PHP 8, with a warning: 'unknown multiplier "B"'); or with a '+' or
# leading zeros before its digits (+128M, 064M: PHP reads the digits after a 0 in octal, 064M is 52M), or in
# full-width forms (１２８M, read so by NFKC)
_SIZE_WRITTEN = re.compile(r"\s*\+?(0*)([1-9][0-9]{0,12})\s*(?:([KMGkmg])(i?[BbOo])?)?\s*")
# A size written in another base (0x40M, 0o100M, 0b1000000M), which PHP reads so (ini_parse_quantity, PHP 8.2's
# Zend/zend_operators.c; zend_atol's strtol of base 0 read 0x before): 0x40M is 64M to PHP
# (0x1.8G, 0x1.G: PHP reads the digits before the '.', 1G, with a warning), of any length (0x400000000M: PHP warns
# of a size past its integers', 2^63 - 1 bytes, and reads another)
_SIZE_BASED = re.compile(r"\s*\+?0([xXoObB])([0-9a-fA-F]{1,64})(?:\.([0-9a-fA-F]{0,64}))?\s*([KMGkmg]?)\s*")
# The largest size PHP reads, in bytes: its integers are 64-bit and signed (ini_parse_quantity: past it, "value is
# out of range, using overflow result for backwards compatibility")
_PHP_LONG_MAX = 2**63 - 1
_BASES = {"x": (16, "hexadecimal"), "o": (8, "octal"), "b": (2, "binary")}
# A size with a decimal fraction (1.5G, 64.0M, 1.G, .5G, 1.5, 64., 1.GB): PHP reads the digits before the '.' alone,
# with a warning (ini_parse_quantity: 1.5G and 1.G are 1G to PHP, 0.5G is 0, .5G too, no leading digits), and a unit
# only as the size's last letter (1.5 is 1 byte, 1.GB too: 'unknown multiplier'); the size it is in a smaller unit is
# offered when whole (1536M)
_SIZE_FRACTION = re.compile(r"\s*\+?(?=\.?[0-9])([0-9]{0,13})\.([0-9]{0,13})\s*(?:([KMGkmg])(i?[BbOo])?)?\s*")
# The memory a PHP process holds before a script runs (memory_get_usage(true): 2097152 bytes, PHP 8.2): PHP refuses a
# memory_limit below it ('Failed to set memory limit to 64 bytes') and keeps the one it has
_PHP_START_MEMORY = 2 * 1024**2
MiB = 1024**2
# The value PHP reads as no limit, of the settings that have one (PHP manual: ini.core's memory_limit and
# post_max_size, info.configuration's max_execution_time): a site may not have it, and it is told so, not as a size
# out of range or not in PHP's shorthand.
NO_LIMIT: dict[str, int] = {"memory_limit": -1, "post_max_size": 0, "max_execution_time": 0}
# The site container's /tmp, a tmpfs of this many MiB (components/member_site.py): PHP writes an upload
# there (upload_tmp_dir) while the request comes in, so a file larger than it is never received.
SITE_TMP_MB = 64
# OPcache's shared memory in every runtime image, in MiB (opcache.memory_consumption, php-pic.ini.j2): the site's
# container holds it beside a request's PHP, so PHP's memory_limit leaves it room (pic.crosschecks).
OPCACHE_MB = 64

# The platform's defaults, written into every runtime image's conf.d (php-pic.ini.j2 says the
# source of each figure): uploads of 20 MB fit; the rest is php.ini-production's.
DEFAULTS: dict[str, str] = {
    "memory_limit": "128M",
    "upload_max_filesize": "32M",
    "post_max_size": "40M",
    "max_execution_time": "30",
    "max_input_time": "60",
    "max_input_vars": "1000",
    "session.gc_maxlifetime": "1440",
    "date.timezone": "UTC",
}


@dataclass(frozen=True, eq=False, repr=False)
class Rule:
    """One ini key a member may set: its kind and bounds (inclusive; bytes for sizes)."""

    kind: Kind
    low: int = 0
    high: int = 0
    why: str = ""

    def describe(self) -> str:
        if self.kind == "flag":
            return "true or false"
        if self.kind == "timezone":
            return "a time zone name of the tz database, such as Europe/Paris"
        if self.kind == "size":
            return f"a size from {_show_size(self.low)} to {_show_size(self.high)}, such as 64M"
        unit = " seconds" if self.kind == "seconds" else ""
        return f"a whole number from {self.low} to {self.high}{unit}"


def _show_size(n: int) -> str:
    for suffix in ("G", "M", "K"):
        if n % _UNITS[suffix] == 0:
            return f"{n // _UNITS[suffix]}{suffix}"
    return str(n)


# The allow-list. Bounds: memory never above 1 GiB (a site's container has pic:limits.memory_mb,
# 256 MB in the example settings, and a request cannot use more than its container); uploads up
# to 512 MiB (the container's /tmp, where PHP keeps an upload in flight, is 64 MB: larger files
# need an application that writes chunks elsewhere; the bound only stops typing mistakes such as
# 32G); 10 minutes of execution or input at most, since the front proxy waits for an answer
# (Caddy's reverse_proxy has no read timeout by default, but a worker held 10 minutes is one of
# the container's few); max_input_vars up to 100000 (big menus and shop settings need a few
# thousand; PHP hashes the inputs, so no hash-flooding concern remains since PHP 5.3.9);
# sessions idle up to 30 days.
RULES: dict[str, Rule] = {
    "memory_limit": Rule("size", 16 * MiB, 1024 * MiB),
    "upload_max_filesize": Rule("size", 1 * MiB, 512 * MiB),
    "post_max_size": Rule("size", 1 * MiB, 512 * MiB),
    "max_execution_time": Rule("seconds", 1, 600),
    "max_input_time": Rule("seconds", 1, 600),
    "max_input_vars": Rule("count", 100, 100_000),
    "session.gc_maxlifetime": Rule("seconds", 60, 30 * 86400),
    "display_errors": Rule("flag"),
    "date.timezone": Rule("timezone"),
}


@cache
def timezones() -> frozenset[str]:
    """The tz database's zone names (the system's, through :mod:`zoneinfo`).

    Debian's ``/usr/share/zoneinfo/localtime`` is a link to the machine's ``/etc/localtime``, not a
    zone of the tz database: PHP's own zone list lacks it and falls back to UTC with a warning.
    """
    return frozenset(zoneinfo.available_timezones()) - {"localtime"}


def _key_meant(key: str) -> str | None:
    """The allowed key ``key`` is in another letter case or a slip of (``Memory_Limit``, ``upload_max_size``), or
    whose last part it is alone (``timezone``); None otherwise, and for another setting of PHP close to one
    (``display_startup_errors``, ``session.cookie_lifetime``), which would be no slip."""
    meant = meant_among(key, RULES, cutoff=0.83)
    if meant is not None:
        return meant
    named = [rule for rule in RULES if "." in rule and rule.rpartition(".")[2] == key.strip().lower()]
    return named[0] if len(named) == 1 else None


def timezone_meant(value: str) -> str | None:
    """The zone name ``value`` is in another letter case or one slip from (``europe/paris``, ``Europe/Pari``),
    or the one zone whose city it names alone (``Paris``), a backslash read as the slash (``Europe\\Paris``); None
    otherwise. Never another place's zone, which the
    site would then run on without a word: a city a slip of no other (``Europe/Lyon`` is no ``Europe/London``,
    ``Europe/Bern`` no ``Europe/Berlin``), nor an ``Etc/GMT`` zone for ``GMT+1``: its sign is POSIX's, the other
    way round (``Etc/GMT+1`` is UTC-1), so only one written with ``Etc/`` is hinted, nor another offset a sign or a
    digit away (``Etc/GMT+13``, no zone, is no ``Etc/GMT-13``, UTC+13)."""
    zones = sorted(timezones())
    value = _zone_written(value)
    if value in zones:
        return value
    meant = meant_among(value, zones)
    if meant is not None or "/" in value:
        return meant if meant is not None and _same_place(value, meant) else None
    city = value.strip().lower().replace(" ", "_")
    named = [zone for zone in zones if zone.rpartition("/")[2].lower() == city and "/" in zone]
    return named[0] if len(named) == 1 and not named[0].startswith("Etc/") else None


def _zone_written(value: str) -> str:
    """``value`` read as a zone's name is written: its NFKC form (``ｅｕｒｏｐｅ/ｐａｒｉｓ``, a Japanese or Chinese
    keyboard's full-width letters), a backslash read as the slash (``Europe\\Paris``, a Windows path's separator),
    without the separators left around or between its parts (``Europe/Paris/``, ``Europe\\Paris\\``,
    ``/Europe//Paris``) nor blanks around each."""
    parts = unicodedata.normalize("NFKC", value).replace("\\", "/").split("/")
    kept = [part.strip() for part in parts if part.strip()]
    return "/".join(kept) if kept else value


# An offset in a zone's name, its sign with it (Etc/GMT+1, Etc/GMT-13)
_OFFSETS = re.compile(r"[+-]?[0-9]+")


def _same_place(written: str, zone: str) -> bool:
    """Whether ``written`` names ``zone``'s place: its region and its city each alike (case, ``_``, ``-`` and
    spaces aside) or a typing slip away, two in a city of 8 letters or more."""
    if (written.strip().lower().rpartition("/")[0] == "etc") != zone.startswith("Etc/"):
        return False
    if _OFFSETS.findall(written.rpartition("/")[2]) != _OFFSETS.findall(zone.rpartition("/")[2]):
        return False  # another offset a sign or a digit away (Etc/GMT+13 is no Etc/GMT-13, UTC+13)
    region, _, city = _folded_zone(written).rpartition("/")
    zone_region, _, zone_city = _folded_zone(zone).rpartition("/")
    return osa_distance(region, zone_region) <= 1 and osa_distance(city, zone_city) <= (2 if len(zone_city) >= 8 else 1)


def _folded_zone(text: str) -> str:
    return text.strip().lower().replace(" ", "_").replace("-", "_")


def size_bytes(value: str) -> int | None:
    """Bytes of a PHP shorthand size ("32M" -> 33554432), or None when it is not one."""
    m = _SIZE.fullmatch(value)
    return None if m is None else int(m.group(1)) * _UNITS[m.group(2).upper()]


@cache
def _default_bytes(key: str) -> int:
    """Bytes of the platform's default of size ``key`` (``DEFAULTS``)."""
    n = size_bytes(DEFAULTS[key])
    if n is None:
        raise ValueError(f"{key}: the default {DEFAULTS[key]!r} is not a size")
    return n


def json_schemas() -> dict[str, Any]:
    """JSON Schema of each allowed key's value (the member file's schema, schema/member.schema.json)."""
    out: dict[str, Any] = {}
    for key, rule in RULES.items():
        described = {"description": f"{rule.describe()}; default {DEFAULTS.get(key, 'false')}"}
        if rule.kind == "flag":
            out[key] = {**boolean_json_schema(), **described}
        elif rule.kind == "timezone":
            out[key] = {"type": "string", **described}
        elif rule.kind == "size":
            text = {"type": "string", "pattern": f"^{_SIZE.pattern}$"}
            number = {"type": "integer", "minimum": rule.low, "maximum": rule.high}
            out[key] = {"anyOf": [text, number], **described}
        else:
            out[key] = {"type": "integer", "minimum": rule.low, "maximum": rule.high, **described}
    return out


# What a value of the wrong type is, in the words of the member file (bool before int: a bool is one).
_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (type(None), "empty (null)"),
    (bool, "true or false"),
    (int, "a whole number"),
    (float, "a number with a fraction or an exponent"),
    (str, "text"),
    (list, "a list"),
    (dict, "a mapping"),
    (dt.date, "a date"),
)


def _kind_of(value: object) -> str:
    special = non_finite(value)  # .nan, .inf: floats to YAML, with no fraction
    if special is not None:
        return special
    return next((words for kind, words in _KINDS if isinstance(value, kind)), type(value).__name__)


def _number(rule: Rule, value: object) -> int | str:
    """Bytes, seconds or a count of a value of ``rule`` (a size, seconds or count), else why not."""
    if rule.kind == "size" and isinstance(value, str):
        n = size_bytes(value)
        if n is None and (out := _SIZE_OUT_OF_BOUNDS.fullmatch(value)) is not None:
            # zero, or more digits than any bound has: a size all the same, out of range (its digits not read)
            return 0 if out[1].strip("0") == "" else 1 << 64
        return "is not a size in PHP's shorthand" if n is None else n
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        if _YAML11_NUMBER.fullmatch(value) and not value.lstrip("+-").isdigit():  # "60": quoted digits
            return "is text to YAML 1.2, not a number: write the number with digits only (1000, not 1_000)"
        return "is text"
    return f"is {_kind_of(value)}"


def _no_number(
    rule: Rule,
    value: object,
    shown: str,
    why: str,
    expected: str,
    *,
    takes: Callable[[str], str | None] | None,
    plain: bool,
) -> str:
    """:func:`problem` for a value of a size, seconds or a count that is none (``why``, :func:`_number`'s words): the
    number it reads as (:func:`_number_read`), offered when the setting takes it; else ``why`` and the setting's
    words, with the size meant (:func:`_size_meant`)."""
    if (read := _number_read(rule, value, plain=plain)) is not None:
        what, number, how = read
        if rule.low <= number <= rule.high:
            return f"{shown} {what}: write {number}{how}"
        return f"{shown} {what}: it reads as {number}, which is out of range: {expected}"
    if rule.kind == "seconds" and isinstance(value, str) and (unit := _SECONDS_WITH_UNIT.compiled().fullmatch(value)):
        return _seconds_with_unit(rule, shown, value, unit, expected)
    quotes = ", written without quotes" if isinstance(value, str) and why == "is text" else ""
    # memory_limit: 1.5, written plain: what PHP would read of the same text (1 byte)
    written = shown if plain and isinstance(value, float) and math.isfinite(value) else value
    return f"{shown} {why}: {expected}{quotes}{_size_meant(rule, written, takes)}"


# Seconds written with a unit, in any case, or with several (2m, 120s, 1h, 5 min, 2M, 120S, 1h30m, 1.5m): PHP
# reads the digits before the first unit alone (the setting's handler reads it with ZEND_ATOL, as strtol does:
# `php -d max_execution_time=2m` stops a script after 2 seconds, 1h after 1, 1h30m after 1)
_SECONDS_UNIT = r"[0-9]{1,9}(?:\.[0-9]{1,6})?\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)"
_SECONDS_WITH_UNIT = LazyPattern(rf"(?i)\s*{_SECONDS_UNIT}(?:\s*{_SECONDS_UNIT})*\s*")
_SECONDS_PART = LazyPattern(r"(?i)(([0-9]{1,9})(?:\.[0-9]{1,6})?)\s*([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _seconds_with_unit(rule: Rule, shown: str, value: str, unit: re.Match[str], expected: str) -> str:
    """What a setting of seconds written with a unit or several (``value``, read whole by ``unit``) is told: what
    PHP reads (the digits before the first unit alone), then the seconds meant, offered when the setting takes them
    (``2m``: write 120; ``1h30m``: 5400, out of range)."""
    from fractions import Fraction  # imported here: no valid member's setting is read through it

    parts = [(part[1], int(part[2]), part[3].lower()) for part in _SECONDS_PART.compiled().finditer(unit[0])]
    digits = parts[0][1]
    exact = sum(Fraction(number) * _UNIT_SECONDS[letter] for number, _, letter in parts)
    if exact.denominator != 1:
        told = f"{shown} is seconds with a unit, which PHP does not read: it takes the digits before it, {digits} "
        return f"{told}second{'s' if digits != 1 else ''}; {value.strip()} is no whole number of seconds: {expected}"
    meant = int(exact)
    read = f"{digits} second{'s' if digits != 1 else ''}"
    told = f"{shown} is seconds with a unit, which PHP does not read: it takes the digits before it, {read}; "
    if rule.low <= meant <= rule.high:
        return f"{told}write {meant}"
    return f"{told}{value.strip()} is {meant} seconds, out of range: {expected}"


def _number_read(rule: Rule, value: object, *, plain: bool) -> tuple[str, int, str] | None:
    """For a setting of seconds or a count, a whole number written otherwise than as a plain integer: a decimal with
    no fraction or an exponent (1e3), or a text in another base or with separators (0b1111101000, 0X3E8, 1_000:
    :func:`pic.modelerrors.spelled_number`; YAML 1.1's integers, text to YAML 1.2): what the value is, the number it
    reads as, and how to write it so (`` (binary 0b1111101000) in decimal digits``); None otherwise."""
    if rule.kind not in ("seconds", "count") or isinstance(value, bool):
        return None
    if isinstance(value, float):
        return (f"is {_kind_of(value)}", int(value), "") if math.isfinite(value) and value.is_integer() else None
    if not isinstance(value, str):
        return None
    from pic.modelerrors import spelled_number  # a refused value's words only: not on a valid file's path

    spelled = spelled_number(value, whole=True, quoted=not plain)
    if spelled is None or not isinstance(spelled[0], int):
        return None
    return ("is text to YAML 1.2, not a number" if plain else "is text"), spelled[0], spelled[1]


def _int_text(value: object) -> int | None:
    """The whole number a text of decimal digits, with a sign, is (``"-1"``), else None (``"⁷"``, ``"⑦"``: digits to
    str.isdigit, none to int)."""
    text = value.strip() if isinstance(value, str) else ""
    return int(text) if text.lstrip("+-").isdecimal() and text.count("-") + text.count("+") <= 1 else None


def _size_meant(rule: Rule, value: object, takes: Callable[[str], str | None] | None) -> str:
    """``; write 256M``: the size in PHP's shorthand that ``value`` is written with another unit, a sign, leading
    zeros or in full-width forms (:data:`_SIZE_WRITTEN`), when the setting takes it, and the site (``takes``); with
    leading zeros what PHP reads of it too, octal digits (``064M`` is 52M); else nothing."""
    if rule.kind != "size" or not isinstance(value, str):
        return ""
    written = value.strip()
    if (based := _SIZE_BASED.fullmatch(value)) is not None:
        return _based_size(rule, based, written, takes)
    if (fraction := _SIZE_FRACTION.fullmatch(value)) is not None:
        return _fraction_size(rule, fraction, written, takes)
    found = _SIZE_WRITTEN.fullmatch(unicodedata.normalize("NFKC", value))
    if found is None:
        return ""
    zeros, digits, unit = found[1], found[2], (found[3] or "").upper()
    read_unit = "" if found[4] else unit  # 64MB: PHP reads no unit but a last letter, 64 bytes
    octal = ""
    # PHP's reading (ini_parse_quantity, zend_atol before PHP 8.2) of leading zeros: 0 then the octal digits after it
    read = int(digits[: len(digits) - len(digits.lstrip("01234567"))] or "0", 8) if zeros else int(digits)
    if zeros and written.endswith(unit) and written.isascii() and " " not in written:
        octal = f"; PHP reads a leading 0 as an octal number's: {_php_reads(rule, written, read, unit)}"
    elif found[4] and written.isascii():  # 064MB: both
        words = "a leading 0 as an octal number's, and " if zeros else ""
        octal = f"; PHP reads {words}a unit only as a size's last letter: {_php_reads(rule, written, read, read_unit)}"
    return octal + _offer(rule, f"{digits}{unit}", takes)


def _read_words(number: int, unit: str) -> str:
    """A size PHP read, as a message says it: ``52M``, ``0``, ``52 bytes``, ``1 byte`` (no unit)."""
    return f"{number}{unit}" if unit and number else f"{number} byte{'s' * (number != 1)}" if number else "0"


def _php_reads(rule: Rule, written: str, number: int, unit: str) -> str:
    """``64MB is 64 bytes to PHP``: what PHP reads of ``written``; a memory_limit below what PHP already holds told
    what PHP does of it too (refuses it, keeping the platform's default: ``php -d memory_limit=64MB`` keeps 128M)."""
    told = f"{written} is {_read_words(number, unit)} to PHP"
    if rule is RULES["memory_limit"] and number * _UNITS[unit] < _PHP_START_MEMORY:
        told += (
            f", a memory limit below what PHP holds before a script runs: PHP refuses it and keeps "
            f"{DEFAULTS['memory_limit']}"
        )
    return told


def _offer(rule: Rule, meant: str, takes: Callable[[str], str | None] | None) -> str:
    """``; write 64M`` when the setting takes ``meant``, and the site (``takes``: None, or why it does not); ``; 256M
    is more than ...`` when the site does not; else nothing."""
    n = size_bytes(meant)
    if n is None or not rule.low <= n <= rule.high:
        return ""
    refused = takes(meant) if takes is not None else None
    return f"; write {meant}" if refused is None else f"; {meant} is {refused}"


def _based_size(rule: Rule, found: re.Match[str], written: str, takes: Callable[[str], str | None] | None) -> str:
    """:func:`_size_meant` of a size in another base (:data:`_SIZE_BASED`): what PHP reads (the digits before a
    fraction's '.', none of a size past its integers'), the size offered (the fraction's too, when whole)."""
    base, name = _BASES[found[1].lower()]
    fraction, unit = found[3] or "", found[4].upper()  # found[3]: "" after a '.' alone (0x1.G), None without one
    try:
        number = int(found[2], base)
        exact = fractions.Fraction(int(found[2] + fraction, base) * _UNITS[unit], base ** len(fraction))
    except ValueError:  # digits of no such base (0b12M): PHP reads some of them, not told
        return ""
    told = f"; PHP reads 0{found[1]} as {a_or_an(name)} {name} number's prefix"
    if number * _UNITS[unit] > _PHP_LONG_MAX:
        return f"{told}: {written} is too large, past the largest size PHP reads at all (2^63 - 1 bytes)"
    if found[3] is None:
        return f"{told}: {_php_reads(rule, written, number, unit)}" + (
            _offer(rule, f"{number}{unit}", takes) or _out_of_range(rule, number * _UNITS[unit], ", which", takes)
            if number
            else ""
        )
    told += f", and no fraction of a size: {_php_reads(rule, written, number, unit)}"
    if exact.denominator != 1 or not exact:
        return told  # no whole number of bytes
    size = _show_size(int(exact))
    which = ", which" if exact == number * _UNITS[unit] else f"; it stands for {size}, which"  # 0x1.G: 1G either way
    return told + (_offer(rule, size, takes) or _out_of_range(rule, int(exact), which, takes))


def _out_of_range(rule: Rule, size: int, which: str, takes: Callable[[str], str | None] | None) -> str:
    """``{which} is too large (1G at most): write 1G`` or ``too small (16M at least)`` for a size ``rule`` refuses
    (bytes), in its bounds' words; the most it takes offered when the site takes it too, else why not (``takes``, as
    :func:`_offer`: ``1G is more than the site's container (256 MB) leaves PHP ... (192M at most)``); else nothing."""
    if size < rule.low:  # 64. (64 bytes): 64M meant, more likely than the least the setting takes
        return f"{which} is too small ({_show_size(rule.low)} at least)"
    if size <= rule.high:
        return ""
    bound = _show_size(rule.high)
    told = f"{which} is too large ({bound} at most)"
    refused = takes(bound) if takes is not None else None
    return told + (f": write {bound}" if refused is None else f"; {bound} is {refused}")


def _fraction_size(rule: Rule, found: re.Match[str], written: str, takes: Callable[[str], str | None] | None) -> str:
    """:func:`_size_meant` of a size with a fraction (:data:`_SIZE_FRACTION`): what PHP reads (the whole part),
    and the size it is offered in the largest unit that makes it whole (1.5G: 1536M), if any."""
    whole, unit = int(found[1] or "0"), (found[3] or "").upper()  # .5G: no digits before the '.', 0 to PHP
    read_unit = "" if found[4] else unit  # 1.GB: PHP reads no unit but a last letter, 1 byte
    words = "no fraction of a size, and a unit only as its last letter" if found[4] else "no fraction of a size"
    told = f"; PHP reads {words}: {_php_reads(rule, written, whole, read_unit)}"
    exact = (whole * 10 ** len(found[2]) + int(found[2] or "0")) * _UNITS[unit]
    if exact % 10 ** len(found[2]):
        return told  # no whole number of bytes
    size = exact // 10 ** len(found[2])
    if not size:
        return told
    shown = _show_size(size)
    which = ", which" if size == whole * _UNITS[read_unit] else f"; it stands for {shown}, which"  # 1.G: as read
    return told + (_offer(rule, shown, takes) or _out_of_range(rule, size, which, takes))


def _named_problem(rule: Rule, value: object, shown: str, expected: str, *, plain: bool) -> str | None:
    """:func:`problem` for a flag or a time zone."""
    if rule.kind == "flag":
        if isinstance(value, bool):
            return None
        if (special := non_finite(value)) is not None:  # .nan: as a boolean field of the model tells it
            return f"{shown} is {special}: write true or false"
        if value is not None:  # as a boolean field of the model tells it (pic.modelerrors)
            written = shown.partition(" (")[0] if plain else None  # 0x1 (1): as written
            return f"{shown} is not true or false: {boolean_hint(value, plain=plain, written=written)}"
    elif isinstance(value, str):
        return _zone_problem(value, shown, expected)
    return f"{shown} is {_kind_of(value)}: {expected}"


def _zone_problem(value: str, shown: str, expected: str) -> str | None:
    """:func:`problem` for a time zone's name, ``value``: None for a zone of the tz database but ``Factory`` (a
    machine's whose zone is not set, '-00' in PHP's dates), else what is wrong, with the zone meant."""
    meant = None if value == "Factory" or value in timezones() else timezone_meant(value)
    if "Factory" in (value, meant):  # factory, Factor: the zone of no place is never offered, told as it is
        what = "is the tz database's zone" if value == "Factory" else "is close to Factory, the tz database's zone"
        return (
            f"{shown} {what} of a machine whose time zone is not set (its dates say '-00'): give the site's own, "
            "such as Europe/Paris"
        )
    if value in timezones():
        return None
    hint = f"; did you mean {meant!r}?" if meant is not None else ""
    return f"{shown} is not a time zone of the tz database: {expected}{hint}"


def own_texts(key: str) -> list[str]:
    """The texts of :func:`problem`'s messages about ``key`` that come from no value: the keys allowed, or what the
    key takes (kept whole where the value is hidden, :func:`pic.secrettext.redacted`)."""
    rule = RULES.get(key)
    return [f"allowed: {', '.join(sorted(RULES))}"] if rule is None else [rule.describe()]


def problem(
    key: str,
    value: object,
    shown: str,
    key_shown: str | None = None,
    takes: Callable[[str], str | None] | None = None,
    *,
    plain: bool = False,
) -> str | None:
    """The message refusing ``value`` for ini key ``key``, or None when it is allowed.

    ``shown``: the value as the member wrote it (``pic.yamlsrc.Document.shown``). Sizes are PHP
    shorthand text (``64M``, suffix in either case as PHP reads it) or whole numbers of bytes;
    seconds and counts whole numbers; flags booleans (``true``/``false`` or YAML's other spellings
    of them, ``yes``/``no``/``on``/``off``, unquoted, as every yes/no field of the file); time
    zones names of :func:`timezones`. A value of the wrong type gets one message naming what it is.
    ``key_shown``: the key as the message names one that is not allowed (default: as written). ``takes``: None when
    the site takes a size a message offers beside the setting's range, else why not (its container's memory, its
    other sizes).
    ``plain``: the value was written without quotes (a flag's ``oN`` is then told as a boolean word in a case YAML
    reads as text, :func:`pic.yamlloader.boolean_hint`).
    """
    rule = RULES.get(key)
    if rule is None:
        meant = _key_meant(key)
        hint = f"; did you mean {meant!r}?" if meant is not None else ""
        named = shown_key(key) if key_shown is None else key_shown  # a line break escaped, as in its path
        return f"{shown}: {named} is not a PHP setting a member may set; allowed: {', '.join(sorted(RULES))}{hint}"
    expected = f"{key} must be {rule.describe()}"
    if rule.kind in ("flag", "timezone"):
        return _named_problem(rule, value, shown, expected, plain=plain)
    n = _number(rule, value)
    if key in NO_LIMIT and not isinstance(value, bool) and NO_LIMIT[key] in (n, value, _int_text(value)):
        # -1, "-1", 0, "0", 0K, 00M: as PHP reads them
        return f"{shown} is PHP's value for no limit, which a site may not have: {expected}"
    if isinstance(n, str):
        return _no_number(rule, value, shown, n, expected, takes=takes, plain=plain)
    if rule.low <= n <= rule.high:
        return None
    hint = ""
    if rule.kind == "size" and shown.isdigit() and isinstance(value, int) and rule.low <= value * MiB <= rule.high:
        hint = f" (a number alone is bytes: {value}M is {value} megabytes)"
    return f"{shown} is out of range: {expected}{hint}"


def ini_value(value: object) -> str:
    """The text of an allowed value in an Apache ``php_admin_value``/``php_admin_flag`` line."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def effective_bytes(settings: Mapping[str, object], key: str) -> int:
    """Bytes of size ``key`` for a site: the member's value, else the platform's default."""
    if key not in settings:  # most sites: the default, read once
        return _default_bytes(key)
    value = settings[key]
    n = value if isinstance(value, int) else size_bytes(str(value))
    if n is None:
        raise ValueError(f"{key}: {value!r} is not a size")
    return n

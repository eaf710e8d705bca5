"""Turn pydantic validation errors into the project's problems (file, field, line, value, what is allowed)."""

from __future__ import annotations

import calendar
import datetime as dt
import decimal
import difflib
import fractions
import ipaddress
import math
import re
import types
import typing
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, get_args

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from pic import charsets
from pic.days import day_meant, days_written, iso_form, zoned_day
from pic.errors import (
    HIDDEN_VALUE,
    TOLD_PER_KIND,
    Problem,
    first_of_each_kind,
    is_locale,
    meant_among,
    non_finite,
    public_name_may_be_secret,
    refused_may_be_secret,
    shaped_as_password,
    show_value,
    value_without_credentials,
)
from pic.lazyre import LazyPattern
from pic.secrettext import (
    fingerprint_groups,
    labelled_password,
    mixed_case_hex,
    password_beside,
    reads_as_secret,
    redacted,
)
from pic.validators import ONE_NAME_OF_SEVERAL, SEVERAL_NAMES, NameOf, Whole
from pic.wording import a_or_an
from pic.yamlloader import boolean_hint
from pic.yamlsrc import NOT_BOOLEAN, TEXT_FIELD, Document, is_public_name_field, is_secret_field, shown_loc

_TYPE_WORDS = {
    "string_type": "a string",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "date_type": "a date written YYYY-MM-DD",
}


# The errors of a text given where a number, a truth value or a date goes: such a text shaped like a password
# (:func:`pic.secrettext.labelled_password`: ``Lilas2024x!``, ``Soleil-2025#``; not ``512Mo``, ``douze`` nor a
# date) is a secret pasted at the wrong line rather than a value mistyped, and is not shown: what the field takes is.
_NOT_TEXT_TYPES = frozenset({"int_type", "float_type", "bool_type", "date_type"})
# The errors of a text that is none of a closed list of words (a Literal: status, lists.dmarc, pic:tls.ca,
# database_charsets): shaped like a password, it is one pasted at the wrong line too when none of the words allowed
# holds a digit (status: "Lilas2024x!"); where they do, it is as likely one of them mistyped (a charset "latin9",
# "cp1252" beside latin1 and cp1250), and is shown. The words allowed are said either way (:func:`_own`).
_CLOSED_LIST_TYPES = frozenset({"literal_error", "enum"})


# A phrase of words of letters alone, as a name is written (Let's Encrypt, Debian Trixie, Jean-Pierre's Site, ZeroSSL
# Inc., Let's Encrypt (staging)): though a password's label before it would make it a passphrase, one pasted at the
# wrong line holds a digit or a sign
_PHRASE_WORD = r"\(?[^\W\d_]+(?:['’-][^\W\d_]+)*[.,]?\)?[.,]?"
_PHRASE = re.compile(rf"{_PHRASE_WORD}(?: {_PHRASE_WORD})+")


def _pasted_password(err: Any, value: object) -> bool:
    """Whether ``value``, refused by pydantic's error ``err`` as no number, truth value, date or word of a closed
    list, reads as a password pasted at the wrong line (:data:`_NOT_TEXT_TYPES`, :data:`_CLOSED_LIST_TYPES`)."""
    if not isinstance(value, str) or err["type"] not in _NOT_TEXT_TYPES | _CLOSED_LIST_TYPES:
        return False
    if err["type"] in _CLOSED_LIST_TYPES and any(c.isdigit() for c in str((err.get("ctx") or {}).get("expected"))):
        return False
    if (
        (err["type"] in _CLOSED_LIST_TYPES and is_locale(value))
        or _PHRASE.fullmatch(value)
        or fingerprint_groups(value)
    ):
        # a locale given for a language (fr_FR.UTF-8), words written as a name is (Let's Encrypt, Debian Trixie), a
        # key's fingerprint (0x1505 8500 ...): no password is written so
        return False
    if err["type"] == "date_type" and (_WRITTEN_DATE.match(value) or iso_form(value) or day_meant(value) is not None):
        # a date with more after it (a time: 2027-03-31T10:00:00+01:00), or another form of a day (of no day too)
        return False
    expected = str((err.get("ctx") or {}).get("expected"))
    if (
        err["type"] in ("int_type", "float_type")
        and (_mended_number(value) or _no_number_text(value, err["type"]) is not None or _number_and_unit(value))
    ) or (err["type"] == "literal_error" and _day_number_read(value, value, expected) is not None):
        # a number written as text (0x2968, 1_000, 1e3, +12, inf, 0x), or with a unit (70000M, 20000G, 5 min),
        # which the message mends; where a day's name goes (0b1000), told as cron numbers the days
        return False
    return labelled_password(value)


def _mended_number(value: str) -> bool:
    """Whether ``value`` is a number written as text (:func:`spelled_number`) that is no key: a base's digits past
    :data:`_MAX_DIGITS` (0x and 64 hexadecimal digits, as a private key is written) are no number a field takes,
    and are read as any text is."""
    spelled = spelled_number(value)
    if spelled is None:
        return False
    return not (math.isinf(spelled[0]) and _BASED_NUMBER.fullmatch(value) is not None)


# A date as ISO 8601 writes it, at the start of a text (what follows it may make it no date: a time, a zone)
_WRITTEN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class SubfieldError(ValueError):
    """A validator's error about one part of the value it checks, not the whole value.

    ``loc`` is that part's path below the field (mapping keys and list indexes, e.g. ``("mx",)`` for
    a check of ``pic:mail`` about its ``mx``); :func:`problems_from` reports the problem at that
    path, with its line and its value, instead of the whole mapping or list. ``message`` says what
    is wrong with the value, which the problem shows before it, unless ``names_value`` says that
    the message starts with the value already. (A validator's error about a whole mapping is shown
    without the mapping: its message names the keys concerned.)
    """

    def __init__(self, loc: tuple[str | int, ...], message: str, *, names_value: bool = False) -> None:
        super().__init__(message)
        self.loc = loc
        self.names_value = names_value


def unique_items(values: list[str]) -> list[str]:
    """``values`` when none is listed twice; else SubfieldError at the second one, naming the first."""
    seen: dict[str, int] = {}
    for i, v in enumerate(values):
        if v in seen:
            raise SubfieldError((i,), f"is also [{seen[v]}]: give each once")
        seen[v] = i
    return values


_MISSING = object()


def _item(value: object, part: str | int) -> object:
    """``value[part]`` for a mapping's key or a list's index, else :data:`_MISSING`."""
    if isinstance(value, dict) and part in value:
        return value[part]
    if isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
        return value[part]
    return _MISSING


def _below(value: object, loc: tuple[str | int, ...]) -> object:
    """The part of ``value`` at ``loc`` (keys and indexes), None when it has no such part."""
    for part in loc:
        value = _item(value, part)
        if value is _MISSING:
            return None
    return value


# Plain words for the patterns of the models, keyed by the pattern itself.
PATTERN_WORDS: dict[str, str] = {}

_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "greater_than": ("more than", "gt"),
    "less_than_equal": ("at most", "le"),
    "less_than": ("less than", "lt"),
}


def _unwrap(annotation: Any) -> Any:
    """The model class behind Optional[...], list[...], dict[..., ...] and Annotated[...]."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            inner = _unwrap(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
        return None
    if origin in (list, dict):
        return _unwrap(typing.get_args(annotation)[-1])
    return annotation


def allowed_keys(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names of the (sub)model found at ``loc`` below ``model``."""
    current: Any = model
    for part in loc:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        if isinstance(part, int) or part not in current.model_fields:
            continue  # list index or dict key: stay on the item's model
        current = _unwrap(current.model_fields[part].annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        # a field excluded from the model's output is the program's own (the stack's name), never a key to write
        return [name for name, field in current.model_fields.items() if not field.exclude]
    return []


def _meant(model: type[BaseModel], loc: tuple[str | int, ...], data: object = None) -> str | None:
    """The key an unknown key at ``loc`` is close to, or None: the same key in other letter case (``UID`` for
    ``uid``), a required key missing beside it that it starts or ends with (``php_version`` for ``php``), else
    one spelt alike (``domain`` for ``domains``, whatever the case)."""
    if not loc:
        return None
    allowed, required = _keys_here(model, _model_path(loc[:-1]))
    written = str(loc[-1]).lower().replace("-", "_")
    by_lower = {key.lower(): key for key in allowed}
    if written in by_lower:
        return by_lower[written]
    beside = _below(data, loc[:-1])
    missing = [key for key in required if isinstance(beside, dict) and key not in beside]
    for key in missing:
        if written.startswith(f"{key}_") or written.endswith(f"_{key}"):
            return key
    close = difflib.get_close_matches(written, list(by_lower), n=1)
    return by_lower[close[0]] if close else None


def _model_path(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """``loc`` without its list indexes, which :func:`allowed_keys` and :func:`_field_at` pass over: the key of
    their caches."""
    return tuple(part for part in loc if not isinstance(part, int))


@lru_cache(maxsize=256)
def _keys_here(model: type[BaseModel], parent: tuple[str | int, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The keys allowed at ``parent`` below ``model``, and those of them required. Cached: a file of thousands of
    unknown keys asks the same of each (20,000 keys took 8 s)."""
    allowed = tuple(allowed_keys(model, parent))
    required = tuple(k for k in allowed if (f := _field_at(model, (*parent, k))) is not None and f.is_required())
    return allowed, required


def _homes(model: type[BaseModel], key: str) -> list[str]:
    """The dotted paths of the parts of ``model`` (its fields' models, lists and mappings of them) that take
    ``key``: where a key written at the wrong indentation belongs (``php`` of ``site``)."""
    return list(_all_homes(model).get(key, ()))


@cache
def _all_homes(model: type[BaseModel]) -> dict[str, list[str]]:
    """:func:`_homes` of every key, the parts of ``model`` four deep walked once."""
    out: dict[str, list[str]] = {}

    def walk(current: type[BaseModel], path: tuple[str, ...], depth: int) -> None:
        for name, field in current.model_fields.items():
            if not field.exclude:
                out.setdefault(name, []).append(".".join(path) or "the file's top level")
        if depth == 0:
            return
        for name, field in current.model_fields.items():
            inner = _unwrap(field.annotation)
            if isinstance(inner, type) and issubclass(inner, BaseModel) and not field.exclude:
                walk(inner, (*path, name), depth - 1)

    walk(model, (), 4)
    return out


def _unknown_key(model: type[BaseModel], loc: tuple[str | int, ...], data: object = None) -> str:
    allowed, _ = _keys_here(model, _model_path(loc[:-1]))
    meant = _meant(model, loc, data)
    if meant is not None:
        return f"unknown key (allowed here: {', '.join(allowed)}); did you mean {meant!r}?"
    here = ".".join(str(part) for part in loc[:-1] if isinstance(part, str))
    homes = [h for h in _homes(model, str(loc[-1])) if h != (here or "the file's top level")][:2] if loc else []
    if homes == ["the file's top level"]:
        return f"unknown key (allowed here: {', '.join(allowed)}); it is a key of the file's top level: no indent"
    homes = [h for h in homes if h != "the file's top level"]
    hint = f"; it is a key of {' or of '.join(homes)}: indent it under that key" if homes else ""
    return f"unknown key (allowed here: {', '.join(allowed)}){hint}"


def _misspelt(errors: list[Any], data: object, model: type[BaseModel]) -> set[tuple[str | int, ...]]:
    """The required keys written misspelt (``domain:`` for ``domains:``): the unknown key's error says which key
    was meant; its "is required but missing" would be the same mistake told twice."""
    out = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = _keys_of(tuple(err["loc"]), data)
            meant = _meant(model, loc, data)
            if meant is not None:
                out.add((*loc[:-1], meant))
    return out


def _length(kind: str, err: Any, ctx: dict[str, Any]) -> str:
    short = kind.endswith("too_short")
    bound = ctx.get("min_length") if short else ctx.get("max_length")
    unit = "item" if isinstance(err.get("input"), list | dict) else "character"
    unit += "" if bound == 1 else "s"
    return f"is too {'short' if short else 'long'} ({'at least' if short else 'at most'} {bound} {unit})"


_DATE_FORM = LazyPattern(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _not_a_date(value: object) -> str | None:
    """What is wrong with text written as a date YYYY-MM-DD (a day the calendar lacks, or quotes), else None.

    The loader reads ``2027-03-31`` as a date; a day that does not exist (``2027-02-29``) stays
    text, and so does any date in quotes.
    """
    match = _DATE_FORM.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        if year < 1:
            why = "years start at 0001"
        elif not 1 <= month <= 12:
            why = "months go from 01 to 12"
        else:
            last = calendar.monthrange(year, month)[1]
            why = f"{calendar.month_name[month]} {year} has {last} days"  # LC_TIME: Python leaves it "C"
        return f"is not a date: there is no such day in the calendar ({why})"
    return f"is text, not a date: write the date without quotes ({match[0]})"


# YAML 1.2's own infinity; a float written otherwise that YAML reads as one is a number past a float's largest
# (1e4000), told by its size
_YAML_INFINITY = LazyPattern(r"[-+]?\.(?:inf|Inf|INF)")


def _non_finite(kind: str, err: Any, ctx: dict[str, Any], written: str | None = None) -> str | None:
    """YAML's ``.nan`` or ``.inf`` where a number is wanted, named as what it is (not as a whole number missing,
    nor as out of range: NaN is in no range); None for any other error. ``written``: the number as the file has
    it, a number too large for a float (1e4000) being no infinity written."""
    special = non_finite(err.get("input"))
    if special is None:
        return None
    if written is not None and math.isinf(err["input"]) and not _YAML_INFINITY.fullmatch(written):
        special = f"a number of more than {_MAX_DIGITS} digits, far more than the field takes"
    if kind in ("int_type", "float_type"):
        return f"is {special}: give {_TYPE_WORDS[kind]}"
    if kind == "bool_type":  # as a PHP setting that is a flag tells it (pic.phpini)
        return f"is {special}: write true or false"
    if kind in _BOUNDS:
        word, key = _BOUNDS[kind]
        return f"is {special}: give a number" + ("" if math.isnan(err["input"]) else f" {word} {ctx.get(key)}")
    return None


# Units written after a number where a field takes the number alone, by the unit of the field (its name's
# ending): how many of the field's unit each is.
_UNITS: dict[str, tuple[str, dict[str, float]]] = {
    # Kubernetes writes a thousandth of a CPU "m" (500m), Docker a number of CPUs (--cpus 0.5)
    "cpus": ("CPUs", {"m": 0.001, "cpu": 1, "cpus": 1, "core": 1, "cores": 1, "vcpu": 1, "vcpus": 1}),
    "_mb": (
        "MB",
        {
            "k": 0,
            "kb": 0,
            "kib": 0,
            "m": 1,
            "mb": 1,
            "mib": 1,
            "g": 1024,
            "gb": 1024,
            "gib": 1024,
            "t": 1024**2,
            "tb": 1024**2,
            "tib": 1024**2,
            # octets, as French writes them (512 Mo, 2 Go)
            "ko": 0,
            "mo": 1,
            "go": 1024,
            "to": 1024**2,
        },
    ),
    "timeout": (
        "seconds",
        {
            "s": 1,
            "sec": 1,
            "secs": 1,
            "seconds": 1,
            "m": 60,
            "min": 60,
            "mins": 60,
            "minutes": 60,
            "h": 3600,
            "hours": 3600,
        },
    ),
    "_days": (
        "days",
        {"d": 1, "day": 1, "days": 1, "j": 1, "jours": 1, "w": 7, "weeks": 7, "y": 365, "year": 365, "years": 365},
    ),
}
_NUMBER_WITH_UNIT = LazyPattern(r"\s*([0-9]+(?:[.,][0-9]+)?)\s*([A-Za-z]+)\s*")
_NUMBER_TEXT = LazyPattern(r"\s*[+-]?[0-9]+(?:\.[0-9]*)?\s*")


def _date_hint(value: object) -> str:
    """How to write a day the calendar has that ``value`` seems to be, YYYY-MM-DD without quotes."""
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if (meant := day_meant(text)) is not None:
        return f"it is {meant[1]}: write {meant[0]}, without quotes"
    if (zoned := zoned_day(text)) is not None:
        return f"{zoned}, without quotes"
    days = days_written(text)
    if len(days) == 1:
        return f"write {days[0]}, without quotes"
    if len(days) == 2:
        return f"write {days[0]} (day first) or {days[1]} (month first), without quotes"
    return "write the year, month and day with hyphens, without quotes (e.g. 2027-03-31)"


def _number_and_unit(value: str) -> bool:
    """Whether ``value`` is a number and a unit a field of numbers knows (:data:`_UNITS`: 70000M, 2 Go, 5 min)."""
    match = _NUMBER_WITH_UNIT.fullmatch(value)
    return match is not None and any(match[2].lower() in factors for _unit, factors in _UNITS.values())


def _unit_hint(w: _Wanted, value: str) -> str | None:
    """For a number written with a unit (``2G``, ``5m``) in a field that takes the number alone, the number to
    write in the field's unit (from its name: ``..._mb``, ``timeout``, ``..._days``); None for other text."""
    match = _NUMBER_WITH_UNIT.fullmatch(value)
    if match is None:
        return None
    for ending, (unit, factors) in _UNITS.items():
        if w.name.endswith(ending):
            factor = factors.get(match[2].lower())
            number = float(match[1].replace(",", "."))
            if factor:
                converted = round(number * factor, 6)
                if ending == "cpus" or converted == int(converted):
                    taken: int | float = converted if ending == "cpus" else int(converted)
                    # as it is written (20480000, 0.5), never in an exponent's form (2.048e+07)
                    written = str(int(converted)) if converted == int(converted) else f"{converted:f}".rstrip("0")
                    if (refused := w.refusal(taken)) is not None:
                        return (
                            f"write the number of {unit} alone, without a unit: {value.strip()} is {written} "
                            f"{unit}, which is {refused[0]} too ({refused[1]})"
                        )
                    return f"write the number of {unit} alone, without a unit: {written}"
            return f"write the number of {unit} alone, without a unit (the field is in {unit})"
    return "write the number alone, without a unit"


# A number written as text otherwise than in plain decimal digits: in base 16, 8 or 2 (0x2968, 0o24550, 0b101; '_'
# anywhere among the digits, 0x2712_, which Python refuses), with separators between groups of digits (10_600,
# 10 600, with a no-break or thin space too: 10\u202f600, or a thousands comma: 10,600), a decimal comma (1,5), with
# an exponent (1e3, 1.5E2, 1e4000) or a sign (+12), in hexadecimal floating point (0x1p4, C's %a). None is a
# password's shape (letters and digits mixed at random).
_BASES = {"x": (16, "hexadecimal"), "o": (8, "octal"), "b": (2, "binary")}
_BASED_NUMBER = LazyPattern(r"\s*([+-]?)0([xXoObB])((?=_*[0-9A-Fa-f])[0-9A-Fa-f_]+)\s*")
_HEX_FLOAT = LazyPattern(r"\s*([+-]?)0[xX](?=\.?[0-9A-Fa-f])([0-9A-Fa-f]*)(?:\.([0-9A-Fa-f]*))?[pP]([+-]?[0-9]+)\s*")
_GROUPED_NUMBER = LazyPattern(
    r"\s*([+-]?)([0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+|(?=[0-9]*_)(?=_*[0-9])[0-9_]+)\s*"
)
# groups of three digits, or India's of two before the last three (12,34,567)
_COMMA_GROUPED_NUMBER = LazyPattern(
    r"\s*([+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,2}(?:,[0-9]{2})+,[0-9]{3}))(\.[0-9]+)?\s*"
)
_DECIMAL_COMMA = LazyPattern(r"\s*([+-]?[0-9]+),([0-9]+)\s*")
_EXPONENT_NUMBER = LazyPattern(r"\s*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))[eE]([+-]?)([0-9]+)\s*")
# Texts that look like a number and are none: infinity and not-a-number in words (Python's, JavaScript's and
# YAML's own in quotes), a base's prefix without digits (0x, which is no unit)
_INFINITY_TEXT = LazyPattern(r"\s*[+-]?\.?inf(?:inity)?\s*", re.IGNORECASE)
_NAN_TEXT = LazyPattern(r"\s*[+-]?\.?nan\s*", re.IGNORECASE)
_BARE_PREFIX = LazyPattern(r"\s*[+-]?0([xXoObB])_*\s*")
_SIGNED_NUMBER = LazyPattern(r"\s*\+([0-9]+(?:\.[0-9]*)?)\s*")
# A decimal digit of another script (Arabic-Indic ٣, Devanagari ३, fullwidth ３: a phone's keyboard, a word
# processor), which YAML reads as a letter: the number is text
_OTHER_DIGIT = LazyPattern(r"[^\D0-9]")
# Past this many digits a number read from text is told by its size, not written out: no field takes one, and an
# int of more than 4,300 digits cannot even be printed
_MAX_DIGITS = 30


def _exact(text: str) -> int | float:
    """The number a decimal text writes (1e23, 100000000000000000000001.0), exact when whole: float reads 1e23 as
    99999999999999991611392. A number of more than _MAX_DIGITS digits before its point is an infinity of its sign;
    a fraction too small for a float (1e-999) is a float 0.0, which no whole number is."""
    number = decimal.Decimal(text.strip())
    if number and number.adjusted() >= _MAX_DIGITS:
        return math.copysign(math.inf, number)
    if number != number.to_integral_value():
        return float(number)
    return int(number)


def _exact_exponent(mantissa: str, sign: str, exponent: str) -> int | float:
    """:func:`_exact` of ``mantissa`` times ten to ``sign exponent``, an exponent of any length (1e4000, past what
    Decimal reads; 1e99999999999999999999, past what int reads)."""
    digits = exponent.lstrip("0") or "0"
    if len(digits) > 6:  # far past _MAX_DIGITS either way
        if decimal.Decimal(mantissa) == 0:
            return 0
        return 0.0 if sign == "-" else math.copysign(math.inf, decimal.Decimal(mantissa))
    return _exact(f"{mantissa}e{sign}{digits}")


def _hex_float(m: re.Match[str]) -> int | float:
    """The number of a hexadecimal floating point text (_HEX_FLOAT's match: 0x1.8p3), exact when whole, as
    :func:`_exact` gives it."""
    whole, fraction, exponent = m[2], m[3] or "", int(m[4]) if len(m[4].lstrip("+-")) <= 6 else None
    mantissa = int(whole + fraction or "0", 16)
    if mantissa == 0:
        return 0
    if exponent is None or exponent - 4 * len(fraction) + mantissa.bit_length() > 4 * _MAX_DIGITS:
        if exponent is not None or not m[4].startswith("-"):
            return math.copysign(math.inf, -1 if m[1] == "-" else 1)
        return 0.0
    number = fractions.Fraction(mantissa) * fractions.Fraction(2) ** (exponent - 4 * len(fraction))
    number = -number if m[1] == "-" else number
    if abs(number) >= 10**_MAX_DIGITS:
        return math.copysign(math.inf, number)
    if number.denominator == 1:
        return int(number)
    return float(number)  # 0.0 when too close to 0, as _exact's


def _without(quoted: bool, *more: str) -> str:
    """``, without quotes or ...`` for a hint, quotes only for a value written in them: a plain ``10_600`` is text
    to YAML 1.2 too, and has none to remove."""
    parts = ["quotes", *more] if quoted else list(more)
    return f", without {' or '.join(parts)}" if parts else ""


def spelled_number(value: str, *, whole: bool = False, quoted: bool = True) -> tuple[int | float, str] | None:
    """The number ``value`` writes as text otherwise than in plain decimal digits, and how to write it instead
    (:data:`_BASED_NUMBER` and the forms beside it), or None. Such a text is no password pasted at the wrong line
    (:func:`_pasted_password`): it is shown, with the number to write. ``whole``: the field takes a whole number,
    so a comma between groups of three digits (10,600) is no decimal comma. ``quoted``: the text was written in
    quotes (else plain, which YAML 1.2 reads as text too: 10_600, 0b1)."""
    if not value.isascii() and _OTHER_DIGIT.search(value) is not None:
        return _other_script_number(value, quoted)
    return _ascii_spelled_number(value, whole, quoted)


def _ascii_spelled_number(value: str, whole: bool, quoted: bool) -> tuple[int | float, str] | None:
    """:func:`spelled_number` of a text whose digits are ASCII's."""
    if (m := _BASED_NUMBER.fullmatch(value)) is not None:
        base, name = _BASES[m[2].lower()]
        try:
            number = int(m[3].replace("_", ""), base)
        except ValueError:  # a digit the base has not (0o9, 0b2)
            return None
        if number >= 10**_MAX_DIGITS:  # told by its size, as _exact's
            return math.copysign(math.inf, -1 if m[1] == "-" else 1), ""
        number = -number if m[1] == "-" else number
        return number, f" ({name} {value.strip()}) in decimal digits{_without(quoted)}"
    if (m := _HEX_FLOAT.fullmatch(value)) is not None:
        return _hex_float(m), f" (hexadecimal floating point {value.strip()}) in decimal digits{_without(quoted)}"
    return _decimal_spelled_number(value, whole, quoted)


def _decimal_spelled_number(value: str, whole: bool, quoted: bool) -> tuple[int | float, str] | None:
    """:func:`spelled_number` of a text in decimal digits (separators, a comma, an exponent, a sign)."""
    if (m := _GROUPED_NUMBER.fullmatch(value)) is not None:
        # _exact: past _MAX_DIGITS, told by its size (int() reads no more than 4,300 digits from text)
        return _exact(m[1] + re.sub(r"[^0-9]", "", m[2])), _without(quoted, "separators between the digits")
    if (m := _COMMA_GROUPED_NUMBER.fullmatch(value)) is not None:
        return _exact(m[1].replace(",", "") + (m[2] or "")), _without(quoted, "separators between the digits")
    if (m := _DECIMAL_COMMA.fullmatch(value)) is not None:
        return _exact(f"{m[1]}.{m[2]}"), f", with a '.' as its decimal point{_without(quoted)}"
    if (m := _EXPONENT_NUMBER.fullmatch(value)) is not None:
        return _exact_exponent(m[1], m[2], m[3]), f" in decimal digits{_without(quoted, 'exponent')}"
    if (m := _SIGNED_NUMBER.fullmatch(value)) is not None:
        return _exact(m[1]), _without(quoted, "sign")
    return None


def _comma_decimal(value: str, whole: bool) -> float | int | None:
    """The number a text of one comma before three digits (1,500) reads as where its comma is a decimal point, in a
    field taking a fraction (:data:`_COMMA_GROUPED_NUMBER` reads it as a thousands comma), else None."""
    m = _COMMA_GROUPED_NUMBER.fullmatch(value)
    if whole or m is None or m[2] or m[1].count(",") > 1:
        return None
    return _exact(m[1].replace(",", "."))


def _other_script_number(value: str, quoted: bool) -> tuple[int | float, str] | None:
    """The number ``value`` writes in another script's decimal digits (_OTHER_DIGIT), as :func:`spelled_number`
    gives it; None when, in ASCII digits, it is no number."""
    ascii_digits = _OTHER_DIGIT.sub(lambda d: str(unicodedata.decimal(d.group())), value)
    if _NUMBER_TEXT.fullmatch(ascii_digits) is None:
        return None
    return _exact(ascii_digits), f" in ASCII digits (0 to 9){_without(quoted)}"


@dataclass(frozen=True, eq=False, repr=False)
class _Wanted:
    """The number field a value was refused by, as a hint offering a number needs it."""

    kind: str  # int_type or float_type
    name: str  # the field's key: its unit by its ending (_UNITS)
    quoted: bool  # a text written in quotes; else plain, which YAML 1.2 reads as text too (10_600, 0b1, inf)
    written: str | None  # a plain number as written (10.600, which YAML reads as 10.6)
    field: Any  # the pydantic field, whose type and bounds a number offered must pass; None when unknown

    def refusal(self, number: int | float) -> tuple[str, str] | None:
        """Why the field would refuse ``number`` too, as (what, detail): ("out of range", "must be at least
        10000"); None when it takes it (or its field is unknown)."""
        if self.field is None:
            return None
        try:
            _adapter(self.field).validate_python(number)
        except ValidationError as exc:
            err = exc.errors()[0]
            if err["type"] in _BOUNDS:
                word, key = _BOUNDS[err["type"]]
                return "out of range", f"must be {word} {(err.get('ctx') or {}).get(key)}"
            return "refused", str(err["msg"]).removeprefix("Value error, ")
        return None

    def offer(self, number: int | float, how: str) -> str:
        """``write NUMBER{how}`` when the field takes ``number``, else that it reads as one it refuses too."""
        refused = self.refusal(number)
        if refused is None:
            return f"write {_number_words(number)}{how}"
        return f"it reads as {_number_words(number)}, which is {refused[0]} too ({refused[1]})"

    def taken(self, number: int | float) -> bool:
        return self.refusal(number) is None

    def why_not(self, number: int | float) -> str:
        """``out of range: must be at least 10000``, for a reading refused told in parentheses."""
        refused = self.refusal(number)
        return "" if refused is None else f"{refused[0]}: {refused[1]}"


def number_refusal(model: type[BaseModel], loc: tuple[str | int, ...], number: int | float | str) -> str | None:
    """Why the field at ``loc`` below ``model`` refuses ``number`` (``is out of range too (must be at least 1)``,
    ``is not a whole number``; :data:`pic.yamlsrc.TEXT_FIELD` from a field of text), None when it takes it or is no
    field of the model (a free key's value). Given as text (the number as written, ``"0189"``, asked of a field of
    text): ``is refused too (...)`` with the field's words, None when it takes it."""
    field = _field_at(model, loc)
    if field is not None and not isinstance(number, str) and field.annotation in (bool, bool | None):
        return NOT_BOOLEAN  # 1 too, which the field alone takes and the model, strict, does not
    return _number_refusal(model, loc, number, field is not None)


def _number_refusal(
    model: type[BaseModel], loc: tuple[str | int, ...], number: int | float | str, field: bool
) -> str | None:
    """:func:`number_refusal` of a field that is no yes/no one; ``field``: ``loc`` is a field of the model."""
    err = _field_error(model, loc, number) if field else _item_error(model, loc, number)
    if err is None:
        return None
    if isinstance(number, str) or err["type"] == "string_type":  # a field of text, asked of its text or not
        return _describe(err, model, loc, f'"{number}"') if isinstance(number, str) else TEXT_FIELD
    if err["type"] in _BOUNDS:
        word, key = _BOUNDS[err["type"]]
        return f"is out of range too (must be {word} {(err.get('ctx') or {}).get(key)})"
    if err["type"] in ("int_from_float", "int_type"):
        return "is not a whole number"
    if err["type"] == "literal_error" and (day := _cron_day_words(err, number)) is not None:
        return day
    return f"is refused too ({str(err['msg']).removeprefix('Value error, ')})"


def _cron_day_words(err: Any, number: object) -> str | None:
    """How a field of the days' names (``err``, its literal error) refuses ``number``: the day cron numbers so
    (:func:`_cron_day`), or that it is none (:func:`_no_cron_day`); None for any other field."""
    if (day := _cron_day(err, number)) is not None:
        return f"is {day!r} as cron numbers the days (0 or 7 Sunday): write {day}"
    return _no_cron_day(err, number)


def _field_error(model: type[BaseModel], loc: tuple[str | int, ...], value: object) -> ErrorDetails | None:
    """The first error of the field at ``loc`` below ``model`` validating ``value`` alone, None when it takes it or is
    no field of the model."""
    field = _field_at(model, loc)
    if field is None:
        return None
    try:
        _adapter(field).validate_python(value)
    except ValidationError as exc:
        return exc.errors()[0]
    return None


def _item_error(model: type[BaseModel], loc: tuple[str | int, ...], value: object) -> ErrorDetails | None:
    """The first error of the list's item at ``loc`` below ``model`` validating ``value`` alone (in a list of one
    item), None when it takes it or is no item of a list field of the model."""
    field = _field_at(model, loc[:-1]) if loc and isinstance(loc[-1], int) else None
    if field is None:
        return None
    try:
        _adapter(field).validate_python([value])
    except ValidationError as exc:
        err = exc.errors()[0]
        return err if err["loc"][:1] == (0,) else None  # the list's own (its length): not the item's
    return None


def _text_refusal(model: type[BaseModel], loc: tuple[str | int, ...], text: str) -> str | None:
    """Why the text field at ``loc`` below ``model`` refuses ``text`` (its own words and hint), None when it takes it
    or is no field of the model."""
    err = _field_error(model, loc, text)
    return None if err is None else str(err["msg"]).removeprefix("Value error, ")


def _number_words(number: int | float) -> str:
    """A number as a message writes it: whole when it is (2 for 2.0), else its shortest exact form (2.1234567, not
    :g's 2.12346, another number); :g's exponent past 16 digits."""
    if not isinstance(number, float):
        return str(number)
    if math.isfinite(number) and abs(number) < 1e16:
        return str(int(number)) if number.is_integer() else repr(number)
    return f"{number:g}"


_ADAPTERS: dict[int, tuple[Any, TypeAdapter[Any]]] = {}


def _adapter(field: Any) -> TypeAdapter[Any]:
    """A validator of the field's type with its bounds (built on an error only, kept beside the field)."""
    kept = _ADAPTERS.get(id(field))
    if kept is None or kept[0] is not field:
        kept = _ADAPTERS[id(field)] = (field, TypeAdapter(field.rebuild_annotation()))
    return kept[1]


# Thousands grouped with a dot, as French and German write them (10.600 for 10600): in a field of whole numbers,
# where 10.600 as a decimal reads as 10.6, never whole, or 10.000 as 10, the grouping is the likelier reading
_DOT_GROUPED = LazyPattern(r"\s*([+-]?[0-9]{1,3}(?:\.[0-9]{3})+)\s*")


def _dot_grouped_hint(w: _Wanted, value: str) -> str | None:
    """For a whole number's field, a text of digits grouped by three with dots (10.600, 1.000.000): the number it
    reads as grouped, offered when the field takes it, beside what its one '.' as a decimal point reads as; None
    for any other text."""
    if (m := _DOT_GROUPED.fullmatch(value)) is None:
        return None
    grouped = _exact(m[1].replace(".", ""))
    how = _without(w.quoted, "separators between the digits")
    if m[1].count(".") > 1:
        return w.offer(grouped, how)
    decimal = _exact(m[1])
    written = m[1].lstrip("+-")
    as_grouped = f"if its '.' groups thousands ({written} for {_number_words(abs(grouped))})"
    if isinstance(decimal, float):  # 10.600: 10.6
        first = f"it reads as {_number_words(decimal)}, which is no whole number; {as_grouped}, "
        if w.taken(grouped):
            return f"{first}write {grouped}{how}"
        return f"{first}it reads as {grouped}, which is {w.why_not(grouped)} too"
    return _whole_either_way(w, grouped, decimal, how)


def _whole_either_way(w: _Wanted, grouped: int | float, decimal: int | float, how: str) -> str:
    """Of a text of one '.' before three zeros (10.000) in a whole number's field: its grouped reading (10000) and
    its decimal one (10), each offered when the field takes it, else told refused."""
    as_grouped, as_point = "if its '.' groups thousands", f"{decimal}, if it is a decimal point"
    if w.taken(grouped) and w.taken(decimal):
        return f"write {grouped}{how}, {as_grouped} (or {as_point})"
    if w.taken(grouped):
        return f"write {grouped}{how}, {as_grouped} ({as_point}, is {w.why_not(decimal)})"
    if w.taken(decimal):
        point = _without(w.quoted, "decimal point")
        return f"write {decimal}{point}, if it is a decimal point ({grouped}, {as_grouped}, is {w.why_not(grouped)})"
    return f"it reads as {grouped}, {as_grouped}, or as {as_point}: {w.why_not(grouped)}"


def _comma_hint(w: _Wanted, number: int | float, how: str, decimal: int | float) -> str:
    """Of a text with one comma before three digits where a fraction may go (1,500): its thousands reading and its
    decimal one, each offered when the field takes it, else told refused."""
    if w.taken(number) and w.taken(decimal):
        return f"write {_number_words(number)}{how} (or {_number_words(decimal)}, if its ',' is a decimal point)"
    if w.taken(decimal):
        return (
            f"write {_number_words(decimal)}, with a '.' as its decimal point{_without(w.quoted)} "
            f"({_number_words(number)}, if its ',' groups thousands, is {w.why_not(number)})"
        )
    if w.taken(number):
        return (
            f"write {_number_words(number)}{how} ({_number_words(decimal)}, if its ',' is a decimal point, is "
            f"{w.why_not(decimal)})"
        )
    return (
        f"it reads as {_number_words(number)}, or as {_number_words(decimal)} if its ',' is a decimal point: "
        f"{w.why_not(number)}"
    )


def _number_text_hint(w: _Wanted, value: str) -> str:
    """How to write a number in plain decimal digits given in quotes (_NUMBER_TEXT's): where a whole number goes, a
    decimal point is said (10.6 is no whole number; 10600.0 is 10600 written with one)."""
    if w.kind == "int_type" and "." in value:
        real = _exact(value)
        if isinstance(real, float):
            return _fraction_hint(w, real)
        return w.offer(real, _without(w.quoted, "decimal point"))
    number = _exact(value)
    refused = w.refusal(number)
    if refused is not None:
        return f"it reads as {_number_words(number)}, which is {refused[0]} too ({refused[1]})"
    # written plain, the text must read as the number it is: not with a leading zero ("010", which YAML 1.1 reads
    # as octal and pic refuses), nor with more digits than a number keeps ("1.50000000000000000001")
    if isinstance(number, float) and decimal.Decimal(repr(number)) != decimal.Decimal(value.strip()):
        return f"it has more digits than a number keeps: {w.offer(number, f', or fewer digits{_without(w.quoted)}')}"
    digits = value.strip().lstrip("+-")
    if len(digits) > 1 and digits[0] == "0" and "." not in digits:
        return w.offer(number, _without(w.quoted, "leading zeros"))
    return "write the number without quotes"


def _fraction_hint(w: _Wanted, number: float) -> str:
    """What a number read from text that is no whole number, or too large to write out (:func:`_exact`), is told;
    one whole once read (2.000000000000000001, more digits than a float keeps) offered whole when the field takes
    it."""
    quoted = w.quoted
    if number and number.is_integer() and abs(number) < 1e16:
        return f"it has more digits than a number keeps: {w.offer(int(number), f', or fewer digits{_without(quoted)}')}"
    if math.isinf(number):
        return f"it reads as a number of more than {_MAX_DIGITS} digits, far more than the field takes"
    if number == 0:
        return f"it reads as a fraction too close to 0 to write: give a number of the field's range{_without(quoted)}"
    return f"it reads as {_number_words(number)}, which is no whole number: give a whole number{_without(quoted)}"


def _no_number_text(value: object, kind: str, quoted: bool = True) -> str | None:
    """What a text that looks like a number and is none (_INFINITY_TEXT, _NAN_TEXT, _BARE_PREFIX) is told, with
    what to give in a field of ``kind`` instead; None for any other value."""
    if not isinstance(value, str):
        return None
    wanted = _TYPE_WORDS.get(kind, "a number")
    if _INFINITY_TEXT.fullmatch(value):
        return f"it is infinity, which no field takes: give {wanted}{_without(quoted)}"
    if _NAN_TEXT.fullmatch(value):
        return f"it is NaN (not a number): give {wanted}{_without(quoted)}"
    if (m := _BARE_PREFIX.fullmatch(value)) is not None:
        name = _BASES[m[1].lower()][1]
        return (
            f"it is {a_or_an(name)} {name} number's prefix without digits: give {wanted} in decimal digits"
            f"{_without(quoted)}"
        )
    return None


def _text_number_hint(w: _Wanted, value: str) -> str | None:
    """:func:`_number_hint` of a text."""
    if (no_number := _no_number_text(value, w.kind, w.quoted)) is not None:
        return no_number
    if w.kind == "int_type" and (grouped := _dot_grouped_hint(w, value)) is not None:
        return grouped
    if (spelled := spelled_number(value, whole=w.kind == "int_type", quoted=w.quoted)) is not None:
        return _spelled_hint(w, value, *spelled)
    if _NUMBER_TEXT.fullmatch(value):
        return _number_text_hint(w, value)
    return _unit_hint(w, value)


def _spelled_hint(w: _Wanted, value: str, number: int | float, how: str) -> str:
    """:func:`_text_number_hint` of a text :func:`spelled_number` reads as ``number``, written so ``how``."""
    if isinstance(number, float) and (w.kind == "int_type" or math.isinf(number) or number == 0):
        return _fraction_hint(w, number)
    if (decimal := _comma_decimal(value, w.kind == "int_type")) is not None:
        return _comma_hint(w, number, how, decimal)
    return w.offer(number, how)


def _number_hint(w: _Wanted, value: object) -> str | None:
    if isinstance(value, str):
        return _text_number_hint(w, value)
    if w.kind == "int_type" and isinstance(value, float):
        if w.written is not None and (grouped := _dot_grouped_hint(w, w.written)) is not None:
            return grouped  # 10.600, which YAML reads as 10.6
        return w.offer(int(value), ", without a decimal point") if value.is_integer() else "give a whole number"
    return None


def _list_hint(value: object, shown: str) -> str:
    if isinstance(value, str) and value.startswith("-") and value[1:2].strip():
        return "a list's item needs a space after its '-' ('- item', one line per item)"  # -main: one text
    if isinstance(value, str) and " - " in value:
        # key: x, then items below it: YAML folds the lines into one text, "x - a - b"
        return (
            "the items on the lines below were read as one text with what follows the key's ':' on its line: "
            "leave nothing after the ':' (or remove the '- ' items below)"
        )
    if isinstance(value, dict):
        return "start each item of the list with '- ' (here, before its first key)"
    if isinstance(value, str) and shown == show_value(value) and not shown.endswith("..."):
        return f"write it as a list, [{shown}], or one '- ' line per item below the key"  # the text as written
    return "write a list, [a, b], or one '- ' line per item below the key"


def _type_hint(
    kind: str, value: object, model: type[BaseModel], loc: tuple[str | int, ...], shown: str, *, written: str | None
) -> str | None:
    """How to write a value of the kind wanted, for a value of another kind (``"2G"`` for a number of MB,
    ``"yes"`` in quotes for a boolean, one text for a list); None when there is nothing more to say.
    ``shown`` is the value as the message shows it (hidden when it may be a secret), echoed by a hint only so;
    ``written``, the value as the file has it when it was written without quotes and YAML converted it, or when
    YAML 1.2 read it as text though it looks like a number (10_600)."""
    if kind in ("int_type", "float_type"):
        name = loc[-1] if loc and isinstance(loc[-1], str) else ""
        quoted = written is None  # plain: a number YAML converted, or text that looks like one (10_600)
        return _number_hint(_Wanted(kind, name, quoted, written, _field_at(model, loc)), value)
    if kind == "bool_type":
        # written: plain, converted (1) or read as text (oN); a number's spelling told as YAML 1.1 and 1.2 read it
        return boolean_hint(value, plain=written is not None, written=written)
    if kind == "list_type":
        return _list_hint(value, shown)
    if kind == "date_type":
        return _date_hint(value)
    if kind in ("dict_type", "model_type"):
        keys = allowed_keys(model, loc)
        allowed = f" (allowed: {', '.join(keys)})" if keys else ""
        how = (
            "write its keys, key: value, without a '- ' before them"
            if isinstance(value, list)
            else ("give its keys on the lines below it, indented")
        )
        return how + allowed
    return None


def _wrong_type(
    kind: str,
    err: Any,
    model: type[BaseModel],
    loc: tuple[str | int, ...],
    shown: str,
    *,
    written: str | None,
    data: object = None,
    context: object = None,
) -> str:
    """The message of a value of another kind than the field's, with how to write it; ``context``, the validation's
    (the stack's names, :class:`~pic.validators.NameOf`)."""
    value = err.get("input")
    if kind == "date_type" and (wrong := _not_a_date(value)) is not None:
        return wrong
    if kind == "string_type" and isinstance(value, int | float) and not isinstance(value, bool) and _ip_field(loc):
        return _number_for_address(value, model, loc, data)
    if kind == "string_type" and isinstance(value, int | float | dt.date):
        return f"is not {_TYPE_WORDS[kind]}{_quoting_hint(value, model, loc, written, context)}"
    hint = _type_hint(kind, value, model, loc, shown, written=written)
    return f"is not {_TYPE_WORDS[kind]}" + ("" if hint is None else f": {hint}")


def _quoting_hint(
    value: object, model: type[BaseModel], loc: tuple[str | int, ...], written: str | None, context: object
) -> str:
    """What to write for a number, a boolean or a date YAML read where text goes (:func:`_wrong_type`): the text
    written in quotes, unless refused so too (0x1505..., ``php: 8``, told with the names the stack has), or the
    number YAML read, in quotes, for a name written as one (``runtime: 7.40``: '7.4')."""
    if written is None:
        return " (put it in quotes)"
    read = _decimal_read(model, loc, written, value, context) or _name_read(model, loc, written, value, context)
    if read is not None:
        return f" (YAML reads the number {read}): write {read!r}, in quotes"
    refused = _text_refusal(model, loc, written)
    if refused is not None:
        return f", and written in quotes it {refused}{_names_hint(model, loc, written, context)}"
    unnamed = _named_refusal(model, loc, written, value, context)
    return " (put it in quotes)" if unnamed is None else unnamed


def _named_refusal(
    model: type[BaseModel], loc: tuple[str | int, ...], written: str, number: object, context: object
) -> str | None:
    """For a field naming one of the stack's things (:class:`~pic.validators.NameOf`: ``site.php``) given a number
    YAML read from the text ``written`` (``php: 8.40``, the number 8.4), what to write when that text in quotes
    names none of them: the number as YAML read it when the stack has that name (``: write '8.4', in quotes``; a
    runtime key is no decimal number, "8.40" and "8.4" are two keys), else the names there are; None when the text
    in quotes names one, or without the stack's names (the context's) to compare with."""
    named = _name_of(_field_at(model, loc))
    if named is None or not isinstance(context, dict):
        return None
    known = [str(name) for name in context.get(named.among) or ()]
    if not known or written in known or written in named.also:
        return None
    read = _number_words(number) if isinstance(number, int | float) and not isinstance(number, bool) else None
    if read is not None and read in known:
        return f" (YAML reads the number {read}): write {read!r}, in quotes"
    return (
        f", and written in quotes it is none of {named.what} ({named.listed(known)}){named.suggested(written, known)}"
    )


def _decimal_read(
    model: type[BaseModel], loc: tuple[str | int, ...], written: str, number: object, context: object
) -> str | None:
    """For a name written as a decimal number (:attr:`~pic.validators.Whole.decimal`: a PHP branch) given the text
    ``written`` plain, digits with a decimal point, which YAML read as ``number`` in another form (``runtime:
    7.40``, the number 7.4): the number's text, which the field takes in quotes, as the name meant ("7.40" and
    "7.4" are two names; ``7.4`` is php.net's); None otherwise (``8.4``, the text as read: put in quotes), and
    where the stack's names are known (``context``: :func:`_named_refusal` compares with them)."""
    field = _field_at(model, loc)
    named = _name_of(field)
    if named is not None and isinstance(context, dict) and context.get(named.among):
        return None
    if not isinstance(number, float) or _DECIMAL_TEXT.fullmatch(written) is None:
        return None
    if not any(m.decimal for m in _wholes(field)):
        return None
    read = repr(number)  # 8.00: 8.0, with its decimal point
    return read if read != written and _text_refusal(model, loc, read) is None else None


# a decimal number as YAML 1.2 reads one (a sign, an exponent: +8.4, 7.4e0, 0.84E1)
_DECIMAL_TEXT = LazyPattern(r"\+?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?")


def _name_read(
    model: type[BaseModel], loc: tuple[str | int, ...], written: str, number: object, context: object
) -> str | None:
    """For a field naming one of the stack's things (:class:`~pic.validators.NameOf`: ``site.php``) given the text
    ``written`` plain, a decimal number YAML read in another form (``+8.4``, ``8.4e0``: 8.4): the number's text when
    it is one of the stack's names (``context``'s), whatever the text in quotes is refused for; None otherwise."""
    named = _name_of(_field_at(model, loc))
    if named is None or not isinstance(context, dict) or not isinstance(number, float):
        return None
    read = _number_words(number) if _DECIMAL_TEXT.fullmatch(written) is not None else None
    known = [str(name) for name in context.get(named.among) or ()]
    return read if read is not None and read != written and read in known else None


def _wholes(field: Any) -> list[Whole]:
    """The :class:`~pic.validators.Whole` forms of a field, in its own metadata or in its type's, optional or not."""
    found = [m for m in getattr(field, "metadata", ()) if isinstance(m, Whole)]
    pending = [getattr(field, "annotation", None)]
    while pending:
        annotation = pending.pop()
        if typing.get_origin(annotation) is typing.Annotated:
            found += [m for m in typing.get_args(annotation)[1:] if isinstance(m, Whole)]
        elif typing.get_origin(annotation) in (typing.Union, types.UnionType):
            pending.extend(typing.get_args(annotation))
    return found


def _name_of(field: Any) -> NameOf | None:
    """The :class:`~pic.validators.NameOf` of a field naming one of the stack's things, in its own metadata or in
    its type's, optional or not (``host: WebHostRef | None``); None for another field."""
    return next((m for m in _wholes(field) if isinstance(m, NameOf) and m.among), None)


def _names_hint(model: type[BaseModel], loc: tuple[str | int, ...], written: str | None, context: object) -> str:
    """`` (the stack's runtimes: 7.4, 8.2, ...)``: the names the stack has for a field naming one of its things, as
    the text ``written`` in quotes is told them (:meth:`~pic.validators.NameOf.hint`), from ``context`` (the
    validation's); empty for another field or without them."""
    named = _name_of(_field_at(model, loc))
    if named is None or written is None or not isinstance(context, dict):
        return ""
    return named.hint(written, [str(name) for name in context.get(named.among) or ()])


# The fields of one IP address (a host's ``address`` takes a name too), alone or in a list
_IP_KEYS = frozenset({"address", "private_address", "public_addresses", "listen", "resolver"})


def _ip_field(loc: tuple[str | int, ...]) -> bool:
    key = next((part for part in reversed(loc) if isinstance(part, str)), None)
    return key in _IP_KEYS


def _quoted_number(value: object) -> int | None:
    """The number a text of ASCII digits alone is (``"167772171"``, an address's field given one in quotes)."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20:
        return int(value)
    return None


def _number_for_address(value: float, model: type[BaseModel], loc: tuple[str | int, ...], data: object) -> str:
    """The message of a number given where an IP address goes: an integer of 32 bits is an IPv4 address written as
    one number (167772171 is 10.0.0.11, as some tools and databases store it), offered when the data with it there
    passes the model's checks at that place (a private network's for a private_address, made across the hosts),
    else told refused too; another number is no address."""
    if not isinstance(value, int) or not 2**24 <= value < 2**32:
        return "is a number, not an IPv4 or IPv6 address: give the host's address (four numbers from 0 to 255, dotted)"
    address = str(ipaddress.IPv4Address(value))
    what = f"is {address} written as one number (its 32 bits)"
    try:
        model.model_validate(_replaced(data, loc, address))
    except ValidationError as exc:
        elsewhere: list[tuple[tuple[str | int, ...], str]] = []
        for err in exc.errors():
            error = (err.get("ctx") or {}).get("error")
            at = _keys_of((*err["loc"], *(error.loc if isinstance(error, SubfieldError) else ())), data)
            why = str(error if error is not None else err["msg"]).removeprefix("Value error, ")
            if at == loc:
                return f"{what}, and {address!r} {why}"
            elsewhere.append((at, why))
        # refused at another field, once the address is there (the address of another host: told at the later one)
        new = [(at, why) for at, why in elsewhere if (at, why) not in _errors_at(model, data)]
        if new:
            at, why = new[0]
            named = f"{getattr(model, 'SHOWN_PREFIX', '')}{shown_loc(at)}"  # pic:hosts.db.private_address
            return f"{what}, and {address!r} is refused there: with it, {named} {why}"
    except Exception:  # a check needing more than the data (the stack's name): nothing offered
        return f"{what}: write it dotted ({address!r}), if it is the host's"
    return f"{what}: write {address!r}"


def _errors_at(model: type[BaseModel], data: object) -> list[tuple[tuple[str | int, ...], str]]:
    """The fields ``model`` refuses in ``data``, each with why (:func:`_number_for_address` compares)."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            error = (err.get("ctx") or {}).get("error")
            at = _keys_of((*err["loc"], *(error.loc if isinstance(error, SubfieldError) else ())), data)
            out.append((at, str(error if error is not None else err["msg"]).removeprefix("Value error, ")))
        return out
    return []


def _replaced(data: object, loc: tuple[str | int, ...], value: object) -> object:
    """``data`` with ``value`` at ``loc``, the mappings and lists on the way copied."""
    if not loc:
        return value
    if isinstance(data, dict):
        return {**data, loc[0]: _replaced(data.get(loc[0]), loc[1:], value)}
    if isinstance(data, list) and isinstance(loc[0], int):
        return [_replaced(item, loc[1:], value) if i == loc[0] else item for i, item in enumerate(data)]
    return data


# A day of the week as cron(8) numbers it (crontab(5): 0 or 7 is Sunday), where a field takes its name
_CRON_DAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _literal_detail(err: Any, expected: str) -> str:
    detail = f"is not allowed (expected {expected})"
    value = err.get("input")
    if isinstance(value, str) and not value.isascii():  # Ｍｏｎ: a Japanese or Chinese keyboard's full-width letters
        folded = unicodedata.normalize("NFKC", value)
        several = len(_choices_named(folded, expected)) > 1  # Ｍｏｎ－Ｆｒｉ: told below, as mon-fri is
        if folded.isascii() and not several and (meant := _literal_meant(folded, expected)) is not None:
            return f"{detail}: it is written in letters that only look like ASCII (full-width forms): write {meant}"
    if isinstance(value, str) and len(named := _choices_named(unicodedata.normalize("NFKC", value), expected)) > 1:
        # mon-fri, Sat-Sun: a range or a list, no one of its choices meant alone
        detail += f": {value.strip()!r} names several of them ({', '.join(named)}), where one is taken"
    elif isinstance(value, str) and (meant := _literal_meant(value, expected)) is not None:
        detail += f"; did you mean {meant!r}?"
    elif (day := _cron_day({"ctx": {"expected": expected}}, value)) is not None:
        shown = value.strip() if isinstance(value, str) else value
        detail += f": {shown} is {day!r} as cron numbers the days (0 or 7 Sunday): write {day}"
    elif (no_day := _no_cron_day({"ctx": {"expected": expected}}, value)) is not None:
        detail += f": {value.strip() if isinstance(value, str) else value} {no_day}"
    return detail


def _literal_described(err: Any, value: str, written: str | None) -> tuple[str, str]:
    """``value`` as shown and :func:`_literal_detail`'s detail for a literal error; a number refused by a field of the
    days' names in another spelling than a plain integer's (:func:`_day_number_read`) shown with its reading (0b1 (1),
    1e0 (1), as 0x1 (1) is) and told as that number is."""
    expected = str((err.get("ctx") or {}).get("expected"))
    read = _day_number_read(err.get("input"), written, expected)
    if read is None:
        return value, _literal_detail(err, expected)
    shown = value if _number_words(read) == value else f"{value} ({_number_words(read)})"
    return shown, _literal_detail({**err, "input": read}, expected)


def _day_number_read(value: object, written: str | None, expected: str) -> int | float | None:
    """The number ``value``, refused by a field of the days' names (:data:`_CRON_DAYS`), is in another spelling than a
    plain integer's, whole when it is: a decimal YAML reads (1.0, 1e0: 1), a plain text in base 2, 8 or 16 or with
    separators YAML 1.1 reads as an integer (0b1, 0X1, 0x_1, 1_0: :func:`spelled_number`); None for any other value
    (an integer, 0x1 and 0o1 among them, told as they are; a quoted text, which cron reads as its own)."""
    if set(re.findall(r"'([^']*)'", expected)) != set(_CRON_DAYS) or written is None or isinstance(value, bool):
        return None
    number: object = value
    if isinstance(value, str):
        spelled = spelled_number(value, whole=True, quoted=False) if value.isascii() else None
        number = None if spelled is None else spelled[0]
    if not isinstance(number, float) or not math.isfinite(number):
        return number if isinstance(number, int) and isinstance(value, str) else None
    return int(number) if number.is_integer() else number


def _cron_day(err: Any, value: object) -> str | None:
    """The day's name ``value`` is as cron numbers the days (:func:`_cron_number`), where ``err``, a literal error,
    expects the days' names (:data:`_CRON_DAYS`); None otherwise."""
    expected = str((err.get("ctx") or {}).get("expected", ""))
    if set(re.findall(r"'([^']*)'", expected)) != set(_CRON_DAYS) or (number := _cron_number(value)) is None:
        return None
    return _CRON_DAYS[number]


# What a number cron numbers no day with is told where the days' names go (yamlsrc's _NO_DAY starts it)
_NO_CRON_DAY = "cron numbers the days 0 to 7 (0 or 7 Sunday): write a day's name, Mon to Sun"


def _no_cron_day(err: Any, value: object) -> str | None:
    """``is no day: cron numbers the days 0 to 7 (...)``, for a whole number out of cron's days (8, -7; ``"08"``,
    ``"-07"`` and full-width digits, as :func:`_cron_number` reads text), where ``err``, a literal error, expects
    the days' names (:data:`_CRON_DAYS`); ``is a negative number, and ...`` for one below zero; None otherwise."""
    expected = str((err.get("ctx") or {}).get("expected", ""))
    if set(re.findall(r"'([^']*)'", expected)) != set(_CRON_DAYS) or isinstance(value, bool):
        return None
    text = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else ""
    if isinstance(value, float):  # 1.5: no whole number, no day
        return f"is no day: {_NO_CRON_DAY}"
    if isinstance(value, int):
        number = value
    elif re.fullmatch(r"[-+]?[0-9]{1,20}", text, re.ASCII) is not None:
        number = int(text)
    else:
        return None
    if 0 <= number <= 7:
        return None
    return f"is a negative number, and {_NO_CRON_DAY}" if number < 0 else f"is no day: {_NO_CRON_DAY}"


def _cron_number(value: object) -> int | None:
    """The day number 0 to 7 ``value`` is as cron reads one (:data:`_CRON_DAYS`): an integer, or a digit written as
    text (quoted, ``"7"``), with leading zeros or a plus sign as cron reads them (``"07"``, ``"+7"``), or in a
    Japanese or Chinese keyboard's full-width form (NFKC: ``７``); else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 <= value <= 7 else None  # 7: Sunday again
    text = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else ""
    digits = text.removeprefix("+").lstrip("0") or text[-1:]  # "07", "+7", "00": cron reads 07 as 7
    return int(digits) if len(digits) == 1 and digits in "01234567" and text[-1:].isdigit() else None


def _choices_named(value: str, expected: str) -> list[str]:
    """The allowed values (of pydantic's ``'a', 'b' or 'c'``) that the words of ``value`` (split at what is no
    letter nor digit) each are or name (:func:`meant_among`: ``mon``, ``Friday`` for ``Mon``, ``Fri``), in order,
    once each: a range or a list (``mon-fri``, ``Sat, Sun``) when more than one; of the days' names alone
    (:data:`_CRON_DAYS`), where two of them are never one name (``letsencrypt-staging`` is one CA's)."""
    choices: list[str] = re.findall(r"'([^']*)'", expected)
    if set(choices) != set(_CRON_DAYS):
        return []
    named = [
        word if word in choices else meant_among(word, choices) for word in re.split(r"[^0-9A-Za-z]+", value) if word
    ]
    return list(dict.fromkeys(name for name in named if name is not None))


def _literal_meant(value: str, expected: str) -> str | None:
    """The allowed value (of pydantic's ``'a', 'b' or 'c'``) that ``value`` is in other letter case or close to
    (``Reject``, ``rejet`` for ``reject``), or None."""
    choices: list[str] = re.findall(r"'([^']*)'", expected)
    if set(choices) == set(get_args(charsets.DbCharset)):  # a database's charset: a collation's, UTF-8's
        return charsets.db_meant(value) or meant_among(value, choices)
    return meant_among(value, choices)


def _describe(
    err: Any,
    model: type[BaseModel],
    loc: tuple[str | int, ...],
    value: str,
    data: object = None,
    *,
    written: str | None = None,
    context: object = None,
) -> str:
    """The message of one error; ``value`` is its input as shown (as written in the file); ``written``, the text
    of a plain scalar the file has there (:attr:`pic.yamlsrc.Document.written`); ``context``, the validation's."""
    kind = err["type"]
    ctx = err.get("ctx", {})
    if kind == "extra_forbidden":
        return _unknown_key(model, loc, data)
    if kind == "missing":
        return "is required but missing"
    if (non_finite_detail := _non_finite(kind, err, ctx, written)) is not None:
        detail = non_finite_detail
    elif kind in _TYPE_WORDS:
        detail = _wrong_type(kind, err, model, loc, value, written=written, data=data, context=context)
    elif kind == "value_error" and _ip_field(loc) and (number := _quoted_number(err.get("input"))) is not None:
        detail = _number_for_address(number, model, loc, data)  # "167772171": told as the number written plain is
    elif kind == "value_error":
        detail = str(err["msg"]).removeprefix("Value error, ")
        if detail == SEVERAL_NAMES and not (loc and isinstance(loc[-1], int)):
            detail = ONE_NAME_OF_SEVERAL  # a setting of one name: no list to give the others in
    elif kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        detail = _length(kind, err, ctx)
    elif kind in _BOUNDS:
        word, key = _BOUNDS[kind]
        detail = f"is out of range (must be {word} {ctx.get(key)})"
    elif kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern"))
        detail = f"is not allowed here: {PATTERN_WORDS.get(pattern, f'expected the form {pattern}')}"
    elif kind == "literal_error":
        value, detail = _literal_described(err, value, written)
    else:
        detail = f": {err['msg']}"
    return f"{value} {detail}"


def _written(data: object, loc: tuple[str | int, ...]) -> bool:
    """True when ``loc`` is a key or an item written in ``data`` (with no value: ``key:``, ``key: ~``, ``- ``)."""
    for part in loc[:-1]:
        data = _item(data, part)
        if data is _MISSING:
            return False
    return bool(loc) and _item(data, loc[-1]) is not _MISSING


def _field_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> Any:
    """The pydantic field of the key at ``loc`` below ``model`` (None for a list's item or a mapping's free key)."""
    current: Any = model
    field = None
    for part in loc:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        if isinstance(part, int) or part not in current.model_fields:
            field = None
            continue  # list index or dict key: stay on the item's model
        field = current.model_fields[part]
        current = _unwrap(field.annotation)
    return field


def _empty_words(err: Any, model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    """What to do with a key or a list's item written without a value (``key:``, ``key: ~``, ``- ``): never
    "null is not a string", but that it is empty, what it takes, and whether it may be left out."""
    kind = err["type"]
    if kind in _TYPE_WORDS:
        wanted = _TYPE_WORDS[kind]
    elif kind == "literal_error":
        wanted = f"one of {(err.get('ctx') or {}).get('expected')}"
    else:
        wanted = "its value"
    if isinstance(loc[-1], int):
        return f"is an empty item (null): give {wanted}, or remove the item"
    field = _field_at(model, loc)
    if field is not None and field.is_required():
        return f"is empty (null): give {wanted} (the key is required)"
    return f"is empty (null): give {wanted}, or remove the key"


# pydantic's labels in an error's location for a validator or a union member (function-after[...],
# nullable[...], list[...]): not keys of the data.
_LABEL = LazyPattern(r"[a-z][a-z0-9-]*\[.*\]", re.DOTALL)


def _keys_of(loc: tuple[str | int, ...], data: object) -> tuple[str | int, ...]:
    """``loc`` without pydantic's labels: each part that is a key (or an index) of ``data`` on the way
    stays, whatever it holds (a key may be written ``x[0]``); a label that is no key is dropped."""
    out: list[str | int] = []
    current: object = data
    for part in loc:
        inner = _item(current, part)
        if inner is _MISSING and isinstance(part, str) and _LABEL.fullmatch(part):
            continue
        current = None if inner is _MISSING else inner
        out.append(part)
    return tuple(out)


def _key_hidden(key: object, under: tuple[str | int, ...]) -> bool:
    """Whether ``key``, a key of the mapping at ``under`` refused, is not to be shown: a key no schema names is read as
    a value is for a password's shape (Lilas2024x, velo75paris); a public name's (a database's short name under
    database_charsets: Prod2024) as such a name is (:func:`pic.errors.public_name_may_be_secret`)."""
    if isinstance(key, str) and is_public_name_field(under):
        return public_name_may_be_secret(key) or reads_as_secret(key)
    shaped = isinstance(key, str) and shaped_as_password(key)
    return shaped or reads_as_secret(key) or password_beside(key, key=True)


def problems_from(
    exc: ValidationError,
    doc: Document,
    model: type[BaseModel],
    prefix: tuple[str | int, ...] = (),
    data: object = None,
    *,
    credentials: bool = True,
    context: object = None,
) -> list[Problem]:
    """One problem per pydantic error, located in ``doc``; ``prefix`` is where the model's data sits,
    ``data`` what was validated (default: the document's data).

    ``credentials``: the model's text may hold a user and password (the stack settings: URLs and
    hosts such as ``pic:db.proxy``), never shown again (:func:`~pic.errors.value_without_credentials`).
    A member file holds none: its values are shown whole, as written (escaped), ``False``.
    ``context``: the validation's (the stack's names a member file's fields name, :func:`pic.registry.stack_names`).
    """
    data = doc.data if data is None else data
    out = []
    errors, untold = first_of_each_kind(_in_file_order(exc.errors(), doc, prefix, data), lambda err: str(err["type"]))
    misspelt = _misspelt(errors, data, model)
    for err in errors:
        loc = _keys_of(tuple(err["loc"]), data)
        if err["type"] == "missing" and loc in misspelt:
            continue  # told at the misspelt key, with the key meant
        value = err.get("input")
        error = (err.get("ctx") or {}).get("error")
        if isinstance(error, SubfieldError):
            loc = (*loc, *error.loc)
            value = _below(value, error.loc)
        if loc and loc[-1] == _KEY_LABEL:  # a key of a mapping of free keys is refused, not its value
            loc = loc[:-1]
            full = (*prefix, *loc)
            if _key_hidden(value, loc[:-1]):
                message = redacted(_describe(err, model, loc, f"a key, {HIDDEN_VALUE},", data), value, _own(err))
            else:
                message = _describe(err, model, loc, f"key {show_value(value)}", data)
            out.append(Problem(doc.file, doc.line_of(full), _field_shown(full), message))
            continue
        full = (*prefix, *loc)
        hidden = value_without_credentials(value) if credentials and isinstance(value, str) else value
        # shown without a user and password, whatever the file says; else as written
        shown = show_value(hidden) if hidden is not value else doc.shown(full, value)
        secret_keys = [part for part in loc if isinstance(part, str) and reads_as_secret(part)]
        # a value under a key named for a secret (php_settings.password) is one, whatever its shape
        # a public name (a domain, a database's, a host's user) is shown unless shaped as a password (Prod2024 is
        # shown, Lilas2024x not), as its name to write is offered
        public = isinstance(hidden, str) and is_public_name_field(loc) and not secret_keys
        secret = (
            reads_as_secret(hidden)
            or bool(secret_keys)
            or is_secret_field(loc)
            or (public_name_may_be_secret(hidden) if public else _pasted_password(err, hidden))
            or (not public and password_beside(hidden))
            or (not public and isinstance(hidden, str) and shaped_as_password(hidden))
            # a number written so (0xCafe1234: 3405648436), not told in decimal either
            or (isinstance(hidden, int | float) and mixed_case_hex(doc.written.get(full) or ""))
        )
        if secret:  # refused for another reason: still unseen, in a list or a mapping too
            shown = HIDDEN_VALUE
        value = hidden
        if (isinstance(error, SubfieldError) and error.names_value) or (
            error is not None and (value is None or isinstance(value, dict))
        ):
            message = str(error)  # names its value, speaks of a mapping's keys, or of a value left out
        elif value is None and err["type"] != "missing" and _written(data, loc):
            message = _empty_words(err, model, loc)
        else:
            written = None if secret else doc.written.get(full)
            message = _describe(err, model, loc, shown, data, written=written, context=context)
        message = _offered_again(message, data, loc)
        if secret and not (isinstance(error, SubfieldError) and error.names_value):
            # a hint may quote the value too ("write it in lowercase ('...')", "did you mean ...?")
            message = redacted(message, _hidden_words(err, loc, hidden) or [hidden, *secret_keys], _own(err))
        out.append(Problem(doc.file, doc.line_of(full), _field_shown(full), message))
    for kind, (first, count) in untold.items():
        what = _UNTOLD_WORDS.get(kind, "errors of the kinds above")
        line = doc.line_of((*prefix, *_keys_of(tuple(first["loc"]), data)))
        out.append(Problem(doc.file, line, "", f"and {count} more {what} from this line on, not shown", faults=count))
    return out


def _hidden_words(err: ErrorDetails, loc: tuple[str | int, ...], value: object) -> list[str]:
    """The words of ``value``, a text of several words refused and not shown, that a message about it leaves out: its
    words shaped as a password alone (:func:`pic.errors.refused_may_be_secret`: ``Infra2024`` in ``timeout 2h30m php
    wp-cron.php --site=Infra2024``, its part alone), so that the rest (the duration refused, ``2h30m``) is told;
    none (the whole value left out) when it reads as a secret as a whole, sits under a secret's key or field, or no
    word alone is so shaped (a password of several words)."""
    if not isinstance(value, str) or len(words := value.split()) < 2:
        return []
    if reads_as_secret(value) or is_secret_field(loc) or _pasted_password(err, value):
        return []
    if any(isinstance(part, str) and reads_as_secret(part) for part in loc):
        return []
    hidden: list[str] = []
    for word in filter(refused_may_be_secret, words):
        # its part so shaped alone (--site=Infra2024: Infra2024), or the whole word (Soleil-Azur-75)
        parts = [part for part in _PARTS.compiled().split(word) if refused_may_be_secret(part)]
        hidden += parts or [word]
    return hidden


# What a word of a value is split at into the parts a message may name apart (--site=Infra2024, ../Adherents2024/x)
_PARTS = LazyPattern(r"[=:/,]+")


# (a hint offering a value at the message's end: did you mean 'x'?, a domain's write it in lowercase ('x'), give the
# name alone ('x'))
_OFFERED = re.compile(
    r"(?:; did you mean (?P<meant>'(?:[^'\\\n]|\\.)*')\?"
    r"|: (?:write it in lowercase|give the name alone) \((?P<name>'(?:[^'\\\n]|\\.)*')\))\Z"
)


def _offered_again(message: str, data: object, loc: tuple[str | int, ...]) -> str:
    """``message`` about an item of a list (``databases: [Main, main]``, ``domains: [ASSO.ORG, asso.org]``), its
    hint offering the value of another item of that list (``'main'``), which the list would then refuse as given
    twice: the value meant is said to be that item's, to give once, not offered."""
    found = _OFFERED.search(message)
    if found is None or not loc or not isinstance(loc[-1], int):
        return message
    items = _below(data, loc[:-1])
    if not isinstance(items, list):
        return message
    offered = found["meant"] or found["name"]
    for other, item in enumerate(items):
        if other != loc[-1] and isinstance(item, str) and repr(item) == offered:
            return (
                f"{message[: found.start()]}; it means {offered}, already given as [{other}]: give each once "
                "(drop this one)"
            )
    return message


def _in_file_order(errors: list[Any], doc: Document, prefix: tuple[str | int, ...], data: Any) -> list[Any]:
    """``errors`` (pydantic's, in its model's order) in the order of their lines in ``doc`` when they are more than
    are told of a kind (:func:`pic.errors.first_of_each_kind`): those told are the file's first, and the line counting
    the others is where they start (25 unknown keys at the top level then 25 under ``limits:`` told limits' 20)."""
    if len(errors) > TOLD_PER_KIND:
        errors.sort(key=lambda err: doc.line_of((*prefix, *_keys_of(tuple(err["loc"]), data))) or 0)
    return errors


# What the errors of a pydantic type not told one by one are, in the line counting them (pic.errors.first_of_each_kind)
_UNTOLD_WORDS = {"extra_forbidden": "unknown keys", "missing": "keys missing"}


def _own(err: Any) -> list[str]:
    """The texts of an error's message that come from no value: what the field allows, its examples (kept whole
    where the value is hidden, :func:`pic.secrettext.redacted`)."""
    ctx = err.get("ctx") or {}
    if err["type"] == "literal_error":
        return [f"expected {ctx.get('expected')}"]
    if err["type"] == "string_pattern_mismatch":
        return [PATTERN_WORDS.get(str(ctx.get("pattern")), "")]
    return list(getattr(ctx.get("error"), "own", ()))


def _field_shown(loc: tuple[str | int, ...]) -> str:
    """The field ``loc`` as a problem names it, a key that reads as a secret (a pasted ``mdp : Azerty123:``) as
    ``(a key not shown)``."""
    return shown_loc(loc)


# pydantic's last label in the location of an error about a key of a mapping (dict[Key, ...]).
_KEY_LABEL = "[key]"

"""Turn pydantic validation errors into the project's problems (file, field, line, value, what is allowed)."""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import math
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from pic.errors import Problem, non_finite, show_value, value_without_credentials
from pic.secrettext import secret_kind
from pic.yamlsrc import HIDDEN_VALUE, Document, format_loc

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


def _meant(model: type[BaseModel], loc: tuple[str | int, ...]) -> str | None:
    """The key an unknown key at ``loc`` is close to (a misspelling: ``domain`` for ``domains``), or None."""
    close = difflib.get_close_matches(str(loc[-1]), allowed_keys(model, loc[:-1]), n=1) if loc else []
    return close[0] if close else None


def _unknown_key(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    allowed = allowed_keys(model, loc[:-1])
    meant = _meant(model, loc)
    hint = f"; did you mean {meant!r}?" if meant is not None else ""
    return f"unknown key (allowed here: {', '.join(allowed)}){hint}"


def _misspelt(errors: list[Any], data: object, model: type[BaseModel]) -> set[tuple[str | int, ...]]:
    """The required keys written misspelt (``domain:`` for ``domains:``): the unknown key's error says which key
    was meant; its "is required but missing" would be the same mistake told twice."""
    out = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = _keys_of(tuple(err["loc"]), data)
            meant = _meant(model, loc)
            if meant is not None:
                out.add((*loc[:-1], meant))
    return out


def _length(kind: str, err: Any, ctx: dict[str, Any]) -> str:
    short = kind.endswith("too_short")
    bound = ctx.get("min_length") if short else ctx.get("max_length")
    unit = "item" if isinstance(err.get("input"), list | dict) else "character"
    unit += "" if bound == 1 else "s"
    return f"is too {'short' if short else 'long'} ({'at least' if short else 'at most'} {bound} {unit})"


_DATE_FORM = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


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


def _non_finite(kind: str, err: Any, ctx: dict[str, Any]) -> str | None:
    """YAML's ``.nan`` or ``.inf`` where a number is wanted, named as what it is (not as a whole number missing,
    nor as out of range: NaN is in no range); None for any other error."""
    special = non_finite(err.get("input"))
    if special is None:
        return None
    if kind in ("int_type", "float_type"):
        return f"is {special}: give {_TYPE_WORDS[kind]}"
    if kind in _BOUNDS:
        word, key = _BOUNDS[kind]
        return f"is {special}: give a number" + ("" if math.isnan(err["input"]) else f" {word} {ctx.get(key)}")
    return None


def _describe(err: Any, model: type[BaseModel], loc: tuple[str | int, ...], value: str) -> str:
    """The message of one error; ``value`` is its input as shown (as written in the file)."""
    kind = err["type"]
    ctx = err.get("ctx", {})
    if kind == "extra_forbidden":
        return _unknown_key(model, loc)
    if kind == "missing":
        return "is required but missing"
    if kind == "date_type" and (wrong := _not_a_date(err.get("input"))) is not None:
        detail = wrong
    elif (non_finite_detail := _non_finite(kind, err, ctx)) is not None:
        detail = non_finite_detail
    elif kind in _TYPE_WORDS:
        detail = f"is not {_TYPE_WORDS[kind]}"
        if kind == "string_type" and isinstance(err.get("input"), int | float | dt.date):
            detail += " (put it in quotes)"  # YAML read a number, a boolean or a date: quoted, it is text
    elif kind == "value_error":
        detail = str(err["msg"]).removeprefix("Value error, ")
    elif kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        detail = _length(kind, err, ctx)
    elif kind in _BOUNDS:
        word, key = _BOUNDS[kind]
        detail = f"is out of range (must be {word} {ctx.get(key)})"
    elif kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern"))
        detail = f"is not allowed here: {PATTERN_WORDS.get(pattern, f'expected the form {pattern}')}"
    elif kind == "literal_error":
        detail = f"is not allowed (expected {ctx.get('expected')})"
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
_LABEL = re.compile(r"[a-z][a-z0-9-]*\[.*\]", re.DOTALL)


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


def problems_from(
    exc: ValidationError,
    doc: Document,
    model: type[BaseModel],
    prefix: tuple[str | int, ...] = (),
    data: object = None,
    *,
    credentials: bool = True,
) -> list[Problem]:
    """One problem per pydantic error, located in ``doc``; ``prefix`` is where the model's data sits,
    ``data`` what was validated (default: the document's data).

    ``credentials``: the model's text may hold a user and password (the stack settings: URLs and
    hosts such as ``pic:db.proxy``), never shown again (:func:`~pic.errors.value_without_credentials`).
    A member file holds none: its values are shown whole, as written (escaped), ``False``.
    """
    data = doc.data if data is None else data
    out = []
    errors = exc.errors()
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
            message = _describe(err, model, loc, f"key {show_value(value)}")
            full = (*prefix, *loc)
            out.append(Problem(doc.file, doc.line_of(full), format_loc(full), message))
            continue
        full = (*prefix, *loc)
        hidden = value_without_credentials(value) if credentials and isinstance(value, str) else value
        # shown without a user and password, whatever the file says; else as written
        shown = show_value(hidden) if hidden is not value else doc.shown(full, value)
        if isinstance(hidden, str) and secret_kind(hidden) is not None:  # refused for another reason: still unseen
            shown = HIDDEN_VALUE
        value = hidden
        if (isinstance(error, SubfieldError) and error.names_value) or (
            error is not None and (value is None or isinstance(value, dict))
        ):
            message = str(error)  # names its value, speaks of a mapping's keys, or of a value left out
        elif value is None and err["type"] != "missing" and _written(data, loc):
            message = _empty_words(err, model, loc)
        else:
            message = _describe(err, model, loc, shown)
        out.append(Problem(doc.file, doc.line_of(full), format_loc(full), message))
    return out


# pydantic's last label in the location of an error about a key of a mapping (dict[Key, ...]).
_KEY_LABEL = "[key]"

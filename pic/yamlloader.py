"""The YAML loader of :mod:`pic.yamlsrc`: libyaml's parser composing nodes, with the YAML 1.2 core schema's tags.

A module of its own: its class derives from PyYAML's loader, chosen at import (libyaml's when present), and
:mod:`pic.yamlsrc` walks the nodes it composes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from pic.lazyre import put_in_re_cache

# PyYAML's pure-Python reader compiles, when yaml is imported (libyaml reading or not), the class of characters it
# refuses: the whole of Unicode but a few ranges, about 57 M instructions of re's compiler at every run (2.6 % of
# pic check on 1,000 members); its program is read from pic's cache instead
put_in_re_cache("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

import yaml  # noqa: E402  # after the pattern is in re's cache
from yaml import ScalarNode, SequenceNode  # noqa: E402

_BaseLoader: type[yaml.SafeLoader]
init_loader: Callable[..., None]
try:
    _BaseLoader = yaml.CSafeLoader  # type: ignore[assignment]
    # libyaml's parser alone: the constructor's and the resolver's state (objects constructed, path resolvers) is
    # never used here, so not set up for each file (2.3 of 3.5 µs per file)
    init_loader = yaml.cyaml.CParser.__init__  # type: ignore[attr-defined]
except AttributeError:  # libyaml missing: same behaviour, slower
    _BaseLoader = yaml.SafeLoader
    init_loader = yaml.SafeLoader.__init__


class Implicit(str):
    """The tag the loader gives a plain scalar without a tag: resolved from its text by the walk.

    An instance of its own type, so that no tag written in a file can be taken for it.
    """


PLAIN = Implicit("tag:pic,2026:implicit")
YAML_TAG = "tag:yaml.org,2002:"
STR, MAP, SEQ = f"{YAML_TAG}str", f"{YAML_TAG}map", f"{YAML_TAG}seq"
NULL = f"{YAML_TAG}null"


class Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader with the YAML 1.2 core schema's scalars (and dates), composing nodes only.

    The data is built by the walk (:class:`pic.yamlsrc._Walk`), never by PyYAML's
    constructors. An impossible date (2027-13-01) stays a string: PyYAML
    raises a bare ValueError for those; as a string it reaches the model,
    which reports it with its file, field and line.
    """

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {}

    def __init__(self, stream: str) -> None:
        init_loader(self, stream)

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """The tag of a node written without one (or with ``!``), called by the composer for each.

        PyYAML's ``BaseResolver.resolve`` without path resolvers (this loader has none), and with
        the text of a plain scalar resolved later, once, by the walk (:func:`pic.yamlsrc._plain_tag`): this
        call is made for every node of every file.
        """
        if kind is ScalarNode:
            return PLAIN if implicit[0] else STR
        return SEQ if kind is SequenceNode else MAP

    # The composer calls these around every node for path resolvers, which this loader has none of
    # (PyYAML's own return at once after looking for them: a fifth of composing a member file). Builtins
    # that take the same arguments, do nothing that matters and return at once, not Python functions: a
    # call from libyaml's composer to one costs a Python frame, twice per node (about 2 % of ``pic check``,
    # bench/bench_check.py). ``{}.get(node, index)`` looks the node up in an empty dict; ``tuple()`` is the
    # empty tuple. What they return is not used.
    descend_resolver: ClassVar[Callable[[object, object], object]] = dict[object, object]().get
    ascend_resolver: ClassVar[Callable[[], object]] = tuple


# YAML 1.1's spellings of a boolean that YAML 1.2 reads as text, read as true or false here (the schema of a member
# file takes them as text too, as an editor reading YAML 1.2 gives them).
BOOLEAN_WORDS_1_1 = ("yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF")


# YAML's words for a boolean, each read as one only in small letters, capitals or with a capital first (yaml.org/type/
# bool.html for 1.1, yaml.org/spec/1.2.2 §10.3.2 for 1.2's true and false): tRue, oN, yES are text
BOOLEAN_WORDS = ("true", "false", "yes", "no", "on", "off")
_FRENCH_YES_NO = ("oui", "non", "vrai", "faux")


def _boolean_case_told(text: str) -> str | None:
    """Why ``text`` is no boolean when it is a word of :data:`BOOLEAN_WORDS` in a case YAML reads as text (``tRue``,
    ``oN``, ``yES``): the cases read as a boolean, named; None for any other text."""
    word = text.lower()
    if word not in BOOLEAN_WORDS or text in (word, word.capitalize(), word.upper()):
        return None
    return (
        "YAML reads a word in all small letters, all capitals or with a capital first alone as a boolean "
        f"({word}, {word.capitalize()}, {word.upper()})"
    )


_TRUE_WORDS = frozenset(("true", "yes", "on"))
# Words and numbers meaning yes or no that YAML reads as no boolean, with why: French (the members are French
# associations), y/n (YAML 1.1's, text to YAML 1.2 and here), 1/0 (numbers).
_MEANT_YES_NO: dict[str, tuple[bool, str]] = {
    **{w: (w in ("oui", "vrai"), f"{w} is French, and YAML reads yes or no in English") for w in _FRENCH_YES_NO},
    "y": (True, "YAML reads y and n as text"),
    "n": (False, "YAML reads y and n as text"),
    "1": (True, "in quotes it is text"),  # plain, a number (boolean_hint)
    "0": (False, "in quotes it is text"),
}


# A plain scalar spelled as a number (0b1, 1_0, 0o1, 1e0, 0x1, 1.0, 1:30), whose YAML 1.1 and 1.2 readings
# :func:`yaml_readings` tells
_NUMBER_SPELLED = re.compile(r"[-+]?\.?[0-9][0-9a-fA-FxXoO_:.eE+-]*")
_DECIMAL = re.compile(r"[-+]?[0-9]+")
_BASE_NAMES_1_1 = (("0b", "binary"), (":", "base 60"))


def _reading_words(number: object) -> str:
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return "text" if isinstance(number, str) else str(number)


def yaml_readings(written: str, value: object) -> tuple[str, list[int | float]] | None:
    """How YAML 1.1 (PyYAML's resolvers, yamllint's and many tools' reading) and YAML 1.2 (this loader, which read
    ``value``) read ``written``, a plain scalar spelled as a number: ``0b1 is 1 to YAML 1.1 (binary) and text to YAML
    1.2`` and the numbers read ([1]); None for a text neither reads as a number, or a boolean to either (on)."""
    if _NUMBER_SPELLED.fullmatch(written) is None or isinstance(value, bool) or _DECIMAL.fullmatch(written):
        return None  # 1, 2: a plain integer, read alike, told as one (boolean_hint)
    try:
        older = yaml.safe_load(written)
    except yaml.YAMLError:
        return None
    readings = [r for r in (older, value) if isinstance(r, (int, float)) and not isinstance(r, bool)]
    if isinstance(older, bool) or not readings or not all(isinstance(r, (int, float, str)) for r in (older, value)):
        return None
    if older == value:
        return f"{written} is {_reading_words(value)} to YAML 1.1 and 1.2 alike", readings[:1]
    base = next((f" ({name})" for mark, name in _BASE_NAMES_1_1 if mark in written.lower()), "")
    base = base if isinstance(older, int) else ""
    return f"{written} is {_reading_words(older)} to YAML 1.1{base} and {_reading_words(value)} to YAML 1.2", readings


def boolean_meant(words: str, readings: list[int | float]) -> str:
    """``{words}: write true`` for readings all 1, ``false`` all 0, else that neither (or it) is true or false."""
    if all(r == 1 for r in readings):
        return f"{words}: write true"
    if all(r == 0 for r in readings):
        return f"{words}: write false"
    which = ", which is not" if len(readings) == 1 and " alike" in words else ", and neither is"
    return f"{words}{which} true or false: write true or false"


def boolean_hint(value: object, *, plain: bool, written: str | None = None) -> str:
    """How to write a yes/no field given ``value``, not a boolean: ``write true``, with why (``without quotes`` for
    a text that YAML does not read so), when the value means yes or no (``oui``, ``y``, ``1``, ``"yes"`` in quotes,
    ``oN`` in a case YAML reads as text, ``"oN"`` told of its quotes and its case at once), else ``write true or
    false``. ``plain``: a text was written without quotes.
    One message for every yes/no field (a model's boolean, ``php_settings.display_errors``). ``written``: the value
    as the file has it when plain, a number's spelling told as YAML 1.1 and 1.2 read it (:func:`yaml_readings`)."""
    if plain and written is not None and (read := yaml_readings(written, value)) is not None:
        return boolean_meant(*read)
    return _boolean_words(value, plain=plain)


def _boolean_words(value: object, *, plain: bool) -> str:
    """:func:`boolean_hint` of a value that is no number's spelling YAML 1.1 and 1.2 read otherwise."""
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return f"{value} is a number to YAML: write {'true' if value else 'false'}"
    if not isinstance(value, str):
        return "write true or false"
    word = value.strip().lower()
    if word in BOOLEAN_WORDS:
        final = "true" if word in _TRUE_WORDS else "false"
        case = _boolean_case_told(value.strip())
        if plain and case is not None:  # a word in YAML's cases is a boolean written plain: this one is in another
            return f"{case}: write {final}"
        return f"in quotes it is text{'' if case is None else f', and {case}'}: write {final}, without quotes"
    if word in _MEANT_YES_NO:
        meant, why = _MEANT_YES_NO[word]
        # text, quoted or not ('oui' and oui read alike): true written back in its quotes would be text too
        return f"{why}: write {'true' if meant else 'false'}, without quotes"
    return "write true or false, without quotes"


def boolean_json_schema() -> dict[str, Any]:
    """The JSON Schema of a boolean as this loader reads one: ``true``, or a word of :data:`BOOLEAN_WORDS_1_1`, which
    an editor reading the file as YAML 1.2 (yaml-language-server's default) gets as text."""
    return {"anyOf": [{"type": "boolean"}, {"enum": list(BOOLEAN_WORDS_1_1), "type": "string"}]}


# YAML 1.2 core schema, yaml.org/spec/1.2.2 §10.3.2, plus 1.1's dates (YYYY-MM-DD) and integers
# with a leading zero, resolved to their own tag so that the walk can refuse them.
for _tag, _pattern, _first in [
    ("tag:yaml.org,2002:null", r"~|null|Null|NULL|", "~nN"),
    (
        "tag:yaml.org,2002:bool",
        "|".join(("true", "True", "TRUE", "false", "False", "FALSE", *BOOLEAN_WORDS_1_1)),
        "yYnNtTfFoO",
    ),
    ("tag:pic,2026:leading-zero", r"[-+]?0[0-9]+", "-+0"),
    ("tag:yaml.org,2002:int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)",
        "-+.0123456789",
    ),
    ("tag:yaml.org,2002:timestamp", r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "0123456789"),
]:
    Loader.add_implicit_resolver(_tag, re.compile(rf"\A(?:{_pattern})\Z"), list(_first) or None)
Loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"\A\Z"), [""])
# The resolvers to try for a plain scalar, by its first character ("" when empty), in order.
WILDCARD_RESOLVERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(Loader.yaml_implicit_resolvers.get(None, ()))
RESOLVERS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: (*resolvers, *WILDCARD_RESOLVERS)
    for first, resolvers in Loader.yaml_implicit_resolvers.items()
    if first is not None
}

"""GNU env's ``-S STRING`` (``--split-string``): the arguments env makes of the string, as it makes them.

The rules are coreutils' (``info env``, "-S/--split-string usage in scripts"; env.c's build_argv): blanks (space,
tab, line feed, vertical tab, form feed, carriage return) part the arguments outside quotes; single quotes hold
everything but ``\\\\`` and ``\\'``; double quotes hold blanks and the escapes; the escapes are ``\\" \\# \\$ \\'
\\\\`` (the character), ``\\f \\n \\r \\t \\v``, ``\\_`` (a space in double quotes, else a blank parting the
arguments) and ``\\c`` (the end of the string; refused in double quotes); a ``#`` starting an argument starts a
comment to the end; ``${NAME}`` is the variable of env's environment (outside single quotes). Any other ``\\`` or
``$``, or a quote left open, and env refuses the string (exit 125), running nothing.
"""

from __future__ import annotations

import shlex
from typing import NamedTuple

from pic.lazyre import LazyPattern

_BLANKS = " \t\n\v\f\r"
# The escapes env reads outside single quotes, by the character after the backslash (\_ and \c apart).
_ESCAPES = {'"': '"', "#": "#", "$": "$", "'": "'", "\\": "\\", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_VARIABLE = LazyPattern(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")


class Split(NamedTuple):
    """The arguments env makes of a string, each with the index in the string of the character it starts at (None
    for one that holds a variable, known only when env runs), or why env refuses the string (env's own words) and
    the index where it does; ``written``: each argument as sh would give it alike, its text quoted and each variable
    of env's written ``"${NAME}"`` (one word, as env gives it, whatever its value)."""

    words: tuple[tuple[str | None, int], ...]
    refused: str | None = None
    at: int = 0
    written: tuple[str, ...] = ()


def split(text: str) -> Split:
    """The arguments GNU env (coreutils 8.30 to 9.x) makes of ``text``, given as ``-S text`` (the module's rules)."""
    words: list[tuple[str | None, int]] = []
    written: list[str] = []
    current: list[str] | None = None  # the argument being made, None between two
    names: list[tuple[int, str]] = []  # the variables in it, each after its first len(current) characters
    at = 0
    single = double = False
    i, n = 0, len(text)
    while i < n:
        ch, after = text[i], text[i + 1 : i + 2]
        if not (single or double) and (ch in _BLANKS or (ch == "\\" and after == "_")):
            _ended(words, written, current, names, at)
            current = None
            i += 2 if ch == "\\" else 1
            continue
        if current is None and (ch == "#" or (ch == "\\" and after == "c")):
            break  # a comment, or a backslash-c, ends the string before a new argument
        if current is None:
            current, names, at = [], [], i
        if (ch == "'" and not double) or (ch == '"' and not single):
            single, double = (not single, double) if ch == "'" else (single, not double)
            i += 1
            continue
        if ch == "\\" and not (single and after not in ("\\", "'")):
            kind, value = _escape(after, double)
            if kind == "refused":
                return Split(tuple(words), value, i)
            if kind == "end":
                break
            current.append(value)
            i += 2
            continue
        if ch == "$" and not single:
            found = _VARIABLE.match(text, i)
            if found is None:
                return Split(tuple(words), f"only ${{VARNAME}} expansion is supported, error at: {text[i:]}", i)
            names.append((len(current), found.group()[2:-1]))  # its value (none when unset) known when env runs
            i = found.end()
            continue
        current.append(ch)
        i += 1
    if (single or double) and i >= n:  # a backslash-c ends it before, quotes open or not
        return Split(tuple(words), "no terminating quote in -S string", n)
    _ended(words, written, current, names, at)
    return Split(tuple(words), written=tuple(written))


def _ended(
    words: list[tuple[str | None, int]],
    written: list[str],
    current: list[str] | None,
    names: list[tuple[int, str]],
    at: int,
) -> None:
    """For :func:`split`: the argument ``current`` (when one is being made), holding the variables ``names``, added
    to ``words``, and as sh would give it to ``written``."""
    if current is None:
        return
    words.append((None if names else "".join(current), at))
    parts, start = [], 0
    for end, name in names:
        if end > start:
            parts.append(shlex.quote("".join(current[start:end])))
        parts.append(f'"${{{name}}}"')
        start = end
    if start < len(current) or not parts:
        parts.append(shlex.quote("".join(current[start:])))
    written.append("".join(parts))


def _escape(after: str, double: bool) -> tuple[str, str]:
    """What env makes of a backslash before ``after`` (outside single quotes; ``\\_`` outside double ones is a
    blank): ("char", the character), ("end", "") for ``\\c``, or ("refused", env's words)."""
    if after == "c":
        return ("refused", "'\\c' must not appear in double-quoted -S string") if double else ("end", "")
    if not after:
        return "refused", "invalid backslash at end of string in -S"
    if after == "_":
        return "char", " "
    if after not in _ESCAPES:
        return "refused", f"invalid sequence '\\{after}' in -S"
    return "char", _ESCAPES[after]


# What :func:`mended` does of each fault, by the start of env's words refusing it.
_MENDS = {
    "invalid sequence": "a backslash as text written \\\\",
    "invalid backslash": "a backslash as text written \\\\",
    "no terminating quote": "its quote closed",
}


def mended(text: str) -> tuple[str, tuple[str, ...]] | None:
    """``text``, a string env refuses as ``-S text``, mended so that env splits it as meant, and what was done: a
    backslash env reads no escape in doubled (``\\q``: ``\\\\q``, and one at the end), ``$NAME`` written
    ``${NAME}`` (``${NAME`` closed), any other ``$`` escaped (``\\$``), a quote left open closed at the end; None
    when a fault has no such mending (``\\c`` in double quotes, where it means no end)."""
    done: list[str] = []
    for _ in range(len(text) + 1):
        split_ = split(text)
        refused, at = split_.refused, split_.at
        if refused is None:
            return text, tuple(dict.fromkeys(done))
        if refused.startswith(("invalid sequence", "invalid backslash")):
            text = f"{text[:at]}\\{text[at:]}"
        elif refused.startswith("no terminating quote"):
            closed = [t for t in (f"{text}'", f'{text}"') if not (split(t).refused or "").startswith("no terminating")]
            if not closed:
                return None
            text = closed[0]
        elif refused.startswith("only ${VARNAME}"):
            bare = _NAME.match(text, at + 1)  # $NAME
            opened = _NAME.match(text, at + 2) if text[at + 1 : at + 2] == "{" else None  # ${NAME not closed
            if bare is not None:
                text = f"{text[:at]}${{{bare.group()}}}{text[bare.end() :]}"
            elif opened is not None and text[opened.end() : opened.end() + 1] != "}":
                text = f"{text[: opened.end()]}}}{text[opened.end() :]}"
            else:
                text = f"{text[:at]}\\{text[at:]}"
                done.append("a $ as text written \\$")
                continue
            done.append("a variable of env's as ${NAME}")
            continue
        else:
            return None
        done.append(next(v for k, v in _MENDS.items() if refused.startswith(k)))
    return None


_NAME = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*")

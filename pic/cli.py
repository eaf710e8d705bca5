"""The ``pic`` command: check, report, new, schema.

Each command imports what only it needs when it runs: ``pic check`` never loads
the renderers, Jinja, the report or the libraries of fields it does not meet.

Exit status: 0 valid (warnings allowed), 1 invalid input, 2 usage error (each command's, and
what it does, in :mod:`pic.commands.about`: its --help and README's table of commands);
for every command, 74 when the output cannot be written (a full disk, a closed
standard output) and 141 when its reader stopped early (:func:`run_command`).
Bad input never shows a traceback: every problem is printed with its file,
field, line and value.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import difflib
import errno
import gc
import importlib
import io
import itertools
import json
import os
import re
import shlex
import signal
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar, NoReturn, TextIO

from pic.check import check
from pic.commands import about, arguments, date_argument
from pic.errors import (
    HIDDEN_VALUE,
    SHOWN_CHARACTERS,
    PicError,
    Problem,
    Stopped,
    Unreachable,
    encodable_json,
    json_text,
    public_name_may_be_secret,
    refused_may_be_secret,
    show_value,
    shown_name,
    stop,
    terminal_safe,
)
from pic.lazyre import LazyPattern
from pic.registry import load_registry
from pic.secrettext import interface_name
from pic.settings import display_path, load_settings, resolved
from pic.validators import SLUG_WORDS, inet_aton_form

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
# sysexits.h's EX_IOERR: the output cannot be written (a full disk, `>/dev/full`, a closed standard output or error).
EXIT_OUTPUT = 74
# The status of a command killed by SIGPIPE in a shell (128 + 13), which a pipeline reports as such.
EXIT_BROKEN_PIPE = 141
EXIT_INTERRUPTED = 130  # Ctrl-C: the shell's status for a command ended by SIGINT (128 + 2)


# argparse's words for an option's value that is none of its words, the value as Python writes a text
_INVALID_CHOICE = re.compile(
    r"argument (?P<option>[^:]+): invalid choice: (?P<value>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
)
# argparse's words for an option given without its value (the option last, or a word starting with '-' after it)
_EXPECTED_ONE = re.compile(r"argument (?P<option>[^:]+): expected one argument")


class _Parser(argparse.ArgumentParser):
    """argparse's parser, but an option written ``--option=--`` has the value ``--``, checked as any other.

    Python 3.11's argparse removes a ``--`` it finds among an option's values, even one written after
    ``=``: ``--members=--`` gave the option an empty list, past its type, which then broke the command
    (a traceback) or was taken as absent (``--on=--`` as today, ``--format=--`` as the default). Here
    the value is ``--``, as later Pythons read it, and goes through the option's type and choices: a
    usage error for a day, a format or a port, a path that does not exist for ``--members``. A ``--``
    written as an argument of its own still ends the options. The subcommands' parsers are of this class
    (``add_subparsers`` makes them of their parent's).
    """

    # The positional arguments that take a name, and what such a name is: a value starting with "-" is
    # read by argparse as an option, and the argument said missing without a word of that value.
    _NAMES: ClassVar[dict[str, str]] = {
        "slug": f"a slug is {SLUG_WORDS}",
        "files": "a file whose name starts with a hyphen is given after --, or as ./NAME",
    }
    _args: list[str] | None = None
    # The whole command line of the run (pic's arguments), whose long values the command's own errors shorten.
    given: ClassVar[list[str]] = []
    # The options whose value is text that may hold spaces (pic new --name "Vélo Lyon").
    _FREE_TEXT: ClassVar[frozenset[str]] = frozenset({"name"})
    # The parser of the command being read (``pic dns check``'s innermost): an argument it does not know is
    # said by it, with its usage, not by ``pic``'s (whose usage names no option of the command).
    _innermost: ClassVar[argparse.ArgumentParser | None] = None

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self._args = list(sys.argv[1:] if args is None else args)
        _Parser._innermost = self
        return super().parse_known_args(args, namespace)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        parsed, unknown = self.parse_known_args(args, namespace)
        if unknown:
            command = _Parser._innermost or self
            self._options_before(command, unknown)
            own = [a for a in unknown if command is not self and a.split("=", 1)[0] in self._option_string_actions]
            if own:  # pic check --version: pic's own option, after a command's name
                command.error(f"{own[0]} is an option of {self.prog} itself, before any command ({self.prog} {own[0]})")
            options = [o for o in command._option_string_actions if o.startswith("--") and o != "--help"]
            for a in unknown:  # --STACK, --Stack, a full-width --ｓｔａｃｋ: as a command or a value so written
                if (case := _in_other_letters(a.split("=", 1)[0], options)) is not None:
                    every = _all_in_other_letters(self, self._args or []) or case  # each word so written, at once
                    command.error(f"unrecognized arguments: {' '.join(unknown)} {every}")
            meant = [
                close[0] for a in unknown if (close := difflib.get_close_matches(a.split("=", 1)[0], options, n=1))
            ]
            hint = f" (did you mean {meant[0]}?)" if meant else self._stray_words(command, unknown)
            command.error(f"unrecognized arguments: {' '.join(unknown)}{hint or f' (see {command.prog} --help)'}")
        if getattr(parsed, "mx", None) is False:  # pic lists audit: its lookups' options without --mx do nothing
            for dest in sorted(getattr(parsed, "given_options", set()) & {"resolver", "port", "timeout"}):
                (_Parser._innermost or self).error(
                    f"argument --{dest}: is for the lookups of --mx alone: add --mx to look up the domains' mail "
                    f"exchangers, or leave --{dest} out"
                )
        if getattr(parsed, "new_record", False) and parsed.record is None:
            # pic notify: the default record is started when absent, --new-record or not; alone it does nothing
            (_Parser._innermost or self).error(
                "argument --new-record: starts the record --record names when it does not exist, and the default "
                "record is started when absent without it: add --record with the new record's path, or leave "
                "--new-record out"
            )
        https, http = getattr(parsed, "https_port", None), getattr(parsed, "http_port", None)
        if https is not None and https == http:  # pic status: one port cannot answer both https and http
            given: set[str] = getattr(parsed, "given_options", set())
            if len(given) == 1:  # the other is its default: name the one given
                one, other = ("http", "https") if given == {"http_port"} else ("https", "http")
                (_Parser._innermost or self).error(
                    f"argument --{one}-port: {https} is the port of --{other}-port, which is {https} by default: "
                    f"give --{other}-port another port too, or --{one}-port another"
                )
            (_Parser._innermost or self).error(
                f"argument --https-port: {https} is also the --http-port: give each its own port"
            )
        return parsed

    def _stray_words(self, command: argparse.ArgumentParser, unknown: list[str]) -> str:
        """The hint for words left after a text option's value (``--name Vélo Lyon``: ``Lyon``): the value
        quoted, or, for an option given once per value (``--domain a.org b.org``), the option repeated; empty
        for any other unknown argument, and for an option whose value has a form (a day, a port, a path)."""
        args = self._args or []
        first = next((i for i, a in enumerate(args) if a == unknown[0]), -1)
        words = list(itertools.takewhile(lambda a: not a.startswith("-"), args[first:])) if first >= 1 else []
        if not words or words != unknown[: len(words)]:
            return ""
        before = args[first - 1]
        name, eq, value = before.partition("=")
        if not eq and first >= 2:
            name, value = args[first - 2], before
        action = command._option_string_actions.get(name)
        if action is None or action.type is not None or action.nargs is not None or value.startswith("-"):
            return ""
        if isinstance(action, argparse._AppendAction):
            each = " ".join(f"{name} {shlex.quote(v)}" for v in [value, *words])
            return f" (one value to each {name}: {each})"
        if action.dest not in self._FREE_TEXT:  # an address, a host: no value of two words either
            return ""
        joined = " ".join([value, *words])
        given = f"{name}={shlex.quote(joined)}" if eq else f"{name} {shlex.quote(joined)}"
        return f" (a value holding spaces is quoted: {given})"

    def _options_before(self, command: argparse.ArgumentParser, unknown: list[str]) -> None:
        """The options of ``command`` that argparse left unknown because they were written before the command's
        name (``pic --dry-run notify``): said so, with the command line meant, not as an unknown option with
        itself as the one meant."""
        args = self._args or []
        words = command.prog.split()[1:]
        at = _word_at(args, words)
        known = command._option_string_actions
        misplaced = [i for i, a in enumerate(args[:at]) if a in unknown and a.split("=", 1)[0] in known]
        if at < 0 or not misplaced:
            return
        moved = [args[i] for i in misplaced]
        rest = [a for i, a in enumerate(args) if i not in misplaced]
        end = _word_at(rest, words) + 1
        command.error(_before_command(moved, [self.prog, *rest[:end], *moved, *rest[end:]]))

    def error(self, message: str) -> NoReturn:
        """A name argument said missing while a value starting with "-" that is no option of the command was
        given: the error names that value and says what a name is (``pic new -velo``: the slug was said
        missing, ``-velo`` not named). An option written before the command's name (``pic --stack dev check``),
        whose value argparse takes for the command, is said so; a command misspelt with the one meant."""
        if " invalid choice: " in message:
            self._bad_command(message)
            self._bad_choice(message)
        if message == "argument --against: expected one argument":
            rev = self._word_in_place(("--against",))
            if rev is None:  # --against last: the revision left out
                super().error(
                    "argument --against: expected a revision after it: give a commit, a branch or a tag, e.g. "
                    "--against HEAD~1 (the commit before the last)"
                )
            said = arguments.dash_revision(rev)  # --against -h: git's own rule
            option = rev.split("=", 1)[0]
            if self._is_option(option):  # --against --format json: the revision left out, the next option read
                said += (
                    f"; {option!r} is an option of {self.prog}: the revision goes right after --against "
                    f"(--against HEAD~1 {option} ...)"
                )
            super().error(f"argument --against: {said}")
        if (expected := _EXPECTED_ONE.fullmatch(message)) is not None:
            self._value_missing(expected["option"])
        prefix = "the following arguments are required: "
        required = message.startswith(prefix) or _ONE_REQUIRED.fullmatch(message) is not None
        if required and (case := self._options_in_other_letters()) is not None:  # --NAME given: not missing alone
            super().error(f"{message} {case}")
        if message.startswith(prefix) and self._args is not None:
            missing = message[len(prefix) :].split(", ")
            unknown = [a for a in self._options_given() if not self._is_option(a.split("=", 1)[0])]
            for action in self._actions:
                shown = str(action.metavar or action.dest)
                if not action.option_strings and shown in missing and action.dest in self._NAMES and unknown:
                    super().error(
                        f"argument {shown}: {unknown[0]!r} is no {shown} nor an option of {self.prog}: "
                        f"{self._NAMES[action.dest]}"
                    )
        # an option's value refused by its type (--stack ' prod', --resolver localhost.) while other words are in
        # capitals or have blanks (--On): each told at once, not one a run
        every = (
            _all_in_other_letters(self, self._args or [], least=1, told_in=message)
            if message.startswith("argument ")
            else None
        )
        super().error(message if every is None or every in message else f"{message} {every}")

    def _options_in_other_letters(self) -> str | None:
        """The hint for the options of this command written in capitals or full-width letters on its command line
        (``pic new x --NAME ...``: :func:`_all_in_other_letters`, :func:`_in_other_letters`), which argparse left
        unknown and said required; None when there is none."""
        args = list(itertools.takewhile(lambda a: a != "--", self._args or []))
        options = [o for o in self._option_string_actions if o.startswith("--") and o != "--help"]
        for name in (word.split("=", 1)[0] for word in args if word.startswith("--")):
            if name not in options and (case := _in_other_letters(name, options)) is not None:
                return _all_in_other_letters(self, args) or case
        return None

    def _value_missing(self, shown: str) -> None:
        """The error of an option said to expect one argument (argparse's words), ``shown`` as argparse names it:
        its value left out (the option last, ``--stack``), another option of the command read in its place
        (``--stack --members m``), or a value starting with '-', which argparse reads as an option (``--stack -x``),
        to be written after '=' (``--stack=-x``). Returns for an option it does not find."""
        action = next((a for a in self._actions if "/".join(a.option_strings) == shown), None)
        if action is None or not action.option_strings:
            return
        option = action.option_strings[-1]
        metavar = action.metavar if isinstance(action.metavar, str) else action.dest.upper()
        args = self._args or []
        word = self._word_in_place(action.option_strings)
        if word is None:
            super().error(f"argument {shown}: its value is missing: give it right after {option} ({option} {metavar})")
        name = word.split("=", 1)[0]
        if self._is_option(name):
            super().error(
                f"argument {shown}: its value is missing: {name!r}, read in its place, is an option of {self.prog}: "
                f"give the value right after {option} ({option} {metavar} {name} ...)"
            )
        # a value that may be a secret is hidden wherever it appears: the form is told with the option's metavar
        hidden = hidden_arguments(word, args) != word
        written = f"{option}={metavar}" if hidden else f"{option}={word}"
        super().error(
            f"argument {shown}: {word!r} starts with '-', which is read as an option, not a value: write "
            f"{written} if it is the value"
        )

    def _word_in_place(self, options: Sequence[str]) -> str | None:
        """The word argparse read in place of an option's value, the first time one of ``options`` (an option's
        strings) is given without its value before any ``--``: the word after it, starting with '-' (``--stack -x``,
        ``--stack --members m``), or None when the option is given last (``--stack``, ``--stack -- m``). The one
        scanner of the command line for the errors of a value missing (:meth:`_value_missing`, ``--against``)."""
        args = self._args or []
        end = args.index("--") if "--" in args else len(args)
        return next(
            (
                args[i + 1] if i + 1 < end else None
                for i in range(end)
                if args[i] in options and (i + 1 >= end or args[i + 1].startswith("-"))
            ),
            None,
        )

    def _bad_command(self, message: str) -> None:
        """The error of a command's name that is none: an option and its value written before the command
        (the value taken for the name), or a name misspelt."""
        subs = next((a for a in self._actions if isinstance(a, argparse._SubParsersAction)), None)
        args = self._args or []
        first = next((i for i, a in enumerate(args) if a == "--" or not a.startswith("-")), len(args))
        if subs is None or first >= len(args) or args[first] == "--":
            return
        choices = list(subs.choices)
        if not args[first].strip():  # pic '' (an empty word, a variable unset in a script): said so, not the choices
            what = "is empty" if not args[first] else "holds blanks alone"
            listed = ", ".join(repr(c) for c in choices)
            super().error(f"argument {subs.metavar}: the command's name {what}: give one of {listed}")
        if (case := _in_other_letters(args[first], choices)) is not None:  # CHECK, Check, a full-width ＣＨＥＣＫ
            super().error(f"{message} {_all_in_other_letters(self, args) or case}")
        close = difflib.get_close_matches(unicodedata.normalize("NFKC", args[first]).lower(), choices, n=1)
        at = next((i for i in range(first + 1, len(args)) if args[i] in choices), None)
        misplaced = first > 0 and args[first - 1].startswith("-")
        if misplaced and not self._is_option(args[first - 1].split("=", 1)[0]) and (at is not None or not close):
            moved = args[: first + 1] if at is None else args[:at]
            command = ["COMMAND"] if at is None else [args[at]]
            meant = [*self.prog.split(), *command, *moved, *([] if at is None else args[at + 1 :])]
            super().error(_before_command(moved, meant))
        if close:
            super().error(f"{message} (did you mean {close[0]}?)")

    def _bad_choice(self, message: str) -> None:
        """The error of an option's value that is none of its words (argparse's ``invalid choice``): the word in
        small letters offered when it is one (``--format JSON``), else the closest word (``--format jsn``), else
        argparse's words alone (returns)."""
        said = _INVALID_CHOICE.match(message)
        action = None if said is None else self._option_string_actions.get(said["option"].split("/")[-1])
        if said is None or action is None or not action.choices:
            return
        # the value is the argument whose repr argparse wrote: found among those given, never read back as Python
        # reads a literal (which raises on an escape of its own, \N, however the message came to hold one)
        value = next(
            (v for a in self._args or [] for v in (a, a.partition("=")[2]) if repr(v) == said["value"]),
            None,
        )
        choices = [str(choice) for choice in action.choices]
        if value is None:
            return
        if not value.strip():  # --format= (an empty value): said so, not the choices alone
            what = "is empty" if not value else "holds blanks alone"
            listed = ", ".join(repr(c) for c in choices)
            option = said["option"].split("/")[-1]
            super().error(f"argument {said['option']}: its value {what}: give one of {listed} ({option} {choices[0]})")
        if (case := _in_other_letters(value, choices)) is not None:
            super().error(f"{message} {_all_in_other_letters(self, self._args or []) or case}")
        folded = unicodedata.normalize("NFKC", value)  # a Japanese or Chinese keyboard's full-width letters: ASCII
        close = difflib.get_close_matches(folded.lower(), choices, n=1)
        if close:
            super().error(f"{message} (did you mean {close[0]!r}?)")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        """argparse's exit, every usage error passing here: the values of the command line in ``message``
        shortened (:func:`shortened_arguments`), whichever option or check wrote them."""
        if message is not None:
            args = self._args or sys.argv[1:]
            message = shortened_arguments(hidden_arguments(message, args), args)
        super().exit(status, message)

    def _is_option(self, arg: str) -> bool:
        """An option of the command, or an abbreviation argparse takes for one (``--nam`` for ``--name``)."""
        known = self._option_string_actions
        return arg in known or (arg.startswith("--") and any(o.startswith(arg) for o in known))

    def _options_given(self) -> list[str]:
        """The arguments before ``--`` that argparse reads as options."""
        out: list[str] = []
        for a in self._args or []:
            if a == "--":
                break
            if a.startswith("-") and len(a) > 1:
                out.append(a)
        return out

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> object:
        if action.option_strings and action.nargs in (None, argparse.OPTIONAL) and arg_strings == ["--"]:
            value = self._get_value(action, "--")
            self._check_value(action, value)
            return value
        return super()._get_values(action, arg_strings)


def _in_other_letters(value: str, choices: Sequence[str]) -> str | None:
    """The hint for ``value`` that is one of ``choices`` written in capitals (``JSON``, ``Check``), in a Japanese
    or Chinese keyboard's full-width letters (``ＪＳＯＮ``, read in ASCII by NFKC) or with blanks around it
    (``' json'``, told as the options whose value has a form tell it: ``it has blanks around it: write json``): the
    word to write, one wording for a command's name and an option's value; None for another value."""
    folded = unicodedata.normalize("NFKC", value.strip())
    if folded.lower() not in choices:
        return None
    if value.strip() != value:
        wide = ", and full-width letters" if folded != value.strip() else ""
        letters = wide or (", and capitals" if folded != folded.lower() else "")
        return f"(it has blanks around it{letters}: write {folded.lower()})"
    letters = "small letters" if folded == value else "ASCII small letters"
    return f"(write it in {letters}: {folded.lower()!r})"


def _all_in_other_letters(
    parser: argparse.ArgumentParser, args: Sequence[str], *, least: int = 2, told_in: str = ""
) -> str | None:
    """The hint for a command line holding more than one word that is a command's name, an option's name or an
    option's word or value written in capitals, in full-width letters or with blanks around it (``pic CHECK --STACK
    PROD``: each told one run at a time before): every such word with the one to write, in one message (``(write them
    in small letters: 'check' for 'CHECK', '--stack' for '--STACK', 'prod' for 'PROD')``; with blanks among them,
    how each is to be written: ``'prod' for ' prod' (without the blanks around it)``); None when there are fewer
    than ``least`` (:func:`_in_other_letters` tells one alone; one beside another error is told ``(also write
    '--port' for '--Port', in small letters)``), those whose value is quoted in ``told_in`` (that error) left out.
    An option's value is told when its type takes it without its blanks or in ASCII (:func:`_value_meant`), never
    when it may be a secret."""
    told: list[tuple[str, str]] = []
    current: argparse.ArgumentParser | None = parser
    words = list(itertools.takewhile(lambda a: a != "--", args))
    i = 0
    while i < len(words) and current is not None:
        word = words[i]
        i += 1
        options = {o: a for o, a in current._option_string_actions.items() if o.startswith("--")}
        if word.startswith("--"):
            i = _option_told(options, words, i, told)
            continue
        subs = next((a for a in current._actions if isinstance(a, argparse._SubParsersAction)), None)
        if subs is None:
            continue
        command = word if word in subs.choices else _meant_in_small_letters(word, list(subs.choices))
        if command is not None and command != word:
            told.append((word, command))
        current = subs.choices.get(command) if command is not None else None
    told = [(word, meant) for word, meant in told if repr(word) not in told_in]  # the error's own value: told there
    if len(told) < least:
        return None
    if len(told) == 1:  # beside another error of the command line (--resolver localhost. --Port 53)
        word, meant = told[0]
        return f"(also write {meant!r} for {word!r}, {_how_written(word, meant)})"
    if all(w.strip() == w for w, _ in told):  # in capitals or full-width alone: one wording for all
        letters = "small letters" if all(w.isascii() for w, _ in told) else "ASCII small letters"
        return f"(write them in {letters}: {', '.join(f'{meant!r} for {word!r}' for word, meant in told)})"
    return f"(write {', '.join(f'{meant!r} for {word!r} ({_how_written(word, meant)})' for word, meant in told)})"


def _option_told(options: dict[str, argparse.Action], words: Sequence[str], i: int, told: list[tuple[str, str]]) -> int:
    """:func:`_all_in_other_letters` of the option ``words[i - 1]`` (``--STACK``, ``--stack=PROD``) and its value:
    each word of them to write otherwise added to ``told``; the index of the word after them."""
    name, eq, value = words[i - 1].partition("=")
    action = options.get(name)
    if action is None and (meant := _meant_in_small_letters(name, list(options))) is not None:
        told.append((name, meant))
        action = options[meant]
    if action is None or action.nargs is not None or (not eq and i >= len(words)):  # a flag, values of their own
        return i
    if not eq:
        value, i = words[i], i + 1
    if action.choices:
        meant = _meant_in_small_letters(value, [str(c) for c in action.choices])
    else:
        meant = _value_meant(action, value, words)
    if meant is not None:
        told.append((value, meant))
    return i


def _how_written(word: str, meant: str) -> str:
    """How ``meant`` is written otherwise than ``word``: ``in small letters``, ``in ASCII``, ``in ASCII small
    letters``, ``without the blanks around it``, or some of these joined by ``and``."""
    folded = unicodedata.normalize("NFKC", word.strip())
    wide, capitals = folded != word.strip(), folded != meant
    letters = "in ASCII small letters" if wide and capitals else "in ASCII" if wide else ""
    letters = letters or ("in small letters" if capitals else "")
    return " and ".join(w for w in (letters, "without the blanks around it" if word.strip() != word else "") if w)


def _value_meant(action: argparse.Action, value: str, args: Sequence[str]) -> str | None:
    """The value to write for ``value``, given to ``action``'s option, when its type refuses it and takes it without
    blanks around it or in ASCII (``' 53'``, ``５３``), or when it is a stack's name in capitals naming no stack file
    where the one in small letters is (``PROD``: :func:`_stack_meant`); None for another value, and for one that may
    be a secret (:func:`pic.errors.refused_may_be_secret`), which a hint would show."""
    kind = action.type
    if not callable(kind) or refused_may_be_secret(value):
        return None
    try:
        kind(value)
    except (argparse.ArgumentTypeError, TypeError, ValueError):
        candidate = unicodedata.normalize("NFKC", value.strip())
        if candidate == value or refused_may_be_secret(candidate):
            return None
        try:
            kind(candidate)
        except (argparse.ArgumentTypeError, TypeError, ValueError):
            return None
        return (_stack_meant(candidate, args) if action.dest == "stack" else None) or candidate
    return _stack_meant(value, args) if action.dest == "stack" else None


def _stack_meant(stack: str, args: Sequence[str]) -> str | None:
    """The stack ``stack`` names in capitals when the project (``--project`` among ``args``, else the current
    directory) has no file of ``stack`` and one of it in small letters (``PROD``: Pulumi.prod.yaml), else None."""
    project = Path(".")
    for i, arg in enumerate(args):
        name, eq, value = arg.partition("=")
        if name == "--project" and (eq or i + 1 < len(args)):
            project = Path(value if eq else args[i + 1])
    low = stack.lower()
    with contextlib.suppress(OSError):
        if low != stack and not (project / f"Pulumi.{stack}.yaml").exists():
            return low if (project / f"Pulumi.{low}.yaml").is_file() else None
    return None


def _meant_in_small_letters(word: str, choices: Sequence[str]) -> str | None:
    """The one of ``choices`` that ``word`` writes in capitals, in full-width letters (NFKC) or with blanks around it,
    else None."""
    folded = unicodedata.normalize("NFKC", word.strip()).lower()
    return folded if folded != word and folded in choices else None


# argparse's words for a group of options one of which is required (move-script's --to and --retire-from)
_ONE_REQUIRED = re.compile(r"one of the arguments .* is required")

_PATH_MAX = 4096  # the longest path Linux opens (PATH_MAX, linux/limits.h): one up to it is named whole


def shortened_arguments(text: str, args: Sequence[str]) -> str:
    """``text`` with each argument of ``args`` longer than :data:`SHOWN_CHARACTERS` (or the value of one written
    ``--option=value``) shortened where it appears, as written or quoted (Python's repr, JSON, a file name's
    escapes): shown as a member file's value is (pic.errors.show_value, its first characters then ``...``).
    A 100,000-character ``--resolver`` made a line of 100 KB. A path (a value holding ``/``, of at most
    :data:`_PATH_MAX` characters) is named whole, as every message names a file."""
    values = {
        v
        for a in args
        for v in (a, a.partition("=")[2])
        if len(v) > SHOWN_CHARACTERS and not ("/" in v and len(v) <= _PATH_MAX)  # a path is named whole
    }
    for value in sorted(values, key=len, reverse=True):
        if value not in text and shown_name(value) not in text:
            continue
        short = show_value(value, SHOWN_CHARACTERS)
        for form in (repr(value), json.dumps(value, ensure_ascii=False), f"'{shown_name(value)}'", shown_name(value)):
            text = text.replace(form, short)
        text = text.replace(value, short)
    return text


# A revision as git writes one for pic plan --against (gitrevisions(7)): HEAD or another of git's own names, an
# abbreviated commit, or a branch or tag named in small letters, then suffixes: ~N or ^N once or more (HEAD~1, main~2,
# HEAD^2), ^{type}, ^{/text} (a search), @{...} (a reflog's entry or date, an upstream: HEAD@{1}, @{u}); alone (@),
# or a range of two such (HEAD~1..HEAD, main...HEAD~2, HEAD~1^!, HEAD^-1): git reads none of these as text.
_REVISION_SIDE = (
    r"(?:[A-Z_]*HEAD|[0-9a-f]{4,40}|[a-z0-9](?:[a-z0-9_-]|\.(?!\.))*|@(?!\{)|(?=@\{))"  # no ".." in a name
    r"(?:[~^][0-9]*|\^\{[a-z]*\}|\^\{/[^{}]*\}|@\{[^{}]*\})*"
)
_GIT_REVISION = LazyPattern(
    rf"\^?{_REVISION_SIDE}(?:[~^][0-9]*|\^\{{[a-z]*\}}|\^\{{/[^{{}}]*\}}|@\{{[^{{}}]*\}})"  # one suffix at least
    rf"|(?:{_REVISION_SIDE})?\.\.\.?(?:{_REVISION_SIDE})?"  # a range
    rf"|{_REVISION_SIDE}\^(?:!|@|-[0-9]*)"  # a commit and its parents, as a range
)


# What parts the pieces of a revision the plan names alone: blanks, ~ ^ : @ { } ! and a range's dots
_REVISION_PUNCTUATION = LazyPattern(r"[\s~^:@{}!]+|\.\.")
_REFLOG_DATE = LazyPattern(r"@\{([^{}]*)\}")  # HEAD@{1.year.ago}: the date, or an entry's number
_DATE_WORDS = LazyPattern(r"[\W_]+")  # what git's approxidate reads between the words of a date


def _sides(value: str) -> list[str]:
    """The sides of ``value`` read as a range of revisions (``A..B``, ``A...B``), which the plan tells apart, and the
    pieces of ``value`` between git's punctuation and blanks, which the plan names alone too (``Lilas2024x`` of
    ``Lilas2024x^!``, ``^Lilas2024x``, ``HEAD^{Lilas2024x}``, ``:Lilas2024x`` and ``Lilas2024x `` with a blank), and
    the words of a reflog's date, which git reads apart whatever stands between them (``HEAD@{Lilas2024x.ago}``)."""
    sides = value.replace("...", "..").split("..") if ".." in value else []
    # a reflog's date (HEAD@{1.year.ago}): git reads its words whatever stands between them (Soleil2024Azur.ago)
    dated = [w for date in _REFLOG_DATE.compiled().findall(value) for w in _DATE_WORDS.compiled().split(date)]
    return [*sides, value.strip(), *_REVISION_PUNCTUATION.compiled().split(value), *dated]


# A value written as an address may be, brackets, a port or a prefix length around it ([x], x:53, x/32): no path
_ADDRESS_SHAPED = LazyPattern(r"[^/]*(?:/[0-9]+)?")


def _address_pieces(value: str) -> list[str]:
    """The pieces of ``value`` written as an address with more around it (``[Lilas2024x]``, ``0xC0ffee42/32``,
    :data:`_ADDRESS_SHAPED`), which the messages of --resolver name alone; none for a path."""
    if _ADDRESS_SHAPED.fullmatch(value) is None:
        return []
    return [piece for piece in _ADDRESS_PARTS.compiled().split(value.rpartition("/")[0] or value) if piece]


def _may_be_secret(value: str) -> bool:
    """Whether ``value``, a value of the command line, is hidden (:func:`hidden_arguments`): neither a revision as
    git writes one (:data:`_GIT_REVISION`) nor an address pic tells (``0x7f.1:53``, ``::ffff:0x7f.1``:
    :func:`pic.commands.arguments.reads_as_address`), and one that may be a secret."""
    ascii_form = unicodedata.normalize("NFKC", value)  # ＨＥＡＤ~１: a revision in full-width forms, told in ASCII
    return (
        _GIT_REVISION.fullmatch(ascii_form.strip()) is None
        and not arguments.reads_as_address(ascii_form)
        and not _group_and_zone(ascii_form)
        and refused_may_be_secret(value)
    )


# The end of an IPv6 address (its last groups) before a zone id: 1 of fe80::1%eth0, which the messages name apart
_IPV6_GROUPS = LazyPattern(r"[0-9A-Fa-f:.]*")


def _group_and_zone(value: str) -> bool:
    """Whether ``value`` is an IPv6 address's last groups and a zone id that names an interface as Linux names one
    (pic.secrettext.interface_name), the zone written plain or with a URL's %25 before it (``1%25eth0``, a piece of
    ``fe80::1%25eth0``, which --resolver is offered as ``fe80::1%eth0``): no secret, as ``1%eth0`` is none. A zone
    that is no interface's name (``1%25Lilas2024x``) is judged as before."""
    groups, percent, zone = value.strip("[]").partition("%")  # [fe80::1%25eth0]:53 read at its ':' too
    if not percent or not groups or _IPV6_GROUPS.fullmatch(groups) is None:
        return False
    return any(interface_name(name) for name in {zone, zone.removeprefix("25")} if name)


# A URL's start (its scheme and //: udp://Lilas2024x): a value holding one is no path, read as any other value
_URL_START = LazyPattern(r"[A-Za-z][A-Za-z0-9+.-]*://")
# What stands around an address in an option's value (brackets, a port, a prefix length): split at, to read it
_ADDRESS_PARTS = LazyPattern(r"[\[\]:/\s]+")


def hidden_arguments(text: str, args: Sequence[str]) -> str:
    """``text`` without the values of ``args`` (or of ``--option=value``) that may be a secret
    (:func:`pic.errors.refused_may_be_secret`: ``--on 'Lilas2024x!'``, ``--to 'DB Lilas2024x!'``), written
    as a member file's value is where it may be one: a password pasted at the wrong prompt is not printed back
    (nor kept in a terminal's scrollback or a CI log). A path (a value holding ``/``, not after a URL's scheme:
    ``udp://Lilas2024x`` is read as any value) and a revision as git writes one (``HEAD~1``, ``main~2``:
    :data:`_GIT_REVISION`) are named whole, as every message names a file; a side of a
    range that may be a secret (``Lilas2024x!..HEAD``) is hidden too, where a message names it alone; a value in
    full-width forms is hidden in its ASCII form (NFKC) too, one in a form inet_aton reads in the address it
    reads as (0xCafe1234: 202.254.18.52, the password written again), and each in small letters too (a slug or a
    name offered so: ``pic new Velo75Paris``, did you mean 'velo75paris'?), that offer then left out."""
    public = _public_values(args)
    values = {
        form
        for a in args
        if a not in public and not (a.partition("=")[0] in _PUBLIC_OPTIONS and a.partition("=")[2] in public)
        for v in (a, a.partition("=")[2], *_sides(a.partition("=")[2] or a), *_address_pieces(a.partition("=")[2] or a))
        # a revision with a blank pasted around it (HEAD~1 ) is one too, which the plan tells of
        # a password typed in full-width forms (Ｌｉｌａｓ２０２４ｘ) is one too, as its ASCII form (NFKC) is, and
        # hidden in that form too, which a message may name (0xCafe1234 for ０ｘＣａｆｅ１２３４)
        if v
        and ("/" not in v or _URL_START.match(v))
        and any(_may_be_secret(w) for w in {v, unicodedata.normalize("NFKC", v)})
        for form in (v, unicodedata.normalize("NFKC", v))
        if form
    }
    # a public name (a stack's, a domain): hidden only when shaped as a password (Prod2024, Lyon2024.fr are shown)
    values |= {form for v in public if public_name_may_be_secret(v) for form in (v, unicodedata.normalize("NFKC", v))}
    # the address a hidden value reads as (0xCafe1234 is 202.254.18.52 to inet_aton): the value written again
    values |= {
        str(read[1])
        for v in list(values)
        for part in _ADDRESS_PARTS.compiled().split(v)
        if (read := inet_aton_form(part))
    }
    # in small letters too, as an offer writes a name or a slug (pic new Velo75Paris: did you mean 'velo75paris'?)
    values |= {value.lower() for value in values}
    for value in sorted(values, key=len, reverse=True):
        for form in (repr(value), json.dumps(value, ensure_ascii=False), shlex.quote(value), shown_name(value)):
            text = text.replace(form, HIDDEN_VALUE)
        text = text.replace(value, HIDDEN_VALUE)
    if HIDDEN_VALUE in text:  # an offer of a value hidden cannot be followed: none is given
        text = _HIDDEN_OFFER.sub("", text)
    return text


# The options whose value names a public thing (a stack, a domain, a host), said unless shaped as a password
# (pic.errors.public_name_may_be_secret): pic check --stack Prod2024, pic new --domain Lyon2024.fr
_PUBLIC_OPTIONS = ("--stack", "--domain", "--to", "--server-name")


def _public_values(args: Sequence[str]) -> set[str]:
    """The values of ``args`` given to an option naming a public thing (:data:`_PUBLIC_OPTIONS`): after it
    (``--stack Prod2024``) or joined by ``=`` (``--stack=Prod2024``), the argument as written."""
    found = set()
    for at, arg in enumerate(args):
        if arg == "--":
            break
        if arg in _PUBLIC_OPTIONS and at + 1 < len(args):
            found.add(args[at + 1])
        elif arg.partition("=")[0] in _PUBLIC_OPTIONS:
            found.add(arg.partition("=")[2])
    return found


# An offer of a value hidden (pic new Soleil-Azur-75: did you mean 'soleil-azur-75'?, the slug offered hidden too):
# the message's words before it say what to write (a slug's form)
_HIDDEN_OFFER = LazyPattern(
    rf";? did you mean {re.escape(HIDDEN_VALUE)}\?|; {re.escape(HIDDEN_VALUE)}, the slug in its form, is refused too:.*"
)


def _word_at(args: list[str], words: list[str]) -> int:
    """The index in ``args`` of the last of ``words`` (a command's name: ``dns check``), each found after the one
    before it and before any ``--``; -1 when they are not all there."""
    at = -1
    for word in words:
        at = next((i for i in range(at + 1, len(args)) if args[i] == word or args[i] == "--"), len(args))
        if at >= len(args) or args[at] == "--":
            return -1
    return at


def _before_command(moved: list[str], meant: list[str]) -> str:
    """The error of options written before their command's name: what they are, and the command line meant."""
    return (
        f"{shlex.join(moved)!r} comes before the command: write the command first, then its options "
        f"({shlex.join(meant)})"
    )


COMMAND_LINE = "<command line>"  # the file of a problem of the command line's values (pic.errors.Problem)
_SubParsers = argparse._SubParsersAction  # the parsers of the commands, under pic's
DISTRIBUTION = "pic"  # the package's name in pyproject.toml, whose metadata gives its version


def package_version() -> str | None:
    """The version of the installed package (``pyproject.toml``'s, as ``pip install`` recorded it), or None when
    the package is not installed (the modules imported from a copy alone)."""
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


class _Version(argparse.Action):
    """``pic --version``: ``pic 0.1.0`` on the standard output, then exit 0; the metadata is read only then (not at
    every run). Without the package installed, no version is known: said on the standard error, exit 1."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> NoReturn:
        version = package_version()
        if version is None:
            parser.exit(
                EXIT_INVALID,
                f"pic: no version known: the package {DISTRIBUTION!r} is not installed (pip install -e . in the "
                "project's checkout)\n",
            )
        sys.stdout.write(f"{parser.prog} {version}\n")
        parser.exit(EXIT_OK)


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of ``pic`` with every command, or with ``command`` alone: the parser of the command being run
    reads its arguments as the whole one does, and the others' wiring (and the modules it needs) is not loaded.
    """
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--stack",
        type=arguments.stack_name,
        default="prod",
        help="stack whose Pulumi.<stack>.yaml to read (default: prod)",
    )
    common.add_argument(
        "--members",
        type=arguments.non_empty_path("the directory of member files"),
        default=None,
        help="directory of member files (default: members/ in --project)",
    )
    common.add_argument(
        "--project",
        type=arguments.non_empty_path("the directory holding Pulumi.<stack>.yaml"),
        default=Path("."),
        help="directory holding Pulumi.<stack>.yaml, and by default members/, notices.yaml and disk-usage/ "
        "(default: the current one)",
    )
    parser: argparse.ArgumentParser = _Parser(
        prog="pic",
        description="Check and report on the hosting platform's member registry and stack settings.",
        epilog=about.pic_epilog(),
        formatter_class=about.HelpFormatter,
    )
    parser.add_argument("--version", action=_Version, help="print pic's version (that of the installed package)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, add_parser in _PARSERS.items():  # in this order in pic --help
        if command is None or name == command:
            add_parser(sub, common)
    return parser


def _add_check(sub: _SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "check",
        parents=[common],
        help="validate the registry and the settings",
        **about.COMMANDS["check"].parser_text(),
    )
    p.add_argument(
        "--on", type=date_argument, default=None, help="evaluate end of life as of this day (default: today)"
    )


def _add_report(sub: _SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    from pic.diskusage import MAX_FILE_BYTES as DISK_USAGE_BYTES
    from pic.notices import MAX_RECORD_BYTES

    p = sub.add_parser(
        "report",
        parents=[common],
        help="runtimes, members to contact, counts",
        **about.COMMANDS["report"].parser_text(),
    )
    p.add_argument("--on", type=date_argument, default=None, help="as of this day (default: today)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument(
        "--record",
        type=arguments.file_if_present(
            "pic notify's record (a YAML file; absent: nothing recorded yet)", MAX_RECORD_BYTES
        ),
        default=None,
        help="pic notify's record (default: notices.yaml in --project)",
    )
    p.add_argument(
        "--disk-usage",
        type=arguments.file_or_directory("a disk usage file of a host, or a directory of them", DISK_USAGE_BYTES),
        action="append",
        default=None,
        help="disk usage file of a host, or a directory of them (default: disk-usage/ in --project)",
    )


def _add_new(sub: _SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "new",
        parents=[common],
        help="write a new member file (in members/ of --project)",
        **about.COMMANDS["new"].parser_text(),
    )
    p.add_argument("slug", help="the new member's slug, the name of its file (SLUG.yaml)")
    p.add_argument("--name", required=True, help="the association's name")
    p.add_argument("--email", required=True, help="the technical contact's e-mail address")
    p.add_argument("--domain", action="append", default=[], help="a domain of the site (repeatable)")
    p.add_argument("--on", type=date_argument, default=None, help=argparse.SUPPRESS)


def _add_schema(sub: _SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """``pic schema`` reads no stack, project nor member: the options of the others are refused, not ignored."""
    p = sub.add_parser(
        "schema", help="print the JSON Schema of a member file", **about.COMMANDS["schema"].parser_text()
    )
    for option in ("--stack", "--members", "--project"):
        p.add_argument(option, type=_not_for_schema, help=argparse.SUPPRESS)


def _not_for_schema(text: str) -> str:
    """The type of the options ``pic schema`` takes none of: a usage error, whatever the value.

    The schema is the member file's model alone (``schema/member.schema.json``, one file for every stack, which
    the editors are pointed at): a runtime or a host is checked there by its form, whether the stack has it by
    ``pic check``, and so are the other members (a domain or uid already taken). A ``--stack`` or ``--members``
    taken silently would promise a schema of that stack or of those members.
    """
    raise argparse.ArgumentTypeError(
        f"{text!r} is not taken: pic schema reads no stack, project nor member files: the JSON Schema of a member "
        "file is one for every stack (a runtime and a host are checked by their form; whether the stack has them, "
        "and what the other members hold, is for pic check --stack NAME --members DIR)"
    )


def _add_plan(sub: _SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "plan",
        parents=[common],
        help="the program's resources under mocks, by host and member; with --against, what a change does",
        **about.COMMANDS["plan"].parser_text(),
    )
    p.add_argument(
        "--against",
        metavar="GIT_REV",
        type=arguments.git_revision,
        default=None,
        help="also render the program at this git revision (at the same time, in a second process) and show "
        "what changes (exit 3 if anything stateful is deleted, replaced or unprotected, else 4 if a member "
        "moves to another web host)",
    )
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument(
        "--on", type=date_argument, default=None, help="evaluate end of life as of this day (default: today)"
    )


def _add_dns(sub: _SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """``pic dns check``."""
    p = sub.add_parser("dns", help="the DNS records of the list domains", **about.GROUPS["dns"].parser_text())
    dns_sub = p.add_subparsers(dest="dns_command", required=True, metavar="SUBCOMMAND")
    p = dns_sub.add_parser(
        "check",
        parents=[common],
        help="say which mail records are present, missing or different",
        **about.COMMANDS["dns check"].parser_text(),
    )
    p.add_argument("--resolver", type=arguments.ip_address, help=arguments.RESOLVER_HELP)
    p.add_argument("--port", type=arguments.port, help=arguments.RESOLVER_PORT_HELP)
    p.add_argument(
        "--expected",
        type=arguments.readable_file("the JSON of `pulumi stack output mail_dns_records --json`"),
        help="JSON of `pulumi stack output mail_dns_records --json`: also compares the DKIM keys",
    )
    p.add_argument("--timeout", type=arguments.timeout, default=5.0, help="seconds per lookup (default: 5)")


def _add_lists(sub: _SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """``pic lists audit``."""
    from pic.lists_audit import MAX_EXPORT_BYTES as EXPORT_BYTES
    from pic.yamlsrc import MAX_FILE_BYTES

    p = sub.add_parser("lists", help="the subscribers of the mailing lists", **about.GROUPS["lists"].parser_text())
    lists_sub = p.add_subparsers(dest="lists_command", required=True, metavar="SUBCOMMAND")
    p = lists_sub.add_parser(
        "audit",
        help="flag dead, misspelled and malformed addresses in subscriber exports",
        **about.COMMANDS["lists audit"].parser_text(),
    )
    p.add_argument(
        "files",
        nargs="+",
        type=arguments.readable_file("a subscriber export", EXPORT_BYTES),
        metavar="FILE",
        help="Sympa export or one address per line",
    )
    p.add_argument(
        "--domains",
        type=arguments.readable_file("a file of domains (as pic/data/mail_domains.yaml)", MAX_FILE_BYTES),
        action="append",
        default=[],
        help="more dead or misspelled domains (same format as pic/data/mail_domains.yaml; repeatable)",
    )
    p.add_argument("--mx", action="store_true", help="also flag domains without a mail exchanger (needs DNS)")
    # Given without --mx, each of these would be ignored, nothing looked up: a usage error (_Parser.parse_args)
    given = arguments.StoreGiven
    help_resolver = "resolver IP address for --mx (default: the system's)"
    p.add_argument("--resolver", type=arguments.ip_address, action=given, help=help_resolver)
    p.add_argument("--port", type=arguments.port, default=53, action=given, help="resolver port for --mx (default: 53)")
    help_timeout = "seconds per lookup for --mx (default: 5)"
    p.add_argument("--timeout", type=arguments.timeout, default=5.0, action=given, help=help_timeout)


def print_problems(problems: Sequence[Problem]) -> None:
    """Each problem on a line of the standard error; those of the command line itself (``--against``, ``--to``,
    a slug, refused by the command) with its long values shortened and those that may be a secret hidden, as in a
    usage error (:func:`shortened_arguments`, :func:`hidden_arguments`). A file's problems name the file whole, as
    every message names a path, even one under a long ``--members``."""
    for p in problems:
        line = str(dataclasses.replace(p, file=shown_name(p.file)))
        if p.file == COMMAND_LINE:
            line = shortened_arguments(hidden_arguments(line, _Parser.given), _Parser.given)
        print(line, file=sys.stderr)


def _cmd_check(args: argparse.Namespace, on: dt.date) -> int:
    checked = check(args.project, args.stack, args.members, on)
    print_problems(checked.warnings)
    n = len(checked.registry)
    print(
        f"ok: {n} member{'s' if n != 1 else ''}, stack {args.stack}, as of {on.isoformat()}"
        f"{f', {len(checked.warnings)} warning(s)' if checked.warnings else ''}"
    )
    return EXIT_OK


def _cmd_report(args: argparse.Namespace, on: dt.date) -> int:
    from pic import diskusage, notices, report

    settings = load_settings(args.project, args.stack)
    registry = load_registry(args.members, settings)
    record = args.record or args.project / notices.DEFAULT_FILE
    # the project's record, --record not given, is read wherever the disk usage files are (--disk-usage .)
    usage = args.disk_usage or () if args.record is not None else ()
    if (why_not := notices.not_a_record(record, args.project, args.members, usage)) is not None:
        print(f"pic report: error: {shown_name(f'--record {display_path(record)} {why_not}')}", file=sys.stderr)
        return EXIT_USAGE
    given = [(args.record, "--record", "record"), *((p, "--disk-usage", "disk usage") for p in args.disk_usage or ())]
    for path, option, kind in given:
        if (other := arguments.of_another_kind(path, option, kind)) is not None:
            print(f"pic report: error: {other}", file=sys.stderr)
            return EXIT_USAGE
    if args.record is not None and not os.path.lexists(record):  # a record named, not there: a name mistyped?
        why = (
            "does not exist: no notice is recorded there, so every member to contact is shown not told (pic "
            f"notify's record is {notices.DEFAULT_FILE} in --project unless --record names another)"
        )
        print_problems([Problem(display_path(record), None, "", why, "warning")])
    recorded, today = notices.load(record, [m.slug for m in registry], args.members), dt.date.today()
    print_problems(notices.dated_after(recorded, today, display_path(record)))
    told = notices.told_as_of(recorded, on)  # as pic notify --on the same day
    disk, disk_warnings = diskusage.for_members(
        args.disk_usage or diskusage.default_paths(args.project),
        registry,
        settings,
        as_of=diskusage.moment_of(args.on),  # a report as of another day judges the files' age on that day
    )
    data = report.build(registry, settings, on, told=told, disk=disk, disk_warnings=disk_warnings)
    if args.format == "json":
        print(json_text(data))
    else:
        print(report.as_text(data), end="")
    return EXIT_OK


def _cmd_new(args: argparse.Namespace, on: dt.date) -> int:
    from pic import newmember

    return newmember.run(
        project=args.project,
        stack=args.stack,
        members=args.members,
        slug=args.slug,
        name=args.name,
        email=args.email,
        domains=args.domain,
        on=on,
    )


def _cmd_plan(args: argparse.Namespace, on: dt.date) -> int:
    """pic plan: also exits 3 when a change deletes, replaces or unprotects something stateful."""
    from pic.plan.command import run  # the plan engine loads the Pulumi SDK: only for this command

    return run(
        project=args.project, stack=args.stack, members=args.members, against=args.against, fmt=args.format, on=on
    )


def _cmd_dns(args: argparse.Namespace, on: dt.date) -> int:
    from pic import dns_check

    if (other := arguments.of_another_kind(args.expected, "--expected", "expected")) is not None:
        print(f"pic dns check: error: {other}", file=sys.stderr)
        return EXIT_USAGE
    settings = load_settings(args.project, args.stack)
    registry = load_registry(args.members, settings)
    expected = dns_check.expected_from_settings(settings, registry)
    if args.expected:
        warnings: list[Problem] = []
        given, lines = dns_check.load_expected_file(args.expected, warnings)
        file = display_path(args.expected)
        if not warnings:  # an empty file is told once, not each domain it lacks
            expected, warnings = dns_check.with_expected(expected, given, file, args.stack, lines)
        print_problems(warnings)
    # The list domains first, in order: when the first three go unanswered, the resolver is down (pic.unanswered).
    expected = dns_check.merged(dict(sorted(expected.items())), dns_check.expected_of_platform(settings, registry))
    resolver = dns_check.make_resolver(
        args.resolver or settings.dns.resolver, args.port or settings.dns.resolver_port, args.timeout
    )
    findings = dns_check.check(expected, resolver)
    print(dns_check.as_text(findings), end="")
    return EXIT_OK if all(f.status == "present" for f in findings) else EXIT_INVALID


def _cmd_lists(args: argparse.Namespace, on: dt.date) -> int:
    from pic import lists_audit

    for path in args.domains:
        if (other := arguments.of_another_kind(path, "--domains", "domains")) is not None:
            print(f"pic lists audit: error: {other}", file=sys.stderr)
            return EXIT_USAGE
    notes: list[Problem] = []  # how a file was read, said once (a CSV without a header row, one without addresses)
    domains = lists_audit.load_domains(args.domains, notes)
    empty: list[tuple[str, Sequence[str]]] = []  # the files holding no address, read for secrets all the same
    files = _once(args.files)
    entries = []
    refused: list[Problem] = []  # every export refused is told, not the first alone
    read = 0
    for path in files:
        try:
            entries += lists_audit.read_export(path, notes, empty)
            read += 1
        except PicError as exc:
            refused += exc.problems
    if refused and not read:
        raise PicError(refused)  # nothing to audit: the refusals alone
    print_problems(notes)
    flags = lists_audit.audit(entries, domains, lists_audit.load_providers(), empty)
    if args.mx:
        flags += lists_audit.mx_flags(entries, flags, args.resolver, args.timeout, port=args.port)
    for flag in sorted(flags, key=lambda f: (f.entry.file, f.entry.line)):
        print(flag)
    unchecked = sum(flag.unchecked for flag in flags)  # --mx: the domain could not be looked up
    not_checked = f", {unchecked} not checked (--mx)" if unchecked else ""
    # the exports read are audited all the same, a refused one told after them (and exit 1): the audit applies
    # nothing, and mending one file should not be needed to see the others' findings
    not_read = f"; {len(files) - read} file(s) refused, not audited" if refused else ""
    print(
        f"{len(entries)} address(es) in {read} file(s), {len(flags) - unchecked} to fix{not_checked}{not_read}",
        file=sys.stderr,
    )
    if refused:
        raise PicError(refused)
    return EXIT_INVALID if flags else EXIT_OK


def _once(paths: Sequence[Path]) -> list[Path]:
    """``paths`` with each file once, under the name given first: one named twice (``./x.txt`` and ``x.txt``, a link
    to it) would have each of its lines told twice, and counted twice."""
    seen: set[tuple[int, int]] = set()
    out = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            out.append(path)  # read as given: its reader says why it cannot be
            continue
        if (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            out.append(path)
    return out


_MAIL_COMMANDS = {"dns": _cmd_dns, "lists": _cmd_lists}
# Commands with a module of their own (pic/commands/): argument wiring and run(), imported when the command runs
# or pic's whole parser is built (pic --help).
_COMMANDS = {
    "move-script": "pic.commands.move_script",
    "notify": "pic.commands.notify",
    "status": "pic.commands.status",
}


def _command_parser(name: str) -> Callable[[_SubParsers[argparse.ArgumentParser], argparse.ArgumentParser], None]:
    def add_parser(sub: _SubParsers[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
        importlib.import_module(_COMMANDS[name]).add_parser(sub, common)

    return add_parser


# The wiring of each command, by the name that selects it (the first argument of pic).
_PARSERS: dict[str, Callable[[_SubParsers[argparse.ArgumentParser], argparse.ArgumentParser], None]] = {
    "check": _add_check,
    "report": _add_report,
    "new": _add_new,
    "schema": _add_schema,
    "plan": _add_plan,
    "dns": _add_dns,
    "lists": _add_lists,
    **{name: _command_parser(name) for name in _COMMANDS},
}


class OutputError(Exception):
    """The standard output or error cannot be written (a full disk, ``>/dev/full``); not a reader that stopped.

    Not an OSError, so that no command's handling of its own files or sockets takes it for theirs.
    """

    def __init__(self, stream: str, fd: int | None, cause: OSError) -> None:
        super().__init__(f"cannot write the {stream} ({cause.strerror or cause})")
        self.fd = fd


class _Escaping(io.TextIOBase):
    """A text stream that writes what it is given through :func:`terminal_safe` (member files reach the terminal)."""

    def __init__(self, inner: TextIO, name: str) -> None:
        self.inner = inner
        self.name = name

    def write(self, text: str) -> int:
        try:
            self.inner.write(terminal_safe(text))
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(self.name, _fileno(self.inner), exc) from None
        return len(text)

    def flush(self) -> None:
        try:
            self.inner.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(self.name, _fileno(self.inner), exc) from None

    def isatty(self) -> bool:
        return self.inner.isatty()

    @property
    def encoding(self) -> str | None:  # type: ignore[override]
        """The encoding the inner stream writes (a JSON output escapes what it lacks: :func:`encodable_json`)."""
        return getattr(self.inner, "encoding", None)


def _fileno(stream: TextIO) -> int | None:
    try:
        return stream.fileno()
    except (OSError, ValueError):  # a stream of the tests (io.StringIO, pytest's capture): no descriptor
        return None


@contextmanager
def _escaped_output() -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Escaping(saved[0], "standard output"), _Escaping(saved[1], "standard error")
    try:
        yield
    finally:
        try:
            sys.stdout.flush()
        finally:
            try:
                sys.stderr.flush()
            finally:
                sys.stdout, sys.stderr = saved


def _silence(fd: int | None) -> None:
    """Point ``fd`` at /dev/null, so that the flush at exit fails no more (Python's own advice)."""
    if fd is not None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)


class _ClosedStream(io.TextIOBase):
    """The standard error when its descriptor was closed (``2>&-``): every write fails as one to a closed
    descriptor's would (EBADF), so that the command ends as with an error that cannot be written (``2>/dev/full``:
    :data:`EXIT_OUTPUT`); descriptor 2 itself is /dev/null, for the programs the command runs."""

    def write(self, text: str) -> int:
        if not text:
            return 0
        raise OSError(errno.EBADF, f"{os.strerror(errno.EBADF)}: it was closed")

    def fileno(self) -> int:
        return 2

    def writable(self) -> bool:
        return True


def _standard_streams() -> bool:
    """Standard streams fit for any command: False (nothing to do) when the standard output is closed.

    A closed descriptor 0, 1 or 2 (``>&-``) gets /dev/null in its place, so that no file a command
    opens takes its number. Characters the streams' encoding lacks (``PYTHONIOENCODING=ascii``, the C
    locale) are written as escapes (``\\xe9``) rather than stopping the command.
    """
    closed = []
    for fd in (0, 1, 2):  # in order: the lowest free descriptor is the one just found closed
        try:
            os.fstat(fd)
        except OSError:
            closed.append(fd)
            os.open(os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY)
    if 2 in closed or sys.stderr is None:
        # its messages would be lost as those of a full one (2>/dev/full) are: told so alike, by the status 74
        sys.stderr = _ClosedStream()
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    return 1 not in closed and sys.stdout is not None


_stop = stop  # SIGTERM's and SIGHUP's handler: pic.errors.Stopped


def run_command() -> NoReturn:
    """The ``pic`` command of the shell (and ``python -m pic``): :func:`main`, then exit with its status.

    Whatever the command: a reader of the output that stops early (``pic report | head``) ends
    it quietly with :data:`EXIT_BROKEN_PIPE`; an output that cannot be written (``>/dev/full``,
    or a closed standard output, refused before anything is done) with one line on the
    standard error and :data:`EXIT_OUTPUT`; a standard error that cannot be written, full or
    closed (``2>&-``), with :data:`EXIT_OUTPUT` too, once something is to be told there.

    Python's cyclic garbage collector stays off in this process: a command reads, checks,
    prints and exits, and what it makes lives until the end, so the collector's passes would
    only scan it (0.1 s of ``pic check`` on 5,000 members, bench/bench_check.py). The
    interpreter's shutdown collects all the same, disabled or not (CPython's finalize_modules
    runs full passes): what the command made is frozen (``gc.freeze``) once it is done, so
    that those passes skip it (about 20 ms of that ``pic check``), as the plan engine does
    after a program; memory is still freed by reference counting, the atexit handlers run
    and the standard streams are flushed. ``pic plan`` pauses the collector while the
    program runs in any case (pic.plan.engine).

    Pydantic's plugins are not looked for (``PYDANTIC_DISABLE_PLUGINS=__all__``, pydantic's documented switch,
    unless the environment sets it): the project uses none, and the first validation scanned the entry points of
    every installed distribution for them (about 20 ms of each command, 1.4 % of that ``pic check``).
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.disable()
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) == signal.SIG_DFL:  # one ignored (nohup) stays so
            signal.signal(signum, _stop)
    if not _standard_streams():
        with contextlib.suppress(OSError):  # the standard error is closed too: the status says it
            closed = "pic: the standard output is closed: nothing done (redirect it to a file or /dev/null)"
            print(closed, file=sys.stderr)
        raise SystemExit(EXIT_OUTPUT)
    try:
        status = main()
        _Escaping(sys.stdout, "standard output").flush()
    except BrokenPipeError:
        # The reader of the output stopped early (`pic report | head`): what it read is what it wanted.
        _silence(_fileno(sys.stdout))
        status = EXIT_BROKEN_PIPE
    except KeyboardInterrupt as exc:  # Ctrl-C: one line, no traceback (pic notify names a message it was sending)
        by = exc.signum if isinstance(exc, Stopped) else None
        try:
            print("pic: interrupted" if by is None else f"pic: stopped by {by.name}", file=sys.stderr, flush=True)
        except OSError:  # the standard error cannot be written (2>/dev/full): the status says it all the same
            _silence(_fileno(sys.stderr))
        status = EXIT_INTERRUPTED if by is None else 128 + by
    except OutputError as exc:
        _silence(exc.fd)
        try:
            print(f"pic: {exc}", file=sys.stderr, flush=True)
        except OSError:  # the standard error is the stream that fails
            _silence(_fileno(sys.stderr))
        status = EXIT_OUTPUT
    gc.freeze()
    raise SystemExit(status)


def main(argv: Sequence[str] | None = None) -> int:
    with _escaped_output():
        args = _parse(argv)
        on = getattr(args, "on", None) or dt.date.today()
        return _run(args, on)


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; the paths that default to a place in the project (``--members``) made so."""
    given = sys.argv[1:] if argv is None else list(argv)
    _Parser.given = given
    args = _parser_for(given).parse_args(given)
    if getattr(args, "project", None) is not None and args.members is None:
        args.members = args.project / "members"
    return args


def _parser_for(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The parser of the command ``argv`` runs: pic's only option is -h, so a first argument naming a command
    selects it; any other first argument (-h, a name misspelled, none) needs the whole parser."""
    return _parser(argv[0] if argv and argv[0] in _PARSERS else None)


def _run(args: argparse.Namespace, on: dt.date) -> int:
    try:
        if args.command == "schema":
            from pic.schema import member_schema_text

            sys.stdout.write(encodable_json(member_schema_text()))
            return EXIT_OK
        if args.command == "plan":
            return _cmd_plan(args, on)
        handler: Callable[[argparse.Namespace, dt.date], int]
        if args.command in _COMMANDS:
            handler = importlib.import_module(_COMMANDS[args.command]).run
        elif args.command in _MAIL_COMMANDS:
            handler = _MAIL_COMMANDS[args.command]
        else:
            handler = {"check": _cmd_check, "report": _cmd_report, "new": _cmd_new}[args.command]
        return handler(args, on)
    except Unreachable as exc:
        print_problems(exc.problems)
        return EXIT_INVALID
    except PicError as exc:
        print_problems(exc.problems)
        hint = _project_hint(args)
        if hint is not None:
            print(hint, file=sys.stderr)
        errors = exc.errors
        print(f"invalid: {errors} error{'s' if errors != 1 else ''}", file=sys.stderr)
        return EXIT_INVALID
    except FileExistsError as exc:
        print(f"{shown_name(exc.filename)}: exists already", file=sys.stderr)
        return EXIT_INVALID


def _project_hint(args: argparse.Namespace) -> str | None:
    """Where the project is, when ``--project`` (the current directory by default) is not it but is inside it.

    From ``members/`` or any folder of the checkout, the stack file is not found: the folder above
    that holds ``Pulumi.yaml`` is named, with the two ways to run from there.
    """
    project: Path | None = getattr(args, "project", None)
    try:  # a folder that cannot be searched (mode 0600) raises: no hint then
        if project is None or (project / "Pulumi.yaml").exists() or (project / f"Pulumi.{args.stack}.yaml").exists():
            return None
        if not project.is_dir():  # mistyped, or a file: the error says what it is (the folder above may be here)
            return None
        here = resolved(project)
        found = next((d for d in here.parents if (d / "Pulumi.yaml").is_file()), None)
    except (OSError, RuntimeError):
        return None
    if found is None:
        return None
    where = "the current directory" if project == Path(".") else shown_name(display_path(project))
    top = shown_name(shlex.quote(str(found)))
    return (
        f"hint: {where} is not the project's directory (it has no Pulumi.yaml); {top} is: "
        f"run pic from {top} or pass --project {top}"
    )


if __name__ == "__main__":
    raise SystemExit(main())

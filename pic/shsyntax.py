"""The grammar of one line of POSIX sh as dash reads it (XCU 2.9, 2.10): what a member's cron command holds that
the containers' sh refuses as a syntax error, though every quote and substitution in it is closed.

dash refuses such a command whole, at every run ("Syntax error: "fi" unexpected", "end of file unexpected
(expecting "done")"): ``php a.php &&`` with nothing after, ``{ php a.php }`` (a ``}`` closes a group only as a
command of its own), ``if [ -f x ]; then php y.php`` without ``fi``, ``> `` with no file, ``a | | b``. What dash
takes is taken, where it is more lenient than POSIX too (a function whose body is a simple command, ``f() php x``).

Reserved words are read where dash reads them: as the first word of a command (not after an assignment or a
redirection: ``x=1 if`` runs a program named ``if``), ``in`` after ``for NAME`` and ``case WORD``, ``esac`` where
a pattern would start. The text of ``$(...)`` and of backquotes is a command read the same way; ``${...}`` and
``$((...))`` are words (dash refuses a wrong one when it runs, not when it reads). Linear in the text; a text
nested deeper than :data:`MAX_DEPTH` is left unread (no verdict).

What it reads before it stops is given too (:func:`read`): each simple command's name and each of bash's
arithmetic commands ``((...))``, which pic/cron.py refuses where dash runs them otherwise; and the words of a
command as dash splits them (:func:`tokens`, :func:`literal`). A backquote's command and a here-document's end
word are read here for pic/cron.py's reading of quotes too (:func:`backquoted`, :func:`delimiter_end`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from pic.lazyre import LazyPattern, compile_cached

# Nesting (substitutions, groups, compound commands) beyond which a text is not read: no member's command goes so
# deep, and each level costs a few frames of Python's stack.
MAX_DEPTH = 40

# sh's operators, longest first (XCU 2.10.1); dash has no ;& nor ;;& (bash's), read as ; then &
_OPERATORS = ("<<-", "&&", "||", ";;", "<<", ">>", "<&", ">&", "<>", ">|", ";", "&", "|", "(", ")", "<", ">")
_REDIRECTIONS = frozenset(("<<-", "<<", ">>", "<&", ">&", "<>", ">|", "<", ">"))
# Reserved words that end the list of commands before them (the construct that opened it wants one of them)
_CLOSERS = frozenset(("then", "else", "elif", "fi", "do", "done", "esac", "}"))
_NAME = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*")
# A word that assigns a variable: no function's name, though a "(" follows it (dash: "(" unexpected)
_ASSIGNMENT = compile_cached(r"[A-Za-z_][A-Za-z0-9_]*=")
# The special parameters of one character (XCU 2.5.2, and the positional ones): $$ is no start of $(
SPECIAL = frozenset("$#?!-@*0123456789")
# The characters that end a word outside quotes (XCU 2.3: blanks and the operators' first characters)
WORD_BREAK = " \t;&|()<>"
# The characters that start a piece of a word longer than itself, or quoted (_Parser._piece_end): an escape, quotes,
# a substitution
_PIECE_STARTS = "\\'\"`$"


def backquoted(text: str, start: int, quoted: bool) -> tuple[int | None, str, list[int]]:
    """The backquote's command starting at ``text[start]`` as sh reads it (XCU 2.6.3): the index of its closing
    backquote (None when there is none), its text (the backslashes before ``\\ ` $``, and ``"`` when ``quoted``,
    in double quotes, removed), and the index in ``text`` of each of its characters."""
    escaped = "\\`$" + ('"' if quoted else "")
    chars: list[str] = []
    places: list[int] = []
    i, n = start, len(text)
    while i < n and text[i] != "`":
        if text[i] == "\\" and i + 1 < n:
            if text[i + 1] not in escaped:
                chars.append("\\")
                places.append(i)
            i += 1
        chars.append(text[i])
        places.append(i)
        i += 1
    return (i if i < n else None), "".join(chars), places


def delimiter_end(text: str, i: int) -> tuple[int, int | None]:
    """Where the here-document's end word starting at ``text[i]`` ends, and the index of the quote it opens and
    never closes (None when each is closed). Its ``$`` and backquotes are characters (dash reads ``<<$(x`` as the
    end word ``$(x``)."""
    n = len(text)
    while i < n and text[i] not in WORD_BREAK:
        ch = text[i]
        if ch == "\\":
            i += 2
        elif ch == "'":
            close = text.find("'", i + 1)
            if close < 0:
                return n, i
            i = close + 1
        elif ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                return n, i
            i = j + 1
        else:
            i += 1
    return min(i, n), None


# A token of an arithmetic expression (XCU 2.6.4, as bash's (( )) reads one): a number, a name, a parameter, an
# operator; the blanks before it in group 1.
_ARITHMETIC_TOKEN = LazyPattern(
    r"([ \t]*)(?:(?P<number>(?:0[xX][0-9A-Fa-f]+|[0-9]+)(?![A-Za-z0-9_]))|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<parameter>\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9#?$!@*-]|\{[^{}]*\}))"
    r"|(?P<operator><<=|>>=|\*\*|\+\+|--|&&|\|\||<<|>>|<=|>=|==|!=|[-+*/%&^|]=|[-+*/%<>&^|!~?:=,()]))"
)
# The operators that also separate words in sh (its own operators' characters): written with a blank on one side
# only, any other is a command's word (cd /tmp, ls -l), no arithmetic's.
_SH_SEPARATED = frozenset("<>&|")
# The operators of an arithmetic expression that a list of commands also has: (( a && b )) runs two commands.
_COMMAND_LIKE = frozenset(("&&", "||", "|", "&", "!"))


def _arithmetic_text(text: str, start: int) -> str | None:
    """The text of bash's arithmetic command whose "((" ends at ``text[start]``: up to the "))" that closes it,
    its parentheses paired; None when a ")" closes it alone (bash then reads subshells too)."""
    depth, i, n = 0, start, len(text)
    while i < n:
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return text[start:i] if text.startswith("))", i) else None
            depth -= 1
        i += 1
    return None


def _substitution_end(text: str, i: int) -> int | None:
    """The end of the ``$(...)``, ``$((...))`` or backquote starting at ``text[i]`` in an arithmetic text, its
    parentheses paired; None when none starts there or it is not closed."""
    if text.startswith("`", i):
        close = text.find("`", i + 1)
        return None if close < 0 else close + 1
    if not text.startswith("$(", i):
        return None
    depth = 0
    for j in range(i + 1, len(text)):
        depth += {"(": 1, ")": -1}.get(text[j], 0)
        if depth == 0:
            return j + 1
    return None


def _arithmetic_command(text: str, start: int) -> bool:
    """Whether the command starting with "((" that ends at ``text[start]`` is bash's arithmetic command: its text,
    up to the "))" that closes it, an arithmetic expression, and no list of commands that dash would run as
    written in two subshells (``((cd a && b))``, ``((true))``, ``((a || b))``)."""
    inner = _arithmetic_text(text, start)
    if inner is None:
        return False
    operand, depth = False, 0  # an operand was read last; the parentheses open
    commands = True  # only names, and operators that a list of commands has too
    i, n = 0, len(inner.rstrip(" \t"))
    while i < n:
        j = i + len(inner[i:n]) - len(inner[i:n].lstrip(" \t"))  # past the blanks
        token = _ARITHMETIC_TOKEN.match(inner, i)
        end = _substitution_end(inner, j) or (token.end() if token is not None else None)
        op = token.group("operator") if token is not None and end == token.end() else None
        if end is None or (operand and op is None and j > i):
            return False  # no token of arithmetic's, or two operands in a row: a command's words
        if op is None:  # an operand: a number, a name, a parameter, a substitution (glued to one before: one word)
            operand, i = True, end
            commands = commands and token is not None and end == token.end() and token.group("name") is not None
            continue
        blank_before, i = j > i or i == 0, end
        if not operand:  # a prefix: a sign, a negation, an increment, or a parenthesis
            depth += op == "("
            commands = commands and op == "!" and inner[i : i + 1] in (" ", "\t")  # !x: one word in sh
            if op not in ("(", "!", "~", "+", "-", "++", "--"):
                return False
        elif op in ("++", "--", ")"):  # a suffix, or the end of a group
            depth -= op == ")"
            commands = False
            if depth < 0:
                return False
        else:
            if blank_before != (inner[i : i + 1] in (" ", "\t", "")) and op[0] not in _SH_SEPARATED:
                return False  # cd /tmp, ls -l: a path or an option, a command's word
            operand, commands = False, commands and op in _COMMAND_LIKE
    return operand and depth == 0 and not commands


@dataclass(frozen=True)
class Token:
    """A word, an operator (a redirection's file descriptor number included: ``2>``), or the end of the text."""

    kind: str  # "word", "op" or "end" (pic.cron's "split": a word it made of the string of env -S)
    text: str
    at: int  # index in the text (0-based)


@dataclass(frozen=True)
class Fault:
    """Where sh stops reading a command: what it met, what it expected there, and the construct left open."""

    found: Token
    expected: str | None  # None: what was met closes what is not open
    after: Token | None  # the token before what was met
    opened: Token | None = None  # the word or parenthesis whose closing was expected


@dataclass(frozen=True)
class Command:
    """A simple command as dash reads it: its words from its name on (no assignment before it, no redirection),
    and whether it is in a function's body (run when the function is called, not where it is written)."""

    words: tuple[Token, ...]
    deferred: bool


@dataclass(frozen=True)
class Reading:
    """What dash reads in a command: where it stops (a syntax error), and, in what it reads before, each command's
    name and each arithmetic command of bash's, in the order read."""

    fault: Fault | None
    names: tuple[Token, ...]  # a simple command's first word that assigns no variable: the program it runs
    arithmetic: tuple[Token, ...]  # a "((" where a command starts whose text is an arithmetic expression
    commands: tuple[Command, ...] = ()  # each simple command with a name
    functions: tuple[Token, ...] = ()  # the name of each function defined (NAME() ...)
    listed: tuple[Token, ...] = ()  # the words of each for's list (for f in WORD...)
    files: tuple[Token, ...] = ()  # the file of each redirection (> FILE, 2>>FILE; no here-document's end word)


@dataclass
class _Found:
    names: list[Token] = field(default_factory=list)
    arithmetic: list[Token] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    functions: list[Token] = field(default_factory=list)
    listed: list[Token] = field(default_factory=list)
    files: list[Token] = field(default_factory=list)

    def extend(self, other: _Found, places: list[int]) -> None:
        """Adds what ``other`` found in a backquote's command, each at its place (``places``) in the text."""

        def moved(t: Token) -> Token:
            return Token(t.kind, t.text, places[t.at])

        self.names.extend(map(moved, other.names))
        self.arithmetic.extend(map(moved, other.arithmetic))
        self.functions.extend(map(moved, other.functions))
        self.listed.extend(map(moved, other.listed))
        self.files.extend(map(moved, other.files))
        self.commands.extend(Command(tuple(map(moved, c.words)), c.deferred) for c in other.commands)


class _Refused(Exception):
    def __init__(self, fault: Fault) -> None:
        super().__init__(fault)
        self.fault = fault


class _TooDeep(Exception):
    pass


class _Parser:
    """A recursive descent over the tokens of ``text`` from ``start``, following XCU 2.10.2's grammar as dash does."""

    def __init__(self, text: str, start: int, depth: int, found: _Found | None = None, deferred: bool = False) -> None:
        self.text = text
        self.pos = start
        self.depth = depth
        self.deferred = deferred  # in a function's body
        self.found = _Found() if found is None else found
        self.last: Token | None = None
        self._peeked: Token | None = None

    # --- words and operators
    def peek(self) -> Token:
        if self._peeked is None:
            self._peeked = self._lex()
        return self._peeked

    def next(self) -> Token:
        token = self.peek()
        self._peeked = None
        self.pos = token.at + len(token.text) if token.kind != "end" else len(self.text)
        self.last = token
        return token

    def _lex(self, target: str = "") -> Token:
        """The next token; ``target``: the redirection operator whose file (or here-document's end word) it is:
        after << or <<- a word read as dash reads it, its quotes closed but its $, $( and backquotes plain
        characters."""
        text, i, n = self.text, self.pos, len(self.text)
        while i < n and text[i] in " \t":
            i += 1
        if i >= n or text[i] == "#":  # a comment runs to the end of the line
            return Token("end", "", i)
        for op in _OPERATORS:
            if text.startswith(op, i):
                return Token("op", op, i)
        end = delimiter_end(text, i)[0] if target.lstrip("0123456789").startswith("<<") else self._word_end(i)
        word = text[i:end]
        if len(word) == 1 and word.isdigit() and end < n and text[end] in "<>":
            # a file descriptor's number before a redirection (2>&1): one operator; dash reads one digit so (10>x
            # is an argument 10 and >x), even where a file is expected (>&1>x is refused)
            op = next(o for o in _OPERATORS if text.startswith(o, end))
            return Token("op", word + op, i)
        return Token("word", word, i)

    def _word_end(self, i: int) -> int:
        text, n = self.text, len(self.text)
        while i < n:
            ch = text[i]
            if ch in WORD_BREAK:
                break
            i = self._piece_end(i) if ch in _PIECE_STARTS else i + 1
        return min(i, n)

    def _piece_end(self, i: int) -> int:
        """Where the piece of a word starting at ``i`` ends (may be past the text's end): an escaped character, a
        quoted text, a substitution (``$(...)``, backquotes, ``${...}``, ``$((...))``, ``$$``...), or one character.
        Raises _Refused or _TooDeep as the readers of quotes and substitutions do."""
        text = self.text
        ch = text[i]
        if ch == "\\":
            return i + 2
        if ch == "'":
            close = text.find("'", i + 1)
            return len(text) if close < 0 else close + 1
        if ch == '"':
            return self._double_quoted_end(i + 1)
        if ch == "`":
            return self._backquoted_end(i + 1, quoted=False)
        if ch == "$":
            return self._dollar_end(i, quoted=False)
        return i + 1

    def _double_quoted_end(self, i: int) -> int:
        text, n = self.text, len(self.text)
        while i < n:
            ch = text[i]
            if ch == "\\":
                i += 2
            elif ch == '"':
                return i + 1
            elif ch == "`":
                i = self._backquoted_end(i + 1, quoted=True)
            elif ch == "$":
                i = self._dollar_end(i, quoted=True)
            else:
                i += 1
        return n

    def _dollar_end(self, i: int, quoted: bool) -> int:
        text = self.text
        if text.startswith("$((", i):
            return self._arithmetic_end(i + 3)
        if text.startswith("$(", i):
            return self._nested(i + 2)
        if text.startswith("${", i):
            return self._braced_end(i + 2, quoted)
        if text[i + 1 : i + 2] in SPECIAL:
            return i + 2  # $$, $#...: a parameter of one character ($$( is $$ then a parenthesis)
        return i + 1

    def _nested(self, i: int) -> int:
        """The end of ``$(`` ... ``)`` whose command starts at ``i``: the command read, up to its ``)``."""
        if self.depth >= MAX_DEPTH:
            raise _TooDeep
        inner = _Parser(self.text, i, self.depth + 1, self.found, self.deferred)
        inner.program(closing=Token("op", "$(", i - 2))
        return inner.pos

    def _arithmetic_end(self, i: int) -> int:
        text, n = self.text, len(self.text)
        depth = 0
        while i < n:
            ch = text[i]
            if ch == "\\":
                i += 2
            elif ch == "$":
                i = self._dollar_end(i, quoted=False)
            elif ch == "`":
                i = self._backquoted_end(i + 1, quoted=False)
            elif ch == "(":
                depth, i = depth + 1, i + 1
            elif ch == ")":
                if depth == 0 and text.startswith("))", i):
                    return i + 2
                depth, i = max(depth - 1, 0), i + 1
            else:
                i += 1
        return n

    def _braced_end(self, i: int, quoted: bool) -> int:
        text, n = self.text, len(self.text)
        while i < n:
            ch = text[i]
            if ch == "\\":
                i += 2
            elif ch == "}":
                return i + 1
            elif ch == "'" and not quoted:
                close = text.find("'", i + 1)
                i = n if close < 0 else close + 1
            elif ch == '"':
                i = self._double_quoted_end(i + 1)
            elif ch == "`":
                i = self._backquoted_end(i + 1, quoted)
            elif ch == "$":
                i = self._dollar_end(i, quoted)
            else:
                i += 1
        return n

    def _backquoted_end(self, i: int, quoted: bool) -> int:
        """The end of a backquote's command starting at ``i``, read as sh reads it: its text with the backslashes
        before ``\\ ` $`` (and ``"`` in double quotes) removed, its commands up to what none of them takes. A
        fault in it is said at the opening backquote."""
        j, command, places = backquoted(self.text, i, quoted)
        if self.depth >= MAX_DEPTH:
            raise _TooDeep
        inner = _Parser(command, 0, self.depth + 1, deferred=self.deferred)
        try:
            # dash reads a backquote's command as far as it goes: what stays after it is left unread ("`: f()`")
            inner._list(allow_empty=True)
        except _Refused as refused:
            found = refused.fault.found
            shown = Token(found.kind, found.text, i - 1)
            raise _Refused(Fault(shown, refused.fault.expected, None, Token("op", "`", i - 1))) from None
        self.found.extend(inner.found, places)
        return len(self.text) if j is None else j + 1

    # --- the grammar
    def program(self, closing: Token | None) -> None:
        """A whole text (``closing`` None) or the command of ``$(`` (``closing``), up to its ``)``."""
        self._list(allow_empty=True)
        token = self.peek()
        if closing is None:
            if (token.kind == "op" and token.text in (")", ";;")) or token.text in _CLOSERS:
                # a closing word or parenthesis, a case's ;; with no construct open to take it
                raise _Refused(Fault(token, None, self.last))
            if token.kind != "end":
                raise self._unexpected(token, 'a ";" or "&" before another command')
        elif token.kind == "op" and token.text == ")":
            self.next()
        else:
            raise self._unexpected(token, '")"', closing)

    def _at_list_end(self) -> bool:
        token = self.peek()
        if token.kind == "end":
            return True
        if token.kind == "op":
            return token.text in (")", ";;")
        return token.text in _CLOSERS

    def _list(self, allow_empty: bool) -> None:
        count = 0
        while not self._at_list_end():
            self._and_or()
            count += 1
            token = self.peek()
            if token.kind == "op" and token.text in (";", "&"):
                self.next()
                continue
            break
        if not count and not allow_empty:
            raise self._unexpected(self.peek(), "a command")

    def _and_or(self) -> None:
        self._pipeline()
        while self.peek().kind == "op" and self.peek().text in ("&&", "||"):
            self.next()
            self._pipeline()

    def _pipeline(self) -> None:
        token = self.peek()
        if token.kind == "word" and token.text == "!":
            self.next()
        self._command()
        while self.peek().kind == "op" and self.peek().text == "|":
            self.next()
            self._command()

    def _command(self) -> None:
        token = self.peek()
        if token.kind == "end":
            raise self._unexpected(token, "a command")
        if token.kind == "op":
            if token.text == "(":
                if self.text.startswith("((", token.at) and _arithmetic_command(self.text, token.at + 2):
                    self.found.arithmetic.append(Token("op", "((", token.at))
                self.next()
                self._enter()
                self._list(allow_empty=False)
                self._expect_op(")", token)
                self.depth -= 1
                self._redirections()
            elif token.text in _REDIRECTIONS or token.text[0].isdigit():
                self._simple()
            else:
                raise self._unexpected(token, "a command")
            return
        word = token.text
        compound = {
            "{": self._group,
            "if": self._if,
            "while": self._loop,
            "until": self._loop,
            "for": self._for,
            "case": self._case,
        }
        if word in compound:
            self.next()
            self._enter()
            compound[word](token)
            self.depth -= 1
            self._redirections()
        elif word in _CLOSERS or word in ("!", "in"):
            raise self._unexpected(token, "a command")
        else:
            self.next()
            after = self.peek()
            if after.kind == "op" and after.text == "(" and not _ASSIGNMENT.match(word):
                self._function(token)
            else:
                self._simple(first=token)

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep

    def _group(self, opened: Token) -> None:
        self._list(allow_empty=False)
        self._expect_word("}", opened)

    def _if(self, opened: Token) -> None:
        self._list(allow_empty=False)
        self._expect_word("then", opened)
        self._list(allow_empty=False)
        while self.peek().kind == "word" and self.peek().text == "elif":
            elif_ = self.next()
            self._list(allow_empty=False)
            self._expect_word("then", elif_)
            self._list(allow_empty=False)
        if self.peek().kind == "word" and self.peek().text == "else":
            self.next()
            self._list(allow_empty=False)
        self._expect_word("fi", opened)

    def _loop(self, opened: Token) -> None:
        self._list(allow_empty=False)
        self._do_group(opened)

    def _do_group(self, opened: Token) -> None:
        self._expect_word("do", opened)
        self._list(allow_empty=False)
        self._expect_word("done", opened)

    def _for(self, opened: Token) -> None:
        name = self.next()
        if name.kind != "word" or not _NAME.fullmatch(name.text):
            raise _Refused(Fault(name, 'a variable\'s name after "for"', opened))
        token = self.peek()
        if token.kind == "word" and token.text == "in":
            self.next()
            while self.peek().kind == "word":
                self.found.listed.append(self.next())
            self._expect_op(";", opened, 'a ";" before "do"')
        elif token.kind == "op" and token.text == ";":
            self.next()
        self._do_group(opened)

    def _case(self, opened: Token) -> None:
        subject = self.next()
        if subject.kind != "word":
            raise _Refused(Fault(subject, 'a word after "case"', opened))
        self._expect_word("in", opened)
        while True:
            token = self.peek()
            if token.kind == "word" and token.text == "esac":
                self.next()
                return
            if token.kind == "op" and token.text == "(":
                self.next()
            self._pattern(opened)
            while self.peek().kind == "op" and self.peek().text == "|":
                self.next()
                self._pattern(opened)
            self._expect_op(")", opened, 'a ")" after the pattern')
            self._list(allow_empty=True)
            token = self.peek()
            if token.kind == "op" and token.text == ";;":
                self.next()
            elif not (token.kind == "word" and token.text == "esac"):
                raise self._unexpected(token, '";;" or "esac"', opened)

    def _pattern(self, opened: Token) -> None:
        token = self.peek()
        if token.kind == "end":
            raise self._unexpected(token, '"esac"', opened)
        if token.kind != "word":
            raise self._unexpected(token, "a pattern", opened)
        self.next()

    def _function(self, name: Token) -> None:
        if not _NAME.fullmatch(name.text):
            raise _Refused(Fault(name, "a function's name", None))
        self.next()  # (
        self._expect_op(")", name, 'a ")" after "("')
        self.found.functions.append(name)
        self._enter()
        deferred, self.deferred = self.deferred, True
        self._command()
        self.deferred = deferred
        self.depth -= 1

    def _simple(self, first: Token | None = None) -> None:
        words = [first] if first is not None and self._named(first) else []
        while True:
            token = self.peek()
            if token.kind == "word":
                if words or self._named(token):
                    words.append(token)
                self.next()
            elif token.kind == "op" and (token.text in _REDIRECTIONS or token.text[0].isdigit()):
                self._redirection()
            else:
                break
        if words:
            self.found.commands.append(Command(tuple(words), self.deferred))

    def _named(self, word: Token) -> bool:
        """Whether ``word``, a word of a simple command before its name, is that name (no assignment): noted."""
        if _ASSIGNMENT.match(word.text):
            return False
        self.found.names.append(word)
        return True

    def _redirections(self) -> None:
        while self.peek().kind == "op" and (self.peek().text in _REDIRECTIONS or self.peek().text[0].isdigit()):
            self._redirection()

    def _redirection(self) -> None:
        op = self.next()
        self._peeked = target = self._lex(target=op.text)
        if target.kind != "word":
            here = op.text.lstrip("0123456789").startswith("<<")
            raise self._unexpected(target, "the here-document's end word" if here else "a file name")
        if not op.text.lstrip("0123456789").startswith("<<"):
            self.found.files.append(target)
        self.next()

    # --- faults
    def _unexpected(self, token: Token, expected: str, opened: Token | None = None) -> _Refused:
        return _Refused(Fault(token, expected, self.last, opened))

    def _expect_word(self, word: str, opened: Token) -> None:
        token = self.peek()
        if token.kind == "word" and token.text == word:
            self.next()
            return
        raise self._unexpected(token, f'"{word}"', opened)

    def _expect_op(self, op: str, opened: Token, expected: str | None = None) -> None:
        token = self.peek()
        if token.kind == "op" and token.text == op:
            self.next()
            return
        raise self._unexpected(token, expected or f'"{op}"', opened)


def read(text: str) -> Reading:
    """What dash reads in ``text``, one line whose quotes and substitutions are all closed: where it stops, as a
    syntax error (None when it reads it whole, or when it nests deeper than :data:`MAX_DEPTH`), and what it reads
    before (:class:`Reading`)."""
    parser = _Parser(text, 0, 0)
    stopped: Fault | None = None
    try:
        parser.program(closing=None)
    except _Refused as refused:
        stopped = refused.fault
    except _TooDeep:
        pass
    found = parser.found
    return Reading(
        stopped,
        tuple(found.names),
        tuple(found.arithmetic),
        tuple(found.commands),
        tuple(found.functions),
        tuple(found.listed),
        tuple(found.files),
    )


def tokens(text: str) -> list[Token]:
    """The words and operators of ``text`` as dash splits them, in order, up to the end or a comment (a
    here-document's end word read as one: its ``$`` and backquotes are characters); no grammar is checked."""
    parser = _Parser(text, 0, 0)
    out: list[Token] = []
    try:
        while (token := parser.next()).kind != "end":
            out.append(token)
            if token.kind == "op" and (token.text in _REDIRECTIONS or token.text[0].isdigit()):
                parser._peeked = parser._lex(target=token.text)
    except (_Refused, _TooDeep):  # a substitution sh refuses: the words before it
        return out
    return out


# In a word, what sh expands or matches (parameters, substitutions, a tilde, a pattern's characters).
_EXPANDED = compile_cached(r"""[$`~*?\[]""")


def literal(word: str) -> str | None:
    """The text ``word``, one word of sh, stands for when it expands nothing (its quotes and backslashes
    removed: ``"www"``, ``'./www'``, ``w\\ww``); None when it expands or matches something."""
    out, i, n = [], 0, len(word)
    while i < n:
        ch = word[i]
        if ch == "'":
            close = word.find("'", i + 1)
            if close < 0:
                return None
            out.append(word[i + 1 : close])
            i = close + 1
        elif ch == '"':
            j = i + 1
            while j < n and word[j] != '"':
                if word[j] == "\\" and word[j + 1 : j + 2] in ("$", "`", '"', "\\"):
                    j += 1
                elif word[j] in "$`":
                    return None  # an expansion, in double quotes too
                out.append(word[j : j + 1])
                j += 1
            if j >= n:
                return None
            i = j + 1
        elif ch == "\\":
            out.append(word[i + 1 : i + 2])
            i += 2
        elif _EXPANDED.match(word, i):
            return None
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def substitution_end(text: str, i: int) -> int | None:
    """The end of the substitution starting at ``text[i]`` (``$(...)``, ``$((...))``, ``${...}``, a backquote's,
    ``$name``, ``$1``, ``$#``...) as dash reads it in an arithmetic expansion's text (the end of the text when it is
    not closed); None when none starts there, or its command is one sh refuses."""
    if text.startswith("`", i):
        end = backquoted(text, i + 1, quoted=False)[0]
        return None if end is None else end + 1
    if not text.startswith("$", i):
        return None
    name = _NAME.match(text, i + 1)
    if name is not None:
        return name.end()
    if i + 1 >= len(text) or text[i + 1] not in "({" + "".join(SPECIAL):
        return None  # a $ alone: a character
    parser = _Parser(text, i, 0)
    try:
        return min(parser._dollar_end(i, quoted=False), len(text))
    except (_Refused, _TooDeep):
        return None


# bash's sequence expressions (its manual, "Brace Expansion"): {x..y[..incr]}, x and y both integers or both letters.
_SEQUENCE = LazyPattern(r"(?:(-?[0-9]+)\.\.(-?[0-9]+)|([A-Za-z])\.\.([A-Za-z]))(?:\.\.(-?[0-9]+))?")
# The words a brace expansion is written out into at most (:func:`brace_expansion`): {1..100000} is not listed.
MAX_BRACE_WORDS = 200


def _unquoted(word: str) -> list[bool]:
    """For each character of ``word``, one word of sh, whether sh reads it outside quotes, escapes and
    substitutions (``$(...)``, backquotes, ``${...}``, ``$((...))``, ``$$``...), where bash reads its braces."""
    parser = _Parser(word, 0, 0)
    out = [True] * len(word)
    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        try:
            end = parser._piece_end(i)
        except (_Refused, _TooDeep):
            end = n  # no word sh read whole: nothing after it told
        if end > i + 1 or ch in _PIECE_STARTS:
            out[i : min(end, n)] = [False] * (min(end, n) - i)
        i = max(end, i + 1)
    return out


def brace_expansion(word: str) -> tuple[list[str], bool] | None:
    """The words bash's brace expansion makes of ``word``, one word of sh (``../log/{a,b}.log``: ``../log/a.log``,
    ``../log/b.log``; ``{1..3}``, ``x{,}``), its quotes and substitutions as written, and whether there were more
    than :data:`MAX_BRACE_WORDS` (the first listed); None when bash expands no brace in it (``{}``, ``{a}``,
    ``"{a,b}"``, ``\\{a,b}``, ``${x}``, ``{1..a}``). dash, the containers' sh, has no brace expansion (XCU 2.6 has
    none): it passes such a word as written. bash's rules (its manual, "Brace Expansion"): a ``{`` and its ``}``
    outside quotes, holding a comma outside quotes and inner braces, or a sequence expression; ``${`` is none."""
    if "{" not in word or ("," not in word and ".." not in word):
        return None  # the usual case, answered at once: no brace, or nothing to part it
    words = _braced(word, _unquoted(word), MAX_BRACE_WORDS + 1)
    if words is None:
        return None
    return words[:MAX_BRACE_WORDS], len(words) > MAX_BRACE_WORDS


def _braced(text: str, unquoted: list[bool], cap: int) -> list[str] | None:
    """:func:`brace_expansion` of ``text`` whose characters outside quotes are ``unquoted``, at most ``cap`` words."""
    for i, ch in enumerate(text):
        if ch != "{" or not unquoted[i] or (i == 0 and text[1:2] == "}"):
            continue  # bash takes no {} at a word's start for an opening brace ({},a} is a word as written)
        close, commas = _brace_close(text, unquoted, i)
        if close is None:
            continue
        parts = _brace_parts(text, unquoted, (i, close), commas, cap)
        if parts is None:
            continue
        rest = _braced(text[close + 1 :], unquoted[close + 1 :], cap) or [text[close + 1 :]]
        out: list[str] = []
        for part in parts:
            out.extend(text[:i] + part + after for after in rest[: cap - len(out)])
            if len(out) >= cap:
                break
        return out
    return None


def _brace_close(text: str, unquoted: list[bool], start: int) -> tuple[int | None, list[int]]:
    """The ``}`` closing the brace ``text[start]`` as bash reads it, and the commas between (outside inner braces):
    a ``}`` outside inner braces closes it after a comma or a ``..`` not before a ``}``; before, it is a character
    (``{a}b,c}``: ``a}b`` and ``c``). None when none closes it."""
    depth, commas, dots = 0, [], False
    for j in range(start + 1, len(text)):
        if not unquoted[j]:
            continue
        if text[j] == "{":
            depth += 1
        elif text[j] == "}" and depth:
            depth -= 1
        elif text[j] == "," and not depth:
            commas.append(j)
        elif text.startswith("..", j) and text[j + 2 : j + 3] != "}" and not depth:
            dots = True
        elif text[j] == "}" and (commas or dots):
            return j, commas
    return None, commas


def _brace_parts(
    text: str, unquoted: list[bool], braces: tuple[int, int], commas: list[int], cap: int
) -> list[str] | None:
    """The words the braces at ``braces`` (the indexes of their ``{`` and ``}`` in ``text``) stand for: each part
    between its ``commas``, expanded in turn, or a sequence's; at most ``cap``; None when they are no brace
    expansion. bash looks for a comma in quotes and substitutions too (not after a backslash): then the braces hold
    one part (``{.."x,"}``: ``.."x,"``), and are removed."""
    start, close = braces
    inner = text[start + 1 : close]
    if commas or re.search(r"(?<!\\)(?:\\\\)*,", inner):
        bounds = [start, *commas, close]
        parts: list[str] = []
        for a, b in itertools.pairwise(bounds):
            parts.extend(_braced(text[a + 1 : b], unquoted[a + 1 : b], cap) or [text[a + 1 : b]])
        return parts[:cap]
    found = _SEQUENCE.fullmatch(inner)
    if found is None or not all(unquoted[start + 1 : close]):
        return None
    step = abs(int(found[5] or 1)) or 1
    if found[1] is not None:
        first, last = int(found[1]), int(found[2])
        padded = any(len(x.lstrip("-")) > 1 and x.lstrip("-").startswith("0") for x in (found[1], found[2]))
        width = max(len(found[1]), len(found[2])) if padded else 0
        numbers = range(first, last + (1 if last >= first else -1), step if last >= first else -step)
        return [f"{n:0{width}d}" for n in itertools.islice(numbers, cap)]
    a, b = ord(found[3]), ord(found[4])
    letters = itertools.islice(range(a, b + (1 if b >= a else -1), step if b >= a else -step), cap)
    # written as sh reads them: {Z..a} holds [ \\ ] ^ _ `, each quoted
    return [chr(c) if chr(c).isalnum() else "'" + chr(c) + "'" for c in letters]


def fault(text: str) -> Fault | None:
    """Where dash stops reading ``text`` (:func:`read`), as a syntax error; None when it reads it whole."""
    return read(text).fault


def describe(found: Fault) -> str:
    """``found`` in words, as an error message's middle: what sh met, where (from 1), and what it wanted there."""
    token = found.found
    after = found.after
    if token.kind == "end" and after is not None and after.kind == "word" and found.expected == f'"{after.text}"':
        # { php a.php }: the } is the last argument of php, not the group's end
        where = (
            f'ends where sh expects {found.expected}, the "{after.text}" at character {after.at + 1} being an argument'
        )
        if found.opened is not None:
            where += f' (the "{found.opened.text}" at character {found.opened.at + 1} is never closed)'
        return where
    if token.kind == "end":
        where = "ends"
        if found.after is not None:
            where += f' after "{found.after.text}" at character {found.after.at + 1},'
    else:
        where = f'holds "{token.text}" at character {token.at + 1}'
    if found.expected is None:
        return f"{where}, which goes with nothing open before it"
    what = f"{where} where sh expects {found.expected}"
    if found.opened is not None:
        what += f' (to go with the "{found.opened.text}" at character {found.opened.at + 1})'
    return what


def read_extent(command: str) -> int:
    """How much of ``command``, a backquote's, sh reads: dash reads a backquote's command as far as its grammar
    goes and never reads the rest (```echo ) 'x``` is taken, its quote never read), the token it stops at
    included. The index where the unread rest starts; ``len(command)`` when it is read whole or refused."""
    parser = _Parser(command, 0, 0)
    try:
        parser._list(allow_empty=True)
        token = parser.peek()
    except (_Refused, _TooDeep):
        return len(command)
    # the token it stops at is read, and a word's quotes with it (`{ a; } 'x` is refused)
    return token.at + len(token.text) if token.kind == "word" else token.at

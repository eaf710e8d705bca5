"""The arithmetic of dash's ``$((...))`` (its ``arith_yylex.c`` and ``arith_yacc.c``): whether dash, the
containers' sh, refuses an expression when it runs it, whatever its variables hold.

``dash -n`` takes ``$((1+))``, ``$((08))`` or ``$((1/0))``; dash refuses each when it expands it ("arithmetic
expression: expecting primary", "expecting EOF", "division by zero"), stopping there, at every run, the command
that holds it. Read as dash reads it:

- tokens: blanks (space, tab, line feed) between them; a number as C's ``strtoimax`` reads it in base 0 (decimal,
  ``0`` then octal digits, ``0x`` then hex digits: ``08`` is the number 0 then the number 8), too large a one
  read as the largest (9223372036854775807); a variable's name; the operators ``( ) ! ~ * / % + - << >> < <= >
  >= == != & ^ | && || ? : = *= /= %= += -= <<= >>= &= ^= |=``; any other character is none;
- a grammar of C's expressions without ``++``, ``--`` nor the comma, whose errors are "expecting primary" (an
  operand wanted), "expecting EOF" (an operand ended, no operator after it), "expecting ':'" and "expecting ')'";
- its values computed on 64 bits, each operand's as the few values it may hold (a comparison's 0 or 1, ``x * 0``
  0, ``x % 2`` -1, 0 or 1) or any, so that a division (``/ % /= %=``) by 0 that dash evaluates (not skipped by
  ``&&``, ``||`` or ``?:``) whatever the values is told, and ``INTMAX_MIN / -1``, which stops dash (SIGFPE).

A variable's value is not known here (but for one given in the expression itself, ``(n = 0) + 1 / n``): what
depends on it is taken, and values are not related (``b % -b`` is 0 whatever ``b`` holds: taken). The text of a
substitution (``$x``, ``${x}``, ``$(...)``, a backquote's) is not known either: the expression is read up to the
first token it may change, a fault found before it told; after it, only what no text saves (an operand after
another, an operator without its operand, a ? without its :). Linear in the expression.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# The character that stands for a substitution's text in an expression (:func:`fault`): any text at run time.
UNKNOWN = "\ue000"

# dash's token numbers (arith_yacc.h), whose order its precedence and its assignments' operators rely on
_EOF, _ASS, _OR, _AND, _BAD, _NUM, _VAR, _NOT = 0, 1, 2, 3, 4, 5, 6, 7
_LE, _GE, _LT, _GT, _EQ, _REM, _BAND, _LSHIFT, _RSHIFT, _MUL, _ADD, _BOR, _SUB, _BXOR, _DIV, _NE = range(8, 24)
_BINOP_MIN, _BINOP_MAX = 8, 24
_ASS_MIN, _ASS_MAX = 24, 34  # each binary operator + 11: %= &= <<= >>= *= += |= -= ^= /=
_LPAREN, _RPAREN, _BNOT, _QMARK, _COLON = 34, 35, 36, 37, 38
_UNKNOWN_TOKEN = -1  # a token a substitution's text may change

_PRECEDENCE = {
    **dict.fromkeys((_MUL, _DIV, _REM), 0),
    **dict.fromkeys((_ADD, _SUB), 1),
    **dict.fromkeys((_LSHIFT, _RSHIFT), 2),
    **dict.fromkeys((_LT, _LE, _GT, _GE), 3),
    **dict.fromkeys((_EQ, _NE), 4),
    _BAND: 5,
    _BXOR: 6,
    _BOR: 7,
}
_MAX_PRECEDENCE = 8
# The operators, as dash reads them (the longest that the text starts with: "**" is "*" then "*", "&&=" is "&&" then
# "="), and the start of a longer one (an operator that a substitution's text after it may make another)
_OPERATORS = {
    **{"<<=": _LSHIFT + 11, ">>=": _RSHIFT + 11, "<=": _LE, ">=": _GE, "<<": _LSHIFT, ">>": _RSHIFT},
    **{"==": _EQ, "!=": _NE, "&&": _AND, "||": _OR, "=": _ASS, "<": _LT, ">": _GT, "!": _NOT},
    **{"*": _MUL, "/": _DIV, "%": _REM, "+": _ADD, "-": _SUB, "^": _BXOR, "&": _BAND, "|": _BOR},
    **{op + "=": kind + 11 for op, kind in (("*", _MUL), ("/", _DIV), ("%", _REM), ("+", _ADD), ("-", _SUB))},
    **{op + "=": kind + 11 for op, kind in (("^", _BXOR), ("&", _BAND), ("|", _BOR))},
    **{"(": _LPAREN, ")": _RPAREN, "~": _BNOT, "?": _QMARK, ":": _COLON},
}
_EXTENDABLE = frozenset(op[:k] for op in _OPERATORS for k in range(1, len(op)))
_OPERATOR_CHARACTERS = frozenset("".join(_OPERATORS))
_BLANKS = " \t\n"
_DIGITS = "0123456789"
_HEX = "0123456789abcdefABCDEF"
_NAME_START = "_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NAME = _NAME_START + _DIGITS
_INTMAX = 2**63 - 1
_INTMIN = -(2**63)
# Nesting (parentheses, operators) beyond which an expression is left unread: no verdict
MAX_DEPTH = 150


@dataclass(frozen=True)
class Fault:
    """Where dash stops evaluating an expression, and what it says there (its words, after "arithmetic expression:
    "): ``at`` the index in the expression of the token it stopped at (its length at the end)."""

    says: str
    at: int
    crash: bool = False  # dash is stopped by a signal, saying nothing of its own
    # after a substitution: what dash says where that text ends well (it may stop in it, or in a parenthesis or a
    # ?: it opens, "expecting ')'" or "expecting ':'")
    after_substitution: bool = False


@dataclass(frozen=True)
class _Token:
    kind: int
    at: int
    value: int | None = None  # a number's
    name: str = ""  # a variable's


class _Stop(Exception):
    def __init__(self, says: str, at: int, crash: bool = False) -> None:
        super().__init__(says)
        self.fault = Fault(says, at, crash)


class _Unknown(Exception):
    """The verdict depends on a substitution's text, or the expression nests too deep to be read."""


def _either(a: bool | None, b: bool | None) -> bool | None:
    """C's ``a | b`` over what may be unknown (None)."""
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def _wrap(value: int) -> int:
    return (value - _INTMIN) % 2**64 + _INTMIN


def _shift_count(b: int) -> int:
    return b & 63  # the count x86-64 and arm64 shift by


# dash's do_binop but for / and %, on known values
_BINARY: dict[int, Callable[[int, int], int]] = {
    _MUL: lambda a, b: _wrap(a * b),
    _ADD: lambda a, b: _wrap(a + b),
    _SUB: lambda a, b: _wrap(a - b),
    _LSHIFT: lambda a, b: _wrap(a << _shift_count(b)),
    _RSHIFT: lambda a, b: a >> _shift_count(b),
    _LT: lambda a, b: int(a < b),
    _LE: lambda a, b: int(a <= b),
    _GT: lambda a, b: int(a > b),
    _GE: lambda a, b: int(a >= b),
    _EQ: lambda a, b: int(a == b),
    _NE: lambda a, b: int(a != b),
    _BAND: lambda a, b: a & b,
    _BXOR: lambda a, b: a ^ b,
    _BOR: lambda a, b: a | b,
}


# What an operand may hold: each value it may take, at most _MOST of them; None: any.
_Value = frozenset[int] | None
_MOST = 64
_BOOLEAN = frozenset((0, 1))
_COMPARISONS = frozenset((_LT, _LE, _GT, _GE, _EQ, _NE))


def _truth(value: _Value) -> bool | None:
    """Whether every value of ``value`` is true (not 0), every one false, or neither is known (None)."""
    if value is None or (0 in value and len(value) > 1):
        return None
    return 0 not in value


def _union(a: _Value, b: _Value) -> _Value:
    return None if a is None or b is None or len(a) + len(b) > _MOST else a | b


def _quotient(op: int, a: int, b: int) -> int:
    quotient = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)  # C's: toward zero
    return _wrap(quotient) if op == _DIV else a - b * quotient


def _divided(op: int, a: _Value, b: _Value) -> tuple[_Value, str | None]:
    """``a / b`` or ``a % b``, and dash's failure when each value of them fails (a division by 0, or
    INTMAX_MIN by -1, which stops dash by SIGFPE)."""
    if b is None:
        return None, None
    divisors = b - {0}
    if a is None:
        largest = max((abs(d) for d in divisors), default=0)
        if op == _REM and 0 < largest <= _MOST // 2:  # x % 2 is -1, 0 or 1; x % 1 is 0
            return frozenset(range(1 - largest, largest)), None
        return None, None if divisors else "division by zero"
    if len(a) * len(divisors) > _MOST:
        return None, None
    values = frozenset(_quotient(op, x, y) for x in a for y in divisors if not (x == _INTMIN and y == -1))
    failure = None if values else "division by zero" if 0 in b else "Floating point exception"
    return values or None, failure


def _computed(op: int, a: _Value, b: _Value) -> _Value:
    """dash's do_binop but for / and %, over what each operand may hold."""
    if a is not None and b is not None and len(a) * len(b) <= _MOST:
        return frozenset(_BINARY[op](x, y) for x in a for y in b)
    if op in _COMPARISONS:
        return _BOOLEAN
    zero, ones = frozenset((0,)), frozenset((-1,))
    if (op in (_MUL, _BAND) and zero in (a, b)) or (op in (_LSHIFT, _RSHIFT) and a == zero):
        return zero
    if op == _BOR and ones in (a, b):
        return ones
    return None


class _Reader:
    """dash's arith_yacc.c over ``text``: its functions, each with the same name and the same tokens read ahead."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.last = _Token(_EOF, 0)  # dash's last_token
        self.known: dict[str, _Value] = {}  # the variables the expression gives a value to, that value
        self.depth = 0

    # --- arith_yylex.c
    def lex(self) -> _Token:
        text, i, n = self.text, self.pos, len(self.text)
        while i < n and text[i] in _BLANKS:
            i += 1
        if i >= n:
            self.pos = i
            return _Token(_EOF, i)
        ch = text[i]
        if ch in _DIGITS or ch in _NAME_START:
            return self._operand(i)
        length = next((k for k in (3, 2, 1) if i + k <= n and text[i : i + k] in _OPERATORS), 0)
        if text[i + length : i + length + 1] == UNKNOWN and (length == 0 or text[i : i + length] in _EXTENDABLE):
            return self._unknown(i)  # "<" then a substitution's text: "<", "<<", "<=" or "<<="
        if not length:
            return _Token(_BAD, i)  # dash leaves its place unmoved: it never reads on
        self.pos = i + length
        return _Token(_OPERATORS[text[i : i + length]], i)

    def _operand(self, start: int) -> _Token:
        """The number or the name starting at ``text[start]``."""
        text, n = self.text, len(self.text)
        if text[start] in _DIGITS:
            end = self._number_end(start)
        else:
            end = start
            while end < n and text[end] in _NAME:
                end += 1
        if end < n and text[end] == UNKNOWN:
            return self._unknown(start)  # a substitution's text may go on with it
        self.pos = end
        if text[start] in _DIGITS:
            return _Token(_NUM, start, value=self._number(text[start:end]))
        return _Token(_VAR, start, name=text[start:end])

    def _number_end(self, i: int) -> int:
        """Where ``strtoimax(text + i, &end, 0)`` ends ``end``; at an unknown character when it may go on."""
        text, n = self.text, len(self.text)
        if text[i] == "0" and i + 1 < n and text[i + 1] in "xX":
            if i + 2 < n and text[i + 2] == UNKNOWN:
                return i + 2
            if i + 2 < n and text[i + 2] in _HEX:
                i += 2
                while i < n and text[i] in _HEX:
                    i += 1
                return i
            return i + 1  # "0x" with no hex digit: the number 0, then the name x
        digits = "01234567" if text[i] == "0" else _DIGITS
        while i < n and text[i] in digits:
            i += 1
        return i

    @staticmethod
    def _number(written: str) -> int:
        if written[:2] in ("0x", "0X"):
            value = int(written[2:], 16)
        elif written.startswith("0"):
            value = int(written, 8)
        else:
            value = int(written)
        return min(value, _INTMAX)  # strtoimax: too large a number is read as the largest

    def _unknown(self, at: int) -> _Token:
        self.pos = len(self.text)
        return _Token(_UNKNOWN_TOKEN, at)

    @staticmethod
    def kind(token: _Token) -> int:
        if token.kind == _UNKNOWN_TOKEN:
            raise _Unknown
        return token.kind

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Unknown

    # --- arith_yacc.c
    def do_binop(self, op: int, a: _Value, b: _Value, at: int, noeval: bool | None) -> _Value:
        """dash's do_binop where it may run (``noeval`` False; None: it may not, and fails in no certainty)."""
        if noeval is True:
            return None
        if op not in (_DIV, _REM):
            return _computed(op, a, b)
        value, failure = _divided(op, a, b)
        if failure is not None and noeval is False:
            raise _Stop(failure, at, crash=failure == "Floating point exception")
        return value

    def primary(self, token: _Token, op: _Token, noeval: bool | None) -> _Value:
        self._enter()
        try:
            while True:
                kind = self.kind(token)
                if kind == _LPAREN:
                    result = self.assignment(op, noeval)
                    if self.kind(self.last) != _RPAREN:
                        raise _Stop("expecting ')'", self.last.at)
                    self.last = self.lex()
                    return result
                if kind == _NUM:
                    self.last = op
                    return None if token.value is None else frozenset((token.value,))
                if kind == _VAR:
                    self.last = op
                    return None if noeval is True else self.known.get(token.name)
                if kind == _ADD:
                    token, op = op, self.lex()
                    continue
                if kind in (_SUB, _NOT, _BNOT):
                    value = self.primary(op, self.lex(), noeval)
                    if value is None:
                        return _BOOLEAN if kind == _NOT else None
                    if kind == _NOT:
                        return frozenset(int(not x) for x in value)
                    return frozenset(_wrap(-x) if kind == _SUB else ~x for x in value)
                raise _Stop("expecting primary", token.at)
        finally:
            self.depth -= 1

    def binop2(self, a: _Value, op: _Token, prec: int, noeval: bool | None) -> _Value:
        self._enter()
        try:
            while True:
                token = self.lex()
                b = self.primary(token, self.lex(), noeval)
                op2 = self.kind(self.last)
                if _BINOP_MIN <= op2 < _BINOP_MAX and _PRECEDENCE[op2] < _PRECEDENCE[op.kind]:
                    b = self.binop2(b, self.last, _PRECEDENCE[op.kind], noeval)
                    op2 = self.kind(self.last)
                a = b if noeval is True else self.do_binop(op.kind, a, b, op.at, noeval)
                if not _BINOP_MIN <= op2 < _BINOP_MAX or _PRECEDENCE[op2] >= prec:
                    return a
                op = self.last
        finally:
            self.depth -= 1

    def binop(self, token: _Token, op: _Token, noeval: bool | None) -> _Value:
        a = self.primary(token, op, noeval)
        kind = self.kind(self.last)
        if not _BINOP_MIN <= kind < _BINOP_MAX:
            return a
        return self.binop2(a, self.last, _MAX_PRECEDENCE, noeval)

    def and_(self, token: _Token, op: _Token, noeval: bool | None) -> _Value:
        self._enter()
        try:
            a = self.binop(token, op, noeval)
            if self.kind(self.last) != _AND:
                return a
            token = self.lex()
            truth = _truth(a)
            b = self.and_(token, self.lex(), _either(noeval, None if truth is None else not truth))
            if truth is False:
                return frozenset((0,))
            return _BOOLEAN if truth is None or b is None else frozenset(int(x != 0) for x in b)
        finally:
            self.depth -= 1

    def or_(self, token: _Token, op: _Token, noeval: bool | None) -> _Value:
        self._enter()
        try:
            a = self.and_(token, op, noeval)
            if self.kind(self.last) != _OR:
                return a
            token = self.lex()
            truth = _truth(a)
            b = self.or_(token, self.lex(), _either(noeval, truth))
            if truth is True:
                return frozenset((1,))
            return _BOOLEAN if truth is None or b is None else frozenset(int(x != 0) for x in b)
        finally:
            self.depth -= 1

    def cond(self, token: _Token, op: _Token, noeval: bool | None) -> _Value:
        self._enter()
        try:
            a = self.or_(token, op, noeval)
            if self.kind(self.last) != _QMARK:
                return a
            truth = _truth(a)
            b = self.assignment(self.lex(), _either(noeval, None if truth is None else not truth))
            if self.kind(self.last) != _COLON:
                raise _Stop("expecting ':'", self.last.at)
            token = self.lex()
            c = self.cond(token, self.lex(), _either(noeval, truth))
            return _union(b, c) if truth is None else b if truth else c
        finally:
            self.depth -= 1

    def assignment(self, var: _Token, noeval: bool | None) -> _Value:
        self._enter()
        try:
            op = self.lex()
            if self.kind(var) != _VAR:
                return self.cond(var, op, noeval)
            kind = self.kind(op)
            if kind != _ASS and not _ASS_MIN <= kind < _ASS_MAX:
                return self.cond(var, op, noeval)
            result = self.assignment(self.lex(), noeval)
            if noeval is True:
                return result
            if kind != _ASS:
                result = self.do_binop(kind - 11, self.known.get(var.name), result, op.at, noeval)
            # where it may not run (noeval None), the variable holds what it held or what it is given
            self.known[var.name] = result if noeval is False else _union(self.known.get(var.name), result)
            return result
        finally:
            self.depth -= 1


def fault(expression: str) -> Fault | None:
    """Where dash stops evaluating ``expression``, the text of a ``$((...))`` (each substitution's text in it
    written as one :data:`UNKNOWN`), whatever its variables and substitutions hold; None when it may evaluate it
    (or it nests deeper than :data:`MAX_DEPTH`)."""
    reader = _Reader(expression)
    try:
        reader.assignment(reader.lex(), False)
        if reader.kind(reader.last) != _EOF:
            raise _Stop("expecting EOF", reader.last.at)
    except _Stop as stop:
        return stop.fault
    except _Unknown:
        return _after_substitutions(expression)
    return None


# The tokens an operand ends with, and those it starts with (a sign, a negation, a parenthesis)
_OPERAND_END = frozenset((_NUM, _VAR, _RPAREN))
_OPERAND_START = frozenset((_NUM, _VAR, _LPAREN, _ADD, _SUB, _NOT, _BNOT))
_ASSIGNING = frozenset((_ASS, *range(_ASS_MIN, _ASS_MAX)))
# What comes after an operand: an operator of two operands, ?:, ")" or the end (an assignment's after a name)
_AFTER_OPERAND = frozenset((*range(_BINOP_MIN, _BINOP_MAX), _AND, _OR, _QMARK, _COLON, _RPAREN, _EOF))
# The characters no text before them makes part of a token (a substitution's text ending in "<" makes "<<")
_NEVER_GLUED = frozenset("()~?:!")


def _determined(expression: str) -> list[_Token | None]:
    """The tokens of ``expression``, each None where a substitution's text stands or may change it: its own, one
    glued to it after (up to a blank, but for a parenthesis, ~ ? : !) or before (a number, a name, an operator it
    may make longer); then the end."""
    out: list[_Token | None] = []
    start = -1  # the substitution before the text read: none at first
    while True:
        end = expression.find(UNKNOWN, start + 1)
        segment = expression[start + 1 : end if end >= 0 else len(expression)]
        skip = 0
        if start >= 0 and segment[:1] not in ("", " ", "\t", "\n") and segment[0] not in _NEVER_GLUED:
            blank = min((k for k in (segment.find(b) for b in _BLANKS) if k >= 0), default=len(segment))
            skip = blank  # glued to the text before: up to a blank, no token known
        reader = _Reader(segment)
        reader.pos = skip
        while (token := reader.lex()).kind != _EOF:
            last_glued = end >= 0 and reader.pos == len(segment)
            extendable = token.kind in (_NUM, _VAR) or segment[token.at : reader.pos] in _EXTENDABLE
            if token.kind == _BAD:
                reader.pos = token.at + 1  # read on: a fault told at it
            out.append(None if last_glued and extendable else _Token(token.kind, token.at + start + 1))
        if end < 0:
            out.append(_Token(_EOF, len(expression)))
            return out
        out.append(None)
        start = end


def _after_substitutions(expression: str) -> Fault | None:
    """For :func:`fault`, where dash read ``expression`` up to a substitution: the first fault after it that no
    text of a substitution saves (an operand right after another, an operator without its operand, a ? without
    its :), in dash's words where each substitution's text is a number; None when there is none."""
    if UNKNOWN not in expression:
        return None  # nested deeper than MAX_DEPTH
    tokens = _determined(expression)
    found: list[Fault | None] = []
    opened: list[int] = []  # the ( and ? open, as dash reads them where each substitution's text is a number
    for before, prev, token in zip([None, None, *tokens], [None, *tokens], tokens, strict=False):
        if prev is not None and prev.kind in (_LPAREN, _QMARK):
            opened.append(prev.kind)
        elif prev is not None and prev.kind in (_RPAREN, _COLON) and opened:
            opened.pop()
        if prev is None or token is None or prev.kind == _BAD:
            continue
        if prev.kind not in _OPERAND_END:
            if token.kind not in _OPERAND_START:
                found.append(Fault("expecting primary", token.at, after_substitution=True))
                break
        elif token.kind in _ASSIGNING:
            # only a name a parenthesis, a ? or another assignment starts is assigned (1 + a = 2 is refused)
            if prev.kind != _VAR or (before is not None and before.kind not in {_LPAREN, _QMARK, *_ASSIGNING}):
                found.append(Fault("expecting EOF", token.at, after_substitution=True))
                break
        elif token.kind not in _AFTER_OPERAND:
            says = {_LPAREN: "expecting ')'", _QMARK: "expecting ':'"}.get(opened[-1] if opened else _EOF)
            found.append(Fault(says or "expecting EOF", token.at, after_substitution=True))
            break
    last = expression.rstrip(_BLANKS)[-1:]
    if last in _OPERATOR_CHARACTERS and last != ")":
        # the text ends with an operator, whatever a substitution glued before it makes of it ($x- is "-" or "--")
        found.append(Fault("expecting primary", len(expression), after_substitution=True))
    found.append(_open_question(tokens))  # at the same place as another, the other is met first
    return min((f for f in found if f is not None), key=lambda f: f.at, default=None)


def _open_question(tokens: list[_Token | None]) -> Fault | None:
    """The first ")" or end after the last substitution that comes with a ? of its parenthesis (or of none) still
    without its :, where dash says "expecting ':'"."""
    last = max(i for i, token in enumerate(tokens) if token is None)
    open_questions = [0]  # of each parenthesis opened after the last substitution, and of the text around
    for token in tokens[last + 1 :]:
        assert token is not None
        if token.kind == _LPAREN:
            open_questions.append(0)
        elif token.kind == _QMARK:
            open_questions[-1] += 1
        elif token.kind == _COLON and open_questions[-1]:
            open_questions[-1] -= 1
        elif token.kind in (_RPAREN, _EOF):
            if open_questions[-1]:
                return Fault("expecting ':'", token.at, after_substitution=True)
            if len(open_questions) > 1:
                open_questions.pop()
    return None

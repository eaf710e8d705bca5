"""pic/sharith.py against dash itself: an arithmetic expression is refused exactly when dash, run, refuses it
whatever its variables hold."""

from __future__ import annotations

import itertools
import random
import subprocess

import pytest

from pic import cron, sharith
from tests.conftest import require_program

# Tokens of dash's arithmetic, of bash's, and characters of neither; written glued or apart, any two can make
# another token ("<" "=" is "<=", "0" "8" is "08").
PIECES = [
    *("1", "0", "7", "08", "010", "0x1f", "0x", "9999999999999999999999", "a", "b", "a1"),
    *("(", ")", "+", "-", "*", "/", "%", "<<", ">>", "<", "<=", ">", "==", "!=", "&", "^", "|"),
    *("&&", "||", "?", ":", "=", "+=", "/=", "%=", "<<=", "!", "~", "**", ",", "@", "#", "."),
]
# The variables' values each expression is run with: a verdict that depends on them is no fault.
ENVIRONMENTS = [
    {},
    {"a": "0", "b": "0", "a1": "0"},
    {"a": "3", "b": "-2", "a1": "5"},
    {"a": "-9223372036854775807", "b": "1", "a1": "-1"},
]


def _expressions() -> list[str]:
    pairs = [a + glue + b for a, b in itertools.product(PIECES, repeat=2) for glue in ("", " ")]
    draw = random.Random(20261204)
    longer = [
        "".join(draw.choice(PIECES) + draw.choice(("", " ", " ")) for _ in range(draw.randint(3, 9)))
        for _ in range(2500)
    ]
    grown = [_grown(draw, 4) for _ in range(1500)]
    return [*PIECES, "", " ", *pairs, *longer, *grown, *(_mutated(draw, e) for e in grown)]


def _grown(draw: random.Random, depth: int) -> str:
    """An expression of dash's grammar: parentheses, ?:, &&, ||, assignments and divisions among them."""
    if depth <= 0 or draw.random() < 0.25:
        return draw.choice(["0", "1", "2", "010", "0x1f", "a", "b", "9223372036854775807", "-1"])
    form = draw.randrange(5)
    if form == 0:
        return draw.choice(["-", "!", "~", "+", "- "]) + _grown(draw, depth - 1)
    if form == 1:
        return "(" + _grown(draw, depth - 1) + ")"
    if form == 2:
        parts = [_grown(draw, depth - 1) for _ in range(3)]
        return f"{parts[0]} ? {parts[1]} : {parts[2]}"
    if form == 3:
        op = draw.choice(["=", "+=", "/=", "%=", "<<=", "*="])
        return f"({draw.choice('ab')} {op} {_grown(draw, depth - 1)})"
    op = draw.choice(["*", "/", "%", "+", "-", "<<", ">>", "<", ">=", "==", "!=", "&", "^", "|", "&&", "||"])
    return f"{_grown(draw, depth - 1)} {op} {_grown(draw, depth - 1)}"


def _mutated(draw: random.Random, expression: str) -> str:
    """``expression`` with one of its tokens (split at blanks) dropped, doubled or replaced by a piece."""
    words = expression.split(" ")
    at = draw.randrange(len(words))
    change = draw.randrange(3)
    if change == 0:
        del words[at]
    elif change == 1:
        words.insert(at, words[at])
    else:
        words[at] = draw.choice(PIECES)
    return " ".join(words)


def _dash_runs(expressions: list[str], env: dict[str, str]) -> list[tuple[int, str]]:
    """Each expression's $((...)) run by dash in a subshell of its own: its exit status and its error."""
    script = "".join(f"( eval 'echo $(({e}))' ) 2>&1; echo \"@@$?\"\n" for e in expressions)
    ran = subprocess.run([require_program("dash")], input=script, capture_output=True, text=True, check=False, env=env)
    out: list[tuple[int, str]] = []
    said: list[str] = []
    for line in ran.stdout.splitlines():
        if line.startswith("@@"):
            out.append((int(line[2:]), "\n".join(said)))
            said = []
        else:
            said.append(line)
    assert len(out) == len(expressions), ran.stderr
    return out


@pytest.mark.daemon
def test_an_expression_is_refused_exactly_when_dash_refuses_it_whatever_its_variables_hold() -> None:
    """Every expression of one or two pieces, 2,500 longer ones, 1,500 of dash's grammar and each of them changed
    by a token, run by dash with four sets of values: sharith.fault tells a fault exactly when dash refuses it in
    every one, in the words dash says where no variable's value stops it before; it takes it when dash evaluates it
    in one, or divides by a value its variables make 0 in each (values are not related: b % -b is taken). dash -n's
    own syntax errors (a parenthesis never closed) are not its concern (pic.shsyntax, cron.unclosed)."""
    expressions = [e for e in _expressions() if "'" not in e]
    runs = [_dash_runs(expressions, env) for env in ENVIRONMENTS]
    differ: list[tuple[str, object, list[tuple[int, str]]]] = []
    for index, expression in enumerate(expressions):
        results = [run[index] for run in runs]
        if any("Syntax error" in said for _, said in results):
            continue  # "Missing '))'", ")" unexpected: the command is not read (pic.shsyntax, cron.unclosed)
        found = sharith.fault(expression)
        if found is None:
            # taken: dash evaluates it in some environment, or it divides by what its variables' values make 0 in
            # each (a /= (-1 == b) but for b = -1; b % -b, which no value saves, is taken: values are not related)
            if all(status != 0 for status, _ in results) and not all(
                "arithmetic expression: division by zero" in said for _, said in results
            ):
                differ.append((expression, "taken", results))
        elif found.crash:
            if not all(status == 136 for status, _ in results):
                differ.append((expression, found, results))
        elif not all(
            (status != 0 and f"arithmetic expression: {found.says}: " in said) or "division by zero" in said
            for status, said in results
        ):
            # dash may stop earlier on a variable's value, dividing by it (b % a1 % )): refused all the same
            differ.append((expression, found, results))
    assert differ == [], differ[:20]


@pytest.mark.parametrize(
    ("expression", "says", "at"),
    [
        ("1+", "expecting primary", 2),
        ("", "expecting primary", 0),
        ("08", "expecting EOF", 1),  # no octal digit: the number 0, then 8
        ("1 2", "expecting EOF", 2),
        ("a b", "expecting EOF", 2),
        ("1 ? 2", "expecting ':'", 5),
        ("(1 2)", "expecting ')'", 3),
        ("1/0", "division by zero", 1),
        ("a % (2 - 2)", "division by zero", 2),
        ("(n = 0) + 1 / n", "division by zero", 12),  # a value the expression gives
        ("x /= 0", "division by zero", 2),
        ("1 / (a * 0)", "division by zero", 2),  # 0 whatever a holds
        ("(b %= (010 < b)) + 1 / b", "division by zero", 21),  # b % 0 fails, b % 1 is 0
        ("b / (a %= a % 2)", "division by zero", 2),  # a % 2 is -1, 0 or 1: a % it fails or is 0
        (f"1 2 {sharith.UNKNOWN}", "expecting EOF", 2),  # before a substitution: whatever it holds
    ],
)
def test_a_fault_is_told_with_dash_s_words_and_where(expression: str, says: str, at: int) -> None:
    assert sharith.fault(expression) == sharith.Fault(says, at)


@pytest.mark.parametrize(
    "expression",
    [
        "1/a",  # a's value decides
        "0 && 1/0",  # never evaluated: && || ?: skip it
        "1 || 1/0",
        "1 ? 2 : 1/0",
        "a ? 1/0 : 2",
        "100 / (a > 3)",  # 0 or 1: a decides
        "a % 2 ? 1 : 1/0",
        "(x = 5 > a) + 1 / (x - 1)",
        "b % -b",  # never another value, but values are not related: taken
        "9999999999999999999999",  # read as 9223372036854775807
        f"1 + {sharith.UNKNOWN}",  # a substitution may hold the rest
        f"1{sharith.UNKNOWN}",  # or go on a token: 10
        f"1 / 0{sharith.UNKNOWN}",  # 01
        f"{sharith.UNKNOWN} 2",  # a substitution holding "1 +"
        "(" * 500 + "1" + ")" * 500,  # deeper than MAX_DEPTH: left unread
    ],
)
def test_what_depends_on_a_value_is_taken(expression: str) -> None:
    assert sharith.fault(expression) is None


def test_substitutions_in_an_expression_are_any_text() -> None:
    """In a command: $x, ${x}, $(...), a backquote's, $1, $# stand for any text (dash expands them first)."""
    for command in ("echo $(( $x 2 ))", "echo $(( ${x:-1} + 2 ))", "echo $(( $(echo 1 +) 1 ))", "echo $(( `echo` ))"):
        assert cron.arithmetic_fault(command) is None, command
    assert cron.arithmetic_fault("echo $(( 1 2 $x ))") is not None


@pytest.mark.parametrize(
    ("expression", "says", "at"),
    [
        ("$ +", "expecting primary", 3),  # an operator at the end: no text before it saves it
        ("$-", "expecting primary", 2),  # "-" or, glued to the text, "--" ($x-): an operator all the same
        ("$ * 1.5", "expecting EOF", 5),  # an operand then what is no operator
        ("$ ) 2", "expecting EOF", 4),
        ("$ * * 2", "expecting primary", 4),
        ("$ + a = 2", "expecting EOF", 6),  # a name after + is not assigned
        ("$ ? 1", "expecting ':'", 5),
        ("$ ( 1 ? 2 ) + 1", "expecting ':'", 10),
        ("$ 1 ?", "expecting primary", 5),  # the ? wants its operand before its :
    ],
)
def test_after_a_substitution_what_no_text_saves_is_told(expression: str, says: str, at: int) -> None:
    assert sharith.fault(expression.replace("$", sharith.UNKNOWN)) == sharith.Fault(says, at, after_substitution=True)


@pytest.mark.parametrize(
    "expression",
    ["$ + 1", "$ 1", "$1", "$)", "$ ( a = 2 )", "$ ? 1 : 2", "$ 1 ) + 2", "$ @", "$+ 1", "$ / 0"],
)
def test_after_a_substitution_what_a_text_may_save_is_taken(expression: str) -> None:
    """Taken: "$ 1" (the text "1 +"), "$)" ("(1"), "$ / 0" ("0 &&" skips the division); "$ @", which dash refuses
    whatever the text, in words the text decides, is left taken."""
    assert sharith.fault(expression.replace("$", sharith.UNKNOWN)) is None


# Texts of the substitutions $s and $t (dash expands them first, then reads the expression), each with values of
# the variables a and b.
SUBSTITUTED = ["", "1", "+", "1 +", "(", ")", "(1", "1)", "?", "1 ?", ":", "a", "<", "=", "0x", "2 ) + (3", "- 1"]
SUBSTITUTION_ENVIRONMENTS = [
    {"s": text, "t": SUBSTITUTED[(i * 7 + 3) % len(SUBSTITUTED)], "a": "2013"[i % 4], "b": "-1" if i % 3 else "5"}
    for i, text in enumerate(SUBSTITUTED)
]


@pytest.mark.daemon
def test_an_expression_with_substitutions_is_refused_only_when_dash_refuses_it_whatever_they_hold() -> None:
    """2,000 expressions holding $s, $t or ${s} (random pieces, and expressions of dash's grammar, as they are and
    changed by a token), run by dash with 17 texts of each: what cron.arithmetic_fault refuses, dash refuses with
    each text (in the words told where each text is a number, unless it stops before: "1 b"). What it takes, dash
    may refuse with every text tried: after a substitution, only what no text saves is told."""
    draw = random.Random(5)
    pieces = [*PIECES, "$s", "$t", "${s}"]
    expressions: set[str] = set()
    while len(expressions) < 1000:
        written = "".join(draw.choice(pieces) + draw.choice(("", " ", " ")) for _ in range(draw.randint(2, 6)))
        if "$" in written and "#" not in written:
            expressions.add(written)
    for grown in (_grown(draw, 3) for _ in range(500)):
        words = grown.split(" ")
        words.insert(draw.randrange(len(words) + 1), draw.choice(["$s", "$t"]))
        expressions.update((" ".join(words), _mutated(draw, " ".join(words))))
    ordered = sorted(expressions)
    runs = [_dash_runs(ordered, env) for env in SUBSTITUTION_ENVIRONMENTS]
    refused, differ = 0, []
    for index, expression in enumerate(ordered):
        results = [run[index] for run in runs]
        if any("Syntax error" in said for _, said in results):
            continue
        found = cron.arithmetic_fault(f"echo $(({expression}))")
        if found is None:
            continue
        refused += 1
        if any(status == 0 for status, _ in results):
            differ.append((expression, found, results))
    assert differ == [], differ[:10]
    assert refused > 500

"""A YAML slip in a member's or the stack's file is told with its column, the character at fault and what to write,
never in the parser's own words (libyaml's), which name neither."""

from __future__ import annotations

import pytest

from pic.yamlsrc import parse_yaml

# libyaml's problem texts an admin meets: none may reach a message as it stands
RAW = (
    "found unknown escape character",
    "did not find expected hexdecimal number",
    "found invalid Unicode character escape code",
    "block sequence entries are not allowed",
    "did not find expected node content",
    "found an indentation indicator equal to 0",
    "did not find expected comment or line break",
    "did not find expected <document start>",
    "found unknown directive name",
    "found duplicate",
    "found undefined tag handle",
    "did not find the expected '>'",
    "found undefined alias",
    "mapping keys are not allowed",
    "that cannot start any token",
)


def _one(text: str, file: str = "members/case-member.yaml") -> str:
    doc, problems = parse_yaml(text, file)
    assert doc is None
    [problem] = problems
    message = str(problem)
    assert not any(raw in message for raw in RAW), message
    return message


@pytest.mark.parametrize(
    ("text", "escape", "column"),
    [
        ('notes: "Sauvegardes dans C:\\temp\\site"\n', "\\s", 33),
        ('notes: "Sauvegardes dans C:\\Users\\Marie"\n', "\\U", 28),
        ('notes: "prix: 5\\€"\n', "\\€", 16),
        ('notes: "x\\xZZ"\n', "\\x", 10),
        ('notes: "a\\u12 b"\n', "\\u", 10),
        ('notes: "a\\uD800"\n', "\\uD800", 10),
    ],
)
def test_a_backslash_in_double_quotes_names_the_escape_and_the_two_ways_to_write_it(
    text: str, escape: str, column: int
) -> None:
    message = _one("name: x\n" + text)
    assert message.startswith("members/case-member.yaml:2 invalid YAML: "), message
    assert f"{escape} (column {column})" in message, message
    assert "single quotes" in message, message
    assert "double" in message.split("single quotes", 1)[1], message


def test_the_stack_file_is_told_the_same() -> None:
    message = _one('config:\n  pic:members_root: "/srv/\\$HOME"\n', "Pulumi.prod.yaml")
    assert message.startswith("Pulumi.prod.yaml:2 invalid YAML: "), message
    assert "\\$ (column 27)" in message, message


@pytest.mark.parametrize("text", ['db_password: "Lilas2024x\\q"\n', "name: x\n%Lilas2024x\n"])
def test_the_rest_of_the_line_is_not_shown(text: str) -> None:
    message = _one(text)
    assert "Lilas2024x" not in message, message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("name: x\nnotes: - x\n", 2, "'- ' (column 8)"),
        ("name: x\nnotes: ]\n", 2, "']' (column 8)"),
        ("name: x\nnotes: }\n", 2, "'}' (column 8)"),
        ("name: x\nnotes: ,x\n", 2, "',' (column 8)"),
        ("name: x\nnotes: [b, - c]\n", 2, "'-' (column 12)"),
        ("name: x\nnotes: |0\n x\n", 2, "|0"),
        ("name: x\nnotes: >x\n a\n", 2, "'x' (column 9)"),
        ("name: x\n%YAML 1.2\nnotes: x\n", 2, "%YAML"),
        ("%FOO\n---\nname: x\n", 1, "'%' (column 1)"),
        ("%YAML 1.1\n%YAML 1.1\n---\nname: x\n", 2, "%YAML"),
        ("name: x\nnotes: !x!y 1\n", 2, "'!' (column 8)"),
        ("name: x\nnotes: !<x\n", 2, "'!' (column 8)"),
        ("name: x\nnotes: *x\n", 2, "'*' (column 8)"),
        ("name: x\nnotes: ? x\n", 2, "'?' (column 8)"),
        ("name: x\nnotes: @x\n", 2, "'@' (column 8)"),
        ("name: x\nnotes: `x\n", 2, "'`' (column 8)"),
    ],
)
def test_a_yaml_slip_names_its_line_column_and_what_to_write(text: str, line: int, words: str) -> None:
    message = _one(text)
    assert message.startswith(f"members/case-member.yaml:{line} invalid YAML: "), message
    assert words in message, message
    assert ":" in message.removeprefix(f"members/case-member.yaml:{line} invalid YAML: "), message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("name: x\n" + "k" * 1100 + ": 1\nuid: 10600\n", 2),
        ("name: x\nsite:\n  " + "k" * 1100 + ": 1\n  php: none\n", 3),
        ("name: x\nsite:\n  php: none\n  " + "k" * 1100 + ": 1\n", 4),
        ("name: x\n'" + "k" * 1100 + "': 1\n", 2),
        ('name: x\n"' + "k" * 1100 + '": 1\n', 2),
        ("name: x\ncontact: {" + "k" * 1100 + ": 1}\n", 2),
        ("name: x\ncron:\n  - " + "k" * 1100 + ": 1\n", 3),
        ("config:\n  pic:hosts:\n    " + "w" * 3000 + ": {role: web}\n", 3),
    ],
)
def test_a_key_longer_than_yaml_reads_is_told_at_its_line_with_its_length(text: str, line: int) -> None:
    """YAML reads a key of 1024 characters at most (a simple key): one longer is no key to it, and libyaml says
    only that it found no ':' (read as text where a key was expected, or as a key glued to its ':' above)."""
    message = _one(text, "members/case-member.yaml")
    assert message.startswith(f"members/case-member.yaml:{line} invalid YAML: "), message
    assert " characters" in message and "1024" in message, message
    assert "k" * 30 not in message and "w" * 30 not in message, message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("name: x\ncontact: {a" + " " * 200_000 + "\n", 2, "never closed"),
        ("name: x\ncron:\n  - a" + "\t" * 200_000 + "x\n:\n", 4, "lines up with no key above it"),
        ("name: x\n" + "k" * 1100 + " " * 200_000 + ": 1\n", 2, "a key of 1100 characters"),
        ("name: x\ncontact: {" + "a b " * 50_000 + "\n", 2, "never closed"),
        ("name: x\n" + "- " * 100_000 + "x\n: :\n", 2, "a list's item where a key was expected"),
    ],
)
def test_a_syntax_error_beside_a_long_run_of_blanks_is_told_in_one_reading(text: str, line: int, words: str) -> None:
    """A file of a quarter of a megabyte holding a run of 200,000 blanks, of words and blanks or of list dashes on the
    line of a syntax error: the look for a key longer than YAML reads takes each character once (a key's blanks read
    again from each of its characters took 22 s for 80,000 blanks, and grew as their square)."""
    message = _one(text, "members/case-member.yaml")
    assert message.startswith(f"members/case-member.yaml:{line} invalid YAML: ") and words in message, message[:300]


@pytest.mark.parametrize(
    ("escape", "words"),
    [
        ("\\uD83D\\uDE00", "\\U0001F600"),
        ("\\ud83d\\ude00", "\\U0001F600"),
        ("\\uD835\\uDC00", "\\U0001D400"),
        ("\\uDB40\\uDC67", "\\U000E0067"),  # a tag character, of a subdivision's flag
    ],
)
def test_a_surrogate_pair_escape_is_told_as_the_escape_yaml_reads(escape: str, words: str) -> None:
    """JSON writes a character beyond U+FFFF as two \\u escapes (a surrogate pair), which YAML refuses: the message
    said to put the value in single quotes, where the escapes would be kept as text; it gives the escape YAML reads
    (\\U and eight digits)."""
    message = _one(f'name: x\nnotes: "Fête {escape}"\n')
    assert message.startswith("members/case-member.yaml:2 invalid YAML: "), message
    assert words in message and "single quotes" not in message, message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("name: x\n" + "k" * 1100 + ":1\n", 2),
        ("name: x\n" + "k" * 1100 + ":/srv\nuid: 10600\n", 2),
        ("name: x\nsite:\n  " + "k" * 1100 + ":/srv\n  php: none\n", 3),
    ],
)
def test_a_key_longer_than_yaml_reads_glued_to_its_value_is_told_as_too_long(text: str, line: int) -> None:
    """A key of 1100 characters glued to its value (key:value) was told to take a space after its ':', the key shown,
    a fix still refused (the key then too long): its length is told, the key not shown."""
    message = _one(text)
    assert message.startswith(f"members/case-member.yaml:{line} invalid YAML: "), message
    assert "a key of 1100 characters" in message and "space after" not in message, message
    assert "k" * 30 not in message, message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("name: x\nnotes: [a,\n", 2),
        ("name: x\nnotes: [\n", 2),
        ("name: x\ncontact: {name: b,\n", 2),
        ("name: x\nnotes: [a,\n  b,\n\n", 2),
        ("name: x\nnotes: [a, [b],\n", 2),
        ('name: x\nnotes: "[a"\ndatabases: [a,\n  [b,\n', 4),
        ("name: x\nnotes: [a ," + "b ," * 80_000 + "\n", 2),
    ],
)
def test_a_flow_never_closed_at_the_end_of_the_file_is_told_at_its_opening_line(text: str, line: int) -> None:
    """A '[' or '{' left open by an item's ',' when the file ends was told at a line past the end, as '' that
    cannot start a value: it is told at the line of the bracket never closed."""
    message = _one(text)
    assert message.startswith(f"members/case-member.yaml:{line} invalid YAML: "), message[:300]
    assert "never closed" in message and "''" not in message, message[:300]


@pytest.mark.parametrize(
    ("escape", "words"),
    [
        ("\\uDBFF\\uDFFF", "U+10FFFF"),
        ("\\uDB80\\uDC00", "U+F0000"),
        ("\\uD83F\\uDFFE", "U+1FFFE"),
        ("\\uDB40\\uDC01", "U+E0001"),
    ],
)
def test_a_surrogate_pair_escape_of_a_character_refused_offers_no_escape(escape: str, words: str) -> None:
    """A surrogate pair of a character no text may hold (private use, unassigned, a language tag) was told to be
    written as its \\U escape, which the check of the field then refused: it is told as refused, to remove."""
    message = _one(f'name: x\nnotes: "Fête {escape}"\n')
    assert message.startswith("members/case-member.yaml:2 invalid YAML: "), message
    assert words in message and "\\U0" not in message and "remove" in message, message


def test_the_first_letters_a_boolean_shaped_text_is_looked_for_by_are_all_that_lower_to_them() -> None:
    """The walk lowers a plain text to tell a boolean in another case (tRue) only when it starts with one of
    ``_BOOLEAN_START``: every character whose lowercase starts as a boolean word does is one of them."""
    from pic.yamlsrc import _BOOLEAN_SHAPED, _BOOLEAN_START

    firsts = {word[0] for word in _BOOLEAN_SHAPED}
    lowering = {chr(c) for c in range(0x110000) if chr(c).lower()[:1] in firsts}
    assert lowering == set(_BOOLEAN_START), sorted(lowering ^ set(_BOOLEAN_START))


def test_the_aliases_not_shown_are_counted_after_those_shown_at_the_first_ones_line() -> None:
    """A file of more aliases than are told had its count ("uses 2 more alias(es), not shown") first, at no line,
    before the aliases it followed; it comes last, at the line of the first it counts, as every count of problems
    not shown (pic.yamlsrc's own of a kind, pic.diskusage's)."""
    from pic.errors import PicError

    text = (
        "notes: hello\nname: &n Case\nexceptions:\n  php_eol:\n    until: 2027-01-01\n    reason: *n\n"
        "    runtime: *n\ncron:\n  - schedule: hourly\n    command: *n\n  - schedule: *n\n    command: *n\n"
    )
    doc, problems = parse_yaml(text, "members/case-member.yaml")
    assert doc is None
    told = [str(p) for p in PicError(problems).problems]
    aliases = [line for line in told if "alias" in line and "anchor" not in line]
    assert aliases == [
        "members/case-member.yaml:6 exceptions.php_eol.reason: uses an alias (*name): write the value out instead "
        "(aliases are not allowed)",
        "members/case-member.yaml:7 exceptions.php_eol.runtime: uses an alias (*name): write the value out instead "
        "(aliases are not allowed)",
        "members/case-member.yaml:10 cron[0].command: uses an alias (*name): write the value out instead "
        "(aliases are not allowed)",
        "members/case-member.yaml:11 and 2 more alias(es) from this line on, not shown",
    ], told

"""Values from outside the program (a revision's name, a member's file, a setting, a file's contents) written into
the plan's Markdown so that the pull request's comment shows them as they are and nothing else: no HTML, no
emphasis or link, no heading or table cell broken, no code span or code block closed early (CommonMark 0.31,
GitHub Flavored Markdown tables).

- :func:`code`: a value as one code span, its control characters written as escapes (a code span never spans two
  paragraphs: a blank line in it would end it, and what follows would be read as Markdown, HTML included).
- :func:`text`: a value in running text, every character that could start Markdown or HTML escaped.
- :func:`prose`: a sentence of the plan that holds values, its code spans kept and the rest escaped as text.
- :func:`cell`: any of these in a table cell, whose ``|`` ends the cell even inside a code span.
- :func:`fenced`: lines as a code block whose fence no line can close.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Characters that may start inline Markdown or HTML anywhere in a line (emphasis, links and images, autolinks and
# HTML, entities, strikethrough, escapes; ``_`` but between two letters or digits, where it opens and closes
# nothing), and at a line's start a block (heading, list, quote, rule). A table cell's ``|``: :func:`cell`.
_SPECIAL = re.compile(r"[\\*\[\]<&~]|(?<!\w)_|_(?!\w)")
_BLOCK = re.compile(r"^(?:[#+=>-]|\d+(?=[.)]))")
_TICKS = re.compile(r"`+")


def visible(value: str, *, tabs: bool = False) -> str:
    """``value`` with its control characters (newlines, tabs unless ``tabs``, ...) written as escapes, on one
    line."""
    return _CONTROL.sub(
        lambda m: m.group() if tabs and m.group() == "\t" else _NAMED.get(m.group(), f"\\u{ord(m.group()):04x}"), value
    )


def code(value: str) -> str:
    """``value`` as a Markdown code span, whatever backticks and control characters it holds."""
    value = visible(value)
    fence = "`" * (max((len(m) for m in _TICKS.findall(value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") or (value.strip(" ") == "" and value) else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def text(value: str) -> str:
    """``value`` in running text: shown as it is, read as nothing but text."""
    return _plain(visible(value))


def prose(sentence: str) -> str:
    """A sentence of the plan (notes and advice, written for text and Markdown alike, with commands and settings
    in backticks) that holds values from outside: its code spans kept as they are (HTML is inert in one), the text
    between them escaped. Spans are found as CommonMark finds them (a run of backticks closed by the next run of
    the same length), so a value holding backticks changes which text is escaped exactly as it changes how the
    comment is read."""
    sentence = visible(sentence)
    out: list[str] = []
    pos = 0
    at = 0
    while True:
        opening = _TICKS.search(sentence, at)
        if opening is None:
            break
        closing = next(
            (m for m in _TICKS.finditer(sentence, opening.end()) if len(m.group()) == len(opening.group())), None
        )
        if closing is None:  # no span: these backticks are text, escaped as such
            at = opening.end()
            continue
        out.append(_plain(sentence[pos : opening.start()], first=pos == 0))
        out.append(sentence[opening.start() : closing.end()])
        pos = at = closing.end()
    out.append(_plain(sentence[pos:], first=pos == 0))
    return "".join(out)


def _plain(value: str, *, first: bool = True) -> str:
    """Text escaped: its special characters and backticks, and what would open a block at its start."""
    value = _SPECIAL.sub(lambda m: "\\" + m.group(), value).replace("`", "\\`")
    if not first:
        return value
    return _BLOCK.sub(lambda m: m.group() + "\\" if m.group().isdigit() else "\\" + m.group(), value)


def cell(value: str) -> str:
    """Markdown (escaped already by the functions above) inside a table cell: its pipes escaped, which GitHub
    requires even inside a code span; a ``\\|`` escaped already stays one."""
    return re.sub(r"(?<!\\)((?:\\\\)*)\|", r"\1\\|", value)


def fenced(lines: list[str], info: str = "") -> list[str]:
    """``lines`` as a fenced code block whose fence is longer than any run of backticks in them: no line closes it
    (a closing fence is a run of backticks at least as long as the opening one, CommonMark 4.5)."""
    longest = max((len(m) for line in lines for m in _TICKS.findall(line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", *(visible(line, tabs=True) for line in lines), fence]

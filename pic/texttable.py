"""Tables of text for a terminal: columns aligned by the width each character takes on screen."""

from __future__ import annotations

from wcwidth import wcswidth, wcwidth

from pic.errors import terminal_safe


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes (wcwidth, from Unicode's East Asian Width and zero-width
    properties): two for a wide character (CJK: ``山``), none for a combining mark (the accent of ``é`` written
    e + U+0301) or a zero-width one, one for the others; a control character or another the output writes escaped
    (:func:`pic.errors.terminal_safe`: a header a server sent, ``8.4\x1b]0;x``) as many as its escape, ``\x1b``."""
    if text.isascii() and text.isprintable():
        return len(text)
    text = terminal_safe(text)
    width = wcswidth(text)
    return width if width >= 0 else sum(1 if (w := wcwidth(ch)) < 0 else w for ch in text)


def table(rows: list[list[str]]) -> list[str]:
    """The rows with their cells padded to the widest of each column, two spaces between, by screen width."""
    widths = [max(columns(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell + " " * (w - columns(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]

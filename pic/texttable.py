"""Tables of text for a terminal: columns aligned by the width each character takes on screen."""

from __future__ import annotations

import unicodedata


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes: two for a wide character (CJK: ``山``), none for a combining
    mark (the accent of ``é`` written e + U+0301), one for the others."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def table(rows: list[list[str]]) -> list[str]:
    """The rows with their cells padded to the widest of each column, two spaces between, by screen width."""
    widths = [max(columns(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell + " " * (w - columns(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]

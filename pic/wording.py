"""Small words a message puts before words it makes up: the indefinite article.

Standard library only, and no import of the project's: any module may use it.
"""

from __future__ import annotations

import re

# A number whose spoken form starts with a vowel's sound: eight, eighty, eight hundred; eleven, eighteen (alone or
# before thousands: eleven thousand, eighteen million), as its first group of three digits is read
_VOWEL_NUMBER = re.compile(r"8[0-9]*|1[18](?:[0-9]{3})*")
# Words written with a vowel that sounds as a consonant (a unit, a user, a one-time, a UTF-8 name)
_CONSONANT_SOUND = re.compile(r"(?:uni|use|usu|uti|utf|ure|one|once|eu)", re.IGNORECASE)


def a_or_an(word: str) -> str:
    """``an`` before ``word`` when said it starts with a vowel's sound (``an octal``, ``an 8192-bit``, ``an
    18432-bit``), else ``a`` (``a hexadecimal``, ``a 2048-bit``, ``a unit``): English's rule, by the word's
    spelling or, for a number, by how its first digits are said."""
    digits = re.match(r"[0-9]+", word)
    if digits is not None:
        return "an" if _VOWEL_NUMBER.fullmatch(digits.group()) else "a"
    if _CONSONANT_SOUND.match(word):
        return "a"
    return "an" if word[:1].lower() in ("a", "e", "i", "o", "u") else "a"

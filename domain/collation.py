"""Vietnamese alphabetical order: Đ after D, Ă and Â after A, tones after the bare letter.

Pure Python, so no C library (ICU) is needed where the bot runs. It follows the dictionary
order: letters first (a ă â b c d đ e ê … o ô ơ … u ư …), then, only where the letters are
the same, tones in the order ngang, huyền, hỏi, ngã, sắc, nặng, then case.
"""

from __future__ import annotations

import functools
import sys
import unicodedata
from collections.abc import Iterable

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET, start=1)}
# Combining marks that make another letter of the alphabet rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# Tones as combining marks, in dictionary order after the level tone (ngang, 0).
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Digits and spaces come before letters; anything else after them, by code point.
_SPACE_RANK = 0
_DIGIT_BASE = 1
_OTHER_BASE = 100

# Each letter's rank, tone and case as one character of a string: strings compare as the tuples of
# those numbers would, and str.translate builds them in C.
SortKey = tuple[str, str, str, str]
# Characters whose spellings are remembered; text from anywhere could otherwise fill the tables.
_REMEMBERED_CHARS = 10_000


def _letters(text: str) -> list[tuple[str, int, bool]]:
    """Split text into (letter with its letter marks, tone, upper case) triples."""
    result: list[tuple[str, int, bool]] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and result:
            base, tone, upper = result[-1]
            if char in _TONE_RANK:
                result[-1] = (base, _TONE_RANK[char], upper)
            elif char in _LETTER_MARKS:
                result[-1] = (base + char, tone, upper)
            continue
        result.append((char.lower(), 0, char.isupper()))
    return [(unicodedata.normalize("NFC", base), tone, upper) for base, tone, upper in result]


def _rank(letter: str) -> int:
    """Return a letter's place: space, then digits, then the alphabet, then anything else."""
    if letter.isspace():
        return _SPACE_RANK
    if letter.isdecimal() and len(letter) == 1 and letter.isascii():
        return _DIGIT_BASE + int(letter)
    if letter in _LETTER_RANK:
        return _DIGIT_BASE + 10 + _LETTER_RANK[letter]
    return _OTHER_BASE + len(_ALPHABET) + ord(letter[0])


@functools.lru_cache(maxsize=4096)
def _ranked(char: str) -> tuple[tuple[int, int, int], ...] | None:
    """Return the (rank, tone, upper case) of the letters one character spells; None for a lone mark."""
    # A character whose decomposition starts with a mark would attach it to the letter before.
    if unicodedata.combining(unicodedata.normalize("NFD", char)[0]):
        return None
    return tuple((_rank(base), tone, int(upper)) for base, tone, upper in _letters(char))


class _LoneMark(Exception):
    """A combining mark with no letter of its own before it."""


class _Spelled(dict[int, str]):
    """Characters, as str.translate meets them, mapped to one feature of their letters: rank, tone or case."""

    def __init__(self, feature: int) -> None:
        super().__init__()
        self._feature = feature

    def __missing__(self, code: int) -> str:
        """Spell a character not met before, remembering it while the table has room."""
        ranked = _ranked(chr(code))
        if ranked is None:
            raise _LoneMark
        spelled = _spell(letter[self._feature] for letter in ranked)
        if len(self) < _REMEMBERED_CHARS:
            self[code] = spelled
        return spelled


def _spell(numbers: Iterable[int]) -> str:
    """Return numbers as the characters of those code points, those past Unicode's end as two."""
    # The code stays prefix-free, so strings of it compare as the tuples of numbers would.
    return "".join(
        chr(n) if n < sys.maxunicode else chr(sys.maxunicode) + chr(n - sys.maxunicode) for n in numbers
    )


_RANKS, _TONES, _CASES = _Spelled(0), _Spelled(1), _Spelled(2)


# Rosters are sorted on every update that shows one, mostly the same few thousand names.
@functools.lru_cache(maxsize=4096)
def vietnamese_key(text: str) -> SortKey:
    """Return a key that sorts text in Vietnamese dictionary order."""
    spaced = unicodedata.normalize("NFC", " ".join(text.split()))
    try:
        return spaced.translate(_RANKS), spaced.translate(_TONES), spaced.translate(_CASES), text
    except _LoneMark:
        # A mark that composed with nothing joins the letter before it, as typed.
        letters = [(_rank(base), tone, int(upper)) for base, tone, upper in _letters(spaced)]
        ranks, tones, cases = (_spell(feature) for feature in zip(*letters, strict=True))
        return ranks, tones, cases, text

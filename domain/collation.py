"""Vietnamese alphabetical order: Đ after D, Ă and Â after A, tones after the bare letter.

Pure Python, so no C library (ICU) is needed where the bot runs. It follows the dictionary
order: letters first (a ă â b c d đ e ê … o ô ơ … u ư …), then, only where the letters are
the same, tones in the order ngang, huyền, hỏi, ngã, sắc, nặng, then case.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

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

SortKey = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], str]


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


@lru_cache(maxsize=4096)
def _char_key(char: str) -> tuple[int, int, int] | None:
    """Return one character's rank, tone and case, or None when it may join its neighbour."""
    decomposed = unicodedata.normalize("NFD", char)
    if unicodedata.combining(decomposed[0]):
        return None
    letters = _letters(char)
    if len(letters) != 1:
        return None
    base, tone, upper = letters[0]
    return (_rank(base), tone, int(upper))


def vietnamese_key(text: str) -> SortKey:
    """Return a key that sorts text in Vietnamese dictionary order."""
    spaced = " ".join(text.split())
    # Most text is letters that each stand alone, whose keys are kept; a combining mark makes the
    # text be read whole, the mark joining the letter before it.
    keys = [_char_key(char) for char in spaced]
    if None in keys:
        letters = _letters(spaced)
        return (
            tuple(_rank(base) for base, _, _ in letters),
            tuple(tone for _, tone, _ in letters),
            tuple(int(upper) for _, _, upper in letters),
            text,
        )
    ranks, tones, cases = zip(*keys, strict=True) if keys else ((), (), ())
    return (ranks, tones, cases, text)

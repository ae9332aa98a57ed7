"""Fold what people type so that Vietnamese with or without diacritics compares equal; shorten labels."""

from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    """Lowercase text, strip Vietnamese diacritics (đ included) and collapse whitespace."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    # "đ" is a letter of its own in Unicode, not "d" plus a mark, so NFD leaves it alone.
    return " ".join(bare.replace("đ", "d").split())


ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """Return text within `limit` characters, cut after a whole word and marked with «…».

    A cut inside a word could change what a label says («bù quý III» read as «bù quý II»), so
    the last word that does not fit goes whole.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = text[: limit - len(ELLIPSIS) + 1]
    cut = room.rfind(" ")
    # One word longer than the limit is cut inside; the «…» shows it goes on.
    kept = room[:cut] if cut > 0 else room[: limit - len(ELLIPSIS)]
    return kept.rstrip(" ,;:-–—(") + ELLIPSIS

"""Fold what people type so that Vietnamese with or without diacritics compares equal."""

from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    """Lowercase text, strip Vietnamese diacritics (đ included) and collapse whitespace."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    # "đ" is a letter of its own in Unicode, not "d" plus a mark, so NFD leaves it alone.
    return " ".join(bare.replace("đ", "d").split())

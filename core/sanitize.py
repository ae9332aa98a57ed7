"""Text from a platform, cleaned before anything reads it: no NUL, control characters or lone surrogates."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Well above Telegram's 4,096 per message (a form step says its own, smaller limit, and keeps the
# draft); anything this long comes from a forged or broken client.
MAX_TEXT = 16_000
# The width of a name column (people, accounts).
MAX_NAME = 200
# Line breaks and tabs are how people lay out a list; every other control character is dropped.
_KEPT_CONTROLS = frozenset("\n\t")
# Characters XML 1.0 cannot carry (DOCX and XLSX are XML): one stray character spoils the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Cleaned:
    """A text after cleaning, and whether anything was dropped from it."""

    text: str
    changed: bool


class Refused(ValueError):
    """Text that cannot be cleaned into something safe to store (a lone surrogate, too long)."""


def clean_text(text: str, limit: int = MAX_TEXT) -> Cleaned:
    """Drop NUL and control characters; refuse lone surrogates and text over `limit` characters."""
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise Refused("lone surrogate")
    kept = "".join(ch for ch in text if ch in _KEPT_CONTROLS or unicodedata.category(ch) != "Cc")
    if len(kept) > limit:
        raise Refused("too long")
    return Cleaned(kept, kept != text)


def clean_name(name: str | None) -> str | None:
    """Return a display name safe to store: cleaned, on one line, cut to the column's width."""
    if name is None:
        return None
    kept = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cs"))
    return " ".join(kept.split())[:MAX_NAME] or None


def xml_safe(text: str) -> str:
    """Drop the characters an XML document cannot hold, as old data or a setting may have them."""
    return _NOT_XML.sub("", text)

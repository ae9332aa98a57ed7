"""Refusals: expected answers of «no» that a handler gives by raising, not crashes."""

from __future__ import annotations


class Refusal(Exception):
    """Raised by a handler to refuse a request; the router answers with the text and rolls back."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

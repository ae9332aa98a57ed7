"""What every channel shares: text splitting and options rendered as text."""

from __future__ import annotations

from collections.abc import Callable

from core.messages import Outbound
from texts import channels as t


def utf16_length(text: str) -> int:
    """Count text in UTF-16 code units, as platforms written in Java or JavaScript do: an emoji is two."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int, length: Callable[[str], int] = len) -> list[str]:
    """Split text into chunks of at most `limit` by `length`, on line boundaries when possible."""
    if length(text) <= limit:
        return [text]
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while length(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            fit = _longest_prefix(line, limit, length)
            # Break after a space when one is near the limit, so words stay whole.
            space = line.rfind(" ", 0, fit)
            cut = space + 1 if space > fit // 2 else fit
            chunks.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if length(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current or not chunks:
        chunks.append(current)
    return chunks


def _longest_prefix(line: str, limit: int, length: Callable[[str], int]) -> int:
    """Return how many characters of `line` fit within `limit` (at least one, so splitting ends)."""
    low, high = 1, min(len(line), limit)
    while low < high:
        middle = (low + high + 1) // 2
        if length(line[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def options_as_text(message: Outbound) -> str:
    """Render a message's options as lines a user can answer by number or by label."""
    if not message.options or not message.options_in_text:
        return message.text
    labels = [o.label for o in message.options]
    if message.numbered:
        lines = [f"{n}. {label}" for n, label in enumerate(labels, start=1)]
        return f"{message.text}\n\n" + "\n".join(lines) + f"\n\n{t.answer_by_number(len(labels))}"
    return f"{message.text}\n\n{t.answer_by_word(labels)}"

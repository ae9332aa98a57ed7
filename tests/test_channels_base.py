"""What every channel shares: splitting long text, options as text, secrets out of logs."""

from __future__ import annotations

import logging
import sys

import pytest

from channels.base import options_as_text, split_text
from channels.telegram import keyboard
from core.logs import SecretFilter
from core.messages import Option, Outbound


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("ngắn", 10, ["ngắn"]),
        ("dòng một\ndòng hai", 10, ["dòng một", "dòng hai"]),
        ("a\nb\nc", 3, ["a\nb", "c"]),
        ("một hai ba bốn", 8, ["một hai ", "ba bốn"]),
        ("x" * 25, 10, ["x" * 10, "x" * 10, "x" * 5]),
        ("", 10, [""]),
    ],
)
def test_split_text_on_line_and_word_boundaries(text: str, limit: int, expected: list[str]) -> None:
    """Long text is split at line ends, then at spaces, then hard, within the limit."""
    assert split_text(text, limit) == expected


def test_split_text_loses_nothing() -> None:
    """Every character of a 5,000-character message survives splitting."""
    text = "\n".join(f"Dòng {n}: " + "nội dung " * 8 for n in range(70))
    chunks = split_text(text, 2000)
    assert all(len(c) <= 2000 for c in chunks) and "\n".join(chunks) == text


def test_numbered_options_render_as_lines() -> None:
    """Without buttons, options become numbered lines with how to answer."""
    message = Outbound("Loại sinh hoạt?", options=(Option("Thường kỳ", "a"), Option("Chuyên đề", "b")))
    assert "1. Thường kỳ\n2. Chuyên đề" in options_as_text(message)


def test_keyword_options_render_as_words() -> None:
    """Unnumbered options are offered as words to type."""
    message = Outbound("Tóm tắt", options=(Option("Gửi", "s"), Option("Lưu nháp", "d")), numbered=False)
    assert "«Gửi» hoặc «Lưu nháp»" in options_as_text(message)


def test_keyboard_refuses_callback_data_over_64_bytes() -> None:
    """Telegram refuses callback data over 64 bytes, so we fail loudly before sending."""
    with pytest.raises(ValueError):
        keyboard(Outbound("x", options=(Option("Nhãn", "f:" + "ư" * 40),)))


def test_secret_filter_scrubs_messages_and_tracebacks() -> None:
    """A token in a log message or an exception never reaches the log output."""
    token = "123:SECRET-abc"
    record = logging.LogRecord("t", logging.ERROR, __file__, 1, "GET /bot%s/getMe failed", (token,), None)
    try:
        raise RuntimeError(f"https://api.telegram.org/bot{token}/getMe")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    SecretFilter([token]).filter(record)
    assert token not in record.getMessage() and token not in (record.exc_text or "")

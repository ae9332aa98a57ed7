"""Log lines as text or JSON, with tokens scrubbed in both."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from core.logs import configure

TOKEN = "123456789:AAE-secret-token"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root logger's handlers and level back after the test configures logging."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _log_with_token() -> None:
    """Log a message and a traceback that both hold the token."""
    log = logging.getLogger("chibo.test")
    log.info("calling https://api.example/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError(f"failed: https://api.example/bot{TOKEN}/getMe")
    except RuntimeError:
        log.exception("request failed")


@pytest.mark.usefixtures("restore_logging")
def test_text_lines_hold_no_token() -> None:
    """Text logs keep the message and traceback, with the token replaced."""
    out = io.StringIO()
    configure("INFO", [TOKEN], "text", out)
    _log_with_token()
    text = out.getvalue()
    assert TOKEN not in text
    assert "<secret>" in text and "RuntimeError" in text and "INFO chibo.test: calling" in text


@pytest.mark.usefixtures("restore_logging")
def test_json_lines_are_objects_without_the_token() -> None:
    """With the JSON format each event is one parseable object, the token scrubbed."""
    out = io.StringIO()
    configure("INFO", [TOKEN], "json", out)
    _log_with_token()
    lines = out.getvalue().splitlines()
    entries = [json.loads(line) for line in lines]
    assert TOKEN not in out.getvalue()
    assert [e["level"] for e in entries] == ["INFO", "ERROR"]
    assert entries[0]["logger"] == "chibo.test" and "<secret>" in entries[0]["message"]
    assert "RuntimeError" in entries[1]["exception"] and "<secret>" in entries[1]["exception"]

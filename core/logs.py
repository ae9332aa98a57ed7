"""Logging set-up that never writes a secret: one text line per event, or one JSON object."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import IO

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FORMATS = ("text", "json")


class SecretFilter(logging.Filter):
    """Replace every known secret in a log record with a placeholder."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        """Scrub the formatted message and any exception text."""
        message = record.getMessage()
        for secret in self.secrets:
            message = message.replace(secret, "<secret>")
        record.msg, record.args = message, None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            for secret in self.secrets:
                text = text.replace(secret, "<secret>")
            record.exc_text, record.exc_info = text, None
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object on one line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record's time (UTC), level, logger, message and traceback as JSON."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str, secrets: list[str], fmt: str = "text", stream: IO[str] | None = None) -> None:
    """Log to `stream` (stderr) at `level` in `fmt`, scrubbing secrets; keep HTTP client chatter quiet."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(SecretFilter(secrets))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # URLs of the HTTP clients hold tokens, and their lines are noise at INFO.
    for noisy in ("httpx", "httpcore", "alembic", "apscheduler.executors.default"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

"""Logging set-up that never writes a secret."""

from __future__ import annotations

import logging


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


def configure(level: str, secrets: list[str]) -> None:
    """Log to stderr at `level`, scrubbing secrets; keep HTTP client chatter (URLs hold tokens) quiet."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretFilter(secrets))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for noisy in ("httpx", "httpcore", "alembic", "apscheduler.executors.default"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

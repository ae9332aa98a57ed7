"""What the benchmarks share: the bot process, the fake Telegram server, figures and peak memory."""

from __future__ import annotations

import statistics
from pathlib import Path

# The fake Bot API server and the bot-process helper live with the tests.
from tests.e2e.botprocess import BOT_MOMENT, TEST_TOKEN, BotProcess, admin, bot_clock, bot_env
from tests.fakes.telegram_api import FakeTelegramServer

ROOT = Path(__file__).resolve().parents[1]

__all__ = [
    "ROOT",
    "TEST_TOKEN",
    "BotProcess",
    "FakeTelegramServer",
    "admin",
    "bot_clock",
    "bot_env",
    "percentile",
    "telegram_env",
]


def telegram_env(database_url: str, server: FakeTelegramServer, **extra: str) -> dict[str, str]:
    """Return the environment of a bot process talking to the fake server."""
    env = bot_env(
        database_url,
        BOT_MOMENT,
        TELEGRAM_BOT_TOKEN=TEST_TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        TELEGRAM_API_FILE_URL=server.base_file_url,
        TELEGRAM_POLL_TIMEOUT="1",
        **extra,
    )
    env["LOG_LEVEL"] = "WARNING"
    return env


def percentile(values: list[float], p: float) -> float:
    """Return the p-th percentile (0-100) of values."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]

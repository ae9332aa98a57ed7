"""What the benchmarks share: the bot process, the fake Telegram server, figures and peak memory."""

from __future__ import annotations

import os
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
    "cpu_seconds",
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


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user and system) a process has used so far, read from /proc (Linux)."""
    # The fields after the command name, which is in parentheses and may hold spaces.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

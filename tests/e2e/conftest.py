"""Fixtures of the end-to-end tests: the fake Telegram server and the bot process against it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.botprocess import TEST_TOKEN, BotProcess, admin, bot_env, with_telegram
from tests.fakes.telegram_api import FakeTelegramServer


@pytest.fixture
def env(tmp_path: Path, telegram: FakeTelegramServer) -> dict[str, str]:
    """Point a bot process at the fake server and a fresh SQLite file with the demo ward."""
    environment = with_telegram(bot_env(f"sqlite+aiosqlite:///{tmp_path}/chibo.db"), telegram)
    admin(environment, "demo")
    return environment


@pytest.fixture
async def bot(env: dict[str, str], tmp_path: Path) -> AsyncIterator[BotProcess]:
    """Run the bot process for one test; its log must never show the token."""
    process = BotProcess(env, tmp_path / "bot.log")
    await process.start()
    yield process
    await process.stop()
    assert TEST_TOKEN.split(":")[1] not in process.log()

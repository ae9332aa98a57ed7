"""End to end through a SOCKS5 proxy: Telegram reached only by way of TELEGRAM_PROXY_URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.botprocess import TEST_TOKEN, BotProcess
from tests.fakes.socks_proxy import Socks5Proxy
from tests.fakes.telegram_api import FakeTelegramServer

pytestmark = pytest.mark.e2e


async def test_the_bot_answers_through_a_socks5_proxy(
    telegram: FakeTelegramServer, env: dict[str, str], tmp_path: Path
) -> None:
    """With TELEGRAM_PROXY_URL=socks5://…, every connection to the Bot API goes through the proxy.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    async with Socks5Proxy() as proxy:
        bot = BotProcess({**env, "TELEGRAM_PROXY_URL": proxy.url}, tmp_path / "bot.log")
        await bot.start()
        try:
            user = telegram.user(7101, first_name="Lạ")
            await user.send_text("/help")
            [reply] = await user.wait_for_messages(1, timeout=30)
        finally:
            await bot.stop()
    assert "mã mời" in reply.text
    assert proxy.connections and set(proxy.connections) == {("127.0.0.1", telegram.port)}
    assert TEST_TOKEN.split(":")[1] not in bot.log()

"""End to end in webhook mode: only Telegram, with the secret, gets an update to the bot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.botprocess import ROOT, BotProcess, admin, free_port
from tests.fakes.telegram_api import FakeTelegramServer

pytestmark = pytest.mark.e2e

SECRET = "webhook-Secret_42"


def _webhook_env(env: dict[str, str], port: int, secret: str | None) -> dict[str, str]:
    """Return the environment of a bot in webhook mode on `port`."""
    webhook = {
        "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
        "TELEGRAM_WEBHOOK_PORT": str(port),
    }
    if secret is not None:
        webhook["TELEGRAM_WEBHOOK_SECRET"] = secret
    return {**env, **webhook}


async def test_forged_posts_get_no_digest(
    telegram: FakeTelegramServer, env: dict[str, str], tmp_path: Path
) -> None:
    """A POST without or with a wrong secret is refused, a huge one too, and an edit is no answer.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    port = free_port()
    code = admin(env, "invite", "--role", "committee", "--name", "Đỗ Thị Hà").splitlines()[-1]
    bot = BotProcess(_webhook_env(env, port, SECRET), tmp_path / "bot.log")
    await bot.start()
    try:
        chief = telegram.user(7001, first_name="Hà")
        joined = await chief.send_text(code)
        [question] = await chief.wait_for_messages(1, timeout=30)
        assert telegram.webhook_allowed_updates == ["message", "callback_query"]
        await chief.press_button(question, "Xác nhận")
        await chief.wait_for_messages(2)

        forged = {"update_id": 990001, "message": {**joined["message"], "message_id": 99, "text": "/tonghop"}}
        url = f"http://127.0.0.1:{port}/telegram"
        async with aiohttp.ClientSession() as session:
            async with session.post(url, json=forged) as response:
                assert response.status == 403
            wrong = {"X-Telegram-Bot-Api-Secret-Token": "guessed"}
            async with session.post(url, json=forged, headers=wrong) as response:
                assert response.status == 403
            right = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
            async with session.post(url, data=b" " * (3 * 1024 * 1024), headers=right) as response:
                assert response.status == 413

        edited = {**joined["message"], "text": "/tonghop", "edit_date": joined["message"]["date"] + 1}
        await telegram.queue_update({"edited_message": edited})
        await chief.send_text("/help")
        [reply] = await chief.wait_for_messages(1, timeout=20)
        assert "/tonghop" in reply.text and "TỔNG HỢP" not in reply.text
        assert not any("TỔNG HỢP" in sent.text for sent in chief.messages)
    finally:
        await bot.stop()


def test_webhook_mode_without_a_secret_refuses_to_start(env: dict[str, str]) -> None:
    """Webhook mode with no secret, or one outside Telegram's charset, exits at once with one line."""
    for secret in (None, "has space", "x" * 257):
        result = subprocess.run(
            [sys.executable, "bot.py"],
            cwd=ROOT,
            env=_webhook_env(env, free_port(), secret),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode != 0
        [line] = result.stderr.strip().splitlines()
        assert "TELEGRAM_WEBHOOK_SECRET" in line

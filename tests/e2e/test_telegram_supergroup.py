"""End to end: a digest group that became a supergroup is followed to its new id, the digest not lost."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from domain.digest import DIGEST_CHAT
from storage import org
from storage.db import Database
from tests.e2e.botprocess import BotProcess, admin
from tests.fakes.telegram_api import FakeTelegramServer

pytestmark = pytest.mark.e2e

GROUP_ID = -100900
SUPERGROUP_ID = -1001234567890


async def digest_chat(env: dict[str, str]) -> dict[str, str]:
    """Return the chat the committee's digests go to, read from the bot's database."""
    db = Database.from_url(env["DATABASE_URL"])
    try:
        async with db.begin() as conn:
            [committee] = await org.list_committees(conn)
    finally:
        await db.dispose()
    return committee.settings[DIGEST_CHAT]


async def register_group(telegram: FakeTelegramServer, env: dict[str, str]) -> None:
    """Have a committee member join in private and register GROUP_ID for the digests."""
    code = admin(env, "invite", "--role", "committee", "--name", "Đỗ Thị Hà").splitlines()[-1]
    chief = telegram.user(6001, first_name="Hà")
    await chief.send_text(code)
    [question] = await chief.wait_for_messages(1, timeout=30)
    await chief.press_button(question, "Xác nhận")
    await chief.wait_for_messages(2)
    in_group = chief.in_group(GROUP_ID)
    await in_group.send_text("/nhomtonghop@chibo_bot")
    await in_group.wait_for_messages(1)


async def test_a_digest_to_an_upgraded_group_reaches_the_supergroup(
    telegram: FakeTelegramServer, env: dict[str, str], tmp_path: Path
) -> None:
    """Telegram refuses the old group id with the new one: the digest goes there and the id is kept.

    Time: the bot runs at the test's moment (BOT_MOMENT, a Tuesday 09:30), and the weekly digest is
    set to Tuesday 07:30, so the bot plans it when it starts.
    """
    first = BotProcess(env, tmp_path / "first.log")
    await first.start()
    try:
        await register_group(telegram, env)
    finally:
        await first.stop()
    # The upgrade happened while the bot was away for longer than Telegram keeps the service messages.
    await telegram.upgrade_group(GROUP_ID, SUPERGROUP_ID)
    admin(env, "reminders", "digest_weekday=1")
    before = len(telegram.sent_to(GROUP_ID))

    second = BotProcess(env, tmp_path / "second.log")
    await second.start()
    try:
        supergroup = telegram.user(6001).in_group(SUPERGROUP_ID)
        [digest] = await supergroup.wait_for_messages(1, timeout=30)
    finally:
        await second.stop()
    assert digest.text.startswith("TỔNG HỢP")
    assert len(telegram.sent_to(GROUP_ID)) == before
    assert await digest_chat(env) == {"channel": "telegram", "chat_id": str(SUPERGROUP_ID)}


async def test_the_upgrade_notice_moves_the_group_without_an_answer(
    telegram: FakeTelegramServer, env: dict[str, str], bot: BotProcess
) -> None:
    """The service messages of an upgrade update the stored id at once and get no reply in either chat.

    Time: the bot runs at the test's moment (BOT_MOMENT, 09:30 on a weekday), outside the quiet hours.
    """
    await register_group(telegram, env)
    await telegram.upgrade_group(GROUP_ID, SUPERGROUP_ID, announce=True)
    moved = {"channel": "telegram", "chat_id": str(SUPERGROUP_ID)}
    async with asyncio.timeout(20):
        # The state lives in the bot process's database: nothing there can be awaited but a read.
        while await digest_chat(env) != moved:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
    supergroup = telegram.user(6001).in_group(SUPERGROUP_ID)
    await supergroup.send_text("/nhomtonghop@chibo_bot")
    [registered] = await supergroup.wait_for_messages(1)
    assert "Nhóm chat này sẽ nhận bản tổng hợp định kỳ" in registered.text
    assert [m.text for m in telegram.sent_to(SUPERGROUP_ID)] == [registered.text]

"""End to end: the bot killed mid-dispatch and started again sends every due reminder exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from core.messages import Outbound
from domain import calendar
from storage import accounts, org, outbox
from storage.db import Database
from tests.e2e.botprocess import TEST_TOKEN, BotProcess, admin, bot_clock, bot_env
from tests.fakes.telegram_api import FakeTelegramServer

pytestmark = pytest.mark.e2e

REMINDERS_PER_LEADER = 3
FIRST_CHAT = 8001


class SlowTelegramServer(FakeTelegramServer):
    """Delivers a message at once but answers late, so a kill can land between the two."""

    delay = 0.3

    async def _send_message(self, params: Any) -> Any:
        """Record the message, then take a while to say so."""
        result = await super()._send_message(params)
        await asyncio.sleep(self.delay)
        return result


@pytest.fixture
async def telegram() -> AsyncIterator[SlowTelegramServer]:
    """Run the slow fake Telegram Bot API server."""
    async with SlowTelegramServer() as server:
        yield server


@pytest.fixture
async def env(tmp_path: Path, telegram: SlowTelegramServer) -> dict[str, str]:
    """A demo ward on a SQLite file, and a bot that ticks fast and declares a send dead after 2 s."""
    database_url = f"sqlite+aiosqlite:///{tmp_path}/chibo.db"
    environment = bot_env(
        database_url,
        TELEGRAM_BOT_TOKEN=TEST_TOKEN,
        TELEGRAM_API_BASE_URL=telegram.base_url,
        TELEGRAM_API_FILE_URL=telegram.base_file_url,
        TELEGRAM_POLL_TIMEOUT="1",
        DISPATCH_INTERVAL_SECONDS="0.2",
        DISPATCH_RATE_PER_SECOND="50",
        OUTBOX_STALE_SECONDS="2",
    )
    admin(environment, "demo")
    return environment


async def seed(env: dict[str, str]) -> dict[int, str]:
    """Give everyone a Telegram chat and plan reminders due now to every cell leader; return chat -> name."""
    db = Database.from_url(env["DATABASE_URL"])
    now = bot_clock(env).now()
    chats: dict[int, str] = {}
    try:
        async with db.begin() as conn:
            committee = (await org.list_committees(conn))[0]
            # Quiet hours off and no pledge review: the test must not depend on the hour or the month it runs.
            await org.update_committee_settings(
                conn,
                committee.id,
                {"quiet_hours_start": "00:00", "quiet_hours_end": "00:00", "pledge_review_months": []},
            )
            for index, (person_id, name) in enumerate(await accounts.list_people(conn)):
                chat_id = FIRST_CHAT + index
                await accounts.bind_account(
                    conn, person_id, "telegram", str(chat_id), str(chat_id), name, now
                )
                chats[chat_id] = name
            for cell in await org.list_cells(conn, committee.id):
                for person_id, _, _ in await accounts.cell_leaders(conn, cell.id):
                    for n in range(REMINDERS_PER_LEADER):
                        await outbox.plan(
                            conn,
                            outbox.to_person(person_id),
                            Outbound(f"Tin {person_id}-{n}"),
                            kind=calendar.INSPECTION_REMINDER,
                            key=f"e2e:{n}",
                            due_at=now,
                            now=now,
                        )
    finally:
        await db.dispose()
    return chats


async def settled_rows(database_url: str, timeout: float) -> dict[str, str]:
    """Wait until no reminder is pending or being sent; return each reminder's text and status."""
    db = Database.from_url(database_url)
    try:
        async with asyncio.timeout(timeout):
            while True:
                async with db.begin() as conn:
                    busy = [
                        r
                        for s in (outbox.PENDING, outbox.SENDING)
                        for r in await outbox.rows_by_status(conn, s)
                    ]
                    if not [r for r in busy if r.period.startswith("e2e:")]:
                        statuses = (outbox.SENT, outbox.UNKNOWN, outbox.FAILED, outbox.EXPIRED)
                        return {
                            r.payload["text"]: r.status
                            for s in statuses
                            for r in await outbox.rows_by_status(conn, s)
                            if r.period.startswith("e2e:")
                        }
                await asyncio.sleep(0.3)
    finally:
        await db.dispose()


async def test_killed_mid_dispatch_every_reminder_goes_once(
    telegram: SlowTelegramServer, env: dict[str, str], tmp_path: Path
) -> None:
    """SIGKILL while sending: after a restart each reminder arrived once, the cut-off one is unknown.

    Time: the bot runs at the test's moment (BOT_MOMENT), and the quiet hours are off.
    """
    chats = await seed(env)
    planned = 8 * REMINDERS_PER_LEADER

    def delivered() -> list[str]:
        return [
            m.text for chat in chats for m in telegram.sent_to(chat) if m.text and m.text.startswith("Tin ")
        ]

    first = BotProcess(env, tmp_path / "first.log")
    await first.start()
    await telegram.wait_for(lambda: len(delivered()) >= 5, timeout=30, description="the first reminders")
    await first.kill()

    second = BotProcess(env, tmp_path / "second.log")
    await second.start()
    try:
        statuses = await settled_rows(env["DATABASE_URL"], timeout=60)
        await telegram.wait_for(
            lambda: any(
                "không tự gửi lại" in (m.text or "") for chat in chats for m in telegram.sent_to(chat)
            ),
            timeout=20,
            description="the committee's report of the unknown send",
        )
    finally:
        await second.stop()

    counts = Counter(delivered())
    assert len(statuses) == planned
    assert set(statuses.values()) <= {outbox.SENT, outbox.UNKNOWN}
    assert all(count == 1 for count in counts.values()), counts
    assert all(counts[text] == 1 for text, status in statuses.items() if status == outbox.SENT)
    unknown = [text for text, status in statuses.items() if status == outbox.UNKNOWN]
    # The kill lands while Telegram has the message but the bot has no answer yet.
    assert len(unknown) == 1 and counts[unknown[0]] == 1
    committee_chats = [chat for chat, name in chats.items() if name == "Hoàng Văn Chính"]
    assert any("không tự gửi lại" in (m.text or "") for m in telegram.sent_to(committee_chats[0]))

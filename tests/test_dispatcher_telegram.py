"""The dispatcher against the fake Bot API server: what Telegram answers decides each row's outcome."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from http import HTTPStatus

import pytest

from admin.demo_data import DemoWard
from channels.telegram import TelegramChannel
from core.app import App
from core.messages import Outbound
from domain import calendar
from domain.clock import FixedClock
from schedules.dispatcher import Dispatcher
from settings import Settings
from storage import accounts, outbox
from storage.db import Database
from tests.e2e.botprocess import TEST_TOKEN
from tests.fakes.telegram_api import FakeTelegramServer

CHAT = 6001


@pytest.fixture
async def dispatcher(
    telegram: FakeTelegramServer,
    app: App,
    settings: Settings,
    db: Database,
    clock: FixedClock,
    ward: DemoWard,
) -> AsyncIterator[Dispatcher]:
    """A dispatcher sending through python-telegram-bot to the fake server, with one planned reminder."""
    configured = Settings(
        _env_file=None,
        database_url=settings.database_url,
        telegram_bot_token=TEST_TOKEN,
        telegram_api_base_url=telegram.base_url,
        telegram_api_file_url=telegram.base_file_url,
    )
    channel = TelegramChannel(configured, app)
    async with db.begin() as conn:
        person_id = next(pid for pid, name in await accounts.list_people(conn) if name == "Nguyễn Văn Tài")
        await accounts.bind_account(conn, person_id, "telegram", str(CHAT), str(CHAT), "Tài", clock.now())
        await outbox.plan(
            conn,
            outbox.to_person(person_id),
            Outbound("Nhắc chuẩn bị kiểm tra"),
            kind=calendar.INSPECTION_REMINDER,
            key="T-7",
            due_at=clock.now(),
            now=clock.now(),
        )
    async with channel.application:
        yield Dispatcher(db, clock, {"telegram": channel})


async def only_row(db: Database) -> outbox.OutboxRow:
    """Return the planned reminder as it stands."""
    async with db.begin() as conn:
        [row] = [
            r
            for s in (outbox.PENDING, outbox.SENT, outbox.FAILED)
            for r in await outbox.rows_by_status(conn, s)
        ]
    return row


async def test_429_from_telegram_is_retried_after_retry_after(
    telegram: FakeTelegramServer, dispatcher: Dispatcher, db: Database, clock: FixedClock
) -> None:
    """Telegram's «retry after 7» puts the reminder back 7 seconds; then it arrives once."""
    telegram.fail_next("sendMessage", retry_after=7)
    await dispatcher.tick()
    row = await only_row(db)
    assert row.status == outbox.PENDING and row.due_at == clock.now() + timedelta(seconds=7)
    clock.advance(timedelta(seconds=7))
    await dispatcher.tick()
    assert [m.text for m in telegram.sent_to(CHAT)] == ["Nhắc chuẩn bị kiểm tra"]
    assert (await only_row(db)).status == outbox.SENT


async def test_blocked_by_the_user_fails(
    telegram: FakeTelegramServer, dispatcher: Dispatcher, db: Database
) -> None:
    """A 403 «bot was blocked by the user» marks the reminder failed."""
    telegram.fail_next(
        "sendMessage", error_code=HTTPStatus.FORBIDDEN, description="Forbidden: bot was blocked by the user"
    )
    await dispatcher.tick()
    row = await only_row(db)
    assert row.status == outbox.FAILED and "blocked" in row.last_error


async def test_server_error_is_retried_later(
    telegram: FakeTelegramServer, dispatcher: Dispatcher, db: Database, clock: FixedClock
) -> None:
    """A 502 from Telegram leaves the reminder pending with a backoff, and it goes on the next try."""
    telegram.fail_next("sendMessage", error_code=HTTPStatus.BAD_GATEWAY)
    await dispatcher.tick()
    row = await only_row(db)
    assert row.status == outbox.PENDING and row.due_at > clock.now()
    clock.advance(row.due_at - clock.now())
    await dispatcher.tick()
    assert len(telegram.sent_to(CHAT)) == 1

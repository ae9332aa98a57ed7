"""The monthly digest through the outbox to Telegram (fake Bot API): the text, then the chart as a photo."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta

import pytest

from admin.demo_data import DemoWard
from channels.telegram import TelegramChannel
from core.app import App
from domain.clock import LOCAL_TZ, FixedClock, as_utc
from domain.digest import DIGEST_CHAT
from schedules.dispatcher import Dispatcher
from schedules.planners import run_planners
from settings import Settings
from storage import accounts, org
from storage.db import Database
from tests.e2e.botprocess import TEST_TOKEN
from tests.fakes.telegram_api import FakeTelegramServer

MEMBER_CHAT = 7001
GROUP_CHAT = -1007002
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def dispatcher(
    telegram: FakeTelegramServer,
    app: App,
    settings: Settings,
    db: Database,
    clock: FixedClock,
    ward: DemoWard,
) -> AsyncIterator[Dispatcher]:
    """A dispatcher on Telegram; one committee member on Telegram and the committee's group registered."""
    configured = Settings(
        _env_file=None,
        database_url=settings.database_url,
        telegram_bot_token=TEST_TOKEN,
        telegram_api_base_url=telegram.base_url,
        telegram_api_file_url=telegram.base_file_url,
    )
    channel = TelegramChannel(configured, app)
    chief = ward.committee_people[0].full_name
    async with db.begin() as conn:
        person_id = next(pid for pid, name in await accounts.list_people(conn) if name == chief)
        await accounts.bind_account(
            conn, person_id, "telegram", str(MEMBER_CHAT), str(MEMBER_CHAT), chief, clock.now()
        )
        committee = (await org.list_committees(conn))[0]
        group = {"channel": "telegram", "chat_id": str(GROUP_CHAT)}
        await org.update_committee_settings(conn, committee.id, {DIGEST_CHAT: group})
    async with channel.application:
        yield Dispatcher(db, clock, {"telegram": channel})


async def test_monthly_digest_and_chart_reach_the_member_and_the_group(
    telegram: FakeTelegramServer, dispatcher: Dispatcher, db: Database, clock: FixedClock
) -> None:
    """On 06/09 at 07:30 the member and the group each get August's digest, then the chart as a PNG photo."""
    clock.moment = as_utc(datetime.combine(date(2015, 9, 6), time(7, 5), LOCAL_TZ))
    await run_planners(db, clock)
    clock.moment = as_utc(datetime.combine(date(2015, 9, 6), time(7, 30), LOCAL_TZ))
    # Each chat waits between two messages; a few seconds of the fixed clock let both go out.
    for _ in range(4):
        while await dispatcher.tick():
            pass
        clock.advance(timedelta(seconds=5))
    for chat in (MEMBER_CHAT, GROUP_CHAT):
        sent = telegram.sent_to(chat)
        assert sent[0].text.startswith("TỔNG HỢP THÁNG 8/2015")
        assert sent[-1].photo is not None and sent[-1].photo.startswith(PNG_SIGNATURE)
        assert "tháng 3/2015 đến tháng 8/2015" in sent[-1].caption

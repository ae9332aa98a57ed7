"""/tonghop in the chat: the committee reads the digest of a month, a quarter or a year; others may not."""

from __future__ import annotations

import pytest

from admin.demo_data import DemoWard
from core.app import App
from core.messages import Inbound
from domain.clock import FixedClock
from storage import org
from storage.db import Database
from tests.conftest import chat_as
from tests.fakes.recording_channel import RecordingChannel
from tests.test_digest import Seeded, seed


@pytest.fixture
async def seeded(db: Database, clock: FixedClock, ward: DemoWard) -> Seeded:
    """The demo ward with August 2015 seeded."""
    return await seed(db, clock)


async def test_committee_reads_the_reporting_month(
    app: App, db: Database, ward: DemoWard, seeded: Seeded
) -> None:
    """/tonghop alone gives the month whose reports are being collected: August on 10/09."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/tonghop")
    assert chief.text().startswith("TỔNG HỢP THÁNG 8/2015")
    assert "Báo cáo: 2 đúng hạn, 1 nộp muộn, 1 chưa nộp, 1 đã sửa." in chief.text()


async def test_committee_reads_a_quarter_typed_without_diacritics(
    app: App, db: Database, ward: DemoWard, seeded: Seeded
) -> None:
    """«tong hop quy 3» gives quarter III with July counted as missing."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("tong hop quy 3")
    assert chief.text().startswith("TỔNG HỢP QUÝ III/2015")
    assert "Báo cáo: 2 đúng hạn, 1 nộp muộn, 5 chưa nộp, 4 chưa đến hạn, 1 đã sửa." in chief.text()


async def test_committee_reads_a_year(app: App, db: Database, ward: DemoWard, seeded: Seeded) -> None:
    """/tonghop 2015 covers the year."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/tonghop 2015")
    assert chief.text().startswith("TỔNG HỢP NĂM 2015")


async def test_unreadable_period_gets_examples(app: App, db: Database, ward: DemoWard) -> None:
    """A period the bot cannot read gets examples of what to type."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/tonghop hôm kia")
    assert "ví dụ: 8/2015" in chief.text()


async def test_secretary_may_not_read_the_digest(app: App, db: Database, ward: DemoWard) -> None:
    """A cell secretary is told the digest is not theirs to read."""
    secretary = await chat_as(app, db, ward.cells[0].secretary)
    await secretary.say("/tonghop")
    assert "không thuộc quyền" in secretary.text()


async def test_committee_registers_a_telegram_group(
    app: App, db: Database, ward: DemoWard, clock: FixedClock
) -> None:
    """/nhomtonghop typed by a committee member in a Telegram group stores that group for the digests."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name, channel="telegram")
    channel = RecordingChannel(clock, "telegram")
    group = Inbound(
        "telegram", "-100555", chief.chat_id, "group-1", text="/nhomtonghop@chibo_bot", group=True
    )
    await app.handle(group, channel)
    assert "Nhóm chat này sẽ nhận bản tổng hợp định kỳ" in channel.sent[0].message.text
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
    assert committee.settings["digest_chat"] == {"channel": "telegram", "chat_id": "-100555"}


async def test_private_chat_is_not_a_group(app: App, db: Database, ward: DemoWard) -> None:
    """/nhomtonghop in a private chat explains it must be typed in the committee's Telegram group."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/nhomtonghop")
    assert "nhóm chat trên Telegram" in chief.text()

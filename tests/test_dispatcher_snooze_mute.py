"""Snooze and mute, from the buttons on a delivered reminder through to what the dispatcher sends next."""

from __future__ import annotations

from datetime import timedelta

import pytest

from admin.demo_data import DemoWard
from channels.base import options_as_text
from core.app import App
from core.messages import Outbound
from domain import calendar
from domain.clock import FixedClock
from handlers.reminders import reminder_buttons
from schedules.dispatcher import Dispatcher
from storage import outbox
from storage.db import Database
from tests.conftest import Chat, chat_as
from tests.fakes.recording_channel import RecordingChannel

SECRETARY = "Nguyễn Văn Tài"
DEPUTY = "Lưu Thị Lan"


@pytest.fixture
def channel(clock: FixedClock) -> RecordingChannel:
    """The test channel, recording what the dispatcher sends."""
    return RecordingChannel(clock)


@pytest.fixture
def dispatcher(db: Database, clock: FixedClock, channel: RecordingChannel) -> Dispatcher:
    """A dispatcher sending through the recording channel."""
    return Dispatcher(db, clock, {"test": channel}, buttons=reminder_buttons)


@pytest.fixture
async def secretary(app: App, db: Database, ward: DemoWard) -> Chat:
    """Chi bộ 12's secretary, chatting on the test channel."""
    return await chat_as(app, db, SECRETARY)


async def drain(dispatcher: Dispatcher) -> None:
    """Tick until no due row is left."""
    while await dispatcher.tick():
        pass


async def remind(
    db: Database, clock: FixedClock, chat: Chat, kind: str = calendar.REPORT_REMINDER, **extra: object
) -> None:
    """Plan a reminder to the person behind a chat."""
    person_id = int(chat.chat_id.removeprefix("person-"))
    async with db.begin() as conn:
        await outbox.plan(
            conn,
            outbox.to_person(person_id),
            Outbound("Nhắc nộp báo cáo"),
            kind=kind,
            key="report:2015-08:before",
            due_at=clock.now(),
            now=clock.now(),
            **extra,
        )


def button(channel: RecordingChannel, chat: Chat, label: str) -> str:
    """Return the command behind a button of the last reminder a chat received."""
    message = [s.message for s in channel.sent if s.chat_id == chat.chat_id][-1]
    return next(o.value for o in message.options if o.label == label)


async def test_snoozed_reminder_comes_back_a_day_later(
    db: Database, clock: FixedClock, secretary: Chat, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """«Nhắc lại sau 1 ngày» sends the same reminder again 24 hours later, and only then."""
    await remind(db, clock, secretary)
    await drain(dispatcher)
    await secretary.say(button(channel, secretary, "Nhắc lại sau 1 ngày"))
    assert "Đã hoãn" in secretary.text() and "11/09/2015" in secretary.text()
    clock.advance(timedelta(hours=23))
    await drain(dispatcher)
    assert len(channel.texts_to(secretary.chat_id)) == 1
    clock.advance(timedelta(hours=1))
    await drain(dispatcher)
    assert channel.texts_to(secretary.chat_id) == ["Nhắc nộp báo cáo", "Nhắc nộp báo cáo"]


async def test_pressing_snooze_twice_snoozes_once(
    db: Database, clock: FixedClock, secretary: Chat, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """Two presses on the same day plan one repeat."""
    await remind(db, clock, secretary)
    await drain(dispatcher)
    command = button(channel, secretary, "Nhắc lại sau 1 ngày")
    await secretary.say(command)
    await secretary.say(command)
    clock.advance(timedelta(days=2))
    await drain(dispatcher)
    assert len(channel.texts_to(secretary.chat_id)) == 2


async def test_nobody_snoozes_someone_elses_reminder(
    app: App,
    db: Database,
    clock: FixedClock,
    secretary: Chat,
    dispatcher: Dispatcher,
    channel: RecordingChannel,
) -> None:
    """The deputy typing the secretary's snooze command is refused."""
    await remind(db, clock, secretary)
    await drain(dispatcher)
    deputy = await chat_as(app, db, DEPUTY)
    await deputy.say(button(channel, secretary, "Nhắc lại sau 1 ngày"))
    assert "Không tìm thấy tin nhắc này" in deputy.text()


async def test_a_reminder_is_not_snoozed_past_its_use(
    db: Database, clock: FixedClock, secretary: Chat, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """The T-1 reminder cannot be put off until after the session."""
    await remind(
        db, clock, secretary, kind=calendar.INSPECTION_REMINDER, expires_at=clock.now() + timedelta(hours=16)
    )
    await drain(dispatcher)
    await secretary.say(button(channel, secretary, "Nhắc lại sau 1 ngày"))
    assert "Không hoãn được" in secretary.text()


async def test_muting_report_reminders_from_the_button(
    db: Database, clock: FixedClock, secretary: Chat, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """«Tắt loại nhắc này» mutes report reminders: the next one is not sent; /batnhac turns them back on."""
    await remind(db, clock, secretary)
    await drain(dispatcher)
    await secretary.say(button(channel, secretary, "Tắt loại nhắc này"))
    assert "Đã tắt «Nhắc nộp báo cáo sinh hoạt chi bộ»" in secretary.text()
    async with db.begin() as conn:
        await outbox.plan(
            conn,
            outbox.to_person(int(secretary.chat_id.removeprefix("person-"))),
            Outbound("Hôm nay"),
            kind=calendar.REPORT_REMINDER,
            key="report:2015-08:day",
            due_at=clock.now(),
            now=clock.now(),
        )
    await drain(dispatcher)
    assert channel.texts_to(secretary.chat_id) == ["Nhắc nộp báo cáo"]
    await secretary.say("/batnhac")
    await secretary.press("Nhắc nộp báo cáo sinh hoạt chi bộ")
    assert "Đã bật lại" in secretary.text()


async def test_mute_menu_and_typed_names(secretary: Chat) -> None:
    """/tatnhac offers the kinds that can be muted; typing a name without diacritics works."""
    await secretary.say("/tatnhac")
    labels = [o.label for o in secretary.last[0].options]
    assert "Nhắc chuẩn bị kiểm tra" not in labels and "Nhắc báo cáo nhiệm vụ khắc phục" in labels
    await secretary.say("/tatnhac nhac bao cao nhiem vu khac phuc")
    assert "Đã tắt «Nhắc báo cáo nhiệm vụ khắc phục»" in secretary.text()


async def test_inspection_reminders_cannot_be_muted(secretary: Chat) -> None:
    """Asking to mute inspection reminders is refused with the reason."""
    await secretary.say("/tatnhac inspection_reminder")
    assert "không tắt được" in secretary.text()


async def test_reminder_without_buttons_is_snoozed_by_its_number(
    db: Database, clock: FixedClock, secretary: Chat, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """Without buttons (Zalo, console) a reminder lists snooze and mute by number, and «1» snoozes."""
    await remind(db, clock, secretary)
    await drain(dispatcher)
    shown = options_as_text([s.message for s in channel.sent if s.chat_id == secretary.chat_id][-1])
    assert "1. Nhắc lại sau 1 ngày" in shown and "2. Tắt loại nhắc này" in shown
    await secretary.say("1")
    assert "Đã hoãn" in secretary.text() and "11/09/2015" in secretary.text()

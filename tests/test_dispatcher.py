"""The dispatcher: every outcome of a send, quiet hours, pace, mutes, and undelivered reports."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from admin.demo_data import DemoWard
from core.channel import SendError
from core.messages import Outbound
from domain import calendar
from domain.clock import LOCAL_TZ, FixedClock
from handlers.reminders import reminder_buttons
from schedules.dispatcher import Dispatcher, Limits
from storage import accounts, org, outbox, reminders
from storage.db import Database
from tests.fakes.recording_channel import RecordingChannel, bind_everyone

SECRETARY = "Nguyễn Văn Tài"
DEPUTY = "Lưu Thị Lan"


@pytest.fixture
def channel(clock: FixedClock) -> RecordingChannel:
    """A channel that records its sends."""
    return RecordingChannel(clock)


@pytest.fixture
def dispatcher(db: Database, clock: FixedClock, channel: RecordingChannel) -> Dispatcher:
    """A dispatcher whose pauses move the test clock instead of sleeping."""

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    return Dispatcher(
        db, clock, {"test": channel}, limits=Limits(max_attempts=3), sleep=sleep, buttons=reminder_buttons
    )


@pytest.fixture
async def people(db: Database, clock: FixedClock, ward: DemoWard) -> dict[str, tuple[int, str]]:
    """Every person of the demo ward with an account on the test channel."""
    return await bind_everyone(db, clock)


async def plan(
    db: Database,
    clock: FixedClock,
    person_id: int,
    *,
    kind: str = calendar.REPORT_REMINDER,
    period: str = "p1",
    text: str = "Nhắc việc",
    due_at: datetime | None = None,
    expires_at: datetime | None = None,
) -> bool:
    """Plan one message to a person."""
    async with db.begin() as conn:
        return await outbox.plan(
            conn,
            outbox.to_person(person_id),
            Outbound(text),
            kind=kind,
            key=period,
            due_at=due_at or clock.now(),
            now=clock.now(),
            expires_at=expires_at,
        )


async def statuses(db: Database) -> dict[str, list[str]]:
    """Return the periods of outbox rows grouped by status."""
    found: dict[str, list[str]] = {}
    for status in (outbox.PENDING, outbox.SENT, outbox.FAILED, outbox.UNKNOWN, outbox.EXPIRED, outbox.MUTED):
        async with db.begin() as conn:
            found[status] = [r.period for r in await outbox.rows_by_status(conn, status)]
    return found


async def drain(dispatcher: Dispatcher) -> None:
    """Tick until no due row is left."""
    while await dispatcher.tick():
        pass


async def only_row(db: Database, status: str) -> outbox.OutboxRow:
    """Return the single row with a status."""
    async with db.begin() as conn:
        [row] = await outbox.rows_by_status(conn, status)
    return row


async def test_due_row_is_sent_once(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """A due row is sent, marked sent, and a second tick sends nothing."""
    person_id, chat_id = people[SECRETARY]
    await plan(db, clock, person_id)
    assert await dispatcher.tick() == 1
    assert await dispatcher.tick() == 0
    assert channel.texts_to(chat_id) == ["Nhắc việc"]
    assert (await statuses(db))[outbox.SENT] == ["p1"]


async def test_planning_twice_gives_one_row(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """The same (kind, target, period) planned twice exists once and is sent once."""
    person_id, chat_id = people[SECRETARY]
    assert await plan(db, clock, person_id)
    assert not await plan(db, clock, person_id, text="Khác")
    await drain(dispatcher)
    assert channel.texts_to(chat_id) == ["Nhắc việc"]


async def test_row_not_yet_due_waits(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """A row due later is left alone until the clock reaches it."""
    person_id, chat_id = people[SECRETARY]
    await plan(db, clock, person_id, due_at=clock.now() + timedelta(hours=2))
    assert await dispatcher.tick() == 0
    clock.advance(timedelta(hours=2))
    await drain(dispatcher)
    assert channel.texts_to(chat_id) == ["Nhắc việc"]


async def test_429_is_retried_after_the_servers_delay(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """A 429 with retry_after puts the row back exactly that long, then it goes."""
    person_id, chat_id = people[SECRETARY]
    await plan(db, clock, person_id)
    channel.errors.append(SendError("Too Many Requests: retry after 30", retry_after=30))
    refused_at = clock.now()
    await drain(dispatcher)
    row = await only_row(db, outbox.PENDING)
    assert row.due_at == refused_at + timedelta(seconds=30)
    clock.advance(row.due_at - clock.now() - timedelta(seconds=1))
    assert await dispatcher.tick() == 0
    clock.advance(timedelta(seconds=1))
    await drain(dispatcher)
    assert channel.texts_to(chat_id) == ["Nhắc việc"]


async def test_server_error_backs_off_exponentially(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """A 5xx or network error is retried later, each time waiting longer."""
    person_id, _ = people[SECRETARY]
    await plan(db, clock, person_id)
    channel.errors += [SendError("Bad Gateway"), SendError("Bad Gateway")]
    start = clock.now()
    await drain(dispatcher)
    first = (await only_row(db, outbox.PENDING)).due_at - start
    clock.advance(first)
    await drain(dispatcher)
    second = (await only_row(db, outbox.PENDING)).due_at - clock.now()
    assert timedelta(0) < first < second


async def test_blocked_user_fails_and_is_never_retried(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """A permanent refusal (the user blocked the bot) marks the row failed for good."""
    person_id, _ = people[SECRETARY]
    await plan(db, clock, person_id)
    channel.errors.append(SendError("Forbidden: bot was blocked by the user", permanent=True))
    await drain(dispatcher)
    clock.advance(timedelta(days=1))
    await drain(dispatcher)
    assert (await only_row(db, outbox.FAILED)).last_error.startswith("Forbidden")
    assert channel.attempts == 1


async def test_transient_errors_give_up_after_max_attempts(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """A row that keeps failing is marked failed after the last allowed attempt."""
    person_id, _ = people[SECRETARY]
    await plan(db, clock, person_id)
    channel.errors += [SendError("timeout")] * 5
    for _ in range(5):
        await drain(dispatcher)
        clock.advance(timedelta(hours=1))
    assert channel.attempts == 3
    assert (await only_row(db, outbox.FAILED)).attempts == 3


async def test_row_left_mid_send_is_unknown_reported_and_not_resent(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """A row a dead process left "sending" becomes unknown, the committee hears of it, and it is not sent."""
    person_id, chat_id = people[SECRETARY]
    await plan(db, clock, person_id, kind=calendar.INSPECTION_REMINDER)
    async with db.begin() as conn:
        await outbox.claim_due(conn, "dead-worker", clock.now(), 10)
    clock.advance(timedelta(minutes=10))
    await drain(dispatcher)
    assert channel.texts_to(chat_id) == []
    assert (await only_row(db, outbox.UNKNOWN)).period == "p1"
    chairman_chat = people["Nguyễn Đức Thuận"][1]
    [report] = channel.texts_to(chairman_chat)
    assert "Nguyễn Văn Tài" in report and "không tự gửi lại" in report


class Killed(BaseException):
    """The process dying at this point, as a SIGKILL would stop it."""


class DyingChannels(dict):
    """The running channels, whose first lookup kills the process."""

    def __init__(self, channels: dict) -> None:
        super().__init__(channels)
        self.alive = False

    def __contains__(self, name: object) -> bool:
        if not self.alive:
            self.alive = True
            raise Killed
        return super().__contains__(name)


async def test_a_crash_while_choosing_the_chat_does_not_lose_the_reminder(
    db: Database, clock: FixedClock, people: dict, channel: RecordingChannel
) -> None:
    """Dying after the claim but before anything was sent leaves the reminder to be sent after the restart."""
    person_id, chat_id = people[SECRETARY]
    await plan(db, clock, person_id, kind=calendar.INSPECTION_REMINDER)
    with pytest.raises(Killed):
        await Dispatcher(db, clock, DyingChannels({"test": channel})).tick()
    clock.advance(timedelta(minutes=10))
    await drain(Dispatcher(db, clock, {"test": channel}))
    assert channel.texts_to(chat_id) == ["Nhắc việc"]
    assert (await statuses(db))[outbox.UNKNOWN] == []


async def test_row_being_sent_by_a_live_worker_is_left_alone(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher
) -> None:
    """A row claimed moments ago by another dispatcher is neither resent nor marked unknown."""
    person_id, _ = people[SECRETARY]
    await plan(db, clock, person_id)
    async with db.begin() as conn:
        await outbox.claim_due(conn, "other-worker", clock.now(), 10)
    clock.advance(timedelta(seconds=5))
    assert await dispatcher.tick() == 0
    assert (await statuses(db))[outbox.UNKNOWN] == []


async def test_row_no_longer_useful_expires_and_is_reported(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """A row that fell due while the bot was down and is past its use is expired, reported, not sent."""
    person_id, chat_id = people[SECRETARY]
    await plan(db, clock, person_id, expires_at=clock.now() + timedelta(hours=1))
    clock.advance(timedelta(hours=3))
    await drain(dispatcher)
    assert channel.texts_to(chat_id) == []
    assert (await statuses(db))[outbox.EXPIRED] == ["p1"]
    assert "đã bỏ qua" in channel.texts_to(people["Hoàng Văn Chính"][1])[0]


async def test_quiet_hours_push_a_reminder_to_the_morning(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """A reminder due at 22:00 waits until 07:00 the next morning."""
    person_id, chat_id = people[SECRETARY]
    clock.moment = datetime(2015, 9, 10, 22, 0, tzinfo=LOCAL_TZ)
    await plan(db, clock, person_id)
    await drain(dispatcher)
    assert channel.texts_to(chat_id) == []
    row = await only_row(db, outbox.PENDING)
    assert row.due_at == datetime(2015, 9, 11, 7, 0, tzinfo=LOCAL_TZ)
    assert row.attempts == 0
    clock.moment = datetime(2015, 9, 11, 7, 0, tzinfo=LOCAL_TZ)
    await drain(dispatcher)
    assert channel.texts_to(chat_id) == ["Nhắc việc"]


async def test_quiet_hours_are_a_committee_setting(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """A committee that ends quiet hours at 06:00 gets its reminders from 06:00."""
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        await org.update_committee_settings(conn, committee.id, {"quiet_hours_end": "06:00"})
    person_id, chat_id = people[SECRETARY]
    clock.moment = datetime(2015, 9, 11, 6, 30, tzinfo=LOCAL_TZ)
    await plan(db, clock, person_id)
    await drain(dispatcher)
    assert channel.texts_to(chat_id) == ["Nhắc việc"]


async def test_replies_are_not_held_by_quiet_hours(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """A deferred reply to someone chatting at 23:00 goes at once: it is an answer, not a reminder."""
    clock.moment = datetime(2015, 9, 10, 23, 0, tzinfo=LOCAL_TZ)
    async with db.begin() as conn:
        await outbox.plan(
            conn,
            outbox.to_chat("test", "person-9"),
            Outbound("Trả lời"),
            kind="reply",
            key="u1:0",
            due_at=clock.now(),
            now=clock.now(),
        )
    await drain(dispatcher)
    assert channel.texts_to("person-9") == ["Trả lời"]


async def test_one_chat_gets_at_most_one_message_a_second(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """Two reminders to the same chat are sent a second apart; other chats are not held up."""
    secretary, chat_id = people[SECRETARY]
    deputy, deputy_chat = people[DEPUTY]
    await plan(db, clock, secretary, period="a")
    await plan(db, clock, secretary, period="b")
    await plan(db, clock, deputy, period="c")
    await drain(dispatcher)
    assert len(channel.texts_to(chat_id)) == 1 and len(channel.texts_to(deputy_chat)) == 1
    clock.advance(timedelta(seconds=1))
    await drain(dispatcher)
    times = [s.at for s in channel.sent if s.chat_id == chat_id]
    assert len(times) == 2 and times[1] - times[0] >= timedelta(seconds=1)


async def test_overall_pace_stays_under_the_platform_limit(
    db: Database, clock: FixedClock, people: dict, channel: RecordingChannel
) -> None:
    """Messages to many chats are spaced to the configured rate, leaving room for replies."""

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    dispatcher = Dispatcher(db, clock, {"test": channel}, limits=Limits(per_second=5), sleep=sleep)
    for name, (person_id, _) in people.items():
        await plan(db, clock, person_id, period=name)
    start = clock.now()
    while await dispatcher.tick():
        pass
    assert len(channel.sent) == len(people)
    assert channel.sent[-1].at - start >= timedelta(seconds=(len(people) - 1) / 5)


async def test_no_row_is_claimed_while_waiting_for_the_pace(
    db: Database, clock: FixedClock, people: dict, channel: RecordingChannel
) -> None:
    """Reminders wait their turn unclaimed, so a crash during the wait cannot leave one never sent."""
    claimed_during_waits: list[int] = []

    async def sleep(seconds: float) -> None:
        if seconds > 0:
            async with db.begin() as conn:
                claimed_during_waits.append(len(await outbox.rows_by_status(conn, outbox.SENDING)))
        clock.advance(timedelta(seconds=seconds))

    dispatcher = Dispatcher(db, clock, {"test": channel}, limits=Limits(per_second=5), sleep=sleep)
    for name, (person_id, _) in people.items():
        await plan(db, clock, person_id, period=name)
    await drain(dispatcher)
    assert len(channel.sent) == len(people)
    assert claimed_during_waits and set(claimed_during_waits) == {0}


async def test_muted_kind_is_not_sent(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """A person who muted report reminders does not get them."""
    person_id, chat_id = people[SECRETARY]
    async with db.begin() as conn:
        await reminders.mute(conn, person_id, calendar.REPORT_REMINDER, clock.now())
    await plan(db, clock, person_id)
    await drain(dispatcher)
    assert channel.texts_to(chat_id) == []
    assert (await statuses(db))[outbox.MUTED] == ["p1"]


async def test_mute_never_hides_an_inspection_reminder(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """Even with that kind marked muted, an inspection reminder is sent."""
    person_id, chat_id = people[SECRETARY]
    async with db.begin() as conn:
        await reminders.mute(conn, person_id, calendar.INSPECTION_REMINDER, clock.now())
    await plan(db, clock, person_id, kind=calendar.INSPECTION_REMINDER)
    await drain(dispatcher)
    assert channel.texts_to(chat_id) == ["Nhắc việc"]


async def test_reminder_carries_snooze_and_mute_buttons(
    db: Database, clock: FixedClock, people: dict, dispatcher: Dispatcher, channel: RecordingChannel
) -> None:
    """A report reminder offers «Nhắc lại sau 1 ngày» and «Tắt loại nhắc này»; an inspection, the first."""
    person_id, _ = people[SECRETARY]
    await plan(db, clock, person_id, period="r")
    await plan(db, clock, people[DEPUTY][0], kind=calendar.INSPECTION_REMINDER, period="i")
    await drain(dispatcher)
    report, inspection = (s.message for s in channel.sent)
    assert [o.label for o in report.options] == ["Nhắc lại sau 1 ngày", "Tắt loại nhắc này"]
    assert report.options[1].value == "/tatnhac report_reminder"
    assert [o.label for o in inspection.options] == ["Nhắc lại sau 1 ngày"]


async def test_person_not_reachable_yet_is_tried_hourly_then_given_up(
    db: Database, clock: FixedClock, ward: DemoWard, channel: RecordingChannel
) -> None:
    """A leader not joined yet gets the reminder on joining within the hour; after the last try it fails."""
    dispatcher = Dispatcher(db, clock, {"test": channel}, limits=Limits(max_attempts=3))
    async with db.begin() as conn:
        person_id = next(pid for pid, name in await accounts.list_people(conn) if name == SECRETARY)
    await plan(db, clock, person_id)
    await drain(dispatcher)
    row = await only_row(db, outbox.PENDING)
    assert row.due_at == clock.now() + timedelta(hours=1) and "no running channel" in row.last_error
    for _ in range(3):
        clock.advance(timedelta(hours=1))
        await drain(dispatcher)
    assert "gave up after 3 attempts" in (await only_row(db, outbox.FAILED)).last_error

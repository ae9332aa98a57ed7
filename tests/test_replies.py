"""Replies: the core sends them through the channel once, keeps what cannot go now, remembers menus."""

from __future__ import annotations

import handlers
from admin.demo_data import DemoWard
from core.app import App
from core.channel import SendError
from core.context import Services
from core.messages import Inbound, Outbound
from domain.clock import FixedClock
from schedules.dispatcher import Dispatcher
from storage import outbox
from storage.db import Database
from tests.conftest import chat_as
from tests.fakes.recording_channel import RecordingChannel


async def pending_replies(db: Database) -> list[outbox.OutboxRow]:
    """Return the replies waiting in the outbox."""
    async with db.begin() as conn:
        return [r for r in await outbox.rows_by_status(conn, outbox.PENDING) if r.kind == outbox.REPLY]


async def drain(dispatcher: Dispatcher, clock: FixedClock) -> None:
    """Let the dispatcher send whatever falls due in the next few minutes."""
    for _ in range(20):
        clock.advance(dispatcher.limits.stale_after / 10)
        while await dispatcher.tick():
            pass


async def test_a_reply_refused_for_now_is_kept_and_sent_later(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A reply the platform refuses with «retry after» reaches the chat later from the outbox."""
    secretary = await chat_as(app, db, ward.cells[0].secretary)
    channel = RecordingChannel(clock)
    channel.errors.append(SendError("429", retry_after=30))
    inbound = Inbound("test", secretary.chat_id, secretary.chat_id, "u-export", text="/xuat")
    await app.handle(inbound, channel)
    kept = await pending_replies(db)
    assert len(kept) == 1 and not channel.sent
    await drain(Dispatcher(db, clock, {"test": channel}), clock)
    assert [s.message.text for s in channel.sent] == [Outbound.from_json(kept[0].payload).text]


async def test_a_deferred_document_keeps_its_bytes(db: Database, clock: FixedClock) -> None:
    """The outbox gives back a document and its name exactly as they were planned."""
    document = Outbound("Báo cáo tháng 8/2015", document=b"PK\x03\x04xlsx", document_name="bao-cao.xlsx")
    async with db.begin() as conn:
        target = outbox.to_chat("test", "42")
        await outbox.plan(
            conn, target, document, kind=outbox.REPLY, key="u1:0", due_at=clock.now(), now=clock.now()
        )
    channel = RecordingChannel(clock)
    await drain(Dispatcher(db, clock, {"test": channel}), clock)
    assert channel.sent[0].message == document


async def test_replies_after_a_deferred_one_wait_behind_it(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """When the first of two replies cannot go now, both are kept, so the chat reads them in order."""
    secretary = await chat_as(app, db, ward.cells[0].secretary)
    await secretary.say("/baocao")
    channel = RecordingChannel(clock)
    channel.errors.append(SendError("network"))
    await app.handle(Inbound("test", secretary.chat_id, secretary.chat_id, "u-two", text="/help"), channel)
    kept = await pending_replies(db)
    assert len(kept) >= 2 and not channel.sent
    await drain(Dispatcher(db, clock, {"test": channel}), clock)
    assert [s.message.text for s in channel.sent] == [Outbound.from_json(r.payload).text for r in kept]


async def test_kept_replies_stay_in_order_when_the_first_is_refused_again(
    db: Database, clock: FixedClock
) -> None:
    """A kept reply that meets a second 429 is not overtaken by the reply kept after it."""
    async with db.begin() as conn:
        for index, text in enumerate(("một", "hai")):
            await outbox.plan(
                conn,
                outbox.to_chat("test", "42"),
                Outbound(text),
                kind=outbox.REPLY,
                key=f"u1:{index}",
                due_at=clock.now(),
                now=clock.now(),
            )
    channel = RecordingChannel(clock)
    channel.errors.append(SendError("429", retry_after=30))
    await drain(Dispatcher(db, clock, {"test": channel}), clock)
    assert channel.texts_to("42") == ["một", "hai"]


async def test_a_reply_refused_for_good_is_dropped_and_the_next_still_goes(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A permanent refusal of one reply does not hold back the replies after it."""
    secretary = await chat_as(app, db, ward.cells[0].secretary)
    await secretary.say("/baocao")
    channel = RecordingChannel(clock)
    channel.errors.append(SendError("400", permanent=True))
    await app.handle(Inbound("test", secretary.chat_id, secretary.chat_id, "u-perm", text="/help"), channel)
    assert len(channel.sent) >= 1 and await pending_replies(db) == []


async def test_a_typed_number_picks_from_the_menu_shown_before_a_restart(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """The numbered menu lives in the database: a new process takes «1» as the first entry."""
    secretary = await chat_as(app, db, ward.cells[0].secretary)
    await secretary.say("/tatnhac")
    first = secretary.last[0].options[0].label
    secretary.app = App(
        Services(db, clock, app.services.settings), handlers.all_commands(), handlers.all_forms()
    )
    await secretary.say("1")
    assert f"Đã tắt «{first}»" in secretary.text()

"""A group chat that gets a new id (Telegram's supergroup upgrade) is followed, not lost."""

from __future__ import annotations

from datetime import timedelta

from admin.demo_data import DemoWard
from core.app import App
from core.channel import SendError
from core.messages import Inbound, Outbound
from domain.clock import FixedClock
from domain.digest import DIGEST_CHAT
from schedules.dispatcher import Dispatcher
from storage import accounts, chats, conversations, org, outbox
from storage.db import Database
from tests.fakes.recording_channel import RecordingChannel

OLD, NEW = "-100900", "-1001234567890"


async def plan_to(db: Database, clock: FixedClock, chat_id: str, kind: str, key: str) -> None:
    """Plan one message to a test-channel chat."""
    async with db.begin() as conn:
        target = outbox.to_chat("test", chat_id)
        message = Outbound(f"{kind} {key}")
        await outbox.plan(conn, target, message, kind=kind, key=key, due_at=clock.now(), now=clock.now())


async def test_a_moved_chat_keeps_its_digest_outbox_form_and_menu(
    db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """Moving a chat readdresses its digest setting, outbox rows, form and menu; no row is doubled."""
    async with db.begin() as conn:
        committee_id = (await org.list_committees(conn))[0].id
        await org.update_committee_settings(
            conn, committee_id, {DIGEST_CHAT: {"channel": "test", "chat_id": OLD}}
        )
        await conversations.save(conn, "test", OLD, conversations.Conversation("f", "s", {}), clock.now())
        await conversations.save_menu(conn, "test", OLD, [["Xem", "/xem"]], clock.now())
    await plan_to(db, clock, OLD, "digest_weekly", "week:1")
    await plan_to(db, clock, OLD, "digest_monthly", "month:1")
    await plan_to(db, clock, NEW, "digest_monthly", "month:1")

    async with db.begin() as conn:
        await chats.move_chat(conn, "test", OLD, NEW)
    async with db.begin() as conn:
        committee = await org.get_committee(conn, committee_id)
        pending = await outbox.rows_by_status(conn, outbox.PENDING)
        failed = await outbox.rows_by_status(conn, outbox.FAILED)
        moved_form = await conversations.load(conn, "test", NEW)
        old_form = await conversations.load(conn, "test", OLD)
        menus = [(await accounts.identify_in_chat(conn, "test", "5", chat)).menu for chat in (NEW, OLD)]
    assert committee.settings[DIGEST_CHAT] == {"channel": "test", "chat_id": NEW}
    assert sorted((r.kind, r.target, r.chat_id) for r in pending) == [
        ("digest_monthly", f"chat:test:{NEW}", NEW),
        ("digest_weekly", f"chat:test:{NEW}", NEW),
    ]
    assert [(r.kind, r.chat_id) for r in failed] == [("digest_monthly", OLD)]
    assert moved_form is not None and old_form is None
    assert menus == [[["Xem", "/xem"]], None]


async def test_the_dispatcher_sends_to_the_new_id(db: Database, clock: FixedClock, ward: DemoWard) -> None:
    """A row whose chat moved is sent to the new id at once and marked sent there."""
    channel = RecordingChannel(clock)
    channel.errors.append(SendError("group chat was upgraded", moved_to=NEW))
    await plan_to(db, clock, OLD, "digest_weekly", "week:1")

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    await Dispatcher(db, clock, {"test": channel}, sleep=sleep).tick()
    async with db.begin() as conn:
        [sent] = await outbox.rows_by_status(conn, outbox.SENT)
    assert channel.texts_to(NEW) == ["digest_weekly week:1"] and sent.chat_id == NEW


async def test_a_reply_follows_the_chat(app: App, clock: FixedClock) -> None:
    """When a reply's chat moved, the reply goes to the new id instead of being lost."""
    channel = RecordingChannel(clock)
    channel.errors.append(SendError("group chat was upgraded", moved_to=NEW))
    inbound = Inbound(channel="test", chat_id=OLD, sender_id="5", update_key="u1", text="/help", group=True)
    await app.handle(inbound, channel)
    assert channel.attempts == 2 and len(channel.texts_to(NEW)) == 1 and not channel.texts_to(OLD)

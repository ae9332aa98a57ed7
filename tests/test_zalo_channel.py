"""The Zalo channel in-process against the fake Zalo Bot API server, over real HTTP."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from itertools import pairwise

import aiohttp
import pytest
from pydantic import SecretStr

from admin.demo_data import DemoWard
from channels.webserver import DownloadLinks, WebServer
from channels.zalo import ZaloChannel
from core.app import App
from core.channel import SendError
from core.messages import Attachment, Inbound, Option, Outbound, command_option
from domain.clock import FixedClock
from schedules.dispatcher import Dispatcher
from settings import Settings
from storage import accounts, downloads, outbox
from storage.db import Database
from tests.conftest import chat_as, item_updates
from tests.fakes.zalo_api import FakeZaloServer
from tests.test_pledge_flow import _items, _roster, progress_up_to_evidence


@pytest.fixture
def zalo_settings(settings: Settings, zalo: FakeZaloServer) -> Settings:
    """Point the settings at the fake server, with short polls."""
    return settings.model_copy(
        update={
            "zalo_bot_token": SecretStr(zalo.token),
            "zalo_api_base_url": zalo.base_url,
            "zalo_poll_timeout": 1,
        }
    )


@pytest.fixture
def channel(zalo_settings: Settings, app: App) -> ZaloChannel:
    """Build the Zalo channel."""
    return ZaloChannel(zalo_settings, app)


@pytest.fixture
async def running(channel: ZaloChannel) -> AsyncIterator[ZaloChannel]:
    """Run the channel by long polling for one test."""
    stop = asyncio.Event()
    task = asyncio.create_task(channel.run(stop))
    yield channel
    stop.set()
    await asyncio.wait_for(task, 10)


def record_inbounds(app: App, monkeypatch: pytest.MonkeyPatch) -> list[Inbound]:
    """Keep the Inbounds the channel hands the core instead of handling them, to look at the Zalo end."""
    seen: list[Inbound] = []

    async def record(inbound: Inbound, channel: object) -> None:
        seen.append(inbound)

    monkeypatch.setattr(app, "handle", record)
    return seen


async def settle(zalo: FakeZaloServer) -> None:
    """Wait until the channel consumed every queued update, echoes included, and answered."""
    assert await zalo.wait_for(lambda: zalo.pending == 0, 10)
    await asyncio.sleep(0.3)


async def test_long_message_arrives_in_three_pieces_with_nothing_lost(
    channel: ZaloChannel, zalo: FakeZaloServer
) -> None:
    """A 5,000-character message goes out as three messages of at most 2000, split at line ends."""
    user = zalo.user("An")
    text = "\n".join(f"Dòng {n:03}: " + "nội dung báo cáo " * 3 for n in range(80))
    assert 4900 <= len(text) <= 5100
    await channel.send(user.chat_id, Outbound(text))
    pieces = [m.text for m in user.messages]
    assert len(pieces) == 3
    assert all(len(p) <= 2000 for p in pieces)
    assert "\n".join(pieces) == text


async def test_options_become_numbered_lines(channel: ZaloChannel, zalo: FakeZaloServer) -> None:
    """Without buttons on Zalo, options are numbered lines with how to answer."""
    user = zalo.user("An")
    await channel.send(
        user.chat_id, Outbound("Chọn tháng?", options=(Option("Tháng 8", "8"), Option("Tháng 9", "9")))
    )
    [message] = user.messages
    assert "1. Tháng 8\n2. Tháng 9" in message.text and "Trả lời 1, 2" in message.text


async def test_unknown_user_gets_one_answer_and_the_echo_is_dropped(
    running: ZaloChannel, zalo: FakeZaloServer
) -> None:
    """The bot's own message echoed back by Zalo is not handled as a user's message."""
    user = zalo.user("Lạ")
    await user.send_text("xin chào")
    [reply] = await user.wait_for_messages(1)
    assert "mã mời" in reply.text
    await settle(zalo)
    assert len(user.messages) == 1


async def test_replayed_update_is_answered_once(running: ZaloChannel, zalo: FakeZaloServer) -> None:
    """An update Zalo delivers again is not handled again."""
    user = zalo.user("Lạ")
    update = await user.send_text("xin chào")
    await user.wait_for_messages(1)
    await zalo.replay(update["message"]["message_id"])
    await settle(zalo)
    assert len(user.messages) == 1


async def test_unknown_events_are_ignored_and_polling_goes_on(
    running: ZaloChannel, zalo: FakeZaloServer
) -> None:
    """Unknown event names and malformed updates are skipped without an answer or a crash."""
    user = zalo.user("Lạ")
    await user.send_event("message.location.received", location={"lat": 21.0, "long": 105.8})
    await user.send_event("user.follow")
    await zalo.queue_update(
        {"event_name": "message.text.received", "message": {"message_id": "x1", "from": "?"}}
    )
    await zalo.queue_update({"event_name": "message.text.received", "message": "?"})
    await user.send_event("message.text.received", text=12345)
    await user.send_text("/help")
    [reply] = await user.wait_for_messages(1)
    assert "mã mời" in reply.text
    assert all(call.status in (200, 408) for call in zalo.calls)


async def test_idle_polls_are_at_least_a_second_apart(
    zalo_settings: Settings, app: App, zalo: FakeZaloServer
) -> None:
    """When Zalo answers 408 at once, the bot waits before polling again."""
    zalo.hold_polls = False
    channel = ZaloChannel(zalo_settings, app)
    stop = asyncio.Event()
    task = asyncio.create_task(channel.run(stop))
    await asyncio.sleep(3.2)
    stop.set()
    await asyncio.wait_for(task, 10)
    polls = zalo.calls_of("getUpdates")
    assert 2 <= len(polls) <= 4
    assert all(p.status == 408 for p in polls)
    assert all(b.at - a.at >= 0.95 for a, b in pairwise(polls))


async def test_a_server_error_is_one_attempt_to_retry_later(
    channel: ZaloChannel, zalo: FakeZaloServer
) -> None:
    """A 500 on sendMessage is tried once and raised to be retried later, not given up."""
    user = zalo.user("An")
    zalo.fail_next("sendMessage", 500)
    with pytest.raises(SendError) as raised:
        await channel.send(user.chat_id, Outbound("Nhắc việc"))
    assert not raised.value.permanent
    assert len(zalo.calls_of("sendMessage")) == 1


async def test_quota_error_is_a_retry_later(channel: ZaloChannel, zalo: FakeZaloServer) -> None:
    """A 429 (quota) raises a SendError to retry after a while at once, not a permanent failure."""
    user = zalo.user("An")
    zalo.fail_next("sendMessage", 429)
    with pytest.raises(SendError) as raised:
        await channel.send(user.chat_id, Outbound("Nhắc việc"))
    assert not raised.value.permanent and raised.value.retry_after
    assert len(zalo.calls_of("sendMessage")) == 1


async def test_bad_request_is_permanent(channel: ZaloChannel, zalo: FakeZaloServer) -> None:
    """A chat that never wrote to the bot cannot be reached: a permanent SendError."""
    with pytest.raises(SendError) as raised:
        await channel.send("0123456789abcdef0123", Outbound("Nhắc việc"))
    assert raised.value.permanent


async def test_network_error_never_shows_the_token(
    zalo_settings: Settings, app: App, zalo: FakeZaloServer
) -> None:
    """A failed connection raises a SendError whose message holds no token."""
    unreachable = zalo_settings.model_copy(update={"zalo_api_base_url": "http://127.0.0.1:9"})
    channel = ZaloChannel(unreachable, app)
    with pytest.raises(SendError) as raised:
        await channel.send("0123456789abcdef0123", Outbound("Nhắc việc"))
    assert not raised.value.permanent
    assert zalo.token not in str(raised.value) and zalo.token.split(":")[1] not in str(raised.value)


async def test_refused_token_stops_the_channel_with_one_log_line(
    channel: ZaloChannel, zalo: FakeZaloServer, caplog: pytest.LogCaptureFixture
) -> None:
    """On 401 the channel stops by itself, says so once, and never logs the token."""
    zalo.revoke_token()
    with caplog.at_level(logging.INFO, logger="channels.zalo"):
        await asyncio.wait_for(channel.run(asyncio.Event()), 10)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "401" in errors[0].getMessage() and "ZALO_BOT_TOKEN" in errors[0].getMessage()
    assert zalo.token.split(":")[1] not in caplog.text
    with pytest.raises(SendError):
        await channel.send("0123456789abcdef0123", Outbound("Nhắc việc"))


async def test_token_revoked_while_polling_stops_the_channel(
    running: ZaloChannel, zalo: FakeZaloServer
) -> None:
    """A token revoked while running stops polling."""
    await zalo.wait_for(lambda: bool(zalo.calls_of("getUpdates")), 5)
    zalo.revoke_token()
    assert await zalo.wait_for(lambda: zalo.calls_of("getUpdates")[-1].status == 401, 5)
    count = len(zalo.calls_of("getUpdates"))
    await asyncio.sleep(1.5)
    assert len(zalo.calls_of("getUpdates")) == count


async def test_document_without_public_url_says_to_use_telegram(
    channel: ZaloChannel, zalo: FakeZaloServer
) -> None:
    """A file Zalo cannot carry is replaced by a clear note when no public URL is set."""
    user = zalo.user("An")
    await channel.send(
        user.chat_id, Outbound("Báo cáo tháng 9", document=b"PK..", document_name="bao-cao.xlsx")
    )
    [message] = user.messages
    assert (
        message.text.startswith("Báo cáo tháng 9")
        and "bao-cao.xlsx" in message.text
        and "Telegram" in message.text
    )


async def test_document_is_offered_as_a_download_link(
    zalo_settings: Settings,
    app: App,
    db: Database,
    clock: FixedClock,
    zalo: FakeZaloServer,
    unused_tcp_port: int,
) -> None:
    """With a public URL, a document becomes an unguessable link the web server serves."""
    server = WebServer("127.0.0.1", unused_tcp_port)
    links = DownloadLinks(f"http://127.0.0.1:{unused_tcp_port}", 3600, db, clock)
    links.mount(server)
    channel = ZaloChannel(zalo_settings, app, links=links)
    stop = asyncio.Event()
    serving = asyncio.create_task(server.run(stop))
    await server.started.wait()
    try:
        user = zalo.user("An")
        await channel.send(
            user.chat_id, Outbound("Báo cáo tháng 9", document=b"PK-bytes", document_name="bao-cao.xlsx")
        )
        [message] = user.messages
        url = next(line for line in message.text.splitlines() if line.startswith("http"))
        async with aiohttp.ClientSession() as session:
            async with session.get(url) as response:
                assert response.status == 200 and await response.read() == b"PK-bytes"
            async with session.get(url.replace("/tai/", "/tai/x")) as response:
                assert response.status == 404
    finally:
        stop.set()
        await serving


async def test_download_link_works_from_another_instance_after_a_restart(
    db: Database, clock: FixedClock, unused_tcp_port: int
) -> None:
    """A link made by one web server is served by another on the same database: a restart, a 2nd instance."""
    url = await DownloadLinks(f"http://127.0.0.1:{unused_tcp_port}", 3600, db, clock).add(b"PK", "a.xlsx")
    server = WebServer("127.0.0.1", unused_tcp_port)
    DownloadLinks(f"http://127.0.0.1:{unused_tcp_port}", 3600, db, clock).mount(server)
    stop = asyncio.Event()
    serving = asyncio.create_task(server.run(stop))
    await server.started.wait()
    try:
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            assert response.status == 200 and await response.read() == b"PK"
    finally:
        stop.set()
        await serving


async def test_chart_is_sent_as_a_photo_link_that_lives_a_day(
    zalo_settings: Settings, app: App, db: Database, clock: FixedClock, zalo: FakeZaloServer
) -> None:
    """With download links, a chart goes out through sendPhoto with a URL kept at least 24 hours."""
    links = DownloadLinks("https://chibo.example.vn", 3600, db, clock)
    channel = ZaloChannel(zalo_settings, app, links=links)
    user = zalo.user("An")
    await channel.send(user.chat_id, Outbound("Tỷ lệ dự họp", photo=b"\x89PNG"))
    photo, caption = user.messages
    assert photo.photo is not None and photo.photo.startswith("https://chibo.example.vn/tai/")
    assert caption.text == "Tỷ lệ dự họp"
    clock.advance(timedelta(hours=23, minutes=59))
    async with db.begin() as conn:
        assert await downloads.find(conn, photo.photo.split("/")[-2], clock.now()) is not None


async def test_download_links_expire(db: Database, clock: FixedClock) -> None:
    """A link stops working once its time is up, and links are not guessable from each other."""
    links = DownloadLinks("https://chibo.example.vn/", 60, db, clock)
    first, second = await links.add(b"a", "a.xlsx"), await links.add(b"b", "b.xlsx")
    assert first.startswith("https://chibo.example.vn/tai/") and first.split("/")[-2] != second.split("/")[-2]
    assert len(first.split("/")[-2]) >= 40
    clock.advance(timedelta(seconds=61))
    await links.add(b"c", "c.xlsx")
    async with db.begin() as conn:
        assert await downloads.find(conn, first.split("/")[-2], clock.now()) is None
        assert await downloads.count_live(conn, clock.now()) == 1


async def test_typed_number_runs_a_command_offered_in_a_message(
    running: ZaloChannel, zalo: FakeZaloServer, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """Options that run commands (a reminder's «Nhắc lại sau») are answered by their number on Zalo."""
    user = zalo.user("An")
    async with db.begin() as conn:
        person_id = next(
            pid for pid, name in await accounts.list_people(conn) if name == ward.cells[0].secretary
        )
        await accounts.bind_account(conn, person_id, "zalo", user.user_id, user.chat_id, "An", clock.now())
    async with db.begin() as conn:
        await outbox.plan(
            conn,
            outbox.to_person(person_id),
            Outbound("Nhắc việc", options=(command_option("Xem các việc", "help"),)),
            kind="notice",
            key="menu",
            due_at=clock.now(),
            now=clock.now(),
        )
    await Dispatcher(db, clock, {"zalo": running}).tick()
    await user.wait_for_messages(1)
    await user.send_text("1")
    await user.wait_for_text("Các việc đồng chí có thể làm")
    await user.send_text("1")
    await user.wait_for_text("Chưa rõ yêu cầu")


async def test_polling_starts_when_delete_webhook_fails_and_says_it_is_for_local_use(
    zalo_settings: Settings, app: App, zalo: FakeZaloServer, caplog: pytest.LogCaptureFixture
) -> None:
    """A 404 from deleteWebhook (none set) is logged once and polling starts anyway."""
    zalo.fail_next("deleteWebhook", 404, times=100)
    channel = ZaloChannel(zalo_settings, app)
    stop = asyncio.Event()
    with caplog.at_level(logging.INFO, logger="channels.zalo"):
        task = asyncio.create_task(channel.run(stop))
        user = zalo.user("Lạ")
        await user.send_text("xin chào")
        await user.wait_for_text("mã mời")
        stop.set()
        await asyncio.wait_for(task, 10)
    assert len(zalo.calls_of("deleteWebhook")) == 1
    assert "local use" in caplog.text and "ZALO_WEBHOOK_URL" in caplog.text


async def test_poll_error_with_a_non_numeric_code_does_not_stop_polling(
    running: ZaloChannel, zalo: FakeZaloServer
) -> None:
    """An error answer whose error_code is not a number is one failed poll, not a crash."""
    zalo.fail_next("getUpdates", 500, error_code="E_INTERNAL")
    user = zalo.user("Lạ")
    await user.send_text("xin chào")
    await user.wait_for_text("mã mời")


async def test_poll_result_as_a_list_is_handled(running: ZaloChannel, zalo: FakeZaloServer) -> None:
    """getUpdates answering a list of updates instead of one update is read all the same."""
    zalo.list_results = True
    user = zalo.user("Lạ")
    await user.send_text("xin chào")
    await user.wait_for_text("mã mời")


async def test_unsupported_message_gets_its_own_explanation(
    running: ZaloChannel, zalo: FakeZaloServer
) -> None:
    """A message whose content Zalo withheld is answered with what to do instead, not «unknown account»."""
    user = zalo.user("Lạ")
    await user.send_event("message.unsupported.received")
    [reply] = await user.wait_for_messages(1)
    assert reply.text.startswith("Zalo không chuyển nội dung tin nhắn này") and "mã mời" not in reply.text


async def test_sticker_gets_a_short_polite_answer(running: ZaloChannel, zalo: FakeZaloServer) -> None:
    """A sticker is thanked and pointed to /help."""
    user = zalo.user("Lạ")
    await user.send_event("message.sticker.received", sticker="abc", url="https://example.invalid/s.png")
    [reply] = await user.wait_for_messages(1)
    assert reply.text.startswith("Cảm ơn đồng chí") and "/help" in reply.text and len(reply.text) < 150


async def test_photo_becomes_an_attachment_with_its_caption(
    running: ZaloChannel, app: App, zalo: FakeZaloServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An image event reaches the core as a photo attachment (its URL) with the caption as text."""
    seen = record_inbounds(app, monkeypatch)
    await zalo.user("An").send_photo("https://photo.zdn.vn/abc.jpg", caption="Ảnh buổi sinh hoạt")
    await settle(zalo)
    [inbound] = seen
    assert inbound.attachment == Attachment("photo", "https://photo.zdn.vn/abc.jpg")
    assert inbound.text == "Ảnh buổi sinh hoạt"


async def test_group_message_is_marked_as_group_without_the_mention(
    running: ZaloChannel, app: App, zalo: FakeZaloServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group message reaches the core with group=True, the group as chat and the bot's @mention removed."""
    seen = record_inbounds(app, monkeypatch)
    member = zalo.user("An", group_id="group-0001")
    await member.send_text(f"@{zalo.bot_name} /baocao")
    await settle(zalo)
    [inbound] = seen
    assert (inbound.group, inbound.chat_id, inbound.sender_id) == (True, "group-0001", member.user_id)
    assert inbound.text == "/baocao"


async def test_echo_with_an_unknown_sender_id_is_not_answered(
    running: ZaloChannel, zalo: FakeZaloServer
) -> None:
    """An echo of the bot's reply that carries another id is still recognised by its text: no loop."""
    zalo.echo_sender_id = "9876543210"
    user = zalo.user("Lạ")
    await user.send_text("xin chào")
    await user.wait_for_messages(1)
    await settle(zalo)
    await asyncio.sleep(0.5)
    assert len(user.messages) == 1


async def test_emoji_text_is_split_by_utf16_units(channel: ZaloChannel, zalo: FakeZaloServer) -> None:
    """1,500 emoji (3,000 UTF-16 units) go out as two parts within Zalo's 2000, with nothing lost."""
    user = zalo.user("An")
    text = "🎉" * 1500
    await channel.send(user.chat_id, Outbound(text))
    pieces = [m.text for m in user.messages]
    assert len(pieces) == 2 and "".join(pieces) == text
    assert all(len(p.encode("utf-16-le")) // 2 <= 2000 for p in pieces)


async def test_part_refused_as_too_long_is_sent_in_halves(channel: ZaloChannel, zalo: FakeZaloServer) -> None:
    """When Zalo refuses a part with 400 (it counts differently), the part goes again in halves, whole."""
    zalo.max_text = 1200
    user = zalo.user("An")
    text = "\n".join(f"Dòng {n:03}: nội dung" for n in range(100))
    await channel.send(user.chat_id, Outbound(text))
    pieces = [m.text for m in user.messages]
    assert len(pieces) >= 2 and "\n".join(pieces) == text


async def test_zalo_photo_is_taken_as_pledge_evidence_in_capnhat(
    running: ZaloChannel, app: App, db: Database, zalo: FakeZaloServer, ward: DemoWard
) -> None:
    """A photo sent on Zalo at the evidence step of /capnhat is kept as a photo with its URL."""
    chat = await chat_as(app, db, ward.cells[1].secretary, channel="zalo")
    member = (await _roster(db))[3]
    await progress_up_to_evidence(chat)
    user = zalo.user("An", chat.chat_id)
    await user.send_photo("https://photo.zdn.vn/bai-1.jpg")
    await user.wait_for_text("ảnh đính kèm")
    await user.ask("Gửi", "đang thực hiện")
    (item,) = await _items(db, member.id)
    async with db.begin() as conn:
        (update,) = await item_updates(conn, item.id)
    assert (update.evidence_kind, update.evidence_ref) == ("photo", "https://photo.zdn.vn/bai-1.jpg")

"""Tests for the fake Telegram Bot API server, driven by python-telegram-bot itself."""

import asyncio
import datetime as dtm
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity, Update
from telegram.error import BadRequest, Conflict, NetworkError, RetryAfter
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from tests.fakes.telegram_api import FakeTelegramServer

TOKEN = "123456:TEST-TOKEN"
USER_ID = 1001
USER_NAME = "Nguyễn Văn A"


@pytest_asyncio.fixture
async def server() -> AsyncIterator[FakeTelegramServer]:
    """Run a fake server for one test."""
    async with FakeTelegramServer() as fake:
        yield fake


@pytest_asyncio.fixture
async def bot(server: FakeTelegramServer) -> AsyncIterator[Bot]:
    """Provide an initialised PTB bot pointed at the fake."""
    async with Bot(TOKEN, base_url=server.base_url, base_file_url=server.base_file_url) as ptb_bot:
        yield ptb_bot


def keyboard() -> InlineKeyboardMarkup:
    """Return a two-button inline keyboard."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Đồng ý", callback_data="yes"),
                InlineKeyboardButton("Không", callback_data="no"),
            ]
        ]
    )


@pytest.mark.asyncio
async def test_get_me_parses(bot: Bot, server: FakeTelegramServer) -> None:
    """Check getMe returns the configured bot user."""
    me = await bot.get_me()
    assert me.is_bot
    assert me.username == server.bot_user["username"]
    assert me.can_join_groups is True


@pytest.mark.asyncio
async def test_text_update_round_trip_honours_offset(bot: Bot, server: FakeTelegramServer) -> None:
    """Check queued text updates parse and confirmed ones are dropped."""
    user = server.user(USER_ID, USER_NAME)
    await user.send_text("/start ABC")
    await user.send_text("xin chào")

    first, second = await bot.get_updates(timeout=1)
    assert second.update_id == first.update_id + 1
    assert first.message.text == "/start ABC"
    assert first.message.from_user.first_name == USER_NAME
    assert first.message.chat.type == "private"
    assert first.message.entities == (MessageEntity(MessageEntity.BOT_COMMAND, 0, len("/start")),)
    assert isinstance(first.message.date, dtm.datetime)
    assert second.message.entities == ()

    remaining = await bot.get_updates(offset=second.update_id)
    assert [update.message.text for update in remaining] == ["xin chào"]
    assert await bot.get_updates(offset=second.update_id + 1) == ()


@pytest.mark.asyncio
async def test_long_poll_times_out_empty(bot: Bot) -> None:
    """Check getUpdates waits for its timeout before answering an empty list."""
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 2.5


@pytest.mark.asyncio
async def test_long_poll_wakes_on_new_update(bot: Bot, server: FakeTelegramServer) -> None:
    """Check a pending long poll answers as soon as an update arrives."""
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    await server.user(USER_ID).send_text("hello")
    updates = await poll
    assert [update.message.text for update in updates] == ["hello"]
    assert time.monotonic() - started < 1


@pytest.mark.asyncio
async def test_inline_keyboard_press_and_answer(bot: Bot, server: FakeTelegramServer) -> None:
    """Check keyboards are recorded, pressed buttons parse as CallbackQuery and answers are kept."""
    user = server.user(USER_ID, USER_NAME)
    returned = await bot.send_message(USER_ID, "Xác nhận?", reply_markup=keyboard())
    assert returned.reply_markup == keyboard()
    assert returned.from_user.id == server.bot_user["id"]

    [sent] = await user.wait_for_messages()
    assert sent.text == "Xác nhận?"
    assert sent.message_id == returned.message_id
    assert sent.button_labels() == ["Đồng ý", "Không"]

    pressed = await user.press_button(sent, "Không")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert update.update_id == pressed["update_id"]
    assert query.data == "no"
    assert query.from_user.id == USER_ID
    assert query.message.message_id == sent.message_id
    assert query.message.reply_markup == keyboard()

    assert await query.answer("Đã huỷ")
    assert [answer.text for answer in server.answered_callbacks] == ["Đã huỷ"]
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.answer()

    edited = await bot.edit_message_text("Đã huỷ", chat_id=USER_ID, message_id=sent.message_id)
    assert edited.text == "Đã huỷ"
    assert (sent.text, sent.reply_markup, sent.edit_count) == ("Đã huỷ", None, 1)
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("Đã huỷ", chat_id=USER_ID, message_id=sent.message_id)
    await bot.edit_message_reply_markup(USER_ID, sent.message_id, reply_markup=keyboard())
    assert sent.reply_markup == keyboard().to_dict()


@pytest.mark.asyncio
async def test_press_button_by_index_and_unknown_label(bot: Bot, server: FakeTelegramServer) -> None:
    """Check buttons can be chosen by index and a missing label fails clearly."""
    user = server.user(USER_ID)
    await bot.send_message(USER_ID, "Chọn", reply_markup=keyboard())
    [sent] = await user.wait_for_messages()
    update = await user.press_button(sent, 0)
    assert update["callback_query"]["data"] == "yes"
    with pytest.raises(AssertionError, match="available"):
        await user.press_button(sent, "Maybe")


@pytest.mark.asyncio
async def test_document_and_photo_uploads_are_recorded(bot: Bot, server: FakeTelegramServer) -> None:
    """Check multipart uploads keep bytes, filename and caption."""
    content = b"PK\x03\x04 fake xlsx bytes"
    message = await bot.send_document(
        USER_ID, document=content, filename="Báo cáo tuần.xlsx", caption="Báo cáo"
    )
    assert message.document.file_name == "Báo cáo tuần.xlsx"
    assert message.document.file_size == len(content)
    assert message.caption == "Báo cáo"

    photo_message = await bot.send_photo(USER_ID, photo=b"\x89PNG fake", filename="chart.png")
    assert photo_message.photo[0].file_size == len(b"\x89PNG fake")

    document, photo = server.sent_to(USER_ID)
    assert (document.document, document.document_filename) == (content, "Báo cáo tuần.xlsx")
    assert document.caption == "Báo cáo"
    assert photo.photo == b"\x89PNG fake"
    assert photo.message_id == document.message_id + 1

    resent = await bot.send_document(USER_ID, document=message.document.file_id)
    assert server.sent_to(USER_ID)[-1].document == content
    assert resent.document.file_id == message.document.file_id


@pytest.mark.asyncio
async def test_user_document_downloads_through_get_file(bot: Bot, server: FakeTelegramServer) -> None:
    """Check a user's document can be fetched with getFile and downloaded."""
    content = "mã,số lượng\nA1,3\n".encode()
    await server.user(USER_ID).send_document(content, "don_hang.csv", caption="đơn hàng")
    [update] = await bot.get_updates()
    document = update.message.document
    assert (document.file_name, document.file_size) == ("don_hang.csv", len(content))
    assert document.mime_type == "text/csv"
    assert update.message.caption == "đơn hàng"

    telegram_file = await bot.get_file(document.file_id)
    assert bytes(await telegram_file.download_as_bytearray()) == content


@pytest.mark.asyncio
async def test_injected_errors(bot: Bot, server: FakeTelegramServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Check injected 429, 500 and 502 answers and that they run out."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    server.fail_next("sendMessage", 2, retry_after=7)
    for _ in range(2):
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(USER_ID, "hi")
        assert raised.value.retry_after == dtm.timedelta(seconds=7)

    server.fail_next("SENDMESSAGE", error_code=500)
    server.fail_next("sendMessage", error_code=502)
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(USER_ID, "hi")
    await bot.send_message(USER_ID, "hi")

    assert [call.status for call in server.calls if call.method == "sendMessage"] == [
        429,
        429,
        500,
        502,
        200,
    ]
    assert [sent.text for sent in server.sent_to(USER_ID)] == ["hi"]


@pytest.mark.asyncio
async def test_rate_limit_per_chat_and_overall(
    bot: Bot, server: FakeTelegramServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Check sliding-window limits answer 429 beyond the per-chat and overall rates."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    server.set_rate_limit(per_chat=1, overall=2)
    await bot.send_message(1, "a")
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(1, "b")
    assert raised.value.retry_after == dtm.timedelta(seconds=1)
    await bot.send_message(2, "c")
    with pytest.raises(RetryAfter):
        await bot.send_message(3, "d")

    await asyncio.sleep(1.05)
    await bot.send_message(1, "e")
    server.clear_rate_limit()
    await bot.send_message(1, "f")
    assert [sent.text for sent in server.sent_to(1)] == ["a", "e", "f"]


@pytest.mark.asyncio
async def test_redelivered_update_arrives_twice(bot: Bot, server: FakeTelegramServer) -> None:
    """Check redeliver hands out an already confirmed update again, once."""
    user = server.user(USER_ID)
    first = await user.send_text("one")
    [update] = await bot.get_updates()
    await server.redeliver(first["update_id"])
    await user.send_text("two")

    updates = await bot.get_updates(offset=update.update_id + 1)
    assert [item.update_id for item in updates] == [first["update_id"], first["update_id"] + 1]
    assert updates[0] == update
    assert await bot.get_updates(offset=updates[-1].update_id + 1) == ()


@pytest.mark.asyncio
async def test_raw_requests_methods_and_encodings(server: FakeTelegramServer) -> None:
    """Check unknown methods, case-insensitive names and JSON bodies over plain HTTP."""
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{server.base_url}{TOKEN}/fooBar") as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }
        async with session.get(f"{server.base_url}{TOKEN}/GETME") as response:
            assert (await response.json())["result"]["is_bot"] is True
        body = {"chat_id": USER_ID, "text": "json", "reply_markup": keyboard().to_dict()}
        async with session.post(f"{server.base_url}{TOKEN}/sendMessage", json=body) as response:
            result = (await response.json())["result"]
    assert result["chat"] == {"id": USER_ID, "type": "private"}
    assert isinstance(result["date"], int)
    assert server.sent_to(USER_ID)[0].reply_markup == keyboard().to_dict()


@pytest.mark.asyncio
async def test_commands_round_trip(bot: Bot, server: FakeTelegramServer) -> None:
    """Check setMyCommands, getMyCommands and deleteMyCommands."""
    await bot.set_my_commands([("start", "Bắt đầu"), ("report", "Báo cáo")])
    commands = await bot.get_my_commands()
    assert [command.command for command in commands] == ["start", "report"]
    assert server.my_commands()[1] == {"command": "report", "description": "Báo cáo"}
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()


@pytest.mark.asyncio
async def test_webhook_delivery(bot: Bot, server: FakeTelegramServer) -> None:
    """Check a set webhook receives updates with the secret header instead of getUpdates."""
    received: asyncio.Queue[tuple[str | None, dict]] = asyncio.Queue()

    async def receive(request: web.Request) -> web.Response:
        """Collect one webhook POST."""
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        await received.put((secret, await request.json()))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
        await bot.set_webhook(url, secret_token="s3cret")
        assert (await bot.get_webhook_info()).url == url
        with pytest.raises(Conflict):
            await bot.get_updates()

        sent = await server.user(USER_ID).send_text("via webhook")
        secret, payload = await asyncio.wait_for(received.get(), timeout=5)
        assert (secret, payload) == ("s3cret", sent)
        assert Update.de_json(payload, bot).message.text == "via webhook"

        await bot.delete_webhook()
        assert await bot.get_updates() == ()
    finally:
        await runner.cleanup()


@pytest.mark.asyncio
async def test_wait_for_messages_reports_what_arrived(bot: Bot, server: FakeTelegramServer) -> None:
    """Check a wait timeout fails with the messages that did arrive."""
    user = server.user(USER_ID)
    await bot.send_message(USER_ID, "only one")
    with pytest.raises(AssertionError, match="got 1: #1 text='only one'"):
        await user.wait_for_messages(count=2, timeout=0.2)


@pytest.mark.asyncio
async def test_a_message_wakes_only_the_waiters_of_its_chat(bot: Bot, server: FakeTelegramServer) -> None:
    """Check a message to one chat re-checks that chat's waiters and not another chat's."""
    other = USER_ID + 1
    checks = 0

    def other_chat_has_a_message() -> bool:
        """Count each check of the other chat's predicate."""
        nonlocal checks
        checks += 1
        return bool(server.sent_to(other))

    waiting = asyncio.create_task(server._wait(other_chat_has_a_message, 5, other))
    await asyncio.sleep(0)
    await bot.send_message(USER_ID, "chỉ cho A")
    [reply] = await server.user(USER_ID).wait_for_messages(count=1, timeout=1)
    assert reply.text == "chỉ cho A"
    assert checks == 1  # the check on entry only
    await bot.send_message(other, "cho B")
    assert await waiting
    assert checks == 2


@pytest.mark.asyncio
async def test_wait_for_wakes_on_an_api_call(bot: Bot, server: FakeTelegramServer) -> None:
    """Check a waiter watching server.calls wakes when a call is recorded, not at its timeout."""
    seen = len(server.calls)  # initialising the bot already called getMe
    started = time.monotonic()
    watching = asyncio.create_task(
        server.wait_for(lambda: any(c.method == "getMe" for c in server.calls[seen:]), timeout=5)
    )
    await asyncio.sleep(0)
    await bot.get_me()
    await watching
    assert time.monotonic() - started < 1


@pytest.mark.asyncio
async def test_application_echo_bot(server: FakeTelegramServer) -> None:
    """Check a real PTB Application polls the fake and its reply is observed."""

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Echo the incoming text."""
        await update.message.reply_text(update.message.text)

    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    user = server.user(USER_ID, USER_NAME)
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            await user.send_text("Xin chào bot")
            [reply] = await user.wait_for_messages(count=1, timeout=5)
            assert reply.text == "Xin chào bot"
        finally:
            await app.updater.stop()
            await app.stop()

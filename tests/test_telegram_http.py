"""The Bot API over aiohttp: what python-telegram-bot sends and gets arrives whole, errors read as PTB's."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from pydantic import SecretStr
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from channels.telegram_http import AiohttpRequest
from settings import Settings
from tests.fakes.telegram_api import FakeTelegramServer

TOKEN = "123456:SECRET-TOKEN"
CHAT = 4242


@pytest.fixture
async def bot(telegram: FakeTelegramServer) -> AsyncIterator[Bot]:
    """Provide a PTB bot whose requests go through aiohttp."""
    request = AiohttpRequest()
    async with Bot(
        TOKEN, base_url=telegram.base_url, base_file_url=telegram.base_file_url, request=request
    ) as ptb:
        yield ptb


async def test_a_message_with_buttons_arrives_as_sent(bot: Bot, telegram: FakeTelegramServer) -> None:
    """Vietnamese text and an inline keyboard reach the server intact, and the sent message comes back."""
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Đồng ý", callback_data="yes")]])
    sent = await bot.send_message(CHAT, "Đồng chí xác nhận báo cáo tháng 11/2026?", reply_markup=markup)
    [received] = telegram.sent_to(CHAT)
    assert received.text == "Đồng chí xác nhận báo cáo tháng 11/2026?"
    assert received.button_labels() == ["Đồng ý"]
    assert sent.message_id == received.message_id


async def test_a_document_is_uploaded_with_its_name_and_bytes(bot: Bot, telegram: FakeTelegramServer) -> None:
    """A spreadsheet goes up as a multipart file with its Vietnamese name and every byte."""
    content = bytes(range(256)) * 40
    await bot.send_document(CHAT, content, filename="Báo cáo tháng 11.xlsx", caption="Tổng hợp")
    [received] = telegram.sent_to(CHAT)
    assert received.document == content
    assert received.document_filename == "Báo cáo tháng 11.xlsx"
    assert received.caption == "Tổng hợp"


async def test_a_file_a_user_sent_can_be_downloaded(bot: Bot, telegram: FakeTelegramServer) -> None:
    """A member list a secretary sends is fetched back byte for byte."""
    user = telegram.user(CHAT)
    update = await user.send_document(b"STT,Ho ten\n1,Nguyen Van A\n", "danh-sach.csv")
    file = await bot.get_file(update["message"]["document"]["file_id"])
    assert bytes(await file.download_as_bytearray()) == b"STT,Ho ten\n1,Nguyen Van A\n"


async def test_api_errors_read_as_ptb_errors(bot: Bot, telegram: FakeTelegramServer) -> None:
    """A 429 becomes RetryAfter with its wait and a 400 becomes BadRequest, as with PTB's own client."""
    telegram.fail_next("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter) as limited:
        await bot.send_message(CHAT, "a")
    assert int(limited.value.retry_after) == 3
    telegram.fail_next("sendMessage", error_code=400, description="Bad Request: chat not found")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(CHAT, "b")


async def test_a_server_that_does_not_answer_in_time_is_a_timeout(unused_tcp_port: int) -> None:
    """A Bot API that accepts the request but stays silent past the read timeout raises TimedOut."""

    async def silent(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/{tail:.*}", silent)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", unused_tcp_port).start()
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.post(f"http://127.0.0.1:{unused_tcp_port}/bot{TOKEN}/sendMessage")
    finally:
        await request.shutdown()
        await runner.cleanup()


async def test_an_unreachable_server_is_a_network_error_without_the_token(unused_tcp_port: int) -> None:
    """Connection refused raises NetworkError, and its message, which ends up in logs, holds no token."""
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as failed:
            await request.post(f"http://127.0.0.1:{unused_tcp_port}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()
    assert "SECRET-TOKEN" not in str(failed.value)
    assert not isinstance(failed.value, TimedOut)


async def serve(handler: Any, port: int) -> web.AppRunner:
    """Serve one handler for every path on 127.0.0.1:port."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


async def test_a_slow_answer_that_keeps_coming_is_not_cut_by_an_overall_deadline(
    unused_tcp_port: int,
) -> None:
    """A download trickling in for longer than all timeouts together still arrives: timeouts are per phase."""

    async def trickle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        for _ in range(8):
            await response.write(b" ")
            await asyncio.sleep(0.25)
        await response.write(b'{"ok": true, "result": true}')
        return response

    runner = await serve(trickle, unused_tcp_port)
    request = AiohttpRequest(read_timeout=0.5, connect_timeout=0.3, pool_timeout=0.2)
    await request.initialize()
    try:
        assert await request.post(f"http://127.0.0.1:{unused_tcp_port}/bot{TOKEN}/getFile") is True
    finally:
        await request.shutdown()
        await runner.cleanup()


async def test_requests_go_through_the_configured_http_proxy(unused_tcp_port: int) -> None:
    """With a proxy URL, the Bot API request is sent to the proxy, which reaches api.telegram.org."""
    seen: list[str] = []

    async def proxy(request: web.Request) -> web.Response:
        seen.append(str(request.url))
        return web.json_response({"ok": True, "result": True})

    runner = await serve(proxy, unused_tcp_port)
    request = AiohttpRequest(proxy_url=f"http://127.0.0.1:{unused_tcp_port}")
    await request.initialize()
    try:
        assert await request.post(f"http://api.telegram.org/bot{TOKEN}/getMe") is True
    finally:
        await request.shutdown()
        await runner.cleanup()
    assert seen == [f"http://api.telegram.org/bot{TOKEN}/getMe"]


def test_telegram_proxy_falls_back_to_https_proxy(settings: Settings) -> None:
    """TELEGRAM_PROXY_URL wins; when it is empty, HTTPS_PROXY is used; otherwise no proxy."""
    both = settings.model_copy(
        update={
            "telegram_proxy_url": SecretStr("socks5://10.0.0.1:1080"),
            "https_proxy": SecretStr("http://p:3128"),
        }
    )
    assert both.telegram_proxy == "socks5://10.0.0.1:1080"
    fallback = settings.model_copy(
        update={"telegram_proxy_url": SecretStr(""), "https_proxy": SecretStr("http://p:3128")}
    )
    assert fallback.telegram_proxy == "http://p:3128"
    assert settings.model_copy(update={"https_proxy": None}).telegram_proxy is None

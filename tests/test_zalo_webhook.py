"""The Zalo channel in webhook mode, in-process, against the fake server behind a pretend TLS proxy."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from channels.webserver import WebServer, public_https_problem
from channels.zalo import ZaloChannel
from core.app import App
from core.messages import Inbound
from settings import Settings
from tests.fakes.zalo_api import SECRET_HEADER, FakeZaloServer

PUBLIC_URL = "https://chibo.example.vn/zalo/hook"
SECRET = "webhook-secret-for-tests"


@pytest.fixture
def hook_settings(settings: Settings, zalo: FakeZaloServer, unused_tcp_port: int) -> Settings:
    """Point the settings at the fake server, in webhook mode on a public HTTPS URL."""
    zalo.webhook_target = f"http://127.0.0.1:{unused_tcp_port}"
    return settings.model_copy(
        update={
            "zalo_bot_token": SecretStr(zalo.token),
            "zalo_api_base_url": zalo.base_url,
            "zalo_webhook_url": PUBLIC_URL,
            "zalo_webhook_secret": SecretStr(SECRET),
            "web_listen": "127.0.0.1",
            "web_port": unused_tcp_port,
        }
    )


async def run_channel(settings: Settings, app: App) -> tuple[ZaloChannel, asyncio.Event, asyncio.Future[Any]]:
    """Start the web server and the channel; return the channel, its stop event and the running tasks."""
    server = WebServer(settings.web_listen, settings.web_port)
    channel = ZaloChannel(settings, app, web_server=server)
    stop = asyncio.Event()
    tasks = asyncio.gather(server.run(stop), channel.run(stop))
    return channel, stop, tasks


async def start_and_stop(
    settings: Settings, app: App, zalo: FakeZaloServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Run the channel until it has set its webhook, then stop it, capturing its log."""
    with caplog.at_level(logging.INFO, logger="channels.zalo"):
        _, stop, tasks = await run_channel(settings, app)
        assert await zalo.wait_for(lambda: bool(zalo.calls_of("setWebhook")), 10)
        await asyncio.sleep(0.3)
        stop.set()
        await asyncio.wait_for(tasks, 15)


@pytest.fixture
async def hooked(hook_settings: Settings, app: App, zalo: FakeZaloServer) -> AsyncIterator[ZaloChannel]:
    """Run the channel by webhook for one test, once Zalo has it registered."""
    channel, stop, tasks = await run_channel(hook_settings, app)
    assert await zalo.wait_for(lambda: zalo.webhook_url is not None, 10)
    yield channel
    stop.set()
    await asyncio.wait_for(tasks, 15)


async def post_raw(zalo: FakeZaloServer, data: bytes, headers: dict[str, str] | None = None) -> int:
    """POST raw bytes to the bot's webhook as anyone could; return the status."""
    url = zalo.delivery_url()
    assert url is not None
    sent = {SECRET_HEADER: SECRET, "Content-Type": "application/json", **(headers or {})}
    async with aiohttp.ClientSession() as session, session.post(url, data=data, headers=sent) as response:
        await response.read()
        return response.status


@pytest.mark.parametrize(
    "url",
    [
        "http://chibo.example.vn/hook",
        "https://localhost/hook",
        "https://bot.localhost/hook",
        "https://chibo/hook",
        "https://127.0.0.1/hook",
        "https://127.1/hook",
        "https://10.0.0.5:8443/hook",
        "https://192.168.1.2/hook",
        "https://169.254.169.254/hook",
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://100.64.0.1/hook",
        "https://router.lan/hook",
    ],
)
def test_webhook_url_must_be_https_on_a_public_host(url: str) -> None:
    """Plain http, local names and private, loopback or link-local addresses are refused."""
    assert public_https_problem(url) is not None


@pytest.mark.parametrize("url", ["https://chibo.example.vn/zalo/hook", "https://203.0.113.1.nip.io/h"])
def test_public_https_url_is_accepted_without_a_lookup(url: str) -> None:
    """A public name is accepted as written, whatever it resolves to."""
    assert public_https_problem(url) is None


async def test_private_webhook_url_stops_zalo_with_one_line(
    hook_settings: Settings, app: App, zalo: FakeZaloServer, caplog: pytest.LogCaptureFixture
) -> None:
    """An http:// or private webhook URL stops the channel at start with one clear line and no API call."""
    settings = hook_settings.model_copy(update={"zalo_webhook_url": "http://10.0.0.5/zalo/hook"})
    channel = ZaloChannel(settings, app, web_server=WebServer("127.0.0.1", settings.web_port))
    with caplog.at_level(logging.INFO, logger="channels.zalo"):
        await asyncio.wait_for(channel.run(asyncio.Event()), 5)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "ZALO_WEBHOOK_URL" in errors[0] and "https://" in errors[0]
    assert zalo.calls == []


async def test_verification_success_is_logged(
    hook_settings: Settings, app: App, zalo: FakeZaloServer, caplog: pytest.LogCaptureFixture
) -> None:
    """When Zalo's probe reaches the bot, the log says so."""
    await start_and_stop(hook_settings, app, zalo, caplog)
    assert "zalo reached the webhook URL" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_unreachable_webhook_is_logged_plainly(
    hook_settings: Settings, app: App, zalo: FakeZaloServer, caplog: pytest.LogCaptureFixture
) -> None:
    """When Zalo's probe cannot reach the URL (a wrong proxy path), the log says so as an error."""
    zalo.webhook_target = "http://127.0.0.1:9"
    await start_and_stop(hook_settings, app, zalo, caplog)
    [error] = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert "could NOT reach the webhook URL" in error and "zalo-check" in error
    assert SECRET not in caplog.text


async def test_webhook_is_answered_at_once_while_handling_is_slow(
    hooked: ZaloChannel, app: App, zalo: FakeZaloServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Zalo's POST gets its 200 within its 2 s, even when answering the user takes longer."""
    handled: list[Inbound] = []

    async def slow_handle(inbound: Inbound, channel: object) -> None:
        await asyncio.sleep(4)
        handled.append(inbound)

    monkeypatch.setattr(app, "handle", slow_handle)
    zalo.deliveries_may_fail = True
    await zalo.user("An").send_text("xin chào")
    assert await zalo.wait_for(lambda: bool(zalo.deliveries), 10)
    assert [d.status for d in zalo.deliveries] == [200]
    assert not handled


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b'{"event_name": "message.text.received"}', {SECRET_HEADER: "sécret-khóa-ẞ"}, 403),
        (b"[" * 200_000 + b"]" * 200_000, {}, 400),
        (b'{"event_name": ["message.text.received"], "message": {}}', {}, 400),
        (b"not json", {}, 400),
        (b"42", {}, 400),
    ],
)
async def test_malformed_webhook_posts_are_refused_without_a_server_error(
    hooked: ZaloChannel, zalo: FakeZaloServer, body: bytes, headers: dict[str, str], status: int
) -> None:
    """Odd secrets and bodies get 403 or 400, never a 500, and the channel keeps answering."""
    assert await post_raw(zalo, body, headers) == status
    user = zalo.user("Lạ")
    await user.send_text("xin chào")
    await user.wait_for_text("mã mời")


async def test_a_list_of_updates_and_an_update_without_event_name_are_handled(
    hooked: ZaloChannel, zalo: FakeZaloServer
) -> None:
    """A webhook body that is a list of updates, or an update with text but no event_name, is answered."""
    first, second = zalo.user("Lạ"), zalo.user("Khác")
    listed = first.update("message.text.received", text="xin chào")
    nameless = second.update("message.text.received", text="xin chào")
    del nameless["event_name"]
    assert await post_raw(zalo, json.dumps([listed]).encode()) == 200
    assert await post_raw(zalo, json.dumps({"ok": True, "result": nameless}).encode()) == 200
    await first.wait_for_text("mã mời")
    await second.wait_for_text("mã mời")

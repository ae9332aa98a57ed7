"""The fake Zalo Bot API server keeps the platform's shapes and traps (docs/zalo-bot-api.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.fakes.zalo_api import FakeZaloServer


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZaloServer]:
    """Run the fake server, answering idle polls at once."""
    async with FakeZaloServer(hold_polls=False) as server:
        yield server


async def call(
    zalo: FakeZaloServer, method: str, body: dict | None = None, token: str | None = None
) -> httpx.Response:
    """POST one method as JSON."""
    async with httpx.AsyncClient() as client:
        return await client.post(f"{zalo.base_url}/bot{token or zalo.token}/{method}", json=body or {})


async def test_idle_poll_is_a_408_envelope(zalo: FakeZaloServer) -> None:
    """With nothing queued, getUpdates answers HTTP 408 with ok false."""
    response = await call(zalo, "getUpdates", {"timeout": "30"})
    assert response.status_code == 408
    assert response.json() == {"ok": False, "error_code": 408, "description": "Request timeout"}


async def test_poll_returns_one_update_with_string_ids_and_milliseconds(zalo: FakeZaloServer) -> None:
    """An update is a single object: string ids, date in milliseconds, the event name."""
    user = zalo.user("Ted")
    await user.send_text("Xin chào")
    await user.send_text("Lần hai")
    body = (await call(zalo, "getUpdates", {"timeout": 30})).json()
    update = body["result"]
    assert body["ok"] is True and isinstance(update, dict)
    message = update["message"]
    assert update["event_name"] == "message.text.received" and message["text"] == "Xin chào"
    assert isinstance(message["message_id"], str) and isinstance(message["from"]["id"], str)
    assert message["chat"] == {"id": user.chat_id, "chat_type": "PRIVATE"}
    assert message["date"] > 10**12
    assert zalo.pending == 1


async def test_consumed_update_can_be_replayed(zalo: FakeZaloServer) -> None:
    """There is no offset: an update already handed out can come again."""
    update = await zalo.user("Ted").send_text("Xin chào")
    await call(zalo, "getUpdates")
    await zalo.replay(update["message"]["message_id"])
    again = (await call(zalo, "getUpdates")).json()["result"]
    assert again["message"]["message_id"] == update["message"]["message_id"]


async def test_bot_messages_are_echoed_back(zalo: FakeZaloServer) -> None:
    """What the bot sends comes back as an update from the bot's own id."""
    user = zalo.user("Ted")
    sent = (await call(zalo, "sendMessage", {"chat_id": user.chat_id, "text": "Chào"})).json()["result"]
    echo = (await call(zalo, "getUpdates")).json()["result"]
    assert (
        echo["message"]["from"]["id"] == zalo.bot_id and echo["message"]["message_id"] == sent["message_id"]
    )


async def test_text_over_2000_characters_is_refused(zalo: FakeZaloServer) -> None:
    """sendMessage takes 1 to 2000 characters."""
    user = zalo.user("Ted")
    response = await call(zalo, "sendMessage", {"chat_id": user.chat_id, "text": "x" * 2001})
    assert response.status_code == 400 and response.json()["ok"] is False


async def test_wrong_or_revoked_token_is_a_401(zalo: FakeZaloServer) -> None:
    """A bad token, or one revoked, gets 401."""
    assert (await call(zalo, "getMe", token="1:wrong")).status_code == 401
    assert (await call(zalo, "getMe")).json()["result"]["id"] == zalo.bot_id
    zalo.revoke_token()
    assert (await call(zalo, "getMe")).status_code == 401


async def test_webhook_info_is_404_until_set(zalo: FakeZaloServer) -> None:
    """getWebhookInfo answers 404 when no webhook is set, and the URL once one is."""
    assert (await call(zalo, "getWebhookInfo")).status_code == 404
    await call(zalo, "setWebhook", {"url": "https://bot.example.vn/zalo", "secret_token": "12345678"})
    assert (await call(zalo, "getWebhookInfo")).json()["result"]["url"] == "https://bot.example.vn/zalo"
    assert (await call(zalo, "getUpdates")).status_code == 400

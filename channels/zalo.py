"""Zalo transport: a thin httpx adapter to the Zalo Bot API, by long polling or webhook.

The wire format and its traps are described in docs/zalo-bot-api.md: one update per poll and
HTTP 408 when idle, no offset (consumed updates come again; the core's processed-updates table
drops them by message id, across restarts), the bot's own messages echoed back, no buttons and
no uploads, text limited to 2000 characters, and the token inside every URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections import OrderedDict
from collections.abc import Awaitable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from aiohttp import web

from channels.base import SendError, options_as_text, split_text
from channels.webserver import DownloadLinks, WebServer
from core.app import App
from core.messages import Inbound, Outbound
from settings import Settings
from texts import zalo as t

log = logging.getLogger(__name__)

NAME = "zalo"
MAX_TEXT = 2000
SECRET_HEADER = "X-Bot-Api-Secret-Token"  # noqa: S105 - the header's name, not a secret
TEXT_EVENT = "message.text.received"
# Events with no text the core can use; anything else is an event we do not know and ignore.
CONTENT_FREE_EVENTS = frozenset(
    {
        "message.image.received",
        "message.sticker.received",
        "message.voice.received",
        "message.unsupported.received",
    }
)
# The server may answer a poll at once with nothing (408) or with a replay: never poll faster.
MIN_POLL_INTERVAL = 1.0
POLL_BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)
# Zalo's quota (429) is plan-based and unpublished: a message that meets it waits this long.
RETRY_AFTER_QUOTA = 60.0
HTTP_GRACE_SECONDS = 10.0
SEND_TIMEOUT_SECONDS = 20.0
DRAIN_SECONDS = 10.0
RECENT_IDS = 1000
PERMANENT_STATUSES = frozenset({400, 404})
# Where Zalo puts the sender's name varies between reports of the API.
NAME_FIELDS = ("display_name", "name", "first_name")

T = TypeVar("T")


class ZaloError(Exception):
    """An error answer of the Zalo Bot API, or a network failure (status None); never holds the token."""

    def __init__(self, status: int | None, description: str) -> None:
        super().__init__(f"{status or 'network'}: {description}")
        self.status = status


class ZaloApi:
    """POSTs JSON to `<base>/bot<token>/<method>` and unwraps the `{ok, result}` envelope."""

    def __init__(self, client: httpx.AsyncClient, base_url: str, token: str) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self._token = token

    def scrub(self, text: str) -> str:
        """Remove the token from text bound for a log or an exception."""
        return text.replace(self._token, "<token>")

    # The timeout is the HTTP client's per-request one, not a deadline for the caller's await.
    async def call(
        self,
        method: str,
        body: dict[str, Any] | None = None,
        *,
        timeout: float = SEND_TIMEOUT_SECONDS,  # noqa: ASYNC109
    ) -> Any:
        """Call one method and return its result, raising ZaloError otherwise."""
        url = f"{self.base_url}/bot{self._token}/{method}"
        try:
            response = await self.client.post(url, json=body or {}, timeout=timeout)
        except httpx.HTTPError as error:
            raise ZaloError(None, self.scrub(f"{type(error).__name__}: {error}")) from None
        try:
            envelope = response.json()
        except ValueError:
            envelope = None
        if not isinstance(envelope, dict):
            raise ZaloError(response.status_code, self.scrub(response.reason_phrase or "not JSON"))
        if envelope.get("ok") and response.status_code < 300:
            return envelope.get("result")
        status = int(envelope.get("error_code") or response.status_code)
        raise ZaloError(status, self.scrub(str(envelope.get("description") or response.reason_phrase)))


class ZaloChannel:
    """Receives Zalo updates as Inbounds for the App and renders Outbounds as plain text."""

    name = NAME

    def __init__(
        self,
        settings: Settings,
        app: App,
        *,
        web_server: WebServer | None = None,
        links: DownloadLinks | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        if settings.zalo_bot_token is None:
            raise ValueError("ZaloChannel needs ZALO_BOT_TOKEN")
        self.settings = settings
        self.app = app
        self.links = links
        self.api = ZaloApi(
            client or httpx.AsyncClient(),
            settings.zalo_api_base_url,
            settings.zalo_bot_token.get_secret_value(),
        )
        self.bot_id: str | None = None
        self.web_server = web_server
        self._webhook_secret = ""
        if settings.zalo_webhook_url:
            secret = settings.zalo_webhook_secret.get_secret_value() if settings.zalo_webhook_secret else ""
            if web_server is None or not 8 <= len(secret) <= 256:
                raise ValueError(
                    "Zalo webhook mode needs the web server and ZALO_WEBHOOK_SECRET (8-256 characters)"
                )
            self._webhook_secret = secret
            web_server.add_route("POST", urlsplit(settings.zalo_webhook_url).path or "/", self._on_webhook)
        self._halt = asyncio.Event()
        self._refused = False
        self._closed = False
        self._recent: OrderedDict[str, None] = OrderedDict()
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def running(self) -> bool:
        """Tell whether the channel receives updates: Zalo accepted the token and it has not stopped."""
        return self.bot_id is not None and not self._halt.is_set() and not self._closed

    async def run(self, stop: asyncio.Event) -> None:
        """Receive updates until `stop`, or until Zalo refuses the token."""
        relay = asyncio.create_task(self._halt_when(stop))
        try:
            me = await self._until_ready("getMe", {})
            if me is None:
                return
            self.bot_id = str(me["id"])
            if self.settings.zalo_webhook_url:
                await self._serve_webhook()
            else:
                await self._poll()
        finally:
            relay.cancel()
            if self._tasks:
                await asyncio.wait(self._tasks, timeout=DRAIN_SECONDS)
            self._closed = True
            await self.api.client.aclose()

    def is_group(self, chat_id: str) -> bool:
        """Tell that chats are paced alike: Zalo publishes no stricter limit for its (beta) groups."""
        return False

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Send one message as plain text in pieces of at most 2000 characters; SendError on failure."""
        if self._refused or self._closed:
            raise SendError("zalo channel is not running")
        text = options_as_text(message)
        if message.photo is not None:
            if self.links is not None:
                url = self.links.add(message.photo, t.PHOTO_NAME)
                await self._send_call("sendPhoto", {"chat_id": chat_id, "photo": url})
            else:
                text = f"{text}\n\n{t.photo_unavailable()}" if text else t.photo_unavailable()
        if message.document is not None:
            text = f"{text}\n\n{self._document_note(message)}" if text else self._document_note(message)
        for chunk in split_text(text, MAX_TEXT):
            if chunk.strip():
                await self._send_call("sendMessage", {"chat_id": chat_id, "text": chunk})

    async def _handle(self, inbound: Inbound) -> None:
        """Hand one inbound to the core, which answers through this channel."""
        await self.app.handle(inbound, self)

    def _document_note(self, message: Outbound) -> str:
        """Say where to get a document Zalo cannot carry: a short-lived link, or Telegram."""
        name = message.document_name or "tep"
        if self.links is None or message.document is None:
            return t.file_unavailable(name)
        return t.file_link(name, self.links.add(message.document, name), self.settings.download_link_minutes)

    async def _send_call(self, method: str, body: dict[str, Any]) -> None:
        """Call a send method once, turning Zalo's refusal into a SendError the core can act on."""
        try:
            await self.api.call(method, body)
        except ZaloError as error:
            if error.status == 401:
                self._token_refused()
                raise SendError(str(error)) from None
            if error.status in PERMANENT_STATUSES:
                raise SendError(str(error), permanent=True) from None
            retry_after = RETRY_AFTER_QUOTA if error.status == 429 else None
            raise SendError(str(error), retry_after=retry_after) from None

    async def _poll(self) -> None:
        """Long-poll getUpdates: 408 means nothing new; never faster than once a second idle."""
        await self._until_ready("deleteWebhook", {})
        timeout = self.settings.zalo_poll_timeout
        failures = 0
        log.info("zalo channel polling")
        loop = asyncio.get_running_loop()
        while not self._halt.is_set():
            started = loop.time()
            progressed = False
            try:
                call = self.api.call(
                    "getUpdates", {"timeout": str(timeout)}, timeout=timeout + HTTP_GRACE_SECONDS
                )
                update = await self._unless_halted(call)
                failures = 0
                progressed = update is not None and self._accept(update)
            except ZaloError as error:
                if error.status == 401:
                    self._token_refused()
                    return
                if error.status != 408:
                    failures += 1
                    delay = POLL_BACKOFF[min(failures, len(POLL_BACKOFF)) - 1]
                    log.warning("zalo getUpdates failed (%s); retrying in %.0f s", error, delay)
                    await self._sleep(delay)
                    continue
            remaining = MIN_POLL_INTERVAL - (loop.time() - started)
            if not progressed and remaining > 0:
                await self._sleep(remaining)

    async def _serve_webhook(self) -> None:
        """Register the webhook once the web server listens, then wait for the stop."""
        if self.web_server is None:
            raise ValueError("webhook mode without a web server")
        await self._unless_halted(self.web_server.started.wait())
        body = {"url": self.settings.zalo_webhook_url, "secret_token": self._webhook_secret}
        if await self._until_ready("setWebhook", body) is None:
            return
        log.info("zalo channel receiving by webhook")
        await self._halt.wait()

    async def _on_webhook(self, request: web.Request) -> web.Response:
        """Accept an update POSTed by Zalo: check the secret, answer at once, handle it in the background."""
        received = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(received.encode(), self._webhook_secret.encode()):
            return web.json_response({"ok": False}, status=403)
        if self.bot_id is None or self._halt.is_set():
            return web.json_response({"ok": False}, status=503)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"ok": False}, status=400)
        # Zalo's docs disagree on the body: the raw update, or the update in an envelope.
        if isinstance(body, dict) and "message" not in body and isinstance(body.get("result"), dict):
            body = body["result"]
        if isinstance(body, dict):
            self._accept(body)
        return web.json_response({"ok": True})

    def _accept(self, update: Any) -> bool:
        """Hand a new update to the core in the background; tell whether it was new."""
        message = update.get("message") if isinstance(update, dict) else None
        event = update.get("event_name") if isinstance(update, dict) else None
        if not isinstance(message, dict) or (event != TEXT_EVENT and event not in CONTENT_FREE_EVENTS):
            log.debug("ignored a zalo update with event %r", event)
            return False
        sender, chat = message.get("from"), message.get("chat")
        if not isinstance(sender, dict) or not isinstance(chat, dict):
            return False
        message_id, sender_id, chat_id = (
            str(v or "") for v in (message.get("message_id"), sender.get("id"), chat.get("id"))
        )
        text = message.get("text") if event == TEXT_EVENT else None
        if (
            not (message_id and sender_id and chat_id)
            or message_id in self._recent
            or not isinstance(text, str | None)
        ):
            return False
        self._recent[message_id] = None
        if len(self._recent) > RECENT_IDS:
            self._recent.popitem(last=False)
        if sender_id == self.bot_id or sender.get("is_bot"):
            return True
        inbound = Inbound(
            channel=NAME,
            chat_id=chat_id,
            sender_id=sender_id,
            update_key=message_id,
            text=text,
            group=chat.get("chat_type") == "GROUP",
            sender_name=next((v for v in map(sender.get, NAME_FIELDS) if isinstance(v, str) and v), None),
        )
        task = asyncio.create_task(self._handle(inbound))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _until_ready(self, method: str, body: dict[str, Any]) -> Any:
        """Call a start-up method until it works; None when halted or the token is refused."""
        failures = 0
        while not self._halt.is_set():
            try:
                return await self._unless_halted(self.api.call(method, body))
            except ZaloError as error:
                if error.status == 401:
                    self._token_refused()
                    return None
                failures += 1
                delay = POLL_BACKOFF[min(failures, len(POLL_BACKOFF)) - 1]
                log.warning("zalo %s failed (%s); retrying in %.0f s", method, error, delay)
                await self._sleep(delay)
        return None

    def _token_refused(self) -> None:
        """Stop the channel, saying why in one log line."""
        if not self._refused:
            self._refused = True
            log.error(
                "zalo channel stopped: the Zalo Bot API refused the token (401); "
                "check ZALO_BOT_TOKEN and restart. Other channels keep running."
            )
        self._halt.set()

    async def _halt_when(self, stop: asyncio.Event) -> None:
        """Halt the channel when the process is asked to stop."""
        await stop.wait()
        self._halt.set()

    async def _unless_halted(self, awaitable: Awaitable[T]) -> T | None:
        """Await something, giving up (None) as soon as the channel halts."""
        task = asyncio.ensure_future(awaitable)
        halted = asyncio.create_task(self._halt.wait())
        await asyncio.wait({task, halted}, return_when=asyncio.FIRST_COMPLETED)
        halted.cancel()
        if task.done():
            return task.result()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, ZaloError):
            await task
        return None

    async def _sleep(self, seconds: float) -> None:
        """Wait, waking early when the channel halts."""
        await self._unless_halted(asyncio.sleep(seconds))

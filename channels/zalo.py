"""Zalo transport: a thin aiohttp adapter to the Zalo Bot API, by long polling or webhook.

The wire format and its traps are described in docs/zalo-bot-api.md: one update per poll and
HTTP 408 when idle, no offset (consumed updates come again; the core's processed-updates table
drops them by message id, across restarts), the bot's own messages echoed back, no buttons and
no uploads, text limited to 2000 characters, and the token inside every URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from channels.base import options_as_text, split_text, utf16_length
from channels.webserver import DownloadLinks, WebServer, public_https_problem
from core.app import App
from core.channel import SendError
from core.messages import Attachment, Inbound, Outbound
from settings import Settings
from storage import webhooks
from storage.webhooks import WebhookCheck
from texts import zalo as t

log = logging.getLogger(__name__)

NAME = "zalo"
MAX_TEXT = 2000
SECRET_HEADER = "X-Bot-Api-Secret-Token"  # noqa: S105 - the header's name, not a secret
TEXT_EVENT = "message.text.received"
IMAGE_EVENT = "message.image.received"
VOICE_EVENT = "message.voice.received"
# Events the channel answers itself: the core could do nothing with them.
OWN_ANSWERS = {
    "message.sticker.received": t.sticker_answer,
    "message.unsupported.received": t.unsupported_content,
}
# Anything else is an event we do not know and ignore.
KNOWN_EVENTS = frozenset({TEXT_EVENT, IMAGE_EVENT, VOICE_EVENT, *OWN_ANSWERS})
# The server may answer a poll at once with nothing (408) or with a replay: never poll faster.
MIN_POLL_INTERVAL = 1.0
POLL_BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)
HTTP_GRACE_SECONDS = 10.0
SEND_TIMEOUT_SECONDS = 20.0
# Whether Zalo copies a photo when it is sent or fetches it later is unknown: keep its link a day.
IMAGE_LINK_SECONDS = 24 * 3600.0
DRAIN_SECONDS = 10.0
RECENT_IDS = 1000
# An update repeating what the bot sent to that chat this recently is its own echo, whatever its id.
ECHO_SECONDS = 10.0
# A part Zalo refuses (400) is sent again in halves when it is longer than this.
MIN_RESPLIT = 250
PERMANENT_STATUSES = frozenset({400, 404})
# Where Zalo puts the sender's name varies between reports of the API.
NAME_FIELDS = ("display_name", "name", "first_name")

T = TypeVar("T")


def secret_digest(token: str, secret: str) -> str:
    """Digest a webhook secret, keyed with the token, so the database never holds a guessable form."""
    return hmac.new(token.encode(), secret.encode(), hashlib.sha256).hexdigest()


class ZaloError(Exception):
    """An error answer of the Zalo Bot API, or a network failure (status None); never holds the token."""

    def __init__(self, status: int | None, description: str) -> None:
        super().__init__(f"{status or 'network'}: {description}")
        self.status = status


class ZaloApi:
    """POSTs JSON to `<base>/bot<token>/<method>` and unwraps the `{ok, result}` envelope.

    aiohttp, as the Telegram channel uses: measured with bench/zalo_client.py, httpx spent
    2.4-3.8 ms of client CPU per sendMessage and aiohttp well under one (docs/benchmarks.md).
    """

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._session: aiohttp.ClientSession | None = None

    def digest(self, secret: str) -> str:
        """Digest a webhook secret with this API's token."""
        return secret_digest(self._token, secret)

    def scrub(self, text: str) -> str:
        """Remove the token from text bound for a log or an exception."""
        return text.replace(self._token, "<token>")

    async def close(self) -> None:
        """Close the HTTP session and its connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    # The timeout is the HTTP client's per-request one, not a deadline for the caller's await.
    async def call(
        self,
        method: str,
        body: dict[str, Any] | None = None,
        *,
        timeout: float = SEND_TIMEOUT_SECONDS,  # noqa: ASYNC109
    ) -> Any:
        """Call one method and return its result, raising ZaloError otherwise."""
        if self._session is None or self._session.closed:
            # Made here, not in __init__: an aiohttp session belongs to the running event loop.
            self._session = aiohttp.ClientSession()
        url = f"{self.base_url}/bot{self._token}/{method}"
        try:
            async with self._session.post(
                url, json=body or {}, timeout=aiohttp.ClientTimeout(total=timeout)
            ) as response:
                status, reason, raw = response.status, response.reason, await response.read()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise ZaloError(None, self.scrub(f"{type(error).__name__}: {error}")) from None
        try:
            envelope = json.loads(raw)
        except (ValueError, RecursionError):
            envelope = None
        if not isinstance(envelope, dict):
            raise ZaloError(status, self.scrub(reason or "not JSON"))
        if envelope.get("ok") is True and status < 300:
            return envelope.get("result")
        code = envelope.get("error_code")
        status = code if isinstance(code, int) and not isinstance(code, bool) else status
        raise ZaloError(status, self.scrub(str(envelope.get("description") or reason)))


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
    ) -> None:
        if settings.zalo_bot_token is None:
            raise ValueError("ZaloChannel needs ZALO_BOT_TOKEN")
        self.settings = settings
        self.app = app
        self.links = links
        self.api = ZaloApi(settings.zalo_api_base_url, settings.zalo_bot_token.get_secret_value())
        self.bot_id: str | None = None
        self.bot_name: str | None = None
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
        self._just_sent: dict[str, deque[tuple[float, str]]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def running(self) -> bool:
        """Tell whether the channel receives updates: Zalo accepted the token and it has not stopped."""
        return self.bot_id is not None and not self._halt.is_set() and not self._closed

    async def run(self, stop: asyncio.Event) -> None:
        """Receive updates until `stop`, or until Zalo refuses the token."""
        relay = asyncio.create_task(self._halt_when(stop))
        try:
            if self.settings.zalo_webhook_url:
                problem = public_https_problem(self.settings.zalo_webhook_url)
                if problem is not None:
                    log.error(
                        "zalo channel stopped: ZALO_WEBHOOK_URL %s; Zalo needs an https:// URL on a public "
                        "host (put a TLS reverse proxy in front of the bot). Other channels keep running.",
                        problem,
                    )
                    return
            me = await self._until_ready("getMe", {})
            if not isinstance(me, dict):
                return
            self.bot_id = str(me.get("id"))
            name = me.get("display_name")
            self.bot_name = name if isinstance(name, str) and name else None
            if self.settings.zalo_webhook_url:
                await self._serve_webhook()
            else:
                await self._poll()
        finally:
            relay.cancel()
            if self._tasks:
                await asyncio.wait(self._tasks, timeout=DRAIN_SECONDS)
            self._closed = True
            await self.api.close()

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
                url = await self.links.add(
                    message.photo, t.PHOTO_NAME, max(self.links.ttl, IMAGE_LINK_SECONDS)
                )
                self._remember_sent(chat_id, url)
                await self._send_call("sendPhoto", {"chat_id": chat_id, "photo": url})
            else:
                text = f"{text}\n\n{t.photo_unavailable()}" if text else t.photo_unavailable()
        if message.document is not None:
            note = await self._document_note(message)
            text = f"{text}\n\n{note}" if text else note
        for chunk in split_text(text, MAX_TEXT, utf16_length):
            if chunk.strip():
                await self._send_text(chat_id, chunk, MAX_TEXT)

    async def _send_text(self, chat_id: str, text: str, limit: int) -> None:
        """Send one part; when Zalo refuses a long part (400), send it again once, in halves."""
        self._remember_sent(chat_id, text)
        try:
            await self._send_call("sendMessage", {"chat_id": chat_id, "text": text})
        except SendError as error:
            if not error.permanent or limit < MAX_TEXT or utf16_length(text) <= MIN_RESPLIT:
                raise
            # Zalo may count the limit in units of its own; a smaller part keeps the message whole.
            log.warning("zalo refused a part of %d characters (%s); sending it in halves", len(text), error)
            for half in split_text(text, limit // 2, utf16_length):
                if half.strip():
                    await self._send_text(chat_id, half, limit // 2)

    def _remember_sent(self, chat_id: str, text: str) -> None:
        """Keep what was just sent to a chat, to recognise its echo."""
        now = time.monotonic()
        sent = self._just_sent.setdefault(chat_id, deque())
        while sent and sent[0][0] < now - ECHO_SECONDS:
            sent.popleft()
        sent.append((now, text))

    def _is_echo(self, chat_id: str, text: str) -> bool:
        """Tell whether text is what the bot sent to that chat a moment ago, forgetting it once matched."""
        sent = self._just_sent.get(chat_id)
        if sent is None:
            return False
        now = time.monotonic()
        for entry in list(sent):
            if entry[1] == text and entry[0] >= now - ECHO_SECONDS:
                sent.remove(entry)
                return True
        return False

    async def _answer(self, chat_id: str, text: str) -> None:
        """Answer an update the core has no use for with the channel's own short text."""
        try:
            await self.send(chat_id, Outbound(text))
        except SendError as error:
            log.warning("zalo could not answer an update the core does not read: %s", error)

    async def _handle(self, inbound: Inbound) -> None:
        """Hand one inbound to the core, which answers through this channel."""
        await self.app.handle(inbound, self)

    async def _document_note(self, message: Outbound) -> str:
        """Say where to get a document Zalo cannot carry: a short-lived link, or Telegram."""
        name = message.document_name or "tep"
        if self.links is None or message.document is None:
            return t.file_unavailable(name)
        url = await self.links.add(message.document, name)
        return t.file_link(name, url, self.settings.download_link_minutes)

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
            retry_after = self.settings.zalo_quota_retry_seconds if error.status == 429 else None
            raise SendError(str(error), retry_after=retry_after) from None

    async def _poll(self) -> None:
        """Long-poll getUpdates: 408 means nothing new; never faster than once a second idle."""
        try:
            await self._unless_halted(self.api.call("deleteWebhook", {}))
        except ZaloError as error:
            if error.status == 401:
                self._token_refused()
                return
            # Zalo answers 404 when no webhook is set; a webhook really left would show as failed polls.
            log.warning("zalo deleteWebhook failed (%s); polling anyway", error)
        timeout = self.settings.zalo_poll_timeout
        failures = 0
        log.info(
            "zalo channel polling: for local use only; in production set ZALO_WEBHOOK_URL, "
            "since Zalo may drop events a poll misses"
        )
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
                updates = update if isinstance(update, list) else [update]
                accepted = [self._accept(u) for u in updates if u is not None]
                progressed = any(accepted)
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
        result = await self._until_ready("setWebhook", body)
        if result is None:
            return
        verification = result.get("verification") if isinstance(result, dict) else None
        self._log_verification(verification)
        services = self.app.services
        check = WebhookCheck(
            url=str(self.settings.zalo_webhook_url),
            secret_digest=self.api.digest(self._webhook_secret),
            verification=verification if isinstance(verification, dict) else None,
            checked_at=services.clock.now(),
        )
        async with services.db.begin() as conn:
            await webhooks.record(conn, NAME, check)
        log.info("zalo channel receiving by webhook")
        await self._halt.wait()

    def _log_verification(self, verification: Any) -> None:
        """Say plainly whether Zalo could reach the webhook URL when it was set (it saves it either way)."""
        if not isinstance(verification, dict):
            log.info("zalo did not report whether it could reach the webhook URL")
        elif verification.get("ok") is True:
            log.info("zalo reached the webhook URL (%s)", verification.get("outcome"))
        else:
            log.error(
                "zalo could NOT reach the webhook URL: outcome %s, HTTP status %s, hint %s. "
                "No message will arrive until it can: check the reverse proxy's path and TLS "
                "certificate, then restart the bot (python bot.py admin zalo-check shows the state)",
                verification.get("outcome"),
                verification.get("status_code"),
                verification.get("hint"),
            )

    async def _on_webhook(self, request: web.Request) -> web.Response:
        """Accept an update POSTed by Zalo: check the secret, answer at once, handle it in the background."""
        received = request.headers.get(SECRET_HEADER, "")
        if not received.isascii() or not hmac.compare_digest(
            received.encode(), self._webhook_secret.encode()
        ):
            return web.json_response({"ok": False}, status=403)
        if self.bot_id is None or self._halt.is_set():
            return web.json_response({"ok": False}, status=503)
        try:
            body = await request.json()
        except (ValueError, RecursionError):
            return web.json_response({"ok": False}, status=400)
        # Zalo's docs disagree on the body: the raw update, or the update in an envelope.
        if isinstance(body, dict) and "message" not in body and "result" in body:
            body = body["result"]
        updates = body if isinstance(body, list) else [body]
        if not all(isinstance(u, dict) and isinstance(u.get("event_name", ""), str) for u in updates):
            return web.json_response({"ok": False}, status=400)
        for update in updates:
            self._accept(update)
        return web.json_response({"ok": True})

    def _accept(self, update: Any) -> bool:
        """Hand a new update to the core (or answer it) in the background; tell whether it was new."""
        message = update.get("message") if isinstance(update, dict) else None
        if not isinstance(message, dict):
            return False
        event = update.get("event_name")
        if event is None and isinstance(message.get("text"), str):
            event = TEXT_EVENT
        if not isinstance(event, str) or event not in KNOWN_EVENTS:
            log.debug("ignored a zalo update with event %r", event)
            return False
        sender, chat = message.get("from"), message.get("chat")
        if not isinstance(sender, dict) or not isinstance(chat, dict):
            return False
        message_id, sender_id, chat_id = (
            str(v or "") for v in (message.get("message_id"), sender.get("id"), chat.get("id"))
        )
        text = message.get("text" if event == TEXT_EVENT else "caption")
        photo = message.get("photo") if event == IMAGE_EVENT else None
        if (
            not (message_id and sender_id and chat_id)
            or message_id in self._recent
            or not isinstance(text, str | None)
            or not isinstance(photo, str | None)
        ):
            return False
        self._recent[message_id] = None
        if len(self._recent) > RECENT_IDS:
            self._recent.popitem(last=False)
        own = sender_id == self.bot_id or sender.get("is_bot") is True
        if own or self._is_echo(chat_id, photo or text or ""):
            return True
        if event in OWN_ANSWERS:
            self._start(self._answer(chat_id, OWN_ANSWERS[event]()))
            return True
        group = chat.get("chat_type") == "GROUP"
        inbound = Inbound(
            channel=NAME,
            chat_id=chat_id,
            sender_id=sender_id,
            update_key=message_id,
            text=self._without_mention(text) if group else text,
            group=group,
            sender_name=next((v for v in map(sender.get, NAME_FIELDS) if isinstance(v, str) and v), None),
            attachment=Attachment("photo", photo) if photo else None,
        )
        self._start(self._handle(inbound))
        return True

    def _without_mention(self, text: str | None) -> str | None:
        """Drop the @mention of the bot that starts a group message, so a command in it is read."""
        mention = f"@{self.bot_name}" if self.bot_name else None
        if text and mention and text.startswith(mention):
            return text[len(mention) :].lstrip() or None
        return text

    def _start(self, work: Awaitable[None]) -> None:
        """Run work in the background, kept until done so a stop can wait for it."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

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

"""Fake Zalo Bot API server for end-to-end tests, written from docs/zalo-bot-api.md.

It keeps the platform's traps so the bot must cope with them: `getUpdates` answers ONE update
or HTTP 408 when idle, there is no offset (consumed updates can be replayed), the bot's own
messages are echoed back as updates, ids are strings, `date` is in milliseconds, and text is
limited to 2000 UTF-16 units. It can POST webhooks several at a time and to several instances in
turn, and refuse a share of sends with 429. Point the bot's `ZALO_API_BASE_URL` at
:attr:`FakeZaloServer.base_url` and play users through :class:`FakeZaloUser`.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import random
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from tests.fakes.waiters import ANY, Waiters

JSONDict = dict[str, Any]

MAX_TEXT = 2000
# Long polls are held at most this long, whatever the bot asks, to keep tests quick.
MAX_HOLD_SECONDS = 5.0
WEBHOOK_RETRY_DELAY = 0.2
# Zalo gives up on a webhook POST not answered within about this long.
WEBHOOK_ANSWER_SECONDS = 2.0
SECRET_HEADER = "X-Bot-Api-Secret-Token"


def new_id() -> str:
    """Return an id shaped like Zalo's: 20 lowercase hex characters."""
    return secrets.token_hex(10)


def now_ms() -> int:
    """Return the current time in milliseconds since the epoch, as Zalo sends it."""
    return int(time.time() * 1000)


@dataclass(frozen=True)
class SentZaloMessage:
    """A message the bot sent through sendMessage or sendPhoto."""

    chat_id: str
    message_id: str
    text: str
    photo: str | None = None


@dataclass(frozen=True)
class ZaloCall:
    """One API call the bot made and the HTTP status it got."""

    method: str
    body: JSONDict
    status: int
    at: float


@dataclass
class WebhookDelivery:
    """One POST the fake made to the bot's webhook, and how the bot answered."""

    update: JSONDict
    status: int  # 0 when the bot did not answer in time
    url: str = ""


@dataclass
class _Failure:
    """An error to answer instead of the next calls of a method."""

    method: str
    status: int
    remaining: int
    error_code: Any = None


class _ApiError(Exception):
    """An error answer: HTTP status equal to error_code, the envelope in the body."""

    def __init__(self, status: int, description: str, error_code: Any = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.error_code = status if error_code is None else error_code

    def response(self) -> web.Response:
        """Return the HTTP answer Zalo gives for this error."""
        body = {"ok": False, "error_code": self.error_code, "description": self.description}
        return web.json_response(body, status=self.status)


@dataclass
class FakeZaloServer:
    """An in-process HTTP server speaking the Zalo Bot API to one bot."""

    token: str = "1234567890:zalo-test-secret-never-logged"
    bot_id: str = field(default_factory=new_id)
    bot_name: str = "Trợ lý chi bộ"
    hold_polls: bool = True
    echo_bot_messages: bool = True
    webhook_envelope: bool = False
    # getUpdates answers a list of one update instead of the update, as some copies of the docs show.
    list_results: bool = False
    # The bot's echoes carry this sender id instead of getMe's id (their id format is unverified).
    echo_sender_id: str | None = None
    # Where the TLS reverse proxy in front of the bot forwards the public webhook URL (scheme and host).
    webhook_target: str | None = None
    # The text limit, counted in UTF-16 units as Zalo's newer docs count offsets (an emoji is two).
    max_text: int = MAX_TEXT
    # A POST the bot does not answer in time counts as delivered (status 0), as a lost update would.
    deliveries_may_fail: bool = False
    # Several instances behind one balancer: each webhook POST goes to the next of these in turn
    # (instead of `webhook_target`).
    webhook_targets: list[str] = field(default_factory=list)
    # Webhook POSTs in flight at once; Zalo's own figure is not documented.
    webhook_concurrency: int = 1
    # The share of sends answered 429 (quota exceeded), drawn from a seeded generator.
    quota_refusals: float = 0.0
    quota_seed: int = 0
    port: int | None = None
    calls: list[ZaloCall] = field(default_factory=list)
    # Methods as they arrive, before any answer: a long poll shows when it began.
    arrivals: list[str] = field(default_factory=list)
    deliveries: list[WebhookDelivery] = field(default_factory=list)
    webhook_url: str | None = None
    webhook_secret: str | None = None

    def __post_init__(self) -> None:
        self._pending: deque[JSONDict] = deque()
        self._consumed: dict[str, JSONDict] = {}
        self._sent: dict[str, list[SentZaloMessage]] = {}
        self._known_chats: set[str] = set()
        self._chat_types: dict[str, str] = {}
        self._failures: list[_Failure] = []
        self._revoked = False
        self._waiters = Waiters()
        self._quota = random.Random(self.quota_seed)
        self._next_target = 0
        self._in_flight = 0
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._webhook_tasks: list[asyncio.Task[None]] = []

    # Lifecycle

    async def start(self) -> None:
        """Bind 127.0.0.1 on `port` (a free one when None) and start serving."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle_api)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port or 0).start()
        self.port = self._runner.addresses[0][1]
        self._session = aiohttp.ClientSession()
        self._webhook_tasks = [
            asyncio.create_task(self._deliver_webhooks()) for _ in range(self.webhook_concurrency)
        ]

    async def stop(self) -> None:
        """Wake pending long polls, stop webhook delivery and close the server."""
        self._closing = True
        await self._notify()
        for task in self._webhook_tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    async def __aenter__(self) -> Self:
        """Start the server."""
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Stop the server."""
        await self.stop()

    @property
    def base_url(self) -> str:
        """Return the base URL the bot should use (it appends /bot<token>/<method>)."""
        return f"http://127.0.0.1:{self.port}"

    # What a test controls

    def user(
        self,
        display_name: str,
        user_id: str | None = None,
        *,
        wrote_first: bool = True,
        group_id: str | None = None,
    ) -> FakeZaloUser:
        """Return a user in a private chat with the bot (or in the group `group_id`)."""
        user = FakeZaloUser(self, user_id or new_id(), display_name, group_id)
        if group_id is not None:
            self._chat_types[group_id] = "GROUP"
        if wrote_first:
            self._known_chats.add(user.chat_id)
        return user

    def revoke_token(self) -> None:
        """Answer every later call with 401, as Zalo does for a bad or expired token."""
        self._revoked = True

    def fail_next(self, method: str, status: int, times: int = 1, error_code: Any = None) -> None:
        """Answer the next `times` calls of `method` with an error of that status (and error_code)."""
        self._failures.append(_Failure(method.lower(), status, times, error_code))

    async def queue_update(self, update: JSONDict) -> JSONDict:
        """Make an update available to getUpdates or the webhook."""
        self._pending.append(update)
        await self._notify()
        return update

    async def replay(self, message_id: str) -> None:
        """Deliver an already consumed update again, as Zalo may (it has no offset)."""
        await self.queue_update(self._consumed[message_id])

    def sent_to(self, chat_id: str) -> list[SentZaloMessage]:
        """Return every message the bot sent to a chat, oldest first."""
        return list(self._sent.get(chat_id, []))

    def calls_of(self, method: str) -> list[ZaloCall]:
        """Return the calls the bot made of one method."""
        return [call for call in self.calls if call.method == method.lower()]

    @property
    def pending(self) -> int:
        """Return how many updates wait to be consumed, webhook POSTs in flight included."""
        return len(self._pending) + self._in_flight

    async def wait_for(self, predicate: Any, timeout: float, topic: object = ANY) -> bool:
        """Wait until predicate() holds, re-checked when `topic` changes; tell whether it held in time."""
        return bool(await self._waiters.wait(predicate, timeout, topic))

    async def _notify(self, *topics: object) -> None:
        """Wake the waiters on any change, and those of `topics`."""
        self._waiters.notify(*topics)

    # HTTP

    async def _handle_api(self, request: web.Request) -> web.Response:
        """Answer one Bot API call."""
        method = request.match_info["method"].lower()
        self.arrivals.append(method)
        await self._notify()
        try:
            body = await request.json() if request.can_read_body else {}
        except ValueError:
            body = None
        status = 200
        try:
            if request.match_info["token"] != self.token or self._revoked:
                raise _ApiError(401, "Unauthorized")
            if not isinstance(body, dict):
                raise _ApiError(400, "Request body must be a JSON object")
            self._raise_injected(method)
            result = await self._dispatch(method, body)
            response = web.json_response({"ok": True, "result": result})
        except _ApiError as error:
            status = error.status
            response = error.response()
        self.calls.append(ZaloCall(method, body if isinstance(body, dict) else {}, status, time.monotonic()))
        await self._notify()
        return response

    def _raise_injected(self, method: str) -> None:
        """Answer with an injected failure when one is due for this method."""
        for failure in self._failures:
            if failure.method == method and failure.remaining > 0:
                failure.remaining -= 1
                raise _ApiError(failure.status, "Injected failure", failure.error_code)

    async def _dispatch(self, method: str, body: JSONDict) -> Any:
        """Run one method."""
        match method:
            case "getme":
                return {
                    "id": self.bot_id,
                    "account_name": "bot.chibo",
                    "account_type": "BASIC",
                    "can_join_groups": False,
                    "display_name": self.bot_name,
                }
            case "getupdates":
                return await self._get_updates(body)
            case "sendmessage":
                return await self._send(body, text=self._text(body, "text", required=True))
            case "sendphoto":
                photo = body.get("photo")
                if not isinstance(photo, str) or not photo.startswith(("http://", "https://")):
                    raise _ApiError(400, "photo must be a URL")
                return await self._send(body, text=self._text(body, "caption", required=False), photo=photo)
            case "sendchataction":
                self._chat(body)
                return True
            case "setwebhook":
                return await self._set_webhook(body)
            case "deletewebhook":
                self.webhook_url, self.webhook_secret = None, None
                return {"url": "", "updated_at": now_ms()}
            case "getwebhookinfo":
                if self.webhook_url is None:
                    raise _ApiError(404, "Webhook not found")
                return {"url": self.webhook_url, "updated_at": now_ms()}
        raise _ApiError(404, "Method not found")

    async def _get_updates(self, body: JSONDict) -> JSONDict | list[JSONDict]:
        """Hand out ONE update, or answer 408 when none came within the timeout."""
        if self.webhook_url is not None:
            raise _ApiError(400, "Webhook is set; delete it before polling")
        try:
            # The docs say a string, some clients send a number: accept both.
            timeout = float(body.get("timeout", 30))
        except (TypeError, ValueError):
            raise _ApiError(400, "timeout must be a number") from None
        hold = min(timeout, MAX_HOLD_SECONDS) if self.hold_polls else 0.0
        await self.wait_for(lambda: bool(self._pending) or self._closing, hold)
        if not self._pending or self._closing:
            raise _ApiError(408, "Request timeout")
        update = self._pending.popleft()
        self._keep_consumed(update)
        return [update] if self.list_results else update

    def _keep_consumed(self, update: JSONDict) -> None:
        """Remember a handed-out update by its message id, so a test can replay it."""
        message = update.get("message")
        if isinstance(message, dict) and isinstance(message.get("message_id"), str):
            self._consumed[message["message_id"]] = update

    def _text(self, body: JSONDict, key: str, *, required: bool) -> str:
        """Check a text field against Zalo's 1–2000 character limit."""
        text = body.get(key)
        if text is None and not required:
            return ""
        if not isinstance(text, str) or not 1 <= len(text.encode("utf-16-le")) // 2 <= self.max_text:
            raise _ApiError(400, f"{key} must be 1-{self.max_text} characters")
        return text

    def _chat(self, body: JSONDict) -> str:
        """Return the chat a send goes to; the user must have written to the bot first."""
        chat_id = body.get("chat_id")
        if not isinstance(chat_id, str):
            raise _ApiError(400, "chat_id must be a string")
        if chat_id not in self._known_chats:
            raise _ApiError(400, "The user has not interacted with the bot")
        return chat_id

    async def _send(self, body: JSONDict, *, text: str, photo: str | None = None) -> JSONDict:
        """Record a message from the bot and echo it back as Zalo does."""
        chat_id = self._chat(body)
        if self.quota_refusals and self._quota.random() < self.quota_refusals:
            raise _ApiError(429, "Quota exceeded")
        message = SentZaloMessage(chat_id, new_id(), text, photo)
        self._sent.setdefault(chat_id, []).append(message)
        await self._notify(chat_id)
        date = now_ms()
        if self.echo_bot_messages:
            await self.queue_update(
                {
                    "event_name": "message.image.received" if photo else "message.text.received",
                    "message": {
                        "message_id": message.message_id,
                        "date": date,
                        "from": {"id": self.echo_sender_id or self.bot_id, "display_name": self.bot_name},
                        "chat": {"id": chat_id, "chat_type": self._chat_types.get(chat_id, "PRIVATE")},
                        **({"photo": photo, "caption": text} if photo else {"text": text}),
                    },
                }
            )
        return {"message_id": message.message_id, "date": date}

    async def _set_webhook(self, body: JSONDict) -> JSONDict:
        """Register the webhook, probe it at once and say how the probe went; the URL is kept either way."""
        url, secret = body.get("url"), body.get("secret_token")
        if not isinstance(url, str) or not url.startswith("https://") or _local_host(url):
            raise _ApiError(400, "url must be https on a public host")
        if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
            raise _ApiError(400, "secret_token must be 8-256 characters")
        self.webhook_url, self.webhook_secret = url, secret
        # Whether Zalo's probe carries the secret header is unverified; this fake sends it.
        status = await self._post_webhook({}, self.delivery_url())
        verification = {
            "ok": status == 200,
            "outcome": "success" if status == 200 else "failed",
            "status_code": status,
            "hint": "" if status == 200 else "Could not reach the webhook URL",
        }
        return {"url": url, "updated_at": now_ms(), "verification": verification}

    def delivery_url(self) -> str | None:
        """Return where a webhook POST goes: the public URL's path on the reverse proxy's (next) target."""
        target = self.webhook_target
        if self.webhook_targets:
            target = self.webhook_targets[self._next_target % len(self.webhook_targets)]
            self._next_target += 1
        if self.webhook_url is None or target is None:
            return None
        parts = urlsplit(self.webhook_url)
        return target.rstrip("/") + (parts.path or "/")

    async def _post_webhook(self, body: JSONDict, url: str | None) -> int:
        """POST a body to the webhook with the secret; the HTTP status, 0 when unanswered in time."""
        if url is None or self._session is None:
            return 0
        try:
            async with self._session.post(
                url,
                json=body,
                headers={SECRET_HEADER: self.webhook_secret or ""},
                timeout=aiohttp.ClientTimeout(total=WEBHOOK_ANSWER_SECONDS),
            ) as response:
                return response.status
        except (aiohttp.ClientError, TimeoutError):
            return 0

    async def _deliver_webhooks(self) -> None:
        """POST pending updates to the webhook while one is set, one at a time per delivery task."""
        while not self._closing:
            await self.wait_for(lambda: bool(self._pending and self.webhook_url) or self._closing, 3600)
            if self._closing or not self._pending or self.webhook_url is None or self._session is None:
                continue
            update = self._pending.popleft()
            body = {"ok": True, "result": update} if self.webhook_envelope else update
            url = self.delivery_url()
            self._in_flight += 1
            try:
                status = await self._post_webhook(body, url)
            finally:
                self._in_flight -= 1
            if status == 0 and not self.deliveries_may_fail:
                self._pending.appendleft(update)
                await asyncio.sleep(WEBHOOK_RETRY_DELAY)
                continue
            self._keep_consumed(update)
            self.deliveries.append(WebhookDelivery(update, status, url or ""))
            await self._notify()


class FakeZaloUser:
    """A Zalo user in a private chat with the bot."""

    def __init__(
        self, server: FakeZaloServer, user_id: str, display_name: str, group_id: str | None = None
    ) -> None:
        self.server = server
        self.user_id = user_id
        self.display_name = display_name
        self.group_id = group_id
        self._seen = 0

    @property
    def chat_id(self) -> str:
        """Return the chat: the group's id, or in a private chat the user's own id."""
        return self.group_id or self.user_id

    @property
    def messages(self) -> list[SentZaloMessage]:
        """Return every message the bot sent to this user."""
        return self.server.sent_to(self.chat_id)

    def update(self, event_name: str, **content: Any) -> JSONDict:
        """Build an update from this user, shaped as Zalo sends it."""
        self.server._known_chats.add(self.chat_id)
        return {
            "event_name": event_name,
            "message": {
                "message_id": new_id(),
                "date": now_ms(),
                "from": {"id": self.user_id, "display_name": self.display_name, "is_bot": False},
                "chat": {"id": self.chat_id, "chat_type": "GROUP" if self.group_id else "PRIVATE"},
                **content,
            },
        }

    async def send_text(self, text: str) -> JSONDict:
        """Send a text message to the bot."""
        return await self.server.queue_update(self.update("message.text.received", text=text))

    async def send_photo(self, url: str, caption: str | None = None) -> JSONDict:
        """Send a photo, which Zalo delivers as a URL with an optional caption."""
        content = {"photo": url, **({"caption": caption} if caption else {})}
        return await self.server.queue_update(self.update("message.image.received", **content))

    async def send_event(self, event_name: str, **content: Any) -> JSONDict:
        """Send another kind of event (a sticker, an unsupported message, an unknown event)."""
        return await self.server.queue_update(self.update(event_name, **content))

    async def wait_for_messages(self, count: int = 1, timeout: float = 10.0) -> list[SentZaloMessage]:
        """Wait for the next `count` bot messages to this chat and return exactly those."""
        target = self._seen + count
        sent = self.server._sent
        arrived = await self.server.wait_for(
            lambda: len(sent.get(self.chat_id, ())) >= target, timeout, self.chat_id
        )
        new = self.messages[self._seen :]
        if not arrived:
            listing = "; ".join(repr(m.text[:80]) for m in new) or "nothing"
            raise AssertionError(
                f"expected {count} new message(s) within {timeout}s, got {len(new)}: {listing}"
            )
        self._seen = target
        return new[:count]

    async def reply_to(self, count: int, text: str, timeout: float = 10.0) -> list[SentZaloMessage]:
        """Send text, then wait for `count` answers."""
        await self.send_text(text)
        return await self.wait_for_messages(count, timeout)

    async def wait_for_text(self, fragment: str, timeout: float = 10.0) -> SentZaloMessage:
        """Wait for a new bot message containing `fragment`; messages up to it count as read."""

        def found() -> int | None:
            return next((i for i, m in enumerate(self.messages[self._seen :]) if fragment in m.text), None)

        if not await self.server.wait_for(lambda: found() is not None, timeout, self.chat_id):
            listing = "; ".join(repr(m.text[:80]) for m in self.messages[self._seen :]) or "nothing"
            raise AssertionError(f"no message with {fragment!r} within {timeout}s; got {listing}")
        index = self._seen + (found() or 0)
        self._seen = index + 1
        return self.messages[index]

    async def ask(self, text: str, expect: str, timeout: float = 10.0) -> SentZaloMessage:
        """Send text, then wait for the answer containing `expect`."""
        await self.send_text(text)
        return await self.wait_for_text(expect, timeout)


def _local_host(url: str) -> bool:
    """Tell whether a URL names localhost or a private address, which Zalo refuses."""
    host = urlsplit(url).hostname or ""
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return host == "localhost" or host.endswith(".localhost")

"""Fake Telegram Bot API server for end-to-end tests.

The bot under test talks real HTTP to :class:`FakeTelegramServer` (point PTB's ``base_url`` and
``base_file_url`` at :attr:`FakeTelegramServer.base_url` / :attr:`FakeTelegramServer.base_file_url`)
while the test plays users through :class:`FakeUser`. Private chats are modelled, and groups as far as
a user writing in one (:meth:`FakeUser.in_group`) and a group becoming a supergroup
(:meth:`FakeTelegramServer.upgrade_group`).
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import copy
import html
import json
import math
import mimetypes
import re
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from typing import Any, Self, overload

import aiohttp
from aiohttp import web

from tests.fakes.waiters import ANY, Waiters

JSONDict = dict[str, Any]

MAX_MESSAGE_LENGTH = 4096
# Telegram's own upload limit for bots; aiohttp would otherwise reject bodies above 1 MiB.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
WEBHOOK_RETRY_DELAY = 0.2
# Only sends count against Telegram's documented flood limits; edits and actions do not here.
RATE_LIMITED_METHODS = frozenset({"sendmessage", "senddocument", "sendphoto"})

# The update queue is a topic of its own for waiters (tests/fakes/waiters.py), as is each chat.
_UPDATES = "updates"

_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_HTML_TAG_RE = re.compile(r"<[^>]+>")


def _utf16_length(text: str) -> int:
    """Return the length of text in UTF-16 code units, the unit Telegram entities use."""
    return len(text.encode("utf-16-le")) // 2


def _visible_length(text: str, parse_mode: str | None) -> int:
    """Return the length Telegram counts against the message limit, ignoring HTML markup."""
    if parse_mode is not None and parse_mode.upper() == "HTML":
        return len(html.unescape(_HTML_TAG_RE.sub("", text)))
    return len(text)


class _ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(
        self,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Store the error code, description and optional retry delay or new chat id."""
        super().__init__(description)
        self.error_code = int(error_code)
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def payload(self) -> JSONDict:
        """Return the JSON body Telegram sends for this error."""
        body: JSONDict = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        if self.migrate_to_chat_id is not None:
            body["parameters"] = {"migrate_to_chat_id": self.migrate_to_chat_id}
        return body


def _too_many_requests(retry_after: int) -> _ApiError:
    """Build the 429 error Telegram answers when flood limits are hit."""
    return _ApiError(
        HTTPStatus.TOO_MANY_REQUESTS,
        f"Too Many Requests: retry after {retry_after}",
        retry_after=retry_after,
    )


@dataclass
class _UploadedFile:
    """A file part of a multipart request."""

    filename: str | None
    content: bytes
    content_type: str | None


class _Params:
    """Typed access to Bot API parameters sent as JSON, form fields or multipart parts."""

    def __init__(self, values: JSONDict, files: dict[str, _UploadedFile]) -> None:
        """Wrap already decoded values and uploaded files."""
        self.values = values
        self.files = files

    @classmethod
    async def from_request(cls, request: web.Request) -> _Params:
        """Decode the query string and body of request."""
        values: JSONDict = dict(request.query)
        files: dict[str, _UploadedFile] = {}
        if request.content_type == "application/json" and request.can_read_body:
            try:
                body = await request.json()
            except ValueError:
                body = None
            if not isinstance(body, dict):
                raise _ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: JSON object expected")
            values.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for name, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[name] = _UploadedFile(value.filename, value.file.read(), value.content_type)
                else:
                    values[name] = value
        return cls(values, files)

    def has(self, name: str) -> bool:
        """Tell whether name was sent as a value or a file."""
        return name in self.values or name in self.files

    @overload
    def text(self, name: str) -> str | None: ...
    @overload
    def text(self, name: str, default: str) -> str: ...
    def text(self, name: str, default: str | None = None) -> str | None:
        """Return a string parameter."""
        value = self.values.get(name)
        return default if value is None else str(value)

    def required_text(self, name: str) -> str:
        """Return a string parameter that must be present."""
        value = self.text(name)
        if value is None:
            raise _ApiError(HTTPStatus.BAD_REQUEST, f"Bad Request: parameter {name} is required")
        return value

    @overload
    def integer(self, name: str) -> int | None: ...
    @overload
    def integer(self, name: str, default: int) -> int: ...
    def integer(self, name: str, default: int | None = None) -> int | None:
        """Return an integer parameter."""
        value = self.values.get(name)
        if value is None:
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _ApiError(HTTPStatus.BAD_REQUEST, f"Bad Request: invalid {name}") from None

    def number(self, name: str, default: float) -> float:
        """Return a numeric parameter."""
        value = self.values.get(name)
        if value is None:
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise _ApiError(HTTPStatus.BAD_REQUEST, f"Bad Request: invalid {name}") from None

    def flag(self, name: str) -> bool:
        """Return a boolean parameter, false when absent."""
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def structured(self, name: str) -> Any:
        """Return a structured parameter, which form encodings carry as a JSON string."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise _ApiError(HTTPStatus.BAD_REQUEST, f"Bad Request: can't parse {name}") from None

    def chat_id(self) -> int:
        """Return the target chat id; only numeric ids are known to the fake."""
        value = self.values.get("chat_id")
        try:
            return int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise _ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: chat not found") from None


@dataclass(eq=False)
class SentMessage:
    """A message the bot sent, kept up to date when the bot edits it."""

    chat_id: int
    message_id: int
    payload: JSONDict
    sent_at: float
    text: str | None = None
    caption: str | None = None
    parse_mode: str | None = None
    reply_markup: JSONDict | None = None
    document: bytes | None = None
    document_filename: str | None = None
    photo: bytes | None = None
    edit_count: int = 0

    def inline_buttons(self) -> list[JSONDict]:
        """Return the inline keyboard buttons row by row, flattened."""
        if not self.reply_markup:
            return []
        return [button for row in self.reply_markup.get("inline_keyboard", []) for button in row]

    def button_labels(self) -> list[str]:
        """Return the labels of the inline keyboard buttons."""
        return [button["text"] for button in self.inline_buttons()]

    def describe(self) -> str:
        """Summarise the message for assertion messages."""
        parts = [f"#{self.message_id}"]
        if self.text is not None:
            parts.append(f"text={self.text!r}")
        if self.document_filename is not None:
            parts.append(f"document={self.document_filename!r}")
        if self.photo is not None:
            parts.append(f"photo=<{len(self.photo)} bytes>")
        if self.caption is not None:
            parts.append(f"caption={self.caption!r}")
        if self.button_labels():
            parts.append(f"buttons={self.button_labels()!r}")
        return " ".join(parts)


@dataclass
class AnsweredCallback:
    """An answerCallbackQuery call made by the bot."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    answered_at: float


@dataclass
class ApiCall:
    """One Bot API request as received and answered by the fake."""

    method: str
    params: JSONDict
    status: int
    received_at: float


@dataclass
class _StoredFile:
    """A file reachable through getFile and the file download route."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_name: str | None
    mime_type: str | None


@dataclass(eq=False)
class _PendingUpdate:
    """An update waiting to be confirmed through getUpdates or accepted by the webhook."""

    update: JSONDict
    redelivery: bool = False
    delivered: bool = False

    @property
    def update_id(self) -> int:
        """Return the id of the wrapped update."""
        return self.update["update_id"]


@dataclass
class _InjectedFailure:
    """Forced error answers for the next calls of a method."""

    method: str
    remaining: int
    error: _ApiError
    chat_id: int | None


@dataclass
class _RateLimiter:
    """Sliding one-second windows over sends, per chat and overall."""

    per_chat: int
    overall: int
    _overall_window: deque[float] = field(default_factory=deque)
    _chat_windows: defaultdict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def acquire(self, chat_id: int) -> int | None:
        """Record a send now, or return the whole seconds to wait when a window is full."""
        now = time.monotonic()
        chat_window = self._chat_windows[chat_id]
        waits: list[float] = []
        for window, limit in ((chat_window, self.per_chat), (self._overall_window, self.overall)):
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= limit:
                waits.append(window[0] + 1.0 - now)
        if waits:
            return max(1, math.ceil(max(waits)))
        chat_window.append(now)
        self._overall_window.append(now)
        return None


class FakeTelegramServer:
    """An in-process HTTP server speaking enough of the Bot API for python-telegram-bot."""

    def __init__(
        self,
        *,
        bot_id: int = 7_000_000_001,
        bot_username: str = "chibo_test_bot",
        bot_first_name: str = "Chibo Test Bot",
    ) -> None:
        """Prepare an unstarted server for a bot with the given identity."""
        self.bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.port: int | None = None
        self.calls: list[ApiCall] = []
        # Methods as they arrive, before any answer: a long poll shows when it began.
        self.arrivals: list[str] = []
        self.answered_callbacks: list[AnsweredCallback] = []
        self.webhook_url: str | None = None
        self.webhook_secret_token: str | None = None
        self.webhook_allowed_updates: list[str] | None = None
        self._webhook_last_error: tuple[int, str] | None = None
        self._pending: list[_PendingUpdate] = []
        self._updates: dict[int, JSONDict] = {}
        self._last_update_id = 0
        self._last_message_id: defaultdict[int, int] = defaultdict(int)
        self._sent: defaultdict[int, list[SentMessage]] = defaultdict(list)
        self._bot_messages: dict[tuple[int, int], SentMessage] = {}
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._open_callback_ids: set[str] = set()
        self._last_callback_id = 0
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._failures: list[_InjectedFailure] = []
        self._rate_limiter: _RateLimiter | None = None
        # Groups that became supergroups: old id -> new id.
        self._upgraded: dict[int, int] = {}
        self._users: dict[int, FakeUser] = {}
        self._waiters = Waiters()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._methods: dict[str, Callable[[_Params], Awaitable[Any]]] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "answercallbackquery": self._answer_callback_query,
            "senddocument": self._send_document,
            "sendphoto": self._send_photo,
            "sendchataction": self._send_chat_action,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "getfile": self._get_file,
            "close": self._return_true,
            "logout": self._return_true,
        }

    # Lifecycle

    async def start(self) -> None:
        """Bind 127.0.0.1 on a free port and start serving."""
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        # A short shutdown timeout because long polls are woken explicitly on stop. A call whose
        # client went away is dropped, as Telegram does: a stopped bot's long poll must not end
        # later and pass for a poll of the bot started after it.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0, handler_cancellation=True)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        self._session = aiohttp.ClientSession()
        self._webhook_task = asyncio.create_task(self._deliver_webhooks())

    async def stop(self) -> None:
        """Wake pending long polls, stop webhook delivery and close the server."""
        self._closing = True
        self._waiters.notify_all()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    async def __aenter__(self) -> Self:
        """Start the server."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the server."""
        await self.stop()

    @property
    def base_url(self) -> str:
        """Return the value for PTB's ``base_url``."""
        return f"{self._root_url()}/bot"

    @property
    def base_file_url(self) -> str:
        """Return the value for PTB's ``base_file_url``."""
        return f"{self._root_url()}/file/bot"

    def _root_url(self) -> str:
        """Return the server origin, which exists only once started."""
        if self.port is None:
            raise RuntimeError("FakeTelegramServer is not started")
        return f"http://127.0.0.1:{self.port}"

    # Test-side API

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
    ) -> FakeUser:
        """Return the fake user with user_id, creating it on first use."""
        if user_id not in self._users:
            self._users[user_id] = FakeUser(self, user_id, first_name, last_name, username, language_code)
        return self._users[user_id]

    def sent_to(self, chat_id: int) -> list[SentMessage]:
        """Return every message the bot has sent to chat_id, oldest first."""
        return list(self._sent[chat_id])

    def my_commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """Return the command list the bot registered for scope and language."""
        return list(self._commands.get(self._commands_key(scope, language_code), []))

    async def queue_update(self, update: JSONDict) -> JSONDict:
        """Assign the next update id to update and queue it for the bot."""
        self._last_update_id += 1
        full_update = {"update_id": self._last_update_id, **update}
        self._updates[self._last_update_id] = full_update
        self._pending.append(_PendingUpdate(full_update))
        await self._notify(_UPDATES)
        return full_update

    async def redeliver(self, update_id: int) -> None:
        """Queue an already sent update again, unchanged, to simulate duplicate delivery."""
        entry = _PendingUpdate(self._updates[update_id], redelivery=True)
        # Keep the queue sorted: PTB confirms with the last id of a batch.
        bisect.insort(self._pending, entry, key=lambda pending: pending.update_id)
        await self._notify(_UPDATES)

    def fail_next(
        self,
        method: str,
        times: int = 1,
        *,
        error_code: int = HTTPStatus.TOO_MANY_REQUESTS,
        retry_after: int = 1,
        description: str | None = None,
        chat_id: int | None = None,
    ) -> None:
        """Make the next `times` calls of method fail, optionally only those for chat_id."""
        if error_code == HTTPStatus.TOO_MANY_REQUESTS:
            error = _too_many_requests(retry_after)
            if description is not None:
                error.description = description
        else:
            error = _ApiError(error_code, description or HTTPStatus(error_code).phrase)
        self._failures.append(_InjectedFailure(method.lower(), times, error, chat_id))

    async def upgrade_group(self, group_id: int, supergroup_id: int, *, announce: bool = False) -> None:
        """Make a group a supergroup: every call naming the old id answers 400 with the new one.

        With `announce`, the bot also gets the two service messages Telegram posts in the old and
        the new chat; without, they are taken as lost (the bot was away longer than Telegram keeps
        updates).
        """
        if group_id >= 0 or supergroup_id >= 0:
            raise ValueError("Telegram group chats have negative ids")
        self._upgraded[group_id] = supergroup_id
        if not announce:
            return
        for chat_id, field_name, other in (
            (group_id, "migrate_to_chat_id", supergroup_id),
            (supergroup_id, "migrate_from_chat_id", group_id),
        ):
            message = {
                "message_id": self._next_message_id(chat_id),
                "from": {key: self.bot_user[key] for key in ("id", "is_bot", "first_name", "username")},
                "chat": self._chat(chat_id),
                "date": int(time.time()),
                field_name: other,
            }
            await self.queue_update({"message": message})

    def set_rate_limit(self, per_chat: int = 1, overall: int = 30) -> None:
        """Answer 429 to sends beyond per_chat messages/s per chat or overall messages/s."""
        self._rate_limiter = _RateLimiter(per_chat, overall)

    def clear_rate_limit(self) -> None:
        """Stop enforcing send rate limits."""
        self._rate_limiter = None

    async def wait_for(
        self, predicate: Callable[[], bool], timeout: float = 10.0, description: str = "condition"
    ) -> None:
        """Wait until predicate holds after some server state change, or fail the test."""
        if not await self._wait(predicate, timeout):
            raise AssertionError(f"Timed out after {timeout}s waiting for {description}")

    # Internals shared with FakeUser

    async def _wait(self, predicate: Callable[[], bool], timeout: float | None, topic: object = ANY) -> bool:
        """Wait up to timeout seconds for predicate, re-checked when topic changes; say if it holds."""
        return await self._waiters.wait(predicate, timeout, topic)

    async def _notify(self, *topics: object) -> None:
        """Wake the waiters of topics, and those waiting on any change, to re-check their predicates."""
        self._waiters.notify(*topics)

    def _next_message_id(self, chat_id: int) -> int:
        """Allocate a message id; both sides of a private chat share one sequence."""
        self._last_message_id[chat_id] += 1
        return self._last_message_id[chat_id]

    def _chat(self, chat_id: int) -> JSONDict:
        """Return the Chat object for chat_id."""
        if chat_id < 0:
            kind = "supergroup" if chat_id in self._upgraded.values() else "group"
            return {"id": chat_id, "type": kind, "title": "Nhóm chat"}
        user = self._users.get(chat_id)
        if user is None:
            return {"id": chat_id, "type": "private"}
        return user.as_chat()

    def _store_file(
        self, content: bytes, file_name: str | None, mime_type: str | None, folder: str
    ) -> _StoredFile:
        """Keep content downloadable and return its descriptor."""
        number = len(self._files) + 1
        suffix = ""
        if file_name and "." in file_name:
            suffix = "." + file_name.rsplit(".", 1)[1]
        elif folder == "photos":
            suffix = ".jpg"
        stored = _StoredFile(
            file_id=f"fake-file-{number}",
            file_unique_id=f"fake-unique-{number}",
            file_path=f"{folder}/file_{number}{suffix}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _answerable_callback_id(self) -> str:
        """Allocate a callback query id the bot may answer once."""
        self._last_callback_id += 1
        query_id = str(4_000_000_000_000 + self._last_callback_id)
        self._open_callback_ids.add(query_id)
        return query_id

    @staticmethod
    def _commands_key(scope: JSONDict | None, language_code: str | None) -> tuple[str, str]:
        """Key command lists the way Telegram does: by scope and language."""
        return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code or ""

    def _params_commands_key(self, params: _Params) -> tuple[str, str]:
        """Return the command list key a set/get/deleteMyCommands call addresses."""
        return self._commands_key(params.structured("scope"), params.text("language_code"))

    # HTTP handlers

    async def _handle_api(self, request: web.Request) -> web.Response:
        """Dispatch one Bot API call and answer in the Bot API envelope."""
        method = request.match_info["method"]
        self.arrivals.append(method.lower())
        await self._notify()
        params = _Params({}, {})
        try:
            params = await _Params.from_request(request)
            handler = self._methods.get(method.lower())
            if handler is None:
                raise _ApiError(HTTPStatus.NOT_FOUND, "Not Found: method not found")
            self._raise_injected_failure(method.lower(), params)
            moved_to = self._upgraded.get(params.integer("chat_id", 0))
            if moved_to is not None:
                raise _ApiError(
                    HTTPStatus.BAD_REQUEST,
                    "Bad Request: group chat was upgraded to a supergroup chat",
                    migrate_to_chat_id=moved_to,
                )
            if self._rate_limiter is not None and method.lower() in RATE_LIMITED_METHODS:
                retry_after = self._rate_limiter.acquire(params.chat_id())
                if retry_after is not None:
                    raise _too_many_requests(retry_after)
            result = await handler(params)
        except _ApiError as error:
            self.calls.append(ApiCall(method, params.values, error.error_code, time.time()))
            # Waiters on any change may be watching calls (wait_for on server.calls).
            await self._notify()
            return web.json_response(error.payload(), status=error.error_code)
        self.calls.append(ApiCall(method, params.values, int(HTTPStatus.OK), time.time()))
        await self._notify()
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        """Serve the bytes behind a file_path returned by getFile."""
        stored = self._files_by_path.get(request.match_info["file_path"])
        if stored is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        return web.Response(body=stored.content, content_type=stored.mime_type or "application/octet-stream")

    def _raise_injected_failure(self, method: str, params: _Params) -> None:
        """Raise the first injected failure matching this call, consuming one use of it."""
        for failure in self._failures:
            if failure.method != method:
                continue
            if failure.chat_id is not None and params.integer("chat_id") != failure.chat_id:
                continue
            failure.remaining -= 1
            if failure.remaining <= 0:
                self._failures.remove(failure)
            raise failure.error

    # Bot API methods

    async def _return_true(self, params: _Params) -> bool:
        """Accept a call that has no effect on the fake."""
        return True

    async def _get_me(self, params: _Params) -> JSONDict:
        """Return the bot user."""
        return self.bot_user

    async def _get_updates(self, params: _Params) -> list[JSONDict]:
        """Confirm updates below offset, then long-poll for up to timeout seconds."""
        if self.webhook_url is not None:
            raise _ApiError(
                HTTPStatus.CONFLICT,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.integer("offset", 0)
        limit = min(max(params.integer("limit", 100), 1), 100)
        timeout = params.number("timeout", 0.0)
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset > 0:
            # A redelivered duplicate has an old id; it survives until handed out once.
            self._pending = [
                entry
                for entry in self._pending
                if entry.update_id >= offset or (entry.redelivery and not entry.delivered)
            ]
        await self._wait(
            lambda: bool(self._pending) or self._closing or self.webhook_url is not None,
            timeout,
            _UPDATES,
        )
        if self._closing or self.webhook_url is not None:
            return []
        batch = self._pending[:limit]
        for entry in batch:
            entry.delivered = True
        return [entry.update for entry in batch]

    async def _set_webhook(self, params: _Params) -> bool:
        """Switch to webhook delivery, or back to getUpdates when url is empty."""
        url = params.text("url", "")
        if not url:
            return await self._delete_webhook(params)
        if params.flag("drop_pending_updates"):
            self._pending.clear()
        self.webhook_url = url
        self.webhook_secret_token = params.text("secret_token")
        self.webhook_allowed_updates = params.structured("allowed_updates")
        self._webhook_last_error = None
        await self._notify(_UPDATES)
        return True

    async def _delete_webhook(self, params: _Params) -> bool:
        """Switch back to getUpdates delivery."""
        if params.flag("drop_pending_updates"):
            self._pending.clear()
        self.webhook_url = None
        self.webhook_secret_token = None
        await self._notify(_UPDATES)
        return True

    async def _get_webhook_info(self, params: _Params) -> JSONDict:
        """Describe the current webhook."""
        info: JSONDict = {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
            "max_connections": 40,
        }
        if self._webhook_last_error is not None:
            info["last_error_date"], info["last_error_message"] = self._webhook_last_error
        return info

    async def _deliver_webhooks(self) -> None:
        """POST pending updates in order to the webhook while one is set, retrying failures."""
        assert self._session is not None
        while True:
            await self._wait(lambda: self.webhook_url is not None and bool(self._pending), None, _UPDATES)
            entry = self._pending[0]
            url = self.webhook_url
            secret = self.webhook_secret_token
            assert url is not None
            headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
            try:
                async with self._session.post(url, json=entry.update, headers=headers) as response:
                    error = None if response.status < 300 else f"Wrong response: {response.status}"
            except aiohttp.ClientError as exc:
                error = f"Connection failed: {exc}"
            if error is None:
                if entry in self._pending:
                    self._pending.remove(entry)
                await self._notify(_UPDATES)
            else:
                self._webhook_last_error = (int(time.time()), error)
                await asyncio.sleep(WEBHOOK_RETRY_DELAY)

    async def _record_bot_message(self, params: _Params, content: JSONDict, **recorded: Any) -> JSONDict:
        """Create, record and return a bot message with content in the target chat."""
        chat_id = params.chat_id()
        reply_markup = params.structured("reply_markup")
        payload: JSONDict = {
            "message_id": self._next_message_id(chat_id),
            "from": {key: self.bot_user[key] for key in ("id", "is_bot", "first_name", "username")},
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            **content,
        }
        # Message.reply_markup can only be an inline keyboard; reply keyboards are not echoed.
        if isinstance(reply_markup, dict) and "inline_keyboard" in reply_markup:
            payload["reply_markup"] = reply_markup
        sent = SentMessage(
            chat_id=chat_id,
            message_id=payload["message_id"],
            payload=payload,
            sent_at=time.time(),
            parse_mode=params.text("parse_mode"),
            reply_markup=reply_markup,
            **recorded,
        )
        self._sent[chat_id].append(sent)
        self._bot_messages[(chat_id, sent.message_id)] = sent
        await self._notify(chat_id)
        return payload

    def _caption_content(self, params: _Params) -> JSONDict:
        """Return the caption field of a media message, if any."""
        caption = params.text("caption")
        return {} if caption is None else {"caption": caption}

    def _input_file(self, params: _Params, name: str, mime_type: str | None, folder: str) -> _StoredFile:
        """Store an uploaded file or resolve a previously seen file_id."""
        upload = params.files.get(name)
        if upload is not None:
            guessed = mimetypes.guess_type(upload.filename or "")[0]
            # PTB labels unknown uploads octet-stream; the extension says more.
            if upload.content_type and upload.content_type != "application/octet-stream":
                guessed = upload.content_type
            return self._store_file(upload.content, upload.filename, mime_type or guessed, folder)
        file_id = params.text(name)
        if file_id is None:
            raise _ApiError(HTTPStatus.BAD_REQUEST, f"Bad Request: there is no {name} in the request")
        if file_id not in self._files:
            raise _ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: wrong file identifier/HTTP URL specified")
        return self._files[file_id]

    async def _send_message(self, params: _Params) -> JSONDict:
        """Send a text message."""
        text = params.text("text", "")
        if not text.strip():
            raise _ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: message text is empty")
        if _visible_length(text, params.text("parse_mode")) > MAX_MESSAGE_LENGTH:
            raise _ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: message is too long")
        return await self._record_bot_message(params, {"text": text}, text=text)

    async def _send_document(self, params: _Params) -> JSONDict:
        """Send a document, keeping uploaded bytes and filename."""
        params.chat_id()
        stored = self._input_file(params, "document", params.text("mime_type"), "documents")
        document: JSONDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
        }
        if stored.file_name is not None:
            document["file_name"] = stored.file_name
        if stored.mime_type is not None:
            document["mime_type"] = stored.mime_type
        return await self._record_bot_message(
            params,
            {"document": document, **self._caption_content(params)},
            caption=params.text("caption"),
            document=stored.content,
            document_filename=stored.file_name,
        )

    async def _send_photo(self, params: _Params) -> JSONDict:
        """Send a photo, keeping uploaded bytes."""
        params.chat_id()
        stored = self._input_file(params, "photo", None, "photos")
        # The fake does not decode images, so the single size reports nominal dimensions.
        photo_size = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "width": 1,
            "height": 1,
        }
        return await self._record_bot_message(
            params,
            {"photo": [photo_size], **self._caption_content(params)},
            caption=params.text("caption"),
            photo=stored.content,
        )

    def _editable_message(self, params: _Params) -> SentMessage:
        """Return the bot message an edit call targets."""
        if params.has("inline_message_id"):
            raise _ApiError(
                HTTPStatus.BAD_REQUEST, "Bad Request: inline messages are not supported by the fake"
            )
        sent = self._bot_messages.get((params.chat_id(), params.integer("message_id", 0)))
        if sent is None:
            raise _ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: message to edit not found")
        return sent

    async def _apply_edit(
        self, sent: SentMessage, text: str | None, reply_markup: JSONDict | None
    ) -> JSONDict:
        """Apply an edit; like Telegram, an edit without reply_markup drops the keyboard."""
        if (text is None or text == sent.text) and reply_markup == sent.reply_markup:
            raise _ApiError(
                HTTPStatus.BAD_REQUEST,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        if text is not None:
            sent.text = text
            sent.payload["text"] = text
        sent.reply_markup = reply_markup
        if isinstance(reply_markup, dict) and "inline_keyboard" in reply_markup:
            sent.payload["reply_markup"] = reply_markup
        else:
            sent.payload.pop("reply_markup", None)
        sent.payload["edit_date"] = int(time.time())
        sent.edit_count += 1
        await self._notify(sent.chat_id)
        return sent.payload

    async def _edit_message_text(self, params: _Params) -> JSONDict:
        """Edit the text (and keyboard) of a bot text message."""
        sent = self._editable_message(params)
        if sent.text is None:
            raise _ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: there is no text in the message to edit")
        text = params.text("text", "")
        if not text.strip():
            raise _ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: message text is empty")
        sent.parse_mode = params.text("parse_mode")
        return await self._apply_edit(sent, text, params.structured("reply_markup"))

    async def _edit_message_reply_markup(self, params: _Params) -> JSONDict:
        """Replace or remove the inline keyboard of a bot message."""
        sent = self._editable_message(params)
        return await self._apply_edit(sent, None, params.structured("reply_markup"))

    async def _answer_callback_query(self, params: _Params) -> bool:
        """Record the answer to a callback query, which Telegram accepts only once."""
        query_id = params.required_text("callback_query_id")
        if query_id not in self._open_callback_ids:
            raise _ApiError(
                HTTPStatus.BAD_REQUEST,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._open_callback_ids.discard(query_id)
        self.answered_callbacks.append(
            AnsweredCallback(
                callback_query_id=query_id,
                text=params.text("text"),
                show_alert=params.flag("show_alert"),
                url=params.text("url"),
                answered_at=time.time(),
            )
        )
        await self._notify()
        return True

    async def _send_chat_action(self, params: _Params) -> bool:
        """Accept a chat action; it is visible in :attr:`calls`."""
        params.chat_id()
        params.required_text("action")
        return True

    async def _set_my_commands(self, params: _Params) -> bool:
        """Store the command list for a scope and language."""
        commands = params.structured("commands")
        if not isinstance(commands, list):
            raise _ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: parameter commands is required")
        self._commands[self._params_commands_key(params)] = commands
        return True

    async def _get_my_commands(self, params: _Params) -> list[JSONDict]:
        """Return the command list for a scope and language."""
        return list(self._commands.get(self._params_commands_key(params), []))

    async def _delete_my_commands(self, params: _Params) -> bool:
        """Forget the command list for a scope and language."""
        self._commands.pop(self._params_commands_key(params), None)
        return True

    async def _get_file(self, params: _Params) -> JSONDict:
        """Describe a stored file so the bot can download it."""
        stored = self._files.get(params.required_text("file_id"))
        if stored is None:
            raise _ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }


class FakeUser:
    """A Telegram user chatting privately with the bot; get one from FakeTelegramServer.user."""

    def __init__(
        self,
        server: FakeTelegramServer,
        user_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
    ) -> None:
        """Bind the user profile to server."""
        self.server = server
        self.user_id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self._seen_count = 0

    @property
    def chat_id(self) -> int:
        """Return the private chat id, which Telegram makes equal to the user id."""
        return self.user_id

    @property
    def messages(self) -> list[SentMessage]:
        """Return every message the bot sent to this user."""
        return self.server.sent_to(self.chat_id)

    def in_group(self, group_id: int, title: str = "Nhóm chat") -> FakeGroupMember:
        """Return this user writing in a group chat (Telegram gives groups negative ids)."""
        if group_id >= 0:
            raise ValueError("Telegram group chats have negative ids")
        return FakeGroupMember(self, group_id, title)

    def as_user(self) -> JSONDict:
        """Return the Bot API User object."""
        user: JSONDict = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        optional = {
            "last_name": self.last_name,
            "username": self.username,
            "language_code": self.language_code,
        }
        user.update({key: value for key, value in optional.items() if value is not None})
        return user

    def as_chat(self) -> JSONDict:
        """Return the Bot API Chat object of the private chat."""
        chat: JSONDict = {"id": self.chat_id, "type": "private", "first_name": self.first_name}
        optional = {"last_name": self.last_name, "username": self.username}
        chat.update({key: value for key, value in optional.items() if value is not None})
        return chat

    def _message(self, content: JSONDict) -> JSONDict:
        """Build a message from this user with content."""
        return {
            "message_id": self.server._next_message_id(self.chat_id),
            "from": self.as_user(),
            "chat": self.as_chat(),
            "date": int(time.time()),
            **content,
        }

    async def send_text(self, text: str) -> JSONDict:
        """Queue a text message update, marking a leading /command as a bot_command entity."""
        content: JSONDict = {"text": text}
        command = _COMMAND_RE.match(text)
        if command is not None:
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_length(command.group())}
            ]
        return await self.server.queue_update({"message": self._message(content)})

    async def send_document(
        self,
        content: bytes,
        filename: str,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> JSONDict:
        """Queue a message update carrying a document the bot can fetch with getFile."""
        mime_type = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self.server._store_file(content, filename, mime_type, "documents")
        message_content: JSONDict = {
            "document": {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_name": filename,
                "mime_type": mime_type,
                "file_size": len(content),
            }
        }
        if caption is not None:
            message_content["caption"] = caption
        return await self.server.queue_update({"message": self._message(message_content)})

    async def press_button(self, message: SentMessage, button: str | int) -> JSONDict:
        """Queue a callback_query update for an inline button chosen by label or flat index."""
        buttons = message.inline_buttons()
        if isinstance(button, int):
            chosen = buttons[button] if -len(buttons) <= button < len(buttons) else None
        else:
            chosen = next((candidate for candidate in buttons if candidate["text"] == button), None)
        if chosen is None:
            raise AssertionError(
                f"No button {button!r} on message {message.describe()}; "
                f"available: {message.button_labels()!r}"
            )
        if "callback_data" not in chosen:
            raise AssertionError(f"Button {chosen['text']!r} has no callback_data: {chosen!r}")
        return await self.press_data(message, chosen["callback_data"])

    async def press_data(self, message: SentMessage, data: str) -> JSONDict:
        """Queue a callback_query update on message carrying `data`, which a forged client may make up."""
        if message.chat_id != self.chat_id:
            raise AssertionError(f"Message #{message.message_id} was not sent to chat {self.chat_id}")
        callback_query = {
            "id": self.server._answerable_callback_id(),
            "from": self.as_user(),
            # A snapshot, since later edits must not rewrite an update already queued.
            "message": copy.deepcopy(message.payload),
            "chat_instance": f"instance-{self.chat_id}",
            "data": data,
        }
        return await self.server.queue_update({"callback_query": callback_query})

    async def wait_for_messages(self, count: int = 1, timeout: float = 10.0) -> list[SentMessage]:
        """Wait for the next count bot messages to this chat and return exactly those."""
        target = self._seen_count + count
        arrived = await self.server._wait(
            lambda: len(self.server._sent[self.chat_id]) >= target, timeout, self.chat_id
        )
        new_messages = self.server.sent_to(self.chat_id)[self._seen_count :]
        if not arrived:
            listing = "; ".join(sent.describe() for sent in new_messages) or "nothing"
            raise AssertionError(
                f"Expected {count} new message(s) in chat {self.chat_id} within {timeout}s, "
                f"got {len(new_messages)}: {listing}"
            )
        self._seen_count = target
        return new_messages[:count]


class FakeGroupMember(FakeUser):
    """A Telegram user writing in a group chat; what the bot sends to the group is read here."""

    def __init__(self, user: FakeUser, group_id: int, title: str) -> None:
        """Bind the user's profile to a group chat."""
        super().__init__(
            user.server, user.user_id, user.first_name, user.last_name, user.username, user.language_code
        )
        self.group_id = group_id
        self.title = title

    @property
    def chat_id(self) -> int:
        """Return the group chat's id."""
        return self.group_id

    def as_chat(self) -> JSONDict:
        """Return the Bot API Chat object of the group."""
        return {**self.server._chat(self.group_id), "title": self.title}

"""Telegram transport: python-telegram-bot in, Outbounds out."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
from datetime import timedelta

from aiohttp import web
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from channels.base import split_text
from channels.telegram_http import AiohttpRequest
from channels.webserver import WebServer
from core.app import App
from core.channel import ConfigError, SendError
from core.delivery import follow_move
from core.messages import Attachment, Inbound, Outbound
from settings import Settings
from texts import channels as t

log = logging.getLogger(__name__)

NAME = "telegram"
MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64
# Buttons whose labels are this short share a row; longer ones get a row each.
SHORT_LABEL = 14
# Documents up to this size are downloaded with the message, so handlers get their bytes.
MAX_DOWNLOAD_BYTES = 2 * 1024 * 1024
# Telegram unreachable at start (blocked, a proxy down): try again after these many seconds.
START_BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
# Only these updates are asked for; an edited message is not a new answer to the current step.
ALLOWED_UPDATES = ("message", "callback_query")
WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
# Telegram's own rule for a webhook's secret_token.
SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
# An update is a few KiB; anything near this is not from Telegram.
MAX_WEBHOOK_BODY = 2 * 1024 * 1024


def webhook_secret(settings: Settings) -> str:
    """Return the webhook's secret, refusing to run webhook mode without a valid one."""
    secret = settings.telegram_webhook_secret.get_secret_value() if settings.telegram_webhook_secret else ""
    if not SECRET_PATTERN.fullmatch(secret):
        raise ConfigError(t.webhook_secret_required())
    return secret


def keyboard(message: Outbound) -> InlineKeyboardMarkup | None:
    """Render a message's options as inline buttons."""
    if not message.options:
        return None
    for option in message.options:
        if len(option.value.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {option.value!r}")
    buttons = [InlineKeyboardButton(o.label, callback_data=o.value) for o in message.options]
    if all(len(o.label) <= SHORT_LABEL for o in message.options) and len(buttons) <= 3:
        return InlineKeyboardMarkup([buttons])
    return InlineKeyboardMarkup([[b] for b in buttons])


def scrub(text: str, secret: str) -> str:
    """Remove the bot token from text bound for a log."""
    return text.replace(secret, "<token>") if secret else text


def _seconds(value: int | timedelta) -> float:
    """Return a retry_after value in seconds, whichever type PTB hands over."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramChannel:
    """Runs python-telegram-bot and turns updates into Inbounds for the App."""

    name = NAME

    def __init__(self, settings: Settings, app: App) -> None:
        if settings.telegram_bot_token is None:
            raise ValueError("TelegramChannel needs TELEGRAM_BOT_TOKEN")
        self.settings = settings
        self.app = app
        self._token = settings.telegram_bot_token.get_secret_value()
        proxy = settings.telegram_proxy
        self._webhook_secret = webhook_secret(settings) if settings.telegram_webhook_url else None
        builder = (
            Application.builder()
            .token(self._token)
            # No overall limit here: Telegram's ~30/s is about broadcasts, which the outbox
            # dispatcher already paces (DISPATCH_RATE_PER_SECOND) and retries on 429. An overall
            # limiter also queued every interactive reply and keyboard removal behind it, capping
            # the bot at ~20 answered updates/s whatever the handlers cost. A 429 on a reply is
            # kept in the outbox by the core. Groups keep their 20 a minute.
            .rate_limiter(AIORateLimiter(overall_max_rate=0, max_retries=0))
            .concurrent_updates(True)
            .request(AiohttpRequest(proxy_url=proxy))
            .get_updates_request(AiohttpRequest(connection_pool_size=1, proxy_url=proxy))
        )
        if settings.telegram_api_base_url:
            builder = builder.base_url(settings.telegram_api_base_url)
        if settings.telegram_api_file_url:
            builder = builder.base_file_url(settings.telegram_api_file_url)
        self.application = builder.build()
        self._acknowledging: dict[str, asyncio.Future[None]] = {}
        self.running = False
        self.application.add_handler(CallbackQueryHandler(self._on_callback))
        self.application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, self._on_migrate))
        # Other service messages (members joining, a pinned message) are nobody's answer to anything.
        self.application.add_handler(
            MessageHandler(filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL, self._on_message)
        )
        self.application.add_error_handler(self._on_error)

    async def run(self, stop: asyncio.Event) -> None:
        """Run until `stop`, retrying a start Telegram does not answer; a refused token stops this channel."""
        failures = 0
        while not stop.is_set():
            try:
                await self._serve(stop)
                return
            except InvalidToken:
                log.error(
                    "telegram channel stopped: Telegram refused the token; check TELEGRAM_BOT_TOKEN "
                    "and restart. Other channels keep running."
                )
                return
            except TelegramError as error:
                failures += 1
                delay = START_BACKOFF[min(failures, len(START_BACKOFF)) - 1]
                log.warning(
                    "telegram channel could not start (%s); retrying in %.0f s",
                    scrub(str(error), self._token),
                    delay,
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)

    async def _serve(self, stop: asyncio.Event) -> None:
        """Receive updates by long polling, or by webhook when a URL is set, until `stop`."""
        updater = self.application.updater
        if updater is None:
            # PTB leaves it out only when the builder is told to; this channel never does.
            raise RuntimeError("the Telegram application was built without an updater")
        async with self.application:
            await self.application.start()
            self.running = True
            try:
                if self._webhook_secret is not None and self.settings.telegram_webhook_url:
                    await self._run_webhook(self.settings.telegram_webhook_url, self._webhook_secret, stop)
                else:
                    await updater.start_polling(
                        poll_interval=0,
                        timeout=self.settings.telegram_poll_timeout,
                        drop_pending_updates=False,
                        allowed_updates=list(ALLOWED_UPDATES),
                    )
                    log.info("telegram channel running")
                    await stop.wait()
                    await updater.stop()
            finally:
                self.running = False
            await self.application.stop()

    async def _run_webhook(self, url: str, secret: str, stop: asyncio.Event) -> None:
        """Receive updates on our own web server, whose body cap and secret check come before parsing."""
        server = WebServer(
            self.settings.telegram_webhook_listen, self.settings.telegram_webhook_port, MAX_WEBHOOK_BODY
        )
        server.add_route("POST", WEBHOOK_PATH, self._on_webhook)
        await self.application.bot.set_webhook(
            url, secret_token=secret, allowed_updates=list(ALLOWED_UPDATES)
        )
        log.info("telegram channel running (webhook)")
        await server.run(stop)

    async def _on_webhook(self, request: web.Request) -> web.Response:
        """Queue one update Telegram posted: 403 without the secret, 413 when too large, 400 when not one."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if self._webhook_secret is None or not hmac.compare_digest(given, self._webhook_secret.encode()):
            raise web.HTTPForbidden()
        body = await request.read()
        try:
            data = json.loads(body)
            update = Update.de_json(data, self.application.bot) if isinstance(data, dict) else None
        except (ValueError, TypeError, KeyError, RecursionError):
            update = None
        if update is None:
            raise web.HTTPBadRequest()
        await self.application.update_queue.put(update)
        return web.Response()

    def is_group(self, chat_id: str) -> bool:
        """Tell whether a chat is a group: Telegram gives groups negative ids."""
        return chat_id.startswith("-")

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Send one message, split under Telegram's limit, raising SendError on failure."""
        bot = self.application.bot
        # A button press is acknowledged alongside its handler; the old keyboard goes before the answer.
        pending = self._acknowledging.get(chat_id)
        if pending is not None:
            await pending
        try:
            if message.document is not None:
                document = InputFile(message.document, filename=message.document_name or "tep")
                await bot.send_document(chat_id, document, caption=message.text[:1024] or None)
                return
            if message.photo is not None:
                await bot.send_photo(chat_id, message.photo, caption=message.text[:1024] or None)
                return
            chunks = split_text(message.text, MAX_TEXT)
            for index, chunk in enumerate(chunks):
                markup = keyboard(message) if index == len(chunks) - 1 else None
                await bot.send_message(chat_id, chunk, reply_markup=markup)
        except RetryAfter as error:
            raise SendError(str(error), retry_after=_seconds(error.retry_after)) from None
        except ChatMigrated as error:
            raise SendError(str(error), moved_to=str(error.new_chat_id)) from None
        except Forbidden as error:
            raise SendError(scrub(str(error), self._token), permanent=True) from None
        except BadRequest as error:
            raise SendError(scrub(str(error), self._token), permanent=True) from None
        except (NetworkError, TelegramError) as error:
            raise SendError(scrub(str(error), self._token)) from None

    async def _on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Turn a message into an Inbound and answer it."""
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None or update.effective_chat is None:
            return
        attachment = None
        if message.document is not None:
            doc = message.document
            small = doc.file_size is not None and doc.file_size <= MAX_DOWNLOAD_BYTES
            data = await self._download_or_none(doc.file_id) if small else None
            attachment = Attachment("document", doc.file_id, doc.file_name, doc.file_size, data)
        elif message.photo:
            photo = message.photo[-1]
            attachment = Attachment("photo", photo.file_id, None, photo.file_size)
        inbound = Inbound(
            channel=NAME,
            chat_id=str(update.effective_chat.id),
            group=update.effective_chat.type != "private",
            sender_id=str(user.id),
            update_key=str(update.update_id),
            text=message.text or message.caption,
            sender_name=user.full_name,
            attachment=attachment,
        )
        await self.app.handle(inbound, self)

    async def _on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Follow a group that became a supergroup, told in both chats, before a send to it fails."""
        message = update.effective_message
        if message is None:
            return
        if message.migrate_to_chat_id is not None:
            old, new = message.chat.id, message.migrate_to_chat_id
        elif message.migrate_from_chat_id is not None:
            old, new = message.migrate_from_chat_id, message.chat.id
        else:
            return
        await follow_move(self.app.services.db, NAME, str(old), str(new))

    async def _on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Turn a button press into an Inbound, acknowledge it, and answer it."""
        query = update.callback_query
        if query is None or query.message is None:
            return
        # The acknowledgement and keyboard removal are two round trips that the handler does not
        # need: run them alongside it; `send` waits for them, so the old keyboard is still gone
        # before the answer arrives.
        acknowledged = asyncio.ensure_future(self._acknowledge(query))
        chat_id = str(query.message.chat.id)
        self._acknowledging[chat_id] = acknowledged
        inbound = Inbound(
            channel=NAME,
            chat_id=chat_id,
            group=query.message.chat.type != "private",
            sender_id=str(query.from_user.id),
            update_key=str(update.update_id),
            choice=query.data,
            sender_name=query.from_user.full_name,
        )
        try:
            await self.app.handle(inbound, self)
        finally:
            await acknowledged
            if self._acknowledging.get(chat_id) is acknowledged:
                del self._acknowledging[chat_id]

    async def _acknowledge(self, query: CallbackQuery) -> None:
        """Answer a button press and remove its keyboard; a failure here must not stop the answer."""
        answer, removal = await asyncio.gather(
            query.answer(), query.edit_message_reply_markup(None), return_exceptions=True
        )
        if isinstance(answer, Exception):
            log.warning("could not answer a button press: %s", scrub(str(answer), self._token))
        if isinstance(removal, Exception):
            log.debug("could not remove the keyboard of a pressed message")

    async def download(self, file_ref: str) -> bytes:
        """Fetch the bytes of a file a user sent."""
        file = await self.application.bot.get_file(file_ref)
        return bytes(await file.download_as_bytearray())

    async def _download_or_none(self, file_ref: str) -> bytes | None:
        """Fetch a small document for the handlers (a roster file); None when it cannot be had."""
        try:
            return await self.download(file_ref)
        except TelegramError as error:
            log.warning("could not download a document: %s", scrub(str(error), self._token))
            return None

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log an error without the token, which python-telegram-bot puts in URLs."""
        error = context.error
        log.error("telegram error: %s: %s", type(error).__name__, scrub(str(error), self._token))

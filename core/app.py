"""The router: one update in, replies out — deduplicated, one at a time per chat."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager

from core.channel import Channel, SendError
from core.commands import Command
from core.context import Ctx, Services
from core.delivery import send_to_chat
from core.forms import Form, FormEngine
from core.messages import Inbound, Outbound, command_menu, read_choice
from core.metrics import Metrics
from core.parsing import ParseError, match_choice
from core.refusal import Refusal
from core.sanitize import MAX_TEXT, Refused, clean_name, clean_text
from domain.words import normalize
from storage import accounts, conversations, outbox
from texts import common as t
from texts import forms as tf

log = logging.getLogger(__name__)

CANCEL_WORDS = ("huy", "thoat", "dung")


def _menu_pick(text: str | None, menu: list[list[str]] | None) -> str | None:
    """Return the command of the menu entry a typed number or label picks, if it picks one."""
    if not menu or not text or not text.strip() or text.strip().startswith("/"):
        return None
    try:
        return menu[match_choice(text, [label for label, _ in menu])][1]
    except ParseError:
        return None


def _cleaned(inbound: Inbound) -> tuple[Inbound | None, list[Outbound]]:
    """Clean what a platform sent before anything reads it, saying what was dropped or refused."""
    try:
        text = clean_text(inbound.text) if inbound.text is not None else None
        choice = clean_text(inbound.choice) if inbound.choice is not None else None
    except Refused:
        return None, [Outbound(t.message_refused(MAX_TEXT))]
    notes = [Outbound(t.control_characters_dropped())] if text is not None and text.changed else []
    cleaned = dataclasses.replace(
        inbound,
        text=text.text if text is not None else None,
        choice=choice.text if choice is not None else None,
        sender_name=clean_name(inbound.sender_name),
    )
    return cleaned, notes


class ChatLocks:
    """One asyncio lock per chat, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: tuple[str, str]) -> AsyncIterator[None]:
        """Hold the lock of one chat."""
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


class App:
    """The channel-neutral bot: routes each inbound to a command or the open flow."""

    def __init__(
        self,
        services: Services,
        commands: Iterable[Command],
        forms: Iterable[Form],
        metrics: Metrics | None = None,
    ) -> None:
        self.services = services
        self.metrics = metrics or Metrics()
        self.commands = {c.name: c for c in commands}
        self.aliases = {alias: c for c in self.commands.values() for alias in c.aliases}
        self.flows = FormEngine()
        for form in forms:
            self.flows.register(form)
        self._locks = ChatLocks()
        self.on_committed: list[Callable[[], None]] = []

    async def handle(self, inbound: Inbound, channel: Channel) -> None:
        """Handle one platform update once and send its replies through `channel`, in order."""
        async with self._locks.hold(inbound.chat_key):
            started = time.perf_counter()
            try:
                cleaned, notes = _cleaned(inbound)
                handled = None if cleaned is None else await self._handle_once(cleaned)
                if cleaned is None:
                    outcome, replies = "refused", notes
                elif handled is None:
                    outcome, replies = "duplicate", []
                else:
                    outcome, replies = "ok", notes + handled
            except Refusal as refusal:
                log.info("refused an update on %s: %s", inbound.channel, refusal.text)
                outcome, replies = "refused", [Outbound(refusal.text)]
            except Exception:
                log.exception("failed to handle an update on %s", inbound.channel)
                outcome, replies = "error", [Outbound(t.internal_error())]
            self.metrics.handler_seconds.labels(inbound.channel).observe(time.perf_counter() - started)
            self.metrics.updates.labels(inbound.channel, outcome).inc()
            await self._reply(inbound, channel, replies)

    async def _reply(self, inbound: Inbound, channel: Channel, replies: Sequence[Outbound]) -> None:
        """Send replies in order, one attempt each; keep what cannot go now (and what follows) for later."""
        chat_id = inbound.chat_id
        replies = list(replies)
        for index, reply in enumerate(replies):
            if reply.later is not None:
                reply = replies[index] = await self._made(inbound, reply.later)
            try:
                chat_id = await send_to_chat(self.services.db, channel, chat_id, reply)
            except SendError as error:
                self.metrics.sends.labels(inbound.channel, error.result).inc()
                if error.permanent:
                    log.warning("a reply on %s was refused: %s", inbound.channel, error)
                    continue
                # What follows waits too, so the chat still reads the replies in order.
                await self._defer(inbound, chat_id, list(enumerate(replies))[index:], error)
                return
            self.metrics.sends.labels(inbound.channel, "ok").inc()

    async def _made(self, inbound: Inbound, later: Callable[[], Awaitable[Outbound]]) -> Outbound:
        """Make a reply left for after the commit; an apology if it cannot be made."""
        try:
            return await later()
        except Exception:
            log.exception("failed to make a reply on %s", inbound.channel)
            return Outbound(t.internal_error())

    async def _defer(
        self, inbound: Inbound, chat_id: str, replies: list[tuple[int, Outbound]], error: SendError
    ) -> None:
        """Keep replies that could not be sent now in the outbox, files and all, to be retried."""
        log.info("deferring %d reply(ies) on %s: %s", len(replies), inbound.channel, error)
        now = self.services.clock.now()
        due_at = now + outbox.retry_delay(1, error.retry_after)
        target = outbox.to_chat(inbound.channel, chat_id)
        # The outbox keeps what a message is, so what was left to make is made first.
        made = [(i, await self._made(inbound, r.later) if r.later else r) for i, r in replies]
        async with self.services.db.begin() as conn:
            for index, reply in made:
                key = f"{inbound.update_key}:{index}"
                await outbox.plan(conn, target, reply, kind=outbox.REPLY, key=key, due_at=due_at, now=now)
        self._notify_committed()

    async def _handle_once(self, inbound: Inbound) -> list[Outbound] | None:
        """Claim the update and route it, all in one transaction; None when it was handled before."""
        now = self.services.clock.now()
        async with self.services.db.begin() as conn:
            await conversations.lock_chat(conn, inbound.channel, inbound.chat_id)
            if not await conversations.claim_update(conn, inbound.channel, inbound.update_key, now):
                return None
            state = await accounts.identify_in_chat(conn, inbound.channel, inbound.sender_id, inbound.chat_id)
            # Outside a form, a typed number or label picks from the numbered menu shown last, once.
            menu_open = not (state.conversation or inbound.choice or inbound.group)
            picked = _menu_pick(inbound.text, state.menu) if menu_open else None
            if picked is not None:
                inbound = dataclasses.replace(inbound, choice=picked)
            ctx = Ctx(inbound, state.identity, self.services, conn, now, self.flows, self.commands)
            replies = await self._route(ctx, state.conversation)
            await self._keep_menu(ctx, replies, state.menu, None if picked else state.menu)
        if ctx.notices:
            self._notify_committed()
        return replies

    async def _keep_menu(
        self, ctx: Ctx, replies: list[Outbound], stored: list[list[str]] | None, kept: list[list[str]] | None
    ) -> None:
        """Store the last menu of commands the replies show as numbered lines, or forget a stale one."""
        menu = kept
        for reply in replies:
            # A reply with other choices (a form's question) replaces the menu with none.
            if reply.options and reply.options_in_text:
                menu = command_menu(reply)
        if menu == stored:
            return
        channel, chat_id = ctx.inbound.channel, ctx.inbound.chat_id
        if menu is None:
            await conversations.clear_menu(ctx.conn, channel, chat_id)
        else:
            await conversations.save_menu(ctx.conn, channel, chat_id, menu, ctx.now)

    def _notify_committed(self) -> None:
        """Tell listeners (the dispatcher) that new outbox rows were committed."""
        for callback in self.on_committed:
            callback()

    async def _route(self, ctx: Ctx, conversation: conversations.Conversation | None) -> list[Outbound]:
        """Pick the command, the open flow's step, or the fallback for this message in its open flow."""
        inbound = ctx.inbound
        choice = read_choice(inbound.choice)
        text = choice if isinstance(choice, str) else inbound.text or ""
        if inbound.group:
            return await self._route_group(ctx, text)
        command, args = self._command(text, in_flow=conversation is not None)
        if (
            command is None
            and conversation is None
            and ctx.identity is None
            and accounts.looks_like_code(text)
        ):
            command, args = self.commands.get("start"), text
        if ctx.identity is None and conversation is None and (command is None or not command.public):
            return [Outbound(t.unknown_account())]
        if command is not None:
            return await self._run_command(ctx, command, args, conversation)
        if text.startswith("/"):
            replies = [Outbound(t.unknown_command(text[1:].split()[0]))]
            return replies + (await self.flows.reprompt(ctx, conversation) if conversation else [])
        if normalize(text) in CANCEL_WORDS:
            return await self._cancel(ctx, conversation)
        if conversation is not None:
            if not inbound.text and not inbound.choice and inbound.attachment is None:
                return [Outbound(t.unsupported_message())] + await self.flows.reprompt(ctx, conversation)
            return await self.flows.answer(ctx, conversation)
        return [Outbound(t.not_understood())]

    async def _route_group(self, ctx: Ctx, text: str) -> list[Outbound]:
        """Answer in a group chat only the commands meant for a group; the rest is for a private chat."""
        command, args = self._command(text, in_flow=True)
        if command is None or not command.in_group:
            # Forms, drafts, codes and personal data never go through a chat several people read.
            return [Outbound(t.private_only())]
        roles = ctx.identity.roles if ctx.identity else frozenset()
        if not command.allowed(roles):
            return [Outbound(t.not_allowed())]
        return await command.handler(ctx, args)

    def _command(self, text: str, *, in_flow: bool) -> tuple[Command | None, str]:
        """Find the command a message asks for; typed aliases count only outside a flow."""
        stripped = text.strip()
        if stripped.startswith("/"):
            head, _, args = stripped[1:].partition(" ")
            name = normalize(head.split("@")[0])
            if name in CANCEL_WORDS:
                return self.commands.get("huy"), args.strip()
            return self.commands.get(name), args.strip()
        if in_flow:
            return None, ""
        words = normalize(stripped)
        for alias, command in self.aliases.items():
            if words == alias or words.startswith(alias + " "):
                return command, stripped[len(alias) :].strip()
        return None, ""

    async def _run_command(
        self, ctx: Ctx, command: Command, args: str, conversation: conversations.Conversation | None
    ) -> list[Outbound]:
        """Run a command, keeping the open flow where it was."""
        if command.name == "huy":
            return await self._cancel(ctx, conversation)
        roles = ctx.identity.roles if ctx.identity else frozenset()
        if not command.allowed(roles):
            replies = [Outbound(t.not_allowed())]
        elif command.starts_flow and conversation is not None:
            if not self.flows.untouched(conversation):
                return await self.flows.reprompt(
                    ctx, conversation, lead=tf.busy_in_flow(self.flows.title(conversation))
                )
            # Nothing was answered in the open flow (a menu, a first question): the new command replaces it.
            await conversations.clear(ctx.conn, ctx.inbound.channel, ctx.inbound.chat_id)
            replies = await command.handler(ctx, args)
        else:
            replies = await command.handler(ctx, args)
        if conversation is not None and not command.starts_flow:
            still_open = await conversations.load(ctx.conn, ctx.inbound.channel, ctx.inbound.chat_id)
            if still_open is not None:
                replies += await self.flows.reprompt(ctx, still_open)
        return replies

    async def _cancel(self, ctx: Ctx, conversation: conversations.Conversation | None) -> list[Outbound]:
        """Stop the open flow, keeping its draft."""
        if conversation is None:
            return [Outbound(t.nothing_to_cancel())]
        return await self.flows.cancel(ctx, conversation)

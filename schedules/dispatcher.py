"""The outbox dispatcher: the only sender of what the bot says on its own initiative.

It claims due rows, sends them through the channels at a pace the platform accepts, and
records how each send ended: sent, retry later (429 honouring retry_after, 5xx, network),
failed (blocked by the user), or unknown (the process died mid-send: reported to the
committee, never resent). Quiet hours push proactive messages to the morning.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from core.channel import Channel, SendError
from core.delivery import send_to_chat
from core.messages import Option, Outbound, command_menu
from core.metrics import Metrics
from domain import calendar
from domain.calendar import ReminderSettings
from domain.clock import Clock, fmt_datetime
from storage import accounts, conversations, org, outbox, reminders
from storage.db import Database
from storage.outbox import OutboxRow
from texts import reminders as t

log = logging.getLogger(__name__)

NO_ROUTE_DELAY = timedelta(hours=1)
# Kinds never reported as undelivered: replies belong to a chat, reports would report themselves.
UNREPORTED_KINDS = frozenset({outbox.REPLY, calendar.UNDELIVERED})

Sleep = Callable[[float], Awaitable[None]]
Route = tuple[Channel, str]
# The choices a feature adds to its rows when they are sent (a reminder's snooze and mute).
Buttons = Callable[[OutboxRow], tuple[Option, ...]]


def no_buttons(row: OutboxRow) -> tuple[Option, ...]:
    """Add no choices to a row."""
    return ()


@dataclass(frozen=True)
class Limits:
    """Sending pace: overall, per private chat, per group chat; below the platform's limits."""

    per_second: float = 20.0
    chat_interval: float = 1.0
    group_interval: float = 3.0
    max_attempts: int = 10
    stale_after: timedelta = timedelta(minutes=5)


class Pace:
    """Spaces sends overall and per chat, on the dispatcher's clock."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._next_overall: datetime | None = None
        self._next_chat: dict[tuple[str, str], datetime] = {}

    def chat_free_at(self, channel: str, chat_id: str, now: datetime) -> datetime:
        """Return when this chat may get its next message."""
        free = self._next_chat.get((channel, chat_id), now)
        return max(free, now)

    def overall_wait(self, now: datetime) -> float:
        """Return how many seconds to wait before the next turn to send."""
        if self._next_overall is None:
            return 0.0
        return max(0.0, (self._next_overall - now).total_seconds())

    def record(self, channel: str, chat_id: str, group: bool, turn: datetime, now: datetime) -> None:
        """Count one send to a chat at `now`, in the turn that began at `turn`."""
        interval = self.limits.group_interval if group else self.limits.chat_interval
        self._next_chat[(channel, chat_id)] = now + timedelta(seconds=interval)
        # Turns, not sends, are spaced: the claim and lookups of each turn take about as long, so
        # sends keep the spacing, and the lookups do not add to it.
        self._next_overall = turn + timedelta(seconds=1 / self.limits.per_second)


class Dispatcher:
    """Sends what the outbox holds through the running channels."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        channels: Mapping[str, Channel],
        limits: Limits | None = None,
        sleep: Sleep = asyncio.sleep,
        buttons: Buttons = no_buttons,
        metrics: Metrics | None = None,
    ) -> None:
        self.db = db
        self.buttons = buttons
        self.clock = clock
        self.channels = channels
        self.limits = limits or Limits()
        self.sleep = sleep
        self.metrics = metrics or Metrics()
        self.pace = Pace(self.limits)
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Ask for a tick now, e.g. right after a handler planned a notice."""
        self._wake.set()

    async def run(self, interval: float) -> None:
        """Tick forever: when the next row falls due, at most every `interval` seconds, or when woken."""
        while True:
            try:
                while await self.tick():
                    pass
                wait = await self._until_next_due(interval)
            except Exception:
                log.exception("outbox tick failed")
                wait = interval
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=wait)
            self._wake.clear()

    async def _until_next_due(self, interval: float) -> float:
        """Return the seconds until the earliest pending row, capped by `interval`."""
        async with self.db.begin() as conn:
            due = await outbox.next_due(conn)
        if due is None:
            return interval
        return min(interval, max(0.05, (due - self.clock.now()).total_seconds()))

    async def tick(self) -> int:
        """Settle stale and expired rows, then send the next due row; return how many were claimed."""
        # A claimed row that dies with the process is reported as unknown, never resent. So rows
        # are claimed one at a time, once the pace allows a send, and whatever decides where (or
        # whether) a row goes happens in the claim's transaction: a row leaves it claimed only to
        # be sent at once, so a crash finds no row claimed and not yet tried.
        await self.sleep(self.pace.overall_wait(self.clock.now()))
        now = self.clock.now()
        self.metrics.dispatcher_last_tick.set(now.timestamp())
        async with self.db.begin() as conn:
            unsettled = await outbox.mark_stale_unknown(conn, now - self.limits.stale_after)
            unsettled += await outbox.expire_due(conn, now)
            if unsettled:
                await self._report(conn, unsettled, now)
            rows = await outbox.claim_due(conn, self.worker, now, 1)
            routes = [await self._route_now(conn, row, now) for row in rows]
        for row, route in zip(rows, routes, strict=True):
            if route is not None:
                await self._send(row, route, turn=now)
        return len(rows)

    async def _route_now(self, conn: AsyncConnection, row: OutboxRow, now: datetime) -> Route | None:
        """Return where a claimed row goes now, or put it back (muted, quiet hours, busy chat, no channel)."""
        if row.kind == outbox.REPLY:
            # A reply that met a second 429 must not be overtaken by the replies kept after it.
            earlier = await outbox.earlier_unsent_due(conn, row)
            if earlier is not None:
                await outbox.defer(
                    conn, row.id, max(earlier, now + timedelta(seconds=self.limits.chat_interval))
                )
                return None
        if row.person_id is not None and row.kind != outbox.REPLY:
            committees = await org.committee_settings_of_people(conn, [row.person_id])
            settings = ReminderSettings.from_committee(committees.get(row.person_id, {}))
            muted = row.kind in calendar.MUTABLE_KINDS and row.kind in await reminders.muted_kinds(
                conn, row.person_id
            )
            if muted:
                await outbox.mark_muted(conn, row.id)
                return None
            morning = calendar.after_quiet_hours(now, settings)
            if morning != now:
                await outbox.defer(conn, row.id, morning)
                return None
        route = await self._route(conn, row)
        if route is None:
            # The person may join or a channel come back within the hour; not forever.
            no_channel = SendError("no running channel for this person")
            await self._record_failure(conn, row, no_channel, NO_ROUTE_DELAY)
            return None
        channel, chat_id = route
        free_at = self.pace.chat_free_at(channel.name, chat_id, now)
        if free_at > now:
            # Another chat's message goes first rather than waiting on this one.
            await outbox.defer(conn, row.id, free_at)
            return None
        return route

    async def _send(self, row: OutboxRow, route: Route, turn: datetime) -> None:
        """Send one claimed row in the turn beginning at `turn` and record the outcome."""
        channel, chat_id = route
        message = self._message(row)
        self.pace.record(channel.name, chat_id, channel.is_group(chat_id), turn, self.clock.now())
        try:
            chat_id = await send_to_chat(self.db, channel, chat_id, message)
        except SendError as error:
            self.metrics.sends.labels(channel.name, error.result).inc()
            async with self.db.begin() as conn:
                await self._record_failure(conn, row, error)
            return
        self.metrics.sends.labels(channel.name, "ok").inc()
        menu = command_menu(message)
        async with self.db.begin() as conn:
            await outbox.mark_sent(conn, row.id, self.clock.now())
            if menu is not None:
                # A typed number may answer it, as it may a menu the bot gave in reply.
                await conversations.save_menu(conn, channel.name, chat_id, menu, self.clock.now())

    async def _record_failure(
        self, conn: AsyncConnection, row: OutboxRow, error: SendError, delay: timedelta | None = None
    ) -> None:
        """Record a send that did not go through: give up, or try again after `delay` or a backoff."""
        if error.permanent:
            await outbox.mark_failed(conn, row.id, str(error))
        elif row.attempts >= self.limits.max_attempts:
            await outbox.mark_failed(conn, row.id, f"gave up after {row.attempts} attempts: {error}")
        else:
            wait = delay or outbox.retry_delay(row.attempts, error.retry_after)
            await outbox.mark_retry(conn, row.id, self.clock.now() + wait, str(error))

    def _message(self, row: OutboxRow) -> Outbound:
        """Rebuild a row's message with the choices its feature adds when it is sent."""
        message = Outbound.from_json(row.payload)
        extra = self.buttons(row)
        if not extra:
            return message
        return replace(message, options=message.options + extra)

    async def _route(self, conn: AsyncConnection, row: OutboxRow) -> Route | None:
        """Pick the running channel and chat to reach a row's target."""
        if row.chat_id is not None and row.channel is not None and row.channel in self.channels:
            return self.channels[row.channel], row.chat_id
        if row.person_id is None:
            return None
        refs = await accounts.person_accounts(conn, row.person_id)
        for ref in refs:
            if ref.channel in self.channels:
                return self.channels[ref.channel], ref.chat_id
        return None

    async def _report(self, conn: AsyncConnection, rows: list[OutboxRow], now: datetime) -> None:
        """Tell each committee member concerned which messages may not have reached their people."""
        addressed = [
            (row, person_id)
            for row in rows
            if (person_id := row.person_id) is not None and row.kind not in UNREPORTED_KINDS
        ]
        if not addressed:
            return
        names = await reminders.person_names(conn, sorted({person_id for _, person_id in addressed}))
        by_committee: dict[int, dict[int, str]] = defaultdict(dict)
        for row, person_id in addressed:
            state = t.UNDELIVERED_UNKNOWN if row.status == outbox.SENDING else t.UNDELIVERED_EXPIRED
            line = t.undelivered_line(row.kind, names.get(person_id, "?"), fmt_datetime(row.due_at), state)
            for grant in await accounts.role_grants(conn, person_id):
                by_committee[grant.committee_id][row.id] = line
        for committee_id, lines in by_committee.items():
            # Each row is settled once, so the ids of a batch name that report for good.
            period = f"rows:{min(lines)}-{max(lines)}"
            report = Outbound(t.undelivered(list(lines.values())))
            for person_id, _ in await accounts.committee_people(conn, committee_id):
                target = outbox.to_person(person_id)
                await outbox.plan(
                    conn, target, report, kind=calendar.UNDELIVERED, key=period, due_at=now, now=now
                )
        log.warning("reported %d undelivered outbox rows to the committee", len(addressed))

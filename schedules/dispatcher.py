"""The outbox dispatcher: claims due rows, sends them, records how each send ended."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Mapping
from datetime import timedelta

from channels.base import Channel, SendError
from core.clock import Clock
from core.context import payload_outbound
from storage import accounts, outbox
from storage.db import Database
from storage.outbox import OutboxRow

log = logging.getLogger(__name__)

NO_ROUTE_DELAY = timedelta(hours=1)


class Dispatcher:
    """Sends what the outbox holds through the running channels."""

    def __init__(
        self, db: Database, clock: Clock, channels: Mapping[str, Channel], batch: int = 20
    ) -> None:
        self.db = db
        self.clock = clock
        self.channels = channels
        self.batch = batch
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Ask for a tick now, e.g. right after a handler planned a notice."""
        self._wake.set()

    async def run(self, interval: float) -> None:
        """Tick forever: every `interval` seconds, or sooner when woken."""
        while True:
            try:
                while await self.tick():
                    pass
            except Exception:
                log.exception("outbox tick failed")
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=interval)
            except TimeoutError:
                pass
            self._wake.clear()

    async def tick(self) -> int:
        """Send one batch of due rows; return how many were claimed."""
        now = self.clock.now()
        async with self.db.begin() as conn:
            rows = await outbox.claim_due(conn, self.worker, now, self.batch)
        for row in rows:
            await self._send(row)
        return len(rows)

    async def _send(self, row: OutboxRow) -> None:
        """Send one row and record the outcome."""
        route = await self._route(row)
        if route is None:
            async with self.db.begin() as conn:
                await outbox.mark_retry(conn, row.id, self.clock.now() + NO_ROUTE_DELAY, "no running channel")
            return
        channel, chat_id = route
        try:
            await channel.send(chat_id, payload_outbound(row.payload))
        except SendError as error:
            async with self.db.begin() as conn:
                if error.permanent:
                    await outbox.mark_failed(conn, row.id, str(error))
                else:
                    delay = outbox.retry_delay(row.attempts, error.retry_after)
                    await outbox.mark_retry(conn, row.id, self.clock.now() + delay, str(error))
            return
        async with self.db.begin() as conn:
            await outbox.mark_sent(conn, row.id, self.clock.now())

    async def _route(self, row: OutboxRow) -> tuple[Channel, str] | None:
        """Pick the running channel and chat to reach a row's target."""
        if row.chat_id is not None and row.channel in self.channels:
            return self.channels[row.channel], row.chat_id
        if row.person_id is None:
            return None
        async with self.db.begin() as conn:
            refs = await accounts.person_accounts(conn, row.person_id)
        for ref in refs:
            if ref.channel in self.channels:
                return self.channels[ref.channel], ref.chat_id
        return None

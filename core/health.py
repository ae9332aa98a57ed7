"""Whether the bot is fit to serve: the database answers, every channel runs, backups succeed."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from domain.clock import fmt_datetime
from storage.db import Database
from texts import ops as t

DATABASE_TIMEOUT_SECONDS = 5.0


class Running(Protocol):
    """Anything that tells whether it is running now (a channel)."""

    @property
    def running(self) -> bool:
        """Tell whether it runs now."""
        ...


class Health:
    """Checks answered by /healthz; the reasons name no person and hold no personal data."""

    def __init__(self, db: Database, channels: Mapping[str, Running]) -> None:
        self.db = db
        self.channels = channels
        self.backup_problem: str | None = None

    def backup_failed(self, moment: datetime, detail: str) -> None:
        """Report the failed backup until the next good one."""
        self.backup_problem = t.health_backup_failed(fmt_datetime(moment), detail)

    def backup_succeeded(self) -> None:
        """Clear a failed backup's report."""
        self.backup_problem = None

    async def problems(self) -> list[str]:
        """Return why the bot is not healthy; empty when it is."""
        found = []
        try:
            answers = await asyncio.wait_for(self.db.ping(), timeout=DATABASE_TIMEOUT_SECONDS)
        except TimeoutError:
            answers = False
        if not answers:
            found.append(t.HEALTH_DATABASE_DOWN)
        found += [
            t.health_channel_stopped(name) for name, channel in self.channels.items() if not channel.running
        ]
        if self.backup_problem is not None:
            found.append(self.backup_problem)
        return found

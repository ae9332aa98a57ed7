"""The webhook each channel last registered, and the platform's verdict on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.sql import upsert
from storage.tables import webhook_checks


@dataclass(frozen=True)
class WebhookCheck:
    """A webhook registration: its URL, a keyed digest of its secret, the platform's verification."""

    url: str
    secret_digest: str
    verification: dict[str, Any] | None
    checked_at: datetime


async def record(conn: AsyncConnection, channel: str, check: WebhookCheck) -> None:
    """Keep a channel's latest webhook registration, replacing the one before."""
    values = {
        "channel": channel,
        "url": check.url,
        "secret_digest": check.secret_digest,
        "verification": check.verification,
        "checked_at": check.checked_at,
    }
    await upsert(conn, webhook_checks, values)


async def latest(conn: AsyncConnection, channel: str) -> WebhookCheck | None:
    """Return a channel's latest webhook registration."""
    row = (await conn.execute(sa.select(webhook_checks).where(webhook_checks.c.channel == channel))).first()
    if row is None:
        return None
    return WebhookCheck(row.url, row.secret_digest, row.verification, row.checked_at)

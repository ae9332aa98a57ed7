"""The webhook each channel last registered, and the platform's verdict on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from storage.sql import rows_where, upsert
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
    row = (await rows_where(conn, webhook_checks, channel=channel)).first()
    if row is None:
        return None
    return WebhookCheck(row.url, row.secret_digest, row.verification, row.checked_at)

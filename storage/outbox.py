"""The outbox: every message the bot sends on its own initiative, planned once, sent once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.sql import insert_new_many
from storage.tables import metadata
from storage.types import UtcDateTime

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
UNKNOWN = "unknown"
EXPIRED = "expired"
MUTED = "muted"
# A reply that could not be sent at once: it belongs to a chat and is never held for quiet hours.
REPLY = "reply"

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(50), nullable=False),
    sa.Column("target", sa.String(100), nullable=False),
    sa.Column("period", sa.String(100), nullable=False),
    sa.Column("person_id", sa.ForeignKey("people.id")),
    sa.Column("channel", sa.String(20)),
    sa.Column("chat_id", sa.String(100)),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("status", sa.String(20), nullable=False, index=True),
    sa.Column("due_at", UtcDateTime(), nullable=False, index=True),
    sa.Column("expires_at", UtcDateTime()),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("last_error", sa.Text),
    sa.Column("claimed_by", sa.String(100)),
    sa.Column("claimed_at", UtcDateTime()),
    sa.Column("sent_at", UtcDateTime()),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.UniqueConstraint("kind", "target", "period", name="uq_outbox_kind_target_period"),
)


@dataclass(frozen=True)
class OutboxRow:
    """One planned message and where it stands."""

    id: int
    kind: str
    target: str
    period: str
    person_id: int | None
    channel: str | None
    chat_id: str | None
    payload: dict[str, Any]
    status: str
    due_at: datetime
    attempts: int
    last_error: str | None
    expires_at: datetime | None = None


def _row(r: sa.Row) -> OutboxRow:
    """Build an OutboxRow from a table row."""
    return OutboxRow(
        id=r.id,
        kind=r.kind,
        target=r.target,
        period=r.period,
        person_id=r.person_id,
        channel=r.channel,
        chat_id=r.chat_id,
        payload=r.payload,
        status=r.status,
        due_at=r.due_at,
        attempts=r.attempts,
        last_error=r.last_error,
        expires_at=r.expires_at,
    )


class Message(Protocol):
    """What the outbox keeps of a message: its JSON form (core.messages.Outbound has one)."""

    def to_json(self) -> dict[str, Any]:
        """Return the message as JSON data."""
        ...


@dataclass(frozen=True)
class Target:
    """Whom a planned message goes to: a person (their chat chosen when it is sent), or one chat."""

    key: str
    person_id: int | None = None
    channel: str | None = None
    chat_id: str | None = None


def to_person(person_id: int) -> Target:
    """Address a message to a person; the dispatcher picks their chat when it sends."""
    return Target(f"person:{person_id}", person_id=person_id)


def to_chat(channel: str, chat_id: str) -> Target:
    """Address a message to one chat (a group, or the chat a reply belongs to)."""
    return Target(f"chat:{channel}:{chat_id}", channel=channel, chat_id=chat_id)


async def plan(
    conn: AsyncConnection,
    target: Target,
    message: Message,
    *,
    kind: str,
    key: str,
    due_at: datetime,
    now: datetime,
    expires_at: datetime | None = None,
) -> bool:
    """Plan a message once per (kind, target, key); tell whether it is new."""
    planned = [Planned(target, message, key)]
    return await plan_many(conn, planned, kind=kind, due_at=due_at, now=now, expires_at=expires_at) == 1


@dataclass(frozen=True)
class Planned:
    """One message for `plan_many`: to whom, what, and the period key that makes it once."""

    target: Target
    message: Message
    key: str


async def plan_many(
    conn: AsyncConnection,
    messages: list[Planned],
    *,
    kind: str,
    due_at: datetime,
    now: datetime,
    expires_at: datetime | None = None,
) -> int:
    """Plan many messages of one kind, each once per (kind, target, key); return how many are new."""
    if not messages:
        return 0
    rows = [_planned(m.target, m.message, kind, m.key, due_at, now, expires_at) for m in messages]
    return await insert_new_many(conn, outbox, rows)


def _planned(
    target: Target,
    message: Message,
    kind: str,
    key: str,
    due_at: datetime,
    now: datetime,
    expires_at: datetime | None,
) -> dict[str, Any]:
    """Return the columns of a newly planned row."""
    return {
        "kind": kind,
        "target": target.key,
        "period": key,
        "person_id": target.person_id,
        "channel": target.channel,
        "chat_id": target.chat_id,
        "payload": message.to_json(),
        "expires_at": expires_at,
        "status": PENDING,
        "due_at": due_at,
        "attempts": 0,
        "created_at": now,
    }


def target_of(row: OutboxRow) -> Target:
    """Return the target a row was planned for."""
    return Target(row.target, person_id=row.person_id, channel=row.channel, chat_id=row.chat_id)


async def claim_due(conn: AsyncConnection, worker: str, now: datetime, limit: int) -> list[OutboxRow]:
    """Claim up to `limit` due rows for this worker, so no other dispatcher takes them."""
    query = (
        sa.select(outbox.c.id)
        .where(outbox.c.status == PENDING, outbox.c.due_at <= now)
        .order_by(outbox.c.due_at, outbox.c.id)
        .limit(limit)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = [r.id for r in await conn.execute(query)]
    if not ids:
        return []
    claimed = await conn.execute(
        outbox.update()
        .where(outbox.c.id.in_(ids), outbox.c.status == PENDING)
        .values(status=SENDING, claimed_by=worker, claimed_at=now, attempts=outbox.c.attempts + 1)
        .returning(*outbox.c)
    )
    return sorted((_row(r) for r in claimed), key=lambda row: (row.due_at, row.id))


async def mark_sent(conn: AsyncConnection, row_id: int, now: datetime) -> None:
    """Record a successful send."""
    await conn.execute(
        outbox.update().where(outbox.c.id == row_id).values(status=SENT, sent_at=now, last_error=None)
    )


async def mark_retry(conn: AsyncConnection, row_id: int, due_at: datetime, error: str) -> None:
    """Put a row back to be tried again at `due_at`."""
    await conn.execute(
        outbox.update()
        .where(outbox.c.id == row_id)
        .values(status=PENDING, due_at=due_at, last_error=error, claimed_by=None)
    )


async def defer(conn: AsyncConnection, row_id: int, due_at: datetime) -> None:
    """Put a claimed row back unsent, without counting the claim as an attempt."""
    await conn.execute(
        outbox.update()
        .where(outbox.c.id == row_id)
        .values(status=PENDING, due_at=due_at, claimed_by=None, attempts=outbox.c.attempts - 1)
    )


async def mark_muted(conn: AsyncConnection, row_id: int) -> None:
    """Record a reminder left unsent because its person muted that kind."""
    await conn.execute(outbox.update().where(outbox.c.id == row_id).values(status=MUTED))


async def expire_due(conn: AsyncConnection, now: datetime) -> list[OutboxRow]:
    """Mark as expired the due rows that are no longer useful, and return them."""
    query = sa.select(outbox).where(
        outbox.c.status == PENDING, outbox.c.due_at <= now, outbox.c.expires_at <= now
    )
    expired = [_row(r) for r in await conn.execute(query)]
    if expired:
        await conn.execute(
            outbox.update()
            .where(outbox.c.id.in_([r.id for r in expired]), outbox.c.status == PENDING)
            .values(status=EXPIRED, last_error="no longer useful when it could be sent")
        )
    return expired


async def earlier_unsent_due(conn: AsyncConnection, row: OutboxRow) -> datetime | None:
    """Return when the first unsent row of the same kind planned earlier for the same target is due."""
    query = sa.select(sa.func.min(outbox.c.due_at)).where(
        outbox.c.kind == row.kind,
        outbox.c.target == row.target,
        outbox.c.id < row.id,
        outbox.c.status.in_((PENDING, SENDING)),
    )
    return (await conn.execute(query)).scalar_one_or_none()


async def next_due(conn: AsyncConnection) -> datetime | None:
    """Return when the earliest pending row falls due."""
    return (
        await conn.execute(sa.select(sa.func.min(outbox.c.due_at)).where(outbox.c.status == PENDING))
    ).scalar_one_or_none()


async def get_row(conn: AsyncConnection, row_id: int) -> OutboxRow | None:
    """Return one row by id."""
    row = (await conn.execute(sa.select(outbox).where(outbox.c.id == row_id))).first()
    return None if row is None else _row(row)


async def mark_failed(conn: AsyncConnection, row_id: int, error: str) -> None:
    """Record a send that can never succeed (e.g. the user blocked the bot)."""
    await conn.execute(outbox.update().where(outbox.c.id == row_id).values(status=FAILED, last_error=error))


async def mark_stale_unknown(conn: AsyncConnection, older_than: datetime) -> list[OutboxRow]:
    """Mark rows left mid-send by a crashed dispatcher as unknown, never to be resent silently."""
    stale = [
        _row(r)
        for r in await conn.execute(
            sa.select(outbox).where(outbox.c.status == SENDING, outbox.c.claimed_at < older_than)
        )
    ]
    if stale:
        await conn.execute(
            outbox.update()
            .where(outbox.c.id.in_([r.id for r in stale]))
            .values(status=UNKNOWN, last_error="process stopped while sending")
        )
    return stale


async def rows_by_status(conn: AsyncConnection, status: str) -> list[OutboxRow]:
    """Return every row with a status, oldest first."""
    rows = await conn.execute(sa.select(outbox).where(outbox.c.status == status).order_by(outbox.c.id))
    return [_row(r) for r in rows]


def retry_delay(attempts: int, retry_after: float | None = None) -> timedelta:
    """Return how long to wait before the next try: the server's word, else exponential backoff."""
    if retry_after is not None:
        return timedelta(seconds=retry_after)
    return timedelta(seconds=min(3600, 5 * 2 ** max(0, attempts - 1)))


async def planned_targets(conn: AsyncConnection, kind: str, period: str) -> set[str]:
    """Return the targets that already have a row of this kind and period, whatever its status."""
    query = sa.select(outbox.c.target).where(outbox.c.kind == kind, outbox.c.period == period)
    return {r.target for r in await conn.execute(query)}


async def count_by_kind_and_status(conn: AsyncConnection) -> list[tuple[str, str, int]]:
    """Return how many rows each (kind, status) pair holds."""
    query = sa.select(outbox.c.kind, outbox.c.status, sa.func.count()).group_by(
        outbox.c.kind, outbox.c.status
    )
    return [(kind, status, count) for kind, status, count in await conn.execute(query)]

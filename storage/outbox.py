"""The outbox: every message the bot sends on its own initiative, planned once, sent once."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.sql import among_bound, ids_param, ids_value, insert_new_many, rows_where
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
    dialect_name = conn.dialect.name
    ids = [r.id for r in await conn.execute(_claimable(dialect_name), {"now": now, "limit": limit})]
    if not ids:
        return []
    params = {"ids": ids_value(dialect_name, ids), "worker": worker, "claimed": now}
    claimed = await conn.execute(_claiming(dialect_name), params)
    return sorted((_row(r) for r in claimed), key=lambda row: (row.due_at, row.id))


# The dispatcher's statements are built once, the values bound at each call: it runs them for every
# row it settles, and building one cost more CPU than running it (a province's planners leave
# thousands of rows at once, most of them muted reminders).
@functools.cache
def _claimable(dialect_name: str) -> sa.Select:
    """Build the SELECT of the due rows' ids, earliest first; on PostgreSQL, skipping rows others hold."""
    query = (
        sa.select(outbox.c.id)
        .where(outbox.c.status == PENDING, outbox.c.due_at <= sa.bindparam("now", type_=UtcDateTime))
        .order_by(outbox.c.due_at, outbox.c.id)
        .limit(sa.bindparam("limit", type_=sa.Integer))
    )
    return query.with_for_update(skip_locked=True) if dialect_name == "postgresql" else query


@functools.cache
def _claiming(dialect_name: str) -> sa.Update:
    """Build the UPDATE claiming rows still pending for a worker, returning them."""
    return (
        outbox.update()
        .where(
            among_bound(dialect_name, outbox.c.id, ids_param(dialect_name, "ids")), outbox.c.status == PENDING
        )
        .values(
            status=SENDING,
            claimed_by=sa.bindparam("worker", type_=sa.String),
            claimed_at=sa.bindparam("claimed", type_=UtcDateTime),
            attempts=outbox.c.attempts + 1,
        )
        .returning(*outbox.c)
    )


def _moves() -> dict[str, dict[str, Any]]:
    """Return the values each move of one row sets, the bound ones named for the caller to give."""
    due = sa.bindparam("due", type_=UtcDateTime)
    error = sa.bindparam("error", type_=sa.Text)
    return {
        "sent": {"status": SENT, "sent_at": sa.bindparam("at", type_=UtcDateTime), "last_error": None},
        "retry": {"status": PENDING, "due_at": due, "last_error": error, "claimed_by": None},
        "defer": {"status": PENDING, "due_at": due, "claimed_by": None, "attempts": outbox.c.attempts - 1},
        "muted": {"status": MUTED},
        "failed": {"status": FAILED, "last_error": error},
    }


@functools.cache
def _moving(move: str) -> sa.Update:
    """Build the UPDATE making one move of the row with the bound `row_id`."""
    return outbox.update().where(outbox.c.id == sa.bindparam("row_id")).values(**_moves()[move])


async def mark_sent(conn: AsyncConnection, row_id: int, now: datetime) -> None:
    """Record a successful send."""
    await conn.execute(_moving("sent"), {"row_id": row_id, "at": now})


async def mark_retry(conn: AsyncConnection, row_id: int, due_at: datetime, error: str) -> None:
    """Put a row back to be tried again at `due_at`."""
    await conn.execute(_moving("retry"), {"row_id": row_id, "due": due_at, "error": error})


async def defer(conn: AsyncConnection, row_id: int, due_at: datetime) -> None:
    """Put a claimed row back unsent, without counting the claim as an attempt."""
    await conn.execute(_moving("defer"), {"row_id": row_id, "due": due_at})


async def mark_muted(conn: AsyncConnection, row_id: int) -> None:
    """Record a reminder left unsent because its person muted that kind."""
    await conn.execute(_moving("muted"), {"row_id": row_id})


async def expire_due(conn: AsyncConnection, now: datetime) -> list[OutboxRow]:
    """Mark as expired the due rows that are no longer useful, and return them."""
    expired = [_row(r) for r in await conn.execute(_expired_query(), {"now": now})]
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
    return (await conn.execute(_next_due_query())).scalar_one_or_none()


async def get_row(conn: AsyncConnection, row_id: int) -> OutboxRow | None:
    """Return one row by id."""
    row = (await rows_where(conn, outbox, id=row_id)).first()
    return None if row is None else _row(row)


async def mark_failed(conn: AsyncConnection, row_id: int, error: str) -> None:
    """Record a send that can never succeed (e.g. the user blocked the bot)."""
    await conn.execute(_moving("failed"), {"row_id": row_id, "error": error})


async def mark_stale_unknown(conn: AsyncConnection, older_than: datetime) -> list[OutboxRow]:
    """Mark rows left mid-send by a crashed dispatcher as unknown, never to be resent silently."""
    stale = [_row(r) for r in await conn.execute(_stale_query(), {"older_than": older_than})]
    if stale:
        await conn.execute(
            outbox.update()
            .where(outbox.c.id.in_([r.id for r in stale]))
            .values(status=UNKNOWN, last_error="process stopped while sending")
        )
    return stale


@functools.cache
def _expired_query() -> sa.Select:
    """Build the SELECT of the due rows no longer useful."""
    now = sa.bindparam("now", type_=UtcDateTime)
    return sa.select(outbox).where(
        outbox.c.status == PENDING, outbox.c.due_at <= now, outbox.c.expires_at <= now
    )


@functools.cache
def _stale_query() -> sa.Select:
    """Build the SELECT of the rows claimed for sending before a moment."""
    older_than = sa.bindparam("older_than", type_=UtcDateTime)
    return sa.select(outbox).where(outbox.c.status == SENDING, outbox.c.claimed_at < older_than)


@functools.cache
def _next_due_query() -> sa.Select:
    """Build the SELECT of when the earliest pending row falls due."""
    return sa.select(sa.func.min(outbox.c.due_at)).where(outbox.c.status == PENDING)


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

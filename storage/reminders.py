"""Reminder preferences: the kinds of reminder a person muted for themself."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.sql import insert_ignore, rows_where
from storage.tables import metadata, people
from storage.types import UtcDateTime

reminder_mutes = sa.Table(
    "reminder_mutes",
    metadata,
    sa.Column("person_id", sa.ForeignKey("people.id"), primary_key=True),
    sa.Column("kind", sa.String(50), primary_key=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
)


async def mute(conn: AsyncConnection, person_id: int, kind: str, now: datetime) -> bool:
    """Mute a kind of reminder for a person; tell whether it was not muted before."""
    return await insert_ignore(
        conn, reminder_mutes, {"person_id": person_id, "kind": kind, "created_at": now}
    )


async def unmute(conn: AsyncConnection, person_id: int, kind: str) -> bool:
    """Unmute a kind of reminder for a person; tell whether it was muted."""
    result = await conn.execute(
        reminder_mutes.delete().where(reminder_mutes.c.person_id == person_id, reminder_mutes.c.kind == kind)
    )
    return result.rowcount > 0


async def muted_kinds(conn: AsyncConnection, person_id: int) -> set[str]:
    """Return the kinds of reminder a person muted."""
    rows = await rows_where(conn, reminder_mutes, person_id=person_id)
    return {r.kind for r in rows}


async def person_names(conn: AsyncConnection, person_ids: list[int]) -> dict[int, str]:
    """Return the full names of some people by id."""
    rows = await conn.execute(sa.select(people.c.id, people.c.full_name).where(people.c.id.in_(person_ids)))
    return {r.id: r.full_name for r in rows}

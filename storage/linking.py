"""Which app a person's reminders go to, among the chat accounts they linked."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.tables import people


async def reminder_channel(conn: AsyncConnection, person_id: int) -> str | None:
    """Return the channel a person chose for reminders, if they chose one."""
    return (
        await conn.execute(sa.select(people.c.reminder_channel).where(people.c.id == person_id))
    ).scalar_one_or_none()


async def set_reminder_channel(conn: AsyncConnection, person_id: int, channel: str) -> None:
    """Send a person's reminders and notices to this channel first."""
    await conn.execute(people.update().where(people.c.id == person_id).values(reminder_channel=channel))

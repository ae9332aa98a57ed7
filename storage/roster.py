"""Roster changes of a cell: excusing, recognising candidates as full members, moving out."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from storage.tables import members


async def set_excused(conn: AsyncConnection, member_id: int, excused: bool) -> None:
    """Mark a member excused from meetings, or no longer excused."""
    await conn.execute(members.update().where(members.c.id == member_id).values(excused=excused))


async def make_full(conn: AsyncConnection, member_id: int) -> None:
    """Recognise a candidate as a full member."""
    await conn.execute(members.update().where(members.c.id == member_id).values(status="full"))


async def move_out(conn: AsyncConnection, member_id: int, on: date) -> None:
    """Take a member off the current roster from a day on, keeping them in history."""
    await conn.execute(members.update().where(members.c.id == member_id).values(left_on=on))

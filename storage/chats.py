"""A chat that changed its id (a Telegram group that became a supergroup), followed wherever it is kept."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.digest import DIGEST_CHAT
from storage.outbox import FAILED, PENDING, outbox, to_chat
from storage.tables import accounts, chat_menus, code_attempts, committees, conversations


async def move_chat(conn: AsyncConnection, channel: str, old: str, new: str) -> None:
    """Give a chat's new id to the digest settings, the outbox, the open form, the menu and the accounts."""
    if old == new:
        return
    await _move_digest_chats(conn, channel, old, new)
    await _move_outbox(conn, channel, old, new)
    for table in (conversations, chat_menus):
        await _move_keyed(conn, table, channel, old, new)
    for table in (accounts, code_attempts):
        await conn.execute(
            table.update().where(table.c.channel == channel, table.c.chat_id == old).values(chat_id=new)
        )


async def _move_digest_chats(conn: AsyncConnection, channel: str, old: str, new: str) -> None:
    """Point every committee whose digest goes to the old chat at the new one."""
    moved = {"channel": channel, "chat_id": new}
    for row in await conn.execute(sa.select(committees.c.id, committees.c.settings)):
        settings = row.settings or {}
        if settings.get(DIGEST_CHAT) == {"channel": channel, "chat_id": old}:
            await conn.execute(
                committees.update()
                .where(committees.c.id == row.id)
                .values(settings={**settings, DIGEST_CHAT: moved})
            )


async def _move_outbox(conn: AsyncConnection, channel: str, old: str, new: str) -> None:
    """Readdress the old chat's rows, sent ones too, so a planner sees them as planned for the new chat."""
    old_target, new_target = to_chat(channel, old).key, to_chat(channel, new).key
    twin = outbox.alias("twin")
    planned_there = (
        sa.exists()
        .where(twin.c.kind == outbox.c.kind, twin.c.target == new_target, twin.c.period == outbox.c.period)
        .correlate(outbox)
    )
    await conn.execute(
        outbox.update()
        .where(outbox.c.target == old_target, ~planned_there)
        .values(target=new_target, chat_id=new)
    )
    # What stays behind was planned for the new chat too: sending it there as well would say it twice.
    await conn.execute(
        outbox.update()
        .where(outbox.c.target == old_target, outbox.c.status == PENDING)
        .values(status=FAILED, last_error=f"the chat moved to {new}, where the same message is planned")
    )


async def _move_keyed(conn: AsyncConnection, table: sa.Table, channel: str, old: str, new: str) -> None:
    """Move a row keyed by chat to the new id, unless the new chat already has its own."""
    twin = table.alias("twin")
    has_own = sa.exists().where(twin.c.channel == channel, twin.c.chat_id == new)
    await conn.execute(
        table.update().where(table.c.channel == channel, table.c.chat_id == old, ~has_own).values(chat_id=new)
    )
    await conn.execute(table.delete().where(table.c.channel == channel, table.c.chat_id == old))

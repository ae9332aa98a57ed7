"""Conversation state per chat, saved drafts per person, and processed updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.sql import delete_where, insert_ignore, rows_where, upsert
from storage.tables import chat_menus, conversations, drafts, processed_updates


@dataclass(frozen=True)
class Conversation:
    """The flow a chat is in, its current step and its state (draft answers, history)."""

    flow: str
    step: str
    state: dict


async def load(conn: AsyncConnection, channel: str, chat_id: str) -> Conversation | None:
    """Return the active conversation of a chat."""
    row = (await rows_where(conn, conversations, channel=channel, chat_id=chat_id)).first()
    return None if row is None else Conversation(flow=row.flow, step=row.step, state=row.state)


async def save(
    conn: AsyncConnection, channel: str, chat_id: str, conversation: Conversation, now: datetime
) -> None:
    """Store a chat's conversation, replacing the previous one."""
    values = {"channel": channel, "chat_id": chat_id, "flow": conversation.flow, "step": conversation.step}
    await upsert(conn, conversations, {**values, "state": conversation.state, "updated_at": now})


async def clear(conn: AsyncConnection, channel: str, chat_id: str) -> None:
    """End a chat's conversation."""
    await delete_where(conn, conversations, channel=channel, chat_id=chat_id)


async def save_menu(
    conn: AsyncConnection, channel: str, chat_id: str, options: list[list[str]], now: datetime
) -> None:
    """Keep the numbered menu a chat was just shown, as [label, value] pairs."""
    values = {"channel": channel, "chat_id": chat_id, "options": options, "updated_at": now}
    await upsert(conn, chat_menus, values)


async def clear_menu(conn: AsyncConnection, channel: str, chat_id: str) -> None:
    """Forget a chat's numbered menu."""
    await delete_where(conn, chat_menus, channel=channel, chat_id=chat_id)


async def load_draft(conn: AsyncConnection, person_id: int, flow: str) -> Conversation | None:
    """Return a person's saved draft of a flow."""
    row = (await rows_where(conn, drafts, person_id=person_id, flow=flow)).first()
    return None if row is None else Conversation(flow=row.flow, step=row.step, state=row.state)


async def save_draft(
    conn: AsyncConnection, person_id: int, conversation: Conversation, now: datetime
) -> None:
    """Keep a person's unfinished flow so it can be continued later."""
    values = {"person_id": person_id, "flow": conversation.flow, "step": conversation.step}
    await upsert(conn, drafts, {**values, "state": conversation.state, "updated_at": now})


async def delete_draft(conn: AsyncConnection, person_id: int, flow: str) -> None:
    """Forget a person's saved draft of a flow."""
    await delete_where(conn, drafts, person_id=person_id, flow=flow)


async def claim_update(conn: AsyncConnection, channel: str, update_key: str, now: datetime) -> bool:
    """Record an update as processed; return False if it already was."""
    values = {"channel": channel, "update_key": update_key, "processed_at": now}
    return await insert_ignore(conn, processed_updates, values)


async def prune_processed_updates(conn: AsyncConnection, before: datetime) -> int:
    """Forget updates processed before `before`; return how many were forgotten."""
    result = await conn.execute(processed_updates.delete().where(processed_updates.c.processed_at < before))
    return result.rowcount


async def lock_chat(conn: AsyncConnection, channel: str, chat_id: str) -> None:
    """Serialise one chat's updates across processes until this transaction ends.

    SQLite needs nothing here: every transaction already begins with the write lock.
    """
    if conn.dialect.name == "postgresql":
        key = f"chat:{channel}:{chat_id}"
        await conn.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(key))))

"""One send to a chat that follows the chat when the platform says it has a new id."""

from __future__ import annotations

import logging

from core.channel import Channel, SendError
from core.messages import Outbound
from storage import chats
from storage.db import Database

log = logging.getLogger(__name__)


async def follow_move(db: Database, channel: str, old: str, new: str) -> None:
    """Keep a chat's new id wherever its old one was stored."""
    async with db.begin() as conn:
        await chats.move_chat(conn, channel, old, new)
    log.info("chat %s on %s moved to %s; stored ids updated", old, channel, new)


async def send_to_chat(db: Database, channel: Channel, chat_id: str, message: Outbound) -> str:
    """Make one attempt to send; on a moved chat, store its new id and send there; return the id used."""
    try:
        await channel.send(chat_id, message)
        return chat_id
    except SendError as error:
        if error.moved_to is None or error.moved_to == chat_id:
            raise
        moved = error.moved_to
    await follow_move(db, channel.name, chat_id, moved)
    await channel.send(moved, message)
    return moved

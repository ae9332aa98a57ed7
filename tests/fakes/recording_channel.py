"""A channel that records what it is asked to send, and can be told to fail, for dispatcher tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.channel import SendError
from core.messages import Outbound
from domain.clock import Clock
from storage import accounts
from storage.db import Database


@dataclass(frozen=True)
class Sent:
    """One message the channel delivered."""

    chat_id: str
    message: Outbound
    at: datetime


class RecordingChannel:
    """Delivers by recording; raises the queued errors first."""

    def __init__(self, clock: Clock, name: str = "test") -> None:
        self.name = name
        self.clock = clock
        self.sent: list[Sent] = []
        self.errors: list[SendError] = []
        self.attempts = 0

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Record the message, or raise the next queued error."""
        self.attempts += 1
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append(Sent(chat_id, message, self.clock.now()))

    def is_group(self, chat_id: str) -> bool:
        """Tell that the test's chats are private ones."""
        return False

    def texts_to(self, chat_id: str) -> list[str]:
        """Return the texts delivered to one chat, oldest first."""
        return [s.message.text for s in self.sent if s.chat_id == chat_id]


async def bind_everyone(db: Database, clock: Clock, channel: str = "test") -> dict[str, tuple[int, str]]:
    """Give every person with a role an account on `channel`; return name -> (person id, chat id)."""
    people: dict[str, tuple[int, str]] = {}
    async with db.begin() as conn:
        for person_id, name in await accounts.list_people(conn):
            chat_id = f"person-{person_id}"
            await accounts.bind_account(conn, person_id, channel, chat_id, chat_id, name, clock.now())
            people[name] = (person_id, chat_id)
    return people

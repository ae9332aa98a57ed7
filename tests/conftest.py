"""Shared fixtures: a real SQLite file per test, a settable clock, and a test chat."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

import handlers
from admin.commands import load_demo
from admin.demo_data import DemoWard, demo_ward
from core.app import App
from core.clock import FixedClock
from core.context import Services
from core.messages import Inbound, Outbound
from settings import Settings
from storage import accounts
from storage.db import Database

_updates = itertools.count(1)


class Chat:
    """A user on a test channel: sends text or presses options, reads the replies."""

    def __init__(self, app: App, chat_id: str, channel: str = "test", name: str | None = None) -> None:
        self.app = app
        self.chat_id = chat_id
        self.channel = channel
        self.name = name
        self.last: list[Outbound] = []

    async def send(self, inbound: Inbound) -> list[Outbound]:
        """Hand one inbound to the app and keep its replies."""
        received: list[Outbound] = []

        async def collect(replies: list[Outbound]) -> None:
            received.extend(replies)

        await self.app.handle(inbound, collect)
        self.last = received
        return received

    async def say(self, text: str) -> list[Outbound]:
        """Type a message."""
        return await self.send(self._inbound(text=text))

    async def press(self, label: str) -> list[Outbound]:
        """Press the option with this label in the last reply that offered it."""
        for message in reversed(self.last):
            for option in message.options:
                if option.label == label:
                    return await self.send(self._inbound(choice=option.value))
        raise AssertionError(f"no option {label!r} in {[o.label for m in self.last for o in m.options]}")

    def text(self) -> str:
        """Return the text of the last replies, joined."""
        return "\n---\n".join(m.text for m in self.last)

    def _inbound(self, text: str | None = None, choice: str | None = None) -> Inbound:
        """Build an inbound from this chat."""
        return Inbound(
            channel=self.channel,
            chat_id=self.chat_id,
            sender_id=self.chat_id,
            update_key=str(next(_updates)),
            text=text,
            choice=choice,
            sender_name=self.name,
        )


@pytest.fixture
def clock() -> FixedClock:
    """Stand the clock at 09:00 on 10/09/2015 in Hà Nội."""
    return FixedClock(datetime(2015, 9, 10, 2, 0, tzinfo=UTC))


@pytest.fixture
def settings(tmp_path: pytest.TempPathFactory) -> Settings:
    """Return settings that read no `.env` and point at a temporary SQLite file."""
    return Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/chibo.db", export_dir=tmp_path / "exports")


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    """Open a migrated SQLite database in a temporary file."""
    database = Database.from_url(settings.database_url)
    await database.migrate()
    yield database
    await database.dispose()


@pytest.fixture
def app(db: Database, clock: FixedClock, settings: Settings) -> App:
    """Build the bot core with every feature registered."""
    return App(Services(db, clock, settings), handlers.all_commands(), handlers.all_forms())


@pytest.fixture
async def ward(db: Database, clock: FixedClock) -> DemoWard:
    """Load the demo ward."""
    await load_demo(db, clock)
    return demo_ward()


async def chat_as(app: App, db: Database, full_name: str, channel: str = "test") -> Chat:
    """Bind a test account to the person of that name and return their chat."""
    async with db.begin() as conn:
        person_id = next(pid for pid, name in await accounts.list_people(conn) if name == full_name)
        chat_id = f"person-{person_id}"
        await accounts.bind_account(conn, person_id, channel, chat_id, chat_id, full_name, app.services.clock.now())
    return Chat(app, chat_id, channel, full_name)

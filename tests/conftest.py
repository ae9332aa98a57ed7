"""Shared fixtures: a real SQLite file per test, a settable clock, a test chat, the fake Bot API servers."""

from __future__ import annotations

import asyncio
import itertools
import os
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

import handlers
from admin.commands import load_demo
from admin.demo_data import DemoWard, demo_ward
from core.app import App
from core.context import Services
from core.messages import Inbound, Outbound
from domain.clock import FixedClock
from settings import Settings
from storage import accounts
from storage.db import Database
from storage.pledges import pledge_updates
from tests.fakes.recording_channel import RecordingChannel
from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.zalo_api import FakeZaloServer

_updates = itertools.count(1)

# CI starts a PostgreSQL server and sets this, so the same tests run on both engines.
POSTGRES_URL = os.environ.get("CHIBO_TEST_POSTGRES_URL", "")
ENGINES = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


class Chat:
    """A user on a test channel: sends text or presses options, reads the replies."""

    def __init__(
        self,
        app: App,
        chat_id: str,
        channel: str = "test",
        name: str | None = None,
        *,
        sender_id: str | None = None,
        group: bool = False,
    ) -> None:
        self.app = app
        self.chat_id = chat_id
        self.channel = channel
        self.name = name
        self.sender_id = sender_id or chat_id
        self.group = group
        self.last: list[Outbound] = []
        # How many messages this user has sent, typed or pressed: what a flow costs them.
        self.sent = 0

    def in_group(self, group_id: str) -> Chat:
        """Return this user writing in a group chat instead of their private chat."""
        return Chat(self.app, group_id, self.channel, self.name, sender_id=self.sender_id, group=True)

    async def send(self, inbound: Inbound) -> list[Outbound]:
        """Hand one inbound to the app and keep its replies."""
        channel = RecordingChannel(self.app.services.clock, self.channel)
        self.sent += 1
        await self.app.handle(inbound, channel)
        self.last = [sent.message for sent in channel.sent]
        return self.last

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
            sender_id=self.sender_id,
            update_key=str(next(_updates)),
            text=text,
            choice=choice,
            sender_name=self.name,
            group=self.group,
        )


@pytest.fixture
def clock() -> FixedClock:
    """Stand the clock at 09:00 on 10/09/2015 in Hà Nội."""
    return FixedClock(datetime(2015, 9, 10, 2, 0, tzinfo=UTC))


@asynccontextmanager
async def new_postgres_database(prefix: str) -> AsyncIterator[str]:
    """Create an empty PostgreSQL database on the test server, yield its URL, then drop it."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    server = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with server.connect() as conn:
        await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        async with server.connect() as conn:
            await conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        await server.dispose()


@dataclass(frozen=True)
class PostgresDatabase:
    """A migrated PostgreSQL test database and the tables tests may empty."""

    url: str
    emptied_tables: tuple[str, ...]
    sequences: tuple[str, ...]
    seeded_ids: tuple[tuple[str, int], ...]


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[PostgresDatabase]:
    """Create and migrate one PostgreSQL database for the session; tests empty it in turn."""
    name = f"chibo_test_{uuid.uuid4().hex[:8]}"
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    async def create() -> PostgresDatabase:
        server = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        async with server.connect() as conn:
            await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        await server.dispose()
        database = Database.from_url(url)
        await database.migrate()
        async with database.begin() as conn:
            names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
            # Reference data that migrations seed (e.g. ranking scales) stays; everything else is emptied.
            counts = {
                n: (await conn.exec_driver_sql(f'SELECT count(*) FROM "{n}"')).scalar_one() for n in names
            }
            emptied = tuple(n for n, count in counts.items() if count == 0)
            # A test may add to seeded tables (a new ranking scale); rows past the seed are removed.
            seeded_ids = tuple(
                [
                    (n, (await conn.exec_driver_sql(f'SELECT max(id) FROM "{n}"')).scalar_one())
                    for n in names
                    if n not in emptied and n != "alembic_version"
                ]
            )
            sequences = (await conn.exec_driver_sql("SELECT sequencename FROM pg_sequences")).scalars().all()
            # Sequences of seeded tables keep counting from their data.
            owned = tuple(s for s in sequences if any(s.startswith(f"{t}_") for t in emptied))
        await database.dispose()
        return PostgresDatabase(url, emptied, owned, seeded_ids)

    async def drop() -> None:
        server = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        async with server.connect() as conn:
            await conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        await server.dispose()

    # Requested from inside a running event loop, so the set-up runs in a loop of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool.submit(asyncio.run, create()).result()
        pool.submit(asyncio.run, drop()).result()


@pytest.fixture(params=ENGINES)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Give each test an empty database: its own SQLite file, or the emptied PostgreSQL one."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/chibo.db"
        return
    postgres: PostgresDatabase = request.getfixturevalue("postgres_database")
    engine = create_async_engine(postgres.url)
    async with engine.begin() as conn:
        # DELETE with foreign-key triggers off is far quicker than TRUNCATE on near-empty tables.
        await conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        for name in postgres.emptied_tables:
            await conn.exec_driver_sql(f'DELETE FROM "{name}"')
        for name, last_id in postgres.seeded_ids:
            await conn.exec_driver_sql(f'DELETE FROM "{name}" WHERE id > {last_id}')
        for sequence in postgres.sequences:
            await conn.exec_driver_sql(f'ALTER SEQUENCE "{sequence}" RESTART')
    await engine.dispose()
    yield postgres.url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Return settings that read no `.env` and point at the test's own database."""
    return Settings(_env_file=None, database_url=database_url, export_dir=tmp_path / "exports")


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
        await accounts.bind_account(
            conn, person_id, channel, chat_id, chat_id, full_name, app.services.clock.now()
        )
    return Chat(app, chat_id, channel, full_name)


async def item_updates(conn: AsyncConnection, item_id: int) -> Sequence[sa.Row[Any]]:
    """Return every stored progress update of a pledge item, oldest first."""
    query = (
        sa.select(pledge_updates)
        .where(pledge_updates.c.item_id == item_id)
        .order_by(pledge_updates.c.updated_on, pledge_updates.c.id)
    )
    return (await conn.execute(query)).all()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegramServer]:
    """Run the fake Telegram Bot API server."""
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZaloServer]:
    """Run the fake Zalo Bot API server."""
    async with FakeZaloServer() as server:
        yield server

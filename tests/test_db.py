"""SQLite connections: statements on the caller's thread, the write lock from the first one, nothing lost."""

from __future__ import annotations

import asyncio
import gc
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest
import sqlalchemy as sa

from storage.collector import HEAVY_JOB_THRESHOLD, fewer_collections
from storage.db import TRANSACTIONS_AT_ONCE, Database

TABLE = sa.Table(
    "things", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.Text)
)


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    """Open an SQLite database with one table."""
    database = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/t.db")
    async with database.begin() as conn:
        await conn.run_sync(TABLE.metadata.create_all)
    yield database
    await database.dispose()


def _writable(path: str) -> bool:
    """Tell whether another connection could take the write lock right now."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


async def test_transaction_holds_the_write_lock_from_its_first_statement(sqlite_db: Database) -> None:
    """BEGIN IMMEDIATE goes with the first statement, even a read, and the lock ends at commit."""
    path = sqlite_db.engine.url.database
    async with sqlite_db.begin() as conn:
        assert (await conn.execute(sa.select(sa.func.count()).select_from(TABLE))).scalar_one() == 0
        assert not _writable(path)
    assert _writable(path)


async def test_a_read_snapshot_takes_no_write_lock_and_sees_what_was_committed_before(
    sqlite_db: Database,
) -> None:
    """A read transaction leaves the write lock free; a write committed meanwhile is not in its snapshot."""
    path = sqlite_db.engine.url.database
    async with sqlite_db.read() as reading:
        count = sa.select(sa.func.count()).select_from(TABLE)
        assert (await reading.execute(count)).scalar_one() == 0
        assert _writable(path)
        async with sqlite_db.begin() as conn:
            await conn.execute(TABLE.insert().values(name="a"))
        assert (await reading.execute(count)).scalar_one() == 0


async def test_off_loop_runs_a_job_on_a_handle_of_its_own(sqlite_db: Database) -> None:
    """A job run off the loop reads the same database through another engine."""
    async with sqlite_db.begin() as conn:
        await conn.execute(TABLE.insert().values(name="a"))

    async def names(db: Database) -> tuple[bool, list[str]]:
        async with db.read() as conn:
            return db is sqlite_db, list((await conn.execute(sa.select(TABLE.c.name))).scalars())

    assert await sqlite_db.off_loop(names) == (False, ["a"])


async def test_a_job_off_the_loop_runs_with_young_objects_collected_less_often(sqlite_db: Database) -> None:
    """While a heavy job runs the collector waits for many more allocations; afterwards as before."""
    before = gc.get_threshold()

    async def threshold(_: Database) -> int:
        return gc.get_threshold()[0]

    assert await sqlite_db.off_loop(threshold) == max(HEAVY_JOB_THRESHOLD, before[0])
    assert gc.get_threshold() == before


def test_the_usual_threshold_comes_back_when_the_last_of_two_jobs_ends() -> None:
    """Jobs that overlap share the raised threshold; the first to end leaves it for the other."""
    before = gc.get_threshold()
    with fewer_collections():
        with fewer_collections():
            pass
        assert gc.get_threshold()[0] == max(HEAVY_JOB_THRESHOLD, before[0])
    assert gc.get_threshold() == before


async def test_results_counts_and_keys_read_as_with_the_stock_cursor(sqlite_db: Database) -> None:
    """Inserted keys, row counts, many-row inserts and fetched rows read as with the stock cursor."""
    async with sqlite_db.begin() as conn:
        first = await conn.execute(TABLE.insert().values(name="a"))
        assert first.inserted_primary_key[0] == 1
        await conn.execute(TABLE.insert(), [{"name": "b"}, {"name": "c"}])
        changed = await conn.execute(TABLE.update().where(TABLE.c.name != "a").values(name="z"))
        assert changed.rowcount == 2
    async with sqlite_db.begin() as conn:
        rows = (await conn.execute(sa.select(TABLE.c.name).order_by(TABLE.c.id))).scalars().all()
    assert rows == ["a", "z", "z"]


async def test_failed_and_empty_transactions_leave_the_database_usable(sqlite_db: Database) -> None:
    """A failure rolls back what the transaction wrote; a transaction that ran nothing commits."""
    with pytest.raises(sa.exc.IntegrityError):
        async with sqlite_db.begin() as conn:
            await conn.execute(TABLE.insert().values(id=7, name="kept?"))
            await conn.execute(TABLE.insert().values(id=7, name="twice"))
    async with sqlite_db.begin():
        pass
    async with sqlite_db.begin() as conn:
        assert (await conn.execute(sa.select(sa.func.count()).select_from(TABLE))).scalar_one() == 0
    assert _writable(sqlite_db.engine.url.database)


async def test_after_its_connection_is_lost_the_next_transaction_writes_on_a_new_one(
    sqlite_db: Database,
) -> None:
    """A transaction whose connection broke fails and keeps nothing; the next one commits."""
    with pytest.raises(sa.exc.PendingRollbackError):
        async with sqlite_db.begin() as conn:
            await conn.execute(TABLE.insert().values(name="lost"))
            await conn.invalidate()
    async with sqlite_db.begin() as conn:
        await conn.execute(TABLE.insert().values(name="kept"))
    async with sqlite_db.read() as conn:
        assert (await conn.execute(sa.select(TABLE.c.name))).scalars().all() == ["kept"]


async def test_a_transaction_never_waits_for_the_sqlite_thread(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Statements and COMMIT run on the caller's thread: none is handed to aiosqlite's thread."""
    async with sqlite_db.begin() as conn:
        await conn.execute(sa.select(1))
    handed_over: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: object, *args: object, **kwargs: object) -> object:
        handed_over.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    async with sqlite_db.begin() as conn:
        await conn.execute(TABLE.insert().values(name="a"))
        assert (await conn.execute(sa.select(TABLE.c.name))).scalars().all() == ["a"]
    assert handed_over == []


async def test_a_burst_of_transactions_waits_its_turn_and_every_one_commits(db: Database) -> None:
    """Far more transactions than the pool serves all commit, never more than its slots open together."""
    open_now, most = 0, 0

    async def one() -> None:
        """Hold a transaction for a moment, counting those open beside it."""
        nonlocal open_now, most
        async with db.begin() as conn:
            open_now += 1
            most = max(most, open_now)
            await conn.execute(sa.text("SELECT 1"))
            await asyncio.sleep(0.02)
            open_now -= 1

    await asyncio.gather(*(one() for _ in range(3 * TRANSACTIONS_AT_ONCE)))
    assert open_now == 0 and most <= TRANSACTIONS_AT_ONCE

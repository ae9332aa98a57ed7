"""Engine creation, connection settings and migrations."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import aiosqlite
import sqlalchemy as sa
from sqlalchemy import Connection, event
from sqlalchemy.connectors.asyncio import AsyncAdapt_dbapi_connection, AsyncIODBAPIConnection
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import CoreExecuteOptionsParameter
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.util import EMPTY_DICT

from storage.collector import fewer_collections
from storage.workers import Workers

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15000
MIGRATION_LOCK_KEY = 4_212_015
# The heads of the migration branches (a test holds them to Alembic's): a database already at them
# needs nothing migrated, and the bot starts without loading Alembic and every migration script.
SCHEMA_HEADS = frozenset({"0004", "0005", "0011", "0017", "0018", "0019"})
VERSION_TABLE = "alembic_version"
# Transactions open at once on a server database, each on a pooled connection of its own.
TRANSACTIONS_AT_ONCE = 10
POOL_OVERFLOW = 10
# The execution option that makes a SQLite transaction a deferred, read-only one.
_READ_ONLY = "chibo_read_only"
T = TypeVar("T")


class Database:
    """The one handle on the database: an async engine and its dialect."""

    def __init__(self, engine: AsyncEngine, workers: Workers | None = None) -> None:
        self.engine = engine
        # Without workers, heavy jobs run on a thread: enough for a command line or a test.
        self._workers = workers
        # SQLite has one writer at a time: queueing transactions here, rather than in the pool
        # and the busy timeout, keeps a burst of chats from exhausting connections or timing out.
        self._sqlite_writer = asyncio.Lock() if engine.dialect.name == "sqlite" else None
        # Elsewhere a burst waits here, in turn and without a deadline: in the pool it would fail
        # after its 30 s timeout, and the chat whose update failed would lose that answer.
        self._slots = asyncio.Semaphore(TRANSACTIONS_AT_ONCE)
        # SQLite's one connection for writing, kept open: taking one from the pool and giving it
        # back cost an update's transaction about as much CPU as its statements (some 50 us).
        self._writer: AsyncConnection | None = None

    @classmethod
    def from_url(cls, url: str, workers: Workers | None = None) -> Database:
        """Create the engine for `url`, preparing SQLite files and pragmas; heavy jobs go to `workers`."""
        parsed = make_url(url)
        engine: AsyncEngine
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            stock = create_async_engine(
                url,
                module=_InlineAiosqlite(aiosqlite, sqlite3),
                # aiosqlite opens the connection on its thread; statements then run on the loop's.
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            )
            engine = _InlineEngine(stock.sync_engine)
            _configure_sqlite(engine)
        else:
            # Reads, health checks and the dispatcher get the connections beyond the transactions' slots.
            engine = create_async_engine(
                url, pool_pre_ping=True, pool_size=TRANSACTIONS_AT_ONCE, max_overflow=POOL_OVERFLOW
            )
        return cls(engine, workers)

    @property
    def dialect(self) -> str:
        """Return the backend name: `sqlite` or `postgresql`."""
        return self.engine.dialect.name

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        """Open a connection inside a transaction that commits on success."""
        if self._sqlite_writer is None:
            async with self._slots, self.engine.begin() as conn:
                yield conn
            return
        async with self._sqlite_writer:
            if self._writer is None:
                self._writer = await self.engine.connect().start()
            conn = self._writer
            try:
                # Inline, BEGIN and COMMIT never wait: no greenlet is needed around them.
                with _sync(conn).begin():
                    yield conn
            finally:
                if conn.invalidated:
                    # Reconnecting needs a greenlet: the next transaction opens a new connection.
                    self._writer = None
                    await conn.close()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """Open a read-only snapshot of the database; on SQLite it takes no write lock, so writers go on."""
        async with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                await conn.execution_options(**{_READ_ONLY: True})
            else:
                # One snapshot for every statement, so an export's batches agree with each other.
                await conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            async with conn.begin():
                yield conn

    async def off_loop(self, job: Callable[[Database], Awaitable[T]]) -> T:
        """Run a heavy reading job with its own event loop and engine, in a worker; this loop keeps serving.

        In worker processes the job and its result cross by pickling: a partial of a module-level
        function on plain values, returning plain values.
        """
        url = self.engine.url.render_as_string(hide_password=False)
        if self._workers is None:
            return await asyncio.to_thread(run_job, url, job)
        return await self._workers.run(run_job, url, job)

    async def migrate(self) -> None:
        """Bring the schema up to the newest revision of every migration branch."""
        if await self.revisions() == SCHEMA_HEADS:
            return
        async with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                # Several processes may start at once; one migrates, the others wait and find it done.
                await conn.execute(sa.select(sa.func.pg_advisory_xact_lock(MIGRATION_LOCK_KEY)))
            await conn.run_sync(_upgrade)

    async def revisions(self) -> frozenset[str]:
        """Return the migration revisions the database is at (none for a new one)."""
        try:
            async with self.read() as conn:
                rows = await conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}")  # noqa: S608 - a constant
                return frozenset(rows.scalars().all())
        except SQLAlchemyError:
            # A new database has no version table yet.
            return frozenset()

    async def ping(self) -> bool:
        """Tell whether the database answers a trivial query."""
        try:
            async with self.begin() as conn:
                await conn.execute(sa.text("SELECT 1"))
        except (OSError, SQLAlchemyError) as error:
            log.warning("the database does not answer: %s", type(error).__name__)
            return False
        return True

    async def dispose(self) -> None:
        """Close every pooled connection and let the worker processes exit."""
        if self._workers is not None:
            self._workers.close()
        if self._sqlite_writer is not None:
            async with self._sqlite_writer:
                writer, self._writer = self._writer, None
                if writer is not None:
                    await writer.close()
        await self.engine.dispose()


def run_job(url: str, job: Callable[[Database], Awaitable[T]]) -> T:
    """Run a heavy reading job to its end on an event loop and a database handle of its own."""

    async def run() -> T:
        """Run the job on its own handle, closed when it ends."""
        db = Database.from_url(url)
        try:
            return await job(db)
        finally:
            await db.dispose()

    # On a thread the collector is the bot's too: while the job builds its rows, the bot's loop
    # also collects less often, which costs it nothing but a little memory held a little longer.
    with fewer_collections():
        return asyncio.run(run())


def alembic_config(connection: Connection | None = None) -> Config:
    """Build the Alembic configuration without an ini file."""
    # Alembic is imported only to migrate or check a backup: the bot starts faster without it.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    """Run Alembic's upgrade on an already-open connection."""
    from alembic import command

    command.upgrade(alembic_config(connection), "heads")


def _sync(conn: AsyncConnection) -> Connection:
    """Return the started connection an async one proxies."""
    if conn.sync_connection is None:
        raise TypeError("the connection is not started")
    return conn.sync_connection


def _configure_sqlite(engine: AsyncEngine) -> None:
    """Turn on WAL, foreign keys and a busy timeout; take the write lock at BEGIN."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN; we emit it ourselves below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front, so two writers never deadlock on upgrade. It
        # goes with the transaction's first statement rather than as a statement of its own.
        dbapi_connection = conn.connection.dbapi_connection
        if not isinstance(dbapi_connection, _InlineConnection):
            raise TypeError("SQLite engines connect through _InlineAiosqlite")
        # A read-only snapshot (`Database.read`) takes no write lock: writers go on meanwhile.
        read_only = conn.get_execution_options().get(_READ_ONLY, False)
        dbapi_connection.begin_with_next_statement("BEGIN" if read_only else "BEGIN IMMEDIATE")


# SQLAlchemy's stock aiosqlite cursor makes four trips to aiosqlite's thread per statement (open,
# execute, fetch, close), and the pool's reset a fifth per transaction. Each trip waits for the
# event loop to come round, and on SQLite every transaction holds the process's writer lock
# meanwhile: under load a trip took 2-4 ms against the statement's 0.1 ms, and those waits were
# most of the bot's serial section. So statements and COMMIT run right here, on the loop's thread,
# and a transaction never yields the loop between them. A long statement stalls the loop for its
# duration, but on SQLite it would hold the writer lock that every update needs anyway, and so does
# a BEGIN waiting out another process's write (the busy timeout); deployments with heavy reads (a
# province's export) belong on PostgreSQL (README).
class _InlineCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor that opens, executes, fetches and closes on the calling thread, in one go."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")
    _adapt_connection: _InlineConnection

    def __init__(self, adapt_connection: AsyncAdapt_dbapi_connection) -> None:
        # The base class opens an aiosqlite cursor here (a trip to its thread); each execute opens
        # its own, so `_cursor` stays unset.
        if not isinstance(adapt_connection, _InlineConnection):
            raise TypeError("an inline cursor runs on an inline connection")
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._rows = deque()
        self._soft_closed_memoized = EMPTY_DICT
        self._description = None
        self._rowcount = -1
        self._lastrowid = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        """Return the description of the last statement's result."""
        return self._description

    @property
    def rowcount(self) -> int:
        """Return how many rows the last statement changed."""
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        """Return the rowid of the last inserted row."""
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        """Return how many rows fetchmany returns by default."""
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        """Set how many rows fetchmany returns by default."""
        self._arraysize = value

    async def _async_soft_close(self) -> None:
        """Do nothing: the sqlite3 cursor was closed right after its statement ran."""

    def close(self) -> None:
        """Drop rows not fetched."""
        self._rows.clear()

    def execute(self, operation: Any, parameters: Any = None) -> None:
        """Run one statement and buffer its rows."""
        self._run(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> None:
        """Run one statement for many parameter sets."""
        self._run(operation, seq_of_parameters, many=True)

    def _run(self, operation: Any, parameters: Any, *, many: bool) -> None:
        """Execute on the sqlite3 connection without leaving this thread; keep what SQLAlchemy reads."""
        try:
            begin = self._adapt_connection.take_begin()
            done = _run_statement(self._connection._conn, begin, operation, parameters, many)
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self._description, self._rowcount, self._lastrowid, rows = done
        self._rows = deque(rows)


def _run_statement(
    connection: sqlite3.Connection, begin: str | None, operation: Any, parameters: Any, many: bool
) -> tuple[Any, int, Any, Sequence[Any]]:
    """Execute on the sqlite3 connection; return description, counts and rows."""
    cursor = connection.cursor()
    try:
        if begin is not None:
            cursor.execute(begin)
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


class _InlineConnection(AsyncAdapt_aiosqlite_connection):
    """SQLAlchemy's aiosqlite connection, running statements and COMMIT on the calling thread."""

    __slots__ = ("_begin",)
    _cursor_cls = _InlineCursor

    def __init__(self, dbapi: Any, connection: AsyncIODBAPIConnection) -> None:
        super().__init__(dbapi, connection)
        self._begin: str | None = None

    def begin_with_next_statement(self, begin: str) -> None:
        """Open the transaction together with its first statement."""
        self._begin = begin

    def take_begin(self) -> str | None:
        """Return the BEGIN still to be sent, once."""
        begin, self._begin = self._begin, None
        return begin

    def commit(self) -> None:
        """Commit, unless no statement ever opened the transaction."""
        self._begin = None
        if self._connection._connection and self._connection.in_transaction:
            self._connection._conn.commit()

    def rollback(self) -> None:
        """Roll back, unless there is no transaction (the pool resets every returned connection)."""
        self._begin = None
        if self._connection._connection and self._connection.in_transaction:
            self._connection._conn.rollback()


class _InlineConnectionProxy(AsyncConnection):
    """An async connection whose statements run at once: inline, a statement never waits.

    SQLAlchemy's own runs every statement in a new greenlet and insists that it awaits: two fifths
    of a hot statement's CPU. Connecting and closing still go through greenlets (aiosqlite opens a
    new connection on its thread); `stream` is not offered, since every result is buffered anyway.
    """

    async def execute(
        self,
        statement: sa.Executable,
        parameters: Any = None,
        *,
        execution_options: CoreExecuteOptionsParameter | None = None,
    ) -> sa.CursorResult[Any]:
        """Execute a statement and return its buffered result."""
        return self._proxied.execute(statement, parameters, execution_options=execution_options)

    async def exec_driver_sql(
        self,
        statement: str,
        parameters: Any = None,
        execution_options: CoreExecuteOptionsParameter | None = None,
    ) -> sa.CursorResult[Any]:
        """Execute a driver-level SQL string and return its buffered result."""
        return self._proxied.exec_driver_sql(statement, parameters, execution_options)


class _InlineEngine(AsyncEngine):
    """An async engine handing out inline connections."""

    __slots__ = ()
    _connection_cls = _InlineConnectionProxy


class _InlineAiosqlite(AsyncAdapt_aiosqlite_dbapi):
    """SQLAlchemy's aiosqlite DBAPI module, whose connections run statements on the calling thread."""

    def connect(self, *args: Any, **kwargs: Any) -> _InlineConnection:
        """Connect as SQLAlchemy does, then wrap the aiosqlite connection in ours."""
        adapted = super().connect(*args, **kwargs)
        return _InlineConnection(self, adapted._connection)

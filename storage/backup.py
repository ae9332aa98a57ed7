"""Backups and restores of the whole database: SQLite's online backup API, PostgreSQL's pg_dump.

A backup is one file named by its local date and time (`chibo-20150910-090000.db` for SQLite,
`.dump` for pg_dump's custom format). It is written under a temporary name and renamed when
complete, so a backup cut off half-way never looks like a good one.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.engine import URL

from domain.clock import LOCAL_TZ
from storage.db import VERSION_TABLE, Database, alembic_config
from storage.sql import count_rows
from storage.tables import load_all_tables

PREFIX = "chibo-"
SUFFIXES = {"sqlite": ".db", "postgresql": ".dump"}
PARTIAL = ".partial"
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
# Not a chibo table: Alembic's own, whose one row every migrated database holds.
NOT_DATA = frozenset({VERSION_TABLE})


class BackupError(Exception):
    """A backup or restore that cannot go ahead; subclasses say why."""


class PgDumpMissing(BackupError):
    """The PostgreSQL client program needed (pg_dump or pg_restore) is not on the PATH."""

    def __init__(self, program: str) -> None:
        super().__init__(program)
        self.program = program


class ToolFailed(BackupError):
    """pg_dump or pg_restore ended with an error; `detail` is its last line of output."""

    def __init__(self, program: str, detail: str) -> None:
        super().__init__(f"{program}: {detail}")
        self.program = program
        self.detail = detail


class BackupExists(BackupError):
    """A backup of that name (the same second) is already there."""


class CorruptBackup(BackupError):
    """The file is not a readable backup of this bot's database; `detail` says what was found."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NewerSchema(BackupError):
    """The backup was made by a newer version of the bot: its schema revision is unknown here."""

    def __init__(self, revision: str) -> None:
        super().__init__(revision)
        self.revision = revision


class WrongEngine(BackupError):
    """The backup's engine is not the target's (a SQLite file into PostgreSQL, or the reverse)."""

    def __init__(self, backup: str, target: str) -> None:
        super().__init__(f"{backup} -> {target}")
        self.backup = backup
        self.target = target


class TargetHasData(BackupError):
    """The target database holds rows that restoring would replace."""

    def __init__(self, table: str) -> None:
        super().__init__(table)
        self.table = table


@dataclass(frozen=True)
class BackupFile:
    """What a backup file holds: its engine and the schema revisions it was made at."""

    engine: str
    revisions: tuple[str, ...]


async def backup(db: Database, directory: Path, moment: datetime, keep: int) -> Path:
    """Write a consistent copy of the database into `directory`, keep the newest `keep`; return its path."""
    suffix = SUFFIXES[db.dialect]
    name = f"{PREFIX}{moment.astimezone(LOCAL_TZ):%Y%m%d-%H%M%S}{suffix}"
    path = await asyncio.to_thread(_free_path, directory, name)
    partial = path.with_name(path.name + PARTIAL)
    try:
        if db.dialect == "sqlite":
            await asyncio.to_thread(_copy_sqlite, _sqlite_path(db.engine.url), partial)
        else:
            await _pg_dump(db.engine.url, partial)
        await asyncio.to_thread(partial.rename, path)
    finally:
        await asyncio.to_thread(partial.unlink, missing_ok=True)
    await asyncio.to_thread(_keep_newest, directory, suffix, keep)
    return path


def _free_path(directory: Path, name: str) -> Path:
    """Create the directory and return the new backup's path, refusing to overwrite one."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    if path.exists():
        raise BackupExists(str(path))
    return path


def _keep_newest(directory: Path, suffix: str, keep: int) -> None:
    """Delete all but the newest `keep` backups; their names sort by time."""
    for old in sorted(directory.glob(f"{PREFIX}*{suffix}"))[:-keep]:
        old.unlink()


def _sqlite_path(url: URL) -> str:
    """Return the file of a SQLite URL."""
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has no file to back up")
    return url.database


def _copy_sqlite(source: str, target: Path) -> None:
    """Copy a live SQLite file page by page in one step, so the copy is one committed state."""
    # A connection of its own, read-only: the bot's writers go on while the copy reads (WAL).
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        # The copy is one self-contained file, without -wal and -shm companions.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """Return a libpq URL without the password, and the environment that carries the password."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


async def _run_tool(program: str, *args: str, url: URL) -> bytes:
    """Run pg_dump or pg_restore against `url`; return its output, raise ToolFailed on an error."""
    executable = shutil.which(program)
    if executable is None:
        raise PgDumpMissing(program)
    dsn, env = _libpq(url)
    process = await asyncio.create_subprocess_exec(
        executable,
        *args,
        f"--dbname={dsn}",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        lines = err.decode(errors="replace").strip().splitlines() or [f"exit {process.returncode}"]
        raise ToolFailed(program, lines[-1])
    return out


async def _pg_dump(url: URL, target: Path) -> None:
    """Dump a PostgreSQL database in pg_dump's custom format (a consistent snapshot)."""
    await _run_tool("pg_dump", "--format=custom", "--no-owner", f"--file={target}", url=url)


def read_backup(path: Path) -> BackupFile:
    """Check a backup file and return what it holds; CorruptBackup when it is not sound."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise CorruptBackup(str(error)) from None
    if head.startswith(SQLITE_MAGIC):
        return BackupFile("sqlite", _sqlite_revisions(path))
    if head.startswith(PG_DUMP_MAGIC):
        return BackupFile("postgresql", _dump_revisions(path))
    raise CorruptBackup("not a SQLite file or a pg_dump archive")


def _sqlite_revisions(path: Path) -> tuple[str, ...]:
    """Run SQLite's integrity check on a backup file and read its schema revisions."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise CorruptBackup("; ".join(problems[:3]))
        query = f"SELECT version_num FROM {VERSION_TABLE}"  # noqa: S608 - a constant table name
        return tuple(row[0] for row in conn.execute(query))
    except sqlite3.DatabaseError as error:
        raise CorruptBackup(str(error)) from None
    finally:
        conn.close()


def _dump_revisions(path: Path) -> tuple[str, ...]:
    """Read a whole pg_dump archive with pg_restore (which checks it), then its schema revisions."""
    _pg_restore_offline("--file=" + os.devnull, str(path))
    # The table's rows are the lines between its COPY statement and the closing `\.`.
    script = _pg_restore_offline("--data-only", f"--table={VERSION_TABLE}", "--file=-", str(path))
    lines = script.decode().splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("COPY ")), None)
    if start is None or "\\." not in lines[start:]:
        raise CorruptBackup(f"no {VERSION_TABLE} table")
    return tuple(lines[start + 1 : lines.index("\\.", start)])


def _pg_restore_offline(*args: str) -> bytes:
    """Run pg_restore without a database (it writes SQL); return its output, CorruptBackup on an error."""
    executable = shutil.which("pg_restore")
    if executable is None:
        raise PgDumpMissing("pg_restore")
    # The program is found on the PATH and every argument is ours (options and the backup's path).
    result = subprocess.run([executable, *args], capture_output=True, check=False)  # noqa: S603
    if result.returncode != 0:
        lines = result.stderr.decode(errors="replace").strip().splitlines() or ["unreadable"]
        raise CorruptBackup(lines[-1])
    return result.stdout


def check_revisions(revisions: tuple[str, ...]) -> None:
    """Raise NewerSchema for a revision this code's migrations do not know."""
    if not revisions:
        raise CorruptBackup(f"no row in {VERSION_TABLE}")
    # Alembic is imported only where it is used: the bot starts faster without it.
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    script = ScriptDirectory.from_config(alembic_config())
    for revision in revisions:
        try:
            known = script.get_revision(revision)
        except CommandError:
            known = None
        if known is None:
            raise NewerSchema(revision)


async def restore(path: Path, target: Database, *, force: bool) -> list[tuple[str, int]]:
    """Replace the target's data by a backup's, migrate it up; return each table's row count."""
    held = read_backup(path)
    if held.engine != target.dialect:
        raise WrongEngine(held.engine, target.dialect)
    check_revisions(held.revisions)
    if not force:
        table = await _table_with_data(target)
        if table is not None:
            raise TargetHasData(table)
    if target.dialect == "sqlite":
        await target.dispose()
        await asyncio.to_thread(_restore_sqlite, path, _sqlite_path(target.engine.url))
    else:
        async with target.begin() as conn:
            await conn.run_sync(_drop_all_tables)
        await _run_tool(
            "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", str(path), url=target.engine.url
        )
    await target.migrate()
    return await table_counts(target)


def _restore_sqlite(source: Path, target: str) -> None:
    """Copy a backup file over the target database through SQLite, which keeps its WAL consistent."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _drop_all_tables(conn: Connection) -> None:
    """Drop every table of a PostgreSQL target, so the dump is restored into an empty schema."""
    for name in sa.inspect(conn).get_table_names():
        conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}" CASCADE')


async def _table_with_data(target: Database) -> str | None:
    """Return a table of the target holding rows a freshly migrated database would not; None if none."""
    seeded = dict(await _seeded_counts())
    async with target.begin() as conn:
        names = await conn.run_sync(lambda sync: sa.inspect(sync).get_table_names())
        for name in sorted(set(names) - NOT_DATA):
            # The names come from the database's own catalogue.
            query = f'SELECT count(*) FROM "{name}"'  # noqa: S608
            count = (await conn.exec_driver_sql(query)).scalar_one()
            if count > seeded.get(name, 0):
                return name
    return None


async def _seeded_counts() -> list[tuple[str, int]]:
    """Return the row counts a fresh migration leaves (reference data such as ranking scales)."""
    fresh = Database.from_url("sqlite+aiosqlite:///:memory:")
    try:
        await fresh.migrate()
        return await table_counts(fresh)
    finally:
        await fresh.dispose()


async def table_counts(db: Database) -> list[tuple[str, int]]:
    """Return every table's row count, parents first."""
    async with db.begin() as conn:
        return [(table.name, await count_rows(conn, table)) for table in load_all_tables().sorted_tables]

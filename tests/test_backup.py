"""Backups taken while the bot works, and restores that check what they are given."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from admin.backup import restore_backup, take_backup
from admin.commands import AdminError
from admin.demo_data import DemoWard
from core.app import App
from core.messages import Outbound
from domain.clock import FixedClock
from schedules.dispatcher import Dispatcher
from storage import backup as store
from storage.db import Database, alembic_config
from storage.tables import load_all_tables
from tests.conftest import Chat, new_postgres_database
from tests.fakes.recording_channel import RecordingChannel, bind_everyone
from tests.test_dispatcher import plan
from tests.test_report_flow import ANSWERS, ORDER

Snapshot = dict[str, list[tuple[Any, ...]]]


async def snapshot(db: Database) -> Snapshot:
    """Return every row of every table, in a stable order."""
    found: Snapshot = {}
    async with db.begin() as conn:
        for table in load_all_tables().sorted_tables:
            rows = (await conn.execute(sa.select(table))).all()
            found[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return found


def code_heads() -> list[str]:
    """Return the newest revision of each migration branch this code has."""
    return list(ScriptDirectory.from_config(alembic_config()).get_heads())


@pytest.fixture
async def target_url(database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    """Return the URL of an empty database of the test's engine to restore into."""
    if make_url(database_url).get_backend_name() == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/restored.db"
        return
    async with new_postgres_database("chibo_restore") as url:
        yield url


class SnapshottingChannel(RecordingChannel):
    """Records sends, and the database as it stands while a claimed reminder is on its way."""

    def __init__(self, clock: FixedClock, db: Database, snapshots: list[Snapshot]) -> None:
        super().__init__(clock)
        self.db = db
        self.snapshots = snapshots

    async def send(self, chat_id: str, message: Outbound) -> None:
        """Keep the state between the claim and its outcome, then record the send."""
        self.snapshots.append(await snapshot(self.db))
        await super().send(chat_id, message)


async def test_a_backup_taken_while_filing_and_sending_restores_to_one_moments_rows(
    app: App, db: Database, clock: FixedClock, ward: DemoWard, tmp_path: Path, target_url: str
) -> None:
    """The restored database holds exactly the rows the live one held at some moment of the work."""
    people = await bind_everyone(db, clock)
    for person_id, _ in people.values():
        await plan(db, clock, person_id)
    snapshots = [await snapshot(db)]
    channel = SnapshottingChannel(clock, db, snapshots)
    dispatcher = Dispatcher(db, clock, {"test": channel})
    secretary = Chat(app, people[ward.cells[0].secretary][1], "test")
    answers = ["/baocao"] + [
        a for key in ORDER for a in (ANSWERS[key] if key == "reasons" else (ANSWERS[key],))
    ]
    backup: asyncio.Task[Path] | None = None
    for step, answer in enumerate(answers):
        await secretary.say(str(answer))
        snapshots.append(await snapshot(db))
        await dispatcher.tick()
        snapshots.append(await snapshot(db))
        if step == 3:
            backup = asyncio.create_task(store.backup(db, tmp_path / "backups", clock.now(), 14))
    assert backup is not None
    path = await backup
    await secretary.say("Gửi")
    target = Database.from_url(target_url)
    await store.restore(path, target, force=False)
    restored = await snapshot(target)
    await target.dispose()
    assert len(channel.sent) > 1 and "Mã báo cáo" in secretary.text()
    assert restored in snapshots


async def test_backups_are_named_by_time_and_only_the_last_ones_kept(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    """Three backups with keep=2 leave the two newest, named by local date and time."""
    paths = []
    for _ in range(3):
        paths.append(await store.backup(db, tmp_path / "b", clock.now(), keep=2))
        clock.advance(timedelta(minutes=1))
    assert paths[0].name.startswith("chibo-20150910-0900")
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [paths[1].name, paths[2].name]


async def test_the_backup_command_prints_the_path_alone_last(
    db: Database, clock: FixedClock, ward: DemoWard, tmp_path: Path
) -> None:
    """`admin backup` ends with the file's path, so scripts can take the last line."""
    lines = await take_backup(db, clock, tmp_path / "b", 14)
    path = Path(lines[-1])
    assert await asyncio.to_thread(path.is_file) and path.parent == tmp_path / "b"


async def test_restore_refuses_a_target_holding_data_unless_forced(
    db: Database, clock: FixedClock, ward: DemoWard, tmp_path: Path
) -> None:
    """Restoring over a ward is refused; with force it replaces the data and counts each table."""
    path = await store.backup(db, tmp_path, clock.now(), 14)
    with pytest.raises(AdminError, match="đang có dữ liệu"):
        await restore_backup(db, path, force=False)
    lines = await restore_backup(db, path, force=True)
    assert "  members: 95" in lines and "  committees: 1" in lines


async def test_restore_refuses_a_corrupt_file(
    db: Database, clock: FixedClock, ward: DemoWard, tmp_path: Path, target_url: str
) -> None:
    """A damaged backup is refused before the target is touched."""
    path = await store.backup(db, tmp_path, clock.now(), 14)
    data = bytearray(path.read_bytes())
    # Past the header: SQLite's pages, or the dump's table of contents and data.
    data[len(data) // 3 :] = b"\x5a" * (len(data) - len(data) // 3)
    path.write_bytes(bytes(data))
    target = Database.from_url(target_url)
    try:
        with pytest.raises(AdminError, match="không phải bản sao lưu dùng được"):
            await restore_backup(target, path, force=False)
    finally:
        await target.dispose()


async def test_restore_refuses_a_file_that_is_no_backup(db: Database, tmp_path: Path) -> None:
    """A file of another kind is refused, saying it is no backup."""
    path = tmp_path / "chibo-20150910-090000.db"
    path.write_text("Họ và tên,Năm sinh\n")
    with pytest.raises(AdminError, match="không phải bản sao lưu dùng được"):
        await restore_backup(db, path, force=True)


async def test_restore_refuses_a_backup_of_a_newer_schema(
    db: Database, clock: FixedClock, tmp_path: Path, target_url: str
) -> None:
    """A backup whose schema revision this code does not know is refused, naming the revision."""
    # As if a later version of the bot had migrated past a head to a revision unknown here.
    head = max(code_heads())
    version = sa.table("alembic_version", sa.column("version_num"))
    async with db.begin() as conn:
        await conn.execute(version.update().where(version.c.version_num == head).values(version_num="0999"))
    try:
        path = await store.backup(db, tmp_path, clock.now(), 14)
    finally:
        async with db.begin() as conn:
            await conn.execute(
                version.update().where(version.c.version_num == "0999").values(version_num=head)
            )
    target = Database.from_url(target_url)
    try:
        with pytest.raises(AdminError, match=r"phiên bản mới hơn.*0999"):
            await restore_backup(target, path, force=False)
    finally:
        await target.dispose()


async def test_an_older_backup_is_migrated_up(clock: FixedClock, tmp_path: Path) -> None:
    """A backup made before the newest migrations is brought up to the code's schema."""
    old = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{old}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0007")
    engine.dispose()
    target = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/restored.db")
    await store.restore(old, target, force=False)
    async with target.begin() as conn:
        revisions = (await conn.exec_driver_sql("SELECT version_num FROM alembic_version")).scalars().all()
    await target.dispose()
    assert sorted(revisions) == sorted(code_heads())


async def test_a_sqlite_backup_is_not_restored_into_postgresql(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    """A backup restores into its own engine; the message points to migrate-data."""
    path = await store.backup(db, tmp_path, clock.now(), 14)
    other = "postgresql+asyncpg://chibo@127.0.0.1:1/chibo" if db.dialect == "sqlite" else None
    target = Database.from_url(other or f"sqlite+aiosqlite:///{tmp_path}/x.db")
    try:
        with pytest.raises(AdminError, match="migrate-data"):
            await restore_backup(target, path, force=False)
    finally:
        await target.dispose()


async def test_postgresql_without_pg_dump_says_what_to_install(
    clock: FixedClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no pg_dump on the PATH the backup names the package to install."""
    monkeypatch.setenv("PATH", str(tmp_path))
    database = Database.from_url("postgresql+asyncpg://chibo@127.0.0.1:1/chibo")
    try:
        with pytest.raises(AdminError, match=r"pg_dump.*postgresql-client"):
            await take_backup(database, clock, tmp_path / "b", 14)
    finally:
        await database.dispose()

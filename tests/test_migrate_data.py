"""Moving a ward's data to another database engine with `admin migrate-data`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from admin.commands import AdminError, load_demo, migrate_data
from domain.clock import FixedClock
from storage import accounts, org
from storage.db import Database


@pytest.fixture
async def source(tmp_path: Path, clock: FixedClock) -> str:
    """Return the URL of a SQLite ward with the demo data and an open invite."""
    url = f"sqlite+aiosqlite:///{tmp_path}/source.db"
    database = Database.from_url(url)
    await database.migrate()
    await load_demo(database, clock)
    async with database.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        await accounts.create_invite(
            conn,
            role="committee",
            committee_id=committee.id,
            cell_id=None,
            now=clock.now(),
            ttl=timedelta(days=7),
        )
    await database.dispose()
    return url


async def test_every_table_arrives_with_the_same_counts(source: str, database_url: str) -> None:
    """Each table reports equal row counts on both sides."""
    lines = await migrate_data(source, database_url)
    assert any("members: 95 → 95" in line for line in lines)
    assert not any("lệch" in line for line in lines)


async def test_new_rows_after_the_copy_get_fresh_ids(
    source: str, database_url: str, clock: FixedClock
) -> None:
    """Adding a person on the new database does not collide with copied ids."""
    await migrate_data(source, database_url)
    target = Database.from_url(database_url)
    async with target.begin() as conn:
        person_id = await accounts.create_person(conn, "Ngô Văn Mới", clock.now())
        people = await accounts.list_people(conn)
    await target.dispose()
    assert person_id > max(pid for pid, _ in people)


async def test_copying_twice_changes_nothing(source: str, database_url: str) -> None:
    """Running the copy again keeps one row per source row."""
    await migrate_data(source, database_url)
    assert not any("lệch" in line for line in await migrate_data(source, database_url))


async def test_a_target_with_other_data_is_refused(source: str, database_url: str, clock: FixedClock) -> None:
    """A target that already holds a different ward is refused before anything is copied."""
    target = Database.from_url(database_url)
    await target.migrate()
    async with target.begin() as conn:
        await org.create_committee(conn, "Đảng bộ phường khác", clock.now())
    await target.dispose()
    with pytest.raises(AdminError, match="đã có dữ liệu khác"):
        await migrate_data(source, database_url)

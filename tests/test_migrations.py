"""Migrations at start: a database at the code's heads is left as is, an older one is brought up."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from storage.db import SCHEMA_HEADS, Database, alembic_config


def test_the_schema_heads_are_those_of_the_migration_scripts() -> None:
    """The heads the start compares with are every branch's newest migration script."""
    assert frozenset(ScriptDirectory.from_config(alembic_config()).get_heads()) == SCHEMA_HEADS


async def test_a_database_left_at_an_older_revision_is_migrated_at_start(tmp_path: Path) -> None:
    """A database a few migrations behind gets the newest schema, with its data kept."""
    path = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0007")
        conn.exec_driver_sql(
            "INSERT INTO committees (name, settings, created_at) VALUES ('Phúc Lợi', '{}', '2015-01-01')"
        )
    engine.dispose()
    db = Database.from_url(f"sqlite+aiosqlite:///{path}")
    try:
        await db.migrate()
        assert await db.revisions() == SCHEMA_HEADS
        async with db.read() as conn:
            names = (await conn.exec_driver_sql("SELECT name FROM committees")).scalars().all()
    finally:
        await db.dispose()
    assert names == ["Phúc Lợi"]

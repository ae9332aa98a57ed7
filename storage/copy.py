"""Copy a whole database to another engine (SQLite → PostgreSQL), checking row counts."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database
from storage.sql import count_rows, insert_ignore_many
from storage.tables import load_all_tables

BATCH = 1000


@dataclass(frozen=True)
class TableCount:
    """How many rows a table has on each side after copying."""

    table: str
    source: int
    target: int

    @property
    def matches(self) -> bool:
        """Tell whether both sides hold the same number of rows."""
        return self.source == self.target


class TargetHasOtherData(Exception):
    """The target holds rows the source does not: copying would mix two databases."""

    def __init__(self, table: str) -> None:
        super().__init__(table)
        self.table = table


async def _check_target(src: AsyncConnection, dst: AsyncConnection, table: sa.Table) -> None:
    """Refuse a target table holding any row that the source lacks or holds differently."""
    key = list(table.primary_key.columns)
    for row in (await dst.execute(sa.select(table))).mappings():
        match = (
            (await src.execute(sa.select(table).where(*(c == row[c.name] for c in key)))).mappings().first()
        )
        if match != row:
            raise TargetHasOtherData(table.name)


async def copy_database(source: Database, target: Database) -> list[TableCount]:
    """Copy every row of every table, parents before children, into an empty (or identical) target."""
    metadata = load_all_tables()
    await source.migrate()
    await target.migrate()
    async with source.begin() as src, target.begin() as dst:
        for table in metadata.sorted_tables:
            await _check_target(src, dst, table)
        for table in metadata.sorted_tables:
            offset = 0
            order = list(table.primary_key.columns)
            while (
                rows := (await src.execute(sa.select(table).order_by(*order).offset(offset).limit(BATCH)))
                .mappings()
                .all()
            ):
                # Rows migrations seed on both sides (reference data) are already there.
                await insert_ignore_many(dst, table, [dict(row) for row in rows])
                offset += len(rows)
            await _reset_sequence(dst, table)
        return [
            TableCount(t.name, await count_rows(src, t), await count_rows(dst, t))
            for t in metadata.sorted_tables
        ]


async def _reset_sequence(conn: AsyncConnection, table: sa.Table) -> None:
    """Move a PostgreSQL id sequence past the copied ids, so new rows do not collide."""
    id_column = table.c.get("id")
    if conn.dialect.name != "postgresql" or id_column is None or not isinstance(id_column.type, sa.Integer):
        return
    last_id = sa.select(sa.func.max(id_column)).scalar_subquery()
    sequence = sa.func.pg_get_serial_sequence(table.name, "id")
    await conn.execute(sa.select(sa.func.setval(sequence, sa.func.coalesce(last_id, 0) + 1, False)))

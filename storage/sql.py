"""Portable statements that SQLAlchemy Core spells per dialect."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


async def insert_ignore(conn: AsyncConnection, table: sa.Table, values: dict[str, Any]) -> bool:
    """Insert a row unless one with the same unique key exists; tell whether it was inserted."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    result = await conn.execute(dialect.insert(table).values(**values).on_conflict_do_nothing())
    return result.rowcount == 1

"""Portable statements that SQLAlchemy Core spells per dialect."""

from __future__ import annotations

import functools
import json
from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


def inserted_id(result: sa.CursorResult[Any]) -> int:
    """Return the id of the row a single-row INSERT created."""
    key = result.inserted_primary_key
    if key is None:
        raise TypeError("not the result of a single-row INSERT")
    return int(key[0])


async def insert_ignore(conn: AsyncConnection, table: sa.Table, values: dict[str, Any]) -> bool:
    """Insert a row unless one with the same unique key exists; tell whether it was inserted."""
    result = await conn.execute(_ignoring(conn.dialect.name, table), values)
    return result.rowcount == 1


async def insert_ignore_many(conn: AsyncConnection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows, skipping those whose unique key already exists."""
    if rows:
        await conn.execute(_ignoring(conn.dialect.name, table), rows)


async def insert_new_many(conn: AsyncConnection, table: sa.Table, rows: list[dict[str, Any]]) -> int:
    """Insert many rows, skipping those whose unique key already exists; return how many were new."""
    if not rows:
        return 0
    # SQLAlchemy sends the rows as multi-row INSERTs; only the new rows return their key.
    result = await conn.execute(_ignoring_returning(conn.dialect.name, table), rows)
    return len(result.all())


async def count_rows(conn: AsyncConnection, table: sa.Table) -> int:
    """Count a table's rows."""
    return (await conn.execute(sa.select(sa.func.count()).select_from(table))).scalar_one()


async def upsert(conn: AsyncConnection, table: sa.Table, values: dict[str, Any]) -> None:
    """Insert a row, or replace every other column of the row with the same primary key."""
    await conn.execute(_replacing(conn.dialect.name, table), values)


async def rows_where(conn: AsyncConnection, table: sa.Table, **values: Any) -> sa.CursorResult[Any]:
    """Read the rows of a table whose named columns hold these values."""
    return await conn.execute(_selecting(table, *values), values)


async def delete_where(conn: AsyncConnection, table: sa.Table, **values: Any) -> None:
    """Delete the rows of a table whose named columns hold these values."""
    await conn.execute(_deleting(table, *values), values)


# The statements are built once per dialect and table, and the values bound at each call: building
# one costs more CPU than running it on SQLite, where that time is spent holding the process's
# writer lock, and some run on every update (claiming it, saving the conversation).
@functools.cache
def _ignoring(dialect_name: str, table: sa.Table) -> sa.Insert:
    """Build the INSERT that skips a row whose unique key already exists."""
    return _dialect(dialect_name).insert(table).on_conflict_do_nothing()


@functools.cache
def _ignoring_returning(dialect_name: str, table: sa.Table) -> sa.Insert:
    """Build the INSERT that skips a row whose unique key already exists and returns the new rows' keys."""
    return _ignoring(dialect_name, table).returning(*table.primary_key.columns)


@functools.cache
def _selecting(table: sa.Table, *names: str) -> sa.Select:
    """Build the SELECT of a table's rows whose named columns equal the values bound by those names."""
    return sa.select(table).where(*(table.c[name] == sa.bindparam(name) for name in names))


@functools.cache
def _deleting(table: sa.Table, *names: str) -> sa.Delete:
    """Build the DELETE of a table's rows whose named columns equal the values bound by those names."""
    return table.delete().where(*(table.c[name] == sa.bindparam(name) for name in names))


@functools.cache
def _replacing(dialect_name: str, table: sa.Table) -> sa.Insert:
    """Build the INSERT that replaces the row with the same primary key."""
    insert = _dialect(dialect_name).insert(table)
    keys = [column.name for column in table.primary_key]
    replaced = {c.name: insert.excluded[c.name] for c in table.columns if c.name not in keys}
    return insert.on_conflict_do_update(index_elements=keys, set_=replaced)


def _dialect(dialect_name: str) -> Any:
    """Return the SQLAlchemy dialect module whose INSERT knows ON CONFLICT."""
    return postgresql if dialect_name == "postgresql" else sqlite


def among(
    conn: AsyncConnection, column: sa.ColumnElement[int], ids: Collection[int]
) -> sa.ColumnElement[bool]:
    """Return the condition that a column holds one of many ids, passed as a single parameter."""
    dialect_name = conn.dialect.name
    bound = sa.bindparam(None, ids_value(dialect_name, ids), type_=_ids_type(dialect_name))
    return among_bound(dialect_name, column, bound)


def among_bound(
    dialect_name: str, column: sa.ColumnElement[int], ids: sa.BindParameter[Any]
) -> sa.ColumnElement[bool]:
    """Return the condition that a column holds one of the ids a parameter carries (see `ids_value`)."""
    # An IN list of 5,000 parameters costs PostgreSQL half a second to plan, and SQLAlchemy a tenth
    # of a second to expand on either engine; one array (PostgreSQL) or JSON list (SQLite) does not.
    if dialect_name == "postgresql":
        return column == sa.any_(ids)
    listed = sa.func.json_each(ids).table_valued("value")
    return column.in_(sa.select(listed.c.value))


def ids_param(dialect_name: str, name: str) -> sa.BindParameter[Any]:
    """Return a named parameter for `among_bound`, for a statement built once and bound at each call."""
    return sa.bindparam(name, type_=_ids_type(dialect_name))


def ids_value(dialect_name: str, ids: Collection[int]) -> list[int] | str:
    """Return many ids as the one value an `among_bound` parameter takes: an array or a JSON list."""
    return list(ids) if dialect_name == "postgresql" else json.dumps(list(ids))


def _ids_type(dialect_name: str) -> sa.types.TypeEngine[Any]:
    """Return the type of a parameter carrying many ids."""
    return postgresql.ARRAY(sa.Integer) if dialect_name == "postgresql" else sa.String()

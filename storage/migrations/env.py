"""Alembic environment: migrations run on the connection the application hands over."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from settings import Settings
from storage.db import Database
from storage.tables import load_all_tables, metadata
from storage.types import UtcDateTime

# Autogenerate compares against every table, and each storage module declares its own.
load_all_tables()


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render our UTC timestamp type as the plain column type it stores as."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection: Connection) -> None:
    """Run the migrations on one connection."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_item=_render_item,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_standalone() -> None:
    """Open the configured database and migrate it (the `alembic` command line)."""
    database = Database.from_url(Settings().database_url)
    async with database.engine.begin() as conn:
        await conn.run_sync(_run)
    await database.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    asyncio.run(_run_standalone())

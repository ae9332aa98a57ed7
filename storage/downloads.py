"""Files kept for download at unguessable links until they expire."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.tables import download_links


async def keep(
    conn: AsyncConnection, token: str, name: str, data: bytes, expires_at: datetime, now: datetime
) -> None:
    """Keep a file under a token until `expires_at`, dropping the files whose time is up."""
    await conn.execute(download_links.delete().where(download_links.c.expires_at <= now))
    await conn.execute(
        download_links.insert().values(
            token=token, name=name, data=data, expires_at=expires_at, created_at=now
        )
    )


async def find(conn: AsyncConnection, token: str, now: datetime) -> tuple[str, bytes] | None:
    """Return the name and bytes of a file whose link still lives."""
    row = (
        await conn.execute(
            sa.select(download_links.c.name, download_links.c.data).where(
                download_links.c.token == token, download_links.c.expires_at > now
            )
        )
    ).first()
    return None if row is None else (row.name, row.data)


async def count_live(conn: AsyncConnection, now: datetime) -> int:
    """Count the files whose links still live."""
    query = sa.select(sa.func.count()).select_from(download_links).where(download_links.c.expires_at > now)
    return int((await conn.execute(query)).scalar_one())

"""The web view's one-time login links and the sessions they open; only hashes of their tokens are kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.sql import inserted_id
from storage.tables import metadata
from storage.types import UtcDateTime

# Where the web view lives on the bot's web server, and where a one-time link logs its person in.
WEB_PREFIX = "/w"
LOGIN_PATH = f"{WEB_PREFIX}/login"
# A login link is opened at the desk a moment after it is asked for in chat.
LINK_MINUTES = 10

# What opening a link found: a live link, one already opened, one past its time, or none at all.
LIVE = "live"
OPENED = "opened"
USED = "used"
EXPIRED = "expired"
UNKNOWN = "unknown"


def _token_table(name: str, ended: str) -> sa.Table:
    """Define a table of tokens, each bound to a person and the account that asked for it."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("person_id", sa.ForeignKey("people.id"), nullable=False, index=True),
        sa.Column("account_id", sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False, index=True),
        sa.Column(ended, UtcDateTime()),
    )


web_links = _token_table("web_links", "used_at")
web_sessions = _token_table("web_sessions", "ended_at")


class Holder(NamedTuple):
    """Whom a link or a session belongs to."""

    id: int
    person_id: int
    account_id: int


class LinkOpening(NamedTuple):
    """What opening a login link found, and whose it is when it was live."""

    outcome: str
    holder: Holder | None


def token_hash(token: str) -> str:
    """Return the digest a token is stored and looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()


async def _issue(
    conn: AsyncConnection, table: sa.Table, person_id: int, account_id: int, now: datetime, ttl: timedelta
) -> tuple[str, int]:
    """Store a new random token's digest for a person; return the token and its row id."""
    token = secrets.token_urlsafe(32)
    result = await conn.execute(
        table.insert().values(
            token_hash=token_hash(token),
            person_id=person_id,
            account_id=account_id,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    return token, inserted_id(result)


async def create_link(
    conn: AsyncConnection, person_id: int, account_id: int, now: datetime, ttl: timedelta
) -> str:
    """Return a new one-time login link token for a person, forgetting links and sessions long over."""
    # Rows a day past their time tell nothing more: a link past its time still says «hết hạn» meanwhile.
    forgotten = now - timedelta(days=1)
    await conn.execute(web_links.delete().where(web_links.c.expires_at < forgotten))
    await conn.execute(web_sessions.delete().where(web_sessions.c.expires_at < forgotten))
    token, _ = await _issue(conn, web_links, person_id, account_id, now, ttl)
    return token


async def link_state(conn: AsyncConnection, token: str, now: datetime) -> str:
    """Tell whether a login link is live, used, expired or unknown, without using it."""
    row = (
        await conn.execute(
            sa.select(web_links.c.used_at, web_links.c.expires_at).where(
                web_links.c.token_hash == token_hash(token)
            )
        )
    ).first()
    if row is None:
        return UNKNOWN
    if row.used_at is not None:
        return USED
    return LIVE if row.expires_at > now else EXPIRED


async def open_link(conn: AsyncConnection, token: str, now: datetime) -> LinkOpening:
    """Use a login link once: the first opening while it lives wins, every later one finds it used."""
    digest = token_hash(token)
    claimed = await conn.execute(
        web_links.update()
        .where(web_links.c.token_hash == digest, web_links.c.used_at.is_(None), web_links.c.expires_at > now)
        .values(used_at=now)
    )
    row = (
        await conn.execute(
            sa.select(
                web_links.c.id, web_links.c.person_id, web_links.c.account_id, web_links.c.used_at
            ).where(web_links.c.token_hash == digest)
        )
    ).first()
    if row is None:
        return LinkOpening(UNKNOWN, None)
    if claimed.rowcount == 1:
        return LinkOpening(OPENED, Holder(row.id, row.person_id, row.account_id))
    return LinkOpening(USED if row.used_at is not None else EXPIRED, None)


async def create_session(
    conn: AsyncConnection, person_id: int, account_id: int, now: datetime, ttl: timedelta
) -> tuple[str, int]:
    """Open a session for a person; return its token (the cookie) and its id."""
    return await _issue(conn, web_sessions, person_id, account_id, now, ttl)


async def find_session(conn: AsyncConnection, token: str, now: datetime) -> Holder | None:
    """Return whose live session a token opens, or None when it is unknown, over or ended."""
    row = (
        await conn.execute(
            sa.select(web_sessions.c.id, web_sessions.c.person_id, web_sessions.c.account_id).where(
                web_sessions.c.token_hash == token_hash(token),
                web_sessions.c.expires_at > now,
                web_sessions.c.ended_at.is_(None),
            )
        )
    ).first()
    return None if row is None else Holder(row.id, row.person_id, row.account_id)


async def end_session(conn: AsyncConnection, session_id: int, now: datetime) -> None:
    """End one session."""
    await conn.execute(
        web_sessions.update()
        .where(web_sessions.c.id == session_id, web_sessions.c.ended_at.is_(None))
        .values(ended_at=now)
    )


async def end_sessions(conn: AsyncConnection, person_id: int, now: datetime) -> int:
    """End every live session of a person and the links not yet opened; return how many sessions ended."""
    await conn.execute(
        web_links.update()
        .where(
            web_links.c.person_id == person_id, web_links.c.used_at.is_(None), web_links.c.expires_at > now
        )
        .values(used_at=now)
    )
    result = await conn.execute(
        web_sessions.update()
        .where(
            web_sessions.c.person_id == person_id,
            web_sessions.c.ended_at.is_(None),
            web_sessions.c.expires_at > now,
        )
        .values(ended_at=now)
    )
    return result.rowcount

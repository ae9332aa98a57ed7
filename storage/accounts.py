"""People, their roles, their chat accounts, and the invite codes that bind them."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.identity import Identity, RoleGrant
from storage.conversations import Conversation
from storage.sql import among, inserted_id
from storage.tables import (
    accounts,
    cells,
    chat_menus,
    code_attempts,
    committees,
    conversations,
    invites,
    people,
    roles,
)

# No 0/O, 1/I/L: codes are read aloud and typed by hand on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


@dataclass(frozen=True)
class Invite:
    """An invite code and what it grants."""

    id: int
    code: str
    role: str
    committee_id: int
    cell_id: int | None
    full_name: str | None
    title: str | None
    member_id: int | None
    person_id: int | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True)
class AccountRef:
    """Where to reach a person: a channel and a chat there."""

    account_id: int
    channel: str
    chat_id: str


def new_code() -> str:
    """Return a fresh, unguessable invite code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """Return a typed code in canonical form (upper case, no spaces or dashes)."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def looks_like_code(text: str) -> bool:
    """Tell whether a bare message is plausibly an invite code."""
    code = normalize_code(text)
    return len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code) and " " not in text.strip()


def _invite(row: sa.Row) -> Invite:
    """Build an Invite from a row of the invites table."""
    return Invite(
        id=row.id,
        code=row.code,
        role=row.role,
        committee_id=row.committee_id,
        cell_id=row.cell_id,
        full_name=row.full_name,
        title=row.title,
        member_id=row.member_id,
        person_id=row.person_id,
        created_at=row.created_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
    )


async def create_invite(
    conn: AsyncConnection,
    *,
    role: str,
    committee_id: int,
    cell_id: int | None,
    now: datetime,
    ttl: timedelta,
    full_name: str | None = None,
    title: str | None = None,
    member_id: int | None = None,
    person_id: int | None = None,
    created_by: int | None = None,
) -> Invite:
    """Create a single-use invite code that expires after `ttl`."""
    code = new_code()
    expires_at = now + ttl
    result = await conn.execute(
        invites.insert().values(
            code=code,
            role=role,
            committee_id=committee_id,
            cell_id=cell_id,
            full_name=full_name,
            title=title,
            member_id=member_id,
            person_id=person_id,
            created_by=created_by,
            created_at=now,
            expires_at=expires_at,
        )
    )
    return Invite(
        inserted_id(result),
        code,
        role,
        committee_id,
        cell_id,
        full_name,
        title,
        member_id,
        person_id,
        now,
        expires_at,
        used_at=None,
    )


async def find_invite(conn: AsyncConnection, code: str) -> Invite | None:
    """Return the invite with that code, used or not."""
    row = (await conn.execute(sa.select(invites).where(invites.c.code == normalize_code(code)))).first()
    return None if row is None else _invite(row)


async def wrong_codes_since(
    conn: AsyncConnection, channel: str, chat_id: str, sender_id: str, since: datetime
) -> list[datetime]:
    """Return when this account or this chat typed a wrong code after `since`, oldest first."""
    query = (
        sa.select(code_attempts.c.at)
        .where(code_attempts.c.channel == channel, code_attempts.c.at > since)
        .where(sa.or_(code_attempts.c.sender_id == sender_id, code_attempts.c.chat_id == chat_id))
        .order_by(code_attempts.c.at)
    )
    return list((await conn.execute(query)).scalars())


async def record_wrong_code(
    conn: AsyncConnection, channel: str, chat_id: str, sender_id: str, now: datetime, keep: timedelta
) -> None:
    """Remember a wrong code, forgetting those older than `keep` on that channel."""
    await conn.execute(
        sa.delete(code_attempts).where(code_attempts.c.channel == channel, code_attempts.c.at < now - keep)
    )
    await conn.execute(
        sa.insert(code_attempts).values(channel=channel, chat_id=chat_id, sender_id=sender_id, at=now)
    )


async def list_invites(conn: AsyncConnection, committee_id: int | None = None) -> list[Invite]:
    """Return invites, newest first."""
    query = sa.select(invites).order_by(invites.c.created_at.desc(), invites.c.id.desc())
    if committee_id is not None:
        query = query.where(invites.c.committee_id == committee_id)
    return [_invite(r) for r in await conn.execute(query)]


async def mark_invite_used(conn: AsyncConnection, invite_id: int, account_id: int, now: datetime) -> bool:
    """Mark an invite used; return False when another account used it first."""
    result = await conn.execute(
        invites.update()
        .where(invites.c.id == invite_id, invites.c.used_at.is_(None))
        .values(used_at=now, used_by_account=account_id)
    )
    return result.rowcount == 1


async def create_person(
    conn: AsyncConnection, full_name: str, now: datetime, member_id: int | None = None
) -> int:
    """Create a person and return their id."""
    result = await conn.execute(
        people.insert().values(full_name=full_name, member_id=member_id, created_at=now)
    )
    return inserted_id(result)


async def grant_role(
    conn: AsyncConnection,
    person_id: int,
    role: str,
    committee_id: int,
    cell_id: int | None,
    now: datetime,
    title: str | None = None,
) -> None:
    """Give a person a role unless they already hold it."""
    existing = await conn.execute(
        sa.select(roles.c.id).where(
            roles.c.person_id == person_id,
            roles.c.role == role,
            roles.c.committee_id == committee_id,
            roles.c.cell_id.is_(None) if cell_id is None else roles.c.cell_id == cell_id,
        )
    )
    if existing.first() is None:
        await conn.execute(
            roles.insert().values(
                person_id=person_id,
                role=role,
                committee_id=committee_id,
                cell_id=cell_id,
                title=title,
                created_at=now,
            )
        )


async def bind_account(
    conn: AsyncConnection,
    person_id: int,
    channel: str,
    external_id: str,
    chat_id: str,
    display_name: str | None,
    now: datetime,
) -> int:
    """Attach a chat account to a person (moving it if it belonged to someone else)."""
    row = (
        await conn.execute(
            sa.select(accounts.c.id).where(
                accounts.c.channel == channel, accounts.c.external_id == external_id
            )
        )
    ).first()
    if row is not None:
        await conn.execute(
            accounts.update()
            .where(accounts.c.id == row.id)
            .values(person_id=person_id, chat_id=chat_id, display_name=display_name)
        )
        return row.id
    result = await conn.execute(
        accounts.insert().values(
            person_id=person_id,
            channel=channel,
            external_id=external_id,
            chat_id=chat_id,
            display_name=display_name,
            created_at=now,
        )
    )
    return inserted_id(result)


async def identify(conn: AsyncConnection, channel: str, external_id: str) -> Identity | None:
    """Return who speaks through this account, or None for an unknown account."""
    rows = (
        await conn.execute(
            sa.select(*_identity_columns())
            .select_from(_with_grants(_speaker()))
            .where(accounts.c.channel == channel, accounts.c.external_id == external_id)
            .order_by(roles.c.id)
        )
    ).all()
    return _identity(rows)


async def identify_account(conn: AsyncConnection, account_id: int) -> Identity | None:
    """Return who speaks through an account known by its id, or None when it is gone."""
    rows = (
        await conn.execute(
            sa.select(*_identity_columns())
            .select_from(_with_grants(_speaker()))
            .where(accounts.c.id == account_id)
            .order_by(roles.c.id)
        )
    ).all()
    return _identity(rows)


class ChatState(NamedTuple):
    """What routing an update needs: who speaks, the chat's open conversation, its last numbered menu."""

    identity: Identity | None
    conversation: Conversation | None
    menu: list[list[str]] | None


async def identify_in_chat(conn: AsyncConnection, channel: str, external_id: str, chat_id: str) -> ChatState:
    """Return who speaks through this account, the chat's open conversation and menu, in one statement.

    Every update needs them before it can be routed; one statement instead of four keeps the
    update's transaction (on SQLite, the process's one writer) short.
    """
    params = {"channel": channel, "external_id": external_id, "chat_id": chat_id}
    rows = (await conn.execute(_in_chat_query(), params)).all()
    first = rows[0]
    conversation = None if first.flow is None else Conversation(first.flow, first.step, first.state)
    return ChatState(_identity([r for r in rows if r.id is not None]), conversation, first.menu)


@functools.cache
def _in_chat_query() -> sa.Select:
    """Build, once, the statement of `identify_in_chat`; each call binds its own values."""
    # Building it costs more CPU than running it, and it runs on every update.
    # One row to outer-join both to, so an unknown account still gets its chat's conversation.
    anchor = sa.select(sa.literal(1).label("one")).subquery("anchor")
    channel = sa.bindparam("channel", type_=sa.String)
    speaks = sa.and_(accounts.c.channel == channel, accounts.c.external_id == sa.bindparam("external_id"))
    chat_id = sa.bindparam("chat_id", type_=sa.String)
    in_chat = sa.and_(conversations.c.channel == channel, conversations.c.chat_id == chat_id)
    menu_of_chat = sa.and_(chat_menus.c.channel == channel, chat_menus.c.chat_id == chat_id)
    state = (
        conversations.c.flow,
        conversations.c.step,
        conversations.c.state,
        chat_menus.c.options.label("menu"),
    )
    return (
        sa.select(*_identity_columns(), *state)
        .select_from(
            _with_grants(anchor.outerjoin(_speaker(), speaks))
            .outerjoin(conversations, in_chat)
            .outerjoin(chat_menus, menu_of_chat)
        )
        .order_by(roles.c.id)
    )


def _speaker() -> sa.Join:
    """Join an account to its person."""
    return accounts.join(people, people.c.id == accounts.c.person_id)


def _with_grants(speaker: sa.FromClause) -> sa.Join:
    """Outer-join a speaker's roles, each with its committee and cell: one row per role, or one without."""
    return (
        speaker.outerjoin(roles, roles.c.person_id == people.c.id)
        .outerjoin(committees, committees.c.id == roles.c.committee_id)
        .outerjoin(cells, cells.c.id == roles.c.cell_id)
    )


def _identity_columns() -> tuple[sa.ColumnElement, ...]:
    """Return the columns an Identity is built from, one row per role."""
    person = (accounts.c.id, people.c.id.label("person_id"), people.c.full_name, people.c.member_id)
    return (*person, *_grant_columns())


def _identity(rows: Sequence[sa.Row]) -> Identity | None:
    """Build an Identity from the rows of `_identity_columns`; None when there are none."""
    if not rows:
        return None
    first = rows[0]
    return Identity(
        person_id=first.person_id,
        account_id=first.id,
        full_name=first.full_name,
        member_id=first.member_id,
        grants=tuple(_grant(r) for r in rows if r.role is not None),
    )


def _grant_columns() -> tuple[sa.ColumnElement, ...]:
    """Return the columns a RoleGrant is built from."""
    return (
        roles.c.role,
        roles.c.committee_id,
        committees.c.name.label("committee_name"),
        roles.c.cell_id,
        cells.c.name.label("cell_name"),
        roles.c.title,
    )


def _grant(row: sa.Row) -> RoleGrant:
    """Build a RoleGrant from a row holding `_grant_columns`."""
    return RoleGrant(
        role=row.role,
        committee_id=row.committee_id,
        committee_name=row.committee_name,
        cell_id=row.cell_id,
        cell_name=row.cell_name,
        title=row.title,
    )


async def role_grants(conn: AsyncConnection, person_id: int) -> list[RoleGrant]:
    """Return a person's roles with committee and cell names."""
    rows = await conn.execute(
        sa.select(*_grant_columns())
        .join(committees, committees.c.id == roles.c.committee_id)
        .outerjoin(cells, cells.c.id == roles.c.cell_id)
        .where(roles.c.person_id == person_id)
        .order_by(roles.c.id)
    )
    return [_grant(r) for r in rows]


async def person_accounts(conn: AsyncConnection, person_id: int) -> list[AccountRef]:
    """Return a person's accounts, the preferred reminder channel first."""
    rows = await conn.execute(
        sa.select(accounts.c.id, accounts.c.channel, accounts.c.chat_id, people.c.reminder_channel)
        .join(people, people.c.id == accounts.c.person_id)
        .where(accounts.c.person_id == person_id)
        .order_by(accounts.c.id)
    )
    found = [
        (AccountRef(account_id=r.id, channel=r.channel, chat_id=r.chat_id), r.reminder_channel) for r in rows
    ]
    return [ref for ref, preferred in sorted(found, key=lambda pair: pair[0].channel != pair[1])]


async def committee_people(conn: AsyncConnection, committee_id: int) -> list[tuple[int, str]]:
    """Return (person id, name) of everyone holding the committee role."""
    rows = await conn.execute(_committee_people_query(), {"committee_id": committee_id})
    return [(r.id, r.full_name) for r in rows]


@functools.cache
def _committee_people_query() -> sa.Select:
    """Build, once, the statement of `committee_people`: every filed report reads it."""
    return (
        sa.select(people.c.id, people.c.full_name)
        .join(roles, roles.c.person_id == people.c.id)
        .where(roles.c.role == "committee", roles.c.committee_id == sa.bindparam("committee_id"))
        .distinct()
        .order_by(people.c.full_name)
    )


async def cell_leaders(conn: AsyncConnection, cell_id: int) -> list[tuple[int, str, str]]:
    """Return (person id, name, role) of a cell's secretary and deputies."""
    return (await leaders_of_cells(conn, [cell_id]))[cell_id]


async def leaders_of_cells(
    conn: AsyncConnection, cell_ids: Sequence[int]
) -> dict[int, list[tuple[int, str, str]]]:
    """Return (person id, name, role) of the secretaries and deputies of several cells, in one query."""
    found: dict[int, list[tuple[int, str, str]]] = {cell_id: [] for cell_id in cell_ids}
    rows = await conn.execute(
        sa.select(roles.c.cell_id, people.c.id, people.c.full_name, roles.c.role)
        .join(roles, roles.c.person_id == people.c.id)
        .where(among(conn, roles.c.cell_id, found), roles.c.role.in_(("secretary", "deputy")))
        .order_by(roles.c.role.desc(), people.c.full_name)
    )
    for r in rows:
        found[r.cell_id].append((r.id, r.full_name, r.role))
    return found


async def list_people(conn: AsyncConnection) -> list[tuple[int, str]]:
    """Return every person who holds a role, by name."""
    rows = await conn.execute(
        sa.select(people.c.id, people.c.full_name)
        .where(sa.exists().where(roles.c.person_id == people.c.id))
        .order_by(people.c.id)
    )
    return [(r.id, r.full_name) for r in rows]

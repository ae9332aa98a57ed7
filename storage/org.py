"""Committees, cells, members and yearly themes."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.collation import vietnamese_key
from storage.sql import among_bound, ids_param, ids_value, inserted_id, rows_where
from storage.tables import cells, committees, members, roles, year_themes


@dataclass(frozen=True)
class Committee:
    """A ward party committee (Đảng ủy) and its settings."""

    id: int
    name: str
    settings: dict


class Cell(NamedTuple):
    """A party cell (chi bộ)."""

    id: int
    committee_id: int
    name: str
    kind: str


class Member(NamedTuple):
    """A party member on a cell's roster."""

    # A NamedTuple, built in C from a row: a province's export reads 200,000 members.
    id: int
    cell_id: int
    full_name: str
    birth_year: int | None
    status: str
    excused: bool
    joined_on: date | None
    left_on: date | None


@dataclass(frozen=True)
class NewMember:
    """A roster row to add."""

    full_name: str
    birth_year: int | None
    status: str
    excused: bool
    joined_on: date | None
    gender: str | None = None


@dataclass(frozen=True)
class YearTheme:
    """The directive, theme and pledge wording of one year."""

    year: int
    directive: str
    theme: str
    wording: str


# A Member's fields in its order, so that a row builds one directly (Member(*row)): a province's
# export reads 200,000 of them.
_MEMBER_COLUMNS = [
    members.c[name]
    for name in ("id", "cell_id", "full_name", "birth_year", "status", "excused", "joined_on", "left_on")
]


async def create_committee(conn: AsyncConnection, name: str, now: datetime) -> Committee:
    """Create a committee, or return the existing one of that name."""
    existing = await find_committee(conn, name)
    if existing is not None:
        return existing
    result = await conn.execute(committees.insert().values(name=name, settings={}, created_at=now))
    return Committee(id=inserted_id(result), name=name, settings={})


async def find_committee(conn: AsyncConnection, name: str) -> Committee | None:
    """Return the committee of that exact name."""
    row = (await rows_where(conn, committees, name=name)).first()
    return None if row is None else Committee(id=row.id, name=row.name, settings=row.settings)


async def get_committee(conn: AsyncConnection, committee_id: int) -> Committee:
    """Return a committee by id."""
    row = (await rows_where(conn, committees, id=committee_id)).one()
    return Committee(id=row.id, name=row.name, settings=row.settings)


async def committee_settings_of_people(conn: AsyncConnection, person_ids: Sequence[int]) -> dict[int, dict]:
    """Return, per person, the settings of the committee of their first role (none: left out)."""
    if not person_ids:
        return {}
    dialect_name = conn.dialect.name
    params = {"person_ids": ids_value(dialect_name, person_ids)}
    rows = await conn.execute(_committee_settings_query(dialect_name), params)
    # Later roles come first, so each person ends with their first one.
    return {r.person_id: r.settings or {} for r in rows}


@functools.cache
def _committee_settings_query(dialect_name: str) -> sa.Select:
    """Build, once, the statement of `committee_settings_of_people`: the dispatcher reads it per reminder."""
    return (
        sa.select(roles.c.person_id, committees.c.settings)
        .join(committees, committees.c.id == roles.c.committee_id)
        .where(among_bound(dialect_name, roles.c.person_id, ids_param(dialect_name, "person_ids")))
        .order_by(roles.c.id.desc())
    )


async def list_committees(conn: AsyncConnection) -> list[Committee]:
    """Return every committee by name."""
    rows = await conn.execute(sa.select(committees).order_by(committees.c.name))
    return [Committee(id=r.id, name=r.name, settings=r.settings) for r in rows]


async def update_committee_settings(conn: AsyncConnection, committee_id: int, changes: dict) -> None:
    """Merge `changes` into a committee's settings."""
    committee = await get_committee(conn, committee_id)
    await conn.execute(
        committees.update()
        .where(committees.c.id == committee_id)
        .values(settings={**committee.settings, **changes})
    )


async def create_cell(conn: AsyncConnection, committee_id: int, name: str, kind: str, now: datetime) -> Cell:
    """Create a cell in a committee, or return the existing one of that name."""
    existing = await find_cell(conn, committee_id, name)
    if existing is not None:
        return existing
    result = await conn.execute(
        cells.insert().values(committee_id=committee_id, name=name, kind=kind, created_at=now)
    )
    return Cell(id=inserted_id(result), committee_id=committee_id, name=name, kind=kind)


async def find_cell(conn: AsyncConnection, committee_id: int | None, name: str) -> Cell | None:
    """Return the cell of that name, within one committee when given."""
    query = sa.select(cells).where(cells.c.name == name)
    if committee_id is not None:
        query = query.where(cells.c.committee_id == committee_id)
    rows = (await conn.execute(query)).all()
    if len(rows) != 1:
        return None
    row = rows[0]
    return Cell(id=row.id, committee_id=row.committee_id, name=row.name, kind=row.kind)


async def get_cell(conn: AsyncConnection, cell_id: int) -> Cell:
    """Return a cell by id."""
    row = (await rows_where(conn, cells, id=cell_id)).one()
    return Cell(id=row.id, committee_id=row.committee_id, name=row.name, kind=row.kind)


async def list_cells(conn: AsyncConnection, committee_id: int | None = None) -> list[Cell]:
    """Return the cells, of one committee when given, by name."""
    query = sa.select(cells.c.id, cells.c.committee_id, cells.c.name, cells.c.kind).order_by(
        cells.c.committee_id, cells.c.name
    )
    if committee_id is not None:
        query = query.where(cells.c.committee_id == committee_id)
    return [Cell._make(r) for r in await conn.execute(query)]


async def add_members(conn: AsyncConnection, cell_id: int, rows: list[NewMember], now: datetime) -> list[int]:
    """Add roster rows to a cell and return their ids."""
    ids = []
    for row in rows:
        result = await conn.execute(
            members.insert().values(
                cell_id=cell_id,
                full_name=row.full_name,
                birth_year=row.birth_year,
                gender=row.gender,
                status=row.status,
                excused=row.excused,
                joined_on=row.joined_on,
                created_at=now,
            )
        )
        ids.append(inserted_id(result))
    return ids


async def list_members(conn: AsyncConnection, cell_id: int, *, on: date | None = None) -> list[Member]:
    """Return a cell's current roster (or the roster on a day: joined by then, not yet left), by name."""
    return (await rosters(conn, [cell_id], on=on))[cell_id]


async def members_named(conn: AsyncConnection, cell_id: int, full_name: str) -> list[Member]:
    """Return the members on a cell's current roster with that name, case and spacing aside."""
    wanted = " ".join(full_name.split()).casefold()
    return [
        m for m in await list_members(conn, cell_id) if " ".join(m.full_name.split()).casefold() == wanted
    ]


async def count_moved_out(conn: AsyncConnection, cell_id: int) -> int:
    """Return how many members have moved out of a cell."""
    query = sa.select(sa.func.count()).where(members.c.cell_id == cell_id, members.c.left_on.is_not(None))
    return int((await conn.execute(query)).scalar_one())


async def rosters(
    conn: AsyncConnection, cell_ids: Sequence[int], *, on: date | None = None
) -> dict[int, list[Member]]:
    """Return several cells' current rosters (or their rosters on a day) in Vietnamese order, one query."""
    found: dict[int, list[Member]] = {cell_id: [] for cell_id in cell_ids}
    dialect_name = conn.dialect.name
    params = {"cell_ids": ids_value(dialect_name, found), **({} if on is None else {"on": on})}
    for row in await conn.execute(_roster_query(dialect_name, dated=on is not None), params):
        member = Member(*row)
        found[member.cell_id].append(member)
    # Sorted here, not by the database's collation, so every engine numbers a roster the same way.
    for roster in found.values():
        roster.sort(key=lambda m: (vietnamese_key(m.full_name), m.id))
    return found


@functools.cache
def _roster_query(dialect_name: str, *, dated: bool) -> sa.Select:
    """Build, once, the statement of `rosters`; each call binds its cells and day."""
    # Building it cost more CPU than running it, and the report form reads a roster on most steps.
    query = sa.select(*_MEMBER_COLUMNS).where(
        among_bound(dialect_name, members.c.cell_id, ids_param(dialect_name, "cell_ids"))
    )
    if not dated:
        return query.where(members.c.left_on.is_(None))
    on = sa.bindparam("on", type_=members.c.joined_on.type)
    return query.where(
        sa.or_(members.c.joined_on.is_(None), members.c.joined_on <= on),
        sa.or_(members.c.left_on.is_(None), members.c.left_on > on),
    )


async def get_member(conn: AsyncConnection, member_id: int) -> Member:
    """Return a member by id."""
    row = (await conn.execute(sa.select(*_MEMBER_COLUMNS).where(members.c.id == member_id))).one()
    return Member(*row)


async def set_year_theme(conn: AsyncConnection, committee_id: int, theme: YearTheme) -> None:
    """Store (or replace) a year's directive, theme and wording."""
    await conn.execute(
        year_themes.delete().where(
            year_themes.c.committee_id == committee_id, year_themes.c.year == theme.year
        )
    )
    await conn.execute(
        year_themes.insert().values(
            committee_id=committee_id,
            year=theme.year,
            directive=theme.directive,
            theme=theme.theme,
            wording=theme.wording,
        )
    )


async def get_year_theme(conn: AsyncConnection, committee_id: int, year: int) -> YearTheme | None:
    """Return a year's directive, theme and wording, if set."""
    row = (await rows_where(conn, year_themes, committee_id=committee_id, year=year)).first()
    if row is None:
        return None
    return YearTheme(year=row.year, directive=row.directive, theme=row.theme, wording=row.wording)

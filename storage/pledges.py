"""Pledges (bản đăng ký học tập và làm theo): items, progress updates, reviews, ranking scales."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.digest import PledgeFigures
from domain.pledges import DONE, FINAL_STATUSES, NOT_STARTED, is_overdue, is_stale
from storage import org
from storage.sql import among, inserted_id
from storage.tables import cells, members, metadata
from storage.types import UtcDateTime

pledges = sa.Table(
    "pledges",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("member_id", sa.ForeignKey("members.id"), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("created_by", sa.ForeignKey("people.id")),
    sa.UniqueConstraint("member_id", "year", name="uq_pledges_member_year"),
)

pledge_items = sa.Table(
    "pledge_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("pledge_id", sa.ForeignKey("pledges.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("duty", sa.Text, nullable=False),
    sa.Column("indicator", sa.Text),
    sa.Column("deadline", sa.Date),
    sa.Column("milestones", sa.Text),
    sa.Column("evidence", sa.Text),
    sa.Column("vague", sa.Boolean, nullable=False),
    sa.Column("problems", sa.JSON, nullable=False),
    sa.Column("created_on", sa.Date, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("created_by", sa.ForeignKey("people.id")),
    sa.Column("on_behalf", sa.Boolean, nullable=False),
    # The latest update's status, day and note, kept here so that reading a province's items joins nothing.
    sa.Column("status", sa.String(20), nullable=False, server_default=NOT_STARTED),
    sa.Column("status_on", sa.Date),
    sa.Column("status_note", sa.Text),
    # The digest's pledge figures read only these columns (migration 0008).
    sa.Index("ix_pledge_items_pledge_id_figures", "pledge_id", "status", "deadline", "vague"),
)

pledge_updates = sa.Table(
    "pledge_updates",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("item_id", sa.ForeignKey("pledge_items.id"), nullable=False, index=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("evidence_text", sa.Text),
    sa.Column("evidence_kind", sa.String(20)),
    sa.Column("evidence_ref", sa.Text),
    sa.Column("evidence_name", sa.String(300)),
    sa.Column("updated_on", sa.Date, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("created_by", sa.ForeignKey("people.id")),
)

member_reviews = sa.Table(
    "member_reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("member_id", sa.ForeignKey("members.id"), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("assessment", sa.Text, nullable=False),
    sa.Column("ranking", sa.String(200)),
    sa.Column("reviewed_on", sa.Date, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("created_by", sa.ForeignKey("people.id")),
    sa.UniqueConstraint("member_id", "year", "kind", name="uq_member_reviews_member_year_kind"),
)

ranking_levels = sa.Table(
    "ranking_levels",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("from_year", sa.Integer, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("label", sa.String(200), nullable=False),
    sa.UniqueConstraint("from_year", "position", name="uq_ranking_levels_from_year_position"),
)


@dataclass(frozen=True)
class NewItem:
    """A pledge item as the member registers it."""

    action: str
    duty: str
    indicator: str | None
    deadline: date | None
    milestones: str | None
    evidence: str | None


class Item(NamedTuple):
    """A registered pledge item with its latest progress."""

    # A NamedTuple, built in C from a row: a province's export reads a quarter of a million items.
    id: int
    member_id: int
    year: int
    position: int
    action: str
    duty: str
    indicator: str | None
    deadline: date | None
    milestones: str | None
    evidence: str | None
    vague: bool
    created_on: date
    status: str
    updated_on: date | None
    note: str | None

    @property
    def last_activity(self) -> date:
        """Return the day of the latest update, or of registration when none."""
        return self.updated_on or self.created_on


@dataclass(frozen=True)
class Review:
    """A member's mid-year or year-end review."""

    member_id: int
    year: int
    kind: str
    assessment: str
    ranking: str | None
    reviewed_on: date


@dataclass(frozen=True)
class PledgeGaps:
    """What a cell's pledges lack for one year, as an inspector would list it."""

    members_without_pledge: list[str]
    members_with_vague_items: list[str]
    stale_items: int
    overdue_items: int


async def add_item(
    conn: AsyncConnection,
    *,
    member_id: int,
    year: int,
    item: NewItem,
    problems: Iterable[str],
    today: date,
    now: datetime,
    person_id: int | None,
    on_behalf: bool,
) -> int:
    """Add an item to a member's pledge of the year, opening the pledge if needed."""
    pledge_id = await _pledge_id(conn, member_id, year)
    if pledge_id is None:
        result = await conn.execute(
            pledges.insert().values(member_id=member_id, year=year, created_at=now, created_by=person_id)
        )
        pledge_id = inserted_id(result)
    count = (
        await conn.execute(
            sa.select(sa.func.count()).select_from(pledge_items).where(pledge_items.c.pledge_id == pledge_id)
        )
    ).scalar_one()
    problems = list(problems)
    result = await conn.execute(
        pledge_items.insert().values(
            pledge_id=pledge_id,
            position=count + 1,
            action=item.action,
            duty=item.duty,
            indicator=item.indicator,
            deadline=item.deadline,
            milestones=item.milestones,
            evidence=item.evidence,
            vague=bool(problems),
            problems=problems,
            created_on=today,
            created_at=now,
            created_by=person_id,
            on_behalf=on_behalf,
        )
    )
    return inserted_id(result)


async def _pledge_id(conn: AsyncConnection, member_id: int, year: int) -> int | None:
    """Return the id of a member's pledge of the year, if registered."""
    query = sa.select(pledges.c.id).where(pledges.c.member_id == member_id, pledges.c.year == year)
    return (await conn.execute(query)).scalar_one_or_none()


async def items_by_member(
    conn: AsyncConnection, member_ids: Iterable[int], year: int
) -> dict[int, list[Item]]:
    """Return the pledge items of the year of several members, each with its latest progress."""
    found: dict[int, list[Item]] = {member_id: [] for member_id in member_ids}
    if found:
        await _collect_items(conn, pledges.c.member_id.in_(found), year, found)
    return found


async def items_of_cells(conn: AsyncConnection, cell_ids: Sequence[int], year: int) -> dict[int, list[Item]]:
    """Return the pledge items of the year of every member of several cells, keyed by member."""
    found: dict[int, list[Item]] = defaultdict(list)
    in_cells = pledges.c.member_id.in_(
        sa.select(members.c.id).where(among(conn, members.c.cell_id, cell_ids))
    )
    await _collect_items(conn, in_cells, year, found)
    return found


class Evidence(NamedTuple):
    """Evidence given with one progress update of an item: a description, a photo or a file."""

    item_id: int
    updated_on: date
    kind: str
    text: str | None
    name: str | None


async def evidence_of_cells(
    conn: AsyncConnection, cell_ids: Sequence[int], year: int
) -> dict[int, list[Evidence]]:
    """Return the evidence given in the progress updates of the year's items of several cells, by item."""
    found: dict[int, list[Evidence]] = defaultdict(list)
    in_cells = pledges.c.member_id.in_(
        sa.select(members.c.id).where(among(conn, members.c.cell_id, cell_ids))
    )
    rows = await conn.execute(
        sa.select(
            pledge_updates.c.item_id,
            pledge_updates.c.updated_on,
            pledge_updates.c.evidence_kind,
            pledge_updates.c.evidence_text,
            pledge_updates.c.evidence_name,
        )
        .join(pledge_items, pledge_items.c.id == pledge_updates.c.item_id)
        .join(pledges, pledges.c.id == pledge_items.c.pledge_id)
        .where(in_cells, pledges.c.year == year, pledge_updates.c.evidence_kind.is_not(None))
        .order_by(pledge_updates.c.item_id, pledge_updates.c.updated_on, pledge_updates.c.id)
    )
    for row in rows:
        found[row.item_id].append(Evidence(*row))
    return found


# An Item's fields in its order, so that a row builds one directly: a province's export reads a
# quarter of a million of them.
_ITEM_COLUMNS = [
    pledge_items.c.id,
    pledges.c.member_id,
    pledges.c.year,
    *(
        pledge_items.c[name]
        for name in (
            "position",
            "action",
            "duty",
            "indicator",
            "deadline",
            "milestones",
            "evidence",
            "vague",
            "created_on",
            "status",
            "status_on",
            "status_note",
        )
    ),
]


async def _collect_items(
    conn: AsyncConnection, which: sa.ColumnElement[bool], year: int, found: dict[int, list[Item]]
) -> None:
    """Append the year's items of the pledges a condition picks to their members' lists, by position."""
    rows = await conn.execute(
        sa.select(*_ITEM_COLUMNS)
        .join(pledges, pledges.c.id == pledge_items.c.pledge_id)
        .where(which, pledges.c.year == year)
        .order_by(pledges.c.member_id, pledge_items.c.position)
    )
    for row in rows:
        item = Item(*row)
        found[item.member_id].append(item)


def _integer_sum(column: sa.ColumnElement[int]) -> sa.ColumnElement[int]:
    """Sum a count over a cell's members as an integer (PostgreSQL's sum of counts is numeric)."""
    return sa.cast(sa.func.coalesce(sa.func.sum(column), 0), sa.Integer)


async def figures_of_cells(
    conn: AsyncConnection, cell_ids: Sequence[int], year: int, today: date
) -> dict[int, PledgeFigures]:
    """Count each cell's current members by pledge coverage and their items done and overdue, in one query.

    The rules are domain.pledges.standing's, counted by the database so that a province's items never
    cross to Python one by one; a test holds the two to the same answers.
    """
    status, pledge_id = pledge_items.c.status, pledge_items.c.pledge_id
    overdue = sa.and_(pledge_items.c.deadline < today, status.not_in(FINAL_STATUSES))
    done_count = sa.func.count(sa.case((status == DONE, 1)))
    overdue_count = sa.func.count(sa.case((overdue, 1)))
    roster = members.outerjoin(pledges, sa.and_(pledges.c.member_id == members.c.id, pledges.c.year == year))
    current = sa.and_(among(conn, members.c.cell_id, cell_ids), members.c.left_on.is_(None))
    if conn.dialect.name == "postgresql":
        # PostgreSQL sorts a province's 260,000 joined rows for each count(DISTINCT …) (0.28 s); each
        # pledge's items counted first leave one row per member and plain counts (0.20 s).
        per_pledge = (
            sa.select(
                pledge_id,
                sa.func.count().label("item_count"),
                sa.func.bool_or(pledge_items.c.vague).label("vague"),
                done_count.label("done"),
                overdue_count.label("overdue"),
            )
            .join(pledges, sa.and_(pledges.c.id == pledge_id, pledges.c.year == year))
            .group_by(pledge_id)
            .subquery()
        )
        statement = (
            sa.select(
                members.c.cell_id,
                sa.func.count().label("roster"),
                sa.func.count(per_pledge.c.pledge_id).label("pledged"),
                sa.func.count(sa.case((per_pledge.c.vague, 1))).label("vague"),
                _integer_sum(per_pledge.c.item_count).label("items"),
                _integer_sum(per_pledge.c.done).label("done"),
                _integer_sum(per_pledge.c.overdue).label("overdue"),
            )
            .select_from(roster.outerjoin(per_pledge, per_pledge.c.pledge_id == pledges.c.id))
            .where(current)
            .group_by(members.c.cell_id)
        )
    else:
        # SQLite counts the distinct values in b-trees as it walks the roster's indexes (0.19 s); a
        # grouped subquery would be materialised first (0.33 s). A member holds one pledge a year, so
        # the pledges with items are the members with items, and those with a vague one the vague members.
        statement = (
            sa.select(
                members.c.cell_id,
                sa.func.count(sa.distinct(members.c.id)).label("roster"),
                sa.func.count(sa.distinct(pledge_id)).label("pledged"),
                sa.func.count(sa.distinct(sa.case((pledge_items.c.vague, pledge_id)))).label("vague"),
                sa.func.count(pledge_id).label("items"),
                done_count.label("done"),
                overdue_count.label("overdue"),
            )
            .select_from(roster.outerjoin(pledge_items, pledge_id == pledges.c.id))
            .where(current)
            .group_by(members.c.cell_id)
        )
    found = dict.fromkeys(cell_ids, PledgeFigures(0, 0, 0, 0, 0, 0))
    for r in await conn.execute(statement):
        found[r.cell_id] = PledgeFigures(
            specific=r.pledged - r.vague,
            vague=r.vague,
            none=r.roster - r.pledged,
            items=r.items,
            done=r.done,
            overdue=r.overdue,
        )
    return found


async def member_items(conn: AsyncConnection, member_id: int, year: int) -> list[Item]:
    """Return one member's pledge items of the year."""
    return (await items_by_member(conn, [member_id], year))[member_id]


async def add_update(
    conn: AsyncConnection,
    *,
    item_id: int,
    status: str,
    note: str | None,
    evidence_text: str | None,
    evidence_kind: str | None,
    evidence_ref: str | None,
    evidence_name: str | None,
    today: date,
    now: datetime,
    person_id: int | None,
) -> int:
    """Record the progress of an item."""
    result = await conn.execute(
        pledge_updates.insert().values(
            item_id=item_id,
            status=status,
            note=note,
            evidence_text=evidence_text,
            evidence_kind=evidence_kind,
            evidence_ref=evidence_ref,
            evidence_name=evidence_name,
            updated_on=today,
            created_at=now,
            created_by=person_id,
        )
    )
    # An update dated before the item's latest one (a late entry) does not change where the item stands.
    await conn.execute(
        pledge_items.update()
        .where(
            pledge_items.c.id == item_id,
            sa.or_(pledge_items.c.status_on.is_(None), pledge_items.c.status_on <= today),
        )
        .values(status=status, status_on=today, status_note=note)
    )
    return inserted_id(result)


async def record_review(
    conn: AsyncConnection,
    *,
    member_id: int,
    year: int,
    kind: str,
    assessment: str,
    ranking: str | None,
    today: date,
    now: datetime,
    person_id: int | None,
) -> None:
    """Record (or replace) a member's review of one kind for a year."""
    await conn.execute(
        member_reviews.delete().where(
            member_reviews.c.member_id == member_id,
            member_reviews.c.year == year,
            member_reviews.c.kind == kind,
        )
    )
    await conn.execute(
        member_reviews.insert().values(
            member_id=member_id,
            year=year,
            kind=kind,
            assessment=assessment,
            ranking=ranking,
            reviewed_on=today,
            created_at=now,
            created_by=person_id,
        )
    )


def _review(row: sa.Row) -> Review:
    """Build a Review from a row."""
    return Review(
        member_id=row.member_id,
        year=row.year,
        kind=row.kind,
        assessment=row.assessment,
        ranking=row.ranking,
        reviewed_on=row.reviewed_on,
    )


async def reviews_by_member(
    conn: AsyncConnection, member_ids: Iterable[int], year: int, kind: str
) -> dict[int, Review]:
    """Return the reviews of one kind and year of several members."""
    ids = list(member_ids)
    return await _reviews(conn, member_reviews.c.member_id.in_(ids), year, kind) if ids else {}


async def reviews_of_cells(
    conn: AsyncConnection, cell_ids: Sequence[int], year: int, kind: str
) -> dict[int, Review]:
    """Return the reviews of one kind and year of every member of several cells, keyed by member."""
    in_cells = member_reviews.c.member_id.in_(
        sa.select(members.c.id).where(among(conn, members.c.cell_id, cell_ids))
    )
    return await _reviews(conn, in_cells, year, kind)


async def _reviews(
    conn: AsyncConnection, which: sa.ColumnElement[bool], year: int, kind: str
) -> dict[int, Review]:
    """Return the reviews of one kind and year that a condition picks, keyed by member."""
    rows = await conn.execute(
        sa.select(member_reviews).where(which, member_reviews.c.year == year, member_reviews.c.kind == kind)
    )
    return {row.member_id: _review(row) for row in rows}


async def last_review(conn: AsyncConnection, member_id: int) -> Review | None:
    """Return a member's most recent review of any kind."""
    row = (
        await conn.execute(
            sa.select(member_reviews)
            .where(member_reviews.c.member_id == member_id)
            .order_by(member_reviews.c.reviewed_on.desc(), member_reviews.c.id.desc())
            .limit(1)
        )
    ).first()
    return None if row is None else _review(row)


async def ranking_scale(conn: AsyncConnection, year: int) -> list[str]:
    """Return the ranking levels in force in a year, best first."""
    starts = sa.select(sa.func.max(ranking_levels.c.from_year)).where(ranking_levels.c.from_year <= year)
    start = (await conn.execute(starts)).scalar_one_or_none()
    if start is None:
        start = (await conn.execute(sa.select(sa.func.min(ranking_levels.c.from_year)))).scalar_one_or_none()
    rows = await conn.execute(
        sa.select(ranking_levels.c.label)
        .where(ranking_levels.c.from_year == start)
        .order_by(ranking_levels.c.position)
    )
    return [row.label for row in rows]


async def pledge_gaps_of_cells(
    conn: AsyncConnection, cell_ids: Sequence[int], year: int, today: date
) -> dict[int, PledgeGaps]:
    """Return what several cells' pledges of the year lack: missing, vague, stale and overdue."""
    items = await items_of_cells(conn, cell_ids, year)
    found = {}
    for cell_id, roster in (await org.rosters(conn, cell_ids)).items():
        every_item = [item for m in roster for item in items.get(m.id, ())]
        found[cell_id] = PledgeGaps(
            members_without_pledge=[m.full_name for m in roster if not items.get(m.id)],
            members_with_vague_items=[
                m.full_name for m in roster if any(i.vague for i in items.get(m.id, ()))
            ],
            stale_items=sum(1 for i in every_item if is_stale(i.last_activity, i.status, today)),
            overdue_items=sum(1 for i in every_item if is_overdue(i.deadline, i.status, today)),
        )
    return found


async def pledge_gaps(conn: AsyncConnection, cell_id: int, year: int, today: date) -> PledgeGaps:
    """Return what a cell's pledges of the year lack: missing, vague, stale and overdue."""
    return (await pledge_gaps_of_cells(conn, [cell_id], year, today))[cell_id]


async def cells_missing_review(conn: AsyncConnection, committee_id: int, year: int, review: str) -> list[int]:
    """Return the ids of a committee's cells with current members lacking that review."""
    reviewed = sa.select(member_reviews.c.member_id).where(
        member_reviews.c.year == year, member_reviews.c.kind == review
    )
    query = (
        sa.select(cells.c.id)
        .join(members, members.c.cell_id == cells.c.id)
        .where(
            cells.c.committee_id == committee_id,
            members.c.left_on.is_(None),
            members.c.id.not_in(reviewed),
        )
        .distinct()
        .order_by(cells.c.id)
    )
    return list((await conn.execute(query)).scalars())

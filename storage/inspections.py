"""Inspections of cells: the plan, the cell's self-inspection report, the conclusion, remedial tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.sql import inserted_id
from storage.tables import cells, metadata
from storage.types import UtcDateTime

PLANNED = "planned"
CONCLUDED = "concluded"
OPEN = "open"
CLOSED = "closed"

inspections = sa.Table(
    "inspections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("committee_id", sa.ForeignKey("committees.id"), nullable=False),
    sa.Column("cell_id", sa.ForeignKey("cells.id"), nullable=False, index=True),
    sa.Column("session_on", sa.Date, nullable=False, index=True),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("documents", sa.Text),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("planned_by", sa.ForeignKey("people.id")),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("self_report", sa.Text),
    sa.Column("self_report_at", UtcDateTime()),
    sa.Column("strengths", sa.Text),
    sa.Column("limitations", sa.Text),
    sa.Column("recommendations", sa.Text),
    sa.Column("concluded_by", sa.ForeignKey("people.id")),
    sa.Column("concluded_at", UtcDateTime()),
)

remedial_tasks = sa.Table(
    "remedial_tasks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("inspection_id", sa.ForeignKey("inspections.id"), nullable=False, index=True),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("closed_by", sa.ForeignKey("people.id")),
    sa.Column("closed_at", UtcDateTime()),
)

remedial_updates = sa.Table(
    "remedial_updates",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("task_id", sa.ForeignKey("remedial_tasks.id"), nullable=False, index=True),
    sa.Column("person_id", sa.ForeignKey("people.id")),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("at", UtcDateTime(), nullable=False),
)


@dataclass(frozen=True)
class Inspection:
    """One planned (or concluded) inspection of one cell."""

    id: int
    committee_id: int
    cell_id: int
    cell_name: str
    session_on: date
    content: str
    period_start: date
    period_end: date
    documents: str | None
    status: str
    created_at: datetime
    self_report: str | None
    self_report_at: datetime | None
    strengths: str | None
    limitations: str | None
    recommendations: str | None


@dataclass(frozen=True)
class NewInspection:
    """What a committee member plans for one cell."""

    committee_id: int
    cell_id: int
    session_on: date
    content: str
    period_start: date
    period_end: date
    documents: str | None


@dataclass(frozen=True)
class RemedialTask:
    """A task a conclusion set for a cell, followed until the committee closes it."""

    id: int
    inspection_id: int
    cell_id: int
    cell_name: str
    committee_id: int
    description: str
    due_on: date
    status: str
    created_at: datetime
    updates: int


def _select_inspections() -> sa.Select:
    """Select inspections with their cell's name."""
    return sa.select(inspections, cells.c.name.label("cell_name")).join(
        cells, cells.c.id == inspections.c.cell_id
    )


def _inspection(r: sa.Row) -> Inspection:
    """Build an Inspection from a row."""
    return Inspection(
        id=r.id,
        committee_id=r.committee_id,
        cell_id=r.cell_id,
        cell_name=r.cell_name,
        session_on=r.session_on,
        content=r.content,
        period_start=r.period_start,
        period_end=r.period_end,
        documents=r.documents,
        status=r.status,
        created_at=r.created_at,
        self_report=r.self_report,
        self_report_at=r.self_report_at,
        strengths=r.strengths,
        limitations=r.limitations,
        recommendations=r.recommendations,
    )


async def create_inspection(
    conn: AsyncConnection, plan: NewInspection, planned_by: int | None, now: datetime
) -> int:
    """Store a planned inspection and return its id."""
    result = await conn.execute(
        inspections.insert().values(
            committee_id=plan.committee_id,
            cell_id=plan.cell_id,
            session_on=plan.session_on,
            content=plan.content,
            period_start=plan.period_start,
            period_end=plan.period_end,
            documents=plan.documents,
            status=PLANNED,
            planned_by=planned_by,
            created_at=now,
        )
    )
    return inserted_id(result)


async def find_planned(conn: AsyncConnection, cell_id: int, session_on: date, content: str) -> int | None:
    """Return the id of the same planned inspection if it exists (for imports run twice)."""
    return (
        await conn.execute(
            sa.select(inspections.c.id).where(
                inspections.c.cell_id == cell_id,
                inspections.c.session_on == session_on,
                inspections.c.content == content,
            )
        )
    ).scalar_one_or_none()


async def get_inspection(conn: AsyncConnection, inspection_id: int) -> Inspection | None:
    """Return one inspection by id."""
    row = (await conn.execute(_select_inspections().where(inspections.c.id == inspection_id))).first()
    return None if row is None else _inspection(row)


async def upcoming(
    conn: AsyncConnection,
    today: date,
    *,
    committee_ids: frozenset[int] | None = None,
    cell_id: int | None = None,
    after: bool = False,
) -> list[Inspection]:
    """Return planned inspections from today (or after today) on, of some committees or one cell."""
    query = _select_inspections().where(
        inspections.c.status == PLANNED,
        inspections.c.session_on > today if after else inspections.c.session_on >= today,
    )
    if committee_ids is not None:
        query = query.where(inspections.c.committee_id.in_(committee_ids))
    if cell_id is not None:
        query = query.where(inspections.c.cell_id == cell_id)
    rows = await conn.execute(query.order_by(inspections.c.session_on, cells.c.name, inspections.c.id))
    return [_inspection(r) for r in rows]


async def awaiting_conclusion(
    conn: AsyncConnection, committee_ids: frozenset[int], today: date
) -> list[Inspection]:
    """Return planned inspections whose session has taken place and that have no conclusion yet."""
    query = _select_inspections().where(
        inspections.c.status == PLANNED,
        inspections.c.session_on <= today,
        inspections.c.committee_id.in_(committee_ids),
    )
    rows = await conn.execute(query.order_by(inspections.c.session_on, cells.c.name))
    return [_inspection(r) for r in rows]


async def record_self_report(conn: AsyncConnection, inspection_id: int, text: str, now: datetime) -> None:
    """Record that the cell filed its self-inspection report."""
    await conn.execute(
        inspections.update()
        .where(inspections.c.id == inspection_id)
        .values(self_report=text, self_report_at=now)
    )


async def conclude(
    conn: AsyncConnection,
    inspection_id: int,
    *,
    strengths: str,
    limitations: str,
    recommendations: str,
    tasks: list[tuple[str, date]],
    person_id: int,
    now: datetime,
) -> list[int]:
    """Record an inspection's conclusion and its remedial tasks; return the tasks' ids."""
    await conn.execute(
        inspections.update()
        .where(inspections.c.id == inspection_id)
        .values(
            status=CONCLUDED,
            strengths=strengths,
            limitations=limitations,
            recommendations=recommendations,
            concluded_by=person_id,
            concluded_at=now,
        )
    )
    ids = []
    for description, due_on in tasks:
        result = await conn.execute(
            remedial_tasks.insert().values(
                inspection_id=inspection_id,
                description=description,
                due_on=due_on,
                status=OPEN,
                created_at=now,
            )
        )
        ids.append(inserted_id(result))
    return ids


def _select_tasks() -> sa.Select:
    """Select remedial tasks with their cell and how many updates they have."""
    updates = (
        sa.select(sa.func.count(remedial_updates.c.id))
        .where(remedial_updates.c.task_id == remedial_tasks.c.id)
        .scalar_subquery()
    )
    return (
        sa.select(
            remedial_tasks,
            inspections.c.cell_id,
            inspections.c.committee_id,
            cells.c.name.label("cell_name"),
            updates.label("updates"),
        )
        .join(inspections, inspections.c.id == remedial_tasks.c.inspection_id)
        .join(cells, cells.c.id == inspections.c.cell_id)
    )


def _task(r: sa.Row) -> RemedialTask:
    """Build a RemedialTask from a row."""
    return RemedialTask(
        id=r.id,
        inspection_id=r.inspection_id,
        cell_id=r.cell_id,
        cell_name=r.cell_name,
        committee_id=r.committee_id,
        description=r.description,
        due_on=r.due_on,
        status=r.status,
        created_at=r.created_at,
        updates=r.updates,
    )


async def open_tasks(
    conn: AsyncConnection, *, cell_id: int | None = None, committee_ids: frozenset[int] | None = None
) -> list[RemedialTask]:
    """Return the open remedial tasks of one cell or of some committees, by deadline."""
    query = _select_tasks().where(remedial_tasks.c.status == OPEN)
    if cell_id is not None:
        query = query.where(inspections.c.cell_id == cell_id)
    if committee_ids is not None:
        query = query.where(inspections.c.committee_id.in_(committee_ids))
    rows = await conn.execute(query.order_by(remedial_tasks.c.due_on, remedial_tasks.c.id))
    return [_task(r) for r in rows]


async def get_task(conn: AsyncConnection, task_id: int) -> RemedialTask | None:
    """Return one remedial task by id."""
    row = (await conn.execute(_select_tasks().where(remedial_tasks.c.id == task_id))).first()
    return None if row is None else _task(row)


async def add_task_update(
    conn: AsyncConnection, task_id: int, person_id: int, text: str, now: datetime
) -> None:
    """Record what the cell did on a remedial task."""
    await conn.execute(
        remedial_updates.insert().values(task_id=task_id, person_id=person_id, text=text, at=now)
    )


async def close_task(conn: AsyncConnection, task_id: int, person_id: int, now: datetime) -> None:
    """Close a remedial task: the committee judges it done."""
    await conn.execute(
        remedial_tasks.update()
        .where(remedial_tasks.c.id == task_id)
        .values(status=CLOSED, closed_by=person_id, closed_at=now)
    )


async def inspections_between(
    conn: AsyncConnection, cell_ids: list[int], start: date, end: date
) -> list[Inspection]:
    """Return the inspections of some cells whose working session falls from start to end, by date."""
    query = _select_inspections().where(
        inspections.c.cell_id.in_(cell_ids), inspections.c.session_on.between(start, end)
    )
    rows = await conn.execute(query.order_by(inspections.c.session_on, cells.c.name, inspections.c.id))
    return [_inspection(r) for r in rows]


async def tasks_of_cells(conn: AsyncConnection, cell_ids: list[int]) -> list[RemedialTask]:
    """Return every remedial task of some cells, open or closed, by cell and deadline."""
    query = _select_tasks().where(inspections.c.cell_id.in_(cell_ids))
    rows = await conn.execute(query.order_by(cells.c.name, remedial_tasks.c.due_on, remedial_tasks.c.id))
    return [_task(r) for r in rows]

"""Many rows at once: rosters, reports, pledges and their history, as imports, demos and benchmarks need.

Each function writes the same rows as its one-at-a-time counterpart in org, reports and pledges,
in a few multi-row statements instead of one round trip per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.org import NewMember
from storage.pledges import NewItem, member_reviews, pledge_items, pledge_updates, pledges
from storage.reports import (
    ReportContent,
    content_columns,
    meeting_attendance,
    meeting_report_revisions,
    meeting_reports,
)
from storage.tables import members


@dataclass(frozen=True)
class NewReport:
    """A report filed as its first revision, as `reports.create_report` files one."""

    cell_id: int
    content: ReportContent
    late: bool
    at: datetime
    person_id: int


@dataclass(frozen=True)
class NewPledge:
    """A member's pledge of a year with its items, registered by `person_id`."""

    member_id: int
    year: int
    items: Sequence[NewItem]
    person_id: int | None
    on_behalf: bool
    # The day it was registered (the call's `today` when None), and each item's problems (none when empty).
    registered_on: date | None = None
    problems: Sequence[Sequence[str]] = ()


@dataclass(frozen=True)
class NewUpdate:
    """A progress update of a pledge item, as `pledges.add_update` records one."""

    item_id: int
    status: str
    note: str | None
    evidence_kind: str | None
    evidence_text: str | None
    on: date
    at: datetime
    person_id: int | None


@dataclass(frozen=True)
class NewReview:
    """A member's review of one kind and year, as `pledges.record_review` records one."""

    member_id: int
    year: int
    kind: str
    assessment: str
    ranking: str | None
    on: date
    at: datetime
    person_id: int | None


async def add_members(
    conn: AsyncConnection, rows: Sequence[tuple[int, NewMember]], now: datetime
) -> list[int]:
    """Add (cell id, roster row) pairs and return the new ids in the same order."""
    values = [
        {
            "cell_id": cell_id,
            "full_name": row.full_name,
            "birth_year": row.birth_year,
            "gender": row.gender,
            "status": row.status,
            "excused": row.excused,
            "joined_on": row.joined_on,
            "created_at": now,
        }
        for cell_id, row in rows
    ]
    insert = members.insert().returning(members.c.id, sort_by_parameter_order=True)
    result = await conn.execute(insert, values)
    return list(result.scalars())


async def create_reports(conn: AsyncConnection, new: Sequence[NewReport]) -> list[int]:
    """File reports as their first revisions and return their ids in the same order."""
    if not new:
        return []
    values = []
    for report in new:
        values.append(
            {
                **content_columns(report.content),
                "cell_id": report.cell_id,
                "revision": 1,
                "late": report.late,
                "submitted_by": report.person_id,
                "submitted_at": report.at,
                "updated_at": report.at,
            }
        )
    insert = meeting_reports.insert().returning(meeting_reports.c.id, sort_by_parameter_order=True)
    ids = list((await conn.execute(insert, values)).scalars())
    await conn.execute(
        meeting_attendance.insert(),
        [
            {"report_id": report_id, "member_id": e.member_id, "status": e.status, "reason": e.reason}
            for report_id, report in zip(ids, new, strict=True)
            for e in report.content.attendance
        ],
    )
    await conn.execute(
        meeting_report_revisions.insert(),
        [
            {
                "report_id": report_id,
                "revision": 1,
                "at": report.at,
                "person_id": report.person_id,
                "account_id": None,
                "changes": [],
                "snapshot": report.content.snapshot(),
            }
            for report_id, report in zip(ids, new, strict=True)
        ],
    )
    return ids


async def add_pledges(
    conn: AsyncConnection, new: Sequence[NewPledge], today: date, now: datetime
) -> list[int]:
    """Register pledges with their items for members who have none that year; return the item ids in order."""
    if not new:
        return []
    insert = pledges.insert().returning(pledges.c.id, sort_by_parameter_order=True)
    ids = list(
        (
            await conn.execute(
                insert,
                [
                    {"member_id": p.member_id, "year": p.year, "created_at": now, "created_by": p.person_id}
                    for p in new
                ],
            )
        ).scalars()
    )
    items = pledge_items.insert().returning(pledge_items.c.id, sort_by_parameter_order=True)
    result = await conn.execute(
        items,
        [
            {
                "pledge_id": pledge_id,
                "position": position,
                "action": item.action,
                "duty": item.duty,
                "indicator": item.indicator,
                "deadline": item.deadline,
                "milestones": item.milestones,
                "evidence": item.evidence,
                "vague": bool(problems),
                "problems": list(problems),
                "created_on": pledge.registered_on or today,
                "created_at": now,
                "created_by": pledge.person_id,
                "on_behalf": pledge.on_behalf,
            }
            for pledge_id, pledge in zip(ids, new, strict=True)
            for position, (item, problems) in enumerate(
                zip(pledge.items, pledge.problems or [()] * len(pledge.items), strict=True), start=1
            )
        ],
    )
    return list(result.scalars())


async def add_updates(conn: AsyncConnection, new: Sequence[NewUpdate]) -> None:
    """Record progress updates, oldest first, and leave each item standing at its latest one."""
    if not new:
        return
    ordered = sorted(new, key=lambda u: (u.on, u.item_id))
    await conn.execute(
        pledge_updates.insert(),
        [
            {
                "item_id": u.item_id,
                "status": u.status,
                "note": u.note,
                "evidence_text": u.evidence_text,
                "evidence_kind": u.evidence_kind,
                "updated_on": u.on,
                "created_at": u.at,
                "created_by": u.person_id,
            }
            for u in ordered
        ],
    )
    latest = {u.item_id: u for u in ordered}
    # Bound names differ from the columns': SQLAlchemy keeps those for the SET clause.
    standing = pledge_items.update().where(pledge_items.c.id == sa.bindparam("item"))
    await conn.execute(
        standing.values(
            status=sa.bindparam("new_status"),
            status_on=sa.bindparam("new_on"),
            status_note=sa.bindparam("new_note"),
        ),
        [
            {"item": u.item_id, "new_status": u.status, "new_on": u.on, "new_note": u.note}
            for u in latest.values()
        ],
    )


async def add_reviews(conn: AsyncConnection, new: Sequence[NewReview]) -> None:
    """Record reviews of members who have none of that kind and year."""
    if not new:
        return
    await conn.execute(
        member_reviews.insert(),
        [
            {
                "member_id": r.member_id,
                "year": r.year,
                "kind": r.kind,
                "assessment": r.assessment,
                "ranking": r.ranking,
                "reviewed_on": r.on,
                "created_at": r.at,
                "created_by": r.person_id,
            }
            for r in new
        ],
    )

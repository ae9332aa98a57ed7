"""Many rows at once: rosters, filed reports and pledge items, as large imports and benchmarks need.

Each function writes the same rows as its one-at-a-time counterpart in org, reports and pledges,
in a few multi-row statements instead of one round trip per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from storage.org import NewMember
from storage.pledges import NewItem, pledge_items, pledges
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


async def add_pledges(conn: AsyncConnection, new: Sequence[NewPledge], today: date, now: datetime) -> None:
    """Register pledges with their items, none of them vague, for members who have none that year."""
    if not new:
        return
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
    await conn.execute(
        pledge_items.insert(),
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
                "vague": False,
                "problems": [],
                "created_on": today,
                "created_at": now,
                "created_by": pledge.person_id,
                "on_behalf": pledge.on_behalf,
            }
            for pledge_id, pledge in zip(ids, new, strict=True)
            for position, item in enumerate(pledge.items, start=1)
        ],
    )

"""An inspection's readiness checklist, from what the cell has filed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from domain.calendar import ReminderSettings
from domain.meetings import THEMATIC_KINDS, month_index, quarter_of
from domain.readiness import Readiness, readiness
from storage import org, pledges, reports
from storage.inspections import Inspection


async def readiness_of(conn: AsyncConnection, inspection: Inspection, today: date) -> Readiness:
    """Gather a cell's data for an inspection and compute its readiness checklist."""
    return (await readiness_of_many(conn, [inspection], today))[inspection.id]


async def readiness_of_many(
    conn: AsyncConnection, planned: Sequence[Inspection], today: date
) -> dict[int, Readiness]:
    """Compute several inspections' readiness checklists, by inspection id, with a few queries in all."""
    if not planned:
        return {}
    cell_ids = sorted({i.cell_id for i in planned})
    gaps = {
        year: await pledges.pledge_gaps_of_cells(conn, cell_ids, year, today)
        for year in sorted({i.period_end.year for i in planned})
    }
    filed = await reports.months_of_cells(
        conn, cell_ids, min(i.period_start for i in planned), max(i.period_end for i in planned)
    )
    settings = {
        committee_id: ReminderSettings.from_committee((await org.get_committee(conn, committee_id)).settings)
        for committee_id in sorted({i.committee_id for i in planned})
    }
    found = {}
    for inspection in planned:
        start, end = inspection.period_start, inspection.period_end
        first, last = month_index(start.year, start.month), month_index(end.year, end.month)
        months = [(y, m, k) for y, m, k in filed[inspection.cell_id] if first <= month_index(y, m) <= last]
        cell_gaps = gaps[end.year][inspection.cell_id]
        found[inspection.id] = readiness(
            period_start=start,
            period_end=end,
            today=today,
            submitted_months={(y, m) for y, m, _ in months},
            thematic_quarters={(y, quarter_of(m)) for y, m, kind in months if kind in THEMATIC_KINDS},
            members_without_pledge=cell_gaps.members_without_pledge,
            members_with_vague_items=cell_gaps.members_with_vague_items,
            stale_items=cell_gaps.stale_items,
            self_report_filed=inspection.self_report_at is not None,
            settings=settings[inspection.committee_id],
        )
    return found

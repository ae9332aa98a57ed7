"""An inspection's readiness checklist, from what the cell has filed."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from domain.calendar import ReminderSettings
from domain.readiness import Readiness, readiness
from storage import org, pledges, reports
from storage.inspections import Inspection


async def readiness_of(conn: AsyncConnection, inspection: Inspection, today: date) -> Readiness:
    """Gather a cell's data for an inspection and compute its readiness checklist."""
    start, end = inspection.period_start, inspection.period_end
    gaps = await pledges.pledge_gaps(conn, inspection.cell_id, end.year, today)
    committee = await org.get_committee(conn, inspection.committee_id)
    return readiness(
        period_start=start,
        period_end=end,
        today=today,
        submitted_months=await reports.submitted_months(conn, inspection.cell_id, start, end),
        thematic_quarters=await reports.thematic_quarters(conn, inspection.cell_id, start, end),
        members_without_pledge=gaps.members_without_pledge,
        members_with_vague_items=gaps.members_with_vague_items,
        stale_items=gaps.stale_items,
        self_report_filed=inspection.self_report_at is not None,
        settings=ReminderSettings.from_committee(committee.settings),
    )

"""The report store as other features read it: months filed, cells behind, attendance."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy.ext.asyncio import AsyncConnection

from admin.demo_data import DemoWard
from domain.attendance import ABSENT_WITH_REASON, ABSENT_WITHOUT_REASON, EXCUSED, PRESENT
from domain.clock import FixedClock
from storage import accounts, org, reports
from storage.db import Database, alembic_config
from storage.reports import AttendanceEntry, ReportContent


async def _file(
    conn: AsyncConnection,
    clock: FixedClock,
    cell_name: str,
    day: date,
    kind: str = "regular",
    absent: dict[int, str | None] | None = None,
) -> int:
    """File a report for a demo cell's meeting on a day, with some members absent."""
    committee = (await org.list_committees(conn))[0]
    cell = await org.find_cell(conn, committee.id, cell_name)
    roster = await org.list_members(conn, cell.id)
    absent = absent or {}
    attendance = tuple(
        AttendanceEntry(m.id, EXCUSED)
        if m.excused
        else AttendanceEntry(
            m.id, ABSENT_WITH_REASON if absent[m.id] else ABSENT_WITHOUT_REASON, absent[m.id]
        )
        if m.id in absent
        else AttendanceEntry(m.id, PRESENT)
        for m in roster
    )
    present = [m.id for m in roster if not m.excused and m.id not in absent]
    content = ReportContent(
        year=day.year,
        month=day.month,
        kind=kind,
        meeting_date=day,
        start_time=None,
        place=None,
        topic="Chuyên đề" if kind != "regular" else None,
        chair_member_id=present[0],
        minutes_member_id=present[1],
        study=None,
        documents=None,
        review="Đã làm",
        resolution="Sẽ làm",
        quality="good",
        attendance=attendance,
    )
    person_id = (await accounts.list_people(conn))[0][0]
    return await reports.create_report(
        conn, cell.id, content, late=False, now=clock.now(), person_id=person_id, account_id=None
    )


@pytest.fixture
async def cell_12(db: Database, ward: DemoWard) -> int:
    """Return the id of Chi bộ 12."""
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        return (await org.find_cell(conn, committee.id, "Chi bộ 12")).id


async def test_months_filed_in_range_by_cell(
    db: Database, clock: FixedClock, ward: DemoWard, cell_12: int
) -> None:
    """Each cell's reports of months inside the range are returned with their kind; others are not."""
    async with db.begin() as conn:
        for day in (date(2015, 6, 5), date(2015, 7, 6), date(2015, 8, 5)):
            await _file(conn, clock, "Chi bộ 12", day, kind="combined" if day.month == 8 else "regular")
        await _file(conn, clock, "Chi bộ 14", date(2015, 9, 5))
        cell_14 = (await org.find_cell(conn, (await org.list_committees(conn))[0].id, "Chi bộ 14")).id
        months = await reports.months_of_cells(conn, [cell_12, cell_14], date(2015, 7, 1), date(2015, 9, 30))
    assert sorted(months[cell_12]) == [(2015, 7, "regular"), (2015, 8, "combined")]
    assert months[cell_14] == [(2015, 9, "regular")]


async def test_cells_without_report(db: Database, clock: FixedClock, ward: DemoWard) -> None:
    """Only the cells that filed nothing for the month are listed."""
    async with db.begin() as conn:
        await _file(conn, clock, "Chi bộ 12", date(2015, 8, 5))
        await _file(conn, clock, "Chi bộ 14", date(2015, 7, 5))
        committee = (await org.list_committees(conn))[0]
        behind = await reports.cells_without_report(conn, committee.id, 2015, 8)
        names = [(await org.get_cell(conn, cell_id)).name for cell_id in behind]
    assert names == sorted(c.name for c in ward.cells if c.name != "Chi bộ 12")


async def test_member_attendance_over_meetings(db: Database, clock: FixedClock, cell_12: int) -> None:
    """A member's status at each filed meeting of the range, in date order."""
    async with db.begin() as conn:
        member = next(m for m in await org.list_members(conn, cell_12) if not m.excused)
        await _file(conn, clock, "Chi bộ 12", date(2015, 7, 6), absent={member.id: "ốm"})
        await _file(conn, clock, "Chi bộ 12", date(2015, 8, 5), absent={member.id: None})
        await _file(conn, clock, "Chi bộ 12", date(2015, 6, 5))
        history = await reports.member_attendance(conn, member.id, date(2015, 6, 1), date(2015, 8, 31))
    assert history == [
        (date(2015, 6, 5), PRESENT),
        (date(2015, 7, 6), ABSENT_WITH_REASON),
        (date(2015, 8, 5), ABSENT_WITHOUT_REASON),
    ]


async def test_excused_member_attendance_is_excused(db: Database, clock: FixedClock, cell_12: int) -> None:
    """An excused member's meetings are marked excused, never absent."""
    async with db.begin() as conn:
        excused = next(m for m in await org.list_members(conn, cell_12) if m.excused)
        await _file(conn, clock, "Chi bộ 12", date(2015, 8, 5))
        history = await reports.member_attendance(conn, excused.id, date(2015, 8, 1), date(2015, 8, 31))
    assert history == [(date(2015, 8, 5), EXCUSED)]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_upgrade_counts_absences_without_reason_of_earlier_reports(
    db: Database, clock: FixedClock, cell_12: int
) -> None:
    """A report filed before the count had a column shows its absences without reason after upgrading."""
    async with db.begin() as conn:
        roster = [m for m in await org.list_members(conn, cell_12) if not m.excused]
        absent = {roster[-1].id: None, roster[-2].id: None, roster[-3].id: "ốm"}
        await _file(conn, clock, "Chi bộ 12", date(2015, 8, 5), absent=absent)
    async with db.engine.begin() as conn:
        await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), "0002"))
    await db.migrate()
    async with db.begin() as conn:
        [summary] = await reports.list_reports(conn, cell_12)
    assert (summary.counts.absent_without_reason, summary.counts.absent_with_reason) == (2, 1)

"""The readiness checklist before an inspection: a plain rule, then on a seeded cell with known gaps."""

from __future__ import annotations

from datetime import date, datetime

from admin.demo_data import DemoWard
from domain.calendar import ReminderSettings
from domain.clock import FixedClock
from domain.readiness import readiness
from reports.readiness import readiness_of, readiness_of_many
from storage import accounts, inspections, org, pledges, reports
from storage.db import Database
from storage.inspections import NewInspection
from storage.pledges import NewItem
from storage.reports import AttendanceEntry, ReportContent
from texts import inspections as t

TODAY = date(2015, 9, 10)


def check(**overrides: object) -> object:
    """Compute a checklist for January to August 2015 with nothing missing unless overridden."""
    values = {
        "period_start": date(2015, 1, 1),
        "period_end": date(2015, 8, 31),
        "today": TODAY,
        "submitted_months": {(2015, m) for m in range(1, 9)},
        "thematic_quarters": {(2015, 1), (2015, 2)},
        "members_without_pledge": [],
        "members_with_vague_items": [],
        "stale_items": 0,
        "self_report_filed": True,
        "settings": ReminderSettings(),
    }
    return readiness(**{**values, **overrides})


def test_nothing_missing_says_so() -> None:
    """A cell with every report, thematic meeting, pledge and its self-inspection report is complete."""
    ready = check()
    assert ready.complete
    assert "đã có đủ" in t.checklist(ready)


def test_months_without_report_are_listed() -> None:
    """Months of the period with no filed report are listed, in order."""
    ready = check(submitted_months={(2015, m) for m in (1, 2, 4, 6, 7)})
    assert ready.months_without_report == ((2015, 3), (2015, 5), (2015, 8))
    assert "Tháng chưa nộp báo cáo sinh hoạt: 3/2015, 5/2015, 8/2015" in t.checklist(ready)


def test_a_month_not_over_yet_is_not_missing() -> None:
    """The current month is not counted: its meeting may still be ahead."""
    ready = check(period_end=date(2015, 9, 30))
    assert ready.months_without_report == ()


def test_a_report_not_yet_due_is_not_missing() -> None:
    """On 01/09 August's report, due 05/09, is not listed as missing; on 06/09 it is."""
    august_open = {(2015, m) for m in range(1, 8)}
    assert check(today=date(2015, 9, 1), submitted_months=august_open).months_without_report == ()
    assert check(today=date(2015, 9, 5), submitted_months=august_open).months_without_report == ()
    assert check(today=date(2015, 9, 6), submitted_months=august_open).months_without_report == ((2015, 8),)


def test_only_quarters_already_over_need_a_thematic_meeting() -> None:
    """Q2 without a thematic meeting is missing; Q3, still running, is not."""
    ready = check(thematic_quarters={(2015, 1)})
    assert ready.quarters_without_thematic == ((2015, 2),)
    assert "quý II/2015" in t.checklist(ready)


def test_missing_self_inspection_report_is_flagged() -> None:
    """Without the self-inspection report the checklist says so."""
    ready = check(self_report_filed=False)
    assert not ready.complete
    assert "Chưa nộp báo cáo tự kiểm tra" in t.checklist(ready)


def test_pledge_gaps_are_listed() -> None:
    """Members without a pledge, with vague items, and stale items are each named."""
    ready = check(members_without_pledge=["Lê Văn A"], members_with_vague_items=["Trần Thị B"], stale_items=2)
    text = t.checklist(ready)
    assert "chưa có bản đăng ký: Lê Văn A" in text
    assert "chung chung: Trần Thị B" in text
    assert "2 nội dung đăng ký chưa được cập nhật trong 3 tháng" in text


async def file_report(
    conn: object, cell_id: int, month: int, kind: str, member_id: int, person_id: int, now: datetime
) -> None:
    """File a minimal meeting report for a month of 2015."""
    content = ReportContent(
        year=2015,
        month=month,
        kind=kind,
        meeting_date=date(2015, month, 20),
        start_time=None,
        place=None,
        topic="Chuyên đề" if kind != "regular" else None,
        chair_member_id=member_id,
        minutes_member_id=member_id,
        study=None,
        documents=None,
        review="Đã làm",
        resolution="Sẽ làm",
        quality="good",
        attendance=(AttendanceEntry(member_id, "present"),),
    )
    await reports.create_report(
        conn, cell_id, content, late=False, now=now, person_id=person_id, account_id=None
    )


async def test_seeded_cell_shows_exactly_its_gaps(db: Database, clock: FixedClock, ward: DemoWard) -> None:
    """Chi bộ 12 missing March, May and August, Q2's thematic meeting, most pledges: all listed."""
    now = clock.now()
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        cell = await org.find_cell(conn, committee.id, "Chi bộ 12")
        roster = await org.list_members(conn, cell.id)
        first, second = roster[0], roster[1]
        [(secretary, _, _), *_] = await accounts.cell_leaders(conn, cell.id)
        for month in (1, 2, 4, 6, 7):
            await file_report(
                conn, cell.id, month, "combined" if month == 2 else "regular", first.id, secretary, now
            )
        specific = NewItem(
            "Vận động 10 hộ", "Công tác dân vận", "10 hộ", date(2015, 12, 1), None, "Danh sách hộ"
        )
        vague = NewItem("Phấn đấu nâng cao", "Rèn luyện", None, None, None, None)
        for member, item, problems in ((first, specific, []), (second, vague, ["chung chung"])):
            await pledges.add_item(
                conn,
                member_id=member.id,
                year=2015,
                item=item,
                problems=problems,
                today=TODAY,
                now=now,
                person_id=None,
                on_behalf=True,
            )
        plan = NewInspection(
            committee.id,
            cell.id,
            date(2015, 9, 15),
            "Chỉ thị 03-CT/TW",
            date(2015, 1, 1),
            date(2015, 8, 31),
            None,
        )
        inspection_id = await inspections.create_inspection(conn, plan, None, now)
        ready = await readiness_of(conn, await inspections.get_inspection(conn, inspection_id), TODAY)
    assert ready.months_without_report == ((2015, 3), (2015, 5), (2015, 8))
    assert ready.quarters_without_thematic == ((2015, 2),)
    assert set(ready.members_without_pledge) == {m.full_name for m in roster[2:]}
    assert ready.members_with_vague_items == (second.full_name,)
    assert ready.self_report_missing


async def test_checklists_of_several_inspections_are_each_their_cells(
    db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """Two cells inspected over different months get, together, the checklists each gets alone."""
    now = clock.now()
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        planned = []
        for name, months, (start, end) in (
            ("Chi bộ 12", (1, 2, 3), (date(2015, 1, 1), date(2015, 6, 30))),
            ("Chi bộ 14", (5, 6, 7), (date(2015, 4, 1), date(2015, 8, 31))),
        ):
            cell = await org.find_cell(conn, committee.id, name)
            roster = await org.list_members(conn, cell.id)
            [(secretary, _, _), *_] = await accounts.cell_leaders(conn, cell.id)
            for month in months:
                await file_report(conn, cell.id, month, "regular", roster[0].id, secretary, now)
            plan = NewInspection(
                committee.id, cell.id, date(2015, 9, 20), "Chỉ thị 03-CT/TW", start, end, None
            )
            planned.append(
                await inspections.get_inspection(
                    conn, await inspections.create_inspection(conn, plan, None, now)
                )
            )
        together = await readiness_of_many(conn, planned, TODAY)
        alone = {i.id: await readiness_of(conn, i, TODAY) for i in planned}
    assert together == alone
    assert together[planned[0].id].months_without_report == ((2015, 4), (2015, 5), (2015, 6))
    assert together[planned[1].id].months_without_report == ((2015, 4), (2015, 8))

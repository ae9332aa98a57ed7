"""The committee digest on a seeded ward whose answers are known: reports, pledges, tasks, inspections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from admin.demo_data import DemoWard
from core.messages import Outbound
from core.parsing import ParseError, parse_period
from domain.attendance import ABSENT_WITHOUT_REASON, EXCUSED, PRESENT
from domain.clock import FixedClock, local_today
from domain.digest import (
    LATE,
    LOW_ATTENDANCE,
    MISSING,
    MISSING_REPORT,
    MONTH,
    NO_PLEDGE,
    NOT_DUE,
    ON_TIME,
    OVERDUE_TASKS,
    QUARTER,
    UNEXCUSED_ABSENCE,
    VAGUE_PLEDGE,
    YEAR,
    Period,
)
from domain.pledges import DONE
from reports import digest
from storage import accounts, inspections, org, outbox, pledges, reports
from storage.db import Database
from storage.inspections import NewInspection
from storage.pledges import NewItem
from storage.reports import AttendanceEntry, ReportContent
from texts import digest as td
from texts import exports as texts_exports

AUGUST = Period(MONTH, 2015, 8)
SPECIFIC = NewItem(
    "Viết 2 bài tuyên truyền", "Tuyên truyền", "2 bài", date(2015, 12, 31), "Tháng 10, tháng 12", "Bản in"
)
VAGUE = NewItem("Phấn đấu hoàn thành tốt nhiệm vụ", "Chung", None, date(2015, 8, 31), None, None)


@dataclass(frozen=True)
class Seeded:
    """Ids the seeded ward's answers refer to."""

    committee_id: int
    cells: dict[str, int]
    late_report: int


def at(day: date) -> datetime:
    """Return 09:00 local of a day, in UTC."""
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


async def file_report(
    conn,
    cell_id: int,
    year: int,
    month: int,
    *,
    kind: str = "regular",
    unexcused: int = 0,
    late: bool = False,
    on: date | None = None,
    person_id: int = 1,
) -> int:
    """File a report for a cell's month: everyone present but `unexcused` members, excused ones excused."""
    roster = await org.list_members(conn, cell_id)
    entries = []
    missing = unexcused
    for member in sorted(roster, key=lambda m: m.id):
        if member.excused:
            entries.append(AttendanceEntry(member.id, EXCUSED))
        elif missing:
            entries.append(AttendanceEntry(member.id, ABSENT_WITHOUT_REASON))
            missing -= 1
        else:
            entries.append(AttendanceEntry(member.id, PRESENT))
    content = ReportContent(
        year=year,
        month=month,
        kind=kind,
        meeting_date=date(year, month, 20),
        start_time="19:30",
        place="Nhà văn hóa tổ 5",
        topic="Chỉ thị 03" if kind != "regular" else None,
        chair_member_id=roster[0].id,
        minutes_member_id=roster[1].id,
        study="Học tập tấm gương",
        documents=None,
        review="Hoàn thành",
        resolution="Tiếp tục",
        quality="good",
        attendance=tuple(entries),
    )
    moment = at(on or date(year, month, 28))
    return await reports.create_report(
        conn, cell_id, content, late=late, now=moment, person_id=person_id, account_id=None
    )


async def seed(db: Database, clock: FixedClock) -> Seeded:
    """Seed August 2015: on time, late and amended, missing, combined; pledges, tasks, an inspection."""
    today = local_today(clock)
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        cells = {c.name: c.id for c in await org.list_cells(conn, committee.id)}
        c12, c14 = cells["Chi bộ 12"], cells["Chi bộ 14"]
        school = cells["Chi bộ trường mầm non Phúc Lợi"]
        await file_report(conn, c12, 2015, 8, unexcused=2, on=date(2015, 9, 3))
        late_id = await file_report(conn, c14, 2015, 8, late=True, on=date(2015, 9, 7))
        report = await reports.get_report(conn, late_id)
        await reports.amend_report(
            conn, late_id, report.content, ["place"], now=at(date(2015, 9, 8)), person_id=1, account_id=None
        )
        await file_report(conn, school, 2015, 8, kind="combined", on=date(2015, 9, 2))
        roster = await org.list_members(conn, c12)
        done_item = await pledges.add_item(
            conn,
            member_id=roster[0].id,
            year=2015,
            item=SPECIFIC,
            problems=[],
            today=date(2015, 2, 1),
            now=at(date(2015, 2, 1)),
            person_id=None,
            on_behalf=False,
        )
        await pledges.add_update(
            conn,
            item_id=done_item,
            status=DONE,
            note=None,
            evidence_text=None,
            evidence_kind=None,
            evidence_ref=None,
            evidence_name=None,
            today=date(2015, 8, 1),
            now=at(date(2015, 8, 1)),
            person_id=None,
        )
        await pledges.add_item(
            conn,
            member_id=roster[1].id,
            year=2015,
            item=VAGUE,
            problems=["vague_action"],
            today=date(2015, 2, 1),
            now=at(date(2015, 2, 1)),
            person_id=None,
            on_behalf=False,
        )
        concluded = await inspections.create_inspection(
            conn,
            NewInspection(
                committee.id,
                c14,
                date(2015, 8, 15),
                "Chỉ thị 03-CT/TW",
                date(2015, 1, 1),
                date(2015, 7, 31),
                None,
            ),
            None,
            at(date(2015, 7, 20)),
        )
        await inspections.conclude(
            conn,
            concluded,
            strengths="Có",
            limitations="Chung chung",
            recommendations="Sửa",
            tasks=[("Bổ sung sổ ghi biên bản", date(2015, 9, 1)), ("Cụ thể hóa đăng ký", date(2015, 10, 15))],
            person_id=1,
            now=at(date(2015, 8, 16)),
        )
        await inspections.create_inspection(
            conn,
            NewInspection(
                committee.id,
                c12,
                date(2015, 9, 20),
                "Chỉ thị 03-CT/TW",
                date(2015, 1, 1),
                date(2015, 8, 31),
                None,
            ),
            None,
            clock.now(),
        )
    assert today == date(2015, 9, 10)
    return Seeded(committee.id, cells, late_id)


@pytest.fixture
async def seeded(db: Database, clock: FixedClock, ward: DemoWard) -> Seeded:
    """The demo ward with August 2015 seeded."""
    return await seed(db, clock)


async def gather(db: Database, seeded: Seeded, period: Period = AUGUST) -> digest.Digest:
    """Gather the digest as of 10/09/2015."""
    async with db.begin() as conn:
        return await digest.gather(conn, seeded.committee_id, period, date(2015, 9, 10))


def cell(found: digest.Digest, name: str) -> digest.CellDigest:
    """Return one cell's figures."""
    return next(c for c in found.cells if c.name == name)


async def test_report_standings(db: Database, seeded: Seeded) -> None:
    """August: Chi bộ 12 on time, Chi bộ 14 late and amended, the agency cell missing, the school on time."""
    found = await gather(db, seeded)
    standings = {c.name: (c.months[0].status, c.months[0].amended) for c in found.cells}
    assert standings == {
        "Chi bộ 12": (ON_TIME, False),
        "Chi bộ 14": (LATE, True),
        "Chi bộ cơ quan phường": (MISSING, False),
        "Chi bộ trường mầm non Phúc Lợi": (ON_TIME, False),
    }


async def test_attendance_and_unexcused_absences(db: Database, seeded: Seeded) -> None:
    """Chi bộ 12 had 30 expected, 2 absent without reason: 28/30 present, flagged for both."""
    c12 = cell(await gather(db, seeded), "Chi bộ 12")
    assert (c12.expected, c12.present, c12.absent_without_reason) == (30, 28, 2)
    assert UNEXCUSED_ABSENCE in c12.attention
    assert LOW_ATTENDANCE not in c12.attention


async def test_pledge_coverage_and_items(db: Database, seeded: Seeded) -> None:
    """Chi bộ 12: one specific, one vague, 32 without pledge; one item done, the vague one overdue."""
    c12 = cell(await gather(db, seeded), "Chi bộ 12")
    p = c12.pledges
    assert (p.specific, p.vague, p.none, p.items, p.done, p.overdue) == (1, 1, 32, 2, 1, 1)
    assert {VAGUE_PLEDGE, NO_PLEDGE} <= set(c12.attention)


async def test_open_tasks_and_next_inspection(db: Database, seeded: Seeded) -> None:
    """Chi bộ 14 has two open tasks, one overdue; Chi bộ 12's inspection on 20/09 still lacks points."""
    found = await gather(db, seeded)
    c14, c12 = cell(found, "Chi bộ 14"), cell(found, "Chi bộ 12")
    assert (c14.open_tasks, c14.overdue_tasks) == (2, 1)
    assert OVERDUE_TASKS in c14.attention
    assert c12.inspection is not None and c12.inspection.session_on == date(2015, 9, 20)
    assert c12.inspection.missing > 0


async def test_missing_report_cell_comes_first(db: Database, seeded: Seeded) -> None:
    """The cell with no August report is listed first; no cell is free of attention points here."""
    found = await gather(db, seeded)
    assert found.cells[0].name == "Chi bộ cơ quan phường"
    assert found.cells[0].attention[0] == MISSING_REPORT


async def test_thematic_meeting_of_the_quarter(db: Database, seeded: Seeded) -> None:
    """Only the school held a combined meeting in quarter III."""
    found = await gather(db, seeded)
    held = {c.name for c in found.cells if c.thematic == ((2015, 3, True),)}
    assert held == {"Chi bộ trường mầm non Phúc Lợi"}


async def test_rendered_totals(db: Database, seeded: Seeded) -> None:
    """The text opens with the ward totals: 2 on time, 1 late, 1 missing, 1 amended."""
    text = digest.render(await gather(db, seeded))
    assert text.startswith(
        "TỔNG HỢP THÁNG 8/2015\nĐảng bộ phường Phúc Lợi\nSố liệu đến 10/09/2015, 4 chi bộ."
    )
    assert "Báo cáo: 2 đúng hạn, 1 nộp muộn, 1 chưa nộp, 1 đã sửa." in text
    assert "Chuyên đề quý III/2015: 1/4 chi bộ đã sinh hoạt." in text
    assert "Khắc phục còn mở: 2 (1 quá hạn)." in text
    assert "1. Chi bộ cơ quan phường\nLưu ý: chưa nộp báo cáo; đảng viên chưa đăng ký." in text
    assert "Báo cáo: chưa nộp (hạn 05/09/2015)." in text
    assert "Báo cáo: nộp muộn, đã sửa." in text


async def test_lines_fit_a_phone(db: Database, seeded: Seeded) -> None:
    """Every line but the list of a cell's attention points stays short enough for a phone screen."""
    text = digest.render(await gather(db, seeded))
    long_lines = [line for line in text.split("\n") if len(line) > 60 and not line.startswith("Lưu ý: ")]
    assert long_lines == []


async def test_quarter_counts_each_month(db: Database, seeded: Seeded) -> None:
    """Quarter III as of 10/09: July missing everywhere, August as above, September not due."""
    c12 = cell(await gather(db, seeded, Period(QUARTER, 2015, 3)), "Chi bộ 12")
    assert [m.status for m in c12.months] == [MISSING, ON_TIME, NOT_DUE]


async def test_year_digest_ignores_future_months(db: Database, seeded: Seeded) -> None:
    """The year 2015 as of 10/09 covers January to September, and quarters I to III."""
    found = await gather(db, seeded, Period(YEAR, 2015, 1))
    assert len(cell(found, "Chi bộ 12").months) == 9
    assert "Chuyên đề: 1/3 quý; thiếu quý I, II." in digest.render(found)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("8/2015", Period(MONTH, 2015, 8)),
        ("tháng 8", Period(MONTH, 2015, 8)),
        ("quý 3", Period(QUARTER, 2015, 3)),
        ("quy III/2015", Period(QUARTER, 2015, 3)),
        ("2015", Period(YEAR, 2015, 1)),
        ("năm 2014", Period(YEAR, 2014, 1)),
        ("năm nay", Period(YEAR, 2015, 1)),
        ("nam truoc", Period(YEAR, 2014, 1)),
        ("tháng trước", Period(MONTH, 2015, 8)),
    ],
)
def test_parse_period(typed: str, expected: Period) -> None:
    """Months, quarters and years are read with or without diacritics."""
    assert parse_period(typed, date(2015, 9, 10)) == expected


def test_unreadable_period_says_what_to_type() -> None:
    """A period that cannot be read gives examples back."""
    with pytest.raises(ParseError) as error:
        parse_period("hôm qua", date(2015, 9, 10))
    assert "8/2015" in error.value.reason


async def test_undelivered_reminders_are_listed(
    db: Database, clock: FixedClock, seeded: Seeded, ward: DemoWard
) -> None:
    """A reminder to Chi bộ 12's secretary that expired on 06/09 is listed at the end of August's digest."""
    async with db.begin() as conn:
        people = {name: pid for pid, name in await accounts.list_people(conn)}
        await outbox.plan(
            conn,
            outbox.to_person(people[ward.cells[0].secretary]),
            Outbound("Nhắc"),
            kind="report_reminder",
            key="p",
            due_at=at(date(2015, 9, 5)),
            now=at(date(2015, 9, 5)),
            expires_at=at(date(2015, 9, 6)),
        )
        await outbox.expire_due(conn, at(date(2015, 9, 7)))
    text = digest.render(await gather(db, seeded))
    assert "NHẮC VIỆC CHƯA CHẮC ĐÃ ĐẾN (1)" in text
    assert f"đồng chí {ward.cells[0].secretary} (dự kiến 09:00 05/09/2015)" in text


def test_a_cell_not_yet_due_says_so_as_the_totals_do() -> None:
    """A cell whose report is not due yet reads «chưa đến hạn», the word the totals and the XLSX use."""
    assert td.month_report("not_due", False, "05/09/2015") == "Báo cáo: chưa đến hạn (hạn 05/09/2015)."
    assert "1 chưa đến hạn" in td.totals_reports(0, 0, 0, 1, 0)
    assert texts_exports.MONTH_STATUS["not_due"] == "Chưa đến hạn"

"""The member card and the cell summary: figures computed from stored reports, items and updates."""

from __future__ import annotations

from datetime import UTC, date, datetime

from admin.demo_data import DemoWard
from core.app import App
from domain.attendance import ABSENT_WITH_REASON, ABSENT_WITHOUT_REASON, EXCUSED, PRESENT
from domain.clock import FixedClock
from storage import accounts, org, pledges, reports
from storage.db import Database
from storage.pledges import NewItem
from storage.reports import AttendanceEntry, ReportContent
from tests.conftest import chat_as

CELL = "Chi bộ 14"
DONE_ITEM = NewItem("Viết 2 bài tuyên truyền", "Tuyên truyền", "2 bài", date(2015, 12, 31), None, "Bản in")
OVERDUE_ITEM = NewItem(
    "Vận động 10 hộ đóng quỹ khuyến học", "Khuyến học", "10 hộ", date(2015, 8, 31), None, "Danh sách"
)


async def _file_meeting(conn, cell_id: int, day: date, target: int, status: str, person_id: int) -> None:
    """File a regular meeting where everyone is present but the target member, who has `status`."""
    roster = sorted(await org.list_members(conn, cell_id), key=lambda m: m.id)
    entries = tuple(
        AttendanceEntry(
            m.id,
            status if m.id == target else (EXCUSED if m.excused else PRESENT),
            "ốm" if m.id == target and status == ABSENT_WITH_REASON else None,
        )
        for m in roster
    )
    content = ReportContent(
        year=day.year,
        month=day.month,
        kind="regular",
        meeting_date=day,
        start_time="19:30",
        place="Nhà văn hóa",
        topic=None,
        chair_member_id=roster[0].id,
        minutes_member_id=roster[1].id,
        study=None,
        documents=None,
        review="Hoàn thành",
        resolution="Tiếp tục",
        quality="good",
        attendance=entries,
    )
    moment = datetime(day.year, day.month, day.day, 14, tzinfo=UTC)
    await reports.create_report(
        conn, cell_id, content, late=False, now=moment, person_id=person_id, account_id=None
    )


async def _seed(db: Database, clock: FixedClock, ward: DemoWard) -> org.Member:
    """Give one member a year of meetings, two items (one done, one overdue) and a mid-year review."""
    async with db.begin() as conn:
        cell = await org.find_cell(conn, None, CELL)
        roster = await org.list_members(conn, cell.id)
        member = next(
            m
            for m in roster
            if not m.excused and m.full_name not in (ward.cells[1].secretary, ward.cells[1].deputy)
        )
        person_id = next(
            pid for pid, name in await accounts.list_people(conn) if name == ward.cells[1].secretary
        )
        for day, status in (
            (date(2014, 8, 20), ABSENT_WITHOUT_REASON),
            (date(2015, 6, 20), PRESENT),
            (date(2015, 7, 20), ABSENT_WITH_REASON),
            (date(2015, 8, 20), ABSENT_WITHOUT_REASON),
        ):
            await _file_meeting(conn, cell.id, day, member.id, status, person_id)
        common = {"problems": [], "now": clock.now(), "person_id": person_id, "on_behalf": True}
        done_id = await pledges.add_item(
            conn, member_id=member.id, year=2015, item=DONE_ITEM, today=date(2015, 3, 2), **common
        )
        late_id = await pledges.add_item(
            conn, member_id=member.id, year=2015, item=OVERDUE_ITEM, today=date(2015, 3, 2), **common
        )
        for item_id, status, day in (
            (done_id, "done", date(2015, 8, 25)),
            (late_id, "in_progress", date(2015, 5, 1)),
        ):
            await pledges.add_update(
                conn,
                item_id=item_id,
                status=status,
                note=None,
                evidence_text=None,
                evidence_kind=None,
                evidence_ref=None,
                evidence_name=None,
                today=day,
                now=clock.now(),
                person_id=person_id,
            )
        await pledges.record_review(
            conn,
            member_id=member.id,
            year=2015,
            kind="mid_year",
            assessment="Tích cực, cần đẩy nhanh việc vận động",
            ranking=None,
            today=date(2015, 7, 25),
            now=clock.now(),
            person_id=person_id,
        )
    return member


async def test_card_shows_attendance_items_overdue_and_last_review(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """The card counts the last 12 months of filed meetings and shows each item's latest progress."""
    member = await _seed(db, clock, ward)
    chat = await chat_as(app, db, ward.cells[1].secretary)
    await chat.say(f"/dangvien {member.full_name.lower()}")
    text = chat.text()
    assert "dự 1/3 buổi (33%); vắng có lý do 1, vắng không lý do 1" in text
    assert (
        "1. Viết 2 bài tuyên truyền; chỉ tiêu: 2 bài; hạn 31/12/2015\n"
        "   Tình trạng: hoàn thành (cập nhật 25/08/2015)" in text
    )
    assert "2. Vận động 10 hộ đóng quỹ khuyến học; chỉ tiêu: 10 hộ; hạn 31/08/2015 [QUÁ HẠN]" in text
    assert "Mục quá hạn: 1." in text
    assert "Sơ kết 6 tháng đầu năm 2015 (ngày 25/07/2015): Tích cực, cần đẩy nhanh việc vận động" in text


async def test_card_by_number_and_for_committee_by_name(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A secretary opens a card by its roster number; a committee member by name in any cell."""
    member = await _seed(db, clock, ward)
    async with db.begin() as conn:
        roster = await org.list_members(conn, member.cell_id)
    secretary = await chat_as(app, db, ward.cells[1].secretary)
    await secretary.say(f"/dangvien {roster.index(member) + 1}")
    assert f"Đồng chí {member.full_name} — {CELL}" in secretary.text()
    committee = await chat_as(app, db, ward.committee_people[0].full_name)
    await committee.say(f"/dangvien {member.full_name}")
    assert "Mục quá hạn: 1." in committee.text()


async def test_secretary_cannot_open_a_card_of_another_cell(app: App, db: Database, ward: DemoWard) -> None:
    """A name from another cell is not found for a secretary."""
    chat = await chat_as(app, db, ward.cells[0].secretary)
    other = ward.cells[1].members[0].full_name
    await chat.say(f"/dangvien {other}")
    assert "không tìm thấy" in chat.text().lower() and "Chi bộ 14" not in chat.text()


async def test_card_without_meetings_says_so(app: App, db: Database, ward: DemoWard) -> None:
    """With no filed reports, the card says there is no attendance yet rather than 0%."""
    chat = await chat_as(app, db, ward.cells[2].secretary)
    await chat.say("/dangvien 1")
    assert "chưa có báo cáo sinh hoạt nào" in chat.text() and "Cam kết năm 2015: chưa đăng ký." in chat.text()


async def test_cell_summary_gives_the_inspectors_figures(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """The summary counts coverage, items done, in progress and overdue, and names stale members."""
    member = await _seed(db, clock, ward)
    clock.moment = datetime(2015, 12, 1, 2, tzinfo=UTC)
    chat = await chat_as(app, db, ward.cells[1].secretary)
    await chat.say("/dangvien")
    await chat.press("Tổng hợp chi bộ")
    text = chat.text()
    size = len(ward.cells[1].members)
    assert f"Đảng viên: {size}; cam kết cụ thể: 1; chung chung: 0; chưa đăng ký: {size - 1}." in text
    assert "Tổng số mục: 2; hoàn thành: 1; đang thực hiện: 1; quá hạn: 1." in text
    assert (
        f"{member.full_name}: cụ thể; hoàn thành 1, đang thực hiện 1, quá hạn 1; quá 3 tháng chưa cập nhật"
        in text
    )
    assert f"Quá 3 tháng chưa cập nhật (1): {member.full_name}." in text

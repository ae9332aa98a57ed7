"""A simulated year of the source scenario: January to October 2015, inspections in September.

The clock is moved day by day: the planners run at 00:05, the dispatcher drains at 07:00 and
08:00, and people act in chat on given days. The test asserts exactly which messages each
person received, and at what local minute.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from admin.demo_data import DemoWard
from core.app import App
from domain import calendar
from domain.clock import LOCAL_TZ, FixedClock
from schedules.dispatcher import Dispatcher
from schedules.planners import run_planners
from storage import accounts, org, outbox, pledges, reports
from storage.db import Database
from storage.reports import AttendanceEntry, ReportContent
from tests.conftest import Chat, chat_as
from tests.fakes.recording_channel import RecordingChannel, bind_everyone

TAI, LAN = "Nguyễn Văn Tài", "Lưu Thị Lan"  # Chi bộ 12: files on the 1st
TUAN, LY = "Đào Văn Tuấn", "Đinh Thị Ly"  # Chi bộ 14: files on the 4th, after the first reminder
HA, HIEU = "Đặng Thị Hà", "Vũ Quang Hiếu"  # Chi bộ cơ quan phường: never files
CUONG, HIEN = "Dương Mạnh Cường", "Hoàng Thị Hiền"  # Chi bộ trường mầm non: files on the 1st
CHAIR = "Hoàng Văn Chính"
COMMITTEE = (
    "Nguyễn Đức Thuận",
    "Trần Thị Minh Nguyệt",
    "Lê Quang Huy",
    "Phạm Thị Thu Hiền",
    "Hoàng Văn Chính",
    "Vũ Thị Hải Yến",
    "Đỗ Ngọc Khải",
)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """Return a local moment of 2015."""
    return datetime.combine(day, time(hour, minute), LOCAL_TZ)


class Year:
    """The ward, the clock and the dispatcher, moved through 2015 one day at a time."""

    def __init__(self, app: App, db: Database, clock: FixedClock, dispatcher: Dispatcher) -> None:
        self.app = app
        self.db = db
        self.clock = clock
        self.dispatcher = dispatcher

    async def drain(self) -> None:
        """Send everything due now, following rows the pace puts a second or two later."""
        horizon = self.clock.now() + timedelta(minutes=1)
        while True:
            async with self.db.begin() as conn:
                due = await outbox.next_due(conn)
            if due is None or due > horizon:
                return
            self.clock.moment = max(self.clock.moment, due)
            while await self.dispatcher.tick():
                pass

    async def at(self, moment: datetime) -> None:
        """Move the clock to a moment and send what fell due."""
        self.clock.moment = moment
        await self.drain()

    async def file(self, cell_name: str, year: int, month: int, kind: str = "regular") -> None:
        """File a cell's meeting report for a month, now."""
        async with self.db.begin() as conn:
            cell = await org.find_cell(conn, None, cell_name)
            member = (await org.list_members(conn, cell.id))[0]
            [(secretary, _, _), *_] = await accounts.cell_leaders(conn, cell.id)
            content = ReportContent(
                year=year,
                month=month,
                kind=kind,
                meeting_date=date(year, month, 25),
                start_time=None,
                place=None,
                topic="Chuyên đề" if kind != "regular" else None,
                chair_member_id=member.id,
                minutes_member_id=member.id,
                study=None,
                documents=None,
                review="Đã làm",
                resolution="Sẽ làm",
                quality="good",
                attendance=(AttendanceEntry(member.id, "present"),),
            )
            await reports.create_report(
                conn, cell.id, content, late=False, now=self.clock.now(), person_id=secretary, account_id=None
            )

    async def review_mid_year(self, cell_name: str) -> None:
        """Record the mid-year review of every member of a cell."""
        async with self.db.begin() as conn:
            cell = await org.find_cell(conn, None, cell_name)
            for member in await org.list_members(conn, cell.id):
                await pledges.record_review(
                    conn,
                    member_id=member.id,
                    year=2015,
                    kind=calendar.MID_YEAR,
                    assessment="Hoàn thành",
                    ranking=None,
                    today=self.clock.now().astimezone(LOCAL_TZ).date(),
                    now=self.clock.now(),
                    person_id=None,
                )

    async def chat(self, name: str, *answers: str) -> Chat:
        """Have a person type answers in order, then press «Gửi», and send what that planned."""
        chat = await chat_as(self.app, self.db, name)
        for answer in answers:
            await chat.say(answer)
        await chat.press("Gửi")
        await self.drain()
        return chat


def previous(year: int, month: int) -> tuple[int, int]:
    """Return the month before."""
    return (year - 1, 12) if month == 1 else (year, month - 1)


async def live_the_year(year: Year) -> None:
    """Run 1/1/2015 to 31/10/2015: reports, reviews, the September inspections and their sequel."""
    day = date(2015, 1, 1)
    while day <= date(2015, 10, 31):
        year.clock.moment = local(day, 0, 5)
        await run_planners(year.db, year.clock)
        await year.at(local(day, 7))
        await year.at(local(day, 8))
        year.clock.moment = local(day, 9)
        reported = previous(day.year, day.month)
        thematic = "combined" if reported[1] in (3, 6, 9) else "regular"
        if day.day == 1:
            await year.file("Chi bộ 12", *reported, kind=thematic)
            await year.file("Chi bộ trường mầm non Phúc Lợi", *reported)
        if day.day == 4:
            await year.file("Chi bộ 14", *reported)
        if day == date(2015, 6, 10):
            await year.review_mid_year("Chi bộ 12")
        if day == date(2015, 8, 20):
            # Planned late in the evening: the notices wait for the end of the quiet hours.
            year.clock.moment = local(day, 22, 30)
            await year.chat(
                CHAIR,
                "/kiemtra",
                "1, 2",
                "15/9/2015",
                "Việc thực hiện Chỉ thị 03-CT/TW",
                "1/2015",
                "8/2015",
                "Sổ biên bản, sổ nghị quyết, bản đăng ký của đảng viên",
            )
        if day == date(2015, 9, 10):
            await year.chat(TAI, "/tukiemtra", "1", "Đã nộp bản giấy")
        if day == date(2015, 9, 20):
            await year.chat(
                CHAIR,
                "/ketluan",
                "1",
                "Sinh hoạt đều",
                "Bản đăng ký còn chung chung",
                "Cụ thể hóa bản đăng ký",
                "Cụ thể hóa bản đăng ký từng đảng viên - 30/10/2015",
            )
        day += timedelta(days=1)


def expected() -> Counter[tuple[str, str, str]]:
    """Return who should get which kind of message at which local minute."""
    wanted: Counter[tuple[str, str, str]] = Counter()

    def give(names: tuple[str, ...], when: datetime, kind: str) -> None:
        for name in names:
            wanted[(name, when.strftime("%d/%m %H:%M"), kind)] += 1

    for month in range(1, 11):
        give((TUAN, LY, HA, HIEU), local(date(2015, month, 2), 8), calendar.REPORT_REMINDER)
        give((HA, HIEU), local(date(2015, month, 5), 8), calendar.REPORT_REMINDER)
        give(COMMITTEE, local(date(2015, month, 6), 8), calendar.REPORT_LATE)
    give((TUAN, LY, HA, HIEU, CUONG, HIEN), local(date(2015, 6, 15), 8), calendar.PLEDGE_REVIEW)
    give((TAI, LAN, TUAN, LY), local(date(2015, 8, 21), 7), calendar.INSPECTION_NOTICE)
    for day in (1, 8, 12, 14):
        give((TAI, LAN, TUAN, LY), local(date(2015, 9, day), 8), calendar.INSPECTION_REMINDER)
    give(COMMITTEE, local(date(2015, 9, 10), 9), "inspection_self_report")
    give((TAI, LAN), local(date(2015, 9, 20), 9), "inspection_conclusion")
    give((TAI, LAN), local(date(2015, 10, 1), 8), calendar.REMEDIAL_REMINDER)
    return wanted


async def test_a_year_of_reminders(app: App, db: Database, clock: FixedClock, ward: DemoWard) -> None:
    """From January to October each person gets exactly the expected messages, at the expected minute."""
    people = await bind_everyone(db, clock)
    channel = RecordingChannel(clock)

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    year = Year(app, db, clock, Dispatcher(db, clock, {"test": channel}, sleep=sleep))
    await live_the_year(year)

    names = {person_id: name for name, (person_id, _) in people.items()}
    async with db.begin() as conn:
        sent = await outbox.rows_by_status(conn, outbox.SENT)
        others = [
            r
            for s in (outbox.PENDING, outbox.FAILED, outbox.UNKNOWN, outbox.EXPIRED)
            for r in await outbox.rows_by_status(conn, s)
        ]
    got = Counter(
        (names[r.person_id], r.due_at.astimezone(LOCAL_TZ).strftime("%d/%m %H:%M"), r.kind)
        for r in sent
        if r.kind != "reply"
    )
    assert got == expected()
    assert others == []
    chats = {chat_id: name for name, (_, chat_id) in people.items()}
    delivered = Counter(
        (chats[s.chat_id], s.at.astimezone(LOCAL_TZ).strftime("%d/%m %H:%M")) for s in channel.sent
    )
    assert delivered == Counter({(name, when): n for (name, when, _), n in expected().items()})

    by_period = {(names[r.person_id], r.period): r.payload["text"] for r in sent}
    last_12 = by_period[(TAI, "inspection:1:T-1")]
    last_14 = by_period[(TUAN, "inspection:2:T-1")]
    assert "Chưa nộp báo cáo tự kiểm tra" not in last_12 and "Quý chưa có" not in last_12
    assert "Chưa nộp báo cáo tự kiểm tra" in last_14 and "quý I/2015, quý II/2015" in last_14
    assert "Chi bộ cơ quan phường" in by_period[(CHAIR, "report:2015-08")]
    assert "Chi bộ 14" not in by_period[(CHAIR, "report:2015-08")]

"""Inspections in chat: planning, the schedule, the self-inspection report, conclusion and remedial tasks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from admin.demo_data import DemoWard
from core.app import App
from domain.clock import FixedClock, local_today
from storage import audit, inspections, outbox
from storage.db import Database
from tests.conftest import Chat, chat_as

UBKT_CHAIR = "Hoàng Văn Chính"
SECRETARY_12 = "Nguyễn Văn Tài"
DEPUTY_12 = "Lưu Thị Lan"
SECRETARY_14 = "Đào Văn Tuấn"


async def notices(db: Database, kind: str) -> list[outbox.OutboxRow]:
    """Return the planned notices of one kind."""
    async with db.begin() as conn:
        return [r for r in await outbox.rows_by_status(conn, outbox.PENDING) if r.kind == kind]


async def plan_inspection(chat: Chat, cells: str = "1", day: str = "25/9/2015") -> None:
    """Plan an inspection through /kiemtra and submit it."""
    await chat.say("/kiemtra")
    await chat.say(cells)
    await chat.say(day)
    await chat.say("Việc thực hiện Chỉ thị 03-CT/TW")
    await chat.say("1/2015")
    await chat.say("8/2015")
    await chat.say("Sổ biên bản, sổ nghị quyết, bản đăng ký của đảng viên")
    await chat.press("Gửi")


@pytest.fixture
async def committee(app: App, db: Database, ward: DemoWard) -> Chat:
    """The UBKT chairman's chat."""
    return await chat_as(app, db, UBKT_CHAIR)


async def test_committee_plans_an_inspection_and_the_cell_is_notified(db: Database, committee: Chat) -> None:
    """/kiemtra for Chi bộ 12 confirms with a code, and its secretary and deputy get the notice at once."""
    await plan_inspection(committee)
    assert (
        "Đã lập kế hoạch kiểm tra" in committee.text()
        and "Chi bộ 12, làm việc ngày 25/09/2015" in committee.text()
    )
    sent = await notices(db, "inspection_notice")
    assert len(sent) == 2
    assert "Việc thực hiện Chỉ thị 03-CT/TW" in sent[0].payload["text"]
    assert "tháng 1/2015 đến tháng 8/2015" in sent[0].payload["text"]


async def test_several_cells_at_once(db: Database, clock: FixedClock, committee: Chat) -> None:
    """Choosing «1, 2» plans one inspection per cell."""
    await plan_inspection(committee, cells="1, 2")
    async with db.begin() as conn:
        planned = await inspections.upcoming(conn, local_today(clock), committee_ids=frozenset({1}))
    assert sorted(i.cell_name for i in planned) == ["Chi bộ 12", "Chi bộ 14"]


async def test_a_past_session_date_is_refused_and_nothing_is_lost(committee: Chat) -> None:
    """A date already past gets a reason; the cells chosen stay chosen."""
    await committee.say("/kiemtra")
    await committee.say("1")
    await committee.say("1/9/2015")
    assert "từ hôm nay trở đi" in committee.text()
    await committee.say("25/9/2015")
    assert "Nội dung kiểm tra" in committee.text()


async def test_unreadable_cell_choice_says_what_to_type(committee: Chat) -> None:
    """Typing a cell that is not on the list explains the numbers to type."""
    await committee.say("/kiemtra")
    await committee.say("chi bo 99")
    assert "số thứ tự chi bộ từ 1 đến 4" in committee.text()


async def test_a_secretary_cannot_plan_inspections(app: App, db: Database, ward: DemoWard) -> None:
    """/kiemtra is for the committee only."""
    secretary = await chat_as(app, db, SECRETARY_12)
    await secretary.say("/kiemtra")
    assert "không thuộc quyền" in secretary.text()


async def test_secretary_sees_only_their_cells_schedule_with_checklist(
    app: App, db: Database, committee: Chat
) -> None:
    """/lichkiemtra shows a secretary their own cell's inspection and what is still missing."""
    await plan_inspection(committee, cells="1, 2")
    secretary = await chat_as(app, db, SECRETARY_14)
    await secretary.say("/lichkiemtra")
    assert "Chi bộ 14" in secretary.text() and "Chi bộ 12" not in secretary.text()
    assert "Chưa nộp báo cáo tự kiểm tra" in secretary.text()
    await committee.say("lịch kiểm tra")
    assert "Chi bộ 12" in committee.text() and "Chi bộ 14" in committee.text()
    assert "Còn thiếu: 8 tháng chưa nộp báo cáo; 2 quý chưa sinh hoạt chuyên đề" in committee.text()


async def test_secretary_files_the_self_inspection_report(app: App, db: Database, committee: Chat) -> None:
    """/tukiemtra records the report, tells the committee, and the checklist no longer asks for it."""
    await plan_inspection(committee)
    secretary = await chat_as(app, db, SECRETARY_12)
    await secretary.say("/tukiemtra")
    await secretary.say("1")
    await secretary.say("Đã nộp bản giấy ngày 10/9")
    await secretary.press("Gửi")
    assert "Đã ghi nhận báo cáo tự kiểm tra" in secretary.text()
    assert len(await notices(db, "inspection_self_report")) == 7
    await secretary.say("/lichkiemtra")
    assert "đã có báo cáo tự kiểm tra" in secretary.text()


async def conclude(committee: Chat, clock: FixedClock, tasks: str) -> None:
    """Move past the session and record the conclusion."""
    clock.advance(timedelta(days=16))
    await committee.say("/ketluan")
    await committee.say("1")
    await committee.say("Sinh hoạt đều đặn")
    await committee.say("Bản đăng ký còn chung chung; chưa theo dõi từng đảng viên")
    await committee.say("Cụ thể hóa bản đăng ký")
    await committee.say(tasks)
    await committee.press("Gửi")


async def test_conclusion_with_remedial_tasks_reaches_the_cell(
    db: Database, clock: FixedClock, committee: Chat
) -> None:
    """/ketluan records strengths, limitations, recommendations and tasks, and sends them to the cell."""
    await plan_inspection(committee)
    await conclude(
        committee, clock, "Cụ thể hóa bản đăng ký - 30/10/2015\nLập sổ theo dõi từng đảng viên - 15/11/2015"
    )
    assert "2 nhiệm vụ khắc phục" in committee.text()
    [notice, _] = await notices(db, "inspection_conclusion")
    assert "Cụ thể hóa bản đăng ký (hạn 30/10/2015)" in notice.payload["text"]
    async with db.begin() as conn:
        assert len(await inspections.open_tasks(conn, cell_id=1)) == 2
        trail = await audit.entries(conn, "inspection", 1)
    assert [e.action for e in trail] == ["planned", "concluded"]


async def test_task_line_without_deadline_is_refused(clock: FixedClock, committee: Chat) -> None:
    """A remedial task typed without a deadline gets the expected form back."""
    await plan_inspection(committee)
    clock.advance(timedelta(days=16))
    await committee.say("/ketluan")
    for answer in ("1", "Tốt", "Chung chung", "Cụ thể hóa"):
        await committee.say(answer)
    await committee.say("Cụ thể hóa bản đăng ký")
    assert "nội dung - hạn ngày" in committee.text()


async def test_secretary_reports_on_a_task_and_the_committee_closes_it(
    app: App, db: Database, clock: FixedClock, committee: Chat
) -> None:
    """/khacphuc reports to the committee; /dongkhacphuc closes the task and tells the cell."""
    await plan_inspection(committee)
    await conclude(committee, clock, "Cụ thể hóa bản đăng ký - 30/10/2015")
    secretary = await chat_as(app, db, SECRETARY_12)
    await secretary.say("/khacphuc")
    await secretary.say("1")
    await secretary.say("Đã rà soát 34 bản đăng ký, bổ sung chỉ tiêu")
    await secretary.press("Gửi")
    assert "Đã ghi nhận báo cáo" in secretary.text()
    assert len(await notices(db, "remedial_update")) == 7
    await committee.say("/dongkhacphuc")
    await committee.say("1")
    await committee.press("Gửi")
    assert "Đã đóng nhiệm vụ khắc phục" in committee.text()
    assert len(await notices(db, "remedial_closed")) == 2
    async with db.begin() as conn:
        assert await inspections.open_tasks(conn, cell_id=1) == []
        trail = await audit.entries(conn, "remedial_task", 1)
    assert [e.action for e in trail] == ["reported", "closed"]


async def test_secretary_of_another_cell_has_no_tasks_to_report(
    app: App, db: Database, clock: FixedClock, committee: Chat
) -> None:
    """Chi bộ 14's secretary does not see Chi bộ 12's remedial tasks."""
    await plan_inspection(committee)
    await conclude(committee, clock, "Cụ thể hóa bản đăng ký - 30/10/2015")
    other = await chat_as(app, db, SECRETARY_14)
    await other.say("/khacphuc")
    assert "Không có nhiệm vụ khắc phục nào đang mở" in other.text()

"""Amending a filed report: every amendment is a revision, the committee hears of the latest."""

from __future__ import annotations

import pytest

from admin.demo_data import DemoWard
from core.app import App
from storage import audit, reports
from storage.db import Database
from tests.conftest import Chat, chat_as
from tests.test_report_flow import fill, pending_notices


@pytest.fixture
async def filed(app: App, db: Database, ward: DemoWard) -> Chat:
    """Return the chat of Chi bộ 12's secretary after filing August's report (BC0001)."""
    chat = await chat_as(app, db, ward.cells[0].secretary)
    await fill(chat)
    await chat.say("gửi")
    return chat


async def test_amend_starts_from_the_filed_report(filed: Chat) -> None:
    """/suabaocao shows the filed answers at the summary, ready to edit by number."""
    await filed.say("/suabaocao BC0001")
    assert "Sửa báo cáo BC0001 của Chi bộ 12" in filed.text()
    assert "3. Ngày họp: 05/08/2015" in filed.text() and "10. Chủ trì: Bùi Thúy Lan" in filed.text()


async def test_amendment_is_kept_as_a_revision(filed: Chat, db: Database) -> None:
    """Changing the date makes revision 2, recording who changed what."""
    await filed.say("/suabaocao BC0001")
    await filed.say("3")
    await filed.say("6/8/2015")
    await filed.press("Gửi")
    assert "(phiên bản 2); đã sửa: Ngày họp." in filed.text()
    async with db.begin() as conn:
        revisions = await reports.report_revisions(conn, 1)
        trail = await audit.entries(conn, "meeting_report", 1)
    assert [(r.revision, r.changes) for r in revisions] == [(1, []), (2, ["meeting_date"])]
    assert revisions[1].person_name == filed.name
    assert [e.action for e in trail] == ["submitted", "amended"]


async def test_amendment_notifies_the_committee_again(filed: Chat, db: Database, ward: DemoWard) -> None:
    """Each revision gets its own notice per committee member, marked as amended."""
    await filed.say("/suabaocao BC0001")
    await filed.say("16")
    await filed.say("khá")
    await filed.say("gửi")
    notices = await pending_notices(db)
    amended = [n for n in notices if n.period == "1:2"]
    assert len(notices) == 2 * len(ward.committee_people) and len(amended) == len(ward.committee_people)
    assert "đã sửa báo cáo sinh hoạt tháng 8/2015 (mã BC0001, phiên bản 2)" in amended[0].payload["text"]


async def test_amendment_changing_attendance_updates_the_counts(filed: Chat, db: Database) -> None:
    """Amending the absentees recounts presence from the roster."""
    await filed.say("/suabaocao BC0001")
    await filed.say("6")
    await filed.say("không ai")
    await filed.say("gửi")
    async with db.begin() as conn:
        report = await reports.get_report(conn, 1)
    assert report.content.counts.present == 29 and report.revision == 2


async def test_amendment_without_changes_keeps_the_report(filed: Chat, db: Database) -> None:
    """Submitting unchanged answers makes no new revision."""
    await filed.say("/suabaocao BC0001")
    await filed.say("gửi")
    assert "không có gì thay đổi" in filed.text()
    async with db.begin() as conn:
        assert len(await reports.report_revisions(conn, 1)) == 1


async def test_amend_without_code_picks_from_the_list(filed: Chat) -> None:
    """/suabaocao alone offers the cell's reports; choosing one opens its summary."""
    await filed.say("/suabaocao")
    assert "Đồng chí muốn sửa báo cáo nào của Chi bộ 12?" in filed.text()
    await filed.press("8/2015 · Thường kỳ · nộp muộn · dự họp 89,7%")
    assert "Sửa báo cáo BC0001" in filed.text() and "1. Tháng báo cáo: 8/2015" in filed.text()


async def test_paused_amendment_is_offered_again(filed: Chat) -> None:
    """An amendment paused with /huy is offered to continue, and starting over restores the filed answers."""
    await filed.say("/suabaocao BC0001")
    await filed.say("3")
    await filed.say("/huy")
    await filed.say("/suabaocao BC0001")
    await filed.press("Làm lại từ đầu")
    assert "3. Ngày họp: 05/08/2015" in filed.text()


async def test_other_cell_cannot_amend(filed: Chat, app: App, db: Database, ward: DemoWard) -> None:
    """The secretary of Chi bộ 14 cannot amend Chi bộ 12's report."""
    other = await chat_as(app, db, ward.cells[1].secretary)
    await other.say("/suabaocao BC0001")
    assert "Không tìm thấy báo cáo «BC0001»" in other.text()

"""Amending a filed report: every amendment is a revision, the committee hears of the latest."""

from __future__ import annotations

import pytest

from admin.demo_data import DemoWard
from core.app import App
from storage import audit, reports
from storage.db import Database
from tests.conftest import Chat, chat_as
from tests.test_report_flow import filed_code, fill, pending_notices, report_id


@pytest.fixture
async def filed(app: App, db: Database, ward: DemoWard) -> tuple[Chat, str]:
    """Return the chat of Chi bộ 12's secretary after filing August's report, and its code."""
    chat = await chat_as(app, db, ward.cells[0].secretary)
    await fill(chat)
    await chat.say("gửi")
    return chat, filed_code(chat)


async def test_amend_starts_from_the_filed_report(filed: tuple[Chat, str]) -> None:
    """/suabaocao shows the filed answers at the summary, ready to edit by number."""
    chat, code = filed
    await chat.say(f"/suabaocao {code}")
    assert f"Sửa báo cáo {code} của Chi bộ 12" in chat.text()
    assert "3. Ngày họp: 05/08/2015" in chat.text() and "11. Chủ trì: Bùi Thúy Lan" in chat.text()


async def test_amendment_is_kept_as_a_revision(filed: tuple[Chat, str], db: Database) -> None:
    """Changing the date makes revision 2, recording who changed what."""
    chat, code = filed
    await chat.say(f"/suabaocao {code}")
    await chat.say("3")
    await chat.say("6/8/2015")
    await chat.press("Gửi")
    assert "(phiên bản 2); đã sửa: Ngày họp." in chat.text()
    async with db.begin() as conn:
        revisions = await reports.report_revisions(conn, report_id(code))
        trail = await audit.entries(conn, "meeting_report", report_id(code))
    assert [(r.revision, r.changes) for r in revisions] == [(1, []), (2, ["meeting_date"])]
    assert revisions[1].person_name == chat.name
    assert [e.action for e in trail] == ["submitted", "amended"]


async def test_amendment_notifies_the_committee_again(
    filed: tuple[Chat, str], db: Database, ward: DemoWard
) -> None:
    """Each revision gets its own notice per committee member, marked as amended."""
    chat, code = filed
    await chat.say(f"/suabaocao {code}")
    await chat.say("19")
    await chat.say("khá")
    await chat.say("gửi")
    notices = await pending_notices(db)
    amended = [n for n in notices if n.period == f"{report_id(code)}:2"]
    assert len(notices) == 2 * len(ward.committee_people) and len(amended) == len(ward.committee_people)
    assert f"đã sửa báo cáo sinh hoạt tháng 8/2015 (mã {code}, phiên bản 2)" in amended[0].payload["text"]


async def test_amendment_changing_attendance_updates_the_counts(
    filed: tuple[Chat, str], db: Database
) -> None:
    """Amending the absentees recounts presence from the roster."""
    chat, code = filed
    await chat.say(f"/suabaocao {code}")
    await chat.say("7")
    await chat.say("không ai")
    await chat.say("không")
    await chat.say("gửi")
    async with db.begin() as conn:
        report = await reports.get_report(conn, report_id(code))
    assert report.content.counts.present == 29 and report.revision == 2


async def test_amendment_without_changes_keeps_the_report(filed: tuple[Chat, str], db: Database) -> None:
    """Submitting unchanged answers makes no new revision."""
    chat, code = filed
    await chat.say(f"/suabaocao {code}")
    await chat.say("gửi")
    assert "không có gì thay đổi" in chat.text()
    async with db.begin() as conn:
        assert len(await reports.report_revisions(conn, report_id(code))) == 1


async def test_amend_without_code_picks_from_the_list(filed: tuple[Chat, str]) -> None:
    """/suabaocao alone offers the cell's reports; choosing one opens its summary."""
    chat, code = filed
    await chat.say("/suabaocao")
    assert "Đồng chí muốn sửa báo cáo nào của Chi bộ 12?" in chat.text()
    await chat.press("8/2015 · Thường kỳ · nộp muộn · dự họp 89,7%")
    assert f"Sửa báo cáo {code}" in chat.text() and "1. Tháng báo cáo: 8/2015" in chat.text()


async def test_paused_amendment_is_offered_again(filed: tuple[Chat, str]) -> None:
    """An amendment paused with /huy is offered to continue, and starting over restores the filed answers."""
    chat, code = filed
    await chat.say(f"/suabaocao {code}")
    await chat.say("3")
    await chat.say("/huy")
    await chat.say(f"/suabaocao {code}")
    await chat.press("Làm lại từ đầu")
    assert "3. Ngày họp: 05/08/2015" in chat.text()


async def test_other_cell_cannot_amend(
    filed: tuple[Chat, str], app: App, db: Database, ward: DemoWard
) -> None:
    """The secretary of Chi bộ 14 cannot amend Chi bộ 12's report."""
    _, code = filed
    other = await chat_as(app, db, ward.cells[1].secretary)
    await other.say(f"/suabaocao {code}")
    assert f"Không tìm thấy báo cáo «{code}»" in other.text()

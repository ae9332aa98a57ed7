"""Listing and reading reports: a cell sees its own, the committee sees every cell's."""

from __future__ import annotations

import pytest

from admin.demo_data import DemoWard
from core.app import App
from storage.db import Database
from tests.conftest import Chat, chat_as
from tests.test_report_flow import filed_code, fill, report_id


@pytest.fixture
async def filed(app: App, db: Database, ward: DemoWard) -> tuple[Chat, str]:
    """Return the chat of Chi bộ 12's secretary after filing August's report, and its code."""
    chat = await chat_as(app, db, ward.cells[0].secretary)
    await fill(chat)
    await chat.say("gửi")
    return chat, filed_code(chat)


async def test_cell_lists_its_reports_and_opens_one(filed: tuple[Chat, str]) -> None:
    """/xembaocao lists month, kind, timeliness and rate; choosing one shows it in full."""
    chat, code = filed
    await chat.say("/xembaocao")
    await chat.press("8/2015 · Thường kỳ · nộp muộn · dự họp 89,7%")
    text = chat.text()
    assert f"BÁO CÁO SINH HOẠT CHI BỘ — Chi bộ 12 — tháng 8/2015 (mã {code})" in text
    assert "Vắng có lý do (2): Dương Kim Hương (Ốm); Lê Phương Huyền (đi viện)." in text
    assert "Vắng không lý do (1): Lưu Thị Lan." in text


async def test_list_shows_drafts(filed: tuple[Chat, str]) -> None:
    """A draft saved for later is listed as a draft beside the filed reports."""
    chat, _ = filed
    await chat.say("/baocao")
    await chat.press("Nhập từng mục")
    await chat.press("Tháng 9/2015")
    await chat.say("/huy")
    await chat.say("/xembaocao")
    assert "Bản nháp chưa gửi:\n- Tháng 9/2015 · chưa chọn · bản nháp" in chat.text()


async def test_amended_report_is_shown_as_amended(filed: tuple[Chat, str]) -> None:
    """After an amendment the latest version is shown, marked amended, with its history."""
    chat, code = filed
    await chat.say(f"/suabaocao {code}")
    await chat.say("3")
    await chat.say("6/8/2015")
    await chat.say("gửi")
    await chat.say(f"/xembaocao {code}")
    assert "ĐÃ SỬA" in chat.text() and "ngày 06/08/2015" in chat.text()
    assert f"Phiên bản 2: sửa lúc 09:00 10/09/2015 bởi đồng chí {chat.name}; đã sửa: Ngày họp." in chat.text()


async def test_other_cell_cannot_open_the_report(
    filed: tuple[Chat, str], app: App, db: Database, ward: DemoWard
) -> None:
    """Chi bộ 14's secretary neither sees Chi bộ 12's report in a list nor opens it by code."""
    _, code = filed
    other = await chat_as(app, db, ward.cells[1].secretary)
    await other.say(f"/xembaocao {code}")
    assert f"Không tìm thấy báo cáo «{code}»" in other.text()
    await other.say("/xembaocao")
    assert "Chi bộ 14 chưa gửi báo cáo sinh hoạt nào" in other.text()


async def test_committee_member_opens_any_cell(
    filed: tuple[Chat, str], app: App, db: Database, ward: DemoWard
) -> None:
    """A committee member picks a cell, then a report, and reads it."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/xembaocao")
    await chief.press("Chi bộ 12 (1 báo cáo)")
    await chief.say("1")
    assert "BÁO CÁO SINH HOẠT CHI BỘ — Chi bộ 12" in chief.text()


async def test_committee_member_opens_by_code(
    filed: tuple[Chat, str], app: App, db: Database, ward: DemoWard
) -> None:
    """The code in the notice opens the report for a committee member."""
    _, code = filed
    inspector = await chat_as(app, db, ward.committee_people[4].full_name)
    await inspector.say(f"/xembaocao bc{report_id(code)}")
    assert f"(mã {code})" in inspector.text()


async def test_committee_member_cannot_file(app: App, db: Database, ward: DemoWard) -> None:
    """Filing is for the cell's leaders only."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/baocao")
    assert "không thuộc quyền" in chief.text()


async def test_cell_without_reports_lets_the_committee_pick_another(
    app: App, db: Database, ward: DemoWard
) -> None:
    """A cell with nothing filed says so and says how to pick another."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/xembaocao")
    await chief.press("Chi bộ 14 (0 báo cáo)")
    assert "Chi bộ 14 chưa gửi báo cáo sinh hoạt nào" in chief.text() and "/xembaocao" in chief.text()
    await chief.say("/xembaocao")
    assert "chi bộ nào" in chief.text()


async def test_the_list_leaves_the_next_command_free(filed: tuple[Chat, str]) -> None:
    """After the list, the next command is answered, not taken as a pick from an open form."""
    chat, _ = filed
    await chat.say("/xembaocao")
    await chat.say("/dangvien")
    assert "Đồng chí đang nhập" not in chat.text() and "Chi bộ 12" in chat.text()


async def test_a_number_typed_after_the_list_opens_that_report(filed: tuple[Chat, str]) -> None:
    """A number typed right after the list opens the report it numbers."""
    chat, code = filed
    await chat.say("/xembaocao")
    await chat.say("1")
    assert f"(mã {code})" in chat.text()


async def test_committee_opens_a_cell_by_name(
    filed: tuple[Chat, str], app: App, db: Database, ward: DemoWard
) -> None:
    """«/xembaocao chi bo 12» typed without diacritics lists that cell's reports."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/xembaocao chi bo 12")
    assert "Báo cáo sinh hoạt của Chi bộ 12." in chief.text()


async def test_absentees_are_listed_in_vietnamese_order(app: App, db: Database, ward: DemoWard) -> None:
    """Absentees show in roster order (Dương before Nguyễn), not in the order members were added."""
    chat = await chat_as(app, db, ward.cells[0].secretary)
    await fill(chat, absent="19, 2", reasons=("không", "không"), vote="24/0")
    await chat.say("gửi")
    await chat.say(f"/xembaocao {filed_code(chat)}")
    assert "Vắng không lý do (2): Dương Kim Hương, Nguyễn Thị Phương." in chat.text(), chat.text()

"""/dangvien: the roster, adding, excusing, recognising, moving out, and importing a file in chat."""

from __future__ import annotations

import itertools

from admin.demo_data import DemoWard
from core.app import App
from core.messages import Attachment, Inbound
from storage import audit, org
from storage.db import Database
from storage.org import NewMember
from tests.conftest import Chat, chat_as

_files = itertools.count(1)


async def _roster(db: Database, cell_name: str) -> list[org.Member]:
    """Return a demo cell's current roster."""
    async with db.begin() as conn:
        cell = await org.find_cell(conn, None, cell_name)
        return await org.list_members(conn, cell.id)


async def send_file(chat: Chat, name: str, data: bytes) -> None:
    """Send a document with no caption, as Telegram delivers it once downloaded."""
    attachment = Attachment("document", f"file-{next(_files)}", name, len(data), data)
    await chat.send(
        Inbound(chat.channel, chat.chat_id, chat.chat_id, f"file-{next(_files)}", attachment=attachment)
    )


async def test_secretary_sees_roster_with_status_and_pledge_state(
    app: App, db: Database, ward: DemoWard
) -> None:
    """The roster lists every current member with status, excused flag and pledge state."""
    chat = await chat_as(app, db, ward.cells[0].secretary)
    await chat.say("/dangvien")
    text = chat.text()
    assert f"Chi bộ 12 ({len(ward.cells[0].members)} đồng chí)" in text
    assert "miễn sinh hoạt" in text and "dự bị" in text and "cam kết: chưa đăng ký" in text
    assert [o.label for o in chat.last[-1].options][:3] == [
        "Xem một đồng chí",
        "Tổng hợp chi bộ",
        "Thêm đảng viên",
    ]


async def test_secretary_adds_a_member(app: App, db: Database, ward: DemoWard) -> None:
    """A new member is added after confirmation, and recorded in the audit trail."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    await chat.say("/dangvien")
    await chat.press("Thêm đảng viên")
    await chat.say("Đỗ Thị Hạnh")
    await chat.say("1990")
    await chat.say("du bi")
    await chat.say("không")
    await chat.say("19/05/2015")
    assert "Thêm đồng chí Đỗ Thị Hạnh (sinh năm 1990, đảng viên dự bị)" in chat.text()
    await chat.press("Xác nhận")
    assert "Đã thêm đồng chí Đỗ Thị Hạnh" in chat.text()
    added = [m for m in await _roster(db, "Chi bộ 14") if m.full_name == "Đỗ Thị Hạnh"]
    assert added and added[0].status == "candidate"
    async with db.begin() as conn:
        assert (await audit.entries(conn, "member", added[0].id))[0].action == "added"


async def test_mistyped_birth_year_is_asked_again_keeping_the_name(
    app: App, db: Database, ward: DemoWard
) -> None:
    """A bad birth year gets a reason; the name typed before is kept."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    await chat.say("/dangvien")
    await chat.press("Thêm đảng viên")
    await chat.say("Đỗ Thị Hạnh")
    await chat.say("90")
    assert "Chưa hợp lệ" in chat.text() and "4 chữ số" in chat.text()
    await chat.say("1990")
    await chat.say("chinh thuc")
    await chat.say("khong")
    await chat.say("khong")
    assert "Thêm đồng chí Đỗ Thị Hạnh (sinh năm 1990, đảng viên chính thức)" in chat.text()


async def test_excusing_toggles_and_counts(app: App, db: Database, ward: DemoWard) -> None:
    """Marking a member excused, then no longer excused, changes the roster each time."""
    chat = await chat_as(app, db, ward.cells[0].secretary)
    target = next(m for m in await _roster(db, "Chi bộ 12") if not m.excused)
    for expected in (True, False):
        await chat.say("/dangvien")
        await chat.press("Miễn sinh hoạt / thôi miễn")
        await chat.say(target.full_name.lower())
        await chat.press("Xác nhận")
        changed = next(m for m in await _roster(db, "Chi bộ 12") if m.id == target.id)
        assert changed.excused is expected


async def test_candidate_is_recognised_and_full_member_refused(
    app: App, db: Database, ward: DemoWard
) -> None:
    """Only a candidate can be made a full member."""
    chat = await chat_as(app, db, ward.cells[2].secretary)
    roster = await _roster(db, ward.cells[2].name)
    full = next(m for m in roster if m.status == "full")
    candidate = next(m for m in roster if m.status == "candidate")
    await chat.say("/dangvien")
    await chat.press("Công nhận chính thức")
    await chat.say(str(roster.index(full) + 1))
    assert "đã là đảng viên chính thức" in chat.text()
    await chat.say(str(roster.index(candidate) + 1))
    await chat.press("Xác nhận")
    assert f"Đã ghi đồng chí {candidate.full_name} là đảng viên chính thức" in chat.text()
    assert next(m for m in await _roster(db, ward.cells[2].name) if m.id == candidate.id).status == "full"


async def test_moved_out_member_leaves_the_roster_but_stays_in_history(
    app: App, db: Database, ward: DemoWard
) -> None:
    """Moving a member out removes them from the current roster, not from the database."""
    chat = await chat_as(app, db, ward.cells[3].secretary)
    roster = await _roster(db, ward.cells[3].name)
    leaving = roster[-1]
    await chat.say("/dangvien")
    await chat.press("Chuyển sinh hoạt đi")
    await chat.say(str(len(roster)))
    await chat.say("hôm nay")
    await chat.say("Chuyển sinh hoạt về Chi bộ 5 phường Hoàng Liệt")
    await chat.press("Xác nhận")
    assert "chuyển sinh hoạt đi từ ngày 10/09/2015" in chat.text()
    assert leaving.id not in [m.id for m in await _roster(db, ward.cells[3].name)]
    async with db.begin() as conn:
        assert (await org.get_member(conn, leaving.id)).left_on is not None
    await chat.say("/dangvien")
    assert "1 đồng chí đã chuyển đi" in chat.text()


async def test_discarding_a_change_changes_nothing(app: App, db: Database, ward: DemoWard) -> None:
    """Answering no at the confirmation leaves the roster as it was."""
    chat = await chat_as(app, db, ward.cells[3].secretary)
    before = await _roster(db, ward.cells[3].name)
    await chat.say("/dangvien")
    await chat.press("Chuyển sinh hoạt đi")
    await chat.say("1")
    await chat.say("hôm nay")
    await chat.say("Chuyển đi nơi khác")
    await chat.press("Không, hủy bỏ")
    assert "không thay đổi" in chat.text()
    assert await _roster(db, ward.cells[3].name) == before


async def test_committee_member_picks_a_cell_and_cannot_edit(app: App, db: Database, ward: DemoWard) -> None:
    """A committee member sees any cell of the committee, with view-only choices."""
    chat = await chat_as(app, db, ward.committee_people[0].full_name)
    await chat.say("/dangvien")
    await chat.press("Chi bộ 14")
    assert "Chi bộ 14 (" in chat.text()
    assert [o.label for o in chat.last[-1].options] == ["Xem một đồng chí", "Tổng hợp chi bộ"]


async def test_roster_file_with_bad_rows_is_refused_by_line(app: App, db: Database, ward: DemoWard) -> None:
    """Bad rows are reported by line, nothing is written, and a corrected file can follow."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    before = len(await _roster(db, "Chi bộ 14"))
    await chat.say("/dangvien")
    await chat.press("Nhập danh sách từ tệp")
    bad = (
        "Họ và tên,Năm sinh,Loại\nLê Văn Tâm,1980,chính thức\nPhan Thị Nga,19x0,dự bị\n"
        "Hồ Văn Lợi,1975,hội viên\n"
    )
    await send_file(chat, "danh-sach.csv", bad.encode())
    assert "Dòng 3" in chat.text() and "Dòng 4" in chat.text() and "chưa nhập đồng chí nào" in chat.text()
    assert len(await _roster(db, "Chi bộ 14")) == before
    good = "Họ và tên,Năm sinh,Loại\nLê Văn Tâm,1980,chính thức\nPhan Thị Nga,1990,dự bị\n"
    await send_file(chat, "danh-sach.csv", good.encode())
    assert "hợp lệ: 2 đồng chí (1 dự bị, 0 miễn sinh hoạt)" in chat.text()
    assert len(await _roster(db, "Chi bộ 14")) == before
    await chat.press("Xác nhận")
    assert "Đã nhập 2 đồng chí" in chat.text()
    assert len(await _roster(db, "Chi bộ 14")) == before + 2


async def test_roster_file_repeating_a_member_is_refused(app: App, db: Database, ward: DemoWard) -> None:
    """A file naming someone already on the roster imports nobody."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    existing = (await _roster(db, "Chi bộ 14"))[0]
    await chat.say("/dangvien")
    await chat.press("Nhập danh sách từ tệp")
    await send_file(
        chat,
        "ds.csv",
        f"Họ và tên,Năm sinh,Loại\n{existing.full_name},{existing.birth_year},chính thức\n".encode(),
    )
    assert "đã có trong danh sách" in chat.text()


async def test_text_instead_of_a_file_is_explained(app: App, db: Database, ward: DemoWard) -> None:
    """Typing instead of sending a file says how to attach one."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    await chat.say("/dangvien")
    await chat.press("Nhập danh sách từ tệp")
    await chat.say("danh sách đây")
    assert "chưa gửi tệp" in chat.text()


async def test_roster_file_is_checked_again_at_confirmation(app: App, db: Database, ward: DemoWard) -> None:
    """A name added by someone else between the preview and «Xác nhận» stops the import."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    await chat.say("/dangvien")
    await chat.press("Nhập danh sách từ tệp")
    await send_file(chat, "ds.csv", "Họ và tên,Năm sinh,Loại\nLê Văn Tâm,1980,chính thức\n".encode())
    before = len(await _roster(db, "Chi bộ 14"))
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        cell = await org.find_cell(conn, committee.id, "Chi bộ 14")
        assert cell is not None
        new = NewMember("Lê Văn Tâm", 1980, "full", False, None)
        await org.add_members(conn, cell.id, [new], app.services.clock.now())
    await chat.press("Xác nhận")
    assert "đã có trong danh sách" in chat.text()
    assert len(await _roster(db, "Chi bộ 14")) == before + 1

"""/dangky, /capnhat, /danhgia: registration with the specificity check, progress, year-end review."""

from __future__ import annotations

from datetime import UTC, date, datetime

from admin.demo_data import DemoWard
from core.app import App
from core.messages import Attachment, Inbound
from domain.clock import FixedClock
from storage import accounts, audit, org, pledges
from storage.db import Database
from tests.conftest import Chat, chat_as, item_updates

CELL = "Chi bộ 14"


async def _roster(db: Database) -> list[org.Member]:
    """Return the current roster of the cell the tests use."""
    async with db.begin() as conn:
        cell = await org.find_cell(conn, None, CELL)
        return await org.list_members(conn, cell.id)


async def _items(db: Database, member_id: int, year: int = 2015) -> list[pledges.Item]:
    """Return a member's stored items."""
    async with db.begin() as conn:
        return await pledges.member_items(conn, member_id, year)


async def register(chat: Chat, action: str, indicator: str, deadline: str, evidence: str) -> None:
    """Answer the item questions of /dangky up to the specificity verdict."""
    await chat.say(action)
    await chat.say("Công tác tuyên truyền ở tổ dân phố")
    await chat.say(indicator)
    await chat.say(deadline)
    await chat.say("Tháng 10 viết bài 1; tháng 12 viết bài 2")
    await chat.say(evidence)


async def start_for(chat: Chat, number: int) -> None:
    """Open /dangky for the member at that number, for 2015 (asked only from November)."""
    await chat.say("/dangky")
    await chat.say(str(number))
    if any(o.label == "2015" for m in chat.last for o in m.options):
        await chat.press("2015")


async def progress_up_to_evidence(chat: Chat) -> None:
    """Register an item for the 4th member, then answer /capnhat for it up to the evidence step."""
    await start_for(chat, 4)
    await register(chat, "Viết 2 bài tuyên truyền", "2 bài", "31/12/2015", "Bản in")
    await chat.press("Lưu và kết thúc")
    await chat.say("/capnhat")
    await chat.say("4")
    await chat.press("Viết 2 bài tuyên truyền")
    await chat.press("Đang thực hiện")
    await chat.say("Đã viết xong bài 1")


async def test_specific_item_is_saved_on_behalf_of_the_member(app: App, db: Database, ward: DemoWard) -> None:
    """A specific item passes the check and is saved as entered on the member's behalf."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    member = (await _roster(db))[3]
    await start_for(chat, 4)
    assert "Trung thực, trách nhiệm; gắn bó với nhân dân" in chat.text() and "03-CT/TW" in chat.text()
    await register(
        chat,
        "Viết 2 bài tuyên truyền về phân loại rác cho loa tổ dân phố",
        "2 bài",
        "31/12",
        "Bản in 2 bài viết",
    )
    assert "Mục này đã cụ thể" in chat.text()
    await chat.press("Lưu và kết thúc")
    assert "tất cả đều cụ thể" in chat.text()
    (item,) = await _items(db, member.id)
    assert (item.vague, item.deadline, item.indicator) == (False, date(2015, 12, 31), "2 bài")
    async with db.begin() as conn:
        (entry,) = await audit.entries(conn, "pledge_item", item.id)
    assert entry.on_behalf_of_member == member.id


async def test_vague_item_is_flagged_with_a_concrete_hint(app: App, db: Database, ward: DemoWard) -> None:
    """A generic item is called "chung chung" with what to add: a number, a date, a thing to show."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    await start_for(chat, 2)
    await chat.say("Phấn đấu hoàn thành tốt nhiệm vụ được giao")
    await chat.say("Chuyên môn")
    await chat.say("khong")
    await chat.say("khong")
    await chat.say("khong")
    await chat.say("khong")
    text = chat.text()
    assert "chung chung" in text and "«phấn đấu»" in text
    assert "con số" in text and "31/12/2015" in text and "ảnh chụp" in text
    assert next(o.label for o in chat.last[-1].options) == "Sửa lại cho cụ thể"


async def test_fixing_a_vague_item_reopens_what_is_missing(app: App, db: Database, ward: DemoWard) -> None:
    """Choosing to fix sends the user to the missing field, keeping the rest, and checks again."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    member = (await _roster(db))[2]
    await start_for(chat, 3)
    await register(
        chat, "Vận động 10 hộ đóng quỹ khuyến học", "tích cực", "30/11/2015", "Danh sách hộ đã đóng"
    )
    assert "chỉ tiêu chưa đo được" in chat.text()
    await chat.press("Sửa lại cho cụ thể")
    assert "Chỉ tiêu đo được" in chat.text() and "(Đã nhập: tích cực" in chat.text()
    await chat.say("10 hộ")
    assert "Mục này đã cụ thể" in chat.text()
    await chat.press("Lưu và kết thúc")
    assert [i.indicator for i in await _items(db, member.id)] == ["10 hộ"]


async def test_vague_item_kept_counts_as_vague_everywhere(app: App, db: Database, ward: DemoWard) -> None:
    """A vague item saved anyway is flagged in the roster and in the gaps others read."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    member = (await _roster(db))[0]
    await start_for(chat, 1)
    await register(chat, "luon luon nang cao y thuc trach nhiem", "thuong xuyen", "31/12/2015", "khong")
    await chat.press("Vẫn lưu và kết thúc")
    assert "1 mục chung chung" in chat.text()
    assert (await _items(db, member.id))[0].vague
    await chat.say("/dangvien")
    assert f"1. {member.full_name} — " in chat.text() and "cam kết: chung chung" in chat.text()
    async with db.begin() as conn:
        gaps = await pledges.pledge_gaps(conn, member.cell_id, 2015, date(2015, 9, 10))
    assert gaps.members_with_vague_items == [member.full_name]


async def test_saving_and_adding_another_opens_the_next_item(app: App, db: Database, ward: DemoWard) -> None:
    """After an item, the same member's next item is asked, numbered on."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    member = (await _roster(db))[1]
    await start_for(chat, 2)
    await register(chat, "Viết 2 bài tuyên truyền", "2 bài", "31/12/2015", "Bản in")
    await chat.press("Lưu, thêm mục khác")
    assert "Đã lưu mục 1" in chat.text() and "Mục 2" in chat.text()
    await register(
        chat,
        "Sửa thói quen đến họp muộn",
        "Đến trước giờ họp 10 phút, cả 4 buổi còn lại",
        "31/12/2015",
        "Xác nhận của bí thư",
    )
    await chat.press("Lưu và kết thúc")
    assert [i.position for i in await _items(db, member.id)] == [1, 2]


async def test_member_with_own_account_registers_for_themself(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A member with a linked account goes straight to their own items; nothing is on anyone's behalf."""
    member = (await _roster(db))[6]
    async with db.begin() as conn:
        person_id = await accounts.create_person(conn, member.full_name, clock.now(), member.id)
        cell = await org.get_cell(conn, member.cell_id)
        await accounts.grant_role(conn, person_id, "member", cell.committee_id, cell.id, clock.now())
    chat = await chat_as(app, db, member.full_name)
    await chat.say("/dangky")
    assert f"đồng chí {member.full_name}" in chat.text()
    await register(chat, "Đọc sách Bác Hồ với thiếu nhi", "mỗi tháng một chương", "31/12/2015", "Sổ ghi chép")
    await chat.press("Lưu và kết thúc")
    (item,) = await _items(db, member.id)
    async with db.begin() as conn:
        (entry,) = await audit.entries(conn, "pledge_item", item.id)
    assert entry.on_behalf_of_member is None and entry.person_id == person_id


async def test_progress_needs_a_pledge_first(app: App, db: Database, ward: DemoWard) -> None:
    """Updating a member without a pledge says to register first."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    await chat.say("/capnhat")
    await chat.say("1")
    assert "chưa đăng ký cam kết năm 2015" in chat.text() and "/dangky" in chat.text()


async def test_progress_takes_a_photo_as_evidence(app: App, db: Database, ward: DemoWard) -> None:
    """A photo sent at the evidence step is kept as the update's evidence."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    member = (await _roster(db))[3]
    await progress_up_to_evidence(chat)
    photo = Attachment("photo", "photo-1", None, 1000)
    await chat.send(Inbound(chat.channel, chat.chat_id, chat.chat_id, "photo-update-1", attachment=photo))
    assert "ảnh đính kèm" in chat.text()
    await chat.press("Gửi")
    assert "đang thực hiện" in chat.text()
    (item,) = await _items(db, member.id)
    async with db.begin() as conn:
        (update,) = await item_updates(conn, item.id)
    assert (item.status, update.evidence_kind, update.note) == ("in_progress", "photo", "Đã viết xong bài 1")


async def test_registration_updates_and_year_end_review(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A full year: register, update to done, then the year-end review proposes and records a ranking."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    member = (await _roster(db))[5]
    await start_for(chat, 6)
    await register(chat, "Viết 2 bài tuyên truyền về phân loại rác", "2 bài", "30/11/2015", "Bản in 2 bài")
    await chat.press("Lưu và kết thúc")
    clock.moment = datetime(2015, 11, 20, 2, 0, tzinfo=UTC)
    await chat.say("/capnhat")
    await chat.say(member.full_name)
    await chat.press("Viết 2 bài tuyên truyền về phân loại rác")
    await chat.press("Hoàn thành")
    await chat.say("không")
    await chat.say("Bản in lưu ở hồ sơ chi bộ")
    await chat.press("Gửi")
    await chat.say("/danhgia")
    assert "Tổng kết năm 2015" in chat.text() and "đã đánh giá 0/" in chat.text()
    await chat.say("6")
    assert "Hoàn thành 1/1 mục" in chat.text()
    await chat.say("Hoàn thành tốt các việc đã đăng ký, có minh chứng đầy đủ.")
    assert "Đề xuất theo kết quả cam kết (1/1 mục hoàn thành): «Hoàn thành xuất sắc nhiệm vụ»" in chat.text()
    await chat.press("Hoàn thành xuất sắc nhiệm vụ")
    await chat.press("Gửi")
    assert "Đã ghi tổng kết năm của đồng chí" in chat.text() and "Còn " in chat.text()
    async with db.begin() as conn:
        review = await pledges.last_review(conn, member.id)
    assert review is not None and (review.kind, review.ranking) == (
        "year_end",
        "Hoàn thành xuất sắc nhiệm vụ",
    )
    await chat.say("/huy")
    await chat.say(f"/dangvien {member.full_name}")
    assert (
        "Tổng kết năm 2015 (ngày 20/11/2015)" in chat.text()
        and "xếp loại: Hoàn thành xuất sắc nhiệm vụ" in chat.text()
    )


async def test_only_leaders_review(app: App, db: Database, clock: FixedClock, ward: DemoWard) -> None:
    """A committee member cannot record reviews in a cell."""
    chat = await chat_as(app, db, ward.committee_people[0].full_name)
    await chat.say("/danhgia")
    assert "không thuộc quyền" in chat.text()


async def test_a_name_not_on_the_roster_is_asked_again_in_one_line(
    app: App, db: Database, ward: DemoWard
) -> None:
    """An unknown member name gets a one-line question; the roster is not sent again until asked."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    first = (await _roster(db))[0].full_name
    await chat.say("/dangky")
    assert first in chat.text()
    await chat.say("Không Có Ai")
    assert "theo danh sách đã gửi" in chat.text() and first not in chat.text()
    await chat.say("danh sach")
    assert first in chat.text()


async def test_a_vague_action_is_flagged_before_the_next_question(
    app: App, db: Database, ward: DemoWard
) -> None:
    """«Phấn đấu…» gets its hint with the very next question, not after the five others."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    await start_for(chat, 2)
    await chat.say("Phấn đấu hoàn thành tốt nhiệm vụ")
    assert "còn chung chung" in chat.text() and "«phấn đấu»" in chat.text()
    assert "gắn với nhiệm vụ nào" in chat.text()


async def test_an_action_with_a_count_and_a_date_gives_indicator_and_deadline(
    app: App, db: Database, ward: DemoWard
) -> None:
    """«Viết 2 bài … trước 31/10/2015» is saved with indicator «2 bài» and deadline 31/10/2015, unasked."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    member = (await _roster(db))[1]
    await start_for(chat, 2)
    await chat.say("Viết 2 bài tuyên truyền về phân loại rác trước 31/10/2015")
    assert "chỉ tiêu «2 bài», thời hạn 31/10/2015" in chat.text()
    for answer in ("Công tác tuyên truyền", "không", "Bản in 2 bài viết"):
        await chat.say(answer)
    assert "Mục này đã cụ thể" in chat.text()
    await chat.press("Lưu và kết thúc")
    (item,) = await _items(db, member.id)
    assert (item.indicator, item.deadline, item.vague) == ("2 bài", date(2015, 10, 31), False)


async def test_what_was_read_from_the_action_can_be_corrected(app: App, db: Database, ward: DemoWard) -> None:
    """«Sửa chỉ tiêu, thời hạn» asks both again, and the typed ones are kept."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    member = (await _roster(db))[1]
    await start_for(chat, 2)
    await chat.say("Viết 2 bài tuyên truyền về phân loại rác trước 31/10/2015")
    for answer in ("Công tác tuyên truyền", "không", "Bản in 2 bài viết"):
        await chat.say(answer)
    await chat.press("Sửa chỉ tiêu, thời hạn")
    assert "Chỉ tiêu đo được" in chat.text()
    await chat.say("3 bài")
    await chat.say("30/11/2015")
    await chat.press("Lưu và kết thúc")
    (item,) = await _items(db, member.id)
    assert (item.indicator, item.deadline) == ("3 bài", date(2015, 11, 30))


async def test_in_november_the_year_is_asked(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """From November, when next year's pledges are registered, /dangky asks for which year."""
    clock.moment = datetime(2015, 11, 10, 2, 0, tzinfo=UTC)
    chat = await chat_as(app, db, ward.cells[1].secretary)
    await chat.say("/dangky")
    await chat.say("2")
    assert [o.label for o in chat.last[-1].options] == ["2015", "2016"]

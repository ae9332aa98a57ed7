"""/danhgia outside the year-end: the mid-year review, the season's default, and the member's own view."""

from __future__ import annotations

from datetime import UTC, date, datetime

from admin.demo_data import DemoWard
from core.app import App
from domain.clock import FixedClock
from storage import accounts, org, pledges
from storage.db import Database
from storage.pledges import NewItem
from tests.conftest import chat_as

ITEM = NewItem("Viết 2 bài tuyên truyền", "Tuyên truyền", "2 bài", date(2015, 12, 31), None, "Bản in")


async def _member_with_account(db: Database, clock: FixedClock, cell_name: str, index: int) -> org.Member:
    """Give a roster member their own account with the member role."""
    async with db.begin() as conn:
        cell = await org.find_cell(conn, None, cell_name)
        member = (await org.list_members(conn, cell.id))[index]
        person_id = await accounts.create_person(conn, member.full_name, clock.now(), member.id)
        await accounts.grant_role(conn, person_id, "member", cell.committee_id, cell.id, clock.now())
    return member


async def test_mid_year_review_in_june_asks_no_ranking(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """In June the review is the mid-year one, with an assessment and no ranking."""
    clock.moment = datetime(2015, 6, 25, 2, tzinfo=UTC)
    chat = await chat_as(app, db, ward.cells[3].secretary)
    await chat.say("/danhgia")
    assert "Sơ kết 6 tháng đầu năm 2015" in chat.text()
    await chat.say("1")
    await chat.say("Thực hiện tốt nội quy nhà trường, cần viết bài đúng hạn.")
    assert "Xếp loại" not in chat.text() and "Sơ kết 6 tháng" in chat.text()
    await chat.press("Gửi")
    assert "Đã ghi sơ kết 6 tháng của đồng chí" in chat.text()
    async with db.begin() as conn:
        cell = await org.find_cell(conn, None, ward.cells[3].name)
        first = (await org.list_members(conn, cell.id))[0]
        review = await pledges.last_review(conn, first.id)
    assert review is not None and (review.kind, review.ranking) == ("mid_year", None)


async def test_outside_the_seasons_the_kind_is_asked(app: App, db: Database, ward: DemoWard) -> None:
    """In September the secretary is asked which review to record."""
    chat = await chat_as(app, db, ward.cells[3].secretary)
    await chat.say("/danhgia")
    assert [o.label for o in chat.last[-1].options] == ["Sơ kết 6 tháng", "Tổng kết năm"]


async def test_member_sees_their_own_card(app: App, db: Database, clock: FixedClock, ward: DemoWard) -> None:
    """A member with an account gets their own card from /dangvien, not the roster."""
    member = await _member_with_account(db, clock, ward.cells[0].name, 5)
    chat = await chat_as(app, db, member.full_name)
    await chat.say("/dangvien")
    assert (
        f"Đồng chí {member.full_name} — Chi bộ 12" in chat.text() and "Danh sách đảng viên" not in chat.text()
    )


async def test_member_updates_own_progress_and_is_told_to_register_first(
    app: App, db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """Without a pledge /capnhat says to register; with one, the member goes straight to the items."""
    member = await _member_with_account(db, clock, ward.cells[0].name, 6)
    chat = await chat_as(app, db, member.full_name)
    await chat.say("/capnhat")
    assert "chưa đăng ký cam kết năm 2015" in chat.text()
    async with db.begin() as conn:
        await pledges.add_item(
            conn,
            member_id=member.id,
            year=2015,
            item=ITEM,
            problems=[],
            today=date(2015, 3, 1),
            now=clock.now(),
            person_id=None,
            on_behalf=False,
        )
    await chat.say("/capnhat")
    assert f"Cam kết năm 2015 của đồng chí {member.full_name}" in chat.text()


async def test_summary_shortcut_for_the_secretary(app: App, db: Database, ward: DemoWard) -> None:
    """«/dangvien tong hop» opens the cell summary directly."""
    chat = await chat_as(app, db, ward.cells[2].secretary)
    await chat.say("/dangvien tong hop")
    assert "Tổng hợp kết quả thực hiện cam kết năm 2015 — Chi bộ cơ quan phường" in chat.text()

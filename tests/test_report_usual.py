"""«Như tháng trước» and short re-asks: a month like the last one is filed without typing it all again."""

from __future__ import annotations

import pytest

from admin.demo_data import DemoWard
from core.app import App
from storage.db import Database
from tests.conftest import Chat, chat_as
from tests.test_report_flow import fill


@pytest.fixture
async def secretary(app: App, db: Database, ward: DemoWard) -> Chat:
    """Return the secretary of Chi bộ 12 after filing July's report, their messages counted from 0."""
    chat = await chat_as(app, db, ward.cells[0].secretary)
    await fill(chat, month="7/2015", date="6/7/2015")
    await chat.say("gửi")
    assert "Mã báo cáo" in chat.text()
    chat.sent = 0
    return chat


async def test_the_offer_shows_last_months_details(secretary: Chat) -> None:
    """/baocao first shows July's hours, place, chair and minute taker and offers to keep them."""
    await secretary.say("/baocao")
    text = secretary.text()
    assert "19:30–21:30" in text and "Nhà văn hóa tổ 5" in text
    assert "Chủ trì: đồng chí Bùi Thúy Lan; thư ký: đồng chí Dương Thị Huyền" in text
    assert [o.label for o in secretary.last[-1].options] == ["Như tháng trước", "Nhập từng mục"]


async def test_typing_the_day_keeps_the_details_and_skips_month_kind_and_date(secretary: Chat) -> None:
    """A meeting day typed at the offer answers month, kind and date and keeps July's details."""
    await secretary.say("/baocao")
    await secretary.say("5/8/2015")
    assert "Đồng chí nào vắng họp?" in secretary.text()
    await fill_rest(secretary)
    text = secretary.text()
    assert "Tháng báo cáo: 8/2015" in text and "Loại sinh hoạt: Thường kỳ" in text
    assert "Ngày họp: 05/08/2015" in text and "Địa điểm: Nhà văn hóa tổ 5" in text
    assert "Chủ trì: Bùi Thúy Lan" in text and "Thư ký: Dương Thị Huyền" in text


async def fill_rest(chat: Chat) -> None:
    """Answer from the roster to the summary, nobody absent."""
    for answer in ("không ai", "không", "không", "Thu đảng phí.", "Trồng cây.", "không", "tốt"):
        await chat.say(answer)


async def test_pressing_the_offer_still_asks_the_day(secretary: Chat) -> None:
    """«Như tháng trước» keeps the details for the usual month and asks only the day."""
    await secretary.say("/baocao")
    await secretary.press("Như tháng trước")
    assert "Cuộc họp vào ngày nào trong tháng 8/2015?" in secretary.text()


async def test_an_absent_chair_of_last_month_is_asked_again(secretary: Chat) -> None:
    """July's chair absent in August: the chair question comes, the minute taker stays."""
    await secretary.say("/baocao")
    await secretary.say("5/8/2015")
    await secretary.say("1")
    await secretary.say("ốm")
    assert "Đồng chí nào chủ trì cuộc họp?" in secretary.text()
    await secretary.say("4")
    assert "Khách mời" not in secretary.text() and "Nội dung học tập" in secretary.text()


async def test_answering_each_item_asks_the_time(secretary: Chat) -> None:
    """«Nhập từng mục» goes through the questions as before, from the month."""
    await secretary.say("/baocao")
    await secretary.press("Nhập từng mục")
    for typed in ("1", "thường kỳ", "5/8/2015"):
        await secretary.say(typed)
    assert "Cuộc họp bắt đầu lúc mấy giờ?" in secretary.text()


async def test_a_wrong_number_is_asked_again_in_one_line(secretary: Chat) -> None:
    """After an invalid absentee number the roster is not sent again; «danh sách» sends it."""
    await secretary.say("/baocao")
    await secretary.say("5/8/2015")
    await secretary.say("40")
    assert "Chưa hợp lệ" in secretary.text() and "Bùi Thúy Lan" not in secretary.text()
    await secretary.say("/help")
    assert "Bùi Thúy Lan" not in secretary.text()
    await secretary.say("danh sách")
    assert "1. Bùi Thúy Lan" in secretary.text()


async def test_a_day_typed_after_going_back_sets_its_month(secretary: Chat) -> None:
    """Back at the offer, a day of another month moves the report to that month."""
    await secretary.say("/baocao")
    await secretary.press("Như tháng trước")
    await secretary.say("quay lại")
    await secretary.say("9/9/2015")
    await fill_rest(secretary)
    assert "Tháng báo cáo: 9/2015" in secretary.text() and "Ngày họp: 09/09/2015" in secretary.text()

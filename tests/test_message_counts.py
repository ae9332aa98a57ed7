"""What a regular month costs the secretary, counted in the messages they send."""

from __future__ import annotations

from admin.demo_data import DemoWard
from core.app import App
from storage.db import Database
from tests.conftest import Chat, chat_as
from tests.test_report_usual import secretary

# The fixture, filed July's report, is shared with the tests of «Như tháng trước».
__all__ = ["secretary"]

# The goals of issue 18 (before: 18 and 20 messages for a report, 17 for two pledge items).
MOST_FOR_A_FULL_MEETING = 10
MOST_WITH_TWO_ABSENT = 12
MOST_FOR_TWO_PLEDGE_ITEMS = 12


async def file_august(chat: Chat, absent: str, reasons: tuple[str, ...]) -> None:
    """File August's report with July's details kept, typing only what changed."""
    await chat.say("/baocao")
    await chat.say("5/8/2015")
    await chat.say(absent)
    for reason in reasons:
        await chat.say(reason)
    for answer in ("không", "không", "Hoàn thành thu đảng phí.", "Trồng cây tháng 9."):
        await chat.say(answer)
    await chat.press(next(o.label for o in chat.last[-1].options))
    await chat.say("tốt")
    await chat.say("gửi")
    assert "Mã báo cáo" in chat.text(), chat.text()


async def test_a_full_meeting_like_last_month_costs_ten_messages(secretary: Chat) -> None:
    """Nobody absent and July's time, place, chair and minute taker: at most ten messages."""
    await file_august(secretary, "không ai", ())
    assert secretary.sent <= MOST_FOR_A_FULL_MEETING, secretary.sent


async def test_two_absent_cost_one_message_each(secretary: Chat) -> None:
    """Two absent, each with a reason: at most twelve messages."""
    await file_august(secretary, "2, 8", ("1", "đi viện"))
    assert secretary.sent <= MOST_WITH_TWO_ABSENT, secretary.sent


async def test_two_pledge_items_cost_twelve_messages(app: App, db: Database, ward: DemoWard) -> None:
    """Registering two specific items for a member: at most twelve messages."""
    chat = await chat_as(app, db, ward.cells[1].secretary)
    await chat.say("/dangky")
    await chat.say("5")
    for action, more in (
        ("Viết 2 bài tuyên truyền về phân loại rác trước 31/10/2015", "Lưu, thêm mục khác"),
        ("Vận động 10 hộ đóng quỹ khuyến học trước 30/11/2015", "Lưu và kết thúc"),
    ):
        await chat.say(action)
        await chat.say("Công tác tuyên truyền ở tổ dân phố")
        await chat.say("không")
        await chat.say("Bản in, danh sách hộ")
        await chat.press(more)
    assert "tất cả đều cụ thể" in chat.text(), chat.text()
    assert chat.sent <= MOST_FOR_TWO_PLEDGE_ITEMS, chat.sent

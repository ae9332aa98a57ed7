"""No silent misreads: what a user typed is either read as they meant it or asked back."""

from __future__ import annotations

import pytest

from admin.demo_data import DemoWard
from core.app import App
from storage.db import Database
from tests.conftest import Chat, chat_as
from tests.test_pledge_flow import start_for
from tests.test_report_flow import fill


@pytest.fixture
async def secretary(app: App, db: Database, ward: DemoWard) -> Chat:
    """Return the chat of the secretary of Chi bộ 12."""
    return await chat_as(app, db, ward.cells[0].secretary)


async def test_nobody_at_a_reason_question_is_asked_back(secretary: Chat) -> None:
    """«khong ai» typed for an absent member's reason is asked back, not saved as «vắng không lý do»."""
    await fill(secretary, "absent")
    await secretary.say("1")
    await secretary.say("khong ai")
    text = secretary.text()
    assert "«không ai» là câu trả lời cho câu hỏi ai vắng họp" in text
    assert "Vắng họp (2/3): đồng chí Lê Phương Huyền" in text


async def test_bare_no_at_a_reason_question_still_means_no_reason(secretary: Chat) -> None:
    """«không» for a reason records the member as absent without reason, as the summary shows."""
    await fill(secretary)
    assert "Lưu Thị Lan — vắng không lý do" in secretary.text()


async def test_free_text_at_a_step_with_fixed_options_is_asked_back(secretary: Chat) -> None:
    """«khong» at the self-assessment is asked back with the options, and nothing is stored."""
    await fill(secretary, "vote")
    await secretary.say("khong")
    text = secretary.text()
    assert "Chưa rõ đồng chí chọn mục nào" in text and "1. Tốt; 2. Khá; 3. Trung bình; 4. Kém" in text
    assert "kiểm tra lại" not in text


async def test_no_at_the_duty_of_a_pledge_is_asked_back(app: App, db: Database, ward: DemoWard) -> None:
    """«khong» at «Nhiệm vụ liên quan» is asked back instead of being stored as the duty."""
    secretary = await chat_as(app, db, ward.cells[1].secretary)
    await start_for(secretary, 4)
    await secretary.say("Viết 2 bài tuyên truyền")
    await secretary.say("khong")
    text = secretary.text()
    assert "Chưa hợp lệ: mỗi việc đăng ký cần gắn với một nhiệm vụ" in text
    assert "Việc này gắn với nhiệm vụ nào" in text


async def test_a_name_matching_two_members_lists_the_two(secretary: Chat) -> None:
    """«Lan» at the chair question lists both members called Lan with their numbers."""
    await fill(secretary, "reasons", absent="2, 5", reasons=("1", "1"))
    await secretary.say("Lan")
    text = secretary.text()
    assert "có nhiều đồng chí trùng tên: 1. Bùi Thúy Lan; 7. Lưu Thị Lan" in text
    assert "từ 1 đến 29" not in text


async def test_going_back_offers_to_keep_the_previous_answer(secretary: Chat) -> None:
    """After «quay lại» the place shows «Giữ nguyên»; «giu nguyen» keeps it instead of replacing it."""
    await fill(secretary, "place")
    await secretary.say("quay lại")
    assert "chọn «Giữ nguyên»" in secretary.text() and "gõ lại như cũ" not in secretary.text()
    assert [o.label for o in secretary.last[-1].options] == ["Giữ nguyên"]
    await secretary.say("giu nguyen")
    assert "Đồng chí nào vắng họp?" in secretary.text()
    await fill_rest(secretary)
    assert "Địa điểm: Nhà văn hóa tổ 5" in secretary.text()


async def test_keep_button_keeps_a_chosen_option(secretary: Chat) -> None:
    """Pressing «Giữ nguyên» at the kind keeps «Thường kỳ» and the date, going on to the next question."""
    await fill(secretary, "date")
    await secretary.say("quay lại")
    await secretary.say("quay lại")
    assert "Cuộc họp tháng 8/2015 là sinh hoạt loại nào?" in secretary.text()
    await secretary.press("Giữ nguyên")
    assert "Cuộc họp bắt đầu lúc mấy giờ?" in secretary.text()


async def test_keep_words_without_a_previous_answer_are_asked_back(secretary: Chat) -> None:
    """«giữ nguyên» where nothing was answered yet is asked back, never stored as the place."""
    await fill(secretary, "end_time")
    await secretary.say("giữ nguyên")
    assert "chưa có câu trả lời trước để giữ nguyên" in secretary.text()
    assert "Cuộc họp ở đâu?" in secretary.text()


async def fill_rest(chat: Chat) -> None:
    """Answer the report's questions after the place, as the default answers do."""
    for answer in ("2, 5, 7", "1", "đi viện", "không", "1", "3", "không", "Học tập", "không"):
        await chat.say(answer)
    for answer in ("Hoàn thành thu đảng phí.", "Trồng cây.", "25/0", "tốt"):
        await chat.say(answer)


async def test_numbers_off_the_roster_are_asked_about_keeping_the_others(secretary: Chat) -> None:
    """«5, 31, 40» on a roster of 29 keeps number 5 and asks only about 31 and 40."""
    await fill(secretary, "place")
    await secretary.say("5, 31, 40")
    text = secretary.text()
    assert "Đã ghi vắng: 5. Lê Phương Huyền." in text and "không có số 31, 40" in text
    await secretary.say("không")
    assert "Vắng họp (1/1): đồng chí Lê Phương Huyền (số 5)" in secretary.text()


async def test_numbers_typed_after_a_partly_read_list_are_added(secretary: Chat) -> None:
    """After «5, 31», typing «7» records both 5 and 7 as absent."""
    await fill(secretary, "place")
    await secretary.say("5, 31")
    await secretary.say("7")
    assert "Vắng họp (1/2): đồng chí Lê Phương Huyền (số 5)" in secretary.text()

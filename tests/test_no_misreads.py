"""No silent misreads: what a user typed is either read as they meant it or asked back."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from admin.demo_data import DemoWard
from channels.base import options_as_text
from core.app import App
from domain.clock import FixedClock
from domain.words import shorten
from storage import org, roster
from storage.db import Database
from storage.org import Member
from tests.conftest import Chat, chat_as
from tests.test_inspections import UBKT_CHAIR, plan_inspection
from tests.test_pledge_flow import register, start_for
from tests.test_report_flow import ANSWERS, ORDER, fill
from texts.inspections import inspection_label, task_label


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
    assert "«khong ai» là câu trả lời cho câu hỏi ai vắng họp" in text
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
    await fill(secretary, "reasons", absent="2, 8", reasons=("1", "1"))
    await secretary.say("Lan")
    text = secretary.text()
    assert "có nhiều đồng chí trùng tên: 1. Bùi Thúy Lan; 12. Lưu Thị Lan" in text
    assert "từ 1 đến 33" not in text


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
    for answer in ("2, 8, 12", "1", "đi viện", "không", "1", "3", "không", "Học tập", "không"):
        await chat.say(answer)
    for answer in ("Hoàn thành thu đảng phí.", "Trồng cây.", "25/0", "tốt"):
        await chat.say(answer)


async def test_numbers_off_the_roster_are_asked_about_keeping_the_others(secretary: Chat) -> None:
    """«8, 34, 40» on a roster of 33 keeps number 8 and asks only about 34 and 40."""
    await fill(secretary, "place")
    await secretary.say("8, 34, 40")
    text = secretary.text()
    assert "Đã ghi vắng: 8. Lê Phương Huyền." in text and "không có số 34, 40" in text
    await secretary.say("không")
    assert "Vắng họp (1/1): đồng chí Lê Phương Huyền (số 8)" in secretary.text()


async def test_numbers_typed_after_a_partly_read_list_are_added(secretary: Chat) -> None:
    """After «8, 34», typing «12» records both 8 and 12 as absent."""
    await fill(secretary, "place")
    await secretary.say("8, 34")
    await secretary.say("12")
    assert "Vắng họp (1/2): đồng chí Lê Phương Huyền (số 8)" in secretary.text()


@pytest.fixture
def december(clock: FixedClock) -> FixedClock:
    """Stand the clock at 09:00 on 02/12/2015."""
    clock.moment = datetime(2015, 12, 2, 2, 0, tzinfo=UTC)
    return clock


async def test_a_session_date_without_year_typed_in_december_is_next_year(
    app: App, db: Database, ward: DemoWard, december: FixedClock
) -> None:
    """«15/9» typed on 02/12/2015 as the inspection's session date is 15/09/2016."""
    committee = await chat_as(app, db, UBKT_CHAIR)
    await committee.say("/kiemtra")
    await committee.say("1")
    assert "ví dụ: 16/12/2015" in committee.text()
    await committee.say("15/9")
    await committee.say("quay lại")
    assert "Đã nhập: 15/09/2016" in committee.text()


async def test_a_past_session_date_says_which_date_passed(app: App, db: Database, ward: DemoWard) -> None:
    """«1/9/2015» on 10/09/2015 is asked back naming the date, with an example from today."""
    committee = await chat_as(app, db, UBKT_CHAIR)
    await committee.say("/kiemtra")
    await committee.say("1")
    await committee.say("1/9/2015")
    assert "ngày 01/09/2015 đã qua" in committee.text() and "ví dụ: 24/09/2015" in committee.text()


async def test_inspection_prompts_name_the_directive_of_the_year(
    app: App, db: Database, ward: DemoWard, clock: FixedClock
) -> None:
    """Planned in 2017, the content example names Directive 05-CT/TW and the months of 2017."""
    clock.moment = datetime(2017, 3, 1, 2, 0, tzinfo=UTC)
    committee = await chat_as(app, db, UBKT_CHAIR)
    await committee.say("/kiemtra")
    await committee.say("1")
    await committee.say("20/3")
    assert "Việc thực hiện Chỉ thị 05-CT/TW" in committee.text()
    await committee.say("Việc thực hiện Chỉ thị 05-CT/TW")
    assert "ví dụ: 1/2017" in committee.text()
    await committee.say("1/2017")
    assert "ví dụ: 2/2017" in committee.text()


async def tasks_question_in_december(app: App, db: Database, clock: FixedClock) -> Chat:
    """Plan an inspection for 25/11/2015, then on 02/12/2015 answer /ketluan up to its remedial tasks."""
    committee = await chat_as(app, db, UBKT_CHAIR)
    await plan_inspection(committee, day="25/11/2015")
    clock.moment = datetime(2015, 12, 2, 2, 0, tzinfo=UTC)
    for answer in ("/ketluan", "1", "Tốt", "Chung chung", "Cụ thể hóa"):
        await committee.say(answer)
    return committee


async def test_a_remedial_deadline_without_year_is_the_next_such_day(
    app: App, db: Database, ward: DemoWard, clock: FixedClock
) -> None:
    """«28/2» in a task list concluded in December is 28/02 of the next year, not a past deadline."""
    committee = await tasks_question_in_december(app, db, clock)
    assert "Cụ thể hóa bản đăng ký của từng đảng viên - 01/01/2016" in committee.text()
    await committee.say("Cụ thể hóa bản đăng ký - 28/2")
    assert "Cụ thể hóa bản đăng ký (hạn 28/02/2016)" in committee.text()


async def test_a_past_remedial_deadline_is_asked_back(
    app: App, db: Database, ward: DemoWard, clock: FixedClock
) -> None:
    """A task whose deadline, given with its year, has passed is asked back with its line."""
    committee = await tasks_question_in_december(app, db, clock)
    await committee.say("Cụ thể hóa bản đăng ký - 28/2/2015")
    assert "hạn 28/02/2015 của dòng «Cụ thể hóa bản đăng ký - 28/2/2015» đã qua" in committee.text()


async def deadline_question(app: App, db: Database, ward: DemoWard) -> Chat:
    """Open /dangky for the 4th member of Chi bộ 14 for 2015 and answer up to the deadline."""
    secretary = await chat_as(app, db, ward.cells[1].secretary)
    await start_for(secretary, 4)
    for answer in ("Viết 2 bài tuyên truyền", "Công tác tuyên truyền", "2 bài"):
        await secretary.say(answer)
    return secretary


async def test_a_past_pledge_deadline_is_asked_back(
    app: App, db: Database, ward: DemoWard, december: FixedClock
) -> None:
    """A 2015 pledge's deadline «15/9/2015» typed on 02/12/2015 is asked back, not saved silently."""
    secretary = await deadline_question(app, db, ward)
    await secretary.say("15/9/2015")
    assert "thời hạn 15/09/2015 đã qua (hôm nay là 02/12/2015)" in secretary.text()


async def test_a_pledge_deadline_without_year_typed_in_december_is_next_year(
    app: App, db: Database, ward: DemoWard, december: FixedClock
) -> None:
    """«15/9» typed on 02/12/2015 as a 2015 pledge's deadline is 15/09/2016."""
    secretary = await deadline_question(app, db, ward)
    await secretary.say("15/9")
    await secretary.say("quay lại")
    assert "Đã nhập: 15/09/2016" in secretary.text()


async def test_the_date_question_offers_yesterday_only_within_the_month(secretary: Chat) -> None:
    """On 10/09/2015 the August report's date question gives an August example and no «hôm qua»."""
    await secretary.say("/baocao")
    await secretary.say("1")
    await secretary.say("1")
    assert "ví dụ 05/08/2015." in secretary.text() and "hôm qua" not in secretary.text()


async def test_the_date_question_of_this_month_offers_yesterday(secretary: Chat) -> None:
    """On 10/09/2015 the September report's date question offers «hôm qua»."""
    await secretary.say("/baocao")
    await secretary.say("2")
    await secretary.say("1")
    assert "ví dụ 05/09/2015, hoặc «hôm qua»" in secretary.text()


async def test_a_pledge_item_is_numbered_once_in_the_list(app: App, db: Database, ward: DemoWard) -> None:
    """/capnhat lists the items as «1. Viết…», not «1. 1. Viết…», on a text channel."""
    secretary = await chat_as(app, db, ward.cells[1].secretary)
    await start_for(secretary, 4)
    await register(secretary, "Viết 2 bài tuyên truyền", "2 bài", "31/12/2015", "Bản in")
    await secretary.press("Lưu và kết thúc")
    await secretary.say("/capnhat")
    await secretary.say("4")
    shown = options_as_text(secretary.last[-1])
    assert "\n1. Viết 2 bài tuyên truyền\n" in shown and "1. 1." not in shown


def test_a_shortened_label_ends_at_a_whole_word() -> None:
    """«bù quý III» cut short loses the whole numeral and shows «…», never reading «bù quý II»."""
    assert shorten("Tổ chức sinh hoạt chuyên đề bù quý III", 37) == "Tổ chức sinh hoạt chuyên đề bù quý…"
    assert shorten("Tổ chức sinh hoạt chuyên đề bù quý III", 38) == "Tổ chức sinh hoạt chuyên đề bù quý III"


def test_a_task_label_keeps_its_deadline_whole() -> None:
    """A long remedial task is shortened in its description, and the deadline stays whole."""
    label = task_label(
        "Chi bộ 12", "Tổ chức sinh hoạt chuyên đề bù quý III cho toàn thể đảng viên", "31/01/2016"
    )
    assert label == "Chi bộ 12: Tổ chức sinh hoạt chuyên đề bù… (hạn 31/01/2016)"


def test_an_inspection_label_shortens_only_its_content() -> None:
    """A long inspection content is cut at a word, keeping the cell and the session date."""
    label = inspection_label("Chi bộ 12", "25/09/2015", "Việc thực hiện Chỉ thị 03-CT/TW của Bộ Chính trị")
    assert label == "Chi bộ 12 — 25/09/2015 — Việc thực hiện Chỉ thị 03-CT/TW…"


async def test_the_study_question_uses_the_wording_of_the_years_directive(
    app: App, db: Database, ward: DemoWard, clock: FixedClock
) -> None:
    """A report on a 2017 month asks about «tư tưởng, đạo đức, phong cách», the wording of 05-CT/TW."""
    clock.moment = datetime(2017, 3, 10, 2, 0, tzinfo=UTC)
    secretary = await chat_as(app, db, ward.cells[0].secretary)
    for answer in ("/baocao", "1", "1", "5/2", "không", "không", "không ai", "1", "3", "không"):
        await secretary.say(answer)
    assert "Nội dung học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh" in secretary.text()


async def test_keep_is_listed_after_the_options_and_picked_by_its_number(secretary: Chat) -> None:
    """On a text channel «Giữ nguyên» is the option after the kinds, and typing its number keeps the kind."""
    await fill(secretary, "date")
    await secretary.say("quay lại")
    await secretary.say("quay lại")
    assert "\n4. Giữ nguyên\n" in options_as_text(secretary.last[-1])
    await secretary.say("4")
    assert "Cuộc họp bắt đầu lúc mấy giờ?" in secretary.text()


async def test_skip_words_at_an_optional_question_leave_it_empty(
    app: App, db: Database, ward: DemoWard
) -> None:
    """«bỏ qua» at /moi's optional title skips it: the invite shows no title «Bỏ qua»."""
    chief = await chat_as(app, db, ward.committee_people[0].full_name)
    await chief.say("/moi")
    await chief.press("Ủy viên Đảng ủy / UBKT")
    assert "«bỏ qua»" in chief.text()
    await chief.say("bỏ qua")
    await chief.say("bo qua")
    assert "bỏ qua" not in chief.text().lower() and "bo qua" not in chief.text().lower()


async def roster_of(db: Database, cell_name: str) -> list[Member]:
    """Return a cell's current roster, in the order the bot numbers it."""
    async with db.begin() as conn:
        cell = next(c for c in await org.list_cells(conn) if c.name == cell_name)
        return await org.list_members(conn, cell.id)


async def move_out(db: Database, cell_name: str, number: int) -> None:
    """Move out the member at that number of a cell's roster on 01/08/2015."""
    member = (await roster_of(db, cell_name))[number - 1]
    async with db.begin() as conn:
        await roster.move_out(conn, member.id, date(2015, 8, 1))


async def test_numbers_typed_after_the_roster_changed_are_asked_again(
    secretary: Chat, db: Database, ward: DemoWard
) -> None:
    """Absent numbers typed after someone left the roster are not read against the new numbering."""
    await fill(secretary, "place")
    await move_out(db, ward.cells[0].name, 1)
    await secretary.say("2, 12")
    text = secretary.text()
    assert "Danh sách trong câu hỏi này vừa thay đổi" in text and "Vắng họp (1/2)" not in text
    assert "1. Dương Kim Hương" in text and "11. Lưu Thị Lan" in text
    await secretary.say("1, 11")
    assert "Vắng họp (1/2): đồng chí Dương Kim Hương (số 1)" in secretary.text()


async def test_numbers_kept_from_a_partly_read_answer_go_when_the_roster_changes(
    secretary: Chat, db: Database, ward: DemoWard
) -> None:
    """Number 8 kept from «8, 34» is not carried over to a roster whose 8 is someone else."""
    await fill(secretary, "place")
    await secretary.say("8, 34")
    await move_out(db, ward.cells[0].name, 1)
    await secretary.say("12")
    assert "Danh sách trong câu hỏi này vừa thay đổi" in secretary.text()
    await secretary.say("7, 11")
    assert "Vắng họp (1/2): đồng chí Lê Phương Huyền (số 7)" in secretary.text()


async def test_numbers_typed_after_going_back_are_read_against_the_list_shown(
    secretary: Chat, db: Database, ward: DemoWard
) -> None:
    """Back at the absent question, asked in short, numbers typed after the roster changed are asked again."""
    await fill(secretary, "absent")
    await secretary.say("quay lại")
    await move_out(db, ward.cells[0].name, 1)
    await secretary.say("2, 12")
    assert "Danh sách trong câu hỏi này vừa thay đổi" in secretary.text()


async def test_a_chair_typed_after_the_roster_changed_is_asked_again(
    secretary: Chat, db: Database, ward: DemoWard
) -> None:
    """The chair's number typed after a member left is asked again; the summary names whom they meant."""
    await fill(secretary, "reasons")
    await move_out(db, ward.cells[0].name, 4)
    await secretary.say("7")
    text = secretary.text()
    assert "Danh sách trong câu hỏi này vừa thay đổi" in text and "Đồng chí nào chủ trì" in text
    await secretary.say("6")
    # One voter fewer than the default answers assume: Đinh Hữu Toàn has left.
    for key in ORDER[ORDER.index("minutes") :]:
        await secretary.say("24/0" if key == "vote" else str(ANSWERS[key]))
    assert "Chủ trì: Hoàng Trọng Quân" in secretary.text()


async def test_a_member_picked_after_the_roster_changed_is_asked_again(
    app: App, db: Database, ward: DemoWard
) -> None:
    """A pledge's member number typed after the list changed picks nobody until asked again."""
    secretary = await chat_as(app, db, ward.cells[1].secretary)
    await secretary.say("/dangky")
    fourth = (await roster_of(db, ward.cells[1].name))[3].full_name
    await move_out(db, ward.cells[1].name, 1)
    await secretary.say("4")
    assert "Danh sách trong câu hỏi này vừa thay đổi" in secretary.text()
    await secretary.say("3")
    assert fourth in secretary.text()

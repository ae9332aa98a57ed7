"""Filing the monthly meeting report: the happy path, every refusal, edits, drafts, restarts, late marking."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

import handlers
from admin.demo_data import DemoWard
from core.app import App
from domain.clock import FixedClock
from storage import org, outbox, reports
from storage.db import Database
from tests.conftest import Chat, chat_as

# The demo Chi bộ 12 on 05/08/2015: 33 members numbered in Vietnamese order, 4 of them excused
# (5, 9, 11, 22), so 29 expected; 2, 8 and 12 are Dương Kim Hương, Lê Phương Huyền and Lưu Thị
# Lan; 1 is Bùi Thúy Lan, 3 Dương Thị Huyền, 4 Đinh Hữu Toàn, 7 Hoàng Trọng Quân.
ANSWERS = {
    "month": "1",
    "kind": "thường kỳ",
    "date": "5/8/2015",
    "start_time": "19h30",
    "end_time": "21h30",
    "place": "Nhà văn hóa tổ 5",
    "absent": "2, 8, 12",
    "reasons": ("1", "đi viện", "không"),
    "chair": "1",
    "minutes": "3",
    "guests": "không",
    "study": "Học tập tấm gương trung thực, trách nhiệm của Bác",
    "documents": "không",
    "review": "Hoàn thành thu đảng phí.\nChưa xong: vận động trồng cây.",
    "resolution": "Tổ chức trồng cây trong tháng 9.",
    "vote": "25/0",
    "quality": "tốt",
}


ORDER = (
    "month",
    "kind",
    "date",
    "start_time",
    "end_time",
    "place",
    "absent",
    "reasons",
    "chair",
    "minutes",
    "guests",
    "study",
    "documents",
    "review",
    "resolution",
    "vote",
    "quality",
)


async def fill(chat: Chat, stop_after: str = "quality", **changes: object) -> None:
    """Answer the questions of /baocao in order up to `stop_after`, with some answers changed."""
    answers = {**ANSWERS, **changes}
    await chat.say("/baocao")
    for key in ORDER[: ORDER.index(stop_after) + 1]:
        for answer in answers[key] if key == "reasons" else (answers[key],):
            await chat.say(str(answer))


def filed_code(chat: Chat) -> str:
    """Return the report code the confirmation gave."""
    match = re.search(r"Mã báo cáo: (BC\d+)", chat.text())
    assert match, chat.text()
    return match[1]


def report_id(code: str) -> int:
    """Return the id a report code stands for."""
    return int(code.removeprefix("BC"))


@pytest.fixture
async def secretary(app: App, db: Database, ward: DemoWard) -> Chat:
    """Return the chat of the secretary of Chi bộ 12."""
    return await chat_as(app, db, ward.cells[0].secretary)


async def pending_notices(db: Database) -> list[outbox.OutboxRow]:
    """Return the report notices waiting in the outbox."""
    async with db.begin() as conn:
        return [r for r in await outbox.rows_by_status(conn, outbox.PENDING) if r.kind == "report_submitted"]


async def test_happy_path_files_the_report(secretary: Chat, db: Database) -> None:
    """A full report is confirmed with its code, and the attendance adds up from the roster."""
    await fill(secretary)
    assert (
        "Vắng họp: Dương Kim Hương, Lê Phương Huyền, Lưu Thị Lan (có mặt 26/29, đạt 89,7%)"
        in secretary.text()
    )
    await secretary.press("Gửi")
    async with db.begin() as conn:
        report = await reports.get_report(conn, report_id(filed_code(secretary)))
    counts = report.content.counts
    assert (counts.total, counts.excused, counts.present, counts.absent_without_reason) == (33, 4, 26, 1)


async def test_committee_members_are_notified_through_the_outbox(
    secretary: Chat, db: Database, ward: DemoWard
) -> None:
    """Every committee member gets one notice naming the cell, the month and the code."""
    await fill(secretary)
    await secretary.say("gửi")
    notices = await pending_notices(db)
    assert len(notices) == len(ward.committee_people)
    expected = f"Chi bộ 12 đã gửi báo cáo sinh hoạt thường kỳ tháng 8/2015 (mã {filed_code(secretary)}"
    assert expected in notices[0].payload["text"]


async def test_by_day_the_confirmation_says_the_committee_was_told(secretary: Chat, ward: DemoWard) -> None:
    """Filed at 09:00, the confirmation counts the committee members told."""
    await fill(secretary)
    await secretary.say("gửi")
    assert f"Đã báo cho {len(ward.committee_people)} đồng chí ủy viên Đảng ủy." in secretary.text()


async def test_at_night_the_confirmation_says_when_the_committee_will_be_told(
    secretary: Chat, clock: FixedClock, ward: DemoWard
) -> None:
    """Filed at 22:30, the confirmation says the committee hears of it at 07:00 the next morning."""
    clock.moment = datetime(2015, 9, 10, 15, 30, tzinfo=UTC)
    await fill(secretary)
    await secretary.say("gửi")
    expected = f"{len(ward.committee_people)} đồng chí ủy viên Đảng ủy sẽ được báo lúc 07:00 ngày 11/09/2015"
    assert expected in secretary.text()
    assert "Đã báo cho" not in secretary.text()


async def test_buttons_answer_the_choices(secretary: Chat) -> None:
    """Month, kind, reason and quality can be answered by pressing buttons."""
    await secretary.say("/baocao")
    await secretary.press("Tháng 8/2015")
    await secretary.press("Kết hợp thường kỳ và chuyên đề")
    assert "Tên chuyên đề" in secretary.text()
    await secretary.say("Trung thực, trách nhiệm")
    await secretary.say("5/8/2015")
    await secretary.say("không")
    await secretary.say("không")
    await secretary.say("7")
    await secretary.press("Đi công tác")
    assert "Đồng chí nào chủ trì" in secretary.text() and "7. Hoàng Trọng Quân" not in secretary.text()


async def test_quality_question_shows_the_indicators(secretary: Chat) -> None:
    """The self-assessment comes with the rate, who was absent without reason, and the thematic status."""
    await fill(secretary, "vote")
    text = secretary.text()
    assert "Tỷ lệ dự họp: 26/29 = 89,7%" in text
    assert "Vắng không lý do: 1 đồng chí (Lưu Thị Lan)" in text
    assert "Sinh hoạt chuyên đề quý III/2015: chưa có" in text


async def test_month_in_the_future_is_refused(secretary: Chat) -> None:
    """October 2015 has not come on 10/09/2015."""
    await secretary.say("/baocao")
    await secretary.say("10/2015")
    assert "Chưa hợp lệ: tháng 10/2015 chưa đến" in secretary.text()


async def test_impossible_month_is_refused(secretary: Chat) -> None:
    """Month 13 does not exist."""
    await secretary.say("/baocao")
    await secretary.say("13/2015")
    assert "Không có tháng 13" in secretary.text()


async def test_month_by_words_without_diacritics(secretary: Chat) -> None:
    """«thang 7» names July of this year."""
    await secretary.say("/baocao")
    await secretary.say("thang 7")
    assert "Cuộc họp tháng 7/2015 là sinh hoạt loại nào?" in secretary.text()


async def test_impossible_date_is_refused_keeping_answers(secretary: Chat) -> None:
    """31/2 is refused with the reason and the same question; the month stays answered."""
    await secretary.say("/baocao")
    await secretary.say("1")
    await secretary.say("1")
    await secretary.say("31/2")
    assert "không có thật" in secretary.text() and "ngày nào trong tháng 8/2015" in secretary.text()


async def test_date_in_another_month_is_refused(secretary: Chat) -> None:
    """A July date for the August report is refused."""
    await secretary.say("/baocao")
    await secretary.say("1")
    await secretary.say("1")
    await secretary.say("5/7/2015")
    assert "ngày 05/07/2015 không thuộc tháng 8/2015" in secretary.text()


async def test_date_in_the_future_is_refused(secretary: Chat) -> None:
    """A September meeting cannot be dated 20/09/2015 on 10/09/2015."""
    await secretary.say("/baocao")
    await secretary.press("Tháng 9/2015")
    await secretary.say("1")
    await secretary.say("20/9/2015")
    assert "ngày 20/09/2015 chưa đến" in secretary.text()


async def test_roster_numbers_that_do_not_exist_are_refused(secretary: Chat) -> None:
    """Number 45 is not on a list of 29."""
    await secretary.say("/baocao")
    for typed in ("1", "1", "5/8/2015", "không", "không", "45"):
        await secretary.say(typed)
    assert (
        "Chưa hợp lệ" in secretary.text()
        and "45" in secretary.text()
        and "Đồng chí nào vắng họp?" in secretary.text()
    )


async def test_non_numeric_absent_list_is_refused(secretary: Chat) -> None:
    """Words that are neither numbers nor «không ai» are refused with what to type."""
    await secretary.say("/baocao")
    for answer in ("1", "1", "5/8/2015", "không", "không", "abc"):
        await secretary.say(answer)
    assert "Chưa hợp lệ" in secretary.text() and "Đồng chí nào vắng họp?" in secretary.text()


async def test_nobody_absent_skips_the_reasons(secretary: Chat) -> None:
    """«không ai» means full attendance and goes straight to the chair."""
    await fill(secretary, absent="không ai", reasons=())
    assert "Vắng họp: không ai vắng (có mặt 29/29, đạt 100%)" in secretary.text()
    assert "Lý do vắng" not in secretary.text()


@pytest.mark.parametrize("answer", ["0", "-3", "34", "abc"])
async def test_chair_outside_the_list_is_refused(secretary: Chat, answer: str) -> None:
    """Zero, negative, too large or non-numeric chair numbers are refused."""
    await secretary.say("/baocao")
    for typed in ("1", "1", "5/8/2015", "không", "không", "không ai", answer):
        await secretary.say(typed)
    assert "Chưa hợp lệ: đề nghị gõ một số thứ tự từ 1 đến 33" in secretary.text()


async def test_absent_member_cannot_chair(secretary: Chat) -> None:
    """Someone marked absent cannot chair."""
    await fill(secretary, "chair", chair="2")
    assert "đồng chí Dương Kim Hương vắng họp" in secretary.text()


async def test_chair_cannot_take_the_minutes(secretary: Chat) -> None:
    """The minute taker must be someone else than the chair."""
    await fill(secretary, "minutes", minutes="1")
    assert "thư ký cần là một đồng chí khác" in secretary.text()


async def test_very_long_message_is_refused_and_nothing_is_lost(secretary: Chat) -> None:
    """A 10,000-character answer is refused; everything before it is still in the summary."""
    await fill(secretary, "review", review="x" * 10_000)
    assert "dài quá 4000 ký tự" in secretary.text()
    await secretary.say("Đã làm")
    await secretary.say("Sẽ làm")
    await secretary.say("không")
    await secretary.say("1")
    assert "Nhà văn hóa tổ 5" in secretary.text() and "Chủ trì: Bùi Thúy Lan" in secretary.text()


async def test_emoji_only_answer_is_refused(secretary: Chat) -> None:
    """A place given as emoji alone is refused with what to type."""
    await secretary.say("/baocao")
    for typed in ("1", "1", "5/8/2015", "không", "\U0001f3e0\U0001f44d"):
        await secretary.say(typed)
    assert "cần có chữ hoặc số" in secretary.text() and "Cuộc họp ở đâu?" in secretary.text()


async def test_emoji_date_is_refused(secretary: Chat) -> None:
    """An emoji is not a date."""
    await secretary.say("/baocao")
    for typed in ("1", "1", "\U0001f4c5"):
        await secretary.say(typed)
    assert "Chưa đọc được ngày" in secretary.text()


async def test_html_like_text_is_kept_verbatim(secretary: Chat, db: Database) -> None:
    """Text that looks like HTML is stored and echoed as typed, never interpreted."""
    await fill(secretary, review="<b>Đã làm</b> & <script>x</script>")
    assert "<b>Đã làm</b> & <script>x</script>" in secretary.text()
    await secretary.say("gửi")
    async with db.begin() as conn:
        assert (
            await reports.get_report(conn, report_id(filed_code(secretary)))
        ).content.review == "<b>Đã làm</b> & <script>x</script>"


async def test_unrelated_command_mid_flow_keeps_the_question(secretary: Chat) -> None:
    """/help in the middle is answered, then the same question comes back."""
    await secretary.say("/baocao")
    await secretary.say("1")
    await secretary.say("/help")
    assert "Các việc đồng chí có thể làm" in secretary.text() and "sinh hoạt loại nào?" in secretary.text()
    await secretary.say("1")
    assert "ngày nào trong tháng 8/2015" in secretary.text()


async def test_edit_before_submit_reasks_the_reasons(secretary: Chat, db: Database) -> None:
    """Changing the absentees at the summary asks the new reasons, then returns to the summary."""
    await fill(secretary)
    await secretary.say("7")
    await secretary.say("7")
    assert "Hoàng Trọng Quân" in secretary.text()
    await secretary.press("Việc gia đình")
    await secretary.say("không")
    assert "Lý do vắng: Hoàng Trọng Quân — Việc gia đình" in secretary.text()
    await secretary.say("gửi")
    async with db.begin() as conn:
        counts = (await reports.get_report(conn, report_id(filed_code(secretary)))).content.counts
    assert (counts.present, counts.absent_with_reason, counts.absent_without_reason) == (28, 1, 0)


async def test_marking_the_chair_absent_asks_the_chair_again(secretary: Chat) -> None:
    """Editing the absentees to include the chair asks who chaired, from those present, before the summary."""
    await fill(secretary)
    await secretary.say("7")
    await secretary.say("1")
    await secretary.say("ốm")
    assert "Đồng chí nào chủ trì" in secretary.text() and "1. Bùi Thúy Lan" not in secretary.text()
    await secretary.say("7")
    await secretary.say("27/0")
    assert "Chủ trì: Hoàng Trọng Quân" in secretary.text(), secretary.text()


async def test_second_report_of_a_kind_is_refused(secretary: Chat) -> None:
    """After August's regular report, a second regular one for August is refused with its code."""
    await fill(secretary)
    await secretary.say("gửi")
    code = filed_code(secretary)
    await secretary.say("/baocao")
    await secretary.press("Nhập từng mục")
    assert secretary.last[-1].options[0].label == "Tháng 9/2015"
    await secretary.say("8/2015")
    assert [o.label for o in secretary.last[-1].options] == ["Chuyên đề", "Kết hợp thường kỳ và chuyên đề"]
    await secretary.say("thuong ky")
    assert f"đã có báo cáo sinh hoạt thường kỳ (mã {code})" in secretary.text()


async def test_cancel_keeps_the_draft_to_continue(secretary: Chat) -> None:
    """/huy midway keeps the draft; /baocao offers to continue at the same question."""
    await secretary.say("/baocao")
    for typed in ("1", "1", "5/8/2015"):
        await secretary.say(typed)
    await secretary.say("/huy")
    await secretary.say("/baocao")
    await secretary.press("Tiếp tục bản nháp")
    assert "Cuộc họp bắt đầu lúc mấy giờ?" in secretary.text()


async def test_flow_resumes_after_a_restart(secretary: Chat, app: App) -> None:
    """A new process on the same database continues at the question the secretary was on."""
    await secretary.say("/baocao")
    for typed in ("1", "1", "5/8/2015", "không", "không", "2, 8"):
        await secretary.say(typed)
    restarted = Chat(App(app.services, handlers.all_commands(), handlers.all_forms()), secretary.chat_id)
    await restarted.say("ốm")
    assert "Vắng họp (2/2): đồng chí Lê Phương Huyền (số 8)" in restarted.text()


async def test_report_after_the_deadline_is_marked_late(secretary: Chat, db: Database) -> None:
    """August's report on 10/09 is past the default deadline of 05/09."""
    await fill(secretary)
    await secretary.say("gửi")
    assert "nộp muộn (hạn 05/09/2015)" in secretary.text()
    async with db.begin() as conn:
        assert (await reports.get_report(conn, report_id(filed_code(secretary)))).late


async def test_committee_deadline_setting_is_honoured(secretary: Chat, db: Database) -> None:
    """With the deadline on the 15th, August's report on 10/09 is on time."""
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        await org.update_committee_settings(conn, committee.id, {"report_deadline_day": 15})
    await fill(secretary)
    await secretary.say("gửi")
    assert "đúng hạn (hạn 15/09/2015)" in secretary.text()
    async with db.begin() as conn:
        assert not (await reports.get_report(conn, report_id(filed_code(secretary)))).late


async def test_end_time_before_the_start_is_refused(secretary: Chat) -> None:
    """A meeting cannot end before it began."""
    await fill(secretary, "start_time")
    await secretary.say("18h")
    assert "giờ kết thúc 18:00 phải sau giờ bắt đầu 19:30" in secretary.text()


async def test_short_meeting_is_flagged_in_the_indicators_and_summary(secretary: Chat) -> None:
    """A regular meeting of 75 minutes is below the 90 the guidance asks; it is flagged, not refused."""
    await fill(secretary, "vote", end_time="20h45")
    assert "Thời gian sinh hoạt: 1 giờ 15 phút (hướng dẫn: ít nhất 90 phút): chưa đạt" in secretary.text()
    await secretary.say("tốt")
    assert "Giờ kết thúc: 20:45 (họp 1 giờ 15 phút); lưu ý: ngắn hơn 90 phút" in secretary.text()


async def test_combined_meeting_needs_two_hours(secretary: Chat) -> None:
    """Combined with the thematic meeting, 1 hour 45 minutes falls short of the 120 minutes asked."""
    await secretary.say("/baocao")
    for typed in ("1", "kết hợp", "Trung thực, trách nhiệm", "5/8/2015", "19h30", "21h15"):
        await secretary.say(typed)
    await secretary.say("quay lại")
    assert "ngắn hơn 120 phút theo hướng dẫn" in secretary.text()


async def test_vote_counts_only_full_members_present(secretary: Chat) -> None:
    """Of the 26 present, the 25 full members vote; 26 votes are refused."""
    await fill(secretary, "resolution")
    assert "có mặt 25 đảng viên chính thức" in secretary.text()
    await secretary.say("26/0")
    assert "26 phiếu nhiều hơn số đảng viên chính thức có mặt (25)" in secretary.text()


async def test_minutes_fields_are_stored(secretary: Chat, db: Database) -> None:
    """End time, guests and the vote are kept with the report."""
    await fill(secretary, guests="Đồng chí Nguyễn Văn Hùng, Đảng ủy viên", vote="24 1")
    await secretary.say("gửi")
    async with db.begin() as conn:
        content = (await reports.get_report(conn, report_id(filed_code(secretary)))).content
    assert (content.end_time, content.guests) == ("21:30", "Đồng chí Nguyễn Văn Hùng, Đảng ủy viên")
    assert (content.vote_for, content.vote_against, content.vote_total) == (24, 1, 25)


async def test_the_roster_is_numbered_as_dangvien_numbers_it(secretary: Chat) -> None:
    """On the same day /baocao and /dangvien give every member the same number, Đ after D."""
    await secretary.say("/dangvien")
    listed = re.findall(r"^(\d+)\. ([^—\n]+?) —", secretary.text(), re.MULTILINE)
    await secretary.say("/huy")
    await secretary.say("/baocao")
    for typed in ("2", "thường kỳ", "10/9/2015", "không", "không"):
        await secretary.say(typed)
    roster = re.findall(r"^(\d+)\. ([^(\n]+?)(?: \(miễn sinh hoạt\))?$", secretary.text(), re.MULTILINE)
    assert roster == listed and len(roster) == 34
    names = [name for _, name in roster]
    assert names.index("Dương Thị Huyền") < names.index("Đinh Hữu Toàn") < names.index("Hoàng Trọng Quân")


async def test_an_excused_member_cannot_be_marked_absent(secretary: Chat) -> None:
    """An excused member keeps a number on the roster, but typing it is refused, not counted absent."""
    await fill(secretary, stop_after="place")
    assert "5. Đỗ Kim Mai (miễn sinh hoạt)" in secretary.text()
    await secretary.say("2, 5")
    assert "Đỗ Kim Mai miễn sinh hoạt nên không tính vắng" in secretary.text()

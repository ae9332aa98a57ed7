"""What the bot says about inspections, readiness, conclusions, remedial tasks and the reporting calendar."""

from __future__ import annotations

from datetime import datetime

from domain.clock import fmt_month
from domain.readiness import Readiness
from domain.words import shorten
from texts.common import told

PLAN_TITLE = "Kế hoạch kiểm tra"
CONCLUDE_TITLE = "Kết luận kiểm tra"
TASK_REPORT_TITLE = "Báo cáo nhiệm vụ khắc phục"
CLOSE_TASK_TITLE = "Đóng nhiệm vụ khắc phục"
SELF_REPORT_TITLE = "Báo cáo tự kiểm tra"

HELP_PLAN = "Lập kế hoạch kiểm tra chi bộ"
HELP_SCHEDULE = "Xem lịch kiểm tra sắp tới"
HELP_SELF_REPORT = "Báo đã nộp báo cáo tự kiểm tra"
HELP_CONCLUDE = "Ghi kết luận kiểm tra và nhiệm vụ khắc phục"
HELP_TASK_REPORT = "Báo cáo nhiệm vụ khắc phục"
HELP_CLOSE_TASK = "Đóng nhiệm vụ khắc phục đã hoàn thành"

ASK_CELLS = (
    "Kiểm tra chi bộ nào? Đồng chí gõ số thứ tự, có thể nhiều chi bộ (ví dụ: 1, 3) hoặc «tất cả».\n\n{cells}"
)


def ask_session(example: str) -> str:
    """Ask the date of the working session, with a date ahead as the example."""
    return f"Ngày làm việc của đoàn kiểm tra với chi bộ (ví dụ: {example})?"


def ask_content(directive: str) -> str:
    """Ask what the inspection is about, the year's directive as the example."""
    return f"Nội dung kiểm tra (ví dụ: Việc thực hiện {directive})?"


def ask_period_start(example: str) -> str:
    """Ask the first month the inspection covers."""
    return f"Thời kỳ kiểm tra từ tháng nào (ví dụ: {example})?"


def ask_period_end(example: str) -> str:
    """Ask the last month the inspection covers."""
    return f"Đến tháng nào (ví dụ: {example})?"


ASK_DOCUMENTS = (
    "Tài liệu đề nghị chi bộ chuẩn bị (ví dụ: sổ biên bản, sổ nghị quyết, biên bản sinh hoạt chuyên đề, "
    "bản đăng ký của đảng viên, báo cáo tự kiểm tra)?"
)
LABEL_CELLS = "Chi bộ"
LABEL_SESSION = "Ngày làm việc"
LABEL_CONTENT = "Nội dung"
LABEL_PERIOD_START = "Từ tháng"
LABEL_PERIOD_END = "Đến tháng"
LABEL_DOCUMENTS = "Tài liệu"
ALL_WORDS = ("tat ca", "ca", "all")

ASK_INSPECTION = "Kết luận cuộc kiểm tra nào?"
ASK_STRENGTHS = "Ưu điểm?"
ASK_LIMITATIONS = "Hạn chế, khuyết điểm (và nguyên nhân)?"
ASK_RECOMMENDATIONS = "Kiến nghị, yêu cầu đối với chi bộ?"


def ask_tasks(first_due: str, second_due: str) -> str:
    """Ask the remedial tasks, one a line with its deadline, with deadlines ahead as examples."""
    return (
        "Nhiệm vụ khắc phục, mỗi dòng một nhiệm vụ kèm hạn, dạng «nội dung - hạn ngày». Ví dụ:\n"
        f"Cụ thể hóa bản đăng ký của từng đảng viên - {first_due}\n"
        f"Lập sổ theo dõi kết quả từng đảng viên - {second_due}\n\n"
        "Gõ «không» nếu không có nhiệm vụ khắc phục."
    )


LABEL_INSPECTION = "Cuộc kiểm tra"
LABEL_STRENGTHS = "Ưu điểm"
LABEL_LIMITATIONS = "Hạn chế"
LABEL_RECOMMENDATIONS = "Kiến nghị"
LABEL_TASKS = "Nhiệm vụ khắc phục"

ASK_TASK = "Báo cáo về nhiệm vụ khắc phục nào?"
ASK_TASK_REPORT = "Chi bộ đã làm được gì, còn gì chưa xong?"
ASK_TASK_TO_CLOSE = "Đóng nhiệm vụ khắc phục nào (Đảng ủy đánh giá đã hoàn thành)?"
LABEL_TASK = "Nhiệm vụ"
LABEL_TASK_REPORT = "Kết quả"

ASK_SELF_INSPECTION = "Báo cáo tự kiểm tra cho cuộc kiểm tra nào?"
ASK_SELF_SUMMARY = "Tóm tắt báo cáo tự kiểm tra của chi bộ (đã nộp bản giấy hay chưa, điểm chính)?"
LABEL_SELF_SUMMARY = "Tóm tắt"


def cells_unreadable(count: int) -> str:
    """Explain how to pick cells."""
    return f"đề nghị gõ số thứ tự chi bộ từ 1 đến {count} (ví dụ: 1, 3), hoặc «tất cả»."


def session_in_past(day: str, example: str) -> str:
    """Refuse a session date that has passed."""
    return f"ngày {day} đã qua; ngày làm việc phải từ hôm nay trở đi. Đề nghị gõ lại ngày, ví dụ: {example}."


def period_end_before_start(start: str) -> str:
    """Refuse a covered period that ends before it starts."""
    return f"tháng kết thúc phải từ tháng {start} trở đi."


def task_line_unreadable(line: str, example: str) -> str:
    """Refuse a remedial task line without a readable deadline."""
    return (
        f"chưa đọc được hạn của dòng «{line}». Mỗi dòng cần dạng «nội dung - hạn ngày», "
        f"ví dụ: Cụ thể hóa bản đăng ký - {example}."
    )


def task_due_in_past(line: str, due: str) -> str:
    """Refuse a remedial task whose deadline has passed."""
    return (
        f"hạn {due} của dòng «{line}» đã qua. Đề nghị gõ lại các nhiệm vụ với hạn từ hôm nay trở đi "
        "(ngày/tháng không kèm năm được hiểu là lần tới của ngày đó)."
    )


def inspection_code(inspection_id: int) -> str:
    """Return the code users see for an inspection."""
    return f"KT-{inspection_id}"


# A button label's length; only the free text in it is shortened, never the cell or a date.
LABEL_LIMIT = 60
MIN_SHORTENED = 20


def inspection_label(cell: str, session: str, content: str) -> str:
    """Name an inspection in a list or button."""
    head = f"{cell} — {session} — "
    return head + shorten(content, max(MIN_SHORTENED, LABEL_LIMIT - len(head)))


def task_label(cell: str, description: str, due: str) -> str:
    """Name a remedial task in a list or button."""
    head, tail = f"{cell}: ", f" (hạn {due})"
    return head + shorten(description, max(MIN_SHORTENED, LABEL_LIMIT - len(head) - len(tail))) + tail


def planned(lines: list[str], held_until: datetime | None) -> str:
    """Confirm the planned inspections, and when the cells' leaders hear of them."""
    return (
        "Đã lập kế hoạch kiểm tra:\n"
        + "\n".join(lines)
        + f"\n\n{told('bí thư và phó bí thư chi bộ', held_until)}"
        " Trợ lý sẽ nhắc chi bộ chuẩn bị trước ngày làm việc."
    )


def planned_line(code: str, cell: str, session: str) -> str:
    """Describe one planned inspection in the confirmation."""
    return f"- {code}: {cell}, làm việc ngày {session}"


def notice(cell: str, session: str, content: str, period: str, documents: str | None, code: str) -> str:
    """Notify a cell's leaders of a planned inspection."""
    docs = f"\nTài liệu đề nghị chuẩn bị: {documents}" if documents else ""
    return (
        f"Thông báo kiểm tra ({code})\n\n"
        f"Đảng ủy sẽ kiểm tra {cell}.\n"
        f"Nội dung: {content}\n"
        f"Thời kỳ kiểm tra: {period}\n"
        f"Ngày làm việc: {session}{docs}\n\n"
        "Đề nghị đồng chí chuẩn bị hồ sơ và báo cáo tự kiểm tra (gõ /tukiemtra khi đã nộp). "
        "Trợ lý sẽ nhắc kèm danh sách những việc chi bộ còn thiếu."
    )


def period_text(start: str, end: str) -> str:
    """Describe a covered period of months."""
    return f"tháng {start} đến tháng {end}" if start != end else f"tháng {start}"


def schedule(lines: list[str]) -> str:
    """List the upcoming inspections."""
    return "Lịch kiểm tra sắp tới:\n\n" + "\n".join(lines)


def schedule_line(code: str, session: str, cell: str, content: str, self_report: bool) -> str:
    """Describe one upcoming inspection."""
    state = "đã có báo cáo tự kiểm tra" if self_report else "chưa có báo cáo tự kiểm tra"
    return f"- {session}: {cell} — {content} ({code}; {state})"


def no_cell() -> str:
    """Say the person leads no cell, so has no inspection of their own."""
    return "Đồng chí chưa được giao phụ trách chi bộ nào nên chưa có cuộc kiểm tra nào của chi bộ."


def no_upcoming() -> str:
    """Say no inspection is planned."""
    return "Chưa có cuộc kiểm tra nào được lên lịch."


def reminder(cell: str, session: str, days: int, content: str, checklist: str) -> str:
    """Remind a cell's leaders of an inspection, with the readiness checklist."""
    when = "ngày mai" if days == 1 else f"còn {days} ngày"
    return (
        f"Nhắc chuẩn bị kiểm tra: {cell} làm việc với đoàn kiểm tra ngày {session} ({when}).\n"
        f"Nội dung: {content}\n\n{checklist}"
    )


def checklist(ready: Readiness) -> str:
    """Render the readiness checklist; say so when nothing is missing."""
    if ready.complete:
        return (
            "Kiểm tra nhanh hồ sơ: chi bộ đã có đủ những gì trợ lý theo dõi được. "
            "Đề nghị đồng chí rà soát lại bản giấy."
        )
    lines = ["Những việc chi bộ còn thiếu:"]
    if ready.months_without_report:
        lines.append(
            "- Tháng chưa nộp báo cáo sinh hoạt: "
            + ", ".join(fmt_month(*m) for m in ready.months_without_report)
        )
    if ready.quarters_without_thematic:
        lines.append(
            "- Quý chưa có sinh hoạt chuyên đề: "
            + ", ".join(quarter_name(*q) for q in ready.quarters_without_thematic)
        )
    if ready.members_without_pledge:
        lines.append("- Đảng viên chưa có bản đăng ký: " + ", ".join(ready.members_without_pledge))
    if ready.members_with_vague_items:
        lines.append(
            "- Đảng viên có nội dung đăng ký còn chung chung: " + ", ".join(ready.members_with_vague_items)
        )
    if ready.stale_items:
        lines.append(f"- {ready.stale_items} nội dung đăng ký chưa được cập nhật trong 3 tháng")
    if ready.self_report_missing:
        lines.append("- Chưa nộp báo cáo tự kiểm tra (gõ /tukiemtra khi đã nộp)")
    return "\n".join(lines)


def checklist_short(ready: Readiness) -> str:
    """Summarise the readiness checklist on one line, for the committee's schedule."""
    if ready.complete:
        return "   Hồ sơ: đủ những gì trợ lý theo dõi được."
    parts = []
    if ready.months_without_report:
        parts.append(f"{len(ready.months_without_report)} tháng chưa nộp báo cáo")
    if ready.quarters_without_thematic:
        parts.append(f"{len(ready.quarters_without_thematic)} quý chưa sinh hoạt chuyên đề")
    if ready.members_without_pledge:
        parts.append(f"{len(ready.members_without_pledge)} đảng viên chưa đăng ký")
    if ready.members_with_vague_items:
        parts.append(f"{len(ready.members_with_vague_items)} đảng viên đăng ký chung chung")
    if ready.stale_items:
        parts.append(f"{ready.stale_items} nội dung chưa cập nhật 3 tháng")
    if ready.self_report_missing:
        parts.append("chưa có báo cáo tự kiểm tra")
    return "   Còn thiếu: " + "; ".join(parts) + "."


def quarter_name(year: int, quarter: int) -> str:
    """Name a quarter the way users write it."""
    return f"quý {('I', 'II', 'III', 'IV')[quarter - 1]}/{year}"


def self_report_recorded(cell: str, session: str) -> str:
    """Confirm the self-inspection report is recorded."""
    return f"Đã ghi nhận báo cáo tự kiểm tra của {cell} cho buổi làm việc ngày {session}."


def self_report_notice(cell: str, session: str, summary: str) -> str:
    """Tell the committee a cell filed its self-inspection report."""
    return f"{cell} đã nộp báo cáo tự kiểm tra cho buổi làm việc ngày {session}.\nTóm tắt: {summary}"


def nothing_to_self_report() -> str:
    """Say the cell has no upcoming inspection."""
    return "Chi bộ của đồng chí chưa có cuộc kiểm tra nào sắp tới."


def nothing_to_conclude() -> str:
    """Say no inspection awaits a conclusion."""
    return "Không có cuộc kiểm tra nào đã làm việc mà chưa có kết luận."


def concluded(cell: str, tasks: int, held_until: datetime | None) -> str:
    """Confirm a recorded conclusion, and when the cell hears of it."""
    return (
        f"Đã ghi kết luận kiểm tra {cell} với {tasks} nhiệm vụ khắc phục. {told('chi bộ', held_until)} "
        "Trợ lý sẽ nhắc hằng tháng đến khi các nhiệm vụ được đóng."
    )


def conclusion_notice(
    cell: str, strengths: str, limitations: str, recommendations: str, tasks: list[str]
) -> str:
    """Send a cell's leaders the conclusion and their remedial tasks."""
    task_text = "\n".join(tasks) if tasks else "(không có)"
    return (
        f"Kết luận kiểm tra {cell}\n\n"
        f"Ưu điểm: {strengths}\n"
        f"Hạn chế: {limitations}\n"
        f"Kiến nghị: {recommendations}\n\n"
        f"Nhiệm vụ khắc phục:\n{task_text}\n\n"
        "Đề nghị đồng chí báo cáo kết quả từng nhiệm vụ bằng lệnh /khacphuc."
    )


def task_line(description: str, due: str) -> str:
    """Describe one remedial task."""
    return f"- {description} (hạn {due})"


def no_open_tasks() -> str:
    """Say there is no open remedial task."""
    return "Không có nhiệm vụ khắc phục nào đang mở."


def task_reported(description: str, held_until: datetime | None) -> str:
    """Confirm a report on a remedial task, and when the committee hears of it."""
    return f"Đã ghi nhận báo cáo về nhiệm vụ «{description}». {told('Đảng ủy', held_until)}"


def task_report_notice(cell: str, description: str, text: str) -> str:
    """Tell the committee what a cell reported on a remedial task."""
    return (
        f"{cell} báo cáo nhiệm vụ khắc phục «{description}»:\n{text}\n\n"
        "Khi đã hoàn thành, đồng chí gõ /dongkhacphuc để đóng."
    )


def task_closed(description: str) -> str:
    """Confirm a closed remedial task."""
    return f"Đã đóng nhiệm vụ khắc phục «{description}»."


def task_closed_notice(cell: str, description: str) -> str:
    """Tell the cell's leaders the committee closed a task."""
    return f"Đảng ủy đã đánh giá hoàn thành và đóng nhiệm vụ khắc phục của {cell}: «{description}»."


def remedial_reminder(cell: str, tasks: list[str]) -> str:
    """Remind a cell's leaders of their open remedial tasks."""
    return (
        f"Nhắc nhiệm vụ khắc phục sau kiểm tra của {cell}, còn đang mở:\n"
        + "\n".join(tasks)
        + "\n\nĐề nghị đồng chí báo cáo kết quả bằng lệnh /khacphuc."
    )


def report_before(cell: str, month: str, deadline: str) -> str:
    """Remind a cell's leaders that the monthly report is due soon."""
    return (
        f"Nhắc nộp báo cáo: {cell} chưa nộp báo cáo sinh hoạt chi bộ tháng {month}. "
        f"Hạn nộp: {deadline}. Đề nghị đồng chí gõ /baocao để nộp."
    )


def report_day(cell: str, month: str, deadline: str) -> str:
    """Remind a cell's leaders that the monthly report is due today."""
    return (
        f"Hôm nay ({deadline}) là hạn nộp báo cáo sinh hoạt chi bộ tháng {month}; {cell} chưa nộp. "
        "Đề nghị đồng chí gõ /baocao để nộp."
    )


def report_late(month: str, deadline: str, cells: list[str]) -> str:
    """Tell a committee member privately which cells are late."""
    return (
        f"Các chi bộ chưa nộp báo cáo sinh hoạt tháng {month} (hạn {deadline}):\n"
        + "\n".join(f"- {c}" for c in cells)
        + "\n\nDanh sách này chỉ gửi riêng cho đồng chí."
    )


def pledge_review(cell: str, review: str, year: int) -> str:
    """Remind a cell's leaders of the pledge review."""
    name = "sơ kết 6 tháng" if review == "mid_year" else "tổng kết năm"
    return (
        f"Nhắc {name} {year}: {cell} còn đảng viên chưa được {name} bản đăng ký học tập và làm theo. "
        "Đề nghị đồng chí thực hiện và ghi kết quả vào trợ lý."
    )


PROGRAMME_COLUMNS = "Chi bộ, Ngày làm việc, Nội dung, Từ tháng, Đến tháng, Tài liệu (không bắt buộc)"


def programme_missing_columns(missing: list[str]) -> str:
    """Say which columns the programme file lacks."""
    return f"Tệp thiếu cột: {', '.join(missing)}. Các cột cần có: {PROGRAMME_COLUMNS}."


def programme_row_error(line: int, reason: str) -> str:
    """Describe one bad row of the programme file."""
    return f"Dòng {line}: {reason}"


def programme_unknown_cell(name: str, names: list[str]) -> str:
    """Say a row names a cell the committee does not have."""
    return f"không có chi bộ «{name}». Các chi bộ: {', '.join(names)}."


def programme_empty_content() -> str:
    """Say a row has no content."""
    return "thiếu nội dung kiểm tra."


def programme_errors(count: int) -> str:
    """Head the list of bad rows."""
    return f"Không nhập gì vì tệp có {count} lỗi:"


def programme_imported(added: int, skipped: int) -> str:
    """Confirm an imported programme."""
    return (
        f"Đã nhập {added} cuộc kiểm tra vào kế hoạch; {skipped} cuộc đã có từ trước nên bỏ qua. "
        "Các chi bộ đã được thông báo."
    )

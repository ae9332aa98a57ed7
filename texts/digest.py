"""What the bot says in the committee digest and around /tonghop and /bieudo."""

from __future__ import annotations

from collections.abc import Sequence

from texts.common import REPORT_STANDING
from texts.report import ROMAN, quarter_label

HELP_DIGEST = "Tổng hợp tình hình các chi bộ (tháng, quý, năm)"
HELP_CHART = "Biểu đồ báo cáo, dự họp và tiến độ đăng ký"
HELP_GROUP = "Nhận bản tổng hợp định kỳ vào nhóm chat này"

PERIOD_UNREADABLE = (
    "Chưa rõ kỳ tổng hợp. Đề nghị đồng chí gõ một tháng (ví dụ: 8/2015), một quý (ví dụ: quý 3) "
    "hoặc một năm (ví dụ: 2015)."
)

ATTENTION_LABELS = {
    "missing_report": "chưa nộp báo cáo",
    "inspection_not_ready": "sắp kiểm tra, hồ sơ còn thiếu",
    "overdue_tasks": "khắc phục quá hạn",
    "late_report": "nộp báo cáo muộn",
    "unexcused_absence": "có đảng viên vắng không lý do",
    "low_attendance": "tỷ lệ dự họp chưa trên 85%",
    "no_thematic": "quý chưa có sinh hoạt chuyên đề",
    "overdue_items": "nội dung đăng ký quá hạn",
    "no_pledge": "đảng viên chưa đăng ký",
    "vague_pledge": "đăng ký còn chung chung",
}

CHART_TITLE = "Tình hình các chi bộ"
CHART_ON_TIME = "Báo cáo đúng hạn (số tháng)"
CHART_ATTENDANCE = "Tỷ lệ dự họp theo tháng (%)"
CHART_PLEDGES = "Tiến độ nội dung đăng ký"
CHART_MONTH = "Tháng"
CHART_DONE = "Đã hoàn thành"
CHART_OVERDUE = "Quá hạn"
CHART_OTHER = "Đang thực hiện, chưa đến hạn"
CHART_NO_DATA = "Chưa có số liệu"
CHART_WARD = "Bình quân Đảng bộ"


def chart_fewest(title: str, shown: int, cells: int) -> str:
    """Title a bar panel that shows only the cells needing most attention."""
    return f"{title} — {shown}/{cells} chi bộ cần quan tâm nhất"


def period_label(kind: str, year: int, index: int) -> str:
    """Name a period: «tháng 8/2015», «quý III/2015», «năm 2015»."""
    if kind == "month":
        return f"tháng {index}/{year}"
    if kind == "quarter":
        return quarter_label(year, index)
    return f"năm {year}"


def heading(period: str, committee: str, as_of: str, cells: int) -> str:
    """Open the digest: what, for whom, as of when."""
    return f"TỔNG HỢP {period.upper()}\n{committee}\nSố liệu đến {as_of}, {cells} chi bộ."


def totals_reports(on_time: int, late: int, missing: int, not_due: int, amended: int) -> str:
    """Sum up the period's reports for the ward."""
    words = REPORT_STANDING
    parts = [f"{on_time} {words['on_time']}", f"{late} {words['late']}", f"{missing} {words['missing']}"]
    if not_due:
        parts.append(f"{not_due} {words['not_due']}")
    if amended:
        parts.append(f"{amended} đã sửa")
    return "Báo cáo: " + ", ".join(parts) + "."


def attendance_line(shown_rate: str, without_reason: int) -> str:
    """Give the attendance rate and the unexcused absences."""
    return f"Dự họp: {shown_rate}; vắng không lý do: {without_reason}."


def thematic_totals(held: int, cells: int, quarter: str) -> str:
    """Say how many cells held the quarter's thematic meeting."""
    return f"Chuyên đề {quarter}: {held}/{cells} chi bộ đã sinh hoạt."


def pledge_line(specific: int, vague: int, none: int) -> str:
    """Count members by how specific their pledge is."""
    return f"Đăng ký: {specific} cụ thể, {vague} chung chung, {none} chưa có."


def items_line(done: int, items: int, overdue: int) -> str:
    """Count pledge items done and overdue."""
    return f"Nội dung đăng ký: {done}/{items} xong, {overdue} quá hạn."


def tasks_line(open_tasks: int, overdue: int) -> str:
    """Count open remedial tasks."""
    if not open_tasks:
        return "Khắc phục: không còn việc mở."
    late = f" ({overdue} quá hạn)" if overdue else ""
    return f"Khắc phục còn mở: {open_tasks}{late}."


def inspections_totals(count: int, not_ready: int) -> str:
    """Count upcoming inspections and those still missing something."""
    if not count:
        return "Kiểm tra sắp tới: chưa có lịch."
    return f"Kiểm tra sắp tới: {count} chi bộ ({not_ready} hồ sơ còn thiếu)."


def attention_heading(count: int) -> str:
    """Introduce the cells that need attention."""
    return f"CẦN CHÚ Ý ({count} chi bộ)"


def others_heading(count: int) -> str:
    """Introduce the cells with nothing to flag."""
    return f"CÁC CHI BỘ KHÁC ({count})"


NO_ATTENTION = "Không có chi bộ nào cần chú ý."


def cell_heading(number: int, name: str, reasons: Sequence[str]) -> list[str]:
    """Name a cell, then say on a line of its own why it needs attention."""
    why = [f"Lưu ý: {'; '.join(ATTENTION_LABELS[r] for r in reasons)}."] if reasons else []
    return [f"{number}. {name}", *why]


def month_report(status: str, amended: bool, deadline: str) -> str:
    """Say where a month's report stands."""
    shown = REPORT_STANDING[status]
    if status in ("missing", "not_due"):
        shown += f" (hạn {deadline})"
    return f"Báo cáo: {shown}{', đã sửa' if amended else ''}."


def thematic_cell(year: int, quarters: Sequence[tuple[int, bool]]) -> str:
    """Say which quarters of the period had a thematic meeting: one in words, several as a count."""
    if len(quarters) == 1:
        quarter, held = quarters[0]
        return f"Chuyên đề {quarter_label(year, quarter)}: {'đã có' if held else 'chưa có'}."
    lacking = [ROMAN[q] for q, held in quarters if not held]
    missing = f"; thiếu quý {', '.join(lacking)}" if lacking else ""
    return f"Chuyên đề: {len(quarters) - len(lacking)}/{len(quarters)} quý{missing}."


def inspection_cell(session: str | None, missing: int) -> str:
    """Give the next inspection and how ready the cell is."""
    if session is None:
        return "Kiểm tra: chưa có lịch."
    state = "hồ sơ đã đủ" if not missing else f"còn thiếu {missing} mục"
    return f"Kiểm tra: {session}, {state}."


def undelivered_heading(count: int) -> str:
    """Introduce the reminders that may not have arrived."""
    return f"NHẮC VIỆC CHƯA CHẮC ĐÃ ĐẾN ({count})"


def no_cells() -> str:
    """Answer when the committee has no cells yet."""
    return "Đảng bộ chưa có chi bộ nào để tổng hợp."


def chart_caption(committee: str, months: str) -> str:
    """Caption the chart."""
    return f"Biểu đồ tình hình các chi bộ — {committee}, {months}."


def months_span(first: str, last: str) -> str:
    """Name the months a chart covers."""
    return f"tháng {first} đến tháng {last}"


def group_registered(committee: str) -> str:
    """Confirm the group chat will receive the digests."""
    return f"Nhóm chat này sẽ nhận bản tổng hợp định kỳ của {committee} (hằng tuần và hằng tháng)."


def group_only_telegram() -> str:
    """Refuse to register a chat that is not a Telegram group."""
    return (
        "Chỉ đăng ký được nhóm chat trên Telegram. Đề nghị đồng chí gõ lệnh này trong nhóm chat của Đảng ủy."
    )

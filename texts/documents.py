"""What the Word documents say: the party-document layout, the summary report's sentences, the minutes."""

from __future__ import annotations

from collections.abc import Sequence

from texts.common import REPORT_STANDING

# The party-document layout (Hướng dẫn 36-HD/VPTW).
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
STAR = "*"
COMMITTEE_WORD = "Đảng bộ"
ISSUER_WORD = "Đảng ủy"
# Left blank for the office to fill in by hand, as the guidance leaves the line when it is unknown.
UNKNOWN_SUPERIOR = "………………………"
NUMBER_WARD = "Số        -BC/ĐU"
NUMBER_CELL = "Số        -BC/CB"
REPORT = "BÁO CÁO"
RECEIVERS = "Nơi nhận:"
RECEIVERS_WARD = ("- Như kính gửi,", "- Các chi bộ trực thuộc,", "- Lưu Văn phòng Đảng ủy.")
RECEIVERS_CELL = ("- Như kính gửi,", "- Lưu chi bộ.")
SIGN_WARD = "T/M ĐẢNG ỦY"
SIGN_CELL = "T/M CHI BỘ"
SECRETARY = "BÍ THƯ"
UNSIGNED = "(Ký, ghi rõ họ tên)"


def place_date(place: str, day: int, month: int, year: int) -> str:
    """Write the place and date line: days under 10 and months 1 and 2 take a leading zero."""
    shown_month = f"{month:02d}" if month <= 2 else str(month)
    return f"{place}, ngày {day:02d} tháng {shown_month} năm {year}"


def subtitle(period: str) -> str:
    """Say what the summary report is about."""
    return f"tình hình sinh hoạt chi bộ và thực hiện đăng ký học tập, làm theo {period}"


def recipient(name: str) -> str:
    """Address the report."""
    return f"Kính gửi: {name}"


def standing_committee(superior: str) -> str | None:
    """Name the standing committee a ward reports to, from its superior body, when the name says it."""
    words = superior.split()
    if len(words) < 3 or " ".join(words[:2]).lower() != "đảng bộ":
        return None
    level, place = words[2].lower(), " ".join(words[3:])
    body = {"thành": "Thành ủy", "tỉnh": "Tỉnh ủy"}.get(level)
    if body is None:
        return None
    if level == "thành":
        place = " ".join(words[4:])
    return f"Ban Thường vụ {body} {place}".strip()


def intro(issuer: str, directive: str | None, period: str) -> str:
    """Open the body of the report."""
    basis = (
        f"Thực hiện {directive} và chương trình công tác năm"
        if directive
        else "Thực hiện chương trình công tác"
    )
    return f"{basis}, {issuer} báo cáo tình hình {period} như sau:"


SECTION_RESULTS = "I. KẾT QUẢ THỰC HIỆN"
SECTION_SHORTFALLS = "II. HẠN CHẾ VÀ NHỮNG CHI BỘ CẦN QUAN TÂM"
SECTION_CELL_SHORTFALLS = "II. HẠN CHẾ"
SECTION_TASKS = "III. NHIỆM VỤ THỜI GIAN TỚI"
NOTHING_SHORT = "Trong kỳ, các chi bộ thực hiện đầy đủ các nội dung; không có chi bộ nào cần nhắc nhở."
NOTHING_SHORT_CELL = "Trong kỳ, chi bộ ta thực hiện đầy đủ các nội dung đã đề ra."
OUR_CELL = "chi bộ ta"


def meetings(
    period: str, filed: int, due: int, on_time: int, late: int, not_due: int, *, one_month: bool
) -> str:
    """Say how many cells met and reported in a month, or how many monthly reports came in a longer period."""
    if one_month:
        text = f"Trong {period}, {filed}/{due} chi bộ tổ chức sinh hoạt và gửi báo cáo"
        pending = "chi bộ chưa đến hạn gửi báo cáo"
    else:
        text = f"Trong {period}, các chi bộ đã gửi {filed}/{due} báo cáo sinh hoạt hằng tháng đến hạn"
        pending = "báo cáo chưa đến hạn"
    if late:
        text += f" ({on_time} đúng hạn, {late} nộp muộn)"
    return text + (f"; {not_due} {pending}" if not_due else "")


def cell_meetings(period: str, held: int, months: int, dates: Sequence[str]) -> str:
    """Say when the cell met in the period."""
    when = f" (ngày {', '.join(dates)})" if dates else ""
    if months == 1:
        return (
            f"Trong {period}, {OUR_CELL} tổ chức sinh hoạt{when}"
            if held
            else (f"Trong {period}, {OUR_CELL} chưa gửi báo cáo sinh hoạt")
        )
    return f"Trong {period}, {OUR_CELL} đã gửi {held}/{months} báo cáo sinh hoạt hằng tháng{when}"


def attendance(shown_rate: str, without_reason: int, cell: bool) -> str:
    """Give the attendance rate and the absences without reason, to end the meetings sentence."""
    who = "đảng viên dự họp" if cell else "đảng viên dự họp bình quân"
    absent = (
        f"{without_reason} lượt đảng viên vắng không lý do"
        if without_reason
        else "không có đảng viên vắng không lý do"
    )
    return f"; tỷ lệ {who} {shown_rate}; {absent}."


NO_MEETING_FIGURES = "."


def thematic(held: int, cells: int, quarter: str) -> str:
    """Say how many cells held the quarter's thematic meeting."""
    return f"Trong {quarter}, {held}/{cells} chi bộ đã tổ chức sinh hoạt chuyên đề."


def thematic_cell(held: bool, quarter: str) -> str:
    """Say whether the cell held the quarter's thematic meeting."""
    return f"{OUR_CELL.capitalize()} {'đã' if held else 'chưa'} tổ chức sinh hoạt chuyên đề {quarter}."


def pledges(year: int, specific: int, vague: int, none: int, done: int, items: int, overdue: int) -> str:
    """Sum up the members' pledges of the year and their progress, leaving out what counts nothing."""
    members = [
        f"{count} đảng viên {what}"
        for count, what in (
            (specific, "có bản đăng ký cụ thể"),
            (vague, "còn nội dung chung chung"),
            (none, "chưa đăng ký"),
        )
        if count
    ]
    text = f"Về đăng ký học tập và làm theo năm {year}: {', '.join(members)}."
    if not items:
        return text + " Chưa có nội dung đăng ký nào được ghi nhận."
    late = f"; {overdue} nội dung quá hạn chưa hoàn thành" if overdue else ""
    return text + f" Đã hoàn thành {done}/{items} nội dung đăng ký{late}."


def tasks(open_tasks: int, overdue: int) -> str:
    """Sum up the remedial tasks after inspections."""
    if not open_tasks:
        return "Không còn nhiệm vụ khắc phục sau kiểm tra nào đang thực hiện."
    late = f", trong đó {overdue} nhiệm vụ quá hạn" if overdue else ""
    return f"Còn {open_tasks} nhiệm vụ khắc phục sau kiểm tra đang thực hiện{late}."


def inspections(count: int, not_ready: int) -> str:
    """Sum up the upcoming inspections."""
    if not count:
        return ""
    ready = f"; {not_ready} chi bộ còn thiếu hồ sơ" if not_ready else "; hồ sơ các chi bộ đã đủ"
    return f" Sắp tới có {count} chi bộ được kiểm tra{ready}."


def inspection_cell(session: str, missing: int) -> str:
    """Say when the cell is inspected and how ready it is."""
    ready = f"hồ sơ còn thiếu {missing} mục" if missing else "hồ sơ đã đủ"
    return f" {OUR_CELL.capitalize()} được kiểm tra ngày {session}; {ready}."


# What a cell falls short in, by the digest's attention reason; each takes the cell's figures.
SHORTFALLS = {
    "missing_report": "chưa gửi báo cáo sinh hoạt {missing_months} (hạn {deadline})",
    "inspection_not_ready": "sắp kiểm tra ngày {session}, hồ sơ còn thiếu {inspection_missing} mục",
    "overdue_tasks": "{overdue_tasks} nhiệm vụ khắc phục quá hạn",
    "late_report": "gửi báo cáo muộn",
    "unexcused_absence": "{without} lượt đảng viên vắng không lý do",
    "low_attendance": "tỷ lệ dự họp {rate}, chưa đạt trên 85%",
    "no_thematic": "chưa sinh hoạt chuyên đề {quarters}",
    "overdue_items": "{overdue_items} nội dung đăng ký quá hạn",
    "no_pledge": "{no_pledge} đảng viên chưa đăng ký học tập và làm theo",
    "vague_pledge": "{vague} đảng viên đăng ký còn chung chung",
}


def cell_shortfalls(cell: str, parts: Sequence[str]) -> str:
    """Name what one cell falls short in."""
    return f"{cell}: {'; '.join(parts)}."


def our_shortfalls(parts: Sequence[str]) -> str:
    """Name what the cell itself falls short in."""
    return f"{OUR_CELL.capitalize()} còn: {'; '.join(parts)}."


# What the cells are asked to do, by attention reason, after their names or «Chi bộ ta».
TASKS = {
    "missing_report": "khẩn trương hoàn thành và gửi báo cáo sinh hoạt {period}.",
    "inspection_not_ready": "hoàn thiện hồ sơ phục vụ kiểm tra trước ngày làm việc.",
    "overdue_tasks": "hoàn thành các nhiệm vụ khắc phục sau kiểm tra đã quá hạn và báo cáo kết quả.",
    "late_report": "gửi báo cáo sinh hoạt đúng hạn (trước ngày {deadline_day} tháng sau).",
    "unexcused_absence": "gặp gỡ, nhắc nhở đảng viên vắng sinh hoạt không lý do.",
    "low_attendance": "bảo đảm tỷ lệ đảng viên dự sinh hoạt trên 85%.",
    "no_thematic": "tổ chức sinh hoạt chuyên đề theo quy định, ít nhất mỗi quý một lần.",
    "overdue_items": "theo dõi, đôn đốc đảng viên thực hiện các nội dung đăng ký đã quá hạn.",
    "no_pledge": "hướng dẫn đảng viên chưa đăng ký hoàn thành bản đăng ký học tập và làm theo.",
    "vague_pledge": (
        "hướng dẫn đảng viên cụ thể hóa bản đăng ký: việc làm, chỉ tiêu đo được, lộ trình, thời hạn và "
        "minh chứng."
    ),
}


def cells_subject(names: Sequence[str]) -> str:
    """Name the cells a task is asked of."""
    return f"Các chi bộ {', '.join(n.removeprefix('Chi bộ ') for n in names)}" if len(names) > 1 else names[0]


FOLLOW_UP_WARD = (
    "Văn phòng Đảng ủy tiếp tục theo dõi, đôn đốc các chi bộ thực hiện; các chi bộ theo dõi kết quả thực "
    "hiện đăng ký của từng đảng viên và báo cáo trong kỳ sinh hoạt tiếp theo."
)
FOLLOW_UP_CELL = (
    "Chi ủy tiếp tục theo dõi kết quả thực hiện đăng ký của từng đảng viên và báo cáo Đảng ủy trong kỳ "
    "tiếp theo."
)

APPENDIX = "PHỤ LỤC"


def appendix_title(period: str) -> str:
    """Title the appendix of figures."""
    return f"Số liệu các chi bộ {period}"


def appendix_meetings(period: str) -> str:
    """Title the cell's table of meetings."""
    return f"Các buổi sinh hoạt của chi bộ {period}"


APPENDIX_HEADERS = (
    "STT",
    "Chi bộ",
    "Báo cáo",
    "Dự họp",
    "Vắng không lý do",
    "Chuyên đề",
    "Đăng ký: cụ thể / chung chung / chưa",
    "Nội dung hoàn thành / tổng (quá hạn)",
    "Khắc phục còn mở (quá hạn)",
)
MEETING_HEADERS = (
    "Tháng",
    "Ngày họp",
    "Loại",
    "Có mặt / phải dự",
    "Tỷ lệ",
    "Vắng có lý do",
    "Vắng không lý do",
    "Báo cáo",
)
THEMATIC_HELD = {True: "đã có", False: "chưa có"}
NOT_APPLICABLE = "—"


def reports_count(on_time: int, late: int, missing: int) -> str:
    """Sum a cell's months in the appendix: one word for a month, counts for several."""
    words = REPORT_STANDING
    return f"{on_time} {words['on_time']}, {late} {words['late']}, {missing} {words['missing']}"


def month_short(year: int, month: int) -> str:
    """Name a month in a table: «8/2015»."""
    return f"{month}/{year}"


# The minutes of a meeting (biên bản sinh hoạt chi bộ).
MINUTES = "BIÊN BẢN"
MINUTES_KINDS = {
    "regular": "thường kỳ",
    "thematic": "chuyên đề",
    "combined": "thường kỳ kết hợp chuyên đề",
}
EXPORT_MINUTES = "Xuất biên bản"
HELP_MINUTES = "Xuất biên bản sinh hoạt chi bộ từ báo cáo đã gửi (Word)"
MINUTES_WHICH = "Đề nghị đồng chí gõ /bienban kèm mã báo cáo, ví dụ /bienban BC0001 (mã có trong /xembaocao)."
SECTION_PEOPLE = "I. THÀNH PHẦN"
SECTION_CONTENT = "II. NỘI DUNG SINH HOẠT"
SECTION_VOTE = "III. BIỂU QUYẾT"
OPINIONS = "Ý kiến phát biểu của đảng viên (thư ký ghi tóm tắt):"
DOTS = "…" * 32
NOTHING = "Không có."
MINUTES_TAKER = "THƯ KÝ"
CHAIR = "CHỦ TRÌ"
PASSED = "Biên bản đã được thông qua trước chi bộ."
LABEL_REVIEW = "Đánh giá việc thực hiện nhiệm vụ tháng trước"
LABEL_DOCUMENTS = "Phổ biến văn bản, nghị quyết của cấp trên"
LABEL_RESOLUTION = "Nghị quyết, nhiệm vụ tháng tới"
LABEL_TOPIC = "Sinh hoạt chuyên đề"


def minutes_subject(kind: str, month: int, year: int) -> str:
    """Say which meeting the minutes record: «Sinh hoạt chi bộ thường kỳ tháng 8/2015»."""
    return f"sinh hoạt chi bộ {MINUTES_KINDS[kind]} tháng {month}/{year}"


def clock(hhmm: str | None) -> str:
    """Write a time as the minutes do: «19 giờ 30 phút», dotted for the secretary when unknown."""
    if not hhmm:
        return "…… giờ …… phút"
    hour, minute = (int(part) for part in hhmm.split(":"))
    return f"{hour} giờ {minute:02d} phút" if minute else f"{hour} giờ"


def opening(
    start: str | None, day: int, month: int, year: int, place: str | None, cell: str, kind: str
) -> str:
    """Open the minutes: when and where the cell met."""
    where = place or "……………………"
    shown_month = f"{month:02d}" if month <= 2 else str(month)
    return (
        f"Hôm nay, vào lúc {clock(start)}, ngày {day:02d} tháng {shown_month} năm {year}, tại {where}, "
        f"{cell} tiến hành sinh hoạt {MINUTES_KINDS[kind]} tháng {month}/{year}."
    )


def chair(name: str) -> str:
    """Name the chair."""
    return f"- Chủ trì: đồng chí {name}."


def minutes_taker(name: str) -> str:
    """Name the minute taker."""
    return f"- Thư ký: đồng chí {name}."


def members(total: int, excused: int, expected: int) -> str:
    """Count the cell's members and those expected."""
    spared = f"; miễn sinh hoạt: {excused} đồng chí" if excused else ""
    return (
        f"- Tổng số đảng viên của chi bộ: {total} đồng chí{spared}; phải dự sinh hoạt: {expected} đồng chí."
    )


def present(count: int, shown_rate: str) -> str:
    """Count those present."""
    return f"- Có mặt: {count} đồng chí (đạt {shown_rate})."


def absent_with_reason(names: Sequence[str]) -> str:
    """Name those absent with a reason, the reason after each."""
    who = f": {', '.join(names)}" if names else ""
    return f"- Vắng có lý do: {len(names)} đồng chí{who}."


def absent_without_reason(names: Sequence[str]) -> str:
    """Name those absent without reason."""
    who = f": {', '.join(names)}" if names else ""
    return f"- Vắng không lý do: {len(names)} đồng chí{who}."


def guests(text: str | None) -> str:
    """Name the guests."""
    return f"- Khách mời: {text or 'không có'}."


def vote(votes_for: int | None, votes_against: int | None, voters: int | None) -> str:
    """Record the vote on the resolution, dotted for the secretary when it was not reported."""
    if votes_for is None or not voters:
        return (
            "Chi bộ biểu quyết thông qua nghị quyết: tán thành ……/…… đồng chí; không tán thành …… đồng chí."
        )
    share = f"{round(100 * votes_for / voters)}%"
    return (
        f"Chi bộ biểu quyết thông qua nghị quyết: tán thành {votes_for}/{voters} đồng chí đảng viên "
        f"chính thức có mặt ({share}); không tán thành {votes_against or 0} đồng chí."
    )


def closing(end: str | None) -> str:
    """Close the minutes with the end time."""
    return f"Buổi sinh hoạt kết thúc lúc {clock(end)} cùng ngày."


def minutes_sent(name: str) -> str:
    """Caption the minutes file."""
    return f"Biên bản {name} đã sẵn sàng; đề nghị đồng chí in, ký và lưu vào sổ biên bản của chi bộ."


def minutes_hint(code: str) -> str:
    """Say how to get a report's minutes."""
    return f"Gõ /bienban {code} để xuất biên bản sinh hoạt (Word)."

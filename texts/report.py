"""What the bot says about monthly meeting reports: filing, amending, listing, notices."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from texts.common import told

REPORT_TITLE = "Báo cáo sinh hoạt chi bộ"
AMEND_TITLE = "Sửa báo cáo sinh hoạt chi bộ"
PICK_TITLE = "Chọn báo cáo cần sửa"
VIEW_TITLE = "Xem báo cáo sinh hoạt"
CODE_PREFIX = "BC"

HELP_FILE = "Báo cáo sinh hoạt chi bộ hằng tháng"
HELP_AMEND = "Sửa báo cáo sinh hoạt đã gửi"
HELP_VIEW = "Xem các báo cáo sinh hoạt chi bộ"

KIND_LABELS = {
    "regular": "Thường kỳ",
    "thematic": "Chuyên đề",
    "combined": "Kết hợp thường kỳ và chuyên đề",
}
QUALITY_LABELS = {"good": "Tốt", "fair": "Khá", "average": "Trung bình", "poor": "Kém"}
REASON_CHOICES = ("Ốm", "Đi công tác", "Việc gia đình")
NO_REASON = "Không có lý do"
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

LABEL_MONTH = "Tháng báo cáo"
LABEL_KIND = "Loại sinh hoạt"
LABEL_TOPIC = "Chuyên đề"
LABEL_DATE = "Ngày họp"
LABEL_TIME = "Giờ bắt đầu"
LABEL_END_TIME = "Giờ kết thúc"
LABEL_PLACE = "Địa điểm"
LABEL_GUESTS = "Khách mời"
LABEL_VOTE = "Biểu quyết nghị quyết"
LABEL_ABSENT = "Vắng họp"
LABEL_REASON = "Lý do vắng"
LABEL_CHAIR = "Chủ trì"
LABEL_MINUTES = "Thư ký"
LABEL_STUDY = "Học tập và làm theo tấm gương đạo đức Hồ Chí Minh"
LABEL_DOCUMENTS = "Văn bản cấp trên đã phổ biến"
LABEL_REVIEW = "Đánh giá việc tháng trước"
LABEL_RESOLUTION = "Nghị quyết, nhiệm vụ tháng tới"
LABEL_QUALITY = "Tự đánh giá chất lượng"
LABEL_ATTENDANCE = "Điểm danh"
LABEL_CELL = "Chi bộ"
LABEL_REPORT = "Báo cáo"

# The names of the stored fields, for saying what an amendment changed.
FIELD_LABELS = {
    "year": LABEL_MONTH,
    "month": LABEL_MONTH,
    "kind": LABEL_KIND,
    "topic": LABEL_TOPIC,
    "meeting_date": LABEL_DATE,
    "start_time": LABEL_TIME,
    "end_time": LABEL_END_TIME,
    "place": LABEL_PLACE,
    "guests": LABEL_GUESTS,
    "attendance": LABEL_ATTENDANCE,
    "chair_member_id": LABEL_CHAIR,
    "minutes_member_id": LABEL_MINUTES,
    "study": LABEL_STUDY,
    "documents": LABEL_DOCUMENTS,
    "review": LABEL_REVIEW,
    "resolution": LABEL_RESOLUTION,
    "quality": LABEL_QUALITY,
    "vote_for": LABEL_VOTE,
    "vote_against": LABEL_VOTE,
    "vote_total": LABEL_VOTE,
}


def month_label(year: int, month: int) -> str:
    """Name a month as a choice: «Tháng 8/2015»."""
    return f"Tháng {month}/{year}"


def quarter_label(year: int, quarter: int) -> str:
    """Name a quarter: «quý III/2015»."""
    return f"quý {ROMAN[quarter]}/{year}"


def rate(value: float | None) -> str:
    """Show an attendance rate as a percentage with a decimal comma: «93,3%»."""
    if value is None:
        return "—"
    shown = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return shown.replace(".", ",") + "%"


def report_intro(cell_name: str) -> str:
    """Open a new report for the cell."""
    return (
        f"Báo cáo sinh hoạt của {cell_name}. "
        "Trợ lý hỏi lần lượt từng mục; mọi câu đã trả lời đều được giữ lại."
    )


def amend_intro(code: str, cell_name: str) -> str:
    """Open an amendment, explaining that every version is kept."""
    return (
        f"Sửa báo cáo {code} của {cell_name}. Nội dung hiện tại ở dưới; gõ số mục để sửa. "
        "Mỗi lần sửa được lưu thành một phiên bản và Đảng ủy được báo bản mới nhất."
    )


def ask_month(year: int, month: int) -> str:
    """Ask which month the report is about, the usual one given as the example."""
    return (
        f"Báo cáo sinh hoạt tháng nào? Thường là tháng {month}/{year}. "
        f"Chọn bên dưới, hoặc gõ tháng khác (ví dụ: {month}/{year}, tháng {month})."
    )


def month_in_future(month: str) -> str:
    """Refuse a month that has not come yet."""
    return f"{month.lower()} chưa đến. Đề nghị đồng chí chọn tháng đã họp, ví dụ tháng trước."


def month_too_old(month: str, limit: int) -> str:
    """Refuse a month too far back."""
    return (
        f"{month.lower()} đã quá {limit} tháng. Báo cáo cũ hơn đề nghị đồng chí gửi trực tiếp "
        "cho Văn phòng Đảng ủy; ở đây gõ một tháng gần đây, ví dụ tháng trước."
    )


def ask_kind(month: str, filed: Sequence[str]) -> str:
    """Ask the kind of meeting, saying which kinds are already reported for that month."""
    text = f"Cuộc họp {month.lower()} là sinh hoạt loại nào?"
    if filed:
        names = ", ".join(k.lower() for k in filed)
        text += f" ({month} đã có báo cáo {names}; muốn sửa thì gõ /suabaocao.)"
    return text


def kind_taken(kind: str, month: str, code: str) -> str:
    """Refuse a second report of the same kind for one month."""
    return (
        f"{month} đã có báo cáo sinh hoạt {kind.lower()} (mã {code}); mỗi tháng mỗi loại chỉ một báo cáo. "
        f"Đề nghị đồng chí chọn loại khác, hoặc dùng /suabaocao {code} để sửa báo cáo đó."
    )


def ask_topic(theme: str) -> str:
    """Ask the thematic meeting's topic, the year's theme as the example when there is one."""
    example = f"một nội dung của chủ đề năm «{theme}»" if theme else "Học tập tấm gương trung thực của Bác"
    return f"Tên chuyên đề của buổi sinh hoạt (ví dụ: {example})."


def ask_date(year: int, month: int, example: str, yesterday: bool) -> str:
    """Ask the day of the meeting within the month, offering «hôm qua» only when it falls in it."""
    or_yesterday = ", hoặc «hôm qua»" if yesterday else ""
    return (
        f"Cuộc họp vào ngày nào trong tháng {month}/{year}? Gõ ngày/tháng/năm, ví dụ {example}{or_yesterday}."
    )


def date_not_in_month(day: str, month: str) -> str:
    """Refuse a date outside the report's month."""
    return f"ngày {day} không thuộc {month.lower()}. Đề nghị gõ một ngày trong {month.lower()}."


def date_in_future(day: str) -> str:
    """Refuse a meeting date that has not come yet."""
    return f"ngày {day} chưa đến. Đề nghị đồng chí gõ ngày cuộc họp đã diễn ra."


ASK_TIME = "Cuộc họp bắt đầu lúc mấy giờ? Ví dụ: 19:30, 19h30, 7 giờ tối."
ASK_PLACE = "Cuộc họp ở đâu? Ví dụ: Nhà văn hóa tổ dân phố số 5."
ASK_END_TIME = "Cuộc họp kết thúc lúc mấy giờ? Ví dụ: 21:30, 21h30, 9 giờ 30 tối."


def end_before_start(end: str, start: str) -> str:
    """Refuse an end time that is not after the start time."""
    return f"giờ kết thúc {end} phải sau giờ bắt đầu {start}. Đề nghị đồng chí gõ lại."


def duration(minutes: int) -> str:
    """Show a meeting's length: «1 giờ 30 phút», «75 phút»."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} phút"
    return f"{hours} giờ {rest} phút" if rest else f"{hours} giờ"


def show_end(end: str, minutes: int, short_of: int | None) -> str:
    """Show the end time with the meeting's length, flagged when shorter than the guidance asks."""
    shown = f"{end} (họp {duration(minutes)})"
    if short_of is not None:
        shown += f"; lưu ý: ngắn hơn {short_of} phút theo hướng dẫn"
    return shown


def length_line(minutes: int, minimum: int) -> str:
    """Say whether the meeting lasted as long as the guidance asks."""
    bar = "đạt" if minutes >= minimum else "chưa đạt"
    return f"Thời gian sinh hoạt: {duration(minutes)} (hướng dẫn: ít nhất {minimum} phút): {bar}"


ASK_GUESTS = (
    "Khách mời dự họp (nếu có), ví dụ: đồng chí Nguyễn Văn Hùng, Đảng ủy viên phụ trách chi bộ; "
    "đồng chí Tổ trưởng tổ dân phố."
)


def ask_vote(voters: int) -> str:
    """Ask the vote on the resolution, naming how many may vote."""
    return (
        f"Biểu quyết thông qua nghị quyết: có mặt {voters} đảng viên chính thức (đảng viên dự bị không "
        "biểu quyết). Gõ số tán thành và số không tán thành, ví dụ «25/1», hoặc chọn bên dưới."
    )


def unanimous(voters: int) -> str:
    """Offer the unanimous vote."""
    return f"Nhất trí {voters}/{voters}"


VOTE_UNREADABLE = "đề nghị gõ số tán thành và số không tán thành, ví dụ «25/1» hoặc «25 1»."


def too_many_votes(votes: int, voters: int) -> str:
    """Refuse more votes than full members present."""
    return f"{votes} phiếu nhiều hơn số đảng viên chính thức có mặt ({voters}). Đề nghị kiểm tra lại."


def show_vote(votes_for: int, votes_against: int, voters: int) -> str:
    """Show the vote against the number of voters."""
    return f"{votes_for}/{voters} tán thành, {votes_against} không tán thành"


def roster_line(number: int, name: str) -> str:
    """Show one roster member with their number."""
    return f"{number}. {name}"


def ask_absent(total: int, excused: int, expected: int, lines: Sequence[str]) -> str:
    """Show the roster counts and the numbered roster of the day, and ask who was absent."""
    excused_part = f", trong đó {excused} đồng chí miễn sinh hoạt (không tính vắng)" if excused else ""
    return (
        f"Điểm danh: chi bộ có {total} đảng viên{excused_part}; {expected} đồng chí phải dự họp:\n"
        + "\n".join(lines)
        + "\n\nĐồng chí nào vắng họp? Gõ số thứ tự, cách nhau bằng dấu phẩy (ví dụ: 2, 5, 7), "
        "hoặc gõ «không ai» nếu đủ mặt."
    )


def excused_line(number: int, name: str) -> str:
    """Show an excused member on the roster, keeping their number."""
    return f"{number}. {name} (miễn sinh hoạt)"


def excused_not_absent(names: Sequence[str]) -> str:
    """Refuse marking excused members absent."""
    return (
        f"đồng chí {', '.join(names)} miễn sinh hoạt nên không tính vắng; đề nghị gõ lại số của người vắng."
    )


def excused_cannot_lead(name: str) -> str:
    """Refuse an excused member as chair or minute taker."""
    return f"đồng chí {name} miễn sinh hoạt, không dự họp. Đề nghị chọn đồng chí có mặt."


def ask_absent_again(count: int) -> str:
    """Ask who was absent in one line, the roster having been shown already."""
    return (
        f"Đồng chí nào vắng họp? Gõ số thứ tự từ 1 đến {count} theo danh sách đã gửi, hoặc «không ai»; "
        "gõ «danh sách» để xem lại danh sách."
    )


def ask_present_again(role: str, count: int) -> str:
    """Ask the chair or the minute taker in one line, the list having been shown already."""
    return (
        f"Đồng chí nào {role}? Gõ số thứ tự (1–{count}) hoặc tên trong danh sách có mặt đã gửi; "
        "gõ «danh sách» để xem lại."
    )


CHAIR_ROLE = "chủ trì cuộc họp"
MINUTES_ROLE = "làm thư ký"

LABEL_USUAL = "Như tháng trước"
USUAL_SAME = "Như tháng trước"
USUAL_NEW = "Nhập từng mục"


def ask_usual(
    last_month: str,
    year: int,
    month: int,
    hours: str | None,
    place: str | None,
    guests: str | None,
    chair: str,
    minutes: str,
    regular: bool,
) -> str:
    """Offer to keep the last report's details for this one, or type the date to keep them at once."""
    kind = "sinh hoạt thường kỳ " if regular else ""
    return (
        f"Theo báo cáo {last_month.lower()}, chi bộ họp:\n"
        f"- Thời gian: {hours or 'chưa ghi'}\n"
        f"- Địa điểm: {place or 'chưa ghi'}\n"
        f"- Chủ trì: đồng chí {chair}; thư ký: đồng chí {minutes}\n"
        f"- Khách mời: {guests or 'không có'}\n\n"
        f"Báo cáo {kind}tháng {month}/{year} giữ nguyên các mục trên? "
        f"Gõ ngày họp (ví dụ 05/{month:02d}/{year}) để giữ nguyên và ghi ngày luôn; "
        f"chọn «{USUAL_SAME}» rồi nhập ngày; hoặc chọn «{USUAL_NEW}»."
    )


def hours(start: str | None, end: str | None) -> str | None:
    """Show a meeting's hours: «19:30–21:30», «từ 19:30», or None when unknown."""
    if start is None:
        return None
    return f"{start}–{end}" if end else f"từ {start}"


def show_usual(same: bool, last_month: str) -> str:
    """Show whether the last report's details were kept."""
    return f"Có, theo báo cáo {last_month.lower()}" if same else "Không, nhập từng mục"


USUAL_UNREADABLE = (
    f"đề nghị chọn «{USUAL_SAME}» hoặc «{USUAL_NEW}», hoặc gõ ngày họp (ngày/tháng/năm, ví dụ 05/08/2015)."
)


def absent_partly_read(kept: Sequence[str], unknown: Sequence[int], maximum: int) -> str:
    """Say which absentees were noted and ask only about the numbers off the roster."""
    numbers = ", ".join(str(n) for n in unknown)
    return (
        f"Đã ghi vắng: {'; '.join(kept)}.\n"
        f"Danh sách chỉ có số 1 đến {maximum}, không có số {numbers}. Nếu còn đồng chí khác vắng, "
        "đề nghị gõ số thứ tự của các đồng chí đó; nếu chỉ có vậy, gõ «không»."
    )


def nobody_present() -> str:
    """Refuse an absence list that leaves nobody at the meeting."""
    return "như vậy không còn đồng chí nào dự họp. Đề nghị kiểm tra lại các số đã gõ."


def too_many_absent(limit: int) -> str:
    """Refuse more absentees than the flow can ask reasons for."""
    return f"danh sách vắng quá {limit} đồng chí. Đề nghị kiểm tra lại các số đã gõ."


def show_absent(names: Sequence[str], present: int, expected: int, shown_rate: str) -> str:
    """Show the absentees and the attendance they leave."""
    who = ", ".join(names) if names else "không ai vắng"
    return f"{who} (có mặt {present}/{expected}, đạt {shown_rate})"


def ask_reason(name: str, number: int, position: int, count: int) -> str:
    """Ask whether one absent member had a reason, and which."""
    return (
        f"Vắng họp ({position}/{count}): đồng chí {name} (số {number}).\n"
        f"Đồng chí vắng vì lý do gì? Chọn lý do, hoặc gõ lý do khác; chọn «{NO_REASON}» nếu vắng không lý do."
    )


def show_reason(name: str, reason: str) -> str:
    """Show one absent member and their reason."""
    return f"{name} — {reason}" if reason else f"{name} — vắng không lý do"


def reason_not_nobody(name: str, typed: str) -> str:
    """Ask back «không ai» (or «0») typed for one absent member's reason."""
    return (
        f"«{typed}» là câu trả lời cho câu hỏi ai vắng họp. Nếu đồng chí {name} vắng không có lý do, "
        f"đề nghị chọn «{NO_REASON}»; nếu đồng chí {name} có mặt, gõ «quay lại» để sửa danh sách vắng."
    )


REASON_NEEDS_WORDS = f"lý do cần ghi bằng chữ, ví dụ «đi viện», hoặc chọn «{NO_REASON}»."


def ask_chair(lines: Sequence[str]) -> str:
    """Ask who chaired the meeting, among those present."""
    return "Đồng chí nào chủ trì cuộc họp? Gõ số thứ tự trong danh sách có mặt:\n" + "\n".join(lines)


def ask_minutes(lines: Sequence[str]) -> str:
    """Ask who took the minutes, among those present."""
    return "Đồng chí nào làm thư ký (ghi biên bản)? Gõ số thứ tự trong danh sách có mặt:\n" + "\n".join(lines)


def member_not_listed(maximum: int) -> str:
    """Refuse a roster number or name that is not on the list."""
    return f"đề nghị gõ một số thứ tự từ 1 đến {maximum} trong danh sách trên."


def member_was_absent(name: str) -> str:
    """Refuse an absent member as chair or minute taker."""
    return f"đồng chí {name} vắng họp nên không thể chủ trì hay làm thư ký. Đề nghị chọn đồng chí có mặt."


def same_as_chair(name: str) -> str:
    """Refuse the chair as minute taker."""
    return f"đồng chí {name} đã chủ trì; thư ký cần là một đồng chí khác."


def ask_study(wording: str) -> str:
    """Ask what the meeting studied, in the wording of the directive in force."""
    return f"Nội dung {wording[0].lower()}{wording[1:]} trong buổi sinh hoạt (có thể viết nhiều dòng)."


ASK_DOCUMENTS = "Các văn bản, nghị quyết của cấp trên đã phổ biến (có thể viết nhiều dòng)."
ASK_REVIEW = (
    "Đánh giá thực hiện nhiệm vụ tháng trước: việc đã làm, việc chưa làm và nguyên nhân "
    "(có thể viết nhiều dòng)."
)
ASK_RESOLUTION = "Nghị quyết, nhiệm vụ của chi bộ trong tháng tới (có thể viết nhiều dòng)."


def required(label: str) -> str:
    """Refuse skipping a required field."""
    return f"mục «{label}» là bắt buộc trong báo cáo; đề nghị đồng chí ghi tóm tắt."


def indicators(
    present: int,
    expected: int,
    shown_rate: str,
    without_reason: Sequence[str],
    quarter: str,
    thematic: str | None,
    good: bool,
    length: str | None,
) -> str:
    """Show the computed indicators beside the self-assessment question."""
    absent_line = (
        f"{len(without_reason)} đồng chí ({', '.join(without_reason)})" if without_reason else "không có"
    )
    thematic_line = "chưa có" if thematic is None else f"đã có ({thematic})"
    bar = "đạt" if good else "chưa đạt"
    return (
        "Các chỉ số của cuộc họp:\n"
        f"- Tỷ lệ dự họp: {present}/{expected} = {shown_rate}\n"
        f"- Vắng không lý do: {absent_line}\n"
        f"- Sinh hoạt chuyên đề {quarter}: {thematic_line}\n"
        "- Tiêu chí dự họp của buổi sinh hoạt chất lượng tốt "
        f"(trên 85%, không ai vắng không lý do): {bar}\n"
        + (f"- {length}\n" if length else "")
        + "\nĐồng chí tự đánh giá chất lượng buổi sinh hoạt:"
    )


THEMATIC_THIS_MEETING = "chính buổi này"


def thematic_in(month: str) -> str:
    """Name the report that holds the quarter's thematic meeting."""
    return f"báo cáo {month.lower()}"


def submitted(
    code: str, month: str, kind: str, late: bool, deadline: str, notified: int, held_until: datetime | None
) -> str:
    """Confirm a filed report with its code, and when the committee hears of it."""
    timing = f"nộp muộn (hạn {deadline})" if late else f"đúng hạn (hạn {deadline})"
    return (
        f"Đã gửi báo cáo sinh hoạt {kind.lower()} {month.lower()}. Mã báo cáo: {code}. Báo cáo {timing}.\n"
        f"{told(f'{notified} đồng chí ủy viên Đảng ủy', held_until)} Gõ /xembaocao {code} để xem lại, "
        f"/suabaocao {code} nếu cần sửa."
    )


def amended(
    code: str, revision: int, changes: Sequence[str], notified: int, held_until: datetime | None
) -> str:
    """Confirm an amendment, and when the committee hears of it."""
    return (
        f"Đã lưu bản sửa của báo cáo {code} (phiên bản {revision}); đã sửa: {', '.join(changes)}.\n"
        + told(f"{notified} đồng chí ủy viên Đảng ủy", held_until)
    )


def nothing_changed(code: str) -> str:
    """Say an amendment changed nothing."""
    return f"Báo cáo {code} không có gì thay đổi nên giữ nguyên."


def notice_submitted(
    cell: str,
    code: str,
    month: str,
    kind: str,
    day: str,
    present: int,
    expected: int,
    shown_rate: str,
    without_reason: Sequence[str],
    quality: str,
    late: bool,
) -> str:
    """Tell a committee member that a cell filed its report."""
    absent = f"; vắng không lý do: {', '.join(without_reason)}" if without_reason else ""
    timing = "nộp muộn" if late else "đúng hạn"
    return (
        f"{cell} đã gửi báo cáo sinh hoạt {kind.lower()} {month.lower()} (mã {code}, {timing}).\n"
        f"Họp ngày {day}; có mặt {present}/{expected} ({shown_rate}){absent}. "
        f"Chi bộ tự đánh giá: {quality}.\nGõ /xembaocao {code} để xem đầy đủ."
    )


def notice_amended(cell: str, code: str, month: str, revision: int, changes: Sequence[str]) -> str:
    """Tell a committee member that a cell amended a report."""
    return (
        f"{cell} đã sửa báo cáo sinh hoạt {month.lower()} (mã {code}, phiên bản {revision}); "
        f"đã sửa: {', '.join(changes)}.\nGõ /xembaocao {code} để xem bản mới nhất."
    )


def no_reports(cell: str) -> str:
    """Say a cell has filed no report yet."""
    return f"{cell} chưa gửi báo cáo sinh hoạt nào."


NO_REPORTS_HINT = "Gõ /baocao để lập báo cáo."
BACK_TO_CELLS = "Gõ /xembaocao để chọn chi bộ khác."
ASK_CELL = "Đồng chí muốn xem báo cáo của chi bộ nào?"


def cell_option(cell: str, count: int) -> str:
    """Label a cell with how many reports it filed."""
    return f"{cell} ({count} báo cáo)"


def report_option(month: str, kind: str, status: str, shown_rate: str) -> str:
    """Label one report in a list."""
    return f"{month} · {kind} · {status} · dự họp {shown_rate}"


STATUS_ON_TIME = "đúng hạn"
STATUS_LATE = "nộp muộn"
STATUS_AMENDED = "đã sửa"


def ask_report(cell: str, drafts: Sequence[str], older: int) -> str:
    """List a cell's reports and say how to open one, now or later."""
    text = f"Báo cáo sinh hoạt của {cell}."
    if drafts:
        text += "\nBản nháp chưa gửi:\n" + "\n".join(f"- {d}" for d in drafts)
    if older:
        text += f"\n(Còn {older} báo cáo cũ hơn: gõ /xembaocao và mã báo cáo.)"
    return (
        text + "\n\nChọn báo cáo để xem đầy đủ, hoặc gõ /xembaocao và mã báo cáo "
        f"(ví dụ /xembaocao {CODE_PREFIX}0001)."
    )


def ask_pick(cell: str) -> str:
    """Ask which report to amend."""
    return (
        f"Đồng chí muốn sửa báo cáo nào của {cell}? "
        f"Chọn bên dưới, hoặc gõ mã báo cáo (ví dụ {CODE_PREFIX}0001)."
    )


def draft_line(month: str, kind: str, saved_at: str) -> str:
    """Describe a saved, unsent draft."""
    return f"{month} · {kind} · bản nháp, lưu lúc {saved_at}"


DRAFT_UNKNOWN = "chưa chọn"


def code_unknown(text: str) -> str:
    """Refuse a report code that names no report this person may open."""
    return (
        f"không tìm thấy báo cáo «{text}» trong các báo cáo đồng chí được xem. "
        f"Mã báo cáo có dạng {CODE_PREFIX}0001."
    )


def report_not_found(text: str) -> str:
    """Say a report code names no report this person may open or amend."""
    return (
        f"Không tìm thấy báo cáo «{text}» trong các báo cáo đồng chí được xem hoặc sửa. "
        f"Mã báo cáo có dạng {CODE_PREFIX}0001."
    )


def no_cell() -> str:
    """Say the person leads no cell."""
    return "Đồng chí chưa được giao phụ trách chi bộ nào nên chưa lập được báo cáo."


ROSTER_CHANGED = "danh sách chi bộ ngày họp đã thay đổi; đề nghị đồng chí điểm danh lại."
NOT_ON_ROSTER = "đồng chí đã chọn không có trong danh sách chi bộ ngày họp; đề nghị chọn lại."
NOT_YOUR_CELL = "Đồng chí không phụ trách chi bộ này nên không gửi được báo cáo."


def full_report(
    *,
    title: str,
    kind: str,
    topic: str | None,
    when: str,
    place: str | None,
    chair: str,
    minutes: str,
    guests: str | None,
    total: int,
    excused: int,
    present: int,
    expected: int,
    shown_rate: str,
    with_reason: Sequence[str],
    without_reason: Sequence[str],
    sections: Sequence[tuple[str, str | None]],
    vote: str | None,
    quality: str,
    status: str,
    history: Sequence[str],
) -> str:
    """Render a whole report for reading in chat."""
    lines = [title, f"Loại sinh hoạt: {kind}"]
    if topic:
        lines.append(f"Chuyên đề: {topic}")
    lines.append(f"Thời gian: {when}")
    if place:
        lines.append(f"Địa điểm: {place}")
    lines += [
        f"Chủ trì: đồng chí {chair}; thư ký: đồng chí {minutes}",
        *([f"{LABEL_GUESTS}: {guests}"] if guests else []),
        (
            f"Đảng viên: tổng số {total}, miễn sinh hoạt {excused}, phải dự {expected}; "
            f"có mặt {present} ({shown_rate})."
        ),
        f"Vắng có lý do ({len(with_reason)}): {'; '.join(with_reason) or 'không có'}.",
        f"Vắng không lý do ({len(without_reason)}): {', '.join(without_reason) or 'không có'}.",
    ]
    for label, body in sections:
        lines.append(f"\n{label}:\n{body or 'không có'}")
    if vote:
        lines.append(f"{LABEL_VOTE}: {vote}")
    lines += [f"\n{LABEL_QUALITY}: {quality}", status]
    lines += history
    return "\n".join(lines)


def when(day: str, start: str | None, end: str | None) -> str:
    """Show the meeting's day and hours."""
    if start and end:
        return f"{start}–{end} ngày {day}"
    return f"{start} ngày {day}" if start else f"ngày {day}"


def report_heading(cell: str, month: str, code: str) -> str:
    """Head a full report."""
    return f"BÁO CÁO SINH HOẠT CHI BỘ — {cell} — {month.lower()} (mã {code})"


def status_line(submitted_at: str, late: bool, deadline: str) -> str:
    """Say when the report was filed and whether it was on time."""
    timing = "nộp muộn" if late else "đúng hạn"
    return f"Gửi lúc {submitted_at}: {timing} (hạn {deadline})."


def revision_line(revision: int, at: str, who: str, changes: Sequence[str]) -> str:
    """Describe one amendment."""
    return f"Phiên bản {revision}: sửa lúc {at} bởi đồng chí {who}; đã sửa: {', '.join(changes)}."


def amended_marker(revision: int) -> str:
    """Mark a report shown in its amended version."""
    return f"(ĐÃ SỬA — đang xem phiên bản mới nhất, phiên bản {revision})"

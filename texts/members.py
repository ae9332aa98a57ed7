"""What the bot says about a cell's roster (/dangvien), a member's card and the cell summary."""

from __future__ import annotations

from collections.abc import Sequence

ROSTER_TITLE = "Danh sách đảng viên"
STATUS_NAMES = {"full": "chính thức", "candidate": "dự bị"}
STATUS_CHOICES = {"full": "Chính thức", "candidate": "Dự bị"}
COVERAGE_NAMES = {"specific": "cụ thể", "vague": "chung chung", "none": "chưa đăng ký"}

HELP_MEMBERS = "Danh sách đảng viên, kết quả từng đồng chí, tổng hợp chi bộ"

ACTION_VIEW = "Xem một đồng chí"
ACTION_SUMMARY = "Tổng hợp chi bộ"
ACTION_ADD = "Thêm đảng viên"
ACTION_EXCUSE = "Miễn sinh hoạt / thôi miễn"
ACTION_PROMOTE = "Công nhận chính thức"
ACTION_MOVE_OUT = "Chuyển sinh hoạt đi"
ACTION_IMPORT = "Nhập danh sách từ tệp"

LABEL_CELL = "Chi bộ"
LABEL_ACTION = "Việc cần làm"
LABEL_MEMBER = "Đảng viên"
LABEL_NAME = "Họ và tên"
LABEL_BIRTH_YEAR = "Năm sinh"
LABEL_STATUS = "Loại đảng viên"
LABEL_EXCUSED = "Miễn sinh hoạt"
LABEL_JOINED = "Ngày vào Đảng"
LABEL_LEFT_ON = "Ngày chuyển đi"
LABEL_DESTINATION = "Nơi chuyển đến / lý do"
LABEL_FILE = "Tệp danh sách"
LABEL_CONFIRM = "Xác nhận"

CONFIRM = "Xác nhận"
DISCARD = "Không, hủy bỏ"
YES = "Có"
NO = "Không"

ASK_CELL = "Đồng chí muốn xem chi bộ nào?"
ASK_MEMBER = "Đề nghị đồng chí gõ số thứ tự trong danh sách, hoặc họ tên đồng chí đảng viên."
ASK_NAME = "Họ và tên đồng chí đảng viên mới (ví dụ: Nguyễn Văn An)."
ASK_BIRTH_YEAR = "Năm sinh (4 chữ số, ví dụ 1962)."
ASK_STATUS = "Đảng viên chính thức hay dự bị?"
ASK_EXCUSED = "Đồng chí này có được miễn sinh hoạt không?"
ASK_JOINED = "Ngày vào Đảng (ngày/tháng/năm, ví dụ 03/02/1985)."
ASK_DESTINATION = "Chuyển đến đâu, hoặc lý do (ví dụ: chuyển sinh hoạt về Chi bộ 5 phường Hoàng Liệt)."
ASK_FILE = (
    "Đề nghị đồng chí gửi tệp danh sách (Excel .xlsx hoặc .csv) ngay trong cuộc trò chuyện này. "
    "Các cột: Họ và tên; Năm sinh; Loại (chính thức/dự bị); Miễn sinh hoạt (có/không); "
    "Ngày vào Đảng. Chưa có gì được ghi cho đến khi đồng chí xác nhận."
)
FILE_NEEDED = "đồng chí chưa gửi tệp. Đề nghị gửi tệp .xlsx hoặc .csv (bấm biểu tượng kẹp giấy để đính kèm)."
FILE_TOO_BIG = (
    "tệp lớn quá 2 MB hoặc không tải được. Đề nghị đồng chí gửi tệp nhỏ hơn, chỉ gồm danh sách đảng viên."
)
FILE_TOO_SLOW = (
    "tệp phức tạp quá, trợ lý không đọc kịp."
    " Đề nghị đồng chí lưu lại tệp chỉ gồm danh sách đảng viên rồi gửi lại."
)
NO_MEMBERS = "Chi bộ chưa có đảng viên nào trong danh sách."


def action_prompt(roster: str) -> str:
    """Show the roster and ask what to do."""
    return f"{roster}\n\nĐồng chí muốn làm gì?"


def roster(cell_name: str, lines: Sequence[str], moved_out: int) -> str:
    """List a cell's current members."""
    head = f"{ROSTER_TITLE} {cell_name} ({len(lines)} đồng chí):"
    body = "\n".join(lines) if lines else NO_MEMBERS
    tail = f"\n\n({moved_out} đồng chí đã chuyển đi, vẫn lưu trong lịch sử.)" if moved_out else ""
    hint = "\n\nGõ /dangvien kèm số thứ tự hoặc tên để xem từng đồng chí, ví dụ: /dangvien 3."
    return head + "\n" + body + tail + hint


def roster_line(number: int, name: str, status: str, excused: bool, coverage: str) -> str:
    """Describe one member in the roster list."""
    excused_part = ", miễn sinh hoạt" if excused else ""
    return f"{number}. {name} — {STATUS_NAMES[status]}{excused_part}; cam kết: {COVERAGE_NAMES[coverage]}"


def member_not_found(text: str) -> str:
    """Say no member matches."""
    return f"không tìm thấy đồng chí nào có tên «{text}» trong danh sách. " + ASK_MEMBER


def member_number_out_of_range(count: int) -> str:
    """Say a roster number is not in the list."""
    return f"danh sách chỉ có từ số 1 đến số {count}. " + ASK_MEMBER


def member_ambiguous(names: Sequence[str]) -> str:
    """Say several members match, listing them."""
    listed = "; ".join(names)
    return f"có nhiều đồng chí trùng tên: {listed}. Đề nghị gõ số thứ tự trong danh sách, hoặc họ tên đầy đủ."


def not_a_candidate(name: str) -> str:
    """Refuse to promote a full member."""
    return f"đồng chí {name} đã là đảng viên chính thức. " + ASK_MEMBER


def bad_birth_year(low: int, high: int) -> str:
    """Refuse a birth year."""
    return f"năm sinh cần là 4 chữ số, từ {low} đến {high}, ví dụ 1962."


def joined_too_early(name: str) -> str:
    """Refuse a date joined before 18 or in the future."""
    return (
        "ngày vào Đảng không hợp lý với năm sinh hoặc là ngày tương lai. "
        f"Đề nghị kiểm tra lại ngày vào Đảng của đồng chí {name}."
    )


def name_taken(name: str) -> str:
    """Refuse a name already on the roster."""
    return (
        f"chi bộ đã có đồng chí {name}. Nếu là người khác, đề nghị ghi thêm dấu phân biệt, "
        f"ví dụ «{name} (tổ 3)»."
    )


def left_on_in_future() -> str:
    """Refuse a moving-out date in the future."""
    return "ngày chuyển đi không được sau hôm nay. Đề nghị nhập ngày đã chuyển, ví dụ hôm nay."


def confirm_add(name: str, status: str, birth_year: int, excused: bool) -> str:
    """Ask to confirm adding a member."""
    excused_part = ", miễn sinh hoạt" if excused else ""
    who = f"{name} (sinh năm {birth_year}, đảng viên {STATUS_NAMES[status]}{excused_part})"
    return f"Thêm đồng chí {who} vào danh sách chi bộ?"


def confirm_excuse(name: str, excused_now: bool) -> str:
    """Ask to confirm switching the excused flag."""
    if excused_now:
        return f"Đồng chí {name} đang được miễn sinh hoạt. Thôi miễn sinh hoạt cho đồng chí từ hôm nay?"
    return f"Chuyển đồng chí {name} sang miễn sinh hoạt (không tính là vắng khi họp)?"


def confirm_promote(name: str) -> str:
    """Ask to confirm recognising a candidate as a full member."""
    return f"Công nhận đồng chí {name} là đảng viên chính thức?"


def confirm_move_out(name: str, on: str, destination: str) -> str:
    """Ask to confirm moving a member out."""
    return (
        f"Chuyển đồng chí {name} ra khỏi danh sách sinh hoạt từ ngày {on} ({destination})? "
        "Kết quả cam kết và đánh giá của đồng chí vẫn được lưu."
    )


def import_preview(file_name: str, names: Sequence[str], candidates: int, excused: int) -> str:
    """Preview a roster file before anything is written."""
    shown = "\n".join(f"{n}. {name}" for n, name in enumerate(names[:10], start=1))
    more = f"\n… và {len(names) - 10} đồng chí khác." if len(names) > 10 else ""
    return (
        f"Tệp «{file_name}» hợp lệ: {len(names)} đồng chí ({candidates} dự bị, {excused} miễn sinh hoạt).\n"
        f"{shown}{more}\n\nNhập toàn bộ danh sách này vào chi bộ?"
    )


def file_shown(file_name: str, count: int) -> str:
    """Name a received roster file and its row count."""
    return f"{file_name} ({count} đồng chí)"


def import_errors(count: int, messages: Sequence[str]) -> str:
    """Report a roster file's bad rows; nothing was written."""
    listed = "\n".join(messages[:15])
    more = f"\n… và {len(messages) - 15} lỗi khác." if len(messages) > 15 else ""
    return (
        f"tệp có {count} lỗi nên chưa nhập đồng chí nào:\n{listed}{more}\n\n"
        "Đề nghị đồng chí sửa tệp rồi gửi lại."
    )


def import_clashes(names: Sequence[str]) -> str:
    """Refuse a file whose names are already on the roster."""
    return (
        "các đồng chí sau đã có trong danh sách chi bộ: "
        + "; ".join(names)
        + ". Chưa nhập đồng chí nào. Đề nghị bỏ các dòng này khỏi tệp rồi gửi lại."
    )


def added(name: str, cell_name: str) -> str:
    """Confirm a member was added."""
    return f"Đã thêm đồng chí {name} vào danh sách {cell_name}."


def excused_changed(name: str, excused: bool) -> str:
    """Confirm the excused flag changed."""
    if excused:
        return f"Đã ghi đồng chí {name} được miễn sinh hoạt."
    return f"Đã ghi đồng chí {name} thôi miễn sinh hoạt."


def promoted(name: str) -> str:
    """Confirm a candidate became a full member."""
    return f"Đã ghi đồng chí {name} là đảng viên chính thức."


def moved_out(name: str, on: str) -> str:
    """Confirm a member moved out."""
    return f"Đã ghi đồng chí {name} chuyển sinh hoạt đi từ ngày {on}. Lịch sử của đồng chí vẫn được lưu."


def imported(count: int, cell_name: str) -> str:
    """Confirm a roster file was imported."""
    return f"Đã nhập {count} đồng chí vào danh sách {cell_name}."


def discarded() -> str:
    """Confirm nothing changed."""
    return "Đã hủy, danh sách chi bộ không thay đổi."


def not_on_roster() -> str:
    """Answer a plain member who is not linked to a roster entry."""
    return (
        "Tài khoản của đồng chí chưa gắn với tên trong danh sách chi bộ. "
        "Đề nghị đồng chí liên hệ bí thư chi bộ."
    )


def committee_needs_name() -> str:
    """Ask a committee member to name the member instead of a number."""
    return (
        "Đồng chí gõ /dangvien kèm họ tên đảng viên (ví dụ: /dangvien Nguyễn Văn An), "
        "hoặc gõ /dangvien để chọn chi bộ."
    )


def nobody_named(text: str) -> str:
    """Say no member of reach has that name."""
    return f"Không tìm thấy đảng viên nào tên «{text}». Gõ /dangvien để xem danh sách."


def several_named(names: Sequence[str]) -> str:
    """List members of several cells sharing a name."""
    return "Có nhiều đồng chí trùng tên:\n" + "\n".join(names) + "\nĐề nghị gõ họ tên đầy đủ hơn."


# The member card.


def card_head(
    name: str, cell_name: str, status: str, excused: bool, joined_on: str | None, left_on: str | None
) -> str:
    """Open a member's card with who they are."""
    parts = [
        f"Đồng chí {name} — {cell_name}",
        f"Đảng viên {STATUS_NAMES[status]}" + (", miễn sinh hoạt" if excused else ""),
    ]
    if joined_on:
        parts.append(f"Ngày vào Đảng: {joined_on}")
    if left_on:
        parts.append(f"Đã chuyển sinh hoạt đi từ ngày {left_on}")
    return "\n".join(parts)


def card_attendance(
    meetings: int, present: int, expected: int, with_reason: int, without_reason: int, excused: int
) -> str:
    """Summarise a member's attendance over the last 12 months."""
    if meetings == 0:
        return "Sinh hoạt 12 tháng qua: chưa có báo cáo sinh hoạt nào ghi tên đồng chí."
    rate = f" ({round(100 * present / expected)}%)" if expected else ""
    excused_part = f", miễn {excused} buổi" if excused else ""
    return (
        f"Sinh hoạt 12 tháng qua: dự {present}/{expected} buổi{rate}; vắng có lý do {with_reason}, "
        f"vắng không lý do {without_reason}{excused_part}."
    )


def card_pledge_head(year: int, count: int, vague: int) -> str:
    """Introduce the member's pledge of the year."""
    if count == 0:
        return f"Cam kết năm {year}: chưa đăng ký."
    vague_part = f", {vague} mục chung chung" if vague else ""
    return f"Cam kết năm {year} ({count} mục{vague_part}):"


def card_overdue(count: int) -> str:
    """Count overdue items."""
    return f"Mục quá hạn: {count}." if count else "Không có mục quá hạn."


def card_no_review() -> str:
    """Say the member was never reviewed."""
    return "Đánh giá gần nhất: chưa có."


def card_review(review: str, on: str, assessment: str, ranking: str | None) -> str:
    """Show the member's last review."""
    ranking_part = f"; xếp loại: {ranking}" if ranking else ""
    return f"Đánh giá gần nhất: {review} (ngày {on}): {assessment.rstrip('.')}{ranking_part}."


# The cell summary.


def summary_head(cell_name: str, year: int, today: str) -> str:
    """Open the cell summary."""
    return f"Tổng hợp kết quả thực hiện cam kết năm {year} — {cell_name} (đến ngày {today})"


def summary_totals(
    members: int, specific: int, vague: int, none: int, done: int, in_progress: int, overdue: int, items: int
) -> str:
    """Give the cell's totals an inspector asks for."""
    return (
        f"Đảng viên: {members}; cam kết cụ thể: {specific}; chung chung: {vague}; chưa đăng ký: {none}.\n"
        f"Tổng số mục: {items}; hoàn thành: {done}; đang thực hiện: {in_progress}; quá hạn: {overdue}."
    )


def summary_line(
    number: int, name: str, coverage: str, done: int, in_progress: int, overdue: int, stale: bool
) -> str:
    """Describe one member in the cell summary."""
    if coverage == "none":
        return f"{number}. {name}: chưa đăng ký cam kết"
    stale_part = "; quá 3 tháng chưa cập nhật" if stale else ""
    return (
        f"{number}. {name}: {COVERAGE_NAMES[coverage]}; hoàn thành {done}, đang thực hiện {in_progress}, "
        f"quá hạn {overdue}{stale_part}"
    )


def summary_stale(names: Sequence[str]) -> str:
    """Name the members with no update for three months."""
    if not names:
        return "Không có đồng chí nào quá 3 tháng chưa cập nhật."
    return f"Quá 3 tháng chưa cập nhật ({len(names)}): " + "; ".join(names) + "."


def ask_left_on(example: str) -> str:
    """Ask the day a member moved out, a recent day as the example."""
    return f"Chuyển sinh hoạt đi từ ngày nào? (ví dụ: hôm nay, hoặc {example})"

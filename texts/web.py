"""What the bot says about the web view, and every word of the web view's pages."""

from __future__ import annotations

HELP_WEB = "Xem tình hình trên máy tính (trang web)"
HELP_LOGOUT = "Đăng xuất khỏi trang web trên mọi máy"

NO_PUBLIC_BASE_URL = (
    "Trang web chưa được bật. Đề nghị người quản trị đặt PUBLIC_BASE_URL (địa chỉ công khai của "
    "máy chủ web của trợ lý, ví dụ https://chibo.example.vn) rồi khởi động lại trợ lý."
)


def link_sent(url: str, minutes: int, hours: float) -> str:
    """Hand over a one-time login link."""
    return (
        f"Đồng chí mở đường dẫn sau trên máy tính (hoặc điện thoại) để xem tình hình:\n{url}\n\n"
        f"Đường dẫn chỉ dùng được một lần, trong {minutes} phút, và chỉ dành riêng cho đồng chí: "
        "đề nghị không chuyển cho người khác. "
        f"Phiên làm việc kéo dài {hours:g} giờ; gõ /dangxuat để kết thúc trên mọi máy."
    )


def logged_out(sessions: int) -> str:
    """Confirm /dangxuat."""
    if not sessions:
        return "Đồng chí không có phiên nào đang mở trên trang web."
    return f"Đã đăng xuất {sessions} phiên trên trang web. Gõ /web khi cần xem lại."


# The pages.
SITE_NAME = "Trợ lý báo cáo chi bộ"
READ_ONLY = "Trang chỉ để xem; mọi việc báo cáo, đăng ký vẫn làm trong trò chuyện với trợ lý."
LOGOUT = "Đăng xuất"
PRINT_HINT = "In trang này: Ctrl+P"
HOME = "Trang chính"
WARD = "Toàn Đảng bộ"
SHOW = "Xem"
PERIOD = "Kỳ"
DOWNLOADS = "Tải về"
DOWNLOAD_XLSX = "Bảng số liệu (XLSX)"
DOWNLOAD_DOCX = "Báo cáo (DOCX)"
DOWNLOAD_MINUTES = "Biên bản (DOCX)"
CHART = "Biểu đồ"
CHART_ALT = "Biểu đồ báo cáo đúng hạn, tỷ lệ dự họp và tiến độ đăng ký của các chi bộ"
NONE_YET = "Chưa có."
YES = "có"
NO = "chưa"

LOGIN_TITLE = "Vào trang xem tình hình"
LOGIN_BUTTON = "Vào trang"
LOGIN_EXPLAIN = (
    "Đường dẫn này chỉ dùng được một lần. Đồng chí bấm «Vào trang» để bắt đầu phiên làm việc trên máy này."
)
LINK_USED_TITLE = "Đường dẫn đã được dùng"
LINK_EXPIRED_TITLE = "Đường dẫn đã hết hạn"
LINK_UNKNOWN_TITLE = "Đường dẫn không đúng"
LINK_USED = "Mỗi đường dẫn đăng nhập chỉ dùng được một lần, và đường dẫn này đã được dùng."
LINK_EXPIRED = "Đường dẫn đăng nhập chỉ có hiệu lực 10 phút sau khi trợ lý gửi."
LINK_UNKNOWN = "Trợ lý không nhận ra đường dẫn này; có thể nó đã bị chép thiếu."
NEW_LINK = "Để nhận đường dẫn mới, đồng chí gõ /web trong trò chuyện với trợ lý (Telegram hoặc Zalo)."

LOGGED_OUT_TITLE = "Chưa đăng nhập"
LOGGED_OUT = "Phiên làm việc đã kết thúc hoặc chưa được mở trên máy này."
SIGNED_OFF_TITLE = "Đã đăng xuất"
SIGNED_OFF = "Phiên làm việc trên máy này đã kết thúc."
REFUSED_TITLE = "Không có quyền xem"
REFUSED = "Trang này nằm ngoài phạm vi đồng chí được xem."
NOT_FOUND_TITLE = "Không tìm thấy trang"
NOT_FOUND = "Trang đồng chí tìm không có, hoặc nằm ngoài phạm vi đồng chí được xem."
NOTHING_TITLE = "Chưa có gì để xem"
NOTHING = "Đồng chí chưa giữ vai trò nào có trang để xem (Đảng ủy, bí thư, phó bí thư chi bộ, đảng viên)."

# The ward at a glance.
TOTALS = "Số liệu chung"
CELLS = "Các chi bộ"
ATTENTION_FIRST = "Chi bộ cần chú ý xếp trước; bấm tên cột để xếp theo cột đó."
COL_CELL = "Chi bộ"
COL_REPORTS = "Báo cáo (đúng hạn / muộn / chưa nộp)"
COL_ATTENDANCE = "Dự họp"
COL_THEMATIC = "Chuyên đề quý này"
COL_PLEDGES = "Cam kết (cụ thể / chung chung / chưa)"
COL_OVERDUE = "Quá hạn (nội dung / khắc phục)"
COL_INSPECTION = "Kiểm tra tới (mục còn thiếu)"
COL_ATTENTION = "Cần chú ý"
NO_CELLS = "Đảng bộ chưa có chi bộ nào."
# What a cell of the table shows when there is nothing to show.
BLANK = "—"
PREVIOUS_PAGE = "« Trang trước"
NEXT_PAGE = "Trang sau »"


def page_of(page: int, pages: int) -> str:
    """Say which page of the ward's table this is."""
    return f"Trang {page}/{pages}"


# A cell.
READINESS = "Chuẩn bị kiểm tra"
NO_INSPECTION_PLANNED = "Chưa có kế hoạch kiểm tra sắp tới."
REPORTS = "Báo cáo sinh hoạt theo tháng"
NO_REPORTS = "Chi bộ chưa nộp báo cáo nào."
COL_MONTH = "Tháng"
COL_KIND = "Hình thức"
COL_MEETING = "Ngày họp"
COL_PRESENT = "Có mặt / phải dự"
COL_STANDING = "Nộp"
ON_TIME = "đúng hạn"
LATE = "muộn"
AMENDED = "đã sửa"
ROSTER = "Danh sách đảng viên"
COL_NAME = "Họ và tên"
COL_STATUS = "Loại"
COL_COVERAGE = "Cam kết năm"
COL_PROGRESS = "Hoàn thành / số nội dung"
COL_OVERDUE_ITEMS = "Quá hạn"
EXCUSED = "miễn sinh hoạt"
INSPECTIONS = "Kiểm tra, kết luận"
NO_INSPECTIONS = "Chưa có cuộc kiểm tra nào."
COL_SESSION = "Ngày làm việc"
COL_CONTENT = "Nội dung"
COL_CONCLUSION = "Kết luận"
STRENGTHS = "Ưu điểm"
LIMITATIONS = "Hạn chế"
RECOMMENDATIONS = "Kiến nghị"
TASKS = "Việc khắc phục"
NO_TASKS = "Không có việc khắc phục nào."
COL_TASK = "Việc"
COL_DUE = "Hạn"
COL_UPDATES = "Số lần báo cáo"

# A report.
REPORT_STATUS = "Tình trạng"
REPORT_SUBMITTED = "Nộp lúc"
ATTENDANCE = "Điểm danh"
REVISIONS = "Các lần sửa"
NO_REVISIONS = "Chưa sửa lần nào."
TOPIC = "Chủ đề"
WHEN = "Thời gian"
PLACE = "Địa điểm"
CHAIR = "Chủ trì"
MINUTES_TAKER = "Thư ký"
GUESTS = "Khách mời"
VOTE = "Biểu quyết"
QUALITY = "Chất lượng"
ATTENDANCE_NAMES = {
    "present": "có mặt",
    "absent_with_reason": "vắng có lý do",
    "absent_without_reason": "vắng không lý do",
    "excused": "miễn sinh hoạt",
}

# A member's card.
PLEDGE_ITEMS = "Nội dung đăng ký năm"
NO_PLEDGE = "Chưa đăng ký cam kết năm nay."
COL_ACTION = "Việc làm"
COL_INDICATOR = "Chỉ tiêu"
COL_DEADLINE = "Thời hạn"
COL_ITEM_STATUS = "Tiến độ"
COL_EVIDENCE = "Minh chứng"
VAGUE = "còn chung chung"
OVERDUE = "quá hạn"
REVIEWS = "Đánh giá"
NO_REVIEWS = "Chưa có đánh giá năm nay."
ATTENDANCE_12 = "Dự họp 12 tháng qua"
NO_MEETINGS = "Không có buổi họp nào được báo cáo trong 12 tháng qua."
JOINED = "Vào Đảng"
LEFT = "Chuyển đi"
AS_OF = "Số liệu tính đến ngày"


def pledge_progress(coverage: str, done: int, items: int, overdue: int) -> str:
    """Sum up a member's pledge of the year above its items."""
    return f"Mức đăng ký: {coverage}; hoàn thành {done}/{items} nội dung; quá hạn {overdue}."

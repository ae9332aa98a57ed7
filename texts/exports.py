"""What the exports say: spreadsheet headers, the party-document layout, and the /xuat conversation."""

from __future__ import annotations

from texts.common import REPORT_STANDING

EXPORT_TITLE = "Xuất dữ liệu"
HELP_EXPORT = "Xuất báo cáo ra tệp Excel hoặc Word"

ASK_SCOPE = "Xuất dữ liệu của đơn vị nào?"
WARD = "Toàn Đảng bộ"
ASK_FORMAT = "Xuất loại tệp nào?"
FORMAT_XLSX = "Bảng số liệu (Excel)"
FORMAT_DOCX = "Báo cáo (Word)"
ASK_PERIOD = "Kỳ nào? Gõ tháng (ví dụ: 8/2015), quý (ví dụ: quý 3) hoặc năm (ví dụ: 2015), hoặc chọn:"
LABEL_SCOPE = "Đơn vị"
LABEL_FORMAT = "Loại tệp"
LABEL_PERIOD = "Kỳ"

# Spreadsheet sheets, the title line above each, and their column headers.
SHEET_REPORTS = "Báo cáo sinh hoạt"
SHEET_PLEDGES = "Đăng ký làm theo"
SHEET_INSPECTIONS = "Kiểm tra"
SHEET_TASKS = "Nhiệm vụ khắc phục"
REPORT_HEADERS = (
    "Chi bộ",
    "Tháng",
    "Tình trạng",
    "Hạn nộp",
    "Loại sinh hoạt",
    "Chuyên đề",
    "Ngày họp",
    "Giờ bắt đầu",
    "Giờ kết thúc",
    "Địa điểm",
    "Chủ trì",
    "Thư ký",
    "Khách mời",
    "Tổng số đảng viên",
    "Miễn sinh hoạt",
    "Có mặt",
    "Vắng có lý do",
    "Vắng không lý do",
    "Tỷ lệ dự họp",
    "Người vắng có lý do",
    "Người vắng không lý do",
    "Học tập và làm theo tấm gương đạo đức Hồ Chí Minh",
    "Văn bản cấp trên đã phổ biến",
    "Đánh giá việc tháng trước",
    "Nghị quyết, nhiệm vụ tháng tới",
    "Biểu quyết: tán thành",
    "Biểu quyết: không tán thành",
    "Đảng viên chính thức có mặt (biểu quyết)",
    "Tự đánh giá chất lượng",
    "Nộp lúc",
    "Số lần sửa",
)
PLEDGE_HEADERS = (
    "Chi bộ",
    "Đảng viên",
    "Năm",
    "STT",
    "Việc làm",
    "Gắn với nhiệm vụ",
    "Chỉ tiêu đo được",
    "Lộ trình",
    "Thời hạn",
    "Minh chứng",
    "Mức cụ thể",
    "Tiến độ",
    "Quá hạn",
    "Cập nhật ngày",
    "Ghi chú tiến độ",
    "Minh chứng đã nộp",
    "Sơ kết 6 tháng",
    "Tổng kết năm",
    "Xếp loại",
)
INSPECTION_HEADERS = (
    "Chi bộ",
    "Ngày làm việc",
    "Nội dung",
    "Từ ngày",
    "Đến ngày",
    "Tài liệu yêu cầu",
    "Tình trạng",
    "Nộp báo cáo tự kiểm tra",
    "Ưu điểm",
    "Hạn chế",
    "Kiến nghị",
)
SHEET_TITLES = {
    SHEET_REPORTS: "BẢNG TỔNG HỢP BÁO CÁO SINH HOẠT CHI BỘ",
    SHEET_PLEDGES: "BẢNG TỔNG HỢP ĐĂNG KÝ HỌC TẬP VÀ LÀM THEO",
    SHEET_INSPECTIONS: "BẢNG TỔNG HỢP KIỂM TRA",
    SHEET_TASKS: "BẢNG TỔNG HỢP NHIỆM VỤ KHẮC PHỤC",
}


def sheet_title(sheet: str, unit: str) -> str:
    """Title a sheet with the unit it covers: «BẢNG TỔNG HỢP … — ĐẢNG BỘ PHƯỜNG PHÚC LỢI»."""
    return f"{SHEET_TITLES[sheet]} — {unit.upper()}"


def sheet_period(period: str, today: str) -> str:
    """Name the period a sheet covers and the day its figures stand at."""
    return f"Kỳ báo cáo: {period} (số liệu đến ngày {today})"


def evidence_line(day: str, given: str) -> str:
    """Describe one piece of evidence with the day it was given."""
    return f"{day}: {given}"


TASK_HEADERS = ("Chi bộ", "Nhiệm vụ", "Hạn", "Tình trạng", "Quá hạn", "Số lần chi bộ báo cáo", "Giao ngày")

MONTH_STATUS = {status: words.capitalize() for status, words in REPORT_STANDING.items()}
SPECIFIC = "Cụ thể"
VAGUE = "Chung chung"
NO_PLEDGE = "Chưa đăng ký"
YES = "Có"
INSPECTION_STATUS = {"planned": "Đã lên kế hoạch", "concluded": "Đã kết luận"}
TASK_STATUS = {"open": "Đang thực hiện", "closed": "Đã hoàn thành"}


def file_sent(name: str) -> str:
    """Caption a document the bot sends."""
    return f"Tệp {name} đã sẵn sàng."


def not_your_cell(cell: str) -> str:
    """Refuse a secretary's export of another cell."""
    return f"Đồng chí chỉ xuất được dữ liệu của {cell}."


def no_cell() -> str:
    """Say the person leads no cell, so has nothing to export."""
    return "Đồng chí chưa được giao phụ trách chi bộ nào nên chưa xuất được dữ liệu."


def unknown_cell(typed: str) -> str:
    """Answer a cell name that matches no cell."""
    return f"Không tìm thấy chi bộ «{typed}». Đề nghị đồng chí gõ /xuat rồi chọn chi bộ trong danh sách."


def written(path: str) -> str:
    """Tell the admin where the file was written."""
    return f"Đã ghi tệp: {path}"


THIS_MONTH = "Tháng báo cáo gần nhất"
THIS_QUARTER = "Quý này"
THIS_YEAR = "Năm nay"

"""What the admin command line prints."""

from __future__ import annotations

DEMO_LOADED = "Đã nạp dữ liệu mẫu: {committee} — {cells} chi bộ, {members} đảng viên, {people} người dùng."
DEMO_HISTORY = (
    "Đã nạp lịch sử mẫu từ tháng {first} đến ngày {last}: {reports} báo cáo sinh hoạt, "
    "{pledges} bản đăng ký ({items} nội dung, {updates} lần cập nhật), {reviews} lượt đánh giá, "
    "{inspections} cuộc kiểm tra."
)
DEMO_YEAR_OUT_OF_RANGE = "Năm của dữ liệu mẫu phải từ {first} đến {last}."
DEMO_PRESENT = "Dữ liệu mẫu đã có sẵn: {committee}. Không thay đổi gì."
COMMITTEE_CREATED = "Đã tạo (hoặc đã có) Đảng bộ: {name} (mã số {id})."
CELL_CREATED = "Đã tạo (hoặc đã có) {name} thuộc {committee} (mã số {id})."
NO_COMMITTEE = 'Chưa có Đảng bộ nào. Tạo bằng: python bot.py admin create-committee "Đảng bộ phường …"'
MANY_COMMITTEES = 'Có nhiều Đảng bộ; đề nghị ghi rõ --committee "tên Đảng bộ".'
COMMITTEE_NOT_FOUND = "Không tìm thấy Đảng bộ «{name}»."
CELL_NOT_FOUND = "Không tìm thấy chi bộ «{name}». Các chi bộ hiện có: {names}."
CELL_AMBIGUOUS = "«{name}» khớp với nhiều chi bộ: {names}. Đề nghị ghi rõ tên chi bộ."
FILE_NOT_FOUND = "Không tìm thấy tệp «{path}». Đề nghị kiểm tra lại đường dẫn."
FILE_IS_DIRECTORY = "«{path}» là một thư mục, không phải tệp. Đề nghị ghi đường dẫn đến tệp."
FILE_NOT_UTF8 = "Tệp «{path}» không phải văn bản UTF-8. Đề nghị lưu lại tệp CSV với bảng mã UTF-8."
FILE_UNREADABLE = "Không đọc được tệp «{path}» ({reason})."
SECRETARY_EXISTS = "Lưu ý: {cell} đã có bí thư là đồng chí {name}; mã mời này sẽ thêm một bí thư nữa."
SECRETARY_INVITED = (
    "Lưu ý: {cell} đã có mã mời bí thư {code} (cho {name}) chưa dùng; mã mời này sẽ thêm một bí thư nữa."
)
NO_NAME = "(chưa ghi tên)"
MEMBER_NAME_REQUIRED = 'Mời đảng viên cần ghi rõ --name "Họ và tên" như trong danh sách chi bộ.'
NOT_ON_ROSTER = (
    "Không có đảng viên «{name}» trong danh sách {cell}. Đề nghị ghi đúng họ tên như trong danh sách."
)
SEVERAL_ON_ROSTER = (
    "Danh sách {cell} có {count} đảng viên tên «{name}»;"
    " đề nghị mời trong trò chuyện bằng /moi để chọn đúng người."
)
CELL_REQUIRED = 'Vai trò «{role}» cần ghi rõ --cell "tên chi bộ".'
CELL_NOT_ALLOWED = "Vai trò ủy viên Đảng ủy / UBKT không gắn với chi bộ; bỏ --cell."
INVITE_CREATED = "Mã mời cho {who}, hết hạn {expires_on}. Người được mời gửi cho trợ lý: /start {code}"
IMPORT_ERRORS = "Không nhập gì vì tệp có {count} lỗi:"
IMPORTED = "Đã nhập {count} đảng viên vào {cell}."
# How many skipped names an import lists before it only counts the rest.
SKIPPED_SHOWN = 5
LIST_COMMITTEE = "{name} (mã số {id})"
LIST_CELL = "  - {name} ({kind}): {members} đảng viên"
NO_INVITES = "Chưa có mã mời nào."
CELL_KINDS = {"residential": "khu dân cư", "agency": "cơ quan", "school": "trường học"}
COPY_HEADER = "Đã chép dữ liệu. Số dòng từng bảng (nguồn → đích):"
COPY_LINE = "  {table}: {source} → {target}{mark}"
COPY_MISMATCH = "  (lệch!)"
COPY_FAILED = "Số dòng không khớp ở {count} bảng; đề nghị kiểm tra trước khi chuyển sang cơ sở dữ liệu mới."
COPY_TARGET_NOT_EMPTY = (
    "Cơ sở dữ liệu đích đã có dữ liệu khác (bảng {table}); không chép gì để tránh trộn lẫn. "
    "Đề nghị dùng một cơ sở dữ liệu trống."
)
ZALO_UNCONFIGURED = "Chưa đặt ZALO_BOT_TOKEN: không có gì để kiểm tra."
ZALO_ME = "Bot Zalo: mã {id}, tên «{name}», tài khoản {account}."
ZALO_CALL_FAILED = "Zalo trả lỗi khi gọi {method}: {error}."
ZALO_WEBHOOK = "Webhook Zalo đang lưu: {url}"
ZALO_NO_WEBHOOK = (
    "Zalo chưa lưu webhook nào (bot đang nhận tin bằng cách hỏi liên tục, chỉ hợp khi chạy thử)."
)
ZALO_POLLING = "ZALO_WEBHOOK_URL chưa đặt: bot nhận tin bằng cách hỏi liên tục, chỉ dùng khi chạy thử."
ZALO_URL_MATCH = "ZALO_WEBHOOK_URL khớp với webhook Zalo đang lưu."
ZALO_URL_MISMATCH = (
    "ZALO_WEBHOOK_URL ({url}) KHÔNG khớp với webhook Zalo đang lưu: đề nghị khởi động lại bot."
)
ZALO_NEVER_SET = "Bot chưa lần nào đăng ký webhook với cơ sở dữ liệu này."
ZALO_KEY_MATCH = "ZALO_WEBHOOK_SECRET khớp với mã bí mật bot đã đăng ký lần gần nhất."
ZALO_KEY_MISMATCH = (
    "ZALO_WEBHOOK_SECRET KHÔNG khớp với mã bí mật bot đã đăng ký lần gần nhất: đề nghị khởi động lại bot."
)
ZALO_VERIFIED = "Lần đăng ký gần nhất ({when}, {url}): Zalo gọi được địa chỉ webhook."
ZALO_VERIFICATION_UNKNOWN = (
    "Lần đăng ký gần nhất ({when}): Zalo không cho biết có gọi được địa chỉ webhook không."
)
ZALO_NOT_VERIFIED = (
    "Lần đăng ký gần nhất ({when}, {url}): Zalo KHÔNG gọi được địa chỉ webhook "
    "(kết quả {outcome}, mã HTTP {status}; {hint}). Đề nghị kiểm tra đường dẫn và chứng chỉ TLS của "
    "máy chủ chuyển tiếp, rồi khởi động lại bot."
)

PERIOD_REQUIRED = "Cần --period: tháng (8/2015), quý (quý 3/2015) hoặc năm (2015)."
REPORT_REQUIRED = "Cần --report: mã báo cáo, ví dụ BC0001 (xem bằng /xembaocao)."


def report_not_found(code: str) -> str:
    """Say no report has that code."""
    return f"Không tìm thấy báo cáo «{code}»."


def person_with_year(full_name: str, birth_year: int | None) -> str:
    """Name a roster row with its birth year: «Ngô Văn Sơn (1960)»."""
    return f"{full_name} ({birth_year})" if birth_year else full_name


def import_skipped(names: list[str]) -> str:
    """Say how many rows were skipped as already on the roster, naming the first few."""
    shown = ", ".join(names[:SKIPPED_SHOWN])
    more = f" và {len(names) - SKIPPED_SHOWN} đồng chí khác" if len(names) > SKIPPED_SHOWN else ""
    return f"Bỏ qua {len(names)} đồng chí đã có trong danh sách (trùng họ tên và năm sinh): {shown}{more}."

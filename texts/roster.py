"""Vietnamese texts of the roster-file import (danh sách đảng viên), formal register."""

COLUMN_LABELS: dict[str, str] = {
    "full_name": "Họ và tên",
    "birth_year": "Năm sinh",
    "status": "Loại (chính thức/dự bị)",
    "excused": "Miễn sinh hoạt (có/không)",
    "joined_on": "Ngày vào Đảng (ngày/tháng/năm)",
}

COLUMNS_HINT = (
    "Họ và tên; Năm sinh; Loại (chính thức/dự bị); "
    "Miễn sinh hoạt (có/không, có thể bỏ); Ngày vào Đảng (ngày/tháng/năm, có thể bỏ)"
)

UNSUPPORTED_FORMAT = (
    "Tệp «{filename}» không thuộc dạng được nhận. Đề nghị đồng chí gửi danh sách dạng "
    "Excel (.xlsx) hoặc CSV (.csv); tệp Excel cũ (.xls) có thể mở bằng Excel rồi lưu lại "
    "dạng .xlsx."
)
UNREADABLE_FILE = (
    "Không mở được tệp «{filename}». Đề nghị đồng chí mở tệp bằng Excel, lưu lại dạng .xlsx rồi gửi lại."
)
TOO_MANY_ROWS = (
    "Tệp «{filename}» có quá {limit} dòng. Mỗi lần đề nghị đồng chí gửi danh sách một chi bộ,"
    " không quá {limit} đảng viên."
)
TOO_LARGE_UNPACKED = (
    "Tệp «{filename}» khi mở ra lớn quá {limit} MB. Đề nghị đồng chí lưu lại tệp chỉ gồm danh sách đảng viên."
)
UNKNOWN_ENCODING = (
    "Không đọc được chữ tiếng Việt trong tệp «{filename}». Đề nghị đồng chí lưu lại "
    "tệp dạng «CSV UTF-8» (hoặc .xlsx) rồi gửi lại."
)
EMPTY_FILE = "Tệp «{filename}» không có dữ liệu. Đề nghị đồng chí kiểm tra lại tệp."
NO_MEMBERS = (
    "Tệp «{filename}» chỉ có dòng tiêu đề, chưa có đảng viên nào. "
    "Đề nghị đồng chí ghi mỗi đảng viên một dòng bên dưới dòng tiêu đề."
)
MISSING_COLUMNS = (
    "Dòng {line}: thiếu cột {columns}. Đề nghị đồng chí ghi dòng tiêu đề gồm các cột: " + COLUMNS_HINT + "."
)
DUPLICATE_COLUMN = "Dòng {line}: cột «{column}» có hai lần; đề nghị đồng chí chỉ giữ lại một cột."
EMPTY_NAME = "Dòng {line}: chưa ghi họ và tên; đề nghị ghi đủ họ, tên đệm và tên, ví dụ Nguyễn Văn An."
DUPLICATE_NAME = (
    "Dòng {line}: họ tên «{name}» trùng với dòng {first_line}; nếu là hai đồng chí "
    "khác nhau, đề nghị ghi thêm dấu phân biệt sau tên, ví dụ «{name} (tổ 3)»."
)
EMPTY_BIRTH_YEAR = "Dòng {line}: chưa ghi năm sinh; đề nghị ghi năm sinh bằng 4 chữ số, ví dụ 1958."
BAD_BIRTH_YEAR = (
    "Dòng {line}: năm sinh «{value}» không hợp lệ; đề nghị ghi năm sinh bằng 4 chữ số, ví dụ 1958."
)
BIRTH_YEAR_OUT_OF_RANGE = (
    "Dòng {line}: năm sinh {value} không hợp lệ; đảng viên phải sinh trong khoảng "
    "từ năm {first} đến năm {last}."
)
EMPTY_STATUS = "Dòng {line}: chưa ghi loại đảng viên; đề nghị ghi «chính thức» hoặc «dự bị»."
BAD_STATUS = "Dòng {line}: loại đảng viên «{value}» không rõ; đề nghị ghi «chính thức» hoặc «dự bị»."
BAD_EXCUSED = (
    "Dòng {line}: cột miễn sinh hoạt ghi «{value}» không rõ; đề nghị ghi «có» nếu "
    "đồng chí được miễn sinh hoạt, ghi «không» hoặc để trống nếu không."
)
BAD_DATE_FORMAT = (
    "Dòng {line}: ngày vào Đảng «{value}» không đúng dạng; đề nghị ghi ngày/tháng/năm, ví dụ 03/02/1985."
)
IMPOSSIBLE_DATE = (
    "Dòng {line}: ngày vào Đảng «{value}» không có trên lịch; đề nghị kiểm tra lại ngày và tháng."
)
DATE_BEFORE_FOUNDING = (
    "Dòng {line}: ngày vào Đảng {value} trước ngày thành lập Đảng (03/02/1930); đề nghị kiểm tra lại."
)
FUTURE_DATE = "Dòng {line}: ngày vào Đảng {value} muộn hơn ngày hôm nay ({today}); đề nghị kiểm tra lại."
JOINED_TOO_YOUNG = (
    "Dòng {line}: ngày vào Đảng {value} khi đồng chí chưa đủ 18 tuổi (sinh năm "
    "{birth_year}); đề nghị kiểm tra lại năm sinh hoặc ngày vào Đảng."
)

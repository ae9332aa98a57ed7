"""What the operator reads: backups, restores, /healthz and exports of one person's data."""

from __future__ import annotations

ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

BACKUP_DONE = "Đã sao lưu cơ sở dữ liệu ({size}); giữ {keep} bản gần nhất trong {directory}."
BACKUP_EXISTS = "Đã có bản sao lưu cùng thời điểm: {path}. Đề nghị chạy lại sau một giây."
BACKUP_FAILED = "Không sao lưu được: {detail}"
TOOL_MISSING = (
    "Không tìm thấy chương trình {program} trên máy. Cơ sở dữ liệu PostgreSQL được sao lưu và khôi "
    "phục bằng pg_dump / pg_restore: đề nghị cài gói postgresql-client cùng phiên bản chính với máy "
    "chủ PostgreSQL (Debian/Ubuntu: apt-get install postgresql-client) rồi chạy lại."
)
TOOL_FAILED = "{program} báo lỗi: {detail}"

RESTORE_CORRUPT = "Tệp {file} không phải bản sao lưu dùng được ({detail}); không khôi phục gì."
RESTORE_NEWER = (
    "Tệp {file} do phiên bản mới hơn của trợ lý tạo ra (lược đồ {revision}); không khôi phục gì. "
    "Đề nghị cập nhật trợ lý lên phiên bản mới rồi khôi phục."
)
RESTORE_WRONG_ENGINE = (
    "Tệp sao lưu là của {backup}, còn DATABASE_URL là {target}; không khôi phục gì. Đề nghị khôi phục "
    "vào cơ sở dữ liệu {backup}, rồi chuyển sang {target} bằng: python bot.py admin migrate-data …"
)
RESTORE_TARGET_HAS_DATA = (
    "Cơ sở dữ liệu đích đang có dữ liệu (bảng {table}); không khôi phục gì. Nếu chắc chắn muốn thay "
    "toàn bộ dữ liệu hiện có bằng bản sao lưu, đề nghị sao lưu trước rồi chạy lại với --force."
)
RESTORE_HEADER = "Đã khôi phục từ {file} và cập nhật lược đồ. Số dòng từng bảng:"
RESTORE_LINE = "  {table}: {count}"

HEALTH_DATABASE_DOWN = "Cơ sở dữ liệu không trả lời."

PERSON_NOT_FOUND = "Không tìm thấy đảng viên «{name}» trong {cell}."
PERSON_EXPORTED = "Đã ghi toàn bộ dữ liệu trợ lý lưu về {name} ({cell}): {tables} bảng, {rows} dòng."


def health_channel_stopped(channel: str) -> str:
    """Say that a configured channel is not running."""
    return f"Kênh {channel} không chạy."


def health_backup_failed(when: str, detail: str) -> str:
    """Say that the last scheduled backup failed, until the next good one."""
    return f"Lần sao lưu lúc {when} không thành công ({detail}); báo lỗi này hết khi lần sau thành công."


def size(byte_count: int) -> str:
    """Write a file size the way people read it."""
    if byte_count < 1024 * 1024:
        return f"{byte_count / 1024:.0f} KB"
    return f"{byte_count / 1024 / 1024:.1f} MB"

"""What the bot says around every feature: greetings, help, refusals, errors."""

from __future__ import annotations

from datetime import datetime

from domain.clock import LOCAL_TZ
from domain.identity import RoleGrant

HELP_CANCEL = "Tạm dừng việc đang làm (giữ bản nháp)"

# Where a month's report stands: the same words in chat, in documents and in spreadsheets.
REPORT_STANDING = {
    "on_time": "đúng hạn",
    "late": "nộp muộn",
    "missing": "chưa nộp",
    "not_due": "chưa đến hạn",
}

ROLE_NAMES = {
    "committee": "Ủy viên",
    "secretary": "Bí thư",
    "deputy": "Phó Bí thư",
    "member": "Đảng viên",
}
ROLE_CHOICES = {
    "secretary": "Bí thư chi bộ",
    "deputy": "Phó Bí thư chi bộ",
    "member": "Đảng viên",
    "committee": "Ủy viên Đảng ủy / UBKT",
}
CELL_OUT_OF_REACH = "Chi bộ này không thuộc phạm vi đồng chí phụ trách nên đồng chí không xem được."


def told(who: str, held_until: datetime | None) -> str:
    """Say that `who` has been told, or when the quiet hours let them be told."""
    if held_until is None:
        return f"Đã báo cho {who}."
    local = held_until.astimezone(LOCAL_TZ)
    return (
        f"{who[:1].upper()}{who[1:]} sẽ được báo lúc {local:%H:%M} ngày {local:%d/%m/%Y}"
        " (trợ lý không nhắn tin ngoài giờ làm việc)."
    )


def role_title(grant: RoleGrant) -> str:
    """Name a role the way it is said: «Bí thư Chi bộ 12», «Chủ nhiệm UBKT»."""
    if grant.title:
        return grant.title
    if grant.cell_name:
        return f"{ROLE_NAMES[grant.role]} {grant.cell_name}"
    return f"{ROLE_NAMES[grant.role]} {grant.committee_name}"


def greeting(full_name: str, grants: tuple[RoleGrant, ...]) -> str:
    """Greet a person by name and role."""
    titles = ", ".join(role_title(g) for g in grants)
    return f"Chào đồng chí {full_name}, {titles}."


# Zalo's terms (and plain honesty) ask that users know they talk to software and what it keeps.
ABOUT_ASSISTANT = (
    "Đồng chí đang trao đổi với trợ lý tự động (phần mềm), không phải với người. Trợ lý lưu họ tên, "
    "chức vụ, tài khoản Zalo/Telegram đã liên kết và những báo cáo, cam kết đồng chí gửi, cùng nhật "
    "ký ai đã sửa gì; các thông tin này chỉ dùng cho công tác của Đảng bộ."
)


def menu(lines: list[str]) -> str:
    """List the commands of the person's role, then say what the assistant is and keeps."""
    return (
        "Các việc đồng chí có thể làm:\n"
        + "\n".join(lines)
        + "\n\nGõ /help (hoặc «trợ giúp») để xem lại danh sách này.\n\n"
        + ABOUT_ASSISTANT
    )


def help_line(command: str, description: str) -> str:
    """Describe one command in the menu."""
    return f"/{command} — {description}"


def unknown_account() -> str:
    """Explain to an unknown account how to join, and nothing else."""
    return (
        "Kính chào đồng chí. Đây là trợ lý báo cáo của Đảng bộ, chỉ dành cho cấp ủy và đảng viên "
        "đã được mời.\n\nĐể sử dụng, đề nghị đồng chí xin mã mời từ Đảng ủy hoặc bí thư chi bộ, "
        "rồi gửi: /start MÃ-MỜI (ví dụ: /start K7M2QX9P).\n\n" + ABOUT_ASSISTANT
    )


def message_refused(limit: int) -> str:
    """Refuse a message that cannot be read safely: too long, or with characters that are not text."""
    return (
        f"Trợ lý không nhận được tin nhắn này: tin nhắn dài quá {limit} ký tự hoặc có ký tự không hợp lệ."
        " Đề nghị đồng chí gõ lại, ngắn gọn hơn."
    )


def control_characters_dropped() -> str:
    """Say that invisible control characters were removed from a message before reading it."""
    return "Trợ lý đã bỏ các ký tự điều khiển (không hiển thị) trong tin nhắn của đồng chí."


def private_only() -> str:
    """Refuse, in a group chat, what is only done in a private chat with the person."""
    return "Đề nghị đồng chí nhắn riêng cho trợ lý."


def not_allowed() -> str:
    """Refuse a command the person's role does not allow."""
    return "Chức năng này không thuộc quyền của đồng chí. Gõ /help để xem các việc đồng chí có thể làm."


def not_understood() -> str:
    """Answer a message that is neither a command nor part of a flow."""
    return "Chưa rõ yêu cầu của đồng chí. Gõ /help (hoặc «trợ giúp») để xem các việc có thể làm."


def unknown_command(name: str) -> str:
    """Answer a slash command that does not exist."""
    return f"Không có lệnh /{name}. Gõ /help để xem các lệnh."


def internal_error() -> str:
    """Apologise for an unexpected error; nothing the user entered was lost."""
    return (
        "Xin lỗi đồng chí, hệ thống gặp lỗi khi xử lý tin nhắn này. Những gì đồng chí đã nhập "
        "trước đó vẫn được giữ nguyên; đề nghị đồng chí gửi lại tin nhắn sau ít phút."
    )


def nothing_to_cancel() -> str:
    """Answer /huy when no flow is open."""
    return "Hiện không có việc nào đang làm dở."


def unsupported_message() -> str:
    """Answer a sticker, voice or other message the bot cannot read."""
    return "Trợ lý chỉ đọc được tin nhắn chữ. Đề nghị đồng chí trả lời bằng chữ hoặc bằng số."


def directive_of(year: int) -> str:
    """Name the directive on studying and following President Hồ Chí Minh in force in a year."""
    # Directive 05-CT/TW (2016) replaced 03-CT/TW (2011), and the wording with it.
    return "Chỉ thị 05-CT/TW" if year >= 2016 else "Chỉ thị 03-CT/TW"


def wording_of(year: int) -> str:
    """Name the study movement as the directive in force in a year words it."""
    if year >= 2016:
        return "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
    return "Học tập và làm theo tấm gương đạo đức Hồ Chí Minh"

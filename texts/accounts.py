"""What the bot says when people join, and when committees invite them."""

from __future__ import annotations

CONFIRM = "Xác nhận"
NOT_ME = "Không phải tôi"

HELP_INVITE = "Tạo mã mời cho bí thư, đảng viên, cấp ủy"


def invite_not_found(code: str) -> str:
    """Say a code does not exist."""
    return (
        f"Mã mời «{code}» không đúng. Đề nghị đồng chí kiểm tra lại từng ký tự "
        "(mã gồm 8 chữ cái và chữ số), hoặc xin mã mới từ Đảng ủy."
    )


def invite_used(code: str) -> str:
    """Say a code was already used."""
    return (
        f"Mã mời «{code}» đã được sử dụng. Mỗi mã chỉ dùng được một lần; "
        "đề nghị đồng chí xin mã mới từ Đảng ủy."
    )


def invite_expired(code: str, expired_on: str) -> str:
    """Say a code expired."""
    return f"Mã mời «{code}» đã hết hạn ngày {expired_on}. Đề nghị đồng chí xin mã mới từ Đảng ủy."


def ask_full_name() -> str:
    """Ask a newcomer's full name."""
    return "Đề nghị đồng chí cho biết họ và tên đầy đủ (ví dụ: Nguyễn Văn An)."


def bad_full_name() -> str:
    """Refuse a name that is not a full name."""
    return "họ và tên cần có ít nhất hai chữ và chỉ gồm chữ cái, ví dụ: Nguyễn Văn An."


def confirm_invite(full_name: str | None, role: str) -> str:
    """Ask the newcomer to confirm who the invite is for."""
    who = f"đồng chí {full_name}, " if full_name else ""
    return f"Mã mời này dành cho {who}{role}. Đồng chí xác nhận để bắt đầu sử dụng?"


def too_many_wrong_codes(count: int, minutes: int, until: str) -> str:
    """Pause code entry after too many wrong codes, saying until when."""
    return (
        f"Đồng chí đã nhập sai mã {count} lần trong {minutes} phút. Để bảo đảm an toàn, trợ lý tạm"
        f" ngừng nhận mã đến {until}. Đề nghị kiểm tra lại mã, hoặc xin mã mới từ Đảng ủy."
    )


def link_code_is_yours() -> str:
    """Answer a person who sends their own link code from an account already theirs."""
    return "Tài khoản này đã là của đồng chí. Mã liên kết dùng để gửi từ ứng dụng kia (Telegram hoặc Zalo)."


def link_code_same_app(app: str) -> str:
    """Refuse a link code from someone else's account on an app its owner already uses."""
    return (
        f"Mã liên kết chỉ dùng được từ ứng dụng khác {app}, hoặc từ một tài khoản chưa đăng ký."
        " Tài khoản này không thay đổi."
    )


def confirm_switch(current: str, current_roles: str, full_name: str, role: str) -> str:
    """Ask before a link code makes an account somebody else."""
    return (
        f"Tài khoản này đang là của đồng chí {current} ({current_roles}). Nếu xác nhận, tài khoản sẽ"
        f" chuyển sang đồng chí {full_name}, {role}, và không còn các quyền trên."
        " Đồng chí có chắc chắn muốn chuyển?"
    )


def not_me() -> str:
    """Answer a newcomer who says the invite is not theirs."""
    return "Mã mời chưa được sử dụng. Đề nghị đồng chí liên hệ người đã gửi mã để được cấp đúng mã."


JOIN_TITLE = "Đăng ký sử dụng"
INVITE_TITLE = "Tạo mã mời"
ASK_ROLE = "Mã mời dành cho vai trò nào?"
ASK_CELL = "Mã mời dành cho chi bộ nào?"
ASK_ROSTER_MEMBER = "Đồng chí mời đảng viên nào trong danh sách chi bộ? (Gõ số thứ tự hoặc họ tên.)"
ASK_INVITEE_NAME = "Họ và tên người được mời (để trợ lý chào đúng tên)."
ASK_TITLE = "Chức danh của người được mời (ví dụ: Ủy viên UBKT, Phó Bí thư Đảng ủy)."
LABEL_ROLE = "Vai trò"
LABEL_CELL = "Chi bộ"
LABEL_NAME = "Họ và tên"
LABEL_TITLE = "Chức danh"


def invite_created(code: str, who: str, expires_on: str) -> str:
    """Give the committee member the new code and how to use it."""
    return (
        f"Đã tạo mã mời cho {who}.\n\nMã mời: {code}\nHạn dùng: đến hết ngày {expires_on}, dùng một lần.\n\n"
        f"Người được mời mở trợ lý trên Telegram hoặc Zalo và gửi: /start {code}"
    )


def admin_invite_line(code: str, name: str, role: str, expires_on: str, state: str) -> str:
    """Describe one invite in the admin listing: who it is for, as what, until when, and its state."""
    return f"{code}  {name} — {role} — hết hạn {expires_on} — {state}"


INVITE_STATE_OPEN = "chưa dùng"
INVITE_STATE_USED = "đã dùng"
INVITE_STATE_EXPIRED = "hết hạn"

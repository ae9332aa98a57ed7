"""What the Zalo channel adds to messages: files Zalo cannot carry."""

from __future__ import annotations

PHOTO_NAME = "bieu-do.png"


def file_link(name: str, url: str, minutes: int) -> str:
    """Offer a download link for a file Zalo cannot send."""
    return (
        f"Zalo không gửi được tệp đính kèm. Đồng chí tải tệp «{name}» tại đường dẫn sau "
        f"(có hiệu lực trong {minutes} phút):\n{url}"
    )


def file_unavailable(name: str) -> str:
    """Explain that the file cannot be sent on Zalo and how to get it."""
    return (
        f"Zalo không gửi được tệp «{name}». Đề nghị đồng chí mở trợ lý trên Telegram để nhận tệp "
        "(gõ /lienket để liên kết tài khoản Telegram), hoặc đề nghị Đảng ủy gửi giúp."
    )


def photo_unavailable() -> str:
    """Explain that a chart cannot be shown on Zalo and how to see it."""
    return (
        "Zalo không hiển thị được biểu đồ này. Đề nghị đồng chí xem trên Telegram "
        "(gõ /lienket để liên kết tài khoản Telegram), hoặc đề nghị Đảng ủy gửi giúp."
    )


def unsupported_content() -> str:
    """Answer a message whose content Zalo withheld (it does so for users in its protected groups)."""
    return (
        "Zalo không chuyển nội dung tin nhắn này đến trợ lý, nên trợ lý không đọc được. "
        "Đề nghị đồng chí nhờ bí thư chi bộ hoặc một đồng chí trong chi bộ báo cáo giúp, "
        "hoặc liên hệ trực tiếp Văn phòng Đảng ủy."
    )


def sticker_answer() -> str:
    """Answer a sticker briefly and politely."""
    return "Cảm ơn đồng chí. Trợ lý chỉ đọc được tin nhắn chữ; đồng chí gõ /help để xem các việc có thể làm."

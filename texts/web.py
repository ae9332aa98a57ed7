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

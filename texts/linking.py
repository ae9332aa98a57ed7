"""What the bot says about linking a second app and choosing where reminders go."""

from __future__ import annotations

CHANNEL_NAMES = {"telegram": "Telegram", "zalo": "Zalo", "console": "máy tính (chế độ thử)"}
HELP_LINK = "Liên kết thêm tài khoản Telegram hoặc Zalo"
HELP_REMINDER_APP = "Chọn ứng dụng nhận nhắc việc"
REMINDER_APP_TITLE = "Chọn ứng dụng nhận nhắc việc"
LABEL_APP = "Ứng dụng nhận nhắc việc"


def channel_name(channel: str) -> str:
    """Name a channel the way users know it."""
    return CHANNEL_NAMES.get(channel, channel.title())


def link_code(code: str, expires_at: str, linked: list[str], reminders: str) -> str:
    """Give a one-time code to send from the other app, and say what is linked now."""
    return (
        f"Mã liên kết: {code}\n\n"
        "Để dùng trợ lý trên cả Telegram và Zalo, đề nghị đồng chí mở trợ lý trên ứng dụng còn lại "
        f"và gửi: /start {code}\n"
        f"Mã chỉ dùng một lần, hết hạn lúc {expires_at}. Đề nghị không gửi mã này cho người khác.\n\n"
        f"Đang liên kết: {', '.join(linked)}. Nhắc việc gửi qua: {reminders}.\n"
        "Gõ /kenhnhac để chọn ứng dụng nhận nhắc việc."
    )


def ask_reminder_app(current: str) -> str:
    """Ask which linked app should receive reminders."""
    return f"Nhắc việc và thông báo hiện gửi qua {current}. Đồng chí muốn nhận qua ứng dụng nào?"


def only_one_app(app: str) -> str:
    """Explain that there is nothing to choose until a second app is linked."""
    return (
        f"Đồng chí mới dùng trợ lý trên {app}, nên nhắc việc đều gửi qua {app}. "
        "Muốn nhận qua ứng dụng khác, đề nghị gõ /lienket để liên kết thêm tài khoản."
    )


def reminder_app_set(app: str) -> str:
    """Confirm where reminders will go from now on."""
    return f"Từ nay nhắc việc và thông báo sẽ gửi cho đồng chí qua {app}."

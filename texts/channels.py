"""What channels add around messages: how to answer without buttons, console prompts."""

from __future__ import annotations


def answer_by_number(count: int) -> str:
    """Tell the user to answer with a number or the option's words."""
    numbers = ", ".join(str(n) for n in range(1, count + 1))
    return f"Trả lời {numbers} (hoặc gõ nội dung lựa chọn)."


def answer_by_word(labels: list[str]) -> str:
    """Tell the user which words to type."""
    return "Trả lời: " + " hoặc ".join(f"«{label}»" for label in labels) + "."


CONSOLE_WELCOME = (
    "Trợ lý báo cáo chi bộ — chế độ thử trên máy tính.\n"
    "Dữ liệu mẫu: Đảng bộ phường Phúc Lợi. Đồng chí muốn trò chuyện với tư cách ai?"
)
CONSOLE_PICK = "Gõ số thứ tự: "
CONSOLE_BAD_PICK = "Số không hợp lệ, đề nghị gõ lại."
CONSOLE_HINT = "Gõ tin nhắn rồi nhấn Enter; Ctrl+D để thoát."
CONSOLE_NOBODY = "Chưa có ai trong dữ liệu. Chạy: python bot.py admin demo"
CONSOLE_FILE_SAVED = "[Tệp đã lưu: {path}]"
CONSOLE_YOU = "Đồng chí> "
CONSOLE_BOT = "Trợ lý:"


def webhook_secret_required() -> str:
    """Refuse to start Telegram's webhook without a valid secret."""
    return (
        "Chế độ webhook của Telegram cần TELEGRAM_WEBHOOK_SECRET (1–256 ký tự A–Z a–z 0–9 _ -)"
        " / Telegram webhook mode needs TELEGRAM_WEBHOOK_SECRET (1-256 of A-Z a-z 0-9 _ -)."
    )

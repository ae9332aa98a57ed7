"""What the bot says about reminders: snoozing, muting, and messages it could not deliver."""

from __future__ import annotations

SNOOZE = "Nhắc lại sau 1 ngày"
MUTE = "Tắt loại nhắc này"

HELP_MUTE = "Tắt một loại nhắc việc cho riêng mình"
HELP_UNMUTE = "Bật lại loại nhắc việc đã tắt"

KIND_NAMES = {
    "inspection_notice": "Thông báo kiểm tra",
    "inspection_reminder": "Nhắc chuẩn bị kiểm tra",
    "report_reminder": "Nhắc nộp báo cáo sinh hoạt chi bộ",
    "report_late": "Danh sách chi bộ chậm báo cáo",
    "pledge_review": "Nhắc sơ kết, tổng kết bản đăng ký",
    "remedial_reminder": "Nhắc báo cáo nhiệm vụ khắc phục",
    "inspection_self_report": "Thông báo chi bộ nộp báo cáo tự kiểm tra",
    "inspection_conclusion": "Kết luận kiểm tra",
    "remedial_update": "Báo cáo nhiệm vụ khắc phục",
    "remedial_closed": "Thông báo đóng nhiệm vụ khắc phục",
}


def kind_name(kind: str) -> str:
    """Name a kind of message the way users read it."""
    return KIND_NAMES.get(kind, "Thông báo")


def snoozed(kind: str, when: str) -> str:
    """Confirm a reminder will come again."""
    return f"Đã hoãn: trợ lý sẽ nhắc lại «{kind_name(kind)}» vào khoảng {when}."


def snooze_not_found() -> str:
    """Refuse to snooze a reminder that is not the person's."""
    return "Không tìm thấy tin nhắc này trong các tin đã gửi cho đồng chí, nên không hoãn được."


def snooze_too_late(kind: str) -> str:
    """Say a snoozed reminder would come after it stops being useful."""
    return f"Không hoãn được «{kind_name(kind)}»: sau một ngày nữa tin nhắc này không còn tác dụng."


def muted(kind: str) -> str:
    """Confirm a kind of reminder is muted."""
    return (
        f"Đã tắt «{kind_name(kind)}» cho riêng đồng chí. Nhắc chuẩn bị kiểm tra vẫn luôn được gửi.\n"
        "Gõ /batnhac để bật lại."
    )


def already_muted(kind: str) -> str:
    """Say a kind was already muted."""
    return f"«{kind_name(kind)}» đã được tắt từ trước. Gõ /batnhac để bật lại."


def unmuted(kind: str) -> str:
    """Confirm a kind of reminder is back on."""
    return f"Đã bật lại «{kind_name(kind)}»."


def cannot_mute(kind: str) -> str:
    """Refuse to mute a kind that cannot be muted."""
    return f"«{kind_name(kind)}» không tắt được: thông báo và nhắc chuẩn bị kiểm tra luôn được gửi."


def choose_mute(current: list[str]) -> str:
    """Ask which kind of reminder to mute."""
    state = ("Đồng chí đang tắt: " + ", ".join(kind_name(k) for k in current) + ".\n\n") if current else ""
    return state + "Đồng chí muốn tắt loại nhắc việc nào? (Nhắc chuẩn bị kiểm tra không tắt được.)"


def choose_unmute() -> str:
    """Ask which muted kind to turn back on."""
    return "Đồng chí muốn bật lại loại nhắc việc nào?"


def nothing_muted() -> str:
    """Say nothing is muted."""
    return "Đồng chí chưa tắt loại nhắc việc nào: mọi nhắc việc đều đang được gửi."


def unknown_kind(labels: list[str]) -> str:
    """Say the named kind is not one of the choices."""
    return "Chưa rõ loại nhắc việc. Đề nghị đồng chí chọn một trong: " + "; ".join(labels) + "."


UNDELIVERED_UNKNOWN = "không rõ đã đến hay chưa (trợ lý dừng giữa lúc gửi), trợ lý không tự gửi lại"
UNDELIVERED_EXPIRED = "không gửi được trước thời điểm cần (trợ lý tạm dừng), đã bỏ qua"


def undelivered(lines: list[str]) -> str:
    """Report to a committee member the messages whose delivery is not certain."""
    return (
        "Báo cáo gửi tin nhắc việc: các tin dưới đây chưa chắc đã đến người nhận.\n\n"
        + "\n".join(lines)
        + "\n\nĐề nghị đồng chí liên hệ trực tiếp nếu cần."
    )


def undelivered_line(kind: str, person: str, due: str, state: str) -> str:
    """Describe one message whose delivery is not certain."""
    return f"- {kind_name(kind)} gửi đồng chí {person} (dự kiến {due}): {state}."


def unknown_setting(key: str, keys: list[str]) -> str:
    """Refuse a setting name that does not exist."""
    return f"Không có thiết lập «{key}». Các thiết lập nhắc việc: {', '.join(keys)}."


def bad_setting(key: str, value: str) -> str:
    """Refuse a setting value that cannot be read."""
    return (
        f"Giá trị «{value}» không hợp lệ cho {key}. Giờ ghi dạng 07:30; ngày trong tháng từ 1 đến 28; "
        "danh sách số cách nhau bởi dấu phẩy, ví dụ 14,7,3,1."
    )


UNSET = "(chưa đặt)"


def setting_changed(key: str, before: str, after: str) -> str:
    """Confirm one changed setting with its old and new value, or that it already had that value."""
    if before == after:
        return f"{key}: giữ nguyên {after} (đã đặt như vậy từ trước)."
    return f"Đã đổi {key}: {before} → {after}."


def settings_of(committee: str) -> str:
    """Head the list of a committee's reminder settings."""
    return f"Thiết lập nhắc việc của {committee}:"

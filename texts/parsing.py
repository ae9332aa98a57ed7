"""User-facing Vietnamese text for the parsing layer: why an answer was refused and what to type."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.clock import fmt_date


def date_retry(today: date) -> str:
    """Ask for a date again in dd/mm/yyyy, today's date as the example."""
    return f"Đề nghị đồng chí nhập lại ngày theo dạng ngày/tháng/năm, ví dụ {fmt_date(today)}."


def date_unreadable(today: date) -> str:
    """Say a date could not be read."""
    return "Chưa đọc được ngày đồng chí nhập. " + date_retry(today)


def date_hom_kia_ambiguous(today: date) -> str:
    """Refuse «hôm kìa», which means different days in different regions."""
    return (
        "Cách hiểu “hôm kìa” mỗi nơi một khác. "
        f"Đề nghị đồng chí nhập ngày cụ thể theo dạng ngày/tháng/năm, ví dụ {fmt_date(today)}."
    )


def month_hint(today: date) -> str:
    """Say how to type a month, this month as the example."""
    return (
        f"Đề nghị đồng chí nhập tháng theo dạng tháng/năm, ví dụ {today:%m/%Y}, "
        "hoặc gõ “tháng này”, “tháng trước”."
    )


def month_unreadable(today: date) -> str:
    """Say a month could not be read."""
    return "Chưa đọc được tháng đồng chí nhập. " + month_hint(today)


def quarter_hint(today: date) -> str:
    """Say how to type a quarter, this quarter as the example."""
    return (
        f"Đề nghị đồng chí nhập quý theo dạng quý/năm, ví dụ quý {(today.month - 1) // 3 + 1}/{today.year}, "
        "hoặc gõ “quý này”, “quý trước”."
    )


def quarter_unreadable(today: date) -> str:
    """Say a quarter could not be read."""
    return "Chưa đọc được quý đồng chí nhập. " + quarter_hint(today)


TIME_HINT = "Đề nghị đồng chí nhập giờ theo dạng giờ:phút, ví dụ 19:30 hoặc 19h30."
TIME_UNREADABLE = "Chưa đọc được giờ đồng chí nhập. " + TIME_HINT


# Keyed by the diacritic-free word the parser matches on.
_DAY_PERIOD_NAMES = {"sang": "sáng", "trua": "trưa", "chieu": "chiều", "toi": "tối"}


def impossible_date(day: int, month: int, year: int, today: date) -> str:
    """Say that a day does not exist in its month and year."""
    return f"Ngày {day:02d}/{month:02d}/{year:04d} không có thật. {date_retry(today)}"


def no_such_month_in_date(month: int, today: date) -> str:
    """Say that a date's month is out of 1..12 and remind the user the day comes first."""
    return f"Không có tháng {month}. Đồng chí lưu ý ghi ngày trước, tháng sau. {date_retry(today)}"


def year_out_of_range(year: int, first: int, last: int) -> str:
    """Say that a year is outside the years the bot keeps."""
    return f"Năm {year} không hợp lệ; đề nghị ghi năm từ {first} đến {last}."


def no_such_month(month: int, today: date) -> str:
    """Say that a month is out of 1..12."""
    return f"Không có tháng {month}; tháng chỉ từ 1 đến 12. {month_hint(today)}"


def no_such_quarter(quarter: int, today: date) -> str:
    """Say that a quarter is out of 1..4."""
    return f"Không có quý {quarter}; một năm chỉ có quý 1 đến quý 4. {quarter_hint(today)}"


def impossible_time(hour: int, minute: int) -> str:
    """Say that an hour or minute is out of range."""
    return f"Không có giờ {hour:02d}:{minute:02d}; giờ chỉ từ 0 đến 23, phút từ 0 đến 59. {TIME_HINT}"


def hour_outside_day_period(hour: int, period: str) -> str:
    """Say that an hour does not fall in the named part of the day ("sang", "toi", ...)."""
    return f"{hour} giờ không thuộc buổi {_DAY_PERIOD_NAMES[period]}. {TIME_HINT}"


def _range_phrase(minimum: int | None, maximum: int | None) -> str:
    """Describe the allowed range of a number, or return "" when it is unbounded."""
    if minimum is not None and maximum is not None:
        return f"từ {minimum} đến {maximum}"
    if minimum is not None:
        return f"từ {minimum} trở lên"
    if maximum is not None:
        return f"không quá {maximum}"
    return ""


def int_unreadable(minimum: int | None, maximum: int | None) -> str:
    """Say that the answer is not a whole number, with the allowed range if any."""
    phrase = _range_phrase(minimum, maximum)
    detail = f", là một số {phrase}" if phrase else ", ví dụ 12"
    return f"Chưa đọc được số đồng chí nhập. Đề nghị đồng chí chỉ gõ chữ số{detail}."


def int_out_of_range(value: int, minimum: int | None, maximum: int | None) -> str:
    """Say that a number is outside the allowed range."""
    return (
        f"Số {value} nằm ngoài khoảng cho phép. "
        f"Đề nghị đồng chí nhập một số {_range_phrase(minimum, maximum)}."
    )


def _number_list_hint(maximum: int) -> str:
    """Explain how to type a list of item numbers."""
    return (
        f"Đề nghị đồng chí gõ các số thứ tự từ 1 đến {maximum}, cách nhau bằng dấu phẩy; "
        "nhiều số liền nhau có thể gõ gọn, như 2-4."
    )


def number_list_empty(maximum: int) -> str:
    """Say that no item number was typed."""
    return f"Đồng chí chưa nhập số nào. {_number_list_hint(maximum)}"


def number_list_unreadable(maximum: int) -> str:
    """Say that the list of item numbers could not be read."""
    return f"Chưa đọc được các số đồng chí nhập. {_number_list_hint(maximum)}"


def numbers_out_of_range(numbers: Sequence[int], maximum: int) -> str:
    """Name the item numbers that are not in the list."""
    listed = ", ".join(str(number) for number in numbers)
    return f"Không có số {listed} trong danh sách. Đề nghị đồng chí chỉ chọn các số từ 1 đến {maximum}."


def _numbered(labels: Sequence[str]) -> str:
    """List choices as "1. A; 2. B"."""
    return "; ".join(f"{number}. {label}" for number, label in enumerate(labels, start=1))


def choice_unknown(labels: Sequence[str]) -> str:
    """Say that the answer matches none of the choices, and list them."""
    return f"Chưa rõ đồng chí chọn mục nào. Đề nghị đồng chí gõ số thứ tự hoặc tên mục: {_numbered(labels)}."


def choice_ambiguous(matches: Sequence[tuple[int, str]]) -> str:
    """Say that the answer matches several choices, and list those by their numbers."""
    listed = "; ".join(f"{number}. {label}" for number, label in matches)
    return f"Nội dung đồng chí nhập khớp với nhiều mục: {listed}. Đề nghị đồng chí gõ số thứ tự."

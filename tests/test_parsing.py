"""Tests for the parsing layer: the forms each parser accepts, and how it refuses the rest."""

from __future__ import annotations

import time as clock
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, time

import pytest

from core.parsing import (
    NumbersPartlyOutOfRange,
    ParseError,
    is_none_answer,
    match_choice,
    parse_coming_date,
    parse_date,
    parse_int,
    parse_month,
    parse_number_list,
    parse_quarter,
    parse_time,
)
from domain.words import normalize

TODAY = date(2024, 3, 15)
CHOICES = ("Thường kỳ", "Chuyên đề", "Đột xuất")
CHOICE_LIST = "1. Thường kỳ; 2. Chuyên đề; 3. Đột xuất"
LONG_TEXTS = ("x" * 10_000, "1" * 10_000, "1/" * 5_000, "ngày " * 2_000, "👍" * 10_000)


def refusal(parse: Callable[[], object]) -> str:
    """Run a parse expected to fail and return the reason it gives the user."""
    with pytest.raises(ParseError) as caught:
        parse()
    return caught.value.reason


# normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Báo Cáo  ", "bao cao"),
        ("Trợ giúp", "tro giup"),
        ("ĐẢNG VIÊN đóng đảng phí", "dang vien dong dang phi"),
        ("  Hôm\tqua\n", "hom qua"),
        ("Tro\u031b\u0323 giu\u0301p", "tro giup"),  # decomposed input, as some keyboards send
        ("Năm\u00a0nay", "nam nay"),
        ("👍 Có", "👍 co"),
        ("", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    """Normalize lowercases, strips diacritics including đ, and collapses whitespace."""
    assert normalize(text) == expected


def test_parse_error_is_value_error_with_reason() -> None:
    """ParseError is a ValueError that carries the user-facing reason."""
    error = ParseError("Đề nghị đồng chí nhập lại.")
    assert isinstance(error, ValueError)
    assert error.reason == "Đề nghị đồng chí nhập lại."


# parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5/9", date(2024, 9, 5)),  # after today: kept in today's year, not moved back
        ("05/09/2015", date(2015, 9, 5)),
        ("5-9-2015", date(2015, 9, 5)),
        ("5.9.2015", date(2015, 9, 5)),
        ("5 / 9 / 2015", date(2015, 9, 5)),
        ("5/9/15", date(2015, 9, 5)),
        ("1/2/99", date(2099, 2, 1)),
        ("12/3", date(2024, 3, 12)),
        ("05/09/2015.", date(2015, 9, 5)),
        ("ngày 5/9/2015", date(2015, 9, 5)),
        ("29/2/2016", date(2016, 2, 29)),
        ("29/02", date(2024, 2, 29)),
        ("ngày 5 tháng 9 năm 2015", date(2015, 9, 5)),
        ("ngay 5 thang 9 nam 2015", date(2015, 9, 5)),
        ("Ngày 05 Tháng 09 Năm 2015", date(2015, 9, 5)),
        ("ngày 5 tháng 9", date(2024, 9, 5)),
        ("ngay 5 thang 9", date(2024, 9, 5)),
        ("5 tháng 9, năm 2015", date(2015, 9, 5)),
        ("ngày 5 tháng 9/2015", date(2015, 9, 5)),
        ("mùng 2 tháng 9 năm 1945", date(1945, 9, 2)),
        ("hôm nay", TODAY),
        ("hom nay", TODAY),
        ("Hôm Nay", TODAY),
        ("hôm qua", date(2024, 3, 14)),
        ("hom qua", date(2024, 3, 14)),
        ("ngày hôm qua", date(2024, 3, 14)),
        ("hôm kia", date(2024, 3, 13)),
        ("hom kia", date(2024, 3, 13)),
        ("ngày mai", date(2024, 3, 16)),
        ("ngay mai", date(2024, 3, 16)),
    ],
)
def test_parse_date_accepts(text: str, expected: date) -> None:
    """Day-first numeric, worded and relative dates parse against an injected today."""
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("hom qua", date(2024, 3, 1), date(2024, 2, 29)),
        ("hôm qua", date(2023, 3, 1), date(2023, 2, 28)),
        ("hom qua", date(2023, 1, 1), date(2022, 12, 31)),
        ("hôm kia", date(2024, 1, 1), date(2023, 12, 30)),
        ("5/9", date(2023, 1, 1), date(2023, 9, 5)),
    ],
)
def test_parse_date_uses_injected_today(text: str, today: date, expected: date) -> None:
    """Relative words and missing years follow the injected today across month and year ends."""
    assert parse_date(text, today) == expected


@pytest.mark.parametrize(
    ("text", "today", "shown"),
    [
        ("31/2", TODAY, "31/02/2024"),
        ("29/2/2015", TODAY, "29/02/2015"),
        ("29/02", date(2023, 6, 1), "29/02/2023"),
        ("31/4/2015", TODAY, "31/04/2015"),
        ("32/1", TODAY, "32/01/2024"),
        ("0/5", TODAY, "00/05/2024"),
        ("ngày 31 tháng 2", TODAY, "31/02/2024"),
    ],
)
def test_parse_date_refuses_impossible_day(text: str, today: date, shown: str) -> None:
    """A day that does not exist is refused, naming the date and the format to use."""
    reason = refusal(lambda: parse_date(text, today))
    assert f"Ngày {shown} không có thật" in reason
    assert f"ngày/tháng/năm, ví dụ {today:%d/%m/%Y}" in reason


@pytest.mark.parametrize(("text", "month"), [("5/13", 13), ("5/0/2015", 0), ("ngay 5 thang 13", 13)])
def test_parse_date_refuses_impossible_month(text: str, month: int) -> None:
    """A month outside 1..12 is refused with a reminder that the day comes first."""
    reason = refusal(lambda: parse_date(text, TODAY))
    assert f"Không có tháng {month}" in reason
    assert "ngày trước, tháng sau" in reason
    assert "ví dụ 15/03/2024" in reason


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "",
        "   ",
        "12",
        "abc 12",
        "12 abc",
        "5/9 abc",
        "5/9/2015 👍",
        "👍",
        "5/9/201",
        "1/2/3/4",
        "2015-09-05",
        "tháng 9",
        "ngày 5",
        "thứ hai",
        "tuần trước",
        "5 9 2015",
        "ngay 5 thang 915",
    ],
)
def test_parse_date_refuses_unclear_text(text: str) -> None:
    """Text that is not clearly one date is refused with the dd/mm/yyyy format, never guessed."""
    reason = refusal(lambda: parse_date(text, TODAY))
    assert "ngày/tháng/năm, ví dụ 15/03/2024" in reason


@pytest.mark.parametrize("text", ["hôm kìa", "Hôm Kìa", "ngày hôm kìa"])
def test_parse_date_refuses_hom_kia_with_grave(text: str) -> None:
    """ "Hôm kìa" means different days in different regions, so a concrete date is asked for."""
    reason = refusal(lambda: parse_date(text, TODAY))
    assert "hôm kìa" in reason
    assert "ngày/tháng/năm" in reason


# parse_month


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("8/2015", TODAY, (2015, 8)),
        ("08/2015", TODAY, (2015, 8)),
        ("8-2015", TODAY, (2015, 8)),
        ("8 2015", TODAY, (2015, 8)),
        ("tháng 8", TODAY, (2024, 8)),
        ("thang 8", TODAY, (2024, 8)),
        ("Tháng 08", TODAY, (2024, 8)),
        ("tháng 8/2015", TODAY, (2015, 8)),
        ("thang 8 nam 2015", TODAY, (2015, 8)),
        ("tháng 8, năm 2015", TODAY, (2015, 8)),
        ("T8/2015", TODAY, (2015, 8)),
        ("t8", TODAY, (2024, 8)),
        ("8", TODAY, (2024, 8)),
        ("12.", TODAY, (2024, 12)),
        ("tháng này", TODAY, (2024, 3)),
        ("thang nay", TODAY, (2024, 3)),
        ("tháng trước", TODAY, (2024, 2)),
        ("thang truoc", TODAY, (2024, 2)),
        ("tháng rồi", TODAY, (2024, 2)),
        ("tháng trước", date(2024, 1, 31), (2023, 12)),
        ("tháng sau", date(2024, 12, 1), (2025, 1)),
        ("thang toi", TODAY, (2024, 4)),
    ],
)
def test_parse_month_accepts(text: str, today: date, expected: tuple[int, int]) -> None:
    """Numeric, worded and relative months parse to (year, month)."""
    assert parse_month(text, today) == expected


@pytest.mark.parametrize(
    ("text", "month"), [("0", 0), ("13", 13), ("tháng 13", 13), ("thang 0", 0), ("13/2015", 13)]
)
def test_parse_month_refuses_month_out_of_range(text: str, month: int) -> None:
    """Month 0 or 13 is refused, naming it and the month/year format."""
    reason = refusal(lambda: parse_month(text, TODAY))
    assert f"Không có tháng {month}" in reason
    assert "tháng/năm, ví dụ 03/2024" in reason


@pytest.mark.parametrize(
    "text", ["8/15", "5/8/2015", "abc", "", "tháng", "2015", "tháng 8 năm", "tháng kia", "👍"]
)
def test_parse_month_refuses_unclear_text(text: str) -> None:
    """Unclear text, including a two-digit year like 8/15, is refused with the format to use."""
    reason = refusal(lambda: parse_month(text, TODAY))
    assert "tháng/năm, ví dụ 03/2024" in reason


# parse_quarter


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("quý 3", TODAY, (2024, 3)),
        ("quy 3", TODAY, (2024, 3)),
        ("quy III", TODAY, (2024, 3)),
        ("Quý IV", TODAY, (2024, 4)),
        ("quý I/2015", TODAY, (2015, 1)),
        ("Q3/2015", TODAY, (2015, 3)),
        ("q2", TODAY, (2024, 2)),
        ("quý 3/2015", TODAY, (2015, 3)),
        ("quy 3 nam 2015", TODAY, (2015, 3)),
        ("3", TODAY, (2024, 3)),
        ("quý này", TODAY, (2024, 1)),
        ("quy nay", date(2024, 12, 31), (2024, 4)),
        ("quý trước", TODAY, (2023, 4)),
        ("quy truoc", date(2024, 8, 1), (2024, 2)),
        ("quý sau", date(2024, 11, 1), (2025, 1)),
    ],
)
def test_parse_quarter_accepts(text: str, today: date, expected: tuple[int, int]) -> None:
    """Arabic and Roman quarters, with or without a year, and relative quarters parse."""
    assert parse_quarter(text, today) == expected


@pytest.mark.parametrize(("text", "quarter"), [("quý 5", 5), ("quy 0", 0), ("Q12/2015", 12)])
def test_parse_quarter_refuses_quarter_out_of_range(text: str, quarter: int) -> None:
    """A quarter outside 1..4 is refused, naming it and the format to use."""
    reason = refusal(lambda: parse_quarter(text, TODAY))
    assert f"Không có quý {quarter}" in reason
    assert "ví dụ quý 1/2024" in reason


@pytest.mark.parametrize("text", ["quy V", "III", "abc", "", "quý", "quý 3/15", "quý ba", "👍"])
def test_parse_quarter_refuses_unclear_text(text: str) -> None:
    """Unclear quarter text, including a Roman numeral without "quý", is refused with the format."""
    reason = refusal(lambda: parse_quarter(text, TODAY))
    assert "ví dụ quý 1/2024" in reason


# parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19h", time(19, 0)),
        ("19H30", time(19, 30)),
        ("19h30", time(19, 30)),
        ("19:30", time(19, 30)),
        ("19.30", time(19, 30)),
        ("7 giờ 30", time(7, 30)),
        ("7 gio 30", time(7, 30)),
        ("7g30", time(7, 30)),
        ("7 giờ 30 phút", time(7, 30)),
        ("19h30p", time(19, 30)),
        ("7 giờ rưỡi", time(7, 30)),
        ("7h5", time(7, 5)),
        ("lúc 19h", time(19, 0)),
        ("0h", time(0, 0)),
        ("23:59", time(23, 59)),
        ("7 giờ sáng", time(7, 0)),
        ("12 giờ trưa", time(12, 0)),
        ("1 giờ chiều", time(13, 0)),
        ("7h30 tối", time(19, 30)),
        ("7 gio toi", time(19, 0)),
        ("19h tối", time(19, 0)),
    ],
)
def test_parse_time_accepts(text: str, expected: time) -> None:
    """Hour marks h, g, giờ and colon parse, with optional minutes and part of the day."""
    assert parse_time(text) == expected


@pytest.mark.parametrize(("text", "shown"), [("24h", "24:00"), ("25:00", "25:00"), ("19h60", "19:60")])
def test_parse_time_refuses_impossible_time(text: str, shown: str) -> None:
    """An hour over 23 or a minute over 59 is refused, naming it and the format."""
    reason = refusal(lambda: parse_time(text))
    assert f"Không có giờ {shown}" in reason
    assert "ví dụ 19:30 hoặc 19h30" in reason


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("19h sáng", "19 giờ không thuộc buổi sáng"),
        ("7 giờ chiều", "7 giờ không thuộc buổi chiều"),
        ("12 giờ tối", "12 giờ không thuộc buổi tối"),
    ],
)
def test_parse_time_refuses_hour_outside_part_of_day(text: str, said: str) -> None:
    """An hour that contradicts sáng/trưa/chiều/tối is refused instead of guessed."""
    reason = refusal(lambda: parse_time(text))
    assert said in reason
    assert "ví dụ 19:30" in reason


@pytest.mark.parametrize("text", ["19", "7", "abc", "", "7:5", "19 30", "h30", "👍"])
def test_parse_time_refuses_unclear_text(text: str) -> None:
    """A bare number or other unclear text is refused with the hh:mm format."""
    reason = refusal(lambda: parse_time(text))
    assert "ví dụ 19:30 hoặc 19h30" in reason


# parse_int


@pytest.mark.parametrize(
    ("text", "bounds", "expected"),
    [
        ("5", {}, 5),
        (" 12 ", {}, 12),
        ("12.", {}, 12),
        ("-3", {}, -3),
        ("+4", {}, 4),
        ("50.000", {}, 50_000),
        ("1.000.000", {}, 1_000_000),
        ("7", {"minimum": 1, "maximum": 10}, 7),
        ("1", {"minimum": 1, "maximum": 10}, 1),
        ("10", {"minimum": 1, "maximum": 10}, 10),
    ],
)
def test_parse_int_accepts(text: str, bounds: dict[str, int], expected: int) -> None:
    """Whole numbers parse, with dots as Vietnamese thousands separators."""
    assert parse_int(text, **bounds) == expected


@pytest.mark.parametrize(
    ("text", "bounds", "phrase"),
    [
        ("0", {"minimum": 1, "maximum": 10}, "từ 1 đến 10"),
        ("11", {"minimum": 1, "maximum": 10}, "từ 1 đến 10"),
        ("0", {"minimum": 1}, "từ 1 trở lên"),
        ("51", {"maximum": 50}, "không quá 50"),
    ],
)
def test_parse_int_refuses_out_of_range(text: str, bounds: dict[str, int], phrase: str) -> None:
    """A number outside the bounds is refused, naming it and the allowed range."""
    reason = refusal(lambda: parse_int(text, **bounds))
    assert f"Số {int(text)} nằm ngoài" in reason
    assert phrase in reason


@pytest.mark.parametrize("text", ["abc", "", "5a", "1,5", "1.5", "12 người", "mười", "1" * 16, "👍"])
def test_parse_int_refuses_non_numbers(text: str) -> None:
    """Text that is not a whole number is refused, asking for digits within the range."""
    reason = refusal(lambda: parse_int(text, minimum=1, maximum=10))
    assert "chỉ gõ chữ số" in reason
    assert "từ 1 đến 10" in reason


# parse_number_list


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2, 5, 7", [2, 5, 7]),
        ("2 5 7", [2, 5, 7]),
        ("2;5;7", [2, 5, 7]),
        ("2,5,7.", [2, 5, 7]),
        ("2-4", [2, 3, 4]),
        ("2 - 4", [2, 3, 4]),
        ("2–4", [2, 3, 4]),
        ("4-2", [2, 3, 4]),
        ("2 và 5", [2, 5]),
        ("2 va 5", [2, 5]),
        ("1-3, 5 và 7", [1, 2, 3, 5, 7]),
        ("7, 2, 2, 5", [2, 5, 7]),
        ("1", [1]),
        ("1-7", [1, 2, 3, 4, 5, 6, 7]),
    ],
)
def test_parse_number_list_accepts(text: str, expected: list[int]) -> None:
    """Commas, spaces, semicolons, "và" and ranges give sorted unique numbers."""
    assert parse_number_list(text, maximum=7) == expected


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("0", "số 0 "),
        ("8", "số 8 "),
        ("2, 9, 10", "số 9, 10 "),
        ("5-9", "số 9 "),
        ("0-3, 12", "số 0, 12 "),
    ],
)
def test_parse_number_list_refuses_numbers_out_of_range(text: str, named: str) -> None:
    """Numbers outside 1..maximum are refused, naming each and the valid range."""
    reason = refusal(lambda: parse_number_list(text, maximum=7))
    assert named in reason
    assert "từ 1 đến 7" in reason


@pytest.mark.parametrize("text", ["", "   ", ",", "và"])
def test_parse_number_list_refuses_empty(text: str) -> None:
    """An answer without numbers is refused, explaining how to list them."""
    reason = refusal(lambda: parse_number_list(text, maximum=7))
    assert "chưa nhập số nào" in reason
    assert "từ 1 đến 7" in reason


@pytest.mark.parametrize("text", ["abc", "2, x", "2.5", "-3", "2--4", "hai", "👍"])
def test_parse_number_list_refuses_unclear_text(text: str) -> None:
    """Text other than numbers and separators is refused, explaining how to list them."""
    reason = refusal(lambda: parse_number_list(text, maximum=7))
    assert "từ 1 đến 7, cách nhau bằng dấu phẩy" in reason


# is_none_answer


@pytest.mark.parametrize(
    "text",
    [
        "không",
        "khong",
        "Không ai",
        "khong ai",
        "không có",
        "khong co",
        "không có ai",
        "không có gì",
        "không ai cả",
        "ko",
        "KO",
        "k",
        "kg",
        "0",
        "không.",
        "dạ không ạ",
    ],
)
def test_is_none_answer_true(text: str) -> None:
    """Answers meaning "nobody" or "nothing" are recognised, with or without diacritics."""
    assert is_none_answer(text)


@pytest.mark.parametrize("text", ["2", "có", "abc", "", "không biết", "Hồng", "00", "👍"])
def test_is_none_answer_false(text: str) -> None:
    """Other answers, including "không biết" and a name like "Hồng", are not "nobody"."""
    assert not is_none_answer(text)


# match_choice


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 0),
        (" 2. ", 1),
        ("3", 2),
        ("Thường kỳ", 0),
        ("thường kỳ", 0),
        ("THƯỜNG KỲ", 0),
        ("thuong ky", 0),
        ("thuong  ky.", 0),
        ("Chuyên đề", 1),
        ("chuyen", 1),
        ("Chuyên", 1),
        ("thu", 0),
        ("dot", 2),
        ("đột xuất", 2),
    ],
)
def test_match_choice_accepts(text: str, expected: int) -> None:
    """A 1-based number, the label, the label without diacritics or a 3+ letter prefix picks it."""
    assert match_choice(text, CHOICES) == expected


@pytest.mark.parametrize(
    ("labels", "text", "expected"),
    [
        (("2015", "2016"), "2016", 1),
        (("2015", "2016"), "2", 1),
        (("Ba", "Bà"), "Bà", 1),
        (("Ba", "Bà"), "BA", 0),
    ],
)
def test_match_choice_prefers_exact_label(labels: Sequence[str], text: str, expected: int) -> None:
    """An exact label beats the number reading and the diacritic-free reading."""
    assert match_choice(text, labels) == expected


@pytest.mark.parametrize("text", ["4", "0", "abc", "", "ch", "xuất sắc", "👍"])
def test_match_choice_refuses_unknown(text: str) -> None:
    """An answer naming no choice is refused, listing the numbered choices."""
    reason = refusal(lambda: match_choice(text, CHOICES))
    assert CHOICE_LIST in reason


@pytest.mark.parametrize(("labels", "text"), [(("Chi bộ 1", "Chi bộ 2"), "chi bo"), (("Ba", "Bà"), "bá")])
def test_match_choice_refuses_ambiguous(labels: Sequence[str], text: str) -> None:
    """An answer matching several choices is refused, listing them to pick by number."""
    reason = refusal(lambda: match_choice(text, labels))
    assert "khớp với nhiều mục" in reason
    assert f"1. {labels[0]}; 2. {labels[1]}" in reason


# Across parsers

PARSERS: dict[str, Callable[[str], object]] = {
    "date": lambda text: parse_date(text, TODAY),
    "month": lambda text: parse_month(text, TODAY),
    "quarter": lambda text: parse_quarter(text, TODAY),
    "time": parse_time,
    "int": lambda text: parse_int(text, minimum=1, maximum=100),
    "number_list": lambda text: parse_number_list(text, maximum=7),
    "choice": lambda text: match_choice(text, CHOICES),
}


@pytest.mark.parametrize("name", PARSERS)
@pytest.mark.parametrize("text", LONG_TEXTS, ids=["letters", "digits", "slashes", "words", "emoji"])
def test_parsers_refuse_long_text_quickly(name: str, text: str) -> None:
    """A 10,000-character paste is refused at once with a short reason, never parsed or hung on."""
    started = clock.perf_counter()
    reason = refusal(lambda: PARSERS[name](text))
    assert clock.perf_counter() - started < 0.5
    assert len(reason) < 300


@pytest.mark.parametrize("text", LONG_TEXTS, ids=["letters", "digits", "slashes", "words", "emoji"])
def test_is_none_answer_rejects_long_text(text: str) -> None:
    """A 10,000-character paste is not a "nobody" answer."""
    assert not is_none_answer(text)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("date", "31/2"),
        ("date", "5/13"),
        ("date", "abc"),
        ("date", "hôm kìa"),
        ("month", "13"),
        ("month", "abc"),
        ("quarter", "quý 5"),
        ("quarter", "abc"),
        ("time", "25h"),
        ("time", "19h sáng"),
        ("time", "abc"),
        ("int", "0"),
        ("int", "abc"),
        ("number_list", ""),
        ("number_list", "9"),
        ("number_list", "abc"),
        ("choice", "abc"),
        ("choice", "chi"),
    ],
)
def test_reasons_are_formal_vietnamese(name: str, text: str) -> None:
    """Every reason addresses the user as "đồng chí", is NFC text and has no emoji."""
    reason = refusal(lambda: PARSERS[name](text))
    assert "đồng chí" in reason.lower()
    assert reason == unicodedata.normalize("NFC", reason)
    assert all(ord(char) < 0x2000 or char in "“”" for char in reason)


@pytest.mark.parametrize(
    ("labels", "text"),
    [
        (("Ốm", "Đi công tác", "Không có lý do"), "khong"),
        (("Ốm", "Đi công tác", "Không có lý do"), "ko"),
        (("Chi bộ 12", "Chi bộ 5"), "chi bo 1"),
        (("Bù quý III", "Bù tháng 8"), "bu quy ii"),
    ],
)
def test_match_choice_takes_no_prefix_that_changes_the_meaning(labels: Sequence[str], text: str) -> None:
    """A bare «không», or a prefix cut inside a number or Roman numeral, picks no choice."""
    with pytest.raises(ParseError):
        match_choice(text, labels)


def test_match_choice_lists_only_the_choices_that_fit() -> None:
    """An ambiguous answer lists the fitting choices under their own numbers."""
    reason = refusal(lambda: match_choice("chi bo", ["Đảng ủy", "Chi bộ 1", "Chi bộ 2"]))
    assert "2. Chi bộ 1; 3. Chi bộ 2" in reason and "Đảng ủy" not in reason


def test_number_list_keeps_the_numbers_on_the_list() -> None:
    """«5, 31, 40» out of 30 is read in part: 5 is valid, 31 and 40 are not."""
    with pytest.raises(NumbersPartlyOutOfRange) as raised:
        parse_number_list("5, 31, 40", 30)
    assert (raised.value.valid, raised.value.invalid) == ([5], [31, 40])


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("15/9", date(2015, 12, 2), date(2016, 9, 15)),
        ("28/2", date(2015, 12, 2), date(2016, 2, 28)),
        ("29/2", date(2015, 12, 2), date(2016, 2, 29)),
        ("2/12", date(2015, 12, 2), date(2015, 12, 2)),
        ("20/12", date(2015, 12, 2), date(2015, 12, 20)),
        ("15/9/2015", date(2015, 12, 2), date(2015, 9, 15)),
        ("hôm qua", date(2015, 12, 2), date(2015, 12, 1)),
    ],
)
def test_parse_coming_date_reads_a_passed_day_as_next_years(text: str, today: date, expected: date) -> None:
    """A day and month without a year that have passed are next year's; a typed year is kept."""
    assert parse_coming_date(text, today) == expected


def test_parse_coming_date_refuses_a_typed_impossible_day() -> None:
    """«29/2/2015» stays refused: 2015 has no 29 February."""
    reason = refusal(lambda: parse_coming_date("29/2/2015", date(2015, 12, 2)))
    assert "Ngày 29/02/2015 không có thật" in reason

"""Turn what users type (dates, months, quarters, times, numbers, choices) into values.

Users often type Vietnamese without diacritics, so every parser matches on `normalize`d
text. Parsers never guess: anything unclear raises `ParseError`, whose `reason` tells the
user in Vietnamese what to type instead. Range checks that depend on context (a date in
the future, a year too far back) are left to callers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, time, timedelta

from domain.digest import MONTH, QUARTER, YEAR, Period
from domain.words import normalize
from texts import digest as t
from texts import parsing as texts


class ParseError(ValueError):
    """Signal an answer that could not be understood; `reason` says what to type instead."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _clean(text: str) -> str:
    """Normalize text and drop the punctuation people end a short answer with."""
    # Only trailing: a leading "." or "," could be part of a number such as ".5".
    return normalize(text).rstrip(" .,;:!?")


def _strip_courtesy(cleaned: str) -> str:
    """Drop the polite "dạ" before and "ạ" after a short answer."""
    words = cleaned.split(" ")
    if len(words) > 1 and words[0] == "da":
        words = words[1:]
    if len(words) > 1 and words[-1] == "a":
        words = words[:-1]
    return " ".join(words)


def _shift_period(year: int, index: int, delta: int, per_year: int) -> tuple[int, int]:
    """Move a 1-based month or quarter by `delta` periods, carrying into the year."""
    shifted_year, shifted_index = divmod(year * per_year + index - 1 + delta, per_year)
    return shifted_year, shifted_index + 1


# Years the bot keeps: the Party's founding to a bound that no meeting will pass; year 0 or 9999
# would be accepted by `date` and break later arithmetic.
FIRST_YEAR = 1930
LAST_YEAR = 2100


class YearOutOfRange(ParseError):
    """A year outside FIRST_YEAR..LAST_YEAR: the answer was read, and its year is refused."""


def check_year(year: int) -> int:
    """Return a year within the years the bot keeps, refusing any other with the range."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise YearOutOfRange(texts.year_out_of_range(year, FIRST_YEAR, LAST_YEAR))
    return year


# re.ASCII keeps \d to 0-9: int() would also accept Arabic-Indic and other digits.
_YEAR_SEPARATOR = r"(?:\s*,?\s*nam\s*|\s*[/.,-]\s*|\s+)"
_DAY_PREFIX = r"(?:ngay\s*)?(?:(?:mung|mong)\s*)?"
_NUMERIC_DATE = re.compile(
    _DAY_PREFIX + r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}|\d{2}))?", re.ASCII
)
_WORDED_DATE = re.compile(
    _DAY_PREFIX + r"(\d{1,2})\s*thang\s*(\d{1,2})(?:" + _YEAR_SEPARATOR + r"(\d{4}|\d{2}))?",
    re.ASCII,
)
_RELATIVE_DAYS = {"hom nay": 0, "hom qua": -1, "hom kia": -2, "mai": 1}


def parse_date(text: str, today: date) -> date:
    """Parse a day-first date ("5/9", "05/09/2015", "ngày 5 tháng 9", "hôm qua")."""
    return _read_date(text, today)[0]


def parse_coming_date(text: str, today: date) -> date:
    """Parse a date that lies ahead: a day and month without a year, passed this year, are next year's.

    "15/9" typed in December is next September. A date given with its year is kept as typed, so
    the caller can refuse one that has passed.
    """
    try:
        day, year_given = _read_date(text, today)
    except ParseError as refused:
        # "29/2" typed in a year without that day names next year's, when next year has it.
        try:
            day, year_given = _read_date(text, date(today.year + 1, 1, 1))
        except ParseError:
            raise refused from None
        if year_given:
            raise
        return day
    if year_given or day >= today:
        return day
    try:
        return day.replace(year=check_year(day.year + 1))
    except ValueError:
        raise ParseError(texts.impossible_date(day.day, day.month, day.year + 1, today)) from None


def _read_date(text: str, today: date) -> tuple[date, bool]:
    """Parse a day-first date, telling whether it fixed its own year (a year typed, or «hôm qua»)."""
    cleaned = _clean(text)
    offset = _RELATIVE_DAYS.get(cleaned.removeprefix("ngay "))
    if offset is not None:
        # Without diacritics "hom kia" can only mean "hôm kia"; "hôm kìa" is two days
        # ago in some regions and three in others.
        if "kìa" in unicodedata.normalize("NFC", text.lower()):
            raise ParseError(texts.date_hom_kia_ambiguous(today))
        return today + timedelta(days=offset), True
    match = _NUMERIC_DATE.fullmatch(cleaned) or _WORDED_DATE.fullmatch(cleaned)
    if match is None:
        raise ParseError(texts.date_unreadable(today))
    day, month, year_digits = int(match[1]), int(match[2]), match[3]
    if year_digits is None:
        year = today.year
    elif len(year_digits) == 2:
        year = 2000 + int(year_digits)
    else:
        year = int(year_digits)
    if not 1 <= month <= 12:
        raise ParseError(texts.no_such_month_in_date(month, today))
    check_year(year)
    try:
        return date(year, month, day), year_digits is not None
    except ValueError:
        raise ParseError(texts.impossible_date(day, month, year, today)) from None


_RELATIVE_PERIODS = {"nay": 0, "truoc": -1, "roi": -1, "sau": 1, "toi": 1}
_RELATIVE_WORDS = "(" + "|".join(_RELATIVE_PERIODS) + ")"
_RELATIVE_MONTH = re.compile(r"thang " + _RELATIVE_WORDS)
# Only four-digit years: "8/15" could be a month and year or a day and month.
_MONTH = re.compile(r"(?:thang\s*|t\s*)?(\d{1,2})(?:" + _YEAR_SEPARATOR + r"(\d{4}))?", re.ASCII)


def parse_month(text: str, today: date) -> tuple[int, int]:
    """Parse a month ("8/2015", "tháng 8", "T8/2015", "tháng trước") into (year, month)."""
    cleaned = _clean(text)
    relative = _RELATIVE_MONTH.fullmatch(cleaned)
    if relative is not None:
        return _shift_period(today.year, today.month, _RELATIVE_PERIODS[relative[1]], 12)
    match = _MONTH.fullmatch(cleaned)
    if match is None:
        raise ParseError(texts.month_unreadable(today))
    month = int(match[1])
    if not 1 <= month <= 12:
        raise ParseError(texts.no_such_month(month, today))
    return (today.year if match[2] is None else check_year(int(match[2]))), month


_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_RELATIVE_QUARTER = re.compile(r"quy " + _RELATIVE_WORDS)
# Roman numerals need the "quý" or "Q" in front: a lone "i" is more likely a slip.
_QUARTER = re.compile(
    r"(?:(?:quy|q)\s*(iv|i{1,3})|(?:quy\s*|q\s*)?(\d{1,2}))(?:" + _YEAR_SEPARATOR + r"(\d{4}))?",
    re.ASCII,
)


def parse_quarter(text: str, today: date) -> tuple[int, int]:
    """Parse a quarter ("quý 3", "quy III", "Q3/2015", "quý trước") into (year, quarter)."""
    cleaned = _clean(text)
    current = (today.month - 1) // 3 + 1
    relative = _RELATIVE_QUARTER.fullmatch(cleaned)
    if relative is not None:
        return _shift_period(today.year, current, _RELATIVE_PERIODS[relative[1]], 4)
    match = _QUARTER.fullmatch(cleaned)
    if match is None:
        raise ParseError(texts.quarter_unreadable(today))
    quarter = _ROMAN_QUARTERS[match[1]] if match[1] else int(match[2])
    if not 1 <= quarter <= 4:
        raise ParseError(texts.no_such_quarter(quarter, today))
    return (today.year if match[3] is None else check_year(int(match[3]))), quarter


# A bare "19" is refused on purpose: "7" alone could be morning or evening.
_TIME = re.compile(
    r"(?:luc\s*)?(\d{1,2})\s*(?:(?:gio|h|g)\s*(?:(\d{1,2})\s*(?:phut|p)?|(ruoi))?|[:.](\d{2}))"
    r"(?:\s*(sang|trua|chieu|toi))?",
    re.ASCII,
)
_DAY_PERIOD_HOURS = {
    "sang": range(12),
    "trua": range(11, 14),
    "chieu": range(12, 19),
    "toi": range(18, 24),
}


def parse_time(text: str) -> time:
    """Parse a clock time ("19h", "19h30", "19:30", "7 giờ 30", "7g30", "7 giờ tối")."""
    match = _TIME.fullmatch(_clean(text))
    if match is None:
        raise ParseError(texts.TIME_UNREADABLE)
    hour = int(match[1])
    minute = 30 if match[3] else int(match[2] or match[4] or 0)
    if hour > 23 or minute > 59:
        raise ParseError(texts.impossible_time(hour, minute))
    period = match[5]
    if period is None:
        return time(hour, minute)
    # "7 giờ tối" is 19:00 and "19 giờ tối" too; "7 giờ chiều" fits neither reading.
    for candidate in (hour, hour + 12):
        if candidate in _DAY_PERIOD_HOURS[period]:
            return time(candidate, minute)
    raise ParseError(texts.hour_outside_day_period(hour, period))


# Dots group thousands in Vietnamese ("50.000"); the digit cap keeps int() cheap on
# pasted walls of digits.
_INTEGER = re.compile(r"[+-]?(?:\d{1,15}|\d{1,3}(?:\.\d{3}){1,4})", re.ASCII)


def parse_int(text: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Parse a whole number ("12", "-3", "50.000") and check it against optional bounds."""
    cleaned = _clean(text)
    if _INTEGER.fullmatch(cleaned) is None:
        raise ParseError(texts.int_unreadable(minimum, maximum))
    value = int(cleaned.replace(".", ""))
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ParseError(texts.int_out_of_range(value, minimum, maximum))
    return value


_DASHES = re.compile(r"\s*[-–—]\s*")
_LIST_SEPARATORS = re.compile(r"[\s,;]+")
_LIST_ITEM = re.compile(r"(\d{1,9})(?:-(\d{1,9}))?", re.ASCII)


def parse_number_list(text: str, maximum: int) -> list[int]:
    """Parse 1-based item numbers ("2, 5, 7", "2 5 7", "2-4", "2 và 5") into a sorted list."""
    cleaned = _DASHES.sub("-", _clean(text))
    tokens = [token for token in _LIST_SEPARATORS.split(cleaned) if token and token != "va"]  # noqa: S105 - the word "và"
    if not tokens:
        raise ParseError(texts.number_list_empty(maximum))
    spans: list[tuple[int, int]] = []
    for token in tokens:
        match = _LIST_ITEM.fullmatch(token)
        if match is None:
            raise ParseError(texts.number_list_unreadable(maximum))
        first, last = int(match[1]), int(match[2] or match[1])
        spans.append((min(first, last), max(first, last)))
    # Checking the ends before expanding keeps "1-999999999" from building a huge list.
    bad = sorted({end for span in spans for end in span if not 1 <= end <= maximum})
    good = sorted({n for low, high in spans if low >= 1 and high <= maximum for n in range(low, high + 1)})
    if bad and good:
        raise NumbersPartlyOutOfRange(good, bad, maximum)
    if bad:
        raise ParseError(texts.numbers_out_of_range(bad, maximum))
    return good


class NumbersPartlyOutOfRange(ParseError):
    """A list of item numbers some of which are in the list (`valid`) and some not (`invalid`)."""

    def __init__(self, valid: list[int], invalid: list[int], maximum: int) -> None:
        super().__init__(texts.numbers_out_of_range(invalid, maximum))
        self.valid = valid
        self.invalid = invalid


_NEGATIONS = ("khong", "ko", "k", "kg", "khg")
# "0" counts as "nobody": it is never a valid 1-based item number, so it cannot hide a
# real pick. Southern "hông" is left out because it reads as the name "Hồng".
_NONE_ANSWERS = frozenset(
    {
        negation + middle + end
        for negation in _NEGATIONS
        for middle in ("", " ai", " co", " co ai", " co gi")
        for end in ("", " ca")
    }
    | {"0"}
)


def is_number(text: str, digits: int = 9) -> bool:
    """Tell whether text is a plain number in 0-9 of at most `digits` digits.

    `str.isdigit` also accepts "²" and "①", which `int` refuses, and a very long number is
    refused by `int` too; this is the test to pass before `int(text)`.
    """
    return 0 < len(text) <= digits and text.isascii() and text.isdecimal()


def is_none_answer(text: str) -> bool:
    """Tell whether an answer means "nobody" or "nothing" ("không", "ko ai", "không có", "0")."""
    return _strip_courtesy(_clean(text)) in _NONE_ANSWERS


def is_nobody_answer(text: str) -> bool:
    """Tell whether an answer says "nobody" ("không ai", "ko có ai", "0") rather than "nothing"."""
    cleaned = _strip_courtesy(_clean(text))
    return cleaned in _NONE_ANSWERS and (cleaned == "0" or " ai" in cleaned)


def _fold(text: str) -> str:
    """Lowercase text and collapse its whitespace, keeping diacritics."""
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def _single_match(indexes: list[int], labels: Sequence[str]) -> int | None:
    """Return the only matching index, None if none matched, or refuse several, listing those."""
    if len(indexes) > 1:
        raise ParseError(texts.choice_ambiguous([(i + 1, labels[i]) for i in indexes]))
    return indexes[0] if indexes else None


# A typed prefix ending in a number or a Roman numeral must end where a label's word ends:
# "chi bo 1" is not "Chi bộ 12", "bu quy ii" is not "bù quý III".
_COUNTING_TAIL = re.compile(r"(?:^|\s)(?:\d+|[ivxlc]+)$", re.ASCII)


def _names_by_prefix(cleaned: str, label: str) -> bool:
    """Tell whether a typed prefix stands for the label without changing what it says."""
    if not label.startswith(cleaned) or len(cleaned) < 3:
        return False
    rest = label[len(cleaned) :]
    return not (rest[:1].isalnum() and _COUNTING_TAIL.search(cleaned))


def match_choice(text: str, labels: Sequence[str]) -> int:
    """Return the 0-based index of the choice the answer names, by number, label or prefix."""
    # The exact label goes first so that labels that are themselves numbers ("2015") or
    # differ only by diacritics ("Ba", "Bà") can still be picked by name.
    folded = _fold(text)
    exact = _single_match([i for i, label in enumerate(labels) if _fold(label) == folded], labels)
    if exact is not None:
        return exact
    cleaned = _clean(text)
    if re.fullmatch(r"\d{1,9}", cleaned, re.ASCII):
        number = int(cleaned)
        if 1 <= number <= len(labels):
            return number - 1
        raise ParseError(texts.choice_unknown(labels))
    bare_labels = [_clean(label) for label in labels]
    bare = _single_match([i for i, label in enumerate(bare_labels) if label == cleaned], labels)
    if bare is not None:
        return bare
    # «không» is no prefix of «Không có lý do»: a bare "no" must not pick the choice that says no.
    if not is_none_answer(text):
        prefix = [i for i, label in enumerate(bare_labels) if _names_by_prefix(cleaned, label)]
        chosen = _single_match(prefix, labels)
        if chosen is not None:
            return chosen
    raise ParseError(texts.choice_unknown(labels))


_YEAR_ONLY = re.compile(r"(?:nam\s*)?(\d{4})", re.ASCII)
_RELATIVE_YEARS = {"nam nay": 0, "nam truoc": -1, "nam ngoai": -1}


def parse_period(text: str, today: date) -> Period:
    """Parse "8/2015", "tháng 8", "quý 3", "quý III/2015", "2015", "năm 2015", "năm nay" into a period."""
    cleaned = normalize(text).rstrip(" .")
    if cleaned in _RELATIVE_YEARS:
        return Period(YEAR, today.year + _RELATIVE_YEARS[cleaned], 1)
    year = _YEAR_ONLY.fullmatch(cleaned)
    if year is not None:
        return Period(YEAR, check_year(int(year[1])), 1)
    if cleaned.startswith(("quy", "q")):
        return Period(QUARTER, *parse_quarter(cleaned, today))
    try:
        return Period(MONTH, *parse_month(cleaned, today))
    except YearOutOfRange:
        raise
    except ParseError:
        raise ParseError(t.PERIOD_UNREADABLE) from None

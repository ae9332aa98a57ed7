"""Monthly meetings: their kinds, quarters, and which month a report is most likely about."""

from __future__ import annotations

import calendar
from datetime import date

from domain.calendar import previous_month

REGULAR = "regular"
THEMATIC = "thematic"
COMBINED = "combined"
KINDS = (REGULAR, THEMATIC, COMBINED)
# A combined meeting is the regular one and the quarter's thematic one at once.
THEMATIC_KINDS = frozenset({THEMATIC, COMBINED})

# Reports older than this are for the archive, not for a chat on a phone.
MAX_MONTHS_BACK = 24


def quarter_of(month: int) -> int:
    """Return the quarter (1–4) a month falls in."""
    return (month - 1) // 3 + 1


def month_index(year: int, month: int) -> int:
    """Return a month as a count of months, so months can be compared and subtracted."""
    return year * 12 + month - 1


def month_days(year: int, month: int) -> tuple[date, date]:
    """Return the first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def default_report_month(today: date, previous_filed: bool) -> tuple[int, int]:
    """Return the month a report is probably about: the month just past, or this one once that is filed."""
    if previous_filed:
        return today.year, today.month
    return previous_month(today)


def months_ago(today: date, year: int, month: int) -> int:
    """Return how many months before today's month a month is (negative for a future month)."""
    return month_index(today.year, today.month) - month_index(year, month)


# The guidance asks a meeting to last at least 90 minutes, 120 when it is also the thematic one.
MIN_MINUTES = 90
MIN_MINUTES_COMBINED = 120


def minimum_minutes(kind: str) -> int:
    """Return how long the guidance asks a meeting of a kind to last, in minutes."""
    return MIN_MINUTES_COMBINED if kind == COMBINED else MIN_MINUTES


def duration_minutes(start: str, end: str) -> int:
    """Return the minutes from a start "HH:MM" to an end "HH:MM" of the same day."""
    (start_hour, start_minute), (end_hour, end_minute) = (map(int, t.split(":")) for t in (start, end))
    return (end_hour * 60 + end_minute) - (start_hour * 60 + start_minute)


# Candidate members take part in the meeting but do not vote on its resolution.
FULL_MEMBER = "full"

"""The periods a page can show, named in its address as a Period's key: «2026-02», «2026-q1», «2026»."""

from __future__ import annotations

import re
from datetime import date

from domain.digest import MONTH, QUARTER, YEAR, Period, report_month
from domain.meetings import month_index, quarter_of

_KEY = re.compile(r"(\d{4})(?:-(\d{2})|-q([1-4]))?", re.ASCII)
# What the period list offers: the months, quarters and years a desk looks back over.
MONTHS_BACK = 12
QUARTERS_BACK = 4
YEARS_BACK = 2


def choices(today: date) -> list[Period]:
    """Return the periods offered: the report month and the eleven before it, four quarters, two years."""
    last = report_month(today)
    newest = month_index(last.year, last.index)
    months = [Period(MONTH, *_month_of(newest - back)) for back in range(MONTHS_BACK)]
    quarter = (today.year, quarter_of(today.month))
    quarters = []
    for _ in range(QUARTERS_BACK):
        quarters.append(Period(QUARTER, *quarter))
        quarter = (quarter[0] - 1, 4) if quarter[1] == 1 else (quarter[0], quarter[1] - 1)
    years = [Period(YEAR, today.year - back, 1) for back in range(YEARS_BACK)]
    return months + quarters + years


def _month_of(index: int) -> tuple[int, int]:
    """Return the (year, month) of a month index."""
    year, month = divmod(index, 12)
    return year, month + 1


def chosen(key: str | None, today: date) -> Period:
    """Return the period an address names, or the report month when it names none of those offered."""
    offered = choices(today)
    match = _KEY.fullmatch(key or "")
    if match is None:
        return offered[0]
    year = int(match[1])
    if match[2]:
        period = Period(MONTH, year, int(match[2]))
    elif match[3]:
        period = Period(QUARTER, year, int(match[3]))
    else:
        period = Period(YEAR, year, 1)
    return period if period in offered else offered[0]

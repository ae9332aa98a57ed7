"""Inspection readiness: what a cell still lacks before its working session, from its own data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.calendar import ReminderSettings, report_deadline
from domain.meetings import quarter_of


@dataclass(frozen=True)
class Readiness:
    """The readiness checklist of one cell for one inspection."""

    months_without_report: tuple[tuple[int, int], ...]
    quarters_without_thematic: tuple[tuple[int, int], ...]
    members_without_pledge: tuple[str, ...]
    members_with_vague_items: tuple[str, ...]
    stale_items: int
    self_report_missing: bool

    @property
    def complete(self) -> bool:
        """Tell whether nothing is missing."""
        return not (
            self.months_without_report
            or self.quarters_without_thematic
            or self.members_without_pledge
            or self.members_with_vague_items
            or self.stale_items
            or self.self_report_missing
        )


def months_between(start: date, end: date) -> list[tuple[int, int]]:
    """Return every (year, month) from start's month to end's month."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _quarter_over(year: int, quarter: int, today: date) -> bool:
    """Tell whether a quarter has ended before today."""
    return (year, quarter) < (today.year, quarter_of(today.month))


def readiness(
    *,
    period_start: date,
    period_end: date,
    today: date,
    submitted_months: set[tuple[int, int]],
    thematic_quarters: set[tuple[int, int]],
    members_without_pledge: list[str],
    members_with_vague_items: list[str],
    stale_items: int,
    self_report_filed: bool,
    settings: ReminderSettings,
) -> Readiness:
    """Compute the checklist: only reports past their deadline and quarters already over count."""
    months = [
        (y, m) for y, m in months_between(period_start, period_end) if report_deadline(y, m, settings) < today
    ]
    quarters = sorted({(y, quarter_of(m)) for y, m in months_between(period_start, period_end)})
    return Readiness(
        months_without_report=tuple(m for m in months if m not in submitted_months),
        quarters_without_thematic=tuple(
            q for q in quarters if _quarter_over(*q, today) and q not in thematic_quarters
        ),
        members_without_pledge=tuple(members_without_pledge),
        members_with_vague_items=tuple(members_with_vague_items),
        stale_items=stale_items,
        self_report_missing=not self_report_filed,
    )

"""Digest rules: the period asked for, each month's report standing, and which cells need attention."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any, NamedTuple

from domain.attendance import GOOD_QUALITY_RATE
from domain.calendar import ReminderSettings, _time, at_local, previous_month, report_deadline
from domain.meetings import month_days, quarter_of
from domain.readiness import months_between

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
NOT_DUE = "not_due"

# An inspection this close with something still missing puts the cell on the attention list.
INSPECTION_WARNING_DAYS = 14

WEEKLY = "digest_weekly"
MONTHLY = "digest_monthly"
CHART = "digest_chart"
# The committee setting naming the group chat that receives the digests: {"channel": …, "chat_id": …}.
DIGEST_CHAT = "digest_chat"


@dataclass(frozen=True)
class Period:
    """A month, a quarter or a year the digest covers."""

    kind: str
    year: int
    index: int

    @property
    def start(self) -> date:
        """Return the first day of the period."""
        if self.kind == MONTH:
            return date(self.year, self.index, 1)
        if self.kind == QUARTER:
            return date(self.year, 3 * self.index - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """Return the last day of the period."""
        if self.kind == MONTH:
            return month_days(self.year, self.index)[1]
        if self.kind == QUARTER:
            return month_days(self.year, 3 * self.index)[1]
        return date(self.year, 12, 31)

    @cached_property
    def months(self) -> list[tuple[int, int]]:
        """Return every (year, month) of the period."""
        return months_between(self.start, self.end)

    @cached_property
    def quarters(self) -> list[tuple[int, int]]:
        """Return every (year, quarter) the period touches."""
        return sorted({(y, quarter_of(m)) for y, m in self.months})

    @property
    def key(self) -> str:
        """Return a short stable name, for outbox keys and file names."""
        if self.kind == MONTH:
            return f"{self.year}-{self.index:02d}"
        if self.kind == QUARTER:
            return f"{self.year}-q{self.index}"
        return str(self.year)


def report_month(today: date) -> Period:
    """Return the month whose reports are being collected: the month just past."""
    return Period(MONTH, *previous_month(today))


class FiledReport(NamedTuple):
    """What the digest needs of one filed report."""

    # A NamedTuple, built cheaply: a province's digest holds one per filed report.
    year: int
    month: int
    kind: str
    late: bool
    revision: int
    expected: int
    present: int
    absent_without_reason: int


@dataclass(frozen=True)
class MonthStanding:
    """Where one cell's report of one month stands."""

    year: int
    month: int
    status: str
    amended: bool
    deadline: date


def month_standing(
    year: int, month: int, filed: Sequence[FiledReport], today: date, settings: ReminderSettings
) -> MonthStanding:
    """Return a month's standing: on time if any report of it was, late, missing once the deadline passed."""
    return standing_by(year, month, report_deadline(year, month, settings), filed, today)


def standing_by(
    year: int, month: int, deadline: date, filed: Sequence[FiledReport], today: date
) -> MonthStanding:
    """Return a month's standing against its report deadline, worked out once for every cell."""
    mine = [r for r in filed if r.month == month and r.year == year]
    amended = any(r.revision > 1 for r in mine)
    if mine:
        status = ON_TIME if any(not r.late for r in mine) else LATE
    else:
        status = MISSING if today > deadline else NOT_DUE
    return MonthStanding(year, month, status, amended, deadline)


@dataclass(frozen=True)
class PledgeFigures:
    """A cell's pledges of a year: members by coverage, items done and overdue."""

    specific: int
    vague: int
    none: int
    items: int
    done: int
    overdue: int


@dataclass(frozen=True)
class InspectionOutlook:
    """A cell's next planned inspection and how many checklist points are still missing."""

    session_on: date
    missing: int


@dataclass(frozen=True)
class CellDigest:
    """Every figure of one cell for one period."""

    cell_id: int
    name: str
    months: tuple[MonthStanding, ...]
    expected: int
    present: int
    absent_without_reason: int
    thematic: tuple[tuple[int, int, bool], ...]
    pledges: PledgeFigures
    open_tasks: int
    overdue_tasks: int
    inspection: InspectionOutlook | None
    attention: tuple[str, ...]

    @property
    def rate(self) -> float | None:
        """Return the attendance rate over the period's filed meetings."""
        return self.present / self.expected if self.expected else None

    def count(self, status: str) -> int:
        """Return how many of the period's months have a report standing."""
        return sum(1 for m in self.months if m.status == status)

    @property
    def amended(self) -> int:
        """Return how many months have an amended report."""
        return sum(1 for m in self.months if m.amended)


# Why a cell needs attention, most serious first; texts name each one.
MISSING_REPORT = "missing_report"
LATE_REPORT = "late_report"
UNEXCUSED_ABSENCE = "unexcused_absence"
LOW_ATTENDANCE = "low_attendance"
NO_THEMATIC = "no_thematic"
INSPECTION_NOT_READY = "inspection_not_ready"
OVERDUE_TASKS = "overdue_tasks"
OVERDUE_ITEMS = "overdue_items"
NO_PLEDGE = "no_pledge"
VAGUE_PLEDGE = "vague_pledge"
ATTENTION_ORDER = (
    MISSING_REPORT,
    INSPECTION_NOT_READY,
    OVERDUE_TASKS,
    LATE_REPORT,
    UNEXCUSED_ABSENCE,
    LOW_ATTENDANCE,
    NO_THEMATIC,
    OVERDUE_ITEMS,
    NO_PLEDGE,
    VAGUE_PLEDGE,
)


def attention(
    *,
    months: Sequence[MonthStanding],
    expected: int,
    present: int,
    absent_without_reason: int,
    thematic: Sequence[tuple[int, int, bool]],
    pledges: PledgeFigures,
    overdue_tasks: int,
    inspection: InspectionOutlook | None,
    today: date,
) -> tuple[str, ...]:
    """Return why a cell needs the committee's attention, most serious first (empty when it does not)."""
    found = set()
    if any(m.status == MISSING for m in months):
        found.add(MISSING_REPORT)
    if any(m.status == LATE for m in months):
        found.add(LATE_REPORT)
    if absent_without_reason:
        found.add(UNEXCUSED_ABSENCE)
    if expected and present / expected <= GOOD_QUALITY_RATE:
        found.add(LOW_ATTENDANCE)
    if any(not held and (y, q) < (today.year, quarter_of(today.month)) for y, q, held in thematic):
        found.add(NO_THEMATIC)
    if (
        inspection is not None
        and inspection.missing
        and (inspection.session_on - today).days <= INSPECTION_WARNING_DAYS
    ):
        found.add(INSPECTION_NOT_READY)
    if overdue_tasks:
        found.add(OVERDUE_TASKS)
    if pledges.overdue:
        found.add(OVERDUE_ITEMS)
    if pledges.none:
        found.add(NO_PLEDGE)
    if pledges.vague:
        found.add(VAGUE_PLEDGE)
    return tuple(reason for reason in ATTENTION_ORDER if reason in found)


def attention_first(cells: Sequence[CellDigest]) -> list[CellDigest]:
    """Order cells: those needing attention first, the most serious and most numerous problems on top."""

    def rank(cell: CellDigest) -> tuple:
        worst = ATTENTION_ORDER.index(cell.attention[0]) if cell.attention else len(ATTENTION_ORDER)
        return (not cell.attention, worst, -len(cell.attention), cell.name)

    return sorted(cells, key=rank)


@dataclass(frozen=True)
class DigestSettings:
    """When digests go out: the weekly day and hour, and the monthly day after the report deadline."""

    weekday: int = 0
    hour: time = time(7, 30)
    report: ReminderSettings = field(default_factory=ReminderSettings)

    @classmethod
    def from_committee(cls, settings: Mapping[str, Any]) -> DigestSettings:
        """Read the digest settings from a committee's settings, defaults where unset."""
        default = cls()
        return cls(
            weekday=int(settings.get("digest_weekday", default.weekday)),
            hour=_time(settings.get("digest_hour"), default.hour),
            report=ReminderSettings.from_committee(settings),
        )


@dataclass(frozen=True)
class DigestSlot:
    """One digest to plan: its kind, its outbox period key, the period it covers, and when it is due."""

    kind: str
    key: str
    period: Period
    due_at: datetime
    until: datetime


# The planners run hourly; a digest is composed within the hour before it is due, so its figures are fresh.
COMPOSE_AHEAD = timedelta(hours=1)


def due_digests(now: datetime, today: date, settings: DigestSettings) -> list[DigestSlot]:
    """Return the digests of today that may be composed now: weekly, and monthly after the deadline."""
    slots = []
    due_at = at_local(today, settings.hour)
    until = at_local(today + timedelta(days=1), time(0, 0))
    if now < due_at - COMPOSE_AHEAD:
        return []
    if today.weekday() == settings.weekday:
        slots.append(DigestSlot(WEEKLY, f"week:{today.isoformat()}", report_month(today), due_at, until))
    month = report_month(today)
    deadline = report_deadline(month.year, month.index, settings.report)
    if today == deadline + timedelta(days=1):
        slots.append(DigestSlot(MONTHLY, f"month:{month.key}", month, due_at, until))
    return slots

"""Digest rules on plain values: a month's report standing, attention points and their order, digest days."""

from __future__ import annotations

from datetime import date, datetime, time

from domain.calendar import ReminderSettings
from domain.clock import LOCAL_TZ
from domain.digest import (
    INSPECTION_NOT_READY,
    LATE,
    LOW_ATTENDANCE,
    MISSING,
    MISSING_REPORT,
    MONTHLY,
    NO_THEMATIC,
    NOT_DUE,
    ON_TIME,
    WEEKLY,
    CellDigest,
    DigestSettings,
    FiledReport,
    InspectionOutlook,
    PledgeFigures,
    attention,
    attention_first,
    due_digests,
    month_standing,
)

SETTINGS = ReminderSettings()
TODAY = date(2015, 9, 10)
NO_PLEDGE_ISSUES = PledgeFigures(specific=5, vague=0, none=0, items=5, done=1, overdue=0)


def filed(month: int, *, late: bool = False, revision: int = 1, kind: str = "regular") -> FiledReport:
    """Return a filed report of 2015 with full attendance."""
    return FiledReport(2015, month, kind, late, revision, expected=20, present=20, absent_without_reason=0)


def test_month_on_time_when_any_report_was() -> None:
    """A regular report on time and a thematic one late make the month on time."""
    standing = month_standing(2015, 8, [filed(8, late=True, kind="thematic"), filed(8)], TODAY, SETTINGS)
    assert standing.status == ON_TIME


def test_month_late_and_amended() -> None:
    """A late report amended once is late and amended."""
    standing = month_standing(2015, 8, [filed(8, late=True, revision=2)], TODAY, SETTINGS)
    assert (standing.status, standing.amended) == (LATE, True)


def test_month_missing_only_after_the_deadline() -> None:
    """Without a report, August is missing after 05/09 and September is not due yet."""
    assert month_standing(2015, 8, [], TODAY, SETTINGS).status == MISSING
    assert month_standing(2015, 8, [], date(2015, 9, 5), SETTINGS).status == NOT_DUE
    assert month_standing(2015, 9, [], TODAY, SETTINGS).status == NOT_DUE


def reasons(**changes: object) -> tuple[str, ...]:
    """Return the attention points of a cell that is fine except for `changes`."""
    values: dict = {
        "months": (month_standing(2015, 8, [filed(8)], TODAY, SETTINGS),),
        "expected": 20,
        "present": 20,
        "absent_without_reason": 0,
        "thematic": ((2015, 3, False),),
        "pledges": NO_PLEDGE_ISSUES,
        "overdue_tasks": 0,
        "inspection": None,
        "today": TODAY,
    }
    values.update(changes)
    return attention(**values)


def test_healthy_cell_needs_no_attention() -> None:
    """A cell on time, fully present, whose current quarter's thematic meeting is still to come, is fine."""
    assert reasons() == ()


def test_attendance_at_the_bar_is_low() -> None:
    """17 of 20 is 85%: not above the good-quality bar."""
    assert LOW_ATTENDANCE in reasons(present=17)
    assert LOW_ATTENDANCE not in reasons(present=18)


def test_past_quarter_without_thematic() -> None:
    """Quarter II over without a thematic meeting is flagged."""
    assert NO_THEMATIC in reasons(thematic=((2015, 2, False),))


def test_inspection_near_and_not_ready() -> None:
    """An inspection in 10 days with points missing is flagged; one in 30 days is not yet."""
    assert INSPECTION_NOT_READY in reasons(inspection=InspectionOutlook(date(2015, 9, 20), 2))
    assert INSPECTION_NOT_READY not in reasons(inspection=InspectionOutlook(date(2015, 10, 10), 2))


def cell(name: str, points: tuple[str, ...]) -> CellDigest:
    """Return a cell with given attention points."""
    return CellDigest(name, name, (), 0, 0, 0, (), NO_PLEDGE_ISSUES, 0, 0, None, points)


def test_most_serious_first_then_most_points_then_name() -> None:
    """A missing report outranks anything; among equals more points come first; healthy cells last."""
    ordered = attention_first(
        [
            cell("A", ()),
            cell("B", (LOW_ATTENDANCE,)),
            cell("C", (MISSING_REPORT,)),
            cell("D", (LOW_ATTENDANCE, NO_THEMATIC)),
        ]
    )
    assert [c.name for c in ordered] == ["C", "D", "B", "A"]


def local(day: date, hour: int, minute: int) -> datetime:
    """Return a local moment."""
    return datetime.combine(day, time(hour, minute), LOCAL_TZ)


def test_digest_days() -> None:
    """Monday 07/09 has the weekly digest, Sunday 06/09 (the day after the deadline) the monthly one."""
    settings = DigestSettings()
    assert [s.kind for s in due_digests(local(date(2015, 9, 7), 7, 5), date(2015, 9, 7), settings)] == [
        WEEKLY
    ]
    assert [s.kind for s in due_digests(local(date(2015, 9, 6), 9, 0), date(2015, 9, 6), settings)] == [
        MONTHLY
    ]
    assert due_digests(local(date(2015, 9, 8), 9, 0), date(2015, 9, 8), settings) == []

"""The reminder calendar: committee settings with defaults, quiet hours, and when each reminder falls."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from domain.clock import LOCAL_TZ, as_utc

MID_YEAR = "mid_year"
YEAR_END = "year_end"


@dataclass(frozen=True)
class ReminderSettings:
    """A committee's reminder settings: offsets, hours, quiet hours and deadlines."""

    inspection_offsets: tuple[int, ...] = (14, 7, 3, 1)
    reminder_hour: time = time(8, 0)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(7, 0)
    report_deadline_day: int = 5
    report_days_before: int = 3
    pledge_review_months: tuple[int, ...] = (6, 11)
    pledge_review_day: int = 15
    remedial_reminder_day: int = 1

    @classmethod
    def from_committee(cls, settings: Mapping[str, Any]) -> ReminderSettings:
        """Read the reminder settings from a committee's settings, defaults where unset."""
        default = cls()
        return cls(
            inspection_offsets=tuple(
                sorted(
                    {int(d) for d in settings.get("inspection_offsets", default.inspection_offsets)},
                    reverse=True,
                )
            ),
            reminder_hour=_time(settings.get("reminder_hour"), default.reminder_hour),
            quiet_start=_time(settings.get("quiet_hours_start"), default.quiet_start),
            quiet_end=_time(settings.get("quiet_hours_end"), default.quiet_end),
            report_deadline_day=int(settings.get("report_deadline_day", default.report_deadline_day)),
            report_days_before=int(settings.get("report_days_before", default.report_days_before)),
            pledge_review_months=tuple(
                int(m) for m in settings.get("pledge_review_months", default.pledge_review_months)
            ),
            pledge_review_day=int(settings.get("pledge_review_day", default.pledge_review_day)),
            remedial_reminder_day=int(settings.get("remedial_reminder_day", default.remedial_reminder_day)),
        )


def _time(value: Any, default: time) -> time:
    """Read a setting written as "HH:MM" (or a bare hour) into a time."""
    if value is None:
        return default
    if isinstance(value, int):
        return time(value, 0)
    hour, _, minute = str(value).partition(":")
    return time(int(hour), int(minute or 0))


def in_quiet_hours(moment: datetime, settings: ReminderSettings) -> bool:
    """Tell whether a moment falls in the quiet hours, when nothing proactive is sent."""
    start, end = settings.quiet_start, settings.quiet_end
    if start == end:
        return False
    local = as_utc(moment).astimezone(LOCAL_TZ).time()
    if start < end:
        return start <= local < end
    return local >= start or local < end


def after_quiet_hours(moment: datetime, settings: ReminderSettings) -> datetime:
    """Return the moment itself, or the end of the quiet hours it falls in."""
    if not in_quiet_hours(moment, settings):
        return moment
    local = as_utc(moment).astimezone(LOCAL_TZ)
    end = datetime.combine(local.date(), settings.quiet_end, LOCAL_TZ)
    if end <= local:
        end += timedelta(days=1)
    return as_utc(end)


def at_local(day: date, hour: time) -> datetime:
    """Return the UTC moment of a local date and hour."""
    return as_utc(datetime.combine(day, hour, LOCAL_TZ))


def start_of_day(day: date) -> datetime:
    """Return the UTC moment a local day begins."""
    return at_local(day, time(0, 0))


@dataclass(frozen=True)
class Stage:
    """One reminder of a series: its key, the day it falls on, and until when it is worth sending."""

    key: str
    day: date
    until: date


def current_stage(stages: Sequence[Stage], today: date) -> Stage | None:
    """Return the latest stage that has fallen and is still worth sending today.

    A stage missed while the bot was down is superseded by a later one rather than sent
    alongside it, so a cell never gets the same reminder several times in one morning.
    """
    fallen = [s for s in stages if s.day <= today < s.until]
    return max(fallen, key=lambda s: s.day) if fallen else None


def inspection_stages(session_on: date, offsets: Sequence[int], planned_on: date) -> list[Stage]:
    """Return the T-n reminders of an inspection, skipping those that fell before it was planned."""
    days = sorted({session_on - timedelta(days=n) for n in offsets if n > 0})
    stages = [Stage(f"T-{(session_on - day).days}", day, session_on) for day in days if day >= planned_on]
    # Each stage gives way to the next, so a restart between two sends only the latest.
    return [
        Stage(s.key, s.day, stages[i + 1].day if i + 1 < len(stages) else s.until)
        for i, s in enumerate(stages)
    ]


def report_deadline(year: int, month: int, settings: ReminderSettings) -> date:
    """Return the deadline of a month's meeting report: day N of the next month."""
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    # A day set past the end of a short month means that month's last day.
    day = min(settings.report_deadline_day, monthrange(next_year, next_month)[1])
    return date(next_year, next_month, day)


def previous_month(today: date) -> tuple[int, int]:
    """Return (year, month) of the month before today's."""
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def report_stages(deadline: date, settings: ReminderSettings) -> list[Stage]:
    """Return the monthly report reminders: N days before the deadline, the day itself, the day after."""
    before = deadline - timedelta(days=settings.report_days_before)
    late = deadline + timedelta(days=1)
    return [
        Stage("before", before, deadline),
        Stage("day", deadline, late),
        Stage("late", late, late + timedelta(days=7)),
    ]


def pledge_review(today: date, settings: ReminderSettings) -> str | None:
    """Return which pledge review to remind of today's month (mid-year or year-end), if any."""
    if today.month not in settings.pledge_review_months or today.day < settings.pledge_review_day:
        return None
    return MID_YEAR if today.month <= 7 else YEAR_END


def reminder_moment(day: date, now: datetime, settings: ReminderSettings) -> datetime:
    """Return when a reminder of `day` is due: at the reminder hour, or now if that has passed."""
    return max(at_local(day, settings.reminder_hour), as_utc(now))


INSPECTION_NOTICE = "inspection_notice"
SELF_REPORT_NOTICE = "inspection_self_report"
CONCLUSION_NOTICE = "inspection_conclusion"
REMEDIAL_UPDATE_NOTICE = "remedial_update"
REMEDIAL_CLOSED_NOTICE = "remedial_closed"
INSPECTION_REMINDER = "inspection_reminder"
REPORT_REMINDER = "report_reminder"
REPORT_LATE = "report_late"
PLEDGE_REVIEW = "pledge_review"
REMEDIAL_REMINDER = "remedial_reminder"
UNDELIVERED = "undelivered"
# A mute never hides an inspection reminder: preparing for the session is not optional.
MUTABLE_KINDS = (REPORT_REMINDER, REPORT_LATE, PLEDGE_REVIEW, REMEDIAL_REMINDER)
SNOOZABLE_KINDS = (INSPECTION_REMINDER, REPORT_REMINDER, PLEDGE_REVIEW, REMEDIAL_REMINDER)

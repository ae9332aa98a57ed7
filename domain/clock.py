"""Time: a clock that tests can set, and the local calendar of Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock(Protocol):
    """Tell the current moment as an aware UTC datetime."""

    def now(self) -> datetime:
        """Return the current moment in UTC."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """Return the current moment in UTC."""
        return datetime.now(UTC)


class ShiftedClock:
    """The real clock moved by a fixed amount, so a bot process can live at a moment a test chose."""

    def __init__(self, shift: timedelta) -> None:
        self.shift = shift

    def now(self) -> datetime:
        """Return the current moment in UTC, moved by the shift."""
        return datetime.now(UTC) + self.shift


def system_clock(shift_seconds: float) -> Clock:
    """Return the machine's clock, moved by `shift_seconds` when a test or demonstration asks."""
    if shift_seconds:
        return ShiftedClock(timedelta(seconds=shift_seconds))
    return SystemClock()


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment.astimezone(UTC)

    def now(self) -> datetime:
        """Return the moment the test set."""
        return self.moment

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self.moment += delta


def local_now(clock: Clock) -> datetime:
    """Return the current moment in local time."""
    return clock.now().astimezone(LOCAL_TZ)


def local_today(clock: Clock) -> date:
    """Return today's local date."""
    return local_now(clock).date()


def as_utc(moment: datetime) -> datetime:
    """Return `moment` as aware UTC; naive values read back from SQLite are UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def fmt_date(day: date) -> str:
    """Format a date the way users write it: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def fmt_datetime(moment: datetime) -> str:
    """Format a moment in local time: HH:MM dd/mm/yyyy."""
    return as_utc(moment).astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y")


def fmt_month(year: int, month: int) -> str:
    """Format a month the way users write it: m/yyyy."""
    return f"{month}/{year}"

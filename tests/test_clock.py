"""The bot's clock: the machine's in production, shifted only where a test asks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from domain.calendar import ReminderSettings
from domain.clock import ShiftedClock, SystemClock, system_clock
from settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_production_settings_run_on_the_machine_clock() -> None:
    """With nothing configured the bot's clock is the machine's, unshifted."""
    settings = Settings(_env_file=None)
    assert settings.clock_shift_seconds == 0
    assert isinstance(system_clock(settings.clock_shift_seconds), SystemClock)


def test_the_example_env_file_leaves_the_clock_alone() -> None:
    """Copying `.env.example` to `.env` gives the machine clock and the default quiet hours."""
    settings = Settings(_env_file=ROOT / ".env.example")
    assert isinstance(system_clock(settings.clock_shift_seconds), SystemClock)


def test_quiet_hours_are_on_by_default() -> None:
    """A committee with no settings keeps nothing proactive from 21:00 to 07:00."""
    quiet = ReminderSettings.from_committee({})
    assert (quiet.quiet_start.hour, quiet.quiet_end.hour) == (21, 7)


def test_a_shift_moves_the_clock_by_that_much() -> None:
    """A clock shifted by ten days reads ten days after the machine's clock."""
    clock = system_clock(timedelta(days=10).total_seconds())
    assert isinstance(clock, ShiftedClock)
    drift = clock.now() - (datetime.now(UTC) + timedelta(days=10))
    assert abs(drift) < timedelta(seconds=5)

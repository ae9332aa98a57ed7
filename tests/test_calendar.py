"""The reporting calendar's plain rules."""

from __future__ import annotations

from datetime import date

from domain.calendar import ReminderSettings, report_deadline


def test_deadline_is_day_n_of_the_next_month() -> None:
    """August's report is due on the 5th of September by default."""
    assert report_deadline(2015, 8, ReminderSettings()) == date(2015, 9, 5)


def test_deadline_crosses_the_year() -> None:
    """December's report is due in January of the next year."""
    assert report_deadline(2015, 12, ReminderSettings()) == date(2016, 1, 5)


def test_deadline_past_a_short_month_falls_on_its_last_day() -> None:
    """A deadline day of 31 means 28 February in 2015 and 29 February in 2016."""
    assert report_deadline(2015, 1, ReminderSettings(report_deadline_day=31)) == date(2015, 2, 28)
    assert report_deadline(2016, 1, ReminderSettings(report_deadline_day=31)) == date(2016, 2, 29)

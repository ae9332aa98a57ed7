"""The committee's reminder settings, changed from the admin command line."""

from __future__ import annotations

import pytest

from admin.commands import AdminError
from admin.demo_data import DemoWard
from admin.reminder_settings import reminder_settings
from domain.calendar import ReminderSettings
from storage import org
from storage.db import Database


async def committee_settings(db: Database) -> ReminderSettings:
    """Return the demo committee's reminder settings."""
    async with db.begin() as conn:
        return ReminderSettings.from_committee((await org.list_committees(conn))[0].settings)


async def test_defaults_are_listed(db: Database, ward: DemoWard) -> None:
    """With no change, the defaults are shown."""
    lines = await reminder_settings(db, None, [])
    assert "inspection_offsets = 14,7,3,1" in lines and "quiet_hours_start = 21:00" in lines


async def test_changes_are_stored(db: Database, ward: DemoWard) -> None:
    """Offsets, hours and the report deadline are changed together."""
    lines = await reminder_settings(
        db, None, ["inspection_offsets=21,7,1", "reminder_hour=7:30", "report_deadline_day=10"]
    )
    assert "reminder_hour = 07:30" in lines
    settings = await committee_settings(db)
    assert settings.inspection_offsets == (21, 7, 1) and settings.report_deadline_day == 10


async def test_a_bad_value_changes_nothing(db: Database, ward: DemoWard) -> None:
    """One unreadable value refuses the whole command."""
    with pytest.raises(AdminError, match="không hợp lệ cho report_deadline_day"):
        await reminder_settings(db, None, ["reminder_hour=07:00", "report_deadline_day=31"])
    assert (await committee_settings(db)).reminder_hour.hour == 8


async def test_an_unknown_key_is_named(db: Database, ward: DemoWard) -> None:
    """A misspelt setting is refused with the list of known ones."""
    with pytest.raises(AdminError, match="Không có thiết lập «quiet»"):
        await reminder_settings(db, None, ["quiet=22:00"])

"""Show or change a committee's reminder settings from the admin command line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from admin.commands import AdminError, _committee
from domain.calendar import ReminderSettings
from storage import org
from storage.db import Database
from texts import reminders as t


def _hour(text: str) -> str:
    """Read "HH:MM"."""
    hour, _, minute = text.partition(":")
    if not (
        hour.isdecimal()
        and 0 <= int(hour) <= 23
        and (minute or "0").isdecimal()
        and 0 <= int(minute or 0) <= 59
    ):
        raise ValueError(text)
    return f"{int(hour):02d}:{int(minute or 0):02d}"


def _numbers(low: int, high: int) -> Callable[[str], list[int]]:
    """Read a comma-separated list of whole numbers within bounds."""

    def parse(text: str) -> list[int]:
        values = [int(part) for part in text.split(",") if part.strip()]
        if any(not low <= v <= high for v in values):
            raise ValueError(text)
        return values

    return parse


def _number(low: int, high: int) -> Callable[[str], int]:
    """Read one whole number within bounds."""

    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise ValueError(text)
        return value

    return parse


PARSERS: dict[str, Callable[[str], Any]] = {
    "inspection_offsets": _numbers(1, 90),
    "reminder_hour": _hour,
    "quiet_hours_start": _hour,
    "quiet_hours_end": _hour,
    "report_deadline_day": _number(1, 28),
    "report_days_before": _number(0, 27),
    "pledge_review_months": _numbers(1, 12),
    "pledge_review_day": _number(1, 28),
    "remedial_reminder_day": _number(1, 28),
    # The digest and the exported documents (reports/digest.py, reports/docx.py).
    "digest_weekday": _number(0, 6),
    "digest_hour": _hour,
    "superior_body": str,
    "place": str,
    "report_recipient": str,
    "signer": str,
}


def describe(settings: ReminderSettings) -> list[str]:
    """List the settings in force, by their keys."""
    return [
        f"inspection_offsets = {','.join(str(d) for d in settings.inspection_offsets)}",
        f"reminder_hour = {settings.reminder_hour:%H:%M}",
        f"quiet_hours_start = {settings.quiet_start:%H:%M}",
        f"quiet_hours_end = {settings.quiet_end:%H:%M}",
        f"report_deadline_day = {settings.report_deadline_day}",
        f"report_days_before = {settings.report_days_before}",
        f"pledge_review_months = {','.join(str(m) for m in settings.pledge_review_months)}",
        f"pledge_review_day = {settings.pledge_review_day}",
        f"remedial_reminder_day = {settings.remedial_reminder_day}",
    ]


async def reminder_settings(db: Database, committee_name: str | None, assignments: list[str]) -> list[str]:
    """Apply KEY=VALUE changes (all valid, or none), then list the committee's reminder settings."""
    committee = await _committee(db, committee_name)
    changes: dict[str, Any] = {}
    for assignment in assignments:
        key, _, value = assignment.partition("=")
        key = key.strip()
        if key not in PARSERS:
            raise AdminError(t.unknown_setting(key, list(PARSERS)))
        try:
            changes[key] = PARSERS[key](value.strip())
        except ValueError:
            raise AdminError(t.bad_setting(key, value.strip())) from None
    async with db.begin() as conn:
        if changes:
            await org.update_committee_settings(conn, committee.id, changes)
        current = await org.get_committee(conn, committee.id)
    return [t.settings_of(current.name), *describe(ReminderSettings.from_committee(current.settings))]

"""Show or change a committee's reminder settings from the admin command line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from admin.commands import AdminError, _committee
from domain.calendar import ReminderSettings
from domain.digest import DigestSettings
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
DOCUMENT_KEYS = ("superior_body", "place", "report_recipient", "signer")
# The listing after a change shows the reminder settings; the digest's and documents' are shown when changed.
REMINDER_KEYS = frozenset(PARSERS) - {"digest_weekday", "digest_hour", *DOCUMENT_KEYS}


def effective(settings: dict[str, Any]) -> dict[str, str]:
    """Return every setting's value in force, as typed on the command line; defaults where unset."""
    reminders = ReminderSettings.from_committee(settings)
    digest = DigestSettings.from_committee(settings)
    return {
        "inspection_offsets": ",".join(str(d) for d in reminders.inspection_offsets),
        "reminder_hour": f"{reminders.reminder_hour:%H:%M}",
        "quiet_hours_start": f"{reminders.quiet_start:%H:%M}",
        "quiet_hours_end": f"{reminders.quiet_end:%H:%M}",
        "report_deadline_day": str(reminders.report_deadline_day),
        "report_days_before": str(reminders.report_days_before),
        "pledge_review_months": ",".join(str(m) for m in reminders.pledge_review_months),
        "pledge_review_day": str(reminders.pledge_review_day),
        "remedial_reminder_day": str(reminders.remedial_reminder_day),
        "digest_weekday": str(digest.weekday),
        "digest_hour": f"{digest.hour:%H:%M}",
        **{key: str(settings.get(key) or t.UNSET) for key in DOCUMENT_KEYS},
    }


def describe(settings: dict[str, Any]) -> list[str]:
    """List the reminder settings in force, by their keys."""
    return [f"{key} = {value}" for key, value in effective(settings).items() if key in REMINDER_KEYS]


async def reminder_settings(db: Database, committee_name: str | None, assignments: list[str]) -> list[str]:
    """Apply KEY=VALUE changes (all valid, or none), say what changed, then list the reminder settings."""
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
        before = effective((await org.get_committee(conn, committee.id)).settings)
        if changes:
            await org.update_committee_settings(conn, committee.id, changes)
        current = await org.get_committee(conn, committee.id)
    after = effective(current.settings)
    changed = [t.setting_changed(key, before[key], after[key]) for key in changes]
    return [*changed, t.settings_of(current.name), *describe(current.settings)]

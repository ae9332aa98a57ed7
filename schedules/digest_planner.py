"""The digest planner: the weekly and monthly digests to each committee member and the committee's group chat.

Like every planner it only writes to the outbox, keyed (kind, target, period), so running it
hourly plans each digest once; the digest is composed within the hour before it is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import LOCAL_TZ, as_utc
from core.context import outbound_payload
from domain.calendar import ReminderSettings
from domain.digest import CHART, DIGEST_CHAT, MONTHLY, DigestSettings, DigestSlot, due_digests
from reports import chart, digest
from storage import accounts, org, outbox


@dataclass(frozen=True)
class Recipient:
    """Where a digest goes: a committee member (reached on their chosen app) or the group chat."""

    target: str
    person_id: int | None = None
    channel: str | None = None
    chat_id: str | None = None


async def _recipients(conn: AsyncConnection, committee: org.Committee) -> list[Recipient]:
    """Return each committee member, and the registered group chat if any."""
    found = [
        Recipient(f"person:{person_id}", person_id=person_id)
        for person_id, _ in await accounts.committee_people(conn, committee.id)
    ]
    group = committee.settings.get(DIGEST_CHAT)
    if group:
        target = f"chat:{group['channel']}:{group['chat_id']}"
        found.append(Recipient(target, channel=group["channel"], chat_id=group["chat_id"]))
    return found


async def _compose(
    conn: AsyncConnection, committee_id: int, slot: DigestSlot, today: date
) -> list[tuple[str, dict]]:
    """Compose a digest's messages: its text, and for the monthly one the chart after it."""
    text = digest.render(await digest.gather(conn, committee_id, slot.period, today))
    messages = [(slot.kind, {"text": text})]
    if slot.kind == MONTHLY:
        picture = await chart.chart_message(await chart.gather(conn, committee_id, today))
        messages.append((CHART, outbound_payload(picture)))
    return messages


async def plan_digests(
    conn: AsyncConnection, committee_id: int, _reminders: ReminderSettings, now: datetime
) -> int:
    """Plan the digests falling today for a committee; return how many rows were new."""
    committee = await org.get_committee(conn, committee_id)
    today = as_utc(now).astimezone(LOCAL_TZ).date()
    slots = due_digests(now, today, DigestSettings.from_committee(committee.settings))
    if not slots:
        return 0
    recipients = await _recipients(conn, committee)
    planned = 0
    for slot in slots:
        # The planners run hourly; composing again a digest everyone already has would be wasted work.
        if {r.target for r in recipients} <= await outbox.planned_targets(conn, slot.kind, slot.key):
            continue
        due_at = max(slot.due_at, as_utc(now))
        for kind, payload in await _compose(conn, committee_id, slot, today):
            for recipient in recipients:
                planned += await outbox.enqueue(
                    conn,
                    kind=kind,
                    target=recipient.target,
                    period=slot.key,
                    payload=payload,
                    due_at=due_at,
                    now=now,
                    person_id=recipient.person_id,
                    channel=recipient.channel,
                    chat_id=recipient.chat_id,
                    expires_at=slot.until,
                )
    return planned

"""The digest planner: the weekly and monthly digests to each committee member and the committee's group chat.

Like every planner it only writes to the outbox, keyed (kind, target, period), so running it
hourly plans each digest once; the digest is composed within the hour before it is due.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import LOCAL_TZ, as_utc
from core.context import outbound_payload
from domain.calendar import ReminderSettings
from domain.digest import CHART, DIGEST_CHAT, MONTHLY, DigestSettings, due_digests
from reports import chart, digest
from storage import accounts, org, outbox


async def plan_digests(
    conn: AsyncConnection, committee_id: int, _reminders: ReminderSettings, now: datetime
) -> int:
    """Plan the digests falling today for a committee; return how many rows were new."""
    committee = await org.get_committee(conn, committee_id)
    settings = DigestSettings.from_committee(committee.settings)
    today = as_utc(now).astimezone(LOCAL_TZ).date()
    slots = due_digests(now, today, settings)
    if not slots:
        return 0
    members = await accounts.committee_people(conn, committee_id)
    group = committee.settings.get(DIGEST_CHAT)
    planned = 0
    for slot in slots:
        messages = [
            (slot.kind, {"text": digest.render(await digest.gather(conn, committee_id, slot.period, today))})
        ]
        if slot.kind == MONTHLY:
            messages.append(
                (
                    CHART,
                    outbound_payload(
                        await chart.chart_message(await chart.gather(conn, committee_id, today))
                    ),
                )
            )
        due_at = max(slot.due_at, as_utc(now))
        # The chart is planned after the text, so the dispatcher sends it second.
        for kind, payload in messages:
            for person_id, _name in members:
                planned += await outbox.enqueue(
                    conn,
                    kind=kind,
                    target=f"person:{person_id}",
                    period=slot.key,
                    payload=payload,
                    due_at=due_at,
                    now=now,
                    person_id=person_id,
                    expires_at=slot.until,
                )
            if group:
                planned += await outbox.enqueue(
                    conn,
                    kind=kind,
                    target=f"chat:{group['channel']}:{group['chat_id']}",
                    period=slot.key,
                    payload=payload,
                    due_at=due_at,
                    now=now,
                    channel=group["channel"],
                    chat_id=group["chat_id"],
                    expires_at=slot.until,
                )
    return planned

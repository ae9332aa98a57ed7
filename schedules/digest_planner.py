"""The digest planner: the weekly and monthly digests to each committee member and the committee's group chat.

Like every planner it only writes to the outbox, keyed (kind, target, period), so running it
hourly plans each digest once; the digest is composed within the hour before it is due.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import partial

from sqlalchemy.ext.asyncio import AsyncConnection

from core.messages import Outbound
from domain.clock import LOCAL_TZ, as_utc
from domain.digest import CHART, DIGEST_CHAT, MONTHLY, DigestSettings, DigestSlot, due_digests
from reports import chart, digest
from storage import accounts, org, outbox
from storage.db import Database


async def _recipients(conn: AsyncConnection, committee: org.Committee) -> list[outbox.Target]:
    """Return each committee member, and the registered group chat if any."""
    found = [
        outbox.to_person(person_id) for person_id, _ in await accounts.committee_people(conn, committee.id)
    ]
    group = committee.settings.get(DIGEST_CHAT)
    if group:
        found.append(outbox.to_chat(group["channel"], group["chat_id"]))
    return found


async def _compose(
    db: Database, *, committee_id: int, slot: DigestSlot, today: date
) -> list[tuple[str, Outbound]]:
    """Compose a digest's messages from a snapshot: its text, and for the monthly one the chart after it."""
    async with db.read() as conn:
        gathered = await digest.gather(conn, committee_id, slot.period, today)
        drawn = None
        if slot.kind == MONTHLY:
            # The digest of a month of this year has just counted the year's pledges, on the same
            # snapshot: a province's count takes a quarter of a second, so the chart takes it over.
            counted = (
                {c.cell_id: c.pledges for c in gathered.cells} if slot.period.year == today.year else None
            )
            drawn = await chart.gather(conn, committee_id, today, figures=counted)
    messages = [(slot.kind, Outbound(digest.render(gathered)))]
    if drawn is not None:
        messages.append((CHART, await chart.chart_message(drawn)))
    return messages


async def plan_digests(db: Database, committee_id: int, now: datetime) -> int:
    """Plan the digests falling today for a committee; return how many rows were new."""
    today = as_utc(now).astimezone(LOCAL_TZ).date()
    async with db.begin() as conn:
        committee = await org.get_committee(conn, committee_id)
        slots = due_digests(now, today, DigestSettings.from_committee(committee.settings))
        recipients = await _recipients(conn, committee)
        # The planners run hourly; composing again a digest everyone already has would be wasted work.
        wanted = [
            slot
            for slot in slots
            if not {r.key for r in recipients} <= await outbox.planned_targets(conn, slot.kind, slot.key)
        ]
    planned = 0
    for slot in wanted:
        # A province's digest and chart take seconds: they are made away from the event loop and
        # outside any write transaction, then planned in a short one.
        job = partial(_compose, committee_id=committee_id, slot=slot, today=today)
        messages = await db.off_loop(job)
        due_at = max(slot.due_at, as_utc(now))
        async with db.begin() as conn:
            for kind, message in messages:
                for recipient in recipients:
                    planned += await outbox.plan(
                        conn,
                        recipient,
                        message,
                        kind=kind,
                        key=slot.key,
                        due_at=due_at,
                        now=now,
                        expires_at=slot.until,
                    )
    return planned

"""The digest planner: weekly on Monday 07:30 and monthly the day after the deadline, through the outbox."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from admin.demo_data import DemoWard
from admin.reminder_settings import reminder_settings
from core.messages import Outbound
from domain.clock import LOCAL_TZ, FixedClock, as_utc
from domain.digest import CHART, DIGEST_CHAT, MONTHLY, WEEKLY, DigestSettings
from schedules.planners import run_planners
from storage import accounts, org, outbox
from storage.db import Database

MONDAY = date(2015, 9, 7)
DAY_AFTER_DEADLINE = date(2015, 9, 6)


def at(day: date, hour: int, minute: int) -> datetime:
    """Return a local moment."""
    return datetime.combine(day, time(hour, minute), LOCAL_TZ)


async def plan_at(db: Database, clock: FixedClock, moment: datetime) -> list[outbox.OutboxRow]:
    """Run the planners at a moment and return the digest rows pending."""
    clock.moment = as_utc(moment)
    await run_planners(db, clock)
    async with db.begin() as conn:
        pending = await outbox.rows_by_status(conn, outbox.PENDING)
    return [r for r in pending if r.kind in (WEEKLY, MONTHLY)]


@pytest.fixture(autouse=True)
async def demo(ward: DemoWard) -> DemoWard:
    """Every test runs on the demo ward."""
    return ward


async def test_weekly_digest_to_each_committee_member(
    db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """On Monday at 07:05 each of the 7 committee members gets the weekly digest, due at 07:30."""
    rows = await plan_at(db, clock, at(MONDAY, 7, 5))
    assert len(rows) == len(ward.committee_people) == 7
    assert {r.kind for r in rows} == {WEEKLY}
    assert {as_utc(r.due_at) for r in rows} == {as_utc(at(MONDAY, 7, 30))}
    assert rows[0].payload["text"].startswith("TỔNG HỢP THÁNG 8/2015")


async def test_planning_twice_plans_once(db: Database, clock: FixedClock) -> None:
    """The 08:05 run after the 07:05 one adds nothing."""
    first = await plan_at(db, clock, at(MONDAY, 7, 5))
    again = await plan_at(db, clock, at(MONDAY, 8, 5))
    assert [r.id for r in again] == [r.id for r in first]


async def test_not_composed_hours_ahead(db: Database, clock: FixedClock) -> None:
    """At 00:05 on Monday the digest is not composed yet, so its figures will be fresh."""
    assert await plan_at(db, clock, at(MONDAY, 0, 5)) == []


async def test_no_digest_on_other_days(db: Database, clock: FixedClock) -> None:
    """A Tuesday that is not the day after the deadline has no digest."""
    assert await plan_at(db, clock, at(date(2015, 9, 8), 9, 5)) == []


async def test_monthly_digest_the_day_after_the_deadline(db: Database, clock: FixedClock) -> None:
    """On 06/09 (deadline 05/09) the monthly digest of August goes to every committee member."""
    rows = await plan_at(db, clock, at(DAY_AFTER_DEADLINE, 7, 5))
    assert len(rows) == 7 and {r.kind for r in rows} == {MONTHLY}
    assert {r.period for r in rows} == {"month:2015-08"}


async def test_registered_group_gets_the_digest(db: Database, clock: FixedClock) -> None:
    """A registered Telegram group gets its own copy, addressed to the group chat."""
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        await org.update_committee_settings(
            conn, committee.id, {DIGEST_CHAT: {"channel": "telegram", "chat_id": "-100555"}}
        )
    rows = await plan_at(db, clock, at(MONDAY, 7, 5))
    group = [r for r in rows if r.person_id is None]
    assert [(r.channel, r.chat_id) for r in group] == [("telegram", "-100555")]


async def test_weekday_and_hour_follow_the_committee_settings(db: Database, clock: FixedClock) -> None:
    """With digest_weekday 4 and digest_hour 17:00 the weekly digest falls on Friday at 17:00."""
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        await org.update_committee_settings(conn, committee.id, {"digest_weekday": 4, "digest_hour": "17:00"})
    assert await plan_at(db, clock, at(MONDAY, 7, 5)) == []
    rows = await plan_at(db, clock, at(date(2015, 9, 11), 16, 5))
    assert {as_utc(r.due_at) for r in rows} == {as_utc(at(date(2015, 9, 11), 17, 0))}


async def test_monthly_digest_carries_the_chart(db: Database, clock: FixedClock) -> None:
    """With the monthly digest each committee member gets the chart, rebuilt from the outbox as a PNG."""
    clock.moment = as_utc(at(DAY_AFTER_DEADLINE, 7, 5))
    await run_planners(db, clock)
    async with db.begin() as conn:
        pending = await outbox.rows_by_status(conn, outbox.PENDING)
    charts = [r for r in pending if r.kind == CHART]
    texts = [r for r in pending if r.kind == MONTHLY]
    assert len(charts) == 7
    assert min(r.id for r in charts) > max(r.id for r in texts)
    photo = Outbound.from_json(charts[0].payload).photo
    assert photo is not None and photo.startswith(b"\x89PNG")


async def test_admin_sets_the_digest_hour(db: Database) -> None:
    """`admin reminders digest_weekday=4 digest_hour=17:00` stores the digest's day and hour."""
    await reminder_settings(db, None, ["digest_weekday=4", "digest_hour=17"])
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
    settings = DigestSettings.from_committee(committee.settings)
    assert (settings.weekday, settings.hour) == (4, time(17, 0))


async def test_digest_composed_again_for_a_new_member_only(
    db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """A committee member added after the 07:05 run gets the digest at 08:05; the others get nothing twice."""
    first = await plan_at(db, clock, at(MONDAY, 7, 5))
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        person_id = await accounts.create_person(conn, "Trần Văn Mới", clock.now())
        await accounts.grant_role(conn, person_id, "committee", committee.id, None, clock.now())
    again = await plan_at(db, clock, at(MONDAY, 8, 5))
    assert len(again) == len(first) + 1
    assert {r.person_id for r in again} - {r.person_id for r in first} == {person_id}

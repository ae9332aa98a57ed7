"""Planners: which reminders fall on which day, to whom, planned once however often they run."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, time

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED

from admin.demo_data import DemoWard
from domain import calendar
from domain.clock import LOCAL_TZ, FixedClock
from schedules.planners import run_planners
from schedules.scheduler import PLANNERS_JOB, build_scheduler, planners_job
from storage import accounts, inspections, org, outbox, pledges
from storage.db import Database
from storage.inspections import NewInspection

SECRETARY_12 = "Nguyễn Văn Tài"
DEPUTY_12 = "Lưu Thị Lan"


def at(day: date, hour: int = 0, minute: int = 5) -> datetime:
    """Return a local moment."""
    return datetime.combine(day, time(hour, minute), LOCAL_TZ)


async def plan_day(db: Database, clock: FixedClock, day: date) -> int:
    """Run the planners at 00:05 of a local day."""
    clock.moment = at(day)
    return await run_planners(db, clock)


async def rows(db: Database, kind: str | None = None) -> list[outbox.OutboxRow]:
    """Return every planned row (of one kind), oldest first."""
    async with db.begin() as conn:
        found = await outbox.rows_by_status(conn, outbox.PENDING)
    return [r for r in found if kind is None or r.kind == kind]


async def names(db: Database, found: list[outbox.OutboxRow]) -> list[str]:
    """Return the names of the people some rows go to."""
    async with db.begin() as conn:
        people = dict(await accounts.list_people(conn))
    return sorted(people[r.person_id] for r in found)


async def add_inspection(db: Database, clock: FixedClock, session_on: date, cell: str = "Chi bộ 12") -> int:
    """Plan an inspection of a cell, as of the clock's moment."""
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        cell_id = (await org.find_cell(conn, committee.id, cell)).id
        plan = NewInspection(
            committee.id, cell_id, session_on, "Chỉ thị 03-CT/TW", date(2015, 1, 1), date(2015, 8, 31), None
        )
        return await inspections.create_inspection(conn, plan, None, clock.now())


@pytest.fixture(autouse=True)
async def demo(ward: DemoWard) -> DemoWard:
    """Every planner test runs on the demo ward."""
    return ward


async def test_planning_twice_gives_one_row_each(db: Database, clock: FixedClock) -> None:
    """Running the planners again the same day, or an hour later, plans nothing new."""
    clock.moment = at(date(2015, 8, 20))
    await add_inspection(db, clock, date(2015, 9, 15))
    first = await plan_day(db, clock, date(2015, 9, 1))
    clock.moment = at(date(2015, 9, 1), 14)
    assert first > 0
    assert await run_planners(db, clock) == 0
    keys = [(r.kind, r.target, r.period) for r in await rows(db)]
    assert len(keys) == len(set(keys)) == first


async def test_inspection_reminders_fall_on_t14_t7_t3_t1_at_eight(db: Database, clock: FixedClock) -> None:
    """Secretary and deputy get a checklist reminder 14, 7, 3 and 1 days before, each at 08:00."""
    clock.moment = at(date(2015, 8, 1))
    await add_inspection(db, clock, date(2015, 9, 15))
    day = date(2015, 8, 25)
    while day < date(2015, 9, 16):
        await plan_day(db, clock, day)
        day = date.fromordinal(day.toordinal() + 1)
    found = await rows(db, calendar.INSPECTION_REMINDER)
    assert sorted({r.period.split(":")[-1] for r in found}) == ["T-1", "T-14", "T-3", "T-7"]
    assert sorted({r.due_at.astimezone(LOCAL_TZ) for r in found}) == [
        at(date(2015, 9, d), 8, 0) for d in (1, 8, 12, 14)
    ]
    assert await names(db, found) == sorted([SECRETARY_12, DEPUTY_12] * 4)
    assert "Những việc chi bộ còn thiếu" in found[0].payload["text"]


async def test_reminders_before_the_inspection_was_planned_are_skipped(
    db: Database, clock: FixedClock
) -> None:
    """An inspection planned five days ahead gets only its T-3 and T-1 reminders."""
    clock.moment = at(date(2015, 9, 10))
    await add_inspection(db, clock, date(2015, 9, 15))
    for day in range(10, 15):
        await plan_day(db, clock, date(2015, 9, day))
    assert sorted({r.period.split(":")[-1] for r in await rows(db, calendar.INSPECTION_REMINDER)}) == [
        "T-1",
        "T-3",
    ]


async def test_a_missed_stage_is_sent_at_start_and_superseded_by_the_next(
    db: Database, clock: FixedClock
) -> None:
    """Down from T-14 to T-5: at start only the T-7 reminder is planned, due at once, valid until T-3."""
    clock.moment = at(date(2015, 8, 1))
    await add_inspection(db, clock, date(2015, 9, 15))
    clock.moment = at(date(2015, 9, 10), 10, 30)
    await run_planners(db, clock)
    [secretary_row, _] = await rows(db, calendar.INSPECTION_REMINDER)
    assert secretary_row.period.endswith("T-7")
    assert secretary_row.due_at == clock.now()
    assert secretary_row.expires_at == at(date(2015, 9, 12), 0, 0)


async def test_offsets_are_a_committee_setting(db: Database, clock: FixedClock) -> None:
    """A committee that wants reminders 21 and 2 days before gets exactly those."""
    async with db.begin() as conn:
        committee = (await org.list_committees(conn))[0]
        await org.update_committee_settings(
            conn, committee.id, {"inspection_offsets": [21, 2], "reminder_hour": "07:30"}
        )
    clock.moment = at(date(2015, 8, 1))
    await add_inspection(db, clock, date(2015, 9, 15))
    for day in (date(2015, 8, 25), date(2015, 9, 1), date(2015, 9, 13)):
        await plan_day(db, clock, day)
    found = await rows(db, calendar.INSPECTION_REMINDER)
    assert sorted({r.period.split(":")[-1] for r in found}) == ["T-2", "T-21"]
    assert at(date(2015, 8, 25), 7, 30) in {r.due_at for r in found}


async def test_monthly_report_reminders_go_to_cells_without_a_report(db: Database, clock: FixedClock) -> None:
    """On 2/9 and 5/9 every cell without an August report is reminded; on 6/9 the committee gets the list."""
    await plan_day(db, clock, date(2015, 9, 1))
    assert await rows(db, calendar.REPORT_REMINDER) == []
    await plan_day(db, clock, date(2015, 9, 2))
    before = await rows(db, calendar.REPORT_REMINDER)
    assert len(before) == 8 and all(r.period == "report:2015-08:before" for r in before)
    assert "Hạn nộp: 05/09/2015" in before[0].payload["text"]
    await plan_day(db, clock, date(2015, 9, 5))
    assert len(await rows(db, calendar.REPORT_REMINDER)) == 16
    await plan_day(db, clock, date(2015, 9, 6))
    late = await rows(db, calendar.REPORT_LATE)
    assert len(late) == 7
    assert "- Chi bộ 12" in late[0].payload["text"] and "chỉ gửi riêng" in late[0].payload["text"]
    async with db.begin() as conn:
        committee_ids = {pid for pid, _ in await accounts.committee_people(conn, 1)}
    assert {r.person_id for r in late} == committee_ids


async def test_report_deadline_is_a_committee_setting(db: Database, clock: FixedClock) -> None:
    """With the deadline on the 10th, the first reminder comes on the 7th."""
    async with db.begin() as conn:
        await org.update_committee_settings(conn, 1, {"report_deadline_day": 10})
    await plan_day(db, clock, date(2015, 9, 2))
    assert await rows(db, calendar.REPORT_REMINDER) == []
    await plan_day(db, clock, date(2015, 9, 7))
    assert "Hạn nộp: 10/09/2015" in (await rows(db, calendar.REPORT_REMINDER))[0].payload["text"]


async def test_pledge_review_reminders_in_june_to_cells_lacking_it(db: Database, clock: FixedClock) -> None:
    """On 15/6 cells whose members lack the mid-year review are reminded; a fully reviewed cell is not."""
    async with db.begin() as conn:
        cell = await org.find_cell(conn, 1, "Chi bộ 14")
        for member in await org.list_members(conn, cell.id):
            await pledges.record_review(
                conn,
                member_id=member.id,
                year=2015,
                kind=calendar.MID_YEAR,
                assessment="Tốt",
                ranking=None,
                today=date(2015, 6, 10),
                now=clock.now(),
                person_id=None,
            )
    await plan_day(db, clock, date(2015, 6, 14))
    assert await rows(db, calendar.PLEDGE_REVIEW) == []
    await plan_day(db, clock, date(2015, 6, 15))
    found = await rows(db, calendar.PLEDGE_REVIEW)
    assert len(found) == 6 and "sơ kết 6 tháng 2015" in found[0].payload["text"]
    assert all("Chi bộ 14" not in r.payload["text"] for r in found)


async def test_remedial_tasks_are_reminded_monthly_until_closed(db: Database, clock: FixedClock) -> None:
    """An open task is reminded on the 1st of each following month, and no more once closed."""
    clock.moment = at(date(2015, 9, 1))
    inspection_id = await add_inspection(db, clock, date(2015, 9, 15))
    clock.moment = at(date(2015, 9, 20), 9)
    async with db.begin() as conn:
        [task_id] = await inspections.conclude(
            conn,
            inspection_id,
            strengths="",
            limitations="",
            recommendations="",
            tasks=[("Cụ thể hóa bản đăng ký", date(2015, 10, 30))],
            person_id=1,
            now=clock.now(),
        )
    await plan_day(db, clock, date(2015, 9, 21))
    assert await rows(db, calendar.REMEDIAL_REMINDER) == []
    await plan_day(db, clock, date(2015, 10, 1))
    await plan_day(db, clock, date(2015, 11, 1))
    assert sorted({r.period for r in await rows(db, calendar.REMEDIAL_REMINDER)}) == [
        "remedial:1:2015-10",
        "remedial:1:2015-11",
    ]
    async with db.begin() as conn:
        await inspections.close_task(conn, task_id, 1, clock.now())
    await plan_day(db, clock, date(2015, 12, 1))
    assert len(await rows(db, calendar.REMEDIAL_REMINDER)) == 4


def test_scheduler_runs_the_planners_on_a_cron_trigger_in_memory(db: Database, clock: FixedClock) -> None:
    """The planners job fires at minute 5 of every hour, local time, from an in-memory job store."""
    scheduler = build_scheduler(db, clock, "5 * * * *", run_now=False)
    job = scheduler.get_job(PLANNERS_JOB)
    assert type(scheduler._jobstores["default"]).__name__ == "MemoryJobStore"
    assert job.trigger.get_next_fire_time(None, at(date(2015, 9, 10), 9, 0)) == at(date(2015, 9, 10), 9, 5)
    assert job.args == (db, clock)


async def test_a_planners_run_stopped_midway_ends_with_one_line_not_an_error(
    db: Database, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    """Cancelled as the bot stops, the planners job returns quietly and says the next run plans the rest."""
    caplog.set_level(logging.INFO)
    job = asyncio.create_task(planners_job(db, clock))
    await asyncio.sleep(0)
    job.cancel()
    await asyncio.wait([job])
    assert not job.cancelled() and job.exception() is None
    assert "next run plans what is left" in caplog.text


async def test_scheduler_runs_the_planners_once_at_start(db: Database, clock: FixedClock) -> None:
    """Started in the event loop, the scheduler plans at once, on the injected clock."""
    clock.moment = at(date(2015, 8, 1))
    await add_inspection(db, clock, date(2015, 9, 15))
    clock.moment = at(date(2015, 9, 1), 9)
    scheduler = build_scheduler(db, clock, "5 * * * *")
    done = asyncio.Event()
    scheduler.add_listener(lambda event: done.set(), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    scheduler.start()
    try:
        await asyncio.wait_for(done.wait(), timeout=10)
    finally:
        scheduler.shutdown(wait=False)
    assert {r.period for r in await rows(db, calendar.INSPECTION_REMINDER)} == {"inspection:1:T-14"}

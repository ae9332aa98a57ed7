"""Planners: decide which reminders fall today and write them to the outbox, never sending.

Each reminder is keyed (kind, target, period), so running the planners twice, or after a
restart, plans nothing new. A stage missed while the bot was down is planned at once if it
is still worth sending, and given up for the next stage once that one falls.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncConnection

from core.messages import Outbound
from domain import calendar
from domain.calendar import ReminderSettings, Stage
from domain.clock import LOCAL_TZ, Clock, as_utc, fmt_date, fmt_month
from reports.readiness import readiness_of
from schedules.digest_planner import plan_digests
from storage import accounts, conversations, inspections, org, outbox, pledges, reports
from storage.db import Database
from texts import inspections as t

log = logging.getLogger(__name__)

# Platforms redeliver an update within minutes or hours (Zalo replays consumed ones); after a month
# the record that it was handled is only personal data kept for nothing (docs/privacy.md).
PROCESSED_UPDATES_KEPT = timedelta(days=30)

# Rows of the outbox written per transaction: a province's planners decide thousands at once. On
# SQLite each transaction runs on the event loop's thread: 200 rows hold it about 20 ms, 500 rows 40.
ROWS_PER_WRITE = 200


@dataclass(frozen=True)
class Plan:
    """Messages a planner decided on, of one kind and due moment, to be written to the outbox."""

    kind: str
    messages: list[outbox.Planned]
    due_at: datetime
    expires_at: datetime | None


Planner = Callable[[AsyncConnection, int, ReminderSettings, datetime], Awaitable[list[Plan]]]


def _local_date(moment: datetime) -> date:
    """Return the local date of a UTC moment."""
    return as_utc(moment).astimezone(LOCAL_TZ).date()


def _next_month_start(today: date) -> date:
    """Return the first day of the month after today's."""
    return date(today.year + 1, 1, 1) if today.month == 12 else date(today.year, today.month + 1, 1)


async def _to_leaders(
    conn: AsyncConnection,
    messages: dict[int, tuple[str, str]],
    *,
    kind: str,
    stage: Stage,
    settings: ReminderSettings,
    now: datetime,
) -> list[Plan]:
    """Plan a message to each secretary and deputy of some cells ({cell: (period, text)})."""
    if not messages:
        return []
    # A province's reminders go to thousands of cells: their leaders are read at once.
    leaders = await accounts.leaders_of_cells(conn, list(messages))
    planned = [
        outbox.Planned(outbox.to_person(person_id), Outbound(text), period)
        for cell_id, (period, text) in messages.items()
        for person_id, _, _ in leaders[cell_id]
    ]
    due_at = calendar.reminder_moment(stage.day, now, settings)
    return [Plan(kind, planned, due_at, calendar.start_of_day(stage.until))]


async def plan_inspection_reminders(
    conn: AsyncConnection, committee_id: int, settings: ReminderSettings, now: datetime
) -> list[Plan]:
    """Plan the T-n reminders of upcoming inspections, each with the cell's readiness checklist."""
    today = _local_date(now)
    planned: list[Plan] = []
    for inspection in await inspections.upcoming(
        conn, today, committee_ids=frozenset({committee_id}), after=True
    ):
        stages = calendar.inspection_stages(
            inspection.session_on, settings.inspection_offsets, _local_date(inspection.created_at)
        )
        stage = calendar.current_stage(stages, today)
        if stage is None:
            continue
        ready = await readiness_of(conn, inspection, today)
        text = t.reminder(
            inspection.cell_name,
            fmt_date(inspection.session_on),
            (inspection.session_on - today).days,
            inspection.content,
            t.checklist(ready),
        )
        planned += await _to_leaders(
            conn,
            {inspection.cell_id: (f"inspection:{inspection.id}:{stage.key}", text)},
            kind=calendar.INSPECTION_REMINDER,
            stage=stage,
            settings=settings,
            now=now,
        )
    return planned


async def plan_report_reminders(
    conn: AsyncConnection, committee_id: int, settings: ReminderSettings, now: datetime
) -> list[Plan]:
    """Plan the monthly report reminders to late cells, and the private late list to the committee."""
    today = _local_date(now)
    planned: list[Plan] = []
    # A deadline early in the month can put the first reminder in the reported month itself.
    for year, month in (calendar.previous_month(today), (today.year, today.month)):
        deadline = calendar.report_deadline(year, month, settings)
        stage = calendar.current_stage(calendar.report_stages(deadline, settings), today)
        if stage is None:
            continue
        late = await reports.cells_without_report(conn, committee_id, year, month)
        if not late:
            continue
        shown_month, shown_deadline = fmt_month(year, month), fmt_date(deadline)
        period = f"report:{year}-{month:02d}"
        names = {cell.id: cell.name for cell in await org.list_cells(conn, committee_id)}
        if stage.key == "late":
            text = t.report_late(shown_month, shown_deadline, [names[c] for c in late])
            people = await accounts.committee_people(conn, committee_id)
            messages = [outbox.Planned(outbox.to_person(p), Outbound(text), period) for p, _ in people]
            due_at = calendar.reminder_moment(stage.day, now, settings)
            planned.append(Plan(calendar.REPORT_LATE, messages, due_at, calendar.start_of_day(stage.until)))
            continue
        render = t.report_before if stage.key == "before" else t.report_day
        text_of = {c: render(names[c], shown_month, shown_deadline) for c in late}
        planned += await _to_leaders(
            conn,
            {c: (f"{period}:{stage.key}", text) for c, text in text_of.items()},
            kind=calendar.REPORT_REMINDER,
            stage=stage,
            settings=settings,
            now=now,
        )
    return planned


async def plan_pledge_reviews(
    conn: AsyncConnection, committee_id: int, settings: ReminderSettings, now: datetime
) -> list[Plan]:
    """Plan the mid-year and year-end review reminders to cells whose members lack the review."""
    today = _local_date(now)
    review = calendar.pledge_review(today, settings)
    if review is None:
        return []
    stage = Stage(review, date(today.year, today.month, settings.pledge_review_day), _next_month_start(today))
    names = {cell.id: cell.name for cell in await org.list_cells(conn, committee_id)}
    period = f"pledge:{today.year}:{review}"
    return await _to_leaders(
        conn,
        {
            cell_id: (period, t.pledge_review(names[cell_id], review, today.year))
            for cell_id in await pledges.cells_missing_review(conn, committee_id, today.year, review)
        },
        kind=calendar.PLEDGE_REVIEW,
        stage=stage,
        settings=settings,
        now=now,
    )


async def plan_remedial_reminders(
    conn: AsyncConnection, committee_id: int, settings: ReminderSettings, now: datetime
) -> list[Plan]:
    """Plan the monthly reminder of open remedial tasks, from the month after the conclusion."""
    today = _local_date(now)
    if today.day < settings.remedial_reminder_day:
        return []
    month_start = today.replace(day=1)
    by_cell: dict[int, list[inspections.RemedialTask]] = defaultdict(list)
    for task in await inspections.open_tasks(conn, committee_ids=frozenset({committee_id})):
        if _local_date(task.created_at) < month_start:
            by_cell[task.cell_id].append(task)
    stage = Stage("month", today.replace(day=settings.remedial_reminder_day), _next_month_start(today))
    messages = {
        cell_id: (
            f"remedial:{cell_id}:{today.year}-{today.month:02d}",
            t.remedial_reminder(
                tasks[0].cell_name, [t.task_line(x.description, fmt_date(x.due_on)) for x in tasks]
            ),
        )
        for cell_id, tasks in by_cell.items()
    }
    return await _to_leaders(
        conn, messages, kind=calendar.REMEDIAL_REMINDER, stage=stage, settings=settings, now=now
    )


PLANNERS: tuple[Planner, ...] = (
    plan_inspection_reminders,
    plan_report_reminders,
    plan_pledge_reviews,
    plan_remedial_reminders,
)


async def run_planners(db: Database, clock: Clock) -> int:
    """Run every planner for every committee, forget old updates; return rows planned."""
    now = clock.now()
    async with db.begin() as conn:
        committees = await org.list_committees(conn)
    planned = 0
    for committee in committees:
        settings = ReminderSettings.from_committee(committee.settings)
        for planner in PLANNERS:
            try:
                # A province's planners read for seconds: away from the event loop, from a snapshot,
                # then the rows are written in short transactions that let replies in between.
                job = partial(_decide, planner=planner, committee_id=committee.id, settings=settings, now=now)
                plans = await db.off_loop(job)
                planned += await _write(db, plans, now)
            except Exception:
                # One broken planner must not keep the others' reminders from going out.
                log.exception("planner %s failed for committee %s", planner.__name__, committee.id)
        try:
            planned += await plan_digests(db, committee.id, now)
        except Exception:
            log.exception("planner plan_digests failed for committee %s", committee.id)
    if planned:
        log.info("planned %d reminders", planned)
    async with db.begin() as conn:
        pruned = await conversations.prune_processed_updates(conn, now - PROCESSED_UPDATES_KEPT)
    if pruned:
        log.info("forgot %d processed updates older than %d days", pruned, PROCESSED_UPDATES_KEPT.days)
    return planned


async def _decide(
    db: Database, *, planner: Planner, committee_id: int, settings: ReminderSettings, now: datetime
) -> list[Plan]:
    """Run one planner on a snapshot of the database."""
    async with db.read() as conn:
        return await planner(conn, committee_id, settings, now)


async def _write(db: Database, plans: list[Plan], now: datetime) -> int:
    """Write the planned messages to the outbox a few hundred rows a transaction; return how many were new."""
    planned = 0
    for plan in plans:
        for start in range(0, len(plan.messages), ROWS_PER_WRITE):
            async with db.begin() as conn:
                planned += await outbox.plan_many(
                    conn,
                    plan.messages[start : start + ROWS_PER_WRITE],
                    kind=plan.kind,
                    due_at=plan.due_at,
                    now=now,
                    expires_at=plan.expires_at,
                )
    return planned

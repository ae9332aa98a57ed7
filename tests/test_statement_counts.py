"""How many SQL statements a report-form step and a dispatched reminder cost: the database is the hot path."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from admin.demo_data import DemoWard
from core.app import App
from core.messages import Outbound
from domain import calendar
from domain.clock import FixedClock
from schedules.dispatcher import Dispatcher
from storage import outbox
from storage.db import Database
from tests.conftest import chat_as
from tests.fakes.recording_channel import RecordingChannel, bind_everyone
from tests.test_report_flow import ANSWERS, ORDER, fill

# Before the seams were redrawn a step cost 3 to 6 statements, submitting 39, a reminder 11; now
# at most 5, 26 and 7.
MOST_PER_STEP = 5
MOST_ON_SUBMIT = 28
MOST_PER_REMINDER = 7


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    """Collect the statements the database runs inside the block."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


@pytest.fixture
def sqlite_only(db: Database) -> None:
    """Count on SQLite alone: PostgreSQL's driver runs a few statements of its own."""
    if db.dialect != "sqlite":
        pytest.skip("statement counts are measured on SQLite")


@pytest.mark.usefixtures("sqlite_only")
async def test_each_step_of_the_report_form_costs_few_statements(
    app: App, db: Database, ward: DemoWard
) -> None:
    """Every answer of /baocao runs at most a handful of statements, the submit a bounded few dozen."""
    secretary = await chat_as(app, db, ward.cells[0].secretary)
    await secretary.say("/baocao")
    per_step = []
    for key in ORDER:
        for answer in ANSWERS[key] if key == "reasons" else (ANSWERS[key],):
            with counting(db) as statements:
                await secretary.say(str(answer))
            per_step.append((key, len(statements)))
    with counting(db) as submit:
        await secretary.say("gửi")
    assert "Mã báo cáo" in secretary.text()
    assert max(count for _, count in per_step) <= MOST_PER_STEP, per_step
    assert len(submit) <= MOST_ON_SUBMIT, len(submit)


@pytest.mark.usefixtures("sqlite_only")
async def test_a_month_like_the_last_costs_few_statements_per_step(
    app: App, db: Database, ward: DemoWard
) -> None:
    """Filed «Như tháng trước» with nobody absent, each answer runs at most a handful of statements."""
    secretary = await chat_as(app, db, ward.cells[0].secretary)
    await fill(secretary, month="7/2015", date="6/7/2015")
    await secretary.say("gửi")
    await secretary.say("/baocao")
    per_step = []
    for answer in ("5/8/2015", "không ai", "không", "không", "Thu đảng phí.", "Trồng cây.", "không", "tốt"):
        with counting(db) as statements:
            await secretary.say(answer)
        per_step.append((answer, len(statements)))
    assert "Chủ trì: Bùi Thúy Lan" in secretary.text()
    assert max(count for _, count in per_step) <= MOST_PER_STEP, per_step


@pytest.mark.usefixtures("sqlite_only")
async def test_a_dispatched_reminder_costs_few_statements(
    db: Database, clock: FixedClock, ward: DemoWard
) -> None:
    """Claiming, routing and recording one reminder runs a bounded handful of statements."""
    people = await bind_everyone(db, clock)
    person_id, chat_id = people[ward.cells[0].secretary]
    async with db.begin() as conn:
        target = outbox.to_person(person_id)
        message = Outbound("Nhắc chuẩn bị kiểm tra")
        kind = calendar.INSPECTION_REMINDER
        await outbox.plan(conn, target, message, kind=kind, key="T-7", due_at=clock.now(), now=clock.now())
    channel = RecordingChannel(clock)
    with counting(db) as statements:
        assert await Dispatcher(db, clock, {"test": channel}).tick() == 1
    assert channel.texts_to(chat_id) == ["Nhắc chuẩn bị kiểm tra"]
    assert len(statements) <= MOST_PER_REMINDER, statements

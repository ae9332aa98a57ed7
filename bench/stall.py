"""No stall: secretaries filing while a province's year export, the hourly planners and a chart run.

The bot core runs in this process on a copy of the province's data (bench.province's, 5,000 cells;
`--quick`: 100 cells), as `bot.py` wires it, with an in-memory channel: a reply's latency is the
time the core takes to handle an update and hand over its replies, so what is measured is the event
loop and the database, not HTTP. Fifty secretaries file the whole /baocao form (each taking the
next cell's secretary when done) with seeded think times, twice:

- alone (the reference, same run), until each has filed one report;
- while a committee member asks for the province's XLSX export of 2015 and the chart (/xuat,
  /bieudo), and the planners run at an hour when every cell without a report gets its reminder
  (08:00 on 03/02/2016), until all three are done.

A probe sleeps 5 ms over and over and records how late it wakes and how much CPU the loop's thread
used meanwhile: the longest such CPU time is the longest the loop was held by our own code; the
lateness adds the waits for the cores (other processes) and for the GIL (the worker thread).

    .venv/bin/python -m bench.stall [--quick] [--postgres-url postgresql+asyncpg://…/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import tempfile
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

import handlers
from bench.common import percentile
from bench.conversations import PICKS, STEPS, picked
from bench.orgdata import Shape, find
from bench.province import ensure_postgres, ensure_sqlite, scratch_copy
from core.app import App
from core.context import Services
from core.memory import freeze_start_up
from core.messages import Inbound, Outbound
from domain.clock import LOCAL_TZ, FixedClock
from domain.identity import COMMITTEE, SECRETARY
from schedules.planners import run_planners
from settings import Settings
from storage import accounts
from storage.db import Database
from storage.tables import roles
from storage.workers import Workers
from tests.fakes.recording_channel import RecordingChannel
from texts import report as tr

SECRETARIES = 50
SEED = 22
# Reading a question and answering it, in seconds: brisk, so that the loop is busy.
THINK = (0.2, 0.8)
PROBE_INTERVAL = 0.005
MOMENT = datetime(2016, 2, 3, 8, 0, tzinfo=LOCAL_TZ)
GOAL_P99_MS = 200
GOAL_BLOCK_MS = 50


@dataclass
class Figures:
    """Reply latencies, the probe's lateness, and what failed in one phase."""

    latencies: list[float] = field(default_factory=list)
    lateness: list[float] = field(default_factory=list)
    busy: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    reports: int = 0

    def line(self, name: str, seconds: float) -> str:
        """Describe the phase in one line."""
        ms = [1000 * x for x in self.latencies]
        return (
            f"{name}: {self.reports} reports, {len(ms)} updates in {seconds:.1f} s; reply p50 "
            f"{percentile(ms, 50):.0f} ms, p99 {percentile(ms, 99):.0f} ms, max {max(ms):.0f} ms; "
            f"longest loop block {1000 * max(self.busy):.0f} ms of CPU ({1000 * max(self.lateness):.0f} ms "
            f"of wall time); failures {len(self.failures)}"
        )


class Chat:
    """One person's private chat with the core, timing each update."""

    def __init__(self, app: App, chat_id: str) -> None:
        self.app = app
        self.chat_id = chat_id
        self.last: list[Outbound] = []
        self._keys = itertools.count()

    async def send(self, text: str | None = None, choice: str | None = None) -> float:
        """Hand one update to the core and keep its replies; return the seconds it took."""
        inbound = Inbound(
            "test", self.chat_id, self.chat_id, f"{self.chat_id}:{next(self._keys)}", text=text, choice=choice
        )
        channel = RecordingChannel(self.app.services.clock)
        started = time.perf_counter()
        await self.app.handle(inbound, channel)
        seconds = time.perf_counter() - started
        self.last = [sent.message for sent in channel.sent]
        return seconds

    async def press(self, label: str | None = None) -> float:
        """Press the option with this label (the first option when None or not offered)."""
        options = [o for m in self.last for o in m.options]
        assert options, f"no options in {[m.text[:60] for m in self.last]}"
        chosen = next((o for o in options if o.label == label), options[0])
        return await self.send(choice=chosen.value)


async def file_report(chat: Chat, rng: random.Random, figures: Figures) -> None:
    """File the whole report form once, thinking between steps."""
    month = year = ""
    for kind, value, _ in STEPS:
        await asyncio.sleep(rng.uniform(*THINK))
        if kind == "text":
            if value == "<date>":
                value = f"15/{month}/{year}"
            elif value in PICKS:
                value = picked(value, "\n".join(m.text for m in chat.last))
            figures.latencies.append(await chat.send(text=value))
            continue
        if value == "<month>":
            if any(o.label == tr.USUAL_NEW for m in chat.last for o in m.options):
                # A cell that filed before is offered last month's details first; these are typed anew.
                figures.latencies.append(await chat.press(tr.USUAL_NEW))
            value = next(o for m in chat.last for o in m.options).label
            _, month, year = value.replace("/", " ").split()
        figures.latencies.append(await chat.press(value))
    if not any("Mã báo cáo" in m.text for m in chat.last):
        figures.failures.append(f"{chat.chat_id}: {[m.text[:80] for m in chat.last]}")
    figures.reports += 1


async def probe(figures: Figures, stop: asyncio.Event) -> None:
    """Record how late the loop wakes a sleeper, until told to stop."""
    while not stop.is_set():
        started, cpu = time.perf_counter(), time.thread_time()
        await asyncio.sleep(PROBE_INTERVAL)
        figures.lateness.append(time.perf_counter() - started - PROBE_INTERVAL)
        # The loop's own CPU between two wake-ups: what it held the loop for, without the time other
        # processes on the shared machine (or the worker thread, for the GIL) kept it waiting.
        figures.busy.append(time.thread_time() - cpu)


async def secretaries(chats: list[Chat], figures: Figures, until: asyncio.Event | None) -> None:
    """Have SECRETARIES users file: a report each, or reports until `until` is set, a new cell each time."""
    pool = iter(chats)

    async def user(n: int) -> None:
        """File reports as one secretary after another."""
        rng = random.Random(SEED + n)
        for chat in pool:
            await file_report(chat, rng, figures)
            if until is None or until.is_set():
                return

    await asyncio.gather(*(user(n) for n in range(SECRETARIES)))


async def heavy(app: App, committee: Chat) -> dict[str, float]:
    """Ask for the year's export and the chart, and run the planners, all at once; return their seconds."""

    async def timed(name: str, work: Awaitable[object]) -> tuple[str, float]:
        """Time one piece of work."""
        started = time.perf_counter()
        await work
        return name, time.perf_counter() - started

    async def export() -> None:
        """Walk /xuat to the province's XLSX of 2015."""
        chat = Chat(app, committee.chat_id)
        await chat.send(text="/xuat")
        await chat.press("Toàn Đảng bộ")
        await chat.press("Bảng số liệu (Excel)")
        await chat.send(text="2015")
        assert any(m.document for m in chat.last), [m.text[:80] for m in chat.last]

    async def draw() -> None:
        """Ask for the chart in another chat of the same member."""
        chat = Chat(app, f"{committee.chat_id}-chart")
        await chat.send(text="/bieudo")
        assert any(m.photo for m in chat.last), [m.text[:80] for m in chat.last]

    done = await asyncio.gather(
        timed("export", export()),
        timed("chart", draw()),
        timed("planners", run_planners(app.services.db, app.services.clock)),
    )
    return dict(done)


async def prepare(db: Database, shape: Shape) -> tuple[list[str], str]:
    """Bind every cell's secretary to a chat, and one committee member with two; return their chat ids."""
    committee_id = await find(db, shape)
    assert committee_id is not None, "the data is not generated"
    now = MOMENT
    async with db.begin() as conn:
        query = sa.select(roles.c.person_id).where(roles.c.role == SECRETARY).order_by(roles.c.cell_id)
        people = list((await conn.execute(query)).scalars())
        for person_id in people:
            await accounts.bind_account(conn, person_id, "test", f"s{person_id}", f"s{person_id}", None, now)
        member = await accounts.create_person(conn, "Ủy viên đo tải", now)
        await accounts.grant_role(conn, member, COMMITTEE, committee_id, None, now)
        for chat_id in ("committee", "committee-chart"):
            await accounts.bind_account(conn, member, "test", chat_id, chat_id, None, now)
    return [f"s{p}" for p in people], "committee"


async def run(backend: str, url: str, shape: Shape) -> None:
    """Measure both phases on a copy of the data and print them."""
    async with scratch_copy(url) as copy:
        db = Database.from_url(copy, Workers())
        try:
            secretary_ids, committee_id = await prepare(db, shape)
            with tempfile.TemporaryDirectory(prefix="chibo-stall-") as out:
                settings = Settings(database_url=copy, export_dir=Path(out))
                clock = FixedClock(MOMENT)
                app = App(Services(db, clock, settings), handlers.all_commands(), handlers.all_forms())
                # As bot.py does once it is wired.
                freeze_start_up()
                chats = [Chat(app, chat_id) for chat_id in secretary_ids]
                for phase in ("alone", "with heavy work"):
                    figures, stop = Figures(), asyncio.Event()
                    probing = asyncio.create_task(probe(figures, stop))
                    started = time.perf_counter()
                    if phase == "alone":
                        await secretaries(chats[:SECRETARIES], figures, None)
                        took = ""
                    else:
                        done = asyncio.Event()
                        filing = asyncio.create_task(secretaries(chats[SECRETARIES:], figures, done))
                        seconds = await heavy(app, Chat(app, committee_id))
                        done.set()
                        await filing
                        took = " (" + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items()) + ")"
                    stop.set()
                    await probing
                    print(
                        f"{backend:10} {figures.line(phase, time.perf_counter() - started)}{took}", flush=True
                    )
                    for failure in figures.failures[:3]:
                        print(f"  {failure[:300]}")
        finally:
            await db.dispose()


async def main() -> None:
    """Prepare the data, then measure on SQLite and, when given, PostgreSQL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 100-cell province: a smoke test")
    parser.add_argument("--postgres-url", default=os.environ.get("CHIBO_BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    shape = Shape(100 if args.quick else 5000, 40)
    print(
        f"stall: {SECRETARIES} secretaries filing /baocao (think {THINK[0]}-{THINK[1]} s a step), alone and "
        f"while /xuat of 2015, /bieudo and the planners run on a {shape.cells}-cell province; "
        f"goals: reply p99 < {GOAL_P99_MS} ms, longest loop block < {GOAL_BLOCK_MS} ms",
        flush=True,
    )
    await run("sqlite", await ensure_sqlite(shape), shape)
    if not args.postgres_url:
        print("postgresql: skipped (no --postgres-url or CHIBO_BENCH_POSTGRES_URL)")
        return
    await run("postgresql", await ensure_postgres(args.postgres_url, shape), shape)


if __name__ == "__main__":
    asyncio.run(main())

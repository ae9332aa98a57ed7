"""Two instances on PostgreSQL: one bot process, then two behind one Zalo webhook stream, same secretaries.

The secretaries of bench.zalo_conversations type the whole /baocao form at once (saturating: each
answers the moment its reply arrives) to the bot in Zalo webhook mode on the Zalo fake, which POSTs
the stream WEBHOOK_CONCURRENCY updates at a time, to the one process, then alternately to each of
two. Each run has a fresh PostgreSQL database of its own (created, seeded with the same cells and
secretaries, dropped). Printed per run: updates/s, replies lost and sent twice, every report read
back whole from the database, and the CPU seconds of each bot process, of this process (the fake
server and the secretaries), of the database's backends and of the whole machine; then the ratio
of the two runs' updates/s.

    CHIBO_BENCH_POSTGRES_URL=postgresql+asyncpg://… .venv/bin/python -m bench.instances [--users 400]
        [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bench import zalo_conversations
from bench.common import BotProcess, cpu_seconds
from bench.conversations import STEPS, Pacing, Tally, drive, seed, summary
from bench.zalo_conversations import (
    SEED,
    WEBHOOK_CONCURRENCY,
    bot_environment,
    lost_and_doubled,
    secretary,
    webhook_set,
    zalo_id,
)
from domain.attendance import ABSENT_WITH_REASON, ABSENT_WITHOUT_REASON
from storage.reports import meeting_attendance, meeting_report_revisions, meeting_reports
from tests.e2e.botprocess import free_port
from tests.fakes.zalo_api import FakeZaloServer, FakeZaloUser

GOAL_RATIO = 1.3
# What the scripted secretaries type into the free-text questions, read back from every report.
TYPED_TEXTS = {
    "study": "Học tập tấm gương trung thực của Bác",
    "review": "Đã thu đảng phí.\nChưa xong: trồng cây.",
    "resolution": "Trồng cây trong tháng tới.",
}


@dataclass
class Cpu:
    """CPU seconds used during one run, by process and by the whole machine."""

    bots: list[float]
    bench: float
    database: float
    machine: float
    wall: float

    def line(self) -> str:
        """Describe the CPU each part used, in seconds and in cores (CPU seconds per wall second)."""
        parts = [f"bot {n + 1} {s:.1f} s ({s / self.wall:.2f} core)" for n, s in enumerate(self.bots)]
        parts.append(
            f"benchmark process (fake server, secretaries) {self.bench:.1f} s ({self.bench / self.wall:.2f})"
        )
        parts.append(f"PostgreSQL backends {self.database:.1f} s ({self.database / self.wall:.2f})")
        parts.append(f"whole machine {self.machine:.1f} s of {os.cpu_count()} cores x {self.wall:.1f} s")
        return "CPU: " + "; ".join(parts)


def machine_busy() -> float:
    """Return the CPU seconds the whole machine has spent on anything but idling, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:8]]
    user, nice, system, _idle, _iowait, irq, softirq = fields
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def postgres_cpu() -> dict[int, float]:
    """Return the CPU seconds of every PostgreSQL process on this machine, by pid."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found[int(entry.name)] = cpu_seconds(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return found


async def backends(url: str) -> set[int]:
    """Return the pids of the PostgreSQL backends connected to the database at `url`."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            query = sa.text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            return set((await conn.execute(query)).scalars())
    finally:
        await engine.dispose()


@asynccontextmanager
async def fresh_database(admin_url: str, name: str) -> AsyncIterator[str]:
    """Create an empty database `name` on the server (dropping a leftover one), yield its URL, drop it."""
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        finally:
            async with admin.connect() as conn:
                await conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


async def whole_reports(url: str) -> tuple[int, list[str]]:
    """Read every filed report back; return how many are whole and what is wrong with the others."""
    engine = create_async_engine(url)
    problems = []
    whole = 0
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(sa.select(meeting_reports))).mappings().all()
            status = meeting_attendance.c.status
            query = sa.select(
                meeting_attendance.c.report_id,
                sa.func.count(),
                sa.func.count().filter(
                    status == ABSENT_WITH_REASON, meeting_attendance.c.reason.is_not(None)
                ),
                sa.func.count().filter(status == ABSENT_WITHOUT_REASON),
            ).group_by(meeting_attendance.c.report_id)
            attendance = {report_id: tuple(counts) for report_id, *counts in await conn.execute(query)}
            revisions: dict[int, int] = dict(
                (
                    await conn.execute(
                        sa.select(meeting_report_revisions.c.report_id, sa.func.count()).group_by(
                            meeting_report_revisions.c.report_id
                        )
                    )
                ).all()
            )
    finally:
        await engine.dispose()
    for row in rows:
        wrong = [k for k, v in TYPED_TEXTS.items() if row[k] != v]
        count, with_reason, without_reason = attendance.get(row["id"], (0, 0, 0))
        if (count, with_reason, without_reason, row["absent_without_reason"]) != (row["total"], 1, 1, 1):
            wrong.append(
                f"attendance {count} rows of {row['total']}, absent {with_reason} + {without_reason}"
            )
        if row["revision"] != 1 or revisions.get(row["id"]) != 1:
            wrong.append(f"revision {row['revision']}, {revisions.get(row['id'], 0)} in the history")
        if row["start_time"] is None or row["meeting_date"].day != 15:
            wrong.append(f"meeting {row['meeting_date']} at {row['start_time']}")
        if wrong:
            problems.append(f"cell {row['cell_id']}: " + ", ".join(wrong))
        else:
            whole += 1
    return whole, problems


async def run(admin_url: str, instances: int, count: int) -> float:
    """File `count` reports through `instances` bot processes on a fresh database; return updates/s."""
    name = f"bench_instances_{instances}"
    zalo_conversations.awaited.clear()
    async with (
        fresh_database(admin_url, name) as url,
        FakeZaloServer(
            echo_bot_messages=True, webhook_concurrency=WEBHOOK_CONCURRENCY, quota_seed=SEED
        ) as server,
    ):
        ids = await seed(url, count, "zalo", zalo_id)
        with tempfile.TemporaryDirectory(prefix="chibo-instances-") as tmp:
            bots = []
            try:
                for index in range(instances):
                    port = free_port()
                    server.webhook_targets.append(f"http://127.0.0.1:{port}")
                    bot = BotProcess(bot_environment(url, server, port), Path(tmp) / f"bot-{index}.log")
                    await bot.start()
                    bots.append(bot)
                    await webhook_set(server, index)
                pids = [bot.process.pid for bot in bots if bot.process is not None]
                label = "one instance" if instances == 1 else f"{instances} instances"
                users = [server.user(label, zalo_id(i)) for i in ids]
                senders = {u.user_id for u in users}
                before_bots = [cpu_seconds(pid) for pid in pids]
                before_bench, before_db, before_machine = (
                    cpu_seconds(os.getpid()),
                    postgres_cpu(),
                    machine_busy(),
                )
                started = time.monotonic()
                filed: list[float] = []

                async def timed(user: FakeZaloUser, tally: Tally, pacing: Pacing) -> None:
                    """File the report, noting when it was filed."""
                    await secretary(user, tally, pacing)
                    if user.messages and "Mã báo cáo" in user.messages[-1].text:
                        filed.append(time.monotonic() - started)

                tally, seconds = await drive(users, timed, 0)
                after_db = postgres_cpu()
                connected = await backends(url)
                cpu = Cpu(
                    bots=[cpu_seconds(pid) - s for pid, s in zip(pids, before_bots, strict=True)],
                    bench=cpu_seconds(os.getpid()) - before_bench,
                    database=sum(after_db[p] - before_db.get(p, 0.0) for p in connected if p in after_db),
                    machine=machine_busy() - before_machine,
                    wall=seconds,
                )
                lost, doubled = await lost_and_doubled(server, users)
                # The fake echoes every bot message as an update too: count the secretaries' own apart.
                typed = [
                    d
                    for d in server.deliveries
                    if d.update.get("message", {}).get("from", {}).get("id") in senders
                ]
                per_target = [
                    f"{sum(1 for d in typed if d.url.startswith(t))} of "
                    f"{sum(1 for d in server.deliveries if d.url.startswith(t))}"
                    for t in server.webhook_targets
                ]
            finally:
                for bot in bots:
                    await bot.stop()
            if tally.failures:
                for bot in bots:
                    lines = bot.log().splitlines()
                    errors = [n for n, line in enumerate(lines) if "ERROR" in line]
                    # The first error with its traceback, and how many followed.
                    if errors:
                        print("\n".join(lines[errors[0] : errors[0] + 40])[-4000:])
                        print(f"  ({len(errors)} errors in {bot.log_path.name})")
        whole, broken = await whole_reports(url)
    summary(f"{label}, saturating", tally, seconds)
    # A conversation that lost a reply waits STEP_TIMEOUT for it: count the time until the last report.
    last = max(filed, default=seconds)
    rate = tally.updates / last
    print(f"  until the last report filed ({last:.1f} s): {rate:.1f} updates/s", flush=True)
    awaited = sum(zalo_conversations.awaited.values())
    print(
        f"  reports whole {whole} of {count} secretaries; of {awaited} replies, lost {lost}, sent twice "
        f"{doubled}; webhook POSTs per process (typed by secretaries of all): {', '.join(per_target)}",
        flush=True,
    )
    for problem in broken[:3]:
        print(f"  {problem[:300]}")
    print(f"  {cpu.line()}", flush=True)
    return rate


async def main() -> None:
    """Run one instance, then two, on fresh databases; print both and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=400, help="secretaries filing at once (default 400)")
    parser.add_argument("--quick", action="store_true", help="10 secretaries: a smoke test")
    parser.add_argument("--postgres-url", default=os.environ.get("CHIBO_BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    count = 10 if args.quick else args.users
    if not args.postgres_url:
        print("instances: skipped (no --postgres-url or CHIBO_BENCH_POSTGRES_URL)")
        return
    print(
        f"instances: {count} secretaries at once, {len(STEPS)} updates each (the whole /baocao form, typed, "
        f"no think time), to one bot process, then to two behind one Zalo webhook stream (the fake POSTing "
        f"{WEBHOOK_CONCURRENCY} at a time, alternately to each); PostgreSQL, a fresh database each run; "
        f"{os.cpu_count()} cores",
        flush=True,
    )
    one = await run(args.postgres_url, 1, count)
    two = await run(args.postgres_url, 2, count)
    print(f"two / one instance updates/s: {two / one:.2f} (goal >= {GOAL_RATIO})")


if __name__ == "__main__":
    asyncio.run(main())

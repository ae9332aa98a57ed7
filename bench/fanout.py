"""Fan-out: N reminders through the real dispatcher and Telegram channel against a rate-limited Bot API.

The fake server enforces 30 messages/s overall and 1/s per chat, answering 429 with retry_after.
Reference, in the same run: a bare python-telegram-bot client sending as fast as that limiter
allows (sequential sends, sleeping retry_after on a 429). Then the bot process sends N reminders
once undisturbed and once with a SIGKILL half-way and a restart.

    .venv/bin/python -m bench.fanout [--n 3000] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.common import TEST_TOKEN, BotProcess, FakeTelegramServer, bot_clock, telegram_env
from core.messages import Outbound
from domain import calendar
from domain.clock import Clock
from domain.identity import MEMBER
from storage import accounts, org, outbox
from storage.db import Database

CEILING = 30.0
FIRST_CHAT = 100_000
PREFIX = "Nhắc việc số "


async def reference(server: FakeTelegramServer, count: int) -> float:
    """Send `count` messages to distinct chats as fast as the limiter allows; return messages/s."""
    from telegram import Bot
    from telegram.error import RetryAfter

    bot = Bot(TEST_TOKEN, base_url=server.base_url)
    async with bot:
        started = time.monotonic()
        for n in range(count):
            while True:
                try:
                    await bot.send_message(FIRST_CHAT + 900_000 + n, f"ref {n}")
                    break
                except RetryAfter as error:
                    wait = error.retry_after
                    await asyncio.sleep(wait if isinstance(wait, int | float) else wait.total_seconds())
        return count / (time.monotonic() - started)


async def seed(database_url: str, count: int, clock: Clock) -> None:
    """Create `count` people with a Telegram chat each and one reminder each, due now by the bot's clock."""
    db = Database.from_url(database_url)
    now = clock.now()
    try:
        await db.migrate()
        async with db.begin() as conn:
            committee = await org.create_committee(conn, "Đảng bộ đo tải", now)
            # Quiet hours off: the figure must not depend on the hour the benchmark runs.
            await org.update_committee_settings(
                conn, committee.id, {"quiet_hours_start": "00:00", "quiet_hours_end": "00:00"}
            )
            cell = await org.create_cell(conn, committee.id, "Chi bộ đo tải", "residential", now)
            for n in range(count):
                person_id = await accounts.create_person(conn, f"Đảng viên {n}", now)
                # Ordinary members: the planners send nothing of their own to them.
                await accounts.grant_role(conn, person_id, MEMBER, committee.id, cell.id, now)
                chat = str(FIRST_CHAT + n)
                await accounts.bind_account(conn, person_id, "telegram", chat, chat, None, now)
                await outbox.plan(
                    conn,
                    outbox.to_person(person_id),
                    Outbound(f"{PREFIX}{n}"),
                    kind=calendar.INSPECTION_REMINDER,
                    key="bench",
                    due_at=now,
                    now=now,
                )
    finally:
        await db.dispose()


async def statuses(database_url: str) -> Counter[str]:
    """Count the benchmark's outbox rows by status."""
    db = Database.from_url(database_url)
    try:
        async with db.begin() as conn:
            found: Counter[str] = Counter()
            for status in (outbox.PENDING, outbox.SENDING, outbox.SENT, outbox.UNKNOWN, outbox.FAILED):
                rows = await outbox.rows_by_status(conn, status)
                found[status] = sum(1 for r in rows if r.period == "bench")
            return found
    finally:
        await db.dispose()


async def bot_run(count: int, rate: float, kill: bool, workdir: Path) -> dict[str, float]:
    """Send `count` reminders with the bot process (killed once half-way when asked); return the figures."""
    database_url = f"sqlite+aiosqlite:///{workdir}/fanout-{'kill' if kill else 'plain'}.db"
    async with FakeTelegramServer() as server:
        server.set_rate_limit(per_chat=1, overall=int(CEILING))
        env = telegram_env(
            database_url,
            server,
            DISPATCH_RATE_PER_SECOND=str(rate),
            DISPATCH_INTERVAL_SECONDS="0.5",
            OUTBOX_STALE_SECONDS="2",
        )
        await seed(database_url, count, bot_clock(env))

        def delivered() -> list[str]:
            return [
                c.params.get("text", "")
                for c in server.calls
                if c.method.lower() == "sendmessage"
                and c.status == 200
                and str(c.params.get("text", "")).startswith(PREFIX)
            ]

        bot = BotProcess(env, workdir / f"bot-{kill}.log")
        await bot.start()
        restarts = 0
        try:
            if kill:
                await server.wait_for(
                    lambda: len(delivered()) >= count // 2,
                    timeout=count / CEILING * 3 + 60,
                    description="half the reminders",
                )
                await bot.kill()
                bot = BotProcess(env, workdir / f"bot-{kill}-2.log")
                await bot.start()
                restarts = 1
            # Watched from the server side: polling the database would take its write lock from the bot.
            deadline = time.monotonic() + count / CEILING * 3 + 60
            progress, quiet_since = -1, time.monotonic()
            while time.monotonic() < deadline and len(delivered()) < count:
                if len(delivered()) != progress:
                    progress, quiet_since = len(delivered()), time.monotonic()
                elif time.monotonic() - quiet_since > 10:
                    found = await statuses(database_url)
                    if found[outbox.PENDING] == 0 and found[outbox.SENDING] == 0:
                        break
                    quiet_since = time.monotonic()
                await asyncio.sleep(0.5)
        finally:
            await bot.stop()
        found = await statuses(database_url)
        sends = [c for c in server.calls if c.method.lower() == "sendmessage"]
        ok = [c.received_at for c in sends if c.status == 200]
        texts = Counter(delivered())
    expected = {f"{PREFIX}{n}" for n in range(count)}
    span = max(ok) - min(ok) if len(ok) > 1 else float("nan")
    return {
        "delivered": len(texts),
        "duplicates": sum(v - 1 for v in texts.values()),
        "lost": len(expected - set(texts)),
        "rejected_429": sum(1 for c in sends if c.status == 429),
        "other_messages": len(ok) - sum(texts.values()),
        "unknown_rows": found[outbox.UNKNOWN],
        "failed_rows": found[outbox.FAILED],
        "pending_rows": found[outbox.PENDING] + found[outbox.SENDING],
        "rate": (len(ok) - 1) / span,
        "restarts": restarts,
    }


async def main() -> None:
    """Run the reference and both bot runs and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="reminders per bot run (default 3000)")
    parser.add_argument(
        "--rate", type=float, default=CEILING, help="DISPATCH_RATE_PER_SECOND for the bot (default 30)"
    )
    parser.add_argument("--quick", action="store_true", help="200 reminders: a smoke test under a minute")
    args = parser.parse_args()
    count = 200 if args.quick else args.n
    ref_count = min(count, 900)
    print(
        f"fan-out: {count} reminders, server limit {CEILING:.0f}/s overall and 1/s per chat, "
        f"bot rate {args.rate:g}/s",
        flush=True,
    )
    async with FakeTelegramServer() as server:
        server.set_rate_limit(per_chat=1, overall=int(CEILING))
        ref_rate = await reference(server, ref_count)
    print(
        f"reference (bare PTB client, {ref_count} messages): {ref_rate:.2f} msg/s "
        f"= {ref_rate / CEILING:.3f} of 30/s",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="chibo-fanout-") as tmp:
        for kill in (False, True):
            figures = await bot_run(count, args.rate, kill, Path(tmp))
            label = "with SIGKILL + restart" if kill else "undisturbed"
            print(
                f"bot {label}: {figures['rate']:.2f} msg/s = {figures['rate'] / CEILING:.3f} of 30/s "
                f"({figures['rate'] / ref_rate:.3f} of reference); delivered {figures['delivered']}/{count}, "
                f"duplicates {figures['duplicates']}, lost {figures['lost']}, "
                f"429s {figures['rejected_429']}, "
                f"unknown rows {figures['unknown_rows']}, failed rows {figures['failed_rows']}, "
                f"still pending {figures['pending_rows']}, other messages {figures['other_messages']}",
                flush=True,
            )


if __name__ == "__main__":
    asyncio.run(main())

"""Start and idle: from `python bot.py` to the first poll, with the province's database, and the idle RSS.

The bot starts as shipped, with both channels (Telegram and Zalo, each polling its fake server),
on a copy of bench.province's data (5,000 cells; `--quick`: 100), its modules compiled as the
image has them; the planners run at start, as they do. Reported: seconds from starting the process
to its first getUpdates on each platform (the request's arrival: a long poll is answered only
later), and its RSS after it has sat idle (nothing to do but poll) for a few seconds, then after
the planners' run at start is over. Reference in the same run: `python -c "import telegram, aiohttp"`, the
least a bot on these libraries loads.

    .venv/bin/python -m bench.start [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Sequence
from pathlib import Path

from bench.common import ROOT, BotProcess, FakeTelegramServer, telegram_env
from bench.orgdata import Shape
from bench.province import ensure_sqlite, scratch_copy
from storage.workers import IDLE_BEFORE_RETIRING
from tests.fakes.zalo_api import FakeZaloServer

IDLE_SECONDS = 10.0
WAIT_SECONDS = 120.0
GOAL_START_S = 3.0
GOAL_RSS_MB = 150.0


def compile_code() -> None:
    """Compile the bot's modules, as the image does when it is built: a start then compiles none."""
    compileall.compile_dir(ROOT, quiet=1, rx=re.compile(r"/(\.venv|\.git|data)/"))


def rss_mb(pid: int) -> float:
    """Return a process's resident memory in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def children(pid: int) -> list[int]:
    """Return the processes a process has started (the bot's heavy-job workers and their tracker)."""
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def total_rss_mb(pids: list[int]) -> float:
    """Return the RSS of some processes in all."""
    return sum(rss_mb(pid) for pid in pids)


async def after_retiring(pid: int) -> tuple[float, float]:
    """Wait for the idle workers to exit; return the seconds waited and the RSS of all the bot's processes."""
    started = time.monotonic()
    deadline = started + IDLE_BEFORE_RETIRING + WAIT_SECONDS
    # The resource tracker stays: one process left is the workers gone. /proc has no event to await.
    while time.monotonic() < deadline and len(children(pid)) > 1:  # noqa: ASYNC110
        await asyncio.sleep(1)
    return time.monotonic() - started, total_rss_mb([pid, *children(pid)])


def reference_rss_mb() -> float:
    """Return the RSS of a process that only imports python-telegram-bot and aiohttp."""
    code = "import telegram.ext, aiohttp, resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return int(out) / 1024


def polled(arrivals: Sequence[str]) -> bool:
    """Tell whether a fake server has been asked for updates (answered or still held: a long poll)."""
    return "getupdates" in arrivals


async def seconds_until(wait: Awaitable[object], started: float) -> float:
    """Wait, then return the seconds since `started`."""
    await wait
    return time.monotonic() - started


async def main() -> None:
    """Start the bot on the province's data and print its start time and idle memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 100-cell province: a smoke test")
    args = parser.parse_args()
    shape = Shape(100 if args.quick else 5000, 40)
    url = await ensure_sqlite(shape)
    compile_code()
    async with scratch_copy(url) as copy, FakeTelegramServer() as telegram, FakeZaloServer() as zalo:
        with tempfile.TemporaryDirectory(prefix="chibo-start-") as tmp:
            env = telegram_env(copy, telegram, ZALO_BOT_TOKEN=zalo.token, ZALO_API_BASE_URL=zalo.base_url)
            bot = BotProcess(env, Path(tmp) / "bot.log")
            started = time.monotonic()
            await bot.start()
            try:
                telegram_polls = telegram.wait_for(lambda: polled(telegram.arrivals), WAIT_SECONDS)
                zalo_polls = zalo.wait_for(lambda: polled(zalo.arrivals), WAIT_SECONDS)
                to_telegram, to_zalo = await asyncio.gather(
                    seconds_until(telegram_polls, started), seconds_until(zalo_polls, started)
                )
                await asyncio.sleep(IDLE_SECONDS)
                assert bot.process is not None
                idle = rss_mb(bot.process.pid)
                started_by_bot = children(bot.process.pid)
                workers, workers_mb = len(started_by_bot), total_rss_mb(started_by_bot)
                retired, after_mb = await after_retiring(bot.process.pid)
            finally:
                await bot.stop()
    reference = reference_rss_mb()
    print(
        f"start: {shape.cells}-cell province on SQLite, both channels; first poll after {to_telegram:.2f} s "
        f"(Telegram), {to_zalo:.2f} s (Zalo), goal < {GOAL_START_S:g} s; idle RSS after "
        f"{IDLE_SECONDS:g} s {idle:.0f} MB, goal < {GOAL_RSS_MB:g} MB "
        f"(reference: importing python-telegram-bot and aiohttp alone {reference:.0f} MB); "
        f"besides, {workers} processes it started (heavy-job workers and multiprocessing's resource "
        f"tracker) {workers_mb:.0f} MB; {retired:.0f} s later, the workers retired, all its processes "
        f"{after_mb:.0f} MB",
        flush=True,
    )


if __name__ == "__main__":
    asyncio.run(main())

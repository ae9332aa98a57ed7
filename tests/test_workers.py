"""Heavy jobs in worker processes: they read the same database, their errors come back, idle ones exit."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage.db import Database
from storage.workers import Workers
from tests.test_db import TABLE

ROOT = Path(__file__).resolve().parents[1]
# A bot that starts a worker, says the worker's pid, and is killed outright.
KILLED_BOT = """
import asyncio, os, signal
from storage.workers import Workers

async def main() -> None:
    workers = Workers(size=1)
    print(await workers.run(os.getpid), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)

if __name__ == "__main__":
    asyncio.run(main())
"""


async def names_and_process(db: Database) -> tuple[int, list[str]]:
    """Read the names, and say which process read them."""
    async with db.read() as conn:
        return os.getpid(), list((await conn.execute(sa.select(TABLE.c.name))).scalars())


async def refuse(_: Database) -> None:
    """Fail as a job whose data is wrong."""
    raise ValueError("dữ liệu sai")


async def die(_: Database) -> None:
    """End the worker's process at once, as the kernel's out-of-memory killer would."""
    os._exit(1)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """Open an SQLite database with one named thing, whose heavy jobs go to worker processes."""
    database = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/t.db", Workers(size=1))
    async with database.begin() as conn:
        await conn.run_sync(TABLE.metadata.create_all)
        await conn.execute(TABLE.insert().values(name="Chi bộ 1"))
    yield database
    await database.dispose()


async def test_a_heavy_job_reads_the_database_in_another_process(db: Database) -> None:
    """The job runs in a worker process and reads what the bot committed."""
    pid, names = await db.off_loop(names_and_process)
    assert names == ["Chi bộ 1"] and pid != os.getpid()


async def test_a_job_error_reaches_the_caller(db: Database) -> None:
    """An exception raised in the worker is raised where the job was awaited."""
    with pytest.raises(ValueError, match="dữ liệu sai"):
        await db.off_loop(refuse)


async def test_after_a_worker_dies_the_next_job_gets_a_new_one(db: Database) -> None:
    """A killed worker fails its own job only; the next job runs in a fresh process."""
    with pytest.raises(BrokenProcessPool):
        await db.off_loop(die)
    _, names = await db.off_loop(names_and_process)
    assert names == ["Chi bộ 1"]


def interrupts_ignored() -> bool:
    """Tell whether Ctrl-C is ignored in this process."""
    return signal.getsignal(signal.SIGINT) is signal.SIG_IGN


async def test_ctrl_c_is_left_to_the_bot() -> None:
    """A worker ignores Ctrl-C, which the terminal sends to every process of the console's bot."""
    workers = Workers(size=1)
    try:
        assert await workers.run(interrupts_ignored)
    finally:
        workers.close()
    assert not interrupts_ignored()


async def test_idle_workers_exit() -> None:
    """Once no job has run for the idle time, the worker processes are gone until the next job."""
    workers = Workers(size=1, idle_seconds=0)
    assert await workers.run(os.getpid) != os.getpid()
    assert workers.started
    # The retirement is due at once; a short sleep lets the loop run its timer.
    await asyncio.sleep(0.01)
    assert not workers.started
    assert await workers.run(os.getpid) != os.getpid()
    workers.close()


def _running(pid: int) -> bool:
    """Tell whether a process runs (a zombie waiting to be reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_workers_end_with_a_killed_bot(tmp_path: Path) -> None:
    """A bot killed outright (SIGKILL) leaves no worker process behind."""
    script = tmp_path / "killed_bot.py"
    script.write_text(KILLED_BOT)
    said, errors = tmp_path / "out.txt", tmp_path / "err.txt"
    # Into files, not pipes: a worker left behind would hold a pipe open and the run would hang.
    with said.open("w") as out, errors.open("w") as err:
        bot = subprocess.run(
            [sys.executable, str(script)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=out,
            stderr=err,
            timeout=60,
        )
    assert bot.returncode == -signal.SIGKILL, errors.read_text()
    worker = int(said.read_text().split()[0])
    # Bounded wait for another process to end: /proc has no event to await.
    deadline = time.monotonic() + 30
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(worker)

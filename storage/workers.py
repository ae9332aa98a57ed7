"""Worker processes for heavy reading jobs, so that the bot's event loop never waits for their CPU.

A thread would share the interpreter's lock with the loop: while a province's export or chart is
built, every reply then waits its turn for the lock, hundreds of milliseconds at a time. A process
of its own takes the other core instead.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

log = logging.getLogger(__name__)

# Heavy jobs at once: the export a member asked for need not wait for the hourly planners' digest.
HEAVY_WORKERS = 2
# Seconds without a job before the workers exit: after a province's export each holds about 170 MB
# that an idle bot has no use for; starting again costs half a second of imports.
IDLE_BEFORE_RETIRING = 120.0
T = TypeVar("T")


class Workers:
    """A few worker processes, started by the first job and retired once idle."""

    def __init__(self, size: int = HEAVY_WORKERS, idle_seconds: float = IDLE_BEFORE_RETIRING) -> None:
        self._size = size
        self._idle_seconds = idle_seconds
        self._pool: ProcessPoolExecutor | None = None
        self._running = 0
        self._retiring: asyncio.TimerHandle | None = None

    @property
    def started(self) -> bool:
        """Tell whether worker processes are up."""
        return self._pool is not None

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """Run a module-level function on picklable arguments in a worker; this loop keeps serving."""
        loop = asyncio.get_running_loop()
        self._keep()
        if self._pool is None:
            # Spawned, not forked: a fork would copy the bot's event loop, its threads and sockets.
            self._pool = ProcessPoolExecutor(
                self._size, mp_context=multiprocessing.get_context("spawn"), initializer=_prepare_worker
            )
        pool = self._pool
        self._running += 1
        try:
            return await loop.run_in_executor(pool, function, *args)
        except BrokenProcessPool:
            # A worker was killed (out of memory, say): the next job starts fresh ones.
            log.warning("a worker process died; the next heavy job starts new ones")
            if self._pool is pool:
                self._pool = None
            pool.shutdown(wait=False)
            raise
        finally:
            self._running -= 1
            if self._running == 0:
                self._retiring = loop.call_later(self._idle_seconds, self.close)

    def close(self) -> None:
        """Let the workers exit once their current jobs end, without waiting for them here."""
        self._keep()
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def _keep(self) -> None:
        """Call off a planned retirement."""
        if self._retiring is not None:
            self._retiring.cancel()
            self._retiring = None


def _prepare_worker() -> None:
    """Leave Ctrl-C to the bot, and end with the bot's process however it ends."""
    # The terminal sends Ctrl-C to every process of the console's bot: the bot winds its workers
    # down itself, where a worker would print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent,), name="end-with-the-bot", daemon=True).start()


def _end_with(parent: BaseProcess) -> None:
    """Wait for the bot's process to end, then end this worker at once."""
    # A bot killed outright sends its workers no word to stop, and each holds the queue it waits on
    # open for writing, so none would ever see it close: they would outlive the bot forever.
    parent.join()
    os._exit(1)

"""The scheduler: APScheduler runs the planners on a cron trigger; the dispatcher alone sends."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from core.channel import Channel
from core.health import Running
from core.metrics import Metrics
from domain.clock import LOCAL_TZ, Clock
from schedules.backups import BackupJob
from schedules.dispatcher import Buttons, Dispatcher, Limits
from schedules.planners import run_planners
from settings import Settings
from storage.db import Database

log = logging.getLogger(__name__)

PLANNERS_JOB = "planners"
BACKUP_JOB = "backup"
# The planners' catch-up at start reads a province for seconds: it waits until every channel
# receives updates, so that it never delays their first poll, or this long for one that cannot start.
CATCH_UP_WAIT_SECONDS = 30.0
CATCH_UP_CHECK_SECONDS = 0.2


async def planners_job(db: Database, clock: Clock) -> None:
    """Run the planners; a stop in the middle ends the run with one line, not a traceback."""
    try:
        await run_planners(db, clock)
    except asyncio.CancelledError:
        # Planning is idempotent and each batch is its own transaction: the next run plans the rest.
        log.info("planners stopped with the bot; the next run plans what is left")


def build_scheduler(
    db: Database,
    clock: Clock,
    cron: str,
    *,
    run_now: bool = True,
    backups: BackupJob | None = None,
    backup_cron: str = "",
) -> AsyncIOScheduler:
    """Create the scheduler with the planners on `cron` (local time), and the backups on theirs."""
    scheduler = AsyncIOScheduler(jobstores={"default": MemoryJobStore()}, timezone=LOCAL_TZ)
    scheduler.add_job(
        planners_job,
        CronTrigger.from_crontab(cron, timezone=LOCAL_TZ),
        args=(db, clock),
        id=PLANNERS_JOB,
        # Planning is idempotent, so a late or doubled run is harmless; one at a time is enough.
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
        **({"next_run_time": datetime.now(LOCAL_TZ)} if run_now else {}),
    )
    if backups is not None:
        scheduler.add_job(
            backups.run,
            CronTrigger.from_crontab(backup_cron, timezone=LOCAL_TZ),
            id=BACKUP_JOB,
            coalesce=True,
            max_instances=1,
            # A run that starts late (the loop was busy) is still worth doing.
            misfire_grace_time=None,
        )
    return scheduler


def plan_now(scheduler: AsyncIOScheduler) -> None:
    """Have the scheduler run the planners at once (a catch-up), then on their cron again."""
    scheduler.modify_job(PLANNERS_JOB, next_run_time=datetime.now(LOCAL_TZ))


async def catch_up(scheduler: AsyncIOScheduler, channels: Mapping[str, Running]) -> None:
    """Run the planners once every channel receives updates, or after CATCH_UP_WAIT_SECONDS."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + CATCH_UP_WAIT_SECONDS
    # The channels tell no event when they start; a look five times a second costs nothing.
    while not all(channel.running for channel in channels.values()) and loop.time() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(CATCH_UP_CHECK_SECONDS)
    plan_now(scheduler)


def build_dispatcher(
    db: Database,
    clock: Clock,
    channels: Mapping[str, Channel],
    settings: Settings,
    buttons: Buttons,
    metrics: Metrics,
) -> Dispatcher:
    """Create the outbox dispatcher with the settings' pace and patience, and the features' buttons."""
    limits = Limits(
        per_second=settings.dispatch_rate_per_second,
        chat_interval=settings.dispatch_chat_interval_seconds,
        max_attempts=settings.outbox_max_attempts,
        stale_after=timedelta(seconds=settings.outbox_stale_seconds),
    )
    return Dispatcher(db, clock, channels, limits=limits, buttons=buttons, metrics=metrics)
